"""Garbage in, a clear answer out: property-based tests and a corpus of broken files.

Every reader either returns a clean result or raises a :class:`MitgliederError`; never another exception.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mitgliederarbeit.einlesen import lesen
from mitgliederarbeit.einlesen.importieren import importieren, lese_export
from mitgliederarbeit.einlesen.normalisieren import normalize_row
from mitgliederarbeit.einlesen.spalten import FELDER, find_header
from mitgliederarbeit.errors import MitgliederError

from .conftest import EXPORT_MAI

SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
CELL = st.one_of(
    st.none(),
    st.text(max_size=40),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(),
    st.datetimes(),
)


@SETTINGS
@given(data=st.binary(max_size=3000), suffix=st.sampled_from([".csv", ".xlsx", ".txt", ".ods", ".xls"]))
def test_random_bytes_never_crash_the_reader(tmp_path, data, suffix):
    path = tmp_path / f"zufall{suffix}"
    path.write_bytes(data)
    try:
        blatt = lesen.read(path)
    except MitgliederError:
        return
    assert isinstance(blatt.rows, list)


@SETTINGS
@given(
    text=st.text(max_size=500),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16", "latin-1"]),
)
def test_random_text_in_any_encoding_never_crashes(tmp_path, text, encoding):
    path = tmp_path / "zufall.csv"
    try:
        path.write_bytes(text.encode(encoding))
    except UnicodeEncodeError:
        return
    try:
        blatt = lesen.read(path)
        lese_export(blatt, config={"import": {"spalten": {}}}, stichtag=date(2026, 9, 1))
    except MitgliederError:
        pass


@SETTINGS
@given(
    cells=st.dictionaries(st.sampled_from(FELDER), CELL, max_size=len(FELDER)), zeile=st.integers(1, 10**6)
)
def test_random_cells_are_either_a_record_or_reasons(cells, zeile):
    record, problems = normalize_row(cells, zeile, date(2026, 5, 31))
    assert record is not None or any(p.schwer for p in problems)
    assert all(p.zeile == zeile and p.meldung for p in problems)


@SETTINGS
@given(rows=st.lists(st.lists(CELL, max_size=12), max_size=30))
def test_random_header_rows_never_crash(rows):
    kopf = find_header(rows)
    if kopf is not None:
        assert all(0 <= col < len(kopf.spalten) for col in kopf.zuordnung.values())


def test_xlsx_with_a_thousand_columns(ordner, tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    header = ["Mitgliedsnummer", "Name", "Eintritt", "Ortsverein"] + [f"Zusatz {i}" for i in range(996)]
    sheet.append(header)
    sheet.append(["1", "Muster", "01.01.2020", "Altstadt"] + ["x"] * 996)
    path = tmp_path / "breit.xlsx"
    workbook.save(path)
    [result] = importieren(ordner, [path], stand=date(2026, 3, 31))
    assert result.uebernommen == 1


def test_xlsx_with_a_million_empty_rows(ordner, tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Mitgliedsnummer", "Name", "Eintritt", "Ortsverein"])
    sheet.append(["1", "Muster", "01.01.2020", "Altstadt"])
    sheet.cell(row=1_000_000, column=1).value = " "  # the sheet now reaches row 1,000,000
    path = tmp_path / "lang.xlsx"
    workbook.save(path)
    [result] = importieren(ordner, [path], stand=date(2026, 3, 31))
    assert (result.gelesen, result.uebernommen) == (1, 1)


def test_zip_bomb_of_shared_strings_is_refused(tmp_path):
    path = tmp_path / "bombe.xlsx"
    with zipfile.ZipFile(EXPORT_MAI) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename != "xl/sharedStrings.xml":
                target.writestr(item, source.read(item.filename))
        chunk = b"<si><t>" + b"A" * 1_000_000 + b"</t></si>"
        with target.open("xl/sharedStrings.xml", "w", force_zip64=True) as handle:
            handle.write(
                b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            )
            for _ in range(120):
                handle.write(chunk)
            handle.write(b"</sst>")
    with pytest.raises(MitgliederError, match="aus Sicherheitsgründen nicht gelesen"):
        lesen.read(path)


def test_csv_with_mixed_delimiters_keeps_every_valid_row(ordner, tmp_path):
    path = tmp_path / "gemischt.csv"
    lines = [
        "Mitgliedsnummer;Name;Eintritt;Ortsverein",
        "1;Muster;01.01.2020;Altstadt",
        "2,Beispiel,01.01.2020,Altstadt",
        "3;Brenner;01.01.2020;Altstadt",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    [result] = importieren(ordner, [path], stand=date(2026, 3, 31), fehler_ordner=tmp_path / "fehler")
    assert (result.uebernommen, result.abgelehnt) == (2, 1)
    assert [p.meldung for p in result.probleme] == [
        "Name fehlt (weder Vorname noch Nachname)",
        "Ortsverein fehlt",
        "Eintrittsdatum fehlt",
    ]


def test_docx_renamed_to_xlsx_and_garbage_zip(tmp_path):
    path = tmp_path / "brief.xlsx"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    path.write_bytes(buffer.getvalue())
    with pytest.raises(MitgliederError, match="das ist ein Word-Dokument"):
        lesen.read(path)
    other = tmp_path / "archiv.xlsx"
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("foto.jpg", b"\xff\xd8")
    with pytest.raises(MitgliederError, match="das ZIP-Archiv enthält keine Tabelle"):
        lesen.read(other)


def test_corrupt_sheet_inside_a_valid_zip(tmp_path):
    path = tmp_path / "kaputt.xlsx"
    with zipfile.ZipFile(EXPORT_MAI) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                data = data[: len(data) // 3]
            target.writestr(item, data)
    with pytest.raises(MitgliederError):
        lesen.read(path)


def test_csv_roundtrip_for_rows_with_quotes_and_newlines(ordner, tmp_path):
    path = tmp_path / "quotes.csv"
    path.write_text(
        'Mitgliedsnummer;Name;Eintritt;Ortsverein\n1;"Muster; ""Mia""\nzweite Zeile";01.01.2020;Altstadt\n',
        encoding="utf-8",
    )
    [result] = importieren(ordner, [path], stand=date(2026, 3, 31))
    assert result.uebernommen == 1


def _soffice_convert(source, fmt, tmp_path):
    import shutil
    import subprocess

    program = shutil.which("soffice") or shutil.which("libreoffice")
    if program is None:
        pytest.skip("LibreOffice fehlt: xls/ods-Dateien lassen sich hier nicht erzeugen")
    subprocess.run(
        [
            program,
            f"-env:UserInstallation=file://{tmp_path / 'lo-profil'}",
            "--headless",
            "--convert-to",
            fmt,
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        timeout=180,
    )
    target = tmp_path / f"{source.stem}.{fmt}"
    if not target.exists():
        pytest.skip("LibreOffice Calc fehlt: xls/ods-Dateien lassen sich hier nicht erzeugen")
    return target


@pytest.mark.parametrize("fmt", ["xls", "ods"])
def test_old_excel_and_opendocument_exports(ordner, tmp_path, fmt):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Mitgliederliste OV Altstadt"])
    sheet.append(["Stand: 31.03.2026"])
    sheet.append(["Mitgl.-Nr.", "Name", "Vorname", "Eintritt", "OV", "PLZ"])
    sheet.append(["0012345", "Muster", "Erika", date(2019, 5, 1), "Altstadt", 1067])
    sheet.append(["0012346", "Beispiel", "Max", "31.02.2019", "Altstadt", 4109])
    source = tmp_path / "export.xlsx"
    workbook.save(source)
    converted = _soffice_convert(source, fmt, tmp_path)
    [result] = importieren(ordner, [converted], fehler_ordner=tmp_path / "fehler")
    assert (result.stand, result.uebernommen, result.abgelehnt) == (date(2026, 3, 31), 1, 1)
    assert [p.zeile for p in result.probleme] == [5]
