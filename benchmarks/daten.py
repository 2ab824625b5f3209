"""Schneller, reproduzierbarer Generator für große Mitgliederexporte (10.000 bis 400.000 Zeilen).

Alle Personen sind erfunden: Namen aus festen Listen, alles andere aus ``random.Random(seed)``. Gleiche Argumente,
gleiche Dateien. Anders als ``examples/erzeugen.py`` (Faker, openpyxl, genau erwartete Zahlen für die Tests) ist
dieser Generator auf Tempo gebaut: 400.000 Mitglieder in wenigen Sekunden, die xlsx schreibt xlsxwriter (mit einer
Tabelle gemeinsamer Texte wie Excel selbst; die xlsx mit 400.000 Zeilen dauert so etwa 30 s, sie wird zwischengespeichert).

Was ein echter Export mitbringt, steckt auch hier drin:

- deutsche Spaltennamen und ein Titelblock über der Kopfzeile („Stand: 31.08.2026“);
- PLZ als Zahlen, die ihre führende Null verloren haben (01067 -> 1067);
- Telefonnummern in gemischter Schreibweise (0351 1234567, 0351/1234567, +49 351 1234567, als Zahl ohne 0 …);
- csv in Windows-1252 mit ``;``, Datumsangaben als 31.03.2025 oder 31.3.25;
- ein paar kaputte Zeilen (fehlendes Eintrittsdatum, 31.02.) und Warnungen (PLZ, Telefon, E-Mail).

:func:`naechster_export` macht aus einem Export den nächsten: rund 1 % geändert (Austritte, Eintritte,
Wechsel, neue Anschriften und Nummern).

Aufruf von Hand: ``python benchmarks/daten.py 100000 /tmp/export`` schreibt ``/tmp/export.xlsx`` und ``.csv``.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

SEED = 20260831
STAND = date(2026, 8, 31)
STAND_NEXT = date(2026, 9, 30)

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

VORNAMEN_W = (
    "Anna", "Maria", "Ursula", "Monika", "Petra", "Elisabeth", "Sabine", "Renate", "Helga", "Karin",
    "Brigitte", "Ingrid", "Erika", "Andrea", "Gisela", "Claudia", "Susanne", "Gabriele", "Christa", "Birgit",
    "Julia", "Laura", "Lena", "Sarah", "Lisa", "Katharina", "Johanna", "Sophie", "Marie", "Hannah",
    "Leonie", "Lea", "Emily", "Mia", "Clara", "Jana", "Nina", "Franziska", "Miriam", "Jülide",
    "Ayşe", "Zeynep", "Agnieszka", "Olga", "Svetlana", "Élodie", "Małgorzata", "Dörte", "Gudrun", "Heike",
)  # fmt: skip
VORNAMEN_M = (
    "Peter", "Michael", "Thomas", "Andreas", "Wolfgang", "Klaus", "Jürgen", "Günter", "Stefan", "Christian",
    "Uwe", "Werner", "Horst", "Frank", "Dieter", "Manfred", "Gerhard", "Hans", "Bernd", "Torsten",
    "Lukas", "Jonas", "Leon", "Finn", "Paul", "Felix", "Maximilian", "Tim", "Jan", "Niklas",
    "Ben", "Elias", "Noah", "Moritz", "David", "Tobias", "Florian", "Sebastian", "Philipp", "Matthias",
    "Mehmet", "Ali", "Murat", "Piotr", "Dmitri", "Jörg", "Björn", "Sören", "René", "Joachim",
)  # fmt: skip
VORNAMEN_D = ("Kim", "Alex", "Robin", "Sascha", "Charlie", "Luca", "Toni", "Maxi", "Jo", "Eike")
NACHNAMEN = (
    "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann",
    "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Schwarz", "Zimmermann",
    "Braun", "Krüger", "Hofmann", "Hartmann", "Lange", "Schmitt", "Werner", "Schmitz", "Krause", "Meier",
    "Lehmann", "Schmid", "Schulze", "Maier", "Köhler", "Herrmann", "König", "Walter", "Mayer", "Huber",
    "Kaiser", "Fuchs", "Peters", "Lang", "Scholz", "Möller", "Weiß", "Jung", "Hahn", "Schubert",
    "Vogel", "Friedrich", "Keller", "Günther", "Frank", "Berger", "Winkler", "Roth", "Beck", "Lorenz",
    "Baumann", "Franke", "Albrecht", "Schuster", "Simon", "Ludwig", "Böhm", "Winter", "Kraus", "Martin",
    "Schumacher", "Krämer", "Vogt", "Stein", "Jäger", "Otto", "Sommer", "Groß", "Seidel", "Heinrich",
    "Brandt", "Haas", "Schreiber", "Graf", "Schulte", "Dietrich", "Ziegler", "Kuhn", "Kühn", "Pohl",
    "Engel", "Horn", "Busch", "Bergmann", "Thomas", "Voigt", "Sauer", "Arnold", "Wolff", "Pfeiffer",
    "Yılmaz", "Kaya", "Demir", "Şahin", "Nowak", "Kowalski", "Wiśniewski", "Ivanov", "Popović", "Nguyen",
    "Müller-Lüdenscheidt", "von Ahlen", "Ohnesorge", "Zur Mühlen", "Çelik", "O'Brien", "Dąbrowski", "Øster",
)  # fmt: skip
STRASSEN = (
    "Lindenweg", "Hauptstraße", "Bahnhofstraße", "Schulstraße", "Gartenstraße", "Bergstraße", "Kirchgasse",
    "Am Markt", "Mühlenweg", "Rosenstraße", "Birkenweg", "Hafenstraße", "Weinbergstraße", "Schlossallee",
    "Wiesenweg", "Ahornstraße", "Feldstraße", "Am Anger", "Goethestraße", "Schillerstraße", "Parkstraße",
    "Talstraße", "Lessingstraße", "Eichendorffweg", "Uferstraße", "Kastanienallee", "Fliederweg", "Tulpenweg",
    "Am Sportplatz", "Waldstraße", "Ringstraße", "Heideweg", "Lutherstraße", "Käthe-Kollwitz-Straße",
    "Bebelstraße", "Friedrich-Ebert-Straße", "Am Mühlgraben", "Auenweg", "Seestraße", "Dorfstraße",
    "Straße des 17. Juni", "Willy-Brandt-Platz", "Rosa-Luxemburg-Straße", "Kurt-Schumacher-Ring", "Brückenstraße",
)  # fmt: skip
TEILE = (
    "Altstadt", "Neustadt", "Nord", "Süd", "Ost", "West", "Mitte", "Hafen", "Schlossberg", "Mühlental",
    "Eichenhain", "Seewiesen", "Auenwald", "Kirchdorf", "Weinberg", "Am See", "Oberdorf", "Unterdorf",
    "Heide", "Bruch", "Feld", "Tal", "Höhe", "Grund",
)  # fmt: skip
STAEDTE = (
    "Musterstadt", "Beispielburg", "Neuhausen", "Altenbrück", "Lindenau", "Rosenthal", "Bergheim",
    "Wiesenfeld", "Eichstedt", "Hohenfurt", "Kleinmachnau", "Großwalde", "Sankt Anna", "Bad Quellbrunn",
    "Steinbach", "Mühlhausen-Süd", "Haselünne", "Ostrau", "Weißenfelde", "Dornstadt",
)  # fmt: skip
MOBIL_VORWAHLEN = (
    ("151", 8), ("152", 8), ("157", 8), ("159", 8), ("160", 7), ("162", 7), ("163", 7),
    ("170", 7), ("171", 7), ("172", 7), ("173", 7), ("174", 7), ("175", 7), ("176", 8),
    ("177", 7), ("178", 7), ("179", 7),
)  # fmt: skip
# Real German area codes (without the 0) with the length of local numbers there.
VORWAHLEN = (
    ("30", 8), ("40", 8), ("89", 8), ("221", 7), ("69", 8), ("711", 7), ("211", 7), ("231", 7), ("201", 7),
    ("421", 7), ("351", 7), ("341", 7), ("511", 7), ("911", 7), ("203", 7), ("521", 7), ("228", 6),
    ("251", 6), ("621", 7), ("611", 6), ("3423", 6), ("3425", 6), ("34292", 5), ("34293", 5), ("34291", 5),
    ("4131", 6), ("6221", 6), ("7531", 5), ("8031", 5), ("9131", 6), ("3841", 6), ("5551", 5), ("2631", 5),
)  # fmt: skip
MAIL_DOMAINS = ("example.org", "example.com", "example.net")
TITEL = ("Dr.", "Prof. Dr.", "Dipl.-Ing.")
ZUSAETZE = ("Hinterhaus", "2. OG links", "Seitenflügel", "c/o Familie Weber", "App. 12", "bei Schmidt")

FELDER = (
    "mitgliedsnummer", "anrede", "titel", "geschlecht", "vorname", "nachname", "strasse", "hausnummer",
    "adresszusatz", "plz", "ort", "geburtsdatum", "eintrittsdatum", "austrittsdatum", "telefon", "mobil",
    "email", "ortsverein", "unterbezirk", "kein_anruf", "keine_post",
)  # fmt: skip


@dataclass(frozen=True)
class Gebiet:
    """An Ortsverein: its name, Unterbezirk, place, PLZ, area code, and a weight for its size."""

    name: str
    unterbezirk: str
    ort: str
    plz: tuple[str, ...]
    vorwahl: str
    stellen: int
    gewicht: float


def gebiete(anzahl: int, seed: int = SEED) -> list[Gebiet]:
    """``anzahl`` Ortsvereine in Unterbezirken of about ten, sizes uneven like real ones (Pareto weights)."""
    rng = random.Random(f"{seed}:gebiete")
    result = []
    names: set[str] = set()
    for i in range(anzahl):
        stadt = STAEDTE[(i // 10) % len(STAEDTE)]
        ub_nr = i // 10 + 1
        unterbezirk = f"{stadt}" if ub_nr <= len(STAEDTE) else f"{stadt} {ub_nr // len(STAEDTE) + 1}"
        name = f"{stadt}-{TEILE[i % len(TEILE)]}"
        while name in names:
            name = f"{name} {len(names) % 97 + 2}"
        names.add(name)
        erste = rng.choice("0123456789")
        plz = tuple(f"{erste}{rng.randint(1000, 9999)}" for _ in range(rng.randint(1, 3)))
        vorwahl, stellen = rng.choice(VORWAHLEN)
        ort = stadt if rng.random() < 0.6 else name.split("-")[-1]
        result.append(
            Gebiet(name, unterbezirk, ort, plz, vorwahl, stellen, min(rng.paretovariate(1.3), 40.0))
        )
    return result


def _ziffern(rng: random.Random, n: int) -> str:
    return str(rng.randint(2, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(n - 1))


def _eintritt(rng: random.Random, stand: date, anteil_neu: float) -> date:
    x = rng.random()
    if x < anteil_neu:
        return stand - timedelta(days=rng.randint(0, 180))
    if x < anteil_neu + 0.05:
        return stand - timedelta(days=rng.randint(181, 730))
    return stand - timedelta(days=int(rng.triangular(2, 60, 30) * 365.25))


def _person(
    rng: random.Random,
    gebiet: Gebiet,
    stand: date,
    anteil_neu: float,
    telefon_quote: float | None,
) -> dict:
    x = rng.random()
    if x < 0.47:
        geschlecht, anrede, vorname = "w", "Frau", rng.choice(VORNAMEN_W)
    elif x < 0.98:
        geschlecht, anrede, vorname = "m", "Herr", rng.choice(VORNAMEN_M)
    else:
        geschlecht, anrede, vorname = "d", None, rng.choice(VORNAMEN_D)
    nachname = rng.choice(NACHNAMEN)
    eintritt = _eintritt(rng, stand, anteil_neu)
    alter_eintritt = min(80.0, max(16.0, rng.gauss(32, 12)))
    geburt = eintritt - timedelta(days=int(alter_eintritt * 365.25) + rng.randint(0, 364))
    if (stand - geburt).days > 98 * 365:
        geburt = stand - timedelta(days=95 * 365 + rng.randint(0, 700))
    alter = (stand - geburt).days / 365.25
    p_tel = telefon_quote if telefon_quote is not None else (0.8 if alter >= 60 else 0.55)
    p_mob = telefon_quote if telefon_quote is not None else (0.45 if alter >= 60 else 0.85)
    telefon = f"0{gebiet.vorwahl} {_ziffern(rng, gebiet.stellen)}" if rng.random() < p_tel else None
    if rng.random() < p_mob:
        vw, stellen = rng.choice(MOBIL_VORWAHLEN)
        mobil = f"0{vw} {_ziffern(rng, stellen)}"
    else:
        mobil = None
    hausnr = str(min(1 + int(rng.expovariate(1 / 22)), 180))
    if rng.random() < 0.08:
        hausnr += rng.choice("abc")
    email = None
    if rng.random() < 0.7:
        lokal = (vorname + "." + nachname).lower()
        for a, b in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss"), (" ", ""), ("'", "")):
            lokal = lokal.replace(a, b)
        lokal = "".join(c for c in lokal if c.isascii())
        email = f"{lokal}{rng.randint(1, 99)}@{rng.choice(MAIL_DOMAINS)}"
    return {
        "mitgliedsnummer": "",
        "anrede": anrede,
        "titel": rng.choice(TITEL) if rng.random() < 0.03 else None,
        "geschlecht": geschlecht,
        "vorname": vorname,
        "nachname": nachname,
        "strasse": rng.choice(STRASSEN),
        "hausnummer": hausnr,
        "adresszusatz": rng.choice(ZUSAETZE) if rng.random() < 0.04 else None,
        "plz": rng.choice(gebiet.plz),
        "ort": gebiet.ort,
        "geburtsdatum": geburt,
        "eintrittsdatum": eintritt,
        "austrittsdatum": None,
        "telefon": telefon,
        "mobil": mobil,
        "email": email,
        "ortsverein": gebiet.name,
        "unterbezirk": gebiet.unterbezirk,
        "kein_anruf": rng.random() < 0.02,
        "keine_post": rng.random() < 0.01,
    }


def erzeuge(
    anzahl: int,
    *,
    seed: int = SEED,
    stand: date = STAND,
    ortsvereine: int = 500,
    anteil_neu: float = 0.05,
    telefon_quote: float | None = None,
    fehler: bool = True,
) -> list[dict]:
    """``anzahl`` invented members on ``stand``, spread unevenly over ``ortsvereine`` Ortsvereine.

    With ``fehler`` about one row in 2,000 is broken (rejected by the import) and one in 500 has a bad optional
    value (a warning), as in real exports. Numbers are 7-digit text, rising with the join date.
    """
    rng = random.Random(seed)
    liste = gebiete(ortsvereine, seed)
    gewichte = [g.gewicht for g in liste]
    wahl = rng.choices(range(len(liste)), weights=gewichte, k=anzahl)
    leute = [_person(rng, liste[i], stand, anteil_neu, telefon_quote) for i in wahl]
    leute.sort(key=lambda m: m["eintrittsdatum"])
    nummer = 100000
    for m in leute:
        nummer += rng.randint(1, 20)
        m["mitgliedsnummer"] = f"{nummer:07d}"
    if fehler:
        _fehler_einstreuen(rng, leute)
    return leute


def _fehler_einstreuen(rng: random.Random, leute: list[dict]) -> None:
    n = len(leute)
    for i in rng.sample(range(n), max(1, n // 2000)):
        art = rng.randrange(3)
        if art == 0:
            leute[i]["eintrittsdatum"] = None
        elif art == 1:
            leute[i]["eintrittsdatum"] = "31.02.2019"
        else:
            leute[i]["ortsverein"] = None
    for i in rng.sample(range(n), max(1, n // 500)):
        art = rng.randrange(4)
        if art == 0:
            leute[i]["plz"] = "123"
        elif art == 1:
            leute[i]["telefon"] = "kein Telefon"
        elif art == 2:
            leute[i]["email"] = "name(at)example.org"
        else:
            leute[i]["geburtsdatum"] = "31.02.1970"


def naechster_export(
    leute: Sequence[dict], *, seed: int = SEED, stand: date = STAND_NEXT, anteil: float = 0.01
) -> list[dict]:
    """The next month's export: ``anteil`` of the rows changed (0.3 % left, 0.3 % new members, 0.3 % new
    address or phone, 0.1 % moved to another Ortsverein), the rest exactly as before."""
    rng = random.Random(f"{seed}:naechster")
    n = len(leute)
    k = max(1, int(n * anteil / 10))
    auswahl = rng.sample(range(n), 7 * k)
    weg = set(auswahl[: 3 * k])
    aendern = set(auswahl[3 * k : 6 * k])
    wechsel = set(auswahl[6 * k :])
    ovs = sorted({m["ortsverein"] for m in leute if m["ortsverein"]})
    result = []
    for i, m in enumerate(leute):
        if i in weg:
            continue
        m = dict(m)
        if i in aendern:
            if rng.random() < 0.5:
                m["strasse"] = rng.choice(STRASSEN)
                m["hausnummer"] = str(rng.randint(1, 120))
            elif m["mobil"]:
                vw, stellen = rng.choice(MOBIL_VORWAHLEN)
                m["mobil"] = f"0{vw} {_ziffern(rng, stellen)}"
            else:
                m["email"] = f"neu{i}@example.org"
        if i in wechsel and m["ortsverein"]:
            m["ortsverein"] = rng.choice(ovs)
        result.append(m)
    liste = gebiete(len(ovs), seed)
    letzte = max(int(m["mitgliedsnummer"]) for m in leute)
    for j in range(3 * k):
        neu = _person(rng, rng.choice(liste), stand, 1.0, None)
        neu["eintrittsdatum"] = stand - timedelta(days=rng.randint(0, 29))
        neu["mitgliedsnummer"] = f"{letzte + 1 + j:07d}"
        result.append(neu)
    return result


# --------------------------------------------------------------------------------------------------------------
# writing
# --------------------------------------------------------------------------------------------------------------


def _variante(nummer: str, salz: int, anzahl: int) -> int:
    """A format variant per member and field, independent of the row order."""
    return (int(nummer) * 2654435761 + salz * 40503) % 1000 * anzahl // 1000


def _telefon_xlsx(wert: str | None, nummer: str, salz: int) -> object:
    if not wert or not wert.startswith("0") or " " not in wert:
        return wert
    vorwahl, rest = wert[1:].split(" ", 1)
    v = _variante(nummer, salz, 10)
    if v < 4:
        return wert
    if v < 6:
        return f"0{vorwahl}/{rest}"
    if v < 7:
        return f"+49 {vorwahl} {rest}"
    return int(vorwahl + rest)  # a number cell: Excel dropped the 0


def _telefon_csv(wert: str | None, nummer: str, salz: int) -> str:
    if not wert:
        return ""
    if not wert.startswith("0") or " " not in wert:
        return wert
    vorwahl, rest = wert[1:].split(" ", 1)
    v = _variante(nummer, salz, 20)
    if v < 7:
        return wert
    if v < 11:
        return f"0{vorwahl}-{rest}"
    if v < 13:
        return f"(0{vorwahl}) {rest}"
    if v < 16:
        return f"+49 {vorwahl} {rest}"
    if v < 18:
        return f"+49{vorwahl}{rest}"
    return vorwahl + rest


def _datum_csv(wert: object, nummer: str, salz: int) -> str:
    if wert is None:
        return ""
    if not isinstance(wert, date):
        return str(wert)
    if 1930 <= wert.year <= 2029 and _variante(nummer, salz, 10) < 3:
        return f"{wert.day}.{wert.month}.{wert.year % 100:02d}"
    return f"{wert.day:02d}.{wert.month:02d}.{wert.year}"


def xlsx_zeile(m: dict) -> list[object]:
    nr = m["mitgliedsnummer"]
    plz = m["plz"]
    plz_zelle: object = int(plz) if plz and plz.isdigit() else plz
    if m["kein_anruf"]:
        erwuenscht = "nein"
    else:
        erwuenscht = "ja" if _variante(nr, 7, 10) < 6 else None
    return [
        nr,
        m["anrede"],
        m["titel"],
        m["vorname"],
        m["nachname"],
        f"{m['strasse']} {m['hausnummer']}",
        m["adresszusatz"],
        plz_zelle,
        m["ort"],
        m["geburtsdatum"],
        m["eintrittsdatum"],
        _telefon_xlsx(m["telefon"], nr, 1),
        _telefon_xlsx(m["mobil"], nr, 2),
        m["email"],
        m["ortsverein"],
        m["unterbezirk"],
        erwuenscht,
    ]


def csv_zeile(m: dict) -> list[str]:
    nr = m["mitgliedsnummer"]
    sperren = []
    if m["keine_post"]:
        sperren.append("keine Post")
    if m["kein_anruf"]:
        sperren.append("kein Telefon")
    return [
        nr.lstrip("0"),
        m["anrede"] or "",
        m["titel"] or "",
        m["vorname"],
        m["nachname"],
        m["strasse"],
        m["hausnummer"],
        m["plz"] or "",
        m["ort"],
        _datum_csv(m["geburtsdatum"], nr, 3),
        _datum_csv(m["eintrittsdatum"], nr, 4),
        _datum_csv(m["austrittsdatum"], nr, 5),
        _telefon_csv(m["telefon"], nr, 1),
        _telefon_csv(m["mobil"], nr, 2),
        m["email"] or "",
        m["ortsverein"] or "",
        m["unterbezirk"],
        ", ".join(sperren),
    ]


def _titel(stand: date) -> list[str]:
    return ["Mitgliederliste Landesverband Musterland", f"Stand: {stand:%d.%m.%Y}", "Vertraulich"]


def schreibe_xlsx(pfad: Path, leute: Sequence[dict], *, stand: date) -> Path:
    """A MAVIS-like xlsx: title block in rows 1-3, header in row 5, dates as date cells, PLZ as numbers."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(pfad), {"strings_to_numbers": False, "strings_to_formulas": False})
    workbook.set_properties({"created": datetime(2026, 1, 1)})
    sheet = workbook.add_worksheet("Mitgliederliste")
    bold = workbook.add_format({"bold": True})
    datum = workbook.add_format({"num_format": "dd.mm.yyyy"})
    for r, line in enumerate(_titel(stand)):
        sheet.write_string(r, 0, line, bold if r == 0 else None)
    for c, name in enumerate(SPALTEN_XLSX):
        sheet.write_string(4, c, name, bold)
    write_string, write_number, write_datetime = sheet.write_string, sheet.write_number, sheet.write_datetime
    for r, m in enumerate(leute, start=5):
        for c, wert in enumerate(xlsx_zeile(m)):
            if wert is None:
                continue
            if isinstance(wert, str):
                write_string(r, c, wert)
            elif isinstance(wert, int):
                write_number(r, c, wert)
            else:
                write_datetime(r, c, datetime(wert.year, wert.month, wert.day), datum)
    sheet.freeze_panes(5, 0)
    workbook.close()
    return pfad


def schreibe_csv(pfad: Path, leute: Sequence[dict], *, stand: date) -> Path:
    """Another system's csv: Windows-1252, ``;``, CRLF, title block in lines 1-3, header in line 4."""
    puffer = io.StringIO(newline="")
    for line in _titel(stand)[:2]:
        puffer.write(f"{line};;;\r\n")
    puffer.write("\r\n")
    schreiber = csv.writer(puffer, delimiter=";", lineterminator="\r\n")
    schreiber.writerow(SPALTEN_CSV)
    schreiber.writerows(csv_zeile(m) for m in leute)
    pfad.write_bytes(puffer.getvalue().encode("cp1252", errors="replace"))
    return pfad


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Große synthetische Mitgliederexporte schreiben.")
    parser.add_argument("anzahl", type=int)
    parser.add_argument("ziel", type=Path, help="Dateiname ohne Endung; .xlsx und .csv werden geschrieben")
    parser.add_argument("--ortsvereine", type=int, default=500)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    leute = erzeuge(args.anzahl, seed=args.seed, ortsvereine=args.ortsvereine)
    schreibe_xlsx(args.ziel.with_suffix(".xlsx"), leute, stand=STAND)
    schreibe_csv(args.ziel.with_suffix(".csv"), leute, stand=STAND)


if __name__ == "__main__":
    main()
