"""Mistakes on the command line: German lines, exit code 2, the help command to read on; the help itself shows
German placeholders and no types; an ordinary command does not load pydantic."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from mitgliederarbeit.cli import aufruffehler, hilfe
from mitgliederarbeit.cli.befehle import app

GRUPPE = hilfe.befehl(app)


@pytest.mark.parametrize(
    ("args", "zeilen"),
    [
        (
            ["anrufliste", "--anrufer-anzahl", "0"],
            [
                "Fehler: --anrufer-anzahl: 0 ist zu klein. Bitte eine ganze Zahl von 1 bis 200 angeben.",
                "Hilfe: mitglieder anrufliste --help",
            ],
        ),
        (
            ["anrufliste", "--anrufer-anzahl", "201"],
            [
                "Fehler: --anrufer-anzahl: 201 ist zu groß. Bitte eine ganze Zahl von 1 bis 200 angeben.",
                "Hilfe: mitglieder anrufliste --help",
            ],
        ),
        (
            ["anrufliste", "--anrufer-anzahl", "drei"],
            [
                "Fehler: --anrufer-anzahl: „drei“ ist keine ganze Zahl. Bitte eine ganze Zahl von 1 bis 200 angeben.",
                "Hilfe: mitglieder anrufliste --help",
            ],
        ),
        (
            ["anrufliste", "--anrufer-anzahl"],
            [
                "Fehler: --anrufer-anzahl braucht einen Wert, z. B. --anrufer-anzahl ANZAHL.",
                "Hilfe: mitglieder anrufliste --help",
            ],
        ),
        (
            ["--ordner"],
            ["Fehler: --ordner braucht einen Wert, z. B. --ordner ORDNER.", "Hilfe: mitglieder --help"],
        ),
        (
            ["--json=ja", "uebersicht"],
            [
                "Fehler: --json ist ein Schalter und nimmt keinen Wert: nur --json schreiben.",
                "Hilfe: mitglieder --help",
            ],
        ),
        (
            ["uebersicht", "--json"],
            [
                "Fehler: --json gilt für alle Befehle und steht vor dem Befehl: mitglieder --json uebersicht …",
                "Hilfe: mitglieder --help",
            ],
        ),
        (
            ["segmente", "--stichtag", "01.09.2026"],
            [
                "Fehler: --stichtag gilt für alle Befehle und steht vor dem Befehl: mitglieder --stichtag DATUM segmente …",
                "Hilfe: mitglieder --help",
            ],
        ),
        (
            ["import", "--spalt", "x=y", "a.csv"],
            [
                "Fehler: Unbekannte Option: --spalt. Meinten Sie --art oder --spalte?",
                "Hilfe: mitglieder import --help",
            ],
        ),
        (
            ["import", "--gibtsnicht"],
            ["Fehler: Unbekannte Option: --gibtsnicht.", "Hilfe: mitglieder import --help"],
        ),
        (
            ["import"],
            [
                "Fehler: Es fehlt die Angabe DATEI: Exporte, Anruf-, Teilnahme-, Kontaktlisten, Ortsvereins-Pakete (xlsx, "
                "xls, ods, csv).",
                "Hilfe: mitglieder import --help",
            ],
        ),
        (
            ["importt"],
            ["Fehler: Den Befehl „importt“ gibt es nicht. Meinten Sie „import“?", "Hilfe: mitglieder --help"],
        ),
        (["--json", "true"], ["Fehler: Den Befehl „true“ gibt es nicht.", "Hilfe: mitglieder --help"]),
        (
            ["--json"],
            ["Fehler: Bitte einen Befehl angeben, z. B. mitglieder uebersicht.", "Hilfe: mitglieder --help"],
        ),
        (
            ["uebersicht", "extra", "mehr"],
            ["Fehler: Zu viele Angaben: extra mehr.", "Hilfe: mitglieder uebersicht --help"],
        ),
    ],
)
def test_usage_mistakes_in_german(mitglieder, args, zeilen):
    run = mitglieder(*args)
    assert (run.code, run.err.splitlines(), run.out) == (2, zeilen, "")


def test_catalog_templates_match_whole_messages():
    """Each parser message matches exactly one template; the cases above show the parser really says them."""
    beispiele = [
        "Option '--x' requires an argument.",
        "Option '--x' requires 2 arguments.",
        "Option '--x' does not take a value.",
        "Got unexpected extra argument(s) (a b)",
        "No such command 'x'.",
        "No such command 'x'. Did you mean 'y', 'z'?",
        "Missing command.",
    ]
    for beispiel in beispiele:
        assert sum(bool(m.match(beispiel)) for m, _ in aufruffehler._MUSTER) == 1, beispiel
    assert all(any(m.match(b) for b in beispiele) for m, _ in aufruffehler._MUSTER)


def test_unknown_message_keeps_its_text():
    from typer._click.exceptions import UsageError

    assert aufruffehler.meldung(UsageError("Something new."), GRUPPE, []) == "Falscher Aufruf: Something new."


def test_mitglieder_alone_shows_help_and_succeeds(mitglieder):
    run = mitglieder()
    assert run.code == 0 and run.err == ""
    assert "Aufruf: mitglieder [OPTIONEN] BEFEHL [ANGABEN]..." in run.out


# --- the help: placeholders in German, no types -------------------------------------------------------------------


@pytest.fixture
def mitglieder(mitglieder, monkeypatch):
    monkeypatch.setenv("COLUMNS", "120")  # rich's help: one line per option
    return mitglieder


def _hilfe_zeilen(mitglieder, *args: str) -> list[str]:
    run = mitglieder(*args, "--help")
    assert run.code == 0
    return [zeile.strip("│ ").rstrip() for zeile in run.out.splitlines()]


@pytest.mark.parametrize("befehl", [[], *[[name] for name in GRUPPE.commands]])
def test_help_shows_no_types(mitglieder, befehl):
    text = "\n".join(_hilfe_zeilen(mitglieder, *befehl))
    for typ in ("<bool>", "<list", "<int", "<Path", "<str", "<=x", "x<=", "{DATEI", "list[", "Path]"):
        assert typ not in text, typ


def test_switches_and_placeholders(mitglieder):
    zeilen = _hilfe_zeilen(mitglieder, "anrufliste")
    assert "Aufruf: mitglieder anrufliste [OPTIONEN]" in zeilen
    assert [z for z in zeilen if z.startswith("--anrufer-anzahl")] == [
        "--anrufer-anzahl             ANZAHL      So viele Blätter, ohne Namen: eine ganze Zahl von 1 bis 200."
    ]
    assert "--help               -h                  Diese Hilfe zeigen." in zeilen
    zeilen = _hilfe_zeilen(mitglieder, "import")
    assert "Aufruf: mitglieder import [OPTIONEN] DATEI..." in zeilen
    assert (
        "*    DATEI...        Exporte, Anruf-, Teilnahme-, Kontaktlisten, Ortsvereins-Pakete (xlsx, xls, ods, csv)."
        in zeilen
    )
    assert "--trockenlauf                         Nur zeigen, was passieren würde." in zeilen


def test_every_option_has_a_german_placeholder_and_names_its_range():
    """Switches have none; every other option a placeholder in capitals; a range is named in the help text."""
    from mitgliederarbeit.cli.werte import bereich

    for befehl in [GRUPPE, *GRUPPE.commands.values()]:
        for param in befehl.params:
            if getattr(param, "is_flag", False):
                continue
            assert param.metavar and re.fullmatch(r"[A-ZÄÖÜ=.a-z]+(\.\.\.)?", param.metavar), (
                befehl.name,
                param.name,
                param.metavar,
            )
            if param.min is not None or param.max is not None:
                assert bereich(param.min, param.max) in param.help, (befehl.name, param.name)


def test_segment_help_names_every_segment(mitglieder):
    from mitgliederarbeit.auswertung.segmente import SEGMENTE

    text = " ".join(_hilfe_zeilen(mitglieder, "segmente"))
    genannt = re.search(r"Eines von: (.*?) – oder ein eigenes", text)
    assert genannt and genannt[1].split(", ") == list(SEGMENTE)


# --- values without pydantic -----------------------------------------------------------------------------------------


def test_values_arrive_converted(mitglieder, monkeypatch):
    """A Path is a Path, a number an int, a list a list: what the commands got from typer before."""
    from mitgliederarbeit.ausgaben import anrufliste

    erhalten = {}

    def merken(ordner, **kwargs):
        erhalten.update(kwargs)
        raise SystemExit(0)

    monkeypatch.setattr(anrufliste, "anrufliste", merken)
    run = mitglieder(
        "anrufliste",
        "--anrufer-anzahl",
        " 7",
        "--ortsverein",
        "A",
        "--ortsverein",
        "B",
        "--ausgabe",
        "x.xlsx",
    )
    assert run.code == 0
    assert erhalten["anrufer_anzahl"] == 7
    assert erhalten["ortsverein"] == ["A", "B"]
    assert erhalten["ausgabe"] == __import__("pathlib").Path("x.xlsx")
    assert erhalten["anrufer"] is None and erhalten["segment"] is None


def test_ordinary_command_loads_no_pydantic(tmp_path):
    code = (
        "import sys\nfrom mitgliederarbeit.cli.start import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print([m for m in ('pydantic', 'pydantic_core') if m in sys.modules], file=sys.stderr)\n"
    )
    for args in (
        ["--stichtag", "01.09.2026", "segmente", "--ortsverein", "A"],
        ["anrufliste", "--anrufer-anzahl", "0"],
        ["--ordner", str(tmp_path), "uebersicht"],
    ):
        lauf = subprocess.run(
            [sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=tmp_path, env=os.environ
        )
        assert lauf.stderr.splitlines()[-1] == "[]", (args, lauf.stderr)


@pytest.mark.parametrize(
    ("antwort", "ja"), [("j\n", True), ("Ja\n", True), ("\n", False), ("nein\n", False), ("", False)]
)
def test_question_wants_a_clear_yes(monkeypatch, capsys, antwort, ja):
    import io

    from mitgliederarbeit.cli import console

    monkeypatch.setattr("sys.stdin", io.StringIO(antwort))
    assert console.frage("Jetzt endgültig löschen?") is ja
    assert capsys.readouterr().err == "Jetzt endgültig löschen? [j/N] "


def test_import_progress_names_every_phase_from_the_core(beispielbestand):
    """The core tells each phase (no rich in the core); the bar never stands at 100 % while the store is written."""
    from mitgliederarbeit.cli.darstellung import import_fortschritt
    from mitgliederarbeit.einlesen.importieren import importieren
    from tests.conftest import EXPORT_AUGUST

    gemeldet = []
    melden = import_fortschritt(lambda done, total, text: gemeldet.append((done, total, text)))
    kopie = beispielbestand.pfad / "unterbezirk-musterstadt-2026-09.csv"
    kopie.write_bytes(EXPORT_AUGUST.read_bytes().replace(b"31.08.2026", b"30.09.2026", 1))
    importieren(beispielbestand, [kopie], fortschritt=melden)
    texte = list(dict.fromkeys(text for _, _, text in gemeldet))
    assert texte == [
        "Lese unterbezirk-musterstadt-2026-09.csv …",
        "Prüfe unterbezirk-musterstadt-2026-09.csv …",
        "Vergleiche unterbezirk-musterstadt-2026-09.csv mit dem Datenbestand …",
        "Bestand wird geschrieben …",
    ]
    assert gemeldet[0] == (0, None, texte[0]) and gemeldet[-1] == (0, None, "Bestand wird geschrieben …")
    pruefen = [(done, total) for done, total, text in gemeldet if text == texte[1]]
    assert pruefen[-1][0] == pruefen[-1][1] > 0  # the bar reached the end of the rows before the next phase


@pytest.mark.parametrize(
    "befehl", ["uebersicht", "segmente", "protokoll", "sicherung", "anrufliste", "bereinigen"]
)
def test_missing_working_folder_is_named(mitglieder, tmp_path, befehl):
    fehlt = tmp_path / "nicht" / "da"
    run = mitglieder("--ordner", fehlt, befehl)
    assert (run.code, run.err.splitlines()) == (
        1,
        [
            f"Fehler: Den Arbeitsordner {fehlt} (--ordner) gibt es nicht.",
            f"Bitte den Pfad prüfen. Einen neuen Arbeitsordner legt der erste Import an: mitglieder --ordner {fehlt} "
            "import EXPORT.xlsx",
        ],
    )
    assert not fehlt.exists()


def test_missing_working_folder_from_the_environment(mitglieder, tmp_path, monkeypatch):
    monkeypatch.setenv("MITGLIEDER_ORDNER", str(tmp_path / "weg"))
    run = mitglieder("uebersicht")
    assert (
        run.err.splitlines()[0]
        == f"Fehler: Den Arbeitsordner {tmp_path / 'weg'} (MITGLIEDER_ORDNER) gibt es nicht."
    )


def test_import_and_init_create_the_working_folder(mitglieder, tmp_path):
    from .conftest import EXPORT_MAI

    neu = tmp_path / "neu"
    assert mitglieder("--ordner", neu / "a", "init").code == 0
    assert (neu / "a" / "mitglieder.toml").is_file()
    run = mitglieder("--ordner", neu / "b", "import", EXPORT_MAI)
    assert run.code == 3 and (neu / "b" / "mitglieder.sqlite").is_file()


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (100, "1 KB"),
        (999_424, "976 KB"),
        (1_048_576, "1,0 MB"),
        (1_300_000, "1,2 MB"),
        (334_000_000, "319 MB"),
    ],
)
def test_file_sizes_in_german(n, text):
    from mitgliederarbeit.cli.console import groesse

    assert groesse(n) == text


def test_password_asked_twice_until_both_agree(monkeypatch, capsys):
    import getpass

    from mitgliederarbeit.cli import console

    eingaben = iter(["", "eins", "zwei", "Geheim-2026", "Geheim-2026"])
    gefragt = []

    def getpass_(prompt, stream=None):
        gefragt.append(prompt)
        return next(eingaben)

    monkeypatch.setattr(getpass, "getpass", getpass_)
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)  # typed in a terminal
    assert console.kennwort("Kennwort für die Pakete", bestaetigen=True) == "Geheim-2026"
    assert gefragt == [
        "Kennwort für die Pakete: ",
        "Kennwort für die Pakete: ",
        "Noch einmal zur Bestätigung: ",
        "Kennwort für die Pakete: ",
        "Noch einmal zur Bestätigung: ",
    ]
    assert capsys.readouterr().err == "Die beiden Eingaben stimmen nicht überein – bitte noch einmal.\n"


def test_value_options_of_mitglieder_are_known_before_typer_loads():
    """argumente.WERT_OPTIONEN finds the command's name in the arguments: it must name exactly the options of
    ``mitglieder`` itself that take a value."""
    from mitgliederarbeit.cli.argumente import WERT_OPTIONEN

    mit_wert = {o for p in GRUPPE.params if not getattr(p, "is_flag", True) for o in p.opts}
    assert mit_wert == WERT_OPTIONEN


@pytest.mark.parametrize(
    ("args", "gebaut"),
    [
        (["--ordner", "segmente", "anrufliste", "--segment", "neu"], ["anrufliste"]),
        (["--stichtag", "01.09.2026", "--json", "segmente", "bericht"], ["segmente"]),
        (["anrufliste", "--help"], ["anrufliste"]),
        (["anruflste", "segmente"], None),  # a typo: click suggests from every command
        (["--help", "segmente"], None),  # help before the command: the overview of every command
        (["-h", "anrufliste"], None),
        (["--ordner", ".", "-h", "anrufliste"], None),
        (["--ordner", "--stichtag", "segmente", "anrufliste"], ["segmente"]),  # a folder named --stichtag
        (["--ordner=segmente", "anrufliste"], ["anrufliste"]),
        (["--json"], None),
        ([], None),
    ],
)
def test_only_the_called_command_is_built(args, gebaut):
    gruppe = hilfe.befehl(app, args)
    alle = sorted(GRUPPE.commands)
    assert sorted(gruppe.commands) == (alle if gebaut is None else gebaut)
    # built the same way as in the whole tree, with our German help option
    for name, cmd in gruppe.commands.items():
        assert [p.opts for p in cmd.params] == [p.opts for p in GRUPPE.commands[name].params]


def test_typo_in_command_still_gets_suggestions(mitglieder):
    run = mitglieder("anrufliste", "--segment", "neu-ohne-kontakt", "--anrufer-anzahl", "x")
    assert run.code == 2 and "anrufer-anzahl" in run.err
    run = mitglieder("segmnte", "neu")
    assert run.code == 2 and "Meinten Sie „segmente“?" in run.err


def test_help_before_a_command_lists_every_command(mitglieder):
    run = mitglieder("--help", "segmente")
    assert run.code == 0
    for name in GRUPPE.commands:
        assert name in run.out, name


def test_command_typed_with_umlauts_or_capitals_runs(beispielbestand, mitglieder):
    """A German keyboard types „übersicht“: that is the command uebersicht; the value of an option is never
    touched, and what is no command after the transcription stays the mistake it was."""
    from mitgliederarbeit.cli.argumente import befehl_umschreiben

    namen = {"uebersicht", "segmente", "bericht"}
    assert befehl_umschreiben(["übersicht"], namen) == ["uebersicht"]
    assert befehl_umschreiben(["--ordner", "übersicht", "Übersicht", "--json"], namen) == [
        "--ordner", "übersicht", "uebersicht", "--json"
    ]  # fmt: skip
    assert befehl_umschreiben(["Segmente", "neu"], namen) == ["segmente", "neu"]
    assert befehl_umschreiben(["übersichtt"], namen) == ["übersichtt"]
    lauf = mitglieder("--ordner", beispielbestand.pfad, "--stichtag", "01.09.2026", "--json", "übersicht")
    erwartet = mitglieder(
        "--ordner", beispielbestand.pfad, "--stichtag", "01.09.2026", "--json", "uebersicht"
    )
    assert lauf.code == 0 and lauf.out == erwartet.out
