"""Where the shipped templates live: inside the installed package, or in ``templates/`` of a source checkout."""

from __future__ import annotations

from pathlib import Path


def vorlagen_ordner() -> Path:
    """The folder with the shipped templates (``willkommensbrief.docx``, …)."""
    im_paket = Path(__file__).parent / "templates"
    if im_paket.is_dir():
        return im_paket
    return Path(__file__).parents[2] / "templates"
