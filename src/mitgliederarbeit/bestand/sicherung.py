"""Backups of the store in ``sicherung/``: made before every change, checked, compact, restorable.

A backup is a copy of the store's file, made while the store's write lock is held and before anything is
written, so it is consistent even while others read the store. Three rules keep the backups worth having:

- **Only an intact state is kept.** The copy is checked (SQLite's ``quick_check``) before it counts; a damaged
  store is reported and its copy thrown away, so a damaged state never pushes a good backup out.
- **Only a committed change rotates.** The oldest backups are deleted after the change is committed, never for a
  change that failed or was rolled back (its copy equals the unchanged store and is dropped).
- **Compact.** The newest backup stays a plain copy (a restore needs no unpacking); older ones are gzip-packed
  while the change is being made, which shrinks the folder to about a third.

Copies cut short by a killed process (``*.tmp``) are removed by the next backup and by ``bereinigen``.
"""

from __future__ import annotations

import contextlib
import gzip
import os
import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from mitgliederarbeit.errors import BedienFehler, OrdnerFehler, grund
from mitgliederarbeit.laufzeit import nebenher

ORDNER = "sicherung"
BEHALTEN = 5
_PRAEFIX = "mitglieder-"
_ENDUNGEN = (".sqlite", ".sqlite.gz")


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


class BestandBeschaedigt(OrdnerFehler):
    """The store's file fails SQLite's check: nothing is changed, a backup should be restored."""


def beschaedigt(path: Path) -> BestandBeschaedigt:
    """The one message for a damaged store (also used when a query finds the damage)."""
    return BestandBeschaedigt(
        f"{path} ist beschädigt und wird nicht verändert.",
        hint="Bitte eine Sicherung wiederherstellen: mitglieder sicherung (zeigt die Sicherungen), dann "
        "mitglieder sicherung --wiederherstellen NAME",
    )


def ordner_anlegen(store_path: Path) -> Path:
    folder = store_path.parent / ORDNER
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
    except OSError as exc:
        raise OrdnerFehler(
            f"Der Ordner {folder} für Sicherungen kann nicht angelegt werden: {grund(exc)}."
        ) from None
    return folder


def _new_file(target: Path) -> None:
    fd = os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _copy(store_path: Path, target: Path) -> None:
    """Copy the store's file as it is: the caller holds the store's write lock (RESERVED) and has not written
    yet, so no one can change the file meanwhile (other connections may only read). A plain file copy runs in
    the kernel, several times faster than SQLite's backup API for a national store."""
    _new_file(target)
    shutil.copyfile(store_path, target)
    _fsync(target)


def intakt(path: Path) -> bool:
    """Whether an SQLite file passes ``quick_check`` (structure and pages, not the slower index contents)."""
    try:
        with open(path, "rb") as handle:
            if handle.read(16) != b"SQLite format 3\x00":
                return False
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        finally:
            conn.close()
    except (sqlite3.DatabaseError, OSError):
        return False


def _pack(plain: Path) -> Path:
    """Write the gzip-packed form of a plain backup beside it (fast level: the copy is read back rarely)."""
    packed = plain.with_name(plain.name + ".gz")
    tmp = packed.with_name(packed.name + ".tmp")
    _new_file(tmp)
    with open(plain, "rb") as source, gzip.open(tmp, "wb", compresslevel=1) as target:
        shutil.copyfileobj(source, target, 1 << 20)
    _fsync(tmp)
    os.replace(tmp, packed)
    return packed


def _reste_entfernen(folder: Path) -> int:
    """Delete copies a killed process left half-written (only ever called under the store's write lock)."""
    count = 0
    for rest in folder.glob("*.tmp"):
        rest.unlink(missing_ok=True)
        count += 1
    return count


@dataclass
class LaufendeSicherung:
    """A backup being made in a thread while the caller's transaction works."""

    ziel: Path
    _fertig: Callable[[], None]  # waits for the thread, raises its error
    _gepackt: dict[Path, Path] = field(
        default_factory=dict
    )  # plain backup -> its packed form, both still there

    def warten(self) -> Path:
        """Wait for the copy; raise if it failed or found the store damaged (then nothing may be committed)."""
        self._fertig()
        return self.ziel

    def verwerfen(self) -> None:
        """The change was not committed: the copy equals the store as it still is, and is dropped."""
        with contextlib.suppress(Exception):  # whether the copy worked no longer matters
            self._fertig()
        self.ziel.unlink(missing_ok=True)
        for packed in self._gepackt.values():
            packed.unlink(missing_ok=True)

    def behalten(self) -> None:
        """The change was committed: keep this copy and the packed older ones, delete the oldest beyond
        :data:`BEHALTEN`."""
        for plain in self._gepackt:
            plain.unlink(missing_ok=True)
        for old in auflisten(self.ziel.parent.parent)[BEHALTEN:]:
            old.pfad.unlink(missing_ok=True)


def sichern_nebenher(store_path: Path) -> LaufendeSicherung:
    """Back up the store in a thread; the caller's transaction works meanwhile.

    The copy runs in the kernel (and without the GIL). That is safe only while the store's file does not change:
    the caller keeps its changes in memory until it has waited (``PRAGMA cache_spill = OFF``, see
    :meth:`speicher.Speicher.transaktion`). After the copy, the thread checks it and packs the older backups.
    """
    folder = ordner_anlegen(store_path)
    _reste_entfernen(folder)
    stamp = datetime.now().strftime("%Y-%m-%d_%H-%M-%S-%f")
    target = folder / f"{_PRAEFIX}{stamp}.sqlite"
    tmp = target.with_name(target.name + ".tmp")
    gepackt: dict[Path, Path] = {}

    def kopieren() -> None:
        try:
            _copy(store_path, tmp)
            if not intakt(tmp):
                tmp.unlink(missing_ok=True)
                raise beschaedigt(store_path)
            older = [s.pfad for s in auflisten(store_path.parent) if s.pfad.suffix == ".sqlite"]
            os.replace(tmp, target)
            for plain in older:
                gepackt[plain] = _pack(plain)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise OrdnerFehler(
                f"Die Sicherung nach {folder} ist fehlgeschlagen ({grund(exc)}); es wurde nichts geändert.",
                hint="Ist der Datenträger voll?",
            ) from None

    return LaufendeSicherung(target, nebenher(kopieren, "sicherung"), gepackt)


def _zeit(name: str, mtime: float) -> datetime:
    """When the state a backup holds was saved: the time in its name. Not the file's time: a packed backup is
    written with the next change, and someone restoring "the state before 10:59" must find it by that time."""
    stempel = name.removeprefix(_PRAEFIX).removesuffix(".gz").removesuffix(".sqlite")
    try:
        return datetime.strptime(stempel, "%Y-%m-%d_%H-%M-%S-%f")
    except ValueError:  # renamed by hand: the file's time is all there is
        return datetime.fromtimestamp(mtime)


def auflisten(ordner: Path) -> list[Sicherung]:
    """Backups of the working folder, newest first."""
    folder = ordner / ORDNER
    if not folder.is_dir():
        return []
    result = []
    for path in folder.iterdir():
        if path.name.startswith(_PRAEFIX) and path.name.endswith(_ENDUNGEN):
            stat = path.stat()
            result.append(Sicherung(path.name, path, _zeit(path.name, stat.st_mtime), stat.st_size))
    # a plain copy and its packed form both exist only while a change is made (or after a kill): list one
    names = {s.name for s in result}
    result = [s for s in result if not (s.name.endswith(".gz") and s.name.removesuffix(".gz") in names)]
    return sorted(result, key=lambda s: s.name.removesuffix(".gz"), reverse=True)


def reste(ordner: Path) -> list[Path]:
    """Half-written copies and damaged stores moved aside: no backups, but they may hold anything."""
    folder = ordner / ORDNER
    if not folder.is_dir():
        return []
    return [*folder.glob("*.tmp"), *folder.glob("beschaedigt-*")]


def reste_entfernen(ordner: Path) -> int:
    """Delete :func:`reste` (``bereinigen``)."""
    found = reste(ordner)
    for rest in found:
        rest.unlink(missing_ok=True)
    return len(found)


def loeschen(ordner: Path) -> int:
    """Delete every backup (``bereinigen``: they hold what was just deleted) and every leftover."""
    count = 0
    for backup in auflisten(ordner):
        backup.pfad.unlink(missing_ok=True)
        count += 1
    return count + reste_entfernen(ordner)


def finden(ordner: Path, name: str) -> Sicherung:
    vorhanden = auflisten(ordner)
    for s in vorhanden:
        if name in (s.name, s.name.removesuffix(".gz"), s.name.removesuffix(".gz").removesuffix(".sqlite")):
            return s
    names = ", ".join(s.name for s in vorhanden) or "keine"
    raise BedienFehler(f"Eine Sicherung „{name}“ gibt es nicht. Vorhanden: {names}.")


def in_den_speicher(chosen: Sicherung) -> sqlite3.Connection:
    """The backup's contents in memory, checked (a packed one unpacked through a private temporary file)."""
    quelle = chosen.pfad
    entpackt: Path | None = None
    try:
        if quelle.name.endswith(".gz"):
            entpackt = quelle.with_name(quelle.name.removesuffix(".gz") + ".entpackt.tmp")
            _new_file(entpackt)
            with gzip.open(quelle, "rb") as source, open(entpackt, "wb") as target:
                shutil.copyfileobj(source, target, 1 << 20)
            quelle = entpackt
        if not intakt(quelle):
            raise OrdnerFehler(f"Die Sicherung {chosen.name} ist beschädigt und wird nicht verwendet.")
        memory = sqlite3.connect(":memory:")
        source_conn = sqlite3.connect(f"file:{quelle}?mode=ro", uri=True)
        try:
            source_conn.backup(memory)
        finally:
            source_conn.close()
        return memory
    except (OSError, EOFError, gzip.BadGzipFile):
        raise OrdnerFehler(f"Die Sicherung {chosen.name} ist beschädigt und wird nicht verwendet.") from None
    finally:
        if entpackt is not None:
            entpackt.unlink(missing_ok=True)
