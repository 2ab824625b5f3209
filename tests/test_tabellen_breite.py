"""Terminal tables at 80 columns: nothing cut with „…“, dates and numbers whole, empty columns left out."""

import io

from rich.console import Console

from mitgliederarbeit.cli import console

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
