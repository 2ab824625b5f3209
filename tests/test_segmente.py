"""Segments on a hand-made tiny store with known answers, exact to the day (Stichtag 01.09.2026)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from mitgliederarbeit.auswertung import segmente
from mitgliederarbeit.bestand import speicher
from mitgliederarbeit.errors import BedienFehler, KonfigFehler
from mitgliederarbeit.ordner import Arbeitsordner

STICHTAG = date(2026, 9, 1)


def mitglied(nr: str, eintritt: str, **felder: Any) -> dict[str, Any]:
    """An invented member as a store row (dates ISO)."""
    row = {
        "nr": nr,
        "mitgliedsnummer": nr,
        "vorname": f"Vorname{nr}",
        "nachname": f"Nachname{nr}",
        "eintrittsdatum": eintritt,
        "ortsverein": "Altstadt",
        "unterbezirk": "Musterstadt",
        "telefon": "+493511234567",
    }
    row.update(felder)
    return row


def bestand_anlegen(
    folder: Path, mitglieder: list[dict[str, Any]], kontakte: list[tuple] = (), toml: str = ""
) -> None:
    """A store with these members and contacts ``(nr, art, datum, ergebnis)``; optional mitglieder.toml."""
    folder.mkdir(parents=True, exist_ok=True)
    if toml:
        (folder / "mitglieder.toml").write_text(toml, encoding="utf-8")
    store = speicher.oeffnen(folder, anlegen=True)
    try:
        with store.transaktion(sichern=False) as conn:
            conn.execute(
                "INSERT INTO importe (art, datei, sha256, stand, zeit) VALUES ('mitglieder', 'x.csv', 'x', "
                "'2026-08-31', '2026-09-01T10:00:00')"
            )
            for m in mitglieder:
                cols = ", ".join(m)
                conn.execute(
                    f"INSERT INTO mitglieder ({cols}) VALUES ({', '.join('?' * len(m))})", list(m.values())
                )
            for i, (nr, art, datum, ergebnis) in enumerate(kontakte):
                conn.execute(
                    "INSERT INTO kontakte (nr, art, datum, ergebnis, schluessel) VALUES (?,?,?,?,?)",
                    (nr, art, datum, ergebnis, f"test-{i}"),
                )
    finally:
        store.close()


MITGLIEDER = [
    mitglied("1", "2026-03-01"),  # exactly Stichtag − 6 months: no longer new
    mitglied("2", "2026-03-02"),  # one day later: new; every step overdue
    mitglied("3", "2026-08-20"),  # new, letter sent
    mitglied("4", "2026-07-01"),  # new, reached by phone
    mitglied("5", "2026-07-01"),  # new, not reached
    mitglied("6", "2026-08-01"),  # new, attends an event after the Stichtag
    mitglied("7", "2010-09-01"),  # long-standing, nothing recorded
    mitglied("8", "2016-01-15"),  # 10 years in 2026
    mitglied("9", "2025-10-01", austrittsdatum="2026-06-01"),  # left early
    mitglied("10", "2020-01-01", austrittsdatum="2026-08-31"),  # left, not early
    mitglied(
        "11", "2015-01-01", austrittsdatum="2025-09-01"
    ),  # left exactly 12 months ago: not "ausgetreten"
    mitglied("12", "2025-09-01", austrittsdatum="2026-09-01"),  # exit day = Stichtag, after exactly 12 months
    mitglied("13", "2026-09-02"),  # joins after the Stichtag
    mitglied("14", "2020-01-01"),  # attended in January
    mitglied("15", "2020-01-01"),  # reached 13 months ago
    mitglied("16", "2026-08-09"),  # first step due on 08.09. = Stichtag + 7 days
    mitglied("17", "2026-08-10"),  # first step due on 09.09.: not yet
    mitglied("18", "2026-05-15"),  # first contact done, Parteibuch overdue
]
KONTAKTE = [
    ("3", "brief", "2026-08-21", None),
    ("4", "anruf", "2026-07-10", "erreicht"),
    ("5", "anruf", "2026-07-10", "nicht_erreicht"),
    ("6", "teilnahme", "2026-09-10", None),
    ("14", "teilnahme", "2026-01-10", None),
    ("15", "anruf", "2025-08-01", "erreicht"),
    ("18", "teilnahme", "2026-06-01", None),
]


@pytest.fixture
def klein(tmp_path) -> Arbeitsordner:
    folder = tmp_path / "klein"
    bestand_anlegen(folder, MITGLIEDER, KONTAKTE)
    return Arbeitsordner(folder, STICHTAG)


def nummern(ordner: Arbeitsordner, name: str, **kw: Any) -> list[str]:
    return sorted((m["nr"] for m in segmente.auswaehlen(ordner, name, **kw).mitglieder), key=int)


@pytest.mark.parametrize(
    ("name", "erwartet"),
    [
        ("alle", ["1", "2", "3", "4", "5", "6", "7", "8", "14", "15", "16", "17", "18"]),
        ("neu", ["2", "3", "4", "5", "6", "16", "17", "18"]),
        ("neu-ohne-brief", ["2", "4", "5", "6", "16", "17", "18"]),
        ("neu-ohne-kontakt", ["2", "3", "5", "6", "16", "17"]),
        ("faellig", ["2", "5", "6", "16", "18"]),
        ("inaktiv", ["7", "8", "15"]),
        ("ohne-kontakt", ["1", "2", "5", "6", "7", "8", "15", "16", "17"]),
        ("ausgetreten", ["9", "10", "12"]),
        ("frueh-ausgetreten", ["9", "12"]),
        ("jubilaeum", ["8"]),
    ],
)
def test_builtin_segments_exact_to_the_day(klein, name, erwartet):
    assert nummern(klein, name) == erwartet


NACHFASSEN_MITGLIEDER = [
    mitglied("1", "2026-07-01"),  # new, Pat*in assigned before the Stichtag
    mitglied("2", "2026-07-01"),  # new, Pat*in only after the Stichtag
    mitglied("3", "2020-01-01"),  # last call: wants to leave, nothing since
    mitglied("4", "2020-01-01"),  # wants to leave, then a talk on a later day: followed up
    mitglied("5", "2020-01-01"),  # wants to leave, a letter on the same day: not a follow-up
    mitglied("6", "2020-01-01"),  # callback agreed, nothing since
    mitglied("7", "2020-01-01"),  # callback agreed, then reached by a later call
    mitglied("8", "2020-01-01", austrittsdatum="2026-08-01"),  # wanted to leave and did: not current
    mitglied("9", "2020-01-01"),  # callback agreed, but the call is dated after the Stichtag
    mitglied("10", "2020-01-01"),  # not reached after the wish to leave: the last result is "nicht erreicht"
]
NACHFASSEN_KONTAKTE = [
    ("1", "pate", "2026-07-15", None),
    ("2", "pate", "2026-09-15", None),
    ("3", "anruf", "2026-08-01", "will_austreten"),
    ("4", "anruf", "2026-08-01", "will_austreten"),
    ("4", "gespraech", "2026-08-02", None),
    ("5", "anruf", "2026-08-01", "will_austreten"),
    ("5", "brief", "2026-08-01", None),
    ("6", "anruf", "2026-08-10", "rueckruf"),
    ("7", "anruf", "2026-08-10", "rueckruf"),
    ("7", "anruf", "2026-08-12", "erreicht"),
    ("8", "anruf", "2026-06-01", "will_austreten"),
    ("9", "anruf", "2026-09-05", "rueckruf"),
    ("10", "anruf", "2026-06-01", "will_austreten"),
    ("10", "anruf", "2026-06-08", "nicht_erreicht"),
]


@pytest.mark.parametrize(
    ("name", "erwartet"),
    [("ohne-pate", ["2"]), ("will-austreten", ["3", "5"]), ("rueckruf", ["6"])],
)
def test_follow_up_segments_exact(tmp_path, name, erwartet):
    folder = tmp_path / "nachfassen"
    bestand_anlegen(folder, NACHFASSEN_MITGLIEDER, NACHFASSEN_KONTAKTE)
    assert nummern(Arbeitsordner(folder, STICHTAG), name) == erwartet


def test_neu_boundary_moves_with_the_stichtag(klein):
    klein.stichtag = date(2026, 9, 2)  # now member 2 joined exactly 6 months ago
    assert "2" not in nummern(klein, "neu")
    klein.stichtag = date(2026, 8, 31)
    assert "1" in nummern(klein, "neu")  # 01.03. > 28.02. (31.08. − 6 months, clamped)


def test_faellig_names_the_earliest_open_step(klein):
    by_nr = {m["nr"]: m for m in segmente.auswaehlen(klein, "faellig").mitglieder}
    assert by_nr["2"]["faelliger_schritt"] == "Erstkontakt (Monat 1)"
    assert by_nr["2"]["faellig_am"] == date(2026, 4, 1)
    assert by_nr["2"]["faellige_schritte"] == [
        "Erstkontakt (Monat 1)",
        "Parteibuch (Monat 3)",
        "Zweitkontakt (Monat 6)",
    ]
    assert by_nr["16"]["faellig_am"] == date(2026, 9, 8)
    assert by_nr["18"]["faelliger_schritt"] == "Parteibuch (Monat 3)"
    assert by_nr["18"]["faellig_am"] == date(2026, 8, 14)
    # member 4 was reached in July: the first step is done, the Parteibuch is due only on 30.09.
    assert "4" not in by_nr


def test_faellig_follows_a_custom_standard(tmp_path):
    toml = """
[[standard.schritte]]
name = "Willkommensbrief"
arten = ["brief"]
frist_tage = 7
[[standard.schritte]]
name = "Zwei Anrufe"
arten = ["anruf"]
frist_tage = 14
anzahl = 2
"""
    folder = tmp_path / "std"
    bestand_anlegen(
        folder,
        [mitglied("1", "2026-08-01"), mitglied("2", "2026-08-01"), mitglied("3", "2026-08-30")],
        [("1", "brief", "2026-08-02", None), ("1", "anruf", "2026-08-03", "nicht_erreicht")],
        toml,
    )
    ordner = Arbeitsordner(folder, STICHTAG)
    by_nr = {m["nr"]: m for m in segmente.auswaehlen(ordner, "faellig").mitglieder}
    assert by_nr["1"]["faelliger_schritt"] == "Zwei Anrufe"  # one call is not two
    assert by_nr["2"]["faelliger_schritt"] == "Willkommensbrief"
    assert by_nr["3"]["faelliger_schritt"] == "Willkommensbrief"  # due 06.09., within 7 days


def test_contacts_after_the_stichtag_do_not_count(klein):
    assert "6" in nummern(klein, "neu-ohne-kontakt")
    klein.stichtag = date(2026, 9, 10)
    assert "6" not in nummern(klein, "neu-ohne-kontakt")


def test_inaktiv_warns_and_stays_empty_without_activity_data(tmp_path):
    folder = tmp_path / "ohne"
    bestand_anlegen(folder, [mitglied("1", "2010-01-01"), mitglied("2", "2026-08-01")], [])
    ordner = Arbeitsordner(folder, STICHTAG)
    result = segmente.auswaehlen(ordner, "inaktiv")
    assert result.mitglieder == []
    assert result.warnungen == [segmente.SegmentWarnung.INAKTIV_OHNE_AKTIVITAET]
    zaehlung = segmente.zaehlen(ordner)
    assert zaehlung["inaktiv"] == 0
    assert zaehlung.warnungen == [
        segmente.SegmentWarnung.INAKTIV_OHNE_AKTIVITAET,
        segmente.SegmentWarnung.OHNE_KONTAKTE_ERFASST,
    ]


def test_versuche_count_calls_since_the_last_reached_call(tmp_path):
    folder = tmp_path / "v"
    bestand_anlegen(
        folder,
        [mitglied("1", "2026-05-01")],
        [
            ("1", "anruf", "2026-05-10", "nicht_erreicht"),
            ("1", "anruf", "2026-05-20", "erreicht"),
            ("1", "anruf", "2026-08-01", "nicht_erreicht"),
            ("1", "anruf", "2026-08-10", "rueckruf"),
            ("1", "anruf", "2026-09-05", "nicht_erreicht"),  # after the Stichtag
        ],
    )
    m = segmente.auswaehlen(Arbeitsordner(folder, STICHTAG), "alle").mitglieder[0]
    assert (m["versuche"], m["letzter_anruf"]) == (2, date(2026, 8, 10))


CUSTOM = """
[segmente.eigene.junge-neue]
basis = "neu"
beschreibung = "Neumitglieder unter 35 mit Telefon"
alter_bis = 34
mit_telefon = true

[segmente.eigene.wahlkampf-altstadt]
basis = "alle"
ortsverein = ["altstadt"]
interessen = ["Wahlkampf"]

[segmente.eigene.frauen-2026]
basis = "alle"
geschlecht = ["w"]
eintritt_von = "01.01.2026"
eintritt_bis = "31.08.2026"
mit_email = true
mit_anschrift = true

[segmente.eigene.ub-sued]
basis = "junge-neue"
unterbezirk = ["Süd"]
alter_von = 30
"""


@pytest.fixture
def eigen(tmp_path) -> Arbeitsordner:
    folder = tmp_path / "eigen"
    anschrift = {"strasse": "Lindenweg", "hausnummer": "1", "plz": "01067", "ort": "Musterstadt"}
    bestand_anlegen(
        folder,
        [
            mitglied("1", "2026-08-01", geburtsdatum="1996-09-01"),  # turns 30 on the Stichtag
            mitglied("2", "2026-08-01", geburtsdatum="1991-09-02"),  # 34 until tomorrow
            mitglied("3", "2026-08-01", geburtsdatum="1991-09-01", unterbezirk="Süd"),  # 35 today
            mitglied("4", "2026-08-01", geburtsdatum="2000-01-01", telefon=None),  # no phone
            mitglied("5", "2026-08-01", geburtsdatum="2000-01-01", telefon_falsch=1),  # only a wrong phone
            mitglied("6", "2026-08-01", unterbezirk="Süd", geburtsdatum="1995-01-01"),  # 31, Süd
            mitglied("7", "2015-01-01", interessen="Umwelt, Wahlkampf Haustür"),
            mitglied("8", "2015-01-01", interessen="Wahlkampf", ortsverein="Neustadt"),
            mitglied("9", "2026-01-01", geschlecht="w", email="a@example.org", **anschrift),
            mitglied("10", "2025-12-31", geschlecht="w", email="b@example.org", **anschrift),
            mitglied("11", "2026-02-01", geschlecht="w", **anschrift),  # no e-mail
            mitglied("12", "2026-02-01", geschlecht="m", email="c@example.org", **anschrift),
        ],
        [],
        CUSTOM,
    )
    return Arbeitsordner(folder, STICHTAG)


def test_custom_segments(eigen):
    assert segmente.namen(eigen.config)[-4:] == ["junge-neue", "wahlkampf-altstadt", "frauen-2026", "ub-sued"]
    assert nummern(eigen, "junge-neue") == ["1", "2", "6"]
    assert nummern(eigen, "wahlkampf-altstadt") == ["7"]
    assert nummern(eigen, "frauen-2026") == ["9"]
    assert nummern(eigen, "ub-sued") == ["6"]
    assert segmente.beschreibung("junge-neue", eigen.config) == "Neumitglieder unter 35 mit Telefon"
    assert segmente.beschreibung("ub-sued", eigen.config) == "eigenes Segment (Basis: junge-neue)"
    assert segmente.zaehlen(eigen)["wahlkampf-altstadt"] == 1


def test_custom_segment_with_unknown_ortsverein_names_the_key(tmp_path):
    folder = tmp_path / "falsch"
    toml = '[segmente.eigene.x]\nbasis = "alle"\nortsverein = ["Altstat"]\n'
    bestand_anlegen(folder, [mitglied("1", "2020-01-01")], [], toml)
    with pytest.raises(KonfigFehler) as exc:
        segmente.auswaehlen(Arbeitsordner(folder, STICHTAG), "x")
    assert exc.value.message == (
        "segmente.eigene.x: den Ortsverein „Altstat“ gibt es im Datenbestand nicht. Meinten Sie „Altstadt“?"
    )


def test_unknown_segment_and_ortsverein_are_usage_errors(klein):
    with pytest.raises(BedienFehler) as exc:
        segmente.auswaehlen(klein, "neu-ohne-kontakte")
    assert (
        exc.value.message == "Das Segment „neu-ohne-kontakte“ gibt es nicht. Meinten Sie „neu-ohne-kontakt“?"
    )
    assert "Vorhandene Segmente: alle, neu, neu-ohne-brief" in exc.value.hint
    with pytest.raises(BedienFehler) as exc:
        segmente.auswaehlen(klein, "neu", ortsverein=["Altstad"])
    assert exc.value.message == (
        "--ortsverein: den Ortsverein „Altstad“ gibt es im Datenbestand nicht. Meinten Sie „Altstadt“?"
    )


def test_zaehlen_per_ortsverein(tmp_path):
    folder = tmp_path / "ov"
    bestand_anlegen(
        folder,
        [
            mitglied("1", "2026-08-01"),
            mitglied("2", "2020-01-01", ortsverein="Neustadt"),
            mitglied("3", "2026-07-01"),
        ],
    )
    ordner = Arbeitsordner(folder, STICHTAG)
    assert segmente.zaehlen(ordner)["neu"] == 2
    je = segmente.zaehlen(ordner, je_ortsverein=True)
    assert je["alle"] == {"Altstadt": 2, "Neustadt": 1}
    assert je["neu"] == {"Altstadt": 2, "Neustadt": 0}
    nur = segmente.zaehlen(ordner, ortsverein=["neustadt"])
    assert nur["alle"] == {"Neustadt": 1}
    assert nummern(ordner, "alle", ortsverein=["Neustadt"]) == ["2"]


def test_beispielbestand_counts(beispielbestand):
    zaehlung = segmente.zaehlen(beispielbestand)
    assert list(zaehlung) == list(segmente.SEGMENTE)
    assert zaehlung["alle"] == 1525
    assert zaehlung["ausgetreten"] == 35
    assert zaehlung["frueh-ausgetreten"] == 6
    assert zaehlung["neu"] == zaehlung["neu-ohne-kontakt"] == zaehlung["neu-ohne-brief"]
    assert zaehlung["inaktiv"] == 0 and len(zaehlung.warnungen) == 2


def test_export_xlsx_and_csv_are_logged_and_never_overwritten(klein, tmp_path):
    result = segmente.auswaehlen(klein, "faellig")
    path = segmente.exportieren(result, tmp_path / "faellig.xlsx")
    ws = openpyxl.load_workbook(path)["faellig"]
    kopf = [c.value for c in ws[1]]
    assert kopf[:8] == [
        "Mitgliedsnummer",
        "Anrede",
        "Titel",
        "Vorname",
        "Nachname",
        "Ortsverein",
        "Mitglied seit",
        "Alter",
    ]
    assert kopf[-2:] == ["Fälliger Schritt", "Fällig am"]
    assert "Geburtsdatum" not in kopf
    assert ws.max_row == 1 + result.anzahl
    assert ws.freeze_panes == "A2"
    csv_path = segmente.exportieren(result, tmp_path / "faellig.csv")
    assert csv_path.read_text(encoding="utf-8-sig").splitlines()[0].startswith("Mitgliedsnummer;Anrede;")
    with pytest.raises(BedienFehler, match="gibt es schon und wird nicht überschrieben"):
        segmente.exportieren(result, tmp_path / "faellig.xlsx")
    with pytest.raises(BedienFehler, match=r"bitte als \.xlsx oder \.csv speichern"):
        segmente.exportieren(result, tmp_path / "faellig.pdf")
    store = speicher.oeffnen(klein.pfad)
    try:
        rows = store.conn.execute(
            "SELECT befehl, segment, anzahl, pfad FROM protokoll ORDER BY id"
        ).fetchall()
    finally:
        store.close()
    assert [tuple(r) for r in rows] == [
        ("segmente", "faellig", 5, str(tmp_path / "faellig.xlsx")),
        ("segmente", "faellig", 5, str(tmp_path / "faellig.csv")),
    ]


def test_segment_export_is_refused_as_member_export(beispielbestand, tmp_path):
    from mitgliederarbeit.einlesen.importieren import importieren
    from mitgliederarbeit.errors import EingabeFehler

    path = segmente.exportieren(
        segmente.auswaehlen(beispielbestand, "neu", ortsverein=["Altstadt"]), tmp_path / "n.xlsx"
    )
    with pytest.raises(EingabeFehler, match="ist ein Segment-Export"):
        importieren(beispielbestand, [path])


# --- CLI ---------------------------------------------------------------------------------------------------------


def test_cli_overview_json_is_segment_to_count(mitglieder, klein):
    run = mitglieder("--ordner", klein.pfad, "--stichtag", "01.09.2026", "--json", "segmente")
    assert run.code == 0
    assert run.json() == {
        "alle": 13,
        "neu": 8,
        "neu-ohne-brief": 7,
        "neu-ohne-kontakt": 6,
        "faellig": 5,
        "inaktiv": 3,
        "ohne-kontakt": 9,
        "ausgetreten": 3,
        "frueh-ausgetreten": 2,
        "jubilaeum": 1,
        "ohne-pate": 8,
        "will-austreten": 0,
        "rueckruf": 0,
    }


def test_cli_overview_per_ortsverein(mitglieder, klein):
    run = mitglieder(
        "--ordner", klein.pfad, "--stichtag", "01.09.2026", "--json", "segmente", "--je-ortsverein"
    )
    assert run.code == 0
    assert run.json()["neu"] == {"Altstadt": 8}
    run = mitglieder(
        "--ordner", klein.pfad, "--stichtag", "01.09.2026", "segmente", "--ortsverein", "Altstadt"
    )
    assert run.code == 0
    assert "Altstadt" in run.out and "frueh-ausgetreten" in run.out


def test_cli_named_segment_table_and_summary(mitglieder, klein):
    run = mitglieder("--ordner", klein.pfad, "--stichtag", "01.09.2026", "segmente", "faellig")
    assert run.code == 0
    assert run.err.splitlines()[-1] == (
        "Segment „faellig“ am 01.09.2026: 5 Mitglieder (neu, ein Schritt des Einarbeitungs-Standards ist in 7 "
        "Tagen fällig oder überfällig)."
    )
    assert "│ 18 " in run.out and "│ 16 " in run.out


def test_cli_named_segment_json(mitglieder, klein):
    run = mitglieder("--ordner", klein.pfad, "--stichtag", "01.09.2026", "--json", "segmente", "jubilaeum")
    assert run.code == 0
    data = run.json()
    assert (data["segment"], data["anzahl"]) == ("jubilaeum", 1)
    assert data["mitglieder"][0]["mitgliedsnummer"] == "8" and data["mitglieder"][0]["jubilaeum"] == 10
    assert "strasse" not in data["mitglieder"][0] and "geburtsdatum" not in data["mitglieder"][0]


def test_cli_export_and_refusal(mitglieder, klein, tmp_path):
    target = tmp_path / "alle.xlsx"
    run = mitglieder(
        "--ordner", klein.pfad, "--stichtag", "01.09.2026", "segmente", "alle", "--export", target
    )
    assert run.code == 0
    assert run.err.splitlines()[:2] == [
        "Segment „alle“ am 01.09.2026: 13 Mitglieder (alle aktuellen Mitglieder).",
        f"Exportiert: {target}",
    ]
    run = mitglieder(
        "--ordner", klein.pfad, "--stichtag", "01.09.2026", "segmente", "alle", "--export", target
    )
    assert run.code == 2
    assert run.err.splitlines()[:2] == [
        f"Fehler: {target} gibt es schon und wird nicht überschrieben.",
        "Zum Ersetzen --ueberschreiben angeben; ohne Dateinamen wählt --export einen freien Namen unter ausgabe/.",
    ]
    vorher = target.stat().st_mtime_ns
    run = mitglieder(*am_stichtag(klein), "segmente", "neu", "--export", target, "--ueberschreiben")
    assert run.code == 0
    assert run.err.splitlines()[1] == f"Exportiert: {target}"
    assert target.stat().st_mtime_ns >= vorher
    assert openpyxl.load_workbook(target).sheetnames[0] == "neu"


def am_stichtag(ordner: Arbeitsordner) -> tuple[object, ...]:
    return ("--ordner", ordner.pfad, "--stichtag", "01.09.2026")


def test_cli_export_without_a_name_picks_a_dated_free_name(mitglieder, klein):
    ausgabe = klein.pfad / "ausgabe"
    erster = ausgabe / "segment-neu-2026-09-01.xlsx"
    zweiter = ausgabe / "segment-neu-2026-09-01-2.xlsx"
    run = mitglieder(*am_stichtag(klein), "segmente", "neu", "--export")
    assert run.code == 0
    assert run.err.splitlines()[:2] == [
        "Segment „neu“ am 01.09.2026: 8 Mitglieder (Eintritt in den letzten 6 Monaten).",
        f"Exportiert: {erster}",
    ]
    # the monthly script's second run: a new name, no error
    run = mitglieder(*am_stichtag(klein), "segmente", "neu", "--export", "--ortsverein", "Altstadt")
    assert run.code == 0
    assert run.err.splitlines()[1] == f"Exportiert: {zweiter}"
    assert erster.stat().st_mode & 0o777 == 0o600
    assert openpyxl.load_workbook(zweiter)["neu"].max_row == 1 + 8
    run = mitglieder(
        "--ordner", klein.pfad, "--stichtag", "01.09.2026", "--json", "segmente", "neu", "--ausgabe"
    )
    assert run.code == 0
    assert run.json()["datei"] == str(ausgabe / "segment-neu-2026-09-01-3.xlsx")


def test_cli_unknown_segment_and_ortsverein(mitglieder, klein):
    run = mitglieder("--ordner", klein.pfad, "segmente", "neuu")
    assert run.code == 2
    assert run.err.splitlines()[0] == "Fehler: Das Segment „neuu“ gibt es nicht. Meinten Sie „neu“?"
    run = mitglieder("--ordner", klein.pfad, "segmente", "--ortsverein", "Altstat")
    assert run.code == 2
    assert run.err.splitlines()[0] == (
        "Fehler: --ortsverein: den Ortsverein „Altstat“ gibt es im Datenbestand nicht. Meinten Sie „Altstadt“?"
    )
    assert "Traceback" not in run.err


def test_cli_inaktiv_warning(mitglieder, tmp_path):
    folder = tmp_path / "leer"
    bestand_anlegen(folder, [mitglied("1", "2010-01-01")])
    run = mitglieder("--ordner", folder, "--stichtag", "01.09.2026", "segmente", "inaktiv")
    assert run.code == 0
    assert run.err.startswith("„inaktiv“ lässt sich noch nicht bestimmen")
    assert "Segment „inaktiv“ am 01.09.2026: 0 Mitglieder" in run.err
    run = mitglieder("--ordner", folder, "--stichtag", "01.09.2026", "--json", "segmente", "ohne-kontakt")
    assert run.code == 0
    assert list(run.json()) == ["segment", "anzahl", "stichtag", "warnungen", "abdeckung", "mitglieder"]
    assert run.json()["abdeckung"]["text"] == "Kontakte: noch nichts erfasst."
    assert run.json()["warnungen"] == [
        "Es wurden noch keine Kontakte erfasst (Briefe, Anrufe, Teilnahmen) – deshalb gilt hier jedes "
        "Mitglied als „ohne Kontakt“."
    ]
    run = mitglieder("--ordner", folder, "--stichtag", "01.09.2026", "segmente")
    assert run.err.splitlines()[:2] == [
        "„inaktiv“ lässt sich noch nicht bestimmen: es wurden noch keine Teilnahme- oder Anruflisten importiert. "
        "Ohne diese Daten wäre jedes Mitglied „inaktiv“ – das Segment bleibt daher leer. Bitte zuerst "
        "Teilnahmelisten oder ausgefüllte Anruflisten importieren (mitglieder import).",
        "Es wurden noch keine Kontakte erfasst (Briefe, Anrufe, Teilnahmen) – deshalb gilt hier jedes Mitglied als "
        "„ohne Kontakt“.",
    ]


def test_core_does_not_load_terminal_libraries():
    import subprocess
    import sys

    code = (
        "import sys, mitgliederarbeit.auswertung.segmente, mitgliederarbeit.ausgaben.anrufliste, mitgliederarbeit.einlesen.anrufliste, mitgliederarbeit.einlesen.teilnahme;"
        "print(any(m.split('.')[0] in ('typer', 'rich', 'pandas') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


@pytest.mark.parametrize(
    ("args", "erwartet"),
    [
        (["segmente", "neu", "--export"], ["segmente", "neu", "--export", ""]),
        (
            ["segmente", "neu", "--ausgabe", "--ueberschreiben"],
            ["segmente", "neu", "--ausgabe", "", "--ueberschreiben"],
        ),
        (["--stichtag", "01.09.2026", "segmente", "neu", "--export", "x.xlsx"], None),
        # another command, even with a folder called "segmente": its options keep their own rules
        (["--ordner", "segmente", "anrufliste", "--ausgabe"], None),
        (["anrufliste", "--segment", "neu", "--ausgabe"], None),
    ],
)
def test_export_without_a_name_only_for_segmente(args, erwartet):
    from mitgliederarbeit.cli.befehle import _export_ohne_namen

    assert _export_ohne_namen(args) == (args if erwartet is None else erwartet)


def test_cli_segmente_loads_no_heavy_library(klein):
    """Counting and listing on a small folder: start-up is most of the time, so nothing heavy is imported."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from mitgliederarbeit.cli import start\n"
        "for args in (['segmente'], ['segmente', 'faellig']):\n"
        f"    sys.argv = ['mitglieder', '--ordner', {str(klein.pfad)!r}, '--stichtag', '01.09.2026', *args]\n"
        "    try:\n"
        "        start.main()\n"
        "    except SystemExit as e:\n"
        "        assert not e.code, e.code\n"
        "schwer = ('pandas', 'polars', 'numpy', 'openpyxl', 'xlsxwriter', 'matplotlib', 'pydantic')\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & set(schwer)))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "Segmente am 01.09.2026" in run.stdout and "│ 18 " in run.stdout  # both ran
    assert run.stdout.strip().splitlines()[-1] == "[]"


def test_the_terminal_shows_200_members_and_says_where_the_rest_is(tmp_path, mitglieder):
    """A segment of thousands is no terminal table: 200 rows, then how many more and how to get them all."""
    from .test_import import member, write_csv

    export = write_csv(
        tmp_path / "m.csv", [member(str(n), f"N{n:03d}") for n in range(1, 231)], stand="28.08.2026"
    )
    assert mitglieder("--stichtag", "01.09.2026", "import", export).code == 0
    lauf = mitglieder("--stichtag", "01.09.2026", "segmente", "alle")
    assert lauf.code == 0
    zeilen = [z for z in lauf.out.splitlines() if z.startswith("│") and z[1:].strip()[:1].isdigit()]
    assert len(zeilen) == 200
    assert "… und 30 weitere – alle mit --export DATEI (xlsx oder csv) oder --json." in lauf.err.splitlines()
    voll = mitglieder("--stichtag", "01.09.2026", "--json", "segmente", "alle").json()
    assert len(voll["mitglieder"]) == 230


# More members than the terminal shows: names whose order needs case folding (ß, umlauts, case), members
# without a Vorname or Nachname, every tenth with a jubilee; late in the order (Ortsverein „Zentrum“) the only
# member with a due step and the only one with calls: the table's columns follow them although they are not shown.
_NAMEN = [
    "Straße",
    "STRASSE",
    "strasse",
    "Öztürk",
    "Oz",
    "Zander",
    "Émile",
    "ångström",
    "Abel",
    "abel",
    "",
    None,
]
_VIELE = [
    mitglied(
        str(1000 + i),
        "2016-01-15" if i % 10 == 0 else "2018-03-01",
        ortsverein=("Altstadt", "altstadt", "Neustadt")[i % 3],
        nachname=_NAMEN[i % len(_NAMEN)],
        vorname=(None, "Ida", "ida", "Jörg")[i % 4],
    )
    for i in range(226)
] + [
    mitglied("2001", "2026-03-02", ortsverein="Zentrum", nachname="Zuletzt"),  # new, every step overdue
    mitglied("2002", "2016-01-15", ortsverein="Zentrum", nachname="Zuletzt"),  # 10 years: a jubilee
    mitglied("2003", "2018-03-01", ortsverein="Zentrum", nachname="Zuletzt"),  # called twice, never reached
]
_VIELE_KONTAKTE = [
    ("2003", "anruf", "2026-05-01", "nicht_erreicht"),
    ("2003", "anruf", "2026-06-01", "nicht_erreicht"),
]


@pytest.fixture
def viele(tmp_path) -> Arbeitsordner:
    folder = tmp_path / "viele"
    bestand_anlegen(folder, _VIELE, _VIELE_KONTAKTE)
    return Arbeitsordner(folder, STICHTAG)


@pytest.mark.parametrize("name", ["alle", "inaktiv", "ohne-kontakt"])
def test_the_first_members_alone_are_the_first_of_all(viele, name):
    """Only the first members, sorted and cut in SQL: the same rows in the same order as the head of the full
    listing (the order of Python's case folding), the same count, and the columns the full listing would show."""
    voll = segmente.auswaehlen(viele, name)
    assert voll.anzahl > 200
    for erste in (1, 7, 200, voll.anzahl - 1, voll.anzahl, voll.anzahl + 5):
        kopf = segmente.auswaehlen(viele, name, erste=erste)
        assert kopf.mitglieder == voll.mitglieder[:erste]
        assert kopf.anzahl == voll.anzahl
        for feld in ("faelliger_schritt", "jubilaeum", "austrittsdatum", "versuche"):
            assert kopf.hat(feld) == voll.hat(feld), (erste, feld)
    # the rows with a due step or calls are the last: the first 200 alone do not have them
    assert not any(m["versuche"] or m["faelliger_schritt"] for m in voll.mitglieder[:200])
    assert voll.hat("versuche") and voll.hat("faelliger_schritt") == (name != "inaktiv")
    assert any(m["jubilaeum"] for m in voll.mitglieder[:200])
    with pytest.raises(ValueError):
        segmente.auswaehlen(viele, name, erste=200).as_json()


@pytest.mark.parametrize("name", ["alle", "inaktiv"])
def test_the_terminal_listing_is_the_head_of_the_full_one(viele, mitglieder, capsys, name):
    """The terminal's 200 rows are the first 200 of --json, in its order; „… weitere“ counts the rest; and the
    output is what the full listing printed: in „alle“ a due step beyond the 200 takes the table's extra column
    (empty in the rows shown, so left out), not the jubilees among them."""
    from mitgliederarbeit.cli import darstellung

    voll = mitglieder("--ordner", viele.pfad, "--stichtag", "01.09.2026", "--json", "segmente", name).json()
    lauf = mitglieder("--ordner", viele.pfad, "--stichtag", "01.09.2026", "segmente", name)
    assert lauf.code == 0
    tabelle = [z.split("│") for z in lauf.out.splitlines() if z.startswith("│")]
    gezeigt = [z[1].strip() for z in tabelle if z[1].strip()]  # a wrapped row continues with an empty number
    assert gezeigt == [m["mitgliedsnummer"] for m in voll["mitglieder"][:200]]
    assert f"… und {voll['anzahl'] - 200} weitere – alle mit --export DATEI (xlsx oder csv) oder --json." in (
        lauf.err.splitlines()
    )
    darstellung.segment(segmente.auswaehlen(viele, name), None)  # every member read, as before
    alt = capsys.readouterr()
    assert (lauf.out, lauf.err) == (alt.out, alt.err)
    assert ("Jahre" in lauf.out) == (name == "inaktiv")


def test_the_terminal_builds_rows_only_for_the_members_it_shows(viele, mitglieder, monkeypatch):
    """Of a segment larger than the terminal shows only the shown members' rows are built (and one more, to know
    that there are more); --json builds every row."""
    from mitgliederarbeit.auswertung import segmentzaehlung

    gebaut = []
    faellig = segmentzaehlung._faellig  # called once for every member's row built

    def zaehlen(m, offen, g):
        gebaut.append(m["nr"])
        faellig(m, offen, g)

    monkeypatch.setattr(segmentzaehlung, "_faellig", zaehlen)
    assert mitglieder("--ordner", viele.pfad, "--stichtag", "01.09.2026", "segmente", "alle").code == 0
    assert 200 <= len(gebaut) <= 201
    gebaut.clear()
    voll = mitglieder("--ordner", viele.pfad, "--stichtag", "01.09.2026", "--json", "segmente", "alle").json()
    assert len(gebaut) == voll["anzahl"] == len(_VIELE)


def test_export_keeps_the_country_of_members_abroad(mitglieder, tmp_path):
    """A chair's member list (and a mail merge from it) needs the country of an address abroad."""
    from .test_import import HEADER, write_csv

    export = write_csv(
        tmp_path / "export.csv",
        [
            ["1", "Erika", "Muster", "01.01.2020", "Altstadt", "", "Lindenweg 1", "01067", "Dresden", ""],
            [
                "2",
                "Lars",
                "Beispiel",
                "01.01.2021",
                "Altstadt",
                "",
                "Bahnhofstr. 10",
                "8001",
                "Zürich",
                "Schweiz",
            ],
        ],
        stand="31.08.2026",
        header=[*HEADER, "Land"],
    )
    ordner = tmp_path / "arbeit"
    assert mitglieder("--ordner", ordner, "import", export).code == 0
    for endung in ("xlsx", "csv"):
        ziel = tmp_path / f"alle.{endung}"
        lauf = mitglieder(
            "--ordner", ordner, "--stichtag", "01.09.2026", "segmente", "alle", "--export", ziel
        )
        assert lauf.code == 0, lauf.err
        if endung == "xlsx":
            zeilen = [[c.value for c in r] for r in openpyxl.load_workbook(ziel).worksheets[0].iter_rows()]
        else:
            zeilen = [z.split(";") for z in ziel.read_text(encoding="utf-8-sig").splitlines()]
        kopf = zeilen[0]
        assert kopf[kopf.index("PLZ") : kopf.index("PLZ") + 3] == ["PLZ", "Ort", "Land"]
        land = {z[0]: z[kopf.index("Land")] for z in zeilen[1:]}
        assert land["2"] == "Schweiz" and land["1"] in ("", None)
    # the README lists the columns in their order
    from .conftest import ROOT

    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    absatz = readme[readme.index("Spalten der Datei von `--export`") :].split("Jubiläum (Jahre).")[0]
    absatz = re.sub(r" \([^)]*\)", "", absatz.split(": ", 1)[1].split("; bei")[0])
    assert absatz.split(", ") == kopf


def test_cli_export_with_a_password_is_protected_and_a_csv_cannot_be(mitglieder, klein, tmp_path):
    import io

    import msoffcrypto
    import openpyxl

    o = ("--ordner", klein.pfad, "--stichtag", "01.09.2026", "segmente", "alle")
    ziel = tmp_path / "alle.xlsx"
    run = mitglieder(*o, "--export", ziel, "--passwort", "Segment-2026")
    assert run.code == 0, run.err
    with ziel.open("rb") as f:
        office = msoffcrypto.OfficeFile(f)
        assert office.is_encrypted()
        office.load_key(password="Segment-2026")
        klar = io.BytesIO()
        office.decrypt(klar)
    zeilen = list(openpyxl.load_workbook(klar).worksheets[0].iter_rows(values_only=True))
    assert zeilen[0][0] == "Mitgliedsnummer" and len(zeilen) > 1
    assert sorted(p.name for p in tmp_path.glob("*alle*")) == ["alle.xlsx"]  # no plain copy beside it
    run = mitglieder(*o, "--export", tmp_path / "alle.csv", "--passwort", "Segment-2026")
    assert run.code == 2 and "CSV-Datei kann kein Kennwort tragen" in run.err
    assert not (tmp_path / "alle.csv").exists()
    assert mitglieder(*o, "--export", tmp_path / "b.xlsx", "--passwort", "kurz").code == 2
    assert mitglieder(*o, "--passwort-abfragen").code == 2
