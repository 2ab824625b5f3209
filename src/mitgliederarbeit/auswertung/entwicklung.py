"""Entwicklung: members, Eintritte and Austritte over time, the previous period beside, cohorts by join quarter.

Everything comes from the store's membership periods, with the report's one definition: members count where
they are on a day (:func:`bestand_an`, in SQL), an Eintritt where the membership began, an Austritt where it ended
(:func:`kennzahlen.mitgliedschaften`); a move between Ortsvereine is neither, a re-entry after a gap is a new
Eintritt. ``mitglieder uebersicht`` shows the same for 12 months (:func:`bewegung_im_zeitraum`).

The store only knows what its exports showed: before the first export (``erster_stand``) whoever joined and
left again is missing, after the newest (``letzter_stand``) every change is. A figure that reaches into either
time is marked ``vollstaendig = False``; the report says so on the figure.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from mitgliederarbeit import datum as dt
from mitgliederarbeit.auswertung.kennzahlen import (
    GESAMT,
    OHNE_UNTERBEZIRK,
    PERIODEN_SQL,
    Anteil,
    Mitgliedschaft,
    Zeitraum,
    gruppe,
    mitgliedschaften,
    sortierschluessel,
    staende,
)

KOHORTE_MONATE = (3, 6, 12)  # still a member this many months after the Eintritt
KOHORTE_QUARTALE = 8  # join quarters shown: the one holding the end of the period and the seven before
MONATE_HOECHSTENS = 24  # a longer period is shown by quarter
NACHLAUF_TAGE = 7  # the newest export may be this many days older than a figure's last day (as in the notes)
MONATSNAMEN = (
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
)


@dataclass(frozen=True)
class Abschnitt:
    """One month (or quarter) of the period, cut to the period: members on its last day, its movements."""

    von: date
    bis: date
    name: str  # "Oktober 2025", "September 2025 (ab 02.09.)"
    mitglieder: int
    eintritte: int
    austritte: int
    vollstaendig: bool

    @property
    def saldo(self) -> int:
        return self.eintritte - self.austritte


@dataclass
class Bewegung:
    """One group (an Ortsverein, an Unterbezirk or the whole) in the period and in the period before it."""

    name: str
    mitglieder_vorher: int = 0  # on the day before the previous period began
    mitglieder_anfang: int = 0  # on the day before the period began (= the end of the previous period)
    mitglieder_ende: int = 0  # on the last day of the period
    eintritte: int = 0
    austritte: int = 0
    eintritte_vorher: int = 0
    austritte_vorher: int = 0
    # per month (or quarter) of the period: (members on its last day, Eintritte, Austritte)
    verlauf: list[tuple[int, int, int]] = field(default_factory=list)

    @property
    def leer(self) -> bool:
        return not any(
            (
                self.mitglieder_vorher,
                self.mitglieder_anfang,
                self.mitglieder_ende,
                self.eintritte,
                self.austritte,
                self.eintritte_vorher,
                self.austritte_vorher,
            )
        )


@dataclass(frozen=True)
class Kohorte:
    """The memberships that began in one quarter, and how many of them lasted 3, 6, 12 months."""

    von: date
    bis: date
    name: str  # "4. Quartal 2025"
    eintritte: int
    # months -> share still a member; None: those months are not over for the whole quarter yet
    gehalten: dict[int, Anteil | None]
    vollstaendig: bool  # False: the quarter began before the first export (who left before it is missing)


@dataclass
class Entwicklung:
    """The result of :func:`berechnen`."""

    zeitraum: Zeitraum
    vorher: Zeitraum  # the period of the same length just before
    abschnitte: list[Abschnitt]
    art: str  # "Monat" | "Quartal"
    gesamt: Bewegung
    gruppen: list[Bewegung]
    kohorten: list[Kohorte]
    erster_stand: date | None
    letzter_stand: date | None
    vorher_vollstaendig: bool = True
    zeitraum_vollstaendig: bool = True


# --------------------------------------------------------------------------------------------------------------
# The periods


def vorher(zeitraum: Zeitraum) -> Zeitraum:
    """The period of the same length that ends the day before ``zeitraum`` begins: as many months when the
    period is whole months (the default 12), else as many days."""
    ende = zeitraum.von - timedelta(days=1)
    naechster = zeitraum.bis + timedelta(days=1)
    for monate in range(1, 12 * 50):
        tag = dt.add_months(zeitraum.von, monate)
        if tag == naechster:
            return Zeitraum(dt.add_months(zeitraum.von, -monate), ende)
        if tag > naechster:
            break
    return Zeitraum(ende - timedelta(days=(zeitraum.bis - zeitraum.von).days), ende)


def _monatsanfang(tag: date) -> date:
    return tag.replace(day=1)


def abschnitte(zeitraum: Zeitraum) -> tuple[str, list[tuple[date, date, str]]]:
    """Calendar months (quarters for a period over :data:`MONATE_HOECHSTENS` months) cut to the period."""
    monate = (zeitraum.bis.year - zeitraum.von.year) * 12 + zeitraum.bis.month - zeitraum.von.month + 1
    schritt, art = (3, "Quartal") if monate > MONATE_HOECHSTENS else (1, "Monat")
    result = []
    anfang = _monatsanfang(zeitraum.von)
    if schritt == 3:
        anfang = anfang.replace(month=(anfang.month - 1) // 3 * 3 + 1)
    while anfang <= zeitraum.bis:
        naechster = dt.add_months(anfang, schritt)
        von, bis = max(anfang, zeitraum.von), min(naechster - timedelta(days=1), zeitraum.bis)
        name = _quartal_name(anfang) if schritt == 3 else f"{MONATSNAMEN[anfang.month - 1]} {anfang.year}"
        if von != anfang:
            name += f" (ab {von.day:02d}.{von.month:02d}.)"
        elif bis != naechster - timedelta(days=1):
            name += f" (bis {bis.day:02d}.{bis.month:02d}.)"
        result.append((von, bis, name))
        anfang = naechster
    return art, result


def _quartal_name(anfang: date) -> str:
    return f"{(anfang.month - 1) // 3 + 1}. Quartal {anfang.year}"


def quartal_schluessel(anfang: date) -> str:
    """``2025-Q4``"""
    return f"{anfang.year}-Q{(anfang.month - 1) // 3 + 1}"


def zu_alt(letzter: date | None, bis: date) -> bool:
    """Whether the newest export is more than :data:`NACHLAUF_TAGE` days older than ``bis`` (an export is
    usually a few days old when it is imported): changes up to ``bis`` are missing."""
    return letzter is not None and letzter < bis - timedelta(days=NACHLAUF_TAGE)


def vollstaendig(von: date, bis: date, erster: date | None, letzter: date | None) -> bool:
    """Whether the exports cover ``[von, bis]``: the first is not later than ``von``, the newest not
    :func:`zu_alt`."""
    if erster is None:
        return True
    return erster <= von and not zu_alt(letzter, bis)


# --------------------------------------------------------------------------------------------------------------
# The computation


def bestand_an(conn: sqlite3.Connection, tage: Sequence[date]) -> dict[tuple[str, str], list[int]]:
    """Per (Ortsverein, Unterbezirk) the members on each of ``tage``, counted where they were on the day."""
    spalten = ", ".join(f"sum(von <= :t{i} AND (bis IS NULL OR bis > :t{i}))" for i in range(len(tage)))
    rows = conn.execute(
        f"WITH perioden AS ({PERIODEN_SQL}) SELECT ov, ub, {spalten} FROM perioden GROUP BY ov, ub",
        {"ohne_ub": OHNE_UNTERBEZIRK, **{f"t{i}": tag.isoformat() for i, tag in enumerate(tage)}},
    )
    return {(ov, ub): list(anzahlen) for ov, ub, *anzahlen in rows}


_Zaehler = Counter[tuple[str, int]]  # counts per (group, index of a day or of a range)


def _bestand_je_gruppe(bestand: dict[tuple[str, str], list[int]], ebene: str | None) -> _Zaehler:
    zaehler = _Zaehler()
    for (ov, ub), anzahlen in bestand.items():
        for i, n in enumerate(anzahlen):
            zaehler[gruppe(ebene or "gesamt", ov, ub), i] += n
    return zaehler


def _bewegungen_je_gruppe(
    spannen: Sequence[Mitgliedschaft], bereiche: Sequence[tuple[date, date]], ebene: str | None
) -> tuple[_Zaehler, _Zaehler]:
    """Eintritte (in the Ortsverein or Unterbezirk of joining) and Austritte (of leaving) per group and range."""
    eintritte, austritte = _Zaehler(), _Zaehler()
    e = ebene or "gesamt"
    for m in spannen:
        for i, (von, bis) in enumerate(bereiche):
            if von <= m.eintritt <= bis:
                eintritte[gruppe(e, m.ov_ein, m.ub_ein), i] += 1
            if m.austritt is not None and von <= m.austritt <= bis:
                austritte[gruppe(e, m.ov_aus, m.ub_aus), i] += 1
    return eintritte, austritte


ERSTER_TEIL = 3  # the index of the first month (or quarter) in stichtage()


def stichtage(zeitraum: Zeitraum, teile: Sequence[tuple[date, date, str]]) -> list[date]:
    """The days members are counted on: the day before the previous period began, the day before the period
    began, its last day, and the last day of each of ``teile`` (from :data:`ERSTER_TEIL` on)."""
    frueher = vorher(zeitraum)
    return [
        frueher.von - timedelta(days=1),
        zeitraum.von - timedelta(days=1),
        zeitraum.bis,
        *(bis for _, bis, _ in teile),
    ]


def bewegung(
    bestand: dict[tuple[str, str], list[int]],
    spannen: Sequence[Mitgliedschaft],
    zeitraum: Zeitraum,
    ebene: str | None,
    teile: Sequence[tuple[date, date, str]] = (),
) -> list[Bewegung]:
    """Per group of ``ebene`` (``ortsverein``, ``unterbezirk``; None: the whole) the members on the three days
    and the Eintritte and Austritte of the period and of the one before, alphabetically; groups without any
    figure are left out. With ``teile`` (:func:`abschnitte`) also the figures of each month (``verlauf``).

    ``bestand``: :func:`bestand_an` on the :func:`stichtage`.
    """
    frueher = vorher(zeitraum)
    mitglieder = _bestand_je_gruppe(bestand, ebene)
    bereiche = [
        (zeitraum.von, zeitraum.bis),
        (frueher.von, frueher.bis),
        *((von, bis) for von, bis, _ in teile),
    ]
    eintritte, austritte = _bewegungen_je_gruppe(spannen, bereiche, ebene)
    namen = (
        {name for zaehler in (mitglieder, eintritte, austritte) for name, _ in zaehler} if ebene else {GESAMT}
    )
    result = []
    for name in sorted(namen, key=lambda n: (sortierschluessel(n), n)):
        b = Bewegung(
            name,
            mitglieder_vorher=mitglieder[name, 0],
            mitglieder_anfang=mitglieder[name, 1],
            mitglieder_ende=mitglieder[name, 2],
            eintritte=eintritte[name, 0],
            austritte=austritte[name, 0],
            eintritte_vorher=eintritte[name, 1],
            austritte_vorher=austritte[name, 1],
            verlauf=[
                (mitglieder[name, ERSTER_TEIL + i], eintritte[name, 2 + i], austritte[name, 2 + i])
                for i in range(len(teile))
            ],
        )
        if not b.leer or ebene is None:
            result.append(b)
    return result


def bewegung_im_zeitraum(conn: sqlite3.Connection, zeitraum: Zeitraum, ebene: str | None) -> list[Bewegung]:
    """:func:`bewegung` straight from the store, without the months (for ``mitglieder uebersicht``)."""
    bestand = bestand_an(conn, stichtage(zeitraum, []))
    return bewegung(bestand, mitgliedschaften(conn, vorher(zeitraum).von), zeitraum, ebene)


def _abschnitte_zaehlen(
    bestand: dict[tuple[str, str], list[int]],
    spannen: Sequence[Mitgliedschaft],
    teile: Sequence[tuple[date, date, str]],
    erster: date | None,
    letzter: date | None,
) -> list[Abschnitt]:
    """The months (or quarters) of the period for the whole; ``bestand`` as for :func:`bewegung`."""
    mitglieder = _bestand_je_gruppe(bestand, None)
    eintritte, austritte = _bewegungen_je_gruppe(spannen, [(von, bis) for von, bis, _ in teile], None)
    return [
        Abschnitt(
            von=von,
            bis=bis,
            name=name,
            mitglieder=mitglieder[GESAMT, ERSTER_TEIL + i],
            eintritte=eintritte[GESAMT, i],
            austritte=austritte[GESAMT, i],
            vollstaendig=vollstaendig(von, bis, erster, letzter),
        )
        for i, (von, bis, name) in enumerate(teile)
    ]


def _kohorten_anfang(bis: date) -> date:
    """The first day of the first join quarter shown (:data:`KOHORTE_QUARTALE` up to the one holding ``bis``)."""
    letztes = _monatsanfang(bis).replace(month=(bis.month - 1) // 3 * 3 + 1)
    return dt.add_months(letztes, -3 * (KOHORTE_QUARTALE - 1))


def kohorten(spannen: Sequence[Mitgliedschaft], bis: date, erster: date | None) -> list[Kohorte]:
    """The join quarters up to the one holding ``bis``: per quarter the memberships that began in it and the
    share still a member after 3, 6, 12 months – only once those months are over for the whole quarter."""
    result = []
    for i in range(KOHORTE_QUARTALE):
        anfang = dt.add_months(_kohorten_anfang(bis), 3 * i)
        quartal_ende = dt.add_months(anfang, 3) - timedelta(days=1)
        ende = min(quartal_ende, bis)
        gruppe = [m for m in spannen if anfang <= m.eintritt <= ende]
        gehalten: dict[int, Anteil | None] = {}
        for monate in KOHORTE_MONATE:
            if dt.add_months(quartal_ende, monate) > bis:
                gehalten[monate] = None  # not over for every member of the quarter yet
                continue
            noch = sum(1 for m in gruppe if m.noch_mitglied_nach(monate))
            gehalten[monate] = Anteil(noch, len(gruppe))
        name = _quartal_name(anfang)
        if ende < quartal_ende:
            name += f" (bis {dt.de(ende)})"
        result.append(
            Kohorte(
                von=anfang,
                bis=ende,
                name=name,
                eintritte=len(gruppe),
                gehalten=gehalten,
                vollstaendig=erster is None or erster <= anfang,
            )
        )
    return result


def berechnen(conn: sqlite3.Connection, zeitraum: Zeitraum, ebene: str = "ortsverein") -> Entwicklung:
    """The development over the period, per month, per group beside the previous period, and the cohorts."""
    frueher = vorher(zeitraum)
    art, teile = abschnitte(zeitraum)
    spannen = mitgliedschaften(conn, min(frueher.von, _kohorten_anfang(zeitraum.bis)))
    bestand = bestand_an(conn, stichtage(zeitraum, teile))
    erster, letzter = staende(conn)
    return Entwicklung(
        zeitraum=zeitraum,
        vorher=frueher,
        abschnitte=_abschnitte_zaehlen(bestand, spannen, teile, erster, letzter),
        art=art,
        gesamt=bewegung(bestand, spannen, zeitraum, None)[0],
        gruppen=bewegung(bestand, spannen, zeitraum, ebene, teile),
        kohorten=kohorten(spannen, zeitraum.bis, erster),
        erster_stand=erster,
        letzter_stand=letzter,
        vorher_vollstaendig=vollstaendig(frueher.von, frueher.bis, erster, letzter),
        zeitraum_vollstaendig=vollstaendig(zeitraum.von, zeitraum.bis, erster, letzter),
    )
