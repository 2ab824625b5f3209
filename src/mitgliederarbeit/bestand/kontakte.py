"""Recording contacts one by one: the kinds by their German words, one contact, a Pat*in assignment, a note.

Every way a single contact comes in (``mitglieder kontakt``, a contact list, a returned Ortsverein package) goes
through :func:`eintragen`; its ``schluessel`` makes recording the same thing twice a no-op.

Decisions (also in the README):

- A contact of the same kind for the same member on the same day is one contact, wherever it came from: a date
  already recorded (say by a call list, or shown pre-filled in a package) is not recorded a second time.
- A call is the same call when member, day and result are the same (:func:`anruf_erfasst`), wherever it came from
  (the list as xlsx and again as CSV, ``mitglieder kontakt``). Two results on one day are two calls: the
  voicemail in the morning, the member reached in the evening.
- A Pat*in assignment is a contact of kind ``pate`` naming the Pat*in; the member's Pat*in is the one of the
  latest assignment. Naming the same Pat*in again records nothing; another name is a change of Pat*in.
- ``anruf_erreicht`` is stored as a call (``anruf``) with the result "erreicht", as a returned call list does.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from collections.abc import Iterable
from datetime import date
from typing import Any

from mitgliederarbeit import kontaktarten
from mitgliederarbeit.bestand import speicher as speicher_modul
from mitgliederarbeit.errors import BedienFehler
from mitgliederarbeit.kontaktarten import ANRUF, ANRUF_ERREICHT, ERREICHT, KONTAKTARTEN, PATE, passt

# kind -> what a user reads (defined with the kinds; the name is kept here for the importers)
ARTEN_NAMEN = kontaktarten.ARTEN_NAMEN

# The words people write for each kind (a contact list's column "Art", the ART of ``mitglieder kontakt``).
# "Anruf" alone is a call that reached the member: a contact list records what happened, an unanswered call is no
# contact (those come back through the call list).
_WOERTER: dict[str, tuple[str, ...]] = {
    "parteibuch": (
        "Parteibuch",
        "Parteibuch übergeben",
        "Parteibuch überreicht",
        "Parteibuch ausgehändigt",
        "Parteibuchübergabe",
        "Übergabe Parteibuch",
        "Mitgliedsbuch",
        "Mitgliedsbuch übergeben",
    ),
    "gespraech": (
        "Gespräch",
        "Gespräch geführt",
        "persönliches Gespräch",
        "Willkommensgespräch",
        "Kennenlerngespräch",
        "Hausbesuch",
        "Besuch",
        "Willkommensbesuch",
        "besucht",
        "Treffen",
        "Kennenlernen",
        "Kennenlerntreffen",
        "getroffen",
        "persönlicher Kontakt",
    ),
    "pate": (
        "Pate",
        "Patin",
        "Pat*in",
        "Pat:in",
        "Pat_in",
        "Paten",
        "Patenschaft",
        "Pat*in zugeteilt",
        "Pate zugeteilt",
        "Patin zugeteilt",
        "Mentor",
        "Mentorin",
        "Mentor*in",
    ),
    "email": ("E-Mail", "Mail", "E-Mail geschrieben", "Willkommensmail", "Willkommens-E-Mail"),
    "brief": ("Brief", "Willkommensbrief", "Brief geschickt", "Post"),
    "anruf_erreicht": ("Anruf erreicht", "Anruf", "Telefonat", "telefoniert", "erreicht", "Anruf, erreicht"),
    "teilnahme": (
        "Teilnahme",
        "Veranstaltung",
        "teilgenommen",
        "Neumitgliederabend",
        "Neumitgliedertreffen",
        "Stammtisch",
        "Mitgliederversammlung",
    ),
}
_UMLAUTE = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def wort(value: object) -> str:
    """A word as it is compared: lower case, umlauts spelled out, without spaces and punctuation.

    "Parteibuch übergeben." -> "parteibuchuebergeben", "Pat*in" -> "patin", "E-Mail" -> "email".
    """
    raw = ("" if value is None else str(value)).casefold().translate(_UMLAUTE)
    return re.sub(r"[^0-9a-z]+", "", raw)


ART_WOERTER: dict[str, str] = {wort(w): art for art, woerter in _WOERTER.items() for w in woerter}
ART_WOERTER.update({wort(art): art for art in KONTAKTARTEN if wort(art) not in ART_WOERTER})


# What people write into a "Pat*in" cell when there is none (compared as :func:`wort`, so "k.A." is "ka", "N.N."
# is "nn", and a cell of only dashes, dots or question marks is "" too): no name, no assignment. The one list
# for packages, contact lists and ``mitglieder kontakt --pate``.
KEIN_NAME = frozenset(
    {
        "",
        "0",
        "x",
        "ka",
        "nn",
        "na",
        "kein",
        "keine",
        "keiner",
        "keins",
        "nochkeine",
        "nochkeiner",
        "niemand",
        "offen",
        "nochoffen",
        "nochnicht",
        "fehlt",
        "unbekannt",
        "stehtaus",
        "tbd",
    }
)


def pate_name(value: object) -> str | None:
    """The Pat*in's name in a cell, or None for an empty cell and the words of :data:`KEIN_NAME`."""
    name = "" if value is None else str(value).strip()
    return None if wort(name) in KEIN_NAME else name


def art_erkennen(value: object) -> str | None:
    """The kind a word stands for (``"Hausbesuch"`` -> ``"gespraech"``), or None if it is not known."""
    key = wort(value)
    return ART_WOERTER.get(key) if key else None


def arten_hilfe() -> str:
    """The kinds with an example word each, for messages: ``parteibuch („Parteibuch übergeben“), …``."""
    teile = []
    for art in KONTAKTARTEN:
        if ART_WOERTER.get(wort(art)) != art:
            continue  # "anruf" alone is a reached call (anruf_erreicht); other calls come from call lists
        beispiele = [w for w in _WOERTER.get(art, ())[:2] if wort(w) != wort(art)]
        extra = f" ({', '.join(f'„{b}“' for b in beispiele)})" if beispiele else ""
        teile.append(f"{art}{extra}")
    return ", ".join(teile)


def schluessel(*teile: object) -> str:
    """A contact's key from its parts: recording the same parts twice records once."""
    return hashlib.sha256("\x1f".join("" if t is None else str(t) for t in teile).encode()).hexdigest()[:32]


def _conn(speicher: Any) -> sqlite3.Connection:
    return speicher.conn if isinstance(speicher, speicher_modul.Speicher) else speicher


def eintragen(
    speicher: speicher_modul.Speicher | sqlite3.Connection,
    nr: str,
    art: str,
    datum: date,
    *,
    notiz: str | None = None,
    pate: str | None = None,
    veranstaltung: str | None = None,
    import_id: int | None = None,
    quelle: str,
    schluessel: str,
) -> bool:
    """Record one contact of kind ``art`` (a kind of :data:`kontaktarten.KONTAKTARTEN`) for member ``nr``.

    False when a contact with this ``schluessel`` is already recorded (nothing changes). The caller holds the
    transaction.
    """
    if art not in KONTAKTARTEN:
        raise ValueError(f"unknown contact kind {art!r}")
    ergebnis = None
    if art == ANRUF_ERREICHT:
        art, ergebnis = ANRUF, ERREICHT
    cursor = _conn(speicher).execute(
        "INSERT OR IGNORE INTO kontakte (nr, art, datum, ergebnis, notiz, pate, veranstaltung, quelle, import_id, "
        "schluessel) VALUES (?,?,?,?,?,?,?,?,?,?)",
        (nr, art, datum.isoformat(), ergebnis, notiz, pate, veranstaltung, quelle, import_id, schluessel),
    )
    return cursor.rowcount == 1


def erfasst_am(conn: sqlite3.Connection, nr: str, arten: Iterable[str], datum: date) -> bool:
    """Whether the member has a contact of one of ``arten`` on that day, from whatever source."""
    arten = tuple(arten)
    return any(
        passt(art, ergebnis, arten)
        for art, ergebnis in conn.execute(
            "SELECT art, ergebnis FROM kontakte WHERE nr = ? AND datum = ?", (nr, datum.isoformat())
        )
    )


def anruf_erfasst(conn: sqlite3.Connection, nr: str, datum: date, ergebnis: str) -> bool:
    """Whether a call to the member on that day with that result is recorded already, from whatever source."""
    return (
        conn.execute(
            "SELECT 1 FROM kontakte WHERE nr = ? AND art = ? AND datum = ? AND ergebnis = ? LIMIT 1",
            (nr, ANRUF, datum.isoformat(), ergebnis),
        ).fetchone()
        is not None
    )


def pate_von(conn: sqlite3.Connection, nr: str) -> str | None:
    """The member's Pat*in: the name of the latest assignment (by date, then by when it was recorded)."""
    row = conn.execute(
        "SELECT pate FROM kontakte WHERE nr = ? AND art = 'pate' AND pate IS NOT NULL "
        "ORDER BY datum DESC, id DESC LIMIT 1",
        (nr,),
    ).fetchone()
    return row[0] if row else None


def schon_erfasst(conn: sqlite3.Connection, nr: str, art: str, datum: date, pate: str | None = None) -> bool:
    """Whether this contact is recorded already, from whatever source.

    A Pat*in: the member's Pat*in has this name already. Any other kind: a contact of it on that day.
    """
    if art == PATE and pate:
        bisher = pate_von(conn, nr)
        return bisher is not None and bisher.casefold() == pate.strip().casefold()
    return erfasst_am(conn, nr, [art], datum)


def notiz_eintragen(
    conn: sqlite3.Connection,
    nr: str,
    datum: date,
    text: str,
    *,
    quelle: str,
    import_id: int | None = None,
) -> bool:
    """Keep a note about a member (from a returned package); the same text for the same member is kept once."""
    cursor = conn.execute(
        "INSERT OR IGNORE INTO notizen (nr, datum, text, quelle, import_id, schluessel) VALUES (?,?,?,?,?,?)",
        (nr, datum.isoformat(), text, quelle, import_id, schluessel("notiz", nr, text.strip())),
    )
    return cursor.rowcount == 1


def art_pruefen(value: str) -> str:
    """The kind of ``ART`` (a kind or a German word); a usage error listing the kinds when it is unknown."""
    art = art_erkennen(value)
    if art is None:
        raise BedienFehler(
            f"Die Kontaktart „{value}“ gibt es nicht.",
            hint=f"Erlaubt sind: {arten_hilfe()}.",
        )
    return art
