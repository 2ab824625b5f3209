"""Taking results back: returned call lists (also messed up by callers) and attendance lists."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest

from mitgliederarbeit.ausgaben import anrufliste
from mitgliederarbeit.auswertung import segmente
from mitgliederarbeit.bestand import speicher
from mitgliederarbeit.cli import darstellung
from mitgliederarbeit.einlesen.anrufwoerter import ergebnis_normalisieren
from mitgliederarbeit.einlesen.importieren import importieren
from mitgliederarbeit.einlesen.teilnahme import titel_lesen
from mitgliederarbeit.ordner import Arbeitsordner

from .conftest import TEILNAHME
from .test_segmente import STICHTAG, bestand_anlegen, mitglied

ANRUFER = ("Anna", "Ben", "Cem")


def ausfuellen(quelle: Path, ziel: Path, antworten: dict[str, dict[str, object]]) -> Path:
    """Fill a copy of a call list as a caller does in Excel: by member number, into the columns by their header."""
    wb = openpyxl.load_workbook(quelle)
    for ws in wb.worksheets:
        kopf = [c.value for c in ws[1]]
        if "Mitgliedsnummer" not in kopf:
            continue
        nummer = kopf.index("Mitgliedsnummer") + 1
        for row in range(2, ws.max_row + 1):
            antwort = antworten.get(str(ws.cell(row, nummer).value))
            for spalte, wert in (antwort or {}).items():
                ws.cell(row, kopf.index(spalte) + 1, wert)
    wb.save(ziel)
    return ziel


def blatt(path: Path, name: str) -> list[list[object]]:
    return [list(r) for r in openpyxl.load_workbook(path)[name].iter_rows(values_only=True)]


def abfrage(ordner: Arbeitsordner, sql: str, *args: object) -> list[tuple]:
    store = speicher.oeffnen(ordner.pfad)
    try:
        return [tuple(r) for r in store.conn.execute(sql, args).fetchall()]
    finally:
        store.close()


def zustand(ordner: Arbeitsordner) -> tuple:
    """Everything a returned list may change."""
    return (
        abfrage(
            ordner,
            "SELECT nr, art, datum, ergebnis, anrufer, interessen, mitmachen, notiz FROM kontakte ORDER BY id",
        ),
        abfrage(
            ordner,
            "SELECT nr, sperre_anruf, telefon_falsch, mobil_falsch, will_austreten, interessen FROM mitglieder",
        ),
        abfrage(ordner, "SELECT count(*) FROM importe"),
    )


# --- result words ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("wort", "code"),
    [
        ("erreicht", "erreicht"),
        ("Erreicht", "erreicht"),
        (" ERREICHT ", "erreicht"),
        ("gesprochen", "erreicht"),
        ("nicht erreicht", "nicht_erreicht"),
        ("Nicht erreicht.", "nicht_erreicht"),
        ("NE", "nicht_erreicht"),
        ("n.e.", "nicht_erreicht"),
        ("Mailbox", "nicht_erreicht"),
        ("AB", "nicht_erreicht"),
        ("besetzt", "nicht_erreicht"),
        ("Rückruf vereinbart", "rueckruf"),
        ("Rückruf", "rueckruf"),
        ("Rueckruf", "rueckruf"),
        ("RR", "rueckruf"),
        ("ruft zurück", "rueckruf"),
        ("falsche Nummer", "falsche_nummer"),
        ("Falsche Nr.", "falsche_nummer"),
        ("kein Anschluss", "falsche_nummer"),
        ("Handy falsch", "falsche_nummer"),
        ("kein Anruf gewünscht", "kein_anruf"),
        ("kein Anruf gewuenscht", "kein_anruf"),
        ("nicht mehr anrufen", "kein_anruf"),
        ("will austreten", "will_austreten"),
        ("möchte austreten", "will_austreten"),
        ("Austritt", "will_austreten"),
    ],
)
def test_result_words_and_variants(wort, code):
    assert ergebnis_normalisieren(wort) == code


@pytest.mark.parametrize(
    "wort", ["vielleicht", "ja", "x", "erreicht?? weiß nicht", "Rückruf nicht erwünscht", ""]
)
def test_unknown_words_are_not_guessed(wort):
    assert ergebnis_normalisieren(wort) is None


def test_every_dropdown_word_is_understood():
    for code, wort in anrufliste.ERGEBNISSE.items():
        assert ergebnis_normalisieren(wort) == code


# --- a tiny campaign ---------------------------------------------------------------------------------------------


@pytest.fixture
def kampagne(tmp_path) -> tuple[Arbeitsordner, Path]:
    """Eight new members of two Ortsvereine and a call list for Anna and Ben."""
    folder = tmp_path / "kampagne"
    bestand_anlegen(
        folder,
        [
            mitglied("1", "2026-08-01"),
            mitglied("2", "2026-08-02", mobil="+491711111111"),
            mitglied("3", "2026-08-03", telefon=None, mobil="+491712222222"),
            mitglied("4", "2026-08-04", interessen="Umwelt"),
            mitglied("5", "2026-08-05", ortsverein="Neustadt", vorname="Kim", nachname="Brenner"),
            mitglied("6", "2026-08-06", ortsverein="Neustadt"),
            mitglied("7", "2026-08-07", ortsverein="Neustadt"),
            mitglied("8", "2026-08-08", ortsverein="Neustadt"),
        ],
    )
    ordner = Arbeitsordner(folder, STICHTAG)
    liste = anrufliste.anrufliste(ordner, anrufer=["Anna,Ben"])
    assert [blatt(liste.datei, n)[1][1] for n in ("Anna", "Ben")] == ["4", "8"]
    return ordner, liste.datei


ALLE_WOERTER = {
    "1": {
        "Ergebnis": "erreicht",
        "Datum": date(2026, 9, 2),
        "Interessen": "Wahlkampf; Umwelt",
        "möchte mitmachen": "ja",
    },
    "2": {"Ergebnis": "falsche Nummer", "Notiz": "Handy gehört jemand anderem"},
    "3": {"Ergebnis": "Falsche Nr."},
    "4": {"Ergebnis": "will austreten", "Datum": "3.9.", "Interessen": "umwelt, Bildung"},
    "5": {"Ergebnis": "kein Anruf gewünscht", "Datum": "02.09.2026"},
    "6": {"Ergebnis": "NE"},
    "7": {"Ergebnis": "Rückruf vereinbart", "Notiz": "abends ab 18 Uhr"},
    "8": {"Ergebnis": "nicht erreicht", "Datum": date(2026, 9, 20)},
}


def test_every_result_word_does_what_it_says(kampagne, tmp_path):
    ordner, liste = kampagne
    datei = ausfuellen(liste, tmp_path / "zurueck.xlsx", ALLE_WOERTER)
    ordner = Arbeitsordner(ordner.pfad, date(2026, 9, 5))  # imported a few days after the calls
    [result] = importieren(ordner, [datei])
    assert (result.art, result.gelesen, result.uebernommen, result.abgelehnt) == ("anrufliste", 8, 8, 0)
    kontakte = abfrage(
        ordner, "SELECT nr, datum, ergebnis, anrufer, interessen, mitmachen, notiz, quelle FROM kontakte"
    )
    assert kontakte == [
        ("4", "2026-09-03", "will_austreten", "Anna", "umwelt, Bildung", None, None, "zurueck.xlsx"),
        ("3", "2026-09-05", "falsche_nummer", "Anna", None, None, None, "zurueck.xlsx"),
        (
            "2",
            "2026-09-05",
            "falsche_nummer",
            "Anna",
            None,
            None,
            "Handy gehört jemand anderem",
            "zurueck.xlsx",
        ),
        ("1", "2026-09-02", "erreicht", "Anna", "Wahlkampf, Umwelt", "ja", None, "zurueck.xlsx"),
        ("8", "2026-09-20", "nicht_erreicht", "Ben", None, None, None, "zurueck.xlsx"),
        ("7", "2026-09-05", "rueckruf", "Ben", None, None, "abends ab 18 Uhr", "zurueck.xlsx"),
        ("6", "2026-09-05", "nicht_erreicht", "Ben", None, None, None, "zurueck.xlsx"),
        ("5", "2026-09-02", "kein_anruf", "Ben", None, None, None, "zurueck.xlsx"),
    ]
    flags = {
        r[0]: r[1:]
        for r in abfrage(
            ordner,
            "SELECT nr, sperre_anruf, telefon_falsch, mobil_falsch, will_austreten, interessen FROM mitglieder",
        )
    }
    assert flags["1"] == (0, 0, 0, None, "Wahlkampf, Umwelt")
    assert flags["2"] == (0, 0, 1, None, None)  # "Handy" in the note: only the mobile number
    assert flags["3"] == (0, 0, 1, None, None)  # the only number shown
    assert flags["4"] == (0, 0, 0, "2026-09-03", "Umwelt, Bildung")  # interests merged without duplicates
    assert flags["5"] == (1, 0, 0, None, None)
    assert result.details["nach_stichtag"] == 1
    assert result.bilanz.blaetter == ["Anna", "Ben"]
    assert (
        result.bilanz.zaehler.gesperrt,
        result.bilanz.zaehler.falsch,
        result.bilanz.zaehler.interessen,
    ) == (1, 2, 2)
    assert darstellung.anrufliste_saetze(result, result.bilanz) == [
        "zurueck.xlsx: Anrufliste, 2 Blätter gelesen („Anna“, „Ben“), ausgefüllte Zeilen: 8.",
        "  Übernommene Anrufe: 8 – 1 erreicht, 2 nicht erreicht, 1 Rückruf vereinbart, 2 falsche Nummer, "
        "1 kein Anruf gewünscht, 1 will austreten.",
        "  Für Anrufe gesperrt: 1; falsche Nummer markiert: 2; Austrittswunsch (bitte persönlich nachfassen): 1; "
        "Interessen ergänzt: 2.",
        "  Mit Datum nach dem Stichtag (zählen erst ab diesem Tag): 1.",
    ]


def test_importing_the_same_list_twice_changes_nothing(kampagne, tmp_path, mitglieder):
    ordner, liste = kampagne
    datei = ausfuellen(liste, tmp_path / "zurueck.xlsx", ALLE_WOERTER)
    run = mitglieder("--ordner", ordner.pfad, "--stichtag", "01.09.2026", "import", datei)
    assert run.code == 0
    vorher = zustand(ordner)
    run = mitglieder("--ordner", ordner.pfad, "--stichtag", "05.09.2026", "import", datei)
    assert (run.code, run.err.strip()) == (0, "zurueck.xlsx: wurde bereits importiert – nichts geändert.")
    assert zustand(ordner) == vorher


def test_dry_run_changes_nothing(kampagne, tmp_path, mitglieder):
    ordner, liste = kampagne
    datei = ausfuellen(liste, tmp_path / "zurueck.xlsx", {**ALLE_WOERTER, "1": {"Ergebnis": "vielleicht"}})
    vorher = zustand(ordner)
    run = mitglieder("--ordner", ordner.pfad, "--stichtag", "01.09.2026", "import", "--trockenlauf", datei)
    assert run.code == 3
    assert run.err.startswith("Trockenlauf – es wurde nichts geändert. zurueck.xlsx: Anrufliste")
    assert zustand(ordner) == vorher
    assert not (ordner.pfad / "ausgabe" / "import-fehler-anrufliste-2026-09-01.xlsx").exists()


def test_unknown_word_reported_with_sheet_and_row_then_fixed(kampagne, tmp_path, mitglieder):
    ordner, liste = kampagne
    antworten = {"1": {"Ergebnis": "erreicht"}, "7": {"Ergebnis": "vielleicht", "Notiz": "weiß nicht"}}
    datei = ausfuellen(liste, tmp_path / "zurueck.xlsx", antworten)
    run = mitglieder("--ordner", ordner.pfad, "--stichtag", "01.09.2026", "import", datei)
    assert run.code == 3
    fehlerdatei = ordner.pfad / "ausgabe" / "import-fehler-anrufliste-2026-09-01.xlsx"
    lines = run.err.splitlines()
    assert "  Übernommene Anrufe: 1 – 1 erreicht." in lines
    assert "  Abgelehnt: 1 Zeile – 1 ohne bekanntes Ergebnis." in lines
    assert (
        "  Zeile 3: Ergebnis „vielleicht“ ist unbekannt – bitte aus der Auswahlliste wählen (Blatt „Ben“)"
        in lines
    )
    assert f"  Abgelehnte Zeilen und Warnungen: {fehlerdatei}" in lines
    rows = blatt(fehlerdatei, "Abgelehnt")
    assert rows[0][:5] == ["Fehler", "Blatt", "Zeile", "Anrufer", "Mitgliedsnummer"]
    assert rows[1][1:5] == ["Ben", 3, "Ben", "7"]
    # the volunteer's word is fixed in the error file, which is imported again
    wb = openpyxl.load_workbook(fehlerdatei)
    ws = wb["Abgelehnt"]
    ws.cell(2, rows[0].index("Ergebnis") + 1, "Rückruf vereinbart")
    wb.save(tmp_path / "korrigiert.xlsx")
    run = mitglieder(
        "--ordner", ordner.pfad, "--stichtag", "01.09.2026", "import", tmp_path / "korrigiert.xlsx"
    )
    assert run.code == 0
    assert "  Übernommene Anrufe: 1 – 1 Rückruf vereinbart." in run.err.splitlines()
    assert abfrage(ordner, "SELECT nr, ergebnis, anrufer, notiz FROM kontakte WHERE nr = '7'") == [
        ("7", "rueckruf", "Ben", "weiß nicht")
    ]


def test_messed_up_list_sheet_deleted_columns_moved_rows_sorted_blank_rows(kampagne, tmp_path):
    ordner, liste = kampagne
    datei = ausfuellen(
        liste,
        tmp_path / "chaos.xlsx",
        {
            "1": {"Ergebnis": "erreicht"},
            "2": {"Ergebnis": "NE"},
            "4": {"Ergebnis": "Mailbox"},
            "6": {"Ergebnis": "erreicht"},
        },
    )
    wb = openpyxl.load_workbook(datei)
    wb.remove(wb["Ben"])
    ws = wb["Anna"]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    ws.delete_rows(1, ws.max_row)
    order = [10, 14, 1, 3, 2, 0, 4, 5, 6, 7, 8, 9, 11, 12, 13]  # Ergebnis first, Nr in the middle
    kopf, daten = rows[0], sorted(rows[1:], key=lambda r: r[3])  # sorted by Nachname
    ws.append([kopf[i] for i in order])
    for row in daten:
        ws.append([row[i] for i in order])
        ws.append([])  # blank rows between
    ws.title = "Anna K."
    wb.save(datei)
    [result] = importieren(ordner, [datei])
    assert result.abgelehnt == 0
    assert abfrage(ordner, "SELECT nr, ergebnis, anrufer FROM kontakte ORDER BY nr") == [
        ("1", "erreicht", "Anna"),
        ("2", "nicht_erreicht", "Anna"),
        ("4", "nicht_erreicht", "Anna"),
    ]
    assert result.details["fehlende_blaetter"] == ["Ben"]
    assert (
        "  Das Blatt „Ben“ fehlt in der Datei – dessen Ergebnisse konnten nicht übernommen werden."
        in darstellung.anrufliste_saetze(result, result.bilanz)
    )


def test_a_copied_sheet_counts_once(kampagne, tmp_path):
    ordner, liste = kampagne
    datei = ausfuellen(
        liste, tmp_path / "kopie.xlsx", {"1": {"Ergebnis": "erreicht"}, "2": {"Ergebnis": "NE"}}
    )
    wb = openpyxl.load_workbook(datei)
    wb.copy_worksheet(wb["Anna"]).title = "Anna (2)"
    wb.save(datei)
    [result] = importieren(ordner, [datei])
    assert (result.uebernommen, result.details["bereits_erfasst"]) == (2, 2)
    assert abfrage(ordner, "SELECT count(*) FROM kontakte") == [(2,)]


def test_metadata_sheet_lost_is_still_a_call_list(kampagne, tmp_path, mitglieder):
    ordner, liste = kampagne
    datei = ausfuellen(
        liste, tmp_path / "ohne-meta.xlsx", {"1": {"Ergebnis": "erreicht"}, "5": {"Ergebnis": "NE"}}
    )
    wb = openpyxl.load_workbook(datei)
    wb.remove(wb["_mitgliederarbeit"])
    wb.save(datei)
    run = mitglieder("--ordner", ordner.pfad, "--stichtag", "01.09.2026", "import", datei)
    assert run.code == 0
    assert run.err.splitlines()[:2] == [
        "ohne-meta.xlsx: Anrufliste, 2 Blätter gelesen („Anna“, „Ben“), ausgefüllte Zeilen: 2.",
        "  Übernommene Anrufe: 2 – 1 erreicht, 1 nicht erreicht.",
    ]
    assert abfrage(ordner, "SELECT nr, ergebnis, anrufer FROM kontakte ORDER BY nr") == [
        ("1", "erreicht", "Anna"),
        ("5", "nicht_erreicht", "Ben"),
    ]
    # and no member was taken for an Austritt: the file was not read as a member export
    assert abfrage(ordner, "SELECT count(*) FROM mitglieder WHERE austrittsdatum IS NOT NULL") == [(0,)]


def test_number_deleted_name_left_unknown_number_and_member_who_left(kampagne, tmp_path):
    ordner, liste = kampagne
    datei = ausfuellen(
        liste,
        tmp_path / "z.xlsx",
        {"5": {"Ergebnis": "erreicht", "Mitgliedsnummer": None}, "6": {"Ergebnis": "NE"}},
    )
    wb = openpyxl.load_workbook(datei)
    wb["Ben"].append(
        [None, "999999", "Nicht", "Bekannt", "Neustadt", None, None, None, None, None, "erreicht"]
    )
    wb.save(datei)
    store = speicher.oeffnen(ordner.pfad)
    with store.transaktion(sichern=False) as conn:
        conn.execute("UPDATE mitglieder SET austrittsdatum = '2026-08-31' WHERE nr = '6'")
    store.close()
    [result] = importieren(ordner, [datei])
    assert (result.uebernommen, result.abgelehnt, result.warnungen) == (2, 1, 1)
    assert abfrage(ordner, "SELECT nr, ergebnis FROM kontakte ORDER BY nr") == [
        ("5", "erreicht"),
        ("6", "nicht_erreicht"),
    ]
    meldungen = [(p.zeile, p.meldung, p.schwer) for p in result.probleme]
    assert meldungen == [
        (
            4,
            "ist seit 31.08.2026 nicht mehr Mitglied – der Anruf wurde trotzdem erfasst (Blatt „Ben“)",
            False,
        ),
        (6, "Mitgliedsnummer 999999 ist nicht im Datenbestand (Blatt „Ben“)", True),
    ]
    assert [r[0] for r in blatt(result.fehlerdatei, "Warnungen")[1:]] == [
        "ist seit 31.08.2026 nicht mehr Mitglied – der Anruf wurde trotzdem erfasst"
    ]


def test_bad_date_is_rejected(kampagne, tmp_path):
    ordner, liste = kampagne
    datei = ausfuellen(liste, tmp_path / "z.xlsx", {"1": {"Ergebnis": "erreicht", "Datum": "gestern"}})
    [result] = importieren(ordner, [datei])
    assert result.abgelehnt == 1 and result.uebernommen == 0
    assert result.probleme[0].meldung == (
        "Datum: „gestern“ ist kein Datum (erwartet z. B. 17.09.2026) (Blatt „Anna“)"
    )


# --- the campaign of the issue, on the example data ----------------------------------------------------------------


def test_campaign_twice_on_the_example_data(beispielbestand, mitglieder, tmp_path):
    """List for three callers → results back → segment shrinks → the second list leaves out reached and blocked."""
    o = ("--ordner", beispielbestand.pfad)
    run = mitglieder(*o, "--stichtag", "01.09.2026", "--json", "segmente")
    assert run.json()["neu-ohne-kontakt"] == 118
    run = mitglieder(*o, "--stichtag", "01.09.2026", "--json", "anrufliste", "--anrufer", "Anna,Ben,Cem")
    assert run.code == 0
    erste = run.json()
    assert (erste["eintraege"], erste["ausgelassen"]) == (96, {"kein_anruf": 1, "kein_telefon": 21})

    # each caller works through the top of their sheet
    datei = Path(erste["datei"])
    woerter = [
        "erreicht",
        "nicht erreicht",
        "Rückruf vereinbart",
        "falsche Nummer",
        "kein Anruf gewünscht",
        "erreicht",
    ]
    antworten, erreicht, gesperrt = {}, set(), set()
    for name in ANRUFER:
        for i, row in enumerate(blatt(datei, name)[1:7]):
            antworten[row[1]] = {"Ergebnis": woerter[i], "Datum": date(2026, 9, 3), "Interessen": "Wahlkampf"}
            if woerter[i] == "erreicht":
                erreicht.add(row[1])
            if woerter[i] == "kein Anruf gewünscht":
                gesperrt.add(row[1])
    zurueck = ausfuellen(datei, tmp_path / "anrufliste-zurueck.xlsx", antworten)
    run = mitglieder(*o, "--stichtag", "05.09.2026", "import", zurueck)
    assert run.code == 0
    assert run.err.splitlines()[:2] == [
        "anrufliste-zurueck.xlsx: Anrufliste, 3 Blätter gelesen („Anna“, „Ben“, „Cem“), ausgefüllte Zeilen: 18.",
        "  Übernommene Anrufe: 18 – 6 erreicht, 3 nicht erreicht, 3 Rückruf vereinbart, 3 falsche Nummer, "
        "3 kein Anruf gewünscht.",
    ]

    ordner = Arbeitsordner(beispielbestand.pfad, date(2026, 9, 5))
    ohne_kontakt = {m["mitgliedsnummer"] for m in segmente.auswaehlen(ordner, "neu-ohne-kontakt").mitglieder}
    assert not (erreicht & ohne_kontakt)
    run = mitglieder(*o, "--stichtag", "05.09.2026", "--json", "segmente")
    neu = run.json()["neu"]
    assert run.json()["neu-ohne-kontakt"] == neu - len(erreicht)

    run = mitglieder(*o, "--stichtag", "05.09.2026", "anrufliste", "--anrufer", "Anna,Ben,Cem")
    assert run.code == 0
    zweite = Path(run.err.splitlines()[-2].removeprefix("Anrufliste: "))
    lines = run.err.splitlines()
    assert (
        lines[2] == "  Dazu 6 weitere Mitglieder, die ein Anruf schon erreicht hat (nicht mehr im Segment)."
    )
    assert "4 kein Anruf gewünscht" in lines[1]  # 1 from the export, 3 from the calls
    assert "3 nur mit falscher Nummer" in lines[1]
    nicht_erreicht = {
        nr for nr, a in antworten.items() if a["Ergebnis"] in ("nicht erreicht", "Rückruf vereinbart")
    }
    warten = nicht_erreicht & ohne_kontakt  # still new on 05.09.
    assert f"{len(warten)} in den letzten 7 Tagen schon angerufen" in lines[1]
    auf_liste = {r[1] for n in ANRUFER for r in blatt(zweite, n)[1:]}
    assert not (auf_liste & (erreicht | gesperrt))

    # a week later the unreached are back, with their attempt counted
    run = mitglieder(*o, "--stichtag", "12.09.2026", "--json", "anrufliste", "--anrufer", "Anna,Ben,Cem")
    dritte = Path(run.json()["datei"])
    versuche = {r[1]: r[9] for n in ANRUFER for r in blatt(dritte, n)[1:]}
    spaeter = Arbeitsordner(ordner.pfad, date(2026, 9, 12))
    noch_neu = nicht_erreicht & {m["mitgliedsnummer"] for m in segmente.auswaehlen(spaeter, "neu").mitglieder}
    assert noch_neu
    assert {nr: versuche.get(nr) for nr in noch_neu} == dict.fromkeys(noch_neu, 1)


def test_max_attempts_after_three_rounds(kampagne, tmp_path):
    ordner, liste = kampagne
    for runde, tag in enumerate((date(2026, 9, 1), date(2026, 9, 8), date(2026, 9, 15)), start=1):
        ordner = Arbeitsordner(ordner.pfad, tag)
        liste = anrufliste.anrufliste(ordner).datei
        assert "1" in {r[1] for r in blatt(liste, "Anrufliste")[1:]}, runde
        importieren(ordner, [ausfuellen(liste, tmp_path / f"r{runde}.xlsx", {"1": {"Ergebnis": "NE"}})])
    result = anrufliste.anrufliste(Arbeitsordner(ordner.pfad, date(2026, 9, 22)))
    assert result.ausgelassen == {"max_versuche": 1}


# --- attendance lists ----------------------------------------------------------------------------------------------


def test_example_attendance_list(beispielbestand, mitglieder):
    o = ("--ordner", beispielbestand.pfad)
    run = mitglieder(*o, "--stichtag", "01.09.2026", "import", TEILNAHME)
    assert run.code == 0
    assert run.err.splitlines() == [
        "teilnahme-neumitgliederabend-2026-09.xlsx: Teilnahmeliste „Neumitgliederabend“ am 17.09.2026, 25 Zeilen "
        "gelesen.",
        "  Übernommene Teilnahmen: 25 (22 per Mitgliedsnummer, 3 per Name).",
        "  Die Veranstaltung liegt nach dem Stichtag (01.09.2026); die Teilnahmen zählen ab 17.09.2026.",
    ]
    assert abfrage(beispielbestand, "SELECT DISTINCT art, datum, veranstaltung FROM kontakte") == [
        ("teilnahme", "2026-09-17", "Neumitgliederabend")
    ]
    run = mitglieder(*o, "--stichtag", "18.09.2026", "import", TEILNAHME)
    assert (
        run.err.strip()
        == "teilnahme-neumitgliederabend-2026-09.xlsx: wurde bereits importiert – nichts geändert."
    )
    assert abfrage(beispielbestand, "SELECT count(*) FROM kontakte") == [(25,)]


def _teilnahmeliste(path: Path, zeilen: list[list[object]], titel: str | None = None) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    if titel:
        ws.append([titel])
        ws.append([])
    ws.append(["Mitgliedsnummer", "Vorname", "Nachname", "Ortsverein"])
    for z in zeilen:
        ws.append(z)
    wb.save(path)
    return path


@pytest.fixture
def namensvettern(tmp_path) -> Arbeitsordner:
    folder = tmp_path / "namen"
    bestand_anlegen(
        folder,
        [
            mitglied("1", "2026-01-01", vorname="Anna", nachname="Schmidt"),
            mitglied("2", "2026-01-01", vorname="Anna", nachname="Schmidt", ortsverein="Neustadt"),
            mitglied("3", "2026-01-01", vorname="Ben", nachname="Meier"),
            mitglied("4", "2026-01-01", vorname="Cem", nachname="Yilmaz"),
            mitglied("5", "2020-01-01", vorname="Ben", nachname="Meier", austrittsdatum="2024-01-01"),
        ],
    )
    return Arbeitsordner(folder, STICHTAG)


def test_attendance_by_name_with_namesakes(namensvettern, tmp_path, mitglieder):
    datei = _teilnahmeliste(
        tmp_path / "stammtisch.xlsx",
        [
            [None, "Anna", "Schmidt", None],  # two of them: not guessed
            [None, " anna ", "SCHMIDT", "Neustadt"],  # the Ortsverein on the list tells them apart
            [None, "Ben", "Meier", None],  # the namesake left in 2024
            [None, "Dora", "Unbekannt", None],
            ["0004", "Cem", "Yilmaz", None],
            [4, "Cem", "Yilmaz", None],  # twice on the list
            [None, None, None, None],
        ],
    )
    probe = mitglieder(
        "--ordner", namensvettern.pfad, "--stichtag", "01.09.2026", "--json", "import", "--trockenlauf",
        "--art", "teilnahme", "--veranstaltung", "Stammtisch", "--datum", "20.08.2026", datei,
    )  # fmt: skip
    assert probe.code == 3
    data = probe.json()  # the terminal's sentences are in --json too, first of the keys of the list
    assert list(data)[list(data).index("erstimport") + 1 :][:2] == ["zusammenfassung", "veranstaltung"]
    assert data["zusammenfassung"].splitlines()[:2] == [
        "Trockenlauf – es wurde nichts geändert. stammtisch.xlsx: Teilnahmeliste „Stammtisch“ am 20.08.2026, "
        "6 Zeilen gelesen.",
        "  Übernommene Teilnahmen: 3 (2 per Mitgliedsnummer, 2 per Name).",
    ]
    assert (data["per_nummer"], data["per_name"], data["doppelt"]) == (2, 2, 1)
    run = mitglieder(
        "--ordner", namensvettern.pfad, "--stichtag", "01.09.2026", "import",
        "--art", "teilnahme", "--veranstaltung", "Stammtisch", "--datum", "20.08.2026", datei,
    )  # fmt: skip
    assert run.code == 3
    fehlerdatei = namensvettern.pfad / "ausgabe" / "import-fehler-teilnahme-2026-08-20.xlsx"
    assert run.err.splitlines() == [
        "stammtisch.xlsx: Teilnahmeliste „Stammtisch“ am 20.08.2026, 6 Zeilen gelesen.",
        "  Übernommene Teilnahmen: 3 (2 per Mitgliedsnummer, 2 per Name).",
        "  Mehrfach auf der Liste (einmal gezählt): 1.",
        "  Nicht zugeordnet (nicht geraten, siehe Fehlerdatei): 1 nicht eindeutig, 1 unbekannt.",
        "  Zeile 2: „Anna Schmidt“ ist nicht eindeutig: 2 Mitglieder heißen so (Ortsverein Altstadt, Neustadt) – "
        "bitte die Mitgliedsnummer eintragen",
        "  Zeile 5: „Dora Unbekannt“ ist im Datenbestand nicht zu finden – bitte die Mitgliedsnummer eintragen",
        f"  Abgelehnte Zeilen und Warnungen: {fehlerdatei}",
        "  Bitte dort korrigieren und die Datei erneut importieren.",
    ]
    assert abfrage(namensvettern, "SELECT nr, art, datum, veranstaltung FROM kontakte ORDER BY nr") == [
        ("2", "teilnahme", "2026-08-20", "Stammtisch"),
        ("3", "teilnahme", "2026-08-20", "Stammtisch"),
        ("4", "teilnahme", "2026-08-20", "Stammtisch"),
    ]
    # the error file carries event and date: fixed, it is imported without options
    wb = openpyxl.load_workbook(fehlerdatei)
    ws = wb["Abgelehnt"]
    assert [c.value for c in ws[1]] == [
        "Fehler",
        "Zeile",
        "Mitgliedsnummer",
        "Vorname",
        "Nachname",
        "Ortsverein",
    ]
    ws.cell(2, 3, "1")
    ws.delete_rows(3)
    wb.save(tmp_path / "korrigiert.xlsx")
    run = mitglieder(
        "--ordner", namensvettern.pfad, "--stichtag", "01.09.2026", "import", tmp_path / "korrigiert.xlsx"
    )
    assert run.code == 0
    assert run.err.splitlines()[1] == "  Übernommene Teilnahmen: 1 (1 per Mitgliedsnummer, 0 per Name)."


def test_attendance_title_line_and_missing_event(namensvettern, tmp_path, mitglieder):
    mit = _teilnahmeliste(
        tmp_path / "a.xlsx", [["3", "Ben", "Meier", None]], "Anwesenheitsliste Sommerfest am 15.8.2026"
    )
    [result] = importieren(namensvettern, [mit])
    assert (result.details["veranstaltung"], result.details["datum"]) == ("Sommerfest", "2026-08-15")
    ohne = _teilnahmeliste(tmp_path / "b.xlsx", [["3", "Ben", "Meier", None]])
    run = mitglieder("--ordner", namensvettern.pfad, "import", "--art", "teilnahme", ohne)
    assert run.code == 2
    assert run.err.splitlines() == [
        "Fehler: b.xlsx: der Name der Veranstaltung und das Datum fehlen – weder als Option angegeben noch in "
        "einer Titelzeile („Teilnahmeliste Neumitgliederabend – 17.09.2026“).",
        'Bitte angeben: mitglieder import --art teilnahme --veranstaltung "Neumitgliederabend" --datum '
        '17.09.2026 "b.xlsx"',
    ]


def test_attendance_number_that_belongs_to_someone_else(namensvettern, tmp_path):
    datei = _teilnahmeliste(
        tmp_path / "c.xlsx", [["3", "Dora", "Unbekannt", None]], "Teilnahmeliste Sitzung 01.08.2026"
    )
    [result] = importieren(namensvettern, [datei])
    assert result.uebernommen == 0 and result.abgelehnt == 1
    assert result.probleme[0].meldung == (
        "Mitgliedsnummer 3 gehört laut Datenbestand zu einer anderen Person – bitte Nummer und Name prüfen"
    )


def test_title_parsing():
    assert titel_lesen(["Teilnahmeliste Neumitgliederabend – 17.09.2026"]) == (
        "Neumitgliederabend",
        date(2026, 9, 17),
    )
    assert titel_lesen(["Teilnehmerliste: Wahlkampfauftakt, 2026-10-03"]) == (
        "Wahlkampfauftakt",
        date(2026, 10, 3),
    )
    assert titel_lesen(["Teilnahmeliste"]) == (None, None)
    assert titel_lesen(["Mitgliederliste Stand 31.05.2026"]) == (None, None)
