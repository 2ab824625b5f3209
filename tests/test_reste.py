"""Outputs a killed process left half-written: removed by the next import, the next write there and bereinigen."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mitgliederarbeit import dateien
from mitgliederarbeit.bestand import speicher
from mitgliederarbeit.einlesen.importieren import importieren

from .test_sicherung import _export

# a process that starts writing an output with personal data and is killed before it is done
_SCHREIBER = """
import sys, time
from pathlib import Path
from mitgliederarbeit import dateien
from mitgliederarbeit.bestand import speicher

def writer(tmp):
    tmp.write_text("Erika Musterfrau, Parkweg 1, 0171 2345678")
    print("schreibt", flush=True)
    time.sleep(60)

dateien.schreiben(Path(sys.argv[1]), writer)
"""


def _getoetet(ziel) -> list:
    """Kill -9 a process in the middle of writing ``ziel``; the half-written files it left."""
    with subprocess.Popen(
        [sys.executable, "-c", _SCHREIBER, str(ziel)], stdout=subprocess.PIPE, text=True, env=os.environ
    ) as proc:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "schreibt"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    reste = sorted(ziel.parent.glob(".*.tmp"))
    assert len(reste) == 1 and reste[0].read_text().startswith("Erika")
    assert not ziel.exists()
    return reste


def test_an_error_file_cut_short_by_kill_is_removed_by_the_next_import(ordner, tmp_path):
    importieren(ordner, [_export(tmp_path, 1)])
    (rest,) = _getoetet(ordner.ausgabe / "import-fehler-2026-02-28.xlsx")
    importieren(ordner, [_export(tmp_path, 2)])  # a clean export: it writes no error file
    assert not rest.exists()


def test_a_live_writer_keeps_its_file_and_bereinigen_looks_below_ausgabe(ordner, tmp_path, mitglieder):
    importieren(ordner, [_export(tmp_path, 1)])
    briefe = ordner.ausgabe / "briefe-2026-09-01"
    (tot,) = _getoetet(briefe / "brief-0001.docx")
    # a file another process is writing right now (process 1 runs as long as the machine does)
    lebend = ordner.ausgabe / f".anrufliste.xlsx.{dateien._rechner()}-1.abcdefgh.tmp"
    lebend.write_text("wird gerade geschrieben")
    # a file another computer is writing into a synced folder: its process number says nothing here
    fremd = ordner.ausgabe / ".anrufliste.xlsx.andererRechner-999999.abcdefgh.tmp"
    fremd.write_text("wird drüben geschrieben")
    time.sleep(0.01)
    assert dateien.reste(ordner.ausgabe) == []  # not below ausgabe/, and the live one is no leftover
    assert dateien.reste(ordner.ausgabe, tief=True) == [tot]
    run = mitglieder("--ordner", ordner.pfad, "bereinigen", "--ja")
    assert run.code == 0, run.err
    assert (
        run.err.splitlines()[-1]
        == "1 unvollständige oder beschädigte Sicherungskopie, Ausgabe- oder Importdatei gelöscht."
    )
    assert not tot.exists() and lebend.exists() and fremd.exists()


_ENTSCHLUESSELT = """
import os, sys, time
from mitgliederarbeit import dateien
from mitgliederarbeit.bestand import speicher

with dateien.arbeitsordner_temp("paket") as ordner:
    (ordner / "paket.xlsx").write_text("Erika Musterfrau, entschlüsselt")
    print(ordner, flush=True)
    time.sleep(60)
"""


def test_a_private_temp_folder_of_a_killed_run_goes_with_the_next_one(tmp_path, monkeypatch):
    """A decrypted package (or letters on their way to PDF) lies in a private temp folder during the run."""
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    with subprocess.Popen(
        [sys.executable, "-c", _ENTSCHLUESSELT], stdout=subprocess.PIPE, text=True, env=os.environ
    ) as proc:
        assert proc.stdout is not None
        ordner = Path(proc.stdout.readline().strip())
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    assert ordner.parent == tmp_path and (ordner / "paket.xlsx").exists()
    assert oct(ordner.stat().st_mode & 0o777) == "0o700"
    fremd = tmp_path / "mitglieder-paket-1-abcdefgh"  # process 1 runs: not ours to remove
    fremd.mkdir()
    monkeypatch.setattr("tempfile.tempdir", None)  # the next run reads TMPDIR again
    with dateien.arbeitsordner_temp("pdf") as neu:
        assert neu.exists() and not ordner.exists() and fremd.exists()
    assert not neu.exists()


# an import killed while it writes its staging file (names, addresses, phone numbers)
_IMPORT = """
import os, sys, time
from pathlib import Path

stufe = Path(sys.argv[1]) / f".import-{os.getpid()}.sqlite"
stufe.write_text("SQLite format 3 Erika Musterfrau, Parkweg 1, 01067 Dresden, 0171 2345678")
print("schreibt", flush=True)
time.sleep(60)
"""


def _import_getoetet(folder: Path) -> tuple[subprocess.Popen[str], Path]:
    """Kill -9 an import in the middle of staging. Until its parent reaps it the process is a zombie, as it is
    after ``timeout -s KILL`` or a closed terminal (the system reaps it later): its number is still taken."""
    proc = subprocess.Popen([sys.executable, "-c", _IMPORT, str(folder)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "schreibt"
    os.kill(proc.pid, signal.SIGKILL)
    for _ in range(200):  # until the kill has taken effect (the process is a zombie now: not waited for)
        if Path(f"/proc/{proc.pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z":
            break
        time.sleep(0.01)
    return proc, folder / f".import-{proc.pid}.sqlite"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="zombies are told apart where /proc tells")
def test_the_staging_file_of_a_killed_import_goes_with_the_next_import_even_one_that_changes_nothing(
    ordner, tmp_path
):
    export = _export(tmp_path, 1)
    importieren(ordner, [export])
    proc, stufe = _import_getoetet(ordner.pfad)
    lebend = ordner.pfad / ".import-1-teil.sqlite"  # a running import's file (process 1 runs): never touched
    lebend.write_text("wird gerade geschrieben")
    try:
        assert stufe.exists()
        (ergebnis,) = importieren(ordner, [export])  # already imported: it stages nothing
        assert ergebnis.bereits_importiert
        assert not stufe.exists() and lebend.exists()
    finally:
        proc.wait()
        proc.stdout.close()  # type: ignore[union-attr]


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="zombies are told apart where /proc tells")
def test_bereinigen_counts_and_removes_the_staging_file_of_a_killed_import(ordner, tmp_path, mitglieder):
    importieren(ordner, [_export(tmp_path, 1)])
    proc, stufe = _import_getoetet(ordner.pfad)
    lebend = ordner.pfad / ".import-1.sqlite"
    lebend.write_text("wird gerade geschrieben")
    try:
        plan = mitglieder("--ordner", ordner.pfad, "--json", "bereinigen", "--trockenlauf")
        assert plan.code == 0, plan.err
        assert json.loads(plan.out)["reste"] == 1 and stufe.exists()
        run = mitglieder("--ordner", ordner.pfad, "--json", "bereinigen", "--ja")
        assert run.code == 0, run.err
        assert json.loads(run.out)["reste"] == 1
        assert not stufe.exists() and lebend.exists()
    finally:
        proc.wait()
        proc.stdout.close()  # type: ignore[union-attr]


def _systemstart() -> float:
    for zeile in Path("/proc/stat").read_text().splitlines():
        if zeile.startswith("btime "):
            return float(zeile.split()[1])
    raise AssertionError("/proc/stat ohne btime")


@pytest.mark.skipif(not Path("/proc/stat").exists(), reason="the boot time is known where /proc/stat tells")
def test_a_leftover_written_before_the_boot_goes_though_a_live_process_has_its_number_now(
    ordner, tmp_path, monkeypatch
):
    """After a reboot another process may have the number a killed writer had: a file last written before the
    boot is a leftover all the same, one written since is not."""
    ordner.ausgabe.mkdir(parents=True)
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr("tempfile.tempdir", None)
    vor_dem_start = _systemstart() - 3600
    with subprocess.Popen(["sleep", "60"]) as jetzt:  # a live process with the old writer's number
        try:
            # an output, a staging file, a private temp folder: each once from before the boot, once since
            ausgabe = [
                ordner.ausgabe / f".anrufliste{n}.xlsx.{dateien._rechner()}-{jetzt.pid}.abcdefgh.tmp"
                for n in (1, 2)
            ]
            stufen = [
                ordner.pfad / f".import-{jetzt.pid}.sqlite",
                ordner.pfad / f".import-{jetzt.pid}-teil.sqlite",
            ]
            temp = [tmp_path / f"mitglieder-paket-{jetzt.pid}-abcdefg{n}" for n in (1, 2)]
            for alt, neu in (ausgabe, stufen, temp):
                for pfad in (alt, neu):
                    if pfad in temp:
                        pfad.mkdir()
                    else:
                        pfad.write_text("Erika Musterfrau, Parkweg 1")
                os.utime(alt, (vor_dem_start, vor_dem_start))
            # this process's own files it removes itself, whatever their time says (a clock set after the boot)
            eigener = ordner.ausgabe / f".brief.docx.{dateien._rechner()}-{os.getpid()}.abcdefgh.tmp"
            eigener.write_text("Erika Musterfrau")
            os.utime(eigener, (vor_dem_start, vor_dem_start))
            # a few minutes before the boot time is within what a clock set right after the boot moves
            knapp = ordner.ausgabe / f".brief2.docx.{dateien._rechner()}-{jetzt.pid}.abcdefgh.tmp"
            knapp.write_text("Erika Musterfrau")
            os.utime(knapp, (_systemstart() - 300, _systemstart() - 300))

            assert dateien.reste(ordner.ausgabe) == [ausgabe[0]]
            assert speicher.stufen_reste(ordner.pfad) == [stufen[0]]
            with dateien.arbeitsordner_temp("pdf") as neu:
                assert neu.exists()
            assert not temp[0].exists() and temp[1].exists()
            assert (
                dateien.reste_entfernen(ordner.ausgabe) == 1
                and speicher.stufen_reste_entfernen(ordner.pfad) == 1
            )
            assert not ausgabe[0].exists() and not stufen[0].exists()
            assert eigener.exists() and knapp.exists()
            assert ausgabe[1].exists() and stufen[1].exists()  # written since the boot: maybe its writer's
        finally:
            jetzt.kill()


def test_without_a_known_boot_time_the_process_number_alone_decides(ordner, monkeypatch):
    """No /proc (macOS, Windows): a leftover whose number a live process has stays, however old it is."""
    monkeypatch.setattr(dateien, "_systemstart", lambda: None)
    ordner.ausgabe.mkdir(parents=True)
    alt = ordner.ausgabe / f".anrufliste.xlsx.{dateien._rechner()}-1.abcdefgh.tmp"  # process 1 runs
    alt.write_text("Erika Musterfrau")
    os.utime(alt, (0, 0))
    assert dateien.reste(ordner.ausgabe) == [] and alt.exists()


@pytest.mark.skipif(not Path("/proc/stat").exists(), reason="the boot time is read where /proc/stat tells")
def test_the_boot_time_is_read_only_for_a_leftover_of_a_live_number_and_then_once(
    ordner, tmp_path, mitglieder
):
    dateien._systemstart.cache_clear()
    ordner.ausgabe.mkdir(parents=True)
    (ordner.ausgabe / "anrufliste.xlsx").write_text("fertig geschrieben")  # no leftover
    importieren(ordner, [_export(tmp_path, 1)])  # looks for leftovers in ausgabe/, finds none
    run = mitglieder("--ordner", ordner.pfad, "protokoll")
    assert run.code == 0
    assert dateien._systemstart.cache_info().misses == 0
    lebend = ordner.ausgabe / f".anrufliste.xlsx.{dateien._rechner()}-1.abcdefgh.tmp"  # process 1 runs
    lebend.write_text("wird gerade geschrieben")
    assert dateien.reste(ordner.ausgabe) == [] and dateien.reste(ordner.ausgabe) == []
    assert dateien._systemstart.cache_info().misses == 1
