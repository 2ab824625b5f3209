"""``mitglieder uebersicht``: members per Ortsverein, Eintritte and Austritte of the last 12 months, last import.

The counts are the report's (:func:`entwicklung.bewegung`): members where they are on the Stichtag, an Eintritt
in the Ortsverein where the membership began, an Austritt in the one it ended in; a re-entry after a gap is a new
Eintritt and its earlier exit stays an Austritt, a move is neither. So ``uebersicht`` and ``bericht`` agree for
the same 12 months.

``uebersicht`` should answer at once, so it counts in SQL and does not load pandas for the report's frames
(that alone took longer than the rest of the command); ``tests/test_entwicklung.py`` holds both to the same figures
on generated stores.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from mitgliederarbeit.auswertung.kennzahlen import Zeitraum, sortierschluessel
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


# A membership is a run of periods of one member without a gap (as kennzahlen.mitgliedschaften): its Eintritt is
# the first period's start, counted in that period's Ortsverein; its Austritt the last period's end, counted in the
# last period's Ortsverein. Members on a day: the periods [von, bis) that contain it.
_ZAEHLUNG = """
WITH p AS (
    SELECT ortsverein AS ov, von, bis,
           lag(bis) OVER w AS bis_davor,
           lead(von) OVER w AS von_danach
    FROM zugehoerigkeit
    WHERE date(von, '+0 days') = von  -- as kennzahlen.PERIODEN_SQL: a period without a valid start is left out
    WINDOW w AS (PARTITION BY nr ORDER BY von, rowid)
)
SELECT ov,
       count(*) FILTER (WHERE von <= :bis AND (bis IS NULL OR bis > :bis)) AS mitglieder,
       count(*) FILTER (WHERE (bis_davor IS NULL OR bis_davor <> von) AND von BETWEEN :von AND :bis) AS eintritte,
       count(*) FILTER (WHERE (von_danach IS NULL OR von_danach <> bis) AND bis BETWEEN :von AND :bis)
           AS austritte
FROM p
GROUP BY ov
"""


def uebersicht(ordner: Arbeitsordner) -> Uebersicht:
    """Counts relative to the Stichtag: Eintritte and Austritte in the 12 months up to and including it."""
    tag = ordner.stichtag
    zeitraum = Zeitraum.bestimmen(tag)
    store = speicher.oeffnen(ordner.pfad)
    try:
        zahlen = store.conn.execute(
            _ZAEHLUNG, {"von": zeitraum.von.isoformat(), "bis": zeitraum.bis.isoformat()}
        ).fetchall()
        last = store.conn.execute(
            "SELECT datei, stand, zeit FROM importe WHERE art IN ('mitglieder', 'nachtrag') ORDER BY id DESC LIMIT 1"
        ).fetchone()
    finally:
        store.close()
    result = Uebersicht(stichtag=tag, seit=zeitraum.von)  # the first day counted
    result.ortsvereine = [
        OrtsvereinZahlen(r["ov"], r["mitglieder"], r["eintritte"], r["austritte"])
        for r in sorted(zahlen, key=lambda r: sortierschluessel(r["ov"]))
        if r["mitglieder"] or r["eintritte"] or r["austritte"]
    ]
    if last:
        result.letzter_import = {"datei": last["datei"], "stand": last["stand"], "zeit": last["zeit"]}
    return result
