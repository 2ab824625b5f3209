"""The report's three files, written from its content model (:class:`bericht.Block`): HTML, Word and Excel.

:mod:`bericht` builds the blocks (what the report says); this module decides how they look in each format. It
never imports :mod:`bericht` (that imports this): blocks, tables and tiles are read by their attributes.
"""

from __future__ import annotations

import html as html_lib
import io
import math
import re
import textwrap
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from mitgliederarbeit import __version__

# --------------------------------------------------------------------------------------------------------------
# HTML


def html_text(bloecke: Sequence[Any], titel: str, untertitel: str) -> str:
    """The report as one self-contained HTML page: ``templates/bericht.html`` (head, style, frame) with the blocks.

    The blocks are written here rather than by a template engine: importing and compiling one cost more than the
    rest of the page (a tenth of a second per report).
    """
    from string import Template

    from mitgliederarbeit.vorlagen import vorlagen_ordner

    rahmen = Template((vorlagen_ordner() / "bericht.html").read_text(encoding="utf-8"))
    navigation = "".join(
        f'<a href="#{_h(blk.anker)}">{_h(blk.text)}</a>'
        for blk in bloecke
        if blk.art == "ueberschrift" and blk.anker
    )
    teile: list[str] = []
    for b in bloecke:
        _html_block(b, teile)
    return rahmen.substitute(
        titel=_h(titel),
        titel_css=_css_text(_rein(titel)),
        untertitel=_h(untertitel),
        version=_h(__version__),
        navigation=navigation,
        inhalt="\n".join(teile),
    )


def _h(text: object) -> str:
    """Text for HTML: escaped, without the control characters HTML does not allow (as :func:`_rein` for Word)."""
    return html_lib.escape(_rein(str(text)), quote=True)


def _html_block(b: Any, teile: list[str]) -> None:
    """One block of the content model as HTML (appended to ``teile``)."""
    if b.art == "ueberschrift":
        if b.ebene == 2:
            anker = f' id="{_h(b.anker)}"' if b.anker else ""
            teile.append(f"<h2{anker}>{_h(b.text)}</h2>")
        else:
            teile.append(f"<h3>{_h(b.text)}</h3>")
    elif b.art == "absatz":
        teile.append(f"<p>{_h(b.text)}</p>")
    elif b.art == "hinweis":
        teile.append(f'<p class="hinweis">{_h(b.text)}</p>')
    elif b.art == "liste":
        teile.append("<ul>" + "".join(f"<li>{_h(p)}</li>" for p in b.punkte) + "</ul>")
    elif b.art == "kennzahlen":
        kacheln = []
        for c in b.kacheln:
            teil = [
                f'<div class="kennzahl{" vorbehalt" if c.vorbehalt else ""}"><span class="wert">{_h(c.wert)}</span>'
                f'<span class="name">{_h(c.titel)}</span>'
            ]
            if c.grundlage:
                teil.append(f'<span class="grundlage">{_h(c.grundlage)}</span>')
            if c.vorbehalt:
                teil.append(f'<span class="warnung">⚠ {_h(c.vorbehalt)}</span>')
            kacheln.append("".join(teil) + "</div>")
        teile.append('<div class="kennzahlen">' + "".join(kacheln) + "</div>")
    elif b.art == "definitionen":
        teile.append("<dl>" + "".join(f"<dt>{_h(n)}</dt><dd>{_h(t)}</dd>" for n, t in b.paare) + "</dl>")
    elif b.art == "tabelle" and b.tabelle is not None:
        t = b.tabelle
        teile.append('<div class="tabelle"><table>')
        teile.append(
            "<thead><tr>" + "".join(f'<th scope="col">{_h(s)}</th>' for s in t.spalten) + "</tr></thead>"
        )
        teile.append("<tbody>")
        letzte = len(t.zeilen) - 1
        for j, zeile in enumerate(t.zeilen):
            summe = ' class="summe"' if t.summe and j == letzte else ""
            zellen = "".join(
                f'<td class="zahl">{_h(w)}</td>' if i in t.rechts else f"<td>{_h(w)}</td>"
                for i, w in enumerate(zeile)
            )
            teile.append(f"<tr{summe}>{zellen}</tr>")
        teile.append("</tbody>")
        teile.append("</table></div>")
        if t.fussnote:
            teile.append(f'<p class="fussnote">{_h(t.fussnote)}</p>')
    elif b.art == "diagramm" and b.diagramm is not None:
        d = b.diagramm
        teile.append(
            f'<figure>\n<h3>{_h(d.titel)}</h3>\n<div class="diagramm-rahmen">{d.svg}</div>\n'
            f"<figcaption>{_h(d.beschreibung)}</figcaption>\n</figure>"
        )


def _css_text(text: str) -> str:
    """A text inside a CSS string (the printed footer): quotes, backslashes and "<" escaped the CSS way."""
    return "".join(f"\\{ord(z):X} " if z in '"\\<>&\n' else z for z in text)


def html_schreiben(path: Path, bloecke: Sequence[Any], titel: str, untertitel: str) -> Path:
    from mitgliederarbeit.dateien import schreiben

    text = html_text(bloecke, titel, untertitel)

    def write(tmp: Path) -> None:
        tmp.write_text(text, encoding="utf-8")

    return schreiben(path, write)


# --------------------------------------------------------------------------------------------------------------
# DOCX


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


_HOCH_TWIPS = int((210 - 36) / 25.4 * 1440)  # text width of portrait A4 with 18 mm margins
_QUER_TWIPS = int((297 - 36) / 25.4 * 1440)
_ZELLRAND_TWIPS = 2 * 57 + 20  # the cell margins set in _docx_tabelle (1 mm each side), and a little air
_ZEICHEN_TWIPS = {18: 112, 16: 100, 14: 88}  # width of an average character (bold) by size in half-points


def _docx_breiten(tabelle: Any, groesse: int) -> tuple[list[int], list[int]]:
    """Per column: the least width (the longest word of its header and of its cells on one line) and the width
    its content would like (every cell on one line, long texts wrapped at 40 characters), in twips."""
    zeichen = _ZEICHEN_TWIPS[groesse]
    minimal, wunsch = [], []
    for c, kopf in enumerate(tabelle.spalten):
        zellen = [str(z[c]) for z in tabelle.zeilen if c < len(z)]
        # a soft hyphen (\xad) is where a long word may break: it counts as two
        wort = max((len(w) for t in [kopf, *zellen] for w in t.replace("\xad", " ").split()), default=1)
        laengste = max((len(t) for t in zellen), default=0)
        if c in tabelle.rechts:  # a figure never breaks inside ("62,5 %"), only before its bracket
            wort = max([wort, *(len(teil) for t in zellen for teil in t.split(" ("))])
        minimal.append((wort + 1) * zeichen + _ZELLRAND_TWIPS)  # one character to spare: bold totals
        wunsch.append(max(min(max(laengste, len(kopf) // 2), 40) * zeichen + _ZELLRAND_TWIPS, minimal[-1]))
    return minimal, wunsch


def _docx_spalten(tabelle: Any) -> tuple[list[int], int, bool]:
    """Column widths, the font size (half-points) and whether the table needs a landscape page."""
    for quer, groesse in ((False, 18), (False, 16), (True, 18), (True, 16), (True, 14)):
        verfuegbar = _QUER_TWIPS if quer else _HOCH_TWIPS
        minimal, wunsch = _docx_breiten(tabelle, groesse)
        if sum(minimal) <= verfuegbar or (quer and groesse == 14):
            break
    if tabelle.breiten and len(tabelle.breiten) == len(tabelle.spalten):  # the table's own proportions
        summe = sum(tabelle.breiten)
        wunsch = [max(m, int(verfuegbar * b / summe)) for m, b in zip(minimal, tabelle.breiten)]
    if sum(minimal) >= verfuegbar:  # even the least is too wide: shrink all alike (words may then break)
        return [int(m * verfuegbar / sum(minimal)) for m in minimal], groesse, quer
    if sum(wunsch) <= verfuegbar:  # room to spare: every column gets its wish, the rest shared alike
        rest = (verfuegbar - sum(wunsch)) // len(wunsch)
        return [w + rest for w in wunsch], groesse, quer
    # between the least and the wish: each column gets the same part of what it would like more
    anteil = (verfuegbar - sum(minimal)) / (sum(wunsch) - sum(minimal))
    return [int(m + (w - m) * anteil) for m, w in zip(minimal, wunsch)], groesse, quer


_XML_UNGUELTIG = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _rein(text: str) -> str:
    """A text without the control characters XML cannot hold (a name from an export may carry one)."""
    return _XML_UNGUELTIG.sub("", text)


def _xml_text(text: str) -> str:
    """A cell's text for WordprocessingML: escaped, and without the control characters XML cannot hold."""
    return html_lib.escape(_rein(text), quote=False)


def _docx_tabelle(tabelle: Any, breiten: Sequence[int], groesse: int) -> str:
    """The table as WordprocessingML. The header row repeats on every page; no row splits across pages."""

    def zelle(text: str, spalte: int, fett: bool, kopf: bool) -> str:
        shd = '<w:shd w:val="clear" w:color="auto" w:fill="E7E6E6"/>' if kopf else ""
        jc = '<w:jc w:val="right"/>' if spalte in tabelle.rechts and not kopf else ""
        b = "<w:b/>" if fett else ""
        return (
            f'<w:tc><w:tcPr><w:tcW w:w="{breiten[spalte]}" w:type="dxa"/>{shd}</w:tcPr>'
            f'<w:p><w:pPr><w:spacing w:before="0" w:after="0"/>{jc}</w:pPr>'
            f'<w:r><w:rPr>{b}<w:sz w:val="{groesse}"/></w:rPr>'
            f'<w:t xml:space="preserve">{_xml_text(text)}</w:t></w:r></w:p></w:tc>'
        )

    teile = [
        '<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/>'
        f'<w:tblW w:w="{sum(breiten)}" w:type="dxa"/><w:tblLayout w:type="fixed"/>'
        '<w:tblCellMar><w:left w:w="57" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar>'
        '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" w:noHBand="0" '
        'w:noVBand="1"/></w:tblPr><w:tblGrid>',
        *(f'<w:gridCol w:w="{w}"/>' for w in breiten),
        "</w:tblGrid>",
        "<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>",
        *(zelle(s, i, True, True) for i, s in enumerate(tabelle.spalten)),
        "</w:tr>",
    ]
    letzte = len(tabelle.zeilen) - 1
    for j, zeile in enumerate(tabelle.zeilen):
        fett = tabelle.summe and j == letzte
        teile.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
        teile.extend(zelle(str(v), i, fett, False) for i, v in enumerate(zeile))
        teile.append("</w:tr>")
    teile.append("</w:tbl>")
    return "".join(teile)


_ZEILENENDE = re.compile("\r\n|\r|\n")


def _lauf(text: str, rpr: str = "") -> str:
    """A run of text (w:r): a line break in the text (\\n, \\r\\n or \\r) as w:br, a tab as w:tab, as Word writes
    them."""
    teile = []
    for i, zeile in enumerate(_ZEILENENDE.split(_rein(text))):
        if i:
            teile.append("<w:br/>")
        for k, stueck in enumerate(zeile.split("\t")):
            if k:
                teile.append("<w:tab/>")
            if stueck:
                teile.append(f'<w:t xml:space="preserve">{html_lib.escape(stueck, quote=False)}</w:t>')
    return f"<w:r>{f'<w:rPr>{rpr}</w:rPr>' if rpr else ''}{''.join(teile)}</w:r>"


def _absatz(inhalt: str = "", stil_id: str | None = None, *, weiter: bool = False) -> str:
    """A paragraph (w:p) of runs, in the style with the id ``stil_id`` (one of :data:`berichtsvorlage.STILE`);
    ``weiter``: kept on the page of the next paragraph."""
    ppr = (f'<w:pStyle w:val="{stil_id}"/>' if stil_id else "") + ("<w:keepNext/>" if weiter else "")
    return f"<w:p>{f'<w:pPr>{ppr}</w:pPr>' if ppr else ''}{inhalt}</w:p>"


def _feld(code: str) -> str:
    """A Word field (PAGE, NUMPAGES) in 8 pt: Word and LibreOffice fill it in when they lay out pages."""
    klein = '<w:rPr><w:sz w:val="16"/></w:rPr>'
    return (
        f'<w:r>{klein}<w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r>{klein}<w:instrText xml:space="preserve"> {code} </w:instrText></w:r>'
        f'<w:r>{klein}<w:fldChar w:fldCharType="separate"/></w:r>'
        f"<w:r>{klein}<w:t>1</w:t></w:r>"
        f'<w:r>{klein}<w:fldChar w:fldCharType="end"/></w:r>'
    )


def _ausrichtungen(bloecke: Sequence[Any]) -> list[bool]:
    """Per block: on a landscape page?

    A chapter (from one level-2 heading to the next) with a table too wide for portrait turns to landscape at that
    table's headings and stays so to its end: the pages do not flip back and forth between its tables.
    """
    ergebnis = [False] * len(bloecke)
    anfaenge = [i for i, b in enumerate(bloecke) if b.art == "ueberschrift" and b.ebene == 2]
    for anfang, ende in zip([0, *anfaenge], [*anfaenge, len(bloecke)]):
        breit = next(
            (
                i
                for i in range(anfang, ende)
                if bloecke[i].art == "tabelle"
                and bloecke[i].tabelle is not None
                and _docx_spalten(bloecke[i].tabelle)[2]
            ),
            None,
        )
        if breit is None:
            continue
        while breit > anfang and bloecke[breit - 1].art == "ueberschrift":  # the table's headings go with it
            breit -= 1
        for i in range(breit, ende):
            ergebnis[i] = True
    return ergebnis


_EMU_MM = 36_000
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_BILD_REL = f"{_R}/image"
_FUSS_REL = f"{_R}/footer"
_FUSS_VERWEIS = '<w:footerReference w:type="default" r:id="rIdFuss"/>'


def _sectpr(quer: bool, fuss: bool) -> str:
    """A section's page: A4 portrait or landscape, 18 mm margins, the footer 8 mm from the edge. The first section
    names the footer; the others show it too (Word takes a section's footer over from the one before)."""
    groesse = (
        '<w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/>'
        if quer
        else '<w:pgSz w:w="11906" w:h="16838"/>'
    )
    return (
        f"<w:sectPr>{_FUSS_VERWEIS if fuss else ''}{groesse}"
        '<w:pgMar w:top="1020" w:right="1020" w:bottom="1020" w:left="1020" w:header="720" w:footer="454" '
        'w:gutter="0"/><w:cols w:space="720"/><w:docGrid w:linePitch="360"/></w:sectPr>'
    )


def _bild(nummer: int, png: bytes, breite_mm: float, hoehe_max_mm: float) -> str:
    """A picture inline in its run, as wide as ``breite_mm`` or, if that made it taller, as high as ``hoehe_max_mm``."""
    breite, hoehe = max(int.from_bytes(png[16:20], "big"), 1), max(int.from_bytes(png[20:24], "big"), 1)
    if hoehe * breite_mm / breite > hoehe_max_mm:  # taller than a page allows: fit the height
        cy = int(hoehe_max_mm * _EMU_MM)
        cx = round(cy * breite / hoehe)
    else:
        cx = int(breite_mm * _EMU_MM)
        cy = round(cx * hoehe / breite)
    return (
        '<w:r><w:drawing><wp:inline xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
        'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        f'<wp:extent cx="{cx}" cy="{cy}"/><wp:docPr id="{nummer}" name="Picture {nummer}"/>'
        '<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr>'
        '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic>'
        f'<pic:nvPicPr><pic:cNvPr id="0" name="image{nummer}.png"/><pic:cNvPicPr/></pic:nvPicPr>'
        f'<pic:blipFill><a:blip r:embed="rIdBild{nummer}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
        f'<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm><a:prstGeom prst="rect"/>'
        "</pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"
    )


def _kern(titel: str, stand: date) -> str:
    """docProps/core.xml: the title and the Stichtag as the dates, no author."""
    zeit = f"{stand.isoformat()}T00:00:00Z"
    return (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{_xml_text(titel)}</dc:title><dc:creator></dc:creator><dc:description></dc:description>"
        "<cp:lastModifiedBy></cp:lastModifiedBy><cp:revision>1</cp:revision>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{zeit}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{zeit}</dcterms:modified></cp:coreProperties>'
    )


_DOKUMENT_KOPF = (
    "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    f'<w:document xmlns:w="{_W}" xmlns:r="{_R}" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"><w:body>'
)


def docx_schreiben(path: Path, bloecke: Sequence[Any], titel: str, untertitel: str, stand: date) -> Path:
    """The report as a Word document: A4, wide tables on landscape pages, page numbers in the footer.

    ``templates/bericht.docx`` (:mod:`berichtsvorlage`) gives the styles, the theme and the settings; the text is
    WordprocessingML written here, the way Word writes it. (python-docx built the same document: loading it cost a
    small report more than the document itself.)
    """
    import zipfile

    from mitgliederarbeit.dateien import schreiben
    from mitgliederarbeit.vorlagen import vorlagen_ordner

    # the pictures are drawn first and packed in threads while the document is written
    for block in bloecke:
        if block.art == "diagramm" and block.diagramm is not None:
            block.diagramm.png_vorbereiten()
    klein = '<w:sz w:val="16"/>'
    teile = [_DOKUMENT_KOPF, _absatz(_lauf(titel), "Title"), _absatz(_lauf(untertitel))]
    bilder: list[bytes] = []
    quer_jetzt = False
    erste = True  # the first section, which names the footer
    for block, quer in zip(bloecke, _ausrichtungen(bloecke)):
        if quer != quer_jetzt:  # the section so far ends with this paragraph
            teile.append(f"<w:p><w:pPr>{_sectpr(quer_jetzt, erste)}</w:pPr></w:p>")
            quer_jetzt, erste = quer, False
        if block.art == "ueberschrift":
            # the document's own title is "Title": a level-1 block is Heading1 too (Heading0 does not exist)
            stufe = max(1, min(block.ebene - 1, 3))
            teile.append(_absatz(_lauf(block.text), f"Heading{stufe}", weiter=True))
        elif block.art == "absatz":
            teile.append(_absatz(_lauf(block.text)))
        elif block.art == "hinweis":
            teile.append(_absatz(_lauf(block.text, "<w:i/>")))
        elif block.art == "liste":
            teile.extend(_absatz(_lauf(punkt), "ListBullet") for punkt in block.punkte)
        elif block.art == "kennzahlen":
            tabelle = SimpleNamespace(
                spalten=["Kennzahl", "Wert", "Grundlage", "Vorbehalt"],
                zeilen=[[c.titel, c.wert, c.grundlage, c.vorbehalt] for c in block.kacheln],
                rechts={1},
                summe=False,
                breiten=None,
            )
            breiten, groesse, _ = _docx_spalten(tabelle)
            teile += [_docx_tabelle(tabelle, breiten, groesse), _absatz()]
        elif block.art == "definitionen":
            teile.extend(_absatz(_lauf(f"{name}: ", "<w:b/>") + _lauf(text)) for name, text in block.paare)
        elif block.art == "tabelle" and block.tabelle is not None:
            breiten, groesse, _ = _docx_spalten(block.tabelle)
            fussnote = block.tabelle.fussnote
            teile += [
                _docx_tabelle(block.tabelle, breiten, groesse),
                _absatz(_lauf(fussnote, "<w:i/>" + klein) if fussnote else ""),
            ]
        elif block.art == "diagramm" and block.diagramm is not None:
            bilder.append(block.diagramm.png)
            # title and picture in one paragraph: a page break never parts them
            titel_lauf = _lauf(block.diagramm.titel)[: -len("</w:r>")] + "<w:br/></w:r>"
            bild = _bild(
                len(bilder), bilder[-1], min(170, 261 if quer_jetzt else 174), 140 if quer_jetzt else 200
            )
            teile += [
                _absatz(titel_lauf + bild, "Caption", weiter=True),
                _absatz(_lauf(block.diagramm.beschreibung, "<w:i/>" + klein)),
            ]
    teile.append(
        _absatz(
            _lauf(
                f"Erstellt mit mitgliederarbeit {__version__}. Enthält keine personenbezogenen Daten.", klein
            )
        )
    )
    teile.append(_sectpr(quer_jetzt, erste) + "</w:body></w:document>")
    fuss = (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        f'<w:ftr xmlns:w="{_W}" xmlns:r="{_R}"><w:p><w:pPr><w:pStyle w:val="Footer"/>'
        '<w:tabs><w:tab w:val="right" w:pos="9865"/></w:tabs></w:pPr>'
        + _lauf(f"{untertitel[:110]}\tSeite ", klein)
        + _feld("PAGE")
        + _lauf(" von ", klein)
        + _feld("NUMPAGES")
        + "</w:p></w:ftr>"
    )
    with zipfile.ZipFile(vorlagen_ordner() / "bericht.docx") as vorlage:
        inhalt = {name: vorlage.read(name) for name in vorlage.namelist()}
    beziehungen = "".join(
        f'<Relationship Id="rIdBild{i}" Type="{_BILD_REL}" Target="media/image{i}.png"/>'
        for i in range(1, len(bilder) + 1)
    )
    inhalt["word/_rels/document.xml.rels"] = inhalt["word/_rels/document.xml.rels"].replace(
        b"</Relationships>",
        f'<Relationship Id="rIdFuss" Type="{_FUSS_REL}" Target="footer1.xml"/>{beziehungen}</Relationships>'.encode(),
    )
    inhalt["[Content_Types].xml"] = inhalt["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Default Extension="png" ContentType="image/png"/><Override PartName="/word/footer1.xml" '
        b'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/></Types>',
    )
    inhalt["docProps/core.xml"] = _kern(titel, stand).encode()
    inhalt["word/document.xml"] = "".join(teile).encode()
    inhalt["word/footer1.xml"] = fuss.encode()

    def write(tmp: Path) -> None:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as ziel:
            for name, daten in inhalt.items():
                ziel.writestr(name, daten)
            for i, png in enumerate(bilder, 1):  # packed already
                ziel.writestr(f"word/media/image{i}.png", png, zipfile.ZIP_STORED)

    return schreiben(path, write)


# --------------------------------------------------------------------------------------------------------------
# XLSX


_SCHRIFT = {"font_name": "Arial", "font_size": 10}
_ZEILE_PT = 13.0  # one line of Arial 10 pt
# Arial 10 pt characters per unit of column width: about 1.25 measured in Excel and LibreOffice; less, so that
# a row is a little too high rather than cutting a line
_ZEICHEN_JE_BREITE = 1.15
_ZAHL = re.compile(r"^-?\d{1,3}(?:\.\d{3})*(?:,\d+)?(?: ?%)?$")
# usable A4 width in column units (Arial 10): portrait and landscape, with the margins set below
_BREITE_HOCH, _BREITE_QUER = 92.0, 138.0


def _zeilen_umbruch(text: str, breite: float) -> int:
    """How many lines ``text`` wraps to, word by word, in a column ``breite`` wide (Arial 10 pt)."""
    je_zeile = max(int((breite - 1) * _ZEICHEN_JE_BREITE), 1)
    linien = 0
    for absatz in text.split("\n"):
        laenge = 0
        linien += 1
        for wort in absatz.split(" "):
            if laenge and laenge + 1 + len(wort) > je_zeile:
                linien += 1 + len(wort) // je_zeile
                laenge = len(wort) % je_zeile
            else:
                laenge += (1 if laenge else 0) + len(wort)
    return linien


def _zahl_aus_text(text: str) -> tuple[float, bool] | None:
    """A German figure as shown ("1.525", "5,9 %") as a number and whether it is a share; else None."""
    text = text.strip()
    if not _ZAHL.match(text):
        return None
    prozent = text.endswith("%")
    zahl = float(text.rstrip(" %").replace(".", "").replace(",", "."))
    return (zahl / 100, True) if prozent else (zahl, False)


def _spaltenart(kopf: str, werte: Sequence[object]) -> str:
    """``prozent`` (values in percent points: 62.5), ``ganz``, ``zahl`` (one decimal) or ``text``."""
    zahlen = [v for v in werte if isinstance(v, (int, float)) and not isinstance(v, bool)]
    if not zahlen:
        # a column of figures that are all suppressed ("< 5", "–") still lines up like figures
        unterdrueckt = all(
            isinstance(v, str) and _UNTERDRUECKT.match(v) for v in werte if v not in (None, "")
        )
        return "rechts" if werte and unterdrueckt else "text"
    if kopf.endswith(" in %") or "%-Intervall" in kopf:
        return "prozent"
    return "ganz" if all(isinstance(v, int) or float(v).is_integer() for v in zahlen) else "zahl"


def _seiten_breit(breite: float) -> int:
    """How many pages side by side a table ``breite`` wide prints on (beyond 1.4 landscape pages: shrunk too far)."""
    return min(math.ceil(breite / (_BREITE_QUER * 1.25)), 3) if breite > _BREITE_QUER * 1.4 else 1


_UNTERDRUECKT = re.compile(r"^(<\s?\d+|–|-|keine Daten|nicht gerankt|noch offen)$")


class _Mappe:
    """The formats of the report's workbook (xlsxwriter makes them per workbook)."""

    def __init__(self, workbook: Any, titel: str, untertitel: str) -> None:
        self.workbook = workbook
        self.titel = titel
        self.untertitel = untertitel
        neu = workbook.add_format
        self.kopf = neu(
            {**_SCHRIFT, "bold": True, "bg_color": "#E7E6E6", "border": 1, "text_wrap": True, "valign": "top"}
        )
        self.ueberschrift = neu({**_SCHRIFT, "bold": True, "font_size": 13, "valign": "top"})
        self.umbruch = neu({**_SCHRIFT, "text_wrap": True, "valign": "top"})
        self.fussnote = neu({**_SCHRIFT, "italic": True, "font_size": 9, "text_wrap": True, "valign": "top"})
        self.formate: dict[tuple[str, bool], Any] = {}
        zahlformat = {"prozent": "0.0 %", "ganz": "#,##0", "zahl": "#,##0.0", "text": "@", "rechts": "@"}
        for art, code in zahlformat.items():
            for fett in (False, True):
                eigenschaften: dict[str, Any] = {
                    **_SCHRIFT,
                    "border": 1,
                    "border_color": "#BFBFBF",
                    "valign": "top",
                }
                if art == "text":
                    eigenschaften["text_wrap"] = True
                else:
                    eigenschaften.update(num_format=code, align="right")
                if fett:
                    eigenschaften.update(bold=True, top=2)
                self.formate[(art, fett)] = neu(eigenschaften)

    def seite(self, sheet: Any, breite: float) -> None:
        """A4 in portrait or landscape by the table's width, header and footer with the page number.

        A table too wide for one landscape page at a legible size spreads over two or three pages side by side,
        each repeating the first column (the names).
        """
        sheet.set_paper(9)
        if breite > _BREITE_HOCH:
            sheet.set_landscape()
        else:
            sheet.set_portrait()
        breit = _seiten_breit(breite)
        sheet.fit_to_pages(breit, 0)
        if breit > 1:
            sheet.repeat_columns(0)
        sheet.set_margins(left=0.5, right=0.5, top=0.8, bottom=0.8)
        kopf = self.titel[:100].replace("&", "&&")
        unter = self.untertitel[:100].replace("&", "&&")
        sheet.set_header(f"&L&8{kopf}&R&8&A", {"margin": 0.3})
        sheet.set_footer(f"&L&8{unter}&R&8Seite &P von &N", {"margin": 0.3})


def _tabellenblatt(
    mappe: _Mappe,
    name: str,
    spalten: Sequence[str],
    zeilen: Sequence[Sequence[object]],
    summe: bool,
    fussnote: str,
    arten: Sequence[str] | None = None,
) -> None:
    """One table: real numbers with German number formats, widths from the content, print setup."""
    sheet = mappe.workbook.add_worksheet(name)
    n = len(spalten)
    if arten is None or len(arten) != n:
        arten = [_spaltenart(kopf, [z[c] for z in zeilen if c < len(z)]) for c, kopf in enumerate(spalten)]
    breiten: list[float] = []
    for c, kopf in enumerate(spalten):
        werte = [z[c] for z in zeilen if c < len(z)]
        laengste = max((len(_anzeige(v, arten[c])) for v in werte), default=0)
        wort = max((len(w) for w in kopf.split()), default=0)
        if arten[c] == "text":
            breite = min(max(laengste, wort, 8) + 2, 34 if c == 0 else 40)
        else:
            breite = min(max(laengste + 2, wort + 2, 8), 16)
        breiten.append(float(breite))
    kopf_linien = max((_zeilen_umbruch(k, breiten[c]) for c, k in enumerate(spalten)), default=1)
    sheet.set_row(0, _ZEILE_PT * min(kopf_linien, 6) + 4)
    for c, kopf in enumerate(spalten):
        sheet.set_column(c, c, breiten[c])
        sheet.write_string(0, c, kopf, mappe.kopf)
    letzte = len(zeilen) - 1
    for r, zeile in enumerate(zeilen, start=1):
        fett = summe and r - 1 == letzte
        linien = 1
        for c, wert in enumerate(zeile[:n]):
            art = arten[c]
            if isinstance(wert, (int, float)) and not isinstance(wert, bool):
                zahl = wert / 100 if art == "prozent" else wert
                sheet.write_number(r, c, zahl, mappe.formate[(art, fett)])
                continue
            text = "" if wert is None else str(wert)
            # "–", "< 5", "keine Daten" in a column of figures stand where the figure would
            fmt = mappe.formate[("text" if art == "text" else "rechts", fett)]
            sheet.write_string(r, c, text, fmt)
            if art == "text":
                linien = max(linien, _zeilen_umbruch(text, breiten[c]))
        if linien > 1:
            sheet.set_row(r, _ZEILE_PT * linien + 4)
    sheet.freeze_panes(1, 1)
    sheet.repeat_rows(0)
    if zeilen:
        sheet.autofilter(0, 0, len(zeilen) - (1 if summe else 0), n - 1)
    ende = len(zeilen)
    if fussnote:
        unter = ende + 2
        # across the columns of the first page only: a table printed over two pages would cut it
        seite = sum(breiten) / _seiten_breit(sum(breiten))
        bis = max(c for c in range(n) if sum(breiten[: c + 1]) <= seite or c == 0)
        # over several pages the first column repeats on each: the note starts beside it, not in it
        von = 1 if _seiten_breit(sum(breiten)) > 1 and bis > 1 else 0
        if bis > von:
            sheet.merge_range(unter, von, unter, bis, fussnote, mappe.fussnote)
        else:
            sheet.write_string(unter, von, fussnote, mappe.fussnote)
        sheet.set_row(unter, 12.0 * _zeilen_umbruch(fussnote, sum(breiten[von : bis + 1]) * 1.1) + 4)
        ende = unter
    sheet.print_area(0, 0, ende, n - 1)
    mappe.seite(sheet, sum(breiten))


def _anzeige(wert: object, art: str) -> str:
    """How long a value looks in its cell (for the column width)."""
    if isinstance(wert, (int, float)) and not isinstance(wert, bool):
        if art == "prozent":
            return f"{wert:.1f} %"
        if art == "ganz":
            return f"{wert:,.0f}"
        return f"{wert:,.1f}"
    return "" if wert is None else str(wert)


def _textblatt(mappe: _Mappe, name: str, zeilen: Sequence[str]) -> None:
    """Text lines (the first a heading) that print wrapped to the page width, each line with its own height."""
    sheet = mappe.workbook.add_worksheet(name)
    # LibreOffice measures Arial as Liberation Sans, a little wider than Excel: 80 still fits portrait A4
    breite = 80.0
    sheet.set_column(0, 0, breite, mappe.umbruch)
    for r, text in enumerate(zeilen):
        if r == 0:
            sheet.write_string(r, 0, text, mappe.ueberschrift)
            sheet.set_row(r, 22)
            continue
        if text:
            sheet.write_string(r, 0, text, mappe.umbruch)
        sheet.set_row(r, _ZEILE_PT * _zeilen_umbruch(text, breite) + 5)
    sheet.hide_gridlines(2)
    sheet.print_area(0, 0, max(len(zeilen) - 1, 0), 0)
    mappe.seite(sheet, 0)


def _png_groesse(png: bytes) -> tuple[float, float]:
    """A PNG's size in pixels as Excel shows it (96 per inch), honouring the resolution stored in the file."""
    breite, hoehe = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    at = png.find(b"pHYs")
    if at > 0 and png[at + 12] == 1:  # pixels per metre
        dpi = int.from_bytes(png[at + 8 : at + 12], "big") * 0.0254
        if dpi > 0:
            return breite * 96 / dpi, hoehe * 96 / dpi
    return float(breite), float(hoehe)


_BILD_BREITE_PX = 600.0  # fits the column of the chart sheet, and portrait A4 with the margins of mappe.seite
_BILD_HOEHE_PX = 860.0  # leaves room on the page for the title above and the caption below
_ZEILE_PX = 20.0  # a default row (15 pt)


def _diagrammblatt(mappe: _Mappe, diagramme: Sequence[Any]) -> None:
    """Each chart on a page of its own: title, picture scaled to the page, caption; never cut by a page break."""
    sheet = mappe.workbook.add_worksheet("Diagramme")
    # the picture fits the column (its anchor stays in one cell); both narrower than the printable width of 92
    # units, as LibreOffice measures a unit wider than Excel and would cut the caption at the page edge
    breite = 88.0
    sheet.set_column(0, 0, breite, mappe.umbruch)
    sheet.hide_gridlines(2)
    umbrueche: list[int] = []
    zeile = 0
    for nummer, diagramm in enumerate(diagramme):
        if nummer:
            umbrueche.append(zeile)
        sheet.write_string(zeile, 0, diagramm.titel, mappe.ueberschrift)
        sheet.set_row(zeile, 22)
        png = diagramm.png
        b, h = _png_groesse(png)
        skala = min(_BILD_BREITE_PX / b, _BILD_HOEHE_PX / h, 1.0)
        sheet.insert_image(
            zeile + 1,
            0,
            f"{diagramm.schluessel}.png",
            {"image_data": io.BytesIO(png), "x_scale": skala, "y_scale": skala, "object_position": 3},
        )
        zeile += 2 + int(h * skala / _ZEILE_PX)
        # broken into lines here: LibreOffice wraps at its own, wider idea of the column and cut the caption
        zeilen = textwrap.wrap(diagramm.beschreibung, max(int((breite * 1.1 - 1) * _ZEICHEN_JE_BREITE), 1))
        sheet.write_string(zeile, 0, "\n".join(zeilen), mappe.fussnote)
        sheet.set_row(zeile, 12.0 * len(zeilen) + 4)
        zeile += 2
    if umbrueche:
        sheet.set_h_pagebreaks(umbrueche)
    sheet.print_area(0, 0, max(zeile - 1, 0), 0)
    mappe.seite(sheet, 0)


def _ueberblick(mappe: _Mappe, kacheln: Sequence[Any]) -> None:
    """The tiles as a table; a value like "1.525" or "5,9 %" becomes a number with its format."""
    zeilen: list[list[object]] = []
    for c in kacheln:
        zahl = _zahl_aus_text(c.wert)
        wert: object = c.wert if zahl is None else (zahl[0] * 100 if zahl[1] else zahl[0])
        zeilen.append([c.titel, wert, c.grundlage, c.vorbehalt])
    arten = ["text", "zahl", "text", "text"]
    # a share and a count in one column: each cell gets its own format below
    _tabellenblatt(
        mappe, "Überblick", ["Kennzahl", "Wert", "Grundlage", "Vorbehalt"], zeilen, False, "", arten
    )
    sheet = mappe.workbook.get_worksheet_by_name("Überblick")
    for r, c in enumerate(kacheln, start=1):
        zahl = _zahl_aus_text(c.wert)
        if zahl is not None:
            art = "prozent" if zahl[1] else ("ganz" if zahl[0].is_integer() else "zahl")
            sheet.write_number(r, 1, zahl[0], mappe.formate[(art, False)])


def xlsx_schreiben(path: Path, bloecke: Sequence[Any], titel: str, untertitel: str) -> Path:
    """The report as a workbook: overview, one sheet per table, what stands out, method, charts."""
    from mitgliederarbeit.dateien import arbeitsmappe, schreiben

    def write(tmp: Path) -> None:
        workbook = arbeitsmappe(tmp)
        workbook.set_properties({"created": datetime(2000, 1, 1), "title": titel})
        mappe = _Mappe(workbook, titel, untertitel)
        ueberblick = next((b for b in bloecke if b.art == "kennzahlen"), None)
        if ueberblick is not None:
            _ueberblick(mappe, ueberblick.kacheln)
        namen = {"Überblick"}
        for block in bloecke:
            t = block.tabelle
            if block.art != "tabelle" or t is None or not t.xlsx_zeilen or t.blatt[:31] in namen:
                continue
            namen.add(t.blatt[:31])
            arten = t.xlsx_arten or None
            _tabellenblatt(mappe, t.blatt[:31], t.xlsx_spalten, t.xlsx_zeilen, t.summe, t.fussnote, arten)
        _textblatt(mappe, "Was auffällt", _hinweis_text(bloecke))
        _textblatt(mappe, "Methode", _methode_text(bloecke))
        diagramme = [b.diagramm for b in bloecke if b.art == "diagramm" and b.diagramm is not None]
        if diagramme:
            _diagrammblatt(mappe, diagramme)
        workbook.close()

    return schreiben(path, write)


def _methode_text(bloecke: Sequence[Any]) -> list[str]:
    methode = ["Methode"]
    in_methode = False
    for block in bloecke:
        if block.art == "ueberschrift" and block.anker == "methode":
            in_methode = True
            continue
        if not in_methode:
            continue
        if block.art == "definitionen":
            methode.extend(f"{name}: {definition}" for name, definition in block.paare)
        elif block.art == "liste":
            methode.extend(f"• {p}" for p in block.punkte)
        else:
            methode.append(block.text)
    return methode


def _hinweis_text(bloecke: Sequence[Any]) -> list[str]:
    """The "Was auffällt" section as lines of text."""
    zeilen = ["Was auffällt"]
    drin = False
    for block in bloecke:
        if block.art == "ueberschrift":
            if drin:
                break
            drin = block.anker == "auffaellig"
            continue
        if drin and block.punkte:
            zeilen.extend(f"• {p}" for p in block.punkte)
        elif drin:
            zeilen.append(block.text)
    return zeilen
