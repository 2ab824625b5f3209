"""Reading spreadsheets: xlsx, xlsm, xls, ods (python-calamine) and csv/txt (any common encoding and delimiter).

The reader knows nothing about members: it returns the cells of one sheet as rows, plus the hidden metadata
sheet our own outputs carry. Files are recognized by their bytes, not their extension.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

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
    # every str cell stripped and never empty (None instead), as read() makes them: text() changes nothing there
    bereinigt: bool = False


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


def read(path: Path, blatt: str | None = None) -> Blatt:
    """Read one sheet of a spreadsheet or csv file as rows of cell values."""
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
        raise EingabeFehler(f"{path.name}: eine CSV-Datei hat keine Blätter; --blatt passt hier nicht.")
    return _read_text(path, path.read_bytes(), kind)


def _cell(value: object) -> object:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _read_workbook(path: Path, blatt: str | None, fmt: str) -> Blatt:
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
    return Blatt(datei=path, name=names[0], rows=rows, meta=meta, blaetter=names, format=fmt, bereinigt=True)


def read_sheet(path: Path, name: str) -> list[list[object]]:
    """Another sheet of a workbook already read with :func:`read` (for multi-sheet call lists)."""
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_path(str(path))
    return [
        [_cell(v) for v in row] for row in workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
    ]


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) or, failing that, Windows-1252 (what German Excel writes)."""
    if data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff"):
        return data.decode("utf-16")
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


def _read_text(path: Path, data: bytes, kind: str) -> Blatt:
    text = decode(data)
    sample = text.splitlines()[:60]
    delimiter = sniff_delimiter(sample)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows: list[list[object]] = [
            [v.strip() or None for v in row] for row in reader
        ]  # _cell: only str here
    except csv.Error as exc:
        raise EingabeFehler(f"{path.name}: die CSV-Datei ist fehlerhaft ({exc}).") from None
    if not any(any(c is not None for c in row) for row in rows):
        raise EingabeFehler(f"{path.name}: die Datei enthält keine Daten.")
    return Blatt(datei=path, name="", rows=rows, format="csv", bereinigt=True)
