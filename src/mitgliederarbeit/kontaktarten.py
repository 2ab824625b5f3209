"""The kinds of contact and the one rule which stored contact counts as which kind.

Every stage asks this module: the config (which kinds a step may name), recording (the German names), the
segments (in Python and, generated from the same data, in SQL), the report and the coverage.

The rule: a stored contact (its kind ``art`` and the call's result ``ergebnis``) is of one of ``arten`` when its
kind is among them, or when ``anruf_erreicht`` is among them and it is a call with the result "erreicht". A Pat*in
assignment is a contact of kind ``pate``. Which contacts are read at all (none after the Stichtag) is the caller's
query; this module judges one contact.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

ANRUF = "anruf"
ERREICHT = "erreicht"  # the result of a call that reached the member
ANRUF_ERREICHT = "anruf_erreicht"  # a step's kind: a call with the result "erreicht"
PATE = "pate"  # the assignment of a Pat*in (mentor) to a new member

# kind -> what a user reads where a contact is recorded (also the kinds a step of the standard can name, in order)
ARTEN_NAMEN: dict[str, str] = {
    "brief": "Brief",
    ANRUF: "Anruf (jedes Ergebnis)",
    ANRUF_ERREICHT: "Anruf, erreicht",
    "teilnahme": "Teilnahme an einer Veranstaltung",
    "gespraech": "Gespräch oder Besuch",
    "parteibuch": "Parteibuch übergeben",
    "email": "E-Mail",
    PATE: "Pat*in zugeteilt",
}
KONTAKTARTEN: tuple[str, ...] = tuple(ARTEN_NAMEN)

# The report's definitions of the steps have always used shorter words for two kinds (its tests pin them).
BERICHT_NAMEN: dict[str, str] = ARTEN_NAMEN | {ANRUF_ERREICHT: "Anruf (erreicht)", "gespraech": "Gespräch"}

# kind -> plural, for the coverage ("seit … erfasst: Anrufe und Teilnahmen"); a reached call is a stored call
ARTEN_MEHRZAHL: dict[str, str] = {
    "brief": "Briefe",
    "email": "E-Mails",
    ANRUF: "Anrufe",
    ANRUF_ERREICHT: "Anrufe",
    "teilnahme": "Teilnahmen",
    "gespraech": "Gespräche",
    "parteibuch": "Parteibuch-Übergaben",
    PATE: "Pat*innen",
}

# The report's count of the period's contacts words two kinds differently (its tests pin them).
BERICHT_MEHRZAHL: dict[str, str] = ARTEN_MEHRZAHL | {
    "parteibuch": "Parteibücher",
    PATE: "Pat*innen zugeteilt",
}

# A personal contact (segment neu-ohne-kontakt, the first contact of the report, the default steps).
PERSOENLICH: tuple[str, ...] = (ANRUF_ERREICHT, "teilnahme", "gespraech", "parteibuch")
# Activity (segment inaktiv).
AKTIVITAET: tuple[str, ...] = ("teilnahme", ANRUF_ERREICHT)


def passt(art: str, ergebnis: str | None, arten: Collection[str]) -> bool:
    """Whether a stored contact (its kind and result) is of one of ``arten``, the kinds a step names
    (``anruf_erreicht``: a call with the result "erreicht")."""
    return art in arten or (ANRUF_ERREICHT in arten and erreicht(art, ergebnis))


def erreicht(art: str, ergebnis: str | None) -> bool:
    """Whether a stored contact is a call that reached the member."""
    return art == ANRUF and ergebnis == ERREICHT


def persoenlich(art: str, ergebnis: str | None) -> bool:
    """Whether a stored contact is a personal one (:data:`PERSOENLICH`)."""
    return passt(art, ergebnis, PERSOENLICH)


def gespeicherte_arten(arten: Iterable[str]) -> list[str]:
    """The kinds as stored: ``anruf_erreicht`` is a stored ``anruf`` (with the result "erreicht")."""
    return sorted({ANRUF if a == ANRUF_ERREICHT else a for a in arten})


def erreicht_sql(art: str = "art", ergebnis: str = "ergebnis") -> str:
    """:func:`erreicht` in SQL over the columns ``art`` and ``ergebnis`` (with the parameter ``:erreicht``)."""
    return f"({art} = '{ANRUF}' AND {ergebnis} = :erreicht)"


def passt_sql(
    arten: Iterable[str], praefix: str, *, erreicht: str | None = None
) -> tuple[str, dict[str, str]]:
    """:func:`passt` in SQL over the column ``art``: the condition and its named parameters (``:{praefix}{i}``).

    ``erreicht`` is the SQL of "a call that reached the member" (default :func:`erreicht_sql`); the caller binds
    ``:erreicht`` to :data:`ERREICHT`.
    """
    arten = list(dict.fromkeys(arten))
    params = {f"{praefix}{i}": art for i, art in enumerate(arten)}
    bedingung = f"art IN ({', '.join(f':{p}' for p in params)})" if params else "0"
    if ANRUF_ERREICHT in arten:
        bedingung += f" OR {erreicht or erreicht_sql()}"
    return f"({bedingung})", params
