"""The rules of the segments, written once, in SQL: for counting and for picking members alike.

:data:`MERKMALE_SQL` computes each member's facts on the Stichtag (one row per member of the population, no Python
object per member); :data:`REGELN` says per built-in segment, as a condition over those facts, who belongs;
:func:`filter_sql` narrows a custom segment (``[segmente.eigene.NAME]``) by the member's columns. Which contact
counts as which kind comes from :mod:`kontaktarten`. :mod:`segmentzaehlung` runs the queries;
tests/test_segmente_vergleich.py holds them to a small reference in plain Python on generated stores.

Dates are ISO text, so text order is date order; a date that is not a valid ``YYYY-MM-DD`` day in its first ten
characters (a birth date kept as written because it was impossible) is no date.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from mitgliederarbeit import datum as dt
from mitgliederarbeit.bestand import speicher
from mitgliederarbeit.kontaktarten import (
    AKTIVITAET,
    ANRUF,
    ERREICHT,
    PATE,
    PERSOENLICH,
    erreicht_sql,
    passt_sql,
)

JUBILAEEN = (10, 25, 40, 50, 60, 70)
# a Frühaustritt: the Austritt at most this many months after the Eintritt (segment and report)
FRUEH_MONATE = 12
NACHFASSEN = ("will_austreten", "rueckruf")  # call results that ask for a follow-up


def gueltig_sql(spalte: str) -> str:
    """SQL: ``spalte`` starts with a valid ``YYYY-MM-DD`` day (as :func:`datum.gespeicherter_tag` reads it)."""
    return dt.gueltiger_tag_sql(f"substr({spalte}, 1, 10)")


def alter_sql(spalte: str) -> str:
    """SQL: full years from the birth date ``spalte`` to the Stichtag (``:jahr``, ``:monat_tag``), else NULL."""
    return (
        f"(CASE WHEN {gueltig_sql(spalte)} THEN :jahr - CAST(substr({spalte}, 1, 4) AS INTEGER)"
        f" - (:monat_tag < substr({spalte}, 6, 5)) END)"
    )


@dataclass(frozen=True)
class Grenzen:
    """The days the rules compare with, computed once per Stichtag and config."""

    tag: date
    neu: date  # joined after this day: new
    inaktiv: date
    kontakt: date
    vorlauf: date  # a step due on or before this day is "faellig"
    schritte: list[tuple[timedelta, list[str], int, str]]  # (deadline, kinds, how many, name) per step

    @classmethod
    def aus(cls, tag: date, config: dict[str, Any]) -> Grenzen:
        s = config["segmente"]
        return cls(
            tag=tag,
            neu=dt.add_months(tag, -s["neu_monate"]),
            inaktiv=dt.add_months(tag, -s["inaktiv_monate"]),
            kontakt=dt.add_months(tag, -s["kontakt_monate"]),
            vorlauf=tag + timedelta(days=s["faellig_vorlauf_tage"]),
            schritte=[
                (timedelta(days=schritt["frist_tage"]), schritt["arten"], schritt["anzahl"], schritt["name"])
                for schritt in config["standard"]["schritte"]
            ],
        )


# The member's Eintritt in the rules: an unknown join date (NULL) is '', before every day, so the member is never
# new, never due for a step, no jubilee and no early exit, and every contact counts as one since joining.
_EINTRITT = "coalesce(m.eintrittsdatum, '')"

# Each member's facts, one row per member of the population ``f``: the current members and those who left in
# the 12 months up to the Stichtag (by :data:`speicher.AKTIV_AM`), with their contacts up to the Stichtag.
# ``{auswahl}`` may narrow the population (only new members, for the segments of new members).
MERKMALE_SQL = """
WITH pop AS MATERIALIZED (
    -- ``neu`` once per member here: the rules and the steps ask for it again and again
    SELECT rid, nr, ov, e, a, aktuell, (aktuell AND e > :neu) AS neu
    FROM (
        SELECT m.rowid AS rid, m.nr, m.ortsverein AS ov, {eintritt} AS e, m.austrittsdatum AS a,
               (m.austrittsdatum IS NULL OR m.austrittsdatum > :tag) AS aktuell
        FROM mitglieder m
        -- not through the index: most members qualify, so one pass over the table beats a lookup per member
        WHERE m.anonymisiert = 0 AND {eintritt} <= :tag
          AND ({aktiv_am} OR (m.austrittsdatum > :seit AND m.austrittsdatum <= :tag)){auswahl}
    )
),
kk AS MATERIALIZED (  -- each contact up to the Stichtag once: its day, its place in the order, reached or not
    SELECT k.nr, {eintritt} AS e, k.art, k.ergebnis, substr(k.datum, 1, 10) AS d,
           -- the order of (datum, id) as one text: a maximum of it is the last contact
           k.datum || char(1) || printf('%020d', k.id) AS folge,
           {erreicht} AS erreicht
    -- from the contacts, a lookup of the member per contact: far fewer than the members of a large store (the
    -- contacts of members outside the population are left out by ``f``, which starts from ``pop``)
    FROM kontakte k JOIN mitglieder m ON m.nr = k.nr
    WHERE +k.datum <= :tag AND {gueltig}{auswahl}
      AND NOT (:ohne_erreicht AND {erreicht})  -- "schon erreicht": as if no call had reached anyone
),
agg AS MATERIALIZED (
    SELECT nr,
           max(d >= e AND art = 'brief') AS brief,
           max(d >= e AND {persoenlich}) AS persoenlich,
           max(art = :pate) AS pate,
           max(erreicht) AS je_erreicht,
           max(d >= e AND d > :inaktiv AND {aktiv}) AS aktiv,
           -- a contact is any recorded one except an unanswered call
           max(CASE WHEN d >= e AND (art <> :anruf OR erreicht) THEN d END) AS letzter_kontakt,
           max(d) AS letzter_tag,
           max(CASE WHEN art = :anruf THEN folge || char(2) || coalesce(ergebnis, '') END) AS anruf,
           max(CASE WHEN erreicht THEN folge END) AS erreicht_folge{schritte}
    FROM kk
    GROUP BY nr
),
f AS (
    SELECT p.rid, p.nr, p.ov, p.e, p.a, p.aktuell, p.neu,
           coalesce(agg.brief, 0) AS brief, coalesce(agg.persoenlich, 0) AS persoenlich,
           coalesce(agg.pate, 0) AS pate, coalesce(agg.aktiv, 0) AS aktiv,
           coalesce(agg.je_erreicht, 0) AS je_erreicht,
           agg.letzter_kontakt, substr(agg.anruf, 1, 10) AS letzter_anruf,
           -- the last call's result, when nothing was recorded on a later day (the order within a day is unknown)
           CASE WHEN agg.letzter_tag <= substr(agg.anruf, 1, 10)
                THEN substr(agg.anruf, instr(agg.anruf, char(2)) + 1) END AS nachfassen,
           -- the years of joining that make a jubilee in the Stichtag's year, as text (no number per member)
           CASE WHEN p.aktuell AND substr(p.e, 1, 4) IN ({jubilaeen})
                THEN :jahr - CAST(substr(p.e, 1, 4) AS INTEGER) END AS jubilaeum{offen}
    FROM pop p
    LEFT JOIN agg ON agg.nr = p.nr
),
-- calls since the last reached call (what a call list shows as attempts); only asked when members are listed
versuche AS (
    SELECT kk.nr, count(*) AS n
    FROM kk JOIN agg ON agg.nr = kk.nr
    WHERE kk.art = :anruf AND kk.folge > coalesce(agg.erreicht_folge, '')
    GROUP BY kk.nr
)
{abfrage}
"""


def ausgetreten_binnen(eintritt: date, austritt: date | None, monate: int) -> bool:
    """Left within ``monate`` months of the Eintritt: the Austritt (the first day outside) lies on or before
    Eintritt + ``monate`` months (:func:`datum.add_months`). The rule of Frühaustritte, first-year retention and
    the join-quarter cohorts; :func:`ausgetreten_binnen_sql` is the same rule in SQL."""
    return austritt is not None and austritt <= dt.add_months(eintritt, monate)


def ausgetreten_binnen_sql(eintritt: str, austritt: str, monate: int) -> str:
    """:func:`ausgetreten_binnen` in SQL over ISO days (NULL, not true, for an unknown Eintritt '')."""
    return f"{austritt} <= {dt.add_months_sql(eintritt, monate)}"


def frueh_ausgetreten(eintritt: date, austritt: date | None) -> bool:
    """A Frühaustritt (the report counts them in Python, the segment „frueh-ausgetreten“ in SQL)."""
    return ausgetreten_binnen(eintritt, austritt, FRUEH_MONATE)


# Who belongs to each built-in segment, over the facts ``f`` (see the module docstring of :mod:`segmente` for
# the rules in words). ``offen`` is "some step of the standard is open and due" (see :func:`merkmale_sql`).
REGELN: dict[str, str] = {
    "alle": "aktuell",
    "neu": "neu",
    "neu-ohne-brief": "neu AND NOT brief",
    "neu-ohne-kontakt": "neu AND NOT persoenlich",
    "faellig": "({offen})",
    "inaktiv": "aktuell AND e <= :inaktiv AND NOT aktiv",
    "ohne-kontakt": "aktuell AND coalesce(letzter_kontakt <= :kontakt, 1)",
    "ausgetreten": "NOT aktuell",
    # CASE, not AND: the date arithmetic only for those who left, not for every member
    "frueh-ausgetreten": "CASE WHEN aktuell THEN 0 ELSE {frueh} END",
    "jubilaeum": "jubilaeum IS NOT NULL",
    "ohne-pate": "neu AND NOT pate",
    "will-austreten": "aktuell AND nachfassen = 'will_austreten'",
    "rueckruf": "aktuell AND nachfassen = 'rueckruf'",
}


def regel(name: str, g: Grenzen) -> str:
    """The condition of a built-in segment over ``f``."""
    offen = " OR ".join(f"offen{i}" for i in range(len(g.schritte))) or "0"
    frueh = ausgetreten_binnen_sql("e", "a", FRUEH_MONATE)  # the rule of frueh_ausgetreten
    return REGELN[name].replace("{offen}", offen).replace("{frueh}", frueh)


def merkmale_sql(
    g: Grenzen, abfrage: str, *, ohne_erreicht: bool = False, eintritt_nach: date | None = None
) -> tuple[str, dict[str, object]]:
    """The query of the members' facts (:data:`MERKMALE_SQL`) ending in ``abfrage`` over them (``f``).

    ``ohne_erreicht`` pretends no call ever reached anyone (those calls are left out); ``eintritt_nach`` leaves
    out everyone who joined on or before that day, for the segments of new members (a large store need not be
    read whole).
    """
    params: dict[str, object] = {
        "tag": g.tag.isoformat(),
        "seit": dt.add_months(g.tag, -12).isoformat(),
        "neu": g.neu.isoformat(),
        "inaktiv": g.inaktiv.isoformat(),
        "kontakt": g.kontakt.isoformat(),
        "vorlauf": g.vorlauf.isoformat(),
        "jahr": g.tag.year,
        "monat_tag": g.tag.isoformat()[5:],
        "erreicht": ERREICHT,
        "pate": PATE,
        "anruf": ANRUF,
        "ohne_erreicht": int(ohne_erreicht),
        "nach": dt.iso(eintritt_nach),
    }
    # the rules of kontaktarten, in SQL over ``kk`` (where ``erreicht`` is the column computed once per contact)
    persoenlich, p_params = passt_sql(PERSOENLICH, "p", erreicht="erreicht")
    aktiv, a_params = passt_sql(AKTIVITAET, "a", erreicht="erreicht")
    params.update(p_params | a_params)
    schritte, offen = [], []
    for i, (frist, arten, anzahl, _name) in enumerate(g.schritte):
        bedingung, s_params = passt_sql(arten, f"s{i}_", erreicht="erreicht")
        params.update(s_params)
        # due when Eintritt + deadline <= the lead time's end, i.e. Eintritt <= that end - deadline (once, here)
        params[f"spaetestens{i}"] = (g.vorlauf - frist).isoformat()
        params[f"anzahl{i}"] = anzahl
        schritte.append(f",\n           sum(d >= e AND {bedingung}) AS schritt{i}")
        # step i is open and due: the member is new, its deadline is within the lead time, too few contacts
        # (CASE, not AND: the rest only for the new members, not for every member)
        offen.append(
            f",\n           CASE WHEN p.neu THEN p.e <= :spaetestens{i}"
            f" AND coalesce(agg.schritt{i}, 0) < :anzahl{i} ELSE 0 END AS offen{i}"
        )
    sql = MERKMALE_SQL.format(
        aktiv_am=speicher.AKTIV_AM,
        eintritt=_EINTRITT,
        auswahl=" AND m.eintrittsdatum > :nach" if eintritt_nach else "",
        erreicht=f"coalesce({erreicht_sql('k.art', 'k.ergebnis')}, 0)",  # a call without a result: not reached
        gueltig=gueltig_sql("k.datum"),
        persoenlich=persoenlich,
        aktiv=aktiv,
        schritte="".join(schritte),
        offen="".join(offen),
        jubilaeen=", ".join(f"'{g.tag.year - jahre:04d}'" for jahre in JUBILAEEN),
        abfrage=abfrage,
    )
    return sql, params


# --------------------------------------------------------------------------------------------------------------
# custom segments: the narrowing of ``[segmente.eigene.NAME]`` over the member's columns (``m``)
# --------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filter:
    """The narrowing of a custom segment, checked and normalized once (names already mapped to the store's)."""

    ortsvereine: list[str] | None  # the store's spellings of the wanted Ortsvereine; None: any
    unterbezirke: list[str] | None  # the same for the Unterbezirke ("" for none recorded)
    geschlecht: list[str]  # first letters, lower case ("u" matches an unknown gender)
    alter_von: int
    alter_bis: int
    eintritt_von: date | None
    eintritt_bis: date | None
    interessen: list[str]  # case-folded words, one of which a member's interest must contain
    mit_telefon: bool
    mit_email: bool
    mit_anschrift: bool

    def sql(self, praefix: str) -> tuple[str, dict[str, object]]:
        """The condition over ``m`` (the member's row) and ``alter``, with parameters named ``:{praefix}…``."""
        teile: list[str] = []
        params: dict[str, object] = {}

        def liste(key: str, spalte: str, werte: list[str]) -> None:
            params[praefix + key] = json.dumps(werte)
            teile.append(f"{spalte} IN (SELECT value FROM json_each(:{praefix}{key}))")

        if self.ortsvereine is not None:
            liste("ov", "m.ortsverein", self.ortsvereine)
        if self.unterbezirke is not None:
            liste("ub", "coalesce(m.unterbezirk, '')", self.unterbezirke)
        if self.geschlecht:
            liste("g", "coalesce(nullif(m.geschlecht, ''), 'u')", self.geschlecht)
        alter = alter_sql("m.geburtsdatum")
        if self.alter_von or self.alter_bis:
            teile.append(f"{alter} IS NOT NULL")
        if self.alter_von:
            teile.append(f"{alter} >= {int(self.alter_von)}")
        if self.alter_bis:
            teile.append(f"{alter} <= {int(self.alter_bis)}")
        if self.eintritt_von:
            params[praefix + "von"] = self.eintritt_von.isoformat()
            teile.append(f"m.eintrittsdatum >= :{praefix}von")
        if self.eintritt_bis:
            params[praefix + "bis"] = self.eintritt_bis.isoformat()
            teile.append(f"m.eintrittsdatum <= :{praefix}bis")
        if self.mit_telefon:
            teile.append(
                "((coalesce(m.telefon, '') <> '' AND NOT m.telefon_falsch)"
                " OR (coalesce(m.mobil, '') <> '' AND NOT m.mobil_falsch))"
            )
        if self.mit_email:
            teile.append("coalesce(m.email, '') <> ''")
        if self.mit_anschrift:
            teile.append(
                "coalesce(m.strasse, '') <> '' AND coalesce(m.plz, '') <> '' AND coalesce(m.ort, '') <> ''"
            )
        if self.interessen:
            # an interest is one comma-separated entry: a word with a comma in it can match none
            woerter = [w for w in self.interessen if "," not in w]
            params[praefix + "int"] = json.dumps(woerter)
            teile.append(
                f"EXISTS (SELECT 1 FROM json_each(:{praefix}int) w"
                " WHERE instr(casefold(coalesce(m.interessen, '')), w.value) > 0)"
            )
        return " AND ".join(f"({t})" for t in teile) or "1", params


def casefold(value: str | None) -> str | None:
    """Python's case folding for SQL (SQLite's ``lower`` knows only ASCII): ``conn.create_function``."""
    return value.casefold() if value is not None else None
