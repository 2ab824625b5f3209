"""Deleting what is no longer needed (``bereinigen``) and the log of outputs with personal data (``protokoll``)."""

from __future__ import annotations

import json
import secrets
import sqlite3
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from mitgliederarbeit import dateien, felder
from mitgliederarbeit import datum as dt
from mitgliederarbeit.bestand import sicherung, speicher
from mitgliederarbeit.ordner import Arbeitsordner
from mitgliederarbeit.zahlen import mal, zahl

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
    # dates in the store that are no day (a hand edit, README „Unlesbare Daten im Datenbestand“): read with
    # datum.tag_fuer_frist; those it cannot read keep their data, and these sentences say so
    hinweise: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "grenze": self.grenze.isoformat(),
            "mitglieder": self.mitglieder,
            "notizen": self.notizen,
            "ausgefuehrt": self.ausgefuehrt,
            "sicherungen_geloescht": self.sicherungen_geloescht,
            "reste": self.reste,
            "ortsvereine": self.ortsvereine,
            "hinweise": self.hinweise,
        }


def _month(text: str | None) -> str | None:
    """The month an anonymized row keeps of a date; none of a text that is no date."""
    tag = dt.tag_fuer_frist(text)
    return f"{tag.isoformat()[:7]}-01" if tag else None


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
        due = _faellig(conn, grenze, result)
        result.mitglieder = len(due)
        for row in due:
            result.ortsvereine[row["ortsverein"]] = result.ortsvereine.get(row["ortsverein"], 0) + 1
        kontakte = _aelter(conn, _KONTAKTE_MIT_NOTIZ, grenze)
        notizen = _aelter(conn, "notizen", grenze)  # notes from the Ortsverein packages
        result.notizen = len(kontakte.ids) + len(notizen.ids)
        result.hinweise += _hinweise(kontakte, notizen)
        # copies a killed backup left half-written may hold anything the store ever held
        # and so may outputs a killed process left half-written under ausgabe/
        # and the staging file of a killed import (names, addresses, phone numbers)
        result.reste = (
            sicherung.reste_entfernen(ordner.pfad)
            + dateien.reste_entfernen(ordner.ausgabe, tief=True)
            + speicher.stufen_reste_entfernen(ordner.pfad)
            if ausfuehren
            else len(sicherung.reste(ordner.pfad))
            + len(dateien.reste(ordner.ausgabe, tief=True))
            + len(speicher.stufen_reste(ordner.pfad))
        )
        if not ausfuehren or (not due and not result.notizen):
            result.ausgefuehrt = ausfuehren and result.reste > 0
            return result
        with store.transaktion():
            for row in due:
                _anonymisieren(conn, row)
            conn.execute(
                "UPDATE kontakte SET notiz = NULL, interessen = NULL, anrufer = NULL, pate = NULL "
                "WHERE id IN (SELECT value FROM json_each(?))",
                (json.dumps(kontakte.ids),),
            )
            conn.execute(
                "DELETE FROM notizen WHERE id IN (SELECT value FROM json_each(?))", (json.dumps(notizen.ids),)
            )
        # VACUUM rewrites the file, so deleted values do not linger in free pages.
        conn.execute("VACUUM")
        result.ausgefuehrt = True
        # the backups still hold what was just deleted: they go too
        result.sicherungen_geloescht = sicherung.loeschen(ordner.pfad)
    finally:
        store.close()
    return result


_KONTAKTE_MIT_NOTIZ = (
    "kontakte WHERE (notiz IS NOT NULL OR interessen IS NOT NULL OR anrufer IS NOT NULL OR pate IS NOT NULL)"
)


def _unlesbar_sql(spalte: str) -> str:
    return f"NOT {dt.gueltiger_tag_sql(f'substr({spalte}, 1, 10)')}"


def _faellig(conn: sqlite3.Connection, grenze: date, result: Bereinigung) -> list[sqlite3.Row]:
    """The members who left before ``grenze`` and are not anonymized yet; an exit date that is no day counts from
    :func:`datum.tag_fuer_frist`, and a member whose exit day cannot be read at all is named in ``result``."""
    zeilen = conn.execute(
        "SELECT nr, mitgliedsnummer, ortsverein, geburtsdatum, eintrittsdatum, austrittsdatum FROM mitglieder "
        f"WHERE austrittsdatum IS NOT NULL AND anonymisiert = 0 AND (austrittsdatum < ? OR "
        f"{_unlesbar_sql('austrittsdatum')})",
        (grenze.isoformat(),),
    ).fetchall()
    due, unbekannt = [], []
    for row in zeilen:
        tag = dt.tag_fuer_frist(row["austrittsdatum"])
        if tag is None:
            unbekannt.append(row)
        elif tag < grenze:
            due.append(row)
    if unbekannt:
        nummern = ", ".join(r["mitgliedsnummer"] for r in unbekannt[:10])
        weitere = f" und {zahl(len(unbekannt) - 10)} weitere" if len(unbekannt) > 10 else ""
        result.hinweise.append(
            f"{mal(len(unbekannt), 'Mitglied', 'Mitglieder')} {'hat' if len(unbekannt) == 1 else 'haben'} im "
            f"Datenbestand ein Austrittsdatum, das kein Datum ist (etwa „{min(r['austrittsdatum'] for r in unbekannt)}“, "
            "von Hand bearbeitet?): Ob die Aufbewahrungsfrist abgelaufen ist, lässt sich nicht sagen, deshalb "
            f"{'bleiben seine' if len(unbekannt) == 1 else 'bleiben ihre'} Daten vorerst – bitte prüfen "
            f"(Mitgliedsnummer {nummern}{weitere}); ein Export, der das Austrittsdatum nennt, ersetzt es."
        )
    return due


@dataclass
class _Aelter:
    """The rows of a table dated before the limit, and the dates of rows that say no date at all."""

    ids: list[int] = field(default_factory=list)
    unbekannt: list[str] = field(default_factory=list)


def _aelter(conn: sqlite3.Connection, tabelle: str, grenze: date) -> _Aelter:
    """Rows of ``tabelle`` (with its condition) dated before ``grenze``: a real day compared as text (through the
    index where there is one), a date that is no day by :func:`datum.tag_fuer_frist`."""
    wo = "AND" if " WHERE " in tabelle else "WHERE"
    result = _Aelter()
    for id_, datum in conn.execute(
        f"SELECT id, datum FROM {tabelle} {wo} (datum < ? OR {_unlesbar_sql('datum')})", (grenze.isoformat(),)
    ):
        tag = dt.tag_fuer_frist(datum)
        if tag is None:
            result.unbekannt.append(datum)
        elif tag < grenze:
            result.ids.append(id_)
    return result


def _hinweise(kontakte: _Aelter, notizen: _Aelter) -> list[str]:
    unbekannt = kontakte.unbekannt + notizen.unbekannt
    if not unbekannt:
        return []
    return [
        f"{mal(len(unbekannt), 'Eintrag', 'Einträge')} mit Notizen, Interessen oder Anrufernamen (Kontakte oder "
        f"Notizen aus Paketen) {'hat' if len(unbekannt) == 1 else 'haben'} "
        f"ein Datum, das kein Datum ist (etwa „{min(unbekannt)}“, von Hand bearbeitet?): Ob die Aufbewahrungsfrist "
        f"abgelaufen ist, lässt sich nicht sagen, deshalb {'bleibt er' if len(unbekannt) == 1 else 'bleiben sie'} "
        "vorerst – bitte im Datenbestand prüfen."
    ]


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
