"""Contacts that come in one by one: ``mitglieder kontakt NR ART`` and a contact list (``import --art kontakte``).

A contact list has the columns Mitgliedsnummer (or Vorname + Nachname, with Ortsverein to tell namesakes apart),
Art, Datum and optionally Notiz and Pat*in. Every row is one contact; the kind is read from the German word
(:func:`kontakte.art_erkennen`). Rows are matched as on an attendance list: by number, or by a name that is
unambiguous; nothing is guessed.

Decisions (also in the README):

- An empty Datum is the Stichtag of the import; "3.5." takes the Stichtag's year. A date after the Stichtag is
  recorded and counts from its day; a date more than a year after it, or before 2000, is rejected as a typo.
- A contact already recorded (same member, same kind, same day; a Pat*in already assigned) is not recorded again.
- Rejected rows go to ``import-fehler-kontakte-….xlsx`` with the list's columns, the row number and the column
  Fehler; fixed, that file can be imported again (its hidden sheet says it is a contact list). Exit code 3.
"""

from __future__ import annotations

import contextlib
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from mitgliederarbeit import datum as dt
from mitgliederarbeit.bestand import kontakte, speicher
from mitgliederarbeit.einlesen import lesen, spalten
from mitgliederarbeit.einlesen.anrufliste import datum_lesen
from mitgliederarbeit.einlesen.ergebnis import ImportErgebnis
from mitgliederarbeit.einlesen.listenimport import (
    DATENSCHUTZ_HINWEIS,
    Fehlerdatei,
    Fehlerzeile,
    Lauf,
    ZeileAbgelehnt,
    abschliessen,
    transaktion,
)
from mitgliederarbeit.einlesen.normalisieren import name_split, text
from mitgliederarbeit.einlesen.zuordnung import (
    Verzeichnis,
    mitglied_finden,
    name_schluessel,
    verzeichnis_laden,
)
from mitgliederarbeit.errors import BedienFehler, EingabeFehler
from mitgliederarbeit.nummern import nummer_key
from mitgliederarbeit.ordner import Arbeitsordner

META_ART = "kontakte"
_FORMELZEICHEN = ("=", "+", "-", "@")
_EIGENE_SPALTEN: dict[str, tuple[str, ...]] = {
    "art": ("Art", "Kontaktart", "Art des Kontakts", "Kontakt", "Was", "Schritt"),
    "datum": ("Datum", "Kontaktdatum", "am", "Datum des Kontakts", "wann"),
    "notiz": ("Notiz", "Notizen", "Bemerkung", "Bemerkungen", "Kommentar", "Anmerkung"),
    "pate": ("Pat*in", "Pate", "Patin", "Pate/Patin", "Paten", "Mentor", "Mentorin"),
}
_KANONISCH = {
    "mitgliedsnummer": "Mitgliedsnummer",
    "vorname": "Vorname",
    "nachname": "Nachname",
    "ortsverein": "Ortsverein",
    "art": "Art",
    "datum": "Datum",
    "pate": "Pat*in",
    "notiz": "Notiz",
}


# --------------------------------------------------------------------------------------------------------------
# shared with the returned package
# --------------------------------------------------------------------------------------------------------------


def formel(value: object) -> bool:
    """A text that a spreadsheet would take for a formula (``=…``, ``+…``, ``-…``, ``@…``); a lone dash is none."""
    raw = value.strip() if isinstance(value, str) else ""
    return raw.startswith(_FORMELZEICHEN) and raw.strip("-–— ") != ""


def formelzellen(path: Path, blatt: str) -> set[tuple[int, int]]:
    """(row, column), 0-based, of the cells of an xlsx sheet that hold a formula (the values calamine reads are
    only what the formula last showed)."""
    result: set[tuple[int, int]] = set()
    try:
        with zipfile.ZipFile(path) as archive:
            teile = lesen._xlsx_parts(archive, blatt)
            if teile is None:
                return result
            xml = archive.read(teile[0]).decode("utf-8", "replace")
    except (zipfile.BadZipFile, OSError, KeyError):
        return result
    for ref in re.findall(r'<c\b[^>]*\br="([A-Z]+\d+)"[^>]*>(?:(?!</c>).)*?<f\b', xml, flags=re.S):
        buchstaben, ziffern = re.match(r"([A-Z]+)(\d+)", ref).groups()  # type: ignore[union-attr]
        spalte = 0
        for b in buchstaben:
            spalte = spalte * 26 + (ord(b) - 64)
        result.add((int(ziffern) - 1, spalte - 1))
    return result


_OHNE_JAHR = re.compile(r"^\s*\d{1,2}\.\s*\d{1,2}\.?\s*$")


def datum_pruefen(value: object, tag: date) -> date | None:
    """A date cell of a list: None if empty; :class:`dt.UngueltigesDatum` with a German reason if unusable.

    "3.5." is the last 3 May up to the Stichtag ``tag`` (what was done lies behind).
    """
    if isinstance(value, str) and value.strip("-–— ") == "":
        return None
    day = datum_lesen(value, tag) if text(value) else None
    if day is None:
        return None
    if isinstance(value, str) and _OHNE_JAHR.match(value) and day > tag:
        with contextlib.suppress(ValueError):
            day = day.replace(year=day.year - 1)
    if day.year < 2000 or day > tag + timedelta(days=366):
        raise dt.UngueltigesDatum(f"„{dt.de(day)}“ ist kein glaubhaftes Datum (Tippfehler im Jahr?)")
    return day


# --------------------------------------------------------------------------------------------------------------
# mitglieder kontakt NR ART
# --------------------------------------------------------------------------------------------------------------


@dataclass
class Kontakt:
    """What ``mitglieder kontakt`` recorded (or found recorded already)."""

    mitgliedsnummer: str
    name: str
    ortsverein: str
    art: str
    datum: date
    stichtag: date
    eintritt: date | None  # None: no export had the join date
    notiz: str | None = None
    pate: str | None = None
    erfasst: bool = False  # False: the same contact was recorded before, nothing changed
    vor_eintritt: bool = False
    ausgetreten: date | None = None
    pate_vorher: str | None = None  # the Pat*in this assignment replaces

    @property
    def nach_stichtag(self) -> bool:
        return self.datum > self.stichtag

    def as_json(self) -> dict[str, Any]:
        return {
            "mitgliedsnummer": self.mitgliedsnummer,
            "ortsverein": self.ortsverein,
            "art": self.art,
            "datum": self.datum.isoformat(),
            "notiz": self.notiz,
            "pate": self.pate,
            "erfasst": self.erfasst,
            "bereits_erfasst": not self.erfasst,
            "nach_stichtag": self.nach_stichtag,
            "vor_eintritt": self.vor_eintritt,
            "ausgetreten": dt.iso(self.ausgetreten),
            "pate_vorher": self.pate_vorher,
        }


def _eingaben_pruefen(art: str, notiz: str | None, pate: str | None) -> tuple[str, str | None, str | None]:
    """The kind, the note and the Pat*in of ``mitglieder kontakt`` as recorded; wrong usage raises."""
    kind = kontakte.art_pruefen(art)
    pate = kontakte.pate_name(pate)  # "keine", "N.N.": no name
    if kind == "pate" and not pate:
        raise BedienFehler(
            "Für eine Pat*in bitte den Namen angeben: --pate NAME.",
            hint='Beispiel: mitglieder kontakt 12345 pate --pate "Jana Beispiel"',
        )
    if pate and kind != "pate":
        raise BedienFehler(f"--pate passt nur zur Art „pate“, nicht zu „{kind}“.")
    return kind, (notiz or "").strip() or None, pate


def _kontakt_zum_mitglied(conn: Any, nr: str, nummer: str, kind: str, tag: date, stichtag: date) -> Kontakt:
    """The contact to record, with what the store knows of the member; an unknown number raises."""
    m = conn.execute(
        "SELECT nr, mitgliedsnummer, vorname, nachname, ortsverein, eintrittsdatum, austrittsdatum "
        "FROM mitglieder WHERE nr = ? AND anonymisiert = 0",
        (nr,),
    ).fetchone()
    if m is None:
        raise EingabeFehler(
            f"Mitgliedsnummer {nummer} ist nicht im Datenbestand; es wurde nichts erfasst.",
            hint="Bitte die Nummer prüfen (mitglieder segmente alle --ortsverein NAME zeigt die Mitglieder).",
        )
    eintritt = dt.gespeicherter_tag(m["eintrittsdatum"])
    return Kontakt(
        mitgliedsnummer=m["mitgliedsnummer"],
        name=" ".join(p for p in (m["vorname"], m["nachname"]) if p),
        ortsverein=m["ortsverein"],
        art=kind,
        datum=tag,
        stichtag=stichtag,
        eintritt=eintritt,
        vor_eintritt=eintritt is not None and tag < eintritt,
        ausgetreten=dt.gespeicherter_tag(m["austrittsdatum"]),
    )


def kontakt(
    ordner: Arbeitsordner,
    nummer: str,
    art: str,
    *,
    datum: date | None = None,
    notiz: str | None = None,
    pate: str | None = None,
) -> Kontakt:
    """Record one contact (default date: the Stichtag). ``art`` is a kind or a German word for one."""
    kind, notiz, pate = _eingaben_pruefen(art, notiz, pate)
    tag = datum or ordner.stichtag
    nr = nummer_key(str(nummer))
    store = speicher.oeffnen(ordner.pfad)
    try:
        conn = store.conn
        result = _kontakt_zum_mitglied(conn, nr, nummer, kind, tag, ordner.stichtag)
        result.notiz, result.pate = notiz, pate
        if result.ausgetreten is not None and result.ausgetreten > max(tag, ordner.stichtag):
            result.ausgetreten = None  # an announced exit still to come
        if kind == "pate":
            bisher = kontakte.pate_von(conn, nr)
            if bisher and bisher.casefold() != (pate or "").casefold():
                result.pate_vorher = bisher
        # a single entry that can be looked up and corrected: no backup of the whole store for it
        with store.transaktion(sichern=False):
            if not kontakte.schon_erfasst(conn, nr, kind, tag, pate):
                result.erfasst = kontakte.eintragen(
                    conn,
                    nr,
                    kind,
                    tag,
                    notiz=notiz,
                    pate=pate,
                    quelle="mitglieder kontakt",
                    schluessel=kontakte.schluessel(
                        "kontakt", nr, kind, tag.isoformat(), (pate or "").casefold()
                    ),
                )
    finally:
        store.close()
    return result


# --------------------------------------------------------------------------------------------------------------
# a contact list
# --------------------------------------------------------------------------------------------------------------


def _eigene_spalten(kopfzeile: list[object]) -> dict[str, int]:
    index = {spalten.normalize_header(n): f for f, names in _EIGENE_SPALTEN.items() for n in names}
    result: dict[str, int] = {}
    for col, cell in enumerate(kopfzeile):
        feld = index.get(spalten.normalize_header(cell))
        if feld and feld not in result:
            result[feld] = col
    return result


def sieht_aus_wie_kontaktliste(rows: list[list[object]]) -> bool:
    """A sheet with the columns Art and Datum beside a member number or a name: a contact list."""
    for row in rows[:30]:
        eigene = _eigene_spalten(row)
        if "art" in eigene and "datum" in eigene:
            namen = {spalten.normalize_header(c) for c in row}
            if any(n.startswith("eintritt") for n in namen):  # a member export with a column "Art"
                return False
            return bool(namen & {"mitgliedsnummer", "nachname", "name"})
    return False


def _zeile_lesen(
    werte: dict[str, object],
    zeile: int,
    zuordnung: dict[str, int],
    formeln: set[tuple[int, int]],
    verzeichnis: Verzeichnis,
    tag: date,
) -> tuple[str, date, str, str | None]:
    """(kind, day, member, Pat*in) of a row; :class:`ZeileAbgelehnt` with the German reason if it cannot be used."""
    formelzelle = next(
        (f for f in werte if (zeile - 1, zuordnung[f]) in formeln or formel(werte.get(f))), None
    )
    if formelzelle:
        raise ZeileAbgelehnt(
            f"die Zelle „{_KANONISCH[formelzelle]}“ enthält eine Formel oder beginnt wie eine (=, +, -, @) – "
            "bitte nur Text eintragen",
            "formel",
        )
    roh_art = text(werte.get("art"))
    art = kontakte.art_erkennen(roh_art) if roh_art else None
    if art is None:
        raise ZeileAbgelehnt(
            f"Art „{roh_art}“ ist unbekannt – erlaubt: {kontakte.arten_hilfe()}"
            if roh_art
            else "Art fehlt – z. B. „Parteibuch übergeben“, „Gespräch“, „Hausbesuch“",
            "arten",
        )
    try:
        datum = datum_pruefen(werte.get("datum"), tag) or tag
    except dt.UngueltigesDatum as exc:
        raise ZeileAbgelehnt(f"Datum: {exc}", "datum") from None
    vorname, nachname = name_schluessel(werte.get("vorname")), name_schluessel(werte.get("nachname"))
    if "vorname" not in zuordnung and nachname and "," in nachname:
        first, last = name_split(nachname)
        vorname, nachname = name_schluessel(first), name_schluessel(last)
    treffer = mitglied_finden(
        verzeichnis,
        text(werte.get("mitgliedsnummer")),
        vorname,
        nachname,
        tag=datum,
        ortsverein=werte.get("ortsverein"),
        anzeige=" ".join(p for p in (text(werte.get("vorname")), text(werte.get("nachname"))) if p),
    )
    if treffer.nr is None:
        raise ZeileAbgelehnt(treffer.fehler or "Mitglied nicht gefunden", "unbekannt")
    pate = kontakte.pate_name(text(werte.get("pate")))  # "keine", "N.N.": no name
    if art == "pate" and not pate:
        raise ZeileAbgelehnt(
            "Art „Pat*in“ ohne Namen – bitte den Namen in die Spalte „Pat*in“ eintragen", "arten"
        )
    return art, datum, treffer.nr, pate if art == "pate" else None


def _kopf_finden(ordner: Arbeitsordner, blatt: lesen.Blatt) -> tuple[int, dict[str, int]]:
    """(header row, field -> column) of a contact list; :class:`EingabeFehler` if the columns are missing."""
    datei = blatt.datei
    kopf = spalten.find_header(blatt.rows, extra=ordner.config["import"]["spalten"])
    eigene: dict[str, int] = {}
    zeile_kopf = None
    for i, row in enumerate(blatt.rows[:30]):
        gefunden = _eigene_spalten(row)
        if "art" in gefunden:
            eigene, zeile_kopf = gefunden, i
            break
    if zeile_kopf is None or kopf is None or kopf.zeile != zeile_kopf:
        raise EingabeFehler(
            f"{datei.name}: keine Kopfzeile mit den Spalten „Art“ und „Mitgliedsnummer“ (oder „Vorname“ und "
            "„Nachname“) gefunden.",
            hint="Eine Kontaktliste braucht die Spalten Mitgliedsnummer (oder Vorname und Nachname), Art und "
            "Datum; Notiz und Pat*in sind freiwillig.",
        )
    zuordnung = {
        f: c
        for f, c in kopf.zuordnung.items()
        if f in ("mitgliedsnummer", "vorname", "nachname", "ortsverein") and c not in eigene.values()
    }
    if not ({"mitgliedsnummer", "nachname"} & set(zuordnung)):
        raise EingabeFehler(
            f"{datei.name}: es fehlt die Spalte „Mitgliedsnummer“ (oder „Nachname“).",
            hint="Ohne Nummer oder Namen lässt sich kein Kontakt einem Mitglied zuordnen.",
        )
    zuordnung.update(eigene)
    return zeile_kopf, zuordnung


def _kontakt_fehlerdatei(
    ordner: Arbeitsordner, fehler_ordner: Path | None, datei: Path, felder: list[str]
) -> Fehlerdatei:
    return Fehlerdatei(
        ordner=fehler_ordner or ordner.ausgabe,
        stem=f"import-fehler-kontakte-{ordner.stichtag.isoformat()}",
        quelle=datei.name,
        meta={"art": META_ART, "version": "1", "fehlerdatei": "ja"},
        kopf={f: _KANONISCH[f] for f in felder},
        hinweise=[
            "Blatt „Abgelehnt“: diese Zeilen wurden NICHT übernommen. Bitte korrigieren und diese Datei erneut "
            "importieren: mitglieder import <diese Datei>. Die Spalten „Fehler“ und „Zeile“ werden dabei "
            "ignoriert; schon Erfasstes wird nicht doppelt gezählt.",
            "Blatt „Warnungen“: erfasst, verdient aber einen Blick (z. B. inzwischen ausgetreten).",
            DATENSCHUTZ_HINWEIS,
        ],
    )


def _kontakt_eintragen(
    lauf: Lauf, werte: dict[str, object], art: str, datum: date, nr: str, pate: str | None, quelle: str
) -> bool:
    """Record one row's contact; False if it was recorded before."""
    roh_art = text(werte.get("art"))
    return not kontakte.schon_erfasst(lauf.conn, nr, art, datum, pate) and kontakte.eintragen(
        lauf.conn,
        nr,
        art,
        datum,
        notiz=text(werte.get("notiz")),
        pate=pate,
        veranstaltung=roh_art if art == "teilnahme" and kontakte.wort(roh_art) != "teilnahme" else None,
        import_id=lauf.import_id,
        quelle=quelle,
        schluessel=kontakte.schluessel("kontakt", nr, art, datum.isoformat(), (pate or "").casefold()),
    )


def _kontaktzeilen_eintragen(
    lauf: Lauf,
    blatt: lesen.Blatt,
    zeile_kopf: int,
    zuordnung: dict[str, int],
    formeln: set[tuple[int, int]],
    tag: date,
    result: ImportErgebnis,
    fehler: list[Fehlerzeile],
    zaehler: dict[str, int],
    je_art: dict[str, int],
) -> None:
    """Check and record every non-empty row; rejected rows and warnings go to ``fehler``."""
    verzeichnis = verzeichnis_laden(lauf.conn)
    for offset, row in enumerate(blatt.rows[zeile_kopf + 1 :]):
        zeile = zeile_kopf + offset + 2
        werte = {f: (row[c] if c < len(row) else None) for f, c in zuordnung.items()}
        if not any(text(v) for v in werte.values()):
            continue
        result.gelesen += 1
        try:
            art, datum, nr, pate = _zeile_lesen(werte, zeile, zuordnung, formeln, verzeichnis, tag)
        except ZeileAbgelehnt as exc:
            fehler.append(Fehlerzeile("", zeile, exc.meldung, True, dict(werte)))
            zaehler[exc.grund] += 1
            continue
        austritt = dt.gespeicherter_tag(verzeichnis.mitglieder[nr]["austrittsdatum"])
        if austritt is not None and austritt <= max(datum, tag):
            fehler.append(
                Fehlerzeile(
                    "",
                    zeile,
                    f"ist seit {dt.de(austritt)} nicht mehr Mitglied – der Kontakt wurde trotzdem erfasst",
                    False,
                    dict(werte),
                )
            )
        if not _kontakt_eintragen(lauf, werte, art, datum, nr, pate, blatt.datei.name):
            zaehler["bereits"] += 1
            continue
        result.uebernommen += 1
        je_art[art] = je_art.get(art, 0) + 1
        zaehler["nach_stichtag"] += datum > tag


@dataclass(frozen=True)
class Kontaktbilanz:
    """What a contact list came to, beyond the counts of the :class:`ImportErgebnis` (its ``bilanz``).

    :func:`mitgliederarbeit.cli.darstellung.import_zusammenfassung` writes the German sentences from it.
    """

    datei: str  # the file's name
    stichtag: date  # the import's: a contact after it counts from its day on
    zaehler: dict[str, int]  # bereits, nach_stichtag, unbekannt, arten, datum, formel
    je_art: dict[str, int]  # recorded contacts per kind


def kontaktliste_uebernehmen(
    ordner: Arbeitsordner,
    blatt: lesen.Blatt,
    *,
    trockenlauf: bool = False,
    fehler_ordner: Path | None = None,
    fortschritt: Callable[[int, int], None] | None = None,
) -> ImportErgebnis:
    """Record one contact per row of a contact list, in one transaction."""
    datei = blatt.datei
    zeile_kopf, zuordnung = _kopf_finden(ordner, blatt)
    felder = [f for f in _KANONISCH if f in zuordnung]
    tag = ordner.stichtag
    formeln = formelzellen(datei, blatt.name) if blatt.format == "xlsx" else set()
    result = ImportErgebnis(datei=str(datei), art="kontakte", trockenlauf=trockenlauf)
    fehler: list[Fehlerzeile] = []
    zaehler = {"bereits": 0, "nach_stichtag": 0, "unbekannt": 0, "arten": 0, "datum": 0, "formel": 0}
    je_art: dict[str, int] = {}
    fehlerdatei = _kontakt_fehlerdatei(ordner, fehler_ordner, datei, felder)
    with transaktion(ordner, "kontakte", datei, None, trockenlauf=trockenlauf) as lauf:
        _kontaktzeilen_eintragen(
            lauf, blatt, zeile_kopf, zuordnung, formeln, tag, result, fehler, zaehler, je_art
        )
        abschliessen(lauf, result, fehler, lambda: fehlerdatei.schreiben(fehler), trockenlauf=trockenlauf)
    result.bereits_importiert = result.uebernommen == 0 and zaehler["bereits"] > 0 and not fehler
    result.bilanz = Kontaktbilanz(datei=datei.name, stichtag=tag, zaehler=zaehler, je_art=je_art)
    result.details = {
        "kontakte": result.uebernommen,
        "paten": je_art.get("pate", 0),
        "je_art": je_art,
        "bereits_erfasst": zaehler["bereits"],
        "nach_stichtag": zaehler["nach_stichtag"],
        "unbekannte_arten": zaehler["arten"],
        "unbekannte_mitglieder": zaehler["unbekannt"],
    }
    return result
