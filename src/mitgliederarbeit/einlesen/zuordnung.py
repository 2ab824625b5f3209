"""Which member a row of a returned list means: by the Mitgliedsnummer, or by the name where the number is
missing – never guessed.

Shared by every list that comes back (call lists, attendance lists, contact lists). A list reads its rows,
builds one :class:`Verzeichnis` of the store's members, and asks :func:`mitglied_finden` (or, for a call
list whose namesakes are narrowed by the list itself, :func:`nach_nummer` and :meth:`Verzeichnis.namensgleiche`)
for each row.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from mitgliederarbeit.einlesen.normalisieren import text
from mitgliederarbeit.nummern import nummer_key


def name_schluessel(value: object) -> str:
    """A name as it is compared: lower case (casefold), spaces collapsed. ``"  Anna  MÜLLER"`` -> ``"anna müller"``."""
    return re.sub(r"\s+", " ", (text(value) or "").casefold()).strip()


@dataclass
class Verzeichnis:
    """The store's members (not anonymized) by number, by first + last name, and by the full name."""

    mitglieder: dict[str, dict[str, Any]]
    nach_name: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    nach_vollname: dict[str, list[str]] = field(default_factory=dict)

    def namensgleiche(self, vorname: object, nachname: object) -> list[str]:
        """Numbers of the members called ``vorname nachname`` (as written; compared by :func:`name_schluessel`)."""
        return list(self.nach_name.get((name_schluessel(vorname), name_schluessel(nachname)), []))


def verzeichnis_laden(
    conn: sqlite3.Connection, *, namen_von: Callable[[dict[str, Any]], bool] | None = None
) -> Verzeichnis:
    """Every member of the store; only those for whom ``namen_von`` holds can be found by name."""
    mitglieder = {r["nr"]: dict(r) for r in conn.execute("SELECT * FROM mitglieder WHERE anonymisiert = 0")}
    verzeichnis = Verzeichnis(mitglieder)
    for nr, m in mitglieder.items():
        if namen_von is not None and not namen_von(m):
            continue
        verzeichnis.nach_name.setdefault(
            (name_schluessel(m["vorname"]), name_schluessel(m["nachname"])), []
        ).append(nr)
        vollname = name_schluessel(f"{m['vorname'] or ''} {m['nachname'] or ''}")
        verzeichnis.nach_vollname.setdefault(vollname, []).append(nr)
    return verzeichnis


@dataclass(frozen=True)
class Zuordnung:
    """The member a row means (``nr``), or why none: ``fehler`` (German, for the error file) and ``grund``."""

    nr: str | None
    per_name: bool = False
    fehler: str | None = None
    grund: str = ""  # "unbekannt" (not in the store, or the number names someone else) or "mehrdeutig"


def nach_nummer(verzeichnis: Verzeichnis, nummer: str) -> Zuordnung:
    """The member with this Mitgliedsnummer as written (leading zeros and spaces do not matter)."""
    nr = nummer_key(nummer)
    if nr not in verzeichnis.mitglieder:
        return Zuordnung(
            None, fehler=f"Mitgliedsnummer {nummer} ist nicht im Datenbestand", grund="unbekannt"
        )
    return Zuordnung(nr)


def mitglied_finden(
    verzeichnis: Verzeichnis,
    nummer: str | None,
    vorname: str,
    nachname: str,
    *,
    tag: date,
    ortsverein: object = None,
    anzeige: str = "",
) -> Zuordnung:
    """The member a row means: by the number (checked against the name, if both names are given), else by name.

    ``vorname`` and ``nachname`` are :func:`name_schluessel` keys; without a first name the last name is
    compared with the full name. Namesakes are narrowed by facts only (member on ``tag``, then the row's
    ``ortsverein``); what is still ambiguous is not guessed. ``anzeige`` is the name as written, for messages.
    """
    if nummer:
        return _per_nummer_und_name(verzeichnis, nummer, vorname, nachname)
    if vorname:
        kandidaten = list(verzeichnis.nach_name.get((vorname, nachname), []))
    else:
        kandidaten = list(verzeichnis.nach_vollname.get(nachname, []))
    if len(kandidaten) > 1:
        kandidaten = eingrenzen(kandidaten, verzeichnis.mitglieder, tag, ortsverein)
    if not kandidaten:
        return Zuordnung(
            None,
            fehler=f"„{anzeige}“ ist im Datenbestand nicht zu finden – bitte die Mitgliedsnummer eintragen",
            grund="unbekannt",
        )
    if len(kandidaten) > 1:
        ovs = sorted({verzeichnis.mitglieder[k]["ortsverein"] for k in kandidaten})
        return Zuordnung(
            None,
            fehler=f"„{anzeige}“ ist nicht eindeutig: {len(kandidaten)} Mitglieder heißen so "
            f"(Ortsverein {', '.join(ovs)}) – bitte die Mitgliedsnummer eintragen",
            grund="mehrdeutig",
        )
    return Zuordnung(kandidaten[0], per_name=True)


def _per_nummer_und_name(verzeichnis: Verzeichnis, nummer: str, vorname: str, nachname: str) -> Zuordnung:
    treffer = nach_nummer(verzeichnis, nummer)
    if treffer.nr is None:
        return treffer
    m = verzeichnis.mitglieder[treffer.nr]
    # a typo in one of the names is fine; both names different means the number is someone else's
    if (
        vorname
        and nachname
        and vorname != name_schluessel(m["vorname"])
        and nachname != name_schluessel(m["nachname"])
    ):
        return Zuordnung(
            None,
            fehler=f"Mitgliedsnummer {nummer} gehört laut Datenbestand zu einer anderen Person – "
            "bitte Nummer und Name prüfen",
            grund="unbekannt",
        )
    return treffer


def eingrenzen(
    kandidaten: list[str], mitglieder: dict[str, dict[str, Any]], datum: date, ov: object
) -> list[str]:
    """Narrow namesakes by facts on the list, never by guessing: member on the day, then the Ortsverein column."""
    tag = datum.isoformat()
    aktiv = [
        k
        for k in kandidaten
        if (mitglieder[k]["eintrittsdatum"] or "") <= tag  # an unknown join date: a member all along
        and (mitglieder[k]["austrittsdatum"] is None or mitglieder[k]["austrittsdatum"] > tag)
    ]
    if len(aktiv) == 1:
        return aktiv
    kandidaten = aktiv or kandidaten
    ortsverein = name_schluessel(ov)
    if ortsverein:
        im_ov = [k for k in kandidaten if name_schluessel(mitglieder[k]["ortsverein"]) == ortsverein]
        if im_ov:
            return im_ov
    return kandidaten
