"""The rules of the built-in segments on one member's row: what :mod:`segmente` lists by.

:func:`merkmale` adds to a member's row what the rules ask (fields starting with ``_`` are for the rules only);
:data:`REGELN` says per segment who belongs. The same rules in SQL, for counting, are in :mod:`segmentzaehlung`;
tests/test_segmente_vergleich.py holds both to the same members.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from mitgliederarbeit import datum as dt
from mitgliederarbeit.kontaktarten import AKTIVITAET, ANRUF, PATE, erreicht, passt, persoenlich

JUBILAEEN = (10, 25, 40, 50, 60, 70)
NACHFASSEN = ("will_austreten", "rueckruf")  # call results that ask for a follow-up


def iso_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None  # a birth date kept as written because it was invalid


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


Kontakt = tuple[str, date, "str | None"]  # (kind, day, result)


def merkmale(m: dict[str, Any], alle: Sequence[Kontakt], g: Grenzen) -> dict[str, Any]:
    """The member's row with what the rules ask: fields starting with ``_`` for the rules only."""
    eintritt = date.fromisoformat(m["eintrittsdatum"])
    austritt = iso_date(m["austrittsdatum"])
    aktuell = austritt is None or austritt > g.tag
    geburt = iso_date(m["geburtsdatum"])
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


def _kontaktmerkmale(m: dict[str, Any], alle: Sequence[Kontakt], eigene: list[Kontakt], g: Grenzen) -> None:
    """Letters, personal contacts, calls and their attempts, the last contact, activity, the open follow-up."""
    aktuell = m["_aktuell"]
    m["_brief"] = any(k[0] == "brief" for k in eigene)
    m["_persoenlich"] = any(persoenlich(k[0], k[2]) for k in eigene)
    m["_erreicht"] = any(erreicht(k[0], k[2]) for k in eigene)
    m["_pate"] = any(k[0] == PATE for k in alle)
    anrufe = [k for k in alle if k[0] == ANRUF]
    m["_je_erreicht"] = any(erreicht(k[0], k[2]) for k in anrufe)
    versuche = 0
    for k in anrufe:
        versuche = 0 if erreicht(k[0], k[2]) else versuche + 1
    m["versuche"] = versuche
    m["letzter_anruf"] = anrufe[-1][1] if anrufe else None
    # the last call's result, if it asks for a follow-up and nothing was recorded on a later day
    m["_nachfassen"] = (
        anrufe[-1][2] if anrufe and anrufe[-1][2] in NACHFASSEN and alle[-1][1] <= anrufe[-1][1] else None
    )
    echte = [k for k in eigene if k[0] != ANRUF or erreicht(k[0], k[2])]
    m["letzter_kontakt"] = echte[-1][1] if echte else None
    m["_inaktiv"] = (
        aktuell
        and m["_eintritt"] <= g.inaktiv
        and not any(k[1] > g.inaktiv and passt(k[0], k[2], AKTIVITAET) for k in eigene)
    )
    m["_ohne_kontakt"] = aktuell and not any(k[1] > g.kontakt for k in echte)


def _faellig(m: dict[str, Any], eigene: list[Kontakt], g: Grenzen) -> None:
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
        erfuellt = sum(1 for k in eigene if passt(k[0], k[2], arten)) if eigene else 0
        if erfuellt < anzahl:
            m["faellige_schritte"].append(schritt_name)
            if m["faellig_am"] is None or frist < m["faellig_am"]:
                m["faellig_am"], m["faelliger_schritt"] = frist, schritt_name


REGELN: dict[str, Callable[[dict[str, Any]], bool]] = {
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
