"""Columns an export lacks and the import adds: the Ortsverein of a one-unit export (``--ortsverein``), a key
for an export without member numbers; and the mapping as the import's result shows it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from mitgliederarbeit.einlesen import erkennung, lesen, normalisieren, spalten
from mitgliederarbeit.errors import EingabeFehler


def ergaenzen(
    blatt: lesen.Blatt, kopf: spalten.Kopf, ortsverein: str | None, ortsverein_konfig: str | None
) -> None:
    """Add the Ortsverein column (``--ortsverein`` replaces a column of the file, ``[import] ortsverein`` only
    stands in for a missing one) and, for an export without member numbers, the derived key."""
    if kopf.erkennung is not None and blatt.tabelle is not None and blatt.tabelle.height > len(blatt.rows):
        kopf.erkennung.alle_zeilen = False  # a large sheet: only its first rows were looked at
    if kopf.erkennung is not None and blatt.meta.get("art") == "importfehler":
        eigene = {"Fehler", "Zeile", *erkennung.SCHLUESSEL_NAMEN.values()}
        kopf.erkennung.ignoriert = {i for i, s in enumerate(kopf.spalten) if s in eigene}
    name = (ortsverein or "").strip() or None
    if name is None and ortsverein_konfig and "ortsverein" not in kopf.zuordnung:
        name = ortsverein_konfig.strip() or None
    if name is not None:
        titel = "Ortsverein (--ortsverein)" if ortsverein else "Ortsverein (mitglieder.toml)"
        _anhaengen(blatt, kopf, "ortsverein", titel, lambda _row: name, konstant=True)
    result = kopf.erkennung
    if result is None or "mitgliedsnummer" in kopf.zuordnung or "mitgliedsnummer" in result.felder:
        return  # a number column, or a candidate the message about it will name
    if erkennung.alternativen(result, "mitgliedsnummer"):
        return  # a column that looks like numbers: the user decides (the message names it)
    basis = erkennung.schluessel_basis(result)
    if basis is None:
        raise EingabeFehler(
            f"{blatt.datei.name}: keine Spalte mit Mitgliedsnummern, und weder Name mit Geburtsdatum noch "
            "E-Mail-Adresse sind in den meisten Zeilen gefüllt, um die Mitglieder ohne Nummer sicher "
            "auseinanderzuhalten.",
            hint='Gibt es eine Nummernspalte unter anderem Namen, ordnen Sie sie zu: --spalte mitgliedsnummer="…".',
        )
    cols = [kopf.zuordnung[f] for f in basis]

    def key(row: Sequence[object]) -> str | None:
        return erkennung.schluessel(basis, [row[c] if c < len(row) else None for c in cols])

    # Two rows with one key (same name and birth date) may be two people: neither gets a key, so both are
    # rejected and neither can later be stored over the other (not even from the error file).
    start = kopf.zeile + 1
    if blatt.tabelle is not None:
        teile = [blatt.tabelle[str(c)].slice(start).to_list() for c in cols]
        keys = [erkennung.schluessel(basis, list(werte)) for werte in zip(*teile, strict=True)]
    else:
        keys = [key(row) for row in blatt.rows[start:]]
    doppelt = {k for k, n in Counter(keys).items() if k is not None and n > 1}
    if doppelt:  # each such row names the other(s): the row message says which rows share the key
        zeilen: dict[str, list[int]] = {}
        for i, k in enumerate(keys):
            if k in doppelt:
                zeilen.setdefault(k, []).append(start + i + 1)  # the spreadsheet's row number
        for gruppe in zeilen.values():
            for zeile in gruppe:
                kopf.gleicher_schluessel[zeile] = [z for z in gruppe if z != zeile]
    _anhaengen(
        blatt,
        kopf,
        "mitgliedsnummer",
        erkennung.SCHLUESSEL_NAMEN[basis],
        lambda row: None if (k := key(row)) in doppelt else k,
    )


def _anhaengen(
    blatt: lesen.Blatt,
    kopf: spalten.Kopf,
    feld: str,
    titel: str,
    wert: Callable[[Sequence[object]], object],
    *,
    konstant: bool = False,
) -> None:
    """A column at the right of the sheet, computed from each row below the header."""
    breite = max(len(kopf.spalten), max((len(r) for r in blatt.rows), default=0))
    if blatt.tabelle is not None:
        breite = max(breite, blatt.tabelle.width)
    start = kopf.zeile + 1
    if blatt.tabelle is not None:
        import polars as pl

        tabelle = blatt.tabelle
        hoehe = tabelle.height
        neu: Any
        if konstant:  # the rows above the header get it too: they are never read as data
            neu = pl.lit(wert([]), dtype=pl.String).alias(str(breite))
        else:
            quellen = [tabelle[c].to_list() for c in tabelle.columns]
            werte = [None] * start + [wert([q[i] for q in quellen]) for i in range(start, hoehe)]
            neu = pl.Series(str(breite), werte, dtype=pl.String)
        leer = [pl.lit(None, dtype=pl.String).alias(str(c)) for c in range(tabelle.width, breite)]
        blatt.tabelle = tabelle.with_columns(*leer, neu)
    for i in range(len(blatt.rows)):
        row = blatt.rows[i]
        neu = None if i < start else wert(row)
        blatt.rows[i] = [*row, *([None] * (breite - len(row))), neu]
    kopf.spalten = [*kopf.spalten, *([""] * (breite - len(kopf.spalten))), titel]
    kopf.zuordnung[feld] = breite
    result = kopf.erkennung
    if result is not None:
        werte_probe = [wert(r) for r in blatt.rows[start : start + spalten.PROBE_ZEILEN]]
        # the sample holds only rows with a value: the same rows, by their positions
        belegt = [
            i
            for i, r in enumerate(blatt.rows[start : start + spalten.PROBE_ZEILEN])
            if any(c is not None and str(c).strip() for c in r[:breite])
        ]
        result.kopf = list(kopf.spalten)
        result.proben = [
            *result.proben,
            *([[]] * (breite - len(result.proben))),
            [werte_probe[i] for i in belegt],
        ]
        result.zuordnung[feld] = breite
        result.felder[feld] = erkennung.Feldwahl(feld, breite, titel)


def zuordnung_details(kopf: spalten.Kopf, trockenlauf: bool) -> dict[str, Any]:
    """What the result of an import says about the mapping: ``zuordnung`` (field -> source column, a ``--json``
    key), the decisions the contents made, and in a dry run two sample values per field."""
    zuordnung: dict[str, str | None] = {
        feld: kopf.spalten[col] for feld, col in kopf.zuordnung.items() if col < len(kopf.spalten)
    }
    if "eintrittsdatum" not in zuordnung:  # an export without any join date: no column (null in --json)
        zuordnung["eintrittsdatum"] = None
    details: dict[str, Any] = {"zuordnung": zuordnung}
    result = kopf.erkennung
    if result is None:
        return details
    hinweise = [
        f"{spalten.FELD_NAMEN.get(w.feld, w.feld)}: {w.grund}"
        for w in result.felder.values()
        if w.spalte is not None and ";" in w.grund
    ]
    if hinweise:
        details["zuordnung_hinweise"] = hinweise
    beispiele = {feld: result.beispiele(feld) for feld, q in zuordnung.items() if q} if trockenlauf else {}
    _titel_im_zusatz(result, zuordnung, beispiele)
    if trockenlauf:
        details["zuordnung_beispiele"] = beispiele
    return details


def _titel_im_zusatz(
    result: erkennung.Erkennung, zuordnung: dict[str, str | None], beispiele: dict[str, list[str]]
) -> None:
    """Academic titles in an address-extra column ("Zusatz": "Dr.", "Dipl.-Ing.") go to the Titel (see
    :func:`normalisieren.normalize_row`): the mapping says so, and names the column for the address only where
    other values stay there."""
    col = result.zuordnung.get("adresszusatz")
    if col is None or "titel" in zuordnung or "adresszusatz" not in zuordnung or col >= len(result.proben):
        return
    werte = [normalisieren.text(v) or "" for v in result.proben[col]]
    werte = [w for w in werte if w]
    titel = [w for w in werte if normalisieren.ist_titel(w)]
    if not titel:
        return
    quelle = zuordnung["adresszusatz"]
    rest = [w for w in werte if not normalisieren.ist_titel(w)]
    if not rest:
        del zuordnung["adresszusatz"]
        beispiele.pop("adresszusatz", None)
    elif "adresszusatz" in beispiele:
        beispiele["adresszusatz"] = rest[:2]
    zuordnung["titel"] = quelle
    if beispiele:
        beispiele["titel"] = titel[:2]
