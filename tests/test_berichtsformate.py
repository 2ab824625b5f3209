"""How the report looks: the xlsx, docx and html writers read back, the charts, and a rendering check.

The writers get a small hand-made content model (:class:`bericht.Block`), so every assertion names a value
that is known; one test runs the whole report on the example data.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from datetime import date

import openpyxl
import pytest
from docx import Document
from docx.enum.section import WD_ORIENT

from mitgliederarbeit.ausgaben import berichtsformate, diagramme
from mitgliederarbeit.ausgaben.bericht import Block, Kachel, Tabelle
from mitgliederarbeit.auswertung.kennzahlen import Anteil, Werte

TITEL = "Neumitgliederarbeit im Vergleich der Ortsvereine"
UNTERTITEL = 'SPD "Musterstadt" · Zeitraum 01.10.2025 – 30.09.2026'


def _schmal() -> Tabelle:
    """Four columns: fits portrait A4."""
    return Tabelle(
        "Rangfolge",
        ["Rang", "Ortsverein", "Standard erfüllt", "Mitglieder"],
        [["1", "Altstadt", "62,5 %", "1.525"], ["2", "Am Hafen", "–", "< 5"]],
        ["Rang", "Ortsverein", "Standard erfüllt in %", "Mitglieder"],
        [[1, "Altstadt", 62.5, 1525], [2, "Am Hafen", "–", "< 5"]],
        rechts={0, 2, 3},
    )


def _breit() -> Tabelle:
    """Eight columns with long headers: needs a landscape page in Word; 23 columns need two pages in Excel."""
    spalten = ["Ortsverein"] + [
        f"Zweitkontakt (Monat {i}), Frist 182 Tage (erfasst seit 02.12.2025)" for i in range(7)
    ]
    zeile = ["Neustadt-Nord"] + ["43,3 % (60)"] * 7
    xlsx_spalten = ["Ortsverein"] + [f"Schritt {i} in %" for i in range(22)]
    xlsx_zeile: list[object] = ["Neustadt-Nord"] + [43.3] * 22
    return Tabelle(
        "Neumitglieder",
        spalten,
        [zeile, ["Gesamt"] + ["36,6 % (164)"] * 7],
        xlsx_spalten,
        [xlsx_zeile, ["Gesamt"] + [36.6] * 22],
        rechts=set(range(1, 8)),
        summe=True,
        fussnote="In Klammern: Zahl der Neumitglieder, auf der ein Anteil beruht.",
    )


def _gruppen(n: int, name=lambda i: f"Ortsverein {i:03d}") -> list[Werte]:
    return [
        Werte(
            name=name(i),
            schritte=[Anteil(i % 20, 20)],
            standard=Anteil(i % 17, 17),
            bindung=Anteil(i % 11, 11),
        )
        for i in range(n)
    ]


LANGER_TEXT = (
    "Standard: Je Schritt des Einarbeitungsstandards der Anteil der Neumitglieder, die den Schritt innerhalb "
    "seiner Frist bekommen haben, also die verlangte Zahl passender Kontakte vom Eintrittstag bis zum Tag "
    "„Eintritt + Frist“ (einschließlich). Gezählt werden nur Neumitglieder, deren Frist bis zum Ende des "
    "Zeitraums abgelaufen ist."
)


@pytest.fixture(scope="module")
def bloecke() -> list[Block]:
    standard = diagramme.standard_je_gruppe(
        _gruppen(3), [{"name": "Erstkontakt", "frist_tage": 30}], 5, "Ortsverein"
    )
    assert standard is not None
    return [
        Block("ueberschrift", "Auf einen Blick", anker="ueberblick"),
        Block(
            "kennzahlen",
            kacheln=[
                Kachel("Mitglieder am 30.09.2026", "1.525"),
                Kachel("Erstkontakt (Monat 1)", "46,3 %", "bei 164 Neumitgliedern"),
                Kachel("Tage bis Erstkontakt", "34 Tage"),
            ],
        ),
        Block("ueberschrift", "Was auffällt", anker="auffaellig"),
        Block("liste", punkte=[LANGER_TEXT, "kurz"]),
        Block("ueberschrift", "Rangfolge", anker="rangfolge"),
        Block("tabelle", tabelle=_schmal()),
        Block("ueberschrift", "Der Standard", ebene=3),
        Block("tabelle", tabelle=_breit()),
        Block("diagramm", diagramm=standard),
        Block("ueberschrift", "Methode", anker="methode"),
        Block("absatz", LANGER_TEXT),
        Block("definitionen", paare=[("Eintritte", LANGER_TEXT)]),
    ]


# --- xlsx -----------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def mappe(bloecke, tmp_path_factory) -> openpyxl.Workbook:
    pfad = berichtsformate.xlsx_schreiben(tmp_path_factory.mktemp("x") / "b.xlsx", bloecke, TITEL, UNTERTITEL)
    return openpyxl.load_workbook(pfad)


def test_xlsx_zahlen_sind_zahlen_mit_deutschen_formaten(mappe):
    ws = mappe["Rangfolge"]
    assert ws["A2"].value == 1 and ws["A2"].data_type == "n"
    assert ws["C2"].value == pytest.approx(0.625) and ws["C2"].number_format == "0.0 %"  # a share: percent
    assert ws["D2"].value == 1525 and ws["D2"].number_format == "#,##0"  # 1.525 in German Excel
    assert (
        ws["C3"].value == "–" and ws["C3"].alignment.horizontal == "right"
    )  # suppressed, where the figure stands
    assert ws["D3"].value == "< 5"
    ueberblick = mappe["Überblick"]
    werte = {ueberblick.cell(r, 1).value: ueberblick.cell(r, 2) for r in range(2, 5)}
    assert werte["Mitglieder am 30.09.2026"].value == 1525
    assert werte["Mitglieder am 30.09.2026"].number_format == "#,##0"
    assert werte["Erstkontakt (Monat 1)"].value == pytest.approx(0.463)
    assert werte["Erstkontakt (Monat 1)"].number_format == "0.0 %"
    assert werte["Tage bis Erstkontakt"].value == "34 Tage"  # a text stays a text


def test_xlsx_breiten_passen_zum_inhalt(mappe):
    ws = mappe["Rangfolge"]
    breite = {c: ws.column_dimensions[c].width for c in "ABCD"}
    assert breite["A"] <= 10  # "Rang" and 1-digit numbers: no 24-character column
    assert 10 <= breite["B"] <= 16  # the longest name, "Ortsverein"
    assert breite["C"] <= 17 and breite["D"] <= 13  # (openpyxl adds 0.71 to what was set)
    # the header wraps, word by word, with the row height it needs
    assert ws["C1"].alignment.wrap_text and ws.row_dimensions[1].height >= 26


def test_xlsx_druck_a4_seitenbreite_kopfzeile_seitenzahl(mappe):
    schmal, breit = mappe["Rangfolge"], mappe["Neumitglieder"]
    for ws in (schmal, breit, mappe["Methode"], mappe["Diagramme"]):
        assert ws.page_setup.paperSize == 9  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.page_setup.fitToHeight == 0
        assert "Seite &P von &N" in ws.oddFooter.right.text
        assert TITEL in ws.oddHeader.left.text
    assert schmal.page_setup.orientation == "portrait" and schmal.page_setup.fitToWidth in (
        None,
        1,
    )  # 1: default
    assert breit.page_setup.orientation == "landscape"
    assert breit.page_setup.fitToWidth == 2 and breit.print_title_cols == "$A:$A"  # names on every page
    assert schmal.print_title_rows == "$1:$1" and breit.print_title_rows == "$1:$1"
    assert breit.freeze_panes == "B2"
    # the total is bold and not sorted by the filter
    assert breit["A3"].font.b and not breit["A2"].font.b
    assert breit.auto_filter.ref == "A1:W2"


def test_xlsx_text_umbrochen_mit_zeilenhoehe(mappe):
    for name in ("Was auffällt", "Methode"):
        ws = mappe[name]
        zeile = next(
            r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value and LANGER_TEXT in ws.cell(r, 1).value
        )
        assert ws.cell(zeile, 1).alignment.wrap_text
        # 320 characters in a column 80 wide: at least four lines of 13 pt each, none overlapping
        assert ws.row_dimensions[zeile].height >= 4 * 13
        assert ws.column_dimensions["A"].width == pytest.approx(80.71, abs=0.01)
    fussnote = next(
        c for row in mappe["Neumitglieder"].iter_rows() for c in row if c.value and "Klammern" in str(c.value)
    )
    assert fussnote.alignment.wrap_text


def test_xlsx_diagramme_je_eines_auf_eigener_seite(tmp_path):
    d = [
        diagramme.standard_je_gruppe(_gruppen(n), [{"name": "Erstkontakt", "frist_tage": 30}], 5, "OV")
        for n in (3, 30)
    ]
    bloecke = [Block("kennzahlen", kacheln=[]), *(Block("diagramm", diagramm=x) for x in d)]
    wb = openpyxl.load_workbook(berichtsformate.xlsx_schreiben(tmp_path / "b.xlsx", bloecke, TITEL, ""))
    ws = wb["Diagramme"]
    assert len(ws._images) == 2
    zweites = ws._images[1].anchor._from.row
    assert [b.id for b in ws.row_breaks.brk] == [zweites - 1]  # a page break right before the second title
    # scaled into the page: no picture spans more rows (20 px each) than a page holds (about 1,000 px at 96 dpi)
    for img in ws._images:
        assert img.anchor.to.row - img.anchor._from.row <= 880 / 20 + 1
        assert img.anchor.to.col == 0  # within the one column
    # narrower than portrait A4's printable width (92 units), captions broken into lines that fit it: LibreOffice
    # measures the column wider than Excel and cut longer lines at the page edge
    assert ws.column_dimensions["A"].width < 92
    unterschriften = [c.value for c in ws["A"] if c.value and c.font.i]
    assert len(unterschriften) == 2
    for text in unterschriften:
        assert max(len(z) for z in text.split("\n")) <= ws.column_dimensions["A"].width * 1.1 * 1.15  # 9 pt
        assert text.replace("\n", " ") == d[0].beschreibung


def test_css_text_escapes():
    assert berichtsformate._css_text('a "b" \\ <c>') == "a \\22 b\\22  \\5C  \\3C c\\3E "


# --- docx -----------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def dokument(bloecke, tmp_path_factory):
    pfad = tmp_path_factory.mktemp("d") / "b.docx"
    berichtsformate.docx_schreiben(pfad, bloecke, TITEL, UNTERTITEL, date(2026, 9, 30))
    return pfad, Document(str(pfad))


def _stil_ids(xml: bytes, tag: str) -> set[str]:
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    wurzel = ET.fromstring(xml)
    if tag == "style":
        return {s.get(f"{w}styleId") for s in wurzel.iter(f"{w}style")}
    return {e.get(f"{w}val") for e in wurzel.iter(f"{w}{tag}")}


def test_docx_jedes_benutzte_format_steht_in_der_vorlage(dokument):
    """The report's template keeps only its styles: every style a paragraph, run or table of the document names
    is defined in the file (Word would fall back to "Normal" without a word)."""
    with zipfile.ZipFile(dokument[0]) as z:
        definiert = _stil_ids(z.read("word/styles.xml"), "style")
        benutzt = set()
        for name in z.namelist():
            if name in ("word/document.xml", "word/numbering.xml") or name.startswith(
                ("word/footer", "word/header")
            ):
                for tag in ("pStyle", "rStyle", "tblStyle"):
                    benutzt |= _stil_ids(z.read(name), tag)
        assert not any(n.startswith(("customXml/", "docProps/thumbnail")) for n in z.namelist())
        assert "word/stylesWithEffects.xml" not in z.namelist()
    assert benutzt <= definiert, benutzt - definiert
    assert {"Title", "Heading1", "Heading2", "ListBullet", "Caption", "TableGrid", "Footer"} <= benutzt


def test_berichtsvorlage_ist_die_neu_erzeugte():
    """templates/bericht.docx holds the styles the builder keeps today: regenerated after a change of STILE."""
    from mitgliederarbeit.ausgaben import berichtsvorlage
    from mitgliederarbeit.vorlagen import vorlagen_ordner

    with zipfile.ZipFile(vorlagen_ordner() / "bericht.docx") as z:
        mitgeliefert = (sorted(z.namelist()), _stil_ids(z.read("word/styles.xml"), "style"))
    with zipfile.ZipFile(io.BytesIO(berichtsvorlage.baue_vorlage())) as z:
        neu = (sorted(z.namelist()), _stil_ids(z.read("word/styles.xml"), "style"))
    assert mitgeliefert == neu
    assert neu[1] >= berichtsvorlage.STILE


def test_docx_breite_tabelle_im_querformat_schmale_im_hochformat(dokument):
    _, doc = dokument
    ausrichtung = [s.orientation for s in doc.sections]
    # portrait (overview, ranking); landscape from the wide table's heading to the end of its chapter (with the chart);
    # portrait again from the next chapter (method)
    assert ausrichtung == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE, WD_ORIENT.PORTRAIT]
    quer = doc.sections[1]
    assert quer.page_width > quer.page_height
    body = doc.element.body
    tabellen = body.findall(".//{*}tbl")
    breit = tabellen[-1]
    # the wide table lies in the landscape section: the section break after it closes the landscape section
    nach = breit.getnext()
    while nach is not None and not nach.findall(".//{*}sectPr"):
        nach = nach.getnext()
    assert nach is not None and nach.find(".//{*}pgSz").get(f"{{{berichtsformate._W}}}orient") == "landscape"


def test_docx_kopfzeile_wiederholt_und_woerter_ganz(dokument):
    _, doc = dokument
    for tabelle in doc.tables:
        erste = tabelle.rows[0]._tr
        assert erste.find(".//{*}tblHeader") is not None  # repeated on every page
        assert all(r._tr.find(".//{*}cantSplit") is not None for r in tabelle.rows)
    # no column narrower than its longest header word (8 pt bold: about 100 twips a character)
    for tabelle in doc.tables:
        breiten = [int(g.get(f"{{{berichtsformate._W}}}w")) for g in tabelle._tbl.findall(".//{*}gridCol")]
        for breite, zelle in zip(breiten, tabelle.rows[0].cells):
            wort = max(len(w) for w in zelle.text.split())
            assert breite >= wort * 88, (zelle.text, breite)


def test_docx_seitenzahlen_in_der_fusszeile(dokument):
    pfad, doc = dokument
    with zipfile.ZipFile(pfad) as z:
        fuss = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("word/footer"))
    assert "PAGE" in fuss and "NUMPAGES" in fuss and "Seite" in fuss
    assert all(s.footer.is_linked_to_previous for s in doc.sections[1:])  # every section shows it


# --- html -----------------------------------------------------------------------------------------------------


def test_html_handy_und_druck(bloecke):
    text = berichtsformate.html_text(bloecke, TITEL, UNTERTITEL)
    # a chart keeps its size on a phone and scrolls sideways
    assert re.search(r"\.diagramm-rahmen \{ overflow-x: auto;", text)
    assert re.search(r"svg\.diagramm \{[^}]*min-width: 40rem", text)
    assert '<div class="diagramm-rahmen"><svg class="diagramm"' in text
    druck = text[text.index("@media print") :]
    assert 'counter(page) " von " counter(pages)' in druck and "@bottom-right" in druck
    assert f'@bottom-left {{ content: "{TITEL}"' in druck
    assert re.search(r"figure, \.kennzahl, \.hinweis, tr, li[^{]*\{ break-inside: avoid", druck)
    assert "<script" not in text


def test_html_bloecke_maskiert_und_vollstaendig(bloecke):
    from html.parser import HTMLParser

    gefaehrlich = Tabelle(
        "X",
        ["Name <th>", "Wert"],
        [['<b>Süd</b> & "Nord"', "1"], ["Gesamt", "2"]],
        [],
        [],
        rechts={1},
        summe=True,
    )
    eigene = [
        *bloecke,
        Block("hinweis", "Achtung <script>"),
        Block("tabelle", tabelle=gefaehrlich),
        Block("kennzahlen", kacheln=[Kachel("K", "5", "bei 7", "unvollständig")]),
    ]
    text = berichtsformate.html_text(eigene, "Titel & <Sohn>", UNTERTITEL)

    class Leser(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.tags: list[str] = []
            self.daten: list[str] = []

        def handle_starttag(self, tag, attrs):
            self.tags.append(tag)

        def handle_data(self, data):
            self.daten.append(data)

    leser = Leser()
    leser.feed(text)
    assert "b" not in leser.tags and "script" not in leser.tags  # names are text, never markup
    daten = "".join(leser.daten)
    assert '<b>Süd</b> & "Nord"' in daten and "Achtung <script>" in daten and "Titel & <Sohn>" in daten
    assert '<tr class="summe"><td>Gesamt</td><td class="zahl">2</td></tr>' in text
    assert '<div class="kennzahl vorbehalt"><span class="wert">5</span>' in text
    assert '<span class="warnung">⚠ unvollständig</span>' in text
    # every heading of level 2 with an anchor is in the navigation, in order
    nav = re.search(r'<nav aria-label="Inhalt">(.*?)</nav>', text).group(1)
    assert re.findall(r'href="#([^"]+)"', nav) == ["ueberblick", "auffaellig", "rangfolge", "methode"]
    assert leser.tags.count("svg") == 1 and leser.tags.count("figure") == 1
    assert "{{" not in text and "$" not in text  # the frame's placeholders all filled


# --- charts ---------------------------------------------------------------------------------------------------


def test_dollar_im_namen_wird_kein_formelsatz():
    namen = ["$x^2$ Süd", "Preis $5 und $6", "Normal"]
    gruppen = _gruppen(3, name=lambda i: namen[i])
    d = diagramme.standard_je_gruppe(gruppen, [{"name": "Schritt $a$", "frist_tage": 30}], 1, "Ortsverein")
    assert d is not None
    svg = d.svg
    assert "$x^2$ Süd" in svg and "Preis $5 und $6" in svg and "Schritt $a$" in svg
    assert d.png.startswith(b"\x89PNG")


def test_diagramm_einmal_je_format_gerendert(monkeypatch):
    d = diagramme.bindung_je_gruppe(_gruppen(4), 1, "Ortsverein")
    aufrufe: list[str] = []
    svg, png = diagramme.svg_text, diagramme.png_bild
    monkeypatch.setattr(diagramme, "svg_text", lambda *a, **k: (aufrufe.append("svg"), svg(*a, **k))[1])
    monkeypatch.setattr(diagramme, "png_bild", lambda *a, **k: (aufrufe.append("png"), png(*a, **k))[1])
    d.png_vorbereiten()  # as the Word writer does before it needs the picture
    assert d.png is d.png and d.svg is d.svg
    d.png_vorbereiten()
    assert aufrufe == ["png", "svg"]


def _texte(svg: str) -> list[str]:
    return [e.text or "" for e in ET.fromstring(svg).iter("text")]


def test_svg_ist_xml_mit_titel_beschreibung_und_jedem_wert():
    gruppen = _gruppen(6, name=lambda i: ["Süd & <Nord>", "Ost", "West", "Mitte", "Hafen", "Berg"][i])
    schritte = [{"name": "Erstkontakt"}, {"name": "Parteibuch"}]
    for w in gruppen:
        w.schritte.append(Anteil(3, 4))  # 4 members: below the threshold, shown as "–"
    d = diagramme.standard_je_gruppe(gruppen, schritte, 5, "Ortsverein")
    assert d is not None
    wurzel = ET.fromstring(d.svg)  # well-formed: names with "&" and "<" escaped
    assert wurzel.get("role") == "img"
    assert wurzel.find("title").text == d.titel and wurzel.find("desc").text == d.beschreibung
    texte = _texte(d.svg)
    # every group's name, every value of the first step (i of 20), a "–" for every suppressed second step
    assert [t for t in texte if t in {w.name for w in gruppen}] == [w.name for w in gruppen]
    for i in range(6):
        assert diagramme.prozent_de(i / 20, 0) in texte
    assert texte.count("–") == 6
    assert {"Erstkontakt", "Parteibuch"} <= set(texte)  # the legend
    assert {"0 %", "25 %", "50 %", "75 %", "100 %"} <= set(texte)  # the axis in %


def test_svg_bindung_mit_intervall_als_strich():
    gruppen = [Werte("A", bindung=Anteil(8, 10)), Werte("B", bindung=Anteil(1, 3))]
    d = diagramme.bindung_je_gruppe(gruppen, 5, "Ortsverein", vorbehalt="Unvollständig: …")
    assert d.titel.endswith("(unvollständig)") and d.beschreibung.endswith("Unvollständig: …")
    wurzel = ET.fromstring(d.svg)
    texte = _texte(d.svg)
    assert "80 %" in texte and "–" in texte and "33 %" not in texte
    lo, hi = Anteil(8, 10).intervall
    # the whisker: a horizontal line from the lower to the upper bound, on the bar's axis
    balken = [r for r in wurzel.iter("rect") if r.get("fill") == diagramme.FARBEN[2]]
    assert len(balken) == 1
    x0 = float(balken[0].get("x"))
    breite = float(balken[0].get("width"))  # 80 % of the axis
    striche = [
        (float(linie.get("x1")), float(linie.get("x2")))
        for linie in wurzel.iter("line")
        if linie.get("y1") == linie.get("y2") and linie.get("stroke") == "#333333"
    ]
    erwartet = (x0 + breite * lo / 0.8, x0 + breite * hi / 0.8)
    assert any(abs(a - erwartet[0]) < 0.05 and abs(b - erwartet[1]) < 0.05 for a, b in striche)


def test_tage_bis_kontakt_jeder_anteil_beschriftet():
    verteilung = [("0–7", 10), ("8–14", 30), ("über 182", 20), (diagramme.NICHT_ERREICHT, 40)]
    d = diagramme.tage_bis_kontakt(verteilung, 5)
    assert d is not None
    texte = _texte(d.svg)
    assert {"10 %", "30 %", "20 %", "40 %", "0–7", "über 182", "noch nicht", "erreicht"} <= set(texte)
    assert "Tage vom Eintritt bis zum ersten persönlichen Kontakt" in texte
    assert diagramme.tage_bis_kontakt([("0–7", 2)], 5) is None  # too few: no chart


def test_png_mit_pillow_lesbar_in_200_dpi():
    from PIL import Image

    d = diagramme.standard_je_gruppe(_gruppen(5), [{"name": "Erstkontakt"}], 5, "Ortsverein")
    assert d is not None
    bild = Image.open(io.BytesIO(d.png))
    bild.load()
    assert bild.format == "PNG"
    assert bild.info["dpi"] == pytest.approx((diagramme.PNG_DPI, diagramme.PNG_DPI), abs=0.1)
    # the drawing's size in points at 200 dpi
    assert bild.size == (
        round(d.zeichnung.breite * 200 / 72),
        pytest.approx(d.zeichnung.hoehe * 200 / 72, abs=1),
    )
    breite, _ = berichtsformate._png_groesse(d.png)  # as Excel shows it: 8 inches at 96 dpi
    assert breite == pytest.approx(8 * 96, abs=1)
    # drawn: dark text and the bars' colour are on the picture, not only white
    farben = {f for _, f in bild.getcolors(1_000_000)}
    assert (0x1F, 0x4E, 0x89) in farben and any(sum(f) < 150 for f in farben)


@pytest.mark.parametrize("groesse", [(1, 1), (3, 2), (257, 5), (1600, 40)])
def test_png_packen_gibt_genau_das_bild_wieder(groesse):
    """The PNG written by hand is a valid PNG holding exactly the pixels drawn, at the resolution given."""
    import random

    from PIL import Image

    rng = random.Random(groesse[0])
    bild = Image.frombytes(
        "RGB", groesse, bytes(rng.randrange(256) for _ in range(groesse[0] * groesse[1] * 3))
    )
    daten = diagramme.png_packen(bild, 150)
    Image.open(io.BytesIO(daten)).verify()  # chunk CRCs and structure
    gelesen = Image.open(io.BytesIO(daten))
    assert gelesen.mode == "RGB" and gelesen.size == groesse
    assert gelesen.tobytes() == bild.tobytes()
    assert gelesen.info["dpi"] == pytest.approx((150, 150), abs=0.1)
    assert diagramme.png_packen(bild.convert("RGBA"), 150) == daten  # whatever the mode, RGB is written


def test_ohne_gefundene_schrift_zeichnet_pillows_eigene(monkeypatch):
    from PIL import Image, ImageFont

    monkeypatch.setattr(diagramme, "_SCHRIFTDATEIEN", ("/gibt/es/nicht.ttf",))
    original = ImageFont.truetype

    def nur_pfade(name, *a, **k):  # no font found by name in the system's folders either
        if isinstance(name, str) and "/" not in name:
            raise OSError(name)
        return original(name, *a, **k)

    monkeypatch.setattr(ImageFont, "truetype", nur_pfade)
    diagramme._schriftdatei.cache_clear()
    diagramme._schrift.cache_clear()
    try:
        d = diagramme.bindung_je_gruppe(_gruppen(3), 1, "Ortsverein")
        assert Image.open(io.BytesIO(d.png)).size[0] == round(diagramme.BREITE * diagramme.PNG_DPI / 72)
        assert "Ortsverein 001" in _texte(d.svg)
    finally:
        diagramme._schriftdatei.cache_clear()
        diagramme._schrift.cache_clear()


@pytest.mark.skipif(not diagramme._schriftdatei(), reason="keine Schriftdatei zum Nachstellen gefunden")
def test_nur_noto_sans_im_system_umlaute_werden_gezeichnet(monkeypatch):
    """A Linux with Noto Sans but without DejaVu (Fedora since version 36): the PNG's font has umlauts and the
    dash of a suppressed value, not Pillow's own font, which draws a box for them."""
    from PIL import ImageFont

    vorhanden = diagramme._schriftdatei()
    monkeypatch.setattr(diagramme, "_SCHRIFTDATEIEN", ("/gibt/es/nicht.ttf",))
    original = ImageFont.truetype

    # the system's font folders hold only Noto Sans (played by the font found here)
    def nur_noto(name, *a, **k):
        if isinstance(name, str) and "/" not in name:
            if not name.startswith("NotoSans"):
                raise OSError(name)
            name = vorhanden
        return original(name, *a, **k)

    monkeypatch.setattr(ImageFont, "truetype", nur_noto)
    diagramme._schriftdatei.cache_clear()
    diagramme._schrift.cache_clear()
    try:
        schrift = diagramme._schrift(40)
        kasten = schrift.getbbox("\u4e00")  # a character none of these fonts has: the box
        assert all(schrift.getbbox(z) != kasten for z in "üÄß–")
    finally:
        diagramme._schriftdatei.cache_clear()
        diagramme._schrift.cache_clear()


def test_viele_ortsvereine_beste_und_schwaechste_zehn_mit_namen():
    gruppen = _gruppen(500)
    d = diagramme.standard_je_gruppe(gruppen, [{"name": "Erstkontakt", "frist_tage": 30}], 5, "Ortsverein")
    assert d is not None
    svg = d.svg
    beschriftungen = re.findall(r">(\d+)\. (Ortsverein \d{3})<", svg)
    assert len(beschriftungen) == 20
    # the best have 16 of 17 (i % 17 == 16), the worst 0 of 17
    beste = {name for _, name in beschriftungen[:10]}
    schwaechste = {name for _, name in beschriftungen[10:]}
    assert all(int(n[-3:]) % 17 == 16 for n in beste)
    assert all(int(n[-3:]) % 17 == 0 for n in schwaechste)
    assert "weitere" in svg and "Verteilung" in svg
    b = diagramme.bindung_je_gruppe(gruppen, 5, "Ortsverein")
    assert len(re.findall(r">\d+\. Ortsverein \d{3}<", b.svg)) == 20


def test_viele_ortsvereine_aber_hoechstens_zwanzig_mit_rang_stehen_alle_da():
    """45 Ortsvereine, only 12 with enough new members for a rank: the chart names all 12 and says so, instead
    of announcing the best and the worst ten."""
    gruppen = [
        Werte(
            f"Ortsverein {i:03d}", schritte=[Anteil(i % 7, 10 if i < 12 else 3)], standard=Anteil(i % 7, 10)
        )
        if i < 12
        else Werte(
            f"Ortsverein {i:03d}", schritte=[Anteil(1, 3)], standard=Anteil(1, 3), bindung=Anteil(1, 3)
        )
        for i in range(45)
    ]
    d = diagramme.standard_je_gruppe(gruppen, [{"name": "Erstkontakt", "frist_tage": 30}], 5, "Ortsverein")
    assert d is not None
    texte = _texte(d.svg)
    assert len([t for t in texte if re.fullmatch(r"\d+\. Ortsverein \d{3}", t)]) == 12
    assert "Standard erfüllt: alle 12 mit Rang" in texte
    assert not any("die besten und die schwächsten" in t for t in texte)
    # the user's word, no "Gruppe"
    assert "Alle als Verteilung (ein Punkt je Ortsverein, Strich: Median)" in texte
    assert not any("Gruppe" in t for t in texte)
    assert "die 10" not in d.beschreibung and "alle 12 Ortsvereine mit Rang" in d.beschreibung


# --- the whole report, rendered -------------------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) ist nicht installiert")
def test_libreoffice_druckt_mit_seitenzahlen(bloecke, tmp_path):
    xlsx = berichtsformate.xlsx_schreiben(tmp_path / "b.xlsx", bloecke, TITEL, UNTERTITEL)
    docx = berichtsformate.docx_schreiben(tmp_path / "b.docx", bloecke, TITEL, UNTERTITEL, date(2026, 9, 30))
    for pfad in (xlsx, docx):
        subprocess.run(
            [
                "soffice",
                "--headless",
                f"-env:UserInstallation=file://{tmp_path}/lo",
                "--convert-to",
                "pdf",
                "--outdir",
                str(tmp_path),
                str(pfad),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
        pdf = pfad.with_suffix(".pdf")
        assert pdf.stat().st_size > 1000
        if shutil.which("pdftotext"):
            text = subprocess.run(
                ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
            ).stdout
            seiten = int(re.findall(r"Seite \d+ von (\d+)", text)[0])
            assert seiten == text.count("\f") and f"Seite {seiten} von {seiten}" in text
            # every word of the table headers whole: a word broken in a narrow column would read "Mitgliede\nr"
            woerter = {
                w
                for t in (_schmal(), _breit())
                for k in (t.xlsx_spalten if pfad == xlsx else t.spalten)
                for w in re.findall(r"[A-Za-zäöüß]{6,}", k)
            }
            assert woerter and all(w in text for w in woerter), sorted(w for w in woerter if w not in text)


@pytest.mark.skipif(
    shutil.which("chromium") is None or shutil.which("pdftotext") is None,
    reason="Chromium oder pdftotext ist nicht installiert",
)
def test_chromium_druckt_html_mit_seitenzahlen(bloecke, tmp_path):
    html = berichtsformate.html_schreiben(tmp_path / "b.html", bloecke, TITEL, UNTERTITEL)
    pdf = tmp_path / "b.pdf"
    subprocess.run(
        [
            "chromium",
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            f"--user-data-dir={tmp_path / 'profil'}",
            f"--print-to-pdf={pdf}",
            html.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    seiten = text.count("\f")
    assert f"Seite 1 von {seiten}" in text and f"Seite {seiten} von {seiten}" in text
    assert TITEL in text.split("\f")[-2]  # the footer names the report on every page


def test_xlsx_spalte_nur_mit_unterdrueckten_zahlen_rechtsbuendig(tmp_path):
    tabelle = Tabelle(
        "Klein",
        ["Ortsverein", "Eintritte", "Bemerkung"],
        [],
        ["Ortsverein", "Eintritte", "Bemerkung"],
        [["Altstadt", "< 5", "neu gegründet"], ["Am Hafen", "–", "Fusion mit Seewiesen"]],
        fussnote="„< 5“: eine Zahl unter 5.",
    )
    bloecke = [Block("kennzahlen", kacheln=[]), Block("tabelle", tabelle=tabelle)]
    ws = openpyxl.load_workbook(berichtsformate.xlsx_schreiben(tmp_path / "b.xlsx", bloecke, TITEL, ""))[
        "Klein"
    ]
    assert ws["B2"].alignment.horizontal == "right" and ws["B3"].alignment.horizontal == "right"
    assert (
        ws["C2"].alignment.horizontal != "right" and ws["C2"].alignment.wrap_text
    )  # a text column stays text
    assert ws["A5"].value == "„< 5“: eine Zahl unter 5."  # the note two rows below the table


def test_docx_und_xlsx_mit_steuerzeichen_und_formelzeichen(tmp_path):
    """A name with a control character or a leading "=" is written as text, never as XML error or formula."""
    tabelle = Tabelle(
        "Namen",
        ["Ortsverein", "Mitglieder"],
        [["Alt\x0bstadt <&>", "12"], ["=SUMME(A1)", "7"]],
        ["Ortsverein", "Mitglieder"],
        [["Alt\x0bstadt <&>", 12], ["=SUMME(A1)", 7]],
        rechts={1},
    )
    bloecke = [
        Block("kennzahlen", kacheln=[]),
        Block("liste", punkte=["Alt\x0bstadt: kein Neumitglied erreicht"]),
        Block("tabelle", tabelle=tabelle),
    ]
    doc = Document(
        str(berichtsformate.docx_schreiben(tmp_path / "b.docx", bloecke, "T & <U>", "", date(2026, 9, 30)))
    )
    assert doc.tables[-1].rows[1].cells[0].text == "Altstadt <&>"
    assert any(p.text == "Altstadt: kein Neumitglied erreicht" for p in doc.paragraphs)
    ws = openpyxl.load_workbook(berichtsformate.xlsx_schreiben(tmp_path / "b.xlsx", bloecke, "T & <U>", ""))[
        "Namen"
    ]
    assert ws["A3"].value == "=SUMME(A1)" and ws["A3"].data_type == "s"
    assert "T && <U>" in ws.oddHeader.left.text


def test_namen_mit_zeilenumbruch_und_steuerzeichen_einzeilig_in_png_und_svg(monkeypatch):
    """A cell written with Alt+Enter keeps its line break in the name: the chart shows the name on one line (as
    the browser shows the SVG), never two lines over the next row or a box for a control character."""
    from PIL import ImageDraw

    gezeichnet: list[str] = []
    original = ImageDraw.ImageDraw.text

    def merken(self, xy, text, *a, **k):
        gezeichnet.append(text)
        return original(self, xy, text, *a, **k)

    monkeypatch.setattr(ImageDraw.ImageDraw, "text", merken)
    namen = ["Nord\nSüd", "Ost\r\nWest\x07", "Mitte\tHafen"]
    d = diagramme.bindung_je_gruppe(_gruppen(3, name=lambda i: namen[i]), 1, "Ortsverein")
    assert d.png.startswith(b"\x89PNG")
    for text in gezeichnet:
        assert not any(ord(z) < 32 or 0x7F <= ord(z) <= 0x9F for z in text), repr(text)
    assert {"Nord Süd", "Ost West", "Mitte Hafen"} <= set(gezeichnet)
    assert {"Nord Süd", "Ost West", "Mitte Hafen"} <= set(_texte(d.svg))
    assert diagramme.textbreite("Nord\nSüd", 9) == diagramme.textbreite("Nord Süd", 9)


def test_html_ohne_steuerzeichen_wie_word(bloecke):
    """A name with a control character (from an old xls export) is written without it, as in Word: HTML does not
    allow them either (a browser shows a box or nothing, an HTML checker rejects the page)."""
    tabelle = Tabelle("X", ["Ortsverein"], [["Süd\x0bstadt\x00"]], [], [])
    text = berichtsformate.html_text(
        [Block("absatz", "Nord\x08heim"), Block("tabelle", tabelle=tabelle)], "Titel\x1f", UNTERTITEL
    )
    assert "<p>Nordheim</p>" in text and "<td>Südstadt</td>" in text and "<title>Titel</title>" in text
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", text)


@pytest.mark.parametrize(
    ("ebene", "stil"), [(1, "Heading 1"), (2, "Heading 1"), (3, "Heading 2"), (6, "Heading 3")]
)
def test_docx_ueberschrift_jeder_ebene_hat_einen_stil_der_vorlage(tmp_path, ebene, stil):
    """Every heading level maps to a style of the template (level 1 once pointed at a "Heading0" nobody defines)."""
    bloecke = [Block("ueberschrift", "Abschnitt", ebene=ebene)]
    doc = Document(
        str(
            berichtsformate.docx_schreiben(tmp_path / "b.docx", bloecke, TITEL, UNTERTITEL, date(2026, 9, 30))
        )
    )
    absatz = next(p for p in doc.paragraphs if p.text == "Abschnitt")
    assert absatz.style.name == stil


def test_docx_zeilenenden_jeder_art_werden_zeilenumbrueche(tmp_path):
    """\\n, \\r\\n and a lone \\r in a text (a name pasted from another system) break the line as in Word, a tab
    stays a tab; nothing else of the text changes."""
    bloecke = [Block("absatz", text="Erste\r\nZweite\rDritte\nVierte\tmit Tab")]
    pfad = berichtsformate.docx_schreiben(tmp_path / "b.docx", bloecke, "T", "", date(2026, 9, 30))
    with zipfile.ZipFile(pfad) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    assert "\r" not in xml
    absatz = next(p for p in Document(str(pfad)).paragraphs if p.text.startswith("Erste"))
    assert absatz.text == "Erste\nZweite\nDritte\nVierte\tmit Tab"
