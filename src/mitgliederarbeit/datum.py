"""Dates as membership officers write them, and the calendar arithmetic of the rules.

Everything here is pure: the Stichtag ("today") is always a parameter, never ``date.today()``.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from mitgliederarbeit.errors import BedienFehler, EingabeFehler

# Excel's 1900 date system: serial 1 = 1900-01-01, and Excel pretends 1900-02-29 existed (serial 60).
_EXCEL_EPOCH = date(1899, 12, 30)
_MIN_SERIAL, _MAX_SERIAL = 1, 2958465  # 1900-01-01 .. 9999-12-31
# A date given on the command line (--stichtag, --von …) lies in this range: the rules count months and years
# from it, and 31.12.9999 plus a month is no date any more (README, „Globale Optionen“).
OPTION_VON, OPTION_BIS = date(1900, 1, 1), date(2199, 12, 31)

_DMY = re.compile(r"^(\d{1,2})\s*[./-]\s*(\d{1,2})\s*[./-]\s*(\d{2}|\d{4})$")
_YMD = re.compile(r"^(\d{4})\s*[-./]\s*(\d{1,2})\s*[-./]\s*(\d{1,2})$")
_TIME_SUFFIX = re.compile(r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_MONATE = {
    "jan": 1,
    "januar": 1,
    "jänner": 1,
    "feb": 2,
    "februar": 2,
    "mär": 3,
    "märz": 3,
    "maerz": 3,
    "mrz": 3,
    "apr": 4,
    "april": 4,
    "mai": 5,
    "jun": 6,
    "juni": 6,
    "jul": 7,
    "juli": 7,
    "aug": 8,
    "august": 8,
    "sep": 9,
    "sept": 9,
    "september": 9,
    "okt": 10,
    "oktober": 10,
    "nov": 11,
    "november": 11,
    "dez": 12,
    "dezember": 12,
}
_DMY_TEXT = re.compile(r"^(\d{1,2})\.?\s*([a-zA-ZäÄ]+)\.?\s*(\d{2}|\d{4})$")


class UngueltigesDatum(ValueError):
    """A value that looks like a date but is impossible (31.02.2020) or is no date at all."""


# Excel's rule for two-digit years: 00-29 -> 2000-2029, 30-99 -> 1930-1999.
JAHRHUNDERTWECHSEL = 30


def _two_digit_year(yy: int) -> int:
    return 2000 + yy if yy < JAHRHUNDERTWECHSEL else 1900 + yy


def _build(y: int, m: int, d: int, raw: object) -> date:
    try:
        return date(y, m, d)
    except ValueError:
        raise UngueltigesDatum(f"„{raw}“ ist kein gültiges Datum") from None


def parse_datum(value: object, monat_zuerst: bool = False) -> date | None:
    """Read a date in any common form; ``None`` for an empty cell.

    Accepts date/datetime objects, Excel serial numbers, ``31.03.2025``, ``31.3.25``, ``2025-03-31``,
    ``2025-03-31 00:00:00`` and ``20250331``. Raises :class:`UngueltigesDatum` for anything else.
    ``monat_zuerst``: a date written with "/" is month/day/year (``11/23/2019``; a column whose values show it,
    see :func:`reihenfolge`); else day first, as in Germany.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise UngueltigesDatum(f"„{value}“ ist kein Datum")
    if isinstance(value, (int, float)):
        if value != value:  # NaN
            return None
        return _from_serial(value, value)
    text = str(value).strip()
    if not text:
        return None
    text = _TIME_SUFFIX.sub("", text)
    if m := _DMY.match(text):
        d, mo, y = int(m[1]), int(m[2]), m[3]
        if monat_zuerst and "/" in text:
            d, mo = mo, d
        year = _two_digit_year(int(y)) if len(y) == 2 else int(y)
        return _build(year, mo, d, value)
    if m := _YMD.match(text):
        return _build(int(m[1]), int(m[2]), int(m[3]), value)
    if (m := _DMY_TEXT.match(text)) and m[2].lower() in _MONATE:  # "31. März 2025"
        year = _two_digit_year(int(m[3])) if len(m[3]) == 2 else int(m[3])
        return _build(year, _MONATE[m[2].lower()], int(m[1]), value)
    if m := _COMPACT.match(text):
        return _build(int(m[1]), int(m[2]), int(m[3]), value)
    # A serial number that came in as text ("45382" or "45382.0") from a csv.
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        raise UngueltigesDatum(f"„{text}“ ist kein Datum (erwartet z. B. 31.03.2025)") from None
    return _from_serial(number, value)


_SCHRAEG = re.compile(r"^(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(?:\d{2}|\d{4})$")


@dataclass(frozen=True)
class Reihenfolge:
    """How a column writes its dates with "/": values only day-first can read ("23/11/2019"), values only
    month-first can read ("11/23/2019"; a few of each, as written), and how many either order reads, differently
    ("03/04/2015")."""

    nur_tag_zuerst: tuple[str, ...] = ()
    nur_monat_zuerst: tuple[str, ...] = ()
    offen: int = 0

    @property
    def monat_zuerst(self) -> bool:
        return bool(self.nur_monat_zuerst) and not self.nur_tag_zuerst

    @property
    def gemischt(self) -> bool:
        return bool(self.nur_monat_zuerst) and bool(self.nur_tag_zuerst)


def reihenfolge(werte: Iterable[object], beispiele: int = 3) -> Reihenfolge:
    """The order of day and month in a column's dates written with "/", from its (distinct) values: a first
    number above 12 can only be a day, a second above 12 only a day too (then the month came first)."""
    tag: list[str] = []
    monat: list[str] = []
    offen = 0
    for value in werte:
        if not isinstance(value, str):
            continue
        m = _SCHRAEG.match(_TIME_SUFFIX.sub("", value.strip()))
        if not m:
            continue
        a, b = int(m[1]), int(m[2])
        if a > 12 >= b:
            tag.append(value.strip())
        elif b > 12 >= a:
            monat.append(value.strip())
        elif a != b and a <= 12 and b <= 12:
            offen += 1
    return Reihenfolge(tuple(sorted(tag)[:beispiele]), tuple(sorted(monat)[:beispiele]), offen)


def _from_serial(number: float, raw: object) -> date:
    if not (_MIN_SERIAL <= number <= _MAX_SERIAL) or number != int(number):
        raise UngueltigesDatum(f"„{raw}“ ist kein Datum")
    serial = int(number)
    if serial == 60:
        raise UngueltigesDatum("Excel-Datum 29.02.1900 gibt es nicht")
    if serial < 60:
        serial += 1  # before Excel's phantom leap day the offset is one less
    return _EXCEL_EPOCH + timedelta(days=serial)


def parse_option(value: str, name: str) -> date:
    """Parse a date given on the command line; wrong usage (exit 2) when it is not one."""
    try:
        parsed = parse_datum(value)
    except UngueltigesDatum:
        parsed = None
    if parsed is None:
        raise BedienFehler(
            f"{name}: „{value}“ ist kein Datum. Bitte z. B. 31.03.2025 oder 2025-03-31 angeben."
        )
    if not OPTION_VON <= parsed <= OPTION_BIS:
        raise BedienFehler(
            f"{name}: „{value}“ liegt außerhalb von {de(OPTION_VON)} bis {de(OPTION_BIS)}. "
            "Bitte ein Datum in diesem Bereich angeben."
        )
    return parsed


def aus_metadaten(meta: Mapping[str, str], schluessel: str, datei: Path) -> date | None:
    """A date from the hidden sheet of a file we wrote (``stichtag``, ``stand``); None when it is not there.

    The sheet may have been edited by hand: a value that is no ISO date refuses the file with a German message.
    """
    text = meta.get(schluessel)
    if not text:
        return None
    try:
        return date.fromisoformat(str(text).strip())
    except ValueError:
        raise EingabeFehler(
            f"{datei.name}: das verborgene Blatt „_mitgliederarbeit“ ist beschädigt – „{schluessel}“ ist kein "
            f"Datum („{text}“). Es wurde nichts geändert.",
            hint="Bitte die Datei so verwenden, wie mitglieder sie geschrieben hat: das verborgene Blatt nicht "
            "bearbeiten (im Zweifel die Liste neu erstellen).",
        ) from None


def add_months(day: date, months: int) -> date:
    """Shift by whole months, clamping to the month's end (31.03. - 1 month = 28./29.02.)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


def add_months_sql(ausdruck: str, months: int) -> str:
    """SQL: the ISO day ``ausdruck`` shifted by whole months as :func:`add_months` does. SQLite's '+N months'
    runs over into the next month (31.01. + 1 month = 03.03.); the month's last day clamps it."""
    ende = f"date({ausdruck}, 'start of month', '{months + 1:+d} months', '-1 day')"
    return f"min(date({ausdruck}, '{months:+d} months'), {ende})"


def years_between(start: date, end: date) -> int:
    """Full years from ``start`` to ``end`` (age, years of membership)."""
    years = end.year - start.year
    if (end.month, end.day) < (start.month, start.day):
        years -= 1
    return years


def de(day: date | None) -> str:
    """German date format: 31.03.2025 (empty for None)."""
    return day.strftime("%d.%m.%Y") if day else ""


def iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def from_iso(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def gespeicherter_tag(text: str | None) -> date | None:
    """A date from the store (ISO text, maybe with a time after the day) as a date; None for none and for text
    that is no real day (``2026-02-30``, a hand-edited ``31.02.2026``): the store holds such only from a hand
    edit or another program, and it counts nowhere (README, „Unlesbare Daten im Datenbestand“)."""
    if not isinstance(text, str) or len(text) < 10 or text[4] != "-" or text[7] != "-":
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


_FRIST_DMY = re.compile(r"^(\d{1,2})\s*[./-]\s*(\d{1,2})\s*[./-]\s*(\d{4})$")
_FRIST_YMD = re.compile(r"^(\d{4})\s*[-./]\s*(\d{1,2})\s*[-./]\s*(\d{1,2})$")


def tag_fuer_frist(text: object) -> date | None:
    """The day a retention period counts from for a date in the store: a real day, also one written by hand as
    ``31.05.2019``; for a day its month does not have (``31.06.2019``, ``2026-02-30``) the last day of that month,
    the latest it can mean, so nothing is deleted early. None when not even a year and a month can be read."""
    if (tag := gespeicherter_tag(text)) is not None:  # type: ignore[arg-type]
        return tag
    if not isinstance(text, str):
        return None
    bloss = _TIME_SUFFIX.sub("", text.strip())
    if m := _FRIST_DMY.match(bloss):
        jahr, monat, tag_im_monat = int(m[3]), int(m[2]), int(m[1])
    elif m := _FRIST_YMD.match(bloss):
        jahr, monat, tag_im_monat = int(m[1]), int(m[2]), int(m[3])
    else:
        return None
    if jahr < 1 or not 1 <= monat <= 12:
        return None
    letzter = calendar.monthrange(jahr, monat)[1]
    return date(jahr, monat, tag_im_monat if 1 <= tag_im_monat <= letzter else letzter)


def gueltiger_tag_sql(ausdruck: str) -> str:
    """SQL: ``ausdruck`` is a real day as ISO text, as :func:`gespeicherter_tag` reads its first ten characters.

    ``'+0 days'`` makes SQLite compute the day, so ``2026-02-30`` becomes ``2026-03-02`` and differs (without a
    modifier SQLite gives it back unchanged); year 0 is no day for Python. Always 0 or 1, never NULL (for NOT).
    """
    return f"coalesce(date({ausdruck}, '+0 days') = {ausdruck} AND {ausdruck} >= '0001', 0)"


def gespeichert_de(text: str | None) -> str:
    """A date from the store for reading: "31.03.2025", "unlesbar („2026-02-30“)" for one that is no real day,
    empty for none."""
    if text is None:
        return ""
    gelesen = gespeicherter_tag(text)
    return de(gelesen) if gelesen is not None else f"unlesbar („{text}“)"


def eintritt_de(text: str | None, geschaetzt: object = False) -> str:
    """A member's join date for reading: "31.03.2025", "30.04.2026 (geschätzt)" for a Stand taken as its
    estimate, "unbekannt" where no export had it (see the store's schema 6)."""
    if not text:
        return "unbekannt"
    tag = gespeichert_de(text)
    return f"{tag} (geschätzt)" if geschaetzt and gespeicherter_tag(text) else tag
