"""The report's metrics as pandas computed them before they moved to SQL and plain Python: the oracle.

``kennzahlen.berechnen`` and ``entwicklung.berechnen`` once read the store into pandas frames; this is that code
(entry points :func:`kennzahlen` and :func:`entwicklung`), unchanged but for its imports, kept here so that
tests/test_kennzahlen_vergleich.py can hold the new computation to the old one, figure by figure, on many generated
stores. Only tests import it (and so pandas).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta
from typing import Any

import pandas as pd

from mitgliederarbeit import datum as dt
from mitgliederarbeit.auswertung import abdeckung as abd
from mitgliederarbeit.auswertung import entwicklung as ew
from mitgliederarbeit.auswertung.entwicklung import Abschnitt, Bewegung, Entwicklung, Kohorte
from mitgliederarbeit.auswertung.kennzahlen import (
    ERREICHT_FRISTEN,
    FRUEH_MONATE,
    GESAMT,
    NICHT_ERREICHT,
    OHNE_UNTERBEZIRK,
    TAGE_KLASSEN,
    UNBEKANNT_SEIT,
    VERANSTALTUNG_MONATE,
    Anteil,
    Kennzahlen,
    Median,
    Werte,
    Zeitraum,
    sortierschluessel,
    staende,
)
from mitgliederarbeit.kontaktarten import ANRUF, ANRUF_ERREICHT, ERREICHT, PERSOENLICH, gespeicherte_arten


def passt_maske(art: Any, ergebnis: Any, arten: Iterable[str]) -> Any:
    """:func:`kontaktarten.passt` on columns (pandas Series of kinds and results): a boolean Series."""
    arten = list(arten)
    maske = art.isin(arten)
    if ANRUF_ERREICHT in arten:
        maske = maske | ((art == ANRUF) & (ergebnis == ERREICHT))
    return maske


# --------------------------------------------------------------------------------------------------------------
# kennzahlen


def kennzahlen(
    conn: sqlite3.Connection,
    zeitraum: Zeitraum,
    schritte: Sequence[dict[str, Any]],
    *,
    persoenlich: Sequence[str] = PERSOENLICH,
    paket_monate: int | None = None,
    fortschritt: Callable[[int, int], None] | None = None,
) -> Kennzahlen:
    """Every figure per Ortsverein, per Unterbezirk and for the whole, from the store behind ``conn``.

    ``paket_monate``: how far back a returned Ortsverein package lists new members (see :mod:`abdeckung`).
    """

    melden = fortschritt or (lambda done, total: None)
    abdeckung = abd.ermitteln(
        conn, zeitraum.bis, schritte, persoenlich=persoenlich, paket_monate=paket_monate
    )
    perioden = perioden_lesen(conn)
    melden(1, 6)
    personen = _personen(conn, zeitraum.bis)
    melden(2, 6)
    teile = _teile(perioden, mitgliedschaften(perioden), personen, zeitraum)
    melden(3, 6)
    # contacts of the new members, from their Eintritt up to the end of the period
    teile["neu"] = _kontakte_zuordnen(
        conn, teile["neu"], zeitraum, schritte, persoenlich, pd.Timestamp(zeitraum.bis), abdeckung
    )
    melden(4, 6)
    n_schritte = len(schritte)
    ortsvereine = _aggregieren(teile, "ortsverein", n_schritte)
    unterbezirke = _aggregieren(teile, "unterbezirk", n_schritte)
    gesamt_liste = _aggregieren(teile, "gesamt", n_schritte)
    gesamt = gesamt_liste[0] if gesamt_liste else _werte(GESAMT, {}, n_schritte)
    gesamt.name = GESAMT
    melden(5, 6)
    # the Unterbezirk of each Ortsverein: where its members are at the end (else where its last period was)
    zuordnung = perioden.sort_values("von").groupby("ov")["ub"].last().to_dict() if len(perioden) else {}
    for werte in ortsvereine:
        werte.unterbezirk = zuordnung.get(werte.name)
    erster_stand, letzter_stand = staende(conn)
    melden(6, 6)
    return Kennzahlen(
        zeitraum=zeitraum,
        schritte=[dict(s) for s in schritte],
        ortsvereine=ortsvereine,
        unterbezirke=unterbezirke,
        gesamt=gesamt,
        tage_verteilung=_tage_verteilung(teile["neu"]),
        kontakte=_kontakte_im_zeitraum(conn, zeitraum),
        erster_stand=erster_stand,
        letzter_stand=letzter_stand,
        abdeckung=abdeckung,
    )


def _personen(conn: sqlite3.Connection, tag: date) -> Any:
    """Per member: woman (1/0, NaN unknown) and age on ``tag``."""

    personen = pd.read_sql_query("SELECT nr, geschlecht, geburtsdatum FROM mitglieder", conn)
    personen["frau"] = personen["geschlecht"].map({"w": 1.0, "m": 0.0, "d": 0.0})
    personen["alter"] = _alter(_tage(personen["geburtsdatum"]), tag)
    return personen[["nr", "frau", "alter"]]


def _teile(perioden: Any, spannen: Any, personen: Any, zeitraum: Zeitraum) -> dict[str, Any]:
    """The rows each figure counts: members at the end (``aktiv``), new memberships (``neu``), ended ones
    (``weg``) and the first-year-retention cohort (``kohorte``)."""

    von = pd.Timestamp(zeitraum.von)
    bis = pd.Timestamp(zeitraum.bis)
    frueh_grenze = spannen["eintritt"] + pd.DateOffset(months=FRUEH_MONATE)
    # members at the end of the period, where they are then
    aktiv = perioden[(perioden["von"] <= bis) & (perioden["bis"].isna() | (perioden["bis"] > bis))]
    aktiv = aktiv.merge(personen, on="nr", how="left")
    neu = spannen[(spannen["eintritt"] >= von) & (spannen["eintritt"] <= bis)].copy()
    neu = neu.merge(personen[["nr", "frau"]], on="nr", how="left")
    weg_maske = spannen["austritt"].notna() & (spannen["austritt"] >= von) & (spannen["austritt"] <= bis)
    weg = spannen[weg_maske].copy()
    weg["frueh"] = (weg["austritt"] <= frueh_grenze[weg_maske]).astype(float)
    # first-year retention of the joiners of 12-24 months before the end
    kohorte_maske = (spannen["eintritt"] >= pd.Timestamp(zeitraum.bindung_von)) & (
        spannen["eintritt"] <= pd.Timestamp(zeitraum.bindung_bis)
    )
    kohorte = spannen[kohorte_maske].copy()
    kohorte["gehalten"] = (
        kohorte["austritt"].isna() | (kohorte["austritt"] > frueh_grenze[kohorte_maske])
    ).astype(float)
    return {"aktiv": aktiv, "neu": neu, "weg": weg, "kohorte": kohorte}


def _aggregieren(teile: dict[str, Any], ebene: str, n_schritte: int) -> list[Werte]:
    """The figures per group of ``ebene`` (ortsverein, unterbezirk, gesamt); groups without any figure dropped."""

    if ebene == "gesamt":
        schluessel: dict[str, str | None] = {"aktiv": None, "ein": None, "aus": None}
    else:
        k = "ov" if ebene == "ortsverein" else "ub"
        schluessel = {"aktiv": k, "ein": f"{k}_ein", "aus": f"{k}_aus"}
    neu = teile["neu"]
    tabellen = [
        _gruppiert(teile["aktiv"], schluessel["aktiv"], _aktiv_spalten),
        _gruppiert(neu, schluessel["ein"], lambda g: _neu_spalten(g, n_schritte)),
        _gruppiert(neu, schluessel["ein"], _km_spalten),
        _gruppiert(teile["weg"], schluessel["aus"], _weg_spalten),
        _gruppiert(teile["kohorte"], schluessel["ein"], _kohorte_spalten),
    ]
    alle = pd.concat(tabellen, axis=1)
    # counts of a group without rows are 0; a median stays NaN (the KM median may not exist at all)
    zaehler = [c for c in alle.columns if not c.endswith("_median")]
    alle[zaehler] = alle[zaehler].fillna(0)
    werte = [_werte(str(name), zeile, n_schritte) for name, zeile in alle.iterrows()]
    if ebene == "gesamt":
        return werte
    return sorted((w for w in werte if not w.leer), key=lambda w: sortierschluessel(w.name))


def perioden_lesen(conn: sqlite3.Connection) -> Any:
    """The store's periods ``[von, bis)`` (columns nr, ov, ub, von, bis as timestamps), in member order."""

    # a period begun on an unknown day (schema 6) starts before any period counted, as kennzahlen.PERIODEN_SQL
    perioden = pd.read_sql_query(
        "SELECT nr, ortsverein AS ov, coalesce(nullif(trim(unterbezirk), ''), ?) AS ub, coalesce(von, ?) AS von, "
        "bis FROM zugehoerigkeit ORDER BY nr, von, rowid",
        conn,
        params=(OHNE_UNTERBEZIRK, UNBEKANNT_SEIT),
    )
    perioden["von"] = _tage(perioden["von"])
    perioden["bis"] = _tage(perioden["bis"])
    return perioden[perioden["von"].notna()].reset_index(drop=True)


def mitgliedschaften(perioden: Any) -> Any:
    """Runs of periods without a gap: one row per membership with its Eintritt, Austritt (NaT: still a member)
    and the Ortsverein/Unterbezirk where it began (``ov_ein``, ``ub_ein``) and where it ended (``ov_aus``,
    ``ub_aus``)."""

    gleich = perioden["nr"].eq(perioden["nr"].shift())
    anfang = ~(gleich & perioden["von"].eq(perioden["bis"].shift()))
    ende = anfang.shift(-1, fill_value=True)
    erste = perioden[anfang.to_numpy()].reset_index(drop=True)
    letzte = perioden[ende.to_numpy()].reset_index(drop=True)
    return pd.DataFrame(
        {
            "nr": erste["nr"],
            "eintritt": erste["von"],
            "austritt": letzte["bis"],
            "ov_ein": erste["ov"],
            "ub_ein": erste["ub"],
            "ov_aus": letzte["ov"],
            "ub_aus": letzte["ub"],
        }
    )


def _tage(werte: Any) -> Any:
    """ISO text to timestamps; anything else (a raw birth date "31.02.1970") becomes NaT."""

    return pd.to_datetime(werte, format="%Y-%m-%d", errors="coerce")


def _alter(geburt: Any, tag: date) -> Any:
    """Age in full years on ``tag``; NaN for unknown or implausible birth dates."""
    vorher = (geburt.dt.month > tag.month) | ((geburt.dt.month == tag.month) & (geburt.dt.day > tag.day))
    jahre = tag.year - geburt.dt.year - vorher.astype(float)
    return jahre.where((jahre >= 0) & (jahre <= 120))


def _kontakte_zuordnen(
    conn: sqlite3.Connection,
    neu: Any,
    zeitraum: Zeitraum,
    schritte: Sequence[dict[str, Any]],
    persoenlich: Sequence[str],
    bis: Any,
    abdeckung: abd.Abdeckung,
) -> Any:
    """Add to each new membership: per step due/counted/fulfilled, first personal contact, event in 3 months.

    Columns ``…_b`` (counted: due and recorded since the Eintritt), ``…_t`` (counted and fulfilled), ``…_a``
    (due, but left out: the records of the kinds began after the Eintritt, or never).
    """

    arten = {a for s in schritte for a in s["arten"]} | set(persoenlich) | {"teilnahme"}
    roh = gespeicherte_arten(arten)
    kontakte = pd.read_sql_query(
        f"SELECT id, nr, art, lower(trim(coalesce(ergebnis, ''))) AS ergebnis, datum FROM kontakte "
        f"WHERE datum >= ? AND datum <= ? AND art IN ({','.join('?' * len(roh))})",
        conn,
        params=(zeitraum.von.isoformat(), zeitraum.bis.isoformat(), *roh),
    )
    kontakte["datum"] = _tage(kontakte["datum"])

    neu = neu.reset_index(drop=True)
    neu["sid"] = range(len(neu))
    paare = neu[["sid", "nr", "eintritt"]].merge(kontakte, on="nr")
    paare = paare[paare["datum"] >= paare["eintritt"]]
    paare["tage"] = (paare["datum"] - paare["eintritt"]).dt.days

    def erfasst_seit_eintritt(erfassung: abd.Erfassung) -> Any:
        if erfassung.erster is None:
            return pd.Series(False, index=neu.index)
        return neu["eintritt"] >= pd.Timestamp(erfassung.erster)

    alle_gezaehlt = pd.Series(False, index=neu.index)
    alle_erfuellt = pd.Series(True, index=neu.index)
    irgendwo_faellig = pd.Series(False, index=neu.index)
    for i, schritt in enumerate(schritte):
        frist = int(schritt["frist_tage"])
        passend = paare[
            passt_maske(paare["art"], paare["ergebnis"], schritt["arten"]) & (paare["tage"] <= frist)
        ]
        anzahl = passend.groupby("sid")["id"].nunique()
        erfuellt = neu["sid"].map(anzahl).fillna(0) >= int(schritt.get("anzahl", 1))
        faellig = neu["eintritt"] + pd.Timedelta(days=frist) <= bis
        gezaehlt = faellig & erfasst_seit_eintritt(abdeckung.schritte[i])
        neu[f"s{i}_b"] = gezaehlt.astype(float)
        neu[f"s{i}_t"] = (gezaehlt & erfuellt).astype(float)
        neu[f"s{i}_a"] = (faellig & ~gezaehlt).astype(float)
        alle_gezaehlt |= gezaehlt
        alle_erfuellt &= erfuellt | ~gezaehlt
        if abdeckung.schritte[i].erfasst:  # a step without any data leaves nobody out of the standard
            irgendwo_faellig |= faellig
    neu["std_b"] = alle_gezaehlt.astype(float)
    neu["std_t"] = (alle_gezaehlt & alle_erfuellt).astype(float)
    neu["std_a"] = (irgendwo_faellig & ~alle_gezaehlt).astype(float)

    # days to the first personal contact: reached (an event) or not yet, up to the end or the exit (censored)
    erster = paare[passt_maske(paare["art"], paare["ergebnis"], persoenlich)].groupby("sid")["tage"].min()
    neu["tage"] = neu["sid"].map(erster)
    # An exit does not end the wait: who left unreached stays "not yet" up to the end of the period, so an
    # Ortsverein does not look faster because its unreached new members left.
    beobachtet = (bis - neu["eintritt"]).dt.days
    tage_gezaehlt = erfasst_seit_eintritt(abdeckung.persoenlich)
    neu["tage_b"] = tage_gezaehlt.astype(float)
    neu["tage_e"] = (tage_gezaehlt & neu["tage"].notna()).astype(float)
    neu["tage_z"] = neu["tage"].fillna(beobachtet).where(tage_gezaehlt)
    neu["tage_a"] = (~tage_gezaehlt).astype(float)
    neu["tage"] = neu["tage"].where(tage_gezaehlt)
    for frist in ERREICHT_FRISTEN:  # reached within 30/90 days, of those whose 30/90 days are over
        faellig = tage_gezaehlt & (neu["eintritt"] + pd.Timedelta(days=frist) <= bis)
        neu[f"e{frist}_b"] = faellig.astype(float)
        neu[f"e{frist}_t"] = (faellig & (neu["tage"] <= frist)).astype(float)

    grenze = neu["eintritt"] + pd.DateOffset(months=VERANSTALTUNG_MONATE)
    teilnahme = paare[paare["art"] == "teilnahme"].merge(
        pd.DataFrame({"sid": neu["sid"], "grenze": grenze}), on="sid"
    )
    teilnahme = teilnahme[teilnahme["datum"] <= teilnahme["grenze"]]
    faellig = grenze <= bis
    gezaehlt = faellig & erfasst_seit_eintritt(abdeckung.teilnahme)
    neu["v_b"] = gezaehlt.astype(float)
    neu["v_t"] = (gezaehlt & neu["sid"].isin(teilnahme["sid"])).astype(float)
    neu["v_a"] = (faellig & ~gezaehlt).astype(float)
    return neu


def _gruppiert(frame: Any, schluessel: str | None, spalten: Callable[[Any], dict[str, Any]]) -> Any:
    """Apply the aggregations of ``spalten`` per group (or for the whole when ``schluessel`` is None)."""

    if schluessel is None:
        frame = frame.assign(_g=GESAMT)
        schluessel = "_g"
    gruppen = frame.groupby(schluessel, sort=False)
    return pd.DataFrame(spalten(gruppen))


def _aktiv_spalten(g: Any) -> dict[str, Any]:
    return {
        "mitglieder": g.size(),
        "frauen_m_t": g["frau"].sum(),
        "frauen_m_b": g["frau"].count(),
        "alter_median": g["alter"].median(),
        "alter_basis": g["alter"].count(),
    }


def _neu_spalten(g: Any, n_schritte: int) -> dict[str, Any]:
    result = {
        "eintritte": g.size(),
        "frauen_e_t": g["frau"].sum(),
        "frauen_e_b": g["frau"].count(),
        "std_t": g["std_t"].sum(),
        "std_b": g["std_b"].sum(),
        "std_a": g["std_a"].sum(),
        "tage_basis": g["tage_b"].sum(),
        "tage_erreicht": g["tage_e"].sum(),
        "tage_a": g["tage_a"].sum(),
        "v_t": g["v_t"].sum(),
        "v_b": g["v_b"].sum(),
        "v_a": g["v_a"].sum(),
    }
    for frist in ERREICHT_FRISTEN:
        result[f"e{frist}_t"] = g[f"e{frist}_t"].sum()
        result[f"e{frist}_b"] = g[f"e{frist}_b"].sum()
    for i in range(n_schritte):
        result[f"s{i}_t"] = g[f"s{i}_t"].sum()
        result[f"s{i}_b"] = g[f"s{i}_b"].sum()
        result[f"s{i}_a"] = g[f"s{i}_a"].sum()
    return result


def _km_spalten(g: Any) -> dict[str, Any]:
    """The Kaplan–Meier median of the days to the first personal contact, per group."""

    mediane = {name: _km_median(frame) for name, frame in g[["tage_z", "tage_e"]]}
    return {"tage_median": pd.Series(mediane, dtype=float)}


def km_median(tage: Sequence[float], erreicht: Sequence[bool]) -> float | None:
    """Kaplan–Meier median: the first day on which the estimated share not yet reached is at most one half.

    ``tage``: per member the day of the first contact (``erreicht``) or the last day observed without one.
    None when fewer than half are reached (or nobody is counted).
    """

    return _km_median(pd.DataFrame({"tage_z": list(tage), "tage_e": [float(e) for e in erreicht]}))


def _km_median(frame: Any) -> float | None:
    gezaehlt = frame[frame["tage_z"].notna()]
    if gezaehlt.empty:
        return None
    je_tag = gezaehlt.groupby("tage_z")["tage_e"].agg(["sum", "count"]).sort_index()
    unter_risiko = je_tag["count"][::-1].cumsum()[::-1]  # members not yet reached nor out of sight at a day
    noch_nicht = (1.0 - je_tag["sum"] / unter_risiko).cumprod()
    halb = noch_nicht[noch_nicht <= 0.5 + 1e-12]
    return float(halb.index[0]) if len(halb) else None


def _weg_spalten(g: Any) -> dict[str, Any]:
    return {"austritte": g.size(), "frueh": g["frueh"].sum()}


def _kohorte_spalten(g: Any) -> dict[str, Any]:
    return {"bind_t": g["gehalten"].sum(), "bind_b": g.size()}


def _werte(name: str, z: Any, n_schritte: int) -> Werte:
    def n(key: str) -> int:
        value = z.get(key, 0)
        return 0 if value != value else int(value)  # NaN -> 0

    def median(key: str, basis: str, erreicht: str | None = None) -> Median:
        value = z.get(key)
        b = n(basis)
        wert = float(value) if b and value is not None and value == value else None
        return Median(wert, b, n(erreicht) if erreicht else None)

    return Werte(
        name=name,
        mitglieder=n("mitglieder"),
        eintritte=n("eintritte"),
        austritte=n("austritte"),
        fruehaustritte=n("frueh"),
        schritte=[Anteil(n(f"s{i}_t"), n(f"s{i}_b")) for i in range(n_schritte)],
        standard=Anteil(n("std_t"), n("std_b")),
        tage_erstkontakt=median("tage_median", "tage_basis", "tage_erreicht"),
        erreicht_in={frist: Anteil(n(f"e{frist}_t"), n(f"e{frist}_b")) for frist in ERREICHT_FRISTEN},
        veranstaltung=Anteil(n("v_t"), n("v_b")),
        bindung=Anteil(n("bind_t"), n("bind_b")),
        frauen_mitglieder=Anteil(n("frauen_m_t"), n("frauen_m_b")),
        frauen_eintritte=Anteil(n("frauen_e_t"), n("frauen_e_b")),
        median_alter=median("alter_median", "alter_basis"),
        ausgelassen={
            **{f"s{i}": n(f"s{i}_a") for i in range(n_schritte)},
            "standard": n("std_a"),
            "veranstaltung": n("v_a"),
            "tage": n("tage_a"),
        },
    )


def _tage_verteilung(neu: Any) -> list[tuple[str, int]]:
    """The counted new members by days to the first personal contact, and the ones not reached yet."""
    tage = neu.loc[neu["tage_b"] == 1, "tage"]
    result = []
    for name, erster, letzter in TAGE_KLASSEN:
        maske = tage >= erster if letzter is None else (tage >= erster) & (tage <= letzter)
        result.append((name, int(maske.sum())))
    result.append((NICHT_ERREICHT, int(tage.isna().sum())))
    return result


def _kontakte_im_zeitraum(conn: sqlite3.Connection, zeitraum: Zeitraum) -> dict[str, int]:
    return {
        row[0]: row[1]
        for row in conn.execute(
            "SELECT art, count(*) FROM kontakte WHERE datum >= ? AND datum <= ? GROUP BY art",
            (zeitraum.von.isoformat(), zeitraum.bis.isoformat()),
        )
    }


# --------------------------------------------------------------------------------------------------------------
# entwicklung


def _im_bestand(perioden: Any, tag: date, schluessel: str | None) -> Any:
    """Members on ``tag`` per group (a Series; the whole when ``schluessel`` is None)."""

    t = pd.Timestamp(tag)
    aktiv = perioden[(perioden["von"] <= t) & (perioden["bis"].isna() | (perioden["bis"] > t))]
    return _zaehlen(aktiv, schluessel)


def _zaehlen(frame: Any, schluessel: str | None) -> Any:

    if schluessel is None:
        return pd.Series({GESAMT: len(frame)}, dtype="int64")
    return frame.groupby(schluessel).size()


def _zwischen(spannen: Any, spalte: str, von: date, bis: date) -> Any:

    return spannen[(spannen[spalte] >= pd.Timestamp(von)) & (spannen[spalte] <= pd.Timestamp(bis))]


def bewegung(
    perioden: Any,
    spannen: Any,
    zeitraum: Zeitraum,
    ebene: str | None,
    teile: list[tuple[date, date, str]] | None = None,
) -> list[Bewegung]:
    """Per group of ``ebene`` (``ortsverein``, ``unterbezirk``; None: the whole) the members on the three days
    and the Eintritte and Austritte of the period and of the one before, alphabetically; groups without any
    figure are left out. With ``teile`` (:func:`abschnitte`) also the figures of each month (``verlauf``)."""
    frueher = ew.vorher(zeitraum)
    k = {"ortsverein": "ov", "unterbezirk": "ub"}.get(ebene or "")
    ein, aus = (f"{k}_ein", f"{k}_aus") if k else (None, None)
    spalten = {
        "mitglieder_vorher": _im_bestand(perioden, frueher.von - timedelta(days=1), k),
        "mitglieder_anfang": _im_bestand(perioden, zeitraum.von - timedelta(days=1), k),
        "mitglieder_ende": _im_bestand(perioden, zeitraum.bis, k),
        "eintritte": _zaehlen(_zwischen(spannen, "eintritt", zeitraum.von, zeitraum.bis), ein),
        "austritte": _zaehlen(_zwischen(spannen, "austritt", zeitraum.von, zeitraum.bis), aus),
        "eintritte_vorher": _zaehlen(_zwischen(spannen, "eintritt", frueher.von, frueher.bis), ein),
        "austritte_vorher": _zaehlen(_zwischen(spannen, "austritt", frueher.von, frueher.bis), aus),
    }
    namen: set[str] = set()
    for reihe in spalten.values():
        namen.update(str(n) for n in reihe.index)
    if k is None:
        namen = {GESAMT}
    verlauf = [
        (
            _im_bestand(perioden, bis, k),
            _zaehlen(_zwischen(spannen, "eintritt", von, bis), ein),
            _zaehlen(_zwischen(spannen, "austritt", von, bis), aus),
        )
        for von, bis, _ in teile or []
    ]
    result = []
    for name in sorted(namen, key=sortierschluessel):
        b = Bewegung(name)
        for feld, reihe in spalten.items():
            setattr(b, feld, int(reihe.get(name, 0)))
        b.verlauf = [(int(m.get(name, 0)), int(e.get(name, 0)), int(a.get(name, 0))) for m, e, a in verlauf]
        if not b.leer or k is None:
            result.append(b)
    return result


def _abschnitte_zaehlen(
    perioden: Any, spannen: Any, zeitraum: Zeitraum, erster: date | None, letzter: date | None
) -> tuple[str, list[Abschnitt]]:
    art, teile = ew.abschnitte(zeitraum)
    result = []
    for von, bis, name in teile:
        result.append(
            Abschnitt(
                von=von,
                bis=bis,
                name=name,
                mitglieder=int(_im_bestand(perioden, bis, None).iloc[0]),
                eintritte=len(_zwischen(spannen, "eintritt", von, bis)),
                austritte=len(_zwischen(spannen, "austritt", von, bis)),
                vollstaendig=ew.vollstaendig(von, bis, erster, letzter),
            )
        )
    return art, result


def kohorten(spannen: Any, bis: date, erster: date | None) -> list[Kohorte]:
    """The join quarters up to the one holding ``bis``: per quarter the memberships that began in it and the
    share still a member after 3, 6, 12 months – only once those months are over for the whole quarter."""

    letztes = ew._monatsanfang(bis).replace(month=(bis.month - 1) // 3 * 3 + 1)
    result = []
    for i in range(ew.KOHORTE_QUARTALE - 1, -1, -1):
        anfang = dt.add_months(letztes, -3 * i)
        ende = min(dt.add_months(anfang, 3) - timedelta(days=1), bis)
        gruppe = _zwischen(spannen, "eintritt", anfang, ende)
        gehalten: dict[int, Anteil | None] = {}
        for monate in ew.KOHORTE_MONATE:
            if dt.add_months(dt.add_months(anfang, 3) - timedelta(days=1), monate) > bis:
                gehalten[monate] = None  # not over for every member of the quarter yet
                continue
            grenze = gruppe["eintritt"] + pd.DateOffset(months=monate)
            noch = gruppe["austritt"].isna() | (gruppe["austritt"] > grenze)
            gehalten[monate] = Anteil(int(noch.sum()), len(gruppe))
        name = ew._quartal_name(anfang)
        if ende < dt.add_months(anfang, 3) - timedelta(days=1):
            name += f" (bis {dt.de(ende)})"
        result.append(
            Kohorte(
                von=anfang,
                bis=ende,
                name=name,
                eintritte=len(gruppe),
                gehalten=gehalten,
                vollstaendig=erster is None or erster <= anfang,
            )
        )
    return result


def entwicklung(conn: sqlite3.Connection, zeitraum: Zeitraum, ebene: str = "ortsverein") -> Entwicklung:
    """The development over the period, per month, per group beside the previous period, and the cohorts."""
    perioden = perioden_lesen(conn)
    spannen = mitgliedschaften(perioden)
    erster, letzter = staende(conn)
    art, teile = _abschnitte_zaehlen(perioden, spannen, zeitraum, erster, letzter)
    frueher = ew.vorher(zeitraum)
    return Entwicklung(
        zeitraum=zeitraum,
        vorher=frueher,
        abschnitte=teile,
        art=art,
        gesamt=bewegung(perioden, spannen, zeitraum, None)[0],
        gruppen=bewegung(perioden, spannen, zeitraum, ebene, ew.abschnitte(zeitraum)[1]),
        kohorten=kohorten(spannen, zeitraum.bis, erster),
        erster_stand=erster,
        letzter_stand=letzter,
        vorher_vollstaendig=ew.vollstaendig(frueher.von, frueher.bis, erster, letzter),
        zeitraum_vollstaendig=ew.vollstaendig(zeitraum.von, zeitraum.bis, erster, letzter),
    )
