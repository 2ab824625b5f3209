"""``mitglieder anrufliste``: an xlsx call list for volunteers, one sheet per caller.

Members of one Ortsverein stay together on one caller's sheet; an Ortsverein is split only when it alone is larger
than a fair share. Ortsvereine go to callers largest first, each to the caller with the fewest calls so far.
Within a sheet: Ortsvereine alphabetically, newest members first.

Nothing beyond what a call needs leaves the store: no address, no birth date (the age in years), no e-mail,
no bank or dues data. A hidden metadata sheet holds the list's id, the callers and every member number with its
sheet, so ``mitglieder import`` can take the results back even when callers sort rows or move columns.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mitgliederarbeit import datum as dt
from mitgliederarbeit.ausgaben import kontaktangaben
from mitgliederarbeit.auswertung import segmente
from mitgliederarbeit.bestand import speicher
from mitgliederarbeit.bestand.anrufergebnisse import ERGEBNISSE
from mitgliederarbeit.errors import BedienFehler, KonfigFehler
from mitgliederarbeit.ordner import Arbeitsordner

if TYPE_CHECKING:
    from mitgliederarbeit import dateien

MITMACHEN = ["ja", "vielleicht", "nein"]

SPALTEN = [
    "Nr",
    "Mitgliedsnummer",
    "Vorname",
    "Nachname",
    "Ortsverein",
    "Mitglied seit",
    "Alter",
    "Telefon",
    "Mobil",
    "Bisherige Versuche",
    "Ergebnis",
    "Datum",
    "Interessen",
    "möchte mitmachen",
    "Notiz",
    "Letzter Anruf",  # the result of the last call from an earlier list, beside the note of this one
]
# Printed in landscape and fitted to the page width, these widths give about 8 pt text; the columns to fill by
# hand get the most room. Short numbers (Nr, Alter, Versuche) are centred so they never touch their neighbours.
_BREITEN: dict[int, float] = {
    0: 4,
    1: 14,
    2: 11,
    3: 13,
    4: 11,
    5: 10,
    6: 5,
    7: 13,
    8: 13,
    9: 8,
    10: 18,
    11: 10,
    12: 16,
    13: 10,
    14: 22,
    15: 22,
}
_ZENTRIERT = frozenset({0, 6, 9})
_ZEILENHOEHE_PT = 28.0  # room to write a result, a date and a short note by hand
VERTRAULICH = "Vertraulich – nur für die Telefonaktion"

# Reasons a member of the segment is left out, in the order they are checked -> German for the summary.
GRUENDE: dict[str, str] = {
    "kein_anruf": "kein Anruf gewünscht",
    "will_austreten": "mit Austrittswunsch (bitte persönlich nachfassen)",
    "kein_telefon": "ohne Telefonnummer",
    "falsche_nummer": "nur mit falscher Nummer",
    "max_versuche": "nach {max_versuche} vergeblichen Versuchen",
    "sperrfrist": "in den letzten {sperrfrist_tage} Tagen schon angerufen",
}
LEITFADEN_BLATT = "Gesprächsleitfaden"
DATENSCHUTZ_BLATT = "Datenschutz"


@dataclass
class Anrufliste:
    """What ``anrufliste`` wrote (the ``--json`` keys ``datei``, ``anrufer``, ``eintraege``, ``ausgelassen``)."""

    datei: Path | None
    segment: str
    beschreibung: str
    stichtag: date
    anrufer: list[str]
    je_anrufer: dict[str, int]
    eintraege: int
    im_segment: int
    ausgelassen: dict[str, int]
    schon_erreicht: int
    loeschen_am: date
    liste: str
    ortsvereine: list[str] | None = None
    warnungen: list[str] = field(default_factory=list)
    config: dict[str, Any] = field(default_factory=dict, repr=False)
    dateien: list[Path] = field(default_factory=list)  # with --je-anrufer: one file per caller
    je_anrufer_datei: bool = False
    bestand: str = ""  # the store's id: the import refuses a list from another working folder

    def as_json(self) -> dict[str, Any]:
        return {
            "datei": str(self.datei) if self.datei else None,
            "anrufer": self.anrufer,
            "eintraege": self.eintraege,
            "ausgelassen": self.ausgelassen,
            "segment": self.segment,
            "im_segment": self.im_segment,
            "je_anrufer": self.je_anrufer,
            "schon_erreicht": self.schon_erreicht,
            "loeschen_am": self.loeschen_am.isoformat(),
            "liste": self.liste,
            "warnungen": self.warnungen,
            "dateien": [str(p) for p in self.dateien],
        }

    def grund_text(self, grund: str) -> str:
        return GRUENDE[grund].format(**self.config.get("anrufliste", {}))


# --------------------------------------------------------------------------------------------------------------
# who is called, by whom
# --------------------------------------------------------------------------------------------------------------


def _grund(m: dict[str, Any], tag: date, max_versuche: int, sperrfrist: int) -> str | None:
    """Why a member of the segment is not called now, or None."""
    if m["kein_anruf"] or m["sperre_anruf"]:
        return "kein_anruf"
    if m["will_austreten"]:
        return "will_austreten"
    if not m["telefon"] and not m["mobil"]:
        return "kein_telefon"
    if not (m["telefon"] and not m["telefon_falsch"]) and not (m["mobil"] and not m["mobil_falsch"]):
        return "falsche_nummer"
    if max_versuche and m["versuche"] >= max_versuche:
        return "max_versuche"
    if m["letzter_anruf"] is not None and (tag - m["letzter_anruf"]).days < sperrfrist:
        return "sperrfrist"
    return None


def anrufer_namen(
    anrufer: list[str] | None, anzahl: int | None, config: dict[str, Any]
) -> tuple[list[str], bool]:
    """(caller names, whether they are real names). ``--anrufer`` and ``--anrufer-anzahl`` must agree.

    Control characters (a pasted escape sequence) are dropped: they would print in the page header.
    """
    from mitgliederarbeit.dateien import ohne_steuerzeichen

    namen = [n.strip() for a in (anrufer or []) for n in ohne_steuerzeichen(a).split(",") if n.strip()]
    if anzahl is not None and anzahl < 1:
        raise BedienFehler("--anrufer-anzahl muss mindestens 1 sein.")
    if namen:
        if anzahl is not None and anzahl != len(namen):
            raise BedienFehler(
                f"--anrufer nennt {len(namen)} Namen, --anrufer-anzahl sagt {anzahl}. Bitte nur eines angeben."
            )
    elif anzahl is not None:
        return (["Anrufliste"] if anzahl == 1 else [f"Liste {i}" for i in range(1, anzahl + 1)]), False
    else:
        namen = [ohne_steuerzeichen(n).strip() for n in config["anrufliste"]["anrufer"] if n.strip()]
        namen = [n for n in namen if n]
        if not namen:
            return ["Anrufliste"], False
    doppelt = {n for n in namen if namen.count(n) > 1}
    if doppelt:
        raise BedienFehler(f"--anrufer: „{sorted(doppelt)[0]}“ steht doppelt in der Liste.")
    return namen, True


def _blattnamen(anrufer: list[str]) -> list[str]:
    """Sheet names for the callers (:func:`dateien.blattname`); names must differ."""
    from mitgliederarbeit.dateien import blattname

    reserviert = {LEITFADEN_BLATT.casefold(), DATENSCHUTZ_BLATT.casefold(), "_mitgliederarbeit"}
    result: list[str] = []
    for name in anrufer:
        base = blattname(name) or "Anrufer"
        candidate, i = base, 2
        while candidate.casefold() in reserviert or candidate.casefold() in {r.casefold() for r in result}:
            candidate = f"{blattname(base, 31 - len(str(i)) - 1)} {i}"
            i += 1
        result.append(candidate)
    return result


def verteilen(mitglieder: list[dict[str, Any]], anzahl: int) -> list[list[dict[str, Any]]]:
    """Split the members among ``anzahl`` callers: Ortsvereine kept together, load balanced (greedy, largest first).

    An Ortsverein larger than a fair share (total / callers, rounded up) is cut into parts of that share and a
    rest. Each sheet lists its Ortsvereine alphabetically, newest members first.
    """
    gruppen: dict[str, list[dict[str, Any]]] = {}
    for m in mitglieder:
        gruppen.setdefault(m["ortsverein"], []).append(m)
    for gruppe in gruppen.values():
        gruppe.sort(key=lambda m: ((m["nachname"] or "").casefold(), (m["vorname"] or "").casefold()))
        # stable: names stay A–Z within a day; an unknown join date ("") last
        gruppe.sort(key=lambda m: m["eintrittsdatum"] or "", reverse=True)
    anteil = max(1, math.ceil(len(mitglieder) / anzahl))
    stuecke: list[tuple[str, list[dict[str, Any]]]] = []
    for ov, gruppe in gruppen.items():
        # full shares, and the rest stays small enough to fill up another caller's sheet
        for start in range(0, len(gruppe), anteil):
            stuecke.append((ov, gruppe[start : start + anteil]))
    stuecke.sort(key=lambda s: (-len(s[1]), s[0].casefold()))
    blaetter: list[list[tuple[str, list[dict[str, Any]]]]] = [[] for _ in range(anzahl)]
    last = [0] * anzahl
    for ov, teil in stuecke:
        i = min(range(anzahl), key=lambda k: (last[k], k))
        blaetter[i].append((ov, teil))
        last[i] += len(teil)
    result = []
    for blatt in blaetter:
        # the parts of a split Ortsverein keep their order (newest first) because sort is stable
        blatt.sort(key=lambda s: s[0].casefold())
        result.append([m for _, teil in blatt for m in teil])
    return result


# --------------------------------------------------------------------------------------------------------------
# the sheets
# --------------------------------------------------------------------------------------------------------------


def _leitfaden(ordner: Arbeitsordner) -> list[str]:
    config = ordner.config
    eigen = config["anrufliste"]["leitfaden"]
    if eigen:
        path = Path(eigen).expanduser()
        if not path.is_absolute():
            path = ordner.pfad / path
        if not path.is_file():
            raise KonfigFehler(
                f"mitglieder.toml: „anrufliste.leitfaden“ = „{eigen}“: die Datei {path} gibt es nicht.",
                hint="Bitte den Pfad prüfen oder den Eintrag leeren, dann gilt der mitgelieferte Leitfaden.",
            )
    else:
        from mitgliederarbeit.vorlagen import vorlagen_ordner

        path = vorlagen_ordner() / "gespraechsleitfaden.md"
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise KonfigFehler(f"Der Gesprächsleitfaden {path} kann nicht gelesen werden ({exc}).") from None
    org = config["organisation"]
    werte = {
        "organisation": org["name"] or org["partei"] or "deinem Ortsverein",
        "partei": org["partei"] or "der Partei",
        "funktion": org["funktion"],
        "unterschrift": org["unterschrift"],
    }
    zeilen: list[str] = []
    for line in text.splitlines():
        line = line.rstrip()
        for key, value in werte.items():
            line = line.replace("{" + key + "}", value)
        line = re.sub(r"^#+\s*", "", line)
        line = re.sub(r"^\s*[-*]\s+", "• ", line)
        line = line.replace("**", "").replace("__", "")
        if line or (zeilen and zeilen[-1]):
            zeilen.append(line)
    return zeilen or ["Gesprächsleitfaden"]


def _datenschutz(ergebnis: Anrufliste, namen: list[str], echte_namen: bool, eigene: str | None) -> list[str]:
    """The data protection sheet. ``eigene``: the caller whose own file this is (``--je-anrufer``), else None.

    Only a file that holds one caller's people may go to that caller; the workbook with every sheet stays with the
    membership officer, and the sheet says so.
    """
    if eigene is not None:
        wer = (
            f"Diese Datei enthält nur die Personen, die {eigene} anruft. Sehen dürfen sie nur {eigene} und die "
            "oder der Mitgliederbeauftragte."
            if echte_namen
            else "Diese Datei enthält nur die Personen eines Blattes. Sehen dürfen sie nur die Person, die "
            "diese Liste anruft, und die oder der Mitgliederbeauftragte."
        )
    elif len(namen) > 1:
        alle = ", ".join(namen) if echte_namen else f"{len(namen)} Anrufende"
        wer = (
            f"Diese Datei enthält die Blätter aller Anrufenden ({alle}) und bleibt bei der oder dem "
            "Mitgliederbeauftragten. Jede anrufende Person bekommt nur ihr eigenes Blatt: ausgedruckt oder als "
            "eigene Datei (mitglieder anrufliste --je-anrufer). Die ganze Datei nicht weitergeben."
        )
    else:
        anrufer = namen[0] if echte_namen else "die Person, die diese Liste anruft"
        wer = f"Sehen dürfen diese Liste nur {anrufer} und die oder der Mitgliederbeauftragte."
    return [
        "Datenschutz – bitte vor dem ersten Anruf lesen",
        "Diese Liste enthält personenbezogene Daten von Parteimitgliedern. Schon die Mitgliedschaft in einer Partei "
        "verrät eine politische Meinung; sie ist nach Art. 9 DSGVO besonders geschützt.",
        f"Zweck: ausschließlich die Telefonaktion „{ergebnis.segment}“ ({ergebnis.beschreibung}), Liste vom "
        f"{dt.de(ergebnis.stichtag)}. Jede andere Verwendung ist nicht erlaubt.",
        f"Wer die Liste sehen darf: {wer} Nicht weitergeben, nicht in Gruppen-Chats oder Clouds teilen, "
        "Ausdrucke nicht liegen lassen.",
        "Notizen: nur, was für die Betreuung nötig ist (Rückrufwunsch, Interessen, ob jemand mitmachen möchte). "
        "Keine Meinungen oder politischen Positionen, nichts über Gesundheit, Religion oder Privates.",
        "Wer nicht angerufen werden möchte, bekommt „kein Anruf gewünscht“ – dann wird die Person nicht wieder "
        "angerufen.",
        f"Löschen: spätestens am {dt.de(ergebnis.loeschen_am)} diese Datei und alle Kopien löschen (auch "
        "Downloads, E-Mail-Anhänge) und Ausdrucke vernichten.",
        "Zurückgeben: die ausgefüllte Datei an die oder den Mitgliederbeauftragten; sie wird mit "
        "„mitglieder import DATEI“ übernommen. Blätter, Spalten und Zeilen dürfen dabei sortiert oder verschoben "
        "werden; das versteckte Blatt „_mitgliederarbeit“ bitte nicht löschen.",
    ]


def _ortsvereine_block(alle: list[kontaktangaben.Kontaktangaben]) -> list[str]:
    """What the call script tells callers to mention, per Ortsverein of the file: contact person, next meeting."""
    zeilen = ["Ansprechpersonen und nächste Treffen – im Gespräch nennen:"]
    for angaben in alle:
        kontakt = ", ".join(t for t in (angaben.ansprechperson, angaben.telefon, angaben.email) if t)
        if angaben.eigene_ansprechperson:
            kontakt = f"Ansprechperson {kontakt}"
        elif kontakt:
            kontakt = f"noch keine Ansprechperson eingetragen (bei Fragen: {kontakt})"
        else:
            kontakt = "noch keine Ansprechperson eingetragen"
        treffen = angaben.naechstes_treffen.replace("\n", ", ") or "noch kein Termin eingetragen"
        zeilen.append(f"• {angaben.ortsverein}: {kontakt} – nächstes Treffen: {treffen}")
    return [*zeilen, ""]


def _bestand(ordner: Arbeitsordner) -> str:
    """The store's id, made now if no list or package made it yet (once per store)."""
    from mitgliederarbeit.bestand.pakete import bestand_id

    store = speicher.oeffnen(ordner.pfad)
    try:
        kennung = bestand_id(store.conn)
        if kennung is None:
            with store.transaktion(sichern=False) as conn:  # only the id is written
                kennung = bestand_id(conn, anlegen=True)
    finally:
        store.close()
    assert kennung is not None
    return kennung


def _letzte_anrufe(ordner: Arbeitsordner, nummern: set[str]) -> dict[str, str]:
    """Member -> "20.08.2026: Rückruf vereinbart – abends ab 18 Uhr": the last call of earlier lists.

    The note goes with a callback only (the agreed time is what the next caller needs); other notes stay in the
    store.
    """
    store = speicher.oeffnen(ordner.pfad)
    try:
        zeilen = store.conn.execute(
            "SELECT nr, datum, ergebnis, notiz FROM kontakte WHERE art = 'anruf' ORDER BY datum, id"
        ).fetchall()
    finally:
        store.close()
    result = {}
    for nr, datum, ergebnis, notiz in zeilen:
        tag = dt.gespeicherter_tag(datum)  # None: no real day (a hand edit), counts nowhere
        if nr not in nummern or tag is None:
            continue
        text = f"{dt.de(tag)}: {ERGEBNISSE.get(ergebnis, ergebnis or 'ohne Ergebnis')}"
        if ergebnis == "rueckruf" and notiz:
            text += f" – {notiz}"
        result[nr] = text
    return result


def _zeile(
    nr: int, m: dict[str, Any], anzeige: Callable[[str], str], letzter_anruf: str | None = None
) -> list[object]:
    """One row of a caller's sheet: numbers flagged as wrong stay empty; ``anzeige`` shows the others as people
    write them."""
    telefon, mobil = m["telefon"], m["mobil"]
    return [
        nr,
        m["mitgliedsnummer"],
        m["vorname"],
        m["nachname"],
        m["ortsverein"],
        dt.gespeicherter_tag(m["eintrittsdatum"]),  # empty where no export had it (or no real day)
        m["alter"],
        anzeige(telefon) if telefon and not m["telefon_falsch"] else None,
        anzeige(mobil) if mobil and not m["mobil_falsch"] else None,
        m["versuche"],
        None,
        None,
        None,
        None,
        None,
        letzter_anruf,
    ]


def _dateiname(ordner: Path, stichtag: date, anrufer_name: str) -> Path:
    """``anrufliste-2026-09-01-Anna.xlsx``: safe on every system, umlauts kept."""
    teil = re.sub(r"-{2,}", "-", "".join(z if z.isalnum() or z in "-." else "-" for z in anrufer_name))
    teil = teil.strip("-. ")[:40] or "Anrufer"
    return ordner / f"anrufliste-{stichtag.isoformat()}-{teil}.xlsx"


def _ausgabe_pruefen(ausgabe: Path | None, je_anrufer_datei: bool) -> None:
    """With ``je_anrufer_datei`` ``ausgabe`` is a folder, else a new .xlsx file."""
    from mitgliederarbeit import dateien as out

    if ausgabe is None:
        return
    if je_anrufer_datei:
        if ausgabe.suffix.lower() == ".xlsx" or (ausgabe.exists() and not ausgabe.is_dir()):
            raise BedienFehler(
                f"--ausgabe {ausgabe.name}: mit --je-anrufer ist --ausgabe ein Ordner (eine Datei je "
                "Anrufer*in darin)."
            )
    else:
        if ausgabe.suffix.lower() != ".xlsx":
            raise BedienFehler(f"--ausgabe {ausgabe.name}: eine Anrufliste wird als .xlsx gespeichert.")
        out.ziel_pruefen(ausgabe)


def _aussortieren(
    mitglieder: list[dict[str, Any]], tag: date, einstellungen: dict[str, Any]
) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """The members to call, and how many were left out for which reason (only reasons that occurred)."""
    ausgelassen = dict.fromkeys(GRUENDE, 0)
    anrufen = []
    for m in mitglieder:
        grund = _grund(m, tag, einstellungen["max_versuche"], einstellungen["sperrfrist_tage"])
        if grund:
            ausgelassen[grund] += 1
        else:
            anrufen.append(m)
    return anrufen, {k: v for k, v in ausgelassen.items() if v}


def _meta(result: Anrufliste) -> dict[str, str]:
    """The hidden metadata every file of the list carries."""
    return {
        "art": "anrufliste",
        "version": "1",
        "liste": result.liste,
        "erstellt": datetime.now().isoformat(timespec="seconds"),
        "stichtag": result.stichtag.isoformat(),
        "segment": result.segment,
        "ortsverein": ", ".join(result.ortsvereine or []),
        "loeschen_am": result.loeschen_am.isoformat(),
        "bestand": result.bestand,
    }


def _loeschen(result: Anrufliste) -> str:
    return f"löschen bis {dt.de(result.loeschen_am)}"


def _fuss_links(result: Anrufliste) -> str:
    return f"Liste vom {dt.de(result.stichtag)}"


@dataclass
class _Blatt:
    """One caller's sheet: the caller, the sheet's metadata, the sheet and its members."""

    anrufer: str
    meta: dict[str, str]
    tabelle: dateien.Tabelle
    teil: list[dict[str, Any]]


def _blatt(
    result: Anrufliste,
    i: int,
    anrufer_name: str,
    blatt: str,
    teil: list[dict[str, Any]],
    echte_namen: bool,
    letzte: dict[str, str],
) -> _Blatt:
    from mitgliederarbeit import dateien as out
    from mitgliederarbeit.telefon import telefon_anzeige

    eigene_meta = {f"blatt.{i}": blatt, f"anrufer.{i}": anrufer_name if echte_namen else ""}
    eigene_meta.update({f"m.{m['nr']}": str(i) for m in teil})
    zeilen = [_zeile(nr, m, telefon_anzeige, letzte.get(m["nr"])) for nr, m in enumerate(teil, start=1)]
    titel = f"Anrufliste für {anrufer_name}" if echte_namen else f"Anrufliste – {blatt}"
    tabelle = out.Tabelle(
        name=blatt,
        spalten=SPALTEN,
        zeilen=zeilen,
        breiten=_BREITEN,
        auswahl={
            SPALTEN.index("Ergebnis"): list(ERGEBNISSE.values()),
            SPALTEN.index("möchte mitmachen"): MITMACHEN,
        },
        druck=out.Druck(
            kopf=(titel, VERTRAULICH, _loeschen(result)),
            fuss=(_fuss_links(result), "Seite {seite} von {seiten}", blatt if echte_namen else ""),
            zeilenhoehe=_ZEILENHOEHE_PT,
            zentriert=_ZENTRIERT,
            umbrechen=frozenset({SPALTEN.index("Letzter Anruf")}),
        ),
    )
    return _Blatt(anrufer_name, eigene_meta, tabelle, teil)


def _blaetter(
    result: Anrufliste, anrufen: list[dict[str, Any]], echte_namen: bool, letzte: dict[str, str]
) -> list[_Blatt]:
    """The callers' sheets (callers with nobody to call get none); counts each caller's people in ``result``."""
    namen = result.anrufer
    blaetter = []
    for i, (anrufer_name, blatt, teil) in enumerate(
        zip(namen, _blattnamen(namen), verteilen(anrufen, len(namen))), start=1
    ):
        result.je_anrufer[anrufer_name] = len(teil)
        if teil:
            blaetter.append(_blatt(result, i, anrufer_name, blatt, teil, echte_namen, letzte))
    return blaetter


@dataclass
class _Texte:
    """The text sheets each file carries: the call script and data protection."""

    result: Anrufliste
    echte_namen: bool
    skript: list[str]
    angaben: dict[str, kontaktangaben.Kontaktangaben]

    def _druck(self) -> dateien.Druck:
        from mitgliederarbeit import dateien as out

        return out.Druck(
            kopf=("", VERTRAULICH, _loeschen(self.result)),
            fuss=(_fuss_links(self.result), "Seite {seite} von {seiten}", ""),
            querformat=False,
        )

    def leitfaden(self, teile: list[list[dict[str, Any]]]) -> dateien.Tabelle:
        """The call script, after its title the contact person and next meeting of each Ortsverein called."""
        from mitgliederarbeit import dateien as out

        ovs = sorted({m["ortsverein"] for teil in teile for m in teil}, key=str.casefold)
        skript = self.skript
        rest = skript[1:]
        while rest and not rest[0]:
            rest = rest[1:]
        zeilen = [skript[0], "", *_ortsvereine_block([self.angaben[ov] for ov in ovs]), *rest]
        return out.Tabelle(LEITFADEN_BLATT, [], [], text_zeilen=zeilen, druck=self._druck())

    def datenschutz(self, eigene: str | None) -> dateien.Tabelle:
        from mitgliederarbeit import dateien as out

        zeilen = _datenschutz(self.result, self.result.anrufer, self.echte_namen, eigene)
        return out.Tabelle(DATENSCHUTZ_BLATT, [], [], text_zeilen=zeilen, druck=self._druck())


def _ziele(ziel_ordner: Path, tag: date, blaetter: list[_Blatt]) -> list[Path]:
    """One new file name per caller, distinct even where names differ only in characters a file name can't hold."""
    ziele: list[Path] = []
    for b in blaetter:
        ziel = _dateiname(ziel_ordner, tag, b.anrufer)
        stamm, i = ziel.stem, 2
        while ziel.name.casefold() in {z.name.casefold() for z in ziele}:  # "Anna/Ben" and "Anna-Ben"
            ziel = ziel.with_name(f"{stamm}-{i}.xlsx")
            i += 1
        ziele.append(ziel)
    vorhanden = [z for z in ziele if z.exists()]
    if vorhanden:
        raise BedienFehler(
            f"{vorhanden[0]} gibt es schon und wird nicht überschrieben. Es wurde nichts geschrieben.",
            hint="Bitte einen anderen Ordner mit --ausgabe angeben oder die alten Listen löschen.",
        )
    return ziele


def _je_anrufer_schreiben(
    result: Anrufliste,
    ziel_ordner: Path,
    blaetter: list[_Blatt],
    texte: _Texte,
    fortschritt: Callable[[int, int], None] | None,
    passwort: str | None,
) -> list[int]:
    """One file per caller; returns the entries per file written."""
    from mitgliederarbeit import dateien as out

    meta = _meta(result)
    geschrieben: list[int] = []
    erledigt = 0
    for ziel, b in zip(_ziele(ziel_ordner, result.stichtag, blaetter), blaetter):
        eigene = b.anrufer if texte.echte_namen else b.tabelle.name
        tabellen = [b.tabelle, texte.leitfaden([b.teil]), texte.datenschutz(eigene)]
        try:
            result.dateien.append(out.xlsx(ziel, tabellen, {**meta, **b.meta}, passwort=passwort))
        except BaseException:  # a full disk after n callers: their files are not logged yet, so they go
            speicher.ausgaben_loeschen(result.dateien)
            raise
        geschrieben.append(result.je_anrufer[b.anrufer])
        erledigt += result.je_anrufer[b.anrufer]
        if fortschritt:
            fortschritt(erledigt, result.eintraege)
    result.datei = ziel_ordner
    return geschrieben


def _eine_datei_schreiben(
    result: Anrufliste,
    path: Path,
    blaetter: list[_Blatt],
    texte: _Texte,
    fortschritt: Callable[[int, int], None] | None,
    passwort: str | None,
) -> list[int]:
    """All callers' sheets in one file; returns the entries written."""
    from mitgliederarbeit import dateien as out

    alle_meta = _meta(result)
    for b in blaetter:
        alle_meta.update(b.meta)
    tabellen = [b.tabelle for b in blaetter]
    tabellen += [texte.leitfaden([b.teil for b in blaetter]), texte.datenschutz(None)]
    result.datei = out.xlsx(path, tabellen, alle_meta, passwort=passwort)
    result.dateien = [result.datei]
    if fortschritt:
        fortschritt(result.eintraege, result.eintraege)
    return [result.eintraege]


def _protokollieren(ordner: Arbeitsordner, result: Anrufliste, geschrieben: list[int]) -> None:
    speicher.ausgaben_protokollieren(
        ordner.pfad, "anrufliste", result.segment, list(zip(result.dateien, geschrieben))
    )


def _ergebnis(
    config: dict[str, Any],
    name: str,
    namen: list[str],
    auswahl: segmente.SegmentErgebnis,
    anrufen: list[dict[str, Any]],
    ausgelassen: dict[str, int],
    tag: date,
    je_anrufer_datei: bool,
) -> Anrufliste:
    """The list's summary before anything is written: who calls, how many, who was left out and why."""
    return Anrufliste(
        datei=None,
        segment=name,
        beschreibung=auswahl.beschreibung,
        stichtag=tag,
        anrufer=namen,
        je_anrufer=dict.fromkeys(namen, 0),
        eintraege=len(anrufen),
        im_segment=auswahl.anzahl,
        ausgelassen=ausgelassen,
        schon_erreicht=auswahl.schon_erreicht or 0,
        loeschen_am=tag + timedelta(days=config["anrufliste"]["loeschfrist_tage"]),
        liste=os.urandom(6).hex(),  # the list's id in the protocol (secrets costs its hashlib at start-up)
        ortsvereine=auswahl.ortsvereine,
        warnungen=list(auswahl.warnungen),
        config=config,
        je_anrufer_datei=je_anrufer_datei,
    )


def anrufliste(
    ordner: Arbeitsordner,
    *,
    segment: str | None = None,
    anrufer: list[str] | None = None,
    anrufer_anzahl: int | None = None,
    ortsverein: list[str] | None = None,
    ausgabe: Path | None = None,
    je_anrufer_datei: bool = False,
    fortschritt: Callable[[int, int], None] | None = None,
    passwort: str | None = None,
) -> Anrufliste:
    """Make a call list for a segment (default from the config: ``neu-ohne-kontakt``) and write it as xlsx.

    With ``je_anrufer_datei`` every caller gets a file of their own (``ausgabe`` is then a folder), holding only
    their people, the call script and the data protection sheet; the files share the list's id, so they can be
    taken back one by one or together. ``passwort``: every file protected with it, as the Ortsverein packages
    (``mitglieder import DATEI --passwort …`` takes them back).
    """
    if passwort is not None and not passwort.strip():
        raise BedienFehler("Das Kennwort darf nicht leer sein.")
    config = ordner.config
    name = segmente.pruefen(segment or config["anrufliste"]["segment"], config)
    namen, echte_namen = anrufer_namen(anrufer, anrufer_anzahl, config)
    _ausgabe_pruefen(ausgabe, je_anrufer_datei)
    tag = ordner.stichtag
    auswahl = segmente.auswaehlen(ordner, name, ortsverein=ortsverein, schon_erreicht=True)
    anrufen, ausgelassen = _aussortieren(auswahl.mitglieder, tag, config["anrufliste"])
    result = _ergebnis(config, name, namen, auswahl, anrufen, ausgelassen, tag, je_anrufer_datei)
    if not anrufen:
        return result

    angaben = {
        ov: kontaktangaben.angaben(config, ov, tag) for ov in sorted({m["ortsverein"] for m in anrufen})
    }
    # A missing contact person is said on the sheet itself ("noch niemand eingetragen"); a stale meeting only here.
    result.warnungen += kontaktangaben.warnungen(
        angaben.values(), config, tag, "auf der Anrufliste", ohne_ansprechperson=False
    )
    result.bestand = _bestand(ordner)
    blaetter = _blaetter(result, anrufen, echte_namen, _letzte_anrufe(ordner, {m["nr"] for m in anrufen}))
    texte = _Texte(result, echte_namen, _leitfaden(ordner), angaben)
    if fortschritt:
        fortschritt(0, result.eintraege)
    if je_anrufer_datei:
        ziel_ordner = ausgabe or ordner.ausgabe_ordner("anrufliste")
        geschrieben = _je_anrufer_schreiben(result, ziel_ordner, blaetter, texte, fortschritt, passwort)
    else:
        path = ausgabe or ordner.ausgabe_datei("anrufliste", ".xlsx")
        geschrieben = _eine_datei_schreiben(result, path, blaetter, texte, fortschritt, passwort)
    _protokollieren(ordner, result, geschrieben)
    return result
