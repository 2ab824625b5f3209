"""An Ortsverein's package on paper: header and footer, rows to write in, the colours and date checks kept."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date

import openpyxl
import pytest

from mitgliederarbeit import dateien
from mitgliederarbeit.ausgaben import ortsvereine

from .test_ortsvereine import GELB, GRUEN, KOPF, ROT, _paket, zwei_ov  # noqa: F401 - the fixture

VERTRAULICH = "Vertraulich – nur für den Vorstand des Ortsvereins"


def test_new_members_print_as_a_grid_to_fill_in_with_colours_and_date_checks(zwei_ov):  # noqa: F811
    altstadt = _paket(ortsvereine.pakete(zwei_ov), "Altstadt")
    wb = openpyxl.load_workbook(altstadt)
    ws = wb["Neue Mitglieder"]
    setup = ws.page_setup
    assert (setup.orientation, setup.paperSize, setup.fitToWidth or 1, setup.fitToHeight) == (
        "landscape",
        9,
        1,
        0,
    )
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$1:$1"
    assert ws.print_area == "'Neue Mitglieder'!$A$1:$L$5"  # four members, twelve columns
    assert ws.oddHeader.left.text == "Paket für den Ortsverein Altstadt"
    assert ws.oddHeader.center.text == VERTRAULICH
    assert ws.oddHeader.right.text == "löschen bis 01.12.2026"
    assert ws.oddFooter.left.text == "Stand 01.09.2026"
    assert ws.oddFooter.center.text == "Seite &P von &N"
    assert ws.oddFooter.right.text == "Farben: grün = erfasst, gelb = bald fällig, rot = überfällig"
    # the header cells the import reads, unchanged
    assert [c.value for c in ws[1]] == KOPF
    # room to write a date by hand; a step's column wide enough for it
    for row in range(2, 6):
        assert ws.row_dimensions[row].height >= 33  # 34 points, to the pixel
    schritte = ws.column_dimensions["H"]  # the three step columns share one width (H to J)
    assert (schritte.min, schritte.max) == (8, 10) and schritte.width >= 15
    for zelle in ("H3", "H5", "J5"):  # marked, empty: a date typed into a coloured cell shows as a date
        assert ws[zelle].value is None and ws[zelle].number_format == "dd.mm.yyyy"
    # "Fällig" wraps in its column, and every line of it has room (no more than 30 characters a line)
    faellig = ws["G5"]
    assert faellig.alignment.wrap_text
    linien = sum(-(-len(teil) // 30) for teil in faellig.value.split("\n"))
    assert linien >= 6 and ws.row_dimensions[5].height >= 13 * linien
    assert ws.column_dimensions["G"].width <= 32
    # the colours and the date checks of the screen version, in the printed font
    farbe = {
        (r, c): ws.cell(r, c).fill.fgColor.rgb
        for r in range(2, 6)
        for c in range(7, 11)
        if ws.cell(r, c).fill.fill_type == "solid"
    }
    assert farbe[(3, 7)] == GELB and farbe[(4, 8)] == GRUEN and farbe[(5, 10)] == ROT and len(farbe) == 10
    assert ws.cell(4, 8).font.name == "Arial" and ws.cell(4, 8).number_format == "dd.mm.yyyy"
    pruefungen = {str(dv.sqref): dv.type for dv in ws.data_validations.dataValidation}
    assert pruefungen == {"H2:H1001": "date", "I2:I1001": "date", "J2:J1001": "date"}
    # every cell of the table framed, the empty ones to fill in too
    [rahmen] = list(ws.conditional_formatting)
    assert str(rahmen.sqref) == "A2:L5"
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:L5"
    aenderungen = wb["Änderungen"]
    assert aenderungen.oddHeader.center.text == VERTRAULICH
    assert aenderungen.oddFooter.left.text == "Stand 01.09.2026"
    for blatt in ("Anleitung", "Datenschutz"):
        text = wb[blatt]
        assert text.page_setup.orientation == "portrait"
        # portrait has no room for three header texts: the Ortsverein is in the footer
        assert (text.oddHeader.left.text, text.oddHeader.right.text) == (
            VERTRAULICH,
            "löschen bis 01.12.2026",
        )
        assert text.oddHeader.center.text is None
        assert text.oddFooter.left.text == "Ortsverein Altstadt, Stand 01.09.2026"
        assert text.oddFooter.right.text == "Seite &P von &N"
        for row in text.iter_rows(min_row=2):
            if row[0].value:
                assert row[0].alignment.wrap_text
                assert text.row_dimensions[row[0].row].height >= 13 * -(-len(row[0].value) // 75)


def _blatt(druck: dateien.Druck | None) -> dateien.Tabelle:
    return dateien.Tabelle(
        "Liste",
        ["Name", "Fällig", "Schritt"],
        [["Anna", "Schritt: überfällig seit 01.07.2026", None], ["Ben", None, date(2026, 7, 10)]],
        breiten={0: 10, 1: 12, 2: 14},
        datum_spalten=[2],
        markierungen={(0, 1): "ueberfaellig", (0, 2): "ueberfaellig", (1, 2): "erfasst"},
        druck=druck,
    )


def test_the_screen_and_the_print_path_mark_the_same_cells(tmp_path):
    bildschirm = dateien.xlsx(tmp_path / "b.xlsx", [_blatt(None)])
    papier = dateien.xlsx(tmp_path / "p.xlsx", [_blatt(dateien.Druck(zeilenhoehe=30))])
    gesehen = []
    for datei in (bildschirm, papier):
        ws = openpyxl.load_workbook(datei)["Liste"]
        gesehen.append(
            (
                [[c.value for c in row] for row in ws.iter_rows()],
                {
                    c.coordinate: c.fill.fgColor.rgb
                    for row in ws.iter_rows(min_row=2)
                    for c in row
                    if c.fill.fill_type
                },
                [(str(dv.sqref), dv.type) for dv in ws.data_validations.dataValidation],
                ws["C3"].number_format,
                ws["B2"].alignment.wrap_text,
            )
        )
    assert gesehen[0] == gesehen[1]
    assert gesehen[1][1] == {"B2": ROT, "C2": ROT, "C3": GRUEN}
    assert gesehen[1][2] == [("C2:C1001", "date")]
    ws = openpyxl.load_workbook(papier)["Liste"]
    # printed, the marked text wraps to 3 lines in its narrow column: its row grows past the 30 points
    assert ws.row_dimensions[2].height >= 3 * 13 and ws.row_dimensions[3].height == 30
    assert ws["B2"].font.name == "Arial"


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (soffice) ist nicht installiert")
def test_a_package_printed_through_libreoffice(zwei_ov, tmp_path):  # noqa: F811
    pdfplumber = pytest.importorskip("pdfplumber")
    datei = _paket(ortsvereine.pakete(zwei_ov), "Altstadt")
    subprocess.run(
        ["soffice", f"-env:UserInstallation={(tmp_path / 'profil').as_uri()}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(datei)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    with pdfplumber.open(tmp_path / (datei.stem + ".pdf")) as pdf:
        seiten = pdf.pages
        assert len(seiten) == 4  # Neue Mitglieder, Änderungen, Anleitung, Datenschutz
        for nummer, seite in enumerate(seiten, start=1):
            text = seite.extract_text()
            assert VERTRAULICH in text and "löschen bis 01.12.2026" in text
            assert f"Seite {nummer} von 4" in text
            woerter = seite.extract_words()
            assert all(w["x1"] <= seite.width - 10 for w in woerter), "Text am rechten Rand abgeschnitten"
            for i, a in enumerate(woerter):  # no two words (lines) printed over each other
                for b in woerter[i + 1 :]:
                    breit = min(a["x1"], b["x1"]) - max(a["x0"], b["x0"])
                    hoch = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
                    assert breit <= 0.5 or hoch <= 0.5, (nummer, a["text"], b["text"])
        erste = seiten[0].extract_text()
        assert "Paket für den Ortsverein Altstadt" in erste
        assert "Farben: grün = erfasst, gelb = bald fällig, rot = überfällig" in erste
        assert "Ortsverein Altstadt, Stand 01.09.2026" in seiten[2].extract_text()
