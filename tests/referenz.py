"""The reference import: every row through ``normalize_row``, every member through the straightforward comparison.

This is the row-by-row import the fast route replaced, kept here as the oracle: the route must give the same
records, the same problems (messages, row numbers, order) and, import after import, the same store.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from mitgliederarbeit.einlesen import abgleich as ab
from mitgliederarbeit.einlesen import importieren as imp
from mitgliederarbeit.einlesen import lesen
from mitgliederarbeit.einlesen.export import db
from mitgliederarbeit.einlesen.normalisieren import Problem, normalize_row, text
from mitgliederarbeit.felder import FLAGS, GESPEICHERT
from mitgliederarbeit.nummern import nummer_key


@dataclass
class Normalisiert:
    """What the reference makes of an export's rows."""

    datensaetze: list[dict[str, Any]]
    probleme: list[Problem]
    abgelehnte_nummern: set[str]
    ortsvereine: set[str]
    gelesen: int


def _doppelt(zeile: int, nummer: str, erste: int) -> Problem:
    return Problem(
        zeile, "mitgliedsnummer", f"Mitgliedsnummer {nummer} kommt mehrfach vor (zuerst in Zeile {erste})"
    )


def _abgelehnt(cells: dict[str, Any], rejected_numbers: set[str], ortsvereine: set[str]) -> None:
    raw_number = cells.get("mitgliedsnummer")
    if raw_number is not None:
        number_text = text(raw_number)
        if number_text:
            rejected_numbers.add(nummer_key(number_text))
    ov = text(cells.get("ortsverein"))  # as an accepted row's Ortsverein is written
    if ov:
        ortsvereine.add(ov)


def normalisieren(
    data_rows: Sequence[Sequence[object]], mapping: list[tuple[str, int]], kopfzeile: int, stand: date
) -> Normalisiert:
    """Row by row through :func:`normalize_row`; of rows sharing a number the first counts."""
    records: list[dict[str, Any]] = []
    problems: list[Problem] = []
    rejected_numbers: set[str] = set()
    ortsvereine: set[str] = set()
    first_row: dict[str, int] = {}
    gelesen = 0
    for offset, row in enumerate(data_rows):
        if not any(c is not None for c in row):
            continue
        gelesen += 1
        zeile = kopfzeile + offset + 2
        # the text of each cell, as both readers give it to the route (normalisieren.text)
        cells = {feld: text(row[col]) if col < len(row) else None for feld, col in mapping}
        record, row_problems = normalize_row(cells, zeile, stand)
        if record is not None and record["nr"] in first_row:
            row_problems.append(_doppelt(zeile, record["mitgliedsnummer"], first_row[record["nr"]]))
            record = None
        problems.extend(row_problems)
        if record is None:
            _abgelehnt(cells, rejected_numbers, ortsvereine)
            continue
        first_row[record["nr"]] = zeile
        ortsvereine.add(record["ortsverein"])
        records.append(record)
    return Normalisiert(records, problems, rejected_numbers, ortsvereine, gelesen)


def normalisieren_blatt(blatt: lesen.Blatt, export: imp.Export) -> Normalisiert:
    """The reference for a sheet read row by row, with the header and Stand the route found."""
    kopf = export.kopf
    return normalisieren(blatt.rows[kopf.zeile + 1 :], list(kopf.zuordnung.items()), kopf.zeile, export.stand)


def _neu(
    record: dict[str, Any], import_id: int, stand: date, result: imp.ImportErgebnis, s: ab._Sammlung
) -> None:
    """A number never seen: an Eintritt."""
    nr = record["nr"]
    austritt: date | None = record.get("austrittsdatum")
    values = [db(record.get(f, False if f in FLAGS else None)) for f in GESPEICHERT]
    warn = ab._warn(record)
    s.inserts.append((nr, *values, warn, import_id, import_id, stand.isoformat()))
    result.eintritte += 1
    s.movements.append(
        (import_id, nr, "eintritt", db(record["eintrittsdatum"]), None, record["ortsverein"], None)
    )
    s.periods.append(
        (
            "open",
            (
                nr,
                record["ortsverein"],
                record.get("unterbezirk"),
                db(record["eintrittsdatum"]),
                db(austritt),
                import_id,
            ),
        )
    )
    if austritt and austritt <= stand:
        result.austritte += 1
        s.movements.append((import_id, nr, "austritt", db(austritt), record["ortsverein"], None, None))


INSERT_MITGLIED = (
    f"INSERT INTO mitglieder (nr, {', '.join(GESPEICHERT)}, warnfelder, erster_import, letzter_import, "
    f"stand) VALUES ({','.join('?' * (len(GESPEICHERT) + 5))})"
)


def anwenden(
    conn: Any,
    records: Sequence[dict[str, Any]],
    export: imp.Export,
    import_id: int,
    result: imp.ImportErgebnis,
    *,
    nachtraeglich: bool,
) -> tuple[int, int]:
    """Member by member: returns (members missing from the snapshot, members of its Ortsvereine before it)."""
    stand = export.stand
    current = {row["nr"]: dict(row) for row in conn.execute("SELECT * FROM mitglieder")}
    s = ab._Sammlung()
    s.insert_sql = INSERT_MITGLIED
    seen: set[str] = set()
    for record in records:
        nr = record["nr"]
        seen.add(nr)
        old = current.get(nr)
        if old is None:
            _neu(record, import_id, stand, result, s)
        else:
            ab._bestehend(
                conn, record, old, import_id, stand, result, s, nachtraeglich=nachtraeglich,
                geschlecht_abgeleitet="geschlecht" not in export.kopf.zuordnung,
            )  # fmt: skip
    fehlend = im_bestand = 0
    if not nachtraeglich:
        bestand = ((nr, o["ortsverein"], o["austrittsdatum"], o["stand"]) for nr, o in current.items())
        fehlend, im_bestand = ab._fehlend(conn, bestand, export, seen, import_id, result, s)
    ab._schreiben(conn, s)
    return fehlend, im_bestand
