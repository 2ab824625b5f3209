"""Member numbers: the one rule for which spellings are one number (its key), used by every import and by the
store's migration that re-keys numbers stored under an earlier rule."""

from __future__ import annotations

import re
import unicodedata

# Characters that never belong to a number: zero-width spaces and joiners, the BOM, the soft hyphen.
_UNSICHTBAR = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f"), None)
_GLEITKOMMA = re.compile(r"([0-9]+)[.,]0{1,2}")  # a number cell written as float text: 123.0, 123,00
# 9.300.507, 9,300,507, 9'300'507; also with a float's zeros after the other separator (German Excel's
# format #.##0,00: 9.300.507,00)
_TAUSENDER = re.compile(r"([0-9]{1,3}([.,'’])[0-9]{3}(?:\2[0-9]{3})*)(?:(?!\2)[.,]0{1,2})?")
_EXPONENT = re.compile(r"([0-9]+)(?:[.,]([0-9]+))?[eE]\+([0-9]{1,2})")  # 9.3E+06, 9,300507E+06


def nummer_text(display: str) -> str:
    """A member number as written, cleaned of what spreadsheets and databases add to it: invisible characters
    (zero-width space, BOM), every kind of space, full-width digits (NFKC), a float's ``.0`` (``123.0``),
    thousands separators (``9.300.507``) and an exact exponent form (``9.300507E+06``). Leading zeros stay
    (they are shown); an exponent form that lost digits stays as it is (see :func:`nummer_gekuerzt`)."""
    cleaned = "".join(unicodedata.normalize("NFKC", display).translate(_UNSICHTBAR).split())
    if cleaned.isdigit() and cleaned.isascii():
        return cleaned
    if m := _GLEITKOMMA.fullmatch(cleaned):
        return m[1]
    if m := _TAUSENDER.fullmatch(cleaned):
        return re.sub(r"[.,'’]", "", m[1])
    if (m := _EXPONENT.fullmatch(cleaned)) and len(m[2] or "") == int(m[3]):
        return m[1] + (m[2] or "")  # every digit is there: 9.300507E+06 = 9300507
    return cleaned


def nummer_gekuerzt(display: str) -> bool:
    """Whether the number is an exponent form that lost digits (``9.3E+06``: Excel showed 9300507 rounded).

    Which member it was cannot be known: such a row is rejected, never taken as another member."""
    return _EXPONENT.fullmatch(nummer_text(display)) is not None


def nummer_bereich(display: str) -> tuple[int, int] | None:
    """The numbers a shortened exponent form may stand for (``9.3E+06``: 9250000 to 9350000), else ``None``."""
    m = _EXPONENT.fullmatch(nummer_text(display))
    if m is None:
        return None
    bruch, hoch = m[2] or "", int(m[3])
    if len(bruch) > hoch:
        return None  # no whole number at all
    mitte = int(m[1] + bruch) * 10 ** max(hoch - len(bruch), 0)
    halb = 10 ** max(hoch - len(bruch), 0) // 2
    return mitte - halb, mitte + halb


def nummer_key(display: str) -> str:
    """The identity of a member number: every spelling of one number gives one key (:func:`nummer_text`), and
    leading zeros do not count (0012345 = 12345, Excel drops them); letters are compared in capitals."""
    cleaned = nummer_text(display)
    if cleaned.isdigit() and cleaned.isascii():
        return cleaned.lstrip("0") or "0"
    return cleaned.upper()
