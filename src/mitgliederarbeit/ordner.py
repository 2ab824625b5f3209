"""The working folder (like git's: the nearest upward folder with ``mitglieder.toml``) and "today".

:class:`Arbeitsordner` is the world a command sees: tests make one with a temporary folder and a fixed Stichtag.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from mitgliederarbeit import config as konfig
from mitgliederarbeit.errors import BedienFehler, OrdnerFehler, grund


def finden(start: Path) -> Path:
    """The nearest folder upward from ``start`` holding ``mitglieder.toml``; else ``start`` itself."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / konfig.KONFIG_DATEI).is_file():
            return folder
    return start


@dataclass
class Arbeitsordner:
    pfad: Path
    stichtag: date
    _config: dict[str, Any] | None = field(default=None, repr=False)

    @classmethod
    def bestimmen(cls, ordner: Path | None, stichtag: date, *, cwd: Path | None = None) -> Arbeitsordner:
        if ordner is not None:
            if ordner.exists() and not ordner.is_dir():
                raise BedienFehler(f"--ordner {ordner}: das ist kein Ordner.")
            return cls(ordner.resolve(), stichtag)
        return cls(finden(cwd or Path.cwd()), stichtag)

    @property
    def config(self) -> dict[str, Any]:
        if self._config is None:
            self._config = konfig.load(self.pfad)
        return self._config

    @property
    def ausgabe(self) -> Path:
        return self.pfad / "ausgabe"

    def ausgabe_datei(self, stem: str, suffix: str) -> Path:
        """A new, dated output name under ``ausgabe/``, e.g. ``anrufliste-2026-11-21.xlsx``."""
        from mitgliederarbeit.dateien import freier_name

        return freier_name(self.ausgabe / f"{stem}-{self.stichtag.isoformat()}{suffix}")

    def ausgabe_ordner(self, stem: str) -> Path:
        from mitgliederarbeit.dateien import freier_name

        return freier_name(self.ausgabe / f"{stem}-{self.stichtag.isoformat()}")

    def init(self) -> Path:
        """Write the commented ``mitglieder.toml``; refuses to overwrite an existing one."""
        path = self.pfad / konfig.KONFIG_DATEI
        if path.exists():
            # exit 1 (PRODUCT.md): the folder already holds settings, so there is nothing init could do
            raise OrdnerFehler(
                f"{path} gibt es schon und wird nicht überschrieben.",
                hint="Die vorhandenen Einstellungen bitte in der Datei selbst ändern.",
            )
        try:
            self.pfad.mkdir(parents=True, exist_ok=True)
            path.write_text(konfig.init_text(), encoding="utf-8")
        except OSError as exc:
            raise OrdnerFehler(f"{path} kann nicht geschrieben werden: {grund(exc)}.") from None
        return path
