"""The ``mitglieder`` command: a thin skin over the library.

Each command resolves its options, makes one core call, and renders the result. Errors from the core
(:class:`MitgliederError`) become one red German line on stderr and an exit code; tracebacks only with ``--debug``.

Unlike the other modules, this one has no ``from __future__ import annotations``: typer reads the annotations of
every command twice while it builds the commands, and as strings each would be compiled and evaluated each time
(7 ms of ``mitglieder --help``).
"""

import os
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from mitgliederarbeit import __version__
from mitgliederarbeit.cli import console
from mitgliederarbeit.cli.start import nur_hilfe
from mitgliederarbeit.errors import BedienFehler, Exit, MitgliederError

app = typer.Typer(
    name="mitglieder",
    help="Werkzeugkasten für Mitgliederbeauftragte: Exporte importieren, Neumitglieder finden, "
    "Anruflisten, Willkommensbriefe und der Vergleich der Ortsvereine.\n\n"
    "Beispiel: mitglieder import export.xlsx",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)


@dataclass
class Umgebung:
    """What every command gets from the global options."""

    ordner: Path | None
    stichtag: date
    json: bool
    debug: bool

    def arbeitsordner(self) -> Any:
        from mitgliederarbeit.ordner import Arbeitsordner

        ordner = Arbeitsordner.bestimmen(self.ordner, self.stichtag)
        _ = ordner.config  # a broken mitglieder.toml is reported before anything else happens
        return ordner


def _umgebung(ctx: typer.Context) -> Umgebung:
    return ctx.ensure_object(Umgebung) if isinstance(ctx.obj, Umgebung) else ctx.find_root().obj


def _version(value: bool) -> None:
    if value:
        console.out.print(f"mitgliederarbeit {__version__}")
        raise typer.Exit()


@app.callback()
def hauptoptionen(
    ctx: typer.Context,
    ordner: Annotated[
        Path | None,
        typer.Option(
            "--ordner",
            envvar="MITGLIEDER_ORDNER",
            metavar="ORDNER",
            help="Arbeitsordner (sonst der nächste Ordner mit mitglieder.toml oder der aktuelle).",
        ),
    ] = None,
    stichtag: Annotated[
        str | None,
        typer.Option(
            "--stichtag",
            envvar="MITGLIEDER_STICHTAG",
            metavar="DATUM",
            help="„Heute“ für alle Regeln, z. B. 31.03.2025 (Standard: heute).",
        ),
    ] = None,
    als_json: Annotated[bool, typer.Option("--json", help="Ergebnis als JSON auf stdout.")] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Bei Fehlern den vollständigen Traceback zeigen.")
    ] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Version anzeigen.")
    ] = False,
) -> None:
    """Werkzeugkasten für Mitgliederbeauftragte."""
    if stichtag:  # not for `mitglieder BEFEHL --help`, which passes through here
        from mitgliederarbeit.datum import parse_option

        tag = parse_option(stichtag, "--stichtag")
    else:
        tag = date.today()
    ctx.obj = Umgebung(ordner=ordner, stichtag=tag, json=als_json, debug=debug)


@app.command("init")
def init(ctx: typer.Context) -> None:
    """Legt eine kommentierte mitglieder.toml im Arbeitsordner an.

    Beispiel: mitglieder --ordner ~/mitglieder init
    """
    env = _umgebung(ctx)
    path = env.arbeitsordner().init()
    if env.json:
        console.json_ausgeben({"datei": str(path)})
    else:
        console.meldung(
            f"Einstellungen angelegt: {path}\nBitte die Datei öffnen und Organisation und Anrede eintragen."
        )


@app.command("import")
def import_(
    ctx: typer.Context,
    dateien: Annotated[
        list[Path],
        typer.Argument(
            metavar="DATEI...", help="Export(e), Anruflisten oder Teilnahmelisten (xlsx, xls, ods, csv)."
        ),
    ],
    stand: Annotated[
        str | None,
        typer.Option(
            "--stand",
            metavar="DATUM",
            help="Stand des Exports (sonst aus der Titelzeile „Stand: …“, sonst der Stichtag).",
        ),
    ] = None,
    blatt: Annotated[
        str | None, typer.Option("--blatt", metavar="NAME", help="Tabellenblatt, das gelesen wird.")
    ] = None,
    spalte: Annotated[
        list[str] | None,
        typer.Option(
            "--spalte",
            metavar="ZIEL=QUELLE",
            help="Spalte zuordnen, z. B. --spalte ortsverein=Gliederung (mehrfach möglich).",
        ),
    ] = None,
    art: Annotated[
        str | None,
        typer.Option("--art", metavar="ART", help="mitglieder, teilnahme oder anrufliste (sonst erkannt)."),
    ] = None,
    veranstaltung: Annotated[
        str | None,
        typer.Option("--veranstaltung", metavar="NAME", help="Name der Veranstaltung (Teilnahmelisten)."),
    ] = None,
    datum: Annotated[
        str | None,
        typer.Option("--datum", metavar="DATUM", help="Datum der Veranstaltung (Teilnahmelisten)."),
    ] = None,
    nachtraeglich: Annotated[
        bool, typer.Option("--nachtraeglich", help="Einen älteren Export nachträglich einspielen.")
    ] = False,
    vollstaendig: Annotated[
        bool,
        typer.Option(
            "--vollstaendig",
            help="Der Export ist vollständig: auch wenn mehr als ein Viertel der Mitglieder fehlt, "
            "gelten sie als ausgetreten.",
        ),
    ] = False,
    trockenlauf: Annotated[
        bool, typer.Option("--trockenlauf", help="Nur zeigen, was passieren würde.")
    ] = False,
    ausgabe: Annotated[
        Path | None,
        typer.Option("--ausgabe", metavar="ORDNER", help="Ordner für die Fehlerdatei (Standard: ausgabe/)."),
    ] = None,
) -> None:
    """Importiert Mitgliederexporte, ausgefüllte Anruflisten und Teilnahmelisten.

    Beispiel: mitglieder import "Mitgliederliste Stand 31.03.2026.xlsx"
    """
    from mitgliederarbeit.datum import parse_option
    from mitgliederarbeit.einlesen import importieren
    from mitgliederarbeit.einlesen.spalten import parse_spalte_option

    env = _umgebung(ctx)
    ordner = env.arbeitsordner()
    neu = not (ordner.pfad / "mitglieder.sqlite").exists()
    with console.fortschritt(not env.json, "Lese Export …") as update:
        results = importieren.importieren(
            ordner,
            dateien,
            art=art,
            blatt=blatt,
            stand=parse_option(stand, "--stand") if stand else None,
            spalten_option=parse_spalte_option(spalte or []),
            nachtraeglich=nachtraeglich,
            vollstaendig=vollstaendig,
            trockenlauf=trockenlauf,
            fehler_ordner=ausgabe,
            veranstaltung=veranstaltung,
            datum=parse_option(datum, "--datum") if datum else None,
            fortschritt=lambda name, done, total: update(done, total),
        )
    if env.json:
        console.json_ausgeben(
            results[0].as_json() if len(results) == 1 else {"importe": [r.as_json() for r in results]}
        )
    else:
        from mitgliederarbeit.cli import darstellung

        if neu and not trockenlauf and (ordner.pfad / "mitglieder.sqlite").exists():
            console.meldung(f"Neuer Datenbestand angelegt: {ordner.pfad / 'mitglieder.sqlite'}")
        for result in results:
            darstellung.import_zusammenfassung(result)
    if any(r.abgelehnt for r in results):
        raise typer.Exit(Exit.TEILWEISE)


@app.command("uebersicht")
def uebersicht(ctx: typer.Context) -> None:
    """Mitglieder je Ortsverein, Ein- und Austritte der letzten 12 Monate, letzter Import.

    Beispiel: mitglieder uebersicht
    """
    from mitgliederarbeit.auswertung import uebersicht as core
    from mitgliederarbeit.cli import darstellung

    env = _umgebung(ctx)
    result = core.uebersicht(env.arbeitsordner())
    if env.json:
        console.json_ausgeben(result.as_json())
    else:
        darstellung.uebersicht(result)


# --- segmente, anrufliste (commands of the phone campaign) ---


@app.command("segmente")
def segmente(
    ctx: typer.Context,
    segment: Annotated[
        str | None,
        typer.Argument(metavar="SEGMENT", help="Name des Segments (ohne: alle Segmente mit ihrer Anzahl)."),
    ] = None,
    ortsverein: Annotated[
        list[str] | None,
        typer.Option(
            "--ortsverein",
            metavar="NAME",
            help="Nur diese(r) Ortsverein(e); mehrfach möglich. Zählt je Ortsverein.",
        ),
    ] = None,
    je_ortsverein: Annotated[
        bool, typer.Option("--je-ortsverein", help="Die Anzahlen für jeden Ortsverein einzeln zeigen.")
    ] = False,
    export: Annotated[
        Path | None,
        typer.Option(
            "--export",
            "--ausgabe",
            metavar="DATEI",
            help="Mitglieder des Segments als .xlsx oder .csv; ohne DATEI ein neuer Name unter ausgabe/.",
        ),
    ] = None,
    ueberschreiben: Annotated[
        bool, typer.Option("--ueberschreiben", help="Eine vorhandene Exportdatei ersetzen.")
    ] = False,
) -> None:
    """Segmente: wer neu, fällig, inaktiv, ausgetreten … ist – gezählt, als Tabelle oder als Datei.

    Beispiele: mitglieder segmente · mitglieder segmente neu-ohne-kontakt --ortsverein Altstadt ·
    mitglieder segmente alle --ortsverein Altstadt --export altstadt.xlsx
    """
    from mitgliederarbeit.auswertung import segmente as core
    from mitgliederarbeit.cli import darstellung

    env = _umgebung(ctx)
    ordner = env.arbeitsordner()
    if segment is None:
        if export is not None:
            raise BedienFehler(
                "--export braucht den Namen eines Segments, z. B. mitglieder segmente neu --export neu.xlsx"
            )
        zaehlung = core.zaehlen(ordner, je_ortsverein=je_ortsverein, ortsverein=ortsverein)
        if env.json:
            console.json_ausgeben(dict(zaehlung))
        else:
            darstellung.segmente_uebersicht(zaehlung, ordner)
        return
    ergebnis = core.auswaehlen(ordner, segment, ortsverein=ortsverein)
    pfad = None
    if export is not None:
        ziel = None if export == Path(_OHNE_NAMEN) else export
        pfad = core.exportieren(ergebnis, ziel, ueberschreiben=ueberschreiben)
    if env.json:
        console.json_ausgeben({**ergebnis.as_json(), **({"datei": str(pfad)} if pfad else {})})
    else:
        darstellung.segment(ergebnis, pfad)


@app.command("anrufliste")
def anrufliste(
    ctx: typer.Context,
    segment: Annotated[
        str | None,
        typer.Option(
            "--segment", metavar="NAME", help="Segment (Standard aus mitglieder.toml: neu-ohne-kontakt)."
        ),
    ] = None,
    anrufer: Annotated[
        list[str] | None,
        typer.Option(
            "--anrufer", metavar='"ANNA,BEN"', help="Namen der Anrufenden, mit Komma; je Person ein Blatt."
        ),
    ] = None,
    anrufer_anzahl: Annotated[
        int | None,
        typer.Option("--anrufer-anzahl", metavar="N", min=1, max=200, help="So viele Blätter, ohne Namen."),
    ] = None,
    ortsverein: Annotated[
        list[str] | None,
        typer.Option("--ortsverein", metavar="NAME", help="Nur diese(r) Ortsverein(e); mehrfach möglich."),
    ] = None,
    ausgabe: Annotated[
        Path | None,
        typer.Option(
            "--ausgabe", metavar="DATEI.xlsx", help="Zieldatei (Standard: ausgabe/anrufliste-STICHTAG.xlsx)."
        ),
    ] = None,
) -> None:
    """Anrufliste für eine Telefonaktion: ein Blatt je Anrufer*in, mit Leitfaden und Datenschutzhinweis.

    Beispiel: mitglieder anrufliste --anrufer "Anna,Ben,Cem"
    """
    from mitgliederarbeit.ausgaben import anrufliste as core
    from mitgliederarbeit.cli import darstellung

    env = _umgebung(ctx)
    with console.fortschritt(not env.json, "Anrufliste wird geschrieben …") as update:
        result = core.anrufliste(
            env.arbeitsordner(),
            segment=segment,
            anrufer=anrufer,
            anrufer_anzahl=anrufer_anzahl,
            ortsverein=ortsverein,
            ausgabe=ausgabe,
            fortschritt=update,
        )
    if env.json:
        console.json_ausgeben(result.as_json())
    else:
        darstellung.anrufliste(result)


# --- briefe ---


@app.command("briefe")
def briefe(
    ctx: typer.Context,
    segment: Annotated[
        str | None,
        typer.Option(
            "--segment", metavar="NAME", help="Segment (Standard aus mitglieder.toml: neu-ohne-brief)."
        ),
    ] = None,
    ortsverein: Annotated[
        list[str] | None,
        typer.Option("--ortsverein", metavar="NAME", help="Nur diese(r) Ortsverein(e); mehrfach möglich."),
    ] = None,
    vorlage: Annotated[
        Path | None,
        typer.Option("--vorlage", metavar="DATEI.docx", help="Eigene Word-Vorlage mit {{ platzhaltern }}."),
    ] = None,
    ausgabe: Annotated[
        Path | None,
        typer.Option("--ausgabe", metavar="ORDNER", help="Zielordner (Standard: ausgabe/briefe-STICHTAG)."),
    ] = None,
    ein_dokument: Annotated[
        bool,
        typer.Option("--ein-dokument", help="Alle Briefe in einer Datei, ein Brief je Seite (zum Drucken)."),
    ] = False,
    pdf: Annotated[bool, typer.Option("--pdf", help="Zusätzlich als PDF (braucht LibreOffice).")] = False,
    trockenlauf: Annotated[
        bool, typer.Option("--trockenlauf", help="Nur zeigen, wer einen Brief bekäme; nichts schreiben.")
    ] = False,
) -> None:
    """Willkommensbriefe nach DIN 5008 (Fensterumschlag DL) als Word-Dateien.

    Jeder Brief wird als Kontakt „brief“ vermerkt, sodass „neu-ohne-brief“ schrumpft.
    Beispiel: mitglieder briefe --ein-dokument
    """
    from mitgliederarbeit.ausgaben import briefe as core
    from mitgliederarbeit.cli import darstellung

    env = _umgebung(ctx)
    with console.fortschritt(not env.json, "Briefe werden geschrieben …") as update:
        lauf = core.briefe(
            env.arbeitsordner(),
            segment=segment,
            ortsverein=ortsverein,
            vorlage=vorlage,
            ausgabe=ausgabe,
            ein_dokument=ein_dokument,
            pdf=pdf,
            trockenlauf=trockenlauf,
            fortschritt=update,
        )
    if env.json:
        console.json_ausgeben(lauf.as_json())
    else:
        darstellung.briefe(lauf)


# --- bericht ---


@app.command("bericht")
def bericht(
    ctx: typer.Context,
    von: Annotated[
        str | None,
        typer.Option(
            "--von", metavar="DATUM", help="Beginn des Zeitraums (Standard: Ende − 12 Monate + 1 Tag)."
        ),
    ] = None,
    bis: Annotated[
        str | None,
        typer.Option("--bis", metavar="DATUM", help="Ende des Zeitraums (Standard: der Stichtag)."),
    ] = None,
    ebene: Annotated[
        str,
        typer.Option("--ebene", metavar="EBENE", help="ortsverein oder unterbezirk (für den Landesverband)."),
    ] = "ortsverein",
    praktiken: Annotated[
        Path | None,
        typer.Option("--praktiken", metavar="DATEI.xlsx", help="Ausgefüllte Umfrage zu den Praktiken."),
    ] = None,
    praktiken_vorlage: Annotated[
        Path | None,
        typer.Option(
            "--praktiken-vorlage",
            metavar="DATEI.xlsx",
            help="Nur die leere Umfrage zu den Praktiken schreiben.",
        ),
    ] = None,
    ausgabe: Annotated[
        Path | None,
        typer.Option(
            "--ausgabe",
            metavar="ORDNER",
            help="Ordner für die drei Dateien (Standard: ausgabe/bericht-STICHTAG).",
        ),
    ] = None,
) -> None:
    """Vergleich der Ortsvereine: Einarbeitungsstandard, Bindung, Praktiken – als HTML, Word und Excel.

    Beispiel: mitglieder bericht --praktiken umfrage.xlsx
    """
    from mitgliederarbeit.ausgaben import bericht as core
    from mitgliederarbeit.cli import darstellung
    from mitgliederarbeit.datum import parse_option

    env = _umgebung(ctx)
    ordner = env.arbeitsordner()
    if praktiken_vorlage is not None:
        if praktiken is not None:
            raise BedienFehler("--praktiken und --praktiken-vorlage bitte nicht zusammen angeben.")
        vorlage = core.praktiken_vorlage(ordner, praktiken_vorlage)
        if env.json:
            console.json_ausgeben(vorlage.as_json())
        else:
            darstellung.praktiken_vorlage(vorlage)
        return
    with console.fortschritt(not env.json, "Bericht wird erstellt …") as update:
        result = core.bericht(
            ordner,
            von=parse_option(von, "--von") if von else None,
            bis=parse_option(bis, "--bis") if bis else None,
            ebene=ebene.strip().lower(),
            praktiken_datei=praktiken,
            ausgabe=ausgabe,
            fortschritt=update,
        )
    if env.json:
        console.json_ausgeben(result.as_json())
    else:
        darstellung.bericht(result)


# --- datenschutz, demo ---


@app.command("bereinigen")
def bereinigen(
    ctx: typer.Context,
    ja: Annotated[bool, typer.Option("--ja", help="Ohne Rückfrage löschen.")] = False,
    trockenlauf: Annotated[
        bool, typer.Option("--trockenlauf", help="Nur zeigen, was gelöscht würde.")
    ] = False,
) -> None:
    """Löscht die persönlichen Daten von Mitgliedern, die vor mehr als aufbewahrung_monate ausgetreten sind.

    Übrig bleiben anonyme Zeilen (Ortsverein, Eintritts- und Austrittsmonat, Geschlecht, Geburtsjahr), damit
    Berichte stimmen. Beispiel: mitglieder bereinigen --trockenlauf
    """
    from mitgliederarbeit.bestand import datenschutz
    from mitgliederarbeit.cli import darstellung

    env = _umgebung(ctx)
    ordner = env.arbeitsordner()
    plan = datenschutz.bereinigen(ordner, ausfuehren=False)
    if not env.json:
        darstellung.bereinigung(plan)
    if trockenlauf or (plan.mitglieder == 0 and plan.notizen == 0 and plan.reste == 0):
        if env.json:
            console.json_ausgeben(plan.as_json())
        return
    if not ja:
        if env.json or not sys.stdin.isatty():
            raise BedienFehler("Bitte mit --ja bestätigen, dass gelöscht werden soll (oder --trockenlauf).")
        if not typer.confirm("Jetzt endgültig löschen?", default=False):
            console.meldung("Nichts gelöscht.")
            return
    result = datenschutz.bereinigen(ordner, ausfuehren=True)
    if env.json:
        console.json_ausgeben(result.as_json())
    else:
        darstellung.bereinigung(result)


@app.command("protokoll")
def protokoll(ctx: typer.Context) -> None:
    """Listet jede Ausgabe mit persönlichen Daten: wann, welcher Befehl, welches Segment, wie viele, wohin.

    Beispiel: mitglieder protokoll
    """
    from mitgliederarbeit.bestand import datenschutz
    from mitgliederarbeit.cli import darstellung

    env = _umgebung(ctx)
    ordner = env.arbeitsordner()
    entries = datenschutz.protokoll(ordner)
    if env.json:
        console.json_ausgeben([e.as_json() for e in entries])
    else:
        darstellung.protokoll(entries, ordner.pfad)


@app.command("sicherung")
def sicherung(
    ctx: typer.Context,
    wiederherstellen: Annotated[
        str | None, typer.Option("--wiederherstellen", metavar="NAME", help="Diese Sicherung zurückspielen.")
    ] = None,
) -> None:
    """Listet die Sicherungen des Datenbestands (die letzten fünf) oder spielt eine zurück.

    Vor jeder Änderung wird der Datenbestand in sicherung/ gesichert.
    Beispiel: mitglieder sicherung --wiederherstellen mitglieder-2026-09-01_10-00-00-000000.sqlite
    """
    from mitgliederarbeit.bestand import sicherung as core
    from mitgliederarbeit.cli import darstellung

    env = _umgebung(ctx)
    ordner = env.arbeitsordner()
    if wiederherstellen:
        from mitgliederarbeit.bestand.wiederherstellung import wiederherstellen as zurueckspielen

        chosen = zurueckspielen(ordner.pfad, wiederherstellen)
        if env.json:
            console.json_ausgeben({"wiederhergestellt": chosen.as_json()})
        else:
            console.meldung(
                f"Sicherung {chosen.name} wiederhergestellt. Der vorherige Stand wurde zuvor gesichert."
            )
        return
    backups = core.auflisten(ordner.pfad)
    if env.json:
        console.json_ausgeben([b.as_json() for b in backups])
    else:
        darstellung.sicherungen(backups)


@app.command("demo")
def demo(
    ctx: typer.Context,
    ordner: Annotated[
        Path | None,
        typer.Argument(
            metavar="ORDNER", help="Ordner für die Demo (Standard: mitglieder-demo im aktuellen Ordner)."
        ),
    ] = None,
    ueberschreiben: Annotated[
        bool,
        typer.Option("--ueberschreiben", help="Eine frühere Demo in diesem Ordner löschen und neu anlegen."),
    ] = False,
) -> None:
    """Probelauf mit erfundenen Mitgliedern: ein Arbeitsordner mit dem ganzen Ablauf bis zum Bericht.

    Zwei Importe, Anrufliste, Briefe, Rücklauf der Anrufe, Teilnahmeliste, Bericht – mit festen Stichtagen
    (01.06. bis 30.09.2026), daher jedes Mal dasselbe Ergebnis. --ordner und --stichtag gelten hier nicht.
    Beispiel: mitglieder demo
    """
    from mitgliederarbeit import demo as core
    from mitgliederarbeit.cli import darstellung

    env = _umgebung(ctx)
    with console.fortschritt(not env.json, "Demo läuft …") as update:
        result = core.demo(
            ordner or core.STANDARD_ORDNER,
            ueberschreiben=ueberschreiben,
            fortschritt=lambda done, total, titel: update(done, total, titel),
        )
    if env.json:
        console.json_ausgeben(result.as_json())
    else:
        darstellung.demo(result)


_CLICK_DE = {
    "No such option": "Unbekannte Option",
    "No such command": "Unbekannter Befehl",
    "Missing argument": "Es fehlt die Angabe",
    "Missing option": "Es fehlt die Option",
    "Invalid value for": "Ungültiger Wert für",
    "Got unexpected extra argument": "Unerwartete zusätzliche Angabe",
    "Got unexpected extra arguments": "Unerwartete zusätzliche Angaben",
    "requires an argument": "braucht einen Wert",
    "Did you mean": "Meinten Sie",
    "is not a valid integer": "ist keine ganze Zahl",
    "is not one of": "ist nicht eines von",
}


def _hilfe_auf_deutsch() -> None:
    """Typer's own words in ``--help`` in German: panel titles, "Usage:", --help and the completion options.

    These are module constants and two small wraps of typer internals; if a typer release renames them, the help
    simply stays English (tests/test_docs.py then fails and says where).
    """
    from typer._click import core as click_core
    from typer._click import decorators as click_decorators
    from typer._click import formatting as click_formatting

    woerter = {
        "ARGUMENTS_PANEL_TITLE": "Angaben",
        "OPTIONS_PANEL_TITLE": "Optionen",
        "COMMANDS_PANEL_TITLE": "Befehle",
        "ERRORS_PANEL_TITLE": "Fehler",
        "DEFAULT_STRING": "[Standard: {}]",
        "ENVVAR_STRING": "[Umgebungsvariable: {}]",
        "REQUIRED_LONG_STRING": "[erforderlich]",
        "DEPRECATED_STRING": "(veraltet) ",
        "ABORTED_TEXT": "Abgebrochen.",
    }
    rich_utils = _rich_utils_laden()
    for name, text in woerter.items():
        if hasattr(rich_utils, name):
            setattr(rich_utils, name, text)

    class Formatter(click_formatting.HelpFormatter):
        def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
            args = args.replace("[OPTIONS]", "[OPTIONEN]").replace("COMMAND [ARGS]...", "BEFEHL [ANGABEN]...")
            super().write_usage(prog, args, "Aufruf: " if prefix is None else prefix)

    click_core.Context.formatter_class = Formatter
    usage = rich_utils.highlighter  # the style typer gives "Usage: "
    usage.highlights = [  # type: ignore[misc]
        h.replace("(?P<usage>Usage: )", "(?P<usage>Aufruf: )") for h in usage.highlights
    ]

    hilfe_option = click_decorators.help_option

    def deutsche_hilfe_option(param_decls: list[str]) -> Any:
        def anwenden(command: Any) -> Any:
            command = hilfe_option(param_decls)(command)
            command.params[-1].help = "Diese Hilfe zeigen."
            return command

        return anwenden

    click_decorators.help_option = deutsche_hilfe_option
    vervollstaendigung = typer.main.get_install_completion_arguments

    def deutsche_vervollstaendigung() -> Any:
        installieren: Any
        zeigen: Any
        installieren, zeigen = vervollstaendigung()
        installieren.help = (
            "Tab-Vervollständigung für die aktuelle Shell einrichten (danach Terminal neu öffnen)."
        )
        zeigen.help = "Das Skript für die Tab-Vervollständigung zeigen, um es selbst einzurichten."
        installieren.callback = _vervollstaendigung_einrichten
        return installieren, zeigen

    typer.main.get_install_completion_arguments = deutsche_vervollstaendigung


def _vervollstaendigung_einrichten(ctx: Any, param: Any, value: Any) -> Any:
    """``--install-completion`` as typer does it, with the confirmation in German."""
    if not value or ctx.resilient_parsing:
        return value
    from typer._completion_shared import _get_shell_name, install

    shell = value if isinstance(value, str) else _get_shell_name()
    if shell not in ("bash", "zsh", "fish", "powershell", "pwsh"):
        raise BedienFehler(
            f"Tab-Vervollständigung: die Shell „{shell or 'unbekannt'}“ wird nicht unterstützt.",
            hint="Unterstützt: bash, zsh, fish, PowerShell. Das Skript zeigt: mitglieder --show-completion",
        )
    shell, pfad = install(shell=shell)
    console.meldung(
        f"Tab-Vervollständigung für {shell} eingerichtet: {pfad}\n"
        "Sie wirkt, sobald Sie das Terminal neu öffnen."
    )
    raise typer.Exit()


def _rich_utils_laden() -> Any:
    """typer's help renderer, without loading rich.markdown and rich.traceback (40 ms of ``mitglieder --help``).

    ``typer.rich_utils`` imports both at the top (and with them markdown-it and pygments), but needs them only for
    help written in markdown and for pretty tracebacks; we have neither (``rich_markup_mode="rich"``,
    ``pretty_exceptions_enable=False``). While it is imported, the two modules are stand-ins whose one class loads
    the real module when it is first used, so nothing behaves differently if it ever is.
    """
    import importlib

    platzhalter = {
        modul: _platzhalter(modul, klasse)
        for modul, klasse in (("rich.markdown", "Markdown"), ("rich.traceback", "Traceback"))
        if modul not in sys.modules
    }
    sys.modules.update(platzhalter)
    try:
        return importlib.import_module("typer.rich_utils")
    except ImportError:  # a typer that wants more from these modules: import them for real below
        pass
    finally:
        for modul, stellvertreter in platzhalter.items():
            if sys.modules.get(modul) is stellvertreter:
                del sys.modules[modul]
    return importlib.import_module("typer.rich_utils")


def _platzhalter(modul: str, klasse: str) -> Any:
    """A module holding only the class ``klasse``, which imports the real one when it is called or asked."""
    import importlib
    import types

    def echt() -> Any:
        return getattr(importlib.import_module(modul), klasse)

    class Laden(type):
        def __call__(cls, *args: Any, **kwargs: Any) -> Any:
            return echt()(*args, **kwargs)

        def __getattr__(cls, name: str) -> Any:
            return getattr(echt(), name)

    stellvertreter = types.ModuleType(modul)
    setattr(stellvertreter, klasse, Laden(klasse, (), {"__module__": modul}))
    return stellvertreter


_deutsch_eingerichtet = False


def hilfe_vorbereiten() -> None:
    """Install the German help frame once (it loads typer's rich help, so only when help is wanted)."""
    global _deutsch_eingerichtet
    if _deutsch_eingerichtet:
        return
    _deutsch_eingerichtet = True
    sys.modules.setdefault("rich._emoji_codes", _emojis_bei_bedarf())
    try:
        _hilfe_auf_deutsch()
    except (AttributeError, ImportError):  # another typer: the help keeps typer's English words
        pass


class _Emojis(dict[str, str]):
    """rich's table of emoji names, filled from the real module when a name is first looked up."""

    def __missing__(self, name: str) -> str:
        if not self:
            import importlib.machinery
            import importlib.util

            import rich

            # PathFinder looks at the files only, past the stand-in in sys.modules
            spec = importlib.machinery.PathFinder.find_spec("rich._emoji_codes", list(rich.__path__))
            if spec is None or spec.loader is None:
                raise KeyError(name)
            echt = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(echt)
            self.update(echt.EMOJI)
            if name in self:
                return self[name]
        raise KeyError(name)


def _emojis_bei_bedarf() -> Any:
    """A stand-in for ``rich._emoji_codes`` (3,600 names, 2 ms of ``mitglieder --help``) that loads the real table
    at the first name rich looks up.

    rich looks up every ``:name:`` in a help text (ours have none) and every ``Emoji("name")``; both get the real
    character, or the ``KeyError`` rich expects for an unknown name.
    """
    import types

    modul = types.ModuleType("rich._emoji_codes")
    modul.EMOJI = _Emojis()  # type: ignore[attr-defined]
    return modul


def _deutsch(message: str) -> str:
    for english, german in _CLICK_DE.items():
        message = message.replace(english, german)
    return message


def _hilfe_befehl(args: list[str]) -> str:
    """``mitglieder import --help`` for a mistake in the import command, else ``mitglieder --help``."""
    commands = {c.name for c in app.registered_commands if c.name}
    for arg in args:
        if arg in commands:
            return f"mitglieder {arg} --help"
    return "mitglieder --help"


def _beschaedigt(exc: BaseException) -> bool:
    """SQLite found the store's file damaged while a command read it ("database disk image is malformed")."""
    sqlite3 = sys.modules.get("sqlite3")
    return sqlite3 is not None and type(exc) is sqlite3.DatabaseError


_OHNE_NAMEN = ""  # the value ``segmente --export`` gets when no file name follows


def _export_ohne_namen(args: list[str]) -> list[str]:
    """``segmente NAME --export`` may come without a file name (typer has no options with an optional value):
    then the empty value stands in, and the command picks a dated name."""
    if "segmente" not in args:
        return args
    result = list(args)
    for i in range(len(result) - 1, args.index("segmente"), -1):
        if result[i] in ("--export", "--ausgabe") and (i + 1 == len(result) or result[i + 1].startswith("-")):
            result.insert(i + 1, _OHNE_NAMEN)
    return result


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the app and turn every error into a German line and an exit code."""
    args = _export_ohne_namen(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    os.umask(0o077)  # every file we create holds, or may hold, personal data: owner only
    if nur_hilfe(args):
        hilfe_vorbereiten()
    try:
        code = app(args=args, prog_name="mitglieder", standalone_mode=False)
        if isinstance(code, int) and code:
            sys.exit(code)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        console.fehler("Abgebrochen.")
        sys.exit(130)
    except typer.TyperException as exc:  # usage errors of the command line parser
        console.fehler(_deutsch(exc.format_message()), f"Hilfe: {_hilfe_befehl(args)}")
        sys.exit(Exit.BEDIENUNG if exc.exit_code == 2 else exc.exit_code)
    except MitgliederError as exc:
        if debug:
            raise
        console.fehler(exc.message, exc.hint)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        console.fehler("Abgebrochen.")
        sys.exit(130)
    except Exception as exc:
        if not debug and _beschaedigt(exc):
            from mitgliederarbeit.bestand.sicherung import beschaedigt

            fehler = beschaedigt(Path("mitglieder.sqlite"))
            console.fehler(fehler.message, fehler.hint)
            sys.exit(fehler.exit_code)
        if debug:
            raise
        console.fehler(
            f"Unerwarteter Fehler ({type(exc).__name__}). Es wurde nichts halb geschrieben.",
            "Bitte mit --debug erneut aufrufen und die Ausgabe (ohne persönliche Daten) melden.",
        )
        sys.exit(Exit.UNBRAUCHBAR)


__all__ = ["app", "main", "BedienFehler"]
