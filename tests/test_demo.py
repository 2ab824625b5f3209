"""``mitglieder demo``: the whole workflow in a fresh folder, the same every run, and its files open cleanly."""

from __future__ import annotations

import html.parser
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from mitgliederarbeit import demo
from mitgliederarbeit.bestand import speicher

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def demo_ordner(tmp_path_factory) -> tuple[Path, demo.Demo]:
    """One demo run through the core, shared by the tests that only look at its files."""
    folder = tmp_path_factory.mktemp("demo") / "mitglieder-demo"
    return folder, demo.demo(folder)


def abfrage(folder: Path, sql: str) -> list[tuple]:
    store = speicher.oeffnen(folder)
    try:
        return [tuple(r) for r in store.conn.execute(sql).fetchall()]
    finally:
        store.close()


# --- the command ---------------------------------------------------------------------------------------------------


def test_demo_command_summary_and_exit_code(mitglieder, tmp_path):
    run = mitglieder("demo")
    assert run.code == 0  # although the May export has three rejected rows: they are part of the demo
    assert run.out == ""
    zeilen = run.err.splitlines()
    assert zeilen[0] == "Demo fertig im Ordner mitglieder-demo"
    assert "1. 01.06.2026  Mai-Export importiert (Stand 31.05.2026)" in zeilen
    assert "   3 Zeilen abgelehnt – mit Absicht, so sieht ein fehlerhafter Export aus." in zeilen
    assert "   63 Eintritte, 35 Austritte (davon 6 im ersten Jahr), 12 Wechsel, 40 Änderungen." in zeilen
    # the packages' visits and talks come first: the Unterbezirk calls only whom no Ortsverein reached
    assert "   75 Neumitglieder ohne persönlichen Kontakt (Anna 25, Ben 26, Cem 24)." in zeilen
    assert "   25 Teilnahmen (22 über die Mitgliedsnummer, 3 über den Namen)." in zeilen
    assert "3. 26.06.2026  6 Pakete ausgefüllt zurück, dazu eine eigene Liste" in zeilen
    assert "   Aus den Paketen erfasst: 93 Kontakte, 28 Pat*innen, 12 Notizen." in zeilen
    assert "   Weinberg schickt eine eigene Liste (nach Namen, ohne Nummern): 10 Kontakte." in zeilen
    assert "11. 29.09.2026  Ein Parteibuch von Hand erfasst" in zeilen
    # the report shows the three ways of working apart
    assert (
        "   Mit Pat*innen (3 Ortsvereine): Erstkontakt 58,8 %, Parteibuch 19,4 %, Zweitkontakt 68,4 %."
        in zeilen
    )
    assert (
        "   Ohne eigene Begrüßung (5 Ortsvereine): Erstkontakt 3,8 %, Parteibuch 0,0 %, Zweitkontakt 0,0 %."
        in zeilen
    )
    assert zeilen[-4:] == [
        "  cd mitglieder-demo",
        "  mitglieder --stichtag 30.09.2026 segmente",
        '  mitglieder --stichtag 30.09.2026 anrufliste --anrufer "Anna,Ben,Cem"',
        "  mitglieder protokoll",
    ]
    folder = tmp_path / "mitglieder-demo"
    for zeile in zeilen:  # every file the summary names is there
        teile = zeile.split()
        if zeile.startswith("  ") and teile and "/" in teile[0] and not teile[0].startswith("--"):
            assert (folder / teile[0]).exists(), teile[0]
    assert "\x1b" not in run.err and "━" not in run.err  # no progress bar when stderr is not a terminal


def test_demo_json_names_every_file(mitglieder, tmp_path):
    run = mitglieder("--json", "demo", tmp_path / "d")
    assert run.code == 0
    data = run.json()
    assert data["ordner"] == str(tmp_path / "d")
    assert set(data["dateien"]) >= {
        "einstellungen",
        "datenbestand",
        "export_mai",
        "export_august",
        "teilnahmeliste",
        "importfehler_mai",
        "pakete_juni",
        "pakete_juni_ausgefuellt",
        "liste_weinberg_juni",
        "pakete_september",
        "pakete_september_ausgefuellt",
        "liste_weinberg_september",
        "umfrage",
        "anrufliste",
        "anrufliste_ausgefuellt",
        "briefe",
        "briefe_druck",
        "bericht_html",
        "bericht_docx",
        "bericht_xlsx",
    }
    assert all(Path(p).exists() for p in data["dateien"].values())
    assert [s["nummer"] for s in data["schritte"]] == list(range(1, 13))
    assert [s["stichtag"] for s in data["schritte"]] == [
        "2026-06-01",
        "2026-06-01",
        "2026-06-26",
        "2026-09-01",
        "2026-09-01",
        "2026-09-02",
        "2026-09-08",
        "2026-09-18",
        "2026-09-21",
        "2026-09-28",
        "2026-09-29",
        "2026-09-30",
    ]
    assert data["schritte"][10]["befehl"] == (
        'mitglieder --stichtag 29.09.2026 kontakt 936426 "Parteibuch übergeben" --notiz "Parteibuch in der '
        'Geschäftsstelle abgeholt"'
    )
    assert data["schritte"][0]["befehl"] == (
        "mitglieder --stichtag 01.06.2026 import eingang/unterbezirk-musterstadt-2026-05.xlsx"
    )
    assert run.err == ""  # --json: nothing but the JSON, no summary, no progress


def test_same_output_every_run_and_independent_of_stichtag(mitglieder, tmp_path, monkeypatch):
    erste = mitglieder("demo", "eins")
    monkeypatch.setenv("MITGLIEDER_STICHTAG", "24.12.2030")
    zweite = mitglieder("--stichtag", "01.01.2020", "demo", "zwei")
    assert erste.code == zweite.code == 0
    assert erste.err.replace(" eins", " zwei") == zweite.err
    sql = (
        "SELECT nr, art, datum, ergebnis, interessen, mitmachen, notiz FROM kontakte ORDER BY nr, art, datum"
    )
    assert abfrage(tmp_path / "eins", sql) == abfrage(tmp_path / "zwei", sql)


def test_demo_ignores_the_global_working_folder(mitglieder, tmp_path, monkeypatch):
    """A MITGLIEDER_ORDNER pointing at the real data must never become the demo's folder."""
    echt = tmp_path / "echt"
    echt.mkdir()
    monkeypatch.setenv("MITGLIEDER_ORDNER", str(echt))
    run = mitglieder("--ordner", echt, "demo")
    assert run.code == 0
    assert list(echt.iterdir()) == []
    assert (tmp_path / "mitglieder-demo" / "mitglieder.sqlite").exists()


# --- refusing and starting over ----------------------------------------------------------------------------------


def test_refuses_an_existing_demo_then_starts_fresh(mitglieder, tmp_path):
    assert mitglieder("demo").code == 0
    folder = tmp_path / "mitglieder-demo"
    (folder / "ausgabe" / "eigene-notiz.txt").write_text("x")
    (folder / "meine-datei.txt").write_text("bleibt")
    run = mitglieder("demo")
    assert run.code == 1
    assert run.err.splitlines() == [
        "Fehler: In mitglieder-demo liegt schon eine Demo; es wurde nichts geändert.",
        "Neu anlegen mit: mitglieder demo mitglieder-demo --ueberschreiben (oder einen anderen Ordner angeben).",
    ]
    run = mitglieder("demo", "--ueberschreiben")
    assert run.code == 0
    assert run.err.splitlines()[0] == (
        "Demo fertig im Ordner mitglieder-demo (die frühere Demo dort wurde gelöscht)"
    )
    assert not (folder / "ausgabe" / "eigene-notiz.txt").exists()  # ausgabe/ is the demo's own
    assert (folder / "meine-datei.txt").read_text() == "bleibt"  # anything else is left alone
    assert sorted(p.name for p in (folder / "ausgabe").iterdir()) == [
        "anrufliste-2026-09-01.xlsx",
        "bericht-2026-09-30",
        "briefe-2026-09-02",
        "import-fehler-2026-05-31.xlsx",
        "import-fehler-2026-08-31.xlsx",
        "ortsvereine-2026-06-01",
        "ortsvereine-2026-09-21",
        "umfrage-praktiken-vorlage.xlsx",
    ]
    # two exports, 2 × 6 packages, 2 lists from Weinberg, the call list, the attendance list
    assert abfrage(folder, "SELECT count(*) FROM importe") == [(18,)]


@pytest.mark.parametrize("ueberschreiben", [False, True])
def test_never_touches_a_real_working_folder(mitglieder, tmp_path, ueberschreiben):
    echt = tmp_path / "echt"
    assert mitglieder("--ordner", echt, "init").code == 0
    vorher = sorted((p.name, p.stat().st_mtime_ns) for p in echt.iterdir())
    run = mitglieder("demo", echt, *(["--ueberschreiben"] if ueberschreiben else []))
    assert run.code == 1
    assert (
        "enthält schon mitglieder.toml, aber keine Demo. Die Demo ändert und löscht dort nichts." in run.err
    )
    assert sorted((p.name, p.stat().st_mtime_ns) for p in echt.iterdir()) == vorher


def test_a_file_is_no_folder(mitglieder, tmp_path):
    (tmp_path / "datei").write_text("x")
    run = mitglieder("demo", "datei")
    assert (run.code, run.err.splitlines()[0]) == (1, "Fehler: datei ist eine Datei, kein Ordner.")


# --- what the demo made --------------------------------------------------------------------------------------------


def test_every_file_is_owner_only(demo_ordner):
    folder, _ = demo_ordner
    if os.name != "posix":
        pytest.skip("file modes are POSIX")
    for path in [folder, *folder.rglob("*")]:
        mode = path.stat().st_mode & 0o777
        assert mode == (0o700 if path.is_dir() else 0o600), path


def test_filled_call_list_looks_like_volunteers_filled_it(demo_ordner):
    folder, result = demo_ordner
    wb = openpyxl.load_workbook(result.dateien["anrufliste_ausgefuellt"])
    ergebnisse, daten, leer = [], [], 0
    for name in demo.ANRUFER:
        ws = wb[name]
        kopf = [c.value for c in ws[1]]
        for row in ws.iter_rows(min_row=2, values_only=True):
            ergebnis = row[kopf.index("Ergebnis")]
            if ergebnis is None:
                leer += 1
                continue
            ergebnisse.append(ergebnis)
            if row[kopf.index("Datum")] is not None:
                daten.append(row[kopf.index("Datum")].date())
    assert len(ergebnisse) == 57 and leer == 18  # three quarters of each sheet
    for wort in ("Rückruf vereinbart", "kein Anruf gewünscht", "will austreten", "falsche Nummer"):
        assert ergebnisse.count(wort) == 1, wort
    assert set(ergebnisse) <= {"erreicht", "nicht erreicht", "Rückruf vereinbart", "kein Anruf gewünscht"} | {
        "will austreten",
        "falsche Nummer",
    }
    assert daten and all(demo.TAG_ANRUFLISTE < d < demo.TAG_RUECKLAUF for d in daten)
    assert len(daten) < len(ergebnisse)  # some callers forgot the date
    assert (
        abfrage(folder, "SELECT count(*) FROM mitglieder WHERE sperre_anruf = 1 OR kein_anruf = 1")[0][0] >= 1
    )


def test_report_html_parses_and_is_offline(demo_ordner):
    _, result = demo_ordner

    class Parser(html.parser.HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.tags: list[str] = []
            self.extern: list[str] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            self.tags.append(tag)
            for key, value in attrs:
                if key in ("src", "href") and value and value.startswith(("http:", "https:", "//")):
                    self.extern.append(value)

    parser = Parser()
    text = result.dateien["bericht_html"].read_text(encoding="utf-8")
    parser.feed(text)
    parser.close()
    assert {"html", "table", "svg"} <= set(parser.tags)
    assert parser.extern == []
    assert "Musterpartei Musterpartei" not in text  # the party is in the name already


def test_word_and_excel_files_open(demo_ordner):
    import docx

    _, result = demo_ordner
    druck = docx.Document(str(result.dateien["briefe_druck"]))
    assert len(druck.sections) == 117  # one letter a page, each with its own DIN layout
    einzeln = sorted(result.dateien["briefe"].glob("*_*.docx"))
    assert len(einzeln) == 117
    brief = "\n".join(p.text for p in docx.Document(str(einzeln[0])).paragraphs)
    assert "Willkommen" in brief
    bericht = docx.Document(str(result.dateien["bericht_docx"]))
    assert bericht.tables
    for key in ("anrufliste", "anrufliste_ausgefuellt", "importfehler_mai", "bericht_xlsx"):
        wb = openpyxl.load_workbook(result.dateien[key])
        assert wb.sheetnames


def test_core_runs_without_terminal_libraries(tmp_path):
    """The demo is callable from Python; neither typer nor rich gets loaded."""
    code = (
        "import sys; from pathlib import Path; from mitgliederarbeit import demo; "
        f"r = demo.demo(Path({str(tmp_path / 'd')!r})); "
        "assert len(r.schritte) == 12; "
        "print(sorted(m for m in ('typer', 'rich', 'click') if m in sys.modules))"
    )
    lauf = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert lauf.stdout.strip() == "[]"


def test_example_files_are_found_and_shipped_in_the_wheel():
    assert (demo.beispiele_ordner() / demo.EXPORT_MAI).is_file()
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"examples" = "mitgliederarbeit/examples"' in pyproject


# --- progress bars ---------------------------------------------------------------------------------------------------


def test_progress_bar_only_in_a_terminal(monkeypatch):
    from rich.console import Console

    from mitgliederarbeit.cli import console

    for terminal, sichtbar in ((True, True), (False, False)):
        puffer = io.StringIO()
        monkeypatch.setattr(console, "err", Console(file=puffer, force_terminal=terminal, width=80))
        with console.fortschritt(True, "Briefe werden geschrieben …") as update:
            update(1, 2)
            update(2, 2, "Fertig")
        assert ("Briefe werden geschrieben" in puffer.getvalue()) is sichtbar
    puffer = io.StringIO()
    monkeypatch.setattr(console, "err", Console(file=puffer, force_terminal=True, width=80))
    with console.fortschritt(False, "mit --json") as update:  # --json: never a bar
        update(1, 2)
    assert puffer.getvalue() == ""


def test_summary_is_plain_text(demo_ordner, capsys):
    """A folder name with brackets is printed as it is, not taken for rich markup."""
    import dataclasses

    from mitgliederarbeit.cli import darstellung

    _, result = demo_ordner
    anders = dataclasses.replace(result, ordner=Path("/nirgendwo/ordner [alt]"))
    darstellung.demo(anders)
    assert capsys.readouterr().err.splitlines()[0] == "Demo fertig im Ordner /nirgendwo/ordner [alt]"
    assert json.dumps(result.as_json())  # every value serializable


def test_protocol_times_in_german(mitglieder, tmp_path):
    assert mitglieder("demo").code == 0
    run = mitglieder("--ordner", tmp_path / "mitglieder-demo", "--json", "protokoll")
    assert len(run.json()) == 28  # two error files, the call list, the letters, 2 × 12 packages
    run = mitglieder("--ordner", tmp_path / "mitglieder-demo", "protokoll")
    zeilen = [z for z in run.out.splitlines() if "briefe" in z]
    assert zeilen and re.match(r"│ \d\d\.\d\d\.\d{4} ", zeilen[0])  # 21.11.2026 10:00, not 2026-11-21T10:00


# --- the Ortsvereine's year ---------------------------------------------------------------------------------------


def test_the_returned_packages_hold_what_each_ortsverein_did(demo_ordner):
    """Visits bring the Parteibuch, Pat*innen come first, five Ortsvereine send nothing back."""
    folder, _ = demo_ordner
    je_quelle = dict(
        abfrage(
            folder,
            "SELECT m.ortsverein || ':' || k.art, count(*) FROM kontakte k JOIN mitglieder m ON m.nr = k.nr "
            "WHERE k.art IN ('parteibuch', 'pate', 'gespraech') GROUP BY 1",
        )
    )
    for ov in ("Altstadt", "Schlossberg", "Weinberg"):  # (a member who moved here may bring a Pat*in along)
        assert je_quelle[f"{ov}:parteibuch"] >= 5 and je_quelle.get(f"{ov}:pate", 0) <= 1
    for ov in ("Neustadt-Nord", "Südvorstadt"):
        assert je_quelle[f"{ov}:pate"] >= 5
    # nothing of their own: only the one Parteibuch recorded by hand
    ohne = {k: n for k, n in je_quelle.items() if k.split(":")[0] in demo.PRAXIS.keys() ^ set(ORTSVEREINE)}
    assert ohne == {"Neustadt-Süd:parteibuch": 1}
    # importing the same package twice records nothing new: the second round found its dates recorded
    wb = openpyxl.load_workbook(
        next((folder / "eingang").glob("ortsverein-Altstadt-2026-09-21-ausgefuellt.xlsx"))
    )
    kopf = [c.value for c in wb["Neue Mitglieder"][1]]
    assert "Parteibuch (Monat 3)" in kopf and "Pat*in" in kopf


def test_the_report_compares_the_ways_of_working(demo_ordner):
    _, ergebnis = demo_ordner
    bericht = ergebnis.schritte[-1].ergebnis
    werte = {w.name: w for w in bericht.kennzahlen.ortsvereine}
    parteibuch = {ov: werte[ov].schritte[1].wert for ov in ("Altstadt", "Neustadt-Nord", "Am Hafen")}
    assert parteibuch["Altstadt"] > 0.7 > parteibuch["Neustadt-Nord"] > parteibuch["Am Hafen"] == 0.0
    assert bericht.kennzahlen.mit_daten and not any(bericht.kennzahlen.ohne_daten(i) for i in range(3))
    assert bericht.vergleiche is not None
    pat = next(
        v for v in bericht.vergleiche if v.praxis.schluessel == "patenschaft" and v.ergebnis == "standard"
    )
    assert (pat.ortsvereine_mit, pat.ortsvereine_ohne) == (3, 8)  # Kirchdorf did not answer
    # the first-year retention rests on a history that starts in May: marked, not presented as fact
    assert bericht.kennzahlen.bindung_unvollstaendig


ORTSVEREINE = {
    "Altstadt",
    "Am Hafen",
    "Auenwald",
    "Eichenhain",
    "Kirchdorf",
    "Mühlental",
    "Neustadt-Nord",
    "Neustadt-Süd",
    "Schlossberg",
    "Seewiesen",
    "Südvorstadt",
    "Weinberg",
}
