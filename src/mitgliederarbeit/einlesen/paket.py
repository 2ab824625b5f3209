"""A returned Ortsverein package (``mitglieder ortsvereine``), recognized by its hidden sheet, back into the store.

Each date filled into a step's column becomes a contact of the kind the package names for that step (the
metadata sheet says which), each Pat*in an assignment, each Notiz a note about the member. Rows are found by the
Mitgliedsnummer; chairs may sort rows, add blank rows and type dates as text ("3.5.26").

Decisions (also in the README):

- The package must come from this store (its id is in the hidden sheet); one from another working folder is
  refused as a whole, nothing is changed.
- A number must belong to the package or, in the store, to its Ortsverein; otherwise the row is rejected.
- A row with an unusable cell (a date that is none, before the Eintritt, more than a year after the Stichtag; a
  text that would be a formula; a formula) is rejected as a whole, so it can be fixed and imported again.
- A date already recorded for the step (any of its kinds, that day: e.g. the pre-filled green dates) is not
  recorded again; so importing a package twice, or its error file after fixing, records nothing twice.
- A Pat*in is assigned on the date in a step column of kind ``pate`` of that row if there is one, else on the
  package's own Stichtag (so an older package returned late does not replace the newer Pat*in); naming the
  member's current Pat*in again records nothing. Placeholder words ("keine", "N.N.") are no name. Notes are dated
  by the package too.
- A date after the Stichtag is recorded and counts from its day; the summary says how many.
- The hidden sheet keeps the green (pre-filled) dates. A changed one corrects the chair's own earlier entry (from a
  package of this Ortsverein) and is only told for an entry from elsewhere; a cleared one deletes the chair's own
  entry and is told either way.
- A member number in more than one filled-in row rejects all those rows.
- A deleted step column takes its kinds out of what the package covers; a renamed one is read when it is
  unmistakable ("Erstkontakt am"), and a missing step beside an unknown column holding dates stops the import.
- A sheet that looks like a package but has no hidden sheet (saved as CSV) is refused, never read as an export.
"""

from __future__ import annotations

import contextlib
import json
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from mitgliederarbeit import datum as dt
from mitgliederarbeit import kontaktarten, telefon
from mitgliederarbeit.bestand import kontakte, speicher
from mitgliederarbeit.bestand import pakete as paketformat
from mitgliederarbeit.dateien import arbeitsordner_temp
from mitgliederarbeit.einlesen import lesen, spalten
from mitgliederarbeit.einlesen.ergebnis import ImportErgebnis
from mitgliederarbeit.einlesen.kontakte import datum_pruefen, formel, formelzellen
from mitgliederarbeit.einlesen.listenimport import (
    DATENSCHUTZ_HINWEIS,
    Fehlerdatei,
    Fehlerzeile,
    Lauf,
    ZeileAbgelehnt,
    abschliessen,
    transaktion,
)
from mitgliederarbeit.einlesen.normalisieren import text
from mitgliederarbeit.errors import EingabeFehler
from mitgliederarbeit.nummern import nummer_key
from mitgliederarbeit.ordner import Arbeitsordner

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_PATE = ("Pat*in", "Pate", "Patin", "Pate/Patin", "Paten", "Mentor", "Mentorin")
_NOTIZ = ("Notiz", "Notizen", "Bemerkung", "Bemerkungen", "Kommentar", "Anmerkung")


# --------------------------------------------------------------------------------------------------------------
# passwords
# --------------------------------------------------------------------------------------------------------------


class PasswortNoetig(EingabeFehler):
    """The file is encrypted and no password was given (the CLI asks for one and tries again)."""


def verschluesselt(path: Path) -> bool:
    """An Office file encrypted with a password (an OLE container holding an ``EncryptedPackage``)."""
    try:
        with path.open("rb") as handle:
            if handle.read(8) != _OLE:
                return False
            return "EncryptedPackage".encode("utf-16-le") in handle.read()
    except OSError:
        return False  # reading it later says what is wrong with it


@contextlib.contextmanager
def lesbar(path: Path, passwort: str | None) -> Iterator[Path]:
    """``path`` itself, or for an encrypted file a decrypted copy under the same name in a private temporary
    folder, deleted afterwards."""
    if not verschluesselt(path):
        yield path
        return
    if passwort is None:
        raise PasswortNoetig(
            f"{path.name}: die Datei ist mit einem Kennwort geschützt.",
            hint="Bitte das Kennwort mit --passwort angeben; in einem Terminal wird es sonst abgefragt.",
        )
    import msoffcrypto
    from msoffcrypto.exceptions import InvalidKeyError

    # 0700: only the owner sees the decrypted copy; removed afterwards, or by the next run after a kill
    with arbeitsordner_temp("paket") as ordner:
        ziel = ordner / path.name
        with path.open("rb") as quelle, ziel.open("wb") as aus:
            ziel.chmod(0o600)
            try:
                datei = msoffcrypto.OfficeFile(quelle)
                datei.load_key(password=passwort)
                datei.decrypt(aus)
            except InvalidKeyError:
                raise EingabeFehler(
                    f"{path.name}: das Kennwort stimmt nicht; es wurde nichts geändert.",
                    hint="Bitte das Kennwort prüfen (Groß- und Kleinschreibung beachten).",
                ) from None
            except Exception:  # msoffcrypto raises many kinds of errors for files it cannot handle
                raise EingabeFehler(
                    f"{path.name}: die verschlüsselte Datei kann nicht geöffnet werden.",
                    hint="Bitte in Excel oder LibreOffice mit dem Kennwort öffnen und ohne Kennwort speichern.",
                ) from None
        yield ziel


# --------------------------------------------------------------------------------------------------------------
# reading the sheet
# --------------------------------------------------------------------------------------------------------------


def _kopf(rows: list[list[object]], schritte: list[str]) -> tuple[int, dict[str, int]] | None:
    """(header row, column of: "nr", "vorname", "nachname", "telefon", "mobil", "pate", "notiz", "schritt.K") of a
    package sheet."""
    namen = {spalten.normalize_header(s): f"schritt.{k}" for k, s in enumerate(schritte, start=1)}
    namen.update({spalten.normalize_header(n): "pate" for n in _PATE})
    namen.update({spalten.normalize_header(n): "notiz" for n in _NOTIZ})
    for n in spalten.SYNONYME["mitgliedsnummer"]:
        namen.setdefault(spalten.normalize_header(n), "nr")
    namen.update({"vorname": "vorname", "nachname": "nachname", "telefon": "telefon", "mobil": "mobil"})
    for i, row in enumerate(rows[:30]):
        zuordnung: dict[str, int] = {}
        for col, cell in enumerate(row):
            feld = namen.get(spalten.normalize_header(cell))
            if feld and feld not in zuordnung:
                zuordnung[feld] = col
        if "nr" in zuordnung and any(f.startswith("schritt.") or f in ("pate", "notiz") for f in zuordnung):
            return i, zuordnung
    return None


def _bekannte_kopfe() -> set[str]:
    """Headers of a package (and of its error file) that hold no step: never a renamed step column."""
    return {spalten.normalize_header(n) for n in (*paketformat.VORNE, "Fehler", "Zeile", "Blatt", "Anrufer")}


def _stichwort(schritt: str) -> str:
    """What a step's column keeps when a chair renames it: its name without the part in brackets, as a header is
    compared ("Erstkontakt (Monat 1)" -> "erstkontakt")."""
    return spalten.normalize_header(re.sub(r"\(.*?\)", "", schritt))


def _umbenannte(kopf: list[object], zuordnung: dict[str, int], schritte: list[str]) -> dict[str, int]:
    """Step columns a chair renamed, recognized where it is safe: the only unknown header holding the step's name
    without its brackets ("Erstkontakt am" for "Erstkontakt (Monat 1)"), and no other step's. Field -> column."""
    bekannt = _bekannte_kopfe()
    unbekannt = {
        col: spalten.normalize_header(cell)
        for col, cell in enumerate(kopf)
        if col not in zuordnung.values() and text(cell) and spalten.normalize_header(cell) not in bekannt
    }
    woerter = {k: _stichwort(s) for k, s in enumerate(schritte, start=1)}
    result: dict[str, int] = {}
    for k, wort in woerter.items():
        if f"schritt.{k}" in zuordnung or len(wort) < 4:
            continue
        treffer = [col for col, name in unbekannt.items() if wort in name]
        andere = [w for j, w in woerter.items() if j != k and len(w) >= 4]
        if len(treffer) == 1 and not any(w in unbekannt[treffer[0]] for w in andere):
            result[f"schritt.{k}"] = treffer[0]
    return result


def sieht_aus_wie_paket(rows: list[list[object]]) -> bool:
    """A package's sheet "Neue Mitglieder" (or its error file's "Abgelehnt") without the hidden sheet (saved as CSV,
    copied into a new file): a header with the member number, "Pat*in" and "Fällig" or "Fehler" and "Zeile" –
    columns no member export has together."""
    n = spalten.normalize_header
    pate = {n(p) for p in _PATE}
    for row in rows[:30]:
        kopf = {n(c) for c in row if text(c)}
        if n(paketformat.SPALTE_NR) not in kopf or not kopf & pate or {n("Art"), n("Datum")} <= kopf:
            continue  # with "Art" and "Datum": a contact list
        if n("Fällig") in kopf or {n("Fehler"), n("Zeile")} <= kopf:
            return True
    return False


def ohne_verstecktes_blatt(datei: Path) -> EingabeFehler:
    """The refusal of a package that lost its hidden sheet: read as a member export it would make Austritte."""
    return EingabeFehler(
        f"{datei.name}: das sieht aus wie ein Rückmeldepaket eines Ortsvereins ohne sein verstecktes Blatt "
        "(etwa als CSV gespeichert oder in eine neue Datei kopiert). Ohne dieses Blatt ist nicht sicher, zu "
        "welchem Paket es gehört; es wurde nichts geändert.",
        hint="Bitte die xlsx-Datei so zurückschicken lassen, wie sie verschickt wurde (in Excel oder LibreOffice "
        "mit „Speichern“, nicht „Speichern unter … CSV“), und diese Datei importieren. Ein Mitgliederexport "
        "ist es nicht: als solcher eingelesen, gälten alle anderen Mitglieder des Ortsvereins als ausgetreten.",
    )


def _blatt_finden(
    blatt: lesen.Blatt, lesbar_pfad: Path, schritte: list[str]
) -> tuple[str, list[list[object]]]:
    namen = blatt.blaetter or [blatt.name]
    reihenfolge = sorted(namen, key=lambda n: n != paketformat.BLATT_NEU)  # the package's own sheet first
    for name in reihenfolge:
        rows = blatt.rows if name == blatt.name else lesen.read_sheet(lesbar_pfad, name)
        if _kopf(rows, schritte) is not None:
            return name, rows
    raise EingabeFehler(
        f"{blatt.datei.name}: kein Blatt mit der Spalte „Mitgliedsnummer“ und den Spalten der Schritte gefunden.",
        hint=f"Ist das ein ausgefülltes Ortsvereins-Paket? Das Blatt „{paketformat.BLATT_NEU}“ und seine "
        "Kopfzeile müssen erhalten bleiben.",
    )


# --------------------------------------------------------------------------------------------------------------
# taking it back
# --------------------------------------------------------------------------------------------------------------


def _bestand_pruefen(ordner: Arbeitsordner, datei: Path, meta: dict[str, str]) -> str:
    """The store's id, if the package names it; else the German refusal (nothing is changed)."""
    store = speicher.oeffnen(ordner.pfad)
    try:
        bestand = paketformat.bestand_id(store.conn)
    finally:
        store.close()
    if bestand is None or meta.get("bestand") != bestand:
        raise EingabeFehler(
            f"{datei.name}: dieses Paket stammt aus einem anderen Datenbestand und wird nicht übernommen; "
            "es wurde nichts geändert.",
            hint="Bitte in dem Arbeitsordner importieren, in dem es mit „mitglieder ortsvereine“ geschrieben wurde.",
        )
    return bestand


@dataclass
class _Pruefung:
    """The checks of one row of a package: whose it is, and which dates it holds."""

    ov: str
    paket_nummern: set[str]
    schritte: list[dict[str, Any]]
    formeln: set[tuple[int, int]]
    zuordnung: dict[str, int]
    spalten_namen: dict[str, str]
    tag: date
    mitglieder: dict[str, dict[str, Any]] = field(default_factory=dict)

    def _formelspalte(self, werte: dict[str, object], r_index: int) -> str | None:
        return next(
            (
                f
                for f in werte
                if f not in _NUR_ZUM_VERGLEICH
                and ((r_index, self.zuordnung[f]) in self.formeln or formel(werte.get(f)))
            ),
            None,
        )

    def ausgefuellt(self, werte: dict[str, object], r_index: int) -> bool:
        """Something to take in the row (a step, a Pat*in, a note) – or a formula, which is reported."""
        eingaben = [f for f in werte if f.startswith("schritt.") or f in ("pate", "notiz")]
        return any(text(werte.get(f)) for f in eingaben) or self._formelspalte(werte, r_index) is not None

    def pruefen(
        self, werte: dict[str, object], r_index: int
    ) -> tuple[str, dict[str, Any], list[tuple[dict[str, Any], date]]]:
        """(member, their row, the steps' dates) of a row; :class:`ZeileAbgelehnt` if it cannot be used."""
        formelspalte = self._formelspalte(werte, r_index)
        if formelspalte:
            raise ZeileAbgelehnt(
                f"die Zelle „{self.spalten_namen[formelspalte]}“ enthält eine Formel oder beginnt wie eine "
                "(=, +, -, @) – bitte nur ein Datum oder Text eintragen",
                "formel",
            )
        number = text(werte.get("nr"))
        if not number:
            raise ZeileAbgelehnt("Mitgliedsnummer fehlt – bitte die Nummer eintragen", "unbekannt")
        nr = nummer_key(number)
        m = self.mitglieder.get(nr)
        if m is None:
            raise ZeileAbgelehnt(f"Mitgliedsnummer {number} ist nicht im Datenbestand", "unbekannt")
        if nr not in self.paket_nummern and m["ortsverein"] != self.ov:
            raise ZeileAbgelehnt(
                f"Mitgliedsnummer {number} gehört nicht zum Ortsverein {self.ov} "
                f"(laut Datenbestand: {m['ortsverein']})",
                "fremd",
            )
        # None: no export had it; an estimate (the Stand of the export it first showed in) is the latest possible
        # day, so a step before it is no typo
        eintritt = None if m["eintritt_geschaetzt"] else dt.gespeicherter_tag(m["eintrittsdatum"])
        daten: list[tuple[dict[str, Any], date]] = []
        for k, s in enumerate(self.schritte, start=1):
            try:
                day = datum_pruefen(werte.get(f"schritt.{k}"), self.tag)
            except dt.UngueltigesDatum as exc:
                raise ZeileAbgelehnt(f"„{s['name']}“: {exc}", "datum") from None
            if day is None:
                continue
            if eintritt is not None and day < eintritt:
                raise ZeileAbgelehnt(
                    f"„{s['name']}“: {dt.de(day)} liegt vor dem Eintritt ({dt.de(eintritt)}) – Tippfehler im Datum?",
                    "datum",
                )
            daten.append((s, day))
        return nr, m, daten


def _schritte_lesen(datei: Path, meta: dict[str, str]) -> tuple[str, list[dict[str, Any]]]:
    """The package's Ortsverein and steps from its hidden sheet; a damaged sheet refuses the whole package."""
    ov = meta.get("ortsverein", "")
    try:
        anzahl = int(meta.get("schritte", "0"))
    except ValueError:
        anzahl = 0
    schritte: list[dict[str, Any]] = [
        {
            "k": k,
            "name": meta.get(f"schritt.{k}.name", ""),
            "art": meta.get(f"schritt.{k}.art", ""),
            "arten": [a for a in meta.get(f"schritt.{k}.arten", "").split(",") if a],
        }
        for k in range(1, anzahl + 1)
    ]
    if not ov or any(not s["name"] or s["art"] not in kontakte.ARTEN_NAMEN for s in schritte):
        raise EingabeFehler(
            f"{datei.name}: das versteckte Blatt des Pakets ist beschädigt.",
            hint="Bitte das Paket neu schreiben lassen (mitglieder ortsvereine) und die Einträge übertragen.",
        )
    return ov, schritte


def _spalten_namen(schritte: list[dict[str, Any]]) -> dict[str, str]:
    """Field -> the column heading the package writes for it."""
    return {
        "nr": paketformat.SPALTE_NR,
        "vorname": "Vorname",
        "nachname": "Nachname",
        **{f"schritt.{k}": s["name"] for k, s in enumerate(schritte, start=1)},
        "pate": paketformat.SPALTE_PATE,
        "notiz": paketformat.SPALTE_NOTIZ,
    }


def _paket_fehlerdatei(
    ordner: Arbeitsordner, fehler_ordner: Path | None, datei: Path, meta: dict[str, str], kopf: dict[str, str]
) -> Fehlerdatei:
    return Fehlerdatei(
        ordner=fehler_ordner or ordner.ausgabe,
        stem=f"import-fehler-paket-{ordner.stichtag.isoformat()}",
        quelle=datei.name,
        # the package's own metadata: fixed, the error file comes back as the package it is
        meta={**meta, "fehlerdatei": "ja"},
        kopf=kopf,
        hinweise=[
            "Blatt „Abgelehnt“: diese Zeilen wurden NICHT übernommen. Bitte korrigieren und diese Datei erneut "
            "importieren: mitglieder import <diese Datei>. Die Spalten „Fehler“ und „Zeile“ werden dabei "
            "ignoriert; schon Erfasstes wird nicht doppelt gezählt.",
            "Blatt „Warnungen“: erfasst, verdient aber einen Blick (z. B. inzwischen ausgetreten).",
            DATENSCHUTZ_HINWEIS,
        ],
    )


_ZAEHLER = (
    "bereits",
    "kontakte",
    "nach_stichtag",
    "unbekannt",
    "fremd",
    "datum",
    "formel",
    "doppelt",
    "paten",
    "notizen",
    "offen",
    "ausgetreten",
    "berichtigt",
    "geleert",
    "kein_name",
    "fruehere_pate",
)


@dataclass
class _Paketlauf:
    """What recording one package's rows needs and counts."""

    ov: str
    schritte: list[dict[str, Any]]
    spalten_namen: dict[str, str]
    tag: date  # the import's Stichtag
    paket_tag: date  # the package's: a Pat*in or a note without a date of its own dates from it
    quelle: str
    bestand: str
    # the green dates (the hidden sheet's "v." keys)
    vorausgefuellt: dict[str, date] = field(default_factory=dict)
    zaehler: dict[str, int] = field(default_factory=lambda: dict.fromkeys(_ZAEHLER, 0))
    je_schritt: dict[str, int] = field(default_factory=dict)
    # one line per corrected or cleared date and per earlier Pat*in
    hinweise: list[str] = field(default_factory=list)
    kein_name: list[str] = field(default_factory=list)  # the placeholder words read in "Pat*in", each once

    def __post_init__(self) -> None:
        self.je_schritt = {s["name"]: 0 for s in self.schritte}

    @property
    def pate_spalte(self) -> str | None:
        return next(
            (f"schritt.{k}" for k, s in enumerate(self.schritte, start=1) if s["art"] == "pate"), None
        )

    def _eigene(self, conn: sqlite3.Connection, nr: str, schritt: dict[str, Any], day: date) -> list[int]:
        """The ids of the contacts of the step's kinds on ``day`` that a package of this Ortsverein recorded (the
        chair's own entries, which the chair may correct)."""
        return [
            r["id"]
            for r in conn.execute(
                "SELECT id, art, ergebnis, quelle FROM kontakte WHERE nr = ? AND datum = ?",
                (nr, day.isoformat()),
            )
            if kontaktarten.passt(r["art"], r["ergebnis"], schritt["arten"])
            and (r["quelle"] or "").startswith(f"Paket {self.ov} vom ")
        ]

    def vorausgefuellte(
        self,
        lauf: Lauf,
        nr: str,
        nummer: str,
        daten: list[tuple[dict[str, Any], date]],
        spalten: set[str],
    ) -> tuple[list[tuple[dict[str, Any], date]], list[str]]:
        """The green dates the chair changed or cleared: a correction of the chair's own entry replaces it, anything
        else is told and left as it is. Returns the row's dates still to record and the warnings."""
        conn = lauf.conn
        im_blatt = {s["k"]: day for s, day in daten}
        bleiben: list[tuple[dict[str, Any], date]] = []
        warnungen: list[str] = []
        for s in self.schritte:
            vorher = self.vorausgefuellt.get(paketformat.vorausgefuellt_schluessel(nr, s["k"]))
            jetzt = im_blatt.get(s["k"])
            if (
                vorher is None
                or vorher == jetzt
                or f"schritt.{s['k']}" not in spalten
                or not kontakte.erfasst_am(conn, nr, s["arten"], vorher)  # gone since: a new date is new
            ):
                if jetzt is not None:
                    bleiben.append((s, jetzt))
                continue
            eigene = self._eigene(conn, nr, s, vorher)
            wo = f"Mitgliedsnummer {nummer}, „{s['name']}“"
            if jetzt is None and eigene:
                conn.executemany("DELETE FROM kontakte WHERE id = ?", [(i,) for i in eigene])
                self.zaehler["geleert"] += 1
                warnungen.append(
                    f"{wo}: das vorausgefüllte Datum {dt.de(vorher)} wurde geleert – der Eintrag aus einem früheren "
                    f"Paket wurde gelöscht (war das ein Versehen: mitglieder kontakt {nummer} {s['art']} --datum "
                    f"{dt.de(vorher)})."
                )
            elif jetzt is None:
                self.zaehler["geleert"] += 1
                warnungen.append(
                    f"{wo}: das vorausgefüllte Datum {dt.de(vorher)} wurde geleert – nicht gelöscht, denn es stammt "
                    "nicht aus einem Paket (bitte klären)."
                )
            elif eigene:
                if kontakte.erfasst_am(conn, nr, s["arten"], jetzt):
                    conn.executemany("DELETE FROM kontakte WHERE id = ?", [(i,) for i in eigene])
                else:
                    # the row keeps its key: the older package imported again does not bring the wrong day back
                    conn.execute(
                        "UPDATE kontakte SET datum = ?, quelle = ? WHERE id = ?",
                        (jetzt.isoformat(), f"{self.quelle} (berichtigt, vorher {dt.de(vorher)})", eigene[0]),
                    )
                    conn.executemany("DELETE FROM kontakte WHERE id = ?", [(i,) for i in eigene[1:]])
                self.zaehler["berichtigt"] += 1
                self.zaehler["nach_stichtag"] += jetzt > self.tag
                warnungen.append(
                    f"{wo}: {dt.de(vorher)} berichtigt auf {dt.de(jetzt)} (der Eintrag aus einem früheren Paket "
                    "wurde ersetzt)."
                )
            else:
                warnungen.append(
                    f"{wo}: das vorausgefüllte Datum {dt.de(vorher)} wurde in {dt.de(jetzt)} geändert – nicht "
                    "übernommen, denn es stammt nicht aus einem Paket (bitte klären)."
                )
        self.hinweise += warnungen
        return bleiben, warnungen

    def geleert(self, werte: dict[str, object]) -> bool:
        """Whether the row's member had a green date in a step column that is empty now."""
        number = text(werte.get("nr"))
        if not number or not self.vorausgefuellt:
            return False
        nr = nummer_key(number)
        return any(
            f"schritt.{s['k']}" in werte
            and not text(werte.get(f"schritt.{s['k']}"))
            and paketformat.vorausgefuellt_schluessel(nr, s["k"]) in self.vorausgefuellt
            for s in self.schritte
        )

    def daten_eintragen(
        self, lauf: Lauf, nr: str, daten: list[tuple[dict[str, Any], date]], pate: str | None
    ) -> int:
        """Record the row's step dates as contacts; returns how many are new."""
        neu = 0
        for s, day in daten:
            if s["art"] == "pate" and pate:
                continue  # recorded by pate_eintragen, with the name
            if kontakte.erfasst_am(lauf.conn, nr, s["arten"], day) or not kontakte.eintragen(
                lauf.conn,
                nr,
                s["art"],
                day,
                import_id=lauf.import_id,
                quelle=self.quelle,
                schluessel=kontakte.schluessel(
                    "paket", self.bestand, self.ov, nr, s["name"], day.isoformat()
                ),
            ):
                self.zaehler["bereits"] += 1
                continue
            neu += 1
            self.je_schritt[s["name"]] += 1
            self.zaehler["paten" if s["art"] == "pate" else "kontakte"] += 1
            self.zaehler["nach_stichtag"] += day > self.tag
        return neu

    def pate_eintragen(
        self, lauf: Lauf, nr: str, nummer: str, daten: list[tuple[dict[str, Any], date]], pate: str
    ) -> tuple[int, str | None]:
        """Assign the row's Pat*in (on the date of a ``pate`` step, else the package's day); (1 if new, the warning
        when the store holds a later Pat*in, so that this one is an earlier assignment)."""
        pate_tag = next((d for s, d in daten if s["art"] == "pate"), None) or self.paket_tag
        if kontakte.schon_erfasst(lauf.conn, nr, "pate", pate_tag, pate) or not kontakte.eintragen(
            lauf.conn,
            nr,
            "pate",
            pate_tag,
            pate=pate,
            import_id=lauf.import_id,
            quelle=self.quelle,
            schluessel=kontakte.schluessel(
                "paket-pate", self.bestand, self.ov, nr, pate.casefold(), pate_tag.isoformat()
            ),
        ):
            self.zaehler["bereits"] += 1
            return 0, None
        self.zaehler["paten"] += 1
        if self.pate_spalte:
            self.je_schritt[self.spalten_namen[self.pate_spalte]] += 1
        aktuell = kontakte.pate_von(lauf.conn, nr)
        if aktuell is None or aktuell.casefold() == pate.casefold():
            return 1, None
        self.zaehler["fruehere_pate"] += 1
        warnung = (
            f"Mitgliedsnummer {nummer}: Pat*in „{pate}“ ist älter als die aktuelle „{aktuell}“ – als frühere "
            "Zuteilung erfasst."
        )
        self.hinweise.append(warnung)
        return 1, warnung

    def pate_lesen(self, zelle: object) -> str | None:
        """The Pat*in's name in the cell; a placeholder ("keine", "N.N.", "?") is none, and counted."""
        geschrieben = text(zelle)
        pate = kontakte.pate_name(geschrieben)
        if geschrieben and pate is None:
            self.zaehler["kein_name"] += 1
            if geschrieben not in self.kein_name:
                self.kein_name.append(geschrieben)
        return pate


def _mitglieder_laden(conn: sqlite3.Connection) -> dict[str, dict[str, Any]]:
    return {
        r["nr"]: dict(r)
        for r in conn.execute(
            "SELECT nr, mitgliedsnummer, vorname, nachname, ortsverein, eintrittsdatum, eintritt_geschaetzt, "
            "austrittsdatum, telefon, mobil FROM mitglieder WHERE anonymisiert = 0"
        )
    }


# Columns the package shows for the call and a chair may correct: compared with the store, never taken (a "+43 …"
# there is a number, no formula)
_NUR_ZUM_VERGLEICH = ("telefon", "mobil")


def _nummern_vergleichen(
    werte: dict[str, object], zeilenpruefung: _Pruefung, paketlauf: _Paketlauf, r_index: int
) -> list[str]:
    """A number the chair wrote over the one the store has: said, not stored (the store keeps what the
    Mitgliederverwaltung exports, where it is to be changed; the next export would undo it)."""
    number = text(werte.get("nr"))
    m = zeilenpruefung.mitglieder.get(nummer_key(number)) if number else None
    if m is None:
        return []
    warnungen = []
    for feld, name in (("telefon", "Telefon"), ("mobil", "Mobil")):
        if feld not in werte or (r_index, zeilenpruefung.zuordnung[feld]) in zeilenpruefung.formeln:
            continue
        neu = text(werte.get(feld))
        if neu and telefon.ziffern(neu) and telefon.ziffern(neu) != telefon.ziffern(m[feld] or ""):
            wer = " ".join(t for t in (m["vorname"], m["nachname"]) if t)
            warnungen.append(
                f"{wer} ({m['mitgliedsnummer']}): {name} im Paket „{neu}“, im Datenbestand "
                f"„{telefon.telefon_anzeige(m[feld] or '') or 'keine'}“ – nicht übernommen, bitte in der "
                "Mitgliederverwaltung ändern"
            )
    paketlauf.hinweise += warnungen
    return warnungen


def _mehrfach(
    rows: list[list[object]],
    kopfzeile: int,
    zuordnung: dict[str, int],
    zeilenpruefung: _Pruefung,
    paketlauf: _Paketlauf,
) -> dict[int, list[int]]:
    """Rows (0-based) whose member number stands in another filled-in row too -> the other rows' numbers (1-based,
    as the sheet shows them)."""
    zeilen_von: dict[str, list[int]] = {}
    for r_index in range(kopfzeile + 1, len(rows)):
        row = rows[r_index]
        werte = {f: (row[c] if c < len(row) else None) for f, c in zuordnung.items()}
        number = text(werte.get("nr"))
        if number and (zeilenpruefung.ausgefuellt(werte, r_index) or paketlauf.geleert(werte)):
            zeilen_von.setdefault(nummer_key(number), []).append(r_index)
    return {
        r: [o + 1 for o in andere if o != r]
        for andere in zeilen_von.values()
        if len(andere) > 1
        for r in andere
    }


def _zeilen_eintragen(
    lauf: Lauf,
    paketlauf: _Paketlauf,
    zeilenpruefung: _Pruefung,
    rows: list[list[object]],
    kopfzeile: int,
    zuordnung: dict[str, int],
    result: ImportErgebnis,
    fehler: list[Fehlerzeile],
) -> None:
    """Check and record every filled-in row; rejected rows and warnings go to ``fehler``."""
    zaehler = paketlauf.zaehler
    mehrfach = _mehrfach(rows, kopfzeile, zuordnung, zeilenpruefung, paketlauf)
    spalten_da = set(zuordnung)
    for offset, row in enumerate(rows[kopfzeile + 1 :]):
        r_index = kopfzeile + 1 + offset
        werte = {f: (row[c] if c < len(row) else None) for f, c in zuordnung.items()}
        nummern = _nummern_vergleichen(werte, zeilenpruefung, paketlauf, r_index)
        fehler += [Fehlerzeile("", r_index + 1, w, False, dict(werte)) for w in nummern]
        if not zeilenpruefung.ausgefuellt(werte, r_index) and not paketlauf.geleert(werte):
            zaehler["offen"] += bool(text(werte.get("nr")))
            continue
        result.gelesen += 1
        try:
            if r_index in mehrfach:
                raise ZeileAbgelehnt(
                    f"Mitgliedsnummer {text(werte.get('nr'))} steht mehrfach im Paket (auch in "
                    f"{'Zeile' if len(mehrfach[r_index]) == 1 else 'Zeilen'} "
                    f"{', '.join(str(z) for z in mehrfach[r_index])}) – bitte zu einer Zeile zusammenfassen",
                    "doppelt",
                )
            nr, m, daten = zeilenpruefung.pruefen(werte, r_index)
        except ZeileAbgelehnt as exc:
            fehler.append(Fehlerzeile("", r_index + 1, exc.meldung, True, dict(werte)))
            zaehler[exc.grund] += 1
            continue
        nummer = m["mitgliedsnummer"] or nr
        daten, warnungen = paketlauf.vorausgefuellte(lauf, nr, nummer, daten, spalten_da)
        neu_in_zeile = 0
        pate = paketlauf.pate_lesen(werte.get("pate"))
        neu_in_zeile += paketlauf.daten_eintragen(lauf, nr, daten, pate)
        neu_in_zeile += len(warnungen)  # a correction changes the store; told either way
        if pate:
            neu, warnung = paketlauf.pate_eintragen(lauf, nr, nummer, daten, pate)
            neu_in_zeile += neu
            warnungen += [warnung] if warnung else []
        notiz = text(werte.get("notiz"))
        if notiz and kontakte.notiz_eintragen(
            lauf.conn, nr, paketlauf.paket_tag, notiz, quelle=paketlauf.quelle, import_id=lauf.import_id
        ):
            neu_in_zeile += 1
            zaehler["notizen"] += 1
        fehler += [Fehlerzeile("", r_index + 1, w, False, dict(werte)) for w in warnungen]
        austritt = dt.gespeicherter_tag(m["austrittsdatum"])
        if neu_in_zeile and austritt is not None and austritt <= paketlauf.tag:
            zaehler["ausgetreten"] += 1
            fehler.append(
                Fehlerzeile(
                    "",
                    r_index + 1,
                    f"ist seit {dt.de(austritt)} nicht mehr Mitglied – trotzdem erfasst",
                    False,
                    dict(werte),
                )
            )
        result.uebernommen += neu_in_zeile


@dataclass(frozen=True)
class Paketbilanz:
    """What a returned package came to, beyond the counts of the :class:`ImportErgebnis` (its ``bilanz``).

    :func:`mitgliederarbeit.cli.darstellung.import_zusammenfassung` writes the German sentences from it.
    """

    datei: str  # the file's name
    ortsverein: str
    paket_tag: date  # the day the package was made
    stichtag: date  # the import's: a date after it counts from its day on
    blatt: str  # the sheet read
    zaehler: dict[str, int]
    je_schritt: dict[str, int]  # recorded dates per step of the standard (its name)
    schritte: list[dict[str, Any]]  # the steps as the package has them (name, art)
    fehlende: list[str]  # step columns missing from the sheet
    umbenannt: dict[str, str] = field(default_factory=dict)  # a renamed step column's header -> the step
    hinweise: list[str] = field(default_factory=list)  # corrected and cleared green dates, earlier Pat*innen
    kein_name: list[str] = field(default_factory=list)  # placeholder words read in "Pat*in" ("keine", "N.N.")


def _paket_zahlen(paketlauf: _Paketlauf) -> dict[str, Any]:
    """The counts of a package import, for ``--json``."""
    zaehler = paketlauf.zaehler
    return {
        "kontakte": zaehler["kontakte"],
        "paten": zaehler["paten"],
        "notizen": zaehler["notizen"],
        "je_schritt": {k: v for k, v in paketlauf.je_schritt.items()},
        "bereits_erfasst": zaehler["bereits"],
        "nach_stichtag": zaehler["nach_stichtag"],
        "unbekannte_mitglieder": zaehler["unbekannt"],
        "fremde_mitglieder": zaehler["fremd"],
        "doppelte_nummern": zaehler["doppelt"],
        "berichtigt": zaehler["berichtigt"],
        "geleert": zaehler["geleert"],
        "ohne_pate_name": zaehler["kein_name"],
    }


def _arten_vermerken(lauf: Lauf, schritte: list[dict[str, Any]], zuordnung: dict[str, int]) -> None:
    """Note in the import the kinds this package had columns for: an empty cell in them means "not done" (see
    abdeckung). A step column the chair deleted takes its kinds out (an empty cell elsewhere says nothing about
    them); the column "Pat*in" stands for assignments."""

    def arten(s: dict[str, Any]) -> set[str]:
        return {*s["arten"], s["art"]}

    da = [s for s in schritte if f"schritt.{s['k']}" in zuordnung]
    fehlen = [s for s in schritte if f"schritt.{s['k']}" not in zuordnung]
    spalten_arten = set().union(*map(arten, da)) - set().union(*map(arten, fehlen))
    if "pate" in zuordnung:
        spalten_arten.add("pate")
    lauf.conn.execute(
        "UPDATE importe SET arten = ? WHERE id = ?", (json.dumps(sorted(spalten_arten)), lauf.import_id)
    )


def _vorausgefuellt(meta: dict[str, str]) -> dict[str, date]:
    """The green dates the package showed (none in a package written before they were kept)."""
    result = {}
    for key, wert in meta.items():
        if key.startswith("v.") and (day := dt.gespeicherter_tag(wert)) is not None:
            result[key] = day
    return result


def _unbekannte_daten(
    datei: Path,
    rows: list[list[object]],
    kopfzeile: int,
    zuordnung: dict[str, int],
    fehlende: list[str],
    tag: date,
) -> None:
    """Stop when a step column is missing and a column the package does not know holds dates: most likely the step
    renamed beyond recognition. Its dates would be lost without a word; nothing is changed."""
    if not fehlende:
        return
    bekannt = _bekannte_kopfe()
    for col, cell in enumerate(rows[kopfzeile]):
        if col in zuordnung.values() or not text(cell) or spalten.normalize_header(cell) in bekannt:
            continue
        for row in rows[kopfzeile + 1 :]:
            wert = row[col] if col < len(row) else None
            try:
                day = datum_pruefen(wert, tag) if text(wert) else None
            except dt.UngueltigesDatum:
                day = None
            if day is not None:
                raise EingabeFehler(
                    f"{datei.name}: die Spalte „{fehlende[0]}“ fehlt, dafür steht eine unbekannte Spalte "
                    f"„{text(cell)}“ mit Daten darin; es wurde nichts geändert.",
                    hint=f"Bitte der Spalte wieder ihre Überschrift „{fehlende[0]}“ geben (wie im verschickten "
                    "Paket) und die Datei noch einmal importieren.",
                )


def paket_uebernehmen(
    ordner: Arbeitsordner,
    blatt: lesen.Blatt,
    *,
    trockenlauf: bool = False,
    fehler_ordner: Path | None = None,
) -> ImportErgebnis:
    """Record what a chair filled into a package: dates as contacts, Pat*innen, notes; in one transaction."""
    datei = blatt.datei
    meta = blatt.meta
    ov, schritte = _schritte_lesen(datei, meta)
    paket_tag = dt.aus_metadaten(meta, "stichtag", datei) or ordner.stichtag
    paket_nummern = {k[2:] for k in meta if k.startswith("m.")}
    name, rows = _blatt_finden(blatt, datei, [s["name"] for s in schritte])
    kopf = _kopf(rows, [s["name"] for s in schritte])
    assert kopf is not None
    kopfzeile, zuordnung = kopf
    umbenannt = _umbenannte(rows[kopfzeile], zuordnung, [s["name"] for s in schritte])
    zuordnung.update(umbenannt)
    formeln = formelzellen(datei, name) if blatt.format == "xlsx" else set()
    fehlende = [s["name"] for s in schritte if f"schritt.{s['k']}" not in zuordnung]
    tag = ordner.stichtag
    _unbekannte_daten(datei, rows, kopfzeile, zuordnung, fehlende, tag)
    spalten_namen = _spalten_namen(schritte)
    felder = [f for f in spalten_namen if f in zuordnung]
    result = ImportErgebnis(datei=str(datei), art="paket", stand=paket_tag, trockenlauf=trockenlauf)
    fehler: list[Fehlerzeile] = []
    paketlauf = _Paketlauf(
        ov=ov,
        schritte=schritte,
        spalten_namen=spalten_namen,
        tag=tag,
        paket_tag=paket_tag,
        quelle=f"Paket {ov} vom {dt.de(paket_tag)}",
        bestand=_bestand_pruefen(ordner, datei, meta),
        vorausgefuellt=_vorausgefuellt(meta),
    )
    fehlerdatei = _paket_fehlerdatei(
        ordner, fehler_ordner, datei, meta, {f: spalten_namen[f] for f in felder}
    )
    zeilenpruefung = _Pruefung(ov, paket_nummern, schritte, formeln, zuordnung, spalten_namen, tag)
    with transaktion(ordner, "paket", datei, paket_tag, trockenlauf=trockenlauf) as lauf:
        _arten_vermerken(lauf, schritte, zuordnung)
        zeilenpruefung.mitglieder = _mitglieder_laden(lauf.conn)
        _zeilen_eintragen(lauf, paketlauf, zeilenpruefung, rows, kopfzeile, zuordnung, result, fehler)
        abschliessen(lauf, result, fehler, lambda: fehlerdatei.schreiben(fehler), trockenlauf=trockenlauf)

    zaehler = paketlauf.zaehler
    result.bereits_importiert = result.uebernommen == 0 and zaehler["bereits"] > 0 and not fehler
    result.bilanz = Paketbilanz(
        datei=datei.name,
        ortsverein=ov,
        paket_tag=paket_tag,
        stichtag=paketlauf.tag,
        blatt=name,
        zaehler=dict(zaehler),
        je_schritt=dict(paketlauf.je_schritt),
        schritte=schritte,
        fehlende=fehlende,
        umbenannt={text(rows[kopfzeile][c]) or "": spalten_namen[f] for f, c in umbenannt.items()},
        hinweise=list(paketlauf.hinweise),
        kein_name=list(paketlauf.kein_name),
    )
    result.details = {
        "ortsverein": ov,
        "paket": meta.get("paket"),
        **_paket_zahlen(paketlauf),
        "fehlende_spalten": fehlende,
        "umbenannte_spalten": dict(result.bilanz.umbenannt),
        "hinweise": list(paketlauf.hinweise),
    }
    return result
