"""Values that must not silently damage the store: spellings of member numbers, database null dates, impossible
ISO dates, columns an export lacks, a Stand in the future, academic titles in the Zusatz, "?" for letters."""

from __future__ import annotations

import random
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mitgliederarbeit import nummern
from mitgliederarbeit.einlesen import lesen, spalten
from mitgliederarbeit.einlesen import normalisieren as nm
from mitgliederarbeit.einlesen.export import lese_export
from mitgliederarbeit.einlesen.importieren import importieren
from mitgliederarbeit.ordner import Arbeitsordner

KOPF = ["Mitgliedsnummer", "Anrede", "Titel", "Geschlecht", "Vorname", "Nachname", "Straße", "Zusatz", "PLZ",
        "Ort", "Geburtsdatum", "Eintritt", "Austritt", "Telefon", "E-Mail", "Ortsverein", "Unterbezirk",
        "Sperrvermerk"]  # fmt: skip


def leute(anzahl: int, seed: int = 7, start: int = 9300500) -> list[dict[str, str]]:
    """Invented members, the same for a seed."""
    rnd = random.Random(seed)
    result = []
    for i in range(anzahl):
        frau = rnd.random() < 0.5
        result.append(
            {
                "Mitgliedsnummer": str(start + i),
                "Anrede": "Frau" if frau else "Herr",
                "Titel": rnd.choice(["", "", "Dr."]),
                "Geschlecht": rnd.choice(["w", "d"]) if frau else "m",
                "Vorname": rnd.choice(["Anna", "Ben", "Jülide", "Kim", "Ole"]),
                "Nachname": f"{rnd.choice(['Müller', 'Weiß', 'Popović', 'Şahin'])}{i}",
                "Straße": f"Lindenweg {rnd.randint(1, 99)}",
                "Zusatz": rnd.choice(["", "", "Hinterhaus"]),
                "PLZ": "01067",
                "Ort": "Dresden",
                "Geburtsdatum": f"{rnd.randint(1, 28):02d}.{rnd.randint(1, 12):02d}.{rnd.randint(1940, 2004)}",
                "Eintritt": f"01.{rnd.randint(1, 12):02d}.{rnd.randint(1990, 2025)}",
                "Austritt": "",
                "Telefon": f"0351 {rnd.randint(1000000, 9999999)}",
                "E-Mail": f"m{i}@example.org",
                "Ortsverein": rnd.choice(["Altstadt", "Neustadt"]),
                "Unterbezirk": "Musterstadt",
                "Sperrvermerk": rnd.choice(["", "", "keine Post"]),
            }
        )
    return result


def schreiben(
    pfad: Path, zeilen: list[dict[str, str]], stand: str, *, kopf: list[str] = KOPF, encoding: str = "utf-8"
) -> Path:
    lines = ["Mitgliederliste Testverband;", f"Stand: {stand};", "", ";".join(kopf)]
    lines += [";".join(z.get(k, "") for k in kopf) for z in zeilen]
    pfad.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding, errors="replace"))
    return pfad


def abfrage(ordner: Arbeitsordner, sql: str, *params: object) -> list[tuple]:
    conn = sqlite3.connect(ordner.pfad / "mitglieder.sqlite")
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


# --- member numbers ------------------------------------------------------------------------------------------

_VOLLBREIT = str.maketrans("0123456789", "０１２３４５６７８９")


def _mit_leerraum(ziffern: str, stellen: list[int], zeichen: str) -> str:
    teile, letzte = [], 0
    for stelle in sorted(set(stellen)):
        teile.append(ziffern[letzte:stelle])
        letzte = stelle
    teile.append(ziffern[letzte:])
    return zeichen.join(t for t in teile if t)


def _tausender(ziffern: str, trenner: str) -> str:
    gruppen = []
    while ziffern:
        gruppen.insert(0, ziffern[-3:])
        ziffern = ziffern[:-3]
    return trenner.join(gruppen)


@st.composite
def schreibweise(draw: st.DrawFn, n: int) -> str:
    """One way spreadsheets, databases and people write the member number ``n``."""
    ziffern = str(n)
    stellen = draw(st.lists(st.integers(1, max(1, len(ziffern) - 1)), max_size=3))
    art = draw(st.integers(0, 11))
    if art == 0:
        return ziffern
    if art == 1:
        return "0" * draw(st.integers(1, 3)) + ziffern  # leading zeros (Excel drops them elsewhere)
    if art == 2:
        return ziffern + draw(st.sampled_from([".0", ",0", ",00", ".00"]))  # a number cell as float text
    if art == 3:
        return _mit_leerraum(ziffern, stellen, draw(st.sampled_from([" ", "\u00a0", "\u202f", "  "])))
    if art == 4:
        return _mit_leerraum(ziffern, stellen, draw(st.sampled_from(["\u200b", "\u2060", "\u00ad"])))
    if art == 5:
        return (
            draw(st.sampled_from(["\ufeff", "\u200b", " "])) + ziffern + draw(st.sampled_from(["", "\u200b"]))
        )
    if art == 6:
        return ziffern.translate(_VOLLBREIT)  # full-width digits (NFKC)
    if art == 7 and len(ziffern) > 3:
        return _tausender(ziffern, draw(st.sampled_from([".", ",", "'"])))
    if art == 8 and len(ziffern) > 1:  # every digit in an exponent form: 9.300507E+06
        return f"{ziffern[0]}{draw(st.sampled_from(['.', ',']))}{ziffern[1:]}E+{len(ziffern) - 1:02d}"
    if art == 9:
        return ziffern.translate(_VOLLBREIT) + "\u200b"
    return f" {ziffern}\t"


@given(st.integers(1, 10**12), st.data())
def test_every_spelling_of_a_number_gives_one_key(n, data):
    spelling = data.draw(schreibweise(n))
    assert nummern.nummer_key(spelling) == str(n)
    assert not nummern.nummer_gekuerzt(spelling)
    assert nm.nummer_zelle(spelling) == str(n)


@given(st.integers(1, 10**12), st.integers(1, 10**12), st.data())
def test_distinct_numbers_never_share_a_key(a, b, data):
    if a == b:
        return
    assert nummern.nummer_key(data.draw(schreibweise(a))) != nummern.nummer_key(data.draw(schreibweise(b)))


@given(st.integers(100, 10**12), st.data())
def test_an_exponent_form_that_lost_digits_is_refused_and_names_its_range(n, data):
    stellen = data.draw(st.integers(0, len(str(n)) - 2))
    text = f"{n:.{stellen}E}"  # Python writes "9.30E+06", as Excel's scientific format does
    if data.draw(st.booleans()):
        text = text.replace(".", ",")
    assert nummern.nummer_gekuerzt(text)
    assert nm.nummer_zelle(text) is nm.UNGUELTIG
    bereich = nummern.nummer_bereich(text)
    assert bereich is not None and bereich[0] <= n <= bereich[1]


def test_number_spellings_exactly():
    assert [
        nummern.nummer_key(s)
        for s in [
            "123.0",
            "93 005 07",
            "9300507\u200b",
            "９３００５０７",
            "9.300.507",
            "9.300507E+06",
            "A-7 ",
            "a-7",
        ]
    ] == ["123", "9300507", "9300507", "9300507", "9300507", "9300507", "A-7", "A-7"]
    # German Excel's format #.##0,00 and its English twin; a float part after the same separator is no number
    assert [nummern.nummer_key(s) for s in ["9.300.507,00", "9,300,507.00", "12.000,0", "9.300.507.00"]] == [
        "9300507",
        "9300507",
        "12000",
        "9.300.507.00",
    ]
    assert nummern.nummer_text("\ufeff0012\u00a0345") == "0012345"  # shown with its zeros, known without
    assert nummern.nummer_bereich("9.3E+06") == (9250000, 9350000)
    assert nummern.nummer_gekuerzt("9,30E+06") and not nummern.nummer_gekuerzt(
        "3E05"
    )  # a code, not Excel's exponent


def test_damaged_spellings_book_no_false_movements_end_to_end(mitglieder, tmp_path):
    """A clean export, one with damaged numbers, a clean one again: nobody left, nobody joined."""
    people = leute(40)
    sauber = schreiben(tmp_path / "a.csv", people, "31.01.2026")
    assert mitglieder("--stichtag", "01.12.2026", "import", sauber).code == 0
    damaged = [dict(p) for p in people]
    spellings = ["9300500.0", "93 005 01", "9300502\u200b", "９３００５０３", "\ufeff9300504", "9\u00a0300\u00a0505",
                 "9.300.506", "9.300507E+06", "0009300508"]  # fmt: skip
    for person, spelling in zip(damaged, spellings):
        person["Mitgliedsnummer"] = spelling
    damaged[9]["Mitgliedsnummer"] = "9.3E+06"  # Excel's scientific format: 9300509 is lost
    lauf = mitglieder(
        "--stichtag", "01.12.2026", "--json", "import", schreiben(tmp_path / "b.csv", damaged, "28.02.2026")
    )
    assert lauf.code == 3
    ergebnis = lauf.json()
    assert (ergebnis["eintritte"], ergebnis["austritte"], ergebnis["aenderungen"], ergebnis["abgelehnt"]) == (
        0,
        0,
        0,
        1,
    )
    lauf = mitglieder(
        "--stichtag", "01.12.2026", "import", schreiben(tmp_path / "b2.csv", damaged, "31.03.2026")
    )
    assert (
        "  Zeile 14: Mitgliedsnummer „9.3E+06“ ist in Exponentialschreibweise gekürzt (Excel); welche Nummer "
        "gemeint ist, lässt sich nicht mehr erkennen – bitte die Spalte im Export als Text formatieren"
    ) in lauf.err
    lauf = mitglieder(
        "--stichtag", "01.12.2026", "--json", "import", schreiben(tmp_path / "c.csv", people, "30.04.2026")
    )
    ergebnis = lauf.json()
    assert lauf.code == 0
    assert [ergebnis[k] for k in ("eintritte", "austritte", "wiedereintritte", "aenderungen")] == [0, 0, 0, 0]
    ordner = Arbeitsordner(tmp_path, date(2026, 12, 1))
    assert abfrage(ordner, "SELECT count(*), count(DISTINCT nr) FROM mitglieder") == [(40, 40)]
    assert abfrage(ordner, "SELECT count(*) FROM bewegungen WHERE art <> 'eintritt'") == [(0,)]
    assert abfrage(ordner, "SELECT mitgliedsnummer FROM mitglieder WHERE nr = '9300503'") == [("9300503",)]


# --- dates ---------------------------------------------------------------------------------------------------


def test_database_null_dates_are_empty_dates(ordner, tmp_path):
    people = leute(4)
    people[0]["Geburtsdatum"] = "0000-00-00"
    people[1]["Austritt"] = "00.00.0000"
    people[2]["Geburtsdatum"] = "0000-00-00 00:00:00"
    people[3]["Eintritt"] = "0000-00-00"
    [result] = importieren(ordner, [schreiben(tmp_path / "a.csv", people, "31.01.2026")])
    assert (result.uebernommen, result.abgelehnt, result.warnungen, result.austritte) == (3, 1, 0, 0)
    assert [(p.zeile, p.meldung) for p in result.probleme] == [(8, "Eintrittsdatum fehlt")]
    assert abfrage(ordner, "SELECT nr, geburtsdatum IS NULL, austrittsdatum FROM mitglieder ORDER BY nr") == [
        ("9300500", 1, None),
        ("9300501", 0, None),
        ("9300502", 1, None),
    ]
    assert nm.datum("0000-00-00") is None and nm.datum("00.00.0000") is None
    with pytest.raises(Exception, match="kein gültiges Datum"):
        nm.datum("00.13.2020")


@pytest.mark.parametrize("anzahl", [40, 60_000])
def test_an_impossible_iso_date_in_a_follow_up_export_is_named_by_row_and_column(ordner, tmp_path, anzahl):
    """Small and large (the column-wise route decides by itself for every size): the row and the field."""
    people = leute(anzahl, seed=3)
    importieren(ordner, [schreiben(tmp_path / "a.csv", people, "31.01.2026")])
    people[5]["Geburtsdatum"] = "1980-11-31"
    people[anzahl - 1]["Eintritt"] = "2020-11-31"
    [result] = importieren(ordner, [schreiben(tmp_path / "b.csv", people, "28.02.2026")])
    assert [(p.zeile, p.feld, p.meldung, p.schwer) for p in result.probleme] == [
        (
            10,
            "geburtsdatum",
            "Geburtsdatum: „1980-11-31“ ist kein gültiges Datum (übernommen wie angegeben)",
            False,
        ),
        (anzahl + 4, "eintrittsdatum", "Eintrittsdatum: „2020-11-31“ ist kein gültiges Datum", True),
    ]
    # the rejected member is not taken for an Austritt; the birth date is kept as written, flagged
    assert (result.abgelehnt, result.austritte, result.aenderungen) == (1, 0, 1)
    assert abfrage(ordner, "SELECT geburtsdatum, warnfelder FROM mitglieder WHERE nr = '9300505'") == [
        ("1980-11-31", '["geburtsdatum"]')
    ]


# --- columns an export lacks ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fehlt", [k for k in KOPF if k not in ("Mitgliedsnummer", "Nachname", "Eintritt", "Ortsverein")]
)
def test_a_column_missing_from_the_next_export_is_not_compared(ordner, tmp_path, fehlt):
    people = leute(30, seed=11)
    importieren(ordner, [schreiben(tmp_path / "a.csv", people, "31.01.2026")])
    vorher = abfrage(ordner, "SELECT * FROM mitglieder ORDER BY nr")
    kopf = [k for k in KOPF if k != fehlt]
    [result] = importieren(ordner, [schreiben(tmp_path / "b.csv", people, "28.02.2026", kopf=kopf)])
    assert (result.aenderungen, result.eintritte, result.austritte, result.wechsel) == (0, 0, 0, 0)
    nachher = abfrage(ordner, "SELECT * FROM mitglieder ORDER BY nr")
    spalten = [r[1] for r in abfrage(ordner, "PRAGMA table_info(mitglieder)")]
    ohne = {spalten.index(s) for s in ("letzter_import", "stand")}
    assert [[v for i, v in enumerate(r) if i not in ohne] for r in nachher] == [
        [v for i, v in enumerate(r) if i not in ohne] for r in vorher
    ]


def test_a_geschlecht_derived_from_the_anrede_follows_a_changed_anrede(ordner, tmp_path):
    kopf = [k for k in KOPF if k != "Geschlecht"]
    people = leute(3)
    importieren(ordner, [schreiben(tmp_path / "a.csv", people, "31.01.2026", kopf=kopf)])
    people[0]["Anrede"] = "Herr" if people[0]["Anrede"] == "Frau" else "Frau"
    [result] = importieren(ordner, [schreiben(tmp_path / "b.csv", people, "28.02.2026", kopf=kopf)])
    assert result.aenderungen == 1
    assert abfrage(ordner, "SELECT geschlecht FROM mitglieder WHERE nr = '9300500'") == [
        ("m" if people[0]["Anrede"] == "Herr" else "w",)
    ]


# --- the Stand -----------------------------------------------------------------------------------------------


def test_a_stand_in_the_future_is_refused_and_blocks_nothing(mitglieder, tmp_path):
    people = leute(5)
    lauf = mitglieder(
        "--stichtag", "01.12.2026", "import", schreiben(tmp_path / "a.csv", people, "31.03.2099")
    )
    assert lauf.code == 1
    assert (
        "a.csv: der Stand 31.03.2099 (Titelzeile „Stand: …“) liegt nach dem Stichtag 01.12.2026 – ein Export "
        "kann nicht aus der Zukunft stammen. Es wurde nichts geändert." in lauf.err
    )
    assert not (tmp_path / "mitglieder.sqlite").exists()
    lauf = mitglieder(
        "--stichtag",
        "01.12.2026",
        "import",
        "--stand",
        "03.01.2027",
        schreiben(tmp_path / "b.csv", people, "30.11.2026"),
    )
    assert lauf.code == 2
    assert "der Stand 03.01.2027 (--stand) liegt nach dem Stichtag 01.12.2026" in lauf.err
    # up to a month ahead is an export dated to the end of its month
    lauf = mitglieder(
        "--stichtag", "01.12.2026", "import", schreiben(tmp_path / "c.csv", people, "31.12.2026")
    )
    assert lauf.code == 0
    lauf = mitglieder(
        "--stichtag", "01.01.2027", "import", schreiben(tmp_path / "d.csv", people, "31.01.2027")
    )
    assert lauf.code == 0
    # an impossible Stand does not silently become the Stichtag
    lauf = mitglieder(
        "--stichtag", "01.03.2027", "import", schreiben(tmp_path / "e.csv", people, "31.02.2027")
    )
    assert lauf.code == 1
    assert "e.csv: die Titelzeile nennt den Stand „31.02.2027“ – das ist kein gültiges Datum." in lauf.err


# --- titles and damaged letters ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("titel", "zusatz", "erwartet"),
    [
        ("", "Dr.", ("Dr.", None)),
        ("", "Prof. Dr. med.", ("Prof. Dr. med.", None)),
        ("", "Dipl.-Ing. (FH)", ("Dipl.-Ing. (FH)", None)),
        ("", "c/o Dr. Weber", (None, "c/o Dr. Weber")),
        ("", "Hinterhaus", (None, "Hinterhaus")),
        ("Prof. Dr.", "Dr.", ("Prof. Dr.", None)),
        ("Prof.", "Dr. med.", ("Prof.", "Dr. med.")),  # two titles that do not agree: nothing guessed
    ],
)
def test_an_academic_title_in_the_zusatz_is_the_title(ordner, tmp_path, titel, zusatz, erwartet):
    people = leute(1)
    people[0].update(Titel=titel, Zusatz=zusatz)
    importieren(ordner, [schreiben(tmp_path / "a.csv", people, "31.01.2026")])
    assert abfrage(ordner, "SELECT titel, adresszusatz FROM mitglieder") == [erwartet]


def test_a_title_in_the_zusatz_without_a_title_column_keeps_the_other_titles(ordner, tmp_path):
    people = leute(3)
    for p, titel in zip(people, ["Prof.", "", "Dr."]):
        p["Titel"] = titel
    importieren(ordner, [schreiben(tmp_path / "a.csv", people, "31.01.2026")])
    people[1]["Zusatz"] = "Dr."
    kopf = [k for k in KOPF if k != "Titel"]
    [result] = importieren(ordner, [schreiben(tmp_path / "b.csv", people, "28.02.2026", kopf=kopf)])
    assert abfrage(ordner, "SELECT titel, adresszusatz FROM mitglieder ORDER BY nr") == [
        ("Prof.", people[0]["Zusatz"] or None),
        ("Dr.", None),
        ("Dr.", people[2]["Zusatz"] or None),
    ]
    assert result.aenderungen == 1


def test_formeller_titel_and_the_column_wise_route_agree(tmp_path):
    """CiviCRM's "Formeller Titel" is the title; a title in "Zusatz" comes out the same on either route."""
    kopf = ["Kontakt-ID", "Formeller Titel", "Nachname", "Zusatz", "Eintritt", "Ortsverein"]
    zeilen = [["1", "", "A", "Dr.", "01.01.2020", "X"], ["2", "Prof.", "B", "Dr.", "01.01.2020", "X"],
              ["3", "", "C", "2. OG", "01.01.2020", "X"], ["4", "Dr.", "D", "", "01.01.2020", "X"]]  # fmt: skip
    pfad = tmp_path / "civi.csv"
    pfad.write_text("\n".join(";".join(z) for z in [kopf, *zeilen]) + "\n", encoding="utf-8")
    ordner = Arbeitsordner(tmp_path / "w", date(2026, 12, 1))
    export = lese_export(lesen.read(pfad), config=ordner.config, stichtag=ordner.stichtag)
    assert export.kopf.spalten[export.kopf.zuordnung["titel"]] == "Formeller Titel"
    namenszusatz = spalten.find_header(
        [["Mitgliedsnummer", "Nachname", "Eintritt", "Ortsverein", "Namenszusatz"]]
    )
    assert (
        namenszusatz is not None and "adresszusatz" not in namenszusatz.zuordnung
    )  # "jun." is no address line
    werte = [(r["titel"], r["adresszusatz"]) for r in export.datensaetze]
    assert werte == [("Dr.", None), ("Prof.", "Dr."), (None, "2. OG"), ("Dr.", None)]
    zeilen_einzeln = [
        nm.normalize_row(
            dict(
                zip(
                    ["mitgliedsnummer", "titel", "nachname", "adresszusatz", "eintrittsdatum", "ortsverein"],
                    z,
                )
            ),
            2,
            date(2026, 12, 1),
        )[0]  # fmt: skip
        for z in zeilen
    ]
    assert [(r["titel"] or None, r["adresszusatz"] or None) for r in zeilen_einzeln] == werte


def test_question_marks_for_letters_keep_the_stored_spelling(mitglieder, tmp_path):
    people = leute(6)
    assert (
        mitglieder(
            "--stichtag", "01.12.2026", "import", schreiben(tmp_path / "a.csv", people, "31.01.2026")
        ).code
        == 0
    )
    people[1]["Ort"] = "Görlitz"  # a real change, written in cp1252 as it is
    # the exporting system writes Windows-1252 and puts "?" for ć, Ş
    lauf = mitglieder(
        "--stichtag", "01.12.2026", "--json", "import",
        schreiben(tmp_path / "b.csv", people, "28.02.2026", encoding="cp1252"),
    )  # fmt: skip
    ergebnis = lauf.json()
    damaged = sum(1 for p in people if any(c in p["Nachname"] for c in "ćŞş"))
    assert damaged >= 2
    assert (ergebnis["aenderungen"], ergebnis["fragezeichen_behalten"]) == (1, damaged)
    assert ergebnis["hinweise"] == [
        f"Bei {damaged} Mitgliedern stand im Export „?“ statt eines Buchstabens, den das exportierende System "
        "nicht darstellen konnte (z. B. „Popovi?“ für „Popović“): die gespeicherte Schreibweise wurde behalten, "
        "das zählt nicht als Änderung."
    ]
    ordner = Arbeitsordner(tmp_path, date(2026, 12, 1))
    assert sorted(r[0] for r in abfrage(ordner, "SELECT nachname FROM mitglieder")) == sorted(
        p["Nachname"] for p in people
    )
    assert abfrage(ordner, "SELECT count(*) FROM mitglieder WHERE nachname LIKE '%?%'") == [(0,)]
    people[0]["Vorname"] = "Jan"
    lauf = mitglieder(
        "--stichtag",
        "01.12.2026",
        "import",
        schreiben(tmp_path / "c.csv", people, "31.03.2026", encoding="cp1252"),
    )
    assert lauf.err.count("statt eines Buchstabens") == 1
    assert "Änderungen: 1." in lauf.err
    assert nm.fragezeichen_statt("Popović", "Popovi?") and not nm.fragezeichen_statt("Mayer", "May?r")


# --- mass Austritte ------------------------------------------------------------------------------------------


def test_one_ortsverein_losing_most_of_its_members_is_refused(mitglieder, tmp_path):
    people = leute(120, seed=5)
    for i, p in enumerate(people):
        p["Ortsverein"] = "Altstadt" if i < 100 else "Neustadt"
    assert (
        mitglieder(
            "--stichtag", "01.12.2026", "import", schreiben(tmp_path / "a.csv", people, "31.01.2026")
        ).code
        == 0
    )
    # twelve of Neustadt's twenty rows lost (10 % of the export, 60 % of Neustadt)
    ohne = people[:100] + people[112:]
    lauf = mitglieder("--stichtag", "01.12.2026", "import", schreiben(tmp_path / "b.csv", ohne, "28.02.2026"))
    assert lauf.code == 1
    assert (
        "b.csv: 12 von 20 Mitgliedern des Ortsvereins „Neustadt“ fehlen in diesem Export und würden als "
        "ausgetreten geführt. Es wurde nichts geändert." in lauf.err
    )
    ordner = Arbeitsordner(tmp_path, date(2026, 12, 1))
    assert abfrage(ordner, "SELECT count(*) FROM mitglieder WHERE austrittsdatum IS NULL") == [(120,)]
    # eleven of a hundred leaving in one month is plausible; confirmed, twelve of twenty are too
    lauf = mitglieder(
        "--stichtag",
        "01.12.2026",
        "--json",
        "import",
        schreiben(tmp_path / "c.csv", people[11:], "28.02.2026"),
    )
    assert (lauf.code, lauf.json()["austritte"]) == (0, 11)
    lauf = mitglieder(
        "--stichtag", "01.12.2026", "--json", "import", "--vollstaendig",
        schreiben(tmp_path / "d.csv", people[11:100] + people[112:], "31.03.2026"),
    )  # fmt: skip
    assert (lauf.code, lauf.json()["austritte"]) == (0, 12)


# --- history -------------------------------------------------------------------------------------------------


def test_an_announced_exit_is_counted_once_when_its_day_has_come(ordner, tmp_path):
    people = leute(12)
    people[0]["Austritt"] = "15.02.2026"  # announced in January's export for February
    people[1]["Austritt"] = "15.02.2026"
    [a] = importieren(ordner, [schreiben(tmp_path / "a.csv", people, "31.01.2026")])
    assert a.austritte == 0
    zweite = [p for p in people if p is not people[1]]  # one repeated, one missing
    [b] = importieren(ordner, [schreiben(tmp_path / "b.csv", zweite, "28.02.2026")])
    assert (b.austritte, b.wiedereintritte, b.eintritte) == (2, 0, 0)
    [c] = importieren(ordner, [schreiben(tmp_path / "c.csv", zweite, "31.03.2026")])
    assert (c.austritte, c.wiedereintritte) == (0, 0)
    assert abfrage(ordner, "SELECT nr, datum FROM bewegungen WHERE art = 'austritt' ORDER BY nr") == [
        ("9300500", "2026-02-15"),
        ("9300501", "2026-02-15"),
    ]


def test_a_move_and_an_exit_in_one_export_leave_no_period_ending_before_it_starts(ordner, tmp_path):
    people = leute(12)
    for p in people:
        p["Ortsverein"] = "Altstadt"
    importieren(ordner, [schreiben(tmp_path / "a.csv", people, "31.01.2026")])
    people[0].update(Ortsverein="Neustadt", Austritt="10.02.2026")
    [b] = importieren(ordner, [schreiben(tmp_path / "b.csv", people, "28.02.2026")])
    assert (b.wechsel, b.austritte) == (1, 1)
    assert abfrage(ordner, "SELECT count(*) FROM zugehoerigkeit WHERE bis < von") == [(0,)]
    assert abfrage(
        ordner, "SELECT ortsverein, von, bis FROM zugehoerigkeit WHERE nr = '9300500' ORDER BY rowid"
    ) == [
        ("Altstadt", people[0]["Eintritt"][6:] + "-" + people[0]["Eintritt"][3:5] + "-01", "2026-02-10"),
        ("Neustadt", "2026-02-10", "2026-02-10"),
    ]
    assert abfrage(
        ordner, "SELECT art, datum FROM bewegungen WHERE nr = '9300500' AND art <> 'eintritt'"
    ) == [
        ("wechsel", "2026-02-10"),
        ("austritt", "2026-02-10"),
    ]


@pytest.mark.parametrize(
    ("anrede", "titel", "erwartet"),
    [
        ("Frau Dr.", "", ("Frau", "Dr.", "w")),
        ("Herrn Prof. Dr. med.", "", ("Herrn", "Prof. Dr. med.", "m")),
        ("Dr.", "", (None, "Dr.", None)),  # CiviCRM's prefix
        ("Frau Dr.", "Dr.", ("Frau", "Dr.", "w")),
        ("Herr Prof.", "Dr.", ("Herr Prof.", "Dr.", "m")),  # two titles that do not agree: nothing guessed
        ("Frau Dr. Weber", "", ("Frau Dr. Weber", None, "w")),
    ],
)
def test_a_title_in_the_anrede_is_the_title(ordner, tmp_path, anrede, titel, erwartet):
    people = leute(1)
    people[0].update(Anrede=anrede, Titel=titel, Geschlecht="", Zusatz="")
    importieren(ordner, [schreiben(tmp_path / "a.csv", people, "31.01.2026")])
    assert abfrage(ordner, "SELECT anrede, titel, geschlecht FROM mitglieder") == [erwartet]
