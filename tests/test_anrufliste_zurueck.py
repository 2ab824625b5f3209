"""A returned call list, the ways a volunteer really sends it back: twice in two formats, dates without a year, a
corrected phone number, a list from another working folder."""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from mitgliederarbeit.ausgaben import anrufliste
from mitgliederarbeit.einlesen.anrufliste import datum_lesen
from mitgliederarbeit.ordner import Arbeitsordner

from .test_rueckmeldung import abfrage, ausfuellen, blatt
from .test_segmente import STICHTAG, bestand_anlegen, mitglied


@pytest.fixture
def liste(tmp_path) -> tuple[Arbeitsordner, Path]:
    """Four new members and a call list of 01.09.2026 for Anna (members 1, 2) and Ben (3, 4)."""
    folder = tmp_path / "arbeit"
    bestand_anlegen(
        folder,
        [
            mitglied("1", "2026-08-01"),
            mitglied("2", "2026-08-02", telefon="+4935199887766", mobil="+491711111111"),
            mitglied("3", "2026-08-03", ortsverein="Neustadt"),
            mitglied("4", "2026-08-04", ortsverein="Neustadt"),
        ],
    )
    ordner = Arbeitsordner(folder, STICHTAG)
    datei = anrufliste.anrufliste(ordner, anrufer=["Anna,Ben"]).datei
    assert [r[1] for r in blatt(datei, "Anna")[1:]] == ["2", "1"]
    return ordner, datei


def als_csv(xlsx: Path, name: str, ziel: Path) -> Path:
    """One sheet saved as CSV the way LibreOffice's "Speichern unter" does: the hidden sheet is lost, a date cell
    becomes the text shown."""
    with ziel.open("w", newline="", encoding="utf-8") as f:
        schreiber = csv.writer(f, delimiter=";")
        for row in blatt(xlsx, name):
            schreiber.writerow(
                [
                    v.strftime("%d.%m.%Y") if isinstance(v, datetime | date) else ("" if v is None else v)
                    for v in row
                ]
            )
    return ziel


def anrufe(ordner: Arbeitsordner) -> list[tuple]:
    return abfrage(
        ordner, "SELECT nr, datum, ergebnis FROM kontakte WHERE art = 'anruf' ORDER BY nr, datum, id"
    )


# --- 1. one call, wherever it comes from -----------------------------------------------------------------------


def test_the_same_list_as_xlsx_and_then_as_csv_records_each_call_once(liste, tmp_path, mitglieder):
    ordner, datei = liste
    zurueck = ausfuellen(
        datei,
        tmp_path / "anna.xlsx",
        {
            "1": {"Ergebnis": "nicht erreicht", "Datum": date(2026, 9, 2)},
            "2": {"Ergebnis": "erreicht", "Datum": "3.9.", "Notiz": "freut sich"},
        },
    )
    o = ("--ordner", ordner.pfad, "--stichtag", "05.09.2026")
    assert mitglieder(*o, "import", zurueck).code == 0
    vorher = anrufe(ordner)
    assert vorher == [("1", "2026-09-02", "nicht_erreicht"), ("2", "2026-09-03", "erreicht")]

    run = mitglieder(*o, "import", als_csv(zurueck, "Anna", tmp_path / "anna.csv"))
    assert (run.code, run.err.strip()) == (0, "anna.csv: wurde bereits importiert – nichts geändert.")
    assert anrufe(ordner) == vorher


def test_a_call_recorded_by_hand_is_not_counted_again_from_the_list(liste, tmp_path, mitglieder):
    ordner, datei = liste
    o = ("--ordner", ordner.pfad, "--stichtag", "05.09.2026")
    assert mitglieder(*o, "kontakt", "2", "Anruf", "--datum", "03.09.2026").code == 0
    zurueck = ausfuellen(datei, tmp_path / "z.xlsx", {"2": {"Ergebnis": "erreicht", "Datum": "03.09.2026"}})
    run = mitglieder(*o, "import", zurueck)
    assert (run.code, run.err.strip()) == (0, "z.xlsx: wurde bereits importiert – nichts geändert.")
    assert anrufe(ordner) == [("2", "2026-09-03", "erreicht")]


def test_two_calls_on_one_day_with_different_results_are_two_calls(liste, tmp_path, mitglieder):
    ordner, datei = liste
    o = ("--ordner", ordner.pfad, "--stichtag", "05.09.2026")
    morgens = ausfuellen(datei, tmp_path / "morgens.xlsx", {"1": {"Ergebnis": "AB", "Datum": "02.09.2026"}})
    assert mitglieder(*o, "import", morgens).code == 0
    abends = ausfuellen(
        datei, tmp_path / "abends.xlsx", {"1": {"Ergebnis": "erreicht", "Datum": "02.09.2026"}}
    )
    run = mitglieder(*o, "import", abends)
    assert run.code == 0
    assert "  Übernommene Anrufe: 1 – 1 erreicht." in run.err.splitlines()
    assert anrufe(ordner) == [("1", "2026-09-02", "nicht_erreicht"), ("1", "2026-09-02", "erreicht")]


def test_two_failed_attempts_sent_back_twice_are_two_attempts_not_four(liste, tmp_path, mitglieder):
    """The tester's consequence: a member with two real attempts must not be left out for max_versuche (3)."""
    ordner, datei = liste
    for runde, tag in enumerate(("02.09.2026", "09.09.2026"), start=1):
        o = ("--ordner", ordner.pfad, "--stichtag", tag)
        zurueck = ausfuellen(datei, tmp_path / f"r{runde}.xlsx", {"1": {"Ergebnis": "NE", "Datum": tag}})
        assert mitglieder(*o, "import", zurueck).code == 0
        assert mitglieder(*o, "import", als_csv(zurueck, "Anna", tmp_path / f"r{runde}.csv")).code == 0
    run = mitglieder("--ordner", ordner.pfad, "--stichtag", "17.09.2026", "--json", "anrufliste")
    assert run.code == 0
    assert "max_versuche" not in run.json()["ausgelassen"]
    assert [r[9] for r in blatt(Path(run.json()["datei"]), "Anrufliste")[1:] if r[1] == "1"] == [2]


# --- 2. a day without a year -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("geschrieben", "liste_vom", "tag"),
    [
        ("17.9.", date(2026, 9, 30), date(2026, 9, 17)),  # the tester's: not 17.09.2027
        ("17.9", date(2026, 9, 30), date(2026, 9, 17)),
        ("3.10.", date(2026, 9, 30), date(2026, 10, 3)),
        ("5.1.", date(2026, 12, 15), date(2027, 1, 5)),  # over the turn of the year
        ("28.12.", date(2027, 1, 10), date(2026, 12, 28)),  # back over it
        ("31.12.", date(2026, 12, 31), date(2026, 12, 31)),
        ("1.1.", date(2026, 12, 31), date(2027, 1, 1)),
        ("15.6.", date(2026, 12, 15), date(2027, 6, 15)),  # 182 days after, not 183 before
        ("16.6.", date(2026, 12, 15), date(2026, 6, 16)),  # 182 days before, not 183 after
        ("29.2.", date(2028, 1, 20), date(2028, 2, 29)),
    ],
)
def test_a_day_without_a_year_is_the_one_nearest_to_the_list(geschrieben, liste_vom, tag):
    assert datum_lesen(geschrieben, liste_vom) == tag


@pytest.mark.parametrize("geschrieben", ["29.2.", "31.9.", "0.5.", "12.13."])
def test_a_day_without_a_year_that_exists_in_no_near_year_is_refused(geschrieben):
    from mitgliederarbeit.datum import UngueltigesDatum

    with pytest.raises(UngueltigesDatum, match="kein gültiges Datum"):
        datum_lesen(geschrieben, date(2026, 9, 30))


def test_a_reached_member_with_a_day_before_the_list_leaves_the_segment(liste, tmp_path, mitglieder):
    ordner, datei = liste  # the list of 01.09.2026; the caller reached member 2 already on 31 August
    zurueck = ausfuellen(datei, tmp_path / "z.xlsx", {"2": {"Ergebnis": "erreicht", "Datum": "31.8."}})
    o = ("--ordner", ordner.pfad, "--stichtag", "05.09.2026")
    run = mitglieder(*o, "import", zurueck)
    assert run.code == 0
    assert "Mit Datum nach dem Stichtag" not in run.err
    assert anrufe(ordner) == [("2", "2026-08-31", "erreicht")]
    run = mitglieder(*o, "--json", "segmente", "neu-ohne-kontakt")
    assert "2" not in {m["mitgliedsnummer"] for m in run.json()["mitglieder"]}


@pytest.mark.parametrize("als", ["xlsx", "csv"])
def test_a_list_of_december_filled_in_january(tmp_path, mitglieder, als):
    """As xlsx the list's own day (15.12.) decides; as CSV, without the hidden sheet, the import's (10.01.)."""
    folder = tmp_path / "winter"
    bestand_anlegen(folder, [mitglied("1", "2026-11-20"), mitglied("2", "2026-11-21")])
    datei = anrufliste.anrufliste(Arbeitsordner(folder, date(2026, 12, 15)), anrufer=["Anna"]).datei
    zurueck = ausfuellen(
        datei,
        tmp_path / "anna.xlsx",
        {"1": {"Ergebnis": "erreicht", "Datum": "5.1."}, "2": {"Ergebnis": "NE", "Datum": "18.12."}},
    )
    if als == "csv":
        zurueck = als_csv(zurueck, "Anna", tmp_path / "anna.csv")
    run = mitglieder("--ordner", folder, "--stichtag", "10.01.2027", "import", zurueck)
    assert run.code == 0
    assert "Mit Datum nach dem Stichtag" not in run.err
    assert abfrage(
        Arbeitsordner(folder, date(2027, 1, 10)), "SELECT nr, datum FROM kontakte ORDER BY nr"
    ) == [
        ("1", "2027-01-05"),
        ("2", "2026-12-18"),
    ]


# --- 3. a phone number corrected on the list --------------------------------------------------------------------


def test_a_number_corrected_on_the_list_is_named_in_the_summary(liste, tmp_path, mitglieder):
    ordner, datei = liste
    assert [r[7:9] for r in blatt(datei, "Anna")[1:] if r[1] == "2"] == [["0351 99887766", "0171 1111111"]]
    zurueck = ausfuellen(
        datei,
        tmp_path / "z.xlsx",
        {
            "2": {"Ergebnis": "erreicht", "Telefon": "0351 2223334", "Notiz": "neue Nummer"},
            "1": {"Ergebnis": "NE", "Telefon": "+49 351 1234567"},  # the same number, written another way
            "3": {"Ergebnis": "erreicht", "Mobil": 1715556667},  # Excel made the number a number
        },
    )
    o = ("--ordner", ordner.pfad, "--stichtag", "05.09.2026")
    run = mitglieder(*o, "import", zurueck)
    assert run.code == 0
    lines = run.err.splitlines()
    i = lines.index(
        "  Andere Telefonnummer auf der Liste als im Datenbestand (nicht übernommen – bitte in der "
        "Mitgliederverwaltung ändern, der nächste Export bringt sie mit): 2."
    )
    assert lines[i + 1 : i + 3] == [
        "    2 Vorname2 Nachname2: Telefon 0351 2223334",
        "    3 Vorname3 Nachname3: Mobil 1715556667",
    ]
    # the store keeps what the Mitgliederverwaltung exported
    assert abfrage(
        ordner, "SELECT nr, telefon, mobil FROM mitglieder WHERE nr IN ('2', '3') ORDER BY nr"
    ) == [
        ("2", "+4935199887766", "+491711111111"),
        ("3", "+493511234567", None),
    ]
    run = mitglieder(*o, "--json", "import", als_csv(zurueck, "Anna", tmp_path / "z.csv"))
    assert run.json()["bereits_importiert"] is True


def test_corrected_numbers_in_the_json(liste, tmp_path, mitglieder):
    ordner, datei = liste
    zurueck = ausfuellen(datei, tmp_path / "z.xlsx", {"2": {"Ergebnis": "erreicht", "Mobil": "0171 2223334"}})
    run = mitglieder("--ordner", ordner.pfad, "--stichtag", "05.09.2026", "--json", "import", zurueck)
    assert run.json()["nummern_geaendert"] == [
        {"mitgliedsnummer": "2", "name": "Vorname2 Nachname2", "feld": "mobil", "nummer": "0171 2223334"}
    ]


# --- 5. a list from another working folder ----------------------------------------------------------------------


def meta_ohne(datei: Path, schluessel: str) -> Path:
    """The list as an older version wrote it: without this key in its hidden sheet."""
    wb = openpyxl.load_workbook(datei)
    ws = wb["_mitgliederarbeit"]
    for row in range(ws.max_row, 0, -1):
        if ws.cell(row, 1).value == schluessel:
            ws.delete_rows(row)
    wb.save(datei)
    return datei


def anderer_ordner(tmp_path: Path, nummern: tuple[str, ...]) -> Arbeitsordner:
    folder = tmp_path / "anderer"
    bestand_anlegen(folder, [mitglied(n, "2026-08-01") for n in nummern])
    return Arbeitsordner(folder, STICHTAG)


def unveraendert(ordner: Arbeitsordner) -> tuple:
    return (
        abfrage(ordner, "SELECT count(*) FROM kontakte"),
        abfrage(ordner, "SELECT count(*) FROM importe"),
        sorted(p.name for p in (ordner.pfad / "ausgabe").glob("import-fehler-*")),
    )


@pytest.mark.parametrize(
    ("nummern", "fehlen"),
    [(("71", "72"), "keines ihrer 4 Mitglieder ist"), (("1", "2", "71"), "2 ihrer 4 Mitglieder sind nicht")],
)
def test_a_list_from_another_working_folder_is_refused(liste, tmp_path, mitglieder, nummern, fehlen):
    """Other members, or only some of the same: nothing is recorded, and nothing is copied into an error file."""
    _, datei = liste
    zurueck = ausfuellen(datei, tmp_path / "z.xlsx", {"1": {"Ergebnis": "erreicht"}, "3": {"Ergebnis": "NE"}})
    fremd = anderer_ordner(tmp_path, nummern)
    vorher = unveraendert(fremd)
    run = mitglieder("--ordner", fremd.pfad, "--stichtag", "05.09.2026", "import", zurueck)
    assert run.code == 1
    assert run.err.splitlines() == [
        f"Fehler: z.xlsx: diese Anrufliste stammt aus einem anderen Arbeitsordner, und {fehlen} hier im "
        "Datenbestand; sie wird nicht übernommen, es wurde nichts geändert.",
        "Bitte in dem Arbeitsordner importieren, in dem sie mit „mitglieder anrufliste“ geschrieben wurde.",
    ]
    assert unveraendert(fremd) == vorher


def test_a_list_from_a_second_folder_with_the_same_members_is_taken_and_says_so(liste, tmp_path, mitglieder):
    """Like the README's tour: the demo's list, imported into a practice folder built from the same exports."""
    _, datei = liste
    zurueck = ausfuellen(datei, tmp_path / "z.xlsx", {"1": {"Ergebnis": "erreicht"}, "3": {"Ergebnis": "NE"}})
    zweiter = anderer_ordner(tmp_path, ("1", "2", "3", "4", "5"))
    run = mitglieder("--ordner", zweiter.pfad, "--stichtag", "05.09.2026", "import", zurueck)
    assert run.code == 0
    assert run.err.splitlines()[1] == (
        "  Die Liste wurde in einem anderen Arbeitsordner geschrieben; alle ihre Mitglieder sind auch in diesem."
    )
    assert anrufe(zweiter) == [("1", "2026-09-05", "erreicht"), ("3", "2026-09-05", "nicht_erreicht")]


@pytest.mark.parametrize("als", ["xlsx ohne Kennung", "csv"])
def test_an_older_list_or_a_csv_from_another_folder_none_of_whose_members_is_known(
    liste, tmp_path, mitglieder, als
):
    _, datei = liste
    zurueck = ausfuellen(datei, tmp_path / "z.xlsx", {"1": {"Ergebnis": "erreicht"}, "2": {"Ergebnis": "NE"}})
    zurueck = (
        meta_ohne(zurueck, "bestand")
        if als == "xlsx ohne Kennung"
        else als_csv(zurueck, "Anna", tmp_path / "z.csv")
    )
    fremd = anderer_ordner(tmp_path, ("71", "72"))
    vorher = unveraendert(fremd)
    run = mitglieder("--ordner", fremd.pfad, "--stichtag", "05.09.2026", "import", zurueck)
    assert run.code == 1
    assert run.err.splitlines()[0] == (
        f"Fehler: {zurueck.name}: keine der {2 if als == 'csv' else 4} Mitgliedsnummern dieser Anrufliste ist im Datenbestand – sie stammt "
        "wohl aus einem anderen Arbeitsordner und wird nicht übernommen; es wurde nichts geändert."
    )
    assert unveraendert(fremd) == vorher


def test_an_older_list_of_this_folder_and_a_single_unknown_number_are_still_taken(
    liste, tmp_path, mitglieder
):
    ordner, datei = liste
    zurueck = meta_ohne(ausfuellen(datei, tmp_path / "z.xlsx", {"1": {"Ergebnis": "erreicht"}}), "bestand")
    run = mitglieder("--ordner", ordner.pfad, "--stichtag", "05.09.2026", "import", zurueck)
    assert run.code == 0, run.err
    assert anrufe(ordner) == [("1", "2026-09-05", "erreicht")]
    # one row with a mistyped number is a row to fix, not a foreign list
    csv_datei = tmp_path / "eine.csv"
    csv_datei.write_text("Mitgliedsnummer;Ergebnis;Datum\n999;erreicht;04.09.2026\n", encoding="utf-8")
    run = mitglieder("--ordner", ordner.pfad, "--stichtag", "05.09.2026", "import", csv_datei)
    assert run.code == 3
    assert "  Zeile 2: Mitgliedsnummer 999 ist nicht im Datenbestand (Blatt „eine“)" in run.err.splitlines()
