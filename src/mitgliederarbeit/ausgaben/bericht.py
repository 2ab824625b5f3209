"""``mitglieder bericht``: the comparison of the Ortsvereine, as HTML, Word and Excel.

:func:`bericht` computes the figures (:mod:`kennzahlen`), reads the practices survey if given
(:mod:`praktiken`), draws the charts (:mod:`diagramme`) and writes three files into one folder:
``bericht.html`` (one self-contained file: inline CSS, inline SVG, no external address), ``bericht.docx``
(Word headings, tables, PNG charts) and ``bericht.xlsx`` (one sheet per table, plus method and charts).
All three come from one content model (:class:`Block`), so they say the same.

No personal data leaves: only Ortsvereine, Unterbezirke and aggregates. A count below ``min_fallzahl`` shows
as "< 5", a share or median resting on fewer members as "–". The free-text remark of the survey, import
file names and names from the config (signature, contact persons) are never printed.

``--json`` (:meth:`Bericht.as_json`), a stable structure; ``null`` means "suppressed (fewer than
``min_fallzahl``) or not computable":

- ``ordner``, ``dateien`` (``html``, ``docx``, ``xlsx``: paths), ``stichtag``, ``von``, ``bis`` (ISO dates),
  ``ebene`` (``ortsverein`` | ``unterbezirk``), ``min_fallzahl``, ``schritte`` (``name``, ``arten``,
  ``frist_tage``, ``anzahl`` of the standard);
- ``gesamt``: the figures of the whole; ``ortsvereine``: a list of the figures per Ortsverein (always);
  ``unterbezirke``: the same per Unterbezirk (only with ``--ebene unterbezirk``). Figures of one group:
  ``name``, ``unterbezirk`` (Ortsvereine only), ``mitglieder``, ``eintritte``, ``austritte``,
  ``fruehaustritte`` (int or null), ``schritte`` (list, in the order of the standard, each a share),
  ``standard``, ``veranstaltung_3_monate``, ``bindung_erstes_jahr``, ``frauenanteil_mitglieder``,
  ``frauenanteil_eintritte`` (shares), ``tage_bis_erstkontakt``, ``median_alter`` (medians), ``rang``
  (int, or null when not ranked). A share is ``{"anteil": float|null, "basis": int|null,
  "ki95": [float, float]|null, "grund": str|null}``; a median ``{"median": float|null, "basis": int|null,
  "grund": str|null}`` (``tage_bis_erstkontakt`` also ``"erreicht": int|null``). ``grund`` says in German why
  a value is null ("keine Daten: …" for a step whose kinds were never recorded), else it is null;
- ``schritte`` (top level) also hold ``daten_ab`` (ISO date of the first record of the step's kinds, or null),
  ``ohne_daten`` (bool) and ``nicht_gezaehlt`` (new members of the whole with the step due but joined before
  ``daten_ab``); ``abdeckung``: what the records cover (:mod:`abdeckung`); ``vorbehalte``: ``{"bestand":
  bool, "bindung": bool, "erster_stand": ISO|null}`` – true when Eintritte/Austritte, or the first-year
  retention, rest on a member history that begins after the figure's first day;
- ``rangfolge``: ``[{"rang", "name", "anteil", "basis"}]`` (ranked groups only);
- ``auffaelligkeiten``: German sentences; ``hinweise``: notes on the data;
- ``praktiken``: ``null`` without ``--praktiken``, else a list of ``{"praxis", "ergebnis", "mit", "ohne",
  "nicht_beantwortet", "vergleichbar", "unterschied", "unterschied_ki95", "grund"}`` with the Ortsverein as the
  unit: ``mit``/``ohne`` = ``{"ortsvereine": int (answered ja/nein), "gezaehlt": int (of them with a rate on at
  least min_fallzahl members), "zu_klein": int, "anteil": mean of their rates|null, "basis": members behind
  those rates, "ki95": bootstrap over Ortsvereine|null, "grund"}``; ``vergleichbar`` is false (and the shares
  null) with fewer than 3 Ortsvereine with a rate on a side; ``unterschied`` = mit − ohne;
- ``entwicklung``: ``art`` (``monat`` | ``quartal``), ``vorher_von``, ``vorher_bis`` (the previous period of
  the same length), ``zeitraum_vollstaendig``, ``vorher_vollstaendig``; ``abschnitte``: per month ``{"von",
  "bis", "name", "mitglieder" (on the last day), "eintritte", "austritte", "vollstaendig"}``; ``gesamt`` and
  ``gruppen`` (per Ortsverein, or Unterbezirk with ``--ebene unterbezirk``): ``{"name", "mitglieder_vorher",
  "mitglieder_anfang", "mitglieder_ende", "eintritte", "austritte", "eintritte_vorher", "austritte_vorher"}``,
  each group also ``verlauf``: per entry of ``abschnitte`` ``{"mitglieder", "eintritte", "austritte"}``;
  ``kohorten``: per join quarter ``{"quartal": "2025-Q4", "von", "bis", "eintritte", "nach_3_monaten",
  "nach_6_monaten", "nach_12_monaten" (shares; null while not over for the whole quarter), "vollstaendig"}``.
  ``vollstaendig`` is false where the figure reaches before the first or after the newest export;
- each group also has ``erstkontakt_30_tage`` and ``erstkontakt_90_tage`` (shares: personally reached within
  30 / 90 days, of the counted new members whose 30 / 90 days are over).

``--praktiken-vorlage`` writes only the survey; its ``--json``: ``datei``, ``ortsvereine``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from mitgliederarbeit import datum as dt
from mitgliederarbeit.auswertung import entwicklung as ew
from mitgliederarbeit.auswertung import kennzahlen as kz
from mitgliederarbeit.auswertung import praktiken as pr
from mitgliederarbeit.auswertung.kennzahlen import Anteil, Kennzahlen, Median, Werte
from mitgliederarbeit.bestand import speicher
from mitgliederarbeit.errors import BedienFehler, OrdnerFehler
from mitgliederarbeit.kontaktarten import BERICHT_MEHRZAHL, BERICHT_NAMEN, PERSOENLICH
from mitgliederarbeit.ordner import Arbeitsordner
from mitgliederarbeit.zahlen import aufzaehlung

DATEIEN = {"html": "bericht.html", "docx": "bericht.docx", "xlsx": "bericht.xlsx"}
EBENE_NAME = {"ortsverein": "Ortsverein", "unterbezirk": "Unterbezirk"}
EBENE_MEHRZAHL = {"ortsverein": "Ortsvereine", "unterbezirk": "Unterbezirke"}
MIN_OV_TEXT = kz.zahl_de(pr.MIN_ORTSVEREINE)


# --------------------------------------------------------------------------------------------------------------
# Results


@dataclass
class Vorlage:
    """What ``--praktiken-vorlage`` wrote."""

    datei: Path
    ortsvereine: int

    def as_json(self) -> dict[str, Any]:
        return {"datei": str(self.datei), "ortsvereine": self.ortsvereine}


@dataclass
class Bericht:
    """What ``mitglieder bericht`` computed and wrote."""

    stichtag: date
    ebene: str
    min_fallzahl: int
    kennzahlen: Kennzahlen
    rangfolge: list[kz.Rang]
    auffaelligkeiten: list[str]
    hinweise: list[str]
    vergleiche: list[Any] | None  # praktiken.Vergleich, None without a survey
    erhebung: Any | None  # praktiken.Erhebung
    ordner: Path | None = None
    dateien: dict[str, Path] = field(default_factory=dict)
    entwicklung: ew.Entwicklung | None = None
    # joiners of the period whose join date is an estimate (an export without join dates: the Stand of the first
    # export they were in); the figures that rest on join dates say so
    eintritt_geschaetzt: int = 0

    @property
    def gruppen(self) -> list[Werte]:
        return self.kennzahlen.gruppen(self.ebene)

    def as_json(self) -> dict[str, Any]:
        k = self.kennzahlen
        m = self.min_fallzahl
        raenge = {r.werte.name: r.rang for r in self.rangfolge}
        result: dict[str, Any] = {
            "ordner": str(self.ordner) if self.ordner else None,
            "dateien": {art: str(p) for art, p in self.dateien.items()},
            "stichtag": self.stichtag.isoformat(),
            "von": k.zeitraum.von.isoformat(),
            "bis": k.zeitraum.bis.isoformat(),
            "ebene": self.ebene,
            "min_fallzahl": m,
            "schritte": [
                {
                    **{key: s.get(key) for key in ("name", "arten", "frist_tage", "anzahl")},
                    "daten_ab": dt.iso(k.daten_ab(i)),
                    "ohne_daten": k.ohne_daten(i),
                    "nicht_gezaehlt": k.gesamt.ausgelassen.get(f"s{i}", 0),
                }
                for i, s in enumerate(k.schritte)
            ],
            "abdeckung": k.abdeckung.as_json() if k.abdeckung else None,
            "vorbehalte": {
                "bestand": k.bestand_unvollstaendig,
                "bindung": k.bindung_unvollstaendig,
                "erster_stand": dt.iso(k.erster_stand),
                "eintritt_geschaetzt": kz.anzahl_wert(self.eintritt_geschaetzt, m),
            },
            "gesamt": _werte_json(k.gesamt, m, None, k),
            "ortsvereine": [
                _werte_json(w, m, raenge.get(w.name) if self.ebene == "ortsverein" else None, k)
                for w in k.ortsvereine
            ],
            "rangfolge": [
                {
                    "rang": r.rang,
                    "name": r.werte.name,
                    "anteil": kz.anteil_wert(r.werte.standard, m),
                    "basis": kz.anzahl_wert(r.werte.standard.basis, m),
                }
                for r in self.rangfolge
                if r.rang is not None
            ],
            "auffaelligkeiten": self.auffaelligkeiten,
            "hinweise": self.hinweise,
            "praktiken": None if self.vergleiche is None else [_vergleich_json(v) for v in self.vergleiche],
            "entwicklung": None if self.entwicklung is None else _entwicklung_json(self.entwicklung, m),
        }
        if self.ebene == "unterbezirk":
            result["unterbezirke"] = [_werte_json(w, m, raenge.get(w.name), k) for w in k.unterbezirke]
        return result


def _runden(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


def _paar(paar: tuple[float, float] | None) -> list[float] | None:
    return None if paar is None else [round(paar[0], 4), round(paar[1], 4)]


def _vergleich_json(v: pr.Vergleich) -> dict[str, Any]:
    grund = None
    if not v.vergleichbar:
        grund = (
            f"weniger als {pr.MIN_ORTSVEREINE} Ortsvereine mit Anteil auf einer Seite: kein Vergleich möglich"
        )

    def seite(s: pr.Seite) -> dict[str, Any]:
        return {
            "ortsvereine": s.ortsvereine,
            "gezaehlt": s.gezaehlt,
            "zu_klein": s.zu_klein,
            "anteil": _runden(s.mittel) if v.vergleichbar else None,
            "basis": s.mitglieder,
            "ki95": _paar(s.intervall) if v.vergleichbar else None,
            "grund": grund,
        }

    return {
        "praxis": v.praxis.titel,
        "ergebnis": v.ergebnis,
        "mit": seite(v.ja),
        "ohne": seite(v.nein),
        "nicht_beantwortet": v.nicht_beantwortet,
        "vergleichbar": v.vergleichbar,
        "unterschied": _runden(v.unterschied),
        "unterschied_ki95": _paar(v.unterschied_intervall) if v.vergleichbar else None,
        "grund": grund,
    }


def _entwicklung_json(e: ew.Entwicklung, m: int) -> dict[str, Any]:
    def bewegung(b: ew.Bewegung) -> dict[str, Any]:
        result: dict[str, Any] = {
            "name": b.name,
            **{f: kz.anzahl_wert(getattr(b, f), m) for f in BEWEGUNG_FELDER},
        }
        if b is not e.gesamt:
            result["verlauf"] = [
                {
                    "mitglieder": kz.anzahl_wert(n, m),
                    "eintritte": kz.anzahl_wert(ein, m),
                    "austritte": kz.anzahl_wert(aus, m),
                }
                for n, ein, aus in b.verlauf
            ]
        return result

    return {
        "art": e.art.lower(),
        "vorher_von": e.vorher.von.isoformat(),
        "vorher_bis": e.vorher.bis.isoformat(),
        "zeitraum_vollstaendig": e.zeitraum_vollstaendig,
        "vorher_vollstaendig": e.vorher_vollstaendig,
        "abschnitte": [
            {
                "von": a.von.isoformat(),
                "bis": a.bis.isoformat(),
                "name": a.name,
                "mitglieder": kz.anzahl_wert(a.mitglieder, m),
                "eintritte": kz.anzahl_wert(a.eintritte, m),
                "austritte": kz.anzahl_wert(a.austritte, m),
                "vollstaendig": a.vollstaendig,
            }
            for a in e.abschnitte
        ],
        "gesamt": bewegung(e.gesamt),
        "gruppen": [bewegung(b) for b in e.gruppen],
        "kohorten": [
            {
                "quartal": ew.quartal_schluessel(c.von),
                "von": c.von.isoformat(),
                "bis": c.bis.isoformat(),
                "eintritte": kz.anzahl_wert(c.eintritte, m),
                **{
                    f"nach_{monate}_monaten": None if a is None else _anteil_json(a, m)
                    for monate, a in c.gehalten.items()
                },
                "vollstaendig": c.vollstaendig,
            }
            for c in e.kohorten
        ],
    }


BEWEGUNG_FELDER = (
    "mitglieder_vorher",
    "mitglieder_anfang",
    "mitglieder_ende",
    "eintritte",
    "austritte",
    "eintritte_vorher",
    "austritte_vorher",
)


def _anteil_json(anteil: Anteil, m: int, ohne_daten: str | None = None) -> dict[str, Any]:
    wert = None if ohne_daten else kz.anteil_wert(anteil, m)
    intervall = anteil.intervall if wert is not None else None
    return {
        "anteil": None if wert is None else round(wert, 4),
        "basis": None if ohne_daten else kz.anzahl_wert(anteil.basis, m),
        "ki95": None if intervall is None else [round(intervall[0], 4), round(intervall[1], 4)],
        "grund": ohne_daten or _grund(anteil.basis, m, wert is None),
    }


def _grund(basis: int, m: int, fehlt: bool) -> str | None:
    if not fehlt:
        return None
    if basis == 0:
        return "niemand gezählt"
    return f"weniger als {m} gezählt"


def _median_json(median: Median, m: int, ohne_daten: str | None = None) -> dict[str, Any]:
    wert = None if ohne_daten else kz.median_wert(median, m)
    result: dict[str, Any] = {
        "median": wert,
        "basis": None if ohne_daten else kz.anzahl_wert(median.basis, m),
        "grund": ohne_daten or _grund(median.basis, m, wert is None),
    }
    if median.erreicht is not None:
        result["erreicht"] = None if ohne_daten else kz.anzahl_wert(median.erreicht, m)
        if wert is None and median.basis >= m and not ohne_daten:
            result["grund"] = "weniger als die Hälfte erreicht: noch kein Median"
    return result


def keine_daten_text(k: Kennzahlen, i: int) -> str | None:
    """``grund`` of a step never recorded (None for a step with data)."""
    if not k.ohne_daten(i):
        return None
    arten = ", ".join(BERICHT_NAMEN.get(a, a) for a in k.schritte[i]["arten"])
    return f"keine Daten: noch nie ein Kontakt der Art {arten} erfasst"


def _ohne(erfassung: Any, was: str) -> str | None:
    """``grund`` of a figure whose kinds of contact were never recorded."""
    return None if erfassung is None or erfassung.erfasst else f"keine Daten: noch keine {was} erfasst"


def _werte_json(w: Werte, m: int, rang: int | None, k: Kennzahlen) -> dict[str, Any]:
    result: dict[str, Any] = {"name": w.name}
    if w.unterbezirk is not None:
        result["unterbezirk"] = w.unterbezirk
    result.update(
        {
            "mitglieder": kz.anzahl_wert(w.mitglieder, m),
            "eintritte": kz.anzahl_wert(w.eintritte, m),
            "austritte": kz.anzahl_wert(w.austritte, m),
            "fruehaustritte": kz.anzahl_wert(w.fruehaustritte, m),
            "schritte": [_anteil_json(a, m, keine_daten_text(k, i)) for i, a in enumerate(w.schritte)],
            "standard": _anteil_json(
                w.standard, m, None if k.mit_daten else "keine Daten: für keinen Schritt ist etwas erfasst"
            ),
            "tage_bis_erstkontakt": _median_json(
                w.tage_erstkontakt,
                m,
                _ohne(a.persoenlich if (a := k.abdeckung) else None, "persönlichen Kontakte"),
            ),
            **{
                f"erstkontakt_{frist}_tage": _anteil_json(
                    w.erreicht_in.get(frist, Anteil()),
                    m,
                    _ohne(a.persoenlich if (a := k.abdeckung) else None, "persönlichen Kontakte"),
                )
                for frist in kz.ERREICHT_FRISTEN
            },
            "veranstaltung_3_monate": _anteil_json(
                w.veranstaltung, m, _ohne(a.teilnahme if (a := k.abdeckung) else None, "Teilnahmen")
            ),
            "bindung_erstes_jahr": _anteil_json(w.bindung, m),
            "frauenanteil_mitglieder": _anteil_json(w.frauen_mitglieder, m),
            "frauenanteil_eintritte": _anteil_json(w.frauen_eintritte, m),
            "median_alter": _median_json(w.median_alter, m),
            "rang": rang,
        }
    )
    return result


# --------------------------------------------------------------------------------------------------------------
# The commands' core


def _ortsvereine_im_bestand(conn: Any, stichtag: date) -> list[tuple[str, str | None]]:
    """Ortsvereine with members on the Stichtag (else every Ortsverein ever seen), with their Unterbezirk."""
    tag = stichtag.isoformat()
    rows = conn.execute(
        "SELECT ortsverein, max(unterbezirk) FROM zugehoerigkeit WHERE coalesce(von, '') <= ? "
        "AND (bis IS NULL OR bis > ?) "
        "GROUP BY ortsverein",
        (tag, tag),
    ).fetchall()
    if not rows:
        rows = conn.execute(
            "SELECT ortsverein, max(unterbezirk) FROM zugehoerigkeit GROUP BY ortsverein"
        ).fetchall()
    return sorted(((r[0], r[1]) for r in rows), key=lambda r: kz.sortierschluessel(r[0]))


def praktiken_vorlage(ordner: Arbeitsordner, ziel: Path) -> Vorlage:
    """Write the practices survey with a row per Ortsverein of the store."""
    from mitgliederarbeit.dateien import ziel_pruefen

    if ziel.suffix.lower() != ".xlsx":
        raise BedienFehler(f"--praktiken-vorlage {ziel.name}: bitte einen Dateinamen mit .xlsx angeben.")
    ziel_pruefen(
        ziel,
        hint="Bitte bei --praktiken-vorlage einen anderen Dateinamen angeben oder die alte Datei löschen. Ist es "
        f"die ausgefüllte Umfrage, liest der Bericht sie so ein: mitglieder bericht --praktiken {ziel}",
    )
    store = speicher.oeffnen(ordner.pfad)
    try:
        ortsvereine = _ortsvereine_im_bestand(store.conn, ordner.stichtag)
    finally:
        store.close()
    if not ortsvereine:
        raise OrdnerFehler(
            "Im Datenbestand gibt es noch keine Ortsvereine.",
            hint="Zuerst einen Mitgliederexport importieren: mitglieder import EXPORT.xlsx",
        )
    frist = pr.anruf_tage(ordner.config["standard"]["schritte"])
    pr.vorlage_schreiben(ziel, ortsvereine, stichtag=ordner.stichtag, anruf_frist=frist)
    return Vorlage(ziel, len(ortsvereine))


def bericht(
    ordner: Arbeitsordner,
    *,
    von: date | None = None,
    bis: date | None = None,
    ebene: str = "ortsverein",
    praktiken_datei: Path | None = None,
    ausgabe: Path | None = None,
    schreiben: bool = True,
    fortschritt: Callable[[int, int], None] | None = None,
) -> Bericht:
    """Compute the report and write its three files (unless ``schreiben`` is False)."""

    if ebene not in kz.EBENEN:
        raise BedienFehler(f"--ebene „{ebene}“ gibt es nicht. Erlaubt: {', '.join(kz.EBENEN)}.")
    zeitraum = kz.Zeitraum.bestimmen(ordner.stichtag, von, bis)
    config = ordner.config
    min_fallzahl = max(1, int(config["bericht"]["min_fallzahl"]))
    schritte = config["standard"]["schritte"]
    ziel = _ziel_pruefen(ausgabe) if schreiben and ausgabe is not None else None

    schritte_gesamt = 6 + (5 if schreiben else 0)
    melden = fortschritt or (lambda done, total: None)
    store = speicher.oeffnen(ordner.pfad)
    try:
        erhebung = None
        if praktiken_datei is not None:
            bekannte = [ov for ov, _ in _ortsvereine_im_bestand(store.conn, ordner.stichtag)]
            bekannte += [
                r[0]
                for r in store.conn.execute("SELECT DISTINCT ortsverein FROM zugehoerigkeit")
                if r[0] not in bekannte
            ]
            erhebung = pr.lesen(praktiken_datei, bekannte)
            pr.fehler_melden(erhebung)
        kennzahlen = kz.berechnen(
            store.conn,
            zeitraum,
            schritte,
            paket_monate=int(config["segmente"]["neu_monate"]),
            fortschritt=lambda done, total: melden(done, schritte_gesamt),
        )
        verlauf = ew.berechnen(store.conn, zeitraum, ebene)
        geschaetzt = _geschaetzte_eintritte(store.conn, zeitraum)
        unlesbar = speicher.unlesbare_daten(store.conn)
    finally:
        store.close()

    gruppen = kennzahlen.gruppen(ebene)
    kontakte_erfasst = kennzahlen.mit_daten
    result = Bericht(
        stichtag=ordner.stichtag,
        ebene=ebene,
        min_fallzahl=min_fallzahl,
        kennzahlen=kennzahlen,
        rangfolge=kz.rangfolge(gruppen, min_fallzahl, kontakte_erfasst=kontakte_erfasst),
        auffaelligkeiten=kz.auffaelligkeiten(
            gruppen,
            schritte,
            min_fallzahl,
            kontakte_erfasst=kontakte_erfasst,
            ebene=ebene,
            bindung_vollstaendig=not kennzahlen.bindung_unvollstaendig,
        ),
        hinweise=_hinweise(kennzahlen, min_fallzahl),
        vergleiche=None
        if erhebung is None
        else pr.vergleichen(erhebung, kennzahlen.ortsvereine, min_fallzahl),
        erhebung=erhebung,
        entwicklung=verlauf,
        eintritt_geschaetzt=geschaetzt,
    )
    if geschaetzt:
        result.hinweise.append(
            f"{_geschaetzt_text(geschaetzt, min_fallzahl)} (Stand des ersten Exports, in dem sie auftauchen; der "
            "Export hatte kein Eintrittsdatum): Eintritte, Fristen des Standards und Bindung rechnen bei ihnen ab "
            "diesem Tag, dem spätesten möglichen; die Zahlen, die darauf beruhen, sagen es."
        )
    # the report counts memberships from the periods of each import; only the contacts' dates matter here
    result.hinweise += speicher.UnlesbareDaten(unlesbar.kontakte, unlesbar.kontakt_beispiel).saetze()
    if not schreiben:
        return result
    ziel = ziel or ordner.ausgabe_ordner("bericht")
    from mitgliederarbeit.dateien import ordner_anlegen

    fertig = 6

    def weiter() -> None:
        nonlocal fertig
        fertig += 1
        melden(fertig, schritte_gesamt)

    from mitgliederarbeit.ausgaben import berichtsformate as formate
    from mitgliederarbeit.laufzeit import ohne_gc

    # Three documents of a few thousand objects each, all kept until they are written: the collector would only
    # walk them (and python-docx, Pillow and xlsxwriter as they load) again and again.
    with ohne_gc():
        diagramme = _diagramme(result, weiter)
        bloecke = inhalt(result, diagramme, config)
        titel, untertitel = _titel(result, config)
        ordner_anlegen(ziel)
        result.ordner = ziel
        result.dateien = {
            "html": formate.html_schreiben(ziel / DATEIEN["html"], bloecke, titel, untertitel),
            "docx": formate.docx_schreiben(
                ziel / DATEIEN["docx"], bloecke, titel, untertitel, result.stichtag
            ),
        }
        weiter()
        result.dateien["xlsx"] = formate.xlsx_schreiben(ziel / DATEIEN["xlsx"], bloecke, titel, untertitel)
        weiter()
    return result


def _ziel_pruefen(ausgabe: Path) -> Path:
    if ausgabe.exists() and not ausgabe.is_dir():
        raise BedienFehler(f"--ausgabe {ausgabe}: das ist eine Datei; erwartet wird ein Ordner.")
    vorhanden = [name for name in DATEIEN.values() if (ausgabe / name).exists()]
    if vorhanden:
        raise BedienFehler(
            f"In {ausgabe} gibt es schon {', '.join(vorhanden)}; nichts wird überschrieben.",
            hint="Bitte mit --ausgabe einen anderen Ordner angeben.",
        )
    return ausgabe


def _geschaetzte_eintritte(conn: Any, zeitraum: kz.Zeitraum) -> int:
    """The members who joined in the period by an estimated join date (see the store's schema 6)."""
    return int(
        conn.execute(
            "SELECT count(*) FROM mitglieder WHERE eintritt_geschaetzt = 1 AND eintrittsdatum BETWEEN ? AND ?",
            (zeitraum.von.isoformat(), zeitraum.bis.isoformat()),
        ).fetchone()[0]
    )


def _geschaetzt(r: Bericht, *vorbehalte: str) -> str:
    """A figure's caveats, with the one on estimated join dates if the period has any."""
    teile = [t for t in vorbehalte if t]
    if r.eintritt_geschaetzt:
        teile.append(
            f"{_geschaetzt_text(r.eintritt_geschaetzt, r.min_fallzahl)} (Stand des ersten Exports, in dem sie "
            "auftauchen)"
        )
    return "; ".join(teile)


def _geschaetzt_text(n: int, m: int) -> str:
    """ "Eintrittsdatum bei 3 Neumitgliedern geschätzt" (a count under ``m`` hidden as "< m")."""
    wer = "Neumitglied" if n == 1 and m <= 1 else "Neumitgliedern"
    return f"Eintrittsdatum bei {kz.anzahl_text(n, m)} {wer} geschätzt"


def _hinweise(k: Kennzahlen, m: int) -> list[str]:
    """Notes on the data that change how the figures read: each said once, in one line."""
    z = k.zeitraum
    result = []
    ohne = [f"„{s['name']}“" for i, s in enumerate(k.schritte) if k.ohne_daten(i)]
    if ohne and len(ohne) == len(k.schritte):
        result.append(
            "Keine Daten für den Standard: es ist noch kein Kontakt erfasst, der einen seiner Schritte erfüllt. "
            "Es gibt deshalb keine Quoten und keine Rangfolge – bitte zuerst ausgefüllte Anruflisten, "
            "Teilnahmelisten, Kontaktlisten oder zurückgegebene Ortsvereinspakete importieren (mitglieder import)."
        )
    elif ohne:
        result.append(
            f"Keine Daten für {aufzaehlung(ohne)}: noch nie ein passender Kontakt erfasst. "
            f"{'Dieser Schritt zählt' if len(ohne) == 1 else 'Diese Schritte zählen'} weder bei „Standard "
            "erfüllt“ noch in der Rangfolge."
        )
    # steps whose records began within the period, grouped by (first day, members left out): said once each
    spaeter: dict[tuple[date, int], list[str]] = {}
    for i, s in enumerate(k.schritte):
        weg = k.gesamt.ausgelassen.get(f"s{i}", 0)
        ab = k.daten_ab(i)
        if not k.ohne_daten(i) and weg and ab is not None:
            spaeter.setdefault((ab, weg), []).append(f"„{s['name']}“")
    if spaeter:
        teile = [
            f"{'alle Schritte' if len(namen) == len(k.schritte) > 1 else aufzaehlung(namen)} seit "
            f"{dt.de(ab)} ({kz.zahl_de(weg)} fällige Neumitglieder mit früherem Eintritt nicht gezählt)"
            for (ab, weg), namen in spaeter.items()
        ]
        result.append(
            "Erst im Lauf des Zeitraums erfasst: "
            + "; ".join(teile)
            + ". Ob die früher Eingetretenen diese Schritte bekommen haben, ist nicht erfasst; sie zählen "
            "deshalb dort nicht mit."
        )
    if k.bestand_unvollstaendig or k.bindung_unvollstaendig:
        welche = []
        if k.bestand_unvollstaendig:
            welche.append("Eintritte und Austritte vor diesem Tag")
        if k.bindung_unvollstaendig:
            welche.append(
                f"bei der Bindung im ersten Jahr (Eintritte ab {dt.de(z.bindung_von)}) alle, die vorher "
                "wieder ausgetreten sind – sie wirkt dadurch günstiger, als sie war"
            )
        result.append(
            f"Der Datenbestand beginnt mit dem Export vom {dt.de(k.erster_stand)}. Es fehlen "
            + " und ".join(welche)
            + ". Diese Zahlen sind mit „unvollständig“ markiert."
        )
    if ew.zu_alt(k.letzter_stand, z.bis):
        result.append(
            f"Der neueste Export hat den Stand {dt.de(k.letzter_stand)}; Ein- und Austritte danach fehlen noch."
        )
    a = k.abdeckung
    if a is not None and k.mit_daten and not a.teilnahme.erfasst:
        result.append(
            "Noch keine Teilnahme an einer Veranstaltung erfasst: „Veranstaltung in 3 Monaten“ hat keine Daten."
        )
    return result


def _kontakte_text(k: Kennzahlen, m: int) -> str:
    """How many contacts of each kind the period holds (aggregated over everybody)."""
    if not k.kontakte:
        return "Im Zeitraum sind keine Kontakte erfasst."
    teile = [f"{BERICHT_MEHRZAHL.get(a, a)}: {kz.anzahl_text(n, m)}" for a, n in sorted(k.kontakte.items())]
    return "Erfasste Kontakte im Zeitraum – " + ", ".join(teile) + "."


def _diagramme(result: Bericht, weiter: Callable[[], None]) -> dict[str, Any]:
    from mitgliederarbeit.ausgaben import diagramme

    k = result.kennzahlen
    m = result.min_fallzahl
    name = EBENE_NAME[result.ebene]
    gruppen = result.gruppen
    charts: dict[str, Any] = {}
    ohne = [i for i in range(len(k.schritte)) if k.ohne_daten(i)]
    charts["standard"] = diagramme.standard_je_gruppe(gruppen, k.schritte, m, name, ohne) if gruppen else None
    weiter()
    vorbehalt = (
        f"Unvollständig: der Datenbestand beginnt mit dem Export vom {dt.de(k.erster_stand)}; wer vorher wieder "
        "ausgetreten ist, fehlt – die Bindung wirkt günstiger, als sie war."
        if k.bindung_unvollstaendig
        else ""
    )
    charts["bindung"] = diagramme.bindung_je_gruppe(gruppen, m, name, vorbehalt) if gruppen else None
    weiter()
    charts["tage"] = diagramme.tage_bis_kontakt(k.tage_verteilung, m)
    # No practices chart: one of pooled member shares with Wilson intervals would claim a certainty the comparison
    # by Ortsverein no longer claims; a chart belongs here once it draws the Ortsvereine as the unit.
    weiter()
    return charts


# --------------------------------------------------------------------------------------------------------------
# The content model: one list of blocks, rendered three ways


@dataclass
class Tabelle:
    blatt: str  # the xlsx sheet name
    spalten: list[str]
    zeilen: list[list[str]]  # as displayed
    xlsx_spalten: list[str]
    xlsx_zeilen: list[list[object]]  # typed: numbers stay numbers in Excel
    rechts: set[int] = field(default_factory=set)
    summe: bool = False  # the last row is the total
    fussnote: str = ""
    breiten: list[float] | None = None  # relative column widths in Word (default: first column wider)
    # per xlsx column: "prozent" (values in percent points), "ganz", "zahl" or "text"; empty: inferred from the
    # header ("… in %", "…-%-Intervall …" are shares) and the values
    xlsx_arten: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Kachel:
    """One figure of "Auf einen Blick": the value, what it rests on in words, and a caveat on the figure."""

    titel: str
    wert: str
    grundlage: str = ""  # "bei 185 Neumitgliedern"
    vorbehalt: str = ""  # "unvollständig: …", "keine Daten: …"


@dataclass
class Block:
    art: str  # ueberschrift | absatz | hinweis | liste | kennzahlen | tabelle | diagramm | definitionen
    text: str = ""
    ebene: int = 2
    anker: str = ""
    punkte: list[str] = field(default_factory=list)
    paare: list[tuple[str, str]] = field(default_factory=list)  # definitionen
    kacheln: list[Kachel] = field(default_factory=list)  # kennzahlen
    tabelle: Tabelle | None = None
    diagramm: Any | None = None


def _anteil_zelle(anteil: Anteil, m: int) -> str:
    """A share with its base: "62,5 % (24)"; resting on fewer than m members: "–"."""
    text = kz.anteil_text(anteil, m)
    return text if text == "–" else f"{text} ({kz.zahl_de(anteil.basis)})"


def _prozent_zahl(anteil: Anteil, m: int) -> object:
    wert = kz.anteil_wert(anteil, m)
    return "–" if wert is None else round(wert * 100, 1)


def _anzahl_zelle(n: int, m: int) -> object:
    """For Excel: the number, or the text "< 5"."""
    return n if n >= m else kz.klein_text(m)


def _median_zahl(median: Median, m: int) -> object:
    wert = kz.median_wert(median, m)
    return "–" if wert is None else round(wert, 1)


def _schritt_titel(schritt: dict[str, Any]) -> str:
    return f"{schritt['name']}, Frist {schritt['frist_tage']} Tage"


KEINE_DATEN = "keine Daten"


def _spalten_titel(k: Kennzahlen, i: int) -> str:
    """A step's column heading; it says when the step's records began within the period."""
    titel = _schritt_titel(k.schritte[i])
    ab = k.daten_ab(i)
    if ab is not None and ab > k.zeitraum.von:
        titel += f" (erfasst seit {dt.de(ab)})"
    return titel


def _tabellen_neumitglieder(r: Bericht) -> tuple[Tabelle, Tabelle]:
    """The standard per group, and the outcomes per group (one xlsx sheet "Neumitglieder" for both)."""
    m = r.min_fallzahl
    k = r.kennzahlen
    name = EBENE_NAME[r.ebene]
    gruppen = [*r.gruppen, k.gesamt]
    schritte, ohne, ergebnisse, ohne_ergebnis = _neumitglieder_spalten(k)
    fussnote = (
        f"In Klammern: Zahl der Neumitglieder, auf der ein Anteil beruht. „–“: weniger als {m}; „< {m}“: eine "
        f"Zahl unter {m}; „{KEINE_DATEN}“: noch nie ein passender Kontakt erfasst."
    )
    standard = Tabelle(
        "Neumitglieder",
        [name, "Eintritte", *(t for t, _ in schritte)],
        [
            [
                w.name,
                kz.anzahl_text(w.eintritte, m),
                *(KEINE_DATEN if j in ohne else _anteil_zelle(f(w), m) for j, (_, f) in enumerate(schritte)),
            ]
            for w in gruppen
        ],
        [],
        [],
        rechts=set(range(1, len(schritte) + 2)),
        summe=True,
        fussnote=fussnote,
    )
    folgen = Tabelle(
        "Neumitglieder",
        [
            name,
            "Tage bis Erstkontakt (Median)",
            *(f"Erstkontakt in {frist} Tagen" for frist in kz.ERREICHT_FRISTEN),
            *(t for t, _ in ergebnisse),
        ],
        [
            [
                w.name,
                _tage_text(w.tage_erstkontakt, m),
                *(_anteil_zelle(w.erreicht_in.get(frist, Anteil()), m) for frist in kz.ERREICHT_FRISTEN),
                *(
                    KEINE_DATEN if j in ohne_ergebnis else _anteil_zelle(f(w), m)
                    for j, (_, f) in enumerate(ergebnisse)
                ),
            ]
            for w in gruppen
        ],
        [],
        [],
        rechts={1, 2, 3, 4, 5},
        summe=True,
        fussnote=fussnote
        + " Tage bis Erstkontakt: Median nach Kaplan-Meier über alle gezählten Neumitglieder, auch die noch nicht "
        "erreichten und die inzwischen ausgetretenen; „noch nicht die Hälfte“: weniger als die Hälfte erreicht. "
        "Erstkontakt in 30 / 90 Tagen: Anteil der Neumitglieder, deren 30 / 90 Tage vorbei sind, die in dieser "
        "Zeit persönlich erreicht wurden.",
    )
    standard.xlsx_spalten, standard.xlsx_zeilen = _neumitglieder_xlsx(
        r, gruppen, schritte, ohne, ergebnisse, ohne_ergebnis
    )
    return standard, folgen


Spalte = tuple[str, Callable[[Werte], Anteil]]  # a column heading and how a group's share is found


def _neumitglieder_spalten(k: Kennzahlen) -> tuple[list[Spalte], set[int], list[Spalte], set[int]]:
    """The columns of the standard (each step and "Standard erfüllt") and of the outcomes, each with the
    indices of the columns without any data."""
    schritte: list[Spalte] = [
        (_spalten_titel(k, i), functools.partial(_schritt_anteil, i)) for i in range(len(k.schritte))
    ]
    schritte.append(("Standard erfüllt", lambda w: w.standard))
    ohne = {i for i in range(len(k.schritte)) if k.ohne_daten(i)}
    if not k.mit_daten:
        ohne.add(len(k.schritte))
    ohne_ergebnis = {0} if k.abdeckung is not None and not k.abdeckung.teilnahme.erfasst else set()
    ergebnisse: list[Spalte] = [
        (_titel_veranstaltung(k), lambda w: w.veranstaltung),
        (_titel_bindung(k), lambda w: w.bindung),
    ]
    return schritte, ohne, ergebnisse, ohne_ergebnis


def _neumitglieder_xlsx(
    r: Bericht,
    gruppen: Sequence[Werte],
    schritte: Sequence[Spalte],
    ohne: set[int],
    ergebnisse: Sequence[Spalte],
    ohne_ergebnis: set[int],
) -> tuple[list[str], list[list[object]]]:
    """The sheet "Neumitglieder": every share as a number with its base in the next column."""
    m = r.min_fallzahl
    name = EBENE_NAME[r.ebene]
    xlsx_spalten = [name, "Eintritte"]
    for titel, _ in [*schritte, *ergebnisse]:
        xlsx_spalten += [f"{titel} in %", f"{titel}: Basis"]
    xlsx_spalten += [
        "Tage bis Erstkontakt (Median)",
        "Tage bis Erstkontakt: Basis",
        "Tage bis Erstkontakt: erreicht",
    ]
    for frist in kz.ERREICHT_FRISTEN:
        xlsx_spalten += [f"Erstkontakt in {frist} Tagen in %", f"Erstkontakt in {frist} Tagen: Basis"]
    zeilen: list[list[object]] = []
    for w in gruppen:
        zeile: list[object] = [w.name, _anzahl_zelle(w.eintritte, m)]
        for j, (_, f) in enumerate(schritte):
            if j in ohne:
                zeile += [KEINE_DATEN, ""]
            else:
                zeile += [_prozent_zahl(f(w), m), _anzahl_zelle(f(w).basis, m)]
        for j, (_, f) in enumerate(ergebnisse):
            if j in ohne_ergebnis:
                zeile += [KEINE_DATEN, ""]
            else:
                zeile += [_prozent_zahl(f(w), m), _anzahl_zelle(f(w).basis, m)]
        t = w.tage_erstkontakt
        zeile += [_median_zahl(t, m), _anzahl_zelle(t.basis, m), _anzahl_zelle(t.erreicht or 0, m)]
        for frist in kz.ERREICHT_FRISTEN:
            anteil = w.erreicht_in.get(frist, Anteil())
            zeile += [_prozent_zahl(anteil, m), _anzahl_zelle(anteil.basis, m)]
        zeilen.append(zeile)
    return xlsx_spalten, zeilen


def _titel_bindung(k: Kennzahlen) -> str:
    """The heading of first-year retention; marked where the member history does not reach back."""
    titel = kz.DEFINITIONEN["bindung"].titel
    return f"{titel} (unvollständig)" if k.bindung_unvollstaendig else titel


def _titel_veranstaltung(k: Kennzahlen) -> str:
    titel = kz.DEFINITIONEN["veranstaltung"].titel
    ab = k.abdeckung.teilnahme.erster if k.abdeckung else None
    return f"{titel} (erfasst seit {dt.de(ab)})" if ab and ab > k.zeitraum.von else titel


def _tage_text(median: Median, m: int) -> str:
    """The KM median in days; "noch nicht die Hälfte" when fewer than half were reached."""
    if median.basis >= m and median.wert is None:
        return "noch nicht die Hälfte"
    return kz.median_text(median, m)


def _tabelle_bestand(r: Bericht) -> Tabelle:
    m = r.min_fallzahl
    k = r.kennzahlen
    name = EBENE_NAME[r.ebene]
    mit_ub = r.ebene == "ortsverein" and len(k.unterbezirke) > 1
    spalten = [
        name,
        *(["Unterbezirk"] if mit_ub else []),
        f"Mitglieder am {dt.de(k.zeitraum.bis)}",
        *(
            f"{t} (unvollständig)" if k.bestand_unvollstaendig else t
            for t in ("Eintritte", "Austritte", "Frühaustritte")
        ),
        "Frauenanteil Mitglieder",
        "Frauenanteil Eintritte",
        "Medianalter",
    ]
    zeilen, xlsx_zeilen = [], []
    for w in [*r.gruppen, k.gesamt]:
        ub = [w.unterbezirk or ""] if mit_ub else []
        zeilen.append(
            [
                w.name,
                *ub,
                kz.anzahl_text(w.mitglieder, m),
                kz.anzahl_text(w.eintritte, m),
                kz.anzahl_text(w.austritte, m),
                kz.anzahl_text(w.fruehaustritte, m),
                kz.anteil_text(w.frauen_mitglieder, m),
                kz.anteil_text(w.frauen_eintritte, m),
                kz.median_text(w.median_alter, m, "Jahre"),
            ]
        )
        xlsx_zeilen.append(
            [
                w.name,
                *ub,
                _anzahl_zelle(w.mitglieder, m),
                _anzahl_zelle(w.eintritte, m),
                _anzahl_zelle(w.austritte, m),
                _anzahl_zelle(w.fruehaustritte, m),
                _prozent_zahl(w.frauen_mitglieder, m),
                _prozent_zahl(w.frauen_eintritte, m),
                _median_zahl(w.median_alter, m),
            ]
        )
    xlsx_spalten = [s + (" in %" if s.startswith("Frauenanteil") else "") for s in spalten]
    xlsx_spalten[-1] = "Medianalter (Jahre)"
    start = 2 if mit_ub else 1
    return Tabelle(
        "Bestand",
        spalten,
        zeilen,
        xlsx_spalten,
        xlsx_zeilen,
        rechts=set(range(start, len(spalten))),
        summe=True,
        fussnote=f"„< {m}“: eine Zahl unter {m}; „–“: weniger als {m} Mitglieder."
        + (
            f" Unvollständig: der Datenbestand beginnt mit dem Export vom {dt.de(k.erster_stand)}; wer davor "
            "ein- und wieder ausgetreten ist, fehlt."
            if k.bestand_unvollstaendig
            else ""
        ),
    )


RANG_NAMEN = 10  # with many groups the report names the best and the worst this many
RANG_ALLE_BIS = 3 * RANG_NAMEN  # up to this many ranked groups every one is named


def _rang_zeilen(rang: kz.Rang, m: int) -> tuple[list[str], list[object]]:
    """One row of the ranking, as displayed and for Excel."""
    w = rang.werte
    if rang.rang is None:
        return (
            [
                "–",
                w.name,
                kz.anzahl_text(w.standard.basis, m),
                "nicht gerankt",
                "",
                _anteil_zelle(w.bindung, m),
            ],
            [
                "–",
                w.name,
                _anzahl_zelle(w.standard.basis, m),
                "nicht gerankt",
                "",
                "",
                _prozent_zahl(w.bindung, m),
            ],
        )
    intervall = w.standard.intervall
    return (
        [
            str(rang.rang),
            w.name,
            kz.zahl_de(w.standard.basis),
            kz.anteil_text(w.standard, m),
            kz.intervall_text(intervall),
            _anteil_zelle(w.bindung, m),
        ],
        [
            rang.rang,
            w.name,
            w.standard.basis,
            _prozent_zahl(w.standard, m),
            round(intervall[0] * 100, 1) if intervall else "",
            round(intervall[1] * 100, 1) if intervall else "",
            _prozent_zahl(w.bindung, m),
        ],
    )


def _verteilung_text(gruppen: Sequence[Werte]) -> str:
    """The middle of the ranking in words: "Median 41,2 %, mittlere Hälfte 30,0–55,5 %"."""
    import statistics

    werte = sorted(w.standard.wert or 0.0 for w in gruppen)
    if len(werte) < 4:
        return f"Median {kz.prozent_de(statistics.median(werte))}"
    q1, q2, q3 = statistics.quantiles(werte, n=4, method="inclusive")
    return f"Median {kz.prozent_de(q2)}, mittlere Hälfte {kz.prozent_de(q1)[:-2]}–{kz.prozent_de(q3)}"


def _tabelle_rangfolge(r: Bericht) -> Tabelle:
    """The ranking; with many groups the best and the worst :data:`RANG_NAMEN` by name and the rest as a
    distribution (every group stays in the Excel sheet)."""
    m = r.min_fallzahl
    name = EBENE_NAME[r.ebene]
    mehrzahl = EBENE_MEHRZAHL[r.ebene]
    spalten = [
        "Rang",
        name,
        "Neumitglieder mit fälligem Schritt",
        "Standard erfüllt",
        "95-%-Intervall",
        _titel_bindung(r.kennzahlen),
    ]
    paare = [_rang_zeilen(rang, m) for rang in r.rangfolge]
    zeilen = [z for z, _ in paare]
    gerankt = [rang for rang in r.rangfolge if rang.rang is not None]
    fussnote = f"„nicht gerankt“: weniger als {m} Neumitglieder mit fälligem Schritt."
    if not r.kennzahlen.mit_daten:
        fussnote = "„nicht gerankt“: für keinen Schritt des Standards sind Kontakte erfasst, es gibt nichts zu vergleichen."
    ohne_rang = len(r.rangfolge) - len(gerankt)
    if len(gerankt) > RANG_ALLE_BIS:
        mitte = gerankt[RANG_NAMEN:-RANG_NAMEN]
        zeilen = [
            *zeilen[:RANG_NAMEN],
            [
                "…",
                f"{kz.zahl_de(len(mitte))} weitere {mehrzahl}: {_verteilung_text([x.werte for x in mitte])}",
                "",
                "",
                "",
                "",
            ],
            *zeilen[len(gerankt) - RANG_NAMEN :],
        ]
        fussnote = (
            f"Die besten und die schwächsten {RANG_NAMEN} mit Namen, dazwischen die Verteilung der übrigen; "
            f"jeder {name} steht im Blatt „Rangfolge“ der Excel-Datei. " + fussnote
        )
    if len(r.rangfolge) > RANG_ALLE_BIS and ohne_rang:  # many without a rank: counted, named in Excel
        zeilen = [
            *(z for z in zeilen if z[0] != "–"),
            ["–", f"{kz.zahl_de(ohne_rang)} {mehrzahl} nicht gerankt", "", "", "", ""],
        ]
    xlsx_spalten = [
        "Rang",
        name,
        "Neumitglieder mit fälligem Schritt",
        "Standard erfüllt in %",
        "95-%-Intervall von",
        "95-%-Intervall bis",
        "Bindung im 1. Jahr in %",
    ]
    return Tabelle(
        "Rangfolge",
        spalten,
        zeilen,
        xlsx_spalten,
        [x for _, x in paare],
        rechts={0, 2, 3, 4, 5},
        fussnote=fussnote,
    )


def _schritt_anteil(i: int, w: Werte) -> Anteil:
    return w.schritte[i]


KEINE_ANGABE = "k. A."


def _tabelle_praktiken_je_ov(r: Bericht) -> Tabelle:
    erhebung = r.erhebung
    assert erhebung is not None  # only called when a survey was read
    m = r.min_fallzahl
    spalten = ["Ortsverein", *(p.kurz for p in erhebung.praktiken)]
    werte_je_ov = {w.name: w for w in r.kennzahlen.ortsvereine}
    zeilen, xlsx_zeilen = [], []
    for ov in sorted(erhebung.antworten, key=kz.sortierschluessel):
        antworten = erhebung.antworten[ov]
        werte = [
            {True: "ja", False: "nein"}.get(antworten.get(p.schluessel), KEINE_ANGABE)
            for p in erhebung.praktiken
        ]
        zeilen.append([ov, *werte])
        # the rates each Ortsverein brings into the comparison (Excel only: the tables above show them)
        raten: list[object] = []
        for ergebnis in pr.ERGEBNISSE:
            anteil = getattr(werte_je_ov[ov], ergebnis) if ov in werte_je_ov else Anteil()
            raten += [_prozent_zahl(anteil, m), _anzahl_zelle(anteil.basis, m)]
        xlsx_zeilen.append([ov, *(w if w != KEINE_ANGABE else "" for w in werte), *raten])
    legende = "; ".join(f"{p.kurz}: {p.titel}" for p in erhebung.praktiken if p.kurz != p.titel)
    ergebnis_spalten = []
    for ergebnis in pr.ERGEBNISSE:
        titel = kz.DEFINITIONEN[ergebnis].titel
        ergebnis_spalten += [f"{titel} in %", f"{titel}: Basis"]
    return Tabelle(
        "Praktiken je OV",
        spalten,
        zeilen,
        ["Ortsverein", *(p.titel for p in erhebung.praktiken), *ergebnis_spalten],
        xlsx_zeilen,
        fussnote=f"Angaben der Ortsvereine in der Umfrage; „{KEINE_ANGABE}“: keine Angabe. {legende}.",
    )


PRAKTIKEN_XLSX_SPALTEN = [
    "Praxis",
    "Ergebnis",
    "OV mit Praxis",
    "OV mit Praxis: gezählt",
    "OV mit Praxis: zu klein",
    "OV ohne Praxis",
    "OV ohne Praxis: gezählt",
    "OV ohne Praxis: zu klein",
    "OV nicht beantwortet",
    "Mittel mit in %",
    "95-%-Intervall mit von",
    "95-%-Intervall mit bis",
    "Mittel ohne in %",
    "95-%-Intervall ohne von",
    "95-%-Intervall ohne bis",
    "Unterschied in Prozentpunkten",
    "Unterschied von",
    "Unterschied bis",
    "Mitglieder mit",
    "Mitglieder ohne",
]


def _ov_zelle(seite: Any) -> str:
    """How many Ortsvereine answered one way, and how many of them are too small to count: "7 (2 zu klein)"."""
    text = kz.zahl_de(seite.ortsvereine)
    return f"{text} ({kz.zahl_de(seite.zu_klein)} zu klein)" if seite.zu_klein else text


def _mittel_zelle(seite: Any, vergleichbar: bool) -> str:
    if not vergleichbar or seite.mittel is None or seite.intervall is None:
        return "–"
    return f"{kz.prozent_de(seite.mittel)} ({kz.intervall_text(seite.intervall)})"


def _pp(x: float) -> str:
    """Percentage points with a sign: "+12,5"."""
    return ("+" if x > 0 else "−" if x < 0 else "±") + kz.prozent_de(abs(x))[:-2]


def _unterschied_zelle(v: Any) -> str:
    if not v.vergleichbar:
        wenig = " und ".join(
            f"{kz.zahl_de(seite.gezaehlt)} {wie}"
            for seite, wie in ((v.ja, "mit"), (v.nein, "ohne"))
            if seite.gezaehlt < pr.MIN_ORTSVEREINE
        )
        return f"kein Vergleich (nur {wenig})"
    unten, oben = v.unterschied_intervall
    return f"{_pp(v.unterschied)} Pp. ({_pp(unten)} bis {_pp(oben)})"


def _prozent(x: float | None) -> object:
    return "" if x is None else round(x * 100, 1)


def _praktik_xlsx(v: Any, titel: str) -> list[object]:
    zeile: list[object] = [v.praxis.titel, titel]
    for seite in (v.ja, v.nein):
        zeile += [seite.ortsvereine, seite.gezaehlt, seite.zu_klein]
    zeile.append(v.nicht_beantwortet)
    for seite in (v.ja, v.nein):
        intervall = seite.intervall if v.vergleichbar else None
        zeile += [
            _prozent(seite.mittel if v.vergleichbar else None),
            _prozent(intervall[0] if intervall else None),
            _prozent(intervall[1] if intervall else None),
        ]
    d = v.unterschied_intervall if v.vergleichbar else None
    zeile += [_prozent(v.unterschied), _prozent(d[0] if d else None), _prozent(d[1] if d else None)]
    zeile += [v.ja.mitglieder, v.nein.mitglieder]
    return zeile


def _praktiken_titel(r: Bericht, ergebnis: str) -> str:
    titel = kz.DEFINITIONEN[ergebnis].titel
    if ergebnis == "bindung" and r.kennzahlen.bindung_unvollstaendig:
        titel += " (unvollständig: Datenbestand erst ab " + dt.de(r.kennzahlen.erster_stand) + ")"
    return titel


def _tabellen_praktiken(r: Bericht) -> list[tuple[str, Tabelle | None, str]]:
    """Per outcome: its heading, the table (None when no practice can be compared) and a line why not."""
    vergleiche = r.vergleiche or []
    alle_xlsx: list[list[object]] = []
    result: list[tuple[str, Tabelle | None, str]] = []
    for ergebnis in dict.fromkeys(v.ergebnis for v in vergleiche):
        titel = _praktiken_titel(r, ergebnis)
        zeilen, eine_seite = [], []
        for v in (v for v in vergleiche if v.ergebnis == ergebnis):
            if not v.ja.ortsvereine or not v.nein.ortsvereine:  # everybody answered alike: nothing to compare
                eine_seite.append(v.praxis.titel)
                continue
            zeilen.append(
                [
                    v.praxis.titel,
                    _ov_zelle(v.ja),
                    _ov_zelle(v.nein),
                    kz.zahl_de(v.nicht_beantwortet),
                    _mittel_zelle(v.ja, v.vergleichbar),
                    _mittel_zelle(v.nein, v.vergleichbar),
                    _unterschied_zelle(v),
                ]
            )
            alle_xlsx.append(_praktik_xlsx(v, titel))
        gleich = (
            f"Ohne Vergleich, weil alle Ortsvereine mit Angabe gleich geantwortet haben: {', '.join(eine_seite)}."
            if eine_seite
            else ""
        )
        if not any(v.vergleichbar for v in vergleiche if v.ergebnis == ergebnis):
            result.append((titel, None, f"Kein Vergleich möglich: {_ohne_grundlage(r, ergebnis)}"))
            continue
        tabelle = Tabelle(
            "Praktiken",
            [
                "Praxis",
                "OV mit",
                "OV ohne",
                "OV ohne Antwort",
                "Mit Praxis: Mittel der OV (95-%-Intervall)",
                "Ohne Praxis: Mittel der OV (95-%-Intervall)",
                "Unterschied (95-%-Intervall)",
            ],
            zeilen,
            PRAKTIKEN_XLSX_SPALTEN,
            [],
            rechts=set(range(1, 7)),
            breiten=[0.22, 0.09, 0.09, 0.08, 0.17, 0.17, 0.18],
            fussnote=(
                f"OV mit / ohne: Ortsvereine mit „ja“ / „nein“; „zu klein“: ihr Anteil beruht auf weniger als "
                f"{r.min_fallzahl} Mitgliedern und zählt nicht. „OV ohne Antwort“: keine Angabe in der Umfrage. "
                f"Pp.: Prozentpunkte (mit minus ohne). „kein Vergleich“: weniger als {MIN_OV_TEXT} Ortsvereine mit "
                "Anteil auf einer Seite. " + gleich
            ).strip(),
        )
        result.append((titel, tabelle, ""))
    mit_tabelle = [t for _, t, _ in result if t is not None]
    if mit_tabelle:
        mit_tabelle[0].xlsx_zeilen = alle_xlsx  # one sheet with every outcome
    return result


def _ohne_grundlage(r: Bericht, ergebnis: str) -> str:
    """Why no practice can be compared for an outcome."""
    k = r.kennzahlen
    a = k.abdeckung
    if ergebnis == "veranstaltung" and a is not None:
        if not a.teilnahme.erfasst:
            return "es ist noch keine Teilnahme erfasst."
        return (
            f"Teilnahmen sind erst seit {dt.de(a.teilnahme.erster)} erfasst; wer davor eingetreten ist, zählt "
            "nicht, und die drei Monate der Späteren sind noch nicht um."
        )
    return (
        f"bei keiner Praxis gibt es auf beiden Seiten mindestens {MIN_OV_TEXT} Ortsvereine mit mindestens "
        f"{r.min_fallzahl} gezählten Mitgliedern."
    )


# --------------------------------------------------------------------------------------------------------------
# Entwicklung

UNVOLLSTAENDIG = " (unvollständig)"


def _entwicklung_kurz(e: ew.Entwicklung) -> str:
    """The caveat of the Entwicklung on a tile: which exports the history rests on."""
    teile = []
    if e.erster_stand is not None:
        teile.append(f"Datenbestand erst ab {dt.de(e.erster_stand)}")
    if ew.zu_alt(e.letzter_stand, e.zeitraum.bis):
        teile.append(f"neuester Export {dt.de(e.letzter_stand)}")
    return "unvollständig: " + ", ".join(teile)


def _entwicklung_vorbehalt(e: ew.Entwicklung) -> str:
    """The one line that explains every figure marked "unvollständig" in the Entwicklung."""
    teile = []
    if e.erster_stand is not None:
        teile.append(
            f"vor dem ersten Export ({dt.de(e.erster_stand)}) fehlt, wer in dieser Zeit ein- und wieder "
            "ausgetreten ist – Mitglieder und Austritte sind dort zu niedrig, die Bindung wirkt zu günstig"
        )
    if ew.zu_alt(e.letzter_stand, e.zeitraum.bis):
        teile.append(f"nach dem neuesten Export ({dt.de(e.letzter_stand)}) fehlen alle Änderungen")
    return "unvollständig: " + "; ".join(teile) if teile else "unvollständig"


def _tabelle_vergleich(r: Bericht, e: ew.Entwicklung) -> Tabelle:
    """The whole: the period beside the previous period of the same length."""
    m = r.min_fallzahl
    b = e.gesamt
    vorher_titel = f"Vorzeitraum {e.vorher.text()}" + ("" if e.vorher_vollstaendig else UNVOLLSTAENDIG)
    jetzt_titel = f"Zeitraum {e.zeitraum.text()}" + ("" if e.zeitraum_vollstaendig else UNVOLLSTAENDIG)
    paare = [
        ("Mitglieder am Anfang", b.mitglieder_vorher, b.mitglieder_anfang),
        ("Mitglieder am Ende", b.mitglieder_anfang, b.mitglieder_ende),
        ("Eintritte", b.eintritte_vorher, b.eintritte),
        ("Austritte", b.austritte_vorher, b.austritte),
        (
            "Saldo (Eintritte − Austritte)",
            b.eintritte_vorher - b.austritte_vorher,
            b.eintritte - b.austritte,
        ),
    ]
    zeilen, xlsx = [], []
    for titel, vorher, jetzt in paare:
        saldo = titel.startswith("Saldo")
        text = _veraenderung if saldo else (lambda n: kz.anzahl_text(n, m))
        zeilen.append([titel, text(vorher), text(jetzt), _veraenderung(jetzt - vorher)])
        xlsx.append(
            [
                titel,
                vorher if saldo else _anzahl_zelle(vorher, m),
                jetzt if saldo else _anzahl_zelle(jetzt, m),
                jetzt - vorher,
            ]
        )
    fussnote = "" if e.zeitraum_vollstaendig and e.vorher_vollstaendig else _entwicklung_vorbehalt(e) + "."
    return Tabelle(
        "Entwicklung",
        ["", vorher_titel, jetzt_titel, "Veränderung"],
        zeilen,
        ["", vorher_titel, jetzt_titel, "Veränderung"],
        xlsx,
        rechts={1, 2, 3},
        fussnote=fussnote[:1].upper() + fussnote[1:],
    )


def _tabelle_verlauf(r: Bericht, e: ew.Entwicklung) -> Tabelle:
    """Per month (or quarter): members on its last day, Eintritte, Austritte, saldo."""
    m = r.min_fallzahl
    zeilen, xlsx = [], []
    for a in e.abschnitte:
        name = a.name + ("" if a.vollstaendig else UNVOLLSTAENDIG)
        zeilen.append(
            [
                name,
                kz.anzahl_text(a.mitglieder, m),
                kz.anzahl_text(a.eintritte, m),
                kz.anzahl_text(a.austritte, m),
                _veraenderung(a.saldo) if a.eintritte >= m and a.austritte >= m else "–",
            ]
        )
        xlsx.append(
            [
                name,
                _anzahl_zelle(a.mitglieder, m),
                _anzahl_zelle(a.eintritte, m),
                _anzahl_zelle(a.austritte, m),
                a.saldo if a.eintritte >= m and a.austritte >= m else "–",
            ]
        )
    unvollstaendig = any(not a.vollstaendig for a in e.abschnitte)
    spalten = [e.art, "Mitglieder am letzten Tag", "Eintritte", "Austritte", "Saldo"]
    fussnote = f"„< {m}“: eine Zahl unter {m}; Saldo „–“: eine der beiden Zahlen liegt unter {m}."
    if unvollstaendig:
        fussnote += " " + _entwicklung_vorbehalt(e)[:1].upper() + _entwicklung_vorbehalt(e)[1:] + "."
    return Tabelle(
        f"Entwicklung je {e.art}", spalten, zeilen, spalten, xlsx, rechts={1, 2, 3, 4}, fussnote=fussnote
    )


def _tabelle_entwicklung_je_gruppe(r: Bericht, e: ew.Entwicklung) -> Tabelle:
    """Per group: members at the start and the end, Eintritte and Austritte beside those of the period before."""
    m = r.min_fallzahl
    name = EBENE_NAME[r.ebene]
    anfang = dt.de(e.zeitraum.von - timedelta(days=1))
    markiert = "" if e.zeitraum_vollstaendig and e.vorher_vollstaendig else UNVOLLSTAENDIG
    spalten = [
        name,
        f"Mitglieder am {anfang}",
        f"Mitglieder am {dt.de(e.zeitraum.bis)}",
        "Veränderung",
        f"Eintritte vorher → jetzt{markiert}",
        f"Austritte vorher → jetzt{markiert}",
    ]
    xlsx_spalten = [
        name,
        f"Mitglieder am {anfang}",
        f"Mitglieder am {dt.de(e.zeitraum.bis)}",
        "Veränderung",
        f"Eintritte Vorzeitraum{markiert}",
        f"Eintritte{markiert}",
        f"Austritte Vorzeitraum{markiert}",
        f"Austritte{markiert}",
    ]
    for a in e.abschnitte:  # per month (Excel only): members on its last day, Eintritte, Austritte
        mark = "" if a.vollstaendig else UNVOLLSTAENDIG
        xlsx_spalten += [
            f"{a.name}: Mitglieder{mark}",
            f"{a.name}: Eintritte{mark}",
            f"{a.name}: Austritte{mark}",
        ]
    gesamt_verlauf = [(a.mitglieder, a.eintritte, a.austritte) for a in e.abschnitte]
    zeilen, xlsx = [], []
    for b in [*e.gruppen, e.gesamt]:
        verlauf = gesamt_verlauf if b is e.gesamt else b.verlauf
        zeilen.append(
            [
                b.name,
                kz.anzahl_text(b.mitglieder_anfang, m),
                kz.anzahl_text(b.mitglieder_ende, m),
                _veraenderung(b.mitglieder_ende - b.mitglieder_anfang),
                f"{kz.anzahl_text(b.eintritte_vorher, m)} → {kz.anzahl_text(b.eintritte, m)}",
                f"{kz.anzahl_text(b.austritte_vorher, m)} → {kz.anzahl_text(b.austritte, m)}",
            ]
        )
        xlsx.append(
            [
                b.name,
                _anzahl_zelle(b.mitglieder_anfang, m),
                _anzahl_zelle(b.mitglieder_ende, m),
                b.mitglieder_ende - b.mitglieder_anfang,
                *(
                    _anzahl_zelle(n, m)
                    for n in (b.eintritte_vorher, b.eintritte, b.austritte_vorher, b.austritte)
                ),
                *(_anzahl_zelle(n, m) for monat in verlauf for n in monat),
            ]
        )
    fussnote = (
        f"Vorher: der Vorzeitraum {e.vorher.text()}, gleich lang wie der Zeitraum (jetzt). Eintritte zählen im "
        f"{name} des Eintritts, Austritte in dem des Austritts, Mitglieder dort, wo sie am Tag waren; „< {m}“: "
        f"eine Zahl unter {m}."
    )
    if markiert:
        fussnote += " " + _entwicklung_vorbehalt(e)[:1].upper() + _entwicklung_vorbehalt(e)[1:] + "."
    return Tabelle(
        f"Entwicklung je {name}",
        spalten,
        zeilen,
        xlsx_spalten,
        xlsx,
        rechts=set(range(1, len(spalten))),
        summe=True,
        fussnote=fussnote,
    )


def _kohorte_zelle(anteil: Anteil | None, m: int) -> str:
    return "noch offen" if anteil is None else _anteil_zelle(anteil, m)


def _tabelle_kohorten(r: Bericht, e: ew.Entwicklung) -> Tabelle:
    """Per join quarter: still a member after 3, 6, 12 months."""
    m = r.min_fallzahl
    spalten = [
        "Eintrittsquartal",
        "Eintritte",
        *(f"nach {n} Monaten noch Mitglied" for n in ew.KOHORTE_MONATE),
    ]
    xlsx_spalten = ["Eintrittsquartal", "Eintritte"]
    for n in ew.KOHORTE_MONATE:
        xlsx_spalten += [f"nach {n} Monaten in %", f"nach {n} Monaten: Basis"]
    zeilen, xlsx = [], []
    for c in e.kohorten:
        name = c.name + ("" if c.vollstaendig else UNVOLLSTAENDIG)
        zeilen.append(
            [
                name,
                kz.anzahl_text(c.eintritte, m),
                *(_kohorte_zelle(c.gehalten[n], m) for n in ew.KOHORTE_MONATE),
            ]
        )
        zeile: list[object] = [name, _anzahl_zelle(c.eintritte, m)]
        for n in ew.KOHORTE_MONATE:
            a = c.gehalten[n]
            zeile += ["noch offen", ""] if a is None else [_prozent_zahl(a, m), _anzahl_zelle(a.basis, m)]
        xlsx.append(zeile)
    fussnote = (
        "Je Quartal die Mitgliedschaften, die in ihm begonnen haben, und wie viele davon 3, 6 und 12 Monate nach "
        "dem Eintritt noch bestanden (ein Wechsel des Ortsvereins ist kein Austritt). „noch offen“: die Monate "
        f"sind bis zum Ende des Zeitraums nicht für das ganze Quartal vorbei; „–“: weniger als {m}."
    )
    if any(not c.vollstaendig for c in e.kohorten):
        fussnote += (
            f" Unvollständig: das Quartal begann vor dem ersten Export ({dt.de(e.erster_stand)}); wer vorher "
            "wieder ausgetreten ist, fehlt – der Anteil wirkt günstiger, als er war."
        )
    return Tabelle(
        "Kohorten", spalten, zeilen, xlsx_spalten, xlsx, rechts=set(range(1, len(spalten))), fussnote=fussnote
    )


def _entwicklung_bloecke(r: Bericht) -> list[Block]:
    e = r.entwicklung
    b = [Block("ueberschrift", "Entwicklung", anker="entwicklung")]
    if e is None:
        return b + [Block("absatz", "Für diesen Bericht wurde die Entwicklung nicht berechnet.")]
    b.append(
        Block(
            "absatz",
            f"Wie sich die Mitgliedschaft entwickelt hat: der Zeitraum neben dem gleich langen Zeitraum davor, "
            f"je {e.art} und je {EBENE_NAME[r.ebene]}, und wie lange die Neumitglieder jedes Quartals geblieben "
            "sind. Grundlage sind die Stände aller importierten Mitgliederexporte.",
        )
    )
    b.append(Block("tabelle", tabelle=_tabelle_vergleich(r, e)))
    b.append(Block("ueberschrift", f"Je {e.art}", ebene=3))
    b.append(Block("tabelle", tabelle=_tabelle_verlauf(r, e)))
    b.append(Block("ueberschrift", f"Je {EBENE_NAME[r.ebene]}", ebene=3))
    b.append(Block("tabelle", tabelle=_tabelle_entwicklung_je_gruppe(r, e)))
    b.append(Block("ueberschrift", "Wie lange Neumitglieder bleiben (nach Eintrittsquartal)", ebene=3))
    b.append(Block("tabelle", tabelle=_tabelle_kohorten(r, e)))
    return b


def _bei(n: int, m: int, wen: str) -> str:
    """The base of a figure in words: "bei 185 Neumitgliedern" (small numbers as "weniger als 5")."""
    if n == 0:
        return "noch niemand gezählt"
    return f"bei {'weniger als ' + str(m) if n < m else kz.zahl_de(n)} {wen}"


def kacheln(r: Bericht) -> list[Kachel]:
    """The figures of "Auf einen Blick", each with its base in words and any caveat on the figure itself."""
    return [
        *_kacheln_bestand(r),
        *_kacheln_schritte(r),
        _kachel_standard(r),
        _kachel_tage(r),
        _kachel_veranstaltung(r),
        *_kacheln_mitglieder(r),
    ]


def _veraenderung(n: int) -> str:
    return f"{'+' if n > 0 else '−' if n < 0 else '±'}{kz.zahl_de(abs(n))}"


def _kacheln_bestand(r: Bericht) -> list[Kachel]:
    k = r.kennzahlen
    m = r.min_fallzahl
    g = k.gesamt
    z = k.zeitraum
    unvollstaendig = (
        f"unvollständig: Datenbestand erst ab {dt.de(k.erster_stand)}" if k.bestand_unvollstaendig else ""
    )
    mitglieder = Kachel(f"Mitglieder am {dt.de(z.bis)}", kz.anzahl_text(g.mitglieder, m))
    e = r.entwicklung
    if e is not None:
        b = e.gesamt
        anfang = z.von - timedelta(days=1)
        grundlage = f"{_veraenderung(b.mitglieder_ende - b.mitglieder_anfang)} seit dem {dt.de(anfang)}"
        if b.mitglieder_anfang >= m and b.mitglieder_vorher >= m:
            grundlage += f" (Vorzeitraum: {_veraenderung(b.mitglieder_anfang - b.mitglieder_vorher)})"
        mitglieder = Kachel(
            mitglieder.titel,
            mitglieder.wert,
            grundlage,
            "" if e.zeitraum_vollstaendig and e.vorher_vollstaendig else _entwicklung_kurz(e),
        )
    vorher = (
        {} if e is None else {"eintritte": e.gesamt.eintritte_vorher, "austritte": e.gesamt.austritte_vorher}
    )

    def bewegung(titel: str, n: int, schluessel: str) -> Kachel:
        grundlage = z.text()
        if schluessel in vorher:
            grundlage += f" (Vorzeitraum: {kz.anzahl_text(vorher[schluessel], m)})"
        return Kachel(titel, kz.anzahl_text(n, m), grundlage, unvollstaendig)

    eintritte = bewegung("Eintritte", g.eintritte, "eintritte")
    eintritte = replace(eintritte, vorbehalt=_geschaetzt(r, eintritte.vorbehalt))
    return [
        mitglieder,
        eintritte,
        bewegung("Austritte", g.austritte, "austritte"),
        Kachel(
            "davon Frühaustritte",
            kz.anzahl_text(g.fruehaustritte, m),
            f"höchstens {kz.FRUEH_MONATE} Monate nach dem Eintritt",
            unvollstaendig,
        ),
    ]


def _kacheln_schritte(r: Bericht) -> list[Kachel]:
    k = r.kennzahlen
    m = r.min_fallzahl
    g = k.gesamt
    result = []
    for i, (schritt, anteil) in enumerate(zip(k.schritte, g.schritte)):
        if k.ohne_daten(i):
            arten = ", ".join(BERICHT_NAMEN.get(a, a) for a in schritt["arten"])
            result.append(
                Kachel(
                    _schritt_titel(schritt),
                    KEINE_DATEN,
                    f"noch nie ein Kontakt der Art {arten} erfasst",
                    "zählt nicht bei „Standard erfüllt“",
                )
            )
            continue
        weg = g.ausgelassen.get(f"s{i}", 0)
        vorbehalt = (
            f"erst seit {dt.de(k.daten_ab(i))} erfasst: {kz.zahl_de(weg)} früher Eingetretene nicht gezählt"
            if weg
            else ""
        )
        grundlage = _bei(anteil.basis, m, "Neumitgliedern mit abgelaufener Frist")
        result.append(
            Kachel(_schritt_titel(schritt), _anteil_kurz(anteil, m), grundlage, _geschaetzt(r, vorbehalt))
        )
    return result


def _kachel_standard(r: Bericht) -> Kachel:
    k = r.kennzahlen
    m = r.min_fallzahl
    if not k.mit_daten:
        return Kachel("Standard erfüllt", KEINE_DATEN, "für keinen Schritt ist ein Kontakt erfasst")
    ohne = [f"„{s['name']}“" for i, s in enumerate(k.schritte) if k.ohne_daten(i)]
    vorbehalte = (
        f"ohne {aufzaehlung(ohne)} (keine Daten)" if ohne else "",
        _spaeter_text(k, "standard", _erster_tag(k)),
    )
    return Kachel(
        "Standard erfüllt (jeder fällige Schritt fristgerecht)",
        _anteil_kurz(k.gesamt.standard, m),
        _bei(k.gesamt.standard.basis, m, "Neumitgliedern mit fälligem Schritt"),
        _geschaetzt(r, *vorbehalte),
    )


def _kachel_tage(r: Bericht) -> Kachel:
    k = r.kennzahlen
    m = r.min_fallzahl
    t = k.gesamt.tage_erstkontakt
    if k.abdeckung is not None and not k.abdeckung.persoenlich.erfasst:
        return Kachel(
            "Tage bis zum ersten persönlichen Kontakt", KEINE_DATEN, "noch kein persönlicher Kontakt erfasst"
        )
    wert = _tage_text(t, m)
    in_tagen = ", ".join(
        f"in {frist} Tagen {kz.anteil_text(k.gesamt.erreicht_in.get(frist, Anteil()), m)}"
        for frist in kz.ERREICHT_FRISTEN
    )
    return Kachel(
        "Tage bis zum ersten persönlichen Kontakt (Median)",
        wert if wert in ("–", "noch nicht die Hälfte") else f"{wert} Tage",
        f"{_bei(t.basis, m, 'Neumitgliedern')}, auch den noch nicht erreichten; persönlich erreicht {in_tagen}",
        _geschaetzt(r, _spaeter_text(k, "tage", k.abdeckung.persoenlich.erster if k.abdeckung else None)),
    )


def _kachel_veranstaltung(r: Bericht) -> Kachel:
    k = r.kennzahlen
    titel = kz.DEFINITIONEN["veranstaltung"].titel
    if k.abdeckung is not None and not k.abdeckung.teilnahme.erfasst:
        return Kachel(titel, KEINE_DATEN, "noch keine Teilnahme erfasst")
    v = k.gesamt.veranstaltung
    return Kachel(
        titel,
        _anteil_kurz(v, r.min_fallzahl),
        _bei(v.basis, r.min_fallzahl, "Neumitgliedern"),
        _geschaetzt(
            r, _spaeter_text(k, "veranstaltung", k.abdeckung.teilnahme.erster if k.abdeckung else None)
        ),
    )


def _kacheln_mitglieder(r: Bericht) -> list[Kachel]:
    k = r.kennzahlen
    m = r.min_fallzahl
    g = k.gesamt
    z = k.zeitraum
    return [
        Kachel(
            "Bindung im 1. Jahr",
            _anteil_kurz(g.bindung, m),
            f"{_bei(g.bindung.basis, m, 'Mitgliedern')} mit Eintritt {dt.de(z.bindung_von)} – {dt.de(z.bindung_bis)}",
            f"unvollständig: wer vor dem {dt.de(k.erster_stand)} ausgetreten ist, fehlt – wirkt zu günstig"
            if k.bindung_unvollstaendig
            else "",
        ),
        Kachel(
            "Frauenanteil Mitglieder / Eintritte",
            f"{kz.anteil_text(g.frauen_mitglieder, m)} / {kz.anteil_text(g.frauen_eintritte, m)}",
            "unter denen mit bekanntem Geschlecht",
        ),
        Kachel(
            "Medianalter",
            kz.median_text(g.median_alter, m, "Jahre"),
            _bei(g.median_alter.basis, m, "Mitgliedern mit Geburtsdatum"),
        ),
    ]


def _anteil_kurz(anteil: Anteil, m: int) -> str:
    return kz.anteil_text(anteil, m)


def _erster_tag(k: Kennzahlen) -> date | None:
    """The first recorded day of any step's kinds."""
    tage = [t for i in range(len(k.schritte)) if (t := k.daten_ab(i)) is not None]
    return min(tage) if tage else None


def _spaeter_text(k: Kennzahlen, schluessel: str, ab: date | None) -> str:
    weg = k.gesamt.ausgelassen.get(schluessel, 0)
    if not weg or ab is None:
        return ""
    return f"erst seit {dt.de(ab)} erfasst: {kz.zahl_de(weg)} früher Eingetretene nicht gezählt"


def inhalt(r: Bericht, charts: dict[str, Any], config: dict[str, Any]) -> list[Block]:
    """The report as a list of blocks, for all three outputs."""
    return [
        Block("ueberschrift", "Auf einen Blick", anker="ueberblick"),
        Block("kennzahlen", kacheln=kacheln(r)),
        *_auffaellig_bloecke(r),
        *_standard_bloecke(r, charts),
        *_rangfolge_bloecke(r),
        Block("ueberschrift", "Bestand und Bewegung", anker="bestand"),
        Block("tabelle", tabelle=_tabelle_bestand(r)),
        *_entwicklung_bloecke(r),
        *_praktiken_bloecke(r),
        *_methode_bloecke(r),
    ]


def _auffaellig_bloecke(r: Bericht) -> list[Block]:
    b = [Block("ueberschrift", "Was auffällt", anker="auffaellig")]
    if r.auffaelligkeiten:
        b.append(Block("liste", punkte=r.auffaelligkeiten))
    else:
        b.append(Block("absatz", f"Kein {EBENE_NAME[r.ebene]} weicht deutlich von den übrigen ab."))
    b += [Block("hinweis", hinweis) for hinweis in r.hinweise]
    return b


def _standard_bloecke(r: Bericht, charts: dict[str, Any]) -> list[Block]:
    standard, folgen = _tabellen_neumitglieder(r)
    b = [
        Block("ueberschrift", "Neumitglieder und Einarbeitungsstandard", anker="standard"),
        Block(
            "absatz",
            f"Zeitraum {r.kennzahlen.zeitraum.text()}. Je {EBENE_NAME[r.ebene]}: wie viele Neumitglieder die "
            "Schritte des Standards fristgerecht bekommen haben, wie schnell der erste persönliche Kontakt kam "
            "und wie viele ein Jahr nach dem Eintritt noch dabei waren.",
        ),
        Block("ueberschrift", "Der Standard", ebene=3),
        Block("tabelle", tabelle=standard),
    ]
    if charts.get("standard") is not None:
        b.append(Block("diagramm", diagramm=charts["standard"]))
    b.append(Block("ueberschrift", "Erster Kontakt, erste Veranstaltung, erstes Jahr", ebene=3))
    b.append(Block("tabelle", tabelle=folgen))
    b += [
        Block("diagramm", diagramm=charts[key]) for key in ("tage", "bindung") if charts.get(key) is not None
    ]
    return b


def _rangfolge_bloecke(r: Bericht) -> list[Block]:
    return [
        Block("ueberschrift", "Rangfolge", anker="rangfolge"),
        Block("absatz", kz.DEFINITION_RANGFOLGE.format(min=r.min_fallzahl)),
        Block("tabelle", tabelle=_tabelle_rangfolge(r)),
    ]


def _praktiken_bloecke(r: Bericht) -> list[Block]:
    b = [Block("ueberschrift", "Praktiken und Ergebnisse", anker="praktiken")]
    if r.vergleiche is None:
        b.append(
            Block(
                "absatz",
                "Für diesen Bericht liegt keine Umfrage zu den Praktiken der Ortsvereine vor. "
                "So geht es: mitglieder bericht --praktiken-vorlage umfrage.xlsx schreibt einen Fragebogen mit "
                "einer Zeile je Ortsverein; ausgefüllt zurück mit mitglieder bericht --praktiken umfrage.xlsx.",
            )
        )
        return b
    b.append(Block("hinweis", pr.HINWEIS_ZUSAMMENHANG))
    b.append(
        Block(
            "absatz",
            pr.DEFINITION_PRAKTIKEN.format(
                min=r.min_fallzahl, ziehungen=kz.zahl_de(pr.BOOTSTRAP_ZIEHUNGEN), min_ov=MIN_OV_TEXT
            ),
        )
    )
    for titel, tabelle, warum in _tabellen_praktiken(r):
        b.append(Block("ueberschrift", titel, ebene=3))
        if tabelle is not None:
            b.append(Block("tabelle", tabelle=tabelle))
        if warum:
            b.append(Block("absatz", warum))
    b.append(Block("ueberschrift", "Angaben der Ortsvereine", ebene=3))
    b.append(Block("tabelle", tabelle=_tabelle_praktiken_je_ov(r)))
    return b


METHODE_UEBERSICHT = (
    "Eintritte und Austritte zählen hier wie in „mitglieder uebersicht“: eine Mitgliedschaft beginnt im "
    "Ortsverein des Eintritts und endet in dem des Austritts; ein Wechsel ist weder Eintritt noch Austritt, wer "
    "austritt und später wieder eintritt, hat einen Austritt und einen neuen Eintritt. Für dieselben zwölf Monate "
    "zeigen beide dieselben Zahlen."
)


def _methode_bloecke(r: Bericht) -> list[Block]:
    k = r.kennzahlen
    m = r.min_fallzahl
    z = k.zeitraum
    return [
        Block("ueberschrift", "Methode", anker="methode"),
        Block(
            "absatz",
            f"Zeitraum: {z.text()} (beide Tage eingeschlossen); Stichtag {dt.de(r.stichtag)}. "
            "Ohne --von/--bis sind das die zwölf Monate bis zum Stichtag. Alle Zahlen beziehen sich auf "
            "das Ende des Zeitraums. Grundlage sind die importierten Mitgliederexporte"
            + (f" (Stand {dt.de(k.erster_stand)} bis {dt.de(k.letzter_stand)})" if k.erster_stand else "")
            + " und die erfassten Kontakte. Wer den Ortsverein gewechselt hat, zählt dort, wo er zum "
            "jeweiligen Zeitpunkt war.",
        ),
        Block("absatz", METHODE_UEBERSICHT),
        Block("definitionen", paare=[(d.titel, d.text) for d in kz.DEFINITIONEN.values()]),
        Block("absatz", "Der Einarbeitungsstandard (aus mitglieder.toml, Abschnitt [standard]):"),
        Block("liste", punkte=[kz.schritt_text(s) for s in k.schritte]),
        Block("absatz", "Persönlicher Kontakt: " + ", ".join(BERICHT_NAMEN[a] for a in PERSOENLICH) + "."),
        Block("absatz", _kontakte_text(k, m)),
        Block("absatz", kz.DEFINITION_INTERVALL),
        Block("absatz", kz.DEFINITION_AUFFAELLIG.format(min=m)),
        Block(
            "absatz",
            f"Datenschutz: Der Bericht enthält keine Namen und keine Mitgliedsnummern. Zahlen "
            f"unter {m} erscheinen als „< {m}“, Anteile und Mediane, die auf weniger als {m} Mitgliedern "
            f"beruhen, als „–“ (einstellbar: [bericht] min_fallzahl). Die {EBENE_MEHRZAHL[r.ebene]} sind "
            "alphabetisch geordnet.",
        ),
    ]


# --------------------------------------------------------------------------------------------------------------
# The title of all three files


def _titel(r: Bericht, config: dict[str, Any]) -> tuple[str, str]:
    partei, name = config["organisation"].get("partei"), config["organisation"].get("name")
    # the name usually contains the party already ("SPD Unterbezirk Musterstadt"): never "SPD SPD …"
    organisation = name if partei and name and partei in name else " ".join(x for x in (partei, name) if x)
    titel = f"Neumitgliederarbeit im Vergleich der {EBENE_MEHRZAHL[r.ebene]}"
    z = r.kennzahlen.zeitraum
    unter = f"Zeitraum {z.text()} · Stichtag {dt.de(r.stichtag)}"
    if organisation:
        unter = f"{organisation} · {unter}"
    return titel, unter
