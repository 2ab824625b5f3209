"""``mitglieder import``: one door for everything that comes in.

A member export is a snapshot of the Ortsvereine it contains. Against the store it yields Eintritte (numbers
never seen), Austritte (members of those Ortsvereine missing from the export, or with an Austrittsdatum),
Wechsel (moved to another Ortsverein) and Änderungen (other fields). Every import is one transaction.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import re
import sqlite3
import threading
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import compress
from operator import eq, itemgetter, methodcaller
from pathlib import Path
from typing import Any

from mitgliederarbeit import datum as dt
from mitgliederarbeit.einlesen import erkennung, lesen, spalten, zusatzspalten
from mitgliederarbeit.einlesen.ergebnis import ImportErgebnis
from mitgliederarbeit.einlesen.normalisieren import (
    DATUMSFELDER,
    FEHLT,
    FLAGS,
    Problem,
    normalize_columns,
    normalize_row,
    nummer_key,
    text,
)
from mitgliederarbeit.errors import BedienFehler, EingabeFehler
from mitgliederarbeit.felder import GESPEICHERT, VERGLICHEN
from mitgliederarbeit.ordner import Arbeitsordner

_MITGLIED_SPALTEN = GESPEICHERT
# Fields compared between exports for "Änderungen" (only those the new export has a column for)
VERGLEICH = VERGLICHEN
_STAND = re.compile(
    r"stand\s*(?:vom|am|per|:)?\s*:?\s*(\d{1,2}\.\s?\d{1,2}\.\s?\d{2,4}|\d{4}-\d{2}-\d{2})", re.I
)
_TEILNAHME = re.compile(r"(teilnahme|anwesenheit|teilnehmer)", re.I)


class Datensaetze:
    """The accepted rows of an export as columns: field -> one value per row (``FEHLT``: the row has no such key).

    Iterating gives each row as the dict :func:`normalize_row` returns (with ``_zeile`` and ``_warnfelder``).
    A large export read column-wise keeps its rows as a polars frame in the store's form (:attr:`tabelle`); the
    Python columns are then made only when a slow path asks for them.
    """

    def __init__(
        self,
        spalten: dict[str, list[Any]] | None,
        zeilen: list[int] | None,
        warnfelder: dict[int, list[str]],
        tabelle: Any = None,
    ) -> None:
        self._spalten = spalten
        self._zeilen = zeilen
        self.warnfelder = warnfelder  # position -> fields with a warning (rows without one are not listed)
        self.tabelle = tabelle

    @property
    def spalten(self) -> dict[str, list[Any]]:
        if self._spalten is None:
            self._spalten = _spalten_aus_tabelle(self.tabelle)
        return self._spalten

    @property
    def zeilen(self) -> list[int]:
        if self._zeilen is None:
            self._zeilen = self.tabelle["_zeile"].to_list()
        return self._zeilen

    def __len__(self) -> int:
        return self.tabelle.height if self._zeilen is None else len(self._zeilen)

    def datensatz(self, i: int) -> dict[str, Any]:
        record: dict[str, Any] = {"_zeile": self.zeilen[i], "_warnfelder": list(self.warnfelder.get(i, ()))}
        for feld, werte in self.spalten.items():
            if werte[i] is not FEHLT:
                record[feld] = werte[i]
        return record

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return (self.datensatz(i) for i in range(len(self)))

    @classmethod
    def aus_datensaetzen(cls, records: Sequence[dict[str, Any]]) -> Datensaetze:
        felder: dict[str, None] = {}
        for record in records:
            felder.update(dict.fromkeys(k for k in record if k not in ("_zeile", "_warnfelder")))
        spalten = {f: [r.get(f, FEHLT) for r in records] for f in felder}
        warnfelder = {i: list(r["_warnfelder"]) for i, r in enumerate(records) if r["_warnfelder"]}
        return cls(spalten, [r["_zeile"] for r in records], warnfelder)


def _spalten_aus_tabelle(tabelle: Any) -> dict[str, list[Any]]:
    """The Python columns of a frame in the store's form, as the column-wise path makes them."""
    spalten: dict[str, list[Any]] = {}
    for feld in tabelle.columns:
        if feld.startswith("_") or feld == "warnfelder":
            continue
        werte = tabelle[feld].to_list()
        if feld in DATUMSFELDER:
            cache = {v: _vom_db_datum(v) for v in set(werte)}
            werte = list(map(cache.__getitem__, werte))
        elif feld in FLAGS:
            werte = [bool(v) for v in werte]
        if f"_fehlt_{feld}" in tabelle.columns:
            werte = [FEHLT if f else v for v, f in zip(werte, tabelle[f"_fehlt_{feld}"].to_list())]
        spalten[feld] = werte
    return spalten


def _vom_db_datum(value: str | None) -> Any:
    """ISO text back to a date; a birth date kept as written (it had a warning) stays text."""
    if value is None or not _ISO_TAG.match(value):
        return value
    return date.fromisoformat(value)


_ISO_TAG = re.compile(r"\d{4}-\d{2}-\d{2}\Z")


_Normalisiert = tuple[Datensaetze, list[Problem], set[str], set[str], int]


def _abgelehnt(cells: dict[str, Any], rejected_numbers: set[str], ortsvereine: set[str]) -> None:
    """A rejected row still names its number (so it is not taken for an Austritt) and its Ortsverein."""
    raw_number = cells.get("mitgliedsnummer")
    if raw_number is not None:
        number_text = text(raw_number)
        if number_text:
            rejected_numbers.add(nummer_key(number_text))
    ov = cells.get("ortsverein")
    if ov is not None and str(ov).strip():
        ortsvereine.add(str(ov).strip())


def _doppelt(zeile: int, nummer: str, erste: int) -> Problem:
    return Problem(
        zeile, "mitgliedsnummer", f"Mitgliedsnummer {nummer} kommt mehrfach vor (zuerst in Zeile {erste})"
    )


_Sonderzeile = tuple[int, int, dict[str, Any], bool, tuple[Any, ...]]


def _sonderzeilen(
    zeilen: Iterable[_Sonderzeile], stand: date
) -> tuple[list[Problem], list[int], dict[int, dict[str, Any]], set[str], set[str]]:
    """The rows the column-wise paths are not sure about, in order: (position, row number, raw cells, whether it
    may have a problem, its (nr, number, Ortsverein) as the fast path computed them).

    A row that may have a problem goes through :func:`normalize_row`; of rows sharing a number the first counts.
    Returns (problems, rejected positions, records by position, numbers of rejected rows, Ortsvereine seen).
    """
    problems: list[Problem] = []
    rejected: list[int] = []
    overrides: dict[int, dict[str, Any]] = {}
    rejected_numbers: set[str] = set()
    ortsvereine: set[str] = set()
    first_row: dict[str, int] = {}
    for k, zeile, row_cells, pruefen, (nr, number, ov) in zeilen:
        record: dict[str, Any] | None = None
        row_problems: list[Problem] = []
        if pruefen:
            record, row_problems = normalize_row(row_cells, zeile, stand)
            if record is not None:
                nr, number = record["nr"], record["mitgliedsnummer"]
        if (not pruefen or record is not None) and nr in first_row:
            row_problems.append(_doppelt(zeile, number, first_row[nr]))
            record, pruefen = None, True  # rejected
        problems.extend(row_problems)
        if pruefen and record is None:
            rejected.append(k)
            _abgelehnt(row_cells, rejected_numbers, ortsvereine)
            continue
        first_row[nr] = zeile
        if record is not None:
            overrides[k] = record
            ortsvereine.add(record["ortsverein"])
        else:
            ortsvereine.add(ov)
    return problems, rejected, overrides, rejected_numbers, ortsvereine


def _normalisieren_referenz(
    data_rows: Sequence[Sequence[object]],
    mapping: list[tuple[str, int]],
    kopfzeile: int,
    stand: date,
    fortschritt: Callable[[int, int], None] | None,
) -> _Normalisiert:
    """Row by row through :func:`normalize_row`: the reference the column-wise path is tested against."""
    records: list[dict[str, Any]] = []
    problems: list[Problem] = []
    rejected_numbers: set[str] = set()
    ortsvereine: set[str] = set()
    first_row: dict[str, int] = {}
    total = len(data_rows)
    gelesen = 0
    for offset, row in enumerate(data_rows):
        if fortschritt and offset % 5000 == 0:
            fortschritt(offset, total)
        if not any(c is not None for c in row):
            continue
        gelesen += 1
        zeile = kopfzeile + offset + 2  # spreadsheet row numbers start at 1, and the header is one row
        cells = {feld: (row[col] if col < len(row) else None) for feld, col in mapping}
        record, row_problems = normalize_row(cells, zeile, stand)
        if record is not None and record["nr"] in first_row:
            row_problems.append(_doppelt(zeile, record["mitgliedsnummer"], first_row[record["nr"]]))
            record = None
        problems.extend(row_problems)
        if record is None:
            _abgelehnt(cells, rejected_numbers, ortsvereine)
            continue
        first_row[record["nr"]] = zeile
        ortsvereine.add(record["ortsverein"])
        records.append(record)
    if fortschritt:
        fortschritt(total, total)
    return Datensaetze.aus_datensaetzen(records), problems, rejected_numbers, ortsvereine, gelesen


def _normalisieren(
    data_rows: Sequence[Sequence[object]],
    mapping: list[tuple[str, int]],
    kopfzeile: int,
    stand: date,
    fortschritt: Callable[[int, int], None] | None,
    *,
    bereinigt: bool = False,
) -> _Normalisiert:
    """What :func:`_normalisieren_referenz` returns, column by column (:func:`normalize_columns`).

    Only rows that may have a problem, and rows sharing a number, go through :func:`normalize_row`; the
    problems, their order and every message are those of the row-by-row path.
    """
    total = len(data_rows)
    if fortschritt:
        fortschritt(0, total)
    leer = list(map(methodcaller("count", None), data_rows))
    laengen = list(map(len, data_rows))
    if any(map(eq, leer, laengen)):  # rows with no value at all do not count
        keep = [i for i, (n, m) in enumerate(zip(leer, laengen)) if n != m]
        rows: Sequence[Sequence[object]] = [data_rows[i] for i in keep]
        zeilen = [kopfzeile + 2 + i for i in keep]
    else:
        rows = data_rows
        zeilen = list(range(kopfzeile + 2, kopfzeile + 2 + total))
    del leer, laengen
    anzahl = len(rows)
    breiten = set(map(len, rows))
    cells: dict[str, list[Any]] = {}
    if len(breiten) == 1 and len(mapping) > 3:
        # one pass over the rows for all columns: far fewer cache misses than one pass per column
        spalten = list(zip(*rows))
        for feld, col in mapping:
            cells[feld] = list(spalten[col]) if col < len(spalten) else [None] * anzahl
        del spalten
    else:
        width = min(breiten, default=0)
        for feld, col in mapping:
            if col < width:
                cells[feld] = list(map(itemgetter(col), rows))
            else:
                cells[feld] = [row[col] if col < len(row) else None for row in rows]
    werte, check = normalize_columns(cells, anzahl, stand, bereinigt=bereinigt)
    if fortschritt:
        fortschritt(total // 2, total)

    nrs = werte["nr"]
    mehrfach = {nr for nr, n in Counter(nrs).items() if n > 1 and nr is not None}
    special = set(check)
    if mehrfach:
        special.update(i for i, nr in enumerate(nrs) if nr in mehrfach)
    problems, rejected, overrides, rejected_numbers, extra_ovs = _sonderzeilen(
        (
            (
                k,
                zeilen[k],
                {feld: werte_k[k] for feld, werte_k in cells.items()},
                k in check,
                (nrs[k], werte["mitgliedsnummer"][k], werte["ortsverein"][k]),
            )
            for k in sorted(special)
        ),
        stand,
    )

    ovs = list(werte["ortsverein"])
    for k in special:
        ovs[k] = FEHLT
    ortsvereine = set(ovs)
    ortsvereine.discard(FEHLT)
    ortsvereine |= extra_ovs

    warnfelder: dict[int, list[str]] = {}
    for k, record in overrides.items():
        for feld in record:
            if feld not in werte and feld not in ("_zeile", "_warnfelder"):
                werte[feld] = [FEHLT] * anzahl
        for feld, spalte in werte.items():
            spalte[k] = record.get(feld, FEHLT)
        if record["_warnfelder"]:
            warnfelder[k] = list(record["_warnfelder"])
    if rejected:
        mask = [True] * anzahl
        for k in rejected:
            mask[k] = False
        werte = {feld: list(compress(spalte, mask)) for feld, spalte in werte.items()}
        zeilen = list(compress(zeilen, mask))
        warnfelder = {k - bisect_left(rejected, k): w for k, w in warnfelder.items()}
    if fortschritt:
        fortschritt(total, total)
    return Datensaetze(werte, zeilen, warnfelder), problems, rejected_numbers, ortsvereine, anzahl


def _normalisieren_tabelle(
    tabelle: Any,
    mapping: list[tuple[str, int]],
    kopfzeile: int,
    stand: date,
    fortschritt: Callable[[int, int], None] | None,
) -> _Normalisiert:
    """What :func:`_normalisieren` returns, for a sheet read column-wise (:func:`lesen.read_spaltenweise`).

    The columns are worked out with polars (:mod:`spaltenweise`); rows it is not sure about, and rows sharing a
    number, go through :func:`normalize_row` as in the other paths. The accepted rows stay a frame in the
    store's form.
    """
    import polars as pl

    from mitgliederarbeit.einlesen import spaltenweise

    daten = tabelle.slice(kopfzeile + 1).with_row_index("_pos")
    total = daten.height
    if fortschritt:
        fortschritt(0, total)
    zellen_spalten = [c for c in daten.columns if c != "_pos"]
    if not zellen_spalten:
        daten = daten.clear()
    else:  # rows with no value at all do not count (most exports have none: then nothing is copied)
        belegt = daten.select(pl.any_horizontal(pl.col(zellen_spalten).is_not_null())).to_series()
        if not belegt.all():
            daten = daten.filter(belegt)
    anzahl = daten.height
    zeilen = (daten["_pos"].cast(pl.Int64) + (kopfzeile + 2)).alias("_zeile")
    zellen: dict[str, Any] = {}
    for feld, col in mapping:
        name = str(col)
        zellen[feld] = (
            daten[name].alias(feld)
            if name in daten.columns
            else pl.repeat(None, anzahl, dtype=pl.String, eager=True).alias(feld)
        )
    werte, check, fehlt = spaltenweise.normalize_frame(zellen, anzahl, stand)
    if fortschritt:
        fortschritt(total // 2, total)

    nrs = werte["nr"]
    doppelt = nrs.is_duplicated() & nrs.is_not_null()
    special = (check | doppelt).arg_true().to_list()
    check_set = set(check.arg_true().to_list())
    roh: list[dict[str, Any]] = []
    zeilen_sp: list[int] = []
    schnell_sp: list[tuple[Any, ...]] = []
    if special:
        roh = pl.DataFrame(list(zellen.values())).select(pl.all().gather(special)).to_dicts()
        zeilen_sp = zeilen.gather(special).to_list()
        schnell = werte.select(
            "nr", "mitgliedsnummer", "ortsverein" if "ortsverein" in werte.columns else "nr"
        )
        schnell_sp = schnell[special].rows()
    problems, weg, overrides, rejected_numbers, extra_ovs = _sonderzeilen(
        ((k, zeilen_sp[j], roh[j], k in check_set, schnell_sp[j]) for j, k in enumerate(special)), stand
    )

    spalten_namen = werte.columns
    frame = werte.with_columns(zeilen, pl.lit(None, dtype=pl.String).alias("warnfelder"))
    for feld, maske in fehlt.items():
        frame = frame.with_columns(maske.alias(f"_fehlt_{feld}"))
    ovs = (
        werte["ortsverein"]
        if "ortsverein" in werte.columns
        else pl.repeat(None, anzahl, dtype=pl.String, eager=True)
    )
    ortsvereine = set(ovs.filter(~_maske(anzahl, set(special))).unique().to_list())
    ortsvereine.discard(None)
    ortsvereine |= extra_ovs
    warnfelder: dict[int, list[str]] = {}
    if overrides:  # the rows normalize_row made, put in their places
        positionen = sorted(overrides)
        ersatz_zeilen = []
        for k in positionen:
            record = overrides[k]
            zeile_db: dict[str, Any] = {"_zeile": record["_zeile"]}
            for feld in spalten_namen:
                zeile_db[feld] = _db(record[feld]) if feld in record else None
            for feld in fehlt:
                zeile_db[f"_fehlt_{feld}"] = feld not in record
            zeile_db["warnfelder"] = (
                json.dumps(sorted(set(record["_warnfelder"]))) if record["_warnfelder"] else None
            )
            ersatz_zeilen.append(zeile_db)
        ersatz = pl.DataFrame(ersatz_zeilen, schema=frame.schema, orient="row")
        # most columns of those rows came out the same either way: only the others are copied
        frame = pl.DataFrame(
            [
                frame[c]
                if frame[c].gather(positionen).equals(ersatz[c], check_names=False)
                else frame[c].scatter(positionen, ersatz[c])
                for c in frame.columns
            ]
        )
        weg_sortiert = sorted(weg)
        for k in positionen:
            if overrides[k]["_warnfelder"]:
                warnfelder[k - bisect_left(weg_sortiert, k)] = list(overrides[k]["_warnfelder"])
    if weg:
        frame = frame.filter(~_maske(anzahl, set(weg)))
    if fortschritt:
        fortschritt(total, total)
    return Datensaetze(None, None, warnfelder, tabelle=frame), problems, rejected_numbers, ortsvereine, anzahl


def _maske(anzahl: int, positionen: set[int]) -> Any:
    """A polars column, true at ``positionen``."""
    import polars as pl

    maske = pl.repeat(False, anzahl, dtype=pl.Boolean, eager=True)
    return maske.scatter(sorted(positionen), True) if positionen else maske


@dataclass
class Export:
    """A member export, read and normalized, not yet compared with the store."""

    blatt: lesen.Blatt
    kopf: spalten.Kopf
    stand: date
    stand_quelle: str
    datensaetze: Datensaetze
    probleme: list[Problem]
    gelesen: int
    abgelehnte_nummern: set[str]
    ortsvereine: set[str]
    sha256: str
    nachtrag: bool = False  # a corrected error file: adds and updates rows, infers no Austritte
    originale: dict[int, list[object]] = field(
        default_factory=dict
    )  # row number -> cells, for the error file


def stand_aus_titel(titel: Sequence[str]) -> date | None:
    for line in titel:
        if m := _STAND.search(line):
            try:
                return dt.parse_datum(m[1].replace(" ", ""))
            except dt.UngueltigesDatum:
                return None
    return None


def lese_export(
    blatt: lesen.Blatt,
    *,
    config: dict[str, Any],
    stichtag: date,
    stand: date | None = None,
    spalten_option: dict[str, str] | None = None,
    fortschritt: Callable[[int, int], None] | None = None,
    referenz: bool = False,
    ortsverein: str | None = None,
) -> Export:
    """Find the header, map the columns, normalize every row. Raises :class:`EingabeFehler` if unusable.

    ``referenz`` normalizes row by row instead of column by column (same result, for the tests).
    """
    name = blatt.datei.name
    kopf = spalten.find_header(blatt.rows, extra=config["import"]["spalten"], explizit=spalten_option)
    if kopf is None:
        raise spalten.kein_kopf(blatt.rows, name)
    if spalten_option:
        known = {spalten.normalize_header(c) for c in kopf.spalten}
        for target, source in spalten_option.items():
            if spalten.normalize_header(source) not in known:
                raise BedienFehler(f"--spalte {target}={source}: {name} hat keine Spalte „{source}“.")
    zusatzspalten.ergaenzen(blatt, kopf, ortsverein, config["import"].get("ortsverein"))
    spalten.check_required(kopf, name)

    quelle = "option"
    if blatt.meta.get("art") == "importfehler" and blatt.meta.get("stand"):
        stand, quelle = dt.from_iso(blatt.meta["stand"]), "fehlerdatei"
    if stand is None:
        stand, quelle = stand_aus_titel(kopf.titel), "titel"
    if stand is None:  # "Mitgliederliste Stand 31.05.2026.xlsx"
        stand, quelle = stand_aus_titel([blatt.datei.stem.replace("_", " ")]), "dateiname"
    if stand is None:
        stand, quelle = stichtag, "stichtag"
    assert stand is not None

    nachtrag = blatt.meta.get("art") == "importfehler"
    pruefsumme = _pruefsumme_nebenher(blatt.datei)
    data_rows, mapping = blatt.rows[kopf.zeile + 1 :], list(kopf.zuordnung.items())
    if referenz:
        normalisiert = _normalisieren_referenz(data_rows, mapping, kopf.zeile, stand, fortschritt)
    elif blatt.tabelle is not None:
        normalisiert = _normalisieren_tabelle(blatt.tabelle, mapping, kopf.zeile, stand, fortschritt)
    else:
        normalisiert = _normalisieren(
            data_rows, mapping, kopf.zeile, stand, fortschritt, bereinigt=blatt.bereinigt
        )
    del data_rows
    datensaetze, problems, rejected_numbers, ortsvereine, gelesen = normalisiert
    if gelesen == 0:
        raise EingabeFehler(
            f"{name}: unter der Kopfzeile (Zeile {kopf.zeile + 1}) stehen keine Daten.",
            hint="Bitte prüfen, ob der richtige Export oder das richtige Blatt (--blatt) gewählt ist.",
        )
    digest = pruefsumme()
    return Export(
        blatt=blatt,
        kopf=kopf,
        stand=stand,
        stand_quelle=quelle,
        datensaetze=datensaetze,
        probleme=problems,
        gelesen=gelesen,
        abgelehnte_nummern=rejected_numbers,
        ortsvereine=ortsvereine,
        sha256=digest,
        nachtrag=nachtrag,
        originale=_originale(blatt, {p.zeile for p in problems}),
    )


def _originale(blatt: lesen.Blatt, zeilen: set[int]) -> dict[int, list[object]]:
    """The cells of the rows with a problem, for the error file."""
    if blatt.tabelle is None:
        return {z: list(blatt.rows[z - 1]) for z in zeilen}
    geordnet = sorted(zeilen)
    rows = blatt.tabelle[[z - 1 for z in geordnet]].rows() if geordnet else []
    return {z: list(row) for z, row in zip(geordnet, rows)}


def _pruefsumme_nebenher(pfad: Path) -> Callable[[], str]:
    """The file's SHA-256, computed in a thread while the rows are normalized (hashlib and file reads release
    the GIL, so this runs on another core); the returned function waits for it."""
    return _nebenher(lambda: hashlib.sha256(pfad.read_bytes()).hexdigest(), "pruefsumme")


def _nebenher(fn: Callable[[], Any], name: str, *, ab: threading.Event | None = None) -> Callable[[], Any]:
    """Run ``fn`` in a thread; the returned function waits for its result (or raises its exception).

    With ``ab``, ``fn`` begins once the event is set, or once its result is waited for, whichever comes first.
    """
    ergebnis: list[Any] = []

    def rechnen() -> None:
        if ab is not None:
            ab.wait()
        try:
            ergebnis.append(fn())
        except BaseException as exc:  # handed to the caller
            ergebnis.append(exc)

    thread = threading.Thread(target=rechnen, name=name, daemon=True)
    thread.start()

    def warten() -> Any:
        if ab is not None:
            ab.set()
        thread.join()
        wert = ergebnis[0]
        if isinstance(wert, BaseException):
            raise wert
        return wert

    return warten


def _db(value: object) -> object:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()[:10]
    return value


def _anschrift(strasse: str | None, hausnummer: str | None) -> str:
    return re.sub(r"\s+", "", f"{strasse or ''}{hausnummer or ''}").lower()


def _now() -> str:
    return datetime.now().isoformat(timespec="seconds")


def uebernehmen(
    ordner: Arbeitsordner,
    export: Export,
    *,
    nachtraeglich: bool = False,
    trockenlauf: bool = False,
    fehler_ordner: Path | None = None,
    vollstaendig: bool = False,
) -> ImportErgebnis:
    """Compare an export with the store and apply it in one transaction.

    A snapshot that would turn more than a quarter of its Ortsvereine's members (and more than ten) into
    Austritte is refused unless ``vollstaendig``: that is a filtered extract far more often than a mass exit.
    """
    from mitgliederarbeit.bestand import speicher

    name = export.blatt.datei.name
    result = ImportErgebnis(
        datei=str(export.blatt.datei),
        art="nachtrag" if export.nachtrag else "mitglieder",
        stand=export.stand,
        gelesen=export.gelesen,
        trockenlauf=trockenlauf,
        stand_quelle=export.stand_quelle,
        probleme=export.probleme,
        ortsvereine=len(export.ortsvereine),
    )
    result.abgelehnt = len({p.zeile for p in export.probleme if p.schwer})
    result.warnungen = sum(1 for p in export.probleme if not p.schwer)
    result.uebernommen = len(export.datensaetze)

    store_exists = (ordner.pfad / speicher.SPEICHER_DATEI).exists()
    if trockenlauf and not store_exists:
        # nothing to compare with: every number is new, nothing is written
        result.eintritte = len(export.datensaetze)
        result.erstimport = True
        return result
    store = speicher.oeffnen(ordner.pfad, anlegen=True)
    stufe: Path | None = None
    try:
        conn = store.conn
        if conn.execute(
            "SELECT 1 FROM importe WHERE sha256 = ? AND art IN ('mitglieder', 'nachtrag')", (export.sha256,)
        ).fetchone():
            result.bereits_importiert = True
            result.uebernommen = result.abgelehnt = result.warnungen = 0
            result.probleme = []
            return result
        stand_iso = export.stand.isoformat()
        if not export.nachtrag and not nachtraeglich:
            newer = conn.execute(
                f"SELECT ortsverein, max(stand) AS s FROM import_ortsvereine WHERE ortsverein IN "
                f"({','.join('?' * len(export.ortsvereine))}) GROUP BY ortsverein HAVING max(stand) > ? "
                "ORDER BY s DESC LIMIT 1",
                (*sorted(export.ortsvereine), stand_iso),
            ).fetchone()
            if newer:
                raise EingabeFehler(
                    f"{name}: der Stand {dt.de(export.stand)} ist älter als der letzte Import für "
                    f"„{newer['ortsverein']}“ (Stand {dt.de(dt.from_iso(newer['s']))}). Es wurde nichts geändert.",
                    hint="Einen älteren Export nachträglich einspielen: mitglieder import --nachtraeglich DATEI",
                )
        result.erstimport = not conn.execute("SELECT EXISTS (SELECT 1 FROM mitglieder)").fetchone()[0]
        tabelle = export.datensaetze.tabelle
        spaltenweise = tabelle is not None and not (nachtraeglich or export.nachtrag)
        # A fresh store (no import at all, so nothing to back up) takes a large first export straight through
        # the ADBC driver, in one transaction of its own.
        direkt = DIREKT and spaltenweise and result.erstimport and not trockenlauf and store.leer()
        if spaltenweise and not direkt:
            # ATTACH is not allowed inside a transaction: the staging file is written and attached before
            stufe = speicher.stufe_schreiben(ordner.pfad, {"neu": _fuer_stufe(tabelle)})
            conn.execute("ATTACH DATABASE ? AS stufe", (str(stufe),))
        fehlerdatei: Callable[[], Path] | None = None
        # the first import writes its members on both cores: the error file waits until they are in
        mitglieder_drin = threading.Event()
        if not direkt:
            mitglieder_drin.set()
        if export.probleme and not trockenlauf:
            # written on the other core while SQLite works (it releases the GIL); removed if the import fails
            target = fehler_ordner or ordner.ausgabe
            fehlerdatei = _nebenher(
                lambda: fehlerdatei_schreiben(export, target), "fehlerdatei", ab=mitglieder_drin
            )
        import_zeile = (
            "INSERT INTO importe (art, datei, sha256, stand, zeit, gelesen, nachtraeglich) VALUES (?,?,?,?,?,?,?)",
            result.art,
            name,
            export.sha256,
            stand_iso,
            _now(),
            export.gelesen,
            int(nachtraeglich or export.nachtrag),
        )
        if direkt:
            store.close()  # idle anyway; the ADBC connection is the only one writing
            with _fehlerdatei_weg_bei_fehler(fehlerdatei), speicher.direkt(ordner.pfad) as db:
                db.ausfuehren(*import_zeile)
                import_id = db.abfrage("SELECT last_insert_rowid()")[0][0]

                def mitglieder_schreiben(import_id: int = import_id) -> None:
                    db.anfuegen("mitglieder", _mitglieder_zeilen(tabelle, import_id, stand_iso))
                    mitglieder_drin.set()

                _erstimport(
                    db.ausfuehren,
                    db.abfrage,
                    mitglieder_schreiben,
                    "main.mitglieder",
                    export,
                    import_id,
                    result,
                )
                _abschliessen(db.ausfuehren, db.ausfuehren_viele, export, import_id, result, fehlerdatei)
            return result
        with _fehlerdatei_weg_bei_fehler(fehlerdatei), store.transaktion():
            import_id = conn.execute(import_zeile[0], import_zeile[1:]).lastrowid
            assert import_id is not None
            if stufe is not None and result.erstimport:
                fehlend, im_bestand = _erstimport_aus_stufe(conn, export, import_id, result)
            elif stufe is not None:
                fehlend, im_bestand = _apply(conn, export, import_id, result, nachtraeglich=False, stufe=True)
            else:
                fehlend, im_bestand = _apply(
                    conn, export, import_id, result, nachtraeglich=nachtraeglich or export.nachtrag
                )
            if not vollstaendig and fehlend > MAX_FEHLEND and fehlend > MAX_FEHLEND_ANTEIL * im_bestand:
                raise EingabeFehler(
                    f"{name}: {fehlend} von {im_bestand} Mitgliedern der enthaltenen Ortsvereine fehlen in diesem "
                    "Export und würden als ausgetreten geführt. Es wurde nichts geändert.",
                    hint="Ist das ein gefilterter Auszug (z. B. nur Neumitglieder)? Dann bitte den vollständigen "
                    "Export verwenden. Sind die Austritte echt: mitglieder import --vollstaendig DATEI",
                )
            _abschliessen(
                lambda sql, *p: conn.execute(sql, p), conn.executemany, export, import_id, result, fehlerdatei
            )
            if trockenlauf:
                raise _Rollback
    except _Rollback:
        pass
    finally:
        if stufe is not None:
            # cleaning up must not hide the error that got us here; closing the connection detaches anyway
            with suppress(sqlite3.Error):
                store.conn.execute("DETACH DATABASE stufe")
        store.close()
        if stufe is not None:
            speicher.stufe_loeschen(stufe)
    return result


def _abschliessen(
    ausfuehren: Callable[..., Any],
    ausfuehren_viele: Callable[[str, list[tuple[Any, ...]]], Any],
    export: Export,
    import_id: int,
    result: ImportErgebnis,
    fehlerdatei: Callable[[], Path] | None,
) -> None:
    """The end of an import's transaction: its Ortsvereine, the error file in the log, its counts."""
    stand_iso = export.stand.isoformat()
    if not export.nachtrag:
        ausfuehren_viele(
            "INSERT INTO import_ortsvereine (import_id, ortsverein, stand) VALUES (?,?,?)",
            [(import_id, ov, stand_iso) for ov in sorted(export.ortsvereine)],
        )
    if fehlerdatei is not None:
        result.fehlerdatei = fehlerdatei()
        ausfuehren(
            "INSERT INTO protokoll (zeit, befehl, segment, anzahl, pfad) VALUES (?,?,?,?,?)",
            _now(),
            "import",
            "importfehler",
            len({p.zeile for p in export.probleme}),
            str(result.fehlerdatei),
        )
    ausfuehren(
        "UPDATE importe SET uebernommen=?, abgelehnt=?, warnungen=?, eintritte=?, austritte=?, wechsel=?, "
        "aenderungen=?, fehlerdatei=? WHERE id=?",
        result.uebernommen,
        result.abgelehnt,
        result.warnungen,
        result.eintritte,
        result.austritte,
        result.wechsel,
        result.aenderungen,
        str(result.fehlerdatei) if result.fehlerdatei else None,
        import_id,
    )


@contextmanager
def _fehlerdatei_weg_bei_fehler(fehlerdatei: Callable[[], Path] | None) -> Iterator[None]:
    try:
        yield
    except BaseException:
        if fehlerdatei is not None:
            try:
                fehlerdatei().unlink(missing_ok=True)
            except Exception:  # the error file failed itself: nothing to remove
                pass
        raise


class _Rollback(Exception):
    """Raised inside the transaction of a dry run so that nothing is kept."""


MAX_FEHLEND, MAX_FEHLEND_ANTEIL = 10, 0.25


class _Sammlung:
    """What a snapshot writes after comparing, in the order it is written."""

    def __init__(self) -> None:
        self.inserts: list[tuple] = []
        self.insert_sql = _INSERT_MITGLIED
        # applied in order: a Wechsel closes one period, then opens the next
        self.periods: list[tuple[str, tuple]] = []
        self.movements: list[tuple] = []


def _warn(record: dict[str, Any]) -> str | None:
    return json.dumps(sorted(set(record["_warnfelder"]))) if record["_warnfelder"] else None


def _neu(record: dict[str, Any], import_id: int, stand: date, result: ImportErgebnis, s: _Sammlung) -> None:
    """A number never seen: an Eintritt."""
    nr = record["nr"]
    austritt: date | None = record.get("austrittsdatum")
    values = [_db(record.get(f, False if f in FLAGS else None)) for f in _MITGLIED_SPALTEN]
    s.inserts.append((nr, *values, _warn(record), import_id, import_id, stand.isoformat()))
    result.eintritte += 1
    s.movements.append(
        (import_id, nr, "eintritt", _db(record["eintrittsdatum"]), None, record["ortsverein"], None)
    )
    s.periods.append(
        (
            "open",
            (
                nr,
                record["ortsverein"],
                record.get("unterbezirk"),
                _db(record["eintrittsdatum"]),
                _db(austritt),
                import_id,
            ),
        )
    )
    if austritt and austritt <= stand:
        result.austritte += 1
        s.movements.append((import_id, nr, "austritt", _db(austritt), record["ortsverein"], None, None))


def _bestehend(
    conn: Any,
    record: dict[str, Any],
    old: dict[str, Any],
    import_id: int,
    stand: date,
    result: ImportErgebnis,
    s: _Sammlung,
    *,
    nachtraeglich: bool,
) -> None:
    """A known member: Wiedereintritt, Wechsel, Austritt, Änderungen; the row is updated at once."""
    nr = record["nr"]
    stand_iso = stand.isoformat()
    austritt: date | None = record.get("austrittsdatum")
    if nachtraeglich and old["stand"] and old["stand"] > stand_iso:
        return  # older data never overwrites newer
    old_exit = dt.from_iso(old["austrittsdatum"])
    was_member = old_exit is None or old_exit > stand
    reentered = not was_member and (austritt is None or (old_exit is not None and austritt > old_exit))
    if reentered:
        # back again after an exit: a new membership period
        result.wiedereintritte += 1
        s.movements.append(
            (
                import_id,
                nr,
                "wiedereintritt",
                _db(record["eintrittsdatum"]),
                None,
                record["ortsverein"],
                None,
            )
        )
        s.periods.append(
            (
                "open",
                (
                    nr,
                    record["ortsverein"],
                    record.get("unterbezirk"),
                    max(_db(record["eintrittsdatum"]), old["austrittsdatum"]),
                    _db(austritt),
                    import_id,
                ),
            )
        )
        was_member = True
        old["austrittsdatum"] = None
        old["ortsverein"] = record["ortsverein"]
    changes: dict[str, list[Any]] = {}
    for feld in VERGLEICH:
        if feld in record and _db(record[feld]) != old[feld]:
            changes[feld] = [old[feld], _db(record[feld])]
    if "strasse" in changes or "hausnummer" in changes:
        # the same address split differently by another export is no change
        before = _anschrift(old.get("strasse"), old.get("hausnummer"))
        if before == _anschrift(record.get("strasse"), record.get("hausnummer", old.get("hausnummer"))):
            changes.pop("strasse", None)
            changes.pop("hausnummer", None)
    updates: dict[str, Any] = {f: _db(record[f]) for f in _MITGLIED_SPALTEN if f in record}
    if record["ortsverein"] != old["ortsverein"] and was_member:
        result.wechsel += 1
        s.movements.append(
            (import_id, nr, "wechsel", stand_iso, old["ortsverein"], record["ortsverein"], None)
        )
        s.periods.append(("close", (stand_iso, import_id, nr)))
        s.periods.append(
            (
                "open",
                (
                    nr,
                    record["ortsverein"],
                    record.get("unterbezirk"),
                    stand_iso,
                    _db(austritt),
                    import_id,
                ),
            )
        )
    if austritt != old_exit and "austrittsdatum" in record:
        if austritt and austritt <= stand and was_member:
            result.austritte += 1
            s.movements.append((import_id, nr, "austritt", _db(austritt), record["ortsverein"], None, None))
        s.periods.append(("close", (_db(austritt), import_id, nr)))
    if "eintrittsdatum" in changes and was_member and not reentered:
        # a corrected join date moves the start of the membership period that began with it
        s.periods.append(("move_start", (changes["eintrittsdatum"][1], nr, changes["eintrittsdatum"][0])))
    if changes:
        result.aenderungen += 1
        s.movements.append((import_id, nr, "aenderung", stand_iso, None, None, json.dumps(sorted(changes))))
        if "telefon" in changes:
            updates["telefon_falsch"] = 0
        if "mobil" in changes:
            updates["mobil_falsch"] = 0
    updates.update(warnfelder=_warn(record), letzter_import=import_id, stand=stand_iso)
    if old["austrittsdatum"] is None and "austrittsdatum" not in record:
        updates["austrittsdatum"] = None
    assignments = ", ".join(f"{k} = ?" for k in updates)
    conn.execute(f"UPDATE mitglieder SET {assignments} WHERE nr = ?", (*updates.values(), nr))


def _fehlend(
    conn: Any,
    bestand: Iterable[tuple[str, str, str | None, str | None]],
    export: Export,
    seen: set[str],
    import_id: int,
    result: ImportErgebnis,
    s: _Sammlung,
) -> tuple[int, int]:
    """Members of the snapshot's Ortsvereine missing from it left. ``bestand``: (nr, Ortsverein, exit, Stand).

    Returns (members missing, members of those Ortsvereine before the snapshot).
    """
    stand = export.stand
    stand_iso = stand.isoformat()
    fehlend = im_bestand = 0
    scope = export.ortsvereine
    for nr, ortsverein, austrittsdatum, old_stand in bestand:
        if ortsverein not in scope:
            continue
        old_exit = dt.from_iso(austrittsdatum)
        if old_exit is not None and old_stand and austrittsdatum <= old_stand:  # type: ignore[operator]
            continue  # had already left at its last snapshot, counted back then
        im_bestand += 1
        if nr in seen or nr in export.abgelehnte_nummern:
            continue
        # missing from the snapshot: left on the announced day if it has come, else on the Stand
        exit_day = old_exit if old_exit is not None and old_exit <= stand else stand
        fehlend += 1
        result.austritte += 1
        s.movements.append((import_id, nr, "austritt", exit_day.isoformat(), ortsverein, None, "fehlt"))
        conn.execute(
            "UPDATE mitglieder SET austrittsdatum = ?, letzter_import = ?, stand = ? WHERE nr = ?",
            (exit_day.isoformat(), import_id, stand_iso, nr),
        )
        s.periods.append(("close", (exit_day.isoformat(), import_id, nr)))
    return fehlend, im_bestand


_INSERT_MITGLIED = (
    f"INSERT INTO mitglieder (nr, {', '.join(_MITGLIED_SPALTEN)}, warnfelder, erster_import, letzter_import, "
    f"stand) VALUES ({','.join('?' * (len(_MITGLIED_SPALTEN) + 5))})"
)
_INSERT_PERIODE = (
    "INSERT INTO zugehoerigkeit (nr, ortsverein, unterbezirk, von, bis, import_von) VALUES (?,?,?,?,?,?)"
)
_INSERT_BEWEGUNG = (
    "INSERT INTO bewegungen (import_id, nr, art, datum, von, nach, felder) VALUES (?,?,?,?,?,?,?)"
)


def _schreiben(conn: Any, s: _Sammlung) -> None:
    if s.inserts:
        conn.executemany(s.insert_sql, s.inserts)
    offen: list[tuple] = []  # consecutive openings go in one batch; the order stays that of the list
    for op, params in s.periods:
        if op == "open":
            offen.append(params)
            continue
        if offen:
            conn.executemany(_INSERT_PERIODE, offen)
            offen = []
        if op == "move_start":
            conn.execute("UPDATE zugehoerigkeit SET von = ? WHERE nr = ? AND von = ?", params)
        else:  # close the member's latest period
            conn.execute(
                "UPDATE zugehoerigkeit SET bis = ?, import_bis = ? WHERE rowid = "
                "(SELECT max(rowid) FROM zugehoerigkeit WHERE nr = ?)",
                params,
            )
    if offen:
        conn.executemany(_INSERT_PERIODE, offen)
    if s.movements:
        conn.executemany(_INSERT_BEWEGUNG, s.movements)


def _apply_referenz(
    conn: Any, export: Export, import_id: int, result: ImportErgebnis, *, nachtraeglich: bool
) -> tuple[int, int]:
    """Member by member: the reference :func:`_apply` is tested against (same store, same counts)."""
    stand = export.stand
    current = {row["nr"]: dict(row) for row in conn.execute("SELECT * FROM mitglieder")}
    s = _Sammlung()
    seen: set[str] = set()
    for record in export.datensaetze:
        nr = record["nr"]
        seen.add(nr)
        old = current.get(nr)
        if old is None:
            _neu(record, import_id, stand, result, s)
        else:
            _bestehend(conn, record, old, import_id, stand, result, s, nachtraeglich=nachtraeglich)
    fehlend = im_bestand = 0
    if not nachtraeglich:
        bestand = ((nr, o["ortsverein"], o["austrittsdatum"], o["stand"]) for nr, o in current.items())
        fehlend, im_bestand = _fehlend(conn, bestand, export, seen, import_id, result, s)
    _schreiben(conn, s)
    return fehlend, im_bestand


_BEDINGT = ("hausnummer", "vorname")  # keys a record may lack (no street to split, no name to split)


def _db_spalte(feld: str, werte: list[Any]) -> list[Any]:
    """:func:`_db` over a column (``FEHLT`` -> None): dates become ISO text, flags 0/1, text stays."""
    if feld in DATUMSFELDER:
        cache = {v: _db(v) for v in set(werte)}  # date, text and None: no two of them are equal
        return list(map(cache.__getitem__, werte))
    if feld in FLAGS:
        return list(map(int, werte))
    if feld in _BEDINGT and FEHLT in werte:
        return [None if v is FEHLT else v for v in werte]
    return werte


def _gleich_ohne_fehlende(neu: tuple, alt: tuple) -> bool:
    """Equal where the record has the key: a record without ``hausnummer`` leaves the stored one as it is."""
    return FEHLT in neu and all(n is FEHLT or n == a for n, a in zip(neu, alt))


def _nimm(werte: list[Any], positionen: list[int] | None) -> list[Any]:
    if positionen is None:
        return werte
    return [werte[k] for k in positionen]


def _apply(
    conn: Any,
    export: Export,
    import_id: int,
    result: ImportErgebnis,
    *,
    nachtraeglich: bool,
    stufe: bool = False,
) -> tuple[int, int]:
    """Apply the snapshot; returns (members missing from it, members of its Ortsvereine before it).

    Large exports change little: new members are written in bulk, members whose stored row already equals the
    export only get the import's id and Stand (one statement for all), and only the rest goes member by member
    through the comparison of :func:`_apply_referenz`. The store ends up exactly as with that one.
    """
    stand = export.stand
    stand_iso = stand.isoformat()
    daten = export.datensaetze
    if stufe:  # the export is in the attached staging file: compared there, only the rest comes to Python
        teil, neu_, langsam_, fehlende, im_bestand = _vergleich_in_stufe(conn, export, import_id)
        return _apply_rest(
            conn, export, import_id, result, teil, neu_, langsam_, gleich=[], bestand=fehlende,
            seen=set(),  # the missing members' numbers are none of the export's
            leer=False, im_bestand_gezaehlt=im_bestand,
        )  # fmt: skip
    spalten_ = daten.spalten
    anzahl = len(daten)
    nrs: list[str] = spalten_.get("nr", [])
    warn = _warnfelder_json(daten)
    cursor = conn.cursor()
    cursor.row_factory = None
    leer = cursor.execute("SELECT NOT EXISTS (SELECT 1 FROM mitglieder)").fetchone()[0]

    # The store as it is, row by row in chunks: its Ortsverein, exit and Stand are kept for the Austritte of
    # members missing from the export; the compared fields only long enough to find the rows that changed.
    felder = [f for f in _MITGLIED_SPALTEN if f in spalten_]
    bestand: dict[str, tuple[str, str, str | None, str | None]] = {}
    neu: list[int] = []
    langsam: list[int] = []
    gleich: list[int] = []  # rowids
    if not leer:
        export_werte = list(zip(*(_db_spalte(f, spalten_[f]) for f in felder), warn))
        position = dict(zip(nrs, range(anzahl)))
        gefunden = bytearray(anzahl)
        rows = cursor.execute(
            f"SELECT rowid, nr, ortsverein, austrittsdatum, stand, {', '.join(felder)}, warnfelder "
            "FROM mitglieder ORDER BY rowid"
        )
        while chunk := rows.fetchmany(20000):
            for row in chunk:
                nr = row[1]
                bestand[nr] = row[1:5]
                pos = position.get(nr)
                if pos is None:
                    continue
                k = pos
                gefunden[k] = 1
                if nachtraeglich and row[4] and row[4] > stand_iso:
                    continue  # older data never overwrites newer
                if row[3] is None and (
                    export_werte[k] == row[5:] or _gleich_ohne_fehlende(export_werte[k], row[5:])
                ):
                    gleich.append(row[0])
                else:
                    langsam.append(k)
        del export_werte, position, rows
        neu = [k for k, da in enumerate(gefunden) if not da]
    else:
        neu = list(range(anzahl))

    return _apply_rest(
        conn, export, import_id, result, daten, neu, langsam, gleich, bestand.values(), set(nrs), leer,
        nachtraeglich=nachtraeglich,
    )  # fmt: skip


def _warnfelder_json(daten: Datensaetze) -> list[str | None]:
    """The ``warnfelder`` column as stored: the fields with a warning as a sorted JSON list, None without."""
    warn: list[str | None] = [None] * len(daten)
    for k, felder in daten.warnfelder.items():
        warn[k] = json.dumps(sorted(set(felder)))
    return warn


def _apply_rest(
    conn: Any,
    export: Export,
    import_id: int,
    result: ImportErgebnis,
    daten: Datensaetze,
    neu: list[int],
    langsam: list[int],
    gleich: list[int],
    bestand: Iterable[tuple[str, str, str | None, str | None]],
    seen: set[str],
    leer: bool,
    im_bestand_gezaehlt: int | None = None,
    *,
    nachtraeglich: bool = False,
) -> tuple[int, int]:
    """:func:`_apply` once it is known which rows of ``daten`` are new or changed and which stored rows are
    unchanged (``gleich``, rowids). ``bestand``: (nr, Ortsverein, exit, Stand) of the members that may be
    missing from the export; ``seen``: every number in it. ``im_bestand_gezaehlt``: the members of the
    snapshot's Ortsvereine, when ``bestand`` holds only those missing from it."""
    stand = export.stand
    stand_iso = stand.isoformat()
    spalten_ = daten.spalten
    anzahl = len(daten)
    nrs: list[str] = spalten_.get("nr", [])
    warn = _warnfelder_json(daten)
    s = _Sammlung()
    cursor = conn.cursor()
    cursor.row_factory = None
    bestand_nach_nr = {row[0]: row for row in bestand}
    if gleich:  # what the row-by-row update would change in these rows: only the import and its Stand
        gleich.sort()
        von = [gleich[0]] + [b for a, b in zip(gleich, gleich[1:]) if b != a + 1]
        bis = [a for a, b in zip(gleich, gleich[1:]) if b != a + 1] + [gleich[-1]]
        cursor.executemany(
            "UPDATE mitglieder SET letzter_import = ?, stand = ? WHERE rowid BETWEEN ? AND ?",
            [(import_id, stand_iso, a, b) for a, b in zip(von, bis)],
        )
    langsam.sort()

    # new members, in bulk
    auswahl = None if len(neu) == anzahl else neu
    neu_nrs = _nimm(nrs, auswahl)
    db_neu = {
        f: _db_spalte(f, _nimm(spalten_[f], auswahl)) if f in spalten_ else None for f in _MITGLIED_SPALTEN
    }
    ovs = db_neu["ortsverein"] or []
    eintritte = db_neu["eintrittsdatum"] or []
    austritte_roh = _nimm(spalten_["austrittsdatum"], auswahl) if "austrittsdatum" in spalten_ else None
    # Values the same in every row (or a column the export lacks) are written into the statement: every bound
    # parameter costs, and a bulk import binds millions.
    neu_warn = _nimm(warn, auswahl)
    feste = {
        "erster_import": str(int(import_id)),
        "letzter_import": str(int(import_id)),
        "stand": f"'{date.fromisoformat(stand_iso).isoformat()}'",
    }
    if not any(neu_warn):
        feste["warnfelder"] = "NULL"
    spalten_sql, werte_sql, gebunden = ["nr"], ["?"], [neu_nrs]
    for feld, werte in (*db_neu.items(), ("warnfelder", neu_warn)):
        spalten_sql.append(feld)
        if feld in feste:
            werte_sql.append(feste[feld])
        elif werte is None:
            werte_sql.append("0" if feld in FLAGS else "NULL")
        else:
            werte_sql.append("?")
            gebunden.append(werte)
    spalten_sql += ["erster_import", "letzter_import", "stand"]
    werte_sql += [feste["erster_import"], feste["letzter_import"], feste["stand"]]
    s.insert_sql = f"INSERT INTO mitglieder ({', '.join(spalten_sql)}) VALUES ({', '.join(werte_sql)})"
    inserts = list(zip(*gebunden))
    austritt_bei = (
        {i for i, a in enumerate(austritte_roh) if a and a <= stand} if austritte_roh is not None else set()
    )
    result.eintritte += len(neu)
    result.austritte += len(austritt_bei)

    def neu_bewegungen(i: int) -> list[tuple]:
        moves = [(import_id, neu_nrs[i], "eintritt", eintritte[i], None, ovs[i], None)]
        if i in austritt_bei:
            austritt_db = db_neu["austrittsdatum"][i]  # type: ignore[index]
            moves.append((import_id, neu_nrs[i], "austritt", austritt_db, ovs[i], None, None))
        return moves

    def neu_periode(i: int) -> tuple[str, tuple]:
        ub = db_neu["unterbezirk"][i] if db_neu["unterbezirk"] is not None else None
        bis = db_neu["austrittsdatum"][i] if db_neu["austrittsdatum"] is not None else None
        return ("open", (neu_nrs[i], ovs[i], ub, eintritte[i], bis, import_id))

    s.inserts = inserts
    nur_neu = not langsam
    if langsam:  # members who changed, in the order of the export, between the new ones
        alte: dict[str, dict[str, Any]] = {}
        gesucht = [nrs[k] for k in langsam]
        for start in range(0, len(gesucht), 500):
            teil = gesucht[start : start + 500]
            for row in conn.execute(
                f"SELECT * FROM mitglieder WHERE nr IN ({','.join('?' * len(teil))})", teil
            ):
                alte[row["nr"]] = dict(row)
        ist_neu = dict(zip(neu, range(len(neu))))
        for k in sorted(neu + langsam):
            if k in ist_neu:
                i = ist_neu[k]
                s.movements.extend(neu_bewegungen(i))
                s.periods.append(neu_periode(i))
                continue
            old = alte[nrs[k]]
            _bestehend(
                conn, daten.datensatz(k), old, import_id, stand, result, s, nachtraeglich=nachtraeglich
            )
            if nrs[k] in bestand_nach_nr:
                previous = bestand_nach_nr[nrs[k]]
                bestand_nach_nr[nrs[k]] = (
                    previous[0],
                    old["ortsverein"],
                    old["austrittsdatum"],
                    old["stand"],
                )
    elif austritt_bei:
        for i in range(len(neu)):
            s.movements.extend(neu_bewegungen(i))
            s.periods.append(neu_periode(i))

    fehlend = im_bestand = 0
    if not nachtraeglich:
        fehlend, im_bestand = _fehlend(conn, bestand_nach_nr.values(), export, seen, import_id, result, s)
        if im_bestand_gezaehlt is not None:  # bestand held only the members missing from the export
            im_bestand = im_bestand_gezaehlt
    del bestand_nach_nr

    if nur_neu and not austritt_bei and neu:
        # openings and Eintritte of the new members straight from their rows, in the order they were written
        _schreiben_neu(conn, s, import_id, leer)
    else:
        _schreiben(conn, s)
    return fehlend, im_bestand


def _fuer_stufe(tabelle: Any) -> Any:
    """The columns of the ``mitglieder`` table a frame has, in the table's order, and the ``FEHLT`` markers."""
    felder = ("nr", *_MITGLIED_SPALTEN, "warnfelder", *(f"_fehlt_{f}" for f in _BEDINGT))
    # a marker that is nowhere set says nothing: left out (every bound value costs)
    return tabelle.select(
        [f for f in felder if f in tabelle.columns and not (f.startswith("_") and not tabelle[f].any())]
    )


def _vergleich_in_stufe(
    conn: Any, export: Export, import_id: int
) -> tuple[Datensaetze, list[int], list[int], list[tuple[Any, ...]], int]:
    """Compare the export in the staging file with the store, in SQLite.

    Returns (new and changed rows, positions of the new ones and of the changed ones among them, the members
    missing from the export as (nr, Ortsverein, exit, Stand), the members of its Ortsvereine before it).

    Members whose stored row already equals the export get the import's id and Stand right here (one
    statement); new and changed rows come back as a small :class:`Datensaetze` of their own.
    """
    daten = export.datensaetze
    tabelle = daten.tabelle
    spalten_ = [row[1] for row in conn.execute("PRAGMA stufe.table_info(neu)")]
    teile = ["m.warnfelder IS n.warnfelder", "m.austrittsdatum IS NULL"]
    for feld in _MITGLIED_SPALTEN:
        if feld in spalten_:
            gleich = f"m.{feld} IS n.{feld}"
            teile.append(f"(n._fehlt_{feld} OR {gleich})" if f"_fehlt_{feld}" in spalten_ else gleich)
    gleich_sql = " AND ".join(teile)
    # one pass over the export's rows, each looked up in the store by its number
    conn.execute(
        "CREATE TEMP TABLE vergleich AS SELECT n.rowid - 1 AS pos, m.rowid AS mrow, "
        # (never NULL for a member found: unsure counts as changed, and the member goes the careful way)
        f"CASE WHEN m.rowid IS NULL THEN NULL ELSE coalesce(({gleich_sql}), 0) END AS gleich "
        "FROM stufe.neu n LEFT JOIN main.mitglieder m ON m.nr = n.nr"
    )
    conn.execute(
        "UPDATE mitglieder SET letzter_import = ?, stand = ? "
        "WHERE rowid IN (SELECT mrow FROM temp.vergleich WHERE gleich)",
        (import_id, export.stand.isoformat()),
    )
    geaendert = dict(conn.execute("SELECT pos, mrow FROM temp.vergleich WHERE NOT gleich ORDER BY pos"))
    langsam = list(geaendert)
    neu = [r[0] for r in conn.execute("SELECT pos FROM temp.vergleich WHERE mrow IS NULL ORDER BY pos")]
    # Only members of the snapshot's Ortsvereine who had not left by their last snapshot can be missing from
    # it: one scan counts them and hands over those the export did not confirm (the unchanged carry this
    # import's id by now). Of these, the changed ones are known by their row; the rest are missing.
    # "+ortsverein": a scan of the table, not 500 trips through its index. (An unchanged member has no exit
    # date, so the new Stand leaves the condition as it was.)
    anzahl, kandidaten = conn.execute(
        "SELECT count(*), json_group_array(json_array(rowid, nr, ortsverein, austrittsdatum, stand)) "
        "FILTER (WHERE letzter_import IS NOT ?) FROM mitglieder WHERE +ortsverein IN "
        "(SELECT value FROM json_each(?)) AND NOT (austrittsdatum IS NOT NULL AND stand IS NOT NULL "
        "AND stand <> '' AND austrittsdatum <= stand)",
        (import_id, json.dumps(sorted(export.ortsvereine))),
    ).fetchone()
    ohne_treffer = set(geaendert.values())
    bestand = [tuple(k[1:]) for k in sorted(json.loads(kandidaten)) if k[0] not in ohne_treffer]
    im_bestand = int(anzahl)
    conn.execute("DROP TABLE temp.vergleich")
    positionen = sorted(neu + langsam)
    neue_stelle = {k: i for i, k in enumerate(positionen)}
    teil = Datensaetze(
        None,
        None,
        {neue_stelle[k]: w for k, w in daten.warnfelder.items() if k in neue_stelle},
        tabelle=tabelle[positionen],
    )
    return (
        teil,
        [neue_stelle[k] for k in neu],
        [neue_stelle[k] for k in langsam],
        bestand,
        im_bestand,
    )


def _erstimport_aus_stufe(
    conn: Any, export: Export, import_id: int, result: ImportErgebnis
) -> tuple[int, int]:
    """:func:`_apply` for the first export into an empty store, from the attached staging file."""
    spalten_ = [row[1] for row in conn.execute("PRAGMA stufe.table_info(neu)") if not row[1].startswith("_")]
    liste = ", ".join(spalten_)
    _erstimport(
        lambda sql, *p: conn.execute(sql, p),
        lambda sql: conn.execute(sql).fetchall(),
        lambda: conn.execute(
            f"INSERT INTO mitglieder ({liste}, erster_import, letzter_import, stand) "
            f"SELECT {liste}, ?, ?, ? FROM stufe.neu ORDER BY rowid",
            (import_id, import_id, export.stand.isoformat()),
        ),
        "stufe.neu",
        export,
        import_id,
        result,
    )
    return 0, 0


def _mitglieder_zeilen(tabelle: Any, import_id: int, stand_iso: str) -> Any:
    """The rows of the ``mitglieder`` table, as the frame of a first import has them."""
    import polars as pl

    # a column empty in every row keeps the table's default (NULL, or 0 for a flag): nothing to bind
    felder = [
        f
        for f in ("nr", *_MITGLIED_SPALTEN, "warnfelder")
        if f in tabelle.columns and (f == "nr" or tabelle[f].null_count() < tabelle.height)
    ]
    return tabelle.select(
        *felder,
        erster_import=pl.lit(import_id, dtype=pl.Int64),
        letzter_import=pl.lit(import_id, dtype=pl.Int64),
        stand=pl.lit(stand_iso, dtype=pl.String),
    )


def _erstimport(
    ausfuehren: Callable[..., Any],
    abfrage: Callable[[str], list[Any]],
    mitglieder_schreiben: Callable[[], Any],
    quelle: str,
    export: Export,
    import_id: int,
    result: ImportErgebnis,
) -> None:
    """:func:`_apply` for the first export into an empty store, in SQL: the same rows in the same order.

    Members (a column the export lacks keeps the table's default, as there), one opening each, an Eintritt
    each followed by the Austritt of those who had already left by the Stand. ``quelle`` is the table the
    members' rows are in (the staging file, or the store itself when they were written there directly). The
    indexes are built after the rows.
    """
    tabelle = export.datensaetze.tabelle
    stand_iso = export.stand.isoformat()
    hat = set(tabelle.columns)
    indexe = abfrage(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        "AND tbl_name IN ('mitglieder', 'zugehoerigkeit', 'bewegungen')"
    )
    for name, _ in indexe:
        ausfuehren(f'DROP INDEX "{name}"')
    mitglieder_schreiben()
    ub = "unterbezirk" if "unterbezirk" in hat else "NULL"
    austritt = "austrittsdatum" if "austrittsdatum" in hat else "NULL"
    ausfuehren(
        "INSERT INTO zugehoerigkeit (nr, ortsverein, unterbezirk, von, bis, import_von) "
        f"SELECT nr, ortsverein, {ub}, eintrittsdatum, {austritt}, ? FROM {quelle} ORDER BY rowid",
        import_id,
    )
    result.eintritte += tabelle.height
    austritte = int((tabelle["austrittsdatum"] <= stand_iso).sum()) if "austrittsdatum" in hat else 0
    if austritte:  # each member's Austritt right after its Eintritt: the rows have to be sorted for that
        result.austritte += austritte
        ausfuehren(
            "INSERT INTO bewegungen (import_id, nr, art, datum, von, nach, felder) "
            "SELECT ?, nr, art, datum, von, nach, NULL FROM ("
            "SELECT rowid AS r, 0 AS k, nr, 'eintritt' AS art, eintrittsdatum AS datum, NULL AS von, "
            f"ortsverein AS nach FROM {quelle} "
            f"UNION ALL SELECT rowid, 1, nr, 'austritt', austrittsdatum, ortsverein, NULL FROM {quelle} "
            "WHERE austrittsdatum <= ?) ORDER BY r, k",
            import_id,
            stand_iso,
        )
    else:
        ausfuehren(
            "INSERT INTO bewegungen (import_id, nr, art, datum, von, nach, felder) "
            f"SELECT ?, nr, 'eintritt', eintrittsdatum, NULL, ortsverein, NULL FROM {quelle} ORDER BY rowid",
            import_id,
        )
    for _, sql in indexe:
        ausfuehren(sql)


def _schreiben_neu(conn: Any, s: _Sammlung, import_id: int, leer: bool) -> None:
    """:func:`_schreiben` when the new members' openings and Eintritte come first and nothing else of them.

    In an empty store the indexes are built after the rows (much faster than keeping them up to date).
    """
    indexe = []
    if leer:
        indexe = conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            "AND tbl_name IN ('mitglieder', 'zugehoerigkeit', 'bewegungen')"
        ).fetchall()
        for name, _ in indexe:
            conn.execute(f'DROP INDEX "{name}"')
    conn.executemany(s.insert_sql, s.inserts)
    conn.execute(
        "INSERT INTO zugehoerigkeit (nr, ortsverein, unterbezirk, von, bis, import_von) "
        "SELECT nr, ortsverein, unterbezirk, eintrittsdatum, austrittsdatum, ? FROM mitglieder "
        "WHERE erster_import = ? ORDER BY rowid",
        (import_id, import_id),
    )
    conn.execute(
        "INSERT INTO bewegungen (import_id, nr, art, datum, von, nach, felder) "
        "SELECT ?, nr, 'eintritt', eintrittsdatum, NULL, ortsverein, NULL FROM mitglieder "
        "WHERE erster_import = ? ORDER BY rowid",
        (import_id, import_id),
    )
    rest = _Sammlung()
    rest.periods, rest.movements = s.periods, s.movements  # the Austritte of members missing from the export
    _schreiben(conn, rest)
    for _, sql in indexe:
        conn.execute(sql)


def fehlerdatei_schreiben(export: Export, ordner: Path) -> Path:
    """The error file: original columns, the spreadsheet's row number and ``Fehler``; re-importable when fixed."""
    from mitgliederarbeit import dateien as ausgabe

    by_row: dict[int, list[Problem]] = {}
    for problem in export.probleme:
        by_row.setdefault(problem.zeile, []).append(problem)
    header = export.kopf.spalten
    width = len(header)

    def original(zeile: int) -> list[object]:
        cells = list(export.originale.get(zeile) or export.blatt.rows[zeile - 1])[:width]
        return cells + [None] * (width - len(cells))

    rejected: list[list[object]] = []
    warned: list[list[object]] = []
    for zeile, problems in sorted(by_row.items()):
        message = "; ".join(p.meldung for p in problems)
        (rejected if any(p.schwer for p in problems) else warned).append([message, zeile, *original(zeile)])
    tabellen = [
        ausgabe.Tabelle("Abgelehnt", ["Fehler", "Zeile", *header], rejected, breiten={0: 50}),
        ausgabe.Tabelle("Warnungen", ["Fehler", "Zeile", *header], warned, breiten={0: 50}),
        ausgabe.Tabelle(
            "Hinweise",
            [],
            [],
            text_zeilen=[
                "Fehler beim Import – so geht es weiter",
                f"Quelle: {export.blatt.datei.name}, Stand {dt.de(export.stand)}.",
                "Blatt „Abgelehnt“: diese Zeilen wurden NICHT übernommen. Bitte die Werte in den Originalspalten "
                "korrigieren und die Datei erneut importieren: mitglieder import " + "<diese Datei>. "
                "Die Spalten „Fehler“ und „Zeile“ werden dabei ignoriert.",
                "Blatt „Warnungen“: diese Zeilen wurden übernommen; der bemängelte Wert wurde unverändert gespeichert "
                "und markiert. Korrigieren Sie ihn am besten in der Mitgliederdatenbank Ihrer Partei.",
                "Datenschutz: Diese Datei enthält personenbezogene Daten. Bitte nach der Korrektur löschen.",
            ],
        ),
    ]
    meta = {
        "art": "importfehler",
        "stand": export.stand.isoformat(),
        "quelle": export.blatt.datei.name,
        "version": "1",
    }
    path = ausgabe.freier_name(ordner / f"import-fehler-{export.stand.isoformat()}.xlsx")
    return ausgabe.xlsx(path, tabellen, meta)


def erkennen(blatt: lesen.Blatt, art: str | None) -> str:
    """What kind of file this is: ``mitglieder``, ``anrufliste``, ``teilnahme`` or ``importfehler``."""
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
    from mitgliederarbeit.einlesen.rueckmeldung import sieht_aus_wie_anrufliste

    if sieht_aus_wie_anrufliste(blatt.rows):  # a returned call list whose metadata sheet was lost
        return "anrufliste"
    from mitgliederarbeit.einlesen.kontakte import sieht_aus_wie_kontaktliste

    if sieht_aus_wie_kontaktliste(blatt.rows):  # columns Art and Datum beside a number or a name
        return "kontakte"
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
    fortschritt: Callable[[str, int, int], None] | None = None,
    passwort: str | None = None,
    ortsverein: str | None = None,
) -> list[ImportErgebnis]:
    """Import files in the order of their Stand. Every file is read and checked before anything is changed.

    An encrypted file (a package written with ``--passwort``) is read with ``passwort``; without one,
    :class:`paket.PasswortNoetig` is raised before anything is read.
    """
    if art not in (None, "mitglieder", "teilnahme", "anrufliste", "kontakte"):
        raise BedienFehler(
            f"--art „{art}“ gibt es nicht. Erlaubt: mitglieder, teilnahme, anrufliste, kontakte."
        )
    from mitgliederarbeit.einlesen import paket

    with _ohne_gc(), contextlib.ExitStack() as offen:
        lesbare = [offen.enter_context(paket.lesbar(path, passwort)) for path in dateien]
        results = _importieren(
            ordner,
            lesbare,
            art=art,
            blatt=blatt,
            stand=stand,
            spalten_option=spalten_option,
            nachtraeglich=nachtraeglich,
            trockenlauf=trockenlauf,
            fehler_ordner=fehler_ordner,
            vollstaendig=vollstaendig,
            veranstaltung=veranstaltung,
            datum=datum,
            fortschritt=fortschritt,
            ortsverein=ortsverein,
        )
    # a decrypted copy was read under the original's name: the results name the original
    originale = {str(les): str(path) for les, path in zip(lesbare, dateien)}
    for result in results:
        result.datei = originale.get(result.datei, result.datei)
    return results


# From this file size on, a sheet is read column-wise (polars); below, loading polars costs more than it saves.
SPALTENWEISE_AB = 1_000_000
# The first large export into a fresh store goes straight through ADBC; False: through the staging file, as
# every later one (the tests run both).
DIREKT = True


def _lesen(path: Path, blatt: str | None) -> lesen.Blatt:
    try:
        gross = path.stat().st_size >= SPALTENWEISE_AB
    except OSError:
        gross = False  # read() says what is wrong with the file
    if gross:
        sheet = lesen.read_spaltenweise(path, blatt)
        if sheet is not None:
            return sheet
    return lesen.read(path, blatt)


@contextmanager
def _ohne_gc() -> Iterator[None]:
    """A large export makes millions of objects and no reference cycles: the cyclic garbage collector would
    only walk them again and again (a third of the time of an import, and more)."""
    an = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if an:
            gc.enable()


def _importieren(
    ordner: Arbeitsordner,
    dateien: Sequence[Path],
    *,
    art: str | None,
    blatt: str | None,
    stand: date | None,
    spalten_option: dict[str, str] | None,
    nachtraeglich: bool,
    trockenlauf: bool,
    fehler_ordner: Path | None,
    vollstaendig: bool,
    veranstaltung: str | None,
    datum: date | None,
    fortschritt: Callable[[str, int, int], None] | None,
    ortsverein: str | None = None,
) -> list[ImportErgebnis]:
    read: list[tuple[str, Any]] = []
    for path in dateien:
        sheet = _lesen(path, blatt)
        kind = erkennen(sheet, art)
        if kind not in ("mitglieder", "importfehler") and sheet.tabelle is not None:
            # call lists and attendance are read row by row, with their cells as they are (dates, numbers)
            sheet = lesen.read(path, blatt)
        if kind in ("mitglieder", "importfehler"):

            def progress(done: int, total: int, _name: str = path.name) -> None:
                if fortschritt:
                    fortschritt(_name, done, total)

            export = lese_export(
                sheet,
                config=ordner.config,
                stichtag=ordner.stichtag,
                stand=stand,
                spalten_option=spalten_option,
                fortschritt=progress,
                ortsverein=ortsverein,
            )
            # the error file takes its rows from export.originale; free the rest now
            sheet.rows, sheet.tabelle = [], None
            read.append(("mitglieder", export))
        else:
            read.append((kind, sheet))
    results = []
    # member exports in the order of their Stand, so that several months can be imported at once
    order = sorted(
        range(len(read)),
        key=lambda i: (
            read[i][0] != "mitglieder",
            read[i][1].stand if read[i][0] == "mitglieder" else date.min,
        ),
    )
    for i in order:
        kind, item = read[i]
        if kind == "mitglieder":
            results.append(
                uebernehmen(
                    ordner,
                    item,
                    nachtraeglich=nachtraeglich,
                    trockenlauf=trockenlauf,
                    fehler_ordner=fehler_ordner,
                    vollstaendig=vollstaendig,
                )
            )
            results[-1].details.update(zusatzspalten.zuordnung_details(item.kopf, trockenlauf))
        elif kind in ("paket", "kontakte"):
            from mitgliederarbeit.einlesen import kontakte, paket

            uebernehmen_ = paket.paket_uebernehmen if kind == "paket" else kontakte.kontaktliste_uebernehmen
            results.append(uebernehmen_(ordner, item, trockenlauf=trockenlauf, fehler_ordner=fehler_ordner))
        elif kind == "anrufliste":
            from mitgliederarbeit.einlesen import rueckmeldung

            results.append(
                rueckmeldung.anrufliste_uebernehmen(
                    ordner, item, trockenlauf=trockenlauf, fehler_ordner=fehler_ordner
                )
            )
        else:
            from mitgliederarbeit.einlesen import rueckmeldung

            results.append(
                rueckmeldung.teilnahme_uebernehmen(
                    ordner,
                    item,
                    veranstaltung=veranstaltung,
                    datum=datum,
                    trockenlauf=trockenlauf,
                    fehler_ordner=fehler_ordner,
                )
            )
    return results
