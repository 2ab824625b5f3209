"""German text for mistakes on the command line (an unknown option, a missing file name …)."""

import typer

_CLICK_DE = {
    "No such option": "Unbekannte Option",
    "No such command": "Unbekannter Befehl",
    "Missing argument": "Es fehlt die Angabe",
    "Missing option": "Es fehlt die Option",
    "Invalid value for": "Ungültiger Wert für",
    "Got unexpected extra argument": "Unerwartete zusätzliche Angabe",
    "Got unexpected extra arguments": "Unerwartete zusätzliche Angaben",
    "requires an argument": "braucht einen Wert",
    "Did you mean": "Meinten Sie",
    "is not a valid integer": "ist keine ganze Zahl",
    "is not one of": "ist nicht eines von",
}


def meldung(exc: typer.TyperException) -> str:
    """The German line for a usage error of the command line parser."""
    message = exc.format_message()
    for english, german in _CLICK_DE.items():
        message = message.replace(english, german)
    return message


def hilfe_befehl(befehle: set[str], args: list[str]) -> str:
    """``mitglieder import --help`` for a mistake in the import command, else ``mitglieder --help``."""
    for arg in args:
        if arg in befehle:
            return f"mitglieder {arg} --help"
    return "mitglieder --help"
