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

import contextlib
import csv
import dataclasses
import html
import io
import itertools
import posixpath
import queue
import re
import struct
import threading
import zipfile
import zlib
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Literal

from mitgliederarbeit.einlesen import normalisieren
from mitgliederarbeit.errors import EingabeFehler
from mitgliederarbeit.laufzeit import nebenher
from mitgliederarbeit.zahlen import mal, zahl

META_BLATT = "_mitgliederarbeit"  # hidden sheet in every spreadsheet we write that may come back
# The memory budget of reading (SICHERHEIT.md). A 400k-row xlsx export unpacks to about 240 MB, of which 35 MB
# are shared strings, and has 7 million cells.
_MAX_UNPACKED = 512 * 1024**2  # bytes inflated from an xlsx/ods, all parts together, counted while inflating
_MAX_GEMEINSAM = 128 * 1024**2  # of these in the shared strings (kept whole in memory, once per reader)
_MAX_RATIO = 400  # above 100 MB: inflated / packed
MAX_ZELLEN = 20_000_000  # rows x columns up to the last cell, from A1 (what the readers allocate)
# the text of one cell, as xml: Excel allows 32,767 characters (at most 6 bytes each, as &quot; or the like)
_MAX_ZELLTEXT = 256 * 1024
# a csv (or xls) file is read whole, and its text and frame take some times its size: a national export of
# 400,000 members is 60 MB; this leaves room for 1.3 million and keeps the import under 2 GB (SICHERHEIT.md)
_MAX_DATEI = 200 * 1024**2
MAX_ZEILEN = 1_048_576  # Excel's own limits
MAX_SPALTEN = 16_384
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
    # what the reader decided on its own and the user should know (German sentences, e.g. lines read as
    # Windows-1252 in a file that is otherwise UTF-8)
    hinweise: list[str] = field(default_factory=list)


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
    if _utf16_ohne_bom(head) is not None:
        return "utf16"
    if b"\x00" in head[:4096]:
        raise EingabeFehler(
            f"{path.name}: keine Tabelle (die Datei enthält Binärdaten).",
            hint="Erwartet wird eine Excel-Datei (xlsx, xls, ods) oder eine CSV-Datei.",
        )
    return "text"


@dataclass
class _Pruefung:
    """What the check of an xlsx or ods file found: its kind and, for the column reader, what each sheet's xml
    and each table of shared texts of an xlsx says about reading it through fastexcel (see _befund)."""

    format: str
    befunde: dict[str, _Befund | None] = field(default_factory=dict)  # sheet part -> None where unsure
    texte: dict[str, _Befund] = field(default_factory=dict)  # shared strings part -> wahr_text, datum_text


def _check_zip(path: Path) -> _Pruefung:
    """The kind of workbook (xlsx or ods) after the checks that keep reading it within the memory budget.

    Every part is inflated here once, counting the bytes that really come out (the sizes in the zip directory
    are only claims), and the sheets are measured (the last row and column holding a cell): python-calamine
    and fastexcel allocate by that extent and would abort the process on a cell at XFD1048576. The same pass
    looks at the cells for what the column reader must know (:class:`_Befund`), so no reader inflates a sheet
    for it again.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (
        Exception
    ):  # zipfile's many ways of saying "damaged" (BadZipFile, NotImplementedError "version 25.5", ...)
        raise _zip_kaputt(path) from None
    if any(not info.filename for info in infos):  # a directory entry without a name: damaged
        raise _zip_kaputt(path)
    names = {info.filename for info in infos}
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
    return _entpacken_pruefen(path, infos, "ods" if "content.xml" in names else "xlsx")


def _zip_kaputt(path: Path) -> EingabeFehler:
    return EingabeFehler(
        f"{path.name}: die Datei ist beschädigt oder unvollständig (kein gültiges ZIP/xlsx).",
        hint="Bitte den Export erneut herunterladen oder in Excel öffnen und neu speichern.",
    )


def _zu_gross(path: Path, was: str) -> EingabeFehler:
    return EingabeFehler(
        f"{path.name}: die Datei entpackt sich auf ungewöhnlich große Datenmengen ({was}) und wird "
        "aus Sicherheitsgründen nicht gelesen.",
        hint="Bitte den Export in Excel oder LibreOffice öffnen, prüfen und neu speichern.",
    )


def _mb(size: int) -> str:
    return f"{size // 1024**2:,} MB".replace(",", ".")


def _entpacken_pruefen(path: Path, infos: list[zipfile.ZipInfo], fmt: str) -> _Pruefung:
    """Inflate every part once, counting what really comes out, and measure the sheets (see _check_zip)."""
    packed = sum(info.compress_size for info in infos) or 1
    total = 0
    verweise = 0  # cells of the sheets that show a shared string (or more)
    laengste = 0  # the longest shared string
    pruefung = _Pruefung(fmt)
    try:
        with path.open("rb") as handle:
            for info in infos:
                if info.is_dir():
                    continue
                if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                    raise EingabeFehler(
                        f"{path.name}: die Datei ist ungewöhnlich gepackt ({info.filename}) und wird nicht gelesen.",
                        hint="Bitte den Export in Excel oder LibreOffice öffnen und neu speichern.",
                    )
                gemeinsam = "sharedstrings" in info.filename.lower()
                teil: _Teil | None = None
                if fmt == "xlsx" and _BLATT_TEIL.match(info.filename):
                    teil = _XlsxBlatt()
                elif fmt == "ods" and info.filename == "content.xml":
                    teil = _OdsUmfang()
                elif gemeinsam:
                    teil = _GemeinsameTexte()
                grenze = _MAX_GEMEINSAM if gemeinsam else _MAX_UNPACKED
                size = 0
                with contextlib.closing(_entpackt(handle, info)) as stuecke:
                    for roh in stuecke:
                        size += len(roh)
                        if size > grenze or total + size > _MAX_UNPACKED:
                            raise _zu_gross(path, f"mehr als {_mb(min(grenze, _MAX_UNPACKED))}")
                        if teil is not None and teil.feed(roh):
                            raise EingabeFehler(
                                f"{path.name}: eine Zelle enthält mehr als {_MAX_ZELLTEXT // 1024} KB Text – mehr, "
                                "als Excel in einer Zelle erlaubt (32.767 Zeichen); die Datei wird aus "
                                "Sicherheitsgründen nicht gelesen.",
                                hint="Bitte den Export prüfen und neu speichern.",
                            )
                if size != info.file_size:
                    # the directory lies about the part: python-calamine would trust neither and read it all
                    raise EingabeFehler(
                        f"{path.name}: die Größenangaben im ZIP-Verzeichnis stimmen nicht mit dem Inhalt überein "
                        f"({info.filename}); die Datei ist beschädigt oder manipuliert.",
                        hint="Bitte den Export erneut herunterladen oder in Excel öffnen und neu speichern.",
                    )
                total += size
                if isinstance(teil, _Umfang):
                    teil.pruefen(path)
                if isinstance(teil, _XlsxBlatt):
                    verweise += teil.verweise
                    pruefung.befunde[info.filename] = teil.befund()
                elif isinstance(teil, _GemeinsameTexte):
                    laengste = max(laengste, teil.ende())
                    pruefung.texte[info.filename] = teil.befund
            # python-calamine copies a shared string into every cell that shows it: a few cells showing one long
            # string would take gigabytes. Counted exactly (a second pass) only when the cheap bound does not hold.
            if verweise * laengste > _MAX_UNPACKED and _verweise_summe(handle, infos) > _MAX_UNPACKED:
                raise EingabeFehler(
                    f"{path.name}: die Zellen zeigen zusammen mehr als {_mb(_MAX_UNPACKED)} gemeinsamer Texte "
                    "(ein langer Text in sehr vielen Zellen) und die Datei wird aus Sicherheitsgründen nicht gelesen.",
                    hint="Bitte den Export prüfen und neu speichern.",
                )
    except (OSError, zlib.error, struct.error, EOFError, zipfile.BadZipFile, IndexError, ValueError):
        raise _zip_kaputt(path) from None
    if total > 100 * 1024**2 and total / packed > _MAX_RATIO:
        raise _zu_gross(path, f"{_mb(total)}, {total // packed}-fach gepackt")
    return pruefung


_XML_VERWEIS = re.compile(rb"""<c\b[^>]*?\st\s*=\s*["']s["'][^>]*>\s*<v>\s*(\d+)""")


def _verweise_summe(handle: BinaryIO, infos: list[zipfile.ZipInfo]) -> int:
    """The bytes of shared strings all cells show together (each string counted as often as it is shown)."""
    laengen: list[int] = []
    for info in infos:
        if "sharedstrings" in info.filename.lower():
            ohne_praefix = _OhnePraefix()
            xml = b"".join(ohne_praefix(piece) for piece in _inflate(handle, info)) + ohne_praefix.rest()
            laengen.extend(map(len, _XML_FREMDER_PRAEFIX.sub(rb"<\1", xml).split(b"<si")[1:]))
    summe = 0
    for info in infos:
        if _BLATT_TEIL.match(info.filename):
            rest = b""
            ohne_praefix = _OhnePraefix()
            for piece in itertools.chain(_inflate(handle, info), [None]):
                buffer = rest + (ohne_praefix(piece) if piece is not None else ohne_praefix.rest())
                buffer = _XML_FREMDER_PRAEFIX.sub(rb"<\1", buffer)  # <y:c> is a cell to calamine
                # whole cells only; without a cell start, at most a tag begun at the end ("<", "<y") can be one
                cut = buffer.rfind(b"<c") if piece is not None else len(buffer)
                if cut < 0:
                    offen = buffer.rfind(b"<", max(0, len(buffer) - 256))
                    cut = offen if offen >= 0 and buffer.find(b">", offen) < 0 else len(buffer) - 1
                for index in _XML_VERWEIS.findall(buffer, 0, cut):
                    summe += laengen[int(index)] if int(index) < len(laengen) else 0
                rest = buffer[cut:]
                if summe > _MAX_UNPACKED:
                    return summe
    return summe


_XML_PRAEFIX = re.compile(rb"<([A-Za-z_][\w.-]*):(?:worksheet|sst|chartsheet|dialogsheet)\b")
_XML_OHNE_PRAEFIX = re.compile(rb"<(?:worksheet|sst|chartsheet|dialogsheet|macrosheet)\b")
_PRAEFIX_SUCHE = 1 << 16  # where the root element is looked for


class _OhnePraefix:
    """The pieces of a part with the namespace prefix of its elements taken off (<x:c> as <c>): some writers
    prefix every element, and the measuring looks for the plain names. Decided by the root element, within the
    first 64 KB; a "<x:" cut in two between pieces is put together first. :meth:`rest` gives what waits."""

    def __init__(self) -> None:
        self._praefix: bytes | None = None
        self._rest = b""

    def __call__(self, piece: bytes) -> bytes:
        piece = self._rest + piece if self._rest else piece
        self._rest = b""
        if self._praefix is None:
            found = _XML_PRAEFIX.search(piece, 0, _PRAEFIX_SUCHE)
            if found is None and len(piece) < _PRAEFIX_SUCHE and not _XML_OHNE_PRAEFIX.search(piece):
                self._rest = piece  # the root element is still to come
                return b""
            self._praefix = found.group(1) if found else b""
        if not self._praefix:
            return piece
        # an element's start may end this piece before its prefix does ("<x" and ":c" in the next one)
        start = piece.rfind(b"<", max(0, len(piece) - len(self._praefix) - 2))
        if start >= 0:
            piece, self._rest = piece[:start], piece[start:]
        return piece.replace(b"<" + self._praefix + b":", b"<").replace(b"</" + self._praefix + b":", b"</")

    def rest(self) -> bytes:
        """What waits at the end of the part."""
        rest, self._rest = self._rest, b""
        if self._praefix is None or not self._praefix:
            return rest
        return rest.replace(b"<" + self._praefix + b":", b"<").replace(b"</" + self._praefix + b":", b"</")


def _inflate(handle: BinaryIO, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """The bytes of one zip part as they come out, a megabyte at a time at most (never trusting a size)."""
    handle.seek(info.header_offset)
    header = handle.read(30)
    if len(header) != 30 or header[:4] != b"PK\x03\x04":
        raise EOFError
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    handle.seek(info.header_offset + 30 + name_len + extra_len)
    left = info.compress_size
    inflater = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
    while left > 0:
        raw = handle.read(min(left, 1 << 20))
        if not raw:
            raise EOFError  # the part ends before its size
        left -= len(raw)
        if inflater is None:
            yield raw
            continue
        while raw:
            piece = inflater.decompress(raw, 1 << 20)
            raw = inflater.unconsumed_tail
            if piece:
                yield piece
        if inflater.eof:
            return
    if inflater is not None:
        rest = inflater.flush()
        if rest:
            yield rest
        if not inflater.eof:
            raise EOFError


def _entpackt(handle: BinaryIO, info: zipfile.ZipInfo) -> Generator[bytes, None, None]:
    """:func:`_inflate`'s pieces, inflated ahead in a thread: zlib works without the GIL while the caller looks
    at the pieces before (a 400k export's sheet: 0.3 s of inflating beside polars' look, see _STAPEL). At most
    24 pieces (24 MB) wait, more than polars looks at in one go; stopping early stops the thread."""
    schlange: queue.Queue[bytes | BaseException | None] = queue.Queue(maxsize=24)
    halt = threading.Event()

    def fuellen() -> None:
        try:
            for piece in _inflate(handle, info):
                if halt.is_set():
                    return
                schlange.put(piece)
            schlange.put(None)
        except BaseException as exc:  # handed to the caller
            schlange.put(exc)

    thread = threading.Thread(target=fuellen, name="entpacken", daemon=True)
    thread.start()
    try:
        while (item := schlange.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        halt.set()
        while thread.is_alive():  # a thread waiting to put a piece sees the halt once it is taken
            try:
                schlange.get(timeout=0.01)
            except queue.Empty:
                pass
        thread.join()


# ---- the parts, measured in their xml before python-calamine or fastexcel allocate by it ----------------------

_BLATT_TEIL = re.compile(r"^xl/(?:worksheets|chartsheets|dialogsheets|macrosheets)/[^/]+\.xml$", re.I)
# rows of an xlsx sheet; cells from column AA on, and cells in rows from 1,000,000 on (every other cell lies within
# 26 columns and 999,999 rows, which is within the budget)
_XML_ZEILE = re.compile(rb"<row\b(?:[^>]*?\sr\s*=\s*[\"']?(\d+))?")
_XML_WEIT = re.compile(rb"r=[\"'](?:([A-Z]{2,})(\d+)|[A-Z]?(\d{7,}))[\"']")  # "r=" found fast, as written
_XML_ZELLE_ODER_ZEILE = re.compile(rb"<(row|c)\b[^>]*>")
_XML_ZELLE_OHNE_R = re.compile(rb"<c(?! r=)[\s>/]")
_XML_WEIT_DA = re.compile(rb"r=[\"'](?:[A-Z]{2}|[A-Z]?\d{7})")
# Nearly all of a large sheet is rows and cells written just so. That is shown by polars (rust, every core,
# without the GIL, while the next pieces are inflated), 16 MB at a time, with searches for the first place where a
# row, a cell's start tag or a value is written otherwise: a row with its number first; a cell with its reference
# within A1:Z999999 first, perhaps a style and the type "shared string", and nothing else; a value that is a plain
# integer. (Rust's regex has no lookahead: each branch is a start written just so, then a character that does not
# go on like that.) Such pieces need no closer look (:meth:`_XlsxBlatt._genau`); below _STAPEL_POLARS bytes of a
# sheet, polars is not loaded and every piece is looked at closely.
_STAPEL = 16 << 20
_STAPEL_POLARS = 4 << 20
_RS_NACH_T = r"(?:[^/>]|/[^>])"
_RS_T = r'(?:[^=]|=[^"]|="(?:[^s]|s(?:[^"]|"' + _RS_NACH_T + r")))"
_RS_NACH_S = r"(?:[^ />]|/[^>]| [^t]| t" + _RS_T + ")"
_RS_S = r'(?:[^=]|=[^"]|="(?:[^0-9]|[0-9]{6}|[0-9]{1,5}(?:[^0-9"]|"' + _RS_NACH_S + r")))"
_RS_NACH_R = r"(?:[^ />]|/[^>]| [^st]| s" + _RS_S + r"| t" + _RS_T + ")"
_RS_R = r'(?:[^A-Z0-9]|[A-Z][^0-9]|[A-Z]?[0-9]{7}|[A-Z]?[0-9]{1,6}(?:[^0-9"]|"' + _RS_NACH_R + r"))"
_RS_NACH_WERT = r"<(?:[^/]|/[^v]|/v[^>])"  # a value goes on after its digits (a comment, CDATA)
_RS_ZAHL = r"[1-9][0-9]{0,14}(?:[^0-9<]|" + _RS_NACH_WERT + r")|[1-9][0-9]{15}"
# Five searches (polars runs them side by side): joined in one pattern, the row search lost its literal start for
# the regex engine (for a 400k export's sheet 0.40 s instead of 0.23 s for the last three apart).
_RS_ANDERS = [
    r'<c(?:[^ ]| [^r]| r[^=]| r=[^"]| r="' + _RS_R + ")",
    r"<v(?:[^>]|>(?:[^0-9-]|-(?:[^1-9]|" + _RS_ZAHL + ")|0(?:[^<]|" + _RS_NACH_WERT + ")|" + _RS_ZAHL + "))",
    r'<row(?:[^ ]| [^r]| r[^=]| r=[^"]| r="[^0-9])',
    r"<[^>]*$|<v>[^<]*$",  # or a piece ends inside a tag or value
    r"<[A-Za-z_][A-Za-z0-9_.-]*:",  # or holds an element in another prefix than the root's (<y:c>)
]
_XML_VERWEIS_TYP = re.compile(rb"""t\s*=\s*["']s["']""")  # a cell showing a shared string, or more
# An element in another prefix than the root's (<y:c> in a sheet whose root is <worksheet xmlns:y=...>): python-calamine
# reads it by its local name, as a cell or row like any other, so the close look takes such prefixes off first.
_XML_FREMDER_PRAEFIX = re.compile(rb"<(/?)[A-Za-z_][\w.-]*:")
_ODS_TAG = re.compile(
    rb"<(/?)table:(table-row|table-cell|covered-table-cell|table)\b((?:\s+[\w:.-]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*)\s*(/?)>"
)
_ODS_WIEDERHOLT = re.compile(rb"""number-(rows|columns)-repeated\s*=\s*["'](\d+)["']""")
_ODS_WERT = re.compile(rb"value-type\s*=")


def _zaehlen(stapel: list[bytes]) -> list[tuple[int, int] | None] | None:
    """For each piece written just so (see _RS_ANDERS): its cells with t="s" and its highest row number; None
    for a piece that is not, and for all if polars is missing or fails. Only pieces of ASCII go to polars (it reads
    text, and a sheet's other letters are in its shared strings): any other piece is looked at closely."""
    try:
        import polars as pl

        text = pl.col("x").cast(pl.String)
        frame = pl.DataFrame(
            {"x": pl.Series([xml for xml in stapel if xml.isascii()], dtype=pl.Binary)}
        ).select(
            anders=pl.any_horizontal(text.str.contains(muster) for muster in _RS_ANDERS),
            verweise=text.str.count_matches(' t="s"', literal=True),
            hoechste=text.str.extract_all(r'<row r="[0-9]+')
            .list.eval(pl.element().str.slice(8).cast(pl.Int64))
            .list.max()
            .fill_null(0),
        )
    except Exception:  # no polars, or one that reads otherwise: the close look, as for a small sheet
        return None
    gezaehlt = iter(frame.iter_rows())
    ergebnis: list[tuple[int, int] | None] = []
    for xml in stapel:
        anders, verweise, hoechste = next(gezaehlt) if xml.isascii() else (True, 0, 0)
        ergebnis.append(None if anders else (verweise, hoechste))
    return ergebnis


def _nicht_gezaehlt() -> None:
    """No counts of polars: every piece is looked at closely."""
    return None


class _Textlauf:
    """The longest run of xml without a "<" (a cell's text), from pieces: found with a look at every 64 KB."""

    def __init__(self) -> None:
        self._lauf = 0  # bytes since the last "<"

    def feed(self, piece: bytes) -> bool:
        """True once a run is longer than _MAX_ZELLTEXT (a run inside 64 KB is shorter anyway)."""
        for start in range(0, len(piece), 1 << 16):
            end = min(start + (1 << 16), len(piece))
            first = piece.find(b"<", start, end)
            if first < 0:
                self._lauf += end - start
            else:
                if self._lauf + first - start > _MAX_ZELLTEXT:
                    return True
                self._lauf = end - piece.rfind(b"<", start, end) - 1
            if self._lauf > _MAX_ZELLTEXT:
                return True
        return False


class _Teil:
    """One part's xml, fed as it is inflated: the namespace prefix taken off, the longest text run watched, and
    the xml handed on (:meth:`_stueck`) in whole tags (see :meth:`_schnitt`)."""

    def __init__(self) -> None:
        self._ohne_praefix = _OhnePraefix()
        self._text = _Textlauf()
        self._rest = b""

    def feed(self, roh: bytes) -> bool:
        """Take the next inflated piece; True once a cell's text is longer than _MAX_ZELLTEXT."""
        if self._text.feed(roh):
            return True
        piece = self._ohne_praefix(roh)
        buffer = self._rest + piece if self._rest else piece
        cut = self._schnitt(buffer)
        if cut:
            self._stueck(buffer[:cut] if cut < len(buffer) else buffer)
        self._rest = buffer[cut:] if cut else buffer
        return False

    def _schnitt(self, buffer: bytes) -> int:
        """Where the whole tags end: an unfinished tag at the end waits for the next piece (XML escapes "<" in
        attribute values); text after the last tag is no tag at all. A "tag" longer than a megabyte is no tag
        either."""
        start = buffer.rfind(b"<")
        if start < 0 or buffer.find(b">", start) >= 0 or len(buffer) - start > 1 << 20:
            return len(buffer)
        return start

    def _stueck(self, xml: bytes) -> None:
        raise NotImplementedError

    def _ende(self) -> None:
        """The part is done: what waits is looked at."""
        rest = self._rest + self._ohne_praefix.rest()
        self._rest = b""
        if rest:
            self._stueck(rest)


class _Umfang(_Teil):
    """Rows and columns up to the last cell of a sheet, from its xml fed in pieces."""

    def __init__(self) -> None:
        super().__init__()
        self.zeilen = 0
        self.spalten = 0

    def pruefen(self, path: Path) -> None:
        """The German error when the sheet reaches further than the budget allows."""
        self._ende()
        zeilen, spalten = self.zeilen, self.spalten
        if (
            zeilen <= MAX_ZEILEN
            and spalten <= MAX_SPALTEN
            and (spalten <= 26 or zeilen * spalten <= MAX_ZELLEN)
        ):
            return
        raise EingabeFehler(
            f"{path.name}: die Tabelle reicht bis Zelle {_spaltenname(spalten)}{zeilen} ({zahl(zeilen)} Zeilen × "
            f"{zahl(spalten)} Spalten = {zahl(zeilen * spalten)} Zellen) und wird aus Sicherheitsgründen nicht "
            f"gelesen (höchstens {zahl(MAX_ZELLEN)} Zellen).",
            hint="Meist steht weit außerhalb der Daten ein vergessener Wert: in Excel mit Strg+Ende die letzte "
            "Zelle suchen, die überzähligen Zeilen und Spalten löschen und die Datei neu speichern.",
        )


class _XlsxBlatt(_Umfang):
    """An xlsx sheet in one pass: its extent, how many cells show a shared string (:attr:`verweise`, at least
    as many), and what the column reader must know of its cells (:meth:`befund`)."""

    def __init__(self) -> None:
        super().__init__()
        self.verweise = 0
        self._nummeriert = 0  # the highest row number written
        self._ohne_nummer = 0  # rows without a number so far: each follows the one before
        self._spalte = 0  # the column of the last cell of the current row, where cells go without a reference
        self._befund: _Befund | None = _Befund()
        self._kopf = b""  # the first 64 KB as written
        self._stapel: list[bytes] = []  # pieces gathered for polars
        self._im_stapel = 0
        self._gezaehlt = False  # polars counts the pieces of this sheet
        # the pieces polars counts in a thread while the next ones are fed, and how to wait for its counts
        self._wartet: tuple[list[bytes], Callable[[], list[tuple[int, int] | None] | None]] | None = None

    def feed(self, roh: bytes) -> bool:
        if len(self._kopf) < 1 << 16:
            self._kopf += roh[: (1 << 16) - len(self._kopf)]
        return super().feed(roh)

    def _schnitt(self, buffer: bytes) -> int:
        # whole cells: the look at a value needs the cell's start tag and the "<" after it; a megabyte without the
        # end of a cell is cut as any part is (a value cut there is looked at closely, see _RS_ANDERS)
        end = buffer.rfind(b"</c>")
        if end >= 0:
            return end + 4
        return 0 if len(buffer) <= 1 << 20 else super()._schnitt(buffer)

    def _stueck(self, xml: bytes) -> None:
        self._stapel.append(xml)
        self._im_stapel += len(xml)
        if self._im_stapel >= _STAPEL:
            self._stapel_pruefen()

    def _ende(self) -> None:
        super()._ende()
        self._stapel_pruefen(zuletzt=True)

    def _stapel_pruefen(self, *, zuletzt: bool = False) -> None:
        """The pieces gathered so far go to polars, in a thread (it lets go of the GIL while it searches), while
        the next ones are fed; the pieces before are taken in now (:meth:`_zaehlen_nehmen`), and with ``zuletzt``
        these as well."""
        stapel, self._stapel, self._im_stapel = self._stapel, [], 0
        # a small sheet is looked at more quickly than polars loads; the last pieces of a large one are not
        gross = self._gezaehlt or sum(map(len, stapel)) >= _STAPEL_POLARS
        self._gezaehlt = self._gezaehlt or gross
        zaehlen = nebenher(lambda: _zaehlen(stapel), "zaehlen") if gross and stapel else _nicht_gezaehlt
        vorher, self._wartet = self._wartet, (stapel, zaehlen)
        if vorher is not None:
            self._zaehlen_nehmen(*vorher)
        if zuletzt:
            self._wartet = None
            self._zaehlen_nehmen(stapel, zaehlen)

    def _zaehlen_nehmen(
        self, stapel: list[bytes], zaehlen: Callable[[], list[tuple[int, int] | None] | None]
    ) -> None:
        """Pieces in the order they came: those that polars shows to hold only the plainest cells and rows (every
        pattern below counted as often as the start of its tag) are done with what it counted; every other piece
        is looked at closely (:meth:`_genau`), as all of a small sheet is."""
        gezaehlt = zaehlen()
        for index, xml in enumerate(stapel):
            zahlen = gezaehlt[index] if gezaehlt is not None else None
            if zahlen is None:
                self._genau(xml)
                continue
            verweise, hoechste = zahlen
            # every row says its number plainly, every cell lies within A1:Z999999 and shows a plain integer or
            # a shared string: nothing for the column reader to know of, nothing beyond column Z
            self._nummeriert = max(self._nummeriert, hoechste)
            self.zeilen = max(self.zeilen, self._nummeriert + self._ohne_nummer)
            if b"<c" in xml:
                self.spalten = max(self.spalten, 26)
            self.verweise += verweise

    def _genau(self, xml: bytes) -> None:
        if _XML_FREMDER_PRAEFIX.search(xml):
            xml = _XML_FREMDER_PRAEFIX.sub(rb"<\1", xml)
        rows = _XML_ZEILE.findall(xml)
        self._nummeriert = max(self._nummeriert, 0, *map(int, filter(None, rows)))
        self._ohne_nummer += rows.count(b"")
        self.zeilen = max(self.zeilen, self._nummeriert + self._ohne_nummer)
        if b"<c" in xml:
            self.spalten = max(self.spalten, 26)
        self._weit(xml)
        self.verweise += len(_XML_VERWEIS_TYP.findall(xml))
        if self._befund is not None:
            _scan_cells(xml, self._befund)
            if not self._befund.sicher:
                self._befund = None

    def _weit(self, xml: bytes) -> None:
        """Columns and rows of the cells that do not say plainly that they lie within A1:Z999999."""
        # cells without a reference (r="B2") sit right of the cell before: counted row by row (rare, slow); so
        # is a piece whose cells name r= later than first (one search instead of counting "<c" and "<c r=")
        if _XML_ZELLE_OHNE_R.search(xml):
            for tag in _XML_ZELLE_ODER_ZEILE.finditer(xml):
                if tag.group(1) == b"row":
                    self._spalte = 0
                    continue
                place = _XML_ZELLE_R.search(tag.group(0))
                self._spalte = _spaltennummer(place.group(1)) if place else self._spalte + 1
                self.spalten = max(self.spalten, self._spalte)
        # a cheap search first: most sheets have no reference from column AA on or in a row from 1,000,000 on
        if _XML_WEIT_DA.search(xml):
            for letters, row, deep in _XML_WEIT.findall(xml):
                if letters:
                    self.spalten = max(self.spalten, _spaltennummer(letters))
                    self.zeilen = max(self.zeilen, int(row))
                else:
                    self.zeilen = max(self.zeilen, int(deep))

    def befund(self) -> _Befund | None:
        """What the column reader must know of this sheet's cells; None where it cannot tell (cells in a
        prefixed namespace, <x:c>, would slip past its patterns)."""
        if not re.search(rb"<worksheet[\s>]", self._kopf):
            return None
        return self._befund


class _GemeinsameTexte(_Teil):
    """The shared strings: the longest one (as xml, from one "<si" to the next; a marker cut in two between pieces
    joins two strings: longer, never shorter), and the texts the column reader must know of (:attr:`befund`)."""

    def __init__(self) -> None:
        super().__init__()
        self.befund = _Befund()
        self._laengste = 0
        self._lauf = -1  # the length of the string so far; -1 before the first (the xml's head is none)

    def _schnitt(self, buffer: bytes) -> int:
        # a text is looked for from the ">" before it to the "</" after it
        end = buffer.rfind(b">")
        return end if end > 0 else len(buffer)

    def _stueck(self, xml: bytes) -> None:
        if b":" in xml and _XML_FREMDER_PRAEFIX.search(xml):  # <y:si> is a shared string to calamine
            xml = _XML_FREMDER_PRAEFIX.sub(rb"<\1", xml)
        parts = xml.split(b"<si")
        if len(parts) == 1:
            if self._lauf >= 0:
                self._lauf += len(xml)
        else:
            vorher = self._lauf + len(parts[0]) if self._lauf >= 0 else 0
            self._laengste = max(self._laengste, vorher, *map(len, parts[1:-1]))
            self._lauf = len(parts[-1])
        self._laengste = max(self._laengste, self._lauf)
        self.befund.wahr_text = self.befund.wahr_text or _wahr_text(xml)
        # (a piece without a ":" holds no time of day: a look at C speed instead of the pattern at every ">")
        if not self.befund.datum_text and b":" in xml:
            self.befund.datum_text = _XML_DATUM_TEXT.search(xml) is not None

    def ende(self) -> int:
        """The length of the longest shared string."""
        self._ende()
        return self._laengste


class _OdsUmfang(_Umfang):
    """number-rows-repeated and number-columns-repeated unrolled as python-calamine does: a row or cell with
    content counts every repetition, empty ones only up to the last content."""

    def __init__(self) -> None:
        super().__init__()
        self._zeile = 0  # rows so far in this table
        self._spalte = 0  # cells so far in this row
        self._letzte = 0  # the last cell with content in this row
        self._wiederholt = 1  # repetitions of this row

    def _stueck(self, xml: bytes) -> None:
        for end, tag, attributes, closed in _ODS_TAG.findall(xml):
            repeated = 1
            found = _ODS_WIEDERHOLT.search(attributes)
            if found:
                repeated = int(found.group(2))
            if tag == b"table":
                if not end:
                    self._zeile = 0
            elif tag == b"table-row":
                if end:
                    self._zeile_ende()
                else:
                    self._spalte = self._letzte = 0
                    self._wiederholt = repeated
                    if closed:
                        self._zeile_ende()
            elif not end:
                self._spalte += repeated
                if not closed or _ODS_WERT.search(attributes):
                    self._letzte = self._spalte

    def _zeile_ende(self) -> None:
        self._zeile += self._wiederholt
        if self._letzte:
            self.zeilen = max(self.zeilen, self._zeile)
            self.spalten = max(self.spalten, self._letzte)
        self._spalte = self._letzte = 0
        self._wiederholt = 1


def _spaltennummer(letters: bytes) -> int:
    column = 0
    for letter in letters:
        column = column * 26 + letter - ord("A") + 1
    return column


def _spaltenname(column: int) -> str:
    name = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        name = chr(ord("A") + rest) + name
    return name


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


def _ganz_lesen(path: Path) -> bytes:
    """The bytes of a file read whole (csv, xls), refused above :data:`_MAX_DATEI`."""
    if path.stat().st_size > _MAX_DATEI:
        raise EingabeFehler(
            f"{path.name}: die Datei ist {_mb(path.stat().st_size)} groß und wird aus Sicherheitsgründen nicht "
            f"gelesen (höchstens {_mb(_MAX_DATEI)}; ein Export mit 400.000 Mitgliedern hat etwa 60 MB).",
            hint="Bitte prüfen, ob es die richtige Datei ist – etwa kein Export mit allen Spalten der Datenbank.",
        )
    return path.read_bytes()


def read(path: Path, blatt: str | None = None) -> Blatt:
    """Read one sheet of a spreadsheet or csv file as rows of cell values."""
    head = _head(path)
    kind = _kind(path, head)
    if kind == "zip":
        return _read_workbook(path, blatt, _check_zip(path).format)
    if kind == "ole":
        data = _ganz_lesen(path)
        if _ENCRYPTED in data:
            raise EingabeFehler(
                f"{path.name}: die Datei ist mit einem Passwort geschützt.",
                hint="Bitte in Excel öffnen, den Kennwortschutz entfernen (Datei > Informationen > "
                "Arbeitsmappe schützen) und ohne Kennwort speichern.",
            )
        return _read_workbook(path, blatt, "xls")
    if blatt:
        raise _keine_blaetter(path)
    return _read_text(path, _ganz_lesen(path), kind)


def _cell(value: object) -> object:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, float) and value - value != 0:
        return None  # NaN or an infinity: an empty cell (README)
    return value


def _open_workbook(path: Path, blatt: str | None, fmt: str) -> tuple[Any, list[str], dict[str, str]]:
    """The calamine workbook, the names of the sheets to read (the first is read) and the metadata sheet."""
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except BaseException as exc:  # calamine raises its own error types for every broken file
        if not _rust_fehler(exc):
            raise
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
        except (
            BaseException
        ) as exc:  # a damaged metadata sheet only means we treat the file as a plain export
            if not _rust_fehler(exc):
                raise
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
        # a number cell holding NaN or an infinity (v - v is not 0) is read as an empty cell (README)
        rows: list[list[object]] = [
            [
                (v.strip() or None)
                if isinstance(v, str)
                else v
                if v.__class__ is not float or v - v == 0
                else None
                for v in row
            ]
            for row in workbook.get_sheet_by_name(names[0]).to_python(skip_empty_area=False)
        ]
    except BaseException as exc:
        if not _rust_fehler(exc):
            raise
        raise EingabeFehler(
            f"{path.name}: das Blatt „{names[0]}“ ist beschädigt und kann nicht gelesen werden.",
            hint="Bitte in Excel oder LibreOffice öffnen und neu speichern.",
        ) from None
    return Blatt(datei=path, name=names[0], rows=rows, meta=meta, blaetter=names, format=fmt)


def read_sheet(path: Path, name: str) -> list[list[object]]:
    """Another sheet of a workbook already read with :func:`read` (for multi-sheet call lists)."""
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
        return [
            [_cell(v) for v in row]
            for row in workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
        ]
    except BaseException as exc:
        if not _rust_fehler(exc):
            raise
        raise EingabeFehler(
            f"{path.name}: das Blatt „{name}“ ist beschädigt und kann nicht gelesen werden.",
            hint="Bitte in Excel oder LibreOffice öffnen und neu speichern.",
        ) from None


def _rust_fehler(exc: BaseException) -> bool:
    """An error of python-calamine or fastexcel: their own exceptions, or a panic of the rust code (pyo3's
    PanicException is no Exception)."""
    return isinstance(exc, Exception) or type(exc).__name__ == "PanicException"


def _utf16_ohne_bom(head: bytes) -> str | None:
    """ "utf-16-le" or "utf-16-be" for text in UTF-16 without a byte order mark (every other byte NUL, the
    others printable), else None."""
    sample = head[: len(head) & ~1][:4096]
    if len(sample) < 8:
        return None
    for codec, zeros, chars in (
        ("utf-16-le", sample[1::2], sample[::2]),
        ("utf-16-be", sample[::2], sample[1::2]),
    ):
        if zeros.count(0) >= 0.9 * len(zeros) and chars.count(0) == 0:
            return codec
    return None


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 (Excel's "Unicode-Text") or Windows-1252 (what German Excel
    writes); a file that mixes UTF-8 and Windows-1252 line by line, line by line (see :func:`decode_zeilen`)."""
    return decode_zeilen(data)[0]


def decode_zeilen(data: bytes) -> tuple[str, int]:
    """The text, and how many lines were read as Windows-1252 in a file whose other lines are UTF-8 (0 for a
    file in one encoding).

    Each line is UTF-8 where it is valid UTF-8, Windows-1252 otherwise: a file put together from two exports
    (or edited in two programs) keeps "Müller" in both halves.
    """
    if data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff"):
        return data.decode("utf-16", errors="replace"), 0
    codec = _utf16_ohne_bom(data[:4096])
    if codec is not None:
        return data.decode(codec, errors="replace"), 0
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), 0
    except UnicodeDecodeError:
        pass
    # every byte that is no UTF-8 becomes one character of its own (a surrogate); a file holding no valid UTF-8
    # sequence of two or more bytes keeps its length: Windows-1252 throughout (the usual case, decided at C speed)
    text = data.decode("utf-8", "surrogateescape")
    if len(text) == len(data):
        return data.decode("cp1252", errors="replace"), 0
    lines = text.split("\n")
    utf8 = cp1252 = 0
    for i, line in enumerate(lines):
        if line.isascii():
            continue
        try:
            line.encode("utf-8")  # no surrogate: the line is UTF-8
            utf8 += 1
        except UnicodeEncodeError:
            lines[i] = line.encode("utf-8", "surrogateescape").decode("cp1252", errors="replace")
            cp1252 += 1
    return "\n".join(lines), cp1252 if utf8 else 0


def _cp1252_hinweis(lines: int) -> list[str]:
    if not lines:
        return []
    return [
        f"Die Datei mischt UTF-8 und Windows-1252: {zahl(lines)} "
        f"{'Zeile wurde' if lines == 1 else 'Zeilen wurden'} als Windows-1252 gelesen (bitte Umlaute prüfen)."
    ]


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
    text, cp1252 = decode_zeilen(data)
    sample = text.splitlines()[:60]
    try:
        delimiter = sniff_delimiter(sample)  # the csv module may already fail here (a line over its limit)
    except csv.Error:
        zeile = next((i for i, line in enumerate(sample, 1) if len(line) > csv.field_size_limit()), 1)
        raise _feld_zu_lang(path, zeile, csv.field_size_limit()) from None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows: list[list[object]] = [
            [v.strip() or None for v in row] for row in reader
        ]  # _cell: only str here
    except csv.Error:
        raise _csv_fehler(path, text, delimiter) from None
    if reader.line_num != len(rows):
        # some field holds a line break: make sure no open quote swallowed rows of their own
        _verschluckt_pruefen(path, text, delimiter)
    if not any(any(c is not None for c in row) for row in rows):
        raise _keine_daten(path)
    return Blatt(datei=path, name="", rows=rows, format="csv", hinweise=_cp1252_hinweis(cp1252))


_ZEILENUMBRUCH = re.compile(r"\r\n|\r|\n")


def _datensaetze(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """The csv records with the file line each starts on."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    while True:
        start = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            return
        yield start, record


def _breite(text: str, delimiter: str) -> int:
    """The most common number of fields of the records on one line among the first 200 lines (at least 2)."""
    anfang = text
    for count, found in enumerate(_ZEILENUMBRUCH.finditer(text), start=1):
        if count == 200:
            anfang = text[: found.end()]
            break
    counts: dict[int, int] = {}
    for _, record in _datensaetze(anfang, delimiter):
        if not any("\n" in v or "\r" in v for v in record) and len(record) > 1:
            counts[len(record)] = counts.get(len(record), 0) + 1
    return max(2, max(counts, key=lambda width: (counts[width], width), default=2))


def _verschluckt(record: list[str], zeile: int, delimiter: str, breite: int) -> tuple[int, int] | None:
    """(the line where the quote opens, the lines it takes) when a quoted field of ``record`` (starting on file
    line ``zeile``) runs over lines that are rows of their own: as many fields as the file's rows."""
    for value in record:
        lines = _ZEILENUMBRUCH.split(value)
        if len(lines) > 1 and any(line.count(delimiter) + 1 >= breite for line in lines[1:]):
            # a quote never closed ends with the file, after its last line break
            return zeile, len(lines) - 1 - (lines[-1] == "")
        zeile += len(lines) - 1
    return None


def _verschluckt_pruefen(path: Path, text: str, delimiter: str) -> None:
    """The German error for a quote that is never closed where it should be: the csv reader would read the rows
    after it as the text of one field, and those members would be missing (and counted as Austritte)."""
    breite = _breite(text, delimiter)
    for zeile, record in _datensaetze(text, delimiter):
        if len(record) == 1 and not any(record):
            continue
        found = _verschluckt(record, zeile, delimiter, breite)
        if found is not None:
            raise _anfuehrungszeichen(path, *found)


def _anfuehrungszeichen(path: Path, zeile: int, zeilen: int) -> EingabeFehler:
    return EingabeFehler(
        f'{path.name}: in Zeile {zahl(zeile)} öffnet ein Anführungszeichen ("), das erst '
        f"{mal(zeilen, 'Zeile', 'Zeilen')} später (oder nie) geschlossen wird; die Zeilen "
        "dazwischen würden als Text eines Feldes gelesen und fehlten im Import.",
        hint=f"Bitte Zeile {zahl(zeile)} in einem Texteditor prüfen: das Anführungszeichen entfernen oder "
        "schließen, speichern und erneut importieren.",
    )


def _feld_zu_lang(path: Path, zeile: int, limit: int) -> EingabeFehler:
    return EingabeFehler(
        f"{path.name}, Zeile {zahl(zeile)}: ein Feld ist länger als {zahl(limit)} Zeichen.",
        hint="So lang ist kein Eintrag einer Mitgliederliste: meist fehlt in dieser Zeile oder darüber ein "
        "schließendes Anführungszeichen. Bitte die Datei prüfen oder als xlsx exportieren.",
    )


def _csv_fehler(path: Path, text: str, delimiter: str) -> EingabeFehler:
    """The German error for a csv file the csv module refuses, naming the line of the record it failed in; a
    quote that swallows the rest of the file (the usual cause of an overlong field) with the line it opens in."""
    zeile = 1
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        while True:
            zeile = reader.line_num + 1
            next(reader)
    except StopIteration:
        pass
    except csv.Error as exc:
        if "field limit" in str(exc):
            limit = csv.field_size_limit(len(text) + 1)
            try:
                _verschluckt_pruefen(path, text, delimiter)
            finally:
                csv.field_size_limit(limit)
            return _feld_zu_lang(path, zeile, limit)
    return EingabeFehler(
        f"{path.name}, Zeile {zahl(zeile)}: die CSV-Datei ist fehlerhaft und kann nicht gelesen werden.",
        hint="Bitte die Datei prüfen oder als xlsx exportieren.",
    )


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
        pruefung = _check_zip(path)
        return _workbook_spaltenweise(path, blatt, pruefung) if pruefung.format == "xlsx" else None
    if kind == "ole":
        return None  # xls, and the password check with it, only through read()
    if blatt:
        raise _keine_blaetter(path)
    return _text_spaltenweise(path, _ganz_lesen(path), kind)


def _blatt(path: Path, tabelle: Any, **felder: Any) -> Blatt:
    rows: list[list[object]] = [list(row) for row in tabelle.head(KOPF_ZEILEN).iter_rows()]
    return Blatt(datei=path, rows=rows, tabelle=tabelle, **felder)


def _stripped(cells: Any) -> Any:
    """A polars expression: text cells as read() leaves a str, stripped like str.strip() and empty -> None."""
    return cells.str.strip_chars(_WHITESPACE).replace("", None)


# ---- csv ------------------------------------------------------------------------------------------------------


_EINZELNES_CR = re.compile(rb"\r(?!\n)")


def _text_spaltenweise(path: Path, data: bytes, kind: str) -> Blatt | None:
    import polars as pl

    # the csv module also ends a line at a lone \r, polars does not; a NUL makes read() fail. (Counted in the
    # bytes: in UTF-8 and Windows-1252 these characters are these bytes and no others, and bytes count faster.)
    if kind == "text" and (b"\x00" in data or _EINZELNES_CR.search(data)):
        return None
    text, cp1252 = decode_zeilen(data)
    del data
    if kind != "text" and ("\x00" in text or re.search("\r(?!\n)", text)):
        return None
    try:
        frame = _csv_frame(text, sniff_delimiter(_first_lines(text, 60)), path)
    except EingabeFehler:
        raise
    except Exception:  # polars' or the csv module's complaint: read() decides (and words the error)
        return None
    if frame is None:
        return None
    frame = frame.select(_stripped(pl.all()))
    if frame.height == 0 or all(nulls == frame.height for nulls in frame.null_count().row(0)):
        raise _keine_daten(path)
    return _blatt(path, frame, name="", format="csv", hinweise=_cp1252_hinweis(cp1252))


def _first_lines(text: str, count: int) -> list[str]:
    """``text.splitlines()[:count]`` without splitting the whole text."""
    size = 1 << 16
    while True:
        lines = text[:size].splitlines()
        # more lines than needed: the last one wanted ended inside the prefix
        if len(lines) > count or size >= len(text):
            return lines[:count]
        size *= 4


def _csv_frame(text: str, delimiter: str, path: Path) -> Any:
    """The csv cells as read() sees them before stripping, or None. The German error of read() for a quote
    that swallows rows."""
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
            reread = _reread(text, delimiter, bad, lines.len(), path)
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
    text: str, delimiter: str, bad: list[int], line_count: int, path: Path
) -> tuple[bytes, list[tuple[int, list[str]]], list[int]] | None:
    """Read the records starting at the ``bad`` lines with the csv module; blank their lines for polars.

    Returns the text for polars, the records by first line and the further lines of multi-line records. A
    record whose quoted field runs over rows of their own raises read()'s error.
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
    breite: int | None = None  # the file's usual number of fields, once a record spans lines
    for start in bad:
        if start < until:
            continue  # inside the record before
        taken = [0]
        record = next(csv.reader(_feed(pieces, start, ends, taken), delimiter=delimiter))
        until = start + taken[0]
        if taken[0] > 1:
            if breite is None:
                breite = _breite(text, delimiter)
            found = _verschluckt(record, start + 1, delimiter, breite)
            if found is not None:
                raise _anfuehrungszeichen(path, *found)
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
_XML_WERT = re.compile(rb"<v>(?!(?:-?[1-9]\d{0,14}|0)</v>)")
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


def _workbook_spaltenweise(path: Path, blatt: str | None, pruefung: _Pruefung) -> Blatt | None:
    gelesen = _fastexcel_lesen(path, blatt, pruefung)
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
    path: Path, blatt: str | None, pruefung: _Pruefung
) -> tuple[Any, int, _Befund, str, list[str], dict[str, str]] | None:
    """fastexcel's text of every cell of the sheet, the index of its first column, and what the check found in
    the sheet's xml; None where fastexcel's text could differ from read()'s cells."""
    try:
        import fastexcel
        import polars as pl
    except ImportError:
        return None

    # fastexcel opens the workbook (rust, without the GIL) while the sheet's name and findings are looked up
    reader: list[Any] = [None]
    opening = threading.Thread(target=_run, args=(reader, fastexcel.read_excel, str(path)), daemon=True)
    opening.start()
    try:
        sheets = _sheets_xlsx(path, blatt)
        names, meta = (sheets, {}) if sheets is not None else _open_workbook(path, blatt, "xlsx")[1:]
        name = names[0]
        result = _befund(path, name, pruefung)
        arrow = _pyarrow_laden()  # while fastexcel still opens
    finally:
        opening.join()
    if result is None or reader[0] is None or not arrow:
        return None
    columns: list[int] = []

    def use(column: Any) -> bool:
        """Every column is read; fastexcel names each here with its place in the sheet (from 0 for A)."""
        columns.append(column.absolute_index)
        return True

    try:
        # Eager: straight from the xml into Arrow, borrowing the shared strings instead of copying each into
        # a cell first (0.4 s and 110 MB less for a 400k export than load_sheet and to_polars). header_row=None
        # with skip_rows=0 keeps leading empty rows: frame row j is sheet row j + 1
        batch = reader[0].load_sheet_eager(
            name, header_row=None, skip_rows=0, dtypes="string", use_columns=use
        )
        frame = pl.DataFrame(batch)
        del batch
    except BaseException as exc:
        if not _rust_fehler(exc):
            raise
        return None
    if not columns or frame.height == 0:
        return None
    if result.wahrheitswerte and result.wahr_text:
        return None  # a text "true" and a boolean cell would both come as "true"
    # fastexcel leaves out empty columns on the left, python-calamine starts at column A
    offset = columns[0]
    if columns != list(range(offset, offset + len(columns))) or len(columns) != frame.width:
        return None
    return frame, offset, result, name, names, meta


def _pyarrow_laden() -> bool:
    """Load pyarrow, through which fastexcel's eager load hands its columns over; False without it."""
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        return False
    return True


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
    except BaseException as exc:
        if not _rust_fehler(exc):
            raise
        result[0] = None


def _befund(path: Path, name: str, pruefung: _Pruefung) -> _Befund | None:
    """What the check found in the xml of sheet ``name`` and of its shared strings (:class:`_XlsxBlatt`), with
    what the styles and the workbook say; None if fastexcel's text of some cell could differ from text()."""
    try:
        with zipfile.ZipFile(path) as archive:
            parts = _xlsx_parts(archive, name)
            if parts is None:
                return None
            sheet, shared, styles = parts
            if styles is not None:
                xml = archive.read(styles).decode("utf-8", errors="replace")
                codes = [
                    html.unescape(code) for _, code in re.findall(r"""formatCode\s*=\s*(["'])(.*?)\1""", xml)
                ]
                if any(_DAUER_FORMAT.search(code) for code in codes) or re.search(
                    r"""numFmtId\s*=\s*["']46["']""", xml
                ):
                    return None
    except Exception:
        return None
    befund = pruefung.befunde.get(sheet)
    texte = pruefung.texte.get(shared) if shared is not None else _Befund()
    if befund is None or texte is None:
        return None
    return dataclasses.replace(
        befund,
        wahr_text=befund.wahr_text or texte.wahr_text,
        datum_text=befund.datum_text or texte.datum_text,
    )


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
