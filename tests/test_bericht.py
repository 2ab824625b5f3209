"""``mitglieder bericht``: the three files, their content, no personal data, the command line."""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest
from docx import Document

from mitgliederarbeit.ausgaben import bericht
from mitgliederarbeit.auswertung.entwicklung import MONATSNAMEN
from mitgliederarbeit.bestand import speicher
from mitgliederarbeit.ordner import Arbeitsordner

from .test_demo import ORTSVEREINE as DEMO_ORTSVEREINE

ORTSVEREINE = sorted(DEMO_ORTSVEREINE)


def kontakte_einfuegen(folder: Path, seed: int = 7) -> int:
    """Invented contacts for the members who joined since 06/2024 (the call-list import is another module)."""
    rng = random.Random(seed)
    store = speicher.oeffnen(folder)
    conn = store.conn
    rows = conn.execute(
        "SELECT nr, eintrittsdatum, ortsverein FROM mitglieder WHERE eintrittsdatum >= '2024-06-01' ORDER BY nr"
    ).fetchall()
    eifer = {ov: rng.random() for ov in sorted({r["ortsverein"] for r in rows})}
    n = 0
    conn.execute("BEGIN")
    for row in rows:
        eintritt = date.fromisoformat(row["eintrittsdatum"])
        p = eifer[row["ortsverein"]]
        for art, chance, bis_tag, ergebnis in (
            ("brief", 0.8, 20, None),
            ("anruf", p, 60, "erreicht"),
            ("anruf", 0.3, 40, "nicht erreicht"),
            ("teilnahme", p * 0.6, 120, None),
            ("parteibuch", p * 0.7, 100, None),
            ("gespraech", p * 0.5, 200, None),
        ):
            if rng.random() < chance:
                tag = eintritt + timedelta(days=rng.randint(0, bis_tag))
                if tag <= date(2026, 9, 1):
                    n += 1
                    conn.execute(
                        "INSERT INTO kontakte (nr, art, datum, ergebnis, quelle, schluessel) VALUES (?,?,?,?,?,?)",
                        (row["nr"], art, tag.isoformat(), ergebnis, "test", f"test-{n}"),
                    )
    conn.execute("COMMIT")
    store.close()
    return n


@pytest.fixture
def mit_kontakten(beispielbestand) -> Arbeitsordner:
    kontakte_einfuegen(beispielbestand.pfad)
    return beispielbestand


@pytest.fixture(scope="module")
def _fertiger_bericht(tmp_path_factory):
    """The report on the example data with contacts and a filled survey, written once for this module."""
    import shutil

    from mitgliederarbeit.einlesen.importieren import importieren
    from tests.conftest import EXPORT_AUGUST, EXPORT_MAI

    folder = tmp_path_factory.mktemp("bericht")
    importieren(Arbeitsordner(folder, date(2026, 6, 1)), [EXPORT_MAI])
    importieren(Arbeitsordner(folder, date(2026, 9, 1)), [EXPORT_AUGUST])
    kontakte_einfuegen(folder)
    ordner = Arbeitsordner(folder, date(2026, 9, 1))
    umfrage = folder / "umfrage.xlsx"
    bericht.praktiken_vorlage(ordner, umfrage)
    wb = openpyxl.load_workbook(umfrage)
    ws = wb["Praktiken"]
    rng = random.Random(3)
    for row in ws.iter_rows(min_row=2):
        for cell in row[2:11]:
            cell.value = rng.choice(["ja", "nein", "ja", None])
        row[11].value = "Ansprechperson: siehe Liste"
    wb.save(umfrage)
    result = bericht.bericht(ordner, praktiken_datei=umfrage, ausgabe=folder / "bericht")
    yield result
    shutil.rmtree(folder, ignore_errors=True)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.teile: list[str] = []
        self.tags: list[str] = []
        self.attribute: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attribute.extend(v or "" for _, v in attrs)
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if not self._in_style:
            self.teile.append(data)


def html_text(path: Path) -> tuple[str, _Text]:
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return " ".join(parser.teile), parser


def docx_text(path: Path) -> tuple[str, Document]:
    doc = Document(str(path))
    teile = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            teile.extend(cell.text for cell in row.cells)
    props = doc.core_properties
    teile += [props.author or "", props.title or "", props.last_modified_by or "", props.comments or ""]
    return "\n".join(teile), doc


def xlsx_text(path: Path) -> tuple[str, openpyxl.Workbook]:
    wb = openpyxl.load_workbook(path)
    teile = []
    for ws in wb.worksheets:
        teile.append(ws.title)
        for row in ws.iter_rows(values_only=True):
            teile.extend(str(v) for v in row if v is not None)
    return "\n".join(teile), wb


# --- the three files ------------------------------------------------------------------------------------------


def test_drei_dateien_oeffnen_und_enthalten_jeden_ortsverein(_fertiger_bericht):
    result = _fertiger_bericht
    assert set(result.dateien) == {"html", "docx", "xlsx"}
    assert all(p.name == f"bericht.{art}" for art, p in result.dateien.items())
    assert all((p.stat().st_mode & 0o077) == 0 for p in result.dateien.values())  # owner only

    text, parser = html_text(result.dateien["html"])
    # standard, days to first contact, retention (the pooled practices chart is left out: see _diagramme)
    assert parser.tags.count("svg") >= 3
    assert parser.tags.count("h2") >= 6
    for ov in ORTSVEREINE:
        assert ov in text

    text, doc = docx_text(result.dateien["docx"])
    ueberschriften = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert "Auf einen Blick" in ueberschriften and "Methode" in ueberschriften
    assert any(p.style.name == "Title" for p in doc.paragraphs)
    assert len(doc.inline_shapes) >= 3  # the charts as pictures
    assert "Entwicklung" in ueberschriften
    tabellen = "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    for ov in ORTSVEREINE:
        assert ov in tabellen

    text, wb = xlsx_text(result.dateien["xlsx"])
    assert wb.sheetnames[:4] == ["Überblick", "Neumitglieder", "Rangfolge", "Bestand"]
    assert {"Praktiken", "Praktiken je OV", "Methode", "Diagramme"} <= set(wb.sheetnames)
    assert {"Entwicklung", "Entwicklung je Monat", "Entwicklung je Ortsverein", "Kohorten"} <= set(
        wb.sheetnames
    )
    neu = wb["Neumitglieder"]
    assert [neu.cell(r, 1).value for r in range(2, 15)] == [*ORTSVEREINE, "Gesamt"]
    assert neu.freeze_panes == "B2" and neu.auto_filter.ref  # header row and names stay in view
    assert wb["Bestand"].cell(14, 2).value == 1525  # numbers stay numbers
    assert len(wb["Diagramme"]._images) >= 3


def test_html_ist_eigenstaendig_ohne_externe_adressen(_fertiger_bericht):
    roh = _fertiger_bericht.dateien["html"].read_text(encoding="utf-8")
    assert "http://" not in roh and "https://" not in roh and "//cdn" not in roh
    assert "<script" not in roh and "<link" not in roh and "<img" not in roh
    assert '<meta name="viewport"' in roh
    assert "@media print" in roh and "size: A4" in roh
    ids = re.findall(r' id="([^"]+)"', roh)
    assert len(ids) == len(set(ids))  # the inline charts do not clash


def test_methode_und_praktiken_stehen_in_allen_dateien(_fertiger_bericht):
    result = _fertiger_bericht
    for text in (
        html_text(result.dateien["html"])[0],
        docx_text(result.dateien["docx"])[0],
        xlsx_text(result.dateien["xlsx"])[0],
    ):
        assert (
            "keinen Beweis für eine Ursache" in text
            or "Zusammenhang, keinen Beweis" in text
            or "Praktiken" in text
        )
        assert "Frühaustritte" in text
        assert "Willkommensanruf" in text
    html = html_text(result.dateien["html"])[0]
    assert "Diese Gegenüberstellung zeigt einen Zusammenhang, keinen Beweis für eine Ursache." in html
    # the days to the first contact count the members not reached yet (Kaplan–Meier), not only the reached
    assert "wer noch nicht erreicht wurde, zählt als „noch nicht“ bis zum Ende des Zeitraums" in html
    assert "Ansprechperson: siehe Liste" not in html  # the survey's remark stays in the survey
    assert result.vergleiche and {v.ergebnis for v in result.vergleiche} == {
        "standard",
        "veranstaltung",
        "bindung",
    }


def _personen(folder: Path) -> tuple[set[str], set[str]]:
    store = speicher.oeffnen(folder)
    namen: set[str] = set()
    nummern: set[str] = set()
    for row in store.conn.execute(
        "SELECT nr, mitgliedsnummer, vorname, nachname, email, telefon, mobil FROM mitglieder"
    ):
        for feld in ("vorname", "nachname", "email"):
            if row[feld]:
                namen.add(row[feld])
        for feld in ("nr", "mitgliedsnummer", "telefon", "mobil"):
            if row[feld]:
                nummern.add(row[feld])
        if row["nr"].isdigit():
            nummern.add(row["nr"].zfill(7))
    store.close()
    return namen, nummern


def test_kein_name_und_keine_mitgliedsnummer_in_den_drei_dateien(_fertiger_bericht):
    result = _fertiger_bericht
    namen, nummern = _personen(result.ordner.parent)
    assert len(namen) > 1000 and len(nummern) > 1500
    namen -= set(MONATSNAMEN)  # "August" is a first name and the month of the Entwicklung table
    for art, path in result.dateien.items():
        text = {"html": html_text, "docx": docx_text, "xlsx": xlsx_text}[art](path)[0]
        woerter = set(re.findall(r"[\w@.+'-]+", text))
        woerter |= {w.strip(".,-") for w in woerter}
        zahlen = set(re.findall(r"\+?\d[\d.,]*\d|\d", text))
        gefunden = sorted(n for n in namen if n in woerter or (" " in n and n in text))
        assert gefunden == [], f"{art}: {gefunden[:5]}"
        assert sorted(nummern & zahlen) == [], art


# --- small numbers ----------------------------------------------------------------------------------------------


def _kleiner_bestand(folder: Path) -> None:
    store = speicher.oeffnen(folder, anlegen=True)
    conn = store.conn
    conn.execute("BEGIN")
    conn.execute(
        "INSERT INTO importe (art, datei, sha256, stand, zeit) VALUES ('mitglieder', 'x', 'x', '2024-01-01', 'x')"
    )
    mitglieder = [(f"{i}", "Groß", "2026-01-15") for i in range(1, 41)] + [
        ("91", "Klein", "2026-01-15"),
        ("92", "Klein", "2026-01-15"),
        ("93", "Klein", "2020-01-01"),
    ]
    for nr, ov, von in mitglieder:
        conn.execute(
            "INSERT INTO mitglieder (nr, mitgliedsnummer, vorname, nachname, eintrittsdatum, ortsverein, geschlecht) "
            "VALUES (?,?,?,?,?,?,?)",
            (nr, nr, "Kim", "Zufall", von, ov, "w" if int(nr) % 2 else "m"),
        )
        conn.execute(
            "INSERT INTO zugehoerigkeit (nr, ortsverein, unterbezirk, von) VALUES (?,?,?,?)",
            (nr, ov, "UB", von),
        )
    for nr in ("1", "2", "91"):
        conn.execute(
            "INSERT INTO kontakte (nr, art, datum, ergebnis, quelle, schluessel) VALUES (?,?,?,?,?,?)",
            (nr, "anruf", "2026-01-20", "erreicht", "t", f"k{nr}"),
        )
    # calls are recorded since before the Eintritte (else the new members would not be counted at all)
    conn.execute(
        "INSERT INTO kontakte (nr, art, datum, ergebnis, quelle, schluessel) VALUES (?,?,?,?,?,?)",
        ("93", "anruf", "2025-10-01", "nicht erreicht", "t", "k93"),
    )
    conn.execute("COMMIT")
    store.close()


def test_kleine_zahlen_als_kleiner_als_und_striche(tmp_path):
    _kleiner_bestand(tmp_path)
    result = bericht.bericht(Arbeitsordner(tmp_path, date(2026, 9, 1)), ausgabe=tmp_path / "b")
    klein = next(w for w in result.kennzahlen.ortsvereine if w.name == "Klein")
    assert (klein.mitglieder, klein.eintritte, klein.schritte[0]) == (3, 2, bericht.Anteil(1, 2))
    html = html_text(result.dateien["html"])[0]
    # Eintritte, the three steps (nobody ever recorded a Parteibuch), the standard
    assert re.search(r"Klein\s+< 5\s+–\s+keine Daten\s+–\s+–", html)
    assert "50,0 % (2)" not in html
    data = result.as_json()
    klein_json = next(o for o in data["ortsvereine"] if o["name"] == "Klein")
    assert klein_json["mitglieder"] is None and klein_json["eintritte"] is None
    assert klein_json["schritte"][0] == {
        "anteil": None,
        "basis": None,
        "ki95": None,
        "grund": "weniger als 5 gezählt",
    }
    assert klein_json["schritte"][1] == {
        "anteil": None,
        "basis": None,
        "ki95": None,
        "grund": "keine Daten: noch nie ein Kontakt der Art Parteibuch übergeben erfasst",
    }
    gross = next(o for o in data["ortsvereine"] if o["name"] == "Groß")
    assert (
        gross["mitglieder"] == 40
        and gross["schritte"][0]["anteil"] == 0.05
        and gross["schritte"][0]["basis"] == 40
    )
    wb = openpyxl.load_workbook(result.dateien["xlsx"])
    bestand = {r[0]: r for r in wb["Bestand"].iter_rows(min_row=2, values_only=True)}
    assert bestand["Klein"][1] == "< 5" and bestand["Groß"][1] == 40
    assert "< 5" in docx_text(result.dateien["docx"])[0]


def test_min_fallzahl_aus_der_konfiguration(tmp_path):
    _kleiner_bestand(tmp_path)
    (tmp_path / "mitglieder.toml").write_text("[bericht]\nmin_fallzahl = 2\n", encoding="utf-8")
    result = bericht.bericht(Arbeitsordner(tmp_path, date(2026, 9, 1)), ausgabe=tmp_path / "b")
    html = html_text(result.dateien["html"])[0]
    assert "50,0 % (2)" in html  # Klein: 1 of 2 new members reached, now shown
    assert "< 2" in html or "< 5" not in html


# --- the command line ---------------------------------------------------------------------------------------------


def test_cli_bericht(mitglieder, mit_kontakten, tmp_path):
    ziel = tmp_path / "board"
    lauf = mitglieder(
        "--ordner", mit_kontakten.pfad, "--stichtag", "01.09.2026", "bericht", "--ausgabe", ziel
    )
    assert lauf.code == 0, lauf.err
    assert f"Bericht für 12 Ortsvereine geschrieben: {ziel}\n" in lauf.err
    assert "  bericht.html, bericht.docx, bericht.xlsx\n" in lauf.err
    assert "Neumitgliederarbeit 02.09.2025 – 01.09.2026" in lauf.out
    assert all((ziel / name).is_file() for name in ("bericht.html", "bericht.docx", "bericht.xlsx"))

    nochmal = mitglieder(
        "--ordner", mit_kontakten.pfad, "--stichtag", "01.09.2026", "bericht", "--ausgabe", ziel
    )
    assert nochmal.code == 2
    assert "gibt es schon bericht.html, bericht.docx, bericht.xlsx; nichts wird überschrieben" in nochmal.err


def test_cli_bericht_json_und_standardordner(mitglieder, mit_kontakten):
    lauf = mitglieder("--ordner", mit_kontakten.pfad, "--stichtag", "01.09.2026", "--json", "bericht")
    assert lauf.code == 0, lauf.err
    data = json.loads(lauf.out)
    assert data["ordner"] == str(mit_kontakten.pfad / "ausgabe" / "bericht-2026-09-01")
    assert (data["von"], data["bis"], data["ebene"], data["min_fallzahl"]) == (
        "2025-09-02",
        "2026-09-01",
        "ortsverein",
        5,
    )
    assert [o["name"] for o in data["ortsvereine"]] == ORTSVEREINE
    assert data["gesamt"]["mitglieder"] == 1525 and data["gesamt"]["austritte"] == 35
    assert set(data["ortsvereine"][0]) >= {
        "name",
        "unterbezirk",
        "mitglieder",
        "eintritte",
        "austritte",
        "fruehaustritte",
        "schritte",
        "standard",
        "tage_bis_erstkontakt",
        "veranstaltung_3_monate",
        "bindung_erstes_jahr",
        "frauenanteil_mitglieder",
        "frauenanteil_eintritte",
        "median_alter",
        "rang",
    }
    assert set(data["ortsvereine"][0]["standard"]) == {"anteil", "basis", "ki95", "grund"}
    assert data["praktiken"] is None and "unterbezirke" not in data
    assert [s["name"] for s in data["schritte"]] == [
        "Erstkontakt (Monat 1)",
        "Parteibuch (Monat 3)",
        "Zweitkontakt (Monat 6)",
    ]
    ub = mitglieder(
        "--ordner",
        mit_kontakten.pfad,
        "--stichtag",
        "01.09.2026",
        "--json",
        "bericht",
        "--ebene",
        "unterbezirk",
    )
    assert ub.code == 0, ub.err
    data = json.loads(ub.out)
    assert data["ordner"].endswith("bericht-2026-09-01-2")  # never over the first report
    assert [u["name"] for u in data["unterbezirke"]] == ["Musterstadt"]
    assert data["unterbezirke"][0]["mitglieder"] == 1525
    text = mitglieder(
        "--ordner", mit_kontakten.pfad, "--stichtag", "01.09.2026", "bericht", "--ebene", "unterbezirk"
    )
    assert (
        f"Bericht für 1 Unterbezirk geschrieben: {mit_kontakten.pfad / 'ausgabe' / 'bericht-2026-09-01-3'}\n"
        in text.err
    )


def test_cli_praktiken_vorlage_und_fehlerhafte_umfrage(mitglieder, beispielbestand, tmp_path):
    umfrage = tmp_path / "umfrage.xlsx"
    lauf = mitglieder(
        "--ordner",
        beispielbestand.pfad,
        "--stichtag",
        "01.09.2026",
        "bericht",
        "--praktiken-vorlage",
        umfrage,
    )
    assert lauf.code == 0, lauf.err
    assert lauf.err.startswith(f"Umfrage für 12 Ortsvereine geschrieben: {umfrage}\n")
    wb = openpyxl.load_workbook(umfrage)
    wb["Praktiken"]["E5"] = "weiß nicht"
    wb.save(umfrage)
    falsch = mitglieder(
        "--ordner",
        beispielbestand.pfad,
        "--stichtag",
        "01.09.2026",
        "bericht",
        "--praktiken",
        umfrage,
        "--ausgabe",
        tmp_path / "b",
    )
    assert falsch.code == 1
    assert "umfrage.xlsx: 1 Fehler in der Umfrage, es wurde kein Bericht geschrieben." in falsch.err
    assert "Zeile 5, Spalte E („Willkommensanruf“): „weiß nicht“ ist weder „ja“ noch „nein“." in falsch.err
    assert not (tmp_path / "b").exists()
    wieder = mitglieder(
        "--ordner",
        beispielbestand.pfad,
        "--stichtag",
        "01.09.2026",
        "bericht",
        "--praktiken-vorlage",
        umfrage,
    )
    assert wieder.code == 2
    # the hint names the option that was used (bericht's --ausgabe is a folder and does not apply here)
    assert wieder.err.splitlines() == [
        f"Fehler: {umfrage} gibt es schon und wird nicht überschrieben.",
        "Bitte bei --praktiken-vorlage einen anderen Dateinamen angeben oder die alte Datei löschen. Ist es die "
        f"ausgefüllte Umfrage, liest der Bericht sie so ein: mitglieder bericht --praktiken {umfrage}",
    ]


@pytest.mark.parametrize(
    ("args", "meldung"),
    [
        (["--bis", "02.09.2026"], "--bis 02.09.2026 liegt nach dem Stichtag 01.09.2026."),
        (
            ["--von", "31.12.2026", "--bis", "01.01.2026"],
            "--von 31.12.2026 liegt nach dem Ende des Zeitraums",
        ),
        (["--von", "gestern"], "--von: „gestern“ ist kein Datum."),
        (["--ebene", "land"], "--ebene „land“ gibt es nicht. Erlaubt: ortsverein, unterbezirk."),
    ],
)
def test_cli_bedienfehler(mitglieder, beispielbestand, args, meldung):
    lauf = mitglieder("--ordner", beispielbestand.pfad, "--stichtag", "01.09.2026", "bericht", *args)
    assert lauf.code == 2
    assert meldung in lauf.err
    assert not (beispielbestand.pfad / "ausgabe" / "bericht-2026-09-01").exists()


def test_cli_ohne_datenbestand(mitglieder, tmp_path):
    lauf = mitglieder("--ordner", tmp_path, "--stichtag", "01.09.2026", "bericht")
    assert lauf.code == 1
    assert "gibt es noch keinen Datenbestand" in lauf.err


def test_kern_laedt_keine_terminal_bibliotheken_und_pillow_erst_beim_zeichnen():
    code = (
        "import sys\n"
        "from mitgliederarbeit.ausgaben import bericht, diagramme\n"
        "from mitgliederarbeit.auswertung import kennzahlen, praktiken\n"
        "assert 'rich' not in sys.modules and 'typer' not in sys.modules, 'terminal'\n"
        "assert 'PIL' not in sys.modules and 'pandas' not in sys.modules, 'lazy'\n"
        "assert 'matplotlib' not in sys.modules, 'the charts are drawn without it'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_html_diagramme_mit_eindeutigen_ids_und_beschreibung(_fertiger_bericht):
    """Several charts inlined in one page: every id once, every reference to an id of the same chart."""
    roh = _fertiger_bericht.dateien["html"].read_text(encoding="utf-8")
    svgs = re.findall(r"<svg .*?</svg>", roh, re.S)
    assert len(svgs) >= 3
    ids = re.findall(r' id="([^"]+)"', "".join(svgs))
    assert len(ids) == len(set(ids))
    for svg in svgs:
        wurzel = ET.fromstring(svg)
        assert wurzel.get("role") == "img"
        verweise = wurzel.get("aria-labelledby").split()
        eigene = {e.get("id") for e in wurzel.iter() if e.get("id")}
        assert verweise and set(verweise) <= eigene
        assert wurzel.find("title").text and wurzel.find("desc").text


# --- only what was recorded -----------------------------------------------------------------------------------

KONFIG_VIER_SCHRITTE = """
[[standard.schritte]]
name = "Willkommensmail (Woche 1)"
arten = ["email"]
frist_tage = 7

[[standard.schritte]]
name = "Erstkontakt (Monat 1)"
arten = ["anruf_erreicht", "gespraech"]
frist_tage = 30

[[standard.schritte]]
name = "Parteibuch (Monat 3)"
arten = ["parteibuch"]
frist_tage = 91
"""


def _erfasster_bestand(folder: Path) -> None:
    """Nord and Süd, 6 new members each on 10.01.2026; calls recorded since 01.12.2025, Parteibücher since
    01.03.2026, e-mails never."""
    store = speicher.oeffnen(folder, anlegen=True)
    conn = store.conn
    conn.execute("BEGIN")
    conn.execute(
        "INSERT INTO importe (art, datei, sha256, stand, zeit) VALUES ('mitglieder', 'x', 'x', '2025-01-31', 'x')"
    )
    mitglieder = [("0", "Nord", "2010-01-01")]
    mitglieder += [(f"n{i}", "Nord", "2026-01-10") for i in range(6)]
    mitglieder += [(f"s{i}", "Süd", "2026-01-10") for i in range(6)]
    mitglieder += [("s6", "Süd", "2026-03-01"), ("s7", "Süd", "2026-04-01")]
    for nr, ov, von in mitglieder:
        conn.execute(
            "INSERT INTO mitglieder (nr, mitgliedsnummer, vorname, nachname, eintrittsdatum, ortsverein) "
            "VALUES (?,?,?,?,?,?)",
            (nr, nr, "Kim", "Zufall", von, ov),
        )
        conn.execute(
            "INSERT INTO zugehoerigkeit (nr, ortsverein, unterbezirk, von) VALUES (?,?,?,?)",
            (nr, ov, "UB", von),
        )
    kontakte = [("0", "anruf", "2025-12-01", "nicht erreicht")]
    kontakte += [(f"n{i}", "anruf", "2026-01-20", "erreicht") for i in range(4)]  # Nord: 4 of 6 in time
    kontakte += [("s0", "anruf", "2026-01-20", "erreicht"), ("s1", "anruf", "2026-03-01", "erreicht")]
    kontakte += [
        ("n0", "parteibuch", "2026-03-01"),  # the first Parteibuch: n0 joined before, so not counted
        ("s6", "parteibuch", "2026-03-20"),  # counted, in time
        ("s7", "parteibuch", "2026-07-15"),  # counted, day 105: too late
    ]
    for i, (nr, art, datum, *ergebnis) in enumerate(kontakte):
        conn.execute(
            "INSERT INTO kontakte (nr, art, datum, ergebnis, quelle, schluessel) VALUES (?,?,?,?,?,?)",
            (nr, art, datum, ergebnis[0] if ergebnis else None, "t", f"k{i}"),
        )
    conn.execute("COMMIT")
    store.close()
    (folder / "mitglieder.toml").write_text(KONFIG_VIER_SCHRITTE + "\n[bericht]\nmin_fallzahl = 2\n", "utf-8")


def test_cli_bericht_json_keine_daten_und_spaeter_beginn(mitglieder, tmp_path):
    _erfasster_bestand(tmp_path / "arbeit")
    lauf = mitglieder("--ordner", tmp_path / "arbeit", "--stichtag", "01.09.2026", "--json", "bericht")
    assert lauf.code == 0, lauf.err
    data = json.loads(lauf.out)
    mail, erst, buch = data["schritte"]
    assert (mail["ohne_daten"], mail["daten_ab"], mail["nicht_gezaehlt"]) == (True, None, 14)
    assert (erst["ohne_daten"], erst["daten_ab"], erst["nicht_gezaehlt"]) == (False, "2025-12-01", 0)
    assert (buch["daten_ab"], buch["nicht_gezaehlt"]) == ("2026-03-01", 12)
    nord, sued = data["ortsvereine"]
    keine = "keine Daten: noch nie ein Kontakt der Art E-Mail erfasst"
    assert nord["schritte"][0] == {"anteil": None, "basis": None, "ki95": None, "grund": keine}
    # by hand: Nord 4 of 6 reached by day 30; Süd s0 (day 10) of s0-s7 (s1 on day 50: too late)
    assert (nord["schritte"][1]["anteil"], nord["schritte"][1]["basis"]) == (0.6667, 6)
    assert (sued["schritte"][1]["anteil"], sued["schritte"][1]["basis"]) == (0.125, 8)
    # the Parteibuch counts only s6 and s7 (joined on or after 01.03.2026): 1 of 2; Nord has nobody to count
    assert (sued["schritte"][2]["anteil"], sued["schritte"][2]["basis"]) == (0.5, 2)
    assert nord["schritte"][2]["anteil"] is None
    # the standard leaves the e-mail out: Nord 4 of 6; Süd s0 (Erstkontakt, no Parteibuch counted) of 8
    assert (nord["standard"]["anteil"], sued["standard"]["anteil"]) == (0.6667, 0.125)
    assert nord["veranstaltung_3_monate"]["grund"] == "keine Daten: noch keine Teilnahmen erfasst"
    # reached by 01.09.: n0-n3, s0, s1 by phone, s6 and s7 by their Parteibuch (a personal contact too)
    assert data["gesamt"]["tage_bis_erstkontakt"]["erreicht"] == 8
    assert [r["name"] for r in data["rangfolge"]] == ["Nord", "Süd"]
    assert data["hinweise"][0] == (
        "Keine Daten für „Willkommensmail (Woche 1)“: noch nie ein passender Kontakt erfasst. Dieser Schritt "
        "zählt weder bei „Standard erfüllt“ noch in der Rangfolge."
    )
    assert data["hinweise"][1].startswith(
        "Erst im Lauf des Zeitraums erfasst: „Parteibuch (Monat 3)“ seit 01.03.2026 (12 fällige Neumitglieder "
        "mit früherem Eintritt nicht gezählt)."
    )
    text = mitglieder("--ordner", tmp_path / "arbeit", "--stichtag", "01.09.2026", "bericht")
    assert text.code == 0, text.err
    assert re.search(r"Nord\s*│\s*7\s*│\s*6\s*│\s*keine Daten\s*│\s*66,7 %", text.out), text.out
    html = html_text(Path(json.loads(lauf.out)["dateien"]["html"]))[0]
    assert "keine Daten" in html and "bei 14 Neumitgliedern mit fälligem Schritt" in html
    assert "erst seit 01.03.2026 erfasst: 12 früher Eingetretene nicht gezählt" in html
    assert "„Willkommensmail (Woche 1)“" in html


def test_zahlen_auf_unvollstaendiger_geschichte_sind_an_der_zahl_markiert(_fertiger_bericht):
    """The store starts with the May export: first-year retention and Eintritte/Austritte say so where they stand."""
    result = _fertiger_bericht
    html = html_text(result.dateien["html"])[0]
    assert "⚠ unvollständig: wer vor dem 31.05.2026 ausgetreten ist, fehlt – wirkt zu günstig" in html
    assert "⚠ unvollständig: Datenbestand erst ab 31.05.2026" in html
    assert "Bindung im 1. Jahr (unvollständig)" in html  # the tables' headings
    assert "Bindung im ersten Jahr je Ortsverein (unvollständig)" in html  # the chart's title
    docx = docx_text(result.dateien["docx"])[0]
    assert "Vorbehalt" in docx and "unvollständig: Datenbestand erst ab 31.05.2026" in docx
    wb = openpyxl.load_workbook(result.dateien["xlsx"])
    ueberblick = {r[0]: r for r in wb["Überblick"].iter_rows(min_row=2, values_only=True)}
    assert ueberblick["Eintritte"][3] == "unvollständig: Datenbestand erst ab 31.05.2026"
    assert ueberblick["Standard erfüllt (jeder fällige Schritt fristgerecht)"][2].startswith("bei ")
