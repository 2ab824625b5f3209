"""German summaries of core results, for the terminal. Uses :mod:`console`; never imported by the core."""

from __future__ import annotations

from mitgliederarbeit import console
from mitgliederarbeit import datum as dt
from mitgliederarbeit.console import zahl

_QUELLE = {
    "option": "aus --stand",
    "titel": "aus der Titelzeile",
    "stichtag": "Stichtag, kein Stand in der Datei",
    "fehlerdatei": "aus der Fehlerdatei",
}


def import_zusammenfassung(result) -> None:  # noqa: ANN001 - ImportErgebnis, imported lazily
    name = result.datei.rsplit("/", 1)[-1]
    if result.bereits_importiert:
        console.meldung(f"{name}: wurde bereits importiert – nichts geändert.")
        return
    if result.art in ("anrufliste", "teilnahme"):
        console.meldung(
            result.details.get("zusammenfassung", f"{name}: {zahl(result.uebernommen)} übernommen.")
        )
    else:
        vorab = "Trockenlauf – es wurde nichts geändert. " if result.trockenlauf else ""
        stand = f"Stand {dt.de(result.stand)} ({_QUELLE.get(result.stand_quelle, result.stand_quelle)})"
        console.meldung(f"{vorab}{name}: {stand}, {zahl(result.ortsvereine)} Ortsvereine.")
        console.meldung(
            f"  {zahl(result.gelesen)} Zeilen gelesen, {zahl(result.uebernommen)} übernommen, "
            f"{zahl(result.abgelehnt)} abgelehnt, {zahl(result.warnungen)} Warnungen."
        )
        if result.erstimport:
            console.meldung(f"  Erster Import: {zahl(result.eintritte)} Mitglieder neu im Bestand.")
        else:
            wieder = f", {zahl(result.wiedereintritte)} Wiedereintritte" if result.wiedereintritte else ""
            console.meldung(
                f"  Eintritte: {zahl(result.eintritte)}, Austritte: {zahl(result.austritte)}, "
                f"Wechsel: {zahl(result.wechsel)}, Änderungen: {zahl(result.aenderungen)}{wieder}."
            )
    schwer = [p for p in result.probleme if p.schwer]
    for problem in schwer[:10]:
        console.hinweis(f"  Zeile {problem.zeile}: {problem.meldung}")
    if len(schwer) > 10:
        console.hinweis(f"  … und {zahl(len(schwer) - 10)} weitere.")
    if result.fehlerdatei:
        console.meldung(f"  Abgelehnte Zeilen und Warnungen: {result.fehlerdatei}")
        if result.abgelehnt:
            console.meldung("  Bitte dort korrigieren und die Datei erneut importieren.")


def uebersicht(result) -> None:  # noqa: ANN001 - Uebersicht
    rows = [
        [o.ortsverein, zahl(o.mitglieder), zahl(o.eintritte), zahl(o.austritte)] for o in result.ortsvereine
    ]
    rows.append(
        [
            "Gesamt",
            zahl(result.mitglieder),
            zahl(sum(o.eintritte for o in result.ortsvereine)),
            zahl(sum(o.austritte for o in result.ortsvereine)),
        ]
    )
    console.tabelle(
        f"Mitglieder am {dt.de(result.stichtag)}",
        ["Ortsverein", "Mitglieder", f"Eintritte seit {dt.de(result.seit)}", "Austritte"],
        rows,
        rechts={1, 2, 3},
    )
    if result.letzter_import:
        last = result.letzter_import
        console.meldung(
            f"Letzter Import: {last['datei']} (Stand {dt.de(dt.from_iso(last['stand']))}, "
            f"importiert am {dt.de(dt.from_iso(last['zeit'][:10]))})."
        )


# --- segmente, anrufliste ---


# --- briefe ---


# --- bericht ---
