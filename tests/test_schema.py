"""The store's schema: a store of an earlier version is brought up to date once, its rows as they were."""

from __future__ import annotations

import sqlite3

import pytest

from mitgliederarbeit.bestand import speicher


def _alter_bestand(pfad) -> None:
    """A store as schema 1 left it: the member number as the table's PRIMARY KEY, two members, rows out of order."""
    conn = sqlite3.connect(pfad)
    conn.executescript(speicher._MIGRATIONS[1])
    zeile = (
        "INSERT INTO mitglieder (rowid, nr, mitgliedsnummer, nachname, eintrittsdatum, ortsverein, stand) "
    )
    conn.execute(zeile + "VALUES (7, '100', '0100', 'Muster', '2020-01-01', 'OV Nord', '2026-08-31')")
    conn.execute(zeile + "VALUES (3, '200', '200', 'Beispiel', '2021-02-02', 'OV Süd', '2026-08-31')")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()


def _namen(conn: sqlite3.Connection) -> list[str]:
    """The members' table and its indexes (not SQLite's own)."""
    return [
        name
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE tbl_name = 'mitglieder' AND sql IS NOT NULL ORDER BY name"
        )
    ]


def test_schema_1_store_gets_the_member_number_as_unique_index_with_rows_unchanged(tmp_path):
    pfad = tmp_path / speicher.SPEICHER_DATEI
    _alter_bestand(pfad)
    vorher = sqlite3.connect(pfad).execute("SELECT rowid, * FROM mitglieder ORDER BY rowid").fetchall()

    speicher.oeffnen(tmp_path).close()

    conn = sqlite3.connect(pfad)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == speicher.SCHEMA_VERSION == 6
    # schema 6 added one column at the end (eintritt_geschaetzt, 0 for every known join date)
    assert conn.execute("SELECT rowid, * FROM mitglieder ORDER BY rowid").fetchall() == [
        (*r, 0) for r in vorher
    ]
    assert _namen(conn) == [
        "mitglieder",
        "mitglieder_eintritt",
        "mitglieder_nr",
        "mitglieder_ov",
    ]
    eindeutig = {row[1]: row[2] for row in conn.execute("PRAGMA index_list(mitglieder)")}
    assert eindeutig == {"mitglieder_nr": 1, "mitglieder_ov": 0, "mitglieder_eintritt": 0}
    with pytest.raises(sqlite3.IntegrityError):  # still one row per member number
        conn.execute(
            "INSERT INTO mitglieder (nr, mitgliedsnummer, eintrittsdatum, ortsverein) "
            "VALUES ('100', '100', '2022-01-01', 'OV Nord')"
        )


def test_new_store_has_the_same_schema_as_an_updated_one(tmp_path):
    alt, neu = tmp_path / "alt", tmp_path / "neu"
    alt.mkdir()
    _alter_bestand(alt / speicher.SPEICHER_DATEI)
    speicher.oeffnen(alt).close()
    neu.mkdir()
    speicher.oeffnen(neu, anlegen=True).close()
    schema = [
        sqlite3.connect(ordner / speicher.SPEICHER_DATEI)
        .execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name")
        .fetchall()
        for ordner in (alt, neu)
    ]
    assert schema[0] == schema[1]


def test_every_stored_field_is_a_column_of_the_members_table(tmp_path):
    from mitgliederarbeit import felder

    speicher.oeffnen(tmp_path, anlegen=True).close()
    conn = sqlite3.connect(tmp_path / speicher.SPEICHER_DATEI)
    spalten = [row[1] for row in conn.execute("PRAGMA table_info(mitglieder)")]
    assert spalten[1 : 1 + len(felder.GESPEICHERT)] == list(felder.GESPEICHERT)


def test_migrations_are_plain_sql_by_version():
    assert sorted(speicher._MIGRATIONS) == list(range(1, speicher.SCHEMA_VERSION + 1))
    assert all(isinstance(sql, str) for sql in speicher._MIGRATIONS.values())


# --- schema 5: member numbers re-keyed by the one rule -------------------------------------------------------

# the tables that hold a member's key
_MIT_NR = ("mitglieder", "zugehoerigkeit", "bewegungen", "kontakte", "notizen")


def _alter_schluessel(nummer: str) -> str:
    """The key schema 4's version stored: the number without surrounding spaces, leading zeros dropped from
    digits (full-width ones too, whose zeros are no "0"), anything else in capitals."""
    nummer = nummer.strip()
    if nummer.isdigit():
        return nummer.lstrip("0") or "0"
    return nummer.upper()


def _schema_4_bestand(mitglieder, tmp_path, schreibweisen: dict[str, str]) -> dict[str, int]:
    """A store as the previous version left it: a clean export imported, then the numbers ``schreibweisen`` (key
    -> number as an export wrote it) stored under the keys that version gave them, in every table; a contact and a
    note for each; and ``9300504.0`` beside ``9300504``, as the previous version split them (the one under the other
    spelling has left). Returns the rows per table."""
    from tests.test_werte import leute, schreiben

    people = leute(8)
    people[3]["Mitgliedsnummer"] = "AB 123"
    assert (
        mitglieder(
            "--stichtag", "01.12.2026", "import", schreiben(tmp_path / "a.csv", people, "31.01.2026")
        ).code
        == 0
    )
    conn = sqlite3.connect(tmp_path / speicher.SPEICHER_DATEI)
    spalten = [r[1] for r in conn.execute("PRAGMA table_info(mitglieder)")]
    kopie = {"nr": "'9300504.0'", "mitgliedsnummer": "'9300504.0'", "austrittsdatum": "'2026-01-15'"}
    conn.execute(
        f"INSERT INTO mitglieder SELECT {', '.join(kopie.get(c, c) for c in spalten)} FROM mitglieder "
        "WHERE nr = '9300504'"
    )
    conn.execute(
        "INSERT INTO zugehoerigkeit (nr, ortsverein, von, bis) VALUES ('9300504.0', 'Altstadt', '2020-01-01', "
        "'2026-01-15')"
    )
    for i, (nr, nummer) in enumerate(
        [*schreibweisen.items(), ("9300504", "9300504"), ("9300504.0", "9300504.0")]
    ):
        alt = _alter_schluessel(nummer)
        conn.execute(
            "UPDATE mitglieder SET nr = ?, mitgliedsnummer = ? WHERE nr = ?", (alt, nummer.strip(), nr)
        )
        for tabelle in _MIT_NR[1:]:
            conn.execute(f"UPDATE {tabelle} SET nr = ? WHERE nr = ?", (alt, nr))
        conn.execute(
            "INSERT INTO kontakte (nr, art, datum, schluessel) VALUES (?, 'brief', '2026-02-01', ?)",
            (alt, f"k{i}"),
        )
        conn.execute(
            "INSERT INTO notizen (nr, datum, text, schluessel) VALUES (?, '2026-02-01', 'ruft zurück', ?)",
            (alt, f"n{i}"),
        )
    conn.execute("DROP TABLE nummern_doppelt")
    conn.execute("PRAGMA user_version = 4")
    conn.commit()
    zeilen = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in _MIT_NR}
    conn.close()
    return zeilen


def test_a_schema_4_store_is_re_keyed_in_every_table_and_a_clean_export_finds_the_same_members(
    mitglieder, tmp_path
):
    schreibweisen = {"9300500": "9300500.0", "9300501": " 93 005 01", "9300502": "９３００５０２",
                     "AB123": "AB 123", "9300505": "9300505\u200b", "9300506": "9.300507E+06"}  # fmt: skip
    schreibweisen["9300507"] = schreibweisen.pop("9300506")  # all digits of 9300507 are in that exponent form
    zeilen = _schema_4_bestand(mitglieder, tmp_path, schreibweisen)
    conn = sqlite3.connect(tmp_path / speicher.SPEICHER_DATEI)
    alt = {t: sorted(r[0] for r in conn.execute(f"SELECT nr FROM {t}")) for t in _MIT_NR}
    assert {"9300500.0", "AB 123", "９３００５０２", "9300504.0", "9300505\u200b"} <= set(alt["kontakte"])
    conn.close()

    speicher.oeffnen(tmp_path).close()

    conn = sqlite3.connect(tmp_path / speicher.SPEICHER_DATEI)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == speicher.SCHEMA_VERSION
    neu = {_alter_schluessel(nummer): nr for nr, nummer in schreibweisen.items()}
    for tabelle in _MIT_NR:
        assert conn.execute(f"SELECT count(*) FROM {tabelle}").fetchone()[0] == zeilen[tabelle]
        assert sorted(r[0] for r in conn.execute(f"SELECT nr FROM {tabelle}")) == sorted(
            neu.get(nr, nr) for nr in alt[tabelle]
        ), tabelle
    mitglied = dict(conn.execute("SELECT nr, mitgliedsnummer FROM mitglieder").fetchall())
    assert (
        mitglied["9300502"] == "９３００５０２"
    )  # the number as shown stays until the next export writes it
    assert {n: mitglied[n] for n in ("9300504", "9300504.0")} == {
        "9300504": "9300504",
        "9300504.0": "9300504.0",
    }
    assert conn.execute("SELECT nr, schluessel FROM nummern_doppelt").fetchall() == [
        ("9300504", "9300504"),
        ("9300504.0", "9300504"),
    ]
    assert len(list((tmp_path / "sicherung").glob("*.sqlite"))) == 1  # the store as it was, backed up first
    conn.close()

    from tests.test_werte import leute, schreiben

    people = leute(8)
    people[3]["Mitgliedsnummer"] = "AB 123"
    o = ("--stichtag", "01.12.2026")
    lauf = mitglieder(*o, "import", "--trockenlauf", schreiben(tmp_path / "b.csv", people, "28.02.2026"))
    assert lauf.code == 0
    hinweis = (
        "  Die Mitgliedsnummern „9300504“ und „9300504.0“ sind dieselbe Nummer in verschiedener Schreibweise; eine "
        "frühere Version hat sie als 2 Mitglieder gespeichert. Sie wurden nicht zusammengeführt. Importe führen die "
        "Nummer ab jetzt beim Eintrag „9300504“ weiter; die anderen bleiben, wie sie sind (ein noch aktiver zählt "
        "als Austritt). Bitte prüfen, ob es dieselbe Person ist: wenn ja, sind Eintritte und Austritte zwischen "
        "diesen Schreibweisen keine echten, und frühere Kontakte stehen beim alten Eintrag."
    )
    assert hinweis in lauf.err.splitlines()
    lauf = mitglieder(*o, "--json", "import", schreiben(tmp_path / "b.csv", people, "28.02.2026"))
    assert lauf.code == 0
    ergebnis = lauf.json()
    assert [ergebnis[k] for k in ("eintritte", "austritte", "wiedereintritte", "aenderungen")] == [0, 0, 0, 0]
    assert ergebnis["hinweise"] == [hinweis.strip()]
    lauf = mitglieder(*o, "--json", "import", schreiben(tmp_path / "c.csv", people, "31.03.2026"))
    assert "hinweise" not in lauf.json()  # told once
    conn = sqlite3.connect(tmp_path / speicher.SPEICHER_DATEI)
    assert conn.execute("SELECT count(*), count(DISTINCT nr) FROM mitglieder").fetchone() == (9, 9)
    assert conn.execute("SELECT mitgliedsnummer FROM mitglieder WHERE nr = '9300502'").fetchone() == (
        "9300502",
    )
    assert conn.execute("SELECT count(*) FROM bewegungen WHERE art <> 'eintritt'").fetchone() == (0,)
    assert conn.execute("SELECT count(*) FROM kontakte WHERE nr = 'AB123'").fetchone() == (1,)


def test_schema_5_leaves_anonymized_members_alone(tmp_path):
    pfad = tmp_path / speicher.SPEICHER_DATEI
    conn = sqlite3.connect(pfad)
    for version in range(1, 5):
        conn.executescript(speicher._MIGRATIONS[version])
    conn.execute(
        "INSERT INTO mitglieder (nr, mitgliedsnummer, eintrittsdatum, ortsverein, anonymisiert) "
        "VALUES ('anonym-0a1b', 'anonym-0a1b', '2020-01', 'Altstadt', 1)"
    )
    conn.execute("PRAGMA user_version = 4")
    conn.commit()
    conn.close()
    store = speicher.oeffnen(tmp_path)
    assert [tuple(r) for r in store.conn.execute("SELECT nr, mitgliedsnummer FROM mitglieder")] == [
        ("anonym-0a1b", "anonym-0a1b")
    ]
    assert speicher.doppelte_nummern(store.conn) == []
    store.close()


def test_bereinigen_removes_an_anonymized_member_from_the_numbers_not_yet_told(mitglieder, tmp_path):
    _schema_4_bestand(mitglieder, tmp_path, {})
    speicher.oeffnen(tmp_path).close()
    lauf = mitglieder("--stichtag", "01.06.2028", "--json", "bereinigen", "--ja")
    assert lauf.code == 0 and lauf.json()["mitglieder"] == 1  # 9300504.0, left on 15.01.2026
    conn = sqlite3.connect(tmp_path / speicher.SPEICHER_DATEI)
    assert conn.execute("SELECT nr FROM nummern_doppelt").fetchall() == [("9300504",)]
    assert speicher.doppelte_nummern(conn) == []  # nothing left to tell
    assert b"9300504.0" not in (tmp_path / speicher.SPEICHER_DATEI).read_bytes()


# --- schema 6: unknown and estimated join dates ---------------------------------------------------------------


def _tabellen(conn: sqlite3.Connection) -> dict[str, list[tuple]]:
    """Every row of every table of ours, by rowid."""
    namen = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return {n: conn.execute(f"SELECT rowid, * FROM {n} ORDER BY rowid").fetchall() for n in sorted(namen)}


def test_a_schema_5_store_keeps_every_row_through_schema_6(beispielbestand, tmp_path):
    """The example exports, with contacts and a note, in a store as schema 5 made it: after migration 6 every
    table holds the same rows in the same order; the members gain eintritt_geschaetzt = 0 and a backup of the
    store as it was is in sicherung/."""
    ordner = tmp_path / "alt"
    ordner.mkdir()
    conn = sqlite3.connect(ordner / speicher.SPEICHER_DATEI)
    conn.create_function("nummer_key", 1, lambda nummer: nummer)  # schema 5's re-keying, on an empty store
    for version in range(1, 6):
        conn.executescript(speicher._MIGRATIONS[version])
    conn.execute("ATTACH DATABASE ? AS quelle", (str(beispielbestand.pfad / speicher.SPEICHER_DATEI),))
    for tabelle in _tabellen(conn):
        spalten = ", ".join(r[1] for r in conn.execute(f"PRAGMA main.table_info({tabelle})"))
        conn.execute(
            f"INSERT INTO main.{tabelle} (rowid, {spalten}) SELECT rowid, {spalten} FROM quelle.{tabelle}"
        )
    conn.execute("INSERT INTO kontakte (nr, art, datum, ergebnis, schluessel) SELECT nr, 'anruf', '2026-08-01', "
                 "'erreicht', 'k-' || nr FROM mitglieder WHERE rowid % 7 = 0")  # fmt: skip
    conn.execute(
        "INSERT INTO notizen (nr, datum, text) SELECT nr, '2026-08-02', 'ruft zurück' FROM mitglieder LIMIT 3"
    )
    conn.commit()
    conn.execute("DETACH DATABASE quelle")
    conn.execute("PRAGMA user_version = 5")
    conn.commit()
    vorher = _tabellen(conn)
    conn.close()
    assert len(vorher["mitglieder"]) > 100 and vorher["kontakte"] and vorher["zugehoerigkeit"]

    speicher.oeffnen(ordner).close()

    conn = sqlite3.connect(ordner / speicher.SPEICHER_DATEI)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 6
    nachher = _tabellen(conn)
    assert nachher.keys() == vorher.keys()
    assert nachher["mitglieder"] == [(*r, 0) for r in vorher["mitglieder"]]
    assert {n: z for n, z in nachher.items() if n != "mitglieder"} == {
        n: z for n, z in vorher.items() if n != "mitglieder"
    }
    assert len(list((ordner / "sicherung").glob("*.sqlite"))) == 1
    # the join date and a period's start may be unknown now
    conn.execute("INSERT INTO mitglieder (nr, mitgliedsnummer, ortsverein) VALUES ('x1', 'x1', 'Altstadt')")
    conn.execute("INSERT INTO zugehoerigkeit (nr, ortsverein) VALUES ('x1', 'Altstadt')")
    conn.close()
