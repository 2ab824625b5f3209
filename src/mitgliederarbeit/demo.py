"""``mitglieder demo``: a working folder from the example exports, and the whole workflow run in it.

Four months of an invented Unterbezirk (Musterstadt, 12 Ortsvereine), each step on its own fixed Stichtag so
every run gives the same result: the May export (with three deliberately broken rows), the August export, a
call list for three callers, the welcome letters, the call list returned filled in (by this module, with
seeded random results, the way volunteers fill it), the attendance list of the new-member evening, and the
report.

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
from mitgliederarbeit.errors import EingabeFehler, OrdnerFehler
from mitgliederarbeit.ordner import Arbeitsordner

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
TAG_IMPORT_AUGUST = date(2026, 9, 1)
TAG_ANRUFLISTE = date(2026, 9, 1)
TAG_BRIEFE = date(2026, 9, 2)
TAG_RUECKLAUF = date(2026, 9, 8)
TAG_TEILNAHME = date(2026, 9, 18)
TAG_BERICHT = date(2026, 9, 30)
SCHRITTE = 7
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
                "Exporte, ausgefüllte Anrufliste und Teilnahmeliste",
            ),
            (
                self.relativ(d["importfehler_mai"]),
                f"die {_zahl(abgelehnt)} abgelehnten Zeilen und die Warnungen (Mai)",
            ),
            (self.relativ(d["importfehler_august"]), "die Warnungen des August-Exports"),
            (
                self.relativ(d["anrufliste"]),
                "ein Blatt je Anrufer*in, Gesprächsleitfaden, Datenschutz",
            ),
            (
                self.relativ(briefe) + "/",
                f"{_zahl(anzahl_briefe)} Briefe einzeln, alle zusammen in briefe.docx",
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


def _zahl(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _mal(n: int, einzahl: str, mehrzahl: str) -> str:
    return f"{_zahl(n)} {einzahl if n == 1 else mehrzahl}"


def _aufzaehlung(teile: list[str]) -> str:
    """``a, b und c``."""
    return teile[0] if len(teile) == 1 else f"{', '.join(teile[:-1])} und {teile[-1]}"


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
        raise OrdnerFehler(
            f"Die alte Demo in {angegeben} lässt sich nicht löschen: {exc.strerror}."
        ) from None
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
# the workflow
# ------------------------------------------------------------------------------------------------------------


def demo(
    ordner: Path = STANDARD_ORDNER,
    *,
    ueberschreiben: bool = False,
    fortschritt: Callable[[int, int, str], None] | None = None,
) -> Demo:
    """Make a demo working folder from the example exports and run the whole workflow in it."""
    from mitgliederarbeit.ausgaben import anrufliste, briefe
    from mitgliederarbeit.ausgaben import bericht as bericht_modul
    from mitgliederarbeit.auswertung import segmente
    from mitgliederarbeit.auswertung.kennzahlen import anteil_text
    from mitgliederarbeit.einlesen import importieren

    beispiele = beispiele_ordner()
    fehlen = [n for n in (KONFIG, EXPORT_MAI, EXPORT_AUGUST, TEILNAHME) if not (beispiele / n).is_file()]
    if fehlen:
        raise EingabeFehler(
            f"Die Beispieldateien fehlen ({', '.join(fehlen)} in {beispiele}).",
            hint="Bitte mitgliederarbeit neu installieren, im Projektordner: pip install --force-reinstall .",
        )
    angegeben = Path(ordner)
    ordner = angegeben.resolve()
    melden = fortschritt or (lambda done, total, titel: None)
    result = Demo(ordner=ordner)
    result.ueberschrieben = _vorbereiten(ordner, angegeben, ueberschreiben)
    melden(0, SCHRITTE, "Demo-Ordner wird angelegt …")
    kopien = _anlegen(ordner, beispiele)
    eingang = f"{EINGANG}/"

    def am(tag: date) -> Arbeitsordner:
        return Arbeitsordner(ordner, tag)

    def schritt(
        nummer: int, tag: date, titel: str, befehl: str, zeilen: list[str], ergebnis: Any, **dateien: Path
    ) -> None:
        result.schritte.append(
            Schritt(
                nummer, tag, titel, f"mitglieder --stichtag {dt.de(tag)} {befehl}", zeilen, dateien, ergebnis
            )
        )
        result.dateien.update(dateien)
        melden(nummer, SCHRITTE, "")  # done; the next step names itself before it starts

    # 1. the May export: three rows are broken on purpose
    melden(0, SCHRITTE, "1/7 Mai-Export wird importiert …")
    mai = importieren.importieren(am(TAG_IMPORT_MAI), [kopien["export_mai"]])[0]
    schritt(
        1,
        TAG_IMPORT_MAI,
        f"Mai-Export importiert (Stand {dt.de(mai.stand)})",
        f"import {eingang}{EXPORT_MAI}",
        [
            f"{_zahl(mai.gelesen)} Zeilen gelesen, {_zahl(mai.uebernommen)} Mitglieder in "
            f"{_zahl(mai.ortsvereine)} Ortsvereinen übernommen, "
            f"{_mal(mai.warnungen, 'Warnung', 'Warnungen')}.",
            f"{_mal(mai.abgelehnt, 'Zeile', 'Zeilen')} abgelehnt – mit Absicht, so sieht ein fehlerhafter "
            "Export aus.",
            f"Abgelehnte Zeilen und Warnungen stehen zum Korrigieren in {result.relativ(_da(mai.fehlerdatei, 'die Fehlerdatei'))}.",
        ],
        mai,
        importfehler_mai=_da(mai.fehlerdatei, "die Fehlerdatei"),
    )

    # 2. the August export, three months later, from another system
    melden(1, SCHRITTE, "2/7 August-Export wird importiert …")
    august = importieren.importieren(am(TAG_IMPORT_AUGUST), [kopien["export_august"]])[0]
    frueh = segmente.auswaehlen(am(TAG_IMPORT_AUGUST), "frueh-ausgetreten").anzahl
    schritt(
        2,
        TAG_IMPORT_AUGUST,
        f"August-Export importiert (Stand {dt.de(august.stand)})",
        f"import {eingang}{EXPORT_AUGUST}",
        [
            f"{_zahl(august.eintritte)} Eintritte, {_zahl(august.austritte)} Austritte "
            f"(davon {_zahl(frueh)} im "
            f"ersten Jahr), {_zahl(august.wechsel)} Wechsel, {_zahl(august.aenderungen)} Änderungen.",
        ],
        august,
        importfehler_august=_da(august.fehlerdatei, "die Fehlerdatei"),
    )

    # 3. the call list for three callers
    melden(2, SCHRITTE, "3/7 Anrufliste wird geschrieben …")
    liste = anrufliste.anrufliste(am(TAG_ANRUFLISTE), anrufer=[",".join(ANRUFER)])
    verteilt = ", ".join(f"{name} {_zahl(n)}" for name, n in liste.je_anrufer.items())
    ausgelassen = _aufzaehlung([f"{_zahl(n)} {liste.grund_text(k)}" for k, n in liste.ausgelassen.items()])
    schritt(
        3,
        TAG_ANRUFLISTE,
        f"Anrufliste für {_aufzaehlung(ANRUFER)}",
        f'anrufliste --anrufer "{",".join(ANRUFER)}"',
        [
            f"{_zahl(liste.eintraege)} Neumitglieder ohne persönlichen Kontakt ({verteilt}).",
            *([f"Nicht auf der Liste: {ausgelassen}."] if liste.ausgelassen else []),
        ],
        liste,
        anrufliste=_da(liste.datei, "die Anrufliste"),
    )

    # 4. welcome letters: one file per member, and all of them in one document for printing
    melden(3, SCHRITTE, "4/7 Willkommensbriefe werden geschrieben …")
    tag_briefe = am(TAG_BRIEFE)
    empfaenger = segmente.auswaehlen(tag_briefe, tag_briefe.config["briefe"]["segment"]).mitglieder
    lauf = briefe.briefe(tag_briefe)
    druck = briefe.schreibe_briefe(
        empfaenger, tag_briefe.config, lauf.ergebnis.ordner, stichtag=TAG_BRIEFE, ein_dokument=True
    )
    ohne = lauf.ergebnis.ausgelassen
    gruende = _aufzaehlung(sorted({grund for _, grund in ohne})) if ohne else ""
    schritt(
        4,
        TAG_BRIEFE,
        f"{_zahl(len(lauf.ergebnis.briefe))} Willkommensbriefe nach DIN 5008 geschrieben",
        "briefe",
        [
            "Eine Word-Datei je Mitglied, dazu briefe.docx mit allen Briefen zum Drucken.",
            *([f"Ohne Brief: {_mal(len(ohne), 'Mitglied', 'Mitglieder')} ({gruende})."] if ohne else []),
        ],
        lauf.ergebnis,
        briefe=lauf.ergebnis.ordner,
        briefe_druck=druck.dateien[0],
    )

    # 5. the call list comes back filled in
    melden(4, SCHRITTE, "5/7 Anrufergebnisse werden übernommen …")
    zurueck = ordner / EINGANG / ZURUECK
    anrufliste_ausfuellen(_da(liste.datei, "die Anrufliste"), zurueck)
    rueck = importieren.importieren(am(TAG_RUECKLAUF), [zurueck])[0]
    ergebnisse = rueck.details["ergebnisse"]
    haeufig = [f"{_zahl(ergebnisse[k])} {anrufliste.ERGEBNISSE[k]}" for k in ("erreicht", "nicht_erreicht")]
    selten = [
        f"{_zahl(n)} {anrufliste.ERGEBNISSE[k]}"
        for k, n in ergebnisse.items()
        if k not in ("erreicht", "nicht_erreicht")
    ]
    folgen = [f"Interessen notiert: {_zahl(rueck.details['interessen_ergaenzt'])}"]
    if rueck.details["austrittswunsch"]:
        folgen.append(f"Austrittswunsch zum Nachfassen: {_zahl(rueck.details['austrittswunsch'])}")
    schritt(
        5,
        TAG_RUECKLAUF,
        "Ausgefüllte Anrufliste zurück",
        f"import {eingang}{ZURUECK}",
        [
            f"{_zahl(rueck.uebernommen)} Anrufe übernommen: {_aufzaehlung(haeufig)}.",
            *([f"Außerdem {', '.join(selten)}."] if selten else []),
            f"{'; '.join(folgen)}.",
        ],
        rueck,
        anrufliste_ausgefuellt=zurueck,
    )

    # 6. the attendance list of the new-member evening
    melden(5, SCHRITTE, "6/7 Teilnahmeliste wird übernommen …")
    teilnahme = importieren.importieren(am(TAG_TEILNAHME), [kopien["teilnahmeliste"]])[0]
    d = teilnahme.details
    schritt(
        6,
        TAG_TEILNAHME,
        f"Teilnahmeliste: {d['veranstaltung']} am {dt.de(dt.from_iso(d['datum']))}",
        f"import {eingang}{TEILNAHME}",
        [
            f"{_zahl(teilnahme.uebernommen)} Teilnahmen ({_zahl(d['per_nummer'])} über die Mitgliedsnummer, "
            f"{_zahl(d['per_name'])} über den Namen).",
        ],
        teilnahme,
    )

    # 7. the report for the board
    melden(6, SCHRITTE, "7/7 Bericht wird erstellt …")
    bericht = bericht_modul.bericht(am(TAG_BERICHT))
    k = bericht.kennzahlen
    m = bericht.min_fallzahl
    erster = k.schritte[0]["name"] if k.schritte else "Erster Schritt"
    schritt(
        7,
        TAG_BERICHT,
        f"Bericht: {_zahl(len(bericht.gruppen))} Ortsvereine im Vergleich ({k.zeitraum.text()})",
        "bericht",
        [
            f"„{erster}“ fristgerecht: {anteil_text(k.gesamt.schritte[0], m)} der Neumitglieder; "
            f"ganzer Standard erfüllt: {anteil_text(k.gesamt.standard, m)}.",
            f"Was auffällt ({_mal(len(bericht.auffaelligkeiten), 'Punkt', 'Punkte')}), steht im Bericht.",
        ],
        bericht,
        bericht_html=bericht.dateien["html"],
        bericht_docx=bericht.dateien["docx"],
        bericht_xlsx=bericht.dateien["xlsx"],
    )
    result.dateien = {
        "einstellungen": kopien["einstellungen"],
        "datenbestand": ordner / "mitglieder.sqlite",
        "sicherungen": ordner / "sicherung",
        "export_mai": kopien["export_mai"],
        "export_august": kopien["export_august"],
        "teilnahmeliste": kopien["teilnahmeliste"],
        **result.dateien,
    }
    return result
