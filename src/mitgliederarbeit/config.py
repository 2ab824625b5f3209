"""``mitglieder.toml``: defaults, validation (a wrong key names its line), and the commented file of ``init``.

The validated config is a plain nested dict with every default filled in, so the rest of the code can read
``config["anrufliste"]["max_versuche"]`` without checks.
"""

from __future__ import annotations

import copy
import re
import sys
from pathlib import Path
from typing import Any

from mitgliederarbeit.errors import KonfigFehler, grund
from mitgliederarbeit.felder import NAMEN as FELDER
from mitgliederarbeit.kontaktarten import KONTAKTARTEN, PERSOENLICH

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

KONFIG_DATEI = "mitglieder.toml"


_STANDARD_136 = [
    {"name": "Erstkontakt (Monat 1)", "arten": list(PERSOENLICH), "frist_tage": 30, "anzahl": 1},
    {"name": "Parteibuch (Monat 3)", "arten": ["parteibuch"], "frist_tage": 91, "anzahl": 1},
    {"name": "Zweitkontakt (Monat 6)", "arten": list(PERSOENLICH), "frist_tage": 182, "anzahl": 2},
]

# key -> default; the type of the default is the type a value must have (lists hold strings).
SCHEMA: dict[str, dict[str, Any]] = {
    "organisation": {
        "partei": "",
        "name": "",
        "absender_zeile": "",
        "telefon": "",
        "email": "",
        "webseite": "",
        "unterschrift": "",
        "funktion": "Mitgliederbeauftragte*r",
    },
    "anrede": {
        "ansprache": "du",
        "w": "Liebe {vorname},",
        "m": "Lieber {vorname},",
        "d": "Hallo {vorname} {nachname},",
        "unbekannt": "Hallo {vorname} {nachname},",
    },
    "segmente": {
        "neu_monate": 6,
        "inaktiv_monate": 12,
        "kontakt_monate": 12,
        "faellig_vorlauf_tage": 7,
    },
    "anrufliste": {
        "segment": "neu-ohne-kontakt",
        "anrufer": [],
        "max_versuche": 3,
        "sperrfrist_tage": 7,
        "loeschfrist_tage": 30,
        "leitfaden": "",
    },
    "briefe": {
        "segment": "neu-ohne-brief",
        "betreff": "Willkommen in der {partei}!",
        "vorlage": "",
    },
    "bericht": {
        "min_fallzahl": 5,
    },
    "datenschutz": {
        "aufbewahrung_monate": 24,
    },
}

# Sections whose keys are names the user chooses, each holding a table of known keys.
ORTSVEREIN_SCHLUESSEL = {"ansprechperson": "", "telefon": "", "email": "", "naechstes_treffen": ""}
EIGENES_SEGMENT_SCHLUESSEL: dict[str, Any] = {
    "basis": "alle",
    "beschreibung": "",
    "ortsverein": [],
    "unterbezirk": [],
    "geschlecht": [],
    "alter_von": 0,
    "alter_bis": 0,
    "eintritt_von": "",
    "eintritt_bis": "",
    "mit_telefon": False,
    "mit_email": False,
    "mit_anschrift": False,
    "interessen": [],
}
SCHRITT_SCHLUESSEL: dict[str, Any] = {"name": "", "arten": [], "frist_tage": 0, "anzahl": 1}


def defaults() -> dict[str, Any]:
    config = copy.deepcopy(SCHEMA)
    config["ortsvereine"] = {}
    config["segmente"]["eigene"] = {}
    config["standard"] = {"schritte": copy.deepcopy(_STANDARD_136)}
    config["import"] = {"spalten": {}, "ortsverein": None}
    return config


def _type_name(value: Any) -> str:
    return {
        bool: "ja/nein (true/false)",
        int: "eine ganze Zahl",
        str: "ein Text in Anführungszeichen",
        list: 'eine Liste, z. B. ["a", "b"]',
        dict: "eine Tabelle",
    }.get(type(value), type(value).__name__)


class _Locator:
    """Finds the line of a key in the raw TOML text, for messages (tomllib keeps no positions)."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()

    def line_of(self, path: list[str]) -> int | None:
        table: list[str] = []
        key = path[-1]
        parent = path[:-1]
        header = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
        for number, line in enumerate(self.lines, start=1):
            if m := header.match(line):
                table = [
                    part.strip().strip('"') for part in re.split(r"\.(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)", m[1])
                ]
                if table == path:
                    return number
                continue
            m = re.match(r'^\s*"?([^"=]+?)"?\s*=', line)
            if m and m[1].strip() == key and table == parent:
                return number
        return None


def _fail(locator: _Locator, path: list[str], message: str) -> KonfigFehler:
    line = locator.line_of(path)
    where = f"{KONFIG_DATEI}, Zeile {line}" if line else KONFIG_DATEI
    return KonfigFehler(f"{where}: {message}")


def _check_value(locator: _Locator, path: list[str], value: Any, default: Any) -> Any:
    name = ".".join(path)
    if isinstance(default, bool):
        ok = isinstance(value, bool)
    elif isinstance(default, int):
        ok = isinstance(value, int) and not isinstance(value, bool)
    else:
        ok = isinstance(value, type(default))
    if not ok:
        raise _fail(locator, path, f"„{name}“ muss {_type_name(default)} sein, nicht „{value}“.")
    if isinstance(default, list) and not all(isinstance(item, str) for item in value):
        raise _fail(locator, path, f"„{name}“ muss eine Liste von Texten sein.")
    if isinstance(default, int) and not isinstance(default, bool) and value < 0:
        raise _fail(locator, path, f"„{name}“ darf nicht negativ sein.")
    if (
        isinstance(default, int)
        and not isinstance(default, bool)
        and value > (hoechstens := _hoechstens(path[-1]))
    ):
        raise _fail(locator, path, f"„{name}“ ist zu groß: höchstens {hoechstens}.")
    return value


def _hoechstens(key: str) -> int:
    """The largest sensible value of a number: a month or day count of a hundred years, an age of 150 (larger
    ones overflow the calendar: 9999999999 months before the Stichtag is no date)."""
    if key.endswith("_monate"):
        return 1200
    if key.endswith("_tage"):
        return 36500
    if key.startswith("alter_"):
        return 150
    return 1_000_000


def _merge_table(locator: _Locator, path: list[str], given: Any, schema: dict[str, Any]) -> dict[str, Any]:
    if not isinstance(given, dict):
        raise _fail(locator, path, f"„{'.'.join(path)}“ muss eine Tabelle sein ([{'.'.join(path)}]).")
    result = copy.deepcopy(schema)
    for key, value in given.items():
        if key not in schema:
            known = ", ".join(sorted(schema))
            raise _fail(
                locator, [*path, key], f"unbekannter Schlüssel „{'.'.join([*path, key])}“. Erlaubt: {known}."
            )
        result[key] = _check_value(locator, [*path, key], value, schema[key])
    return result


def validate(raw: dict[str, Any], text: str = "") -> dict[str, Any]:
    """Check a parsed TOML document against the schema and fill in the defaults."""
    locator = _Locator(text)
    config = defaults()
    known = set(SCHEMA) | {"ortsvereine", "standard", "import"}
    for section, value in raw.items():
        if section not in known:
            raise _fail(
                locator, [section], f"unbekannter Abschnitt „{section}“. Erlaubt: {', '.join(sorted(known))}."
            )
        if section in SCHEMA:
            given = dict(value) if isinstance(value, dict) else value
            eigene = given.pop("eigene", None) if section == "segmente" and isinstance(given, dict) else None
            config[section] = _merge_table(locator, [section], given, SCHEMA[section])
            if section == "segmente":
                config["segmente"]["eigene"] = _custom_segments(locator, eigene or {})
        elif section == "ortsvereine":
            if not isinstance(value, dict):
                raise _fail(
                    locator,
                    [section],
                    '„ortsvereine“ muss Tabellen enthalten, z. B. [ortsvereine."Altstadt"].',
                )
            config["ortsvereine"] = {
                name: _merge_table(locator, ["ortsvereine", name], table, ORTSVEREIN_SCHLUESSEL)
                for name, table in value.items()
            }
        elif section == "standard":
            config["standard"] = _standard(locator, value)
        elif section == "import":
            config["import"] = _import(locator, value)
    return config


def _custom_segments(locator: _Locator, given: Any) -> dict[str, Any]:
    if not isinstance(given, dict):
        raise _fail(locator, ["segmente", "eigene"], "„segmente.eigene“ muss Tabellen enthalten.")
    result = {}
    for name, table in given.items():
        if not re.fullmatch(r"[a-z0-9äöüß][a-z0-9äöüß_-]*", name):
            raise _fail(
                locator,
                ["segmente", "eigene", name],
                f"Segmentname „{name}“: bitte nur Kleinbuchstaben, Ziffern und Bindestriche.",
            )
        result[name] = _merge_table(locator, ["segmente", "eigene", name], table, EIGENES_SEGMENT_SCHLUESSEL)
    return result


def _standard(locator: _Locator, value: Any) -> dict[str, Any]:
    if not isinstance(value, dict) or set(value) - {"schritte"}:
        raise _fail(locator, ["standard"], "„standard“ kennt nur „schritte“ ([[standard.schritte]]).")
    steps = value.get("schritte", [])
    if not isinstance(steps, list) or not steps:
        raise _fail(locator, ["standard"], "„standard.schritte“ braucht mindestens einen Schritt.")
    result = []
    for step in steps:
        merged = _merge_table(locator, ["standard", "schritte"], step, SCHRITT_SCHLUESSEL)
        if not merged["name"] or merged["frist_tage"] <= 0 or not merged["arten"]:
            raise _fail(
                locator,
                ["standard", "schritte"],
                "jeder Schritt braucht „name“, „arten“ und „frist_tage“ (größer als 0).",
            )
        unknown = [art for art in merged["arten"] if art not in KONTAKTARTEN]
        if unknown:
            raise _fail(
                locator,
                ["standard", "schritte"],
                f"unbekannte Kontaktart „{unknown[0]}“. Erlaubt: {', '.join(KONTAKTARTEN)}.",
            )
        merged["anzahl"] = max(1, merged["anzahl"])
        result.append(merged)
    return {"schritte": result}


def _import(locator: _Locator, value: Any) -> dict[str, Any]:
    if not isinstance(value, dict) or set(value) - {"spalten", "ortsverein"}:
        raise _fail(locator, ["import"], "„import“ kennt nur „ortsverein“ und die Tabelle [import.spalten].")
    ortsverein = value.get("ortsverein")
    if ortsverein is not None and (not isinstance(ortsverein, str) or not ortsverein.strip()):
        raise _fail(locator, ["import", "ortsverein"], "„import.ortsverein“ muss ein Name sein (Text).")
    spalten = value.get("spalten", {})
    result: dict[str, list[str]] = {}
    for field, names in spalten.items():
        if field not in FELDER:
            raise _fail(
                locator,
                ["import", "spalten", field],
                f"unbekanntes Feld „{field}“ in [import.spalten]. Erlaubt: {', '.join(FELDER)}.",
            )
        if isinstance(names, str):
            names = [names]
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise _fail(
                locator,
                ["import", "spalten", field],
                f"„import.spalten.{field}“ muss ein Text oder eine Liste sein.",
            )
        result[field] = names
    return {"spalten": result, "ortsverein": ortsverein}


def load(folder: Path) -> dict[str, Any]:
    """Read ``mitglieder.toml`` from the working folder; defaults when there is none."""
    path = folder / KONFIG_DATEI
    if not path.exists():
        return defaults()
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise KonfigFehler(
            f"{path}: die Datei ist nicht in UTF-8 gespeichert. Bitte als UTF-8 speichern."
        ) from None
    except OSError as exc:
        raise KonfigFehler(f"{path} kann nicht gelesen werden: {grund(exc)}.") from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise KonfigFehler(
            f"{path}{toml_fehler(str(exc))}.",
            hint="Texte brauchen Anführungszeichen, Abschnitte stehen in [eckigen Klammern].",
        ) from None
    return validate(raw, text)


# tomllib's messages, in German (its text names no position in a way a volunteer reads)
_TOML_TEXTE: list[tuple[str, str]] = [
    (r"Cannot overwrite a value", "ein Schlüssel steht doppelt"),
    (r"Escaped character is not a Unicode scalar value", "ungültige Escape-Folge (\\u…) in einem Text"),
    (r"Expected '=' after a key in a key/value pair", "nach dem Schlüssel fehlt „=“"),
    (
        r"Expected '\]' at the end of a table declaration",
        "die Abschnittsüberschrift wird nicht mit „]“ geschlossen",
    ),
    (
        r"Expected '\]\]' at the end of an array declaration",
        "die Überschrift wird nicht mit „]]“ geschlossen",
    ),
    (
        r"Expected newline or end of document after a statement",
        "hinter dem Wert steht noch etwas in derselben Zeile",
    ),
    (r"Invalid date or datetime", "ungültiges Datum"),
    (r"Invalid hex value", "ungültige Hex-Zahl"),
    (r"Invalid initial character for a key part", "ein Schlüssel beginnt mit einem unerlaubten Zeichen"),
    (r"Invalid statement", "die Zeile ist weder „schluessel = wert“ noch eine [Abschnitt]-Überschrift"),
    (r"Invalid value", "ungültiger Wert (Texte stehen in Anführungszeichen, ja/nein heißt true/false)"),
    (r"Unclosed array", "eine Liste [ … ] wird nicht geschlossen"),
    (r"Unclosed inline table", "eine Tabelle { … } wird nicht geschlossen"),
    (
        r"Unescaped '\\' in a string",
        "ein „\\“ in einem Text: bitte „\\\\“ schreiben oder einfache Anführungszeichen",
    ),
    (r"Unterminated string", "ein Text wird nicht mit Anführungszeichen geschlossen"),
    (r"Cannot declare \(?(.*?),?\)? twice", "der Abschnitt [{0}] steht doppelt"),
    (r"Cannot (mutate immutable|redefine) namespace", "ein Abschnitt oder Schlüssel wird doppelt festgelegt"),
    (r"Duplicate inline table key", "ein Schlüssel steht doppelt"),
    (r"Expected (.*)", "hier fehlt „{0}“"),
    (r"Illegal character '\\n'", "ein Text wird nicht in derselben Zeile mit Anführungszeichen geschlossen"),
    (r"(Found invalid|Illegal) character", "ein unerlaubtes Zeichen"),
]


def toml_fehler(text: str) -> str:
    """tomllib's message as ``", Zeile 3, Spalte 5: nach dem Schlüssel fehlt „=“"`` (to follow a file name)."""
    where = ""
    if m := re.search(r"\s*\(at line (\d+), column (\d+)\)$", text):
        where, text = f", Zeile {m[1]}, Spalte {m[2]}", text[: m.start()]
    elif m := re.search(r"\s*\(at end of document\)$", text):
        where, text = " (am Ende der Datei)", text[: m.start()]
    for muster, deutsch in _TOML_TEXTE:
        if t := re.match(muster, text):
            # ('a', 'b') -> a.b; "'" -> '
            teile = [".".join(re.findall(r"'([^']*)'", g)) or g.strip('"') for g in t.groups()[:1]]
            return f"{where}: ungültiges TOML – {deutsch.format(*teile) if teile else deutsch}"
    return f"{where}: ungültiges TOML"


def spalten_speichern(folder: Path, zuordnung: dict[str, str]) -> tuple[Path, list[str]]:
    """Add column names to ``[import.spalten]`` of ``mitglieder.toml`` (made if there is none): a line
    ``feld = ["Quelle"]`` under the table's header, the rest of the file as it was. A field the table already
    names is left alone (returned, so the caller can say so); the file is checked before it replaces the old one.
    """
    import json
    import os

    path = folder / KONFIG_DATEI
    text = path.read_text(encoding="utf-8-sig") if path.exists() else ""
    vorhanden = load(folder)["import"]["spalten"]
    uebersprungen = [f for f in zuordnung if f in vorhanden]
    zeilen = [
        f"{feld} = [{json.dumps(quelle, ensure_ascii=False)}]"
        for feld, quelle in zuordnung.items()
        if feld not in vorhanden
    ]
    if not zeilen:
        return path, uebersprungen
    kopf = re.search(r"^[ \t]*\[[ \t]*import[ \t]*\.[ \t]*spalten[ \t]*\][^\n]*\n?", text, re.M)
    if kopf:
        neu = text[: kopf.end()] + ("" if text[: kopf.end()].endswith("\n") else "\n")
        neu += "\n".join(zeilen) + "\n" + text[kopf.end() :]
    else:
        neu = text + ("\n" if text and not text.endswith("\n") else "")
        neu += "\n[import.spalten]\n" + "\n".join(zeilen) + "\n"
    try:
        validate(tomllib.loads(neu), neu)
    except (tomllib.TOMLDecodeError, KonfigFehler):
        raise KonfigFehler(
            f"{path}: die Zuordnung lässt sich nicht automatisch eintragen (die Datei ist anders aufgebaut).",
            hint="Bitte von Hand unter [import.spalten] eintragen: " + "; ".join(zeilen),
        ) from None
    vorlaeufig = path.with_name(f".{path.name}.{os.getpid()}.neu")
    vorlaeufig.write_text(neu, encoding="utf-8")
    os.replace(vorlaeufig, path)
    return path, uebersprungen


def init_text() -> str:
    """The commented ``mitglieder.toml`` that ``mitglieder init`` writes."""
    from mitgliederarbeit.vorlagen import vorlagen_ordner

    return (vorlagen_ordner() / "mitglieder.toml").read_text(encoding="utf-8")
