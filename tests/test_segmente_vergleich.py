"""Counting in SQL against the rules on the members' rows: the same counts, to the member, on generated stores.

``segmente.zaehlen`` counts the built-in segments in SQL; ``segmente.auswaehlen`` lists members by the rules in
Python (held to exact answers in test_segmente.py). Here both meet on seeded random stores of invented members
whose days cluster around every boundary of the rules (the Stichtag, 6 and 12 months back, 29 February, the
steps' deadlines), for several Stichtage and configurations.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

import pytest

from mitgliederarbeit import datum as dt
from mitgliederarbeit.auswertung import segmente, segmentregeln
from mitgliederarbeit.bestand import speicher
from mitgliederarbeit.bestand.anrufergebnisse import ERGEBNISSE
from mitgliederarbeit.ordner import Arbeitsordner
from tests.test_segmente import bestand_anlegen, mitglied

ORTSVEREINE = ("Altstadt", "Neustadt", "Überau", "ärmelkanal")
ARTEN = ("brief", "anruf", "anruf", "anruf", "teilnahme", "gespraech", "parteibuch", "email", "pate")
STANDARD_EIGEN = """
[segmente]
neu_monate = 3
inaktiv_monate = 6
kontakt_monate = 2
faellig_vorlauf_tage = 0

[[standard.schritte]]
name = "Brief"
arten = ["brief"]
frist_tage = 7
[[standard.schritte]]
name = "Zwei erreichte Anrufe"
arten = ["anruf_erreicht"]
frist_tage = 20
anzahl = 2
[[standard.schritte]]
name = "Irgendwas"
arten = ["anruf", "email", "parteibuch"]
frist_tage = 60
anzahl = 3
"""


def _tag_nahe(rng: random.Random, stichtag: date) -> date:
    """A day near one of the rules' boundaries, or anywhere in the last 30 years."""
    grenzen = [
        stichtag,
        dt.add_months(stichtag, -3),
        dt.add_months(stichtag, -6),
        dt.add_months(stichtag, -12),
        dt.add_months(stichtag, -2),
        date(2024, 2, 29),
        date(2025, 2, 28),
        date(stichtag.year - 10, 1, 1),
        date(stichtag.year - 25, 12, 31),
    ]
    if rng.random() < 0.6:
        return rng.choice(grenzen) + timedelta(days=rng.randint(-40, 40))
    return stichtag - timedelta(days=rng.randint(-60, 365 * 30))


def erzeugen(rng: random.Random, stichtag: date, anzahl: int) -> tuple[list[dict[str, Any]], list[tuple]]:
    # joined on 29 February, left a year later on 28 February or 1 March: early only on the 28th
    mitglieder = [
        mitglied("f1", "2024-02-29", austrittsdatum="2025-02-28"),
        mitglied("f2", "2024-02-29", austrittsdatum="2025-03-01"),
    ]
    kontakte: list[tuple] = []
    for i in range(1, anzahl + 1):
        eintritt = _tag_nahe(rng, stichtag)
        felder: dict[str, Any] = {"ortsverein": rng.choice(ORTSVEREINE)}
        if rng.random() < 0.3:
            austritt = eintritt + timedelta(days=rng.choice([0, 1, 365, 366, rng.randint(1, 900)]))
            felder["austrittsdatum"] = rng.choice(
                [austritt.isoformat(), _tag_nahe(rng, stichtag).isoformat()]
            )
            if felder["austrittsdatum"] < eintritt.isoformat():
                felder["austrittsdatum"] = eintritt.isoformat()
        if rng.random() < 0.05:
            felder["anonymisiert"] = 1
        mitglieder.append(mitglied(str(i), eintritt.isoformat(), **felder))
        for _ in range(rng.choice([0, 0, 1, 2, 3, 5, 8])):
            art = rng.choice(ARTEN)
            tag = eintritt + timedelta(
                days=rng.choice([-10, 0, 1, 6, 7, 8, 19, 20, 21, rng.randint(-60, 400)])
            )
            if rng.random() < 0.3:
                tag = _tag_nahe(rng, stichtag)
            ergebnis = rng.choice(list(ERGEBNISSE)) if art == "anruf" else None
            kontakte.append((str(i), art, tag.isoformat(), ergebnis))
    return mitglieder, kontakte


def nach_regeln(ordner: Arbeitsordner) -> dict[str, dict[str, int]]:
    """Every built-in segment per Ortsverein by the rules on the members' rows (what ``auswaehlen`` uses)."""
    store = speicher.oeffnen(ordner.pfad)
    try:
        bestand = segmente._laden(store.conn, ordner.stichtag, ordner.config)
    finally:
        store.close()
    result = {}
    for name in segmente.SEGMENTE:
        leer = name == "inaktiv" and not bestand.aktivitaet_erfasst
        result[name] = {} if leer else segmente._je_ov(name, ordner.config, bestand)
    return result


def nach_regeln_nummern(ordner: Arbeitsordner) -> dict[str, set[str]]:
    """The members of every built-in segment by the rules on all members' rows (nothing picked in SQL)."""
    store = speicher.oeffnen(ordner.pfad)
    try:
        bestand = segmente._laden(store.conn, ordner.stichtag, ordner.config)
    finally:
        store.close()
    leer = not bestand.aktivitaet_erfasst
    return {
        name: set()
        if name == "inaktiv" and leer
        else {m["nr"] for m in bestand.mitglieder if segmentregeln.REGELN[name](m)}
        for name in segmente.SEGMENTE
    }


@pytest.mark.parametrize("seed", range(12))
def test_sql_counts_equal_the_rules(tmp_path, seed):
    rng = random.Random(seed)
    stichtag = rng.choice(
        [date(2026, 9, 1), date(2025, 2, 28), date(2024, 2, 29), date(2025, 9, 1), date(2026, 3, 31)]
    )
    mitglieder, kontakte = erzeugen(rng, stichtag, rng.choice([40, 150, 300]))
    toml = STANDARD_EIGEN if seed % 2 else ""
    bestand_anlegen(tmp_path / "g", mitglieder, kontakte, toml)
    ordner = Arbeitsordner(tmp_path / "g", stichtag)

    erwartet = nach_regeln(ordner)
    gezaehlt = segmente.zaehlen(ordner, je_ortsverein=True)
    for name in segmente.SEGMENTE:
        assert {ov: n for ov, n in gezaehlt[name].items() if n} == erwartet[name], name
    summen = segmente.zaehlen(ordner)
    assert summen == {name: sum(je.values()) for name, je in erwartet.items()}
    # and the listing (SQL picks, the rules decide) agrees with the rules on every member, member by member
    alle = nach_regeln_nummern(ordner)
    for name in segmente.SEGMENTE:
        assert {m["nr"] for m in segmente.auswaehlen(ordner, name).mitglieder} == alle[name], name


def test_generator_reaches_every_segment():
    """The generated stores are varied enough to mean something: every segment is non-empty somewhere."""
    gesehen: set[str] = set()
    for seed in range(12):
        rng = random.Random(seed)
        stichtag = rng.choice(
            [date(2026, 9, 1), date(2025, 2, 28), date(2024, 2, 29), date(2025, 9, 1), date(2026, 3, 31)]
        )
        mitglieder, kontakte = erzeugen(rng, stichtag, 150)
        assert len({m["eintrittsdatum"] for m in mitglieder}) > 100
        assert {k[1] for k in kontakte} == set(ARTEN)
        gesehen.update(k[3] for k in kontakte if k[3])
    assert gesehen == set(ERGEBNISSE)
