"""The charts of the report: laid out once as a small drawing, rendered as SVG for the HTML and PNG for Word/Excel.

Each chart is a :class:`Diagramm` holding its :class:`Zeichnung` (rectangles, lines, markers and texts in points,
1/72 inch). The SVG and the PNG are rendered from it when a format first asks, once each: the report writes one
SVG for the HTML and one PNG shared by Word and Excel. Both renderings share one layout: a text's width is measured
with the font the PNG is drawn in (Pillow, imported only to measure and draw), and the room kept for a text is a
little wider than measured, so that the HTML's fonts fit too.

The SVG is written by hand for inlining into the one self-contained HTML file: ``role="img"`` with a ``<title>``
and ``<desc>``, ids prefixed by the chart's key (unique in the page), text kept as text in the page's font stack.
Small numbers never show: bars resting on fewer than ``min_fallzahl`` members are left out and marked "–".

More than :data:`MAX_BALKEN` groups: the best and the worst :data:`RAND` by name, and all as a distribution.
"""

from __future__ import annotations

import functools
import math
import os
import re
import struct
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from html import escape
from pathlib import Path
from statistics import median
from typing import Any, NamedTuple

from mitgliederarbeit.auswertung.kennzahlen import (
    NICHT_ERREICHT,
    Werte,
    anteil_wert,
    prozent_de,
    rangfolge,
)
from mitgliederarbeit.laufzeit import nebenher

MAX_BALKEN = 40  # more groups than this: the best and worst ten, and a distribution instead of one bar each
RAND = 10  # named at each end when there are too many groups for one bar each
# distinct in lightness as well as hue, so that a greyscale print still tells the series apart: dark blue, light
# orange, middle green, pale blue, dark red, middle grey
FARBEN = ("#1f4e89", "#f0a73a", "#4a9b6f", "#a9c8e8", "#8c2d3b", "#7f7f7f")
GRAU = "#9a9a9a"
TEXT = "#1d1d1f"
LEISE = "#555555"  # the "–" of a suppressed value, the whiskers
GITTER = "#d9d9d9"
PNG_DPI = 200  # sharp in print at the width Word and Excel show it
# the page's own font stack (templates/bericht.html): the charts read like the text around them
SCHRIFT_SVG = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
# room kept for a text beyond its measured width: the browser's font may run a little wider than the PNG's
RESERVE = 1.12

BREITE = 576.0  # 8 inches, in points
GROSS, MITTEL, KLEIN = 9.0, 8.5, 8.0  # axis labels; legends and subtitles; values on bars


# --------------------------------------------------------------------------------------------------------------
# The drawing model (immutable records as named tuples: a report draws a few hundred of them, and a frozen
# dataclass costs ten times as much to define at start-up)


class Rechteck(NamedTuple):
    x: float
    y: float
    b: float
    h: float
    farbe: str


class Linie(NamedTuple):
    x1: float
    y1: float
    x2: float
    y2: float
    farbe: str
    staerke: float = 1.0
    gestrichelt: bool = False


class Marke(NamedTuple):
    """A dot (``kreis``) or a square (``quadrat``) of radius ``r`` around (x, y)."""

    x: float
    y: float
    r: float
    farbe: str
    form: str = "kreis"
    deckkraft: float = 1.0


class Text(NamedTuple):
    """One line of text; ``y`` is its baseline, ``anker`` start, middle or end (as in SVG)."""

    x: float
    y: float
    text: str
    groesse: float
    anker: str = "start"
    farbe: str = TEXT


@dataclass
class Zeichnung:
    breite: float
    hoehe: float
    elemente: list[Rechteck | Linie | Marke | Text] = field(default_factory=list)

    def add(self, element: Rechteck | Linie | Marke | Text) -> None:
        self.elemente.append(element)

    def text_mittig(
        self, x: float, y: float, text: str, groesse: float, anker: str = "start", **k: Any
    ) -> None:
        """A line of text whose middle (of its capitals) stands at ``y``."""
        self.add(Text(x, y + groesse * 0.36, text, groesse, anker, **k))


@dataclass
class Diagramm:
    schluessel: str
    titel: str
    beschreibung: str  # alt text / caption
    zeichnung: Zeichnung = field(repr=False, compare=False)
    _png: Callable[[], bytes] | None = field(default=None, init=False, repr=False, compare=False)

    @functools.cached_property
    def svg(self) -> str:
        """The chart as inline SVG for the HTML (rendered on first use)."""
        return svg_text(self.zeichnung, self.schluessel, self.titel, self.beschreibung)

    def png_vorbereiten(self) -> None:
        """Draw the PNG now and pack it in a thread beside the caller (zlib lets go of the GIL): a writer that
        needs several charts starts them all first and does its own work meanwhile. Once only."""
        if self._png is None:
            bild = png_bild(self.zeichnung)
            self._png = nebenher(lambda: png_packen(bild), f"png-{self.schluessel}")

    @property
    def png(self) -> bytes:
        """The chart as PNG for Word and Excel (rendered on first use, once)."""
        self.png_vorbereiten()
        assert self._png is not None
        return self._png()


# --------------------------------------------------------------------------------------------------------------
# The font: measured for the layout, drawn into the PNG

_SCHRIFTDATEIEN = (
    # Linux: DejaVu Sans comes with nearly every distribution (Debian/Ubuntu, Fedora, Arch, openSUSE); it is as
    # wide as the widest of the page's fonts, so the room measured with it fits them all
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    "/usr/share/fonts/liberation-sans/LiberationSans-Regular.ttf",
    # macOS and Windows: Arial
    "/System/Library/Fonts/Supplemental/Arial.ttf",
    "/Library/Fonts/Arial.ttf",
    str(Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts" / "arial.ttf"),
)
_MESSGROESSE = 100  # measured at 100 px and scaled: widths grow linearly with the size


@functools.lru_cache(maxsize=1)
def _schriftdatei() -> str | None:
    for pfad in _SCHRIFTDATEIEN:
        if os.path.isfile(pfad):
            return pfad
    return None


@functools.lru_cache(maxsize=32)
def _schrift(pixel: int) -> Any:
    """The font at ``pixel`` px: the first of :data:`_SCHRIFTDATEIEN` found, else one Pillow finds by name in
    the system's font folders, else Pillow's own (which draws a box for umlauts and dashes: the last resort)."""
    from PIL import ImageFont

    datei = _schriftdatei()
    if datei is not None:
        return ImageFont.truetype(datei, pixel, layout_engine=ImageFont.Layout.BASIC)
    # Noto Sans: what Fedora (since 36) and others install instead of DejaVu, also as a variable font
    for name in (
        "DejaVuSans.ttf",
        "Arial.ttf",
        "arial.ttf",
        "LiberationSans-Regular.ttf",
        "NotoSans-Regular.ttf",
        "NotoSans[wght].ttf",
    ):
        try:
            return ImageFont.truetype(name, pixel, layout_engine=ImageFont.Layout.BASIC)
        except OSError:
            continue
    return ImageFont.load_default(size=pixel)


def textbreite(text: str, groesse: float) -> float:
    """How wide ``text`` is at ``groesse`` points, in points."""
    return float(_schrift(_MESSGROESSE).getlength(einzeilig(text))) * groesse / _MESSGROESSE


def _platz(texte: Sequence[str], groesse: float) -> float:
    """The room to keep for the widest of ``texte``."""
    return max((textbreite(t, groesse) for t in texte), default=0.0) * RESERVE


# --------------------------------------------------------------------------------------------------------------
# Rendering

_UMBRUECHE = re.compile("[\t\n\r\x0b\x0c\x85\u2028\u2029]+")
_STEUERZEICHEN = re.compile("[\x00-\x1f\x7f-\x9f\ufffe\uffff]")


def einzeilig(text: str) -> str:
    """A text as one line: line breaks and tabs (a cell written with Alt+Enter) as one space, other control
    characters left out. The SVG shows a line break as a space anyway; Pillow would draw a second line over the
    next row, and a box for a control character."""
    return _STEUERZEICHEN.sub("", _UMBRUECHE.sub(" ", text))


def _esc(text: str) -> str:
    """Text for SVG/XML: one line (:func:`einzeilig`, so without the control characters XML cannot hold), escaped."""
    return escape(einzeilig(text), quote=True)


def _z(wert: float) -> str:
    return f"{wert:.2f}".rstrip("0").rstrip(".")


_ANKER_PIL = {"start": "ls", "middle": "ms", "end": "rs"}


def svg_text(zeichnung: Zeichnung, schluessel: str, titel: str, beschreibung: str) -> str:
    """The drawing as an SVG element to inline into HTML, well-formed XML.

    No namespace declaration: the report holds no address at all, and inside HTML an ``<svg>`` is SVG anyway.
    """
    pid = f"diagramm-{schluessel}"
    b, h = _z(zeichnung.breite), _z(zeichnung.hoehe)
    teile = [
        f'<svg class="diagramm" viewBox="0 0 {b} {h}" width="{b}" '
        f'height="{h}" role="img" aria-labelledby="{pid}-titel {pid}-beschreibung" '
        f'font-family="{SCHRIFT_SVG}">',
        f'<title id="{pid}-titel">{_esc(titel)}</title>',
        f'<desc id="{pid}-beschreibung">{_esc(beschreibung)}</desc>',
        f'<rect width="{b}" height="{h}" fill="#ffffff"/>',
    ]
    for e in zeichnung.elemente:
        if isinstance(e, Rechteck):
            teile.append(
                f'<rect x="{_z(e.x)}" y="{_z(e.y)}" width="{_z(e.b)}" height="{_z(e.h)}" fill="{e.farbe}"/>'
            )
        elif isinstance(e, Linie):
            strich = ' stroke-dasharray="4 2.5"' if e.gestrichelt else ""
            teile.append(
                f'<line x1="{_z(e.x1)}" y1="{_z(e.y1)}" x2="{_z(e.x2)}" y2="{_z(e.y2)}" stroke="{e.farbe}" '
                f'stroke-width="{_z(e.staerke)}"{strich}/>'
            )
        elif isinstance(e, Marke):
            deck = f' fill-opacity="{_z(e.deckkraft)}"' if e.deckkraft < 1 else ""
            if e.form == "quadrat":
                teile.append(
                    f'<rect x="{_z(e.x - e.r)}" y="{_z(e.y - e.r)}" width="{_z(2 * e.r)}" height="{_z(2 * e.r)}" '
                    f'fill="{e.farbe}"{deck}/>'
                )
            else:
                teile.append(f'<circle cx="{_z(e.x)}" cy="{_z(e.y)}" r="{_z(e.r)}" fill="{e.farbe}"{deck}/>')
        else:
            anker = f' text-anchor="{e.anker}"' if e.anker != "start" else ""
            farbe = f' fill="{e.farbe}"' if e.farbe != TEXT else ""
            teile.append(
                f'<text x="{_z(e.x)}" y="{_z(e.y)}" font-size="{_z(e.groesse)}"{anker}{farbe}>{_esc(e.text)}</text>'
            )
    teile.append("</svg>")
    return "\n".join(teile)


def _rgb(farbe: str, deckkraft: float = 1.0) -> tuple[int, int, int, int]:
    return (int(farbe[1:3], 16), int(farbe[3:5], 16), int(farbe[5:7], 16), round(255 * deckkraft))


def png_bytes(zeichnung: Zeichnung, dpi: int = PNG_DPI) -> bytes:
    """The drawing as PNG at ``dpi``, the resolution stored in the file (pHYs) so Word and Excel size it right."""
    return png_packen(png_bild(zeichnung, dpi), dpi)


def png_bild(zeichnung: Zeichnung, dpi: int = PNG_DPI) -> Any:
    """The drawing as a Pillow image of ``dpi`` pixels per inch."""
    from PIL import Image, ImageDraw

    s = dpi / 72
    bild = Image.new("RGB", (math.ceil(zeichnung.breite * s), math.ceil(zeichnung.hoehe * s)), "white")
    stift = ImageDraw.Draw(bild, "RGBA")  # RGBA: translucent dots blend with what lies below
    for e in zeichnung.elemente:
        if isinstance(e, Rechteck):
            x1, y1 = round(e.x * s), round(e.y * s)
            x2, y2 = round((e.x + e.b) * s) - 1, round((e.y + e.h) * s) - 1
            if x2 >= x1 and y2 >= y1:
                stift.rectangle((x1, y1, x2, y2), fill=_rgb(e.farbe))
        elif isinstance(e, Linie):
            breite = max(1, round(e.staerke * s))
            punkte = [(e.x1, e.y1, e.x2, e.y2)]
            if e.gestrichelt:
                punkte = _striche(e.x1, e.y1, e.x2, e.y2)
            for x1f, y1f, x2f, y2f in punkte:
                stift.line((x1f * s, y1f * s, x2f * s, y2f * s), fill=_rgb(e.farbe), width=breite)
        elif isinstance(e, Marke):
            kasten = ((e.x - e.r) * s, (e.y - e.r) * s, (e.x + e.r) * s, (e.y + e.r) * s)
            if e.form == "quadrat":
                stift.rectangle(kasten, fill=_rgb(e.farbe, e.deckkraft))
            else:
                stift.ellipse(kasten, fill=_rgb(e.farbe, e.deckkraft))
        else:
            stift.text(
                (e.x * s, e.y * s),
                einzeilig(e.text),
                font=_schrift(round(e.groesse * s)),
                fill=_rgb(e.farbe),
                anchor=_ANKER_PIL[e.anker],
            )
    return bild


def png_packen(bild: Any, dpi: int = PNG_DPI) -> bytes:
    """An RGB Pillow image as PNG bytes with its resolution (pHYs).

    Packed here rather than by Pillow's PNG writer, which tries five filters on every row before zlib: for a chart
    of flat colours that is more than half the work and gains nothing, zlib packs the rows as well unfiltered
    (the three charts of a report: 20 ms against 48 ms, 6 % larger). zlib lets go of the GIL while it packs.
    """
    if bild.mode != "RGB":
        bild = bild.convert("RGB")
    breite, hoehe = bild.size
    pixel = bild.tobytes()
    zeile = breite * 3
    # each row starts with its filter type: 0, none
    roh = b"".join(b"\0" + pixel[i : i + zeile] for i in range(0, len(pixel), zeile))
    pro_meter = round(dpi / 0.0254)
    return b"".join(
        (
            b"\x89PNG\r\n\x1a\n",
            _png_teil(b"IHDR", struct.pack(">IIBBBBB", breite, hoehe, 8, 2, 0, 0, 0)),  # 8 bit RGB
            _png_teil(b"pHYs", struct.pack(">IIB", pro_meter, pro_meter, 1)),  # 1: pixels per metre
            _png_teil(
                b"IDAT", zlib.compress(roh, 3)
            ),  # level 3: 6 packs a fifth smaller but takes twice as long
            _png_teil(b"IEND", b""),
        )
    )


def _png_teil(art: bytes, daten: bytes) -> bytes:
    """One chunk of a PNG file: length, type, data, CRC of type and data."""
    return struct.pack(">I", len(daten)) + art + daten + struct.pack(">I", zlib.crc32(art + daten))


def _striche(x1: float, y1: float, x2: float, y2: float) -> list[tuple[float, float, float, float]]:
    """A dashed line as its dashes (4 pt drawn, 2.5 pt left out), as the SVG draws it."""
    laenge = math.hypot(x2 - x1, y2 - y1)
    if laenge == 0:
        return []
    dx, dy = (x2 - x1) / laenge, (y2 - y1) / laenge
    striche = []
    t = 0.0
    while t < laenge:
        ende = min(t + 4.0, laenge)
        striche.append((x1 + dx * t, y1 + dy * t, x1 + dx * ende, y1 + dy * ende))
        t += 6.5
    return striche


# --------------------------------------------------------------------------------------------------------------
# Layout helpers


class _Feld(NamedTuple):
    """A plot area: shares 0..``xmax`` run from left to right, rows of ``zeile`` points from top to bottom."""

    x0: float
    y0: float
    b: float
    zeile: float
    zeilen: int
    xmax: float = 1.12

    @property
    def h(self) -> float:
        return self.zeile * self.zeilen

    def x(self, wert: float) -> float:
        return self.x0 + min(max(wert, 0.0), self.xmax) / self.xmax * self.b

    def y(self, zeile: float) -> float:
        """The middle of row ``zeile`` (fractions: between rows)."""
        return self.y0 + (zeile + 0.5) * self.zeile


def _prozent_achse(z: Zeichnung, feld: _Feld, schritt: float = 0.25) -> float:
    """Grid lines, the x axis with its ticks in % below the field, and the y axis; returns the y below it."""
    unten = feld.y0 + feld.h
    ticks = [i * schritt for i in range(int(min(feld.xmax, 1.0) / schritt + 1e-9) + 1)]
    for t in ticks:
        x = feld.x(t)
        if t > 0:
            z.add(Linie(x, feld.y0, x, unten, GITTER, 0.6))
        z.add(Linie(x, unten, x, unten + 3, TEXT, 0.8))
        z.add(Text(x, unten + 5 + GROSS * 0.8, f"{t * 100:.0f} %", GROSS, "middle"))
    z.add(Linie(feld.x0, unten, feld.x0 + feld.b, unten, TEXT, 0.8))
    z.add(Linie(feld.x0, feld.y0, feld.x0, unten, TEXT, 0.8))
    return unten + 5 + GROSS * 1.2


def _zeilennamen(z: Zeichnung, feld: _Feld, namen: Sequence[str], groesse: float = GROSS) -> None:
    """A name beside each row, right-aligned at the y axis, with a tick."""
    for j, name in enumerate(namen):
        if not name:
            continue
        y = feld.y(j)
        z.add(Linie(feld.x0 - 3, y, feld.x0, y, TEXT, 0.8))
        z.text_mittig(feld.x0 - 5, y, name, groesse, "end")


def _strich(z: Zeichnung, x: float, y: float) -> None:
    """The mark of a suppressed value: "–" at the start of its bar."""
    z.text_mittig(x + 3, y, "–", 11.0, farbe=LEISE)


def _legende(
    z: Zeichnung, eintraege: Sequence[tuple[str, str, str]], x0: float, y0: float, breite: float
) -> float:
    """Entries (label, colour, form: ``balken``, ``kreis``, ``quadrat``) side by side, wrapped to ``breite`` and
    centred; returns the y below them."""
    zeilen: list[list[tuple[str, str, str, float]]] = [[]]
    belegt = 0.0
    for text, farbe, form in eintraege:
        b = 14 + _platz([text], MITTEL) + 14
        if zeilen[-1] and belegt + b > breite:
            zeilen.append([])
            belegt = 0.0
        zeilen[-1].append((text, farbe, form, b))
        belegt += b
    y = y0
    for zeile in zeilen:
        x = x0 + (breite - sum(e[3] for e in zeile)) / 2
        for text, farbe, form, b in zeile:
            mitte = y + 6
            if form == "balken":
                z.add(Rechteck(x, mitte - 4, 10, 8, farbe))
            else:
                z.add(Marke(x + 5, mitte, 3.2, farbe, form))
            z.text_mittig(x + 14, mitte, text, MITTEL)
            x += b
        y += 15
    return y


def _rangbalken(
    z: Zeichnung,
    feld: _Feld,
    j: float,
    wert: float,
    intervall: tuple[float, float] | None,
    farbe: str = FARBEN[0],
) -> None:
    """A share as a bar with its 95 % interval as a whisker and its value beside."""
    y = feld.y(j)
    dicke = feld.zeile * 0.65
    z.add(Rechteck(feld.x0, y - dicke / 2, feld.x(wert) - feld.x0, dicke, farbe))
    lo, hi = intervall or (wert, wert)
    if hi > lo:
        z.add(Linie(feld.x(lo), y, feld.x(hi), y, "#333333", 0.9))
        for ende in (lo, hi):
            z.add(Linie(feld.x(ende), y - 2.5, feld.x(ende), y + 2.5, "#333333", 0.9))
    z.text_mittig(feld.x(min(max(hi, wert) + 0.015, 1.02)), y, prozent_de(wert, 0), KLEIN)


def _kurz(name: str, laenge: int = 28) -> str:
    """A name shortened for an axis."""
    return name if len(name) <= laenge else name[: laenge - 1] + "…"


def _links(namen: Sequence[str], groesse: float = GROSS) -> float:
    """The x of a y axis with ``namen`` beside it."""
    return 8 + _platz(namen, groesse) + 6


# --------------------------------------------------------------------------------------------------------------


def standard_je_gruppe(
    gruppen: Sequence[Werte],
    schritte: Sequence[dict[str, Any]],
    min_fallzahl: int,
    ebene_name: str,
    ohne_daten: Sequence[int] = (),
) -> Diagramm | None:
    """Per group: the share of new members who got each step within its deadline.

    Steps in ``ohne_daten`` (never recorded) get no bars, only a mention in the caption; None if no step is left.
    """
    titel = f"Einarbeitungsstandard je {ebene_name}: Anteil fristgerecht erreicht"
    indizes = [i for i in range(len(schritte)) if i not in ohne_daten]
    if not indizes:
        return None
    fehlt = ""
    if ohne_daten:
        namen_ohne = ", ".join(f"„{schritte[i]['name']}“" for i in ohne_daten)
        fehlt = f" Ohne Balken, weil keine Daten erfasst sind: {namen_ohne}."
    gruppen = [_nur(w, indizes) for w in gruppen]
    schritte = [schritte[i] for i in indizes]
    if len(gruppen) > MAX_BALKEN:
        werte = [
            [v for w in gruppen if (v := anteil_wert(w.schritte[i], min_fallzahl)) is not None]
            for i in range(len(schritte))
        ]
        reihe = [
            (r.werte.name, wert, r.werte.standard.intervall)
            for r in rangfolge(gruppen, min_fallzahl)
            if r.rang is not None and (wert := anteil_wert(r.werte.standard, min_fallzahl)) is not None
        ]
        return _rand_und_verteilung(
            "standard",
            titel,
            ("Standard erfüllt", reihe),
            [s["name"] for s in schritte],
            werte,
            _oben(
                len(reihe),
                ebene_name,
                f"die {RAND} {_mehrzahl(ebene_name)} mit dem höchsten und die {RAND} mit dem niedrigsten Anteil "
                "„Standard erfüllt“",
                f"alle {len(reihe)} {_mehrzahl(ebene_name)} mit Rang, nach dem Anteil „Standard erfüllt“",
            )
            + " (Rangfolge wie in der Tabelle), Strich: 95-%-Intervall. Unten: "
            f"je Schritt des Standards ein Punkt je {ebene_name} (Anteil fristgerecht erreicht); Strich: Median."
            + fehlt,
            ebene_name,
        )
    k = len(schritte)
    dicke = 9.0 if k <= 3 else 7.0
    namen = [_kurz(w.name) for w in gruppen]
    z = Zeichnung(BREITE, 0)
    x0 = _links(namen)
    oben = _legende(
        z,
        [(_kurz(s["name"], 40), FARBEN[i % len(FARBEN)], "balken") for i, s in enumerate(schritte)],
        x0,
        6,
        BREITE - x0 - 10,
    )
    feld = _Feld(x0, oben + 4, BREITE - x0 - 12, k * dicke + 10, len(gruppen))
    unten = _prozent_achse(z, feld)
    for j, gruppe in enumerate(gruppen):
        for i in range(k):
            y = feld.y(j) + (i - (k - 1) / 2) * dicke
            wert = anteil_wert(gruppe.schritte[i], min_fallzahl)
            if wert is None:
                _strich(z, feld.x0, y)
                continue
            z.add(
                Rechteck(
                    feld.x0, y - dicke * 0.45, feld.x(wert) - feld.x0, dicke * 0.9, FARBEN[i % len(FARBEN)]
                )
            )
            z.text_mittig(feld.x(wert) + 3, y, prozent_de(wert, 0), KLEIN)
    _zeilennamen(z, feld, namen)
    z.hoehe = unten + 4
    beschreibung = (
        f"Balken je {ebene_name} und Schritt: Anteil der Neumitglieder, die den Schritt innerhalb der Frist bekommen "
        f"haben. „–“: weniger als {min_fallzahl} gezählte Neumitglieder mit abgelaufener Frist.{fehlt}"
    )
    return Diagramm("standard", titel, beschreibung, z)


def _nur(werte: Werte, indizes: Sequence[int]) -> Werte:
    """The figures of a group with only the steps ``indizes``."""
    return replace(werte, schritte=[werte.schritte[i] for i in indizes])


def bindung_je_gruppe(
    gruppen: Sequence[Werte], min_fallzahl: int, ebene_name: str, vorbehalt: str = ""
) -> Diagramm:
    """Per group: first-year retention with its 95 % interval; ``vorbehalt`` marks it on title and caption."""
    titel = f"Bindung im ersten Jahr je {ebene_name}" + (" (unvollständig)" if vorbehalt else "")
    if len(gruppen) > MAX_BALKEN:
        mit_wert = [(w, v) for w in gruppen if (v := anteil_wert(w.bindung, min_fallzahl)) is not None]
        mit_wert.sort(key=lambda p: (-p[1], -p[0].bindung.basis, p[0].name))
        return _rand_und_verteilung(
            "bindung",
            titel,
            ("Bindung im 1. Jahr", [(w.name, v, w.bindung.intervall) for w, v in mit_wert]),
            ["Bindung im 1. Jahr"],
            [[v for _, v in mit_wert]],
            _oben(
                len(mit_wert),
                ebene_name,
                f"die {RAND} {_mehrzahl(ebene_name)} mit der höchsten und die {RAND} mit der niedrigsten Bindung",
                f"alle {len(mit_wert)} {_mehrzahl(ebene_name)} mit genug Mitgliedern, nach der Bindung",
            )
            + f", Strich: 95-%-Intervall. Unten: ein Punkt je {ebene_name}; Strich: Median. "
            f"{vorbehalt}".strip(),
            ebene_name,
        )
    namen = [_kurz(w.name) for w in gruppen]
    z = Zeichnung(BREITE, 0)
    x0 = _links(namen)
    feld = _Feld(x0, 8, BREITE - x0 - 12, 19.0, len(gruppen))
    unten = _prozent_achse(z, feld)
    for j, gruppe in enumerate(gruppen):
        wert = anteil_wert(gruppe.bindung, min_fallzahl)
        if wert is None:
            _strich(z, feld.x0, feld.y(j))
            continue
        _rangbalken(z, feld, j, wert, gruppe.bindung.intervall, farbe=FARBEN[2])
    _zeilennamen(z, feld, namen)
    z.hoehe = unten + 4
    beschreibung = (
        "Anteil der Mitglieder, die 12 bis 24 Monate vor dem Ende des Zeitraums eingetreten sind und ein Jahr "
        f"danach noch Mitglied waren; Strich: 95-%-Intervall. „–“: weniger als {min_fallzahl} Mitglieder."
    )
    return Diagramm("bindung", titel, f"{beschreibung} {vorbehalt}".strip(), z)


def _schritt(hoechst: float) -> float:
    """A round step for a percent axis up to ``hoechst``: at most eight ticks."""
    for schritt in (0.01, 0.02, 0.05, 0.1, 0.2, 0.25):
        if hoechst / schritt <= 8:
            return schritt
    return 0.25


def tage_bis_kontakt(verteilung: Sequence[tuple[str, int]], min_fallzahl: int) -> Diagramm | None:
    """The distribution of days from Eintritt to the first personal contact, as shares of all new members."""
    gesamt = sum(n for _, n in verteilung)
    if gesamt < min_fallzahl:
        return None
    namen = [name for name, _ in verteilung]
    anteile = [n / gesamt for _, n in verteilung]
    hoechst = max(max(anteile) * 1.15, 0.1)
    schritt = _schritt(hoechst)
    ticks = [i * schritt for i in range(int(hoechst / schritt + 1e-9) + 1)]
    z = Zeichnung(BREITE, 0)
    x0 = _links([f"{t * 100:.0f} %" for t in ticks])
    y0, hoehe = 10.0, 170.0
    breite = BREITE - x0 - 10
    unten = y0 + hoehe

    def y(wert: float) -> float:
        return unten - wert / hoechst * hoehe

    for t in ticks:
        if t > 0:
            z.add(Linie(x0, y(t), x0 + breite, y(t), GITTER, 0.6))
        z.add(Linie(x0 - 3, y(t), x0, y(t), TEXT, 0.8))
        z.text_mittig(x0 - 5, y(t), f"{t * 100:.0f} %", GROSS, "end")
    fach = breite / max(len(namen), 1)
    zeilen_max = 1
    for i, (name, wert) in enumerate(zip(namen, anteile)):
        mitte = x0 + (i + 0.5) * fach
        farbe = GRAU if name == NICHT_ERREICHT else FARBEN[0]
        z.add(Rechteck(mitte - fach * 0.4, y(wert), fach * 0.8, unten - y(wert), farbe))
        z.add(Text(mitte, y(wert) - 4, prozent_de(wert, 0), KLEIN, "middle"))
        beschriftung = ["noch nicht", "erreicht"] if name == NICHT_ERREICHT else [name]
        zeilen_max = max(zeilen_max, len(beschriftung))
        for n, zeile in enumerate(beschriftung):
            z.add(Text(mitte, unten + 5 + GROSS * (0.8 + 1.2 * n), zeile, GROSS, "middle"))
    z.add(Linie(x0, unten, x0 + breite, unten, TEXT, 0.8))
    z.add(Linie(x0, y0, x0, unten, TEXT, 0.8))
    achse = unten + 5 + GROSS * 1.2 * zeilen_max + 8
    z.add(
        Text(
            x0 + breite / 2,
            achse + GROSS * 0.8,
            "Tage vom Eintritt bis zum ersten persönlichen Kontakt",
            GROSS,
            "middle",
        )
    )
    z.hoehe = achse + GROSS * 1.2 + 6
    return Diagramm(
        "tage",
        "Tage bis zum ersten persönlichen Kontakt",
        "Anteil der gezählten Neumitglieder des Zeitraums (eingetreten nach Beginn der Erfassung persönlicher "
        "Kontakte) je Zeitspanne bis zum ersten persönlichen Kontakt; grau: bis zum Ende des Zeitraums noch nicht "
        "persönlich erreicht.",
        z,
    )


def _oben(anzahl: int, ebene_name: str, rand: str, alle: str) -> str:
    """The caption's words on the upper part of a many-groups chart (:func:`_rand_und_verteilung`): the best and
    the worst :data:`RAND` (``rand``) only when more than twice as many have a value, else all of them."""
    if not anzahl:
        return f"Oben: kein {ebene_name} mit genug Mitgliedern"
    return f"Oben: {rand if anzahl > 2 * RAND else alle}"


def _mehrzahl(ebene_name: str) -> str:
    return {"Ortsverein": "Ortsvereine", "Unterbezirk": "Unterbezirke"}.get(ebene_name, ebene_name)


def _rand_und_verteilung(
    schluessel: str,
    titel: str,
    rangliste: tuple[str, Sequence[tuple[str, float, tuple[float, float] | None]]],
    namen: Sequence[str],
    werte: Sequence[Sequence[float]],
    beschreibung: str,
    ebene_name: str,
) -> Diagramm:
    """Many groups: the best and the worst :data:`RAND` by name (``rangliste``: name, share, interval, best
    first), and below one dot per group and a median line per series (``namen``, ``werte``); ``ebene_name``
    (Ortsverein, Unterbezirk) names a group in the chart's texts."""
    was, reihe = rangliste
    oben = list(reihe[:RAND]) if len(reihe) > 2 * RAND else list(reihe)
    unten = list(reihe[-RAND:]) if len(reihe) > 2 * RAND else []

    def rang(wert: float) -> int:  # equal shares share a rank, as in the report's ranking
        return 1 + sum(1 for _, w, _ in reihe if round(w, 9) > round(wert, 9))

    zeilen: list[tuple[str, float, tuple[float, float] | None] | None] = list(oben)
    beschriftung = [f"{rang(w)}. {_kurz(n)}" for n, w, _ in oben]
    if unten:
        ausgelassen = len(reihe) - len(oben) - len(unten)
        zeilen.append(None)
        beschriftung.append(f"… {ausgelassen} weitere …" if ausgelassen else "")
        zeilen.extend(unten)
        beschriftung.extend(f"{rang(w)}. {_kurz(n)}" for n, w, _ in unten)
    reihen_namen = [_kurz(n, 34) for n in namen]
    z = Zeichnung(BREITE, 0)
    x0 = max(_links(beschriftung, KLEIN), _links(reihen_namen))
    b = BREITE - x0 - 12
    y = 8.0
    if reihe:
        mitte = median([w for _, w, _ in reihe])
        for zeile in (
            f"{was}: die besten und die schwächsten {RAND}"
            if unten
            else f"{was}: alle {len(reihe)} mit Rang",
            f"(gestrichelt: Median aller {len(reihe)}, {prozent_de(mitte, 0)})",
        ):
            z.add(Text(x0, y + MITTEL * 0.9, zeile, MITTEL))
            y += MITTEL * 1.3
    else:
        z.add(Text(x0, y + MITTEL * 0.9, f"{was}: kein {ebene_name} mit genug Mitgliedern", MITTEL))
        y += MITTEL * 1.3
    rang_feld = _Feld(x0, y + 4, b, 16.0, max(len(zeilen), 1))
    y = _prozent_achse(z, rang_feld)
    for j, eintrag in enumerate(zeilen):
        if eintrag is not None:
            _rangbalken(z, rang_feld, j, eintrag[1], eintrag[2])
    for j, text in enumerate(beschriftung):
        if text.startswith("…"):
            z.text_mittig(rang_feld.x0 - 5, rang_feld.y(j), text, KLEIN, "end", farbe=LEISE)
        elif text:
            zy = rang_feld.y(j)
            z.add(Linie(rang_feld.x0 - 3, zy, rang_feld.x0, zy, TEXT, 0.8))
            z.text_mittig(rang_feld.x0 - 5, zy, text, KLEIN, "end")
    if reihe:
        z.add(
            Linie(
                rang_feld.x(mitte),
                rang_feld.y0,
                rang_feld.x(mitte),
                rang_feld.y0 + rang_feld.h,
                "#222222",
                1.0,
                True,
            )
        )
    y += 18
    z.add(
        Text(x0, y + MITTEL * 0.9, f"Alle als Verteilung (ein Punkt je {ebene_name}, Strich: Median)", MITTEL)
    )
    # the same scale as the ranking above: 100 % in both at the same place
    vert_feld = _Feld(x0, y + MITTEL * 1.3 + 4, b, 44.0, len(namen))
    y = _prozent_achse(z, vert_feld)
    _punktwolke(z, vert_feld, werte)
    _zeilennamen(z, vert_feld, reihen_namen)
    z.hoehe = y + 4
    return Diagramm(schluessel, titel, beschreibung, z)


def _punktwolke(z: Zeichnung, feld: _Feld, werte: Sequence[Sequence[float]]) -> None:
    """One dot per group, spread a little up and down so that equal shares stay visible, and a median line."""
    for i, reihe in enumerate(werte):
        if not reihe:
            _strich(z, feld.x0, feld.y(i))
            continue
        farbe = FARBEN[i % len(FARBEN)]
        for k, wert in enumerate(reihe):
            streuung = ((k * 0.618034) % 1 - 0.5) * 0.5
            z.add(Marke(feld.x(wert), feld.y(i + streuung), 2.2, farbe, "kreis", 0.6))
        mitte = median(reihe)
        z.add(Linie(feld.x(mitte), feld.y(i - 0.35), feld.x(mitte), feld.y(i + 0.35), "#222222", 2.0))
