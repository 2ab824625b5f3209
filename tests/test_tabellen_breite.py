"""Terminal tables at 80 columns: nothing cut with „…“, dates and numbers whole, empty columns left out."""

import io
from datetime import date
from pathlib import Path

import pytest
from rich.console import Console

from mitgliederarbeit.cli import console, darstellung

KOPF = ["Nr.", "Name", "Ortsverein", "Mitglied seit", "Alter", "Fällig", "am"]
ZEILEN = [
    ["2004", "Eva Ohnehausnummer", "Neustadt-Nord", "03.09.2026", "", "Erstkontakt (Monat 1)", "03.10.2026"],
    ["2005", "Tom Sonnenschein", "Neustadt-Süd", "03.09.2026", None, "Erstkontakt (Monat 1)", "03.10.2026"],
    ["2002", "Maximiliane Schwarzenberg-Hohenlohe-Langenburg", "Altstadt", "01.02.2026", "", "", ""],
]


def _zeigen(monkeypatch, breite: int, **optionen) -> str:
    puffer = io.StringIO()
    monkeypatch.setattr(console, "out", Console(file=puffer, width=breite, highlight=False, soft_wrap=True))
    console.tabelle(None, KOPF, ZEILEN, rechts={4}, **optionen)
    return puffer.getvalue()


def test_at_80_columns_dates_stay_whole_names_wrap_and_the_empty_column_goes(monkeypatch):
    text = _zeigen(monkeypatch, 80)
    assert "…" not in text and all(len(z) <= 80 for z in text.splitlines())
    assert text.count("03.09.2026") == 2 and text.count("03.10.2026") == 2 and "01.02.2026" in text
    assert "Neustadt-Nord" in text and "Neustadt-Süd" in text  # the rows stay apart
    assert "Erstkontakt" in text and "Ortsverein" in text and "Mitglied" in text
    assert "Alter" not in text
    zellen = "".join(z.strip("│ ") for z in text.splitlines())
    assert "Schwarzenberg" in zellen.replace("│", "").replace(" ", "")  # folded, not cut


def test_a_table_that_fits_looks_as_rich_draws_it(monkeypatch):
    text = _zeigen(monkeypatch, 160)
    assert "Maximiliane Schwarzenberg-Hohenlohe-Langenburg" in text
    assert len(text.splitlines()) == 3 + 3 + 1  # top, header, rule; three rows; bottom


def test_a_ganz_column_keeps_a_long_file_name_on_one_line(monkeypatch):
    puffer = io.StringIO()
    monkeypatch.setattr(console, "out", Console(file=puffer, width=80, highlight=False, soft_wrap=True))
    name = "mitglieder-2026-09-01_10-59-00-123456.sqlite.gz"
    console.tabelle(
        "S", ["Name", "Zeit", "Größe"], [[name, "01.09.2026 10:59:00", "5 KB"]], rechts={2}, ganz={0}
    )
    assert name in puffer.getvalue() and "01.09.2026" in puffer.getvalue()


# --- columns left out by rang: whole words or not at all ---


def _bildschirm(datei: io.StringIO, breite: int) -> Console:
    """A terminal of ``breite`` columns (without colours, so the drawing can be read back)."""
    return Console(
        file=datei, width=breite, highlight=False, soft_wrap=True, force_terminal=True, color_system=None
    )


def _terminal(monkeypatch, breite: int) -> tuple[io.StringIO, io.StringIO]:
    """stdout and stderr as a terminal of ``breite`` columns: (table, messages)."""
    puffer, meldungen = io.StringIO(), io.StringIO()
    for name, datei in (("out", puffer), ("err", meldungen)):
        monkeypatch.setattr(console, name, _bildschirm(datei, breite))
    return puffer, meldungen


def _rang_tabelle(monkeypatch, breite: int, rang: list[int]) -> tuple[str, str]:
    puffer, meldungen = _terminal(monkeypatch, breite)
    console.tabelle(None, KOPF, ZEILEN[:2], rechts={4}, rang=rang, alles="--json")
    return puffer.getvalue(), _eine_zeile(meldungen.getvalue())


def _eine_zeile(text: str) -> str:
    """Messages as one line each paragraph: the terminal wraps them at its width."""
    return " ".join(text.split()) + ("\n" if text else "")


def test_a_rang_leaves_out_the_columns_of_the_highest_rang_together_and_says_so(monkeypatch):
    # Nr., Name, Ortsverein never; „Fällig“ and „am“ (rang 2) go together before „Mitglied seit“ (rang 1)
    text, meldung = _rang_tabelle(monkeypatch, 60, [0, 0, 0, 1, 3, 2, 2])
    assert "Fällig" not in text and "03.10.2026" not in text and "03.09.2026" in text
    assert meldung == (
        "Ausgelassen, weil das Terminal zu schmal ist: „Fällig“ und „am“ – alle Spalten in einem breiteren "
        "Terminal, mit --json.\n"
    )
    assert "Ohnehausnummer" in text and "Sonnenschein" in text and "Neustadt-Nord" in text  # whole words


def test_a_lower_rang_that_still_fits_is_shown(monkeypatch):
    # „Fällig“/„am“ (rang 1) do not fit at 56 columns, „Mitglied seit“ (rang 2) does: it is shown
    text, meldung = _rang_tabelle(monkeypatch, 56, [0, 0, 0, 2, 3, 1, 1])
    assert "03.09.2026" in text and "Fällig" not in text
    assert "„Fällig“ und „am“" in meldung and "Mitglied seit" not in meldung


def test_a_rang_where_everything_fits_changes_nothing(monkeypatch):
    text, meldung = _rang_tabelle(monkeypatch, 160, [0, 0, 0, 1, 3, 2, 2])
    puffer = io.StringIO()
    monkeypatch.setattr(console, "out", _bildschirm(puffer, 160))
    console.tabelle(None, KOPF, ZEILEN[:2], rechts={4})
    assert text == puffer.getvalue() and meldung == ""


def test_a_rang_table_without_rows_is_drawn(monkeypatch):
    puffer = io.StringIO()
    monkeypatch.setattr(console, "out", _bildschirm(puffer, 40))
    console.tabelle(None, KOPF, [], rang=[0, 0, 1, 1, 1, 1, 1], alles="--json")
    assert "Name" in puffer.getvalue()


def _segment(monkeypatch, bestand: Path, segment: str, breite: int) -> tuple[str, str]:
    """``mitglieder segmente SEGMENT`` as a terminal of ``breite`` columns shows it: (table, messages)."""
    from mitgliederarbeit.cli.befehle import main

    puffer, meldungen = _terminal(monkeypatch, breite)
    main(["--ordner", str(bestand), "--stichtag", "01.09.2026", "segmente", segment])
    return puffer.getvalue(), meldungen.getvalue()


def _spalten(text: str) -> tuple[list[str], dict[str, list[str]]]:
    """The headers of a drawn table and, per header, its cells' lines."""
    kopfzeilen = [z.strip("┃").split("┃") for z in text.splitlines() if z.startswith("┃")]
    kopf = [" ".join(z[i].strip() for z in kopfzeilen if z[i].strip()) for i in range(len(kopfzeilen[0]))]
    zeilen = [z.strip("│").split("│") for z in text.splitlines() if z.startswith("│")]
    return kopf, {k: [z[i].strip() for z in zeilen] for i, k in enumerate(kopf)}


@pytest.mark.parametrize("segment", ["neu", "faellig"])
def test_a_segment_listing_keeps_names_and_ortsvereine_whole_and_names_what_it_left_out(
    monkeypatch, beispielbestand, mitglieder, segment
):
    lauf = mitglieder(
        "--ordner", beispielbestand.pfad, "--stichtag", "01.09.2026", "--json", "segmente", segment
    )
    liste = lauf.json()["mitglieder"][: darstellung.SEGMENT_ZEILEN]
    woerter = {w for m in liste for w in (m["vorname"] or "").split() + (m["nachname"] or "").split()}
    orte = {w for m in liste for w in m["ortsverein"].split()}

    breit, breit_meldungen = _segment(monkeypatch, beispielbestand.pfad, segment, 160)
    alle, _ = _spalten(breit)
    assert alle[:5] == ["Nr.", "Name", "Ortsverein", "Mitglied seit", "Alter"] and "Fällig" in alle
    assert "Ausgelassen" not in breit_meldungen  # at 160 columns nothing is left out

    for breite in (80, 60):
        text, meldungen = _segment(monkeypatch, beispielbestand.pfad, segment, breite)
        assert all(len(z) <= breite for z in text.splitlines())
        kopf, zellen = _spalten(text)
        assert kopf[:2] == ["Nr.", "Name"]  # what `mitglieder kontakt NR` takes, and who it is
        gezeigt = [w for zeile in zellen["Name"] for w in zeile.split()]
        assert set(gezeigt) == woerter  # every word of every name, none broken into pieces
        if "Ortsverein" in kopf:
            assert {w for zeile in zellen["Ortsverein"] for w in zeile.split()} == orte
        weg = [k for k in alle if k not in kopf]
        assert weg, f"{segment} at {breite} columns: nothing left out?"
        hinweis = " ".join(meldungen.split())
        assert "Ausgelassen, weil das Terminal zu schmal ist" in hinweis
        assert all(f"„{k}“" in hinweis for k in weg) and "--export DATEI.xlsx oder --json" in hinweis
        if segment == "faellig":  # what the listing is for stays before the Ortsverein
            assert "Fällig" in kopf and "am" in kopf


def _teile_von(text: str) -> list[str]:
    """A drawing of tables one below the other, table by table (each from its top border)."""
    teile: list[str] = []
    for zeile in text.splitlines():
        if zeile.startswith("┏"):
            teile.append("")
        if teile:
            teile[-1] += zeile + "\n"
    return teile


@pytest.mark.parametrize("breite", [60, 80, 100])
def test_segments_per_ortsverein_in_a_narrow_terminal_come_in_parts_with_every_number_whole(
    monkeypatch, beispielbestand, mitglieder, breite
):
    """``segmente --je-ortsverein``: every segment belongs on the screen, so a narrow terminal gets the table in
    parts, each with the Ortsverein first; every count stands whole in its cell, none is left out."""
    import json

    from mitgliederarbeit.cli.befehle import main

    lauf = mitglieder(
        "--ordner", beispielbestand.pfad, "--stichtag", "01.09.2026", "--json", "segmente", "--je-ortsverein"
    )
    assert lauf.code == 0, lauf.err
    je_segment = json.loads(lauf.out)
    puffer, _ = _terminal(monkeypatch, breite)
    main(["--ordner", str(beispielbestand.pfad), "--stichtag", "01.09.2026", "segmente", "--je-ortsverein"])
    teile = _teile_von(puffer.getvalue())
    assert len(teile) > 1
    gezeigt: list[str] = []
    for teil in teile:
        assert all(len(z) <= breite for z in teil.splitlines())
        kopf, spalten = _spalten(teil)
        assert kopf[0] == "Ortsverein"
        ortsvereine = spalten["Ortsverein"]
        for segment in kopf[1:]:
            gezeigt.append(segment)
            zahlen = je_segment[segment]
            erwartet = [f"{zahlen.get(ov, 0):,}".replace(",", ".") for ov in ortsvereine[:-1]]
            erwartet.append(f"{sum(zahlen.values()):,}".replace(",", "."))
            assert spalten[segment] == erwartet, segment  # one line per cell: no number broken
    assert gezeigt == list(je_segment)


def test_a_table_in_parts_fits_into_one_where_the_terminal_is_wide_enough(monkeypatch):
    kopf = ["Ortsverein", *(f"segment-nummer-{i}" for i in range(8))]
    zeilen = [["Neustadt-Nord", *(str(1000 * i) for i in range(8))], ["Gesamt", *("1.525" for _ in range(8))]]
    puffer, _ = _terminal(monkeypatch, 250)
    console.tabelle("Segmente", kopf, zeilen, rechts=set(range(1, 9)), teilen={0})
    assert len(_teile_von(puffer.getvalue())) == 1 and "(1/" not in puffer.getvalue()
    puffer, _ = _terminal(monkeypatch, 80)
    console.tabelle("Segmente", kopf, zeilen, rechts=set(range(1, 9)), teilen={0})
    teile = _teile_von(puffer.getvalue())
    assert len(teile) == 3 and "Segmente (3/3)" in puffer.getvalue()
    for teil in teile:
        k, spalten = _spalten(teil)
        assert k[0] == "Ortsverein" and spalten["Ortsverein"] == ["Neustadt-Nord", "Gesamt"]
        assert all(spalten[name] in (["0", "1.525"], [str(1000 * int(name[-1])), "1.525"]) for name in k[1:])


def test_redirected_output_keeps_every_column(monkeypatch):
    """A file or a pipe is no screen (rich takes it for 80 columns): nothing is left out there, the cells wrap."""
    puffer, meldungen = io.StringIO(), io.StringIO()
    monkeypatch.setattr(console, "out", Console(file=puffer, width=80, highlight=False, soft_wrap=True))
    monkeypatch.setattr(console, "err", Console(file=meldungen, width=80, highlight=False, soft_wrap=True))
    console.tabelle(None, KOPF, ZEILEN[:2], rechts={4}, rang=[0, 0, 2, 3, 5, 4, 4], alles="--json")
    kopf, _ = _spalten(puffer.getvalue())
    assert kopf == ["Nr.", "Name", "Ortsverein", "Mitglied seit", "Fällig", "am"]  # Alter: empty in every row
    assert "Ausgelassen" not in meldungen.getvalue()


def test_one_very_long_word_does_not_cost_the_other_columns_their_room(monkeypatch):
    """A single 60-letter surname is folded in its cell; the columns beside it stay."""
    zeilen = [list(z) for z in ZEILEN[:2]]
    zeilen[0][1] = "Eva " + "Xaverikowskibergmannschmidtlehnerhofstaetterwaldbaumgartenxy"
    puffer, meldungen = _terminal(monkeypatch, 80)
    console.tabelle(None, KOPF, zeilen, rechts={4}, rang=[0, 0, 2, 3, 5, 4, 4], alles="--json")
    kopf, spalten = _spalten(puffer.getvalue())
    assert "Ortsverein" in kopf and "Mitglied seit" in kopf
    assert "Neustadt-Nord" in spalten["Ortsverein"]


def test_backups_at_60_columns_keep_every_name_whole_and_leave_out_the_time(monkeypatch):
    """The name is what `sicherung --wiederherstellen` takes: whole on one line; the time (in the name too) goes."""
    from datetime import datetime
    from types import SimpleNamespace

    namen = [f"mitglieder-2026-12-02_14-12-16-43102{i}.sqlite.gz" for i in range(3)]
    backups = [
        SimpleNamespace(name=n, zeit=datetime(2026, 12, 2, 14, 12, 16), groesse=273_000) for n in namen
    ]
    puffer, meldungen = _terminal(monkeypatch, 60)
    darstellung.sicherungen(backups)
    kopf, spalten = _spalten(puffer.getvalue())
    assert kopf == ["Name", "Größe"] and spalten["Name"] == namen and spalten["Größe"] == ["267 KB"] * 3
    assert "„Zeit“" in _eine_zeile(meldungen.getvalue())
    puffer, meldungen = _terminal(monkeypatch, 100)
    darstellung.sicherungen(backups)
    assert _spalten(puffer.getvalue())[0] == ["Name", "Zeit", "Größe"]


def test_a_part_keeps_every_word_of_its_cells_whole(monkeypatch):
    """A part that fits only with its headers broken between words: the widths are set here, so that rich's own
    sharing does not take a letter from „Neustadt-Nord“ to give it to a header."""
    kopf = ["Ortsverein", "Mitglieder", "Eintritte (unvollst.)", "Erstkontakt (Monat 1)", "Standard erfüllt"]
    zeilen = [
        ["Neustadt-Nord", "240", "31", "40,7 %", "18,5 %"],
        ["Gesamt", "1.525", "185", "46,3 %", "36,6 %"],
    ]
    puffer, _ = _terminal(monkeypatch, 60)
    console.tabelle("Neumitgliederarbeit", kopf, zeilen, rechts={1, 2, 3, 4}, teilen={0})
    teile = _teile_von(puffer.getvalue())
    assert len(teile) == 2
    for teil in teile:
        _, spalten = _spalten(teil)
        assert spalten["Ortsverein"] == ["Neustadt-Nord", "Gesamt"]


def test_packages_say_a_common_start_once_in_the_title(monkeypatch):
    """Every Ortsverein's changes since the same day: said once above the table, not three lines in every row."""
    from types import SimpleNamespace

    pakete = [
        SimpleNamespace(ortsverein=ov, neue_mitglieder=3, ueberfaellig=1, faellig=0, aenderungen=2, seit=None,
                        seit_paket="2026-06-01")
        for ov in ("Altstadt", "Neustadt-Nord")
    ]  # fmt: skip
    ergebnis = SimpleNamespace(
        warnungen=[], pakete=pakete, ordner=Path("/tmp/pakete"), stichtag=date(2026, 9, 30), verschluesselt=True,
        loeschen_am=date(2026, 12, 30),
    )  # fmt: skip
    puffer, _ = _terminal(monkeypatch, 80)
    darstellung.ortsvereine(ergebnis)
    assert "Pakete am 30.09.2026, Änderungen seit letztem Paket (01.06.2026)" in puffer.getvalue()
    assert _spalten(puffer.getvalue())[0][-1] == "Änderungen"
    pakete[1].seit_paket = None
    pakete[1].seit = date(2026, 3, 1)
    puffer, _ = _terminal(monkeypatch, 80)
    darstellung.ortsvereine(ergebnis)
    kopf, spalten = _spalten(puffer.getvalue())
    assert kopf[-1] == "seit" and spalten["seit"][-1] == "01.03.2026"
