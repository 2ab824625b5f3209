"""Segments: who belongs to a group of members on the Stichtag ("neu", "inaktiv", "faellig", …).

Every rule is relative to ``ordner.stichtag`` and exact to the day. A member belongs to the store's population
on the Stichtag by :data:`speicher.AKTIV_AM` (joined on or before it, exit day after it); a contact dated after
the Stichtag does not count yet. Custom segments from ``[segmente.eigene.NAME]`` narrow a base segment.

Decisions (also in the README):

- ``neu``: Eintritt > Stichtag − ``neu_monate`` months (joined exactly 6 months before is no longer new).
- ``neu-ohne-kontakt``: no personal contact since Eintritt: a call with result "erreicht", or an attendance,
  talk or Parteibuch handover.
- ``faellig``: a step of ``[standard]`` whose deadline (Eintritt + ``frist_tage``) is at most
  ``faellig_vorlauf_tage`` days ahead (or past) and that has fewer than ``anzahl`` contacts of its kinds dated
  between Eintritt and Stichtag; the earliest such step is named.
- ``inaktiv``: member for at least ``inaktiv_monate`` months, no attendance and no reached call in the last
  ``inaktiv_monate`` months. Without any attendance or call ever imported the segment stays empty and warns.
- ``ohne-kontakt``: no contact of any kind (letter, e-mail, talk, attendance, Parteibuch, reached call) in the
  last ``kontakt_monate`` months; for newer members that means none since joining. Unanswered calls are no
  contact.
- ``ausgetreten``: exit day in the 12 months up to and including the Stichtag.
- ``frueh-ausgetreten``: of those, the ones whose exit day is at most 12 months after their Eintritt.
- ``jubilaeum``: current members whose Eintritt was 10, 25, 40, 50, 60 or 70 years before the Stichtag's year.
- ``ohne-pate``: ``neu`` and no contact of kind ``pate`` (a Pat*in assigned) dated on or before the Stichtag.
- ``will-austreten``, ``rueckruf``: current members whose last call (up to the Stichtag) had that result and
  who have no contact of any kind recorded on a later day (a contact on the call's own day is no follow-up:
  the order within a day is not known).
- ``versuche``: calls since the last reached call (what the call list's "Bisherige Versuche" shows).
- Ortsverein is the member's current Ortsverein in the store.
"""

from __future__ import annotations

import difflib
import json
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Any

from mitgliederarbeit import dateien as ausgabe
from mitgliederarbeit import datum as dt
from mitgliederarbeit.auswertung import abdeckung, segmentzaehlung
from mitgliederarbeit.auswertung.segmentregeln import REGELN, Grenzen, Kontakt, iso_date, merkmale
from mitgliederarbeit.bestand import speicher
from mitgliederarbeit.einlesen.normalisieren import telefon_anzeige
from mitgliederarbeit.errors import BedienFehler, KonfigFehler
from mitgliederarbeit.kontaktarten import erreicht
from mitgliederarbeit.ordner import Arbeitsordner

SEGMENTE: dict[str, str] = {
    "alle": "alle aktuellen Mitglieder",
    "neu": "Eintritt in den letzten {neu_monate} Monaten",
    "neu-ohne-brief": "neu, noch kein Brief erfasst",
    "neu-ohne-kontakt": "neu, noch kein persönlicher Kontakt (erreicht, Veranstaltung, Gespräch, Parteibuch)",
    "faellig": "neu, ein Schritt des Einarbeitungs-Standards ist in {faellig_vorlauf_tage} Tagen fällig "
    "oder überfällig",
    "inaktiv": "seit mindestens {inaktiv_monate} Monaten Mitglied, in dieser Zeit weder Teilnahme noch "
    "erreichter Anruf",
    "ohne-kontakt": "seit {kontakt_monate} Monaten keinerlei Kontakt (für regelmäßige Anrufe bei allen)",
    "ausgetreten": "in den letzten 12 Monaten ausgetreten",
    "frueh-ausgetreten": "in den letzten 12 Monaten ausgetreten, höchstens 12 Monate nach dem Eintritt",
    "jubilaeum": "10, 25, 40, 50, 60 oder 70 Jahre Mitglied im Jahr des Stichtags",
    "ohne-pate": "neu, noch keine Pat*in erfasst",
    "will-austreten": "letzter Anruf: will austreten, seitdem kein Kontakt erfasst",
    "rueckruf": "letzter Anruf: Rückruf vereinbart, seitdem kein Kontakt erfasst",
}


class SegmentWarnung(str, Enum):
    """What makes a segment's count say less than it seems; :mod:`mitgliederarbeit.cli.darstellung` says it."""

    INAKTIV_OHNE_AKTIVITAET = (
        "inaktiv-ohne-aktivitaet"  # no attendance or call imported: "inaktiv" stays empty
    )
    OHNE_KONTAKTE_ERFASST = "ohne-kontakte-erfasst"  # no contact recorded at all: everyone is "ohne-kontakt"


@dataclass
class SegmentErgebnis:
    """The members of one segment on the Stichtag.

    ``mitglieder`` holds dicts with the store's ``mitglieder`` columns as stored (dates as ISO text) plus computed
    fields: ``alter`` (int or None), ``faelliger_schritt`` (str or None), ``faellig_am`` (date or None),
    ``faellige_schritte`` (list of step names), ``versuche`` (calls since the last reached call),
    ``letzter_anruf`` (date or None), ``letzter_kontakt`` (date or None), ``jubilaeum`` (years or None).
    """

    name: str
    beschreibung: str
    stichtag: date
    mitglieder: list[dict[str, Any]] = field(default_factory=list)
    warnungen: list[SegmentWarnung] = field(default_factory=list)
    ortsvereine: list[str] | None = None
    ordner: Arbeitsordner | None = field(default=None, repr=False)
    schon_erreicht: int | None = None  # with ``auswaehlen(..., schon_erreicht=True)``

    @property
    def anzahl(self) -> int:
        return len(self.mitglieder)

    def as_json(self) -> dict[str, Any]:
        return {
            "segment": self.name,
            "anzahl": self.anzahl,
            "stichtag": self.stichtag.isoformat(),
            "warnungen": self.warnungen,
            "abdeckung": abdeckung.segment_json(self.ordner, _basis(self.name, self.ordner.config))
            if self.ordner
            else None,
            "mitglieder": [_json_zeile(m) for m in self.mitglieder],
        }


class Zaehlung(dict):
    """``{segment: count}`` or ``{segment: {ortsverein: count}}``, with the warnings of the segments."""

    warnungen: list[SegmentWarnung]


# --------------------------------------------------------------------------------------------------------------
# names and descriptions
# --------------------------------------------------------------------------------------------------------------


def namen(config: dict[str, Any]) -> list[str]:
    """Every segment name: the built-in ones, then the custom ones of the config (built-in names win)."""
    return [*SEGMENTE, *(n for n in config["segmente"]["eigene"] if n not in SEGMENTE)]


def beschreibung(name: str, config: dict[str, Any]) -> str:
    """The German one-line description of a segment, with the thresholds of the config filled in."""
    if name in SEGMENTE:
        werte = {k: v for k, v in config["segmente"].items() if not isinstance(v, dict)}
        return SEGMENTE[name].format(**werte)
    eigen = config["segmente"]["eigene"][name]
    return eigen["beschreibung"] or f"eigenes Segment (Basis: {eigen['basis']})"


def pruefen(name: str, config: dict[str, Any]) -> str:
    """The segment's name if it exists; else a usage error listing the segments and the closest match."""
    alle = namen(config)
    if name in alle:
        return name
    lower = name.strip().lower()
    if lower in alle:
        return lower
    nah = difflib.get_close_matches(lower, alle, n=1, cutoff=0.5)
    vorschlag = f" Meinten Sie „{nah[0]}“?" if nah else ""
    raise BedienFehler(
        f"Das Segment „{name}“ gibt es nicht.{vorschlag}",
        hint=f"Vorhandene Segmente: {', '.join(alle)}. Eigene Segmente in mitglieder.toml unter "
        "[segmente.eigene.NAME].",
    )


# --------------------------------------------------------------------------------------------------------------
# the population on the Stichtag
# --------------------------------------------------------------------------------------------------------------


@dataclass
class _Bestand:
    """Current members and those who left within 12 months, with their contacts up to the Stichtag."""

    tag: date
    mitglieder: list[dict[str, Any]]
    aktivitaet_erfasst: bool  # any attendance or call ever imported
    kontakte_erfasst: bool  # any contact ever recorded
    ortsvereine: list[str]  # every Ortsverein the store knows


def _laden(
    conn: sqlite3.Connection,
    tag: date,
    config: dict[str, Any],
    *,
    ohne_erreicht: bool = False,
    nur: Iterable[str] | None = None,
    eintritt_nach: date | None = None,
) -> _Bestand:
    """The population on ``tag``; ``ohne_erreicht`` pretends no call ever reached anyone, ``nur`` limits members.

    ``eintritt_nach`` leaves out everyone who joined on or before that day: for the segments of new members,
    which need none of them, so a large store need not be read whole.
    """
    auswahl = _Auswahl(tag, eintritt_nach, nur)
    spalten, rows = _mitglieder_lesen(conn, auswahl)
    kontakte = _kontakte_lesen(conn, auswahl, ohne_erreicht=ohne_erreicht)
    grenzen = Grenzen.aus(tag, config)
    nr_index = spalten.index("nr")
    mitglieder = [merkmale(dict(zip(spalten, row)), kontakte.get(row[nr_index], ()), grenzen) for row in rows]
    aktivitaet = conn.execute("SELECT 1 FROM kontakte WHERE art IN ('teilnahme', 'anruf') LIMIT 1").fetchone()
    irgendein = conn.execute("SELECT 1 FROM kontakte LIMIT 1").fetchone()
    ortsvereine = [r[0] for r in conn.execute("SELECT DISTINCT ortsverein FROM mitglieder ORDER BY 1")]
    return _Bestand(tag, mitglieder, bool(aktivitaet), bool(irgendein), ortsvereine)


@dataclass(frozen=True)
class _Auswahl:
    """Which members :func:`_laden` reads: the population on ``tag``, only those who joined after
    ``eintritt_nach`` (if given) and only the numbers in ``nur`` (if given)."""

    tag: date
    eintritt_nach: date | None = None
    nur: Iterable[str] | None = None

    def sql(self, spalte: str) -> tuple[str, dict[str, object]]:
        """The conditions on the member number ``spalte`` and their parameters."""
        bedingung = ""
        params: dict[str, object] = {"tag": self.tag.isoformat(), "nach": dt.iso(self.eintritt_nach)}
        if self.eintritt_nach:
            bedingung += f" AND {spalte} IN (SELECT nr FROM mitglieder WHERE eintrittsdatum > :nach)"
        if self.nur is not None:
            bedingung += f" AND {spalte} IN (SELECT value FROM json_each(:nur))"
            params["nur"] = json.dumps(sorted(self.nur))
        return bedingung, params


def _mitglieder_lesen(conn: sqlite3.Connection, auswahl: _Auswahl) -> tuple[list[str], list[tuple[Any, ...]]]:
    """(columns, rows) of the current members and of those who left within 12 months."""
    bedingung, params = auswahl.sql("m.nr")
    params["seit"] = dt.add_months(auswahl.tag, -12).isoformat()
    cursor = conn.cursor()
    cursor.row_factory = None  # plain tuples: dict(zip(...)) is twice as fast as dict(sqlite3.Row)
    cursor.execute(
        f"""SELECT m.* FROM mitglieder m
            WHERE m.anonymisiert = 0 AND m.eintrittsdatum <= :tag{bedingung}
              AND ({speicher.AKTIV_AM} OR (m.austrittsdatum > :seit AND m.austrittsdatum <= :tag))""",
        params,
    )
    return [d[0] for d in cursor.description], cursor.fetchall()


def _kontakte_lesen(
    conn: sqlite3.Connection, auswahl: _Auswahl, *, ohne_erreicht: bool
) -> dict[str, list[Kontakt]]:
    """Each member's contacts up to ``tag``, oldest first (in the order recorded within a day)."""
    bedingung, params = auswahl.sql("nr")
    kontakte: dict[str, list[Kontakt]] = {}
    for nr, art, datum, ergebnis in conn.execute(
        f"SELECT nr, art, datum, ergebnis FROM kontakte WHERE datum <= :tag{bedingung} ORDER BY datum, id",
        params,
    ):
        day = iso_date(datum)
        if ohne_erreicht and erreicht(art, ergebnis):
            continue
        if day is not None:
            kontakte.setdefault(nr, []).append((art, day, ergebnis))
    return kontakte


# the segments whose rule asks for ``_neu``: only members who joined within ``neu_monate`` can belong to them
_NUR_NEUE = {"neu", "neu-ohne-brief", "neu-ohne-kontakt", "faellig", "ohne-pate"}


# --------------------------------------------------------------------------------------------------------------
# custom segments
# --------------------------------------------------------------------------------------------------------------


def _konfig_datum(name: str, key: str, value: str) -> date | None:
    if not value:
        return None
    try:
        return dt.parse_datum(value)
    except dt.UngueltigesDatum:
        raise KonfigFehler(
            f"mitglieder.toml: „segmente.eigene.{name}.{key}“ = „{value}“ ist kein Datum (z. B. 01.01.2026)."
        ) from None


def _telefon_da(m: dict[str, Any]) -> bool:
    return bool((m["telefon"] and not m["telefon_falsch"]) or (m["mobil"] and not m["mobil_falsch"]))


def _interessen(m: dict[str, Any]) -> list[str]:
    return [i.strip().casefold() for i in (m.get("interessen") or "").split(",") if i.strip()]


def _eigene_regel(
    name: str, config: dict[str, Any], bestand: _Bestand, kette: tuple[str, ...] = ()
) -> Callable[[dict[str, Any]], bool]:
    """A custom segment's rule: its base segment's rule, narrowed by the filters of its config table."""
    eigen = config["segmente"]["eigene"][name]
    _basis_pruefen(name, eigen["basis"], config, kette)
    basis_regel = _regel(eigen["basis"], config, bestand, (*kette, name))
    filter_ = _Filter.aus(name, eigen, bestand.ortsvereine)
    return lambda m: basis_regel(m) and filter_.passt(m)


def _basis_pruefen(name: str, basis: str, config: dict[str, Any], kette: tuple[str, ...]) -> None:
    if basis == name or basis in kette:
        raise KonfigFehler(
            f"mitglieder.toml: „segmente.eigene.{name}.basis“ verweist im Kreis auf „{basis}“."
        )
    if basis not in namen(config):
        nah = difflib.get_close_matches(basis, namen(config), n=1, cutoff=0.5)
        raise KonfigFehler(
            f"mitglieder.toml: „segmente.eigene.{name}.basis“: das Segment „{basis}“ gibt es nicht."
            + (f" Meinten Sie „{nah[0]}“?" if nah else "")
        )


@dataclass(frozen=True)
class _Filter:
    """The narrowing of a custom segment (``[segmente.eigene.NAME]``), checked and normalized once."""

    ov: set[str]
    ub: set[str]
    geschlecht: set[str]
    von: int
    bis: int
    eintritt_von: date | None
    eintritt_bis: date | None
    interessen: list[str]
    eigen: dict[str, Any]  # the flags mit_telefon, mit_email, mit_anschrift

    @classmethod
    def aus(cls, name: str, eigen: dict[str, Any], bekannt: list[str]) -> _Filter:
        ortsvereine = _ortsvereine_pruefen(eigen["ortsverein"], bekannt, f"segmente.eigene.{name}")
        return cls(
            ov={o.casefold() for o in ortsvereine},
            ub={u.strip().casefold() for u in eigen["unterbezirk"]},
            geschlecht={g.strip().lower()[:1] for g in eigen["geschlecht"]},
            von=eigen["alter_von"],
            bis=eigen["alter_bis"],
            eintritt_von=_konfig_datum(name, "eintritt_von", eigen["eintritt_von"]),
            eintritt_bis=_konfig_datum(name, "eintritt_bis", eigen["eintritt_bis"]),
            interessen=[i.strip().casefold() for i in eigen["interessen"] if i.strip()],
            eigen=eigen,
        )

    def passt(self, m: dict[str, Any]) -> bool:
        return self._person(m) and self._erreichbar(m)

    def _person(self, m: dict[str, Any]) -> bool:
        """Ortsverein, Unterbezirk, gender, age, Eintritt."""
        if self.ov and m["ortsverein"].casefold() not in self.ov:
            return False
        if self.ub and (m["unterbezirk"] or "").casefold() not in self.ub:
            return False
        if self.geschlecht and (m["geschlecht"] or "u") not in self.geschlecht:
            return False
        if (self.von or self.bis) and m["alter"] is None:
            return False
        if (self.von and m["alter"] < self.von) or (self.bis and m["alter"] > self.bis):
            return False
        if self.eintritt_von and m["_eintritt"] < self.eintritt_von:
            return False
        return not (self.eintritt_bis and m["_eintritt"] > self.eintritt_bis)

    def _erreichbar(self, m: dict[str, Any]) -> bool:
        """Phone, e-mail, address, interests."""
        if self.eigen["mit_telefon"] and not _telefon_da(m):
            return False
        if self.eigen["mit_email"] and not m["email"]:
            return False
        if self.eigen["mit_anschrift"] and not (m["strasse"] and m["plz"] and m["ort"]):
            return False
        if self.interessen:
            hat = _interessen(m)
            return any(w in h for w in self.interessen for h in hat)
        return True


def _regel(
    name: str, config: dict[str, Any], bestand: _Bestand, kette: tuple[str, ...] = ()
) -> Callable[[dict[str, Any]], bool]:
    if name in REGELN:
        return REGELN[name]
    return _eigene_regel(name, config, bestand, kette)


def _basis(name: str, config: dict[str, Any]) -> str | None:
    """The built-in segment at the root of a custom segment, or the name itself."""
    seen: set[str] = set()
    while name not in SEGMENTE and name in config["segmente"]["eigene"] and name not in seen:
        seen.add(name)
        name = config["segmente"]["eigene"][name]["basis"]
    return name if name in SEGMENTE else None


def _warnungen(name: str, config: dict[str, Any], bestand: _Bestand) -> list[SegmentWarnung]:
    root = _basis(name, config)
    if root == "inaktiv" and not bestand.aktivitaet_erfasst:
        return [SegmentWarnung.INAKTIV_OHNE_AKTIVITAET]
    if root == "ohne-kontakt" and not bestand.kontakte_erfasst:
        return [SegmentWarnung.OHNE_KONTAKTE_ERFASST]
    return []


# --------------------------------------------------------------------------------------------------------------
# Ortsverein filter
# --------------------------------------------------------------------------------------------------------------


def _ortsvereine_pruefen(gewuenscht: Iterable[str], bekannt: list[str], option: str) -> list[str]:
    """Map the given names to the store's Ortsvereine (case-insensitive); unknown ones are a usage error."""
    result = []
    by_fold = {o.casefold(): o for o in bekannt}
    for name in gewuenscht:
        name = name.strip()
        if not name:
            continue
        if name.casefold() in by_fold:
            result.append(by_fold[name.casefold()])
            continue
        nah = difflib.get_close_matches(name, bekannt, n=3, cutoff=0.6)
        nah += [o for o in bekannt if name.casefold() in o.casefold() and o not in nah]
        vorschlag = f" Meinten Sie {' oder '.join(f'„{n}“' for n in nah[:3])}?" if nah else ""
        fehler = KonfigFehler if option.startswith("segmente.") else BedienFehler
        raise fehler(
            f"{option}: den Ortsverein „{name}“ gibt es im Datenbestand nicht.{vorschlag}",
            hint=f"Vorhandene Ortsvereine: {', '.join(bekannt)}." if bekannt else None,
        )
    return result


# --------------------------------------------------------------------------------------------------------------
# public API
# --------------------------------------------------------------------------------------------------------------


def _bestand(ordner: Arbeitsordner) -> _Bestand:
    store = speicher.oeffnen(ordner.pfad)
    try:
        return _laden(store.conn, ordner.stichtag, ordner.config)
    finally:
        store.close()


def _sortieren(mitglieder: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(
        mitglieder,
        key=lambda m: (
            m["ortsverein"].casefold(),
            (m["nachname"] or "").casefold(),
            (m["vorname"] or "").casefold(),
        ),
    )


def _oeffentlich(mitglieder: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The members without the fields that start with ``_`` (only for the rules).

    Every member has the same keys: which of them are public is decided once, not per member.
    """
    if not mitglieder:
        return []
    intern = [k for k in mitglieder[0] if k.startswith("_")]
    result = []
    for m in mitglieder:
        m = m.copy()  # a copy and a few deletions: faster than building the dict key by key
        for k in intern:
            del m[k]
        result.append(m)
    return result


def auswaehlen(
    ordner: Arbeitsordner, name: str, *, ortsverein: list[str] | None = None, schon_erreicht: bool = False
) -> SegmentErgebnis:
    """The members of a segment on the Stichtag, optionally only of some Ortsvereine.

    With ``schon_erreicht`` the result also counts the members who are not in the segment only because a call
    reached them (what a call list reports as "schon erreicht").
    """
    config = ordner.config
    name = pruefen(name, config)
    tag = ordner.stichtag
    # a custom segment narrows its base, so one built on a segment of new members holds only new members too
    nach = (
        dt.add_months(tag, -config["segmente"]["neu_monate"]) if _basis(name, config) in _NUR_NEUE else None
    )
    store = speicher.oeffnen(ordner.pfad)
    try:
        # the rules run only on the members SQL finds in the (base) segment: full rows only for those listed;
        # the members reached by a call are needed whole for what a call list reports as "schon erreicht"
        basis = _basis(name, config)
        vorauswahl = (
            None
            if schon_erreicht or basis is None
            else segmentzaehlung.nummern(store.conn, Grenzen.aus(tag, config), basis)
        )
        bestand = _laden(store.conn, tag, config, eintritt_nach=nach, nur=vorauswahl)
        result = _auswaehlen(ordner, bestand, name, ortsverein)
        if schon_erreicht:
            erreichte = {m["nr"] for m in bestand.mitglieder if m["_je_erreicht"]}
            result.schon_erreicht = 0
            if erreichte:
                ohne = _laden(store.conn, tag, config, ohne_erreicht=True, nur=erreichte, eintritt_nach=nach)
                jetzt = {m["nr"] for m in result.mitglieder}
                sonst = {m["nr"] for m in _auswaehlen(ordner, ohne, name, ortsverein).mitglieder}
                result.schon_erreicht = len(sonst - jetzt)
    finally:
        store.close()
    return result


def _auswaehlen(
    ordner: Arbeitsordner, bestand: _Bestand, name: str, ortsverein: list[str] | None
) -> SegmentErgebnis:
    config = ordner.config
    gewaehlt = _ortsvereine_pruefen(ortsverein or [], bestand.ortsvereine, "--ortsverein")
    regel = _regel(name, config, bestand)
    warnungen = _warnungen(name, config, bestand)
    if _basis(name, config) == "inaktiv" and not bestand.aktivitaet_erfasst:
        treffer: list[dict[str, Any]] = []
    else:
        ov = set(gewaehlt)
        treffer = [m for m in bestand.mitglieder if regel(m) and (not ov or m["ortsverein"] in ov)]
    return SegmentErgebnis(
        name=name,
        beschreibung=beschreibung(name, config),
        stichtag=ordner.stichtag,
        mitglieder=_oeffentlich(_sortieren(treffer)),
        warnungen=warnungen,
        ortsvereine=gewaehlt or None,
        ordner=ordner,
    )


def schon_erreicht(ordner: Arbeitsordner, name: str, *, ortsverein: list[str] | None = None) -> int:
    """How many members are not in the segment only because a call reached them."""
    return auswaehlen(ordner, name, ortsverein=ortsverein, schon_erreicht=True).schon_erreicht or 0


def zaehlen(
    ordner: Arbeitsordner, *, je_ortsverein: bool = False, ortsverein: list[str] | None = None
) -> Zaehlung:
    """Every segment with its count; with ``je_ortsverein`` (or ``ortsverein``) per Ortsverein.

    The built-in segments are counted in SQL (no Python object per member, see :func:`_zaehlen_sql`); custom
    segments, rare and narrow, by their rules on the members' rows.
    """
    config = ordner.config
    store = speicher.oeffnen(ordner.pfad)
    try:
        bestand = _bestand_kopf(store.conn, ordner.stichtag)
        gewaehlt = _ortsvereine_pruefen(ortsverein or [], bestand.ortsvereine, "--ortsverein")
        je_ov = je_ortsverein or bool(gewaehlt)
        ovs, eingebaut = segmentzaehlung.zaehlen(store.conn, Grenzen.aus(ordner.stichtag, config))
        eigene = [n for n in namen(config) if n not in SEGMENTE]
        if eigene:  # the custom segments' rules need the members' rows
            bestand = _laden(store.conn, ordner.stichtag, config)
    finally:
        store.close()
    spalten = gewaehlt or (sorted(ovs, key=str.casefold) if je_ortsverein else [])
    result = Zaehlung()
    result.warnungen = []
    for name in namen(config):
        warn = _warnungen(name, config, bestand)
        result.warnungen.extend(w for w in warn if w not in result.warnungen)
        leer = _basis(name, config) == "inaktiv" and not bestand.aktivitaet_erfasst
        je = {} if leer else eingebaut[name] if name in SEGMENTE else _je_ov(name, config, bestand)
        result[name] = {ov: je.get(ov, 0) for ov in spalten} if je_ov else sum(je.values())
    return result


def _bestand_kopf(conn: sqlite3.Connection, tag: date) -> _Bestand:
    """What the warnings and the Ortsverein check need, without the members' rows."""
    aktivitaet = conn.execute("SELECT 1 FROM kontakte WHERE art IN ('teilnahme', 'anruf') LIMIT 1").fetchone()
    irgendein = conn.execute("SELECT 1 FROM kontakte LIMIT 1").fetchone()
    ortsvereine = [r[0] for r in conn.execute("SELECT DISTINCT ortsverein FROM mitglieder ORDER BY 1")]
    return _Bestand(tag, [], bool(aktivitaet), bool(irgendein), ortsvereine)


def _je_ov(name: str, config: dict[str, Any], bestand: _Bestand) -> dict[str, int]:
    regel = _regel(name, config, bestand)
    counts: dict[str, int] = {}
    for m in bestand.mitglieder:
        if regel(m):
            counts[m["ortsverein"]] = counts.get(m["ortsverein"], 0) + 1
    return counts


# --------------------------------------------------------------------------------------------------------------
# the built-in segments counted in SQL
# --------------------------------------------------------------------------------------------------------------

# --------------------------------------------------------------------------------------------------------------
# export
# --------------------------------------------------------------------------------------------------------------


def hinweise(m: dict[str, Any]) -> str:
    """Blocks and flags of a member as a short German text ("kein Anruf, Telefon falsch")."""
    teile = []
    if m.get("kein_anruf") or m.get("sperre_anruf"):
        teile.append("kein Anruf")
    if m.get("keine_post"):
        teile.append("keine Post")
    if m.get("keine_email"):
        teile.append("keine E-Mail")
    if m.get("telefon_falsch"):
        teile.append("Telefon falsch")
    if m.get("mobil_falsch"):
        teile.append("Mobil falsch")
    if m.get("will_austreten"):
        teile.append(f"will austreten ({dt.de(iso_date(m['will_austreten']))})")
    return ", ".join(teile)


def _export_spalten(
    name: str, config: dict[str, Any]
) -> list[tuple[str, Callable[[dict[str, Any]], object]]]:
    spalten: list[tuple[str, Callable[[dict[str, Any]], object]]] = [
        ("Mitgliedsnummer", lambda m: m["mitgliedsnummer"]),
        ("Anrede", lambda m: m["anrede"]),
        ("Titel", lambda m: m["titel"]),
        ("Vorname", lambda m: m["vorname"]),
        ("Nachname", lambda m: m["nachname"]),
        ("Ortsverein", lambda m: m["ortsverein"]),
        ("Mitglied seit", lambda m: iso_date(m["eintrittsdatum"])),
        ("Alter", lambda m: m["alter"]),
        ("Telefon", lambda m: telefon_anzeige(m["telefon"] or "")),
        ("Mobil", lambda m: telefon_anzeige(m["mobil"] or "")),
        ("E-Mail", lambda m: m["email"]),
        ("Straße", lambda m: " ".join(p for p in (m["strasse"], m["hausnummer"]) if p)),
        ("Adresszusatz", lambda m: m["adresszusatz"]),
        ("PLZ", lambda m: m["plz"]),
        ("Ort", lambda m: m["ort"]),
        ("Hinweise", hinweise),
        ("Interessen", lambda m: m["interessen"]),
        ("Anrufversuche", lambda m: m["versuche"]),
        ("Letzter Anruf", lambda m: m["letzter_anruf"]),
        ("Letzter Kontakt", lambda m: m["letzter_kontakt"]),
    ]
    root = _basis(name, config)
    if root in ("faellig",):
        spalten += [
            ("Fälliger Schritt", lambda m: m["faelliger_schritt"]),
            ("Fällig am", lambda m: m["faellig_am"]),
        ]
    if root in ("ausgetreten", "frueh-ausgetreten"):
        spalten.append(("Ausgetreten am", lambda m: iso_date(m["austrittsdatum"])))
    if root == "jubilaeum":
        spalten.append(("Jubiläum (Jahre)", lambda m: m["jubilaeum"]))
    return spalten


def exportieren(ergebnis: SegmentErgebnis, path: Path | None = None, *, ueberschreiben: bool = False) -> Path:
    """Write the segment's members to xlsx or csv and log the output.

    Without ``path`` a new dated name under ``ausgabe/`` (``segment-neu-2026-09-01.xlsx``, ``…-2.xlsx`` if that
    exists); a named file that exists is replaced only with ``ueberschreiben``.
    """
    if ergebnis.ordner is None:
        raise ValueError("SegmentErgebnis ohne Arbeitsordner kann nicht exportiert werden")
    ordner = ergebnis.ordner
    if path is None:
        path = ordner.ausgabe_datei(f"segment-{ergebnis.name}", ".xlsx")
    elif path.exists() and not ueberschreiben:
        raise BedienFehler(
            f"{path} gibt es schon und wird nicht überschrieben.",
            hint="Zum Ersetzen --ueberschreiben angeben; ohne Dateinamen wählt --export einen freien Namen "
            "unter ausgabe/.",
        )
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise BedienFehler(f"--export {path.name}: bitte als .xlsx oder .csv speichern.")
    spalten = _export_spalten(ergebnis.name, ordner.config)
    tabelle = ausgabe.Tabelle(
        name=ergebnis.name[:31],
        spalten=[s for s, _ in spalten],
        zeilen=[[get(m) for _, get in spalten] for m in ergebnis.mitglieder],
    )
    if suffix == ".xlsx":
        # the metadata sheet lets ``import`` refuse this file: it is no snapshot of an Ortsverein
        meta = {"art": "segment", "segment": ergebnis.name, "stichtag": ergebnis.stichtag.isoformat()}
        ausgabe.xlsx(path, [tabelle], meta, ueberschreiben=ueberschreiben)
    else:
        ausgabe.tabelle_schreiben(path, tabelle, ueberschreiben=ueberschreiben)
    speicher.ausgaben_protokollieren(ordner.pfad, "segmente", ergebnis.name, [(path, ergebnis.anzahl)])
    return path


def _json_zeile(m: dict[str, Any]) -> dict[str, Any]:
    return {
        "mitgliedsnummer": m["mitgliedsnummer"],
        "vorname": m["vorname"],
        "nachname": m["nachname"],
        "ortsverein": m["ortsverein"],
        "unterbezirk": m["unterbezirk"],
        "eintrittsdatum": m["eintrittsdatum"],
        "austrittsdatum": m["austrittsdatum"],
        "alter": m["alter"],
        "faelliger_schritt": m["faelliger_schritt"],
        "faellig_am": dt.iso(m["faellig_am"]),
        "versuche": m["versuche"],
        "letzter_anruf": dt.iso(m["letzter_anruf"]),
        "letzter_kontakt": dt.iso(m["letzter_kontakt"]),
        "jubilaeum": m["jubilaeum"],
    }
