"""Exports without any join-date column (hitobito's people export): they come in without options; the join dates
of the first snapshot of an Ortsverein are unknown, those of members first seen later are estimated by the Stand,
and an export with the column replaces both. Every reader of the store handles unknown and estimated dates."""

from __future__ import annotations

import csv
import random
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mitgliederarbeit.bestand import speicher

from .test_erkennung import NACHNAMEN, VORNAMEN

# hitobito's people export (its German labels), without a person id and without a join date
KOPF = [
    "Vorname",
    "Nachname",
    "Haupt-E-Mail",
    "Adresse",
    "PLZ",
    "Ort",
    "Geburtstag",
    "Hauptebene",
    "Rollen",
    "Telefonnummer Privat",
    "Telefonnummer Mobil",
]
STICHTAG = ("--stichtag", "2026-06-01")
ZEILE_ERSTER = (
    "  Der Export hat kein Eintrittsdatum: 12 Mitglieder aus dem ersten Export ihres Ortsvereins gelten als "
    "„Eintritt unbekannt“ (nie neu, keine Fristen des Standards); wer erst in einem späteren Export auftaucht, "
    "bekommt dessen Stand als geschätzten Eintritt."
)


def personen(n: int, seed: int = 7, ortsvereine: tuple[str, ...] = ("Nord", "Süd")) -> list[dict[str, str]]:
    """n invented people as hitobito lists them (distinct names, so the key from name and birthday is unique)."""
    rng = random.Random(seed)
    result = []
    for i in range(n):
        geburt = date(1950, 1, 1) + timedelta(days=rng.randrange(18000))
        result.append(
            {
                "Vorname": VORNAMEN[i % len(VORNAMEN)],
                "Nachname": f"{NACHNAMEN[i % len(NACHNAMEN)]}{i}",
                "Haupt-E-Mail": f"person{i}@example.org",
                "Adresse": f"Lindenweg {i + 1}",
                "PLZ": f"0{1067 + i}",
                "Ort": "Dresden",
                "Geburtstag": geburt.isoformat(),
                "Hauptebene": ortsvereine[i % len(ortsvereine)],
                "Rollen": "Mitglied",
                "Telefonnummer Privat": f"0351 {1000000 + i * 13}",
                "Telefonnummer Mobil": "",
                "Eintrittsdatum": (date(2010, 1, 1) + timedelta(days=rng.randrange(5000))).strftime(
                    "%d.%m.%Y"
                ),
            }
        )
    return result


def hitobito(path: Path, leute: list[dict[str, str]], *, mit_eintritt: bool = False, rolle: str = "") -> Path:
    """The export; ``rolle`` in the column "Rollen" (no field) makes a file that lists the same people again no
    copy of an earlier one (which the import would skip as imported before)."""
    kopf = [*KOPF, "Eintrittsdatum"] if mit_eintritt else KOPF
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        writer.writerow(kopf)
        writer.writerows([[{**p, "Rollen": rolle or p["Rollen"]}[k] for k in kopf] for p in leute])
    return path


def _mitglieder(folder: Path) -> dict[str, tuple[str | None, int]]:
    """By Nachname: (join date, estimated)."""
    with sqlite3.connect(folder / speicher.SPEICHER_DATEI) as conn:
        return {
            r[0]: (r[1], r[2])
            for r in conn.execute("SELECT nachname, eintrittsdatum, eintritt_geschaetzt FROM mitglieder")
        }


def test_hitobito_exports_come_in_estimates_are_marked_and_a_real_date_replaces_them(
    mitglieder, tmp_path, monkeypatch
):
    monkeypatch.setenv("COLUMNS", "200")  # the segment's rows unwrapped
    (tmp_path / "mitglieder.toml").write_text(
        '[bericht]\nmin_fallzahl = 1\n[organisation]\npartei = "Musterpartei"\nname = "Musterpartei Musterstadt"\n'
        'absender_zeile = "Musterpartei · Beispielweg 1 · 01067 Musterstadt"\nunterschrift = "Erika Beispiel"\n'
        'telefon = "0351 1234567"\n',
        encoding="utf-8",
    )
    leute = personen(14)
    erste, neu_nord, neu_ost = leute[:12], leute[12], {**leute[13], "Hauptebene": "Ost"}

    # 1. the first export: no options, one line that says what the export lacks and what follows
    lauf = mitglieder(*STICHTAG, "import", "--stand", "31.03.2026", hitobito(tmp_path / "a.csv", erste))
    assert lauf.code == 0, lauf.err
    zeilen = lauf.err.splitlines()
    assert ZEILE_ERSTER in zeilen
    spalten = next(z for z in zeilen if z.startswith("  Spalten: "))
    assert "Eintrittsdatum ← (keine Spalte: unbekannt bzw. geschätzt)" in spalten
    assert "Mitgliedsnummer ← „Schlüssel aus Nachname, Vorname, Geburtsdatum“" in spalten
    assert set(_mitglieder(tmp_path).values()) == {(None, 0)}
    with sqlite3.connect(tmp_path / speicher.SPEICHER_DATEI) as conn:
        assert conn.execute("SELECT count(*), count(von) FROM zugehoerigkeit").fetchone() == (12, 0)

    # nobody is new or due; everybody is a member
    lauf = mitglieder(*STICHTAG, "--json", "segmente")
    zahlen = lauf.json()
    assert (zahlen["alle"], zahlen["neu"], zahlen["faellig"], zahlen["jubilaeum"]) == (12, 0, 0, 0)
    lauf = mitglieder(*STICHTAG, "--json", "segmente", "alle")
    assert {(m["eintrittsdatum"], m["eintritt_geschaetzt"]) for m in lauf.json()["mitglieder"]} == {
        (None, False)
    }
    lauf = mitglieder(*STICHTAG, "--json", "uebersicht")
    assert lauf.code == 0
    assert [(o["mitglieder"], o["eintritte"]) for o in lauf.json()["ortsvereine"]] == [(6, 0), (6, 0)]

    # 2. a later export with one more member of a known Ortsverein (estimated) and one of a new one (unknown)
    lauf = mitglieder(
        *STICHTAG, "--json", "import", "--stand", "30.04.2026",
        hitobito(tmp_path / "b.csv", [*erste, neu_nord, neu_ost]),
    )  # fmt: skip
    assert lauf.code == 0, lauf.err
    ergebnis = lauf.json()
    assert (ergebnis["eintritte"], ergebnis["aenderungen"], ergebnis["austritte"]) == (2, 0, 0)
    assert (ergebnis["eintritt_geschaetzt"], ergebnis["eintritt_unbekannt"]) == (1, 1)
    assert ergebnis["zuordnung"]["eintrittsdatum"] is None
    assert ergebnis["hinweise"][0] == (
        "Der Export hat kein Eintrittsdatum: 1 Mitglied aus dem ersten Export seines Ortsvereins gilt als "
        "„Eintritt unbekannt“ (nie neu, keine Fristen des Standards); 1 neues Mitglied bekommt den Stand "
        "30.04.2026 als geschätzten Eintritt (eingetreten seit dem letzten Export; Fristen zählen ab diesem Tag)."
    )
    gespeichert = _mitglieder(tmp_path)
    assert gespeichert[neu_nord["Nachname"]] == ("2026-04-30", 1)
    assert gespeichert[neu_ost["Nachname"]] == (None, 0)
    assert [gespeichert[p["Nachname"]] for p in erste] == [(None, 0)] * 12

    lauf = mitglieder(*STICHTAG, "--json", "segmente", "neu")
    [neu] = lauf.json()["mitglieder"]
    assert (neu["nachname"], neu["eintrittsdatum"], neu["eintritt_geschaetzt"]) == (
        neu_nord["Nachname"], "2026-04-30", True,
    )  # fmt: skip
    lauf = mitglieder(*STICHTAG, "segmente", "neu")
    assert lauf.code == 0
    assert (
        f"│ {neu_nord['Vorname']} {neu_nord['Nachname']} │ Nord       │ 30.04.2026 (geschätzt) │" in lauf.out
    )
    lauf = mitglieder(*STICHTAG, "segmente", "alle")
    assert lauf.out.count(" │ unbekannt ") == 13

    # the report: members counted, one joiner (the Ost member is none), and the figures say it is estimated
    lauf = mitglieder(*STICHTAG, "--json", "bericht")
    assert lauf.code == 0, lauf.err
    bericht = lauf.json()
    assert (bericht["gesamt"]["mitglieder"], bericht["gesamt"]["eintritte"]) == (14, 1)
    assert bericht["vorbehalte"]["eintritt_geschaetzt"] == 1
    # the development: members of unknown join date were members all along, in no cohort
    kohorten = {k["quartal"]: k["eintritte"] for k in bericht["entwicklung"]["kohorten"]}
    assert kohorten["2026-Q2"] == 1 and sum(n or 0 for n in kohorten.values()) == 1, kohorten
    assert (
        "Eintrittsdatum bei 1 Neumitglied geschätzt (Stand des ersten Exports, in dem sie auftauchen; der Export "
        "hatte kein Eintrittsdatum): Eintritte, Fristen des Standards und Bindung rechnen bei ihnen ab diesem Tag, "
        "dem spätesten möglichen; die Zahlen, die darauf beruhen, sagen es."
    ) in bericht["hinweise"]
    html = (Path(bericht["dateien"]["html"])).read_text(encoding="utf-8")
    assert (
        "Eintrittsdatum bei 1 Neumitglied geschätzt (Stand des ersten Exports, in dem sie auftauchen)" in html
    )

    # letters, call list and packages run; the call list shows no date where it is unknown
    assert mitglieder(*STICHTAG, "briefe", "--segment", "alle").code == 0
    lauf = mitglieder(*STICHTAG, "--json", "anrufliste", "--segment", "alle")
    assert lauf.code == 0, lauf.err
    zeilen = list(openpyxl.load_workbook(lauf.json()["datei"]).worksheets[0].iter_rows(values_only=True))
    k = next(i for i, r in enumerate(zeilen) if "Mitglied seit" in r)
    name, seit = zeilen[k].index("Nachname"), zeilen[k].index("Mitglied seit")
    eintritte = {r[name]: r[seit] for r in zeilen[k + 1 :] if r[name]}
    assert eintritte[neu_nord["Nachname"]].date() == date(2026, 4, 30)
    assert [eintritte[p["Nachname"]] for p in [*erste, neu_ost]] == [None] * 13
    assert mitglieder(*STICHTAG, "ortsvereine").code == 0

    # 3. an export with the join dates: they replace unknown and estimated ones, which is no Änderung
    alle = [*erste, neu_nord, neu_ost]
    lauf = mitglieder(
        *STICHTAG, "--json", "import", "--stand", "31.05.2026",
        hitobito(tmp_path / "c.csv", alle, mit_eintritt=True),
    )  # fmt: skip
    assert lauf.code == 0, lauf.err
    ergebnis = lauf.json()
    assert (ergebnis["eintritte"], ergebnis["aenderungen"], ergebnis["eintritt_nachgetragen"]) == (0, 0, 14)
    assert (
        "eintritt_geschaetzt" not in ergebnis and ergebnis["zuordnung"]["eintrittsdatum"] == "Eintrittsdatum"
    )
    gespeichert = _mitglieder(tmp_path)
    for p in alle:
        tag, monat, jahr = p["Eintrittsdatum"].split(".")
        assert gespeichert[p["Nachname"]] == (f"{jahr}-{monat}-{tag}", 0)
    with sqlite3.connect(tmp_path / speicher.SPEICHER_DATEI) as conn:
        # the membership periods begin on the real dates now
        assert conn.execute("SELECT count(*) FROM zugehoerigkeit WHERE von IS NULL").fetchone() == (0,)
    assert mitglieder(*STICHTAG, "--json", "segmente").json()["neu"] == 0  # all joined years ago

    # 4. and an export without the column again leaves them alone (another file than b.csv: not "imported before")
    lauf = mitglieder(
        *STICHTAG, "--json", "import", "--stand", "01.06.2026", hitobito(tmp_path / "d.csv", alle[::-1])
    )
    assert lauf.code == 0 and lauf.json()["aenderungen"] == 0, lauf.out
    assert lauf.json()["hinweise"][0] == (
        "Der Export hat kein Eintrittsdatum: gespeicherte Eintrittsdaten bleiben; wer erst in einem späteren "
        "Export auftaucht, bekommt dessen Stand als geschätzten Eintritt."
    )
    assert _mitglieder(tmp_path) == gespeichert


def test_a_dry_run_without_a_store_shows_the_missing_column(mitglieder, tmp_path):
    lauf = mitglieder(*STICHTAG, "import", "--trockenlauf", hitobito(tmp_path / "a.csv", personen(12)))
    assert lauf.code == 0, lauf.err
    zeilen = lauf.err.splitlines()
    assert "    Eintrittsdatum ← (keine Spalte: unbekannt bzw. geschätzt)" in zeilen
    assert ZEILE_ERSTER in zeilen
    assert not (tmp_path / speicher.SPEICHER_DATEI).exists()


def test_an_unnamed_date_column_is_offered_instead_of_going_without(mitglieder, tmp_path):
    """A date column nothing else took may be the join date: then the message names exactly that option."""
    leute = personen(12)
    pfad = tmp_path / "x.csv"
    with pfad.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["Vorname", "Nachname", "Geburtstag", "Hauptebene", "Datum"])
        writer.writerows(
            [
                [p["Vorname"], p["Nachname"], p["Geburtstag"], p["Hauptebene"], p["Eintrittsdatum"]]
                for p in leute
            ]
        )
    lauf = mitglieder(*STICHTAG, "import", pfad)
    assert lauf.code == 1
    assert "Pflichtspalte fehlt: Eintrittsdatum" in lauf.err
    assert "--spalte eintrittsdatum=Datum" in lauf.err
    assert mitglieder(*STICHTAG, "import", "--spalte", "eintrittsdatum=Datum", pfad).code == 0


def _mit_erstellt_am(tmp_path):
    """hitobito's people export: a date column "Erstellt am" (the record's creation), no join date."""
    pfad = tmp_path / "erstellt.csv"
    with pfad.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow([*KOPF, "Erstellt am"])
        writer.writerows([[*(p[k] for k in KOPF), p["Eintrittsdatum"]] for p in personen(12)])
    return pfad


def test_an_export_with_a_date_column_that_is_no_join_date_says_so_with_an_empty_mapping(
    mitglieder, tmp_path
):
    """hitobito with "Erstellt am": the message offers the column and, as the way out, ``--spalte eintrittsdatum=``;
    with it the file comes in without join dates and the creation dates are stored as nothing."""
    pfad = _mit_erstellt_am(tmp_path)
    lauf = mitglieder(*STICHTAG, "import", pfad)
    assert lauf.code == 1
    assert 'Zum Beispiel: --spalte eintrittsdatum="Erstellt am".' in lauf.err
    assert "Hat der Export gar kein Eintrittsdatum: --spalte eintrittsdatum= (ohne Spaltenname)" in lauf.err
    lauf = mitglieder(*STICHTAG, "import", "--spalte", "eintrittsdatum=", pfad)
    assert lauf.code == 0, lauf.err
    assert "Eintrittsdatum ← (keine Spalte: unbekannt bzw. geschätzt)" in lauf.err
    assert ZEILE_ERSTER in lauf.err.splitlines()
    assert set(_mitglieder(tmp_path).values()) == {(None, 0)}


def test_an_empty_mapping_is_only_for_the_join_date(mitglieder, tmp_path):
    """``--spalte ortsverein=`` would leave members without a branch: refused as wrong usage."""
    pfad = hitobito(tmp_path / "h.csv", personen(5))
    lauf = mitglieder(*STICHTAG, "import", "--spalte", "ortsverein=", pfad)
    assert lauf.code == 2
    assert "--spalte „ortsverein=“: bitte als ZIEL=QUELLE angeben" in lauf.err
    assert not (tmp_path / speicher.SPEICHER_DATEI).exists()


# --- the rule over many sequences of exports (hypothesis) ----------------------------------------------------


@st.composite
def folgen(draw: st.DrawFn) -> list[tuple[list[int], bool]]:
    """Up to four exports, each: which of 10 people it lists (a few at least, as a real export), whether it has the join-date column."""
    anzahl = draw(st.integers(2, 4))
    return [
        (sorted(draw(st.sets(st.integers(0, 9), min_size=4))), draw(st.booleans())) for _ in range(anzahl)
    ]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(folge=folgen())
def test_join_dates_are_unknown_estimated_or_real_by_the_exports_seen(tmp_path_factory, folge):
    from mitgliederarbeit.einlesen.importieren import importieren
    from mitgliederarbeit.ordner import Arbeitsordner

    folder = tmp_path_factory.mktemp("folge")
    leute = personen(10, ortsvereine=("Nord", "Nord", "Ost"))  # Ost may first turn up in a later export
    staende = [date(2026, 1, 31) + timedelta(days=30 * i) for i in range(len(folge))]
    erwartet: dict[str, tuple[str | None, int]] = {}
    dabei: set[str] = set()  # members after the last export
    gesehen: set[str] = set()  # Ortsvereine an earlier export had
    for i, ((wer, mit_eintritt), stand) in enumerate(zip(folge, staende)):
        datei = hitobito(
            folder / f"e{i}.csv", [leute[k] for k in wer], mit_eintritt=mit_eintritt, rolle=f"R{i}"
        )
        [ergebnis] = importieren(
            Arbeitsordner(folder, date(2026, 6, 1)), [datei], stand=stand, vollstaendig=True
        )
        geschaetzt = 0
        for k in wer:
            name = leute[k]["Nachname"]
            if mit_eintritt:
                tag, monat, jahr = leute[k]["Eintrittsdatum"].split(".")
                erwartet[name] = (f"{jahr}-{monat}-{tag}", 0)
            elif (
                name not in erwartet
            ):  # never seen: unknown in the Ortsverein's first snapshot, else estimated
                schaetzen = leute[k]["Hauptebene"] in gesehen
                erwartet[name] = (stand.isoformat(), 1) if schaetzen else (None, 0)
                geschaetzt += schaetzen
            elif name not in dabei:  # back after an exit: by this Stand at the latest
                erwartet[name] = (stand.isoformat(), 1)
        ortsvereine = {leute[k]["Hauptebene"] for k in wer}
        gesehen |= ortsvereine
        # missing from a snapshot of one's Ortsverein: left; an Ortsverein the export lacks stays as it was
        ov = {p["Nachname"]: p["Hauptebene"] for p in leute}
        dabei = {n for n in dabei if ov[n] not in ortsvereine} | {leute[k]["Nachname"] for k in wer}
        assert ergebnis.details.get("eintritt_geschaetzt", 0) == geschaetzt
        # nobody under a wrong key: one member per person, each with the dates the rule gives
        assert _mitglieder(folder) == erwartet


def test_a_corrected_error_file_belongs_to_its_export_and_estimates_nothing(mitglieder, tmp_path):
    """Rows of the first export rejected (no Ortsverein), corrected in the error file and imported again: the
    members were in the Ortsverein's first snapshot, so their join dates are unknown, not the Stand; and they get
    the key from name and birthday again, not the error file's row numbers."""
    leute = personen(8)
    for k in (2, 3, 5):
        leute[k]["Hauptebene"] = ""
    lauf = mitglieder(
        *STICHTAG, "--json", "import", "--stand", "31.03.2026", hitobito(tmp_path / "a.csv", leute)
    )
    assert lauf.code == 3 and lauf.json()["abgelehnt"] == 3
    fehlerdatei = Path(lauf.json()["fehlerdatei"])
    mappe = openpyxl.load_workbook(fehlerdatei)
    blatt = mappe["Abgelehnt"]
    kopf = [c.value for c in blatt[1]]
    for zeile in blatt.iter_rows(min_row=2):
        zeile[kopf.index("Hauptebene")].value = "Nord"
    mappe.save(fehlerdatei)
    lauf = mitglieder(*STICHTAG, "--json", "import", fehlerdatei)
    assert lauf.code == 0, lauf.err
    assert (lauf.json()["art"], lauf.json()["eintritte"], lauf.json()["eintritt_unbekannt"]) == (
        "nachtrag",
        3,
        3,
    )
    assert [_mitglieder(tmp_path)[leute[k]["Nachname"]] for k in (2, 3, 5)] == [(None, 0)] * 3
    with sqlite3.connect(tmp_path / speicher.SPEICHER_DATEI) as conn:
        # under the key from name and birthday, as the first import would have stored them: the error file's
        # row numbers ("Zeile") are no member numbers
        assert conn.execute(
            "SELECT count(*), count(*) FILTER (WHERE nr LIKE 'NG-%') FROM mitglieder"
        ).fetchone() == (
            8,
            8,
        )


def test_contacts_and_clean_up_work_with_unknown_join_dates(mitglieder, tmp_path):
    """A contact for a member whose join date is unknown is never "before the Eintritt"; members who left are
    anonymized later like any other (their unknown dates stay unknown)."""
    leute = personen(12)
    assert (
        mitglieder(*STICHTAG, "import", "--stand", "31.03.2026", hitobito(tmp_path / "a.csv", leute)).code
        == 0
    )
    with sqlite3.connect(tmp_path / speicher.SPEICHER_DATEI) as conn:
        nummer = conn.execute(
            "SELECT mitgliedsnummer FROM mitglieder WHERE nachname = ?", (leute[0]["Nachname"],)
        )
        [(nummer,)] = nummer.fetchall()
    lauf = mitglieder(*STICHTAG, "--json", "kontakt", nummer, "parteibuch", "--datum", "01.01.1990")
    assert lauf.code == 0, lauf.err
    assert (lauf.json()["erfasst"], lauf.json()["vor_eintritt"]) == (True, False)

    # two leave by the next export; years later their data are deleted
    lauf = mitglieder(*STICHTAG, "import", "--stand", "30.04.2026", hitobito(tmp_path / "b.csv", leute[2:]))
    assert lauf.code == 0, lauf.err
    lauf = mitglieder("--stichtag", "01.06.2029", "--json", "bereinigen", "--ja")
    assert lauf.code == 0, lauf.err
    assert lauf.json()["mitglieder"] == 2
    with sqlite3.connect(tmp_path / speicher.SPEICHER_DATEI) as conn:
        assert conn.execute(
            "SELECT count(*), count(eintrittsdatum), min(austrittsdatum) FROM mitglieder WHERE anonymisiert = 1"
        ).fetchone() == (2, 0, "2026-04-01")


def test_both_readers_store_the_same_without_join_dates(tmp_path):
    """The row reader and the column reader (large files) come to the same members, unknown dates and all; a row
    that goes the careful way (an impossible birthday, a duplicate key) is handled alike."""
    from mitgliederarbeit.einlesen.importieren import importieren
    from mitgliederarbeit.ordner import Arbeitsordner

    leute = personen(30)
    leute[4]["Geburtstag"] = "31.02.1980"  # no key: rejected for lack of a member number
    leute[7] = {**leute[6], "Haupt-E-Mail": "zwilling@example.org"}  # same name and birthday: both rejected
    gespeichert = []
    for leser in ("zeilen", "spalten"):
        folder = tmp_path / leser
        folder.mkdir()
        datei = hitobito(folder / "a.csv", leute)
        [ergebnis] = importieren(Arbeitsordner(folder, date(2026, 6, 1)), [datei], leser=leser)
        assert (ergebnis.uebernommen, ergebnis.abgelehnt) == (27, 3)
        with sqlite3.connect(folder / speicher.SPEICHER_DATEI) as conn:
            gespeichert.append(
                conn.execute(
                    "SELECT nr, nachname, eintrittsdatum, eintritt_geschaetzt, geburtsdatum FROM mitglieder ORDER BY nr"
                ).fetchall()
            )
    assert gespeichert[0] == gespeichert[1]
    assert {r[2:4] for r in gespeichert[0]} == {(None, 0)}


def test_a_join_date_column_without_dates_is_no_export_without_one(mitglieder, tmp_path):
    """A column named for the join date whose cells are empty or no dates: a broken export, not one without join
    dates. It is refused as before, with the reason; nothing is stored."""
    leute = personen(12)
    for inhalt, meldung in (
        ("", "Fehler: x.csv: Eintrittsdatum ist in 12 von 12 Zeilen leer (Spalte „Eintritt“)."),
        (
            "ja",
            "Fehler: x.csv: Pflichtspalte fehlt: Eintrittsdatum („Eintritt“ enthält keine Daten) (Kopfzeile",
        ),
    ):
        pfad = tmp_path / "x.csv"
        with pfad.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, delimiter=";")
            writer.writerow(["Vorname", "Nachname", "Geburtstag", "Hauptebene", "Eintritt"])
            writer.writerows(
                [[p["Vorname"], p["Nachname"], p["Geburtstag"], p["Hauptebene"], inhalt] for p in leute]
            )
        lauf = mitglieder(*STICHTAG, "import", pfad)
        assert lauf.code == 1
        assert lauf.err.splitlines()[0].startswith(meldung)
        assert not (tmp_path / speicher.SPEICHER_DATEI).exists()


def test_a_new_member_who_left_by_the_stand_joined_no_later_than_the_exit(mitglieder, tmp_path):
    """A later export without join dates lists a new member already gone (its Austritt before the Stand): the
    latest possible join day is the exit day, not the Stand, so the membership period never ends before it
    begins and the estimate is marked as one."""
    leute = personen(13)
    kopf = [*KOPF, "Austritt"]

    def datei(name: str, zeilen: list[dict[str, str]]) -> Path:
        path = tmp_path / name
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
            writer.writerow(kopf)
            writer.writerows([[{"Austritt": "", **p}[k] for k in kopf] for p in zeilen])
        return path

    lauf = mitglieder(*STICHTAG, "import", "--stand", "31.03.2026", datei("a.csv", leute[:12]))
    assert lauf.code == 0, lauf.err
    gegangen = {**leute[12], "Austritt": "15.04.2026"}
    lauf = mitglieder(*STICHTAG, "import", "--stand", "30.04.2026", datei("b.csv", [*leute[:12], gegangen]))
    assert lauf.code == 0, lauf.err
    assert _mitglieder(tmp_path)[gegangen["Nachname"]] == ("2026-04-15", 1)
    with sqlite3.connect(tmp_path / speicher.SPEICHER_DATEI) as conn:
        perioden = conn.execute(
            "SELECT z.von, z.bis FROM zugehoerigkeit z JOIN mitglieder m ON m.nr = z.nr WHERE m.nachname = ?",
            (gegangen["Nachname"],),
        ).fetchall()
        bewegungen = conn.execute(
            "SELECT b.art, b.datum FROM bewegungen b JOIN mitglieder m ON m.nr = b.nr WHERE m.nachname = ? "
            "ORDER BY b.rowid",
            (gegangen["Nachname"],),
        ).fetchall()
    assert perioden == [("2026-04-15", "2026-04-15")]
    assert bewegungen == [("eintritt", "2026-04-15"), ("austritt", "2026-04-15")]
    # back, and gone again by the next Stand: the Wiedereintritt is estimated by that Austritt too
    wieder = {**gegangen, "Austritt": "20.05.2026"}
    lauf = mitglieder(*STICHTAG, "import", "--stand", "31.05.2026", datei("c.csv", [*leute[:12], wieder]))
    assert lauf.code == 0, lauf.err
    assert _mitglieder(tmp_path)[gegangen["Nachname"]] == ("2026-05-20", 1)


def test_the_terminal_offers_no_join_date_as_a_choice(mitglieder, tmp_path, monkeypatch):
    """Asked in a terminal which column holds the join date, „keine“ is a choice too (``--spalte eintrittsdatum=``)."""
    from .test_erkennung_import import _Terminal

    pfad = _mit_erstellt_am(tmp_path)
    monkeypatch.setattr("sys.stdin", _Terminal("3\n2\n"))
    lauf = mitglieder(*STICHTAG, "import", pfad)
    assert lauf.code == 0, lauf.err
    zeilen = lauf.err.splitlines()
    frage = zeilen.index("Welche Spalte enthält Eintrittsdatum?")
    assert zeilen[frage + 1 : frage + 3] == [
        "  1) „Erstellt am“",
        "  2) keine – der Export hat kein Eintrittsdatum (wie --spalte eintrittsdatum=)",
    ]
    assert zeilen[frage + 3] == "Nummer (Enter: abbrechen): Bitte eine Zahl von 1 bis 2 eingeben."
    assert "Eintrittsdatum ← (keine Spalte: unbekannt bzw. geschätzt)" in lauf.err
    assert ZEILE_ERSTER in zeilen
    assert set(_mitglieder(tmp_path).values()) == {(None, 0)}
    # nothing to keep in mitglieder.toml: [import.spalten] names columns; the next export says it again
    assert not (tmp_path / "mitglieder.toml").exists()
    assert (
        "Gewählt: kein Eintrittsdatum. Beim nächsten Export ohne Eintrittsdatum: --spalte eintrittsdatum="
        in zeilen
    )
