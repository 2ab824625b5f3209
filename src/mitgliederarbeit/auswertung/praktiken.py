"""The survey of onboarding practices, and what the report sets them against.

``mitglieder bericht --praktiken-vorlage DATEI.xlsx`` writes a sheet with a row per Ortsverein and a ja/nein
dropdown per practice (:func:`vorlage_schreiben`); the Ortsvereine fill it in; ``--praktiken DATEI.xlsx`` reads
it back (:func:`lesen`): problems are data (:class:`~mitgliederarbeit.einlesen.normalisieren.Problem`, with the
spreadsheet's row and column), the report refuses to run while there are any. :func:`vergleichen` sets the
outcomes of the Ortsvereine with each practice against those without it, with the Ortsverein as the unit: each Ortsverein's
rate counts once, the interval is a bootstrap over Ortsvereine. The free-text remark is read but never printed in
the report: it might name a person.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mitgliederarbeit import datum as dt
from mitgliederarbeit.auswertung.kennzahlen import DEFINITIONEN, Anteil, Werte
from mitgliederarbeit.errors import EingabeFehler

if TYPE_CHECKING:  # the reader of the filled survey loads it; a report without one does not need it
    from mitgliederarbeit.einlesen.normalisieren import Problem

ART = "praktiken"
SPALTE_ORTSVEREIN = "Ortsverein"
SPALTE_UNTERBEZIRK = "Unterbezirk"
SPALTE_BEMERKUNG = "Bemerkung"
BLATT = "Praktiken"
JA, NEIN = "ja", "nein"
_JA = {"ja", "j", "yes", "y", "true", "wahr", "1", "x"}
_NEIN = {"nein", "n", "no", "false", "falsch", "0"}


@dataclass(frozen=True)
class Praxis:
    schluessel: str
    titel: str  # the column heading in the survey and the row label in the report
    kurz: str  # a short column heading for the report's table of answers


def praktiken_liste(anruf_tage: int = 30) -> list[Praxis]:
    """The practices the survey asks about; the call deadline follows the standard's first step."""
    return [
        Praxis("ansprechperson", "Feste Ansprechperson für Neumitglieder", "Ansprech­person"),
        Praxis("willkommensbrief", "Willkommensbrief", "Brief"),
        Praxis("willkommensanruf", "Willkommensanruf", "Anruf"),
        Praxis("anruf_frist", f"Anruf innerhalb von {anruf_tage} Tagen", f"Anruf ≤ {anruf_tage} T."),
        Praxis("neumitgliederabend", "Neumitgliederabend (mind. einmal im Jahr)", "Abend"),
        Praxis("patenschaft", "Pat*innen-Programm", "Pat*in"),
        Praxis("einladung", "Einladung zur ersten Versammlung", "Einladung"),
        Praxis("seminar", "Neumitgliederseminar", "Seminar"),
        Praxis("digitale_gruppe", "Digitale Gruppe (Messenger, Forum)", "Digital"),
    ]


def anruf_tage(schritte: Sequence[dict]) -> int:
    """The deadline of the first step that a call fulfils (30 days in the 1-3-6 standard)."""
    for schritt in schritte:
        if {"anruf", "anruf_erreicht"} & set(schritt["arten"]):
            return int(schritt["frist_tage"])
    return 30


# --------------------------------------------------------------------------------------------------------------
# The survey sheet


def vorlage_schreiben(
    path: Path, ortsvereine: Sequence[tuple[str, str | None]], *, stichtag: date, anruf_frist: int = 30
) -> Path:
    """Write the survey: a row per (Ortsverein, Unterbezirk), ja/nein dropdowns, a hint sheet, hidden metadata."""
    from mitgliederarbeit.dateien import Tabelle, xlsx

    praktiken = praktiken_liste(anruf_frist)
    spalten = [SPALTE_ORTSVEREIN, SPALTE_UNTERBEZIRK, *(p.titel for p in praktiken), SPALTE_BEMERKUNG]
    zeilen = [[ov, ub or "", *([""] * len(praktiken)), ""] for ov, ub in ortsvereine]
    auswahl = {2 + i: [JA, NEIN] for i in range(len(praktiken))}
    breiten: dict[int, float] = {
        0: 24,
        1: 18,
        **{2 + i: 16 for i in range(len(praktiken))},
        2 + len(praktiken): 40,
    }
    hinweise = [
        "Umfrage: Wie begrüßt Ihr Ortsverein neue Mitglieder?",
        f"Stand der Liste: {dt.de(stichtag)}. Bitte je Ortsverein in jeder Spalte „ja“ oder „nein“ wählen "
        "(Auswahlliste). Was Sie nicht wissen, bitte leer lassen – leere Felder zählen weder als ja noch als nein.",
        "„Ja“ heißt: im Ortsverein ist das die Regel, nicht nur ein Einzelfall.",
        f"„Anruf innerhalb von {anruf_frist} Tagen“: jedes Neumitglied wird in dieser Frist angerufen.",
        "Bitte keine Zeilen oder Spalten umbenennen und keine Ortsvereine umbenennen; Zeilen dürfen gelöscht werden.",
        "Die Bemerkung bleibt in dieser Datei und erscheint nicht im Bericht. Bitte dort keine Namen eintragen.",
        "Zurückgeben an die Person, die den Bericht erstellt: mitglieder bericht --praktiken DIESE-DATEI.xlsx",
    ]
    tabellen = [
        Tabelle(BLATT, spalten, zeilen, breiten=breiten, auswahl=auswahl),
        Tabelle("Hinweise", [], [], text_zeilen=hinweise),
    ]
    meta = {"art": ART, "version": "1", "stichtag": stichtag.isoformat(), "anruf_tage": str(anruf_frist)}
    return xlsx(path, tabellen, meta)


@dataclass
class Erhebung:
    """The answers read back: Ortsverein -> practice key -> True/False/None (not answered)."""

    datei: Path
    praktiken: list[Praxis]
    antworten: dict[str, dict[str, bool | None]] = field(default_factory=dict)
    probleme: list[Problem] = field(default_factory=list)


def _normal(text: object) -> str:
    return re.sub(r"[\s._\-*()]+", " ", str(text or "")).strip().casefold()


def _spaltenbuchstabe(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _antwort(value: object) -> bool | None | str:
    """True/False, None for empty, or the text as it was when it is neither ja nor nein."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if not text:
        return None
    if text.casefold() in _JA:
        return True
    if text.casefold() in _NEIN:
        return False
    return text


def lesen(path: Path, bekannte_ortsvereine: Sequence[str]) -> Erhebung:
    """Read a filled survey. Unusable files raise :class:`EingabeFehler`; bad cells become problems."""
    from mitgliederarbeit.einlesen import lesen as reader
    from mitgliederarbeit.einlesen.normalisieren import Problem

    blatt = reader.read(path)
    name = path.name
    if blatt.meta.get("art") not in (None, ART):
        raise EingabeFehler(
            f"{name}: das ist keine Praktiken-Umfrage (sondern „{blatt.meta.get('art')}“).",
            hint="Eine leere Umfrage schreibt: mitglieder bericht --praktiken-vorlage umfrage.xlsx",
        )
    try:
        frist = int(blatt.meta.get("anruf_tage", "30"))
    except ValueError:
        frist = 30
    praktiken = praktiken_liste(frist)
    kopf_zeile = next(
        (
            i
            for i, row in enumerate(blatt.rows[:20])
            if any(_normal(c) == _normal(SPALTE_ORTSVEREIN) for c in row)
        ),
        None,
    )
    if kopf_zeile is None:
        raise EingabeFehler(
            f"{name}: keine Spalte „{SPALTE_ORTSVEREIN}“ gefunden.",
            hint="Bitte die Umfrage verwenden, die „mitglieder bericht --praktiken-vorlage“ geschrieben hat.",
        )
    kopf = [_normal(c) for c in blatt.rows[kopf_zeile]]
    ov_spalte = kopf.index(_normal(SPALTE_ORTSVEREIN))
    spalten: dict[str, int] = {}
    for praxis in praktiken:
        ziel = _normal(praxis.titel)
        for index, text in enumerate(kopf):
            if text == ziel or (praxis.schluessel == "anruf_frist" and text.startswith("anruf innerhalb")):
                spalten[praxis.schluessel] = index
                break
    if not spalten:
        raise EingabeFehler(
            f"{name}: keine der Praktiken-Spalten gefunden (z. B. „{praktiken[1].titel}“).",
            hint="Bitte die Spaltenüberschriften der Vorlage nicht ändern.",
        )
    erhebung = Erhebung(datei=path, praktiken=[p for p in praktiken if p.schluessel in spalten])
    bekannt = {ov.casefold(): ov for ov in bekannte_ortsvereine}
    erste_zeile: dict[str, int] = {}
    titel = {p.schluessel: p.titel for p in praktiken}
    for offset, row in enumerate(blatt.rows[kopf_zeile + 1 :]):
        zeile = kopf_zeile + offset + 2
        cells = list(row)
        if not any(c is not None and str(c).strip() for c in cells):
            continue
        roh = cells[ov_spalte] if ov_spalte < len(cells) else None
        ov_text = "" if roh is None else str(roh).strip()
        ort = f"Zeile {zeile}, Spalte {_spaltenbuchstabe(ov_spalte)} („{SPALTE_ORTSVEREIN}“)"
        if not ov_text:
            erhebung.probleme.append(Problem(zeile, "ortsverein", f"{ort}: der Ortsverein fehlt."))
            continue
        ov = bekannt.get(ov_text.casefold())
        if ov is None:
            vorschlag = difflib.get_close_matches(ov_text, list(bekannte_ortsvereine), n=1)
            gemeint = f" Gemeint ist vielleicht „{vorschlag[0]}“." if vorschlag else ""
            erhebung.probleme.append(
                Problem(zeile, "ortsverein", f"{ort}: „{ov_text}“ gibt es im Datenbestand nicht.{gemeint}")
            )
            continue
        if ov in erste_zeile:
            erhebung.probleme.append(
                Problem(
                    zeile,
                    "ortsverein",
                    f"{ort}: „{ov}“ steht doppelt in der Umfrage (zuerst in Zeile {erste_zeile[ov]}).",
                )
            )
            continue
        erste_zeile[ov] = zeile
        antworten: dict[str, bool | None] = {}
        for schluessel, index in spalten.items():
            wert = _antwort(cells[index] if index < len(cells) else None)
            if isinstance(wert, str):
                erhebung.probleme.append(
                    Problem(
                        zeile,
                        schluessel,
                        f"Zeile {zeile}, Spalte {_spaltenbuchstabe(index)} („{titel[schluessel]}“): „{wert}“ ist "
                        "weder „ja“ noch „nein“. Bitte aus der Auswahlliste wählen oder leer lassen.",
                    )
                )
                wert = None
            antworten[schluessel] = wert
        erhebung.antworten[ov] = antworten
    return erhebung


def fehler_melden(erhebung: Erhebung, *, hoechstens: int = 10) -> None:
    """Raise one :class:`EingabeFehler` naming every problem (up to ``hoechstens``), if there are any."""
    if not erhebung.probleme:
        return
    zeilen = [p.meldung for p in erhebung.probleme[:hoechstens]]
    if len(erhebung.probleme) > hoechstens:
        zeilen.append(f"… und {len(erhebung.probleme) - hoechstens} weitere.")
    anzahl = len(erhebung.probleme)
    raise EingabeFehler(
        f"{erhebung.datei.name}: {anzahl} Fehler in der Umfrage, es wurde kein "
        "Bericht geschrieben.\n  " + "\n  ".join(zeilen),
        hint="Bitte die Zellen korrigieren (nur „ja“, „nein“ oder leer) und den Bericht erneut erstellen.",
    )


# --------------------------------------------------------------------------------------------------------------
# With and without each practice

ERGEBNISSE = ("standard", "veranstaltung", "bindung")
MIN_ORTSVEREINE = 3  # per side: with fewer Ortsvereine there is no comparison, only anecdotes
BOOTSTRAP_ZIEHUNGEN = 2000
BOOTSTRAP_SEED = 20  # fixed: the same data give the same interval in every run


@dataclass(frozen=True)
class Seite:
    """The Ortsvereine that answered one way: each Ortsverein's rate counts once (the Ortsverein is the unit)."""

    ortsvereine: int  # answered this way and known in the store
    raten: tuple[float, ...]  # the rates of those resting on at least min_fallzahl members
    mitglieder: int  # the members behind those rates
    zu_klein: int  # answered this way, but the rate rests on fewer than min_fallzahl members (suppressed)
    intervall: tuple[float, float] | None  # 95 % bootstrap interval of the mean over Ortsvereine

    @property
    def gezaehlt(self) -> int:
        return len(self.raten)

    @property
    def mittel(self) -> float | None:
        """The mean of the Ortsvereine's rates (each Ortsverein weighs the same)."""
        return sum(self.raten) / len(self.raten) if self.raten else None


@dataclass(frozen=True)
class Vergleich:
    praxis: Praxis
    ergebnis: str  # a key of ERGEBNISSE / kennzahlen.DEFINITIONEN
    ja: Seite
    nein: Seite
    nicht_beantwortet: int  # Ortsvereine in the survey without an answer for this practice
    unterschied_intervall: tuple[float, float] | None  # 95 % bootstrap interval of ja − nein
    # pooled over members, as before (kept for the chart, which d2 may still draw from it)
    mit: Anteil = field(default_factory=Anteil)
    ohne: Anteil = field(default_factory=Anteil)

    @property
    def ortsvereine_mit(self) -> int:
        return self.ja.ortsvereine

    @property
    def ortsvereine_ohne(self) -> int:
        return self.nein.ortsvereine

    @property
    def vergleichbar(self) -> bool:
        """Both sides have at least :data:`MIN_ORTSVEREINE` Ortsvereine with a rate."""
        return self.ja.gezaehlt >= MIN_ORTSVEREINE and self.nein.gezaehlt >= MIN_ORTSVEREINE

    @property
    def unterschied(self) -> float | None:
        if not self.vergleichbar or self.ja.mittel is None or self.nein.mittel is None:
            return None
        return self.ja.mittel - self.nein.mittel

    @property
    def ergebnis_titel(self) -> str:
        return DEFINITIONEN[self.ergebnis].titel


def _ziehungen(raten: Sequence[float], rng: Any) -> Any:
    """The means of :data:`BOOTSTRAP_ZIEHUNGEN` resamples of the Ortsvereine (with replacement)."""
    import numpy as np

    werte = np.asarray(raten, dtype=float)
    index = rng.integers(0, len(werte), size=(BOOTSTRAP_ZIEHUNGEN, len(werte)))
    return werte[index].mean(axis=1)


def _intervall(ziehungen: Any) -> tuple[float, float]:
    import numpy as np

    unten, oben = np.percentile(ziehungen, [2.5, 97.5])
    return float(unten), float(oben)


def _seite(anteile: Sequence[Anteil], min_fallzahl: int, rng: Any) -> tuple[Seite, Any]:
    gezaehlt = [a for a in anteile if a.basis >= min_fallzahl and a.wert is not None]
    raten = tuple(a.wert for a in gezaehlt if a.wert is not None)
    ziehungen = _ziehungen(raten, rng) if len(raten) >= MIN_ORTSVEREINE else None
    seite = Seite(
        ortsvereine=len(anteile),
        raten=raten,
        mitglieder=sum(a.basis for a in gezaehlt),
        zu_klein=len(anteile) - len(gezaehlt),
        intervall=None if ziehungen is None else _intervall(ziehungen),
    )
    return seite, ziehungen


def vergleichen(erhebung: Erhebung, ortsvereine: Sequence[Werte], min_fallzahl: int = 5) -> list[Vergleich]:
    """Per outcome and practice: the Ortsvereine that answered ja against those that answered nein, each
    Ortsverein's rate counting once, with a bootstrap over Ortsvereine (fixed seed) for the intervals."""
    import numpy as np

    werte = {w.name: w for w in ortsvereine}
    result = []
    for ergebnis in ERGEBNISSE:
        for praxis in erhebung.praktiken:
            seiten: dict[bool, list[Anteil]] = {True: [], False: []}
            offen = 0
            for ov, antworten in erhebung.antworten.items():
                antwort = antworten.get(praxis.schluessel)
                if ov not in werte:
                    continue
                if antwort is None:
                    offen += 1
                    continue
                seiten[antwort].append(getattr(werte[ov], ergebnis))
            rng = np.random.default_rng(BOOTSTRAP_SEED)
            ja, ziehungen_ja = _seite(seiten[True], min_fallzahl, rng)
            nein, ziehungen_nein = _seite(seiten[False], min_fallzahl, rng)
            unterschied = None
            if ziehungen_ja is not None and ziehungen_nein is not None:
                unterschied = _intervall(ziehungen_ja - ziehungen_nein)
            result.append(
                Vergleich(
                    praxis,
                    ergebnis,
                    ja,
                    nein,
                    offen,
                    unterschied,
                    mit=sum(seiten[True], Anteil()),
                    ohne=sum(seiten[False], Anteil()),
                )
            )
    return result


DEFINITION_PRAKTIKEN = (
    "Verglichen werden Ortsvereine, nicht Mitglieder: Für jede Praxis stehen die Ortsvereine, die sie nach eigener "
    "Angabe pflegen („ja“), neben denen, die sie nicht pflegen („nein“). Jeder Ortsverein zählt mit seinem "
    "eigenen Anteil einmal, ein großer nicht mehr als ein kleiner; der Wert einer Seite ist der Mittelwert "
    "dieser Anteile. Ein Ortsverein ohne Antwort („nicht beantwortet“) zählt nicht, ebenso einer, dessen Anteil "
    "auf weniger als {min} Mitgliedern beruht („zu klein“). Das 95-%-Intervall kommt aus einem Bootstrap über "
    "die Ortsvereine ({ziehungen} Ziehungen mit Zurücklegen, fester Startwert, also bei gleichen Daten "
    "gleich): es zeigt, wie sehr der Wert davon abhängt, welche Ortsvereine zufällig dabei sind. Mit weniger "
    "als {min_ov} Ortsvereinen auf einer Seite ist kein Vergleich möglich."
)
HINWEIS_ZUSAMMENHANG = (
    "Wichtig: Diese Gegenüberstellung zeigt einen Zusammenhang, keinen Beweis für eine Ursache. Ortsvereine, "
    "die eine Praxis pflegen, unterscheiden sich oft auch sonst – in Größe, Lage, Altersstruktur oder im "
    "Engagement ihres Vorstands. Die Zahlen helfen, Fragen zu stellen und voneinander zu lernen; sie beweisen "
    "nicht, dass eine Praxis wirkt."
)
