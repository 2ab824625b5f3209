"""Backups of the store in ``sicherung/``: made before every change, the last five kept, restorable.

A backup is a copy of the store's file, made while the store's write lock is held and before anything is
written, so it is consistent even while others read the store.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from mitgliederarbeit.errors import BedienFehler, OrdnerFehler

if TYPE_CHECKING:
    from mitgliederarbeit.bestand.speicher import Speicher

ORDNER = "sicherung"
BEHALTEN = 5


@dataclass
class Sicherung:
    name: str
    pfad: Path
    zeit: datetime
    groesse: int

    def as_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "pfad": str(self.pfad),
            "zeit": self.zeit.isoformat(timespec="seconds"),
            "groesse": self.groesse,
        }


def _folder(store_path: Path) -> Path:
    folder = store_path.parent / ORDNER
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
    except OSError as exc:
        raise OrdnerFehler(
            f"Der Ordner {folder} für Sicherungen kann nicht angelegt werden: {exc.strerror}."
        ) from None
    return folder


def _copy(store_path: Path, target: Path) -> None:
    """Copy the store's file as it is: the caller holds the store's write lock (RESERVED) and has not written
    yet, so no one can change the file meanwhile (other connections may only read). A plain file copy runs in
    the kernel, several times faster than SQLite's backup API for a national store."""
    fd = os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)
    shutil.copyfile(store_path, target)
    fd = os.open(target, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def sichern(store: Speicher) -> Path:
    """Back up the open store (called inside its write transaction, so the copy is the state before)."""
    return sichern_nebenher(store)()


def sichern_nebenher(store: Speicher) -> Callable[[], Path]:
    """:func:`sichern` in a thread; the returned function waits for it (and raises its error).

    The copy runs in the kernel (and without the GIL) while the caller's transaction works. That is safe only
    while the store's file does not change: the caller keeps its changes in memory until it has waited
    (``PRAGMA cache_spill = OFF``, see :meth:`speicher.Speicher.transaktion`).
    """
    folder = _folder(store.path)
    stamp = datetime.now().strftime("%Y-%m-%d_%H-%M-%S-%f")
    target = folder / f"mitglieder-{stamp}.sqlite"
    tmp = target.with_suffix(".tmp")
    fehler: list[OSError] = []

    def kopieren() -> None:
        try:
            _copy(store.path, tmp)
            os.replace(tmp, target)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            fehler.append(exc)

    thread = threading.Thread(target=kopieren, name="sicherung", daemon=True)
    thread.start()

    def warten() -> Path:
        thread.join()
        if fehler:
            raise OrdnerFehler(
                f"Die Sicherung nach {folder} ist fehlgeschlagen ({fehler[0].strerror}); es wurde nichts geändert.",
                hint="Ist der Datenträger voll?",
            ) from None
        for old in auflisten(store.path.parent)[BEHALTEN:]:
            old.pfad.unlink(missing_ok=True)
        return target

    return warten


def auflisten(ordner: Path) -> list[Sicherung]:
    """Backups of the working folder, newest first."""
    folder = ordner / ORDNER
    if not folder.is_dir():
        return []
    result = []
    for path in folder.glob("mitglieder-*.sqlite"):
        stat = path.stat()
        result.append(Sicherung(path.name, path, datetime.fromtimestamp(stat.st_mtime), stat.st_size))
    return sorted(result, key=lambda s: s.name, reverse=True)


def wiederherstellen(ordner: Path, name: str) -> Sicherung:
    """Restore a backup; the current store is backed up first, so a restore can be undone."""
    from mitgliederarbeit.bestand import speicher

    matches = [s for s in auflisten(ordner) if s.name == name or s.name == f"{name}.sqlite"]
    if not matches:
        names = ", ".join(s.name for s in auflisten(ordner)) or "keine"
        raise BedienFehler(f"Eine Sicherung „{name}“ gibt es nicht. Vorhanden: {names}.")
    chosen = matches[0]
    with sqlite3.connect(chosen.pfad) as check:
        try:
            check.execute("SELECT count(*) FROM mitglieder").fetchone()
        except sqlite3.DatabaseError:
            raise OrdnerFehler(
                f"Die Sicherung {chosen.name} ist beschädigt und wird nicht verwendet."
            ) from None
    # read the backup first: making the safety copy below may prune the oldest backup
    memory = sqlite3.connect(":memory:")
    source = sqlite3.connect(chosen.pfad)
    try:
        source.backup(memory)
    finally:
        source.close()
    store = speicher.oeffnen(ordner, anlegen=True)
    try:
        if not store.leer():
            with store.transaktion(sichern=False):
                sichern(store)
        memory.backup(store.conn)
    finally:
        store.close()
        memory.close()
    return chosen
