"""Findings of an outside test with real-system export layouts: no constant or yes/no column offered as the
Ortsverein, the member number never guessed between a partly filled and a full column, US dates read month
first, rows sharing a derived key named, the mapping shown as it is used."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mitgliederarbeit.einlesen import erkennung
from mitgliederarbeit.einlesen.erkennung import erkenne
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
            "Gruppe",
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
