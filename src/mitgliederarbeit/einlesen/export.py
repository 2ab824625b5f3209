"""A member export read and normalized: its header, its Stand, its accepted rows and its problems.

The sheet is one frame of text cells (:mod:`lesen`); :func:`spaltenweise.normalize_frame` works out every column
at once, and the rows it is not sure about (a missing value, a bad date, an odd phone number, a repeated
member number) go through :func:`normalisieren.normalize_row`, which knows every rule and message. The accepted
rows stay a frame in the store's form, ready to be staged.
"""

from __future__ import annotations

import hashlib
import json
import re
from bisect import bisect_left
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, NamedTuple

from mitgliederarbeit import datum as dt
from mitgliederarbeit import felder
from mitgliederarbeit.einlesen import erkennung, lesen, spalten, zusatzspalten
from mitgliederarbeit.einlesen.normalisieren import Problem, normalize_row, text
from mitgliederarbeit.errors import BedienFehler, EingabeFehler
from mitgliederarbeit.felder import DATUMSFELDER, FLAGS
from mitgliederarbeit.laufzeit import nebenher
from mitgliederarbeit.nummern import nummer_bereich, nummer_key

_STAND = re.compile(
    r"stand\s*(?:vom|am|per|:)?\s*:?\s*(\d{1,2}\.\s?\d{1,2}\.\s?\d{2,4}|\d{4}-\d{2}-\d{2})", re.I
)
_ISO_TAG = re.compile(r"\d{4}-\d{2}-\d{2}\Z")


class _Fehlt:
    """The record has no such key (e.g. no ``hausnummer`` when the street was empty and had to be split)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "FEHLT"


FEHLT: Any = _Fehlt()


class Bereich(NamedTuple):
    """The numbers a rejected row's shortened member number (``9.3E+06``) may stand for, ``von`` to ``bis``."""

    von: int
    bis: int
    zeile: int  # the spreadsheet's row
    nummer: str  # as written


class Datensaetze:
    """The accepted rows of an export: a polars frame in the store's form (dates as ISO text, flags 0/1), with
    ``_zeile`` (the spreadsheet row), ``warnfelder`` (JSON) and ``_fehlt_<field>`` (the record lacks the key).

    Iterating gives each row as the dict :func:`normalize_row` returns (with ``_zeile`` and ``_warnfelder``).
    """

    def __init__(self, tabelle: Any, warnfelder: dict[int, list[str]]) -> None:
        self.tabelle = tabelle
        self.warnfelder = warnfelder  # position -> fields with a warning (rows without one are not listed)
        self._spalten: dict[str, list[Any]] | None = None

    @property
    def spalten(self) -> dict[str, list[Any]]:
        """field -> one Python value per row (``FEHLT`` where the record lacks the key)."""
        if self._spalten is None:
            self._spalten = _spalten_aus_tabelle(self.tabelle)
        return self._spalten

    def __len__(self) -> int:
        return int(self.tabelle.height)

    def datensatz(self, i: int) -> dict[str, Any]:
        zeile = int(self.tabelle["_zeile"][i])
        record: dict[str, Any] = {"_zeile": zeile, "_warnfelder": list(self.warnfelder.get(i, ()))}
        for feld, werte in self.spalten.items():
            if werte[i] is not FEHLT:
                record[feld] = werte[i]
        return record

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return (self.datensatz(i) for i in range(len(self)))

    def auswahl(self, positionen: list[int]) -> Datensaetze:
        """The rows at ``positionen``, in that order."""
        stelle = {k: i for i, k in enumerate(positionen)}
        warn = {stelle[k]: w for k, w in self.warnfelder.items() if k in stelle}
        return Datensaetze(self.tabelle[positionen], warn)


def _spalten_aus_tabelle(tabelle: Any) -> dict[str, list[Any]]:
    """The Python columns of a frame in the store's form."""
    result: dict[str, list[Any]] = {}
    for feld in tabelle.columns:
        if feld.startswith("_") or feld == "warnfelder":
            continue
        werte = tabelle[feld].to_list()
        if feld in DATUMSFELDER:
            cache = {v: _vom_db_datum(v) for v in set(werte)}
            werte = list(map(cache.__getitem__, werte))
        elif feld in FLAGS:
            werte = [bool(v) for v in werte]
        if f"_fehlt_{feld}" in tabelle.columns:
            werte = [FEHLT if f else v for v, f in zip(werte, tabelle[f"_fehlt_{feld}"].to_list())]
        result[feld] = werte
    return result


def _vom_db_datum(value: str | None) -> Any:
    """ISO text back to a date; a birth date kept as written (it had a warning) stays text."""
    if value is None or not _ISO_TAG.match(value):
        return value
    try:
        return date.fromisoformat(value)
    except ValueError:  # an impossible birth date written the ISO way (1980-11-31), kept with a warning
        return value


@dataclass
class Export:
    """A member export, read and normalized, not yet compared with the store."""

    blatt: lesen.Blatt
    kopf: spalten.Kopf
    stand: date
    stand_quelle: str
    datensaetze: Datensaetze
    probleme: list[Problem]
    gelesen: int
    abgelehnte_nummern: set[str]
    ortsvereine: set[str]
    sha256: str
    nachtrag: bool = False  # a corrected error file: adds and updates rows, infers no Austritte
    # the ranges a rejected, shortened number (9.3E+06) may stand for: no member in one is taken as gone;
    # with the row and the number as written, to say why members kept are not Austritte
    abgelehnte_bereiche: list[Bereich] = field(default_factory=list)
    originale: dict[int, list[object]] = field(
        default_factory=dict
    )  # row number -> cells, for the error file


def lese_export(
    blatt: lesen.Blatt,
    *,
    config: dict[str, Any],
    stichtag: date,
    stand: date | None = None,
    spalten_option: dict[str, str] | None = None,
    fortschritt: Callable[[int, int], None] | None = None,
    ortsverein: str | None = None,
    bekannt: erkennung.Bekannt | None = None,
) -> Export:
    """Find the header, map the columns, normalize every row. Raises :class:`EingabeFehler` if unusable.

    ``ortsverein``: the Ortsverein of every row (``--ortsverein``), in place of a column of the file.
    ``bekannt``: which member numbers the store holds (decides between two number columns).
    """
    kopf = _kopf(blatt, config, spalten_option, ortsverein, bekannt)
    stand, quelle = _stand(blatt, kopf, stand, stichtag)
    pruefsumme = _pruefsumme_nebenher(blatt.datei)
    tabelle = blatt.tabelle if blatt.tabelle is not None else lesen.tabelle_aus_zeilen(blatt.rows)
    normalisiert = _normalisieren(
        tabelle, list(kopf.zuordnung.items()), kopf.zeile, stand, fortschritt, kopf, blatt.datei.name
    )
    blatt.hinweise.extend(normalisiert.datumshinweise)
    if kopf.gleicher_schluessel:
        normalisiert.probleme = _gleicher_schluessel(normalisiert.probleme, kopf)
    if normalisiert.gelesen == 0:
        raise EingabeFehler(
            f"{blatt.datei.name}: unter der Kopfzeile (Zeile {kopf.zeile + 1}) stehen keine Daten.",
            hint="Bitte prüfen, ob der richtige Export oder das richtige Blatt (--blatt) gewählt ist.",
        )
    return Export(
        blatt=blatt,
        kopf=kopf,
        stand=stand,
        stand_quelle=quelle,
        datensaetze=normalisiert.datensaetze,
        probleme=normalisiert.probleme,
        gelesen=normalisiert.gelesen,
        abgelehnte_nummern=normalisiert.abgelehnte_nummern,
        ortsvereine=normalisiert.ortsvereine,
        sha256=pruefsumme(),
        nachtrag=blatt.meta.get("art") == "importfehler",
        abgelehnte_bereiche=normalisiert.abgelehnte_bereiche,
        originale=_originale(blatt, tabelle, {p.zeile for p in normalisiert.probleme}),
    )


def _kopf(
    blatt: lesen.Blatt,
    config: dict[str, Any],
    spalten_option: dict[str, str] | None,
    ortsverein: str | None,
    bekannt: erkennung.Bekannt | None = None,
) -> spalten.Kopf:
    """The header row and the field of each column, with the columns added where the file lacks them (the
    Ortsverein, a key for members without a number); the German error when a required column is missing."""
    name = blatt.datei.name
    kopf = spalten.find_header(
        blatt.rows, extra=config["import"]["spalten"], explizit=spalten_option, bekannt=bekannt
    )
    if kopf is None:
        raise spalten.kein_kopf(blatt.rows, name)
    if spalten_option:
        known = {spalten.normalize_header(c) for c in kopf.spalten}
        for target, source in spalten_option.items():
            if source and spalten.normalize_header(source) not in known:
                raise BedienFehler(f"--spalte {target}={source}: {name} hat keine Spalte „{source}“.")
    zusatzspalten.ergaenzen(blatt, kopf, ortsverein, config["import"].get("ortsverein"))
    spalten.check_required(kopf, name)
    return kopf


# How far a Stand may lie after the Stichtag: an export dated to the end of the month it was made in.
STAND_SPIELRAUM = timedelta(days=31)


def _stand(blatt: lesen.Blatt, kopf: spalten.Kopf, stand: date | None, stichtag: date) -> tuple[date, str]:
    """The export's Stand and where it came from: the option, an error file, the title, the file name, or the
    Stichtag. A Stand more than a month after the Stichtag is a typo (31.03.2099): taken, it would make every
    later export of its Ortsvereine "older" and refused; so it is refused itself."""
    if blatt.meta.get("art") == "importfehler" and blatt.meta.get("stand"):
        return dt.aus_metadaten(blatt.meta, "stand", blatt.datei) or stichtag, "fehlerdatei"
    if stand is not None:
        return _nicht_in_zukunft(stand, "option", blatt.datei.name, stichtag), "option"
    if (aus_titel := stand_aus_titel(kopf.titel)) is not None:
        return _nicht_in_zukunft(aus_titel, "titel", blatt.datei.name, stichtag), "titel"
    if (falsch := _unmoeglicher_stand(kopf.titel)) is not None:
        # a typo there must not silently make the Stichtag the Stand
        raise EingabeFehler(
            f"{blatt.datei.name}: die Titelzeile nennt den Stand „{falsch}“ – das ist kein gültiges Datum. "
            "Es wurde nichts geändert.",
            hint="Den richtigen Stand angeben: mitglieder import --stand TT.MM.JJJJ DATEI",
        )
    # "Mitgliederliste Stand 31.05.2026.xlsx"
    if (aus_namen := stand_aus_titel([blatt.datei.stem.replace("_", " ")])) is not None:
        return _nicht_in_zukunft(aus_namen, "dateiname", blatt.datei.name, stichtag), "dateiname"
    return stichtag, "stichtag"


def _nicht_in_zukunft(stand: date, quelle: str, name: str, stichtag: date) -> date:
    if stand <= stichtag + STAND_SPIELRAUM:
        return stand
    wo = {"option": "--stand", "titel": "Titelzeile „Stand: …“", "dateiname": "Dateiname"}[quelle]
    meldung = (
        f"{name}: der Stand {dt.de(stand)} ({wo}) liegt nach dem Stichtag {dt.de(stichtag)} – "
        "ein Export kann nicht aus der Zukunft stammen. Es wurde nichts geändert."
    )
    if quelle == "option":
        raise BedienFehler(meldung, hint="Bitte das Datum bei --stand prüfen.")
    raise EingabeFehler(
        meldung,
        hint="Ist das ein Tippfehler? Den richtigen Stand angeben: mitglieder import --stand TT.MM.JJJJ DATEI. "
        "Stimmt der Stand, den Stichtag setzen: mitglieder --stichtag TT.MM.JJJJ import DATEI",
    )


def stand_aus_titel(titel: Sequence[str]) -> date | None:
    for line in titel:
        if m := _STAND.search(line):
            try:
                return dt.parse_datum(m[1].replace(" ", ""))
            except dt.UngueltigesDatum:
                return None
    return None


def _unmoeglicher_stand(titel: Sequence[str]) -> str | None:
    """The date of a "Stand:" line that is no date (31.02.2026), as written; ``None`` if there is none."""
    for line in titel:
        if m := _STAND.search(line):
            try:
                dt.parse_datum(m[1].replace(" ", ""))
            except dt.UngueltigesDatum:
                return m[1]
            return None
    return None


@dataclass
class _Normalisiert:
    datensaetze: Datensaetze
    probleme: list[Problem]
    abgelehnte_nummern: set[str]
    ortsvereine: set[str]
    gelesen: int
    abgelehnte_bereiche: list[Bereich]
    datumshinweise: list[str] = field(default_factory=list)


def _normalisieren(
    tabelle: Any,
    mapping: list[tuple[str, int]],
    kopfzeile: int,
    stand: date,
    fortschritt: Callable[[int, int], None] | None,
    kopf: spalten.Kopf | None = None,
    datei: str = "",
) -> _Normalisiert:
    """The rows below the header: every column at once, the doubtful rows through :func:`normalize_row`."""
    from mitgliederarbeit.einlesen import spaltenweise

    zellen, zeilen, total = _zellen(tabelle, mapping, kopfzeile)
    if fortschritt:
        fortschritt(0, total)
    anzahl = len(zeilen)
    monat_zuerst, hinweise = _datumsformen(spaltenweise.datumsreihenfolgen(zellen), kopf, datei)
    werte, check, fehlt = spaltenweise.normalize_frame(zellen, anzahl, stand, monat_zuerst)
    if fortschritt:
        fortschritt(total // 2, total)
    nrs = werte["nr"]
    special = (check | (nrs.is_duplicated() & nrs.is_not_null())).arg_true().to_list()
    sonder = _sonderzeilen(_sonderfaelle(zellen, zeilen, werte, check, special), stand, monat_zuerst)
    frame = werte.with_columns(zeilen, _keine_warnungen(anzahl))
    for feld, maske in fehlt.items():
        frame = frame.with_columns(maske.alias(f"_fehlt_{feld}"))
    ortsvereine = _ortsvereine(werte, anzahl, special) | sonder.ortsvereine
    frame, warnfelder = _ersetzen(frame, sonder, list(werte.columns), list(fehlt))
    if fortschritt:
        fortschritt(total, total)
    return _Normalisiert(
        Datensaetze(frame, warnfelder),
        sonder.probleme,
        sonder.abgelehnte_nummern,
        ortsvereine,
        anzahl,
        sonder.abgelehnte_bereiche,
        hinweise,
    )


def _gleicher_schluessel(probleme: list[Problem], kopf: spalten.Kopf) -> list[Problem]:
    """Rows of an export without numbers whose name and birth date give one key: both are rejected (two people,
    or one listed twice — neither may be stored over the other), and each says which row it shares the key with
    (the terminal line names no person)."""
    quelle = kopf.quelle("mitgliedsnummer") or "Nachname, Vorname, Geburtsdatum"
    was = quelle.removeprefix("Schlüssel aus ")
    result = []
    for p in probleme:
        andere = kopf.gleicher_schluessel.get(p.zeile)
        if andere and p.feld == "mitgliedsnummer" and p.schwer:
            zeilen = " und ".join(f"Zeile {z}" for z in andere)
            p = Problem(
                p.zeile,
                p.feld,
                f"gleicher Schlüssel aus {was} wie {zeilen} (zwei Personen oder eine doppelt?); "
                + ("beide nicht übernommen" if len(andere) == 1 else "keine davon übernommen"),
            )
        result.append(p)
    return result


# Words of an English header of a date column ("Join Date", "Member Since", "Date of Birth"): there "/" dates may
# well be American, and where no value tells, the summary says that they were read the German way.
_ENGLISCH = {
    "date",
    "join",
    "joined",
    "since",
    "birth",
    "birthday",
    "born",
    "start",
    "end",
    "left",
    "exit",
    "dob",
}


def _datumsformen(
    formen: dict[str, dt.Reihenfolge], kopf: spalten.Kopf | None, datei: str
) -> tuple[frozenset[str], list[str]]:
    """The date fields read month first, and what the summary says about them; a column that writes both
    orders stops the file (which one a "03/04/2015" meant cannot be known)."""
    monat_zuerst: set[str] = set()
    hinweise: list[str] = []

    def name_von(feld: str) -> str:
        return (kopf.quelle(feld) if kopf else None) or felder.LABELS[feld]

    # one system writes all its dates alike: a column whose values cannot tell (an exit date in few rows, all
    # "03/04/2025") follows one that shows the month first, unless another shows the day first
    beleg = next((f for f, form in formen.items() if form.monat_zuerst), None)
    if beleg is not None and any(form.nur_tag_zuerst for form in formen.values()):
        beleg = None
    for feld, form in formen.items():
        name = name_von(feld)
        if form.gemischt:
            raise EingabeFehler(
                f"{datei}: die Spalte „{name}“ schreibt Datumsangaben in beiden Reihenfolgen: "
                f"{', '.join(f'„{w}“' for w in form.nur_tag_zuerst)} geht nur als Tag/Monat/Jahr, "
                f"{', '.join(f'„{w}“' for w in form.nur_monat_zuerst)} nur als Monat/Tag/Jahr. Welche bei "
                "einem Wert wie „03/04/2015“ gemeint ist, lässt sich nicht sagen. Es wurde nichts geändert.",
                hint="Bitte den Export mit einem einheitlichen Datumsformat erzeugen, am besten TT.MM.JJJJ oder "
                "JJJJ-MM-TT.",
            )
        if form.monat_zuerst:
            monat_zuerst.add(feld)
            hinweise.append(
                f"„{name}“: Datumsangaben als Monat/Tag/Jahr gelesen (z. B. „{form.nur_monat_zuerst[0]}“)."
            )
        elif form.offen and beleg is not None:
            monat_zuerst.add(feld)
            hinweise.append(
                f"„{name}“: Datumsangaben als Monat/Tag/Jahr gelesen wie in „{name_von(beleg)}“ (z. B. "
                f"„{formen[beleg].nur_monat_zuerst[0]}“)."
            )
        elif form.offen and not form.nur_tag_zuerst and set(_TRENNER_WORT.split(name.lower())) & _ENGLISCH:
            hinweise.append(
                f"„{name}“: ob in Datumsangaben wie „03/04/2015“ der Tag oder der Monat vorn steht, lässt sich an "
                "keinem Wert erkennen; gelesen als Tag/Monat/Jahr (3. April). Stammt der Export aus einem "
                "amerikanischen System, bitte mit dem Format JJJJ-MM-TT exportieren."
            )
    if kopf is not None and kopf.erkennung is not None:
        kopf.erkennung.monat_zuerst = set(monat_zuerst)
    return frozenset(monat_zuerst), hinweise


_TRENNER_WORT = re.compile(r"[^a-z]+")


def _zellen(tabelle: Any, mapping: list[tuple[str, int]], kopfzeile: int) -> tuple[dict[str, Any], Any, int]:
    """The cells below the header by field, without rows that hold no value at all; their spreadsheet rows;
    the number of rows below the header."""
    import polars as pl

    daten = tabelle.slice(kopfzeile + 1).with_row_index("_pos")
    total = daten.height
    zellen_spalten = [c for c in daten.columns if c != "_pos"]
    if not zellen_spalten:
        daten = daten.clear()
    else:  # (most exports have no empty row: then nothing is copied)
        belegt = daten.select(pl.any_horizontal(pl.col(zellen_spalten).is_not_null())).to_series()
        if not belegt.all():
            daten = daten.filter(belegt)
    zeilen = (daten["_pos"].cast(pl.Int64) + (kopfzeile + 2)).alias("_zeile")
    zellen: dict[str, Any] = {}
    for feld, col in mapping:
        name = str(col)
        zellen[feld] = (
            daten[name].alias(feld)
            if name in daten.columns
            else pl.repeat(None, daten.height, dtype=pl.String, eager=True).alias(feld)
        )
    return zellen, zeilen, total


_Sonderfall = tuple[int, int, dict[str, Any], bool, tuple[Any, ...]]


def _sonderfaelle(
    zellen: dict[str, Any], zeilen: Any, werte: Any, check: Any, special: list[int]
) -> list[_Sonderfall]:
    """For each doubtful row or row sharing a number: (position, row number, cells, whether it may have a
    problem, its (nr, number, Ortsverein) as the columns have them)."""
    import polars as pl

    if not special:
        return []
    cells = pl.DataFrame(list(zellen.values())).select(pl.all().gather(special)).to_dicts()
    nummern = zeilen.gather(special).to_list()
    pruefen = check.gather(special).to_list()
    schnell = werte.select("nr", "mitgliedsnummer", "ortsverein" if "ortsverein" in werte.columns else "nr")
    schnell_sp = schnell[special].rows()
    return [(k, nummern[j], cells[j], pruefen[j], schnell_sp[j]) for j, k in enumerate(special)]


@dataclass
class _Sonder:
    """What the doubtful rows came to."""

    probleme: list[Problem] = field(default_factory=list)
    abgelehnt: list[int] = field(default_factory=list)  # positions, ascending
    datensaetze: dict[int, dict[str, Any]] = field(
        default_factory=dict
    )  # position -> record of normalize_row
    abgelehnte_nummern: set[str] = field(default_factory=set)
    abgelehnte_bereiche: list[Bereich] = field(default_factory=list)
    ortsvereine: set[str] = field(default_factory=set)


def _sonderzeilen(
    faelle: list[_Sonderfall], stand: date, monat_zuerst: frozenset[str] = frozenset()
) -> _Sonder:
    """The doubtful rows in order. A row that may have a problem goes through :func:`normalize_row`; of rows
    sharing a number the first counts."""
    sonder = _Sonder()
    first_row: dict[str, int] = {}
    for k, zeile, cells, pruefen, (nr, number, ov) in faelle:
        record: dict[str, Any] | None = None
        problems: list[Problem] = []
        if pruefen:
            record, problems = normalize_row(cells, zeile, stand, monat_zuerst)
            if record is not None:
                nr, number, ov = record["nr"], record["mitgliedsnummer"], record["ortsverein"]
        if (not pruefen or record is not None) and nr in first_row:
            problems.append(_doppelt(zeile, number, first_row[nr]))
            record, pruefen = None, True  # rejected
        sonder.probleme.extend(problems)
        if pruefen and record is None:
            sonder.abgelehnt.append(k)
            _abgelehnt(cells, zeile, sonder)
            continue
        first_row[nr] = zeile
        sonder.ortsvereine.add(ov)
        if record is not None:
            sonder.datensaetze[k] = record
    return sonder


def _doppelt(zeile: int, nummer: str, erste: int) -> Problem:
    return Problem(
        zeile, "mitgliedsnummer", f"Mitgliedsnummer {nummer} kommt mehrfach vor (zuerst in Zeile {erste})"
    )


def _abgelehnt(cells: dict[str, Any], zeile: int, sonder: _Sonder) -> None:
    """A rejected row still names its number (so it is not taken for an Austritt) and its Ortsverein."""
    number = text(cells.get("mitgliedsnummer"))
    if number:
        sonder.abgelehnte_nummern.add(nummer_key(number))
        if (bereich := nummer_bereich(number)) is not None:
            sonder.abgelehnte_bereiche.append(Bereich(*bereich, zeile, number))
    ov = text(cells.get("ortsverein"))  # as an accepted row's Ortsverein is written
    if ov:
        sonder.ortsvereine.add(ov)


def _keine_warnungen(anzahl: int) -> Any:
    import polars as pl

    return pl.repeat(None, anzahl, dtype=pl.String, eager=True).alias("warnfelder")


def _ortsvereine(werte: Any, anzahl: int, special: list[int]) -> set[str]:
    """The Ortsvereine of the rows the columns were sure about."""
    if "ortsverein" not in werte.columns:
        return set()
    ovs = werte["ortsverein"].filter(~_maske(anzahl, special))
    return {ov for ov in ovs.unique().to_list() if ov is not None}


def _ersetzen(
    frame: Any, sonder: _Sonder, spalten_namen: list[str], fehlt: list[str]
) -> tuple[Any, dict[int, list[str]]]:
    """The records normalize_row made, put in their places; the rejected rows taken out. Returns the frame and
    the warned fields by position in it."""
    import polars as pl

    warnfelder: dict[int, list[str]] = {}
    if sonder.datensaetze:
        positionen = sorted(sonder.datensaetze)
        ersatz = pl.DataFrame(
            [_db_zeile(sonder.datensaetze[k], spalten_namen, fehlt) for k in positionen],
            schema=frame.schema,
            orient="row",
        )
        # most columns of those rows came out the same either way: only the others are copied
        frame = pl.DataFrame(
            [
                frame[c]
                if frame[c].gather(positionen).equals(ersatz[c], check_names=False)
                else frame[c].scatter(positionen, ersatz[c])
                for c in frame.columns
            ]
        )
        for k in positionen:
            if sonder.datensaetze[k]["_warnfelder"]:
                warnfelder[k - bisect_left(sonder.abgelehnt, k)] = list(sonder.datensaetze[k]["_warnfelder"])
    if sonder.abgelehnt:
        frame = frame.filter(~_maske(frame.height, sonder.abgelehnt))
    return frame, warnfelder


def _db_zeile(record: dict[str, Any], spalten_namen: list[str], fehlt: list[str]) -> dict[str, Any]:
    """A record of normalize_row as a row of the frame (the store's form)."""
    zeile: dict[str, Any] = {feld: db(record[feld]) if feld in record else None for feld in spalten_namen}
    zeile["_zeile"] = record["_zeile"]
    zeile["warnfelder"] = warn_json(record["_warnfelder"])
    for feld in fehlt:
        zeile[f"_fehlt_{feld}"] = feld not in record
    return zeile


def warn_json(felder: Sequence[str]) -> str | None:
    """The ``warnfelder`` column as stored: the fields with a warning as a sorted JSON list, None without."""
    return json.dumps(sorted(set(felder))) if felder else None


def db(value: object) -> object:
    """A record's value as the store keeps it: flags 0/1, dates as ISO text."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, date):
        return value.isoformat()[:10]
    return value


def _maske(anzahl: int, positionen: Sequence[int]) -> Any:
    """A polars column, true at ``positionen``."""
    import polars as pl

    maske = pl.repeat(False, anzahl, dtype=pl.Boolean, eager=True)
    return maske.scatter(sorted(positionen), True) if positionen else maske


def _originale(blatt: lesen.Blatt, tabelle: Any, zeilen: set[int]) -> dict[int, list[object]]:
    """The cells of the rows with a problem, for the error file: as the row reader gave them, where it read."""
    if blatt.tabelle is None:
        return {z: list(blatt.rows[z - 1]) for z in zeilen}
    geordnet = sorted(zeilen)
    rows = tabelle[[z - 1 for z in geordnet]].rows() if geordnet else []
    return {z: list(row) for z, row in zip(geordnet, rows)}


def _pruefsumme_nebenher(pfad: Path) -> Callable[[], str]:
    """The file's SHA-256, computed in a thread while the rows are normalized (hashlib and file reads release
    the GIL, so this runs on another core); the returned function waits for it."""
    return nebenher(lambda: hashlib.sha256(pfad.read_bytes()).hexdigest(), "pruefsumme")


def fehlerdatei_schreiben(export: Export, ordner: Path) -> Path:
    """The error file: original columns, the spreadsheet's row number and ``Fehler``; re-importable when fixed."""
    from mitgliederarbeit import dateien as ausgabe

    by_row: dict[int, list[Problem]] = {}
    for problem in export.probleme:
        by_row.setdefault(problem.zeile, []).append(problem)
    header = export.kopf.spalten
    width = len(header)

    def original(zeile: int) -> list[object]:
        cells = list(export.originale.get(zeile) or export.blatt.rows[zeile - 1])[:width]
        return cells + [None] * (width - len(cells))

    rejected: list[list[object]] = []
    warned: list[list[object]] = []
    for zeile, problems in sorted(by_row.items()):
        message = "; ".join(p.meldung for p in problems)
        (rejected if any(p.schwer for p in problems) else warned).append([message, zeile, *original(zeile)])
    kopfzeile = ["Fehler", "Zeile", *header]
    tabellen = [
        ausgabe.Tabelle("Abgelehnt", kopfzeile, rejected, breiten={0: 50}),
        ausgabe.Tabelle("Warnungen", kopfzeile, warned, breiten={0: 50}),
        ausgabe.Tabelle("Hinweise", [], [], text_zeilen=_hinweise(export)),
    ]
    meta = {
        "art": "importfehler",
        "stand": export.stand.isoformat(),
        "quelle": export.blatt.datei.name,
        "version": "1",
    }
    path = ausgabe.freier_name(ordner / f"import-fehler-{export.stand.isoformat()}.xlsx")
    return ausgabe.xlsx(path, tabellen, meta)


def _hinweise(export: Export) -> list[str]:
    return [
        "Fehler beim Import – so geht es weiter",
        f"Quelle: {export.blatt.datei.name}, Stand {dt.de(export.stand)}.",
        "Blatt „Abgelehnt“: diese Zeilen wurden NICHT übernommen. Bitte die Werte in den Originalspalten "
        "korrigieren und die Datei erneut importieren: mitglieder import " + "<diese Datei>. "
        "Die Spalten „Fehler“ und „Zeile“ werden dabei ignoriert.",
        "Blatt „Warnungen“: diese Zeilen wurden übernommen; der bemängelte Wert wurde unverändert gespeichert "
        "und markiert. Korrigieren Sie ihn am besten in der Mitgliederdatenbank Ihrer Partei.",
        "Datenschutz: Diese Datei enthält personenbezogene Daten. Bitte nach der Korrektur löschen.",
    ]
