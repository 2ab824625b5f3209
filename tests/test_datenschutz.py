"""Backups, deletion, the output log, and faults: killed imports, locked folders, damaged stores."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from mitgliederarbeit.bestand import sicherung
from mitgliederarbeit.bestand.wiederherstellung import wiederherstellen
from mitgliederarbeit.einlesen.importieren import importieren
from mitgliederarbeit.errors import OrdnerFehler
from mitgliederarbeit.ordner import Arbeitsordner

from .test_import import member, rows, write_csv


def _months(ordner, tmp_path, count):
    for i in range(count):
        export = write_csv(
            tmp_path / f"m{i}.csv", [member("1", f"A{i}"), member("2", "B")], stand=f"28.0{i + 1}.2026"
        )
        importieren(ordner, [export])


def test_a_backup_before_every_change_and_only_five_kept(ordner, tmp_path):
    _months(ordner, tmp_path, 1)
    assert sicherung.auflisten(ordner.pfad) == []  # nothing to back up before the first import
    _months(ordner, tmp_path, 8)
    backups = sicherung.auflisten(ordner.pfad)
    assert len(backups) == 5
    assert all(b.pfad.stat().st_mode & 0o777 == 0o600 for b in backups)
    assert (ordner.pfad / "sicherung").stat().st_mode & 0o777 == 0o700


def test_restore_brings_back_the_earlier_state_and_can_be_undone(ordner, tmp_path, mitglieder):
    importieren(ordner, [write_csv(tmp_path / "a.csv", [member("1", "Vorher")], stand="31.01.2026")])
    importieren(ordner, [write_csv(tmp_path / "b.csv", [member("1", "Nachher")], stand="28.02.2026")])
    [backup] = sicherung.auflisten(ordner.pfad)
    run = mitglieder("--ordner", ordner.pfad, "sicherung", "--wiederherstellen", backup.name)
    assert run.code == 0
    assert run.err.strip() == (
        f"Sicherung {backup.name} wiederhergestellt. Der vorherige Stand wurde zuvor gesichert."
    )
    assert rows(ordner.pfad, "SELECT nachname FROM mitglieder") == [("Vorher",)]
    newest = sicherung.auflisten(ordner.pfad)[0]
    wiederherstellen(ordner.pfad, newest.name)
    assert rows(ordner.pfad, "SELECT nachname FROM mitglieder") == [("Nachher",)]
    run = mitglieder("--ordner", ordner.pfad, "sicherung", "--wiederherstellen", "gibtsnicht")
    assert run.code == 2 and "Eine Sicherung „gibtsnicht“ gibt es nicht." in run.err
    run = mitglieder("--ordner", ordner.pfad, "--json", "sicherung")
    assert len(run.json()) == 3


def _left_long_ago(ordner, tmp_path):
    importieren(
        Arbeitsordner(ordner.pfad, date(2023, 1, 1)),
        [
            write_csv(
                tmp_path / "a.csv",
                [member("1", "Bleibtda"), member("2", "Gehtweg", eintritt="01.05.2010")],
                stand="31.12.2022",
            )
        ],
    )
    importieren(
        Arbeitsordner(ordner.pfad, date(2023, 7, 1)),
        [write_csv(tmp_path / "b.csv", [member("1", "Bleibtda")], stand="30.06.2023")],
    )
    conn = sqlite3.connect(ordner.pfad / "mitglieder.sqlite")
    conn.execute(
        "INSERT INTO kontakte (nr, art, datum, ergebnis, notiz) VALUES ('2', 'anruf', '2023-03-01', "
        "'erreicht', 'Gehtweg zieht nach Köln')"
    )
    conn.commit()
    conn.close()


def test_bereinigen_deletes_personal_data_and_keeps_anonymous_rows(ordner, tmp_path, mitglieder):
    _left_long_ago(ordner, tmp_path)
    run = mitglieder("--ordner", ordner.pfad, "--stichtag", "01.09.2026", "bereinigen", "--trockenlauf")
    assert run.code == 0
    assert run.err.splitlines()[0] == (
        "Zu löschen: persönliche Daten von 1 Mitglied, das vor dem 01.09.2024 "
        "ausgetreten ist, und Notizen, Interessen und Anrufernamen von 1 Kontakt von vor dem 01.09.2024."
    )
    assert rows(ordner.pfad, "SELECT nachname FROM mitglieder ORDER BY nr") == [("Bleibtda",), ("Gehtweg",)]

    run = mitglieder("--ordner", ordner.pfad, "--stichtag", "01.09.2026", "bereinigen")
    assert run.code == 2 and "Bitte mit --ja bestätigen" in run.err  # no terminal to ask in

    run = mitglieder("--ordner", ordner.pfad, "--stichtag", "01.09.2026", "--json", "bereinigen", "--ja")
    assert run.code == 0
    assert run.json()["mitglieder"] == 1 and run.json()["ausgefuehrt"]
    anon = rows(
        ordner.pfad,
        "SELECT nr, nachname, vorname, strasse, telefon, ortsverein, eintrittsdatum, "
        "austrittsdatum, anonymisiert FROM mitglieder WHERE nr != '1'",
    )
    assert len(anon) == 1
    nr, *rest = anon[0]
    assert nr.startswith("anonym-")
    assert rest == [None, None, None, None, "Altstadt", "2010-05-01", "2023-06-01", 1]
    assert rows(ordner.pfad, "SELECT notiz, nr FROM kontakte") == [(None, nr)]
    raw = (ordner.pfad / "mitglieder.sqlite").read_bytes()
    assert b"Gehtweg" not in raw and "Köln".encode() not in raw  # really gone from the file (VACUUM)
    assert sicherung.auflisten(ordner.pfad) == []  # the backups held the deleted data
    # reports still add up: the anonymous member counts as a past member
    assert rows(ordner.pfad, "SELECT count(*) FROM zugehoerigkeit WHERE nr = ?", nr) == [(1,)]


def test_protokoll_lists_outputs_with_personal_data(ordner, tmp_path, mitglieder):
    export = write_csv(
        tmp_path / "a.csv", [member("1", "A"), member("2", "B", eintritt="31.02.2020")], stand="31.03.2026"
    )
    importieren(ordner, [export])
    run = mitglieder("--ordner", ordner.pfad, "--json", "protokoll")
    [entry] = run.json()
    assert (entry["befehl"], entry["segment"], entry["anzahl"]) == ("import", "importfehler", 1)
    assert entry["pfad"].endswith("import-fehler-2026-03-31.xlsx")
    assert "B" not in run.json()[0].values()


def test_the_import_error_file_is_logged_by_the_one_rule_for_outputs_in_the_imports_transaction(
    tmp_path, mitglieder, monkeypatch
):
    """The error file is logged by ``speicher.protokollieren`` like every output: its path absolute and resolved
    (``--ausgabe fehler`` means the folder the command ran in), the entry in the import's own transaction."""
    from mitgliederarbeit.bestand import speicher

    aufrufe = []
    original = speicher.protokollieren

    def mitschreiben(conn, befehl, segment, anzahl, pfad):
        aufrufe.append((befehl, segment, anzahl, pfad))
        original(conn, befehl, segment, anzahl, pfad)

    monkeypatch.setattr(speicher, "protokollieren", mitschreiben)
    export = write_csv(
        tmp_path / "a.csv", [member("1", "A"), member("2", "B", eintritt="31.02.2020")], stand="31.03.2026"
    )
    run = mitglieder(
        "--ordner", "arbeit", "--stichtag", "01.09.2026", "import", "--ausgabe", "fehler", export.name
    )
    assert run.code == 3, run.err  # a row rejected
    fehlerdatei = (tmp_path / "fehler" / "import-fehler-2026-03-31.xlsx").resolve()
    assert fehlerdatei.exists()
    assert aufrufe == [("import", "importfehler", 1, Path("fehler") / "import-fehler-2026-03-31.xlsx")]
    run = mitglieder("--ordner", "arbeit", "--json", "protokoll")
    [entry] = run.json()
    assert (entry["befehl"], entry["segment"], entry["anzahl"]) == ("import", "importfehler", 1)
    assert entry["pfad"] == str(fehlerdatei)  # not the relative "fehler/…" it was given as
    run = mitglieder("--ordner", "arbeit", "protokoll")
    assert run.code == 0 and "importfehler" in run.out

    # an import that fails once its error file is logged keeps neither the entry nor the file
    def scheitern(conn, befehl, segment, anzahl, pfad):
        original(conn, befehl, segment, anzahl, pfad)
        raise RuntimeError("Platte voll")

    monkeypatch.setattr(speicher, "protokollieren", scheitern)
    zweiter = write_csv(
        tmp_path / "b.csv", [member("1", "A"), member("3", "C", eintritt="31.02.2021")], stand="30.04.2026"
    )
    with pytest.raises(RuntimeError, match="Platte voll"):
        importieren(Arbeitsordner(tmp_path / "arbeit", date(2026, 9, 1)), [zweiter], fehler_ordner=tmp_path)
    assert not (tmp_path / "import-fehler-2026-04-30.xlsx").exists()
    assert [e["pfad"] for e in mitglieder("--ordner", "arbeit", "--json", "protokoll").json()] == [
        str(fehlerdatei)
    ]


_KILL_SCRIPT = """
import os, signal, sys
from datetime import date
from pathlib import Path
from mitgliederarbeit.einlesen import abgleich, importieren
from mitgliederarbeit.ordner import Arbeitsordner

original = abgleich._abgleichen

def apply_then_die(*args, **kwargs):
    original(*args, **kwargs)
    os.kill(os.getpid(), signal.SIGKILL)  # killed after writing, before the commit

abgleich._abgleichen = apply_then_die
importieren.importieren(Arbeitsordner(Path(sys.argv[1]), date(2026, 9, 1)), [Path(sys.argv[2])])
"""


def test_import_killed_halfway_leaves_the_store_as_before(ordner, tmp_path):
    importieren(
        ordner, [write_csv(tmp_path / "a.csv", [member("1", "A"), member("2", "B")], stand="31.03.2026")]
    )
    second = write_csv(tmp_path / "b.csv", [member("1", "A"), member("3", "C")], stand="30.04.2026")
    result = subprocess.run([sys.executable, "-c", _KILL_SCRIPT, str(ordner.pfad), str(second)])
    assert result.returncode == -signal.SIGKILL
    assert rows(ordner.pfad, "PRAGMA integrity_check") == [("ok",)]
    assert rows(ordner.pfad, "SELECT nr, austrittsdatum FROM mitglieder ORDER BY nr") == [
        ("1", None),
        ("2", None),
    ]
    assert rows(ordner.pfad, "SELECT count(*) FROM importe") == [(1,)]
    [again] = importieren(ordner, [second])  # and it is usable: the same import now goes through
    assert (again.eintritte, again.austritte) == (1, 1)


def test_second_process_waits_then_says_the_folder_is_in_use(ordner, tmp_path, mitglieder):
    importieren(ordner, [write_csv(tmp_path / "a.csv", [member("1", "A")], stand="31.03.2026")])
    blocker = sqlite3.connect(ordner.pfad / "mitglieder.sqlite", isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        second = write_csv(tmp_path / "b.csv", [member("1", "A"), member("2", "B")], stand="30.04.2026")
        run = mitglieder("--ordner", ordner.pfad, "import", second)
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert run.code == 1
    assert (
        f"Fehler: Der Arbeitsordner wird gerade von einem anderen „mitglieder“-Aufruf benutzt ({ordner.pfad})."
        in run.err
    )
    assert rows(ordner.pfad, "SELECT count(*) FROM mitglieder") == [(1,)]


def test_damaged_or_newer_store_is_refused_and_never_overwritten(ordner, tmp_path, mitglieder):
    store = ordner.pfad / "mitglieder.sqlite"
    store.write_bytes(b"this is not a database" * 100)
    export = write_csv(tmp_path / "a.csv", [member("1", "A")], stand="31.03.2026")
    run = mitglieder("--ordner", ordner.pfad, "import", export)
    assert run.code == 1
    assert f"Fehler: {store} ist beschädigt und wird nicht verändert." in run.err
    assert store.read_bytes() == b"this is not a database" * 100

    store.unlink()
    importieren(ordner, [export])
    conn = sqlite3.connect(store)
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()
    with pytest.raises(OrdnerFehler, match="stammt von einer neueren Version von mitgliederarbeit"):
        importieren(ordner, [export])


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root may write into read-only folders")
def test_read_only_folder_gives_a_clear_message(ordner, tmp_path, mitglieder):
    os.chmod(ordner.pfad, 0o500)
    try:
        export = write_csv(tmp_path / "a.csv", [member("1", "A")], stand="31.03.2026")
        run = mitglieder("--ordner", ordner.pfad, "import", export)
    finally:
        os.chmod(ordner.pfad, 0o700)
    assert run.code == 1
    assert "kann nicht angelegt werden" in run.err


def test_full_disk_while_importing_changes_nothing(ordner, tmp_path, mitglieder, monkeypatch):
    from mitgliederarbeit.bestand import speicher

    importieren(ordner, [write_csv(tmp_path / "a.csv", [member("1", "A")], stand="31.03.2026")])
    original = speicher.oeffnen

    def tiny_disk(folder, *, anlegen=False):
        store = original(folder, anlegen=anlegen)
        pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
        store.conn.execute(f"PRAGMA max_page_count = {pages}")  # SQLite now behaves as on a full disk
        return store

    monkeypatch.setattr(speicher, "oeffnen", tiny_disk)
    many = [member(str(i), "B" * 200) for i in range(2, 400)]
    run = mitglieder(
        "--ordner", ordner.pfad, "import", write_csv(tmp_path / "b.csv", many, stand="30.04.2026")
    )
    assert run.code == 1
    assert "Fehler: Der Datenträger ist voll; mitglieder.sqlite wurde nicht verändert." in run.err
    monkeypatch.setattr(speicher, "oeffnen", original)
    assert rows(ordner.pfad, "SELECT count(*) FROM mitglieder") == [(1,)]


def test_full_disk_while_writing_an_output_leaves_no_half_file(tmp_path, monkeypatch):
    import errno

    from mitgliederarbeit import dateien as ausgabe

    def no_space(tmp):
        tmp.write_bytes(b"half a list")
        raise OSError(errno.ENOSPC, "No space left on device")

    target = tmp_path / "ausgabe" / "liste.xlsx"
    with pytest.raises(
        OrdnerFehler, match="liste.xlsx kann nicht geschrieben werden: der Datenträger ist voll"
    ):
        ausgabe.schreiben(target, no_space)
    assert list(target.parent.iterdir()) == []


def test_protokoll_keeps_the_full_path_of_an_output_named_relative(mitglieder, beispielbestand, tmp_path):
    """`--ausgabe b2` is relative to the folder the command ran in: the log names the place itself, so it still
    says where the personal data went when read later, from another folder."""
    import shutil

    from .conftest import EXAMPLES

    folder = beispielbestand.pfad
    shutil.copy(EXAMPLES / "mitglieder.toml", folder)
    base = ("--ordner", folder, "--stichtag", "01.09.2026")
    (tmp_path / "unter").mkdir()
    assert mitglieder(*base, "segmente", "alle", "--export", "liste.csv").code == 0  # runs in tmp_path
    assert mitglieder(*base, "anrufliste", "--ausgabe", "unter/../anrufe.xlsx").code == 0
    assert mitglieder(*base, "briefe", "--ausgabe", "b2").code == 0
    assert mitglieder(*base, "ortsvereine", "--ortsverein", "Altstadt", "--ausgabe", "pakete").code == 0
    run = mitglieder(*base, "--json", "protokoll")
    pfade = {e["befehl"]: e["pfad"] for e in run.json() if e["befehl"] != "import"}
    ziel = tmp_path.resolve()
    assert pfade["segmente"] == str(ziel / "liste.csv")
    assert pfade["anrufliste"] == str(ziel / "anrufe.xlsx")
    assert pfade["briefe"] == str(ziel / "b2")
    assert pfade["ortsvereine"].startswith(str(ziel / "pakete") + os.sep)
