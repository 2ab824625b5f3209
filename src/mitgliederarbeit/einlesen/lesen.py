"""Reading spreadsheets: xlsx, xlsm, xls, ods (python-calamine) and csv/txt (any common encoding and delimiter).

The reader knows nothing about members: it returns the cells of one sheet as rows, plus the hidden metadata
sheet our own outputs carry. Files are recognized by their bytes, not their extension.

Two readers, one result for an import: :func:`read` (the row reader) makes a Python object of every cell;
:func:`read_spaltenweise` (the column reader) reads csv and xlsx files column-wise into a polars frame of text
(no Python object per cell) and gives up (None) whenever it cannot promise exactly the text of the cells
:func:`read` would give. :func:`tabelle_aus_zeilen` makes that same frame from the row reader's cells.
:func:`read_fuer_import` reads with the reader :func:`leser_fuer` chooses.
"""

from __future__ import annotations

import csv
import html
import io
import posixpath
import re
import threading
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from mitgliederarbeit.einlesen import normalisieren
from mitgliederarbeit.errors import EingabeFehler

META_BLATT = "_mitgliederarbeit"  # hidden sheet in every spreadsheet we write that may come back
_MAX_UNPACKED = 4 * 1024**3  # a 400k-row export unpacks to well under 1 GB; more is a zip bomb
_MAX_RATIO = 400
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")


@dataclass
class Blatt:
    """One sheet's cells. ``rows[i]`` is spreadsheet row ``i + 1``."""

    datei: Path
    name: str
    rows: list[list[object]]
    meta: dict[str, str] = field(default_factory=dict)  # from the hidden metadata sheet, if any
    blaetter: list[str] = field(default_factory=list)  # all visible sheet names of the workbook
    format: str = "csv"
    # a polars DataFrame of text when read column-wise (read_spaltenweise); ``rows`` then holds only the first
    # KOPF_ZEILEN rows
    tabelle: Any = None


def _kind(path: Path, head: bytes) -> str:
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if head.startswith(b"%PDF"):
        raise EingabeFehler(
            f"{path.name}: das ist ein PDF, keine Tabelle.",
            hint="Bitte den Export als Excel-Datei (xlsx) oder CSV speichern.",
        )
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "utf16"
    if b"\x00" in head[:4096]:
        raise EingabeFehler(
            f"{path.name}: keine Tabelle (die Datei enthält Binärdaten).",
            hint="Erwartet wird eine Excel-Datei (xlsx, xls, ods) oder eine CSV-Datei.",
        )
    return "text"


def _check_zip(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
            packed = sum(info.compress_size for info in archive.infolist()) or 1
    except (zipfile.BadZipFile, OSError):
        raise EingabeFehler(
            f"{path.name}: die Datei ist beschädigt oder unvollständig (kein gültiges ZIP/xlsx).",
            hint="Bitte den Export erneut herunterladen oder in Excel öffnen und neu speichern.",
        ) from None
    if "word/document.xml" in names:
        raise EingabeFehler(
            f"{path.name}: das ist ein Word-Dokument, keine Tabelle.",
            hint="Bitte die Excel- oder CSV-Datei des Exports angeben.",
        )
    if "xl/workbook.xml" not in names and "content.xml" not in names:
        raise EingabeFehler(
            f"{path.name}: das ZIP-Archiv enthält keine Tabelle.",
            hint="Erwartet wird eine Excel-Datei (xlsx) oder eine OpenDocument-Tabelle (ods).",
        )
    if unpacked > _MAX_UNPACKED or (unpacked > 100 * 1024**2 and unpacked / packed > _MAX_RATIO):
        raise EingabeFehler(
            f"{path.name}: die Datei entpackt sich auf ungewöhnlich große Datenmengen und wird "
            "aus Sicherheitsgründen nicht gelesen.",
            hint="Bitte den Export in Excel öffnen und neu speichern.",
        )
    return "ods" if "content.xml" in names else "xlsx"


def _head(path: Path) -> bytes:
    """The first bytes of the file, or the German error for a missing, unreadable or empty file."""
    try:
        with path.open("rb") as handle:
            head = handle.read(8192)
    except FileNotFoundError:
        raise EingabeFehler(f"{path}: Datei nicht gefunden.") from None
    except IsADirectoryError:
        raise EingabeFehler(f"{path}: das ist ein Ordner, keine Datei.") from None
    except OSError as exc:
        raise EingabeFehler(f"{path}: kann nicht gelesen werden ({exc.strerror}).") from None
    if not head:
        raise EingabeFehler(
            f"{path.name}: die Datei ist leer.", hint="Bitte den Export erneut herunterladen."
        )
    return head


def _keine_blaetter(path: Path) -> EingabeFehler:
    return EingabeFehler(f"{path.name}: eine CSV-Datei hat keine Blätter; --blatt passt hier nicht.")


def _keine_daten(path: Path) -> EingabeFehler:
    return EingabeFehler(f"{path.name}: die Datei enthält keine Daten.")


Leser = Literal["zeilen", "spalten"]

# From this file size on, a sheet is read column-wise; below, loading polars and fastexcel costs more than it
# saves, and an error file keeps the cells as they were typed (dates, numbers).
SPALTENWEISE_AB_BYTES = 1_000_000


def leser_fuer(path: Path) -> Leser:
    """The reader for an import of ``path``: by its size."""
    try:
        gross = path.stat().st_size >= SPALTENWEISE_AB_BYTES
    except OSError:
        gross = False  # read() says what is wrong with the file
    return "spalten" if gross else "zeilen"


def read_fuer_import(path: Path, blatt: str | None, leser: Leser) -> Blatt:
    """One sheet for an import: column-wise where ``leser`` says so and the column reader takes the file."""
    if leser == "spalten":
        sheet = read_spaltenweise(path, blatt)
        if sheet is not None:
            return sheet
    return read(path, blatt)


def tabelle_aus_zeilen(rows: Sequence[Sequence[object]]) -> Any:
    """The frame :func:`read_spaltenweise` gives, from the row reader's cells: columns "0", "1", ... of the
    cells' text (``normalisieren.text``), None beyond a short row."""
    import polars as pl

    breite = max(map(len, rows), default=0)
    spalten = {
        str(col): pl.Series(
            [normalisieren.text(row[col]) if col < len(row) else None for row in rows], dtype=pl.String
        )
        for col in range(breite)
    }
    return pl.DataFrame(spalten, schema={name: pl.String for name in spalten}) if spalten else pl.DataFrame()


def read(path: Path, blatt: str | None = None) -> Blatt:
    """Read one sheet of a spreadsheet or csv file as rows of cell values."""
    head = _head(path)
    kind = _kind(path, head)
    if kind == "zip":
        return _read_workbook(path, blatt, _check_zip(path))
    if kind == "ole":
        data = path.read_bytes()
        if _ENCRYPTED in data:
            raise EingabeFehler(
                f"{path.name}: die Datei ist mit einem Passwort geschützt.",
                hint="Bitte in Excel öffnen, den Kennwortschutz entfernen (Datei > Informationen > "
                "Arbeitsmappe schützen) und ohne Kennwort speichern.",
            )
        return _read_workbook(path, blatt, "xls")
    if blatt:
        raise _keine_blaetter(path)
    return _read_text(path, path.read_bytes(), kind)


def _cell(value: object) -> object:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _open_workbook(path: Path, blatt: str | None, fmt: str) -> tuple[Any, list[str], dict[str, str]]:
    """The calamine workbook, the names of the sheets to read (the first is read) and the metadata sheet."""
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for every broken file
        text = str(exc).lower()
        if "password" in text or "encrypt" in text:
            raise EingabeFehler(
                f"{path.name}: die Datei ist mit einem Passwort geschützt.",
                hint="Bitte den Kennwortschutz in Excel entfernen und neu speichern.",
            ) from None
        raise EingabeFehler(
            f"{path.name}: die Datei ist beschädigt oder kein lesbares {fmt}.",
            hint="Bitte in Excel oder LibreOffice öffnen und neu speichern.",
        ) from None
    visible = [
        s.name
        for s in workbook.sheets_metadata
        if str(s.visible).lower().endswith("visible") and "hidden" not in str(s.visible).lower()
    ]
    all_names = list(workbook.sheet_names)
    meta: dict[str, str] = {}
    if META_BLATT in all_names:
        try:
            for row in workbook.get_sheet_by_name(META_BLATT).to_python(skip_empty_area=False):
                if len(row) >= 2 and row[0] not in (None, ""):
                    meta[str(row[0]).strip()] = "" if row[1] is None else str(row[1]).strip()
        except Exception:  # a damaged metadata sheet only means we treat the file as a plain export
            meta = {}
    if blatt is not None:
        if blatt not in all_names:
            raise EingabeFehler(
                f"{path.name}: es gibt kein Blatt „{blatt}“. Vorhanden: {', '.join(visible or all_names)}."
            )
        names = [blatt]
    else:
        names = [n for n in (visible or all_names) if n != META_BLATT]
    if not names:
        raise EingabeFehler(f"{path.name}: die Arbeitsmappe enthält kein Blatt.")
    return workbook, names, meta


def _read_workbook(path: Path, blatt: str | None, fmt: str) -> Blatt:
    workbook, names, meta = _open_workbook(path, blatt, fmt)
    try:
        # _cell, inlined: this runs for every cell of exports with hundreds of thousands of rows
        rows: list[list[object]] = [
            [(v.strip() or None) if isinstance(v, str) else v for v in row]
            for row in workbook.get_sheet_by_name(names[0]).to_python(skip_empty_area=False)
        ]
    except Exception:
        raise EingabeFehler(
            f"{path.name}: das Blatt „{names[0]}“ ist beschädigt und kann nicht gelesen werden.",
            hint="Bitte in Excel oder LibreOffice öffnen und neu speichern.",
        ) from None
    return Blatt(datei=path, name=names[0], rows=rows, meta=meta, blaetter=names, format=fmt)


def read_sheet(path: Path, name: str) -> list[list[object]]:
    """Another sheet of a workbook already read with :func:`read` (for multi-sheet call lists)."""
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_path(str(path))
    return [
        [_cell(v) for v in row] for row in workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
    ]


_PROBE = 1 << 16  # bytes looked at first: a Windows-1252 file shows an umlaut long before the end


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) or, failing that, Windows-1252 (what German Excel writes)."""
    if data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff"):
        return data.decode("utf-16")
    anfang = data[3 if data.startswith(b"\xef\xbb\xbf") else 0 : _PROBE]
    try:
        anfang.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.end < len(anfang):  # not a character cut off by the sample's end: not UTF-8 (known at once)
            return data.decode("cp1252", errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def sniff_delimiter(lines: Sequence[str]) -> str:
    """The delimiter that splits the most lines into the same, largest number of fields."""
    best, best_score = ";", (-1, -1)
    for delimiter in (";", "\t", ",", "|"):
        counts = [len(next(csv.reader([line], delimiter=delimiter))) for line in lines if line.strip()]
        if not counts:
            continue
        widest = max(counts)
        if widest < 2:
            continue
        # lines agreeing on the most common width; a title line above the header does not spoil it
        common = max(set(counts), key=lambda c: (counts.count(c), c))
        score = (counts.count(common) if common > 1 else 0, common)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _csv_fehler(path: Path, exc: csv.Error, zeile: int | None) -> EingabeFehler:
    """The csv module's English message in German, with the line where it stopped."""
    wo = f", Zeile {zeile}" if zeile else ""
    if "field larger than field limit" in str(exc):
        grenze = f"{csv.field_size_limit():_}".replace("_", ".")
        return EingabeFehler(
            f"{path.name}{wo}: ein Feld ist länger als {grenze} Zeichen.",
            hint="So lang ist kein Eintrag einer Mitgliederliste: meist fehlt in dieser Zeile oder darüber ein "
            "schließendes Anführungszeichen. Bitte die Datei prüfen oder als xlsx exportieren.",
        )
    return EingabeFehler(
        f"{path.name}{wo}: die CSV-Datei ist fehlerhaft und kann nicht gelesen werden.",
        hint="Bitte die Datei prüfen oder als xlsx exportieren.",
    )


def _lange_zeile(zeilen: list[str]) -> int | None:
    """The first line long enough to hold a field over the csv module's limit (1-based)."""
    return next((i for i, z in enumerate(zeilen, 1) if len(z) > csv.field_size_limit()), None)


def _read_text(path: Path, data: bytes, kind: str) -> Blatt:
    text = decode(data)
    sample = text.splitlines()[:60]
    reader = None
    try:
        delimiter = sniff_delimiter(sample)  # the csv module may already fail here (a field over its limit)
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        rows: list[list[object]] = [
            [v.strip() or None for v in row] for row in reader
        ]  # _cell: only str here
    except csv.Error as exc:
        raise _csv_fehler(path, exc, reader.line_num if reader else _lange_zeile(sample)) from None
    if not any(any(c is not None for c in row) for row in rows):
        raise _keine_daten(path)
    return Blatt(datei=path, name="", rows=rows, format="csv")


# ---------------------------------------------------------------------------------------------------------------
# Column-wise: the whole sheet as a polars frame of text, for exports with hundreds of thousands of rows

KOPF_ZEILEN = 60  # rows kept as Python lists for header and file-kind detection

# What str.strip() removes: every code point for which str.isspace() is true (a test checks this against all of
# Unicode). polars' strip_chars() without an argument strips another set (not \x1c-\x1f, for one).
_WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
    "\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_MAX_NACHGELESEN = 10_000  # csv lines with quoting polars may read differently, re-read with the csv module


def read_spaltenweise(path: Path, blatt: str | None = None) -> Blatt | None:
    """The whole sheet as a polars frame of text, or None when only read() can read this file exactly.

    ``tabelle`` row ``j`` is ``read(path).rows[j]`` (file row ``j + 1``), every cell is ``normalisieren.text()`` of
    read()'s cell, None beyond a short row; columns are "0", "1", ... up to the widest row. ``rows`` holds the
    first KOPF_ZEILEN rows. Broken, encrypted and empty files raise the same
    EingabeFehler as read(). None for xls, ods, utf-16 and whatever polars or fastexcel might read differently.
    """
    head = _head(path)
    kind = _kind(path, head)
    if kind == "zip":
        fmt = _check_zip(path)
        return _workbook_spaltenweise(path, blatt) if fmt == "xlsx" else None
    if kind == "ole":
        return None  # xls, and the password check with it, only through read()
    if blatt:
        raise _keine_blaetter(path)
    if kind != "text":
        return None  # utf-16
    return _text_spaltenweise(path, path.read_bytes())


def _blatt(path: Path, tabelle: Any, **felder: Any) -> Blatt:
    rows: list[list[object]] = [list(row) for row in tabelle.head(KOPF_ZEILEN).iter_rows()]
    return Blatt(datei=path, rows=rows, tabelle=tabelle, **felder)


def _stripped(cells: Any) -> Any:
    """A polars expression: text cells as read() leaves a str, stripped like str.strip() and empty -> None."""
    return cells.str.strip_chars(_WHITESPACE).replace("", None)


# ---- csv ------------------------------------------------------------------------------------------------------


_EINZELNES_CR = re.compile(rb"\r(?!\n)")


def _text_spaltenweise(path: Path, data: bytes) -> Blatt | None:
    import polars as pl

    # the csv module also ends a line at a lone \r, polars does not; a NUL makes read() fail. (Counted in the
    # bytes: in UTF-8 and Windows-1252 these characters are these bytes and no others, and bytes count faster.)
    if b"\x00" in data or _EINZELNES_CR.search(data):
        return None
    text = decode(data)
    try:
        frame = _csv_frame(text, sniff_delimiter(_first_lines(text, 60)))
    except Exception:  # polars' or the csv module's complaint: read() decides (and words the error)
        return None
    if frame is None:
        return None
    frame = frame.select(_stripped(pl.all()))
    if frame.height == 0 or all(nulls == frame.height for nulls in frame.null_count().row(0)):
        raise _keine_daten(path)
    return _blatt(path, frame, name="", format="csv")


def _first_lines(text: str, count: int) -> list[str]:
    """``text.splitlines()[:count]`` without splitting the whole text."""
    size = 1 << 16
    while True:
        lines = text[:size].splitlines()
        # more lines than needed: the last one wanted ended inside the prefix
        if len(lines) > count or size >= len(text):
            return lines[:count]
        size *= 4


def _csv_frame(text: str, delimiter: str) -> Any:
    """The csv cells as read() sees them before stripping, or None."""
    import polars as pl

    raw = text.encode("utf-8")
    quote = '"' if '"' in text else None
    patches: list[tuple[int, list[str]]] = []
    drop: list[int] = []
    if quote:
        # polars quotes like the csv module only where a field is quoted from its first to its last character;
        # lines with any other quote go through the csv module
        lines = _lines(raw)
        odd = lines.str.contains('"', literal=True) & ~lines.str.contains(_wellformed(delimiter))
        bad = odd.fill_null(False).arg_true().to_list()
        if bad:
            reread = _reread(text, delimiter, bad, lines.len())
            if reread is None:
                return None
            raw, patches, drop = reread
    expected = raw.count(b"\n") + (0 if raw.endswith(b"\n") else 1)
    widest_patch = max((len(record) for _, record in patches), default=0)
    width = max(_sample_width(text, delimiter), widest_patch, 1)
    try:
        frame = _read_csv(raw, delimiter, quote, width)
    except pl.exceptions.PolarsError:
        # a row further down is wider than the first ones: count every line's fields and read again
        wider = max(_widest(raw, delimiter, quote), widest_patch)
        if wider <= width:
            return None
        frame = _read_csv(raw, delimiter, quote, wider)
    if frame.height != expected:  # polars skipped or merged a line: never lose a row silently
        return None
    longest = frame.select(pl.all().str.len_bytes().max()).max_horizontal().item()
    if longest is not None and longest >= csv.field_size_limit():
        return None  # read() fails on such a field
    if patches:
        at = [line for line, _ in patches]
        frame = frame.with_columns(
            frame.get_column(name)
            .clone()
            .scatter(at, [record[k] if k < len(record) else None for _, record in patches])
            for k, name in enumerate(frame.columns)
        )
    if drop:
        frame = frame.filter(~pl.int_range(pl.len()).is_in(drop))
    return frame


def _read_csv(raw: bytes, delimiter: str, quote: str | None, width: int) -> Any:
    import polars as pl

    # a schema as wide as the widest row: shorter rows get nulls, a wider row is an error (never cut off)
    return pl.read_csv(
        raw,
        has_header=False,
        separator=delimiter,
        quote_char=quote,
        infer_schema=False,
        schema={str(i): pl.String for i in range(width)},
        missing_columns="insert",
        truncate_ragged_lines=False,
    )


def _lines(raw: bytes) -> Any:
    """Every line as one string (polars, a NUL as separator: the text has none)."""
    import polars as pl

    return pl.read_csv(
        raw, has_header=False, separator="\x00", quote_char=None, infer_schema=False, schema={"l": pl.String}
    ).to_series()


def _wellformed(delimiter: str) -> str:
    """A line whose fields are each either without quotes or quoted from start to end (rust regex)."""
    sep = {"\t": r"\t", "|": r"\|"}.get(delimiter, delimiter)
    field = f'(?:"(?:[^"]|"")*"|[^"{sep}]*)'
    return f"^{field}(?:{sep}{field})*\\r?$"


def _sample_width(text: str, delimiter: str, lines: int = 200) -> int:
    """The widest of the first rows, read by the csv module."""
    end = -1
    for _ in range(lines):
        end = text.find("\n", end + 1)
        if end < 0:
            break
    sample = text if end < 0 else text[: end + 1]
    return max(
        (len(row) for row in csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)), default=0
    )


def _widest(raw: bytes, delimiter: str, quote: str | None) -> int:
    """The number of fields of the widest line (no line holds a quoted line break here)."""
    lines = _lines(raw)
    if quote:
        lines = lines.str.replace_all(r'"(?:[^"]|"")*"', "")
    count = lines.str.count_matches(delimiter, literal=True).max()
    return 0 if count is None else int(count) + 1


def _reread(
    text: str, delimiter: str, bad: list[int], line_count: int
) -> tuple[bytes, list[tuple[int, list[str]]], list[int]] | None:
    """Read the records starting at the ``bad`` lines with the csv module; blank their lines for polars.

    Returns the text for polars, the records by first line and the further lines of multi-line records.
    """
    pieces = text.split("\n")
    ends = text.endswith("\n")
    if ends:
        pieces.pop()
    if len(pieces) != line_count:
        return None
    patches: list[tuple[int, list[str]]] = []
    drop: list[int] = []
    until = 0
    for start in bad:
        if start < until:
            continue  # inside the record before
        taken = [0]
        record = next(csv.reader(_feed(pieces, start, ends, taken), delimiter=delimiter))
        until = start + taken[0]
        patches.append((start, record))
        drop.extend(range(start + 1, until))
        if len(patches) + len(drop) > _MAX_NACHGELESEN:
            return None
        for line in range(start, until):
            pieces[line] = ""  # an empty line: one row of nulls for polars, replaced by the record
    # every line ended: a text of nothing but blanked lines is still that many (empty) rows for polars
    return ("\n".join(pieces) + "\n").encode("utf-8"), patches, drop


def _feed(pieces: list[str], start: int, ends: bool, taken: list[int]) -> Iterator[str]:
    """The lines from ``start`` with their line end, counting how many the csv reader takes."""
    for line in range(start, len(pieces)):
        taken[0] += 1
        yield pieces[line] + "\n" if line < len(pieces) - 1 or ends else pieces[line]


# ---- xlsx -----------------------------------------------------------------------------------------------------

# fastexcel's text of a date cell (chrono's NaiveDateTime, milliseconds). text() writes the day German; below
# serial number 1 (fastexcel: before 1900) python-calamine gives the time of day instead (text(): "18:00:00")
_FX_DATUM = r"^([-+]?\d{4,})-(\d{2})-(\d{2}) (\d{2}:\d{2}:\d{2})(\.\d+)?$"
# a value other than a plain integer. In a number cell fastexcel rounds fractions to 9 places where text() uses
# repr, and writes exponents, -0, long numbers and nan its own way; such a cell is fine only where calamine made a
# date of it (then both give the date): its place is checked in fastexcel's frame. Error and formula-text cells
# are the same either way.
_XML_WERT = re.compile(rb"<v>(?!(?:-?[1-9]\d{0,14}|0)<)")
_XML_ZELLE_R = re.compile(rb"""\sr\s*=\s*["']([A-Z]{1,3})([1-9][0-9]{0,6})["']""")
_XML_ZELLE_T = re.compile(rb"""\st\s*=\s*["']([^"']*)["']""")
_XML_ISO_DATUM = re.compile(rb"""t\s*=\s*["']d["']""")  # ISO date cells: fastexcel passes the text through
_XML_TYP = re.compile(rb"""t\s*=\s*["'](b|inlineStr|str)["']""")  # booleans, text not in the shared strings
# a text cell fastexcel's text of a date cell would be taken for
_XML_DATUM_TEXT = re.compile(rb">[-+]?\d{4,}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?</")
# elapsed time ([h]:mm:ss, built-in 46): python-calamine gives a timedelta, fastexcel a date
_DAUER_FORMAT = re.compile(r"\[[^\]]*[hHmMsS]")


@dataclass
class _Befund:
    """What the raw xml of an xlsx sheet says about reading it through fastexcel's text of every cell."""

    sicher: bool = True  # no cell fastexcel writes other than text() would
    # number cells (column, rows; from 0) with a value fastexcel writes other than text(), unless they are dates
    daten: dict[int, list[int]] = field(default_factory=dict)
    wahrheitswerte: bool = False  # there are boolean cells ("true"/"false" from fastexcel)
    wahr_text: bool = False  # there are text cells "true"/"false"
    datum_text: bool = False  # there are text cells that look like fastexcel's dates


def _workbook_spaltenweise(path: Path, blatt: str | None) -> Blatt | None:
    gelesen = _fastexcel_lesen(path, blatt)
    if gelesen is None:
        return None
    frame, offset, befund, name, names, meta = gelesen
    dated = _datumsspalten(frame, befund, offset)
    if dated is None:
        return None
    return _blatt(
        path, _als_text(frame, befund, offset, dated), name=name, meta=meta, blaetter=names, format="xlsx"
    )


def _fastexcel_lesen(
    path: Path, blatt: str | None
) -> tuple[Any, int, _Befund, str, list[str], dict[str, str]] | None:
    """fastexcel's text of every cell of the sheet, the index of its first column, and what the scan of the
    sheet's xml found; None where fastexcel's text could differ from read()'s cells."""
    try:
        import fastexcel
    except ImportError:
        return None

    # fastexcel and the xml scan work without the GIL (rust, zlib) beside python-calamine and each other
    reader: list[Any] = [None]
    opening = threading.Thread(target=_run, args=(reader, fastexcel.read_excel, str(path)), daemon=True)
    opening.start()
    try:
        sheets = _sheets_xlsx(path, blatt)
        names, meta = (sheets, {}) if sheets is not None else _open_workbook(path, blatt, "xlsx")[1:]
    finally:
        opening.join()
    name = names[0]
    befund: list[Any] = [None]
    scan = threading.Thread(target=_run, args=(befund, _scan_xlsx, path, name), daemon=True)
    scan.start()
    try:
        # header_row=None with skip_rows=0 keeps leading empty rows: frame row j is sheet row j + 1
        sheet = reader[0].load_sheet(name, header_row=None, skip_rows=0, dtypes="string")
        columns = sheet.available_columns()
        frame = sheet.to_polars()
    except Exception:
        return None
    finally:
        scan.join()
    result: _Befund | None = befund[0]
    if result is None or not result.sicher or not columns or frame.height == 0:
        return None
    if result.wahrheitswerte and result.wahr_text:
        return None  # a text "true" and a boolean cell would both come as "true"
    # fastexcel leaves out empty columns on the left, python-calamine starts at column A
    offset = columns[0].absolute_index
    if [c.absolute_index for c in columns] != list(range(offset, offset + len(columns))):
        return None
    return frame, offset, result, name, names, meta


def _datumsspalten(frame: Any, befund: _Befund, offset: int) -> list[str] | None:
    """The columns holding fastexcel's text of a date cell; None where some cell's text could be read()'s
    otherwise (a fraction in a number cell that is no date, text that looks like a date, a year past 9999)."""
    import polars as pl

    frame = frame.select(pl.all().cast(pl.String))
    for column, rows in befund.daten.items():
        # a fraction (or the like) in a number cell: fine only as a date (a datetime: both give the day)
        if not offset <= column < offset + frame.width or max(rows) >= frame.height:
            return None
        cells = frame.get_column(frame.columns[column - offset]).gather(rows)
        # just below 1 python-calamine gives a time, while fastexcel may round up to the first day
        dates = cells.str.contains(_FX_DATUM) & ~cells.str.starts_with("1900-01-01 00:00:00")
        if not dates.fill_null(False).all():
            return None
    looks_dated = frame.select(pl.all().str.contains(_FX_DATUM).any()).row(0)
    dated = [column for column, has in zip(frame.columns, looks_dated) if has]
    if dated:
        if befund.datum_text:
            return None  # a text cell could look like a date cell
        if frame.select(pl.any_horizontal(_fx_fremd(pl.col(c)) for c in dated).any()).item():
            return None
    return dated


def _als_text(frame: Any, befund: _Befund, offset: int, dated: list[str]) -> Any:
    """The frame as read() and text() would give it: booleans as ja/nein, dates German, stripped, columns
    named by their index from column A."""
    import polars as pl

    texts: list[Any] = []
    for column in frame.columns:
        value = pl.col(column).cast(pl.String)
        if befund.wahrheitswerte:
            # booleans come as "true"/"false"; a text cell like that made us give up before
            value = (
                pl.when(value == "true")
                .then(pl.lit("ja"))
                .when(value == "false")
                .then(pl.lit("nein"))
                .otherwise(value)
            )
        if column in dated:
            value = _fx_datum(value)
        texts.append(_stripped(value).alias(str(offset + len(texts))))
    return frame.select([pl.lit(None, dtype=pl.String).alias(str(i)) for i in range(offset)] + texts)


def _sheets_xlsx(path: Path, blatt: str | None) -> list[str] | None:
    """The sheet names :func:`_open_workbook` gives, from the workbook's xml alone (python-calamine would read
    all shared strings for them); None for anything else (a metadata sheet, a sheet asked for that is not there,
    an odd file): then python-calamine decides, and words any error."""
    from xml.etree import ElementTree

    try:
        with zipfile.ZipFile(path) as archive:
            workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    except Exception:
        return None
    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    sheets = [(s.get("name") or "", s.get("state", "visible")) for s in workbook.iter(f"{main}sheet")]
    all_names = [name for name, _ in sheets]
    if not all_names or "" in all_names or META_BLATT in all_names:
        return None
    if blatt is not None:
        return [blatt] if blatt in all_names else None
    return [name for name, state in sheets if state == "visible"] or all_names


def _fx_datum(value: Any) -> Any:
    """fastexcel's text of a date cell as text() writes python-calamine's date, datetime or time."""
    import polars as pl

    time = value.str.replace(_FX_DATUM, "${4}${5}")
    time = pl.when(time.str.contains(r"\.\d{3}$")).then(time + pl.lit("000")).otherwise(time)  # microseconds
    early = value.str.contains(_FX_DATUM) & (value < "1900")
    return pl.when(early).then(time).otherwise(value.str.replace(_FX_DATUM, "${3}.${2}.${1}"))


def _fx_fremd(value: Any) -> Any:
    """fastexcel dates text() cannot be derived from: years past 9999, times finer than milliseconds."""
    early = value < "1900"
    return value.str.contains(_FX_DATUM) & (
        value.str.starts_with("+") | (early & ~value.str.contains(r"(?:\.\d{3}|\.\d{6}|:\d{2})$"))
    )


def _run(result: list[Any], function: Any, *args: Any) -> None:
    """``result[0] = function(*args)`` in a thread; an error leaves None (the caller then falls back)."""
    try:
        result[0] = function(*args)
    except Exception:
        result[0] = None


def _scan_xlsx(path: Path, name: str) -> _Befund | None:
    """Look at the raw xml of sheet ``name`` for cells fastexcel's text would get wrong; None if unsure."""
    try:
        with zipfile.ZipFile(path) as archive:
            parts = _xlsx_parts(archive, name)
            if parts is None:
                return None
            sheet, shared, styles = parts
            befund = _Befund()
            if styles is not None:
                xml = archive.read(styles).decode("utf-8", errors="replace")
                codes = [
                    html.unescape(code) for _, code in re.findall(r"""formatCode\s*=\s*(["'])(.*?)\1""", xml)
                ]
                if any(_DAUER_FORMAT.search(code) for code in codes) or re.search(
                    r"""numFmtId\s*=\s*["']46["']""", xml
                ):
                    return None
            if shared is not None:
                xml_bytes = archive.read(shared)
                befund.wahr_text = _wahr_text(xml_bytes)
                befund.datum_text = _XML_DATUM_TEXT.search(xml_bytes) is not None
            with archive.open(sheet) as stream:
                start = stream.read(1 << 16)
                # cells in a prefixed namespace (<x:c>) would slip past the patterns
                if not re.search(rb"<worksheet[\s>]", start):
                    return None
                carry = start
                while True:
                    chunk = stream.read(1 << 23)
                    buffer = carry + chunk
                    # whole cells only: a pattern must not straddle two pieces
                    end = buffer.rfind(b"</c>") if chunk else len(buffer) - len(b"</c>")
                    cut = end + len(b"</c>") if end >= 0 else 0
                    _scan_cells(buffer[:cut], befund)
                    if not befund.sicher:
                        return None
                    if not chunk:
                        return befund
                    carry = buffer[cut:]
    except Exception:
        return None


def _scan_cells(xml: bytes, befund: _Befund) -> None:
    if b"<v " in xml or _XML_ISO_DATUM.search(xml):
        befund.sicher = False
        return
    for match in _XML_WERT.finditer(xml):
        # the cell's start tag: no "<c" between it and its value (a formula holds no "<")
        start = xml.rfind(b"<c", max(0, match.start() - (1 << 16)), match.start())
        tag = xml[start : xml.find(b">", start) + 1] if start >= 0 else b""
        kind = _XML_ZELLE_T.search(tag)
        if tag[2:3] in (b" ", b"\t", b"\r", b"\n") and kind and kind.group(1) in (b"e", b"str"):
            continue  # an error (None both ways) or the text result of a formula
        place = _XML_ZELLE_R.search(tag)
        if tag[2:3] not in (b" ", b"\t", b"\r", b"\n") or place is None or (kind and kind.group(1) != b"n"):
            befund.sicher = False
            return
        column = 0
        for letter in place.group(1):
            column = column * 26 + letter - ord("A") + 1
        befund.daten.setdefault(column - 1, []).append(int(place.group(2)) - 1)
    text_cells = False
    for match in _XML_TYP.finditer(xml):
        if match.group(1) == b"b":
            befund.wahrheitswerte = True
        else:
            text_cells = True
        if befund.wahrheitswerte and text_cells:
            break
    if text_cells:
        befund.wahr_text = befund.wahr_text or _wahr_text(xml)
        befund.datum_text = befund.datum_text or _XML_DATUM_TEXT.search(xml) is not None


def _wahr_text(xml: bytes) -> bool:
    """A text "true" or "false", as fastexcel writes a boolean cell."""
    return b">true</" in xml or b">false</" in xml


def _xlsx_parts(archive: zipfile.ZipFile, name: str) -> tuple[str, str | None, str | None] | None:
    """The zip members of sheet ``name``, the shared strings and the styles."""
    from xml.etree import ElementTree

    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    workbook_xml = archive.read("xl/workbook.xml")
    # 1904 date system: python-calamine's "below 1 is a time" counts from 1904, fastexcel's dates do not tell
    if re.search(rb"""date1904\s*=\s*["'](?:1|true)["']""", workbook_xml):
        return None
    workbook = ElementTree.fromstring(workbook_xml)
    relations = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): (r.get("Type") or "", r.get("Target") or "") for r in relations}

    def member(target: str) -> str:
        return (
            target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        )

    ids = [s.get(f"{rel}id") for s in workbook.iter(f"{main}sheet") if s.get("name") == name]
    if len(ids) != 1 or ids[0] not in targets:
        return None
    kinds = {kind.rsplit("/", 1)[-1]: member(target) for kind, target in targets.values()}
    members = set(archive.namelist())
    sheet = member(targets[ids[0]][1])
    shared, styles = kinds.get("sharedStrings"), kinds.get("styles")
    if sheet not in members or (shared is not None and shared not in members):
        return None
    return sheet, shared, styles if styles in members else None
