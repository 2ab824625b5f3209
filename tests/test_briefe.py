"""Welcome letters: salutation, address, template check, files. Invented people only."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from docx.enum.table import WD_ROW_HEIGHT_RULE
from docx.oxml.ns import qn
from docx.shared import Twips

from mitgliederarbeit.ausgaben import briefe, briefvorlage
from mitgliederarbeit.ausgaben.briefe import (
    BriefDateiVorhanden,
    PdfFehler,
    anrede_zeile,
    anschrift_zeilen,
    dateiname,
    postfaehig,
    pruefe_vorlage,
    schreibe_briefe,
    verfuegbare_felder,
    zeilen_im_fenster,
)
from mitgliederarbeit.errors import KonfigFehler, MitgliederError, VorlagenFehler
from mitgliederarbeit.vorlagen import vorlagen_ordner

STICHTAG = date(2026, 11, 21)

CONFIG = {
    "organisation": {
        "name": "Musterpartei Kreisverband Musterstadt",
        "partei": "Musterpartei",
        "absender_zeile": "Musterpartei · Musterstraße 1 · 01067 Dresden",
        "telefon": "0351 1234567",
        "email": "info@example.org",
        "webseite": "",
        "unterschrift": "Pat Beispiel",
        "funktion": "Mitgliederbeauftragte*r",
    },
    "anrede": {
        "ansprache": "du",
        "w": "Liebe {vorname},",
        "m": "Lieber {vorname},",
        "d": "Hallo {vorname} {nachname},",
        "unbekannt": "Hallo {vorname} {nachname},",
    },
    "ortsvereine": {
        "Neustadt": {
            "ansprechperson": "Alex Muster",
            "telefon": "0351 7654321",
            "email": "neustadt@example.org",
            "naechstes_treffen": "Dienstag, 1. Dezember 2026, 19 Uhr, Bürgerhaus",
        }
    },
    "briefe": {"segment": "neu-ohne-brief", "betreff": "Willkommen in der {partei}!", "vorlage": ""},
    "bericht": {"min_fallzahl": 5},
}


def mitglied(**werte) -> dict:
    daten = {
        "mitgliedsnummer": "0012345",
        "anrede": None,
        "titel": None,
        "geschlecht": "w",
        "vorname": "Erika",
        "nachname": "Mustermann",
        "strasse": "Musterweg",
        "hausnummer": "12a",
        "adresszusatz": None,
        "plz": "01067",
        "ort": "Dresden",
        "land": None,
        "ortsverein": "Neustadt",
        "unterbezirk": "Musterstadt",
        "eintrittsdatum": date(2026, 10, 1),
        "keine_post": False,
    }
    daten.update(werte)
    return daten


ERIKA = mitglied(titel="Dr.", adresszusatz="c/o Beispiel GmbH")
MAX = mitglied(
    mitgliedsnummer="0012346",
    geschlecht="m",
    vorname="Max",
    nachname="Muster",
    strasse="Hauptstr. 1",
    hausnummer=None,
    plz="01099",
)
KIM = mitglied(
    mitgliedsnummer="0012347", geschlecht="d", vorname="Kim", nachname="Brenner", ortsverein="Altstadt"
)
ALEX = mitglied(mitgliedsnummer="0012348", geschlecht=None, vorname="Alex", nachname="Beispiel")


def absaetze(pfad: Path) -> list[str]:
    """Every paragraph of a DOCX in reading order, table cells included."""
    dokument = Document(str(pfad))
    text = []
    for element in dokument.element.body.iter(qn("w:p")):
        text.append(
            "".join(t.text or "" if t.tag == qn("w:t") else "\n" for t in element.iter(qn("w:t"), qn("w:br")))
        )
    return text


def volltext(pfad: Path) -> str:
    return "\n".join(absaetze(pfad))


# ---------------------------------------------------------------------------------------------------------------
# The shipped template, measured from the DOCX
# ---------------------------------------------------------------------------------------------------------------

VORLAGE = vorlagen_ordner() / "willkommensbrief.docx"


def mm(twips: str | int) -> float:
    return Twips(int(twips)).mm


def nah(wert: float, soll: float) -> bool:
    return abs(wert - soll) < 0.05  # one twip is 0.018 mm


def din_masse(pfad: Path) -> dict:
    """Where the DIN 5008 parts of a letter DOCX sit, in mm from the page's top left corner."""
    dokument = Document(str(pfad))
    abschnitt = dokument.sections[0]
    tabelle = dokument.tables[0]
    tblpr = tabelle._tbl.tblPr
    einzug = mm(tblpr.find(qn("w:tblInd")).get(qn("w:w")))
    breiten = [spalte.width.mm for spalte in tabelle.columns]
    marken = []
    for absatz in abschnitt.header.paragraphs:
        rahmen = absatz._p.pPr.find(qn("w:framePr")) if absatz._p.pPr is not None else None
        if rahmen is not None:
            assert rahmen.get(qn("w:vAnchor")) == "page" and rahmen.get(qn("w:hAnchor")) == "page"
            assert absatz._p.pPr.find(qn("w:pBdr")).find(qn("w:top")) is not None
            marken.append((mm(rahmen.get(qn("w:x"))), mm(rahmen.get(qn("w:y"))), mm(rahmen.get(qn("w:w")))))
    zellrand = {kind.tag.split("}")[1]: kind.get(qn("w:w")) for kind in tblpr.find(qn("w:tblCellMar"))}
    return {
        "dokument": dokument,
        "seite": (abschnitt.page_width.mm, abschnitt.page_height.mm),
        "raender": (abschnitt.left_margin.mm, abschnitt.right_margin.mm, abschnitt.top_margin.mm),
        "tabelle_zuerst": dokument.element.body[0].tag == qn("w:tbl"),
        "anschriftfeld_links": abschnitt.left_margin.mm + einzug,
        "anschriftfeld_oben": abschnitt.top_margin.mm,
        "breiten": breiten,
        "zeilen": [(zeile.height.mm, zeile.height_rule) for zeile in tabelle.rows],
        "infoblock_links": abschnitt.left_margin.mm + einzug + breiten[0] + breiten[1],
        "zellrand": zellrand,
        "marken": sorted(marken, key=lambda m: m[1]),
    }


def test_vorlage_ist_mitgeliefert():
    assert VORLAGE.is_file()


def test_vorlage_ist_aktuell():
    """The shipped file is exactly what the builder makes (regenerate it after changing the builder)."""
    assert briefvorlage.baue_vorlage() == VORLAGE.read_bytes(), (
        "templates/willkommensbrief.docx ist veraltet: python -m mitgliederarbeit.ausgaben.briefvorlage "
        "templates/willkommensbrief.docx"
    )


def pruefe_din_5008_form_b(masse: dict) -> None:
    assert all(nah(a, b) for a, b in zip(masse["seite"], (210, 297)))
    assert all(nah(a, b) for a, b in zip(masse["raender"], (25, 20, 45)))
    assert masse["tabelle_zuerst"], "das Anschriftfeld muss das Erste auf der Seite sein"
    assert nah(masse["anschriftfeld_links"], 20)
    assert nah(masse["anschriftfeld_oben"], 45)
    assert nah(masse["breiten"][0], 85)
    assert [round(h, 1) for h, _ in masse["zeilen"]] == [17.7, 27.3]  # Vermerkzone + Anschriftzone = 45 mm
    assert all(regel == WD_ROW_HEIGHT_RULE.EXACTLY for _, regel in masse["zeilen"])
    assert set(masse["zellrand"].values()) == {"0"}
    assert nah(masse["infoblock_links"], 125)
    assert nah(masse["infoblock_links"] + masse["breiten"][2], 200)  # ends at the right margin
    assert [round(y, 1) for _, y, _ in masse["marken"]] == [105.0, 148.5, 210.0]
    assert all(nah(x, 5) for x, _, _ in masse["marken"])


def test_vorlage_ist_din_5008_form_b():
    pruefe_din_5008_form_b(din_masse(VORLAGE))


def test_vorlage_platzhalter_an_ihrem_platz():
    masse = din_masse(VORLAGE)
    tabelle = masse["dokument"].tables[0]
    assert tabelle.cell(0, 0).text == "{{ absender_zeile }}"
    assert tabelle.cell(0, 0).paragraphs[0].style.font.size.pt == 8  # the return line, as DIN 5008 recommends
    assert tabelle.cell(1, 0).text == "{{ anschrift }}"
    info = tabelle.cell(0, 2).text
    for platzhalter in ("ansprechperson", "ansprechperson_telefon", "ansprechperson_email", "datum"):
        assert "{{ " + platzhalter + " }}" in info
    text = "\n".join(p.text for p in masse["dokument"].paragraphs)
    for platzhalter in (
        "betreff",
        "anrede_zeile",
        "ortsverein",
        "naechstes_treffen",
        "unterschrift",
        "funktion",
    ):
        assert "{{ " + platzhalter + " }}" in text
    kopf = masse["dokument"].sections[0].header.paragraphs
    assert any("{{ organisation.name }}" in p.text for p in kopf)


def test_sie_form(tmp_path):
    ziel = briefvorlage.schreibe_vorlage(tmp_path / "sie.docx", "sie")
    text = "\n".join(p.text for p in Document(str(ziel)).paragraphs)
    assert "Mit freundlichen Grüßen" in text and "Sie" in text and " du " not in text
    pruefe_din_5008_form_b(din_masse(ziel))


def test_unbekannte_ansprache():
    with pytest.raises(ValueError):
        briefvorlage.baue_vorlage("ihr")


def test_kommandozeile(tmp_path):
    assert briefvorlage.main([str(tmp_path / "t.docx")]) == 0
    assert (tmp_path / "t.docx").read_bytes() == VORLAGE.read_bytes()


# ---------------------------------------------------------------------------------------------------------------
# Salutation, address, postal check, file names
# ---------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("member", "erwartet"),
    [
        (ERIKA, "Liebe Erika,"),
        (MAX, "Lieber Max,"),
        (KIM, "Hallo Kim Brenner,"),
        (ALEX, "Hallo Alex Beispiel,"),
        (mitglied(geschlecht=None, anrede="Frau"), "Liebe Erika,"),
        (mitglied(geschlecht="männlich", vorname="Max"), "Lieber Max,"),
        (mitglied(geschlecht="w", vorname=None), "Hallo Mustermann,"),
    ],
)
def test_anrede_nach_geschlecht(member, erwartet):
    assert anrede_zeile(member, CONFIG) == erwartet


def test_anrede_sie_mit_titel():
    config = {"anrede": {"w": "Sehr geehrte Frau {titel} {nachname},"}}
    assert anrede_zeile(ERIKA, config) == "Sehr geehrte Frau Dr. Mustermann,"
    assert anrede_zeile(mitglied(), config) == "Sehr geehrte Frau Mustermann,"
    assert anrede_zeile(KIM, {}) == "Hallo Kim Brenner,"  # defaults without a config


def test_anrede_mit_falschem_platzhalter():
    with pytest.raises(KonfigFehler, match=r"\{Vorname\}"):
        anrede_zeile(ERIKA, {"anrede": {"w": "Liebe {Vorname},"}})
    with pytest.raises(KonfigFehler, match="Klammer"):
        anrede_zeile(ERIKA, {"anrede": {"w": "Liebe {vorname,"}})


def test_anschrift_inland():
    assert anschrift_zeilen(ERIKA) == [
        "Dr. Erika Mustermann",
        "c/o Beispiel GmbH",
        "Musterweg 12a",
        "01067 Dresden",
    ]
    assert anschrift_zeilen(MAX) == ["Max Muster", "Hauptstr. 1", "01099 Dresden"]
    # the number already in the street column, a PLZ that lost its zero, "Deutschland" not printed
    member = mitglied(strasse="Musterweg 12a", hausnummer="12a", plz="1067", land="Deutschland")
    assert anschrift_zeilen(member) == ["Erika Mustermann", "Musterweg 12a", "01067 Dresden"]
    for land in ("DE", "D", "de", ""):
        assert anschrift_zeilen(mitglied(land=land))[-1] == "01067 Dresden"


def test_anschrift_ausland():
    wien = mitglied(strasse="Ringstraße", hausnummer="5", plz="1010", ort="Wien", land="Österreich")
    assert anschrift_zeilen(wien) == ["Erika Mustermann", "Ringstraße 5", "1010 WIEN", "ÖSTERREICH"]
    assert anschrift_zeilen(dict(wien, land="AT"))[-2:] == ["1010 WIEN", "ÖSTERREICH"]
    assert anschrift_zeilen(dict(wien, land="Schweiz", plz="8001", ort="Zürich"))[-2:] == [
        "8001 ZÜRICH",
        "SCHWEIZ",
    ]


def test_anschrift_ohne_leerzeilen_und_mit_mehr_als_sechs_zeilen_ausgelassen():
    member = mitglied(
        titel="Prof. Dr.",
        adresszusatz="c/o A\n\nGebäude B\nEtage 3\nZimmer 4",
        land="Frankreich",
        plz="75001",
        ort="Paris",
    )
    zeilen = anschrift_zeilen(member)
    assert zeilen == [
        "Prof. Dr. Erika Mustermann",
        "c/o A",
        "Gebäude B",
        "Etage 3",
        "Zimmer 4",
        "Musterweg 12a",
        "75001 PARIS",
        "FRANKREICH",
    ]
    # nothing is cut off silently: the member gets no letter, and the reason says why
    assert postfaehig(member) == (
        "Anschrift braucht 8 Zeilen, ins Fenster passen 6 (bitte Adresszusatz oder Namen in der "
        "Mitgliederverwaltung kürzen)"
    )
    assert postfaehig(dict(member, adresszusatz="c/o A\nGebäude B")) is None  # six lines fit


def test_anschrift_gemessen_wie_sie_umbricht():
    assert zeilen_im_fenster(["Erika Mustermann", "Musterweg 12a", "01067 Dresden"]) == 3
    # a name too long for 85 mm wraps onto a second line, and a word longer than a line breaks anywhere
    lang = "Prof. Dr. Karl-Theodor Maria Nikolaus Johann Jacob Philipp Franz Joseph Sylvester Freiherr von Guttenberg"
    assert zeilen_im_fenster([lang]) == 3
    assert zeilen_im_fenster(["W" * 60]) == 3  # 60 × 10.6 pt at 241 pt a line
    member = mitglied(vorname="Karl-Theodor Maria Nikolaus Johann Jacob Philipp Franz", nachname="Freiherr von und "
                      "zu Guttenberg-Lüdenscheidt", adresszusatz="Schloss Guttenberg, Hintergebäude, Seiteneingang links\n"
                      "bei Familie Mustermann-Beispielfrau")  # fmt: skip
    assert len(anschrift_zeilen(member)) == 5  # the name on three lines, the first Adresszusatz on two
    assert postfaehig(member) == (
        "Anschrift braucht 8 Zeilen, ins Fenster passen 6 (bitte Adresszusatz oder Namen in der "
        "Mitgliederverwaltung kürzen)"
    )


@pytest.mark.parametrize(
    ("werte", "grund"),
    [
        ({}, None),
        ({"keine_post": True}, "Sperrvermerk keine Post"),
        ({"strasse": None, "hausnummer": None, "plz": None, "ort": None}, "keine Anschrift"),
        ({"strasse": ""}, "Anschrift unvollständig: Straße fehlt"),
        ({"ort": None}, "Anschrift unvollständig: Ort fehlt"),
        ({"plz": ""}, "Anschrift unvollständig: PLZ fehlt"),
        ({"plz": "0106"}, None),  # a lost zero is repaired
        ({"plz": "1067x"}, "Anschrift unvollständig: PLZ ist keine fünfstellige deutsche Postleitzahl"),
        ({"plz": "", "land": "Irland", "ort": "Dublin"}, None),
        ({"vorname": None, "nachname": None}, "kein Name"),
    ],
)
def test_postfaehig(werte, grund):
    assert postfaehig(mitglied(**werte)) == grund


@pytest.mark.parametrize(
    ("werte", "erwartet"),
    [
        ({}, "0012345_Mustermann_Erika.docx"),
        ({"nachname": "Müller-Lüdenscheidt", "vorname": "Zoë"}, "0012345_Müller-Lüdenscheidt_Zoë.docx"),
        ({"nachname": "../../etc/passwd", "vorname": "a\\b"}, "0012345_etc-passwd_a-b.docx"),
        ({"nachname": "de la Cruz", "vorname": "Ana\x00\x07"}, "0012345_de-la-Cruz_Ana.docx"),
        ({"nachname": 'Kurz<>:"|?*', "vorname": "Eva. "}, "0012345_Kurz_Eva.docx"),
        ({"mitgliedsnummer": "CON", "nachname": None, "vorname": None}, "_CON.docx"),
        ({"mitgliedsnummer": None}, "ohne-Nummer_Mustermann_Erika.docx"),
    ],
)
def test_dateiname_ist_sicher(werte, erwartet):
    assert dateiname(mitglied(**werte)) == erwartet


def test_dateiname_ist_begrenzt():
    name = dateiname(mitglied(nachname="X" * 500, vorname="Y" * 500, mitgliedsnummer="9" * 100))
    assert len(name) <= 110 and name.endswith(".docx")


# ---------------------------------------------------------------------------------------------------------------
# Writing letters
# ---------------------------------------------------------------------------------------------------------------


def test_briefe_text(tmp_path):
    ergebnis = schreibe_briefe([ERIKA, MAX, KIM, ALEX], CONFIG, tmp_path / "briefe", stichtag=STICHTAG)
    assert ergebnis.briefe == ["0012345", "0012346", "0012347", "0012348"]
    assert [p.name for p in ergebnis.dateien] == [
        "0012345_Mustermann_Erika.docx",
        "0012346_Muster_Max.docx",
        "0012347_Brenner_Kim.docx",
        "0012348_Beispiel_Alex.docx",
    ]
    anreden = [absaetze(p) for p in ergebnis.dateien]
    for text, erwartet in zip(
        anreden, ["Liebe Erika,", "Lieber Max,", "Hallo Kim Brenner,", "Hallo Alex Beispiel,"]
    ):
        assert erwartet in text
    erika = volltext(ergebnis.dateien[0])
    assert "{{" not in erika and "{%" not in erika and "}}" not in erika
    for erwartet in (
        "Musterpartei · Musterstraße 1 · 01067 Dresden",  # return line
        "Willkommen in der Musterpartei!",
        "Ortsverein: Neustadt",
        "Alex Muster",
        "Telefon: 0351 7654321",
        "E-Mail: neustadt@example.org",
        "Datum: 21.11.2026",
        "Dein Ortsverein ist Neustadt.",
        "Komm doch zu unserem nächsten Treffen: Dienstag, 1. Dezember 2026, 19 Uhr, Bürgerhaus.",
        "Pat Beispiel",
        "Mitgliederbeauftragte*r",
        "Musterpartei Kreisverband Musterstadt",
    ):
        assert erwartet in erika + "\n" + "\n".join(
            p.text for p in Document(str(ergebnis.dateien[0])).sections[0].header.paragraphs
        )
    # No entry for "Altstadt": the signer and the organisation's numbers stand in, no meeting date
    kim = volltext(ergebnis.dateien[2])
    assert "Dort ist Pat Beispiel für dich da" in kim and "Telefon: 0351 1234567" in kim
    assert "laden wir dich rechtzeitig ein" in kim
    # no web page configured: the {%p if webseite %} block is gone completely
    assert "Aktuelle Termine" not in erika


def test_anschriftfeld_zeilen_in_reihenfolge(tmp_path):
    wien = mitglied(
        mitgliedsnummer="7",
        strasse="Ringstraße 5",
        hausnummer=None,
        plz="1010",
        ort="Wien",
        land="Österreich",
        titel="Dr.",
        adresszusatz="c/o Beispiel",
    )
    ergebnis = schreibe_briefe([ERIKA, wien], CONFIG, tmp_path / "b", stichtag=STICHTAG)
    zellen = [Document(str(p)).tables[0].cell(1, 0).text.split("\n") for p in ergebnis.dateien]
    assert zellen[0] == ["Dr. Erika Mustermann", "c/o Beispiel GmbH", "Musterweg 12a", "01067 Dresden"]
    assert zellen[1] == ["Dr. Erika Mustermann", "c/o Beispiel", "Ringstraße 5", "1010 WIEN", "ÖSTERREICH"]
    ruecksendung = Document(str(ergebnis.dateien[0])).tables[0].cell(0, 0).text
    assert ruecksendung == CONFIG["organisation"]["absender_zeile"]


def test_layout_bleibt_im_brief(tmp_path):
    ergebnis = schreibe_briefe([ERIKA], CONFIG, tmp_path / "b", stichtag=STICHTAG)
    pruefe_din_5008_form_b(din_masse(ergebnis.dateien[0]))


def test_ausgelassene_werden_genannt(tmp_path):
    ohne = mitglied(mitgliedsnummer="0099", strasse=None, hausnummer=None, plz=None, ort=None)
    gesperrt = mitglied(mitgliedsnummer="0098", keine_post=True)
    ergebnis = schreibe_briefe([ohne, ERIKA, gesperrt], CONFIG, tmp_path / "b", stichtag=STICHTAG)
    assert ergebnis.briefe == ["0012345"]
    assert ergebnis.ausgelassen == [("0099", "keine Anschrift"), ("0098", "Sperrvermerk keine Post")]
    assert len(ergebnis.dateien) == 1


def test_niemand_postfaehig_schreibt_nichts(tmp_path):
    ergebnis = schreibe_briefe([mitglied(keine_post=True)], CONFIG, tmp_path / "b", stichtag=STICHTAG)
    assert ergebnis.dateien == [] and ergebnis.briefe == []
    assert not (tmp_path / "b").exists()


def test_ein_dokument_ein_abschnitt_je_brief(tmp_path):
    ergebnis = schreibe_briefe(
        [ERIKA, MAX, KIM], CONFIG, tmp_path / "b", stichtag=STICHTAG, ein_dokument=True
    )
    assert [p.name for p in ergebnis.dateien] == ["briefe.docx"]
    dokument = Document(str(ergebnis.dateien[0]))
    assert len(dokument.sections) == 3
    for abschnitt in dokument.sections:
        assert round(abschnitt.page_width.mm) == 210 and round(abschnitt.page_height.mm) == 297
        assert round(abschnitt.left_margin.mm) == 25 and round(abschnitt.top_margin.mm) == 45
        assert abschnitt.start_type == 2  # WD_SECTION.NEW_PAGE: every letter on its own page
    assert len(dokument.tables) == 3  # one address field per letter
    text = absaetze(ergebnis.dateien[0])
    positionen = [text.index(a) for a in ("Liebe Erika,", "Lieber Max,", "Hallo Kim Brenner,")]
    assert positionen == sorted(positionen)
    # The first section carries the header (fold marks); the others inherit it.
    sektionen = dokument.element.body.findall(".//" + qn("w:sectPr"))
    assert len(sektionen) == 3
    assert sektionen[0].find(qn("w:headerReference")) is not None
    assert all(s.find(qn("w:headerReference")) is None for s in sektionen[1:])


def test_ein_dokument_mit_einem_brief(tmp_path):
    ergebnis = schreibe_briefe([ERIKA], CONFIG, tmp_path / "b", stichtag=STICHTAG, ein_dokument=True)
    pruefe_din_5008_form_b(din_masse(ergebnis.dateien[0]))


def test_tausend_briefe(tmp_path):
    members = [
        mitglied(mitgliedsnummer=f"{i:07d}", vorname=f"Vorname{i}", geschlecht="wmd"[i % 3])
        for i in range(1000)
    ]
    schritte = []
    ergebnis = schreibe_briefe(
        members,
        CONFIG,
        tmp_path / "b",
        stichtag=STICHTAG,
        fortschritt=lambda n, gesamt: schritte.append((n, gesamt)),
    )
    assert len(ergebnis.briefe) == 1000
    assert len(list((tmp_path / "b").glob("*.docx"))) == 1000
    assert schritte[-1] == (1000, 1000) and len(schritte) == 1000
    probe = tmp_path / "b" / "0000779_Mustermann_Vorname779.docx"
    assert "Hallo Vorname779 Mustermann," in absaetze(probe)
    assert "Vorname779 Mustermann" in Document(str(probe)).tables[0].cell(1, 0).text
    with zipfile.ZipFile(probe) as archiv:
        assert archiv.testzip() is None


def test_tausend_briefe_ein_dokument(tmp_path):
    members = [mitglied(mitgliedsnummer=f"{i:07d}", vorname=f"Vorname{i}") for i in range(1000)]
    ergebnis = schreibe_briefe(members, CONFIG, tmp_path / "b", stichtag=STICHTAG, ein_dokument=True)
    dokument = Document(str(ergebnis.dateien[0]))
    assert len(dokument.sections) == 1000
    assert "Liebe Vorname999," in absaetze(ergebnis.dateien[0])


def test_xml_sonderzeichen(tmp_path):
    schlimm = mitglied(
        vorname='Ä&Ö "Q"', nachname="<b>&amp;</b>", adresszusatz="c/o ]]> <!-- x -->", ort="Dresden\x0b\x00"
    )
    ergebnis = schreibe_briefe([schlimm], CONFIG, tmp_path / "b", stichtag=STICHTAG)
    text = absaetze(ergebnis.dateien[0])
    assert "Liebe Ä&Ö," in text  # the salutation takes the first given name
    anschrift = Document(str(ergebnis.dateien[0])).tables[0].cell(1, 0).text.split("\n")
    assert anschrift == ['Ä&Ö "Q" <b>&amp;</b>', "c/o ]]> <!-- x -->", "Musterweg 12a", "01067 Dresden"]
    assert ergebnis.dateien[0].name == "0012345_b-amp-b_Ä-Ö-Q.docx"


def test_zeilenumbruch_im_wert_wird_zeilenumbruch(tmp_path):
    config = {**CONFIG, "ortsvereine": {"Neustadt": {"naechstes_treffen": "Dienstag\n19 Uhr"}}}
    ergebnis = schreibe_briefe([ERIKA], config, tmp_path / "b", stichtag=STICHTAG)
    assert any("Treffen: Dienstag\n19 Uhr." in a for a in absaetze(ergebnis.dateien[0]))


@pytest.mark.skipif(os.name == "nt", reason="POSIX-Dateirechte")
def test_dateirechte(tmp_path):
    ergebnis = schreibe_briefe([ERIKA, MAX], CONFIG, tmp_path / "b", stichtag=STICHTAG)
    assert stat.S_IMODE((tmp_path / "b").stat().st_mode) == 0o700
    for pfad in ergebnis.dateien:
        assert stat.S_IMODE(pfad.stat().st_mode) == 0o600
    assert sorted(p.name for p in (tmp_path / "b").iterdir()) == sorted(p.name for p in ergebnis.dateien)


def test_nichts_wird_ueberschrieben(tmp_path):
    ordner = tmp_path / "b"
    ordner.mkdir()
    (ordner / "0012346_Muster_Max.docx").write_text("alt")
    with pytest.raises(BriefDateiVorhanden, match="0012346_Muster_Max.docx") as info:
        schreibe_briefe([ERIKA, MAX], CONFIG, ordner, stichtag=STICHTAG)
    assert isinstance(info.value, MitgliederError)
    assert sorted(p.name for p in ordner.iterdir()) == ["0012346_Muster_Max.docx"]
    assert (ordner / "0012346_Muster_Max.docx").read_text() == "alt"


def test_gleiche_dateinamen_werden_unterschieden(tmp_path):
    zwilling = mitglied(mitgliedsnummer="0012345")
    ergebnis = schreibe_briefe([ERIKA, zwilling], CONFIG, tmp_path / "b", stichtag=STICHTAG)
    assert [p.name for p in ergebnis.dateien] == [
        "0012345_Mustermann_Erika.docx",
        "0012345_Mustermann_Erika-2.docx",
    ]


def test_trockenlauf_schreibt_nichts(tmp_path):
    ergebnis = schreibe_briefe(
        [ERIKA, MAX, mitglied(keine_post=True, mitgliedsnummer="9")],
        CONFIG,
        tmp_path / "b",
        stichtag=STICHTAG,
        trockenlauf=True,
    )
    assert not (tmp_path / "b").exists()
    assert ergebnis.briefe == ["0012345", "0012346"]
    assert [p.name for p in ergebnis.dateien] == ["0012345_Mustermann_Erika.docx", "0012346_Muster_Max.docx"]
    assert ergebnis.ausgelassen == [("9", "Sperrvermerk keine Post")]


def test_ohne_libreoffice_sagt_pdf_wie_installieren(tmp_path, monkeypatch):
    monkeypatch.setattr(briefe, "libreoffice", lambda: None)
    with pytest.raises(PdfFehler) as info:
        schreibe_briefe([ERIKA], CONFIG, tmp_path / "b", stichtag=STICHTAG, pdf=True)
    meldung = str(info.value)
    assert (
        "LibreOffice" in meldung and "libreoffice.org" in meldung and "apt" in meldung and "brew" in meldung
    )
    assert not (tmp_path / "b").exists()


@pytest.mark.skipif(briefe.libreoffice() is None, reason="LibreOffice (soffice) ist nicht installiert")
def test_pdf_anschrift_im_fenster_eines_dl_umschlags(tmp_path):
    pdfplumber = pytest.importorskip("pdfplumber")
    ergebnis = schreibe_briefe(
        [ERIKA, KIM], CONFIG, tmp_path / "b", stichtag=STICHTAG, pdf=True, ein_dokument=True
    )
    assert [p.name for p in ergebnis.dateien] == ["briefe.docx", "briefe.pdf"]
    if os.name != "nt":
        assert stat.S_IMODE(ergebnis.dateien[1].stat().st_mode) == 0o600
    mm = 25.4 / 72
    with pdfplumber.open(ergebnis.dateien[1]) as pdf:
        assert len(pdf.pages) == 2
        for seite, name in zip(pdf.pages, (["Erika", "Mustermann"], ["Kim", "Brenner"])):
            woerter = seite.extract_words()
            fenster = [w for w in woerter if w["text"] in name]
            assert len(fenster) >= 2
            for wort in fenster[:2]:
                assert wort["x0"] * mm >= 20 - 0.5 and wort["x1"] * mm <= 110, wort
                assert wort["top"] * mm >= 62.7 - 0.5 and wort["bottom"] * mm <= 90, wort
            ruecksendung = [w for w in woerter if w["text"] == "Musterstraße" and w["x0"] * mm < 110]
            assert ruecksendung and all(
                w["top"] * mm >= 45 and w["bottom"] * mm <= 62.7 + 0.5 for w in ruecksendung
            )
            datum = next(w for w in woerter if w["text"] == "21.11.2026")
            assert datum["x0"] * mm >= 125 - 0.5 and datum["top"] * mm < 100
            marken = sorted(round(linie["top"] * mm) for linie in seite.lines if linie["x0"] * mm < 15)
            assert marken == [105, 149, 210]


# ---------------------------------------------------------------------------------------------------------------
# Templates
# ---------------------------------------------------------------------------------------------------------------


def vorlage_mit(tmp_path: Path, *absaetze_: str | list[tuple[str, bool]], kopf: str | None = None) -> Path:
    """A tiny DOCX template; a list of (text, bold) runs makes one paragraph from several runs, as Word does."""
    dokument = Document()
    for absatz in absaetze_:
        if isinstance(absatz, str):
            dokument.add_paragraph(absatz)
        else:
            neu = dokument.add_paragraph()
            for text, fett in absatz:
                neu.add_run(text).bold = fett
    if kopf is not None:
        dokument.sections[0].header.paragraphs[0].add_run(kopf)
    pfad = tmp_path / "vorlage.docx"
    dokument.save(str(pfad))
    return pfad


def test_mitgelieferte_vorlage_besteht_die_pruefung():
    pruefe_vorlage(briefe.standard_vorlage(CONFIG), verfuegbare_felder(CONFIG))


def test_unbekannter_platzhalter_wird_genannt(tmp_path):
    pfad = vorlage_mit(tmp_path, "Hallo {{ vornam }}, {{ organisation.nam }} {{ lieblingsfarbe }}")
    with pytest.raises(VorlagenFehler) as info:
        schreibe_briefe([ERIKA], CONFIG, tmp_path / "b", stichtag=STICHTAG, vorlage=pfad)
    meldung = str(info.value)
    assert (
        "{{ vornam }}" in meldung
        and "{{ organisation.nam }}" in meldung
        and "{{ lieblingsfarbe }}" in meldung
    )
    assert "gemeint: {{ vorname }}" in meldung
    assert not (tmp_path / "b").exists()


def test_syntaxfehler_wird_mit_stelle_genannt(tmp_path):
    pfad = vorlage_mit(tmp_path, "Erster Absatz.", "Hallo {{ vorname , schön dass du da bist")
    with pytest.raises(VorlagenFehler) as info:
        pruefe_vorlage(pfad, verfuegbare_felder(CONFIG))
    meldung = str(info.value)
    assert "{{ vorname" in meldung and "nicht mit }} geschlossen" in meldung
    assert "Jinja" not in meldung  # German, not the library's English
    pfad = vorlage_mit(
        tmp_path,
        "Erster Absatz.",
        "{% if naechstes_treffen %}Treffen am {{ naechstes_treffen }}",
        "Gruß",
        "Ende.",
    )
    with pytest.raises(VorlagenFehler) as info:
        pruefe_vorlage(pfad, verfuegbare_felder(CONFIG))
    meldung = str(info.value)
    assert "zu einem {% if … %} fehlt das schließende {% endif %}" in meldung
    assert (
        "Treffen am" in meldung and "Ende." not in meldung
    )  # the unclosed tag's place, not the template's end
    assert "Jinja" not in meldung


def test_von_word_geteilter_platzhalter_funktioniert(tmp_path):
    pfad = vorlage_mit(
        tmp_path, [("Hallo {{ vor", False), ("name }} aus {", True), ("{ ortsverein }}!", False)]
    )
    pruefe_vorlage(pfad, {"vorname", "ortsverein"})
    ergebnis = schreibe_briefe([ERIKA], CONFIG, tmp_path / "b", stichtag=STICHTAG, vorlage=pfad)
    assert "Hallo Erika aus Neustadt!" in absaetze(ergebnis.dateien[0])


def test_eigene_vorlage_mit_konfigwerten_und_schleife(tmp_path):
    pfad = vorlage_mit(
        tmp_path,
        "{{ organisation.name }} / {{ bericht.min_fallzahl }} / {{ mitglied.plz }} / {{ eintrittsdatum }}",
        "{%p for zeile in anschrift_zeilen %}",
        "> {{ zeile }}",
        "{%p endfor %}",
        kopf="Kopf: {{ organisation.name }} {{ datum }}",
    )
    ergebnis = schreibe_briefe([ERIKA], CONFIG, tmp_path / "b", stichtag=STICHTAG, vorlage=pfad)
    text = absaetze(ergebnis.dateien[0])
    assert "Musterpartei Kreisverband Musterstadt / 5 / 01067 / 01.10.2026" in text
    assert [t for t in text if t.startswith("> ")] == [
        "> Dr. Erika Mustermann",
        "> c/o Beispiel GmbH",
        "> Musterweg 12a",
        "> 01067 Dresden",
    ]
    kopf = Document(str(ergebnis.dateien[0])).sections[0].header.paragraphs[0].text
    assert kopf == "Kopf: Musterpartei Kreisverband Musterstadt 21.11.2026"


def test_persoenliche_platzhalter_nicht_in_kopfzeile(tmp_path):
    pfad = vorlage_mit(tmp_path, "Hallo", kopf="{{ vorname }}")
    with pytest.raises(VorlagenFehler, match=r"Kopf- oder Fußzeile.*\{\{ vorname \}\}"):
        pruefe_vorlage(pfad, verfuegbare_felder(CONFIG))


def test_keine_docx_datei(tmp_path):
    pfad = tmp_path / "kaputt.docx"
    pfad.write_text("kein zip")
    with pytest.raises(VorlagenFehler, match="keine lesbare DOCX-Datei"):
        pruefe_vorlage(pfad, set())
    with pytest.raises(VorlagenFehler, match="gibt es nicht"):
        pruefe_vorlage(tmp_path / "fehlt.docx", set())


def test_qr_code_zur_webseite(tmp_path):
    pytest.importorskip("segno")
    config = {
        **CONFIG,
        "organisation": {**CONFIG["organisation"], "webseite": "https://example.org/mitmachen"},
    }
    ergebnis = schreibe_briefe([ERIKA, MAX], config, tmp_path / "b", stichtag=STICHTAG, ein_dokument=True)
    with zipfile.ZipFile(ergebnis.dateien[0]) as archiv:
        assert "word/media/mitgliederarbeit-qr.png" in archiv.namelist()
        assert b'Extension="png"' in archiv.read("[Content_Types].xml")
        dokument = archiv.read("word/document.xml").decode()
    assert dokument.count("<wp:anchor") == 2
    ids = [teil.split('"')[0] for teil in dokument.split('<wp:docPr id="')[1:]]
    assert len(set(ids)) == 2  # drawing ids stay unique across the letters
    assert any(
        "Aktuelle Termine und Neuigkeiten findest du auf https://example.org/mitmachen." in a
        for a in absaetze(ergebnis.dateien[0])
    )
    assert len(Document(str(ergebnis.dateien[0])).inline_shapes) == 0  # floating, not inline


def test_sie_vorlage_nach_konfig(tmp_path, monkeypatch):
    briefvorlage.schreibe_vorlage(tmp_path / "willkommensbrief-sie.docx", "sie")
    monkeypatch.setattr("mitgliederarbeit.vorlagen.vorlagen_ordner", lambda: tmp_path)
    config = {
        **CONFIG,
        "anrede": {**CONFIG["anrede"], "ansprache": "sie", "w": "Sehr geehrte Frau {nachname},"},
    }
    assert briefe.standard_vorlage(config) == tmp_path / "willkommensbrief-sie.docx"
    ergebnis = schreibe_briefe([ERIKA], config, tmp_path / "b", stichtag=STICHTAG)
    text = absaetze(ergebnis.dateien[0])
    assert "Sehr geehrte Frau Mustermann," in text and "Mit freundlichen Grüßen" in text


def test_import_ist_leicht():
    code = (
        "import sys, mitgliederarbeit.ausgaben.briefe, mitgliederarbeit.ausgaben.briefvorlage, mitgliederarbeit.vorlagen; "
        "print(sorted(m for m in ('docx', 'docxtpl', 'jinja2', 'typer', 'rich', 'lxml') if m in sys.modules))"
    )
    ausgabe = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert ausgabe.strip() == "[]"


def test_vorlage_kann_keinen_code_ausfuehren(tmp_path):
    pfad = vorlage_mit(tmp_path, "{{ vorname.__class__.__mro__ }}")
    with pytest.raises(VorlagenFehler, match="lässt sich nicht ausfüllen"):
        schreibe_briefe([ERIKA], CONFIG, tmp_path / "b", stichtag=STICHTAG, vorlage=pfad)
    assert not (tmp_path / "b").exists()


def test_dotx_vorlage_wird_zu_docx(tmp_path):
    pfad = vorlage_mit(tmp_path, "Hallo {{ vorname }}")
    dotx = tmp_path / "vorlage.dotx"
    with zipfile.ZipFile(pfad) as quelle, zipfile.ZipFile(dotx, "w") as ziel:
        for eintrag in quelle.infolist():
            daten = quelle.read(eintrag)
            if eintrag.filename == "[Content_Types].xml":
                daten = daten.replace(b"document.main+xml", b"template.main+xml")
            ziel.writestr(eintrag, daten)
    ergebnis = schreibe_briefe([ERIKA], CONFIG, tmp_path / "b", stichtag=STICHTAG, vorlage=dotx)
    with zipfile.ZipFile(ergebnis.dateien[0]) as archiv:
        assert b"document.main+xml" in archiv.read("[Content_Types].xml")
    assert "Hallo Erika" in absaetze(ergebnis.dateien[0])


# ---------------------------------------------------------------------------------------------------------------
# Sie, names and titles, meetings, contact persons, page numbers
# ---------------------------------------------------------------------------------------------------------------

VORLAGE_SIE = vorlagen_ordner() / "willkommensbrief-sie.docx"
SIE = {**CONFIG, "anrede": {**CONFIG["anrede"], "ansprache": "sie"}}


def test_sie_vorlage_ist_mitgeliefert_und_aktuell():
    assert briefvorlage.baue_vorlage("sie") == VORLAGE_SIE.read_bytes(), (
        "templates/willkommensbrief-sie.docx ist veraltet: python -m mitgliederarbeit.ausgaben.briefvorlage "
        "templates/willkommensbrief-sie.docx --sie"
    )
    pruefe_din_5008_form_b(din_masse(VORLAGE_SIE))


def test_ansprache_sie_gibt_einen_sie_brief(tmp_path):
    """The config's salutations are the Du defaults: with ``ansprache = "sie"`` the Sie forms stand in."""
    professorin = mitglied(titel="Prof. Dr. Dr. h.c.", vorname="Anna-Lena Marie")
    kim = dict(KIM, titel="Dr.")
    ergebnis = schreibe_briefe([professorin, MAX, kim], SIE, tmp_path / "b", stichtag=STICHTAG)
    texte = [volltext(p) for p in ergebnis.dateien]
    assert "Sehr geehrte Frau Prof. Mustermann," in texte[0]
    assert "Sehr geehrter Herr Muster," in texte[1]
    assert "Guten Tag Dr. Kim Brenner," in texte[2]
    for text in texte:
        assert "Mit freundlichen Grüßen" in text and "Ihr Ortsverein ist" in text
        assert " du " not in text and " dich " not in text and "Liebe" not in text
    # the full title stays in the address
    assert "Prof. Dr. Dr. h.c. Anna-Lena Marie Mustermann" in texte[0]
    # own salutations in the config are kept
    eigene = {**SIE, "anrede": {**SIE["anrede"], "w": "Liebe Frau {nachname},"}}
    assert anrede_zeile(professorin, eigene) == "Liebe Frau Mustermann,"


def test_unbekannte_ansprache_wird_abgelehnt(tmp_path):
    config = {**CONFIG, "anrede": {**CONFIG["anrede"], "ansprache": "Ihr"}}
    with pytest.raises(KonfigFehler, match="ansprache = „ihr“: erlaubt sind „du“ und „sie“"):
        schreibe_briefe([ERIKA], config, tmp_path / "b", stichtag=STICHTAG)
    assert not (tmp_path / "b").exists()


@pytest.mark.parametrize(
    ("werte", "erwartet"),
    [
        ({"vorname": "Karl-Theodor Maria Nikolaus", "geschlecht": "m"}, "Lieber Karl-Theodor,"),
        ({"vorname": "Anna-Lena"}, "Liebe Anna-Lena,"),
        ({"vorname": "Kim Alex", "geschlecht": "d"}, "Hallo Kim Alex Mustermann,"),
    ],
)
def test_anrede_mit_dem_ersten_vornamen(werte, erwartet):
    config = {**CONFIG, "anrede": {**CONFIG["anrede"], "d": "Hallo {vornamen} {nachname},"}}
    assert anrede_zeile(mitglied(**werte), config) == erwartet


@pytest.mark.parametrize(
    ("titel", "erwartet"),
    [
        ("Prof. Dr.", "Prof."),
        ("Prof. Dr. Dr. h.c. mult.", "Prof."),
        ("Professorin", "Prof."),
        ("Dr. med.", "Dr."),
        ("Dr.-Ing.", "Dr."),
        ("PD Dr. rer. nat.", "Dr."),
        ("Dipl.-Ing.", ""),
        ("M.A.", ""),
        ("", ""),
    ],
)
def test_in_der_anrede_nur_der_hoechste_titel(titel, erwartet):
    assert briefe.hoechster_titel(titel) == erwartet
    form = {"anrede": {"w": "Sehr geehrte Frau {titel} {nachname},"}}
    assert anrede_zeile(mitglied(titel=titel), form) == f"Sehr geehrte Frau {erwartet} Mustermann,".replace(
        "  ", " "
    )


def test_vergangenes_treffen_ist_keine_einladung(tmp_path):
    config = {
        **CONFIG,
        "ortsvereine": {
            "Neustadt": {**CONFIG["ortsvereine"]["Neustadt"], "naechstes_treffen": "Montag, 2. November"}
        },
    }
    ergebnis = schreibe_briefe([ERIKA], config, tmp_path / "b", stichtag=STICHTAG)
    text = volltext(ergebnis.dateien[0])
    assert "2. November" not in text and "Komm doch zu unserem nächsten Treffen" not in text
    assert (
        "Zu unseren nächsten Treffen und zum Abend für neue Mitglieder laden wir dich rechtzeitig ein."
        in text
    )
    assert ergebnis.warnungen == [
        "Das nächste Treffen in „Neustadt“ („Montag, 2. November“) liegt vor dem Stichtag 21.11.2026; in den "
        "Briefen wird es nicht genannt. Bitte in mitglieder.toml den neuen Termin eintragen: "
        '[ortsvereine."Neustadt"] naechstes_treffen.'
    ]


def test_ortsverein_ohne_ansprechperson_wird_genannt(tmp_path):
    andere = mitglied(mitgliedsnummer="0012349", ortsverein="Bergdorf")
    ergebnis = schreibe_briefe([ERIKA, KIM, andere], CONFIG, tmp_path / "b", stichtag=STICHTAG)
    assert ergebnis.warnungen == [
        "Keine Ansprechperson eingetragen für die Ortsvereine „Altstadt“ und „Bergdorf“; in den Briefen steht "
        "stattdessen Pat Beispiel ([organisation] unterschrift) als Ansprechperson. Bitte in mitglieder.toml "
        'eintragen: [ortsvereine."Altstadt"] ansprechperson = "…".'
    ]
    assert schreibe_briefe([ERIKA], CONFIG, tmp_path / "c", stichtag=STICHTAG).warnungen == []


def test_folgeseiten_tragen_seite_x_von_y():
    dokument = Document(str(VORLAGE))
    abschnitt = dokument.sections[0]
    assert abschnitt.different_first_page_header_footer
    assert not "".join(p.text for p in abschnitt.first_page_footer.paragraphs).strip()
    fuss = abschnitt.footer.paragraphs[0]._p
    felder = [f.get(qn("w:instr")).strip() for f in fuss.iter(qn("w:fldSimple"))]
    assert felder == [
        "PAGE",
        "SECTIONPAGES",
    ]  # the letter's own pages, also in one document with many letters
    assert abschnitt._sectPr.find(qn("w:pgNumType")).get(qn("w:start")) == "1"
    # the first page keeps the letterhead and the marks
    assert "{{ organisation.name }}" in abschnitt.first_page_header.paragraphs[-1].text


@pytest.mark.skipif(briefe.libreoffice() is None, reason="LibreOffice (soffice) ist nicht installiert")
def test_pdf_seite_2_von_2_nur_auf_der_folgeseite(tmp_path):
    pdfplumber = pytest.importorskip("pdfplumber")
    lang = "\n".join(f"Termin {i}: Montag, {i}. Dezember 2026, 19 Uhr" for i in range(1, 28))
    config = {
        **CONFIG,
        "ortsvereine": {"Neustadt": {**CONFIG["ortsvereine"]["Neustadt"], "naechstes_treffen": lang}},
    }
    # a long address that just fits: six lines once the name wraps, all inside the window
    lang_anschrift = mitglied(
        mitgliedsnummer="7",
        titel="Prof. Dr. Dr. h.c.",
        vorname="Karl-Theodor Maria Nikolaus Johann",
        nachname="Freiherr von und zu Guttenberg",
        adresszusatz="Schloss Guttenberg, Hintergebäude links\nbei Familie Beispiel",
        ortsverein="Altstadt",
    )
    assert zeilen_im_fenster(anschrift_zeilen(lang_anschrift)) == 6
    ergebnis = schreibe_briefe(
        [ERIKA, KIM, lang_anschrift], config, tmp_path / "b", stichtag=STICHTAG, pdf=True, ein_dokument=True
    )
    mm = 25.4 / 72
    with pdfplumber.open(ergebnis.dateien[1]) as pdf:
        seiten = [seite.extract_text() for seite in pdf.pages]
        anschrift = [
            w for w in pdf.pages[3].extract_words() if w["x0"] * mm < 110 and 62 <= w["top"] * mm < 95
        ]
    assert len(seiten) == 4  # Erika's letter on two pages, Kim's and Karl-Theodor's on one
    assert "Seite" not in seiten[0] and "Seite" not in seiten[2] and "Seite" not in seiten[3]
    assert "Seite 2 von 2" in seiten[1]
    assert [w["text"] for w in anschrift][-2:] == ["01067", "Dresden"]
    assert all(w["bottom"] * mm <= 90 and w["x1"] * mm <= 105 for w in anschrift), anschrift
    assert len({round(w["top"]) for w in anschrift}) == 6


def test_zu_lange_ruecksendeangabe_wird_genannt(tmp_path):
    lang = "Musterpartei Unterbezirk Musterstadt · Beispielweg 1 · 01067 Musterstadt-Altstadt"
    config = {**CONFIG, "organisation": {**CONFIG["organisation"], "absender_zeile": lang}}
    ergebnis = schreibe_briefe([ERIKA], config, tmp_path / "b", stichtag=STICHTAG)
    assert ergebnis.warnungen == [
        f"Die Rücksendeangabe „{lang}“ ist breiter als das Anschriftfeld (85 mm) und bricht in eine zweite Zeile "
        "um; DIN 5008 sieht eine Zeile vor. Bitte in mitglieder.toml [organisation] absender_zeile kürzen (z. B. "
        "ohne Ortsnamen nach der PLZ oder mit Abkürzungen)."
    ]
    # the example's return line fits on one line
    assert schreibe_briefe([ERIKA], CONFIG, tmp_path / "c", stichtag=STICHTAG).warnungen == []


# ---------------------------------------------------------------------------------------------------------------
# One letter per household (--haushalte)
# ---------------------------------------------------------------------------------------------------------------

ERIKA_DAHEIM = mitglied()
MAX_DAHEIM = mitglied(mitgliedsnummer="0012350", geschlecht="m", vorname="Max")
KIM_ANDERSWO = dict(KIM, strasse="Lindenweg", hausnummer="3")


@pytest.mark.parametrize(("ansprache", "haushalt"), [("du", True), ("sie", True)])
def test_haushalt_vorlagen_sind_mitgeliefert_und_aktuell(ansprache, haushalt):
    name = briefe.STANDARD_VORLAGE_HAUSHALT[ansprache]
    assert briefvorlage.baue_vorlage(ansprache, haushalt) == (vorlagen_ordner() / name).read_bytes(), (
        f"templates/{name} ist veraltet: python -m mitgliederarbeit.ausgaben.briefvorlage templates/{name} "
        + ("--sie " if ansprache == "sie" else "")
        + "--haushalt"
    )
    pruefe_din_5008_form_b(din_masse(vorlagen_ordner() / name))


def test_ein_brief_je_haushalt(tmp_path):
    leute = [ERIKA_DAHEIM, KIM_ANDERSWO, MAX_DAHEIM]
    einzeln = schreibe_briefe(leute, CONFIG, tmp_path / "a", stichtag=STICHTAG)
    assert len(einzeln.dateien) == 3 and einzeln.haushalte == []
    ergebnis = schreibe_briefe(leute, CONFIG, tmp_path / "b", stichtag=STICHTAG, haushalte=True)
    assert [p.name for p in ergebnis.dateien] == ["0012345_Mustermann_Erika.docx", "0012347_Brenner_Kim.docx"]
    assert ergebnis.briefe == ["0012345", "0012350", "0012347"]  # everyone reached is recorded
    assert ergebnis.haushalte == [["0012345", "0012350"]]
    dokument = Document(str(ergebnis.dateien[0]))
    assert dokument.tables[0].cell(1, 0).text.split("\n") == [
        "Erika und Max Mustermann",
        "Musterweg 12a",
        "01067 Dresden",
    ]
    text = volltext(ergebnis.dateien[0])
    assert "Liebe Erika, lieber Max," in text
    assert "schön, dass ihr da seid!" in text and "Euer Ortsverein ist Neustadt." in text
    assert " du " not in text
    kim = volltext(ergebnis.dateien[1])
    assert "Hallo Kim Brenner," in kim and "schön, dass du da bist!" in kim
    pruefe_din_5008_form_b(din_masse(ergebnis.dateien[0]))


def test_haushalt_mit_verschiedenen_namen_und_sie(tmp_path):
    pat = mitglied(mitgliedsnummer="0012351", geschlecht="m", vorname="Pat", nachname="Beispiel", titel="Dr.")
    ergebnis = schreibe_briefe([ERIKA_DAHEIM, pat], SIE, tmp_path / "b", stichtag=STICHTAG, haushalte=True)
    [datei] = ergebnis.dateien
    assert Document(str(datei)).tables[0].cell(1, 0).text.split("\n") == [
        "Erika Mustermann",
        "Dr. Pat Beispiel",
        "Musterweg 12a",
        "01067 Dresden",
    ]
    text = volltext(datei)
    assert "Sehr geehrte Frau Mustermann, sehr geehrter Herr Dr. Beispiel," in text
    assert "dass Sie Mitglieder geworden sind" in text and "Mit freundlichen Grüßen" in text


def test_haushalt_zu_gross_fuer_das_fenster_bekommt_einzelne_briefe(tmp_path):
    viele = [mitglied(mitgliedsnummer=str(n), vorname=f"Kind{n}", nachname=f"Name{n}") for n in range(1, 6)]
    ergebnis = schreibe_briefe(viele, CONFIG, tmp_path / "b", stichtag=STICHTAG, haushalte=True)
    assert len(ergebnis.dateien) == 5 and ergebnis.haushalte == []


def test_haushalt_im_ein_dokument(tmp_path):
    ergebnis = schreibe_briefe(
        [ERIKA_DAHEIM, KIM_ANDERSWO, MAX_DAHEIM],
        CONFIG,
        tmp_path / "b",
        stichtag=STICHTAG,
        haushalte=True,
        ein_dokument=True,
    )
    dokument = Document(str(ergebnis.dateien[0]))
    assert len(dokument.sections) == 2 and len(dokument.tables) == 2
    text = absaetze(ergebnis.dateien[0])
    assert "Liebe Erika, lieber Max," in text and "Hallo Kim Brenner," in text


def test_eigene_vorlage_sieht_den_haushalt(tmp_path):
    pfad = vorlage_mit(
        tmp_path, "{{ anrede }} {% if haushalt %}Ihr seid zu zweit.{% else %}Allein.{% endif %}"
    )
    ergebnis = schreibe_briefe(
        [ERIKA_DAHEIM, KIM_ANDERSWO, MAX_DAHEIM],
        CONFIG,
        tmp_path / "b",
        stichtag=STICHTAG,
        vorlage=pfad,
        haushalte=True,
    )
    texte = [volltext(p) for p in ergebnis.dateien]
    assert texte == ["Liebe Erika, lieber Max, Ihr seid zu zweit.", "Hallo Kim Brenner, Allein."]


def test_eintrittsdatum_unbekannt_bleibt_leer_und_iso_wird_deutsch(tmp_path):
    """A join date no export had prints nothing; the store's ISO text prints as a German date, an estimated one
    (the Stand of the export the member first showed in) says so, and ``eintritt_geschaetzt`` lets a template
    leave it out."""
    pfad = vorlage_mit(
        tmp_path,
        "Mitglied seit: [{{ eintrittsdatum }}] [{{ mitglied.eintrittsdatum }}]",
        "Satz: [{% if eintrittsdatum and not eintritt_geschaetzt %}seit dem {{ eintrittsdatum }}{% endif %}]",
    )
    leute = [
        mitglied(eintrittsdatum=None),
        mitglied(mitgliedsnummer="0012399", eintrittsdatum="2026-04-30", eintritt_geschaetzt=0),
        mitglied(mitgliedsnummer="0012400", eintrittsdatum="2026-04-30", eintritt_geschaetzt=1),
    ]
    ergebnis = schreibe_briefe(leute, CONFIG, tmp_path / "b", stichtag=STICHTAG, vorlage=pfad)
    texte = [
        t for datei in ergebnis.dateien for t in absaetze(datei) if t.startswith(("Mitglied seit", "Satz"))
    ]
    assert texte == [
        "Mitglied seit: [] []",
        "Satz: []",
        "Mitglied seit: [30.04.2026] [30.04.2026]",
        "Satz: [seit dem 30.04.2026]",
        "Mitglied seit: [30.04.2026 (geschätzt)] [30.04.2026 (geschätzt)]",
        "Satz: []",
    ]
