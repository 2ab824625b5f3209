"""The store: one SQLite file in the working folder, with a versioned schema.

Tables:
- ``mitglieder``: the current state of every member ever seen (key ``nr`` = number without leading zeros); the
  join date may be unknown (NULL, an export without it) or estimated (``eintritt_geschaetzt``: a Stand);
- ``zugehoerigkeit``: periods ``[von, bis)`` of membership in an Ortsverein, so reports know who was where when
  (``von`` NULL: since an unknown day);
- ``importe`` and ``import_ortsvereine``: every import, its Stand, and the Ortsvereine its snapshot covered;
- ``bewegungen``: Eintritte, Austritte, Wechsel and Änderungen found by each import;
- ``kontakte``: letters, calls, attendance, talks (kind, date, result, source), unique per ``schluessel``;
- ``protokoll``: every output that held personal data (no personal data in the log itself);
- ``pakete``: every package written for an Ortsverein (``mitglieder ortsvereine``), with the last import it saw;
- ``notizen``: notes about a member that came back in a returned package;
- ``nummern_doppelt``: members an earlier version kept apart whose numbers are one number today (schema 5), until
  the next import of a members' export has reported them.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mitgliederarbeit.datum import gespeicherter_tag, gueltiger_tag_sql
from mitgliederarbeit.errors import OrdnerFehler, grund
from mitgliederarbeit.nummern import nummer_key
from mitgliederarbeit.zahlen import mal

if TYPE_CHECKING:  # the backups load when a change is made, not for every read
    from mitgliederarbeit.bestand.sicherung import LaufendeSicherung

SPEICHER_DATEI = "mitglieder.sqlite"

# Binding None makes the sqlite3 module look for an adapter the slow way (two attribute lookups) for every NULL;
# an identity adapter for None is found in its table at once. Nothing stored changes; an import of a large
# export binds millions of NULLs and gets about a fifth faster. ({}.get(x) is None, called without Python code.)
sqlite3.register_adapter(type(None), {}.get)  # type: ignore[arg-type]
SCHEMA_VERSION = 6
SEITENGROESSE = 16384

# Each migration is frozen SQL, written out in full: what a version created must not change when the code does.
# Schema 2: the member number is no longer the table's PRIMARY KEY but a UNIQUE index of its own. The same rule,
# but an index that can be dropped while a large export is written and built afterwards from sorted numbers, which
# is several times cheaper than keeping it in order row by row. Existing stores are rebuilt once, rows and their
# order unchanged.
_MIGRATIONS: dict[int, str] = {
    1: """
    CREATE TABLE meta (schluessel TEXT PRIMARY KEY, wert TEXT);
    CREATE TABLE importe (
        id INTEGER PRIMARY KEY,
        art TEXT NOT NULL,
        datei TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        stand TEXT,
        zeit TEXT NOT NULL,
        gelesen INTEGER NOT NULL DEFAULT 0,
        uebernommen INTEGER NOT NULL DEFAULT 0,
        abgelehnt INTEGER NOT NULL DEFAULT 0,
        warnungen INTEGER NOT NULL DEFAULT 0,
        eintritte INTEGER NOT NULL DEFAULT 0,
        austritte INTEGER NOT NULL DEFAULT 0,
        wechsel INTEGER NOT NULL DEFAULT 0,
        aenderungen INTEGER NOT NULL DEFAULT 0,
        nachtraeglich INTEGER NOT NULL DEFAULT 0,
        fehlerdatei TEXT
    );
    CREATE INDEX importe_sha ON importe(sha256);
    CREATE TABLE import_ortsvereine (
        import_id INTEGER NOT NULL REFERENCES importe(id),
        ortsverein TEXT NOT NULL,
        stand TEXT NOT NULL,
        PRIMARY KEY (import_id, ortsverein)
    );
    CREATE INDEX import_ov ON import_ortsvereine(ortsverein, stand);

    CREATE TABLE mitglieder (
        nr TEXT PRIMARY KEY,
        mitgliedsnummer TEXT NOT NULL,
        anrede TEXT, titel TEXT, geschlecht TEXT, vorname TEXT, nachname TEXT,
        strasse TEXT, hausnummer TEXT, adresszusatz TEXT, plz TEXT, ort TEXT, land TEXT,
        geburtsdatum TEXT,
        eintrittsdatum TEXT NOT NULL,
        austrittsdatum TEXT,
        telefon TEXT, mobil TEXT, email TEXT,
        ortsverein TEXT NOT NULL,
        unterbezirk TEXT,
        kein_anruf INTEGER NOT NULL DEFAULT 0,
        keine_post INTEGER NOT NULL DEFAULT 0,
        keine_email INTEGER NOT NULL DEFAULT 0,
        sperre_anruf INTEGER NOT NULL DEFAULT 0,   -- "kein Anruf gewünscht" from a call, survives re-imports
        telefon_falsch INTEGER NOT NULL DEFAULT 0,
        mobil_falsch INTEGER NOT NULL DEFAULT 0,
        will_austreten TEXT,
        interessen TEXT,
        warnfelder TEXT,
        erster_import INTEGER,
        letzter_import INTEGER,
        stand TEXT,
        anonymisiert INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX mitglieder_ov ON mitglieder(ortsverein);
    CREATE INDEX mitglieder_eintritt ON mitglieder(eintrittsdatum);
    CREATE TABLE zugehoerigkeit (
        nr TEXT NOT NULL,
        ortsverein TEXT NOT NULL,
        unterbezirk TEXT,
        von TEXT NOT NULL,
        bis TEXT,
        import_von INTEGER,
        import_bis INTEGER
    );
    CREATE INDEX zugehoerigkeit_nr ON zugehoerigkeit(nr);
    CREATE TABLE bewegungen (
        import_id INTEGER NOT NULL,
        nr TEXT NOT NULL,
        art TEXT NOT NULL,
        datum TEXT,
        von TEXT,
        nach TEXT,
        felder TEXT
    );
    CREATE INDEX bewegungen_import ON bewegungen(import_id);
    CREATE INDEX bewegungen_nr ON bewegungen(nr);
    CREATE TABLE kontakte (
        id INTEGER PRIMARY KEY,
        nr TEXT NOT NULL,
        art TEXT NOT NULL,
        datum TEXT NOT NULL,
        ergebnis TEXT,
        anrufer TEXT,
        interessen TEXT,
        mitmachen TEXT,
        notiz TEXT,
        veranstaltung TEXT,
        quelle TEXT,
        import_id INTEGER,
        schluessel TEXT UNIQUE
    );
    CREATE INDEX kontakte_nr ON kontakte(nr, art, datum);
    CREATE TABLE protokoll (
        id INTEGER PRIMARY KEY,
        zeit TEXT NOT NULL,
        befehl TEXT NOT NULL,
        segment TEXT,
        anzahl INTEGER NOT NULL,
        pfad TEXT NOT NULL
    );
    """,
    2: """
    CREATE TABLE mitglieder_neu (
        nr TEXT NOT NULL,
        mitgliedsnummer TEXT NOT NULL,
        anrede TEXT, titel TEXT, geschlecht TEXT, vorname TEXT, nachname TEXT,
        strasse TEXT, hausnummer TEXT, adresszusatz TEXT, plz TEXT, ort TEXT, land TEXT,
        geburtsdatum TEXT,
        eintrittsdatum TEXT NOT NULL,
        austrittsdatum TEXT,
        telefon TEXT, mobil TEXT, email TEXT,
        ortsverein TEXT NOT NULL,
        unterbezirk TEXT,
        kein_anruf INTEGER NOT NULL DEFAULT 0,
        keine_post INTEGER NOT NULL DEFAULT 0,
        keine_email INTEGER NOT NULL DEFAULT 0,
        sperre_anruf INTEGER NOT NULL DEFAULT 0,   -- "kein Anruf gewünscht" from a call, survives re-imports
        telefon_falsch INTEGER NOT NULL DEFAULT 0,
        mobil_falsch INTEGER NOT NULL DEFAULT 0,
        will_austreten TEXT,
        interessen TEXT,
        warnfelder TEXT,
        erster_import INTEGER,
        letzter_import INTEGER,
        stand TEXT,
        anonymisiert INTEGER NOT NULL DEFAULT 0
    );

    INSERT INTO mitglieder_neu (rowid, nr, mitgliedsnummer, anrede, titel, geschlecht, vorname, nachname, strasse, hausnummer, adresszusatz, plz, ort, land, geburtsdatum, eintrittsdatum, austrittsdatum, telefon, mobil, email, ortsverein, unterbezirk, kein_anruf, keine_post, keine_email, sperre_anruf, telefon_falsch, mobil_falsch, will_austreten, interessen, warnfelder, erster_import, letzter_import, stand, anonymisiert) SELECT rowid, nr, mitgliedsnummer, anrede, titel, geschlecht, vorname, nachname, strasse, hausnummer, adresszusatz, plz, ort, land, geburtsdatum, eintrittsdatum, austrittsdatum, telefon, mobil, email, ortsverein, unterbezirk, kein_anruf, keine_post, keine_email, sperre_anruf, telefon_falsch, mobil_falsch, will_austreten, interessen, warnfelder, erster_import, letzter_import, stand, anonymisiert FROM mitglieder;
    DROP TABLE mitglieder;
    ALTER TABLE mitglieder_neu RENAME TO mitglieder;
    CREATE UNIQUE INDEX mitglieder_nr ON mitglieder(nr);
    CREATE INDEX mitglieder_ov ON mitglieder(ortsverein);
    CREATE INDEX mitglieder_eintritt ON mitglieder(eintrittsdatum);
    """,
    # Schema 3: the Ortsvereine in the loop. A Pat*in assignment is a contact of kind "pate" naming the Pat*in;
    # every package written for an Ortsverein is remembered (its changes sheet starts where the last one ended);
    # the notes chairs write into a returned package (about the member, not about one contact) have a table.
    3: """
    ALTER TABLE kontakte ADD COLUMN pate TEXT;
    CREATE TABLE pakete (
        id INTEGER PRIMARY KEY,
        paket TEXT NOT NULL,
        ortsverein TEXT NOT NULL,
        zeit TEXT NOT NULL,
        stichtag TEXT NOT NULL,
        seit TEXT,
        bis_import INTEGER NOT NULL DEFAULT 0,
        anzahl INTEGER NOT NULL DEFAULT 0,
        datei TEXT NOT NULL
    );
    CREATE INDEX pakete_ov ON pakete(ortsverein, id);
    CREATE TABLE notizen (
        id INTEGER PRIMARY KEY,
        nr TEXT NOT NULL,
        datum TEXT NOT NULL,
        text TEXT NOT NULL,
        quelle TEXT,
        import_id INTEGER,
        schluessel TEXT UNIQUE
    );
    CREATE INDEX notizen_nr ON notizen(nr);
    """,
    # Schema 4: a returned package says which kinds of contact it had columns for (a JSON list): an empty cell
    # there means "not done", so those kinds count as recorded from the package on - and only those.
    4: """
    ALTER TABLE importe ADD COLUMN arten TEXT;
    """,
    # Schema 5: every spelling of a member number is one key ("123.0", "93 005 07", full-width digits and "123"
    # are one member: nummern.nummer_key). A store keyed by the earlier rule (the number without surrounding
    # spaces, leading zeros dropped from plain digits, else in capitals) is re-keyed once, in every table that
    # holds a member's key, so the next export finds the same members. The SQL calls that rule as the function
    # nummer_key (see _migrate): this step re-keys by the rule the imports use. Anonymized members keep their
    # random key (in small letters: no key of a number can be one). Two members whose keys would become one are
    # not merged (which history and which contacts are right, a person has to decide): both stay as they are and
    # are listed in nummern_doppelt, for the next import to tell the officer (doppelte_nummern_melden). Without
    # the unique index while the keys change, the order the rows are updated in does not matter.
    5: """
    CREATE TABLE nummern_doppelt (nr TEXT NOT NULL, schluessel TEXT NOT NULL);
    CREATE TEMP TABLE nummern_neu AS
        SELECT nr AS alt, nummer_key(mitgliedsnummer) AS neu FROM mitglieder WHERE anonymisiert = 0;
    INSERT INTO nummern_doppelt (nr, schluessel)
        SELECT alt, neu FROM nummern_neu
        WHERE neu IN (SELECT neu FROM nummern_neu GROUP BY neu HAVING count(*) > 1)
        ORDER BY neu, alt;
    DELETE FROM nummern_neu WHERE alt = neu OR neu IN (SELECT schluessel FROM nummern_doppelt);
    CREATE UNIQUE INDEX temp.nummern_neu_alt ON nummern_neu(alt);
    DROP INDEX mitglieder_nr;
    UPDATE mitglieder SET nr = (SELECT neu FROM nummern_neu WHERE alt = mitglieder.nr)
        WHERE nr IN (SELECT alt FROM nummern_neu);
    CREATE UNIQUE INDEX mitglieder_nr ON mitglieder(nr);
    UPDATE zugehoerigkeit SET nr = (SELECT neu FROM nummern_neu WHERE alt = zugehoerigkeit.nr)
        WHERE nr IN (SELECT alt FROM nummern_neu);
    UPDATE bewegungen SET nr = (SELECT neu FROM nummern_neu WHERE alt = bewegungen.nr)
        WHERE nr IN (SELECT alt FROM nummern_neu);
    UPDATE kontakte SET nr = (SELECT neu FROM nummern_neu WHERE alt = kontakte.nr)
        WHERE nr IN (SELECT alt FROM nummern_neu);
    UPDATE notizen SET nr = (SELECT neu FROM nummern_neu WHERE alt = notizen.nr)
        WHERE nr IN (SELECT alt FROM nummern_neu);
    DROP TABLE nummern_neu;
    """,
    # Schema 6: an export without any join-date column (hitobito's people export) comes in. The join date may be
    # unknown (NULL: a member of the first snapshot of its Ortsverein, who joined some time before it) or
    # estimated (``eintritt_geschaetzt`` = 1: first seen in a later snapshot without the column, dated by that
    # snapshot's Stand, the latest possible day). A membership period may begin on an unknown day too (``von``
    # NULL). SQLite cannot drop NOT NULL in place: both tables are rebuilt, rows and their order unchanged.
    6: """
    CREATE TABLE mitglieder_neu (
        nr TEXT NOT NULL,
        mitgliedsnummer TEXT NOT NULL,
        anrede TEXT, titel TEXT, geschlecht TEXT, vorname TEXT, nachname TEXT,
        strasse TEXT, hausnummer TEXT, adresszusatz TEXT, plz TEXT, ort TEXT, land TEXT,
        geburtsdatum TEXT,
        eintrittsdatum TEXT,
        austrittsdatum TEXT,
        telefon TEXT, mobil TEXT, email TEXT,
        ortsverein TEXT NOT NULL,
        unterbezirk TEXT,
        kein_anruf INTEGER NOT NULL DEFAULT 0,
        keine_post INTEGER NOT NULL DEFAULT 0,
        keine_email INTEGER NOT NULL DEFAULT 0,
        sperre_anruf INTEGER NOT NULL DEFAULT 0,   -- "kein Anruf gewünscht" from a call, survives re-imports
        telefon_falsch INTEGER NOT NULL DEFAULT 0,
        mobil_falsch INTEGER NOT NULL DEFAULT 0,
        will_austreten TEXT,
        interessen TEXT,
        warnfelder TEXT,
        erster_import INTEGER,
        letzter_import INTEGER,
        stand TEXT,
        anonymisiert INTEGER NOT NULL DEFAULT 0,
        eintritt_geschaetzt INTEGER NOT NULL DEFAULT 0   -- 1: eintrittsdatum is an estimate (a Stand)
    );
    INSERT INTO mitglieder_neu (rowid, nr, mitgliedsnummer, anrede, titel, geschlecht, vorname, nachname, strasse, hausnummer, adresszusatz, plz, ort, land, geburtsdatum, eintrittsdatum, austrittsdatum, telefon, mobil, email, ortsverein, unterbezirk, kein_anruf, keine_post, keine_email, sperre_anruf, telefon_falsch, mobil_falsch, will_austreten, interessen, warnfelder, erster_import, letzter_import, stand, anonymisiert) SELECT rowid, nr, mitgliedsnummer, anrede, titel, geschlecht, vorname, nachname, strasse, hausnummer, adresszusatz, plz, ort, land, geburtsdatum, eintrittsdatum, austrittsdatum, telefon, mobil, email, ortsverein, unterbezirk, kein_anruf, keine_post, keine_email, sperre_anruf, telefon_falsch, mobil_falsch, will_austreten, interessen, warnfelder, erster_import, letzter_import, stand, anonymisiert FROM mitglieder;
    DROP TABLE mitglieder;
    ALTER TABLE mitglieder_neu RENAME TO mitglieder;
    CREATE UNIQUE INDEX mitglieder_nr ON mitglieder(nr);
    CREATE INDEX mitglieder_ov ON mitglieder(ortsverein);
    CREATE INDEX mitglieder_eintritt ON mitglieder(eintrittsdatum);
    CREATE TABLE zugehoerigkeit_neu (
        nr TEXT NOT NULL,
        ortsverein TEXT NOT NULL,
        unterbezirk TEXT,
        von TEXT,
        bis TEXT,
        import_von INTEGER,
        import_bis INTEGER
    );
    INSERT INTO zugehoerigkeit_neu (rowid, nr, ortsverein, unterbezirk, von, bis, import_von, import_bis)
        SELECT rowid, nr, ortsverein, unterbezirk, von, bis, import_von, import_bis FROM zugehoerigkeit;
    DROP TABLE zugehoerigkeit;
    ALTER TABLE zugehoerigkeit_neu RENAME TO zugehoerigkeit;
    CREATE INDEX zugehoerigkeit_nr ON zugehoerigkeit(nr);
    """,
}


def _secure(path: Path) -> None:
    try:
        os.chmod(path, 0o600)
    except OSError:  # pragma: no cover - e.g. a FAT-formatted stick; nothing more we can do
        pass


def _betriebsfehler(exc: Exception, path: Path) -> OrdnerFehler:
    """SQLite's operational errors as the German message a user can act on."""
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return OrdnerFehler(
            f"Der Arbeitsordner wird gerade von einem anderen „mitglieder“-Aufruf benutzt ({path.parent}).",
            hint="Bitte warten, bis der andere Aufruf fertig ist, und dann erneut versuchen.",
        )
    if "full" in text:
        return OrdnerFehler(
            f"Der Datenträger ist voll; {path.name} wurde nicht verändert.",
            hint="Bitte Platz schaffen und erneut versuchen.",
        )
    if "readonly" in text or "read-only" in text or "unable to open" in text:
        return OrdnerFehler(
            f"{path} ist schreibgeschützt; es wurde nichts geändert.",
            hint="Bitte Schreibrechte für den Arbeitsordner prüfen oder einen anderen Ordner wählen.",
        )
    return OrdnerFehler(f"{path}: Datenbankfehler ({exc}); es wurde nichts geändert.")


class Speicher:
    """An open store. Use :func:`oeffnen` to get one."""

    def __init__(self, path: Path, conn: sqlite3.Connection) -> None:
        self.path = path
        self.conn = conn

    @contextmanager
    def transaktion(self, *, sichern: bool = True) -> Iterator[sqlite3.Connection]:
        """One write transaction: all or nothing, even if the process is killed halfway.

        Before the first change, a backup of the store goes to ``sicherung/`` (see :mod:`sicherung`).
        """
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise _betriebsfehler(exc, self.path) from None
        sicherung: LaufendeSicherung | None = None
        try:
            if sichern and not self.leer():
                # The backup copies the file while the changes are made; they stay in memory until it is done
                # (no spill to the file before COMMIT), so the copy is the state before.
                self.conn.execute("PRAGMA cache_spill = OFF")
                from mitgliederarbeit.bestand.sicherung import sichern_nebenher

                sicherung = sichern_nebenher(self.path)
            yield self.conn
            if sicherung is not None:
                sicherung.warten()
        except sqlite3.OperationalError as exc:
            self._zurueck(sicherung)
            raise _betriebsfehler(exc, self.path) from None
        except BaseException:
            self._zurueck(sicherung)
            raise
        else:
            try:
                self.conn.commit()
            except sqlite3.OperationalError as exc:
                self._zurueck(sicherung)
                raise _betriebsfehler(exc, self.path) from None
            if sicherung is not None:
                sicherung.behalten()
        finally:
            if sicherung is not None:
                self.conn.execute("PRAGMA cache_spill = ON")

    def _zurueck(self, sicherung: LaufendeSicherung | None) -> None:
        """Roll back; the backup made for this change equals the unchanged store and is dropped."""
        if sicherung is not None:
            sicherung.verwerfen()
        self.conn.rollback()

    def close(self) -> None:
        self.conn.close()

    def version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    def leer(self) -> bool:
        return self.conn.execute("SELECT count(*) FROM importe").fetchone()[0] == 0


# The store this process opened last: where SQLite's "database disk image is malformed", raised by a query far
# from here, comes from (the CLI names it in its message).
zuletzt_geoeffnet: Path | None = None


def oeffnen(folder: Path, *, anlegen: bool = False) -> Speicher:
    """Open the store in ``folder``; with ``anlegen`` create it (owner-readable only) if missing."""
    global zuletzt_geoeffnet
    path = folder / SPEICHER_DATEI
    zuletzt_geoeffnet = path
    exists = path.exists()
    if exists and not path.is_file():
        raise OrdnerFehler(
            f"{path} ist {'ein Ordner' if path.is_dir() else 'keine gewöhnliche Datei'}; unter diesem Namen "
            "liegt sonst der Datenbestand.",
            hint=f"Bitte {path.name} umbenennen oder einen anderen Arbeitsordner wählen (--ordner).",
        )
    if not exists and not anlegen:
        raise OrdnerFehler(
            f"In {folder} gibt es noch keinen Datenbestand ({SPEICHER_DATEI}).",
            hint="Zuerst einen Mitgliederexport importieren: mitglieder import EXPORT.xlsx",
        )
    if not exists:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
            os.close(fd)
        except OSError as exc:
            raise OrdnerFehler(
                f"Der Datenbestand kann in {folder} nicht angelegt werden: {grund(exc)}.",
                hint="Ist der Ordner schreibgeschützt? Bitte einen anderen Ordner wählen.",
            ) from None
    elif path.stat().st_size > 0:
        with path.open("rb") as handle:
            if handle.read(16) != b"SQLite format 3\x00":
                raise _beschaedigt(path)
    try:
        conn = sqlite3.connect(path, timeout=5.0, isolation_level=None)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA foreign_keys = ON")
        if not exists:
            # larger pages than SQLite's 4 KiB: a national export's first import writes about a sixth faster
            conn.execute(f"PRAGMA page_size = {SEITENGROESSE}")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.OperationalError as exc:
        raise _betriebsfehler(exc, path) from None
    except sqlite3.DatabaseError:
        raise _beschaedigt(path) from None
    if version == 0 and exists and (fremde := _fremde_tabellen(conn)):
        conn.close()
        raise OrdnerFehler(
            f"{path} ist keine Datenbank von mitgliederarbeit (sie enthält {', '.join(fremde[:3])}) und wird "
            "nicht verändert.",
            hint="Bitte die Datei umbenennen oder verschieben, oder einen anderen Arbeitsordner wählen (--ordner).",
        )
    if version > SCHEMA_VERSION:
        conn.close()
        raise OrdnerFehler(
            f"{path} stammt von einer neueren Version von mitgliederarbeit (Schema {version}).",
            hint="Bitte mitgliederarbeit aktualisieren: pip install --upgrade mitgliederarbeit",
        )
    store = Speicher(path, conn)
    if version < SCHEMA_VERSION:
        _migrate(store, version)
    _secure(path)
    return store


def _fremde_tabellen(conn: sqlite3.Connection) -> list[str]:
    """The tables of a SQLite file with no schema version of ours: a store never had them, so the file belongs
    to another program and is never migrated in place (the first migration would add our tables to it)."""
    try:
        namen = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")]
    except sqlite3.DatabaseError:
        return ["beschädigte Daten"]
    return [f"„{n}“" for n in namen]


def _migrate(store: Speicher, current: int) -> None:
    """Bring the store from schema ``current`` to :data:`SCHEMA_VERSION` in one transaction; an existing store is
    backed up first (a migration may re-key members: schema 5)."""
    # the key rule, for the SQL of schema 5 (deterministic: SQLite may call it once per value)
    store.conn.create_function("nummer_key", 1, nummer_key, deterministic=True)
    try:
        with store.transaktion(sichern=current > 0) as conn:
            for version in range(current + 1, SCHEMA_VERSION + 1):
                for statement in _MIGRATIONS[version].split(";"):
                    if statement.strip():
                        conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {version}")
    except sqlite3.DatabaseError as exc:
        raise OrdnerFehler(f"{store.path} kann nicht eingerichtet werden: {exc}.") from None


def doppelte_nummern(conn: sqlite3.Connection) -> list[tuple[str, list[tuple[str, str]]]]:
    """The members schema 5 did not re-key because their numbers became one (see :data:`_MIGRATIONS`) and that
    are still in the store: per shared key, (stored key, number as stored) of each."""
    gruppen: dict[str, list[tuple[str, str]]] = {}
    for schluessel, nr, nummer in conn.execute(
        "SELECT d.schluessel, m.nr, m.mitgliedsnummer FROM nummern_doppelt d JOIN mitglieder m ON m.nr = d.nr "
        "ORDER BY d.rowid"
    ):
        gruppen.setdefault(schluessel, []).append((nr, nummer))
    return [(schluessel, mitglieder) for schluessel, mitglieder in gruppen.items() if len(mitglieder) > 1]


def doppelte_nummern_melden(conn: sqlite3.Connection) -> list[str]:
    """The warnings for :func:`doppelte_nummern`, once: the list is emptied in the caller's transaction (a dry
    run rolls that back and tells again)."""
    hinweise = [doppelt_hinweis(schluessel, mitglieder) for schluessel, mitglieder in doppelte_nummern(conn)]
    conn.execute("DELETE FROM nummern_doppelt")
    return hinweise


def doppelt_hinweis(schluessel: str, mitglieder: list[tuple[str, str]]) -> str:
    """One warning: stored members whose numbers are one number today, kept apart, and what to do."""
    nummern = [f"„{nummer}“" for _, nummer in mitglieder]
    genannt = ", ".join(nummern[:-1]) + " und " + nummern[-1]
    weiter = next((nummer for nr, nummer in mitglieder if nr == schluessel), None)
    if weiter is not None:
        folge = (
            f"Importe führen die Nummer ab jetzt beim Eintrag „{weiter}“ weiter; die anderen bleiben, wie sie "
            "sind (ein noch aktiver zählt als Austritt)."
        )
    else:
        folge = (
            "Importe legen die Nummer ab jetzt als neues Mitglied an; die gespeicherten Einträge bleiben, wie sie "
            "sind (noch aktive zählen als Austritte)."
        )
    return (
        f"Die Mitgliedsnummern {genannt} sind dieselbe Nummer in verschiedener Schreibweise; eine frühere Version "
        f"hat sie als {len(mitglieder)} Mitglieder gespeichert. Sie wurden nicht zusammengeführt. {folge} Bitte "
        "prüfen, ob es dieselbe Person ist: wenn ja, sind Eintritte und Austritte zwischen diesen Schreibweisen "
        "keine echten, und frühere Kontakte stehen beim alten Eintrag."
    )


@dataclass(frozen=True)
class UnlesbareDaten:
    """Dates in the store that are no real day (``2026-06-31``): only a hand edit or another program writes them.

    A contact with one counts nowhere; a member's join or exit date is shown as „unlesbar“ until the next
    member export replaces it. :meth:`saetze` says so, in German, for every command that reads them.
    """

    kontakte: int = 0
    kontakt_beispiel: str = ""
    mitglieder: int = 0  # members with an unreadable Eintritts- or Austrittsdatum
    mitglied_beispiel: str = ""

    def saetze(self) -> list[str]:
        result = []
        if self.kontakte:
            result.append(
                f"{mal(self.kontakte, 'Kontakt', 'Kontakte')} im Datenbestand "
                f"{'hat' if self.kontakte == 1 else 'haben'} ein unlesbares Datum (etwa „{self.kontakt_beispiel}“) "
                f"und {'zählt' if self.kontakte == 1 else 'zählen'} nirgends mit – von Hand bearbeitet? Richtig "
                "erfassen mit: mitglieder kontakt NR ART --datum TT.MM.JJJJ"
            )
        if self.mitglieder:
            result.append(
                f"{mal(self.mitglieder, 'Mitglied', 'Mitglieder')} "
                f"{'hat' if self.mitglieder == 1 else 'haben'} im Datenbestand ein unlesbares Eintritts- oder "
                f"Austrittsdatum (etwa „{self.mitglied_beispiel}“): angezeigt als „unlesbar“ (in Dateien eine leere "
                "Zelle), gezählt, wie es dasteht; der nächste Mitgliederexport ersetzt es."
            )
        return result


def unlesbare_daten(conn: sqlite3.Connection) -> UnlesbareDaten:
    """Count the dates of contacts and members that are no real day, as :func:`datum.gespeicherter_tag` reads them
    (the first ten characters).

    Runs before every evaluation, so it looks at distinct values only: the join dates through their index, the
    exit dates that are there, the contacts' dates through the index that holds them; each value is checked once
    in Python. Only a store that has such a value is counted row by row (then the warning is shown anyway).
    """
    kontakte = _unlesbar(conn, "SELECT DISTINCT datum FROM kontakte")
    mitglieder = _unlesbar(
        conn, "SELECT DISTINCT eintrittsdatum FROM mitglieder WHERE eintrittsdatum IS NOT NULL"
    ) or _unlesbar(conn, "SELECT DISTINCT austrittsdatum FROM mitglieder WHERE austrittsdatum IS NOT NULL")
    result = UnlesbareDaten()
    if kontakte:
        anzahl, beispiel = conn.execute(
            f"SELECT count(*), min(datum) FROM kontakte WHERE NOT {gueltiger_tag_sql('substr(datum, 1, 10)')}"
        ).fetchone()
        result = UnlesbareDaten(anzahl, beispiel or "")
    if mitglieder:
        eintritt = f"eintrittsdatum IS NOT NULL AND NOT {gueltiger_tag_sql('substr(eintrittsdatum, 1, 10)')}"
        austritt = f"austrittsdatum IS NOT NULL AND NOT {gueltiger_tag_sql('substr(austrittsdatum, 1, 10)')}"
        anzahl, beispiel = conn.execute(
            f"SELECT count(*), min(CASE WHEN {eintritt} THEN eintrittsdatum ELSE austrittsdatum END) "
            f"FROM mitglieder WHERE ({eintritt}) OR ({austritt})"
        ).fetchone()
        result = UnlesbareDaten(result.kontakte, result.kontakt_beispiel, anzahl, beispiel or "")
    return result


def _unlesbar(conn: sqlite3.Connection, sql: str) -> bool:
    """Whether one of the values ``sql`` selects is no real day."""
    return any(gespeicherter_tag(wert) is None for (wert,) in conn.execute(sql))


# A member on day :tag: joined on or before it, and not yet left (the exit day is the first day outside). A member
# whose join date is unknown (schema 6) has been one since an unknown day before the first export it was in.
AKTIV_AM = (
    "((m.eintrittsdatum IS NULL OR m.eintrittsdatum <= :tag) "
    "AND (m.austrittsdatum IS NULL OR m.austrittsdatum > :tag))"
)


def protokollieren(
    conn: sqlite3.Connection, befehl: str, segment: str | None, anzahl: int, pfad: Path
) -> None:
    """Log an output that held personal data (the log itself holds none).

    The path is logged absolute and resolved: ``--ausgabe b2`` means the folder the command ran in, which the log,
    read later from anywhere, would not know."""
    from datetime import datetime

    conn.execute(
        "INSERT INTO protokoll (zeit, befehl, segment, anzahl, pfad) VALUES (?,?,?,?,?)",
        (datetime.now().isoformat(timespec="seconds"), befehl, segment, anzahl, str(Path(pfad).resolve())),
    )


def ausgaben_protokollieren(
    folder: Path, befehl: str, segment: str | None, ausgaben: list[tuple[Path, int]]
) -> None:
    """Log outputs just written, in one transaction; an output whose log entry cannot be written (a read-only
    store, a full disk) is removed again and the error passes on: no file with personal data escapes the log."""
    try:
        store = oeffnen(folder)
        try:
            with store.transaktion(sichern=False) as conn:  # only the log changes
                for pfad, anzahl in ausgaben:
                    protokollieren(conn, befehl, segment, anzahl, pfad)
        finally:
            store.close()
    except BaseException:
        ausgaben_loeschen([pfad for pfad, _ in ausgaben])
        raise


def ausgaben_loeschen(pfade: list[Path]) -> None:
    """Remove the outputs of a run that failed before they were logged."""
    for pfad in pfade:
        with suppress(OSError):
            pfad.unlink()


def stufe_schreiben(
    folder: Path, tabellen: dict[str, Any], *, haelften: bool = False, ddl: dict[str, str] | None = None
) -> Path:
    """Polars frames into a new, owner-readable SQLite file beside the store: a staging file.

    The ADBC driver writes the rows straight from Arrow, without a Python object per value (several times
    faster than the sqlite3 module for a large export). The import attaches the file and works from it inside
    its own transaction, so the store still changes all at once or not at all. The caller deletes the file
    (:func:`stufe_loeschen`); one left behind by a killed import is removed by the next.

    ``haelften``: each frame is written by two connections at once, half each (two cores, about twice as fast
    for a large export). SQLite lets one connection write a file at a time, and the ADBC driver lets go of
    Python while it writes: so the second half goes into a file of its own in a thread, and is copied behind
    the first half afterwards, which costs a fraction of binding its values.

    ``ddl``: the statement creating a table (by name), instead of a table with the frame's columns; columns the
    frame lacks get the table's defaults.
    """
    import adbc_driver_manager as adbc
    import adbc_driver_sqlite

    path = folder / f".import-{os.getpid()}.sqlite"
    teil = folder / f".import-{os.getpid()}-teil.sqlite"
    _alte_stufen_loeschen(folder)
    _neue_datei(path)
    try:
        with adbc_driver_sqlite.connect(str(path)) as database, adbc.AdbcConnection(database) as verbindung:
            _ohne_journal(verbindung)
            for name, tabelle in tabellen.items():
                anlegen = (ddl or {}).get(name)
                if haelften and tabelle.height > 1:
                    _in_haelften(verbindung, teil, name, tabelle, anlegen)
                else:
                    _einspielen(verbindung, name, tabelle, anlegen)
    except adbc.Error as exc:  # a full disk, say: in German, and nothing left behind (the store is untouched)
        stufe_loeschen(path)
        raise _betriebsfehler(exc, folder / SPEICHER_DATEI) from None
    except BaseException:
        stufe_loeschen(path)
        raise
    finally:
        stufe_loeschen(teil)
    return path


def _in_haelften(verbindung: Any, teil: Path, name: str, tabelle: Any, anlegen: str | None) -> None:
    """The first half of ``tabelle`` written here while a thread writes the second into ``teil``; then the
    second half copied behind the first (alike in every column: SQLite copies the rows as they are stored)."""
    mitte = tabelle.height // 2
    with _zweite_haelfte(teil, name, tabelle.slice(mitte), anlegen):
        _einspielen(verbindung, name, tabelle.slice(0, mitte), anlegen)
    for sql in ("ATTACH DATABASE '" + str(teil).replace("'", "''") + "' AS teil", f'INSERT INTO main."{name}" SELECT * FROM teil."{name}"',
                "DETACH DATABASE teil"):  # fmt: skip
        _ausfuehren(verbindung, sql)
    stufe_loeschen(teil)


def _ausfuehren(verbindung: Any, sql: str) -> None:
    import adbc_driver_manager as adbc

    with adbc.AdbcStatement(verbindung) as anweisung:
        anweisung.set_sql_query(sql)
        anweisung.execute_update()


def _neue_datei(path: Path) -> None:
    """Create ``path`` readable by its owner only, before a byte is written (it will hold personal data)."""
    os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))


def _ohne_journal(verbindung: Any) -> None:
    """A scratch file: nothing to recover after a crash, so no journal and no waiting for the disk."""
    import adbc_driver_manager as adbc

    for pragma in ("journal_mode = OFF", "synchronous = OFF"):
        with adbc.AdbcStatement(verbindung) as anweisung:
            anweisung.set_sql_query(f"PRAGMA {pragma}")
            anweisung.execute_query()


def _einspielen(verbindung: Any, tabelle: str, rahmen: Any, anlegen: str | None = None) -> None:
    """A polars frame's rows into a new table ``tabelle``: made by the statement ``anlegen``, or with the frame's
    columns."""
    import adbc_driver_manager as adbc

    if anlegen is not None:
        _ausfuehren(verbindung, anlegen)
    with adbc.AdbcStatement(verbindung) as anweisung:
        anweisung.set_options(
            **{
                adbc.INGEST_OPTION_TARGET_TABLE: tabelle,
                adbc.INGEST_OPTION_MODE: adbc.INGEST_OPTION_MODE_CREATE
                if anlegen is None
                else adbc.INGEST_OPTION_MODE_APPEND,
            }
        )
        anweisung.bind_stream(rahmen)
        anweisung.execute_update()


@contextmanager
def _zweite_haelfte(path: Path, tabelle: str, rahmen: Any, anlegen: str | None) -> Iterator[None]:
    """Write ``rahmen`` into a new table ``tabelle`` of a new private file ``path``, in a thread, while the body
    runs. Waits for the thread at the end; its error, if any, is raised unless the body raised one itself."""
    import threading

    import adbc_driver_manager as adbc
    import adbc_driver_sqlite

    fehler: list[BaseException] = []

    def schreiben() -> None:
        try:
            with (
                adbc_driver_sqlite.connect(str(path)) as database,
                adbc.AdbcConnection(database) as verbindung,
            ):
                _ohne_journal(verbindung)
                _einspielen(verbindung, tabelle, rahmen, anlegen)
        except BaseException as exc:  # handed to the caller's thread
            fehler.append(exc)

    _neue_datei(path)
    faden = threading.Thread(target=schreiben, name="zweite-haelfte", daemon=True)
    faden.start()
    try:
        yield
    finally:
        faden.join()
    if fehler:
        raise fehler[0]


def stufen_reste(folder: Path) -> list[Path]:
    """Staging files (``.import-PID.sqlite``, ``.import-PID-teil.sqlite``) of imports that were killed: they hold
    names, addresses and phone numbers. A running import's file is never one of them."""
    import time

    from mitgliederarbeit.dateien import schreiber_lebt

    found = []
    with suppress(OSError):
        for alt in folder.glob(".import-*.sqlite"):
            try:
                pid = int(alt.stem.split("-")[1])  # .import-PID.sqlite, .import-PID-teil.sqlite
            except ValueError:
                continue
            if pid == os.getpid():
                continue  # this process's own: it removes it itself
            if os.name == "nt":  # os.kill would end the process there: only what is surely stale
                with suppress(OSError):
                    if time.time() - alt.stat().st_mtime > 86400:
                        found.append(alt)
            elif not schreiber_lebt(alt, pid):
                found.append(alt)
    return found


def stufen_reste_entfernen(folder: Path) -> int:
    """Delete :func:`stufen_reste`; how many there were (``bereinigen``, and every import before it starts)."""
    found = stufen_reste(folder)
    for alt in found:
        with suppress(OSError):
            stufe_loeschen(alt)
    return len(found)


def _alte_stufen_loeschen(folder: Path) -> None:
    """Staging files left behind by an import that was killed hold personal data: away with them (and this
    process's own from an earlier import that failed)."""
    for eigene in (folder / f".import-{os.getpid()}.sqlite", folder / f".import-{os.getpid()}-teil.sqlite"):
        stufe_loeschen(eigene)
    stufen_reste_entfernen(folder)


def stufe_loeschen(path: Path) -> None:
    for teil in (path, path.with_name(path.name + "-journal")):
        teil.unlink(missing_ok=True)


def _beschaedigt(path: Path) -> Exception:
    from mitgliederarbeit.bestand.sicherung import beschaedigt

    return beschaedigt(path)
