"""Package files for any Ortsverein name, and a run that stops halfway leaves no package behind."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from mitgliederarbeit.ausgaben import ortsvereine

from .test_segmente import bestand_anlegen, mitglied

LANG = "Ortsverein " + "sehr " * 50 + "lang"  # 261 characters: too long for a file name
LANG_2 = "Ortsverein " + "sehr " * 50 + "kurz"  # the same first 250 characters


@pytest.fixture
def ordner_mit_langen_namen(tmp_path) -> Path:
    folder = tmp_path / "arbeit"
    namen = ["Altdorf", "Birkenau", LANG, LANG_2, "Zell", "Über-Ölbach " + "ä" * 150]
    bestand_anlegen(
        folder, [mitglied(str(i), "2026-08-01", ortsverein=ov) for i, ov in enumerate(namen, start=1)]
    )
    return folder


def test_a_very_long_ortsverein_name_makes_a_short_unique_file_name(ordner_mit_langen_namen, mitglieder):
    run = mitglieder("--ordner", ordner_mit_langen_namen, "--stichtag", "01.09.2026", "--json", "ortsvereine")
    assert run.code == 0, run.err
    pakete = run.json()["pakete"]
    assert len(pakete) == 6
    namen = [Path(p["datei"]).name for p in pakete]
    assert all(len(n.encode()) <= 120 for n in namen), namen
    assert len(set(namen)) == 6
    assert namen[:2] == ["ortsverein-Altdorf-2026-09-01.xlsx", "ortsverein-Birkenau-2026-09-01.xlsx"]
    assert all(Path(p["datei"]).is_file() for p in pakete)
    lang = [n for n in namen if n.startswith("ortsverein-Ortsverein sehr")]
    assert len(lang) == 2 and all(n.endswith("-2026-09-01.xlsx") for n in lang)
    protokoll = mitglieder("--ordner", ordner_mit_langen_namen, "--json", "protokoll").json()
    assert sorted(Path(e["pfad"]).name for e in protokoll) == sorted(namen)


@pytest.mark.parametrize(
    ("fehler", "meldung"),
    [
        (
            OSError(errno.ENOSPC, "No space left on device"),
            "Fehler: Die Pakete können nicht geschrieben werden: der Datenträger ist voll. Die 2 schon "
            "geschriebenen Dateien wurden wieder gelöscht; es wurde nichts erfasst.",
        ),
        (KeyboardInterrupt(), None),
    ],
)
def test_a_run_that_stops_halfway_leaves_no_package_behind(
    ordner_mit_langen_namen, mitglieder, monkeypatch, fehler, meldung
):
    schreiben = ortsvereine._schreiben
    aufrufe = []

    def dritte_scheitert(*args, **kwargs):
        aufrufe.append(1)
        if len(aufrufe) == 3:
            raise fehler
        return schreiben(*args, **kwargs)

    monkeypatch.setattr(ortsvereine, "_schreiben", dritte_scheitert)
    run = mitglieder("--ordner", ordner_mit_langen_namen, "--stichtag", "01.09.2026", "ortsvereine")
    assert run.code != 0
    if meldung:
        assert run.err.splitlines()[0] == meldung
    assert "Errno" not in run.err
    ausgabe = ordner_mit_langen_namen / "ausgabe"
    assert not list(ausgabe.rglob("*.xlsx"))
    assert mitglieder("--ordner", ordner_mit_langen_namen, "--json", "protokoll").json() == []
