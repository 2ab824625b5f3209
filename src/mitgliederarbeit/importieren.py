"""``mitglieder import``: one door for everything that comes in.

A member export is a snapshot of the Ortsvereine it contains. Against the store it yields Eintritte (numbers
never seen), Austritte (members of those Ortsvereine missing from the export, or with an Austrittsdatum),
Wechsel (moved to another Ortsverein) and Änderungen (other fields). Every import is one transaction.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from mitgliederarbeit import datum as dt
from mitgliederarbeit import lesen, spalten
from mitgliederarbeit.errors import BedienFehler, EingabeFehler
from mitgliederarbeit.normalisieren import Problem, normalize_row
from mitgliederarbeit.ordner import Arbeitsordner

# Fields compared between exports for "Änderungen" (only those the new export has a column for).
VERGLEICH = (
    "anrede",
    "titel",
    "geschlecht",
    "vorname",
    "nachname",
    "strasse",
    "hausnummer",
    "adresszusatz",
    "plz",
    "ort",
    "land",
    "geburtsdatum",
    "eintrittsdatum",
    "telefon",
    "mobil",
    "email",
    "unterbezirk",
    "kein_anruf",
    "keine_post",
    "keine_email",
)
_STAND = re.compile(
    r"stand\s*(?:vom|am|per|:)?\s*:?\s*(\d{1,2}\.\s?\d{1,2}\.\s?\d{2,4}|\d{4}-\d{2}-\d{2})", re.I
)
_TEILNAHME = re.compile(r"(teilnahme|anwesenheit|teilnehmer)", re.I)


@dataclass
class ImportErgebnis:
    """What one file did to the store (the ``--json`` keys are a contract)."""

    datei: str
    art: str
    stand: date | None = None
    gelesen: int = 0
    uebernommen: int = 0
    abgelehnt: int = 0
    warnungen: int = 0
    eintritte: int = 0
    austritte: int = 0
    wechsel: int = 0
    aenderungen: int = 0
    wiedereintritte: int = 0
    fehlerdatei: Path | None = None
    probleme: list[Problem] = field(default_factory=list)
    bereits_importiert: bool = False
    trockenlauf: bool = False
    stand_quelle: str = ""
    ortsvereine: int = 0
    erstimport: bool = False
    details: dict[str, Any] = field(default_factory=dict)  # per kind of file, e.g. call results

    def as_json(self) -> dict[str, Any]:
        result = {
            "datei": self.datei,
            "art": self.art,
            "stand": dt.iso(self.stand),
            "gelesen": self.gelesen,
            "uebernommen": self.uebernommen,
            "abgelehnt": self.abgelehnt,
            "warnungen": self.warnungen,
            "eintritte": self.eintritte,
            "austritte": self.austritte,
            "wechsel": self.wechsel,
            "aenderungen": self.aenderungen,
            "fehlerdatei": str(self.fehlerdatei) if self.fehlerdatei else None,
            "wiedereintritte": self.wiedereintritte,
            "bereits_importiert": self.bereits_importiert,
            "trockenlauf": self.trockenlauf,
            "ortsvereine": self.ortsvereine,
            "erstimport": self.erstimport,
        }
        result.update(self.details)
        return result


@dataclass
class Export:
    """A member export, read and normalized, not yet compared with the store."""

    blatt: lesen.Blatt
    kopf: spalten.Kopf
    stand: date
    stand_quelle: str
    datensaetze: list[dict[str, Any]]
    probleme: list[Problem]
    gelesen: int
    abgelehnte_nummern: set[str]
    ortsvereine: set[str]
    sha256: str
    nachtrag: bool = False  # a corrected error file: adds and updates rows, infers no Austritte


def stand_aus_titel(titel: Sequence[str]) -> date | None:
    for line in titel:
        if m := _STAND.search(line):
            try:
                return dt.parse_datum(m[1].replace(" ", ""))
            except dt.UngueltigesDatum:
                return None
    return None


def lese_export(
    blatt: lesen.Blatt,
    *,
    config: dict[str, Any],
    stichtag: date,
    stand: date | None = None,
    spalten_option: dict[str, str] | None = None,
    fortschritt: Callable[[int, int], None] | None = None,
) -> Export:
    """Find the header, map the columns, normalize every row. Raises :class:`EingabeFehler` if unusable."""
    name = blatt.datei.name
    kopf = spalten.find_header(blatt.rows, extra=config["import"]["spalten"], explizit=spalten_option)
    if kopf is None:
        raise EingabeFehler(
            f"{name}: keine Kopfzeile gefunden (erwartet z. B. Mitgliedsnummer, Name, Eintritt, Ortsverein).",
            hint="Stehen die Spaltenüberschriften in der Datei? Eigene Namen lassen sich mit "
            '--spalte mitgliedsnummer="Ihr Spaltenname" zuordnen.',
        )
    if spalten_option:
        known = {spalten.normalize_header(c) for c in kopf.spalten}
        for target, source in spalten_option.items():
            if spalten.normalize_header(source) not in known:
                raise BedienFehler(f"--spalte {target}={source}: {name} hat keine Spalte „{source}“.")
    spalten.check_required(kopf, name)

    quelle = "option"
    if blatt.meta.get("art") == "importfehler" and blatt.meta.get("stand"):
        stand, quelle = dt.from_iso(blatt.meta["stand"]), "fehlerdatei"
    if stand is None:
        stand, quelle = stand_aus_titel(kopf.titel), "titel"
    if stand is None:  # "Mitgliederliste Stand 31.05.2026.xlsx"
        stand, quelle = stand_aus_titel([blatt.datei.stem.replace("_", " ")]), "dateiname"
    if stand is None:
        stand, quelle = stichtag, "stichtag"
    assert stand is not None

    records: list[dict[str, Any]] = []
    problems: list[Problem] = []
    rejected_numbers: set[str] = set()
    ortsvereine: set[str] = set()
    first_row: dict[str, int] = {}
    mapping = list(kopf.zuordnung.items())
    data_rows = blatt.rows[kopf.zeile + 1 :]
    total = len(data_rows)
    gelesen = 0
    for offset, row in enumerate(data_rows):
        if fortschritt and offset % 5000 == 0:
            fortschritt(offset, total)
        if not any(c is not None for c in row):
            continue
        gelesen += 1
        zeile = kopf.zeile + offset + 2  # spreadsheet row numbers start at 1, and the header is one row
        cells = {feld: (row[col] if col < len(row) else None) for feld, col in mapping}
        record, row_problems = normalize_row(cells, zeile, stand)
        if record is not None and record["nr"] in first_row:
            row_problems.append(
                Problem(
                    zeile,
                    "mitgliedsnummer",
                    f"Mitgliedsnummer {record['mitgliedsnummer']} kommt mehrfach vor "
                    f"(zuerst in Zeile {first_row[record['nr']]})",
                )
            )
            record = None
        problems.extend(row_problems)
        if record is None:
            raw_number = cells.get("mitgliedsnummer")
            if raw_number is not None:
                from mitgliederarbeit.normalisieren import nummer_key, text

                number_text = text(raw_number)
                if number_text:
                    rejected_numbers.add(nummer_key(number_text))
            ov = cells.get("ortsverein")
            if ov is not None and str(ov).strip():
                ortsvereine.add(str(ov).strip())
            continue
        first_row[record["nr"]] = zeile
        ortsvereine.add(record["ortsverein"])
        records.append(record)
    if fortschritt:
        fortschritt(total, total)
    if gelesen == 0:
        raise EingabeFehler(
            f"{name}: unter der Kopfzeile (Zeile {kopf.zeile + 1}) stehen keine Daten.",
            hint="Bitte prüfen, ob der richtige Export oder das richtige Blatt (--blatt) gewählt ist.",
        )
    digest = hashlib.sha256(blatt.datei.read_bytes()).hexdigest()
    return Export(
        blatt=blatt,
        kopf=kopf,
        stand=stand,
        stand_quelle=quelle,
        datensaetze=records,
        probleme=problems,
        gelesen=gelesen,
        abgelehnte_nummern=rejected_numbers,
        ortsvereine=ortsvereine,
        sha256=digest,
        nachtrag=blatt.meta.get("art") == "importfehler",
    )


def _db(value: object) -> object:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()[:10]
    return value


def _anschrift(strasse: str | None, hausnummer: str | None) -> str:
    return re.sub(r"\s+", "", f"{strasse or ''}{hausnummer or ''}").lower()


def _now() -> str:
    return datetime.now().isoformat(timespec="seconds")


def uebernehmen(
    ordner: Arbeitsordner,
    export: Export,
    *,
    nachtraeglich: bool = False,
    trockenlauf: bool = False,
    fehler_ordner: Path | None = None,
    vollstaendig: bool = False,
) -> ImportErgebnis:
    """Compare an export with the store and apply it in one transaction.

    A snapshot that would turn more than a quarter of its Ortsvereine's members (and more than ten) into
    Austritte is refused unless ``vollstaendig``: that is a filtered extract far more often than a mass exit.
    """
    from mitgliederarbeit import speicher

    name = export.blatt.datei.name
    result = ImportErgebnis(
        datei=str(export.blatt.datei),
        art="nachtrag" if export.nachtrag else "mitglieder",
        stand=export.stand,
        gelesen=export.gelesen,
        trockenlauf=trockenlauf,
        stand_quelle=export.stand_quelle,
        probleme=export.probleme,
        ortsvereine=len(export.ortsvereine),
    )
    result.abgelehnt = len({p.zeile for p in export.probleme if p.schwer})
    result.warnungen = sum(1 for p in export.probleme if not p.schwer)
    result.uebernommen = len(export.datensaetze)

    store_exists = (ordner.pfad / speicher.SPEICHER_DATEI).exists()
    if trockenlauf and not store_exists:
        # nothing to compare with: every number is new, nothing is written
        result.eintritte = len(export.datensaetze)
        result.erstimport = True
        return result
    store = speicher.oeffnen(ordner.pfad, anlegen=True)
    try:
        conn = store.conn
        if conn.execute(
            "SELECT 1 FROM importe WHERE sha256 = ? AND art IN ('mitglieder', 'nachtrag')", (export.sha256,)
        ).fetchone():
            result.bereits_importiert = True
            result.uebernommen = result.abgelehnt = result.warnungen = 0
            result.probleme = []
            return result
        stand_iso = export.stand.isoformat()
        if not export.nachtrag and not nachtraeglich:
            newer = conn.execute(
                f"SELECT ortsverein, max(stand) AS s FROM import_ortsvereine WHERE ortsverein IN "
                f"({','.join('?' * len(export.ortsvereine))}) GROUP BY ortsverein HAVING max(stand) > ? "
                "ORDER BY s DESC LIMIT 1",
                (*sorted(export.ortsvereine), stand_iso),
            ).fetchone()
            if newer:
                raise EingabeFehler(
                    f"{name}: der Stand {dt.de(export.stand)} ist älter als der letzte Import für "
                    f"„{newer['ortsverein']}“ (Stand {dt.de(dt.from_iso(newer['s']))}). Es wurde nichts geändert.",
                    hint="Einen älteren Export nachträglich einspielen: mitglieder import --nachtraeglich DATEI",
                )
        result.erstimport = conn.execute("SELECT count(*) FROM mitglieder").fetchone()[0] == 0
        with store.transaktion():
            import_id = conn.execute(
                "INSERT INTO importe (art, datei, sha256, stand, zeit, gelesen, nachtraeglich) VALUES (?,?,?,?,?,?,?)",
                (
                    result.art,
                    name,
                    export.sha256,
                    stand_iso,
                    _now(),
                    export.gelesen,
                    int(nachtraeglich or export.nachtrag),
                ),
            ).lastrowid
            fehlend, im_bestand = _apply(
                conn, export, import_id, result, nachtraeglich=nachtraeglich or export.nachtrag
            )
            if not vollstaendig and fehlend > MAX_FEHLEND and fehlend > MAX_FEHLEND_ANTEIL * im_bestand:
                raise EingabeFehler(
                    f"{name}: {fehlend} von {im_bestand} Mitgliedern der enthaltenen Ortsvereine fehlen in diesem "
                    "Export und würden als ausgetreten geführt. Es wurde nichts geändert.",
                    hint="Ist das ein gefilterter Auszug (z. B. nur Neumitglieder)? Dann bitte den vollständigen "
                    "Export verwenden. Sind die Austritte echt: mitglieder import --vollstaendig DATEI",
                )
            if not export.nachtrag:
                conn.executemany(
                    "INSERT INTO import_ortsvereine (import_id, ortsverein, stand) VALUES (?,?,?)",
                    [(import_id, ov, stand_iso) for ov in sorted(export.ortsvereine)],
                )
            if export.probleme and not trockenlauf:
                target = fehler_ordner or ordner.ausgabe
                result.fehlerdatei = fehlerdatei_schreiben(export, target)
                conn.execute(
                    "INSERT INTO protokoll (zeit, befehl, segment, anzahl, pfad) VALUES (?,?,?,?,?)",
                    (
                        _now(),
                        "import",
                        "importfehler",
                        len({p.zeile for p in export.probleme}),
                        str(result.fehlerdatei),
                    ),
                )
            conn.execute(
                "UPDATE importe SET uebernommen=?, abgelehnt=?, warnungen=?, eintritte=?, austritte=?, wechsel=?, "
                "aenderungen=?, fehlerdatei=? WHERE id=?",
                (
                    result.uebernommen,
                    result.abgelehnt,
                    result.warnungen,
                    result.eintritte,
                    result.austritte,
                    result.wechsel,
                    result.aenderungen,
                    str(result.fehlerdatei) if result.fehlerdatei else None,
                    import_id,
                ),
            )
            if trockenlauf:
                raise _Rollback
    except _Rollback:
        pass
    finally:
        store.close()
    return result


class _Rollback(Exception):
    """Raised inside the transaction of a dry run so that nothing is kept."""


MAX_FEHLEND, MAX_FEHLEND_ANTEIL = 10, 0.25
_FLAGS = ("kein_anruf", "keine_post", "keine_email")
_MITGLIED_SPALTEN = (
    "mitgliedsnummer",
    "anrede",
    "titel",
    "geschlecht",
    "vorname",
    "nachname",
    "strasse",
    "hausnummer",
    "adresszusatz",
    "plz",
    "ort",
    "land",
    "geburtsdatum",
    "eintrittsdatum",
    "austrittsdatum",
    "telefon",
    "mobil",
    "email",
    "ortsverein",
    "unterbezirk",
    "kein_anruf",
    "keine_post",
    "keine_email",
)


def _apply(
    conn: Any, export: Export, import_id: int, result: ImportErgebnis, *, nachtraeglich: bool
) -> tuple[int, int]:
    """Apply the snapshot; returns (members missing from it, members of its Ortsvereine before it)."""
    stand = export.stand
    stand_iso = stand.isoformat()
    current = {row["nr"]: dict(row) for row in conn.execute("SELECT * FROM mitglieder")}
    inserts: list[tuple] = []
    periods: list[
        tuple[str, tuple]
    ] = []  # applied in order: a Wechsel closes one period, then opens the next
    movements: list[tuple] = []
    seen: set[str] = set()

    for record in export.datensaetze:
        nr = record["nr"]
        seen.add(nr)
        austritt: date | None = record.get("austrittsdatum")
        warn = json.dumps(sorted(set(record["_warnfelder"]))) if record["_warnfelder"] else None
        old = current.get(nr)
        if old is None:
            values = [_db(record.get(f, False if f in _FLAGS else None)) for f in _MITGLIED_SPALTEN]
            inserts.append((nr, *values, warn, import_id, import_id, stand_iso))
            result.eintritte += 1
            movements.append(
                (import_id, nr, "eintritt", _db(record["eintrittsdatum"]), None, record["ortsverein"], None)
            )
            periods.append(
                (
                    "open",
                    (
                        nr,
                        record["ortsverein"],
                        record.get("unterbezirk"),
                        _db(record["eintrittsdatum"]),
                        _db(austritt),
                        import_id,
                    ),
                )
            )
            if austritt and austritt <= stand:
                result.austritte += 1
                movements.append((import_id, nr, "austritt", _db(austritt), record["ortsverein"], None, None))
            continue
        if nachtraeglich and old["stand"] and old["stand"] > stand_iso:
            continue  # older data never overwrites newer
        old_exit = dt.from_iso(old["austrittsdatum"])
        was_member = old_exit is None or old_exit > stand
        reentered = not was_member and (austritt is None or austritt > old_exit)
        if reentered:
            # back again after an exit: a new membership period
            result.wiedereintritte += 1
            movements.append(
                (
                    import_id,
                    nr,
                    "wiedereintritt",
                    _db(record["eintrittsdatum"]),
                    None,
                    record["ortsverein"],
                    None,
                )
            )
            periods.append(
                (
                    "open",
                    (
                        nr,
                        record["ortsverein"],
                        record.get("unterbezirk"),
                        max(_db(record["eintrittsdatum"]), old["austrittsdatum"]),
                        _db(austritt),
                        import_id,
                    ),
                )
            )
            was_member = True
            old["austrittsdatum"] = None
            old["ortsverein"] = record["ortsverein"]
        changes: dict[str, list[Any]] = {}
        for feld in VERGLEICH:
            if feld in record and _db(record[feld]) != old[feld]:
                changes[feld] = [old[feld], _db(record[feld])]
        if "strasse" in changes or "hausnummer" in changes:
            # the same address split differently by another export is no change
            before = _anschrift(old.get("strasse"), old.get("hausnummer"))
            if before == _anschrift(record.get("strasse"), record.get("hausnummer", old.get("hausnummer"))):
                changes.pop("strasse", None)
                changes.pop("hausnummer", None)
        updates: dict[str, Any] = {f: _db(record[f]) for f in _MITGLIED_SPALTEN if f in record}
        if record["ortsverein"] != old["ortsverein"] and was_member:
            result.wechsel += 1
            movements.append(
                (import_id, nr, "wechsel", stand_iso, old["ortsverein"], record["ortsverein"], None)
            )
            periods.append(("close", (stand_iso, import_id, nr)))
            periods.append(
                (
                    "open",
                    (
                        nr,
                        record["ortsverein"],
                        record.get("unterbezirk"),
                        stand_iso,
                        _db(austritt),
                        import_id,
                    ),
                )
            )
        if austritt != old_exit and "austrittsdatum" in record:
            if austritt and austritt <= stand and was_member:
                result.austritte += 1
                movements.append((import_id, nr, "austritt", _db(austritt), record["ortsverein"], None, None))
            periods.append(("close", (_db(austritt), import_id, nr)))
        if "eintrittsdatum" in changes and was_member and not reentered:
            # a corrected join date moves the start of the membership period that began with it
            periods.append(("move_start", (changes["eintrittsdatum"][1], nr, changes["eintrittsdatum"][0])))
        if changes:
            result.aenderungen += 1
            movements.append((import_id, nr, "aenderung", stand_iso, None, None, json.dumps(sorted(changes))))
            if "telefon" in changes:
                updates["telefon_falsch"] = 0
            if "mobil" in changes:
                updates["mobil_falsch"] = 0
        updates.update(warnfelder=warn, letzter_import=import_id, stand=stand_iso)
        if old["austrittsdatum"] is None and "austrittsdatum" not in record:
            updates["austrittsdatum"] = None
        assignments = ", ".join(f"{k} = ?" for k in updates)
        conn.execute(f"UPDATE mitglieder SET {assignments} WHERE nr = ?", (*updates.values(), nr))

    fehlend = im_bestand = 0
    if not nachtraeglich:
        scope = export.ortsvereine
        for nr, old in current.items():
            if old["ortsverein"] not in scope:
                continue
            old_exit = dt.from_iso(old["austrittsdatum"])
            if old_exit is not None and old["stand"] and old["austrittsdatum"] <= old["stand"]:
                continue  # had already left at its last snapshot, counted back then
            im_bestand += 1
            if nr in seen or nr in export.abgelehnte_nummern:
                continue
            # missing from the snapshot: left on the announced day if it has come, else on the Stand
            exit_day = old_exit if old_exit is not None and old_exit <= stand else stand
            fehlend += 1
            result.austritte += 1
            movements.append(
                (import_id, nr, "austritt", exit_day.isoformat(), old["ortsverein"], None, "fehlt")
            )
            conn.execute(
                "UPDATE mitglieder SET austrittsdatum = ?, letzter_import = ?, stand = ? WHERE nr = ?",
                (exit_day.isoformat(), import_id, stand_iso, nr),
            )
            periods.append(("close", (exit_day.isoformat(), import_id, nr)))

    if inserts:
        placeholders = ",".join("?" * (len(_MITGLIED_SPALTEN) + 5))
        conn.executemany(
            f"INSERT INTO mitglieder (nr, {', '.join(_MITGLIED_SPALTEN)}, warnfelder, erster_import, letzter_import, "
            f"stand) VALUES ({placeholders})",
            inserts,
        )
    for op, params in periods:
        if op == "open":
            conn.execute(
                "INSERT INTO zugehoerigkeit (nr, ortsverein, unterbezirk, von, bis, import_von) "
                "VALUES (?,?,?,?,?,?)",
                params,
            )
        elif op == "move_start":
            conn.execute("UPDATE zugehoerigkeit SET von = ? WHERE nr = ? AND von = ?", params)
        else:  # close the member's latest period
            conn.execute(
                "UPDATE zugehoerigkeit SET bis = ?, import_bis = ? WHERE rowid = "
                "(SELECT max(rowid) FROM zugehoerigkeit WHERE nr = ?)",
                params,
            )
    if movements:
        conn.executemany(
            "INSERT INTO bewegungen (import_id, nr, art, datum, von, nach, felder) VALUES (?,?,?,?,?,?,?)",
            movements,
        )
    return fehlend, im_bestand


def fehlerdatei_schreiben(export: Export, ordner: Path) -> Path:
    """The error file: original columns, the spreadsheet's row number and ``Fehler``; re-importable when fixed."""
    from mitgliederarbeit import ausgabe

    by_row: dict[int, list[Problem]] = {}
    for problem in export.probleme:
        by_row.setdefault(problem.zeile, []).append(problem)
    header = export.kopf.spalten
    width = len(header)

    def original(zeile: int) -> list[object]:
        cells = list(export.blatt.rows[zeile - 1])[:width]
        return cells + [None] * (width - len(cells))

    rejected, warned = [], []
    for zeile, problems in sorted(by_row.items()):
        message = "; ".join(p.meldung for p in problems)
        (rejected if any(p.schwer for p in problems) else warned).append([message, zeile, *original(zeile)])
    tabellen = [
        ausgabe.Tabelle("Abgelehnt", ["Fehler", "Zeile", *header], rejected, breiten={0: 50}),
        ausgabe.Tabelle("Warnungen", ["Fehler", "Zeile", *header], warned, breiten={0: 50}),
        ausgabe.Tabelle(
            "Hinweise",
            [],
            [],
            text_zeilen=[
                "Fehler beim Import – so geht es weiter",
                f"Quelle: {export.blatt.datei.name}, Stand {dt.de(export.stand)}.",
                "Blatt „Abgelehnt“: diese Zeilen wurden NICHT übernommen. Bitte die Werte in den Originalspalten "
                "korrigieren und die Datei erneut importieren: mitglieder import " + "<diese Datei>. "
                "Die Spalten „Fehler“ und „Zeile“ werden dabei ignoriert.",
                "Blatt „Warnungen“: diese Zeilen wurden übernommen; der bemängelte Wert wurde unverändert gespeichert "
                "und markiert. Korrigieren Sie ihn am besten in der Mitgliederdatenbank Ihrer Partei.",
                "Datenschutz: Diese Datei enthält personenbezogene Daten. Bitte nach der Korrektur löschen.",
            ],
        ),
    ]
    meta = {
        "art": "importfehler",
        "stand": export.stand.isoformat(),
        "quelle": export.blatt.datei.name,
        "version": "1",
    }
    path = ausgabe.freier_name(ordner / f"import-fehler-{export.stand.isoformat()}.xlsx")
    return ausgabe.xlsx(path, tabellen, meta)


def erkennen(blatt: lesen.Blatt, art: str | None) -> str:
    """What kind of file this is: ``mitglieder``, ``anrufliste``, ``teilnahme`` or ``importfehler``."""
    if art:
        return art
    meta_art = blatt.meta.get("art")
    if meta_art in ("anrufliste", "importfehler", "teilnahme"):
        return meta_art
    if meta_art == "segment":  # our own segment export: never a snapshot of an Ortsverein
        raise EingabeFehler(
            f"{blatt.datei.name}: das ist ein Segment-Export von „mitglieder segmente“, kein Mitgliederexport.",
            hint="Bitte den Export aus der Mitgliederdatenbank der Partei importieren.",
        )
    from mitgliederarbeit.rueckmeldung import sieht_aus_wie_anrufliste

    if sieht_aus_wie_anrufliste(blatt.rows):  # a returned call list whose metadata sheet was lost
        return "anrufliste"
    for row in blatt.rows[:5]:
        line = " ".join(str(c) for c in row if c is not None)
        if _TEILNAHME.search(line) and not spalten.find_header(blatt.rows[:1]):
            return "teilnahme"
    return "mitglieder"


def importieren(
    ordner: Arbeitsordner,
    dateien: Sequence[Path],
    *,
    art: str | None = None,
    blatt: str | None = None,
    stand: date | None = None,
    spalten_option: dict[str, str] | None = None,
    nachtraeglich: bool = False,
    trockenlauf: bool = False,
    fehler_ordner: Path | None = None,
    vollstaendig: bool = False,
    veranstaltung: str | None = None,
    datum: date | None = None,
    fortschritt: Callable[[str, int, int], None] | None = None,
) -> list[ImportErgebnis]:
    """Import files in the order of their Stand. Every file is read and checked before anything is changed."""
    if art not in (None, "mitglieder", "teilnahme", "anrufliste"):
        raise BedienFehler(f"--art „{art}“ gibt es nicht. Erlaubt: mitglieder, teilnahme, anrufliste.")
    read: list[tuple[str, Any]] = []
    for path in dateien:
        sheet = lesen.read(path, blatt)
        kind = erkennen(sheet, art)
        if kind in ("mitglieder", "importfehler"):

            def progress(done: int, total: int, _name: str = path.name) -> None:
                if fortschritt:
                    fortschritt(_name, done, total)

            export = lese_export(
                sheet,
                config=ordner.config,
                stichtag=ordner.stichtag,
                stand=stand,
                spalten_option=spalten_option,
                fortschritt=progress,
            )
            read.append(("mitglieder", export))
        else:
            read.append((kind, sheet))
    results = []
    # member exports in the order of their Stand, so that several months can be imported at once
    order = sorted(
        range(len(read)),
        key=lambda i: (
            read[i][0] != "mitglieder",
            read[i][1].stand if read[i][0] == "mitglieder" else date.min,
        ),
    )
    for i in order:
        kind, item = read[i]
        if kind == "mitglieder":
            results.append(
                uebernehmen(
                    ordner,
                    item,
                    nachtraeglich=nachtraeglich,
                    trockenlauf=trockenlauf,
                    fehler_ordner=fehler_ordner,
                    vollstaendig=vollstaendig,
                )
            )
        elif kind == "anrufliste":
            from mitgliederarbeit import rueckmeldung

            results.append(
                rueckmeldung.anrufliste_uebernehmen(
                    ordner, item, trockenlauf=trockenlauf, fehler_ordner=fehler_ordner
                )
            )
        else:
            from mitgliederarbeit import rueckmeldung

            results.append(
                rueckmeldung.teilnahme_uebernehmen(
                    ordner,
                    item,
                    veranstaltung=veranstaltung,
                    datum=datum,
                    trockenlauf=trockenlauf,
                    fehler_ordner=fehler_ordner,
                )
            )
    return results
