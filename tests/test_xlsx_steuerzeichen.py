"""Control characters (a pasted escape sequence, a bell, NUL) never make a written workbook invalid.

XML 1.0 forbids most control characters. xlsxwriter escapes them in cells, headers and dropdowns (``_x001B_``),
but writes a sheet's name raw into ``xl/workbook.xml``: Excel repairs such a file, LibreOffice does not open it.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from mitgliederarbeit import dateien
from mitgliederarbeit.ausgaben.anrufliste import _blattnamen

from .test_segmente import bestand_anlegen, mitglied

ESC = "\x1b"


def xml_gueltig(path: Path) -> None:
    """Every XML part of the workbook parses (the parser refuses what XML 1.0 forbids)."""
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.endswith((".xml", ".rels")):
                ElementTree.fromstring(z.read(name))


def test_a_caller_name_with_an_escape_sequence(tmp_path, mitglieder):
    folder = tmp_path / "arbeit"
    bestand_anlegen(folder, [mitglied("1", "2026-08-01"), mitglied("2", "2026-08-02")])
    run = mitglieder(
        "--ordner", folder, "--stichtag", "01.09.2026", "--json", "anrufliste",
        "--anrufer", f"Anna{ESC}[2J,Ben\x07", "--je-anrufer", "--ausgabe", tmp_path / "listen",
    )  # fmt: skip
    assert run.code == 0, run.err
    assert run.json()["anrufer"] == ["Anna[2J", "Ben"]
    dateien_ = sorted((tmp_path / "listen").glob("*.xlsx"))
    assert [d.name for d in dateien_] == [
        "anrufliste-2026-09-01-Anna-2J.xlsx",
        "anrufliste-2026-09-01-Ben.xlsx",
    ]
    for datei in dateien_:
        xml_gueltig(datei)
        wb = openpyxl.load_workbook(datei)
        assert not any(ESC in name or "\x07" in name for name in wb.sheetnames)
        with zipfile.ZipFile(datei) as z:  # nor escaped: the name is clean in headers and cells too
            assert not [n for n in z.namelist() if b"_x001B_" in z.read(n) or b"_x0007_" in z.read(n)]
    assert openpyxl.load_workbook(dateien_[0]).sheetnames[0] == "Anna-2J"


def test_a_sheet_named_with_control_characters_by_any_writer(tmp_path):
    datei = dateien.xlsx(
        tmp_path / "x.xlsx",
        [dateien.Tabelle(f"Ab{ESC}c\x00", ["Name"], [[f"Kim{ESC}[31m"]], auswahl={0: ["ja", f"n{ESC}ein"]})],
        {"art": f"test{ESC}"},
    )
    xml_gueltig(datei)
    wb = openpyxl.load_workbook(datei)
    assert wb.sheetnames == ["Abc", "_mitgliederarbeit"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    namen=st.lists(st.text(min_size=1, max_size=40), min_size=1, max_size=4),
    zelle=st.text(max_size=30),
)
@example(namen=["0" * 18 + "\U00010000" * 7, "0" * 18 + "\U00010000" * 7], zelle="")  # Excel counts UTF-16
def test_any_names_and_cells_make_a_valid_workbook(tmp_path, namen, zelle):
    blaetter = _blattnamen(namen)
    assert len({b.casefold() for b in blaetter}) == len(blaetter)
    datei = dateien.xlsx(
        tmp_path / "h.xlsx",
        [dateien.Tabelle(b, ["Name", "Notiz"], [[n, zelle]]) for b, n in zip(blaetter, namen, strict=True)],
        {"anrufer.1": namen[0]},
        ueberschreiben=True,
    )
    xml_gueltig(datei)
    assert openpyxl.load_workbook(datei).sheetnames == [*blaetter, "_mitgliederarbeit"]
