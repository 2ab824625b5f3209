"""The staging file of a large import: private while it exists, gone afterwards, and cleaned up after a crash."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from datetime import date
from pathlib import Path

import pytest

from mitgliederarbeit.bestand import speicher
from mitgliederarbeit.einlesen import abgleich
from mitgliederarbeit.einlesen import importieren as imp
from mitgliederarbeit.errors import EingabeFehler
from mitgliederarbeit.ordner import Arbeitsordner

ROOT = Path(__file__).resolve().parents[1]
BEISPIEL = sorted((ROOT / "examples").glob("unterbezirk-*"))


def _toter_prozess() -> int:
    proc = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    return int(proc.stdout)


@pytest.fixture
def ordner(tmp_path) -> Arbeitsordner:
    return Arbeitsordner(tmp_path / "w", date(2026, 10, 1))


def test_staging_file_is_private_while_it_exists_and_gone_afterwards(ordner, monkeypatch):
    gesehen: list[tuple[Path, int]] = []
    original = speicher.stufe_schreiben

    def beobachten(folder, tabellen, **optionen):
        pfad = original(folder, tabellen, **optionen)
        gesehen.append((pfad, stat.S_IMODE(pfad.stat().st_mode)))
        return pfad

    monkeypatch.setattr(speicher, "stufe_schreiben", beobachten)
    imp.importieren(ordner, [BEISPIEL[0]])  # every export goes through the staging file
    imp.importieren(ordner, [BEISPIEL[1]])  # the next one through the staging file
    assert gesehen and all(modus == 0o600 for _, modus in gesehen)
    assert not any(p.exists() for p, _ in gesehen)
    assert not list(ordner.pfad.glob(".import-*"))


def test_staging_file_is_removed_when_the_import_fails(ordner, monkeypatch):
    imp.importieren(ordner, [BEISPIEL[0]])

    def scheitern(*args, **kwargs):
        raise EingabeFehler("Abbruch mitten im Import")

    monkeypatch.setattr(abgleich, "_abgleichen", scheitern)
    with pytest.raises(EingabeFehler):
        imp.importieren(ordner, [BEISPIEL[1]])
    assert not list(ordner.pfad.glob(".import-*"))


@pytest.mark.skipif(os.name == "nt", reason="liveness of a process id is checked on POSIX only")
def test_staging_file_of_a_killed_import_is_removed_by_the_next_one(ordner):
    imp.importieren(ordner, [BEISPIEL[0]])
    alt = ordner.pfad / f".import-{_toter_prozess()}.sqlite"
    alt.write_bytes(b"SQLite format 3\x00 personal data of a killed import")
    laufend = ordner.pfad / f".import-{os.getppid()}.sqlite"  # a process that is alive: not touched
    laufend.write_bytes(b"still in use")
    imp.importieren(ordner, [BEISPIEL[1]])
    assert not alt.exists()
    assert laufend.exists()


def test_a_failing_staging_write_is_a_german_error_and_changes_nothing(ordner, monkeypatch, tmp_path):
    import sqlite3

    import adbc_driver_sqlite

    from mitgliederarbeit.errors import OrdnerFehler

    imp.importieren(ordner, [BEISPIEL[0]])
    vorher = (
        sqlite3.connect(ordner.pfad / "mitglieder.sqlite").execute("SELECT count(*) FROM importe").fetchone()
    )
    echt = adbc_driver_sqlite.connect
    # the driver cannot open its file (as with a full or vanished disk)
    monkeypatch.setattr(adbc_driver_sqlite, "connect", lambda uri: echt(str(tmp_path / "weg" / "x.sqlite")))
    with pytest.raises(OrdnerFehler) as fehler:
        imp.importieren(ordner, [BEISPIEL[1]])
    assert "mitglieder.sqlite" in fehler.value.message and "nichts geändert" in fehler.value.message
    assert not list(ordner.pfad.glob(".import-*"))
    nachher = (
        sqlite3.connect(ordner.pfad / "mitglieder.sqlite").execute("SELECT count(*) FROM importe").fetchone()
    )
    assert nachher == vorher


# --------------------------------------------------------------------------------------------------------------
# a large frame is written in two halves at once: the second half's scratch file
# --------------------------------------------------------------------------------------------------------------


def _rahmen():
    import polars as pl

    return pl.DataFrame({"nr": [str(i) for i in range(7)], "ort": ["A", None, "C", "D", None, "F", "G"]})


def test_two_halves_give_the_rows_in_order_and_the_scratch_file_is_private_and_gone(tmp_path, monkeypatch):
    import sqlite3

    gesehen: list[int] = []
    original = speicher._einspielen

    def beobachten(verbindung, tabelle, rahmen, *anlegen):
        for teil in tmp_path.glob(".import-*-teil.sqlite"):
            gesehen.append(stat.S_IMODE(teil.stat().st_mode))
        original(verbindung, tabelle, rahmen, *anlegen)

    monkeypatch.setattr(speicher, "_einspielen", beobachten)
    pfad = speicher.stufe_schreiben(tmp_path, {"neu": _rahmen()}, haelften=True)
    try:
        zeilen = sqlite3.connect(pfad).execute("SELECT nr, ort FROM neu ORDER BY rowid").fetchall()
        assert zeilen == list(_rahmen().iter_rows())
        assert gesehen and all(modus == 0o600 for modus in gesehen)
        assert not list(tmp_path.glob(".import-*-teil.sqlite"))
    finally:
        speicher.stufe_loeschen(pfad)
    assert not list(tmp_path.glob(".import-*"))


def test_a_failing_second_half_is_a_german_error_and_leaves_nothing(tmp_path, monkeypatch):
    import adbc_driver_manager

    from mitgliederarbeit.errors import OrdnerFehler

    original = speicher._einspielen

    def voll(verbindung, tabelle, rahmen, *anlegen):
        if threading.current_thread().name == "zweite-haelfte":  # the disk fills up under the second half
            raise adbc_driver_manager.OperationalError(
                "database or disk is full", status_code=adbc_driver_manager.AdbcStatusCode.IO
            )
        original(verbindung, tabelle, rahmen, *anlegen)

    monkeypatch.setattr(speicher, "_einspielen", voll)
    with pytest.raises(OrdnerFehler) as fehler:
        speicher.stufe_schreiben(tmp_path, {"neu": _rahmen()}, haelften=True)
    assert fehler.value.message == "Der Datenträger ist voll; mitglieder.sqlite wurde nicht verändert."
    assert not list(tmp_path.glob(".import-*"))


@pytest.mark.skipif(os.name == "nt", reason="liveness of a process id is checked on POSIX only")
def test_scratch_file_of_a_killed_import_is_removed_by_the_next_one(ordner):
    imp.importieren(ordner, [BEISPIEL[0]])
    alt = ordner.pfad / f".import-{_toter_prozess()}-teil.sqlite"
    alt.write_bytes(b"SQLite format 3\x00 personal data of a killed import")
    imp.importieren(ordner, [BEISPIEL[1]])
    assert not alt.exists()
