"""Telephone numbers: the rule for what is a valid German number and its E.164 form (every import), and the
DIN 5008 display (call lists, packages, segment lists).

phonenumbers is the authority for both. Its answers for the usual German forms are computed here from its
metadata without asking it number by number (an import has hundreds of thousands), and tests hold the two equal.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from mitgliederarbeit.laufzeit import cache_ordner

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


def gueltige_muster() -> dict[int, tuple[re.Pattern[str], re.Pattern[str]] | None]:
    """Per length of a German national number: the two patterns a valid number matches (see :func:`_gueltig_de`)."""
    return _GUELTIG or _gueltig_de()


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
    return telefon_pruefen(value)


def telefon_pruefen(value: str) -> tuple[str, bool]:
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


def telefon_direkt(raw: str) -> str | None:
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
    check = gueltige_muster().get(len(national))
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


def ziffern(wert: str) -> str:
    """A phone number's digits without the country code of Germany and the leading zero, to compare two numbers
    however they are written ("+49 351 1234567", "0351 1234567", Excel's 3511234567); abroad with its "+"."""
    roh = wert.strip()
    digits = re.sub(r"\D", "", roh)
    if roh.startswith("+") or digits.startswith("00"):
        digits = digits.lstrip("0")
        if not digits.startswith("49"):
            return f"+{digits}"
        digits = digits[2:]
    return digits.lstrip("0")


@lru_cache(maxsize=65536)
def telefon_anzeige(e164: str) -> str:
    """DIN 5008 display: ``0351 1234567`` at home, ``+43 1 5123456`` abroad; unparseable values as they are."""
    if not e164 or not e164.startswith("+"):
        return e164 or ""
    national = e164[3:]
    deutsch = (
        e164.startswith("+49")
        and national.isdigit()
        and national.isascii()
        and national[0] != "0"
        and 2 <= len(national) <= 17
    )
    if deutsch:
        din = _din_de(national)
        if din is not None:
            return din
    import phonenumbers  # a number abroad, or a German one in a format with more than two groups

    if deutsch:
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


@lru_cache(maxsize=1)
def _de_formate() -> list[tuple[str | None, str, bool]]:
    """The national formats of German numbers as phonenumbers chooses them: (leading digits, pattern, simple).

    Simple: the pattern is only groups of digits, the format puts spaces between them and the national prefix
    0 before the first, so the DIN display is 0, the first group, a space, and the rest of the number.

    Read from phonenumbers' metadata once and kept in the user's cache folder (formats only, no number of
    anybody), under the size and time of the metadata file it came from: showing a number then needs no
    phonenumbers (its import is a tenth of a small call list), and an update of phonenumbers is seen at once.
    What the cache holds is checked as it is read (types, patterns that compile); anything else, and a cache
    written by another version of this rule (:data:`_CACHE_FORMAT`), is made again. :func:`_de_muster` compiles
    them once for the display.
    """
    quelle = _de_metadaten()
    ordner = cache_ordner()
    datei = None if ordner is None or quelle is None else ordner / "telefonformate-de.json"
    if datei is not None:
        with contextlib.suppress(OSError, ValueError, TypeError, KeyError, re.error):
            gespeichert = json.loads(datei.read_text(encoding="utf-8"))
            if gespeichert["quelle"] == quelle:
                return _gepruefte_formate(gespeichert["formate"])
    formate = _de_formate_aus_phonenumbers()
    if datei is not None:
        tmp = datei.with_name(f".{datei.name}.{os.getpid()}.tmp")
        try:
            datei.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_text(json.dumps({"quelle": quelle, "formate": formate}), encoding="utf-8")
            os.replace(tmp, datei)
        except OSError:
            with contextlib.suppress(OSError):
                tmp.unlink()
    return formate


_CACHE_FORMAT = (
    "1"  # raised when what _de_formate_aus_phonenumbers keeps changes: older caches are made again
)


def _gepruefte_formate(formate: object) -> list[tuple[str | None, str, bool]]:
    """The formats read from the cache if each is (leading digits or None, pattern, bool) and its patterns
    compile; else ValueError (then they are made again)."""
    if not isinstance(formate, list) or not formate:
        raise ValueError("keine Formate")
    result: list[tuple[str | None, str, bool]] = []
    for eintrag in formate:
        if not isinstance(eintrag, list) or len(eintrag) != 3:
            raise ValueError(eintrag)
        ld, muster, einfach = eintrag
        if (
            not (ld is None or isinstance(ld, str))
            or not isinstance(muster, str)
            or not isinstance(einfach, bool)
        ):
            raise ValueError(eintrag)
        for p in (ld, muster):
            if p is not None:
                re.compile(p)
        result.append((ld, muster, einfach))
    return result


def _de_metadaten() -> str | None:
    """Which metadata file of phonenumbers holds the German formats, with its size and time; ``None`` if it is
    not a plain file (then nothing is kept)."""
    spec = importlib.util.find_spec("phonenumbers")  # finds the package without importing it
    if spec is None or not spec.submodule_search_locations:
        return None
    pfad = Path(next(iter(spec.submodule_search_locations))) / "data" / "region_DE.py"
    try:
        stat = pfad.stat()
    except OSError:
        return None
    return f"{_CACHE_FORMAT}|{pfad}|{stat.st_size}|{stat.st_mtime_ns}"


def _de_formate_aus_phonenumbers() -> list[tuple[str | None, str, bool]]:
    import phonenumbers

    gruppen = re.compile(r"(?:\(\\d\{\d+(?:,\d+)?\}\)|\(\\d\))+")
    formate: list[tuple[str | None, str, bool]] = []
    metadata: Any = phonenumbers.PhoneMetadata.metadata_for_region("DE")
    f: Any
    for f in metadata.number_format:
        einfach = (
            f.national_prefix_formatting_rule == "0\\1"
            and gruppen.fullmatch(f.pattern) is not None
            and re.fullmatch(r"\\1(?: \\\d)+", f.format) is not None
        )
        formate.append(
            (f.leading_digits_pattern[-1] if f.leading_digits_pattern else None, f.pattern, einfach)
        )
    return formate


@lru_cache(maxsize=1)
def _de_muster() -> list[tuple[Callable[[str], Any] | None, Callable[[str], Any], bool]]:
    """:func:`_de_formate` compiled once: (match of the leading digits, fullmatch of the pattern, simple). A
    call list shows thousands of numbers, each tried against several formats."""
    return [
        (None if ld is None else re.compile(ld).match, re.compile(muster).fullmatch, einfach)
        for ld, muster, einfach in _de_formate()
    ]


def _din_de(national: str) -> str | None:
    """DIN 5008 display of a German national number, choosing the format as phonenumbers does (first format
    whose leading digits match and whose pattern fits); ``None`` where that format is not a simple one."""
    for fuehrend, muster, einfach in _de_muster():
        if fuehrend is not None and fuehrend(national) is None:
            continue
        m = muster(national)
        if m is None:
            continue
        if not einfach:
            return None
        area = m.group(1)
        return f"0{area} {national[len(area) :]}"
    return None
