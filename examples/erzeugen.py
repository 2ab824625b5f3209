#!/usr/bin/env python3
"""Seeded generator for the synthetic example data in ``examples/``.

Every person in these files is invented: names come from Faker's de_DE lists, everything else from our own
seeded draws. Phone numbers are random, e-mail addresses use the reserved ``example.*`` domains.

Run ``python examples/erzeugen.py`` to regenerate the three files; the output is the same byte for byte on every
run (fixed seed, fixed workbook times, fixed ZIP timestamps), as long as Python and Faker stay the same version.

Import the module (tests, benchmarks) to

- make invented people: :func:`erzeuge_mitglieder`, written by :func:`schreibe_xlsx` (layout of file 1) or
  :func:`schreibe_csv` (layout of file 2);
- get the example scenario with its exact expected numbers: :func:`erzeuge_beispiel` returns a :class:`Beispiel`
  holding the member lists, the rows as written, and the sets of Eintritte, Austritte, Wechsel, Änderungen,
  rejected rows and warnings.

Randomness: only ``random.Random`` instances and a seeded Faker instance; the global ``random`` state is never
touched. Format variants (how a phone number or date is written) are drawn per member from ``Random`` seeded with
a string, so they do not depend on the order of the rows.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import re
import sys
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

SEED = 20260531
STAND_MAI = date(2026, 5, 31)
STAND_AUG = date(2026, 8, 31)
ABEND_DATUM = date(2026, 9, 17)
UNTERBEZIRK = "Musterstadt"
TITEL = "Mitgliederliste Unterbezirk Musterstadt"
TITEL_TEILNAHME = "Teilnahmeliste Neumitgliederabend – 17.09.2026"

DATEI_MAI = "unterbezirk-musterstadt-2026-05.xlsx"
DATEI_AUG = "unterbezirk-musterstadt-2026-08.csv"
DATEI_TEILNAHME = "teilnahme-neumitgliederabend-2026-09.xlsx"

ORDNER = Path(__file__).resolve().parent

# Layout of file 1 (MAVIS-like xlsx): title block in rows 1-4, header in row 5, data from row 6.
SPALTEN_XLSX = (
    "Mitgl.-Nr.",
    "Anrede",
    "Titel",
    "Vorname",
    "Name",
    "Straße",
    "Adresszusatz",
    "PLZ",
    "Ort",
    "Geburtsdatum",
    "Eintritt",
    "Telefon",
    "Mobil",
    "E-Mail",
    "Ortsverein",
    "Unterbezirk",
    "Telefonkontakt erwünscht",
)
XLSX_KOPFZEILE = 5

# Layout of file 2 (another system's csv, Windows-1252, ";", CRLF): lines 1-3 title block, header in line 4.
SPALTEN_CSV = (
    "Mitgliedsnummer",
    "Anrede",
    "Titel",
    "Vorname",
    "Nachname",
    "Strasse",
    "Hausnr.",
    "PLZ",
    "Wohnort",
    "Geb.-Datum",
    "Eintrittsdatum",
    "Austrittsdatum",
    "Telefon privat",
    "Handy",
    "E-Mail-Adresse",
    "OV",
    "UB",
    "Sperrvermerk",
)
CSV_KOPFZEILE = 4

SPALTEN_TEILNAHME = ("Mitgliedsnummer", "Vorname", "Nachname", "Ortsverein")
TEILNAHME_KOPFZEILE = 3

# Fixed workbook times, so the xlsx files are byte-for-byte reproducible.
ZEIT_MAI = datetime(2026, 6, 1, 7, 30, 0)
ZEIT_TEILNAHME = datetime(2026, 9, 18, 21, 15, 0)


@dataclass(frozen=True)
class Gebiet:
    """An Ortsverein with the place its members live in: Ort, PLZ, area code (+ length of the local number)."""

    name: str
    ort: str
    plz: tuple[str, ...]
    vorwahl: str
    stellen: int
    gewicht: int


# The 12 Ortsvereine of the invented Unterbezirk Musterstadt; the weights are the member counts on 31.05.2026.
GEBIETE: tuple[Gebiet, ...] = (
    Gebiet("Altstadt", "Musterstadt", ("01067", "01069"), "0351", 7, 331),
    Gebiet("Neustadt-Nord", "Musterstadt", ("01097", "01099"), "0351", 7, 240),
    Gebiet("Südvorstadt", "Musterstadt", ("01187", "01217"), "0351", 7, 203),
    Gebiet("Neustadt-Süd", "Musterstadt", ("01127",), "0351", 7, 168),
    Gebiet("Am Hafen", "Musterstadt", ("01139",), "0351", 7, 127),
    Gebiet("Schlossberg", "Schlossberg", ("04838",), "03423", 6, 118),
    Gebiet("Weinberg", "Musterstadt", ("01157", "01159"), "0351", 7, 94),
    Gebiet("Mühlental", "Mühlental", ("04808",), "03425", 6, 61),
    Gebiet("Eichenhain", "Eichenhain", ("04821",), "034292", 5, 47),
    Gebiet("Seewiesen", "Seewiesen", ("04827",), "034293", 5, 42),
    Gebiet("Auenwald", "Auenwald", ("04828",), "034291", 5, 38),
    Gebiet("Kirchdorf", "Kirchdorf", ("04880",), "034221", 5, 31),
)
ORTSVEREINE = tuple(g.name for g in GEBIETE)

STRASSEN = (
    "Lindenweg", "Hauptstraße", "Bahnhofstraße", "Schulstraße", "Gartenstraße", "Bergstraße", "Kirchgasse",
    "Am Markt", "Mühlenweg", "Rosenstraße", "Birkenweg", "Hafenstraße", "Weinbergstraße", "Schlossallee",
    "Wiesenweg", "Ahornstraße", "Feldstraße", "Am Anger", "Goethestraße", "Schillerstraße", "Parkstraße",
    "Talstraße", "Lessingstraße", "Eichendorffweg", "Uferstraße", "Kastanienallee", "Fliederweg", "Tulpenweg",
    "Am Sportplatz", "Waldstraße", "Ringstraße", "Heideweg", "Lutherstraße", "Käthe-Kollwitz-Straße",
    "Bebelstraße", "Friedrich-Ebert-Straße", "Am Mühlgraben", "Auenweg", "Seestraße", "Dorfstraße",
)  # fmt: skip
NEUTRALE_VORNAMEN = (
    "Kim",
    "Alex",
    "Robin",
    "Sascha",
    "Charlie",
    "Luca",
    "Toni",
    "Maxi",
    "Jo",
    "Eike",
    "Noah",
)
MOBIL_VORWAHLEN = (
    ("0151", 8), ("0152", 8), ("0157", 8), ("0159", 8), ("0160", 7), ("0162", 7), ("0163", 7),
    ("0170", 7), ("0171", 7), ("0172", 7), ("0173", 7), ("0174", 7), ("0175", 7), ("0176", 8),
    ("0177", 7), ("0178", 7), ("0179", 7),
)  # fmt: skip
MAIL_DOMAINS = ("example.org", "example.com", "example.net")
AUSLAND = (("Österreich", "Wien", "1010"), ("Österreich", "Salzburg", "5020"), ("Schweiz", "Zürich", "8001"))
ADRESSZUSAETZE = ("c/o {name}", "bei {name}", "Hinterhaus", "2. OG links", "Seitenflügel", "App. {nr}")

FELDER = (
    "mitgliedsnummer", "anrede", "titel", "geschlecht", "vorname", "nachname", "strasse", "hausnummer",
    "adresszusatz", "plz", "ort", "land", "geburtsdatum", "eintrittsdatum", "austrittsdatum", "telefon", "mobil",
    "email", "ortsverein", "unterbezirk", "kein_anruf", "keine_post",
)  # fmt: skip


# --------------------------------------------------------------------------------------------------------------
# Invented people
# --------------------------------------------------------------------------------------------------------------


def _faker(seed: int) -> Any:
    from faker import Faker  # dev dependency; imported late so the constants work without it

    fake = Faker("de_DE")
    fake.seed_instance(seed)
    return fake


def _tage(rng: random.Random, von: date, bis: date) -> date:
    """A uniformly random day in [von, bis]."""
    return von + timedelta(days=rng.randint(0, max(0, (bis - von).days)))


def _eintritt(rng: random.Random, stand: date) -> tuple[date, bool]:
    """A join date skewed to the past like a real branch, and whether the member counts as a recent joiner.

    Mixture: 7 % in the last 6 months, 4.5 % 6-12 months ago, the 2024/25 wave (Nov-Mar), the 2017 and early
    2018 waves, 1-8 years ago, and the bulk 8-60 years ago with its mode about 35 years back.
    """
    letzte_12 = stand - timedelta(days=366)
    fenster: list[tuple[float, date, date, bool]] = [
        (0.07, stand - timedelta(days=181), stand, True),
        (0.045, stand - timedelta(days=365), stand - timedelta(days=182), True),
    ]
    for gewicht, von, bis in (
        (0.09, date(2024, 11, 6), date(2025, 3, 31)),
        (0.05, date(2017, 1, 24), date(2017, 5, 31)),
        (0.025, date(2018, 1, 15), date(2018, 2, 6)),
    ):
        bis = min(bis, letzte_12)
        if bis > von:
            fenster.append((gewicht, von, bis, True))
    fenster.append((0.13, stand - timedelta(days=8 * 365), letzte_12, True))
    x = rng.random()
    for gewicht, von, bis, neu in fenster:
        if x < gewicht:
            return _tage(rng, von, bis), neu
        x -= gewicht
    jahre = rng.triangular(8, 60, 35)
    return stand - timedelta(days=int(jahre * 365.25)), False


def _alter_bei_eintritt(rng: random.Random, neu: bool) -> float:
    if not neu:
        return min(65.0, max(16.0, rng.gauss(27, 8)))
    x = rng.random()
    if x < 0.45:
        return min(40.0, max(16.0, rng.gauss(27, 6)))
    if x < 0.85:
        return rng.uniform(35, 65)
    return rng.uniform(60, 80)


def _ascii(text: str) -> str:
    text = text.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")
    text = text.replace("Ä", "Ae").replace("Ö", "Oe").replace("Ü", "Ue")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9.-]", "", text.lower())


def _email(rng: random.Random, vorname: str, nachname: str, jahr: int) -> str:
    v, n = _ascii(vorname.split("-")[0]), _ascii(nachname)
    muster = rng.choice(("{v}.{n}", "{v}.{n}", "{i}.{n}", "{v}{n}", "{n}.{v}", "{v}.{n}{j}", "{v}_{n}"))
    lokal = muster.format(v=v, n=n, i=v[:1], j=str(jahr)[2:])
    return f"{lokal}@{rng.choice(MAIL_DOMAINS)}"


def _hausnummer(rng: random.Random) -> str:
    nummer = min(1 + int(rng.expovariate(1 / 22)), 180)
    return f"{nummer}{rng.choice('abc')}" if rng.random() < 0.08 else str(nummer)


def _festnetz(rng: random.Random, gebiet: Gebiet) -> str:
    teilnehmer = str(rng.randint(2, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(gebiet.stellen - 1))
    return f"{gebiet.vorwahl} {teilnehmer}"


def _mobil(rng: random.Random) -> str:
    vorwahl, stellen = rng.choice(MOBIL_VORWAHLEN)
    return f"{vorwahl} {rng.randint(1, 9)}" + "".join(str(rng.randint(0, 9)) for _ in range(stellen - 1))


def _cp1252(text: str) -> bool:
    try:
        text.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def _name(fake: Any, art: str) -> str:
    """A Faker name that also survives Windows-1252 (file 2 is written in it)."""
    for _ in range(20):
        name = getattr(fake, art)()
        if _cp1252(name) and " " not in name:  # Faker's de_DE list has oddities like "Dussen van"
            return name
    return "Schmidt" if art == "last_name" else "Kim"


def _gebiete(rng: random.Random, ortsvereine: Sequence[str] | None) -> list[Gebiet]:
    if ortsvereine is None:
        return list(GEBIETE)
    bekannt = {g.name: g for g in GEBIETE}
    ergebnis = []
    for i, name in enumerate(ortsvereine):
        if name in bekannt:
            ergebnis.append(bekannt[name])
        else:
            plz = f"0{rng.choice('14')}{rng.randint(100, 999)}"
            ergebnis.append(
                Gebiet(name, UNTERBEZIRK if i % 2 == 0 else name, (plz,), "0351", 7, rng.randint(30, 350))
            )
    return ergebnis


def _verteilen(anzahl: int, gewichte: Sequence[int]) -> list[int]:
    """Split ``anzahl`` by the weights, exactly (largest remainder)."""
    summe = sum(gewichte)
    roh = [anzahl * g / summe for g in gewichte]
    teile = [int(r) for r in roh]
    rest = sorted(range(len(roh)), key=lambda i: (teile[i] - roh[i], i))
    for i in rest[: anzahl - sum(teile)]:
        teile[i] += 1
    return teile


def _strassen(rng: random.Random, fake: Any, gebiet: Gebiet) -> list[str]:
    anzahl = max(8, min(60, gebiet.gewicht // 5))
    namen = rng.sample(STRASSEN, min(len(STRASSEN), anzahl // 2 + 1))
    while len(namen) < anzahl:
        name = fake.street_name()
        if _cp1252(name) and not any(c.isdigit() for c in name) and name not in namen:
            namen.append(name)
    return namen


def erzeuge_mitglieder(
    anzahl: int,
    seed: int,
    stand: date,
    ortsvereine: list[str] | None = None,
    *,
    unterbezirk: str = UNTERBEZIRK,
    eintritt_zwischen: tuple[date, date] | None = None,
    erste_nummer: int | None = None,
    anteil_ausland: float = 0.0,
    anteil_keine_post: float = 0.01,
) -> list[dict]:
    """Make ``anzahl`` invented current members of one Unterbezirk, as they stand on ``stand``.

    Same arguments, same people. Without ``ortsvereine`` the members are spread over the 12 Ortsvereine of
    Musterstadt in their real proportions; given names are used with random uneven sizes.

    Each dict has the keys of :data:`FELDER`: ``mitgliedsnummer`` (7-digit text with leading zeros, increasing with
    the join date), ``anrede`` ("Frau"/"Herr"/""), ``titel``, ``geschlecht`` ('w'/'m'/'d'/None), ``vorname``,
    ``nachname``, ``strasse`` (without number), ``hausnummer``, ``adresszusatz``, ``plz`` (5-digit text), ``ort``,
    ``land`` ("Deutschland", abroad "Österreich"/"Schweiz" with their 4-digit PLZ), ``geburtsdatum``,
    ``eintrittsdatum`` (dates), ``austrittsdatum`` (None), ``telefon``, ``mobil`` (DIN 5008 "0351 1234567" or
    None), ``email`` (or None), ``ortsverein``, ``unterbezirk``, ``kein_anruf`` and ``keine_post`` (bools).

    ``eintritt_zwischen`` draws every join date uniformly from that range (for new joiners); ``erste_nummer``
    makes numbers increase from there instead of being spread over 4,000-960,000. ``anteil_ausland`` is 0 by
    default, because neither example layout has a Land column (a 4-digit foreign PLZ would look like a German one
    that lost its zero).
    """
    rng = random.Random(seed)
    fake = _faker(seed)
    gebiete = _gebiete(rng, ortsvereine)
    groessen = _verteilen(anzahl, [g.gewicht for g in gebiete])
    strassen = {g.name: _strassen(rng, fake, g) for g in gebiete}

    leute: list[dict] = []
    for gebiet, groesse in zip(gebiete, groessen):
        for _ in range(groesse):
            leute.append(
                _person(
                    rng,
                    fake,
                    gebiet,
                    strassen[gebiet.name],
                    stand,
                    unterbezirk,
                    eintritt_zwischen,
                    anteil_ausland,
                    anteil_keine_post,
                )
            )

    reihenfolge = sorted(range(len(leute)), key=lambda i: (leute[i]["eintrittsdatum"], i))
    if erste_nummer is None:
        nummern = sorted(rng.sample(range(4000, 960000), anzahl))
    else:
        nummern, n = [], erste_nummer
        for _ in range(anzahl):
            nummern.append(n)
            n += rng.randint(1, 400)
    for i, nummer in zip(reihenfolge, nummern):
        leute[i]["mitgliedsnummer"] = f"{nummer:07d}"
    return [leute[i] for i in reihenfolge]


def _person(
    rng: random.Random,
    fake: Any,
    gebiet: Gebiet,
    strassen: list[str],
    stand: date,
    unterbezirk: str,
    eintritt_zwischen: tuple[date, date] | None,
    anteil_ausland: float,
    anteil_keine_post: float,
) -> dict:
    if eintritt_zwischen:
        eintritt, neu = _tage(rng, *eintritt_zwischen), True
    else:
        eintritt, neu = _eintritt(rng, stand)
    for _ in range(10):
        alter_eintritt = _alter_bei_eintritt(rng, neu)
        geburt = eintritt - timedelta(days=int(alter_eintritt * 365.25) + rng.randint(0, 364))
        if (stand - geburt).days < 97 * 365:
            break
    else:
        geburt = stand - timedelta(days=96 * 365 + rng.randint(0, 300))
    alter = (stand - geburt).days / 365.25

    x = rng.random()
    anteil_w = 0.40 if neu else 0.31
    geschlecht = "w" if x < anteil_w else "m" if x < 0.98 else "d" if x < 0.99 else None
    if geschlecht == "w":
        vorname = _name(fake, "first_name_female")
    elif geschlecht == "m":
        vorname = _name(fake, "first_name_male")
    elif rng.random() < 0.6:
        vorname = rng.choice(NEUTRALE_VORNAMEN)
    else:
        vorname = _name(fake, rng.choice(("first_name_female", "first_name_male")))
    nachname = _name(fake, "last_name")
    if geschlecht == "w" and rng.random() < 0.04:
        nachname = f"{nachname}-{_name(fake, 'last_name')}"
    anrede = {"w": "Frau", "m": "Herr"}.get(geschlecht or "", "")
    titel = ""
    if alter >= 30:
        t = rng.random()
        titel = "Dr." if t < 0.035 else "Prof. Dr." if t < 0.038 else ""

    land, ort, plz = "Deutschland", gebiet.ort, rng.choice(gebiet.plz)
    strasse, hausnummer = rng.choice(strassen), _hausnummer(rng)
    if anteil_ausland and rng.random() < anteil_ausland:
        land, ort, plz = rng.choice(AUSLAND)
        strasse = rng.choice(("Hauptstraße", "Bahnhofstrasse", "Rosengasse", "Seestrasse"))
    adresszusatz = ""
    if rng.random() < 0.01:
        adresszusatz = rng.choice(ADRESSZUSAETZE).format(name=_name(fake, "last_name"), nr=rng.randint(1, 40))

    p_telefon = 0.80 if alter >= 60 else 0.60 if alter >= 35 else 0.35
    p_mobil = 0.70 if alter < 60 else 0.35
    p_email = 0.80 if alter < 40 else 0.60 if alter < 65 else 0.35
    telefon = _festnetz(rng, gebiet) if rng.random() < p_telefon and land == "Deutschland" else None
    mobil = _mobil(rng) if rng.random() < p_mobil else None
    email = _email(rng, vorname, nachname, geburt.year) if rng.random() < p_email else None

    return {
        "mitgliedsnummer": "",
        "anrede": anrede,
        "titel": titel,
        "geschlecht": geschlecht,
        "vorname": vorname,
        "nachname": nachname,
        "strasse": strasse,
        "hausnummer": hausnummer,
        "adresszusatz": adresszusatz,
        "plz": plz,
        "ort": ort,
        "land": land,
        "geburtsdatum": geburt,
        "eintrittsdatum": eintritt,
        "austrittsdatum": None,
        "telefon": telefon,
        "mobil": mobil,
        "email": email,
        "ortsverein": gebiet.name,
        "unterbezirk": unterbezirk,
        "kein_anruf": rng.random() < 0.03,
        "keine_post": rng.random() < anteil_keine_post,
    }


# --------------------------------------------------------------------------------------------------------------
# How exports write values
# --------------------------------------------------------------------------------------------------------------

_DIN = re.compile(r"^0(\d+) (\d+)$")


def _variante(seed: int, nummer: object, feld: str) -> random.Random:
    """A Random for one format choice of one member, independent of row order."""
    return random.Random(f"{seed}:{nummer}:{feld}")


def _waehle(rng: random.Random, gewichte: dict[str, float]) -> str:
    x = rng.random() * sum(gewichte.values())
    for name, gewicht in gewichte.items():
        if x < gewicht:
            return name
        x -= gewicht
    return name


def telefon_darstellung(wert: object, variante: str) -> object:
    """Write a DIN 5008 number ("0351 1234567") the way an export might; other values stay as they are.

    Variants: ``din`` 0351 1234567, ``schraeg`` 0351/1234567, ``strich`` 0351-1234567, ``klammer`` (0351) 1234567,
    ``intl`` +49 351 1234567, ``intl_kompakt`` +493511234567, ``zahl`` 3511234567 as a number (the lost 0),
    ``zahl_text`` "3511234567".
    """
    if not isinstance(wert, str) or not (m := _DIN.match(wert)):
        return wert
    vorwahl, rest = m.groups()
    return {
        "din": wert,
        "schraeg": f"0{vorwahl}/{rest}",
        "strich": f"0{vorwahl}-{rest}",
        "klammer": f"(0{vorwahl}) {rest}",
        "intl": f"+49 {vorwahl} {rest}",
        "intl_kompakt": f"+49{vorwahl}{rest}",
        "zahl": int(vorwahl + rest),
        "zahl_text": vorwahl + rest,
    }[variante]


XLSX_FESTNETZ = {"din": 0.40, "schraeg": 0.25, "intl": 0.13, "zahl": 0.22}
XLSX_MOBIL = {"din": 0.35, "schraeg": 0.15, "intl": 0.15, "zahl": 0.35}
CSV_FESTNETZ = {"din": 0.35, "strich": 0.20, "klammer": 0.15, "intl": 0.15, "intl_kompakt": 0.15}
CSV_MOBIL = {"din": 0.40, "strich": 0.15, "intl": 0.20, "intl_kompakt": 0.15, "zahl_text": 0.10}


def _datum_csv(wert: object, rng: random.Random) -> str:
    """31.03.2025 mostly, 31.3.25 for about a third (only where the two-digit year is unambiguous)."""
    if wert is None:
        return ""
    if not isinstance(wert, date):
        return str(wert)
    if 1930 <= wert.year <= 2029 and rng.random() < 0.3:
        return f"{wert.day}.{wert.month}.{wert.year % 100:02d}"
    return f"{wert:%d.%m.%Y}"


def _text(wert: object) -> str:
    return "" if wert is None else str(wert)


def _speichern(wb: Any, pfad: Path, zeitpunkt: datetime) -> Path:
    """Save a workbook reproducibly: fixed document times and fixed ZIP entry times."""
    wb.properties.creator = "mitgliederarbeit (Beispieldaten)"
    wb.properties.lastModifiedBy = "mitgliederarbeit (Beispieldaten)"
    wb.properties.created = zeitpunkt
    wb.properties.modified = zeitpunkt
    puffer = io.BytesIO()
    wb.save(puffer)  # openpyxl stamps "modified" with the current time while saving: put ours back
    from openpyxl.xml.functions import tostring

    wb.properties.modified = zeitpunkt
    kern = tostring(wb.properties.to_tree())
    ziel_puffer = io.BytesIO()
    stempel = (
        zeitpunkt.year,
        zeitpunkt.month,
        zeitpunkt.day,
        zeitpunkt.hour,
        zeitpunkt.minute,
        zeitpunkt.second,
    )
    with zipfile.ZipFile(puffer) as quelle, zipfile.ZipFile(ziel_puffer, "w", zipfile.ZIP_DEFLATED) as ziel:
        for info in quelle.infolist():
            eintrag = zipfile.ZipInfo(info.filename, date_time=stempel)
            eintrag.compress_type = zipfile.ZIP_DEFLATED
            eintrag.external_attr = 0o644 << 16
            inhalt = kern if info.filename == "docProps/core.xml" else quelle.read(info.filename)
            ziel.writestr(eintrag, inhalt)
    pfad.write_bytes(ziel_puffer.getvalue())
    return pfad


def _kopf_formatieren(ws: Any, zeile: int, breiten: Sequence[int]) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    for spalte, breite in enumerate(breiten, start=1):
        ws.cell(row=zeile, column=spalte).font = Font(bold=True)
        ws.column_dimensions[get_column_letter(spalte)].width = breite
    ws.freeze_panes = ws.cell(row=zeile + 1, column=1)
    ws.auto_filter.ref = f"A{zeile}:{get_column_letter(len(breiten))}{max(zeile, ws.max_row)}"


def xlsx_zeile(mitglied: dict, seed: int = SEED) -> list[object]:
    """One member as the cells of a file-1 row (see :data:`SPALTEN_XLSX`).

    PLZ made of digits become numbers (01067 -> 1067, as Excel does), phone numbers get a per-member format
    variant (some as numbers that lost their 0), dates stay dates, any other value is written as it is (that is
    how the bad rows and the warnings get in).
    """
    nr = mitglied.get("mitgliedsnummer")
    strasse = " ".join(s for s in (_text(mitglied.get("strasse")), _text(mitglied.get("hausnummer"))) if s)
    plz = mitglied.get("plz")
    if isinstance(plz, str) and plz.isdigit():
        plz = int(plz)
    telefon = telefon_darstellung(
        mitglied.get("telefon"), _waehle(_variante(seed, nr, "telefon"), XLSX_FESTNETZ)
    )
    mobil = telefon_darstellung(mitglied.get("mobil"), _waehle(_variante(seed, nr, "mobil"), XLSX_MOBIL))
    if mitglied.get("kein_anruf"):
        erwuenscht = "nein"
    else:
        erwuenscht = "ja" if _variante(seed, nr, "erwuenscht").random() < 0.6 else ""
    werte = [
        nr,
        mitglied.get("anrede"),
        mitglied.get("titel"),
        mitglied.get("vorname"),
        mitglied.get("nachname"),
        strasse,
        mitglied.get("adresszusatz"),
        plz,
        mitglied.get("ort"),
        mitglied.get("geburtsdatum"),
        mitglied.get("eintrittsdatum"),
        telefon,
        mobil,
        mitglied.get("email"),
        mitglied.get("ortsverein"),
        mitglied.get("unterbezirk"),
        erwuenscht,
    ]
    return [None if w == "" else w for w in werte]


def schreibe_xlsx(
    pfad: str | Path,
    mitglieder: Iterable[dict],
    *,
    stand: date,
    titel: str = TITEL,
    seed: int = SEED,
    zeitpunkt: datetime | None = None,
) -> Path:
    """Write members as a MAVIS-like xlsx export (layout of file 1), rows in the given order.

    Rows 1-4: title, "Stand: TT.MM.JJJJ", "Vertraulich – nur für den internen Gebrauch", empty; row 5: header
    (:data:`SPALTEN_XLSX`); data from row 6. Mitgl.-Nr. is a text cell, dates are date cells (TT.MM.JJJJ).
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font

    pfad = Path(pfad)
    wb = Workbook()
    ws = wb.active
    ws.title = "Mitgliederliste"
    ws.append([titel])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([f"Stand: {stand:%d.%m.%Y}"])
    ws.append(["Vertraulich – nur für den internen Gebrauch"])
    ws.append([])
    ws.append(list(SPALTEN_XLSX))
    datum_spalten = (SPALTEN_XLSX.index("Geburtsdatum") + 1, SPALTEN_XLSX.index("Eintritt") + 1)
    for mitglied in mitglieder:
        ws.append(xlsx_zeile(mitglied, seed))
        zeile = ws.max_row
        ws.cell(row=zeile, column=1).number_format = "@"
        for spalte in datum_spalten:
            zelle = ws.cell(row=zeile, column=spalte)
            if isinstance(zelle.value, (date, datetime)):
                zelle.number_format = "DD.MM.YYYY"
    _kopf_formatieren(ws, XLSX_KOPFZEILE, (11, 7, 9, 14, 16, 26, 16, 7, 14, 12, 11, 17, 17, 30, 15, 14, 12))
    return _speichern(wb, pfad, zeitpunkt or datetime(stand.year, stand.month, stand.day, 8, 0, 0))


def csv_zeile(mitglied: dict, seed: int = SEED) -> list[str]:
    """One member as the cells of a file-2 row (see :data:`SPALTEN_CSV`).

    The member number loses its leading zeros, street and number are split, dates are written 31.03.2025 or
    31.3.25, kein_anruf/keine_post become the Sperrvermerk.
    """
    nr = _text(mitglied.get("mitgliedsnummer"))
    nr_csv = (nr.lstrip("0") or nr) if nr.isdigit() else nr
    sperren = []
    if mitglied.get("keine_post"):
        sperren.append("keine Post")
    if mitglied.get("kein_anruf"):
        sperren.append("kein Telefon")
    telefon = telefon_darstellung(
        mitglied.get("telefon"), _waehle(_variante(seed, nr, "csv-telefon"), CSV_FESTNETZ)
    )
    mobil = telefon_darstellung(mitglied.get("mobil"), _waehle(_variante(seed, nr, "csv-mobil"), CSV_MOBIL))
    return [
        nr_csv,
        _text(mitglied.get("anrede")),
        _text(mitglied.get("titel")),
        _text(mitglied.get("vorname")),
        _text(mitglied.get("nachname")),
        _text(mitglied.get("strasse")),
        _text(mitglied.get("hausnummer")),
        _text(mitglied.get("plz")),
        _text(mitglied.get("ort")),
        _datum_csv(mitglied.get("geburtsdatum"), _variante(seed, nr, "csv-geburt")),
        _datum_csv(mitglied.get("eintrittsdatum"), _variante(seed, nr, "csv-eintritt")),
        _datum_csv(mitglied.get("austrittsdatum"), _variante(seed, nr, "csv-austritt")),
        _text(telefon),
        _text(mobil),
        _text(mitglied.get("email")),
        _text(mitglied.get("ortsverein")),
        _text(mitglied.get("unterbezirk")),
        ", ".join(sperren),
    ]


def schreibe_csv(
    pfad: str | Path,
    mitglieder: Iterable[dict],
    *,
    stand: date,
    titel: str = TITEL,
    seed: int = SEED,
    encoding: str = "cp1252",
) -> Path:
    """Write members as another system's csv export (layout of file 2), rows in the given order.

    Windows-1252, ";" as delimiter, CRLF. Lines 1-3: ``<titel>;;;``, ``Stand: TT.MM.JJJJ;;;``, empty; line 4:
    header (:data:`SPALTEN_CSV`); data from line 5.
    """
    pfad = Path(pfad)
    puffer = io.StringIO(newline="")
    puffer.write(f"{titel};;;\r\nStand: {stand:%d.%m.%Y};;;\r\n\r\n")
    schreiber = csv.writer(puffer, delimiter=";", lineterminator="\r\n")
    schreiber.writerow(SPALTEN_CSV)
    for mitglied in mitglieder:
        schreiber.writerow(csv_zeile(mitglied, seed))
    pfad.write_bytes(puffer.getvalue().encode(encoding))
    return pfad


def schreibe_teilnahme_xlsx(
    pfad: str | Path,
    zeilen: Iterable[dict],
    *,
    titel: str = TITEL_TEILNAHME,
    zeitpunkt: datetime = ZEIT_TEILNAHME,
) -> Path:
    """Write an attendance list: row 1 the title, row 2 empty, row 3 the header, data from row 4.

    ``zeilen`` are dicts with mitgliedsnummer (text, int or None), vorname, nachname, ortsverein.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font

    pfad = Path(pfad)
    wb = Workbook()
    ws = wb.active
    ws.title = "Teilnahme"
    ws.append([titel])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([])
    ws.append(list(SPALTEN_TEILNAHME))
    for z in zeilen:
        ws.append([z.get("mitgliedsnummer"), z.get("vorname"), z.get("nachname"), z.get("ortsverein")])
        if isinstance(z.get("mitgliedsnummer"), str):
            ws.cell(row=ws.max_row, column=1).number_format = "@"
    _kopf_formatieren(ws, TEILNAHME_KOPFZEILE, (16, 16, 18, 16))
    return _speichern(wb, pfad, zeitpunkt)


# --------------------------------------------------------------------------------------------------------------
# The example scenario: Unterbezirk Musterstadt on 31.05.2026 and on 31.08.2026
# --------------------------------------------------------------------------------------------------------------


@dataclass
class Beispiel:
    """The example scenario with everything a test needs to check an import against.

    ``mitglieder_mai``/``mitglieder_aug`` are the true states (dicts as from :func:`erzeuge_mitglieder`);
    ``zeilen_mai``/``zeilen_aug`` the rows as written to the files, in file order (with the bad rows and the bad
    values). Numbers are the 7-digit member numbers of file 1 (file 2 writes them without leading zeros).
    """

    mitglieder_mai: list[dict]
    zeilen_mai: list[dict]
    mitglieder_aug: list[dict]
    zeilen_aug: list[dict]
    teilnahme: list[dict]
    # file 1: (spreadsheet row, number as written, German reason)
    abgelehnt: list[tuple[int, str, str]] = field(default_factory=list)
    # (field, value as written) per member number; the same values are in both files
    warnungen: dict[str, tuple[str, object]] = field(default_factory=dict)
    warnzeilen_mai: list[tuple[int, str, str]] = field(default_factory=list)  # (row, number, field)
    warnzeilen_aug: list[tuple[int, str, str]] = field(default_factory=list)
    eintritte: list[str] = field(default_factory=list)  # 60 real joiners 01.06.-31.08.2026
    nachgeholt: list[str] = field(default_factory=list)  # the 3 members rejected in file 1, valid in file 2
    austritte_fehlend: list[str] = field(default_factory=list)
    austritte_mit_datum: list[str] = field(default_factory=list)
    fruehaustritte: list[str] = field(default_factory=list)
    wechsel: list[tuple[str, str, str]] = field(default_factory=list)  # (number, from, to)
    aenderungen: list[tuple[str, str, dict]] = field(
        default_factory=list
    )  # (number, kind, {field: (old, new)})
    teilnahme_ohne_nummer: list[int] = field(default_factory=list)  # rows of the attendance list

    @property
    def austritte(self) -> list[str]:
        return self.austritte_fehlend + self.austritte_mit_datum

    @property
    def neue_nummern(self) -> list[str]:
        """Numbers the store has not seen after importing file 1: the joiners plus the 3 rows fixed in file 2."""
        return self.eintritte + self.nachgeholt

    def zahlen(self) -> dict[str, int]:
        """The expected counts of both imports (and of the attendance list)."""
        return {
            "mai_gelesen": len(self.zeilen_mai),
            "mai_uebernommen": len(self.zeilen_mai) - len(self.abgelehnt),
            "mai_abgelehnt": len(self.abgelehnt),
            "mai_warnungen": len(self.warnzeilen_mai),
            "aug_gelesen": len(self.zeilen_aug),
            "aug_uebernommen": len(self.zeilen_aug),
            "aug_abgelehnt": 0,
            "aug_warnungen": len(self.warnzeilen_aug),
            "aug_mitglieder": sum(1 for m in self.mitglieder_aug if m["austrittsdatum"] is None),
            "eintritte": len(self.neue_nummern),
            "eintritte_neu": len(self.eintritte),
            "eintritte_nachgeholt": len(self.nachgeholt),
            "austritte": len(self.austritte),
            "austritte_fehlend": len(self.austritte_fehlend),
            "austritte_mit_datum": len(self.austritte_mit_datum),
            "fruehaustritte": len(self.fruehaustritte),
            "wechsel": len(self.wechsel),
            "aenderungen": len(self.aenderungen),
            "teilnahme_zeilen": len(self.teilnahme),
            "teilnahme_ohne_nummer": len(self.teilnahme_ohne_nummer),
        }


def _sortiert_mai(zeilen: list[dict]) -> list[dict]:
    reihenfolge = {name: i for i, name in enumerate(sorted(ORTSVEREINE))}
    return sorted(
        zeilen,
        key=lambda m: (
            reihenfolge.get(m["ortsverein"], 99),
            m["nachname"].casefold(),
            m["vorname"].casefold(),
            m["mitgliedsnummer"],
        ),
    )


def _ziehen(
    rng: random.Random, pool: list[dict], anzahl: int, belegt: set[str], bedingung=None
) -> list[dict]:
    """Draw ``anzahl`` members not yet used for another role; marks them as used."""
    kandidaten = [
        m for m in pool if m["mitgliedsnummer"] not in belegt and (bedingung is None or bedingung(m))
    ]
    if len(kandidaten) < anzahl:
        raise RuntimeError(f"zu wenige Kandidaten ({len(kandidaten)} < {anzahl})")
    gezogen = rng.sample(kandidaten, anzahl)
    belegt.update(m["mitgliedsnummer"] for m in gezogen)
    return gezogen


def _alter(m: dict, tag: date) -> float:
    return (tag - m["geburtsdatum"]).days / 365.25


def erzeuge_beispiel(seed: int = SEED) -> Beispiel:
    """Build the example scenario (deterministic for a seed); :func:`main` writes it to the three files."""
    rng = random.Random(f"{seed}/szenario")
    mai = erzeuge_mitglieder(1500, seed, STAND_MAI, anteil_keine_post=0.0)
    belegt: set[str] = set()

    # Frühaustritte (joined from 01.11.2025: at most 303 days before leaving) and ordinary leavers (joined by
    # 30.04.2025: at least 397 days), so "within 12 months" is unambiguous whatever the exact rule.
    def jung(m: dict) -> bool:
        return m["eintrittsdatum"] >= date(2025, 11, 1)

    def alt(m: dict) -> bool:
        return m["eintrittsdatum"] <= date(2025, 4, 30)

    frueh_fehlend = _ziehen(rng, mai, 2, belegt, jung)
    frueh_datum = _ziehen(rng, mai, 4, belegt, jung)
    weg_fehlend = frueh_fehlend + _ziehen(rng, mai, 13, belegt, alt)
    weg_datum = frueh_datum + _ziehen(rng, mai, 16, belegt, alt)
    wechsler = _ziehen(rng, mai, 12, belegt)
    heirat = _ziehen(
        rng, mai, 12, belegt, lambda m: 22 <= _alter(m, STAND_AUG) <= 55 and m["geschlecht"] in ("w", "m")
    )
    umzug = _ziehen(rng, mai, 13, belegt)
    kontakt = _ziehen(rng, mai, 12, belegt)
    post = _ziehen(rng, mai, 3, belegt)
    warn = _ziehen(rng, mai, 10, belegt)
    ohne_eintritt, falsches_datum = _ziehen(rng, mai, 1, belegt) + _ziehen(
        rng, mai, 1, belegt, lambda m: m["eintrittsdatum"].year == 2019
    )
    falsches_datum["eintrittsdatum"] = date(2019, 2, 28)  # typed as 31.02.2019 in file 1

    # Bad values (warnings); they stay in file 2, so both imports warn about the same 10 members.
    warnungen: dict[str, tuple[str, object]] = {}
    for m, (feld, wert) in zip(
        warn,
        (
            ("telefon", "kein Telefon"),
            ("telefon", "siehe Mobil"),
            ("mobil", "folgt"),
            ("email", "{lokal}@"),
            ("email", "{lokal}(at)example.org"),
            ("email", "{lokal}@example,org"),
            ("plz", "1234567"),
            ("plz", "O" + warn[7]["plz"][1:]),  # letter O instead of the leading zero
            ("plz", "123"),
            ("geburtsdatum", "31.02.1970"),
        ),
    ):
        if feld == "email":
            wert = str(wert).format(lokal=f"{_ascii(m['vorname'])}.{_ascii(m['nachname'])}")
        warnungen[m["mitgliedsnummer"]] = (feld, wert)

    def mit_fehlern(m: dict) -> dict:
        zeile = dict(m)
        if m["mitgliedsnummer"] in warnungen:
            feld, wert = warnungen[m["mitgliedsnummer"]]
            zeile[feld] = wert
        return zeile

    # File 1 rows: sorted by Ortsverein and name; then the three bad rows.
    zeilen_mai = _sortiert_mai([mit_fehlern(m) for m in mai])
    index = {z["mitgliedsnummer"]: i for i, z in enumerate(zeilen_mai)}
    zeilen_mai[index[ohne_eintritt["mitgliedsnummer"]]]["eintrittsdatum"] = None
    zeilen_mai[index[falsches_datum["mitgliedsnummer"]]]["eintrittsdatum"] = "31.02.2019"
    # A typo: member "doppelt" carries the number of a member listed earlier in the file.
    doppelt = _ziehen(rng, mai, 1, belegt, lambda m: index[m["mitgliedsnummer"]] >= 200)[0]
    zeile_doppelt = index[doppelt["mitgliedsnummer"]]
    original = _ziehen(rng, zeilen_mai[:zeile_doppelt], 1, belegt)[0]
    zeilen_mai[zeile_doppelt]["mitgliedsnummer"] = original["mitgliedsnummer"]

    def zeile_xlsx(i: int) -> int:
        return XLSX_KOPFZEILE + 1 + i

    abgelehnt = sorted(
        [
            (
                zeile_xlsx(index[ohne_eintritt["mitgliedsnummer"]]),
                ohne_eintritt["mitgliedsnummer"],
                "Eintrittsdatum fehlt",
            ),
            (
                zeile_xlsx(index[falsches_datum["mitgliedsnummer"]]),
                falsches_datum["mitgliedsnummer"],
                "Eintrittsdatum „31.02.2019“ ist kein gültiges Datum",
            ),
            (
                zeile_xlsx(zeile_doppelt),
                original["mitgliedsnummer"],
                f"Mitgliedsnummer {original['mitgliedsnummer']} doppelt (schon in Zeile "
                f"{zeile_xlsx(index[original['mitgliedsnummer']])}); richtig wäre {doppelt['mitgliedsnummer']}",
            ),
        ]
    )
    warnzeilen_mai = sorted((zeile_xlsx(index[nr]), nr, feld) for nr, (feld, _) in warnungen.items())

    # The state on 31.08.2026.
    aug = {m["mitgliedsnummer"]: dict(m) for m in mai}
    beispiel = Beispiel(
        mai, zeilen_mai, [], [], [], abgelehnt=abgelehnt, warnungen=warnungen, warnzeilen_mai=warnzeilen_mai
    )
    beispiel.nachgeholt = [
        ohne_eintritt["mitgliedsnummer"],
        falsches_datum["mitgliedsnummer"],
        doppelt["mitgliedsnummer"],
    ]
    for m in weg_fehlend:
        del aug[m["mitgliedsnummer"]]
        beispiel.austritte_fehlend.append(m["mitgliedsnummer"])
    for m in weg_datum:
        aug[m["mitgliedsnummer"]]["austrittsdatum"] = _tage(rng, date(2026, 6, 1), STAND_AUG)
        beispiel.austritte_mit_datum.append(m["mitgliedsnummer"])
    beispiel.fruehaustritte = [m["mitgliedsnummer"] for m in frueh_fehlend + frueh_datum]

    for m in wechsler:
        ziel = rng.choice([g.name for g in GEBIETE if g.name != m["ortsverein"]])
        aug[m["mitgliedsnummer"]]["ortsverein"] = ziel
        beispiel.wechsel.append((m["mitgliedsnummer"], m["ortsverein"], ziel))

    fake = _faker(seed + 1)
    gebiet = {g.name: g for g in GEBIETE}
    for m in heirat:
        neu = _name(fake, "last_name")
        neu = f"{m['nachname']}-{neu}" if rng.random() < 0.3 and "-" not in m["nachname"] else neu
        aug[m["mitgliedsnummer"]]["nachname"] = neu
        beispiel.aenderungen.append(
            (m["mitgliedsnummer"], "Nachname (Heirat)", {"nachname": (m["nachname"], neu)})
        )
    for m in umzug:
        g = gebiet[m["ortsverein"]]
        strassen = sorted({x["strasse"] for x in mai if x["ortsverein"] == g.name} - {m["strasse"]})
        felder = {
            "strasse": (m["strasse"], rng.choice(strassen)),
            "hausnummer": (m["hausnummer"], _hausnummer(rng)),
        }
        if len(g.plz) > 1:
            neue_plz = rng.choice(g.plz)
            if neue_plz != m["plz"]:
                felder["plz"] = (m["plz"], neue_plz)
        for feld, (_, wert) in felder.items():
            aug[m["mitgliedsnummer"]][feld] = wert
        beispiel.aenderungen.append((m["mitgliedsnummer"], "Adresse (Umzug im Ortsverein)", felder))
    for i, m in enumerate(kontakt):
        feld = ("telefon", "mobil", "email")[i % 3]
        if feld == "telefon":
            wert = _festnetz(rng, gebiet[m["ortsverein"]])
        elif feld == "mobil":
            wert = _mobil(rng)
        else:
            wert = _email(rng, m["vorname"], m["nachname"], m["geburtsdatum"].year)
        if wert == m[feld]:
            raise RuntimeError("Änderung ohne Änderung")
        aug[m["mitgliedsnummer"]][feld] = wert
        beispiel.aenderungen.append(
            (
                m["mitgliedsnummer"],
                {"telefon": "Telefon neu", "mobil": "Mobil neu", "email": "E-Mail neu"}[feld],
                {feld: (m[feld], wert)},
            )
        )
    for m in post:
        aug[m["mitgliedsnummer"]]["keine_post"] = True
        beispiel.aenderungen.append(
            (m["mitgliedsnummer"], "Sperrvermerk „keine Post“", {"keine_post": (False, True)})
        )

    hoechste = max(int(m["mitgliedsnummer"]) for m in mai)
    neue = erzeuge_mitglieder(
        60,
        seed + 2,
        STAND_AUG,
        eintritt_zwischen=(date(2026, 6, 1), STAND_AUG),
        erste_nummer=hoechste + rng.randint(200, 900),
        anteil_keine_post=0.0,
    )
    beispiel.eintritte = [m["mitgliedsnummer"] for m in neue]
    beispiel.mitglieder_aug = sorted([*aug.values(), *neue], key=lambda m: int(m["mitgliedsnummer"]))
    beispiel.zeilen_aug = [mit_fehlern(m) for m in beispiel.mitglieder_aug]
    beispiel.warnzeilen_aug = sorted(
        (CSV_KOPFZEILE + 1 + i, z["mitgliedsnummer"], warnungen[z["mitgliedsnummer"]][0])
        for i, z in enumerate(beispiel.zeilen_aug)
        if z["mitgliedsnummer"] in warnungen
    )

    _teilnahme(rng, beispiel, belegt)
    return beispiel


def _teilnahme(rng: random.Random, beispiel: Beispiel, belegt: set[str]) -> None:
    """25 members who joined within the year before the evening; 3 written without number, 1 of them in capitals."""
    alle = beispiel.mitglieder_mai + beispiel.mitglieder_aug
    namen: dict[tuple[str, str], int] = {}
    for m in {m["mitgliedsnummer"]: m for m in alle}.values():
        schluessel = (m["vorname"].casefold(), m["nachname"].casefold())
        namen[schluessel] = namen.get(schluessel, 0) + 1

    def aktiv_neu(m: dict) -> bool:
        return m["austrittsdatum"] is None and ABEND_DATUM - timedelta(days=365) < m["eintrittsdatum"]

    def eindeutig(m: dict) -> bool:
        return aktiv_neu(m) and namen[(m["vorname"].casefold(), m["nachname"].casefold())] == 1

    ohne = _ziehen(rng, beispiel.mitglieder_aug, 3, belegt, eindeutig)
    mit = _ziehen(rng, beispiel.mitglieder_aug, 22, belegt, aktiv_neu)
    zeilen = []
    for m in mit:
        nr: object = int(m["mitgliedsnummer"]) if rng.random() < 0.6 else m["mitgliedsnummer"]
        zeilen.append(
            {
                "mitgliedsnummer": nr,
                "vorname": m["vorname"],
                "nachname": m["nachname"],
                "ortsverein": m["ortsverein"],
            }
        )
    for i, m in enumerate(ohne):
        nachname = m["nachname"].upper() if i == 0 else m["nachname"]
        zeilen.append(
            {
                "mitgliedsnummer": None,
                "vorname": m["vorname"],
                "nachname": nachname,
                "ortsverein": m["ortsverein"],
                "_nummer": m["mitgliedsnummer"],
            }
        )
    rng.shuffle(zeilen)
    beispiel.teilnahme = zeilen
    beispiel.teilnahme_ohne_nummer = [
        TEILNAHME_KOPFZEILE + 1 + i for i, z in enumerate(zeilen) if z["mitgliedsnummer"] is None
    ]


# --------------------------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------------------------


def schreibe_beispiel(ordner: str | Path = ORDNER, seed: int = SEED) -> tuple[Beispiel, list[Path]]:
    """Write the three example files into ``ordner``; returns the scenario and the paths."""
    ordner = Path(ordner)
    ordner.mkdir(parents=True, exist_ok=True)
    b = erzeuge_beispiel(seed)
    pfade = [
        schreibe_xlsx(ordner / DATEI_MAI, b.zeilen_mai, stand=STAND_MAI, seed=seed, zeitpunkt=ZEIT_MAI),
        schreibe_csv(ordner / DATEI_AUG, b.zeilen_aug, stand=STAND_AUG, seed=seed),
        schreibe_teilnahme_xlsx(ordner / DATEI_TEILNAHME, b.teilnahme),
    ]
    return b, pfade


def zusammenfassung(b: Beispiel) -> str:
    """The expected numbers in German, as printed by :func:`main`."""
    z = b.zahlen()
    zeilen = [
        f"{DATEI_MAI} (Stand {STAND_MAI:%d.%m.%Y}): {z['mai_gelesen']} Zeilen, {z['mai_uebernommen']} gültig, "
        f"{z['mai_abgelehnt']} abzulehnen, {z['mai_warnungen']} Warnungen",
    ]
    zeilen += [f"  abgelehnt: Zeile {r}, Nr. {nr}: {grund}" for r, nr, grund in b.abgelehnt]
    zeilen += [
        f"  Warnung:   Zeile {r}, Nr. {nr}: {feld} = {b.warnungen[nr][1]!r}"
        for r, nr, feld in b.warnzeilen_mai
    ]
    zeilen += [
        f"{DATEI_AUG} (Stand {STAND_AUG:%d.%m.%Y}): {z['aug_gelesen']} Zeilen, alle gültig, "
        f"{z['aug_warnungen']} Warnungen (Zeilen {', '.join(str(r) for r, _, _ in b.warnzeilen_aug)}), "
        f"{z['aug_mitglieder']} Mitglieder ohne Austrittsdatum",
        f"  Eintritte: {z['eintritte']} neue Nummern = {z['eintritte_neu']} Neumitglieder + "
        f"{z['eintritte_nachgeholt']} in Datei 1 abgelehnte Zeilen",
        f"  Austritte: {z['austritte']} = {z['austritte_fehlend']} fehlen + {z['austritte_mit_datum']} mit "
        f"Austrittsdatum; davon Frühaustritte: {z['fruehaustritte']}",
        f"  Wechsel: {z['wechsel']}, Änderungen: {z['aenderungen']} "
        f"({', '.join(f'{n} {k}' for k, n in _arten(b).items())})",
        f"{DATEI_TEILNAHME}: {z['teilnahme_zeilen']} Zeilen, {z['teilnahme_ohne_nummer']} ohne Mitgliedsnummer "
        f"(Zeilen {', '.join(str(r) for r in b.teilnahme_ohne_nummer)})",
    ]
    return "\n".join(zeilen)


def _arten(b: Beispiel) -> dict[str, int]:
    arten: dict[str, int] = {}
    for _, art, _ in b.aenderungen:
        arten[art] = arten.get(art, 0) + 1
    return arten


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Erzeugt die erfundenen Beispieldaten in examples/ neu.")
    parser.add_argument("--ordner", type=Path, default=ORDNER, help="Zielordner (Standard: examples/)")
    parser.add_argument("--seed", type=int, default=SEED, help=f"Startwert des Zufalls (Standard: {SEED})")
    args = parser.parse_args(argv)
    b, pfade = schreibe_beispiel(args.ordner, args.seed)
    for pfad in pfade:
        print(f"geschrieben: {pfad}")
    print(zusammenfassung(b))
    return 0


if __name__ == "__main__":
    sys.exit(main())
