"""The importer: core behaviour on tiny exports, the snapshot diff, and the example exports."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from mitgliederarbeit.einlesen.importieren import importieren
from mitgliederarbeit.errors import BedienFehler, EingabeFehler
from mitgliederarbeit.ordner import Arbeitsordner

from .conftest import EXPORT_AUGUST, EXPORT_MAI

HEADER = [
    "Mitgliedsnummer",
    "Vorname",
    "Nachname",
    "Eintritt",
    "Ortsverein",
    "Telefon",
    "Straße",
    "PLZ",
    "Ort",
]


def write_csv(
    path: Path,
    rows: list[list[object]],
    *,
    stand: str | None = None,
    header: list[str] = HEADER,
    encoding: str = "utf-8",
    delimiter: str = ";",
) -> Path:
    lines = []
    if stand:
        lines += [f"Mitgliederliste Testverband{delimiter}", f"Stand: {stand}{delimiter}", ""]
    lines.append(delimiter.join(header))
    lines += [delimiter.join("" if v is None else str(v) for v in row) for row in rows]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def member(
    nr: str,
    nachname: str,
    ov: str = "Altstadt",
    eintritt: str = "01.01.2020",
    vorname: str = "Erika",
    telefon: str = "0351 1234567",
) -> list[object]:
    return [nr, vorname, nachname, eintritt, ov, telefon, "Lindenweg 1", "01067", "Dresden"]


def rows(folder: Path, sql: str, *params) -> list[tuple]:
    conn = sqlite3.connect(folder / "mitglieder.sqlite")
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def test_first_import_creates_store_and_takes_every_valid_row(ordner, tmp_path):
    export = write_csv(
        tmp_path / "a.csv", [member("1", "Muster"), member("2", "Beispiel", "Neustadt")], stand="31.03.2026"
    )
    [result] = importieren(ordner, [export])
    assert (result.stand, result.stand_quelle) == (date(2026, 3, 31), "titel")
    assert (result.gelesen, result.uebernommen, result.abgelehnt, result.eintritte) == (2, 2, 0, 2)
    assert result.erstimport
    assert result.fehlerdatei is None
    store = ordner.pfad / "mitglieder.sqlite"
    assert store.stat().st_mode & 0o777 == 0o600
    assert rows(ordner.pfad, "SELECT nr, nachname, telefon, plz FROM mitglieder ORDER BY nr") == [
        ("1", "Muster", "+493511234567", "01067"),
        ("2", "Beispiel", "+493511234567", "01067"),
    ]


def test_second_export_yields_eintritte_austritte_wechsel_aenderungen(ordner, tmp_path):
    first = write_csv(
        tmp_path / "m.csv",
        [
            member("1", "Muster"),
            member("2", "Beispiel"),
            member("3", "Brenner"),
            member("4", "Klein", "Neustadt"),
        ],
        stand="31.03.2026",
    )
    importieren(ordner, [first])
    second = write_csv(
        tmp_path / "j.csv",
        [
            member("1", "Muster-Schmidt"),  # new surname
            member("2", "Beispiel", "Neustadt"),  # moved
            member("4", "Klein", "Neustadt"),  # unchanged
            member("5", "Neu", eintritt="15.05.2026"),  # joined
        ],
        stand="30.06.2026",
    )  # 3 is missing: left
    [result] = importieren(ordner, [second])
    assert (result.eintritte, result.austritte, result.wechsel, result.aenderungen) == (1, 1, 1, 1)
    assert rows(
        ordner.pfad, "SELECT nr, austrittsdatum FROM mitglieder WHERE austrittsdatum IS NOT NULL"
    ) == [("3", "2026-06-30")]
    assert rows(
        ordner.pfad, "SELECT ortsverein, von, bis FROM zugehoerigkeit WHERE nr = '2' ORDER BY von"
    ) == [("Altstadt", "2020-01-01", "2026-06-30"), ("Neustadt", "2026-06-30", None)]
    assert rows(
        ordner.pfad, "SELECT art, count(*) FROM bewegungen WHERE import_id = 2 GROUP BY art ORDER BY art"
    ) == [("aenderung", 1), ("austritt", 1), ("eintritt", 1), ("wechsel", 1)]


def test_austrittsdatum_in_export_is_the_exit_day(ordner, tmp_path):
    importieren(
        ordner,
        [write_csv(tmp_path / "a.csv", [member("1", "Muster"), member("2", "Beispiel")], stand="31.03.2026")],
    )
    header = [*HEADER, "Austrittsdatum"]
    second = write_csv(
        tmp_path / "b.csv",
        [[*member("1", "Muster"), "15.04.2026"], [*member("2", "Beispiel"), None]],
        stand="30.06.2026",
        header=header,
    )
    [result] = importieren(ordner, [second])
    assert result.austritte == 1
    assert rows(ordner.pfad, "SELECT austrittsdatum FROM mitglieder WHERE nr = '1'") == [("2026-04-15",)]
    # the third export still lists the leaver: no second Austritt
    third = write_csv(
        tmp_path / "c.csv",
        [[*member("1", "Muster"), "15.04.2026"], [*member("2", "Beispiel"), None]],
        stand="30.09.2026",
        header=header,
    )
    [result] = importieren(ordner, [third])
    assert (result.austritte, result.aenderungen) == (0, 0)


def test_leaver_missing_twice_counts_once_and_comes_back_as_wiedereintritt(ordner, tmp_path):
    importieren(
        ordner, [write_csv(tmp_path / "a.csv", [member("1", "A"), member("2", "B")], stand="31.01.2026")]
    )
    [r2] = importieren(ordner, [write_csv(tmp_path / "b.csv", [member("1", "A")], stand="28.02.2026")])
    [r3] = importieren(ordner, [write_csv(tmp_path / "c.csv", [member("1", "A")], stand="31.03.2026")])
    assert (r2.austritte, r3.austritte) == (1, 0)
    [r4] = importieren(
        ordner,
        [
            write_csv(
                tmp_path / "d.csv",
                [member("1", "A"), member("2", "B", eintritt="01.04.2026")],
                stand="30.04.2026",
            )
        ],
    )
    assert (r4.wiedereintritte, r4.eintritte, r4.austritte) == (1, 0, 0)
    assert rows(ordner.pfad, "SELECT von, bis FROM zugehoerigkeit WHERE nr = '2' ORDER BY von") == [
        ("2020-01-01", "2026-02-28"),
        ("2026-04-01", None),
    ]
    assert rows(ordner.pfad, "SELECT austrittsdatum, eintrittsdatum FROM mitglieder WHERE nr = '2'") == [
        (None, "2026-04-01")
    ]


def test_same_file_twice_changes_nothing(ordner, tmp_path):
    export = write_csv(tmp_path / "a.csv", [member("1", "Muster")], stand="31.03.2026")
    importieren(ordner, [export])
    before = rows(ordner.pfad, "SELECT count(*) FROM importe")
    [again] = importieren(ordner, [export])
    assert again.bereits_importiert
    assert rows(ordner.pfad, "SELECT count(*) FROM importe") == before


def test_same_data_in_a_new_export_changes_nothing(ordner, tmp_path):
    importieren(ordner, [write_csv(tmp_path / "a.csv", [member("0012345", "Muster")], stand="31.03.2026")])
    # Excel dropped the leading zeros of the number this time: still the same member
    [result] = importieren(
        ordner, [write_csv(tmp_path / "b.csv", [member("12345", "Muster")], stand="30.04.2026")]
    )
    assert (result.eintritte, result.austritte, result.wechsel, result.aenderungen) == (0, 0, 0, 0)


def test_older_export_is_refused_unless_nachtraeglich(ordner, tmp_path):
    importieren(ordner, [write_csv(tmp_path / "neu.csv", [member("1", "A")], stand="30.06.2026")])
    old = write_csv(
        tmp_path / "alt.csv",
        [member("1", "A-Alt"), member("9", "Frueher", eintritt="01.01.2021")],
        stand="31.03.2026",
    )
    with pytest.raises(
        EingabeFehler,
        match=r"alt.csv: der Stand 31.03.2026 ist älter als der letzte Import für "
        r"„Altstadt“ \(Stand 30.06.2026\)",
    ):
        importieren(ordner, [old])
    [result] = importieren(ordner, [old], nachtraeglich=True)
    assert result.eintritte == 1
    # older data never overwrites newer
    assert rows(ordner.pfad, "SELECT nachname FROM mitglieder WHERE nr = '1'") == [("A",)]


def test_rejected_rows_never_become_austritte(ordner, tmp_path):
    importieren(
        ordner, [write_csv(tmp_path / "a.csv", [member("1", "A"), member("2", "B")], stand="31.03.2026")]
    )
    second = write_csv(
        tmp_path / "b.csv", [member("1", "A"), member("2", "B", eintritt="31.02.2020")], stand="30.04.2026"
    )
    [result] = importieren(ordner, [second], fehler_ordner=tmp_path / "fehler")
    assert (result.abgelehnt, result.austritte) == (1, 0)
    assert rows(ordner.pfad, "SELECT count(*) FROM mitglieder WHERE austrittsdatum IS NULL") == [(2,)]


def test_error_file_lists_rows_and_can_be_fixed_and_reimported(ordner, tmp_path):
    export = write_csv(
        tmp_path / "a.csv",
        [
            member("1", "A"),
            member("2", "B", eintritt="31.02.2020"),
            member("3", "C", telefon="kein Telefon"),
            member("1", "Doppelt"),
        ],
        stand="31.03.2026",
    )
    [result] = importieren(ordner, [export])
    assert (result.uebernommen, result.abgelehnt, result.warnungen) == (2, 2, 1)
    path = result.fehlerdatei
    assert path == ordner.pfad / "ausgabe" / "import-fehler-2026-03-31.xlsx"
    assert path.stat().st_mode & 0o777 == 0o600
    workbook = openpyxl.load_workbook(path)
    rejected = [[c.value for c in row] for row in workbook["Abgelehnt"].iter_rows()]
    assert rejected[0] == ["Fehler", "Zeile", *HEADER]
    assert rejected[1][:3] == ["Eintrittsdatum: „31.02.2020“ ist kein gültiges Datum", 6, "2"]
    assert rejected[2][:3] == ["Mitgliedsnummer 1 kommt mehrfach vor (zuerst in Zeile 5)", 8, "1"]
    warned = [[c.value for c in row] for row in workbook["Warnungen"].iter_rows()]
    assert warned[1][:2] == ["Telefon „kein Telefon“ ist keine gültige Nummer (übernommen)", 7]
    assert workbook["_mitgliederarbeit"].sheet_state == "hidden"

    # the volunteer fixes the date, deletes the duplicate and imports the file again
    sheet = workbook["Abgelehnt"]
    sheet.cell(2, 2 + HEADER.index("Eintritt") + 1).value = "28.02.2020"
    sheet.delete_rows(3)
    fixed = tmp_path / "korrigiert.xlsx"
    workbook.save(fixed)
    [again] = importieren(ordner, [fixed])
    assert (again.art, again.stand, again.uebernommen, again.abgelehnt, again.eintritte, again.austritte) == (
        "nachtrag",
        date(2026, 3, 31),
        1,
        0,
        1,
        0,
    )
    assert rows(ordner.pfad, "SELECT count(*) FROM mitglieder WHERE austrittsdatum IS NULL") == [(3,)]


def test_trockenlauf_changes_nothing(ordner, tmp_path):
    importieren(ordner, [write_csv(tmp_path / "a.csv", [member("1", "A")], stand="31.03.2026")])
    second = write_csv(
        tmp_path / "b.csv",
        [member("2", "B", eintritt="01.02.2020"), member("3", "C", eintritt="31.02.2020")],
        stand="30.04.2026",
    )
    [result] = importieren(ordner, [second], trockenlauf=True)
    assert (result.eintritte, result.austritte, result.abgelehnt) == (1, 1, 1)
    assert result.fehlerdatei is None
    assert rows(ordner.pfad, "SELECT count(*) FROM importe") == [(1,)]
    assert rows(ordner.pfad, "SELECT count(*) FROM mitglieder") == [(1,)]
    assert not (ordner.pfad / "ausgabe").exists()


def test_several_files_are_imported_in_the_order_of_their_stand(ordner, tmp_path):
    later = write_csv(tmp_path / "juni.csv", [member("1", "A")], stand="30.06.2026")
    earlier = write_csv(tmp_path / "maerz.csv", [member("1", "A"), member("2", "B")], stand="31.03.2026")
    results = importieren(ordner, [later, earlier])
    assert [r.stand for r in results] == [date(2026, 3, 31), date(2026, 6, 30)]
    assert results[1].austritte == 1


def test_stand_from_option_wins_and_stichtag_is_the_fallback(ordner, tmp_path):
    export = write_csv(tmp_path / "ohne.csv", [member("1", "A")])
    [result] = importieren(ordner, [export], trockenlauf=True)
    assert (result.stand, result.stand_quelle) == (ordner.stichtag, "stichtag")
    [result] = importieren(ordner, [export], stand=date(2026, 8, 15), trockenlauf=True)
    assert (result.stand, result.stand_quelle) == (date(2026, 8, 15), "option")


@pytest.mark.parametrize(
    ("encoding", "delimiter"), [("cp1252", ";"), ("utf-8-sig", ","), ("utf-8", "\t"), ("utf-8-sig", ";")]
)
def test_encodings_and_delimiters(ordner, tmp_path, encoding, delimiter):
    export = write_csv(
        tmp_path / "x.csv",
        [member("1", "Müßig-Öztürk", "Süd")],
        stand="31.03.2026",
        encoding=encoding,
        delimiter=delimiter,
    )
    [result] = importieren(ordner, [export])
    assert result.uebernommen == 1
    assert rows(ordner.pfad, "SELECT nachname, ortsverein FROM mitglieder") == [("Müßig-Öztürk", "Süd")]


def test_xlsx_with_title_block_number_cells_and_empty_rows(ordner, tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Mitgliederliste OV Altstadt"])
    sheet.append(["Stand: 31.03.2026"])
    sheet.append([])
    sheet.append(
        ["Mitgl.-Nr.", "Anrede", "Name", "Vorname", "Eintritt", "OV", "PLZ", "Handy", "Geburtsdatum"]
    )
    sheet.append(
        [12345, "Frau", "Muster", "Erika", date(2019, 5, 1), "Altstadt", 1067, 1701234567, date(1980, 2, 3)]
    )
    sheet.append([])
    sheet.append([])
    sheet.append([12346, "Herr", "Beispiel", "Max", 43586, "Altstadt", 4109, None, None])  # serial date
    path = tmp_path / "export.xlsx"
    workbook.save(path)
    [result] = importieren(ordner, [path])
    assert (result.gelesen, result.uebernommen, result.stand) == (2, 2, date(2026, 3, 31))
    assert rows(
        ordner.pfad,
        "SELECT nr, geschlecht, plz, mobil, eintrittsdatum, geburtsdatum FROM mitglieder ORDER BY nr",
    ) == [
        ("12345", "w", "01067", "+491701234567", "2019-05-01", "1980-02-03"),
        ("12346", "m", "04109", None, "2019-05-01", None),
    ]


def test_spalte_option_maps_an_unknown_column(ordner, tmp_path):
    export = write_csv(
        tmp_path / "x.csv",
        [["7", "Kim", "Brenner", "01.01.2020", "Altstadt"]],
        header=["Kennung", "Vorname", "Nachname", "Datum Beitritt", "Einheit"],
        stand="31.03.2026",
    )
    # "Kennung" names a number and "Datum Beitritt" a join: only the Ortsverein is not named by any header
    with pytest.raises(EingabeFehler, match="Pflichtspalte fehlt: Ortsverein") as info:
        importieren(ordner, [export])
    assert info.value.hint.startswith("Infrage kommt: „Einheit“ (in jeder Zeile gefüllt). Zum Beispiel: ")
    assert "--spalte ortsverein=Einheit" in info.value.hint
    [result] = importieren(
        ordner,
        [export],
        spalten_option={
            "mitgliedsnummer": "Kennung",
            "ortsverein": "Einheit",
            "eintrittsdatum": "Datum Beitritt",
        },
    )
    assert result.uebernommen == 1
    with pytest.raises(BedienFehler, match="x.csv hat keine Spalte „Gibtsnicht“"):
        importieren(ordner, [export], spalten_option={"mitgliedsnummer": "Gibtsnicht"})


def test_config_synonyms(tmp_path):
    folder = tmp_path / "f"
    folder.mkdir()
    (folder / "mitglieder.toml").write_text('[import.spalten]\nortsverein = ["Einheit"]\n', encoding="utf-8")
    export = write_csv(
        tmp_path / "x.csv",
        [["7", "Kim", "Brenner", "01.01.2020", "Altstadt"]],
        header=["Mitgliedsnummer", "Vorname", "Nachname", "Eintritt", "Einheit"],
    )
    [result] = importieren(Arbeitsordner(folder, date(2026, 9, 1)), [export])
    assert result.uebernommen == 1


def test_unreadable_file_changes_nothing_even_when_another_file_is_fine(ordner, tmp_path):
    good = write_csv(tmp_path / "gut.csv", [member("1", "A")], stand="31.03.2026")
    bad = tmp_path / "kaputt.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(EingabeFehler, match="kaputt.xlsx: die Datei ist beschädigt oder unvollständig"):
        importieren(ordner, [good, bad])
    assert not (ordner.pfad / "mitglieder.sqlite").exists()


def test_example_exports_give_the_documented_numbers(ordner):
    mai = Arbeitsordner(ordner.pfad, date(2026, 6, 1))
    [first] = importieren(mai, [EXPORT_MAI])
    assert (first.gelesen, first.uebernommen, first.abgelehnt, first.warnungen) == (1500, 1497, 3, 10)
    assert [(p.zeile, p.meldung) for p in first.probleme if p.schwer] == [
        (448, "Eintrittsdatum fehlt"),
        (599, "Mitgliedsnummer 0848994 kommt mehrfach vor (zuerst in Zeile 500)"),
        (665, "Eintrittsdatum: „31.02.2019“ ist kein gültiges Datum"),
    ]
    [second] = importieren(ordner, [EXPORT_AUGUST])
    assert (second.gelesen, second.uebernommen, second.abgelehnt, second.warnungen) == (1545, 1545, 0, 10)
    assert (second.eintritte, second.austritte, second.wechsel, second.aenderungen) == (63, 35, 12, 40)
    assert rows(ordner.pfad, "SELECT count(*) FROM mitglieder WHERE austrittsdatum IS NULL") == [(1525,)]


def test_corrected_join_date_moves_the_start_of_the_membership_period(ordner, tmp_path):
    importieren(
        ordner, [write_csv(tmp_path / "a.csv", [member("1", "A", eintritt="01.03.2026")], stand="31.03.2026")]
    )
    [result] = importieren(
        ordner, [write_csv(tmp_path / "b.csv", [member("1", "A", eintritt="15.02.2026")], stand="30.04.2026")]
    )
    assert result.aenderungen == 1
    assert rows(ordner.pfad, "SELECT von, bis FROM zugehoerigkeit WHERE nr = '1'") == [("2026-02-15", None)]


def test_stand_from_the_file_name_when_the_title_has_none(ordner, tmp_path):
    export = write_csv(tmp_path / "Mitgliederliste Stand 31.05.2026.csv", [member("1", "A")])
    [result] = importieren(ordner, [export], trockenlauf=True)
    assert (result.stand, result.stand_quelle) == (date(2026, 5, 31), "dateiname")


def test_a_filtered_extract_is_not_a_mass_exit(ordner, tmp_path):
    everyone = [member(str(i), f"M{i}") for i in range(1, 41)]
    importieren(ordner, [write_csv(tmp_path / "alle.csv", everyone, stand="31.03.2026")])
    only_new = write_csv(tmp_path / "neue.csv", everyone[:5], stand="30.04.2026")
    with pytest.raises(
        EingabeFehler,
        match="35 von 40 Mitgliedern der enthaltenen Ortsvereine fehlen in diesem "
        "Export und würden als ausgetreten geführt. Es wurde nichts geändert.",
    ):
        importieren(ordner, [only_new])
    assert rows(ordner.pfad, "SELECT count(*) FROM mitglieder WHERE austrittsdatum IS NULL") == [(40,)]
    [result] = importieren(ordner, [only_new], vollstaendig=True)
    assert result.austritte == 35


def test_a_small_ortsverein_losing_more_than_half_is_no_mass_exit_either(ordner, tmp_path):
    """Eight members, five missing: under the ten of the general rule, but a lost part, not five Austritte."""
    dorf = [member(str(i), f"D{i}", ov="Dorf") for i in range(1, 9)]
    stadt = [member(str(i), f"S{i}", ov="Stadt") for i in range(100, 160)]
    importieren(ordner, [write_csv(tmp_path / "alle.csv", dorf + stadt, stand="31.03.2026")])
    nur_dorf = write_csv(tmp_path / "dorf.csv", dorf[:3], stand="30.04.2026")
    with pytest.raises(EingabeFehler, match="5 von 8 Mitgliedern der enthaltenen Ortsvereine fehlen"):
        importieren(ordner, [nur_dorf])
    teil = write_csv(tmp_path / "teil.csv", dorf[:3] + stadt, stand="30.04.2026")
    with pytest.raises(EingabeFehler, match="5 von 8 Mitgliedern des Ortsvereins „Dorf“ fehlen"):
        importieren(ordner, [teil])
    assert rows(ordner.pfad, "SELECT count(*) FROM mitglieder WHERE austrittsdatum IS NULL") == [(68,)]
    # with --vollstaendig they are Austritte; four of eight (not more than half) are without it
    [result] = importieren(ordner, [teil], vollstaendig=True, trockenlauf=True)
    assert result.austritte == 5
    [result] = importieren(ordner, [write_csv(tmp_path / "vier.csv", dorf[:4] + stadt, stand="30.04.2026")])
    assert result.austritte == 4
