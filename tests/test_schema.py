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
    assert conn.execute("PRAGMA user_version").fetchone()[0] == speicher.SCHEMA_VERSION == 4
    assert conn.execute("SELECT rowid, * FROM mitglieder ORDER BY rowid").fetchall() == vorher
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
