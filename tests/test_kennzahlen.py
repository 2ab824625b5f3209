"""Each metric of the report on tiny hand-made stores with known answers (Stichtag 01.09.2026).

The default period is 02.09.2025 – 01.09.2026; the first-year-retention cohort joined 02.09.2024 – 01.09.2025.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from mitgliederarbeit.auswertung import kennzahlen as kz
from mitgliederarbeit.auswertung.kennzahlen import Anteil, Median, Werte, Zeitraum
from mitgliederarbeit.bestand import speicher
from mitgliederarbeit.errors import BedienFehler

STICHTAG = date(2026, 9, 1)
PERSOENLICH = ["anruf_erreicht", "teilnahme", "gespraech", "parteibuch"]
STANDARD = [
    {"name": "Erstkontakt", "arten": PERSOENLICH, "frist_tage": 30, "anzahl": 1},
    {"name": "Zweitkontakt", "arten": PERSOENLICH, "frist_tage": 182, "anzahl": 2},
]
# An old member whose calls and attendances are recorded since before the period: the records of these kinds
# begin early enough for every new member of a test (the report counts only what was recorded).
ALT = ("0", "A", "2010-01-01", None)
FRUEH_ERFASST = [("0", "anruf", "2025-09-02", "nicht erreicht"), ("0", "teilnahme", "2025-09-02")]


def bestand(
    folder: Path,
    perioden: list[tuple],
    *,
    personen: dict[str, tuple] | None = None,
    kontakte: list[tuple] = (),
) -> speicher.Speicher:
    """A store with ``perioden`` (nr, ortsverein, von, bis[, unterbezirk]), optional
    ``personen`` (nr -> (geschlecht, geburtsdatum)) and ``kontakte`` (nr, art, datum[, ergebnis])."""
    store = speicher.oeffnen(folder, anlegen=True)
    conn = store.conn
    conn.execute("BEGIN")
    conn.execute(
        "INSERT INTO importe (art, datei, sha256, stand, zeit) VALUES ('mitglieder', 'x.csv', 'x', '2024-01-01', 'x')"
    )
    erste: dict[str, tuple] = {}
    for p in perioden:
        nr, ov, von, bis = p[:4]
        ub = p[4] if len(p) > 4 else "UB"
        erste.setdefault(nr, (ov, von, ub))
        conn.execute(
            "INSERT INTO zugehoerigkeit (nr, ortsverein, unterbezirk, von, bis) VALUES (?,?,?,?,?)",
            (nr, ov, ub, von, bis),
        )
    for nr, (ov, von, ub) in erste.items():
        geschlecht, geburt = (personen or {}).get(nr, (None, None))
        conn.execute(
            "INSERT INTO mitglieder (nr, mitgliedsnummer, vorname, nachname, eintrittsdatum, ortsverein, unterbezirk, "
            "geschlecht, geburtsdatum) VALUES (?,?,?,?,?,?,?,?,?)",
            (nr, nr, "Erika", "Muster", von, ov, ub, geschlecht, geburt),
        )
    for i, k in enumerate(kontakte):
        nr, art, datum = k[:3]
        ergebnis = k[3] if len(k) > 3 else None
        conn.execute(
            "INSERT INTO kontakte (nr, art, datum, ergebnis, quelle, schluessel) VALUES (?,?,?,?,?,?)",
            (nr, art, datum, ergebnis, "test", f"k{i}"),
        )
    conn.execute("COMMIT")
    return store


def rechnen(store: speicher.Speicher, schritte=STANDARD, **zeitraum) -> kz.Kennzahlen:
    try:
        return kz.berechnen(store.conn, Zeitraum.bestimmen(STICHTAG, **zeitraum), schritte)
    finally:
        store.close()


def je_ov(k: kz.Kennzahlen) -> dict[str, Werte]:
    return {w.name: w for w in k.ortsvereine}


# --- the period ------------------------------------------------------------------------------------------------


def test_zeitraum_standard_sind_die_12_monate_bis_zum_stichtag():
    z = Zeitraum.bestimmen(STICHTAG)
    assert (z.von, z.bis) == (date(2025, 9, 2), date(2026, 9, 1))
    assert (z.bindung_von, z.bindung_bis) == (date(2024, 9, 2), date(2025, 9, 1))
    assert Zeitraum.bestimmen(date(2024, 2, 29)).von == date(
        2023, 3, 1
    )  # 29.02. - 12 months = 28.02., +1 day
    assert Zeitraum.bestimmen(STICHTAG, bis=date(2025, 12, 31)).von == date(2025, 1, 1)
    assert Zeitraum.bestimmen(STICHTAG, von=date(2026, 1, 1)).bis == STICHTAG


def test_zeitraum_nach_dem_stichtag_oder_verkehrt_ist_bedienfehler():
    with pytest.raises(BedienFehler, match="liegt nach dem Stichtag"):
        Zeitraum.bestimmen(STICHTAG, bis=date(2026, 9, 2))
    with pytest.raises(BedienFehler, match="--von"):
        Zeitraum.bestimmen(STICHTAG, von=date(2026, 6, 1), bis=date(2026, 5, 1))


# --- members, Eintritte, Austritte -------------------------------------------------------------------------------


def test_eintritt_und_austritt_genau_am_rand_des_zeitraums(tmp_path):
    store = bestand(
        tmp_path,
        [
            ("1", "A", "2025-09-01", None),  # one day before the period: old member
            ("2", "A", "2025-09-02", None),  # first day of the period: Eintritt
            ("3", "A", "2026-09-01", None),  # last day: Eintritt, and a member on that day
            ("4", "A", "2020-01-01", "2025-09-01"),  # left the day before the period
            ("5", "A", "2020-01-01", "2025-09-02"),  # exit day = first day of the period
            ("6", "A", "2020-01-01", "2026-09-01"),  # exit day = last day: no member on it any more
            ("7", "A", "2020-01-01", "2026-09-02"),  # announced exit after the period: still a member
        ],
    )
    a = je_ov(rechnen(store))["A"]
    assert a.eintritte == 2
    assert a.austritte == 2
    assert a.mitglieder == 4  # 1, 2, 3, 7


def test_wechsel_im_zeitraum_zaehlt_dort_wo_das_mitglied_jeweils_war(tmp_path):
    store = bestand(
        tmp_path,
        [
            # joined in A during the period, moved to B
            ("1", "A", "2025-10-01", "2026-03-01"),
            ("1", "B", "2026-03-01", None),
            # an old member of B who moved to A and then left A
            ("2", "B", "2010-01-01", "2025-12-01"),
            ("2", "A", "2025-12-01", "2026-05-01"),
            # joined A in the retention cohort, moved to B, still a member
            ("3", "A", "2024-10-01", "2025-03-01"),
            ("3", "B", "2025-03-01", None),
        ],
    )
    k = rechnen(store)
    a, b = je_ov(k)["A"], je_ov(k)["B"]
    assert (a.eintritte, b.eintritte) == (1, 0)  # credited where they joined; a move is no Eintritt
    assert (a.mitglieder, b.mitglieder) == (0, 2)  # where they are at the end
    assert (a.austritte, b.austritte) == (1, 0)  # where they left from; a move is no Austritt
    assert a.fruehaustritte == 0  # member 2 had been a member since 2010
    assert (
        a.bindung == Anteil(1, 1) and b.bindung.basis == 0
    )  # retention credited to the Ortsverein of joining
    assert (k.gesamt.mitglieder, k.gesamt.eintritte, k.gesamt.austritte) == (2, 1, 1)


def test_austritt_und_wiedereintritt(tmp_path):
    store = bestand(
        tmp_path,
        [
            ("1", "A", "2020-01-01", "2025-12-01"),  # left after six years …
            ("1", "A", "2026-03-01", None),  # … and came back: a new Eintritt
            ("2", "A", "2025-10-01", "2026-06-01"),  # left after eight months: Frühaustritt
            ("3", "A", "2025-01-10", "2026-01-10"),  # exit day exactly 12 months after joining: Frühaustritt
            ("4", "A", "2025-01-10", "2026-01-11"),  # one day later: no Frühaustritt
        ],
    )
    a = je_ov(rechnen(store))["A"]
    assert a.eintritte == 2  # 1 (re-entry) and 2
    assert a.austritte == 4
    assert a.fruehaustritte == 2  # 2 and 3
    assert a.mitglieder == 1


# --- the onboarding standard ---------------------------------------------------------------------------------------


def test_schritte_nur_fristgerecht_und_nur_mit_abgelaufener_frist(tmp_path):
    store = bestand(
        tmp_path,
        [
            ("1", "A", "2026-01-01", None),
            ("2", "A", "2026-01-01", None),
            ("3", "A", "2026-01-01", None),
            ("4", "A", "2026-01-01", None),
            ("5", "A", "2026-08-02", None),  # deadline 01.09.2026 = end of the period: counted
            ("6", "A", "2026-08-03", None),  # deadline 02.09.2026: not due yet, not counted
        ],
        kontakte=[
            ("1", "anruf", "2026-01-31", "erreicht"),  # day 30: in time
            ("2", "anruf", "2026-02-01", "erreicht"),  # day 31: too late
            ("3", "anruf", "2026-01-05", "nicht erreicht"),  # not reached: no personal contact
            ("3", "brief", "2026-01-03"),  # a letter is not personal
            ("4", "anruf", "2025-12-20", "erreicht"),  # before the Eintritt: does not count
            ("5", "teilnahme", "2026-09-01"),  # on the deadline day: in time
            ("6", "gespraech", "2026-08-04"),
            ("1", "teilnahme", "2026-06-01"),  # second personal contact of 1, day 151
            ("2", "gespraech", "2026-09-05"),  # after the Stichtag: does not count yet
        ],
    )
    k = rechnen(store)
    a = je_ov(k)["A"]
    assert a.schritte[0] == Anteil(2, 5)  # 1 and 5 of 1-5
    assert a.schritte[1] == Anteil(1, 4)  # 182 days passed for 1-4; only 1 had two contacts
    assert a.standard == Anteil(2, 5)  # every due step: 1, and 5 (whose second step is not due yet)
    assert a.eintritte == 6


def test_anruf_und_anruf_erreicht_zaehlen_einen_kontakt_nur_einmal(tmp_path):
    schritte = [{"name": "Zwei Anrufe", "arten": ["anruf", "anruf_erreicht"], "frist_tage": 30, "anzahl": 2}]
    store = bestand(
        tmp_path,
        [ALT, ("1", "A", "2026-01-01", None), ("2", "A", "2026-01-01", None)],
        kontakte=[
            *FRUEH_ERFASST,
            ("1", "anruf", "2026-01-05", "erreicht"),
            ("2", "anruf", "2026-01-05", "nicht erreicht"),
            ("2", "anruf", "2026-01-09", "Erreicht "),  # case and spaces do not matter
        ],
    )
    assert je_ov(rechnen(store, schritte))["A"].schritte[0] == Anteil(1, 2)


def test_median_tage_bis_erstkontakt_und_veranstaltung_in_3_monaten(tmp_path):
    store = bestand(
        tmp_path,
        [
            ALT,
            ("1", "A", "2026-01-31", None),
            ("2", "A", "2026-01-31", None),
            ("3", "A", "2026-01-31", None),
            ("4", "A", "2026-01-31", None),
            (
                "5",
                "A",
                "2026-07-01",
                None,
            ),  # never reached; 3 months not over by 01.09.: not in the event share
        ],
        kontakte=[
            *FRUEH_ERFASST,
            ("1", "parteibuch", "2026-02-03"),  # 3 days
            ("2", "anruf", "2026-02-10", "erreicht"),  # 10 days
            ("3", "teilnahme", "2026-04-30"),  # 89 days; 31.01. + 3 months = 30.04.: in time
            ("3", "gespraech", "2026-02-20"),  # 20 days: the first contact of 3
            ("4", "teilnahme", "2026-05-01"),  # one day after the 3 months (and 90 days)
            ("4", "brief", "2026-02-01"),
        ],
    )
    a = je_ov(rechnen(store))["A"]
    # member 4's event on 01.05. is a personal contact too: days 3, 10, 20, 90; member 5 not reached in the 62
    # days up to 01.09. counts as "not yet" (Kaplan–Meier): still 1 of 5 at day 3 … 2 of 5 after day 20, so
    # the share not yet reached is 4/5, 3/5, 2/5 after days 3, 10, 20: the median is day 20 (not 15, the
    # median of the reached alone, which an Ortsverein reaching few would win)
    assert a.tage_erstkontakt == Median(20.0, 5, 4)
    assert a.veranstaltung == Anteil(1, 4)


def test_tage_verteilung_zaehlt_die_noch_nicht_erreichten(tmp_path):
    store = bestand(
        tmp_path,
        [ALT, ("1", "A", "2026-01-01", None), ("2", "A", "2026-01-01", None), ("3", "A", "2026-01-01", None)],
        kontakte=[*FRUEH_ERFASST, ("1", "gespraech", "2026-01-08"), ("2", "gespraech", "2026-01-09")],
    )
    verteilung = dict(rechnen(store).tage_verteilung)
    assert verteilung["0–7"] == 1 and verteilung["8–14"] == 1 and verteilung[kz.NICHT_ERREICHT] == 1


# --- only what was recorded ---------------------------------------------------------------------------------------

DREI_SCHRITTE = [
    {"name": "Erstkontakt", "arten": ["anruf_erreicht", "gespraech"], "frist_tage": 30, "anzahl": 1},
    {"name": "Parteibuch", "arten": ["parteibuch"], "frist_tage": 91, "anzahl": 1},
    {"name": "Pat*in", "arten": ["pate"], "frist_tage": 60, "anzahl": 1},
]


def test_schritt_ohne_daten_zaehlt_nirgends_mit(tmp_path):
    """Nobody ever recorded a Parteibuch or a Pat*in: those steps are "keine Daten", not 0 %."""
    store = bestand(
        tmp_path,
        [
            ("1", "A", "2026-01-01", None),
            ("2", "A", "2026-01-01", None),
            ("3", "A", "2026-01-01", None),
            ("4", "B", "2026-01-01", None),
        ],
        kontakte=[
            (
                "1",
                "anruf",
                "2025-12-31",
                "nicht erreicht",
            ),  # calls recorded since the day before the Eintritte
            ("1", "anruf", "2026-01-10", "erreicht"),
            ("2", "gespraech", "2026-01-31"),  # day 30: in time
            ("4", "anruf", "2026-02-15", "erreicht"),  # day 45: too late
        ],
    )
    k = rechnen(store, DREI_SCHRITTE)
    a, b = je_ov(k)["A"], je_ov(k)["B"]
    assert [k.ohne_daten(i) for i in range(3)] == [False, True, True]
    assert k.daten_ab(0) == date(2025, 12, 31) and k.daten_ab(1) is None
    assert a.schritte == [Anteil(2, 3), Anteil(0, 0), Anteil(0, 0)]
    assert a.ausgelassen["s1"] == 3 and a.ausgelassen["s2"] == 3  # due, but nothing to measure them with
    # "Standard erfüllt" is the first step alone: 1 and 2 of 1-3 (not 0 %, as the Parteibuch would make it)
    assert a.standard == Anteil(2, 3) and b.standard == Anteil(0, 1)
    assert a.ausgelassen["standard"] == 0
    assert k.mit_daten
    assert k.gesamt.standard == Anteil(2, 4)


def test_schritt_dessen_daten_mitten_im_fenster_beginnen(tmp_path):
    """Parteibücher are recorded since 01.03.2026: only who joined on that day or later counts."""
    store = bestand(
        tmp_path,
        [
            ("1", "A", "2026-01-15", None),  # window 15.01.–16.04.: began before the records, left out
            ("2", "A", "2026-01-15", None),  # the same, although the book was handed over in time
            ("3", "A", "2026-03-01", None),  # joined on the first recorded day: counted, book on day 20
            ("4", "A", "2026-03-10", None),  # counted, no book
            ("5", "A", "2026-04-01", None),  # counted, book on day 92: one day late
            ("6", "A", "2026-07-01", None),  # deadline 30.09.: not due yet
        ],
        kontakte=[
            ("2", "parteibuch", "2026-03-01"),  # the first Parteibuch recorded
            ("3", "parteibuch", "2026-03-21"),
            ("5", "parteibuch", "2026-07-02"),
            ("0", "anruf", "2025-09-02", "nicht erreicht"),
        ],
    )
    k = rechnen(store, DREI_SCHRITTE)
    a = je_ov(k)["A"]
    assert k.daten_ab(1) == date(2026, 3, 1)
    assert a.schritte[1] == Anteil(1, 3)  # 3 of 3, 4, 5
    assert a.ausgelassen["s1"] == 2  # 1 and 2
    # the first step (calls since 02.09.2025) counts all five whose 30 days are over; nobody was reached
    assert a.schritte[0] == Anteil(0, 6)
    # the standard: every counted due step; 1 and 2 only with the first step, so nobody fulfils it
    assert a.standard == Anteil(0, 6) and a.ausgelassen["standard"] == 0


def test_schritt_pate_anteil_mit_pat_in_in_der_frist(tmp_path):
    store = bestand(
        tmp_path,
        [
            ("1", "A", "2026-02-01", None),
            ("2", "A", "2026-02-01", None),
            ("3", "A", "2026-02-01", None),
            ("4", "A", "2026-02-01", None),
            ("5", "A", "2026-08-01", None),  # 60 days not over on 01.09.
        ],
        kontakte=[
            ("1", "pate", "2026-02-01"),  # assigned on the day of joining
            ("2", "pate", "2026-04-02"),  # day 60: in time
            ("3", "pate", "2026-04-03"),  # day 61: too late
            ("5", "pate", "2026-08-05"),
            ("9", "pate", "2026-01-20"),  # an earlier assignment: the records began before the Eintritte
        ],
    )
    k = rechnen(store, [DREI_SCHRITTE[2]])
    a = je_ov(k)["A"]
    assert a.schritte == [Anteil(2, 4)] and a.standard == Anteil(2, 4)
    assert kz.schritt_text(DREI_SCHRITTE[2]) == (
        "Pat*in: ein Kontakt der Art Pat*in zugeteilt innerhalb von 60 Tagen nach dem Eintritt."
    )


def test_tage_bis_erstkontakt_zaehlt_die_noch_nicht_erreichten_mit(tmp_path):
    """An Ortsverein that reaches few must not show the fastest median."""
    store = bestand(
        tmp_path,
        [ALT]
        + [(f"s{i}", "Schnell", "2026-03-01", None) for i in range(4)]  # 2 of 4 reached, on days 5 and 6
        + [(f"g{i}", "Gruendlich", "2026-03-01", None) for i in range(4)]  # 4 of 4, on days 10-40
        + [("x", "Gruendlich", "2026-03-01", "2026-03-21")],  # left on day 20 without a contact
        kontakte=[
            *FRUEH_ERFASST,
            ("s0", "gespraech", "2026-03-06"),
            ("s1", "gespraech", "2026-03-07"),
            ("g0", "gespraech", "2026-03-11"),
            ("g1", "gespraech", "2026-03-21"),
            ("g2", "gespraech", "2026-03-31"),
            ("g3", "gespraech", "2026-04-10"),
        ],
    )
    k = rechnen(store)
    schnell, gruendlich = je_ov(k)["Schnell"], je_ov(k)["Gruendlich"]
    # Schnell: 4/4 → 3/4 (day 5) → 2/4 (day 6): half reached on day 6
    assert schnell.tage_erstkontakt == Median(6.0, 4, 2)
    # Gruendlich: 5 at risk; day 10: 4/5 not yet reached; day 20: g1 reached (4 at risk: 4/5 · 3/4 = 3/5); x
    # left unreached on day 20 but stays "not yet" to the end; day 30: 3/5 · 2/3 = 2/5 ≤ 1/2: day 30
    assert gruendlich.tage_erstkontakt == Median(30.0, 5, 4)
    # reached within 30 / 90 days: the exit counts as not reached
    assert gruendlich.erreicht_in == {30: Anteil(3, 5), 90: Anteil(4, 5)}
    assert schnell.erreicht_in == {30: Anteil(2, 4), 90: Anteil(2, 4)}
    assert kz.km_median([1, 2, 3], [True, False, False]) is None  # a third reached: no median yet
    assert kz.km_median([1, 2, 3], [False, False, True]) == 3.0  # the last one at risk reached
    assert kz.km_median([], []) is None


def test_bestand_und_bindung_auf_unvollstaendiger_geschichte(tmp_path):
    store = bestand(tmp_path, [("1", "A", "2024-10-01", None)])
    store.conn.execute("UPDATE importe SET stand = '2026-05-31'")
    k = rechnen(store)
    assert k.bestand_unvollstaendig and k.bindung_unvollstaendig
    assert not k.mit_daten  # no contact at all


# --- first-year retention ------------------------------------------------------------------------------------------


def test_bindung_im_ersten_jahr_kohorte_und_ränder(tmp_path):
    store = bestand(
        tmp_path,
        [
            ("1", "A", "2024-09-01", None),  # joined one day too early: not in the cohort
            ("2", "A", "2024-09-02", None),  # first day of the cohort, still a member
            ("3", "A", "2025-09-01", None),  # last day of the cohort
            ("4", "A", "2025-09-02", None),  # too late: joined within the period
            ("5", "A", "2024-10-01", "2025-06-01"),  # left after eight months
            ("6", "A", "2024-10-01", "2025-10-01"),  # exit day = anniversary: not a member 12 months on
            ("7", "A", "2024-10-01", "2025-10-02"),  # one day later: retained
        ],
    )
    assert je_ov(rechnen(store))["A"].bindung == Anteil(3, 5)  # 2, 3, 7 of 2, 3, 5, 6, 7


# --- gender and age ------------------------------------------------------------------------------------------------


def test_frauenanteil_und_medianalter(tmp_path):
    store = bestand(
        tmp_path,
        [
            ("1", "A", "2010-01-01", None),
            ("2", "A", "2010-01-01", None),
            ("3", "A", "2026-02-01", None),
            ("4", "A", "2026-02-01", None),
            ("5", "A", "2026-02-01", None),
        ],
        personen={
            "1": ("w", "1966-09-01"),  # 60 on the last day of the period
            "2": ("m", "1966-09-02"),  # 59: the birthday is one day later
            "3": ("w", "2000-01-01"),  # 26
            "4": ("d", "31.02.1970"),  # an invalid birth date: not in the median
            "5": (None, None),  # gender unknown: not in the base
        },
    )
    a = je_ov(rechnen(store))["A"]
    assert a.frauen_mitglieder == Anteil(2, 4)
    assert a.frauen_eintritte == Anteil(1, 2)
    assert a.median_alter == Median(59.0, 3)


def test_ebene_unterbezirk(tmp_path):
    store = bestand(
        tmp_path,
        [
            ("1", "A", "2026-01-01", None, "Nord"),
            ("2", "B", "2026-01-01", None, "Nord"),
            ("3", "C", "2026-01-01", None, "Süd"),
            ("4", "D", "2026-01-01", None, None),
        ],
    )
    k = rechnen(store)
    assert {w.name: w.eintritte for w in k.unterbezirke} == {"Nord": 2, "Süd": 1, kz.OHNE_UNTERBEZIRK: 1}
    assert je_ov(k)["B"].unterbezirk == "Nord"


def test_leerer_bestand(tmp_path):
    store = bestand(tmp_path, [])
    k = rechnen(store)
    assert k.ortsvereine == [] and k.gesamt.mitglieder == 0 and k.gesamt.name == kz.GESAMT


def test_kennzahlen_und_entwicklung_ohne_pandas_und_numpy(beispielbestand):
    """The report's figures start fast: computing them loads neither pandas nor numpy."""
    code = (
        "import sys\nfrom datetime import date\nfrom pathlib import Path\n"
        "from mitgliederarbeit.auswertung import entwicklung, kennzahlen\n"
        "from mitgliederarbeit.bestand import speicher\nfrom mitgliederarbeit.config import defaults\n"
        "store = speicher.oeffnen(Path(sys.argv[1]))\n"
        "zeitraum = kennzahlen.Zeitraum.bestimmen(date(2026, 9, 1))\n"
        "k = kennzahlen.berechnen(store.conn, zeitraum, defaults()['standard']['schritte'])\n"
        "e = entwicklung.berechnen(store.conn, zeitraum)\n"
        "print(k.gesamt.mitglieder, e.gesamt.mitglieder_ende, [m for m in ('pandas', 'numpy') if m in sys.modules])\n"
    )
    lauf = subprocess.run(
        [sys.executable, "-c", code, str(beispielbestand.pfad)], capture_output=True, text=True, check=True
    )
    assert lauf.stdout.split() == ["1525", "1525", "[]"]


def test_beispieldaten_stimmen_mit_den_erwarteten_zahlen(beispielbestand):
    store = speicher.oeffnen(beispielbestand.pfad)
    k = rechnen(store)
    assert len(k.ortsvereine) == 12
    # examples/README.md: 1.525 members, 35 Austritte, 6 of them Frühaustritte, all in the period
    assert (k.gesamt.mitglieder, k.gesamt.austritte, k.gesamt.fruehaustritte) == (1525, 35, 6)
    assert sum(w.mitglieder for w in k.ortsvereine) == 1525
    assert k.erster_stand == date(2026, 5, 31) and k.letzter_stand == date(2026, 8, 31)


# --- intervals, ranking, what stands out, display --------------------------------------------------------------


def test_wilson():
    assert kz.wilson(0, 0) is None
    lo, hi = kz.wilson(5, 10)
    assert round(lo, 4) == 0.2366 and round(hi, 4) == 0.7634
    lo, hi = kz.wilson(0, 10)
    assert lo == 0.0 and round(hi, 4) == 0.2775
    assert kz.wilson(10, 10)[1] == 1.0


def _w(name: str, treffer: int, basis: int, bindung: Anteil | None = None) -> Werte:
    return Werte(
        name, schritte=[Anteil(treffer, basis)], standard=Anteil(treffer, basis), bindung=bindung or Anteil()
    )


def test_rangfolge_nur_ab_min_fallzahl_und_gleiche_raenge():
    gruppen = [_w("Klein", 4, 4), _w("B", 5, 10), _w("A", 10, 20), _w("C", 9, 10)]
    raenge = [(r.rang, r.werte.name) for r in kz.rangfolge(gruppen, 5)]
    assert raenge == [(1, "C"), (2, "A"), (2, "B"), (None, "Klein")]
    assert all(r.rang is None for r in kz.rangfolge(gruppen, 5, kontakte_erfasst=False))


def test_auffaelligkeiten_niemand_erreicht_und_weit_ueber_dem_rest():
    gruppen = [_w("Null", 0, 12), _w("Stark", 19, 20), _w("X", 5, 20), _w("Y", 6, 20), _w("Z", 0, 4)]
    saetze = kz.auffaelligkeiten(gruppen, [{"name": "Erstkontakt"}], 5, kontakte_erfasst=True)
    assert saetze[0] == "Null: kein Neumitglied hat fristgerecht bekommen: „Erstkontakt“ (0 von 12)."
    assert any(s.startswith("Stark: Standard erfüllt 95,0 %") and "deutlich über" in s for s in saetze)
    assert not any(s.startswith("Z:") for s in saetze)  # 4 new members: too few to say anything
    assert kz.auffaelligkeiten(gruppen, [{"name": "Erstkontakt"}], 5, kontakte_erfasst=False) == []


def _zwei(name: str, erst: tuple[int, int], buch: tuple[int, int]) -> Werte:
    anteile = [Anteil(*erst), Anteil(*buch)]
    return Werte(name, schritte=anteile, standard=Anteil(*erst))


def test_gleiche_befunde_vieler_ortsvereine_stehen_in_einer_zeile():
    schritte = [{"name": "Erstkontakt"}, {"name": "Parteibuch"}]
    gruppen = [
        _zwei("A", (5, 10), (0, 10)),
        _zwei("B", (6, 10), (0, 12)),
        _zwei("C", (0, 8), (0, 8)),
        _zwei("D", (5, 10), (0, 6)),
        _zwei("E", (5, 10), (0, 3)),  # too few due: not counted for the Parteibuch
    ]
    saetze = kz.auffaelligkeiten(gruppen, schritte, 5)
    assert saetze[:2] == [
        "In keinem Ortsverein hat ein Neumitglied „Parteibuch“ fristgerecht bekommen (0 von 36).",
        "C: kein Neumitglied hat fristgerecht bekommen: „Erstkontakt“ (0 von 8).",
    ]
    # most at 0: the pattern first, then the exceptions
    gruppen[0] = _zwei("A", (5, 10), (3, 10))
    saetze = kz.auffaelligkeiten(gruppen, schritte, 5, ebene="unterbezirk")
    assert saetze[:2] == [
        "In 3 von 4 Unterbezirken hat kein Neumitglied „Parteibuch“ fristgerecht bekommen; erreicht haben es nur "
        "A (30,0 %).",
        "C: kein Neumitglied hat fristgerecht bekommen: „Erstkontakt“ (0 von 8).",
    ]
    # a few at 0: one line for the same finding, naming them
    gruppen += [_zwei("F", (5, 10), (4, 10)), _zwei("G", (5, 10), (6, 10))]
    gruppen[2] = _zwei("C", (4, 8), (2, 8))
    saetze = kz.auffaelligkeiten(gruppen, schritte, 5)
    assert saetze[0] == (
        "Bei 2 Ortsvereinen hat kein Neumitglied „Parteibuch“ fristgerecht bekommen: B (0 von 12), D (0 von 6)."
    )


def test_kleine_zahlen_werden_unterdrueckt_und_deutsch_formatiert():
    assert kz.anzahl_text(4, 5) == "< 5"
    assert kz.anzahl_text(0, 5) == "< 5"
    assert kz.anzahl_text(5, 5) == "5"
    assert kz.anzahl_text(12345, 5) == "12.345"
    assert kz.anzahl_text(7, 10) == "< 10"
    assert kz.anteil_text(Anteil(1, 4), 5) == "–"
    assert kz.anteil_text(Anteil(1, 8), 5) == "12,5 %"
    assert kz.anteil_text(Anteil(0, 0), 5) == "–"
    assert kz.median_text(Median(47.5, 10), 5, "Jahre") == "47,5 Jahre"
    assert kz.median_text(Median(12.0, 4), 5) == "–"
    assert kz.intervall_text((0.2366, 0.7634)) == "23,7–76,3 %"
    assert kz.anzahl_wert(3, 5) is None and kz.anteil_wert(Anteil(1, 3), 5) is None


def test_jede_kennzahl_hat_eine_definition():
    for key in (
        "mitglieder",
        "eintritte",
        "austritte",
        "fruehaustritte",
        "schritte",
        "standard",
        "tage_erstkontakt",
        "veranstaltung",
        "bindung",
        "frauen_mitglieder",
        "frauen_eintritte",
        "median_alter",
    ):
        assert len(kz.DEFINITIONEN[key].text) > 40
    assert kz.schritt_text(STANDARD[1]) == (
        "Zweitkontakt: 2 Kontakte der Art Anruf (erreicht), Teilnahme an einer Veranstaltung, Gespräch, "
        "Parteibuch übergeben innerhalb von 182 Tagen nach dem Eintritt."
    )


def test_ein_austritt_beendet_das_warten_auf_den_erstkontakt_nicht(tmp_path):
    """Unreached new members who left stay "not yet": an Ortsverein does not get faster by losing them."""
    store = bestand(
        tmp_path,
        [ALT]
        + [("r1", "A", "2026-03-01", None), ("r2", "A", "2026-03-01", None)]
        + [("w1", "A", "2026-03-01", "2026-03-06"), ("w2", "A", "2026-03-01", "2026-03-06")],  # left on day 5
        kontakte=[*FRUEH_ERFASST, ("r1", "gespraech", "2026-03-11"), ("r2", "gespraech", "2026-03-21")],
    )
    a = je_ov(rechnen(store))["A"]
    # 4 at risk: day 10 → 3/4 not yet, day 20 → 2/4: the median is day 20 (censoring the exits would say 10)
    assert a.tage_erstkontakt == Median(20.0, 4, 2)
    assert a.erreicht_in == {30: Anteil(2, 4), 90: Anteil(2, 4)}


def test_the_early_exit_is_one_rule_for_report_and_segment(beispielbestand, monkeypatch):
    """Frühaustritt: the Austritt at most FRUEH_MONATE months after the Eintritt – one constant and one rule, read
    by the report (in Python) and the segment „frueh-ausgetreten“ (in SQL) alike."""
    from mitgliederarbeit.auswertung import segmente
    from mitgliederarbeit.auswertung import segmentregeln as sr

    def beide() -> tuple[int, int]:
        bericht = kz.berechnen(
            speicher.oeffnen(beispielbestand.pfad).conn, Zeitraum.bestimmen(beispielbestand.stichtag), []
        )
        return bericht.gesamt.fruehaustritte, segmente.zaehlen(beispielbestand)["frueh-ausgetreten"]

    assert beide() == (6, 6)
    monkeypatch.setattr(sr, "FRUEH_MONATE", 4)
    kurz = beide()
    assert kurz[0] == kurz[1] < 6
