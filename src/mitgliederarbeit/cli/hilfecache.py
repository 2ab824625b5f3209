"""``mitglieder --help`` read from the cache folder: the help exactly as it was last drawn for the same call.

Drawing the help loads typer and rich and lays out a dozen panels (0.1 s); the text only changes when the program
does. The first call draws it and keeps what it printed; a later call with the same key prints that without
loading typer or rich. The key holds everything the drawing reads: the arguments, the working folder, the sizes
of the terminal and which streams are one, the environment (but for the variables a shell changes on every
command), the Python, the files of mitgliederarbeit, typer and rich. Any difference draws anew. Only a digest of
the key is kept (the environment may hold secrets); the help holds nothing personal. A cache entry that cannot be
read or written is simply not used.

Only help asked with ``-h``/``--help`` is kept (see :func:`argumente.hilfe_zum_behalten`), and only when the
parser really showed help (:func:`gezeigt`: ``--notiz --help`` is a note, and its command's output is never kept),
ended without an error and wrote nothing else. The cache folder is the user's own: an entry is read only from a
file that is the user's and writable by nobody else, and written through a new file of its own.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any, TextIO

from mitgliederarbeit.laufzeit import cache_ordner_text

_HILFE_GEZEIGT = [False]  # set by the parser's help (hilfe.Kontext.get_help) in this process
_FLUECHTIG = frozenset({"PWD", "OLDPWD", "SHLVL", "_"})  # set anew by the shell for every command
_HOECHSTENS = 32  # entries kept: a few terminals, widths and commands
_PREFIX = "hilfe-"


def _terminal(fd: int) -> tuple[bool, tuple[int, ...] | None]:
    try:
        tty = os.isatty(fd)
        return tty, tuple(os.get_terminal_size(fd)) if tty else None
    except OSError:
        return False, None


def _dateien(ordner: str) -> list[tuple[str, int, int]]:
    """Name, size and time of every file below ``ordner``: an update or an edit changes one of them."""
    result = []
    stapel = [ordner]
    while stapel:
        with os.scandir(stapel.pop()) as eintraege:
            for e in eintraege:
                if e.is_dir(follow_symlinks=False):
                    if e.name != "__pycache__":
                        stapel.append(e.path)
                elif e.name.endswith(".py"):
                    st = e.stat()
                    result.append((e.path, st.st_size, st.st_mtime_ns))
    return sorted(result)


def _paket(name: str) -> str | None:
    """The folder of the package ``name`` as an import would find it, without importing it."""
    import importlib.machinery

    spec = importlib.machinery.PathFinder.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return None
    return list(spec.submodule_search_locations)[0]


def gezeigt() -> None:
    """The parser shows help: what this process prints on stdout is the help."""
    _HILFE_GEZEIGT[0] = True


def schluessel(args: list[str]) -> str | None:
    """Everything the drawn help depends on, as a digest; None if it cannot be told (a working folder that was
    deleted, a package being replaced): then the help is drawn and not kept."""
    try:
        return _schluessel(args)
    except OSError:
        return None


def _schluessel(args: list[str]) -> str:
    pakete: list[object] = []
    for name in ("mitgliederarbeit", "typer", "rich"):
        ordner = _paket(name)
        if ordner is None:
            pakete.append((name, None))
        elif name == "mitgliederarbeit":  # every file: an edit in a checkout changes the help too
            pakete.append((name, _dateien(ordner)))
        else:  # a release replaces its files: the time and size of its first one say so
            st = os.stat(os.path.join(ordner, "__init__.py"))
            pakete.append((name, ordner, st.st_size, st.st_mtime_ns))
    umgebung = sorted((k, v) for k, v in os.environ.items() if k not in _FLUECHTIG)
    stroeme = [
        (s.__class__.__name__, getattr(s, "encoding", None), getattr(s, "errors", None))
        for s in (sys.stdout, sys.stderr)
    ]
    text = repr(
        (1, args, os.getcwd(), sys.executable, sys.version, sys.platform, [_terminal(fd) for fd in (0, 1, 2)],
         stroeme, umgebung, pakete)
    )  # fmt: skip
    try:
        from _blake2 import blake2b  # in every CPython; hashlib would load OpenSSL first (3 ms)
    except ImportError:  # pragma: no cover - a Python built without it
        from hashlib import blake2b
    return blake2b(text.encode("utf-8", "surrogatepass")).hexdigest()


def _datei(schluessel: str) -> str | None:
    ordner = cache_ordner_text()
    return None if ordner is None else os.path.join(ordner, f"{_PREFIX}{schluessel[:16]}.txt")


def lesen(schluessel: str) -> str | None:
    """The help kept under ``schluessel``, or None."""
    pfad = _datei(schluessel)
    if pfad is None:
        return None
    try:
        with open(pfad, encoding="utf-8", errors="surrogateescape", newline="") as f:
            if not _eigen(f.fileno()) or f.readline() != schluessel + "\n":
                return None
            text = f.read()
        os.utime(pfad)  # used: kept longest (see _behalten)
        return text
    except (OSError, UnicodeError):
        return None


def _eigen(fd: int) -> bool:
    """Whether the open file is the user's and writable by nobody else (where the system tells owners)."""
    if not hasattr(os, "getuid"):
        return True
    st = os.fstat(fd)
    return st.st_uid == os.getuid() and not st.st_mode & 0o022


class _Mitschrift:
    """A stream that writes through to ``echt`` and keeps the text; anything that would pass it by (the bytes of
    ``buffer``) makes the record incomplete."""

    def __init__(self, echt: TextIO) -> None:
        self._echt = echt
        self.teile: list[str] = []
        self.unvollstaendig = False

    def write(self, text: str) -> int:
        # first: click writes b"" to learn from the TypeError that this stream takes text only
        geschrieben = self._echt.write(text)
        self.teile.append(text)
        return geschrieben

    def writelines(self, zeilen: Any) -> None:
        for zeile in zeilen:
            self.write(zeile)

    def __getattr__(self, name: str) -> Any:
        if name == "buffer":
            self.unvollstaendig = True
        return getattr(self._echt, name)


def zeichnen_und_behalten(schluessel: str, zeichnen: Callable[[], None]) -> None:
    """Run ``zeichnen`` (the ordinary help) and keep what it printed on stdout under ``schluessel``, if it ended
    well and printed nothing on stderr."""
    aus, fehler = _Mitschrift(sys.stdout), _Mitschrift(sys.stderr)
    echt_aus, echt_fehler = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = aus, fehler  # type: ignore[assignment]
    code: object = 0
    try:
        zeichnen()
    except SystemExit as exc:
        code = exc.code
        raise
    except BaseException:
        code = 1
        raise
    finally:
        sys.stdout, sys.stderr = echt_aus, echt_fehler
        if (
            _HILFE_GEZEIGT[0]
            and code in (0, None)
            and not fehler.teile
            and not aus.unvollstaendig
            and not fehler.unvollstaendig
        ):
            _behalten(schluessel, "".join(aus.teile))


def _behalten(schluessel: str, text: str) -> None:
    pfad = _datei(schluessel)
    if pfad is None or not text:
        return
    ordner = os.path.dirname(pfad)
    tmp = f"{pfad}.{os.getpid()}.tmp"
    try:
        os.makedirs(ordner, mode=0o700, exist_ok=True)
        # a new file (never one that is there, nor where a link points), the user's alone
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
        with open(fd, "w", encoding="utf-8", errors="surrogateescape", newline="") as f:
            f.write(schluessel + "\n" + text)
        os.replace(tmp, pfad)
        _aufraeumen(ordner)
    except (OSError, UnicodeError):  # a read-only or full cache folder: the help was printed all the same
        try:
            os.unlink(tmp)
        except OSError:
            pass


def _aufraeumen(ordner: str) -> None:
    """Keep the :data:`_HOECHSTENS` entries used last, and no temporary file a killed run left for an hour."""
    import time

    eintraege, alt = [], time.time() - 3600
    for e in os.scandir(ordner):
        if not e.name.startswith(_PREFIX):
            continue
        zeit = e.stat().st_mtime
        if e.name.endswith(".txt"):
            eintraege.append((zeit, e.path))
        elif e.name.endswith(".tmp") and zeit < alt:
            os.unlink(e.path)
    for _, weg in sorted(eintraege)[:-_HOECHSTENS]:
        os.unlink(weg)
