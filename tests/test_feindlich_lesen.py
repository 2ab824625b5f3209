"""Hostile and messy files at the file level (issue 17): bounded reading, a stray quote, mixed encodings,
UTF-16, NaN and infinite number cells. The files come from the seeded generator in :mod:`tests.feindlich`.

Through the CLI: the exit code and the exact German line. Every refusal leaves the store as it was.
"""

from __future__ import annotations

import hashlib
import sqlite3
import uuid
import zipfile
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from mitgliederarbeit.einlesen import lesen, normalisieren
from mitgliederarbeit.errors import EingabeFehler

from . import feindlich

CLI = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
LESER = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _namen(ordner: Path) -> list[tuple[str, str, str]]:
    with sqlite3.connect(ordner / "mitglieder.sqlite") as db:
        return sorted(db.execute("SELECT mitgliedsnummer, vorname, nachname FROM mitglieder"))


def _stand(ordner: Path) -> str | None:
    """A fingerprint of the store (None: there is none)."""
    store = ordner / "mitglieder.sqlite"
    return hashlib.sha256(store.read_bytes()).hexdigest() if store.exists() else None


@pytest.fixture
def bestand(tmp_path, mitglieder) -> Path:
    """A working folder holding one import of 5 invented members."""
    ordner = tmp_path / "bestand"
    erst = feindlich.xlsx(tmp_path / "erst.xlsx", [feindlich.KOPF, *feindlich.mitglieder(3, 5)])
    assert mitglieder("--ordner", ordner, "import", erst, "--stand", "31.03.2026").code == 0
    return ordner


def _abgelehnt(mitglieder, ordner: Path, datei: Path, *zeilen: str) -> None:
    """The import of ``datei`` ends with exit 1, these lines on stderr, and the store as it was."""
    vorher = _stand(ordner)
    lauf = mitglieder("--ordner", ordner, "import", datei, "--stand", "30.04.2026")
    assert (lauf.code, lauf.err.splitlines()) == (1, list(zeilen))
    assert _stand(ordner) == vorher


# ---- sheets that reach far: refused before a reader allocates by their extent ----------------------------------


def test_one_cell_at_xfd1048576_is_refused_not_a_crash(tmp_path, mitglieder, bestand):
    rows = [feindlich.KOPF, *feindlich.mitglieder(5, 5)]
    weit = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    path = feindlich.xlsx(tmp_path / "weit.xlsx", rows, extra=[weit])
    assert path.stat().st_size < 2000
    _abgelehnt(
        mitglieder,
        bestand,
        path,
        "Fehler: weit.xlsx: die Tabelle reicht bis Zelle XFD1048576 (1.048.576 Zeilen × 16.384 Spalten = "
        "17.179.869.184 Zellen) und wird aus Sicherheitsgründen nicht gelesen (höchstens 20.000.000 Zellen).",
        "Meist steht weit außerhalb der Daten ein vergessener Wert: in Excel mit Strg+Ende die letzte Zelle "
        "suchen, die überzähligen Zeilen und Spalten löschen und die Datei neu speichern.",
    )
    # the column reader (fastexcel) is kept from it as well, and a lone far cell (a panic in python-calamine)
    with pytest.raises(EingabeFehler, match="bis Zelle XFD1048576"):
        lesen.read_spaltenweise(path)
    allein = feindlich.xlsx(tmp_path / "allein.xlsx", [], extra=[weit])
    with pytest.raises(EingabeFehler, match="bis Zelle XFD1048576"):
        lesen.read(allein)


def test_cells_and_rows_without_a_reference_are_counted_where_they_land(tmp_path, mitglieder, bestand):
    """A cell without r="…" sits right of the one before, a row without r="…" below: 100,000 empty cells and a
    row far down reach as far as a reference would."""
    breit = '<row r="2000">' + "<c/>" * 100_000 + '<c t="inlineStr"><is><t>x</t></is></c></row>'
    path = feindlich.xlsx(
        tmp_path / "ohne.xlsx", [feindlich.KOPF, *feindlich.mitglieder(4, 3)], extra=[breit]
    )
    _abgelehnt(
        mitglieder,
        bestand,
        path,
        "Fehler: ohne.xlsx: die Tabelle reicht bis Zelle EQXE2000 (2.000 Zeilen × 100.001 Spalten = 200.002.000 "
        "Zellen) und wird aus Sicherheitsgründen nicht gelesen (höchstens 20.000.000 Zellen).",
        "Meist steht weit außerhalb der Daten ein vergessener Wert: in Excel mit Strg+Ende die letzte Zelle "
        "suchen, die überzähligen Zeilen und Spalten löschen und die Datei neu speichern.",
    )
    # the same without references at all, as some small writers do it, within the budget: read as it is
    klein = "<row><c><v>1</v></c><c><v>2</v></c></row>" * 3
    blatt = lesen.read(feindlich.xlsx(tmp_path / "klein.xlsx", [], extra=[klein]))
    assert blatt.rows == [[1.0, 2.0]] * 3


def _mit_praefix(xml: bytes) -> bytes:
    """The sheet with every element in the prefix x: (as some writers do)."""
    import re

    xml = re.sub(rb"<(/?)(?!\?)([A-Za-z]+)", rb"<\1x:\2", xml)
    return xml.replace(b"<x:worksheet xmlns=", b"<x:worksheet xmlns:x=")


def test_prefixed_elements_are_measured_as_well(tmp_path):
    rows = [feindlich.KOPF, *feindlich.mitglieder(19, 3)]
    # column CV in row 1, column A in row 999,999: only the rows tell how far down it reaches
    weit = ['<row r="999999"><c r="A999999" t="inlineStr"><is><t>x</t></is></c></row>']
    for name, extra, zahlen in (("gut.xlsx", [], {}), ("weit.xlsx", weit, {(1, 99): "1"})):
        xml = feindlich.blatt_xml(rows, extra=extra, zahlen=zahlen)
        path = feindlich.zip_schreiben(
            tmp_path / name,
            [*feindlich._xlsx_rahmen(False), feindlich.teil("xl/worksheets/sheet1.xml", _mit_praefix(xml))],
        )
        if not extra:
            assert lesen.read(path).rows == rows
        else:
            with pytest.raises(EingabeFehler, match="bis Zelle CV999999"):
                lesen.read(path)


def test_a_wide_sheet_within_the_budget_is_read(tmp_path):
    rows = [feindlich.KOPF, *feindlich.mitglieder(6, 3)]
    fern = '<row r="5000"><c r="CV5000" t="inlineStr"><is><t>fern</t></is></c></row>'
    blatt = lesen.read(feindlich.xlsx(tmp_path / "breit.xlsx", rows, extra=[fern]))
    assert (len(blatt.rows), len(blatt.rows[0]), blatt.rows[-1][-1]) == (5000, 100, "fern")
    assert blatt.rows[1][:5] == rows[1]


@settings(max_examples=60, deadline=None)
@given(
    zellen=st.lists(st.tuples(st.integers(1, 60), st.integers(0, 40)), min_size=1, max_size=12, unique=True),
    stueck=st.integers(1, 400),
)
def test_the_measured_extent_is_never_smaller_than_what_calamine_reads(tmp_path_factory, zellen, stueck):
    """Whatever the pieces the xml comes in: rows and columns are at least those of python-calamine's sheet."""
    extra = [
        f'<row r="{r}"><c r="{feindlich._spalte(c)}{r}" t="inlineStr"><is><t>x</t></is></c></row>'
        for r, c in sorted(zellen)
    ]
    path = feindlich.xlsx(tmp_path_factory.mktemp("umfang") / "u.xlsx", [], extra=extra)
    rows = lesen.read(path).rows
    xml = feindlich.blatt_xml([], extra=extra)
    umfang = lesen._XlsxBlatt()
    for start in range(0, len(xml), stueck):
        umfang.feed(xml[start : start + stueck])
    umfang.pruefen(path)
    assert umfang.zeilen >= len(rows) and umfang.spalten >= max(map(len, rows))
    assert umfang.zeilen == max(r for r, _ in zellen)


@pytest.mark.parametrize(
    ("zeilen", "spalten", "zelle", "zellen"),
    [
        (1_048_576, 16_384, "XFD1048581", "1.048.581 Zeilen × 16.384 Spalten = 17.179.951.104"),
        # below python-calamine's own limit of 100 million cells: it would take more than a gigabyte
        (30_000, 1_000, "ALL30005", "30.005 Zeilen × 1.000 Spalten = 30.005.000"),
    ],
)
def test_ods_that_unrolls_to_millions_of_cells_is_refused(
    tmp_path, mitglieder, bestand, zeilen, spalten, zelle, zellen
):
    rows = [feindlich.KOPF, *feindlich.mitglieder(7, 4)]
    riesig = feindlich.ods_zeile([feindlich.ods_zelle("x", wiederholt=spalten)], wiederholt=zeilen)
    path = feindlich.ods(tmp_path / "riesig.ods", feindlich.ods_zeilen(rows) + riesig)
    assert path.stat().st_size < 1500
    _abgelehnt(
        mitglieder,
        bestand,
        path,
        f"Fehler: riesig.ods: die Tabelle reicht bis Zelle {zelle} ({zellen} "
        "Zellen) und wird aus Sicherheitsgründen nicht gelesen (höchstens 20.000.000 Zellen).",
        "Meist steht weit außerhalb der Daten ein vergessener Wert: in Excel mit Strg+Ende die letzte Zelle "
        "suchen, die überzähligen Zeilen und Spalten löschen und die Datei neu speichern.",
    )


@settings(max_examples=60, deadline=None)
@given(
    layout=st.lists(
        st.tuples(
            st.integers(1, 4),  # rows repeated
            st.lists(
                st.tuples(st.integers(1, 5), st.booleans()), max_size=5
            ),  # cells: repeated, with a value
        ),
        max_size=6,
    )
)
def test_ods_repetitions_are_measured_as_calamine_unrolls_them(tmp_path_factory, layout):
    tabelle = "".join(
        feindlich.ods_zeile(
            [
                feindlich.ods_zelle("x", wiederholt=mal)
                if wert
                else f'<table:table-cell table:number-columns-repeated="{mal}"/>'
                for mal, wert in zellen
            ],
            wiederholt=zeilen,
        )
        for zeilen, zellen in layout
    )
    path = feindlich.ods(tmp_path_factory.mktemp("ods") / "w.ods", tabelle)
    try:
        rows = lesen.read(path).rows
    except EingabeFehler:
        rows = []  # no cell with a value: "keine Daten" is not this test's business
    umfang = lesen._OdsUmfang()
    umfang.feed(tabelle.encode())
    umfang.pruefen(path)
    assert umfang.zeilen >= len(rows)
    assert umfang.spalten >= max(map(len, rows), default=0)


@settings(max_examples=200, deadline=None)
@given(
    ods=st.booleans(),
    aenderungen=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), min_size=1, max_size=6),
)
@example(
    ods=False, aenderungen=[(65323, 0)]
)  # a directory entry whose name became empty (IndexError in zipfile)
def test_damaged_workbooks_give_a_german_error_never_another(tmp_path_factory, ods, aenderungen):
    """Random bytes of a small xlsx or ods changed (a header, the directory, the deflated data): either the
    file is read, or the reader says in German what is wrong (zipfile alone has a dozen exceptions for it)."""
    rows = [feindlich.KOPF, *feindlich.mitglieder(18, 4)]
    ordner = tmp_path_factory.mktemp("kaputt")
    if ods:
        path = feindlich.ods(ordner / "k.ods", feindlich.ods_zeilen(rows))
    else:
        path = feindlich.xlsx(ordner / "k.xlsx", rows, zahlen={(2, 6): "NaN"})
    data = bytearray(path.read_bytes())
    for stelle, wert in aenderungen:
        data[stelle % len(data)] = wert
    path.write_bytes(bytes(data))
    for leser in (lesen.read, lesen.read_spaltenweise):
        try:
            leser(path)
        except EingabeFehler as fehler:
            assert fehler.message.startswith(path.name)


# ---- zip bombs: the bytes that come out are counted, the directory is not believed -----------------------------


def test_zip_bomb_just_under_the_ratio_limit_stops_at_the_budget(tmp_path, mitglieder, bestand, monkeypatch):
    monkeypatch.setattr(lesen, "_MAX_UNPACKED", 64 * 1024**2)  # the same bomb, at a smaller scale
    rows = [feindlich.KOPF, *feindlich.mitglieder(8, 4)]
    path = feindlich.zip_bombe(tmp_path / "bombe.xlsx", rows, groesse=80 * 1024**2, verhaeltnis=399)
    with zipfile.ZipFile(path) as archive:
        entpackt = sum(info.file_size for info in archive.infolist())
    assert entpackt > 64 * 1024**2 and 390 < entpackt / path.stat().st_size < 400
    _abgelehnt(
        mitglieder,
        bestand,
        path,
        "Fehler: bombe.xlsx: die Datei entpackt sich auf ungewöhnlich große Datenmengen (mehr als 64 MB) und "
        "wird aus Sicherheitsgründen nicht gelesen.",
        "Bitte den Export in Excel oder LibreOffice öffnen, prüfen und neu speichern.",
    )


def test_shared_strings_bomb_at_the_real_budget(tmp_path):
    rows = [feindlich.KOPF, *feindlich.mitglieder(9, 4)]
    path = feindlich.zip_bombe(
        tmp_path / "texte.xlsx", rows, groesse=130 * 1024**2, teil_name="xl/sharedStrings.xml"
    )
    with pytest.raises(EingabeFehler, match=r"ungewöhnlich große Datenmengen \(mehr als 128 MB\)"):
        lesen.read(path)
    with pytest.raises(EingabeFehler, match=r"ungewöhnlich große Datenmengen \(mehr als 128 MB\)"):
        lesen.read_spaltenweise(path)


def test_zip_directory_that_lies_about_the_size(tmp_path, mitglieder, bestand, monkeypatch):
    rows = [feindlich.KOPF, *feindlich.mitglieder(10, 4)]
    klein = feindlich.zip_bombe(tmp_path / "luege.xlsx", rows, groesse=5 * 1024**2, luege=1000)
    _abgelehnt(
        mitglieder,
        bestand,
        klein,
        "Fehler: luege.xlsx: die Größenangaben im ZIP-Verzeichnis stimmen nicht mit dem Inhalt überein "
        "(xl/worksheets/sheet1.xml); die Datei ist beschädigt oder manipuliert.",
        "Bitte den Export erneut herunterladen oder in Excel öffnen und neu speichern.",
    )
    # a big one stops at the budget, long before its end
    monkeypatch.setattr(lesen, "_MAX_UNPACKED", 32 * 1024**2)
    gross = feindlich.zip_bombe(tmp_path / "gross.xlsx", rows, groesse=96 * 1024**2, luege=1000)
    with pytest.raises(EingabeFehler, match=r"ungewöhnlich große Datenmengen \(mehr als 32 MB\)"):
        lesen.read(gross)


def test_a_cell_longer_than_excel_allows_is_refused(tmp_path, mitglieder, bestand):
    rows = [feindlich.KOPF, *feindlich.mitglieder(17, 3)]
    laengste = [
        *rows,
        ["1", "Ute", "&" * 32_767, "01.01.2020", "Altstadt"],
    ]  # Excel's limit, as &amp;: 160 KB
    assert lesen.read(feindlich.xlsx(tmp_path / "lang.xlsx", laengste)).rows[-1][2] == "&" * 32_767
    zu_lang = [*rows, ["1", "Ute", "x" * 300_000, "01.01.2020", "Altstadt"]]
    _abgelehnt(
        mitglieder,
        bestand,
        feindlich.xlsx(tmp_path / "zulang.xlsx", zu_lang),
        "Fehler: zulang.xlsx: eine Zelle enthält mehr als 256 KB Text – mehr, als Excel in einer Zelle erlaubt "
        "(32.767 Zeichen); die Datei wird aus Sicherheitsgründen nicht gelesen.",
        "Bitte den Export prüfen und neu speichern.",
    )


@settings(max_examples=100, deadline=None)
@given(
    laeufe=st.lists(
        st.sampled_from([0, 9, 65_535, 65_536, 200_000, 262_144, 262_145, 300_000]), min_size=1, max_size=5
    ),
    stuecke=st.lists(st.sampled_from([1, 7, 65_536, 100_000, 1 << 20]), min_size=1, max_size=4),
)
def test_the_longest_text_run_is_found_whatever_the_pieces(laeufe, stuecke):
    xml = b"<".join(b"a" * n for n in laeufe)
    lauf, zu_lang, pos, i = lesen._Textlauf(), False, 0, 0
    while pos < len(xml) and not zu_lang:
        zu_lang = lauf.feed(xml[pos : pos + stuecke[i % len(stuecke)]])
        pos, i = pos + stuecke[i % len(stuecke)], i + 1
    assert zu_lang == (max(laeufe) > lesen._MAX_ZELLTEXT)


def test_one_long_shared_string_in_many_cells_is_refused(tmp_path, mitglieder, bestand):
    """12 KB that python-calamine would make 1 GB of: every cell gets its own copy of the shared string."""
    zellen = "".join(
        f'<row r="{r}">'
        + "".join(f'<c r="{feindlich._spalte(c)}{r}" t="s"><v>0</v></c>' for c in range(10))
        + "</row>"
        for r in range(1, 501)
    )
    blatt = f'<?xml version="1.0"?><worksheet xmlns="{feindlich._MAIN}"><sheetData>{zellen}</sheetData></worksheet>'
    texte = f'<sst xmlns="{feindlich._MAIN}"><si><t>{"x" * 200_000}</t></si></sst>'
    path = feindlich.zip_schreiben(
        tmp_path / "kopien.xlsx",
        [
            *feindlich._xlsx_rahmen(True),
            feindlich.teil("xl/worksheets/sheet1.xml", blatt.encode()),
            feindlich.teil("xl/sharedStrings.xml", texte.encode()),
        ],
    )
    assert path.stat().st_size < 20_000
    _abgelehnt(
        mitglieder,
        bestand,
        path,
        "Fehler: kopien.xlsx: die Zellen zeigen zusammen mehr als 512 MB gemeinsamer Texte (ein langer Text in "
        "sehr vielen Zellen) und die Datei wird aus Sicherheitsgründen nicht gelesen.",
        "Bitte den Export prüfen und neu speichern.",
    )
    # the long text in 10 of 5,000 cells, a short one in the others: fine (counted exactly past the cheap bound)
    wenige = blatt.replace('t="s"><v>0</v>', 't="s"><v>1</v>', 4990)
    ok = feindlich.zip_schreiben(
        tmp_path / "wenige.xlsx",
        [
            *feindlich._xlsx_rahmen(True),
            feindlich.teil("xl/worksheets/sheet1.xml", wenige.encode()),
            feindlich.teil(
                "xl/sharedStrings.xml", texte.replace("</sst>", "<si><t>kurz</t></si></sst>").encode()
            ),
        ],
    )
    cells = [c for row in lesen.read(ok).rows for c in row]
    assert (cells.count("x" * 200_000), cells.count("kurz")) == (10, 4990)


# ---- one pass: polars' look at a large sheet finds what the close look finds ---------------------------------

# values of a cell: plain integers, and what is none (a fraction, leading zeros, too long for a float, a comment
# inside, letters...)
_WERTE = [
    "12",
    "12",
    "0",
    "-7",
    "1.5",
    "007",
    "-0",
    "1234567890123456",
    "",
    "NaN",
    "1E5",
    "12<!-- -->.5",
    "Jörg",
    None,
]


def _zelle(data: st.DataObject, r: int, c: int) -> tuple[str, bool]:
    """One cell of row ``r`` (from 1) in column ``c`` (from 0), written one of the ways a sheet may write it; and
    whether it shows a shared string."""
    ref = data.draw(
        st.sampled_from(["nah", "nah", "nah", "spalte", "zeile", "ohne", "hinten", "apostroph", "raum"])
    )
    typ = data.draw(st.sampled_from([None, None, "s", "s", "b", "str", "inlineStr", "d", "e", "n"]))
    wert = data.draw(st.sampled_from(_WERTE))
    stil = data.draw(st.sampled_from(["", "", ' s="3"', " s='3'"]))
    name = {"spalte": "AB", "zeile": "A"}.get(ref, feindlich._spalte(c))
    zeile = "1048577" if ref == "zeile" else str(r)
    attrs = {
        "nah": f' r="{name}{zeile}"{stil}',
        "spalte": f' r="{name}{zeile}"{stil}',
        "zeile": f' r="{name}{zeile}"{stil}',
        "ohne": stil,
        "hinten": f'{stil} r="{name}{zeile}"',
        "apostroph": f" r='{name}{zeile}'{stil}",
        "raum": f' r = "{name}{zeile}"{stil}',
    }[ref]
    if typ is not None:
        attrs += data.draw(st.sampled_from([f' t="{typ}"', f" t='{typ}'", f' t = "{typ}"']))
    if typ == "inlineStr":
        return f"<c{attrs}><is><t>{wert or 'x'}</t></is></c>", False
    if wert is None:
        return f"<c{attrs}/>", False
    return f"<c{attrs}><v>{wert}</v></c>", typ == "s"


def _messen(xml: bytes, stuecke: list[int]) -> tuple[object, ...]:
    """What one pass over ``xml`` (fed in pieces of these sizes) finds: the extent or the refusal, the cells
    showing a shared string, what the column reader is told."""
    blatt, pos, i = lesen._XlsxBlatt(), 0, 0
    while pos < len(xml):
        blatt.feed(xml[pos : pos + stuecke[i % len(stuecke)]])
        pos, i = pos + stuecke[i % len(stuecke)], i + 1
    try:
        blatt.pruefen(Path("t.xlsx"))
        umfang: object = (blatt.zeilen, blatt.spalten)
    except EingabeFehler as fehler:
        umfang = fehler.message
    return umfang, blatt.verweise, blatt.befund()


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_what_polars_shows_to_be_plain_is_what_the_close_look_finds(data):
    """A sheet of plain rows with a few cells written otherwise (far, without a reference, typed, a fraction,
    whitespace or apostrophes in the attributes...), fed in pieces: measured with polars looking at every piece
    first (as for a large sheet), it gives the same extent, refusal and findings for the column reader as the
    close look at every piece alone, and counts at least every cell showing a shared string."""
    zeilen, verweise = [], 0
    for r in range(1, data.draw(st.integers(1, 40), label="zeilen") + 1):
        zellen = []
        for c in range(data.draw(st.integers(0, 6))):
            if data.draw(st.integers(0, 9)) == 0:
                zelle, gemeinsam = _zelle(data, r, c)
            else:  # the plain cells an export is made of
                gemeinsam = data.draw(st.booleans())
                typ = ' t="s"' if gemeinsam else ""
                zelle = f'<c r="{feindlich._spalte(c)}{r}"{typ}><v>{r}</v></c>'
            zellen.append(zelle)
            verweise += gemeinsam
        kopf = f'<row r="{r}">' if data.draw(st.integers(0, 19)) else "<row>"
        zeilen.append(kopf + "".join(zellen) + "</row>")
    xml = feindlich.blatt_xml([], extra=zeilen)
    stuecke = data.draw(st.lists(st.sampled_from([1, 7, 64, 500, 1 << 20]), min_size=1, max_size=3))
    genau = _messen(xml, stuecke)
    with mock.patch.object(lesen, "_STAPEL_POLARS", 0), mock.patch.object(lesen, "_STAPEL", 1):
        gezaehlt = _messen(xml, stuecke)
    assert gezaehlt[0] == genau[0] and gezaehlt[2] == genau[2]
    assert min(gezaehlt[1], genau[1]) >= verweise


@pytest.mark.parametrize("polars", [False, True])
def test_hostile_sheets_are_refused_whichever_way_the_pass_looks(tmp_path, monkeypatch, polars):
    """The refusals of the tests above, with polars looking at every piece first (as it does for large sheets)."""
    if polars:
        monkeypatch.setattr(lesen, "_STAPEL_POLARS", 0)
        monkeypatch.setattr(lesen, "_STAPEL", 1)
    rows = [feindlich.KOPF, *feindlich.mitglieder(21, 50)]
    weit = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    with pytest.raises(EingabeFehler, match="bis Zelle XFD1048576"):
        lesen.read(feindlich.xlsx(tmp_path / "weit.xlsx", rows, extra=[weit]))
    # a plain cell (a number, no type) far down in an otherwise plain row
    tief = '<row r="60"><c r="A60"><v>1</v></c><c r="B1048577"><v>2</v></c></row>'
    with pytest.raises(EingabeFehler, match="bis Zelle Z1048577"):
        lesen.read(feindlich.xlsx(tmp_path / "tief.xlsx", rows, extra=[tief]))
    breit = '<row r="60">' + "<c/>" * 100_000 + '<c t="inlineStr"><is><t>x</t></is></c></row>'
    with pytest.raises(EingabeFehler, match="bis Zelle EQXE60"):
        lesen.read(feindlich.xlsx(tmp_path / "ohne.xlsx", rows, extra=[breit]))
    # one long shared string in 5,000 cells, written with blanks around "=" (t = "s")
    zellen = "".join(
        f'<row r="{r}">'
        + "".join(f'<c r="{feindlich._spalte(c)}{r}" t = "s"><v>0</v></c>' for c in range(10))
        + "</row>"
        for r in range(1, 501)
    )
    blatt = f'<?xml version="1.0"?><worksheet xmlns="{feindlich._MAIN}"><sheetData>{zellen}</sheetData></worksheet>'
    texte = f'<sst xmlns="{feindlich._MAIN}"><si><t>{"x" * 200_000}</t></si></sst>'
    kopien = feindlich.zip_schreiben(
        tmp_path / "kopien.xlsx",
        [
            *feindlich._xlsx_rahmen(True),
            feindlich.teil("xl/worksheets/sheet1.xml", blatt.encode()),
            feindlich.teil("xl/sharedStrings.xml", texte.encode()),
        ],
    )
    with pytest.raises(EingabeFehler, match="mehr als 512 MB gemeinsamer Texte"):
        lesen.read(kopien)


@pytest.mark.parametrize("polars", [False, True])
def test_cells_in_another_prefix_than_the_roots_are_measured(tmp_path, monkeypatch, polars):
    """<y:c> in a sheet whose root is <worksheet xmlns:y=...> unprefixed: python-calamine reads it as a cell (by
    its local name), so the pass measures it too, with and without a reference, whichever way it looks."""
    if polars:
        monkeypatch.setattr(lesen, "_STAPEL_POLARS", 0)
        monkeypatch.setattr(lesen, "_STAPEL", 1)
    rows = [feindlich.KOPF, *feindlich.mitglieder(22, 50)]
    wurzel = f'<worksheet xmlns:y="{feindlich._MAIN}" xmlns='.encode()
    for name, extra, bis in (
        ("weit.xlsx", '<row r="60"><y:c r="CV999999"><y:v>1</y:v></y:c></row>', "CV999999"),
        ("ohne.xlsx", '<row r="60">' + "<y:c/>" * 100_000 + "<y:c><y:v>1</y:v></y:c></row>", "EQXE60"),
    ):
        xml = feindlich.blatt_xml(rows, extra=[extra]).replace(b"<worksheet xmlns=", wurzel)
        path = feindlich.zip_schreiben(
            tmp_path / name, [*feindlich._xlsx_rahmen(False), feindlich.teil("xl/worksheets/sheet1.xml", xml)]
        )
        with pytest.raises(EingabeFehler, match=f"bis Zelle {bis}"):
            lesen.read(path)
    klein = feindlich.blatt_xml([["a", "b"]], extra=['<row r="2"><y:c r="C2"><y:v>7</y:v></y:c></row>'])
    path = feindlich.zip_schreiben(
        tmp_path / "klein.xlsx",
        [
            *feindlich._xlsx_rahmen(False),
            feindlich.teil("xl/worksheets/sheet1.xml", klein.replace(b"<worksheet xmlns=", wurzel)),
        ],
    )
    assert lesen.read(path).rows == [["a", "b", None], [None, None, 7.0]]  # calamine reads it as a cell


@pytest.mark.parametrize("zelle", ["c", "y:c"])
def test_one_long_shared_string_in_another_prefix_is_refused(tmp_path, zelle):
    """<y:si> in shared strings whose root is unprefixed is a shared string to calamine (shown as "hallo" here);
    one long one in 5,000 cells, written <c> or <y:c>, is refused as the unprefixed one is."""
    wurzel = f'xmlns:y="{feindlich._MAIN}" xmlns="{feindlich._MAIN}"'

    def mappe(name: str, text: str, zeilen: int) -> Path:
        zellen = "".join(
            f'<row r="{r}">'
            + "".join(
                f'<{zelle} r="{feindlich._spalte(c)}{r}" t="s"><y:v>0</y:v></{zelle}>' for c in range(10)
            )
            + "</row>"
            for r in range(1, zeilen + 1)
        )
        blatt = f'<?xml version="1.0"?><worksheet {wurzel}><sheetData>{zellen}</sheetData></worksheet>'
        texte = f"<sst {wurzel}><y:si><y:t>{text}</y:t></y:si></sst>"
        return feindlich.zip_schreiben(
            tmp_path / name,
            [
                *feindlich._xlsx_rahmen(True),
                feindlich.teil("xl/worksheets/sheet1.xml", blatt.encode()),
                feindlich.teil("xl/sharedStrings.xml", texte.encode()),
            ],
        )

    assert lesen.read(mappe("klein.xlsx", "hallo", 1)).rows == [["hallo"] * 10]
    with pytest.raises(EingabeFehler, match="mehr als 512 MB gemeinsamer Texte"):
        lesen.read(mappe("kopien.xlsx", "x" * 200_000, 500))


def test_pieces_polars_cannot_read_are_looked_at_closely():
    """A byte that is no UTF-8, or any letter beyond ASCII, sends its piece to the close look instead of polars."""
    stuecke = [
        b'<row r="1"><c r="A1"><v>1</v></c></row>',
        b'<row r="2"><c r="XFD2"><v>\xff</v></c></row>',
        '<row r="3"><c r="A3" t="s"><v>1</v></c><c r="B3"><v>2</v></c></row><!-- Grüße -->'.encode(),
        b'<row r="4"><c r="A4" t="s"><v>1</v></c></row>',
    ]
    assert lesen._zaehlen(stuecke) == [(0, 1), None, None, (1, 4)]


@pytest.mark.parametrize("stueck", [1, 3, 5, 40, 4096])
def test_a_prefix_is_found_and_taken_off_whatever_the_pieces(tmp_path, stueck):
    """<x:c> is measured as <c> even when the first piece is too short to show the root element, and when
    "<x" ends one piece and ":c" begins the next."""
    xml = _mit_praefix(
        feindlich.blatt_xml([["a"]], extra=['<row r="999999"><c r="CV999999"><v>1</v></c></row>'])
    )
    blatt, pos = lesen._XlsxBlatt(), 0
    for pos in range(0, len(xml), stueck):
        blatt.feed(xml[pos : pos + stueck])
    with pytest.raises(EingabeFehler, match="bis Zelle CV999999"):
        blatt.pruefen(tmp_path / "x.xlsx")


def test_a_large_sheet_is_inflated_once(tmp_path, monkeypatch):
    """The check and what the column reader must know come from one pass: no part is inflated twice, and the
    plain pieces of a large sheet are shown plain by polars (and read as read() reads them)."""
    zeilen = [
        f'<row r="{r}">'
        + "".join(f'<c r="{feindlich._spalte(c)}{r}"><v>{r * 10 + c}</v></c>' for c in range(4))
        + "</row>"
        for r in range(1, 150_001)
    ]
    # one piece looked at closely: a text cell not among the shared strings
    zeilen[77_777] = '<row r="77778"><c r="A77778" t="inlineStr"><is><t>Müller</t></is></c></row>'
    path = feindlich.zip_schreiben(
        tmp_path / "gross.xlsx",
        [
            *feindlich._xlsx_rahmen(False),
            feindlich.teil("xl/worksheets/sheet1.xml", feindlich.blatt_xml([], extra=zeilen)),
        ],
    )
    entpackt: list[str] = []
    gezaehlt: list[int] = []
    inflate, zaehlen = lesen._inflate, lesen._zaehlen

    def inflate_gezaehlt(handle, info):
        entpackt.append(info.filename)
        return inflate(handle, info)

    def zaehlen_gezaehlt(stapel):
        ergebnis = zaehlen(stapel)
        gezaehlt.extend(1 for stueck in ergebnis or [] if stueck is not None)
        return ergebnis

    monkeypatch.setattr(lesen, "_inflate", inflate_gezaehlt)
    monkeypatch.setattr(lesen, "_zaehlen", zaehlen_gezaehlt)
    blatt = lesen.read_spaltenweise(path)
    assert sorted(entpackt) == sorted(set(entpackt)) and "xl/worksheets/sheet1.xml" in entpackt
    assert len(gezaehlt) > 3  # most pieces shown plain by polars
    assert blatt is not None and blatt.tabelle.height == 150_000
    zeilen_gelesen = lesen.read(path).rows
    for index in (0, 77_776, 77_777, 149_999):
        assert list(blatt.tabelle.row(index)) == [normalisieren.text(v) for v in zeilen_gelesen[index]]


# ---- csv: a stray quote ---------------------------------------------------------------------------------------


@CLI
@given(data=st.data())
def test_stray_quote_is_refused_naming_its_line(tmp_path, mitglieder, data):
    anzahl = data.draw(st.integers(3, 30), label="anzahl")
    rows = [feindlich.KOPF, *feindlich.mitglieder(data.draw(st.integers(0, 10**6), label="seed"), anzahl)]
    zeile = data.draw(st.integers(1, anzahl - 1), label="zeile")  # a data line with lines after it
    feld = data.draw(st.integers(0, len(feindlich.KOPF) - 1), label="feld")
    lines = feindlich.mit_anfuehrungszeichen(feindlich.csv_zeilen(rows), zeile, feld)
    path = tmp_path / f"{uuid.uuid4().hex}.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ordner = tmp_path / uuid.uuid4().hex
    lauf = mitglieder("--ordner", ordner, "import", path, "--stand", "30.04.2026")
    rest = anzahl - zeile
    assert (lauf.code, lauf.err.splitlines()) == (
        1,
        [
            f'Fehler: {path.name}: in Zeile {zeile + 1} öffnet ein Anführungszeichen ("), das erst {rest} '
            f"{'Zeile' if rest == 1 else 'Zeilen'} später (oder nie) geschlossen wird; die Zeilen dazwischen "
            "würden als Text eines Feldes gelesen und fehlten im Import.",
            f"Bitte Zeile {zeile + 1} in einem Texteditor prüfen: das Anführungszeichen entfernen oder schließen, "
            "speichern und erneut importieren.",
        ],
    )
    assert not (ordner / "mitglieder.sqlite").exists()


@LESER
@given(data=st.data())
def test_stray_quote_both_readers_refuse_alike(tmp_path, data):
    anzahl = data.draw(st.integers(3, 60), label="anzahl")
    rows = [feindlich.KOPF, *feindlich.mitglieder(data.draw(st.integers(0, 10**6), label="seed"), anzahl)]
    zeile = data.draw(st.integers(1, anzahl - 1), label="zeile")
    feld = data.draw(st.integers(0, len(feindlich.KOPF) - 1), label="feld")
    trenner = data.draw(st.sampled_from([";", ",", "\t"]), label="trenner")
    ende = data.draw(st.sampled_from(["\n", "\r\n"]), label="ende")
    lines = feindlich.mit_anfuehrungszeichen(feindlich.csv_zeilen(rows, trenner), zeile, feld, trenner)
    path = tmp_path / "q.csv"
    path.write_bytes((ende.join(lines) + ende).encode("utf-8"))
    with pytest.raises(EingabeFehler, match=f"in Zeile {zeile + 1} öffnet ein Anführungszeichen") as zeilen:
        lesen.read(path)
    with pytest.raises(EingabeFehler) as spalten:
        lesen.read_spaltenweise(path)
    assert str(spalten.value) == str(zeilen.value)


@LESER
@given(data=st.data())
def test_quoted_line_breaks_and_quotes_inside_fields_keep_every_row(tmp_path, data):
    """Real multi-line fields (an address over two lines) and quotes inside a field are no stray quote."""
    rows = [
        feindlich.KOPF,
        *feindlich.mitglieder(data.draw(st.integers(0, 10**6)), data.draw(st.integers(2, 25))),
    ]
    lines = []
    for row in rows:
        cells = []
        for value in row:
            art = data.draw(st.sampled_from(["plain", "umbruch", "innen"]))
            if art == "umbruch":
                cells.append(f'"{value}\nHinterhaus"')
            elif art == "innen":
                cells.append(f'{value} "genannt" X')
            else:
                cells.append(value)
        lines.append(";".join(cells))
    path = tmp_path / "m.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    blatt = lesen.read(path)
    assert len(blatt.rows) == len(rows)
    for got, row in zip(blatt.rows, rows):
        assert [str(g).split("\n")[0].removesuffix(' "genannt" X') for g in got] == row


def test_stray_quote_in_the_last_line_loses_no_row(tmp_path, mitglieder):
    rows = [feindlich.KOPF, *feindlich.mitglieder(11, 6)]
    lines = feindlich.mit_anfuehrungszeichen(feindlich.csv_zeilen(rows), 6, 2)
    path = tmp_path / "letzte.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    lauf = mitglieder("--ordner", tmp_path / "o", "--json", "import", path, "--stand", "30.04.2026")
    # nothing after the quote to swallow: the broken row is rejected (and listed), the others are taken
    assert (lauf.code, lauf.json()["gelesen"], lauf.json()["uebernommen"], lauf.json()["abgelehnt"]) == (
        3,
        6,
        5,
        1,
    )


def test_stray_quote_in_a_large_csv_read_column_wise(tmp_path, mitglieder):
    rows = [feindlich.KOPF, *feindlich.mitglieder(12, 30_000)]
    lines = feindlich.mit_anfuehrungszeichen(feindlich.csv_zeilen(rows), 12_345, 1)
    path = tmp_path / "gross.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert lesen.leser_fuer(path) == "spalten"
    lauf = mitglieder("--ordner", tmp_path / "o", "import", path, "--stand", "30.04.2026")
    assert lauf.code == 1
    assert lauf.err.splitlines()[0] == (
        'Fehler: gross.csv: in Zeile 12.346 öffnet ein Anführungszeichen ("), das erst 17.655 Zeilen später '
        "(oder nie) geschlossen wird; die Zeilen dazwischen würden als Text eines Feldes gelesen und fehlten im "
        "Import."
    )


# ---- csv: encodings ----------------------------------------------------------------------------------------------


@LESER
@given(data=st.data())
def test_mixed_utf8_and_windows_1252_lines_lose_and_change_nothing(tmp_path, data):
    rows = [
        feindlich.KOPF,
        *feindlich.mitglieder(data.draw(st.integers(0, 10**6)), data.draw(st.integers(1, 40))),
    ]
    alt = [False] + data.draw(st.lists(st.booleans(), min_size=len(rows) - 1, max_size=len(rows) - 1))
    path = tmp_path / "g.csv"
    path.write_bytes(
        feindlich.gemischt(feindlich.csv_zeilen(rows), alt, data.draw(st.sampled_from(["\n", "\r\n"])))
    )
    for blatt in (lesen.read(path), lesen.read_spaltenweise(path)):
        assert blatt is not None
        got = blatt.rows if blatt.tabelle is None else [list(r) for r in blatt.tabelle.iter_rows()]
        assert got == rows
        fremd = [z for z, a in zip(feindlich.csv_zeilen(rows), alt) if a and not z.isascii()]
        utf8 = [z for z, a in zip(feindlich.csv_zeilen(rows), alt) if not a and not z.isascii()]
        erwartet = (
            [
                f"Die Datei mischt UTF-8 und Windows-1252: {len(fremd)} "
                f"{'Zeile wurde' if len(fremd) == 1 else 'Zeilen wurden'} als Windows-1252 gelesen "
                "(bitte Umlaute prüfen)."
            ]
            if fremd and utf8
            else []
        )
        assert blatt.hinweise == erwartet


def test_mixed_encodings_through_the_cli(tmp_path, mitglieder):
    rows = [feindlich.KOPF, *feindlich.mitglieder(13, 8)]
    alt = [False, True, False, True, True, False, False, True, False]
    path = tmp_path / "gemischt.csv"
    path.write_bytes(feindlich.gemischt(feindlich.csv_zeilen(rows), alt))
    ordner = tmp_path / "o"
    lauf = mitglieder("--ordner", ordner, "import", path, "--stand", "30.04.2026")
    assert lauf.code == 0
    satz = "Die Datei mischt UTF-8 und Windows-1252: 4 Zeilen wurden als Windows-1252 gelesen (bitte Umlaute prüfen)."
    assert f"  {satz}" in lauf.err.splitlines()
    assert "Ã" not in lauf.err
    assert _namen(ordner) == sorted((r[0], r[1], r[2]) for r in rows[1:])
    json = mitglieder("--ordner", tmp_path / "o2", "--json", "import", path, "--stand", "30.04.2026").json()
    assert json["lesehinweise"] == [satz]


def test_excel_unicode_text_utf16_tabs(tmp_path, mitglieder):
    rows = [feindlich.KOPF, *feindlich.mitglieder(14, 7)]
    path = tmp_path / "unicode.txt"
    path.write_bytes(feindlich.unicode_text(rows))
    ordner = tmp_path / "o"
    lauf = mitglieder("--ordner", ordner, "import", path, "--stand", "30.04.2026")
    assert lauf.code == 0
    assert "  7 Zeilen gelesen, 7 übernommen, 0 abgelehnt, 0 Warnungen." in lauf.err.splitlines()
    assert _namen(ordner) == sorted((r[0], r[1], r[2]) for r in rows[1:])
    # large ones are read column-wise: the same cells
    blatt = lesen.read_spaltenweise(path)
    assert blatt is not None and [list(r) for r in blatt.tabelle.iter_rows()] == rows


# ---- NaN and infinite number cells ------------------------------------------------------------------------------


def test_nan_and_infinite_number_cells_are_empty_cells(tmp_path, mitglieder):
    rows = [[*feindlich.KOPF, "Beitrag"], *[[*r, "5"] for r in feindlich.mitglieder(15, 4)]]
    # column F of rows 2-4: number cells holding NaN, inf and -Infinity (python-calamine reads them as floats)
    zahlen = {(2, 5): "NaN", (3, 5): "inf", (4, 5): "-Infinity"}
    path = feindlich.xlsx(tmp_path / "nan.xlsx", rows, zahlen=zahlen)
    assert [row[5] for row in lesen.read(path).rows[1:]] == [None, None, None, "5"]
    ordner = tmp_path / "o"
    lauf = mitglieder("--ordner", ordner, "import", path, "--stand", "30.04.2026")
    assert lauf.code == 0
    assert "  4 Zeilen gelesen, 4 übernommen, 0 abgelehnt, 0 Warnungen." in lauf.err.splitlines()
    # a member number that is NaN: the row is rejected like one without a number, the import goes on
    nummer = feindlich.xlsx(tmp_path / "nummer.xlsx", [r[:5] for r in rows], zahlen={(3, 0): "NaN"})
    lauf = mitglieder("--ordner", tmp_path / "o3", "--json", "import", nummer, "--stand", "30.04.2026")
    assert (lauf.code, lauf.json()["uebernommen"], lauf.json()["abgelehnt"]) == (3, 3, 1)


def test_nan_in_an_ods_number_cell(tmp_path, mitglieder):
    rows = [feindlich.KOPF, *feindlich.mitglieder(16, 3)]
    tabelle = feindlich.ods_zeilen(rows) + feindlich.ods_zeile(
        [
            feindlich.ods_zelle("NaN", typ="float"),
            feindlich.ods_zelle("Ute"),
            feindlich.ods_zelle("inf", typ="float"),
        ]
    )
    path = feindlich.ods(tmp_path / "nan.ods", tabelle)
    assert lesen.read(path).rows[-1] == [None, "Ute", None, None, None]
    lauf = mitglieder("--ordner", tmp_path / "o", "--json", "import", path, "--stand", "30.04.2026")
    assert (lauf.code, lauf.json()["uebernommen"], lauf.json()["abgelehnt"]) == (3, 3, 1)


def test_a_csv_larger_than_any_export_is_refused_before_it_is_read(
    tmp_path, mitglieder, bestand, monkeypatch
):
    """A csv is read whole: above the budget (200 MB; 3 KB here) it is refused, as its text and frame would take
    gigabytes."""
    monkeypatch.setattr(lesen, "_MAX_DATEI", 3 * 1024**2)
    zeile = "9" * 1000 + ";" + "x" * 1000 + "\n"
    gross = tmp_path / "gross.csv"
    gross.write_text(";".join(feindlich.KOPF) + "\n" + zeile * 1600, encoding="utf-8")
    _abgelehnt(
        mitglieder,
        bestand,
        gross,
        "Fehler: gross.csv: die Datei ist 3 MB groß und wird aus Sicherheitsgründen nicht gelesen (höchstens 3 MB; "
        "ein Export mit 400.000 Mitgliedern hat etwa 60 MB).",
        "Bitte prüfen, ob es die richtige Datei ist – etwa kein Export mit allen Spalten der Datenbank.",
    )
