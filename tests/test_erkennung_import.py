"""Exports written the way member systems write them (invented people) through ``mitglieder import``: which
column became which field, the messages when one is missing, empty or unclear, exit codes."""

from __future__ import annotations

import csv
import random
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import openpyxl

from .test_erkennung import NACHNAMEN, VORNAMEN


def _personen(n: int, seed: int = 7) -> list[dict[str, str]]:
    rng = random.Random(seed)
    result = []
    for i in range(n):
        geburt = date(1950, 1, 1) + timedelta(days=rng.randrange(18000))
        eintritt = date(2000, 1, 1) + timedelta(days=rng.randrange(9000))
        result.append(
            {
                "id": str(4000 + i * 7),
                "vorname": VORNAMEN[i % len(VORNAMEN)],
                "nachname": f"{NACHNAMEN[i % len(NACHNAMEN)]}{'-' + chr(65 + i // 10) if i >= 10 else ''}",
                "geburt": geburt.strftime("%d.%m.%Y"),
                "geburt_iso": geburt.isoformat(),
                "eintritt": eintritt.strftime("%d.%m.%Y"),
                "eintritt_iso": eintritt.isoformat(),
                "email": f"person{i}@example.org",
                "ov": ["Altstadt", "Neustadt", "Am Hafen"][i % 3],
                "plz": f"0{1067 + i}",
                "telefon": f"0351 {1000000 + i * 13}",
                "mobil": f"0170 {2000000 + i * 17}",
            }
        )
    return result


def _csv(path: Path, header: list[str], rows: list[list[str]], *, encoding="utf-8", delimiter=";") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _nummern(folder: Path) -> list[str]:
    with sqlite3.connect(folder / "mitglieder.sqlite") as conn:
        return sorted(r[0] for r in conn.execute("SELECT mitgliedsnummer FROM mitglieder"))


def _civicrm(path: Path, n: int = 20) -> Path:
    """CiviCRM's German UI: the contact id under "CiviCRM ID", a membership id that is nearly always empty."""
    header = [
        "CiviCRM ID",
        "Kontakttyp",
        "Präfix",
        "Formeller Titel",
        "Vorname",
        "Nachname",
        "Straße",
        "PLZ",
        "Ort",
        "E-Mail",
        "Mitglieds-ID",
        "Mitglied seit",
        "Ortsverband",
    ]
    rows = [
        [p["id"], "Individuum", "Frau", "", p["vorname"], p["nachname"], "Lindenweg 3", p["plz"], "Dresden"]
        + [p["email"], "M-77" if i == 0 else "", p["eintritt_iso"], p["ov"]]
        for i, p in enumerate(_personen(n))
    ]
    return _csv(path, header, rows, encoding="utf-8-sig", delimiter=",")


def test_civicrm_export_the_filled_id_column_is_the_number(mitglieder, tmp_path):
    export = _civicrm(tmp_path / "CiviCRM_Member_Search.csv")
    run = mitglieder("--stichtag", "01.09.2026", "--json", "import", export, "--stand", "31.08.2026")
    assert run.code == 0, run.err
    data = run.json()
    assert data["uebernommen"] == 20
    assert data["zuordnung"]["mitgliedsnummer"] == "CiviCRM ID"
    assert data["zuordnung"]["titel"] == "Formeller Titel"
    assert data["zuordnung"]["eintrittsdatum"] == "Mitglied seit"
    assert data["zuordnung"]["ortsverein"] == "Ortsverband"
    assert data["zuordnung_hinweise"] == [
        "Mitgliedsnummer: Name einer Kennung, in jeder Zeile gefüllt; „Mitglieds-ID“ in 19 von 20 Zeilen leer"
    ]
    assert _nummern(tmp_path) == sorted(p["id"] for p in _personen(20))


def test_summary_names_the_source_columns(mitglieder, tmp_path):
    export = _civicrm(tmp_path / "civi.csv")
    run = mitglieder("--stichtag", "01.09.2026", "import", export, "--stand", "31.08.2026")
    assert run.code == 0
    lines = run.err.splitlines()
    assert (
        "  Spalten: Mitgliedsnummer ← „CiviCRM ID“, Anrede ← „Präfix“, Titel ← „Formeller Titel“, "
        "Vorname ← „Vorname“, Nachname ← „Nachname“, Eintrittsdatum ← „Mitglied seit“, "
        "Ortsverein ← „Ortsverband“; 4 weitere unter ihrem eigenen Namen." in lines
    )
    assert (
        "  Zuordnung – Mitgliedsnummer: Name einer Kennung, in jeder Zeile gefüllt; "
        "„Mitglieds-ID“ in 19 von 20 Zeilen leer." in lines
    )


def test_dry_run_shows_each_field_with_two_sample_values(mitglieder, tmp_path):
    export = _civicrm(tmp_path / "civi.csv")
    run = mitglieder("--stichtag", "01.09.2026", "import", export, "--stand", "31.08.2026", "--trockenlauf")
    assert run.code == 0
    lines = run.err.splitlines()
    assert "  Zuordnung der Spalten (mit zwei Beispielwerten):" in lines
    assert "    Mitgliedsnummer ← „CiviCRM ID“: „4000“, „4007“" in lines
    assert (
        "    Eintrittsdatum ← „Mitglied seit“: „{}“, „{}“".format(*[p["eintritt"] for p in _personen(2)])
        in lines
    )
    assert not (tmp_path / "mitglieder.sqlite").exists()


def _jverein(path: Path, n: int = 12) -> Path:
    """jVerein's member list: every column ``mitglied_…``, Windows-1252, no Ortsverein (one Verein)."""
    header = [
        "mitglied_id",
        "mitglied_externemitgliedsnummer",
        "mitglied_anrede",
        "mitglied_name",
        "mitglied_vorname",
        "mitglied_strasse",
        "mitglied_plz",
        "mitglied_ort",
        "mitglied_geburtsdatum",
        "mitglied_eintritt",
        "mitglied_austritt",
        "mitglied_telefonprivat",
        "mitglied_handy",
        "mitglied_email",
        "mitglied_beitragsgruppe_bezeichnung",
    ]
    rows = [
        [p["id"], "", "Herr", p["nachname"], p["vorname"], "Hauptstraße 1", p["plz"], "Görlitz", p["geburt"]]
        + [p["eintritt"], "", p["telefon"], p["mobil"], p["email"], "Vollzahler"]
        for p in _personen(n)
    ]
    return _csv(path, header, rows, encoding="cp1252")


def test_jverein_without_ortsverein_names_the_option(mitglieder, tmp_path):
    export = _jverein(tmp_path / "jverein.csv")
    run = mitglieder("--stichtag", "01.09.2026", "import", export)
    assert run.code == 1
    lines = run.err.splitlines()
    assert lines[0].startswith("Fehler: jverein.csv: Pflichtspalte fehlt: Ortsverein (Kopfzeile in Zeile 1: ")
    assert lines[1].endswith("Enthält der Export nur eine Gliederung, geben Sie sie an: --ortsverein NAME.")
    assert not (tmp_path / "mitglieder.sqlite").exists()


def test_jverein_with_ortsverein_option(mitglieder, tmp_path):
    export = _jverein(tmp_path / "jverein.csv")
    run = mitglieder("--stichtag", "01.09.2026", "--json", "import", export, "--ortsverein", "Görlitz-Mitte")
    assert run.code == 0, run.err
    data = run.json()
    assert data["uebernommen"] == 12
    assert data["ortsvereine"] == 1
    assert data["zuordnung"]["mitgliedsnummer"] == "mitglied_id"
    assert data["zuordnung"]["ortsverein"] == "Ortsverein (--ortsverein)"
    assert data["zuordnung"]["mobil"] == "mitglied_handy"
    assert _nummern(tmp_path) == sorted(p["id"] for p in _personen(12))


def test_ortsverein_from_the_config(mitglieder, tmp_path):
    (tmp_path / "mitglieder.toml").write_text('[import]\nortsverein = "Görlitz-Mitte"\n', encoding="utf-8")
    export = _jverein(tmp_path / "jverein.csv")
    run = mitglieder("--stichtag", "01.09.2026", "--json", "import", export)
    assert run.code == 0, run.err
    assert run.json()["zuordnung"]["ortsverein"] == "Ortsverein (mitglieder.toml)"


def test_config_ortsverein_must_be_text(mitglieder, tmp_path):
    (tmp_path / "mitglieder.toml").write_text("[import]\nortsverein = 3\n", encoding="utf-8")
    run = mitglieder("uebersicht")
    assert run.code == 1
    assert "„import.ortsverein“ muss ein Name sein (Text)." in run.err


def test_mostly_empty_ortsverein_stops_with_the_alternative(mitglieder, tmp_path):
    personen = _personen(10)
    rows = [
        [p["id"], p["nachname"], p["eintritt"], p["ov"] if i < 2 else "", "KV Musterkreis"]
        for i, p in enumerate(personen)
    ]
    export = _csv(tmp_path / "kv.csv", ["Mitgliedsnummer", "Nachname", "Eintritt", "OV", "KV"], rows)
    run = mitglieder("--stichtag", "01.09.2026", "import", export)
    assert run.code == 1
    assert run.err.splitlines() == [
        "Fehler: kv.csv: Ortsverein ist in 8 von 10 Zeilen leer (Spalte „OV“); „KV“ ist in jeder Zeile gefüllt: "
        "--spalte ortsverein=KV.",
        "Bitte die Spalte im Export füllen oder mit --spalte eine gefüllte Spalte zuordnen. Enthält der Export nur "
        "eine Gliederung: --ortsverein NAME.",
    ]
    run = mitglieder("--stichtag", "01.09.2026", "--json", "import", export, "--spalte", "ortsverein=KV")
    assert run.code == 0
    assert run.json()["uebernommen"] == 10


def test_missing_join_date_names_the_date_column_that_could_be_it(mitglieder, tmp_path):
    personen = _personen(6)
    rows = [[p["id"], p["nachname"], p["eintritt"], p["ov"]] for p in personen]
    export = _csv(tmp_path / "x.csv", ["Nr.", "Nachname", "Datum", "Ortsverein"], rows)
    run = mitglieder("--stichtag", "01.09.2026", "import", export)
    assert run.code == 1
    assert run.err.splitlines() == [
        "Fehler: x.csv: Pflichtspalte fehlt: Eintrittsdatum (Kopfzeile in Zeile 1: Nr., Nachname, Datum, Ortsverein).",
        "Infrage kommt: „Datum“ (in jeder Zeile gefüllt). Zum Beispiel: --spalte eintrittsdatum=Datum. Hat der "
        "Export gar kein Eintrittsdatum: --spalte eintrittsdatum= (ohne Spaltenname); dann gilt der Eintritt als "
        "unbekannt bzw. geschätzt.",
    ]


def test_two_different_id_columns_are_never_guessed(mitglieder, tmp_path):
    personen = _personen(8)
    rows = [[p["id"], str(900 + i), p["nachname"], p["eintritt"], p["ov"]] for i, p in enumerate(personen)]
    export = _csv(tmp_path / "ids.csv", ["Kontakt-ID", "Externe ID", "Nachname", "Eintritt", "OV"], rows)
    run = mitglieder("--stichtag", "01.09.2026", "import", export)
    assert run.code == 1
    assert run.err.splitlines() == [
        "Fehler: ids.csv: für Mitgliedsnummer kommen mehrere Spalten infrage, mit verschiedenen Werten: "
        "„Kontakt-ID“ (in jeder Zeile gefüllt, Werte eindeutig), „Externe ID“ (in jeder Zeile gefüllt, Werte "
        "eindeutig).",
        "Bitte die richtige wählen, z. B. --spalte mitgliedsnummer=Kontakt-ID.",
    ]


def _ohne_nummer(path: Path, personen: list[dict[str, str]]) -> Path:
    """A party's own member-list script: no number, names, birth date, join date, branch (xlsx)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Mitgliederliste Regionalverband", None])
    sheet.append([])
    sheet.append(["Vorname", "Nachname", "Geburtstag", "Eintrittsdat.", "Regionalgruppe", "E-Mail"])
    for p in personen:
        sheet.append([p["vorname"], p["nachname"], p["geburt"], p["eintritt"], p["ov"], p["email"]])
    workbook.save(path)
    return path


def test_export_without_numbers_gets_a_derived_key_and_duplicates_are_rejected(mitglieder, tmp_path):
    personen = _personen(9)
    doppelt = dict(personen[0], email="andere@example.org")  # same name and birth date: another person?
    export = _ohne_nummer(tmp_path / "liste.xlsx", [*personen, doppelt])
    run = mitglieder("--stichtag", "01.09.2026", "--json", "import", export, "--stand", "31.08.2026")
    assert run.code == 3
    data = run.json()
    assert data["zuordnung"]["mitgliedsnummer"] == "Schlüssel aus Nachname, Vorname, Geburtsdatum"
    assert data["zuordnung"]["eintrittsdatum"] == "Eintrittsdat."
    assert data["zuordnung"]["ortsverein"] == "Regionalgruppe"
    # the two rows with one key may be two people: neither is stored, both are in the error file
    assert (data["uebernommen"], data["abgelehnt"]) == (8, 2)
    nummern = _nummern(tmp_path)
    assert len(nummern) == 8 and all(n.startswith("NG-") and len(n) == 13 for n in nummern)
    fehler = openpyxl.load_workbook(tmp_path / "ausgabe" / "import-fehler-2026-08-31.xlsx")
    abgelehnt = [[c.value for c in row] for row in fehler.worksheets[0].iter_rows()]
    kopf = abgelehnt[0]
    grund = "gleicher Schlüssel aus Nachname, Vorname, Geburtsdatum wie Zeile {} (zwei Personen oder eine doppelt?); "
    assert [(r[kopf.index("Nachname")], r[kopf.index("Fehler")]) for r in abgelehnt[1:]] == [
        (personen[0]["nachname"], grund.format(13) + "beide nicht übernommen"),
        (personen[0]["nachname"], grund.format(4) + "beide nicht übernommen"),
    ]
    # the same people in another order, one spelled in capitals: nothing changes
    umgestellt = [
        dict(p, nachname=p["nachname"].upper()) if i == 3 else p for i, p in enumerate(personen[:0:-1])
    ]
    export2 = _ohne_nummer(tmp_path / "liste2.xlsx", umgestellt)
    run = mitglieder("--stichtag", "01.09.2026", "--json", "import", export2, "--stand", "31.08.2026")
    assert run.code == 0, run.err
    data = run.json()
    assert (data["eintritte"], data["austritte"]) == (0, 0)
    assert _nummern(tmp_path) == nummern


def test_utf16_unicode_text_with_abbreviated_headers(mitglieder, tmp_path):
    """Excel's "Unicode text": UTF-16 with a BOM, tabs, abbreviated headers."""
    personen = _personen(7)
    header = [
        "Mitgl.-Nr.",
        "Vorn.",
        "Nachn.",
        "Geb.-Dat.",
        "Eintr.-Datum",
        "Gliederungsname",
        "Tel. priv.",
        "Mobiltel.",
    ]
    rows = [
        [p["id"], p["vorname"], p["nachname"], p["geburt"], p["eintritt"], p["ov"], p["telefon"], p["mobil"]]
        for p in personen
    ]
    export = _csv(tmp_path / "unicode.txt", header, rows, encoding="utf-16", delimiter="\t")
    run = mitglieder("--stichtag", "01.09.2026", "--json", "import", export, "--stand", "31.08.2026")
    assert run.code == 0, run.err
    data = run.json()
    assert data["uebernommen"] == 7
    assert data["zuordnung"] == {
        "mitgliedsnummer": "Mitgl.-Nr.",
        "vorname": "Vorn.",
        "nachname": "Nachn.",
        "geburtsdatum": "Geb.-Dat.",
        "eintrittsdatum": "Eintr.-Datum",
        "ortsverein": "Gliederungsname",
        "telefon": "Tel. priv.",
        "mobil": "Mobiltel.",
    }


def test_no_header_message_shows_the_line_it_looked_at(mitglieder, tmp_path):
    path = tmp_path / "leer.csv"
    path.write_text("Bericht 2026\n\nSpalte A;Spalte B\n1;2\n", encoding="utf-8")
    run = mitglieder("--stichtag", "01.09.2026", "import", path)
    assert run.code == 1
    assert run.err.splitlines()[0] == (
        "Fehler: leer.csv: keine Kopfzeile gefunden (erwartet z. B. Mitgliedsnummer, Name, Eintritt, Ortsverein). "
        "Erste beschriebene Zeile (1): Bericht 2026."
    )


def test_added_columns_on_the_column_wise_path(ordner, tmp_path, monkeypatch):
    """--ortsverein and the derived key give the same store whether the sheet is read row- or column-wise."""
    from mitgliederarbeit.einlesen import importieren as imp

    personen = _personen(15)
    header = ["Vorname", "Nachname", "Geburtsdatum", "Eintritt", "E-Mail"]
    rows = [[p["vorname"], p["nachname"], p["geburt"], p["eintritt"], p["email"]] for p in personen]
    export = _csv(tmp_path / "ohne.csv", header, rows)
    ergebnisse = []
    for leser in ("zeilen", "spalten"):
        folder = tmp_path / f"f{leser}"
        folder.mkdir()
        from mitgliederarbeit.ordner import Arbeitsordner

        [result] = imp.importieren(
            Arbeitsordner(folder, date(2026, 9, 1)),
            [export],
            ortsverein="Altstadt",
            stand=date(2026, 8, 31),
            leser=leser,
        )
        assert result.uebernommen == 15
        assert result.details["zuordnung"]["ortsverein"] == "Ortsverein (--ortsverein)"
        with sqlite3.connect(folder / "mitglieder.sqlite") as conn:
            ergebnisse.append(
                sorted(
                    conn.execute("SELECT mitgliedsnummer, nachname, ortsverein FROM mitglieder").fetchall()
                )
            )
    assert ergebnisse[0] == ergebnisse[1]
    assert {r[2] for r in ergebnisse[0]} == {"Altstadt"}
    assert all(r[0].startswith("NG-") for r in ergebnisse[0])


def test_no_number_and_no_way_to_tell_people_apart(mitglieder, tmp_path):
    rows = [[p["vorname"], p["nachname"], p["eintritt"], p["ov"]] for p in _personen(5)]
    export = _csv(tmp_path / "namen.csv", ["Vorname", "Nachname", "Eintritt", "OV"], rows)
    run = mitglieder("--stichtag", "01.09.2026", "import", export)
    assert run.code == 1
    assert run.err.splitlines() == [
        "Fehler: namen.csv: keine Spalte mit Mitgliedsnummern, und weder Name mit Geburtsdatum noch "
        "E-Mail-Adresse sind in den meisten Zeilen gefüllt, um die Mitglieder ohne Nummer sicher "
        "auseinanderzuhalten.",
        'Gibt es eine Nummernspalte unter anderem Namen, ordnen Sie sie zu: --spalte mitgliedsnummer="…".',
    ]


def test_header_with_brackets_is_shown_as_written(mitglieder, tmp_path):
    rows = [[p["id"], p["nachname"], p["eintritt"], p["ov"], p["telefon"]] for p in _personen(4)]
    export = _csv(
        tmp_path / "k.csv", ["Mitgliedsnummer", "Nachname", "Eintritt", "OV", "Telefon [privat]"], rows
    )
    run = mitglieder("--stichtag", "01.09.2026", "import", export)
    assert run.code == 0, run.err
    assert "Telefon ← „Telefon [privat]“" in run.err


class _Terminal:
    """stdin as a terminal with the given lines typed."""

    def __init__(self, text: str) -> None:
        import io

        self._io = io.StringIO(text)

    def isatty(self) -> bool:
        return True

    def readline(self, *args: object) -> str:
        return self._io.readline(*args)

    def read(self, *args: object) -> str:
        return self._io.read(*args)


def _kv_export(tmp_path: Path) -> Path:
    personen = _personen(10)
    rows = [
        [p["id"], p["nachname"], p["eintritt"], p["ov"] if i < 2 else "", "KV Musterkreis"]
        for i, p in enumerate(personen)
    ]
    return _csv(tmp_path / "kv.csv", ["Mitgliedsnummer", "Nachname", "Eintritt", "OV", "KV"], rows)


def test_terminal_offers_the_candidates_and_saves_the_choice(mitglieder, tmp_path, monkeypatch):
    export = _kv_export(tmp_path)
    (tmp_path / "mitglieder.toml").write_text('[organisation]\nname = "KV Musterkreis"\n', encoding="utf-8")
    monkeypatch.setattr("sys.stdin", _Terminal("1\nj\n"))
    run = mitglieder("--stichtag", "01.09.2026", "import", export)
    assert run.code == 0, run.err
    lines = run.err.splitlines()
    assert lines[:4] == [
        "kv.csv: Ortsverein ist in 8 von 10 Zeilen leer (Spalte „OV“); „KV“ ist in jeder Zeile gefüllt: "
        "--spalte ortsverein=KV.",
        "Welche Spalte enthält Ortsverein?",
        "  1) „KV“",
        "Nummer (Enter: abbrechen): Neuer Datenbestand angelegt: " + str(tmp_path / "mitglieder.sqlite"),
    ]
    assert lines[-2:] == [
        "Gewählt: --spalte ortsverein=KV",
        "Diese Zuordnung in mitglieder.toml unter [import.spalten] speichern? [j/N] "
        f"Gespeichert in {tmp_path / 'mitglieder.toml'}.",
    ]
    assert (tmp_path / "mitglieder.toml").read_text(encoding="utf-8") == (
        '[organisation]\nname = "KV Musterkreis"\n\n[import.spalten]\nortsverein = ["KV"]\n'
    )
    # the next export of this kind comes in without a question
    monkeypatch.setattr("sys.stdin", _Terminal(""))
    run = mitglieder("--stichtag", "01.09.2026", "--json", "import", export, "--trockenlauf")
    assert run.code == 0
    assert run.json()["zuordnung"]["ortsverein"] == "KV"


def test_terminal_enter_cancels_and_nothing_is_saved(mitglieder, tmp_path, monkeypatch):
    export = _kv_export(tmp_path)
    monkeypatch.setattr("sys.stdin", _Terminal("\n"))
    run = mitglieder("--stichtag", "01.09.2026", "import", export)
    assert run.code == 1
    assert run.err.splitlines()[-2].startswith(
        "Nummer (Enter: abbrechen): Fehler: kv.csv: Ortsverein ist in 8 von 10 Zeilen leer"
    )
    assert not (tmp_path / "mitglieder.toml").exists()
    assert not (tmp_path / "mitglieder.sqlite").exists()


def test_saving_goes_under_an_existing_table(tmp_path):
    from mitgliederarbeit import config

    (tmp_path / "mitglieder.toml").write_text(
        '[import.spalten]\nmitgliedsnummer = ["Kennung"]\n\n[bericht]\nmin_fallzahl = 3\n', encoding="utf-8"
    )
    pfad, uebersprungen = config.spalten_speichern(
        tmp_path, {"ortsverein": 'Gliederung "Ost"', "mitgliedsnummer": "Nr"}
    )
    assert uebersprungen == ["mitgliedsnummer"]
    assert pfad.read_text(encoding="utf-8") == (
        '[import.spalten]\nortsverein = ["Gliederung \\"Ost\\""]\nmitgliedsnummer = ["Kennung"]\n\n'
        "[bericht]\nmin_fallzahl = 3\n"
    )
    assert config.load(tmp_path)["import"]["spalten"]["ortsverein"] == ['Gliederung "Ost"']


def _anwesenheitsliste(path: Path, kopf: list[str], zeilen: list[list[object]]) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(kopf)
    for z in zeilen:
        sheet.append(z)
    workbook.save(path)
    return path


def _bestand(tmp_path: Path) -> Path:
    from .test_segmente import bestand_anlegen, mitglied

    folder = tmp_path / "bestand"
    bestand_anlegen(
        folder,
        [
            mitglied(str(n), "2025-01-01", vorname=v, nachname=f"Person{n}")
            for n, v in enumerate(VORNAMEN[:5], 1)
        ],
    )
    return folder


def _kontakte(folder: Path) -> list[tuple]:
    with sqlite3.connect(folder / "mitglieder.sqlite") as conn:
        return conn.execute("SELECT nr, art FROM kontakte ORDER BY nr").fetchall()


def test_openslides_participants_only_present_people_count(mitglieder, tmp_path):
    """OpenSlides' participant export: recognized as an attendance list by ``is_present``; absent rows listed."""
    folder = _bestand(tmp_path)
    datei = _anwesenheitsliste(
        tmp_path / "teilnehmende.xlsx",
        ["title", "first_name", "last_name", "email", "member_number", "structure_level", "is_present"],
        [
            [None, "Anna", "Person1", "a@example.org", "1", "Altstadt", True],
            [None, "Jonas", "Person2", "j@example.org", "2", "Altstadt", False],
            [None, "Fatma", "Person3", "f@example.org", "3", "Altstadt", None],
            ["Dr.", "Lukas", "Person4", "l@example.org", "4", "Altstadt", "1"],
        ],
    )
    run = mitglieder(
        "--ordner", folder, "--stichtag", "01.09.2026", "--json", "import",
        "--veranstaltung", "Parteitag", "--datum", "20.08.2026", datei,
    )  # fmt: skip
    assert run.code == 0, run.err
    data = run.json()
    assert data["art"] == "teilnahme"
    assert (data["kontakte"], data["abwesend"], data["abwesend_zeilen"]) == (2, 2, [3, 4])
    assert data["anwesenheitsspalte"] == "is_present"
    assert _kontakte(folder) == [("1", "teilnahme"), ("4", "teilnahme")]


def test_anwesend_column_in_german_with_the_summary_line(mitglieder, tmp_path):
    folder = _bestand(tmp_path)
    datei = _anwesenheitsliste(
        tmp_path / "liste.xlsx",
        ["Mitgliedsnummer", "Vorname", "Nachname", "anwesend"],
        [["1", "Anna", "Person1", "ja"], ["2", "Jonas", "Person2", "nein"], ["5", "Mia", "Person5", "x"]],
    )
    run = mitglieder(
        "--ordner", folder, "--stichtag", "01.09.2026", "import", "--art", "teilnahme",
        "--veranstaltung", "Stammtisch", "--datum", "20.08.2026", datei,
    )  # fmt: skip
    assert run.code == 0, run.err
    assert run.err.splitlines() == [
        "liste.xlsx: Teilnahmeliste „Stammtisch“ am 20.08.2026, 3 Zeilen gelesen.",
        "  Übernommene Teilnahmen: 2 (2 per Mitgliedsnummer, 0 per Name).",
        "  Laut Spalte „anwesend“ nicht anwesend, nicht erfasst: 1 (Zeilen 3).",
    ]
    assert _kontakte(folder) == [("1", "teilnahme"), ("5", "teilnahme")]


def test_anwesenheitsspalte_by_name():
    from mitgliederarbeit.einlesen.erkennung import anwesenheitsspalte

    assert anwesenheitsspalte(["Nr", "Name", "Teilnahme"]) == 2
    assert anwesenheitsspalte(["teilnehmer_name", "teilnehmer_vorname", "teilnehmer_anwesend"]) == 2
    assert anwesenheitsspalte(["Mitgliedsnummer", "Name", "Bemerkung"]) is None


def test_a_large_sheet_says_its_counts_are_of_the_first_rows(ordner, tmp_path, monkeypatch):
    import pytest

    from mitgliederarbeit.einlesen import importieren as imp
    from mitgliederarbeit.errors import EingabeFehler

    # read column-wise: only the first rows are Python lists
    personen = _personen(100)
    rows = [[p["id"], p["nachname"], p["eintritt"], "", "KV Musterkreis"] for p in personen]
    export = _csv(tmp_path / "gross.csv", ["Mitgliedsnummer", "Nachname", "Eintritt", "OV", "KV"], rows)
    with pytest.raises(EingabeFehler) as info:
        imp.importieren(ordner, [export], leser="spalten")
    assert info.value.message == (
        "gross.csv: Ortsverein ist in 59 der ersten 59 Zeilen leer (Spalte „OV“); „KV“ ist in den ersten 59 "
        "Zeilen gefüllt: --spalte ortsverein=KV."
    )


def test_an_export_without_any_join_date_comes_in_and_says_so(mitglieder, tmp_path):
    """hitobito exports people without a join date: no column to map, so the export comes in without options and
    the summary says what it lacks (the whole way is in test_ohne_eintritt.py)."""
    header = ["Vorname", "Nachname", "Haupt-E-Mail", "Adresse", "PLZ", "Ort", "Geburtstag", "Hauptebene"]
    rows = [[f"V{i}", f"N{i}", f"p{i}@example.org", "Weg 2", "12345", "Ort", "1990-01-01", "Ortsverein Nord"]
            for i in range(12)]  # fmt: skip
    run = mitglieder("--stichtag", "2026-06-01", "import", _csv(tmp_path / "hitobito.csv", header, rows))
    assert run.code == 0, run.err
    assert (
        "  Der Export hat kein Eintrittsdatum: 12 Mitglieder aus dem ersten Export ihres Ortsvereins gelten als "
        "„Eintritt unbekannt“ (nie neu, keine Fristen des Standards); wer erst in einem späteren Export auftaucht, "
        "bekommt dessen Stand als geschätzten Eintritt."
    ) in run.err.splitlines()
    with sqlite3.connect(tmp_path / "mitglieder.sqlite") as conn:
        assert conn.execute("SELECT count(*), count(eintrittsdatum) FROM mitglieder").fetchone() == (12, 0)
