"""Entwicklung: members, Eintritte and Austritte over time, the previous period beside, cohorts by join quarter.

Everything comes from the store's membership periods (:func:`kennzahlen.mitgliedschaften`), with the report's
one definition: members count where they are on a day, an Eintritt where the membership began, an Austritt
where it ended; a move between Ortsvereine is neither, a re-entry after a gap is a new Eintritt. ``mitglieder
uebersicht`` counts the same in SQL, so it needs no pandas (tests/test_entwicklung.py holds both equal).

The store only knows what its exports showed: before the first export (``erster_stand``) whoever joined and
left again is missing, after the newest (``letzter_stand``) every change is. A figure that reaches into either
time is marked ``vollstaendig = False``; the report says so on the figure.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from mitgliederarbeit import datum as dt
from mitgliederarbeit.auswertung.kennzahlen import (
    GESAMT,
    Anteil,
    Zeitraum,
    mitgliedschaften,
    perioden_lesen,
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


def _im_bestand(perioden: Any, tag: date, schluessel: str | None) -> Any:
    """Members on ``tag`` per group (a Series; the whole when ``schluessel`` is None)."""
    import pandas as pd

    t = pd.Timestamp(tag)
    aktiv = perioden[(perioden["von"] <= t) & (perioden["bis"].isna() | (perioden["bis"] > t))]
    return _zaehlen(aktiv, schluessel)


def _zaehlen(frame: Any, schluessel: str | None) -> Any:
    import pandas as pd

    if schluessel is None:
        return pd.Series({GESAMT: len(frame)}, dtype="int64")
    return frame.groupby(schluessel).size()


def _zwischen(spannen: Any, spalte: str, von: date, bis: date) -> Any:
    import pandas as pd

    return spannen[(spannen[spalte] >= pd.Timestamp(von)) & (spannen[spalte] <= pd.Timestamp(bis))]


def bewegung(
    perioden: Any,
    spannen: Any,
    zeitraum: Zeitraum,
    ebene: str | None,
    teile: list[tuple[date, date, str]] | None = None,
) -> list[Bewegung]:
    """Per group of ``ebene`` (``ortsverein``, ``unterbezirk``; None: the whole) the members on the three days
    and the Eintritte and Austritte of the period and of the one before, alphabetically; groups without any
    figure are left out. With ``teile`` (:func:`abschnitte`) also the figures of each month (``verlauf``)."""
    frueher = vorher(zeitraum)
    k = {"ortsverein": "ov", "unterbezirk": "ub"}.get(ebene or "")
    ein, aus = (f"{k}_ein", f"{k}_aus") if k else (None, None)
    spalten = {
        "mitglieder_vorher": _im_bestand(perioden, frueher.von - timedelta(days=1), k),
        "mitglieder_anfang": _im_bestand(perioden, zeitraum.von - timedelta(days=1), k),
        "mitglieder_ende": _im_bestand(perioden, zeitraum.bis, k),
        "eintritte": _zaehlen(_zwischen(spannen, "eintritt", zeitraum.von, zeitraum.bis), ein),
        "austritte": _zaehlen(_zwischen(spannen, "austritt", zeitraum.von, zeitraum.bis), aus),
        "eintritte_vorher": _zaehlen(_zwischen(spannen, "eintritt", frueher.von, frueher.bis), ein),
        "austritte_vorher": _zaehlen(_zwischen(spannen, "austritt", frueher.von, frueher.bis), aus),
    }
    namen: set[str] = set()
    for reihe in spalten.values():
        namen.update(str(n) for n in reihe.index)
    if k is None:
        namen = {GESAMT}
    verlauf = [
        (
            _im_bestand(perioden, bis, k),
            _zaehlen(_zwischen(spannen, "eintritt", von, bis), ein),
            _zaehlen(_zwischen(spannen, "austritt", von, bis), aus),
        )
        for von, bis, _ in teile or []
    ]
    result = []
    for name in sorted(namen, key=sortierschluessel):
        b = Bewegung(name)
        for feld, reihe in spalten.items():
            setattr(b, feld, int(reihe.get(name, 0)))
        b.verlauf = [(int(m.get(name, 0)), int(e.get(name, 0)), int(a.get(name, 0))) for m, e, a in verlauf]
        if not b.leer or k is None:
            result.append(b)
    return result


def _abschnitte_zaehlen(
    perioden: Any, spannen: Any, zeitraum: Zeitraum, erster: date | None, letzter: date | None
) -> tuple[str, list[Abschnitt]]:
    art, teile = abschnitte(zeitraum)
    result = []
    for von, bis, name in teile:
        result.append(
            Abschnitt(
                von=von,
                bis=bis,
                name=name,
                mitglieder=int(_im_bestand(perioden, bis, None).iloc[0]),
                eintritte=len(_zwischen(spannen, "eintritt", von, bis)),
                austritte=len(_zwischen(spannen, "austritt", von, bis)),
                vollstaendig=vollstaendig(von, bis, erster, letzter),
            )
        )
    return art, result


def kohorten(spannen: Any, bis: date, erster: date | None) -> list[Kohorte]:
    """The join quarters up to the one holding ``bis``: per quarter the memberships that began in it and the
    share still a member after 3, 6, 12 months – only once those months are over for the whole quarter."""
    import pandas as pd

    letztes = _monatsanfang(bis).replace(month=(bis.month - 1) // 3 * 3 + 1)
    result = []
    for i in range(KOHORTE_QUARTALE - 1, -1, -1):
        anfang = dt.add_months(letztes, -3 * i)
        ende = min(dt.add_months(anfang, 3) - timedelta(days=1), bis)
        gruppe = _zwischen(spannen, "eintritt", anfang, ende)
        gehalten: dict[int, Anteil | None] = {}
        for monate in KOHORTE_MONATE:
            if dt.add_months(dt.add_months(anfang, 3) - timedelta(days=1), monate) > bis:
                gehalten[monate] = None  # not over for every member of the quarter yet
                continue
            grenze = gruppe["eintritt"] + pd.DateOffset(months=monate)
            noch = gruppe["austritt"].isna() | (gruppe["austritt"] > grenze)
            gehalten[monate] = Anteil(int(noch.sum()), len(gruppe))
        name = _quartal_name(anfang)
        if ende < dt.add_months(anfang, 3) - timedelta(days=1):
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
    perioden = perioden_lesen(conn)
    spannen = mitgliedschaften(perioden)
    erster, letzter = staende(conn)
    art, teile = _abschnitte_zaehlen(perioden, spannen, zeitraum, erster, letzter)
    frueher = vorher(zeitraum)
    return Entwicklung(
        zeitraum=zeitraum,
        vorher=frueher,
        abschnitte=teile,
        art=art,
        gesamt=bewegung(perioden, spannen, zeitraum, None)[0],
        gruppen=bewegung(perioden, spannen, zeitraum, ebene, abschnitte(zeitraum)[1]),
        kohorten=kohorten(spannen, zeitraum.bis, erster),
        erster_stand=erster,
        letzter_stand=letzter,
        vorher_vollstaendig=vollstaendig(frueher.von, frueher.bis, erster, letzter),
        zeitraum_vollstaendig=vollstaendig(zeitraum.von, zeitraum.bis, erster, letzter),
    )
