"""What callers write into a returned call list: result words and their variants, "möchte mitmachen", interests.

A result word that is neither a dropdown word nor a known variant (``NE``, ``Mailbox``, ``Rückruf``,
``falsch``, …) is not guessed: :func:`ergebnis_normalisieren` returns None and the row is rejected.
"""

from __future__ import annotations

import re

from mitgliederarbeit.bestand.anrufergebnisse import ERGEBNISSE
from mitgliederarbeit.einlesen.normalisieren import text

_VARIANTEN: dict[str, tuple[str, ...]] = {
    "erreicht": (
        "erreicht",
        "gesprochen",
        "telefoniert",
        "erreicht gesprochen",
        "ja erreicht",
        "kontakt",
        "kontakt hergestellt",
        "gespraech gefuehrt",
        "reached",
    ),
    "nicht_erreicht": (
        "nicht erreicht",
        "ne",
        "n e",
        "n erreicht",
        "nicht erreichbar",
        "nicht da",
        "niemand erreicht",
        "keiner erreicht",
        "niemand da",
        "keiner da",
        "nicht abgenommen",
        "nicht rangegangen",
        "nicht rangegangen",
        "keine antwort",
        "besetzt",
        "mailbox",
        "ab",
        "anrufbeantworter",
        "ab besprochen",
        "mailbox besprochen",
        "auf ab gesprochen",
        "auf mailbox gesprochen",
        "nachricht hinterlassen",
        "nicht erreicht mailbox",
        "nicht erreicht ab",
        "not reached",
    ),
    "rueckruf": (
        "rueckruf vereinbart",
        "rueckruf",
        "rueckruf erbeten",
        "rueckrufbitte",
        "rr",
        "zurueckrufen",
        "bitte zurueckrufen",
        "ruft zurueck",
        "spaeter anrufen",
        "spaeter nochmal",
        "nochmal anrufen",
        "erneut anrufen",
        "termin vereinbart",
        "callback",
    ),
    "falsche_nummer": (
        "falsche nummer",
        "falsch",
        "nummer falsch",
        "falsche nr",
        "falsche telefonnummer",
        "telefonnummer falsch",
        "falsche festnetznummer",
        "festnetz falsch",
        "falsche mobilnummer",
        "falsche handynummer",
        "mobil falsch",
        "handy falsch",
        "kein anschluss",
        "kein anschluss unter dieser nummer",
        "nummer existiert nicht",
        "nummer nicht vergeben",
        "nicht vergeben",
        "nummer ungueltig",
        "ungueltige nummer",
        "wrong number",
    ),
    "kein_anruf": (
        "kein anruf gewuenscht",
        "kein anruf",
        "keine anrufe",
        "keine anrufe gewuenscht",
        "keine anrufe mehr",
        "nicht mehr anrufen",
        "nicht anrufen",
        "kein kontakt gewuenscht",
        "kein kontakt",
        "keinen anruf",
        "will nicht angerufen werden",
        "moechte nicht angerufen werden",
        "sperre",
        "do not call",
    ),
    "will_austreten": (
        "will austreten",
        "moechte austreten",
        "austreten",
        "austritt",
        "austrittswunsch",
        "tritt aus",
        "will austritt",
        "austritt angekuendigt",
    ),
}
_UMLAUTE = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def wort(value: object) -> str:
    """Lower case, umlauts spelled out, punctuation dropped, spaces collapsed: "Nicht erreicht." -> "nicht erreicht"."""
    raw = (text(value) or "").casefold().translate(_UMLAUTE)
    raw = re.sub(r"[^0-9a-z]+", " ", raw)
    return re.sub(r"\s+", " ", raw).strip()


ERGEBNIS_WOERTER: dict[str, str] = {
    wort(variante): code for code, varianten in _VARIANTEN.items() for variante in varianten
}
ERGEBNIS_WOERTER.update({wort(word): code for code, word in ERGEBNISSE.items()})


def ergebnis_normalisieren(value: object) -> str | None:
    """The result code of a cell (``"NE"`` -> ``"nicht_erreicht"``), or None if the word is not known."""
    return ERGEBNIS_WOERTER.get(wort(value))


def interessen_liste(value: object) -> list[str]:
    """The interests of a cell, split at commas, semicolons, slashes and line breaks, each once."""
    result: list[str] = []
    for teil in re.split(r"[,;/\n]+", text(value) or ""):
        teil = re.sub(r"\s+", " ", teil).strip(" .-")
        if teil and teil.casefold() not in {r.casefold() for r in result}:
            result.append(teil)
    return result


def mitmachen(value: object) -> str | None:
    """``ja``, ``nein`` or ``vielleicht`` for the common ways to write them; anything else as written."""
    raw = text(value)
    if raw is None:
        return None
    w = wort(raw)
    if w in ("ja", "j", "x", "yes", "gerne", "ja gerne"):
        return "ja"
    if w in ("nein", "n", "no", "eher nicht"):
        return "nein"
    if w in ("vielleicht", "evtl", "eventuell", "mal sehen", "ggf"):
        return "vielleicht"
    return raw
