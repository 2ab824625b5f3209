"""The ``mitglieder`` script: decides what the process needs before typer and rich are loaded.

``python -m mitgliederarbeit`` and the installed ``mitglieder`` both start here; the run itself is
:func:`mitgliederarbeit.cli.lauf.main`, the commands are in :mod:`mitgliederarbeit.cli.befehle`.
"""

import sys

from mitgliederarbeit.cli.argumente import hilfe_zum_behalten, nur_hilfe


def main() -> None:
    args = sys.argv[1:]
    if hilfe_zum_behalten(args):  # help as drawn before (see cli.hilfecache), else drawn now and kept
        from mitgliederarbeit.cli import hilfecache

        schluessel = hilfecache.schluessel(args)
        if schluessel is not None:
            text = hilfecache.lesen(schluessel)
            if text is not None:
                sys.stdout.write(text)
                return
            hilfecache.zeichnen_und_behalten(schluessel, _starten)
            return
    _starten()


def _starten() -> None:
    import gc

    # No cycle collection while typer, rich and the command tree load (13 ms of `mitglieder --help`, a tenth of a
    # small command): Python would walk every new object again and again, and none of them is garbage. A command
    # switches it on again once its tree is built (:func:`mitgliederarbeit.cli.lauf.ausfuehren`); a process that
    # only prints help ends without it, and the last collection at exit leaves the frozen objects alone.
    gc.disable()
    if nur_hilfe(sys.argv[1:]):
        import atexit

        atexit.register(gc.freeze)
    # imported here, after the collector is switched off: it loads typer
    from mitgliederarbeit.cli.befehle import main as lauf

    lauf(sys.argv[1:])
