"""What one imported file did to the store: the result every kind of import returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from mitgliederarbeit import datum as dt
from mitgliederarbeit.einlesen.normalisieren import Problem


@dataclass
class ImportErgebnis:
    """What one file did to the store (the ``--json`` keys are a contract)."""

    datei: str
    art: str
    stand: date | None = None
    gelesen: int = 0
    uebernommen: int = 0
    abgelehnt: int = 0
    warnungen: int = 0
    eintritte: int = 0
    austritte: int = 0
    wechsel: int = 0
    aenderungen: int = 0
    wiedereintritte: int = 0
    fehlerdatei: Path | None = None
    probleme: list[Problem] = field(default_factory=list)
    bereits_importiert: bool = False
    trockenlauf: bool = False
    stand_quelle: str = ""
    ortsvereine: int = 0
    erstimport: bool = False
    details: dict[str, Any] = field(default_factory=dict)  # per kind of file, e.g. call results
    # per kind of file, what the terminal's sentences are made from (cli/darstellung.py); not part of --json
    bilanz: Any = field(default=None, repr=False, compare=False)

    def as_json(self) -> dict[str, Any]:
        result = {
            "datei": self.datei,
            "art": self.art,
            "stand": dt.iso(self.stand),
            "gelesen": self.gelesen,
            "uebernommen": self.uebernommen,
            "abgelehnt": self.abgelehnt,
            "warnungen": self.warnungen,
            "eintritte": self.eintritte,
            "austritte": self.austritte,
            "wechsel": self.wechsel,
            "aenderungen": self.aenderungen,
            "fehlerdatei": str(self.fehlerdatei) if self.fehlerdatei else None,
            "wiedereintritte": self.wiedereintritte,
            "bereits_importiert": self.bereits_importiert,
            "trockenlauf": self.trockenlauf,
            "ortsvereine": self.ortsvereine,
            "erstimport": self.erstimport,
        }
        result.update(self.details)
        return result
