"""The built-in segments counted in SQL: one pass over the members and their contacts, no Python object per
member (a national store has 400,000). The rules are those of :mod:`segmentregeln`, written once more in SQL
(which contact counts as which kind is generated from :mod:`kontaktarten`, as the Python rules call it);
tests/test_segmente_vergleich.py holds both to the same members on generated stores.
"""

from __future__ import annotations

import sqlite3

from mitgliederarbeit import datum as dt
from mitgliederarbeit.auswertung.segmentregeln import JUBILAEEN, Grenzen
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

# Each member's facts, one row per member of the population (the same rules as :func:`_merkmale`, which the
# differential test in tests/test_segmente.py holds them to). Dates are ISO text, so text order is date order.
_MERKMALE_SQL = """
WITH pop AS MATERIALIZED (
    SELECT m.nr, m.ortsverein AS ov, m.eintrittsdatum AS e, m.austrittsdatum AS a,
           (m.austrittsdatum IS NULL OR m.austrittsdatum > :tag) AS aktuell
    FROM mitglieder m
    -- "+": most members qualify, so one pass over the table beats a lookup per member through the index
    WHERE m.anonymisiert = 0 AND +m.eintrittsdatum <= :tag
      AND ({aktiv_am} OR (m.austrittsdatum > :seit AND m.austrittsdatum <= :tag))
),
kk AS MATERIALIZED (  -- each contact up to the Stichtag once, its day and whether it reached someone
    SELECT p.nr, p.e, k.id, k.art, k.datum, substr(k.datum, 1, 10) AS d,
           {erreicht} AS erreicht
    FROM kontakte k JOIN pop p ON p.nr = k.nr
    WHERE +k.datum <= :tag AND date(substr(k.datum, 1, 10)) = substr(k.datum, 1, 10)
),
agg AS MATERIALIZED (
    SELECT nr,
           max(d >= e AND art = 'brief') AS brief,
           max(d >= e AND {persoenlich}) AS persoenlich,
           max(art = :pate) AS pate,
           max(d >= e AND d > :inaktiv AND {aktiv}) AS aktiv,
           max(d >= e AND d > :kontakt AND (art <> :anruf OR erreicht)) AS kontakt,
           max(d) AS letzter_tag,
           -- the last call in the order of (datum, id): its id after the date, for the join below
           max(CASE WHEN art = :anruf THEN datum || char(1) || printf('%020d', id) END) AS letzter_anruf{schritte}
    FROM kk
    GROUP BY nr
),
f AS (
    SELECT p.nr, p.ov, p.e, p.a, p.aktuell, (p.aktuell AND p.e > :neu) AS neu,
           coalesce(agg.brief, 0) AS brief, coalesce(agg.persoenlich, 0) AS persoenlich,
           coalesce(agg.pate, 0) AS pate, coalesce(agg.aktiv, 0) AS aktiv, coalesce(agg.kontakt, 0) AS kontakt,
           CASE WHEN agg.letzter_tag <= substr(anruf.datum, 1, 10) THEN anruf.ergebnis END AS nachfassen
           {schritt_spalten}
    FROM pop p
    LEFT JOIN agg ON agg.nr = p.nr
    LEFT JOIN kontakte anruf ON anruf.id = CAST(substr(agg.letzter_anruf, -20) AS INTEGER)
)
{abfrage}
"""

# Exit at most 12 months after the Eintritt, months added as :func:`datum.add_months` does: 29 February
# plus 12 months is 28 February (SQLite's '+12 months' would give 1 March).
_FRUEH = "(CASE WHEN substr(e, 6, 5) = '02-29' THEN date(e, '+12 months', '-1 day') ELSE date(e, '+12 months') END)"

ZAEHLER_SQL: dict[str, str] = {
    "alle": "aktuell",
    "neu": "neu",
    "neu-ohne-brief": "neu AND NOT brief",
    "neu-ohne-kontakt": "neu AND NOT persoenlich",
    "faellig": "neu AND ({faellig})",
    "inaktiv": "aktuell AND e <= :inaktiv AND NOT aktiv",
    "ohne-kontakt": "aktuell AND NOT kontakt",
    "ausgetreten": "NOT aktuell",
    "frueh-ausgetreten": f"NOT aktuell AND a IS NOT NULL AND a <= {_FRUEH}",
    "jubilaeum": "aktuell AND (:jahr - CAST(substr(e, 1, 4) AS INTEGER)) IN ({jubilaeen})",
    "ohne-pate": "neu AND NOT pate",
    "will-austreten": "aktuell AND nachfassen = 'will_austreten'",
    "rueckruf": "aktuell AND nachfassen = 'rueckruf'",
}


def nummern(conn: sqlite3.Connection, g: Grenzen, name: str) -> list[str]:
    """The numbers of the members of a built-in segment."""
    sql, params = _merkmale_sql(g, f"SELECT nr FROM f WHERE {ZAEHLER_SQL[name]}")
    return [r[0] for r in conn.execute(sql, params)]


def zaehlen(conn: sqlite3.Connection, g: Grenzen) -> tuple[list[str], dict[str, dict[str, int]]]:
    """The Ortsvereine of the population, and ``{segment: {ortsverein: count}}`` of every built-in segment
    (Ortsvereine with none left out), computed by SQLite in one pass over the members and their contacts."""
    zaehler = ", ".join(f"sum({ausdruck})" for ausdruck in ZAEHLER_SQL.values())
    sql, params = _merkmale_sql(g, f"SELECT ov, {zaehler} FROM f GROUP BY ov")
    counts: dict[str, dict[str, int]] = {name: {} for name in ZAEHLER_SQL}
    ortsvereine = []
    for row in conn.execute(sql, params):
        ortsvereine.append(row[0])
        for name, n in zip(ZAEHLER_SQL, row[1:]):
            if n:
                counts[name][row[0]] = n
    return ortsvereine, counts


def _merkmale_sql(g: Grenzen, abfrage: str) -> tuple[str, dict[str, object]]:
    """The query of the members' facts (:data:`_MERKMALE_SQL`) ending in ``abfrage`` over them (``f``)."""
    params: dict[str, object] = {
        "tag": g.tag.isoformat(),
        "seit": dt.add_months(g.tag, -12).isoformat(),
        "neu": g.neu.isoformat(),
        "inaktiv": g.inaktiv.isoformat(),
        "kontakt": g.kontakt.isoformat(),
        "vorlauf": g.vorlauf.isoformat(),
        "jahr": g.tag.year,
        "erreicht": ERREICHT,
        "pate": PATE,
        "anruf": ANRUF,
    }
    # the rules of kontaktarten, in SQL over ``kk`` (where ``erreicht`` is the column computed once per contact)
    persoenlich, p_params = passt_sql(PERSOENLICH, "p", erreicht="erreicht")
    aktiv, a_params = passt_sql(AKTIVITAET, "a", erreicht="erreicht")
    params.update(p_params | a_params)
    schritte, spalten, faellig = [], [], []
    for i, (frist, arten, anzahl, _name) in enumerate(g.schritte):
        bedingung, s_params = passt_sql(arten, f"s{i}_", erreicht="erreicht")
        params.update(s_params)
        schritte.append(f",\n           sum(d >= e AND {bedingung}) AS schritt{i}")
        spalten.append(f", coalesce(agg.schritt{i}, 0) AS schritt{i}")
        params[f"frist{i}"] = f"+{frist.days} days"
        params[f"anzahl{i}"] = anzahl
        faellig.append(f"(date(e, :frist{i}) <= :vorlauf AND schritt{i} < :anzahl{i})")
    sql = _MERKMALE_SQL.format(
        aktiv_am=speicher.AKTIV_AM,
        erreicht=erreicht_sql("k.art", "k.ergebnis"),
        persoenlich=persoenlich,
        aktiv=aktiv,
        schritte="".join(schritte),
        schritt_spalten="".join(spalten),
        abfrage=abfrage.format(faellig=" OR ".join(faellig) or "0", jubilaeen=", ".join(map(str, JUBILAEEN))),
    )
    return sql, params
