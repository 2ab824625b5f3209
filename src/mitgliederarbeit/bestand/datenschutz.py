"""Deleting what is no longer needed (``bereinigen``) and the log of outputs with personal data (``protokoll``)."""

from __future__ import annotations

import secrets
import sqlite3
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from mitgliederarbeit import dateien, felder
from mitgliederarbeit import datum as dt
from mitgliederarbeit.bestand import sicherung, speicher
from mitgliederarbeit.ordner import Arbeitsordner

# Everything that names or reaches a person. What stays: Ortsverein, Unterbezirk, gender, birth year,
# join and exit month, so that reports on past years still add up.
# What stays of an anonymized member: the anonymous facts reports need (the dates coarsened below, the blocked
# channels reset); every other field of the export goes, and so do the store's own notes about the member.
_BLEIBT = frozenset({"mitgliedsnummer", "geschlecht", "geburtsdatum", "eintrittsdatum", "austrittsdatum"})
_BLEIBT |= frozenset({"ortsverein", "unterbezirk", *felder.FLAGS})
PERSONENFELDER = (
    *(f for f in felder.GESPEICHERT if f not in _BLEIBT),
    "interessen",
    "warnfelder",
    "will_austreten",
)


@dataclass
class Bereinigung:
    stichtag: date
    grenze: date  # members who left before this day are anonymized
    mitglieder: int = 0
    notizen: int = 0
    ausgefuehrt: bool = False
    sicherungen_geloescht: int = 0
    # half-written backup copies, damaged stores moved aside and outputs a killed process left half-written:
    # deleted whenever bereinigen runs
    reste: int = 0
    ortsvereine: dict[str, int] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "grenze": self.grenze.isoformat(),
            "mitglieder": self.mitglieder,
            "notizen": self.notizen,
            "ausgefuehrt": self.ausgefuehrt,
            "sicherungen_geloescht": self.sicherungen_geloescht,
            "reste": self.reste,
            "ortsvereine": self.ortsvereine,
        }


def _month(iso: str | None) -> str | None:
    return f"{iso[:7]}-01" if iso and len(iso) >= 7 else iso


def _year(value: str | None) -> str | None:
    if not value:
        return None
    try:
        parsed = dt.parse_datum(value)
    except dt.UngueltigesDatum:
        return None
    return f"{parsed.year}-01-01" if parsed else None


def bereinigen(ordner: Arbeitsordner, *, ausfuehren: bool) -> Bereinigung:
    """Plan (``ausfuehren=False``) or carry out the deletion; the store is compacted afterwards (VACUUM)."""
    monate = ordner.config["datenschutz"]["aufbewahrung_monate"]
    grenze = dt.add_months(ordner.stichtag, -monate)
    result = Bereinigung(ordner.stichtag, grenze)
    store = speicher.oeffnen(ordner.pfad)
    try:
        conn = store.conn
        due = _faellig(conn, grenze)
        result.mitglieder = len(due)
        for row in due:
            result.ortsvereine[row["ortsverein"]] = result.ortsvereine.get(row["ortsverein"], 0) + 1
        result.notizen = conn.execute(
            "SELECT count(*) FROM kontakte WHERE datum < ? AND (notiz IS NOT NULL OR interessen IS NOT NULL "
            "OR anrufer IS NOT NULL OR pate IS NOT NULL)",
            (grenze.isoformat(),),
        ).fetchone()[0]
        # notes from the Ortsverein packages
        result.notizen += conn.execute(
            "SELECT count(*) FROM notizen WHERE datum < ?", (grenze.isoformat(),)
        ).fetchone()[0]
        # copies a killed backup left half-written may hold anything the store ever held
        # and so may outputs a killed process left half-written under ausgabe/
        result.reste = (
            sicherung.reste_entfernen(ordner.pfad) + dateien.reste_entfernen(ordner.ausgabe, tief=True)
            if ausfuehren
            else len(sicherung.reste(ordner.pfad)) + len(dateien.reste(ordner.ausgabe, tief=True))
        )
        if not ausfuehren or (not due and not result.notizen):
            result.ausgefuehrt = ausfuehren and result.reste > 0
            return result
        with store.transaktion():
            for row in due:
                _anonymisieren(conn, row)
            conn.execute(
                "UPDATE kontakte SET notiz = NULL, interessen = NULL, anrufer = NULL, pate = NULL WHERE datum < ?",
                (grenze.isoformat(),),
            )
            conn.execute("DELETE FROM notizen WHERE datum < ?", (grenze.isoformat(),))
        # VACUUM rewrites the file, so deleted values do not linger in free pages.
        conn.execute("VACUUM")
        result.ausgefuehrt = True
        # the backups still hold what was just deleted: they go too
        result.sicherungen_geloescht = sicherung.loeschen(ordner.pfad)
    finally:
        store.close()
    return result


def _faellig(conn: sqlite3.Connection, grenze: date) -> list[sqlite3.Row]:
    """The members who left before ``grenze`` and are not anonymized yet."""
    return conn.execute(
        "SELECT nr, ortsverein, geburtsdatum, eintrittsdatum, austrittsdatum FROM mitglieder "
        "WHERE austrittsdatum IS NOT NULL AND austrittsdatum < ? AND anonymisiert = 0",
        (grenze.isoformat(),),
    ).fetchall()


def _anonymisieren(conn: sqlite3.Connection, row: sqlite3.Row) -> None:
    """One member under a random number, without anything that names or reaches them, in every table."""
    anon = f"anonym-{secrets.token_hex(8)}"
    blank = ", ".join(f"{f} = NULL" for f in PERSONENFELDER)
    conn.execute(
        f"UPDATE mitglieder SET nr = ?, mitgliedsnummer = ?, {blank}, geburtsdatum = ?, "
        "eintrittsdatum = ?, austrittsdatum = ?, kein_anruf = 0, keine_post = 0, keine_email = 0, "
        "sperre_anruf = 0, telefon_falsch = 0, mobil_falsch = 0, anonymisiert = 1 WHERE nr = ?",
        (
            anon,
            anon,
            _year(row["geburtsdatum"]),
            _month(row["eintrittsdatum"]),
            _month(row["austrittsdatum"]),
            row["nr"],
        ),
    )
    # the history keeps the months only, like the member's row (SICHERHEIT.md): an exact day of joining, moving or
    # leaving would single the person out again
    monat = "substr({0}, 1, 7) || '-01'"
    conn.execute(
        f"UPDATE zugehoerigkeit SET nr = ?, von = {monat.format('von')}, bis = {monat.format('bis')} WHERE nr = ?",
        (anon, row["nr"]),
    )
    conn.execute(
        f"UPDATE bewegungen SET nr = ?, datum = {monat.format('datum')} WHERE nr = ?", (anon, row["nr"])
    )
    conn.execute(
        "UPDATE kontakte SET nr = ?, notiz = NULL, interessen = NULL, anrufer = NULL, "
        "mitmachen = NULL, pate = NULL, schluessel = NULL WHERE nr = ?",
        (anon, row["nr"]),
    )
    conn.execute("DELETE FROM notizen WHERE nr = ?", (row["nr"],))
    conn.execute("DELETE FROM nummern_doppelt WHERE nr = ?", (row["nr"],))  # a number not yet told (schema 5)


@dataclass
class Eintrag:
    zeit: str
    befehl: str
    segment: str | None
    anzahl: int
    pfad: str

    def as_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def protokoll(ordner: Arbeitsordner) -> list[Eintrag]:
    """Every output that held personal data, oldest first."""
    store = speicher.oeffnen(ordner.pfad)
    try:
        return [
            Eintrag(r["zeit"], r["befehl"], r["segment"], r["anzahl"], r["pfad"])
            for r in store.conn.execute(
                "SELECT zeit, befehl, segment, anzahl, pfad FROM protokoll ORDER BY id"
            )
        ]
    finally:
        store.close()
