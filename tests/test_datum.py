from datetime import date, datetime

import pytest

from mitgliederarbeit.datum import UngueltigesDatum, add_months, parse_datum, parse_option, years_between
from mitgliederarbeit.errors import BedienFehler


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("31.03.2025", date(2025, 3, 31)),
        ("31.3.25", date(2025, 3, 31)),
        ("1.3.25", date(2025, 3, 1)),
        ("2025-03-31", date(2025, 3, 31)),
        ("2025-03-31 00:00:00", date(2025, 3, 31)),
        ("2025-03-31T00:00:00", date(2025, 3, 31)),
        ("20250331", date(2025, 3, 31)),
        ("31.03.1975", date(1975, 3, 31)),
        ("01.01.30", date(1930, 1, 1)),  # Excel's two-digit year rule
        ("01.01.29", date(2029, 1, 1)),
        (" 31.03.2025 ", date(2025, 3, 31)),
        ("31. März 2025", date(2025, 3, 31)),
        ("1. Dez. 2024", date(2024, 12, 1)),
        ("3 Jan 2026", date(2026, 1, 3)),
        (45747, date(2025, 3, 31)),  # Excel serial number
        (45747.0, date(2025, 3, 31)),
        ("45747", date(2025, 3, 31)),  # a serial number that came through a csv
        (1, date(1900, 1, 1)),
        (61, date(1900, 3, 1)),
        (datetime(2025, 3, 31, 12, 0), date(2025, 3, 31)),
        (date(2025, 3, 31), date(2025, 3, 31)),
        (None, None),
        ("", None),
        ("   ", None),
    ],
)
def test_parse_datum_accepts_every_common_form(value, expected):
    assert parse_datum(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "31.02.2020",
        "30.02.2021",
        "2025-13-01",
        "00.01.2020",
        "seit 2019",
        "unbekannt",
        "31. Foo 2025",
        "12,5",
        60,
        -3,
        True,
    ],
)
def test_parse_datum_rejects_impossible_dates(value):
    with pytest.raises(UngueltigesDatum):
        parse_datum(value)


def test_impossible_date_message_names_the_value():
    with pytest.raises(UngueltigesDatum, match="„31.02.2020“ ist kein gültiges Datum"):
        parse_datum("31.02.2020")


def test_parse_option_is_a_usage_error():
    with pytest.raises(BedienFehler, match="--stichtag: „gestern“ ist kein Datum"):
        parse_option("gestern", "--stichtag")


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 9, 1), -6, date(2026, 3, 1)),
        (date(2026, 8, 31), -6, date(2026, 2, 28)),
        (date(2024, 8, 31), -6, date(2024, 2, 29)),
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
        (date(2026, 1, 15), -13, date(2024, 12, 15)),
    ],
)
def test_add_months_clamps_to_month_end(day, months, expected):
    assert add_months(day, months) == expected


def test_years_between_counts_full_years():
    assert years_between(date(2000, 9, 2), date(2026, 9, 1)) == 25
    assert years_between(date(2000, 9, 1), date(2026, 9, 1)) == 26
    assert years_between(date(2000, 2, 29), date(2026, 2, 28)) == 25


@pytest.mark.parametrize("months", [-25, -13, -12, -1, 1, 6, 12, 13, 24])
def test_add_months_in_sql_is_add_months(months):
    """The segments' SQL shifts by months as :func:`add_months` does: clamped to the month's end (SQLite's own
    '+1 months' would run over into the next month: 31.01. + 1 month = 03.03.)."""
    import sqlite3
    from datetime import timedelta

    from mitgliederarbeit.datum import add_months_sql

    tage = [date(2023, 1, 1) + timedelta(days=i) for i in range(3 * 366 + 1)]  # 2024 is a leap year
    conn = sqlite3.connect(":memory:")
    sql = f"SELECT {add_months_sql('?1', months)}"
    assert [conn.execute(sql, (t.isoformat(),)).fetchone()[0] for t in tage] == [
        add_months(t, months).isoformat() for t in tage
    ]
