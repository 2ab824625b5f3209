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
import shutil
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from mitgliederarbeit import datum as dt
from mitgliederarbeit.bestand import kontakte, speicher
from mitgliederarbeit.bestand import pakete as paketformat
from mitgliederarbeit.einlesen import lesen, spalten
from mitgliederarbeit.einlesen.ergebnis import ImportErgebnis
from mitgliederarbeit.einlesen.kontakte import (
    Fehlerzeile,
    Rollback,
    datum_pruefen,
    fehlerdatei,
    formel,
    formelzellen,
    import_abschliessen,
    import_beginnen,
    mal,
    probleme,
    zahl,
)
from mitgliederarbeit.einlesen.normalisieren import nummer_key, text
from mitgliederarbeit.errors import EingabeFehler
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

    ordner = Path(tempfile.mkdtemp(prefix="mitglieder-"))  # 0700: only the owner sees the decrypted copy
    ziel = ordner / path.name
    try:
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
    finally:
        shutil.rmtree(ordner, ignore_errors=True)


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


def paket_uebernehmen(  # noqa: C901 - one loop over the rows, each check a few lines
    ordner: Arbeitsordner,
    blatt: lesen.Blatt,
    *,
    trockenlauf: bool = False,
    fehler_ordner: Path | None = None,
) -> ImportErgebnis:
    """Record what a chair filled into a package: dates as contacts, Pat*innen, notes; in one transaction."""
    datei = blatt.datei
    meta = blatt.meta
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
    paket_tag = dt.from_iso(meta.get("stichtag")) or ordner.stichtag
    paket_nummern = {k[2:] for k in meta if k.startswith("m.")}
    name, rows = _blatt_finden(blatt, datei, [s["name"] for s in schritte])
    kopf = _kopf(rows, [s["name"] for s in schritte])
    assert kopf is not None
    kopfzeile, zuordnung = kopf
    formeln = formelzellen(datei, name) if blatt.format == "xlsx" else set()
    fehlende = [s["name"] for k, s in enumerate(schritte, start=1) if f"schritt.{k}" not in zuordnung]
    tag = ordner.stichtag
    pate_spalte = next((f"schritt.{k}" for k, s in enumerate(schritte, start=1) if s["art"] == "pate"), None)
    spalten_namen: dict[str, str] = {
        "nr": paketformat.SPALTE_NR,
        "vorname": "Vorname",
        "nachname": "Nachname",
        **{f"schritt.{k}": s["name"] for k, s in enumerate(schritte, start=1)},
        "pate": paketformat.SPALTE_PATE,
        "notiz": paketformat.SPALTE_NOTIZ,
    }
    felder = [f for f in spalten_namen if f in zuordnung]
    result = ImportErgebnis(datei=str(datei), art="paket", stand=paket_tag, trockenlauf=trockenlauf)
    fehler: list[Fehlerzeile] = []
    zaehler = {
        "bereits": 0,
        "kontakte": 0,
        "nach_stichtag": 0,
        "unbekannt": 0,
        "fremd": 0,
        "datum": 0,
        "formel": 0,
        "paten": 0,
        "notizen": 0,
        "offen": 0,
    }
    je_schritt = {s["name"]: 0 for s in schritte}
    quelle = f"Paket {ov} vom {dt.de(paket_tag)}"

    store = speicher.oeffnen(ordner.pfad)
    try:
        conn = store.conn
        bestand = paketformat.bestand_id(conn)
        if bestand is None or meta.get("bestand") != bestand:
            raise EingabeFehler(
                f"{datei.name}: dieses Paket stammt aus einem anderen Datenbestand und wird nicht übernommen; "
                "es wurde nichts geändert.",
                hint="Bitte in dem Arbeitsordner importieren, in dem es mit „mitglieder ortsvereine“ geschrieben "
                "wurde.",
            )
        mitglieder = {
            r["nr"]: dict(r)
            for r in conn.execute(
                "SELECT nr, mitgliedsnummer, ortsverein, eintrittsdatum, austrittsdatum FROM mitglieder "
                "WHERE anonymisiert = 0"
            )
        }
        with store.transaktion(sichern=not trockenlauf):
            import_id = import_beginnen(conn, "paket", datei, paket_tag)
            for offset, row in enumerate(rows[kopfzeile + 1 :]):
                r_index = kopfzeile + 1 + offset
                zeile = r_index + 1
                werte = {f: (row[c] if c < len(row) else None) for f, c in zuordnung.items()}
                eingaben = [f for f in felder if f.startswith("schritt.") or f in ("pate", "notiz")]
                formelspalte = next(
                    (f for f in felder if (r_index, zuordnung[f]) in formeln or formel(werte.get(f))), None
                )
                if not formelspalte and not any(text(werte.get(f)) for f in eingaben):
                    if text(werte.get("nr")):
                        zaehler["offen"] += 1
                    continue
                result.gelesen += 1
                anzeige = {spalten_namen[f]: werte.get(f) for f in felder}

                def ablehnen(meldung: str, *, _z: int = zeile, _w: dict[str, object] = anzeige) -> None:
                    fehler.append(Fehlerzeile(_z, meldung, _w))

                if formelspalte:
                    ablehnen(
                        f"die Zelle „{spalten_namen[formelspalte]}“ enthält eine Formel oder beginnt wie eine "
                        "(=, +, -, @) – bitte nur ein Datum oder Text eintragen"
                    )
                    zaehler["formel"] += 1
                    continue
                number = text(werte.get("nr"))
                if not number:
                    ablehnen("Mitgliedsnummer fehlt – bitte die Nummer eintragen")
                    zaehler["unbekannt"] += 1
                    continue
                nr = nummer_key(number)
                m = mitglieder.get(nr)
                if m is None:
                    ablehnen(f"Mitgliedsnummer {number} ist nicht im Datenbestand")
                    zaehler["unbekannt"] += 1
                    continue
                if nr not in paket_nummern and m["ortsverein"] != ov:
                    ablehnen(
                        f"Mitgliedsnummer {number} gehört nicht zum Ortsverein {ov} "
                        f"(laut Datenbestand: {m['ortsverein']})"
                    )
                    zaehler["fremd"] += 1
                    continue
                eintritt = date.fromisoformat(m["eintrittsdatum"])
                daten: list[tuple[dict[str, Any], date]] = []
                schlecht = None
                for k, s in enumerate(schritte, start=1):
                    zelle = werte.get(f"schritt.{k}")
                    try:
                        day = datum_pruefen(zelle, tag)
                    except dt.UngueltigesDatum as exc:
                        schlecht = f"„{s['name']}“: {exc}"
                        break
                    if day is None:
                        continue
                    if day < eintritt:
                        schlecht = (
                            f"„{s['name']}“: {dt.de(day)} liegt vor dem Eintritt ({dt.de(eintritt)}) – "
                            "Tippfehler im Datum?"
                        )
                        break
                    daten.append((s, day))
                if schlecht:
                    ablehnen(schlecht)
                    zaehler["datum"] += 1
                    continue
                neu_in_zeile = 0
                pate = text(werte.get("pate"))
                for s, day in daten:
                    if s["art"] == "pate" and pate:
                        continue  # recorded below, with the name
                    if kontakte_am(conn, nr, s["arten"], day):
                        zaehler["bereits"] += 1
                        continue
                    if kontakte.eintragen(
                        conn,
                        nr,
                        s["art"],
                        day,
                        import_id=import_id,
                        quelle=quelle,
                        schluessel=kontakte.schluessel("paket", bestand, ov, nr, s["name"], day.isoformat()),
                    ):
                        neu_in_zeile += 1
                        je_schritt[s["name"]] += 1
                        zaehler["paten" if s["art"] == "pate" else "kontakte"] += 1
                        zaehler["nach_stichtag"] += day > tag
                    else:
                        zaehler["bereits"] += 1
                if pate:
                    pate_tag = next((d for s, d in daten if s["art"] == "pate"), None) or tag
                    if kontakte.schon_erfasst(conn, nr, "pate", pate_tag, pate):
                        zaehler["bereits"] += 1
                    elif kontakte.eintragen(
                        conn,
                        nr,
                        "pate",
                        pate_tag,
                        pate=pate,
                        import_id=import_id,
                        quelle=quelle,
                        schluessel=kontakte.schluessel(
                            "paket-pate", bestand, ov, nr, pate.casefold(), pate_tag.isoformat()
                        ),
                    ):
                        neu_in_zeile += 1
                        zaehler["paten"] += 1
                        if pate_spalte:
                            je_schritt[spalten_namen[pate_spalte]] += 1
                notiz = text(werte.get("notiz"))
                if notiz and kontakte.notiz_eintragen(
                    conn, nr, tag, notiz, quelle=quelle, import_id=import_id
                ):
                    neu_in_zeile += 1
                    zaehler["notizen"] += 1
                austritt = dt.from_iso(m["austrittsdatum"])
                if neu_in_zeile and austritt is not None and austritt <= tag:
                    fehler.append(
                        Fehlerzeile(
                            zeile,
                            f"ist seit {dt.de(austritt)} nicht mehr Mitglied – trotzdem erfasst",
                            anzeige,
                            schwer=False,
                        )
                    )
                result.uebernommen += neu_in_zeile
            if fehler and not trockenlauf:
                result.fehlerdatei = fehlerdatei(
                    fehler_ordner or ordner.ausgabe,
                    f"import-fehler-paket-{tag.isoformat()}",
                    datei.name,
                    [spalten_namen[f] for f in felder],
                    fehler,
                    {k: v for k, v in meta.items() if not k.startswith("m.")}
                    | {f"m.{k}": "1" for k in paket_nummern},
                )
                speicher.protokollieren(
                    conn, "import", "importfehler", len({z.zeile for z in fehler}), result.fehlerdatei
                )
            result.abgelehnt = sum(1 for z in fehler if z.schwer)
            result.warnungen = sum(1 for z in fehler if not z.schwer)
            result.probleme = probleme(fehler)
            import_abschliessen(conn, import_id, result)
            if trockenlauf:
                raise Rollback
    except Rollback:
        pass
    finally:
        store.close()

    kontakte_neu = zaehler["kontakte"]
    result.bereits_importiert = result.uebernommen == 0 and zaehler["bereits"] > 0 and not fehler
    vorab = "Trockenlauf – es wurde nichts geändert. " if trockenlauf else ""
    lines = [
        f"{vorab}{datei.name}: Paket des Ortsvereins {ov} vom {dt.de(paket_tag)}, "
        f"{mal(result.gelesen, 'ausgefüllte Zeile', 'ausgefüllte Zeilen')}.",
        f"  Erfasst: {mal(kontakte_neu, 'Kontakt', 'Kontakte')}, {mal(zaehler['paten'], 'Pat*in', 'Pat*innen')}, "
        f"{mal(zaehler['notizen'], 'Notiz', 'Notizen')}.",
    ]
    for s in schritte:
        if je_schritt[s["name"]] and s["art"] != "pate":
            lines.append(
                f"    {s['name']}: {zahl(je_schritt[s['name']])} (als „{kontakte.ARTEN_NAMEN[s['art']]}“)"
            )
    if zaehler["bereits"]:
        lines.append(f"  Schon früher erfasst, nicht doppelt gezählt: {zahl(zaehler['bereits'])}.")
    if zaehler["nach_stichtag"]:
        lines.append(
            f"  Mit Datum nach dem Stichtag ({dt.de(tag)}; zählen erst ab diesem Tag): "
            f"{zahl(zaehler['nach_stichtag'])}."
        )
    if result.abgelehnt:
        gruende = [
            f"{zahl(n)} {w}"
            for n, w in (
                (zaehler["unbekannt"], "mit unbekannter oder fehlender Mitgliedsnummer"),
                (zaehler["fremd"], "aus einem anderen Ortsverein"),
                (zaehler["datum"], "mit unbrauchbarem Datum"),
                (zaehler["formel"], "mit einer Formel"),
            )
            if n
        ]
        lines.append(f"  Abgelehnt: {mal(result.abgelehnt, 'Zeile', 'Zeilen')} – {', '.join(gruende)}.")
    if result.warnungen:
        lines.append(
            f"  Inzwischen ausgetreten (trotzdem erfasst, siehe Warnungen): {zahl(result.warnungen)}."
        )
    for fehlt in fehlende:
        lines.append(
            f"  Die Spalte „{fehlt}“ fehlt im Blatt „{name}“ – deren Daten konnten nicht übernommen werden."
        )
    result.details = {
        "zusammenfassung": "\n".join(lines),
        "ortsverein": ov,
        "paket": meta.get("paket"),
        "kontakte": kontakte_neu,
        "paten": zaehler["paten"],
        "notizen": zaehler["notizen"],
        "je_schritt": {k: v for k, v in je_schritt.items()},
        "bereits_erfasst": zaehler["bereits"],
        "nach_stichtag": zaehler["nach_stichtag"],
        "unbekannte_mitglieder": zaehler["unbekannt"],
        "fremde_mitglieder": zaehler["fremd"],
        "fehlende_spalten": fehlende,
    }
    return result


def kontakte_am(conn: Any, nr: str, arten: list[str], day: date) -> bool:
    """Whether the member has a contact of one of these kinds on that day (from any source)."""
    return any(kontakte.schon_erfasst(conn, nr, art, day) for art in arten if art != "pate") or (
        "pate" in arten
        and conn.execute(
            "SELECT 1 FROM kontakte WHERE nr = ? AND art = 'pate' AND datum = ?", (nr, day.isoformat())
        ).fetchone()
        is not None
    )
