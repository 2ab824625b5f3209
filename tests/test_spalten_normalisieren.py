from datetime import date

import pytest

from mitgliederarbeit.einlesen import normalisieren as n
from mitgliederarbeit.einlesen import spalten
from mitgliederarbeit.einlesen.spalten import (
    check_required,
    find_header,
    normalize_header,
    parse_spalte_option,
)
from mitgliederarbeit.errors import BedienFehler, EingabeFehler
from mitgliederarbeit.telefon import telefon, telefon_anzeige

STAND = date(2026, 5, 31)


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Mitgliedsnummer", "mitgliedsnummer"),
        ("Mitgl.-Nr.", "mitgliedsnummer"),
        ("Mitglieds-ID", "mitgliedsnummer"),
        ("Mitgliedernummer", "mitgliedsnummer"),
        ("Member ID", "mitgliedsnummer"),
        ("MITGLIEDSNUMMER", "mitgliedsnummer"),
        ("Akad. Grad", "titel"),
        ("Name", "nachname"),
        ("Familienname", "nachname"),
        ("Straße_1", "strasse"),
        ("Strasse", "strasse"),
        ("Str.", "strasse"),
        ("Hausnr.", "hausnummer"),
        ("c/o", "adresszusatz"),
        ("Postleitzahl", "plz"),
        ("Wohnort", "ort"),
        ("Geb.-Datum", "geburtsdatum"),
        ("Geburtstag", "geburtsdatum"),
        ("Aufnahmedatum", "eintrittsdatum"),
        ("Mitglied seit", "eintrittsdatum"),
        ("Eintritt am", "eintrittsdatum"),
        ("Austritt", "austrittsdatum"),
        ("Telefon privat", "telefon"),
        ("Festnetz", "telefon"),
        ("Telefon_1", "telefon"),
        ("Handy", "mobil"),
        ("Mobilfunknummer", "mobil"),
        ("eMail", "email"),
        ("E-Mail-Adresse", "email"),
        ("Mail", "email"),
        ("eMail_1", "email"),
        ("OV", "ortsverein"),
        ("Gliederung", "ortsverein"),
        ("Basisorganisation", "ortsverein"),
        ("Abteilung", "ortsverein"),
        ("Distrikt", "ortsverein"),
        ("Ortsgruppe", "ortsverein"),
        ("KV", "unterbezirk"),
        ("Kreisverband", "unterbezirk"),
        ("Sperrvermerk", "sperrvermerk"),
        ("Telefonkontakt erwünscht", "anruf_erwuenscht"),
        ("Telefonkontakt erwuenscht", "anruf_erwuenscht"),
    ],
)
def test_synonyms_map_to_fields(header, field):
    kopf = find_header([[header, "Vorname"]])
    assert kopf is not None
    assert kopf.zuordnung.get(field) == 0


def test_normalize_header_ignores_case_spaces_dots_hyphens_underscores_umlauts():
    assert normalize_header(" Mitgl.-Nr. ") == normalize_header("mitgl_nr")
    assert normalize_header("Straße") == normalize_header("STRASSE")


def test_header_found_below_a_title_block():
    rows = [
        ["Mitgliederliste Unterbezirk Musterstadt", None, None],
        ["Stand: 31.03.2025", None, None],
        [None, None, None],
        ["Mitgl.-Nr.", "Name", "Eintritt", "OV"],
        ["1", "Muster", "01.01.2020", "Altstadt"],
    ]
    kopf = find_header(rows)
    assert kopf.zeile == 3
    assert kopf.titel == ["Mitgliederliste Unterbezirk Musterstadt", "Stand: 31.03.2025"]
    assert kopf.zuordnung == {"mitgliedsnummer": 0, "nachname": 1, "eintrittsdatum": 2, "ortsverein": 3}


def test_config_and_option_synonyms():
    rows = [["Kennung", "Nachname", "Datum Beitritt", "Einheit"]]
    kopf = find_header(
        rows,
        extra={"mitgliedsnummer": ["Kennung"]},
        explizit={"ortsverein": "Einheit", "eintrittsdatum": "Datum Beitritt"},
    )
    assert kopf.zuordnung == {"mitgliedsnummer": 0, "nachname": 1, "eintrittsdatum": 2, "ortsverein": 3}


def test_missing_required_column_names_it_and_the_fix():
    kopf = find_header([["Mitgliedsnummer", "Name", "Eintritt"]])
    with pytest.raises(EingabeFehler) as info:
        check_required(kopf, "export.csv")
    assert "export.csv: Pflichtspalte fehlt: Ortsverein" in str(info.value)
    assert str(info.value).endswith(
        "Enthält der Export nur eine Gliederung, geben Sie sie an: --ortsverein NAME."
    )


def test_an_export_without_any_join_date_column_passes_the_check():
    """No column for the join date and none that looks like one: the export comes in (dates unknown/estimated)."""
    kopf = find_header([["Mitgliedsnummer", "Name", "Ortsverein"]])
    check_required(kopf, "export.csv")
    assert "eintrittsdatum" not in kopf.zuordnung


def test_spalte_option_parsing():
    assert parse_spalte_option(["ortsverein=Gliederung"]) == {"ortsverein": "Gliederung"}
    with pytest.raises(BedienFehler, match="ZIEL=QUELLE"):
        parse_spalte_option(["ortsverein"])
    with pytest.raises(BedienFehler, match="unbekanntes Feld „wohnort“"):
        parse_spalte_option(["wohnort=Ort"])


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0351 1234567", "+493511234567"),
        ("0351/1234567", "+493511234567"),
        ("+49 351 1234567", "+493511234567"),
        ("0049 351 1234567", "+493511234567"),
        ("3511234567", "+493511234567"),  # lost its leading zero in Excel
        ("1701234567", "+491701234567"),
        ("1701234567.0", "+491701234567"),
        ("(0351) 123 45 67", "+493511234567"),
        ("+43 1 5123456", "+4315123456"),
    ],
)
def test_phone_numbers_become_e164(raw, expected):
    telefon.cache_clear()
    assert telefon(raw) == (expected, True)


@pytest.mark.parametrize("raw", ["kein Telefon", "12", "0000", "abc 123"])
def test_bad_phone_is_kept_and_flagged(raw):
    assert telefon(raw) == (raw, False)


def test_phone_display_follows_din_5008():
    assert telefon_anzeige("+493511234567") == "0351 1234567"
    assert telefon_anzeige("+491701234567") == "0170 1234567"
    assert telefon_anzeige("+4315123456") == "+43 1 5123456"
    assert telefon_anzeige("kein Telefon") == "kein Telefon"


def test_plz_gets_its_zero_back_only_at_home():
    assert n.plz("1067", True) == ("01067", True)
    assert n.plz("01067", True) == ("01067", True)
    assert n.plz("1234567", True) == ("1234567", False)
    assert n.plz("1010", False) == ("1010", True)


def test_sperrvermerk_blocks_the_named_channels():
    assert n.sperrvermerk("kein Telefon") == {"kein_anruf": True}
    assert n.sperrvermerk("keine Post, keine E-Mail") == {"keine_post": True, "keine_email": True}
    assert n.sperrvermerk("ja") == {"kein_anruf": True, "keine_post": True, "keine_email": True}
    assert n.sperrvermerk("") == {}
    assert n.sperrvermerk("nein") == {}


def _row(**cells):
    base = {
        "mitgliedsnummer": "0012345",
        "nachname": "Mustermann",
        "vorname": "Erika",
        "eintrittsdatum": "01.02.2020",
        "ortsverein": "Altstadt",
    }
    base.update(cells)
    return {k: v for k, v in base.items() if v is not ...}


def test_row_normalized():
    record, problems = n.normalize_row(
        _row(anrede="Frau", plz=1067, telefon=3511234567, strasse="Lindenweg 12a"), 7, STAND
    )
    assert problems == []
    assert record["nr"] == "12345"
    assert record["mitgliedsnummer"] == "0012345"
    assert record["geschlecht"] == "w"
    assert record["plz"] == "01067"
    assert record["telefon"] == "+493511234567"
    assert (record["strasse"], record["hausnummer"]) == ("Lindenweg", "12a")
    assert record["eintrittsdatum"] == date(2020, 2, 1)


def test_name_in_one_column_is_split():
    cells = _row(nachname="Müller, Anna")
    del cells["vorname"]
    record, _ = n.normalize_row(cells, 2, STAND)
    assert (record["vorname"], record["nachname"]) == ("Anna", "Müller")


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        (_row(mitgliedsnummer=None), "Mitgliedsnummer fehlt"),
        (_row(nachname=None, vorname=None), "Name fehlt (weder Vorname noch Nachname)"),
        (_row(eintrittsdatum=None), "Eintrittsdatum fehlt"),
        (_row(eintrittsdatum="31.02.2019"), "Eintrittsdatum: „31.02.2019“ ist kein gültiges Datum"),
        (
            _row(eintrittsdatum="seit langem"),
            "Eintrittsdatum: „seit langem“ ist kein Datum (erwartet z. B. 31.03.2025)",
        ),
        (
            _row(eintrittsdatum="01.06.2026"),
            "Eintrittsdatum 01.06.2026 liegt nach dem Stand des Exports (31.05.2026)",
        ),
        (_row(ortsverein=None), "Ortsverein fehlt"),
        (
            _row(austrittsdatum="01.01.2019"),
            "Austrittsdatum 01.01.2019 liegt vor dem Eintrittsdatum 01.02.2020",
        ),
    ],
)
def test_rejected_rows_say_why(cells, message):
    record, problems = n.normalize_row(cells, 9, STAND)
    assert record is None
    assert [p.meldung for p in problems if p.schwer] == [message]
    assert problems[0].zeile == 9


@pytest.mark.parametrize(
    ("cells", "field"),
    [
        (_row(email="max.mustermann@"), "email"),
        (_row(telefon="kein Telefon"), "telefon"),
        (_row(plz="1234567"), "plz"),
        (_row(geburtsdatum="31.02.1980"), "geburtsdatum"),
        (_row(geschlecht="unklar"), "geschlecht"),
    ],
)
def test_bad_optional_values_are_warnings_and_kept(cells, field):
    record, problems = n.normalize_row(cells, 3, STAND)
    assert record is not None
    assert [p.feld for p in problems] == [field]
    assert not problems[0].schwer
    assert record["_warnfelder"] == [field]
    assert record[field] == cells[field]  # kept as it was


def test_formula_like_and_long_and_non_latin_names_are_kept_as_text():
    long_name = "A" * 300
    for name in (
        '=HYPERLINK("http://example.org")',
        "+Plus",
        "@home",
        "-Minus",
        long_name,
        "Ковальчук",
        "張偉",
        "Øre-Ñúñez",
    ):
        record, problems = n.normalize_row(_row(nachname=name), 4, STAND)
        assert problems == []
        assert record["nachname"] == name


def test_missing_ortsverein_suggests_the_kreisverband_column():
    kopf = find_header([["Mitgliedsnummer", "Nachname", "Eintrittsdatum", "Kreisverband"]])
    with pytest.raises(EingabeFehler) as info:
        check_required(kopf, "piraten.csv")
    assert 'mit --spalte ortsverein="Kreisverband"' in info.value.hint


def test_the_most_specific_column_wins():
    kopf = find_header([["Name", "Vorname", "Nachname", "Telefon 2", "Telefon", "Eintritt", "OV"]])
    assert kopf.zuordnung["nachname"] == 2
    assert kopf.zuordnung["telefon"] == 4
    kopf = find_header([["Telefon_1", "Telefon_2", "Name"]])
    assert kopf.zuordnung["telefon"] == 0


def test_every_field_has_its_synonyms_in_the_order_of_the_field_list():
    from mitgliederarbeit import felder

    assert tuple(spalten.SYNONYME) == felder.NAMEN == spalten.FELDER
    assert set(spalten.FELD_NAMEN) == set(felder.NAMEN)
