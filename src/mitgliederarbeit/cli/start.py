"""The ``mitglieder`` script: decides what the process needs before typer and rich are loaded.

``python -m mitgliederarbeit`` and the installed ``mitglieder`` both start here; the run itself is
:func:`mitgliederarbeit.cli.lauf.main`, the commands are in :mod:`mitgliederarbeit.cli.befehle`.
"""

import sys

from mitgliederarbeit.cli.argumente import nur_hilfe


def main() -> None:
    if nur_hilfe(sys.argv[1:]):
        _ohne_muellabfuhr()
    # imported here, after the collector is switched off: it loads typer
    from mitgliederarbeit.cli.befehle import main as lauf

    lauf(sys.argv[1:])


def _ohne_muellabfuhr() -> None:
    """No garbage collection in a process that only prints help and ends (13 ms of ``mitglieder --help``).

    Python collects while typer and rich load and once more at exit, walking every object again; nothing here lives
    long enough to need it, and the process writes no files that a collection would close. Switched off before
    typer loads, which is why the script starts in this module and not in the CLI.
    """
    import atexit
    import gc

    gc.disable()
    atexit.register(gc.freeze)  # the last collection at exit leaves frozen objects alone
