"""``mitglieder ortsvereine``: one xlsx per Ortsverein for its chair, filled in and imported back.

Each package holds only that Ortsverein's people and only what welcoming them needs:

- "Neue Mitglieder": the members of segment ``neu`` with number, name, Eintritt and phone, a text column "Fällig",
  one date column per step of the configured standard (headed by the step's name exactly as configured; what is
  recorded already is filled in and green, due steps yellow, overdue steps red), "Pat*in" and "Notiz";
- "Änderungen": Eintritte, Austritte, Wechsel in and out and changed name, address, phone or e-mail since the last
  package for that Ortsverein (or since ``seit``; the first package: the last ``neu_monate`` months);
- "Anleitung" (how to fill it in, the colours) and "Datenschutz" (purpose, who may see it, the deletion day);
- a hidden metadata sheet: the store's id, the Ortsverein, the Stichtag, the steps and the kind each date is
  recorded as, the members listed. ``mitglieder import`` recognizes a returned package by it.

Optionally each file is encrypted with a password (Office's standard encryption, which Excel and LibreOffice open).
Every file is logged in ``protokoll``; the store remembers each package, so the next lists the changes since.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import secrets
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from mitgliederarbeit import datum as dt
from mitgliederarbeit import kontaktarten
from mitgliederarbeit.auswertung import segmente
from mitgliederarbeit.bestand import pakete as paketformat
from mitgliederarbeit.bestand import speicher
from mitgliederarbeit.errors import BedienFehler, MitgliederError, OrdnerFehler, grund
from mitgliederarbeit.ordner import Arbeitsordner

# changed fields the chair needs to know about, with the column of "Änderungen" that shows the new value
_ANSCHRIFT = ("strasse", "hausnummer", "adresszusatz", "plz", "ort")
_FELD_NAMEN = {
    "vorname": "Vorname",
    "nachname": "Nachname",
    "strasse": "Anschrift",
    "hausnummer": "Anschrift",
    "adresszusatz": "Anschrift",
    "plz": "Anschrift",
    "ort": "Anschrift",
    "telefon": "Telefon",
    "mobil": "Mobil",
    "email": "E-Mail",
}
AENDERUNGEN_SPALTEN = [
    "Was",
    "Datum",
    paketformat.SPALTE_NR,
    "Vorname",
    "Nachname",
    "Einzelheiten",
    "Anschrift neu",
    "Telefon neu",
    "Mobil neu",
    "E-Mail neu",
]
# printed: who may read it (every page says so), the room to write a date by hand, what the colours mean
VERTRAULICH = "Vertraulich – nur für den Vorstand des Ortsvereins"
ZEILENHOEHE_PT = 34.0  # scaled to the page width (about 70 %) still 8 mm
LEGENDE = "Farben: grün = erfasst, gelb = bald fällig, rot = überfällig"
_VERBOTEN = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f-\x9f]+')
# an Ortsverein's part of a file name, in UTF-8 bytes: file systems allow 255 bytes per name, and the temporary
# name beside it while writing adds the computer's name and more
_NAME_BYTES = 80


@dataclass
class Paket:
    """One Ortsverein's file."""

    ortsverein: str
    datei: Path
    neue_mitglieder: int
    aenderungen: int
    faellig: int  # members with a step due within the lead time
    ueberfaellig: int  # members with an overdue step
    seit: date | None  # changes since this day (None: since the last package's import)
    seit_paket: str | None = None  # the Stichtag of the last package, if the changes start there

    def as_json(self) -> dict[str, Any]:
        return {
            "ortsverein": self.ortsverein,
            "datei": str(self.datei),
            "neue_mitglieder": self.neue_mitglieder,
            "aenderungen": self.aenderungen,
            "faellig": self.faellig,
            "ueberfaellig": self.ueberfaellig,
            "seit": dt.iso(self.seit),
            "seit_paket": self.seit_paket,
        }


@dataclass
class PaketErgebnis:
    """What ``mitglieder ortsvereine`` wrote (``--json``: ``ordner``, ``pakete``, ``verschluesselt``, …)."""

    ordner: Path
    stichtag: date
    loeschen_am: date
    verschluesselt: bool
    schritte: list[str]
    pakete: list[Paket] = field(default_factory=list)
    warnungen: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "ordner": str(self.ordner),
            "stichtag": self.stichtag.isoformat(),
            "loeschen_am": self.loeschen_am.isoformat(),
            "verschluesselt": self.verschluesselt,
            "schritte": self.schritte,
            "dateien": [str(p.datei) for p in self.pakete],
            "pakete": [p.as_json() for p in self.pakete],
            "warnungen": self.warnungen,
        }


# --------------------------------------------------------------------------------------------------------------
# what is recorded, what is due
# --------------------------------------------------------------------------------------------------------------


@dataclass
class _Schrittstand:
    erledigt: date | None  # the day the step was fulfilled (its ``anzahl``-th contact), if it was
    frist: date
    markierung: str | None  # "erfasst", "faellig", "ueberfaellig" or None


def schrittstand(
    eintritt: date,
    kontakte_des_mitglieds: list[tuple[str, date, str | None]],
    schritte: list[dict[str, Any]],
    tag: date,
    vorlauf_tage: int,
) -> list[_Schrittstand]:
    """Each step of the standard for one member: fulfilled on which day, its deadline, and how it is marked.

    Only contacts between Eintritt and the Stichtag count (a contact dated after the Stichtag does not yet).
    """
    eigene = sorted((k for k in kontakte_des_mitglieds if eintritt <= k[1] <= tag), key=lambda k: k[1])
    result = []
    for schritt in schritte:
        tage = [k[1] for k in eigene if kontaktarten.passt(k[0], k[2], schritt["arten"])]
        frist = eintritt + timedelta(days=schritt["frist_tage"])
        erledigt = tage[schritt["anzahl"] - 1] if len(tage) >= schritt["anzahl"] else None
        if erledigt is not None:
            markierung: str | None = "erfasst"
        elif frist < tag:
            markierung = "ueberfaellig"
        elif frist <= tag + timedelta(days=vorlauf_tage):
            markierung = "faellig"
        else:
            markierung = None
        result.append(_Schrittstand(erledigt, frist, markierung))
    return result


def _faellig_text(schritte: list[dict[str, Any]], stand: list[_Schrittstand]) -> str:
    teile = []
    for schritt, s in zip(schritte, stand):
        if s.markierung == "ueberfaellig":
            teile.append(f"{schritt['name']}: überfällig seit {dt.de(s.frist)}")
        elif s.markierung == "faellig":
            teile.append(f"{schritt['name']}: fällig bis {dt.de(s.frist)}")
    return "\n".join(teile)


# --------------------------------------------------------------------------------------------------------------
# the changes since the last package
# --------------------------------------------------------------------------------------------------------------


def _anschrift(m: sqlite3.Row) -> str:
    strasse = " ".join(p for p in (m["strasse"], m["hausnummer"]) if p)
    ort = " ".join(p for p in (m["plz"], m["ort"]) if p)
    return ", ".join(p for p in (strasse, m["adresszusatz"], ort) if p)


@dataclass
class Ab:
    """Where an Ortsverein's changes start: after the import ``nach_import`` (its last package's), else on ``seit``."""

    seit: date | None = None
    nach_import: int | None = None

    def umfasst(self, datum: str, import_id: int) -> bool:
        if self.nach_import is not None:
            return import_id > self.nach_import
        return (datum or "") >= (self.seit or date.min).isoformat()  # an Eintritt on an unknown day: before


def _betroffen(art: str, von: str | None, nach: str | None, ortsverein: str) -> tuple[str | None, ...]:
    """The Ortsvereine a movement concerns."""
    if art in ("eintritt", "wiedereintritt"):
        return (nach,)
    if art == "austritt":
        return (von,)
    if art == "wechsel":
        return (von, nach)
    return (ortsverein,)  # an Änderung: the member's Ortsverein now


def _aenderungszeile(r: sqlite3.Row, ov: str) -> list[object] | None:
    """One row of "Änderungen" for the Ortsverein ``ov``; None for a change of fields a chair does not need."""
    from mitgliederarbeit.telefon import telefon_anzeige

    art = r["b_art"]
    anschrift = telefon = mobil = email = None
    if art in ("eintritt", "wiedereintritt", "austritt"):
        was = {"eintritt": "Eintritt", "wiedereintritt": "Wiedereintritt"}.get(art, "Austritt")
        einzelheiten = ""
    elif art == "wechsel" and r["b_nach"] == ov:
        was, einzelheiten = "Wechsel hierher", f"aus {r['b_von']}"
    elif art == "wechsel":
        was, einzelheiten = "Wechsel weg", f"nach {r['b_nach']}"
    else:
        felder = [f for f in json.loads(r["b_felder"] or "[]") if f in _FELD_NAMEN]
        if not felder:
            return None
        namen = list(dict.fromkeys(_FELD_NAMEN[f] for f in felder))
        was, einzelheiten = "Änderung", f"geändert: {', '.join(namen)}"
        # the new value of what changed; "(gelöscht)" where the export no longer has one
        if any(f in _ANSCHRIFT for f in felder):
            anschrift = _anschrift(r) or "(gelöscht)"
        if "telefon" in felder:
            telefon = telefon_anzeige(r["telefon"]) if r["telefon"] else "(gelöscht)"
        if "mobil" in felder:
            mobil = telefon_anzeige(r["mobil"]) if r["mobil"] else "(gelöscht)"
        if "email" in felder:
            email = r["email"] or "(gelöscht)"
    return [
        was,
        dt.from_iso(r["b_datum"]),
        r["mitgliedsnummer"],
        r["vorname"],
        r["nachname"],
        einzelheiten,
        anschrift,
        telefon,
        mobil,
        email,
    ]


def aenderungen(conn: sqlite3.Connection, ab: dict[str, Ab]) -> dict[str, list[list[object]]]:
    """The rows of "Änderungen" for each Ortsverein of ``ab``, from one pass over the movements.

    New values are shown only for what changed; changes of fields a chair does not need (birth date, …) are left out.
    """
    result: dict[str, list[list[object]]] = {ov: [] for ov in ab}
    nach = [a.nach_import for a in ab.values() if a.nach_import is not None]
    seit = [(a.seit or date.min).isoformat() for a in ab.values() if a.nach_import is None]
    bedingungen = [*(["b.import_id > ?"] if nach else []), *(["b.datum >= ?"] if seit else [])]
    if not bedingungen:
        return result
    rows = conn.execute(
        f"""SELECT b.art AS b_art, b.datum AS b_datum, b.von AS b_von, b.nach AS b_nach, b.felder AS b_felder,
                   b.import_id AS b_import, m.*
            FROM bewegungen b JOIN mitglieder m ON m.nr = b.nr
            WHERE m.anonymisiert = 0 AND ({" OR ".join(bedingungen)})
            ORDER BY b.datum, b.rowid""",
        [*([min(nach)] if nach else []), *([min(seit)] if seit else [])],
    ).fetchall()
    for r in rows:
        for ov in _betroffen(r["b_art"], r["b_von"], r["b_nach"], r["ortsverein"]):
            if ov not in ab or not ab[ov].umfasst(r["b_datum"], r["b_import"]):
                continue
            zeile = _aenderungszeile(r, ov)
            if zeile is not None:
                result[ov].append(zeile)
    return result


# --------------------------------------------------------------------------------------------------------------
# the sheets
# --------------------------------------------------------------------------------------------------------------


def _arten_text(arten: list[str]) -> str:
    return ", ".join(kontaktarten.ARTEN_NAMEN.get(a, a) for a in arten)


def _anleitung(
    ordner: Arbeitsordner,
    ortsverein: str,
    schritte: list[dict[str, Any]],
    seit_text: str,
) -> list[str]:
    config = ordner.config
    vorlauf = config["segmente"]["faellig_vorlauf_tage"]
    funktion = config["organisation"]["funktion"] or "Mitgliederbeauftragte*r"
    zeilen = [
        f"So geht's – Paket für den Ortsverein {ortsverein}, Stand {dt.de(ordner.stichtag)}",
        f"Blatt „{paketformat.BLATT_NEU}“: alle, die in den letzten {config['segmente']['neu_monate']} Monaten "
        "eingetreten sind. Jeder Schritt unseres Einarbeitungs-Standards hat eine Spalte: bitte dort das Datum "
        "eintragen, an dem der Schritt erledigt wurde (z. B. 03.05.2026).",
        "Die Schritte:",
    ]
    for schritt in schritte:
        anzahl = f"{schritt['anzahl']} Kontakte" if schritt["anzahl"] > 1 else "ein Kontakt"
        zeilen.append(
            f"• „{schritt['name']}“: {anzahl} bis {schritt['frist_tage']} Tage nach dem Eintritt "
            f"({_arten_text(schritt['arten'])}). Ein eingetragenes Datum wird als "
            f"„{kontaktarten.ARTEN_NAMEN[paketformat.schritt_art(schritt['arten'])]}“ erfasst."
        )
    zeilen += [
        "Farben: grün = schon erfasst (ist ein grünes Datum falsch, bitte das richtige hineinschreiben); gelb = in "
        "den nächsten "
        f"{vorlauf} Tagen fällig; rot = überfällig. Die Spalte „Fällig“ sagt dasselbe in Worten.",
        f"„{paketformat.SPALTE_PATE}“: Name der Pat*in, die sich um das neue Mitglied kümmert. "
        f"„{paketformat.SPALTE_NOTIZ}“: was die oder der {funktion} wissen sollte – nur, was für die Betreuung "
        "nötig ist; keine Meinungen, nichts über Gesundheit, Religion oder Privates.",
        f"Blatt „{paketformat.BLATT_AENDERUNGEN}“: Eintritte, Austritte, Wechsel und geänderte Kontaktdaten "
        f"{seit_text}. Nur zum Lesen.",
        f"Zurückgeben: die ausgefüllte Datei an die oder den {funktion}; sie wird mit „mitglieder import DATEI“ "
        "übernommen. Zeilen dürfen sortiert werden; bitte jedes Mitglied nur in einer Zeile, keine Spalten "
        "umbenennen oder löschen, das versteckte Blatt „_mitgliederarbeit“ nicht löschen und als xlsx-Datei "
        "speichern (nicht als CSV). Mehrfach zurückschicken schadet nicht: nichts wird doppelt erfasst.",
    ]
    return zeilen


def _datenschutz(ordner: Arbeitsordner, ortsverein: str, loeschen_am: date) -> list[str]:
    funktion = ordner.config["organisation"]["funktion"] or "Mitgliederbeauftragte*r"
    return [
        "Datenschutz – bitte zuerst lesen",
        "Diese Datei enthält personenbezogene Daten von Parteimitgliedern. Schon die Mitgliedschaft in einer "
        "Partei verrät eine politische Meinung; sie ist nach Art. 9 DSGVO besonders geschützt.",
        f"Zweck: ausschließlich die Begrüßung und Einarbeitung der neuen Mitglieder des Ortsvereins {ortsverein} "
        "und der Überblick über die Veränderungen im Mitgliederbestand. Jede andere Verwendung ist nicht erlaubt.",
        f"Wer die Datei sehen darf: der Vorstand des Ortsvereins {ortsverein} (Vorsitz und die für "
        f"Neumitglieder zuständige Person) und die oder der {funktion}. Pat*innen erfahren nur, was ihr "
        "eigenes neues Mitglied betrifft. Nicht weitergeben, nicht in Gruppen-Chats oder Clouds teilen.",
        "Per E-Mail nur mit Kennwort verschicken; das Kennwort auf einem anderen Weg mitteilen (Telefon, SMS).",
        f"Löschen: spätestens am {dt.de(loeschen_am)} diese Datei und alle Kopien löschen (auch Downloads, "
        "E-Mail-Anhänge und Ausdrucke) – oder sobald das nächste Paket da ist.",
    ]


def _dateiname(ortsverein: str, tag: date) -> str:
    """``ortsverein-Altdorf-2026-09-01.xlsx``; a very long name is cut and gets a short code of the whole name, so
    two names alike in their first 70 bytes still get two files."""
    sicher = _VERBOTEN.sub("-", ortsverein).strip(" .-") or "Ortsverein"
    if len(sicher.encode()) > _NAME_BYTES:
        kurz = sicher.encode()[: _NAME_BYTES - 10].decode("utf-8", "ignore").rstrip(" .-")
        sicher = f"{kurz}-{hashlib.sha256(ortsverein.encode()).hexdigest()[:8]}"
    return f"ortsverein-{sicher}-{tag.isoformat()}.xlsx"


def _breiten(schritte: int) -> dict[int, float]:
    # narrow enough that the printed page (landscape, scaled to its width) keeps rows and dates large enough to
    # write in by hand; "Fällig" wraps (a line or two per step); a step's column holds a handwritten date
    breiten: dict[int, float] = {0: 15, 1: 12, 2: 14, 3: 11, 4: 13, 5: 13, 6: 30}
    for i in range(schritte):
        breiten[len(paketformat.VORNE) + i] = 16
    breiten[len(paketformat.VORNE) + schritte] = 16
    breiten[len(paketformat.VORNE) + schritte + 1] = 28
    return breiten


# --------------------------------------------------------------------------------------------------------------
# writing
# --------------------------------------------------------------------------------------------------------------


def _schreiben(path: Path, tabellen: list[Any], meta: dict[str, str], passwort: str | None) -> Path:
    from mitgliederarbeit import dateien

    return dateien.xlsx(path, tabellen, meta, passwort=passwort)


def _ortsvereine(conn: sqlite3.Connection, tag: date, gewuenscht: list[str] | None) -> list[str]:
    bekannt = [
        r[0]
        for r in conn.execute(
            f"SELECT DISTINCT m.ortsverein FROM mitglieder m WHERE m.anonymisiert = 0 AND {speicher.AKTIV_AM} "
            "ORDER BY 1",
            {"tag": tag.isoformat()},
        )
    ]
    if not gewuenscht:
        return bekannt
    by_fold = {o.casefold(): o for o in bekannt}
    result = []
    for name in gewuenscht:
        gefunden = by_fold.get(name.strip().casefold())
        if gefunden is None:
            raise BedienFehler(
                f"--ortsverein: den Ortsverein „{name}“ gibt es im Datenbestand nicht.",
                hint=f"Vorhandene Ortsvereine: {', '.join(bekannt)}." if bekannt else None,
            )
        if gefunden not in result:
            result.append(gefunden)
    return result


def _pruefen(tag: date, ausgabe: Path | None, seit: date | None, passwort: str | None) -> None:
    """Refuse wrong options before anything is opened."""
    if seit is not None and seit > tag:
        raise BedienFehler(f"--seit {dt.de(seit)} liegt nach dem Stichtag ({dt.de(tag)}).")
    if ausgabe is not None and ausgabe.exists() and not ausgabe.is_dir():
        raise BedienFehler(f"--ausgabe {ausgabe}: das ist eine Datei; bitte einen Ordner angeben.")
    if passwort is not None and not passwort.strip():
        raise BedienFehler("Das Kennwort darf nicht leer sein.")


@dataclass
class _Erfasst:
    """What the store holds about the new members: contacts (by nr), the current Pat*in and the latest note."""

    kontakte: dict[str, list[tuple[str, date, str | None]]] = field(default_factory=dict)
    paten: dict[str, str] = field(default_factory=dict)
    notizen: dict[str, str] = field(default_factory=dict)


def _erfasst(conn: sqlite3.Connection, nrs: list[str], tag: date) -> _Erfasst:
    result = _Erfasst()
    for start in range(0, len(nrs), 500):
        teil = nrs[start : start + 500]
        platz = ",".join("?" * len(teil))
        for r in conn.execute(
            f"SELECT nr, art, datum, ergebnis, pate FROM kontakte WHERE nr IN ({platz}) ORDER BY datum, id",
            teil,
        ):
            day = dt.gespeicherter_tag(r["datum"])  # None: no real day (a hand edit), counts nowhere
            if day is not None:
                result.kontakte.setdefault(r["nr"], []).append((r["art"], day, r["ergebnis"]))
            if r["art"] == "pate" and r["pate"] and day is not None and day <= tag:
                result.paten[r["nr"]] = r["pate"]  # the latest assignment up to the Stichtag wins
        for r in conn.execute(f"SELECT nr, text FROM notizen WHERE nr IN ({platz}) ORDER BY datum, id", teil):
            result.notizen[r["nr"]] = r["text"]
    return result


@dataclass
class _Zeitraum:
    """From when an Ortsverein's changes are listed, how the package says so, and the previous package's day."""

    ab: Ab
    text: str
    seit_paket: str | None = None


def _zeitraum(
    conn: sqlite3.Connection, ortsverein: str, seit: date | None, tag: date, neu_monate: int
) -> _Zeitraum:
    letztes = paketformat.letztes_paket(conn, ortsverein)
    if seit is not None:
        return _Zeitraum(Ab(seit=seit), f"seit dem {dt.de(seit)}")
    if letztes is not None:
        return _Zeitraum(
            Ab(nach_import=letztes["bis_import"]),
            f"seit dem letzten Paket vom {dt.de(dt.from_iso(letztes['stichtag']))}",
            letztes["stichtag"],
        )
    ab = Ab(seit=dt.add_months(tag, -neu_monate))
    return _Zeitraum(ab, f"seit dem {dt.de(ab.seit)} (das erste Paket für diesen Ortsverein)")


@dataclass
class _Lauf:
    """What every package of one run shares."""

    ordner: Arbeitsordner
    tag: date
    schritte: list[dict[str, Any]]
    vorlauf: int
    loeschen_am: date
    ziel: Path
    passwort: str | None
    bestand: str
    bis_import: int
    neu: list[dict[str, Any]]
    erfasst: _Erfasst
    geschrieben: list[Path] = field(default_factory=list)  # removed again if the run stops


def _mitglieder(neu: list[dict[str, Any]], ortsverein: str) -> list[dict[str, Any]]:
    """The Ortsverein's new members, newest first (as on the call list)."""
    mitglieder = sorted(
        (m for m in neu if m["ortsverein"] == ortsverein),
        key=lambda m: (
            m["eintrittsdatum"] or "",
            (m["nachname"] or "").casefold(),
            (m["vorname"] or "").casefold(),
        ),
    )
    mitglieder.reverse()
    return mitglieder


@dataclass
class _Blatt:
    """The sheet "Neue Mitglieder": rows, coloured cells and how many rows are due or overdue."""

    zeilen: list[list[object]] = field(default_factory=list)
    markierungen: dict[tuple[int, int], str] = field(default_factory=dict)
    faellig: int = 0
    ueberfaellig: int = 0
    # the green dates, as the hidden sheet keeps them (paketformat.vorausgefuellt_schluessel): the import tells a
    # corrected or cleared one from a new one
    vorausgefuellt: dict[str, str] = field(default_factory=dict)


def _blatt_neu(lauf: _Lauf, mitglieder: list[dict[str, Any]]) -> _Blatt:
    from mitgliederarbeit.telefon import telefon_anzeige

    blatt = _Blatt()
    faellig_spalte = len(paketformat.VORNE) - 1
    for r, m in enumerate(mitglieder):
        # None: no real day (a hand edit; the segments' SQL still counts the member as new): no step is due
        eintritt = dt.gespeicherter_tag(m["eintrittsdatum"])
        kontakte = lauf.erfasst.kontakte.get(m["nr"], [])
        stand = schrittstand(eintritt, kontakte, lauf.schritte, lauf.tag, lauf.vorlauf) if eintritt else []
        text = _faellig_text(lauf.schritte, stand)
        zeile: list[object] = [
            m["mitgliedsnummer"],
            m["vorname"],
            m["nachname"],
            eintritt,
            telefon_anzeige(m["telefon"]) if m["telefon"] and not m["telefon_falsch"] else None,
            telefon_anzeige(m["mobil"]) if m["mobil"] and not m["mobil_falsch"] else None,
            text or None,
        ]
        marken = {s.markierung for s in stand}
        if "ueberfaellig" in marken:
            blatt.ueberfaellig += 1
            blatt.markierungen[(r, faellig_spalte)] = "ueberfaellig"
        elif "faellig" in marken:
            blatt.faellig += 1
            blatt.markierungen[(r, faellig_spalte)] = "faellig"
        for c, s in enumerate(stand, start=len(paketformat.VORNE)):
            zeile.append(s.erledigt)
            if s.erledigt is not None:
                schluessel = paketformat.vorausgefuellt_schluessel(m["nr"], c - len(paketformat.VORNE) + 1)
                blatt.vorausgefuellt[schluessel] = s.erledigt.isoformat()
            if s.markierung:
                blatt.markierungen[(r, c)] = s.markierung
        zeile += [None] * (len(lauf.schritte) - len(stand))
        zeile += [lauf.erfasst.paten.get(m["nr"]), lauf.erfasst.notizen.get(m["nr"])]
        blatt.zeilen.append(zeile)
    return blatt


def _meta(lauf: _Lauf, paket_id: str, ortsverein: str, mitglieder: list[dict[str, Any]]) -> dict[str, str]:
    """The hidden metadata sheet by which ``mitglieder import`` recognizes the returned package."""
    meta = {
        "art": paketformat.META_ART,
        "version": paketformat.VERSION,
        "bestand": lauf.bestand,
        "paket": paket_id,
        "ortsverein": ortsverein,
        "stichtag": lauf.tag.isoformat(),
        "erstellt": datetime.now().isoformat(timespec="seconds"),
        "loeschen_am": lauf.loeschen_am.isoformat(),
        "schritte": str(len(lauf.schritte)),
    }
    for k, schritt in enumerate(lauf.schritte, start=1):
        meta[f"schritt.{k}.name"] = schritt["name"]
        meta[f"schritt.{k}.art"] = paketformat.schritt_art(schritt["arten"])
        meta[f"schritt.{k}.arten"] = ",".join(schritt["arten"])
    for m in mitglieder:
        meta[f"m.{m['nr']}"] = "1"
    return meta


def _tabellen(
    lauf: _Lauf, ortsverein: str, blatt: _Blatt, liste: list[list[object]], seit_text: str
) -> list[Any]:
    """The four visible sheets with their print settings."""
    from mitgliederarbeit import dateien

    tag, schritte, vorne = lauf.tag, lauf.schritte, len(paketformat.VORNE)
    kopf = [*paketformat.VORNE, *(s["name"] for s in schritte), *paketformat.HINTEN]
    druck_kopf = (
        f"Paket für den Ortsverein {ortsverein}",
        VERTRAULICH,
        f"löschen bis {dt.de(lauf.loeschen_am)}",
    )
    druck_fuss = (f"Stand {dt.de(tag)}", "Seite {seite} von {seiten}", "")
    # portrait has no room for three header texts: the Ortsverein moves to the footer
    text_druck = dateien.Druck(
        kopf=(VERTRAULICH, "", druck_kopf[2]),
        fuss=(f"Ortsverein {ortsverein}, Stand {dt.de(tag)}", "", druck_fuss[1]),
        querformat=False,
    )
    return [
        dateien.Tabelle(
            paketformat.BLATT_NEU,
            kopf,
            blatt.zeilen,
            breiten=_breiten(len(schritte)),
            datum_spalten=list(range(vorne, vorne + len(schritte))),
            markierungen=blatt.markierungen,
            druck=dateien.Druck(
                kopf=druck_kopf,
                fuss=(druck_fuss[0], druck_fuss[1], LEGENDE),
                zeilenhoehe=ZEILENHOEHE_PT,
                umbrechen=frozenset({vorne - 1, len(kopf) - 1}),
            ),
        ),
        dateien.Tabelle(
            paketformat.BLATT_AENDERUNGEN,
            AENDERUNGEN_SPALTEN,
            liste,
            breiten={0: 16, 1: 11, 2: 16, 3: 12, 4: 14, 5: 28, 6: 34, 7: 15, 8: 15, 9: 26},
            druck=dateien.Druck(kopf=druck_kopf, fuss=druck_fuss, umbrechen=frozenset({5, 6})),
        ),
        dateien.Tabelle(
            paketformat.BLATT_ANLEITUNG,
            [],
            [],
            text_zeilen=_anleitung(lauf.ordner, ortsverein, schritte, seit_text),
            druck=text_druck,
        ),
        dateien.Tabelle(
            paketformat.BLATT_DATENSCHUTZ,
            [],
            [],
            text_zeilen=_datenschutz(lauf.ordner, ortsverein, lauf.loeschen_am),
            druck=text_druck,
        ),
    ]


def _paket(
    lauf: _Lauf, schreib: sqlite3.Connection, ortsverein: str, zeitraum: _Zeitraum, liste: list[list[object]]
) -> Paket:
    """Write one Ortsverein's package, remember it in the store and log it."""
    from mitgliederarbeit import dateien

    paket_id = secrets.token_hex(6)
    mitglieder = _mitglieder(lauf.neu, ortsverein)
    blatt = _blatt_neu(lauf, mitglieder)
    meta = {**_meta(lauf, paket_id, ortsverein, mitglieder), **blatt.vorausgefuellt}
    tabellen = _tabellen(lauf, ortsverein, blatt, liste, zeitraum.text)
    pfad = dateien.freier_name(lauf.ziel / _dateiname(ortsverein, lauf.tag))
    _schreiben(pfad, tabellen, meta, lauf.passwort)
    lauf.geschrieben.append(pfad)
    personen = len({*(m["mitgliedsnummer"] for m in mitglieder), *(z[2] for z in liste)})
    paketformat.paket_eintragen(
        schreib,
        paket=paket_id,
        ortsverein=ortsverein,
        stichtag=lauf.tag,
        seit=zeitraum.ab.seit,
        bis_import=lauf.bis_import,
        anzahl=personen,
        datei=str(pfad),
    )
    speicher.protokollieren(schreib, "ortsvereine", f"Ortsverein {ortsverein}", personen, pfad)
    return Paket(
        ortsverein,
        pfad,
        len(mitglieder),
        len(liste),
        blatt.faellig,
        blatt.ueberfaellig,
        zeitraum.ab.seit,
        zeitraum.seit_paket,
    )


def pakete(
    ordner: Arbeitsordner,
    *,
    ortsvereine: list[str] | None = None,
    ausgabe: Path | None = None,
    seit: date | None = None,
    passwort: str | None = None,
    fortschritt: Callable[[int, int], None] | None = None,
) -> PaketErgebnis:
    """Write one package per Ortsverein (all, or those named) into ``ausgabe`` (default a new dated folder)."""
    config = ordner.config
    tag = ordner.stichtag
    schritte = config["standard"]["schritte"]
    _pruefen(tag, ausgabe, seit, passwort)
    store = speicher.oeffnen(ordner.pfad)
    try:
        conn = store.conn
        gewaehlt = _ortsvereine(conn, tag, ortsvereine)
        ziel = ausgabe or ordner.ausgabe_ordner("ortsvereine")
        loeschen_am = dt.add_months(tag, paketformat.LOESCHFRIST_MONATE)
        result = PaketErgebnis(ziel, tag, loeschen_am, passwort is not None, [s["name"] for s in schritte])
        auswahl = segmente.auswaehlen(ordner, "neu")
        neu = auswahl.mitglieder
        result.warnungen = segmente.saetze(auswahl.warnungen)
        erfasst = _erfasst(conn, [m["nr"] for m in neu], tag)
        with (
            _alles_oder_nichts(ziel) as geschrieben,
            store.transaktion(sichern=False) as schreib,  # the package records and the log, nothing else
        ):
            bestand = paketformat.bestand_id(schreib, anlegen=True)
            assert bestand is not None
            lauf = _Lauf(
                ordner=ordner,
                tag=tag,
                schritte=schritte,
                vorlauf=config["segmente"]["faellig_vorlauf_tage"],
                loeschen_am=loeschen_am,
                ziel=ziel,
                passwort=passwort,
                bestand=bestand,
                bis_import=paketformat.letzter_import(schreib),
                neu=neu,
                erfasst=erfasst,
                geschrieben=geschrieben,
            )
            neu_monate = config["segmente"]["neu_monate"]
            zeitraeume = {ov: _zeitraum(schreib, ov, seit, tag, neu_monate) for ov in gewaehlt}
            alle_aenderungen = aenderungen(schreib, {ov: z.ab for ov, z in zeitraeume.items()})
            for i, ov in enumerate(gewaehlt):
                if fortschritt:
                    fortschritt(i, len(gewaehlt))
                result.pakete.append(_paket(lauf, schreib, ov, zeitraeume[ov], alle_aenderungen[ov]))
            if fortschritt:
                fortschritt(len(gewaehlt), len(gewaehlt))
    finally:
        store.close()
    return result


@contextlib.contextmanager
def _alles_oder_nichts(ziel: Path) -> Iterator[list[Path]]:
    """The files written inside are removed again if the run stops (a full disk, Ctrl-C): their records and log
    entries are rolled back with the transaction, and no package may lie around unlogged (README)."""
    neuer_ordner = not ziel.exists()
    geschrieben: list[Path] = []
    try:
        yield geschrieben
    except BaseException as exc:
        speicher.ausgaben_loeschen(geschrieben)
        if neuer_ordner:
            with contextlib.suppress(OSError):
                ziel.rmdir()  # only if empty
        geloescht = (
            f" Die {len(geschrieben)} schon geschriebenen Dateien wurden wieder gelöscht; es wurde nichts erfasst."
            if geschrieben
            else ""
        )
        if isinstance(exc, OSError):
            raise OrdnerFehler(
                f"Die Pakete können nicht geschrieben werden: {grund(exc)}.{geloescht}",
                hint="Ist der Datenträger voll oder der Ordner schreibgeschützt?",
            ) from None
        if isinstance(exc, MitgliederError) and geloescht:
            raise type(exc)(f"{exc.message}{geloescht}", hint=exc.hint) from None
        raise
