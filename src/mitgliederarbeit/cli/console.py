"""Everything the terminal shows: summaries, tables, progress bars, error lines (rich, stderr for messages).

Only this module and ``cli.py`` import the terminal libraries; the core stays usable from plain Python. rich is
imported on first use, so importing this module costs nothing until something is printed (``--json``, ``--help``).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

err: Console  # messages, progress and errors (stderr); made by __getattr__ on first use
out: Console  # data: tables (stdout)


def __getattr__(name: str) -> Console:
    """Create ``err`` and ``out`` on first use; tests replace them with ``monkeypatch.setattr``."""
    if name not in ("err", "out"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from rich.console import Console

    # no emoji codes: a name like „Herr :smile: Meier“ or „OV :fire:“ is shown as written
    konsole = Console(stderr=name == "err", highlight=False, soft_wrap=True, emoji=False)
    globals()[name] = konsole
    return konsole


def _err() -> Console:
    return globals()["err"] if "err" in globals() else __getattr__("err")


def _out() -> Console:
    return globals()["out"] if "out" in globals() else __getattr__("out")


def zahl(n: int | float) -> str:
    """German thousands separator: 12.345."""
    return f"{n:,.0f}".replace(",", ".")


def groesse(n_bytes: int) -> str:
    """A file size as people read it: 976 KB, 1,2 MB, 319 MB."""
    mb = n_bytes / 1024 / 1024
    if mb < 1:
        return f"{zahl(max(1, round(n_bytes / 1024)))} KB"
    if mb < 10:
        return f"{mb:.1f} MB".replace(".", ",")
    return f"{zahl(mb)} MB"


def prozent(x: float | None, stellen: int = 1) -> str:
    """German percent: 12,5 %; an en dash for no value."""
    if x is None:
        return "–"
    return f"{x * 100:.{stellen}f} %".replace(".", ",")


# What must never reach a terminal raw from a value (a member's name, a file name, a cell): C0 controls but line
# feed and tab (ESC starts colour changes, screen clears and OSC 8 links, BEL rings, CR overwrites a line), DEL, C1
# controls (U+0080–U+009F: U+009B is a CSI of its own in some terminals) and the bidi controls that reorder what
# the eye reads. Each is shown as its escape (\x1b, \u202e): visible, and harmless.
_STEUERZEICHEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def sicher(text: str) -> str:
    """``text`` with every control character shown as its escape, so it can only print, never steer."""
    return _STEUERZEICHEN.sub(lambda m: m[0].encode("unicode_escape").decode("ascii"), text)


def json_ausgeben(data: Any) -> None:
    import json

    text = json.dumps(data, ensure_ascii=False, indent=2, default=str)
    # json escapes C0 already; C1 and bidi controls would pass raw (JSON readers decode \u009b back)
    text = _STEUERZEICHEN.sub(lambda m: f"\\u{ord(m[0]):04x}", text)
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def _umbruch() -> bool:
    """Whether rich leaves long lines to the receiver: yes for a pipe or a file (one line stays one line), no in a
    terminal, where rich breaks them between words instead of the terminal cutting a word in two."""
    return not _err().is_terminal


def meldung(text: str) -> None:
    """A line on stderr; printed as it is (names may hold „[bold]“: no markup, no control characters)."""
    _err().print(sicher(text), markup=False, soft_wrap=_umbruch())


def hinweis(text: str) -> None:
    """A warning on stderr, in yellow; printed as it is, like :func:`meldung`."""
    _err().print(sicher(text), markup=False, style="yellow", soft_wrap=_umbruch())


def frage(text: str) -> bool:
    """A yes/no question on stderr; only „j“ or „ja“ is yes, Enter (or no terminal to answer) is no."""
    _err().print(f"{sicher(text)} [j/N] ", end="", markup=False)
    try:
        antwort = input()
    except EOFError:
        return False
    return antwort.strip().lower() in ("j", "ja")


def kennwort(text: str, *, bestaetigen: bool = False, mindestens: int = 1) -> str:
    """A password typed without echo; asked again while shorter than ``mindestens``, with ``bestaetigen`` twice
    until both agree.

    Without a terminal to type it in (a script, a pipe), nothing is asked: a usage error that says how to give
    it instead. Ctrl-C or Ctrl-D end the command ("Abgebrochen.").
    """
    import getpass  # only for the few commands that ask for a password

    from mitgliederarbeit.errors import BedienFehler

    if not sys.stdin.isatty():
        raise BedienFehler(
            "Das Kennwort kann nur in einem Terminal verdeckt abgefragt werden; hier gibt es keins.",
            hint="Ohne Terminal das Kennwort in der Umgebungsvariable MITGLIEDER_PASSWORT übergeben.",
        )
    while True:
        erstes = getpass.getpass(f"{sicher(text)}: ", stream=sys.stderr)
        if len(erstes) < mindestens:
            if erstes:
                hinweis(f"Das Kennwort ist zu kurz: bitte mindestens {mindestens} Zeichen.")
            continue
        if not bestaetigen or getpass.getpass("Noch einmal zur Bestätigung: ", stream=sys.stderr) == erstes:
            return erstes
        hinweis("Die beiden Eingaben stimmen nicht überein – bitte noch einmal.")


def eingabe(text: str) -> str:
    """A line typed in answer to ``text`` (on stderr); empty when there is nothing to read."""
    _err().print(sicher(text), end="", markup=False)
    try:
        return input()
    except EOFError:
        return ""


def fehler(text: str, hint: str | None = None) -> None:
    _err().print(f"[bold red]Fehler:[/bold red] [red]{_escape(text)}[/red]", soft_wrap=_umbruch())
    if hint:
        _err().print(_escape(hint), soft_wrap=_umbruch())


def _escape(text: str) -> str:
    """For a value inside rich markup: its own brackets printed as they are, its control characters escaped."""
    from rich.markup import escape

    return escape(sicher(text))


def tabelle(
    titel: str | None,
    spalten: list[str],
    zeilen: list[list[Any]],
    *,
    rechts: set[int] | None = None,
    umbrechen: set[int] | None = None,
    ganz: set[int] | None = None,
    rang: list[int] | None = None,
    alles: str | None = None,
    teilen: set[int] | None = None,
) -> None:
    """A table on stdout (data), right-aligned numeric columns; ``umbrechen`` columns wrap instead of being cut.

    Nothing is cut off with „…“: a table wider than the terminal wraps its cells and headers between words
    (:func:`_breiten`). A number or a date, and every word of a ``ganz`` column (a file name to type), stays
    whole; only a word longer than its column (a very long name) is folded. A column empty in every row is left
    out.

    ``rang`` (one number per column, where the table's columns are defined) says what a narrow terminal may leave
    out instead, so that no word is broken: rang 0 always stays, the other columns get the room in the order of
    their rang, one rang together (:func:`_auswahl`). A line on stderr below the table names the columns left out
    and how to see all (``alles``, e.g. „--json“).

    ``teilen`` (the key columns, e.g. the Ortsverein) lets a table of many columns of equal weight, all of which
    belong on the screen, be drawn in parts instead: each part the key columns and as many of the others as fit
    with every word whole, one below the other.
    """
    texte = [["" if v is None else str(v) for v in row] for row in zeilen]
    behalten = [i for i in range(len(spalten)) if not texte or any(row[i].strip() for row in texte)]
    rechts, umbrechen, ganz = rechts or set(), umbrechen or set(), ganz or set()
    weg: list[int] = []
    # only on a screen: a file or a pipe (80 columns to rich) keeps every column, wrapped
    if rang and _out().is_terminal:
        behalten, weg = _auswahl(spalten, texte, behalten, rechts | ganz, rang, _out().width)
    teile = _teile(spalten, texte, behalten, rechts | ganz, teilen, _out().width) if teilen else [behalten]
    for k, teil in enumerate(teile):
        teil_titel = f"{titel} ({k + 1}/{len(teile)})" if titel and len(teile) > 1 else titel
        _zeichnen(
            teil_titel, spalten, texte, teil, rechts, umbrechen, ganz, woerter=bool(rang or len(teile) > 1)
        )
    if weg:
        from mitgliederarbeit.zahlen import aufzaehlung

        liste = aufzaehlung([f"„{spalten[i]}“" for i in weg])
        wo = f"in einem breiteren Terminal, mit {alles}" if alles else "in einem breiteren Terminal"
        meldung(f"Ausgelassen, weil das Terminal zu schmal ist: {liste} – alle Spalten {wo}.")


def _zeichnen(
    titel: str | None,
    spalten: list[str],
    texte: list[list[str]],
    behalten: list[int],
    rechts: set[int],
    umbrechen: set[int],
    ganz: set[int],
    *,
    woerter: bool,
) -> None:
    """One table of the columns ``behalten`` on stdout (see :func:`tabelle`)."""
    from rich.table import Table

    breiten = _breiten(
        [spalten[i] for i in behalten],
        [[row[i] for i in behalten] for row in texte],
        [i in rechts or i in ganz for i in behalten],
        _out().width,
        woerter=woerter,
    )
    table = Table(title=_escape(titel) if titel else None, show_lines=False, header_style="bold")
    for j, i in enumerate(behalten):
        table.add_column(
            _escape(spalten[i]),
            justify="right" if i in rechts else "left",
            overflow="fold",
            min_width=20 if i in umbrechen and breiten is None else None,
            width=breiten[j] if breiten else None,
        )
    for row in texte:
        table.add_row(*[_escape(row[i]) for i in behalten])
    _out().print(table)


def _woerter(text: str, ganz: bool = False) -> int:
    """The widest word of ``text`` (with ``ganz`` the widest line): what a column needs to break no word."""
    from rich.cells import cell_len

    teile = text.splitlines() if ganz else text.split()
    return max((cell_len(t) for t in teile), default=0)


def _auswahl(
    kopf: list[str], texte: list[list[str]], behalten: list[int], fest: set[int], rang: list[int], gesamt: int
) -> tuple[list[int], list[int]]:
    """(columns shown, columns left out) so that the words of every column shown (a ``fest`` column's lines) fit
    whole into ``gesamt`` characters: rang 0 always, then each rang in turn, together, if it still fits."""
    breite = _breite_ganz(kopf, texte, behalten, fest)
    if breite(behalten) <= gesamt:
        return behalten, []
    # rang 0 stays even where a single word is longer than the terminal allows (folded: nothing else to do)
    gezeigt = [i for i in behalten if rang[i] <= 0]
    for stufe in sorted({rang[i] for i in behalten} - {0}):
        dazu = [i for i in behalten if rang[i] == stufe]
        if breite(gezeigt + dazu) <= gesamt:  # a lower rang may still fit where a higher one did not
            gezeigt += dazu
    return sorted(gezeigt), [i for i in behalten if i not in gezeigt]


def _breite_ganz(
    kopf: list[str], texte: list[list[str]], behalten: list[int], fest: set[int]
) -> Callable[[list[int]], int]:
    """How wide a table of some of the columns ``behalten`` is with every word whole (a ``fest`` column's
    lines), borders included. A word longer than :data:`_LANGES_WORT` (one very long surname) claims no more: it
    is folded rather than costing the other columns their room in every row."""

    def wort(text: str, i: int) -> int:
        return _woerter(text, True) if i in fest else min(_woerter(text), _LANGES_WORT)

    noetig = {i: max([_woerter(kopf[i]), *(wort(row[i], i) for row in texte)]) for i in behalten}
    return lambda spalten: sum(noetig[i] for i in spalten) + 3 * len(spalten) + 1


_LANGES_WORT = 24


def _teile(
    kopf: list[str],
    texte: list[list[str]],
    behalten: list[int],
    fest: set[int],
    schluessel: set[int],
    gesamt: int,
) -> list[list[int]]:
    """The columns ``behalten`` in parts that fit ``gesamt`` characters with every word whole, each part the
    ``schluessel`` columns and the next of the others in their order (at least one, should even one not fit)."""
    breite = _breite_ganz(kopf, texte, behalten, fest)
    if breite(behalten) <= gesamt:
        return [behalten]
    vorn = [i for i in behalten if i in schluessel]
    teile: list[list[int]] = []
    for i in (i for i in behalten if i not in schluessel):
        if teile and breite(vorn + teile[-1] + [i]) <= gesamt:
            teile[-1].append(i)
        else:
            teile.append([i])
    return [sorted(vorn + teil) for teil in teile]


# a number, an amount, a percentage or a date („1.525“, „80,0 %“, „< 5“, „03.09.2026“): never broken
_ZAHLWORT = re.compile(r"[<>+\-–]?[\d.,:/%]*\d[\d.,:/%]*")


def _breiten(
    kopf: list[str], zeilen: list[list[str]], fest: list[bool], gesamt: int, woerter: bool = False
) -> list[int] | None:
    """Column widths for a table wider than ``gesamt`` characters; None when it fits as it is.

    Widths grow in steps while there is room: first every number and date whole (in a ``fest`` column every
    line) and at least six characters of the rest, then every word of the cells up to 16 characters, then every
    word of the headers, then whole lines. With ``woerter`` every word is whole from the start where it fits
    (the columns :func:`_auswahl` kept). Where a step of words does not fit entirely, the columns that lack
    least get theirs first; the rest is shared in proportion.
    """
    from rich.cells import cell_len

    def laengen(texte: list[str], nur_zahlen: bool = False) -> list[int]:
        return [
            cell_len(wort)
            for text in texte
            for zeile in text.splitlines()
            for wort in zeile.split()
            if not nur_zahlen or _ZAHLWORT.fullmatch(wort)
        ] or [0]

    n = len(kopf)
    spalten = [[row[i] for row in zeilen] for i in range(n)]
    voll = [
        max(cell_len(zeile) for text in [kopf[i], *spalten[i]] for zeile in text.splitlines() or [""])
        for i in range(n)
    ]
    verfuegbar = (
        gesamt - 3 * n - 1
    )  # a border left of each column and at the end, a space either side of each
    # every cell on one line and each header at most broken between its words: rich draws that as it always did
    if n == 0 or sum(voll) <= verfuegbar:
        return None
    kopfwort = [max(laengen([kopf[i]])) for i in range(n)]
    zellen = [max([cell_len(z) for text in spalten[i] for z in text.splitlines()] or [0]) for i in range(n)]
    # (with ``woerter`` the widths are set here even then: rich's own sharing would break a word of a cell)
    if not woerter and sum(max(zellen[i], kopfwort[i]) for i in range(n)) <= verfuegbar:
        return None
    wort = [max(laengen(spalten[i])) for i in range(n)]
    zahl = [max(laengen(spalten[i], nur_zahlen=True)) for i in range(n)]
    # a fest column (numbers, a file name) keeps each line of its cells whole: „100,0 %“, not „100,0“ over „%“
    # and a header of up to six characters whole („Anrufe“, „Alter“): a narrow number column spelled it letter by
    # letter down the header
    stufen = [
        [
            min(voll[i], max(zellen[i] if fest[i] else max(zahl[i], min(6, wort[i])), min(6, kopfwort[i])))
            for i in range(n)
        ]
    ]
    ganz = [max(stufen[0][i], wort[i], kopfwort[i]) for i in range(n)]
    if woerter and sum(ganz) <= verfuegbar:
        stufen[0] = ganz
    stufen.append([max(stufen[-1][i], min(voll[i], 16, wort[i])) for i in range(n)])
    stufen.append([max(stufen[-1][i], min(voll[i], kopfwort[i])) for i in range(n)])
    stufen.append(voll)
    breiten = stufen[0]
    for nummer, stufe in enumerate(stufen[1:], 1):
        rest = verfuegbar - sum(breiten)
        fehlt = [stufe[i] - breiten[i] for i in range(n)]
        if rest <= 0:
            break
        if sum(fehlt) <= rest:
            breiten = list(stufe)
            continue
        if nummer < 3:  # words: as many columns' whole as there is room for, the shortest first
            for i in sorted(range(n), key=lambda i: fehlt[i]):
                if 0 < fehlt[i] <= rest:
                    breiten[i], rest, fehlt[i] = stufe[i], rest - fehlt[i], 0
            if not rest:
                break
        anteile = [f * rest // sum(fehlt) for f in fehlt]
        for i in sorted(range(n), key=lambda i: fehlt[i] * rest % sum(fehlt), reverse=True)[
            : rest - sum(anteile)
        ]:
            anteile[i] += 1
        breiten = [breiten[i] + anteile[i] for i in range(n)]
        break
    return [max(1, b) for b in breiten]


def klartext(text: str, stil: str | None = None) -> None:
    """A message on stderr exactly as given: no markup, so paths with brackets stay as they are."""
    _err().print(sicher(text), markup=False, style=stil, soft_wrap=_umbruch())


@contextmanager
def fortschritt(aktiv: bool, beschreibung: str) -> Iterator[Callable[..., None]]:
    """A progress bar on stderr, only in a terminal; yields ``update(done, total, beschreibung=None)``.

    None with ``--json`` (``aktiv`` False) or when stderr is not a terminal (a pipe, a log file, a test), so
    redirected output holds no control characters.
    """
    if not aktiv or not _err().is_terminal:
        yield lambda done, total, beschreibung=None: None
        return
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn

    with Progress(
        TextColumn("{task.description}", markup=False),  # a file name as written: no markup, no emoji codes
        BarColumn(),
        TaskProgressColumn(),
        TimeRemainingColumn(),
        console=_err(),
        transient=True,
    ) as progress:
        task = progress.add_task(sicher(beschreibung), total=None)

        def update(done: int, total: int | None, beschreibung: str | None = None) -> None:
            """``total`` None: the end is not known, the bar pulses."""
            if total is None:  # rich's update() reads None as "unchanged"
                next(t for t in progress.tasks if t.id == task).total = None
            if beschreibung:  # it names a file: no control characters
                progress.update(task, completed=done, total=total, description=sicher(beschreibung))
            else:
                progress.update(task, completed=done, total=total)

        yield update
