"""The report's table in the terminal: every group up to 25, above that the top and the bottom ten."""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from types import SimpleNamespace

from mitgliederarbeit.auswertung import kennzahlen as kz
from mitgliederarbeit.bestand import speicher
from mitgliederarbeit.cli import darstellung


def _gruppen(n: int) -> list[kz.Werte]:
    return [kz.Werte(name=f"OV {i:02d}", mitglieder=100 + i) for i in range(n)]


def test_up_to_25_groups_all_are_shown_in_the_reports_order():
    gruppen = _gruppen(25)
    result = SimpleNamespace(gruppen=gruppen, rangfolge=[kz.Rang(1, w) for w in gruppen], ebene="ortsverein")
    assert darstellung._bericht_auswahl(result) == (gruppen, "", 0)


def test_more_groups_show_the_best_and_the_weakest_ten_of_the_ranking():
    gruppen = _gruppen(30)
    rangfolge = [kz.Rang(i + 1, w) for i, w in enumerate(reversed(gruppen[:25]))]
    rangfolge += [kz.Rang(None, w) for w in gruppen[25:]]  # too few new members to rank
    result = SimpleNamespace(gruppen=gruppen, rangfolge=rangfolge, ebene="ortsverein")
    gezeigt, titel, weitere = darstellung._bericht_auswahl(result)
    assert [w.name if w else None for w in gezeigt] == [
        *(f"OV {i:02d}" for i in range(24, 14, -1)),
        None,  # the row "…"
        *(f"OV {i:02d}" for i in range(9, -1, -1)),
    ]
    assert titel == " – die 10 besten und die 10 schwächsten Ortsvereine nach „Standard erfüllt“"
    assert weitere == 10


def test_without_a_ranking_the_largest_and_the_smallest_are_shown():
    gruppen = _gruppen(40)
    result = SimpleNamespace(
        gruppen=gruppen, rangfolge=[kz.Rang(None, w) for w in gruppen], ebene="unterbezirk"
    )
    gezeigt, titel, weitere = darstellung._bericht_auswahl(result)
    namen = [w.name if w else None for w in gezeigt]
    assert namen[:10] == [f"OV {i:02d}" for i in range(39, 29, -1)]
    assert namen[10] is None and namen[11:] == [f"OV {i:02d}" for i in range(9, -1, -1)]
    assert (titel, weitere) == (" – die 10 größten und die 10 kleinsten Unterbezirke", 20)


def test_cli_report_of_30_ortsvereine_shows_a_summary(mitglieder, tmp_path):
    """End to end: 30 Ortsvereine with new members and calls; the terminal names 20 of them and the rest."""
    rng = random.Random(5)
    stichtag = date(2026, 9, 1)
    zeilen, anrufe = ["Mitgliedsnummer;Vorname;Nachname;Eintrittsdatum;Ortsverein"], []
    for ov in range(30):
        for j in range(10):
            nr = f"{ov:02d}{j:02d}"
            eintritt = stichtag - timedelta(days=rng.randint(60, 300))
            zeilen.append(f"{nr};Vorname{nr};Nachname{nr};{eintritt:%d.%m.%Y};OV {ov:02d}")
            if rng.random() < ov / 30:  # a different share reached in each Ortsverein
                anrufe.append((nr, (eintritt + timedelta(days=5)).isoformat()))
    (tmp_path / "export.csv").write_text("\n".join(zeilen) + "\n", encoding="utf-8")
    ordner = tmp_path / "lv"
    ordner.mkdir()
    (ordner / "mitglieder.toml").write_text(
        '[[standard.schritte]]\nname = "Anruf"\narten = ["anruf_erreicht"]\nfrist_tage = 30\n',
        encoding="utf-8",
    )
    args = ("--ordner", ordner, "--stichtag", "01.09.2026")
    assert mitglieder(*args, "import", tmp_path / "export.csv").code == 0
    store = speicher.oeffnen(ordner)
    try:
        with store.transaktion(sichern=False) as conn:
            conn.executemany(
                "INSERT INTO kontakte (nr, art, datum, ergebnis, schluessel) VALUES (?, 'anruf', ?, 'erreicht', ?)",
                [(nr, tag, f"test-{nr}") for nr, tag in anrufe],
            )
    finally:
        store.close()

    daten = mitglieder(*args, "--json", "bericht", "--ausgabe", tmp_path / "a")
    assert daten.code == 0, daten.err
    gerankt = [r["name"] for r in json.loads(daten.out)["rangfolge"] if r["rang"] is not None]
    assert len(gerankt) >= 20

    lauf = mitglieder(*args, "bericht", "--ausgabe", tmp_path / "b")
    assert lauf.code == 0, lauf.err
    assert "die 10 besten und die 10 schwächsten Ortsvereine" in lauf.out
    erste_spalte = [z.split("│")[1].strip() for z in lauf.out.splitlines() if z.startswith("│")]
    assert erste_spalte == [*gerankt[:10], "…", *gerankt[-10:], "Gesamt"]
    assert "… 10 weitere Ortsvereine – vollständig in bericht.html und bericht.xlsx.\n" in lauf.err
    assert "Bericht für 30 Ortsvereine geschrieben" in lauf.err
