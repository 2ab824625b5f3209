"""The charts of the report, drawn with matplotlib (imported here only): SVG for the HTML, PNG for Word and Excel.

Each chart is a :class:`Diagramm` holding both renderings. Figures are made with ``matplotlib.figure.Figure``
(the Agg canvas, no pyplot state). The SVG is cleaned for inlining into one self-contained HTML file: no XML
prolog, no DOCTYPE or namespace URLs, unique ids per chart, text kept as text. Small numbers never show:
bars resting on fewer than ``min_fallzahl`` members are left out and marked "–".
"""

from __future__ import annotations

import io
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from mitgliederarbeit.auswertung.kennzahlen import (
    NICHT_ERREICHT,
    Anteil,
    Werte,
    anteil_wert,
    prozent_de,
)

MAX_BALKEN = 40  # more groups than this: a distribution instead of one bar each
FARBEN = ("#1b6ca8", "#e07b39", "#4f9a5e", "#8e6bb0", "#c44e52", "#7f7f7f")
GRAU = "#9a9a9a"
PNG_DPI = 160


@dataclass(frozen=True)
class Diagramm:
    schluessel: str
    titel: str
    beschreibung: str  # alt text / caption
    svg: str
    png: bytes


def _prozent_achse(axis: Any) -> None:
    from matplotlib.ticker import FuncFormatter, MultipleLocator

    axis.set_major_formatter(FuncFormatter(lambda x, _pos: f"{x * 100:.0f} %"))
    axis.set_major_locator(MultipleLocator(0.25))


def _figur(breite: float, hoehe: float) -> Any:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(breite, hoehe), layout="constrained")
    return fig


def _stil(ax: Any) -> None:
    for seite in ("top", "right"):
        ax.spines[seite].set_visible(False)
    ax.tick_params(labelsize=9)


def _ausgeben(fig: Any, schluessel: str, titel: str, beschreibung: str) -> Diagramm:
    import matplotlib

    with matplotlib.rc_context(
        {"svg.fonttype": "none", "svg.hashsalt": f"mitglieder-{schluessel}", "font.family": "DejaVu Sans"}
    ):
        text = io.StringIO()
        fig.savefig(
            text, format="svg", metadata={"Creator": None, "Date": None, "Format": None, "Type": None}
        )
        png = io.BytesIO()
        fig.savefig(png, format="png", dpi=PNG_DPI, metadata={"Software": None})
    return Diagramm(
        schluessel, titel, beschreibung, _svg_inline(text.getvalue(), schluessel, titel), png.getvalue()
    )


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
    return name if len(name) <= laenge else name[: laenge - 1] + "…"


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
        return _verteilung(
            "standard",
            titel,
            [s["name"] for s in schritte],
            werte,
            f"Je Schritt des Standards ein Punkt je {ebene_name} (Anteil fristgerecht erreicht); Strich: Median."
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

    legende = [Patch(color=FARBEN[i % len(FARBEN)], label=s["name"]) for i, s in enumerate(schritte)]
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
        werte = [v for w in gruppen if (v := anteil_wert(w.bindung, min_fallzahl)) is not None]
        return _verteilung(
            "bindung",
            titel,
            ["Bindung im 1. Jahr"],
            [werte],
            f"Ein Punkt je {ebene_name}; Strich: Median. {vorbehalt}".strip(),
        )
    n = len(gruppen)
    fig = _figur(8.0, 0.9 + n * 0.26)
    ax = fig.subplots()
    for j, gruppe in enumerate(gruppen):
        wert = anteil_wert(gruppe.bindung, min_fallzahl)
        if wert is None:
            ax.text(0.005, j, "–", va="center", ha="left", fontsize=8, color=GRAU)
            continue
        lo, hi = gruppe.bindung.intervall or (wert, wert)
        ax.barh(j, wert, height=0.6, color=FARBEN[2])
        ax.errorbar(
            wert,
            j,
            xerr=[[max(0.0, wert - lo)], [max(0.0, hi - wert)]],
            fmt="none",
            ecolor="#333333",
            capsize=3,
            linewidth=1,
        )
        ax.text(min(hi + 0.015, 1.02), j, prozent_de(wert, 0), va="center", ha="left", fontsize=7)
    ax.set_yticks(range(n), [_kurz(w.name) for w in gruppen])
    ax.invert_yaxis()
    ax.set_xlim(0, 1.12)
    _prozent_achse(ax.xaxis)
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    _stil(ax)
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
        ax.set_title(titel, fontsize=9)
        ax.set_xlim(0, 1)
        _prozent_achse(ax.xaxis)
        ax.xaxis.set_major_locator(MultipleLocator(0.5))
        ax.grid(axis="x", color="#dddddd", linewidth=0.6)
        ax.set_axisbelow(True)
        _stil(ax)
    achsen[0].set_yticks(range(len(namen)), [textwrap.fill(n, 24) for n in namen])
    achsen[0].invert_yaxis()
    handles, labels = achsen[0].get_legend_handles_labels()
    for ax in achsen[1:]:
        h, labs = ax.get_legend_handles_labels()
        handles, labels = handles + h, labels + labs
    eindeutig = dict(zip(labels, handles))
    fig.legend(
        eindeutig.values(),
        [f"{k} Praxis" for k in eindeutig],
        loc="outside lower center",
        ncol=2,
        fontsize=8,
        frameon=False,
    )
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


def _verteilung(
    schluessel: str, titel: str, namen: Sequence[str], werte: Sequence[Sequence[float]], beschreibung: str
) -> Diagramm:
    """Many groups: one dot per group and a median line per series, instead of one bar per group."""
    fig = _figur(8.0, 1.2 + 0.6 * len(namen))
    ax = fig.subplots()
    for i, reihe in enumerate(werte):
        if not reihe:
            ax.text(0.005, i, "–", va="center", ha="left", fontsize=8, color=GRAU)
            continue
        streuung = [((k * 0.618034) % 1 - 0.5) * 0.5 for k in range(len(reihe))]
        ax.scatter(list(reihe), [i + d for d in streuung], s=8, alpha=0.5, color=FARBEN[i % len(FARBEN)])
        mitte = (
            sorted(reihe)[len(reihe) // 2]
            if len(reihe) % 2
            else sum(sorted(reihe)[len(reihe) // 2 - 1 : len(reihe) // 2 + 1]) / 2
        )
        ax.plot([mitte, mitte], [i - 0.35, i + 0.35], color="#222222", linewidth=2)
    ax.set_yticks(range(len(namen)), [_kurz(n, 34) for n in namen])
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    _prozent_achse(ax.xaxis)
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    _stil(ax)
    return _ausgeben(fig, schluessel, titel, beschreibung)
