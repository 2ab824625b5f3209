"""An import of several files taken only in part, and members an export lacks that are not booked as gone:
what the terminal and ``--json`` say about them."""

from __future__ import annotations

import errno
from pathlib import Path

from mitgliederarbeit.bestand import sicherung
from mitgliederarbeit.einlesen.ergebnis import ImportErgebnis
from mitgliederarbeit.einlesen.importieren import TeilweiseImportiert, _teilweise, importieren
from mitgliederarbeit.errors import EingabeFehler, OrdnerFehler

from .test_import import member, rows, write_csv
from .test_werte import leute, schreiben

STICHTAG = ("--stichtag", "01.07.2026")
HINWEIS = "Nach der Korrektur denselben Aufruf wiederholen: schon übernommene Dateien werden erkannt und übersprungen."


def _drei_dateien(ordner, tmp_path):
    """A store of 40 members; a good export, a filtered extract (refused: 35 would leave), a later export."""
    viele = [member(str(i), f"N{i}") for i in range(1, 41)]
    importieren(ordner, [write_csv(tmp_path / "bestand.csv", viele, stand="31.03.2026")])
    gut = write_csv(tmp_path / "gut.csv", [*viele, member("41", "Neu")], stand="30.04.2026")
    schlecht = write_csv(tmp_path / "schlecht.csv", viele[:6], stand="31.05.2026")
    spaeter = write_csv(tmp_path / "spaeter.csv", viele, stand="30.06.2026")
    return gut, schlecht, spaeter


def test_json_of_an_import_taken_in_part_names_what_was_not_taken(ordner, tmp_path, mitglieder):
    gut, schlecht, spaeter = _drei_dateien(ordner, tmp_path)
    lauf = mitglieder("--ordner", ordner.pfad, *STICHTAG, "--json", "import", gut, schlecht, spaeter)
    assert lauf.code == 3
    data = lauf.json()
    assert list(data) == ["importe", "nicht_uebernommen", "fehler"]
    assert [Path(i["datei"]).name for i in data["importe"]] == ["gut.csv"]
    assert data["importe"][0]["eintritte"] == 1
    assert data["nicht_uebernommen"] == ["schlecht.csv", "spaeter.csv"]
    assert data["fehler"] == {
        "meldung": "schlecht.csv: 35 von 41 Mitgliedern der enthaltenen Ortsvereine fehlen in diesem Export und "
        "würden als ausgetreten geführt. schlecht.csv wurde nicht übernommen. Ebenfalls nicht übernommen: "
        "spaeter.csv. Schon übernommen: gut.csv.",
        "hinweis": data["fehler"]["hinweis"],
    }
    assert data["fehler"]["hinweis"].endswith(HINWEIS)
    # the terminal's error is the same sentence
    assert lauf.err.splitlines()[-3] == f"Fehler: {data['fehler']['meldung']}"
    assert rows(ordner.pfad, "SELECT datei FROM importe ORDER BY id") == [("bestand.csv",), ("gut.csv",)]


def test_json_of_two_files_has_one_shape_whether_taken_whole_or_in_part(ordner, tmp_path, mitglieder):
    viele = [member(str(i), f"N{i}") for i in range(1, 41)]
    a = write_csv(tmp_path / "a.csv", viele, stand="31.03.2026")
    b = write_csv(tmp_path / "b.csv", [*viele, member("41", "Neu")], stand="30.04.2026")
    lauf = mitglieder("--ordner", ordner.pfad, *STICHTAG, "--json", "import", a, b)
    assert lauf.code == 0
    assert list(lauf.json()) == ["importe"]
    assert [Path(i["datei"]).name for i in lauf.json()["importe"]] == ["a.csv", "b.csv"]


def test_a_failed_backup_names_the_file_not_taken(ordner, tmp_path, mitglieder, monkeypatch):
    viele = [member(str(i), f"N{i}") for i in range(1, 41)]
    importieren(ordner, [write_csv(tmp_path / "bestand.csv", viele, stand="31.03.2026")])
    e1 = write_csv(tmp_path / "e1.csv", [*viele, member("41", "Neu")], stand="30.04.2026")
    e2 = write_csv(tmp_path / "e2.csv", [*viele, member("42", "Neu")], stand="31.05.2026")
    kopieren = sicherung._copy
    aufrufe = []

    def voll_beim_zweiten(quelle: Path, ziel: Path) -> None:
        aufrufe.append(ziel)
        if len(aufrufe) == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        kopieren(quelle, ziel)

    monkeypatch.setattr(sicherung, "_copy", voll_beim_zweiten)
    lauf = mitglieder("--ordner", ordner.pfad, *STICHTAG, "import", e1, e2)
    assert lauf.code == 3
    assert lauf.err.splitlines()[-3] == (
        f"Fehler: Die Sicherung nach {ordner.pfad / 'sicherung'} ist fehlgeschlagen (der Datenträger ist "
        "voll). e2.csv wurde nicht übernommen. Schon übernommen: e1.csv."
    )
    assert rows(ordner.pfad, "SELECT datei FROM importe ORDER BY id") == [("bestand.csv",), ("e1.csv",)]


def test_a_message_that_already_says_not_taken_does_not_say_it_twice():
    fremd = EingabeFehler(
        "p.xlsx: dieses Paket stammt aus einem anderen Datenbestand und wird nicht übernommen; es wurde "
        "nichts geändert.",
        hint="Bitte in dem Arbeitsordner importieren, in dem es mit „mitglieder ortsvereine“ geschrieben wurde.",
    )
    e1 = ImportErgebnis(datei="/x/e1.csv", art="mitglieder")
    teil = _teilweise(fremd, [e1], Path("/x/p.xlsx"), [])
    assert isinstance(teil, TeilweiseImportiert)
    assert teil.message == (
        "p.xlsx: dieses Paket stammt aus einem anderen Datenbestand und wird nicht übernommen. "
        "Schon übernommen: e1.csv."
    )
    assert teil.nicht_uebernommen == [Path("/x/p.xlsx")]
    # a concurrent change names no file: the sentence names it
    gleichzeitig = OrdnerFehler(
        "Während des Imports hat ein anderer „mitglieder“-Aufruf den Datenbestand geändert; es wurde nichts "
        "geändert.",
        hint="Bitte den Import wiederholen.",
    )
    teil = _teilweise(gleichzeitig, [e1], Path("/x/e2.csv"), [Path("/x/e3.csv")])
    assert teil.message == (
        "Während des Imports hat ein anderer „mitglieder“-Aufruf den Datenbestand geändert. e2.csv wurde nicht "
        "übernommen. Ebenfalls nicht übernommen: e3.csv. Schon übernommen: e1.csv."
    )
    assert teil.hint == f"Bitte den Import wiederholen.\n{HINWEIS}"


def test_members_kept_for_a_shortened_number_are_said(mitglieder, tmp_path):
    people = leute(40)
    a = schreiben(tmp_path / "a.csv", people, "31.01.2026")
    assert mitglieder("--stichtag", "01.12.2026", "import", a).code == 0
    damaged = [dict(p) for p in people if p["Mitgliedsnummer"] not in ("9300510", "9300511")]
    damaged[9]["Mitgliedsnummer"] = "9.3E+06"  # Excel's scientific format: 9300509 is lost
    b = schreiben(tmp_path / "b.csv", damaged, "28.02.2026")
    lauf = mitglieder("--stichtag", "01.12.2026", "import", b)
    assert lauf.code == 3
    zeilen = lauf.err.splitlines()
    assert "  Eintritte: 0, Austritte: 0, Wechsel: 0, Änderungen: 0." in zeilen
    assert (
        "  3 Mitglieder fehlen im Export, gelten aber nicht als ausgetreten: Zeile 14 hat eine gekürzte "
        "Mitgliedsnummer (9.3E+06)."
    ) in zeilen
    lauf = mitglieder("--stichtag", "01.12.2026", "--json", "import", "--trockenlauf",
                      schreiben(tmp_path / "c.csv", damaged, "31.03.2026"))  # fmt: skip
    assert lauf.json()["gekuerzt_nicht_ausgetreten"] == {
        "mitglieder": 3,
        "zeilen": [{"zeile": 14, "mitgliedsnummer": "9.3E+06"}],
    }


def test_a_clean_export_has_no_such_key(mitglieder, tmp_path):
    people = leute(5)
    assert mitglieder("import", schreiben(tmp_path / "a.csv", people, "31.01.2026")).code == 0
    lauf = mitglieder("--json", "import", schreiben(tmp_path / "b.csv", people[:4], "28.02.2026"))
    assert lauf.json()["austritte"] == 1
    assert "gekuerzt_nicht_ausgetreten" not in lauf.json()
