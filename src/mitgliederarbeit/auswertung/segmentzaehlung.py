"""The segments' queries: counting (one pass, no Python object per member: a national store has 400,000) and
picking members, both by the rules of :mod:`segmentregeln`; full rows only for the members listed (the terminal
shows the first few, in their order from SQL, and :func:`ueberblick` counts the rest)."""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import Any

from mitgliederarbeit.auswertung.segmentregeln import Grenzen, alter_sql, casefold, gueltig_sql, merkmale_sql
from mitgliederarbeit.datum import gespeicherter_tag

# The order a segment's members are listed in: Ortsverein, Nachname, Vorname (case-folded), then ``nr``.
_REIHENFOLGE = ("ortsverein", "nachname", "vorname")
# The same order in SQL, for listing only the first members: ``casefold`` is Python's (see :func:`_vorbereiten`),
# and SQLite compares text by its UTF-8 bytes, which is the order of code points, as Python compares ``str``.
_REIHENFOLGE_SQL = ", ".join(f"casefold(coalesce(m.{s}, ''))" for s in _REIHENFOLGE) + ", m.nr"


def reihenfolge(m: dict[str, Any]) -> tuple[str, ...]:
    """The sort key of a member's row: the order of :func:`mitglieder` (``_REIHENFOLGE_SQL`` in SQL)."""
    return (*((m[s] or "").casefold() for s in _REIHENFOLGE), m["nr"])


def _vorbereiten(conn: sqlite3.Connection) -> None:
    """The functions the rules call: case folding for the interests of custom segments."""
    conn.create_function("casefold", 1, casefold, deterministic=True)


def zaehlen(
    conn: sqlite3.Connection,
    g: Grenzen,
    regeln: dict[str, tuple[str, dict[str, object]]],
    *,
    je_ortsverein: bool = True,
) -> tuple[list[str], dict[str, dict[str, int]]]:
    """The Ortsvereine of the population, and ``{segment: {ortsverein: count}}`` of every segment of ``regeln``
    (name -> condition over ``f`` and ``m`` with its parameters; Ortsvereine with none left out).

    Without ``je_ortsverein`` only the totals: no Ortsvereine, and ``{segment: {"": count}}`` (a count of 0 left
    out), counted without sorting the members by Ortsverein.
    """
    _vorbereiten(conn)
    # FILTER, not sum(): most members are in few segments, so most rows skip most aggregates
    zaehler = ", ".join(f"count(*) FILTER (WHERE {bedingung})" for bedingung, _ in regeln.values())
    # the member's row only when a custom segment narrows by it
    join = " JOIN mitglieder m ON m.rowid = f.rid" if _braucht_m(regeln) else ""
    if je_ortsverein:
        abfrage = f"SELECT f.ov, {zaehler} FROM f{join} GROUP BY f.ov"
    else:
        abfrage = f"SELECT '', {zaehler} FROM f{join}"
    sql, params = merkmale_sql(g, abfrage)
    for _, p in regeln.values():
        params.update(p)
    counts: dict[str, dict[str, int]] = {name: {} for name in regeln}
    ortsvereine = []
    for row in conn.execute(sql, params):
        if je_ortsverein:
            ortsvereine.append(row[0])
        for name, n in zip(regeln, row[1:]):
            if n:
                counts[name][row[0]] = n
    return ortsvereine, counts


def _braucht_m(regeln: dict[str, tuple[str, dict[str, object]]]) -> bool:
    return any("m." in bedingung for bedingung, _ in regeln.values())


def nummern(
    conn: sqlite3.Connection,
    g: Grenzen,
    bedingung: str,
    params: dict[str, object],
    *,
    ohne_erreicht: bool = False,
    eintritt_nach: date | None = None,
) -> set[str]:
    """The numbers (``nr``) of the members who meet ``bedingung`` (over ``f`` and ``m``)."""
    _vorbereiten(conn)
    sql, alle = merkmale_sql(
        g,
        f"SELECT f.nr FROM f JOIN mitglieder m ON m.rowid = f.rid WHERE {bedingung}",
        ohne_erreicht=ohne_erreicht,
        eintritt_nach=eintritt_nach,
    )
    return {r[0] for r in conn.execute(sql, alle | params)}


def mitglieder(
    conn: sqlite3.Connection,
    g: Grenzen,
    bedingung: str,
    params: dict[str, object],
    *,
    eintritt_nach: date | None = None,
    erste: int | None = None,
) -> list[dict[str, Any]]:
    """The members who meet ``bedingung``, in the order of :func:`reihenfolge`: the store's columns (dates as ISO
    text) and what the rules computed; with ``erste`` only the first that many (sorted and cut in SQL, so a
    large segment builds no row for the members not asked for).

    ``alter`` (int or None), ``jubilaeum`` (years or None), ``versuche`` (calls since the last reached call),
    ``letzter_anruf`` and ``letzter_kontakt`` (date or None), ``faellige_schritte`` (the names of the steps open
    and due, in the standard's order), ``faelliger_schritt`` and ``faellig_am`` (the earliest of them).
    """
    _vorbereiten(conn)
    offen = "".join(f", f.offen{i}" for i in range(len(g.schritte)))
    # all of them sorted in Python (faster than SQLite sorting whole rows); the first few sorted in SQL
    schnitt = "" if erste is None else f"\n            ORDER BY {_REIHENFOLGE_SQL} LIMIT :erste"
    sql, alle = merkmale_sql(
        g,
        f"""SELECT m.*, {alter_sql("m.geburtsdatum")}, f.jubilaeum, coalesce(v.n, 0), f.letzter_anruf,
                   f.letzter_kontakt{offen}
            FROM f JOIN mitglieder m ON m.rowid = f.rid LEFT JOIN versuche v ON v.nr = f.nr
            WHERE {bedingung}{schnitt}""",
        eintritt_nach=eintritt_nach,
    )
    cursor = conn.cursor()
    cursor.row_factory = None  # plain tuples: dict(zip(...)) is twice as fast as dict(sqlite3.Row)
    cursor.execute(sql, alle | params | ({} if erste is None else {"erste": erste}))
    spalten = [d[0] for d in cursor.description][: -(5 + len(g.schritte))]
    n = len(spalten)
    result = []
    for row in cursor:
        m = dict(zip(spalten, row[:n]))
        m["alter"], m["jubilaeum"], m["versuche"] = row[n : n + 3]
        m["letzter_anruf"], m["letzter_kontakt"] = (
            gespeicherter_tag(row[n + 3]),
            gespeicherter_tag(row[n + 4]),
        )
        _faellig(m, row[n + 5 :], g)
        result.append(m)
    if erste is None:
        result.sort(key=reihenfolge)
    return result


def ueberblick(
    conn: sqlite3.Connection,
    g: Grenzen,
    bedingung: str,
    params: dict[str, object],
    *,
    eintritt_nach: date | None = None,
) -> tuple[int, frozenset[str]]:
    """How many members meet ``bedingung``, and which of the fields ``faelliger_schritt``, ``jubilaeum``,
    ``austrittsdatum`` and ``versuche`` at least one of them has set (truthy) in its row of :func:`mitglieder`:
    what a listing of only the first members needs to know of the rest, in one pass without their rows."""
    _vorbereiten(conn)
    offen = " OR ".join(f"f.offen{i}" for i in range(len(g.schritte))) or "0"
    gesetzt = {
        # as _faellig: a step open and due, and the Eintritt a day to count its deadline from
        "faelliger_schritt": f"({offen}) AND {gueltig_sql('m.eintrittsdatum')}",
        "jubilaeum": "f.jubilaeum IS NOT NULL",
        "austrittsdatum": "coalesce(m.austrittsdatum, '') <> ''",
        "versuche": "coalesce(v.n, 0) > 0",
    }
    spalten = "".join(f", max({ausdruck})" for ausdruck in gesetzt.values())
    sql, alle = merkmale_sql(
        g,
        f"""SELECT count(*){spalten}
            FROM f JOIN mitglieder m ON m.rowid = f.rid LEFT JOIN versuche v ON v.nr = f.nr
            WHERE {bedingung}""",
        eintritt_nach=eintritt_nach,
    )
    anzahl, *ja = conn.execute(sql, alle | params).fetchone()
    return anzahl, frozenset(feld for feld, j in zip(gesetzt, ja) if j)


def _faellig(m: dict[str, Any], offen: tuple[int, ...], g: Grenzen) -> None:
    """The steps open and due (by the rule in SQL), and the earliest of them (the first of equal deadlines)."""
    m["faellige_schritte"] = [schritt[3] for schritt, ja in zip(g.schritte, offen) if ja]
    # (a member whose join date is unknown is never due: the rule in SQL leaves ``offen`` all 0)
    eintritt = gespeicherter_tag(m["eintrittsdatum"])
    faellig = [
        (eintritt + schritt[0], schritt[3]) for schritt, ja in zip(g.schritte, offen) if ja and eintritt
    ]
    erster = min(faellig, key=lambda f: f[0]) if faellig else (None, None)
    m["faellig_am"], m["faelliger_schritt"] = erster
