"""``mitglieder import`` in steps: the password, the import (asking for a missing column), the output.

The command in :mod:`mitgliederarbeit.cli.befehle` only resolves its options and calls these; the work itself
is :func:`mitgliederarbeit.einlesen.importieren.importieren`.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Any

from mitgliederarbeit.cli import console, darstellung


def kennwort_fuer(dateien: list[Path], passwort: str | None, *, json: bool) -> str | None:
    """The password for encrypted files among ``dateien``: the given one, else asked for in a terminal."""
    from mitgliederarbeit.einlesen.paket import verschluesselt

    if passwort is not None or json or not sys.stdin.isatty():
        return passwort  # without one, the import says which file needs it and how to give it
    geschuetzt = [d for d in dateien if verschluesselt(d)]
    if not geschuetzt:
        return None
    return console.kennwort(f"Kennwort für {geschuetzt[0].name}")


def datum_option(text: str | None, option: str) -> date | None:
    """A date option as given (``--stand``, ``--datum``), or None when it was not."""
    from mitgliederarbeit.datum import parse_option

    return parse_option(text, option) if text else None


def importieren_mit_rueckfrage(
    ordner: Any,
    dateien: list[Path],
    *,
    json: bool,
    spalten_option: dict[str, str],
    **optionen: Any,
) -> tuple[list[Any], dict[str, str]]:
    """Import ``dateien``; in a terminal, a missing column is asked for and the import tried again.

    Returns the import results and the columns the user chose (to offer saving them).
    """
    from mitgliederarbeit.einlesen import importieren
    from mitgliederarbeit.einlesen.spalten import SpalteFehlt

    gewaehlt: dict[str, str] = {}
    neu = not (ordner.pfad / "mitglieder.sqlite").exists()
    while True:
        try:
            with console.fortschritt(not json, "Lese Export …") as update:
                results = importieren.importieren(
                    ordner,
                    dateien,
                    spalten_option={**spalten_option, **gewaehlt},
                    fortschritt=darstellung.import_fortschritt(update),
                    **optionen,
                )
            return results, gewaehlt
        except importieren.TeilweiseImportiert as teil:
            # the files taken before the one that failed are in the store: their summaries first, then the error
            # (with --json, in the JSON too: which files were not taken and why)
            ausgeben(ordner, teil.ergebnisse, json=json, neu=neu, gewaehlt={}, mehrere=True, teilweise=teil)
            raise
        except SpalteFehlt as fehlt:
            quelle = _spalte_erfragen(fehlt, gewaehlt, json=json)
            if quelle is None:
                raise
            gewaehlt[fehlt.feld] = quelle


def _spalte_erfragen(fehlt: Any, gewaehlt: dict[str, str], *, json: bool) -> str | None:
    """In a terminal: offer the candidate columns instead of only naming them (None: not asked, or no choice)."""
    if json or not sys.stdin.isatty() or fehlt.feld in gewaehlt or not fehlt.kandidaten:
        return None
    return darstellung.spalte_waehlen(fehlt)


def ausgeben(
    ordner: Any,
    results: list[Any],
    *,
    json: bool,
    neu: bool,
    gewaehlt: dict[str, str],
    mehrere: bool = False,
    teilweise: Any = None,
) -> None:
    """The results as JSON or as the German summary; ``neu``: the store did not exist before this import.

    ``mehrere``: several files were given – the JSON is ``{"importe": [...]}`` even if only one was taken.
    ``teilweise``: the :class:`TeilweiseImportiert` of an import taken in part; the JSON names the files not
    taken and the error.
    """
    if json:
        if len(results) == 1 and not mehrere:
            console.json_ausgeben(darstellung.import_json(results[0]))
            return
        data: dict[str, Any] = {"importe": [darstellung.import_json(r) for r in results]}
        if teilweise is not None:
            data["nicht_uebernommen"] = [p.name for p in teilweise.nicht_uebernommen]
            data["fehler"] = {"meldung": teilweise.message, "hinweis": teilweise.hint}
        console.json_ausgeben(data)
        return
    datenbestand = ordner.pfad / "mitglieder.sqlite"
    if neu and datenbestand.exists():
        console.meldung(f"Neuer Datenbestand angelegt: {datenbestand}")
    for result in results:
        darstellung.import_zusammenfassung(result)
    if gewaehlt:
        darstellung.zuordnung_speichern(ordner.pfad, gewaehlt)
