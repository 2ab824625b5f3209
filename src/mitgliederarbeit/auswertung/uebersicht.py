"""``mitglieder uebersicht``: members per Ortsverein, Eintritte and Austritte of the last 12 months, last import."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from mitgliederarbeit import datum as dt
from mitgliederarbeit.bestand import speicher
from mitgliederarbeit.ordner import Arbeitsordner


@dataclass
class OrtsvereinZahlen:
    ortsverein: str
    mitglieder: int
    eintritte: int
    austritte: int


@dataclass
class Uebersicht:
    stichtag: date
    seit: date
    ortsvereine: list[OrtsvereinZahlen] = field(default_factory=list)
    letzter_import: dict[str, Any] | None = None

    @property
    def mitglieder(self) -> int:
        return sum(o.mitglieder for o in self.ortsvereine)

    def as_json(self) -> dict[str, Any]:
        return {
            "stichtag": self.stichtag.isoformat(),
            "seit": self.seit.isoformat(),
            "mitglieder": self.mitglieder,
            "eintritte": sum(o.eintritte for o in self.ortsvereine),
            "austritte": sum(o.austritte for o in self.ortsvereine),
            "ortsvereine": [o.__dict__ for o in self.ortsvereine],
            "letzter_import": self.letzter_import,
        }


def uebersicht(ordner: Arbeitsordner) -> Uebersicht:
    """Counts relative to the Stichtag: Eintritte and Austritte in the 12 months up to and including it."""
    tag = ordner.stichtag
    seit = dt.add_months(tag, -12)
    store = speicher.oeffnen(ordner.pfad)
    try:
        rows = store.conn.execute(
            f"""
            SELECT m.ortsverein AS ov,
                   sum(CASE WHEN {speicher.AKTIV_AM} THEN 1 ELSE 0 END) AS mitglieder,
                   sum(CASE WHEN m.eintrittsdatum > :seit AND m.eintrittsdatum <= :tag THEN 1 ELSE 0 END) AS ein,
                   sum(CASE WHEN m.austrittsdatum > :seit AND m.austrittsdatum <= :tag THEN 1 ELSE 0 END) AS aus
            FROM mitglieder m GROUP BY m.ortsverein ORDER BY m.ortsverein
            """,
            {"tag": tag.isoformat(), "seit": seit.isoformat()},
        ).fetchall()
        last = store.conn.execute(
            "SELECT datei, stand, zeit FROM importe WHERE art IN ('mitglieder', 'nachtrag') ORDER BY id DESC LIMIT 1"
        ).fetchone()
    finally:
        store.close()
    result = Uebersicht(stichtag=tag, seit=seit)
    result.ortsvereine = [
        OrtsvereinZahlen(r["ov"], r["mitglieder"], r["ein"], r["aus"])
        for r in rows
        if r["mitglieder"] or r["ein"] or r["aus"]
    ]
    if last:
        result.letzter_import = {"datei": last["datei"], "stand": last["stand"], "zeit": last["zeit"]}
    return result
