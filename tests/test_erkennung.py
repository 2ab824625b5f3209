"""The header recognizer on header sets as real member systems write them, and on varied ones (hypothesis)."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mitgliederarbeit.einlesen import erkennung
from mitgliederarbeit.einlesen.erkennung import KENNUNG, WORTTEIL, erkenne
from mitgliederarbeit.einlesen.spalten import SYNONYME

VORNAMEN = ["Anna", "Jonas", "Fatma", "Lukas", "Mia", "Emre", "Lena", "Paul", "Sofia", "Noah", "Ida", "Ben"]
NACHNAMEN = [
    "Berger",
    "Yilmaz",
    "Kowalski",
    "Schulz",
    "Nguyen",
    "Hoffmann",
    "Weber",
    "Kaya",
    "Lorenz",
    "Roth",
]
ORTSVEREINE = ["Altstadt", "Neustadt", "Südvorstadt", "Am Hafen"]


def _werte(art: str, n: int, rng: random.Random) -> list[object]:
    """n invented values of one kind."""
    if art == "nummer":
        return [str(rng.randrange(10**5, 10**6) * 10 + i % 10) for i in range(n)]
    if art == "datum":
        start = date(1975, 1, 1)
        return [(start + timedelta(days=rng.randrange(18000))).strftime("%d.%m.%Y") for _ in range(n)]
    if art == "geburt":
        start = date(1940, 1, 1)
        return [(start + timedelta(days=rng.randrange(20000))).strftime("%d.%m.%Y") for _ in range(n)]
    if art == "vorname":
        return [rng.choice(VORNAMEN) for _ in range(n)]
    if art == "nachname":
        return [rng.choice(NACHNAMEN) for _ in range(n)]
    if art == "ov":
        return [rng.choice(ORTSVEREINE) for _ in range(n)]
    if art == "kv":
        return ["Musterkreis"] * n
    if art == "telefon":
        return [f"0351 {rng.randrange(10**6, 10**7)}" for _ in range(n)]
    if art == "mobil":
        return [f"0170 {rng.randrange(10**6, 10**7)}" for _ in range(n)]
    if art == "email":
        return [f"person{i}@example.org" for i in range(n)]
    if art == "plz":
        return [f"0{rng.randrange(1000, 9999)}" for _ in range(n)]
    if art == "ja":
        return [rng.choice(["ja", "nein"]) for _ in range(n)]
    return [rng.choice(["x", "y", "z", "Text"]) for _ in range(n)]


def _spalten(
    arten: list[str], n: int, seed: int = 1, leer: dict[int, float] | None = None
) -> list[list[object]]:
    rng = random.Random(seed)
    result = []
    for col, art in enumerate(arten):
        werte = _werte(art, n, rng)
        anteil = (leer or {}).get(col, 0.0)
        werte = [None if i < anteil * n else v for i, v in enumerate(werte)]
        result.append(werte)
    return result


def _quellen(kopf: list[str], result: erkennung.Erkennung) -> dict[str, str]:
    return {feld: kopf[col] for feld, col in result.zuordnung.items()}


# header set, the kind of each column, and what must come out (field -> header)
SYSTEME = {
    "jverein": (
        [
            ("mitglied_id", "nummer"),
            ("mitglied_externemitgliedsnummer", "leer"),
            ("mitglied_anrede", "text"),
            ("mitglied_name", "nachname"),
            ("mitglied_vorname", "vorname"),
            ("mitglied_strasse", "text"),
            ("mitglied_plz", "plz"),
            ("mitglied_ort", "text"),
            ("mitglied_geburtsdatum", "geburt"),
            ("mitglied_telefonprivat", "telefon"),
            ("mitglied_telefondienstlich", "telefon"),
            ("mitglied_handy", "mobil"),
            ("mitglied_email", "email"),
            ("mitglied_eintritt", "datum"),
            ("mitglied_austritt", "leer"),
            ("mitglied_beitragsgruppe_bezeichnung", "text"),
        ],
        {
            "mitgliedsnummer": "mitglied_id",
            "nachname": "mitglied_name",
            "vorname": "mitglied_vorname",
            "eintrittsdatum": "mitglied_eintritt",
            "mobil": "mitglied_handy",
            "telefon": "mitglied_telefonprivat",
            "geburtsdatum": "mitglied_geburtsdatum",
            "plz": "mitglied_plz",
        },
    ),
    "civicrm": (
        [
            ("Kontakt-ID", "nummer"),
            ("Kontakttyp", "text"),
            ("Präfix", "text"),
            ("Formeller Titel", "text"),
            ("Vorname", "vorname"),
            ("Nachname", "nachname"),
            ("Straße", "text"),
            ("PLZ", "plz"),
            ("Ort", "text"),
            ("E-Mail", "email"),
            ("Telefon", "telefon"),
            ("Geburtsdatum", "geburt"),
            ("Mitglieds-ID", "leer"),
            ("Mitglied seit", "datum"),
            ("Ortsverband", "ov"),
            ("Kreisverband", "kv"),
        ],
        {
            "mitgliedsnummer": "Kontakt-ID",
            "titel": "Formeller Titel",
            "eintrittsdatum": "Mitglied seit",
            "ortsverein": "Ortsverband",
            "unterbezirk": "Kreisverband",
        },
    ),
    "hitobito": (
        [
            ("Vorname", "vorname"),
            ("Nachname", "nachname"),
            ("Übername", "vorname"),
            ("Haupt-E-Mail", "email"),
            ("Adresse", "text"),
            ("PLZ", "plz"),
            ("Ort", "text"),
            ("Geburtstag", "geburt"),
            ("Hauptebene", "ov"),
            ("Rollen", "text"),
            ("Telefonnummer Privat", "telefon"),
            ("Telefonnummer Mobil", "mobil"),
        ],
        {
            "vorname": "Vorname",
            "nachname": "Nachname",
            "email": "Haupt-E-Mail",
            "geburtsdatum": "Geburtstag",
            "ortsverein": "Hauptebene",
            "telefon": "Telefonnummer Privat",
            "mobil": "Telefonnummer Mobil",
        },
    ),
    "hitobito-englisch": (
        [
            ("first_name", "vorname"),
            ("last_name", "nachname"),
            ("nickname", "vorname"),
            ("email", "email"),
            ("address", "text"),
            ("zip_code", "plz"),
            ("town", "text"),
            ("country", "text"),
            ("birthday", "geburt"),
        ],
        {
            "vorname": "first_name",
            "nachname": "last_name",
            "email": "email",
            "plz": "zip_code",
            "ort": "town",
            "land": "country",
            "geburtsdatum": "birthday",
        },
    ),
    "openslides": (
        [
            ("title", "text"),
            ("first_name", "vorname"),
            ("last_name", "nachname"),
            ("email", "email"),
            ("member_number", "nummer"),
            ("structure_level", "ov"),
            ("number", "leer"),
            ("is_present", "ja"),
        ],
        {"mitgliedsnummer": "member_number", "ortsverein": "structure_level", "vorname": "first_name"},
    ),
    "dsa-englisch": (
        [
            ("AK_ID", "nummer"),
            ("first_name", "vorname"),
            ("middle_name", "text"),
            ("last_name", "nachname"),
            ("Billing_Zip", "plz"),
            ("Mailing_City", "text"),
            ("Mobile_Phone", "mobil"),
            ("Home_Phone", "telefon"),
            ("Email", "email"),
            ("Join_Date", "datum"),
            ("membership_status", "text"),
            ("DSA_chapter", "ov"),
        ],
        {
            "mitgliedsnummer": "AK_ID",
            "vorname": "first_name",
            "nachname": "last_name",
            "plz": "Billing_Zip",
            "ort": "Mailing_City",
            "mobil": "Mobile_Phone",
            "telefon": "Home_Phone",
            "eintrittsdatum": "Join_Date",
            "ortsverein": "DSA_chapter",
        },
    ),
    "abgekuerzt": (
        [
            ("Mitgl.-Nr.", "nummer"),
            ("Vorn.", "vorname"),
            ("Nachn.", "nachname"),
            ("Geb.-Dat.", "geburt"),
            ("Eintrittsdat.", "datum"),
            ("Tel. priv.", "telefon"),
            ("Mobiltel.", "mobil"),
            ("E-Mail-Adr.", "email"),
            ("Gliederungsname", "ov"),
        ],
        {
            "mitgliedsnummer": "Mitgl.-Nr.",
            "vorname": "Vorn.",
            "nachname": "Nachn.",
            "geburtsdatum": "Geb.-Dat.",
            "eintrittsdatum": "Eintrittsdat.",
            "telefon": "Tel. priv.",
            "mobil": "Mobiltel.",
            "email": "E-Mail-Adr.",
            "ortsverein": "Gliederungsname",
        },
    ),
}


@pytest.mark.parametrize("system", sorted(SYSTEME))
def test_header_sets_of_real_systems(system):
    spalten, erwartet = SYSTEME[system]
    kopf = [h for h, _ in spalten]
    proben = _spalten([a if a != "leer" else "nummer" for _, a in spalten], 40)
    for col, (_, art) in enumerate(spalten):
        if art == "leer":
            proben[col] = [None] * 38 + proben[col][38:]  # 95 % empty
    result = erkenne(kopf, proben, synonyme=SYNONYME)
    quellen = _quellen(kopf, result)
    assert {f: quellen.get(f) for f in erwartet} == erwartet
    assert not result.unklar


def test_jverein_prefix_is_set_aside():
    kopf = ["mitglied_id", "mitglied_name", "mitglied_vorname", "mitglied_eintritt", "Bemerkung"]
    result = erkenne(kopf, synonyme=SYNONYME)
    assert result.praefix == "mitglied"
    assert _quellen(kopf, result) == {
        "mitgliedsnummer": "mitglied_id",
        "nachname": "mitglied_name",
        "vorname": "mitglied_vorname",
        "eintrittsdatum": "mitglied_eintritt",
    }


def test_a_mostly_empty_synonym_loses_against_a_filled_id_column():
    kopf = ["Mitglieds-ID", "CiviCRM ID", "Nachname"]
    proben = _spalten(["nummer", "nummer", "nachname"], 100, leer={0: 0.95})
    result = erkenne(kopf, proben, synonyme=SYNONYME)
    assert result.zuordnung["mitgliedsnummer"] == 1
    wahl = result.felder["mitgliedsnummer"]
    assert (
        wahl.grund == "Name einer Kennung, in jeder Zeile gefüllt; „Mitglieds-ID“ in 95 von 100 Zeilen leer"
    )
    assert [k.kopf for k in wahl.kandidaten] == ["Mitglieds-ID", "CiviCRM ID"]


def test_two_id_columns_with_the_same_values_are_one_choice():
    kopf = ["CiviCRM ID", "Kontakt-ID", "Nachname"]
    proben = _spalten(["nummer", "nummer", "nachname"], 20)
    proben[1] = list(proben[0])
    result = erkenne(kopf, proben, synonyme=SYNONYME)
    assert result.zuordnung["mitgliedsnummer"] == 0
    assert result.felder["mitgliedsnummer"].grund.endswith("gleicher Inhalt wie „Kontakt-ID“")


def test_two_id_columns_with_different_unique_values_are_unclear():
    kopf = ["CiviCRM ID", "Externe ID", "Nachname"]
    proben = _spalten(["nummer", "nummer", "nachname"], 20, seed=3)
    result = erkenne(kopf, proben, synonyme=SYNONYME)
    assert "mitgliedsnummer" not in result.zuordnung
    assert [w.feld for w in result.unklar] == ["mitgliedsnummer"]


def test_a_running_row_count_is_never_the_member_number():
    kopf = ["Lfd. Nr.", "Nr", "Nachname"]
    proben = [
        [str(i) for i in range(1, 31)],
        [str(i) for i in range(1, 31)],
        _werte("nachname", 30, random.Random(1)),
    ]
    result = erkenne(kopf, proben, synonyme=SYNONYME)
    assert "mitgliedsnummer" not in result.zuordnung
    assert result.felder["mitgliedsnummer"].grund == "„Nr“ zählt nur die Zeilen (1, 2, 3, …)"


def test_values_that_do_not_fit_drop_a_candidate():
    kopf = ["Eintrittsgrund", "Telefonkontakt gewünscht", "Mitglied seit"]
    proben = _spalten(["text", "ja", "datum"], 20)
    result = erkenne(kopf, proben, synonyme=SYNONYME)
    assert result.zuordnung == {"eintrittsdatum": 2}


def test_the_user_mapping_is_never_overruled_by_contents():
    kopf = ["Mitglieds-ID", "CiviCRM ID"]
    proben = _spalten(["nummer", "nummer"], 20, leer={0: 0.9})
    result = erkenne(kopf, proben, synonyme=SYNONYME, explizit={"mitgliedsnummer": "Mitglieds-ID"})
    assert result.zuordnung["mitgliedsnummer"] == 0


def test_stems_and_their_order():
    kopf = [
        "Telefonnummer Arbeit",
        "Telefonnummer Privat",
        "Telefonnummer Mobil",
        "E-Mail privat",
        "Beitragsgruppe",
    ]
    result = erkenne(kopf, synonyme=SYNONYME)
    assert _quellen(kopf, result) == {
        "telefon": "Telefonnummer Privat",
        "mobil": "Telefonnummer Mobil",
        "email": "E-Mail privat",
    }
    assert result.felder["mobil"].gewaehlt.art == WORTTEIL


@pytest.mark.parametrize(
    ("kopf", "feld"),
    [
        ("Eintrittsdat.", "eintrittsdatum"),
        ("Geb.-Dat.", "geburtsdatum"),
        ("Eintr.-Datum", "eintrittsdatum"),
        ("Fam.-Name", "nachname"),
        ("Gliederungsname", "ortsverein"),
        ("Regionalgruppe", "ortsverein"),
        ("Hauptebene", "ortsverein"),
        ("Telefonnummer Mobil", "mobil"),
        ("Telefonnummer Privat", "telefon"),
        ("CiviCRM ID", "mitgliedsnummer"),
        ("Formeller Titel", "titel"),
        ("zip_code", "plz"),
    ],
)
def test_one_header_alone(kopf, feld):
    assert erkenne([kopf], synonyme=SYNONYME).zuordnung == {feld: 0}


@pytest.mark.parametrize("kopf", ["Post", "Beitragsgruppe", "Kontonummer", "Telefax", "Hausnummer ID"])
def test_headers_that_name_no_field_for_sure(kopf):
    result = erkenne([kopf], synonyme=SYNONYME)
    assert "mitgliedsnummer" not in result.zuordnung
    assert result.zuordnung in ({}, {"hausnummer": 0})


def test_alternatives_for_an_empty_ortsverein_name_the_kreisverband_first():
    kopf = ["Mitgliedsnummer", "Nachname", "Eintritt", "OV", "KV", "Beitrag"]
    proben = _spalten(["nummer", "nachname", "datum", "ov", "kv", "text"], 30, leer={3: 0.9})
    result = erkenne(kopf, proben, synonyme=SYNONYME)
    assert [k.kopf for k in erkennung.alternativen(result, "ortsverein")][:1] == ["KV"]


def test_derived_key_ignores_case_spaces_and_umlaut_spelling_but_not_the_birth_date():
    basis = ("nachname", "vorname", "geburtsdatum")
    a = erkennung.schluessel(basis, ["Müller", "Anna", "03.02.1980"])
    assert a is not None and a.startswith("NG-") and len(a) == 13
    assert erkennung.schluessel(basis, [" MUELLER ", "anna", "1980-02-03"]) == a
    assert erkennung.schluessel(basis, ["Müller", "Anna", "04.02.1980"]) != a
    assert erkennung.schluessel(basis, ["Müller", "Anna", None]) is None
    assert erkennung.schluessel(("email",), ["Anna@Example.org"]) == erkennung.schluessel(
        ("email",), ["anna@example.org "]
    )


# --- varied header sets -----------------------------------------------------------------------------------

# (variants of the header, kind of values, field)
GRUNDSPALTEN = [
    (["Mitgliedsnummer", "Mitgl.-Nr.", "Mitglieds-Nr.", "member_number"], "nummer", "mitgliedsnummer"),
    (["Vorname", "Vorn.", "first_name", "Rufname"], "vorname", "vorname"),
    (["Nachname", "Nachn.", "Familienname", "last_name"], "nachname", "nachname"),
    (["Eintrittsdatum", "Eintrittsdat.", "Eintritt am", "Mitglied seit"], "datum", "eintrittsdatum"),
    (["Ortsverein", "Gliederungsname", "Ortsgruppe", "Regionalgruppe", "OV"], "ov", "ortsverein"),
    (["Geburtsdatum", "Geb.-Dat.", "Geburtstag", "birthday"], "geburt", "geburtsdatum"),
    (["Mobil", "Handy", "Telefonnummer Mobil", "Mobiltel."], "mobil", "mobil"),
    (["E-Mail", "E-Mail-Adr.", "Haupt-E-Mail", "email"], "email", "email"),
]
# mostly empty columns whose names also fit a required field
KOEDER = [
    ("Mitglieds-ID", "nummer"),
    ("Externe Mitgliedsnummer", "nummer"),
    ("Beitritt", "datum"),
    ("Stadtteilgruppe", "ov"),
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    wahl=st.lists(st.integers(0, 4), min_size=len(GRUNDSPALTEN), max_size=len(GRUNDSPALTEN)),
    koeder=st.lists(st.sampled_from(KOEDER), max_size=3, unique=True),
    praefix=st.sampled_from(["", "mitglied_", "person."]),
    seed=st.integers(0, 10**6),
)
def test_shuffled_prefixed_abbreviated_headers_with_decoys(wahl, koeder, praefix, seed):
    rng = random.Random(seed)
    spalten = []
    for (varianten, art, feld), i in zip(GRUNDSPALTEN, wahl, strict=True):
        spalten.append((varianten[i % len(varianten)], art, feld, 0.0))
    spalten += [(name, art, None, 0.9) for name, art in koeder]
    rng.shuffle(spalten)
    kopf = [praefix + name if praefix else name for name, _, _, _ in spalten]
    n = 50
    proben = []
    for _, art, _, leer in spalten:
        werte = _werte(art, n, rng)
        stellen = set(rng.sample(range(n), int(leer * n)))
        proben.append([None if i in stellen else v for i, v in enumerate(werte)])
    result = erkenne(kopf, proben, synonyme=SYNONYME)
    for col, (_, _, feld, _) in enumerate(spalten):
        if feld:
            assert result.zuordnung.get(feld) == col, (feld, kopf, result.felder.get(feld))
    assert not result.unklar


@settings(max_examples=100, deadline=None)
@given(kopf=st.lists(st.one_of(st.none(), st.text(max_size=30)), max_size=15), seed=st.integers(0, 1000))
def test_random_headers_never_crash_and_map_each_column_once(kopf, seed):
    proben = _spalten(["text"] * len(kopf), 5, seed=seed)
    result = erkenne(kopf, proben, synonyme=SYNONYME)
    spalten = list(result.zuordnung.values())
    assert len(spalten) == len(set(spalten))
    assert all(0 <= c < len(kopf) for c in spalten)


def test_kennung_rule_excludes_counts_and_phones():
    result = erkenne(["Lfd. Nr.", "Telefonnummer", "Faxnummer", "Steuernummer"], synonyme=SYNONYME)
    assert all(k.art != KENNUNG for w in result.felder.values() for k in w.kandidaten), result.felder


def test_two_branch_columns_with_different_names_stop_but_two_phones_are_named_side_by_side():
    kopf = ["Gliederungsname", "Regionalgruppe", "Telefonnummer Privat", "Telefonnummer Andere"]
    proben = _spalten(["ov", "ov", "telefon", "telefon"], 30)
    proben[1] = [f"RG {v}" for v in proben[1]]
    result = erkenne(kopf, proben, synonyme=SYNONYME)
    assert [w.feld for w in result.unklar] == ["ortsverein"]
    assert "ortsverein" not in result.zuordnung
    assert result.zuordnung["telefon"] == 2
    assert (
        result.felder["telefon"].grund
        == "Wortteil, in jeder Zeile gefüllt; auch möglich: „Telefonnummer Andere“"
    )


def test_the_sample_values_of_the_dry_run():
    kopf = ["Mitgliedsnummer", "Eintritt"]
    proben = [[None, "0012", "0013", "0014"], [date(2020, 1, 31), date(2021, 2, 1), None, None]]
    result = erkenne(kopf, proben, synonyme=SYNONYME)
    assert result.beispiele("mitgliedsnummer") == ["0012", "0013"]
    assert result.beispiele("eintrittsdatum") == ["31.01.2020", "01.02.2021"]
    assert result.beispiele("ortsverein") == []
