"""Normalizing an export with polars: whole columns in Rust, Python only once per distinct odd value.

For a frame of text cells as :mod:`lesen` gives them (either reader), :func:`normalize_frame` promises: every
row not marked for checking has exactly the values :func:`normalisieren.normalize_row` would give it and no
problem. A row is marked whenever the fast rules are not sure (a foreign phone number, an odd member number, a
bad date, a missing name, a broken rule of :data:`normalisieren.REGELN`); the caller sends those rows through
:func:`normalize_row`, which knows every message. So the fast rules only have to be right for what they accept,
never complete; the required values and the rules between dates come from normalisieren's tables.

The values come back in the form the store keeps (dates as ISO text, flags 0/1), so that the frame can be staged
as it is.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import polars as pl

from mitgliederarbeit import felder
from mitgliederarbeit.datum import JAHRHUNDERTWECHSEL, Reihenfolge, reihenfolge
from mitgliederarbeit.einlesen import normalisieren as nm
from mitgliederarbeit.nummern import nummer_text
from mitgliederarbeit.telefon import gueltige_muster

# The usual forms the fast rules read directly; everything else is worked out value by value in Python.
_ZIFFERN = r"^[0-9]+$"
_TMJ = r"^[0-9]{1,2}\.[0-9]{1,2}\.[1-9][0-9]{3}$"  # 31.03.2025 and 1.3.2025
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
    ergebnisse = [nm.sicher(fn, v) for v in werte]
    alt = [v for v, r in zip(werte, ergebnisse) if v is not None and r is not nm.UNGUELTIG]
    neu = [r for v, r in zip(werte, ergebnisse) if v is not None and r is not nm.UNGUELTIG]
    schlecht = [v for v, r in zip(werte, ergebnisse) if v is not None and r is nm.UNGUELTIG]
    mapped = spalte.replace_strict(alt, neu, default=None, return_dtype=dtype) if alt else None
    if mapped is None:
        mapped = pl.repeat(None, len(spalte), dtype=dtype, eager=True)
    bad = spalte.is_in(schlecht) if schlecht else _lauter(False, len(spalte))
    if None in werte:  # fn(None) for the empty cells
        leer = nm.sicher(fn, None)
        if leer is nm.UNGUELTIG:
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
    ergebnisse = [nm.sicher(lambda p: fn(*p), p) for p in schluessel.iter_rows()]
    gut = [r is not nm.UNGUELTIG for r in ergebnisse]
    tabelle = schluessel.with_columns(
        wert=pl.Series([None if r is nm.UNGUELTIG else r for r in ergebnisse], dtype=dtype),
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
                cache[wert] = nm.sicher(fn, wert)
            ergebnis = cache[wert]
            if ergebnis is nm.UNGUELTIG:
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


def _daten(spalte: pl.Series, monat_zuerst: bool = False) -> tuple[pl.Series, pl.Series]:
    """Text cells -> dates: the usual form in Rust, the rest with :func:`normalisieren.datum` (month first for
    "/" dates where the column was found to write them so)."""
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
    ersatz, bad = _rest(spalte, tage.is_null(), nm.datum_monat_zuerst if monat_zuerst else nm.datum, pl.Date)
    if ersatz is not None:
        tage = _rechnen(pl.coalesce("a", "b"), a=tage, b=ersatz)
    return tage.alias(spalte.name), bad


class _Spalten:
    """The columns of an export on their way through :func:`normalize_frame`."""

    def __init__(
        self,
        zellen: dict[str, pl.Series],
        anzahl: int,
        stand: date,
        monat_zuerst: frozenset[str] = frozenset(),
    ) -> None:
        self.zellen = zellen
        self.anzahl = anzahl
        self.stand = stand
        self.monat_zuerst = monat_zuerst
        self.out: dict[str, pl.Series] = {}  # field -> values in the store's form
        self.tage: dict[str, pl.Series] = {}  # date field -> dates
        self.fehlt: dict[str, pl.Series] = {}  # field -> rows whose record has no such key
        self.check = _lauter(False, anzahl).alias("check")

    def leer(self) -> pl.Series:
        return pl.repeat(None, self.anzahl, dtype=pl.String, eager=True)

    def wert(self, feld: str) -> pl.Series:
        """A field's normalized values so far (dates as dates), or an empty column."""
        if feld in self.tage:
            return self.tage[feld]
        return self.out[feld] if feld in self.out else self.leer()

    def pruefen(self, bad: pl.Series) -> None:
        """These rows go through normalize_row."""
        self.check |= bad.fill_null(False)


def normalize_frame(
    zellen: dict[str, pl.Series], anzahl: int, stand: date, monat_zuerst: frozenset[str] = frozenset()
) -> tuple[pl.DataFrame, pl.Series, dict[str, pl.Series]]:
    """The fields of every row of an export, in the store's form, from polars columns of text (field -> column).

    Returns (values, rows to check, ``FEHLT`` markers): every row not marked for checking has exactly the values
    :func:`normalisieren.normalize_row` gives it and no problem; the markers say where a record has no
    ``hausnummer``/``vorname`` key at all (a street or name that had to be split was empty).
    """
    from concurrent.futures import ThreadPoolExecutor

    spalten = _Spalten(zellen, anzahl, stand, monat_zuerst)
    # Phone numbers are the most work, almost all of it in Rust: on the other core while the rest is done here.
    with ThreadPoolExecutor(1, thread_name_prefix="telefone") as nebenher:
        telefone = {f: nebenher.submit(_telefone, zellen[f]) for f in ("telefon", "mobil") if f in zellen}
        for schritt in _SCHRITTE:
            schritt(spalten)
        for feld, ergebnis in telefone.items():
            werte, bad = ergebnis.result()
            spalten.pruefen(bad)
            spalten.out[feld] = werte.alias(feld)
    _kanaele(spalten)
    frame = pl.DataFrame([s.alias(name) for name, s in spalten.out.items()])
    return frame, spalten.check, spalten.fehlt


def _texte(sp: _Spalten) -> None:
    for feld in nm.FELDER_TEXT:
        if feld in sp.zellen:
            sp.out[feld] = sp.zellen[feld]
    if "strasse" in sp.zellen and "hausnummer" not in sp.zellen:
        strassen = sp.out["strasse"]
        sp.out["strasse"], sp.out["hausnummer"] = _strassen(strassen)
        sp.fehlt["hausnummer"] = strassen.is_null()
    if "adresszusatz" in sp.zellen:
        _titel_im_zusatz(sp)
    if "anrede" in sp.zellen:
        _titel_in_der_anrede(sp)


def _titel_im_zusatz(sp: _Spalten) -> None:
    """An academic title in the address-extra column becomes the title (normalisieren._texte); where the
    export has a title of its own as well, the row goes through normalize_row."""
    zusatz = sp.out["adresszusatz"]
    ja, _ = _je_wert(zusatz, lambda v: bool(v) and nm.ist_titel(v), pl.Boolean)
    ja = ja.fill_null(False)
    if not ja.any():
        return
    if "titel" in sp.out:
        sp.pruefen(ja & sp.out["titel"].is_not_null())
        frei = ja & sp.out["titel"].is_null()
        sp.out["titel"] = _rechnen(
            pl.when(pl.col("f")).then(pl.col("z")).otherwise(pl.col("t")), f=frei, z=zusatz, t=sp.out["titel"]
        ).alias("titel")
    else:  # the export has no title column: only these rows say anything about the title
        frei = ja
        sp.out["titel"] = _rechnen(pl.when(pl.col("f")).then(pl.col("z")), f=frei, z=zusatz).alias("titel")
        sp.fehlt["titel"] = ~frei
    sp.out["adresszusatz"] = _rechnen(
        pl.when(pl.col("f")).then(None).otherwise(pl.col("z")), f=frei, z=zusatz
    ).alias("adresszusatz")


def _titel_in_der_anrede(sp: _Spalten) -> None:
    """A title in the Anrede ("Frau Dr.") becomes the title (normalisieren._texte), once per distinct Anrede;
    where the row has a title already, it goes through normalize_row."""
    anreden = sp.out["anrede"]
    teile, _ = _je_wert(anreden, lambda v: list(nm.anrede_titel(v)) if v else None, pl.List(pl.String))
    neu = teile.list.get(1, null_on_oob=True)
    ja = neu.is_not_null().fill_null(False)
    if not ja.any():
        return
    if "titel" in sp.out:
        hat = sp.out["titel"].is_not_null()
        sp.pruefen(ja & hat)
        frei = ja & ~hat
        sp.out["titel"] = _rechnen(
            pl.when(pl.col("f")).then(pl.col("n")).otherwise(pl.col("t")), f=frei, n=neu, t=sp.out["titel"]
        ).alias("titel")
        if "titel" in sp.fehlt:
            sp.fehlt["titel"] = sp.fehlt["titel"] & ~frei
    else:
        frei = ja
        sp.out["titel"] = _rechnen(pl.when(pl.col("f")).then(pl.col("n")), f=frei, n=neu).alias("titel")
        sp.fehlt["titel"] = ~frei
    sp.out["anrede"] = _rechnen(
        pl.when(pl.col("f")).then(pl.col("v")).otherwise(pl.col("a")),
        f=frei,
        v=teile.list.get(0, null_on_oob=True),
        a=anreden,
    ).alias("anrede")


def _nummern(sp: _Spalten) -> None:
    """Member numbers and their keys: digits without leading zeros in Rust, the rest with nummer_key."""
    nummern = sp.zellen.get("mitgliedsnummer", sp.leer())
    ziffern = nummern.str.contains(_ZIFFERN).fill_null(False)
    ohne_null = nummern.str.strip_chars_start("0")
    schnell = _rechnen(
        pl.when(pl.col("z")).then(pl.when(pl.col("o") == "").then(pl.lit("0")).otherwise(pl.col("o"))),
        z=ziffern,
        o=ohne_null,
    )
    ersatz, bad = _rest(nummern, ~ziffern, nm.nummer_zelle, pl.String)
    anzeige = nummern
    if ersatz is not None:
        schnell = _rechnen(pl.coalesce("a", "b"), a=schnell, b=ersatz)
        sp.pruefen(bad)
        # the other spellings (123.0, 93 005 07, full-width digits) are shown cleaned
        anders, _ = _rest(nummern, ~ziffern, nummer_text, pl.String)
        if anders is not None:
            anzeige = _rechnen(pl.coalesce("a", "b"), a=anders, b=nummern)
    sp.out["mitgliedsnummer"] = anzeige.alias("mitgliedsnummer")
    sp.out["nr"] = schnell.alias("nr")


def _namen(sp: _Spalten) -> None:
    """ "Müller, Anna" in a Nachname column without a Vorname column: split, once per distinct name."""
    if "nachname" in sp.zellen and "vorname" not in sp.zellen:
        namen = sp.out["nachname"]
        teile, bad = _je_wert(namen, lambda s: list(nm.name_split(s)) if s else None, pl.List(pl.String))
        sp.pruefen(bad)
        sp.out["nachname"] = _rechnen(
            pl.when(pl.col("n").is_null()).then(pl.col("n")).otherwise(pl.col("t").list.get(1)),
            n=namen,
            t=teile,
        )
        sp.out["vorname"] = teile.list.get(0, null_on_oob=True).alias("vorname")
        sp.fehlt["vorname"] = sp.out["vorname"].is_null()  # known only where a name was split


def datumsreihenfolgen(zellen: dict[str, pl.Series]) -> dict[str, Reihenfolge]:
    """Per date field whose cells write dates with "/": the order of day and month they show, worked out once
    on the column's distinct "/" values (a German export has none: nothing is done)."""
    result = {}
    for feld in nm.DATUMSFELDER:
        spalte = zellen.get(feld)
        if spalte is None or spalte.dtype != pl.String:
            continue
        schraeg = spalte.filter(spalte.str.contains("/", literal=True)).unique()
        if len(schraeg):
            result[feld] = reihenfolge(schraeg.to_list())
    return result


def _daten_lesen(sp: _Spalten) -> None:
    for feld in nm.DATUMSFELDER:
        if feld in sp.zellen:
            sp.tage[feld], bad = _daten(sp.zellen[feld].alias(feld), feld in sp.monat_zuerst)
            sp.pruefen(bad)


def _regeln(sp: _Spalten) -> None:
    """The rows that miss a required value or break one of normalisieren's rules."""
    for pflicht in nm.PFLICHTEN:
        if pflicht.nur_mit_spalte and not any(f in sp.zellen for f in pflicht.felder):
            continue
        fehlt = _lauter(True, sp.anzahl)
        for feld in pflicht.felder:
            fehlt &= sp.wert(feld).is_null()
        sp.pruefen(fehlt)
    for regel in nm.REGELN:
        if all(f in sp.tage for f in regel.felder):
            sp.pruefen(regel.verletzt(*(sp.tage[f] for f in regel.felder), sp.stand))
    for feld, tag in sp.tage.items():
        sp.out[feld] = tag.dt.to_string("%Y-%m-%d").alias(feld)


def _geschlecht(sp: _Spalten) -> None:
    if "geschlecht" in sp.zellen or "anrede" in sp.zellen:

        def gender(cell: Any, anrede: str | None) -> Any:
            value = nm.geschlecht(cell, anrede)
            return nm.UNGUELTIG if value is None and cell else value

        werte, bad = _je_paar(sp.zellen.get("geschlecht", sp.leer()), sp.wert("anrede"), gender, pl.String)
        sp.pruefen(bad)
        sp.out["geschlecht"] = werte.alias("geschlecht")


def _anschrift(sp: _Spalten) -> None:
    if "land" in sp.zellen:
        werte, bad = _je_wert(sp.zellen["land"], nm.land, pl.String)
        sp.pruefen(bad)
        sp.out["land"] = werte.alias("land")
    if "plz" in sp.zellen:

        def postleitzahl(cell: Any, inland: bool) -> Any:
            if not cell:
                return None
            value, ok = nm.plz(cell, inland)
            return value if ok else nm.UNGUELTIG

        inland = sp.out["land"].is_null() if "land" in sp.out else _lauter(True, sp.anzahl)
        werte, bad = _je_paar(sp.zellen["plz"], inland, postleitzahl, pl.String)
        sp.pruefen(bad)
        sp.out["plz"] = werte.alias("plz")


def _email(sp: _Spalten) -> None:
    """E-mail addresses: a plain ASCII form is accepted in Rust, the rest is checked by normalize_row."""
    if "email" in sp.zellen:
        mails = sp.zellen["email"]
        sp.pruefen(~mails.str.contains(_EMAIL_SICHER))
        sp.out["email"] = mails.alias("email")


def _kanaele(sp: _Spalten) -> None:
    """The blocked channels (0/1), once per distinct cell of each column that names one."""
    flags: dict[str, pl.Series] = {}

    def setzen(kanal: str, werte: pl.Series) -> None:
        flags[kanal] = flags[kanal] | werte if kanal in flags else werte

    for feld in nm.FLAGS:
        if feld in sp.zellen:
            werte, bad = _je_wert(sp.zellen[feld], lambda c: bool(nm.parse_flag(c)), pl.Boolean)
            sp.pruefen(bad)
            setzen(feld, werte)
    for feld, blocked in felder.WUENSCHE:
        if feld in sp.zellen:
            werte, bad = _je_wert(sp.zellen[feld], nm.nein_gesagt, pl.Boolean)
            sp.pruefen(bad)
            setzen(blocked, werte)
    if "sperrvermerk" in sp.zellen:
        for feld in nm.FLAGS:

            def gesperrt(cell: Any, kanal: str = feld) -> bool:
                return nm.sperrvermerk(cell).get(kanal, False)

            werte, bad = _je_wert(sp.zellen["sperrvermerk"], gesperrt, pl.Boolean)
            sp.pruefen(bad)
            setzen(feld, werte)
    for feld, werte in flags.items():
        sp.out[feld] = werte.fill_null(False).cast(pl.Int64).alias(feld)


_SCHRITTE: tuple[Callable[[_Spalten], None], ...] = (
    _texte,
    _nummern,
    _namen,
    _daten_lesen,
    _regeln,
    _geschlecht,
    _anschrift,
    _email,
)


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
    ergebnis = _telefon_polars(spalte)
    ersatz, bad = _rest(spalte, ergebnis.is_null(), nm.telefon_zelle, pl.String)
    if ersatz is not None:
        ergebnis = _rechnen(pl.coalesce("a", "b"), a=ergebnis, b=ersatz)
    return ergebnis, bad


def _telefon_polars(rohe: Any) -> Any:
    """The usual forms of a polars column of phone texts as E.164, in Rust; null for everything else."""
    import polars as pl

    rohe = rohe.alias("raw")
    ohne_null = (
        pl.when(pl.col("raw").str.contains(r"^\d+\.0$"))
        .then(pl.col("raw").str.slice(0, pl.col("raw").str.len_chars() - 2))
        .otherwise(pl.col("raw"))
    )
    digits = pl.col("roh").str.replace_all(r"[ /()\-.]", "")
    national = (
        pl.when(pl.col("digits").str.starts_with("0"))
        .then(pl.col("digits").str.slice(1))
        .when(pl.col("digits").str.starts_with("+"))
        .then(
            pl.when(pl.col("roh").str.starts_with("+") & pl.col("digits").str.starts_with("+49")).then(
                pl.col("digits").str.slice(3)
            )
        )
        .when(pl.col("digits").str.len_chars().is_between(7, 12))
        .then(pl.col("digits"))
    )
    frame = (
        rohe.to_frame()
        .with_columns(roh=ohne_null)
        .with_columns(digits=digits)
        .with_columns(national=national)
        .with_columns(
            national=pl.when(
                pl.col("national").str.contains("^[0-9]+$") & ~pl.col("national").str.starts_with("0")
            ).then(pl.col("national"))
        )
        .with_columns(laenge=pl.col("national").str.len_chars())
    )
    nationals = frame["national"]
    laengen = frame["laenge"]
    gueltig = pl.repeat(False, len(rohe), dtype=pl.Boolean, eager=True).alias("gueltig")
    muster = gueltige_muster()
    for laenge in laengen.drop_nulls().unique().to_list():
        check_ = muster.get(laenge)
        if check_ is None:
            continue
        maske = laengen == laenge
        teil = nationals.filter(maske)
        ok = teil.str.contains(f"^(?:{check_[0].pattern})$") & teil.str.contains(f"^(?:{check_[1].pattern})$")
        gueltig = gueltig.scatter(maske.arg_true(), ok)
    return (
        pl.DataFrame({"g": gueltig, "n": nationals})
        .select(pl.when(pl.col("g")).then(pl.lit("+49") + pl.col("n")))
        .to_series()
    )
