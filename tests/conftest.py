"""Shared fixtures: a working folder with a fixed Stichtag, a CLI runner, the example exports.

All people in tests are invented (examples/erzeugen.py, a seeded generator, or hand-written dicts).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from mitgliederarbeit.ordner import Arbeitsordner

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
EXPORT_MAI = EXAMPLES / "unterbezirk-musterstadt-2026-05.xlsx"
EXPORT_AUGUST = EXAMPLES / "unterbezirk-musterstadt-2026-08.csv"
TEILNAHME = EXAMPLES / "teilnahme-neumitgliederabend-2026-09.xlsx"

# what the tests (and the processes they start) keep for later runs stays out of the tester's home
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="mitglieder-tests-cache-")


@dataclass
class Lauf:
    """One run of the ``mitglieder`` command: exit code, stdout, stderr."""

    code: int
    out: str
    err: str

    def json(self) -> dict:
        return json.loads(self.out)


@pytest.fixture
def mitglieder(capsys, monkeypatch, tmp_path):
    """Run ``mitglieder ARGS`` in-process, in ``tmp_path`` unless ``--ordner`` is given; returns a :class:`Lauf`."""
    from mitgliederarbeit.cli.befehle import main

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MITGLIEDER_ORDNER", raising=False)
    monkeypatch.delenv("MITGLIEDER_STICHTAG", raising=False)

    def run(*args: object) -> Lauf:
        capsys.readouterr()
        try:
            main([str(a) for a in args])
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        captured = capsys.readouterr()
        return Lauf(code, captured.out, captured.err)

    return run


@pytest.fixture
def ordner(tmp_path) -> Arbeitsordner:
    """An empty working folder with Stichtag 01.09.2026."""
    folder = tmp_path / "arbeit"
    folder.mkdir()
    return Arbeitsordner(folder, date(2026, 9, 1))


@pytest.fixture(scope="session")
def _beispielbestand(tmp_path_factory) -> Path:
    """Both example exports imported once per test session (copied for each test that wants it)."""
    from mitgliederarbeit.einlesen.importieren import importieren

    folder = tmp_path_factory.mktemp("beispiel")
    importieren(Arbeitsordner(folder, date(2026, 6, 1)), [EXPORT_MAI])
    importieren(Arbeitsordner(folder, date(2026, 9, 1)), [EXPORT_AUGUST])
    return folder


@pytest.fixture
def beispielbestand(_beispielbestand, tmp_path) -> Arbeitsordner:
    """A working folder holding both example exports (Stand 31.05. and 31.08.2026), Stichtag 01.09.2026."""
    folder = tmp_path / "bestand"
    shutil.copytree(_beispielbestand, folder)
    return Arbeitsordner(folder, date(2026, 9, 1))
