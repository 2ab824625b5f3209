"""Comparing a member export with the store and applying it, in one transaction.

A member export is a snapshot of the Ortsvereine it contains. Against the store it yields Eintritte (numbers
never seen), Austritte (members of those Ortsvereine missing from the export, or with an Austrittsdatum),
Wechsel (moved to another Ortsverein) and Änderungen (other fields).

The accepted rows are staged: written from Arrow into a private SQLite file beside the store (ADBC, no Python
object per value), attached, and compared with the store in SQL. Members whose stored row already equals the
export only get the import's id and Stand, in one statement; new members are copied in bulk; only the changed
ones come to Python, member by member.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from mitgliederarbeit import datum as dt
from mitgliederarbeit.bestand import speicher
from mitgliederarbeit.einlesen.ergebnis import ImportErgebnis
from mitgliederarbeit.einlesen.export import (
    Bereich,
    Datensaetze,
    Export,
    db,
    fehlerdatei_schreiben,
    warn_json,
)
from mitgliederarbeit.einlesen.normalisieren import fragezeichen_statt, geschlecht
from mitgliederarbeit.errors import EingabeFehler, OrdnerFehler
from mitgliederarbeit.felder import FLAGS, GESPEICHERT, VERGLICHEN
from mitgliederarbeit.laufzeit import nebenher
from mitgliederarbeit.ordner import Arbeitsordner
from mitgliederarbeit.zahlen import mal

MAX_FEHLEND, MAX_FEHLEND_ANTEIL = 10, 0.25
# a small Ortsverein: more than half of it, and at least this many, missing in one snapshot
KLEIN_FEHLEND, KLEIN_FEHLEND_ANTEIL = 5, 0.5


def _zu_viele(fehlend: int, bestand: int) -> bool:
    """Whether ``fehlend`` of ``bestand`` members missing from one snapshot is a lost part rather than Austritte."""
    return (fehlend > MAX_FEHLEND and fehlend > MAX_FEHLEND_ANTEIL * bestand) or (
        fehlend >= KLEIN_FEHLEND and fehlend > KLEIN_FEHLEND_ANTEIL * bestand
    )


# keys a record may lack (no street to split, no name to split, no title column but a title in the Zusatz)
_BEDINGT = ("hausnummer", "vorname", "titel")
# From this many rows on, the staging file is written by two connections at once, half each (two cores).
HAELFTEN_AB = 100_000


def uebernehmen(
    ordner: Arbeitsordner,
    export: Export,
    *,
    nachtraeglich: bool = False,
    trockenlauf: bool = False,
    fehler_ordner: Path | None = None,
    vollstaendig: bool = False,
    phase: Callable[[str], None] | None = None,
) -> ImportErgebnis:
    """Compare an export with the store and apply it in one transaction; ``phase`` hears what it does meanwhile.

    A snapshot that would turn more than a quarter of its Ortsvereine's members (and more than ten), or more than
    half of a small Ortsverein (and at least five), into Austritte is refused unless ``vollstaendig``: that is a
    filtered extract far more often than a mass exit.
    """
    result = _ergebnis(export, trockenlauf)
    if trockenlauf and not (ordner.pfad / speicher.SPEICHER_DATEI).exists():
        # nothing to compare with: every number is new, nothing is written
        result.eintritte, result.erstimport = len(export.datensaetze), True
        _ohne_eintritt_melden(export, result, unbekannt=result.eintritte)
        return result
    store = speicher.oeffnen(ordner.pfad, anlegen=True)
    stufe: Path | None = None
    try:
        if _schon_importiert(store.conn, export):
            result.bereits_importiert = True
            result.uebernommen = result.abgelehnt = result.warnungen = 0
            result.probleme = []
            return result
        if not (export.nachtrag or nachtraeglich):
            _kein_neuerer_stand(store.conn, export)
        result.erstimport = not store.conn.execute("SELECT EXISTS (SELECT 1 FROM mitglieder)").fetchone()[0]
        # ATTACH is not allowed inside a transaction: the staging file is written and attached before
        import_id = _naechste_import_id(store.conn) if result.erstimport else None
        if phase:
            phase(f"Vergleiche {export.blatt.datei.name} mit dem Datenbestand …")
        stufe = _stufe_schreiben(ordner.pfad, store.conn, export, import_id)
        store.conn.execute("ATTACH DATABASE ? AS stufe", (str(stufe),))
        fehlerdatei = _fehlerdatei_nebenher(export, fehler_ordner or ordner.ausgabe, trockenlauf)
        if phase:
            phase("Bestand wird geschrieben …")
        with _fehlerdatei_weg_bei_fehler(fehlerdatei), store.transaktion():
            _anwenden(store.conn, export, result, fehlerdatei, import_id, nachtraeglich=nachtraeglich or export.nachtrag,
                      vollstaendig=vollstaendig)  # fmt: skip
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


def _ergebnis(export: Export, trockenlauf: bool) -> ImportErgebnis:
    """The result as far as the export alone tells it."""
    return ImportErgebnis(
        datei=str(export.blatt.datei),
        art="nachtrag" if export.nachtrag else "mitglieder",
        stand=export.stand,
        gelesen=export.gelesen,
        uebernommen=len(export.datensaetze),
        abgelehnt=len({p.zeile for p in export.probleme if p.schwer}),
        warnungen=sum(1 for p in export.probleme if not p.schwer),
        trockenlauf=trockenlauf,
        stand_quelle=export.stand_quelle,
        probleme=export.probleme,
        ortsvereine=len(export.ortsvereine),
    )


def _schon_importiert(conn: sqlite3.Connection, export: Export) -> bool:
    return bool(
        conn.execute(
            "SELECT 1 FROM importe WHERE sha256 = ? AND art IN ('mitglieder', 'nachtrag')", (export.sha256,)
        ).fetchone()
    )


def _kein_neuerer_stand(conn: sqlite3.Connection, export: Export) -> None:
    """An export older than the last one of one of its Ortsvereine is refused (unless imported as older)."""
    newer = conn.execute(
        f"SELECT ortsverein, max(stand) AS s FROM import_ortsvereine WHERE ortsverein IN "
        f"({','.join('?' * len(export.ortsvereine))}) GROUP BY ortsverein HAVING max(stand) > ? "
        "ORDER BY s DESC LIMIT 1",
        (*sorted(export.ortsvereine), export.stand.isoformat()),
    ).fetchone()
    if newer:
        raise EingabeFehler(
            f"{export.blatt.datei.name}: der Stand {dt.de(export.stand)} ist älter als der letzte Import für "
            f"„{newer['ortsverein']}“ (Stand {dt.de(dt.from_iso(newer['s']))}). Es wurde nichts geändert.",
            hint="Einen älteren Export nachträglich einspielen: mitglieder import --nachtraeglich DATEI",
        )


def _naechste_import_id(conn: sqlite3.Connection) -> int:
    """The id the next import gets: a first import's members are staged with it, to be copied as they are."""
    return int(conn.execute("SELECT coalesce(max(id), 0) + 1 FROM importe").fetchone()[0])


def _stufe_schreiben(folder: Path, conn: sqlite3.Connection, export: Export, import_id: int | None) -> Path:
    """The staging file with the table ``neu``.

    For the first import into an empty store (``import_id`` given) ``neu`` is made exactly like the ``mitglieder``
    table and holds the rows as that table will: SQLite then copies them over as they are stored. Otherwise it
    holds the columns of the ``mitglieder`` table the export has, in the table's order, and the ``FEHLT``
    markers that are set somewhere.
    """
    import polars as pl

    tabelle = export.datensaetze.tabelle
    haelften = tabelle.height >= HAELFTEN_AB
    if import_id is not None:
        # a column empty in every row keeps the table's default (NULL, or 0 for a flag): nothing to bind
        felder = [f for f in ("nr", *GESPEICHERT, "warnfelder") if f in tabelle.columns]
        neu = tabelle.select(
            [f for f in felder if f == "nr" or tabelle[f].null_count() < tabelle.height],
            erster_import=pl.lit(import_id, dtype=pl.Int64),
            letzter_import=pl.lit(import_id, dtype=pl.Int64),
            stand=pl.lit(export.stand.isoformat(), dtype=pl.String),
        )
        [(ddl,)] = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'mitglieder'")
        anlegen, ersetzt = re.subn(r'^CREATE TABLE\s+"?mitglieder"?\s*\(', "CREATE TABLE neu (", ddl)
        assert ersetzt == 1, ddl
        return speicher.stufe_schreiben(folder, {"neu": neu}, haelften=haelften, ddl={"neu": anlegen})
    felder = ["nr", *GESPEICHERT, "warnfelder", *(f"_fehlt_{f}" for f in _BEDINGT)]
    neu = tabelle.select(
        [f for f in felder if f in tabelle.columns and not (f.startswith("_") and not tabelle[f].any())]
    )
    return speicher.stufe_schreiben(folder, {"neu": neu}, haelften=haelften)


def _fehlerdatei_nebenher(export: Export, ordner: Path, trockenlauf: bool) -> Callable[[], Path] | None:
    """The error file, written on the other core while SQLite works (it releases the GIL)."""
    if not export.probleme or trockenlauf:
        return None
    return nebenher(lambda: fehlerdatei_schreiben(export, ordner), "fehlerdatei")


def _anwenden(
    conn: sqlite3.Connection,
    export: Export,
    result: ImportErgebnis,
    fehlerdatei: Callable[[], Path] | None,
    vorgesehen: int | None,
    *,
    nachtraeglich: bool,
    vollstaendig: bool,
) -> None:
    """The import's transaction: its row in ``importe``, the comparison, the check for a filtered extract,
    its Ortsvereine, the error file and the counts. ``vorgesehen``: the id the staged rows of a first import
    carry."""
    if vorgesehen is not None and (
        _naechste_import_id(conn) != vorgesehen
        or conn.execute("SELECT EXISTS (SELECT 1 FROM mitglieder)").fetchone()[0]
    ):
        raise OrdnerFehler(
            "Während des Imports hat ein anderer „mitglieder“-Aufruf den Datenbestand geändert; "
            "es wurde nichts geändert.",
            hint="Bitte den Import wiederholen.",
        )
    import_id = conn.execute(
        "INSERT INTO importe (id, art, datei, sha256, stand, zeit, gelesen, nachtraeglich) "
        "VALUES (?,?,?,?,?,?,?,?)",
        (vorgesehen, result.art, export.blatt.datei.name, export.sha256, export.stand.isoformat(), _now(),
         export.gelesen, int(nachtraeglich)),
    ).lastrowid  # fmt: skip
    assert import_id is not None
    pruefen = not (vollstaendig or nachtraeglich or result.erstimport)
    vorher = _aktive_je_ortsverein(conn, export) if pruefen else {}
    fehlend, im_bestand = _abgleichen(
        conn, export, import_id, result, nachtraeglich=nachtraeglich, erstimport=result.erstimport
    )
    if pruefen:
        _keine_massenaustritte(conn, export, import_id, fehlend, im_bestand, vorher)
    if anzahl := result.details.get(FRAGEZEICHEN):
        result.details.setdefault("hinweise", []).append(fragezeichen_hinweis(anzahl))
    if korrigiert := result.details.get(AUSTRITT_UNLESBAR):
        result.details.setdefault("hinweise", []).append(austritt_unlesbar_hinweis(**korrigiert))
    if result.erstimport:
        _ohne_eintritt_melden(export, result, unbekannt=len(export.datensaetze))
    else:
        _ohne_eintritt_melden(export, result)
    if doppelt := speicher.doppelte_nummern_melden(conn):  # told once, by the first import after schema 5
        result.details.setdefault("hinweise", []).extend(doppelt)
    _abschliessen(conn, export, import_id, result, fehlerdatei)


_MASSENAUSTRITT_HINWEIS = (
    "Ist das ein gefilterter Auszug (z. B. nur Neumitglieder) oder fehlen beim Lesen Zeilen? Dann bitte den "
    "vollständigen Export verwenden. Sind die Austritte echt: mitglieder import --vollstaendig DATEI"
)


# A stored member who had left by the last snapshot he was in (counted back then): his exit day had come by its
# Stand, or it is no real day (a hand edit: left on a day not known, README „Unlesbare Daten im Datenbestand“).
AUSGETRETEN_SQL = (
    "(austrittsdatum IS NOT NULL AND (stand IS NOT NULL AND stand <> '' AND austrittsdatum <= stand "
    f"OR NOT {dt.gueltiger_tag_sql('substr(austrittsdatum, 1, 10)')}))"
)
# --json: stored exit dates that were no day, replaced by the export's
AUSTRITT_UNLESBAR = "austritt_unlesbar"


def _aktive_je_ortsverein(conn: sqlite3.Connection, export: Export) -> dict[str, int]:
    """The members of the snapshot's Ortsvereine who had not left by their last snapshot, per Ortsverein (those
    a missing row would turn into an Austritt; the condition of :func:`_kandidaten`)."""
    if len(export.ortsvereine) < 2:
        return {}  # one Ortsverein: the check of all together is its check
    # counted here, not by GROUP BY: SQLite would sort every row for it (five times slower)
    [(ortsvereine,)] = conn.execute(
        "SELECT json_group_array(ortsverein) FROM mitglieder WHERE +ortsverein IN (SELECT value FROM json_each(?)) "
        f"AND NOT {AUSGETRETEN_SQL}",
        (json.dumps(sorted(export.ortsvereine)),),
    ).fetchall()
    return dict(Counter(json.loads(ortsvereine)))


def _keine_massenaustritte(
    conn: sqlite3.Connection,
    export: Export,
    import_id: int,
    fehlend: int,
    im_bestand: int,
    vorher: dict[str, int],
) -> None:
    """Refuse a snapshot that makes more than 10 members and more than a quarter Austritte, or at least 5 and more
    than half (:func:`_zu_viele`): of all its Ortsvereine together (a filtered extract), or of one of them (its rows
    lost on the way, e.g. by a broken csv quote, while the other Ortsvereine came through)."""
    name = export.blatt.datei.name
    if _zu_viele(fehlend, im_bestand):
        raise EingabeFehler(
            f"{name}: {fehlend} von {im_bestand} Mitgliedern der enthaltenen Ortsvereine "
            "fehlen in diesem Export und würden als ausgetreten geführt. Es wurde nichts geändert.",
            hint=_MASSENAUSTRITT_HINWEIS,
        )
    if fehlend < KLEIN_FEHLEND or not vorher:
        return
    je_ortsverein = conn.execute(
        "SELECT von, count(*) AS n FROM bewegungen WHERE import_id = ? AND art = 'austritt' AND felder = 'fehlt' "
        "GROUP BY von ORDER BY n DESC, von",
        (import_id,),
    ).fetchall()
    for ortsverein, anzahl in je_ortsverein:
        bestand = vorher.get(ortsverein, 0)
        if _zu_viele(anzahl, bestand):
            raise EingabeFehler(
                f"{name}: {anzahl} von {bestand} Mitgliedern des Ortsvereins „{ortsverein}“ fehlen in diesem "
                "Export und würden als ausgetreten geführt. Es wurde nichts geändert.",
                hint=_MASSENAUSTRITT_HINWEIS,
            )


def _abgleichen(
    conn: sqlite3.Connection,
    export: Export,
    import_id: int,
    result: ImportErgebnis,
    *,
    nachtraeglich: bool,
    erstimport: bool,
) -> tuple[int, int]:
    """Compare the staged export with the store and apply it; returns (members missing from the snapshot,
    members of its Ortsvereine before it)."""
    if erstimport:
        _erstimport(conn, export, import_id, result)
        return 0, 0
    vergleich = _vergleich_in_stufe(conn, export, import_id, nachtraeglich=nachtraeglich)
    s = _Sammlung()
    neue = _neue(conn, vergleich, export, import_id, result, s)
    # only new members, none of them gone by the Stand: their openings and Eintritte come straight from their
    # rows once they are written; else every member's in the order of the export
    der_reihe_nach = bool(vergleich.geaendert) or any(len(bewegungen) > 1 for _, bewegungen in neue.values())
    if der_reihe_nach:
        _der_reihe_nach(conn, vergleich, neue, export, import_id, result, s, nachtraeglich=nachtraeglich)
    fehlend = 0
    if not nachtraeglich:
        fehlend, _ = _fehlend(conn, vergleich.fehlend, export, set(), import_id, result, s)
    if der_reihe_nach or not neue:
        _schreiben(conn, s)
    else:
        _schreiben_neu(conn, s, import_id)
    return fehlend, vergleich.im_bestand


def _abschliessen(
    conn: sqlite3.Connection,
    export: Export,
    import_id: int,
    result: ImportErgebnis,
    fehlerdatei: Callable[[], Path] | None,
) -> None:
    """The end of an import's transaction: its Ortsvereine, the error file in the log, its counts."""
    if not export.nachtrag:
        conn.executemany(
            "INSERT INTO import_ortsvereine (import_id, ortsverein, stand) VALUES (?,?,?)",
            [(import_id, ov, export.stand.isoformat()) for ov in sorted(export.ortsvereine)],
        )
    if fehlerdatei is not None:
        result.fehlerdatei = fehlerdatei()
        # in the import's transaction: the file is logged exactly when the import is kept
        speicher.protokollieren(
            conn, "import", "importfehler", len({p.zeile for p in export.probleme}), result.fehlerdatei
        )
    conn.execute(
        "UPDATE importe SET uebernommen=?, abgelehnt=?, warnungen=?, eintritte=?, austritte=?, wechsel=?, "
        "aenderungen=?, fehlerdatei=? WHERE id=?",
        (result.uebernommen, result.abgelehnt, result.warnungen, result.eintritte, result.austritte,
         result.wechsel, result.aenderungen, str(result.fehlerdatei) if result.fehlerdatei else None,
         import_id),
    )  # fmt: skip


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


def _anschrift(strasse: str | None, hausnummer: str | None) -> str:
    return re.sub(r"\s+", "", f"{strasse or ''}{hausnummer or ''}").lower()


def _now() -> str:
    return datetime.now().isoformat(timespec="seconds")


# --------------------------------------------------------------------------------------------------------------
# The first export into an empty store: in SQL, from the staging file
# --------------------------------------------------------------------------------------------------------------


def _erstimport(conn: sqlite3.Connection, export: Export, import_id: int, result: ImportErgebnis) -> None:
    """Every member new: the staged rows copied over as they are stored, one opening each, an Eintritt each
    followed by the Austritt of those who had already left by the Stand. The indexes are built after the rows
    (much faster than keeping them in order row by row)."""
    stand_iso = export.stand.isoformat()
    indexe = _indexe_weg(conn)
    conn.execute("INSERT INTO main.mitglieder SELECT * FROM stufe.neu")
    conn.execute(
        "INSERT INTO zugehoerigkeit (nr, ortsverein, unterbezirk, von, bis, import_von) "
        "SELECT nr, ortsverein, unterbezirk, eintrittsdatum, austrittsdatum, ? FROM stufe.neu ORDER BY rowid",
        (import_id,),
    )
    result.eintritte += len(export.datensaetze)
    austritte = conn.execute(
        "SELECT count(*) FROM stufe.neu WHERE austrittsdatum <= ?", (stand_iso,)
    ).fetchone()[0]
    result.austritte += austritte
    if austritte:  # each member's Austritt right after its Eintritt: the rows have to be sorted for that
        conn.execute(
            "INSERT INTO bewegungen (import_id, nr, art, datum, von, nach, felder) "
            "SELECT ?, nr, art, datum, von, nach, NULL FROM ("
            "SELECT rowid AS r, 0 AS k, nr, 'eintritt' AS art, eintrittsdatum AS datum, NULL AS von, "
            "ortsverein AS nach FROM stufe.neu "
            "UNION ALL SELECT rowid, 1, nr, 'austritt', austrittsdatum, ortsverein, NULL FROM stufe.neu "
            "WHERE austrittsdatum <= ?) ORDER BY r, k",
            (import_id, stand_iso),
        )
    else:
        conn.execute(
            "INSERT INTO bewegungen (import_id, nr, art, datum, von, nach, felder) "
            "SELECT ?, nr, 'eintritt', eintrittsdatum, NULL, ortsverein, NULL FROM stufe.neu ORDER BY rowid",
            (import_id,),
        )
    for sql in indexe:
        conn.execute(sql)


def _indexe_weg(conn: sqlite3.Connection) -> list[str]:
    """Drop the indexes of the tables an import writes; returns the statements that build them again."""
    indexe = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        "AND tbl_name IN ('mitglieder', 'zugehoerigkeit', 'bewegungen')"
    ).fetchall()
    for name, _ in indexe:
        conn.execute(f'DROP INDEX "{name}"')
    return [sql for _, sql in indexe]


# --------------------------------------------------------------------------------------------------------------
# Every later export: compared in SQL, the new ones in bulk, the changed ones member by member
# --------------------------------------------------------------------------------------------------------------


@dataclass
class _Vergleich:
    """What the comparison in SQL found."""

    daten: Datensaetze  # the new and the changed rows of the export, in its order
    neu: list[int]  # their positions in ``daten``
    geaendert: list[int]
    fehlend: list[tuple[Any, ...]]  # members that may be missing: (nr, Ortsverein, exit, Stand)
    im_bestand: int  # members of the snapshot's Ortsvereine before it


def _gleich_sql(spalten: list[str]) -> str:
    """When a staged row ``n`` equals the stored one ``m``: every field the export has (a field the record
    lacks leaves the stored one as it is), the warnings, and no exit date stored."""
    teile = ["m.warnfelder IS n.warnfelder", "m.austrittsdatum IS NULL"]
    if "eintrittsdatum" in spalten:  # a real date replaces an estimate, even one on the same day
        teile.append("m.eintritt_geschaetzt = 0")
    for feld in GESPEICHERT:
        if feld in spalten:
            gleich = f"m.{feld} IS n.{feld}"
            teile.append(f"(n._fehlt_{feld} OR {gleich})" if f"_fehlt_{feld}" in spalten else gleich)
    return " AND ".join(teile)


def _vergleich_in_stufe(
    conn: sqlite3.Connection, export: Export, import_id: int, *, nachtraeglich: bool
) -> _Vergleich:
    """Compare the export in the staging file with the store, in SQLite.

    Members whose stored row already equals the export get the import's id and Stand right here (one
    statement). An export imported as older (``nachtraeglich``) leaves members with a newer Stand alone.
    """
    spalten = [row[1] for row in conn.execute("PRAGMA stufe.table_info(neu)")]
    # one pass over the export's rows, each looked up in the store by its number
    conn.execute(
        "CREATE TEMP TABLE vergleich AS SELECT n.rowid - 1 AS pos, m.rowid AS mrow, "
        # (never NULL for a member found: unsure counts as changed, and the member goes the careful way)
        f"CASE WHEN m.rowid IS NULL THEN NULL ELSE coalesce(({_gleich_sql(spalten)}), 0) END AS gleich "
        "FROM stufe.neu n LEFT JOIN main.mitglieder m ON m.nr = n.nr "
        "WHERE NOT (? AND coalesce(m.stand, '') > ?)",  # older data never overwrites newer
        (nachtraeglich, export.stand.isoformat()),
    )
    conn.execute(
        "UPDATE mitglieder SET letzter_import = ?, stand = ? "
        "WHERE rowid IN (SELECT mrow FROM temp.vergleich WHERE gleich)",
        (import_id, export.stand.isoformat()),
    )
    geaendert = dict(conn.execute("SELECT pos, mrow FROM temp.vergleich WHERE NOT gleich ORDER BY pos"))
    neu = [r[0] for r in conn.execute("SELECT pos FROM temp.vergleich WHERE mrow IS NULL ORDER BY pos")]
    conn.execute("DROP TABLE temp.vergleich")
    fehlend, im_bestand = (
        ([], 0) if nachtraeglich else _kandidaten(conn, export, import_id, set(geaendert.values()))
    )
    positionen = sorted(neu + list(geaendert))
    stelle = {k: i for i, k in enumerate(positionen)}
    return _Vergleich(
        export.datensaetze.auswahl(positionen),
        [stelle[k] for k in neu],
        [stelle[k] for k in geaendert],
        fehlend,
        im_bestand,
    )


def _kandidaten(
    conn: sqlite3.Connection, export: Export, import_id: int, geaendert: set[int]
) -> tuple[list[tuple[Any, ...]], int]:
    """The members who may be missing from the snapshot, and the members of its Ortsvereine before it.

    Only members of the snapshot's Ortsvereine who had not left by their last snapshot can be missing from it:
    one scan counts them and hands over those the export did not confirm (the unchanged carry this import's id
    by now). Of these, the changed ones are known by their row (``geaendert``); the rest are missing.
    "+ortsverein": a scan of the table, not 500 trips through its index. (An unchanged member has no exit date,
    so the new Stand leaves the condition as it was.)
    """
    anzahl, kandidaten = conn.execute(
        "SELECT count(*), json_group_array(json_array(rowid, nr, ortsverein, austrittsdatum, stand)) "
        "FILTER (WHERE letzter_import IS NOT ?) FROM mitglieder WHERE +ortsverein IN "
        f"(SELECT value FROM json_each(?)) AND NOT {AUSGETRETEN_SQL}",
        (import_id, json.dumps(sorted(export.ortsvereine))),
    ).fetchone()
    fehlend = [tuple(k[1:]) for k in sorted(json.loads(kandidaten)) if k[0] not in geaendert]
    return fehlend, int(anzahl)


class _Sammlung:
    """What a snapshot writes after comparing, in the order it is written."""

    def __init__(self) -> None:
        self.inserts: list[tuple[Any, ...]] = []
        self.insert_sql = ""
        # applied in order: a Wechsel closes one period, then opens the next
        self.periods: list[tuple[str, tuple[Any, ...]]] = []
        self.movements: list[tuple[Any, ...]] = []


def _warn(record: dict[str, Any]) -> str | None:
    return warn_json(record["_warnfelder"])


def _db_spalte(feld: str, werte: list[Any]) -> list[Any]:
    """:func:`db` over a column (``FEHLT`` -> None): dates become ISO text, flags 0/1, text stays."""
    from mitgliederarbeit.einlesen.export import FEHLT

    if feld in FLAGS:
        return list(map(int, werte))
    return [None if v is FEHLT else db(v) for v in werte]


_Neu = tuple[tuple[str, tuple[Any, ...]], list[tuple[Any, ...]]]


def _neue(
    conn: sqlite3.Connection,
    vergleich: _Vergleich,
    export: Export,
    import_id: int,
    result: ImportErgebnis,
    s: _Sammlung,
) -> dict[int, _Neu]:
    """The new members: one insert statement for all. Returns, by position, each one's opening and its
    Eintritt (followed by its Austritt if it had left by the Stand)."""
    spalten = vergleich.daten.spalten
    nrs = [spalten["nr"][k] for k in vergleich.neu]
    werte = {f: _db_spalte(f, [spalten[f][k] for k in vergleich.neu]) for f in GESPEICHERT if f in spalten}
    warn = [warn_json(vergleich.daten.warnfelder.get(k, ())) for k in vergleich.neu]
    geschaetzt = None
    if "eintrittsdatum" not in werte:  # an export without any join date
        werte["eintrittsdatum"], geschaetzt = _eintritt_ohne_spalte(
            conn, werte["ortsverein"], export, result, werte.get("austrittsdatum")
        )
    s.insert_sql, gebunden = _insert_sql(werte, warn, import_id, export.stand, geschaetzt)
    s.inserts = list(zip(nrs, *gebunden))
    result.eintritte += len(nrs)
    ovs, eintritte = werte["ortsverein"], werte["eintrittsdatum"]
    ub, austritte = werte.get("unterbezirk"), werte.get("austrittsdatum")
    neue: dict[int, _Neu] = {}
    for i, k in enumerate(vergleich.neu):
        bis = austritte[i] if austritte is not None else None
        periode = ("open", (nrs[i], ovs[i], ub[i] if ub else None, eintritte[i], bis, import_id))
        bewegungen = [(import_id, nrs[i], "eintritt", eintritte[i], None, ovs[i], None)]
        if bis and bis <= export.stand.isoformat():
            result.austritte += 1
            bewegungen.append((import_id, nrs[i], "austritt", bis, ovs[i], None, None))
        neue[k] = (periode, bewegungen)
    return neue


def _insert_sql(
    werte: dict[str, list[Any]],
    warn: list[str | None],
    import_id: int,
    stand: date,
    geschaetzt: list[int] | None = None,
) -> tuple[str, list[list[Any]]]:
    """The statement that inserts the new members, and its bound columns. Values the same in every row (or a
    column the export lacks) are written into the statement: every bound parameter costs. ``geschaetzt``: per
    member whether its join date is an estimate (an export without the column)."""
    spalten, platz, gebunden = ["nr"], ["?"], []
    for feld in GESPEICHERT:
        spalten.append(feld)
        if feld in werte:
            platz.append("?")
            gebunden.append(werte[feld])
        else:
            platz.append("0" if feld in FLAGS else "NULL")
    spalten.append("warnfelder")
    if any(warn):
        platz.append("?")
        gebunden.append(warn)
    else:
        platz.append("NULL")
    if geschaetzt is not None and any(geschaetzt):
        spalten.append("eintritt_geschaetzt")
        platz.append("?")
        gebunden.append(geschaetzt)
    spalten += ["erster_import", "letzter_import", "stand"]
    platz += [str(int(import_id)), str(int(import_id)), f"'{stand.isoformat()}'"]
    return f"INSERT INTO mitglieder ({', '.join(spalten)}) VALUES ({', '.join(platz)})", gebunden


def _eintritt_ohne_spalte(
    conn: sqlite3.Connection,
    ortsvereine: list[Any],
    export: Export,
    result: ImportErgebnis,
    austritte: list[Any] | None = None,
) -> tuple[list[str | None], list[int]]:
    """The join dates of new members when the export has none: per member (date or None, estimated 0/1).

    A member of an Ortsverein an earlier snapshot already covered was not in it: it joined between that
    snapshot and this one, and this one's Stand is the latest possible day (an estimate; the deadlines of the
    standard then count from the day the member became visible). A member of an Ortsverein seen for the first
    time (every one in a store's first import) may have joined any time before: its join date is unknown.
    A member gone by the Stand joined no later than its Austritt: that day is the latest possible one then.
    """
    frueher = {
        ov
        for (ov,) in conn.execute(
            "SELECT DISTINCT ortsverein FROM import_ortsvereine WHERE stand < ?", (export.stand.isoformat(),)
        )
    }
    geschaetzt = [int(ov in frueher) for ov in ortsvereine]
    result.details[UNBEKANNT] = result.details.get(UNBEKANNT, 0) + geschaetzt.count(0)
    result.details[GESCHAETZT] = result.details.get(GESCHAETZT, 0) + geschaetzt.count(1)
    stand = export.stand.isoformat()
    bis = austritte or [None] * len(ortsvereine)
    return [min(stand, a or stand) if g else None for g, a in zip(geschaetzt, bis, strict=True)], geschaetzt


# --json: new members of an export without a join date whose date is unknown / estimated; members whose unknown
# or estimated date an export with the column replaced
UNBEKANNT, GESCHAETZT, NACHGETRAGEN = "eintritt_unbekannt", "eintritt_geschaetzt", "eintritt_nachgetragen"


def _ohne_eintritt_melden(export: Export, result: ImportErgebnis, *, unbekannt: int | None = None) -> None:
    """The one line (and the ``--json`` counts) of an export without any join-date column; and of an export
    with one that replaced unknown or estimated dates."""
    if nachgetragen := result.details.get(NACHGETRAGEN):
        result.details.setdefault("hinweise", []).append(
            f"Eintrittsdatum bei {mal(nachgetragen, 'Mitglied', 'Mitgliedern')} nachgetragen (bisher unbekannt "
            "oder geschätzt; zählt nicht als Änderung)."
        )
    if "eintrittsdatum" in export.kopf.zuordnung:
        return
    if unbekannt is not None:
        result.details[UNBEKANNT] = unbekannt
    unbekannt = result.details.setdefault(UNBEKANNT, 0)
    geschaetzt = result.details.setdefault(GESCHAETZT, 0)
    teile = []
    if unbekannt:
        teile.append(
            f"{mal(unbekannt, 'Mitglied', 'Mitglieder')} aus dem ersten Export "
            f"{'seines' if unbekannt == 1 else 'ihres'} Ortsvereins {'gilt' if unbekannt == 1 else 'gelten'} "
            "als „Eintritt unbekannt“ (nie neu, keine Fristen des Standards)"
        )
    if geschaetzt:
        teile.append(
            f"{mal(geschaetzt, 'neues Mitglied', 'neue Mitglieder')} "
            f"{'bekommt' if geschaetzt == 1 else 'bekommen'} den Stand {dt.de(export.stand)} als geschätzten "
            "Eintritt (eingetreten seit dem letzten Export; Fristen zählen ab diesem Tag)"
        )
    else:
        teile.append(
            "wer erst in einem späteren Export auftaucht, bekommt dessen Stand als geschätzten Eintritt"
        )
    if not unbekannt and not geschaetzt:
        teile.insert(0, "gespeicherte Eintrittsdaten bleiben")
    result.details.setdefault("hinweise", []).insert(
        0, f"Der Export hat kein Eintrittsdatum: {'; '.join(teile)}."
    )


def _der_reihe_nach(
    conn: sqlite3.Connection,
    vergleich: _Vergleich,
    neue: dict[int, _Neu],
    export: Export,
    import_id: int,
    result: ImportErgebnis,
    s: _Sammlung,
    *,
    nachtraeglich: bool,
) -> None:
    """The new members' openings and movements and the changed members, member by member, in the order of
    the export."""
    daten = vergleich.daten
    nrs = daten.spalten["nr"]
    abgeleitet = "geschlecht" not in export.kopf.zuordnung  # the Geschlecht, if any, is read from the Anrede
    alte = _gespeichert(conn, [nrs[k] for k in vergleich.geaendert])
    for k in sorted(vergleich.neu + vergleich.geaendert):
        if k in neue:
            periode, bewegungen = neue[k]
            s.movements.extend(bewegungen)
            s.periods.append(periode)
        else:
            record = daten.datensatz(k)
            _bestehend(
                conn, record, alte[nrs[k]], import_id, export.stand, result, s, nachtraeglich=nachtraeglich,
                geschlecht_abgeleitet=abgeleitet,
            )  # fmt: skip


def _gespeichert(conn: sqlite3.Connection, nrs: list[str]) -> dict[str, dict[str, Any]]:
    """The stored rows of these members, by number."""
    alte: dict[str, dict[str, Any]] = {}
    for start in range(0, len(nrs), 500):
        teil = nrs[start : start + 500]
        for row in conn.execute(f"SELECT * FROM mitglieder WHERE nr IN ({','.join('?' * len(teil))})", teil):
            alte[row["nr"]] = dict(row)
    return alte


@dataclass
class _Mitglied:
    """A known member on its way through :func:`_bestehend`: what its import writes for it."""

    nr: str
    import_id: int
    stand: date
    result: ImportErgebnis
    s: _Sammlung
    # back without a join date in the export: the estimate (the Stand, or the Austritt if gone again by then)
    eintritt_geschaetzt: str | None = None

    def bewegung(
        self, art: str, datum: object, von: str | None, nach: str | None, felder: str | None = None
    ) -> None:
        self.s.movements.append((self.import_id, self.nr, art, datum, von, nach, felder))

    def oeffnen(self, record: dict[str, Any], von: object) -> None:
        """A new membership period from ``von`` in the record's Ortsverein."""
        self.s.periods.append(
            ("open", (self.nr, record["ortsverein"], record.get("unterbezirk"), von,
                      db(record.get("austrittsdatum")), self.import_id))
        )  # fmt: skip

    def schliessen(self, bis: object) -> None:
        self.s.periods.append(("close", (bis, self.import_id, self.nr)))


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
    geschlecht_abgeleitet: bool = False,
) -> None:
    """A known member: Wiedereintritt, Wechsel, Austritt, Änderungen; the row is updated at once."""
    if nachtraeglich and old["stand"] and old["stand"] > stand.isoformat():
        return  # older data never overwrites newer
    m = _Mitglied(record["nr"], import_id, stand, result, s)
    austritt: date | None = record.get("austrittsdatum")
    old_exit = dt.gespeicherter_tag(old["austrittsdatum"])
    # a stored exit date that is no real day (a hand edit): left, on a day not known; counted back then
    exit_unlesbar = old_exit is None and old["austrittsdatum"] is not None
    was_member = not exit_unlesbar and (old_exit is None or old_exit > stand)
    if exit_unlesbar:  # the day the import that saw the exit ended the membership on, if any
        periode = conn.execute(
            "SELECT bis FROM zugehoerigkeit WHERE nr = ? ORDER BY rowid DESC LIMIT 1", (m.nr,)
        ).fetchone()
        old["_ende"] = dt.gespeicherter_tag(periode[0] if periode else None)
    reentered = not was_member and (austritt is None or (old_exit is not None and austritt > old_exit))
    if reentered:
        _wiedereintritt(m, record, old)
        was_member = True
    changes = _aenderungen(record, old, geschlecht_abgeleitet=geschlecht_abgeleitet)
    if _fragezeichen_behalten(record, old, changes):
        result.details[FRAGEZEICHEN] = result.details.get(FRAGEZEICHEN, 0) + 1
    if record["ortsverein"] != old["ortsverein"] and was_member:
        # moved and left in one export: the move came before the exit, so it is dated no later than the exit
        tag = min(stand, austritt) if austritt is not None and austritt != old_exit else stand
        result.wechsel += 1
        m.bewegung("wechsel", tag.isoformat(), old["ortsverein"], record["ortsverein"])
        m.schliessen(tag.isoformat())
        m.oeffnen(record, tag.isoformat())
    if austritt != old_exit and "austrittsdatum" in record:
        if austritt and austritt <= stand and was_member:
            result.austritte += 1
            m.bewegung("austritt", db(austritt), record["ortsverein"], None)
        elif exit_unlesbar and austritt:  # the export names the day: a correction, no new Austritt
            korrigiert = result.details.setdefault(AUSTRITT_UNLESBAR, {"mitglieder": 0, "beispiel": None})
            korrigiert["mitglieder"] += 1
            korrigiert["beispiel"] = min(
                korrigiert["beispiel"] or old["austrittsdatum"], old["austrittsdatum"]
            )
        m.schliessen(db(austritt))
    elif _angekuendigt_und_gekommen(old, old_exit, austritt, stand) and not reentered:
        # an exit announced with a future day by an earlier export (not counted then) whose day has come
        result.austritte += 1
        m.bewegung("austritt", old["austrittsdatum"], record["ortsverein"], None)
    if "eintrittsdatum" in changes and was_member and not reentered:
        # a corrected join date moves the start of the membership period that began with it
        s.periods.append(("move_start", (changes["eintrittsdatum"][1], m.nr, changes["eintrittsdatum"][0])))
    if (
        "eintrittsdatum" in changes
        and not reentered
        and (old["eintrittsdatum"] is None or old["eintritt_geschaetzt"])
    ):
        # an unknown or estimated join date replaced by the real one: filled in, not changed
        del changes["eintrittsdatum"]
        result.details[NACHGETRAGEN] = result.details.get(NACHGETRAGEN, 0) + 1
    if changes:
        result.aenderungen += 1
        m.bewegung("aenderung", stand.isoformat(), None, None, json.dumps(sorted(changes)))
    _aktualisieren(conn, record, old, changes, m)


def _angekuendigt_und_gekommen(
    old: dict[str, Any], old_exit: date | None, austritt: date | None, stand: date
) -> bool:
    """The stored exit day lay after the Stand of the member's last snapshot (announced, not counted yet), this
    export repeats it, and by its Stand the day has come."""
    return (
        old_exit is not None
        and austritt == old_exit
        and bool(old["stand"])
        and old["austrittsdatum"] > old["stand"]
        and old_exit <= stand
    )


def _wiedereintritt(m: _Mitglied, record: dict[str, Any], old: dict[str, Any]) -> None:
    """Back again after an exit: a new membership period."""
    m.result.wiedereintritte += 1
    if "eintrittsdatum" in record:
        eintritt = db(record["eintrittsdatum"])
    else:  # an export without join dates: back by its Stand at the latest (by its Austritt, if gone again)
        stand = m.stand.isoformat()
        austritt = record.get("austrittsdatum")
        eintritt = m.eintritt_geschaetzt = min(stand, austritt.isoformat()) if austritt else stand
    m.bewegung("wiedereintritt", eintritt, None, record["ortsverein"])
    # after an exit day that is no day (a hand edit), the end of the membership the store recorded
    ende = dt.gespeicherter_tag(old["austrittsdatum"]) or old.get("_ende")
    m.oeffnen(record, max(eintritt, ende.isoformat()) if ende and isinstance(eintritt, str) else eintritt)
    old["austrittsdatum"] = None
    old["ortsverein"] = record["ortsverein"]


def _aenderungen(
    record: dict[str, Any], old: dict[str, Any], *, geschlecht_abgeleitet: bool = False
) -> dict[str, list[Any]]:
    """The compared fields the export has that differ from the store: field -> [old, new].

    A Geschlecht this export only derives from the Anrede (it has no Geschlecht column) does not overwrite a
    stored one that came from a Geschlecht column (one the stored Anrede does not give): that column is not
    in this export, so it is not compared. The record keeps the stored value.
    """
    changes: dict[str, list[Any]] = {}
    for feld in VERGLICHEN:
        if feld in record and db(record[feld]) != old[feld]:
            changes[feld] = [old[feld], db(record[feld])]
    if (
        geschlecht_abgeleitet
        and "geschlecht" in changes
        and old["geschlecht"] is not None
        and old["geschlecht"] != geschlecht(None, old.get("anrede"))
    ):
        del changes["geschlecht"]
        record["geschlecht"] = old["geschlecht"]
    if "strasse" in changes or "hausnummer" in changes:
        # the same address split differently by another export is no change
        before = _anschrift(old.get("strasse"), old.get("hausnummer"))
        if before == _anschrift(record.get("strasse"), record.get("hausnummer", old.get("hausnummer"))):
            changes.pop("strasse", None)
            changes.pop("hausnummer", None)
    return changes


FRAGEZEICHEN = "fragezeichen_behalten"  # --json: members whose stored spelling was kept over "Popovi?"


def _fragezeichen_behalten(
    record: dict[str, Any], old: dict[str, Any], changes: dict[str, list[Any]]
) -> bool:
    """Where the export has "?" for letters its system could not encode ("Popovi?" for the stored "Popović"),
    the stored spelling stays and it is no change. Returns whether that happened."""
    behalten = [feld for feld, (alt, neu) in changes.items() if fragezeichen_statt(alt, neu)]
    for feld in behalten:
        record[feld] = old[feld]
        del changes[feld]
    return bool(behalten)


def austritt_unlesbar_hinweis(mitglieder: int, beispiel: str) -> str:
    """The warning for stored exit dates that were no real day and that this export gave."""
    return (
        f"{mal(mitglieder, 'Mitglied', 'Mitglieder')} {'hatte' if mitglieder == 1 else 'hatten'} im Datenbestand ein "
        f"unlesbares Austrittsdatum (etwa „{beispiel}“, von Hand bearbeitet?) und {'galt' if mitglieder == 1 else 'galten'} "
        "als ausgetreten an einem unbekannten Tag; der Export nennt den Tag: übernommen als Korrektur, kein neuer "
        "Austritt."
    )


def fragezeichen_hinweis(anzahl: int) -> str:
    """The one warning of an import that kept stored spellings over "?"."""
    return (
        f"Bei {mal(anzahl, 'Mitglied', 'Mitgliedern')} stand im Export „?“ statt eines "
        "Buchstabens, den das exportierende System nicht darstellen konnte (z. B. „Popovi?“ für „Popović“): "
        "die gespeicherte Schreibweise wurde behalten, das zählt nicht als Änderung."
    )


def _aktualisieren(
    conn: Any, record: dict[str, Any], old: dict[str, Any], changes: dict[str, list[Any]], m: _Mitglied
) -> None:
    """The member's row as the export has it; a changed number is no longer known to be wrong."""
    updates: dict[str, Any] = {f: db(record[f]) for f in GESPEICHERT if f in record}
    for feld in ("telefon", "mobil"):
        if feld in changes:
            updates[f"{feld}_falsch"] = 0
    updates.update(warnfelder=_warn(record), letzter_import=m.import_id, stand=m.stand.isoformat())
    if "eintrittsdatum" in record:
        updates["eintritt_geschaetzt"] = 0
    elif m.eintritt_geschaetzt:
        updates.update(eintrittsdatum=m.eintritt_geschaetzt, eintritt_geschaetzt=1)
    if old["austrittsdatum"] is None and "austrittsdatum" not in record:
        updates["austrittsdatum"] = None
    assignments = ", ".join(f"{k} = ?" for k in updates)
    conn.execute(f"UPDATE mitglieder SET {assignments} WHERE nr = ?", (*updates.values(), m.nr))


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
    gekuerzt: dict[Bereich, int] = {}  # shortened numbers -> members kept because they may be the one meant
    for nr, ortsverein, austrittsdatum, old_stand in bestand:
        if ortsverein not in scope:
            continue
        old_exit = dt.gespeicherter_tag(austrittsdatum)
        if old_exit is not None and old_stand and austrittsdatum <= old_stand:  # type: ignore[operator]
            continue  # had already left at its last snapshot, counted back then
        if old_exit is None and austrittsdatum is not None:
            continue  # left on a day not known (AUSGETRETEN_SQL)
        im_bestand += 1
        if nr in seen or nr in export.abgelehnte_nummern:
            continue
        if (bereich := _im_bereich(nr, export.abgelehnte_bereiche)) is not None:
            gekuerzt[bereich] = gekuerzt.get(bereich, 0) + 1
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
    if gekuerzt:
        # missing, yet not booked as gone: said, so that "Austritte: 0" does not read as "nobody is missing"
        result.details["gekuerzt_nicht_ausgetreten"] = {
            "mitglieder": sum(gekuerzt.values()),
            "zeilen": [
                {"zeile": b.zeile, "mitgliedsnummer": b.nummer}
                for b in sorted(gekuerzt, key=lambda b: b.zeile)
            ],
        }
    return fehlend, im_bestand


def _im_bereich(nr: str, bereiche: list[Bereich]) -> Bereich | None:
    """The rejected row's shortened number (9.3E+06) a member number may be the one meant by, if any."""
    if not bereiche or not nr.isdigit():
        return None
    zahl = int(nr)
    return next((b for b in bereiche if b.von <= zahl <= b.bis), None)


def _schreiben(conn: Any, s: _Sammlung) -> None:
    if s.inserts:
        conn.executemany(s.insert_sql, s.inserts)
    _perioden_und_bewegungen(conn, s)


def _perioden_und_bewegungen(conn: Any, s: _Sammlung) -> None:
    """The periods in their order (consecutive openings in one batch), then the movements."""
    offen: list[tuple] = []  # consecutive openings go in one batch; the order stays that of the list
    for op, params in s.periods:
        if op == "open":
            offen.append(params)
            continue
        if offen:
            conn.executemany(_INSERT_PERIODE, offen)
            offen = []
        if op == "move_start":
            conn.execute("UPDATE zugehoerigkeit SET von = ? WHERE nr = ? AND von IS ?", params)
        else:  # close the member's latest period; never before it began (an exit dated back before a move)
            conn.execute(
                "UPDATE zugehoerigkeit SET bis = max(?, coalesce(von, '')), import_bis = ? WHERE rowid = "
                "(SELECT max(rowid) FROM zugehoerigkeit WHERE nr = ?)",
                params,
            )
    if offen:
        conn.executemany(_INSERT_PERIODE, offen)
    if s.movements:
        conn.executemany(_INSERT_BEWEGUNG, s.movements)


_INSERT_PERIODE = (
    "INSERT INTO zugehoerigkeit (nr, ortsverein, unterbezirk, von, bis, import_von) VALUES (?,?,?,?,?,?)"
)
_INSERT_BEWEGUNG = (
    "INSERT INTO bewegungen (import_id, nr, art, datum, von, nach, felder) VALUES (?,?,?,?,?,?,?)"
)


def _schreiben_neu(conn: sqlite3.Connection, s: _Sammlung, import_id: int) -> None:
    """:func:`_schreiben` when only new members came: their openings and Eintritte straight from their rows,
    in the order they were written."""
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
    _perioden_und_bewegungen(conn, s)  # the Austritte of members missing from the export
