"""``mitglieder demo``: a working folder from the example exports, and the whole workflow run in it.

Four months of an invented Unterbezirk (Musterstadt, 12 Ortsvereine), each step on its own fixed Stichtag so
every run gives the same result: the May export (with three deliberately broken rows), a package for each
Ortsverein's chair and the packages returned filled in, the August export, a call list for three callers, the
welcome letters, the call list returned filled in, the attendance list of the new-member evening, a second round
of packages, one Parteibuch recorded by hand, and the report with the practices survey.

The story is a year in which the Ortsvereine work differently (:data:`PRAXIS`): three hand out the Parteibuch at
a welcome visit and report it in their package, Weinberg does the same but reports in a list of its own, three
give every new member a Pat*in who gets in touch (the Parteibuch follows at a meeting, months later), and five do
nothing of their own – their new members hear only from the Unterbezirk's call list. What each chair fills in is
drawn per member from a seeded plan (:func:`plan`), so the two rounds of packages tell the same story and the
report shows real differences, not the gaps of what was never recorded.

Everything goes through the same core functions the commands use. The folder gets a marker file, so
``ueberschreiben`` only ever deletes a folder the demo made itself, and then only the files the demo writes.
"""

from __future__ import annotations

import functools
import random
import shutil
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from mitgliederarbeit import datum as dt
from mitgliederarbeit.errors import EingabeFehler, OrdnerFehler, grund
from mitgliederarbeit.ordner import Arbeitsordner
from mitgliederarbeit.zahlen import aufzaehlung, mal, zahl

STANDARD_ORDNER = Path("mitglieder-demo")
MARKE = ".mitglieder-demo"
EINGANG = "eingang"
EXPORT_MAI = "unterbezirk-musterstadt-2026-05.xlsx"
EXPORT_AUGUST = "unterbezirk-musterstadt-2026-08.csv"
TEILNAHME = "teilnahme-neumitgliederabend-2026-09.xlsx"
KONFIG = "mitglieder.toml"
ANRUFER = ["Anna", "Ben", "Cem"]
SEED = 20260908

# The demo's calendar: one fixed Stichtag per step, so the output never depends on the real today.
TAG_IMPORT_MAI = date(2026, 6, 1)
TAG_PAKETE_JUNI = date(2026, 6, 1)
TAG_PAKETE_JUNI_ZURUECK = date(2026, 6, 26)
TAG_IMPORT_AUGUST = date(2026, 9, 1)
TAG_ANRUFLISTE = date(2026, 9, 1)
TAG_BRIEFE = date(2026, 9, 2)
TAG_RUECKLAUF = date(2026, 9, 8)
TAG_TEILNAHME = date(2026, 9, 18)
TAG_PAKETE_SEPTEMBER = date(2026, 9, 21)
TAG_PAKETE_SEPTEMBER_ZURUECK = date(2026, 9, 28)
TAG_KONTAKT = date(2026, 9, 29)
TAG_BERICHT = date(2026, 9, 30)
SCHRITTE = 12

# How each Ortsverein welcomes its new members in the demo year (the others do nothing of their own):
# "besuch": a welcome visit that brings the Parteibuch, reported in the package; "liste": the same, reported in
# a list of its own instead of the package; "pate": a Pat*in gets in touch, the Parteibuch follows at a meeting.
PRAXIS = {
    "Altstadt": "besuch",
    "Schlossberg": "besuch",
    "Mühlental": "besuch",
    "Weinberg": "liste",
    "Neustadt-Nord": "pate",
    "Südvorstadt": "pate",
    "Eichenhain": "pate",
}
PRAXIS_TEXT = {
    "besuch": "Mit Willkommensbesuch und Parteibuch",
    "pate": "Mit Pat*innen",
    None: "Ohne eigene Begrüßung",
}
# invented volunteers (no real people): the Pat*innen of the three Ortsvereine that have them
PAT_INNEN = {
    "Neustadt-Nord": ["Ute Muster", "Jonas Beispiel", "Leyla Probe"],
    "Südvorstadt": ["Karl Exempel", "Mia Vorlage", "Tarek Muster"],
    "Eichenhain": ["Greta Beispiel", "Ole Probe"],
}
LISTE_WEINBERG = "willkommensbesuche-weinberg-{tag}.xlsx"
UMFRAGE = "umfrage-praktiken.xlsx"
KONTAKT_NOTIZ = "Parteibuch in der Geschäftsstelle abgeholt"
BREITE = 100  # the summary's lines, so it reads well in a terminal and in the README

ZURUECK = f"anrufliste-{TAG_ANRUFLISTE.isoformat()}-ausgefuellt.xlsx"
# What the demo writes into its folder, and so what ``ueberschreiben`` may delete (nothing else).
DEMO_DATEIEN = (KONFIG, "mitglieder.sqlite", "sicherung", "ausgabe", EINGANG, MARKE)
_INTERESSEN = [
    "Wahlkampf",
    "Kommunalpolitik",
    "Social Media",
    "Bildung",
    "Klimaschutz",
    "Wohnen",
    "Veranstaltungen",
    "Senioren",
]


def beispiele_ordner() -> Path:
    """The folder with the example exports: inside the installed package, or ``examples/`` of a checkout."""
    im_paket = Path(__file__).parent / "examples"
    if (im_paket / EXPORT_MAI).is_file():
        return im_paket
    return Path(__file__).parents[2] / "examples"


@dataclass
class Schritt:
    """One step of the demo: its Stichtag, what a user would type for it, and what came of it."""

    nummer: int
    stichtag: date
    titel: str
    befehl: str
    zeilen: list[str]
    dateien: dict[str, Path] = field(default_factory=dict)
    ergebnis: Any = field(default=None, repr=False)  # the core result (ImportErgebnis, Anrufliste, …)

    def as_json(self) -> dict[str, Any]:
        return {
            "nummer": self.nummer,
            "stichtag": self.stichtag.isoformat(),
            "titel": self.titel,
            "befehl": self.befehl,
            "zeilen": self.zeilen,
            "dateien": {k: str(p) for k, p in self.dateien.items()},
        }


@dataclass
class Demo:
    """What ``mitglieder demo`` did and where every file is (``--json``: ordner, dateien, schritte)."""

    ordner: Path
    schritte: list[Schritt] = field(default_factory=list)
    dateien: dict[str, Path] = field(default_factory=dict)
    ueberschrieben: bool = False

    def as_json(self) -> dict[str, Any]:
        return {
            "ordner": str(self.ordner),
            "dateien": {k: str(p) for k, p in self.dateien.items()},
            "schritte": [s.as_json() for s in self.schritte],
            "ueberschrieben": self.ueberschrieben,
        }

    def relativ(self, pfad: Path) -> str:
        """A path inside the demo folder as the summary shows it (``ausgabe/…``, ``/`` on every system)."""
        try:
            return pfad.relative_to(self.ordner).as_posix()
        except ValueError:
            return str(pfad)

    def zusammenfassung(self, anzeige: str | None = None) -> list[str]:
        """The German summary: what happened, step by step, and where every file is."""
        name = anzeige or str(self.ordner)
        ersetzt = " (die frühere Demo dort wurde gelöscht)" if self.ueberschrieben else ""
        zeilen = [
            f"Demo fertig im Ordner {name}{ersetzt}",
            "Juni bis September 2026 im erfundenen Unterbezirk Musterstadt, jeder Schritt mit festem "
            "Stichtag:",
            "",
        ]
        for schritt in self.schritte:
            kopf = f"{schritt.nummer}. {dt.de(schritt.stichtag)}  {schritt.titel}"
            zeilen.append(kopf)
            for zeile in schritt.zeilen:
                zeilen += textwrap.wrap(zeile, BREITE, initial_indent="   ", subsequent_indent="   ")
        d = self.dateien
        briefe = d["briefe"]
        anzahl_briefe = len(next(s for s in self.schritte if "briefe" in s.dateien).ergebnis.briefe)
        abgelehnt = next(s for s in self.schritte if "importfehler_mai" in s.dateien).ergebnis.abgelehnt
        liste = [
            (KONFIG, "Einstellungen (Absender, Anrede, Ansprechpersonen)"),
            ("mitglieder.sqlite", "der Datenbestand mit jedem Stand (nur für Sie lesbar)"),
            (
                f"{EINGANG}/",
                "Exporte und was zurückkam: Pakete, Listen, Umfrage",
            ),
            (
                self.relativ(d["importfehler_mai"]),
                f"die {zahl(abgelehnt)} abgelehnten Zeilen und die Warnungen (Mai)",
            ),
            (self.relativ(d["importfehler_august"]), "die Warnungen des August-Exports"),
            (
                self.relativ(d["pakete_juni"]) + "/",
                "ein Paket je Ortsverein (Juni; zweite Runde im September)",
            ),
            (
                self.relativ(d["anrufliste"]),
                "ein Blatt je Anrufer*in, Gesprächsleitfaden, Datenschutz",
            ),
            (
                self.relativ(briefe) + "/",
                f"{mal(anzahl_briefe, 'Brief', 'Briefe')} einzeln, alle zusammen in briefe.docx",
            ),
            (self.relativ(d["bericht_html"]), "der Bericht für den Browser; daneben .docx und .xlsx"),
            ("sicherung/", "Sicherungen des Datenbestands vor jeder Änderung"),
        ]
        breite = max(len(pfad) for pfad, _ in liste)
        zeilen += ["", f"Die Dateien in {name}:"]
        zeilen += [f"  {pfad.ljust(breite)}  {was}" for pfad, was in liste]
        cd = _argument(Path(name))
        zeilen += [
            "",
            "Selbst weitermachen (alle Personen sind erfunden):",
            f"  cd {cd}",
            f"  mitglieder --stichtag {dt.de(TAG_BERICHT)} segmente",
            f'  mitglieder --stichtag {dt.de(TAG_BERICHT)} anrufliste --anrufer "Anna,Ben,Cem"',
            "  mitglieder protokoll",
        ]
        return zeilen


def _da(pfad: Path | None, was: str) -> Path:
    """A file a step must have written; the example data guarantee it, a changed example would not."""
    if pfad is None:
        raise EingabeFehler(
            f"Die Demo hat {was} nicht geschrieben; die Beispieldateien passen nicht zur Demo.",
            hint="Bitte mitgliederarbeit neu installieren.",
        )
    return pfad


# ------------------------------------------------------------------------------------------------------------
# the folder
# ------------------------------------------------------------------------------------------------------------


def _vorbereiten(ordner: Path, angegeben: Path, ueberschreiben: bool) -> bool:
    """Check the folder; with ``ueberschreiben`` delete what an earlier demo wrote (True if it did).

    ``angegeben`` is the folder as the user wrote it, for the messages.
    """
    if ordner.exists() and not ordner.is_dir():
        raise OrdnerFehler(
            f"{angegeben} ist eine Datei, kein Ordner.", hint="Bitte einen Ordner für die Demo angeben."
        )
    vorhanden = [name for name in DEMO_DATEIEN if (ordner / name).exists()]
    if not vorhanden:
        return False
    if not (ordner / MARKE).exists():
        raise OrdnerFehler(
            f"{angegeben} enthält schon {', '.join(vorhanden)}, aber keine Demo. Die Demo ändert und löscht "
            "dort nichts.",
            hint="Bitte einen anderen, am besten neuen Ordner angeben, z. B. mitglieder demo mitglieder-demo",
        )
    if not ueberschreiben:
        raise OrdnerFehler(
            f"In {angegeben} liegt schon eine Demo; es wurde nichts geändert.",
            hint=f"Neu anlegen mit: mitglieder demo {_argument(angegeben)} --ueberschreiben (oder einen "
            "anderen Ordner angeben).",
        )
    try:
        for name in DEMO_DATEIEN:
            pfad = ordner / name
            if pfad.is_dir() and not pfad.is_symlink():
                shutil.rmtree(pfad)
            elif pfad.exists() or pfad.is_symlink():
                pfad.unlink()
        for rest in ordner.glob("mitglieder.sqlite-*"):  # a journal left by an interrupted run
            rest.unlink()
    except OSError as exc:
        raise OrdnerFehler(f"Die alte Demo in {angegeben} lässt sich nicht löschen: {grund(exc)}.") from None
    return True


def _argument(pfad: Path) -> str:
    """A path as one shell argument."""
    text = str(pfad)
    return f'"{text}"' if " " in text else text


def _anlegen(ordner: Path, beispiele: Path) -> dict[str, Path]:
    """The marker, the config and the incoming files (copies of the examples), all owner-readable only."""
    from mitgliederarbeit.dateien import ordner_anlegen, schreiben

    ordner_anlegen(ordner)
    schreiben(ordner / MARKE, _marke_schreiben)
    kopien = {
        "einstellungen": (KONFIG, ordner / KONFIG),
        "export_mai": (EXPORT_MAI, ordner / EINGANG / EXPORT_MAI),
        "export_august": (EXPORT_AUGUST, ordner / EINGANG / EXPORT_AUGUST),
        "teilnahmeliste": (TEILNAHME, ordner / EINGANG / TEILNAHME),
    }
    for name, ziel in kopien.values():
        schreiben(ziel, functools.partial(_kopieren, beispiele / name))
    return {schluessel: ziel for schluessel, (_, ziel) in kopien.items()}


def _marke_schreiben(pfad: Path) -> None:
    pfad.write_text(
        "Diesen Ordner hat „mitglieder demo“ angelegt. „mitglieder demo --ueberschreiben“ darf ihn neu anlegen.\n",
        encoding="utf-8",
    )


def _kopieren(quelle: Path, ziel: Path) -> None:
    shutil.copyfile(quelle, ziel)


# ------------------------------------------------------------------------------------------------------------
# the returned call list, filled the way volunteers fill it
# ------------------------------------------------------------------------------------------------------------


def anrufliste_ausfuellen(
    quelle: Path, ziel: Path, *, seed: int = SEED, bis: date = TAG_RUECKLAUF
) -> dict[str, int]:
    """Fill a copy of a call list as callers do in Excel: results, dates, interests, notes; result → count.

    Each caller works down the top three quarters of their sheet. Most calls reach the member or not; exactly
    one each ends with "Rückruf vereinbart", "kein Anruf gewünscht", "will austreten" and "falsche Nummer".
    Some dates stay empty (they then count as the day of the import). The same list and seed give the same
    answers.
    """
    import openpyxl  # type: ignore[import-untyped]

    from mitgliederarbeit.ausgaben.anrufliste import ERGEBNISSE
    from mitgliederarbeit.dateien import schreiben

    rng = random.Random(seed)
    wb = openpyxl.load_workbook(quelle)
    zeilen: list[tuple[Any, int, dict[str, int]]] = []  # (sheet, row, column by header)
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        kopf = {str(c.value): c.column for c in ws[1] if c.value is not None}
        if "Mitgliedsnummer" not in kopf or "Ergebnis" not in kopf:
            continue
        belegt = [r for r in range(2, ws.max_row + 1) if ws.cell(r, kopf["Mitgliedsnummer"]).value]
        zeilen += [(ws, r, kopf) for r in belegt[: round(len(belegt) * 0.75)]]
    if len(zeilen) < 4:
        raise EingabeFehler(f"{quelle.name}: zu wenige Zeilen, um die Anrufliste für die Demo auszufüllen.")

    besondere = rng.sample(range(len(zeilen)), 4)
    feste = dict(zip(besondere, ("rueckruf", "kein_anruf", "will_austreten", "falsche_nummer")))
    notizen = {
        "rueckruf": "bittet um Rückruf nach 18 Uhr",
        "kein_anruf": "möchte nicht angerufen werden, lieber per E-Mail",
        "will_austreten": "möchte austreten, bittet um ein Gespräch mit dem Vorstand",
        "falsche_nummer": "Festnetz: kein Anschluss unter dieser Nummer",
    }
    zaehlung: dict[str, int] = {}
    tage = (bis - TAG_ANRUFLISTE).days - 1  # calls happen between the list and the day it comes back
    for i, (ws, r, kopf) in enumerate(zeilen):
        ergebnis = feste.get(i) or rng.choices(["erreicht", "nicht_erreicht"], weights=[6, 4])[0]
        zaehlung[ergebnis] = zaehlung.get(ergebnis, 0) + 1
        ws.cell(r, kopf["Ergebnis"], ERGEBNISSE[ergebnis])
        if rng.random() > 0.1:  # now and then a caller forgets the date
            zelle = ws.cell(r, kopf["Datum"], TAG_ANRUFLISTE + timedelta(days=rng.randint(1, max(tage, 1))))
            zelle.number_format = "DD.MM.YYYY"
        notiz = notizen.get(ergebnis)
        if ergebnis == "erreicht":
            if rng.random() < 0.6:
                ws.cell(r, kopf["Interessen"], ", ".join(rng.sample(_INTERESSEN, rng.randint(1, 2))))
            ws.cell(
                r, kopf["möchte mitmachen"], rng.choices(["ja", "vielleicht", "nein"], weights=[4, 3, 2])[0]
            )
            if rng.random() < 0.15:
                notiz = "freut sich auf den Neumitgliederabend"
        elif ergebnis == "nicht_erreicht" and rng.random() < 0.3:
            notiz = "Mailbox, nichts hinterlassen"
        if notiz:
            ws.cell(r, kopf["Notiz"], notiz)
    schreiben(ziel, lambda tmp: wb.save(tmp))
    return zaehlung


# ------------------------------------------------------------------------------------------------------------
# the Ortsvereine's year: packages, a list of their own, the survey
# ------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """What an Ortsverein does for one new member in the demo year (None: does not happen)."""

    erstkontakt: date | None = None  # the visit, or the Pat*in's first talk
    parteibuch: date | None = None
    zweitkontakt: date | None = None
    pate: str | None = None
    pate_am: date | None = None
    notiz: str | None = None


def plan(nummer: str, eintritt: date, ortsverein: str, *, seed: int = SEED) -> Plan:
    """The welcome a new member gets, by the practice of the Ortsverein; the same for a member in every round."""
    praxis = PRAXIS.get(ortsverein)
    rng = random.Random(f"{seed}-{nummer}")
    if praxis in ("besuch", "liste"):
        if rng.random() >= 0.85:
            return Plan()
        besuch = eintritt + timedelta(days=rng.randint(4, 40))
        zweit = besuch + timedelta(days=rng.randint(30, 120)) if rng.random() < 0.5 else None
        notiz = "Parteibuch beim Willkommensbesuch übergeben" if rng.random() < 0.3 else None
        return Plan(besuch, besuch, zweit, notiz=notiz)
    if praxis == "pate":
        if rng.random() >= 0.9:
            return Plan()
        pate_am = eintritt + timedelta(days=rng.randint(2, 20))
        pate = rng.choice(PAT_INNEN[ortsverein])
        erst = pate_am + timedelta(days=rng.randint(2, 18)) if rng.random() < 0.85 else None
        zweit = erst + timedelta(days=rng.randint(30, 120)) if erst and rng.random() < 0.65 else None
        buch = eintritt + timedelta(days=rng.randint(40, 150)) if rng.random() < 0.5 else None
        notiz = "möchte im Wahlkampf helfen" if rng.random() < 0.2 else None
        return Plan(erst, buch, zweit, pate, pate_am, notiz)
    return Plan()


def _bis(tag: date | None, stichtag: date) -> date | None:
    """A planned day, if it has come by ``stichtag`` (a chair reports what happened, not what will)."""
    return tag if tag is not None and tag <= stichtag else None


def paket_ausfuellen(quelle: Path, ziel: Path, ortsverein: str, schritte: list[str], *, bis: date) -> int:
    """Fill a copy of an Ortsverein's package as its chair does by ``bis``: dates, Pat*in, notes; rows filled.

    Only empty cells are filled (a package shows what is recorded already); the step columns are found by the
    names of the standard, so a changed standard still fills "Erstkontakt", "Parteibuch" and "Zweitkontakt".
    """
    import openpyxl  # type: ignore[import-untyped]

    from mitgliederarbeit.dateien import schreiben

    wb = openpyxl.load_workbook(quelle)
    ws = wb["Neue Mitglieder"]
    kopf = {str(c.value): c.column for c in ws[1] if c.value is not None}
    spalte = {
        feld: next((kopf[n] for n in schritte if n.lower().startswith(feld) and n in kopf), None)
        for feld in ("erstkontakt", "parteibuch", "zweitkontakt")
    }
    gefuellt = 0
    for r in range(2, ws.max_row + 1):
        nummer, eintritt = ws.cell(r, kopf["Mitgliedsnummer"]).value, ws.cell(r, kopf["Eintritt"]).value
        if not nummer or eintritt is None:
            continue
        p = plan(str(nummer), eintritt.date() if hasattr(eintritt, "date") else eintritt, ortsverein)
        werte: list[tuple[int | None, object]] = [
            (spalte["erstkontakt"], _bis(p.erstkontakt, bis)),
            (spalte["parteibuch"], _bis(p.parteibuch, bis)),
            (spalte["zweitkontakt"], _bis(p.zweitkontakt, bis)),
            (kopf.get("Pat*in"), p.pate if _bis(p.pate_am, bis) else None),
            (kopf.get("Notiz"), p.notiz if _bis(p.erstkontakt or p.pate_am, bis) else None),
        ]
        neu = False
        for c, wert in werte:
            if c is None or wert is None or ws.cell(r, c).value not in (None, ""):
                continue
            zelle = ws.cell(r, c, wert)
            if isinstance(wert, date):
                zelle.number_format = "DD.MM.YYYY"
            neu = True
        gefuellt += neu
    schreiben(ziel, lambda tmp: wb.save(tmp))
    return gefuellt


def liste_schreiben(paket: Path, ziel: Path, ortsverein: str, *, bis: date) -> int:
    """Weinberg's own list of welcome visits (by name, no numbers), from the members of its package; rows."""
    import openpyxl

    from mitgliederarbeit.dateien import schreiben

    quelle = openpyxl.load_workbook(paket, read_only=True)
    try:
        zeilen = list(quelle["Neue Mitglieder"].iter_rows(values_only=True))
    finally:
        quelle.close()  # read-only keeps the file open until closed
    kopf = {str(v): i for i, v in enumerate(zeilen[0]) if v is not None}
    eintraege: list[tuple[str, str, str, date, str]] = []
    for zeile in zeilen[1:]:
        nummer, eintritt = zeile[kopf["Mitgliedsnummer"]], zeile[kopf["Eintritt"]]
        if not nummer or eintritt is None:
            continue
        p = plan(str(nummer), eintritt.date() if hasattr(eintritt, "date") else eintritt, ortsverein)
        vorname, nachname = zeile[kopf["Vorname"]], zeile[kopf["Nachname"]]
        if (besuch := _bis(p.erstkontakt, bis)) is not None:
            eintraege.append((vorname, nachname, "Hausbesuch", besuch, p.notiz or ""))
            eintraege.append((vorname, nachname, "Parteibuch übergeben", besuch, ""))
        if (zweit := _bis(p.zweitkontakt, bis)) is not None:
            eintraege.append((vorname, nachname, "Gespräch", zweit, "beim Stammtisch"))
    eintraege.sort(key=lambda e: (e[3], e[1], e[0]))
    neu = openpyxl.Workbook()
    blatt = neu.active
    blatt.title = "Besuche"
    blatt.append(["Vorname", "Nachname", "Art", "Datum", "Notiz"])
    for eintrag in eintraege:
        blatt.append(list(eintrag))
        blatt.cell(blatt.max_row, 4).number_format = "DD.MM.YYYY"
    schreiben(ziel, lambda tmp: neu.save(tmp))
    return len(eintraege)


# the practices survey as the Ortsvereine answer it ("" = left empty)
_UMFRAGE = {
    "besuch": {"ansprechperson": "ja", "einladung": "ja", "neumitgliederabend": "ja", "patenschaft": "nein"},
    "pate": {"ansprechperson": "ja", "patenschaft": "ja", "einladung": "ja", "neumitgliederabend": "ja"},
    None: {"ansprechperson": "nein", "patenschaft": "nein", "einladung": "nein", "neumitgliederabend": "ja"},
}


def umfrage_ausfuellen(quelle: Path, ziel: Path) -> None:
    """Fill the practices survey as the chairs would: by each Ortsverein's practice; Kirchdorf does not answer."""
    import openpyxl

    from mitgliederarbeit.auswertung.praktiken import BLATT, praktiken_liste
    from mitgliederarbeit.dateien import schreiben

    wb = openpyxl.load_workbook(quelle)
    ws = wb[BLATT]
    kopf = {str(c.value): c.column for c in ws[1] if c.value is not None}
    titel = {p.schluessel: p.titel for p in praktiken_liste()}
    for r in range(2, ws.max_row + 1):
        ov = ws.cell(r, kopf["Ortsverein"]).value
        if not ov or ov == "Kirchdorf":
            continue
        praxis = PRAXIS.get(str(ov))
        antworten = {
            "willkommensbrief": "ja",  # the Unterbezirk writes to every new member
            "willkommensanruf": "nein",
            "anruf_frist": "nein",
            "seminar": "nein",
            "digitale_gruppe": "ja" if praxis == "pate" else "nein",
            **_UMFRAGE["besuch" if praxis == "liste" else praxis],
        }
        for schluessel, antwort in antworten.items():
            spalte = next((c for t, c in kopf.items() if t.startswith(titel[schluessel][:20])), None)
            if spalte is not None:
                ws.cell(r, spalte, antwort)
    schreiben(ziel, lambda tmp: wb.save(tmp))


# ------------------------------------------------------------------------------------------------------------
# the workflow
# ------------------------------------------------------------------------------------------------------------


def demo(
    ordner: Path = STANDARD_ORDNER,
    *,
    ueberschreiben: bool = False,
    fortschritt: Callable[[int, int, str], None] | None = None,
) -> Demo:
    """Make a demo working folder from the example exports and run the whole workflow in it."""
    beispiele = _beispiele_pruefen()
    lauf = _Lauf.beginnen(Path(ordner), ueberschreiben, fortschritt, beispiele)
    _import_mai(lauf)
    juni = _pakete_juni(lauf)
    _pakete_juni_zurueck(lauf, juni)
    _import_august(lauf)
    liste = _anrufliste(lauf)
    _briefe(lauf)
    _anrufliste_zurueck(lauf, liste)
    _teilnahme(lauf)
    september = _pakete_september(lauf)
    _pakete_september_zurueck(lauf, september)
    _kontakt(lauf)
    _bericht(lauf)
    return lauf.abschliessen()


def _beispiele_pruefen() -> Path:
    """The folder with the example exports; all of them must be there."""
    beispiele = beispiele_ordner()
    fehlen = [n for n in (KONFIG, EXPORT_MAI, EXPORT_AUGUST, TEILNAHME) if not (beispiele / n).is_file()]
    if fehlen:
        raise EingabeFehler(
            f"Die Beispieldateien fehlen ({', '.join(fehlen)} in {beispiele}).",
            hint="Bitte mitgliederarbeit neu installieren, im Projektordner: pip install --force-reinstall .",
        )
    return beispiele


@dataclass
class _Lauf:
    """One run of the demo: the folder, the copied inputs, the result so far and the progress callback."""

    ordner: Path
    result: Demo
    kopien: dict[str, Path]
    melden: Callable[[int, int, str], None]
    eingang: str = f"{EINGANG}/"

    @classmethod
    def beginnen(
        cls,
        angegeben: Path,
        ueberschreiben: bool,
        fortschritt: Callable[[int, int, str], None] | None,
        beispiele: Path,
    ) -> _Lauf:
        """Prepare the folder (deleting an earlier demo if asked to) and copy the examples into it."""
        ordner = angegeben.resolve()
        melden = fortschritt or (lambda done, total, titel: None)
        result = Demo(ordner=ordner)
        result.ueberschrieben = _vorbereiten(ordner, angegeben, ueberschreiben)
        melden(0, SCHRITTE, "Demo-Ordner wird angelegt …")
        kopien = _anlegen(ordner, beispiele)
        return cls(ordner, result, kopien, melden)

    def am(self, tag: date) -> Arbeitsordner:
        return Arbeitsordner(self.ordner, tag)

    def start(self, nummer: int, text: str) -> None:
        """Report that step ``nummer`` begins."""
        self.melden(nummer - 1, SCHRITTE, f"{nummer}/{SCHRITTE} {text} …")

    def fertig(
        self,
        nummer: int,
        tag: date,
        titel: str,
        befehl: str,
        zeilen: list[str],
        ergebnis: Any,
        **dateien: Path,
    ) -> None:
        """Record step ``nummer`` with what a user would type for it, and report it done."""
        self.result.schritte.append(
            Schritt(
                nummer, tag, titel, f"mitglieder --stichtag {dt.de(tag)} {befehl}", zeilen, dateien, ergebnis
            )
        )
        self.result.dateien.update(dateien)
        self.melden(nummer, SCHRITTE, "")  # done; the next step names itself before it starts

    def abschliessen(self) -> Demo:
        """The result, with the folder's own files listed first."""
        kopien = self.kopien
        self.result.dateien = {
            "einstellungen": kopien["einstellungen"],
            "datenbestand": self.ordner / "mitglieder.sqlite",
            "sicherungen": self.ordner / "sicherung",
            "export_mai": kopien["export_mai"],
            "export_august": kopien["export_august"],
            "teilnahmeliste": kopien["teilnahmeliste"],
            **self.result.dateien,
        }
        return self.result


def _import_mai(lauf: _Lauf) -> None:
    """1. the May export: three rows are broken on purpose."""
    from mitgliederarbeit.einlesen import importieren

    lauf.start(1, "Mai-Export wird importiert")
    mai = importieren.importieren(lauf.am(TAG_IMPORT_MAI), [lauf.kopien["export_mai"]])[0]
    lauf.fertig(
        1,
        TAG_IMPORT_MAI,
        f"Mai-Export importiert (Stand {dt.de(mai.stand)})",
        f"import {lauf.eingang}{EXPORT_MAI}",
        [
            f"{mal(mai.gelesen, 'Zeile', 'Zeilen')} gelesen, {mal(mai.uebernommen, 'Mitglied', 'Mitglieder')} in "
            f"{mal(mai.ortsvereine, 'Ortsverein', 'Ortsvereinen')} übernommen, "
            f"{mal(mai.warnungen, 'Warnung', 'Warnungen')}.",
            f"{mal(mai.abgelehnt, 'Zeile', 'Zeilen')} abgelehnt – mit Absicht, so sieht ein fehlerhafter "
            "Export aus.",
            "Abgelehnte Zeilen und Warnungen stehen zum Korrigieren in "
            f"{lauf.result.relativ(_da(mai.fehlerdatei, 'die Fehlerdatei'))}.",
        ],
        mai,
        importfehler_mai=_da(mai.fehlerdatei, "die Fehlerdatei"),
    )


def _pakete_juni(lauf: _Lauf) -> Any:
    """2. a package for each Ortsverein's chair: its own new members, the steps of the standard to fill in."""
    from mitgliederarbeit.ausgaben import ortsvereine

    lauf.start(2, "Pakete für die Ortsvereine werden geschrieben")
    juni = ortsvereine.pakete(lauf.am(TAG_PAKETE_JUNI))
    neue = sum(p.neue_mitglieder for p in juni.pakete)
    lauf.fertig(
        2,
        TAG_PAKETE_JUNI,
        f"{mal(len(juni.pakete), 'Paket', 'Pakete')} für die Vorsitzenden der Ortsvereine",
        "ortsvereine",
        [
            "Je Ortsverein eine Datei nur mit dessen Neumitgliedern der letzten sechs Monate (zusammen "
            f"{zahl(neue)}): die Schritte des Standards zum Ausfüllen, eine Spalte Pat*in, die Änderungen.",
        ],
        juni,
        pakete_juni=juni.ordner,
    )
    return juni


def _pakete_juni_zurueck(lauf: _Lauf, juni: Any) -> None:
    """3. the packages come back: each Ortsverein as it works."""
    lauf.start(3, "Ausgefüllte Pakete werden übernommen")
    _pakete_zurueck_importieren(
        lauf,
        3,
        juni,
        TAG_PAKETE_JUNI,
        TAG_PAKETE_JUNI_ZURUECK,
        "{n} Pakete ausgefüllt zurück, dazu eine eigene Liste",
        "juni",
    )


def _pakete_zurueck_importieren(
    lauf: _Lauf, nummer: int, pakete: Any, tag_pakete: date, tag: date, titel: str, runde: str
) -> None:
    """The filled packages and Weinberg's list of one round come back and are imported (steps 3 and 10)."""
    from mitgliederarbeit.einlesen import importieren

    zurueck, liste = _pakete_zurueck(lauf.ordner, pakete, tag)
    rueck = importieren.importieren(lauf.am(tag), [*zurueck, liste])
    eingang = lauf.eingang
    lauf.fertig(
        nummer,
        tag,
        titel.format(n=zahl(len(zurueck))),
        f"import {eingang}ortsverein-*-{tag_pakete.isoformat()}-ausgefuellt.xlsx {eingang}{liste.name}",
        _pakete_zeilen(rueck),
        rueck,
        **{f"pakete_{runde}_ausgefuellt": zurueck[0], f"liste_weinberg_{runde}": liste},
    )


def _import_august(lauf: _Lauf) -> None:
    """4. the August export, three months later, from another system."""
    from mitgliederarbeit.auswertung import segmente
    from mitgliederarbeit.einlesen import importieren

    lauf.start(4, "August-Export wird importiert")
    august = importieren.importieren(lauf.am(TAG_IMPORT_AUGUST), [lauf.kopien["export_august"]])[0]
    frueh = segmente.auswaehlen(lauf.am(TAG_IMPORT_AUGUST), "frueh-ausgetreten").anzahl
    lauf.fertig(
        4,
        TAG_IMPORT_AUGUST,
        f"August-Export importiert (Stand {dt.de(august.stand)})",
        f"import {lauf.eingang}{EXPORT_AUGUST}",
        [
            f"{mal(august.eintritte, 'Eintritt', 'Eintritte')}, {mal(august.austritte, 'Austritt', 'Austritte')} "
            f"(davon {zahl(frueh)} im "
            f"ersten Jahr), {zahl(august.wechsel)} Wechsel, {mal(august.aenderungen, 'Änderung', 'Änderungen')}.",
        ],
        august,
        importfehler_august=_da(august.fehlerdatei, "die Fehlerdatei"),
    )


def _anrufliste(lauf: _Lauf) -> Any:
    """5. the call list for three callers: the new members nobody has reached yet."""
    from mitgliederarbeit.ausgaben import anrufliste

    lauf.start(5, "Anrufliste wird geschrieben")
    liste = anrufliste.anrufliste(lauf.am(TAG_ANRUFLISTE), anrufer=[",".join(ANRUFER)])
    verteilt = ", ".join(f"{name} {zahl(n)}" for name, n in liste.je_anrufer.items())
    ausgelassen = aufzaehlung([f"{zahl(n)} {liste.grund_text(k)}" for k, n in liste.ausgelassen.items()])
    lauf.fertig(
        5,
        TAG_ANRUFLISTE,
        f"Anrufliste für {aufzaehlung(ANRUFER)}",
        f'anrufliste --anrufer "{",".join(ANRUFER)}"',
        [
            f"{mal(liste.eintraege, 'Neumitglied', 'Neumitglieder')} ohne persönlichen Kontakt ({verteilt}).",
            *([f"Nicht auf der Liste: {ausgelassen}."] if liste.ausgelassen else []),
        ],
        liste,
        anrufliste=_da(liste.datei, "die Anrufliste"),
    )
    return liste


def _briefe(lauf: _Lauf) -> None:
    """6. welcome letters: one file per member, and all of them in one document for printing."""
    from mitgliederarbeit.ausgaben import briefe
    from mitgliederarbeit.auswertung import segmente

    lauf.start(6, "Willkommensbriefe werden geschrieben")
    tag_briefe = lauf.am(TAG_BRIEFE)
    empfaenger = segmente.auswaehlen(tag_briefe, tag_briefe.config["briefe"]["segment"]).mitglieder
    ergebnis = briefe.briefe(tag_briefe).ergebnis
    druck = briefe.schreibe_briefe(
        empfaenger, tag_briefe.config, ergebnis.ordner, stichtag=TAG_BRIEFE, ein_dokument=True
    )
    ohne = ergebnis.ausgelassen
    gruende = aufzaehlung(sorted({grund for _, grund in ohne})) if ohne else ""
    lauf.fertig(
        6,
        TAG_BRIEFE,
        f"{mal(len(ergebnis.briefe), 'Willkommensbrief', 'Willkommensbriefe')} nach DIN 5008 geschrieben",
        "briefe",
        [
            "Eine Word-Datei je Mitglied, dazu briefe.docx mit allen Briefen zum Drucken.",
            *([f"Ohne Brief: {mal(len(ohne), 'Mitglied', 'Mitglieder')} ({gruende})."] if ohne else []),
        ],
        ergebnis,
        briefe=ergebnis.ordner,
        briefe_druck=druck.dateien[0],
    )


def _anrufliste_zurueck(lauf: _Lauf, liste: Any) -> None:
    """7. the call list comes back filled in."""
    from mitgliederarbeit.ausgaben import anrufliste
    from mitgliederarbeit.einlesen import importieren

    lauf.start(7, "Anrufergebnisse werden übernommen")
    zurueck = lauf.ordner / EINGANG / ZURUECK
    anrufliste_ausfuellen(_da(liste.datei, "die Anrufliste"), zurueck)
    rueck = importieren.importieren(lauf.am(TAG_RUECKLAUF), [zurueck])[0]
    ergebnisse = rueck.details["ergebnisse"]
    haeufig = [f"{zahl(ergebnisse[k])} {anrufliste.ERGEBNISSE[k]}" for k in ("erreicht", "nicht_erreicht")]
    selten = [
        f"{zahl(n)} {anrufliste.ERGEBNISSE[k]}"
        for k, n in ergebnisse.items()
        if k not in ("erreicht", "nicht_erreicht")
    ]
    folgen = [f"Interessen notiert: {zahl(rueck.details['interessen_ergaenzt'])}"]
    if rueck.details["austrittswunsch"]:
        folgen.append(f"Austrittswunsch zum Nachfassen: {zahl(rueck.details['austrittswunsch'])}")
    lauf.fertig(
        7,
        TAG_RUECKLAUF,
        "Ausgefüllte Anrufliste zurück",
        f"import {lauf.eingang}{ZURUECK}",
        [
            f"{mal(rueck.uebernommen, 'Anruf', 'Anrufe')} übernommen: {aufzaehlung(haeufig)}.",
            *([f"Außerdem {', '.join(selten)}."] if selten else []),
            f"{'; '.join(folgen)}.",
        ],
        rueck,
        anrufliste_ausgefuellt=zurueck,
    )


def _teilnahme(lauf: _Lauf) -> None:
    """8. the attendance list of the new-member evening."""
    from mitgliederarbeit.einlesen import importieren

    lauf.start(8, "Teilnahmeliste wird übernommen")
    teilnahme = importieren.importieren(lauf.am(TAG_TEILNAHME), [lauf.kopien["teilnahmeliste"]])[0]
    d = teilnahme.details
    lauf.fertig(
        8,
        TAG_TEILNAHME,
        f"Teilnahmeliste: {d['veranstaltung']} am {dt.de(dt.from_iso(d['datum']))}",
        f"import {lauf.eingang}{TEILNAHME}",
        [
            f"{mal(teilnahme.uebernommen, 'Teilnahme', 'Teilnahmen')} ({zahl(d['per_nummer'])} über die Mitgliedsnummer, "
            f"{zahl(d['per_name'])} über den Namen).",
        ],
        teilnahme,
    )


def _pakete_september(lauf: _Lauf) -> Any:
    """9. the second round of packages: the summer's new members, and what is recorded already filled in."""
    from mitgliederarbeit.ausgaben import ortsvereine

    lauf.start(9, "Pakete der zweiten Runde werden geschrieben")
    september = ortsvereine.pakete(lauf.am(TAG_PAKETE_SEPTEMBER))
    aenderungen = sum(p.aenderungen for p in september.pakete)
    lauf.fertig(
        9,
        TAG_PAKETE_SEPTEMBER,
        f"Zweite Runde: {mal(len(september.pakete), 'Paket', 'Pakete')}",
        "ortsvereine",
        [
            f"{mal(sum(p.neue_mitglieder for p in september.pakete), 'Neumitglied', 'Neumitglieder')}, Erfasstes schon "
            f"eingetragen; {mal(aenderungen, 'Änderung', 'Änderungen')} seit dem letzten Paket.",
        ],
        september,
        pakete_september=september.ordner,
    )
    return september


def _pakete_september_zurueck(lauf: _Lauf, september: Any) -> None:
    """10. the second round comes back."""
    lauf.start(10, "Ausgefüllte Pakete werden übernommen")
    _pakete_zurueck_importieren(
        lauf,
        10,
        september,
        TAG_PAKETE_SEPTEMBER,
        TAG_PAKETE_SEPTEMBER_ZURUECK,
        "Zweite Runde: {n} Pakete zurück, dazu die Liste aus Weinberg",
        "september",
    )


def _kontakt(lauf: _Lauf) -> None:
    """11. one Parteibuch recorded by hand: a new member of an Ortsverein without any welcome fetched it."""
    from mitgliederarbeit.auswertung import segmente
    from mitgliederarbeit.einlesen import kontakte

    lauf.start(11, "Ein Kontakt wird erfasst")
    ohne_begruessung = sorted(
        (m["mitgliedsnummer"], m["ortsverein"])
        for m in segmente.auswaehlen(lauf.am(TAG_KONTAKT), "neu").mitglieder
        if m["ortsverein"] not in PRAXIS
    )
    nummer = _da(ohne_begruessung[0][0] if ohne_begruessung else None, "kein Neumitglied ohne Begrüßung")
    kontakt = kontakte.kontakt(lauf.am(TAG_KONTAKT), str(nummer), "Parteibuch übergeben", notiz=KONTAKT_NOTIZ)
    lauf.fertig(
        11,
        TAG_KONTAKT,
        "Ein Parteibuch von Hand erfasst",
        f'kontakt {kontakt.mitgliedsnummer} "Parteibuch übergeben" --notiz "{KONTAKT_NOTIZ}"',
        [f"Ein Neumitglied aus {kontakt.ortsverein} hat sein Parteibuch in der Geschäftsstelle abgeholt."],
        kontakt,
    )


def _bericht(lauf: _Lauf) -> None:
    """12. the report for the board, with the practices survey the chairs answered."""
    from mitgliederarbeit.ausgaben import bericht as bericht_modul

    lauf.start(12, "Bericht wird erstellt")
    vorlage = lauf.ordner / "ausgabe" / "umfrage-praktiken-vorlage.xlsx"
    bericht_modul.praktiken_vorlage(lauf.am(TAG_BERICHT), vorlage)
    umfrage = lauf.ordner / EINGANG / UMFRAGE
    umfrage_ausfuellen(vorlage, umfrage)
    bericht = bericht_modul.bericht(lauf.am(TAG_BERICHT), praktiken_datei=umfrage)
    lauf.fertig(
        12,
        TAG_BERICHT,
        f"Bericht: {mal(len(bericht.gruppen), 'Ortsverein', 'Ortsvereine')} im Vergleich ({bericht.kennzahlen.zeitraum.text()})",
        f"bericht --praktiken {lauf.eingang}{UMFRAGE}",
        _bericht_zeilen(bericht),
        bericht,
        umfrage=umfrage,
        bericht_html=bericht.dateien["html"],
        bericht_docx=bericht.dateien["docx"],
        bericht_xlsx=bericht.dateien["xlsx"],
    )


def _pakete_zurueck(ordner: Path, pakete: Any, tag: date) -> tuple[list[Path], Path]:
    """The packages the Ortsvereine send back by ``tag`` (filled copies in eingang/), and Weinberg's own list."""
    zurueck: list[Path] = []
    liste: Path | None = None
    for paket in pakete.pakete:
        praxis = PRAXIS.get(paket.ortsverein)
        if praxis == "liste":
            liste = ordner / EINGANG / LISTE_WEINBERG.format(tag=tag.isoformat())
            liste_schreiben(paket.datei, liste, paket.ortsverein, bis=tag)
        elif praxis is not None:
            ziel = ordner / EINGANG / paket.datei.name.replace(".xlsx", "-ausgefuellt.xlsx")
            paket_ausfuellen(paket.datei, ziel, paket.ortsverein, pakete.schritte, bis=tag)
            zurueck.append(ziel)
    return zurueck, _da(liste, "die Liste aus Weinberg")


def _pakete_zeilen(ergebnisse: list[Any]) -> list[str]:
    """What the returned packages and Weinberg's list brought in."""
    pakete = [e for e in ergebnisse if e.art == "paket"]
    listen = [e for e in ergebnisse if e.art != "paket"]
    besuch = [e.details["ortsverein"] for e in pakete if PRAXIS.get(e.details["ortsverein"]) == "besuch"]
    paten = [e.details["ortsverein"] for e in pakete if PRAXIS.get(e.details["ortsverein"]) == "pate"]
    kontakte = sum(e.details["kontakte"] for e in pakete)
    zeilen = [
        f"Mit Willkommensbesuch und Parteibuch: {aufzaehlung(besuch)}; mit Pat*innen: {aufzaehlung(paten)}.",
        f"Aus den Paketen erfasst: {mal(kontakte, 'Kontakt', 'Kontakte')}, "
        f"{mal(sum(e.details['paten'] for e in pakete), 'Pat*in', 'Pat*innen')}, "
        f"{mal(sum(e.details['notizen'] for e in pakete), 'Notiz', 'Notizen')}"
        + (
            f"; schon erfasst und nicht doppelt gezählt: {zahl(b)}"
            if (b := sum(e.details["bereits_erfasst"] for e in pakete))
            else ""
        )
        + ".",
    ]
    for e in listen:
        bereits = e.details["bereits_erfasst"]
        zeilen.append(
            f"Weinberg schickt eine eigene Liste (nach Namen, ohne Nummern): {mal(e.uebernommen, 'Kontakt', 'Kontakte')}"
            + (f", {zahl(bereits)} schon erfasst" if bereits else "")
            + "."
        )
    ohne = sorted(ov for ov in _ALLE_ORTSVEREINE if ov not in PRAXIS)
    zeilen.append(f"Nichts zurück von {aufzaehlung(ohne)}: dort gibt es keine eigene Begrüßung.")
    return zeilen


_ALLE_ORTSVEREINE = (
    "Altstadt",
    "Am Hafen",
    "Auenwald",
    "Eichenhain",
    "Kirchdorf",
    "Mühlental",
    "Neustadt-Nord",
    "Neustadt-Süd",
    "Schlossberg",
    "Seewiesen",
    "Südvorstadt",
    "Weinberg",
)


def _bericht_zeilen(bericht: Any) -> list[str]:
    """The report in a few lines: the whole, and the three ways of working side by side."""
    from mitgliederarbeit.auswertung.kennzahlen import Anteil, anteil_text

    k = bericht.kennzahlen
    m = bericht.min_fallzahl
    namen = [s["name"].split(" (")[0] for s in k.schritte]
    zeilen = [
        "Fristgerecht im ganzen Unterbezirk: "
        + ", ".join(f"{n} {anteil_text(a, m)}" for n, a in zip(namen, k.gesamt.schritte))
        + f"; ganzer Standard erfüllt: {anteil_text(k.gesamt.standard, m)}.",
    ]
    for praxis in ("besuch", "pate", None):
        gruppe = [
            w
            for w in k.ortsvereine
            if (PRAXIS.get(w.name) == "liste" and praxis == "besuch") or PRAXIS.get(w.name) == praxis
        ]
        summen = [sum((w.schritte[i] for w in gruppe), Anteil()) for i in range(len(k.schritte))]
        zeilen.append(
            f"{PRAXIS_TEXT[praxis]} ({mal(len(gruppe), 'Ortsverein', 'Ortsvereine')}): "
            + ", ".join(f"{n} {anteil_text(a, m)}" for n, a in zip(namen, summen))
            + "."
        )
    zeilen.append(
        f"Was auffällt ({mal(len(bericht.auffaelligkeiten), 'Punkt', 'Punkte')}), steht im Bericht."
    )
    return zeilen
