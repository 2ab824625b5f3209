"""The commands of ``mitglieder``: a thin skin over the library.

Each command resolves its options, makes one core call, and renders the result. Errors are not caught here:
:mod:`mitgliederarbeit.cli.lauf` turns every :class:`MitgliederError` into one red German line and its exit code.

Adding a command (or an option):

1. A function decorated with ``@app.command("name")``, its first parameter ``ctx: typer.Context``; the first
   line of its docstring is the summary in ``mitglieder --help``, and the docstring ends with a
   ``Beispiel: mitglieder name …`` line.
2. Each option as ``Annotated[TYPE, typer.Option("--name", metavar="NAME", help="…")]`` with a German help text.
   TYPE is ``str``, ``Path``, ``int`` or ``bool`` (a switch, no metavar), ``| None`` or ``list[…]`` of them
   (:mod:`mitgliederarbeit.cli.werte` converts them). Metavars are German words in capitals: DATEI, ORDNER,
   DATUM, NAME, ANZAHL. A number with ``min``/``max`` names its range in the help: „eine ganze Zahl von 1 bis 200“.
3. The body: ``env = _umgebung(ctx)``, ``env.arbeitsordner()`` (``anlegen=True`` only for a command that may
   create the folder), one call into the core, then ``--json``
   (``console.json_ausgeben(result.as_json())``) or a function of :mod:`mitgliederarbeit.cli.darstellung`.
   Wrong usage is ``raise BedienFehler("…")`` (exit 2); the core's errors pass through.
4. A section ``### `mitglieder name``` in README.md naming every option (tests/test_docs.py checks it).

Unlike the other modules, this one has no ``from __future__ import annotations``: typer reads the annotations of
every command twice while it builds the commands, and as strings each would be compiled and evaluated each time
(7 ms of ``mitglieder --help``).
"""

import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from mitgliederarbeit import __version__
from mitgliederarbeit.cli import console
from mitgliederarbeit.cli.argumente import befehl_stelle
from mitgliederarbeit.cli.lauf import ausfuehren
from mitgliederarbeit.errors import BedienFehler, Exit, OrdnerFehler

app = typer.Typer(
    name="mitglieder",
    help="Werkzeugkasten für Mitgliederbeauftragte: Exporte importieren, Neumitglieder finden, "
    "Anruflisten, Willkommensbriefe und der Vergleich der Ortsvereine.\n\n"
    "Zum Ausprobieren mit erfundenen Mitgliedern: mitglieder demo\n"
    "Beispiel: mitglieder import export.xlsx",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,
    rich_markup_mode="rich",
)


@dataclass
class Umgebung:
    """What every command gets from the global options."""

    ordner: Path | None
    stichtag: date
    json: bool
    debug: bool
    ordner_quelle: str = "--ordner"  # or MITGLIEDER_ORDNER, for the message about a folder that is not there

    def arbeitsordner(self, *, anlegen: bool = False) -> Any:
        """The working folder; one named with --ordner must exist unless the command creates it (``anlegen``)."""
        from mitgliederarbeit.ordner import Arbeitsordner

        if not anlegen and self.ordner is not None and not self.ordner.exists():
            raise OrdnerFehler(
                f"Den Arbeitsordner {self.ordner} ({self.ordner_quelle}) gibt es nicht.",
                hint="Bitte den Pfad prüfen. Einen neuen Arbeitsordner legt der erste Import an: "
                f"mitglieder --ordner {self.ordner} import EXPORT.xlsx",
            )
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
    als_json: Annotated[
        bool, typer.Option("--json", help="Ergebnis als JSON ausgeben (für Skripte).")
    ] = False,
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
    quelle = ctx.get_parameter_source("ordner")
    ctx.obj = Umgebung(
        ordner=ordner,
        stichtag=tag,
        json=als_json,
        debug=debug,
        ordner_quelle="MITGLIEDER_ORDNER"
        if quelle is not None and quelle.name == "ENVIRONMENT"
        else "--ordner",
    )


@app.command("init")
def init(ctx: typer.Context) -> None:
    """Legt eine kommentierte mitglieder.toml im Arbeitsordner an.

    Beispiel: mitglieder --ordner ~/mitglieder init
    """
    env = _umgebung(ctx)
    path = env.arbeitsordner(anlegen=True).init()
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
            metavar="DATEI...",
            help="Exporte, Anruf-, Teilnahme-, Kontaktlisten, Ortsvereins-Pakete (xlsx, xls, ods, csv).",
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
    ortsverein: Annotated[
        str | None,
        typer.Option(
            "--ortsverein",
            metavar="NAME",
            help="Der Export enthält nur diesen Ortsverein (für Exporte ohne Ortsverein-Spalte).",
        ),
    ] = None,
    art: Annotated[
        str | None,
        typer.Option(
            "--art",
            metavar="ART",
            help="mitglieder, teilnahme, anrufliste oder kontakte (sonst automatisch erkannt).",
        ),
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
    passwort: Annotated[
        str | None,
        typer.Option(
            "--passwort",
            envvar="MITGLIEDER_PASSWORT",
            metavar="KENNWORT",
            help="Kennwort eines geschützten Ortsvereins-Pakets (sonst wird es abgefragt).",
        ),
    ] = None,
) -> None:
    """Importiert Mitgliederexporte, ausgefüllte Anruflisten, Teilnahmelisten, Kontaktlisten und Ortsvereins-Pakete.

    Beispiel: mitglieder import "Mitgliederliste Stand 31.03.2026.xlsx"
    """
    from mitgliederarbeit.cli import importlauf
    from mitgliederarbeit.einlesen.spalten import parse_spalte_option

    env = _umgebung(ctx)
    ordner = env.arbeitsordner(anlegen=True)  # the first import creates the folder and its store
    neu = not (ordner.pfad / "mitglieder.sqlite").exists()
    kennwort = importlauf.kennwort_fuer(dateien, passwort, json=env.json)
    results, gewaehlt = importlauf.importieren_mit_rueckfrage(
        ordner,
        dateien,
        json=env.json,
        spalten_option=parse_spalte_option(spalte or []),
        art=art,
        blatt=blatt,
        stand=importlauf.datum_option(stand, "--stand"),
        nachtraeglich=nachtraeglich,
        vollstaendig=vollstaendig,
        trockenlauf=trockenlauf,
        fehler_ordner=ausgabe,
        veranstaltung=veranstaltung,
        datum=importlauf.datum_option(datum, "--datum"),
        passwort=kennwort,
        ortsverein=ortsverein,
    )
    importlauf.ausgeben(
        ordner,
        results,
        json=env.json,
        neu=neu and not trockenlauf,
        gewaehlt=gewaehlt,
        mehrere=len(dateien) > 1,
    )
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


# the password of written files (segmente --export, anrufliste, ortsvereine): one pair of options, checked by
# neues_kennwort
PasswortOption = Annotated[
    str | None,
    typer.Option(
        "--passwort",
        envvar="MITGLIEDER_PASSWORT",
        metavar="KENNWORT",
        help="Jede Datei mit diesem Kennwort schützen (mindestens 8 Zeichen).",
    ),
]
PasswortAbfragenOption = Annotated[
    bool,
    typer.Option("--passwort-abfragen", help="Das Kennwort verdeckt abfragen (statt --passwort)."),
]


@app.command("segmente")
def segmente(
    ctx: typer.Context,
    segment: Annotated[
        str | None,
        typer.Argument(
            metavar="SEGMENT",
            help="Eines von: alle, neu, neu-ohne-brief, neu-ohne-kontakt, faellig, inaktiv, ohne-kontakt, "
            "ausgetreten, frueh-ausgetreten, jubilaeum, ohne-pate, will-austreten, rueckruf – oder ein eigenes "
            "aus mitglieder.toml. "
            "Ohne: alle Segmente mit ihrer Anzahl und was sie bedeuten.",
        ),
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
    passwort: PasswortOption = None,
    passwort_abfragen: PasswortAbfragenOption = False,
) -> None:
    """Segmente: wer neu, fällig, inaktiv, ausgetreten … ist – gezählt, als Tabelle oder als Datei.

    Beispiele:
    mitglieder segmente
    mitglieder segmente neu-ohne-kontakt --ortsverein Altstadt
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
    if passwort_abfragen and export is None:
        raise BedienFehler("--passwort-abfragen gilt nur zusammen mit --export.")
    # the terminal shows only the first members: only they are read in full (--export and --json want all)
    erste = None if export is not None or env.json else darstellung.SEGMENT_ZEILEN
    ergebnis = core.auswaehlen(ordner, segment, ortsverein=ortsverein, erste=erste)
    pfad = None
    if export is not None:
        ziel = None if export == Path(_OHNE_NAMEN) else export
        passwort = neues_kennwort(passwort, passwort_abfragen, "Kennwort für den Export")
        pfad = core.exportieren(ergebnis, ziel, ueberschreiben=ueberschreiben, passwort=passwort)
    if env.json:
        data = darstellung.mit_warnungen(ergebnis.as_json())
        console.json_ausgeben({**data, **({"datei": str(pfad)} if pfad else {})})
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
            "--anrufer",
            metavar="NAMEN",
            help='Namen der Anrufenden, mit Komma, z. B. "Anna,Ben"; je Person ein Blatt.',
        ),
    ] = None,
    anrufer_anzahl: Annotated[
        int | None,
        typer.Option(
            "--anrufer-anzahl",
            metavar="ANZAHL",
            min=1,
            max=200,
            help="So viele Blätter, ohne Namen: eine ganze Zahl von 1 bis 200.",
        ),
    ] = None,
    ortsverein: Annotated[
        list[str] | None,
        typer.Option("--ortsverein", metavar="NAME", help="Nur diese(r) Ortsverein(e); mehrfach möglich."),
    ] = None,
    ausgabe: Annotated[
        Path | None,
        typer.Option(
            "--ausgabe",
            metavar="DATEI.xlsx",
            help="Zieldatei (Standard: ausgabe/anrufliste-STICHTAG.xlsx); mit --je-anrufer ein Ordner.",
        ),
    ] = None,
    je_anrufer: Annotated[
        bool,
        typer.Option(
            "--je-anrufer", help="Eine Datei je Anrufer*in, nur mit deren Personen (zum Weitergeben)."
        ),
    ] = False,
    passwort: PasswortOption = None,
    passwort_abfragen: PasswortAbfragenOption = False,
) -> None:
    """Anrufliste für eine Telefonaktion: ein Blatt je Anrufer*in, mit Leitfaden und Datenschutzhinweis.

    Beispiel: mitglieder anrufliste --anrufer "Anna,Ben,Cem"
    """
    from mitgliederarbeit.ausgaben import anrufliste as core
    from mitgliederarbeit.cli import darstellung

    env = _umgebung(ctx)
    passwort = neues_kennwort(passwort, passwort_abfragen, "Kennwort für die Anrufliste")
    with console.fortschritt(not env.json, "Anrufliste wird geschrieben …") as update:
        result = core.anrufliste(
            env.arbeitsordner(),
            segment=segment,
            anrufer=anrufer,
            anrufer_anzahl=anrufer_anzahl,
            ortsverein=ortsverein,
            ausgabe=ausgabe,
            je_anrufer_datei=je_anrufer,
            fortschritt=update,
            passwort=passwort,
        )
    if env.json:
        console.json_ausgeben(darstellung.mit_warnungen(result.as_json()))
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
    erneut: Annotated[
        bool,
        typer.Option("--erneut", help="Auch an Mitglieder, die schon einen Willkommensbrief bekommen haben."),
    ] = False,
    haushalte: Annotated[
        bool,
        typer.Option("--haushalte", help="Ein Brief je Anschrift, an alle Mitglieder, die dort wohnen."),
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
            erneut=erneut,
            haushalte=haushalte,
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
            "--von", metavar="DATUM", help="Beginn des Zeitraums (Standard: die 12 Monate bis --bis)."
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
    """Löscht die persönlichen Daten von Mitgliedern, die länger als die Aufbewahrungsfrist ausgetreten sind.

    Die Frist steht in mitglieder.toml (aufbewahrung_monate, Standard 24 Monate).
    Übrig bleiben anonyme Zeilen (Ortsverein, Eintritts- und Austrittsmonat, Geschlecht, Geburtsjahr).
    Beispiel: mitglieder bereinigen --trockenlauf
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
        if not console.frage("Jetzt endgültig löschen?"):
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

    Zwei Importe, Pakete der Ortsvereine, Anrufliste, Briefe, Rücklauf, Teilnahmeliste, Bericht.
    Feste Stichtage (01.06. bis 30.09.2026): jedes Mal dasselbe Ergebnis; --ordner und --stichtag gelten hier nicht.
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


# --- kontakt, ortsvereine (the Ortsvereine in the loop) ---


@app.command("kontakt")
def kontakt(
    ctx: typer.Context,
    nummer: Annotated[str, typer.Argument(metavar="NR", help="Mitgliedsnummer.")],
    art: Annotated[
        str,
        typer.Argument(
            metavar="ART",
            help="parteibuch, gespraech, pate, email, brief, anruf_erreicht, teilnahme – oder ein Wort wie "
            "„Parteibuch übergeben“, „Hausbesuch“, „Patin“.",
        ),
    ],
    datum: Annotated[
        str | None,
        typer.Option("--datum", metavar="DATUM", help="Tag des Kontakts (Standard: der Stichtag)."),
    ] = None,
    notiz: Annotated[str | None, typer.Option("--notiz", metavar="TEXT", help="Eine kurze Notiz.")] = None,
    pate: Annotated[
        str | None, typer.Option("--pate", metavar="NAME", help="Name der Pat*in (nur mit ART pate).")
    ] = None,
) -> None:
    """Erfasst einen Kontakt mit einem Mitglied: Parteibuch übergeben, Gespräch, Besuch, Pat*in, E-Mail …

    Beispiele:
    mitglieder kontakt 12345 parteibuch
    mitglieder kontakt 12345 "Hausbesuch" --datum 03.05.2026
    mitglieder kontakt 12345 pate --pate "Jana Beispiel"
    """
    from mitgliederarbeit.cli import darstellung
    from mitgliederarbeit.datum import parse_option
    from mitgliederarbeit.einlesen import kontakte as core

    env = _umgebung(ctx)
    result = core.kontakt(
        env.arbeitsordner(),
        nummer,
        art,
        datum=parse_option(datum, "--datum") if datum else None,
        notiz=notiz,
        pate=pate,
    )
    if env.json:
        console.json_ausgeben(result.as_json())
    else:
        darstellung.kontakt(result)


@app.command("ortsvereine")
def ortsvereine(
    ctx: typer.Context,
    ortsverein: Annotated[
        list[str] | None,
        typer.Option("--ortsverein", metavar="NAME", help="Nur diese(r) Ortsverein(e); mehrfach möglich."),
    ] = None,
    ausgabe: Annotated[
        Path | None,
        typer.Option(
            "--ausgabe", metavar="ORDNER", help="Zielordner (Standard: ausgabe/ortsvereine-STICHTAG)."
        ),
    ] = None,
    seit: Annotated[
        str | None,
        typer.Option(
            "--seit", metavar="DATUM", help="Änderungen seit diesem Tag (Standard: seit dem letzten Paket)."
        ),
    ] = None,
    passwort: PasswortOption = None,
    passwort_abfragen: PasswortAbfragenOption = False,
) -> None:
    """Ein Paket je Ortsverein für den Vorstand: neue Mitglieder mit den Schritten des Standards, Änderungen.

    Ausgefüllt zurück mit: mitglieder import PAKET.xlsx
    Beispiele:
    mitglieder ortsvereine
    mitglieder ortsvereine --ortsverein Altstadt --passwort-abfragen
    """
    from mitgliederarbeit.ausgaben import ortsvereine as core
    from mitgliederarbeit.cli import darstellung
    from mitgliederarbeit.datum import parse_option

    env = _umgebung(ctx)
    ordner = env.arbeitsordner()
    passwort = neues_kennwort(passwort, passwort_abfragen, "Kennwort für die Pakete")
    with console.fortschritt(not env.json, "Pakete werden geschrieben …") as update:
        result = core.pakete(
            ordner,
            ortsvereine=ortsverein,
            ausgabe=ausgabe,
            seit=parse_option(seit, "--seit") if seit else None,
            passwort=passwort,
            fortschritt=update,
        )
    if env.json:
        console.json_ausgeben(result.as_json())
    else:
        darstellung.ortsvereine(result, ordner.pfad)


KENNWORT_MINDESTENS = 8  # a file sent by e-mail can be tried offline: one or two characters are found at once


def neues_kennwort(passwort: str | None, abfragen: bool, frage: str) -> str | None:
    """The password to protect written files with: ``--passwort`` (or MITGLIEDER_PASSWORT), or typed twice with
    ``--passwort-abfragen``; at least :data:`KENNWORT_MINDESTENS` characters either way."""
    if abfragen:
        if passwort is not None:
            raise BedienFehler("Bitte entweder --passwort oder --passwort-abfragen angeben, nicht beides.")
        return console.kennwort(frage, bestaetigen=True, mindestens=KENNWORT_MINDESTENS)
    if passwort is not None and passwort.strip() and len(passwort) < KENNWORT_MINDESTENS:
        raise BedienFehler(
            f"Das Kennwort ist zu kurz ({len(passwort)} Zeichen): bitte mindestens {KENNWORT_MINDESTENS}.",
            hint="Ein kurzes Kennwort ist bei einer verschickten Datei schnell erraten.",
        )
    return passwort


_OHNE_NAMEN = ""  # the value ``segmente --export`` gets when no file name follows


def _export_ohne_namen(args: list[str]) -> list[str]:
    """``segmente NAME --export`` may come without a file name (typer has no options with an optional value):
    then the empty value stands in, and the command picks a dated name."""
    befehl = befehl_stelle(args)
    if befehl is None or args[befehl] != "segmente":
        return args
    result = list(args)
    for i in range(len(result) - 1, befehl, -1):
        if result[i] in ("--export", "--ausgabe") and (i + 1 == len(result) or result[i + 1].startswith("-")):
            result.insert(i + 1, _OHNE_NAMEN)
    return result


def main(argv: list[str] | None = None) -> None:
    """Run ``mitglieder`` with ``argv`` (default: the process's arguments); ends with the exit code."""
    ausfuehren(app, _export_ohne_namen(sys.argv[1:] if argv is None else argv))
