"""Backups that survive: checked before they count, rotated only after a committed change, compact, cleaned up."""

import gzip
import sqlite3

import pytest

from mitgliederarbeit.bestand import sicherung
from mitgliederarbeit.bestand.wiederherstellung import wiederherstellen
from mitgliederarbeit.einlesen.importieren import importieren
from mitgliederarbeit.errors import OrdnerFehler

from .test_import import member, rows, write_csv


def _export(tmp_path, monat: int, name: str = "A"):
    return write_csv(
        tmp_path / f"m{monat}.csv",
        [member(str(n), f"{name}{n}") for n in range(1, 200)],
        stand=f"28.{monat:02d}.2026",
    )


def _beschaedigen(store) -> None:
    """Overwrite pages in the middle of the file: the header stays, SQLite's check fails."""
    data = bytearray(store.read_bytes())
    page = 16384
    assert len(data) >= 4 * page
    data[2 * page : len(data) - page] = b"\xa5" * (len(data) - 3 * page)
    store.write_bytes(bytes(data))
    assert not sicherung.intakt(store)


def _stand(ordner):
    return [(b.name, b.pfad.read_bytes()) for b in sicherung.auflisten(ordner.pfad)]


def test_the_newest_backup_is_plain_older_ones_packed_and_restorable(ordner, tmp_path):
    for monat in range(1, 5):
        importieren(ordner, [_export(tmp_path, monat, name=f"M{monat}-")])
    backups = sicherung.auflisten(ordner.pfad)
    assert [b.name.endswith(".gz") for b in backups] == [False, True, True]
    assert all(b.pfad.stat().st_mode & 0o777 == 0o600 for b in backups)
    store_size = (ordner.pfad / "mitglieder.sqlite").stat().st_size
    assert all(b.groesse < store_size / 2 for b in backups[1:])
    with gzip.open(backups[-1].pfad) as packed:
        assert packed.read(16) == b"SQLite format 3\x00"
    # the oldest (packed) backup holds the state after the first import
    wiederherstellen(ordner.pfad, backups[-1].name)
    assert rows(ordner.pfad, "SELECT nachname FROM mitglieder WHERE nr = '1'") == [("M1-1",)]
    assert not list((ordner.pfad / "sicherung").glob("*.tmp"))


def test_a_damaged_store_is_refused_and_never_rotates_a_good_backup_out(ordner, tmp_path, mitglieder):
    for monat in range(1, 8):
        importieren(ordner, [_export(tmp_path, monat)])
    vorher = _stand(ordner)
    assert len(vorher) == 5
    store = ordner.pfad / "mitglieder.sqlite"
    _beschaedigen(store)
    damaged = store.read_bytes()
    for versuch in range(6):
        run = mitglieder("--ordner", ordner.pfad, "import", _export(tmp_path, 8 + versuch % 2))
        assert run.code == 1, run.err
        assert "mitglieder.sqlite ist beschädigt und wird nicht verändert." in run.err
        assert "mitglieder sicherung --wiederherstellen NAME" in run.err
    assert _stand(ordner) == vorher
    assert store.read_bytes() == damaged
    # every backup is intact and the newest restores over the damaged store, which is moved aside
    assert all(
        sicherung.intakt(b.pfad) for b in sicherung.auflisten(ordner.pfad) if b.name.endswith(".sqlite")
    )
    run = mitglieder("--ordner", ordner.pfad, "sicherung", "--wiederherstellen", vorher[0][0])
    assert run.code == 0, run.err
    assert rows(ordner.pfad, "SELECT count(*) FROM mitglieder") == [(199,)]
    assert len(list((ordner.pfad / "sicherung").glob("beschaedigt-*.sqlite"))) == 1


def test_a_command_that_reads_a_damaged_store_says_so_in_german(ordner, tmp_path, mitglieder):
    for monat in range(1, 3):
        importieren(ordner, [_export(tmp_path, monat)])
    _beschaedigen(ordner.pfad / "mitglieder.sqlite")
    run = mitglieder("--ordner", ordner.pfad, "segmente")
    assert run.code == 1
    assert "Unerwarteter Fehler" not in run.err
    assert "mitglieder.sqlite ist beschädigt und wird nicht verändert." in run.err


def test_a_failed_import_keeps_every_backup_and_adds_none(ordner, tmp_path, monkeypatch):
    for monat in range(1, 8):
        importieren(ordner, [_export(tmp_path, monat)])
    vorher = _stand(ordner)
    store_vorher = (ordner.pfad / "mitglieder.sqlite").read_bytes()

    def kaputt(*args, **kwargs):
        raise OrdnerFehler("Probe: der Datenträger ist voll.")

    monkeypatch.setattr("mitgliederarbeit.bestand.speicher.Speicher.leer", lambda self: False)
    conn = sqlite3.connect(ordner.pfad / "mitglieder.sqlite")
    conn.close()
    from mitgliederarbeit.bestand import speicher

    store = speicher.oeffnen(ordner.pfad)
    try:
        with pytest.raises(OrdnerFehler, match="Probe"), store.transaktion() as c:
            c.execute("DELETE FROM mitglieder")
            kaputt()
    finally:
        store.close()
    assert _stand(ordner) == vorher
    assert (ordner.pfad / "mitglieder.sqlite").read_bytes() == store_vorher


def test_half_written_copies_are_removed_by_the_next_backup_and_by_bereinigen(ordner, tmp_path, mitglieder):
    importieren(ordner, [_export(tmp_path, 1)])
    folder = ordner.pfad / "sicherung"
    folder.mkdir(mode=0o700, exist_ok=True)
    rest = folder / "mitglieder-2026-01-01_00-00-00-000000.sqlite.tmp"
    rest.write_bytes(b"personal data of someone who left")
    importieren(ordner, [_export(tmp_path, 2)])
    assert not rest.exists()
    rest.write_bytes(b"personal data of someone who left")
    (folder / "beschaedigt-2026-01-01_00-00-00-000000.sqlite").write_bytes(b"old damaged store")
    run = mitglieder("--ordner", ordner.pfad, "bereinigen", "--trockenlauf")
    assert (
        run.err.splitlines()[0]
        == "Zu löschen: 2 unvollständige oder beschädigte Sicherungskopien, Ausgabe- oder Importdateien (in sicherung/, ausgabe/ und im Arbeitsordner)."
    )
    run = mitglieder("--ordner", ordner.pfad, "bereinigen", "--ja")
    assert run.code == 0, run.err
    assert (
        run.err.splitlines()[-1]
        == "2 unvollständige oder beschädigte Sicherungskopien, Ausgabe- oder Importdateien gelöscht."
    )
    # nobody left long ago: the intact backup holds nothing that had to go, and stays
    assert [p.name for p in folder.iterdir()] == [sicherung.auflisten(ordner.pfad)[0].name]


def test_a_damaged_packed_backup_is_refused(ordner, tmp_path):
    for monat in range(1, 4):
        importieren(ordner, [_export(tmp_path, monat)])
    oldest = sicherung.auflisten(ordner.pfad)[-1]
    assert oldest.name.endswith(".gz")
    oldest.pfad.write_bytes(oldest.pfad.read_bytes()[:200])
    with pytest.raises(OrdnerFehler, match=f"Die Sicherung {oldest.name} ist beschädigt"):
        wiederherstellen(ordner.pfad, oldest.name)
    assert not list((ordner.pfad / "sicherung").glob("*.tmp"))


def test_a_packed_backup_shows_the_time_of_its_state_and_its_whole_name_at_80_columns(
    ordner, tmp_path, mitglieder, monkeypatch
):
    """Packing happens with the next change: the file's time is then, the state it holds is from before."""
    import io
    import os
    from datetime import datetime

    from rich.console import Console

    from mitgliederarbeit.cli import console

    for monat in range(1, 4):
        importieren(ordner, [_export(tmp_path, monat, name=f"M{monat}-")])
    backups = sicherung.auflisten(ordner.pfad)
    gepackt = [b for b in backups if b.name.endswith(".gz")]
    assert gepackt
    for b in gepackt:  # packed an hour later, as with a change made an hour after the one before
        spaeter = b.pfad.stat().st_mtime + 3600
        os.utime(b.pfad, (spaeter, spaeter))
    for b in sicherung.auflisten(ordner.pfad):
        stempel = b.name.removeprefix("mitglieder-").removesuffix(".gz").removesuffix(".sqlite")
        assert b.zeit == datetime.strptime(stempel, "%Y-%m-%d_%H-%M-%S-%f")
    puffer = io.StringIO()
    monkeypatch.setattr(console, "out", Console(file=puffer, width=80, highlight=False, soft_wrap=True))
    run = mitglieder("--ordner", ordner.pfad, "sicherung")
    assert run.code == 0, run.err
    tabelle = puffer.getvalue()
    assert "…" not in tabelle and all(len(zeile) <= 80 for zeile in tabelle.splitlines())
    for b in backups:
        assert b.name in tabelle  # whole, on one line: it is what the user types to restore
        tag = b.zeit.strftime("%d.%m.%Y")
        assert tag in tabelle
