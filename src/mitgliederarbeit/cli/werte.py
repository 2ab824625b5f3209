"""The values of options and arguments: text from the command line turned into ``str``, ``Path``, ``int`` or
``bool``, with German messages.

typer converts every value through a pydantic ``TypeAdapter``: importing pydantic costs about 0.13 s of every
command, and its messages are English ("Input should be greater than or equal to 1"). Our commands take only these
four types (and lists of them), so :mod:`mitgliederarbeit.cli.hilfe` gives every parameter a
:class:`Umwandlung` instead. A type not listed here is a programming error, reported when the command is built.

A range (``typer.Option(min=1, max=200)``) is checked here; the help text names it ("1 bis 200"),
tests/test_docs.py makes sure it does.
"""

from pathlib import Path
from typing import Any, get_args, get_origin

import typer

TYPEN = (str, Path, int, bool)


class Umwandlung:
    """Turns the text of one option or argument into its value; a wrong value is a :class:`typer.BadParameter` whose
    message says, in German, what is wrong and what would be right (the option's name is added by the handler)."""

    def __init__(self, annotation: Any, *, name: str, minimum: float | None, maximum: float | None) -> None:
        self.liste = get_origin(annotation) is list
        self.typ = get_args(annotation)[0] if self.liste else annotation
        if self.typ not in TYPEN:
            raise TypeError(f"{name}: Werte vom Typ {self.typ!r} wandelt cli/werte.py nicht um")
        self.minimum = minimum
        self.maximum = maximum

    def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        """What typer's own conversion returns: ``None`` (or ``()`` for a list) when nothing was given."""
        mehrere = param.multiple or param.nargs == -1
        if value is None:
            return () if mehrere else None
        if mehrere:
            return [self._wert(v, param, ctx) for v in value]
        return self._wert(value, param, ctx)

    def _wert(self, text: Any, param: Any, ctx: Any) -> Any:
        if isinstance(text, self.typ) and not (self.typ is int and isinstance(text, bool)):
            return self._im_bereich(text, param, ctx) if self.typ is int else text
        if self.typ is str:
            return str(text)
        if self.typ is Path:
            return Path(text)
        if self.typ is int:
            try:
                zahl = int(str(text).strip())
            except ValueError:
                raise typer.BadParameter(
                    f"„{text}“ ist keine ganze Zahl.{self._bereich()}", ctx, param
                ) from None
            return self._im_bereich(zahl, param, ctx)
        # a switch (flag) gets True/False from the parser; any text here came from somewhere else
        raise typer.BadParameter(
            f"„{text}“ geht nicht: ein Schalter wird nur genannt, ohne Wert.", ctx, param
        )

    def _im_bereich(self, zahl: int, param: Any, ctx: Any) -> int:
        if self.minimum is not None and zahl < self.minimum:
            raise typer.BadParameter(f"{zahl} ist zu klein.{self._bereich()}", ctx, param)
        if self.maximum is not None and zahl > self.maximum:
            raise typer.BadParameter(f"{zahl} ist zu groß.{self._bereich()}", ctx, param)
        return zahl

    def _bereich(self) -> str:
        return f" Bitte {bereich(self.minimum, self.maximum)} angeben." if self.typ is int else ""


def bereich(minimum: float | None, maximum: float | None) -> str:
    """The range of a number as the help text and the messages name it: „eine ganze Zahl von 1 bis 200“."""
    if minimum is not None and maximum is not None:
        return f"eine ganze Zahl von {minimum:g} bis {maximum:g}"
    if minimum is not None:
        return f"eine ganze Zahl ab {minimum:g}"
    if maximum is not None:
        return f"eine ganze Zahl bis {maximum:g}"
    return "eine ganze Zahl"
