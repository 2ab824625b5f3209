"""German summaries of core results, for the terminal. Uses :mod:`console`; never imported by the core."""

from __future__ import annotations

from mitgliederarbeit import console
from mitgliederarbeit import datum as dt
from mitgliederarbeit.console import zahl

_QUELLE = {
    "option": "aus --stand",
    "titel": "aus der Titelzeile",
    "stichtag": "Stichtag, kein Stand in der Datei",
    "fehlerdatei": "aus der Fehlerdatei",
}


def import_zusammenfassung(result) -> None:  # noqa: ANN001 - ImportErgebnis, imported lazily
    name = result.datei.rsplit("/", 1)[-1]
    if result.bereits_importiert:
        console.meldung(f"{name}: wurde bereits importiert – nichts geändert.")
        return
    if result.art in ("anrufliste", "teilnahme"):
        console.meldung(
            result.details.get("zusammenfassung", f"{name}: {zahl(result.uebernommen)} übernommen.")
        )
    else:
        vorab = "Trockenlauf – es wurde nichts geändert. " if result.trockenlauf else ""
        stand = f"Stand {dt.de(result.stand)} ({_QUELLE.get(result.stand_quelle, result.stand_quelle)})"
        console.meldung(f"{vorab}{name}: {stand}, {zahl(result.ortsvereine)} Ortsvereine.")
        console.meldung(
            f"  {zahl(result.gelesen)} Zeilen gelesen, {zahl(result.uebernommen)} übernommen, "
            f"{zahl(result.abgelehnt)} abgelehnt, {zahl(result.warnungen)} Warnungen."
        )
        if result.erstimport:
            console.meldung(f"  Erster Import: {zahl(result.eintritte)} Mitglieder neu im Bestand.")
        else:
            wieder = f", {zahl(result.wiedereintritte)} Wiedereintritte" if result.wiedereintritte else ""
            console.meldung(
                f"  Eintritte: {zahl(result.eintritte)}, Austritte: {zahl(result.austritte)}, "
                f"Wechsel: {zahl(result.wechsel)}, Änderungen: {zahl(result.aenderungen)}{wieder}."
            )
    schwer = [p for p in result.probleme if p.schwer]
    for problem in schwer[:10]:
        console.hinweis(f"  Zeile {problem.zeile}: {problem.meldung}")
    if len(schwer) > 10:
        console.hinweis(f"  … und {zahl(len(schwer) - 10)} weitere.")
    if result.fehlerdatei:
        console.meldung(f"  Abgelehnte Zeilen und Warnungen: {result.fehlerdatei}")
        if result.abgelehnt:
            console.meldung("  Bitte dort korrigieren und die Datei erneut importieren.")


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
    if result.ausgefuehrt:
        console.meldung(f"Gelöscht: persönliche Daten von {zahl(result.mitglieder)} Mitgliedern, die vor dem {grenze} "
                        f"ausgetreten sind, und {zahl(result.notizen)} ältere Gesprächsnotizen. "
                        "Der Datenbestand wurde verdichtet.")
        if result.sicherungen_geloescht:
            console.meldung(f"{zahl(result.sicherungen_geloescht)} Sicherungen gelöscht, weil sie diese Daten noch "
                            "enthielten.")
        return
    if not result.mitglieder and not result.notizen:
        console.meldung(f"Nichts zu löschen: niemand ist vor dem {grenze} ausgetreten.")
        return
    console.meldung(f"Zu löschen: persönliche Daten von {zahl(result.mitglieder)} Mitgliedern, die vor dem {grenze} "
                    f"ausgetreten sind, und {zahl(result.notizen)} Gesprächsnotizen von vor dem {grenze}.")
    for ov, count in sorted(result.ortsvereine.items()):
        console.meldung(f"  {ov}: {zahl(count)}")
    console.meldung("Übrig bleiben anonyme Zeilen (Ortsverein, Eintritts- und Austrittsmonat, Geschlecht, "
                    "Geburtsjahr) für die Berichte.")


def protokoll(entries) -> None:  # noqa: ANN001 - list[datenschutz.Eintrag]
    if not entries:
        console.meldung("Noch keine Ausgaben mit persönlichen Daten.")
        return
    console.tabelle("Ausgaben mit persönlichen Daten", ["Zeit", "Befehl", "Segment", "Personen", "Datei"],
                    [[e.zeit.replace("T", " "), e.befehl, e.segment or "", zahl(e.anzahl), e.pfad] for e in entries],
                    rechts={3})


def sicherungen(backups) -> None:  # noqa: ANN001 - list[sicherung.Sicherung]
    if not backups:
        console.meldung("Noch keine Sicherungen. Sie entstehen vor jeder Änderung des Datenbestands.")
        return
    console.tabelle("Sicherungen (neueste zuerst)", ["Name", "Zeit", "Größe"],
                    [[b.name, b.zeit.strftime("%d.%m.%Y %H:%M:%S"), f"{b.groesse / 1024:.0f} KB"] for b in backups],
                    rechts={2})
    console.meldung("Zurückspielen: mitglieder sicherung --wiederherstellen NAME")


# --- segmente, anrufliste ---


# --- briefe ---


# --- bericht ---


def bericht(result) -> None:  # noqa: ANN001 - bericht.Bericht
    """The short table of the report, what stands out, and where the three files are."""
    from mitgliederarbeit import kennzahlen as kz
    from mitgliederarbeit.bericht import EBENE_MEHRZAHL, EBENE_NAME

    m = result.min_fallzahl
    k = result.kennzahlen
    zeilen = [
        [
            w.name,
            kz.anzahl_text(w.mitglieder, m),
            kz.anzahl_text(w.eintritte, m),
            kz.anteil_text(w.schritte[0], m) if w.schritte else "–",
            kz.anteil_text(w.standard, m),
            kz.anteil_text(w.bindung, m),
        ]
        for w in [*result.gruppen, k.gesamt]
    ]
    erster = k.schritte[0]["name"] if k.schritte else "Erster Schritt"
    console.tabelle(
        f"Neumitgliederarbeit {k.zeitraum.text()}",
        [EBENE_NAME[result.ebene], "Mitglieder", "Eintritte", erster, "Standard erfüllt", "Bindung 1. Jahr"],
        zeilen,
        rechts={1, 2, 3, 4, 5},
    )
    for satz in result.auffaelligkeiten[:5]:
        console.hinweis(f"• {satz}")
    if len(result.auffaelligkeiten) > 5:
        console.hinweis(f"  … und {zahl(len(result.auffaelligkeiten) - 5)} weitere im Bericht.")
    for hinweis in result.hinweise:
        console.hinweis(hinweis)
    console.meldung(
        f"Bericht für {zahl(len(result.gruppen))} {EBENE_MEHRZAHL[result.ebene]} geschrieben: {result.ordner}"
    )
    console.meldung("  " + ", ".join(p.name for p in result.dateien.values()))


def praktiken_vorlage(result) -> None:  # noqa: ANN001 - bericht.Vorlage
    console.meldung(f"Umfrage für {zahl(result.ortsvereine)} Ortsvereine geschrieben: {result.datei}")
    console.meldung("Ausgefüllt zurück mit: mitglieder bericht --praktiken " + result.datei.name)
