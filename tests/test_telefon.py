"""The DIN 5008 display of phone numbers without loading phonenumbers: the German formats are read from its
metadata once and kept in the user's cache folder, keyed on the metadata file.

Whether the display equals phonenumbers' own is tested number by number in tests/test_benchmark_smoke.py.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mitgliederarbeit import telefon

NUMMERN = ["+493511234567", "+491701234567", "+4930123456", "+49341234567", "+4934292123456"]
ERWARTET = ["0351 1234567", "0170 1234567", "030 123456", "0341 234567", "034292 123456"]


def _anzeigen(cache: Path, *nummern: str) -> tuple[list[str], bool]:
    """The display of ``nummern`` in a fresh process with ``cache`` as the cache folder; and whether that process
    loaded phonenumbers."""
    code = (
        "import sys\n"
        "from mitgliederarbeit.telefon import telefon_anzeige\n"
        "print([telefon_anzeige(n) for n in sys.argv[1:]])\n"
        "print('phonenumbers' in sys.modules)\n"
    )
    lauf = subprocess.run(
        [sys.executable, "-c", code, *nummern],
        capture_output=True,
        text=True,
        env={**os.environ, "XDG_CACHE_HOME": str(cache)},
        check=True,
    )
    anzeige, geladen = lauf.stdout.splitlines()
    return eval(anzeige), geladen == "True"  # a list of str printed by Python itself


def test_second_run_shows_numbers_without_phonenumbers(tmp_path):
    assert _anzeigen(tmp_path, *NUMMERN) == (ERWARTET, True)
    datei = tmp_path / "mitgliederarbeit" / "telefonformate-de.json"
    inhalt = datei.read_text(encoding="utf-8")
    assert "1234567" not in inhalt  # formats only, never a number that was shown
    assert _anzeigen(tmp_path, *NUMMERN) == (ERWARTET, False)


def test_formats_from_the_cache_are_phonenumbers_formats(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    telefon._de_formate.cache_clear()
    telefon._de_muster.cache_clear()
    try:
        erste = telefon._de_formate()  # from phonenumbers, and written
        telefon._de_formate.cache_clear()
        telefon._de_muster.cache_clear()
        assert telefon._de_formate() == erste == telefon._de_formate_aus_phonenumbers()
    finally:
        telefon._de_formate.cache_clear()
        telefon._de_muster.cache_clear()


@pytest.mark.parametrize(
    "inhalt",
    [
        "",  # cut off
        "{kaputt",
        json.dumps({"quelle": "x", "formate": []}),  # from another phonenumbers
        json.dumps({"formate": [[None, "(\\d)", True]]}),  # no key
        json.dumps({"quelle": None, "formate": 5}),
        json.dumps([1, 2]),
    ],
)
def test_stale_or_broken_cache_is_made_again(tmp_path, inhalt):
    datei = tmp_path / "mitgliederarbeit" / "telefonformate-de.json"
    datei.parent.mkdir()
    datei.write_text(inhalt, encoding="utf-8")
    assert _anzeigen(tmp_path, *NUMMERN) == (ERWARTET, True)
    assert json.loads(datei.read_text(encoding="utf-8"))["quelle"] == telefon._de_metadaten()
    assert _anzeigen(tmp_path, *NUMMERN) == (ERWARTET, False)


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root may write anywhere")
def test_cache_folder_not_writable_still_shows_numbers(tmp_path):
    tmp_path.chmod(0o500)
    try:
        assert _anzeigen(tmp_path, *NUMMERN) == (ERWARTET, True)
    finally:
        tmp_path.chmod(0o700)


def test_cache_folder_is_a_file_still_shows_numbers(tmp_path):
    (tmp_path / "mitgliederarbeit").write_text("kein Ordner")
    assert _anzeigen(tmp_path, *NUMMERN) == (ERWARTET, True)


@pytest.mark.parametrize("wert", ["", "relativ/cache", "."])
def test_cache_folder_from_a_relative_or_empty_xdg_cache_home_is_home(monkeypatch, wert):
    from mitgliederarbeit.laufzeit import cache_ordner

    monkeypatch.setenv("XDG_CACHE_HOME", wert)
    ordner = cache_ordner()
    assert ordner.is_absolute() and ordner.name == "mitgliederarbeit"
    monkeypatch.setenv("XDG_CACHE_HOME", "/tmp/absolut")
    assert cache_ordner() == Path("/tmp/absolut/mitgliederarbeit")


def test_no_home_folder_shows_numbers_without_a_cache(monkeypatch):
    """A container's user without HOME and without a passwd entry: no cache, the display still works."""
    import pwd

    from mitgliederarbeit.laufzeit import cache_ordner

    def kein_eintrag(uid: int) -> None:
        raise KeyError(f"getpwuid(): uid not found: {uid}")

    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.delenv("LOCALAPPDATA", raising=False)
    monkeypatch.delenv("HOME", raising=False)
    monkeypatch.setattr(pwd, "getpwuid", kein_eintrag)
    assert cache_ordner() is None
    telefon._de_formate.cache_clear()
    telefon._de_muster.cache_clear()
    try:
        assert [telefon.telefon_anzeige.__wrapped__(n) for n in NUMMERN] == ERWARTET
    finally:
        telefon._de_formate.cache_clear()
        telefon._de_muster.cache_clear()


@pytest.mark.parametrize(
    "formate",
    [
        [[None, "((\\d{2})", True]],  # does not compile
        [[None, 5, True]],
        [["1", "(\\d)", "ja"]],
        [[None, "(\\d)"]],
        [],
        {"a": 1},
    ],
)
def test_cache_with_the_right_key_but_wrong_formats_is_made_again(tmp_path, formate):
    quelle = telefon._de_metadaten()
    datei = tmp_path / "mitgliederarbeit" / "telefonformate-de.json"
    datei.parent.mkdir()
    datei.write_text(json.dumps({"quelle": quelle, "formate": formate}), encoding="utf-8")
    assert _anzeigen(tmp_path, *NUMMERN) == (ERWARTET, True)
    assert _anzeigen(tmp_path, *NUMMERN) == (ERWARTET, False)
    assert not list(datei.parent.glob(".*.tmp"))


def test_display_equals_phonenumbers_on_a_sample():
    """The differential test of tests/test_benchmark_smoke.py on a fixed sample, in the everyday suite."""
    import random

    import phonenumbers

    rng = random.Random(8)
    for _ in range(3000):
        national = str(rng.randint(1, 9)) + "".join(
            rng.choice("0123456789") for _ in range(rng.randint(2, 13))
        )
        e164 = "+49" + national
        parsed = phonenumbers.parse(e164, None)
        formatted = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
        area, _, rest = formatted.partition(" ")
        assert telefon.telefon_anzeige.__wrapped__(e164) == f"{area} {rest.replace(' ', '')}".strip(), e164
