"""The frame every returned list shares: one transaction with its row in ``importe``, rejected rows as data,
the error file that can be fixed and imported again, and the key that makes a second import change nothing.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from mitgliederarbeit import dateien as ausgabe
from mitgliederarbeit import datum as dt
from mitgliederarbeit.bestand import speicher
from mitgliederarbeit.bestand.kontakte import schluessel  # noqa: F401 - the key of every contact, defined once
from mitgliederarbeit.einlesen.ergebnis import ImportErgebnis
from mitgliederarbeit.einlesen.normalisieren import Problem
from mitgliederarbeit.ordner import Arbeitsordner

DATENSCHUTZ_HINWEIS = (
    "Datenschutz: Diese Datei enthält personenbezogene Daten. Bitte nach der Korrektur löschen."
)


@dataclass
class Fehlerzeile:
    """A row that was rejected (``schwer``) or recorded with a warning, with its cells as written."""

    blatt: str
    zeile: int
    meldung: str
    schwer: bool
    werte: dict[str, object] = field(default_factory=dict)  # field -> cell as written
    anrufer: str | None = None


class ZeileAbgelehnt(Exception):
    """Raised by a step that cannot use a row; the row loop records it as a :class:`Fehlerzeile`."""

    def __init__(self, meldung: str, grund: str = "") -> None:
        super().__init__(meldung)
        self.meldung = meldung
        self.grund = grund  # the counter this rejection adds to, if any


class _Rollback(Exception):
    """Raised inside the transaction of a dry run so that nothing is kept."""


@dataclass
class Lauf:
    """An open list import: the connection inside its transaction and the id of its row in ``importe``."""

    conn: sqlite3.Connection
    import_id: int


@contextmanager
def transaktion(
    ordner: Arbeitsordner, art: str, datei: Path, stand: date | None, *, trockenlauf: bool
) -> Iterator[Lauf]:
    """Open the store, begin one transaction (backed up unless a dry run), enter the import; a dry run's
    :func:`abschliessen` rolls it all back."""
    store = speicher.oeffnen(ordner.pfad)
    try:
        with store.transaktion(sichern=not trockenlauf) as conn:
            yield Lauf(conn, _importe_eintragen(conn, art, datei, stand))
    except _Rollback:
        pass
    finally:
        store.close()


def _importe_eintragen(conn: sqlite3.Connection, art: str, datei: Path, stand: date | None) -> int:
    digest = hashlib.sha256(datei.read_bytes()).hexdigest()
    cursor = conn.execute(
        "INSERT INTO importe (art, datei, sha256, stand, zeit) VALUES (?,?,?,?,?)",
        (art, datei.name, digest, dt.iso(stand), datetime.now().isoformat(timespec="seconds")),
    )
    assert cursor.lastrowid is not None
    return cursor.lastrowid


def abschliessen(
    lauf: Lauf,
    result: ImportErgebnis,
    fehler: list[Fehlerzeile],
    fehlerdatei: Callable[[], Path],
    *,
    trockenlauf: bool,
) -> None:
    """The shared end of every list import: the error file (logged), the counts, the import row.

    A dry run ends here by rolling the transaction back.
    """
    if fehler and not trockenlauf:
        result.fehlerdatei = fehlerdatei()
        rows = len({(z.blatt, z.zeile) for z in fehler})
        speicher.protokollieren(lauf.conn, "import", "importfehler", rows, result.fehlerdatei)
    result.abgelehnt = sum(1 for z in fehler if z.schwer)
    result.warnungen = sum(1 for z in fehler if not z.schwer)
    result.probleme = [_problem(z) for z in fehler]
    _importe_abschliessen(lauf, result)
    if trockenlauf:
        raise _Rollback


def _importe_abschliessen(lauf: Lauf, result: ImportErgebnis) -> None:
    if result.uebernommen == 0:
        # nothing new: leave no trace, so importing the same list twice changes nothing
        lauf.conn.execute("DELETE FROM importe WHERE id = ?", (lauf.import_id,))
        return
    lauf.conn.execute(
        "UPDATE importe SET gelesen=?, uebernommen=?, abgelehnt=?, warnungen=?, fehlerdatei=? WHERE id=?",
        (
            result.gelesen,
            result.uebernommen,
            result.abgelehnt,
            result.warnungen,
            str(result.fehlerdatei) if result.fehlerdatei else None,
            lauf.import_id,
        ),
    )


def _problem(z: Fehlerzeile) -> Problem:
    wo = f" (Blatt „{z.blatt}“)" if z.blatt else ""
    return Problem(z.zeile, None, f"{z.meldung}{wo}", schwer=z.schwer)


@dataclass
class Fehlerdatei:
    """How a list's error file looks: its name, the metadata that lets it be imported again, its columns."""

    ordner: Path
    stem: str
    quelle: str  # the imported file's name
    meta: dict[str, str]
    kopf: dict[str, str]  # field -> column header, in the order of the columns
    hinweise: list[str]
    auswahl: dict[str, list[str]] = field(default_factory=dict)  # field -> dropdown values
    mit_blatt: bool = False  # columns "Blatt" and "Anrufer" (lists with several sheets)

    def schreiben(self, zeilen: list[Fehlerzeile]) -> Path:
        """The rejected rows (and warnings) with the list's own column names, importable again."""
        vorne = ["Fehler", "Blatt", "Zeile", "Anrufer"] if self.mit_blatt else ["Fehler", "Zeile"]
        kopf = [*vorne, *self.kopf.values()]
        auswahl = {
            len(vorne) + list(self.kopf).index(f): w for f, w in self.auswahl.items() if f in self.kopf
        }
        zeilen_ab = [self._zeile(z) for z in zeilen if z.schwer]
        zeilen_warn = [self._zeile(z) for z in zeilen if not z.schwer]
        tabellen = [
            ausgabe.Tabelle("Abgelehnt", kopf, zeilen_ab, breiten={0: 50}, auswahl=auswahl),
            ausgabe.Tabelle("Warnungen", kopf, zeilen_warn, breiten={0: 50}),
            ausgabe.Tabelle(
                "Hinweise", [], [], text_zeilen=[f"Fehler beim Import von {self.quelle}", *self.hinweise]
            ),
        ]
        path = ausgabe.freier_name(self.ordner / f"{self.stem}.xlsx")
        return ausgabe.xlsx(path, tabellen, self.meta)

    def _zeile(self, z: Fehlerzeile) -> list[object]:
        vorne: list[object] = (
            [z.meldung, z.blatt, z.zeile, z.anrufer] if self.mit_blatt else [z.meldung, z.zeile]
        )
        return [*vorne, *[z.werte.get(f) for f in self.kopf]]
