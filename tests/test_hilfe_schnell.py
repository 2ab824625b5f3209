"""``mitglieder --help`` answers at once: it loads only typer, rich and the CLI, and prints what typer prints.

No timings here (benchmarks/run.py --nur hilfe measures them); these tests keep the shortcuts honest.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile

import pytest

# what --help must not load: the data and document libraries, the store, the core modules, and the parts of rich
# that typer's help imports but never uses (markdown, syntax highlighting, pretty tracebacks)
NICHT_LADEN = (
    "pandas",
    "polars",
    "openpyxl",
    "xlsxwriter",
    "docx",
    "docxtpl",
    "matplotlib",
    "numpy",
    "phonenumbers",
    "sqlite3",
    "pydantic",
    "markdown_it",
    "pygments",
    "rich.markdown",
    "rich.syntax",
    "rich.traceback",
    "rich.pretty",
)


def _python(code: str, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a Python of its own, 100 columns wide, colours only if ``env`` asks for them; with a cache
    folder of its own (the help is drawn, not read from an earlier test's cache) unless ``env`` names one."""
    umgebung = {**os.environ, "COLUMNS": "100", "XDG_CACHE_HOME": tempfile.mkdtemp(prefix="hilfe-cache-")}
    for name in ("FORCE_COLOR", "NO_COLOR", "PY_COLORS", "GITHUB_ACTIONS", "TERMINAL_WIDTH"):
        umgebung.pop(name, None)
    lauf = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, env={**umgebung, **env}
    )
    assert lauf.returncode == 0, lauf.stderr
    return lauf


# main() without argv, as the `mitglieder` script calls it
WIE_DAS_SKRIPT = "import sys\nfrom mitgliederarbeit.cli.start import main\ntry:\n    main()\nexcept SystemExit:\n    pass\n"


@pytest.mark.parametrize("args", [["--help"], ["import", "--help"], ["-h"]])
def test_help_loads_only_what_it_shows(args):
    code = WIE_DAS_SKRIPT + (
        f"geladen = [m for m in {NICHT_LADEN!r} if m in sys.modules]\n"
        "kern = [m for m in sys.modules if m.startswith('mitgliederarbeit.')]\n"
        "print(geladen, sorted(kern), file=sys.stderr)\n"
    )
    assert _python(code, *args).stderr.strip().splitlines()[-1] == (
        "[] ['mitgliederarbeit.cli', 'mitgliederarbeit.cli.argumente', "
        "'mitgliederarbeit.cli.befehle', 'mitgliederarbeit.cli.console', 'mitgliederarbeit.cli.hilfe', "
        "'mitgliederarbeit.cli.hilfecache', 'mitgliederarbeit.cli.lauf', 'mitgliederarbeit.cli.schnell', "
        "'mitgliederarbeit.cli.start', 'mitgliederarbeit.cli.werte', 'mitgliederarbeit.errors', "
        "'mitgliederarbeit.laufzeit']"
    )


@pytest.mark.parametrize("args", [["--help"], ["import", "--help"], ["segmente", "-h"]])
@pytest.mark.parametrize("farbe", [False, True])
def test_help_is_what_typer_prints(args, farbe):
    """The shortcuts change nothing: the same bytes as with rich.markdown and rich.traceback really loaded."""
    env = {"FORCE_COLOR": "1"} if farbe else {}
    schnell = _python(WIE_DAS_SKRIPT, *args, **env).stdout
    wie_typer = _python(
        "import sys, rich.markdown, rich.traceback\n"
        "from mitgliederarbeit.cli.befehle import main\n"
        "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n",
        *args,
        **env,
    ).stdout
    assert "Aufruf: mitglieder" in re.sub(r"\x1b\[[0-9;]*m", "", schnell)
    assert ("\x1b[" in schnell) is farbe
    assert schnell == wie_typer


def test_stand_ins_load_the_real_classes():
    """Should typer ever use rich.markdown or rich.traceback after all, the stand-ins give it the real thing."""
    from rich.markdown import Markdown
    from rich.traceback import Traceback

    from mitgliederarbeit.laufzeit import platzhalter

    markdown = platzhalter("rich.markdown", "Markdown").Markdown
    assert isinstance(markdown("*kursiv*"), Markdown)
    traceback = platzhalter("rich.traceback", "Traceback").Traceback
    assert traceback.from_exception == Traceback.from_exception


def test_collector_is_off_while_loading_and_on_for_the_command(tmp_path):
    """The collector is off before typer loads; a command runs with it on (what loaded is frozen), a process that
    only shows help ends without it."""
    code = (
        "import gc, sys\n"
        "beim_laden = []\n"
        "class Beobachter:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name in ('typer', 'mitgliederarbeit.ordner'):\n"
        "            beim_laden.append((name, gc.isenabled()))\n"
        "sys.meta_path.insert(0, Beobachter())\n"
        "from mitgliederarbeit.cli.start import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(beim_laden, gc.isenabled(), gc.get_freeze_count() > 0, file=sys.stderr)\n"
    )
    assert _python(code, "--help").stderr.splitlines()[-1] == "[('typer', False)] False False"
    # `mitglieder` alone shows the help
    assert _python(code).stderr.splitlines()[-1] == "[('typer', False)] False False"
    assert _python(code, "--version").stderr.splitlines()[-1] == "[('typer', False)] True True"
    ordner = str(tmp_path / "leer")
    assert _python(code, "--ordner", ordner, "init").stderr.splitlines()[-1] == (
        "[('typer', False), ('mitgliederarbeit.ordner', True)] True True"
    )


def test_emoji_stand_in_gives_rich_the_real_table():
    """``:name:`` in a help text and ``Emoji("name")`` work as with rich's own table, unknown names stay as typed."""
    code = (
        "import sys\n"
        "from mitgliederarbeit.cli.schnell import emojis_bei_bedarf\n"
        "sys.modules['rich._emoji_codes'] = emojis_bei_bedarf()\n"
        "from rich.emoji import Emoji, NoEmoji\n"
        "from rich.text import Text\n"
        "print(Text.from_markup(':thumbs_up: :gibtsnicht: [b]fett[/b]').plain)\n"
        "print(Emoji('smiley'))\n"
        "try:\n    Emoji('gibtsnicht')\nexcept NoEmoji:\n    print('NoEmoji')\n"
    )
    assert _python(code).stdout.splitlines() == ["\U0001f44d :gibtsnicht: fett", "\U0001f603", "NoEmoji"]


def test_python_m_runs_the_script():
    lauf = subprocess.run(
        [sys.executable, "-m", "mitgliederarbeit", "--version"], capture_output=True, text=True
    )
    assert lauf.returncode == 0 and lauf.stdout.startswith("mitgliederarbeit ")


def test_cli_modules_do_not_import_the_script():
    """start.py is the entry: it imports the CLI, never the other way round (no cycle hidden in a function)."""
    import ast
    from pathlib import Path

    import mitgliederarbeit.cli

    ordner = Path(mitgliederarbeit.cli.__file__).parent
    for datei in sorted(ordner.glob("*.py")):
        for knoten in ast.walk(ast.parse(datei.read_text(encoding="utf-8"))):
            if isinstance(knoten, ast.ImportFrom) and knoten.module:
                namen = {f"{knoten.module}.{a.name}" for a in knoten.names} | {knoten.module}
                assert "mitgliederarbeit.cli.start" not in namen, datei.name


# what the everyday commands of a small folder must not load: the import's libraries and rules, the phone library
# (the display reads its formats from the cache folder), and what only other commands need
NICHT_FUER_KLEINE_BEFEHLE = (
    "pandas",
    "polars",
    "numpy",
    "openpyxl",
    "pydantic",
    "phonenumbers",
    "mitgliederarbeit.einlesen.normalisieren",
    "mitgliederarbeit.einlesen.lesen",
    "mitgliederarbeit.cli.aufruffehler",  # German usage errors: compiled only for a mistake
    "mitgliederarbeit.bestand.sicherung",  # backups: loaded when a change is made
)


@pytest.mark.parametrize(
    ("args", "auch_nicht"),
    [
        (["segmente"], ("xlsxwriter", "docx", "PIL")),
        (["uebersicht"], ("xlsxwriter", "docx", "PIL")),
        # xlsxwriter without its charts and without OpenSSL (dateien._XLSXWRITER_UNGENUTZT)
        (["anrufliste", "--anrufer-anzahl", "2"], ("docx", "PIL", "xlsxwriter.chart_bar", "_hashlib")),
        # the report's Word file is written without python-docx; its pictures are hashed only when inserted
        (["bericht"], ("docx", "lxml", "xlsxwriter.chart")),
    ],
)
def test_small_commands_load_only_what_they_use(beispielbestand, tmp_path, args, auch_nicht):
    code = WIE_DAS_SKRIPT + (
        f"print([m for m in {NICHT_FUER_KLEINE_BEFEHLE + auch_nicht!r} if m in sys.modules], file=sys.stderr)\n"
    )
    befehl = ["--ordner", str(beispielbestand.pfad), "--stichtag", "01.09.2026", *args]
    cache = str(tmp_path / "cache")
    for _ in range(2):  # the second run reads the phone formats from the cache folder the first one filled
        lauf = _python(code, *befehl, XDG_CACHE_HOME=cache)
        if args[0] == "anrufliste":
            assert "Anrufliste:" in lauf.stderr, lauf.stderr
            for datei in (beispielbestand.pfad / "ausgabe").glob("anrufliste-*.xlsx"):
                datei.unlink()
    assert lauf.stderr.splitlines()[-1] == "[]", lauf.stderr


# --- the help kept in the cache folder (cli/hilfecache.py) -----------------------------------------------------

GELADEN = (
    WIE_DAS_SKRIPT + "print(sorted(m for m in ('typer', 'rich') if m in sys.modules), file=sys.stderr)\n"
)


def test_help_read_from_the_cache_is_the_help_drawn(tmp_path):
    """The second call prints the same bytes without loading typer or rich; one file per call kept."""
    cache = str(tmp_path / "cache")
    for args in (["--help"], ["anrufliste", "--help"], ["segmente", "-h"]):
        erst = _python(GELADEN, *args, XDG_CACHE_HOME=cache)
        dann = _python(GELADEN, *args, XDG_CACHE_HOME=cache)
        assert erst.stderr.splitlines()[-1] == "['rich', 'typer']"
        assert dann.stderr.splitlines()[-1] == "[]"
        assert dann.stdout == erst.stdout and "Aufruf: mitglieder" in dann.stdout
    dateien = sorted((tmp_path / "cache" / "mitgliederarbeit").glob("hilfe-*.txt"))
    assert len(dateien) == 3


@pytest.mark.parametrize(
    "env", [{"COLUMNS": "60"}, {"FORCE_COLOR": "1"}, {"NO_COLOR": "1", "COLUMNS": "140"}]
)
def test_other_terminal_draws_anew(tmp_path, env):
    """A width or colour setting the cached help was not drawn for is drawn anew, exactly as without a cache."""
    cache = str(tmp_path / "cache")
    _python(GELADEN, "--help", XDG_CACHE_HOME=cache)  # kept for 100 columns without colour
    anders = _python(GELADEN, "--help", XDG_CACHE_HOME=cache, **env)
    assert anders.stderr.splitlines()[-1] == "['rich', 'typer']"
    assert anders.stdout == _python(WIE_DAS_SKRIPT, "--help", **env).stdout
    assert _python(GELADEN, "--help", XDG_CACHE_HOME=cache, **env).stdout == anders.stdout


def test_damaged_or_foreign_cache_entry_is_not_used(tmp_path):
    cache = tmp_path / "cache"
    richtig = _python(WIE_DAS_SKRIPT, "--help", XDG_CACHE_HOME=str(cache)).stdout
    (datei,) = (cache / "mitgliederarbeit").glob("hilfe-*.txt")
    for inhalt in ("(1, ['--help'], 'ein anderer Schlüssel')\nFALSCH\n", "", "\udcff kaputt"):
        datei.write_text(inhalt, encoding="utf-8", errors="surrogateescape")
        lauf = _python(GELADEN, "--help", XDG_CACHE_HOME=str(cache))
        assert lauf.stdout == richtig
        assert lauf.stderr.splitlines()[-1] == "['rich', 'typer']"


def test_an_edited_program_draws_anew(tmp_path):
    """The key holds every file of the package: an update or an edit (a new time) is a new key."""
    from pathlib import Path

    import mitgliederarbeit.cli.befehle as befehle
    from mitgliederarbeit.cli import hilfecache

    vorher = hilfecache.schluessel(["--help"])
    datei = Path(befehle.__file__)
    st = datei.stat()
    try:
        os.utime(datei, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
        assert hilfecache.schluessel(["--help"]) != vorher
    finally:
        os.utime(datei, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert hilfecache.schluessel(["--help"]) == vorher
    assert hilfecache.schluessel(["import", "--help"]) != vorher


def test_only_plain_help_is_kept(tmp_path):
    """Completion acts and reads the shell; an error is not help: neither is kept. A cache folder that cannot be
    written leaves the help as it is."""
    from mitgliederarbeit.cli.argumente import hilfe_zum_behalten

    assert hilfe_zum_behalten(["--help"]) and hilfe_zum_behalten(["segmente", "-h"])
    assert not hilfe_zum_behalten(["--show-completion", "--help"])
    assert not hilfe_zum_behalten(["--install-completion"]) and not hilfe_zum_behalten([])
    cache = tmp_path / "cache"
    fehler = subprocess.run(
        [sys.executable, "-c", WIE_DAS_SKRIPT, "gibtsnicht", "--help"],
        capture_output=True,
        text=True,
        env={**os.environ, "XDG_CACHE_HOME": str(cache)},
    )
    assert "gibtsnicht" in fehler.stderr
    assert not list(cache.glob("mitgliederarbeit/hilfe-*"))
    gesperrt = tmp_path / "gesperrt"
    gesperrt.write_text("eine Datei, kein Ordner")
    lauf = _python(WIE_DAS_SKRIPT, "--help", XDG_CACHE_HOME=str(gesperrt))
    assert "Aufruf: mitglieder" in lauf.stdout and lauf.stderr == ""


def test_cache_keeps_no_environment(tmp_path):
    """The key covers the environment, but only its digest is written: a secret in a variable stays off the disk."""
    cache = tmp_path / "cache"
    _python(WIE_DAS_SKRIPT, "--help", XDG_CACHE_HOME=str(cache), GEHEIMES_TOKEN="streng-geheim-4711")
    (datei,) = (cache / "mitgliederarbeit").glob("hilfe-*.txt")
    inhalt = datei.read_text(encoding="utf-8")
    assert "streng-geheim-4711" not in inhalt and "GEHEIMES_TOKEN" not in inhalt
    assert re.fullmatch(r"[0-9a-f]{128}", inhalt.splitlines()[0])


def test_help_as_the_value_of_an_option_is_no_help_and_not_kept(tmp_path):
    """``--ordner --help`` names a folder: the command runs, and what it prints (it could be members) is never
    kept for the next call, which runs the command again."""
    cache = tmp_path / "cache"
    arbeit = tmp_path / "arbeit"
    arbeit.mkdir()
    umgebung = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    befehl = [sys.executable, "-c", WIE_DAS_SKRIPT, "--json", "--ordner", "--help", "init"]
    erst = subprocess.run(befehl, capture_output=True, text=True, env=umgebung, cwd=arbeit)
    assert erst.returncode == 0 and '"datei"' in erst.stdout, erst.stderr
    assert (arbeit / "--help" / "mitglieder.toml").exists()
    assert not list(cache.glob("mitgliederarbeit/hilfe-*"))
    (arbeit / "--help" / "mitglieder.toml").unlink()
    dann = subprocess.run(befehl, capture_output=True, text=True, env=umgebung, cwd=arbeit)
    assert dann.returncode == 0 and (arbeit / "--help" / "mitglieder.toml").exists()


def test_help_in_a_deleted_working_folder(tmp_path):
    """The key needs the working folder; where it is gone, the help is drawn and not kept."""
    weg = tmp_path / "weg"
    weg.mkdir()
    code = f"import os\nos.chdir({str(weg)!r})\nos.rmdir({str(weg)!r})\n" + WIE_DAS_SKRIPT
    lauf = _python(code, "--help", XDG_CACHE_HOME=str(tmp_path / "cache"))
    assert "Aufruf: mitglieder" in lauf.stdout
    assert not list((tmp_path / "cache").glob("mitgliederarbeit/hilfe-*"))


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="owners of files are told where getuid is")
def test_a_cache_entry_others_may_write_is_not_read(tmp_path):
    cache = tmp_path / "cache"
    richtig = _python(WIE_DAS_SKRIPT, "--help", XDG_CACHE_HOME=str(cache)).stdout
    (datei,) = (cache / "mitgliederarbeit").glob("hilfe-*.txt")
    erste_zeile = datei.read_text(encoding="utf-8").splitlines()[0]
    datei.write_text(erste_zeile + "\n\x1b]52;c;Z2VoZWlt\x07untergeschoben\n", encoding="utf-8")
    datei.chmod(0o666)
    lauf = _python(GELADEN, "--help", XDG_CACHE_HOME=str(cache))
    assert lauf.stdout == richtig and "untergeschoben" not in lauf.stdout


def test_a_stand_in_serves_every_name_of_the_real_module():
    """Whoever gets a stand-in by chance (a thread importing hashlib while xlsxwriter loads) is served in full;
    what the import system asks of every module stays the stand-in's own."""
    import hashlib

    from mitgliederarbeit.laufzeit import platzhalter

    ersatz = platzhalter("hashlib", "sha256")
    assert ersatz.sha256(b"x").hexdigest() == hashlib.sha256(b"x").hexdigest()
    assert ersatz.md5(b"x").hexdigest() == hashlib.md5(b"x").hexdigest()
    assert ersatz.new("sha1", b"x").hexdigest() == hashlib.sha1(b"x").hexdigest()
    assert not hasattr(ersatz, "__path__")
