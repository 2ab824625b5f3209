"""Attendance lists: one contact of kind ``teilnahme`` per listed member; ambiguous names are never guessed.

The event and its date come from the options or from a title line ("Teilnahmeliste Neumitgliederabend –
17.09.2026"); rows are matched by :func:`zuordnung.mitglied_finden`. Rows that match no one, or several, go to
``import-fehler-teilnahme-….xlsx`` with the list's columns; a member who was not a member on the day is
recorded with a warning. The result carries the counts (a :class:`Teilnahmebilanz`); the sentences for the
terminal are written in :mod:`mitgliederarbeit.cli.darstellung`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from mitgliederarbeit import datum as dt
from mitgliederarbeit.einlesen import erkennung, lesen, spalten
from mitgliederarbeit.einlesen.ergebnis import ImportErgebnis
from mitgliederarbeit.einlesen.listenimport import (
    DATENSCHUTZ_HINWEIS,
    Fehlerdatei,
    Fehlerzeile,
    Lauf,
    abschliessen,
    schluessel,
    transaktion,
)
from mitgliederarbeit.einlesen.normalisieren import name_split, parse_flag, text
from mitgliederarbeit.einlesen.zuordnung import (
    Verzeichnis,
    Zuordnung,
    mitglied_finden,
    name_schluessel,
    verzeichnis_laden,
)
from mitgliederarbeit.errors import BedienFehler, EingabeFehler
from mitgliederarbeit.ordner import Arbeitsordner

_LISTENWORT = re.compile(
    r"\b(teilnahme|teilnehmer(?:innen)?|teilnehmenden|anwesenheits|anwesenheit)\w*(?:liste)?\b\s*:?", re.I
)
_DATUM_IM_TITEL = re.compile(r"(\d{1,2}\.\s?\d{1,2}\.\s?\d{2,4}|\d{4}-\d{2}-\d{2})")
_NAMENSFELDER = ("mitgliedsnummer", "vorname", "nachname")
_KOPF = {
    "mitgliedsnummer": "Mitgliedsnummer",
    "vorname": "Vorname",
    "nachname": "Nachname",
    "ortsverein": "Ortsverein",
}


def titel_lesen(titel: list[str]) -> tuple[str | None, date | None]:
    """Event name and date from a title line such as "Teilnahmeliste Neumitgliederabend – 17.09.2026"."""
    for line in titel:
        if not _LISTENWORT.search(line):
            continue
        datum = None
        if m := _DATUM_IM_TITEL.search(line):
            try:
                datum = dt.parse_datum(m[1].replace(" ", ""))
            except dt.UngueltigesDatum:
                datum = None
            line = line.replace(m[0], " ")
        name = _LISTENWORT.sub(" ", line)
        name = re.sub(r"\b(am|vom|den)\s*$", " ", name.strip(" –-:,|/"), flags=re.I)
        name = re.sub(r"\s+", " ", name).strip(" –-:,|/")
        return (name or None), datum
    return None, None


@dataclass
class Teilnahmezaehler:
    """What the rows of an attendance list came to."""

    nummer: int = 0  # matched by Mitgliedsnummer
    name: int = 0  # matched by name
    mehrdeutig: int = 0
    unbekannt: int = 0
    bereits: int = 0  # recorded by an earlier import
    doppelt: int = 0  # the same member twice on the list
    kein_mitglied: int = 0  # not a member on the day (recorded with a warning)
    abwesend: list[int] = field(default_factory=list)  # sheet rows marked as not there (not recorded)


@dataclass(frozen=True)
class Teilnahmebilanz:
    """What an attendance list came to, beyond the counts of the :class:`ImportErgebnis` (its ``bilanz``).

    :func:`mitgliederarbeit.cli.darstellung.import_zusammenfassung` writes the German sentences from it.
    """

    datei: str  # the file's name
    veranstaltung: str
    datum: date
    stichtag: date  # the import's: an event after it counts from its day on
    zaehler: Teilnahmezaehler
    anwesenheitsspalte: str | None = None  # the header of the presence column, if the list has one


@dataclass
class _Liste:
    datei: Path
    kopf: spalten.Kopf
    veranstaltung: str
    datum: date
    gesehen: set[str] = field(default_factory=set)
    anwesend: int | None = None  # the column saying who was there ("anwesend", is_present), if any


def teilnahme_uebernehmen(
    ordner: Arbeitsordner,
    blatt: lesen.Blatt,
    *,
    veranstaltung: str | None = None,
    datum: date | None = None,
    trockenlauf: bool = False,
    fehler_ordner: Path | None = None,
) -> ImportErgebnis:
    """Record one attendance (contact kind ``teilnahme``) per listed member; ambiguous names are never guessed."""
    liste = _liste_lesen(ordner, blatt, veranstaltung, datum)
    result = ImportErgebnis(
        datei=str(liste.datei), art="teilnahme", stand=liste.datum, trockenlauf=trockenlauf
    )
    zaehler = Teilnahmezaehler()
    fehler: list[Fehlerzeile] = []
    with transaktion(ordner, "teilnahme", liste.datei, liste.datum, trockenlauf=trockenlauf) as lauf:
        verzeichnis = verzeichnis_laden(lauf.conn)
        for zeile, werte, da in _zeilen(blatt, liste):
            result.gelesen += 1
            if not da:  # only a true value in the presence column counts
                zaehler.abwesend.append(zeile)
                continue
            _zeile_uebernehmen(lauf, liste, verzeichnis, zeile, werte, result, zaehler, fehler)
        fehlerdatei = _fehlerdatei(fehler_ordner or ordner.ausgabe, liste)
        abschliessen(lauf, result, fehler, lambda: fehlerdatei.schreiben(fehler), trockenlauf=trockenlauf)
    result.bereits_importiert = result.uebernommen == 0 and zaehler.bereits > 0 and not fehler
    result.details = _details(liste, result, zaehler)
    result.bilanz = Teilnahmebilanz(
        liste.datei.name,
        liste.veranstaltung,
        liste.datum,
        ordner.stichtag,
        zaehler,
        anwesenheitsspalte=liste.kopf.spalten[liste.anwesend] if liste.anwesend is not None else None,
    )
    return result


def _liste_lesen(
    ordner: Arbeitsordner, blatt: lesen.Blatt, veranstaltung: str | None, datum: date | None
) -> _Liste:
    """The header, the event and its date (options first, then our error file's metadata, then the title)."""
    datei = blatt.datei
    kopf = spalten.find_header(blatt.rows, extra=ordner.config["import"]["spalten"])
    if kopf is None or not any(f in kopf.zuordnung for f in _NAMENSFELDER):
        raise EingabeFehler(
            f"{datei.name}: keine Kopfzeile mit Mitgliedsnummer oder Vorname und Nachname gefunden.",
            hint="Eine Teilnahmeliste braucht die Spalte „Mitgliedsnummer“ oder „Vorname“ und „Nachname“.",
        )
    titel_name, titel_datum = titel_lesen(kopf.titel)
    if blatt.meta.get("art") == "teilnahme":  # our own error file, fixed and imported again
        titel_name = blatt.meta.get("veranstaltung") or titel_name
        titel_datum = dt.aus_metadaten(blatt.meta, "datum", blatt.datei) or titel_datum
    veranstaltung = (veranstaltung or "").strip() or titel_name
    datum = datum or titel_datum
    if not veranstaltung or not datum:
        raise _fehlt(datei, veranstaltung, datum)
    return _Liste(datei, kopf, veranstaltung, datum, anwesend=erkennung.anwesenheitsspalte(kopf.spalten))


def _fehlt(datei: Path, veranstaltung: str | None, datum: date | None) -> BedienFehler:
    teile = [w for w, ok in (("der Name der Veranstaltung", veranstaltung), ("das Datum", datum)) if not ok]
    verb = "fehlen" if len(teile) > 1 else "fehlt"
    return BedienFehler(
        f"{datei.name}: {' und '.join(teile)} {verb} – weder als Option angegeben noch in einer Titelzeile "
        "(„Teilnahmeliste Neumitgliederabend – 17.09.2026“).",
        hint=f'Bitte angeben: mitglieder import --art teilnahme --veranstaltung "Neumitgliederabend" '
        f'--datum 17.09.2026 "{datei.name}"',
    )


def _zeilen(blatt: lesen.Blatt, liste: _Liste) -> list[tuple[int, dict[str, object], bool]]:
    """(sheet row number, field -> cell, was there) of every row that names someone. Without a presence column
    everyone listed was there; with one, only a true value ("ja", "x", "1", true) counts."""
    kopf, spalte = liste.kopf, liste.anwesend
    result = []
    for offset, row in enumerate(blatt.rows[kopf.zeile + 1 :]):
        werte = {f: (row[c] if c < len(row) else None) for f, c in kopf.zuordnung.items()}
        if any(text(werte.get(f)) for f in _NAMENSFELDER):
            da = spalte is None or parse_flag(row[spalte] if spalte < len(row) else None) is True
            result.append((kopf.zeile + offset + 2, werte, da))
    return result


def _zeile_uebernehmen(
    lauf: Lauf,
    liste: _Liste,
    verzeichnis: Verzeichnis,
    zeile: int,
    werte: dict[str, object],
    result: ImportErgebnis,
    zaehler: Teilnahmezaehler,
    fehler: list[Fehlerzeile],
) -> None:
    """One row: find the member, count them once, warn if not a member on the day, record the attendance."""
    treffer = _finden(verzeichnis, liste, werte)
    if treffer.nr is None:
        assert treffer.fehler is not None
        fehler.append(Fehlerzeile("", zeile, treffer.fehler, True, dict(werte)))
        setattr(zaehler, treffer.grund, getattr(zaehler, treffer.grund) + 1)
        return
    if treffer.per_name:
        zaehler.name += 1
    else:
        zaehler.nummer += 1
    if treffer.nr in liste.gesehen:
        zaehler.doppelt += 1
        return
    liste.gesehen.add(treffer.nr)
    if not _mitglied_am_tag(verzeichnis.mitglieder[treffer.nr], liste.datum):
        meldung = f"war am {dt.de(liste.datum)} kein Mitglied – die Teilnahme wurde trotzdem erfasst"
        fehler.append(Fehlerzeile("", zeile, meldung, False, dict(werte)))
        zaehler.kein_mitglied += 1
    if _eintragen(lauf, liste, treffer.nr):
        result.uebernommen += 1
    else:
        zaehler.bereits += 1


def _finden(verzeichnis: Verzeichnis, liste: _Liste, werte: dict[str, object]) -> Zuordnung:
    vorname, nachname = name_schluessel(werte.get("vorname")), name_schluessel(werte.get("nachname"))
    if "vorname" not in liste.kopf.zuordnung and nachname and "," in nachname:
        first, last = name_split(nachname)  # one column "Nachname, Vorname"
        vorname, nachname = name_schluessel(first), name_schluessel(last)
    anzeige = " ".join(p for p in (text(werte.get("vorname")), text(werte.get("nachname"))) if p)
    return mitglied_finden(
        verzeichnis,
        text(werte.get("mitgliedsnummer")),
        vorname,
        nachname,
        tag=liste.datum,
        ortsverein=werte.get("ortsverein"),
        anzeige=anzeige,
    )


def _mitglied_am_tag(m: dict[str, object], datum: date) -> bool:
    eintritt = dt.gespeicherter_tag(m["eintrittsdatum"])  # type: ignore[arg-type]
    austritt = dt.gespeicherter_tag(m["austrittsdatum"])  # type: ignore[arg-type]
    return not ((austritt is not None and austritt <= datum) or (eintritt is not None and eintritt > datum))


def _eintragen(lauf: Lauf, liste: _Liste, nr: str) -> bool:
    """Record the attendance; False if an earlier import recorded it already."""
    cursor = lauf.conn.execute(
        "INSERT OR IGNORE INTO kontakte (nr, art, datum, veranstaltung, quelle, import_id, schluessel) "
        "VALUES (?,?,?,?,?,?,?)",
        (
            nr,
            "teilnahme",
            liste.datum.isoformat(),
            liste.veranstaltung,
            liste.datei.name,
            lauf.import_id,
            schluessel("teilnahme", liste.veranstaltung.casefold(), liste.datum.isoformat(), nr),
        ),
    )
    return cursor.rowcount == 1


def _fehlerdatei(ordner: Path, liste: _Liste) -> Fehlerdatei:
    return Fehlerdatei(
        ordner=ordner,
        stem=f"import-fehler-teilnahme-{liste.datum.isoformat()}",
        quelle=liste.datei.name,
        meta={"art": "teilnahme", "veranstaltung": liste.veranstaltung, "datum": liste.datum.isoformat()},
        kopf={f: k for f, k in _KOPF.items() if f in liste.kopf.zuordnung},
        hinweise=[
            "Blatt „Abgelehnt“: diese Zeilen wurden NICHT übernommen (unbekannt oder nicht eindeutig). "
            "Bitte die Mitgliedsnummer ergänzen und diese Datei erneut importieren: "
            "mitglieder import <diese Datei>. Veranstaltung und Datum sind in der Datei vermerkt.",
            "Blatt „Warnungen“: übernommen, aber am Tag der Veranstaltung kein Mitglied.",
            DATENSCHUTZ_HINWEIS,
        ],
    )


def _details(liste: _Liste, result: ImportErgebnis, z: Teilnahmezaehler) -> dict[str, object]:
    return {
        "veranstaltung": liste.veranstaltung,
        "datum": liste.datum.isoformat(),
        "kontakte": result.uebernommen,
        "per_nummer": z.nummer,
        "per_name": z.name,
        "mehrdeutig": z.mehrdeutig,
        "unbekannt": z.unbekannt,
        "bereits_erfasst": z.bereits,
        "doppelt": z.doppelt,
        "kein_mitglied": z.kein_mitglied,
        "abwesend": len(z.abwesend),
        "abwesend_zeilen": z.abwesend,
        "anwesenheitsspalte": liste.kopf.spalten[liste.anwesend] if liste.anwesend is not None else None,
    }
