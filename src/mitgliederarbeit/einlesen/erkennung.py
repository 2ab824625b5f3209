"""Which column holds which field: header names first, then the column contents. Pure functions, no I/O.

A header matches a field, from the surest to the loosest way (a lower ``rang`` is surer):

0. the user's own mapping (``--spalte``), 1. a name from ``[import.spalten]``, 2. a synonym, 3. a numbered
synonym ("Telefon_2"), 4. an abbreviation of a synonym ("Eintrittsdat.", "Geb.-Dat."), 5. a known stem inside a
compound ("Gliederungsname", "Telefonnummer Mobil"), 6. for the member number only: a name that says "number" or
"id" ("CiviCRM ID", "Kontakt-ID"). Each is tried on the header as written and without a prefix that most headers
share (jVerein's ``mitglied_…``).

Then a sample of the rows below the header decides: a candidate whose values do not fit the field (text in a
date column) drops out, a mostly empty one loses against a filled one, and for the member number a running row
count (1, 2, 3, …) is never taken. Two candidates that are equally good and hold different values are *unklar*:
for a required field the import stops and names them, for any other field the fuller one is taken and the
other is named beside it in the summary. A column without a matching name is never mapped by its contents
alone; contents only name it as a suggestion in the message about a missing or empty required field.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from mitgliederarbeit import datum as dt
from mitgliederarbeit.einlesen.normalisieren import ist_nulldatum, parse_flag
from mitgliederarbeit.felder import DATUMSFELDER
from mitgliederarbeit.felder import PFLICHT as FELD_PFLICHT
from mitgliederarbeit.nummern import nummer_key
from mitgliederarbeit.zahlen import mal

# how a header matched (shown in the reasons)
EIGENE = "eigene Zuordnung"
KONFIG = "mitglieder.toml"
SYNONYM = "Name"
NUMMERIERT = "nummerierter Name"
ABKUERZUNG = "Abkürzung"
WORTTEIL = "Wortteil"
KENNUNG = "Name einer Kennung"

PFLICHT = FELD_PFLICHT  # plus vorname or nachname

# A known stem inside a compound header -> field. The first stem found in a header wins, so the more specific
# stems come first ("Telefonnummer Mobil" is a mobile number, "E-Mail privat" an e-mail address).
STAEMME: tuple[tuple[str, str], ...] = (
    ("mitgliedsnummer", "mitgliedsnummer"),
    ("mitgliedernummer", "mitgliedsnummer"),
    ("mitgliedsnr", "mitgliedsnummer"),
    ("membernumber", "mitgliedsnummer"),
    ("memberid", "mitgliedsnummer"),
    ("email", "email"),
    ("mail", "email"),
    ("mobil", "mobil"),
    ("handy", "mobil"),
    ("cell", "mobil"),
    ("festnetz", "telefon"),
    ("telefon", "telefon"),
    ("phone", "telefon"),
    ("geburtsdatum", "geburtsdatum"),
    ("geburtstag", "geburtsdatum"),
    ("birth", "geburtsdatum"),
    ("eintritt", "eintrittsdatum"),
    ("beitritt", "eintrittsdatum"),
    ("aufnahme", "eintrittsdatum"),
    ("joindate", "eintrittsdatum"),
    ("austritt", "austrittsdatum"),
    ("gliederung", "ortsverein"),
    ("ortsverein", "ortsverein"),
    ("ortsverband", "ortsverein"),
    ("ortsgruppe", "ortsverein"),
    ("regionalgruppe", "ortsverein"),
    ("stadtteilgruppe", "ortsverein"),
    ("basisgruppe", "ortsverein"),
    ("basisorganisation", "ortsverein"),
    ("sektion", "ortsverein"),
    ("structurelevel", "ortsverein"),
    ("chapter", "ortsverein"),
    ("hauptebene", "ortsverein"),
    ("hauptgruppe", "ortsverein"),
    ("maingroup", "ortsverein"),
    ("localgroup", "ortsverein"),
    ("branch", "ortsverein"),
    ("layer", "ortsverein"),
    ("unterbezirk", "unterbezirk"),
    ("kreisverband", "unterbezirk"),
    ("postleitzahl", "plz"),
    ("zipcode", "plz"),
    ("plz", "plz"),
    ("zip", "plz"),
    ("zusatz", "adresszusatz"),
    ("zusaetzlicheadresse", "adresszusatz"),
    ("strasse", "strasse"),
    ("street", "strasse"),
    ("hausnummer", "hausnummer"),
    ("vorname", "vorname"),
    ("firstname", "vorname"),
    ("givenname", "vorname"),
    ("nachname", "nachname"),
    ("familienname", "nachname"),
    ("lastname", "nachname"),
    ("surname", "nachname"),
    ("geschlecht", "geschlecht"),
    ("gender", "geschlecht"),
    ("anrede", "anrede"),
    ("salutation", "anrede"),
    ("praefix", "anrede"),
    ("titel", "titel"),
    ("wohnort", "ort"),
    ("city", "ort"),
)
# A stem inside these longer words means something else ("Mailing_City" is a postal address; a "Namenszusatz" -
# "jun.", "MdB" - is no line of the address).
_KEIN_STAMM = {
    "mail": ("mailing",),
    "zusatz": ("namenszusatz", "namezusatz", "namensuffix"),
    "branch": ("branche",),  # a German "Branche" is a line of business
}
# Compounds with these words are about money or accounts, not about the member's fields ("Beitragsgruppe").
_FREMD = ("beitrag", "zahlung", "konto", "bank", "iban", "sepa", "mandat", "spende", "rechnung")
_NEBEN = ("arbeit", "geschaeft", "dienst", "beruf", "work", "office", "weitere", "andere")
# Names of a number or an id; a header made of one of these (or ending in one) may hold the member number.
_KENNUNG = re.compile(r"(^|[a-z])(id|nr|nummer|number|kennung)$")
_KEINE_KENNUNG = (
    "lfd",
    "laufend",
    "zeile",
    "pos",
    "tel",
    "fax",
    "mobil",
    "handy",
    "haus",
    "plz",
    "post",
    "steuer",
)

_UMLAUTE = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_TRENNER = re.compile(r"[^0-9a-z]+")
_PRAEFIX_TRENNER = re.compile(r"^([a-z0-9äöüß]{2,})[_.:]\s*|^([a-z0-9äöüß]{2,})\s-\s")

_LEER_ANTEIL = 0.5  # a candidate empty in more than half of the rows is "mostly empty"
_PASST_ANTEIL = 0.6  # a candidate whose filled values fit the field less often than this drops out
_PASST_PROBE = 300  # values looked at for that


def normalize(text: object) -> str:
    """``"Mitgl.-Nr."`` -> ``"mitglnr"``; ``"Straße_1"`` -> ``"strasse1"``; ``"E-Mail"`` -> ``"email"``."""
    if text is None:
        return ""
    return re.sub(r"[^0-9a-z]", "", str(text).strip().lower().translate(_UMLAUTE))


def _tokens(text: str) -> list[str]:
    return [t for t in _TRENNER.split(text.strip().lower().translate(_UMLAUTE)) if t]


@dataclass(frozen=True)
class Kandidat:
    """A column that may hold a field, how its header matched and what its contents say."""

    spalte: int
    kopf: str  # the header as written
    art: str  # how the header matched (EIGENE, SYNONYM, ABKUERZUNG, …)
    rang: float  # lower is surer
    gefuellt: int = 0  # rows of the sample with a value in this column
    zeilen: int = 0  # rows of the sample (0: no sample, contents unknown)
    passend: bool = True  # the values fit the field (dates in a date column, …)
    eindeutig: bool = False  # no value repeats (for the member number)
    hinweis: str = ""  # why the contents speak against it

    @property
    def leer(self) -> int:
        return self.zeilen - self.gefuellt

    @property
    def meist_leer(self) -> bool:
        return self.zeilen > 0 and self.leer > self.zeilen * _LEER_ANTEIL


@dataclass
class Feldwahl:
    """The column chosen for one field (or none), why, and which others were considered."""

    feld: str
    spalte: int | None
    grund: str
    kandidaten: list[Kandidat] = field(default_factory=list)
    unklar: bool = (
        False  # equally good candidates with different values; nothing was chosen for a required field
    )
    # the candidates the message names when ``unklar`` (empty: every fitting, filled one)
    infrage: list[Kandidat] = field(default_factory=list)
    # the column chosen holds almost none of the store's numbers while this candidate holds many
    bestand_passt: Kandidat | None = None
    anteile: dict[int, float] = field(default_factory=dict)  # column -> share of its numbers the store knows

    @property
    def gewaehlt(self) -> Kandidat | None:
        return next((k for k in self.kandidaten if k.spalte == self.spalte), None)


@dataclass
class Erkennung:
    """The result of :func:`erkenne`: field -> column, and per field the reason and the candidates."""

    kopf: list[str]
    zuordnung: dict[str, int]
    felder: dict[str, Feldwahl]
    praefix: str = ""  # the prefix most headers shared and that was set aside ("mitglied")
    zeilen: int = 0  # rows in the sample (non-empty rows below the header)
    # sample columns, one list per column
    proben: list[list[object]] = field(default_factory=list, repr=False)
    alle_zeilen: bool = True  # the sample is every row of the sheet (else its first rows)
    # columns never offered for a field: those an error file of ours adds (its row numbers would pass for member
    # numbers or Excel dates, its derived key is derived again)
    ignoriert: set[int] = field(default_factory=set)
    monat_zuerst: set[str] = field(default_factory=set)  # date fields whose "/" dates are month/day/year
    # fields the user said the export does not have (``--spalte eintrittsdatum=``): no column is taken for them
    ohne: frozenset[str] = frozenset()

    @property
    def unklar(self) -> list[Feldwahl]:
        return [w for w in self.felder.values() if w.unklar]

    def beispiele(self, feld: str, anzahl: int = 2) -> list[str]:
        """The first ``anzahl`` non-empty values of the field's column in the sample, as text."""
        col = self.zuordnung.get(feld)
        if col is None or col >= len(self.proben):
            return []
        werte = [v for v in self.proben[col] if _gefuellt(v)][:anzahl]
        if feld in DATUMSFELDER:  # as the import reads them: 45382 (an Excel serial), 11/23/2019 (American)
            return [self._datum_text(v, feld in self.monat_zuerst) for v in werte]
        return [_als_text(v) for v in werte]

    @staticmethod
    def _datum_text(value: object, monat_zuerst: bool) -> str:
        try:
            day = dt.parse_datum(value, monat_zuerst)
        except (dt.UngueltigesDatum, ValueError, OverflowError):
            day = None
        return dt.de(day) if day is not None else _als_text(value)


@dataclass
class _Index:
    exakt: dict[str, tuple[str, str, float]]  # normalized name -> (field, art, rang)
    synonyme: dict[str, list[tuple[str, str, float]]]  # first letter -> (normalized synonym, field, rang)
    gesehen: dict[str, tuple[str, str, float] | None] = field(default_factory=dict)  # text -> treffer()


def index(
    synonyme: Mapping[str, Sequence[str]],
    extra: Mapping[str, Iterable[str]] | None = None,
    explizit: Mapping[str, str] | None = None,
) -> _Index:
    """The names to look for: built-in synonyms, the config's own, the user's ``--spalte`` mapping."""
    exakt: dict[str, tuple[str, str, float]] = {}
    liste: dict[str, list[tuple[str, str, float]]] = {}
    for feld, names in synonyme.items():
        for i, name in enumerate(names):
            key = normalize(name)
            # the table's order decides between two synonyms of one field ("Nachname" before "Name")
            exakt.setdefault(key, (feld, SYNONYM, 2 + i / 1000))
            if key:
                liste.setdefault(key[0], []).append((key, feld, 4 + i / 1000))
    for feld, eigene in (extra or {}).items():
        for name in eigene:
            exakt[normalize(name)] = (feld, KONFIG, 1)  # the user's config wins over built-in synonyms
    for feld, name in (explizit or {}).items():
        if name:  # an empty name says the export has no such column (see :func:`erkenne`)
            exakt[normalize(name)] = (feld, EIGENE, 0)
    return _Index(exakt, liste)


def _abkuerzung(text: str, idx: _Index) -> tuple[str, float] | None:
    """An abbreviated synonym: the header's words, in order, each the start of a stretch of the synonym
    ("Eintrittsdat." -> eintrittsdatum, "Geb.-Dat." -> geburtsdatum). The field whose synonym needs the fewest
    letters added wins; two fields within two letters of each other: no match."""
    tokens = _tokens(text)
    if not tokens or len("".join(tokens)) < 3:
        return None
    muster = re.compile("^" + "[a-z0-9]*?".join(re.escape(t) for t in tokens))
    best: dict[str, tuple[int, float]] = {}
    for key, feld, rang in idx.synonyme.get(tokens[0][0], ()):
        ausgelassen = len(key) - len("".join(tokens))
        if ausgelassen <= 0 or not muster.match(key):
            continue
        if feld not in best or ausgelassen < best[feld][0]:
            best[feld] = (ausgelassen, rang)
    if not best:
        return None
    ordnung = sorted(best.items(), key=lambda kv: kv[1][0])
    if len(ordnung) > 1 and ordnung[1][1][0] - ordnung[0][1][0] <= 2:
        return None
    feld, (_, rang) = ordnung[0]
    return feld, rang


def treffer(text: str, key: str, idx: _Index) -> tuple[str, str, float] | None:
    """The field a header names, how, and how surely — or None. ``key`` is ``normalize(text)``."""
    if text not in idx.gesehen:
        idx.gesehen[text] = _treffer(text, key, idx)
    return idx.gesehen[text]


def _treffer(text: str, key: str, idx: _Index) -> tuple[str, str, float] | None:
    if not key:
        return None
    if key in idx.exakt:
        return idx.exakt[key]
    ohne_zahl = re.sub(r"\d+$", "", key)
    if ohne_zahl != key and ohne_zahl in idx.exakt:
        feld, _, rang = idx.exakt[ohne_zahl]
        return feld, NUMMERIERT, 3 + rang / 1000
    if "@" in text or sum(c.isdigit() for c in text) > 1 or len(key) > 40:
        return None  # a value, not a header
    if abk := _abkuerzung(text, idx):
        return abk[0], ABKUERZUNG, abk[1]
    if any(w in key for w in _FREMD):
        return None
    for i, (stamm, feld) in enumerate(STAEMME):
        if stamm in key and not any(w in key for w in _KEIN_STAMM.get(stamm, ())):
            # "Telefonnummer Privat" before "Telefonnummer Arbeit"
            neben = 0.0005 if any(w in key for w in _NEBEN) else -0.0005 if "privat" in key else 0
            return feld, WORTTEIL, 5 + i / 1000 + neben
    if _KENNUNG.search(key) and not any(w in key for w in _KEINE_KENNUNG):
        return "mitgliedsnummer", KENNUNG, 6
    return None


def gemeinsames_praefix(kopf: Sequence[object]) -> str:
    """The first word most headers share before ``_``, ``.`` or ``:`` ("mitglied" in ``mitglied_vorname``)."""
    firsts: dict[str, int] = {}
    belegt = 0
    for cell in kopf:
        text = "" if cell is None else str(cell).strip().lower()
        if not text:
            continue
        belegt += 1
        if m := _PRAEFIX_TRENNER.match(text):
            word = m[1] or m[2]
            firsts[word] = firsts.get(word, 0) + 1
    if not firsts or belegt < 3:
        return ""
    word, count = max(firsts.items(), key=lambda kv: kv[1])
    return word if count >= 3 and count >= 0.6 * belegt else ""


def _ohne_praefix(text: str, praefix: str) -> str | None:
    low = text.strip().lower()
    if praefix and low.startswith(praefix):
        rest = low[len(praefix) :].lstrip("_.: -")
        if rest and rest != low:
            return rest
    return None


def kopf_treffer(
    kopf: Sequence[object], idx: _Index, praefix: str | None = None
) -> dict[int, tuple[str, str, float]]:
    """Column -> (field, art, rang) for every header cell that names a field."""
    if praefix is None:
        praefix = gemeinsames_praefix(kopf)
    result = {}
    for col, cell in enumerate(kopf):
        text = "" if cell is None else str(cell).strip()
        hit = treffer(text, normalize(text), idx)
        if (rest := _ohne_praefix(text, praefix)) is not None:
            other = treffer(rest, normalize(rest), idx)
            if other and (hit is None or other[2] < hit[2]):
                hit = other
        if hit:
            result[col] = hit
    return result


def kopf_wert(row: Sequence[object], idx: _Index) -> float:
    """How much a row looks like a header: the fields it names (loose matches count half)."""
    fields: dict[str, float] = {}
    for feld, art, _ in kopf_treffer(row, idx).values():
        weight = 1.0 if art in (EIGENE, KONFIG, SYNONYM, NUMMERIERT) else 0.5
        fields[feld] = max(fields.get(feld, 0), weight)
    return sum(fields.values())


# --- contents ---------------------------------------------------------------------------------------------


def _gefuellt(value: object) -> bool:
    return value is not None and (not isinstance(value, str) or bool(value.strip()))


def _als_text(value: object) -> str:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return dt.de(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _ist_datum(value: object) -> bool:
    if isinstance(value, (date, datetime)):
        return True
    text = _als_text(value)
    if not re.search(r"\d", text) or len(text) > 30:
        return False
    for monat_zuerst in (False, True):  # an American column (11/23/2019) holds dates too
        try:
            day = dt.parse_datum(value, monat_zuerst)
        except (dt.UngueltigesDatum, ValueError, OverflowError):
            continue
        return day is not None and 1900 <= day.year <= 2100
    return False


_DATUMSFORM = re.compile(r"^\d{1,4}[./-]\d{1,2}[./-]\d{1,4}$")


def _ist_nummer(value: object) -> bool:
    if isinstance(value, (date, datetime)):
        return False
    text = _als_text(value)
    return (
        0 < len(text) <= 24
        and " " not in text
        and any(c.isdigit() for c in text)
        and "@" not in text
        and not _DATUMSFORM.match(text)
    )


_TELEFON = re.compile(r"^[0-9+()/.\s-]+$")


def _ist_telefon(value: object) -> bool:
    text = _als_text(value)
    return bool(_TELEFON.match(text)) and sum(c.isdigit() for c in text) >= 5


def _ist_plz(value: object) -> bool:
    text = _als_text(value)
    return (
        3 <= len(text) <= 10 and any(c.isdigit() for c in text) and bool(re.match(r"^[A-Za-z0-9 -]+$", text))
    )


def _ist_gliederung(value: object) -> bool:
    """A branch name: text with letters, not a date, a number or an e-mail address."""
    if isinstance(value, (int, float, date, datetime)):
        return False
    text = _als_text(value)
    return any(c.isalpha() for c in text) and "@" not in text and not _ist_datum(value)


def _ist_name(value: object) -> bool:
    text = _als_text(value)
    return any(c.isalpha() for c in text) and "@" not in text


_ART: dict[str, Callable[[object], bool]] = {
    "mitgliedsnummer": _ist_nummer,
    "geburtsdatum": _ist_datum,
    "eintrittsdatum": _ist_datum,
    "austrittsdatum": _ist_datum,
    "telefon": _ist_telefon,
    "mobil": _ist_telefon,
    "email": lambda v: "@" in _als_text(v),
    "plz": _ist_plz,
    "ortsverein": _ist_gliederung,
    "unterbezirk": _ist_gliederung,
    "vorname": _ist_name,
    "nachname": _ist_name,
    "ort": _ist_name,
}
_ART_NAME = {
    "mitgliedsnummer": "keine Nummern",
    "geburtsdatum": "keine Daten",
    "eintrittsdatum": "keine Daten",
    "austrittsdatum": "keine Daten",
    "telefon": "keine Telefonnummern",
    "mobil": "keine Telefonnummern",
    "email": "keine E-Mail-Adressen",
    "plz": "keine Postleitzahlen",
    "ortsverein": "keine Namen",
    "unterbezirk": "keine Namen",
    "vorname": "keine Namen",
    "nachname": "keine Namen",
    "ort": "keine Namen",
}


def _zaehlnummer(werte: list[object]) -> bool:
    """1, 2, 3, … in row order: a running count of the rows, not a member number."""
    if len(werte) < 5:
        return False
    try:
        return [int(float(_als_text(v))) for v in werte] == list(range(1, len(werte) + 1))
    except ValueError:
        return False


def _pruefen(kandidat: Kandidat, feld: str, spalte: list[object], zeilen: int) -> Kandidat:
    werte = [v for v in spalte if _gefuellt(v)]
    if feld in DATUMSFELDER:  # a database's null date (0000-00-00) is an empty cell
        werte = [v for v in werte if not ist_nulldatum(v)]
    passt = _ART.get(feld)
    passend, hinweis = True, ""
    if passt is not None and len(werte) >= 3:
        probe = werte[:_PASST_PROBE]
        anteil = sum(1 for v in probe if passt(v)) / len(probe)
        if anteil < _PASST_ANTEIL:
            passend, hinweis = False, f"enthält {_ART_NAME[feld]}"
    eindeutig = False
    if feld == "mitgliedsnummer" and werte:
        eindeutig = len({nummer_key(_als_text(v)) for v in werte}) == len(werte)
    if feld == "mitgliedsnummer" and kandidat.art == KENNUNG and passend and _zaehlnummer(werte):
        passend, hinweis = False, "zählt nur die Zeilen (1, 2, 3, …)"
    return Kandidat(
        kandidat.spalte,
        kandidat.kopf,
        kandidat.art,
        kandidat.rang,
        gefuellt=len(werte),
        zeilen=zeilen,
        passend=passend,
        eindeutig=eindeutig,
        hinweis=hinweis,
    )


def _stufe(k: Kandidat) -> int:
    return int(k.rang)


def _beschreibung(k: Kandidat) -> str:
    """Why a candidate was taken, in German: "Name" / "Abkürzung" … plus what the contents showed."""
    teile = [k.art]
    if k.zeilen:
        teile.append(
            "in jeder Zeile gefüllt"
            if k.leer == 0
            else f"in {k.leer} von {mal(k.zeilen, 'Zeile', 'Zeilen')} leer"
        )
    return ", ".join(teile)


# A member number column filled in fewer rows than this, beside one filled in every row with unique numbers:
# which one is the key cannot be told from the names (CiviCRM's "Mitglieds-ID" and its "CiviCRM ID").
_VOLL_ANTEIL = 0.98
# The store's numbers decide between number columns: one whose numbers the store knows in at least this share,
# against others that stay this far below it.
_BESTAND_ANTEIL = 0.5
_BESTAND_ABSTAND = 0.3
_BESTAND_KAUM = 0.05  # "almost none of the store's numbers"

Bekannt = Callable[[set[str]], set[str]]
"""Of the given number keys, those the store holds (see :func:`nummer_key`)."""


def _anteile(kandidaten: list[Kandidat], proben: list[list[object]], bekannt: Bekannt) -> dict[int, float]:
    """Per candidate column: the share of its distinct numbers the store holds."""
    result = {}
    for k in kandidaten:
        if not k.passend or k.spalte >= len(proben):
            continue
        keys = {nummer_key(_als_text(v)) for v in proben[k.spalte] if _gefuellt(v)}
        if keys:
            result[k.spalte] = len(bekannt(keys)) / len(keys)
    return result


def _nach_bestand(
    feld: str, kandidaten: list[Kandidat], anteile: dict[int, float], proben: list[list[object]]
) -> Feldwahl | None:
    """The number column whose values the store knows, where the others' it does not (the strongest evidence:
    the same members under the same numbers as before). Columns with the same contents count once."""
    if len(anteile) < 2:
        return None
    ordnung = sorted(anteile.items(), key=lambda kv: (-kv[1], [k.spalte for k in kandidaten].index(kv[0])))
    col, anteil = ordnung[0]
    andere = [k for k in kandidaten if k.spalte in anteile and not _gleicher_inhalt(proben, k.spalte, col)]
    zweiter = max((anteile[k.spalte] for k in andere), default=0.0)
    if not andere or anteil < _BESTAND_ANTEIL or anteil - zweiter < _BESTAND_ABSTAND:
        return None
    best = next(k for k in kandidaten if k.spalte == col)
    grund = f"{_beschreibung(best)}; {_prozent(anteil)} der Nummern sind im Bestand"
    grund += "".join(f", von „{k.kopf}“ {_prozent(anteile[k.spalte])}" for k in andere)
    return Feldwahl(feld, col, grund, kandidaten, anteile=anteile)


def _prozent(anteil: float) -> str:
    return f"{round(anteil * 100)} %"


def fuellanteil(k: Kandidat) -> float:
    return k.gefuellt / k.zeilen if k.zeilen else 1.0


def _waehlen(
    feld: str, kandidaten: list[Kandidat], proben: list[list[object]], bekannt: Bekannt | None = None
) -> Feldwahl:
    kandidaten = sorted(kandidaten, key=lambda k: (k.rang, k.spalte))
    if not kandidaten:
        return Feldwahl(feld, None, "keine passende Spalte")
    anteile: dict[int, float] = {}
    if feld == "mitgliedsnummer" and bekannt and sum(1 for k in kandidaten if k.passend and k.gefuellt) > 1:
        anteile = _anteile(kandidaten, proben, bekannt)
    eigene = [k for k in kandidaten if k.art == EIGENE]
    if eigene:  # the user said so: contents never overrule it
        wahl = Feldwahl(feld, eigene[0].spalte, EIGENE, kandidaten, anteile=anteile)
        besser = _nach_bestand(feld, kandidaten, anteile, proben)
        if besser and besser.spalte != wahl.spalte and anteile.get(eigene[0].spalte, 0) <= _BESTAND_KAUM:
            wahl.bestand_passt = besser.gewaehlt  # said before anything is stored under wrong numbers
        return wahl
    if besser := _nach_bestand(feld, kandidaten, anteile, proben):
        return besser
    passende = [k for k in kandidaten if k.passend]
    if not passende:
        k = kandidaten[0]
        return Feldwahl(feld, None, f"„{k.kopf}“ {k.hinweis}", kandidaten)
    volle = [k for k in passende if not k.meist_leer]
    pool = volle or passende
    if feld == "ortsverein" and len(pool) > 1:
        # one name in every row (the Kreisverband in hitobito's "Hauptebene" of a KV's export) says less about
        # the branch than a column that names several
        mehrere = [k for k in pool if not _konstant(proben, k.spalte)]
        # but never against a surer name: one Ortsverein's own export has "Ortsverein" with one value in every
        # row, beside perhaps an "Abteilung" or "Regionalgruppe" that names several groups within it
        if mehrere and _stufe(mehrere[0]) <= _stufe(pool[0]):
            pool = mehrere
    if feld == "mitgliedsnummer" and any(k.eindeutig for k in pool) and pool[0].zeilen:
        # a number that repeats is no key when another column's numbers do not
        pool = [k for k in pool if k.eindeutig] + [k for k in pool if not k.eindeutig]
    best = pool[0]
    if feld == "mitgliedsnummer" and best.zeilen and fuellanteil(best) < _VOLL_ANTEIL:
        voll = [k for k in passende if k is not best and k.leer == 0 and k.eindeutig and k.gefuellt > 1]
        anders = [k for k in voll if not _gleich_wo_gefuellt(proben, best.spalte, k.spalte)]
        if voll and not anders:  # the full column holds the same numbers, and more of them
            best = voll[0]
        elif anders:
            # a partly filled number and a full one: one of them is the key, and a wrong guess stores every
            # member under wrong numbers (and later exports, keyed the other way, would make them all leave)
            infrage = _ohne_gleiche(proben, [*anders, best])
            return Feldwahl(
                feld, None, "mehrere Spalten kommen infrage", kandidaten, unklar=True, infrage=infrage
            )
    grund = _beschreibung(best)
    if best is not kandidaten[0]:
        erster = kandidaten[0]
        warum = (
            erster.hinweis
            if not erster.passend
            else f"in {erster.leer} von {mal(erster.zeilen, 'Zeile', 'Zeilen')} leer"
        )
        if erster.passend and not erster.meist_leer:
            warum = "Werte wiederholen sich"
        grund += f"; „{erster.kopf}“ {warum}"
    # equally good and different contents: contents cannot settle it
    gleich = [
        k
        for k in pool[1:]
        if _stufe(k) == _stufe(best)
        and _stufe(best) >= 5
        and k.meist_leer == best.meist_leer
        and (feld != "mitgliedsnummer" or k.eindeutig == best.eindeutig)
    ]
    anders = [k for k in gleich if not _gleicher_inhalt(proben, k.spalte, best.spalte)]
    if anders:
        if feld in PFLICHT:
            return Feldwahl(
                feld, None, "mehrere Spalten kommen infrage", kandidaten, unklar=True, infrage=[best, *anders]
            )
        grund += "; auch möglich: " + ", ".join(f"„{k.kopf}“" for k in anders)
    elif gleich:
        grund += "; gleicher Inhalt wie " + ", ".join(f"„{k.kopf}“" for k in gleich)
    return Feldwahl(feld, best.spalte, grund, kandidaten)


def _konstant(proben: list[list[object]], col: int) -> bool:
    """One value in every filled row of a sample of several rows."""
    if col >= len(proben):
        return False
    werte = [v for v in proben[col] if _gefuellt(v)]
    return len(werte) > 1 and len({_als_text(v) for v in werte}) == 1


def _gleich_wo_gefuellt(proben: list[list[object]], a: int, b: int) -> bool:
    """Whether column ``b`` holds column ``a``'s value in every row where ``a`` has one."""
    if a >= len(proben) or b >= len(proben):
        return False
    return all(
        _als_text(x) == _als_text(y) for x, y in zip(proben[a], proben[b], strict=False) if _gefuellt(x)
    )


def _ohne_gleiche(proben: list[list[object]], kandidaten: list[Kandidat]) -> list[Kandidat]:
    """The candidates, each content once (CiviCRM's "CiviCRM ID" and "Kontakt-ID" are the same column)."""
    result: list[Kandidat] = []
    for k in kandidaten:
        if not any(_gleicher_inhalt(proben, k.spalte, r.spalte) for r in result):
            result.append(k)
    return result


def _gleicher_inhalt(proben: list[list[object]], a: int, b: int) -> bool:
    if a >= len(proben) or b >= len(proben) or not proben[a]:
        return False  # no rows: nothing shows they are the same
    return [_als_text(v) if _gefuellt(v) else "" for v in proben[a]] == [
        _als_text(v) if _gefuellt(v) else "" for v in proben[b]
    ]


def erkenne(
    kopf: Sequence[object],
    proben: Sequence[Sequence[object]] = (),
    *,
    synonyme: Mapping[str, Sequence[str]],
    extra: Mapping[str, Iterable[str]] | None = None,
    explizit: Mapping[str, str] | None = None,
    bekannt: Bekannt | None = None,
) -> Erkennung:
    """Map the header cells to fields, with ``proben`` (one list of sample values per column) deciding.

    ``synonyme`` is the field -> names table (:data:`spalten.SYNONYME`), ``extra`` the config's names,
    ``explizit`` the user's ``--spalte`` mapping (field -> header); ``bekannt`` tells which member numbers the
    store holds (asked only when two columns may hold the number).
    """
    header = ["" if c is None else str(c).strip() for c in kopf]
    spalten = [list(p) for p in proben] + [[] for _ in range(len(header) - len(proben))]
    # only rows with any value count (the normalization skips empty rows too)
    n = max((len(s) for s in spalten), default=0)
    belegt = [i for i in range(n) if any(i < len(s) and _gefuellt(s[i]) for s in spalten)]
    spalten = [[s[i] if i < len(s) else None for i in belegt] for s in spalten]
    zeilen = len(belegt)
    idx = index(synonyme, extra, explizit)
    praefix = gemeinsames_praefix(header)
    je_feld: dict[str, list[Kandidat]] = {}
    for col, (feld, art, rang) in kopf_treffer(header, idx, praefix).items():
        kandidat = Kandidat(col, header[col], art, rang)
        if zeilen:
            kandidat = _pruefen(kandidat, feld, spalten[col], zeilen)
        je_feld.setdefault(feld, []).append(kandidat)
    ohne = frozenset(feld for feld, name in (explizit or {}).items() if not name)
    felder = {feld: _waehlen(feld, k, spalten, bekannt) for feld, k in je_feld.items() if feld not in ohne}
    zuordnung = {feld: w.spalte for feld, w in felder.items() if w.spalte is not None}
    return Erkennung(header, zuordnung, felder, praefix, zeilen, spalten, ohne=ohne)


def alternativen(erkennung: Erkennung, feld: str) -> list[Kandidat]:
    """Columns that could hold a required field instead, best first: its other candidates that fit and are
    filled, then (from the contents alone) columns nothing else took whose values fit — for the Ortsverein the
    Unterbezirk/Kreisverband column first, a low number of distinct names next."""
    wahl = erkennung.felder.get(feld)
    result: list[Kandidat] = []
    if wahl:
        result += [k for k in wahl.kandidaten if k.spalte != wahl.spalte and k.passend and not k.meist_leer]
    if not erkennung.zeilen:
        return result
    # a column whose header names another field is not offered (a phone number is no member number)
    vergeben = {k.spalte for w in erkennung.felder.values() for k in w.kandidaten if w.feld != feld}
    vergeben |= set(erkennung.zuordnung.values()) | {k.spalte for k in result} | erkennung.ignoriert
    spalten: list[int] = []
    if feld == "ortsverein" and "unterbezirk" in erkennung.zuordnung:
        spalten.append(erkennung.zuordnung["unterbezirk"])
        vergeben.discard(erkennung.zuordnung["unterbezirk"])
    spalten += [c for c in range(len(erkennung.kopf)) if c not in vergeben and c not in spalten]
    for col in spalten:
        if not erkennung.kopf[col] or col >= len(erkennung.proben):
            continue
        k = _pruefen(
            Kandidat(col, erkennung.kopf[col], "Inhalt", 9), feld, erkennung.proben[col], erkennung.zeilen
        )
        if not k.passend or k.meist_leer or k.gefuellt < 1 or feld not in _ART:
            continue
        if feld == "mitgliedsnummer" and (
            not k.eindeutig or _zaehlnummer([v for v in erkennung.proben[col] if _gefuellt(v)])
        ):
            continue
        if feld == "ortsverein" and not _wie_gliederungen(erkennung, col, k):
            continue
        result.append(k)
    return result


# Headers of columns whose short text values are no branch names (a payment method, a company, a person's roles:
# hitobito's "Rollen" holds "Mitglied (Altstadt)", but it is a list of roles, not the branch).
_KEINE_GLIEDERUNG = (
    *_FREMD,  # "zahlung" there covers "Zahlungsweg"
    "payment",
    "firma",
    "firmen",
    "company",
    "employer",
    "rolle",
    "role",
    "tags",
    "label",
    "status",
    "notiz",
    "note",
    "bemerkung",
    "kommentar",
    "comment",
    "beruf",
    "funktion",
    "sprache",
    "language",
    "nationalit",
    "staatsangeh",
    "konfession",
    "religion",
    "kontakttyp",
    "contacttype",
    "mitgliedsart",
    "mitgliedschaftsart",
    "membershiptype",
    "kategorie",
    "category",
)


def _wie_gliederungen(erkennung: Erkennung, col: int, k: Kandidat) -> bool:
    """Whether a column no header names may hold branch names: a few names, more than one of them when the
    file has several rows, no yes/no column, and no header that names another concept (payment, company, …)."""
    if erkennung.zuordnung.get("unterbezirk") == col:
        return True  # the Kreisverband of a Kreisverband's export: the unit it counts in, even if only one
    key = normalize(erkennung.kopf[col])
    rest = _ohne_praefix(erkennung.kopf[col], erkennung.praefix)
    keys = {key} | ({normalize(rest)} if rest else set())
    if any(w in key_ for key_ in keys for w in _KEINE_GLIEDERUNG):
        return False
    namen = {_als_text(v) for v in erkennung.proben[col] if _gefuellt(v)}
    if len(namen) > max(3, k.gefuellt // 3):
        return False  # as many names as rows: people, not branches
    if len(namen) == 1 and erkennung.zeilen > 1:
        return False  # one value in every row ("Basislastschrift", "nein"): says nothing about a branch
    return not all(parse_flag(n) is not None for n in namen)  # ja/nein, x, 0/1


def spalte_option(feld: str, kopf: str) -> str:
    """The exact ``--spalte`` to type: quoted when the header has spaces or shell characters."""
    if re.fullmatch(r"[\w.@+-]+", kopf):
        return f"--spalte {feld}={kopf}"
    return f'--spalte {feld}="{kopf}"'


def fuellung(k: Kandidat, alle_zeilen: bool = True) -> str:
    """How full a column is: "in jeder Zeile gefüllt", "in 7 von 210 Zeilen gefüllt" (of a sample of a large
    sheet: "in den ersten 60 Zeilen gefüllt", "in 7 der ersten 60 Zeilen gefüllt")."""
    if k.zeilen and k.leer == 0:
        return "in jeder Zeile gefüllt" if alle_zeilen else f"in den ersten {k.zeilen} Zeilen gefüllt"
    return (
        f"in {k.gefuellt} {'von' if alle_zeilen else 'der ersten'} {mal(k.zeilen, 'Zeile', 'Zeilen')} gefüllt"
    )


# --- a key for exports without a member number ------------------------------------------------------------

SCHLUESSEL_BASEN: tuple[tuple[str, ...], ...] = (("nachname", "vorname", "geburtsdatum"), ("email",))
SCHLUESSEL_NAMEN = {
    ("nachname", "vorname", "geburtsdatum"): "Schlüssel aus Nachname, Vorname, Geburtsdatum",
    ("email",): "Schlüssel aus E-Mail",
}


def schluessel_basis(erkennung: Erkennung) -> tuple[str, ...] | None:
    """The fields a stable key is derived from when the export has no member number: name and birth date if
    most rows have them, else the e-mail address; None when neither is filled in most rows."""
    for basis in SCHLUESSEL_BASEN:
        gewaehlt = [erkennung.felder[f].gewaehlt if f in erkennung.felder else None for f in basis]
        if all(k is not None and not k.meist_leer for k in gewaehlt):
            return basis
    return None


def _falten(value: object) -> str:
    return " ".join(_als_text(value).casefold().translate(_UMLAUTE).split())


def schluessel(basis: tuple[str, ...], werte: Sequence[object]) -> str | None:
    """A key from one row's values: ``NG-`` + 10 hex digits of a hash of Nachname|Vorname|Geburtsdatum, or
    ``EM-`` + a hash of the e-mail address. None when a part is missing (the row is then rejected for lack of a
    Mitgliedsnummer). Case, spaces and umlaut spellings do not change the key; any other spelling does."""
    if basis == ("email",):
        mail = _falten(werte[0]) if _gefuellt(werte[0]) else ""
        if "@" not in mail:
            return None
        return "EM-" + hashlib.sha256(mail.encode()).hexdigest()[:10].upper()
    nach, vor, geb = werte
    if not (_gefuellt(nach) and _gefuellt(vor)):
        return None
    try:
        day = dt.parse_datum(geb)
    except (dt.UngueltigesDatum, ValueError, OverflowError):
        return None
    if day is None:
        return None
    text = f"{_falten(nach)}|{_falten(vor)}|{day.isoformat()}"
    return "NG-" + hashlib.sha256(text.encode()).hexdigest()[:10].upper()


# --- attendance lists -------------------------------------------------------------------------------------

# A column that says whether someone on an attendance list was there (OpenSlides writes ``is_present``).
ANWESEND = (
    "anwesend",
    "anwesenheit",
    "ispresent",
    "present",
    "teilnahme",
    "teilgenommen",
    "erschienen",
    "attended",
    "attendance",
)


def anwesenheitsspalte(kopf: Sequence[object]) -> int | None:
    """The column of an attendance list that says who was there ("anwesend", ``is_present``, "Teilnahme"), also
    behind a prefix most headers share; None when the list has none (then every listed row counts)."""
    praefix = gemeinsames_praefix(kopf)
    for col, cell in enumerate(kopf):
        text = "" if cell is None else str(cell).strip()
        keys = {normalize(text)}
        if (rest := _ohne_praefix(text, praefix)) is not None:
            keys.add(normalize(rest))
        if keys & set(ANWESEND):
            return col
    return None
