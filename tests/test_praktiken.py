"""The practices survey: write the sheet, fill it like a person would (openpyxl), read it back."""

from __future__ import annotations

from datetime import date

import openpyxl
import pytest

from mitgliederarbeit.auswertung import praktiken
from mitgliederarbeit.auswertung.kennzahlen import Anteil, Werte
from mitgliederarbeit.errors import EingabeFehler

ORTSVEREINE = [("Altstadt", "Musterstadt"), ("Am Hafen", "Musterstadt"), ("Mühlental", None)]


@pytest.fixture
def vorlage(tmp_path):
    path = tmp_path / "umfrage.xlsx"
    praktiken.vorlage_schreiben(path, ORTSVEREINE, stichtag=date(2026, 9, 1), anruf_frist=14)
    return path


def ausfuellen(path, werte: dict[str, object], ziel):
    """Fill cells by address ({"C2": "ja", ...}) and save under ``ziel``."""
    wb = openpyxl.load_workbook(path)
    ws = wb["Praktiken"]
    for zelle, wert in werte.items():
        ws[zelle] = wert
    wb.save(ziel)
    return ziel


def test_vorlage_hat_zeile_je_ortsverein_auswahllisten_und_verstecktes_metablatt(vorlage):
    wb = openpyxl.load_workbook(vorlage)
    assert wb.sheetnames == ["Praktiken", "Hinweise", "_mitgliederarbeit"]
    assert wb["_mitgliederarbeit"].sheet_state == "hidden"
    meta = {row[0].value: row[1].value for row in wb["_mitgliederarbeit"].iter_rows()}
    assert meta["art"] == "praktiken" and meta["anruf_tage"] == "14"
    ws = wb["Praktiken"]
    kopf = [c.value for c in ws[1]]
    assert kopf[:2] == ["Ortsverein", "Unterbezirk"] and kopf[-1] == "Bemerkung"
    assert "Anruf innerhalb von 14 Tagen" in kopf
    assert len(kopf) == 2 + 9 + 1
    assert [ws.cell(r, 1).value for r in range(2, 5)] == ["Altstadt", "Am Hafen", "Mühlental"]
    listen = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert len(listen) == 9
    assert all(dv.formula1 == '"ja,nein"' for dv in listen)


def test_rundreise_vorlage_ausfuellen_lesen(vorlage, tmp_path):
    ziel = ausfuellen(
        vorlage,
        {
            "C2": "ja",
            "D2": "nein",
            "E2": "JA",
            "F2": "Nein ",
            "L2": "Anna Beispiel ruft alle an",
            "C3": "nein",
            "D3": True,
            "C4": "ja",
        },
        tmp_path / "voll.xlsx",
    )
    erhebung = praktiken.lesen(ziel, [ov for ov, _ in ORTSVEREINE])
    assert erhebung.probleme == []
    assert [p.schluessel for p in erhebung.praktiken][:4] == [
        "ansprechperson",
        "willkommensbrief",
        "willkommensanruf",
        "anruf_frist",
    ]
    alt = erhebung.antworten["Altstadt"]
    assert (alt["ansprechperson"], alt["willkommensbrief"], alt["willkommensanruf"], alt["anruf_frist"]) == (
        True,
        False,
        True,
        False,
    )
    assert alt["patenschaft"] is None  # left empty: no answer
    assert erhebung.antworten["Am Hafen"]["willkommensbrief"] is True
    assert erhebung.antworten["Mühlental"]["ansprechperson"] is True
    assert "bemerkung" not in alt  # the remark is never taken into the report


def test_fehler_nennen_zeile_und_spalte(vorlage, tmp_path):
    ziel = ausfuellen(
        vorlage,
        {"D2": "vielleicht", "A3": "Hafen", "A4": "Altstadt", "F4": "ja"},
        tmp_path / "falsch.xlsx",
    )
    erhebung = praktiken.lesen(ziel, ["Altstadt", "Am Hafen", "Mühlental"])
    meldungen = [p.meldung for p in erhebung.probleme]
    assert meldungen == [
        "Zeile 2, Spalte D („Willkommensbrief“): „vielleicht“ ist weder „ja“ noch „nein“. Bitte aus der "
        "Auswahlliste wählen oder leer lassen.",
        "Zeile 3, Spalte A („Ortsverein“): „Hafen“ gibt es im Datenbestand nicht. Gemeint ist vielleicht „Am Hafen“.",
        "Zeile 4, Spalte A („Ortsverein“): „Altstadt“ steht doppelt in der Umfrage (zuerst in Zeile 2).",
    ]
    assert [(p.zeile, p.feld) for p in erhebung.probleme] == [
        (2, "willkommensbrief"),
        (3, "ortsverein"),
        (4, "ortsverein"),
    ]
    with pytest.raises(EingabeFehler) as fehler:
        praktiken.fehler_melden(erhebung)
    assert "falsch.xlsx: 3 Fehler in der Umfrage, es wurde kein Bericht geschrieben." in fehler.value.message
    assert "Zeile 2, Spalte D" in fehler.value.message


def test_datei_ohne_ortsvereinsspalte_oder_falsche_datei(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.append(["Name", "Telefon"])
    wb.active.append(["x", "y"])
    wb.save(tmp_path / "anders.xlsx")
    with pytest.raises(EingabeFehler, match="keine Spalte „Ortsverein“"):
        praktiken.lesen(tmp_path / "anders.xlsx", ["Altstadt"])
    wb = openpyxl.Workbook()
    wb.active.append(["Ortsverein", "Irgendwas"])
    wb.save(tmp_path / "ohne.xlsx")
    with pytest.raises(EingabeFehler, match="keine der Praktiken-Spalten"):
        praktiken.lesen(tmp_path / "ohne.xlsx", ["Altstadt"])


def test_vergleich_mit_und_ohne_praxis_gepoolt():
    erhebung = praktiken.Erhebung(
        datei=None,
        praktiken=praktiken.praktiken_liste()[:1],
        antworten={
            "A": {"ansprechperson": True},
            "B": {"ansprechperson": True},
            "C": {"ansprechperson": False},
            "D": {"ansprechperson": None},
        },
    )
    werte = [
        Werte("A", standard=Anteil(8, 10), bindung=Anteil(9, 10)),
        Werte("B", standard=Anteil(2, 10)),
        Werte("C", standard=Anteil(1, 4)),
        Werte("D", standard=Anteil(4, 4)),
    ]
    vergleiche = praktiken.vergleichen(erhebung, werte)
    standard = next(v for v in vergleiche if v.ergebnis == "standard")
    assert (standard.ortsvereine_mit, standard.mit) == (2, Anteil(10, 20))
    assert (standard.ortsvereine_ohne, standard.ohne) == (1, Anteil(1, 4))  # D did not answer
    bindung = next(v for v in vergleiche if v.ergebnis == "bindung")
    assert bindung.mit == Anteil(9, 10) and bindung.ergebnis_titel == "Bindung im 1. Jahr"
