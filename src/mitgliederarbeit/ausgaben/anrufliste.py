"""``mitglieder anrufliste``: an xlsx call list for volunteers, one sheet per caller.

Members of one Ortsverein stay together on one caller's sheet; an Ortsverein is split only when it alone is larger
than a fair share. Ortsvereine go to callers largest first, each to the caller with the fewest calls so far.
Within a sheet: Ortsvereine alphabetically, newest members first.

Nothing beyond what a call needs leaves the store: no address, no birth date (the age in years), no e-mail,
no bank or dues data. A hidden metadata sheet holds the list's id, the callers and every member number with its
sheet, so ``mitglieder import`` can take the results back even when callers sort rows or move columns.
"""

from __future__ import annotations

import math
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from mitgliederarbeit import datum as dt
from mitgliederarbeit.auswertung import segmente
from mitgliederarbeit.bestand import speicher
from mitgliederarbeit.bestand.anrufergebnisse import ERGEBNISSE
from mitgliederarbeit.errors import BedienFehler, KonfigFehler
from mitgliederarbeit.ordner import Arbeitsordner

MITMACHEN = ["ja", "vielleicht", "nein"]

SPALTEN = [
    "Nr",
    "Mitgliedsnummer",
    "Vorname",
    "Nachname",
    "Ortsverein",
    "Mitglied seit",
    "Alter",
    "Telefon",
    "Mobil",
    "Bisherige Versuche",
    "Ergebnis",
    "Datum",
    "Interessen",
    "möchte mitmachen",
    "Notiz",
]
# Narrow enough that a printed sheet (landscape, fitted to the page width) stays readable at about 8 pt.
_BREITEN: dict[int, float] = {
    0: 4,
    1: 11,
    2: 12,
    3: 14,
    4: 13,
    5: 10,
    6: 5,
    7: 14,
    8: 14,
    9: 8,
    10: 18,
    11: 10,
    12: 18,
    13: 10,
    14: 24,
}

# Reasons a member of the segment is left out, in the order they are checked -> German for the summary.
GRUENDE: dict[str, str] = {
    "kein_anruf": "kein Anruf gewünscht",
    "will_austreten": "mit Austrittswunsch (bitte persönlich nachfassen)",
    "kein_telefon": "ohne Telefonnummer",
    "falsche_nummer": "nur mit falscher Nummer",
    "max_versuche": "nach {max_versuche} vergeblichen Versuchen",
    "sperrfrist": "in den letzten {sperrfrist_tage} Tagen schon angerufen",
}
LEITFADEN_BLATT = "Gesprächsleitfaden"
DATENSCHUTZ_BLATT = "Datenschutz"
_VERBOTEN = re.compile(r"[\[\]:*?/\\]")


@dataclass
class Anrufliste:
    """What ``anrufliste`` wrote (the ``--json`` keys ``datei``, ``anrufer``, ``eintraege``, ``ausgelassen``)."""

    datei: Path | None
    segment: str
    beschreibung: str
    stichtag: date
    anrufer: list[str]
    je_anrufer: dict[str, int]
    eintraege: int
    im_segment: int
    ausgelassen: dict[str, int]
    schon_erreicht: int
    loeschen_am: date
    liste: str
    ortsvereine: list[str] | None = None
    warnungen: list[str] = field(default_factory=list)
    config: dict[str, Any] = field(default_factory=dict, repr=False)

    def as_json(self) -> dict[str, Any]:
        return {
            "datei": str(self.datei) if self.datei else None,
            "anrufer": self.anrufer,
            "eintraege": self.eintraege,
            "ausgelassen": self.ausgelassen,
            "segment": self.segment,
            "im_segment": self.im_segment,
            "je_anrufer": self.je_anrufer,
            "schon_erreicht": self.schon_erreicht,
            "loeschen_am": self.loeschen_am.isoformat(),
            "liste": self.liste,
            "warnungen": self.warnungen,
        }

    def grund_text(self, grund: str) -> str:
        return GRUENDE[grund].format(**self.config.get("anrufliste", {}))


# --------------------------------------------------------------------------------------------------------------
# who is called, by whom
# --------------------------------------------------------------------------------------------------------------


def _grund(m: dict[str, Any], tag: date, max_versuche: int, sperrfrist: int) -> str | None:
    """Why a member of the segment is not called now, or None."""
    if m["kein_anruf"] or m["sperre_anruf"]:
        return "kein_anruf"
    if m["will_austreten"]:
        return "will_austreten"
    if not m["telefon"] and not m["mobil"]:
        return "kein_telefon"
    if not (m["telefon"] and not m["telefon_falsch"]) and not (m["mobil"] and not m["mobil_falsch"]):
        return "falsche_nummer"
    if max_versuche and m["versuche"] >= max_versuche:
        return "max_versuche"
    if m["letzter_anruf"] is not None and (tag - m["letzter_anruf"]).days < sperrfrist:
        return "sperrfrist"
    return None


def anrufer_namen(
    anrufer: list[str] | None, anzahl: int | None, config: dict[str, Any]
) -> tuple[list[str], bool]:
    """(caller names, whether they are real names). ``--anrufer`` and ``--anrufer-anzahl`` must agree."""
    namen = [n.strip() for a in (anrufer or []) for n in a.split(",") if n.strip()]
    if anzahl is not None and anzahl < 1:
        raise BedienFehler("--anrufer-anzahl muss mindestens 1 sein.")
    if namen:
        if anzahl is not None and anzahl != len(namen):
            raise BedienFehler(
                f"--anrufer nennt {len(namen)} Namen, --anrufer-anzahl sagt {anzahl}. Bitte nur eines angeben."
            )
    elif anzahl is not None:
        return (["Anrufliste"] if anzahl == 1 else [f"Liste {i}" for i in range(1, anzahl + 1)]), False
    else:
        namen = [n.strip() for n in config["anrufliste"]["anrufer"] if n.strip()]
        if not namen:
            return ["Anrufliste"], False
    doppelt = {n for n in namen if namen.count(n) > 1}
    if doppelt:
        raise BedienFehler(f"--anrufer: „{sorted(doppelt)[0]}“ steht doppelt in der Liste.")
    return namen, True


def _blattnamen(anrufer: list[str]) -> list[str]:
    """Sheet names for the callers: Excel forbids []:*?/\\ and more than 31 characters; names must differ."""
    reserviert = {LEITFADEN_BLATT.casefold(), DATENSCHUTZ_BLATT.casefold(), "_mitgliederarbeit"}
    result: list[str] = []
    for name in anrufer:
        base = _VERBOTEN.sub("-", name).strip("' ")[:31] or "Anrufer"
        candidate, i = base, 2
        while candidate.casefold() in reserviert or candidate.casefold() in {r.casefold() for r in result}:
            candidate = f"{base[: 31 - len(str(i)) - 1]} {i}"
            i += 1
        result.append(candidate)
    return result


def verteilen(mitglieder: list[dict[str, Any]], anzahl: int) -> list[list[dict[str, Any]]]:
    """Split the members among ``anzahl`` callers: Ortsvereine kept together, load balanced (greedy, largest first).

    An Ortsverein larger than a fair share (total / callers, rounded up) is cut into parts of that share and a
    rest. Each sheet lists its Ortsvereine alphabetically, newest members first.
    """
    gruppen: dict[str, list[dict[str, Any]]] = {}
    for m in mitglieder:
        gruppen.setdefault(m["ortsverein"], []).append(m)
    for gruppe in gruppen.values():
        gruppe.sort(key=lambda m: ((m["nachname"] or "").casefold(), (m["vorname"] or "").casefold()))
        gruppe.sort(key=lambda m: m["eintrittsdatum"], reverse=True)  # stable: names stay A–Z within a day
    anteil = max(1, math.ceil(len(mitglieder) / anzahl))
    stuecke: list[tuple[str, list[dict[str, Any]]]] = []
    for ov, gruppe in gruppen.items():
        # full shares, and the rest stays small enough to fill up another caller's sheet
        for start in range(0, len(gruppe), anteil):
            stuecke.append((ov, gruppe[start : start + anteil]))
    stuecke.sort(key=lambda s: (-len(s[1]), s[0].casefold()))
    blaetter: list[list[tuple[str, list[dict[str, Any]]]]] = [[] for _ in range(anzahl)]
    last = [0] * anzahl
    for ov, teil in stuecke:
        i = min(range(anzahl), key=lambda k: (last[k], k))
        blaetter[i].append((ov, teil))
        last[i] += len(teil)
    result = []
    for blatt in blaetter:
        # the parts of a split Ortsverein keep their order (newest first) because sort is stable
        blatt.sort(key=lambda s: s[0].casefold())
        result.append([m for _, teil in blatt for m in teil])
    return result


# --------------------------------------------------------------------------------------------------------------
# the sheets
# --------------------------------------------------------------------------------------------------------------


def _leitfaden(ordner: Arbeitsordner) -> list[str]:
    config = ordner.config
    eigen = config["anrufliste"]["leitfaden"]
    if eigen:
        path = Path(eigen).expanduser()
        if not path.is_absolute():
            path = ordner.pfad / path
        if not path.is_file():
            raise KonfigFehler(
                f"mitglieder.toml: „anrufliste.leitfaden“ = „{eigen}“: die Datei {path} gibt es nicht.",
                hint="Bitte den Pfad prüfen oder den Eintrag leeren, dann gilt der mitgelieferte Leitfaden.",
            )
    else:
        from mitgliederarbeit.vorlagen import vorlagen_ordner

        path = vorlagen_ordner() / "gespraechsleitfaden.md"
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise KonfigFehler(f"Der Gesprächsleitfaden {path} kann nicht gelesen werden ({exc}).") from None
    org = config["organisation"]
    werte = {
        "organisation": org["name"] or org["partei"] or "deinem Ortsverein",
        "partei": org["partei"] or "der Partei",
        "funktion": org["funktion"],
        "unterschrift": org["unterschrift"],
    }
    zeilen: list[str] = []
    for line in text.splitlines():
        line = line.rstrip()
        for key, value in werte.items():
            line = line.replace("{" + key + "}", value)
        line = re.sub(r"^#+\s*", "", line)
        line = re.sub(r"^\s*[-*]\s+", "• ", line)
        line = line.replace("**", "").replace("__", "")
        if line or (zeilen and zeilen[-1]):
            zeilen.append(line)
    return zeilen or ["Gesprächsleitfaden"]


def _datenschutz(ergebnis: Anrufliste, namen: list[str], echte_namen: bool) -> list[str]:
    wer = ", ".join(namen) if echte_namen else "die Anrufenden, denen ein Blatt dieser Liste gegeben wurde"
    return [
        "Datenschutz – bitte vor dem ersten Anruf lesen",
        "Diese Liste enthält personenbezogene Daten von Parteimitgliedern. Schon die Mitgliedschaft in einer Partei "
        "verrät eine politische Meinung; sie ist nach Art. 9 DSGVO besonders geschützt.",
        f"Zweck: ausschließlich die Telefonaktion „{ergebnis.segment}“ ({ergebnis.beschreibung}), Liste vom "
        f"{dt.de(ergebnis.stichtag)}. Jede andere Verwendung ist nicht erlaubt.",
        f"Wer die Liste sehen darf: {wer} – jeweils nur das eigene Blatt – und die oder der "
        "Mitgliederbeauftragte. Nicht weitergeben, nicht in Gruppen-Chats oder Clouds teilen, nicht ausdrucken "
        "und liegen lassen.",
        "Notizen: nur, was für die Betreuung nötig ist (Rückrufwunsch, Interessen, ob jemand mitmachen möchte). "
        "Keine Meinungen oder politischen Positionen, nichts über Gesundheit, Religion oder Privates.",
        "Wer nicht angerufen werden möchte, bekommt „kein Anruf gewünscht“ – dann wird die Person nicht wieder "
        "angerufen.",
        f"Löschen: spätestens am {dt.de(ergebnis.loeschen_am)} diese Datei und alle Kopien löschen (auch "
        "Downloads, E-Mail-Anhänge und Ausdrucke).",
        "Zurückgeben: die ausgefüllte Datei an die oder den Mitgliederbeauftragten; sie wird mit "
        "„mitglieder import DATEI“ übernommen. Blätter, Spalten und Zeilen dürfen dabei sortiert oder verschoben "
        "werden; das versteckte Blatt „_mitgliederarbeit“ bitte nicht löschen.",
    ]


def _zeile(nr: int, m: dict[str, Any], anzeige: Callable[[str], str]) -> list[object]:
    """One row of a caller's sheet: numbers flagged as wrong stay empty; ``anzeige`` shows the others as people
    write them."""
    telefon, mobil = m["telefon"], m["mobil"]
    return [
        nr,
        m["mitgliedsnummer"],
        m["vorname"],
        m["nachname"],
        m["ortsverein"],
        date.fromisoformat(m["eintrittsdatum"]),
        m["alter"],
        anzeige(telefon) if telefon and not m["telefon_falsch"] else None,
        anzeige(mobil) if mobil and not m["mobil_falsch"] else None,
        m["versuche"],
        None,
        None,
        None,
        None,
        None,
    ]


def anrufliste(
    ordner: Arbeitsordner,
    *,
    segment: str | None = None,
    anrufer: list[str] | None = None,
    anrufer_anzahl: int | None = None,
    ortsverein: list[str] | None = None,
    ausgabe: Path | None = None,
    fortschritt: Callable[[int, int], None] | None = None,
) -> Anrufliste:
    """Make a call list for a segment (default from the config: ``neu-ohne-kontakt``) and write it as xlsx."""
    from mitgliederarbeit import dateien as out

    config = ordner.config
    name = segmente.pruefen(segment or config["anrufliste"]["segment"], config)
    namen, echte_namen = anrufer_namen(anrufer, anrufer_anzahl, config)
    if ausgabe is not None:
        if ausgabe.suffix.lower() != ".xlsx":
            raise BedienFehler(f"--ausgabe {ausgabe.name}: eine Anrufliste wird als .xlsx gespeichert.")
        out.ziel_pruefen(ausgabe)
    tag = ordner.stichtag
    auswahl = segmente.auswaehlen(ordner, name, ortsverein=ortsverein, schon_erreicht=True)
    einstellungen = config["anrufliste"]
    ausgelassen = dict.fromkeys(GRUENDE, 0)
    anrufen = []
    for m in auswahl.mitglieder:
        grund = _grund(m, tag, einstellungen["max_versuche"], einstellungen["sperrfrist_tage"])
        if grund:
            ausgelassen[grund] += 1
        else:
            anrufen.append(m)
    ausgelassen = {k: v for k, v in ausgelassen.items() if v}
    result = Anrufliste(
        datei=None,
        segment=name,
        beschreibung=auswahl.beschreibung,
        stichtag=tag,
        anrufer=namen,
        je_anrufer=dict.fromkeys(namen, 0),
        eintraege=len(anrufen),
        im_segment=auswahl.anzahl,
        ausgelassen=ausgelassen,
        schon_erreicht=auswahl.schon_erreicht or 0,
        loeschen_am=tag + timedelta(days=einstellungen["loeschfrist_tage"]),
        liste=secrets.token_hex(6),
        ortsvereine=auswahl.ortsvereine,
        warnungen=list(auswahl.warnungen),
        config=config,
    )
    if not anrufen:
        return result

    from mitgliederarbeit.einlesen.normalisieren import telefon_anzeige

    verteilt = verteilen(anrufen, len(namen))
    blattnamen = _blattnamen(namen)
    meta = {
        "art": "anrufliste",
        "version": "1",
        "liste": result.liste,
        "erstellt": datetime.now().isoformat(timespec="seconds"),
        "stichtag": tag.isoformat(),
        "segment": name,
        "ortsverein": ", ".join(auswahl.ortsvereine or []),
        "loeschen_am": result.loeschen_am.isoformat(),
    }
    ergebnis_spalte = SPALTEN.index("Ergebnis")
    tabellen = []
    for i, (anrufer_name, blatt, teil) in enumerate(zip(namen, blattnamen, verteilt), start=1):
        result.je_anrufer[anrufer_name] = len(teil)
        if not teil:
            continue
        meta[f"blatt.{i}"] = blatt
        meta[f"anrufer.{i}"] = anrufer_name if echte_namen else ""
        for m in teil:
            meta[f"m.{m['nr']}"] = str(i)
        tabellen.append(
            out.Tabelle(
                name=blatt,
                spalten=SPALTEN,
                zeilen=[_zeile(nr, m, telefon_anzeige) for nr, m in enumerate(teil, start=1)],
                breiten=_BREITEN,
                auswahl={
                    ergebnis_spalte: list(ERGEBNISSE.values()),
                    SPALTEN.index("möchte mitmachen"): MITMACHEN,
                },
            )
        )
    tabellen.append(out.Tabelle(LEITFADEN_BLATT, [], [], text_zeilen=_leitfaden(ordner)))
    tabellen.append(
        out.Tabelle(DATENSCHUTZ_BLATT, [], [], text_zeilen=_datenschutz(result, namen, echte_namen))
    )
    path = ausgabe or ordner.ausgabe_datei("anrufliste", ".xlsx")
    if fortschritt:
        fortschritt(0, result.eintraege)
    result.datei = out.xlsx(path, tabellen, meta)
    if fortschritt:
        fortschritt(result.eintraege, result.eintraege)
    store = speicher.oeffnen(ordner.pfad)
    try:
        with store.transaktion(sichern=False) as conn:  # only the log changes
            speicher.protokollieren(conn, "anrufliste", name, result.eintraege, result.datei)
    finally:
        store.close()
    return result
