"""German text for mistakes on the command line: an unknown option, a missing value, a wrong number …

The parser (typer's copy of click) says these in English, and without gettext: its messages are plain f-strings.
Where the exception carries the facts (which option, which parameter, which suggestions), the German line is built
from them; the few messages that are only text are translated by :data:`KATALOG`, whose keys are the parser's own
message templates, matched as a whole. A message not in the catalog is shown as it is, after „Falscher Aufruf:“;
tests/test_aufruf.py makes the parser say each message our commands can meet and checks the German line.
"""

import re

from typer._click.core import Command
from typer._click.exceptions import (
    BadOptionUsage,
    BadParameter,
    MissingParameter,
    NoSuchOption,
    UsageError,
)

# the parser's message template → the German sentence; {name!r} in a template matches 'name' in quotes
KATALOG = {
    "Option {name!r} requires an argument.": "{name} braucht einen Wert{beispiel}.",
    "Option {name!r} requires {anzahl} arguments.": "{name} braucht {anzahl} Werte.",
    "Option {name!r} does not take a value.": "{name} ist ein Schalter und nimmt keinen Wert: nur {name} schreiben.",
    "Got unexpected extra argument(s) ({angaben})": "Zu viele Angaben: {angaben}.",
    "No such command {name!r}.": "Den Befehl „{name}“ gibt es nicht.",
    "No such command {name!r}. Did you mean {vorschlaege}?": (
        "Den Befehl „{name}“ gibt es nicht. Meinten Sie {vorschlaege}?"
    ),
    "Missing command.": "Bitte einen Befehl angeben, z. B. mitglieder uebersicht.",
}


def _muster(vorlage: str) -> re.Pattern[str]:
    """A template as a regular expression that matches the whole message and names its parts."""
    teile = re.split(r"\{(\w+)(!r)?\}", vorlage)
    muster = ""
    for i in range(0, len(teile), 3):
        muster += re.escape(teile[i])
        if i + 1 < len(teile):
            name, als_repr = teile[i + 1], teile[i + 2]
            muster += f"'(?P<{name}>.*?)'" if als_repr else f"(?P<{name}>.*?)"
    return re.compile(muster + r"\Z", re.S)


_MUSTER = [(_muster(englisch), deutsch) for englisch, deutsch in KATALOG.items()]


def meldung(exc: UsageError, gruppe: Command, args: list[str]) -> str:
    """The German line for a mistake on the command line (``gruppe`` is ``mitglieder``, ``args`` its arguments)."""
    if isinstance(exc, MissingParameter) and exc.param is not None:
        return _fehlt(exc.param)
    if isinstance(exc, BadParameter) and exc.param is not None:
        return f"{_name(exc.param)}: {exc.message}"  # the message is ours (cli/werte.py)
    if isinstance(exc, NoSuchOption):
        return _unbekannte_option(exc, gruppe)
    for muster, deutsch in _MUSTER:
        if m := muster.match(exc.message):
            return deutsch.format(**_teile(m.groupdict(), exc, _befehl(exc, gruppe, args)[0]))
    return f"Falscher Aufruf: {exc.message}"


def hilfe(exc: UsageError, gruppe: Command, args: list[str]) -> str:
    """Where to read on: ``Hilfe: mitglieder import --help`` for a mistake in the import command."""
    if isinstance(exc, NoSuchOption) and any(exc.option_name in _opts(p) for p in gruppe.params):
        return "Hilfe: mitglieder --help"  # a global option, explained there
    return f"Hilfe: {_befehl(exc, gruppe, args)[1]} --help"


def _befehl(exc: UsageError, gruppe: Command, args: list[str]) -> tuple[Command, str]:
    """The command the mistake was made in, and how it is called.

    Most errors know their context; a misused option does not (the parser raises it without one): it belongs to
    the command named before it, or to ``mitglieder`` itself.
    """
    if exc.ctx is not None:
        return exc.ctx.command, exc.ctx.command_path
    befehle: dict[str, Command] = getattr(gruppe, "commands", {})
    option = getattr(exc, "option_name", None)
    for arg in args:
        if option and (arg == option or arg.startswith(f"{option}=")):
            break
        if arg in befehle:
            return befehle[arg], f"mitglieder {arg}"
    return gruppe, "mitglieder"


def _name(param: object) -> str:
    """An option by its (first) name, an argument by its placeholder: --anrufer-anzahl, DATEI."""
    opts = getattr(param, "opts", None) or [""]
    if getattr(param, "param_type_name", "") == "argument":
        return (getattr(param, "metavar", None) or opts[0].upper()).rstrip(".")
    return str(opts[0])


def _fehlt(param: object) -> str:
    hilfetext = getattr(param, "help", None)
    if getattr(param, "param_type_name", "") == "argument":
        return f"Es fehlt die Angabe {_name(param)}" + (f": {hilfetext}" if hilfetext else ".")
    return f"Es fehlt die Option {_name(param)}."


def _unbekannte_option(exc: NoSuchOption, gruppe: Command) -> str:
    name = exc.option_name
    ctx = exc.ctx
    global_ = [p for p in gruppe.params if name in _opts(p)]
    if ctx is not None and ctx.command is not gruppe and global_:
        # a global option after the command: `mitglieder uebersicht --json`
        wert = "" if getattr(global_[0], "is_flag", False) else f" {getattr(global_[0], 'metavar', '')}"
        return f"{name} gilt für alle Befehle und steht vor dem Befehl: mitglieder {name}{wert} {ctx.info_name} …"
    text = f"Unbekannte Option: {name}."
    if exc.possibilities:
        text += f" Meinten Sie {_oder(sorted(exc.possibilities))}?"
    return text


def _oder(namen: list[str]) -> str:
    return namen[0] if len(namen) == 1 else f"{', '.join(namen[:-1])} oder {namen[-1]}"


def _opts(param: object) -> list[str]:
    return list(getattr(param, "opts", []))


def _teile(teile: dict[str, str], exc: UsageError, befehl: Command) -> dict[str, str]:
    """The parts of a message as the German sentence shows them."""
    if "vorschlaege" in teile:  # 'a', 'b' → „a“ oder „b“
        teile["vorschlaege"] = _oder([f"„{v}“" for v in re.findall(r"'([^']*)'", teile["vorschlaege"])])
    if isinstance(exc, BadOptionUsage):
        teile["beispiel"] = _beispiel(exc.option_name, befehl)
    return teile


def _beispiel(option: str, befehl: Command) -> str:
    """``, z. B. --ordner ORDNER`` for an option whose value is missing."""
    for param in befehl.params:
        if option in _opts(param) and getattr(param, "metavar", None):
            return f", z. B. {option} {param.metavar}"
    return ""
