"""The charts of the report, drawn with matplotlib (imported here only): SVG for the HTML, PNG for Word and Excel.

Each chart is a :class:`Diagramm` holding its figure; the SVG and the PNG are rendered when a format first asks
for them, once each (the report writes one SVG for the HTML and one PNG shared by Word and Excel). Figures are
``matplotlib.figure.Figure`` on the Agg canvas, no pyplot state, with margins set by hand from the labels (a
constrained layout would be solved anew at each rendering). The SVG is cleaned for inlining into one self-contained HTML file: no XML prolog, no
DOCTYPE or namespace URLs, unique ids per chart, text kept as text. Small numbers never show: bars resting on
fewer than ``min_fallzahl`` members are left out and marked "–". Names are drawn as written: a "$" in an
Ortsverein's name never turns into a formula.

More than :data:`MAX_BALKEN` groups: the best and the worst :data:`RAND` by name, and all as a distribution.
"""

from __future__ import annotations

import functools
import io
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from mitgliederarbeit.auswertung.kennzahlen import (
    NICHT_ERREICHT,
    Anteil,
    Werte,
    anteil_wert,
    prozent_de,
    rangfolge,
)

MAX_BALKEN = 40  # more groups than this: the best and worst ten, and a distribution instead of one bar each
RAND = 10  # named at each end when there are too many groups for one bar each
FARBEN = ("#1b6ca8", "#e07b39", "#4f9a5e", "#8e6bb0", "#c44e52", "#7f7f7f")
GRAU = "#9a9a9a"
PNG_DPI = 150


@dataclass
class Diagramm:
    schluessel: str
    titel: str
    beschreibung: str  # alt text / caption
    figur: Any = field(repr=False, compare=False)

    @functools.cached_property
    def svg(self) -> str:
        """The chart as inline SVG for the HTML (rendered on first use)."""
        return _svg_inline(self._rendern("svg").decode("utf-8"), self.schluessel, self.titel)

    @functools.cached_property
    def png(self) -> bytes:
        """The chart as PNG for Word and Excel (rendered on first use)."""
        return self._rendern("png")

    def _rendern(self, art: str) -> bytes:
        import matplotlib

        puffer = io.BytesIO()
        with matplotlib.rc_context(
            {
                "svg.fonttype": "none",
                "svg.hashsalt": f"mitglieder-{self.schluessel}",
                "font.family": "DejaVu Sans",
            }
        ):
            if art == "svg":
                metadata: dict[str, Any] = {"Creator": None, "Date": None, "Format": None, "Type": None}
                self.figur.savefig(puffer, format="svg", metadata=metadata)
            else:
                self.figur.savefig(puffer, format="png", dpi=PNG_DPI, metadata={"Software": None})
        return puffer.getvalue()


def _text(text: str) -> str:
    """A text drawn as written: matplotlib would read a pair of "$" as a formula (or fail on it)."""
    return text.replace("$", r"\$")


def _prozent_achse(axis: Any) -> None:
    from matplotlib.ticker import FuncFormatter, MultipleLocator

    axis.set_major_formatter(FuncFormatter(lambda x, _pos: f"{x * 100:.0f} %"))
    axis.set_major_locator(MultipleLocator(0.25))


def _figur(breite: float, hoehe: float) -> Any:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(breite, hoehe))
    FigureCanvasAgg(fig)
    return fig


def _beschriftung_zoll(texte: Sequence[str], groesse: float = 9) -> float:
    """How wide the widest line of ``texte`` is in inches (DejaVu Sans: at most about 0.68 em a character), plus the tick."""
    laengste = max((len(zeile) for t in texte for zeile in t.split("\n")), default=0)
    return laengste * groesse * 0.68 / 72 + 0.15


def _raender(
    fig: Any,
    *,
    links: float,
    unten: float,
    oben: float,
    rechts: float = 0.35,
    hspace: float = 0.2,
    wspace: float = 0.2,
) -> None:
    """The margins in inches, set once: a constrained layout would be solved anew at every rendering (the most
    expensive part of drawing a small chart), and these charts know what stands around their axes."""
    breite, hoehe = fig.get_size_inches()
    fig.subplots_adjust(
        left=min(links / breite, 0.6),
        right=1 - rechts / breite,
        bottom=min(unten / hoehe, 0.45),
        top=max(1 - oben / hoehe, 0.55),
        hspace=hspace,
        wspace=wspace,
    )


def _stil(ax: Any) -> None:
    for seite in ("top", "right"):
        ax.spines[seite].set_visible(False)
    ax.tick_params(labelsize=9)


def _ausgeben(fig: Any, schluessel: str, titel: str, beschreibung: str) -> Diagramm:
    return Diagramm(schluessel, titel, beschreibung, fig)


def _svg_inline(svg: str, schluessel: str, titel: str) -> str:
    """Make matplotlib's SVG fit for inlining into HTML: no prolog, no URLs, ids unique in the page."""
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r'\s+xmlns(:xlink)?="[^"]*"', "", svg)
    svg = svg.replace("xlink:href=", "href=")
    # references are href="#id" and url(#id); a bare "#" is also a colour (fill: #ffffff) and must stay
    verweis = re.compile(r'(href="#|url\(#)([A-Za-z_][\w.\-]*)')
    referenziert = {m.group(2) for m in verweis.finditer(svg)}

    def id_ersetzen(match: re.Match[str]) -> str:
        name = match.group(1)
        return f' id="{schluessel}-{name}"' if name in referenziert else ""

    svg = re.sub(r' id="([^"]*)"', id_ersetzen, svg)
    svg = verweis.sub(lambda m: f"{m.group(1)}{schluessel}-{m.group(2)}", svg)
    from html import escape

    return svg.replace("<svg ", f'<svg class="diagramm" role="img" aria-label="{escape(titel)}" ', 1).strip()


def _kurz(name: str, laenge: int = 28) -> str:
    """A name shortened for an axis, safe from mathtext."""
    return _text(name if len(name) <= laenge else name[: laenge - 1] + "…")


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
            f"Oben: die {RAND} {_mehrzahl(ebene_name)} mit dem höchsten und die {RAND} mit dem "
            f"niedrigsten Anteil „Standard erfüllt“ (Rangfolge wie in der Tabelle), Strich: 95-%-Intervall. Unten: "
            f"je Schritt des Standards ein Punkt je {ebene_name} (Anteil fristgerecht erreicht); Strich: Median."
            + fehlt,
        )
    n = len(gruppen)
    k = max(len(schritte), 1)
    fig = _figur(8.0, 1.1 + n * (0.12 * k + 0.12))
    ax = fig.subplots()
    hoehe = 0.8 / k
    namen = [_kurz(w.name) for w in gruppen]
    for i in range(len(schritte)):
        for j, gruppe in enumerate(gruppen):
            y = j + (i - (k - 1) / 2) * hoehe
            wert = anteil_wert(gruppe.schritte[i], min_fallzahl)
            if wert is None:
                ax.text(0.005, y, "–", va="center", ha="left", fontsize=8, color=GRAU)
                continue
            ax.barh(y, wert, height=hoehe * 0.9, color=FARBEN[i % len(FARBEN)])
            ax.text(wert + 0.01, y, prozent_de(wert, 0), va="center", ha="left", fontsize=7)
    from matplotlib.patches import Patch

    legende = [Patch(color=FARBEN[i % len(FARBEN)], label=_text(s["name"])) for i, s in enumerate(schritte)]
    ax.legend(
        handles=legende,
        loc="lower center",
        bbox_to_anchor=(0.5, 1.0),
        ncol=min(k, 3),
        fontsize=8,
        frameon=False,
    )
    ax.set_yticks(range(n), namen)
    ax.invert_yaxis()
    ax.set_xlim(0, 1.12)
    _prozent_achse(ax.xaxis)
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    _stil(ax)
    _raender(fig, links=_beschriftung_zoll(namen), unten=0.4, oben=0.2 + 0.2 * -(-k // 3))
    beschreibung = (
        f"Balken je {ebene_name} und Schritt: Anteil der Neumitglieder, die den Schritt innerhalb der Frist bekommen "
        f"haben. „–“: weniger als {min_fallzahl} gezählte Neumitglieder mit abgelaufener Frist.{fehlt}"
    )
    return _ausgeben(fig, "standard", titel, beschreibung)


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
            f"Oben: die {RAND} {_mehrzahl(ebene_name)} mit der höchsten und die {RAND} mit der "
            f"niedrigsten Bindung, Strich: 95-%-Intervall. Unten: ein Punkt je {ebene_name}; Strich: Median. "
            f"{vorbehalt}".strip(),
        )
    n = len(gruppen)
    fig = _figur(8.0, 0.9 + n * 0.26)
    ax = fig.subplots()
    for j, gruppe in enumerate(gruppen):
        wert = anteil_wert(gruppe.bindung, min_fallzahl)
        if wert is None:
            ax.text(0.005, j, "–", va="center", ha="left", fontsize=8, color=GRAU)
            continue
        _rangbalken(ax, j, wert, gruppe.bindung.intervall, farbe=FARBEN[2])
    namen = [_kurz(w.name) for w in gruppen]
    ax.set_yticks(range(n), namen)
    ax.invert_yaxis()
    ax.set_xlim(0, 1.12)
    _prozent_achse(ax.xaxis)
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    _stil(ax)
    _raender(fig, links=_beschriftung_zoll(namen), unten=0.4, oben=0.15)
    beschreibung = (
        "Anteil der Mitglieder, die 12 bis 24 Monate vor dem Ende des Zeitraums eingetreten sind und ein Jahr "
        f"danach noch Mitglied waren; Strich: 95-%-Intervall. „–“: weniger als {min_fallzahl} Mitglieder."
    )
    return _ausgeben(fig, "bindung", titel, f"{beschreibung} {vorbehalt}".strip())


def tage_bis_kontakt(verteilung: Sequence[tuple[str, int]], min_fallzahl: int) -> Diagramm | None:
    """The distribution of days from Eintritt to the first personal contact, as shares of all new members."""
    gesamt = sum(n for _, n in verteilung)
    if gesamt < min_fallzahl:
        return None
    fig = _figur(8.0, 3.2)
    ax = fig.subplots()
    namen = [name for name, _ in verteilung]
    anteile = [n / gesamt for _, n in verteilung]
    farben = [GRAU if name == NICHT_ERREICHT else FARBEN[0] for name in namen]
    ax.bar(range(len(namen)), anteile, color=farben)
    for i, wert in enumerate(anteile):
        ax.text(i, wert + 0.01, prozent_de(wert, 0), ha="center", va="bottom", fontsize=8)
    ax.set_xticks(range(len(namen)), [n.replace(NICHT_ERREICHT, "noch nicht\nerreicht") for n in namen])
    ax.set_xlabel("Tage vom Eintritt bis zum ersten persönlichen Kontakt", fontsize=9)
    ax.set_ylim(0, max(max(anteile) * 1.18, 0.1))
    from matplotlib.ticker import FuncFormatter

    ax.yaxis.set_major_formatter(FuncFormatter(lambda x, _pos: f"{x * 100:.0f} %"))
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    _stil(ax)
    _raender(fig, links=0.65, unten=0.75, oben=0.2)
    return _ausgeben(
        fig,
        "tage",
        "Tage bis zum ersten persönlichen Kontakt",
        "Anteil der gezählten Neumitglieder des Zeitraums (eingetreten nach Beginn der Erfassung persönlicher "
        "Kontakte) je Zeitspanne bis zum ersten persönlichen Kontakt; grau: bis zum Ende des Zeitraums noch nicht "
        "persönlich erreicht.",
    )


def praktiken(vergleiche: Sequence[Any], min_fallzahl: int) -> Diagramm | None:
    """Per practice and outcome: the pooled share with and without it, with 95 % intervals."""
    if not vergleiche:
        return None
    ergebnisse: list[str] = []
    for v in vergleiche:
        if v.ergebnis not in ergebnisse:
            ergebnisse.append(v.ergebnis)
    namen: list[str] = []
    for v in vergleiche:
        if v.praxis.titel not in namen:
            namen.append(v.praxis.titel)
    from matplotlib.ticker import MultipleLocator

    fig = _figur(9.0, 1.4 + 0.48 * len(namen))
    achsen = fig.subplots(1, len(ergebnisse), sharey=True, squeeze=False)[0]
    for ax, ergebnis in zip(achsen, ergebnisse):
        titel = ""
        for v in vergleiche:
            if v.ergebnis != ergebnis:
                continue
            titel = v.ergebnis_titel
            j = namen.index(v.praxis.titel)
            for versatz, anteil, farbe, marke, label in (
                (-0.15, v.mit, FARBEN[0], "o", "mit"),
                (0.15, v.ohne, FARBEN[1], "s", "ohne"),
            ):
                _punkt(ax, j + versatz, anteil, min_fallzahl, farbe, marke, label)
        ax.set_title(_text(titel), fontsize=9)
        ax.set_xlim(0, 1)
        _prozent_achse(ax.xaxis)
        ax.xaxis.set_major_locator(MultipleLocator(0.5))
        ax.grid(axis="x", color="#dddddd", linewidth=0.6)
        ax.set_axisbelow(True)
        _stil(ax)
    beschriftung = [_text(textwrap.fill(n, 24)) for n in namen]
    achsen[0].set_yticks(range(len(namen)), beschriftung)
    achsen[0].invert_yaxis()
    handles, labels = achsen[0].get_legend_handles_labels()
    for ax in achsen[1:]:
        h, labs = ax.get_legend_handles_labels()
        handles, labels = handles + h, labels + labs
    eindeutig = dict(zip(labels, handles))
    fig.legend(
        eindeutig.values(),
        [f"{k} Praxis" for k in eindeutig],
        loc="lower center",
        bbox_to_anchor=(0.5, 0.0),
        ncol=2,
        fontsize=8,
        frameon=False,
    )
    _raender(fig, links=_beschriftung_zoll(beschriftung), unten=0.75, oben=0.35, wspace=0.2)
    return _ausgeben(
        fig,
        "praktiken",
        "Praktiken und Ergebnisse (mit 95-%-Intervall)",
        "Je Praxis der Anteil in den Ortsvereinen mit (Kreis) und ohne (Quadrat) diese Praxis, mit 95-%-Intervall. "
        f"Ohne Punkt: weniger als {min_fallzahl} Mitglieder. Ein Zusammenhang, kein Beweis für eine Ursache.",
    )


def _punkt(ax: Any, y: float, anteil: Anteil, min_fallzahl: int, farbe: str, marke: str, label: str) -> None:
    wert = anteil_wert(anteil, min_fallzahl)
    if wert is None:
        return
    lo, hi = anteil.intervall or (wert, wert)
    ax.errorbar(
        wert,
        y,
        xerr=[[max(0.0, wert - lo)], [max(0.0, hi - wert)]],
        fmt=marke,
        color=farbe,
        ecolor=farbe,
        capsize=2,
        markersize=5,
        linewidth=1,
        label=label,
    )


def _mehrzahl(ebene_name: str) -> str:
    return {"Ortsverein": "Ortsvereine", "Unterbezirk": "Unterbezirke"}.get(ebene_name, ebene_name)


def _median(werte: Sequence[float]) -> float:
    geordnet = sorted(werte)
    mitte = len(geordnet) // 2
    return geordnet[mitte] if len(geordnet) % 2 else (geordnet[mitte - 1] + geordnet[mitte]) / 2


def _rand_und_verteilung(
    schluessel: str,
    titel: str,
    rangliste: tuple[str, Sequence[tuple[str, float, tuple[float, float] | None]]],
    namen: Sequence[str],
    werte: Sequence[Sequence[float]],
    beschreibung: str,
) -> Diagramm:
    """Many groups: the best and the worst :data:`RAND` by name (``rangliste``: name, share, interval, best
    first), and below one dot per group and a median line per series (``namen``, ``werte``)."""
    was, reihe = rangliste
    oben = list(reihe[:RAND]) if len(reihe) > 2 * RAND else list(reihe)
    unten = list(reihe[-RAND:]) if len(reihe) > 2 * RAND else []
    zeilen = len(oben) + (len(unten) + 1 if unten else 0)
    hoehe_rang = 0.5 + 0.24 * max(zeilen, 1)
    hoehe_verteilung = 0.9 + 0.55 * len(namen)
    fig = _figur(8.0, hoehe_rang + hoehe_verteilung + 0.5)
    ax_rang, ax_vert = fig.subplots(2, 1, height_ratios=[hoehe_rang, hoehe_verteilung])
    beschriftung: list[str] = []

    def rang(wert: float) -> int:  # equal shares share a rank, as in the report's ranking
        return 1 + sum(1 for _, w, _ in reihe if round(w, 9) > round(wert, 9))

    y = 0
    for name, wert, intervall in oben:
        _rangbalken(ax_rang, y, wert, intervall)
        beschriftung.append(f"{rang(wert)}. {_kurz(name)}")
        y += 1
    if unten:
        ausgelassen = len(reihe) - len(oben) - len(unten)
        beschriftung.append(f"… {ausgelassen} weitere …" if ausgelassen else "")
        y += 1
        for name, wert, intervall in unten:
            _rangbalken(ax_rang, y, wert, intervall)
            beschriftung.append(f"{rang(wert)}. {_kurz(name)}")
            y += 1
    if reihe:
        mitte = _median([w for _, w, _ in reihe])
        ax_rang.axvline(mitte, color="#222222", linewidth=1, linestyle="--")
        ax_rang.set_title(
            f"{_text(was)}: die besten und die schwächsten {min(RAND, len(reihe))}\n"
            f"(gestrichelt: Median aller {len(reihe)}, {prozent_de(mitte, 0)})",
            fontsize=9,
            loc="left",
        )
    else:
        ax_rang.text(0.5, 0.5, f"{was}: keine Gruppe mit genug Mitgliedern", ha="center", va="center")
    ax_rang.set_yticks(range(len(beschriftung)), beschriftung, fontsize=8)
    ax_rang.set_ylim(max(len(beschriftung), 1) - 0.5, -0.5)
    ax_rang.set_xlim(0, 1.12)
    _prozent_achse(ax_rang.xaxis)
    ax_rang.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax_rang.set_axisbelow(True)
    _stil(ax_rang)
    _punktwolke(ax_vert, namen, werte)
    ax_vert.set_title("Alle als Verteilung (ein Punkt je Gruppe, Strich: Median)", fontsize=9, loc="left")
    links = max(_beschriftung_zoll(beschriftung, 8), _beschriftung_zoll([_kurz(n, 34) for n in namen]))
    _raender(fig, links=links, unten=0.4, oben=0.5, hspace=0.9 / (hoehe_rang + hoehe_verteilung) * 2)
    return _ausgeben(fig, schluessel, titel, beschreibung)


def _rangbalken(
    ax: Any, y: int, wert: float, intervall: tuple[float, float] | None, farbe: str = FARBEN[0]
) -> None:
    """A share as a bar with its interval as a whisker and its value beside."""
    lo, hi = intervall or (wert, wert)
    ax.barh(y, wert, height=0.65, color=farbe)
    ax.errorbar(
        wert,
        y,
        xerr=[[max(0.0, wert - lo)], [max(0.0, hi - wert)]],
        fmt="none",
        ecolor="#333333",
        capsize=2,
        linewidth=0.8,
    )
    ax.text(min(hi + 0.015, 1.02), y, prozent_de(wert, 0), va="center", ha="left", fontsize=7)


def _punktwolke(ax: Any, namen: Sequence[str], werte: Sequence[Sequence[float]]) -> None:
    """One dot per group and a median line per series."""
    for i, reihe in enumerate(werte):
        if not reihe:
            ax.text(0.005, i, "–", va="center", ha="left", fontsize=8, color=GRAU)
            continue
        streuung = [((k * 0.618034) % 1 - 0.5) * 0.5 for k in range(len(reihe))]
        ax.scatter(list(reihe), [i + d for d in streuung], s=8, alpha=0.5, color=FARBEN[i % len(FARBEN)])
        mitte = _median(reihe)
        ax.plot([mitte, mitte], [i - 0.35, i + 0.35], color="#222222", linewidth=2)
    ax.set_yticks(range(len(namen)), [_kurz(n, 34) for n in namen])
    ax.set_ylim(len(namen) - 0.5, -0.5)
    ax.set_xlim(0, 1)
    _prozent_achse(ax.xaxis)
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    _stil(ax)
