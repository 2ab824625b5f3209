"""Returned call lists: every filled row becomes one contact of kind ``anruf``.

A returned call list is read sheet by sheet, columns found by their header (callers move columns, sort rows,
delete sheets, add blank rows). Rows are matched by the Mitgliedsnummer, and by Vorname + Nachname among the
list's members only where the number was deleted (:mod:`zuordnung`).

Decisions (also in the README):

- An empty Datum means the Stichtag of the import. A date after the Stichtag is stored as written and counts
  from that day on (like every contact dated after the Stichtag); the summary says how many.
- "17.9." without a year gets the year that puts it nearest to the list's Stichtag (so at most half a year before
  or after it): 17.9. on a list of 30.09.2026 is 17.09.2026, 5.1. on a list of 15.12.2026 is 05.01.2027.
- A result word that is not one of the dropdown words or a common variant is not guessed (:mod:`anrufwoerter`):
  the row is rejected and listed with sheet and row in the error file.
- A row of a member who left meanwhile is recorded and listed as a warning; a number unknown to the store is
  rejected. Rejected rows go to ``import-fehler-anrufliste-….xlsx`` with the list's columns, so the file can be
  fixed and imported again. Exit code 3.
- A call is one call wherever it comes from: a row whose member already has a call with the same result on the
  same day is not recorded again (the list imported as xlsx and again as CSV, which lost the hidden sheet, or a
  call recorded with ``mitglieder kontakt``). Two results on one day are two calls.
- Every contact has a ``schluessel`` (list id, number, sheet, result, date as written): importing the same list
  twice changes nothing, also on another day when the date was left empty.
- "kein Anruf gewünscht" sets ``sperre_anruf``; "falsche Nummer" flags the number shown on the list (the one the
  result or note names – "Handy", "Mobil", "Festnetz" – or, without a hint, every number shown), "will
  austreten" sets ``will_austreten`` to the call's date; interests are merged into ``mitglieder.interessen``.
- A phone number the caller changed in the column "Telefon" or "Mobil" is not stored: the store keeps what the
  Mitgliederverwaltung exported (the next export would undo it). The summary names the member and the new number,
  to be changed there.

The result carries the counts (an :class:`Anrufbilanz`); the sentences for the terminal are written in
:mod:`mitgliederarbeit.cli.darstellung`.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from mitgliederarbeit import datum as dt
from mitgliederarbeit import telefon
from mitgliederarbeit.bestand import speicher
from mitgliederarbeit.bestand.anrufergebnisse import ERGEBNISSE
from mitgliederarbeit.bestand.kontakte import anruf_erfasst
from mitgliederarbeit.einlesen import lesen, spalten
from mitgliederarbeit.einlesen.anrufwoerter import ergebnis_normalisieren, interessen_liste, mitmachen, wort
from mitgliederarbeit.einlesen.ergebnis import ImportErgebnis
from mitgliederarbeit.einlesen.listenimport import (
    DATENSCHUTZ_HINWEIS,
    Fehlerdatei,
    Fehlerzeile,
    Lauf,
    ZeileAbgelehnt,
    abschliessen,
    schluessel,
    transaktion,
)
from mitgliederarbeit.einlesen.normalisieren import text
from mitgliederarbeit.einlesen.zuordnung import Verzeichnis, nach_nummer, verzeichnis_laden
from mitgliederarbeit.errors import EingabeFehler
from mitgliederarbeit.nummern import nummer_key
from mitgliederarbeit.ordner import Arbeitsordner
from mitgliederarbeit.zahlen import zahl

# --------------------------------------------------------------------------------------------------------------
# columns and sheets of a returned call list
# --------------------------------------------------------------------------------------------------------------

_EIGENE_SPALTEN: dict[str, tuple[str, ...]] = {
    "ergebnis": ("Ergebnis", "Anrufergebnis", "Ergebnis des Anrufs", "Ergebnis Anruf", "Result"),
    "datum": ("Datum", "Anrufdatum", "Datum des Anrufs", "angerufen am", "Anruf am", "Date"),
    "interessen": ("Interessen", "Interesse", "Themen", "Interessen/Themen", "Interests"),
    "mitmachen": (
        "möchte mitmachen",
        "mitmachen",
        "will mitmachen",
        "möchte mitmachen?",
        "Mitmachen?",
        "Mitarbeit",
        "aktiv werden",
    ),
    "notiz": (
        "Notiz",
        "Notizen",
        "Bemerkung",
        "Bemerkungen",
        "Kommentar",
        "Anmerkung",
        "Anmerkungen",
        "Note",
    ),
    "anrufer": ("Anrufer", "Anruferin", "Anrufer*in", "Anrufer:in", "AnruferIn", "Anrufende", "Caller"),
    "blatt": ("Blatt",),
}
_AUS_EXPORT = ("mitgliedsnummer", "vorname", "nachname", "ortsverein", "telefon", "mobil")
_AUS_EXPORT = ("mitgliedsnummer", "vorname", "nachname", "ortsverein", "telefon", "mobil")
# canonical header of each field in the error file (the call list's own names, so it can be imported again)
_KANONISCH = {
    "mitgliedsnummer": "Mitgliedsnummer",
    "vorname": "Vorname",
    "nachname": "Nachname",
    "ortsverein": "Ortsverein",
    "telefon": "Telefon",
    "mobil": "Mobil",
    "ergebnis": "Ergebnis",
    "datum": "Datum",
    "interessen": "Interessen",
    "mitmachen": "möchte mitmachen",
    "notiz": "Notiz",
}
_ERGEBNISFELDER = ("ergebnis", "datum", "interessen", "mitmachen", "notiz")
_STANDARD_NAMEN = re.compile(
    r"^(anrufliste|liste \d+|abgelehnt|warnungen|tabelle\d*|sheet\d*|blatt\d*)$", re.I
)
_KEINE_LISTE = (
    "Gesprächsleitfaden",
    "Datenschutz",
    "Hinweise",
    "Warnungen",
)  # our own sheets, skipped quietly


def _spalten_index() -> dict[str, str]:
    index = {}
    for feld in _AUS_EXPORT:
        for name in spalten.SYNONYME[feld]:
            index[spalten.normalize_header(name)] = feld
    for feld, names in _EIGENE_SPALTEN.items():
        for name in names:
            index[spalten.normalize_header(name)] = feld
    return index


_INDEX = _spalten_index()


def _kopf(rows: list[list[object]]) -> tuple[int, dict[str, int]] | None:
    """(row index of the header, field -> column) of a call-list sheet: needs Mitgliedsnummer and Ergebnis."""
    for i, row in enumerate(rows[:30]):
        zuordnung: dict[str, int] = {}
        for col, cell in enumerate(row):
            feld = _INDEX.get(spalten.normalize_header(cell))
            if feld and feld not in zuordnung:
                zuordnung[feld] = col
        if "ergebnis" in zuordnung and ("mitgliedsnummer" in zuordnung or "nachname" in zuordnung):
            return i, zuordnung
    return None


def sieht_aus_wie_anrufliste(rows: list[list[object]]) -> bool:
    """A sheet with the columns Mitgliedsnummer and Ergebnis: a call list whose metadata sheet was lost."""
    kopf = _kopf(rows)
    return kopf is not None and "mitgliedsnummer" in kopf[1]


@dataclass
class _Blatt:
    name: str
    rows: list[list[object]]
    kopfzeile: int
    zuordnung: dict[str, int]
    index: str | None = None  # the sheet's number in the metadata ("1", "2", …)
    original: str = ""  # its name when the list was made


def _blaetter(blatt: lesen.Blatt) -> tuple[list[_Blatt], list[str]]:
    """The sheets of the workbook that look like call-list sheets, and the names of the others skipped."""
    names = blatt.blaetter or [blatt.name]
    result, uebersprungen = [], []
    for name in names:
        rows = blatt.rows if name == blatt.name else _blatt_lesen(blatt.datei, name)
        kopf = _kopf(rows)
        if kopf is None:
            uebersprungen.append(name)
            continue
        result.append(_Blatt(name or blatt.datei.stem, rows, kopf[0], kopf[1]))
    return result, uebersprungen


def _blatt_lesen(datei: Path, name: str) -> list[list[object]]:
    try:
        return lesen.read_sheet(datei, name)
    except Exception:
        raise EingabeFehler(
            f"{datei.name}: das Blatt „{name}“ ist beschädigt und kann nicht gelesen werden.",
            hint="Bitte in Excel oder LibreOffice öffnen und neu speichern.",
        ) from None


def _zuordnen(blaetter: list[_Blatt], meta: dict[str, str]) -> list[str]:
    """Find each sheet's number in the metadata (by name, else by its member numbers); returns missing sheets."""
    frei = {k.split(".", 1)[1]: v for k, v in meta.items() if k.startswith("blatt.")}
    for b in blaetter:
        for i, name in list(frei.items()):
            if name == b.name:
                b.index, b.original = i, name
                del frei[i]
                break
    nummern = {k[2:]: v for k, v in meta.items() if k.startswith("m.")}
    for b in blaetter:
        if b.index is not None or "mitgliedsnummer" not in b.zuordnung:
            continue
        votes = _stimmen(b, nummern)
        best = max((i for i in votes if i in frei), key=lambda i: votes[i], default=None)
        if best is not None:
            b.index, b.original = best, frei.pop(best)
    return list(frei.values())


def _stimmen(b: _Blatt, nummern: dict[str, str]) -> dict[str, int]:
    """How many of the sheet's member numbers the list gave to each of its sheets."""
    votes: dict[str, int] = {}
    col = b.zuordnung["mitgliedsnummer"]
    for row in b.rows[b.kopfzeile + 1 :]:
        number = text(row[col]) if col < len(row) else None
        if number and nummer_key(number) in nummern:
            i = nummern[nummer_key(number)]
            votes[i] = votes.get(i, 0) + 1
    return votes


_TAG_MONAT = re.compile(r"^(\d{1,2})\.\s*(\d{1,2})\.?$")


def datum_lesen(value: object, bezug: date) -> date | None:
    """A date cell as callers write it; "17.9." takes the year that puts it nearest to ``bezug`` (the list's day).

    A list is filled in during the weeks around its day: "17.9." on a list of 30.09.2026 is 17.09.2026, "5.1." on
    a list of 15.12.2026 is 05.01.2027, "28.12." on a list of 10.01.2027 is 28.12.2026. So no day without a year
    lies more than half a year from the list's day. Of two equally near days the later one (a call follows its
    list).
    """
    try:
        return dt.parse_datum(value)
    except dt.UngueltigesDatum:
        pass
    m = _TAG_MONAT.match((text(value) or "").strip())
    if not m:
        raise dt.UngueltigesDatum(f"„{text(value)}“ ist kein Datum (erwartet z. B. 17.09.2026)")
    tage = []
    for jahr in (bezug.year - 1, bezug.year, bezug.year + 1):
        with suppress(ValueError):  # 29.2. only in a leap year
            tage.append(date(jahr, int(m[2]), int(m[1])))
    if not tage:
        raise dt.UngueltigesDatum(f"„{text(value)}“ ist kein gültiges Datum")
    return min(tage, key=lambda tag: (abs((tag - bezug).days), -tag.toordinal()))


# --------------------------------------------------------------------------------------------------------------
# taking a list back
# --------------------------------------------------------------------------------------------------------------


@dataclass
class Anrufzaehler:
    """What the rows of a returned call list came to (besides the counts of the :class:`ImportErgebnis`)."""

    ergebnisse: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ERGEBNISSE, 0))
    bereits: int = 0  # recorded by an earlier import
    unbekannte_ergebnisse: int = 0
    unbekannte_mitglieder: int = 0
    ausgetretene: int = 0  # left meanwhile (recorded with a warning)
    nach_stichtag: int = 0
    gesperrt: int = 0
    falsch: int = 0  # members with a number flagged wrong
    austritt: int = 0  # wishes to leave
    interessen: int = 0  # members whose interests grew
    offen: int = 0  # rows with member data but no result yet
    fremder_ordner: bool = False  # written in another working folder whose members are all in this store too
    # numbers a caller changed on the list: (Mitgliedsnummer, name, "telefon"/"mobil", the number as written)
    nummern: list[tuple[str, str, str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Anrufbilanz:
    """What a returned call list came to, beyond the counts of the :class:`ImportErgebnis` (its ``bilanz``).

    :func:`mitgliederarbeit.cli.darstellung.import_zusammenfassung` writes the German sentences from it.
    """

    datei: str  # the file's name
    blaetter: list[str]  # the sheets read
    fehlende: list[str]  # sheets the list had that are missing now
    uebersprungen: list[
        str
    ]  # sheets without the columns "Mitgliedsnummer" and "Ergebnis" (not our info sheets)
    zaehler: Anrufzaehler


@dataclass
class _Liste:
    """A returned call list as read: its sheets, what its metadata says, and the fields seen on its sheets."""

    datei: Path
    meta: dict[str, str]
    bezug: date  # the list's Stichtag (for dates without a year)
    tag: date  # the import's Stichtag
    blaetter: list[_Blatt]
    uebersprungen: list[str]
    fehlende: list[str]  # sheets the list had that are missing now
    blatt_der_nummer: dict[str, str]  # member number -> the sheet the list gave them

    @property
    def liste(self) -> str:
        return self.meta.get("liste", "")


@dataclass
class _Zeile:
    blatt: str  # the sheet's name on the list as made (or as found)
    zeile: int
    werte: dict[str, object]
    anrufer: str | None


def anrufliste_uebernehmen(
    ordner: Arbeitsordner, blatt: lesen.Blatt, *, trockenlauf: bool = False, fehler_ordner: Path | None = None
) -> ImportErgebnis:
    """Record the results of a returned call list (every caller sheet) as contacts, in one transaction."""
    liste = _liste_lesen(ordner, blatt)
    fremder_ordner = _herkunft_pruefen(ordner, liste)
    result = ImportErgebnis(datei=str(liste.datei), art="anrufliste", trockenlauf=trockenlauf)
    zaehler = Anrufzaehler(fremder_ordner=fremder_ordner)
    fehler: list[Fehlerzeile] = []
    with transaktion(ordner, "anrufliste", liste.datei, None, trockenlauf=trockenlauf) as lauf:
        verzeichnis = _verzeichnis(lauf.conn, liste)
        for zeile in _zeilen(liste, zaehler):
            result.gelesen += 1
            try:
                _zeile_uebernehmen(lauf, liste, verzeichnis, zeile, result, zaehler, fehler)
            except ZeileAbgelehnt as exc:
                fehler.append(
                    Fehlerzeile(zeile.blatt, zeile.zeile, exc.meldung, True, dict(zeile.werte), zeile.anrufer)
                )
                if exc.grund:
                    setattr(zaehler, exc.grund, getattr(zaehler, exc.grund) + 1)
        fehlerdatei = _fehlerdatei(fehler_ordner or ordner.ausgabe, liste)
        abschliessen(lauf, result, fehler, lambda: fehlerdatei.schreiben(fehler), trockenlauf=trockenlauf)
    result.bereits_importiert = result.uebernommen == 0 and zaehler.bereits > 0 and not fehler
    result.details = _details(liste, result, zaehler)
    result.bilanz = Anrufbilanz(
        datei=liste.datei.name,
        blaetter=[b.name for b in liste.blaetter],
        fehlende=list(liste.fehlende),
        uebersprungen=[b for b in liste.uebersprungen if b not in _KEINE_LISTE],
        zaehler=zaehler,
    )
    return result


def _liste_lesen(ordner: Arbeitsordner, blatt: lesen.Blatt) -> _Liste:
    datei = blatt.datei
    meta = blatt.meta if blatt.meta.get("art") == "anrufliste" else {}
    blaetter, uebersprungen = _blaetter(blatt)
    if not blaetter:
        raise EingabeFehler(
            f"{datei.name}: kein Blatt mit den Spalten „Mitgliedsnummer“ und „Ergebnis“ gefunden.",
            hint="Ist das die ausgefüllte Anrufliste? Die Kopfzeile mit Mitgliedsnummer und Ergebnis muss erhalten "
            "bleiben.",
        )
    fehlende = _zuordnen(blaetter, meta) if meta else []
    return _Liste(
        datei=datei,
        meta=meta,
        bezug=dt.aus_metadaten(meta, "stichtag", datei) or ordner.stichtag,
        tag=ordner.stichtag,
        blaetter=blaetter,
        uebersprungen=uebersprungen,
        fehlende=fehlende,
        blatt_der_nummer={k[2:]: meta.get(f"blatt.{v}", "") for k, v in meta.items() if k.startswith("m.")},
    )


def _herkunft_pruefen(ordner: Arbeitsordner, liste: _Liste) -> bool:
    """Refuse a list from another working folder before anything is changed or copied into an error file.

    A list names its store (``bestand``). One from another store is taken only when this store knows every member
    on it (a second folder of the same Unterbezirk); returns True then, for the summary to say so. An older list, a
    CSV or an error file names no store: it is refused when it holds at least two member numbers and the store knows
    none of them (a single unknown number is more likely a typo, for the error file).
    """
    from mitgliederarbeit.bestand.pakete import bestand_id

    nummern = set(liste.blatt_der_nummer) or _nummern_der_zeilen(liste)
    store = speicher.oeffnen(ordner.pfad)
    try:
        eigene = bestand_id(store.conn)
        fremd = "bestand" in liste.meta and liste.meta["bestand"] != eigene
        unbekannt = (
            sum(
                1
                for nr in nummern
                if not store.conn.execute("SELECT 1 FROM mitglieder WHERE nr = ?", (nr,)).fetchone()
            )
            if fremd or "bestand" not in liste.meta
            else 0
        )
    finally:
        store.close()
    hint = "Bitte in dem Arbeitsordner importieren, in dem sie mit „mitglieder anrufliste“ geschrieben wurde."
    if fremd and unbekannt:
        raise EingabeFehler(
            f"{liste.datei.name}: diese Anrufliste stammt aus einem anderen Arbeitsordner, und "
            + (
                f"keines ihrer {zahl(len(nummern))} Mitglieder ist"
                if unbekannt == len(nummern)
                else f"{zahl(unbekannt)} ihrer {zahl(len(nummern))} Mitglieder sind nicht"
            )
            + " hier im Datenbestand; sie wird nicht übernommen, es wurde nichts geändert.",
            hint=hint,
        )
    if "bestand" not in liste.meta and len(nummern) >= 2 and unbekannt == len(nummern):
        raise EingabeFehler(
            f"{liste.datei.name}: keine der {zahl(len(nummern))} Mitgliedsnummern dieser Anrufliste ist im "
            "Datenbestand – sie stammt wohl aus einem anderen Arbeitsordner und wird nicht übernommen; es wurde "
            "nichts geändert.",
            hint=hint,
        )
    return fremd


def _nummern_der_zeilen(liste: _Liste) -> set[str]:
    """The member numbers in the sheets' rows (of a list without its hidden sheet)."""
    nummern = set()
    for b in liste.blaetter:
        col = b.zuordnung.get("mitgliedsnummer")
        if col is None:
            continue
        for row in b.rows[b.kopfzeile + 1 :]:
            nummer = text(row[col]) if col < len(row) else None
            if nummer:
                nummern.add(nummer_key(nummer))
    return nummern


def _verzeichnis(conn: sqlite3.Connection, liste: _Liste) -> Verzeichnis:
    """The store's members; by name only the list's own (or, without metadata, those still members)."""
    auf_der_liste = set(liste.blatt_der_nummer)
    tag = liste.tag.isoformat()

    def namen_von(m: dict[str, Any]) -> bool:
        if auf_der_liste:
            return m["nr"] in auf_der_liste
        return not (m["austrittsdatum"] and m["austrittsdatum"] <= tag)

    return verzeichnis_laden(conn, namen_von=namen_von)


def _zeilen(liste: _Liste, zaehler: Anrufzaehler) -> Iterator[_Zeile]:
    """The filled rows of every sheet; rows with member data but no result are counted as still open."""
    for b in liste.blaetter:
        blatt_anrufer = liste.meta.get(f"anrufer.{b.index}") if b.index else None
        if not blatt_anrufer and not _STANDARD_NAMEN.match(b.name):
            blatt_anrufer = b.name  # a caller who named the sheet after themselves
        for offset, row in enumerate(b.rows[b.kopfzeile + 1 :]):
            werte = {f: (row[c] if c < len(row) else None) for f, c in b.zuordnung.items()}
            if not any(text(werte.get(f)) for f in _ERGEBNISFELDER):
                if any(text(v) for v in werte.values()):
                    zaehler.offen += 1
                continue
            anrufer = text(werte.get("anrufer")) or blatt_anrufer
            quelle_blatt = text(werte.get("blatt")) or b.original or b.name
            yield _Zeile(quelle_blatt, b.kopfzeile + offset + 2, werte, anrufer)


def _zeile_uebernehmen(
    lauf: Lauf,
    liste: _Liste,
    verzeichnis: Verzeichnis,
    z: _Zeile,
    result: ImportErgebnis,
    zaehler: Anrufzaehler,
    fehler: list[Fehlerzeile],
) -> None:
    """One filled row: member, result and date checked (or :class:`ZeileAbgelehnt`), the call recorded once,
    and what the result does to the member."""
    nr = _mitglied(verzeichnis, z)
    m = verzeichnis.mitglieder[nr]
    roh, code = _ergebnis(z)
    tag_des_anrufs, datum = _anrufdatum(z, liste)
    if datum > liste.tag:
        zaehler.nach_stichtag += 1
    austritt = dt.gespeicherter_tag(m["austrittsdatum"])
    if austritt is not None and austritt <= max(datum, liste.tag):
        meldung = f"ist seit {dt.de(austritt)} nicht mehr Mitglied – der Anruf wurde trotzdem erfasst"
        fehler.append(Fehlerzeile(z.blatt, z.zeile, meldung, False, dict(z.werte), z.anrufer))
        zaehler.ausgetretene += 1
    interessen = interessen_liste(z.werte.get("interessen"))
    if not _eintragen(lauf, liste, z, nr, code, datum, tag_des_anrufs, interessen):
        zaehler.bereits += 1
        return
    result.uebernommen += 1
    zaehler.ergebnisse[code] += 1
    _folgen(lauf.conn, m, code, datum, interessen, z, roh, zaehler)
    _nummern_vergleichen(m, z.werte, zaehler)


def _mitglied(verzeichnis: Verzeichnis, z: _Zeile) -> str:
    """The row's member: by number, or by a name that only one of the list's members has."""
    number = text(z.werte.get("mitgliedsnummer"))
    if number:
        treffer = nach_nummer(verzeichnis, number)
        if treffer.nr is None:
            raise ZeileAbgelehnt(treffer.fehler or "", "unbekannte_mitglieder")
        return treffer.nr
    kandidaten = verzeichnis.namensgleiche(z.werte.get("vorname"), z.werte.get("nachname"))
    if len(kandidaten) == 1:
        return kandidaten[0]
    raise ZeileAbgelehnt(
        "Mitgliedsnummer fehlt"
        + (" und der Name ist nicht eindeutig" if kandidaten else "")
        + " – bitte die Mitgliedsnummer eintragen",
        "unbekannte_mitglieder",
    )


def _ergebnis(z: _Zeile) -> tuple[str, str]:
    """The result as written and its code."""
    roh = text(z.werte.get("ergebnis"))
    if roh is None:
        raise ZeileAbgelehnt("Ergebnis fehlt – bitte aus der Auswahlliste wählen", "unbekannte_ergebnisse")
    code = ergebnis_normalisieren(roh)
    if code is None:
        raise ZeileAbgelehnt(
            f"Ergebnis „{roh}“ ist unbekannt – bitte aus der Auswahlliste wählen", "unbekannte_ergebnisse"
        )
    return roh, code


def _anrufdatum(z: _Zeile, liste: _Liste) -> tuple[date | None, date]:
    """The date as written (None if empty) and the day the call counts from (the Stichtag if empty)."""
    datum_roh = z.werte.get("datum")
    try:
        tag_des_anrufs = datum_lesen(datum_roh, liste.bezug) if text(datum_roh) else None
    except dt.UngueltigesDatum as exc:
        raise ZeileAbgelehnt(f"Datum: {exc}") from None
    return tag_des_anrufs, tag_des_anrufs or liste.tag


def _eintragen(
    lauf: Lauf,
    liste: _Liste,
    z: _Zeile,
    nr: str,
    code: str,
    datum: date,
    tag_des_anrufs: date | None,
    interessen: list[str],
) -> bool:
    """Record the call; False if an earlier import recorded it already (this list, or the same call from anywhere)."""
    if anruf_erfasst(lauf.conn, nr, datum, code):
        return False
    # the sheet the list gave the member: the same even if a caller copied or renamed the sheet, or the row
    # comes back through the error file
    blatt = liste.blatt_der_nummer.get(nr) or z.blatt
    cursor = lauf.conn.execute(
        "INSERT OR IGNORE INTO kontakte (nr, art, datum, ergebnis, anrufer, interessen, mitmachen, "
        "notiz, quelle, import_id, schluessel) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        (
            nr,
            "anruf",
            datum.isoformat(),
            code,
            z.anrufer,
            ", ".join(interessen) or None,
            mitmachen(z.werte.get("mitmachen")),
            text(z.werte.get("notiz")),
            liste.datei.name,
            lauf.import_id,
            schluessel("anruf", liste.liste, nr, blatt, code, dt.iso(tag_des_anrufs) or ""),
        ),
    )
    return cursor.rowcount == 1


# --------------------------------------------------------------------------------------------------------------
# what a recorded result does to the member
# --------------------------------------------------------------------------------------------------------------


def _folgen(
    conn: sqlite3.Connection,
    m: dict[str, Any],
    code: str,
    datum: date,
    interessen: list[str],
    z: _Zeile,
    roh: str,
    zaehler: Anrufzaehler,
) -> None:
    """Block further calls, flag a number, mark a wish to leave, merge the interests."""
    if code == "kein_anruf":
        _sperren(conn, m, zaehler)
    elif code == "falsche_nummer":
        _falsche_nummer(conn, m, z.werte, roh, zaehler)
    elif code == "will_austreten":
        _austrittswunsch(conn, m, datum, zaehler)
    if interessen:
        _interessen_ergaenzen(conn, m, interessen, zaehler)


def _sperren(conn: sqlite3.Connection, m: dict[str, Any], zaehler: Anrufzaehler) -> None:
    if not m["sperre_anruf"]:
        conn.execute("UPDATE mitglieder SET sperre_anruf = 1 WHERE nr = ?", (m["nr"],))
        m["sperre_anruf"] = 1
        zaehler.gesperrt += 1


def _ziffern(value: object) -> str:
    digits = re.sub(r"\D", "", text(value) or "")
    return digits[-8:]  # the subscriber part is enough to tell two numbers of one member apart


def _falsche_nummer(
    conn: sqlite3.Connection, m: dict[str, Any], werte: dict[str, object], roh: str, zaehler: Anrufzaehler
) -> None:
    """Flag the number the result or note names ("Handy", "Festnetz"), else every number the list showed."""
    kandidaten = [f for f in ("telefon", "mobil") if m[f] and not m[f"{f}_falsch"]]
    hinweis = wort(f"{roh} {text(werte.get('notiz')) or ''}")
    if re.search(r"\b(mobil\w*|handy\w*)\b", hinweis):
        kandidaten = [f for f in kandidaten if f == "mobil"]
    elif re.search(r"\b(festnetz\w*)\b", hinweis):
        kandidaten = [f for f in kandidaten if f == "telefon"]
    elif any(f in werte for f in ("telefon", "mobil")):
        kandidaten = [f for f in kandidaten if text(werte.get(f)) and _ziffern(werte[f]) == _ziffern(m[f])]
    for f in kandidaten:
        conn.execute(f"UPDATE mitglieder SET {f}_falsch = 1 WHERE nr = ?", (m["nr"],))
        m[f"{f}_falsch"] = 1
    if kandidaten:
        zaehler.falsch += 1


def _nummern_vergleichen(m: dict[str, Any], werte: dict[str, object], zaehler: Anrufzaehler) -> None:
    """Note a number the caller wrote over the one the store has (the store keeps the export's: the
    Mitgliederverwaltung is where it is changed, and the next export brings it)."""
    for feld in ("telefon", "mobil"):
        neu = text(werte.get(feld))
        if neu and telefon.ziffern(neu) and telefon.ziffern(neu) != telefon.ziffern(m[feld] or ""):
            name = " ".join(t for t in (m["vorname"], m["nachname"]) if t)
            zaehler.nummern.append((m["mitgliedsnummer"], name, feld, neu))


def _austrittswunsch(conn: sqlite3.Connection, m: dict[str, Any], datum: date, zaehler: Anrufzaehler) -> None:
    if not m["will_austreten"]:
        conn.execute("UPDATE mitglieder SET will_austreten = ? WHERE nr = ?", (datum.isoformat(), m["nr"]))
        m["will_austreten"] = datum.isoformat()
        zaehler.austritt += 1


def _interessen_ergaenzen(
    conn: sqlite3.Connection, m: dict[str, Any], interessen: list[str], zaehler: Anrufzaehler
) -> None:
    bisher = [i.strip() for i in (m["interessen"] or "").split(",") if i.strip()]
    neu = [i for i in interessen if i.casefold() not in {b.casefold() for b in bisher}]
    if neu:
        m["interessen"] = ", ".join([*bisher, *neu])
        conn.execute("UPDATE mitglieder SET interessen = ? WHERE nr = ?", (m["interessen"], m["nr"]))
        zaehler.interessen += 1


# --------------------------------------------------------------------------------------------------------------
# the error file and the result
# --------------------------------------------------------------------------------------------------------------


def _fehlerdatei(ordner: Path, liste: _Liste) -> Fehlerdatei:
    gesehen = {f for b in liste.blaetter for f in b.zuordnung}
    return Fehlerdatei(
        ordner=ordner,
        stem=f"import-fehler-anrufliste-{liste.tag.isoformat()}",
        quelle=liste.datei.name,
        meta={
            "art": "anrufliste",
            "version": "1",
            "liste": liste.liste,
            "stichtag": liste.bezug.isoformat(),
            "fehlerdatei": "ja",
            **({"bestand": liste.meta["bestand"]} if "bestand" in liste.meta else {}),
        },
        kopf={f: k for f, k in _KANONISCH.items() if f in gesehen},
        hinweise=[
            "Blatt „Abgelehnt“: diese Zeilen wurden NICHT übernommen. Bitte Ergebnis, Datum oder Mitgliedsnummer "
            "korrigieren und diese Datei erneut importieren: mitglieder import <diese Datei>. Die Spalten „Fehler“ "
            "und „Zeile“ werden dabei ignoriert; schon übernommene Zeilen werden nicht doppelt gezählt.",
            "Blatt „Warnungen“: diese Zeilen wurden übernommen, verdienen aber einen Blick (z. B. inzwischen "
            "ausgetreten).",
            DATENSCHUTZ_HINWEIS,
        ],
        auswahl={"ergebnis": list(ERGEBNISSE.values())},
        mit_blatt=True,
    )


def _details(liste: _Liste, result: ImportErgebnis, z: Anrufzaehler) -> dict[str, object]:
    return {
        "kontakte": result.uebernommen,
        "ergebnisse": {k: v for k, v in z.ergebnisse.items() if v},
        "unbekannte_ergebnisse": z.unbekannte_ergebnisse,
        "unbekannte_mitglieder": z.unbekannte_mitglieder,
        "ausgetretene": z.ausgetretene,
        "bereits_erfasst": z.bereits,
        "nach_stichtag": z.nach_stichtag,
        "gesperrt": z.gesperrt,
        "falsche_nummern": z.falsch,
        "austrittswunsch": z.austritt,
        "interessen_ergaenzt": z.interessen,
        "offen": z.offen,
        "fremder_ordner": z.fremder_ordner,
        "nummern_geaendert": [
            {"mitgliedsnummer": nummer, "name": name, "feld": feld, "nummer": neu}
            for nummer, name, feld, neu in z.nummern
        ],
        "blaetter": [b.name for b in liste.blaetter],
        "fehlende_blaetter": liste.fehlende,
        "liste": liste.liste or None,
    }
