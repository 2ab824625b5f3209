"""The import route against the reference (tests/referenz.py) on generated exports.

Every export is written as xlsx (typed cells) and as csv, read with each reader, normalized and applied; the
records, problems and the store must be those of the row-by-row reference.
"""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mitgliederarbeit.einlesen import abgleich, lesen
from mitgliederarbeit.einlesen import importieren as imp
from mitgliederarbeit.ordner import Arbeitsordner

from . import referenz

STICHTAG = date(2026, 12, 1)
STAND = date(2026, 11, 30)
KOPF = ["Mitgl.-Nr.", "Anrede", "Vorname", "Name", "Straße", "PLZ", "Land", "Geburtsdatum", "Eintritt",
        "Austritt", "Telefon", "E-Mail", "Ortsverein", "Geschlecht", "Sperrvermerk",
        "Telefonkontakt erwünscht", "Zusatz"]  # fmt: skip

_ZELLEN = {
    "nr": st.one_of(
        st.integers(1, 40).map(str),
        st.integers(1, 40).map(lambda i: f"{i:05d}"),
        st.integers(1, 40),
        st.sampled_from([None, "A-7", "a-7", " 12 ", "0", "00"]),
        # damaged spellings of one number, and a shortened exponent form that names no number
        st.sampled_from(["12.0", "1 2", "\u200b7", "１２", "1.2E+01", "9.3E+06", "7\u00a0", "\ufeff"]),
    ),
    "anrede": st.sampled_from([None, "Frau", "Herr", "Herrn", "Dr.", "  ", "Frau Dr."]),
    "vorname": st.sampled_from([None, "Anna", "Ben", "Jülide", "  Kim "]),
    "name": st.sampled_from([None, "Müller", "Weiß, Ole", "von Ahlen", ",", "O'Brien"]),
    "strasse": st.sampled_from(
        [None, "Lindenweg 12a", "Straße des 17. Juni 5", "Am Markt", "12", "Am Hang 3 / 4"]
    ),
    "plz": st.sampled_from([None, "01067", 1067, 4109.0, "123", "O1067", " 01067 ", True]),
    "land": st.sampled_from([None, None, "Deutschland", "Österreich", "DE"]),
    "geburt": st.one_of(
        st.dates(date(1880, 1, 1), date(2027, 1, 1)),
        st.sampled_from(
            [
                None,
                "31.02.1970",
                "1.1.70",
                "1970-01-01",
                25569,
                "gestern",
                "31.3.25",
                "0000-00-00",
                "1980-11-31",
            ]
        ),
    ),
    "eintritt": st.one_of(
        st.dates(date(1990, 1, 1), date(2027, 6, 1)),
        st.sampled_from(
            [None, "31.02.2019", "1.3.2025", "2020-05-05", datetime(2020, 1, 2, 13, 45), "x", "00.00.0000"]
        ),
    ),
    "austritt": st.one_of(
        st.none(), st.dates(date(1990, 1, 1), date(2027, 6, 1)), st.sampled_from(["kaputt", "0000-00-00"])
    ),
    "telefon": st.sampled_from(
        [
            None,
            "0351 1234567",
            "kein Telefon",
            "+43 1 5123456",
            "0049 351 1234567",
            "(0351) 123-4567",
            3511234567,
            "+49 (0)351 12345",
            "1701234567.0",
            "12",
        ]  # fmt: skip
    ),
    "email": st.sampled_from([None, "a@example.org", "kaputt@", "mit leer@example.org"]),
    "ov": st.sampled_from([None, "Altstadt", "Neustadt", " Altstadt", 12, "Am Hafen"]),
    "geschlecht": st.sampled_from([None, "w", "m", "weiblich", "x", "?", "Divers"]),
    "sperre": st.sampled_from(
        [None, "kein Telefon", "keine Post", "ja", "nein", "Kontaktsperre, keine Mail"]
    ),
    "wunsch": st.sampled_from([None, "ja", "nein", True, False, "-1", "0"]),
    "zusatz": st.sampled_from(
        [None, "Dr.", "c/o Dr. Weber", "Prof. Dr. med.", "Hinterhaus", "Dipl.-Ing. (FH)"]
    ),
}
ZEILE = st.fixed_dictionaries(_ZELLEN)


def _xlsx(pfad: Path, zeilen: list[dict]) -> Path:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(pfad), {"strings_to_numbers": False, "strings_to_formulas": False})
    ws = wb.add_worksheet("Mitglieder")
    datum = wb.add_format({"num_format": "dd.mm.yyyy"})
    ws.write_string(0, 0, f"Stand: {STAND:%d.%m.%Y}")
    ws.write_row(2, 0, KOPF)
    for r, zeile in enumerate(zeilen, start=3):
        for c, v in enumerate(zeile[k] for k in _ZELLEN):
            if v is None:
                continue
            if isinstance(v, datetime):
                ws.write_datetime(r, c, v, datum)
            elif isinstance(v, date):
                ws.write_datetime(r, c, datetime(v.year, v.month, v.day), datum)
            elif isinstance(v, bool):
                ws.write_boolean(r, c, v)
            elif isinstance(v, (int, float)):
                ws.write_number(r, c, v)
            else:
                ws.write_string(r, c, v)
    wb.close()
    return pfad


def _csv(pfad: Path, zeilen: list[dict]) -> Path:
    def text(v: object) -> str:
        if v is None:
            return ""
        if isinstance(v, datetime):
            return f"{v:%d.%m.%Y %H:%M}"
        if isinstance(v, date):
            return f"{v:%d.%m.%Y}"
        return str(v).replace(";", ",")

    lines = [f"Stand: {STAND:%d.%m.%Y};", "", ";".join(KOPF)]
    lines += [";".join(text(zeile[k]) for k in _ZELLEN) for zeile in zeilen]
    pfad.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8"))
    return pfad


def _gleich(export: imp.Export, erwartet: referenz.Normalisiert) -> None:
    assert list(export.datensaetze) == erwartet.datensaetze
    assert export.probleme == erwartet.probleme
    assert export.abgelehnte_nummern == erwartet.abgelehnte_nummern
    assert export.ortsvereine == erwartet.ortsvereine
    assert export.gelesen == erwartet.gelesen


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(ZEILE, min_size=1, max_size=25))
def test_route_gives_the_records_and_problems_of_the_reference(tmp_path_factory, zeilen):
    tmp = tmp_path_factory.mktemp("route")
    for pfad in (_xlsx(tmp / "e.xlsx", zeilen), _csv(tmp / "e.csv", zeilen)):
        erwartet = None
        for spaltenweise in (False, True):
            blatt = lesen.read_spaltenweise(pfad) if spaltenweise else lesen.read(pfad)
            if blatt is None:
                continue
            ordner = Arbeitsordner(tmp / "w", STICHTAG)
            try:
                export = imp.lese_export(blatt, config=ordner.config, stichtag=STICHTAG)
            except Exception as exc:  # "no data below the header": then for every reader
                assert erwartet is None or isinstance(erwartet, type(exc))
                erwartet = exc
                continue
            if erwartet is None:
                erwartet = referenz.normalisieren_blatt(lesen.read(pfad), export)
            _gleich(export, erwartet)


def _tabellen(folder: Path) -> dict[str, list[tuple]]:
    """Every table of the store, row by row in rowid order, without times and paths."""
    conn = sqlite3.connect(folder / "mitglieder.sqlite")
    try:
        result = {}
        for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"):
            spalten = [r[1] for r in conn.execute(f"PRAGMA table_info({name})")]
            auswahl = [s for s in spalten if s not in ("zeit", "fehlerdatei", "pfad")]
            result[name] = conn.execute(
                f"SELECT rowid, {', '.join(auswahl)} FROM {name} ORDER BY rowid"
            ).fetchall()
        return result
    finally:
        conn.close()


def _naechster(zeilen: list[dict], data: st.DataObject) -> list[dict]:
    """The next month: some members gone, some changed, some new."""
    neu = []
    for zeile in zeilen:
        x = data.draw(st.integers(0, 9))
        if x == 0:
            continue
        zeile = dict(zeile)
        if x == 1:
            zeile["ov"] = data.draw(_ZELLEN["ov"])
        elif x == 2:
            zeile["austritt"] = STAND - timedelta(days=3)
        elif x == 3:
            zeile["telefon"] = data.draw(_ZELLEN["telefon"])
        neu.append(zeile)
    return neu + data.draw(st.lists(ZEILE, max_size=5))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(ZEILE, min_size=1, max_size=20), st.data())
def test_route_leaves_the_store_of_the_reference(tmp_path_factory, monkeypatch, zeilen, data):
    tmp = tmp_path_factory.mktemp("bestand")
    zweite = _naechster(zeilen, data)
    exporte = [_xlsx(tmp / "a.xlsx", zeilen), _csv(tmp / "b.csv", zweite)]
    nachtrag = data.draw(st.booleans())

    def einspielen(ordner: Arbeitsordner) -> list[dict]:
        ergebnisse = []
        for i, pfad in enumerate(exporte):
            optionen = {"vollstaendig": True, "stand": STAND + timedelta(days=i)}
            if i == 1 and nachtrag:
                optionen["nachtraeglich"] = True
            try:
                [r] = imp.importieren(ordner, [pfad], fehler_ordner=ordner.pfad / "fehler", **optionen)
            except Exception as exc:
                ergebnisse.append({"fehler": str(exc)})
                continue
            ergebnisse.append({k: v for k, v in r.as_json().items() if k not in ("fehlerdatei", "datei")})
        return ergebnisse

    route = Arbeitsordner(tmp / "route", STICHTAG)
    a = einspielen(route)
    with monkeypatch.context() as m:
        _referenz_einsetzen(m)
        ref = Arbeitsordner(tmp / "referenz", STICHTAG)
        b = einspielen(ref)
    assert a == b
    if (ref.pfad / "mitglieder.sqlite").exists():
        assert _tabellen(route.pfad) == _tabellen(ref.pfad)


def _referenz_einsetzen(m: pytest.MonkeyPatch) -> None:
    """The reference comparison in place of the route's."""

    def anwenden(conn, export, import_id, result, *, nachtraeglich, **_):
        return referenz.anwenden(
            conn, list(export.datensaetze), export, import_id, result, nachtraeglich=nachtraeglich
        )

    m.setattr(abgleich, "_abgleichen", anwenden)
