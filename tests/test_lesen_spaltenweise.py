"""read_spaltenweise: the whole sheet as a polars frame of text, cell for cell what read() and text() give.

Every file here is read both ways: the column-wise reader either declines (None) or gives exactly
``text(c)`` of read()'s cells, row for row, padded with None to the widest row. All data is invented.
"""

from __future__ import annotations

import csv
import io
import re
import tempfile
import zipfile
from datetime import date, datetime, time, timedelta
from pathlib import Path

import openpyxl
import polars as pl
import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mitgliederarbeit.einlesen import lesen
from mitgliederarbeit.einlesen.normalisieren import text
from mitgliederarbeit.errors import EingabeFehler

from .conftest import EXPORT_AUGUST, EXPORT_MAI, TEILNAHME

HEADER = ["Mitgliedsnummer", "Anrede", "Vorname", "Nachname", "PLZ", "Ort", "Eintritt"]
DATA = [
    ["100010", "Herr", "Jörg", "Müller", "06027", "Sankt Anna", "22.09.1966"],
    ["100016", "Frau", "Änne", "Weiß", "53177", "Neustadt", "3.10.66"],
    ["100031", "", "René", "Maier", "07374", "Bergheim", ""],
]


def gleich(path: Path, blatt: str | None = None) -> lesen.Blatt | None:
    """None, or the frame holds exactly text() of read()'s cells (and the rest of the Blatt matches)."""
    spalten = lesen.read_spaltenweise(path, blatt)
    if spalten is None:
        return None
    zeilen = lesen.read(path, blatt)
    frame = spalten.tabelle
    expected = [[text(c) for c in row] for row in zeilen.rows]
    width = max((len(row) for row in expected), default=0)
    assert frame.columns == [str(i) for i in range(width)]
    assert all(dtype == pl.String for dtype in frame.dtypes)
    assert frame.height == len(expected)
    got = [list(row) for row in frame.iter_rows()]
    for number, (row, want) in enumerate(zip(got, expected), start=1):
        assert row == want + [None] * (width - len(want)), f"Zeile {number}"
    assert spalten.rows == got[: lesen.KOPF_ZEILEN]
    assert frame.equals(lesen.tabelle_aus_zeilen(zeilen.rows))  # the frame the row reader's cells give
    assert (
        spalten.datei,
        spalten.name,
        spalten.meta,
        spalten.blaetter,
        spalten.format,
        spalten.hinweise,
    ) == (
        zeilen.datei,
        zeilen.name,
        zeilen.meta,
        zeilen.blaetter,
        zeilen.format,
        zeilen.hinweise,
    )
    return spalten


def exakt(path: Path, blatt: str | None = None) -> lesen.Blatt:
    spalten = gleich(path, blatt)
    assert spalten is not None, "read_spaltenweise hat abgelehnt"
    return spalten


def schreiben(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def csv_text(rows: list[list[str]], delimiter: str = ";", end: str = "\n") -> str:
    return "".join(delimiter.join(row) + end for row in rows)


# ---- whitespace and helpers -----------------------------------------------------------------------------------


def test_whitespace_is_what_str_strip_removes():
    python = {chr(c) for c in range(0x110000) if chr(c).isspace()}
    assert set(lesen._WHITESPACE) == python
    assert all(chr(c).strip() == "" for c in map(ord, python))


def test_polars_strips_exactly_like_python_over_all_of_unicode():
    points = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    cells = [f"{c}{c}a{c}b{c}" for c in points]
    stripped = pl.Series(cells).str.strip_chars(lesen._WHITESPACE).to_list()
    assert stripped == [cell.strip() for cell in cells]


def test_default_strip_chars_would_differ():
    # why _WHITESPACE is passed: polars' default whitespace is not Python's
    assert pl.Series(["\x1cx\x1c"]).str.strip_chars().item() != "\x1cx\x1c".strip()


@pytest.mark.parametrize("size", [10, 100, 65530, 65534, 65535, 65536, 70000])
def test_first_lines_are_splitlines(size):
    text_ = ("x" * (size - 1) + "\r\n") + "".join(f"zeile {i}\x1c\r\n" for i in range(200))
    assert lesen._first_lines(text_, 60) == text_.splitlines()[:60]
    assert lesen._first_lines("a\nb", 60) == ["a", "b"]


# ---- csv ------------------------------------------------------------------------------------------------------


def test_csv_title_block_header_data_cp1252(tmp_path):
    rows = [["Mitgliederliste Unterbezirk Musterstadt", "", ""], ["Stand: 31.08.2026"], []]
    path = schreiben(tmp_path, "e.csv", csv_text(rows + [HEADER] + DATA, end="\r\n").encode("cp1252"))
    blatt = exakt(path)
    assert blatt.tabelle.width == len(HEADER)
    assert blatt.tabelle.row(3) == tuple(HEADER)
    assert blatt.tabelle.row(4)[2] == "Jörg"
    assert blatt.tabelle.row(2) == (None,) * len(HEADER)  # the empty line is a row


@pytest.mark.parametrize("delimiter", [";", ",", "\t", "|"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_csv_delimiters_and_encodings(tmp_path, delimiter, encoding):
    path = schreiben(tmp_path, "e.csv", csv_text([HEADER] + DATA, delimiter).encode(encoding))
    blatt = exakt(path)
    assert blatt.tabelle.row(0)[0] == "Mitgliedsnummer"


def test_csv_quoted_fields_well_formed(tmp_path):
    rows = [HEADER] + [
        ["100010", "Herr", '"Hans; Peter"', '"O""Brien"', '""', "Musterstadt", '"1.1.2000"'],
        ['"100011"', '"Frau"', '"Anna"', '"Weiß"', '"06027"', '"Ort, am See"', '""'],
    ]
    for delimiter in (";", ","):
        path = schreiben(tmp_path, "q.csv", csv_text(rows, delimiter, "\r\n").encode("utf-8"))
        blatt = exakt(path)
        assert blatt.tabelle.row(1)[3] == 'O"Brien'


def test_csv_quotes_polars_must_not_read(tmp_path):
    # a line break inside quotes, a quote inside a field, text after a closing quote, an unclosed quote at the end
    body = (
        "Nr;Name;Bemerkung\r\n"
        '1;Anna;"erste Zeile\r\nzweite Zeile"\r\n'
        '2;Zoll 5";x\n'
        '3;"Ber"nd;\n'
        '4; "Carla" ;" "\n'
        '5;"Dora;"\n'
        '6;"lang\n\nmit Leerzeile";"und ""Zitat"""\n'
        '7;"offen;bis zum Ende\n'
        "8;ende\n"
    )
    path = schreiben(tmp_path, "q.csv", body.encode("utf-8"))
    blatt = exakt(path)
    assert blatt.tabelle.row(1)[2] == "erste Zeile\r\nzweite Zeile"
    assert blatt.tabelle.height == len(lesen.read(path).rows)


def test_csv_many_rows_some_multiline(tmp_path):
    rows = [
        f"{i};Name {i};{'Bemerkung' if i % 7 else chr(34) + 'zwei' + chr(10) + 'Zeilen' + chr(34)}"
        for i in range(500)
    ]
    path = schreiben(tmp_path, "m.csv", ("Nr;Name;Bemerkung\n" + "\n".join(rows) + "\n").encode("utf-8"))
    blatt = exakt(path)
    assert blatt.tabelle.height == 501


def test_csv_too_many_odd_lines_falls_back(tmp_path, monkeypatch):
    monkeypatch.setattr(lesen, "_MAX_NACHGELESEN", 5)
    rows = [f'{i};"zwei\nZeilen"' for i in range(20)]
    path = schreiben(tmp_path, "m.csv", ("Nr;Text\n" + "\n".join(rows)).encode("utf-8"))
    assert lesen.read_spaltenweise(path) is None


def test_csv_trailing_empty_rows_and_delimiters(tmp_path):
    body = "Titel\n\nNr;Name;;\n1;Anna;;\n2;Bert\n;;;;;\n\n\n"
    blatt = exakt(schreiben(tmp_path, "t.csv", body.encode("utf-8")))
    assert blatt.tabelle.width == 6  # the widest row has six fields, all empty beyond the second


def test_csv_no_final_newline_and_whitespace(tmp_path):
    body = "Nr;Name\n 1 ;\xa0Anna\x1c\n2;\u3000\n3;\x1f \x1e"
    blatt = exakt(schreiben(tmp_path, "w.csv", body.encode("utf-8")))
    assert blatt.tabelle.row(1) == ("1", "Anna")
    assert blatt.tabelle.row(2) == ("2", None)


def test_csv_wide_row_after_the_first_rows(tmp_path):
    rows = ["Nr;Name"] + [f"{i};Name" for i in range(400)] + ["401;x;y;z;"] + [f"{i};n" for i in range(10)]
    blatt = exakt(schreiben(tmp_path, "w.csv", "\n".join(rows).encode("utf-8")))
    assert blatt.tabelle.width == 5


def test_csv_wide_quoted_row_after_the_first_rows(tmp_path):
    rows = ['"Nr";"Name"'] + [f'"{i}";"Na;me"' for i in range(400)] + ['"1";"x";"y;z";""']
    blatt = exakt(schreiben(tmp_path, "w.csv", "\n".join(rows).encode("utf-8")))
    assert blatt.tabelle.width == 4


def test_csv_example_export():
    exakt(EXPORT_AUGUST)


@pytest.mark.parametrize(
    "body",
    [
        "Nr;Name\r1;Anna\r",  # lone \r ends a line for the csv module only
        "Nr;Name\r\n1;An\rna\r\n",
        "Nr;Name\n" + "x;y\n" * 2000 + "1;A\x00nna\n",  # NUL beyond the binary check
    ],
)
def test_csv_cases_left_to_read(tmp_path, body):
    assert lesen.read_spaltenweise(schreiben(tmp_path, "n.csv", body.encode("utf-8"))) is None


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_csv_utf16_read_column_wise(tmp_path, encoding):
    # Excel's "Unicode-Text": UTF-16 LE with a byte order mark, tab-separated; without a BOM as well
    body = "\r\n".join("\t".join(row) for row in [HEADER] + DATA) + "\r\n"
    path = schreiben(tmp_path, "u.txt", body.encode(encoding))
    assert gleich(path) is not None
    assert lesen.read(path).rows[0][0] == "Mitgliedsnummer"


def test_csv_field_over_the_csv_limit_left_to_read(tmp_path):
    path = schreiben(tmp_path, "l.csv", ("Nr;Text\n1;" + "x" * 200_000 + "\n").encode("utf-8"))
    assert lesen.read_spaltenweise(path) is None
    with pytest.raises(EingabeFehler) as fehler:
        lesen.read(path)
    assert fehler.value.message == "l.csv, Zeile 2: ein Feld ist länger als 131.072 Zeichen."


def test_csv_without_data_raises_like_read(tmp_path):
    path = schreiben(tmp_path, "leer.csv", b"\xef\xbb\xbf;;\n \n;\n")
    with pytest.raises(EingabeFehler) as spalten:
        lesen.read_spaltenweise(path)
    with pytest.raises(EingabeFehler) as zeilen:
        lesen.read(path)
    assert str(spalten.value) == str(zeilen.value)


# random csv texts: the csv module's reading and polars' must agree wherever we do not decline
FIELD = st.lists(st.sampled_from(list('ab ä€;,\t|"\n\r\x1c\xa0') + ["\r\n", '""']), max_size=6).map("".join)


@st.composite
def csv_texte(draw):
    delimiter = draw(st.sampled_from([";", ",", "\t", "|"]))
    rows = draw(st.lists(st.lists(FIELD, max_size=5), min_size=1, max_size=8))
    how = draw(st.sampled_from(["raw", "minimal", "all"]))
    end = draw(st.sampled_from(["\n", "\r\n"]))
    if how == "raw":
        body = "".join(delimiter.join(row) + end for row in rows)
    else:
        out = io.StringIO()
        quoting = csv.QUOTE_ALL if how == "all" else csv.QUOTE_MINIMAL
        csv.writer(out, delimiter=delimiter, quoting=quoting, lineterminator=end).writerows(rows)
        body = out.getvalue()
    if draw(st.booleans()):
        body = body.rstrip("\r\n")
    return body, draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(csv_texte())
def test_csv_random_texts_match_read(case):
    body, encoding = case
    try:
        data = body.encode(encoding)
    except UnicodeEncodeError:
        data = body.encode("utf-8")
    if not data.strip(b"\r\n"):
        return
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "zufall.csv"
        path.write_bytes(data)
        try:
            lesen.read(path)
        except EingabeFehler as error:
            try:
                assert lesen.read_spaltenweise(path) is None  # read() then says what is wrong
            except EingabeFehler as same:
                assert str(same) == str(error)
            return
        blatt = gleich(path)
        if blatt is None:
            # only the cases we decline on purpose
            decoded = lesen.decode(data)
            assert decoded.count("\r") != decoded.count("\r\n") or "\x00" in decoded


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.lists(st.text(alphabet=list("ab äß€ 0.-"), max_size=5), min_size=1, max_size=6),
        min_size=1,
        max_size=10,
    ),
    st.sampled_from([";", ",", "\t"]),
)
def test_csv_plain_texts_are_always_read_columnwise(rows, delimiter):
    body = "".join(delimiter.join(row) + "\n" for row in rows)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "plain.csv"
        path.write_bytes(body.encode("utf-8"))
        if not any(cell.strip() for row in rows for cell in row):
            with pytest.raises(EingabeFehler):
                lesen.read_spaltenweise(path)
            return
        exakt(path)


# ---- xlsx -----------------------------------------------------------------------------------------------------


def xlsx_openpyxl(tmp_path: Path, rows: list[list[object]], start: str = "A1", name: str = "e.xlsx") -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Mitglieder"
    first = sheet[start]
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            sheet.cell(first.row + i, first.column + j, value)
    path = tmp_path / name
    workbook.save(path)
    return path


def xlsx_writer(
    tmp_path: Path, rows: list[list[object]], name: str = "x.xlsx", **sheets: list[list[object]]
) -> Path:
    """Shared strings and date formats the way Excel writes them."""
    path = tmp_path / name
    workbook = xlsxwriter.Workbook(str(path))
    datum = workbook.add_format({"num_format": "dd.mm.yyyy"})
    for sheet_name, sheet_rows in {"Mitglieder": rows, **sheets}.items():
        sheet = workbook.add_worksheet(sheet_name)
        if sheet_name == lesen.META_BLATT:
            sheet.hide()
        for i, row in enumerate(sheet_rows):
            for j, value in enumerate(row):
                if isinstance(value, (date, datetime)):
                    sheet.write_datetime(i, j, value, datum)
                elif value is not None:
                    sheet.write(i, j, value)
    workbook.close()
    return path


TITEL = [["Mitgliederliste Unterbezirk Musterstadt"], ["Stand: 31.08.2026"], [], HEADER]


def test_xlsx_title_block_header_data(tmp_path):
    rows = TITEL + [
        [100010, "Herr", "Jörg", "  Müller ", 6027, "Sankt Anna", date(1966, 9, 22)],
        [100016, "Frau", "", "Weiß", "06027", "Neustadt", datetime(2025, 3, 31)],
        [4917612345678, None, "Änne", " ", 53177, "Bergheim", date(1900, 1, 1)],
    ]
    for path in (xlsx_openpyxl(tmp_path, rows), xlsx_writer(tmp_path, rows)):
        blatt = exakt(path)
        assert blatt.tabelle.row(4) == (
            "100010",
            "Herr",
            "Jörg",
            "Müller",
            "6027",
            "Sankt Anna",
            "22.09.1966",
        )
        assert blatt.tabelle.row(5)[1:] == ("Frau", None, "Weiß", "06027", "Neustadt", "31.03.2025")
        assert blatt.tabelle.row(6)[0] == "4917612345678"
        assert blatt.tabelle.row(6)[6] == "01.01.1900"


def test_xlsx_starting_at_b3_with_trailing_empty_rows(tmp_path):
    path = xlsx_openpyxl(tmp_path, [["Titel"], [], HEADER[:3], ["1", "Herr", "Anna"]], start="B3")
    workbook = openpyxl.load_workbook(path)
    workbook.active.cell(20, 2).number_format = "0.00"  # formatted, empty
    workbook.active.cell(15, 3).value = "   "
    workbook.save(path)
    blatt = exakt(path)
    assert blatt.tabelle.row(2) == (None, "Titel", None, None)
    assert blatt.tabelle.height == 15


def test_xlsx_columns_placed_by_the_cells_with_values(tmp_path):
    # formatted empty cells left of the data and a column without values in between: fastexcel's range begins at
    # the first column holding a value (C here), and the frame still names every column by its place from A
    path = xlsx_openpyxl(
        tmp_path, [["Nr", None, "Name"], ["1", None, "Anna"], ["2", None, "Bert"]], start="C2"
    )
    workbook = openpyxl.load_workbook(path)
    workbook.active.cell(3, 1).number_format = "0.00"
    workbook.active.cell(4, 2).number_format = "@"
    workbook.save(path)
    blatt = exakt(path)
    assert blatt.tabelle.row(2) == (None, None, "1", None, "Anna")


def test_xlsx_booleans(tmp_path):
    rows = [["Nr", "Telefonkontakt"], [1, True], [2, False], [3, None], [4, "ja"]]
    for path in (xlsx_openpyxl(tmp_path, rows), xlsx_writer(tmp_path, rows)):
        blatt = exakt(path)
        assert blatt.tabelle.get_column("1").to_list() == ["Telefonkontakt", "ja", "nein", None, "ja"]


def test_xlsx_text_true_next_to_a_boolean_left_to_read(tmp_path):
    rows = [["Nr", "Telefonkontakt"], [1, True], [2, "true"]]
    for path in (xlsx_openpyxl(tmp_path, rows), xlsx_writer(tmp_path, rows)):
        assert lesen.read_spaltenweise(path) is None
    # without boolean cells a text "true" stays "true"
    assert exakt(xlsx_writer(tmp_path, [["Nr", "x"], [1, "true"]])).tabelle.row(1)[1] == "true"


def test_xlsx_text_that_looks_like_a_date_cell_left_to_read(tmp_path):
    # fastexcel writes a date cell as "2025-03-31 00:00:00": a text cell like that cannot be told apart
    looks = [["Nr", "Eintritt"], [1, "2025-03-31 00:00:00"]]
    for rows in (looks, looks + [[2, date(2025, 3, 31)]]):
        for path in (xlsx_openpyxl(tmp_path, rows), xlsx_writer(tmp_path, rows)):
            assert lesen.read_spaltenweise(path) is None
    # the same text with a space around it is no such look-alike
    blatt = exakt(
        xlsx_writer(tmp_path, [["Nr", "Eintritt"], [1, " 2025-03-31 00:00:00"], [2, date(2025, 3, 31)]])
    )
    assert blatt.tabelle.get_column("1").to_list() == ["Eintritt", "2025-03-31 00:00:00", "31.03.2025"]


@pytest.mark.parametrize(
    "value",
    [
        1.5,  # text() writes repr, fastexcel rounds to 9 places: fractions go through read()
        0.1 + 0.2,
        -0.0,
        1e-7,
        12345678901234567890,
        timedelta(hours=30),  # python-calamine: a timedelta, fastexcel: a date
    ],
)
def test_xlsx_cells_left_to_read(tmp_path, value):
    path = xlsx_openpyxl(tmp_path, [["Nr", "Wert"], [1, value], [2, "x"]])
    assert lesen.read_spaltenweise(path) is None
    lesen.read(path)


def test_xlsx_datetimes_and_errors(tmp_path):
    rows = [
        ["Nr", "Eintritt", "Fehler"],
        [1, datetime(2025, 3, 31, 14, 5, 7, 123000), "#N/A"],
        [2, datetime(2025, 3, 31, 23, 59, 59, 999000), "#DIV/0!"],
        [3, datetime(1950, 1, 1, 0, 0, 1), "#NAME?"],
        [4, date(2025, 4, 1), "#REF!"],
    ]
    for path in (xlsx_openpyxl(tmp_path, rows), xlsx_writer(tmp_path, rows)):
        blatt = exakt(path)
        days = blatt.tabelle.get_column("1").to_list()[1:]
        assert days == ["31.03.2025", "31.03.2025", "01.01.1950", "01.04.2025"]


def test_xlsx_times_of_day(tmp_path):
    # below serial number 1 python-calamine gives a time of day (fastexcel: 1899-12-31 and earlier)
    rows = [
        ["Nr", "Uhrzeit"],
        [1, time(12, 30)],
        [2, time(0, 0)],
        [3, time(2, 57, 46, 667000)],
        [4, time(23, 59)],
    ]
    blatt = exakt(xlsx_openpyxl(tmp_path, rows))
    times = blatt.tabelle.get_column("1").to_list()
    assert times == ["Uhrzeit", "12:30:00", "00:00:00", "02:57:46.667000", "23:59:00"]


def serials_xlsx(tmp_path: Path, serials: list[float]) -> Path:
    path = tmp_path / "serien.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("Mitglieder")
    datum = workbook.add_format({"num_format": "dd.mm.yyyy hh:mm"})
    for i, serial in enumerate(serials):
        sheet.write_number(i, 0, serial, datum)
    workbook.close()
    return path


def test_xlsx_serial_numbers_with_a_date_format(tmp_path):
    # a hair before midnight, below 1 (a time for python-calamine), negative, the 1900 leap day
    serials = [45747.9999999, 45747.99999999, 45747.999999999, 45747.9999999999, 45747.0000001]
    serials += [0.9999999, -18261, -18261.25, -0.5, 1e-9, -700000.3, 1, 59.5, 60.5, 61]
    exakt(serials_xlsx(tmp_path, serials))


def test_xlsx_serial_number_a_hair_below_1_left_to_read(tmp_path):
    # python-calamine: a time (below 1); fastexcel rounds up to 1900-01-01 00:00:00, like the serial number 1
    assert lesen.read_spaltenweise(serials_xlsx(tmp_path, [1, 0.99999999999])) is None


def test_xlsx_1904_date_system_left_to_read(tmp_path):
    path = tmp_path / "mac.xlsx"
    workbook = xlsxwriter.Workbook(str(path), {"date_1904": True})
    sheet = workbook.add_worksheet("Mitglieder")
    sheet.write_row(0, 0, ["Nr", "Eintritt"])
    sheet.write_datetime(1, 1, datetime(2025, 3, 31), workbook.add_format({"num_format": "dd.mm.yyyy"}))
    workbook.close()
    assert lesen.read_spaltenweise(path) is None
    assert text(lesen.read(path).rows[1][1]) == "31.03.2025"


def test_xlsx_years_past_9999_left_to_read(tmp_path):
    path = tmp_path / "j.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("Mitglieder")
    sheet.write_number(
        0, 0, 3000000, workbook.add_format({"num_format": "dd.mm.yyyy"})
    )  # python-calamine: a number
    workbook.close()
    assert lesen.read_spaltenweise(path) is None


def test_xlsx_number_beside_dates_is_checked_in_place(tmp_path):
    # a fraction in a number cell of a date column: the place check finds it
    path = tmp_path / "p.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("Mitglieder")
    datum = workbook.add_format({"num_format": "dd.mm.yyyy"})
    sheet.write_row(0, 0, ["Nr", "Eintritt"])
    sheet.write_number(1, 1, 45747.5, datum)
    sheet.write_number(2, 1, 45747.5)
    workbook.close()
    assert lesen.read_spaltenweise(path) is None


def test_xlsx_duration_format_left_to_read(tmp_path):
    path = tmp_path / "d.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("Mitglieder")
    sheet.write_row(0, 0, ["Nr", "Dauer"])
    sheet.write_number(
        1, 1, 100, workbook.add_format({"num_format": "[h]:mm:ss"})
    )  # python-calamine: timedelta
    workbook.close()
    assert lesen.read_spaltenweise(path) is None


def test_xlsx_metadata_sheet_and_sheet_choice(tmp_path):
    meta = [["art", "anrufliste"], ["version", "3"]]
    path = xlsx_writer(tmp_path, TITEL + [DATA[0]], Zweites=[["a", "b"], [1, 2]], **{lesen.META_BLATT: meta})
    blatt = exakt(path)
    assert blatt.meta == {"art": "anrufliste", "version": "3"}
    assert blatt.blaetter == ["Mitglieder", "Zweites"]
    zweites = exakt(path, "Zweites")
    assert zweites.tabelle.rows() == [("a", "b"), ("1", "2")]
    with pytest.raises(EingabeFehler, match="kein Blatt"):
        lesen.read_spaltenweise(path, "Fehlt")


def test_xlsx_example_exports():
    exakt(EXPORT_MAI)
    gleich(TEILNAHME)


def test_xlsx_many_rows(tmp_path):
    rows = TITEL + [
        [
            100000 + i,
            "Frau",
            f"Vorname {i}",
            "Name",
            f"{i:05d}",
            "Ort",
            date(1950 + i % 50, 1 + i % 12, 1 + i % 28),
        ]
        for i in range(3000)
    ]
    blatt = exakt(xlsx_writer(tmp_path, rows))
    assert blatt.tabelle.height == 3004
    assert len(blatt.rows) == lesen.KOPF_ZEILEN


# ---- other formats and broken files: the same errors as read() -------------------------------------------------


def same_error(path: Path, blatt: str | None = None) -> None:
    with pytest.raises(EingabeFehler) as spalten:
        lesen.read_spaltenweise(path, blatt)
    with pytest.raises(EingabeFehler) as zeilen:
        lesen.read(path, blatt)
    assert str(spalten.value) == str(zeilen.value)


def test_broken_and_foreign_files_raise_like_read(tmp_path):
    same_error(tmp_path / "fehlt.xlsx")
    same_error(tmp_path)
    same_error(schreiben(tmp_path, "leer.csv", b""))
    same_error(schreiben(tmp_path, "p.pdf", b"%PDF-1.7\n..."))
    same_error(schreiben(tmp_path, "b.csv", b"ab\x00\x01\x02" * 10))
    same_error(schreiben(tmp_path, "kaputt.xlsx", b"PK\x03\x04" + b"\x00" * 40))
    word = tmp_path / "brief.docx"
    with zipfile.ZipFile(word, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    same_error(word)
    same_error(schreiben(tmp_path, "e.csv", csv_text([HEADER] + DATA).encode()), "Blatt1")


def test_zip_bomb_raises_like_read(tmp_path, monkeypatch):
    monkeypatch.setattr(lesen, "_MAX_UNPACKED", 1000)
    same_error(xlsx_writer(tmp_path, TITEL + DATA))


def test_xls_ods_and_encrypted_left_to_read(tmp_path):
    encrypted = schreiben(
        tmp_path,
        "geheim.xlsx",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100 + "EncryptedPackage".encode("utf-16-le"),
    )
    assert lesen.read_spaltenweise(encrypted) is None
    with pytest.raises(EingabeFehler, match="Passwort"):
        lesen.read(encrypted)
    ods = tmp_path / "t.ods"
    with zipfile.ZipFile(ods, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    assert lesen.read_spaltenweise(ods) is None


def test_no_polars_at_import():
    import subprocess
    import sys

    code = "import sys, mitgliederarbeit.einlesen.lesen; print('polars' in sys.modules, 'fastexcel' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


def _decode_zeilenweise(data: bytes) -> str:
    """:func:`lesen.decode`, the slow way: the whole file as UTF-8 if it is, else every line by itself."""
    if data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff"):
        return data.decode("utf-16", errors="replace")
    codec = lesen._utf16_ohne_bom(data[:4096])
    if codec is not None:
        return data.decode(codec, errors="replace")
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    text = []
    for line in re.split(rb"(?<=\n)", data):  # a line ends with "\n" (a lone "\r" ends none here)
        try:
            text.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            text.append(line.decode("cp1252", errors="replace"))
    return "".join(text)


_BYTES = st.lists(
    st.sampled_from(
        [
            b"a",
            b";",
            b"\r\n",
            b"\r",
            b"\n",
            "ä".encode(),
            "ä".encode("cp1252"),
            "€".encode(),
            b"\xef\xbb\xbf",
            b"\xe2\x82",
            b"\x00",
        ]
    ),
    max_size=40,
).map(b"".join)


@settings(max_examples=500, deadline=None)
@given(_BYTES)
def test_decode_line_by_line_where_utf8_fails(data):
    """UTF-8 where a line is UTF-8, Windows-1252 where it is not; the fast ways give that same text."""
    assert lesen.decode(data) == _decode_zeilenweise(data)


@settings(max_examples=500, deadline=None)
@given(_BYTES)
def test_lone_carriage_return_found_as_by_counting(data):
    assert (lesen._EINZELNES_CR.search(data) is not None) is (data.count(b"\r") != data.count(b"\r\n"))


@pytest.mark.parametrize("verstecken", ["hide", "very_hidden"])
def test_xlsx_hidden_sheets_are_passed_over_as_read_does(tmp_path, verstecken):
    """The sheet names come from the workbook's xml here (not from python-calamine): the same choice."""
    path = tmp_path / "v.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    for name, zeilen in (("Alt", [["x", "y"], [1, 2]]), ("Mitglieder", TITEL + DATA), ("Notizen", [["z"]])):
        sheet = workbook.add_worksheet(name)
        for i, row in enumerate(zeilen):
            sheet.write_row(i, 0, row)
        if name == "Alt":
            getattr(sheet, verstecken)()
    workbook.get_worksheet_by_name("Mitglieder").activate()
    workbook.close()
    blatt = exakt(path)
    assert (blatt.name, blatt.blaetter) == ("Mitglieder", ["Mitglieder", "Notizen"])
    assert exakt(path, "Alt").tabelle.rows() == [("x", "y"), ("1", "2")]
    assert lesen._sheets_xlsx(path, "Fehlt") is None  # python-calamine words that error
    with pytest.raises(EingabeFehler, match="kein Blatt"):
        lesen.read_spaltenweise(path, "Fehlt")
