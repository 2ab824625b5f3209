"""Dates in the store that are no real day (``2026-06-31``, possible only from a hand edit or another program):
no command crashes; a contact with one counts nowhere, and every command that reads the store's dates says how
many there are (README, „Unlesbare Daten im Datenbestand“)."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import date

import pytest

from mitgliederarbeit import datum as dt
from mitgliederarbeit.bestand import kontakte, speicher

from .conftest import EXAMPLES, EXPORT_AUGUST, EXPORT_MAI

STICHTAG = ("--stichtag", "01.09.2026")
BEFEHLE = [
    ("bericht", "--ausgabe", "{o}/bericht"),
    ("segmente",),
    ("segmente", "neu"),
    ("segmente", "neu-ohne-brief", "--export", "{o}/neu.xlsx"),
    ("segmente", "alle", "--export", "{o}/alle.csv"),
    ("segmente", "ausgetreten", "--export", "{o}/aus.csv"),
    ("segmente", "faellig", "--export", "{o}/faellig.csv"),
    ("anrufliste", "--ausgabe", "{o}/anrufe.xlsx"),
    ("ortsvereine", "--ausgabe", "{o}/pakete"),
    ("briefe", "--ausgabe", "{o}/briefe"),
    ("uebersicht",),
]


def _neue(ordner, anzahl: int = 3) -> list[str]:
    """Numbers of members who joined between April and June 2026 (new on 01.09.2026)."""
    conn = sqlite3.connect(ordner.pfad / "mitglieder.sqlite")
    nrs = [
        r[0]
        for r in conn.execute(
            "SELECT nr FROM mitglieder WHERE eintrittsdatum BETWEEN '2026-04-01' AND '2026-06-15' "
            "AND austrittsdatum IS NULL AND keine_post = 0 AND kein_anruf = 0 AND nr = mitgliedsnummer "
            "AND coalesce(telefon, mobil) IS NOT NULL ORDER BY nr LIMIT ?",
            (anzahl,),
        )
    ]
    conn.close()
    assert len(nrs) == anzahl
    return nrs


def _kontakt(ordner, nr: str, art: str, tag: date, datum_gespeichert: str) -> None:
    """Record a contact, then overwrite its date in the file, as a hand edit would."""
    store = speicher.oeffnen(ordner.pfad)
    with store.transaktion(sichern=False) as conn:
        kontakte.eintragen(conn, nr, art, tag, quelle="test", schluessel=f"test:{nr}:{art}")
    store.close()
    conn = sqlite3.connect(ordner.pfad / "mitglieder.sqlite")
    with conn:
        conn.execute(
            "UPDATE kontakte SET datum = ? WHERE schluessel = ?", (datum_gespeichert, f"test:{nr}:{art}")
        )
    conn.close()


def _mitglied(ordner, nr: str, spalte: str, wert: str) -> None:
    conn = sqlite3.connect(ordner.pfad / "mitglieder.sqlite")
    with conn:
        conn.execute(f"UPDATE mitglieder SET {spalte} = ? WHERE nr = ?", (wert, nr))
    conn.close()


def test_a_stored_day_is_read_only_when_it_is_a_real_day():
    assert dt.gespeicherter_tag("2026-06-30") == date(2026, 6, 30)
    assert dt.gespeicherter_tag("2026-06-30 10:15") == date(2026, 6, 30)
    for text in ("2026-06-31", "2026-02-29", "31.02.2026", "0000-01-01", "gestern", "", None):
        assert dt.gespeicherter_tag(text) is None
    conn = sqlite3.connect(":memory:")
    for text in (
        "2026-06-30",
        "2024-02-29",
        "2026-06-31",
        "2026-02-29",
        "31.02.2026",
        "0000-01-01",
        "gestern",
    ):
        (gueltig,) = conn.execute(f"SELECT {dt.gueltiger_tag_sql('?1')}", (text,)).fetchone()
        assert gueltig == (dt.gespeicherter_tag(text) is not None), text
    assert dt.eintritt_de("2026-06-31") == "unlesbar („2026-06-31“)"


@pytest.mark.parametrize("befehl", BEFEHLE, ids=lambda b: " ".join(b[:2]))
def test_a_contact_with_an_impossible_date_breaks_no_command_and_is_named(
    beispielbestand, mitglieder, befehl
):
    nr = _neue(beispielbestand, 1)[0]
    _kontakt(beispielbestand, nr, "gespraech", date(2026, 6, 20), "2026-06-31")
    o = beispielbestand.pfad
    if befehl[0] == "briefe":
        shutil.copy(EXAMPLES / "mitglieder.toml", o)  # the sender the letters name
    lauf = mitglieder("--ordner", o, *STICHTAG, *(a.format(o=o) for a in befehl))
    assert lauf.code == 0, lauf.err
    if befehl != ("uebersicht",):  # the overview reads no contact
        assert (
            "1 Kontakt im Datenbestand hat ein unlesbares Datum (etwa „2026-06-31“) und zählt nirgends mit"
            in " ".join(lauf.err.split())
        )


def test_a_letter_dated_on_no_real_day_does_not_count_as_a_letter(beispielbestand, mitglieder):
    """The segments' SQL read ``2026-06-31`` as a day (SQLite gives it back unchanged): now it counts nowhere."""
    nr_falsch, nr_echt = _neue(beispielbestand, 2)
    _kontakt(beispielbestand, nr_falsch, "brief", date(2026, 6, 30), "2026-06-31")
    _kontakt(beispielbestand, nr_echt, "brief", date(2026, 6, 30), "2026-06-30")
    lauf = mitglieder("--ordner", beispielbestand.pfad, *STICHTAG, "--json", "segmente", "neu-ohne-brief")
    assert lauf.code == 0, lauf.err
    drin = {m["mitgliedsnummer"] for m in lauf.json()["mitglieder"]}
    assert nr_falsch in drin and nr_echt not in drin
    assert any("1 Kontakt im Datenbestand hat ein unlesbares Datum" in w for w in lauf.json()["warnungen"])


def test_a_call_dated_on_no_real_day_is_no_earlier_attempt_on_the_call_list(beispielbestand, mitglieder):
    (nr,) = _neue(beispielbestand, 1)
    _kontakt(beispielbestand, nr, "anruf", date(2026, 6, 30), "2026-06-31")
    lauf = mitglieder("--ordner", beispielbestand.pfad, *STICHTAG, "--json", "anrufliste", "--segment", "neu",
                      "--ausgabe", beispielbestand.pfad / "anrufe.xlsx")  # fmt: skip
    assert lauf.code == 0, lauf.err
    assert any("1 Kontakt im Datenbestand hat ein unlesbares Datum" in w for w in lauf.json()["warnungen"])


def test_the_report_leaves_the_contact_out(beispielbestand, mitglieder):
    nr = _neue(beispielbestand, 1)[0]
    vorher = mitglieder("--ordner", beispielbestand.pfad, *STICHTAG, "--json", "bericht", "--ausgabe",
                        beispielbestand.pfad / "b0").json()  # fmt: skip
    _kontakt(beispielbestand, nr, "gespraech", date(2026, 6, 20), "2026-06-31")
    lauf = mitglieder("--ordner", beispielbestand.pfad, *STICHTAG, "--json", "bericht", "--ausgabe",
                      beispielbestand.pfad / "b1")  # fmt: skip
    assert lauf.code == 0, lauf.err
    nachher = lauf.json()
    assert nachher["gesamt"] == vorher["gesamt"]
    assert any("unlesbares Datum" in h for h in nachher["hinweise"])


@pytest.mark.parametrize("befehl", BEFEHLE, ids=lambda b: " ".join(b[:2]))
def test_impossible_join_and_exit_dates_break_no_command_and_are_named(beispielbestand, mitglieder, befehl):
    neu, weg = _neue(beispielbestand, 2)
    _mitglied(beispielbestand, neu, "eintrittsdatum", "2026-06-31")
    _mitglied(beispielbestand, weg, "austrittsdatum", "2026-08-32")
    o = beispielbestand.pfad
    if befehl[0] == "briefe":
        shutil.copy(EXAMPLES / "mitglieder.toml", o)  # the sender the letters name
    lauf = mitglieder("--ordner", o, *STICHTAG, *(a.format(o=o) for a in befehl))
    assert lauf.code == 0, lauf.err
    if befehl not in (("uebersicht",), ("bericht", "--ausgabe", "{o}/bericht")):
        # the overview and the report count memberships from the periods of each import, not these columns
        assert (
            "2 Mitglieder haben im Datenbestand ein unlesbares Eintritts- oder Austrittsdatum (etwa „2026-06-31“)"
            in " ".join(lauf.err.split())
        )


def test_the_next_export_replaces_impossible_join_and_exit_dates(ordner, mitglieder):
    assert mitglieder("--ordner", ordner.pfad, "--stichtag", "01.06.2026", "import", EXPORT_MAI).code == 3
    conn = sqlite3.connect(ordner.pfad / "mitglieder.sqlite")
    (nr, echt), (weg,) = (
        conn.execute(
            "SELECT nr, eintrittsdatum FROM mitglieder WHERE eintrittsdatum > '2026-04-01'"
        ).fetchone(),
        conn.execute("SELECT nr FROM mitglieder ORDER BY nr LIMIT 1").fetchone(),
    )
    conn.close()
    _mitglied(ordner, nr, "eintrittsdatum", "2026-06-31")
    _mitglied(ordner, weg, "austrittsdatum", "2026-05-32")
    lauf = mitglieder("--ordner", ordner.pfad, "--stichtag", "01.09.2026", "import", EXPORT_AUGUST)
    assert lauf.code == 0, lauf.err
    conn = sqlite3.connect(ordner.pfad / "mitglieder.sqlite")
    (jetzt,) = conn.execute("SELECT eintrittsdatum FROM mitglieder WHERE nr = ?", (nr,)).fetchone()
    conn.close()
    assert jetzt == echt


def _ausgetretene_im_export(ordner, anzahl: int) -> list[str]:
    """Members whose exit day the August export names (their one Austritt counted from it)."""
    zeilen = EXPORT_AUGUST.read_text(encoding="cp1252").splitlines()
    kopf = zeilen[3].split(";")
    mit_austritt = {
        z.split(";")[0] for z in zeilen[4:] if z.count(";") and z.split(";")[kopf.index("Austrittsdatum")]
    }
    conn = sqlite3.connect(ordner.pfad / "mitglieder.sqlite")
    nrs = [
        nr
        for (nr,) in conn.execute(
            "SELECT b.nr FROM bewegungen b JOIN mitglieder m ON m.nr = b.nr WHERE b.art = 'austritt' "
            "AND m.austrittsdatum IS NOT NULL GROUP BY b.nr HAVING count(*) = 1 ORDER BY b.nr"
        )
        if nr in mit_austritt
    ][:anzahl]
    conn.close()
    assert len(nrs) == anzahl
    return nrs


def _export_september(tmp_path, ohne: set[str], ohne_austritt: set[str] = frozenset()) -> object:  # type: ignore[assignment]
    """The August export with a later Stand, without the rows of ``ohne`` and the exit dates of ``ohne_austritt``."""
    zeilen = EXPORT_AUGUST.read_text(encoding="cp1252").splitlines()
    zeilen[1] = zeilen[1].replace("31.08.2026", "30.09.2026")
    spalte = zeilen[3].split(";").index("Austrittsdatum")
    for i, zeile in enumerate(zeilen):
        if (felder := zeile.split(";"))[0] in ohne_austritt:
            felder[spalte] = ""
            zeilen[i] = ";".join(felder)
    datei = tmp_path / "export-september.csv"
    datei.write_text("\n".join(z for z in zeilen if z.split(";")[0] not in ohne) + "\n", encoding="cp1252")
    return datei


def test_an_unreadable_exit_date_means_left_and_the_exports_day_corrects_it(
    beispielbestand, mitglieder, tmp_path
):
    """A hand-edited exit date that is no day counted the Austritt a second time on the next import (and a member
    missing from it once more): it means "left, day not known"; the export's day replaces it as a correction."""
    a, b, fehlt = _ausgetretene_im_export(beispielbestand, 3)
    conn = sqlite3.connect(beispielbestand.pfad / "mitglieder.sqlite")
    echt = dict(conn.execute("SELECT nr, austrittsdatum FROM mitglieder WHERE nr IN (?, ?)", (a, b)))
    austritte = conn.execute("SELECT count(*) FROM bewegungen WHERE art = 'austritt'").fetchone()[0]
    conn.close()
    _mitglied(beispielbestand, a, "austrittsdatum", "2026-02-30")
    _mitglied(beispielbestand, b, "austrittsdatum", "31.02.2026")  # sorts after every ISO day
    _mitglied(beispielbestand, fehlt, "austrittsdatum", "31.02.2026")
    lauf = mitglieder("--ordner", beispielbestand.pfad, "--stichtag", "01.10.2026", "--json", "import",
                      _export_september(tmp_path, {fehlt}))  # fmt: skip
    assert lauf.code == 0, lauf.err
    ergebnis = lauf.json()
    assert ergebnis["austritte"] == 0
    conn = sqlite3.connect(beispielbestand.pfad / "mitglieder.sqlite")
    assert conn.execute("SELECT count(*) FROM bewegungen WHERE art = 'austritt'").fetchone()[0] == austritte
    jetzt = dict(
        conn.execute("SELECT nr, austrittsdatum FROM mitglieder WHERE nr IN (?, ?, ?)", (a, b, fehlt))
    )
    for nr in (a, b):  # the membership ends on the export's day too
        (bis,) = conn.execute(
            "SELECT bis FROM zugehoerigkeit WHERE nr = ? ORDER BY rowid DESC", (nr,)
        ).fetchone()
        assert jetzt[nr] == bis == echt[nr]
    conn.close()
    assert jetzt[fehlt] == "31.02.2026"  # no export names its day: it stays, named by every evaluation
    assert ergebnis["austritt_unlesbar"] == {"mitglieder": 2, "beispiel": "2026-02-30"}
    assert (
        "2 Mitglieder hatten im Datenbestand ein unlesbares Austrittsdatum (etwa „2026-02-30“, von Hand bearbeitet?) "
        "und galten als ausgetreten an einem unbekannten Tag; der Export nennt den Tag: übernommen als Korrektur, "
        "kein neuer Austritt." in ergebnis["hinweise"]
    )


def _bestand_mit(tmp_path, eintritte: list[object], austritte: list[object], kontakte_daten: list[object]):
    """A store of one member per join date (exit dates beside the first ones) and one contact per date."""
    (tmp_path / "roh").mkdir()
    store = speicher.oeffnen(tmp_path / "roh", anlegen=True)
    conn = store.conn
    with conn:
        conn.executemany(
            "INSERT INTO mitglieder (nr, mitgliedsnummer, ortsverein, eintrittsdatum, austrittsdatum) "
            "VALUES (?, ?, 'Altstadt', ?, ?)",
            [
                (str(i), str(i), eintritt, austritte[i] if i < len(austritte) else None)
                for i, eintritt in enumerate(eintritte)
            ],
        )
        conn.executemany(
            "INSERT INTO kontakte (nr, art, datum) VALUES (?, 'brief', ?)",
            [(str(i % len(eintritte)), datum) for i, datum in enumerate(kontakte_daten)],
        )
    return store


def _zeile_fuer_zeile(conn: sqlite3.Connection) -> speicher.UnlesbareDaten:
    """What the check counts, row by row as every reader reads a stored day (its first ten characters)."""
    kontakte = [d for (d,) in conn.execute("SELECT datum FROM kontakte") if dt.gespeicherter_tag(d) is None]
    mitglieder = [
        e if e is not None and dt.gespeicherter_tag(e) is None else a
        for e, a in conn.execute("SELECT eintrittsdatum, austrittsdatum FROM mitglieder")
        if (e is not None and dt.gespeicherter_tag(e) is None)
        or (a is not None and dt.gespeicherter_tag(a) is None)
    ]
    return speicher.UnlesbareDaten(
        len(kontakte), min(kontakte, default=""), len(mitglieder), min(mitglieder, default="")
    )


def test_a_stored_day_with_a_time_is_readable_for_the_check_too(beispielbestand, mitglieder):
    """The readers take the first ten characters: the check counted ``2026-05-01 10:00`` as unreadable."""
    neu, weg = _neue(beispielbestand, 2)
    _mitglied(beispielbestand, neu, "eintrittsdatum", "2026-05-01 10:00")
    _mitglied(beispielbestand, weg, "austrittsdatum", "2026-07-01T08:00:00")
    store = speicher.oeffnen(beispielbestand.pfad)
    assert speicher.unlesbare_daten(store.conn) == speicher.UnlesbareDaten()
    store.close()
    lauf = mitglieder("--ordner", beispielbestand.pfad, *STICHTAG, "--json", "segmente", "neu")
    assert lauf.code == 0, lauf.err
    assert not any("unlesbar" in w for w in lauf.json()["warnungen"])
    assert {m["mitgliedsnummer"]: m["eintrittsdatum"] for m in lauf.json()["mitglieder"]}[neu][
        :10
    ] == "2026-05-01"


@pytest.mark.parametrize(
    ("eintritte", "austritte", "kontakte_daten"),
    [
        (["2026-01-05"] * 3, [], ["2026-01-05"]),
        (["2026-01-05", "2026-02-30", "2026-05-01 10:00", None, "31.02.2026"], ["2026-07-01", None, "gestern"],
         ["2026-06-31", "2026-06-30 10:15", "", "2026-06-30", "0000-01-01"]),
        (["2026-01-05", "2026-01-06"], ["2026-13-01", "2026-02-29"], ["20260630", "2026-6-30"]),
        ([None, "2024-02-29"], [None, "2026-02-29 12:00"], ["2024-02-29"]),
        (["2026-05-01 10:00", "2026-05-02"], ["2026-07-01 08:00"], ["2026-06-30"]),
    ],
)  # fmt: skip
def test_the_check_of_distinct_values_counts_as_every_row_is_read(
    tmp_path, eintritte, austritte, kontakte_daten
):
    store = _bestand_mit(tmp_path, eintritte, austritte, kontakte_daten)
    assert speicher.unlesbare_daten(store.conn) == _zeile_fuer_zeile(store.conn)
    store.close()


def _schritte(conn: sqlite3.Connection, aufruf) -> int:  # noqa: ANN001
    """SQLite's virtual machine steps (in thousands) that ``aufruf`` makes: a measure of work, not of time."""
    schritte = [0]

    def zaehlen() -> int:
        schritte[0] += 1
        return 0

    conn.set_progress_handler(zaehlen, 1000)
    try:
        aufruf()
    finally:
        conn.set_progress_handler(None, 1000)
    return schritte[0]


def test_the_check_reads_distinct_values_not_every_row(tmp_path):
    """It runs before every evaluation: on a large store, it read every row with two date() calls each (130 to
    220 ms at 400,000 members). Now the distinct join dates come from their index, and only a store that has an
    unreadable value is counted row by row."""
    tage = [f"20{j:02d}-{m:02d}-{t:02d}" for j in range(10, 20) for m in range(1, 13) for t in (1, 15)]
    eintritte = [tage[i % len(tage)] for i in range(20_000)]
    store = _bestand_mit(tmp_path, eintritte, [None] * 19_000 + tage[:1000], tage * 20)
    conn = store.conn
    eintritt = f"eintrittsdatum IS NOT NULL AND NOT {dt.gueltiger_tag_sql('substr(eintrittsdatum, 1, 10)')}"
    austritt = f"austrittsdatum IS NOT NULL AND NOT {dt.gueltiger_tag_sql('substr(austrittsdatum, 1, 10)')}"
    zeilenweise = _schritte(conn, lambda: (
        conn.execute(f"SELECT count(*) FROM kontakte WHERE NOT {dt.gueltiger_tag_sql('substr(datum, 1, 10)')}")
        .fetchone(),
        conn.execute(f"SELECT count(*) FROM mitglieder WHERE ({eintritt}) OR ({austritt})").fetchone(),
    ))  # fmt: skip
    assert speicher.unlesbare_daten(conn) == speicher.UnlesbareDaten()
    assert _schritte(conn, lambda: speicher.unlesbare_daten(conn)) * 2 < zeilenweise
    store.close()


def _ausgetreten(ordner) -> str:
    """A member who left in the summer of 2026 (in the segment „ausgetreten“ on 01.09.2026)."""
    conn = sqlite3.connect(ordner.pfad / "mitglieder.sqlite")
    (nr,) = conn.execute(
        "SELECT nr FROM mitglieder WHERE austrittsdatum BETWEEN '2026-07-01' AND '2026-08-15' ORDER BY nr LIMIT 1"
    ).fetchone()
    conn.close()
    return nr


def test_an_unreadable_exit_date_is_shown_as_unreadable_in_the_terminal_and_null_in_json(
    beispielbestand, mitglieder, monkeypatch
):
    nr = _ausgetreten(beispielbestand)
    neu = _neue(beispielbestand, 1)[0]
    _mitglied(beispielbestand, nr, "austrittsdatum", "2026-08-32")  # sorts like a day in August
    _mitglied(beispielbestand, neu, "eintrittsdatum", "2026-06-31")
    monkeypatch.setenv("COLUMNS", "200")  # the table's cells unbroken
    lauf = mitglieder("--ordner", beispielbestand.pfad, *STICHTAG, "segmente", "ausgetreten")
    assert lauf.code == 0, lauf.err
    zeile = next(z for z in lauf.out.splitlines() if f" {nr} " in z)
    assert zeile.rstrip(" │").endswith("unlesbar („2026-08-32“)")
    lauf = mitglieder("--ordner", beispielbestand.pfad, *STICHTAG, "--json", "segmente", "ausgetreten")
    weg = next(m for m in lauf.json()["mitglieder"] if m["mitgliedsnummer"] == nr)
    assert (weg["austrittsdatum"], weg["austritt_unlesbar"]) == (None, "2026-08-32")
    assert weg["eintrittsdatum"] is not None and weg["eintritt_unlesbar"] is None
    lauf = mitglieder("--ordner", beispielbestand.pfad, *STICHTAG, "--json", "segmente", "neu")
    (m,) = [m for m in lauf.json()["mitglieder"] if m["mitgliedsnummer"] == neu]
    assert (m["eintrittsdatum"], m["eintritt_unlesbar"], m["austritt_unlesbar"]) == (None, "2026-06-31", None)


def test_a_letter_prints_no_unreadable_join_date():
    """``{{ eintrittsdatum }}`` printed the stored text (``2026-06-31``) into the letter: now nothing, as for a join
    date no export had; a day with a time is its day."""
    from mitgliederarbeit.ausgaben import briefe

    assert briefe._eintritt_de({"eintrittsdatum": "2026-06-31"}) == ""
    assert briefe._eintritt_de({"eintrittsdatum": "31.02.2026", "eintritt_geschaetzt": 1}) == ""
    assert briefe._eintritt_de({"eintrittsdatum": "2026-05-01 10:00"}) == "01.05.2026"
    assert (
        briefe._eintritt_de({"eintrittsdatum": "2026-05-01", "eintritt_geschaetzt": 1})
        == "01.05.2026 (geschätzt)"
    )
    assert dt.eintritt_de("2026-06-31", True) == "unlesbar („2026-06-31“)"


def test_a_dry_run_for_one_letter_says_wuerde(beispielbestand, mitglieder):
    lauf = mitglieder("--ordner", beispielbestand.pfad, *STICHTAG, "--json", "segmente", "neu-ohne-brief")
    nrs = [m["mitgliedsnummer"] for m in lauf.json()["mitglieder"]]
    assert len(nrs) > 1
    for nr in nrs[1:]:
        _kontakt(beispielbestand, nr, "brief", date(2026, 8, 20), "2026-08-20")
    shutil.copy(EXAMPLES / "mitglieder.toml", beispielbestand.pfad)  # the sender the letters name
    lauf = mitglieder("--ordner", beispielbestand.pfad, *STICHTAG, "briefe", "--trockenlauf")
    assert lauf.code == 0, lauf.err
    assert "Trockenlauf: 1 Brief für Segment „neu-ohne-brief“ würde nach " in " ".join(lauf.err.split())


def test_bereinigen_reads_a_hand_written_date_for_the_retention_period_and_names_what_it_cannot(
    beispielbestand, mitglieder
):
    """``bereinigen`` compared dates as text: ``31.06.2019`` sorts after every ISO day, so its data were never
    deleted. A day the month does not have counts from the month's last day; a text that is no date keeps its
    data, and the plan says so (README „Unlesbare Daten im Datenbestand“)."""
    conn = sqlite3.connect(beispielbestand.pfad / "mitglieder.sqlite")
    alt, unklar = [
        r[0]
        for r in conn.execute("SELECT nr FROM mitglieder WHERE austrittsdatum IS NULL ORDER BY nr LIMIT 2")
    ]
    conn.close()
    _mitglied(beispielbestand, alt, "austrittsdatum", "31.06.2019")
    _mitglied(beispielbestand, unklar, "austrittsdatum", "gestern")
    _kontakt(beispielbestand, alt, "gespraech", date(2019, 6, 1), "31.06.2019")
    _kontakt(beispielbestand, unklar, "gespraech", date(2019, 6, 1), "irgendwann")
    conn = sqlite3.connect(beispielbestand.pfad / "mitglieder.sqlite")
    with conn:
        conn.execute("UPDATE kontakte SET notiz = 'Notiz' WHERE schluessel LIKE 'test:%'")
    conn.close()
    ohne = mitglieder(
        "--ordner", beispielbestand.pfad, "--stichtag", "01.09.2021", "bereinigen", "--trockenlauf"
    )
    assert ohne.code == 0, ohne.err
    text = " ".join(ohne.err.split())
    assert (
        "1 Mitglied hat im Datenbestand ein Austrittsdatum, das kein Datum ist (etwa „gestern“, von Hand "
        "bearbeitet?): Ob die Aufbewahrungsfrist abgelaufen ist, lässt sich nicht sagen, deshalb bleiben seine "
        f"Daten vorerst – bitte prüfen (Mitgliedsnummer {unklar}); ein Export, der das Austrittsdatum nennt, "
        "ersetzt es." in text
    )
    assert (
        "1 Eintrag mit Notizen, Interessen oder Anrufernamen (Kontakte oder Notizen aus Paketen) hat ein Datum, das "
        "kein Datum ist (etwa „irgendwann“" in text
    )
    assert "Zu löschen: persönliche Daten von 1 Mitglied" in text  # left „31.06.2019“: before 01.09.2019
    lauf = mitglieder(
        "--ordner", beispielbestand.pfad, "--stichtag", "01.09.2021", "--json", "bereinigen", "--ja"
    )
    assert lauf.code == 0, lauf.err
    ergebnis = lauf.json()
    assert (ergebnis["mitglieder"], ergebnis["notizen"], len(ergebnis["hinweise"])) == (1, 1, 2)
    conn = sqlite3.connect(beispielbestand.pfad / "mitglieder.sqlite")
    assert conn.execute("SELECT count(*) FROM mitglieder WHERE nr = ?", (alt,)).fetchone()[0] == 0
    assert (
        conn.execute("SELECT austrittsdatum FROM mitglieder WHERE nr = ?", (unklar,)).fetchone()[0]
        == "gestern"
    )
    assert conn.execute(
        "SELECT austrittsdatum FROM mitglieder WHERE anonymisiert = 1 AND austrittsdatum LIKE '2019%'"
    ).fetchall() == [("2019-06-01",)]
    notizen = dict(
        conn.execute("SELECT datum, notiz FROM kontakte WHERE datum IN ('31.06.2019', 'irgendwann')")
    )
    conn.close()
    assert notizen == {"31.06.2019": None, "irgendwann": "Notiz"}


def test_a_member_back_in_the_export_after_an_unreadable_exit_date_reenters(
    beispielbestand, mitglieder, tmp_path
):
    (nr,) = _ausgetretene_im_export(beispielbestand, 1)
    conn = sqlite3.connect(beispielbestand.pfad / "mitglieder.sqlite")
    (echt,) = conn.execute("SELECT austrittsdatum FROM mitglieder WHERE nr = ?", (nr,)).fetchone()
    conn.close()
    _mitglied(beispielbestand, nr, "austrittsdatum", "31.02.2026")
    lauf = mitglieder("--ordner", beispielbestand.pfad, "--stichtag", "01.10.2026", "--json", "import",
                      _export_september(tmp_path, set(), {nr}))  # fmt: skip
    assert lauf.code == 0, lauf.err
    assert (lauf.json()["austritte"], lauf.json()["wiedereintritte"]) == (0, 1)
    conn = sqlite3.connect(beispielbestand.pfad / "mitglieder.sqlite")
    (austritt,) = conn.execute("SELECT austrittsdatum FROM mitglieder WHERE nr = ?", (nr,)).fetchone()
    von, bis = conn.execute(
        "SELECT von, bis FROM zugehoerigkeit WHERE nr = ? ORDER BY rowid DESC", (nr,)
    ).fetchone()
    conn.close()
    # the new membership begins where the recorded one ended: not on "31.02.2026", not back on the first join
    assert (austritt, von, bis) == (None, echt, None)
