"""``mitglieder uebersicht``: members per Ortsverein, Eintritte and Austritte of the last 12 months, last import.

The counts are the report's, computed by the report's code (:func:`entwicklung.bewegung_im_zeitraum`): members
where they are on the Stichtag, an Eintritt in the Ortsverein where the membership began, an Austritt in the one it
ended in; a re-entry after a gap is a new Eintritt and its earlier exit stays an Austritt, a move is neither. So
``uebersicht`` and ``bericht`` agree for the same 12 months (``tests/test_entwicklung.py`` checks both against an
independent computation on generated stores).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from mitgliederarbeit.auswertung.entwicklung import bewegung_im_zeitraum
from mitgliederarbeit.auswertung.kennzahlen import Zeitraum
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
    zeitraum = Zeitraum.bestimmen(tag)
    store = speicher.oeffnen(ordner.pfad)
    try:
        gruppen = bewegung_im_zeitraum(store.conn, zeitraum, "ortsverein")
        last = store.conn.execute(
            "SELECT datei, stand, zeit FROM importe WHERE art IN ('mitglieder', 'nachtrag') ORDER BY id DESC LIMIT 1"
        ).fetchone()
    finally:
        store.close()
    result = Uebersicht(stichtag=tag, seit=zeitraum.von)  # the first day counted
    result.ortsvereine = [
        OrtsvereinZahlen(b.name, b.mitglieder_ende, b.eintritte, b.austritte)
        for b in gruppen
        if b.mitglieder_ende or b.eintritte or b.austritte
    ]
    if last:
        result.letzter_import = {"datei": last["datei"], "stand": last["stand"], "zeit": last["zeit"]}
    return result
