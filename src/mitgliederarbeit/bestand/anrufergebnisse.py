"""The results of a call as the store keeps them in ``kontakte.ergebnis``, and the word each one shows.

Below the call list (which offers the words in its dropdown), the import of a returned list (which reads
them back) and the segments (which select members by their last result), so all three agree.
"""

from __future__ import annotations

# Result codes as stored in ``kontakte.ergebnis`` -> the word in the list's dropdown.
ERGEBNISSE: dict[str, str] = {
    "erreicht": "erreicht",
    "nicht_erreicht": "nicht erreicht",
    "rueckruf": "Rückruf vereinbart",
    "falsche_nummer": "falsche Nummer",
    "kein_anruf": "kein Anruf gewünscht",
    "will_austreten": "will austreten",
}
