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
from operator import is_, itemgetter, methodcaller
from typing import Any

from mitgliederarbeit import felder
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


_FLOAT_TEXT = re.compile(r"\d+\.0")
_TRENNER = re.compile(r"[\s/()\-.]")
# A German number written only with digits and the usual separators, optionally +49 in front: the fast path.
_EINFACH = re.compile(r"\+?[0-9 /()\-.]+")
_EINFACH_TRENNER = re.compile(r"[ /()\-.]")


@lru_cache(maxsize=1)
def _gueltig_de() -> dict[int, tuple[re.Pattern[str], re.Pattern[str]] | None]:
    """Per length of the national number: (general pattern, any number type) from phonenumbers' DE metadata.

    ``phonenumbers.is_valid_number`` checks the same patterns one type at a time through its regex cache, at
    about 40 µs a number; two precompiled matches give the same answer in well under one.
    """
    import phonenumbers

    metadata: Any = phonenumbers.PhoneMetadata.metadata_for_region("DE")
    general = metadata.general_desc
    types: list[Any] = [
        getattr(metadata, name)
        for name in (
            "premium_rate",
            "toll_free",
            "shared_cost",
            "voip",
            "personal_number",
            "pager",
            "uan",
            "voicemail",
            "fixed_line",
            "mobile",
        )
    ]
    result: dict[int, tuple[re.Pattern[str], re.Pattern[str]] | None] = {}
    for length in range(1, 18):
        if general.possible_length and length not in general.possible_length:
            result[length] = None
            continue
        patterns = [
            desc.national_number_pattern
            for desc in types
            if desc is not None
            and desc.national_number_pattern
            and (not desc.possible_length or length in desc.possible_length)
        ]
        result[length] = (
            (
                re.compile(f"(?:{general.national_number_pattern})"),
                re.compile("|".join(f"(?:{p})" for p in patterns)),
            )
            if patterns and general.national_number_pattern
            else None
        )
    _GUELTIG.update(result)
    return result


_GUELTIG: dict[int, tuple[re.Pattern[str], re.Pattern[str]] | None] = {}  # filled by _gueltig_de()


def _de_gueltig(national: str) -> bool:
    """Whether a German national significant number (no leading 0) is valid, as phonenumbers decides."""
    check = _gueltig_de().get(len(national))
    return (
        check is not None
        and check[0].fullmatch(national) is not None
        and check[1].fullmatch(national) is not None
    )


def _telefon_schnell(candidate: str) -> str | None:
    """E.164 for a plainly written valid German number (0351 1234567, +49 351 1234567, 0351/123-4567).

    ``None`` means: ask phonenumbers. Only forms where ``phonenumbers.parse(candidate, "DE")`` provably takes the
    national number as the digits after the 0 (or after +49) are answered here, and only when they are valid;
    everything else (other countries, 0049, extensions, letters, invalid numbers) goes the slow, exact way.
    """
    if not _EINFACH.fullmatch(candidate) or "+" in candidate[1:]:
        return None
    digits = _EINFACH_TRENNER.sub("", candidate)
    if digits.startswith("+49"):
        national = digits[3:]
    elif digits.startswith("0") and not digits.startswith("00"):
        national = digits[1:]
    else:
        return None
    if not national or national[0] == "0" or not national.isdigit() or not _de_gueltig(national):
        return None
    return "+49" + national


@lru_cache(maxsize=262144)
def telefon(value: str) -> tuple[str, bool]:
    """(E.164 number, ok); on failure the value as it was. A number that lost its leading 0 gets it back."""
    return _telefon(value)


def _telefon(value: str) -> tuple[str, bool]:
    raw = value.strip()
    candidate = raw
    if _FLOAT_TEXT.fullmatch(candidate):  # a number cell written as float text
        candidate = candidate[:-2]
    digits = _TRENNER.sub("", candidate)
    if digits.isdigit() and not digits.startswith("0") and 7 <= len(digits) <= 12:
        candidate = "0" + digits  # 3511234567 -> 03511234567 (Excel dropped the zero)
    fast = _telefon_schnell(candidate)
    if fast is not None:
        return fast, True
    return _telefon_langsam(raw, candidate)


def _telefon_direkt(raw: str) -> str | None:
    """:func:`telefon` for a stripped value in the usual forms, in one pass; ``None``: ask :func:`telefon`.

    Answers only where :func:`_telefon_schnell` would answer for the candidate :func:`telefon` makes: the value
    holds nothing but ASCII digits, separators and a leading +, and it is a valid German number.
    """
    if raw.endswith(".0") and _FLOAT_TEXT.fullmatch(raw):
        raw = raw[:-2]
    # the separators _EINFACH allows, removed (str.replace beats translate and re.sub here by far)
    digits = (
        raw.replace(" ", "")
        .replace("/", "")
        .replace("-", "")
        .replace("(", "")
        .replace(")", "")
        .replace(".", "")
    )
    first = digits[:1]
    if first == "0":
        national = digits[1:]
    elif first == "+":
        if raw[0] != "+" or not digits.startswith("+49"):
            return None
        national = digits[3:]
    elif 7 <= len(digits) <= 12:  # Excel dropped the 0
        national = digits
    else:
        return None
    # nothing but ASCII digits and separators was there (what _EINFACH allows), and no 0 after the prefix
    if not national.isdigit() or not national.isascii() or national[0] == "0":
        return None
    check = (_GUELTIG or _gueltig_de()).get(len(national))
    if check is None or check[0].fullmatch(national) is None or check[1].fullmatch(national) is None:
        return None
    return "+49" + national


def _telefon_langsam(raw: str, candidate: str) -> tuple[str, bool]:
    import phonenumbers

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
    national = e164[3:]
    if (
        e164.startswith("+49")
        and national.isdigit()
        and national.isascii()
        and national[0] != "0"
        and 2 <= len(national) <= 17
    ):
        din = _din_de(national)
        if din is not None:
            return din
        # what parse() would build from a German E.164 number, without parsing it
        parsed = phonenumbers.PhoneNumber(country_code=49, national_number=int(national))
    else:
        try:
            parsed = phonenumbers.parse(e164, None)
        except phonenumbers.NumberParseException:
            return e164
    if parsed.country_code == 49:
        formatted = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
        area, _, rest = formatted.partition(" ")
        return f"{area} {rest.replace(' ', '')}".strip()
    international = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    parts = international.split(" ")
    return " ".join(parts[:3]) + "".join(parts[3:]) if len(parts) > 3 else international


_GRUPPEN = re.compile(r"(?:\(\\d\{\d+(?:,\d+)?\}\)|\(\\d\))+")


@lru_cache(maxsize=1)
def _de_formate() -> list[tuple[re.Pattern[str] | None, re.Pattern[str], bool]]:
    """The national formats of German numbers as phonenumbers chooses them: (leading digits, pattern, simple).

    Simple: the pattern is only groups of digits, the format puts spaces between them and the national prefix
    0 before the first, so the DIN display is 0, the first group, a space, and the rest of the number.
    """
    import phonenumbers

    formate = []
    metadata: Any = phonenumbers.PhoneMetadata.metadata_for_region("DE")
    f: Any
    for f in metadata.number_format:
        ld = re.compile(f.leading_digits_pattern[-1]) if f.leading_digits_pattern else None
        einfach = (
            f.national_prefix_formatting_rule == "0\\1"
            and _GRUPPEN.fullmatch(f.pattern) is not None
            and re.fullmatch(r"\\1(?: \\\d)+", f.format) is not None
        )
        formate.append((ld, re.compile(f.pattern), einfach))
    return formate


def _din_de(national: str) -> str | None:
    """DIN 5008 display of a German national number, choosing the format as phonenumbers does (first format
    whose leading digits match and whose pattern fits); ``None`` where that format is not a simple one."""
    for ld, pattern, einfach in _de_formate():
        if ld is not None and ld.match(national) is None:
            continue
        m = pattern.fullmatch(national)
        if m is None:
            continue
        if not einfach:
            return None
        area = m.group(1)
        return f"0{area} {national[len(area) :]}"
    return None


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


DATUMSFELDER = felder.DATUMSFELDER
FLAGS = felder.FLAGS  # the channels a member may have blocked
FELDER_TEXT = felder.TEXTFELDER


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
    for feld in FLAGS:
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
        for feld in FLAGS:
            flags[feld] = flags.get(feld, False) or blocks.get(feld, False)
    record.update(flags)

    if any(p.schwer for p in problems):
        return None, problems
    return record, problems


# --------------------------------------------------------------------------------------------------------------
# Whole columns at once (the import of large exports)
# --------------------------------------------------------------------------------------------------------------


class _Fehlt:
    """The record has no such key (e.g. no ``hausnummer`` when the street was empty and had to be split)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "FEHLT"


FEHLT: Any = _Fehlt()
_ZAHLEN = frozenset({int, float, bool})


class _Ungueltig:
    """A value :func:`normalize_row` would reject or warn about: that row goes through :func:`normalize_row`."""

    __slots__ = ()


_UNGUELTIG: Any = _Ungueltig()


def _abbilden(werte: list[Any], fn: Any, check: set[int], typen: list[Any] | None = None) -> list[Any]:
    """``[fn(v) for v in werte]``, computed once per distinct value; ``_UNGUELTIG`` results go into ``check``.

    Exports repeat values a lot (dates, PLZ, places, names), and the mapping itself runs in C. ``True``, ``1``
    and ``1.0`` are one key to a dict: where a column holds such values, keys are made of (type, value); for
    pairs, ``typen`` is the column whose type counts. A value ``fn`` raises on becomes ``_UNGUELTIG``.
    """
    try:
        distinct = set(werte if typen is None else typen)
        if (True in distinct or False in distinct) and len(
            set(map(type, werte if typen is None else typen)) & _ZAHLEN
        ) > 1:
            keys = [(type(t), v) for t, v in zip(werte if typen is None else typen, werte)]
            cache = {k: _sicher(fn, k[1]) for k in set(keys)}
            return _markiert(list(map(cache.__getitem__, keys)), cache, check)
        if typen is not None:
            distinct = set(werte)
        try:
            cache = dict(zip(distinct, map(fn, distinct)))
        except Exception:  # e.g. UngueltigesDatum: that value (and its rows) is checked the slow way
            cache = {v: _sicher(fn, v) for v in distinct}
        return _markiert(list(map(cache.__getitem__, werte)), cache, check)
    except TypeError:  # an unhashable cell: never from our readers, but stay exact
        result = [_sicher(fn, v) for v in werte]
        check.update(i for i, v in enumerate(result) if v is _UNGUELTIG)
        return result


def _sicher(fn: Any, value: Any) -> Any:
    try:
        return fn(value)
    except Exception:
        return _UNGUELTIG


def _markiert(result: list[Any], cache: dict[Any, Any], check: set[int]) -> list[Any]:
    if _UNGUELTIG in cache.values():
        check.update(i for i, v in enumerate(result) if v is _UNGUELTIG)
    return result


def _markieren(werte: list[Any], schlecht: Any, zeilen: set[int]) -> None:
    """Add the positions whose value satisfies ``schlecht`` (tested once per distinct value) to ``zeilen``."""
    try:
        bad = {v for v in set(werte) if schlecht(v)}
    except TypeError:
        bad = None
    if bad is None:
        zeilen.update(i for i, v in enumerate(werte) if schlecht(v))
    elif bad:
        zeilen.update(i for i, v in enumerate(werte) if v in bad)


def _saubere_texte(werte: list[Any]) -> bool:
    """Whether :func:`text` changes nothing in this column: only None and stripped, non-empty strings."""
    distinct = set(werte)
    distinct.discard(None)
    return (
        set(map(type, distinct)) <= {str}
        and "" not in distinct
        and all(map(is_, map(str.strip, distinct), distinct))
    )


_NUR_TEXT = frozenset({str, type(None)})
_NUR_DATUM = frozenset({date, type(None)})


def _texte(werte: list[Any], check: set[int], bereinigt: bool) -> list[Any]:
    """:func:`text` over a column. Text cells as :mod:`lesen` gives them (``bereinigt``) stay as they are."""
    if bereinigt and set(map(type, werte)) <= _NUR_TEXT:
        return werte  # text(v) is v for a stripped, non-empty str, and None stays None
    return werte if _saubere_texte(werte) else _abbilden(werte, text, check)


def _positionen(werte: list[Any], wert: Any) -> list[int]:
    """Where ``wert`` (None) stands; the search runs in C and finds nothing in most columns."""
    return [i for i, v in enumerate(werte) if v is wert] if wert in werte else []


def _nummern_keys(nummern: list[Any], check: set[int]) -> list[Any]:
    """:func:`nummer_key` over the member numbers as :func:`text` gives them (stripped str, or None)."""
    try:
        nur_ziffern = all(map(str.isdigit, nummern))
    except TypeError:  # a row without a number (None): checked the slow way anyway
        nur_ziffern = False
    if nur_ziffern:
        if not any(map(methodcaller("startswith", "0"), nummern)):
            return nummern  # digits without leading zeros are their own key
        keys = list(map(methodcaller("lstrip", "0"), nummern))
        return [k or "0" for k in keys] if "" in keys else keys
    return _abbilden(nummern, lambda v: nummer_key(v) if isinstance(v, str) else None, check)


# From this many rows on, phone and date columns are worked out with polars: below, importing it costs more than
# it saves.
_SPALTE_MIT_POLARS = 2000


def _telefon_spalte(werte: list[Any], check: set[int]) -> list[Any]:
    """Phone cells -> E.164 (``_UNGUELTIG`` for a number that is kept as it was and warned about)."""
    if len(werte) >= _SPALTE_MIT_POLARS:
        return _telefon_mit_polars(werte, check)
    return _abbilden(werte, _telefon_zelle, check)


def _telefon_zelle(cell: Any) -> Any:
    """One phone cell -> E.164, ``None`` when empty, ``_UNGUELTIG`` when kept as it was and warned about."""
    raw = cell.strip() if type(cell) is str else text(cell)
    if not raw:
        return None
    value = _telefon_direkt(raw)
    if value is not None:
        return value
    value, ok = _telefon(raw)
    return value if ok else _UNGUELTIG


def _telefon_mit_polars(werte: list[Any], check: set[int]) -> list[Any]:
    """:func:`_telefon_spalte` for a long column.

    The usual forms (what :func:`_telefon_direkt` answers) are worked out for the whole column at once with
    polars, in Rust and on every core; the national number is checked against the same phonenumbers patterns,
    one length at a time. The rest (other countries, 0049, letters, invalid numbers) goes value by value
    through :func:`_telefon_zelle`, the exact way.
    """
    import polars as pl

    texte = [c.strip() if type(c) is str else text(c) for c in werte]
    result: list[Any] = _telefon_polars(pl.Series("raw", texte, dtype=pl.String)).to_list()

    cache: dict[str, Any] = {}
    for i, value in enumerate(result):
        raw = texte[i]
        if value is None and raw:
            if raw not in cache:
                cache[raw] = _sicher(_telefon_zelle, raw)
            value = result[i] = cache[raw]
            if value is _UNGUELTIG:
                check.add(i)
    return result


def _telefon_polars(rohe: Any) -> Any:
    """The usual forms of a polars column of phone texts as E.164, in Rust; null for everything else."""
    import polars as pl

    rohe = rohe.alias("raw")
    ohne_null = (
        pl.when(pl.col("raw").str.contains(r"^\d+\.0$"))
        .then(pl.col("raw").str.slice(0, pl.col("raw").str.len_chars() - 2))
        .otherwise(pl.col("raw"))
    )
    digits = pl.col("roh").str.replace_all(r"[ /()\-.]", "")
    national = (
        pl.when(pl.col("digits").str.starts_with("0"))
        .then(pl.col("digits").str.slice(1))
        .when(pl.col("digits").str.starts_with("+"))
        .then(
            pl.when(pl.col("roh").str.starts_with("+") & pl.col("digits").str.starts_with("+49")).then(
                pl.col("digits").str.slice(3)
            )
        )
        .when(pl.col("digits").str.len_chars().is_between(7, 12))
        .then(pl.col("digits"))
    )
    frame = (
        rohe.to_frame()
        .with_columns(roh=ohne_null)
        .with_columns(digits=digits)
        .with_columns(national=national)
        .with_columns(
            national=pl.when(
                pl.col("national").str.contains("^[0-9]+$") & ~pl.col("national").str.starts_with("0")
            ).then(pl.col("national"))
        )
        .with_columns(laenge=pl.col("national").str.len_chars())
    )
    nationals = frame["national"]
    laengen = frame["laenge"]
    gueltig = pl.repeat(False, len(rohe), dtype=pl.Boolean, eager=True).alias("gueltig")
    muster = _GUELTIG or _gueltig_de()
    for laenge in laengen.drop_nulls().unique().to_list():
        check_ = muster.get(laenge)
        if check_ is None:
            continue
        maske = laengen == laenge
        teil = nationals.filter(maske)
        ok = teil.str.contains(f"^(?:{check_[0].pattern})$") & teil.str.contains(f"^(?:{check_[1].pattern})$")
        gueltig = gueltig.scatter(maske.arg_true(), ok)
    return (
        pl.DataFrame({"g": gueltig, "n": nationals})
        .select(pl.when(pl.col("g")).then(pl.lit("+49") + pl.col("n")))
        .to_series()
    )


def normalize_columns(
    cells: dict[str, list[Any]], anzahl: int, stand: date, *, bereinigt: bool = False
) -> tuple[dict[str, list[Any]], set[int]]:
    """:func:`normalize_row` for whole columns: field -> raw cells of every row.

    Returns (field -> values, positions to check). Every row not in the second set is clean: it has no problem,
    and its values are exactly those :func:`normalize_row` gives (``FEHLT`` where that record has no such key).
    The rows in the set may have a problem; the caller runs :func:`normalize_row` on them, which knows every
    message. The values are computed by the same functions, once per distinct cell. ``bereinigt``: the cells
    are as :mod:`lesen` gives them (see :attr:`lesen.Blatt.bereinigt`).
    """
    leer: list[Any] = [None] * anzahl

    def raw(feld: str) -> list[Any]:
        return cells.get(feld, leer)

    out: dict[str, list[Any]] = {}
    check: set[int] = set()
    for feld in FELDER_TEXT:
        if feld in cells:
            out[feld] = _texte(cells[feld], check, bereinigt)

    if "strasse" in cells and "hausnummer" not in cells:
        paare = _abbilden(out["strasse"], lambda s: strasse_split(s) if s else (s, FEHLT), check)
        out["strasse"] = list(map(itemgetter(0), paare))
        out["hausnummer"] = list(map(itemgetter(1), paare))

    nummern = _texte(raw("mitgliedsnummer"), check, bereinigt)
    check.update(_positionen(nummern, None))
    out["mitgliedsnummer"] = nummern
    out["nr"] = _nummern_keys(nummern, check)

    if "nachname" in cells and "vorname" not in cells:
        paare = _abbilden(out["nachname"], lambda s: name_split(s) if s else (FEHLT, s), check)
        out["nachname"] = list(map(itemgetter(1), paare))
        out["vorname"] = list(map(itemgetter(0), paare))
    vornamen, nachnamen = out.get("vorname", leer), out.get("nachname", leer)
    # text() gives a non-empty str or None, so None is the only empty name or Ortsverein
    check.update(i for i in _positionen(nachnamen, None) if not vornamen[i] or vornamen[i] is FEHLT)
    check.update(_positionen(out.get("ortsverein", leer), None))

    eintritt = _daten(raw("eintrittsdatum"), check, lambda d: d is None or d > stand)
    out["eintrittsdatum"] = eintritt

    if "austrittsdatum" in cells:
        austritt = _daten(cells["austrittsdatum"], check, lambda d: False)
        mit_austritt: set[int] = set()
        _markieren(austritt, lambda a: isinstance(a, date), mit_austritt)
        check.update(i for i in mit_austritt if isinstance(eintritt[i], date) and austritt[i] < eintritt[i])
        out["austrittsdatum"] = austritt

    if "geburtsdatum" in cells:
        out["geburtsdatum"] = _daten(
            cells["geburtsdatum"],
            check,
            lambda d: d is not None and (d > stand or d.year < stand.year - 120),
        )

    if "geschlecht" in cells or "anrede" in cells:
        anreden = out.get("anrede", leer)

        def gender(cell: Any, anrede: str | None) -> Any:
            value = geschlecht(cell, anrede)
            return _UNGUELTIG if value is None and text(cell) else value

        if "geschlecht" in cells:
            out["geschlecht"] = _abbilden(
                list(zip(cells["geschlecht"], anreden)), lambda p: gender(*p), check, cells["geschlecht"]
            )
        else:
            out["geschlecht"] = _abbilden(anreden, lambda a: gender(None, a), check)

    if "land" in cells:
        out["land"] = _abbilden(cells["land"], land, check)
    if "plz" in cells:

        def postleitzahl(cell: Any, inland: bool) -> Any:
            raw_plz = text(cell)
            if not raw_plz:
                return None
            value, ok = plz(raw_plz, inland)
            return value if ok else _UNGUELTIG

        if "land" in cells:
            inland = [v is None for v in out["land"]]
            out["plz"] = _abbilden(
                list(zip(cells["plz"], inland)), lambda p: postleitzahl(*p), check, cells["plz"]
            )
        else:
            out["plz"] = _abbilden(cells["plz"], lambda c: postleitzahl(c, True), check)

    for feld in ("telefon", "mobil"):
        if feld in cells:
            out[feld] = _telefon_spalte(cells[feld], check)

    if "email" in cells:
        mails = _texte(cells["email"], check, bereinigt)
        _markieren(mails, lambda v: v and v is not _UNGUELTIG and not _EMAIL.match(v), check)
        out["email"] = mails

    flags: dict[str, list[Any]] = {}
    for feld in FLAGS:
        if feld in cells:
            flags[feld] = _abbilden(cells[feld], lambda c: bool(parse_flag(c)), check)
    for feld, blocked in (
        ("anruf_erwuenscht", "kein_anruf"),
        ("post_erwuenscht", "keine_post"),
        ("email_erwuenscht", "keine_email"),
    ):
        if feld in cells:
            said_no = _abbilden(cells[feld], lambda c: parse_flag(c) is False and text(c) is not None, check)
            flags[blocked] = (
                [a or b for a, b in zip(flags[blocked], said_no)] if blocked in flags else said_no
            )
    if "sperrvermerk" in cells:
        blocks = _abbilden(cells["sperrvermerk"], sperrvermerk, check)
        for feld in FLAGS:
            neu = [b.get(feld, False) if isinstance(b, dict) else False for b in blocks]
            flags[feld] = [a or b for a, b in zip(flags[feld], neu)] if feld in flags else neu
    out.update(flags)
    return out, check


def _daten(werte: list[Any], check: set[int], schlecht: Any) -> list[Any]:
    """:func:`datum` over a column; rows whose date is impossible or ``schlecht`` go into ``check``.

    A column of date cells (an xlsx with date formatting) stays as it is.
    """
    if set(map(type, werte)) <= _NUR_DATUM:
        _markieren(werte, schlecht, check)
        return werte

    def parse(value: Any) -> Any:
        try:
            day = parse_datum(value)
        except UngueltigesDatum:
            return _UNGUELTIG
        return _UNGUELTIG if schlecht(day) else day

    if len(werte) < _SPALTE_MIT_POLARS or not set(map(type, werte)) <= _NUR_TEXT:
        return _abbilden(werte, parse, check)
    return _daten_aus_text(werte, check, schlecht, parse)


# 31.03.2025 and 1.3.2025: what csv exports hold nearly always. Only these are read with polars (exactly as
# parse_datum reads them); everything else goes value by value through parse_datum.
_TMJ = r"^[0-9]{1,2}\.[0-9]{1,2}\.[1-9][0-9]{3}$"


def _daten_aus_text(werte: list[Any], check: set[int], schlecht: Any, parse: Any) -> list[Any]:
    """:func:`_daten` for a column of text cells: the usual form read at once, the rest one by one."""
    import polars as pl

    spalte = pl.Series("wert", werte, dtype=pl.String)
    einfach = pl.col("wert").str.contains(_TMJ)
    # only the usual form is handed to polars: it reads "1.1.0025" or "31.3.25" its own way
    tage: list[Any] = (
        spalte.to_frame()
        .select(pl.when(einfach).then(pl.col("wert").str.to_date("%d.%m.%Y", strict=False)))
        .to_series()
        .to_list()
    )
    rest: dict[Any, Any] = {}
    for i, tag in enumerate(tage):
        if tag is None:  # None, another form, or an impossible day like 31.02.2025
            value = werte[i]
            if value not in rest:
                rest[value] = parse(value)
            tage[i] = rest[value]
    schlechte = {tag for tag in set(tage) if tag is not _UNGUELTIG and schlecht(tag)}
    if schlechte or _UNGUELTIG in rest.values():
        for i, tag in enumerate(tage):
            if tag is _UNGUELTIG:
                check.add(i)
            elif tag in schlechte:
                tage[i] = _UNGUELTIG
                check.add(i)
    return tage
