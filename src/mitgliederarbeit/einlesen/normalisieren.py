"""Turning the cells of one export row into normalized member fields, with problems as data.

Rules (PRODUCT.md): a row without Mitgliedsnummer, name, Eintrittsdatum or Ortsverein, a repeated number, or an
impossible date is rejected; a bad optional value (phone, e-mail, PLZ, birth date) is a warning: the value is kept
as it was and flagged. Repeated values (phone numbers, dates, PLZ) are cached: exports repeat them a lot.

Each rule is written once: the value rules in the functions below (:func:`plz`, :func:`telefon`, ...), the
required values in :data:`PFLICHTEN`, the rules between dates in :data:`REGELN`. :func:`normalize_row` words them
for one row; :mod:`spaltenweise` uses the same tables and functions for whole columns.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from mitgliederarbeit import felder
from mitgliederarbeit.datum import UngueltigesDatum, de, parse_datum
from mitgliederarbeit.nummern import nummer_gekuerzt, nummer_key, nummer_text
from mitgliederarbeit.telefon import telefon, telefon_direkt, telefon_pruefen

INLAND = {"", "d", "de", "deu", "deutschland", "germany", "brd", "bundesrepublik deutschland"}
_EMAIL = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]{2,}$")
_JA = {"ja", "j", "x", "1", "-1", "true", "wahr", "yes", "y", "ok"}
_NEIN = {"nein", "n", "0", "false", "falsch", "no", ""}


@dataclass(frozen=True)
class Problem:
    """One problem of one row: rejected (``schwer``) or a warning. ``zeile`` is the spreadsheet's row number."""

    zeile: int
    feld: str | None
    meldung: str
    schwer: bool = True


def text(value: object) -> str | None:
    """A cell as text: numbers written the way a person would (12345.0 -> "12345")."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, float):
        if value != value:
            return None
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, date):
        return de(value)
    result = str(value).strip()
    return result or None


def parse_flag(value: object) -> bool | None:
    cleaned = (text(value) or "").strip().lower()
    if cleaned in _JA:
        return True
    if cleaned in _NEIN:
        return False
    return None


def sperrvermerk(value: object) -> dict[str, bool]:
    """A free-text block note ("kein Telefon", "keine Post", "ja") -> which channels it blocks."""
    cleaned = (text(value) or "").lower()
    if not cleaned or cleaned in _NEIN or cleaned in {"keine", "keiner", "-"}:
        return {}
    blocks = {}
    if any(w in cleaned for w in ("telefon", "anruf", "tel.", "phone", "call")):
        blocks["kein_anruf"] = True
    if any(w in cleaned for w in ("post", "brief", "schrift")):
        blocks["keine_post"] = True
    if "mail" in cleaned:
        blocks["keine_email"] = True
    if not blocks:  # "ja", "x", "gesperrt", "Kontaktsperre", "keine Werbung": block every channel
        blocks = {"kein_anruf": True, "keine_post": True, "keine_email": True}
    return blocks


_GESCHLECHT = {
    "w": "w",
    "weiblich": "w",
    "f": "w",
    "female": "w",
    "frau": "w",
    "fr": "w",
    "fr.": "w",
    "m": "m",
    "männlich": "m",
    "maennlich": "m",
    "male": "m",
    "herr": "m",
    "hr": "m",
    "hr.": "m",
    "herrn": "m",
    "d": "d",
    "divers": "d",
    "diverse": "d",
    "x": "d",
    "nonbinary": "d",
    "non-binary": "d",
    "inter": "d",
}


def geschlecht(value: object, anrede: str | None) -> str | None:
    cleaned = (text(value) or "").lower()
    if cleaned in _GESCHLECHT:
        return _GESCHLECHT[cleaned]
    first = (anrede or "").split(" ")[0].lower()
    if first in ("frau", "fr."):
        return "w"
    if first in ("herr", "herrn", "hr."):
        return "m"
    return None


def land(value: object) -> str | None:
    cleaned = text(value)
    return None if cleaned is None or cleaned.lower() in INLAND else cleaned


@lru_cache(maxsize=65536)
def plz(value: str, inland: bool) -> tuple[str, bool]:
    """(PLZ, ok). A 4-digit German PLZ lost its zero in Excel: 1067 -> 01067."""
    cleaned = value.strip()
    if not inland:
        return cleaned, True
    if cleaned.isdigit() and len(cleaned) == 4:
        return "0" + cleaned, True
    return cleaned, cleaned.isdigit() and len(cleaned) == 5


# A database's "no date" (MySQL's 0000-00-00, 00.00.0000, with or without a time of 00:00:00): an empty date.
_NULLDATUM = re.compile(r"0{1,4}(?P<t>[-./])0{1,2}(?P=t)0{1,4}(?:[ T]0{1,2}:0{2}(?::0{2}(?:\.0+)?)?)?")


def ist_nulldatum(value: object) -> bool:
    """A database's "no date" (``0000-00-00``): an empty cell, not a date and not an error."""
    return isinstance(value, str) and _NULLDATUM.fullmatch(value.strip()) is not None


@lru_cache(maxsize=262144)
def _datum(value: object, monat_zuerst: bool = False) -> date | None:
    if ist_nulldatum(value):
        return None
    return parse_datum(value, monat_zuerst)


def datum(value: object, monat_zuerst: bool = False) -> date | None:
    """Cached :func:`parse_datum` for hashable cells; a database's null date (``0000-00-00``) is empty.
    ``monat_zuerst``: the column writes month/day/year with "/" (decided once per column, see
    :func:`datum.reihenfolge`)."""
    try:
        return _datum(value, monat_zuerst)
    except TypeError:  # unhashable: never happens for cells, but stay safe
        return parse_datum(value, monat_zuerst)


def datum_monat_zuerst(value: object) -> date | None:
    """:func:`datum` of a column that writes month/day/year."""
    return datum(value, True)


_HAUSNUMMER = re.compile(r"^(?P<strasse>.*?\D)\s*(?P<nr>\d+\s*[a-zA-Z]?(?:\s*[-/]\s*\d+\s*[a-zA-Z]?)?)$")


def strasse_split(value: str) -> tuple[str, str | None]:
    """``"Lindenweg 12a"`` -> ("Lindenweg", "12a"); ``"Straße des 17. Juni 5"`` -> ("Straße des 17. Juni", "5")."""
    m = _HAUSNUMMER.match(value.strip())
    if not m or not m["strasse"].strip(" ,"):
        return value, None
    return m["strasse"].strip(" ,"), re.sub(r"\s+", "", m["nr"])


def name_split(value: str) -> tuple[str | None, str]:
    """``"Müller, Anna"`` -> ("Anna", "Müller"); anything else is a surname alone."""
    if "," in value:
        last, _, first = value.partition(",")
        if last.strip() and first.strip():
            return first.strip(), last.strip()
    return None, value


# Academic titles and degrees as they stand before a name (only these: "c/o Dr. Weber" is an address line).
_GRAD = (
    r"(?:Prof\.|Professor(?:in)?|Jun\.-Prof\.|apl\.\s?Prof\.|PD|Priv\.-Doz\.|"
    r"Dr\.(?:-Ing\.)?(?:\s?(?:med|dent|vet|rer|nat|pol|soc|oec|phil|jur|iur|theol|paed|sc|hum|biol|"
    r"h\.\s?c|mult|habil|troph|agr|forest|publ|math|techn|ing|e\.\s?h)\.)*|"
    r"Dipl\.-[A-ZÄÖÜ][a-zäöüß]*\.?(?:-[A-ZÄÖÜ]?[a-zäöüß]+\.?)*(?:\s?\((?:FH|TU|BA|Univ\.?)\))?|"
    r"Mag\.(?:\s?[a-z]+\.)?|M\.\s?A\.|M\.\s?Sc\.|M\.\s?Eng\.|B\.\s?A\.|B\.\s?Sc\.|B\.\s?Eng\.|LL\.\s?M\.|MBA)"
)
_TITEL = re.compile(rf"{_GRAD}(?:\s*,?\s*{_GRAD})*")


def ist_titel(value: str) -> bool:
    """Whether a cell holds nothing but academic titles ("Dr.", "Prof. Dr. med.", "Dipl.-Ing. (FH)")."""
    return _TITEL.fullmatch(value.strip()) is not None


_ANREDE_WORT = re.compile(r"(Frau|Herrn?|Fr\.|Hr\.)\s+(.+)", re.IGNORECASE)


def anrede_titel(value: str) -> tuple[str | None, str | None]:
    """An Anrede that holds a title: ``"Frau Dr."`` -> ("Frau", "Dr."), ``"Dr."`` -> (None, "Dr."); any other
    -> (the Anrede, None)."""
    cleaned = value.strip()
    if ist_titel(cleaned):
        return None, cleaned
    m = _ANREDE_WORT.fullmatch(cleaned)
    if m and ist_titel(m[2]):
        return m[1], m[2].strip()
    return value, None


def fragezeichen_statt(alt: object, neu: object) -> bool:
    """Whether ``neu`` is ``alt`` with letters the exporting system could not encode replaced by "?"
    ("Popovi?" for "Popović": a Windows-1252 export). Only letters beyond ASCII are ever replaced so."""
    if not isinstance(alt, str) or not isinstance(neu, str) or "?" not in neu:
        return False
    alt = unicodedata.normalize("NFC", alt)
    return len(alt) == len(neu) and all(
        a == n or (n == "?" and a.isalpha() and not a.isascii()) for a, n in zip(alt, neu)
    )


DATUMSFELDER = felder.DATUMSFELDER
FLAGS = felder.FLAGS  # the channels a member may have blocked
FELDER_TEXT = felder.TEXTFELDER


# --------------------------------------------------------------------------------------------------------------
# The rules of a row, each written once. normalize_row words them for one row; the column-wise normalizer
# (spaltenweise) uses the same tables to find the rows that break one, and sends those rows here.
# --------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pflicht:
    """A value a row cannot do without: missing from every field in ``felder``, the row is rejected."""

    feld: str
    felder: tuple[str, ...]
    meldung: str
    # checked only where the export has a column for it: an export without any join-date column comes in (its
    # members' join dates are unknown or estimated, see abgleich), one with the column needs it in every row
    nur_mit_spalte: bool = False


PFLICHTEN: tuple[Pflicht, ...] = (
    Pflicht("mitgliedsnummer", ("mitgliedsnummer",), "Mitgliedsnummer fehlt"),
    Pflicht("nachname", ("vorname", "nachname"), "Name fehlt (weder Vorname noch Nachname)"),
    Pflicht("ortsverein", ("ortsverein",), "Ortsverein fehlt"),
    Pflicht("eintrittsdatum", ("eintrittsdatum",), "Eintrittsdatum fehlt", nur_mit_spalte=True),
)


def _vor_120_jahren(stand: date) -> date:
    return date(stand.year - 120, 1, 1)


@dataclass(frozen=True)
class Regel:
    """A check of dates against each other or the Stand, for the row's field ``feld``.

    ``verletzt(*values, stand)`` is written with operators that work on a date and on a polars column of dates
    alike, so the one rule serves a single row and whole columns. It applies where every value in ``felder``
    is there. ``schwer``: the row is rejected, else warned about (the value is kept).
    """

    feld: str
    felder: tuple[str, ...]
    schwer: bool
    verletzt: Callable[..., Any]
    meldung: Callable[..., str]


REGELN: tuple[Regel, ...] = (
    Regel(
        "eintrittsdatum",
        ("eintrittsdatum",),
        True,
        lambda eintritt, stand: eintritt > stand,
        lambda eintritt, stand: (
            f"Eintrittsdatum {de(eintritt)} liegt nach dem Stand des Exports ({de(stand)})"
        ),
    ),
    Regel(
        "austrittsdatum",
        ("austrittsdatum", "eintrittsdatum"),
        True,
        lambda austritt, eintritt, stand: austritt < eintritt,
        lambda austritt, eintritt, stand: (
            f"Austrittsdatum {de(austritt)} liegt vor dem Eintrittsdatum {de(eintritt)}"
        ),
    ),
    Regel(
        "geburtsdatum",
        ("geburtsdatum",),
        False,
        lambda geburt, stand: (geburt > stand) | (geburt < _vor_120_jahren(stand)),
        lambda geburt, stand: f"Geburtsdatum {de(geburt)} ist unplausibel (übernommen)",
    ),
)


def email_ok(value: str) -> bool:
    return _EMAIL.match(value) is not None


class _Zeile:
    """One row on its way through :func:`normalize_row`: its cells, the record made so far, its problems."""

    def __init__(
        self, cells: dict[str, Any], zeile: int, stand: date, monat_zuerst: frozenset[str] = frozenset()
    ) -> None:
        self.cells = cells
        self.zeile = zeile
        self.stand = stand
        self.monat_zuerst = monat_zuerst
        self.record: dict[str, Any] = {"_zeile": zeile, "_warnfelder": []}
        self.problems: list[Problem] = []

    def warn(self, feld: str, meldung: str) -> None:
        self.problems.append(Problem(self.zeile, feld, meldung, schwer=False))
        self.record["_warnfelder"].append(feld)

    def reject(self, feld: str | None, meldung: str) -> None:
        self.problems.append(Problem(self.zeile, feld, meldung, schwer=True))

    def pflicht(self, feld: str) -> None:
        for p in PFLICHTEN:
            if p.nur_mit_spalte and not any(f in self.cells for f in p.felder):
                continue
            if p.feld == feld and not any(self.record.get(f) for f in p.felder):
                self.reject(p.feld, p.meldung)

    def regeln(self, feld: str) -> None:
        for regel in REGELN:
            values = [self.record.get(f) for f in regel.felder]
            if regel.feld == feld and all(values) and regel.verletzt(*values, self.stand):
                (self.reject if regel.schwer else self.warn)(feld, regel.meldung(*values, self.stand))


def normalize_row(
    cells: dict[str, Any], zeile: int, stand: date, monat_zuerst: frozenset[str] = frozenset()
) -> tuple[dict[str, Any] | None, list[Problem]]:
    """Normalize one row (field -> cell). Returns (record or None if rejected, problems).

    ``monat_zuerst``: the date fields whose column writes month/day/year (``11/23/2019``)."""
    row = _Zeile(cells, zeile, stand, monat_zuerst)
    for schritt in _SCHRITTE:
        schritt(row)
    if any(p.schwer for p in row.problems):
        return None, row.problems
    return row.record, row.problems


def _texte(row: _Zeile) -> None:
    for feld in FELDER_TEXT:
        if feld in row.cells:
            row.record[feld] = text(row.cells[feld])
    if "strasse" in row.cells and "hausnummer" not in row.cells and row.record.get("strasse"):
        row.record["strasse"], row.record["hausnummer"] = strasse_split(row.record["strasse"])
    zusatz = row.record.get("adresszusatz")
    if zusatz and ist_titel(zusatz):
        # an academic title in an address-extra column ("Zusatz"): the title, not a line of the address
        if not row.record.get("titel"):
            row.record["titel"], row.record["adresszusatz"] = zusatz, None
        elif zusatz in row.record["titel"]:
            row.record["adresszusatz"] = None
    anrede = row.record.get("anrede")
    if anrede:
        # a title in the Anrede ("Frau Dr.", CiviCRM's prefix "Dr."): the letter's salutation takes it from titel
        vorne, titel = anrede_titel(anrede)
        if titel is not None and not row.record.get("titel"):
            row.record["titel"], row.record["anrede"] = titel, vorne
        elif titel is not None and titel in row.record["titel"]:
            row.record["anrede"] = vorne


def _nummer(row: _Zeile) -> None:
    number = text(row.cells.get("mitgliedsnummer"))
    if number is not None and nummer_gekuerzt(number):
        row.reject("mitgliedsnummer", gekuerzt_meldung(number))
        return
    if number is not None and (cleaned := nummer_text(number)):
        row.record["mitgliedsnummer"] = cleaned
        row.record["nr"] = nummer_key(cleaned)
    row.pflicht("mitgliedsnummer")


def gekuerzt_meldung(number: str) -> str:
    return (
        f"Mitgliedsnummer „{number}“ ist in Exponentialschreibweise gekürzt (Excel); welche Nummer gemeint ist, "
        "lässt sich nicht mehr erkennen – bitte die Spalte im Export als Text formatieren"
    )


def _name_und_ortsverein(row: _Zeile) -> None:
    record = row.record
    if "nachname" in row.cells and "vorname" not in row.cells and record.get("nachname"):
        # without a Vorname column a Vorname is only known where the name is split ("Müller, Anna")
        vorname, record["nachname"] = name_split(record["nachname"])
        if vorname is not None:
            record["vorname"] = vorname
    row.pflicht("nachname")
    row.pflicht("ortsverein")


def _datum_lesen(row: _Zeile, feld: str, *, schwer: bool) -> None:
    """A date field: an impossible date rejects the row (``schwer``) or is kept as written with a warning."""
    label = felder.LABELS[feld]
    try:
        row.record[feld] = datum(row.cells.get(feld), feld in row.monat_zuerst)
    except UngueltigesDatum as exc:
        if schwer:
            row.record[feld] = None
            row.reject(feld, f"{label}: {exc}")
        else:
            row.record[feld] = text(row.cells.get(feld))
            row.warn(feld, f"{label}: {exc} (übernommen wie angegeben)")
        return
    row.pflicht(feld)
    row.regeln(feld)


def _daten(row: _Zeile) -> None:
    if "eintrittsdatum" in row.cells:
        _datum_lesen(row, "eintrittsdatum", schwer=True)
    if "austrittsdatum" in row.cells:
        _datum_lesen(row, "austrittsdatum", schwer=True)
    if "geburtsdatum" in row.cells:
        _datum_lesen(row, "geburtsdatum", schwer=False)


def _geschlecht(row: _Zeile) -> None:
    if "geschlecht" in row.cells or "anrede" in row.cells:
        row.record["geschlecht"] = geschlecht(row.cells.get("geschlecht"), row.record.get("anrede"))
        raw = text(row.cells.get("geschlecht"))
        if raw and row.record["geschlecht"] is None:
            row.warn("geschlecht", f"Geschlecht „{raw}“ unbekannt (erwartet w/m/d, übernommen)")
            row.record["geschlecht"] = raw


def _anschrift(row: _Zeile) -> None:
    if "land" in row.cells:
        row.record["land"] = land(row.cells.get("land"))
    if "plz" in row.cells:
        raw = text(row.cells.get("plz"))
        row.record["plz"] = None
        if raw:
            row.record["plz"], ok = plz(raw, row.record.get("land") is None)
            if not ok:
                row.warn("plz", f"PLZ „{raw}“ ist keine deutsche Postleitzahl (übernommen)")


def _telefone(row: _Zeile) -> None:
    for feld in ("telefon", "mobil"):
        if feld in row.cells:
            raw = text(row.cells.get(feld))
            row.record[feld] = None
            if raw:
                row.record[feld], ok = telefon(raw)
                if not ok:
                    row.warn(feld, f"{felder.LABELS[feld]} „{raw}“ ist keine gültige Nummer (übernommen)")


def _email(row: _Zeile) -> None:
    if "email" in row.cells:
        raw = text(row.cells.get("email"))
        row.record["email"] = raw
        if raw and not email_ok(raw):
            row.warn("email", f"E-Mail „{raw}“ ist ungültig (übernommen)")


def _kanaele(row: _Zeile) -> None:
    """The blocked channels. Only those the export has a column for are set; the others keep what the store
    knows."""
    cells = row.cells
    flags: dict[str, bool] = {}
    for feld in FLAGS:
        if feld in cells:
            flags[feld] = bool(parse_flag(cells[feld]))
    for feld, blocked in felder.WUENSCHE:
        if feld in cells:
            flags[blocked] = flags.get(blocked, False) or nein_gesagt(cells[feld])
    if "sperrvermerk" in cells:
        blocks = sperrvermerk(cells["sperrvermerk"])
        for feld in FLAGS:
            flags[feld] = flags.get(feld, False) or blocks.get(feld, False)
    row.record.update(flags)


def nein_gesagt(value: object) -> bool:
    """A "no" to "contact wanted" blocks that channel (an empty cell says nothing)."""
    return parse_flag(value) is False and text(value) is not None


_SCHRITTE: tuple[Callable[[_Zeile], None], ...] = (
    _texte,
    _nummer,
    _name_und_ortsverein,
    _daten,
    _geschlecht,
    _anschrift,
    _telefone,
    _email,
    _kanaele,
)


class _Ungueltig:
    """A value :func:`normalize_row` would reject or warn about: that row goes through :func:`normalize_row`."""

    __slots__ = ()


UNGUELTIG: Any = _Ungueltig()


def sicher(fn: Callable[[Any], Any], value: Any) -> Any:
    """``fn(value)``, or :data:`UNGUELTIG` where it raises."""
    try:
        return fn(value)
    except Exception:
        return UNGUELTIG


def telefon_zelle(raw: str | None) -> Any:
    """One phone cell's text -> E.164, ``None`` when empty, :data:`UNGUELTIG` when kept as written and warned
    about."""
    if not raw:
        return None
    value = telefon_direkt(raw)
    if value is not None:
        return value
    value, ok = telefon_pruefen(raw)
    return value if ok else UNGUELTIG


def nummer_zelle(raw: str | None) -> Any:
    """One member number cell's key; :data:`UNGUELTIG` where :func:`normalize_row` rejects or words it."""
    if not raw:
        return None
    if nummer_gekuerzt(raw) or not nummer_text(raw):
        return UNGUELTIG
    return nummer_key(raw)
