"""Numbers and lists as German readers write them: ``12.345``, ``1 Zeile`` / ``3 Zeilen``, ``a, b und c``."""

from __future__ import annotations

from collections.abc import Sequence


def zahl(n: float) -> str:
    """A whole number with a dot between thousands: 12345 -> ``12.345`` (fractions are rounded)."""
    return f"{n:,.0f}".replace(",", ".")


def mal(n: int, einzahl: str, mehrzahl: str) -> str:
    """``1 Zeile``, ``2 Zeilen``: the count and the noun in the right number."""
    return f"{zahl(n)} {einzahl if n == 1 else mehrzahl}"


def aufzaehlung(teile: Sequence[str]) -> str:
    """``a``, ``a und b``, ``a, b und c``."""
    return teile[0] if len(teile) == 1 else f"{', '.join(teile[:-1])} und {teile[-1]}"
