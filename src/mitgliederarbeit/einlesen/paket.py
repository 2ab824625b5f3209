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
  Stichtag of the import; naming the member's current Pat*in again records nothing.
- A date after the Stichtag is recorded and counts from its day; the summary says how many.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from mitgliederarbeit import datum as dt
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
    """(header row, column of: "nr", "vorname", "nachname", "pate", "notiz", "schritt.K") of a package sheet."""
    namen = {spalten.normalize_header(s): f"schritt.{k}" for k, s in enumerate(schritte, start=1)}
    namen.update({spalten.normalize_header(n): "pate" for n in _PATE})
    namen.update({spalten.normalize_header(n): "notiz" for n in _NOTIZ})
    for n in spalten.SYNONYME["mitgliedsnummer"]:
        namen.setdefault(spalten.normalize_header(n), "nr")
    namen.update({"vorname": "vorname", "nachname": "nachname"})
    for i, row in enumerate(rows[:30]):
        zuordnung: dict[str, int] = {}
        for col, cell in enumerate(row):
            feld = namen.get(spalten.normalize_header(cell))
            if feld and feld not in zuordnung:
                zuordnung[feld] = col
        if "nr" in zuordnung and any(f.startswith("schritt.") or f in ("pate", "notiz") for f in zuordnung):
            return i, zuordnung
    return None


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
            (f for f in werte if (r_index, self.zuordnung[f]) in self.formeln or formel(werte.get(f))), None
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


@dataclass
class _Paketlauf:
    """What recording one package's rows needs and counts."""

    ov: str
    schritte: list[dict[str, Any]]
    spalten_namen: dict[str, str]
    tag: date
    quelle: str
    bestand: str
    zaehler: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys(
            (
                "bereits",
                "kontakte",
                "nach_stichtag",
                "unbekannt",
                "fremd",
                "datum",
                "formel",
                "paten",
                "notizen",
                "offen",
            ),
            0,
        )
    )
    je_schritt: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.je_schritt = {s["name"]: 0 for s in self.schritte}

    @property
    def pate_spalte(self) -> str | None:
        return next(
            (f"schritt.{k}" for k, s in enumerate(self.schritte, start=1) if s["art"] == "pate"), None
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

    def pate_eintragen(self, lauf: Lauf, nr: str, daten: list[tuple[dict[str, Any], date]], pate: str) -> int:
        """Assign the row's Pat*in (on the date of a ``pate`` step, else the Stichtag); 1 if new."""
        pate_tag = next((d for s, d in daten if s["art"] == "pate"), None) or self.tag
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
            return 0
        self.zaehler["paten"] += 1
        if self.pate_spalte:
            self.je_schritt[self.spalten_namen[self.pate_spalte]] += 1
        return 1


def _mitglieder_laden(conn: sqlite3.Connection) -> dict[str, dict[str, Any]]:
    return {
        r["nr"]: dict(r)
        for r in conn.execute(
            "SELECT nr, mitgliedsnummer, ortsverein, eintrittsdatum, eintritt_geschaetzt, austrittsdatum "
            "FROM mitglieder WHERE anonymisiert = 0"
        )
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
    tag = paketlauf.tag
    for offset, row in enumerate(rows[kopfzeile + 1 :]):
        r_index = kopfzeile + 1 + offset
        werte = {f: (row[c] if c < len(row) else None) for f, c in zuordnung.items()}
        if not zeilenpruefung.ausgefuellt(werte, r_index):
            zaehler["offen"] += bool(text(werte.get("nr")))
            continue
        result.gelesen += 1
        try:
            nr, m, daten = zeilenpruefung.pruefen(werte, r_index)
        except ZeileAbgelehnt as exc:
            fehler.append(Fehlerzeile("", r_index + 1, exc.meldung, True, dict(werte)))
            zaehler[exc.grund] += 1
            continue
        pate = text(werte.get("pate"))
        neu_in_zeile = paketlauf.daten_eintragen(lauf, nr, daten, pate)
        if pate:
            neu_in_zeile += paketlauf.pate_eintragen(lauf, nr, daten, pate)
        notiz = text(werte.get("notiz"))
        if notiz and kontakte.notiz_eintragen(
            lauf.conn, nr, tag, notiz, quelle=paketlauf.quelle, import_id=lauf.import_id
        ):
            neu_in_zeile += 1
            zaehler["notizen"] += 1
        austritt = dt.gespeicherter_tag(m["austrittsdatum"])
        if neu_in_zeile and austritt is not None and austritt <= tag:
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
    }


def _arten_vermerken(lauf: Lauf, schritte: list[dict[str, Any]]) -> None:
    """Note in the import the kinds this package had columns for (every package has a Pat*in column): an empty
    cell in them means "not done" (see abdeckung)."""
    spalten_arten = sorted(
        {a for s in schritte for a in s["arten"]} | {s["art"] for s in schritte} | {"pate"}
    )
    lauf.conn.execute(
        "UPDATE importe SET arten = ? WHERE id = ?", (json.dumps(spalten_arten), lauf.import_id)
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
    formeln = formelzellen(datei, name) if blatt.format == "xlsx" else set()
    fehlende = [s["name"] for k, s in enumerate(schritte, start=1) if f"schritt.{k}" not in zuordnung]
    tag = ordner.stichtag
    spalten_namen = _spalten_namen(schritte)
    felder = [f for f in spalten_namen if f in zuordnung]
    result = ImportErgebnis(datei=str(datei), art="paket", stand=paket_tag, trockenlauf=trockenlauf)
    fehler: list[Fehlerzeile] = []
    paketlauf = _Paketlauf(
        ov=ov,
        schritte=schritte,
        spalten_namen=spalten_namen,
        tag=tag,
        quelle=f"Paket {ov} vom {dt.de(paket_tag)}",
        bestand=_bestand_pruefen(ordner, datei, meta),
    )
    fehlerdatei = _paket_fehlerdatei(
        ordner, fehler_ordner, datei, meta, {f: spalten_namen[f] for f in felder}
    )
    zeilenpruefung = _Pruefung(ov, paket_nummern, schritte, formeln, zuordnung, spalten_namen, tag)
    with transaktion(ordner, "paket", datei, paket_tag, trockenlauf=trockenlauf) as lauf:
        _arten_vermerken(lauf, schritte)
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
    )
    result.details = {
        "ortsverein": ov,
        "paket": meta.get("paket"),
        **_paket_zahlen(paketlauf),
        "fehlende_spalten": fehlende,
    }
    return result
