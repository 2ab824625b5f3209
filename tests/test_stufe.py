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
def ordner(tmp_path, monkeypatch) -> Arbeitsordner:
    monkeypatch.setattr(
        imp, "SPALTENWEISE_AB", 0
    )  # the examples are small: take the large-export path anyway
    return Arbeitsordner(tmp_path / "w", date(2026, 10, 1))


def test_staging_file_is_private_while_it_exists_and_gone_afterwards(ordner, monkeypatch):
    gesehen: list[tuple[Path, int]] = []
    original = speicher.stufe_schreiben

    def beobachten(folder, tabellen):
        pfad = original(folder, tabellen)
        gesehen.append((pfad, stat.S_IMODE(pfad.stat().st_mode)))
        return pfad

    monkeypatch.setattr(speicher, "stufe_schreiben", beobachten)
    imp.importieren(ordner, [BEISPIEL[0]])  # the first one goes straight into the fresh store
    imp.importieren(ordner, [BEISPIEL[1]])  # the next one through the staging file
    assert gesehen and all(modus == 0o600 for _, modus in gesehen)
    assert not any(p.exists() for p, _ in gesehen)
    assert not list(ordner.pfad.glob(".import-*"))


def test_staging_file_is_removed_when_the_import_fails(ordner, monkeypatch):
    imp.importieren(ordner, [BEISPIEL[0]])

    def scheitern(*args, **kwargs):
        raise EingabeFehler("Abbruch mitten im Import")

    monkeypatch.setattr(imp, "_apply", scheitern)
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


@pytest.mark.parametrize("erster", [True, False], ids=["erster-import", "naechster-import"])
def test_scratch_file_of_the_second_half_is_private_and_gone_afterwards(ordner, monkeypatch, erster):
    monkeypatch.setattr(speicher, "TEILEN_AB", 2)
    gesehen: list[int] = []
    original = speicher._einspielen

    def beobachten(verbindung, tabelle, rahmen, *, neu):
        teil = speicher._teildatei(ordner.pfad)
        if teil.exists():
            gesehen.append(stat.S_IMODE(teil.stat().st_mode))
        original(verbindung, tabelle, rahmen, neu=neu)

    if not erster:
        imp.importieren(ordner, [BEISPIEL[0]])
    monkeypatch.setattr(speicher, "_einspielen", beobachten)
    imp.importieren(ordner, [BEISPIEL[1]])
    assert gesehen and all(modus == 0o600 for modus in gesehen)
    assert not list(ordner.pfad.glob(".import-*"))


@pytest.mark.parametrize("erster", [True, False], ids=["erster-import", "naechster-import"])
def test_a_failing_second_half_is_a_german_error_and_changes_nothing(ordner, monkeypatch, erster):
    import sqlite3

    import adbc_driver_manager

    from mitgliederarbeit.errors import OrdnerFehler

    if not erster:
        imp.importieren(ordner, [BEISPIEL[0]])
    monkeypatch.setattr(speicher, "TEILEN_AB", 2)
    original = speicher._einspielen

    def voll(verbindung, tabelle, rahmen, *, neu):
        if threading.current_thread().name == "zweite-haelfte":  # the disk fills up under the second half
            raise adbc_driver_manager.OperationalError(
                "database or disk is full", status_code=adbc_driver_manager.AdbcStatusCode.IO
            )
        original(verbindung, tabelle, rahmen, neu=neu)

    monkeypatch.setattr(speicher, "_einspielen", voll)
    fehlerdateien = sorted(ordner.ausgabe.glob("import-fehler-*"))
    with pytest.raises(OrdnerFehler) as fehler:
        imp.importieren(ordner, [BEISPIEL[1]])
    assert fehler.value.message == "Der Datenträger ist voll; mitglieder.sqlite wurde nicht verändert."
    assert not list(ordner.pfad.glob(".import-*"))
    assert sorted(ordner.ausgabe.glob("import-fehler-*")) == fehlerdateien  # none of a failed import
    conn = sqlite3.connect(ordner.pfad / "mitglieder.sqlite")
    assert conn.execute("SELECT count(*) FROM importe").fetchone()[0] == (0 if erster else 1)


@pytest.mark.skipif(os.name == "nt", reason="liveness of a process id is checked on POSIX only")
def test_scratch_file_of_a_killed_import_is_removed_by_the_next_one(ordner):
    imp.importieren(ordner, [BEISPIEL[0]])
    alt = ordner.pfad / f".import-{_toter_prozess()}-teil.sqlite"
    alt.write_bytes(b"SQLite format 3\x00 personal data of a killed import")
    imp.importieren(ordner, [BEISPIEL[1]])
    assert not alt.exists()
