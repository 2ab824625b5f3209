"""One run of ``mitglieder``: the app is called, and every error becomes one red German line and an exit code.

This is the one handler: :class:`MitgliederError` from the core (its message and hint, its exit code), mistakes
on the command line (exit 2, with the help command to look at), Ctrl-C (130) and anything unexpected (exit 1, no
traceback and no personal data unless ``--debug``). A closed terminal (SIGHUP) or ``kill`` (SIGTERM) ends a run as
Ctrl-C does, so that a command interrupted halfway removes what it wrote (letters, call lists) as it does then.
"""

import gc
import os
import signal
import sys
from pathlib import Path

import typer
from typer._click.exceptions import NoArgsIsHelpError, UsageError

from mitgliederarbeit.cli import console, hilfe
from mitgliederarbeit.cli.argumente import befehl_umschreiben, nur_hilfe
from mitgliederarbeit.errors import Exit, MitgliederError


def ausfuehren(app: typer.Typer, args: list[str]) -> None:
    """Run ``app`` with ``args`` as the ``mitglieder`` command; ends the process with the exit code."""
    debug = "--debug" in args
    os.umask(0o077)  # every file we create holds, or may hold, personal data: owner only
    for name in ("SIGTERM", "SIGHUP"):  # no SIGHUP on Windows
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), _abbrechen)
    args = befehl_umschreiben(args, hilfe.befehlsnamen(app))
    gruppe = hilfe.befehl(app, args)
    if not gc.isenabled() and not nur_hilfe(args):
        # the script switched the collector off while all this loaded (cli/start.py); what was made so far lives as
        # long as the process, and frozen, no collection walks it again
        gc.freeze()
        gc.enable()
    try:
        code = gruppe.main(args=args, prog_name="mitglieder", standalone_mode=False)
        # click turns Ctrl-C (and a SIGTERM/SIGHUP, see _abbrechen) into this exit code, silently
        if code == 130:
            console.fehler("Abgebrochen.")
        if isinstance(code, int) and code:
            sys.exit(code)
    except NoArgsIsHelpError:  # `mitglieder` alone: the help is printed, nothing went wrong
        sys.exit(Exit.OK)
    except UsageError as exc:  # a mistake on the command line
        from mitgliederarbeit.cli import aufruffehler  # its catalogue is compiled only for a mistake

        console.fehler(aufruffehler.meldung(exc, gruppe, args), aufruffehler.hilfe(exc, gruppe, args))
        sys.exit(Exit.BEDIENUNG)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except (typer.Abort, KeyboardInterrupt, EOFError):  # Ctrl-C, or Ctrl-D at a question
        console.fehler("Abgebrochen.")
        sys.exit(130)
    except MitgliederError as exc:
        if debug:
            raise
        console.fehler(exc.message, exc.hint)
        sys.exit(exc.exit_code)
    except Exception as exc:
        if not debug and _beschaedigt(exc):
            from mitgliederarbeit.bestand import speicher
            from mitgliederarbeit.bestand.sicherung import beschaedigt

            fehler = beschaedigt(speicher.zuletzt_geoeffnet or Path(speicher.SPEICHER_DATEI))
            console.fehler(fehler.message, fehler.hint)
            sys.exit(fehler.exit_code)
        if debug:
            raise
        console.fehler(
            f"Unerwarteter Fehler ({type(exc).__name__}). Es wurde nichts halb geschrieben.",
            "Bitte mit --debug erneut aufrufen und die Ausgabe (ohne persönliche Daten) melden.",
        )
        sys.exit(Exit.UNBRAUCHBAR)


def _abbrechen(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _beschaedigt(exc: BaseException) -> bool:
    """SQLite found the store's file damaged while a command read it ("database disk image is malformed")."""
    sqlite3 = sys.modules.get("sqlite3")
    return sqlite3 is not None and type(exc) is sqlite3.DatabaseError
