"""Findings of an outside test with real-system export layouts: no constant or yes/no column offered as the
Ortsverein, the member number never guessed between a partly filled and a full column, US dates read month
first, rows sharing a derived key named, the mapping shown as it is used."""

from __future__ import annotations

import random
import sqlite3
from datetime import date

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mitgliederarbeit import datum as dt
from mitgliederarbeit.einlesen import erkennung, spaltenweise
from mitgliederarbeit.einlesen.erkennung import erkenne
from mitgliederarbeit.einlesen.normalisieren import normalize_row
from mitgliederarbeit.einlesen.spalten import SYNONYME

from .test_erkennung import _werte
from .test_erkennung_import import _csv, _personen, _Terminal

# --- A: the Ortsverein -----------------------------------------------------------------------------------

# columns of a member export that are never the branch: (header, values for n rows)
KEINE_GLIEDERUNG = [
    ("mitglied_zahlungsweg", lambda n, rng: ["Basislastschrift"] * n),
    ("Zahlungsweg", lambda n, rng: [rng.choice(["Überweisung", "Lastschrift"]) for _ in range(n)]),
    ("Firma", lambda n, rng: ["nein"] * n),
    ("Company", lambda n, rng: [rng.choice(["yes", "no"]) for _ in range(n)]),
    ("Firmenname", lambda n, rng: [rng.choice(["", "Muster GmbH"]) for _ in range(n)]),
    ("Rollen", lambda n, rng: [f"Mitglied ({rng.choice(['Altstadt', 'Neustadt'])})" for _ in range(n)]),
    ("Roles", lambda n, rng: [f"Member ({rng.choice(['Altstadt', 'Neustadt'])})" for _ in range(n)]),
    ("Status", lambda n, rng: [rng.choice(["aktiv", "ruhend"]) for _ in range(n)]),
    ("Kontakttyp", lambda n, rng: ["Individual"] * n),
    ("Newsletter", lambda n, rng: [rng.choice(["ja", "nein"]) for _ in range(n)]),
    ("Aktiv", lambda n, rng: [rng.choice(["x", ""]) for _ in range(n)]),
    ("Land", lambda n, rng: ["Deutschland"] * n),
    ("Sonstiges", lambda n, rng: ["A"] * n),
    ("Beitragsart", lambda n, rng: [rng.choice(["voll", "ermäßigt"]) for _ in range(n)]),
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    koeder=st.lists(st.sampled_from(range(len(KEINE_GLIEDERUNG))), min_size=1, max_size=5, unique=True),
    praefix=st.sampled_from(["", "mitglied_"]),
    n=st.integers(2, 60),
    seed=st.integers(0, 10**6),
)
def test_constant_yes_no_and_non_branch_columns_are_never_offered_as_ortsverein(koeder, praefix, n, seed):
    rng = random.Random(seed)
    spalten = [("Mitgliedsnummer", _werte("nummer", n, rng)), ("Nachname", _werte("nachname", n, rng))]
    spalten += [("Eintritt", _werte("datum", n, rng))]
    spalten += [(KEINE_GLIEDERUNG[i][0], KEINE_GLIEDERUNG[i][1](n, rng)) for i in koeder]
    rng.shuffle(spalten)
    kopf = [praefix + name if not name.startswith("mitglied_") else name for name, _ in spalten]
    result = erkenne(kopf, [w for _, w in spalten], synonyme=SYNONYME)
    assert "ortsverein" not in result.zuordnung
    assert erkennung.alternativen(result, "ortsverein") == []


@settings(max_examples=40, deadline=None)
@given(
    kopf=st.sampled_from(
        [
            "Branch",
            "Local Branch",
            "Main group",
            "Main Group",
            "Hauptebene",
            "Chapter",
            "Local group",
        ]
    ),
    praefix=st.sampled_from(["", "member_"]),
    seed=st.integers(0, 1000),
)
def test_branch_headers_in_german_and_english(kopf, praefix, seed):
    rng = random.Random(seed)
    header = [f"{praefix}Member ID", f"{praefix}Last Name", f"{praefix}Joined", praefix + kopf]
    proben = [_werte(a, 30, rng) for a in ("nummer", "nachname", "datum", "ov")]
    result = erkenne(header, proben, synonyme=SYNONYME)
    assert result.zuordnung.get("ortsverein") == 3


def test_a_line_of_business_is_no_branch():
    result = erkenne(["Branche", "Nachname"], synonyme=SYNONYME)
    assert "ortsverein" not in result.zuordnung


def test_a_branch_column_without_a_known_name_is_still_offered_and_the_kreisverband_too():
    rng = random.Random(4)
    kopf = ["Mitgliedsnummer", "Nachname", "Eintritt", "Bereich", "KV"]
    proben = [_werte(a, 40, rng) for a in ("nummer", "nachname", "datum", "ov", "kv")]
    result = erkenne(kopf, proben, synonyme=SYNONYME)
    assert [k.kopf for k in erkennung.alternativen(result, "ortsverein")] == ["KV", "Bereich"]


def _jverein_zahlungsweg(path):
    header = ["mitglied_id", "mitglied_name", "mitglied_vorname", "mitglied_eintritt", "mitglied_zahlungsweg"]
    rows = [[p["id"], p["nachname"], p["vorname"], p["eintritt"], "Basislastschrift"] for p in _personen(8)]
    return _csv(path, header, rows)


def test_no_branch_like_column_names_only_the_ortsverein_option(mitglieder, tmp_path):
    export = _jverein_zahlungsweg(tmp_path / "jverein.csv")
    run = mitglieder("--stichtag", "01.09.2026", "import", export)
    assert run.code == 1
    assert run.err.splitlines() == [
        "Fehler: jverein.csv: Pflichtspalte fehlt: Ortsverein (Kopfzeile in Zeile 1: mitglied_id, mitglied_name, "
        "mitglied_vorname, mitglied_eintritt, mitglied_zahlungsweg).",
        "Keine Spalte der Datei sieht nach Namen von Gliederungen aus. Enthält der Export nur eine Gliederung, "
        "geben Sie sie an: --ortsverein NAME.",
    ]


def test_the_terminal_offers_no_constant_column(mitglieder, tmp_path, monkeypatch):
    export = _jverein_zahlungsweg(tmp_path / "jverein.csv")
    monkeypatch.setattr("sys.stdin", _Terminal("1\n"))
    run = mitglieder("--stichtag", "01.09.2026", "import", export)
    assert run.code == 1
    assert "Welche Spalte" not in run.err
    assert not (tmp_path / "mitglieder.sqlite").exists()


def test_a_suggested_column_ends_its_sentence(mitglieder, tmp_path):
    header = ["Member ID", "Last Name", "Joined", "Bereich"]
    rows = [[p["id"], p["nachname"], p["eintritt"], p["ov"]] for p in _personen(9)]
    export = _csv(tmp_path / "x.csv", header, rows)
    run = mitglieder("--stichtag", "01.09.2026", "import", export)
    assert run.code == 1
    assert run.err.splitlines()[1] == (
        "Infrage kommt: „Bereich“ (in jeder Zeile gefüllt). Zum Beispiel: --spalte ortsverein=Bereich. "
        "Enthält der Export nur eine Gliederung: --ortsverein NAME."
    )


# --- B: the member number --------------------------------------------------------------------------------


def _zwei_nummern(n: int, gefuellt: float, seed: int) -> tuple[list[str], list[list[object]]]:
    """A contact id in every row and a membership id in the first ``gefuellt`` share of rows."""
    rng = random.Random(seed)
    kontakt = [str(1000 + 7 * i) for i in range(n)]
    mitglied = [str(5000 + i) if i < round(gefuellt * n) else None for i in range(n)]
    rng.shuffle(mitglied)
    kopf = ["CiviCRM ID", "Mitglieds-ID", "Nachname", "Gliederung"]
    return kopf, [kontakt, mitglied, _werte("nachname", n, rng), _werte("ov", n, rng)]


@settings(max_examples=40, deadline=None)
@given(n=st.integers(10, 300), gefuellt=st.floats(0.55, 0.97), seed=st.integers(0, 1000))
def test_a_partly_filled_number_beside_a_full_one_is_never_guessed(n, gefuellt, seed):
    kopf, proben = _zwei_nummern(n, gefuellt, seed)
    if sum(v is not None for v in proben[1]) >= 0.98 * n:
        return  # rounding made it (almost) full
    result = erkenne(kopf, proben, synonyme=SYNONYME)
    wahl = result.felder["mitgliedsnummer"]
    assert "mitgliedsnummer" not in result.zuordnung
    assert wahl.unklar
    assert [k.kopf for k in wahl.infrage] == ["CiviCRM ID", "Mitglieds-ID"]


def test_an_almost_full_listed_number_is_taken():
    kopf, proben = _zwei_nummern(100, 0.99, 1)
    result = erkenne(kopf, proben, synonyme=SYNONYME)
    assert result.zuordnung["mitgliedsnummer"] == 1


def test_a_full_column_with_the_same_numbers_is_taken_silently():
    kopf, proben = _zwei_nummern(50, 0.7, 2)
    proben[0] = [str(5000 + i) for i in range(50)]
    proben[1] = [v if v is None else v for v in proben[0][:35]] + [None] * 15
    result = erkenne(kopf, proben, synonyme=SYNONYME)
    assert result.zuordnung["mitgliedsnummer"] == 0
    assert not result.unklar


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(10, 200),
    gefuellt=st.floats(0.5, 1.0),
    im_bestand=st.sampled_from([0, 1]),
    seed=st.integers(0, 1000),
)
def test_the_column_whose_numbers_the_store_knows_wins(n, gefuellt, im_bestand, seed):
    kopf, proben = _zwei_nummern(n, gefuellt, seed)
    from mitgliederarbeit.nummern import nummer_key

    gespeichert = {nummer_key(str(v)) for v in proben[im_bestand] if v is not None}
    gefragt: list[set[str]] = []

    def bekannt(keys: set[str]) -> set[str]:
        gefragt.append(keys)
        return keys & gespeichert

    result = erkenne(kopf, proben, synonyme=SYNONYME, bekannt=bekannt)
    assert result.zuordnung["mitgliedsnummer"] == im_bestand
    assert "der Nummern sind im Bestand" in result.felder["mitgliedsnummer"].grund
    assert gefragt


def test_the_store_is_not_asked_about_a_single_number_column():
    rng = random.Random(3)
    kopf = ["Mitgliedsnummer", "Nachname"]

    def bekannt(keys: set[str]) -> set[str]:
        raise AssertionError("asked")

    result = erkenne(
        kopf, [_werte("nummer", 20, rng), _werte("nachname", 20, rng)], synonyme=SYNONYME, bekannt=bekannt
    )
    assert result.zuordnung["mitgliedsnummer"] == 0


def _civi_export(path, n: int, gefuellt: int, seed: int = 5):
    personen = _personen(n, seed)
    header = ["CiviCRM ID", "Vorname", "Nachname", "Mitglieds-ID", "Mitgliedschaft seit", "Gliederung"]
    rows = [
        [p["id"], p["vorname"], p["nachname"], str(9000 + i) if i < gefuellt else "", p["eintritt"], p["ov"]]
        for i, p in enumerate(personen)
    ]
    return _csv(path, header, rows, delimiter=",")


def test_two_number_columns_beside_an_empty_or_foreign_store_file(mitglieder, tmp_path):
    """The store's numbers are asked for before the store is opened: an empty file (a first import stopped
    early) is set up as always, another program's database is refused in German, never a crash."""
    import sqlite3

    export = _civi_export(tmp_path / "civi_Stand 31.07.2026.csv", 20, 12)
    args = ("--stichtag", "01.09.2026", "import", export, "--spalte", "mitgliedsnummer=CiviCRM ID")
    (tmp_path / "mitglieder.sqlite").write_bytes(b"")
    run = mitglieder(*args)
    assert run.code == 0, run.err
    (tmp_path / "mitglieder.sqlite").unlink()
    with sqlite3.connect(tmp_path / "mitglieder.sqlite") as conn:
        conn.execute("CREATE TABLE rezepte (name TEXT)")
    conn.close()
    run = mitglieder(*args)
    assert run.code == 1
    assert "ist keine Datenbank von mitgliederarbeit (sie enthält „rezepte“)" in run.err


def test_cli_names_both_number_columns_and_the_store_decides_later(mitglieder, tmp_path):
    erst = _civi_export(tmp_path / "civi_Stand 31.07.2026.csv", 20, 12)
    run = mitglieder("--stichtag", "01.09.2026", "import", erst)
    assert run.code == 1
    assert run.err.splitlines() == [
        "Fehler: civi_Stand 31.07.2026.csv: für Mitgliedsnummer kommen mehrere Spalten infrage: „CiviCRM ID“ (in "
        "jeder Zeile gefüllt, Werte eindeutig) und „Mitglieds-ID“ (in 12 von 20 Zeilen gefüllt / 60 %, Werte "
        "eindeutig). Welche die Mitgliedsnummer ist, lässt sich nicht sicher sagen; mit der falschen stünden alle "
        "Mitglieder unter falschen Nummern im Bestand.",
        'Bitte die richtige wählen: --spalte mitgliedsnummer="CiviCRM ID" oder --spalte '
        "mitgliedsnummer=Mitglieds-ID – und bei jedem weiteren Export dieselbe (dauerhaft in mitglieder.toml "
        "unter [import.spalten]).",
    ]
    run = mitglieder(
        "--stichtag", "01.09.2026", "--json", "import", erst, "--spalte", "mitgliedsnummer=CiviCRM ID"
    )
    assert run.code == 0, run.err
    # the next export: the membership id is filled in more rows; the store's numbers decide, without an option
    zweit = _civi_export(tmp_path / "civi_Stand 31.08.2026.csv", 20, 18)
    run = mitglieder("--stichtag", "01.09.2026", "--json", "import", zweit)
    assert run.code == 0, run.err
    data = run.json()
    assert data["zuordnung"]["mitgliedsnummer"] == "CiviCRM ID"
    assert (data["eintritte"], data["austritte"]) == (0, 0)
    # mapped by hand to the other column: said before every member leaves
    run = mitglieder("--stichtag", "01.09.2026", "import", zweit, "--spalte", "mitgliedsnummer=Mitglieds-ID")
    assert run.code == 1
    assert run.err.splitlines() == [
        "Fehler: civi_Stand 31.08.2026.csv: die Spalte „Mitglieds-ID“ enthält kaum Mitgliedsnummern des Bestands "
        "(0 %), „CiviCRM ID“ aber 100 %. Mit „Mitglieds-ID“ gälten alle bisherigen Mitglieder als ausgetreten und "
        "alle als neu eingetreten. Es wurde nichts geändert.",
        'Die Mitgliedsnummern stehen in „CiviCRM ID“: --spalte mitgliedsnummer="CiviCRM ID" (bzw. die Zuordnung '
        "in mitglieder.toml unter [import.spalten] anpassen).",
    ]


# --- C: American dates -----------------------------------------------------------------------------------

_TAGE = st.dates(min_value=date(1950, 1, 1), max_value=date(2026, 8, 31))


@settings(max_examples=80, deadline=None)
@given(tage=st.lists(_TAGE, min_size=1, max_size=40), amerikanisch=st.booleans())
def test_the_order_of_a_column_is_told_by_its_values(tage, amerikanisch):
    form = "%m/%d/%Y" if amerikanisch else "%d/%m/%Y"
    werte = [t.strftime(form) for t in tage]
    r = dt.reihenfolge(werte)
    eindeutig = any(t.day > 12 for t in tage)
    assert not r.gemischt
    assert r.monat_zuerst == (amerikanisch and eindeutig)
    if eindeutig:  # then every value is read as it was meant
        assert [dt.parse_datum(w, r.monat_zuerst) for w in werte] == tage


def test_both_orders_in_one_column_are_mixed():
    r = dt.reihenfolge(["23/11/2019", "11/24/2019", "03/04/2015"])
    assert r.gemischt
    assert (r.nur_tag_zuerst, r.nur_monat_zuerst, r.offen) == (("23/11/2019",), ("11/24/2019",), 1)


def test_month_first_only_turns_slash_dates():
    assert dt.parse_datum("03/04/2015", True) == date(2015, 3, 4)
    assert dt.parse_datum("03.04.2015", True) == date(2015, 4, 3)
    assert dt.parse_datum("2015-03-04", True) == date(2015, 3, 4)


def _us_zellen(tage: list[date]) -> dict[str, pl.Series]:
    n = len(tage)
    return {
        "mitgliedsnummer": pl.Series("mitgliedsnummer", [str(100 + i) for i in range(n)]),
        "nachname": pl.Series("nachname", ["Muster"] * n),
        "ortsverein": pl.Series("ortsverein", ["Altstadt"] * n),
        "eintrittsdatum": pl.Series("eintrittsdatum", [t.strftime("%m/%d/%Y") for t in tage]),
    }


@settings(max_examples=30, deadline=None)
@given(tage=st.lists(_TAGE, min_size=1, max_size=30))
def test_both_normalizers_read_a_month_first_column_alike(tage):
    zellen = _us_zellen(tage)
    stand = date(2026, 9, 1)
    werte, check, _ = spaltenweise.normalize_frame(zellen, len(tage), stand, frozenset({"eintrittsdatum"}))
    spalte = werte["eintrittsdatum"].to_list()
    for i, tag in enumerate(tage):
        cells = {feld: s[i] for feld, s in zellen.items()}
        record, probleme = normalize_row(cells, i + 2, stand, frozenset({"eintrittsdatum"}))
        assert record is not None and not probleme
        assert record["eintrittsdatum"] == tag
        if not check[i]:
            assert spalte[i] == tag.isoformat()


def _us_export(path, monat_zuerst: bool = True):
    personen = _personen(12)
    form = "%m/%d/%Y" if monat_zuerst else "%d/%m/%Y"
    rows = [
        [p["id"], p["vorname"], p["nachname"], date.fromisoformat(p["eintritt_iso"]).strftime(form), p["ov"]]
        for p in personen
    ]
    return _csv(
        path, ["Member ID", "First Name", "Last Name", "Join Date", "Branch"], rows, delimiter=","
    ), personen


@pytest.mark.parametrize("leser", ["zeilen", "spalten"])
def test_us_dates_are_stored_as_meant_with_either_reader(tmp_path, leser):
    from mitgliederarbeit.einlesen.importieren import importieren
    from mitgliederarbeit.ordner import Arbeitsordner

    export, personen = _us_export(tmp_path / "us.csv")
    ordner = Arbeitsordner(tmp_path / "a", date(2026, 9, 1))
    ordner.pfad.mkdir()
    [result] = importieren(ordner, [export], leser=leser)
    assert result.abgelehnt == 0
    with sqlite3.connect(ordner.pfad / "mitglieder.sqlite") as conn:
        gespeichert = dict(conn.execute("SELECT mitgliedsnummer, eintrittsdatum FROM mitglieder"))
    assert gespeichert == {p["id"]: p["eintritt_iso"] for p in personen}


@pytest.mark.parametrize("leser", ["zeilen", "spalten"])
def test_a_date_column_that_cannot_tell_follows_the_files_month_first_column(tmp_path, leser):
    """A US export whose join dates show the month first: its exit dates, all with both numbers up to 12, are
    month first too (4 March, not 3 April), and the summary says so."""
    from mitgliederarbeit.einlesen.importieren import importieren
    from mitgliederarbeit.ordner import Arbeitsordner

    personen = _personen(12)
    rows = [
        [
            p["id"],
            p["vorname"],
            p["nachname"],
            date.fromisoformat(p["eintritt_iso"]).strftime("%m/%d/%Y"),
            p["ov"],
        ]
        + (["03/04/2026"] if i == 0 else [""])
        for i, p in enumerate(personen)
    ]
    export = _csv(
        tmp_path / "us.csv",
        ["Member ID", "First Name", "Last Name", "Join Date", "Branch", "Austritt"],
        rows,
        delimiter=",",
    )
    beleg = dt.reihenfolge(r[3] for r in rows).nur_monat_zuerst[0]
    ordner = Arbeitsordner(tmp_path / "a", date(2026, 9, 1))
    ordner.pfad.mkdir()
    [result] = importieren(ordner, [export], leser=leser)
    assert result.abgelehnt == 0
    with sqlite3.connect(ordner.pfad / "mitglieder.sqlite") as conn:
        austritt = conn.execute(
            "SELECT austrittsdatum FROM mitglieder WHERE mitgliedsnummer = ?", (personen[0]["id"],)
        ).fetchone()[0]
    assert austritt == "2026-03-04"
    assert [h for h in result.details["lesehinweise"] if "Austritt" in h] == [
        f"„Austritt“: Datumsangaben als Monat/Tag/Jahr gelesen wie in „Join Date“ (z. B. „{beleg}“)."
    ]


def test_cli_says_once_that_dates_were_read_month_first(mitglieder, tmp_path):
    export, _ = _us_export(tmp_path / "us.csv")
    run = mitglieder("--stichtag", "01.09.2026", "import", export)
    assert run.code == 0, run.err
    zeilen = [z for z in run.err.splitlines() if "Monat/Tag/Jahr" in z]
    assert zeilen == ["  „Join Date“: Datumsangaben als Monat/Tag/Jahr gelesen (z. B. „01/14/2024“)."]
    assert "enthält keine Daten" not in run.err
    run = mitglieder("--stichtag", "01.09.2026", "--json", "import", export, "--trockenlauf")
    assert run.json()["lesehinweise"] == [zeilen[0].strip()]


def test_cli_stops_on_a_column_with_both_orders(mitglieder, tmp_path):
    rows = [["1", "Muster", "23/11/2019", "Altstadt"], ["2", "Probe", "11/24/2019", "Altstadt"]]
    export = _csv(tmp_path / "x.csv", ["Member ID", "Last Name", "Join Date", "Branch"], rows, delimiter=",")
    run = mitglieder("--stichtag", "01.09.2026", "import", export)
    assert run.code == 1
    assert run.err.splitlines() == [
        "Fehler: x.csv: die Spalte „Join Date“ schreibt Datumsangaben in beiden Reihenfolgen: „23/11/2019“ geht nur "
        "als Tag/Monat/Jahr, „11/24/2019“ nur als Monat/Tag/Jahr. Welche bei einem Wert wie „03/04/2015“ gemeint "
        "ist, lässt sich nicht sagen. Es wurde nichts geändert.",
        "Bitte den Export mit einem einheitlichen Datumsformat erzeugen, am besten TT.MM.JJJJ oder JJJJ-MM-TT.",
    ]
    assert not (tmp_path / "mitglieder.sqlite").exists()


def test_cli_warns_where_an_english_slash_column_cannot_be_told(mitglieder, tmp_path):
    rows = [["1", "Muster", "03/04/2015", "Altstadt"], ["2", "Probe", "01/02/2020", "Altstadt"]]
    export = _csv(tmp_path / "x.csv", ["Member ID", "Last Name", "Join Date", "Branch"], rows, delimiter=",")
    run = mitglieder("--stichtag", "01.09.2026", "import", export)
    assert run.code == 0, run.err
    assert (
        "  „Join Date“: ob in Datumsangaben wie „03/04/2015“ der Tag oder der Monat vorn steht, lässt sich an keinem "
        "Wert erkennen; gelesen als Tag/Monat/Jahr (3. April). Stammt der Export aus einem amerikanischen System, "
        "bitte mit dem Format JJJJ-MM-TT exportieren."
    ) in run.err.splitlines()
    # a German header with day-first dates: nothing to say
    export = _csv(tmp_path / "y.csv", ["Mitgliedsnummer", "Nachname", "Eintritt", "OV"], rows, delimiter=",")
    run = mitglieder("--stichtag", "01.09.2026", "import", export)
    assert "Monat" not in run.err


# --- D: rows sharing a derived key -----------------------------------------------------------------------


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(n=st.integers(4, 30), data=st.data())
def test_rows_sharing_a_derived_key_name_each_other_and_neither_is_stored(tmp_path_factory, n, data):
    from mitgliederarbeit.einlesen.importieren import importieren
    from mitgliederarbeit.ordner import Arbeitsordner

    tmp = tmp_path_factory.mktemp("d")
    personen = _personen(n, seed=data.draw(st.integers(0, 100)))
    a, b = sorted(data.draw(st.lists(st.integers(0, n - 1), min_size=2, max_size=2, unique=True)))
    zeilen = [[p["nachname"], p["vorname"], p["geburt"], p["eintritt"], p["ov"]] for p in personen]
    zeilen[b] = [*zeilen[a][:3], zeilen[b][3], zeilen[b][4]]  # same person (or a namesake) in another row
    export = _csv(tmp / "ohne.csv", ["Nachname", "Vorname", "Geburtsdatum", "Eintritt", "Ortsverein"], zeilen)
    ordner = Arbeitsordner(tmp / "a", date(2026, 9, 1))
    ordner.pfad.mkdir()
    [result] = importieren(ordner, [export])
    doppelt = {a + 2: b + 2, b + 2: a + 2}
    assert {p.zeile: p.meldung for p in result.probleme} == {
        z: f"gleicher Schlüssel aus Nachname, Vorname, Geburtsdatum wie Zeile {other} (zwei Personen oder eine "
        "doppelt?); beide nicht übernommen"
        for z, other in doppelt.items()
    }
    assert result.uebernommen == n - 2


def test_cli_rows_sharing_a_key_name_no_person_and_the_header_list_only_real_columns(mitglieder, tmp_path):
    zeilen = [
        ["Muster", "Anna", "01.02.1980", "01.01.2010", "Altstadt"],
        ["Probe", "Ben", "02.03.1970", "01.01.2011", "Altstadt"],
        ["Muster", "Anna", "01.02.1980", "01.05.2015", "Neustadt"],
    ]
    export = _csv(
        tmp_path / "ohne.csv", ["Nachname", "Vorname", "Geburtsdatum", "Eintritt", "Ortsverein"], zeilen
    )
    run = mitglieder("--stichtag", "01.09.2026", "import", export)
    assert run.code == 3
    meldungen = [z for z in run.err.splitlines() if z.startswith("  Zeile ")]
    assert meldungen == [
        "  Zeile 2: gleicher Schlüssel aus Nachname, Vorname, Geburtsdatum wie Zeile 4 (zwei Personen oder eine "
        "doppelt?); beide nicht übernommen",
        "  Zeile 4: gleicher Schlüssel aus Nachname, Vorname, Geburtsdatum wie Zeile 2 (zwei Personen oder eine "
        "doppelt?); beide nicht übernommen",
    ]
    assert "Muster" not in run.err
    # E: a missing column's message lists the file's own columns, not the key the import added
    export = _csv(tmp_path / "ohne_ov.csv", ["Nachname", "Vorname", "Geburtsdatum", "Eintritt"], zeilen)
    run = mitglieder("--stichtag", "01.09.2026", "import", export)
    assert run.code == 1
    assert run.err.splitlines()[0] == (
        "Fehler: ohne_ov.csv: Pflichtspalte fehlt: Ortsverein (Kopfzeile in Zeile 1: Nachname, Vorname, "
        "Geburtsdatum, Eintritt)."
    )


# --- E: the mapping as it is used ------------------------------------------------------------------------


def test_a_constant_branch_column_loses_against_one_that_names_several():
    rng = random.Random(2)
    kopf = ["Mitgliedsnummer", "Nachname", "Eintritt", "Hauptebene", "Gliederungsname"]
    proben = [_werte(a, 30, rng) for a in ("nummer", "nachname", "datum", "kv", "ov")]
    result = erkenne(kopf, proben, synonyme=SYNONYME)
    assert result.zuordnung["ortsverein"] == 4


@pytest.mark.parametrize("andere", ["Regionalgruppe", "Sektion", "Hauptgruppe"])
def test_one_ortsvereins_export_keeps_its_ortsverein_column_beside_one_naming_groups(andere):
    """An Ortsverein's own export: „Ortsverein“ holds one name in every row; a column of groups within it, named
    less surely, does not win for being varied (every member would be stored under a group's name)."""
    rng = random.Random(3)
    kopf = ["Mitgliedsnummer", "Nachname", "Eintritt", "Ortsverein", andere]
    proben = [_werte(a, 30, rng) for a in ("nummer", "nachname", "datum", "kv", "ov")]
    proben[3] = ["Altstadt"] * 30
    result = erkenne(kopf, proben, synonyme=SYNONYME)
    assert result.zuordnung["ortsverein"] == 3


def test_dry_run_samples_show_dates_and_titles_as_they_are_read(mitglieder, tmp_path):
    personen = _personen(6)
    zusatz = ["Dr.", "", "Dipl.-Ing.", "", "", ""]
    rows = [
        [
            p["id"],
            p["nachname"],
            z,
            str((date.fromisoformat(p["eintritt_iso"]) - date(1899, 12, 30)).days),
            p["ov"],
        ]
        for p, z in zip(personen, zusatz, strict=True)
    ]
    export = _csv(
        tmp_path / "x.csv", ["Mitgliedsnummer", "Nachname", "Zusatz", "Eintritt", "Ortsverein"], rows
    )
    run = mitglieder("--stichtag", "01.09.2026", "import", export, "--trockenlauf")
    assert run.code == 0, run.err
    eintritte = ", ".join(
        f"„{date.fromisoformat(p['eintritt_iso']).strftime('%d.%m.%Y')}“" for p in personen[:2]
    )
    assert f"    Eintrittsdatum ← „Eintritt“: {eintritte}" in run.err.splitlines()
    assert "    Titel ← „Zusatz“: „Dr.“, „Dipl.-Ing.“" in run.err.splitlines()
    assert "Adresszusatz" not in run.err
    run = mitglieder("--stichtag", "01.09.2026", "--json", "import", export)
    assert run.json()["zuordnung"]["titel"] == "Zusatz"
    assert "adresszusatz" not in run.json()["zuordnung"]


def test_the_terminal_offers_both_number_columns(mitglieder, tmp_path, monkeypatch):
    export = _civi_export(tmp_path / "civi_Stand 31.07.2026.csv", 20, 12)
    monkeypatch.setattr("sys.stdin", _Terminal("1\n\n"))
    run = mitglieder("--stichtag", "01.09.2026", "import", export)
    assert run.code == 0, run.err
    zeilen = run.err.splitlines()
    assert zeilen[1:4] == [
        "Welche Spalte enthält Mitgliedsnummer?",
        "  1) „CiviCRM ID“",
        "  2) „Mitglieds-ID“",
    ]
    assert 'Gewählt: --spalte mitgliedsnummer="CiviCRM ID"' in run.err
