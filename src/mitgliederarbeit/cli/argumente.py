"""What the command line asks for, decided before typer is loaded (used by ``start``, ``lauf`` and ``hilfe``)."""

HILFE_ARGUMENTE = frozenset({"-h", "--help", "--install-completion", "--show-completion"})
# The options of ``mitglieder`` itself that take a value (tests/test_aufruf.py holds this equal to the command tree).
WERT_OPTIONEN = frozenset({"--ordner", "--stichtag"})


def nur_hilfe(args: list[str]) -> bool:
    """Whether this call only prints help (``mitglieder`` alone shows the help too)."""
    return not args or not HILFE_ARGUMENTE.isdisjoint(args)


def hilfe_zum_behalten(args: list[str]) -> bool:
    """Whether this call prints help that may be kept for the next one (see cli.hilfecache): ``-h``/``--help``,
    and neither ``--install-completion`` nor ``--show-completion`` (they act, and read the shell)."""
    return not {"-h", "--help"}.isdisjoint(args) and {"--install-completion", "--show-completion"}.isdisjoint(
        args
    )


def befehl_stelle(args: list[str]) -> int | None:
    """Where the command's name stands in ``args``: the first word that is neither an option nor the value of one
    of ``mitglieder``'s own options (``mitglieder --ordner ub segmente``: 2). ``None``: no command is named.

    As click reads them: the word after ``--ordner`` is its value whatever it looks like (a folder named
    ``--stichtag``); ``--ordner=ub`` is one word.
    """
    i = 0
    while i < len(args):
        if args[i] in WERT_OPTIONEN:
            i += 2
        elif args[i].startswith("-"):
            i += 1
        else:
            return i
    return None
