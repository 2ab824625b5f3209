"""Coverage of the records: since when each kind of contact is recorded, and for whom.

A share like "first contact within a month" or a segment like ``inaktiv`` is only as good as the records behind
it. Contacts come in through returned call lists, attendance lists, contact lists, ``mitglieder kontakt`` and
returned Ortsverein packages – usually starting on some day, and often only for new members. Before the first
record of a kind, "no contact" means "not recorded", not "not done". This module says, from the store:

- per kind of contact (and per step of the standard, its kinds together) the first and last recorded day, how
  many records and how many members they concern, and how many of those members have records only within their
  first year of membership (:class:`Erfassung`);
- the Stand of the first and the last member export (how far back the member history reaches).

A step with ``anruf_erreicht`` counts as recorded from the first call of any result: an unanswered call shows
that calls are being recorded. Only records up to ``bis`` (the Stichtag) count.

A returned Ortsverein package is more than its dates: its chair went through every new member it lists, so an
empty cell means "not done". A package lists the members who joined in the ``paket_monate`` (``neu_monate``)
months before its Stichtag; so the steps of the standard (and the personal contacts) count as recorded from the
first of those days on, even where the first date filled in is later (:attr:`Erfassung.paket_ab`).

The report (:mod:`kennzahlen`) counts a new member in a step's share only when the step's records began no later
than the member's Eintritt; the segment summary prints :meth:`Erfassung.satz` under ``inaktiv`` and
``ohne-kontakt``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from mitgliederarbeit import datum as dt
from mitgliederarbeit.bestand import speicher
from mitgliederarbeit.kontaktarten import AKTIVITAET, ARTEN_MEHRZAHL, PERSOENLICH, gespeicherte_arten
from mitgliederarbeit.ordner import Arbeitsordner
from mitgliederarbeit.zahlen import mal, zahl

ERSTES_JAHR_MONATE = 12
# a contact dated on no real day (a hand edit) counts nowhere (README, „Unlesbare Daten im Datenbestand“)
_GUELTIG = dt.gueltiger_tag_sql("substr(datum, 1, 10)")

# The segments whose result rests on the records, and the coverage that tells how far ("activity": the kinds of
# kontaktarten.AKTIVITAET; "any contact": every stored kind).
SEGMENT_ERFASSUNG = {"inaktiv": "aktivitaet", "ohne-kontakt": "jeder_kontakt"}


def arten_text(arten: Iterable[str]) -> str:
    """``Anrufe, Teilnahmen`` (each stored kind once, in a fixed order)."""
    namen = list(dict.fromkeys(ARTEN_MEHRZAHL.get(a, a) for a in gespeicherte_arten(arten)))
    if not namen:
        return "Kontakte"
    return namen[0] if len(namen) == 1 else f"{', '.join(namen[:-1])} und {namen[-1]}"


@dataclass(frozen=True)
class Erfassung:
    """The records of some kinds of contact up to a day."""

    arten: tuple[str, ...]
    erster: date | None = None  # the first recorded day; None: never recorded
    letzter: date | None = None
    anzahl: int = 0  # records
    mitglieder: int = 0  # distinct members with a record
    im_ersten_jahr: int = 0  # of them: members whose records all lie within their first year of membership
    paket_ab: date | None = None  # a returned package covers the new members who joined from this day on

    @property
    def erfasst(self) -> bool:
        return self.anzahl > 0 or self.paket_ab is not None

    def mit_paket(self, paket_ab: date | None) -> Erfassung:
        """The records together with what returned packages cover: recorded from the earlier of both days."""
        if paket_ab is None:
            return self
        erster = paket_ab if self.erster is None else min(self.erster, paket_ab)
        return replace(self, erster=erster, paket_ab=paket_ab)

    @property
    def nur_neue(self) -> bool:
        """Every member with a record had it within the first year after joining."""
        return self.mitglieder > 0 and self.im_ersten_jahr == self.mitglieder

    def satz(self, bestand: int | None = None) -> str:
        """One German sentence: since when, and for whom (``bestand``: members on the day, for the share)."""
        was = arten_text(self.arten)
        if not self.erfasst or self.erster is None:
            return f"{was}: noch nichts erfasst."
        wen = mal(self.mitglieder, "Mitglied", "Mitglieder")
        if bestand:
            wen += f" von {zahl(bestand)}"
        if self.nur_neue:
            wen += " (alle im ersten Jahr ihrer Mitgliedschaft)"
        elif self.im_ersten_jahr:
            wen += f", davon {zahl(self.im_ersten_jahr)} im ersten Jahr ihrer Mitgliedschaft"
        return f"{was} erfasst seit {dt.de(self.erster)}, für {wen}."

    def as_json(self) -> dict[str, Any]:
        return {
            "arten": list(self.arten),
            "erster": dt.iso(self.erster),
            "letzter": dt.iso(self.letzter),
            "anzahl": self.anzahl,
            "mitglieder": self.mitglieder,
            "im_ersten_jahr": self.im_ersten_jahr,
            "paket_ab": dt.iso(self.paket_ab),
        }


@dataclass(frozen=True)
class Abdeckung:
    """What the store's records cover on a day (see the module docstring)."""

    bis: date
    arten: dict[str, Erfassung]  # per stored kind of contact
    schritte: list[Erfassung]  # per step of the standard, in its order
    persoenlich: Erfassung  # the kinds of a personal contact (days to first contact)
    teilnahme: Erfassung
    aktivitaet: Erfassung  # segment inaktiv
    jeder_kontakt: Erfassung  # segment ohne-kontakt
    bestand: int  # members on ``bis``
    erster_stand: date | None  # Stand of the first member export
    letzter_stand: date | None

    def as_json(self) -> dict[str, Any]:
        return {
            "bis": self.bis.isoformat(),
            "arten": {art: e.as_json() for art, e in self.arten.items()},
            "schritte": [e.as_json() for e in self.schritte],
            "bestand": self.bestand,
            "erster_stand": dt.iso(self.erster_stand),
            "letzter_stand": dt.iso(self.letzter_stand),
        }


def erfassung(conn: sqlite3.Connection, arten: Iterable[str], bis: date) -> Erfassung:
    """The records of ``arten`` (config kinds; ``anruf_erreicht`` as any call) dated up to ``bis``."""
    return erfassungen(conn, [arten], bis)[0]


def erfassungen(conn: sqlite3.Connection, mengen: Sequence[Iterable[str]], bis: date) -> list[Erfassung]:
    """:func:`erfassung` of each of ``mengen`` (sets of kinds), all from two passes over the contacts, however
    many sets: one counts per stored kind, one sorts the members by the kinds they have records of."""
    tag = bis.isoformat()
    je_art = {
        art: (erster, letzter, n)
        for art, erster, letzter, n in conn.execute(
            f"SELECT art, min(datum), max(datum), count(*) FROM kontakte WHERE datum <= ? AND {_GUELTIG} GROUP BY art",
            (tag,),
        )
    }
    # Per member: the kinds it has records of, and those of them with a record outside its first year of
    # membership (or an unknown Eintritt); then how many members share both. A member's records of a set of kinds
    # all lie within its first year when none of the set's kinds has one outside.
    trenner = "\x1f"
    gruppen = [
        (frozenset(alle.split(trenner)), frozenset(draussen.split(trenner)) if draussen else frozenset(), n)
        for alle, draussen, n in conn.execute(
            f"""
            WITH je_art AS (
                SELECT k.nr, k.art, min(k.datum) AS erster, max(k.datum) AS letzter
                FROM kontakte k
                WHERE k.datum <= ?1 AND {_GUELTIG}
                GROUP BY k.nr, k.art
            ),
            je AS (
                SELECT a.nr, group_concat(a.art, ?2) AS alle,
                       group_concat(CASE WHEN m.eintrittsdatum IS NOT NULL AND a.erster >= m.eintrittsdatum
                                          AND a.letzter < date(m.eintrittsdatum, '+{ERSTES_JAHR_MONATE} months')
                                         THEN NULL ELSE a.art END, ?2) AS draussen
                FROM je_art a LEFT JOIN mitglieder m ON m.nr = a.nr
                GROUP BY a.nr
            )
            SELECT alle, draussen, count(*) FROM je GROUP BY alle, draussen
            """,
            (tag, trenner),
        )
    ]
    result = []
    for menge in mengen:
        arten = tuple(dict.fromkeys(menge))
        gespeichert = {a for a in gespeicherte_arten(arten) if a in je_art}
        if not gespeichert:
            result.append(Erfassung(arten))
            continue
        betroffen = [(draussen, n) for alle, draussen, n in gruppen if alle & gespeichert]
        result.append(
            Erfassung(
                arten,
                erster=dt.from_iso(min(je_art[a][0] for a in gespeichert)),
                letzter=dt.from_iso(max(je_art[a][1] for a in gespeichert)),
                anzahl=sum(je_art[a][2] for a in gespeichert),
                mitglieder=sum(n for _, n in betroffen),
                im_ersten_jahr=sum(n for draussen, n in betroffen if not draussen & gespeichert),
            )
        )
    return result


def ermitteln(
    conn: sqlite3.Connection,
    bis: date,
    schritte: Sequence[dict[str, Any]] = (),
    *,
    persoenlich: Sequence[str] = PERSOENLICH,
    paket_monate: int | None = None,
) -> Abdeckung:
    """The coverage of the store behind ``conn`` on ``bis``, for the steps of a standard.

    ``paket_monate``: how many months back a returned package lists new members (``neu_monate``); None: returned
    packages count only by their dates.
    """
    gespeichert = [r[0] for r in conn.execute("SELECT DISTINCT art FROM kontakte ORDER BY art")]
    staende = conn.execute(
        "SELECT min(stand), max(stand) FROM importe WHERE art = 'mitglieder' AND stand IS NOT NULL"
    ).fetchone()
    # every set of kinds read together: each kind, each step, then the four below
    alle = erfassungen(
        conn,
        [*([art] for art in gespeichert), *(s["arten"] for s in schritte), persoenlich, ["teilnahme"], AKTIVITAET,
         gespeichert],
        bis,
    )  # fmt: skip
    je_art, je_schritt = alle[: len(gespeichert)], alle[len(gespeichert) : -4]
    pers, teilnahme, aktivitaet, jeder = alle[-4:]
    return Abdeckung(
        bis=bis,
        arten=dict(zip(gespeichert, je_art)),
        schritte=[
            e.mit_paket(_paket_ab(conn, bis, paket_monate, s["arten"])) for e, s in zip(je_schritt, schritte)
        ],
        persoenlich=pers.mit_paket(_paket_ab(conn, bis, paket_monate, persoenlich)),
        teilnahme=teilnahme,
        aktivitaet=aktivitaet,
        jeder_kontakt=jeder,
        bestand=_bestand(conn, bis),
        erster_stand=dt.from_iso(staende[0]) if staende and staende[0] else None,
        letzter_stand=dt.from_iso(staende[1]) if staende and staende[1] else None,
    )


def _paket_ab(
    conn: sqlite3.Connection, bis: date, paket_monate: int | None, arten: Sequence[str]
) -> date | None:
    """The first Eintritt a returned package covers for ``arten``: its Stichtag − ``paket_monate`` months + 1 day
    (the earliest such package). Only a package with a column for one of these kinds counts: a step it did not
    ask about is not "not done" there, it is not recorded."""
    if paket_monate is None:
        return None
    marken = ", ".join("?" * len(arten))
    row = conn.execute(
        "SELECT min(i.stand) FROM importe i WHERE i.art = 'paket' AND i.stand IS NOT NULL AND i.stand <= ? "
        f"AND (i.arten IS NULL OR EXISTS (SELECT 1 FROM json_each(i.arten) j WHERE j.value IN ({marken})))",
        (bis.isoformat(), *arten),
    ).fetchone()
    stichtag = dt.from_iso(row[0]) if row and row[0] else None
    if stichtag is None:
        return None
    return dt.add_months(stichtag, -paket_monate) + timedelta(days=1)


def segment(conn: sqlite3.Connection, basis: str | None, bis: date) -> Erfassung | None:
    """The coverage behind a segment (``basis``: the built-in segment it rests on); None if it needs none."""
    if basis not in SEGMENT_ERFASSUNG:
        return None
    return erfassung(conn, _segment_arten(conn, basis), bis)


def _segment_arten(conn: sqlite3.Connection, basis: str) -> list[str]:
    """The kinds of contact behind ``inaktiv`` (activity) or ``ohne-kontakt`` (every stored kind)."""
    if basis == "inaktiv":
        return list(AKTIVITAET)
    return [r[0] for r in conn.execute("SELECT DISTINCT art FROM kontakte ORDER BY art")]


def segment_json(ordner: Arbeitsordner, basis: str | None) -> dict[str, Any] | None:
    """``abdeckung`` of a segment's ``--json``: the coverage, its sentence and the members on the Stichtag."""
    return segment_jsons(ordner, [basis]).get(basis or "")


def segment_jsons(ordner: Arbeitsordner, basen: Iterable[str | None]) -> dict[str, dict[str, Any]]:
    """:func:`segment_json` of each of ``basen`` that rests on records, by basis (the segment overview asks for
    several: the store is read once for all, and the members on the Stichtag counted once)."""
    gefragt = [b for b in dict.fromkeys(basen) if b is not None and b in SEGMENT_ERFASSUNG]
    if not gefragt:
        return {}
    store = speicher.oeffnen(ordner.pfad)
    try:
        mengen = [_segment_arten(store.conn, b) for b in gefragt]
        erfasst = erfassungen(store.conn, mengen, ordner.stichtag)
        bestand = _bestand(store.conn, ordner.stichtag)
    finally:
        store.close()
    return {
        b: {**e.as_json(), "bestand": bestand, "text": segment_satz(b, e, bestand)}
        for b, e in zip(gefragt, erfasst)
    }


def segment_satz(basis: str | None, e: Erfassung, bestand: int) -> str:
    """The line under a segment's count: how far back its records reach, whom they cover, what that means."""
    if not e.erfasst:
        return e.satz()
    satz = e.satz(bestand)
    if e.mitglieder < bestand:
        wer = "„inaktiv“" if basis == "inaktiv" else "„ohne Kontakt“"
        satz += f" Für alle anderen heißt {wer} nur: nichts erfasst."
    return satz


def _bestand(conn: sqlite3.Connection, tag: date) -> int:
    """Members on ``tag``, from the membership periods (as the report counts them)."""
    # GROUP BY, not count(DISTINCT): one sort of the numbers is faster than a set built number by number
    row = conn.execute(
        "SELECT count(*) FROM (SELECT nr FROM zugehoerigkeit WHERE coalesce(von, '') <= ?1 AND (bis IS NULL OR bis > ?1)"
        " GROUP BY nr)",
        (tag.isoformat(),),
    ).fetchone()
    return int(row[0] or 0)
