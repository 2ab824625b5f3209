"""A returned Ortsverein package as chairs really send it back: saved as CSV, corrected, columns deleted or
renamed, rows copied, placeholder words for "no Pat*in", an old round arriving late."""

from __future__ import annotations

import csv
import json
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from mitgliederarbeit.ausgaben import ortsvereine
from mitgliederarbeit.bestand import kontakte
from mitgliederarbeit.einlesen import paket
from mitgliederarbeit.ordner import Arbeitsordner

from .test_kontakte import abfrage, kontaktliste
from .test_ortsvereine import _anlegen, _paket, ausfuellen, zeilen
from .test_segmente import STICHTAG

E, P, PAT = "Erstkontakt (Monat 1)", "Parteibuch (Monat 3)", "Pat*in"


@pytest.fixture
def zwei_ov(tmp_path) -> Arbeitsordner:
    """Altstadt (members 1-5, Dora's Parteibuch on 10.07. recorded) and Neustadt (6, 7), as test_ortsvereine."""
    folder = tmp_path / "ub"
    _anlegen(folder)
    return Arbeitsordner(folder, STICHTAG)


def _ohne_verstecktes_blatt(quelle: Path, ziel: Path) -> Path:
    wb = openpyxl.load_workbook(quelle)
    for ws in list(wb.worksheets):
        if ws.sheet_state != "visible":
            wb.remove(ws)
    wb.save(ziel)
    return ziel


def _als_csv(quelle: Path, ziel: Path) -> Path:
    """What LibreOffice's "Speichern unter … CSV" keeps of a package: the first sheet, dates as text."""
    ws = openpyxl.load_workbook(quelle)["Neue Mitglieder"]
    with ziel.open("w", encoding="utf-8", newline="") as aus:
        schreiber = csv.writer(aus, delimiter=";")
        for row in ws.iter_rows(values_only=True):
            schreiber.writerow(
                ["" if v is None else v.strftime("%d.%m.%Y") if isinstance(v, datetime) else v for v in row]
            )
    return ziel


# --- 1. a package without its hidden sheet ---------------------------------------------------------------------


def test_package_saved_as_csv_or_without_its_hidden_sheet_is_refused(zwei_ov, tmp_path, mitglieder):
    result = ortsvereine.pakete(zwei_ov)
    gefuellt = ausfuellen(_paket(result, "Altstadt"), tmp_path / "gefuellt.xlsx", {"1": {E: "25.08.2026"}})
    csv_datei = _als_csv(gefuellt, tmp_path / "gefuellt.csv")
    ohne = _ohne_verstecktes_blatt(gefuellt, tmp_path / "ohne.xlsx")
    o = ("--ordner", zwei_ov.pfad, "--stichtag", "05.09.2026")
    vorher = abfrage(zwei_ov, "SELECT count(*) FROM mitglieder WHERE austrittsdatum IS NOT NULL")
    for datei, extra in ((csv_datei, ()), (csv_datei, ("--ortsverein", "Altstadt")), (ohne, ())):
        lauf = mitglieder(*o, "import", datei, *extra)
        assert lauf.code == 1, lauf.err
        assert (
            f"{datei.name}: das sieht aus wie ein Rückmeldepaket eines Ortsvereins ohne sein verstecktes "
            in (" ".join(lauf.err.split()))
        )
        assert "--ortsverein" not in lauf.err and "--spalte" not in lauf.err
        assert "xlsx-Datei so zurückschicken" in " ".join(lauf.err.split())
    assert abfrage(zwei_ov, "SELECT count(*) FROM mitglieder WHERE austrittsdatum IS NOT NULL") == vorher
    assert abfrage(zwei_ov, "SELECT count(*) FROM kontakte WHERE quelle LIKE 'Paket%'") == [(0,)]


@pytest.mark.parametrize(
    ("kopf", "paket_ohne_blatt"),
    [
        (["Mitgliedsnummer", "Vorname", "Fällig", "Erstkontakt (Monat 1)", "Pat*in", "Notiz"], True),
        (
            ["Fehler", "Zeile", "Mitgliedsnummer", "Vorname", "Erstkontakt (Monat 1)", "Pat*in"],
            True,
        ),  # error file
        (["Mitgliedsnummer", "Vorname", "Eintrittsdatum", "Ortsverein", "Notiz"], False),
        (["Mitgliedsnummer", "Vorname", "Eintrittsdatum", "Ortsverein", "Pate", "Notiz"], False),
        (
            ["Fehler", "Zeile", "Mitgliedsnummer", "Art", "Datum", "Pat*in"],
            False,
        ),  # a contact list's error file
    ],
)
def test_what_looks_like_a_package(kopf, paket_ohne_blatt):
    assert paket.sieht_aus_wie_paket([["Paket für den Ortsverein"], kopf]) is paket_ohne_blatt


def test_a_member_export_with_a_notes_column_is_no_package(zwei_ov, tmp_path, mitglieder):
    datei = tmp_path / "export.csv"
    datei.write_text(
        "Mitgliedsnummer;Vorname;Nachname;Eintrittsdatum;Ortsverein;Notiz\n"
        "1;Anna;Schmidt;20.08.2026;Altstadt;\n",
        encoding="utf-8",
    )
    lauf = mitglieder("--ordner", zwei_ov.pfad, "--stichtag", "05.09.2026", "import", "--trockenlauf", datei)
    assert "Rückmeldepaket" not in lauf.err


# --- 2. a pre-filled date corrected or cleared -----------------------------------------------------------------


def test_a_corrected_green_date_replaces_the_chairs_own_and_a_cleared_one_is_told(
    zwei_ov, tmp_path, mitglieder
):
    runde1 = ortsvereine.pakete(zwei_ov, ortsvereine=["Altstadt"])
    r1 = ausfuellen(
        runde1.pakete[0].datei, tmp_path / "r1.xlsx", {"1": {E: "25.08.2026"}, "2": {E: "20.08.2026"}}
    )
    assert mitglieder("--ordner", zwei_ov.pfad, "--stichtag", "02.09.2026", "import", r1).code == 0
    runde2 = ortsvereine.pakete(Arbeitsordner(zwei_ov.pfad, date(2026, 9, 3)), ortsvereine=["Altstadt"])
    gruen = {r[0]: r for r in zeilen(runde2.pakete[0].datei, "Neue Mitglieder")[1:]}
    assert (gruen["1"][7], gruen["2"][7], gruen["4"][8]) == (
        date(2026, 8, 25),
        date(2026, 8, 20),
        date(2026, 7, 10),
    )
    r2 = ausfuellen(
        runde2.pakete[0].datei,
        tmp_path / "r2.xlsx",
        # 1: the chair's own date corrected; 2: the chair's own date cleared; 4: a date from elsewhere changed
        {"1": {E: "26.08.2026"}, "2": {E: None}, "4": {P: "11.07.2026"}},
    )
    lauf = mitglieder("--ordner", zwei_ov.pfad, "--stichtag", "04.09.2026", "import", r2)
    assert lauf.code == 0, lauf.err
    zeilen_aus = [" ".join(z.split()) for z in lauf.err.splitlines()]
    assert (
        "Mitgliedsnummer 1, „Erstkontakt (Monat 1)“: 25.08.2026 berichtigt auf 26.08.2026 (der Eintrag aus "
        "einem früheren Paket wurde ersetzt)." in zeilen_aus
    )
    assert (
        "Mitgliedsnummer 2, „Erstkontakt (Monat 1)“: das vorausgefüllte Datum 20.08.2026 wurde geleert – der "
        "Eintrag aus einem früheren Paket wurde gelöscht (war das ein Versehen: mitglieder kontakt 2 gespraech "
        "--datum 20.08.2026)." in zeilen_aus
    )
    assert (
        "Mitgliedsnummer 4, „Parteibuch (Monat 3)“: das vorausgefüllte Datum 10.07.2026 wurde in 11.07.2026 "
        "geändert – nicht übernommen, denn es stammt nicht aus einem Paket (bitte klären)." in zeilen_aus
    )
    assert abfrage(
        zwei_ov, "SELECT nr, art, datum FROM kontakte WHERE nr IN ('1', '2', '4') ORDER BY nr, datum"
    ) == [
        ("1", "gespraech", "2026-08-26"),
        ("4", "parteibuch", "2026-07-10"),
    ]
    # the warnings are in the error file, with the member's row
    fehlerdatei = next(zwei_ov.ausgabe.glob("import-fehler-paket-*.xlsx"))
    warnungen = zeilen(fehlerdatei, "Warnungen")
    assert sorted(str(r[2]) for r in warnungen[1:]) == ["1", "2", "4"]
    # importing the same file again changes nothing more; the old round again does not bring 25.08. back
    assert mitglieder("--ordner", zwei_ov.pfad, "--stichtag", "04.09.2026", "import", r2).code == 0
    assert mitglieder("--ordner", zwei_ov.pfad, "--stichtag", "05.09.2026", "import", r1).code == 0
    assert abfrage(zwei_ov, "SELECT nr, datum FROM kontakte WHERE nr = '1'") == [("1", "2026-08-26")]


# --- 3. a step column deleted ----------------------------------------------------------------------------------


def test_a_deleted_step_column_does_not_count_its_kind_as_covered(zwei_ov, tmp_path, mitglieder):
    result = ortsvereine.pakete(zwei_ov, ortsvereine=["Altstadt"])
    wb = openpyxl.load_workbook(result.pakete[0].datei)
    ws = wb["Neue Mitglieder"]
    ws.delete_cols([c.value for c in ws[1]].index(P) + 1)
    ws.cell(2, [c.value for c in ws[1]].index(E) + 1, "25.08.2026")
    wb.save(tmp_path / "ohne.xlsx")
    lauf = mitglieder("--ordner", zwei_ov.pfad, "--stichtag", "02.09.2026", "import", tmp_path / "ohne.xlsx")
    assert lauf.code == 0, lauf.err
    [(arten,)] = abfrage(zwei_ov, "SELECT arten FROM importe WHERE art = 'paket'")
    assert "parteibuch" not in json.loads(arten)
    assert {"gespraech", "pate"} <= set(json.loads(arten))


# --- 4. placeholder words in "Pat*in" --------------------------------------------------------------------------

PLATZHALTER = ["keine", "noch offen", "?", "-", "—", "0", "k.A.", "N.N.", "x", "niemand", "offen", "–"]


@pytest.mark.parametrize("wort", PLATZHALTER)
def test_placeholder_words_are_no_pat_name(wort):
    assert kontakte.pate_name(wort) is None


def test_pat_names_stay_as_written():
    assert kontakte.pate_name("  Jana Beispiel ") == "Jana Beispiel"
    assert kontakte.pate_name("Kai") == "Kai"


def test_placeholders_in_the_pat_column_record_no_pat(zwei_ov, tmp_path, mitglieder):
    result = ortsvereine.pakete(zwei_ov)
    alt = ausfuellen(
        _paket(result, "Altstadt"),
        tmp_path / "a.xlsx",
        {"1": {PAT: "keine"}, "2": {PAT: "noch offen"}, "3": {PAT: "k.A."}, "4": {PAT: "Jana Beispiel"}},
    )
    neu = ausfuellen(_paket(result, "Neustadt"), tmp_path / "n.xlsx", {"6": {PAT: "N.N."}, "7": {PAT: "—"}})
    lauf = mitglieder("--ordner", zwei_ov.pfad, "--stichtag", "02.09.2026", "import", alt, neu)
    assert lauf.code == 0, lauf.err
    assert abfrage(zwei_ov, "SELECT nr, pate FROM kontakte WHERE art = 'pate'") == [("4", "Jana Beispiel")]
    assert (
        "  Ohne Pat*in gelesen (kein Name: „keine“, „noch offen“, „k.A.“): 3 Zeilen." in lauf.err.splitlines()
    )


def test_placeholder_in_a_contact_list_is_no_pat(zwei_ov, tmp_path, mitglieder):
    liste = kontaktliste(tmp_path / "liste.xlsx", [["1", None, None, "Patin", "25.08.2026", None, "keine"]])
    lauf = mitglieder("--ordner", zwei_ov.pfad, "--stichtag", "02.09.2026", "import", liste)
    assert lauf.code == 3, lauf.err
    assert abfrage(zwei_ov, "SELECT count(*) FROM kontakte WHERE art = 'pate'") == [(0,)]


# --- 5. an older package imported after a newer one ------------------------------------------------------------


def test_a_late_older_package_does_not_replace_the_newer_pat(zwei_ov, tmp_path, mitglieder):
    runde1 = ortsvereine.pakete(zwei_ov, ortsvereine=["Altstadt"])
    r1 = ausfuellen(
        runde1.pakete[0].datei, tmp_path / "r1.xlsx", {"1": {PAT: "Alte Patin", "Notiz": "alte Notiz"}}
    )
    runde2 = ortsvereine.pakete(Arbeitsordner(zwei_ov.pfad, date(2026, 9, 3)), ortsvereine=["Altstadt"])
    r2 = ausfuellen(
        runde2.pakete[0].datei, tmp_path / "r2.xlsx", {"1": {PAT: "Neue Patin", "Notiz": "neue Notiz"}}
    )
    assert mitglieder("--ordner", zwei_ov.pfad, "--stichtag", "04.09.2026", "import", r2).code == 0
    lauf = mitglieder("--ordner", zwei_ov.pfad, "--stichtag", "06.09.2026", "import", r1)
    assert lauf.code == 0, lauf.err
    assert abfrage(zwei_ov, "SELECT datum, pate FROM kontakte WHERE art = 'pate' ORDER BY datum") == [
        ("2026-09-01", "Alte Patin"),
        ("2026-09-03", "Neue Patin"),
    ]
    assert abfrage(zwei_ov, "SELECT datum, text FROM notizen ORDER BY datum") == [
        ("2026-09-01", "alte Notiz"),
        ("2026-09-03", "neue Notiz"),
    ]
    assert (
        "  Mitgliedsnummer 1: Pat*in „Alte Patin“ ist älter als die aktuelle „Neue Patin“ – als frühere "
        "Zuteilung erfasst." in lauf.err.splitlines()
    )
    naechstes = ortsvereine.pakete(Arbeitsordner(zwei_ov.pfad, date(2026, 9, 7)), ortsvereine=["Altstadt"])
    rows = {r[0]: r for r in zeilen(naechstes.pakete[0].datei, "Neue Mitglieder")[1:]}
    assert rows["1"][10:] == ["Neue Patin", "neue Notiz"]


# --- 6. the same member twice ----------------------------------------------------------------------------------


def test_a_repeated_number_rejects_both_rows(zwei_ov, tmp_path, mitglieder):
    result = ortsvereine.pakete(zwei_ov, ortsvereine=["Altstadt"])
    wb = openpyxl.load_workbook(result.pakete[0].datei)
    ws = wb["Neue Mitglieder"]
    kopf = [c.value for c in ws[1]]
    zeile = next(r for r in range(2, ws.max_row + 1) if str(ws.cell(r, 1).value) == "3")
    kopie = [c.value for c in ws[zeile]]
    ws.cell(zeile, kopf.index(E) + 1, "05.08.2026")
    ws.cell(zeile, kopf.index(PAT) + 1, "Erste Patin")
    kopie[kopf.index(E)], kopie[kopf.index(PAT)] = "20.08.2026", "Zweite Patin"
    ws.append(kopie)
    ws.cell(2 if zeile != 2 else 3, kopf.index(E) + 1, "30.08.2026")  # another member, taken
    wb.save(tmp_path / "doppelt.xlsx")
    lauf = mitglieder(
        "--ordner", zwei_ov.pfad, "--stichtag", "02.09.2026", "import", tmp_path / "doppelt.xlsx"
    )
    assert lauf.code == 3, lauf.err
    assert "  Abgelehnt: 2 Zeilen – 2 mit doppelter Mitgliedsnummer." in lauf.err.splitlines()
    assert abfrage(zwei_ov, "SELECT count(*) FROM kontakte WHERE nr = '3'") == [(0,)]
    assert abfrage(zwei_ov, "SELECT count(*) FROM kontakte WHERE quelle LIKE 'Paket%'") == [(1,)]
    abgelehnt = zeilen(next(zwei_ov.ausgabe.glob("import-fehler-paket-*.xlsx")), "Abgelehnt")
    letzte = ws.max_row
    assert [(r[0], r[1]) for r in abgelehnt[1:]] == [
        (f"Mitgliedsnummer 3 steht mehrfach im Paket (auch in Zeile {letzte}) – bitte zu einer Zeile "
         "zusammenfassen", zeile),
        (f"Mitgliedsnummer 3 steht mehrfach im Paket (auch in Zeile {zeile}) – bitte zu einer Zeile "
         "zusammenfassen", letzte),
    ]  # fmt: skip


# --- 7. a renamed step column ----------------------------------------------------------------------------------


def _umbenannt(quelle: Path, ziel: Path, neu: str, eintraege: dict[str, str]) -> Path:
    wb = openpyxl.load_workbook(quelle)
    ws = wb["Neue Mitglieder"]
    spalte = [c.value for c in ws[1]].index(E) + 1
    ws.cell(1, spalte, neu)
    for r in range(2, ws.max_row + 1):
        if str(ws.cell(r, 1).value) in eintraege:
            ws.cell(r, spalte, eintraege[str(ws.cell(r, 1).value)])
    wb.save(ziel)
    return ziel


def test_an_obviously_renamed_step_column_is_read(zwei_ov, tmp_path, mitglieder):
    result = ortsvereine.pakete(zwei_ov, ortsvereine=["Altstadt"])
    datei = _umbenannt(result.pakete[0].datei, tmp_path / "b.xlsx", "Erstkontakt am", {"1": "25.08.2026"})
    lauf = mitglieder("--ordner", zwei_ov.pfad, "--stichtag", "02.09.2026", "import", datei)
    assert lauf.code == 0, lauf.err
    assert "  Die Spalte „Erstkontakt am“ wurde als „Erstkontakt (Monat 1)“ gelesen." in lauf.err.splitlines()
    assert abfrage(zwei_ov, "SELECT nr, art, datum FROM kontakte WHERE nr = '1'") == [
        ("1", "gespraech", "2026-08-25")
    ]


def test_a_missing_step_column_beside_an_unknown_one_with_dates_stops(zwei_ov, tmp_path, mitglieder):
    result = ortsvereine.pakete(zwei_ov, ortsvereine=["Altstadt"])
    datei = _umbenannt(result.pakete[0].datei, tmp_path / "b.xlsx", "Besuch", {"1": "25.08.2026"})
    lauf = mitglieder("--ordner", zwei_ov.pfad, "--stichtag", "02.09.2026", "import", datei)
    assert lauf.code == 1, lauf.err
    assert (
        "b.xlsx: die Spalte „Erstkontakt (Monat 1)“ fehlt, dafür steht eine unbekannte Spalte „Besuch“ mit Daten "
        "darin; es wurde nichts geändert." in " ".join(lauf.err.split())
    )
    assert abfrage(zwei_ov, "SELECT count(*) FROM kontakte WHERE quelle LIKE 'Paket%'") == [(0,)]


# --- a phone number the chair corrected --------------------------------------------------------------------------


def test_a_corrected_phone_number_in_a_package_is_told_not_taken(zwei_ov, tmp_path, mitglieder):
    result = ortsvereine.pakete(zwei_ov)
    vorher = abfrage(zwei_ov, "SELECT nr, telefon, mobil FROM mitglieder ORDER BY nr")
    gefuellt = ausfuellen(
        _paket(result, "Altstadt"),
        tmp_path / "gefuellt.xlsx",
        {
            "1": {E: "25.08.2026", "Telefon": "0351 7654321"},  # filled in and a new number
            "2": {"Mobil": "+43 664 1234567"},  # only the number changed (and it starts with "+": no formula)
            "3": {"Mobil": ("formel", '=HYPERLINK("x")')},  # a formula there is ignored, as before
        },
    )
    lauf = mitglieder("--ordner", zwei_ov.pfad, "--stichtag", "05.09.2026", "--json", "import", gefuellt)
    assert lauf.code == 0, lauf.err
    hinweise = json.loads(lauf.out)["hinweise"]
    assert [h.split(":", 1)[1].strip() for h in hinweise if "nicht übernommen, bitte in der" in h] == [
        "Telefon im Paket „0351 7654321“, im Datenbestand „0351 1234567“ – nicht übernommen, bitte in der "
        "Mitgliederverwaltung ändern",
        "Mobil im Paket „+43 664 1234567“, im Datenbestand „0171 1234567“ – nicht übernommen, bitte in der "
        "Mitgliederverwaltung ändern",
    ]
    assert abfrage(zwei_ov, "SELECT nr, telefon, mobil FROM mitglieder ORDER BY nr") == vorher
    assert abfrage(zwei_ov, "SELECT count(*) FROM kontakte WHERE nr = '1' AND quelle LIKE 'Paket%'") == [(1,)]
