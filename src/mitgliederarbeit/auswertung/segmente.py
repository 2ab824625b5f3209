"""Segments: who belongs to a group of members on the Stichtag ("neu", "inaktiv", "faellig", …).

Every rule is relative to ``ordner.stichtag`` and exact to the day. A member belongs to the store's population
on the Stichtag by :data:`speicher.AKTIV_AM` (joined on or before it, exit day after it); a contact dated after
the Stichtag does not count yet. Custom segments from ``[segmente.eigene.NAME]`` narrow a base segment. The rules
are written once, in SQL, in :mod:`segmentregeln` (:mod:`segmentzaehlung` runs them); this module checks names,
builds a segment's condition and returns the results.

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
from mitgliederarbeit.auswertung.segmentregeln import Filter, Grenzen, regel
from mitgliederarbeit.bestand import speicher
from mitgliederarbeit.errors import BedienFehler, KonfigFehler
from mitgliederarbeit.ordner import Arbeitsordner
from mitgliederarbeit.telefon import telefon_anzeige

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
    # people, not events: who left and came back is no longer here (bericht/uebersicht count the Austritt)
    "ausgetreten": "in den letzten 12 Monaten ausgetreten, am Stichtag kein Mitglied",
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

    From ``auswaehlen(..., erste=N)`` ``mitglieder`` holds only the first N members; ``gesamt`` then counts all,
    and ``gesetzt`` names the fields set for at least one of all (see :meth:`hat`).
    """

    name: str
    beschreibung: str
    stichtag: date
    mitglieder: list[dict[str, Any]] = field(default_factory=list)
    warnungen: list[SegmentWarnung | str] = field(default_factory=list)
    ortsvereine: list[str] | None = None
    ordner: Arbeitsordner | None = field(default=None, repr=False)
    schon_erreicht: int | None = None  # with ``auswaehlen(..., schon_erreicht=True)``
    # with ``auswaehlen(..., erste=N)``: how many members the segment has, and the fields set (truthy) for at
    # least one of them, those beyond the first N included
    gesamt: int | None = None
    gesetzt: frozenset[str] | None = None

    @property
    def anzahl(self) -> int:
        return len(self.mitglieder) if self.gesamt is None else self.gesamt

    @property
    def vollstaendig(self) -> bool:
        """All members of the segment are in ``mitglieder`` (not only the first, as for the terminal)."""
        return self.anzahl == len(self.mitglieder)

    def hat(self, feld: str) -> bool:
        """At least one member of the segment (also one beyond those in ``mitglieder``) has ``feld`` set."""
        if self.gesetzt is not None:
            return feld in self.gesetzt
        return any(m[feld] for m in self.mitglieder)

    def as_json(self) -> dict[str, Any]:
        if not self.vollstaendig:
            raise ValueError("as_json braucht alle Mitglieder des Segments, nicht nur die ersten")
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

    warnungen: list[SegmentWarnung | str]


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
# what the store knows besides the members' facts
# --------------------------------------------------------------------------------------------------------------


@dataclass
class _Kopf:
    """What the warnings and the checks of Ortsverein names need, without any member's row."""

    aktivitaet_erfasst: bool  # any attendance or call ever imported
    kontakte_erfasst: bool  # any contact ever recorded
    ortsvereine: list[str]  # every Ortsverein the store knows
    # the sentences about dates in the store that are no real day (speicher.UnlesbareDaten)
    unlesbar: list[str]
    unterbezirke: list[str] | None = None  # every Unterbezirk ("" for none), read when a custom segment asks


def _kopf(conn: sqlite3.Connection) -> _Kopf:
    aktivitaet = conn.execute("SELECT 1 FROM kontakte WHERE art IN ('teilnahme', 'anruf') LIMIT 1").fetchone()
    irgendein = conn.execute("SELECT 1 FROM kontakte LIMIT 1").fetchone()
    ortsvereine = [r[0] for r in conn.execute("SELECT DISTINCT ortsverein FROM mitglieder ORDER BY 1")]
    return _Kopf(bool(aktivitaet), bool(irgendein), ortsvereine, speicher.unlesbare_daten(conn).saetze())


def _unterbezirke(conn: sqlite3.Connection, kopf: _Kopf) -> list[str]:
    if kopf.unterbezirke is None:
        kopf.unterbezirke = [
            r[0] for r in conn.execute("SELECT DISTINCT coalesce(unterbezirk, '') FROM mitglieder ORDER BY 1")
        ]
    return kopf.unterbezirke


# the segments whose rule asks for ``neu``: only members who joined within ``neu_monate`` can belong to them
_NUR_NEUE = {"neu", "neu-ohne-brief", "neu-ohne-kontakt", "faellig", "ohne-pate"}


# --------------------------------------------------------------------------------------------------------------
# a segment's condition: the built-in rule at its root, narrowed by every custom segment on the way
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


def _filter(name: str, config: dict[str, Any], conn: sqlite3.Connection, kopf: _Kopf) -> Filter:
    """The narrowing of the custom segment ``name``, its Ortsvereine and Unterbezirke mapped to the store's."""
    eigen = config["segmente"]["eigene"][name]
    ovs = {
        o.casefold()
        for o in _ortsvereine_pruefen(eigen["ortsverein"], kopf.ortsvereine, f"segmente.eigene.{name}")
    }
    ubs = {u.strip().casefold() for u in eigen["unterbezirk"]}
    return Filter(
        ortsvereine=[o for o in kopf.ortsvereine if o.casefold() in ovs] if ovs else None,
        unterbezirke=[u for u in _unterbezirke(conn, kopf) if u.casefold() in ubs] if ubs else None,
        geschlecht=sorted({x.strip().lower()[:1] for x in eigen["geschlecht"]}),
        alter_von=eigen["alter_von"],
        alter_bis=eigen["alter_bis"],
        eintritt_von=_konfig_datum(name, "eintritt_von", eigen["eintritt_von"]),
        eintritt_bis=_konfig_datum(name, "eintritt_bis", eigen["eintritt_bis"]),
        interessen=[i.strip().casefold() for i in eigen["interessen"] if i.strip()],
        mit_telefon=eigen["mit_telefon"],
        mit_email=eigen["mit_email"],
        mit_anschrift=eigen["mit_anschrift"],
    )


def _bedingung(
    name: str, config: dict[str, Any], g: Grenzen, conn: sqlite3.Connection, kopf: _Kopf
) -> tuple[str, dict[str, object]]:
    """The segment's condition over the facts ``f`` and the member's row ``m``, with its parameters."""
    teile: list[str] = []
    params: dict[str, object] = {}
    kette: tuple[str, ...] = ()
    while name not in SEGMENTE:
        eigen = config["segmente"]["eigene"][name]
        _basis_pruefen(name, eigen["basis"], config, kette)
        bedingung, p = _filter(name, config, conn, kopf).sql(f"e{namen(config).index(name)}_")
        teile.append(bedingung)
        params.update(p)
        kette = (*kette, name)
        name = eigen["basis"]
    teile.insert(0, regel(name, g))
    return " AND ".join(f"({t})" for t in teile), params


def _basis(name: str, config: dict[str, Any]) -> str | None:
    """The built-in segment at the root of a custom segment, or the name itself."""
    seen: set[str] = set()
    while name not in SEGMENTE and name in config["segmente"]["eigene"] and name not in seen:
        seen.add(name)
        name = config["segmente"]["eigene"][name]["basis"]
    return name if name in SEGMENTE else None


def basis(name: str, config: dict[str, Any]) -> str | None:
    """The built-in segment a segment stands on: itself, or the root of a custom one (``None`` if unknown)."""
    return _basis(name, config)


def _warnungen(name: str, config: dict[str, Any], kopf: _Kopf) -> list[SegmentWarnung | str]:
    root = _basis(name, config)
    if root == "inaktiv" and not kopf.aktivitaet_erfasst:
        return [SegmentWarnung.INAKTIV_OHNE_AKTIVITAET, *kopf.unlesbar]
    if root == "ohne-kontakt" and not kopf.kontakte_erfasst:
        return [SegmentWarnung.OHNE_KONTAKTE_ERFASST, *kopf.unlesbar]
    return list(kopf.unlesbar)


def saetze(warnungen: list[SegmentWarnung | str]) -> list[str]:
    """The warnings that are sentences already (not a :class:`SegmentWarnung`), for outputs beside a segment."""
    return [w for w in warnungen if not isinstance(w, SegmentWarnung)]


def _leer(name: str, config: dict[str, Any], kopf: _Kopf) -> bool:
    """Without any attendance or call imported, "inaktiv" (and what narrows it) stays empty: see the warning."""
    return _basis(name, config) == "inaktiv" and not kopf.aktivitaet_erfasst


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


def auswaehlen(
    ordner: Arbeitsordner,
    name: str,
    *,
    ortsverein: list[str] | None = None,
    schon_erreicht: bool = False,
    erste: int | None = None,
) -> SegmentErgebnis:
    """The members of a segment on the Stichtag (by Ortsverein, Nachname, Vorname), optionally only of some
    Ortsvereine.

    With ``schon_erreicht`` the result also counts the members who are not in the segment only because a call
    reached them (what a call list reports as "schon erreicht"). With ``erste`` it holds only the first that many
    members (what the terminal shows) and counts the rest without reading them (``gesamt``, ``gesetzt``).
    """
    if erste is not None and schon_erreicht:
        raise ValueError("schon_erreicht braucht alle Mitglieder des Segments")
    config = ordner.config
    name = pruefen(name, config)
    g = Grenzen.aus(ordner.stichtag, config)
    # a custom segment narrows its base, so one built on a segment of new members holds only new members too
    nach = g.neu if _basis(name, config) in _NUR_NEUE else None
    store = speicher.oeffnen(ordner.pfad)
    try:
        conn = store.conn
        # one snapshot for every read: an import finishing meanwhile cannot make the members shown, the count of
        # the rest and the columns chosen for them disagree
        conn.execute("BEGIN")
        kopf = _kopf(conn)
        gewaehlt = _ortsvereine_pruefen(ortsverein or [], kopf.ortsvereine, "--ortsverein")
        bedingung, params = _bedingung(name, config, g, conn, kopf)
        if gewaehlt:
            bedingung += " AND f.ov IN (SELECT value FROM json_each(:gewaehlt))"
            params["gewaehlt"] = json.dumps(gewaehlt)
        leer = _leer(name, config, kopf)
        # one more than asked for tells whether there are more: only then are they counted
        treffer = (
            []
            if leer
            else segmentzaehlung.mitglieder(
                conn, g, bedingung, params, eintritt_nach=nach, erste=None if erste is None else erste + 1
            )
        )
        gesamt = gesetzt = None
        if erste is not None and len(treffer) > erste:
            del treffer[erste:]
            gesamt, gesetzt = segmentzaehlung.ueberblick(conn, g, bedingung, params, eintritt_nach=nach)
        erreicht = None
        if schon_erreicht:
            # the members in the segment if no call had reached anyone, who are not in it now
            sonst = (
                set()
                if leer
                else segmentzaehlung.nummern(
                    conn, g, bedingung, params, ohne_erreicht=True, eintritt_nach=nach
                )
            )
            erreicht = len(sonst - {m["nr"] for m in treffer})
        conn.rollback()  # only read
    finally:
        store.close()
    return SegmentErgebnis(
        name=name,
        beschreibung=beschreibung(name, config),
        stichtag=ordner.stichtag,
        mitglieder=treffer,
        warnungen=_warnungen(name, config, kopf),
        ortsvereine=gewaehlt or None,
        ordner=ordner,
        schon_erreicht=erreicht,
        gesamt=gesamt,
        gesetzt=gesetzt,
    )


def schon_erreicht(ordner: Arbeitsordner, name: str, *, ortsverein: list[str] | None = None) -> int:
    """How many members are not in the segment only because a call reached them."""
    return auswaehlen(ordner, name, ortsverein=ortsverein, schon_erreicht=True).schon_erreicht or 0


def zaehlen(
    ordner: Arbeitsordner, *, je_ortsverein: bool = False, ortsverein: list[str] | None = None
) -> Zaehlung:
    """Every segment with its count; with ``je_ortsverein`` (or ``ortsverein``) per Ortsverein.

    Every segment, built-in and custom, is counted by SQLite in one pass over the members and their contacts.
    """
    config = ordner.config
    g = Grenzen.aus(ordner.stichtag, config)
    store = speicher.oeffnen(ordner.pfad)
    try:
        kopf = _kopf(store.conn)
        gewaehlt = _ortsvereine_pruefen(ortsverein or [], kopf.ortsvereine, "--ortsverein")
        regeln = {name: _bedingung(name, config, g, store.conn, kopf) for name in namen(config)}
        je_ov = je_ortsverein or bool(gewaehlt)
        ovs, gezaehlt = segmentzaehlung.zaehlen(store.conn, g, regeln, je_ortsverein=je_ov)
    finally:
        store.close()
    spalten = gewaehlt or (sorted(ovs, key=str.casefold) if je_ortsverein else [])
    result = Zaehlung()
    result.warnungen = []
    for name in namen(config):
        warn = _warnungen(name, config, kopf)
        result.warnungen.extend(w for w in warn if w not in result.warnungen)
        je = {} if _leer(name, config, kopf) else gezaehlt[name]
        result[name] = {ov: je.get(ov, 0) for ov in spalten} if je_ov else sum(je.values())
    return result


# --------------------------------------------------------------------------------------------------------------
# export
# --------------------------------------------------------------------------------------------------------------


def hinweise(m: dict[str, Any]) -> str:
    """Blocks and flags of a member as a short German text ("kein Anruf, Telefon falsch")."""
    teile = []
    if not m.get("eintrittsdatum", True):
        teile.append("Eintritt unbekannt")
    elif m.get("eintritt_geschaetzt"):
        teile.append("Eintritt geschätzt")
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
        teile.append(f"will austreten ({dt.de(dt.gespeicherter_tag(m['will_austreten']))})")
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
        ("Mitglied seit", lambda m: dt.gespeicherter_tag(m["eintrittsdatum"])),
        ("Alter", lambda m: m["alter"]),
        ("Telefon", lambda m: telefon_anzeige(m["telefon"] or "")),
        ("Mobil", lambda m: telefon_anzeige(m["mobil"] or "")),
        ("E-Mail", lambda m: m["email"]),
        ("Straße", lambda m: " ".join(p for p in (m["strasse"], m["hausnummer"]) if p)),
        ("Adresszusatz", lambda m: m["adresszusatz"]),
        ("PLZ", lambda m: m["plz"]),
        ("Ort", lambda m: m["ort"]),
        ("Land", lambda m: m["land"]),  # members abroad: a chair's list or a mail merge needs the country
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
        spalten.append(("Ausgetreten am", lambda m: dt.gespeicherter_tag(m["austrittsdatum"])))
    if root == "jubilaeum":
        spalten.append(("Jubiläum (Jahre)", lambda m: m["jubilaeum"]))
    return spalten


def exportieren(
    ergebnis: SegmentErgebnis,
    path: Path | None = None,
    *,
    ueberschreiben: bool = False,
    passwort: str | None = None,
) -> Path:
    """Write the segment's members to xlsx or csv and log the output.

    Without ``path`` a new dated name under ``ausgabe/`` (``segment-neu-2026-09-01.xlsx``, ``…-2.xlsx`` if that
    exists); a named file that exists is replaced only with ``ueberschreiben``. ``passwort``: the xlsx protected
    with it, as the Ortsverein packages (a csv cannot be).
    """
    if ergebnis.ordner is None:
        raise ValueError("SegmentErgebnis ohne Arbeitsordner kann nicht exportiert werden")
    if not ergebnis.vollstaendig:
        raise ValueError("exportieren braucht alle Mitglieder des Segments, nicht nur die ersten")
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
    if passwort is not None and suffix == ".csv":
        raise BedienFehler(
            f"--export {path.name}: eine CSV-Datei kann kein Kennwort tragen.",
            hint="Mit Kennwort als .xlsx exportieren, z. B. --export neu.xlsx --passwort-abfragen.",
        )
    spalten = _export_spalten(ergebnis.name, ordner.config)
    tabelle = ausgabe.Tabelle(
        name=ergebnis.name[:31],
        spalten=[s for s, _ in spalten],
        zeilen=[[get(m) for _, get in spalten] for m in ergebnis.mitglieder],
    )
    if suffix == ".xlsx":
        # the metadata sheet lets ``import`` refuse this file: it is no snapshot of an Ortsverein
        meta = {"art": "segment", "segment": ergebnis.name, "stichtag": ergebnis.stichtag.isoformat()}
        ausgabe.xlsx(path, [tabelle], meta, ueberschreiben=ueberschreiben, passwort=passwort)
    else:
        ausgabe.tabelle_schreiben(path, tabelle, ueberschreiben=ueberschreiben)
    speicher.ausgaben_protokollieren(ordner.pfad, "segmente", ergebnis.name, [(path, ergebnis.anzahl)])
    return path


def _unlesbar(text: str | None) -> str | None:
    """The stored text of a date that is no real day; None for a day and for none."""
    return text if text is not None and dt.gespeicherter_tag(text) is None else None


def _json_zeile(m: dict[str, Any]) -> dict[str, Any]:
    return {
        "mitgliedsnummer": m["mitgliedsnummer"],
        "vorname": m["vorname"],
        "nachname": m["nachname"],
        "ortsverein": m["ortsverein"],
        "unterbezirk": m["unterbezirk"],
        # a day, or null; a stored text that is no day (a hand edit) is null here and stands in "…_unlesbar"
        "eintrittsdatum": dt.iso(dt.gespeicherter_tag(m["eintrittsdatum"])),
        "eintritt_geschaetzt": bool(m["eintritt_geschaetzt"]),
        "eintritt_unlesbar": _unlesbar(m["eintrittsdatum"]),
        "austrittsdatum": dt.iso(dt.gespeicherter_tag(m["austrittsdatum"])),
        "austritt_unlesbar": _unlesbar(m["austrittsdatum"]),
        "alter": m["alter"],
        "faelliger_schritt": m["faelliger_schritt"],
        "faellig_am": dt.iso(m["faellig_am"]),
        "versuche": m["versuche"],
        "letzter_anruf": dt.iso(m["letzter_anruf"]),
        "letzter_kontakt": dt.iso(m["letzter_kontakt"]),
        "jubilaeum": m["jubilaeum"],
    }
