"""Where input or the machine fails: every way ends in one German line and the contract's exit code, never in
„Unerwarteter Fehler“; outputs that cannot be logged do not stay; the terminal never gets a raw control character.
"""

from __future__ import annotations

import errno
import re
import shutil
import sqlite3
import string
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mitgliederarbeit.einlesen.importieren import importieren
from mitgliederarbeit.ordner import Arbeitsordner

from .conftest import EXAMPLES
from .test_import import member, rows, write_csv

STEUERZEICHEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _bestand(ordner, tmp_path, *mitglieder, stand="31.03.2026"):
    export = write_csv(tmp_path / f"bestand-{stand}.csv", list(mitglieder) or [member("1", "A")], stand=stand)
    importieren(ordner, [export])
    return export


# -- several files in one import ---------------------------------------------------------------------------------


def test_a_failing_second_file_says_what_was_taken_and_what_not(ordner, tmp_path, mitglieder):
    viele = [member(str(i), f"N{i}") for i in range(1, 41)]
    _bestand(ordner, tmp_path, *viele, stand="31.03.2026")
    gut = write_csv(tmp_path / "gut.csv", [*viele, member("41", "Neu")], stand="30.04.2026")
    # a filtered extract: 35 of 41 members would leave – refused
    schlecht = write_csv(tmp_path / "schlecht.csv", viele[:6], stand="31.05.2026")
    spaeter = write_csv(tmp_path / "spaeter.csv", viele, stand="30.06.2026")

    run = mitglieder("--ordner", ordner.pfad, "--stichtag", "01.07.2026", "import", gut, schlecht, spaeter)
    assert run.code == 3  # done, but not all of it
    zeilen = run.err.splitlines()
    assert zeilen[0] == "gut.csv: Stand 30.04.2026 (aus der Titelzeile), 1 Ortsverein."
    assert zeilen[-3] == (
        "Fehler: schlecht.csv: 35 von 41 Mitgliedern der enthaltenen Ortsvereine fehlen in diesem Export und würden "
        "als ausgetreten geführt. schlecht.csv wurde nicht übernommen. Ebenfalls nicht übernommen: spaeter.csv. "
        "Schon übernommen: gut.csv."
    )
    assert zeilen[-1] == (
        "Nach der Korrektur denselben Aufruf wiederholen: schon übernommene Dateien werden erkannt und übersprungen."
    )
    assert "nichts geändert" not in run.err
    assert rows(ordner.pfad, "SELECT datei FROM importe ORDER BY id") == [
        ("bestand-31.03.2026.csv",),
        ("gut.csv",),
    ]

    # the same call again: gut.csv is recognized, nothing else changed – now that is true, and said so
    run = mitglieder("--ordner", ordner.pfad, "--stichtag", "01.07.2026", "import", gut, schlecht, spaeter)
    assert run.code == 1
    assert run.err.splitlines()[-2].endswith("würden als ausgetreten geführt. Es wurde nichts geändert.")
    assert rows(ordner.pfad, "SELECT count(*) FROM importe") == [(2,)]


def test_a_failing_first_file_keeps_the_plain_message(ordner, tmp_path, mitglieder):
    viele = [member(str(i), f"N{i}") for i in range(1, 41)]
    _bestand(ordner, tmp_path, *viele)
    schlecht = write_csv(tmp_path / "schlecht.csv", viele[:6], stand="30.04.2026")
    run = mitglieder("--ordner", ordner.pfad, "import", schlecht)
    assert run.code == 1
    assert run.err.splitlines()[0].endswith("Es wurde nichts geändert.")


# -- generic errors that are German messages now ------------------------------------------------------------------


@pytest.mark.parametrize("tag", ["31.12.9999", "01.01.0001", "01.01.1899", "2200-01-01"])
def test_absurd_stichtag_is_wrong_usage(mitglieder, beispielbestand, tag):
    run = mitglieder("--ordner", beispielbestand.pfad, "--stichtag", tag, "segmente", "neu")
    assert run.code == 2
    assert run.err.splitlines()[0] == (
        f"Fehler: --stichtag: „{tag}“ liegt außerhalb von 01.01.1900 bis 31.12.2199. "
        "Bitte ein Datum in diesem Bereich angeben."
    )


def test_huge_number_in_the_settings_is_named(mitglieder, beispielbestand):
    (beispielbestand.pfad / "mitglieder.toml").write_text(
        "[segmente]\nneu_monate = 9999999999\n", encoding="utf-8"
    )
    run = mitglieder("--ordner", beispielbestand.pfad, "segmente", "neu")
    assert run.code == 1
    assert run.err.splitlines() == [
        "Fehler: mitglieder.toml, Zeile 2: „segmente.neu_monate“ ist zu groß: höchstens 1200."
    ]


@pytest.mark.parametrize(
    ("text", "meldung"),
    [
        ("[segmente\nneu_monate = 3\n", ", Zeile 1, Spalte 10: ungültiges TOML – die Abschnittsüberschrift wird "
         "nicht mit „]“ geschlossen."),
        ("[segmente]\nneu_monate = drei\n", ", Zeile 2, Spalte 14: ungültiges TOML – ungültiger Wert (Texte stehen "
         "in Anführungszeichen, ja/nein heißt true/false)."),
        ("[segmente]\nneu_monate 3\n", ", Zeile 2, Spalte 12: ungültiges TOML – nach dem Schlüssel fehlt „=“."),
        ("[anrede]\nw = \"Liebe {vorname}\n", ", Zeile 2, Spalte 21: ungültiges TOML – ein Text wird nicht in "
         "derselben Zeile mit Anführungszeichen geschlossen."),
        ("[anrede]\nw = \"Liebe {vorname}", " (am Ende der Datei): ungültiges TOML – ein Text wird nicht mit "
         "Anführungszeichen geschlossen."),
        ("[segmente]\n[segmente]\n", ", Zeile 2, Spalte 10: ungültiges TOML – der Abschnitt [segmente] steht "
         "doppelt."),
    ],
)  # fmt: skip
def test_toml_syntax_errors_in_german_with_line_and_column(mitglieder, tmp_path, text, meldung):
    (tmp_path / "mitglieder.toml").write_text(text, encoding="utf-8")
    run = mitglieder("uebersicht")
    assert run.code == 1
    assert run.err.splitlines() == [
        f"Fehler: {tmp_path / 'mitglieder.toml'}{meldung}",
        "Texte brauchen Anführungszeichen, Abschnitte stehen in [eckigen Klammern].",
    ]
    assert not re.search(r"[A-Z][a-z]+ (value|string|table|key)", run.err)  # no English parser text


def test_overlong_csv_field_in_german(mitglieder, tmp_path):
    datei = tmp_path / "lang.csv"
    datei.write_text(
        "Mitgliedsnummer;Vorname;Nachname;Ortsverein;Eintrittsdatum\n1;A;"
        + "x" * 131_072
        + ";OV;01.01.2020\n",
        encoding="utf-8",
    )
    run = mitglieder("import", datei)
    assert run.code == 1
    assert run.err.splitlines()[0] == "Fehler: lang.csv, Zeile 2: ein Feld ist länger als 131.072 Zeichen."
    assert not (tmp_path / "mitglieder.sqlite").exists()


@pytest.mark.parametrize(
    "befehl", [["uebersicht"], ["segmente", "neu"], ["protokoll"], ["bereinigen"], ["import"]]
)
def test_a_folder_named_like_the_store(mitglieder, tmp_path, befehl):
    (tmp_path / "mitglieder.sqlite").mkdir()
    if befehl == ["import"]:
        befehl = ["import", write_csv(tmp_path / "a.csv", [member("1", "A")], stand="31.03.2026")]
    run = mitglieder(*befehl)
    assert run.code == 1
    assert run.err.splitlines()[0] == (
        f"Fehler: {tmp_path / 'mitglieder.sqlite'} ist ein Ordner; unter diesem Namen liegt sonst der Datenbestand."
    )


def test_a_foreign_sqlite_file_is_refused_and_left_alone(mitglieder, tmp_path):
    fremd = tmp_path / "mitglieder.sqlite"
    conn = sqlite3.connect(fremd)
    conn.execute("CREATE TABLE kunden (id INTEGER, name TEXT)")
    conn.execute("INSERT INTO kunden VALUES (1, 'Erfunden')")
    conn.commit()
    conn.close()
    vorher = fremd.read_bytes()
    for befehl in (
        ["uebersicht"],
        ["import", write_csv(tmp_path / "a.csv", [member("1", "A")], stand="31.03.2026")],
    ):
        run = mitglieder(*befehl)
        assert run.code == 1
        assert run.err.splitlines()[0] == (
            f"Fehler: {fremd} ist keine Datenbank von mitgliederarbeit (sie enthält „kunden“) und wird nicht verändert."
        )
    assert fremd.read_bytes() == vorher


@pytest.mark.parametrize(
    "befehl",
    [["uebersicht"], ["segmente", "neu"], ["protokoll"], ["bereinigen"], ["anrufliste"], ["briefe"], ["bericht"],
     ["ortsvereine"], ["kontakt", "1", "brief"], ["import", "EXPORT"]],
)  # fmt: skip
def test_a_damaged_store_is_named_for_every_command(mitglieder, ordner, tmp_path, befehl):
    _bestand(ordner, tmp_path, *[member(str(i), f"N{i}") for i in range(1, 30)])
    store = ordner.pfad / "mitglieder.sqlite"
    daten = bytearray(store.read_bytes())
    # the header stays, the rest is gone
    daten[100:] = bytes((i * 37 + 11) % 256 for i in range(len(daten) - 100))
    store.write_bytes(bytes(daten))
    if befehl == ["import", "EXPORT"]:
        befehl = ["import", write_csv(tmp_path / "neu.csv", [member("1", "A")], stand="30.04.2026")]
    run = mitglieder("--ordner", ordner.pfad, "--stichtag", "01.05.2026", *befehl)
    assert run.code == 1
    assert run.err.splitlines() == [
        f"Fehler: {store} ist beschädigt und wird nicht verändert.",
        "Bitte eine Sicherung wiederherstellen: mitglieder sicherung (zeigt die Sicherungen), dann mitglieder "
        "sicherung --wiederherstellen NAME",
    ]
    assert store.read_bytes() == bytes(daten)


def test_a_call_list_with_a_damaged_hidden_sheet(mitglieder, beispielbestand, tmp_path):
    import openpyxl

    liste = tmp_path / "liste.xlsx"
    assert mitglieder("--ordner", beispielbestand.pfad, "anrufliste", "--ausgabe", liste).code == 0
    buch = openpyxl.load_workbook(liste)
    blatt = buch["_mitgliederarbeit"]
    for zeile in blatt.iter_rows():
        if zeile[0].value == "stichtag":
            zeile[1].value = "gestern"
    buch.save(liste)
    vorher = rows(beispielbestand.pfad, "SELECT count(*) FROM kontakte")
    run = mitglieder("--ordner", beispielbestand.pfad, "import", liste)
    assert run.code == 1
    assert run.err.splitlines()[0] == (
        "Fehler: liste.xlsx: das verborgene Blatt „_mitgliederarbeit“ ist beschädigt – „stichtag“ ist kein Datum "
        "(„gestern“). Es wurde nichts geändert."
    )
    assert rows(beispielbestand.pfad, "SELECT count(*) FROM kontakte") == vorher


def test_init_on_existing_settings_exits_1(mitglieder, tmp_path):
    (tmp_path / "mitglieder.toml").write_text("# meine\n", encoding="utf-8")
    run = mitglieder("init")
    assert run.code == 1
    assert (
        run.err.splitlines()[0]
        == f"Fehler: {tmp_path / 'mitglieder.toml'} gibt es schon und wird nicht überschrieben."
    )
    assert (tmp_path / "mitglieder.toml").read_text(encoding="utf-8") == "# meine\n"


# -- outputs are logged, or they do not stay ----------------------------------------------------------------------


def test_letters_on_a_full_disk_leave_no_letter_behind(mitglieder, beispielbestand, monkeypatch):
    from mitgliederarbeit.ausgaben import briefe

    original = briefe._zip_in_datei
    geschrieben = []

    def voll_nach_drei(bauer, xml, stufe, pfad):
        if len(geschrieben) == 3:
            pfad.write_bytes(b"halb")
            raise OSError(errno.ENOSPC, "No space left on device")
        original(bauer, xml, stufe, pfad)
        geschrieben.append(pfad)

    monkeypatch.setattr(briefe, "_zip_in_datei", voll_nach_drei)
    ziel = beispielbestand.pfad / "briefe-neu"
    shutil.copy(EXAMPLES / "mitglieder.toml", beispielbestand.pfad)  # the sender the letters name
    run = mitglieder("--ordner", beispielbestand.pfad, "briefe", "--ausgabe", ziel)
    assert run.code == 1
    zeile = run.err.splitlines()[0]
    assert zeile.startswith("Fehler: ") and zeile.endswith(
        "kann nicht geschrieben werden: der Datenträger ist voll. Die 3 schon geschriebenen Dateien wurden wieder "
        "gelöscht; es wurde nichts erfasst."
    )
    assert not ziel.exists()  # the folder the run made is gone with its letters
    assert rows(beispielbestand.pfad, "SELECT count(*) FROM protokoll WHERE befehl = 'briefe'") == [(0,)]
    assert rows(beispielbestand.pfad, "SELECT count(*) FROM kontakte WHERE art = 'brief'") == [(0,)]


def test_letters_stopped_by_sigterm_leave_no_letter_behind(mitglieder, beispielbestand, monkeypatch):
    """A closed terminal or ``kill`` (SIGTERM/SIGHUP) ends the run as Ctrl-C does: the letters written go again."""
    import os
    import signal

    from mitgliederarbeit.ausgaben import briefe

    original = briefe._zip_in_datei
    geschrieben = []

    def beendet_nach_drei(bauer, xml, stufe, pfad):
        if len(geschrieben) == 3:
            os.kill(os.getpid(), signal.SIGTERM)  # the handler of cli/lauf runs at the next bytecode
        original(bauer, xml, stufe, pfad)
        geschrieben.append(pfad)

    monkeypatch.setattr(briefe, "_zip_in_datei", beendet_nach_drei)
    alt = signal.getsignal(signal.SIGTERM)
    ziel = beispielbestand.pfad / "briefe-neu"
    shutil.copy(EXAMPLES / "mitglieder.toml", beispielbestand.pfad)  # the sender the letters name
    try:
        run = mitglieder("--ordner", beispielbestand.pfad, "briefe", "--ausgabe", ziel)
    finally:
        signal.signal(signal.SIGTERM, alt)
    assert (run.code, run.err.splitlines()[-1]) == (130, "Fehler: Abgebrochen.")
    assert len(geschrieben) >= 3 and not any(p.exists() for p in geschrieben)
    assert not ziel.exists() or not any(ziel.rglob("*.docx"))
    assert rows(beispielbestand.pfad, "SELECT count(*) FROM protokoll WHERE befehl = 'briefe'") == [(0,)]
    assert rows(beispielbestand.pfad, "SELECT count(*) FROM kontakte WHERE art = 'brief'") == [(0,)]


def test_sigterm_while_waiting_ends_like_ctrl_c(tmp_path):
    """A real process blocked on a file that never comes (a named pipe) and then sent SIGTERM."""
    import os
    import signal
    import subprocess
    import sys
    import time

    fifo = tmp_path / "wartet.csv"
    os.mkfifo(fifo)
    with subprocess.Popen(
        [sys.executable, "-m", "mitgliederarbeit", "--ordner", tmp_path, "import", fifo],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as proc:
        # the store is made before the files are read: then the handlers are set and the pipe is waited for
        ende = time.monotonic() + 60
        while not (tmp_path / "mitglieder.sqlite").exists() and time.monotonic() < ende:
            time.sleep(0.05)
        time.sleep(0.2)
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
    assert (proc.returncode, err.splitlines()[-1]) == (130, "Fehler: Abgebrochen.")


def _log_schreibgeschuetzt(monkeypatch):
    from mitgliederarbeit.bestand import speicher

    def schreibgeschuetzt(*_args, **_kwargs):
        raise sqlite3.OperationalError("attempt to write a readonly database")

    monkeypatch.setattr(speicher, "protokollieren", schreibgeschuetzt)


def test_segment_export_that_cannot_be_logged_is_removed(mitglieder, beispielbestand, tmp_path, monkeypatch):
    _log_schreibgeschuetzt(monkeypatch)
    ziel = tmp_path / "neu.xlsx"
    run = mitglieder("--ordner", beispielbestand.pfad, "segmente", "neu", "--export", ziel)
    assert run.code == 1
    assert run.err.splitlines()[-2] == (
        f"Fehler: {beispielbestand.pfad / 'mitglieder.sqlite'} ist schreibgeschützt; es wurde nichts geändert."
    )
    assert not ziel.exists()


def test_call_lists_per_caller_on_a_full_disk_leave_none_behind(
    mitglieder, beispielbestand, tmp_path, monkeypatch
):
    from mitgliederarbeit import dateien

    original = dateien.xlsx
    anzahl = []

    def voll_nach_einer(path, *args, **kwargs):
        if anzahl:
            raise dateien.OrdnerFehler(f"{path} kann nicht geschrieben werden: der Datenträger ist voll.")
        anzahl.append(path)
        return original(path, *args, **kwargs)

    monkeypatch.setattr(dateien, "xlsx", voll_nach_einer)
    vorher = rows(beispielbestand.pfad, "SELECT count(*) FROM protokoll")
    (beispielbestand.pfad / "mitglieder.toml").write_text(
        '[anrufliste]\nanrufer = ["Ada", "Bo"]\n', encoding="utf-8"
    )
    ziel = tmp_path / "listen"
    run = mitglieder("--ordner", beispielbestand.pfad, "anrufliste", "--je-anrufer", "--ausgabe", ziel)
    assert run.code == 1
    assert "der Datenträger ist voll" in run.err.splitlines()[0]
    assert anzahl and not anzahl[0].exists()
    assert [p.name for p in ziel.iterdir()] == [] if ziel.exists() else True
    assert rows(beispielbestand.pfad, "SELECT count(*) FROM protokoll") == vorher


# -- bereinigen keeps months, not days ------------------------------------------------------------------------------


def test_bereinigen_leaves_no_exact_day_of_an_anonymized_member(ordner, tmp_path):
    from mitgliederarbeit.bestand.datenschutz import bereinigen

    importieren(
        Arbeitsordner(ordner.pfad, date(2023, 1, 1)),
        [write_csv(tmp_path / "a.csv", [member("1", "Bleibt"), member("2", "Geht", eintritt="17.05.2010")],
                   stand="31.12.2022")],
    )  # fmt: skip
    importieren(
        Arbeitsordner(ordner.pfad, date(2023, 7, 1)),
        [write_csv(tmp_path / "b.csv", [member("1", "Bleibt")], stand="29.06.2023")],
    )
    assert rows(ordner.pfad, "SELECT von, bis FROM zugehoerigkeit WHERE nr = '2'") == [
        ("2010-05-17", "2023-06-29")
    ]
    bereinigen(Arbeitsordner(ordner.pfad, date(2026, 9, 1)), ausfuehren=True)
    [(anon,)] = rows(ordner.pfad, "SELECT nr FROM mitglieder WHERE anonymisiert = 1")
    assert rows(ordner.pfad, "SELECT von, bis FROM zugehoerigkeit WHERE nr = ?", anon) == [
        ("2010-05-01", "2023-06-01")
    ]
    tage = rows(ordner.pfad, "SELECT datum FROM bewegungen WHERE nr = ? ORDER BY datum", anon)
    assert tage and all(t.endswith("-01") for (t,) in tage)
    inhalt = (ordner.pfad / "mitglieder.sqlite").read_bytes()
    assert b"2010-05-17" not in inhalt  # (the exit day is the export's Stand, which stays with the import)


# -- the terminal never gets a raw control character -----------------------------------------------------------------

_GEFAEHRLICH = ["\x1b[2J", "\x1b]8;;https://example.org\x07Link\x1b]8;;\x07", "\x07", "\x9b31m", "\x85", "\r",
                "\u202e", "[bold]", "[/]", "[link=https://example.org]x[/link]", "\\[red]", ":smile:", ":+1:"]  # fmt: skip
_TEXT = st.lists(st.one_of(st.sampled_from(_GEFAEHRLICH), st.text(string.ascii_letters + "äöü ", max_size=5)),
                 max_size=6).map("".join)  # fmt: skip


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=_TEXT, hinweis=_TEXT)
def test_every_printed_line_is_free_of_control_characters_and_markup(capsys, name, hinweis):
    from mitgliederarbeit.cli import console

    console.meldung(f"Erfasst: Brief für {name}.")
    console.hinweis(hinweis)
    console.fehler(f"{name}: kaputt", hinweis)
    console.klartext(name)
    console.tabelle(name or None, ["Name"], [[name]], umbrechen={0})
    console.json_ausgeben({"name": name})
    gedruckt = capsys.readouterr()
    for teil in (gedruckt.out, gedruckt.err):
        assert not STEUERZEICHEN.search(teil)
    sicher = console.sicher(name)
    assert f"Erfasst: Brief für {sicher}." in gedruckt.err  # markup in a value is printed as it is
    assert f"Fehler: {console.sicher(name)}: kaputt" in gedruckt.err


def test_progress_shows_a_file_name_as_written(monkeypatch):
    """The progress bar names the file read: brackets and emoji codes in it are shown, not interpreted."""
    import io

    from rich.console import Console

    from mitgliederarbeit.cli import console

    puffer = io.StringIO()
    terminal = Console(file=puffer, force_terminal=True, width=120, emoji=False, color_system=None)
    monkeypatch.setattr(console, "err", terminal, raising=False)
    with console.fortschritt(True, "Lese Export :fire: [b]Aug[/b]\x1b[2J.xlsx") as update:
        update(1, 2)
    gezeigt = puffer.getvalue()
    assert "Export :fire: [b]Aug[/b]\\x1b[2J.xlsx" in gezeigt
    assert "\U0001f525" not in gezeigt


def test_a_name_with_escape_sequences_reaches_the_terminal_escaped(mitglieder, ordner, tmp_path):
    # quoted: the OSC 8 link holds the csv's delimiter
    böse = member("7", '"Kohl\x1b[2J\x1b]8;;https://example.org\x07[bold]x\x9b"')
    _bestand(ordner, tmp_path, böse)
    run = mitglieder("--ordner", ordner.pfad, "--stichtag", "01.04.2026", "kontakt", "7", "brief")
    assert run.code == 0
    assert not STEUERZEICHEN.search(run.out + run.err)
    assert "Kohl\\x1b[2J\\x1b]8;;https://example.org\\x07[bold]x\\x9b" in run.err


# -- history edge cases ----------------------------------------------------------------------------------------------

_MIT_AUSTRITT = [
    "Mitgliedsnummer", "Vorname", "Nachname", "Eintritt", "Ortsverein", "Telefon", "Straße", "PLZ", "Ort",
    "Austrittsdatum",
]  # fmt: skip


def _export(tmp_path, name, stand, zeilen):
    return write_csv(tmp_path / name, zeilen, stand=stand, header=_MIT_AUSTRITT)


def test_an_exit_announced_ahead_is_counted_once_when_its_day_comes(ordner, tmp_path):
    def zeilen(austritt):
        return [[*member(str(i), f"N{i}"), austritt if i == 2 else ""] for i in range(1, 6)]

    [erste] = importieren(ordner, [_export(tmp_path, "m.csv", "31.03.2026", zeilen("30.04.2026"))])
    [zweite] = importieren(ordner, [_export(tmp_path, "n.csv", "31.05.2026", zeilen("30.04.2026"))])
    [dritte] = importieren(ordner, [_export(tmp_path, "o.csv", "30.06.2026", zeilen("30.04.2026"))])
    assert (erste.austritte, zweite.austritte, dritte.austritte) == (0, 1, 0)
    assert rows(ordner.pfad, "SELECT nr, datum FROM bewegungen WHERE art = 'austritt'") == [
        ("2", "2026-04-30")
    ]


def test_a_move_and_an_exit_in_one_export_make_no_period_that_ends_before_it_starts(ordner, tmp_path):
    importieren(ordner, [_export(tmp_path, "m.csv", "31.03.2026", [[*member("3", "Zieht", "Altstadt"), ""],
                                                                   [*member("4", "Bleibt", "Neustadt"), ""]])])  # fmt: skip
    [result] = importieren(
        ordner,
        [_export(tmp_path, "n.csv", "30.04.2026", [[*member("3", "Zieht", "Neustadt"), "15.04.2026"],
                                                   [*member("4", "Bleibt", "Neustadt"), ""]])],
    )  # fmt: skip
    assert (result.wechsel, result.austritte) == (1, 1)
    perioden = rows(
        ordner.pfad, "SELECT ortsverein, von, bis FROM zugehoerigkeit WHERE nr = '3' ORDER BY rowid"
    )
    assert all(bis is None or von <= bis for _, von, bis in perioden), perioden
    assert perioden[0] == ("Altstadt", "2020-01-01", "2026-04-15")


def test_a_call_list_on_a_full_disk_is_a_german_message(mitglieder, beispielbestand, tmp_path, monkeypatch):
    import xlsxwriter.workbook

    def voll(self):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(xlsxwriter.workbook.Workbook, "_store_workbook", voll)
    vorher = rows(beispielbestand.pfad, "SELECT count(*) FROM protokoll")
    ziel = tmp_path / "liste.xlsx"
    run = mitglieder("--ordner", beispielbestand.pfad, "anrufliste", "--ausgabe", ziel)
    assert run.code == 1
    assert run.err.splitlines() == [
        f"Fehler: {ziel} kann nicht geschrieben werden: der Datenträger ist voll.",
        "Ist der Datenträger voll oder der Ordner schreibgeschützt?",
    ]
    assert list(tmp_path.glob("*liste.xlsx*")) == []
    assert rows(beispielbestand.pfad, "SELECT count(*) FROM protokoll") == vorher
