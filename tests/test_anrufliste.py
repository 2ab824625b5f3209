"""Call lists: who is on them and why not, how they are split, and what the xlsx holds (and must not hold)."""

from __future__ import annotations

import gc
import re
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
        assert ws.auto_filter.ref.startswith("A1:O")
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
    assert "Wer die Liste sehen darf: Anna, Ben, Cem" in text
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
        '[organisation]\nname = "OV Beispiel"\n[anrufliste]\nleitfaden = "leitfaden.md"\n', encoding="utf-8"
    )
    ordner = Arbeitsordner(gruende.pfad, STICHTAG)
    result = anrufliste.anrufliste(ordner)
    assert [r[0] or "" for r in blatt_zeilen(result.datei, "Gesprächsleitfaden")] == [
        "Unser Leitfaden",
        "",
        "• Hallo von OV Beispiel!",
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
        "  Schon erreicht und daher nicht mehr im Segment: 1.",
        "  Verteilt auf 2 Blätter: Anna 2, Ben 2.",
        f"Anrufliste: {datei}",
        "Datenschutz: nur an die Anrufenden weitergeben, bis spätestens 01.10.2026 löschen. Ausgefüllt zurück "
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
