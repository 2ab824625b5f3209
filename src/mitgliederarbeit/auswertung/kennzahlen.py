"""The metrics of ``mitglieder bericht``: each defined once here, with the German text the report prints.

Where a member was when comes from the store's ``zugehoerigkeit`` periods ``[von, bis)``. Consecutive periods
of one member (``bis`` of one = ``von`` of the next: a move between Ortsvereine) form one *membership*; a gap
(exit, later re-entry) starts a new one. A membership's Eintritt is the ``von`` of its first period, its
Austritt the ``bis`` of its last (the first day outside). Each figure is credited to the Ortsverein where the
member was at the moment it is about: members where they are at the end of the period, Eintritte and the whole
onboarding (standard, first contact, event, first-year retention) where they joined, Austritte where they left.

Everything is relative to the end of the period (``bis``, by default the Stichtag); ``bis`` may not lie after
the Stichtag. A contact counts from the day of the Eintritt up to its deadline; contacts before the Eintritt
(an earlier membership) or after ``bis`` do not count.

Only what was recorded is measured (:mod:`abdeckung`): a step of the standard counts a new member only when the
records of the step's kinds began no later than the member's Eintritt, so the whole deadline window lies in the
recorded time; the others are counted as ``ausgelassen``. A step whose kinds were never recorded has no data at
all (:meth:`Kennzahlen.ohne_daten`): it is left out of "Standard erfüllt", and so of the ranking. The same holds
for the event within three months (attendances) and the days to the first personal contact. The days to the first
contact are a time-to-event measure: members not reached yet count as "not yet" up to the end of the period (an
exit does not end the wait), and the median is the Kaplan–Meier median; beside it the share reached within 30 and
90 days.

The members on a day are counted in SQL (a store may hold 400.000 of them); the memberships that began or
ended in the last years and the new members' contacts are few enough for plain Python, so the report needs
neither pandas nor numpy (tests/test_kennzahlen_vergleich.py holds it to the pandas computation it replaced, on
generated stores). Results are raw counts (:class:`Anteil` = hits and base); suppressing small
numbers is the job of the display helpers at the end of this module (:func:`anzahl_text`, :func:`anteil_text`).
"""

from __future__ import annotations

import math
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from mitgliederarbeit import datum as dt
from mitgliederarbeit.auswertung import abdeckung as abd
from mitgliederarbeit.auswertung import segmentregeln as sr
from mitgliederarbeit.errors import BedienFehler
from mitgliederarbeit.kontaktarten import BERICHT_NAMEN, PERSOENLICH, gespeicherte_arten, passt
from mitgliederarbeit.zahlen import aufzaehlung

Z_95 = 1.959963984540054  # two-sided 95 % quantile of the normal distribution
FRUEH_MONATE = sr.FRUEH_MONATE  # for the texts; the rule is segmentregeln.frueh_ausgetreten
VERANSTALTUNG_MONATE = 3
ERREICHT_FRISTEN = (30, 90)  # days: the share personally reached within them, beside the median
BINDUNG_MONATE = 12
GESAMT = "Gesamt"
OHNE_UNTERBEZIRK = "(ohne Unterbezirk)"
EBENEN = ("ortsverein", "unterbezirk")
ALTER_HOECHSTENS = 120  # an older age is a wrong birth date

# Bins of the chart "days to the first personal contact": (label, first day, last day); None = open end.
TAGE_KLASSEN: tuple[tuple[str, int, int | None], ...] = (
    ("0–7", 0, 7),
    ("8–14", 8, 14),
    ("15–30", 15, 30),
    ("31–60", 31, 60),
    ("61–91", 61, 91),
    ("92–182", 92, 182),
    ("über 182", 183, None),
)
NICHT_ERREICHT = "noch nicht erreicht"


# --------------------------------------------------------------------------------------------------------------
# Definitions (the method section of the report prints these texts)


@dataclass(frozen=True)
class Definition:
    schluessel: str  # the key in --json
    titel: str  # column heading
    text: str  # the German definition for the method section


DEFINITIONEN: dict[str, Definition] = {
    d.schluessel: d
    for d in (
        Definition(
            "mitglieder",
            "Mitglieder",
            "Mitglieder am letzten Tag des Zeitraums, gezählt in dem Ortsverein, in dem sie an diesem Tag waren.",
        ),
        Definition(
            "eintritte",
            "Eintritte",
            "Mitgliedschaften, die im Zeitraum begonnen haben (Eintrittstag vom ersten bis zum letzten Tag des "
            "Zeitraums), gezählt im Ortsverein des Eintritts. Ein Wiedereintritt nach einem Austritt zählt als "
            "neuer Eintritt, ein Wechsel zwischen Ortsvereinen nicht.",
        ),
        Definition(
            "austritte",
            "Austritte",
            "Mitgliedschaften, die im Zeitraum geendet haben (Austrittstag im Zeitraum; der Austrittstag ist der "
            "erste Tag ohne Mitgliedschaft), gezählt im Ortsverein, aus dem das Mitglied ausgetreten ist. Ein "
            "Wechsel in einen anderen Ortsverein ist kein Austritt.",
        ),
        Definition(
            "fruehaustritte",
            "Frühaustritte",
            f"Austritte (wie oben), bei denen der Austrittstag höchstens {FRUEH_MONATE} Monate nach dem Eintritt "
            "lag.",
        ),
        Definition(
            "schritte",
            "Standard",
            "Je Schritt des Einarbeitungsstandards: Anteil der Neumitglieder (Eintritt im Zeitraum), die den "
            "Schritt innerhalb seiner Frist bekommen haben, also die verlangte Zahl passender Kontakte vom "
            "Eintrittstag bis zum Tag „Eintritt + Frist“ (einschließlich). Gezählt werden nur Neumitglieder, "
            "deren Frist bis zum Ende des Zeitraums abgelaufen ist; wer vorher ausgetreten ist, zählt mit. "
            "Gezählt werden außerdem nur Neumitglieder, die frühestens am ersten Tag eingetreten sind, an dem "
            "ein Kontakt der Arten des Schritts erfasst ist: vorher heißt „kein Kontakt“ nur „nicht erfasst“. Ein "
            "zurückgegebenes Paket eines Ortsvereins deckt alle Neumitglieder ab, die es aufführt: ein leeres Feld "
            "heißt dort „nicht geschehen“. "
            "Wer deshalb nicht zählt, steht als „nicht gezählt“ bei der Zahl. Ist für einen Schritt noch nie ein "
            "Kontakt seiner Arten erfasst, steht dort „keine Daten“. Gezählt im Ortsverein des Eintritts.",
        ),
        Definition(
            "standard",
            "Standard erfüllt",
            "Anteil der Neumitglieder mit mindestens einem bis zum Ende des Zeitraums fälligen und gezählten "
            "Schritt (siehe oben), bei denen jeder solche Schritt fristgerecht erfüllt wurde. Schritte ohne "
            "Daten zählen nicht mit.",
        ),
        Definition(
            "tage_erstkontakt",
            "Tage bis Erstkontakt",
            "Tage vom Eintritt bis zum ersten persönlichen Kontakt (erreichter Anruf, Teilnahme, Gespräch, "
            "Übergabe des Parteibuchs; ein Kontakt am Eintrittstag zählt 0 Tage), für alle Neumitglieder des "
            "Zeitraums: wer noch nicht erreicht wurde, zählt als „noch nicht“ bis zum Ende des Zeitraums, auch "
            "wer inzwischen ausgetreten ist. Der Median ist der Tag, bis zu dem die Hälfte erreicht war "
            "(Kaplan-Meier); ist noch nicht die Hälfte erreicht, gibt es keinen Median. Daneben steht der Anteil, "
            "der in 30 und in 90 Tagen erreicht wurde (unter denen, deren 30 bzw. 90 Tage vorbei sind). "
            "Gezählt werden nur Neumitglieder, die nach Beginn der Erfassung persönlicher Kontakte eingetreten "
            "sind.",
        ),
        Definition(
            "veranstaltung",
            f"Veranstaltung in {VERANSTALTUNG_MONATE} Monaten",
            f"Anteil der Neumitglieder, die innerhalb von {VERANSTALTUNG_MONATE} Monaten nach dem Eintritt an "
            "einer Veranstaltung teilgenommen haben (erfasste Teilnahme). Gezählt werden nur Neumitglieder, deren "
            f"{VERANSTALTUNG_MONATE} Monate bis zum Ende des Zeitraums vorbei sind und die frühestens am ersten "
            "Tag mit einer erfassten Teilnahme eingetreten sind.",
        ),
        Definition(
            "bindung",
            "Bindung im 1. Jahr",
            f"Anteil der Mitglieder, die 12 bis 24 Monate vor dem Ende des Zeitraums eingetreten sind (Eintritt "
            f"nach dem Tag „Ende − 24 Monate“ und spätestens am Tag „Ende − 12 Monate“), die {BINDUNG_MONATE} "
            "Monate nach ihrem Eintritt noch Mitglied waren. Ein Wechsel des Ortsvereins zählt nicht als "
            "Austritt; gezählt im Ortsverein des Eintritts. Beginnt der Datenbestand nach dem ersten Tag dieser "
            "Eintritte, fehlen alle, die vor dem ersten Export wieder ausgetreten sind: die Zahl ist dann als "
            "unvollständig markiert und wirkt günstiger, als sie war.",
        ),
        Definition(
            "frauen_mitglieder",
            "Frauenanteil Mitglieder",
            "Anteil der Frauen an den Mitgliedern am Ende des Zeitraums mit bekanntem Geschlecht (w/m/d).",
        ),
        Definition(
            "frauen_eintritte",
            "Frauenanteil Eintritte",
            "Anteil der Frauen an den Eintritten des Zeitraums mit bekanntem Geschlecht (w/m/d).",
        ),
        Definition(
            "median_alter",
            "Medianalter",
            "Median des Alters in vollendeten Jahren am Ende des Zeitraums, unter den Mitgliedern mit gültigem "
            "Geburtsdatum.",
        ),
    )
}

DEFINITION_RANGFOLGE = (
    "Die Rangfolge ordnet die Ortsvereine nach „Standard erfüllt“. Einen Rang bekommt nur, wer mindestens "
    "{min} Neumitglieder mit fälligem Schritt hat – bei weniger entscheidet der Zufall mehr als die Arbeit vor "
    "Ort. Gleiche Anteile teilen sich einen Rang. Überlappen sich die 95-%-Intervalle zweier Ortsvereine, ist "
    "ihr Unterschied nicht belastbar."
)
DEFINITION_INTERVALL = (
    "95-%-Intervall nach Wilson: der Bereich, in dem der wahre Anteil bei rein zufälligen Schwankungen mit 95 % "
    "Wahrscheinlichkeit liegt. Je weniger Mitglieder hinter einer Zahl stehen, desto breiter ist es."
)
DEFINITION_AUFFAELLIG = (
    "Auffällig ist ein Ortsverein, der bei mindestens {min} fälligen Neumitgliedern niemanden fristgerecht "
    "erreicht hat, oder dessen 95-%-Intervall für „Standard erfüllt“ oder „Bindung im 1. Jahr“ ganz über (oder "
    "ganz unter) dem Anteil aller übrigen Ortsvereine zusammen liegt, mit mindestens 10 Prozentpunkten Abstand "
    "(bei der Bindung nur, wenn der Datenbestand den ganzen Jahrgang kennt). "
    "Jeder Befund steht in einer Zeile, mehrere Ortsvereine mit demselben Befund zusammen; gilt ein Befund für "
    "alle oder die meisten, steht das Muster vorn („In keinem Ortsverein …“) und die Ausnahmen dahinter. Genannt "
    "werden je Befund die fünf deutlichsten Fälle (bei „niemand fristgerecht erreicht“ die zehn mit den meisten "
    "Neumitgliedern), die übrigen werden gezählt."
)


def schritt_text(schritt: dict[str, Any]) -> str:
    """The definition of one configured step, in words."""
    arten = ", ".join(BERICHT_NAMEN.get(a, a) for a in schritt["arten"])
    anzahl = schritt.get("anzahl", 1)
    wie = "ein Kontakt" if anzahl == 1 else f"{anzahl} Kontakte"
    return f"{schritt['name']}: {wie} der Art {arten} innerhalb von {schritt['frist_tage']} Tagen nach dem Eintritt."


# --------------------------------------------------------------------------------------------------------------
# Period, shares, intervals


@dataclass(frozen=True)
class Zeitraum:
    """The reporting period, both days included."""

    von: date
    bis: date

    @classmethod
    def bestimmen(cls, stichtag: date, von: date | None = None, bis: date | None = None) -> Zeitraum:
        """Default: the 12 months up to and including the Stichtag (Stichtag − 12 months + 1 day … Stichtag).

        With only ``--bis``, the 12 months up to it; with only ``--von``, from it to the Stichtag.
        """
        ende = bis or stichtag
        if ende > stichtag:
            raise BedienFehler(
                f"--bis {dt.de(ende)} liegt nach dem Stichtag {dt.de(stichtag)}.",
                hint="Über die Zukunft gibt es noch keine Zahlen. Bitte --stichtag oder --bis anpassen.",
            )
        anfang = von or dt.add_months(ende, -12) + timedelta(days=1)
        if anfang > ende:
            raise BedienFehler(f"--von {dt.de(anfang)} liegt nach dem Ende des Zeitraums {dt.de(ende)}.")
        return cls(anfang, ende)

    @property
    def bindung_von(self) -> date:
        """First join day of the first-year-retention cohort (exclusive bound + 1 day)."""
        return dt.add_months(self.bis, -2 * BINDUNG_MONATE) + timedelta(days=1)

    @property
    def bindung_bis(self) -> date:
        return dt.add_months(self.bis, -BINDUNG_MONATE)

    def text(self) -> str:
        return f"{dt.de(self.von)} – {dt.de(self.bis)}"


def wilson(treffer: int, basis: int, z: float = Z_95) -> tuple[float, float] | None:
    """Wilson score interval of a share; ``None`` without a base."""
    if basis <= 0:
        return None
    p = treffer / basis
    nenner = 1 + z * z / basis
    mitte = (p + z * z / (2 * basis)) / nenner
    breite = z * math.sqrt(p * (1 - p) / basis + z * z / (4 * basis * basis)) / nenner
    unten = 0.0 if treffer <= 0 else max(0.0, mitte - breite)
    oben = 1.0 if treffer >= basis else min(1.0, mitte + breite)
    return unten, oben


@dataclass(frozen=True)
class Anteil:
    """A share: how many of how many."""

    treffer: int = 0
    basis: int = 0

    @property
    def wert(self) -> float | None:
        return self.treffer / self.basis if self.basis else None

    @property
    def intervall(self) -> tuple[float, float] | None:
        return wilson(self.treffer, self.basis)

    def __add__(self, other: Anteil) -> Anteil:
        return Anteil(self.treffer + other.treffer, self.basis + other.basis)


@dataclass(frozen=True)
class Median:
    wert: float | None = None
    basis: int = 0
    erreicht: int | None = None  # days to first contact: how many of the base were reached (the events)


@dataclass
class Werte:
    """All figures of one Ortsverein, Unterbezirk, or the whole."""

    name: str
    mitglieder: int = 0
    eintritte: int = 0
    austritte: int = 0
    fruehaustritte: int = 0
    schritte: list[Anteil] = field(default_factory=list)
    standard: Anteil = field(default_factory=Anteil)
    tage_erstkontakt: Median = field(default_factory=Median)
    # personally reached within 30 / 90 days: of the counted new members whose 30 / 90 days are over
    erreicht_in: dict[int, Anteil] = field(default_factory=dict)
    veranstaltung: Anteil = field(default_factory=Anteil)
    bindung: Anteil = field(default_factory=Anteil)
    frauen_mitglieder: Anteil = field(default_factory=Anteil)
    frauen_eintritte: Anteil = field(default_factory=Anteil)
    median_alter: Median = field(default_factory=Median)
    unterbezirk: str | None = None  # of an Ortsverein: that of its latest period (_unterbezirk_je_ortsverein)
    # new members with a due figure left out because the records began after their Eintritt:
    # keys "s0", "s1", … (steps), "standard", "veranstaltung", "tage"
    ausgelassen: dict[str, int] = field(default_factory=dict)

    @property
    def leer(self) -> bool:
        return not (self.mitglieder or self.eintritte or self.austritte or self.bindung.basis)


@dataclass
class Kennzahlen:
    """The result of :func:`berechnen`."""

    zeitraum: Zeitraum
    schritte: list[dict[str, Any]]
    ortsvereine: list[Werte]
    unterbezirke: list[Werte]
    gesamt: Werte
    tage_verteilung: list[tuple[str, int]]  # overall, TAGE_KLASSEN + NICHT_ERREICHT
    kontakte: dict[str, int]  # contacts in the period by kind (for the notes on the data)
    erster_stand: date | None  # Stand of the first member export in the store
    letzter_stand: date | None
    abdeckung: abd.Abdeckung | None = None

    def gruppen(self, ebene: str) -> list[Werte]:
        return self.unterbezirke if ebene == "unterbezirk" else self.ortsvereine

    def daten_ab(self, i: int) -> date | None:
        """The first recorded day of the kinds of step ``i`` (None: never recorded)."""
        return self.abdeckung.schritte[i].erster if self.abdeckung else None

    def ohne_daten(self, i: int) -> bool:
        """No contact of the kinds of step ``i`` was ever recorded: the step cannot be measured."""
        return self.abdeckung is not None and not self.abdeckung.schritte[i].erfasst

    @property
    def mit_daten(self) -> bool:
        """At least one step of the standard can be measured."""
        return any(not self.ohne_daten(i) for i in range(len(self.schritte)))

    @property
    def bestand_unvollstaendig(self) -> bool:
        """The member history starts after the period's first day: Eintritte and Austritte before it are missing."""
        return self.erster_stand is not None and self.erster_stand > self.zeitraum.von

    @property
    def bindung_unvollstaendig(self) -> bool:
        """The retention cohort began before the first export: who left before it is unknown."""
        return self.erster_stand is not None and self.erster_stand > self.zeitraum.bindung_von


def sortierschluessel(name: str) -> str:
    """German alphabetical order: Mühlental between Mitte and Nord."""
    return name.casefold().replace("ä", "a").replace("ö", "o").replace("ü", "u").replace("ß", "ss")


# --------------------------------------------------------------------------------------------------------------
# The computation: SQL where the store is large (members on a day), plain Python over the memberships of the last
# years and the contacts of the new members


gueltiger_tag_sql = dt.gueltiger_tag_sql


# The store's periods [von, bis): without a valid start a period is left out, an end that is no valid day counts
# as open; a missing or blank Unterbezirk is OHNE_UNTERBEZIRK (parameter :ohne_ub). A period that began on an
# unknown day (``von`` NULL: the member's join date no export had) starts on UNBEKANNT_SEIT, before any period
# counted: a member all along, never a joiner, in no cohort.
UNBEKANNT_SEIT = "1900-01-01"
PERIODEN_SQL = f"""
    SELECT rowid AS id, nr, ortsverein AS ov, coalesce(nullif(trim(unterbezirk), ''), :ohne_ub) AS ub,
           coalesce(von, '{UNBEKANNT_SEIT}') AS von, CASE WHEN {gueltiger_tag_sql("bis")} THEN bis END AS bis
    FROM zugehoerigkeit
    WHERE von IS NULL OR {gueltiger_tag_sql("von")}
"""
# 1 a woman, 0 a man or diverse, NULL unknown (the share of women is among those with a known gender)
FRAU_SQL = "CASE m.geschlecht WHEN 'w' THEN 1 WHEN 'm' THEN 0 WHEN 'd' THEN 0 END"


@dataclass(frozen=True, slots=True)
class Mitgliedschaft:
    """A run of one member's periods without a gap, with where it began and where it ended."""

    nr: str
    eintritt: date
    austritt: date | None  # the first day outside; None: still a member
    ov_ein: str
    ub_ein: str
    ov_aus: str
    ub_aus: str
    frau: int | None  # the member's gender as in FRAU_SQL

    def noch_mitglied_nach(self, monate: int) -> bool:
        """Still a member ``monate`` months after the Eintritt: the Austritt (the first day outside) lies later.

        The rule of segmentregeln.ausgetreten_binnen, for first-year retention and the join-quarter cohorts.
        """
        return not sr.ausgetreten_binnen(self.eintritt, self.austritt, monate)


def gruppe(ebene: str, ov: str, ub: str) -> str:
    """The group of ``ebene`` (ortsverein, unterbezirk, gesamt) of a period in ``ov`` and ``ub``."""
    return ov if ebene == "ortsverein" else ub if ebene == "unterbezirk" else GESAMT


def mitgliedschaften(conn: sqlite3.Connection, ab: date) -> list[Mitgliedschaft]:
    """The memberships that began or ended on ``ab`` or later (and the earlier ones of the same members).

    Consecutive periods (``bis`` of one = ``von`` of the next, in the order of ``von``) are one membership.
    """
    rows = conn.execute(
        f"""WITH perioden AS ({PERIODEN_SQL})
        SELECT p.nr, p.ov, p.ub, p.von, p.bis, {FRAU_SQL}
        FROM perioden p LEFT JOIN mitglieder m ON m.nr = p.nr
        WHERE p.nr IN (SELECT nr FROM zugehoerigkeit WHERE von >= :ab OR bis >= :ab)
        ORDER BY p.nr, p.von, p.id""",
        {"ohne_ub": OHNE_UNTERBEZIRK, "ab": ab.isoformat()},
    )
    result: list[Mitgliedschaft] = []
    for nr, ov, ub, von_text, bis_text, frau in rows:
        von, bis = date.fromisoformat(von_text), dt.from_iso(bis_text)
        vorige = result[-1] if result else None
        if vorige is not None and vorige.nr == nr and vorige.austritt == von:  # a move: the same membership
            result[-1] = replace(vorige, austritt=bis, ov_aus=ov, ub_aus=ub)
        else:
            result.append(Mitgliedschaft(nr, von, bis, ov, ub, ov, ub, frau))
    return result


@dataclass
class _Gruppe:
    """What one group collects: counts by the keys of :func:`_werte`, ages, days to the first contact."""

    zahlen: Counter[str] = field(default_factory=Counter)
    alter: Counter[int] = field(default_factory=Counter)  # age -> members
    tage: list[tuple[int, bool]] = field(default_factory=list)  # (day, reached) of the counted new members

    def zaehlen(self, zahlen: dict[str, int]) -> None:
        for key, n in zahlen.items():
            self.zahlen[key] += n

    def dazu(self, other: _Gruppe) -> None:
        self.zahlen.update(other.zahlen)
        self.alter.update(other.alter)
        self.tage += other.tage


class _Gruppen(defaultdict[tuple[str, str], _Gruppe]):
    """What each (Ortsverein, Unterbezirk) collected; :meth:`je_ebene` adds them up per level."""

    def __init__(self) -> None:
        super().__init__(_Gruppe)

    def je_ebene(self, ebene: str) -> dict[str, _Gruppe]:
        """Per group of ``ebene`` (ortsverein, unterbezirk, gesamt) what it collected."""
        result: dict[str, _Gruppe] = defaultdict(_Gruppe)
        for (ov, ub), g in self.items():
            result[gruppe(ebene, ov, ub)].dazu(g)
        return result


def berechnen(
    conn: sqlite3.Connection,
    zeitraum: Zeitraum,
    schritte: Sequence[dict[str, Any]],
    *,
    persoenlich: Sequence[str] = PERSOENLICH,
    paket_monate: int | None = None,
    fortschritt: Callable[[int, int], None] | None = None,
) -> Kennzahlen:
    """Every figure per Ortsverein, per Unterbezirk and for the whole, from the store behind ``conn``.

    ``paket_monate``: how far back a returned Ortsverein package lists new members (see :mod:`abdeckung`).
    """
    melden = fortschritt or (lambda done, total: None)
    abdeckung = abd.ermitteln(
        conn, zeitraum.bis, schritte, persoenlich=persoenlich, paket_monate=paket_monate
    )
    melden(1, 6)
    gruppen = _Gruppen()
    _bestand_zaehlen(conn, zeitraum.bis, gruppen)
    melden(2, 6)
    spannen = mitgliedschaften(conn, min(zeitraum.von, zeitraum.bindung_von))
    _bewegungen_zaehlen(spannen, zeitraum, gruppen)
    melden(3, 6)
    neu = [m for m in spannen if zeitraum.von <= m.eintritt <= zeitraum.bis]
    kontakte = _kontakte_lesen(conn, zeitraum, schritte, persoenlich)
    erstkontakte = _neumitglieder_zaehlen(
        neu, kontakte, zeitraum.bis, schritte, persoenlich, abdeckung, gruppen
    )
    melden(4, 6)
    n_schritte = len(schritte)
    ortsvereine = _werte_je_gruppe(gruppen.je_ebene("ortsverein"), n_schritte)
    unterbezirke = _werte_je_gruppe(gruppen.je_ebene("unterbezirk"), n_schritte)
    gesamt_liste = _werte_je_gruppe(gruppen.je_ebene("gesamt"), n_schritte)
    gesamt = gesamt_liste[0] if gesamt_liste else _werte(GESAMT, {}, n_schritte)
    melden(5, 6)
    zuordnung = _unterbezirk_je_ortsverein(conn)
    for werte in ortsvereine:
        werte.unterbezirk = zuordnung.get(werte.name)
    erster_stand, letzter_stand = staende(conn)
    melden(6, 6)
    return Kennzahlen(
        zeitraum=zeitraum,
        schritte=[dict(s) for s in schritte],
        ortsvereine=ortsvereine,
        unterbezirke=unterbezirke,
        gesamt=gesamt,
        tage_verteilung=_tage_verteilung(erstkontakte),
        kontakte=_kontakte_im_zeitraum(conn, zeitraum),
        erster_stand=erster_stand,
        letzter_stand=letzter_stand,
        abdeckung=abdeckung,
    )


def _bestand_zaehlen(conn: sqlite3.Connection, tag: date, gruppen: _Gruppen) -> None:
    """The members on ``tag`` where they are then: how many, women among the known genders, ages."""
    # Age in full years on the day; NULL for a birth date that is no valid day (implausible ages are left out).
    alter_sql = (
        f"CASE WHEN {gueltiger_tag_sql('m.geburtsdatum')} THEN :jahr - CAST(substr(m.geburtsdatum, 1, 4) AS INTEGER)"
        " - (substr(m.geburtsdatum, 6, 5) > :monat_tag) END"
    )
    rows = conn.execute(
        f"""WITH perioden AS ({PERIODEN_SQL})
        SELECT p.ov, p.ub, {FRAU_SQL}, {alter_sql}, count(*)
        FROM perioden p LEFT JOIN mitglieder m ON m.nr = p.nr
        WHERE p.von <= :tag AND (p.bis IS NULL OR p.bis > :tag)
        GROUP BY 1, 2, 3, 4""",
        {
            "ohne_ub": OHNE_UNTERBEZIRK,
            "tag": tag.isoformat(),
            "jahr": tag.year,
            "monat_tag": tag.isoformat()[5:],
        },
    )
    for ov, ub, frau, alter, anzahl in rows:
        g = gruppen[ov, ub]
        g.zahlen["mitglieder"] += anzahl
        if frau is not None:
            g.zahlen["frauen_m_t"] += frau * anzahl
            g.zahlen["frauen_m_b"] += anzahl
        if alter is not None and 0 <= alter <= ALTER_HOECHSTENS:
            g.zahlen["alter_basis"] += anzahl
            g.alter[alter] += anzahl


def _bewegungen_zaehlen(spannen: Sequence[Mitgliedschaft], zeitraum: Zeitraum, gruppen: _Gruppen) -> None:
    """Eintritte (and women among them), Austritte and Frühaustritte of the period, the retention cohort."""
    for m in spannen:
        if zeitraum.von <= m.eintritt <= zeitraum.bis:
            frau = {"frauen_e_t": int(m.frau == 1), "frauen_e_b": int(m.frau is not None)}
            gruppen[m.ov_ein, m.ub_ein].zaehlen({"eintritte": 1, **frau})
        if m.austritt is not None and zeitraum.von <= m.austritt <= zeitraum.bis:
            frueh = int(sr.frueh_ausgetreten(m.eintritt, m.austritt))
            gruppen[m.ov_aus, m.ub_aus].zaehlen({"austritte": 1, "frueh": frueh})
        if zeitraum.bindung_von <= m.eintritt <= zeitraum.bindung_bis:
            gehalten = int(m.noch_mitglied_nach(BINDUNG_MONATE))
            gruppen[m.ov_ein, m.ub_ein].zaehlen({"bind_b": 1, "bind_t": gehalten})


def _neumitglieder_zaehlen(
    neu: Sequence[Mitgliedschaft],
    kontakte: dict[str, list[_Kontakt]],
    bis: date,
    schritte: Sequence[dict[str, Any]],
    persoenlich: Sequence[str],
    abdeckung: abd.Abdeckung,
    gruppen: _Gruppen,
) -> list[int | None]:
    """The onboarding of the new memberships, counted where they began; returns the day of the first personal
    contact of each one counted for it (None: not reached yet)."""
    erstkontakte = []
    for m in neu:
        zahlen, erstkontakt = _einarbeitung(m, kontakte.get(m.nr, []), bis, schritte, persoenlich, abdeckung)
        g = gruppen[m.ov_ein, m.ub_ein]
        g.zaehlen(zahlen)
        if zahlen["tage_basis"]:
            # not reached yet: observed up to the end of the period (an exit does not end the wait, so an
            # Ortsverein does not look faster because its unreached new members left)
            beobachtet = (bis - m.eintritt).days
            g.tage.append((beobachtet, False) if erstkontakt is None else (erstkontakt, True))
            erstkontakte.append(erstkontakt)
    return erstkontakte


@dataclass(frozen=True, slots=True)
class _Kontakt:
    datum: date
    art: str
    ergebnis: str  # lower case, without spaces around; "" when none


def _kontakte_lesen(
    conn: sqlite3.Connection,
    zeitraum: Zeitraum,
    schritte: Sequence[dict[str, Any]],
    persoenlich: Sequence[str],
) -> dict[str, list[_Kontakt]]:
    """Per member the contacts of the period of the kinds the figures ask about."""
    arten = {a for s in schritte for a in s["arten"]} | set(persoenlich) | {"teilnahme"}
    roh = gespeicherte_arten(arten)
    result: dict[str, list[_Kontakt]] = defaultdict(list)
    for nr, art, ergebnis, datum in conn.execute(
        f"SELECT nr, art, lower(trim(coalesce(ergebnis, ''))), datum FROM kontakte "
        f"WHERE datum >= ? AND datum <= ? AND art IN ({','.join('?' * len(roh))})",
        (zeitraum.von.isoformat(), zeitraum.bis.isoformat(), *roh),
    ):
        tag = dt.gespeicherter_tag(datum)
        if tag is not None:  # no real day (a hand edit): counts nowhere, the report says how many
            result[nr].append(_Kontakt(tag, art, ergebnis))
    return result


_SeitEintritt = Sequence[tuple[_Kontakt, int]]  # a new member's contacts from the Eintritt on, with their day


def _einarbeitung(
    m: Mitgliedschaft,
    kontakte: Sequence[_Kontakt],
    bis: date,
    schritte: Sequence[dict[str, Any]],
    persoenlich: Sequence[str],
    abdeckung: abd.Abdeckung,
) -> tuple[dict[str, int], int | None]:
    """A new membership's onboarding counts (keys of :func:`_werte`) and the day of its first personal contact.

    ``…_b``: counted (due, and recorded since the Eintritt), ``…_t``: counted and fulfilled, ``…_a``: due but
    left out (the records of the kinds began after the Eintritt, or never). The day of the first contact is None
    when there was none yet or the member is not counted.
    """
    seit_eintritt = [(k, (k.datum - m.eintritt).days) for k in kontakte if k.datum >= m.eintritt]
    erstkontakt = None
    if _erfasst_seit(abdeckung.persoenlich, m.eintritt):
        erstkontakt = min(
            (t for k, t in seit_eintritt if passt(k.art, k.ergebnis, persoenlich)), default=None
        )
    zahlen = {
        **_standard(m.eintritt, seit_eintritt, bis, schritte, abdeckung),
        **_erstkontakt(m.eintritt, erstkontakt, bis, abdeckung),
        **_veranstaltung(m.eintritt, seit_eintritt, bis, abdeckung),
    }
    return {key: int(wert) for key, wert in zahlen.items()}, erstkontakt


def _erfasst_seit(erfassung: abd.Erfassung, eintritt: date) -> bool:
    """Whether the records of the kinds began no later than the Eintritt (the whole window lies in them)."""
    return erfassung.erster is not None and eintritt >= erfassung.erster


def _standard(
    eintritt: date,
    seit_eintritt: _SeitEintritt,
    bis: date,
    schritte: Sequence[dict[str, Any]],
    abdeckung: abd.Abdeckung,
) -> dict[str, bool]:
    """Each step of the standard (``s0_b`` …) and the whole standard (``std_…``) for one new member."""
    zahlen: dict[str, bool] = {}
    alle_gezaehlt, alle_erfuellt, irgendwo_faellig = False, True, False
    for i, schritt in enumerate(schritte):
        frist = int(schritt["frist_tage"])
        passend = sum(
            1 for k, t in seit_eintritt if t <= frist and passt(k.art, k.ergebnis, schritt["arten"])
        )
        erfuellt = passend >= int(schritt.get("anzahl", 1))
        faellig = eintritt + timedelta(days=frist) <= bis
        gezaehlt = faellig and _erfasst_seit(abdeckung.schritte[i], eintritt)
        zahlen |= {f"s{i}_b": gezaehlt, f"s{i}_t": gezaehlt and erfuellt, f"s{i}_a": faellig and not gezaehlt}
        alle_gezaehlt |= gezaehlt
        alle_erfuellt &= erfuellt or not gezaehlt
        if abdeckung.schritte[i].erfasst:  # a step without any data leaves nobody out of the standard
            irgendwo_faellig |= faellig
    zahlen |= {
        "std_b": alle_gezaehlt,
        "std_t": alle_gezaehlt and alle_erfuellt,
        "std_a": irgendwo_faellig and not alle_gezaehlt,
    }
    return zahlen


def _erstkontakt(
    eintritt: date, erstkontakt: int | None, bis: date, abdeckung: abd.Abdeckung
) -> dict[str, bool]:
    """Counted for the days to the first personal contact, reached; reached within 30 and 90 days."""
    gezaehlt = _erfasst_seit(abdeckung.persoenlich, eintritt)
    zahlen = {"tage_basis": gezaehlt, "tage_erreicht": erstkontakt is not None, "tage_a": not gezaehlt}
    for frist in ERREICHT_FRISTEN:  # of those whose 30/90 days are over
        faellig = gezaehlt and eintritt + timedelta(days=frist) <= bis
        zahlen[f"e{frist}_b"] = faellig
        zahlen[f"e{frist}_t"] = faellig and erstkontakt is not None and erstkontakt <= frist
    return zahlen


def _veranstaltung(
    eintritt: date, seit_eintritt: _SeitEintritt, bis: date, abdeckung: abd.Abdeckung
) -> dict[str, bool]:
    """An event within :data:`VERANSTALTUNG_MONATE` months of the Eintritt."""
    grenze = dt.add_months(eintritt, VERANSTALTUNG_MONATE)
    faellig = grenze <= bis
    gezaehlt = faellig and _erfasst_seit(abdeckung.teilnahme, eintritt)
    teilgenommen = any(k.art == "teilnahme" and k.datum <= grenze for k, _ in seit_eintritt)
    return {"v_b": gezaehlt, "v_t": gezaehlt and teilgenommen, "v_a": faellig and not gezaehlt}


def _werte_je_gruppe(gruppen: dict[str, _Gruppe], n_schritte: int) -> list[Werte]:
    """The figures of each group that has any, in German alphabetical order."""
    result = []
    for name, g in gruppen.items():
        zahlen: dict[str, Any] = dict(g.zahlen)
        zahlen["alter_median"] = _median(g.alter)
        zahlen["tage_median"] = km_median([t for t, _ in g.tage], [e for _, e in g.tage])
        werte = _werte(name, zahlen, n_schritte)
        if not werte.leer or name == GESAMT:
            result.append(werte)
    return sorted(result, key=lambda w: (sortierschluessel(w.name), w.name))


def _unterbezirk_je_ortsverein(conn: sqlite3.Connection) -> dict[str, str]:
    """The Unterbezirk of each Ortsverein: that of its latest period (of two on one day, the one stored last)."""
    rows = conn.execute(
        f"""WITH perioden AS ({PERIODEN_SQL})
        SELECT ov, ub FROM (
            SELECT ov, ub, row_number() OVER (PARTITION BY ov ORDER BY von DESC, id DESC) AS neueste
            FROM perioden)
        WHERE neueste = 1""",
        {"ohne_ub": OHNE_UNTERBEZIRK},
    )
    return dict(rows.fetchall())


def _kontakte_im_zeitraum(conn: sqlite3.Connection, zeitraum: Zeitraum) -> dict[str, int]:
    return {
        row[0]: row[1]
        for row in conn.execute(
            "SELECT art, count(*) FROM kontakte WHERE datum >= ? AND datum <= ? "
            f"AND {gueltiger_tag_sql('substr(datum, 1, 10)')} GROUP BY art",
            (zeitraum.von.isoformat(), zeitraum.bis.isoformat()),
        )
    }


def staende(conn: sqlite3.Connection) -> tuple[date | None, date | None]:
    """The Stand of the first and of the newest member export in the store."""
    row = conn.execute(
        "SELECT min(stand), max(stand) FROM importe WHERE art = 'mitglieder' AND stand IS NOT NULL"
    ).fetchone()
    if not row:
        return None, None
    return dt.from_iso(row[0]) if row[0] else None, dt.from_iso(row[1]) if row[1] else None


def _median(haeufigkeit: Counter[int]) -> float | None:
    """The median of values counted by ``haeufigkeit`` (of an even number the mean of the middle two)."""
    n = sum(haeufigkeit.values())
    if not n:
        return None
    return (_wert_an(haeufigkeit, (n - 1) // 2) + _wert_an(haeufigkeit, n // 2)) / 2


def _wert_an(haeufigkeit: Counter[int], index: int) -> int:
    """The value at ``index`` (from 0) of the sorted values counted by ``haeufigkeit``."""
    gezaehlt = 0
    for wert in sorted(haeufigkeit):
        gezaehlt += haeufigkeit[wert]
        if gezaehlt > index:
            return wert
    raise IndexError(index)


def km_median(tage: Sequence[float], erreicht: Sequence[bool]) -> float | None:
    """Kaplan–Meier median: the first day on which the estimated share not yet reached is at most one half.

    ``tage``: per member the day of the first contact (``erreicht``) or the last day observed without one.
    None when fewer than half are reached (or nobody is counted).
    """
    je_tag: dict[float, list[int]] = defaultdict(lambda: [0, 0])  # day -> [reached on it, observed up to it]
    for tag, e in zip(tage, erreicht):
        je_tag[tag][0] += int(e)
        je_tag[tag][1] += 1
    unter_risiko = len(tage)  # members not yet reached nor out of sight at a day
    noch_nicht = 1.0
    for tag in sorted(je_tag):
        ereignisse, beobachtet = je_tag[tag]
        noch_nicht *= 1.0 - ereignisse / unter_risiko
        if noch_nicht <= 0.5 + 1e-12:
            return float(tag)
        unter_risiko -= beobachtet
    return None


def _werte(name: str, z: dict[str, Any], n_schritte: int) -> Werte:
    def n(key: str) -> int:
        return int(z.get(key, 0))

    def median(key: str, basis: str, erreicht: str | None = None) -> Median:
        b = n(basis)
        value = z.get(key)
        return Median(float(value) if b and value is not None else None, b, n(erreicht) if erreicht else None)

    return Werte(
        name=name,
        mitglieder=n("mitglieder"),
        eintritte=n("eintritte"),
        austritte=n("austritte"),
        fruehaustritte=n("frueh"),
        schritte=[Anteil(n(f"s{i}_t"), n(f"s{i}_b")) for i in range(n_schritte)],
        standard=Anteil(n("std_t"), n("std_b")),
        tage_erstkontakt=median("tage_median", "tage_basis", "tage_erreicht"),
        erreicht_in={frist: Anteil(n(f"e{frist}_t"), n(f"e{frist}_b")) for frist in ERREICHT_FRISTEN},
        veranstaltung=Anteil(n("v_t"), n("v_b")),
        bindung=Anteil(n("bind_t"), n("bind_b")),
        frauen_mitglieder=Anteil(n("frauen_m_t"), n("frauen_m_b")),
        frauen_eintritte=Anteil(n("frauen_e_t"), n("frauen_e_b")),
        median_alter=median("alter_median", "alter_basis"),
        ausgelassen={
            **{f"s{i}": n(f"s{i}_a") for i in range(n_schritte)},
            "standard": n("std_a"),
            "veranstaltung": n("v_a"),
            "tage": n("tage_a"),
        },
    )


def _tage_verteilung(erstkontakte: Sequence[int | None]) -> list[tuple[str, int]]:
    """The counted new members by days to the first personal contact, and the ones not reached yet."""
    result = []
    for name, erster, letzter in TAGE_KLASSEN:
        hoechstens = math.inf if letzter is None else letzter
        result.append((name, sum(1 for t in erstkontakte if t is not None and erster <= t <= hoechstens)))
    result.append((NICHT_ERREICHT, sum(1 for t in erstkontakte if t is None)))
    return result


# --------------------------------------------------------------------------------------------------------------
# Ranking and what stands out


@dataclass(frozen=True)
class Rang:
    rang: int | None  # None: too few new members to rank
    werte: Werte


def rangfolge(gruppen: Sequence[Werte], min_fallzahl: int, *, kontakte_erfasst: bool = True) -> list[Rang]:
    """Rank by "Standard erfüllt"; only groups with at least ``min_fallzahl`` new members with a due step.

    Without any recorded contact there is nothing to rank: everybody would share rank 1 with 0 %.
    """
    rankbar = [w for w in gruppen if w.standard.basis >= min_fallzahl and kontakte_erfasst]
    rankbar.sort(key=lambda w: (-(w.standard.wert or 0.0), -w.standard.basis, sortierschluessel(w.name)))
    result: list[Rang] = []
    vorher: float | None = None
    rang = 0
    for i, werte in enumerate(rankbar, start=1):
        wert = round(werte.standard.wert or 0.0, 9)
        if wert != vorher:
            rang, vorher = i, wert
        result.append(Rang(rang, werte))
    gerankt = {id(w) for w in rankbar}
    rest = sorted((w for w in gruppen if id(w) not in gerankt), key=lambda w: sortierschluessel(w.name))
    result.extend(Rang(None, w) for w in rest)
    return result


AUFFAELLIG_ABSTAND = 0.10  # "far above the rest" also needs a gap of at least 10 percentage points
AUFFAELLIG_HOECHSTENS = 5  # per kind of finding; the rest is summed up in one sentence


NAMEN_HOECHSTENS = 10  # Ortsvereine named in one merged finding


def auffaelligkeiten(
    gruppen: Sequence[Werte],
    schritte: Sequence[dict[str, Any]],
    min_fallzahl: int,
    *,
    kontakte_erfasst: bool = True,
    ebene: str = "ortsverein",
    bindung_vollstaendig: bool = True,
) -> list[str]:
    """A short list of distinct findings, in German sentences (no personal data: only groups and shares).

    - a step nobody received within its deadline: "in keinem Ortsverein" when that holds for every group with
      at least ``min_fallzahl`` due, the pattern with its exceptions when it holds for most ("In 9 von 11
      Ortsvereinen …; erreicht haben es nur …"); the other groups that reached nobody for some step in one line;
    - the groups whose 95 % interval of "Standard erfüllt" (one line) or "Bindung im 1. Jahr" (one line) lies
      entirely above (below) the pooled share of all other groups, by at least :data:`AUFFAELLIG_ABSTAND`.
    Without the whole history of the retention cohort (``bindung_vollstaendig`` False) nothing is said about
    retention: who left before the first export is missing, so a difference may be an artefact.
    A finding names at most :data:`NAMEN_HOECHSTENS` (steps) or :data:`AUFFAELLIG_HOECHSTENS` (shares) groups,
    the strongest first, and counts the rest. A step without any data has a base of 0 everywhere and so never
    appears here.
    """
    namen = _Namen(ebene)
    saetze: list[str] = []
    niemand: set[str] = set()
    if kontakte_erfasst:
        muster, niemand = _muster_niemand(gruppen, schritte, min_fallzahl, namen)
        saetze += [satz for _, satz in muster]
        ueberall = {i for i, _ in muster}
        satz = _einzelne_niemand(gruppen, schritte, min_fallzahl, ueberall, namen)
        if satz:
            saetze.append(satz)
            niemand |= {w.name for w in gruppen if _leere_schritte(w, schritte, min_fallzahl, ueberall)}
    for merkmal, titel in (("standard", "Standard erfüllt"), ("bindung", "Bindung im 1. Jahr")):
        if (merkmal == "standard" and not kontakte_erfasst) or (
            merkmal == "bindung" and not bindung_vollstaendig
        ):
            continue
        ueber, unter = _weit_weg(gruppen, merkmal, min_fallzahl)
        if merkmal == "standard":  # who reached nobody is said already
            unter = [f for f in unter if f[1].name not in niemand]
        saetze += _weit_weg_saetze(ueber, titel, "über", min_fallzahl)
        saetze += _weit_weg_saetze(unter, titel, "unter", min_fallzahl)
    return saetze


@dataclass(frozen=True)
class _Namen:
    ebene: str

    @property
    def einzahl(self) -> str:
        return "Unterbezirk" if self.ebene == "unterbezirk" else "Ortsverein"

    @property
    def dativ(self) -> str:
        return "Unterbezirken" if self.ebene == "unterbezirk" else "Ortsvereinen"


def _muster_niemand(
    gruppen: Sequence[Werte], schritte: Sequence[dict[str, Any]], m: int, namen: _Namen
) -> tuple[list[tuple[int, str]], set[str]]:
    """Steps nobody (or nobody in most groups) received in time: the pattern first, then the exceptions."""
    result: list[tuple[int, str]] = []
    betroffen: set[str] = set()
    for i, schritt in enumerate(schritte):
        zaehlen = [w for w in gruppen if i < len(w.schritte) and w.schritte[i].basis >= m]
        null = [w for w in zaehlen if w.schritte[i].treffer == 0]
        alle = len(zaehlen) >= 2 and len(null) == len(zaehlen)
        meiste = len(zaehlen) >= 3 and len(null) * 2 > len(zaehlen)
        if not (alle or meiste):
            continue
        betroffen.update(w.name for w in null)
        if alle:
            basis = sum(w.schritte[i].basis for w in zaehlen)
            result.append(
                (
                    i,
                    f"In keinem {namen.einzahl} hat ein Neumitglied „{schritt['name']}“ fristgerecht bekommen "
                    f"(0 von {zahl_de(basis)}).",
                )
            )
            continue
        ausnahmen = sorted(
            (w for w in zaehlen if w.schritte[i].treffer > 0),
            key=lambda w: (-(w.schritte[i].wert or 0.0), sortierschluessel(w.name)),
        )
        genannt = [f"{w.name} ({anteil_text(w.schritte[i], m)})" for w in ausnahmen[:NAMEN_HOECHSTENS]]
        if len(ausnahmen) > NAMEN_HOECHSTENS:
            genannt.append(f"{zahl_de(len(ausnahmen) - NAMEN_HOECHSTENS)} weitere")
        result.append(
            (
                i,
                f"In {zahl_de(len(null))} von {zahl_de(len(zaehlen))} {namen.dativ} hat kein Neumitglied "
                f"„{schritt['name']}“ fristgerecht bekommen; erreicht haben es nur {aufzaehlung(genannt)}.",
            )
        )
    return result, betroffen


def _leere_schritte(
    werte: Werte, schritte: Sequence[dict[str, Any]], m: int, ausser: set[int]
) -> list[tuple[str, Anteil]]:
    """The steps (name, share) this group gave nobody in time, apart from the patterns said already."""
    return [
        (schritt["name"], anteil)
        for i, (schritt, anteil) in enumerate(zip(schritte, werte.schritte))
        if i not in ausser and anteil.basis >= m and anteil.treffer == 0
    ]


def _einzelne_niemand(
    gruppen: Sequence[Werte], schritte: Sequence[dict[str, Any]], m: int, ausser: set[int], namen: _Namen
) -> str:
    """One line for every group that reached nobody in time for some step (the largest bases first)."""
    funde = [(w, leer) for w in gruppen if (leer := _leere_schritte(w, schritte, m, ausser))]
    if not funde:
        return ""

    def text(leer: list[tuple[str, Anteil]]) -> str:
        return ", ".join(f"„{name}“ (0 von {zahl_de(a.basis)})" for name, a in leer)

    if len(funde) == 1:
        werte, leer = funde[0]
        return f"{werte.name}: kein Neumitglied hat fristgerecht bekommen: {text(leer)}."
    funde.sort(key=lambda f: (-sum(a.basis for _, a in f[1]), sortierschluessel(f[0].name)))
    rest = len(funde) - NAMEN_HOECHSTENS
    muster = {tuple(name for name, _ in leer) for _, leer in funde}
    if len(muster) == 1:  # the same steps everywhere: name them once
        schritte_text = " und ".join(f"„{name}“" for name, _ in funde[0][1])
        genannt = [
            f"{w.name} ({', '.join(f'0 von {zahl_de(a.basis)}' for _, a in leer)})"
            for w, leer in funde[:NAMEN_HOECHSTENS]
        ]
        if rest > 0:
            genannt.append(f"{zahl_de(rest)} weitere")
        return (
            f"Bei {zahl_de(len(funde))} {namen.dativ} hat kein Neumitglied {schritte_text} fristgerecht "
            f"bekommen: {', '.join(genannt)}."
        )
    genannt = [f"{w.name}: {text(leer)}" for w, leer in funde[:NAMEN_HOECHSTENS]]
    if rest > 0:
        genannt.append(f"{zahl_de(rest)} weitere")
    return (
        f"Bei {zahl_de(len(funde))} {namen.dativ} gibt es Schritte, die kein Neumitglied fristgerecht bekommen "
        "hat – " + "; ".join(genannt) + "."
    )


def _weit_weg(
    gruppen: Sequence[Werte], merkmal: str, m: int
) -> tuple[list[tuple[float, Werte, Anteil, Anteil]], list[tuple[float, Werte, Anteil, Anteil]]]:
    """The groups whose interval lies entirely above (below) the pooled rest, with the gap, own and rest share."""
    summe = sum((getattr(w, merkmal) for w in gruppen), Anteil())
    ueber, unter = [], []
    for werte in gruppen:
        eigen: Anteil = getattr(werte, merkmal)
        rest = Anteil(summe.treffer - eigen.treffer, summe.basis - eigen.basis)
        if eigen.basis < m or rest.basis < m or rest.wert is None or eigen.wert is None:
            continue
        intervall = eigen.intervall
        assert intervall is not None
        abstand = eigen.wert - rest.wert
        if intervall[0] > rest.wert + 1e-9 and abstand >= AUFFAELLIG_ABSTAND - 1e-9:
            ueber.append((abstand, werte, eigen, rest))
        elif intervall[1] < rest.wert - 1e-9 and -abstand >= AUFFAELLIG_ABSTAND - 1e-9:
            unter.append((-abstand, werte, eigen, rest))
    return ueber, unter


def _weit_weg_saetze(
    funde: list[tuple[float, Werte, Anteil, Anteil]], titel: str, richtung: str, m: int
) -> list[str]:
    """One finding for all groups far above (or below) the rest: the strongest first, the rest counted."""
    if not funde:
        return []
    funde = sorted(funde, key=lambda f: (-f[0], sortierschluessel(f[1].name)))

    def einzeln(eigen: Anteil) -> str:
        return (
            f"{anteil_text(eigen, m)} (95-%-Intervall {intervall_text(eigen.intervall)}, "
            f"{zahl_de(eigen.basis)} Mitglieder)"
        )

    if len(funde) == 1:
        _, werte, eigen, rest = funde[0]
        return [
            f"{werte.name}: {titel} {einzeln(eigen)} – deutlich {richtung} den übrigen zusammen "
            f"({anteil_text(rest, m)})."
        ]
    genannt = [
        f"{werte.name} {einzeln(eigen)[:-1]}; übrige {anteil_text(rest, m)})"
        for _, werte, eigen, rest in funde[:AUFFAELLIG_HOECHSTENS]
    ]
    if len(funde) > AUFFAELLIG_HOECHSTENS:
        genannt.append(f"{zahl_de(len(funde) - AUFFAELLIG_HOECHSTENS)} weitere")
    return [f"{titel} deutlich {richtung} den übrigen zusammen: {aufzaehlung(genannt)}."]


# --------------------------------------------------------------------------------------------------------------
# Display: German numbers, and small numbers suppressed


def zahl_de(n: float) -> str:
    """12.345 (German thousands separator)."""
    return f"{n:,.0f}".replace(",", ".")


def prozent_de(x: float, stellen: int = 1) -> str:
    """12,5 %"""
    return f"{x * 100:,.{stellen}f} %".replace(",", "X").replace(".", ",").replace("X", ".")


def klein_text(min_fallzahl: int) -> str:
    return f"< {min_fallzahl}"


def anzahl_text(n: int, min_fallzahl: int) -> str:
    """A count; below ``min_fallzahl`` only "< 5"."""
    return klein_text(min_fallzahl) if n < min_fallzahl else zahl_de(n)


def anzahl_wert(n: int, min_fallzahl: int) -> int | None:
    """A count for machines (xlsx, JSON); ``None`` when suppressed."""
    return None if n < min_fallzahl else n


def anteil_text(anteil: Anteil, min_fallzahl: int) -> str:
    """A share; resting on fewer than ``min_fallzahl`` members an en dash."""
    if anteil.basis < min_fallzahl or anteil.wert is None:
        return "–"
    return prozent_de(anteil.wert)


def anteil_wert(anteil: Anteil, min_fallzahl: int) -> float | None:
    if anteil.basis < min_fallzahl or anteil.wert is None:
        return None
    return anteil.wert


def intervall_text(intervall: tuple[float, float] | None) -> str:
    if intervall is None:
        return "–"
    return f"{prozent_de(intervall[0])[:-2]}–{prozent_de(intervall[1])}"


def median_text(median: Median, min_fallzahl: int, einheit: str = "") -> str:
    if median.basis < min_fallzahl or median.wert is None:
        return "–"
    wert = median.wert
    text = zahl_de(wert) if float(wert).is_integer() else f"{wert:.1f}".replace(".", ",")
    return f"{text} {einheit}".strip()


def median_wert(median: Median, min_fallzahl: int) -> float | None:
    if median.basis < min_fallzahl or median.wert is None:
        return None
    return median.wert
