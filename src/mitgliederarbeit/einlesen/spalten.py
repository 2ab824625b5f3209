"""The column schema: normalized fields, their synonyms, and finding the header row of an export."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from mitgliederarbeit.errors import BedienFehler, EingabeFehler

# Field -> synonyms as exports write them. Matching ignores case, spaces, dots, hyphens, underscores,
# and umlaut spellings (ä = ae), see :func:`normalize_header`.
SYNONYME: dict[str, tuple[str, ...]] = {
    "mitgliedsnummer": (
        "Mitgliedsnummer",
        "Mitgl.-Nr.",
        "Mitglieds-ID",
        "Mitgliedernummer",
        "Member ID",
        "Mitgliedsnr",
        "Mitglieds-Nr.",
        "Mitglied-Nr.",
        "Mitgliedernr",
        "Mitgl.Nr",
        "Mitglieds ID",
        "Mitgliedskennung",
        "Member Number",
        "Membership Number",
        "member_number",
        "Externe Mitgliedsnummer",
        "Mitgliedsnummer (Intern)",
    ),
    "anrede": ("Anrede", "Salutation", "Briefanrede"),
    "titel": ("Titel", "akad. Grad", "akademischer Grad", "Title", "Akad. Titel"),
    "geschlecht": ("Geschlecht", "Gender", "Sex"),
    "vorname": ("Vorname", "Vornamen", "Rufname", "First Name", "Firstname", "Given Name"),
    "nachname": (
        "Nachname",
        "Name",
        "Familienname",
        "Zuname",
        "Last Name",
        "Lastname",
        "Surname",
        "Family Name",
        "Name, Vorname",
        "Nachname, Vorname",
    ),
    "strasse": (
        "Straße",
        "Strasse",
        "Str.",
        "Straße_1",
        "Strasse 1",
        "Straße und Hausnummer",
        "Straße mit Hausnummer",
        "Straße, Hausnummer",
        "Straße/Hausnummer",
        "Straße Nr.",
        "Anschrift",
        "Adresse",
        "Street",
        "Address",
        "Address Line 1",
    ),
    "hausnummer": (
        "Hausnummer",
        "Hausnr.",
        "Hausnr",
        "Hnr.",
        "Haus-Nr.",
        "House Number",
        "Hausnummer Zusatz",
    ),
    "adresszusatz": (
        "Adresszusatz",
        "c/o",
        "Zusatz",
        "Anschriftenzusatz",
        "Adresse Zusatz",
        "Address Line 2",
        "Straße_2",
        "Strasse 2",
    ),
    "plz": ("PLZ", "Postleitzahl", "Zip", "Zip Code", "Postal Code", "Postcode"),
    "ort": ("Ort", "Wohnort", "Stadt", "City", "Town", "Gemeinde Wohnort"),
    "land": ("Land", "Staat", "Country", "Länderkennzeichen", "Wohnland"),
    "geburtsdatum": (
        "Geburtsdatum",
        "Geb.-Datum",
        "Geburtstag",
        "Geb-Datum",
        "Geb. Datum",
        "Geboren",
        "Geboren am",
        "geburts_datum",
        "geburts_datum_TT.MM.JJJJ",
        "Date of Birth",
        "Birthdate",
        "Birthday",
        "born_at",
    ),
    "eintrittsdatum": (
        "Eintrittsdatum",
        "Eintritt",
        "Aufnahmedatum",
        "Mitglied seit",
        "Eintritt am",
        "eintritts_datum",
        "Beitrittsdatum",
        "Beitritt",
        "Aufnahme",
        "Join Date",
        "Joined",
        "Member Since",
        "Beginn Mitgliedschaft",
        "Mitgliedschaft seit",
    ),
    "austrittsdatum": (
        "Austrittsdatum",
        "Austritt",
        "Austritt am",
        "austritts_datum",
        "Ende Mitgliedschaft",
        "Mitglied bis",
        "Exit Date",
        "Left",
        "Kündigungsdatum",
    ),
    "telefon": (
        "Telefon",
        "Telefon privat",
        "Festnetz",
        "Tel.",
        "Tel",
        "Telefonnummer",
        "Telefon_1",
        "Tel. privat",
        "Telefon (privat)",
        "Phone",
        "Home Phone",
        "Festnetznummer",
        "Telefon 1",
    ),
    "mobil": (
        "Mobil",
        "Mobiltelefon",
        "Handy",
        "Mobilfunknummer",
        "Mobilnummer",
        "Handynummer",
        "Mobilfunk",
        "Telefon mobil",
        "Mobile",
        "Mobile Phone",
        "Cell",
    ),
    "email": (
        "E-Mail",
        "Email",
        "eMail",
        "E-Mail-Adresse",
        "Mail",
        "E-Mail Adresse",
        "Emailadresse",
        "eMail_1",
        "E-Mail privat",
        "Email Address",
        "E-Mail 1",
        "Haupt-E-Mail",
    ),
    "ortsverein": (
        "Ortsverein",
        "OV",
        "Gliederung",
        "Ortsverband",
        "Basisorganisation",
        "Abteilung",
        "Distrikt",
        "Ortsgruppe",
        "Ortsabteilung",
        "Ortsverein Name",
        "BO",
        "Stadtteilgruppe",
        "Ortssektion",
    ),
    "unterbezirk": ("Unterbezirk", "UB", "Kreisverband", "KV", "Kreis", "Bezirksverband"),
    "kein_anruf": ("Kein Anruf", "Keine Anrufe", "Telefonsperre", "Do Not Call", "Nicht anrufen"),
    "keine_post": ("Keine Post", "Postsperre", "Keine Briefe"),
    "keine_email": ("Keine E-Mail", "Keine Mail", "E-Mail-Sperre", "Mailsperre"),
    "sperrvermerk": ("Sperrvermerk", "Sperrvermerke", "Kontaktsperre", "Sperren", "Werbesperre"),
    # "Telefonkontakt erwünscht: nein" blocks a channel too; the value is inverted when read.
    "anruf_erwuenscht": (
        "Telefonkontakt erwünscht",
        "Anruf erwünscht",
        "Telefonkontakt",
        "Telefonische Kontaktaufnahme",
    ),
    "post_erwuenscht": ("Post erwünscht", "Briefkontakt erwünscht"),
    "email_erwuenscht": ("E-Mail erwünscht", "E-Mail-Kontakt erwünscht", "Email Opt In", "email_opt_in"),
}

FELDER: tuple[str, ...] = tuple(SYNONYME)
PFLICHT = ("mitgliedsnummer", "eintrittsdatum", "ortsverein")  # plus vorname or nachname

FELD_NAMEN = {  # German labels for messages
    "mitgliedsnummer": "Mitgliedsnummer",
    "anrede": "Anrede",
    "titel": "Titel",
    "geschlecht": "Geschlecht",
    "vorname": "Vorname",
    "nachname": "Nachname",
    "strasse": "Straße",
    "hausnummer": "Hausnummer",
    "adresszusatz": "Adresszusatz",
    "plz": "PLZ",
    "ort": "Ort",
    "land": "Land",
    "geburtsdatum": "Geburtsdatum",
    "eintrittsdatum": "Eintrittsdatum",
    "austrittsdatum": "Austrittsdatum",
    "telefon": "Telefon",
    "mobil": "Mobil",
    "email": "E-Mail",
    "ortsverein": "Ortsverein",
    "unterbezirk": "Unterbezirk",
    "kein_anruf": "kein Anruf",
    "keine_post": "keine Post",
    "keine_email": "keine E-Mail",
    "sperrvermerk": "Sperrvermerk",
    "anruf_erwuenscht": "Telefonkontakt erwünscht",
    "post_erwuenscht": "Post erwünscht",
    "email_erwuenscht": "E-Mail erwünscht",
}

_UMLAUTE = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def normalize_header(text: object) -> str:
    """``"Mitgl.-Nr."`` -> ``"mitglnr"``; ``"Straße_1"`` -> ``"strasse1"``; ``"E-Mail"`` -> ``"email"``."""
    if text is None:
        return ""
    return re.sub(r"[^0-9a-z]", "", str(text).strip().lower().translate(_UMLAUTE))


def _synonym_index(extra: Mapping[str, Iterable[str]] | None) -> dict[str, str]:
    index: dict[str, str] = {}
    for target, names in SYNONYME.items():
        for name in names:
            index.setdefault(normalize_header(name), target)
    for target, extra_names in (extra or {}).items():
        for name in extra_names:
            index[normalize_header(name)] = target  # the user's config wins over built-in synonyms
    return index


def match_header(cell: object, index: Mapping[str, str]) -> str | None:
    key = normalize_header(cell)
    if not key:
        return None
    if key in index:
        return index[key]
    # "Telefon_1", "eMail 2": a numbered column of a known kind.
    stripped = re.sub(r"\d+$", "", key)
    if stripped != key and stripped in index:
        return index[stripped]
    return None


def _rank(
    target: str, key: str, explicit: Mapping[str, str], extra: Mapping[str, Iterable[str]] | None
) -> float:
    if explicit.get(key) == target:
        return -2
    if key in {normalize_header(n) for n in (extra or {}).get(target, ())}:
        return -1
    ranks = [normalize_header(n) for n in SYNONYME[target]]
    if key in ranks:
        return ranks.index(key)
    stripped = re.sub(r"\d+$", "", key)
    # a numbered column ("Telefon_2") only after every exact synonym
    return len(ranks) + ranks.index(stripped) if stripped in ranks else 2 * len(ranks)


@dataclass
class Kopf:
    """The header row of a table and how its columns map to fields."""

    zeile: int  # 0-based index of the header row in the sheet
    spalten: list[str]  # the header cells as written
    zuordnung: dict[str, int] = field(default_factory=dict)  # field -> column index
    titel: list[str] = field(default_factory=list)  # the non-empty lines above the header


def _score(row: Sequence[object], index: Mapping[str, str]) -> int:
    return len({f for f in (match_header(c, index) for c in row) if f})


def find_header(
    rows: Sequence[Sequence[object]],
    *,
    extra: Mapping[str, Iterable[str]] | None = None,
    explizit: Mapping[str, str] | None = None,
    max_scan: int = 60,
) -> Kopf | None:
    """Find the header row below a title block: the first of the best-scoring rows among the first ``max_scan``."""
    index = _synonym_index(extra)
    explicit_keys = {normalize_header(src): target for target, src in (explizit or {}).items()}
    best, best_score = None, 1
    for i, row in enumerate(rows[:max_scan]):
        score = _score(row, index) + sum(1 for c in row if normalize_header(c) in explicit_keys)
        if score > best_score:
            best, best_score = i, score
    if best is None:
        return None
    header = [("" if c is None else str(c).strip()) for c in rows[best]]
    kopf = Kopf(zeile=best, spalten=header)
    # Several columns may match one field ("Name" and "Nachname"): the most specific synonym wins, the
    # user's own mapping before everything, the leftmost column on a tie.
    best_rank: dict[str, float] = {}
    for col, cell in enumerate(header):
        key = normalize_header(cell)
        target = explicit_keys.get(key) or match_header(cell, index)
        if not target:
            continue
        rank = _rank(target, key, explicit_keys, extra)
        if target not in best_rank or rank < best_rank[target]:
            best_rank[target] = rank
            kopf.zuordnung[target] = col
    # "Vorname" + "Name": Name is the surname (already so). "Name" alone may hold "Müller, Anna" (split later).
    for row in rows[:best]:
        line = " ".join(str(c).strip() for c in row if c not in (None, "") and str(c).strip())
        if line:
            kopf.titel.append(line)
    return kopf


def parse_spalte_option(values: Sequence[str]) -> dict[str, str]:
    """``--spalte ZIEL=QUELLE`` (repeatable) -> {field: source column}."""
    result = {}
    for value in values:
        target, sep, source = value.partition("=")
        target = target.strip().lower()
        if not sep or not source.strip():
            raise BedienFehler(
                f"--spalte „{value}“: bitte als ZIEL=QUELLE angeben, z. B. --spalte ortsverein=Gliederung."
            )
        if target not in FELDER:
            raise BedienFehler(f"--spalte: unbekanntes Feld „{target}“. Erlaubt: {', '.join(FELDER)}.")
        result[target] = source.strip()
    return result


def check_required(kopf: Kopf, datei: str) -> None:
    """A required column missing makes the whole file unusable: say which and how to map it."""
    missing_fields = [f for f in PFLICHT if f not in kopf.zuordnung]
    missing = [FELD_NAMEN[f] for f in missing_fields]
    if "vorname" not in kopf.zuordnung and "nachname" not in kopf.zuordnung:
        missing_fields.append("nachname")
        missing.append("Nachname oder Vorname")
    if missing:
        gefunden = ", ".join(s for s in kopf.spalten if s) or "keine"
        first = missing_fields[0]
        source = "Ihr Spaltenname"
        if first == "ortsverein" and "unterbezirk" in kopf.zuordnung:
            source = kopf.spalten[kopf.zuordnung["unterbezirk"]]  # a Kreisverband export: the KV is the unit
        raise EingabeFehler(
            f"{datei}: Pflichtspalte fehlt: {', '.join(missing)} (Kopfzeile in Zeile {kopf.zeile + 1}: {gefunden}).",
            hint=f'Ordnen Sie die Spalte zu, z. B. mit --spalte {first}="{source}" '
            "oder dauerhaft in mitglieder.toml unter [import.spalten].",
        )
