"""German summaries of core results, for the terminal. Uses :mod:`console`; never imported by the core."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mitgliederarbeit import datum as dt
from mitgliederarbeit.bestand.anrufergebnisse import ERGEBNISSE
from mitgliederarbeit.cli import console
from mitgliederarbeit.cli.console import zahl
from mitgliederarbeit.kontaktarten import ARTEN_NAMEN, PATE
from mitgliederarbeit.zahlen import mal

_QUELLE = {
    "option": "aus --stand",
    "titel": "aus der Titelzeile",
    "stichtag": "Stichtag, kein Stand in der Datei",
    "fehlerdatei": "aus der Fehlerdatei",
    "dateiname": "aus dem Dateinamen",
}


def _ausgetretene(n: int, grenze: str) -> str:
    """„1 Mitglied, das vor dem … ausgetreten ist“, „2 Mitgliedern, die vor dem … ausgetreten sind“."""
    if n == 1:
        return f"1 Mitglied, das vor dem {grenze} ausgetreten ist"
    return f"{zahl(n)} Mitgliedern, die vor dem {grenze} ausgetreten sind"


def _reste(n: int) -> str:
    return mal(
        n,
        "unvollständige oder beschädigte Sicherungskopie, Ausgabe- oder Importdatei",
        "unvollständige oder beschädigte Sicherungskopien, Ausgabe- oder Importdateien",
    )


def import_fortschritt(update: Callable[..., None]) -> Callable[[str, int, int | None], None]:
    """The import's progress as the core tells it: each phase by name (reading, checking, comparing, writing the
    store), a bar while the rows are checked, a pulse where the end is not known."""

    def melden(text: str, done: int, total: int | None) -> None:
        update(done, total, text)

    return melden


def import_zusammenfassung(result) -> None:  # noqa: ANN001 - ImportErgebnis, imported lazily
    name = result.datei.rsplit("/", 1)[-1]
    if result.bereits_importiert:
        console.meldung(f"{name}: wurde bereits importiert – nichts geändert.")
        return
    if result.art in ("anrufliste", "teilnahme", "kontakte", "paket"):
        console.meldung(_listen_zusammenfassung(result, name))
    else:
        vorab = "Trockenlauf – es wurde nichts geändert. " if result.trockenlauf else ""
        stand = f"Stand {dt.de(result.stand)} ({_QUELLE.get(result.stand_quelle, result.stand_quelle)})"
        console.meldung(f"{vorab}{name}: {stand}, {mal(result.ortsvereine, 'Ortsverein', 'Ortsvereine')}.")
        console.meldung(
            f"  {mal(result.gelesen, 'Zeile', 'Zeilen')} gelesen, {zahl(result.uebernommen)} übernommen, "
            f"{zahl(result.abgelehnt)} abgelehnt, {mal(result.warnungen, 'Warnung', 'Warnungen')}."
        )
        if result.erstimport:
            console.meldung(
                f"  Erster Import: {mal(result.eintritte, 'Mitglied', 'Mitglieder')} neu im Bestand."
            )
        else:
            wieder = (
                f", {mal(result.wiedereintritte, 'Wiedereintritt', 'Wiedereintritte')}"
                if result.wiedereintritte
                else ""
            )
            console.meldung(
                f"  Eintritte: {zahl(result.eintritte)}, Austritte: {zahl(result.austritte)}, "
                f"Wechsel: {zahl(result.wechsel)}, Änderungen: {zahl(result.aenderungen)}{wieder}."
            )
        if gekuerzt := result.details.get("gekuerzt_nicht_ausgetreten"):
            console.hinweis(f"  {_gekuerzt_satz(gekuerzt)}")
        _zuordnung(result.details)
        for hinweis in result.details.get("hinweise", []):
            console.hinweis(f"  {hinweis}")
    for hinweis in result.details.get("lesehinweise", []):
        console.hinweis(f"  {hinweis}")
    schwer = [p for p in result.probleme if p.schwer]
    for problem in schwer[:10]:
        console.hinweis(f"  Zeile {problem.zeile}: {problem.meldung}")
    if len(schwer) > 10:
        console.hinweis(f"  … und {zahl(len(schwer) - 10)} weitere.")
    if result.fehlerdatei:
        console.meldung(f"  Abgelehnte Zeilen und Warnungen: {result.fehlerdatei}")
        if result.abgelehnt:
            console.meldung("  Bitte dort korrigieren und die Datei erneut importieren.")


def _gekuerzt_satz(gekuerzt: dict) -> str:
    """Members missing from an export, not booked as Austritte because a row's shortened number may be theirs."""
    n = gekuerzt["mitglieder"]
    zeilen = gekuerzt["zeilen"]
    wer = f"{mal(n, 'Mitglied fehlt', 'Mitglieder fehlen')} im Export, {'gilt' if n == 1 else 'gelten'}"
    nummern = ", ".join(z["mitgliedsnummer"] for z in zeilen)
    if len(zeilen) == 1:
        warum = f"Zeile {zeilen[0]['zeile']} hat eine gekürzte Mitgliedsnummer ({nummern})"
    else:
        warum = (
            f"Zeilen {', '.join(str(z['zeile']) for z in zeilen)} haben gekürzte Mitgliedsnummern ({nummern})"
        )
    return f"{wer} aber nicht als ausgetreten: {warum}."


def import_json(result) -> dict:  # noqa: ANN001 - ImportErgebnis
    """The ``--json`` of one import: the core's keys, for a returned list with the terminal's sentences."""
    data = result.as_json()
    if result.bilanz is None:
        return data
    # "zusammenfassung" stands where it always stood: first of the keys of the kind of file
    allgemein = {k: v for k, v in data.items() if k not in result.details}
    return {**allgemein, "zusammenfassung": _listen_zusammenfassung(result, ""), **result.details}


def _listen_zusammenfassung(result, name: str) -> str:  # noqa: ANN001 - ImportErgebnis
    if result.bilanz is not None and result.art == "anrufliste":
        return "\n".join(anrufliste_saetze(result, result.bilanz))
    if result.bilanz is not None and result.art == "teilnahme":
        return "\n".join(teilnahme_saetze(result, result.bilanz))
    if result.bilanz is not None and result.art == "kontakte":
        return "\n".join(kontakte_saetze(result, result.bilanz))
    if result.bilanz is not None and result.art == "paket":
        return "\n".join(paket_saetze(result, result.bilanz))
    return result.details.get("zusammenfassung", f"{name}: {zahl(result.uebernommen)} übernommen.")


def anrufliste_saetze(result, bilanz) -> list[str]:  # noqa: ANN001 - ImportErgebnis, Anrufbilanz
    """The terminal's sentences about a returned call list."""
    z = bilanz.zaehler
    vorab = "Trockenlauf – es wurde nichts geändert. " if result.trockenlauf else ""
    lines = [
        f"{vorab}{bilanz.datei}: Anrufliste, {mal(len(bilanz.blaetter), 'Blatt', 'Blätter')} gelesen "
        f"({', '.join(f'„{b}“' for b in bilanz.blaetter)}), ausgefüllte Zeilen: {zahl(result.gelesen)}."
    ]
    if z.fremder_ordner:
        lines.append(
            "  Die Liste wurde in einem anderen Arbeitsordner geschrieben; alle ihre Mitglieder sind auch in diesem."
        )
    teile = [f"{zahl(n)} {ERGEBNISSE[k]}" for k, n in z.ergebnisse.items() if n]
    lines.append(
        f"  Übernommene Anrufe: {zahl(result.uebernommen)}" + (f" – {', '.join(teile)}." if teile else ".")
    )
    folgen = "; ".join(
        f"{was}: {zahl(n)}"
        for was, n in (
            ("für Anrufe gesperrt", z.gesperrt),
            ("falsche Nummer markiert", z.falsch),
            ("Austrittswunsch (bitte persönlich nachfassen)", z.austritt),
            ("Interessen ergänzt", z.interessen),
        )
        if n
    )
    if folgen:
        lines.append(f"  {folgen[:1].upper()}{folgen[1:]}.")
    if z.bereits:
        lines.append(
            f"  Schon früher übernommen, nicht doppelt gezählt: {mal(z.bereits, 'Zeile', 'Zeilen')}."
        )
    if z.nach_stichtag:
        lines.append(f"  Mit Datum nach dem Stichtag (zählen erst ab diesem Tag): {zahl(z.nach_stichtag)}.")
    if result.abgelehnt:
        rest = result.abgelehnt - z.unbekannte_ergebnisse - z.unbekannte_mitglieder  # dates that are none
        gruende = ", ".join(
            f"{zahl(n)} {warum}"
            for n, warum in (
                (z.unbekannte_ergebnisse, "ohne bekanntes Ergebnis"),
                (z.unbekannte_mitglieder, "mit unbekannter oder fehlender Mitgliedsnummer"),
                (rest, "mit ungültigem Datum"),
            )
            if n
        )
        lines.append(f"  Abgelehnt: {mal(result.abgelehnt, 'Zeile', 'Zeilen')} – {gruende}.")
    if z.ausgetretene:
        lines.append(f"  Inzwischen ausgetreten (trotzdem erfasst, siehe Warnungen): {zahl(z.ausgetretene)}.")
    if z.nummern:
        lines.append(
            "  Andere Telefonnummer auf der Liste als im Datenbestand (nicht übernommen – bitte in der "
            f"Mitgliederverwaltung ändern, der nächste Export bringt sie mit): {zahl(len(z.nummern))}."
        )
        lines += [
            f"    {nummer} {name}: {'Telefon' if feld == 'telefon' else 'Mobil'} {neu}"
            for nummer, name, feld, neu in z.nummern
        ]
    lines += [
        f"  Das Blatt „{fehlt}“ fehlt in der Datei – dessen Ergebnisse konnten nicht übernommen werden."
        for fehlt in bilanz.fehlende
    ]
    lines += [
        f"  Blatt „{b}“ übersprungen: keine Spalten „Mitgliedsnummer“ und „Ergebnis“."
        for b in bilanz.uebersprungen
    ]
    return lines


def teilnahme_saetze(result, bilanz) -> list[str]:  # noqa: ANN001 - ImportErgebnis, Teilnahmebilanz
    """The terminal's sentences about an imported attendance list."""
    z = bilanz.zaehler
    vorab = "Trockenlauf – es wurde nichts geändert. " if result.trockenlauf else ""
    lines = [
        f"{vorab}{bilanz.datei}: Teilnahmeliste „{bilanz.veranstaltung}“ am {dt.de(bilanz.datum)}, "
        f"{mal(result.gelesen, 'Zeile', 'Zeilen')} gelesen.",
        f"  Übernommene Teilnahmen: {zahl(result.uebernommen)} ({zahl(z.nummer)} per "
        f"Mitgliedsnummer, {zahl(z.name)} per Name).",
    ]
    if z.abwesend:  # rows the presence column marks as not there: listed by row number
        zeilen = ", ".join(str(n) for n in z.abwesend[:20]) + (" …" if len(z.abwesend) > 20 else "")
        lines.append(
            f"  Laut Spalte „{bilanz.anwesenheitsspalte}“ nicht anwesend, nicht erfasst: "
            f"{zahl(len(z.abwesend))} (Zeilen {zeilen})."
        )
    if z.bereits:
        lines.append(f"  Schon früher erfasst, nicht doppelt gezählt: {zahl(z.bereits)}.")
    if z.doppelt:
        lines.append(f"  Mehrfach auf der Liste (einmal gezählt): {zahl(z.doppelt)}.")
    if z.mehrdeutig or z.unbekannt:
        lines.append(
            f"  Nicht zugeordnet (nicht geraten, siehe Fehlerdatei): {zahl(z.mehrdeutig)} nicht "
            f"eindeutig, {zahl(z.unbekannt)} unbekannt."
        )
    if z.kein_mitglied:
        lines.append(
            f"  Am Tag der Veranstaltung kein Mitglied (trotzdem erfasst, siehe Warnungen): {zahl(z.kein_mitglied)}."
        )
    if bilanz.datum > bilanz.stichtag:
        lines.append(
            f"  Die Veranstaltung liegt nach dem Stichtag ({dt.de(bilanz.stichtag)}); die Teilnahmen zählen "
            f"ab {dt.de(bilanz.datum)}."
        )
    return lines


def _nach_stichtag(n: int, stichtag) -> list[str]:  # noqa: ANN001 - date
    if not n:
        return []
    return [f"  Mit Datum nach dem Stichtag ({dt.de(stichtag)}; zählen erst ab diesem Tag): {zahl(n)}."]


def _bereits_und_ausgetreten(result, bereits: int) -> tuple[list[str], list[str]]:  # noqa: ANN001
    """The lines on contacts recorded before (first) and on members who have left since (last)."""
    vorher = [f"  Schon früher erfasst, nicht doppelt gezählt: {zahl(bereits)}."] if bereits else []
    nachher = (
        [f"  Inzwischen ausgetreten (trotzdem erfasst, siehe Warnungen): {zahl(result.warnungen)}."]
        if result.warnungen
        else []
    )
    return vorher, nachher


def _abgelehnt(result, paare: tuple[tuple[int, str], ...]) -> list[str]:  # noqa: ANN001 - ImportErgebnis
    """The line on rejected rows, with how many for each reason (none when nothing was rejected)."""
    if not result.abgelehnt:
        return []
    gruende = ", ".join(f"{zahl(n)} {warum}" for n, warum in paare if n)
    return [f"  Abgelehnt: {mal(result.abgelehnt, 'Zeile', 'Zeilen')} – {gruende}."]


def kontakte_saetze(result, bilanz) -> list[str]:  # noqa: ANN001 - ImportErgebnis, Kontaktbilanz
    """The terminal's sentences about an imported contact list."""
    z = bilanz.zaehler
    vorab = "Trockenlauf – es wurde nichts geändert. " if result.trockenlauf else ""
    teile = [f"{zahl(n)} {ARTEN_NAMEN[a]}" for a, n in sorted(bilanz.je_art.items())]
    lines = [
        f"{vorab}{bilanz.datei}: Kontaktliste, {mal(result.gelesen, 'Zeile', 'Zeilen')} gelesen.",
        f"  Erfasste Kontakte: {zahl(result.uebernommen)}" + (f" – {', '.join(teile)}." if teile else "."),
    ]
    vorher, nachher = _bereits_und_ausgetreten(result, z["bereits"])
    lines += vorher + _nach_stichtag(z["nach_stichtag"], bilanz.stichtag)
    lines += _abgelehnt(
        result,
        (
            (z["arten"], "mit unbekannter Art"),
            (z["unbekannt"], "ohne passendes Mitglied"),
            (z["datum"], "mit ungültigem Datum"),
            (z["formel"], "mit einer Formel"),
        ),
    )
    return lines + nachher


def paket_saetze(result, bilanz) -> list[str]:  # noqa: ANN001 - ImportErgebnis, Paketbilanz
    """The terminal's sentences about a package a chair sent back."""
    z = bilanz.zaehler
    vorab = "Trockenlauf – es wurde nichts geändert. " if result.trockenlauf else ""
    lines = [
        f"{vorab}{bilanz.datei}: Paket des Ortsvereins {bilanz.ortsverein} vom {dt.de(bilanz.paket_tag)}, "
        f"{mal(result.gelesen, 'ausgefüllte Zeile', 'ausgefüllte Zeilen')}.",
        f"  Erfasst: {mal(z['kontakte'], 'Kontakt', 'Kontakte')}, "
        f"{mal(z['paten'], 'Pat*in', 'Pat*innen')}, {mal(z['notizen'], 'Notiz', 'Notizen')}.",
    ]
    lines += [
        f"    {s['name']}: {zahl(bilanz.je_schritt[s['name']])} (als „{ARTEN_NAMEN[s['art']]}“)"
        for s in bilanz.schritte
        if bilanz.je_schritt.get(s["name"]) and s["art"] != PATE
    ]
    lines += [f"  Die Spalte „{alt}“ wurde als „{neu}“ gelesen." for alt, neu in bilanz.umbenannt.items()]
    if bilanz.kein_name:
        woerter = ", ".join(f"„{w}“" for w in bilanz.kein_name[:5]) + (
            ", …" if len(bilanz.kein_name) > 5 else ""
        )
        lines.append(
            f"  Ohne Pat*in gelesen (kein Name: {woerter}): {mal(z['kein_name'], 'Zeile', 'Zeilen')}."
        )
    vorher, _ = _bereits_und_ausgetreten(result, z["bereits"])
    lines += vorher + _nach_stichtag(z["nach_stichtag"], bilanz.stichtag)
    lines += _abgelehnt(
        result,
        (
            (z["unbekannt"], "mit unbekannter oder fehlender Mitgliedsnummer"),
            (z["fremd"], "aus einem anderen Ortsverein"),
            (z["datum"], "mit unbrauchbarem Datum"),
            (z["formel"], "mit einer Formel"),
            (z["doppelt"], "mit doppelter Mitgliedsnummer"),
        ),
    )
    lines += [f"  {h}" for h in bilanz.hinweise[:10]]
    if len(bilanz.hinweise) > 10:
        lines.append(
            f"  … und {zahl(len(bilanz.hinweise) - 10)} weitere (Blatt „Warnungen“ der Fehlerdatei)."
        )
    if z["ausgetreten"]:
        lines.append(
            f"  Inzwischen ausgetreten (trotzdem erfasst, siehe Warnungen): {zahl(z['ausgetreten'])}."
        )
    return lines + [
        f"  Die Spalte „{fehlt}“ fehlt im Blatt „{bilanz.blatt}“ – deren Daten konnten nicht übernommen werden."
        for fehlt in bilanz.fehlende
    ]


# a field no column of the export holds (only the join date may be missing: unknown or estimated)
OHNE_SPALTE = "(keine Spalte: unbekannt bzw. geschätzt)"


def _zuordnung(details: dict) -> None:
    """Which column each field came from; in a dry run with two sample values per field."""
    from mitgliederarbeit.einlesen.spalten import FELD_NAMEN

    zuordnung = dict(details.get("zuordnung") or {})  # console.meldung prints text as it is, no markup
    beispiele = details.get("zuordnung_beispiele")
    if beispiele is not None:
        console.meldung("  Zuordnung der Spalten (mit zwei Beispielwerten):")
        for feld, quelle in zuordnung.items():
            if quelle is None:
                console.meldung(f"    {FELD_NAMEN.get(feld, feld)} ← {OHNE_SPALTE}")
                continue
            werte = ", ".join(f"„{w}“" for w in beispiele.get(feld, [])) or "keine Werte"
            console.meldung(f"    {FELD_NAMEN.get(feld, feld)} ← „{quelle}“: {werte}")
    elif zuordnung:
        # the required fields always; the others when the column has a name of its own ("Handy" for Mobil)
        from mitgliederarbeit.einlesen.erkennung import PFLICHT, normalize

        teile, gleich = [], 0
        for feld, quelle in zuordnung.items():
            label = FELD_NAMEN.get(feld, feld)
            if quelle is None:
                teile.append(f"{label} ← {OHNE_SPALTE}")
            elif feld in (*PFLICHT, "vorname", "nachname") or normalize(label) != normalize(quelle):
                teile.append(f"{label} ← „{quelle}“")
            else:
                gleich += 1
        rest = f"; {zahl(gleich)} weitere unter ihrem eigenen Namen" if gleich else ""
        console.meldung(f"  Spalten: {', '.join(teile)}{rest}.")
    for hinweis in details.get("zuordnung_hinweise", []):
        console.meldung(f"  Zuordnung – {hinweis}.")


# The one field an export may lack altogether: "" (as ``--spalte eintrittsdatum=``) is a choice, see README
# „Exporte ohne Eintrittsdatum“.
_OHNE_SPALTE = {"eintrittsdatum": "keine – der Export hat kein Eintrittsdatum (wie --spalte eintrittsdatum=)"}


def spalte_waehlen(fehlt) -> str | None:  # noqa: ANN001 - spalten.SpalteFehlt, imported lazily
    """Offer the candidate columns of a missing required field; the header picked, "" for none (only where a
    field may be missing, the join date), or None (Enter)."""
    from mitgliederarbeit.einlesen.spalten import FELD_NAMEN

    console.meldung(fehlt.message)
    console.meldung(f"Welche Spalte enthält {FELD_NAMEN.get(fehlt.feld, fehlt.feld)}?")
    wahl = [str(k) for k in fehlt.kandidaten]
    for i, kopf in enumerate(wahl, 1):
        console.meldung(f"  {i}) „{kopf}“")
    if fehlt.feld in _OHNE_SPALTE:
        wahl.append("")
        console.meldung(f"  {len(wahl)}) {_OHNE_SPALTE[fehlt.feld]}")
    while True:
        antwort = console.eingabe("Nummer (Enter: abbrechen): ").strip()
        if not antwort:
            return None
        if antwort.isdigit() and 1 <= int(antwort) <= len(wahl):
            return wahl[int(antwort) - 1]
        console.meldung(f"Bitte eine Zahl von 1 bis {len(wahl)} eingeben.")


def _label(feld: str) -> str:
    from mitgliederarbeit.einlesen.spalten import FELD_NAMEN

    return FELD_NAMEN.get(feld, feld)


def zuordnung_speichern(ordner, gewaehlt: dict[str, str]) -> None:  # noqa: ANN001 - Path
    """After an import with columns picked in the terminal: offer to keep the choice in mitglieder.toml."""
    from mitgliederarbeit import config
    from mitgliederarbeit.einlesen.erkennung import spalte_option

    for feld in [f for f, q in gewaehlt.items() if not q]:
        # [import.spalten] names columns; "none" is said again with the next such export
        console.meldung(
            f"Gewählt: kein {_label(feld)}. Beim nächsten Export ohne {_label(feld)}: --spalte {feld}="
        )
    gewaehlt = {f: q for f, q in gewaehlt.items() if q}
    if not gewaehlt:
        return
    optionen = " ".join(spalte_option(f, q) for f, q in gewaehlt.items())
    console.meldung(f"Gewählt: {optionen}")
    if not console.frage("Diese Zuordnung in mitglieder.toml unter [import.spalten] speichern?"):
        return
    pfad, uebersprungen = config.spalten_speichern(ordner, gewaehlt)
    for feld in uebersprungen:
        console.meldung(
            f"„{feld}“ steht schon unter [import.spalten] in {pfad}; dort bitte von Hand ergänzen."
        )
    if len(uebersprungen) < len(gewaehlt):
        console.meldung(f"Gespeichert in {pfad}.")


def uebersicht(result) -> None:  # noqa: ANN001 - Uebersicht
    rows = [
        [o.ortsverein, zahl(o.mitglieder), zahl(o.eintritte), zahl(o.austritte)] for o in result.ortsvereine
    ]
    rows.append(
        [
            "Gesamt",
            zahl(result.mitglieder),
            zahl(sum(o.eintritte for o in result.ortsvereine)),
            zahl(sum(o.austritte for o in result.ortsvereine)),
        ]
    )
    console.tabelle(
        f"Mitglieder am {dt.de(result.stichtag)}",
        ["Ortsverein", "Mitglieder", f"Eintritte seit {dt.de(result.seit)}", "Austritte"],
        rows,
        rechts={1, 2, 3},
    )
    if result.letzter_import:
        last = result.letzter_import
        console.meldung(
            f"Letzter Import: {last['datei']} (Stand {dt.de(dt.from_iso(last['stand']))}, "
            f"importiert am {dt.de(dt.from_iso(last['zeit'][:10]))})."
        )


def bereinigung(result) -> None:  # noqa: ANN001 - datenschutz.Bereinigung
    grenze = dt.de(result.grenze)
    if not result.ausgefuehrt:  # the plan, shown before anything is deleted
        for text in result.hinweise:
            console.hinweis(text)
    if result.ausgefuehrt and not result.mitglieder and not result.notizen:
        console.meldung(f"{_reste(result.reste)} gelöscht.")
        return
    if result.ausgefuehrt:
        console.meldung(
            f"Gelöscht: persönliche Daten von {_ausgetretene(result.mitglieder, grenze)}, und Notizen, "
            "Interessen und Anrufernamen von "
            f"{mal(result.notizen, 'älteren Kontakt', 'älteren Kontakten')}. "
            "Der Datenbestand wurde verdichtet."
        )
        if result.sicherungen_geloescht:
            console.meldung(
                f"{mal(result.sicherungen_geloescht, 'Sicherung', 'Sicherungen')} gelöscht, weil sie diese Daten "
                "noch enthielten."
            )
        if result.reste:
            console.meldung(f"{_reste(result.reste)} gelöscht.")
        return
    if result.reste:
        console.meldung(f"Zu löschen: {_reste(result.reste)} (in sicherung/, ausgabe/ und im Arbeitsordner).")
    if not result.mitglieder and not result.notizen:
        davor = "Sonst nichts" if result.reste else "Nichts"
        console.meldung(f"{davor} zu löschen: niemand ist vor dem {grenze} ausgetreten.")
        return
    console.meldung(
        f"Zu löschen: persönliche Daten von {_ausgetretene(result.mitglieder, grenze)}, und Notizen, "
        "Interessen und Anrufernamen von "
        f"{mal(result.notizen, 'Kontakt', 'Kontakten')} von vor dem {grenze}."
    )
    for ov, count in sorted(result.ortsvereine.items()):
        console.meldung(f"  {ov}: {zahl(count)}")
    console.meldung(
        "Übrig bleiben anonyme Zeilen (Ortsverein, Eintritts- und Austrittsmonat, Geschlecht, "
        "Geburtsjahr) für die Berichte."
    )


def protokoll(entries, ordner=None) -> None:  # noqa: ANN001 - list[datenschutz.Eintrag], Path
    if not entries:
        console.meldung("Noch keine Ausgaben mit persönlichen Daten.")
        return
    console.tabelle(
        "Ausgaben mit persönlichen Daten",
        ["Zeit", "Befehl", "Segment", "Personen", "Datei"],
        [
            [_zeit(e.zeit), e.befehl, e.segment or "", zahl(e.anzahl), _kurzpfad(e.pfad, ordner)]
            for e in entries
        ],
        rechts={3},
        umbrechen={4},  # the path is what matters: wrap it, never cut it
    )


def _kurzpfad(pfad: str, ordner) -> str:  # noqa: ANN001 - Path | None
    """A path inside the working folder relative to it (``ausgabe/…``), anything else as it is."""
    from pathlib import Path

    if ordner is None:
        return pfad
    try:
        return str(Path(pfad).relative_to(ordner))
    except ValueError:
        return pfad


def _zeit(iso: str) -> str:
    """``2026-09-01T10:00:00`` as Germans write it: ``01.09.2026 10:00``."""
    from datetime import datetime

    try:
        return datetime.fromisoformat(iso).strftime("%d.%m.%Y %H:%M")
    except ValueError:
        return iso.replace("T", " ")


def sicherungen(backups) -> None:  # noqa: ANN001 - list[sicherung.Sicherung]
    if not backups:
        console.meldung("Noch keine Sicherungen. Sie entstehen vor jeder Änderung des Datenbestands.")
        return
    console.tabelle(
        "Sicherungen (neueste zuerst)",
        ["Name", "Zeit", "Größe"],
        [[b.name, b.zeit.strftime("%d.%m.%Y %H:%M:%S"), console.groesse(b.groesse)] for b in backups],
        rechts={2},
        ganz={0},  # the name is what the user types to restore
        rang=[0, 2, 1],  # a narrow terminal: the time goes first (the name holds it too)
        alles="--json",
    )
    console.meldung("Zurückspielen: mitglieder sicherung --wiederherstellen NAME")


# --- segmente, anrufliste ---


def warnung(text: str) -> str:
    """A warning of the core in German: a segment's come as :class:`SegmentWarnung`, the others as sentences."""
    # imported here: the segments module costs a tenth of a second that commands without segments need not pay
    from mitgliederarbeit.auswertung.segmente import SegmentWarnung

    if not isinstance(text, SegmentWarnung):
        return text
    if text is SegmentWarnung.INAKTIV_OHNE_AKTIVITAET:
        return (
            "„inaktiv“ lässt sich noch nicht bestimmen: es wurden noch keine Teilnahme- oder Anruflisten "
            "importiert. Ohne diese Daten wäre jedes Mitglied „inaktiv“ – das Segment bleibt daher leer. "
            "Bitte zuerst Teilnahmelisten oder ausgefüllte Anruflisten importieren (mitglieder import)."
        )
    return (
        "Es wurden noch keine Kontakte erfasst (Briefe, Anrufe, Teilnahmen) – deshalb gilt hier jedes "
        "Mitglied als „ohne Kontakt“."
    )


def mit_warnungen(data: dict) -> dict:
    """A result's ``--json`` with its warnings in German (in their place among the keys)."""
    return {**data, "warnungen": [warnung(w) for w in data["warnungen"]]}


def segmente_uebersicht(zaehlung, ordner) -> None:  # noqa: ANN001 - segmente.Zaehlung, Arbeitsordner
    from mitgliederarbeit.auswertung import abdeckung, segmente

    config = ordner.config
    for text in zaehlung.warnungen:
        console.hinweis(warnung(text))
    werte = list(zaehlung.values())
    titel = f"Segmente am {dt.de(ordner.stichtag)}"
    if werte and isinstance(werte[0], dict):
        ortsvereine = list(werte[0])
        gesamt = len(ortsvereine) > 1
        if len(ortsvereine) <= 3:  # a few Ortsvereine: one column each, segments as rows
            kopf = ["Segment", *ortsvereine, *(["Gesamt"] if gesamt else [])]
            rows = [
                [name, *[zahl(n) for n in counts.values()], *([zahl(sum(counts.values()))] if gesamt else [])]
                for name, counts in zaehlung.items()
            ]
        else:  # many: one row per Ortsverein, so they can be compared down a column
            kopf = ["Ortsverein", *zaehlung]
            rows = [[ov, *[zahl(counts[ov]) for counts in zaehlung.values()]] for ov in ortsvereine]
            rows.append(["Gesamt", *[zahl(sum(counts.values())) for counts in zaehlung.values()]])
        # every segment belongs on the screen: a narrow terminal gets the table in parts, each with the Ortsverein
        console.tabelle(titel, kopf, rows, rechts=set(range(1, len(kopf))), teilen={0})
    else:
        rows = [[name, zahl(n), segmente.beschreibung(name, config)] for name, n in zaehlung.items()]
        # the name is what the user types next (mitglieder segmente NAME): never broken
        console.tabelle(titel, ["Segment", "Anzahl", "Wer"], rows, rechts={1}, ganz={0})
    basen = {name: segmente._basis(name, config) for name in zaehlung}
    daten = abdeckung.segment_jsons(ordner, basen.values())  # read once for every segment that asks
    for name, basis in basen.items():
        zeile = _abdeckung_text(daten.get(basis or ""), name)
        if zeile:
            console.hinweis(zeile)
    console.meldung(
        "Mitglieder eines Segments zeigen: mitglieder segmente NAME (Export: --export DATEI.xlsx)"
    )


def _abdeckung_zeile(ordner, basis: str | None, name: str | None = None) -> str | None:  # noqa: ANN001
    """How far back the records behind ``inaktiv``/``ohne-kontakt`` reach (None for other segments)."""
    from mitgliederarbeit.auswertung import abdeckung

    if ordner is None or basis not in abdeckung.SEGMENT_ERFASSUNG:
        return None
    return _abdeckung_text(abdeckung.segment_json(ordner, basis), name)


def _abdeckung_text(daten: dict[str, Any] | None, name: str | None) -> str | None:
    if daten is None or not daten["anzahl"]:  # nothing recorded: the segment's own warning says so
        return None
    return f"{'„' + name + '“: ' if name else ''}{daten['text']}"


# members of a segment shown in the terminal (only these are read: ``auswaehlen(..., erste=…)``); --export and
# --json hold all
SEGMENT_ZEILEN = 200


def segment(ergebnis, pfad) -> None:  # noqa: ANN001 - segmente.SegmentErgebnis, Path | None
    for text in ergebnis.warnungen:
        console.hinweis(warnung(text))
    wo = f" in {', '.join(ergebnis.ortsvereine)}" if ergebnis.ortsvereine else ""
    kopfzeile = (
        f"Segment „{ergebnis.name}“ am {dt.de(ergebnis.stichtag)}{wo}: "
        f"{mal(ergebnis.anzahl, 'Mitglied', 'Mitglieder')} ({ergebnis.beschreibung})."
    )
    from mitgliederarbeit.auswertung import segmente

    abdeckung = _abdeckung_zeile(
        ergebnis.ordner, segmente._basis(ergebnis.name, ergebnis.ordner.config) if ergebnis.ordner else None
    )
    if pfad is not None:
        console.meldung(kopfzeile)
        if abdeckung:
            console.hinweis(f"  {abdeckung}")
        console.meldung(f"Exportiert: {pfad}")
        console.meldung(
            "Die Datei enthält personenbezogene Daten: nur für diesen Zweck nutzen und danach löschen."
        )
        return
    extra: list = []  # (header, getter); a column when any member of the segment has it, shown or not
    if ergebnis.hat("faelliger_schritt"):
        extra = [("Fällig", lambda m: m["faelliger_schritt"]), ("am", lambda m: dt.de(m["faellig_am"]))]
    elif ergebnis.hat("jubilaeum"):
        extra = [("Jahre", lambda m: m["jubilaeum"])]
    elif ergebnis.hat("austrittsdatum"):
        extra = [("Ausgetreten", lambda m: dt.gespeichert_de(m["austrittsdatum"]))]
    anrufe = ergebnis.hat("versuche")
    gezeigt = ergebnis.mitglieder[:SEGMENT_ZEILEN]
    # Each column with its rang in a terminal too narrow for all of them whole (console.tabelle): the higher, the
    # sooner it is left out, one rang together („Fällig“ with its „am“), 0 never. Name and number (what
    # `mitglieder kontakt NR` takes) always stay. The segment's own column comes right after them where every row
    # has it (it is what „faellig“, „jubilaeum“, „ausgetreten“ are listed for), after the entry date where only
    # some have it (the „Fällig“ of a few in „neu“); age and calls go first.
    eigen = 1 if all(get(m) not in (None, "") for m in gezeigt for _, get in extra) else 4
    # „Nr.“: a header as long as „Mitgliedsnummer“ over four digits costs a name its room at 80 columns
    spalten = [
        ("Nr.", lambda m: m["mitgliedsnummer"], 0),
        ("Name", lambda m: " ".join(p for p in (m["vorname"], m["nachname"]) if p), 0),
        ("Ortsverein", lambda m: m["ortsverein"], 2),
        ("Mitglied seit", lambda m: dt.eintritt_de(m["eintrittsdatum"], m["eintritt_geschaetzt"]), 3),
        ("Alter", lambda m: m["alter"], 5),
        *([("Anrufe", lambda m: m["versuche"] or "", 6)] if anrufe else []),
        *[(kopf, get, eigen) for kopf, get in extra],
    ]
    console.tabelle(
        None,
        [kopf for kopf, _, _ in spalten],
        [[get(m) for _, get, _ in spalten] for m in gezeigt],
        rechts={
            i for i, (kopf, _, _) in enumerate(spalten) if kopf in ("Alter", "Anrufe", "Jahre")
        },  # counts
        rang=[rang for _, _, rang in spalten],
        alles="--export DATEI.xlsx oder --json",
    )
    if ergebnis.anzahl > SEGMENT_ZEILEN:
        # a terminal is no place for thousands of rows (and drawing them took minutes at national scale)
        console.meldung(
            f"… und {zahl(ergebnis.anzahl - SEGMENT_ZEILEN)} weitere – alle mit --export DATEI "
            "(xlsx oder csv) oder --json."
        )
    console.meldung(kopfzeile)
    if abdeckung:
        console.hinweis(f"  {abdeckung}")


def anrufliste(result) -> None:  # noqa: ANN001 - anrufliste.Anrufliste
    for text in result.warnungen:  # the segment's warnings, then those about contact details
        console.klartext(warnung(text), "yellow")  # names config sections in [brackets], which are no markup
    wo = f" in {', '.join(result.ortsvereine)}" if result.ortsvereine else ""
    console.meldung(
        f"Segment „{result.segment}“{wo}: {mal(result.im_segment, 'Mitglied', 'Mitglieder')}, davon "
        f"{zahl(result.eintraege)} auf der Anrufliste."
    )
    if result.ausgelassen:
        gruende = ", ".join(f"{zahl(n)} {result.grund_text(k)}" for k, n in result.ausgelassen.items())
        console.meldung(f"  Nicht auf der Liste: {zahl(sum(result.ausgelassen.values()))} – {gruende}.")
    if result.schon_erreicht:
        # not among the members above: they left the segment because a call reached them
        weitere = mal(result.schon_erreicht, "weiteres Mitglied", "weitere Mitglieder")
        das = "das" if result.schon_erreicht == 1 else "die"
        console.meldung(f"  Dazu {weitere}, {das} ein Anruf schon erreicht hat (nicht mehr im Segment).")
    if result.datei is None:
        console.hinweis("Niemand zum Anrufen – es wurde keine Datei geschrieben.")
        return
    verteilung = ", ".join(f"{name} {zahl(n)}" for name, n in result.je_anrufer.items())
    console.meldung(f"  Verteilt auf {mal(len(result.anrufer), 'Blatt', 'Blätter')}: {verteilung}.")
    if result.je_anrufer_datei:
        console.meldung(f"Anruflisten, eine Datei je Anrufer*in, in {result.datei}:")
        for datei in result.dateien:
            console.meldung(f"  {datei.name}")
        console.meldung(
            f"Datenschutz: jeder Person nur ihre eigene Datei geben, bis spätestens {dt.de(result.loeschen_am)} "
            "löschen. Ausgefüllt zurück mit: mitglieder import DATEI …"
        )
        return
    console.meldung(f"Anrufliste: {result.datei}")
    if len(result.anrufer) > 1:
        console.meldung(
            "Datenschutz: die Datei enthält alle Blätter und bleibt bei Ihnen; jeder Person nur ihr eigenes Blatt "
            f"geben (oder mit --je-anrufer eine Datei je Person), bis spätestens {dt.de(result.loeschen_am)} "
            "löschen. Ausgefüllt zurück mit: mitglieder import DATEI"
        )
    else:
        console.meldung(
            f"Datenschutz: nur an die Anrufenden weitergeben, bis spätestens {dt.de(result.loeschen_am)} löschen. "
            "Ausgefüllt zurück mit: mitglieder import DATEI"
        )


# --- briefe ---


def briefe(lauf) -> None:  # noqa: ANN001 - briefe.BriefLauf
    result = lauf.ergebnis
    anzahl = result.anzahl_briefe
    # with --haushalte one letter reaches several members: both numbers, the letters first
    an = f" an {mal(len(result.briefe), 'Mitglied', 'Mitglieder')}" if result.haushalte else ""
    if lauf.trockenlauf and anzahl == 0:
        console.meldung(f"Trockenlauf: niemand im Segment „{lauf.segment}“ bekäme einen Brief.")
    elif lauf.trockenlauf:
        console.meldung(
            f"Trockenlauf: {mal(anzahl, 'Brief', 'Briefe')}{an} für Segment „{lauf.segment}“ "
            f"{'würde' if anzahl == 1 else 'würden'} nach "
            f"{result.ordner} geschrieben. Nichts wurde geschrieben oder vermerkt."
        )
    elif anzahl == 0:
        console.meldung(f"Segment „{lauf.segment}“: niemand bekommt einen Brief.")
    else:
        dateien = "eine Datei" if len(result.dateien) == 1 else f"{zahl(len(result.dateien))} Dateien"
        console.meldung(
            f"{mal(anzahl, 'Willkommensbrief', 'Willkommensbriefe')}{an} (Segment „{lauf.segment}“) in "
            f"{result.ordner}: {dateien}."
        )
        schon = (
            f" ({zahl(lauf.schon_vermerkt)} {'hatte' if lauf.schon_vermerkt == 1 else 'hatten'} am "
            f"{dt.de(lauf.tag)} schon einen; je Mitglied und Tag wird ein Brief vermerkt)"
            if lauf.schon_vermerkt
            else ""
        )
        console.meldung(f"  Als Kontakt „brief“ vermerkt: {zahl(lauf.erfasst)}{schon}.")
    if result.haushalte:
        mitglieder = sum(len(h) for h in result.haushalte)
        console.meldung(
            f"  Davon {mal(len(result.haushalte), 'Brief', 'Briefe')} an Haushalte, je an alle Mitglieder einer "
            f"Anschrift ({mal(mitglieder, 'Mitglied', 'Mitglieder')})."
        )
    if lauf.schon_brief:
        console.hinweis(
            f"  Schon mit Willkommensbrief und daher ausgelassen: {zahl(lauf.schon_brief)} "
            "(noch einmal schreiben: --erneut)."
        )
    for warnung in lauf.warnungen:
        console.klartext(f"  {warnung}", "yellow")  # names config sections in [brackets], which are no markup
    if result.ausgelassen:
        console.hinweis(
            f"  Ohne Brief: {zahl(len(result.ausgelassen))} (Anschrift nicht verwendbar oder Sperrvermerk):"
        )
        for nummer, grund in result.ausgelassen[:20]:
            console.hinweis(f"    {nummer}: {grund}")
        if len(result.ausgelassen) > 20:
            console.hinweis(f"    … und {zahl(len(result.ausgelassen) - 20)} weitere (alle mit --json).")


# --- bericht ---


# The terminal shows every group up to this many; above it the best and the weakest ``BERICHT_JE`` each (the
# full table is in the report's files: 500 rows of a Landesverband would only scroll past).
BERICHT_ALLE_BIS = 25
BERICHT_JE = 10


def _bericht_auswahl(result) -> tuple[list[Any], str, int]:  # noqa: ANN001 - bericht.Bericht
    """The groups the terminal table shows, what the title adds, and how many are left out.

    Up to :data:`BERICHT_ALLE_BIS` groups: all, in the report's order. More: the first and last
    :data:`BERICHT_JE` of the ranking by "Standard erfüllt" when that many are ranked, else the largest and the
    smallest by members.
    """
    from mitgliederarbeit.ausgaben.bericht import EBENE_MEHRZAHL

    gruppen = list(result.gruppen)
    if len(gruppen) <= BERICHT_ALLE_BIS:
        return gruppen, "", 0
    je = BERICHT_JE
    mehrzahl = EBENE_MEHRZAHL[result.ebene]
    gerankt = [r.werte for r in result.rangfolge if r.rang is not None]
    if len(gerankt) >= 2 * je:
        folge, wie = gerankt, f"die {je} besten und die {je} schwächsten {mehrzahl} nach „Standard erfüllt“"
    else:
        folge = sorted(gruppen, key=lambda w: (-w.mitglieder, w.name.casefold()))
        wie = f"die {je} größten und die {je} kleinsten {mehrzahl}"
    return [*folge[:je], None, *folge[-je:]], f" – {wie}", len(gruppen) - 2 * je


def bericht(result) -> None:  # noqa: ANN001 - bericht.Bericht
    """The short table of the report, what stands out, and where the three files are.

    With more than :data:`BERICHT_ALLE_BIS` groups the table shows the top and the bottom ones and says where the
    rest is (see :func:`_bericht_auswahl`).
    """
    from mitgliederarbeit.ausgaben.bericht import EBENE_MEHRZAHL, EBENE_NAME
    from mitgliederarbeit.auswertung import kennzahlen as kz

    m = result.min_fallzahl
    k = result.kennzahlen
    keine = "keine Daten"
    gezeigt, titel_zusatz, weitere = _bericht_auswahl(result)
    zeilen = [
        [
            w.name,
            kz.anzahl_text(w.mitglieder, m),
            kz.anzahl_text(w.eintritte, m),
            keine
            if k.schritte and k.ohne_daten(0)
            else kz.anteil_text(w.schritte[0], m)
            if w.schritte
            else "–",
            kz.anteil_text(w.standard, m) if k.mit_daten else keine,
            kz.anteil_text(w.bindung, m),
        ]
        if w is not None
        else ["…"] * 6
        for w in [*gezeigt, k.gesamt]
    ]
    erster = k.schritte[0]["name"] if k.schritte else "Erster Schritt"
    console.tabelle(
        f"Neumitgliederarbeit {k.zeitraum.text()}{titel_zusatz}",
        [
            EBENE_NAME[result.ebene],
            "Mitglieder",
            "Eintritte (unvollst.)" if k.bestand_unvollstaendig else "Eintritte",
            erster,
            "Standard erfüllt",
            "Bindung 1. Jahr (unvollst.)" if k.bindung_unvollstaendig else "Bindung 1. Jahr",
        ],
        zeilen,
        rechts={1, 2, 3, 4, 5},
        teilen={0},  # a narrow terminal: in parts, each with the Ortsverein, every figure and word whole
    )
    if weitere:
        dateien = " und ".join(p.name for art, p in result.dateien.items() if art in ("xlsx", "html"))
        mehrzahl = EBENE_MEHRZAHL[result.ebene]  # always several: more than 25 groups, 20 of them shown
        console.meldung(f"… {zahl(weitere)} weitere {mehrzahl} – vollständig in {dateien or 'den Dateien'}.")
    for satz in result.auffaelligkeiten[:5]:
        console.hinweis(f"• {satz}")
    if len(result.auffaelligkeiten) > 5:
        console.hinweis(f"  … und {zahl(len(result.auffaelligkeiten) - 5)} weitere im Bericht.")
    for hinweis in result.hinweise:
        console.hinweis(hinweis)
    anzahl = len(result.gruppen)
    ebene = EBENE_NAME[result.ebene] if anzahl == 1 else EBENE_MEHRZAHL[result.ebene]
    console.meldung(f"Bericht für {zahl(anzahl)} {ebene} geschrieben: {result.ordner}")
    console.meldung("  " + ", ".join(p.name for p in result.dateien.values()))


def praktiken_vorlage(result) -> None:  # noqa: ANN001 - bericht.Vorlage
    console.meldung(
        f"Umfrage für {mal(result.ortsvereine, 'Ortsverein', 'Ortsvereine')} geschrieben: {result.datei}"
    )
    console.meldung("Ausgefüllt zurück mit: mitglieder bericht --praktiken " + result.datei.name)


# --- demo ---


def demo(result) -> None:  # noqa: ANN001 - demo.Demo
    """The demo's summary; the folder named relative to the current one when it lies below it."""
    from pathlib import Path

    try:
        anzeige = str(result.ordner.relative_to(Path.cwd().resolve()))
    except ValueError:
        anzeige = str(result.ordner)
    for zeile in result.zusammenfassung(anzeige):
        fett = zeile[:1].isdigit() or zeile.startswith(("Demo fertig", "Die Dateien", "Selbst weiter"))
        console.klartext(zeile, "bold" if fett else None)


# --- kontakt, ortsvereine ---


def kontakt(result) -> None:  # noqa: ANN001 - einlesen.kontakte.Kontakt
    was = ARTEN_NAMEN.get(result.art, result.art)
    wer = f"{result.mitgliedsnummer} {result.name} (Ortsverein {result.ortsverein})"
    if result.art == PATE:
        was = f"{was}: {result.pate}"
    if not result.erfasst:
        console.meldung(f"Schon erfasst: {was} am {dt.de(result.datum)} für {wer} – nichts geändert.")
        return
    console.meldung(f"Erfasst: {was} am {dt.de(result.datum)} für {wer}.")
    if result.pate_vorher:
        console.meldung(f"  Bisherige Pat*in: {result.pate_vorher}.")
    if result.notiz:
        console.meldung(f"  Notiz: {result.notiz}")
    if result.nach_stichtag:
        console.hinweis(
            f"  Das Datum liegt nach dem Stichtag ({dt.de(result.stichtag)}): der Kontakt zählt erst ab dem "
            f"{dt.de(result.datum)}."
        )
    if result.vor_eintritt:
        console.hinweis(
            f"  Das Datum liegt vor dem Eintritt ({dt.de(result.eintritt)}): der Kontakt zählt für keinen "
            "Schritt des Standards."
        )
    if result.ausgetreten:
        console.hinweis(f"  Hinweis: seit {dt.de(result.ausgetreten)} nicht mehr Mitglied.")


def ortsvereine(result, ordner=None) -> None:  # noqa: ANN001 - ausgaben.ortsvereine.PaketErgebnis, Path
    for text in result.warnungen:
        console.hinweis(text)
    if not result.pakete:
        console.meldung("Keine Ortsvereine mit Mitgliedern am Stichtag – nichts geschrieben.")
        return
    console.meldung(
        f"{mal(len(result.pakete), 'Paket', 'Pakete')} geschrieben: {_kurzpfad(str(result.ordner), ordner)}"
    )
    seit = [
        f"letztem Paket ({dt.de(dt.from_iso(p.seit_paket))})" if p.seit_paket else dt.de(p.seit)
        for p in result.pakete
    ]
    einmal = len(set(seit)) == 1  # the same for every Ortsverein: said once, in the title, not in every row
    console.tabelle(
        f"Pakete am {dt.de(result.stichtag)}" + (f", Änderungen seit {seit[0]}" if einmal else ""),
        [
            "Ortsverein",
            "Neue Mitglieder",
            "überfällig",
            "fällig",
            "Änderungen",
            *([] if einmal else ["seit"]),
        ],
        [
            [
                p.ortsverein,
                zahl(p.neue_mitglieder),
                zahl(p.ueberfaellig),
                zahl(p.faellig),
                zahl(p.aenderungen),
                *([] if einmal else [ab]),
            ]
            for p, ab in zip(result.pakete, seit)
        ],
        rechts={1, 2, 3, 4},
        teilen={0},  # a narrow terminal: in parts, each with the Ortsverein, every figure and word whole
    )
    if result.verschluesselt:
        console.meldung(
            "Jede Datei ist mit dem Kennwort geschützt; das Kennwort bitte auf anderem Weg mitteilen."
        )
    else:
        console.hinweis(
            "Ohne Kennwort geschrieben: per E-Mail nur geschützt verschicken (mitglieder ortsvereine "
            "--passwort-abfragen)."
        )
    console.meldung(
        f"Löschen: spätestens am {dt.de(result.loeschen_am)}. Ausgefüllt zurück mit: mitglieder import DATEI"
    )
