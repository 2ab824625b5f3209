"""The README stays true: every command and option is documented and has German help, and the outputs it quotes
are what the commands really print (the demo's summary and every step of the tour, run here in a temporary folder).
"""

from __future__ import annotations

import io
import re
import shlex
import shutil
import sys
from pathlib import Path

import pytest

from mitgliederarbeit.cli import hilfe
from mitgliederarbeit.cli.befehle import app

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
CI = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
BREITE = 100  # terminal width of the outputs quoted in the README
HOME = "/home/erika"  # where the README's outputs pretend the tour ran

GRUPPE = hilfe.befehl(app)  # the command tree main() runs
BEFEHLE = dict(GRUPPE.commands)  # type: ignore[attr-defined]
# English words typer or a careless help text would bring in
ENGLISCH = re.compile(r"\b(the|and|of|this|for|with|Show|Install|message|exit|file|default)\b")


def _abschnitt(name: str) -> str:
    """The README section of a command: from its heading to the next heading of the same or a higher level."""
    m = re.search(rf"^### `mitglieder {re.escape(name)}\b[^\n]*\n(.*?)(?=^#{{1,3}} )", README, re.M | re.S)
    assert m, f"README: kein Abschnitt „### `mitglieder {name}`“"
    return m[1]


# --- every command and option documented, every help German ------------------------------------------------------


@pytest.mark.parametrize("name", sorted(BEFEHLE))
def test_command_documented_with_every_option(name):
    abschnitt = _abschnitt(name)
    for param in BEFEHLE[name].params:
        if param.param_type_name == "argument" or param.name == "help":
            continue
        for opt in param.opts:
            assert re.search(rf"`{re.escape(opt)}\b", abschnitt), f"README, mitglieder {name}: {opt} fehlt"
    assert re.search(rf"^mitglieder [^\n]*\b{re.escape(name)}\b", abschnitt, re.M), f"{name}: kein Beispiel"


def test_every_documented_command_exists():
    """The other way round: a command that disappeared, but is still in the README, fails here."""
    dokumentiert = set(re.findall(r"^### `mitglieder ([a-z]+)\b", README, re.M))
    assert {"import", "segmente", "anrufliste"} <= dokumentiert
    assert dokumentiert == set(BEFEHLE)


def test_global_options_documented():
    m = re.search(r"^## Globale Optionen\n(.*?)(?=^## )", README, re.M | re.S)
    assert m, "README: kein Abschnitt „## Globale Optionen“"
    for param in GRUPPE.params:
        for opt in param.opts:
            assert f"`{opt}" in m[1], f"README, globale Optionen: {opt} fehlt"
    assert "`--help`" in m[1]


@pytest.mark.parametrize("name", sorted(BEFEHLE))
def test_help_is_german_with_an_example(name):
    befehl = BEFEHLE[name]
    assert befehl.help and "Beispiel" in befehl.help, f"{name}: Hilfe ohne Beispielzeile"
    assert not ENGLISCH.search(befehl.help), befehl.help
    for param in befehl.params:
        assert param.help and param.help.strip(), f"{name} {param.name}: keine Hilfe"
        assert not ENGLISCH.search(param.help), f"{name} {param.name}: {param.help}"


def test_global_help_is_german():
    for param in GRUPPE.params:
        assert param.help and not ENGLISCH.search(param.help), (param.opts, param.help)


@pytest.mark.parametrize("args", [["--help"], *[[name, "--help"] for name in sorted(BEFEHLE)]])
def test_rendered_help_has_no_english_frame(mitglieder, args):
    run = mitglieder(*args)
    assert run.code == 0
    assert "Aufruf: mitglieder" in run.out
    for englisch in (
        "Usage:",
        "Options",
        "Arguments",
        "Commands",
        "Show this message",
        "[default:",
        "env var",
    ):
        assert englisch not in run.out, englisch
    assert "Beispiel" in run.out


def test_shell_completion_is_installable_and_documented():
    opts = {opt for param in GRUPPE.params for opt in param.opts}
    assert {"--install-completion", "--show-completion"} <= opts
    assert "mitglieder --install-completion" in README


# --- the two commands on top ---------------------------------------------------------------------------------------

DEMO_BEFEHL = "python3 -m venv .venv && . .venv/bin/activate && pip install . && mitglieder demo"
TEST_BEFEHL = 'python3 -m venv .venv && . .venv/bin/activate && pip install -e ".[dev]" && pytest'


def test_the_two_commands_on_top():
    oben = README[: README.index("\n## ", README.index("\n## ") + 1)]
    assert DEMO_BEFEHL in oben and TEST_BEFEHL in oben


def test_test_command_is_what_ci_runs():
    """CI installs the same way in a fresh environment and runs plain pytest."""
    assert re.search(r'^python -m pip install -q -e "\.\[dev\]"$', CI, re.M)
    assert re.search(r"^python -m pytest$", CI, re.M)


def test_links_to_files_exist():
    for ziel in re.findall(r"\]\(([^)#:]+)\)", README):
        assert (ROOT / ziel).exists(), ziel


# --- the outputs quoted in the README are real -------------------------------------------------------------------


def _ausfuehren(cwd: Path, befehl: str) -> tuple[int, str]:
    """Run a README command line in-process in ``cwd``: (exit code, stdout and stderr as a terminal shows them)."""
    from rich.console import Console

    from mitgliederarbeit.cli import console
    from mitgliederarbeit.cli.befehle import main

    args = shlex.split(befehl)
    assert args[0] == "mitglieder", befehl
    puffer = io.StringIO()
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(cwd)
        mp.setattr(sys, "stdout", puffer)
        mp.setattr(sys, "stderr", puffer)
        mp.setattr(console, "out", Console(highlight=False, soft_wrap=True, width=BREITE))
        mp.setattr(console, "err", Console(stderr=True, highlight=False, soft_wrap=True, width=BREITE))
        try:
            main(args[1:])
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 0
    return code, puffer.getvalue()


def _block(marke: str) -> str:
    m = re.search(rf"<!-- {marke} -->\n```text\n(.*?)```", README, re.S)
    assert m, f"README: kein Block „<!-- {marke} -->“"
    return m[1]


def _rundgang() -> list[tuple[str, str]]:
    """(command, expected output) of every step of the tour, in order."""
    schritte = re.findall(r"<!-- rundgang -->\n```bash\n(.*?)\n```\n+```text\n(.*?)```", README, re.S)
    assert len(schritte) >= 7
    return schritte


@pytest.fixture
def umgebung(monkeypatch, tmp_path):
    for name in ("MITGLIEDER_ORDNER", "MITGLIEDER_STICHTAG", "COLUMNS"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def test_readme_demo_output_is_real(umgebung):
    """The README's first command ends in ``mitglieder demo``: its summary is quoted verbatim."""
    code, ausgabe = _ausfuehren(umgebung, "mitglieder demo")
    assert code == 0
    assert ausgabe == _block("demo-ausgabe")


def test_readme_tour_outputs_are_real(umgebung):
    """The tour replays the demo by hand in ``uebung/`` next to ``mitglieder-demo/``; every output is quoted."""
    assert _ausfuehren(umgebung, "mitglieder demo")[0] == 0
    assert "mkdir uebung && cd uebung\ncp ../mitglieder-demo/mitglieder.toml ." in README
    uebung = umgebung / "uebung"
    uebung.mkdir()
    shutil.copyfile(umgebung / "mitglieder-demo" / "mitglieder.toml", uebung / "mitglieder.toml")
    for befehl, erwartet in _rundgang():
        code, ausgabe = _ausfuehren(uebung, befehl)
        ausgabe = ausgabe.replace(str(umgebung.resolve()), HOME).replace(str(umgebung), HOME)
        assert ausgabe == erwartet, befehl
        assert code == (3 if ", 3 abgelehnt," in erwartet else 2 if erwartet.startswith("Fehler:") else 0), (
            befehl
        )


@pytest.mark.parametrize(("shell", "code"), [("bash", 0), (None, 2)])
def test_install_completion_in_german(mitglieder, monkeypatch, tmp_path, shell, code):
    from typer import _completion_shared

    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setattr(_completion_shared, "_get_shell_name", lambda: shell)
    run = mitglieder("--install-completion")
    assert run.code == code
    if shell:
        skript = tmp_path / ".bash_completions" / "mitglieder.sh"
        assert run.err.splitlines() == [
            f"Tab-Vervollständigung für bash eingerichtet: {skript}",
            "Sie wirkt, sobald Sie das Terminal neu öffnen.",
        ]
        assert skript.is_file() and str(skript) in (tmp_path / ".bashrc").read_text()
    else:
        assert run.err.startswith(
            "Fehler: Tab-Vervollständigung: die Shell „unbekannt“ wird nicht unterstützt."
        )
