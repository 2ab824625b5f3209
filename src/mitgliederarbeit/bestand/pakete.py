"""The Ortsverein package's format and its records in the store: what ``ortsvereine`` writes and ``import`` reads.

Both sides need the same sheet and column names and the same metadata keys, so they are defined here, once.
The store remembers every package (table ``pakete``) so the next one lists the changes since the last, and has an
id of its own (``meta.bestand_id``) so a package is never imported into another store.
"""

from __future__ import annotations

import sqlite3
from datetime import date, datetime

META_ART = "ortsvereinspaket"
VERSION = "1"
BLATT_NEU = "Neue Mitglieder"
BLATT_AENDERUNGEN = "Änderungen"
BLATT_ANLEITUNG = "Anleitung"
BLATT_DATENSCHUTZ = "Datenschutz"

SPALTE_NR = "Mitgliedsnummer"
SPALTE_PATE = "Pat*in"
SPALTE_NOTIZ = "Notiz"
# the columns of "Neue Mitglieder" before the steps of the standard
VORNE = [SPALTE_NR, "Vorname", "Nachname", "Eintritt", "Telefon", "Mobil", "Fällig"]
HINTEN = [SPALTE_PATE, SPALTE_NOTIZ]

LOESCHFRIST_MONATE = 3


def vorausgefuellt_schluessel(nr: str, schritt: int) -> str:
    """The hidden sheet's key of the date a package shows pre-filled (green) for a member's step (1, 2, …)."""
    return f"v.{nr}.{schritt}"


def schritt_art(arten: list[str]) -> str:
    """The kind a date filled into a step's column is recorded as.

    The step's first kind, with one exception: where that is a call and the step also accepts a talk, a talk
    (``gespraech``). A date a chair fills in is a personal contact on the Ortsverein's side, often a visit; recorded
    as a call it would show on the next call list as a call that was never made.
    """
    if arten[0] in ("anruf", "anruf_erreicht") and "gespraech" in arten:
        return "gespraech"
    return arten[0]


def bestand_id(conn: sqlite3.Connection, *, anlegen: bool = False) -> str | None:
    """The store's own id (made at the first package): a package names it, its import checks it."""
    row = conn.execute("SELECT wert FROM meta WHERE schluessel = 'bestand_id'").fetchone()
    if row is not None:
        return str(row[0])
    if not anlegen:
        return None
    import secrets  # only here: with its hashlib it costs a call list, which reads the id, 3 ms at start-up

    neu = secrets.token_hex(8)
    conn.execute("INSERT INTO meta (schluessel, wert) VALUES ('bestand_id', ?)", (neu,))
    return neu


def letztes_paket(conn: sqlite3.Connection, ortsverein: str) -> sqlite3.Row | None:
    """The package the next one for this Ortsverein continues (``stichtag``, ``bis_import``, ``zeit``, …), or None:
    the last one written before the latest import that changed members.

    A package written again without such an import since (once more with a password, or after a correction) holds
    the changes the one before it held, not none: the earlier is usually deleted, the new one is what is sent.
    """
    row: sqlite3.Row | None = conn.execute(
        "SELECT * FROM pakete WHERE ortsverein = ? AND bis_import < coalesce((SELECT max(import_id) FROM "
        "bewegungen), 1 << 62) ORDER BY id DESC LIMIT 1",
        (ortsverein,),
    ).fetchone()
    return row


def letzter_import(conn: sqlite3.Connection) -> int:
    """The id of the latest import: a package's changes reach up to it, the next package's start after it."""
    return int(conn.execute("SELECT coalesce(max(id), 0) FROM importe").fetchone()[0])


def paket_eintragen(
    conn: sqlite3.Connection,
    *,
    paket: str,
    ortsverein: str,
    stichtag: date,
    seit: date | None,
    bis_import: int,
    anzahl: int,
    datei: str,
) -> None:
    conn.execute(
        "INSERT INTO pakete (paket, ortsverein, zeit, stichtag, seit, bis_import, anzahl, datei) "
        "VALUES (?,?,?,?,?,?,?,?)",
        (
            paket,
            ortsverein,
            datetime.now().isoformat(timespec="seconds"),
            stichtag.isoformat(),
            seit.isoformat() if seit else None,
            bis_import,
            anzahl,
            datei,
        ),
    )
