"""The report's three files, written from its content model (:class:`bericht.Block`): HTML, Word and Excel.

:mod:`bericht` builds the blocks (what the report says); this module decides how they look in each format. It
never imports :mod:`bericht` (that imports this): blocks, tables and tiles are read by their attributes.
"""

from __future__ import annotations

import html as html_lib
import io
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from mitgliederarbeit import __version__

# --------------------------------------------------------------------------------------------------------------
# HTML


def html_text(bloecke: Sequence[Any], titel: str, untertitel: str) -> str:
    import jinja2
    from markupsafe import Markup

    from mitgliederarbeit.vorlagen import vorlagen_ordner

    umgebung = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(vorlagen_ordner())),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    umgebung.filters["svg"] = Markup
    return umgebung.get_template("bericht.html.j2").render(
        titel=titel,
        untertitel=untertitel,
        bloecke=bloecke,
        version=__version__,
        navigation=[(blk.anker, blk.text) for blk in bloecke if blk.art == "ueberschrift" and blk.anker],
    )


def html_schreiben(path: Path, bloecke: Sequence[Any], titel: str, untertitel: str) -> Path:
    from mitgliederarbeit.dateien import schreiben

    text = html_text(bloecke, titel, untertitel)

    def write(tmp: Path) -> None:
        tmp.write_text(text, encoding="utf-8")

    return schreiben(path, write)


# --------------------------------------------------------------------------------------------------------------
# DOCX


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _docx_tabelle(tabelle: Any, breite_twips: int) -> Any:
    """The table as WordprocessingML built in one go (python-docx cell by cell is too slow for 500 rows)."""
    from docx.oxml import parse_xml

    n = len(tabelle.spalten)
    if tabelle.breiten and len(tabelle.breiten) == n:
        summe = sum(tabelle.breiten)
        breiten = [int(breite_twips * b / summe) for b in tabelle.breiten]
    else:
        erste = int(breite_twips * (0.2 if n > 6 else 0.26 if n > 4 else 0.4))
        rest = (breite_twips - erste) // max(n - 1, 1)
        breiten = [erste] + [rest] * (n - 1)
    groesse = 16 if n > 6 else 18  # half-points: 8 or 9 pt

    def zelle(text: str, spalte: int, fett: bool, kopf: bool) -> str:
        shd = '<w:shd w:val="clear" w:color="auto" w:fill="E7E6E6"/>' if kopf else ""
        jc = '<w:jc w:val="right"/>' if spalte in tabelle.rechts and not kopf else ""
        b = "<w:b/>" if fett else ""
        return (
            f'<w:tc><w:tcPr><w:tcW w:w="{breiten[spalte]}" w:type="dxa"/>{shd}</w:tcPr>'
            f'<w:p><w:pPr><w:spacing w:before="0" w:after="0"/>{jc}</w:pPr>'
            f'<w:r><w:rPr>{b}<w:sz w:val="{groesse}"/></w:rPr>'
            f'<w:t xml:space="preserve">{html_lib.escape(text, quote=False)}</w:t></w:r></w:p></w:tc>'
        )

    teile = [
        f'<w:tbl xmlns:w="{_W}"><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="{breite_twips}" w:type="dxa"/>'
        '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" w:noHBand="0" '
        'w:noVBand="1"/></w:tblPr><w:tblGrid>',
        *(f'<w:gridCol w:w="{w}"/>' for w in breiten),
        "</w:tblGrid>",
        "<w:tr><w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>",
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
    return parse_xml("".join(teile))


def docx_schreiben(path: Path, bloecke: Sequence[Any], titel: str, untertitel: str, stand: date) -> Path:
    from datetime import datetime

    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm, Pt

    from mitgliederarbeit.dateien import schreiben

    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    for attr in ("left_margin", "right_margin"):
        setattr(section, attr, Mm(18))
    section.top_margin = section.bottom_margin = Mm(18)
    breite_twips = int((210 - 36) / 25.4 * 1440)
    doc.styles["Normal"].font.size = Pt(10)
    doc.styles["Normal"].font.name = "Calibri"
    props = doc.core_properties
    props.author = props.last_modified_by = ""
    props.title = titel
    props.comments = ""
    props.created = props.modified = datetime(stand.year, stand.month, stand.day)
    doc.add_heading(titel, level=0)
    doc.add_paragraph(untertitel)
    body = doc.element.body
    for block in bloecke:
        if block.art == "ueberschrift":
            doc.add_heading(block.text, level=min(block.ebene - 1, 3)).paragraph_format.keep_with_next = True
        elif block.art == "absatz":
            doc.add_paragraph(block.text)
        elif block.art == "hinweis":
            p = doc.add_paragraph()
            run = p.add_run(block.text)
            run.italic = True
        elif block.art == "liste":
            for punkt in block.punkte:
                doc.add_paragraph(punkt, style="List Bullet")
        elif block.art in ("kennzahlen", "definitionen"):
            if block.art == "kennzahlen":
                tabelle = SimpleNamespace(
                    spalten=["Kennzahl", "Wert", "Grundlage", "Vorbehalt"],
                    zeilen=[[c.titel, c.wert, c.grundlage, c.vorbehalt] for c in block.kacheln],
                    rechts={1},
                    summe=False,
                    breiten=[0.3, 0.14, 0.3, 0.26],
                )
                body.sectPr.addprevious(_docx_tabelle(tabelle, breite_twips))
                doc.add_paragraph()
            else:
                for name, text in block.paare:
                    p = doc.add_paragraph()
                    p.add_run(f"{name}: ").bold = True
                    p.add_run(text)
        elif block.art == "tabelle" and block.tabelle is not None:
            body.sectPr.addprevious(_docx_tabelle(block.tabelle, breite_twips))
            if block.tabelle.fussnote:
                p = doc.add_paragraph()
                run = p.add_run(block.tabelle.fussnote)
                run.italic = True
                run.font.size = Pt(8)
        elif block.art == "diagramm" and block.diagramm is not None:
            png = block.diagramm.png
            doc.add_paragraph(block.diagramm.titel, style="Caption").paragraph_format.keep_with_next = True
            breite, hoehe = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
            if hoehe * 170 / max(breite, 1) > 215:  # taller than a page allows: fit the height
                doc.add_picture(io.BytesIO(png), height=Mm(215))
            else:
                doc.add_picture(io.BytesIO(png), width=Mm(170))
            doc.paragraphs[-1].paragraph_format.keep_with_next = True
            p = doc.add_paragraph()
            run = p.add_run(block.diagramm.beschreibung)
            run.italic = True
            run.font.size = Pt(8)
    p = doc.add_paragraph()
    run = p.add_run(f"Erstellt mit mitgliederarbeit {__version__}. Enthält keine personenbezogenen Daten.")
    run.font.size = Pt(8)
    return schreiben(path, lambda tmp: doc.save(str(tmp)))


# --------------------------------------------------------------------------------------------------------------
# XLSX


def xlsx_schreiben(path: Path, bloecke: Sequence[Any], titel: str, untertitel: str) -> Path:
    from mitgliederarbeit import dateien as ausgabe

    tabellen: list[ausgabe.Tabelle] = []
    namen: set[str] = set()
    ueberblick = next(b for b in bloecke if b.art == "kennzahlen")
    tabellen.append(
        ausgabe.Tabelle(
            "Überblick",
            ["Kennzahl", "Wert", "Grundlage", "Vorbehalt"],
            [[c.titel, c.wert, c.grundlage, c.vorbehalt] for c in ueberblick.kacheln],
            breiten={0: 40, 1: 12, 2: 38, 3: 44},
        )
    )
    namen.add("Überblick")
    for block in bloecke:
        if block.art != "tabelle" or block.tabelle is None or not block.tabelle.xlsx_zeilen:
            continue
        t = block.tabelle
        name = t.blatt[:31]
        if name in namen:
            continue
        namen.add(name)
        tabellen.append(ausgabe.Tabelle(name, t.xlsx_spalten, t.xlsx_zeilen, breiten={0: 28}))
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
    tabellen.append(ausgabe.Tabelle("Was auffällt", [], [], text_zeilen=_hinweis_text(bloecke)))
    tabellen.append(ausgabe.Tabelle("Methode", [], [], text_zeilen=methode))
    bilder = [(b.diagramm.titel, b.diagramm.png) for b in bloecke if b.art == "diagramm" and b.diagramm]
    if bilder:
        tabellen.append(ausgabe.Tabelle("Diagramme", [], [], text_zeilen=["Diagramme"], bilder=bilder))
    return ausgabe.xlsx(path, tabellen)


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
