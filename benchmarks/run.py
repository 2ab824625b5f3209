#!/usr/bin/env python3
"""Benchmarks für ``mitglieder``: unsere Befehle als ganze Prozesse, die Vergleichswerte im selben Lauf.

    python benchmarks/run.py                       # 400.000 Zeilen, je 3 Läufe (die Ziele aus Issue 7, 14, 18)
    python benchmarks/run.py --groesse 100000      # kleiner
    python benchmarks/run.py --nur import,hilfe    # nur einige Messungen
    python benchmarks/run.py --nur segmente,bericht,unterbezirk   # Issue 18: im Wechsel mit dem ersten Import
    python benchmarks/run.py --ohne-vergleich      # ohne pandas/polars/docxtpl (schneller, keine Verhältnisse)
    python benchmarks/run.py --ohne-openpyxl       # ohne den zweiminütigen Vergleich pandas + openpyxl

Jede Messung startet einen eigenen Prozess (``mitglieder … --ordner TMP --stichtag 01.10.2026``) und misst die
Wanduhrzeit und den Spitzenspeicher (``ru_maxrss`` des Kindprozesses über ``os.wait4``). Gezeigt wird der Median
aus ``--wiederholungen`` Läufen, beim Speicher das Maximum. Die Testdaten (``daten.py``, fester Seed) werden
einmal erzeugt und unter ``benchmarks/.daten/`` zwischengespeichert.

Vergleichswerte brauchen ``pip install -e .[bench]`` (polars, fastexcel, pyarrow).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

HIER = Path(__file__).resolve().parent
sys.path.insert(0, str(HIER))

import daten  # noqa: E402

STICHTAG = "01.10.2026"
STICHTAG_DATUM = date(2026, 10, 1)
DATEN_VERSION = "3"  # raise when daten.py changes what it writes
NEU_VERSION = "4"  # the same for the small exports of new members
ANRUFLISTE = 5000
BRIEFE = 1000
# The sender the letters print: without it ``briefe`` stops before writing (README „Fehlende Angaben …“).
BRIEF_EINSTELLUNGEN = """[organisation]
partei = "Musterpartei"
name = "Musterpartei Landesverband Beispiel"
absender_zeile = "Musterpartei · Beispielweg 1 · 01067 Musterstadt"
telefon = "0351 1234567"
email = "mitglieder@example.org"
unterschrift = "Erika Beispiel"
"""
DEMO_STICHTAG = "30.09.2026"  # the Stichtag the demo folder ends on (what `mitglieder demo` prints)
MESSUNGEN = (
    "import",
    "csv",
    "reimport",
    "segmente",
    "anrufliste",
    "briefe",
    "bericht",
    "unterbezirk",
    "hilfe",
)


@dataclass
class Messung:
    """Median time and peak memory of one command over several runs."""

    name: str
    zeiten: list[float] = field(default_factory=list)
    speicher_kb: list[int] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.zeiten)

    @property
    def spitze_mb(self) -> float:
        return max(self.speicher_kb) / 1024


@dataclass
class Ziel:
    """One line of the table in issue 7."""

    was: str
    ziel: str
    vergleich: str
    wert: str
    erfuellt: bool | None  # None: not measured (no baseline)


def _maxrss_kb(rusage: object) -> int:
    value = rusage.ru_maxrss  # type: ignore[attr-defined]
    return value // 1024 if platform.system() == "Darwin" else value  # macOS reports bytes


def ausfuehren(cmd: Sequence[str], *, cwd: Path | None = None, ok: Sequence[int] = (0,)) -> tuple[float, int]:
    """Run a command as its own process: (seconds, peak RSS in KB). Output goes to a temporary file."""
    with tempfile.TemporaryFile() as ausgabe:
        start = time.perf_counter()
        proc = subprocess.Popen(list(cmd), cwd=cwd, stdout=ausgabe, stderr=ausgabe, env=_umgebung())
        _, status, rusage = os.wait4(proc.pid, 0)
        dauer = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode not in ok:
            ausgabe.seek(0)
            text = ausgabe.read().decode("utf-8", "replace")[-3000:]
            raise SystemExit(f"Fehlgeschlagen ({proc.returncode}): {' '.join(map(str, cmd))}\n{text}")
    return dauer, _maxrss_kb(rusage)


def _umgebung() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("MITGLIEDER_ORDNER", None)
    env.pop("MITGLIEDER_STICHTAG", None)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.setdefault("COLUMNS", "120")
    return env


@dataclass
class Lauf:
    """One command to measure: its key in the results, its name in the output, how to prepare each run."""

    schluessel: str
    name: str
    cmd: Callable[[int], Sequence[str]] | Sequence[str]
    vorbereiten: Callable[[int], None] | None = None
    ok: Sequence[int] = (0,)


def abwechselnd(laeufe: Sequence[Lauf], wiederholungen: int) -> dict[str, Messung]:
    """The commands of one comparison in turns (A, B, C, A, B, C …), not one after the other.

    A ratio is only as good as the conditions both sides ran under. This machine gets slower after minutes of
    full load (the pandas baseline alone runs two minutes); measured in turns, such a drift meets every side of a
    comparison alike instead of the ones that happen to come later.
    """
    messungen = {lauf.schluessel: Messung(lauf.name) for lauf in laeufe}
    for i in range(wiederholungen):
        for lauf in laeufe:
            if lauf.vorbereiten:
                lauf.vorbereiten(i)
            # Every run starts on a quiet disk: the harness's own copies (a 180 MB store before each re-import)
            # and the files of earlier runs would otherwise still be written back to disk while the next is timed.
            os.sync()
            dauer, kb = ausfuehren(lauf.cmd(i) if callable(lauf.cmd) else lauf.cmd, ok=lauf.ok)
            messungen[lauf.schluessel].zeiten.append(dauer)
            messungen[lauf.schluessel].speicher_kb.append(kb)
            print(f"    {lauf.name}: {dauer:.2f} s, {kb / 1024:.0f} MB", file=sys.stderr, flush=True)
    return messungen


def messen(
    name: str,
    cmd: Callable[[int], Sequence[str]] | Sequence[str],
    wiederholungen: int,
    *,
    vorbereiten: Callable[[int], None] | None = None,
    ok: Sequence[int] = (0,),
) -> Messung:
    return abwechselnd([Lauf("", name, cmd, vorbereiten, ok)], wiederholungen)[""]


def mitglieder() -> list[str]:
    """The command as installed. Its modules are compiled first: an installed package ships bytecode, while an
    editable checkout run with PYTHONDONTWRITEBYTECODE would compile every module again in every run."""
    import compileall

    import mitgliederarbeit

    compileall.compile_dir(Path(mitgliederarbeit.__file__).parent, quiet=1)
    script = Path(sys.executable).parent / "mitglieder"
    return [str(script)] if script.exists() else [sys.executable, "-m", "mitgliederarbeit"]


def py(code: str, *args: object) -> list[str]:
    return [sys.executable, "-c", code, *map(str, args)]


# --------------------------------------------------------------------------------------------------------------
# test data (cached)
# --------------------------------------------------------------------------------------------------------------


@dataclass
class Daten:
    ordner: Path
    groesse: int

    @property
    def export_xlsx(self) -> Path:
        return self.ordner / f"export-{self.groesse}.xlsx"

    @property
    def export_csv(self) -> Path:
        return self.ordner / f"export-{self.groesse}.csv"

    @property
    def naechster_xlsx(self) -> Path:
        return self.ordner / f"naechster-{self.groesse}.xlsx"

    @property
    def neu_anrufliste(self) -> Path:
        return self.ordner / f"neu-{ANRUFLISTE}.xlsx"

    @property
    def neu_briefe(self) -> Path:
        return self.ordner / f"neu-{BRIEFE}.xlsx"


def daten_erzeugen(ordner: Path, groesse: int, ortsvereine: int) -> Daten:
    """The exports, made once (in a process of their own: see :func:`hilfsprozess`)."""
    d = Daten(ordner, groesse)
    ordner.mkdir(parents=True, exist_ok=True)
    (ordner / ".gitignore").write_text("*\n")
    if not (ordner / f"fertig-{groesse}-{ortsvereine}-v{DATEN_VERSION}").exists():
        print(f"Erzeuge Testdaten ({groesse:,} Zeilen) in {ordner} …".replace(",", "."), file=sys.stderr)
        hilfsprozess("daten", ordner, groesse, ortsvereine)
    if not (ordner / f"fertig-neu-v{NEU_VERSION}").exists():
        hilfsprozess("daten-neu", ordner)
    return d


def _daten_schreiben(ordner: Path, groesse: int, ortsvereine: int) -> None:
    d = Daten(ordner, groesse)
    leute = daten.erzeuge(groesse, ortsvereine=ortsvereine)
    daten.schreibe_xlsx(d.export_xlsx, leute, stand=daten.STAND)
    daten.schreibe_csv(d.export_csv, leute, stand=daten.STAND)
    daten.schreibe_xlsx(d.naechster_xlsx, daten.naechster_export(leute), stand=daten.STAND_NEXT)
    (ordner / f"fertig-{groesse}-{ortsvereine}-v{DATEN_VERSION}").write_text("ok\n")


def _daten_neu(ordner: Path) -> None:
    """New members only, all with phone and address: the segments of the call list and of the letters."""
    d = Daten(ordner, 0)
    for anzahl, pfad, seed in ((ANRUFLISTE, d.neu_anrufliste, 7), (BRIEFE, d.neu_briefe, 8)):
        leute = daten.erzeuge(
            anzahl, seed=seed, ortsvereine=20, anteil_neu=1.0, telefon_quote=1.0, fehler=False
        )
        rng = random.Random(seed)
        for m in leute:
            m["kein_anruf"] = m["keine_post"] = False
            # all within the segment's six months before the Stichtag (and before the export's Stand)
            m["eintrittsdatum"] = daten.STAND - timedelta(days=rng.randint(0, 120))
        daten.schreibe_xlsx(pfad, leute, stand=daten.STAND)
    (ordner / f"fertig-neu-v{NEU_VERSION}").write_text("ok\n")


def hilfsprozess(aufgabe: str, *args: object) -> None:
    """Preparation runs in a process of its own: on Linux a child's peak memory (ru_maxrss) starts at its
    parent's, so the runner itself must stay small for the memory figures to be right."""
    subprocess.run([sys.executable, __file__, "--aufgabe", aufgabe, *map(str, args)], check=True)


def importiert(quelle: Path, ordner: Path) -> Path:
    """A working folder with ``quelle`` imported (made once, copied for each run)."""
    if not (ordner / "mitglieder.sqlite").exists():
        shutil.rmtree(ordner, ignore_errors=True)
        ausfuehren([*mitglieder(), "--ordner", ordner, "--stichtag", STICHTAG, "import", quelle], ok=(0, 3))
    return ordner


def kopie(quelle: Path, ziel: Path) -> None:
    shutil.rmtree(ziel, ignore_errors=True)
    shutil.copytree(quelle, ziel, ignore=shutil.ignore_patterns("ausgabe", "sicherung"))


def mit_kontakten(basis: Path, ziel: Path) -> Path:
    """A copy of the imported store with contacts (what ``segmente`` and ``bericht`` read), made once."""
    if not (ziel / "fertig").exists():
        kopie(basis, ziel)
        hilfsprozess("kontakte", ziel)
        (ziel / "fertig").write_text("ok\n")
    return ziel


def kontakte_einspielen(ordner: Path) -> None:
    """Letters, calls and attendance for the members of the last two years, as the report wants them."""
    import random
    import sqlite3

    conn = sqlite3.connect(ordner / "mitglieder.sqlite")
    if conn.execute("SELECT count(*) FROM kontakte").fetchone()[0]:
        conn.close()
        return
    rng = random.Random(11)
    grenze = (STICHTAG_DATUM - timedelta(days=730)).isoformat()
    rows = []
    for nr, eintritt in conn.execute(
        "SELECT nr, eintrittsdatum FROM mitglieder WHERE eintrittsdatum >= ?", (grenze,)
    ):
        tag = date.fromisoformat(eintritt)
        for art, anteil, tage in (("brief", 0.8, 20), ("anruf", 0.6, 45), ("teilnahme", 0.3, 90)):
            if rng.random() < anteil:
                datum = min(tag + timedelta(days=rng.randint(1, tage)), STICHTAG_DATUM)
                ergebnis = rng.choice(("erreicht", "nicht_erreicht")) if art == "anruf" else None
                veranstaltung = "Neumitgliederabend" if art == "teilnahme" else None
                rows.append((nr, art, datum.isoformat(), ergebnis, veranstaltung, "benchmark", f"{art}:{nr}"))
    with conn:
        conn.executemany(
            "INSERT INTO kontakte (nr, art, datum, ergebnis, veranstaltung, quelle, schluessel) VALUES (?,?,?,?,?,?,?)",
            rows,
        )
    conn.close()


# --------------------------------------------------------------------------------------------------------------
# the measurements
# --------------------------------------------------------------------------------------------------------------

POLARS = (
    "import sys, polars; polars.read_excel(sys.argv[1], engine='calamine', read_options={'header_row': 4})"
)
PANDAS_XLSX = "import sys, pandas; pandas.read_excel(sys.argv[1], engine='openpyxl', header=4)"
PANDAS_CSV = (
    "import sys, pandas; pandas.read_csv(sys.argv[1], engine='pyarrow', dtype=str, sep=';', encoding='cp1252', "
    "skiprows=3)"
)
XLSXWRITER = r"""
import json, sys, datetime, xlsxwriter
data = json.load(open(sys.argv[1], encoding="utf-8"))
wb = xlsxwriter.Workbook(sys.argv[2])
bold = wb.add_format({"bold": True})
datum = wb.add_format({"num_format": "dd.mm.yyyy"})
for name, rows in data["blaetter"].items():
    ws = wb.add_worksheet(name)
    ws.write_row(0, 0, data["spalten"], bold)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if value is None:
                continue
            if c == 5:
                ws.write_datetime(r, c, datetime.datetime.fromisoformat(value), datum)
            else:
                ws.write(r, c, value)
    for c, width in enumerate(data["breiten"]):
        ws.set_column(c, c, width)
    ws.data_validation(1, 10, max(len(rows), 1000), 10, {"validate": "list", "source": data["ergebnisse"]})
wb.close()
"""
DOCXTPL = r"""
import json, sys
from pathlib import Path
from docxtpl import DocxTemplate
data = json.load(open(sys.argv[1], encoding="utf-8"))
ziel = Path(sys.argv[2]); ziel.mkdir()
for i, kontext in enumerate(data["kontexte"]):
    tpl = DocxTemplate(data["vorlage"])
    tpl.render(kontext)
    tpl.save(ziel / f"{i:05d}.docx")
"""


def anrufliste_vorlage(liste: Path, ziel: Path) -> None:
    """The rows of our call list as JSON, for the plain-xlsxwriter baseline (the same rows, sheets and widths)."""
    from python_calamine import CalamineWorkbook

    from mitgliederarbeit.ausgaben import anrufliste as core

    wb = CalamineWorkbook.from_path(str(liste))
    blaetter = {}
    for name in wb.sheet_names:
        if name in (core.LEITFADEN_BLATT, core.DATENSCHUTZ_BLATT, "_mitgliederarbeit"):
            continue
        rows = wb.get_sheet_by_name(name).to_python()[1:]
        blaetter[name] = [
            [v.isoformat() if hasattr(v, "isoformat") else (None if v == "" else v) for v in row]
            for row in rows
        ]
    ziel.write_text(
        json.dumps(
            {
                "spalten": core.SPALTEN,
                "breiten": [core._BREITEN[i] for i in range(len(core.SPALTEN))],
                "ergebnisse": list(core.ERGEBNISSE.values()),
                "blaetter": blaetter,
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )


def briefe_vorlage(ordner: Path, ziel: Path) -> None:
    """Template and per-member context of the letters, for the docxtpl baseline."""
    from mitgliederarbeit.ausgaben import briefe as core
    from mitgliederarbeit.auswertung import segmente
    from mitgliederarbeit.ordner import Arbeitsordner

    arbeit = Arbeitsordner(ordner, STICHTAG_DATUM)
    config = arbeit.config
    auswahl = segmente.auswaehlen(arbeit, config["briefe"]["segment"])
    einzeln = [[m] for m in auswahl.mitglieder]
    lauf = core._Brieflauf.vorbereiten(config, STICHTAG_DATUM, None, auswahl.mitglieder, einzeln)
    kontexte = [lauf.kontext(sendung)[1] for sendung in einzeln]
    ziel.write_text(
        json.dumps(
            {"vorlage": str(core.standard_vorlage(config)), "kontexte": kontexte},
            ensure_ascii=False,
            default=str,
        ),
        encoding="utf-8",
    )


def aufgabe(name: str, *args: str) -> int:
    if name == "daten":
        _daten_schreiben(Path(args[0]), int(args[1]), int(args[2]))
    elif name == "daten-neu":
        _daten_neu(Path(args[0]))
    elif name == "kontakte":
        kontakte_einspielen(Path(args[0]))
    elif name == "anrufliste":
        anrufliste_vorlage(Path(args[0]), Path(args[1]))
    elif name == "briefe":
        briefe_vorlage(Path(args[0]), Path(args[1]))
    else:
        raise SystemExit(f"unbekannte Aufgabe {name}")
    return 0


def verhaeltnis(a: float, b: float) -> str:
    return f"{a / b:.2f}×".replace(".", ",")


def sek(x: float) -> str:
    return f"{x:.2f} s".replace(".", ",")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmarks für mitglieder (Issue 7).")
    parser.add_argument("--groesse", type=int, default=400_000, help="Zeilen des großen Exports (400000)")
    parser.add_argument("--ortsvereine", type=int, default=500)
    parser.add_argument("--wiederholungen", type=int, default=3)
    parser.add_argument("--nur", default=",".join(MESSUNGEN), help=f"Auswahl aus {','.join(MESSUNGEN)}")
    parser.add_argument(
        "--ohne-vergleich", action="store_true", help="keine Vergleichswerte (pandas, polars, …)"
    )
    parser.add_argument(
        "--ohne-openpyxl",
        action="store_true",
        help="ohne den langsamen Vergleich pandas + openpyxl (2 Minuten)",
    )
    parser.add_argument("--daten", type=Path, default=HIER / ".daten", help="Zwischenspeicher der Testdaten")
    parser.add_argument("--json", type=Path, help="Ergebnisse zusätzlich als JSON schreiben")
    parser.add_argument("--aufgabe", nargs="+", help=argparse.SUPPRESS)  # preparation in a helper process
    args = parser.parse_args(argv)
    if args.aufgabe:
        return aufgabe(*args.aufgabe)
    nur = {n.strip() for n in args.nur.split(",") if n.strip()}
    n = args.wiederholungen
    vergleich = not args.ohne_vergleich

    d = daten_erzeugen(args.daten, args.groesse, args.ortsvereine)
    arbeit = Path(tempfile.mkdtemp(prefix="mitglieder-bench-"))
    basis = args.daten / f"bestand-{args.groesse}"
    m: dict[str, Messung] = {}
    ziele: list[Ziel] = []
    groesse_text = f"{args.groesse:,}".replace(",", ".")
    cli = mitglieder()

    def ordner(i: int) -> Path:
        return arbeit / f"lauf-{i}"

    def leeren(i: int) -> None:
        shutil.rmtree(ordner(i), ignore_errors=True)

    def import_lauf(schluessel: str, name: str, datei: Path, vorbereiten: Callable[[int], None]) -> Lauf:
        """``mitglieder import DATEI`` into run i's folder (exit 3: rows were rejected, as the test data wants)."""
        return Lauf(
            schluessel,
            name,
            lambda i: [*cli, "--ordner", ordner(i), "--stichtag", STICHTAG, "import", datei],
            vorbereiten,
            (0, 3),
        )

    zuletzt: list[Lauf] = []
    try:
        if nur & {"import", "reimport", "segmente", "bericht"}:
            # the first import and what it is compared with: polars reading the file, the next export, counting
            # the segments and the report of the same store
            laeufe = [import_lauf("import", "mitglieder import (xlsx)", d.export_xlsx, leeren)]
            if vergleich and "import" in nur:
                laeufe.append(Lauf("polars", "polars.read_excel (calamine)", py(POLARS, d.export_xlsx)))
            if vergleich and "import" in nur and not args.ohne_openpyxl:
                # two minutes of full load: measured at the very end, where the machine's slowing down after it
                # meets no other measurement
                zuletzt.append(
                    Lauf("pandas_xlsx", "pandas.read_excel (openpyxl)", py(PANDAS_XLSX, d.export_xlsx))
                )
            if "reimport" in nur:
                importiert(d.export_xlsx, basis)
                laeufe.append(
                    import_lauf(
                        "reimport",
                        "mitglieder import (nächster Export)",
                        d.naechster_xlsx,
                        lambda i: kopie(basis, ordner(i)),
                    )
                )
            if nur & {"segmente", "bericht"}:
                kontakte = mit_kontakten(
                    importiert(d.export_xlsx, basis), args.daten / f"bestand-{args.groesse}-kontakte"
                )
            if "segmente" in nur:
                laeufe.append(
                    Lauf(
                        "segmente",
                        f"mitglieder segmente ({groesse_text})",
                        [*cli, "--ordner", kontakte, "--stichtag", STICHTAG, "segmente"],
                    )
                )
            if "bericht" in nur:
                laeufe.append(
                    Lauf(
                        "bericht",
                        f"mitglieder bericht ({groesse_text} Mitglieder)",
                        lambda i: [*cli, "--ordner", kontakte, "--stichtag", STICHTAG, "bericht", "--ausgabe",
                                   arbeit / f"bericht-{i}"],
                    )
                )  # fmt: skip
            print(f"Import xlsx und im Wechsel damit: {', '.join(lauf.name for lauf in laeufe[1:])} …",
                  file=sys.stderr)  # fmt: skip
            m.update(abwechselnd(laeufe, n))
            if "bericht" in nur:
                for i in range(n):
                    dateien = {p.name for p in (arbeit / f"bericht-{i}").iterdir()}
                    if not {"bericht.html", "bericht.docx", "bericht.xlsx"} <= dateien:
                        raise SystemExit(
                            f"bericht hat nicht alle drei Dateien geschrieben: {sorted(dateien)}"
                        )
        if "csv" in nur:
            print("Import csv …", file=sys.stderr)
            laeufe = [import_lauf("csv", "mitglieder import (csv)", d.export_csv, leeren)]
            if vergleich:
                laeufe.append(Lauf("pandas_csv", "pandas.read_csv (pyarrow)", py(PANDAS_CSV, d.export_csv)))
            m.update(abwechselnd(laeufe, n))
        if "anrufliste" in nur:
            print("Anrufliste …", file=sys.stderr)
            quelle = importiert(d.neu_anrufliste, args.daten / "bestand-anrufliste")
            m["anrufliste"] = messen(
                f"mitglieder anrufliste ({ANRUFLISTE})",
                lambda i: [
                    *cli,
                    "--ordner",
                    quelle,
                    "--stichtag",
                    STICHTAG,
                    "anrufliste",
                    "--anrufer-anzahl",
                    "5",
                    "--ausgabe",
                    arbeit / f"anrufliste-{i}.xlsx",
                ],
                n,
            )
            if vergleich:
                zeilen = arbeit / "anrufliste.json"
                hilfsprozess("anrufliste", arbeit / "anrufliste-0.xlsx", zeilen)
                m["xlsxwriter"] = messen(
                    "xlsxwriter (dieselben Zeilen)",
                    lambda i: py(XLSXWRITER, zeilen, arbeit / f"roh-{i}.xlsx"),
                    n,
                )
        if "briefe" in nur:
            print("Briefe …", file=sys.stderr)
            quelle = importiert(d.neu_briefe, args.daten / "bestand-briefe")
            (quelle / "mitglieder.toml").write_text(BRIEF_EINSTELLUNGEN, encoding="utf-8")
            m["briefe"] = messen(
                f"mitglieder briefe ({BRIEFE} Dateien)",
                lambda i: [
                    *cli,
                    "--ordner",
                    ordner(i),
                    "--stichtag",
                    STICHTAG,
                    "briefe",
                    "--ausgabe",
                    arbeit / f"briefe-{i}",
                ],
                n,
                vorbereiten=lambda i: kopie(quelle, ordner(i)),
            )
            m["ein_dokument"] = messen(
                f"mitglieder briefe --ein-dokument ({BRIEFE})",
                lambda i: [
                    *cli,
                    "--ordner",
                    ordner(i),
                    "--stichtag",
                    STICHTAG,
                    "briefe",
                    "--ein-dokument",
                    "--ausgabe",
                    arbeit / f"ein-dokument-{i}",
                ],
                n,
                vorbereiten=lambda i: kopie(quelle, ordner(i)),
            )
            if vergleich:
                kontexte = arbeit / "briefe.json"
                hilfsprozess("briefe", quelle, kontexte)
                m["docxtpl"] = messen(
                    "docxtpl (je Brief rendern und speichern)",
                    lambda i: py(DOCXTPL, kontexte, arbeit / f"docxtpl-{i}"),
                    n,
                )
        if "unterbezirk" in nur:
            # the demo's folder: a Unterbezirk of 1,500 members with a year of contacts, as a user has it
            print("Unterbezirk (Demo-Ordner, 1.500 Mitglieder) …", file=sys.stderr)
            ub = arbeit / "unterbezirk"
            ausfuehren([*cli, "demo", ub])
            ub_cmd = [*cli, "--ordner", ub, "--stichtag", DEMO_STICHTAG]
            laeufe = [
                Lauf("ub_segmente", "mitglieder segmente (Unterbezirk)", [*ub_cmd, "segmente"]),
                Lauf("ub_uebersicht", "mitglieder uebersicht (Unterbezirk)", [*ub_cmd, "uebersicht"]),
                Lauf(
                    "ub_anrufliste",
                    "mitglieder anrufliste (Unterbezirk)",
                    lambda i: [*ub_cmd, "anrufliste", "--ausgabe", arbeit / f"ub-anrufliste-{i}.xlsx"],
                ),
                Lauf(
                    "ub_bericht",
                    "mitglieder bericht (Unterbezirk)",
                    lambda i: [*ub_cmd, "bericht", "--ausgabe", arbeit / f"ub-bericht-{i}"],
                ),
                Lauf("typer", 'python -c "import typer, rich"', py("import typer, rich")),
            ]
            m.update(abwechselnd(laeufe, max(n, 5)))
        if "hilfe" in nur:
            print("Hilfe …", file=sys.stderr)
            # --help as users meet it from the second call on (read from the cache folder, see cli/hilfecache.py),
            # and the first call after an installation or update, which draws it (an empty cache folder each run)
            laeufe = [
                Lauf("hilfe", "mitglieder --help", [*cli, "--help"]),
                Lauf(
                    "hilfe_erst",
                    "mitglieder --help (erster Aufruf)",
                    lambda i: ["env", f"XDG_CACHE_HOME={tempfile.mkdtemp(dir=arbeit)}", *cli, "--help"],
                ),
                Lauf("typer", 'python -c "import typer, rich"', py("import typer, rich")),
            ]
            hilfe = abwechselnd(laeufe, max(n, 5))
            if "typer" in m:  # measured with the Unterbezirk too: one baseline from both
                hilfe["typer"].zeiten += m["typer"].zeiten
                hilfe["typer"].speicher_kb += m["typer"].speicher_kb
            m.update(hilfe)
        if zuletzt:
            print("Langsame Vergleichswerte …", file=sys.stderr)
            m.update(abwechselnd(zuletzt, n))
    finally:
        shutil.rmtree(arbeit, ignore_errors=True)

    groesse = f"{args.groesse:,}".replace(",", ".")

    def ratio_ziel(
        was: str, a: str, b: str, grenze: float, vergleich_text: str, schneller: bool = False
    ) -> None:
        if a not in m:
            return
        if b not in m:
            ziele.append(Ziel(was, "", vergleich_text, sek(m[a].median), None))
            return
        if schneller:
            faktor = m[b].median / m[a].median
            ziele.append(
                Ziel(
                    was,
                    f"≥ {grenze:g}× schneller".replace(".", ","),
                    f"{vergleich_text}: {sek(m[b].median)}",
                    f"{sek(m[a].median)} ({faktor:.1f}× schneller)".replace(".", ","),
                    faktor >= grenze,
                )
            )
        else:
            faktor = m[a].median / m[b].median
            ziele.append(
                Ziel(
                    was,
                    f"≤ {grenze:g}×".replace(".", ","),
                    f"{vergleich_text}: {sek(m[b].median)}",
                    f"{sek(m[a].median)} ({verhaeltnis(m[a].median, m[b].median)})",
                    faktor <= grenze,
                )
            )

    if "import" in nur:  # else the first import is only the reference of segmente and bericht
        ratio_ziel(
            f"import xlsx ({groesse} Zeilen), leerer Ordner", "import", "polars", 2.5, "polars + calamine"
        )
    if "import" in nur and not args.ohne_openpyxl:
        ratio_ziel(
            f"import xlsx ({groesse} Zeilen)", "import", "pandas_xlsx", 6, "pandas + openpyxl", schneller=True
        )
    ratio_ziel(f"import csv ({groesse} Zeilen)", "csv", "pandas_csv", 5, "pandas read_csv (pyarrow)")
    ratio_ziel(
        f"nächster Export ({groesse}, 1 % geändert)", "reimport", "import", 1.3, "unser erster Import (xlsx)"
    )
    imports = [m[k] for k in ("import", "csv", "reimport") if k in m and k in nur]
    if imports:
        spitze = max(x.spitze_mb for x in imports)
        ziele.append(
            Ziel(
                "Spitzenspeicher der Importe",
                "≤ 1,5 GB",
                "",
                f"{spitze:,.0f} MB".replace(",", "."),
                spitze <= 1536,
            )
        )
    ratio_ziel(
        f"segmente, alle Anzahlen ({groesse} Mitglieder)",
        "segmente",
        "import",
        0.25,
        "unser erster Import (xlsx)",
    )
    if "segmente" in m:
        spitze = m["segmente"].spitze_mb
        ziele.append(
            Ziel(
                "Spitzenspeicher von segmente",
                "≤ 400 MB",
                "",
                f"{spitze:,.0f} MB".replace(",", "."),
                spitze <= 400,
            )
        )
    ratio_ziel(f"bericht ({groesse} Mitglieder, {args.ortsvereine} OV)", "bericht", "import", 1.5,
               "unser erster Import (xlsx)")  # fmt: skip
    ratio_ziel("Unterbezirk (1.500): bericht", "ub_bericht", "ub_segmente", 3, "segmente im selben Ordner")
    for schluessel, befehl in (
        ("ub_segmente", "segmente"),
        ("ub_anrufliste", "anrufliste"),
        ("ub_uebersicht", "uebersicht"),
    ):
        ratio_ziel(
            f"Unterbezirk (1.500): {befehl}", schluessel, "typer", 2.5, 'python -c "import typer, rich"'
        )
    ratio_ziel(f"anrufliste ({ANRUFLISTE} Mitglieder)", "anrufliste", "xlsxwriter", 2, "xlsxwriter allein")
    ratio_ziel(f"briefe ({BRIEFE} Dateien)", "briefe", "docxtpl", 10, "docxtpl je Brief", schneller=True)
    if "ein_dokument" in m:
        rate = BRIEFE / m["ein_dokument"].median
        ziele.append(
            Ziel(
                f"briefe --ein-dokument ({BRIEFE})",
                "≥ 1.500 Briefe/s",
                "",
                f"{sek(m['ein_dokument'].median)} ({rate:,.0f} Briefe/s)".replace(",", ".").replace(
                    ".", ",", 1
                ),
                rate >= 1500,
            )
        )
    if "bericht" in m:
        ziele.append(
            Ziel(
                f"bericht ({groesse} Mitglieder, {args.ortsvereine} OV, mit Kontakten)",
                "≤ 15 s, alle drei Dateien",
                "",
                sek(m["bericht"].median),
                m["bericht"].median <= 15,
            )
        )
    ratio_ziel("mitglieder --help", "hilfe", "typer", 1.5, 'python -c "import typer, rich"')
    if "hilfe_erst" in m and "typer" in m:  # no target: what the first call after an update costs
        ziele.append(
            Ziel(
                "mitglieder --help, erster Aufruf (zeichnet die Hilfe)",
                "",
                f'python -c "import typer, rich": {sek(m["typer"].median)}',
                f"{sek(m['hilfe_erst'].median)} ({verhaeltnis(m['hilfe_erst'].median, m['typer'].median)})",
                None,
            )
        )

    print()
    print(f"Messungen (Median aus {n} Läufen; Speicher: Maximum)")
    for messung in m.values():
        speicher = f"{messung.spitze_mb:,.0f}".replace(",", ".")
        print(f"  {messung.name:<48} {sek(messung.median):>9}  {speicher:>6} MB")
    print()
    print(tabelle(ziele))
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "groesse": args.groesse,
                    "wiederholungen": n,
                    "messungen": {
                        k: {"zeiten": v.zeiten, "speicher_kb": v.speicher_kb} for k, v in m.items()
                    },
                    "ziele": [z.__dict__ for z in ziele],
                    "rechner": f"{platform.platform()}, {os.cpu_count()} Kerne, Python {platform.python_version()}",
                },
                ensure_ascii=False,
                indent=2,
            ),
            encoding="utf-8",
        )
    return 0 if all(z.erfuellt is not False for z in ziele) else 1


def tabelle(ziele: Sequence[Ziel]) -> str:
    """The targets as a Markdown table (also what README shows)."""
    zeilen = ["| was | Ziel | Vergleich (selber Lauf) | gemessen | |", "|---|---|---|---|---|"]
    for z in ziele:
        zeichen = "–" if z.erfuellt is None else ("✓" if z.erfuellt else "✗")
        zeilen.append(f"| {z.was} | {z.ziel} | {z.vergleich} | {z.wert} | {zeichen} |")
    return "\n".join(zeilen)


if __name__ == "__main__":
    sys.exit(main())
