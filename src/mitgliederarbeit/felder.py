"""The fields of a member, defined once: every list of fields elsewhere is derived from :data:`FELDER`.

A field is read from an export column (its synonyms are in :mod:`einlesen.spalten`), normalized by its ``art``
(:mod:`einlesen.normalisieren`), and, if ``gespeichert``, kept in a column of the same name in the store's
``mitglieder`` table. Fields that are only read (a block note, "contact wanted: no") set the blocked channels.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Feld:
    """One field of a member as exports have it."""

    name: str
    label: str  # German, for messages
    # how the cell is normalized: text, nummer, geschlecht, plz, land, datum, telefon, email, flag (a blocked
    # channel), sperrvermerk (free text naming blocked channels), wunsch ("contact wanted", inverted to a flag)
    art: str = "text"
    gespeichert: bool = True  # a column of the members' table
    persoenlich: bool = False  # identifies or reaches a person (names, address, birth day, phone, e-mail)
    # compared between exports for "Änderungen" (the Ortsverein is a Wechsel and the Austrittsdatum an Austritt,
    # each counted on its own; the number is the member)
    verglichen: bool = True
    blockiert: str | None = None  # for ``wunsch``: the flag a "no" sets


FELDER: tuple[Feld, ...] = (
    Feld("mitgliedsnummer", "Mitgliedsnummer", "nummer", verglichen=False),
    Feld("anrede", "Anrede"),
    Feld("titel", "Titel"),
    Feld("geschlecht", "Geschlecht", "geschlecht"),
    Feld("vorname", "Vorname", persoenlich=True),
    Feld("nachname", "Nachname", persoenlich=True),
    Feld("strasse", "Straße", persoenlich=True),
    Feld("hausnummer", "Hausnummer", persoenlich=True),
    Feld("adresszusatz", "Adresszusatz", persoenlich=True),
    Feld("plz", "PLZ", "plz", persoenlich=True),
    Feld("ort", "Ort", persoenlich=True),
    Feld("land", "Land", "land"),
    Feld("geburtsdatum", "Geburtsdatum", "datum", persoenlich=True),
    Feld("eintrittsdatum", "Eintrittsdatum", "datum"),
    Feld("austrittsdatum", "Austrittsdatum", "datum", verglichen=False),
    Feld("telefon", "Telefon", "telefon", persoenlich=True),
    Feld("mobil", "Mobil", "telefon", persoenlich=True),
    Feld("email", "E-Mail", "email", persoenlich=True),
    Feld("ortsverein", "Ortsverein", verglichen=False),
    Feld("unterbezirk", "Unterbezirk"),
    Feld("kein_anruf", "kein Anruf", "flag"),
    Feld("keine_post", "keine Post", "flag"),
    Feld("keine_email", "keine E-Mail", "flag"),
    Feld("sperrvermerk", "Sperrvermerk", "sperrvermerk", gespeichert=False, verglichen=False),
    Feld("anruf_erwuenscht", "Telefonkontakt erwünscht", "wunsch", False, False, False, "kein_anruf"),
    Feld("post_erwuenscht", "Post erwünscht", "wunsch", False, False, False, "keine_post"),
    Feld("email_erwuenscht", "E-Mail erwünscht", "wunsch", False, False, False, "keine_email"),
)

FELD: dict[str, Feld] = {f.name: f for f in FELDER}
NAMEN: tuple[str, ...] = tuple(FELD)  # every field an export column can be mapped to
LABELS: dict[str, str] = {f.name: f.label for f in FELDER}
# the members' table's columns that come from an export, in the table's order
GESPEICHERT: tuple[str, ...] = tuple(f.name for f in FELDER if f.gespeichert)
VERGLICHEN: tuple[str, ...] = tuple(f.name for f in FELDER if f.gespeichert and f.verglichen)
DATUMSFELDER: tuple[str, ...] = tuple(f.name for f in FELDER if f.art == "datum")
FLAGS: tuple[str, ...] = tuple(f.name for f in FELDER if f.art == "flag")  # the channels a member may block
TEXTFELDER: tuple[str, ...] = tuple(f.name for f in FELDER if f.art == "text")  # kept as the cell's text
WUENSCHE: tuple[tuple[str, str], ...] = tuple((f.name, f.blockiert) for f in FELDER if f.blockiert)
PERSOENLICH: tuple[str, ...] = tuple(f.name for f in FELDER if f.persoenlich)
# a row without these is rejected (and without a name: Vorname or Nachname)
PFLICHT: tuple[str, ...] = ("mitgliedsnummer", "eintrittsdatum", "ortsverein")
