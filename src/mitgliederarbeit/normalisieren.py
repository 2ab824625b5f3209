"""Turning the cells of one export row into normalized member fields, with problems as data.

Rules (PRODUCT.md): a row without Mitgliedsnummer, name, Eintrittsdatum or Ortsverein, a repeated number, or an
impossible date is rejected; a bad optional value (phone, e-mail, PLZ, birth date) is a warning: the value is kept
as it was and flagged. Repeated values (phone numbers, dates, PLZ) are cached: exports repeat them a lot.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from mitgliederarbeit.datum import UngueltigesDatum, de, parse_datum

INLAND = {"", "d", "de", "deu", "deutschland", "germany", "brd", "bundesrepublik deutschland"}
_EMAIL = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]{2,}$")
_JA = {"ja", "j", "x", "1", "-1", "true", "wahr", "yes", "y", "ok"}
_NEIN = {"nein", "n", "0", "false", "falsch", "no", ""}


@dataclass(frozen=True)
class Problem:
    """One problem of one row: rejected (``schwer``) or a warning. ``zeile`` is the spreadsheet's row number."""

    zeile: int
    feld: str | None
    meldung: str
    schwer: bool = True


def text(value: object) -> str | None:
    """A cell as text: numbers written the way a person would (12345.0 -> "12345")."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, float):
        if value != value:
            return None
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, date):
        return de(value)
    result = str(value).strip()
    return result or None


def nummer_key(display: str) -> str:
    """The identity of a member number: leading zeros do not count (0012345 = 12345, Excel drops them)."""
    cleaned = display.strip()
    if cleaned.isdigit():
        return cleaned.lstrip("0") or "0"
    return cleaned.upper()


def parse_flag(value: object) -> bool | None:
    cleaned = (text(value) or "").strip().lower()
    if cleaned in _JA:
        return True
    if cleaned in _NEIN:
        return False
    return None


def sperrvermerk(value: object) -> dict[str, bool]:
    """A free-text block note ("kein Telefon", "keine Post", "ja") -> which channels it blocks."""
    cleaned = (text(value) or "").lower()
    if not cleaned or cleaned in _NEIN or cleaned in {"keine", "keiner", "-"}:
        return {}
    blocks = {}
    if any(w in cleaned for w in ("telefon", "anruf", "tel.", "phone", "call")):
        blocks["kein_anruf"] = True
    if any(w in cleaned for w in ("post", "brief", "schrift")):
        blocks["keine_post"] = True
    if "mail" in cleaned:
        blocks["keine_email"] = True
    if not blocks:  # "ja", "x", "gesperrt", "Kontaktsperre", "keine Werbung": block every channel
        blocks = {"kein_anruf": True, "keine_post": True, "keine_email": True}
    return blocks


_GESCHLECHT = {
    "w": "w",
    "weiblich": "w",
    "f": "w",
    "female": "w",
    "frau": "w",
    "fr": "w",
    "fr.": "w",
    "m": "m",
    "männlich": "m",
    "maennlich": "m",
    "male": "m",
    "herr": "m",
    "hr": "m",
    "hr.": "m",
    "herrn": "m",
    "d": "d",
    "divers": "d",
    "diverse": "d",
    "x": "d",
    "nonbinary": "d",
    "non-binary": "d",
    "inter": "d",
}


def geschlecht(value: object, anrede: str | None) -> str | None:
    cleaned = (text(value) or "").lower()
    if cleaned in _GESCHLECHT:
        return _GESCHLECHT[cleaned]
    first = (anrede or "").split(" ")[0].lower()
    if first in ("frau", "fr."):
        return "w"
    if first in ("herr", "herrn", "hr."):
        return "m"
    return None


def land(value: object) -> str | None:
    cleaned = text(value)
    return None if cleaned is None or cleaned.lower() in INLAND else cleaned


@lru_cache(maxsize=65536)
def plz(value: str, inland: bool) -> tuple[str, bool]:
    """(PLZ, ok). A 4-digit German PLZ lost its zero in Excel: 1067 -> 01067."""
    cleaned = value.strip()
    if not inland:
        return cleaned, True
    if cleaned.isdigit() and len(cleaned) == 4:
        return "0" + cleaned, True
    return cleaned, cleaned.isdigit() and len(cleaned) == 5


@lru_cache(maxsize=262144)
def telefon(value: str) -> tuple[str, bool]:
    """(E.164 number, ok); on failure the value as it was. A number that lost its leading 0 gets it back."""
    import phonenumbers

    raw = value.strip()
    candidate = raw
    if re.fullmatch(r"\d+\.0", candidate):  # a number cell written as float text
        candidate = candidate[:-2]
    digits = re.sub(r"[\s/()\-.]", "", candidate)
    if digits.isdigit() and not digits.startswith("0") and 7 <= len(digits) <= 12:
        candidate = "0" + digits  # 3511234567 -> 03511234567 (Excel dropped the zero)
    try:
        parsed = phonenumbers.parse(candidate, "DE")
    except phonenumbers.NumberParseException:
        return raw, False
    if not phonenumbers.is_valid_number(parsed):
        return raw, False
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164), True


@lru_cache(maxsize=65536)
def telefon_anzeige(e164: str) -> str:
    """DIN 5008 display: ``0351 1234567`` at home, ``+43 1 5123456`` abroad; unparseable values as they are."""
    import phonenumbers

    if not e164 or not e164.startswith("+"):
        return e164 or ""
    try:
        parsed = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    if parsed.country_code == 49:
        national = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
        area, _, rest = national.partition(" ")
        return f"{area} {rest.replace(' ', '')}".strip()
    international = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    parts = international.split(" ")
    return " ".join(parts[:3]) + "".join(parts[3:]) if len(parts) > 3 else international


@lru_cache(maxsize=262144)
def _datum(value: object) -> date | None:
    return parse_datum(value)


def datum(value: object) -> date | None:
    """Cached :func:`parse_datum` for hashable cells."""
    try:
        return _datum(value)
    except TypeError:  # unhashable: never happens for cells, but stay safe
        return parse_datum(value)


_HAUSNUMMER = re.compile(r"^(?P<strasse>.*?\D)\s*(?P<nr>\d+\s*[a-zA-Z]?(?:\s*[-/]\s*\d+\s*[a-zA-Z]?)?)$")


def strasse_split(value: str) -> tuple[str, str | None]:
    """``"Lindenweg 12a"`` -> ("Lindenweg", "12a"); ``"Straße des 17. Juni 5"`` -> ("Straße des 17. Juni", "5")."""
    m = _HAUSNUMMER.match(value.strip())
    if not m or not m["strasse"].strip(" ,"):
        return value, None
    return m["strasse"].strip(" ,"), re.sub(r"\s+", "", m["nr"])


def name_split(value: str) -> tuple[str | None, str]:
    """``"Müller, Anna"`` -> ("Anna", "Müller"); anything else is a surname alone."""
    if "," in value:
        last, _, first = value.partition(",")
        if last.strip() and first.strip():
            return first.strip(), last.strip()
    return None, value


FELDER_TEXT = (
    "anrede",
    "titel",
    "vorname",
    "nachname",
    "strasse",
    "hausnummer",
    "adresszusatz",
    "ort",
    "ortsverein",
    "unterbezirk",
)


def normalize_row(
    cells: dict[str, Any], zeile: int, stand: date
) -> tuple[dict[str, Any] | None, list[Problem]]:
    """Normalize one row (field -> raw cell). Returns (record or None if rejected, problems)."""
    problems: list[Problem] = []
    record: dict[str, Any] = {"_zeile": zeile, "_warnfelder": []}

    def warn(feld: str, meldung: str) -> None:
        problems.append(Problem(zeile, feld, meldung, schwer=False))
        record["_warnfelder"].append(feld)

    def reject(feld: str | None, meldung: str) -> None:
        problems.append(Problem(zeile, feld, meldung, schwer=True))

    for feld in FELDER_TEXT:
        if feld in cells:
            record[feld] = text(cells[feld])

    if "strasse" in cells and "hausnummer" not in cells and record.get("strasse"):
        record["strasse"], record["hausnummer"] = strasse_split(record["strasse"])

    number = text(cells.get("mitgliedsnummer"))
    if number is None:
        reject("mitgliedsnummer", "Mitgliedsnummer fehlt")
    else:
        record["mitgliedsnummer"] = number
        record["nr"] = nummer_key(number)

    if "nachname" in cells and "vorname" not in cells and record.get("nachname"):
        first, last = name_split(record["nachname"])
        record["vorname"], record["nachname"] = first, last
    if not record.get("vorname") and not record.get("nachname"):
        reject("nachname", "Name fehlt (weder Vorname noch Nachname)")

    if not record.get("ortsverein"):
        reject("ortsverein", "Ortsverein fehlt")

    raw_eintritt = cells.get("eintrittsdatum")
    try:
        eintritt = datum(raw_eintritt)
    except UngueltigesDatum as exc:
        eintritt = None
        reject("eintrittsdatum", f"Eintrittsdatum: {exc}")
    else:
        if eintritt is None:
            reject("eintrittsdatum", "Eintrittsdatum fehlt")
        elif eintritt > stand:
            reject(
                "eintrittsdatum",
                f"Eintrittsdatum {de(eintritt)} liegt nach dem Stand des Exports ({de(stand)})",
            )
    record["eintrittsdatum"] = eintritt

    if "austrittsdatum" in cells:
        try:
            austritt = datum(cells.get("austrittsdatum"))
        except UngueltigesDatum as exc:
            austritt = None
            reject("austrittsdatum", f"Austrittsdatum: {exc}")
        if austritt and eintritt and austritt < eintritt:
            reject(
                "austrittsdatum", f"Austrittsdatum {de(austritt)} liegt vor dem Eintrittsdatum {de(eintritt)}"
            )
        record["austrittsdatum"] = austritt

    if "geburtsdatum" in cells:
        raw = cells.get("geburtsdatum")
        try:
            geburt = datum(raw)
        except UngueltigesDatum as exc:
            warn("geburtsdatum", f"Geburtsdatum: {exc} (übernommen wie angegeben)")
            record["geburtsdatum"] = text(raw)
        else:
            if geburt and (geburt > stand or geburt.year < stand.year - 120):
                warn("geburtsdatum", f"Geburtsdatum {de(geburt)} ist unplausibel (übernommen)")
            record["geburtsdatum"] = geburt

    if "geschlecht" in cells or "anrede" in cells:
        record["geschlecht"] = geschlecht(cells.get("geschlecht"), record.get("anrede"))
        raw_g = text(cells.get("geschlecht"))
        if raw_g and record["geschlecht"] is None:
            warn("geschlecht", f"Geschlecht „{raw_g}“ unbekannt (erwartet w/m/d, übernommen)")
            record["geschlecht"] = raw_g

    if "land" in cells:
        record["land"] = land(cells.get("land"))
    if "plz" in cells:
        raw_plz = text(cells.get("plz"))
        if raw_plz:
            value, ok = plz(raw_plz, record.get("land") is None)
            record["plz"] = value
            if not ok:
                warn("plz", f"PLZ „{raw_plz}“ ist keine deutsche Postleitzahl (übernommen)")
        else:
            record["plz"] = None

    for feld in ("telefon", "mobil"):
        if feld in cells:
            raw_phone = text(cells.get(feld))
            if raw_phone:
                value, ok = telefon(raw_phone)
                record[feld] = value
                if not ok:
                    warn(
                        feld,
                        f"{'Telefon' if feld == 'telefon' else 'Mobil'} „{raw_phone}“ ist keine gültige Nummer (übernommen)",
                    )
            else:
                record[feld] = None

    if "email" in cells:
        raw_mail = text(cells.get("email"))
        record["email"] = raw_mail
        if raw_mail and not _EMAIL.match(raw_mail):
            warn("email", f"E-Mail „{raw_mail}“ ist ungültig (übernommen)")

    # Only the channels the export has a column for are set; the others keep what the store knows.
    flags: dict[str, bool] = {}
    for feld in ("kein_anruf", "keine_post", "keine_email"):
        if feld in cells:
            flags[feld] = bool(parse_flag(cells[feld]))
    for feld, blocked in (
        ("anruf_erwuenscht", "kein_anruf"),
        ("post_erwuenscht", "keine_post"),
        ("email_erwuenscht", "keine_email"),
    ):
        if feld in cells:
            said_no = parse_flag(cells[feld]) is False and text(cells[feld]) is not None
            flags[blocked] = flags.get(blocked, False) or said_no
    if "sperrvermerk" in cells:
        blocks = sperrvermerk(cells["sperrvermerk"])
        for feld in ("kein_anruf", "keine_post", "keine_email"):
            flags[feld] = flags.get(feld, False) or blocks.get(feld, False)
    record.update(flags)

    if any(p.schwer for p in problems):
        return None, problems
    return record, problems
