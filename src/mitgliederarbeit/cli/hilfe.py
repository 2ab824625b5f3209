"""The command tree of ``mitglieder`` in German, and without pydantic.

:func:`befehl` turns the typer app into the click command that runs, and adapts it through the settings click and
typer offer for it:

- ``Command.context_class`` and ``Context.formatter_class`` (click's documented hooks): "Aufruf:" instead of
  "Usage:"; ``options_metavar`` and ``subcommand_metavar``: "[OPTIONEN]", "BEFEHL [ANGABEN]...";
- ``add_help_option=False`` and a help option of our own: ``-h, --help  Diese Hilfe zeigen.``;
- the help text and callback of typer's ``--install-completion`` and ``--show-completion`` parameters;
- the constants of ``typer.rich_utils`` (panel titles, "[Standard: …]", …), set when help is first shown;
- every parameter gets our subclass of typer's ``TyperOption``/``TyperArgument`` (typer has no setting to choose
  the parameter class): a switch shows no type (``--json`` alone, not ``--json <bool>``), an option shows its
  metavar (``--ordner ORDNER``), an argument its name only (``DATEI...``, not ``<list[Path]>``), a range is named
  in the help text rather than as ``[1<=x<=200]``, and values are converted by :mod:`mitgliederarbeit.cli.werte`
  (German messages, no pydantic).

The names of typer and click used here are listed in tests/test_typer_namen.py, which fails and says which one is
gone when a typer release renames it; pyproject.toml pins typer to the versions that test passed with.
"""

import copy
import sys
from typing import Any

import typer
from typer._click.core import Context as ClickContext
from typer._click.decorators import help_option
from typer._click.formatting import HelpFormatter
from typer.core import TyperArgument, TyperGroup, TyperOption

from mitgliederarbeit.cli import console, schnell
from mitgliederarbeit.cli.argumente import HILFE_ARGUMENTE, befehl_stelle
from mitgliederarbeit.cli.werte import Umwandlung
from mitgliederarbeit.errors import BedienFehler

OPTIONEN = "[OPTIONEN]"
BEFEHL_ANGABEN = "BEFEHL [ANGABEN]..."
AUFRUF = "Aufruf: "

# typer.rich_utils' words for the help panels, set before help is rendered
RICH_WOERTER = {
    "ARGUMENTS_PANEL_TITLE": "Angaben",
    "OPTIONS_PANEL_TITLE": "Optionen",
    "COMMANDS_PANEL_TITLE": "Befehle",
    "ERRORS_PANEL_TITLE": "Fehler",
    "DEFAULT_STRING": "[Standard: {}]",
    "ENVVAR_STRING": "[Umgebungsvariable: {}]",
    "REQUIRED_LONG_STRING": "[erforderlich]",
    "DEPRECATED_STRING": "(veraltet) ",
    "ABORTED_TEXT": "Abgebrochen.",
    "RICH_HELP": "Hilfe: [blue]{command_path} {help_option}[/]",
}
HILFE = "Diese Hilfe zeigen."
VERVOLLSTAENDIGUNG = {
    "--install-completion": "Tab-Vervollständigung für die aktuelle Shell einrichten (danach Terminal neu öffnen).",
    "--show-completion": "Das Skript für die Tab-Vervollständigung zeigen, um es selbst einzurichten.",
}


class Formatter(HelpFormatter):
    """click's help formatter with "Aufruf:" for "Usage:"."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, AUFRUF if prefix is None else prefix)


class Kontext(typer.Context):
    """click's context with our formatter; typer's help panels get their German words when help is first shown."""

    formatter_class = Formatter

    def get_help(self) -> str:
        from mitgliederarbeit.cli import hilfecache

        hilfecache.gezeigt()  # what this process prints is the help, and may be kept
        _rich_hilfe_vorbereiten()
        return super().get_help()


class Option(TyperOption):
    """An option as typer builds it, shown and converted our way (see the module's docstring)."""

    def display_type_rich(self, ctx: ClickContext) -> str | None:
        return None if self.is_flag else self.metavar

    def _get_number_range_help_str(self) -> str | None:
        return None

    umwandlung: Umwandlung  # set by _parameter_anpassen

    def get_runtime_param(self) -> Any:
        return self.umwandlung


class Argument(TyperArgument):
    """An argument as typer builds it: its metavar in the help's first column only, ``DATEI...`` in the usage."""

    def display_type_rich(self, ctx: ClickContext) -> str | None:
        return None

    def get_usage_pieces(self, ctx: ClickContext) -> list[str]:
        name = self.metavar or (self.name or "").upper()
        return [name if self.required else f"[{name}]"]

    def _get_number_range_help_str(self) -> str | None:
        return None

    umwandlung: Umwandlung  # set by _parameter_anpassen

    def get_runtime_param(self) -> Any:
        return self.umwandlung


def befehl(app: typer.Typer, args: list[str] | None = None) -> TyperGroup:
    """The click command of ``app``, in German.

    With ``args``, a call that names a command gets only that command built (typer reads the signature of every
    command it builds: the other dozen were most of the time before a small command began). Without a command
    name, or with a name that is none of ours, every command is there, for the overview and click's suggestions.
    """
    stelle = None if args is None else befehl_stelle(args)
    # help asked before the command (`mitglieder --help segmente`) is the overview: click shows every command
    if args is not None and stelle is not None and HILFE_ARGUMENTE.isdisjoint(args[:stelle]):
        name = args[stelle]
        nur = [c for c in app.registered_commands if _befehlsname(c) == name]
        if nur:
            app = copy.copy(app)  # the same app, seeing only this command
            app.registered_commands = nur
    gruppe = typer.main.get_command(app)
    assert isinstance(gruppe, TyperGroup)
    gruppe.subcommand_metavar = BEFEHL_ANGABEN
    for cmd in [gruppe, *gruppe.commands.values()]:
        cmd.context_class = Kontext
        cmd.options_metavar = OPTIONEN
        for param in cmd.params:
            _parameter_anpassen(param)
        cmd.add_help_option = False
        help_option(["-h", "--help"])(cmd)
        hilfe = cmd.params[-1]
        assert isinstance(hilfe, TyperOption)
        hilfe.help = HILFE
        _parameter_anpassen(hilfe)
    return gruppe


def befehlsnamen(app: typer.Typer) -> set[str]:
    """The names of the commands of ``app``, without building them."""
    return {_befehlsname(c) for c in app.registered_commands}


def _befehlsname(info: Any) -> str:
    return str(info.name or typer.main.get_command_name(info.callback.__name__))


def _parameter_anpassen(param: Any) -> None:
    if isinstance(param, TyperOption):
        param.__class__ = Option
        if param.opts[0] in VERVOLLSTAENDIGUNG:
            param.help = VERVOLLSTAENDIGUNG[param.opts[0]]
            if param.opts[0] == "--install-completion":
                param.callback = _vervollstaendigung_einrichten
    elif isinstance(param, TyperArgument):
        param.__class__ = Argument
    else:
        raise TypeError(f"{param!r}: weder Option noch Argument von typer")
    # made now, so that a type werte.py cannot convert is reported when the command is built
    param.umwandlung = Umwandlung(
        param.type_descriptor.annotation, name=param.name or "", minimum=param.min, maximum=param.max
    )


def _vervollstaendigung_einrichten(ctx: Any, param: Any, value: Any) -> Any:
    """``--install-completion`` as typer does it, with the confirmation in German."""
    if not value or ctx.resilient_parsing:
        return value
    from typer._completion_shared import _get_shell_name, install  # loads shellingham, needed only here

    shell = value if isinstance(value, str) else _get_shell_name()
    if shell not in ("bash", "zsh", "fish", "powershell", "pwsh"):
        raise BedienFehler(
            f"Tab-Vervollständigung: die Shell „{shell or 'unbekannt'}“ wird nicht unterstützt.",
            hint="Unterstützt: bash, zsh, fish, PowerShell. Das Skript zeigt: mitglieder --show-completion",
        )
    shell, pfad = install(shell=shell)
    console.meldung(
        f"Tab-Vervollständigung für {shell} eingerichtet: {pfad}\n"
        "Sie wirkt, sobald Sie das Terminal neu öffnen."
    )
    raise typer.Exit()


_rich_deutsch = False


def _rich_hilfe_vorbereiten() -> None:
    """typer's help renderer with German panel words, "Aufruf:" styled as typer styles "Usage:"."""
    global _rich_deutsch
    if _rich_deutsch:
        return
    _rich_deutsch = True
    sys.modules.setdefault("rich._emoji_codes", schnell.emojis_bei_bedarf())
    rich_utils = schnell.rich_utils_laden()
    for name, text in RICH_WOERTER.items():
        setattr(rich_utils, name, text)
    usage = rich_utils.highlighter
    usage.highlights = [h.replace("(?P<usage>Usage: )", f"(?P<usage>{AUFRUF})") for h in usage.highlights]
