"""One exception family; the CLI turns each into a red German line and an exit code.

Row-level problems are *not* exceptions: they are :class:`Problem` records collected in a result.
Exceptions are for things that stop a whole command (a file that cannot be read, a broken config).
"""

from __future__ import annotations

from enum import IntEnum


class Exit(IntEnum):
    """Exit codes of the ``mitglieder`` command (a contract, see PRODUCT.md)."""

    OK = 0
    UNBRAUCHBAR = 1  # input or folder unusable, nothing changed
    BEDIENUNG = 2  # wrong usage
    TEILWEISE = 3  # done, but some rows were rejected


class MitgliederError(Exception):
    """Base class: a German message that tells the user what went wrong and what to do."""

    exit_code: Exit = Exit.UNBRAUCHBAR

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message}\n{self.hint}"


class EingabeFehler(MitgliederError):
    """An input file cannot be used at all (not a spreadsheet, empty, no header, required column missing)."""


class KonfigFehler(MitgliederError):
    """``mitglieder.toml`` is broken: a wrong key or value, named with its line."""


class OrdnerFehler(MitgliederError):
    """The working folder or its store cannot be used (damaged, newer version, locked, read-only)."""


class VorlagenFehler(MitgliederError):
    """A DOCX or text template has a syntax error or a placeholder the data cannot fill."""


class BedienFehler(MitgliederError):
    """Wrong usage: an unknown segment, a bad date in an option, contradicting options."""

    exit_code = Exit.BEDIENUNG


_GRUENDE = {
    "ENOSPC": "der Datenträger ist voll",
    "EDQUOT": "der Speicherplatz (Quota) ist aufgebraucht",
    "EACCES": "keine Berechtigung",
    "EPERM": "keine Berechtigung",
    "EROFS": "der Datenträger ist schreibgeschützt",
    "ENOENT": "den Ordner oder die Datei gibt es nicht",
    "EISDIR": "das ist ein Ordner",
    "ENOTDIR": "ein Teil des Pfads ist kein Ordner",
    "EEXIST": "das gibt es schon",
    "ENAMETOOLONG": "der Name ist zu lang",
    "EIO": "Lese- oder Schreibfehler des Datenträgers",
    "EMFILE": "zu viele offene Dateien",
}


def grund(exc: OSError) -> str:
    """The reason of an OS error in German (``exc.strerror`` is in the system's language, often English)."""
    import errno

    name = errno.errorcode.get(exc.errno or 0, "")
    return _GRUENDE.get(name, f"Systemfehler {name or exc.errno}")
