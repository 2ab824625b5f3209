"""Taking results back: what ``mitglieder import`` needs of the returned lists, in one place.

Each kind of returned list has its own module: :mod:`anrufliste` (returned call lists), :mod:`teilnahme`
(attendance lists). They share :mod:`zuordnung` (which member a row means) and :mod:`listenimport` (one
transaction, the error file, the key that makes a second import change nothing).
"""

from __future__ import annotations

from mitgliederarbeit.einlesen.anrufliste import anrufliste_uebernehmen, sieht_aus_wie_anrufliste
from mitgliederarbeit.einlesen.anrufwoerter import ergebnis_normalisieren
from mitgliederarbeit.einlesen.teilnahme import teilnahme_uebernehmen, titel_lesen

__all__ = [
    "anrufliste_uebernehmen",
    "ergebnis_normalisieren",
    "sieht_aus_wie_anrufliste",
    "teilnahme_uebernehmen",
    "titel_lesen",
]
