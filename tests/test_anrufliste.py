"""Call lists: who is on them and why not, how they are split, and what the xlsx holds (and must not hold)."""

from __future__ import annotations

import gc
import re
import shutil
import subprocess
from datetime import date

import openpyxl
import pytest

from mitgliederarbeit.ausgaben import anrufliste
from mitgliederarbeit.bestand import speicher
from mitgliederarbeit.errors import BedienFehler, KonfigFehler
from mitgliederarbeit.ordner import Arbeitsordner

from .test_segmente import STICHTAG, bestand_anlegen, mitglied

KOPF = [
    "Nr",
    "Mitgliedsnummer",
    "Vorname",
    "Nachname",
    "Ortsverein",
    "Mitglied seit",
    "Alter",
    "Telefon",
    "Mobil",
    "Bisherige Versuche",
    "Ergebnis",
    "Datum",
    "Interessen",
    "möchte mitmachen",
    "Notiz",
    "Letzter Anruf",
]
DROPDOWN = '"erreicht,nicht erreicht,Rückruf vereinbart,falsche Nummer,kein Anruf gewünscht,will austreten"'


def blatt_zeilen(path, name):
    ws = openpyxl.load_workbook(path)[name]
    return [list(r) for r in ws.iter_rows(values_only=True)]


def meta(path):
    ws = openpyxl.load_workbook(path)["_mitgliederarbeit"]
    return {r[0]: r[1] for r in ws.iter_rows(values_only=True)}


# --- the example data ---------------------------------------------------------------------------------------------


@pytest.fixture
def liste(beispielbestand):
    return anrufliste.anrufliste(beispielbestand, anrufer=["Anna,Ben,Cem"])


def test_sheets_columns_and_split_on_example_data(beispielbestand, liste):
    wb = openpyxl.load_workbook(liste.datei)
    assert wb.sheetnames == ["Anna", "Ben", "Cem", "Gesprächsleitfaden", "Datenschutz", "_mitgliederarbeit"]
    assert wb["_mitgliederarbeit"].sheet_state == "hidden"
    assert liste.datei == beispielbestand.pfad / "ausgabe" / "anrufliste-2026-09-01.xlsx"
    gesamt, groessen, ov_blatt = 0, [], {}
    for name in ("Anna", "Ben", "Cem"):
        ws = wb[name]
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
        assert rows[0] == KOPF
        daten = rows[1:]
        assert [r[0] for r in daten] == list(range(1, len(daten) + 1))
        groessen.append(len(daten))
        gesamt += len(daten)
        # members of one Ortsverein stay together, newest first
        blocks = [r[4] for r in daten]
        assert blocks == sorted(blocks, key=str.casefold)
        for ov in set(blocks):
            seit = [r[5] for r in daten if r[4] == ov]
            assert seit == sorted(seit, reverse=True)
            assert ov not in ov_blatt, f"{ov} auf zwei Blättern"
            ov_blatt[ov] = name
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref.startswith("A1:P")
        validations = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}
        assert validations["K2:K1001"] == DROPDOWN
        assert validations["N2:N1001"] == '"ja,vielleicht,nein"'
    assert gesamt == liste.eintraege == sum(liste.je_anrufer.values()) == 96
    assert max(groessen) - min(groessen) <= 5  # Ortsvereine of 2 to 20 callable new members
    assert liste.ausgelassen == {"kein_anruf": 1, "kein_telefon": 21}
    assert liste.im_segment == 118


def test_no_address_birth_date_email_or_dues_on_the_list(beispielbestand, liste):
    wb = openpyxl.load_workbook(liste.datei)
    cells: set[str] = set()
    numbers: list[str] = []
    for name in ("Anna", "Ben", "Cem"):
        for row in wb[name].iter_rows(min_row=2, values_only=True):
            numbers.append(row[1])
            cells.update(str(v) for v in row if v is not None)
            for phone in row[7:9]:
                assert phone is None or re.fullmatch(r"0\d{2,5} \d{3,}|\+\d{1,3} \d+ \d+", phone), phone
    store = speicher.oeffnen(beispielbestand.pfad)
    try:
        members = {r["mitgliedsnummer"]: dict(r) for r in store.conn.execute("SELECT * FROM mitglieder")}
    finally:
        store.close()
    for number in numbers:
        m = members[number]
        for feld in ("strasse", "plz", "email", "geburtsdatum"):  # the town may be an Ortsverein name
            assert m[feld] is None or m[feld] not in cells, (feld, m[feld])
        if m["geburtsdatum"]:
            geburt = date.fromisoformat(m["geburtsdatum"])
            assert geburt.strftime("%d.%m.%Y") not in cells
            assert str(openpyxl.utils.datetime.to_excel(geburt)) not in cells
    headers = " ".join(KOPF).lower()
    for wort in ("straße", "plz", "geburt", "mail", "iban", "beitrag", "konto"):
        assert wort not in headers


def test_protection_sheet_script_and_metadata(beispielbestand, liste):
    text = "\n".join(r[0] for r in blatt_zeilen(liste.datei, "Datenschutz") if r[0])
    assert "spätestens am 01.10.2026 diese Datei und alle Kopien löschen" in text
    assert (
        "Wer die Liste sehen darf: Diese Datei enthält die Blätter aller Anrufenden (Anna, Ben, Cem) und bleibt bei "
        "der oder dem Mitgliederbeauftragten. Jede anrufende Person bekommt nur ihr eigenes Blatt: ausgedruckt oder "
        "als eigene Datei (mitglieder anrufliste --je-anrufer)." in text
    )
    assert "Art. 9 DSGVO" in text
    leitfaden = [r[0] for r in blatt_zeilen(liste.datei, "Gesprächsleitfaden") if r[0]]
    assert leitfaden[0] == "Gesprächsleitfaden für die Telefonaktion"
    assert not any("{" in line or line.startswith("#") for line in leitfaden)
    m = meta(liste.datei)
    assert m["art"] == "anrufliste" and m["segment"] == "neu-ohne-kontakt" and m["stichtag"] == "2026-09-01"
    assert (m["blatt.1"], m["anrufer.1"], m["blatt.3"], m["anrufer.3"]) == ("Anna", "Anna", "Cem", "Cem")
    assert m["liste"] == liste.liste and m["loeschen_am"] == "2026-10-01"
    assert sum(1 for k in m if k.startswith("m.")) == 96
    store = speicher.oeffnen(beispielbestand.pfad)
    try:
        log = store.conn.execute(
            "SELECT befehl, segment, anzahl, pfad FROM protokoll WHERE befehl = 'anrufliste'"
        ).fetchall()
    finally:
        store.close()
    assert [tuple(r) for r in log] == [("anrufliste", "neu-ohne-kontakt", 96, str(liste.datei))]


# --- who is left out, and why --------------------------------------------------------------------------------------


@pytest.fixture
def gruende(tmp_path) -> Arbeitsordner:
    folder = tmp_path / "gruende"
    bestand_anlegen(
        folder,
        [
            mitglied("1", "2026-08-01"),
            mitglied("2", "2026-08-01", telefon=None),
            mitglied("3", "2026-08-01", kein_anruf=1),
            mitglied("4", "2026-08-01", sperre_anruf=1),
            mitglied("5", "2026-08-01", will_austreten="2026-08-20"),
            mitglied("6", "2026-08-01", telefon_falsch=1),
            mitglied("7", "2026-07-01", telefon_falsch=1, mobil="+491711234567"),
            mitglied("8", "2026-08-01"),
            mitglied("9", "2026-08-01"),
            mitglied("10", "2026-08-02"),
            mitglied("11", "2026-08-01"),
            mitglied("12", "2026-08-01", telefon=None, mobil="+4915112345678", ortsverein="Neustadt"),
        ],
        [
            ("8", "anruf", "2026-08-02", "nicht_erreicht"),
            ("8", "anruf", "2026-08-10", "nicht_erreicht"),
            ("8", "anruf", "2026-08-20", "rueckruf"),
            ("9", "anruf", "2026-08-26", "nicht_erreicht"),  # 6 days before the Stichtag
            ("10", "anruf", "2026-08-25", "nicht_erreicht"),  # 7 days before: may be called again
            ("11", "anruf", "2026-08-25", "erreicht"),
        ],
    )
    return Arbeitsordner(folder, STICHTAG)


def test_left_out_counted_by_reason(gruende):
    result = anrufliste.anrufliste(gruende)
    assert result.ausgelassen == {
        "kein_anruf": 2,
        "will_austreten": 1,
        "kein_telefon": 1,
        "falsche_nummer": 1,
        "max_versuche": 1,
        "sperrfrist": 1,
    }
    assert (result.eintraege, result.im_segment, result.schon_erreicht) == (4, 11, 1)
    assert result.anrufer == ["Anrufliste"]
    rows = blatt_zeilen(result.datei, "Anrufliste")[1:]
    by_nr = {r[1]: r for r in rows}
    assert list(by_nr) == ["10", "1", "7", "12"]  # Altstadt newest first, then Neustadt
    assert by_nr["7"][7:10] == [None, "0171 1234567", 0]  # the wrong landline is not shown
    assert by_nr["10"][9] == 1
    assert by_nr["1"][7] == "0351 1234567"
    assert meta(result.datei)["anrufer.1"] == ""


def test_max_attempts_and_cooldown_from_the_config(gruende):
    (gruende.pfad / "mitglieder.toml").write_text(
        "[anrufliste]\nmax_versuche = 4\nsperrfrist_tage = 5\n", encoding="utf-8"
    )
    result = anrufliste.anrufliste(Arbeitsordner(gruende.pfad, STICHTAG))
    assert "max_versuche" not in result.ausgelassen and "sperrfrist" not in result.ausgelassen
    assert result.eintraege == 6


def test_text_cells_never_become_formulas(tmp_path):
    folder = tmp_path / "formel"
    bestand_anlegen(
        folder,
        [
            mitglied(
                "1", "2026-08-01", vorname='=HYPERLINK("http://example.org","klick")', nachname="+SUMME(A1)"
            ),
            mitglied("2", "2026-08-01", vorname="@Kim", nachname="-Brenner", ortsverein="=1+1"),
        ],
    )
    result = anrufliste.anrufliste(Arbeitsordner(folder, STICHTAG))
    ws = openpyxl.load_workbook(result.datei)["Anrufliste"]
    values = {ws.cell(r, c).value: ws.cell(r, c).data_type for r in (2, 3) for c in (3, 4, 5)}
    assert values == {
        '=HYPERLINK("http://example.org","klick")': "s",
        "+SUMME(A1)": "s",
        "@Kim": "s",
        "-Brenner": "s",
        "=1+1": "s",
        "Altstadt": "s",
    }


def test_nobody_to_call_writes_no_file(tmp_path):
    folder = tmp_path / "niemand"
    bestand_anlegen(folder, [mitglied("1", "2026-08-01", telefon=None)])
    result = anrufliste.anrufliste(Arbeitsordner(folder, STICHTAG))
    assert result.datei is None and result.eintraege == 0 and result.ausgelassen == {"kein_telefon": 1}
    assert not (folder / "ausgabe").exists()


def test_segments_of_new_members_and_the_others_on_a_mixed_store(tmp_path):
    folder = tmp_path / "gemischt"
    bestand_anlegen(
        folder,
        [
            mitglied("1", "2026-08-01"),
            mitglied("2", "2026-03-02"),  # new by one day
            mitglied("3", "2026-03-01"),  # exactly 6 months: no longer new
            mitglied("4", "2015-01-01", ortsverein="Neustadt"),
            mitglied("5", "2026-07-01"),
            mitglied("6", "2026-06-01", ortsverein="Neustadt"),
        ],
        [("4", "anruf", "2026-08-20", "erreicht"), ("5", "anruf", "2026-08-05", "erreicht")],
        toml='[segmente.eigene.neu-altstadt]\nbasis = "neu-ohne-kontakt"\nortsverein = ["Altstadt"]\n',
    )
    ordner = Arbeitsordner(folder, STICHTAG)

    def nummern(result: anrufliste.Anrufliste) -> set[str]:
        return {r[1] for r in blatt_zeilen(result.datei, "Anrufliste")[1:]}

    neu = anrufliste.anrufliste(ordner, ausgabe=tmp_path / "neu.xlsx")
    assert (nummern(neu), neu.im_segment, neu.schon_erreicht) == ({"1", "2", "6"}, 3, 1)
    eigen = anrufliste.anrufliste(ordner, segment="neu-altstadt", ausgabe=tmp_path / "eigen.xlsx")
    assert (nummern(eigen), eigen.schon_erreicht) == ({"1", "2"}, 1)
    alle = anrufliste.anrufliste(ordner, segment="ohne-kontakt", ausgabe=tmp_path / "alle.xlsx")
    assert nummern(alle) == {"1", "2", "3", "6"}


def test_writing_leaves_the_garbage_collector_as_it_was(gruende, tmp_path):
    assert gc.isenabled()
    anrufliste.anrufliste(gruende, ausgabe=tmp_path / "an.xlsx")
    assert gc.isenabled()
    gc.disable()
    try:
        anrufliste.anrufliste(gruende, ausgabe=tmp_path / "aus.xlsx")
        assert not gc.isenabled()
    finally:
        gc.enable()


# --- splitting among callers ---------------------------------------------------------------------------------------


def _leute(**groessen: int) -> list[dict]:
    return [
        {"ortsverein": ov, "eintrittsdatum": f"2026-08-{i % 28 + 1:02d}", "nachname": f"N{i}", "vorname": "V"}
        for ov, n in groessen.items()
        for i in range(n)
    ]


def test_verteilen_keeps_ortsvereine_together_and_balances():
    blaetter = anrufliste.verteilen(_leute(A=10, B=5, C=3, D=2), 2)
    assert [len(b) for b in blaetter] == [10, 10]
    assert [sorted({m["ortsverein"] for m in b}) for b in blaetter] == [["A"], ["B", "C", "D"]]


def test_verteilen_splits_only_an_ortsverein_larger_than_a_fair_share():
    blaetter = anrufliste.verteilen(_leute(A=30, B=3, C=3), 3)
    assert [len(b) for b in blaetter] == [12, 12, 12]
    assert [sorted({m["ortsverein"] for m in b}) for b in blaetter] == [["A"], ["A"], ["A", "B", "C"]]
    a = [m["eintrittsdatum"] for b in blaetter for m in b if m["ortsverein"] == "A"]
    assert a == sorted(a, reverse=True)  # the parts of a split Ortsverein keep the newest-first order


def test_more_callers_than_members(gruende):
    result = anrufliste.anrufliste(gruende, anrufer_anzahl=6)
    assert result.anrufer == [f"Liste {i}" for i in range(1, 7)]
    assert sum(result.je_anrufer.values()) == 4
    wb = openpyxl.load_workbook(result.datei)
    assert [n for n in wb.sheetnames if n.startswith("Liste")] == [
        n for n, c in result.je_anrufer.items() if c
    ]


def test_caller_names_become_valid_distinct_sheet_names(gruende):
    result = anrufliste.anrufliste(gruende, anrufer=["Anna/Ben, Datenschutz"])
    assert openpyxl.load_workbook(result.datei).sheetnames[:2] == ["Anna-Ben", "Datenschutz 2"]
    assert result.anrufer == ["Anna/Ben", "Datenschutz"]


def test_caller_options_must_agree(gruende):
    with pytest.raises(BedienFehler, match="--anrufer nennt 2 Namen, --anrufer-anzahl sagt 3"):
        anrufliste.anrufliste(gruende, anrufer=["Anna,Ben"], anrufer_anzahl=3)
    with pytest.raises(BedienFehler, match="„Anna“ steht doppelt"):
        anrufliste.anrufliste(gruende, anrufer=["Anna,Anna"])


def test_own_call_script_from_the_config(gruende):
    (gruende.pfad / "leitfaden.md").write_text(
        "# Unser Leitfaden\n\n- Hallo von {organisation}!\n", encoding="utf-8"
    )
    (gruende.pfad / "mitglieder.toml").write_text(
        '[organisation]\nname = "OV Beispiel"\nunterschrift = "Pat Beispiel"\ntelefon = "0351 1234567"\n'
        '[anrufliste]\nleitfaden = "leitfaden.md"\n'
        '[ortsvereine."Altstadt"]\nansprechperson = "Max Muster"\ntelefon = "0351 7654321"\n'
        'naechstes_treffen = "Donnerstag, 17. September, 19 Uhr, Bürgerhaus"\n'
        '[ortsvereine."Neustadt"]\nnaechstes_treffen = "Montag, 3. August 2026, 19 Uhr"\n',
        encoding="utf-8",
    )
    ordner = Arbeitsordner(gruende.pfad, STICHTAG)
    result = anrufliste.anrufliste(ordner)
    # the contact person and next meeting of each Ortsverein called, which the script tells callers to mention
    assert [r[0] or "" for r in blatt_zeilen(result.datei, "Gesprächsleitfaden")] == [
        "Unser Leitfaden",
        "",
        "Ansprechpersonen und nächste Treffen – im Gespräch nennen:",
        "• Altstadt: Ansprechperson Max Muster, 0351 7654321 – nächstes Treffen: Donnerstag, 17. September, 19 Uhr, "
        "Bürgerhaus",
        "• Neustadt: noch keine Ansprechperson eingetragen (bei Fragen: Pat Beispiel, 0351 1234567) – nächstes "
        "Treffen: noch kein Termin eingetragen",
        "",
        "• Hallo von OV Beispiel!",
    ]
    # a meeting before the Stichtag is not offered to anyone, and the officer is told
    assert result.warnungen == [
        "Das nächste Treffen in „Neustadt“ („Montag, 3. August 2026, 19 Uhr“) liegt vor dem Stichtag 01.09.2026; "
        "auf der Anrufliste wird es nicht genannt. Bitte in mitglieder.toml den neuen Termin eintragen: "
        '[ortsvereine."Neustadt"] naechstes_treffen.'
    ]
    (gruende.pfad / "mitglieder.toml").write_text('[anrufliste]\nleitfaden = "fehlt.md"\n', encoding="utf-8")
    with pytest.raises(KonfigFehler, match="„anrufliste.leitfaden“ = „fehlt.md“"):
        anrufliste.anrufliste(Arbeitsordner(gruende.pfad, STICHTAG))


# --- CLI ----------------------------------------------------------------------------------------------------------


def test_cli_summary_lines(mitglieder, gruende):
    run = mitglieder(
        "--ordner", gruende.pfad, "--stichtag", "01.09.2026", "anrufliste", "--anrufer", "Anna,Ben"
    )
    assert run.code == 0
    assert run.out == ""
    datei = gruende.pfad / "ausgabe" / "anrufliste-2026-09-01.xlsx"
    assert run.err.splitlines() == [
        "Segment „neu-ohne-kontakt“: 11 Mitglieder, davon 4 auf der Anrufliste.",
        "  Nicht auf der Liste: 7 – 2 kein Anruf gewünscht, 1 mit Austrittswunsch (bitte persönlich nachfassen), "
        "1 ohne Telefonnummer, 1 nur mit falscher Nummer, 1 nach 3 vergeblichen Versuchen, 1 in den letzten 7 "
        "Tagen schon angerufen.",
        "  Dazu 1 weiteres Mitglied, das ein Anruf schon erreicht hat (nicht mehr im Segment).",
        "  Verteilt auf 2 Blätter: Anna 2, Ben 2.",
        f"Anrufliste: {datei}",
        "Datenschutz: die Datei enthält alle Blätter und bleibt bei Ihnen; jeder Person nur ihr eigenes Blatt "
        "geben (oder mit --je-anrufer eine Datei je Person), bis spätestens 01.10.2026 löschen. Ausgefüllt zurück "
        "mit: mitglieder import DATEI",
    ]


def test_cli_json_keys(mitglieder, gruende, tmp_path):
    target = tmp_path / "liste.xlsx"
    run = mitglieder(
        "--ordner", gruende.pfad, "--stichtag", "01.09.2026", "--json", "anrufliste", "--ausgabe", target
    )
    assert run.code == 0
    data = run.json()
    assert {k: data[k] for k in ("datei", "anrufer", "eintraege")} == {
        "datei": str(target),
        "anrufer": ["Anrufliste"],
        "eintraege": 4,
    }
    assert data["ausgelassen"]["kein_anruf"] == 2
    run = mitglieder("--ordner", gruende.pfad, "--stichtag", "01.09.2026", "anrufliste", "--ausgabe", target)
    assert run.code == 2
    assert run.err.splitlines()[0] == f"Fehler: {target} gibt es schon und wird nicht überschrieben."


def test_cli_usage_errors(mitglieder, gruende):
    base = ("--ordner", gruende.pfad, "--stichtag", "01.09.2026", "anrufliste")
    run = mitglieder(*base, "--anrufer", "Anna,Ben", "--anrufer-anzahl", "3")
    assert (run.code, run.err.splitlines()[0]) == (
        2,
        "Fehler: --anrufer nennt 2 Namen, --anrufer-anzahl sagt 3. Bitte nur eines angeben.",
    )
    run = mitglieder(*base, "--segment", "neu-ohne-kontakte")
    assert run.code == 2
    assert (
        run.err.splitlines()[0]
        == "Fehler: Das Segment „neu-ohne-kontakte“ gibt es nicht. Meinten Sie „neu-ohne-kontakt“?"
    )
    run = mitglieder(*base, "--ausgabe", "liste.csv")
    assert (run.code, run.err.splitlines()[0]) == (
        2,
        "Fehler: --ausgabe liste.csv: eine Anrufliste wird als .xlsx gespeichert.",
    )


def test_cli_nobody_to_call(mitglieder, tmp_path):
    folder = tmp_path / "niemand"
    bestand_anlegen(folder, [mitglied("1", "2026-08-01", telefon=None)])
    run = mitglieder("--ordner", folder, "--stichtag", "01.09.2026", "anrufliste")
    assert run.code == 0
    assert run.err.splitlines() == [
        "Segment „neu-ohne-kontakt“: 1 Mitglied, davon 0 auf der Anrufliste.",
        "  Nicht auf der Liste: 1 – 1 ohne Telefonnummer.",
        "Niemand zum Anrufen – es wurde keine Datei geschrieben.",
    ]


def test_cli_the_segments_warning_in_german_on_the_terminal_and_in_json(mitglieder, tmp_path):
    folder = tmp_path / "ohne-kontakte"
    bestand_anlegen(folder, [mitglied("1", "2020-08-01")])
    satz = (
        "Es wurden noch keine Kontakte erfasst (Briefe, Anrufe, Teilnahmen) – deshalb gilt hier jedes Mitglied als "
        "„ohne Kontakt“."
    )
    base = ("--ordner", folder, "--stichtag", "01.09.2026")
    run = mitglieder(*base, "--json", "anrufliste", "--segment", "ohne-kontakt")
    assert run.code == 0
    assert run.json()["warnungen"] == [satz]
    run = mitglieder(*base, "anrufliste", "--segment", "ohne-kontakt", "--ausgabe", tmp_path / "zweite.xlsx")
    assert run.code == 0
    assert run.err.splitlines()[:2] == [
        satz,
        "Segment „ohne-kontakt“: 1 Mitglied, davon 1 auf der Anrufliste.",
    ]


# --- paper: what a caller prints -----------------------------------------------------------------------------------


def test_a_callers_sheet_prints_as_a_grid_with_room_to_write(beispielbestand, liste):
    wb = openpyxl.load_workbook(liste.datei)
    ws = wb["Anna"]
    setup = ws.page_setup
    # one page wide (1 is the default Excel writes no attribute for), as many pages down as needed
    assert (setup.orientation, setup.paperSize, setup.fitToWidth or 1, setup.fitToHeight) == (
        "landscape",
        9,
        1,
        0,
    )
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$1:$1"  # the header row on every page
    assert ws.print_area == "'Anna'!$A$1:$P$" + str(liste.je_anrufer["Anna"] + 1)
    assert ws.oddHeader.left.text == "Anrufliste für Anna"
    assert ws.oddHeader.center.text == "Vertraulich – nur für die Telefonaktion"
    assert ws.oddHeader.right.text == "löschen bis 01.10.2026"
    assert ws.oddFooter.center.text == "Seite &P von &N"
    assert ws.oddFooter.left.text == "Liste vom 01.09.2026"
    letzte = liste.je_anrufer["Anna"] + 1
    for row in range(2, letzte + 1):
        assert ws.row_dimensions[row].height >= 27  # about a centimetre to write in
    # every cell of the table framed, the empty ones to fill in too: one rule over exactly the table
    [rahmen] = list(ws.conditional_formatting)
    assert str(rahmen.sqref) == f"A2:P{letzte}"
    [regel] = rahmen.rules
    assert regel.formula == ["TRUE"]
    assert {regel.dxf.border.left.style, regel.dxf.border.right.style, regel.dxf.border.top.style} == {"thin"}
    # Nr is centred, so "10" never runs into the member number beside it; phone numbers in DIN 5008 with a space
    assert ws.cell(11, 1).alignment.horizontal == "center" and ws.cell(11, 1).value == 10
    assert ws.cell(11, 2).alignment.horizontal == "left"
    telefone = [c.value for c in ws["H"][1:] + ws["I"][1:] if c.value]
    assert telefone and all(re.fullmatch(r"0\d{2,5} \d{3,}", t) for t in telefone)
    for blatt in ("Gesprächsleitfaden", "Datenschutz"):
        text = wb[blatt]
        assert text.page_setup.orientation == "portrait" and (text.page_setup.fitToWidth or 1) == 1
        assert text.oddHeader.center.text == "Vertraulich – nur für die Telefonaktion"
        assert text.column_dimensions["A"].width < 80  # fits an A4 page even where LibreOffice measures wider
        for row in text.iter_rows(min_row=2):
            zelle = row[0]
            if zelle.value:
                assert zelle.alignment.wrap_text
                noetig = -(-len(zelle.value) // 75)  # lines at no more than 75 characters each
                assert text.row_dimensions[zelle.row].height >= 13 * noetig, zelle.value


def fuellen(quelle, antworten):
    """Fill a call list in place as a caller does: by member number, into the columns by their header."""
    wb = openpyxl.load_workbook(quelle)
    for ws in wb.worksheets:
        kopf = [c.value for c in ws[1]]
        if "Mitgliedsnummer" not in kopf:
            continue
        for row in range(2, ws.max_row + 1):
            for spalte, wert in antworten.get(ws.cell(row, 2).value, {}).items():
                ws.cell(row, kopf.index(spalte) + 1, wert)
    wb.save(quelle)


def test_one_file_per_caller_holds_only_their_people_and_comes_back(gruende, tmp_path):
    from mitgliederarbeit.einlesen.importieren import importieren

    ziel = tmp_path / "listen"
    result = anrufliste.anrufliste(gruende, anrufer=["Anna,Ben"], ausgabe=ziel, je_anrufer_datei=True)
    assert result.datei == ziel
    assert [p.name for p in result.dateien] == [
        "anrufliste-2026-09-01-Anna.xlsx",
        "anrufliste-2026-09-01-Ben.xlsx",
    ]
    alle: list[str] = []
    for datei, name in zip(result.dateien, ("Anna", "Ben")):
        wb = openpyxl.load_workbook(datei)
        assert wb.sheetnames == [name, "Gesprächsleitfaden", "Datenschutz", "_mitgliederarbeit"]
        nummern = [r[1] for r in blatt_zeilen(datei, name)[1:]]
        assert len(nummern) == result.je_anrufer[name] == 2
        m = meta(datei)
        # the metadata names only this caller's sheet and people, under the list's one id
        assert m["liste"] == result.liste
        assert {k for k in m if k.startswith(("blatt.", "anrufer."))} == (
            {"blatt.1", "anrufer.1"} if name == "Anna" else {"blatt.2", "anrufer.2"}
        )
        assert sum(1 for k in m if k.startswith("m.")) == 2
        datenschutz = " ".join(r[0] for r in blatt_zeilen(datei, "Datenschutz") if r[0])
        assert f"Diese Datei enthält nur die Personen, die {name} anruft." in datenschutz
        assert "Blätter aller Anrufenden" not in datenschutz
        alle += nummern
    assert len(set(alle)) == 4  # nobody on both files
    # taken back: Anna's file alone, then both together (Anna's rows are not recorded twice)
    fuellen(result.dateien[0], {n: {"Ergebnis": "erreicht"} for n in alle})
    fuellen(result.dateien[1], {n: {"Ergebnis": "nicht erreicht"} for n in alle})
    spaeter = Arbeitsordner(gruende.pfad, date(2026, 9, 3))
    [erst] = importieren(spaeter, [result.dateien[0]])
    assert (erst.gelesen, erst.uebernommen, erst.abgelehnt) == (2, 2, 0)
    beide = importieren(spaeter, result.dateien)
    assert [r.uebernommen for r in beide] == [0, 2]
    store = speicher.oeffnen(gruende.pfad)
    try:
        log = store.conn.execute("SELECT anzahl, pfad FROM protokoll WHERE befehl = 'anrufliste'").fetchall()
    finally:
        store.close()
    assert [tuple(r) for r in log] == [(2, str(p)) for p in result.dateien]


def test_one_file_per_caller_names_that_look_alike_get_files_of_their_own(gruende, tmp_path):
    result = anrufliste.anrufliste(
        gruende, anrufer=["Anna/Ben,Anna-Ben"], ausgabe=tmp_path / "l", je_anrufer_datei=True
    )
    assert [p.name for p in result.dateien] == [
        "anrufliste-2026-09-01-Anna-Ben.xlsx",
        "anrufliste-2026-09-01-Anna-Ben-2.xlsx",
    ]


def test_one_file_per_caller_needs_a_folder(gruende, tmp_path):
    with pytest.raises(BedienFehler, match="mit --je-anrufer ist --ausgabe ein Ordner"):
        anrufliste.anrufliste(gruende, ausgabe=tmp_path / "liste.xlsx", je_anrufer_datei=True)
    ziel = tmp_path / "listen"
    anrufliste.anrufliste(gruende, anrufer=["Anna"], ausgabe=ziel, je_anrufer_datei=True)
    with pytest.raises(BedienFehler, match="anrufliste-2026-09-01-Anna.xlsx gibt es schon"):
        anrufliste.anrufliste(gruende, anrufer=["Anna"], ausgabe=ziel, je_anrufer_datei=True)


def test_cli_one_file_per_caller(mitglieder, gruende, tmp_path):
    ziel = tmp_path / "listen"
    run = mitglieder(
        "--ordner", gruende.pfad, "--stichtag", "01.09.2026", "anrufliste", "--anrufer", "Anna,Ben",
        "--je-anrufer", "--ausgabe", ziel,
    )  # fmt: skip
    assert run.code == 0, run.err
    assert run.err.splitlines()[-4:] == [
        f"Anruflisten, eine Datei je Anrufer*in, in {ziel}:",
        "  anrufliste-2026-09-01-Anna.xlsx",
        "  anrufliste-2026-09-01-Ben.xlsx",
        "Datenschutz: jeder Person nur ihre eigene Datei geben, bis spätestens 01.10.2026 löschen. Ausgefüllt "
        "zurück mit: mitglieder import DATEI …",
    ]


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (soffice) ist nicht installiert")
def test_printed_through_libreoffice_every_page_has_header_footer_and_nothing_is_cut(gruende, tmp_path):
    pdfplumber = pytest.importorskip("pdfplumber")
    result = anrufliste.anrufliste(gruende, anrufer=["Anna"], ausgabe=tmp_path / "l", je_anrufer_datei=True)
    [datei] = result.dateien
    subprocess.run(
        ["soffice", f"-env:UserInstallation={(tmp_path / 'profil').as_uri()}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(datei)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    with pdfplumber.open(tmp_path / (datei.stem + ".pdf")) as pdf:
        seiten = pdf.pages
        assert len(seiten) == 3  # the list, the call script, data protection
        for nummer, seite in enumerate(seiten, start=1):
            text = seite.extract_text()
            assert "Vertraulich – nur für die Telefonaktion" in text and "löschen bis 01.10.2026" in text
            assert f"Seite {nummer} von 3" in text
            woerter = seite.extract_words()
            assert all(w["x1"] <= seite.width - 10 for w in woerter), "Text am rechten Rand abgeschnitten"
            for i, a in enumerate(woerter):  # no two words (lines) printed over each other
                for b in woerter[i + 1 :]:
                    breit = min(a["x1"], b["x1"]) - max(a["x0"], b["x0"])
                    hoch = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
                    assert breit <= 0.5 or hoch <= 0.5, (a["text"], b["text"])
        liste_text = seiten[0].extract_words()
        nr = [w for w in liste_text if w["text"] == "1"]
        nummer = [w for w in liste_text if w["text"] == blatt_zeilen(datei, "Anna")[1][1]]
        assert nr and nummer and nummer[0]["x0"] - nr[0]["x1"] > 5  # Nr and Mitgliedsnummer apart
        assert "Anrufliste für Anna" in seiten[0].extract_text()
        assert "Ansprechpersonen und nächste Treffen" in seiten[1].extract_text()


def test_the_last_call_and_an_agreed_callback_are_on_the_list(gruende):
    store = speicher.oeffnen(gruende.pfad)
    try:
        with store.transaktion(sichern=False) as conn:
            conn.execute(
                "INSERT INTO kontakte (nr, art, datum, ergebnis, notiz, schluessel) VALUES "
                "('1', 'anruf', '2026-08-20', 'rueckruf', 'abends ab 18 Uhr', 't-r'), "
                "('10', 'anruf', '2026-08-24', 'nicht_erreicht', 'Mailbox, Stimme klang genervt', 't-n')"
            )
    finally:
        store.close()
    result = anrufliste.anrufliste(gruende)
    zeilen = {r[1]: r for r in blatt_zeilen(result.datei, "Anrufliste")[1:]}
    assert zeilen["1"][KOPF.index("Letzter Anruf")] == "20.08.2026: Rückruf vereinbart – abends ab 18 Uhr"
    # the latest call counts; a note goes along with an agreed callback only
    assert zeilen["10"][KOPF.index("Letzter Anruf")] == "25.08.2026: nicht erreicht"
    assert zeilen["12"][KOPF.index("Letzter Anruf")] is None  # never called
    spalte = openpyxl.load_workbook(result.datei)["Anrufliste"]["P2"]
    assert spalte.alignment.wrap_text  # a long note wraps in its cell instead of running off the page


def test_cli_one_protected_file_per_caller_opens_with_the_password_and_comes_back(
    mitglieder, gruende, tmp_path, monkeypatch
):
    """For e-mail or a USB stick: each caller's file protected as the Ortsverein packages are."""
    import io

    import msoffcrypto

    ziel = tmp_path / "listen"
    o = ("--ordner", gruende.pfad, "--stichtag", "01.09.2026")
    kurz = mitglieder(*o, "anrufliste", "--anrufer", "Anna,Ben", "--je-anrufer", "--passwort", "kurz")
    assert kurz.code == 2 and "mindestens 8" in kurz.err
    run = mitglieder(
        *o, "--json", "anrufliste", "--anrufer", "Anna,Ben", "--je-anrufer", "--ausgabe", ziel,
        "--passwort", "Telefon-2026",
    )  # fmt: skip
    assert run.code == 0, run.err
    dateien = sorted(ziel.glob("*.xlsx"))
    assert [d.name for d in dateien] == ["anrufliste-2026-09-01-Anna.xlsx", "anrufliste-2026-09-01-Ben.xlsx"]
    assert sorted(p.name for p in ziel.iterdir()) == [d.name for d in dateien]  # no plain copy beside them
    namen = set()
    for datei in dateien:
        with datei.open("rb") as f:
            office = msoffcrypto.OfficeFile(f)
            assert office.is_encrypted()
            with pytest.raises(Exception):  # noqa: B017 - the wrong password opens nothing
                office.load_key(password="falsch-falsch")
                office.decrypt(io.BytesIO())
        with pytest.raises(Exception):  # noqa: B017 - without the password openpyxl cannot read it
            openpyxl.load_workbook(datei)
        with datei.open("rb") as f:
            office = msoffcrypto.OfficeFile(f)
            office.load_key(password="Telefon-2026")
            klar = io.BytesIO()
            office.decrypt(klar)
        mappe = openpyxl.load_workbook(klar)
        namen.add(mappe.sheetnames[0])
        assert "Datenschutz" in mappe.sheetnames
    assert namen == {"Anna", "Ben"}
    # taken back with the password, as a package is
    zurueck = mitglieder("--ordner", gruende.pfad, "--stichtag", "02.09.2026", "import", dateien[0])
    assert zurueck.code == 1 and "Kennwort" in zurueck.err
    zurueck = mitglieder(
        "--ordner",
        gruende.pfad,
        "--stichtag",
        "02.09.2026",
        "import",
        dateien[0],
        "--passwort",
        "Telefon-2026",
    )
    assert zurueck.code == 0, zurueck.err
