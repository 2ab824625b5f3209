"""Normalizing a large export with polars: whole columns in Rust, Python only once per distinct odd value.

The contract is that of :func:`normalisieren.normalize_columns`, for a frame of text cells as
:func:`lesen.read_spaltenweise` gives them: every row not marked for checking has exactly the values
:func:`normalisieren.normalize_row` would give it and no problem. A row is marked whenever the fast rules are
not sure (a foreign phone number, an odd member number, a bad date, a missing name); the caller sends those rows
through :func:`normalize_row`, which knows every message. So the fast rules only have to be right for what they
accept, never complete.

The values come back in the form the store keeps (dates as ISO text, flags 0/1), so that the frame can be written
as it is. polars is imported here, and this module only where an export is large.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import polars as pl

from mitgliederarbeit.datum import JAHRHUNDERTWECHSEL
from mitgliederarbeit.einlesen import normalisieren as nm
from mitgliederarbeit.einlesen.normalisieren import DATUMSFELDER, FLAGS

# The usual forms the fast rules read directly; everything else is worked out value by value in Python.
_ZIFFERN = r"^[0-9]+$"
_TMJ = nm._TMJ  # 31.03.2025 and 1.3.2025
_TM_JJ = r"^([0-9]{1,2}\.[0-9]{1,2}\.)([0-9]{2})$"  # 31.03.25 and 1.3.48
# A stricter ASCII form of normalisieren._EMAIL: what it accepts, Python's pattern accepts too; the rest is
# checked there (Rust's \s and Python's differ in a few control characters).
_EMAIL_SICHER = r"^[A-Za-z0-9._%+\-!#$&'*=?^`{|}~]+@[A-Za-z0-9.\-]+\.[A-Za-z0-9\-]{2,}$"


def _lauter(wert: bool, anzahl: int) -> pl.Series:
    """A column of one truth value (built in Rust, not from a Python list)."""
    return pl.repeat(wert, anzahl, dtype=pl.Boolean, eager=True)


def _rechnen(ausdruck: pl.Expr, **spalten: pl.Series) -> pl.Series:
    """``ausdruck`` over the given columns (``pl.col(name)``), evaluated as one frame.

    Series handed to ``pl.select`` directly are literals to polars: two to three times slower.
    """
    return pl.DataFrame(spalten).lazy().select(ausdruck).collect().to_series()


def _je_wert(spalte: pl.Series, fn: Callable[[Any], Any], dtype: Any) -> tuple[pl.Series, pl.Series]:
    """``fn`` over each distinct value in Python, mapped back over the column in Rust.

    Returns (results, bad): ``bad`` marks the rows whose value ``fn`` raised on or answered ``_UNGUELTIG``.
    """
    werte = spalte.unique().to_list()
    ergebnisse = [nm._sicher(fn, v) for v in werte]
    alt = [v for v, r in zip(werte, ergebnisse) if v is not None and r is not nm._UNGUELTIG]
    neu = [r for v, r in zip(werte, ergebnisse) if v is not None and r is not nm._UNGUELTIG]
    schlecht = [v for v, r in zip(werte, ergebnisse) if v is not None and r is nm._UNGUELTIG]
    mapped = spalte.replace_strict(alt, neu, default=None, return_dtype=dtype) if alt else None
    if mapped is None:
        mapped = pl.repeat(None, len(spalte), dtype=dtype, eager=True)
    bad = spalte.is_in(schlecht) if schlecht else _lauter(False, len(spalte))
    if None in werte:  # fn(None) for the empty cells
        leer = nm._sicher(fn, None)
        if leer is nm._UNGUELTIG:
            bad = bad | spalte.is_null()
        elif leer is not None:
            mapped = _rechnen(
                pl.when(pl.col("s").is_null()).then(pl.lit(leer, dtype=dtype)).otherwise(pl.col("m")),
                s=spalte,
                m=mapped,
            )
    return mapped.alias(spalte.name), bad.fill_null(False)


def _je_paar(
    a: pl.Series, b: pl.Series, fn: Callable[[Any, Any], Any], dtype: Any
) -> tuple[pl.Series, pl.Series]:
    """:func:`_je_wert` for a function of two columns (Geschlecht and Anrede, PLZ and whether inland)."""
    paare = pl.DataFrame({"a": a, "b": b})
    schluessel = paare.unique()
    ergebnisse = [nm._sicher(lambda p: fn(*p), p) for p in schluessel.iter_rows()]
    gut = [r is not nm._UNGUELTIG for r in ergebnisse]
    tabelle = schluessel.with_columns(
        wert=pl.Series([None if r is nm._UNGUELTIG else r for r in ergebnisse], dtype=dtype),
        gut=pl.Series(gut, dtype=pl.Boolean),
    )
    verbunden = paare.join(tabelle, on=["a", "b"], how="left", nulls_equal=True, maintain_order="left")
    return verbunden["wert"], ~verbunden["gut"]


# Up to this many cells left open, they are worked out where they stand; more, once per distinct value.
_WENIG_OFFEN = 20_000


def _rest(
    spalte: pl.Series, offen: pl.Series, fn: Callable[[Any], Any], dtype: Any
) -> tuple[pl.Series | None, pl.Series]:
    """``fn`` for the non-empty cells the fast rule left ``offen``, once per distinct value.

    Returns (the results for those cells, null elsewhere; bad): ``bad`` marks cells ``fn`` rejected.
    """
    anzahl = len(spalte)
    bad = _lauter(False, anzahl)
    positionen = (offen & spalte.is_not_null()).arg_true()
    if not len(positionen):
        return None, bad
    if len(positionen) <= _WENIG_OFFEN:  # usually a handful: no pass over the whole column per value
        cache: dict[Any, Any] = {}
        ergebnisse: list[Any] = []
        schlecht: list[int] = []
        for position, wert in zip(positionen.to_list(), spalte.gather(positionen).to_list()):
            if wert not in cache:
                cache[wert] = nm._sicher(fn, wert)
            ergebnis = cache[wert]
            if ergebnis is nm._UNGUELTIG:
                schlecht.append(position)
                ergebnis = None
            ergebnisse.append(ergebnis)
        ersatz = pl.repeat(None, anzahl, dtype=dtype, eager=True).scatter(
            positionen, pl.Series(ergebnisse, dtype=dtype)
        )
        return ersatz, bad.scatter(schlecht, True) if schlecht else bad
    werte = spalte.gather(positionen).unique()
    ergebnisse_, teil_bad = _je_wert(werte, fn, dtype)
    ok = ~teil_bad
    ersatz = spalte.replace_strict(werte.filter(ok), ergebnisse_.filter(ok), default=None, return_dtype=dtype)
    if teil_bad.any():
        bad = spalte.is_in(werte.filter(teil_bad).to_list()).fill_null(False)
    return ersatz, bad


def _daten(spalte: pl.Series) -> tuple[pl.Series, pl.Series]:
    """Text cells -> dates: the usual form in Rust, the rest with :func:`normalisieren.datum`."""
    wert = pl.col("w")
    kurz = wert.str.extract(_TM_JJ, 2).cast(pl.Int32)  # 31.3.48: the century as parse_datum gives it
    voll = (
        pl.when(wert.str.contains(_TMJ))
        .then(wert)
        .when(kurz.is_not_null())
        .then(
            wert.str.extract(_TM_JJ, 1)
            + pl.when(kurz < JAHRHUNDERTWECHSEL).then(kurz + 2000).otherwise(kurz + 1900).cast(pl.String)
        )
    )
    tage = _rechnen(voll.str.to_date("%d.%m.%Y", strict=False), w=spalte)
    ersatz, bad = _rest(spalte, tage.is_null(), nm.datum, pl.Date)
    if ersatz is not None:
        tage = _rechnen(pl.coalesce("a", "b"), a=tage, b=ersatz)
    return tage.alias(spalte.name), bad


def normalize_frame(
    zellen: dict[str, pl.Series], anzahl: int, stand: date
) -> tuple[pl.DataFrame, pl.Series, dict[str, pl.Series]]:
    """:func:`normalisieren.normalize_columns` on polars columns of text cells (field -> column).

    Returns (values in the store's form, rows to check, ``FEHLT`` markers): the markers say where a record has
    no ``hausnummer``/``vorname`` key at all (a street or name that had to be split was empty).
    """
    from concurrent.futures import ThreadPoolExecutor

    # Phone numbers are the most work, almost all of it in Rust: on the other core while the rest is done here.
    with ThreadPoolExecutor(1, thread_name_prefix="telefone") as nebenher:
        telefone = {
            feld: nebenher.submit(_telefone, zellen[feld]) for feld in ("telefon", "mobil") if feld in zellen
        }
        return _normalize_frame(zellen, anzahl, stand, {feld: z.result for feld, z in telefone.items()})


def _normalize_frame(
    zellen: dict[str, pl.Series],
    anzahl: int,
    stand: date,
    telefone: dict[str, Callable[[], tuple[pl.Series, pl.Series]]],
) -> tuple[pl.DataFrame, pl.Series, dict[str, pl.Series]]:
    leer = pl.repeat(None, anzahl, dtype=pl.String, eager=True)
    check = _lauter(False, anzahl).alias("check")
    out: dict[str, pl.Series] = {}
    fehlt: dict[str, pl.Series] = {}

    for feld in nm.FELDER_TEXT:
        if feld in zellen:
            out[feld] = zellen[feld]

    if "strasse" in zellen and "hausnummer" not in zellen:
        strassen = out["strasse"]
        out["strasse"], out["hausnummer"] = _strassen(strassen)
        fehlt["hausnummer"] = strassen.is_null()

    nummern = zellen.get("mitgliedsnummer", leer)
    check |= nummern.is_null()
    ziffern = nummern.str.contains(_ZIFFERN).fill_null(False)
    ohne_null = nummern.str.strip_chars_start("0")
    schnell = _rechnen(
        pl.when(pl.col("z")).then(pl.when(pl.col("o") == "").then(pl.lit("0")).otherwise(pl.col("o"))),
        z=ziffern,
        o=ohne_null,
    )
    ersatz, bad = _rest(nummern, ~ziffern, nm.nummer_key, pl.String)
    if ersatz is not None:
        schnell = _rechnen(pl.coalesce("a", "b"), a=schnell, b=ersatz)
        check |= bad
    out["mitgliedsnummer"] = nummern.alias("mitgliedsnummer")
    out["nr"] = schnell.alias("nr")

    if "nachname" in zellen and "vorname" not in zellen:
        namen = out["nachname"]
        teile, bad = _je_wert(namen, lambda s: list(nm.name_split(s)) if s else None, pl.List(pl.String))
        check |= bad
        out["nachname"] = _rechnen(
            pl.when(pl.col("n").is_null()).then(pl.col("n")).otherwise(pl.col("t").list.get(1)),
            n=namen,
            t=teile,
        )
        out["vorname"] = teile.list.get(0, null_on_oob=True).alias("vorname")
        fehlt["vorname"] = namen.is_null()
    vornamen = out.get("vorname", leer)
    nachnamen = out.get("nachname", leer)
    check |= nachnamen.is_null() & vornamen.is_null()
    check |= out.get("ortsverein", leer).is_null()

    tage: dict[str, pl.Series] = {}
    for feld in DATUMSFELDER:
        if feld in zellen or feld == "eintrittsdatum":
            tage[feld], bad = _daten(zellen.get(feld, leer).alias(feld))
            check |= bad
    eintritt = tage["eintrittsdatum"]
    check |= eintritt.is_null() | (eintritt > stand).fill_null(False)
    if "austrittsdatum" in tage:
        check |= (tage["austrittsdatum"] < eintritt).fill_null(False)
    if "geburtsdatum" in tage:
        geburt = tage["geburtsdatum"]
        zu_alt = date(stand.year - 120, 1, 1)
        check |= ((geburt > stand) | (geburt < zu_alt)).fill_null(False)
    for feld, tag in tage.items():
        out[feld] = tag.dt.to_string("%Y-%m-%d").alias(feld)

    if "geschlecht" in zellen or "anrede" in zellen:
        anreden = out.get("anrede", leer)

        def gender(cell: Any, anrede: str | None) -> Any:
            value = nm.geschlecht(cell, anrede)
            return nm._UNGUELTIG if value is None and nm.text(cell) else value

        werte, bad = _je_paar(zellen.get("geschlecht", leer), anreden, gender, pl.String)
        check |= bad
        out["geschlecht"] = werte.alias("geschlecht")

    if "land" in zellen:
        werte, bad = _je_wert(zellen["land"], nm.land, pl.String)
        check |= bad
        out["land"] = werte.alias("land")
    if "plz" in zellen:

        def postleitzahl(cell: Any, inland: bool) -> Any:
            if not cell:
                return None
            value, ok = nm.plz(cell, inland)
            return value if ok else nm._UNGUELTIG

        inland = out["land"].is_null() if "land" in out else _lauter(True, anzahl)
        werte, bad = _je_paar(zellen["plz"], inland, postleitzahl, pl.String)
        check |= bad
        out["plz"] = werte.alias("plz")

    for feld, ergebnis in telefone.items():
        werte, bad = ergebnis()
        check |= bad
        out[feld] = werte.alias(feld)

    if "email" in zellen:
        mails = zellen["email"]
        check |= (~mails.str.contains(_EMAIL_SICHER)).fill_null(False)
        out["email"] = mails.alias("email")

    flags: dict[str, pl.Series] = {}
    for feld in FLAGS:
        if feld in zellen:
            flags[feld], bad = _je_wert(zellen[feld], lambda c: bool(nm.parse_flag(c)), pl.Boolean)
            check |= bad
    for feld, blocked in (
        ("anruf_erwuenscht", "kein_anruf"),
        ("post_erwuenscht", "keine_post"),
        ("email_erwuenscht", "keine_email"),
    ):
        if feld in zellen:
            said_no, bad = _je_wert(
                zellen[feld], lambda c: nm.parse_flag(c) is False and nm.text(c) is not None, pl.Boolean
            )
            check |= bad
            flags[blocked] = flags[blocked] | said_no if blocked in flags else said_no
    if "sperrvermerk" in zellen:
        for feld in FLAGS:

            def gesperrt(cell: Any, kanal: str = feld) -> bool:
                return nm.sperrvermerk(cell).get(kanal, False)

            neu, bad = _je_wert(zellen["sperrvermerk"], gesperrt, pl.Boolean)
            check |= bad
            flags[feld] = flags[feld] | neu if feld in flags else neu
    for feld, werte in flags.items():
        out[feld] = werte.fill_null(False).cast(pl.Int64).alias(feld)

    frame = pl.DataFrame([s.alias(name) for name, s in out.items()])
    return frame, check, fehlt


def _strassen(strassen: pl.Series) -> tuple[pl.Series, pl.Series]:
    """:func:`normalisieren.strasse_split` over a column: (street, house number), once per distinct street.

    (polars' own regex is slower here: the pattern's lazy part makes it try every split of every cell.)
    """
    werte = strassen.drop_nulls().unique()
    paare = [nm.strasse_split(v) for v in werte.to_list()]
    strasse = strassen.replace_strict(werte, [p[0] for p in paare], default=None, return_dtype=pl.String)
    nummer = strassen.replace_strict(werte, [p[1] for p in paare], default=None, return_dtype=pl.String)
    return strasse.alias("strasse"), nummer.alias("hausnummer")


def _telefone(spalte: pl.Series) -> tuple[pl.Series, pl.Series]:
    """Phone cells -> E.164; ``bad`` for numbers kept as they were (warned about)."""
    ergebnis = nm._telefon_polars(spalte)
    ersatz, bad = _rest(spalte, ergebnis.is_null(), nm._telefon_zelle, pl.String)
    if ersatz is not None:
        ergebnis = _rechnen(pl.coalesce("a", "b"), a=ergebnis, b=ersatz)
    return ergebnis, bad
