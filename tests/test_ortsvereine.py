"""The Ortsverein packages: written per Ortsverein, filled in as a chair would, imported back (also tampered with)."""

from __future__ import annotations

import io
import os
import shutil
import sqlite3
import sys
from datetime import date, datetime
from pathlib import Path

import msoffcrypto
import openpyxl
import pytest

from mitgliederarbeit.ausgaben import ortsvereine
from mitgliederarbeit.bestand import speicher
from mitgliederarbeit.einlesen import paket
from mitgliederarbeit.einlesen.importieren import importieren
from mitgliederarbeit.errors import BedienFehler, EingabeFehler
from mitgliederarbeit.ordner import Arbeitsordner

from .test_kontakte import abfrage
from .test_segmente import STICHTAG, bestand_anlegen, mitglied

STANDARD = """
[[standard.schritte]]
name = "Erstkontakt (Monat 1)"
arten = ["anruf_erreicht", "teilnahme", "gespraech", "parteibuch"]
frist_tage = 30
[[standard.schritte]]
name = "Parteibuch (Monat 3)"
arten = ["parteibuch"]
frist_tage = 91
[[standard.schritte]]
name = "Pat*in (Monat 2)"
arten = ["pate"]
frist_tage = 61
"""
SCHRITTE = ["Erstkontakt (Monat 1)", "Parteibuch (Monat 3)", "Pat*in (Monat 2)"]
KOPF = [
    "Mitgliedsnummer",
    "Vorname",
    "Nachname",
    "Eintritt",
    "Telefon",
    "Mobil",
    "Fällig",
    *SCHRITTE,
    "Pat*in",
    "Notiz",
]
ROT, GELB, GRUEN = "FFF4B6B6", "FFFFE699", "FFD9EAD3"
KONTAKTE_SQL = "SELECT nr, art, datum, ergebnis, pate, quelle FROM kontakte ORDER BY id"


def _anlegen(folder: Path) -> None:
    bestand_anlegen(
        folder,
        [
            mitglied("1", "2026-08-20", vorname="Anna", nachname="Schmidt"),  # new, nothing due yet
            mitglied("2", "2026-08-05", vorname="Ben", nachname="Meier", telefon=None, mobil="+491711234567"),
            mitglied("3", "2026-06-01", vorname="Cem", nachname="Yilmaz"),  # every step overdue
            mitglied("4", "2026-07-01", vorname="Dora", nachname="Klein"),  # Parteibuch on 10.07.
            mitglied("5", "2015-01-01", vorname="Emil", nachname="Alt"),  # not new
            mitglied("6", "2026-08-10", vorname="Fritz", nachname="Neu", ortsverein="Neustadt"),
            mitglied("7", "2026-07-20", vorname="Gina", nachname="Berg", ortsverein="Neustadt"),
        ],
        kontakte=[("4", "parteibuch", "2026-07-10", None)],
        toml=STANDARD,
    )


@pytest.fixture
def zwei_ov(tmp_path) -> Arbeitsordner:
    folder = tmp_path / "ub"
    _anlegen(folder)
    return Arbeitsordner(folder, STICHTAG)


def zeilen(path: Path, blatt: str) -> list[list[object]]:
    """A sheet's cells, date cells as dates (openpyxl reads them as datetimes)."""
    return [
        [v.date() if isinstance(v, datetime) else v for v in r]
        for r in openpyxl.load_workbook(path)[blatt].iter_rows(values_only=True)
    ]


def ausfuellen(quelle: Path, ziel: Path, eintraege: dict[str, dict[str, object]]) -> Path:
    """Fill a copy of a package as a chair does in Excel: by member number, into the columns by their header.

    A text starting with "=" is typed as text (as LibreOffice keeps a text cell), ``("formel", "=…")`` as a formula.
    """
    wb = openpyxl.load_workbook(quelle)
    ws = wb["Neue Mitglieder"]
    kopf = [c.value for c in ws[1]]
    zeile_von = {str(ws.cell(r, 1).value): r for r in range(2, ws.max_row + 1)}
    for nummer, werte in eintraege.items():
        r = zeile_von.get(nummer)
        if r is None:  # a row the chair added
            r = ws.max_row + 1
            ws.cell(r, 1, nummer)
        for spalte, wert in werte.items():
            zelle = ws.cell(r, kopf.index(spalte) + 1)
            if isinstance(wert, tuple):
                zelle.value = wert[1]  # a real formula
            else:
                zelle.value = wert
                if isinstance(wert, str):
                    zelle.data_type = "s"
    wb.save(ziel)
    return ziel


def _paket(result: ortsvereine.PaketErgebnis, ov: str) -> Path:
    return next(p.datei for p in result.pakete if p.ortsverein == ov)


# --- writing -------------------------------------------------------------------------------------------------------


def test_one_file_per_ortsverein_with_only_its_people(zwei_ov):
    result = ortsvereine.pakete(zwei_ov)
    assert [p.ortsverein for p in result.pakete] == ["Altstadt", "Neustadt"]
    altstadt = _paket(result, "Altstadt")
    assert altstadt.name == "ortsverein-Altstadt-2026-09-01.xlsx"
    assert altstadt.parent == zwei_ov.pfad / "ausgabe" / "ortsvereine-2026-09-01"
    assert os.stat(altstadt).st_mode & 0o777 == 0o600
    wb = openpyxl.load_workbook(altstadt)
    assert wb.sheetnames == ["Neue Mitglieder", "Änderungen", "Anleitung", "Datenschutz", "_mitgliederarbeit"]
    assert wb["_mitgliederarbeit"].sheet_state == "hidden"
    ws = wb["Neue Mitglieder"]
    rows = zeilen(altstadt, "Neue Mitglieder")
    assert rows[0] == KOPF
    # newest first; number 5 is no new member, 6 and 7 belong to Neustadt
    assert [r[0] for r in rows[1:]] == ["1", "2", "4", "3"]
    assert rows[2][:7] == [
        "2",
        "Ben",
        "Meier",
        date(2026, 8, 5),
        None,
        "0171 1234567",
        "Erstkontakt (Monat 1): fällig bis 04.09.2026",
    ]
    assert rows[3][7:] == [date(2026, 7, 10), date(2026, 7, 10), None, None, None]
    assert rows[4][6] == (
        "Erstkontakt (Monat 1): überfällig seit 01.07.2026\n"
        "Parteibuch (Monat 3): überfällig seit 31.08.2026\n"
        "Pat*in (Monat 2): überfällig seit 01.08.2026"
    )
    farbe = {
        (r, c): ws.cell(r, c).fill.fgColor.rgb
        for r in range(2, 6)
        for c in range(7, 11)
        if ws.cell(r, c).fill.fill_type == "solid"
    }
    assert farbe == {
        (3, 7): GELB,
        (3, 8): GELB,
        (4, 7): ROT,  # the Pat*in is overdue
        (4, 8): GRUEN,
        (4, 9): GRUEN,
        (4, 10): ROT,
        (5, 7): ROT,
        (5, 8): ROT,
        (5, 9): ROT,
        (5, 10): ROT,
    }
    pruefungen = {str(dv.sqref): dv.type for dv in ws.data_validations.dataValidation}
    assert pruefungen == {"H2:H1001": "date", "I2:I1001": "date", "J2:J1001": "date"}
    meta = {r[0]: r[1] for r in zeilen(altstadt, "_mitgliederarbeit")}
    assert {k: v for k, v in meta.items() if k not in ("bestand", "paket", "erstellt")} == {
        "art": "ortsvereinspaket",
        "version": "1",
        "ortsverein": "Altstadt",
        "stichtag": "2026-09-01",
        "loeschen_am": "2026-12-01",
        "schritte": "3",
        "schritt.1.name": "Erstkontakt (Monat 1)",
        "schritt.1.art": "gespraech",
        "schritt.1.arten": "anruf_erreicht,teilnahme,gespraech,parteibuch",
        "schritt.2.name": "Parteibuch (Monat 3)",
        "schritt.2.art": "parteibuch",
        "schritt.2.arten": "parteibuch",
        "schritt.3.name": "Pat*in (Monat 2)",
        "schritt.3.art": "pate",
        "schritt.3.arten": "pate",
        "m.1": "1",
        "m.2": "1",
        "m.4": "1",
        "m.3": "1",
        # the green dates (Dora's Parteibuch on 10.07. is her first contact too): a changed one is a correction
        "v.4.1": "2026-07-10",
        "v.4.2": "2026-07-10",
    }
    datenschutz = "\n".join(r[0] for r in zeilen(altstadt, "Datenschutz"))
    assert "Vorstand des Ortsvereins Altstadt" in datenschutz
    assert "spätestens am 01.12.2026" in datenschutz
    neustadt = [r[0] for r in zeilen(_paket(result, "Neustadt"), "Neue Mitglieder")[1:]]
    assert neustadt == ["6", "7"]
    assert abfrage(zwei_ov, "SELECT befehl, segment, anzahl FROM protokoll ORDER BY id") == [
        ("ortsvereine", "Ortsverein Altstadt", 4),
        ("ortsvereine", "Ortsverein Neustadt", 2),
    ]


def _export_eintragen(
    ordner: Arbeitsordner, datei: str, stand: str, bewegungen: list[tuple[object, ...]], *aenderungen: str
) -> None:
    """A members' export as an import records it, by hand: the import, its changes to members, its movements."""
    store = speicher.oeffnen(ordner.pfad)
    try:
        with store.transaktion(sichern=False) as conn:
            import_id = conn.execute(
                "INSERT INTO importe (art, datei, sha256, stand, zeit) VALUES ('mitglieder', ?, ?, ?, ?)",
                (datei, datei, stand, f"{stand}T10:00:00"),
            ).lastrowid
            for sql in aenderungen:
                conn.execute(sql)
            conn.executemany(
                "INSERT INTO bewegungen (import_id, nr, art, datum, von, nach, felder) VALUES (?,?,?,?,?,?,?)",
                [(import_id, *b) for b in bewegungen],
            )
    finally:
        store.close()


def test_changes_since_the_last_package(zwei_ov):
    erst = ortsvereine.pakete(zwei_ov, ortsvereine=["altstadt"])
    assert erst.pakete[0].seit == date(2026, 3, 1)  # the first package: the last neu_monate months
    _export_eintragen(
        zwei_ov,
        "y.csv",
        "2026-09-30",
        [
            ("1", "aenderung", "2026-09-30", None, None, '["plz", "telefon"]'),
            ("2", "aenderung", "2026-09-30", None, None, '["geburtsdatum"]'),  # nothing for the chair
            ("7", "wechsel", "2026-09-30", "Neustadt", "Altstadt", None),
            ("5", "austritt", "2026-09-30", "Altstadt", None, None),
            ("6", "aenderung", "2026-09-30", None, None, '["email"]'),  # Neustadt's
        ],
        "UPDATE mitglieder SET telefon = '+493519876543', plz = '01069' WHERE nr = '1'",
        "UPDATE mitglieder SET ortsverein = 'Altstadt' WHERE nr = '7'",
        "UPDATE mitglieder SET austrittsdatum = '2026-09-30' WHERE nr = '5'",
    )
    spaeter = Arbeitsordner(zwei_ov.pfad, date(2026, 10, 1))
    zweit = ortsvereine.pakete(spaeter, ortsvereine=["Altstadt"])
    assert zweit.pakete[0].seit_paket == "2026-09-01"
    rows = zeilen(zweit.pakete[0].datei, "Änderungen")
    assert rows == [
        ortsvereine.AENDERUNGEN_SPALTEN,
        ["Änderung", date(2026, 9, 30), "1", "Anna", "Schmidt", "geändert: Anschrift, Telefon", "01069",
         "0351 9876543", None, None],
        ["Wechsel hierher", date(2026, 9, 30), "7", "Gina", "Berg", "aus Neustadt", None, None, None, None],
        ["Austritt", date(2026, 9, 30), "5", "Emil", "Alt", None, None, None, None, None],
    ]  # fmt: skip
    # written again with no import since (with a password this time, say): the same changes, not none - the
    # first file is usually deleted, the second is what is sent
    nochmal = ortsvereine.pakete(spaeter, ortsvereine=["Altstadt"])
    assert nochmal.pakete[0].datei != zweit.pakete[0].datei
    assert nochmal.pakete[0].seit_paket == "2026-09-01"
    assert zeilen(nochmal.pakete[0].datei, "Änderungen") == rows
    # Neustadt's first package: since neu_monate months; Gina left for Altstadt, Fritz has a new e-mail address
    neustadt = ortsvereine.pakete(spaeter, ortsvereine=["Neustadt"])
    assert neustadt.pakete[0].seit == date(2026, 4, 1)
    assert [r[:6] + r[9:] for r in zeilen(neustadt.pakete[0].datei, "Änderungen")[1:]] == [
        ["Wechsel weg", date(2026, 9, 30), "7", "Gina", "Berg", "nach Altstadt", None],
        ["Änderung", date(2026, 9, 30), "6", "Fritz", "Neu", "geändert: E-Mail", "(gelöscht)"],
    ]
    # the same since a day of one's choice: the first import's Eintritte from 01.08. on, and the rest
    seit = ortsvereine.pakete(spaeter, ortsvereine=["Altstadt"], seit=date(2026, 8, 1))
    assert seit.pakete[0].aenderungen == 3  # no "eintritt" movements were recorded by this hand-made store
    with pytest.raises(BedienFehler, match="--seit 02.10.2026 liegt nach dem Stichtag"):
        ortsvereine.pakete(spaeter, seit=date(2026, 10, 2))
    with pytest.raises(BedienFehler, match="den Ortsverein „Mitte“ gibt es im Datenbestand nicht"):
        ortsvereine.pakete(spaeter, ortsvereine=["Mitte"])
    # after the next export, the next package starts after the last one written
    _export_eintragen(
        zwei_ov,
        "z.csv",
        "2026-10-31",
        [("7", "austritt", "2026-10-31", "Altstadt", None, None)],
    )
    dritt = ortsvereine.pakete(Arbeitsordner(zwei_ov.pfad, date(2026, 11, 1)), ortsvereine=["Altstadt"])
    assert [r[:3] for r in zeilen(dritt.pakete[0].datei, "Änderungen")[1:]] == [
        ["Austritt", date(2026, 10, 31), "7"]
    ]


def test_changes_on_the_example_data(beispielbestand):
    result = ortsvereine.pakete(beispielbestand, ortsvereine=["Altstadt"], seit=date(2026, 6, 1))
    rows = zeilen(result.pakete[0].datei, "Änderungen")[1:]
    arten = {r[0] for r in rows}
    assert {"Eintritt", "Änderung"} <= arten
    assert all(r[1] >= date(2026, 6, 1) for r in rows)
    neue = {r[0] for r in zeilen(result.pakete[0].datei, "Neue Mitglieder")[1:]}
    eintritte = {r[2] for r in rows if r[0] == "Eintritt"}
    assert eintritte <= neue  # who joined since June is on the first sheet too


# --- back in -------------------------------------------------------------------------------------------------------


def test_two_packages_filled_as_chairs_do_then_imported_twice(zwei_ov, tmp_path, mitglieder):
    result = ortsvereine.pakete(zwei_ov)
    altstadt = ausfuellen(
        _paket(result, "Altstadt"),
        tmp_path / "altstadt-zurueck.xlsx",
        {
            "1": {"Erstkontakt (Monat 1)": date(2026, 8, 25)},  # a real date cell
            "2": {"Erstkontakt (Monat 1)": "28.8.26", "Parteibuch (Monat 3)": "30.08.2026"},  # typed as text
            "3": {"Pat*in (Monat 2)": "31.8.26", "Pat*in": "Jana Beispiel"},
            "4": {"Notiz": "möchte im Wahlkampf helfen"},  # the green dates of 10.07. stay as they were
        },
    )
    neustadt = ausfuellen(
        _paket(result, "Neustadt"),
        tmp_path / "neustadt-zurueck.xlsx",
        {"6": {"Parteibuch (Monat 3)": date(2026, 8, 30), "Pat*in": "Kai Muster"}, "7": {}},
    )
    o = ("--ordner", zwei_ov.pfad, "--stichtag", "02.09.2026")
    lauf = mitglieder(*o, "import", altstadt, neustadt)
    assert lauf.code == 0, lauf.err
    assert lauf.err.splitlines() == [
        "altstadt-zurueck.xlsx: Paket des Ortsvereins Altstadt vom 01.09.2026, 4 ausgefüllte Zeilen.",
        "  Erfasst: 3 Kontakte, 1 Pat*in, 1 Notiz.",
        "    Erstkontakt (Monat 1): 2 (als „Gespräch oder Besuch“)",
        "    Parteibuch (Monat 3): 1 (als „Parteibuch übergeben“)",
        "  Schon früher erfasst, nicht doppelt gezählt: 2.",
        "neustadt-zurueck.xlsx: Paket des Ortsvereins Neustadt vom 01.09.2026, 1 ausgefüllte Zeile.",
        "  Erfasst: 1 Kontakt, 1 Pat*in, 0 Notizen.",
        "    Parteibuch (Monat 3): 1 (als „Parteibuch übergeben“)",
    ]
    assert abfrage(zwei_ov, KONTAKTE_SQL) == [
        ("4", "parteibuch", "2026-07-10", None, None, None),
        ("1", "gespraech", "2026-08-25", None, None, "Paket Altstadt vom 01.09.2026"),
        ("2", "gespraech", "2026-08-28", None, None, "Paket Altstadt vom 01.09.2026"),
        ("2", "parteibuch", "2026-08-30", None, None, "Paket Altstadt vom 01.09.2026"),
        ("3", "pate", "2026-08-31", None, "Jana Beispiel", "Paket Altstadt vom 01.09.2026"),
        ("6", "parteibuch", "2026-08-30", None, None, "Paket Neustadt vom 01.09.2026"),
        ("6", "pate", "2026-09-01", None, "Kai Muster", "Paket Neustadt vom 01.09.2026"),  # the package's day
    ]
    assert abfrage(zwei_ov, "SELECT nr, datum, text FROM notizen") == [
        ("4", "2026-09-01", "möchte im Wahlkampf helfen")
    ]
    # the same two files again: nothing new, and it says so
    lauf = mitglieder(*o, "--json", "import", altstadt, neustadt)
    assert lauf.code == 0
    assert [(i["art"], i["uebernommen"], i["bereits_importiert"]) for i in lauf.json()["importe"]] == [
        ("paket", 0, True),
        ("paket", 0, True),
    ]
    assert len(abfrage(zwei_ov, KONTAKTE_SQL)) == 7
    # the next package shows what came back: dates green, the Pat*in, the note
    naechstes = ortsvereine.pakete(Arbeitsordner(zwei_ov.pfad, date(2026, 9, 2)), ortsvereine=["Altstadt"])
    rows = {r[0]: r for r in zeilen(naechstes.pakete[0].datei, "Neue Mitglieder")[1:]}
    assert rows["3"][9:] == [date(2026, 8, 31), "Jana Beispiel", None]
    assert rows["4"][11] == "möchte im Wahlkampf helfen"
    assert rows["2"][7:9] == [date(2026, 8, 28), date(2026, 8, 30)]


def test_json_keys_of_a_returned_package(zwei_ov, tmp_path, mitglieder):
    result = ortsvereine.pakete(zwei_ov, ortsvereine=["Neustadt"])
    datei = ausfuellen(
        result.pakete[0].datei, tmp_path / "z.xlsx", {"7": {"Erstkontakt (Monat 1)": "5.9.26"}}
    )
    lauf = mitglieder("--ordner", zwei_ov.pfad, "--stichtag", "02.09.2026", "--json", "import", datei)
    assert lauf.code == 0
    daten = lauf.json()
    assert {k: daten[k] for k in ("art", "gelesen", "uebernommen", "kontakte", "paten", "nach_stichtag")} == {
        "art": "paket",
        "gelesen": 1,
        "uebernommen": 1,
        "kontakte": 1,
        "paten": 0,
        "nach_stichtag": 1,  # recorded, and counts from 05.09. on
    }
    assert daten["je_schritt"] == {
        "Erstkontakt (Monat 1)": 1,
        "Parteibuch (Monat 3)": 0,
        "Pat*in (Monat 2)": 0,
    }


def test_tampered_package_unknown_numbers_other_ortsverein_formulas(zwei_ov, tmp_path, mitglieder):
    result = ortsvereine.pakete(zwei_ov, ortsvereine=["Altstadt"])
    datei = ausfuellen(
        result.pakete[0].datei,
        tmp_path / "manipuliert.xlsx",
        {
            "1": {"Erstkontakt (Monat 1)": ("formel", "=TODAY()")},  # row 2: a real formula
            "2": {"Notiz": '=HYPERLINK("http://example.org","klick")'},  # row 3: typed as text
            "4": {"Pat*in": "@Jana"},  # row 4
            "3": {"Erstkontakt (Monat 1)": "irgendwann"},  # row 5
            "999": {"Erstkontakt (Monat 1)": "20.08.2026"},  # row 6: added, unknown
            "6": {"Parteibuch (Monat 3)": "20.08.2026"},  # row 7: Neustadt's member
        },
    )
    o = ("--ordner", zwei_ov.pfad, "--stichtag", "02.09.2026")
    lauf = mitglieder(*o, "import", datei)
    assert lauf.code == 3
    assert lauf.err.splitlines()[:4] == [
        "manipuliert.xlsx: Paket des Ortsvereins Altstadt vom 01.09.2026, 6 ausgefüllte Zeilen.",
        "  Erfasst: 0 Kontakte, 0 Pat*innen, 0 Notizen.",
        "  Abgelehnt: 6 Zeilen – 1 mit unbekannter oder fehlender Mitgliedsnummer, 1 aus einem anderen Ortsverein, "
        "1 mit unbrauchbarem Datum, 3 mit einer Formel.",
        "  Zeile 2: die Zelle „Erstkontakt (Monat 1)“ enthält eine Formel oder beginnt wie eine (=, +, -, @) – "
        "bitte nur ein Datum oder Text eintragen",
    ]
    assert abfrage(zwei_ov, KONTAKTE_SQL) == [("4", "parteibuch", "2026-07-10", None, None, None)]
    assert abfrage(zwei_ov, "SELECT count(*) FROM notizen") == [(0,)]
    [fehlerdatei] = zwei_ov.ausgabe.glob("import-fehler-paket-*.xlsx")
    abgelehnt = zeilen(fehlerdatei, "Abgelehnt")
    assert abgelehnt[0] == [
        "Fehler",
        "Zeile",
        "Mitgliedsnummer",
        "Vorname",
        "Nachname",
        *SCHRITTE,
        "Pat*in",
        "Notiz",
    ]
    assert [(r[1], r[2]) for r in abgelehnt[1:]] == [
        (2, "1"),
        (3, "2"),
        (4, "4"),
        (5, "3"),
        (6, "999"),
        (7, "6"),
    ]
    assert abgelehnt[5][0] == "Mitgliedsnummer 999 ist nicht im Datenbestand"
    assert (
        abgelehnt[6][0]
        == "Mitgliedsnummer 6 gehört nicht zum Ortsverein Altstadt (laut Datenbestand: Neustadt)"
    )
    assert abgelehnt[4][0].startswith("„Erstkontakt (Monat 1)“: „irgendwann“ ist kein Datum")
    # what went out as text stays text: no cell of the error file is a formula
    wb = openpyxl.load_workbook(fehlerdatei)
    assert all(c.data_type != "f" for row in wb["Abgelehnt"].iter_rows() for c in row)
    # the error file, fixed, comes back as the package it is
    ws = wb["Abgelehnt"]
    for r in range(2, ws.max_row + 1):
        for c in range(6, ws.max_column + 1):
            ws.cell(r, c).value = None
    ws.cell(5, 6).value = date(2026, 7, 2)
    wb.save(tmp_path / "korrigiert.xlsx")
    lauf = mitglieder(*o, "--json", "import", tmp_path / "korrigiert.xlsx")
    assert lauf.code == 0  # the rows left without entries are nothing to take
    assert (lauf.json()["art"], lauf.json()["kontakte"], lauf.json()["abgelehnt"]) == ("paket", 1, 0)
    assert abfrage(zwei_ov, "SELECT nr, art, datum FROM kontakte WHERE id > 1") == [
        ("3", "gespraech", "2026-07-02")
    ]


def test_a_step_before_an_estimated_join_date_is_taken(zwei_ov, tmp_path, mitglieder):
    """A member first seen in an export without join dates has the Stand as its latest possible join day: a step
    the chair did before it is no typo and comes in (before a known join date it still is refused)."""
    result = ortsvereine.pakete(zwei_ov, ortsvereine=["Altstadt"])
    with sqlite3.connect(zwei_ov.pfad / speicher.SPEICHER_DATEI) as conn:
        conn.execute(
            "UPDATE mitglieder SET eintrittsdatum = '2026-08-15', eintritt_geschaetzt = 1 WHERE nr = '3'"
        )
        conn.execute("UPDATE mitglieder SET eintrittsdatum = '2026-08-15' WHERE nr = '1'")
    conn.close()
    datei = ausfuellen(
        result.pakete[0].datei,
        tmp_path / "ausgefuellt.xlsx",
        {"3": {"Erstkontakt (Monat 1)": "01.08.2026"}, "1": {"Erstkontakt (Monat 1)": "01.08.2026"}},
    )
    lauf = mitglieder("--ordner", zwei_ov.pfad, "--stichtag", "02.09.2026", "--json", "import", datei)
    assert lauf.code == 3, lauf.err
    assert (lauf.json()["kontakte"], lauf.json()["abgelehnt"]) == (1, 1)
    assert abfrage(zwei_ov, "SELECT nr, datum FROM kontakte WHERE datum = '2026-08-01'") == [
        ("3", "2026-08-01")
    ]


def test_package_from_another_store_is_refused(zwei_ov, tmp_path, mitglieder):
    result = ortsvereine.pakete(zwei_ov, ortsvereine=["Altstadt"])
    datei = ausfuellen(
        result.pakete[0].datei, tmp_path / "p.xlsx", {"1": {"Erstkontakt (Monat 1)": "25.08.2026"}}
    )
    fremd = tmp_path / "fremd"
    _anlegen(fremd)  # the same people, another working folder
    ortsvereine.pakete(Arbeitsordner(fremd, STICHTAG))  # it has packages and an id of its own
    vorher = abfrage(Arbeitsordner(fremd, STICHTAG), KONTAKTE_SQL)
    lauf = mitglieder("--ordner", fremd, "--stichtag", "02.09.2026", "import", datei)
    assert lauf.code == 1
    assert lauf.err.splitlines()[0] == (
        "Fehler: p.xlsx: dieses Paket stammt aus einem anderen Datenbestand und wird nicht übernommen; es wurde "
        "nichts geändert."
    )
    assert abfrage(Arbeitsordner(fremd, STICHTAG), KONTAKTE_SQL) == vorher
    leer = tmp_path / "leer"  # a store that never wrote a package
    _anlegen(leer)
    assert mitglieder("--ordner", leer, "import", datei).code == 1


# --- passwords -----------------------------------------------------------------------------------------------------


def _entschluesseln(path: Path, passwort: str) -> io.BytesIO:
    with path.open("rb") as handle:
        datei = msoffcrypto.OfficeFile(handle)
        datei.load_key(password=passwort)
        klar = io.BytesIO()
        datei.decrypt(klar)
    klar.seek(0)
    return klar


def _verschluesseln(klar: Path, ziel: Path, passwort: str) -> Path:
    from msoffcrypto.format.ooxml import OOXMLFile

    with klar.open("rb") as quelle, ziel.open("wb") as aus:
        OOXMLFile(quelle).encrypt(passwort, aus)
    return ziel


def test_password_protected_package_round_trip(zwei_ov, tmp_path, mitglieder, monkeypatch):
    o = ("--ordner", zwei_ov.pfad, "--stichtag", "01.09.2026")
    lauf = mitglieder(*o, "--json", "ortsvereine", "--ortsverein", "Neustadt", "--passwort", "Geheim-2026")
    assert lauf.code == 0
    assert lauf.json()["verschluesselt"] is True
    [datei] = [Path(d) for d in lauf.json()["dateien"]]
    assert paket.verschluesselt(datei)
    assert os.stat(datei).st_mode & 0o777 == 0o600
    with pytest.raises(Exception):  # noqa: B017 - whatever openpyxl says: it cannot read it without the password
        openpyxl.load_workbook(datei)
    wb = openpyxl.load_workbook(_entschluesseln(datei, "Geheim-2026"))
    assert [c.value for c in wb["Neue Mitglieder"][1]] == KOPF
    assert not list(zwei_ov.pfad.rglob(".*.xlsx"))  # no unencrypted copy left behind

    # the chair opens it with the password, fills it in and saves it with the password again
    klar = tmp_path / "klar.xlsx"
    klar.write_bytes(_entschluesseln(datei, "Geheim-2026").getvalue())
    ausfuellen(klar, klar, {"6": {"Erstkontakt (Monat 1)": "20.8.26"}})
    zurueck = _verschluesseln(klar, tmp_path / "neustadt.xlsx", "Geheim-2026")

    o = ("--ordner", zwei_ov.pfad, "--stichtag", "02.09.2026")
    lauf = mitglieder(*o, "--json", "import", zurueck)
    assert lauf.code == 1
    assert lauf.err.splitlines()[0] == "Fehler: neustadt.xlsx: die Datei ist mit einem Kennwort geschützt."
    lauf = mitglieder(*o, "import", zurueck, "--passwort", "geheim-2026")
    assert lauf.code == 1
    assert lauf.err.splitlines()[0] == (
        "Fehler: neustadt.xlsx: das Kennwort stimmt nicht; es wurde nichts geändert."
    )
    assert abfrage(zwei_ov, "SELECT count(*) FROM kontakte") == [(1,)]
    # in a terminal the password is asked for
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    gefragt: list[str] = []

    def prompt(text: str, **_: object) -> str:
        gefragt.append(text)
        return "Geheim-2026"

    monkeypatch.setattr("mitgliederarbeit.cli.console.kennwort", prompt)
    lauf = mitglieder(*o, "import", zurueck)
    assert lauf.code == 0, lauf.err
    assert gefragt == ["Kennwort für neustadt.xlsx"]
    assert lauf.err.splitlines()[0] == (
        "neustadt.xlsx: Paket des Ortsvereins Neustadt vom 01.09.2026, 1 ausgefüllte Zeile."
    )
    assert abfrage(zwei_ov, "SELECT nr, art, datum FROM kontakte WHERE id > 1") == [
        ("6", "gespraech", "2026-08-20")
    ]


def test_missing_password_in_the_core_and_an_empty_one(zwei_ov):
    result = ortsvereine.pakete(zwei_ov, ortsvereine=["Neustadt"], passwort="x")
    with pytest.raises(paket.PasswortNoetig):
        importieren(zwei_ov, [result.pakete[0].datei])
    with pytest.raises(EingabeFehler, match="Kennwort stimmt nicht"):
        importieren(zwei_ov, [result.pakete[0].datei], passwort="y")
    [ergebnis] = importieren(zwei_ov, [result.pakete[0].datei], passwort="x")
    assert ergebnis.datei == str(result.pakete[0].datei)  # the original's name, not the decrypted copy's
    with pytest.raises(BedienFehler, match="Kennwort darf nicht leer sein"):
        ortsvereine.pakete(zwei_ov, passwort=" ")


# --- the command ---------------------------------------------------------------------------------------------------


def test_cli_ortsvereine(zwei_ov, mitglieder):
    o = ("--ordner", zwei_ov.pfad, "--stichtag", "01.09.2026")
    lauf = mitglieder(*o, "ortsvereine")
    assert lauf.code == 0
    assert lauf.err.splitlines()[0] == "2 Pakete geschrieben: ausgabe/ortsvereine-2026-09-01"
    assert "Ohne Kennwort geschrieben" in lauf.err
    assert "Altstadt" in lauf.out and "Neustadt" in lauf.out
    lauf = mitglieder(
        *o, "--json", "ortsvereine", "--ortsverein", "altstadt", "--ausgabe", zwei_ov.pfad / "p"
    )
    assert lauf.code == 0
    daten = lauf.json()
    assert daten["dateien"] == [str(zwei_ov.pfad / "p" / "ortsverein-Altstadt-2026-09-01.xlsx")]
    assert daten["pakete"][0] == {
        "ortsverein": "Altstadt",
        "datei": daten["dateien"][0],
        "neue_mitglieder": 4,
        "aenderungen": 0,
        "faellig": 1,
        "ueberfaellig": 2,
        "seit": None,
        "seit_paket": "2026-09-01",
    }
    lauf = mitglieder(*o, "ortsvereine", "--ortsverein", "Mitte")
    assert lauf.code == 2
    assert (
        lauf.err.splitlines()[0]
        == "Fehler: --ortsverein: den Ortsverein „Mitte“ gibt es im Datenbestand nicht."
    )
    lauf = mitglieder(*o, "ortsvereine", "--seit", "gestern")
    assert lauf.code == 2
    lauf = mitglieder(*o, "ortsvereine", "--passwort", "a", "--passwort-abfragen")
    assert lauf.code == 2


# --- the store -----------------------------------------------------------------------------------------------------


def test_a_schema_2_store_gets_pate_pakete_and_notizen(tmp_path):
    pfad = tmp_path / speicher.SPEICHER_DATEI
    conn = sqlite3.connect(pfad)
    for version in (1, 2):
        for statement in speicher._MIGRATIONS[version].split(";"):
            if statement.strip():
                conn.execute(statement)
    conn.execute(
        "INSERT INTO mitglieder (nr, mitgliedsnummer, nachname, eintrittsdatum, ortsverein) "
        "VALUES ('1', '1', 'Muster', '2026-01-01', 'Altstadt')"
    )
    conn.execute("INSERT INTO kontakte (nr, art, datum, schluessel) VALUES ('1', 'brief', '2026-01-05', 'k')")
    conn.execute("PRAGMA user_version = 2")
    conn.commit()
    conn.close()
    speicher.oeffnen(tmp_path).close()
    conn = sqlite3.connect(pfad)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == speicher.SCHEMA_VERSION
    assert conn.execute("SELECT nr, art, datum, pate FROM kontakte").fetchall() == [
        ("1", "brief", "2026-01-05", None)
    ]
    tabellen = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"pakete", "notizen"} <= tabellen
    assert "arten" in {r[1] for r in conn.execute("PRAGMA table_info(importe)")}  # schema 4
    conn.close()


def test_removing_old_data_removes_notes_and_pat_names(zwei_ov, tmp_path):
    from mitgliederarbeit.bestand import datenschutz
    from mitgliederarbeit.einlesen import kontakte as einlesen_kontakte

    einlesen_kontakte.kontakt(zwei_ov, "5", "pate", pate="Jana Beispiel", datum=date(2026, 1, 1))
    store = speicher.oeffnen(zwei_ov.pfad)
    try:
        with store.transaktion(sichern=False) as conn:
            conn.execute("UPDATE mitglieder SET austrittsdatum = '2026-02-01' WHERE nr = '5'")
            conn.execute("INSERT INTO notizen (nr, datum, text) VALUES ('5', '2026-01-02', 'privat')")
    finally:
        store.close()
    spaeter = Arbeitsordner(zwei_ov.pfad, date(2028, 6, 1))
    datenschutz.bereinigen(spaeter, ausfuehren=True)
    assert abfrage(spaeter, "SELECT pate FROM kontakte WHERE art = 'pate'") == [(None,)]
    assert abfrage(spaeter, "SELECT count(*) FROM notizen") == [(0,)]
    shutil.rmtree(zwei_ov.pfad / "sicherung", ignore_errors=True)


def test_password_asked_for_and_a_dry_run(zwei_ov, tmp_path, mitglieder, monkeypatch):
    gefragt: list[tuple[str, object]] = []

    def prompt(text: str, **optionen: object) -> str:
        gefragt.append((text, optionen.get("bestaetigen")))
        return "Geheim-2026"

    monkeypatch.setattr("mitgliederarbeit.cli.console.kennwort", prompt)
    o = ("--ordner", zwei_ov.pfad, "--stichtag", "01.09.2026")
    lauf = mitglieder(*o, "--json", "ortsvereine", "--ortsverein", "Altstadt", "--passwort-abfragen")
    assert lauf.code == 0
    assert gefragt == [("Kennwort für die Pakete", True)]
    [datei] = [Path(d) for d in lauf.json()["dateien"]]
    assert paket.verschluesselt(datei)

    offen = ortsvereine.pakete(zwei_ov, ortsvereine=["Altstadt"]).pakete[0].datei
    ausgefuellt = ausfuellen(offen, tmp_path / "t.xlsx", {"1": {"Erstkontakt (Monat 1)": "25.8.26"}})
    lauf = mitglieder(*o, "import", "--trockenlauf", ausgefuellt)
    assert lauf.code == 0
    assert lauf.err.splitlines()[0] == (
        "Trockenlauf – es wurde nichts geändert. t.xlsx: Paket des Ortsvereins Altstadt vom 01.09.2026, "
        "2 ausgefüllte Zeilen."  # with the row of the green dates filled in before
    )
    assert abfrage(zwei_ov, "SELECT count(*) FROM kontakte") == [(1,)]


# --- the password: asked only in a terminal, never too short -------------------------------------------------------


def test_passwort_abfragen_without_a_terminal_is_a_german_usage_error(zwei_ov):
    """A script or cron job: no terminal to type in (no controlling one either), nothing to read on stdin."""
    import subprocess

    lauf = subprocess.run(
        [
            sys.executable,
            "-m",
            "mitgliederarbeit",
            "--ordner",
            str(zwei_ov.pfad),
            "--stichtag",
            "01.09.2026",
            "ortsvereine",
            "--passwort-abfragen",
        ],  # fmt: skip
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        start_new_session=True,
        env={**os.environ, "PYTHONPATH": str(Path(ortsvereine.__file__).parents[2])},
    )
    assert lauf.returncode == 2, lauf.stderr
    assert "Warning" not in lauf.stderr and "echoed" not in lauf.stderr
    assert lauf.stderr.splitlines()[0] == (
        "Fehler: Das Kennwort kann nur in einem Terminal verdeckt abgefragt werden; hier gibt es keins."
    )
    assert "MITGLIEDER_PASSWORT" in lauf.stderr
    assert not (zwei_ov.pfad / "ausgabe").exists() or not list((zwei_ov.pfad / "ausgabe").rglob("*.xlsx"))


def test_a_password_shorter_than_8_characters_is_refused_or_asked_again(zwei_ov, mitglieder, monkeypatch):
    o = ("--ordner", zwei_ov.pfad, "--stichtag", "01.09.2026")
    lauf = mitglieder(*o, "ortsvereine", "--passwort", "a")
    assert lauf.code == 2
    assert lauf.err.splitlines()[0] == "Fehler: Das Kennwort ist zu kurz (1 Zeichen): bitte mindestens 8."
    monkeypatch.setenv("MITGLIEDER_PASSWORT", "kurz")
    assert mitglieder(*o, "ortsvereine").code == 2
    monkeypatch.delenv("MITGLIEDER_PASSWORT")

    import getpass

    eingaben = iter(["a", "Lang-genug-26", "Lang-genug-26"])
    monkeypatch.setattr(getpass, "getpass", lambda *a, **k: next(eingaben))
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    lauf = mitglieder(*o, "--json", "ortsvereine", "--ortsverein", "Neustadt", "--passwort-abfragen")
    assert lauf.code == 0, lauf.err
    assert "Das Kennwort ist zu kurz: bitte mindestens 8 Zeichen." in lauf.err
    datei = Path(lauf.json()["dateien"][0])
    with datei.open("rb") as f:
        assert msoffcrypto.OfficeFile(f).is_encrypted()
    [ergebnis] = importieren(zwei_ov, [datei], passwort="Lang-genug-26")
    assert ergebnis.datei == str(datei)
