"""Coverage of the records: since when each kind is recorded and for whom, on tiny hand-made stores."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from mitgliederarbeit.auswertung import abdeckung
from mitgliederarbeit.ordner import Arbeitsordner
from tests.test_kennzahlen import bestand

BIS = date(2026, 9, 1)
SCHRITTE = [
    {"name": "Erstkontakt", "arten": ["anruf_erreicht", "gespraech"], "frist_tage": 30, "anzahl": 1},
    {"name": "Parteibuch", "arten": ["parteibuch"], "frist_tage": 91, "anzahl": 1},
    {"name": "Pat*in", "arten": ["pate"], "frist_tage": 60, "anzahl": 1},
]


def test_erster_tag_je_art_und_schritt_und_wen_die_daten_betreffen(tmp_path):
    store = bestand(
        tmp_path,
        [
            ("1", "A", "2026-01-10", None),
            ("2", "A", "2026-03-01", None),
            ("3", "A", "2010-05-01", None),  # an old member
            ("4", "A", "2010-05-01", "2020-01-01"),  # left long ago: not in the Bestand
        ],
        kontakte=[
            ("1", "anruf", "2026-02-01", "nicht erreicht"),  # any call starts the records of calls
            ("1", "anruf", "2026-02-05", "erreicht"),
            ("2", "parteibuch", "2026-04-01"),
            ("3", "teilnahme", "2026-06-01"),  # an old member: not in the first year
            ("1", "teilnahme", "2026-07-01"),
            ("2", "gespraech", "2026-09-02"),  # after ``bis``: does not count
        ],
    )
    try:
        a = abdeckung.ermitteln(store.conn, BIS, SCHRITTE)
    finally:
        store.close()
    assert a.bestand == 3
    assert a.arten["anruf"] == abdeckung.Erfassung(("anruf",), date(2026, 2, 1), date(2026, 2, 5), 2, 1, 1)
    assert a.arten["gespraech"].erfasst is False  # its only record lies after ``bis``
    erst, parteibuch, pate = a.schritte
    assert (erst.erster, erst.anzahl, erst.mitglieder) == (date(2026, 2, 1), 2, 1)
    assert (parteibuch.erster, parteibuch.nur_neue) == (date(2026, 4, 1), True)
    assert pate.erfasst is False and pate.erster is None
    assert pate.satz() == "Pat*innen: noch nichts erfasst."
    assert a.aktivitaet.erster == date(2026, 2, 1)  # calls of any result, attendances
    assert (a.teilnahme.mitglieder, a.teilnahme.im_ersten_jahr, a.teilnahme.nur_neue) == (2, 1, False)
    assert a.teilnahme.satz(3) == (
        "Teilnahmen erfasst seit 01.06.2026, für 2 Mitglieder von 3, davon 1 im ersten Jahr ihrer Mitgliedschaft."
    )
    assert parteibuch.satz(3) == (
        "Parteibuch-Übergaben erfasst seit 01.04.2026, für 1 Mitglied von 3 (alle im ersten Jahr ihrer "
        "Mitgliedschaft)."
    )
    assert a.erster_stand == date(2024, 1, 1)


def test_segment_json_nur_fuer_segmente_die_auf_erfassten_kontakten_beruhen(tmp_path):
    store = bestand(
        tmp_path,
        [("1", "A", "2026-01-10", None), ("2", "A", "2010-01-01", None)],
        kontakte=[("1", "anruf", "2026-08-20", "erreicht"), ("1", "brief", "2026-01-15")],
    )
    store.close()
    ordner = Arbeitsordner(tmp_path, BIS)
    assert abdeckung.segment_json(ordner, "neu") is None
    inaktiv = abdeckung.segment_json(ordner, "inaktiv")
    assert inaktiv is not None
    assert (inaktiv["erster"], inaktiv["mitglieder"], inaktiv["bestand"]) == ("2026-08-20", 1, 2)
    assert inaktiv["text"] == (
        "Anrufe und Teilnahmen erfasst seit 20.08.2026, für 1 Mitglied von 2 (alle im ersten Jahr ihrer "
        "Mitgliedschaft). Für alle anderen heißt „inaktiv“ nur: nichts erfasst."
    )
    ohne = abdeckung.segment_json(ordner, "ohne-kontakt")
    assert ohne is not None and ohne["erster"] == "2026-01-15" and ohne["anzahl"] == 2


def test_cli_segment_inaktiv_sagt_wie_weit_die_daten_reichen(mitglieder, tmp_path):
    store = bestand(
        tmp_path / "arbeit",
        [("1", "A", "2026-01-10", None), ("2", "A", "2010-01-01", None), ("3", "A", "2011-01-01", None)],
        kontakte=[("1", "anruf", "2026-08-20", "erreicht")],
    )
    store.close()
    args = ("--ordner", tmp_path / "arbeit", "--stichtag", "01.09.2026")
    zeile = (
        "Anrufe und Teilnahmen erfasst seit 20.08.2026, für 1 Mitglied von 3 (alle im ersten Jahr ihrer "
        "Mitgliedschaft). Für alle anderen heißt „inaktiv“ nur: nichts erfasst."
    )
    lauf = mitglieder(*args, "segmente", "inaktiv")
    assert lauf.code == 0, lauf.err
    kopf = "Segment „inaktiv“ am 01.09.2026: 2 Mitglieder"
    assert kopf in lauf.err
    assert " ".join(lauf.err.split()).endswith(" ".join(zeile.split()))  # the line under the count
    daten = mitglieder(*args, "--json", "segmente", "inaktiv").json()
    assert daten["abdeckung"]["text"] == zeile
    assert (
        daten["abdeckung"]["erster"],
        daten["abdeckung"]["mitglieder"],
        daten["abdeckung"]["bestand"],
    ) == (
        "2026-08-20",
        1,
        3,
    )
    assert mitglieder(*args, "--json", "segmente", "neu").json()["abdeckung"] is None
    uebersicht = mitglieder(*args, "segmente")
    assert "„inaktiv“: Anrufe und Teilnahmen erfasst seit 20.08.2026" in " ".join(uebersicht.err.split())


def test_ein_zurueckgegebenes_paket_deckt_alle_aufgefuehrten_neumitglieder_ab(tmp_path):
    """A package of 01.06. lists who joined since 02.12.: an empty cell there means "not done"."""
    store = bestand(
        tmp_path,
        [("1", "A", "2026-01-10", None), ("2", "A", "2026-03-01", None)],
        kontakte=[("2", "parteibuch", "2026-05-20")],
    )
    store.conn.execute(
        "INSERT INTO importe (art, datei, sha256, stand, zeit) VALUES ('paket', 'p.xlsx', 'p', '2026-06-01', 'x')"
    )
    store.conn.commit()
    try:
        ohne = abdeckung.ermitteln(store.conn, BIS, SCHRITTE)
        mit = abdeckung.ermitteln(store.conn, BIS, SCHRITTE, paket_monate=6)
    finally:
        store.close()
    assert ohne.schritte[1].erster == date(2026, 5, 20)
    assert (mit.schritte[1].erster, mit.schritte[1].paket_ab) == (date(2025, 12, 2), date(2025, 12, 2))
    # even a step nobody filled in has data now: the chairs said that nobody got it
    assert mit.schritte[2].erfasst and mit.schritte[2].anzahl == 0
    assert mit.persoenlich.erster == date(2025, 12, 2) and mit.teilnahme.erfasst is False


def test_ein_paket_deckt_nur_die_arten_ab_nach_denen_es_fragte(tmp_path):
    """A step the package had no column for (here: e-mail) stays without data; the others count from the package."""
    store = bestand(tmp_path, [("1", "A", "2026-01-10", None)], kontakte=[])
    store.conn.execute(
        "INSERT INTO importe (art, datei, sha256, stand, zeit, arten) "
        "VALUES ('paket', 'p.xlsx', 'p', '2026-06-01', 'x', '[\"gespraech\", \"pate\"]')"
    )
    store.conn.commit()
    schritte = [*SCHRITTE, {"name": "Mail", "arten": ["email"], "frist_tage": 7, "anzahl": 1}]
    try:
        a = abdeckung.ermitteln(store.conn, BIS, schritte, paket_monate=6)
    finally:
        store.close()
    erst, parteibuch, pate, mail = a.schritte
    assert erst.erfasst and erst.paket_ab == date(2025, 12, 2)
    assert pate.erfasst and pate.anzahl == 0
    assert parteibuch.erfasst is False and parteibuch.paket_ab is None
    assert mail.erfasst is False and mail.erster is None


def _referenz(mitglieder: dict[str, str | None], kontakte: list[tuple], arten: list[str], bis: date):
    """:class:`abdeckung.Erfassung` of ``arten``, plainly: the records of their stored kinds up to ``bis``, and
    the members whose records all lie in the year after their Eintritt (a year on as SQLite adds 12 months:
    29 February plus a year is 1 March)."""
    gespeichert = {"anruf" if a == "anruf_erreicht" else a for a in arten}
    tage: dict[str, list[str]] = {}
    for nr, art, datum, *_ in kontakte:
        if art in gespeichert and datum <= bis.isoformat():
            tage.setdefault(nr, []).append(datum)
    if not tage:
        return abdeckung.Erfassung(tuple(dict.fromkeys(arten)))

    def ein_jahr_spaeter(tag: date) -> date:
        return date(tag.year + 1, 3, 1) if (tag.month, tag.day) == (2, 29) else tag.replace(year=tag.year + 1)

    im_ersten_jahr = 0
    for nr, d in tage.items():
        eintritt = mitglieder.get(nr)
        if (
            eintritt
            and min(d) >= eintritt
            and max(d) < ein_jahr_spaeter(date.fromisoformat(eintritt)).isoformat()
        ):
            im_ersten_jahr += 1
    alle = [t for d in tage.values() for t in d]
    return abdeckung.Erfassung(
        tuple(dict.fromkeys(arten)),
        erster=date.fromisoformat(min(alle)),
        letzter=date.fromisoformat(max(alle)),
        anzahl=len(alle),
        mitglieder=len(tage),
        im_ersten_jahr=im_ersten_jahr,
    )


@pytest.mark.parametrize("seed", range(6))
def test_alle_arten_zusammen_wie_jede_fuer_sich(tmp_path, seed):
    """:func:`abdeckung.erfassungen` reads every set of kinds together: on generated stores it must give what
    each set gives by the plain rule, for sets of one kind, of several, with ``anruf_erreicht``, of kinds never
    recorded, and none; and the members on the day are counted once each, even with several periods."""
    rng = random.Random(seed)
    bis = rng.choice([date(2026, 9, 1), date(2025, 2, 28), date(2024, 3, 1)])
    tage = [bis - timedelta(days=n) for n in (0, 1, 30, 364, 365, 366, 400, 800)] + [date(2023, 2, 28)]
    perioden, eintritte = [], {}
    for i in range(60):
        nr = str(i)
        von = rng.choice([*(t.isoformat() for t in tage), "2024-02-29", "2023-03-01", None])
        bis_p = rng.choice([None, None, (bis - timedelta(days=rng.randint(-5, 5))).isoformat()])
        perioden.append((nr, "A", von, bis_p))
        if rng.random() < 0.2:  # a second period: a change of Ortsverein, overlapping or not
            perioden.append((nr, "B", rng.choice([von, bis.isoformat(), None]), None))
        eintritte[nr] = von
    kontakte = [
        (
            rng.choice([*eintritte, "unbekannt"]),  # a contact of a number no member has
            rng.choice(["anruf", "brief", "teilnahme", "gespraech", "parteibuch"]),
            (
                rng.choice([*tage, date(2024, 2, 29), date(2025, 3, 1)]) + timedelta(days=rng.randint(-2, 2))
            ).isoformat(),
            rng.choice([None, "erreicht", "nicht erreicht"]),
        )
        for _ in range(rng.randint(0, 150))
    ]
    store = bestand(tmp_path, perioden, kontakte=kontakte)
    mengen = [["anruf"], ["teilnahme", "anruf_erreicht"], ["brief", "gespraech", "brief"], ["pate"], [],
              ["parteibuch"], ["anruf", "brief", "teilnahme", "gespraech", "parteibuch", "email"]]  # fmt: skip
    try:
        gefunden = abdeckung.erfassungen(store.conn, mengen, bis)
        einzeln = [abdeckung.erfassung(store.conn, m, bis) for m in mengen]
        am_tag = abdeckung._bestand(store.conn, bis)
    finally:
        store.close()
    assert gefunden == einzeln == [_referenz(eintritte, kontakte, m, bis) for m in mengen]
    assert am_tag == len(
        {
            p[0]
            for p in perioden
            if (p[2] or "") <= bis.isoformat() and (p[3] is None or p[3] > bis.isoformat())
        }
    )
