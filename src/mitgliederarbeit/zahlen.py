"""Numbers as German readers write them: ``12.345``, ``1 Zeile`` / ``3 Zeilen``."""

from __future__ import annotations


def zahl(n: float) -> str:
    """A whole number with a dot between thousands: 12345 -> ``12.345`` (fractions are rounded)."""
    return f"{n:,.0f}".replace(",", ".")


def mal(n: int, einzahl: str, mehrzahl: str) -> str:
    """``1 Zeile``, ``2 Zeilen``: the count and the noun in the right number."""
    return f"{zahl(n)} {einzahl if n == 1 else mehrzahl}"
