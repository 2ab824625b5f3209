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


_UMSCHRIFT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "ae", "Ö": "oe", "Ü": "ue"})


def befehl_umschreiben(args: list[str], namen: set[str]) -> list[str]:
    """``args`` with the command's name as the commands are written, where it was typed with umlauts
    (``mitglieder übersicht`` is ``mitglieder uebersicht``); anything else as it is."""
    stelle = befehl_stelle(args)
    if stelle is None or args[stelle] in namen:
        return args
    umschrift = args[stelle].translate(_UMSCHRIFT).lower()
    if umschrift == args[stelle] or umschrift not in namen:
        return args
    return [*args[:stelle], umschrift, *args[stelle + 1 :]]
