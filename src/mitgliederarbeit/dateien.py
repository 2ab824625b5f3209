"""Writing output files safely: owner-readable only, atomically, never over an existing file, never a formula.

Every spreadsheet we write stores text as text: a name like ``=HYPERLINK(...)`` or a phone number ``+49 351 …``
stays a string cell. CSV follows the OWASP rule (a leading ``'`` before ``= + - @ TAB CR``).
"""

from __future__ import annotations

import contextlib
import csv
import functools
import io
import os
import platform
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from mitgliederarbeit.errors import BedienFehler, MitgliederError, OrdnerFehler, grund
from mitgliederarbeit.laufzeit import ohne_gc

META_BLATT = "_mitgliederarbeit"
_FORMELZEICHEN = ("=", "+", "-", "@", "\t", "\r")
# control characters (C0, DEL, C1), lone surrogates and the two non-characters XML 1.0 forbids: a pasted escape
# sequence in a name must not break a file (a sheet name goes raw into xl/workbook.xml)
_STEUERZEICHEN = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_BLATT_VERBOTEN = re.compile(r"[\[\]:*?/\\]")


def ohne_steuerzeichen(text: str) -> str:
    """``text`` without control characters: what a name, sheet name or header may hold."""
    return _STEUERZEICHEN.sub("", text)


def blattname(name: str, laenge: int = 31) -> str:
    """A valid sheet name: no control characters, none of ``[]:*?/\\`` (Excel forbids them), at most ``laenge``
    (31) UTF-16 units as Excel counts (an emoji is two), not beginning or ending with an apostrophe; empty if
    nothing is left."""
    name = _BLATT_VERBOTEN.sub("-", ohne_steuerzeichen(name)).strip("' ")
    while len(name.encode("utf-16-le")) > 2 * laenge:
        name = name[:-1]
    return name.strip("' ")


def ordner_anlegen(path: Path) -> Path:
    """Create a folder (and parents) readable by the owner only."""
    try:
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise OrdnerFehler(
            f"Der Ordner {path} kann nicht angelegt werden: {grund(exc)}.",
            hint="Ist der Ordner schreibgeschützt oder der Datenträger voll?",
        ) from None
    return path


def freier_name(path: Path) -> Path:
    """``path`` if free, else ``name-2.ext``, ``name-3.ext`` …"""
    if not path.exists():
        return path
    for i in range(2, 10000):
        candidate = path.with_name(f"{path.stem}-{i}{path.suffix}")
        if not candidate.exists():
            return candidate
    raise OrdnerFehler(f"Kein freier Dateiname für {path}.")  # pragma: no cover


def ziel_pruefen(path: Path, hint: str | None = None) -> None:
    """An explicit ``--ausgabe`` must not name an existing file: we never overwrite silently.

    ``hint`` for a file named by another option, which the hint must name instead of ``--ausgabe``."""
    if path.exists():
        raise BedienFehler(
            f"{path} gibt es schon und wird nicht überschrieben.",
            hint=hint or "Bitte einen anderen Namen mit --ausgabe angeben oder die alte Datei löschen.",
        )


# ".NAME.HOST-PID.RANDOM.tmp": the temporary file of :func:`schreiben`, named with the machine and the process that
# write it (in a folder synced between two computers, the other one's process is not ours to judge)
_REST = re.compile(r"\..+\.([A-Za-z0-9]{1,16})-(\d+)\.[a-z0-9_]{8}\.tmp")


def _rechner() -> str:
    """This machine's name as it stands in a temporary file's name (letters and digits, at most 16)."""
    # platform is loaded with the CLI anyway; socket would cost a few milliseconds of every command's start
    return "".join(c for c in platform.node() if c.isascii() and c.isalnum())[:16] or "x"


def _lebt(pid: int) -> bool:
    """Whether process ``pid`` runs; on Windows always (there ``os.kill`` would stop the process, not ask).

    A killed process whose parent is gone too stays a zombie until the system reaps it, sometimes for seconds:
    ``os.kill`` still finds it, but it writes nothing any more. Where ``/proc`` tells (Linux), a zombie is dead.
    """
    if os.name == "nt":
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process: alive
        return True
    try:
        # "PID (NAME) STATE …": the name may hold anything, the state follows its last bracket
        stat = Path(f"/proc/{pid}/stat").read_bytes()
    except OSError:  # no /proc (macOS), or the process just went: ask no further
        return True
    return stat[stat.rfind(b")") + 2 : stat.rfind(b")") + 3] not in (b"Z", b"X")


@functools.cache
def _systemstart() -> float | None:
    """When the system booted (seconds since the epoch), where ``/proc/stat`` tells (Linux); else None.

    Read once per process, and only when a leftover's writer seems to run (never at the start of a command)."""
    try:
        stat = Path("/proc/stat").read_bytes()
    except OSError:  # no /proc (macOS, Windows)
        return None
    for zeile in stat.splitlines():
        if zeile.startswith(b"btime "):
            with contextlib.suppress(ValueError):
                return float(zeile.split()[1])
    return None


def schreiber_lebt(pfad: Path, pid: int) -> bool:
    """Whether process ``pid``, whose number the leftover ``pfad`` carries in its name, may still be writing it.

    Every caller that decides whether a leftover may go asks here. A process number is handed out anew after a
    reboot: a file last written before the system booted belongs to no process running now, whoever has its
    number. Where the boot time is unknown (no ``/proc``), the number alone decides.
    """
    if pid == os.getpid():
        return True  # this process's own: it removes it itself
    if not _lebt(pid):
        return False
    start = _systemstart()
    if start is None:
        return True
    try:
        # ten minutes' room: the boot time is the clock minus the uptime, and a clock set right after the boot
        # (a device without a battery clock, NTP) or a file server's clock would move a live file before it
        return pfad.stat().st_mtime >= start - _UHR_SPIELRAUM
    except OSError:  # gone meanwhile: nothing to remove
        return True


_UHR_SPIELRAUM = 600  # seconds


def reste(folder: Path, *, tief: bool = False) -> list[Path]:
    """Temporary files of outputs whose writing process is gone (killed mid-write): they may hold personal data.

    ``tief``: also in the folders below ``folder`` (``bereinigen``); else only in ``folder`` itself, which is
    cheap enough for every write.
    """
    if not folder.is_dir():
        return []
    found = []
    for rest in folder.rglob(".*.tmp") if tief else folder.glob(".*.tmp"):
        treffer = _REST.fullmatch(rest.name)
        if not treffer or treffer.group(1) != _rechner():
            continue
        if not schreiber_lebt(rest, int(treffer.group(2))):
            found.append(rest)
    return found


def reste_entfernen(folder: Path, *, tief: bool = False) -> int:
    """Delete :func:`reste`; how many there were."""
    found = reste(folder, tief=tief)
    for rest in found:
        with contextlib.suppress(OSError):
            rest.unlink()
    return len(found)


# "mitglieder-ZWECK-PID-RANDOM": a private working folder in the system's temp folder (see arbeitsordner_temp)
_TEMP_ORDNER = re.compile(r"mitglieder-[a-z]+-(\d+)-[a-z0-9_]{8}")


@contextlib.contextmanager
def arbeitsordner_temp(zweck: str) -> Iterator[Path]:
    """A private (0700) folder in the system's temp folder for the time of a ``with``, then removed.

    It may hold personal data (a decrypted package, letters on their way to PDF): folders that a killed run left
    (its process is gone) are removed first, so nothing stays behind after the next run.
    """
    basis = Path(tempfile.gettempdir())
    with contextlib.suppress(OSError):
        for rest in basis.glob("mitglieder-*"):
            treffer = _TEMP_ORDNER.fullmatch(rest.name)
            if (
                treffer
                and rest.is_dir()
                and (not hasattr(os, "getuid") or rest.stat().st_uid == os.getuid())
                and not schreiber_lebt(rest, int(treffer.group(1)))
            ):
                shutil.rmtree(rest, ignore_errors=True)
    ordner = Path(tempfile.mkdtemp(prefix=f"mitglieder-{zweck}-{os.getpid()}-", dir=basis))
    try:
        yield ordner
    finally:
        shutil.rmtree(ordner, ignore_errors=True)


def schreiben(path: Path, writer: Callable[[Path], None], *, ueberschreiben: bool = False) -> Path:
    """Write through ``writer`` into a temporary file beside ``path``, then move it into place.

    A crash never leaves half a file under the real name; the file is 0600 from its first byte. What a killed
    process left half-written in the folder is removed first (:func:`reste`). An existing file is replaced only
    with ``ueberschreiben`` (the user asked for it by name).
    """
    ordner_anlegen(path.parent)
    reste_entfernen(path.parent)
    tmp: Path | None = None
    try:
        # inside the try: an interrupt right after the file is made still removes it
        fd, tmp_name = tempfile.mkstemp(
            prefix=f".{path.name}.{_rechner()}-{os.getpid()}.", suffix=".tmp", dir=path.parent
        )
        tmp = Path(tmp_name)
        os.close(fd)
        os.chmod(tmp, 0o600)
        writer(tmp)
        os.chmod(tmp, 0o600)
        if path.exists() and not ueberschreiben:
            raise BedienFehler(f"{path} gibt es schon und wird nicht überschrieben.")
        os.replace(tmp, path)
    except Exception as exc:
        ursache = _os_ursache(exc)
        if ursache is None:
            raise
        raise OrdnerFehler(
            f"{path} kann nicht geschrieben werden: {grund(ursache)}.",
            hint="Ist der Datenträger voll oder der Ordner schreibgeschützt?",
        ) from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                tmp.unlink()
    return path


def arbeitsmappe(tmp: Path) -> Any:
    """A new xlsxwriter workbook at ``tmp`` that writes text as text: never a formula, link or number."""
    return _mappe_klasse()(
        str(tmp),
        {
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            # the parts of the file assembled in memory, not in a dozen temporary files each (on a slow disk
            # creating and deleting them took most of the time of a small file)
            "in_memory": True,
        },
    )


# what xlsxwriter takes from the modules it loads at its top and our files never use: the kinds of chart, and the
# hash of a picture (hashlib loads OpenSSL)
_XLSXWRITER_UNGENUTZT = {
    "hashlib": "sha256",
    "xlsxwriter.chart": "Chart",
    **{
        f"xlsxwriter.chart_{art.lower()}": f"Chart{art}"
        for art in ("Area", "Bar", "Column", "Doughnut", "Line", "Pie", "Radar", "Scatter", "Stock")
    },
}


@functools.cache
def _mappe_klasse() -> Any:
    """xlsxwriter's workbook, with every sheet name made valid (:func:`blattname`) whoever names the sheet.

    xlsxwriter loads its nine kinds of chart and hashlib (with OpenSSL) at its top: 9 ms of its 25 in a small call
    list. Our files hold no chart, and only a picture needs a hash (the report's): they load when first used.
    """
    from mitgliederarbeit.laufzeit import laden_ohne

    arbeitsmappe: Any = laden_ohne("xlsxwriter", _XLSXWRITER_UNGENUTZT).Workbook

    class Mappe(arbeitsmappe):  # type: ignore[misc]
        def add_worksheet(self, name: str | None = None, worksheet_class: Any = None) -> Any:
            return super().add_worksheet(name if name is None else blattname(name), worksheet_class)

    return Mappe


def _os_ursache(exc: BaseException) -> OSError | None:
    """The OS error behind an exception: itself, or the one a library wrapped (xlsxwriter's FileCreateError
    carries the OSError of a full disk as its argument)."""
    for kandidat in (exc, *getattr(exc, "args", ())[:1], exc.__cause__, exc.__context__):
        if isinstance(kandidat, OSError):
            return kandidat
    return None


def csv_zelle(value: object) -> str:
    """A cell for CSV: dates in German, and the OWASP guard against formula injection."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, (date, datetime)):
        return value.strftime("%d.%m.%Y")
    text = str(value)
    if text.startswith(_FORMELZEICHEN):
        return "'" + text
    return text


@dataclass
class Druck:
    """How a sheet prints (Excel and LibreOffice) when people fill it in by hand or read it on paper.

    Texts are plain; ``{seite}`` and ``{seiten}`` become the page number and the number of pages.
    """

    kopf: tuple[str, str, str] = ("", "", "")  # header: left, centre, right
    fuss: tuple[str, str, str] = ("", "Seite {seite} von {seiten}", "")  # footer: left, centre, right
    zeilenhoehe: float = 0  # points per data row (room to write by hand); 0: as the content needs
    raster: bool = True  # a thin border around every cell of the table
    # columns centred: short numbers that would otherwise touch their neighbour
    zentriert: frozenset[int] = frozenset()
    umbrechen: frozenset[int] = frozenset()  # columns whose longer texts wrap inside the cell
    querformat: bool = True


@dataclass
class Tabelle:
    """One sheet to write: header, rows, and what makes it pleasant in Excel."""

    name: str
    spalten: list[str]
    zeilen: Sequence[Sequence[object]]
    breiten: dict[int, float] = field(default_factory=dict)  # column index -> width; default from the content
    auswahl: dict[int, list[str]] = field(default_factory=dict)  # column index -> dropdown values
    text_zeilen: list[str] = field(default_factory=list)  # a plain text sheet (call script, data protection)
    versteckt: bool = False
    bilder: list[tuple[str, bytes]] = field(default_factory=list)  # text sheet: (caption, PNG) below the text
    datum_spalten: list[int] = field(
        default_factory=list
    )  # columns to fill with dates: date format and check
    markierungen: dict[tuple[int, int], str] = field(
        default_factory=dict
    )  # (row, column) -> a MARKIERUNGEN key
    druck: Druck | None = None  # print setup for paper; without it, a list prints with Excel's defaults


# Fill colours that mark a cell (a package's due and overdue steps); every sheet that uses them explains them.
MARKIERUNGEN = {"faellig": "#FFE699", "ueberfaellig": "#F4B6B6", "erfasst": "#D9EAD3"}


def _png_hoehe(png: bytes) -> float:
    """A PNG's height as Excel shows it (96 px per inch), honouring the resolution stored in the file."""
    height = int.from_bytes(png[20:24], "big")
    at = png.find(b"pHYs")
    if at > 0 and png[at + 12] == 1:  # pixels per metre
        dpi = int.from_bytes(png[at + 8 : at + 12], "big") * 0.0254
        if dpi > 0:
            return height * 96 / dpi
    return float(height)


def xlsx(
    path: Path,
    tabellen: Sequence[Tabelle],
    meta: dict[str, str] | None = None,
    *,
    ueberschreiben: bool = False,
    passwort: str | None = None,
) -> Path:
    """Write an xlsx: bold frozen header, filters, widths, text cells, optional hidden metadata sheet.

    ``passwort``: protected with it as Excel does (:func:`verschluesseln`); the plain workbook exists only in a
    private temp folder meanwhile, which a killed run's successor removes (:func:`arbeitsordner_temp`).
    """

    # xlsxwriter keeps every cell as a small object (a twentieth of the time of a 5,000-row call list)
    @ohne_gc()
    def write(tmp: Path) -> None:
        workbook = arbeitsmappe(tmp)
        workbook.set_properties({"created": datetime(2000, 1, 1)})
        formate = _Formate.fuer(workbook)
        for tabelle in tabellen:
            sheet = workbook.add_worksheet(tabelle.name)
            if tabelle.druck is not None:
                drucken = _textblatt_drucken if tabelle.text_zeilen else _liste_drucken
                drucken(workbook, sheet, tabelle, tabelle.druck)
                if tabelle.versteckt:
                    sheet.hide()
                continue
            if tabelle.text_zeilen:
                _textblatt(sheet, tabelle, formate)
            else:
                _tabellenblatt(sheet, tabelle, formate)
        if meta is not None:
            _metablatt(workbook, meta)
        workbook.close()

    if not passwort:
        return schreiben(path, write, ueberschreiben=ueberschreiben)
    kennwort = passwort

    def write_protected(tmp: Path) -> None:
        with arbeitsordner_temp("kennwort") as privat:
            klartext = privat / "klartext.xlsx"
            write(klartext)
            verschluesseln(klartext, tmp, kennwort)

    return schreiben(path, write_protected, ueberschreiben=ueberschreiben)


def verschluesseln(klartext: Path, ziel: Path, passwort: str) -> None:
    """Office's standard encryption (ECMA-376 agile), as Excel writes it with "Protect with password"."""
    from msoffcrypto.format.ooxml import OOXMLFile

    with klartext.open("rb") as quelle, ziel.open("wb") as aus:
        OOXMLFile(quelle).encrypt(passwort, aus)


@dataclass
class _Formate:
    """The cell formats of a workbook (xlsxwriter makes them per workbook)."""

    kopf: Any
    datum: Any
    umbruch: Any
    ueberschrift: Any
    markierung: dict[tuple[str, bool], Any]  # (MARKIERUNGEN key, holds a date) -> format

    @classmethod
    def fuer(cls, workbook: Any, basis: dict[str, Any] | None = None) -> _Formate:
        """The formats, each with ``basis`` (the font of a printed sheet) under its own properties."""
        basis = basis or {}
        markierung = {}
        for art, farbe in MARKIERUNGEN.items():
            for ist_datum in (False, True):
                eigenschaften: dict[str, Any] = {
                    **basis,
                    "bg_color": farbe,
                    "border": 1,
                    "border_color": "#BFBFBF",
                }
                if ist_datum:
                    eigenschaften.update(num_format="dd.mm.yyyy", align="left")
                else:
                    # a marked text stays in its cell (printed, in the middle of its row like the rest)
                    eigenschaften.update(text_wrap=True, valign=basis.get("valign", "top"))
                markierung[(art, ist_datum)] = workbook.add_format(eigenschaften)
        return cls(
            markierung=markierung,
            kopf=workbook.add_format(
                {
                    **basis,
                    "bold": True,
                    "bg_color": "#E7E6E6",
                    "border": 1,
                    "text_wrap": True,
                    "valign": "top",
                }
            ),
            datum=workbook.add_format({**basis, "num_format": "dd.mm.yyyy", "align": "left"}),
            umbruch=workbook.add_format({**basis, "text_wrap": True, "valign": "top"}),
            ueberschrift=workbook.add_format({**basis, "bold": True, "font_size": 13}),
        )


def _textblatt(sheet: Any, tabelle: Tabelle, formate: _Formate) -> None:
    """A sheet of text lines (call script, data protection), the first as a heading, then the pictures."""
    sheet.set_column(0, 0, 100, formate.umbruch)
    for r, line in enumerate(tabelle.text_zeilen):
        fmt = formate.ueberschrift if r == 0 else formate.umbruch
        sheet.write_string(r, 0, line, fmt)
    row = len(tabelle.text_zeilen) + 1
    for caption, png in tabelle.bilder:  # charts of the report
        sheet.write_string(row, 0, caption, formate.ueberschrift)
        sheet.insert_image(row + 1, 0, f"diagramm-{row}.png", {"image_data": io.BytesIO(png)})
        row += 3 + int(_png_hoehe(png) / 20)  # default rows are 20 px high


def _tabellenblatt(sheet: Any, tabelle: Tabelle, formate: _Formate) -> None:
    """A table: header, cells, widths, dropdowns, frozen header, filter, print setup."""
    for c, header in enumerate(tabelle.spalten):
        sheet.write_string(0, c, header, formate.kopf)
    widths = _zellen(sheet, tabelle, formate)
    _breiten(sheet, tabelle, widths)
    last_row = max(len(tabelle.zeilen), 1)
    # the wrapped lines of a marked text, each visible (not every program sizes rows itself)
    for r, texte in _markieren(sheet, tabelle, formate, max(last_row, 1000)).items():
        linien = max(text.count("\n") + 1 for _, text in texte)
        if linien > 1:
            sheet.set_row(r, 15 * linien)
    _auswahllisten(sheet, tabelle, last_row)
    sheet.freeze_panes(1, 0)
    # printed, a list must fit the page width and repeat its header on every page
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0)
    if len(tabelle.spalten) > 6:
        sheet.set_landscape()
    if tabelle.spalten:
        sheet.autofilter(0, 0, last_row, len(tabelle.spalten) - 1)
    if tabelle.versteckt:
        sheet.hide()


def _zellen(sheet: Any, tabelle: Tabelle, formate: _Formate) -> list[int]:
    """Write the rows; returns the width each column's content asks for."""
    widths = [len(h) + 2 for h in tabelle.spalten]
    # columns with a width of their own need no measuring: call lists have thousands of rows
    messen = [c not in tabelle.breiten for c in range(len(widths))]
    write_string, write_number = sheet.write_string, sheet.write_number
    for r, zeile in enumerate(tabelle.zeilen, start=1):
        for c, value in enumerate(zeile):
            if value is None or value == "":
                continue
            typ = type(value)
            if (typ is str or typ is int) and c < len(messen) and not messen[c]:
                if typ is str:
                    write_string(r, c, value)
                else:
                    write_number(r, c, value)
                continue
            length = _zelle(sheet, r, c, value, formate)
            if c < len(widths) and length + 2 > widths[c]:
                widths[c] = length + 2
    return widths


def _zelle(sheet: Any, r: int, c: int, value: object, formate: _Formate) -> int:
    """Write one cell by its type (never as a formula); returns the width it needs."""
    if isinstance(value, bool):
        sheet.write_string(r, c, "ja" if value else "nein")
        return 4
    if isinstance(value, (int, float)):
        sheet.write_number(r, c, value)
        return len(str(value))
    if isinstance(value, (date, datetime)):
        moment = value if isinstance(value, datetime) else datetime(value.year, value.month, value.day)
        sheet.write_datetime(r, c, moment, formate.datum)
        return 10
    text = str(value)
    sheet.write_string(r, c, text)
    return min(len(text), 60)


def _breiten(sheet: Any, tabelle: Tabelle, widths: list[int]) -> None:
    lines = 1
    for c, width in enumerate(widths):
        final = tabelle.breiten.get(c, min(max(width, 8), 62))
        sheet.set_column(c, c, final)
        if c < len(tabelle.spalten):
            lines = max(lines, -(-len(tabelle.spalten[c]) // max(int(final) - 1, 1)))
    if lines > 1:  # a header wider than its column wraps: give it the lines it needs
        sheet.set_row(0, 15 * min(lines, 4))


def _auswahllisten(sheet: Any, tabelle: Tabelle, last_row: int) -> None:
    for c, values in tabelle.auswahl.items():
        sheet.data_validation(
            1,
            c,
            max(last_row, 1000),
            c,
            {
                "validate": "list",
                "source": values,
                "ignore_blank": True,
                "error_type": "warning",
                "error_title": "Unbekannter Wert",
                "error_message": "Bitte einen Wert aus der Liste wählen.",
            },
        )


def _markieren(
    sheet: Any, tabelle: Tabelle, formate: _Formate, bis: int, breiten: Sequence[float] = ()
) -> dict[int, list[tuple[int, str]]]:
    """Date columns (a date format and a check that warns about anything else) and fill colours of marked cells.

    Both write paths, the screen's and the printed one, mark cells here. ``breiten``: the widths of the columns
    (else the table's own, or 12). Returns the marked texts (column, text) by sheet row: the caller gives each row
    the lines its texts need.
    """
    for c in tabelle.datum_spalten:
        breite = breiten[c] if c < len(breiten) else tabelle.breiten.get(c, 12)
        sheet.set_column(c, c, breite, formate.datum)
        sheet.data_validation(
            1,
            c,
            bis,
            c,
            {
                "validate": "date",
                "criteria": ">=",
                "value": datetime(2000, 1, 1),
                "ignore_blank": True,
                "error_type": "warning",
                "error_title": "Kein Datum",
                "error_message": "Bitte ein Datum eintragen, z. B. 03.05.2026.",
            },
        )
    texte: dict[int, list[tuple[int, str]]] = {}
    for (r, c), art in tabelle.markierungen.items():
        value = tabelle.zeilen[r][c] if c < len(tabelle.zeilen[r]) else None
        # a marked empty cell of a date column shows the date typed into it as a date
        fmt = formate.markierung[(art, isinstance(value, date) or c in tabelle.datum_spalten)]
        if isinstance(value, date):
            moment = value if isinstance(value, datetime) else datetime(value.year, value.month, value.day)
            sheet.write_datetime(r + 1, c, moment, fmt)
        elif value is None or value == "":
            sheet.write_blank(r + 1, c, None, fmt)
        else:
            sheet.write_string(r + 1, c, str(value), fmt)
            texte.setdefault(r + 1, []).append((c, str(value)))
    return texte


def _metablatt(workbook: Any, meta: dict[str, str]) -> None:
    """The hidden sheet that lets ``import`` recognize our own files."""
    sheet = workbook.add_worksheet(META_BLATT)
    for r, (key, value) in enumerate(meta.items()):
        sheet.write_string(r, 0, key)
        sheet.write_string(r, 1, value)
    sheet.hide()


# Printed sheets use Arial (Liberation Sans in LibreOffice: the same widths), so the row heights estimated here
# hold in Excel and LibreOffice alike.
_DRUCK_SCHRIFT = {"font_name": "Arial", "font_size": 10}
_ZEILE_PT = 13.0  # one line of Arial 10 pt
# Arial 10 pt characters of German text per unit of column width (a little less than measured, to be safe)
_ZEICHEN_JE_BREITE = 1.05


def _kopf_fuss(teile: tuple[str, str, str]) -> str:
    """An Excel header or footer from three plain texts (``&`` escaped, page fields, within Excel's 255 chars)."""
    codes = []
    for code, text in zip(("&L", "&C", "&R"), teile):
        if text:
            text = text[:80].replace("&", "&&").replace("{seite}", "&P").replace("{seiten}", "&N")
            codes.append(code + text)
    return "".join(codes)


def _zeilen_noetig(text: str, breite: float) -> int:
    """How many lines ``text`` wraps to in a column ``breite`` wide (Arial 10 pt), counting its own breaks."""
    je_zeile = max(int(breite * _ZEICHEN_JE_BREITE), 1)
    return sum(max(-(-len(teil) // je_zeile), 1) for teil in text.split("\n"))


def _seite_einrichten(sheet: Any, druck: Druck) -> None:
    sheet.set_paper(9)  # A4
    if druck.querformat:
        sheet.set_landscape()
    else:
        sheet.set_portrait()
    sheet.fit_to_pages(1, 0)  # the page width, as many pages down as needed
    sheet.set_margins(left=0.4, right=0.4, top=0.8, bottom=0.7)
    if any(druck.kopf):
        sheet.set_header(_kopf_fuss(druck.kopf), {"margin": 0.3})
    if any(druck.fuss):
        sheet.set_footer(_kopf_fuss(druck.fuss), {"margin": 0.3})


def _textblatt_drucken(workbook: Any, sheet: Any, tabelle: Tabelle, druck: Druck) -> None:
    """A text sheet (call script, data protection) that prints wrapped to the page with no line cut or overlapping."""
    # LibreOffice does not shrink a single column to the page width: 72 fits A4 portrait even where it measures
    # columns in a font wider than Excel's (the text then wraps earlier, and the row heights below allow for it).
    breite = 72.0
    wrap = workbook.add_format({**_DRUCK_SCHRIFT, "text_wrap": True, "valign": "top"})
    heading = workbook.add_format({**_DRUCK_SCHRIFT, "bold": True, "font_size": 13, "valign": "top"})
    sheet.set_column(0, 0, breite, wrap)
    for r, line in enumerate(tabelle.text_zeilen):
        if r == 0:
            sheet.write_string(r, 0, line, heading)
            sheet.set_row(r, 22)
            continue
        if line:
            sheet.write_string(r, 0, line, wrap)
        sheet.set_row(r, _ZEILE_PT * _zeilen_noetig(line, breite) + 3)
    sheet.hide_gridlines(2)
    sheet.print_area(0, 0, max(len(tabelle.text_zeilen) - 1, 0), 0)
    _seite_einrichten(sheet, druck)


def _liste_drucken(workbook: Any, sheet: Any, tabelle: Tabelle, druck: Druck) -> None:
    """A list filled in by hand on paper: a bordered grid, rows with room to write, header and footer."""
    basis = {**_DRUCK_SCHRIFT, "valign": "vcenter"}
    formate = _Formate.fuer(workbook, basis)
    kopf_fmt = workbook.add_format(
        {**basis, "bold": True, "bg_color": "#E7E6E6", "text_wrap": True, "border": 1}
    )
    anzahl = len(tabelle.spalten)
    breiten = [float(tabelle.breiten.get(c, max(len(h) + 2, 8))) for c, h in enumerate(tabelle.spalten)]
    datum_spalten = {
        c for zeile in tabelle.zeilen[:1] for c, v in enumerate(zeile) if isinstance(v, (date, datetime))
    } | set(tabelle.datum_spalten)
    # The frame and alignment are column formats: every cell written without a format of its own takes them, and
    # so do the empty cells to fill in (xlsxwriter, Excel and LibreOffice alike) - thousands of rows stay fast.
    spalten_fmt = []
    for c, header in enumerate(tabelle.spalten):
        ausrichtung: dict[str, object] = {"align": "center" if c in druck.zentriert else "left"}
        if c in druck.umbrechen:
            ausrichtung["text_wrap"] = True
        zahlen = {"num_format": "dd.mm.yyyy"} if c in datum_spalten or header == "Datum" else {}
        spalten_fmt.append(workbook.add_format({**basis, **ausrichtung, **zahlen}))
        sheet.set_column(c, c, breiten[c], spalten_fmt[c])
        sheet.write_string(0, c, header, kopf_fmt)
    kopf_zeilen = (
        max(_zeilen_noetig(h, breiten[c] - 1) for c, h in enumerate(tabelle.spalten)) if anzahl else 1
    )
    sheet.set_default_row(druck.zeilenhoehe or _ZEILE_PT + 4)
    sheet.set_row(0, _ZEILE_PT * min(kopf_zeilen, 4) + 4)
    write_string, write_number, write_datetime = sheet.write_string, sheet.write_number, sheet.write_datetime
    for r, zeile in enumerate(tabelle.zeilen, start=1):
        for c, value in enumerate(zeile):
            if value is None or value == "":
                continue
            typ = type(value)
            if typ is str:
                write_string(r, c, value)
            elif typ is int or typ is float:
                write_number(r, c, value)
            elif isinstance(value, bool):
                write_string(r, c, "ja" if value else "nein")
            elif isinstance(value, datetime):
                write_datetime(r, c, value)
            elif isinstance(value, date):
                write_datetime(r, c, datetime(value.year, value.month, value.day))
            else:
                write_string(r, c, str(value))
    last_row = max(len(tabelle.zeilen), 1)
    # the same date columns, date checks and coloured cells as on screen, in the printed font; the grid rule below
    # frames the coloured cells like the rest
    texte = _markieren(sheet, tabelle, formate, max(last_row, 1000), breiten)
    _zeilen_hoehen(sheet, tabelle, druck, breiten, texte)
    _auswahllisten(sheet, tabelle, last_row)
    sheet.freeze_panes(1, 0)
    sheet.repeat_rows(0)
    if anzahl:
        sheet.autofilter(0, 0, last_row, anzahl - 1)
        sheet.print_area(0, 0, last_row, anzahl - 1)
        if druck.raster:
            # The frame of every cell of the table, the empty ones to fill in too, as one rule for the whole range:
            # cell by cell it would cost a format per cell; as a column format it would run on below the table.
            rahmen = workbook.add_format({"border": 1, "border_color": "#808080"})
            sheet.conditional_format(
                1, 0, last_row, anzahl - 1, {"type": "formula", "criteria": "=TRUE", "format": rahmen}
            )
    _seite_einrichten(sheet, druck)


def _zeilen_hoehen(
    sheet: Any, tabelle: Tabelle, druck: Druck, breiten: list[float], texte: dict[int, list[tuple[int, str]]]
) -> None:
    """Rows whose wrapped texts need more lines than the row has room for grow to show every line.

    Neither Excel nor LibreOffice sizes a row of a fixed height to its text: a longer note or due text would be
    cut off on paper.
    """
    hoehe = druck.zeilenhoehe or _ZEILE_PT + 4
    noetig: dict[int, list[tuple[int, str]]] = {r: list(t) for r, t in texte.items()}
    for c in druck.umbrechen:
        if c >= len(breiten):
            continue
        je_zeile = (breiten[c] - 1) * _ZEICHEN_JE_BREITE
        for r, zeile in enumerate(tabelle.zeilen, start=1):
            value = zeile[c] if c < len(zeile) else None
            if isinstance(value, str) and (len(value) > je_zeile or "\n" in value):
                noetig.setdefault(r, []).append((c, value))
    for r, zellen in noetig.items():
        linien = max((_zeilen_noetig(t, breiten[c] - 1) for c, t in zellen if c < len(breiten)), default=1)
        if _ZEILE_PT * linien + 4 > hoehe:
            sheet.set_row(r, _ZEILE_PT * linien + 4)


def csv_datei(
    path: Path, spalten: Sequence[str], zeilen: Sequence[Sequence[object]], *, ueberschreiben: bool = False
) -> Path:
    """CSV as German Excel opens it: UTF-8 with BOM, ``;`` delimiter, formula guard."""

    def write(tmp: Path) -> None:
        buffer = io.StringIO()
        out = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
        out.writerow([csv_zelle(s) for s in spalten])
        for row in zeilen:
            out.writerow([csv_zelle(v) for v in row])
        tmp.write_text(buffer.getvalue(), encoding="utf-8-sig")

    return schreiben(path, write, ueberschreiben=ueberschreiben)


def tabelle_schreiben(path: Path, tabelle: Tabelle, *, ueberschreiben: bool = False) -> Path:
    """Write one table as xlsx or csv, by the file's extension."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return csv_datei(path, tabelle.spalten, tabelle.zeilen, ueberschreiben=ueberschreiben)
    if suffix == ".xlsx":
        return xlsx(path, [tabelle], ueberschreiben=ueberschreiben)
    raise MitgliederError(f"{path.name}: bitte als .xlsx oder .csv speichern.")
