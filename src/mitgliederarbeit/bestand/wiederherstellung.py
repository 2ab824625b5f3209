"""Restoring a backup over the store, even over a damaged one."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from mitgliederarbeit.bestand import sicherung, speicher
from mitgliederarbeit.bestand.sicherung import Sicherung


def _beiseite(store_path: Path) -> Path:
    """Move a damaged store (and its journal) out of the way, into ``sicherung/`` where ``bereinigen`` finds it."""
    folder = sicherung.ordner_anlegen(store_path)
    stamp = datetime.now().strftime("%Y-%m-%d_%H-%M-%S-%f")
    target = folder / f"beschaedigt-{stamp}.sqlite"
    os.replace(store_path, target)
    for suffix in ("-journal", "-wal", "-shm"):
        rest = store_path.with_name(store_path.name + suffix)
        if rest.exists():
            os.replace(rest, target.with_name(target.name + suffix))
    return target


def wiederherstellen(ordner: Path, name: str) -> Sicherung:
    """Restore a backup; the current store is backed up first, so a restore can be undone.

    A damaged store cannot be backed up: it is moved aside into ``sicherung/beschaedigt-….sqlite`` instead.
    """
    chosen = sicherung.finden(ordner, name)
    # read the backup first: the safety copy below rotates the backups
    memory = sicherung.in_den_speicher(chosen)
    try:
        store_path = ordner / speicher.SPEICHER_DATEI
        if store_path.exists() and store_path.stat().st_size and not sicherung.intakt(store_path):
            _beiseite(store_path)
        store = speicher.oeffnen(ordner, anlegen=True)
        try:
            if not store.leer():
                with store.transaktion():  # nothing changes: only the backup of the current state is made
                    pass
            memory.backup(store.conn)
        finally:
            store.close()
    finally:
        memory.close()
    return chosen
