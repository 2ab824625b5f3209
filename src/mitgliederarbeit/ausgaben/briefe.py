"""Welcome letters: salutation, DIN 5008 address, template check, and fast DOCX output (``mitglieder briefe``).

The template is a DOCX with Jinja placeholders. It is prepared once: docxtpl repairs placeholders that Word
split across runs, jinja2 compiles ``word/document.xml``; headers and footers (only general values there, no
member data) are rendered once. Per member only the document body is rendered, and the DOCX is written by a
small zip writer that copies every other part as already compressed bytes. That keeps a thousand letters
well below a second or two, where rendering and saving through docxtpl takes a minute.
"""

from __future__ import annotations

import contextlib
import functools
import io
import re
import struct
import unicodedata
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO

from mitgliederarbeit import datum as dt
from mitgliederarbeit.ausgaben import kontaktangaben
from mitgliederarbeit.errors import KonfigFehler, MitgliederError, VorlagenFehler
from mitgliederarbeit.zahlen import aufzaehlung

# Per-member values in the template context; they cannot appear in headers or footers (rendered once).
MITGLIEDSFELDER = frozenset(
    {
        "mitgliedsnummer",
        "vorname",
        "nachname",
        "titel",
        "anrede",
        "anrede_zeile",
        "anschrift",
        "anschrift_zeilen",
        "ortsverein",
        "unterbezirk",
        "eintrittsdatum",
        "eintritt_geschaetzt",
        "ansprechperson",
        "ansprechperson_telefon",
        "ansprechperson_email",
        "naechstes_treffen",
        "betreff",
        "mitglied",
        "haushalt",
    }
)
# General values, the same in every letter of a run.
ALLGEMEINE_FELDER = frozenset(
    {"absender_zeile", "organisation", "partei", "webseite", "unterschrift", "funktion", "datum", "qr_code"}
)
# Member keys a template may read as {{ mitglied.… }}: what a letter needs, nothing more (no phone, no birthday).
_MITGLIED_SCHLUESSEL = (
    "mitgliedsnummer",
    "anrede",
    "titel",
    "geschlecht",
    "vorname",
    "nachname",
    "strasse",
    "hausnummer",
    "adresszusatz",
    "plz",
    "ort",
    "land",
    "ortsverein",
    "unterbezirk",
    "eintrittsdatum",
)

ANREDE_STANDARD = {
    "w": "Liebe {vorname},",
    "m": "Lieber {vorname},",
    "d": "Hallo {vorname} {nachname},",
    "unbekannt": "Hallo {vorname} {nachname},",
}
# With ``[anrede] ansprache = "sie"`` and the salutations left at their (Du) defaults, these stand in.
ANREDE_SIE = {
    "w": "Sehr geehrte Frau {titel} {nachname},",
    "m": "Sehr geehrter Herr {titel} {nachname},",
    "d": "Guten Tag {titel} {vorname} {nachname},",
    "unbekannt": "Guten Tag {titel} {vorname} {nachname},",
}
ANSPRACHEN = ("du", "sie")
BETREFF_STANDARD = "Willkommen in der {partei}!"
STANDARD_VORLAGE = "willkommensbrief.docx"
STANDARD_VORLAGE_SIE = "willkommensbrief-sie.docx"
STANDARD_VORLAGE_HAUSHALT = {
    "du": "willkommensbrief-haushalt.docx",
    "sie": "willkommensbrief-sie-haushalt.docx",
}
EIN_DOKUMENT_NAME = "briefe.docx"
MAX_ANSCHRIFT_ZEILEN = 6
# The recipient zone of the window: 85 mm wide, the address in 10 pt Arial (see briefvorlage).
_ANSCHRIFT_BREITE_PT = 85 / 25.4 * 72
_ANSCHRIFT_SCHRIFT_PT = 10
_RUECKSENDUNG_SCHRIFT_PT = 8
# Widths of Arial/Helvetica (Liberation Sans has the same) in 1/1000 em. LibreOffice without these fonts falls
# back to a wider one, so lines are measured a little wider than Arial makes them.
_ARIAL_BREITEN = dict(
    zip(
        " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~",
        (
            [278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278]
            + [556] * 10
            + [278, 278, 584, 584, 584, 556, 1015]
            + [667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667]
            + [611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333]
            + [556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500]
            + [278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584]
        ),
    )
)
_ARIAL_BREITEN.update({"ß": 611, "·": 278, "–": 556, "’": 222, "„": 333, "“": 333})
_SICHERHEIT = 1.12

_INLAND = frozenset(
    {"", "d", "de", "deu", "deutschland", "germany", "bundesrepublik deutschland", "brd", "allemagne"}
)
# Common country codes an export may hold instead of a name; the name goes on the envelope in capitals.
_LAENDER = {
    "a": "ÖSTERREICH",
    "at": "ÖSTERREICH",
    "aut": "ÖSTERREICH",
    "ch": "SCHWEIZ",
    "che": "SCHWEIZ",
    "fl": "LIECHTENSTEIN",
    "li": "LIECHTENSTEIN",
    "f": "FRANKREICH",
    "fr": "FRANKREICH",
    "nl": "NIEDERLANDE",
    "b": "BELGIEN",
    "be": "BELGIEN",
    "l": "LUXEMBURG",
    "lu": "LUXEMBURG",
    "dk": "DÄNEMARK",
    "pl": "POLEN",
    "cz": "TSCHECHIEN",
    "i": "ITALIEN",
    "it": "ITALIEN",
    "e": "SPANIEN",
    "es": "SPANIEN",
    "gb": "VEREINIGTES KÖNIGREICH",
    "uk": "VEREINIGTES KÖNIGREICH",
    "us": "USA",
    "usa": "USA",
}
_WINDOWS_RESERVIERT = frozenset(
    {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}
)
_XML_VERBOTEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_LEERRAUM = re.compile(r"\s+")


class BriefDateiVorhanden(MitgliederError):
    """An output file exists already; letters never overwrite anything."""


class FehlendeAngaben(KonfigFehler):
    """The config leaves empty what the template prints (sender, signer, …): no letter is written."""


class PdfFehler(MitgliederError):
    """LibreOffice is missing or could not convert the letters to PDF."""


@dataclass
class BriefErgebnis:
    """What ``schreibe_briefe`` wrote (or, in a dry run, would write)."""

    ordner: Path
    dateien: list[Path] = field(default_factory=list)
    briefe: list[str] = field(default_factory=list)  # Mitgliedsnummern with a letter
    ausgelassen: list[tuple[str, str]] = field(default_factory=list)  # (Mitgliedsnummer, German reason)
    # German: stale meetings, Ortsvereine without a contact, a return line too wide
    warnungen: list[str] = field(default_factory=list)
    haushalte: list[list[str]] = field(default_factory=list)  # Mitgliedsnummern of each letter to a household

    @property
    def anzahl_briefe(self) -> int:
        """How many letters: one per member, but one for all members of a household (``--haushalte``)."""
        return len(self.briefe) - sum(len(h) for h in self.haushalte) + len(self.haushalte)


# --------------------------------------------------------------------------------------------------------
# Salutation, address, postal check, file names
# --------------------------------------------------------------------------------------------------------


def _text(wert: object, *, zeilen: bool = False) -> str:
    """A cell as clean text: no control characters, single spaces; line breaks kept only with ``zeilen``."""
    if wert is None:
        return ""
    if isinstance(wert, float) and wert != wert:  # NaN from a spreadsheet
        return ""
    text = str(wert)
    if zeilen:
        teile = (_text(t) for t in re.split(r"\r\n|[\r\n\v\f]", text))
        return "\n".join(t for t in teile if t)
    text = _XML_VERBOTEN.sub("", text.replace("\x0b", " ").replace("\x0c", " "))
    return _LEERRAUM.sub(" ", text).strip()


def _datum_de(wert: object) -> str:
    """A date as a letter prints it (31.03.2026): from a date or the store's ISO text; nothing for none (a join
    date no export had)."""
    if isinstance(wert, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", wert):
        with contextlib.suppress(ValueError):
            wert = date.fromisoformat(wert)
    if isinstance(wert, datetime):
        wert = wert.date()
    if isinstance(wert, date):
        return wert.strftime("%d.%m.%Y")
    return _text(wert)


def _eintritt_de(member: dict) -> str:
    """The join date as a letter prints it: an estimate (the Stand of the export the member first showed in, see
    README „Exporte ohne Eintrittsdatum“) says so, nothing for one no export had."""
    eintritt = member.get("eintrittsdatum")
    if isinstance(eintritt, str):  # the store's text: its day; nothing for one that is no day (a hand edit)
        eintritt = dt.gespeicherter_tag(eintritt)
    text = _datum_de(eintritt)
    return f"{text} (geschätzt)" if text and member.get("eintritt_geschaetzt") else text


def _geschlecht(member: dict) -> str:
    roh = _text(member.get("geschlecht")).lower()
    if roh[:1] in ("w", "f"):
        return "w"
    if roh[:1] == "m":
        return "m"
    if roh[:1] in ("d", "x"):
        return "d"
    anrede = _text(member.get("anrede")).lower().rstrip(".")
    if anrede == "frau":
        return "w"
    if anrede in ("herr", "herrn"):
        return "m"
    return "unbekannt"


def _formatieren(muster: str, werte: dict[str, str], wo: str) -> str:
    """``str.format`` for config texts, allowing only the named fields; a wrong one is a config error."""
    import string

    erlaubt = ", ".join("{" + name + "}" for name in werte)
    try:
        for _, name, spec, umwandlung in string.Formatter().parse(muster):
            if name is not None and (name not in werte or spec or umwandlung):
                raise KonfigFehler(
                    f"mitglieder.toml, {wo}: unbekannter Platzhalter „{{{name}}}“ in „{muster}“. Erlaubt: {erlaubt}."
                )
        ergebnis = muster.format_map(werte)
    except ValueError:
        raise KonfigFehler(
            f"mitglieder.toml, {wo}: „{muster}“ hat eine offene oder überzählige geschweifte Klammer.",
            hint=f"Platzhalter stehen in einfachen geschweiften Klammern, z. B. {erlaubt}.",
        ) from None
    return _LEERRAUM.sub(" ", ergebnis).replace(" ,", ",").strip()


def ansprache(config: dict) -> str:
    """``du`` or ``sie`` from ``[anrede] ansprache``; anything else is a config error."""
    wert = _text((config.get("anrede") or {}).get("ansprache")).lower() or "du"
    if wert not in ANSPRACHEN:
        raise KonfigFehler(
            f"mitglieder.toml, [anrede] ansprache = „{wert}“: erlaubt sind „du“ und „sie“.",
            hint='Für förmliche Briefe: ansprache = "sie".',
        )
    return wert


def hoechster_titel(titel: str) -> str:
    """The title for the salutation: only the highest academic one ("Prof. Dr. Dr. h.c." -> "Prof.").

    DIN 5008 names in the salutation only the highest title, abbreviated; degrees such as Dipl.-Ing. or M.A. are
    not part of a salutation.
    """
    if re.search(r"\bprof", titel, re.IGNORECASE):
        return "Prof."
    if re.search(r"\bdr\b", titel, re.IGNORECASE):
        return "Dr."
    return ""


def anrede_zeile(member: dict, config: dict) -> str:
    """The salutation line, e.g. "Liebe Erika," — per gender from ``config["anrede"]``, neutral if unknown.

    ``{vorname}`` is the first given name only ("Karl-Theodor" of "Karl-Theodor Maria Nikolaus"), ``{vornamen}``
    all of them; ``{titel}`` the highest academic title only.
    """
    formen = dict(ANREDE_STANDARD)
    for schluessel, form in (config.get("anrede") or {}).items():
        if schluessel in formen and isinstance(form, str) and form.strip():
            formen[schluessel] = form
    if ansprache(config) == "sie":
        # the config fills in the Du forms as defaults: where they are left as they are, the Sie forms stand in
        formen = {k: ANREDE_SIE[k] if f == ANREDE_STANDARD[k] else f for k, f in formen.items()}
    vornamen = _text(member.get("vorname"))
    werte = {
        "vorname": vornamen.split(" ")[0],
        "vornamen": vornamen,
        "nachname": _text(member.get("nachname")),
        "titel": hoechster_titel(_text(member.get("titel"))),
    }
    schluessel = _geschlecht(member)
    if not werte["vorname"]:
        schluessel = "unbekannt"  # "Liebe ," would be worse than the neutral form with the surname
    return _formatieren(formen[schluessel], werte, f"[anrede] {schluessel}")


def _ist_inland(member: dict) -> bool:
    return _text(member.get("land")).lower().rstrip(".") in _INLAND


def _plz(member: dict) -> str:
    plz = _text(member.get("plz"))
    if _ist_inland(member) and plz.isdigit() and len(plz) == 4:
        plz = plz.zfill(5)  # a spreadsheet ate the leading zero: 1067 -> 01067
    return plz


def _strasse(member: dict) -> str:
    strasse = _text(member.get("strasse"))
    hausnummer = _text(member.get("hausnummer"))
    if not hausnummer:
        return strasse
    if strasse.lower().endswith(hausnummer.lower()) and (
        len(strasse) == len(hausnummer) or not strasse[-len(hausnummer) - 1].isalnum()
    ):
        return strasse  # "Musterweg 12" with hausnummer "12": the number is there already
    return f"{strasse} {hausnummer}".strip()


def anschrift_zeilen(member: dict) -> list[str]:
    """The recipient lines after DIN 5008: name with title, Adresszusatz, street, PLZ Ort (abroad in capitals)."""
    name = " ".join(t for t in (_text(member.get(k)) for k in ("titel", "vorname", "nachname")) if t)
    zusatz = [z for z in _text(member.get("adresszusatz"), zeilen=True).split("\n") if z]
    strasse = _strasse(member)
    plz = _plz(member)
    ort = _text(member.get("ort"))
    if _ist_inland(member):
        schluss = [f"{plz} {ort}".strip()]
    else:
        land = _text(member.get("land"))
        schluss = [f"{plz} {ort.upper()}".strip(), _LAENDER.get(land.lower().rstrip("."), land.upper())]
    zeilen = [name, *zusatz, strasse, *schluss]
    return [z for z in zeilen if z]


def _breite_pt(text: str, groesse: float = _ANSCHRIFT_SCHRIFT_PT, reserve: float = _SICHERHEIT) -> float:
    """How wide ``text`` prints in Arial of ``groesse`` points (the address font by default), in points."""
    einheiten = 0
    for zeichen in text:
        breite = _ARIAL_BREITEN.get(zeichen)
        if breite is None:  # Ä, é, ø …: as wide as the letter without its accent
            basis = unicodedata.normalize("NFD", zeichen)[:1]
            breite = _ARIAL_BREITEN.get(basis, 556)
        einheiten += breite
    return einheiten * groesse / 1000 * reserve


def zeilen_im_fenster(zeilen: list[str]) -> int:
    """How many lines the address takes in the window once lines too long for 85 mm wrap (at spaces, as Word does)."""
    gesamt = 0
    leer = _breite_pt(" ")
    for zeile in zeilen:
        anzahl, aktuell = 1, 0.0
        for wort in zeile.split(" "):
            breite = _breite_pt(wort)
            if aktuell and aktuell + leer + breite <= _ANSCHRIFT_BREITE_PT:
                aktuell += leer + breite
                continue
            if aktuell:  # the word goes to the next line
                anzahl += 1
            while breite > _ANSCHRIFT_BREITE_PT:  # a word longer than a line breaks anywhere
                anzahl += 1
                breite -= _ANSCHRIFT_BREITE_PT
            aktuell = breite
        gesamt += anzahl
    return gesamt


def postfaehig(member: dict) -> str | None:
    """``None`` if a letter can go to this member, else the German reason why not."""
    if member.get("keine_post"):
        return "Sperrvermerk keine Post"
    if not (_text(member.get("vorname")) or _text(member.get("nachname"))):
        return "kein Name"
    strasse, ort, plz = _text(member.get("strasse")), _text(member.get("ort")), _plz(member)
    if not (strasse or ort or plz):
        return "keine Anschrift"
    if not strasse:
        return "Anschrift unvollständig: Straße fehlt"
    if not ort:
        return "Anschrift unvollständig: Ort fehlt"
    if _ist_inland(member):
        if not plz:
            return "Anschrift unvollständig: PLZ fehlt"
        if not (plz.isdigit() and len(plz) == 5):
            return "Anschrift unvollständig: PLZ ist keine fünfstellige deutsche Postleitzahl"
    # measured as it will wrap: a line cut at the window's edge or below it would not reach the member
    noetig = zeilen_im_fenster(anschrift_zeilen(member))
    if noetig > MAX_ANSCHRIFT_ZEILEN:
        return (
            f"Anschrift braucht {noetig} Zeilen, ins Fenster passen {MAX_ANSCHRIFT_ZEILEN} "
            "(bitte Adresszusatz oder Namen in der Mitgliederverwaltung kürzen)"
        )
    return None


def _haushalt_schluessel(member: dict) -> tuple[str, ...]:
    """Members with the same address below the name (Adresszusatz, street, PLZ, Ort, country) live together."""
    return tuple(z.casefold() for z in anschrift_zeilen(member)[1:])


def haushalt_anschrift(members: list[dict]) -> list[str]:
    """The address of a letter to everyone of a household: "Erika und Max Mustermann", else one name a line."""
    namen = [anschrift_zeilen(m)[0] for m in members]
    vornamen = [_text(m.get("vorname")) for m in members]
    nachnamen = {_text(m.get("nachname")) for m in members}
    if (
        len(members) == 2
        and len(nachnamen) == 1
        and all(vornamen)
        and not any(_text(m.get("titel")) for m in members)
    ):
        namen = [f"{vornamen[0]} und {vornamen[1]} {nachnamen.pop()}"]
    return [*namen, *anschrift_zeilen(members[0])[1:]]


def haushalt_anrede(members: list[dict], config: dict) -> str:
    """One salutation line for several people, as DIN 5008 writes it: "Liebe Erika, lieber Max,"."""
    zeilen = [anrede_zeile(m, config).rstrip(",").strip() for m in members]
    return ", ".join([zeilen[0], *(z[:1].lower() + z[1:] for z in zeilen[1:])]) + ","


def _sendungen(empfaenger: list[dict], haushalte: bool) -> list[list[dict]]:
    """The letters to write: one per member, or with ``haushalte`` one per address (if the names still fit)."""
    if not haushalte:
        return [[m] for m in empfaenger]
    gruppen: dict[tuple[str, ...], list[dict]] = {}
    for member in empfaenger:
        gruppen.setdefault(_haushalt_schluessel(member), []).append(member)
    sendungen: list[list[dict]] = []
    for gruppe in gruppen.values():
        if len(gruppe) > 1 and zeilen_im_fenster(haushalt_anschrift(gruppe)) <= MAX_ANSCHRIFT_ZEILEN:
            sendungen.append(gruppe)
        else:  # too many names for the window: everyone gets a letter of their own
            sendungen.extend([m] for m in gruppe)
    return sendungen


def _dateiteil(text: str, laenge: int) -> str:
    text = unicodedata.normalize("NFC", text)
    sicher = "".join(z if (z.isalnum() or z in "-.") else "-" for z in text)
    sicher = re.sub(r"-{2,}", "-", sicher).strip("-. ")
    return sicher[:laenge].rstrip("-. ")


def dateiname(member: dict) -> str:
    """``<Mitgliedsnummer>_<Nachname>_<Vorname>.docx``, safe on Linux, macOS and Windows; umlauts kept."""
    teile = [
        _dateiteil(_text(member.get("mitgliedsnummer")), 30) or "ohne-Nummer",
        _dateiteil(_text(member.get("nachname")), 40),
        _dateiteil(_text(member.get("vorname")), 30),
    ]
    stamm = "_".join(t for t in teile if t)
    if stamm.split(".")[0].lower() in _WINDOWS_RESERVIERT:
        stamm = "_" + stamm
    return f"{stamm}.docx"


# --------------------------------------------------------------------------------------------------------
# Template context
# --------------------------------------------------------------------------------------------------------


def _org(config: dict) -> dict:
    org = dict(config.get("organisation") or {})
    for schluessel in ("name", "partei", "absender_zeile", "telefon", "email", "webseite", "unterschrift"):
        org.setdefault(schluessel, "")
    org.setdefault("funktion", "")
    return org


def verfuegbare_felder(config: dict) -> set[str]:
    """Every placeholder a letter can fill with this config: names, and ``section.key`` for config values."""
    felder = set(MITGLIEDSFELDER) | set(ALLGEMEINE_FELDER)
    felder |= {f"mitglied.{k}" for k in _MITGLIED_SCHLUESSEL}
    abschnitte = {name: wert for name, wert in config.items() if isinstance(wert, dict)}
    abschnitte["organisation"] = _org(config)
    for name, wert in abschnitte.items():
        if name in MITGLIEDSFELDER or name in ALLGEMEINE_FELDER - {"organisation"}:
            continue  # the letter's own value wins over a config section of the same name ("anrede")
        felder.add(name)
        felder |= {f"{name}.{k}" for k in wert}
    return felder


def _allgemeiner_kontext(config: dict, stichtag: date) -> dict[str, Any]:
    org = _org(config)
    kontext: dict[str, Any] = {
        name: wert for name, wert in config.items() if isinstance(wert, dict) and name not in MITGLIEDSFELDER
    }
    kontext.update(
        organisation=org,
        absender_zeile=_text(org["absender_zeile"]),
        partei=_text(org["partei"]) or _text(org["name"]),
        webseite=_text(org["webseite"]),
        unterschrift=_text(org["unterschrift"]),
        funktion=_text(org["funktion"]),
        datum=stichtag.strftime("%d.%m.%Y"),
        qr_code="",
    )
    return kontext


def _mitglied_kontext(
    member: dict, config: dict, basis: dict[str, Any], angaben: kontaktangaben.Kontaktangaben
) -> dict[str, Any]:
    org = basis["organisation"]
    ortsverein = _text(member.get("ortsverein"))
    zeilen = anschrift_zeilen(member)
    anrede = anrede_zeile(member, config)
    werte = {
        "vorname": _text(member.get("vorname")),
        "nachname": _text(member.get("nachname")),
        "titel": _text(member.get("titel")),
        "partei": basis["partei"],
        "organisation": _text(org["name"]),
        "ortsverein": ortsverein,
    }
    betreff = (config.get("briefe") or {}).get("betreff") or BETREFF_STANDARD
    kontext = dict(basis)
    kontext.update(
        mitgliedsnummer=_text(member.get("mitgliedsnummer")),
        vorname=werte["vorname"],
        nachname=werte["nachname"],
        titel=werte["titel"],
        anrede=anrede,
        anrede_zeile=anrede,
        anschrift_zeilen=zeilen,
        anschrift="\n".join(zeilen),
        ortsverein=ortsverein,
        unterbezirk=_text(member.get("unterbezirk")),
        eintrittsdatum=_eintritt_de(member),
        eintritt_geschaetzt=bool(member.get("eintritt_geschaetzt")),
        # Without an entry for the Ortsverein, the signer and the organisation's numbers stand in; a meeting
        # before the Stichtag is left out (the template's sentence without it is used).
        ansprechperson=angaben.ansprechperson,
        ansprechperson_telefon=angaben.telefon,
        ansprechperson_email=angaben.email,
        naechstes_treffen=angaben.naechstes_treffen,
        betreff=_formatieren(betreff, werte, "[briefe] betreff"),
        mitglied={k: _datum_de(member.get(k)) for k in _MITGLIED_SCHLUESSEL}
        | {"eintrittsdatum": _eintritt_de(member)},
    )
    return kontext


def _xml_wert(wert: object):
    """Jinja ``finalize``: escape for XML, drop characters XML forbids, line breaks and tabs become Word's."""
    from markupsafe import Markup, escape

    if wert is None:
        return Markup("")
    if isinstance(wert, Markup):
        text = str(wert)
    else:
        if isinstance(wert, (date, datetime)):
            wert = _datum_de(wert)
        text = str(escape(str(wert)))
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _XML_VERBOTEN.sub("", text)
    if "\n" in text:
        text = text.replace("\n", '</w:t><w:br/><w:t xml:space="preserve">')
    if "\t" in text:
        text = text.replace("\t", '</w:t><w:tab/><w:t xml:space="preserve">')
    return Markup(text)


_UMGEBUNG = None


def _umgebung():
    global _UMGEBUNG
    if _UMGEBUNG is None:
        # Sandboxed: a template is a document people pass around, it must not be able to run code.
        from jinja2.sandbox import SandboxedEnvironment

        _UMGEBUNG = SandboxedEnvironment(autoescape=True, finalize=_xml_wert, keep_trailing_newline=True)
    return _UMGEBUNG


# --------------------------------------------------------------------------------------------------------
# The prepared template
# --------------------------------------------------------------------------------------------------------

_REL_OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
_REL_EINMAL = ("/header", "/footer", "/footnotes", "/endnotes")
_CT_VORLAGE = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
_CT_DOKUMENT = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_P_MARKE = re.compile(r"<w:p(?=[\s>/])[^>]*?(/?)>|</w:p>")
_DOCPR_ID = re.compile(r'(<wp:docPr\b[^>]*?\bid=")\d+(")')
_QR_REL_ID = "rIdMitgliederQr"
_QR_PART = "word/media/mitgliederarbeit-qr.png"
_QR_MM = 20


def _teilname(basis: str, ziel: str) -> str:
    """Resolve a relationship target against the folder of the part that holds the relationship."""
    if ziel.startswith("/"):
        return ziel.lstrip("/")
    teile = [t for t in basis.split("/")[:-1] if t]
    for stueck in ziel.split("/"):
        if stueck == "..":
            if teile:
                teile.pop()
        elif stueck not in ("", "."):
            teile.append(stueck)
    return "/".join(teile)


def _rels_name(teil: str) -> str:
    ordner, _, name = teil.rpartition("/")
    return f"{ordner}/_rels/{name}.rels" if ordner else f"_rels/{name}.rels"


def _beziehungen(teile: dict[str, bytes], teil: str) -> list[tuple[str, str, str]]:
    """(Id, Type, target part) of the relationships of ``teil``."""
    import xml.etree.ElementTree as ET

    roh = teile.get(_rels_name(teil)) if teil else teile.get("_rels/.rels")
    if roh is None:
        return []
    ergebnis = []
    for rel in ET.fromstring(roh):
        if rel.get("TargetMode") == "External":
            continue
        ergebnis.append((rel.get("Id", ""), rel.get("Type", ""), _teilname(teil, rel.get("Target", ""))))
    return ergebnis


def _ohne_tags(xml: str) -> str:
    import html

    text = re.sub(r"<w:(?:br|tab|cr)\b[^>]*/>", " ", xml)
    text = html.unescape(re.sub(r"<[^>]+>", "", text))
    return _LEERRAUM.sub(" ", text).strip()


_JINJA_DEUTSCH = (
    ("unexpected end of template", "die Vorlage endet, bevor ein Platzhalter oder Block geschlossen ist"),
    ("expected token 'end of print statement'", "ein Platzhalter ist nicht mit }} geschlossen"),
    ("unexpected '}'", "eine geschweifte Klammer zu viel oder zu wenig"),
    ("unexpected char", "ein Zeichen, das in einem Platzhalter nicht stehen darf"),
    ("encountered unknown tag", "ein unbekannter Befehl in {% … %}"),
    ("no filter named", "ein unbekannter Filter hinter |"),
    ("no test named", "ein unbekannter Test hinter „is“"),
    ("expected token", "ein Platzhalter ist unvollständig"),
)


_BLOCK = re.compile(r"\{%-?p?\s*(end)?(if|for)\b")


def _offener_block(zeilen: list[str]) -> tuple[int, str] | None:
    """The line (1-based) and kind of the last ``{% if %}``/``{% for %}`` that is never closed."""
    offen: list[tuple[int, str]] = []
    for nummer, zeile in enumerate(zeilen, start=1):
        for m in _BLOCK.finditer(_ohne_tags(zeile) if "<" in zeile else zeile):
            if m[1]:
                if offen and offen[-1][1] == m[2]:
                    offen.pop()
            else:
                offen.append((nummer, m[2]))
    return offen[-1] if offen else None


def _syntaxfehler(datei: str, wo: str, exc: Exception, quelle: str) -> VorlagenFehler:
    meldung = str(getattr(exc, "message", None) or exc)
    grund = next((de for en, de in _JINJA_DEUTSCH if en.lower() in meldung.lower()), None)
    zeilen = quelle.splitlines()
    nummer = getattr(exc, "lineno", None) or len(zeilen)
    if "unexpected end of template" in meldung.lower():
        # Jinja points at the template's end; the place to fix is the block opened and never closed
        block = _offener_block(zeilen)
        if block is not None:
            nummer = block[0]
            grund = f"zu einem {{% {block[1]} … %}} fehlt das schließende {{% end{block[1]} %}}"
    umgebung = _ohne_tags(" ".join(zeilen[max(nummer - 2, 0) : nummer + 1]))
    if len(umgebung) > 160:
        stelle = max(umgebung.find("{"), 0)
        umgebung = ("…" if stelle > 40 else "") + umgebung[max(stelle - 40, 0) : stelle + 110] + "…"
    # Jinja's own words (English) only where we have no German for them
    grund = grund or f"ein Syntaxfehler (Jinja meldet: {meldung})"
    return VorlagenFehler(
        f"Die Vorlage {datei} hat einen Fehler in einem Platzhalter{wo}: {grund}. Die Stelle: „{umgebung}“",
        hint="Platzhalter stehen in doppelten geschweiften Klammern, z. B. {{ vorname }}; "
        "Bedingungen so: {% if naechstes_treffen %} … {% endif %}.",
    )


class _Vorlage:
    """A template read and compiled once; renders one letter body per member."""

    def __init__(self, pfad: Path) -> None:
        import xml.etree.ElementTree as ET

        self.pfad = pfad
        try:
            self._laden()
        except (ET.ParseError, UnicodeDecodeError):
            raise VorlagenFehler(
                f"Die Vorlage {pfad.name} ist beschädigt: ein Teil der DOCX-Datei ist kein lesbares XML.",
                hint="Bitte die Vorlage in Word oder LibreOffice öffnen und neu als .docx speichern.",
            ) from None

    def _laden(self) -> None:
        pfad = self.pfad
        self.teile = self._lesen(pfad)
        self.reihenfolge = list(self.teile)
        rels = _beziehungen(self.teile, "")
        self.dokument = next((ziel for _, typ, ziel in rels if typ == _REL_OFFICE), "word/document.xml")
        if self.dokument not in self.teile:
            raise VorlagenFehler(f"Die Vorlage {pfad.name} enthält kein Word-Dokument.")
        self.einmal = [
            ziel
            for _, typ, ziel in _beziehungen(self.teile, self.dokument)
            if typ.endswith(_REL_EINMAL) and ziel in self.teile
        ]
        self._dokument_zerlegen()
        self.vorlagen: dict[str, Any] = {}
        self.quellen: dict[str, str] = {}
        self._kompilieren(self.dokument, self.rumpf)
        for teil in self.einmal:
            self._kompilieren(teil, self.teile[teil].decode("utf-8"))

    @staticmethod
    def _lesen(pfad: Path) -> dict[str, bytes]:
        import zipfile

        if not pfad.is_file():
            raise VorlagenFehler(f"Die Vorlage {pfad} gibt es nicht.", hint="Bitte den Pfad prüfen.")
        try:
            with zipfile.ZipFile(pfad) as archiv:
                teile = {
                    i.filename: archiv.read(i) for i in archiv.infolist() if not i.filename.endswith("/")
                }
        except (zipfile.BadZipFile, OSError, RuntimeError, zlib.error):
            raise VorlagenFehler(
                f"Die Vorlage {pfad.name} ist keine lesbare DOCX-Datei (oder sie ist mit einem Passwort geschützt).",
                hint="Bitte die Vorlage in Word oder LibreOffice als „Word-Dokument (.docx)“ ohne Kennwort speichern.",
            ) from None
        typen = teile.get("[Content_Types].xml", b"").decode("utf-8", "replace")
        if "macroEnabled" in typen:
            raise VorlagenFehler(
                f"Die Vorlage {pfad.name} enthält Makros (.docm); das wird nicht unterstützt.",
                hint="Bitte als „Word-Dokument (.docx)“ speichern.",
            )
        if _CT_VORLAGE in typen:  # a .dotx: the letters are documents, not templates
            teile["[Content_Types].xml"] = typen.replace(_CT_VORLAGE, _CT_DOKUMENT).encode("utf-8")
        return teile

    def _dokument_zerlegen(self) -> None:
        xml = self.teile[self.dokument].decode("utf-8")
        anfang = re.search(r"<w:body(?:\s[^>]*)?>", xml)
        ende = xml.rfind("</w:body>")
        if not anfang or ende < 0:
            raise VorlagenFehler(f"Die Vorlage {self.pfad.name} enthält kein lesbares Word-Dokument.")
        self.kopf, rumpf, self.fuss = xml[: anfang.end()], xml[anfang.end() : ende], xml[ende:]
        start = rumpf.rfind("<w:sectPr")
        if start >= 0 and rumpf.rstrip().endswith("</w:sectPr>"):
            self.abschnitt = rumpf[start:].rstrip()
            rumpf = rumpf[:start]
        else:
            self.abschnitt = ""
        # Word's paragraph ids and bookmarks must be unique in a document: drop them, Word makes new ones.
        rumpf = re.sub(r'\s(?:w14:paraId|w14:textId)="[^"]*"', "", rumpf)
        rumpf = re.sub(r"<w:bookmark(?:Start|End)\b[^>]*/>", "", rumpf)
        self.rumpf = rumpf
        ohne_typ = re.sub(r"<w:type\b[^>]*/>", "", self.abschnitt)
        self.abschnitt_erster = ohne_typ  # every letter starts on a new page
        self.abschnitt_folge = re.sub(r"<w:(?:header|footer)Reference\b[^>]*/>", "", ohne_typ)

    def _kompilieren(self, teil: str, xml: str) -> None:
        from docxtpl import DocxTemplate  # type: ignore[import-untyped]
        from jinja2 import TemplateSyntaxError

        gepatcht = DocxTemplate(self.pfad).patch_xml(xml)
        if "{" not in gepatcht:
            return
        # One paragraph per line, so an error's line number points at the paragraph (as docxtpl does).
        mit_zeilen = re.sub(r"<w:p([ >])", r"\n<w:p\1", gepatcht)
        self.quellen[teil] = mit_zeilen
        wo = "" if teil == self.dokument else " in der Kopf- oder Fußzeile"
        try:
            self.vorlagen[teil] = _umgebung().from_string(gepatcht)
        except TemplateSyntaxError as exc:
            fehler = exc
            try:  # again with line breaks, for a line number that points at the paragraph
                _umgebung().from_string(mit_zeilen)
            except TemplateSyntaxError as genauer:
                fehler = genauer
            raise _syntaxfehler(self.pfad.name, wo, fehler, mit_zeilen) from None

    def platzhalter(self, teil: str) -> tuple[set[str], set[str]]:
        """Top-level names and ``name.key`` look-ups a part uses."""
        from jinja2 import meta, nodes

        if teil not in self.quellen:
            return set(), set()
        baum = _umgebung().parse(self.quellen[teil])
        namen = set(meta.find_undeclared_variables(baum))
        punkte = set()
        for knoten in baum.find_all((nodes.Getattr, nodes.Getitem)):
            ziel = knoten.node
            if not (isinstance(ziel, nodes.Name) and ziel.name in namen):
                continue
            if isinstance(knoten, nodes.Getattr):
                punkte.add(f"{ziel.name}.{knoten.attr}")
            elif isinstance(knoten.arg, nodes.Const) and isinstance(knoten.arg.value, str):
                punkte.add(f"{ziel.name}.{knoten.arg.value}")
        return namen, punkte

    def pruefen(self, felder: set[str]) -> None:
        import difflib

        globale = set(_umgebung().globals)
        mit_schluesseln = {f.split(".", 1)[0] for f in felder if "." in f}
        fehlend: list[str] = []
        im_kopf: list[str] = []
        for teil in [self.dokument, *self.einmal]:
            namen, punkte = self.platzhalter(teil)
            for name in sorted(namen - globale):
                if name not in felder:
                    if name not in fehlend:
                        fehlend.append(name)
                elif teil != self.dokument and name in MITGLIEDSFELDER and name not in im_kopf:
                    im_kopf.append(name)
            for punkt in sorted(punkte):
                if punkt.split(".", 1)[0] in mit_schluesseln and punkt not in felder and punkt not in fehlend:
                    fehlend.append(punkt)
        if fehlend:
            wichtige = sorted(
                f
                for f in felder
                if f in MITGLIEDSFELDER or f in ALLGEMEINE_FELDER or f.startswith("organisation.")
            )
            vorschlaege = []
            for name in fehlend:
                nah = difflib.get_close_matches(name, sorted(felder), n=1, cutoff=0.75)
                vorschlaege.append("{{ " + name + " }}" + (f" (gemeint: {{{{ {nah[0]} }}}}?)" if nah else ""))
            raise VorlagenFehler(
                f"Die Vorlage {self.pfad.name} enthält Platzhalter, die mit den vorhandenen Daten nicht gefüllt "
                f"werden können: {', '.join(vorschlaege)}. Es wurde nichts geschrieben.",
                hint="Verfügbar sind: "
                + ", ".join("{{ " + n + " }}" for n in wichtige)
                + " und jeder Wert aus mitglieder.toml als {{ abschnitt.schluessel }}.",
            )
        if im_kopf:
            raise VorlagenFehler(
                f"In der Kopf- oder Fußzeile der Vorlage {self.pfad.name} stehen Platzhalter, die für jedes "
                f"Mitglied anders sind: {', '.join('{{ ' + n + ' }}' for n in im_kopf)}. Es wurde nichts geschrieben.",
                hint="Dort gehen nur allgemeine Angaben wie {{ organisation.name }} oder {{ datum }}; "
                "persönliche Angaben gehören in den Brieftext.",
            )

    def _rendern(self, teil: str, kontext: dict[str, Any]) -> str:
        from jinja2 import TemplateError

        vorlage = self.vorlagen.get(teil)
        if vorlage is None:
            return self.rumpf if teil == self.dokument else self.teile[teil].decode("utf-8")
        try:
            text = vorlage.render(kontext)
        except TemplateError as exc:
            raise VorlagenFehler(
                f"Die Vorlage {self.pfad.name} lässt sich nicht ausfüllen: {exc}. Es wurde nichts geschrieben."
            ) from None
        except (TypeError, ValueError, AttributeError, ArithmeticError) as exc:
            raise VorlagenFehler(
                f"Die Vorlage {self.pfad.name} lässt sich nicht ausfüllen: ein Platzhalter rechnet mit einem "
                f"Wert, der nicht passt ({type(exc).__name__}: {exc})."
            ) from None
        if "{_" in text or "_}" in text:  # docxtpl's escapes for literal braces
            text = text.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
        return text

    def rumpf_rendern(self, kontext: dict[str, Any]) -> str:
        return self._rendern(self.dokument, kontext)

    def statische_teile(self, kontext: dict[str, Any], qr_png: bytes | None) -> list[tuple[str, bytes]]:
        """Every part except the document, headers and footers rendered with the general values."""
        teile = dict(self.teile)
        for teil in self.einmal:
            if teil in self.vorlagen:
                teile[teil] = self._rendern(teil, kontext).encode("utf-8")
        if qr_png is not None:
            teile[_QR_PART] = qr_png
            rels_name = _rels_name(self.dokument)
            rels = teile.get(rels_name, b"").decode("utf-8") or (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>'
            )
            ziel = _QR_PART.split("/", 1)[1] if self.dokument.startswith("word/") else "/" + _QR_PART
            eintrag = (
                f'<Relationship Id="{_QR_REL_ID}" Target="{ziel}" '
                'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"/>'
            )
            teile[rels_name] = rels.replace("</Relationships>", eintrag + "</Relationships>").encode("utf-8")
            typen = teile["[Content_Types].xml"].decode("utf-8")
            if not re.search(r'<Default\s+Extension="png"', typen, re.IGNORECASE):
                typen = typen.replace(
                    "</Types>", '<Default Extension="png" ContentType="image/png"/></Types>'
                )
                teile["[Content_Types].xml"] = typen.encode("utf-8")
        reihenfolge = [*self.reihenfolge, *(t for t in teile if t not in self.reihenfolge)]
        # The document itself is a placeholder here: _ZipBauer puts each letter's body in its place.
        return [(t, b"" if t == self.dokument else teile[t]) for t in reihenfolge]

    def braucht_qr(self) -> bool:
        return "qr_code" in self.platzhalter(self.dokument)[0]

    def dokument_xml(self, rumpf: str, abschnitt: str | None = None) -> bytes:
        return (self.kopf + rumpf + (self.abschnitt if abschnitt is None else abschnitt) + self.fuss).encode(
            "utf-8"
        )


def _abschnittsende(rumpf: str, abschnitt: str) -> str:
    """Close a letter with a section break, inside its last paragraph so it never adds an empty page."""
    if not abschnitt:
        return rumpf + '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'
    inhalt = rumpf.rstrip()
    if inhalt.endswith("</w:p>"):
        offen: list[re.Match[str]] = []
        letzter = None
        for marke in _P_MARKE.finditer(inhalt):
            if marke.group(0) == "</w:p>":
                if offen:
                    letzter = offen.pop()
            elif not marke.group(1):
                offen.append(marke)
        if letzter is not None and not offen:
            nach = letzter.end()
            if inhalt.startswith("<w:pPr/>", nach):
                return inhalt[:nach] + f"<w:pPr>{abschnitt}</w:pPr>" + inhalt[nach + len("<w:pPr/>") :]
            if inhalt.startswith("<w:pPr>", nach) or inhalt.startswith("<w:pPr ", nach):
                ende = inhalt.find("</w:pPr>", nach)
                aenderung = inhalt.find("<w:pPrChange", nach, ende)
                stelle = aenderung if aenderung >= 0 else ende
                return inhalt[:stelle] + abschnitt + inhalt[stelle:]
            return inhalt[:nach] + f"<w:pPr>{abschnitt}</w:pPr>" + inhalt[nach:]
    return inhalt + f"<w:p><w:pPr>{abschnitt}</w:pPr></w:p>"


# --------------------------------------------------------------------------------------------------------
# Zip writing: the unchanged parts are compressed once and copied as bytes
# --------------------------------------------------------------------------------------------------------

_DOS_DATUM = (2026 - 1980) << 9 | 1 << 5 | 1  # 01.01.2026, 00:00: reproducible output


class _ZipBauer:
    def __init__(self, teile: list[tuple[str, bytes]], dokument: str) -> None:
        self.dokument = dokument
        self.eintraege = [
            None if name == dokument else self._eintrag(name, daten, 6) for name, daten in teile
        ]

    @staticmethod
    def _eintrag(name: str, daten: bytes, stufe: int) -> tuple[bytes, int, bytes, int]:
        packer = zlib.compressobj(stufe, zlib.DEFLATED, -15)
        return name.encode("utf-8"), zlib.crc32(daten), packer.compress(daten) + packer.flush(), len(daten)

    def schreiben(self, ziel: BinaryIO, dokument_xml: bytes, stufe: int = 6) -> None:
        doc = self._eintrag(self.dokument, dokument_xml, stufe)
        verzeichnis = []
        position = 0
        for eintrag in self.eintraege:
            name, crc, gepackt, groesse = doc if eintrag is None else eintrag
            if max(position, groesse, len(gepackt)) >= 0xFFFFFFFF:
                raise MitgliederError(
                    "Das Briefdokument wird zu groß (über 4 GB). Bitte ohne --ein-dokument."
                )
            flags = 0 if name.isascii() else 0x800
            kopf = struct.pack(
                "<IHHHHHIIIHH",
                0x04034B50,
                20,
                flags,
                8,
                0,
                _DOS_DATUM,
                crc,
                len(gepackt),
                groesse,
                len(name),
                0,
            )
            ziel.write(kopf + name)
            ziel.write(gepackt)
            verzeichnis.append(
                struct.pack(
                    "<IHHHHHHIIIHHHHHII",
                    0x02014B50,
                    20,
                    20,
                    flags,
                    8,
                    0,
                    _DOS_DATUM,
                    crc,
                    len(gepackt),
                    groesse,
                    len(name),
                    0,
                    0,
                    0,
                    0,
                    0,
                    position,
                )
                + name
            )
            position += len(kopf) + len(name) + len(gepackt)
        zentral = b"".join(verzeichnis)
        ziel.write(zentral)
        ziel.write(
            struct.pack(
                "<IHHHHIIH", 0x06054B50, 0, 0, len(verzeichnis), len(verzeichnis), len(zentral), position, 0
            )
        )


# --------------------------------------------------------------------------------------------------------
# Checking and writing
# --------------------------------------------------------------------------------------------------------


def pruefe_vorlage(vorlage: Path, verfuegbare_felder: set[str]) -> None:
    """Raise :class:`VorlagenFehler` for a syntax error or any placeholder the data cannot fill."""
    _Vorlage(Path(vorlage)).pruefen(set(verfuegbare_felder))


def standard_vorlage(config: dict, haushalt: bool = False) -> Path:
    """The shipped template: the Sie variant when ``[anrede] ansprache = "sie"``; ``haushalt``: the plural letter."""
    from mitgliederarbeit.vorlagen import vorlagen_ordner

    ordner = vorlagen_ordner()
    if haushalt:
        pfad = ordner / STANDARD_VORLAGE_HAUSHALT[ansprache(config)]
        if not pfad.is_file():
            raise VorlagenFehler(
                f"Die Vorlage für Briefe an Haushalte {pfad} fehlt. Es wurde nichts geschrieben."
            )
        return pfad
    if ansprache(config) == "sie":
        sie = ordner / STANDARD_VORLAGE_SIE
        if not sie.is_file():
            raise VorlagenFehler(
                f'[anrede] ansprache = "sie", aber die Sie-Vorlage {sie} fehlt. Es wurde nichts geschrieben.',
                hint="Neu erzeugen: python -m mitgliederarbeit.ausgaben.briefvorlage "
                f"{sie} --sie – oder mit --vorlage eine eigene Vorlage angeben.",
            )
        return sie
    return ordner / STANDARD_VORLAGE


def libreoffice() -> str | None:
    """The LibreOffice program for PDF conversion, or ``None`` when it is not installed."""
    import shutil

    return shutil.which("soffice") or shutil.which("libreoffice")


def _pdf_fehlt() -> PdfFehler:
    return PdfFehler(
        "Für --pdf wird LibreOffice gebraucht, es ist aber nicht installiert (Programm „soffice“ nicht gefunden).",
        hint="Installieren: Linux „sudo apt install libreoffice-writer“, macOS „brew install --cask libreoffice“, "
        "Windows „winget install TheDocumentFoundation.LibreOffice“ – oder von https://www.libreoffice.org. "
        "Ohne --pdf werden die Briefe als DOCX geschrieben.",
    )


def _qr_png(url: str) -> bytes | None:
    try:
        import segno
    except ImportError:
        return None
    puffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(puffer, kind="png", scale=8, border=0)
    return puffer.getvalue()


def _qr_xml() -> str:
    emu = _QR_MM * 36000
    abstand = 4 * 36000
    return (
        '</w:t></w:r><w:r><w:drawing><wp:anchor xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/'
        f'wordprocessingDrawing" distT="0" distB="0" distL="{abstand}" distR="0" simplePos="0" '
        'relativeHeight="2" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="0">'
        '<wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="margin"><wp:align>right</wp:align></wp:positionH>'
        '<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>'
        f'<wp:extent cx="{emu}" cy="{emu}"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
        '<wp:wrapSquare wrapText="bothSides"/><wp:docPr id="9001" name="QR-Code" descr="QR-Code zur Webseite"/>'
        '<wp:cNvGraphicFramePr/><a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
        '<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        '<pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        '<pic:nvPicPr><pic:cNvPr id="0" name="qr.png"/><pic:cNvPicPr/></pic:nvPicPr>'
        '<pic:blipFill><a:blip xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
        f'r:embed="{_QR_REL_ID}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
        f'<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{emu}" cy="{emu}"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic>'
        '</wp:anchor></w:drawing></w:r><w:r><w:t xml:space="preserve">'
    )


def _eindeutige_namen(members: list[dict]) -> list[str]:
    vergeben: set[str] = set()
    namen = []
    for member in members:
        name = dateiname(member)
        stamm, nummer = name[: -len(".docx")], 2
        while name.lower() in vergeben:
            name = f"{stamm}-{nummer}.docx"
            nummer += 1
        vergeben.add(name.lower())
        namen.append(name)
    return namen


def _pdf_schreiben(programm: str, docx_dateien: list[Path], ordner: Path, ergebnis: list[Path]) -> None:
    """Convert with LibreOffice headless in a private profile, then move the PDFs in (0600, never over a file).

    Each PDF is added to ``ergebnis`` as soon as it is in place, so that a failure later removes it too."""
    import subprocess

    from mitgliederarbeit.dateien import arbeitsordner_temp, schreiben

    with arbeitsordner_temp("pdf") as arbeit:
        profil = Path(arbeit) / "profil"
        aus = Path(arbeit) / "pdf"
        aus.mkdir(mode=0o700)
        # A private profile: a LibreOffice the user has open would otherwise swallow the request silently.
        for start in range(0, len(docx_dateien), 100):
            stapel = docx_dateien[start : start + 100]
            befehl = [
                programm,
                f"-env:UserInstallation={profil.as_uri()}",
                "--headless",
                "--norestore",
                "--convert-to",
                "pdf",
                "--outdir",
                str(aus),
                *(str(d) for d in stapel),
            ]
            try:
                lauf = subprocess.run(
                    befehl,
                    capture_output=True,
                    stdin=subprocess.DEVNULL,
                    timeout=120 + 10 * len(stapel),
                    check=False,
                )
            except (OSError, subprocess.TimeoutExpired) as exc:
                raise PdfFehler(f"LibreOffice konnte die Briefe nicht in PDF umwandeln: {exc}.") from None
            for docx in stapel:
                pdf = aus / (docx.stem + ".pdf")
                if not pdf.is_file():
                    meldung = lauf.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [
                        "ohne Meldung"
                    ]
                    raise PdfFehler(
                        f"LibreOffice hat {docx.name} nicht in PDF umgewandelt ({meldung[0]}).",
                        hint="Ohne --pdf entstehen nur die DOCX-Dateien; sie lassen sich auch in Word als PDF "
                        "speichern.",
                    )
                ziel = ordner / pdf.name
                ergebnis.append(schreiben(ziel, functools.partial(_kopieren, pdf)))
                pdf.unlink()


def schreibe_briefe(
    members: list[dict],
    config: dict,
    ausgabe: Path,
    *,
    stichtag: date,
    vorlage: Path | None = None,
    ein_dokument: bool = False,
    pdf: bool = False,
    trockenlauf: bool = False,
    haushalte: bool = False,
    fortschritt: Callable[[int, int], None] | None = None,
) -> BriefErgebnis:
    """Write one welcome letter per member (or one document with all of them) into the folder ``ausgabe``.

    Members without a usable postal address or with ``keine_post`` are left out and listed. The template is
    checked before anything is written; no existing file is ever overwritten. With ``haushalte`` members at one
    address get one letter together (the shipped plural template, or ``vorlage`` with ``{{ haushalt }}`` true).
    """
    ausgabe = Path(ausgabe)
    ergebnis = BriefErgebnis(ordner=ausgabe)
    empfaenger = _empfaenger(members, ergebnis)
    programm = libreoffice() if pdf else None
    if pdf and programm is None:
        raise _pdf_fehlt()
    sendungen = _sendungen(empfaenger, haushalte)
    lauf = _Brieflauf.vorbereiten(config, stichtag, vorlage, empfaenger, sendungen)
    ergebnis.warnungen = lauf.warnungen(config, stichtag)
    lauf.probelauf(sendungen)  # errors that only show when filling, before anything is written

    namen = (
        [EIN_DOKUMENT_NAME] if ein_dokument and empfaenger else _eindeutige_namen([s[0] for s in sendungen])
    )
    ziele = [ausgabe / n for n in namen]
    pdf_ziele = [z.with_suffix(".pdf") for z in ziele] if pdf else []
    _ziele_pruefen(ausgabe, [*ziele, *pdf_ziele])
    ergebnis.briefe = [_text(m.get("mitgliedsnummer")) for sendung in sendungen for m in sendung]
    ergebnis.haushalte = [[_text(m.get("mitgliedsnummer")) for m in s] for s in sendungen if len(s) > 1]
    if trockenlauf or not empfaenger:
        ergebnis.dateien = [*ziele, *pdf_ziele] if trockenlauf else []
        return ergebnis
    _schreiben(lauf, sendungen, ziele, ergebnis, ein_dokument=ein_dokument, programm=programm,
               fortschritt=fortschritt)  # fmt: skip
    return ergebnis


def _empfaenger(members: list[dict], ergebnis: BriefErgebnis) -> list[dict]:
    """The members a letter can reach; the others are listed in ``ergebnis.ausgelassen`` with the reason."""
    empfaenger = []
    for member in members:
        grund = postfaehig(member)
        if grund:
            ergebnis.ausgelassen.append((_text(member.get("mitgliedsnummer")), grund))
        else:
            empfaenger.append(member)
    return empfaenger


@dataclass
class _Brieflauf:
    """What every letter of a run is filled from: the templates (checked), the common values, the Ortsvereine's
    contact details and the QR code."""

    config: dict
    einzeln: _Vorlage  # the template of a letter to one member
    plural: _Vorlage  # the template of a letter to a household (the same one for an own template)
    basis: dict[str, Any]
    angaben: dict[str, Any]
    qr_png: bytes | None = None

    @classmethod
    def vorbereiten(
        cls,
        config: dict,
        stichtag: date,
        vorlage: Path | None,
        empfaenger: list[dict],
        sendungen: list[list[dict]],
    ) -> _Brieflauf:
        einzeln = _Vorlage(Path(vorlage) if vorlage is not None else standard_vorlage(config))
        einzeln.pruefen(verfuegbare_felder(config))
        plural = einzeln
        if any(len(s) > 1 for s in sendungen) and vorlage is None:
            plural = _Vorlage(standard_vorlage(config, haushalt=True))
            plural.pruefen(verfuegbare_felder(config))
        ansprache(config)  # a wrong value stops the run before anything is written
        basis = _allgemeiner_kontext(config, stichtag)
        ovs = dict.fromkeys(_text(m.get("ortsverein")) for m in empfaenger)
        angaben = {ov: kontaktangaben.angaben(config, ov, stichtag) for ov in ovs}
        _angaben_pruefen(config, einzeln, plural, angaben.values())
        lauf = cls(config, einzeln, plural, basis, angaben)
        if basis["webseite"] and einzeln.braucht_qr():
            lauf.qr_png = _qr_png(basis["webseite"])
            if lauf.qr_png is not None:
                from markupsafe import Markup

                basis["qr_code"] = Markup(_qr_xml())
        return lauf

    def warnungen(self, config: dict, stichtag: date) -> list[str]:
        result = kontaktangaben.warnungen(self.angaben.values(), config, stichtag, "in den Briefen")
        # Measured in Arial itself: a second line of the return line still lies in its zone, so only a line that
        # wraps in Word is worth a warning (not one that wraps only in a wider substitute font).
        zeile = self.basis["absender_zeile"]
        if _breite_pt(zeile, _RUECKSENDUNG_SCHRIFT_PT, reserve=1) > _ANSCHRIFT_BREITE_PT:
            result.append(
                f"Die Rücksendeangabe „{zeile}“ ist breiter als das Anschriftfeld (85 mm) und "
                "bricht in eine zweite Zeile um; DIN 5008 sieht eine Zeile vor. Bitte in mitglieder.toml "
                "[organisation] absender_zeile kürzen (z. B. ohne Ortsnamen nach der PLZ oder mit Abkürzungen)."
            )
        return result

    def kontext(self, sendung: list[dict]) -> tuple[_Vorlage, dict[str, Any]]:
        """The template and the values of one letter (to one member, or to a household)."""
        erster = sendung[0]
        werte = _mitglied_kontext(
            erster, self.config, self.basis, self.angaben[_text(erster.get("ortsverein"))]
        )
        if len(sendung) == 1:
            return self.einzeln, werte
        zeilen = haushalt_anschrift(sendung)
        anrede = haushalt_anrede(sendung, self.config)
        werte.update(
            haushalt=True,
            anrede=anrede,
            anrede_zeile=anrede,
            anschrift_zeilen=zeilen,
            anschrift="\n".join(zeilen),
        )
        return self.plural, werte

    def probelauf(self, sendungen: list[list[dict]]) -> None:
        """Fill the first letter and the first household's, so a template error shows before anything is written."""
        for probe in sendungen[:1] + [s for s in sendungen if len(s) > 1][:1]:
            vorlage, werte = self.kontext(probe)
            vorlage.rumpf_rendern(werte)


# At most this many Ortsvereine are named in a line about missing settings (a Landesverband has hundreds).
_FEHLEND_OV_HOECHSTENS = 5


def _ortsvereine_genannt(namen: list[str]) -> str:
    namen = sorted(namen, key=str.casefold)
    gezeigt = [f"„{n}“" for n in namen[:_FEHLEND_OV_HOECHSTENS]]
    if len(namen) > _FEHLEND_OV_HOECHSTENS:
        gezeigt.append(f"{len(namen) - _FEHLEND_OV_HOECHSTENS} weitere")
    return ("den Ortsverein " if len(namen) == 1 else "die Ortsvereine ") + aufzaehlung(gezeigt)


def fehlende_angaben(
    config: dict, namen: set[str], angaben: Iterable[kontaktangaben.Kontaktangaben]
) -> list[str]:
    """The settings a template's placeholders (``namen``: top-level names and ``name.key``) need but the config
    leaves empty, one German line each: "[organisation] unterschrift: wer unterschreibt …".

    Only what the template uses counts, so an own template without a return line needs no ``absender_zeile``.
    """
    import string

    org = _org(config)

    def leer(schluessel: str) -> bool:
        return not _text(org[schluessel])

    betreff_felder: set[str] = set()
    muster = (config.get("briefe") or {}).get("betreff") or BETREFF_STANDARD
    if "betreff" in namen:
        with contextlib.suppress(ValueError):  # a broken pattern is named when the subject is filled
            betreff_felder = {name for _, name, _, _ in string.Formatter().parse(muster) if name}
    beispiel = muster.replace("{partei}", "…").replace("{organisation}", "…")
    zeilen = []
    if ("partei" in namen or "partei" in betreff_felder) and leer("partei") and leer("name"):
        wofuer = (
            f"für den Betreff „{beispiel}“" if "partei" in betreff_felder else "für {{ partei }} im Brief"
        )
        zeilen.append(f"[organisation] partei (oder name): {wofuer}")
    if leer("name") and ("organisation.name" in namen or "organisation" in betreff_felder):
        wofuer = (
            "der Absender im Briefkopf" if "organisation.name" in namen else f"für den Betreff „{beispiel}“"
        )
        zeilen.append(f"[organisation] name: {wofuer}")
    for schluessel in ("partei", "absender_zeile", "unterschrift"):
        if f"organisation.{schluessel}" in namen:
            namen = namen | {schluessel}
    if "absender_zeile" in namen and leer("absender_zeile"):
        zeilen.append("[organisation] absender_zeile: die Rücksendeangabe über der Anschrift")
    angaben = list(angaben)
    ohne_person = [a.ortsverein for a in angaben if not a.ansprechperson]
    unterschrift_fehlt = "unterschrift" in namen and leer("unterschrift")
    if unterschrift_fehlt:
        zusatz = (
            "; zugleich die Ansprechperson, wo ein Ortsverein keine eigene hat"
            if "ansprechperson" in namen
            else ""
        )
        zeilen.append(f"[organisation] unterschrift: wer unterschreibt{zusatz}")
    if "ansprechperson" in namen and ohne_person and not unterschrift_fehlt:
        zeilen.append(
            '[ortsvereine."NAME"] ansprechperson oder [organisation] unterschrift: die Ansprechperson im Brief – '
            f"fehlt für {_ortsvereine_genannt(ohne_person)}"
        )
    if namen & {"ansprechperson_telefon", "ansprechperson_email"}:
        unerreichbar = [a.ortsverein for a in angaben if not (a.telefon or a.email)]
        if unerreichbar:
            zeilen.append(
                '[organisation] telefon oder email (oder je Ortsverein [ortsvereine."NAME"] telefon, email): die '
                f"Kontaktdaten, auf die der Brief verweist – fehlen für {_ortsvereine_genannt(unerreichbar)}"
            )
    return zeilen


def _angaben_pruefen(
    config: dict,
    einzeln: _Vorlage,
    plural: _Vorlage,
    angaben: Iterable[kontaktangaben.Kontaktangaben],
) -> None:
    """Stop before anything is written when the config leaves empty what the templates print (README „Briefe
    nach mitglieder init“): a letter „Willkommen in der !“ without a signer must not go out and count as sent."""
    namen: set[str] = set()
    for vorlage in {id(einzeln): einzeln, id(plural): plural}.values():
        for teil in [vorlage.dokument, *vorlage.einmal]:
            oben, punkte = vorlage.platzhalter(teil)
            namen |= oben | punkte
    zeilen = fehlende_angaben(config, namen, angaben)
    if zeilen:
        raise FehlendeAngaben(
            f"In mitglieder.toml fehlen Angaben, die die Vorlage {einzeln.pfad.name} braucht; die Briefe wären "
            "sonst unvollständig. Es wurde nichts geschrieben und nichts vermerkt.\n"
            + "\n".join(f"  {z}" for z in zeilen),
            hint="Bitte in mitglieder.toml eintragen und das # am Anfang der Zeile entfernen, z. B. im Abschnitt "
            '[organisation]: partei = "…", unterschrift = "…". Eine eigene Vorlage (--vorlage), die diese '
            "Angaben nicht verwendet, braucht sie nicht.",
        )


def _ziele_pruefen(ausgabe: Path, ziele: list[Path]) -> None:
    """Stop before anything is written when ``ausgabe`` is a file or a letter's file exists already."""
    if ausgabe.exists() and not ausgabe.is_dir():
        raise BriefDateiVorhanden(
            f"{ausgabe} ist eine Datei, kein Ordner.", hint="Bitte mit --ausgabe einen Ordner angeben."
        )
    vorhanden = [z for z in ziele if z.exists()]
    if vorhanden:
        mehr = f" und {len(vorhanden) - 1} weitere" if len(vorhanden) > 1 else ""
        raise BriefDateiVorhanden(
            f"{vorhanden[0]}{mehr} gibt es schon und wird nicht überschrieben. Es wurde nichts geschrieben.",
            hint="Bitte einen anderen Ordner mit --ausgabe angeben oder die alten Briefe löschen.",
        )


def _schreiben(
    lauf: _Brieflauf,
    sendungen: list[list[dict]],
    ziele: list[Path],
    ergebnis: BriefErgebnis,
    *,
    ein_dokument: bool,
    programm: str | None,
    fortschritt: Callable[[int, int], None] | None,
) -> None:
    """Write the letters (and their PDFs); a run that stops halfway removes what it wrote."""
    from mitgliederarbeit.dateien import ordner_anlegen, schreiben

    ausgabe = ergebnis.ordner
    neuer_ordner = not ausgabe.exists()
    ordner_anlegen(ausgabe)
    bauer = _ZipBauer(lauf.einzeln.statische_teile(lauf.basis, lauf.qr_png), lauf.einzeln.dokument)
    kontexte = (lauf.kontext(sendung) for sendung in sendungen)
    gesamt = len(sendungen)
    try:
        if ein_dokument:
            xml = _ein_dokument_xml(lauf.einzeln, kontexte, gesamt, fortschritt)
            ergebnis.dateien.append(schreiben(ziele[0], functools.partial(_zip_in_datei, bauer, xml, 1)))
        else:
            for nummer, ((vorlage, werte), ziel) in enumerate(zip(kontexte, ziele), start=1):
                xml = lauf.einzeln.dokument_xml(vorlage.rumpf_rendern(werte))
                ergebnis.dateien.append(schreiben(ziel, functools.partial(_zip_in_datei, bauer, xml, 6)))
                if fortschritt:
                    fortschritt(nummer, gesamt)
        if programm:
            _pdf_schreiben(programm, list(ergebnis.dateien), ausgabe, ergebnis.dateien)
    except BaseException as exc:
        # A run that stops halfway (a full disk, LibreOffice failing, Ctrl-C) leaves no letter behind: letters that
        # are neither recorded as contacts nor in the log must not lie around with addresses in them (README).
        geloescht = _wieder_loeschen(ergebnis.dateien, ausgabe if neuer_ordner else None)
        if isinstance(exc, MitgliederError) and geloescht:
            raise type(exc)(
                f"{exc.message} Die {geloescht} schon geschriebenen Dateien wurden wieder gelöscht; es wurde "
                "nichts erfasst.",
                hint=exc.hint,
            ) from None
        raise


def _wieder_loeschen(dateien: list[Path], ordner: Path | None) -> int:
    """Remove the files of an interrupted run (and the folder it created, if empty); returns how many."""
    import contextlib

    anzahl = 0
    for datei in dateien:
        with contextlib.suppress(OSError):
            datei.unlink()
            anzahl += 1
    if ordner is not None:
        with contextlib.suppress(OSError):
            ordner.rmdir()
    return anzahl


def _kopieren(quelle: Path, ziel: Path) -> None:
    import shutil

    shutil.copyfile(quelle, ziel)


def _zip_in_datei(bauer: _ZipBauer, dokument_xml: bytes, stufe: int, pfad: Path) -> None:
    with open(pfad, "wb") as datei:
        bauer.schreiben(datei, dokument_xml, stufe)


def _ein_dokument_xml(
    prepared: _Vorlage,
    kontexte: Iterable[tuple[_Vorlage, dict[str, Any]]],
    gesamt: int,
    fortschritt: Callable[[int, int], None] | None,
) -> bytes:
    """All letters in one body, each closed by its own section break so every page keeps the DIN layout.

    Each letter's body comes from its own template (a letter to a household from the plural one); the page setup
    and headers are those of ``prepared``, the shipped templates share them.
    """
    stuecke = []
    zaehler = iter(range(10000, 1 << 30))  # above ids Word gives drawings in headers
    for nummer, (vorlage, kontext) in enumerate(kontexte, start=1):
        rumpf = vorlage.rumpf_rendern(kontext)
        if "<wp:docPr" in rumpf:  # drawing ids must be unique in the document
            rumpf = _DOCPR_ID.sub(lambda m: f"{m.group(1)}{next(zaehler)}{m.group(2)}", rumpf)
        if nummer < gesamt:
            abschnitt = prepared.abschnitt_erster if nummer == 1 else prepared.abschnitt_folge
            rumpf = _abschnittsende(rumpf, abschnitt)
        stuecke.append(rumpf)
        if fortschritt:
            fortschritt(nummer, gesamt)
    letzter = prepared.abschnitt if gesamt == 1 else prepared.abschnitt_folge
    return prepared.dokument_xml("".join(stuecke), letzter)


# --------------------------------------------------------------------------------------------------------
# The command: a segment from the store -> letters -> one contact of kind "brief" per letter
# --------------------------------------------------------------------------------------------------------


@dataclass
class BriefLauf:
    """What ``mitglieder briefe`` did: the letters, the segment they came from, and what was recorded."""

    segment: str
    ergebnis: BriefErgebnis
    trockenlauf: bool = False
    erfasst: int = 0  # contacts of kind "brief" recorded
    # members who had a contact "brief" on this day already (one per member, kind and day, as ``kontakt`` keeps)
    schon_vermerkt: int = 0
    tag: date | None = None  # the day the letters are recorded on (the Stichtag)
    schon_brief: int = 0  # members of the segment who had a welcome letter already (left out unless --erneut)
    erneut: bool = False

    @property
    def warnungen(self) -> list[str]:
        return self.ergebnis.warnungen

    def as_json(self) -> dict[str, Any]:
        gruende: dict[str, int] = {}
        for _nr, grund in self.ergebnis.ausgelassen:
            gruende[grund] = gruende.get(grund, 0) + 1
        return {
            "ordner": str(self.ergebnis.ordner),
            "briefe": self.ergebnis.anzahl_briefe,  # letters, as the text and the files count them
            "mitglieder": len(self.ergebnis.briefe),  # members they go to (more with --haushalte)
            "ausgelassen": gruende,
            "ausgelassen_mitglieder": [
                {"mitgliedsnummer": nr, "grund": grund} for nr, grund in self.ergebnis.ausgelassen
            ],
            "dateien": [str(p) for p in self.ergebnis.dateien],
            "segment": self.segment,
            "trockenlauf": self.trockenlauf,
            "erfasst": self.erfasst,
            "schon_vermerkt": self.schon_vermerkt,
            "schon_brief": self.schon_brief,
            "warnungen": self.warnungen,
            "haushalte": [list(h) for h in self.ergebnis.haushalte],
        }


def briefe(
    ordner: Any,
    *,
    segment: str | None = None,
    ortsverein: list[str] | None = None,
    vorlage: Path | None = None,
    ausgabe: Path | None = None,
    ein_dokument: bool = False,
    pdf: bool = False,
    trockenlauf: bool = False,
    erneut: bool = False,
    haushalte: bool = False,
    fortschritt: Callable[[int, int], None] | None = None,
) -> BriefLauf:
    """Welcome letters for a segment (default ``[briefe] segment``), each recorded as a contact of kind ``brief``.

    Members who had a welcome letter already (a contact of kind ``brief``) are left out and counted, unless
    ``erneut``: a segment such as ``neu`` must not send a second welcome by accident.
    """
    from mitgliederarbeit.auswertung import segmente
    from mitgliederarbeit.bestand import speicher

    config = ordner.config
    name = segment or config["briefe"]["segment"]
    auswahl = segmente.auswaehlen(ordner, name, ortsverein=ortsverein)
    empfaenger = auswahl.mitglieder
    schon_brief = 0
    if not erneut and empfaenger:
        store = speicher.oeffnen(ordner.pfad)
        try:
            mit_brief = {
                r[0] for r in store.conn.execute("SELECT DISTINCT nr FROM kontakte WHERE art = 'brief'")
            }
        finally:
            store.close()
        empfaenger = [m for m in auswahl.mitglieder if m["nr"] not in mit_brief]
        schon_brief = len(auswahl.mitglieder) - len(empfaenger)
    if vorlage is None and config["briefe"]["vorlage"]:
        vorlage = ordner.pfad / config["briefe"]["vorlage"]
    if vorlage is not None and not Path(vorlage).is_file():
        raise VorlagenFehler(
            f"Die Vorlage {vorlage} gibt es nicht.",
            hint="Bitte den Pfad prüfen; die mitgelieferte Vorlage liegt in templates/.",
        )
    ziel = ausgabe or ordner.ausgabe_ordner("briefe")
    try:
        result = schreibe_briefe(
            empfaenger,
            config,
            ziel,
            stichtag=ordner.stichtag,
            vorlage=vorlage,
            ein_dokument=ein_dokument,
            pdf=pdf,
            trockenlauf=trockenlauf,
            haushalte=haushalte,
            fortschritt=fortschritt,
        )
    except FehlendeAngaben as exc:
        from mitgliederarbeit.config import KONFIG_DATEI

        if (ordner.pfad / KONFIG_DATEI).is_file():
            raise
        raise FehlendeAngaben(
            exc.message,
            hint=f"Eine {KONFIG_DATEI} gibt es in {ordner.pfad} noch nicht: „mitglieder init“ legt sie mit allen "
            "Schlüsseln an, dann dort eintragen und das # am Anfang der Zeile entfernen.",
        ) from None
    result.warnungen[:0] = segmente.saetze(auswahl.warnungen)
    if erneut and segmente.basis(auswahl.name, config) == "neu-ohne-brief":
        result.warnungen.append(
            f"--erneut ändert am Segment „{auswahl.name}“ nichts: Darin ist nur, wer noch keinen Brief hat. Einen "
            "zweiten Willkommensbrief an die Neumitglieder schreibt: mitglieder briefe --segment neu --erneut"
        )
    lauf = BriefLauf(
        segment=auswahl.name,
        ergebnis=result,
        trockenlauf=trockenlauf,
        schon_brief=schon_brief,
        erneut=erneut,
        tag=ordner.stichtag,
    )
    if trockenlauf or not result.briefe:
        return lauf
    from mitgliederarbeit.bestand import kontakte

    by_number = {m["mitgliedsnummer"]: m["nr"] for m in auswahl.mitglieder}
    tag = ordner.stichtag
    store = speicher.oeffnen(ordner.pfad)
    try:
        with store.transaktion() as conn:
            for nummer in result.briefe:
                nr = by_number[nummer]
                # the rule of ``kontakt``: one contact per member, kind and day, so --erneut run twice is one letter
                if kontakte.schon_erfasst(conn, nr, "brief", tag):
                    lauf.schon_vermerkt += 1
                elif kontakte.eintragen(
                    conn,
                    nr,
                    "brief",
                    tag,
                    quelle=f"briefe:{result.ordner.name}",
                    schluessel=f"brief:{nr}:{tag.isoformat()}:{result.ordner}",
                ):
                    lauf.erfasst += 1
            speicher.protokollieren(conn, "briefe", auswahl.name, len(result.briefe), result.ordner)
    finally:
        store.close()
    return lauf
