"""Recording contacts: the kinds by their German words, ``mitglieder kontakt``, and a contact list."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mitgliederarbeit.bestand import kontakte, speicher
from mitgliederarbeit.config import KONTAKTARTEN
from mitgliederarbeit.einlesen import kontakte as einlesen_kontakte
from mitgliederarbeit.einlesen.importieren import importieren
from mitgliederarbeit.errors import BedienFehler, EingabeFehler
from mitgliederarbeit.ordner import Arbeitsordner

from .test_segmente import STICHTAG, bestand_anlegen, mitglied


def abfrage(ordner: Arbeitsordner, sql: str, *args: object) -> list[tuple]:
    store = speicher.oeffnen(ordner.pfad)
    try:
        return [tuple(r) for r in store.conn.execute(sql, args).fetchall()]
    finally:
        store.close()


KONTAKTE_SQL = "SELECT nr, art, datum, ergebnis, notiz, pate, veranstaltung, quelle FROM kontakte ORDER BY id"


@pytest.fixture
def klein(tmp_path) -> Arbeitsordner:
    """Four members of two Ortsvereine (two namesakes), Stichtag 01.09.2026."""
    folder = tmp_path / "klein"
    bestand_anlegen(
        folder,
        [
            mitglied("1", "2026-07-01", vorname="Anna", nachname="Schmidt"),
            mitglied("2", "2026-07-15", vorname="Anna", nachname="Schmidt", ortsverein="Neustadt"),
            mitglied("3", "2026-08-01", vorname="Ben", nachname="Meier"),
            mitglied("4", "2020-01-01", vorname="Cem", nachname="Yilmaz", austrittsdatum="2026-08-01"),
        ],
    )
    return Arbeitsordner(folder, STICHTAG)


# --- the words -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("wort", "art"),
    [
        ("Parteibuch übergeben", "parteibuch"),
        ("parteibuch uebergeben.", "parteibuch"),
        ("PARTEIBUCH", "parteibuch"),
        ("Parteibuchübergabe", "parteibuch"),
        ("Gespräch", "gespraech"),
        ("Gespraech", "gespraech"),
        ("Hausbesuch", "gespraech"),
        ("Besuch", "gespraech"),
        ("Treffen", "gespraech"),
        ("Pate", "pate"),
        ("Patin", "pate"),
        ("Pat*in", "pate"),
        ("Pat:in", "pate"),
        ("E-Mail", "email"),
        ("email", "email"),
        ("Brief", "brief"),
        ("Anruf erreicht", "anruf_erreicht"),
        ("anruf_erreicht", "anruf_erreicht"),
        ("Anruf", "anruf_erreicht"),
        ("Neumitgliederabend", "teilnahme"),
        ("teilnahme", "teilnahme"),
    ],
)
def test_german_words_name_the_kinds(wort, art):
    assert kontakte.art_erkennen(wort) == art


@pytest.mark.parametrize("wort", ["Kaffee", "", None, "nicht erreicht", "Parteibuch vergessen"])
def test_unknown_words_are_not_guessed(wort):
    assert kontakte.art_erkennen(wort) is None


def test_every_kind_of_the_standard_can_be_recorded_by_kontakt_or_a_list():
    """Every kind a step may name has a word of its own; only "anruf" (any result) comes from call lists."""
    aufnehmbar = {kontakte.art_erkennen(art) for art in KONTAKTARTEN}
    assert set(KONTAKTARTEN) - aufnehmbar == {"anruf"}
    assert kontakte.art_erkennen("anruf") == "anruf_erreicht"


# --- mitglieder kontakt (core) -------------------------------------------------------------------------------------


def test_one_parteibuch_is_stored_exactly_and_only_once(klein):
    erst = einlesen_kontakte.kontakt(klein, "0001", "Parteibuch übergeben")
    assert (erst.erfasst, erst.art, erst.datum, erst.name) == (True, "parteibuch", STICHTAG, "Anna Schmidt")
    zweit = einlesen_kontakte.kontakt(klein, "1", "parteibuch")
    assert zweit.erfasst is False
    assert abfrage(klein, KONTAKTE_SQL) == [
        ("1", "parteibuch", "2026-09-01", None, None, None, None, "mitglieder kontakt")
    ]


def test_reached_call_pate_and_note(klein):
    einlesen_kontakte.kontakt(klein, "3", "Telefonat", datum=date(2026, 8, 20), notiz="ruft zurück")
    einlesen_kontakte.kontakt(klein, "3", "Patin", pate="Jana Beispiel", datum=date(2026, 8, 21))
    wechsel = einlesen_kontakte.kontakt(klein, "3", "pate", pate="Kai Muster", datum=date(2026, 8, 25))
    gleich = einlesen_kontakte.kontakt(klein, "3", "pate", pate="kai muster", datum=date(2026, 8, 30))
    assert wechsel.pate_vorher == "Jana Beispiel"
    assert gleich.erfasst is False  # the member's Pat*in already
    assert abfrage(klein, KONTAKTE_SQL) == [
        ("3", "anruf", "2026-08-20", "erreicht", "ruft zurück", None, None, "mitglieder kontakt"),
        ("3", "pate", "2026-08-21", None, None, "Jana Beispiel", None, "mitglieder kontakt"),
        ("3", "pate", "2026-08-25", None, None, "Kai Muster", None, "mitglieder kontakt"),
    ]
    store = speicher.oeffnen(klein.pfad)
    try:
        assert kontakte.pate_von(store.conn, "3") == "Kai Muster"
    finally:
        store.close()


def test_wrong_usage_changes_nothing(klein):
    with pytest.raises(BedienFehler, match="Kontaktart „Kaffee“ gibt es nicht"):
        einlesen_kontakte.kontakt(klein, "1", "Kaffee")
    with pytest.raises(BedienFehler, match="--pate NAME"):
        einlesen_kontakte.kontakt(klein, "1", "pate")
    with pytest.raises(BedienFehler, match="--pate passt nur zur Art „pate“"):
        einlesen_kontakte.kontakt(klein, "1", "gespraech", pate="Jana")
    with pytest.raises(EingabeFehler, match="Mitgliedsnummer 99 ist nicht im Datenbestand"):
        einlesen_kontakte.kontakt(klein, "99", "gespraech")
    assert abfrage(klein, KONTAKTE_SQL) == []


# --- mitglieder kontakt (CLI) --------------------------------------------------------------------------------------


def test_cli_kontakt_lines_and_exit_codes(klein, mitglieder):
    o = ("--ordner", klein.pfad, "--stichtag", "01.09.2026")
    lauf = mitglieder(*o, "kontakt", "1", "Parteibuch übergeben")
    assert lauf.code == 0
    assert lauf.err.splitlines() == [
        "Erfasst: Parteibuch übergeben am 01.09.2026 für 1 Anna Schmidt (Ortsverein Altstadt)."
    ]
    lauf = mitglieder(*o, "kontakt", "1", "parteibuch")
    assert lauf.code == 0
    assert lauf.err.splitlines() == [
        "Schon erfasst: Parteibuch übergeben am 01.09.2026 für 1 Anna Schmidt (Ortsverein Altstadt) – nichts "
        "geändert."
    ]
    lauf = mitglieder(*o, "kontakt", "3", "Hausbesuch", "--datum", "05.09.2026")
    assert lauf.code == 0
    assert lauf.err.splitlines() == [
        "Erfasst: Gespräch oder Besuch am 05.09.2026 für 3 Ben Meier (Ortsverein Altstadt).",
        "  Das Datum liegt nach dem Stichtag (01.09.2026): der Kontakt zählt erst ab dem 05.09.2026.",
    ]
    lauf = mitglieder(*o, "kontakt", "3", "Kaffee")
    assert lauf.code == 2
    assert lauf.err.splitlines()[0] == "Fehler: Die Kontaktart „Kaffee“ gibt es nicht."
    assert "parteibuch („Parteibuch übergeben“)" in lauf.err
    lauf = mitglieder(*o, "kontakt", "99", "parteibuch")
    assert lauf.code == 1
    assert (
        lauf.err.splitlines()[0]
        == "Fehler: Mitgliedsnummer 99 ist nicht im Datenbestand; es wurde nichts erfasst."
    )
    lauf = mitglieder(
        *o, "--json", "kontakt", "4", "pate", "--pate", "Jana Beispiel", "--datum", "2026-07-01"
    )
    assert lauf.code == 0
    assert lauf.json() == {
        "mitgliedsnummer": "4",
        "ortsverein": "Altstadt",
        "art": "pate",
        "datum": "2026-07-01",
        "notiz": None,
        "pate": "Jana Beispiel",
        "erfasst": True,
        "bereits_erfasst": False,
        "nach_stichtag": False,
        "vor_eintritt": False,
        "ausgetreten": "2026-08-01",
        "pate_vorher": None,
    }
    assert len(abfrage(klein, KONTAKTE_SQL)) == 3
    lauf = mitglieder(*o, "kontakt", "3", "E-Mail", "--datum", "01.07.2026", "--notiz", "Willkommensmail")
    assert lauf.code == 0
    assert lauf.err.splitlines() == [
        "Erfasst: E-Mail am 01.07.2026 für 3 Ben Meier (Ortsverein Altstadt).",
        "  Notiz: Willkommensmail",
        "  Das Datum liegt vor dem Eintritt (01.08.2026): der Kontakt zählt für keinen Schritt des Standards.",
    ]


# --- a contact list ------------------------------------------------------------------------------------------------


def kontaktliste(path: Path, zeilen: list[list[object]], kopf: list[str] | None = None) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Kontakte Ortsverein Altstadt"])
    ws.append(kopf or ["Mitgliedsnummer", "Vorname", "Nachname", "Art", "Datum", "Notiz", "Pat*in"])
    for z in zeilen:
        ws.append(z)
    wb.save(path)
    return path


def test_contact_list_rows_rejected_by_row_then_fixed(klein, tmp_path, mitglieder):
    datei = kontaktliste(
        tmp_path / "kontakte.xlsx",
        [
            ["1", None, None, "Parteibuch übergeben", date(2026, 8, 3), "beim Stammtisch", None],  # row 3
            [None, "Ben", "Meier", "Hausbesuch", "3.5.", None, None],  # 4: by name, the last 3 May
            [None, "Anna", "Schmidt", "Gespräch", "20.08.2026", None, None],  # 5: two of them: not guessed
            ["3", None, None, "Kaffee trinken", "21.08.2026", None, None],  # 6: unknown word
            ["77", None, None, "Gespräch", "21.08.2026", None, None],  # 7: unknown number
            ["3", None, None, "E-Mail", "31.02.2026", None, None],  # 8: no date
            ["3", None, None, "Pat*in", "22.08.2026", None, "Jana Beispiel"],  # 9
            ["3", None, None, "Brief", "23.08.2026", '=HYPERLINK("x")', None],  # 10: a formula
            ["4", None, None, "Anruf", "02.08.2026", None, None],  # 11: left on 01.08.: a warning
            [],
        ],
    )
    o = ("--ordner", klein.pfad, "--stichtag", "01.09.2026")
    lauf = mitglieder(*o, "import", datei)
    assert lauf.code == 3
    assert lauf.err.splitlines()[:5] == [
        "kontakte.xlsx: Kontaktliste, 9 Zeilen gelesen.",
        "  Erfasste Kontakte: 4 – 1 Anruf, erreicht, 1 Gespräch oder Besuch, 1 Parteibuch übergeben, 1 Pat*in "
        "zugeteilt.",
        "  Abgelehnt: 5 Zeilen – 1 mit unbekannter Art, 2 ohne passendes Mitglied, 1 mit ungültigem Datum, 1 mit "
        "einer Formel.",
        "  Inzwischen ausgetreten (trotzdem erfasst, siehe Warnungen): 1.",
        "  Zeile 5: „Anna Schmidt“ ist nicht eindeutig: 2 Mitglieder heißen so (Ortsverein Altstadt, Neustadt) – "
        "bitte die Mitgliedsnummer eintragen",
    ]
    assert abfrage(klein, KONTAKTE_SQL) == [
        ("1", "parteibuch", "2026-08-03", None, "beim Stammtisch", None, None, "kontakte.xlsx"),
        ("3", "gespraech", "2026-05-03", None, None, None, None, "kontakte.xlsx"),
        ("3", "pate", "2026-08-22", None, None, "Jana Beispiel", None, "kontakte.xlsx"),
        ("4", "anruf", "2026-08-02", "erreicht", None, None, None, "kontakte.xlsx"),
    ]
    fehler = sorted(klein.ausgabe.glob("import-fehler-kontakte-*.xlsx"))
    assert len(fehler) == 1
    wb = openpyxl.load_workbook(fehler[0])
    zeilen = [list(r) for r in wb["Abgelehnt"].iter_rows(values_only=True)]
    assert zeilen[0] == [
        "Fehler",
        "Zeile",
        "Mitgliedsnummer",
        "Vorname",
        "Nachname",
        "Art",
        "Datum",
        "Pat*in",
        "Notiz",
    ]
    assert [(z[1], z[0]) for z in zeilen[1:]] == [
        (
            5,
            "„Anna Schmidt“ ist nicht eindeutig: 2 Mitglieder heißen so (Ortsverein Altstadt, Neustadt) – bitte "
            "die Mitgliedsnummer eintragen",
        ),
        (6, "Art „Kaffee trinken“ ist unbekannt – erlaubt: " + kontakte.arten_hilfe()),
        (7, "Mitgliedsnummer 77 ist nicht im Datenbestand"),
        (8, "Datum: „31.02.2026“ ist kein Datum (erwartet z. B. 17.09.2026)"),
        (
            10,
            "die Zelle „Notiz“ enthält eine Formel oder beginnt wie eine (=, +, -, @) – bitte nur Text eintragen",
        ),
    ]
    assert wb["Abgelehnt"]["I6"].value is None  # a formula is never copied into a file we write

    # the same list again: nothing new
    lauf = mitglieder(*o, "--json", "import", datei)
    assert lauf.code == 3
    assert (lauf.json()["uebernommen"], lauf.json()["bereits_erfasst"]) == (0, 4)

    # the error file fixed by hand and imported again
    ws = wb["Abgelehnt"]
    ws["C2"] = "2"
    ws["F3"] = "Gespräch"
    ws["C4"] = "1"
    ws["G5"] = "30.08.2026"
    ws["I6"] = "Brief vom Ortsverein"
    wb.save(tmp_path / "korrigiert.xlsx")
    lauf = mitglieder(*o, "--json", "import", tmp_path / "korrigiert.xlsx")
    assert lauf.code == 0, lauf.err
    ergebnis = lauf.json()
    assert (ergebnis["art"], ergebnis["uebernommen"], ergebnis["abgelehnt"]) == ("kontakte", 5, 0)
    assert abfrage(
        klein, "SELECT nr, art, datum FROM kontakte WHERE quelle = 'korrigiert.xlsx' ORDER BY id"
    ) == [
        ("2", "gespraech", "2026-08-20"),
        ("3", "gespraech", "2026-08-21"),
        ("1", "gespraech", "2026-08-21"),
        ("3", "email", "2026-08-30"),
        ("3", "brief", "2026-08-23"),
    ]


def test_contact_list_is_recognized_without_art_option(klein, tmp_path):
    datei = kontaktliste(tmp_path / "liste.xlsx", [["3", None, None, "Gespräch", "20.08.2026", None, None]])
    [ergebnis] = importieren(klein, [datei])
    assert (ergebnis.art, ergebnis.uebernommen, ergebnis.details["je_art"]) == (
        "kontakte",
        1,
        {"gespraech": 1},
    )
    assert json.loads(json.dumps(ergebnis.as_json()))["kontakte"] == 1


# --- variety -------------------------------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(
    eintrag=st.sampled_from(sorted((w, a) for a, ws in kontakte._WOERTER.items() for w in ws)),
    gross=st.lists(st.booleans(), min_size=40, max_size=40),
    zeichen=st.sampled_from(["", " ", ".", "-", "  ", " . "]),
)
def test_a_word_written_any_way_names_the_same_kind(eintrag, gross, zeichen):
    wort, art = eintrag
    geschrieben = "".join(c.upper() if g else c.lower() for c, g in zip(wort, gross * 2))
    geschrieben = f"{zeichen}{geschrieben.replace(' ', zeichen or ' ')}{zeichen}"
    assert kontakte.art_erkennen(geschrieben) == art


@settings(max_examples=200, deadline=None)
@given(tag=st.dates(min_value=date(2025, 9, 2), max_value=date(2026, 9, 1)), form=st.integers(0, 4))
def test_a_date_written_any_way_is_that_date(tag, form):
    geschrieben: object = [
        tag,
        f"{tag.day}.{tag.month}.{tag.year % 100:02d}",
        f"{tag.day:02d}.{tag.month:02d}.{tag.year}",
        tag.isoformat(),
        f"{tag.day}.{tag.month}.",  # without a year: the last such day up to the Stichtag
    ][form]
    assert einlesen_kontakte.datum_pruefen(geschrieben, STICHTAG) == tag
