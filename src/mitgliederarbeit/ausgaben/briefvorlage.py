"""Builds the shipped welcome-letter template: a DIN 5008 form B letter with Jinja placeholders.

Regenerate it with ``python -m mitgliederarbeit.ausgaben.briefvorlage templates/willkommensbrief.docx``
(``--sie`` for the formal variant, ``--haushalt`` for the plural letter to a household).

Layout, all measured from the top left corner of the A4 page:

- page margins 25 mm left, 20 mm right, 45 mm top (the Briefkopf), 20 mm bottom;
- the address field is the first row pair of a borderless table with fixed column widths and exact row
  heights, pulled 5 mm into the left margin: return line zone 20 mm from the left and 45–62.7 mm from the
  top (bottom-aligned, 8 pt), recipient zone 62.7–90 mm (six lines at most), 85 mm wide;
- the information block is the table's third column, 125–200 mm from the left, beside the address field;
- fold marks at 105 and 210 mm and the punch mark at 148.5 mm are small framed paragraphs with a top border
  in the header, so every page and every section of a combined document carries them.

python-docx has no API for frames, table indents, cell margins or paragraph borders; those few elements are
added as raw WordprocessingML below, everything else goes through python-docx.
"""

from __future__ import annotations

import argparse
import io
import sys
import zipfile
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.shared import Length
    from docx.text.paragraph import Paragraph

# Form B geometry (DIN 5008:2020), in millimetres from the page's top left corner.
SEITE_BREITE_MM = 210.0
SEITE_HOEHE_MM = 297.0
RAND_LINKS_MM = 25.0
RAND_RECHTS_MM = 20.0
RAND_OBEN_MM = 45.0  # Briefkopf of form B; the address field starts right below it
RAND_UNTEN_MM = 20.0
ANSCHRIFTFELD_LINKS_MM = 20.0
ANSCHRIFTFELD_OBEN_MM = 45.0
ANSCHRIFTFELD_BREITE_MM = 85.0
VERMERKZONE_HOEHE_MM = 17.7
ANSCHRIFTZONE_HOEHE_MM = 27.3
INFOBLOCK_LINKS_MM = 125.0
INFOBLOCK_BREITE_MM = 75.0
FALZMARKEN_MM = (105.0, 210.0)
LOCHMARKE_MM = 148.5
MARKE_LINKS_MM = 5.0
FALZMARKE_LAENGE_MM = 5.0
LOCHMARKE_LAENGE_MM = 8.0

SCHRIFT = "Arial"  # LibreOffice substitutes the metric-compatible Liberation Sans

_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

# Child order of w:pPr and w:tblPr (ECMA-376), so raw elements land where Word expects them.
_PPR_FOLGE = [
    "pStyle",
    "keepNext",
    "keepLines",
    "pageBreakBefore",
    "framePr",
    "widowControl",
    "numPr",
    "suppressLineNumbers",
    "pBdr",
    "shd",
    "tabs",
    "suppressAutoHyphens",
    "kinsoku",
    "wordWrap",
    "overflowPunct",
    "topLinePunct",
    "autoSpaceDE",
    "autoSpaceDN",
    "bidi",
    "adjustRightInd",
    "snapToGrid",
    "spacing",
    "ind",
    "contextualSpacing",
    "mirrorIndents",
    "suppressOverlap",
    "jc",
    "textDirection",
    "textAlignment",
    "textboxTightWrap",
    "outlineLvl",
    "divId",
    "cnfStyle",
    "rPr",
    "sectPr",
    "pPrChange",
]
_SECTPR_FOLGE = [
    "headerReference",
    "footerReference",
    "footnotePr",
    "endnotePr",
    "type",
    "pgSz",
    "pgMar",
    "paperSrc",
    "pgBorders",
    "lnNumType",
    "pgNumType",
    "cols",
    "formProt",
    "vAlign",
    "noEndnote",
    "titlePg",
    "textDirection",
    "bidi",
    "rtlGutter",
    "docGrid",
    "printerSettings",
    "sectPrChange",
]
_TBLPR_FOLGE = [
    "tblStyle",
    "tblpPr",
    "tblOverlap",
    "bidiVisual",
    "tblStyleRowBandSize",
    "tblStyleColBandSize",
    "tblW",
    "jc",
    "tblCellSpacing",
    "tblInd",
    "tblBorders",
    "shd",
    "tblLayout",
    "tblCellMar",
    "tblLook",
    "tblCaption",
    "tblDescription",
    "tblPrChange",
]

# The letter text. Keys are the paragraphs; {{ … }} and {% … %} are Jinja, filled per member.
TEXTE: dict[str, dict[str, str]] = {
    "du": {
        "info_titel": "Deine Ansprechperson",
        "absatz_1": "schön, dass du da bist! Wir freuen uns sehr, dass du Mitglied geworden bist, "
        "und heißen dich herzlich willkommen.",
        "absatz_2": "Dein Ortsverein ist {{ ortsverein }}. {% if ansprechperson %}Dort ist {{ ansprechperson }} "
        "für dich da und meldet sich in den nächsten Wochen bei dir.{% else %}Wir melden uns in den nächsten "
        "Wochen bei dir.{% endif %} Du kannst dich aber auch jederzeit selbst melden – die Kontaktdaten "
        "stehen oben rechts.",
        "absatz_3": "Bei uns kannst du so mitmachen, wie es zu dir passt: zuhören und mitdiskutieren, bei "
        "Aktionen mit anpacken oder dich für ein Thema starkmachen, das dir am Herzen liegt. Vorkenntnisse "
        "brauchst du keine – nur Neugier und Lust, gemeinsam etwas zu bewegen.",
        "absatz_4": "{% if naechstes_treffen %}Am besten lernst du uns persönlich kennen. Komm doch zu unserem "
        "nächsten Treffen: {{ naechstes_treffen }}.{% else %}Am besten lernst du uns persönlich kennen. Zu "
        "unseren nächsten Treffen und zum Abend für neue Mitglieder laden wir dich rechtzeitig ein.{% endif %}",
        "webseite": "Aktuelle Termine und Neuigkeiten findest du auf {{ webseite }}.",
        "absatz_5": "Wir freuen uns darauf, dich kennenzulernen!",
        "gruss": "Herzliche Grüße",
    },
    "sie": {
        "info_titel": "Ihre Ansprechperson",
        "absatz_1": "herzlich willkommen! Wir freuen uns sehr, dass Sie Mitglied geworden sind.",
        "absatz_2": "Ihr Ortsverein ist {{ ortsverein }}. {% if ansprechperson %}Dort ist {{ ansprechperson }} "
        "für Sie da und meldet sich in den nächsten Wochen bei Ihnen.{% else %}Wir melden uns in den nächsten "
        "Wochen bei Ihnen.{% endif %} Sie können sich aber auch jederzeit selbst melden – die Kontaktdaten "
        "stehen oben rechts.",
        "absatz_3": "Bei uns können Sie so mitmachen, wie es zu Ihnen passt: zuhören und mitdiskutieren, bei "
        "Aktionen mit anpacken oder sich für ein Thema starkmachen, das Ihnen am Herzen liegt. Vorkenntnisse "
        "brauchen Sie keine – nur Neugier und Lust, gemeinsam etwas zu bewegen.",
        "absatz_4": "{% if naechstes_treffen %}Am besten lernen Sie uns persönlich kennen. Kommen Sie doch zu "
        "unserem nächsten Treffen: {{ naechstes_treffen }}.{% else %}Am besten lernen Sie uns persönlich "
        "kennen. Zu unseren nächsten Treffen und zum Abend für neue Mitglieder laden wir Sie rechtzeitig "
        "ein.{% endif %}",
        "webseite": "Aktuelle Termine und Neuigkeiten finden Sie auf {{ webseite }}.",
        "absatz_5": "Wir freuen uns darauf, Sie kennenzulernen!",
        "gruss": "Mit freundlichen Grüßen",
    },
}

# One letter to everyone of a household (``briefe --haushalte``): the same letter in the plural.
TEXTE["du-haushalt"] = {
    "info_titel": "Eure Ansprechperson",
    "absatz_1": "schön, dass ihr da seid! Wir freuen uns sehr, dass ihr Mitglieder geworden seid, "
    "und heißen euch herzlich willkommen.",
    "absatz_2": "Euer Ortsverein ist {{ ortsverein }}. {% if ansprechperson %}Dort ist {{ ansprechperson }} "
    "für euch da und meldet sich in den nächsten Wochen bei euch.{% else %}Wir melden uns in den nächsten "
    "Wochen bei euch.{% endif %} Ihr könnt euch aber auch jederzeit selbst melden – die Kontaktdaten "
    "stehen oben rechts.",
    "absatz_3": "Bei uns könnt ihr so mitmachen, wie es zu euch passt: zuhören und mitdiskutieren, bei "
    "Aktionen mit anpacken oder euch für ein Thema starkmachen, das euch am Herzen liegt. Vorkenntnisse "
    "braucht ihr keine – nur Neugier und Lust, gemeinsam etwas zu bewegen.",
    "absatz_4": "{% if naechstes_treffen %}Am besten lernt ihr uns persönlich kennen. Kommt doch zu unserem "
    "nächsten Treffen: {{ naechstes_treffen }}.{% else %}Am besten lernt ihr uns persönlich kennen. Zu "
    "unseren nächsten Treffen und zum Abend für neue Mitglieder laden wir euch rechtzeitig ein.{% endif %}",
    "webseite": "Aktuelle Termine und Neuigkeiten findet ihr auf {{ webseite }}.",
    "absatz_5": "Wir freuen uns darauf, euch kennenzulernen!",
    "gruss": "Herzliche Grüße",
}
TEXTE["sie-haushalt"] = {
    **TEXTE["sie"],
    "absatz_1": "herzlich willkommen! Wir freuen uns sehr, dass Sie Mitglieder geworden sind.",
}
ANSPRACHEN = ("du", "sie")

_FESTES_DATUM = datetime(2026, 1, 1, tzinfo=timezone.utc)  # reproducible builds: same bytes every time


def _w(tag: str) -> str:
    return f"{{{_W_NS}}}{tag}"


def _einfuegen(eltern, element, folge: list[str]) -> None:
    """Insert ``element`` into ``eltern`` at the place the schema's child order wants it."""
    from docx.oxml.ns import qn

    rang = {qn(f"w:{name}"): i for i, name in enumerate(folge)}
    eigener = rang[element.tag]
    for kind in eltern:
        if rang.get(kind.tag, -1) > eigener:
            kind.addprevious(element)
            return
    eltern.append(element)


def _element(tag: str, **attribute: str):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    element = OxmlElement(f"w:{tag}")
    for name, wert in attribute.items():
        element.set(qn(f"w:{name}"), wert)
    return element


def _twips(laenge: Length) -> str:
    return str(int(round(laenge.twips)))


def _rahmen(absatz: Paragraph, *, links: Length, oben: Length, breite: Length, hoehe: Length) -> None:
    """Make ``absatz`` a frame at an absolute page position (Word: Format › Rahmen)."""
    rahmen = _element(
        "framePr",
        w=_twips(breite),
        h=_twips(hoehe),
        hRule="exact",
        hSpace="0",
        vSpace="0",
        wrap="around",
        vAnchor="page",
        hAnchor="page",
        x=_twips(links),
        y=_twips(oben),
    )
    _einfuegen(absatz._p.get_or_add_pPr(), rahmen, _PPR_FOLGE)


def _marke(anker: Paragraph, oben_mm: float, laenge_mm: float) -> None:
    """A fold or punch mark: a 0.75 pt line at the left page edge, drawn as the top border of a tiny frame.

    The frame goes *before* ``anker``: LibreOffice needs a normal paragraph after a framed one to anchor it.
    """
    from docx.enum.text import WD_LINE_SPACING
    from docx.shared import Mm, Pt

    absatz = anker.insert_paragraph_before()
    _rahmen(absatz, links=Mm(MARKE_LINKS_MM), oben=Mm(oben_mm), breite=Mm(laenge_mm), hoehe=Mm(0.6))
    rand = _element("pBdr")
    rand.append(_element("top", val="single", sz="6", space="0", color="000000"))
    _einfuegen(absatz._p.get_or_add_pPr(), rand, _PPR_FOLGE)
    format_ = absatz.paragraph_format
    format_.space_before = format_.space_after = Pt(0)
    format_.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    format_.line_spacing = Pt(1)
    run = absatz.add_run("")
    run.font.size = Pt(1)


def _stile(dokument: DocxDocument) -> None:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_LINE_SPACING
    from docx.shared import Pt

    stile = dokument.styles
    normal = stile["Normal"]
    normal.font.name = SCHRIFT
    normal.font.size = Pt(11)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0
    rpr = normal.element.get_or_add_rPr()
    for alt in rpr.findall(_w("lang")):
        rpr.remove(alt)
    rpr.append(_element("lang", val="de-DE", eastAsia="de-DE", bidi="ar-SA"))

    def stil(name: str, groesse: float, *, zeilenabstand: float | None = None, nach: float = 0.0, fett=False):
        neu = stile.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        neu.style_id = name.replace("ü", "ue")  # Word writes ASCII style ids
        neu.base_style = normal
        neu.quick_style = True
        neu.font.size = Pt(groesse)
        if fett:
            neu.font.bold = True
        neu.paragraph_format.space_before = Pt(0)
        neu.paragraph_format.space_after = Pt(nach)
        if zeilenabstand is not None:
            neu.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            neu.paragraph_format.line_spacing = Pt(zeilenabstand)
        return neu

    stil("Rücksendeangabe", 8, zeilenabstand=10)
    stil("Anschrift", 10, zeilenabstand=12)
    stil("Informationsblock", 9, zeilenabstand=11)
    stil("Betreff", 11, fett=True)
    stil("Brieftext", 11, nach=11)
    stil("Briefkopf", 14, fett=True)
    stil("Seitenzahl", 9)


def _briefkopf_und_marken(dokument: DocxDocument) -> None:
    """The letterhead and the fold and punch marks on every page; "Seite x von y" from the second page on.

    The first page has a header of its own (the same letterhead and marks) and an empty footer; the following pages
    number themselves. Each section restarts at 1 and counts its own pages, so in one document with many letters
    every letter has its own "Seite 2 von 2".
    """
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    abschnitt = dokument.sections[0]
    abschnitt.header_distance = Mm(15)
    abschnitt.footer_distance = Mm(10)
    abschnitt.different_first_page_header_footer = True
    for kopf in (abschnitt.header, abschnitt.first_page_header):
        kopf.is_linked_to_previous = False
        titel = kopf.paragraphs[0]
        titel.style = dokument.styles["Briefkopf"]
        titel.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        titel.add_run("{{ organisation.name }}")
        for oben in FALZMARKEN_MM:
            _marke(titel, oben, FALZMARKE_LAENGE_MM)
        _marke(titel, LOCHMARKE_MM, LOCHMARKE_LAENGE_MM)
    abschnitt.first_page_footer.is_linked_to_previous = False
    fuss = abschnitt.footer
    fuss.is_linked_to_previous = False
    seite = fuss.paragraphs[0]
    seite.style = dokument.styles["Seitenzahl"]
    seite.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    seite.add_run("Seite ")
    seite._p.append(_feld("PAGE", "2"))
    seite.add_run(" von ")
    seite._p.append(_feld("SECTIONPAGES", "2"))
    _einfuegen(abschnitt._sectPr, _element("pgNumType", start="1"), _SECTPR_FOLGE)


def _feld(befehl: str, anzeige: str):
    """A simple field (page number, number of pages) showing ``anzeige`` until Word or LibreOffice updates it."""
    feld = _element("fldSimple", instr=f" {befehl} ")
    lauf = _element("r")
    text = _element("t")
    text.text = anzeige
    lauf.append(text)
    feld.append(lauf)
    return feld


def _tabelle_einrichten(tabelle, breiten_mm: list[float]) -> None:
    """Fixed widths, no cell padding, pulled left so the first column starts at 20 mm from the page edge."""
    from docx.shared import Mm

    tabelle.autofit = False
    tblpr = tabelle._tbl.tblPr
    for alt in tblpr.findall(_w("tblW")):
        tblpr.remove(alt)
    _einfuegen(tblpr, _element("tblW", w=_twips(Mm(sum(breiten_mm))), type="dxa"), _TBLPR_FOLGE)
    einzug = ANSCHRIFTFELD_LINKS_MM - RAND_LINKS_MM
    _einfuegen(tblpr, _element("tblInd", w=_twips(Mm(einzug)), type="dxa"), _TBLPR_FOLGE)
    rand = _element("tblCellMar")
    for seite in ("top", "left", "bottom", "right"):
        rand.append(_element(seite, w="0", type="dxa"))
    _einfuegen(tblpr, rand, _TBLPR_FOLGE)
    for spalte, breite in zip(tabelle.columns, breiten_mm):
        spalte.width = Mm(breite)
        for zelle in spalte.cells:
            zelle.width = Mm(breite)


def _anschriftfeld_und_infoblock(dokument: DocxDocument, texte: dict[str, str]) -> None:
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE
    from docx.shared import Mm

    stile = dokument.styles
    luecke = INFOBLOCK_LINKS_MM - ANSCHRIFTFELD_LINKS_MM - ANSCHRIFTFELD_BREITE_MM
    breiten = [ANSCHRIFTFELD_BREITE_MM, luecke, INFOBLOCK_BREITE_MM]
    tabelle = dokument.add_table(rows=2, cols=3)
    _tabelle_einrichten(tabelle, breiten)
    for zeile, hoehe in zip(tabelle.rows, (VERMERKZONE_HOEHE_MM, ANSCHRIFTZONE_HOEHE_MM)):
        zeile.height = Mm(hoehe)
        zeile.height_rule = WD_ROW_HEIGHT_RULE.EXACTLY

    ruecksendung = tabelle.cell(0, 0)
    ruecksendung.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.BOTTOM
    absatz = ruecksendung.paragraphs[0]
    absatz.style = stile["Rücksendeangabe"]
    absatz.add_run("{{ absender_zeile }}")

    anschrift = tabelle.cell(1, 0)
    anschrift.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP
    absatz = anschrift.paragraphs[0]
    absatz.style = stile["Anschrift"]
    absatz.add_run("{{ anschrift }}")

    info = tabelle.cell(0, 2).merge(tabelle.cell(1, 2))
    info.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP
    zeilen = [
        ("Ortsverein: {{ ortsverein }}", False),
        ("", False),
        (texte["info_titel"], True),
        ("{{ ansprechperson }}", False),
        ("{% if ansprechperson_telefon %}Telefon: {{ ansprechperson_telefon }}{% endif %}", False),
        ("{% if ansprechperson_email %}E-Mail: {{ ansprechperson_email }}{% endif %}", False),
        ("", False),
        ("Datum: {{ datum }}", False),
    ]
    for nummer, (text, fett) in enumerate(zeilen):
        absatz = info.paragraphs[0] if nummer == 0 else info.add_paragraph()
        absatz.style = stile["Informationsblock"]
        if text:
            lauf = absatz.add_run(text)
            if fett:
                lauf.bold = True
    info.paragraphs[0].paragraph_format.space_before = Mm(5)


def _brieftext(dokument: DocxDocument, texte: dict[str, str]) -> None:
    from docx.shared import Mm, Pt

    stile = dokument.styles
    betreff = dokument.add_paragraph("{{ betreff }}", style=stile["Betreff"])
    betreff.paragraph_format.space_before = Mm(8.5)  # two blank lines below the address field (DIN 5008)
    betreff.paragraph_format.space_after = Pt(22)
    dokument.add_paragraph("{{ anrede_zeile }}", style=stile["Brieftext"])
    for schluessel in ("absatz_1", "absatz_2", "absatz_3", "absatz_4"):
        dokument.add_paragraph(texte[schluessel], style=stile["Brieftext"])
    # {%p … %} lines vanish with their paragraph: without a web page the whole block disappears.
    dokument.add_paragraph("{%p if webseite %}", style=stile["Brieftext"])
    dokument.add_paragraph("{{ qr_code }}" + texte["webseite"], style=stile["Brieftext"])
    dokument.add_paragraph("{%p endif %}", style=stile["Brieftext"])
    dokument.add_paragraph(texte["absatz_5"], style=stile["Brieftext"])
    gruss = dokument.add_paragraph(texte["gruss"], style=stile["Brieftext"])
    gruss.paragraph_format.space_after = Pt(36)  # room for the handwritten signature
    dokument.add_paragraph("{{ unterschrift }}", style=stile["Normal"])
    dokument.add_paragraph("{{ funktion }}", style=stile["Normal"])


def _seite(dokument: DocxDocument) -> None:
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    abschnitt = dokument.sections[0]
    abschnitt.orientation = WD_ORIENT.PORTRAIT
    abschnitt.page_width = Mm(SEITE_BREITE_MM)
    abschnitt.page_height = Mm(SEITE_HOEHE_MM)
    abschnitt.left_margin = Mm(RAND_LINKS_MM)
    abschnitt.right_margin = Mm(RAND_RECHTS_MM)
    abschnitt.top_margin = Mm(RAND_OBEN_MM)
    abschnitt.bottom_margin = Mm(RAND_UNTEN_MM)
    abschnitt.gutter = Mm(0)


def _unnoetiges_entfernen(dokument: DocxDocument) -> None:
    """Drop python-docx's leftovers: its thumbnail (a wrong preview), stylesWithEffects and customXml."""
    weg = ("thumbnail", "stylesWithEffects", "customXml")
    for rels in (dokument.part.package.rels, dokument.part.rels):
        for rid, rel in list(rels.items()):
            if rel.reltype.endswith(weg):
                del rels[rid]


def _eigenschaften(dokument: DocxDocument, ansprache: str, haushalt: bool) -> None:
    eigenschaften = dokument.core_properties
    eigenschaften.author = "mitgliederarbeit"
    eigenschaften.last_modified_by = "mitgliederarbeit"
    eigenschaften.title = (
        "Willkommensbrief"
        + (" an einen Haushalt" if haushalt else "")
        + (" (Sie)" if ansprache == "sie" else "")
    )
    eigenschaften.subject = "Willkommensbrief für neue Mitglieder nach DIN 5008 Form B"
    eigenschaften.comments = "Platzhalter in doppelten geschweiften Klammern werden pro Mitglied gefüllt."
    eigenschaften.language = "de-DE"
    eigenschaften.keywords = ""
    eigenschaften.category = ""
    eigenschaften.revision = 1
    eigenschaften.created = _FESTES_DATUM
    eigenschaften.modified = _FESTES_DATUM
    eigenschaften.last_printed = _FESTES_DATUM


def baue_vorlage(ansprache: str = "du", haushalt: bool = False) -> bytes:
    """The default welcome letter as DOCX bytes; ``ansprache`` is ``"du"`` or ``"sie"``; ``haushalt``: the plural
    letter to everyone at one address."""
    from docx import Document

    if ansprache not in ANSPRACHEN:
        raise ValueError(f"ansprache muss 'du' oder 'sie' sein, nicht {ansprache!r}")
    texte = TEXTE[f"{ansprache}-haushalt" if haushalt else ansprache]
    dokument = Document()
    _stile(dokument)
    _seite(dokument)
    _briefkopf_und_marken(dokument)
    # Document() starts with one empty paragraph; the address table must be the first thing on the page.
    leer = dokument.paragraphs[0]._p if dokument.paragraphs else None
    _anschriftfeld_und_infoblock(dokument, texte)
    _brieftext(dokument, texte)
    if leer is not None:
        leer.getparent().remove(leer)
    _unnoetiges_entfernen(dokument)
    _eigenschaften(dokument, ansprache, haushalt)
    roh = io.BytesIO()
    dokument.save(roh)
    return _zip_normalisieren(roh.getvalue())


def _zip_normalisieren(daten: bytes) -> bytes:
    """Same content, fixed timestamps: rebuilding the template does not change its bytes."""
    ziel = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(daten)) as quelle,
        zipfile.ZipFile(ziel, "w", zipfile.ZIP_DEFLATED) as aus,
    ):
        for eintrag in quelle.infolist():
            neu = zipfile.ZipInfo(eintrag.filename, date_time=(1980, 1, 1, 0, 0, 0))
            neu.compress_type = zipfile.ZIP_DEFLATED
            aus.writestr(neu, quelle.read(eintrag.filename))
    return ziel.getvalue()


def schreibe_vorlage(ziel: Path, ansprache: str = "du", haushalt: bool = False) -> Path:
    """Write the default template to ``ziel`` (overwriting: this is the developer's regeneration step)."""
    ziel.parent.mkdir(parents=True, exist_ok=True)
    ziel.write_bytes(baue_vorlage(ansprache, haushalt))
    return ziel


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m mitgliederarbeit.ausgaben.briefvorlage",
        description="Erzeugt die mitgelieferte Briefvorlage (DIN 5008 Form B) neu.",
    )
    parser.add_argument("ziel", type=Path, help="z. B. templates/willkommensbrief.docx")
    parser.add_argument("--sie", action="store_true", help="Sie-Form statt Du-Form")
    parser.add_argument(
        "--haushalt", action="store_true", help="ein Brief an alle Mitglieder einer Anschrift"
    )
    args = parser.parse_args(argv)
    pfad = schreibe_vorlage(args.ziel, "sie" if args.sie else "du", args.haushalt)
    print(f"Vorlage geschrieben: {pfad}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
