"""Shortcuts that make ``mitglieder --help`` answer at once, without changing a byte of what it prints.

typer's help renderer imports more of rich than it uses; these stand-ins load those parts only if they are ever
needed. tests/test_hilfe_schnell.py checks that the help is the same with and without them.
"""

import importlib
import importlib.machinery
import importlib.util
import types
from typing import Any

import rich

from mitgliederarbeit.laufzeit import laden_ohne


def rich_utils_laden() -> Any:
    """typer's help renderer, without loading rich.markdown and rich.traceback (40 ms of ``mitglieder --help``).

    ``typer.rich_utils`` imports both at the top (and with them markdown-it and pygments), but needs them only for
    help written in markdown and for pretty tracebacks; we have neither (``rich_markup_mode="rich"``,
    ``pretty_exceptions_enable=False``). While it is imported, the two modules are stand-ins whose one class loads
    the real module when it is first used, so nothing behaves differently if it ever is.
    """
    return laden_ohne("typer.rich_utils", {"rich.markdown": "Markdown", "rich.traceback": "Traceback"})


class _Emojis(dict[str, str]):
    """rich's table of emoji names, filled from the real module when a name is first looked up."""

    def __missing__(self, name: str) -> str:
        if not self:
            # PathFinder looks at the files only, past the stand-in in sys.modules
            spec = importlib.machinery.PathFinder.find_spec("rich._emoji_codes", list(rich.__path__))
            if spec is None or spec.loader is None:
                raise KeyError(name)
            echt = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(echt)
            self.update(echt.EMOJI)
            if name in self:
                return self[name]
        raise KeyError(name)


def emojis_bei_bedarf() -> Any:
    """A stand-in for ``rich._emoji_codes`` (3,600 names, 2 ms of ``mitglieder --help``) that loads the real table
    at the first name rich looks up.

    rich looks up every ``:name:`` in a help text (ours have none) and every ``Emoji("name")``; both get the real
    character, or the ``KeyError`` rich expects for an unknown name.
    """
    modul = types.ModuleType("rich._emoji_codes")
    modul.EMOJI = _Emojis()  # type: ignore[attr-defined]
    return modul
