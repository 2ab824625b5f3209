"""``mitglieder import``: one door for everything that comes in.

Read top to bottom: :func:`importieren` reads each file (:mod:`lesen`) and recognizes its kind
(:func:`erkennen`). A member export is then normalized (:func:`export.lese_export`), and, once every file has
been read and checked, compared with the store and applied in one transaction each
(:func:`abgleich.uebernehmen`), which also writes the error file. Call lists and attendance lists go to
:mod:`anrufliste` and :mod:`teilnahme`, contact lists to :mod:`kontakte`, returned Ortsverein packages to :mod:`paket`.
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from mitgliederarbeit.bestand import speicher
from mitgliederarbeit.dateien import reste_entfernen
from mitgliederarbeit.einlesen import erkennung, lesen, spalten, zusatzspalten
from mitgliederarbeit.einlesen.abgleich import MAX_FEHLEND, MAX_FEHLEND_ANTEIL, uebernehmen
from mitgliederarbeit.einlesen.ergebnis import ImportErgebnis
from mitgliederarbeit.einlesen.export import Export, fehlerdatei_schreiben, lese_export, stand_aus_titel
from mitgliederarbeit.errors import BedienFehler, EingabeFehler, Exit, MitgliederError
from mitgliederarbeit.felder import VERGLICHEN as VERGLEICH
from mitgliederarbeit.laufzeit import ohne_gc
from mitgliederarbeit.ordner import Arbeitsordner

__all__ = [
    "MAX_FEHLEND",
    "MAX_FEHLEND_ANTEIL",
    "VERGLEICH",
    "Export",
    "ImportErgebnis",
    "erkennen",
    "fehlerdatei_schreiben",
    "importieren",
    "lese_export",
    "stand_aus_titel",
    "uebernehmen",
]

_TEILNAHME = re.compile(r"(teilnahme|anwesenheit|teilnehmer)", re.I)

Fortschritt = Callable[[str, int, "int | None"], None]
"""Progress of an import: ``(what it does, in German, done, total)``; total None while the end is not known
(reading a file, writing the store). The terminal shows it as it is, so that no phase stands still unnamed."""


def importieren(
    ordner: Arbeitsordner,
    dateien: Sequence[Path],
    *,
    art: str | None = None,
    blatt: str | None = None,
    stand: date | None = None,
    spalten_option: dict[str, str] | None = None,
    nachtraeglich: bool = False,
    trockenlauf: bool = False,
    fehler_ordner: Path | None = None,
    vollstaendig: bool = False,
    veranstaltung: str | None = None,
    datum: date | None = None,
    fortschritt: Fortschritt | None = None,
    passwort: str | None = None,
    ortsverein: str | None = None,
    leser: lesen.Leser | None = None,
) -> list[ImportErgebnis]:
    """Import files in the order of their Stand. Every file is read and checked before anything is changed.

    An encrypted file (a package written with ``--passwort``) is read with ``passwort``; without one,
    :class:`paket.PasswortNoetig` is raised before anything is read. ``leser``: read every file with this reader
    (by default :func:`lesen.leser_fuer` chooses).
    """
    if art not in (None, "mitglieder", "teilnahme", "anrufliste", "kontakte"):
        raise BedienFehler(
            f"--art „{art}“ gibt es nicht. Erlaubt: mitglieder, teilnahme, anrufliste, kontakte."
        )
    from mitgliederarbeit.einlesen import paket

    # an error file a killed import left half-written holds rows of a member export: gone with the next import
    for folder in {ordner.ausgabe, fehler_ordner or ordner.ausgabe} if not trockenlauf else ():
        reste_entfernen(folder)
    # and so does the staging file of a killed import, even if this import stops before it stages anything
    speicher.stufen_reste_entfernen(ordner.pfad)
    with ohne_gc(), contextlib.ExitStack() as offen:
        lesbare = [offen.enter_context(paket.lesbar(path, passwort)) for path in dateien]
        gelesen = [
            _lesen(ordner, path, art, blatt, stand, spalten_option, fortschritt, leser, ortsverein)
            for path in lesbare
        ]
        # a decrypted copy was read under the original's name: the results name the original
        originale = {str(les): str(path) for les, path in zip(lesbare, dateien)}
        results: list[ImportErgebnis] = []
        reihe = _reihenfolge(gelesen)
        for nummer, (kind, item) in enumerate(reihe):
            try:
                result = _uebernehmen(kind, item, ordner, nachtraeglich=nachtraeglich, trockenlauf=trockenlauf,
                                      fehler_ordner=fehler_ordner, vollstaendig=vollstaendig,
                                      veranstaltung=veranstaltung, datum=datum,
                                      phase=_phase(fortschritt))  # fmt: skip
            except MitgliederError as exc:
                namen = [
                    Path(originale.get(str(p), str(p))) for p in (_datei(k, i) for k, i in reihe[nummer:])
                ]
                raise _teilweise(exc, results, namen[0], namen[1:]) from None
            result.datei = originale.get(result.datei, result.datei)
            results.append(result)
    return results


def _phase(fortschritt: Fortschritt | None) -> Callable[[str], None] | None:
    """A phase with no known end (comparing, writing the store), told through ``fortschritt``."""
    return None if fortschritt is None else lambda text: fortschritt(text, 0, None)


def _datei(kind: str, item: Any) -> Path:
    """The file a read item came from (an :class:`Export` or a sheet)."""
    return Path(item.blatt.datei if kind == "mitglieder" else item.datei)


def _teilweise(
    exc: MitgliederError, uebernommen: list[ImportErgebnis], datei: Path, offen: list[Path]
) -> MitgliederError:
    """The error of one file of several, told as it is: the files before it are in the store (each in its own
    transaction), ``datei`` and the ones after it are not. With nothing taken before it, the error as it was."""
    geaendert = [r for r in uebernommen if not r.trockenlauf and not r.bereits_importiert]
    if not geaendert:
        return exc
    # "nothing was changed" is no longer true; the rest of the message stays as it was
    nachricht = _NICHTS_GEAENDERT.sub(lambda m: "." if m[1].strip() else "", exc.message)
    # which file was not taken, by its name: not every error starts with it (a failed backup, a concurrent change)
    if not (nachricht.startswith(f"{datei.name}:") and "nicht übernommen" in nachricht):
        nachricht += f" {datei.name} wurde nicht übernommen."
    namen = ", ".join(Path(r.datei).name for r in geaendert)
    nicht = "" if not offen else f" Ebenfalls nicht übernommen: {', '.join(p.name for p in offen)}."
    return TeilweiseImportiert(
        f"{nachricht}{nicht} Schon übernommen: {namen}.",
        hint=(exc.hint + "\n" if exc.hint else "")
        + "Nach der Korrektur denselben Aufruf wiederholen: schon übernommene Dateien werden erkannt und "
        "übersprungen.",
        ergebnisse=uebernommen,
        nicht_uebernommen=[datei, *offen],
    )


_NICHTS_GEAENDERT = re.compile(r"(\s*[;–]\s*|\s+)[Ee]s wurde nichts geändert\.")
"""A message's "nothing was changed": with "; " or " – " before it the sentence ends there with a full stop."""


class TeilweiseImportiert(MitgliederError):
    """Some files of an import went into the store, then one failed (exit 3: done, but not all of it)."""

    exit_code = Exit.TEILWEISE

    def __init__(
        self,
        message: str,
        *,
        hint: str | None = None,
        ergebnisse: list[ImportErgebnis],
        nicht_uebernommen: list[Path],
    ) -> None:
        super().__init__(message, hint=hint)
        self.ergebnisse = ergebnisse
        self.nicht_uebernommen = nicht_uebernommen  # the file that failed, then the ones after it


def _lesen(
    ordner: Arbeitsordner,
    path: Path,
    art: str | None,
    blatt: str | None,
    stand: date | None,
    spalten_option: dict[str, str] | None,
    fortschritt: Fortschritt | None,
    leser: lesen.Leser | None,
    ortsverein: str | None,
) -> tuple[str, Any]:
    """One file read and recognized: ("mitglieder", its :class:`Export`), or (kind, its sheet)."""
    if fortschritt:
        fortschritt(f"Lese {path.name} …", 0, None)
    sheet = lesen.read_fuer_import(path, blatt, leser or lesen.leser_fuer(path))
    kind = erkennen(sheet, art)
    if kind not in ("mitglieder", "importfehler"):
        if sheet.tabelle is not None:
            # call lists and attendance are read row by row, with their cells as they are (dates, numbers)
            sheet = lesen.read(path, blatt)
        return kind, sheet

    def progress(done: int, total: int) -> None:
        if fortschritt:
            fortschritt(f"Prüfe {path.name} …", done, total)

    export = lese_export(
        sheet,
        config=ordner.config,
        stichtag=ordner.stichtag,
        stand=stand,
        spalten_option=spalten_option,
        fortschritt=progress,
        ortsverein=ortsverein,
        bekannt=_bekannte_nummern(ordner),
    )
    # the error file takes its rows from export.originale; free the rest now
    sheet.rows, sheet.tabelle = [], None
    return "mitglieder", export


def _bekannte_nummern(ordner: Arbeitsordner) -> erkennung.Bekannt | None:
    """Which of some member number keys the store holds (None without a store); read only when asked."""
    pfad = ordner.pfad / speicher.SPEICHER_DATEI
    if not pfad.exists():
        return None

    def bekannt(keys: set[str]) -> set[str]:
        liste = sorted(keys)
        gefunden: set[str] = set()
        try:
            with contextlib.closing(sqlite3.connect(f"{pfad.as_uri()}?mode=ro", uri=True)) as conn:
                for i in range(0, len(liste), 500):
                    teil = liste[i : i + 500]
                    sql = f"SELECT nr FROM mitglieder WHERE nr IN ({','.join('?' * len(teil))})"  # noqa: S608
                    gefunden.update(r[0] for r in conn.execute(sql, teil))
        except sqlite3.Error:
            # an empty file (a first import stopped early), another program's database, a damaged one: nothing
            # known here; opening the store says what it is, or sets it up
            return set()
        return gefunden

    return bekannt


def _reihenfolge(gelesen: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    """Member exports in the order of their Stand (so that several months can be imported at once), then the
    rest in the order given."""
    return sorted(
        gelesen, key=lambda g: (g[0] != "mitglieder", g[1].stand if g[0] == "mitglieder" else date.min)
    )


def erkennen(blatt: lesen.Blatt, art: str | None) -> str:
    """What kind of file this is: ``mitglieder``, ``anrufliste``, ``teilnahme``, ``kontakte``, ``paket`` or
    ``importfehler``."""
    if art:
        return art
    meta_art = blatt.meta.get("art")
    if meta_art in ("anrufliste", "importfehler", "teilnahme", "kontakte"):
        return meta_art
    if meta_art == "ortsvereinspaket":  # a returned package of ``mitglieder ortsvereine`` (or its error file)
        return "paket"
    if meta_art == "segment":  # our own segment export: never a snapshot of an Ortsverein
        raise EingabeFehler(
            f"{blatt.datei.name}: das ist ein Segment-Export von „mitglieder segmente“, kein Mitgliederexport.",
            hint="Bitte den Export aus der Mitgliederdatenbank der Partei importieren.",
        )
    from mitgliederarbeit.einlesen.anrufliste import sieht_aus_wie_anrufliste

    if sieht_aus_wie_anrufliste(blatt.rows):  # a returned call list whose metadata sheet was lost
        return "anrufliste"
    from mitgliederarbeit.einlesen.kontakte import sieht_aus_wie_kontaktliste

    if sieht_aus_wie_kontaktliste(blatt.rows):  # columns Art and Datum beside a number or a name
        return "kontakte"
    from mitgliederarbeit.einlesen import paket

    if paket.sieht_aus_wie_paket(blatt.rows):  # a package without its hidden sheet: as an export, Austritte
        raise paket.ohne_verstecktes_blatt(blatt.datei)
    for row in blatt.rows[:5]:
        line = " ".join(str(c) for c in row if c is not None)
        if _TEILNAHME.search(line) and not spalten.find_header(blatt.rows[:1]):
            return "teilnahme"
    # a list of people with a presence column and no join date (OpenSlides' participants): attendance
    if any(erkennung.anwesenheitsspalte(row) is not None for row in blatt.rows[:60]):
        kopf = spalten.find_header(blatt.rows)
        if (
            kopf
            and "eintrittsdatum" not in kopf.zuordnung
            and erkennung.anwesenheitsspalte(kopf.spalten) is not None
        ):
            return "teilnahme"
    return "mitglieder"


def _uebernehmen(
    kind: str,
    item: Any,
    ordner: Arbeitsordner,
    *,
    nachtraeglich: bool,
    trockenlauf: bool,
    fehler_ordner: Path | None,
    vollstaendig: bool,
    veranstaltung: str | None,
    datum: date | None,
    phase: Callable[[str], None] | None = None,
) -> ImportErgebnis:
    """One file read before, applied to the store by its kind; ``phase`` is told what happens meanwhile."""
    if kind == "mitglieder":
        result = uebernehmen(ordner, item, nachtraeglich=nachtraeglich, trockenlauf=trockenlauf,
                             fehler_ordner=fehler_ordner, vollstaendig=vollstaendig, phase=phase)  # fmt: skip
        result.details.update(zusatzspalten.zuordnung_details(item.kopf, trockenlauf))
    else:
        if phase:
            phase(f"Übernehme {_datei(kind, item).name} …")
        if kind in ("paket", "kontakte"):
            result = _liste(kind, ordner, item, trockenlauf=trockenlauf, fehler_ordner=fehler_ordner)
        elif kind == "anrufliste":
            result = _anrufliste(ordner, item, trockenlauf=trockenlauf, fehler_ordner=fehler_ordner)
        else:
            result = _teilnahme(ordner, item, veranstaltung=veranstaltung, datum=datum, trockenlauf=trockenlauf,
                                fehler_ordner=fehler_ordner)  # fmt: skip
    # what the reader decided on its own (lines read as Windows-1252): said once, in --json as "lesehinweise"
    hinweise = (item.blatt if kind == "mitglieder" else item).hinweise
    if hinweise:
        result.details["lesehinweise"] = list(hinweise)
    return result


def _liste(kind: str, ordner: Arbeitsordner, blatt: lesen.Blatt, **optionen: Any) -> ImportErgebnis:
    """A contact list or a returned Ortsverein package."""
    from mitgliederarbeit.einlesen import kontakte, paket

    uebernehmen_ = paket.paket_uebernehmen if kind == "paket" else kontakte.kontaktliste_uebernehmen
    return uebernehmen_(ordner, blatt, **optionen)


def _anrufliste(ordner: Arbeitsordner, blatt: lesen.Blatt, **optionen: Any) -> ImportErgebnis:
    from mitgliederarbeit.einlesen.anrufliste import anrufliste_uebernehmen

    return anrufliste_uebernehmen(ordner, blatt, **optionen)


def _teilnahme(ordner: Arbeitsordner, blatt: lesen.Blatt, **optionen: Any) -> ImportErgebnis:
    from mitgliederarbeit.einlesen.teilnahme import teilnahme_uebernehmen

    return teilnahme_uebernehmen(ordner, blatt, **optionen)
