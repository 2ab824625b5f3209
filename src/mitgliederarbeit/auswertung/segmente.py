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
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from mitgliederarbeit import dateien as ausgabe
from mitgliederarbeit import datum as dt
from mitgliederarbeit.bestand import speicher
from mitgliederarbeit.einlesen.normalisieren import telefon_anzeige
from mitgliederarbeit.errors import BedienFehler, KonfigFehler
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
JUBILAEEN = (10, 25, 40, 50, 60, 70)
PERSOENLICHE_ARTEN = ("teilnahme", "gespraech", "parteibuch")  # plus a call with result "erreicht"
ERREICHT = "erreicht"
PATE = "pate"  # the kind of contact that records a Pat*in assigned to a member
NACHFASSEN = ("will_austreten", "rueckruf")  # call results that ask for a follow-up


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
    warnungen: list[str] = field(default_factory=list)
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
            "mitglieder": [_json_zeile(m) for m in self.mitglieder],
        }


class Zaehlung(dict):
    """``{segment: count}`` or ``{segment: {ortsverein: count}}``, with the warnings of the segments."""

    warnungen: list[str]


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


def _iso_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None  # a birth date kept as written because it was invalid


@dataclass(frozen=True)
class _Grenzen:
    """The days the rules compare with, computed once per Stichtag and config."""

    tag: date
    neu: date  # joined after this day: new
    inaktiv: date
    kontakt: date
    vorlauf: date  # a step due on or before this day is "faellig"
    schritte: list[tuple[timedelta, list[str], int, str]]  # (deadline, kinds, how many, name) per step

    @classmethod
    def aus(cls, tag: date, config: dict[str, Any]) -> _Grenzen:
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


_Kontakt = tuple[str, date, "str | None"]  # (kind, day, result)


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
    grenzen = _Grenzen.aus(tag, config)
    nr_index = spalten.index("nr")
    mitglieder = [
        _merkmale(dict(zip(spalten, row)), kontakte.get(row[nr_index], ()), grenzen) for row in rows
    ]
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
) -> dict[str, list[_Kontakt]]:
    """Each member's contacts up to ``tag``, oldest first (in the order recorded within a day)."""
    bedingung, params = auswahl.sql("nr")
    kontakte: dict[str, list[_Kontakt]] = {}
    for nr, art, datum, ergebnis in conn.execute(
        f"SELECT nr, art, datum, ergebnis FROM kontakte WHERE datum <= :tag{bedingung} ORDER BY datum, id",
        params,
    ):
        day = _iso_date(datum)
        if ohne_erreicht and art == "anruf" and ergebnis == ERREICHT:
            continue
        if day is not None:
            kontakte.setdefault(nr, []).append((art, day, ergebnis))
    return kontakte


def _merkmale(m: dict[str, Any], alle: Sequence[_Kontakt], g: _Grenzen) -> dict[str, Any]:
    """The member's row with what the rules ask: fields starting with ``_`` for the rules only."""
    eintritt = date.fromisoformat(m["eintrittsdatum"])
    austritt = _iso_date(m["austrittsdatum"])
    aktuell = austritt is None or austritt > g.tag
    geburt = _iso_date(m["geburtsdatum"])
    m["_eintritt"] = eintritt
    m["_austritt"] = austritt
    m["_aktuell"] = aktuell
    m["alter"] = dt.years_between(geburt, g.tag) if geburt else None
    m["_neu"] = aktuell and eintritt > g.neu
    eigene = [k for k in alle if k[1] >= eintritt] if alle else []
    if alle:
        _kontaktmerkmale(m, alle, eigene, g)
    else:  # most members of a large store: nothing recorded yet, so nothing to look through
        m["_brief"] = m["_persoenlich"] = m["_erreicht"] = m["_je_erreicht"] = m["_pate"] = False
        m["versuche"] = 0
        m["letzter_anruf"] = m["letzter_kontakt"] = m["_nachfassen"] = None
        m["_inaktiv"] = aktuell and eintritt <= g.inaktiv
        m["_ohne_kontakt"] = aktuell
    _faellig(m, eigene, g)
    jahre = g.tag.year - eintritt.year
    m["jubilaeum"] = jahre if aktuell and jahre in JUBILAEEN else None
    m["_ausgetreten"] = not aktuell
    m["_frueh"] = austritt is not None and not aktuell and austritt <= dt.add_months(eintritt, 12)
    return m


def _kontaktmerkmale(
    m: dict[str, Any], alle: Sequence[_Kontakt], eigene: list[_Kontakt], g: _Grenzen
) -> None:
    """Letters, personal contacts, calls and their attempts, the last contact, activity, the open follow-up."""
    aktuell = m["_aktuell"]
    m["_brief"] = any(k[0] == "brief" for k in eigene)
    m["_persoenlich"] = any(_persoenlich(k) for k in eigene)
    m["_erreicht"] = any(k[0] == "anruf" and k[2] == ERREICHT for k in eigene)
    m["_pate"] = any(k[0] == PATE for k in alle)
    anrufe = [k for k in alle if k[0] == "anruf"]
    m["_je_erreicht"] = any(k[2] == ERREICHT for k in anrufe)
    versuche = 0
    for k in anrufe:
        versuche = 0 if k[2] == ERREICHT else versuche + 1
    m["versuche"] = versuche
    m["letzter_anruf"] = anrufe[-1][1] if anrufe else None
    # the last call's result, if it asks for a follow-up and nothing was recorded on a later day
    m["_nachfassen"] = (
        anrufe[-1][2] if anrufe and anrufe[-1][2] in NACHFASSEN and alle[-1][1] <= anrufe[-1][1] else None
    )
    echte = [k for k in eigene if k[0] != "anruf" or k[2] == ERREICHT]
    m["letzter_kontakt"] = echte[-1][1] if echte else None
    m["_inaktiv"] = (
        aktuell
        and m["_eintritt"] <= g.inaktiv
        and not any(
            k[1] > g.inaktiv and (k[0] == "teilnahme" or (k[0] == "anruf" and k[2] == ERREICHT))
            for k in eigene
        )
    )
    m["_ohne_kontakt"] = aktuell and not any(k[1] > g.kontakt for k in echte)


def _faellig(m: dict[str, Any], eigene: list[_Kontakt], g: _Grenzen) -> None:
    """The steps of the standard a new member is due for, and the earliest of them."""
    m["faellige_schritte"] = []
    m["faelliger_schritt"] = None
    m["faellig_am"] = None
    if not m["_neu"]:
        return
    for frist_tage, arten, anzahl, schritt_name in g.schritte:
        frist = m["_eintritt"] + frist_tage
        if frist > g.vorlauf:
            continue
        erfuellt = sum(1 for k in eigene if _passt(k, arten)) if eigene else 0
        if erfuellt < anzahl:
            m["faellige_schritte"].append(schritt_name)
            if m["faellig_am"] is None or frist < m["faellig_am"]:
                m["faellig_am"], m["faelliger_schritt"] = frist, schritt_name


def _persoenlich(kontakt: tuple[str, date, str | None]) -> bool:
    art, _, ergebnis = kontakt
    return art in PERSOENLICHE_ARTEN or (art == "anruf" and ergebnis == ERREICHT)


def _passt(kontakt: tuple[str, date, str | None], arten: Iterable[str]) -> bool:
    art, _, ergebnis = kontakt
    return art in arten or ("anruf_erreicht" in arten and art == "anruf" and ergebnis == ERREICHT)


_REGELN: dict[str, Callable[[dict[str, Any]], bool]] = {
    "alle": lambda m: m["_aktuell"],
    "neu": lambda m: m["_neu"],
    "neu-ohne-brief": lambda m: m["_neu"] and not m["_brief"],
    "neu-ohne-kontakt": lambda m: m["_neu"] and not m["_persoenlich"],
    "faellig": lambda m: m["faelliger_schritt"] is not None,
    "inaktiv": lambda m: m["_inaktiv"],
    "ohne-kontakt": lambda m: m["_ohne_kontakt"],
    "ausgetreten": lambda m: m["_ausgetreten"],
    "frueh-ausgetreten": lambda m: m["_frueh"],
    "jubilaeum": lambda m: m["jubilaeum"] is not None,
    "ohne-pate": lambda m: m["_neu"] and not m["_pate"],
    "will-austreten": lambda m: m["_aktuell"] and m["_nachfassen"] == "will_austreten",
    "rueckruf": lambda m: m["_aktuell"] and m["_nachfassen"] == "rueckruf",
}
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
    if name in _REGELN:
        return _REGELN[name]
    return _eigene_regel(name, config, bestand, kette)


def _basis(name: str, config: dict[str, Any]) -> str | None:
    """The built-in segment at the root of a custom segment, or the name itself."""
    seen: set[str] = set()
    while name not in SEGMENTE and name in config["segmente"]["eigene"] and name not in seen:
        seen.add(name)
        name = config["segmente"]["eigene"][name]["basis"]
    return name if name in SEGMENTE else None


def _warnungen(name: str, config: dict[str, Any], bestand: _Bestand) -> list[str]:
    root = _basis(name, config)
    if root == "inaktiv" and not bestand.aktivitaet_erfasst:
        return [
            "„inaktiv“ lässt sich noch nicht bestimmen: es wurden noch keine Teilnahme- oder Anruflisten "
            "importiert. Ohne diese Daten wäre jedes Mitglied „inaktiv“ – das Segment bleibt daher leer. "
            "Bitte zuerst Teilnahmelisten oder ausgefüllte Anruflisten importieren (mitglieder import)."
        ]
    if root == "ohne-kontakt" and not bestand.kontakte_erfasst:
        return [
            "Es wurden noch keine Kontakte erfasst (Briefe, Anrufe, Teilnahmen) – deshalb gilt hier jedes "
            "Mitglied als „ohne Kontakt“."
        ]
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
            else _nummern_sql(store.conn, _Grenzen.aus(tag, config), basis)
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
        ovs, eingebaut = _zaehlen_sql(store.conn, _Grenzen.aus(ordner.stichtag, config))
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
           (k.art = 'anruf' AND k.ergebnis = :erreicht) AS erreicht
    FROM kontakte k JOIN pop p ON p.nr = k.nr
    WHERE +k.datum <= :tag AND date(substr(k.datum, 1, 10)) = substr(k.datum, 1, 10)
),
agg AS MATERIALIZED (
    SELECT nr,
           max(d >= e AND art = 'brief') AS brief,
           max(d >= e AND (art IN ({persoenlich}) OR erreicht)) AS persoenlich,
           max(art = :pate) AS pate,
           max(d >= e AND d > :inaktiv AND (art = 'teilnahme' OR erreicht)) AS aktiv,
           max(d >= e AND d > :kontakt AND (art <> 'anruf' OR erreicht)) AS kontakt,
           max(d) AS letzter_tag,
           -- the last call in the order of (datum, id): its id after the date, for the join below
           max(CASE WHEN art = 'anruf' THEN datum || char(1) || printf('%020d', id) END) AS letzter_anruf{schritte}
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

_ZAEHLER_SQL: dict[str, str] = {
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


def _nummern_sql(conn: sqlite3.Connection, g: _Grenzen, name: str) -> list[str]:
    """The numbers of the members of a built-in segment."""
    sql, params = _merkmale_sql(g, f"SELECT nr FROM f WHERE {_ZAEHLER_SQL[name]}")
    return [r[0] for r in conn.execute(sql, params)]


def _zaehlen_sql(conn: sqlite3.Connection, g: _Grenzen) -> tuple[list[str], dict[str, dict[str, int]]]:
    """The Ortsvereine of the population, and ``{segment: {ortsverein: count}}`` of every built-in segment
    (Ortsvereine with none left out), computed by SQLite in one pass over the members and their contacts."""
    zaehler = ", ".join(f"sum({ausdruck})" for ausdruck in _ZAEHLER_SQL.values())
    sql, params = _merkmale_sql(g, f"SELECT ov, {zaehler} FROM f GROUP BY ov")
    counts: dict[str, dict[str, int]] = {name: {} for name in _ZAEHLER_SQL}
    ortsvereine = []
    for row in conn.execute(sql, params):
        ortsvereine.append(row[0])
        for name, n in zip(_ZAEHLER_SQL, row[1:]):
            if n:
                counts[name][row[0]] = n
    return ortsvereine, counts


def _merkmale_sql(g: _Grenzen, abfrage: str) -> tuple[str, dict[str, object]]:
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
    }
    persoenlich = ", ".join(f":p{i}" for i in range(len(PERSOENLICHE_ARTEN)))
    params.update({f"p{i}": art for i, art in enumerate(PERSOENLICHE_ARTEN)})
    schritte, spalten, faellig = [], [], []
    for i, (frist, arten, anzahl, _name) in enumerate(g.schritte):
        namen_arten = ", ".join(f":s{i}_{j}" for j in range(len(arten)))
        params.update({f"s{i}_{j}": art for j, art in enumerate(arten)})
        erreicht = " OR erreicht" if "anruf_erreicht" in arten else ""
        schritte.append(f",\n           sum(d >= e AND (art IN ({namen_arten}){erreicht})) AS schritt{i}")
        spalten.append(f", coalesce(agg.schritt{i}, 0) AS schritt{i}")
        params[f"frist{i}"] = f"+{frist.days} days"
        params[f"anzahl{i}"] = anzahl
        faellig.append(f"(date(e, :frist{i}) <= :vorlauf AND schritt{i} < :anzahl{i})")
    sql = _MERKMALE_SQL.format(
        aktiv_am=speicher.AKTIV_AM,
        persoenlich=persoenlich,
        schritte="".join(schritte),
        schritt_spalten="".join(spalten),
        abfrage=abfrage.format(faellig=" OR ".join(faellig) or "0", jubilaeen=", ".join(map(str, JUBILAEEN))),
    )
    return sql, params


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
        teile.append(f"will austreten ({dt.de(_iso_date(m['will_austreten']))})")
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
        ("Mitglied seit", lambda m: _iso_date(m["eintrittsdatum"])),
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
        spalten.append(("Ausgetreten am", lambda m: _iso_date(m["austrittsdatum"])))
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
    store = speicher.oeffnen(ordner.pfad)
    try:
        with store.transaktion(sichern=False) as conn:  # only the log changes
            speicher.protokollieren(conn, "segmente", ergebnis.name, ergebnis.anzahl, path)
    finally:
        store.close()
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
