"""Taking results back: returned call lists and attendance lists become contacts in the store.

A returned call list is read sheet by sheet, columns found by their header (callers move columns, sort rows,
delete sheets, add blank rows). Every filled row is one contact of kind ``anruf``; rows are matched by the
Mitgliedsnummer, and by Vorname + Nachname among the list's members only where the number was deleted.

Decisions (also in the README):

- An empty Datum means the Stichtag of the import. A date after the Stichtag is stored as written and counts
  from that day on (like every contact dated after the Stichtag); the summary says how many.
- "17.9." without a year gets the year of the list's Stichtag (the next year if that would lie before the list).
- A result word that is not one of the dropdown words or a common variant (``NE``, ``Mailbox``, ``Rückruf``,
  ``falsch``, …) is not guessed: the row is rejected and listed with sheet and row in the error file.
- A row of a member who left meanwhile is recorded and listed as a warning; a number unknown to the store is
  rejected. Rejected rows go to ``import-fehler-anrufliste-….xlsx`` with the list's columns, so the file can be
  fixed and imported again. Exit code 3.
- Every contact has a ``schluessel`` (list id, number, sheet, result, date as written): importing the same list
  twice changes nothing.
- "kein Anruf gewünscht" sets ``sperre_anruf``; "falsche Nummer" flags the number shown on the list (the one the
  result or note names – "Handy", "Mobil", "Festnetz" – or, without a hint, every number shown), "will
  austreten" sets ``will_austreten`` to the call's date; interests are merged into ``mitglieder.interessen``.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from mitgliederarbeit import datum as dt
from mitgliederarbeit.bestand import speicher
from mitgliederarbeit.bestand.anrufergebnisse import ERGEBNISSE
from mitgliederarbeit.einlesen import lesen, spalten
from mitgliederarbeit.einlesen.ergebnis import ImportErgebnis
from mitgliederarbeit.einlesen.normalisieren import Problem, name_split, nummer_key, text
from mitgliederarbeit.errors import BedienFehler, EingabeFehler
from mitgliederarbeit.ordner import Arbeitsordner

# --------------------------------------------------------------------------------------------------------------
# result words
# --------------------------------------------------------------------------------------------------------------

_VARIANTEN: dict[str, tuple[str, ...]] = {
    "erreicht": (
        "erreicht",
        "gesprochen",
        "telefoniert",
        "erreicht gesprochen",
        "ja erreicht",
        "kontakt",
        "kontakt hergestellt",
        "gespraech gefuehrt",
        "reached",
    ),
    "nicht_erreicht": (
        "nicht erreicht",
        "ne",
        "n e",
        "n erreicht",
        "nicht erreichbar",
        "nicht da",
        "niemand erreicht",
        "keiner erreicht",
        "niemand da",
        "keiner da",
        "nicht abgenommen",
        "nicht rangegangen",
        "nicht rangegangen",
        "keine antwort",
        "besetzt",
        "mailbox",
        "ab",
        "anrufbeantworter",
        "ab besprochen",
        "mailbox besprochen",
        "auf ab gesprochen",
        "auf mailbox gesprochen",
        "nachricht hinterlassen",
        "nicht erreicht mailbox",
        "nicht erreicht ab",
        "not reached",
    ),
    "rueckruf": (
        "rueckruf vereinbart",
        "rueckruf",
        "rueckruf erbeten",
        "rueckrufbitte",
        "rr",
        "zurueckrufen",
        "bitte zurueckrufen",
        "ruft zurueck",
        "spaeter anrufen",
        "spaeter nochmal",
        "nochmal anrufen",
        "erneut anrufen",
        "termin vereinbart",
        "callback",
    ),
    "falsche_nummer": (
        "falsche nummer",
        "falsch",
        "nummer falsch",
        "falsche nr",
        "falsche telefonnummer",
        "telefonnummer falsch",
        "falsche festnetznummer",
        "festnetz falsch",
        "falsche mobilnummer",
        "falsche handynummer",
        "mobil falsch",
        "handy falsch",
        "kein anschluss",
        "kein anschluss unter dieser nummer",
        "nummer existiert nicht",
        "nummer nicht vergeben",
        "nicht vergeben",
        "nummer ungueltig",
        "ungueltige nummer",
        "wrong number",
    ),
    "kein_anruf": (
        "kein anruf gewuenscht",
        "kein anruf",
        "keine anrufe",
        "keine anrufe gewuenscht",
        "keine anrufe mehr",
        "nicht mehr anrufen",
        "nicht anrufen",
        "kein kontakt gewuenscht",
        "kein kontakt",
        "keinen anruf",
        "will nicht angerufen werden",
        "moechte nicht angerufen werden",
        "sperre",
        "do not call",
    ),
    "will_austreten": (
        "will austreten",
        "moechte austreten",
        "austreten",
        "austritt",
        "austrittswunsch",
        "tritt aus",
        "will austritt",
        "austritt angekuendigt",
    ),
}
_UMLAUTE = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def _wort(value: object) -> str:
    """Lower case, umlauts spelled out, punctuation dropped, spaces collapsed: "Nicht erreicht." -> "nicht erreicht"."""
    raw = (text(value) or "").casefold().translate(_UMLAUTE)
    raw = re.sub(r"[^0-9a-z]+", " ", raw)
    return re.sub(r"\s+", " ", raw).strip()


ERGEBNIS_WOERTER: dict[str, str] = {
    _wort(variante): code for code, varianten in _VARIANTEN.items() for variante in varianten
}
ERGEBNIS_WOERTER.update({_wort(word): code for code, word in ERGEBNISSE.items()})


def ergebnis_normalisieren(value: object) -> str | None:
    """The result code of a cell (``"NE"`` -> ``"nicht_erreicht"``), or None if the word is not known."""
    key = _wort(value)
    if key in ERGEBNIS_WOERTER:
        return ERGEBNIS_WOERTER[key]
    return None


# --------------------------------------------------------------------------------------------------------------
# columns of a returned call list
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


# --------------------------------------------------------------------------------------------------------------
# shared helpers
# --------------------------------------------------------------------------------------------------------------


def _schluessel(*teile: object) -> str:
    return hashlib.sha256("\x1f".join("" if t is None else str(t) for t in teile).encode()).hexdigest()[:32]


def _name(value: object) -> str:
    return re.sub(r"\s+", " ", (text(value) or "").casefold()).strip()


_TAG_MONAT = re.compile(r"^(\d{1,2})\.\s*(\d{1,2})\.?$")


def _datum(value: object, bezug: date) -> date | None:
    """A date cell as callers write it; "17.9." takes the year of ``bezug`` (or the next, if before it)."""
    try:
        return dt.parse_datum(value)
    except dt.UngueltigesDatum:
        pass
    m = _TAG_MONAT.match((text(value) or "").strip())
    if not m:
        raise dt.UngueltigesDatum(f"„{text(value)}“ ist kein Datum (erwartet z. B. 17.09.2026)")
    try:
        day = date(bezug.year, int(m[2]), int(m[1]))
    except ValueError:
        raise dt.UngueltigesDatum(f"„{text(value)}“ ist kein gültiges Datum") from None
    if day < bezug:
        try:
            day = date(bezug.year + 1, day.month, day.day)
        except ValueError:
            pass
    return day


def _now() -> str:
    return datetime.now().isoformat(timespec="seconds")


def _importe_eintragen(conn: sqlite3.Connection, art: str, datei: Path, stand: date | None) -> int:
    digest = hashlib.sha256(datei.read_bytes()).hexdigest()
    cursor = conn.execute(
        "INSERT INTO importe (art, datei, sha256, stand, zeit) VALUES (?,?,?,?,?)",
        (art, datei.name, digest, dt.iso(stand), _now()),
    )
    assert cursor.lastrowid is not None
    return cursor.lastrowid


def _abschliessen(
    conn: sqlite3.Connection,
    import_id: int,
    result: ImportErgebnis,
    fehler: list[_Fehlerzeile],
    fehlerdatei: Callable[[], Path],
    *,
    trockenlauf: bool,
) -> None:
    """The shared end of both list imports: the error file (logged), the counts, the import row.

    A dry run ends here by rolling the transaction back.
    """
    if fehler and not trockenlauf:
        result.fehlerdatei = fehlerdatei()
        rows = len({(z.blatt, z.zeile) for z in fehler})
        speicher.protokollieren(conn, "import", "importfehler", rows, result.fehlerdatei)
    result.abgelehnt = sum(1 for z in fehler if z.schwer)
    result.warnungen = sum(1 for z in fehler if not z.schwer)
    result.probleme = [_problem(z) for z in fehler]
    _importe_abschliessen(conn, import_id, result)
    if trockenlauf:
        raise _Rollback


def _importe_abschliessen(conn: sqlite3.Connection, import_id: int, result: ImportErgebnis) -> None:
    if result.uebernommen == 0:
        # nothing new: leave no trace, so importing the same list twice changes nothing
        conn.execute("DELETE FROM importe WHERE id = ?", (import_id,))
        return
    conn.execute(
        "UPDATE importe SET gelesen=?, uebernommen=?, abgelehnt=?, warnungen=?, fehlerdatei=? WHERE id=?",
        (
            result.gelesen,
            result.uebernommen,
            result.abgelehnt,
            result.warnungen,
            str(result.fehlerdatei) if result.fehlerdatei else None,
            import_id,
        ),
    )


class _Rollback(Exception):
    """Raised inside the transaction of a dry run so that nothing is kept."""


@dataclass
class _Fehlerzeile:
    blatt: str
    zeile: int
    meldung: str
    schwer: bool
    werte: dict[str, object] = field(default_factory=dict)  # field -> cell as written
    anrufer: str | None = None


def _fehlerdatei(
    ordner: Path,
    stem: str,
    quelle: str,
    zeilen: list[_Fehlerzeile],
    meta: dict[str, str],
    felder: list[str],
    hinweise: list[str],
    *,
    anrufliste: bool,
) -> Path:
    """The error file: the rejected rows (and warnings) with the list's own column names, importable again."""
    from mitgliederarbeit import dateien as ausgabe

    vorne = ["Fehler", "Blatt", "Zeile", "Anrufer"] if anrufliste else ["Fehler", "Zeile"]
    kopf = [*vorne, *[_KANONISCH[f] for f in felder]]

    def row(z: _Fehlerzeile) -> list[object]:
        front: list[object] = [z.meldung, z.blatt, z.zeile, z.anrufer] if anrufliste else [z.meldung, z.zeile]
        return [*front, *[z.werte.get(f) for f in felder]]

    auswahl = {kopf.index("Ergebnis"): list(ERGEBNISSE.values())} if "ergebnis" in felder else {}
    tabellen = [
        ausgabe.Tabelle(
            "Abgelehnt", kopf, [row(z) for z in zeilen if z.schwer], breiten={0: 50}, auswahl=auswahl
        ),
        ausgabe.Tabelle("Warnungen", kopf, [row(z) for z in zeilen if not z.schwer], breiten={0: 50}),
        ausgabe.Tabelle("Hinweise", [], [], text_zeilen=[f"Fehler beim Import von {quelle}", *hinweise]),
    ]
    path = ausgabe.freier_name(ordner / f"{stem}.xlsx")
    return ausgabe.xlsx(path, tabellen, meta)


def _problem(z: _Fehlerzeile) -> Problem:
    wo = f" (Blatt „{z.blatt}“)" if z.blatt else ""
    return Problem(z.zeile, None, f"{z.meldung}{wo}", schwer=z.schwer)


def _zahl(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _mal(n: int, einzahl: str, mehrzahl: str) -> str:
    return f"{_zahl(n)} {einzahl if n == 1 else mehrzahl}"


# --------------------------------------------------------------------------------------------------------------
# returned call lists
# --------------------------------------------------------------------------------------------------------------


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
        if name == blatt.name:
            rows = blatt.rows
        else:
            try:
                rows = lesen.read_sheet(blatt.datei, name)
            except Exception:
                raise EingabeFehler(
                    f"{blatt.datei.name}: das Blatt „{name}“ ist beschädigt und kann nicht gelesen werden.",
                    hint="Bitte in Excel oder LibreOffice öffnen und neu speichern.",
                ) from None
        kopf = _kopf(rows)
        if kopf is None:
            uebersprungen.append(name)
            continue
        result.append(_Blatt(name or blatt.datei.stem, rows, kopf[0], kopf[1]))
    return result, uebersprungen


def _zuordnen(blaetter: list[_Blatt], meta: dict[str, str]) -> list[str]:
    """Find each sheet's number in the metadata (by name, else by its member numbers); returns missing sheets."""
    meta_blaetter = {k.split(".", 1)[1]: v for k, v in meta.items() if k.startswith("blatt.")}
    nummern = {k[2:]: v for k, v in meta.items() if k.startswith("m.")}
    frei = dict(meta_blaetter)
    for b in blaetter:
        for i, name in list(frei.items()):
            if name == b.name:
                b.index, b.original = i, name
                del frei[i]
                break
    for b in blaetter:
        if b.index is not None or "mitgliedsnummer" not in b.zuordnung:
            continue
        votes: dict[str, int] = {}
        col = b.zuordnung["mitgliedsnummer"]
        for row in b.rows[b.kopfzeile + 1 :]:
            number = text(row[col]) if col < len(row) else None
            if number and nummer_key(number) in nummern:
                i = nummern[nummer_key(number)]
                votes[i] = votes.get(i, 0) + 1
        best = max((i for i in votes if i in frei), key=lambda i: votes[i], default=None)
        if best is not None:
            b.index, b.original = best, frei.pop(best)
    return list(frei.values())


_STANDARD_NAMEN = re.compile(
    r"^(anrufliste|liste \d+|abgelehnt|warnungen|tabelle\d*|sheet\d*|blatt\d*)$", re.I
)


def anrufliste_uebernehmen(
    ordner: Arbeitsordner, blatt: lesen.Blatt, *, trockenlauf: bool = False, fehler_ordner: Path | None = None
) -> ImportErgebnis:
    """Record the results of a returned call list (every caller sheet) as contacts, in one transaction."""
    datei = blatt.datei
    meta = blatt.meta if blatt.meta.get("art") == "anrufliste" else {}
    liste = meta.get("liste", "")
    bezug = dt.from_iso(meta.get("stichtag")) or ordner.stichtag
    tag = ordner.stichtag
    blaetter, uebersprungen = _blaetter(blatt)
    if not blaetter:
        raise EingabeFehler(
            f"{datei.name}: kein Blatt mit den Spalten „Mitgliedsnummer“ und „Ergebnis“ gefunden.",
            hint="Ist das die ausgefüllte Anrufliste? Die Kopfzeile mit Mitgliedsnummer und Ergebnis muss erhalten "
            "bleiben.",
        )
    fehlende = _zuordnen(blaetter, meta) if meta else []
    blatt_der_nummer = {k[2:]: meta.get(f"blatt.{v}", "") for k, v in meta.items() if k.startswith("m.")}
    list_numbers = set(blatt_der_nummer)

    result = ImportErgebnis(datei=str(datei), art="anrufliste", trockenlauf=trockenlauf)
    ergebnisse = dict.fromkeys(ERGEBNISSE, 0)
    zaehler = {
        "bereits": 0,
        "unbekannte_ergebnisse": 0,
        "unbekannte_mitglieder": 0,
        "ausgetretene": 0,
        "nach_stichtag": 0,
        "gesperrt": 0,
        "falsch": 0,
        "austritt": 0,
        "interessen": 0,
        "offen": 0,
    }
    fehler: list[_Fehlerzeile] = []
    felder_gesehen: list[str] = []

    store = speicher.oeffnen(ordner.pfad)
    try:
        conn = store.conn
        mitglieder = {
            r["nr"]: dict(r) for r in conn.execute("SELECT * FROM mitglieder WHERE anonymisiert = 0")
        }
        by_name: dict[tuple[str, str], list[str]] = {}
        for nr, m in mitglieder.items():
            if list_numbers and nr not in list_numbers:
                continue
            if not list_numbers and m["austrittsdatum"] and m["austrittsdatum"] <= tag.isoformat():
                continue
            by_name.setdefault((_name(m["vorname"]), _name(m["nachname"])), []).append(nr)
        with store.transaktion(sichern=not trockenlauf):
            import_id = _importe_eintragen(conn, "anrufliste", datei, None)
            for b in blaetter:
                for feld in b.zuordnung:
                    if feld in _KANONISCH and feld not in felder_gesehen:
                        felder_gesehen.append(feld)
                blatt_anrufer = meta.get(f"anrufer.{b.index}") if b.index else None
                if not blatt_anrufer and not _STANDARD_NAMEN.match(b.name):
                    blatt_anrufer = b.name
                for offset, row in enumerate(b.rows[b.kopfzeile + 1 :]):
                    zeile = b.kopfzeile + offset + 2
                    werte = {f: (row[c] if c < len(row) else None) for f, c in b.zuordnung.items()}
                    if not any(text(werte.get(f)) for f in _ERGEBNISFELDER):
                        if any(text(v) for v in werte.values()):
                            zaehler["offen"] += 1
                        continue
                    result.gelesen += 1
                    anrufer = text(werte.get("anrufer")) or blatt_anrufer
                    quelle_blatt = text(werte.get("blatt")) or b.original or b.name

                    def ablehnen(
                        meldung: str,
                        *,
                        schwer: bool = True,
                        _z: int = zeile,
                        _w: dict[str, object] = werte,
                        _a: str | None = anrufer,
                        _q: str = quelle_blatt,
                    ) -> None:
                        fehler.append(_Fehlerzeile(_q, _z, meldung, schwer, dict(_w), _a))

                    number = text(werte.get("mitgliedsnummer"))
                    nr = nummer_key(number) if number else None
                    if nr is None:
                        kandidaten = by_name.get(
                            (_name(werte.get("vorname")), _name(werte.get("nachname"))), []
                        )
                        if len(kandidaten) == 1:
                            nr = kandidaten[0]
                        else:
                            ablehnen(
                                "Mitgliedsnummer fehlt"
                                + (" und der Name ist nicht eindeutig" if kandidaten else "")
                                + " – bitte die Mitgliedsnummer eintragen"
                            )
                            zaehler["unbekannte_mitglieder"] += 1
                            continue
                    gefunden = mitglieder.get(nr)
                    if gefunden is None:
                        ablehnen(f"Mitgliedsnummer {number} ist nicht im Datenbestand")
                        zaehler["unbekannte_mitglieder"] += 1
                        continue
                    m = gefunden
                    roh = text(werte.get("ergebnis"))
                    if roh is None:
                        ablehnen("Ergebnis fehlt – bitte aus der Auswahlliste wählen")
                        zaehler["unbekannte_ergebnisse"] += 1
                        continue
                    code = ergebnis_normalisieren(roh)
                    if code is None:
                        ablehnen(f"Ergebnis „{roh}“ ist unbekannt – bitte aus der Auswahlliste wählen")
                        zaehler["unbekannte_ergebnisse"] += 1
                        continue
                    datum_roh = werte.get("datum")
                    try:
                        tag_des_anrufs = _datum(datum_roh, bezug) if text(datum_roh) else None
                    except dt.UngueltigesDatum as exc:
                        ablehnen(f"Datum: {exc}")
                        continue
                    datum = tag_des_anrufs or tag
                    if datum > tag:
                        zaehler["nach_stichtag"] += 1
                    austritt = dt.from_iso(m["austrittsdatum"])
                    if austritt is not None and austritt <= max(datum, tag):
                        ablehnen(
                            f"ist seit {dt.de(austritt)} nicht mehr Mitglied – der Anruf wurde trotzdem erfasst",
                            schwer=False,
                        )
                        zaehler["ausgetretene"] += 1
                    interessen = _interessen_liste(werte.get("interessen"))
                    cursor = conn.execute(
                        "INSERT OR IGNORE INTO kontakte (nr, art, datum, ergebnis, anrufer, interessen, mitmachen, "
                        "notiz, quelle, import_id, schluessel) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                        (
                            nr,
                            "anruf",
                            datum.isoformat(),
                            code,
                            anrufer,
                            ", ".join(interessen) or None,
                            _mitmachen(werte.get("mitmachen")),
                            text(werte.get("notiz")),
                            datei.name,
                            import_id,
                            _schluessel(
                                "anruf",
                                liste,
                                nr,
                                # the sheet the list gave the member: the same even if a caller copied or
                                # renamed the sheet, or the row comes back through the error file
                                blatt_der_nummer.get(nr) or quelle_blatt,
                                code,
                                dt.iso(tag_des_anrufs) or "",
                            ),
                        ),
                    )
                    if cursor.rowcount != 1:
                        zaehler["bereits"] += 1
                        continue
                    result.uebernommen += 1
                    ergebnisse[code] += 1
                    _folgen(conn, m, code, datum, interessen, werte, roh, zaehler)
            _abschliessen(
                conn,
                import_id,
                result,
                fehler,
                lambda: _fehlerdatei(
                    fehler_ordner or ordner.ausgabe,
                    f"import-fehler-anrufliste-{tag.isoformat()}",
                    datei.name,
                    fehler,
                    {
                        "art": "anrufliste",
                        "version": "1",
                        "liste": liste,
                        "stichtag": bezug.isoformat(),
                        "fehlerdatei": "ja",
                    },
                    [f for f in _KANONISCH if f in felder_gesehen],
                    _hinweise_anrufliste(),
                    anrufliste=True,
                ),
                trockenlauf=trockenlauf,
            )
    except _Rollback:
        pass
    finally:
        store.close()

    result.bereits_importiert = result.uebernommen == 0 and zaehler["bereits"] > 0 and not fehler
    result.details = {
        "zusammenfassung": _zusammenfassung_anrufliste(
            datei.name, blaetter, ergebnisse, zaehler, fehlende, result, uebersprungen
        ),
        "kontakte": result.uebernommen,
        "ergebnisse": {k: v for k, v in ergebnisse.items() if v},
        "unbekannte_ergebnisse": zaehler["unbekannte_ergebnisse"],
        "unbekannte_mitglieder": zaehler["unbekannte_mitglieder"],
        "ausgetretene": zaehler["ausgetretene"],
        "bereits_erfasst": zaehler["bereits"],
        "nach_stichtag": zaehler["nach_stichtag"],
        "gesperrt": zaehler["gesperrt"],
        "falsche_nummern": zaehler["falsch"],
        "austrittswunsch": zaehler["austritt"],
        "interessen_ergaenzt": zaehler["interessen"],
        "offen": zaehler["offen"],
        "blaetter": [b.name for b in blaetter],
        "fehlende_blaetter": fehlende,
        "liste": liste or None,
    }
    return result


def _interessen_liste(value: object) -> list[str]:
    result: list[str] = []
    for teil in re.split(r"[,;/\n]+", text(value) or ""):
        teil = re.sub(r"\s+", " ", teil).strip(" .-")
        if teil and teil.casefold() not in {r.casefold() for r in result}:
            result.append(teil)
    return result


def _mitmachen(value: object) -> str | None:
    raw = text(value)
    if raw is None:
        return None
    wort = _wort(raw)
    if wort in ("ja", "j", "x", "yes", "gerne", "ja gerne"):
        return "ja"
    if wort in ("nein", "n", "no", "eher nicht"):
        return "nein"
    if wort in ("vielleicht", "evtl", "eventuell", "mal sehen", "ggf"):
        return "vielleicht"
    return raw


def _ziffern(value: object) -> str:
    digits = re.sub(r"\D", "", text(value) or "")
    return digits[-8:]  # the subscriber part is enough to tell two numbers of one member apart


def _folgen(
    conn: sqlite3.Connection,
    m: dict[str, Any],
    code: str,
    datum: date,
    interessen: list[str],
    werte: dict[str, object],
    roh: str,
    zaehler: dict[str, int],
) -> None:
    """What a newly recorded result does to the member: block, flag a number, mark a wish to leave, interests."""
    nr = m["nr"]
    if code == "kein_anruf" and not m["sperre_anruf"]:
        conn.execute("UPDATE mitglieder SET sperre_anruf = 1 WHERE nr = ?", (nr,))
        m["sperre_anruf"] = 1
        zaehler["gesperrt"] += 1
    elif code == "falsche_nummer":
        kandidaten = [f for f in ("telefon", "mobil") if m[f] and not m[f"{f}_falsch"]]
        hinweis = _wort(f"{roh} {text(werte.get('notiz')) or ''}")
        if re.search(r"\b(mobil\w*|handy\w*)\b", hinweis):
            kandidaten = [f for f in kandidaten if f == "mobil"]
        elif re.search(r"\b(festnetz\w*)\b", hinweis):
            kandidaten = [f for f in kandidaten if f == "telefon"]
        elif any(f in werte for f in ("telefon", "mobil")):
            gezeigt = [f for f in kandidaten if text(werte.get(f)) and _ziffern(werte[f]) == _ziffern(m[f])]
            kandidaten = gezeigt
        for f in kandidaten:
            conn.execute(f"UPDATE mitglieder SET {f}_falsch = 1 WHERE nr = ?", (nr,))
            m[f"{f}_falsch"] = 1
        if kandidaten:
            zaehler["falsch"] += 1
    elif code == "will_austreten" and not m["will_austreten"]:
        conn.execute("UPDATE mitglieder SET will_austreten = ? WHERE nr = ?", (datum.isoformat(), nr))
        m["will_austreten"] = datum.isoformat()
        zaehler["austritt"] += 1
    if interessen:
        bisher = [i.strip() for i in (m["interessen"] or "").split(",") if i.strip()]
        neu = [i for i in interessen if i.casefold() not in {b.casefold() for b in bisher}]
        if neu:
            m["interessen"] = ", ".join([*bisher, *neu])
            conn.execute("UPDATE mitglieder SET interessen = ? WHERE nr = ?", (m["interessen"], nr))
            zaehler["interessen"] += 1


def _hinweise_anrufliste() -> list[str]:
    return [
        "Blatt „Abgelehnt“: diese Zeilen wurden NICHT übernommen. Bitte Ergebnis, Datum oder Mitgliedsnummer "
        "korrigieren und diese Datei erneut importieren: mitglieder import <diese Datei>. Die Spalten „Fehler“ "
        "und „Zeile“ werden dabei ignoriert; schon übernommene Zeilen werden nicht doppelt gezählt.",
        "Blatt „Warnungen“: diese Zeilen wurden übernommen, verdienen aber einen Blick (z. B. inzwischen "
        "ausgetreten).",
        "Datenschutz: Diese Datei enthält personenbezogene Daten. Bitte nach der Korrektur löschen.",
    ]


def _zusammenfassung_anrufliste(
    name: str,
    blaetter: list[_Blatt],
    ergebnisse: dict[str, int],
    z: dict[str, int],
    fehlende: list[str],
    result: ImportErgebnis,
    uebersprungen: list[str],
) -> str:
    vorab = "Trockenlauf – es wurde nichts geändert. " if result.trockenlauf else ""
    namen = ", ".join(f"„{b.name}“" for b in blaetter)
    lines = [
        f"{vorab}{name}: Anrufliste, {_mal(len(blaetter), 'Blatt', 'Blätter')} gelesen ({namen}), "
        f"ausgefüllte Zeilen: {_zahl(result.gelesen)}."
    ]
    teile = [f"{_zahl(n)} {ERGEBNISSE[k]}" for k, n in ergebnisse.items() if n]
    lines.append(
        f"  Übernommene Anrufe: {_zahl(result.uebernommen)}" + (f" – {', '.join(teile)}." if teile else ".")
    )
    folgen = []
    if z["gesperrt"]:
        folgen.append(f"für Anrufe gesperrt: {_zahl(z['gesperrt'])}")
    if z["falsch"]:
        folgen.append(f"falsche Nummer markiert: {_zahl(z['falsch'])}")
    if z["austritt"]:
        folgen.append(f"Austrittswunsch (bitte persönlich nachfassen): {_zahl(z['austritt'])}")
    if z["interessen"]:
        folgen.append(f"Interessen ergänzt: {_zahl(z['interessen'])}")
    if folgen:
        text_folgen = "; ".join(folgen)
        lines.append(f"  {text_folgen[:1].upper()}{text_folgen[1:]}.")
    if z["bereits"]:
        lines.append(
            f"  Schon früher übernommen, nicht doppelt gezählt: {_mal(z['bereits'], 'Zeile', 'Zeilen')}."
        )
    if z["nach_stichtag"]:
        lines.append(
            f"  Mit Datum nach dem Stichtag (zählen erst ab diesem Tag): {_zahl(z['nach_stichtag'])}."
        )
    if result.abgelehnt:
        gruende = []
        if z["unbekannte_ergebnisse"]:
            gruende.append(f"{_zahl(z['unbekannte_ergebnisse'])} ohne bekanntes Ergebnis")
        if z["unbekannte_mitglieder"]:
            gruende.append(
                f"{_zahl(z['unbekannte_mitglieder'])} mit unbekannter oder fehlender Mitgliedsnummer"
            )
        rest = result.abgelehnt - z["unbekannte_ergebnisse"] - z["unbekannte_mitglieder"]
        if rest:
            gruende.append(f"{_zahl(rest)} mit ungültigem Datum")
        lines.append(f"  Abgelehnt: {_mal(result.abgelehnt, 'Zeile', 'Zeilen')} – {', '.join(gruende)}.")
    if z["ausgetretene"]:
        lines.append(
            f"  Inzwischen ausgetreten (trotzdem erfasst, siehe Warnungen): {_zahl(z['ausgetretene'])}."
        )
    for fehlt in fehlende:
        lines.append(
            f"  Das Blatt „{fehlt}“ fehlt in der Datei – dessen Ergebnisse konnten nicht übernommen werden."
        )
    for blatt in uebersprungen:
        if blatt not in ("Gesprächsleitfaden", "Datenschutz", "Hinweise", "Warnungen"):
            lines.append(f"  Blatt „{blatt}“ übersprungen: keine Spalten „Mitgliedsnummer“ und „Ergebnis“.")
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------------------------
# attendance lists
# --------------------------------------------------------------------------------------------------------------

_LISTENWORT = re.compile(
    r"\b(teilnahme|teilnehmer(?:innen)?|teilnehmenden|anwesenheits|anwesenheit)\w*(?:liste)?\b\s*:?", re.I
)
_DATUM_IM_TITEL = re.compile(r"(\d{1,2}\.\s?\d{1,2}\.\s?\d{2,4}|\d{4}-\d{2}-\d{2})")


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
    datei = blatt.datei
    kopf = spalten.find_header(blatt.rows, extra=ordner.config["import"]["spalten"])
    if kopf is None or not (
        "mitgliedsnummer" in kopf.zuordnung or "nachname" in kopf.zuordnung or "vorname" in kopf.zuordnung
    ):
        raise EingabeFehler(
            f"{datei.name}: keine Kopfzeile mit Mitgliedsnummer oder Vorname und Nachname gefunden.",
            hint="Eine Teilnahmeliste braucht die Spalte „Mitgliedsnummer“ oder „Vorname“ und „Nachname“.",
        )
    titel_name, titel_datum = titel_lesen(kopf.titel)
    if blatt.meta.get("art") == "teilnahme":  # our own error file, fixed and imported again
        titel_name = blatt.meta.get("veranstaltung") or titel_name
        titel_datum = dt.from_iso(blatt.meta.get("datum")) or titel_datum
    veranstaltung = (veranstaltung or "").strip() or titel_name
    datum = datum or titel_datum
    if not veranstaltung or not datum:
        teile = [
            w for w, ok in (("der Name der Veranstaltung", veranstaltung), ("das Datum", datum)) if not ok
        ]
        verb = "fehlen" if len(teile) > 1 else "fehlt"
        raise BedienFehler(
            f"{datei.name}: {' und '.join(teile)} {verb} – weder als Option angegeben noch in einer Titelzeile "
            "(„Teilnahmeliste Neumitgliederabend – 17.09.2026“).",
            hint=f'Bitte angeben: mitglieder import --art teilnahme --veranstaltung "Neumitgliederabend" '
            f'--datum 17.09.2026 "{datei.name}"',
        )
    tag = ordner.stichtag
    result = ImportErgebnis(datei=str(datei), art="teilnahme", stand=datum, trockenlauf=trockenlauf)
    zaehler = {
        "nummer": 0,
        "name": 0,
        "mehrdeutig": 0,
        "unbekannt": 0,
        "bereits": 0,
        "doppelt": 0,
        "kein_mitglied": 0,
    }
    fehler: list[_Fehlerzeile] = []
    felder: list[str] = [
        f for f in ("mitgliedsnummer", "vorname", "nachname", "ortsverein") if f in kopf.zuordnung
    ]
    schluessel_ort = (veranstaltung.casefold(), datum.isoformat())
    gesehen: set[str] = set()

    store = speicher.oeffnen(ordner.pfad)
    try:
        conn = store.conn
        mitglieder = {
            r["nr"]: dict(r) for r in conn.execute("SELECT * FROM mitglieder WHERE anonymisiert = 0")
        }
        by_name: dict[tuple[str, str], list[str]] = {}
        for nr, m in mitglieder.items():
            by_name.setdefault((_name(m["vorname"]), _name(m["nachname"])), []).append(nr)
        by_full: dict[str, list[str]] = {}
        for nr, m in mitglieder.items():
            by_full.setdefault(_name(f"{m['vorname'] or ''} {m['nachname'] or ''}"), []).append(nr)
        with store.transaktion(sichern=not trockenlauf):
            import_id = _importe_eintragen(conn, "teilnahme", datei, datum)
            for offset, row in enumerate(blatt.rows[kopf.zeile + 1 :]):
                zeile = kopf.zeile + offset + 2
                werte = {f: (row[c] if c < len(row) else None) for f, c in kopf.zuordnung.items()}
                if not any(text(werte.get(f)) for f in ("mitgliedsnummer", "vorname", "nachname")):
                    continue
                result.gelesen += 1

                def ablehnen(
                    meldung: str, *, schwer: bool = True, _z: int = zeile, _w: dict[str, object] = werte
                ) -> None:
                    fehler.append(_Fehlerzeile("", _z, meldung, schwer, dict(_w)))

                number = text(werte.get("mitgliedsnummer"))
                vorname, nachname = _name(werte.get("vorname")), _name(werte.get("nachname"))
                if "vorname" not in kopf.zuordnung and nachname and "," in nachname:
                    first, last = name_split(nachname)
                    vorname, nachname = _name(first), _name(last)
                if number:
                    nr = nummer_key(number)
                    gefunden = mitglieder.get(nr)
                    if gefunden is None:
                        ablehnen(f"Mitgliedsnummer {number} ist nicht im Datenbestand")
                        zaehler["unbekannt"] += 1
                        continue
                    m = gefunden
                    if (
                        vorname
                        and nachname
                        and vorname != _name(m["vorname"])
                        and nachname != _name(m["nachname"])
                    ):
                        ablehnen(
                            f"Mitgliedsnummer {number} gehört laut Datenbestand zu einer anderen Person – "
                            "bitte Nummer und Name prüfen"
                        )
                        zaehler["unbekannt"] += 1
                        continue
                    zaehler["nummer"] += 1
                else:
                    if vorname:
                        kandidaten = list(by_name.get((vorname, nachname), []))
                    else:
                        kandidaten = list(by_full.get(nachname, []))
                    if len(kandidaten) > 1:
                        kandidaten = _eingrenzen(kandidaten, mitglieder, datum, werte.get("ortsverein"))
                    if not kandidaten:
                        anzeige = " ".join(
                            p for p in (text(werte.get("vorname")), text(werte.get("nachname"))) if p
                        )
                        ablehnen(
                            f"„{anzeige}“ ist im Datenbestand nicht zu finden – bitte die Mitgliedsnummer eintragen"
                        )
                        zaehler["unbekannt"] += 1
                        continue
                    if len(kandidaten) > 1:
                        anzeige = " ".join(
                            p for p in (text(werte.get("vorname")), text(werte.get("nachname"))) if p
                        )
                        ovs = sorted({mitglieder[k]["ortsverein"] for k in kandidaten})
                        ablehnen(
                            f"„{anzeige}“ ist nicht eindeutig: {len(kandidaten)} Mitglieder heißen so "
                            f"(Ortsverein {', '.join(ovs)}) – bitte die Mitgliedsnummer eintragen"
                        )
                        zaehler["mehrdeutig"] += 1
                        continue
                    nr = kandidaten[0]
                    m = mitglieder[nr]
                    zaehler["name"] += 1
                if nr in gesehen:
                    zaehler["doppelt"] += 1
                    continue
                gesehen.add(nr)
                eintritt = dt.from_iso(m["eintrittsdatum"])
                austritt = dt.from_iso(m["austrittsdatum"])
                if (austritt is not None and austritt <= datum) or (
                    eintritt is not None and eintritt > datum
                ):
                    ablehnen(
                        f"war am {dt.de(datum)} kein Mitglied – die Teilnahme wurde trotzdem erfasst",
                        schwer=False,
                    )
                    zaehler["kein_mitglied"] += 1
                cursor = conn.execute(
                    "INSERT OR IGNORE INTO kontakte (nr, art, datum, veranstaltung, quelle, import_id, schluessel) "
                    "VALUES (?,?,?,?,?,?,?)",
                    (
                        nr,
                        "teilnahme",
                        datum.isoformat(),
                        veranstaltung,
                        datei.name,
                        import_id,
                        _schluessel("teilnahme", *schluessel_ort, nr),
                    ),
                )
                if cursor.rowcount == 1:
                    result.uebernommen += 1
                else:
                    zaehler["bereits"] += 1
            _abschliessen(
                conn,
                import_id,
                result,
                fehler,
                lambda: _fehlerdatei(
                    fehler_ordner or ordner.ausgabe,
                    f"import-fehler-teilnahme-{datum.isoformat()}",
                    datei.name,
                    fehler,
                    {"art": "teilnahme", "veranstaltung": veranstaltung, "datum": datum.isoformat()},
                    felder,
                    [
                        "Blatt „Abgelehnt“: diese Zeilen wurden NICHT übernommen (unbekannt oder nicht eindeutig). "
                        "Bitte die Mitgliedsnummer ergänzen und diese Datei erneut importieren: "
                        "mitglieder import <diese Datei>. Veranstaltung und Datum sind in der Datei vermerkt.",
                        "Blatt „Warnungen“: übernommen, aber am Tag der Veranstaltung kein Mitglied.",
                        "Datenschutz: Diese Datei enthält personenbezogene Daten. Bitte nach der Korrektur löschen.",
                    ],
                    anrufliste=False,
                ),
                trockenlauf=trockenlauf,
            )
    except _Rollback:
        pass
    finally:
        store.close()

    result.bereits_importiert = result.uebernommen == 0 and zaehler["bereits"] > 0 and not fehler
    vorab = "Trockenlauf – es wurde nichts geändert. " if trockenlauf else ""
    lines = [
        f"{vorab}{datei.name}: Teilnahmeliste „{veranstaltung}“ am {dt.de(datum)}, "
        f"{_mal(result.gelesen, 'Zeile', 'Zeilen')} gelesen.",
        f"  Übernommene Teilnahmen: {_zahl(result.uebernommen)} ({_zahl(zaehler['nummer'])} per "
        f"Mitgliedsnummer, {_zahl(zaehler['name'])} per Name).",
    ]
    if zaehler["bereits"]:
        lines.append(f"  Schon früher erfasst, nicht doppelt gezählt: {_zahl(zaehler['bereits'])}.")
    if zaehler["doppelt"]:
        lines.append(f"  Mehrfach auf der Liste (einmal gezählt): {_zahl(zaehler['doppelt'])}.")
    if zaehler["mehrdeutig"] or zaehler["unbekannt"]:
        lines.append(
            f"  Nicht zugeordnet (nicht geraten, siehe Fehlerdatei): {_zahl(zaehler['mehrdeutig'])} nicht "
            f"eindeutig, {_zahl(zaehler['unbekannt'])} unbekannt."
        )
    if zaehler["kein_mitglied"]:
        lines.append(
            f"  Am Tag der Veranstaltung kein Mitglied (trotzdem erfasst, siehe Warnungen): "
            f"{_zahl(zaehler['kein_mitglied'])}."
        )
    if datum > tag:
        lines.append(
            f"  Die Veranstaltung liegt nach dem Stichtag ({dt.de(tag)}); die Teilnahmen zählen ab {dt.de(datum)}."
        )
    result.details = {
        "zusammenfassung": "\n".join(lines),
        "veranstaltung": veranstaltung,
        "datum": datum.isoformat(),
        "kontakte": result.uebernommen,
        "per_nummer": zaehler["nummer"],
        "per_name": zaehler["name"],
        "mehrdeutig": zaehler["mehrdeutig"],
        "unbekannt": zaehler["unbekannt"],
        "bereits_erfasst": zaehler["bereits"],
        "doppelt": zaehler["doppelt"],
        "kein_mitglied": zaehler["kein_mitglied"],
    }
    return result


def _eingrenzen(
    kandidaten: list[str], mitglieder: dict[str, dict[str, Any]], datum: date, ov: object
) -> list[str]:
    """Narrow namesakes by facts on the list, never by guessing: member on the day, then the Ortsverein column."""
    tag = datum.isoformat()
    aktiv = [
        k
        for k in kandidaten
        if mitglieder[k]["eintrittsdatum"] <= tag
        and (mitglieder[k]["austrittsdatum"] is None or mitglieder[k]["austrittsdatum"] > tag)
    ]
    if len(aktiv) == 1:
        return aktiv
    kandidaten = aktiv or kandidaten
    ortsverein = _name(ov)
    if ortsverein:
        im_ov = [k for k in kandidaten if _name(mitglieder[k]["ortsverein"]) == ortsverein]
        if im_ov:
            return im_ov
    return kandidaten
