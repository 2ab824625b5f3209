"""A seeded generator of hostile and messy input files (issue 17), made at test time: nothing binary in the repo.

Every person is invented: names from fixed lists, everything else from ``random.Random(seed)``. The zip files are
written by hand (local headers, central directory), so that a test can make the directory lie, and a bomb of half
a gigabyte costs one compressed block repeated, not half a gigabyte of compressing.
"""

from __future__ import annotations

import random
import struct
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

KOPF = ["Mitgliedsnummer", "Vorname", "Nachname", "Eintritt", "Ortsverein"]
# all of them in Windows-1252, most with a letter outside ASCII
VORNAMEN = ["Jörg", "Änne", "René", "Jürgen", "Sören", "Zoë", "Björn", "Grete", "Ute", "Maïté"]
NACHNAMEN = ["Müller", "Weiß", "Groß", "Schäfer", "Köhler", "Meier", "Öztürk", "Bäcker", "Nowak", "Åberg"]
ORTSVEREINE = ["Altstadt", "Südstadt", "Überlingen", "Neustadt"]


def mitglieder(seed: int, anzahl: int) -> list[list[str]]:
    """``anzahl`` invented members as rows of text under :data:`KOPF` (distinct numbers)."""
    rng = random.Random(seed)
    nummern = rng.sample(range(100_000, 999_999), anzahl)
    return [
        [
            str(nummer),
            rng.choice(VORNAMEN),
            rng.choice(NACHNAMEN),
            f"{rng.randint(1, 28):02d}.{rng.randint(1, 12):02d}.{rng.randint(1990, 2025)}",
            rng.choice(ORTSVEREINE),
        ]
        for nummer in nummern
    ]


# ---- csv --------------------------------------------------------------------------------------------------------


def csv_zeilen(rows: Sequence[Sequence[str]], trenner: str = ";") -> list[str]:
    """The lines of a csv file (no quoting: the invented values hold no separator)."""
    return [trenner.join(row) for row in rows]


def mit_anfuehrungszeichen(zeilen: list[str], zeile: int, feld: int, trenner: str = ";") -> list[str]:
    """A stray opening quote at the start of field ``feld`` of line ``zeile`` (from 0), never closed."""
    fields = zeilen[zeile].split(trenner)
    fields[feld] = '"' + fields[feld]
    return [*zeilen[:zeile], trenner.join(fields), *zeilen[zeile + 1 :]]


def gemischt(zeilen: Sequence[str], cp1252: Sequence[bool], ende: str = "\r\n") -> bytes:
    """Each line in UTF-8 or, where ``cp1252`` says so, in Windows-1252: two exports pasted together."""
    return b"".join((z + ende).encode("cp1252" if alt else "utf-8") for z, alt in zip(zeilen, cp1252))


def unicode_text(rows: Sequence[Sequence[str]]) -> bytes:
    """Excel's "Unicode-Text": UTF-16 LE with a byte order mark, tab-separated, CRLF."""
    return b"\xff\xfe" + "".join("\t".join(row) + "\r\n" for row in rows).encode("utf-16-le")


# ---- zip, by hand -----------------------------------------------------------------------------------------------


@dataclass
class Teil:
    """One part of a zip file: its name, its bytes as stored, and what the directory says about it."""

    name: str
    daten: bytes  # as stored: deflated (raw) or plain
    groesse: int  # the size inflated, as the directory claims it
    crc: int
    gepackt: bool = True


def teil(name: str, inhalt: bytes) -> Teil:
    """An honest deflated part."""
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    return Teil(name, packer.compress(inhalt) + packer.flush(), len(inhalt), zlib.crc32(inhalt))


def wiederholt(name: str, anfang: bytes, block: bytes, mal: int, ende: bytes) -> Teil:
    """``anfang + block * mal + ende`` deflated without inflating it here: after a full flush the compressor
    starts afresh, so the compressed block is the same every time and is repeated as it is."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    kopf = packer.compress(anfang) + packer.flush(zlib.Z_FULL_FLUSH)
    gepackt = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    schluss = packer.compress(ende) + packer.flush()
    crc = zlib.crc32(anfang)
    for _ in range(mal):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(ende, crc)
    return Teil(name, kopf + gepackt * mal + schluss, len(anfang) + len(block) * mal + len(ende), crc)


def zip_schreiben(path: Path, teile: Sequence[Teil], *, luege: dict[str, int] | None = None) -> Path:
    """A zip file of ``teile``; ``luege``: part name -> the size the directory claims (local header and central
    directory alike)."""
    luege = luege or {}
    lokal, zentral = bytearray(), bytearray()
    for t in teile:
        name = t.name.encode()
        methode = 8 if t.gepackt else 0
        groesse = luege.get(t.name, t.groesse)
        kopf = struct.pack(
            "<IHHHHHIIIHH", 0x04034B50, 20, 0, methode, 0, 0x21, t.crc, len(t.daten), groesse, len(name), 0
        )
        zentral += struct.pack(
            "<IHHHHHHIIIHHHHHII",
            0x02014B50,
            20,
            20,
            0,
            methode,
            0,
            0x21,
            t.crc,
            len(t.daten),
            groesse,
            len(name),
            0,
            0,
            0,
            0,
            0,
            len(lokal),
        )
        zentral += name
        lokal += kopf + name + t.daten
    ende = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(teile), len(teile), len(zentral), len(lokal), 0)
    path.write_bytes(bytes(lokal + zentral + ende))
    return path


# ---- xlsx -------------------------------------------------------------------------------------------------------

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"


def _xlsx_rahmen(gemeinsam: bool) -> list[Teil]:
    shared = (
        f'<Relationship Id="rId2" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/>'
        if gemeinsam
        else ""
    )
    return [
        teil(
            "[Content_Types].xml",
            b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            b'<Default Extension="xml" ContentType="application/xml"/>'
            b'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            b'spreadsheetml.sheet.main+xml"/></Types>',
        ),
        teil(
            "_rels/.rels",
            f'<?xml version="1.0"?><Relationships xmlns="{_PKG}"><Relationship Id="rId1" '
            f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'.encode(),
        ),
        teil(
            "xl/workbook.xml",
            f'<?xml version="1.0"?><workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>'
            f'<sheet name="Mitglieder" sheetId="1" r:id="rId1"/></sheets></workbook>'.encode(),
        ),
        teil(
            "xl/_rels/workbook.xml.rels",
            f'<?xml version="1.0"?><Relationships xmlns="{_PKG}"><Relationship Id="rId1" '
            f'Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>{shared}</Relationships>'.encode(),
        ),
    ]


def _spalte(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def blatt_xml(
    rows: Sequence[Sequence[str]],
    *,
    extra: Sequence[str] = (),
    dimension: str | None = None,
    zahlen: dict[tuple[int, int], str] | None = None,
) -> bytes:
    """A sheet of inline text cells; ``zahlen``: (row, column) from 1 and 0 -> the raw text of a number cell
    there ("NaN", "inf"); ``extra``: raw ``<row>`` elements after the rows (a far cell, ...)."""
    zahlen = zahlen or {}
    teile = [f'<?xml version="1.0"?><worksheet xmlns="{_MAIN}">']
    if dimension:
        teile.append(f'<dimension ref="{dimension}"/>')
    teile.append("<sheetData>")
    for r, row in enumerate(rows, start=1):
        zellen = {
            c: f'<c r="{_spalte(c)}{r}" t="inlineStr"><is><t>{escape(v)}</t></is></c>'
            for c, v in enumerate(row)
            if v
        }
        zellen.update(
            {c: f'<c r="{_spalte(c)}{r}"><v>{v}</v></c>' for (zr, c), v in zahlen.items() if zr == r}
        )
        teile.append(f'<row r="{r}">{"".join(zellen[c] for c in sorted(zellen))}</row>')
    teile.extend(extra)
    teile.append("</sheetData></worksheet>")
    return "".join(teile).encode()


def xlsx(path: Path, rows: Sequence[Sequence[str]], **blatt: object) -> Path:
    """A small xlsx of ``rows`` (see :func:`blatt_xml` for the options)."""
    return zip_schreiben(
        path, [*_xlsx_rahmen(False), teil("xl/worksheets/sheet1.xml", blatt_xml(rows, **blatt))]
    )  # type: ignore[arg-type]


_BUCHSTABEN = bytes.maketrans(
    bytes(range(256)), bytes(b"abcdefghijklmnopqrstuvwxyz"[i % 26] for i in range(256))
)


def _block(groesse: int, verhaeltnis: int, seed: int, auf: bytes, zu: bytes) -> bytes:
    """About ``groesse`` bytes of cells ``auf + text + zu`` of 128 KB text each that deflate a little less than
    ``verhaeltnis`` times (random letters, then one letter over and over)."""
    zufall = random.Random(seed).randbytes(groesse).translate(_BUCHSTABEN)

    def block(zufaellig: int) -> bytes:
        text = zufall[:zufaellig] + b"A" * (groesse - zufaellig)
        return b"".join(auf + text[i : i + (1 << 17)] + zu for i in range(0, len(text), 1 << 17))

    unten, oben = 0, groesse
    while unten < oben:  # the fewest random letters that keep the ratio below ``verhaeltnis``
        mitte = (unten + oben) // 2
        packer = zlib.compressobj(9, zlib.DEFLATED, -15)
        versuch = block(mitte)
        if len(versuch) / len(packer.compress(versuch) + packer.flush(zlib.Z_FULL_FLUSH)) < verhaeltnis:
            oben = mitte
        else:
            unten = mitte + 1
    return block(unten)


def zip_bombe(
    path: Path,
    rows: Sequence[Sequence[str]],
    *,
    groesse: int,
    verhaeltnis: int = 399,
    teil_name: str = "xl/worksheets/sheet1.xml",
    luege: int | None = None,
    seed: int = 17,
) -> Path:
    """An xlsx whose part ``teil_name`` inflates to about ``groesse`` bytes at about ``verhaeltnis`` : 1 (just
    under the limit of 400 by default): rows of long text cells (or long shared strings). ``luege``: the size the
    zip directory claims for that part instead."""
    gemeinsam = teil_name == "xl/sharedStrings.xml"
    # cells of 128 KB each (a single cell that long is refused on its own, see the test of Excel's cell limit)
    auf, zu = (
        (b"<si><t>", b"</t></si>")
        if gemeinsam
        else (b'<row><c t="inlineStr"><is><t>', b"</t></is></c></row>")
    )
    block = _block(1 << 20, verhaeltnis, seed, auf, zu)
    mal = max(1, groesse // len(block))
    if gemeinsam:
        bombe = wiederholt(teil_name, f'<sst xmlns="{_MAIN}">'.encode(), block, mal, b"</sst>")
        teile = [*_xlsx_rahmen(True), teil("xl/worksheets/sheet1.xml", blatt_xml(rows)), bombe]
    else:
        anfang = blatt_xml(rows).split(b"</sheetData>")[0]
        bombe = wiederholt(teil_name, anfang, block, mal, b"</sheetData></worksheet>")
        teile = [*_xlsx_rahmen(False), bombe]
    return zip_schreiben(path, teile, luege={teil_name: luege} if luege is not None else None)


# ---- ods --------------------------------------------------------------------------------------------------------


def ods(path: Path, tabelle: str) -> Path:
    """An OpenDocument spreadsheet whose one table holds the ``<table:table-row>`` elements ``tabelle``."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body>'
        f'<office:spreadsheet><table:table table:name="Mitglieder">{tabelle}</table:table></office:spreadsheet>'
        "</office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    mimetype = b"application/vnd.oasis.opendocument.spreadsheet"
    return zip_schreiben(
        path,
        [
            Teil("mimetype", mimetype, len(mimetype), zlib.crc32(mimetype), gepackt=False),
            teil("META-INF/manifest.xml", manifest.encode()),
            teil("content.xml", content.encode()),
        ],
    )


def ods_zelle(wert: str, *, wiederholt: int = 1, typ: str = "string") -> str:
    mal = f' table:number-columns-repeated="{wiederholt}"' if wiederholt > 1 else ""
    if typ == "string":
        return f'<table:table-cell{mal} office:value-type="string"><text:p>{escape(wert)}</text:p></table:table-cell>'
    return (
        f'<table:table-cell{mal} office:value-type="{typ}" office:value="{wert}"><text:p>{escape(wert)}</text:p>'
        "</table:table-cell>"
    )


def ods_zeile(zellen: Sequence[str], *, wiederholt: int = 1) -> str:
    mal = f' table:number-rows-repeated="{wiederholt}"' if wiederholt > 1 else ""
    return f"<table:table-row{mal}>{''.join(zellen)}</table:table-row>"


def ods_zeilen(rows: Sequence[Sequence[str]]) -> str:
    return "".join(ods_zeile([ods_zelle(v) for v in row]) for row in rows)
