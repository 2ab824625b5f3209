"""An Ortsverein's contact person and next meeting from ``[ortsvereine."Name"]``, for letters and call lists.

Both outputs tell a new member whom to turn to and when the next meeting is; both must not present a stale
meeting as an invitation, and both say when an Ortsverein has no contact person of its own (the organisation's
signer stands in then).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from mitgliederarbeit import datum as dt
from mitgliederarbeit.zahlen import aufzaehlung

# "3. Dezember 2026", "3. Dez.", "03.12.2026", "3.12.", "2026-12-03": the first date the text names.
_DATUM_TEXT = re.compile(r"(?<!\d)(\d{1,2})\.\s*([A-Za-zÄä]{3,9})\.?(?:\s*(\d{4}))?")
_DATUM_ZAHL = re.compile(r"(?<![\d.])(\d{1,2})\.\s?(\d{1,2})\.(?:\s?(\d{4}|\d{2})(?!\d))?")
_DATUM_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
# A meeting without a year lies in the half year around the Stichtag: "10. Januar" in December is next year's.
_OHNE_JAHR_ZURUECK = timedelta(days=183)


@dataclass
class Kontaktangaben:
    """What a letter or call list says about one Ortsverein."""

    ortsverein: str
    ansprechperson: str
    telefon: str
    email: str
    naechstes_treffen: str  # empty when none is configured or it lies before the Stichtag
    eigene_ansprechperson: bool  # False: the organisation's signer stands in
    treffen_vorbei: str = ""  # the configured text, when its date lies before the Stichtag


def _text(wert: object) -> str:
    return " ".join(str(wert or "").split())


def treffen_datum(text: str, stichtag: date) -> date | None:
    """The date a meeting text names ("Donnerstag, 3. Dezember, 19 Uhr"), or ``None`` if it names none.

    Without a year the date is taken in the half year before or the year after the Stichtag.
    """
    for muster in (_DATUM_ISO, _DATUM_TEXT, _DATUM_ZAHL):
        for treffer in muster.finditer(text):
            if muster is _DATUM_ISO:
                roh = treffer.group(0)
                jahr_fehlt = False
            elif muster is _DATUM_TEXT:
                tag, monat, jahr = treffer.groups()
                jahr_fehlt = jahr is None
                roh = f"{tag}. {monat} {jahr or stichtag.year}"
            else:
                tag, monat, jahr = treffer.groups()
                jahr_fehlt = jahr is None
                roh = f"{tag}.{monat}.{jahr or stichtag.year}"
            try:
                gefunden = dt.parse_datum(roh)
            except dt.UngueltigesDatum:
                continue
            if gefunden is None:
                continue
            if jahr_fehlt and gefunden < stichtag - _OHNE_JAHR_ZURUECK:
                try:
                    gefunden = gefunden.replace(year=gefunden.year + 1)
                except ValueError:  # 29 February
                    continue
            return gefunden
    return None


def angaben(config: dict[str, Any], ortsverein: str, stichtag: date) -> Kontaktangaben:
    """The contact person and next meeting of ``ortsverein``; the organisation's signer where none is set."""
    org = config.get("organisation") or {}
    ov = (config.get("ortsvereine") or {}).get(ortsverein) or {}
    eigene = _text(ov.get("ansprechperson"))
    treffen = "\n".join(
        z for z in (_text(t) for t in str(ov.get("naechstes_treffen") or "").splitlines()) if z
    )
    vorbei = ""
    if treffen:
        tag = treffen_datum(treffen, stichtag)
        if tag is not None and tag < stichtag:
            vorbei, treffen = treffen, ""
    return Kontaktangaben(
        ortsverein=ortsverein,
        ansprechperson=eigene or _text(org.get("unterschrift")),
        telefon=_text(ov.get("telefon")) or _text(org.get("telefon")),
        email=_text(ov.get("email")) or _text(org.get("email")),
        naechstes_treffen=treffen,
        eigene_ansprechperson=bool(eigene),
        treffen_vorbei=vorbei,
    )


def _zitiert(namen: list[str]) -> str:
    """``„a“, „b“ und „c“``."""
    return aufzaehlung([f"„{n}“" for n in namen])


def warnungen(
    liste: Iterable[Kontaktangaben],
    config: dict[str, Any],
    stichtag: date,
    wofuer: str,
    *,
    ohne_ansprechperson: bool = True,
) -> list[str]:
    """German warnings: Ortsvereine without their own contact person, meetings that lie before the Stichtag.

    ``wofuer`` names the output in the sentence ("in den Briefen", "auf der Anrufliste").
    """
    alle = sorted(
        {a.ortsverein: a for a in liste if a.ortsverein}.values(), key=lambda a: a.ortsverein.casefold()
    )
    result = []
    ohne = [a.ortsverein for a in alle if not a.eigene_ansprechperson] if ohne_ansprechperson else []
    if ohne:
        vertretung = _text((config.get("organisation") or {}).get("unterschrift"))
        statt = (
            f"{wofuer} steht stattdessen {vertretung} ([organisation] unterschrift) als Ansprechperson"
            if vertretung
            else f"{wofuer} steht keine Ansprechperson"
        )
        wer = "den Ortsverein" if len(ohne) == 1 else "die Ortsvereine"
        result.append(
            f"Keine Ansprechperson eingetragen für {wer} {_zitiert(ohne)}; {statt}. "
            f'Bitte in mitglieder.toml eintragen: [ortsvereine."{ohne[0]}"] ansprechperson = "…".'
        )
    for a in alle:
        if a.treffen_vorbei:
            result.append(
                f"Das nächste Treffen in „{a.ortsverein}“ („{a.treffen_vorbei}“) liegt vor dem Stichtag "
                f"{dt.de(stichtag)}; {wofuer} wird es nicht genannt. Bitte in mitglieder.toml den neuen Termin "
                f'eintragen: [ortsvereine."{a.ortsverein}"] naechstes_treffen.'
            )
    return result
