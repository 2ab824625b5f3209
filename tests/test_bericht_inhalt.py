"""The content of the report (the block model, before any format): ranking with many Ortsvereine, findings,
tiles, Entwicklung and practices in ``--json``."""

from __future__ import annotations

import json
import random
import statistics
from datetime import date

from mitgliederarbeit.ausgaben import bericht
from mitgliederarbeit.auswertung import kennzahlen as kz
from mitgliederarbeit.auswertung.kennzahlen import Anteil, Kennzahlen, Werte, Zeitraum

ZEITRAUM = Zeitraum(date(2025, 10, 1), date(2026, 9, 30))


def _bericht(gruppen: list[Werte], m: int = 5) -> bericht.Bericht:
    gesamt = Werte(kz.GESAMT, standard=sum((w.standard for w in gruppen), Anteil()))
    k = Kennzahlen(
        ZEITRAUM,
        [{"name": "Erstkontakt", "arten": ["gespraech"], "frist_tage": 30}],
        gruppen,
        [],
        gesamt,
        [],
        {},
        None,
        None,
    )
    return bericht.Bericht(
        stichtag=ZEITRAUM.bis,
        ebene="ortsverein",
        min_fallzahl=m,
        kennzahlen=k,
        rangfolge=kz.rangfolge(gruppen, m),
        auffaelligkeiten=[],
        hinweise=[],
        vergleiche=None,
        erhebung=None,
    )


def test_viele_ortsvereine_die_besten_und_schwaechsten_zehn_mit_namen():
    rng = random.Random(500)
    gruppen = []
    for i in range(500):
        basis = rng.randint(5, 40)
        gruppen.append(Werte(f"OV {i:03d}", standard=Anteil(rng.randint(0, basis), basis)))
    gruppen += [Werte(f"Klein {i}", standard=Anteil(1, 3)) for i in range(7)]  # too few: not ranked
    r = _bericht(gruppen)
    tabelle = bericht._tabelle_rangfolge(r)
    geordnet = sorted(
        (w for w in gruppen if w.standard.basis >= 5),
        key=lambda w: (-w.standard.wert, -w.standard.basis, w.name.casefold()),
    )
    namen = [z[1] for z in tabelle.zeilen]
    assert namen[:10] == [w.name for w in geordnet[:10]]
    assert namen[11:21] == [w.name for w in geordnet[-10:]]
    mitte = sorted(w.standard.wert for w in geordnet[10:-10])
    q1, q2, q3 = statistics.quantiles(mitte, n=4, method="inclusive")
    assert namen[10] == (
        f"480 weitere Ortsvereine: Median {kz.prozent_de(q2)}, mittlere Hälfte "
        f"{kz.prozent_de(q1)[:-2]}–{kz.prozent_de(q3)}"
    )
    assert namen[21:] == ["7 Ortsvereine nicht gerankt"]
    assert len(tabelle.xlsx_zeilen) == 507  # every Ortsverein stays in the Excel sheet
    assert "die besten und die schwächsten 10" in tabelle.fussnote.casefold()
    # with few, every one is named
    wenige = _bericht(gruppen[:20])
    assert len(bericht._tabelle_rangfolge(wenige).zeilen) == 20


def _w(name: str, *schritte: tuple[int, int]) -> Werte:
    anteile = [Anteil(*s) for s in schritte]
    return Werte(name, schritte=anteile, standard=anteile[0])


def test_was_auffaellt_wenige_verschiedene_befunde():
    schritte = [{"name": "Erstkontakt"}, {"name": "Parteibuch"}, {"name": "Zweitkontakt"}]
    gruppen = [
        _w("Altstadt", (28, 35), (19, 22), (7, 9)),
        _w("Am Hafen", (0, 15), (0, 13), (0, 5)),
        _w("Neustadt-Süd", (2, 26), (0, 21), (0, 13)),
        _w("Seewiesen", (0, 5), (1, 4), (0, 2)),
        _w("Schlossberg", (9, 11), (6, 7), (4, 5)),
        _w("Weinberg", (5, 10), (5, 7), (3, 6)),
    ]
    saetze = kz.auffaelligkeiten(gruppen, schritte, 5)
    # everybody who reached nobody for some step in one line, the most new members concerned first
    assert saetze[0] == (
        "Bei 3 Ortsvereinen gibt es Schritte, die kein Neumitglied fristgerecht bekommen hat – Neustadt-Süd: "
        "„Parteibuch“ (0 von 21), „Zweitkontakt“ (0 von 13); Am Hafen: „Erstkontakt“ (0 von 15), „Parteibuch“ "
        "(0 von 13), „Zweitkontakt“ (0 von 5); Seewiesen: „Erstkontakt“ (0 von 5)."
    )
    # the groups far above the rest: one finding
    ueber = [s for s in saetze if "deutlich über" in s]
    assert len(ueber) == 1 and ueber[0].startswith(
        "Standard erfüllt deutlich über den übrigen zusammen: Altstadt"
    )
    assert "Schlossberg" in ueber[0]
    assert len(saetze) <= 3


def test_json_entwicklung_und_praktiken(mitglieder, beispielbestand):
    run = mitglieder("--ordner", beispielbestand.pfad, "--stichtag", "01.09.2026", "--json", "bericht")
    assert run.code == 0, run.err
    data = json.loads(run.out)
    e = data["entwicklung"]
    assert e["art"] == "monat" and e["vorher_von"] == "2024-09-02" and e["vorher_bis"] == "2025-09-01"
    assert e["zeitraum_vollstaendig"] is False  # the first export is of 31.05.2026
    assert [a["name"] for a in e["abschnitte"]][:2] == ["September 2025 (ab 02.09.)", "Oktober 2025"]
    assert e["gesamt"]["mitglieder_ende"] == data["gesamt"]["mitglieder"] == 1525
    assert e["gesamt"]["eintritte"] == data["gesamt"]["eintritte"]
    assert {g["name"] for g in e["gruppen"]} >= {o["name"] for o in data["ortsvereine"]}
    k = e["kohorten"][-1]
    assert k["quartal"] == "2026-Q3" and k["nach_3_monaten"] is None and k["vollstaendig"] is True
    assert e["kohorten"][0]["nach_12_monaten"]["anteil"] is not None
    assert set(data["gesamt"]) >= {"erstkontakt_30_tage", "erstkontakt_90_tage"}


def test_auf_einen_blick_entwicklung_und_erstkontakt_an_der_zahl(beispielbestand):
    r = bericht.bericht(beispielbestand, schreiben=False)
    kacheln = {k.titel: k for k in bericht.kacheln(r)}
    e = r.entwicklung
    mitglieder = kacheln["Mitglieder am 01.09.2026"]
    veraenderung = e.gesamt.mitglieder_ende - e.gesamt.mitglieder_anfang
    assert mitglieder.grundlage.startswith(f"+{veraenderung} seit dem 01.09.2025")
    assert mitglieder.vorbehalt == "unvollständig: Datenbestand erst ab 31.05.2026"
    assert kacheln["Eintritte"].grundlage.endswith(f"(Vorzeitraum: {e.gesamt.eintritte_vorher})")
    tage = kacheln["Tage bis zum ersten persönlichen Kontakt"]
    assert tage.wert == "keine Daten"  # the example exports alone hold no contact


def test_was_auffaellt_schweigt_zur_bindung_ohne_ganze_geschichte():
    gruppen = [Werte(n, bindung=Anteil(t, 40)) for n, t in (("A", 40), ("B", 20), ("C", 21), ("D", 22))]
    assert any(s.startswith("A: Bindung im 1. Jahr") for s in kz.auffaelligkeiten(gruppen, [], 5))
    assert kz.auffaelligkeiten(gruppen, [], 5, bindung_vollstaendig=False) == []


def test_viele_ortsvereine_ohne_rang_werden_gezaehlt_nicht_aufgezaehlt():
    gruppen = [Werte(f"OV {i:03d}", standard=Anteil(1, 3)) for i in range(40)]
    tabelle = bericht._tabelle_rangfolge(_bericht(gruppen))
    assert tabelle.zeilen == [["–", "40 Ortsvereine nicht gerankt", "", "", "", ""]]
    assert len(tabelle.xlsx_zeilen) == 40
