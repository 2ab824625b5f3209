"""The names of typer (and its copy of click) that cli/ relies on beyond typer's documented interface.

pyproject.toml pins typer to the releases these were tested with. When a new typer renames one of them, this test
says which, before a user sees English help or a traceback: then adapt the module named and widen the pin.
"""

from __future__ import annotations

import importlib
import inspect

import pytest
import typer

from mitgliederarbeit.cli.hilfe import RICH_WOERTER

# (module, attribute path, where we use it)
NAMEN = [
    ("typer.main", "get_command", "cli/hilfe.py: the click command of the app"),
    ("typer.core", "TyperOption.display_type_rich", "cli/hilfe.py: no <bool> after a switch"),
    ("typer.core", "TyperOption._get_number_range_help_str", "cli/hilfe.py: no [1<=x<=200]"),
    ("typer.core", "TyperArgument.display_type_rich", "cli/hilfe.py: no <list[Path]>"),
    ("typer.core", "TyperArgument.get_usage_pieces", "cli/hilfe.py: DATEI... in the usage line"),
    ("typer.core", "TyperArgument._get_number_range_help_str", "cli/hilfe.py"),
    ("typer.core", "_TyperParameter.get_runtime_param", "cli/hilfe.py: values converted by cli/werte.py"),
    ("typer._click.core", "Command.context_class", "cli/hilfe.py: Aufruf: instead of Usage:"),
    ("typer._click.core", "Context.formatter_class", "cli/hilfe.py"),
    ("typer._click.core", "Context.get_help", "cli/hilfe.py: German panel words before help is shown"),
    ("typer._click.core", "Context.get_parameter_source", "cli/befehle.py: --ordner or MITGLIEDER_ORDNER"),
    ("typer._click.core", "ParameterSource.ENVIRONMENT", "cli/befehle.py"),
    ("typer._click.formatting", "HelpFormatter.write_usage", "cli/hilfe.py"),
    ("typer._click.decorators", "help_option", "cli/hilfe.py"),
    ("typer._completion_shared", "_get_shell_name", "cli/hilfe.py: --install-completion in German"),
    ("typer._completion_shared", "install", "cli/hilfe.py"),
    ("typer._click.exceptions", "UsageError", "cli/lauf.py, cli/aufruffehler.py"),
    ("typer._click.exceptions", "NoArgsIsHelpError", "cli/lauf.py: `mitglieder` alone"),
    ("typer._click.exceptions", "NoSuchOption", "cli/aufruffehler.py"),
    ("typer._click.exceptions", "BadOptionUsage", "cli/aufruffehler.py"),
    ("typer._click.exceptions", "MissingParameter", "cli/aufruffehler.py"),
    ("typer._click.exceptions", "BadParameter", "cli/aufruffehler.py"),
    ("typer.rich_utils", "highlighter", "cli/hilfe.py: Aufruf: styled as Usage: was"),
    *[("typer.rich_utils", name, "cli/hilfe.py: RICH_WOERTER") for name in RICH_WOERTER],
]


@pytest.mark.parametrize(("modul", "pfad", "wo"), NAMEN, ids=[f"{m}.{p}" for m, p, _ in NAMEN])
def test_typer_still_has(modul, pfad, wo):
    ziel = importlib.import_module(modul)
    for teil in pfad.split("."):
        assert hasattr(ziel, teil), (
            f"typer {typer.__version__}: {modul}.{pfad} gibt es nicht mehr (gebraucht in {wo}). "
            "Das Modul anpassen, dann die Grenze für typer in pyproject.toml."
        )
        ziel = getattr(ziel, teil)


# settings given to __init__ and kept as attributes of the same name, which cli/hilfe.py sets afterwards
EINSTELLUNGEN = [
    ("typer.core", "TyperGroup", "subcommand_metavar"),
    ("typer._click.core", "Command", "options_metavar"),
    ("typer._click.core", "Command", "add_help_option"),
]


@pytest.mark.parametrize(("modul", "klasse", "name"), EINSTELLUNGEN)
def test_typer_still_has_setting(modul, klasse, name):
    cls = getattr(importlib.import_module(modul), klasse)
    assert name in inspect.signature(
        cls.__init__
    ).parameters and f"self.{name} = {name}" in inspect.getsource(cls.__init__), (
        f"typer {typer.__version__}: {klasse}({name}=…) gibt es nicht mehr (gebraucht in cli/hilfe.py)"
    )


def test_typer_still_converts_through_get_runtime_param():
    """Our parameters convert values in get_runtime_param(); typer must still call it for every value."""
    from typer.core import _TyperParameter

    quelle = inspect.getsource(_TyperParameter.process_value)
    assert "self.get_runtime_param().coerce(value, param=self, ctx=ctx)" in quelle, (
        f"typer {typer.__version__} converts values differently: cli/werte.py und cli/hilfe.py anpassen"
    )


def test_typer_still_styles_usage_and_imports_what_schnell_replaces():
    rich_utils = importlib.import_module("typer.rich_utils")
    quelle = inspect.getsource(rich_utils)
    assert "from rich.markdown import Markdown" in quelle and "from rich.traceback import Traceback" in quelle
    assert any("Aufruf: " in h or "Usage: " in h for h in rich_utils.highlighter.highlights)


def test_typer_is_within_the_pinned_range():
    """The pin in pyproject.toml is the range this file was checked with."""
    import re
    from pathlib import Path

    pyproject = (Path(__file__).resolve().parents[1] / "pyproject.toml").read_text(encoding="utf-8")
    m = re.search(r'"typer>=([\d.]+),<([\d.]+)"', pyproject)
    assert m, "pyproject.toml: typer ohne obere Grenze"
    version = tuple(int(x) for x in typer.__version__.split(".")[:3])
    assert tuple(int(x) for x in m[1].split(".")) <= version < tuple(int(x) for x in m[2].split("."))
