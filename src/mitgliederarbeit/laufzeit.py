"""Helpers around Python's runtime: work in a thread beside the caller, the cycle collector paused while millions
of short-lived objects are made, and the folder for what a later run may reuse."""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    import threading
    from pathlib import Path

T = TypeVar("T")


def nebenher(fn: Callable[[], T], name: str, *, ab: threading.Event | None = None) -> Callable[[], T]:
    """Run ``fn`` in a thread; the returned function waits for its result (or raises its exception).

    Worth it where ``fn`` releases the GIL (file copies, hashing, zlib, Rust readers). With ``ab``, ``fn``
    begins once the event is set, or once its result is waited for, whichever comes first.
    """
    import threading

    ergebnis: list[T] = []
    fehler: list[BaseException] = []

    def rechnen() -> None:
        if ab is not None:
            ab.wait()
        try:
            ergebnis.append(fn())
        except BaseException as exc:  # handed to the caller
            fehler.append(exc)

    thread = threading.Thread(target=rechnen, name=name, daemon=True)
    thread.start()

    def warten() -> T:
        if ab is not None:
            ab.set()
        thread.join()
        if fehler:
            raise fehler[0]
        return ergebnis[0]

    return warten


@contextmanager
def ohne_gc() -> Iterator[None]:
    """Pause the cycle collector for the body (and leave it off if it was off).

    Building a large workbook or importing a large export makes millions of objects without reference cycles;
    the collector would only walk them again and again. What only it can free waits until the body is done.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def cache_ordner() -> Path | None:
    """Where this user's machine keeps what a later run may reuse and any run may throw away: never personal data.

    ``$XDG_CACHE_HOME/mitgliederarbeit`` where that is set to an absolute path, else the system's place (Windows
    ``%LOCALAPPDATA%``, macOS ``~/Library/Caches``, elsewhere ``~/.cache``). ``None`` without a home folder (a
    container's user without one): then nothing is kept.
    """
    from pathlib import Path

    text = cache_ordner_text()
    return None if text is None else Path(text)


def cache_ordner_text() -> str | None:
    """:func:`cache_ordner` as text, without loading pathlib (for ``mitglieder --help``, see cli.hilfecache)."""
    basis = os.environ.get("XDG_CACHE_HOME")
    if basis and not os.path.isabs(basis):  # a relative one is to be ignored (XDG Base Directory)
        basis = None
    if not basis and sys.platform == "win32":
        basis = os.environ.get("LOCALAPPDATA")
    if not basis:
        heim = os.path.expanduser("~")
        if heim == "~" or not os.path.isabs(heim):  # no HOME and no entry in the user database
            return None
        basis = os.path.join(heim, "Library/Caches" if sys.platform == "darwin" else ".cache")
    return os.path.join(basis, "mitgliederarbeit")


def platzhalter(modul: str, klasse: str) -> Any:
    """A module holding only the class ``klasse``, which imports the real module when it is called or asked; any
    other name asked of the module is the real module's (so whoever got the stand-in by chance, a thread importing
    the module meanwhile, is served in full)."""
    import importlib
    import types

    stellvertreter = types.ModuleType(modul)

    def echt() -> Any:
        if (
            sys.modules.get(modul) is stellvertreter
        ):  # asked while it still stands in: the real one replaces it
            del sys.modules[modul]
        return importlib.import_module(modul)

    class Laden(type):
        def __call__(cls, *args: Any, **kwargs: Any) -> Any:
            return getattr(echt(), klasse)(*args, **kwargs)

        def __getattr__(cls, name: str) -> Any:
            return getattr(getattr(echt(), klasse), name)

    def __getattr__(name: str) -> Any:  # PEP 562: names the module itself does not hold
        if name.startswith("__"):  # what the import system asks of any module (__path__): not the real one's
            raise AttributeError(name)
        return getattr(echt(), name)

    setattr(stellvertreter, klasse, Laden(klasse, (), {"__module__": modul}))
    stellvertreter.__getattr__ = __getattr__  # type: ignore[method-assign]
    return stellvertreter


def laden_ohne(paket: str, stellvertreter: dict[str, str]) -> Any:
    """Import ``paket`` while the modules named in ``stellvertreter`` (module -> its one class the package takes
    from it) are :func:`platzhalter`: a library that imports at its top what a program never uses loads it only if
    it ever does. Taken out again afterwards, so a later import gets the real module. Should the package want
    more from them, it is imported with the real ones."""
    import importlib

    ersetzt = {m: platzhalter(m, k) for m, k in stellvertreter.items() if m not in sys.modules}
    sys.modules.update(ersetzt)
    try:
        return importlib.import_module(paket)
    except ImportError:
        pass
    finally:
        for modul, ersatz in ersetzt.items():
            if sys.modules.get(modul) is ersatz:
                del sys.modules[modul]
    for name in [n for n in sys.modules if n == paket or n.startswith(paket + ".")]:  # half-loaded: again
        del sys.modules[name]
    return importlib.import_module(paket)
