"""The package's shape: imports point down the product's stages, no cycles, terminal libraries only in cli/.

Every module under src/mitgliederarbeit is parsed with ``ast``; imports at module level and inside functions
count alike (a function-level import hides a cycle from Python, not from this test).

Layers, top to bottom: cli > demo > ausgaben > auswertung > einlesen > bestand > base. A module may import
from its own layer or any layer below it.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

PAKET = "mitgliederarbeit"
QUELLE = Path(__file__).resolve().parents[1] / "src" / PAKET

#: Highest first. Top-level modules not named here (errors, config, datum, ordner, dateien, vorlagen, felder …)
#: are the base layer.
SCHICHTEN = ["cli", "demo", "ausgaben", "auswertung", "einlesen", "bestand", "base"]
TERMINAL_BIBLIOTHEKEN = {"typer", "rich", "click"}

#: Known violations owned by other branches at the time this test was written, as (importing module,
#: imported module). Each entry must still be needed (a stale entry fails), so whoever removes the
#: violation deletes its line here.
ERLAUBT_SCHICHT: set[tuple[str, str]] = set()
ERLAUBT_ZYKLUS: set[frozenset[str]] = set()


def _modulname(pfad: Path) -> str:
    teile = pfad.relative_to(QUELLE.parent).with_suffix("").parts
    if teile[-1] == "__init__":
        teile = teile[:-1]
    return ".".join(teile)


@cache
def _module() -> dict[str, Path]:
    return {_modulname(p): p for p in sorted(QUELLE.rglob("*.py"))}


def _absolut(modul: str, ist_paket: bool, knoten: ast.ImportFrom) -> str:
    if not knoten.level:
        return knoten.module or ""
    basis = modul.split(".")
    if not ist_paket:
        basis = basis[:-1]
    basis = basis[: len(basis) - (knoten.level - 1)]
    return ".".join(basis + ([knoten.module] if knoten.module else []))


@cache
def _importe(modul: str) -> tuple[str, ...]:
    """Every name this module imports (module level and inside functions), resolved to modules where possible."""
    pfad = _module()[modul]
    baum = ast.parse(pfad.read_text(encoding="utf-8"), filename=str(pfad))
    namen: list[str] = []
    for knoten in ast.walk(baum):
        if isinstance(knoten, ast.Import):
            namen.extend(alias.name for alias in knoten.names)
        elif isinstance(knoten, ast.ImportFrom):
            ziel = _absolut(modul, pfad.name == "__init__.py", knoten)
            for alias in knoten.names:
                # ``from paket import modul`` imports a module; ``from modul import name`` imports from it.
                kandidat = f"{ziel}.{alias.name}"
                namen.append(kandidat if kandidat in _module() else ziel)
    return tuple(namen)


def _interne_importe(modul: str) -> set[str]:
    return {n for n in _importe(modul) if n in _module() and n != modul and n != PAKET}


def _schicht(modul: str) -> str:
    teile = modul.split(".")
    if teile[1:] == ["__main__"]:
        return "cli"  # ``python -m mitgliederarbeit`` is the command line's other door
    if len(teile) >= 2 and teile[1] in SCHICHTEN:
        return teile[1]
    return "base"


def _rang(modul: str) -> int:
    """0 for the lowest layer (base), growing upwards."""
    return len(SCHICHTEN) - 1 - SCHICHTEN.index(_schicht(modul))


def _schichtverstoesse() -> set[tuple[str, str]]:
    return {
        (modul, ziel) for modul in _module() for ziel in _interne_importe(modul) if _rang(ziel) > _rang(modul)
    }


def _zyklen() -> set[frozenset[str]]:
    """The strongly connected components with more than one module (Tarjan), each as a set of modules."""
    graph = {m: sorted(_interne_importe(m)) for m in _module()}
    index: dict[str, int] = {}
    tief: dict[str, int] = {}
    stapel: list[str] = []
    auf_stapel: set[str] = set()
    gefunden: set[frozenset[str]] = set()
    zaehler = 0

    def besuchen(m: str) -> None:
        nonlocal zaehler
        index[m] = tief[m] = zaehler
        zaehler += 1
        stapel.append(m)
        auf_stapel.add(m)
        for n in graph[m]:
            if n not in index:
                besuchen(n)
                tief[m] = min(tief[m], tief[n])
            elif n in auf_stapel:
                tief[m] = min(tief[m], index[n])
        if tief[m] == index[m]:
            teil: set[str] = set()
            while True:
                n = stapel.pop()
                auf_stapel.discard(n)
                teil.add(n)
                if n == m:
                    break
            if len(teil) > 1:
                gefunden.add(frozenset(teil))

    for m in graph:
        if m not in index:
            besuchen(m)
    return gefunden


def test_alle_module_gefunden():
    module = _module()
    assert "mitgliederarbeit.cli.befehle" in module
    assert "mitgliederarbeit.einlesen.importieren" in module
    # The parser sees function-level imports: export loads the polars normalizer inside a function.
    assert "mitgliederarbeit.einlesen.spaltenweise" in _interne_importe("mitgliederarbeit.einlesen.export")


def test_schichten_zeigen_nach_unten():
    verstoesse = _schichtverstoesse()
    neu = sorted(verstoesse - ERLAUBT_SCHICHT)
    assert not neu, "Importe gegen die Schichten (oben darf nach unten, nicht umgekehrt):\n" + "\n".join(
        f"{m} ({_schicht(m)}) -> {z} ({_schicht(z)})" for m, z in neu
    )


def test_keine_zyklen():
    neu = _zyklen() - ERLAUBT_ZYKLUS
    assert not neu, "Importzyklen:\n" + "\n".join(" <-> ".join(sorted(z)) for z in neu)


def test_ausnahmen_noch_noetig():
    """A stale allowlist entry fails, so the list only ever shrinks to nothing."""
    veraltet_schicht = ERLAUBT_SCHICHT - _schichtverstoesse()
    veraltet_zyklus = ERLAUBT_ZYKLUS - _zyklen()
    assert not veraltet_schicht, f"nicht mehr nötig, bitte aus ERLAUBT_SCHICHT löschen: {veraltet_schicht}"
    assert not veraltet_zyklus, f"nicht mehr nötig, bitte aus ERLAUBT_ZYKLUS löschen: {veraltet_zyklus}"


def test_terminal_bibliotheken_nur_in_cli():
    draussen = sorted(
        (modul, name)
        for modul in _module()
        if _schicht(modul) != "cli"
        for name in _importe(modul)
        if name.split(".")[0] in TERMINAL_BIBLIOTHEKEN
    )
    assert not draussen, f"typer/rich/click außerhalb von cli/: {draussen}"


def test_pruefung_erkennt_verstoesse():
    """The rules themselves: a made-up upward import and a made-up cycle are caught."""
    assert (
        _rang("mitgliederarbeit.cli.befehle")
        > _rang("mitgliederarbeit.demo")
        > _rang("mitgliederarbeit.ausgaben.x")
    )
    assert _rang("mitgliederarbeit.ausgaben.x") > _rang("mitgliederarbeit.auswertung.x")
    assert _rang("mitgliederarbeit.auswertung.x") > _rang("mitgliederarbeit.einlesen.x")
    assert (
        _rang("mitgliederarbeit.einlesen.x")
        > _rang("mitgliederarbeit.bestand.x")
        > _rang("mitgliederarbeit.errors")
    )
    assert _schicht("mitgliederarbeit.felder") == "base"
    assert _schicht("mitgliederarbeit") == "base"
    assert _schicht("mitgliederarbeit.__main__") == "cli"
