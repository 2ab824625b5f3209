"""German help: typer's own words in ``--help`` (panel titles, "Usage:", --help and the completion options)."""

import sys
from typing import Any

import typer

from mitgliederarbeit.cli import console, schnell
from mitgliederarbeit.errors import BedienFehler


def _hilfe_auf_deutsch() -> None:
    """Typer's own words in ``--help`` in German: panel titles, "Usage:", --help and the completion options.

    These are module constants and two small wraps of typer internals; if a typer release renames them, the help
    simply stays English (tests/test_docs.py then fails and says where).
    """
    from typer._click import core as click_core
    from typer._click import decorators as click_decorators
    from typer._click import formatting as click_formatting

    woerter = {
        "ARGUMENTS_PANEL_TITLE": "Angaben",
        "OPTIONS_PANEL_TITLE": "Optionen",
        "COMMANDS_PANEL_TITLE": "Befehle",
        "ERRORS_PANEL_TITLE": "Fehler",
        "DEFAULT_STRING": "[Standard: {}]",
        "ENVVAR_STRING": "[Umgebungsvariable: {}]",
        "REQUIRED_LONG_STRING": "[erforderlich]",
        "DEPRECATED_STRING": "(veraltet) ",
        "ABORTED_TEXT": "Abgebrochen.",
    }
    rich_utils = schnell.rich_utils_laden()
    for name, text in woerter.items():
        if hasattr(rich_utils, name):
            setattr(rich_utils, name, text)

    class Formatter(click_formatting.HelpFormatter):
        def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
            args = args.replace("[OPTIONS]", "[OPTIONEN]").replace("COMMAND [ARGS]...", "BEFEHL [ANGABEN]...")
            super().write_usage(prog, args, "Aufruf: " if prefix is None else prefix)

    click_core.Context.formatter_class = Formatter
    usage = rich_utils.highlighter  # the style typer gives "Usage: "
    usage.highlights = [  # type: ignore[misc]
        h.replace("(?P<usage>Usage: )", "(?P<usage>Aufruf: )") for h in usage.highlights
    ]

    hilfe_option = click_decorators.help_option

    def deutsche_hilfe_option(param_decls: list[str]) -> Any:
        def anwenden(command: Any) -> Any:
            command = hilfe_option(param_decls)(command)
            command.params[-1].help = "Diese Hilfe zeigen."
            return command

        return anwenden

    click_decorators.help_option = deutsche_hilfe_option
    vervollstaendigung = typer.main.get_install_completion_arguments

    def deutsche_vervollstaendigung() -> Any:
        installieren: Any
        zeigen: Any
        installieren, zeigen = vervollstaendigung()
        installieren.help = (
            "Tab-Vervollständigung für die aktuelle Shell einrichten (danach Terminal neu öffnen)."
        )
        zeigen.help = "Das Skript für die Tab-Vervollständigung zeigen, um es selbst einzurichten."
        installieren.callback = _vervollstaendigung_einrichten
        return installieren, zeigen

    typer.main.get_install_completion_arguments = deutsche_vervollstaendigung


def _vervollstaendigung_einrichten(ctx: Any, param: Any, value: Any) -> Any:
    """``--install-completion`` as typer does it, with the confirmation in German."""
    if not value or ctx.resilient_parsing:
        return value
    from typer._completion_shared import _get_shell_name, install

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


_deutsch_eingerichtet = False


def vorbereiten() -> None:
    """Install the German help frame once (it loads typer's rich help, so only when help is wanted)."""
    global _deutsch_eingerichtet
    if _deutsch_eingerichtet:
        return
    _deutsch_eingerichtet = True
    sys.modules.setdefault("rich._emoji_codes", schnell.emojis_bei_bedarf())
    try:
        _hilfe_auf_deutsch()
    except (AttributeError, ImportError):  # another typer: the help keeps typer's English words
        pass
