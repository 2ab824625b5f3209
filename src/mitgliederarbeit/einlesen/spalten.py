"""The column schema: normalized fields, their synonyms, and finding the header row of an export."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from mitgliederarbeit import felder
from mitgliederarbeit.einlesen import erkennung
from mitgliederarbeit.einlesen.erkennung import Erkennung, Kandidat
from mitgliederarbeit.errors import BedienFehler, EingabeFehler
from mitgliederarbeit.zahlen import mal

# Field (see :mod:`felder`) -> synonyms as exports write them. Matching ignores case, spaces, dots, hyphens, underscores,
# and umlaut spellings (ä = ae), see :func:`normalize_header`.
SYNONYME: dict[str, tuple[str, ...]] = {
    "mitgliedsnummer": (
        "Mitgliedsnummer",
        "Mitgl.-Nr.",
        "Mitglieds-ID",
        "Mitgliedernummer",
        "Member ID",
        "Mitgliedsnr",
        "Mitglieds-Nr.",
        "Mitglied-Nr.",
        "Mitgliedernr",
        "Mitgl.Nr",
        "Mitglieds ID",
        "Mitgliedskennung",
        "Member Number",
        "Membership Number",
        "member_number",
        "Externe Mitgliedsnummer",
        "Mitgliedsnummer (Intern)",
    ),
    "anrede": ("Anrede", "Salutation", "Briefanrede"),
    "titel": ("Titel", "akad. Grad", "akademischer Grad", "Title", "Akad. Titel"),
    "geschlecht": ("Geschlecht", "Gender", "Sex"),
    "vorname": ("Vorname", "Vornamen", "Rufname", "First Name", "Firstname", "Given Name"),
    "nachname": (
        "Nachname",
        "Name",
        "Familienname",
        "Zuname",
        "Last Name",
        "Lastname",
        "Surname",
        "Family Name",
        "Name, Vorname",
        "Nachname, Vorname",
    ),
    "strasse": (
        "Straße",
        "Strasse",
        "Str.",
        "Straße_1",
        "Strasse 1",
        "Straße und Hausnummer",
        "Straße mit Hausnummer",
        "Straße, Hausnummer",
        "Straße/Hausnummer",
        "Straße Nr.",
        "Anschrift",
        "Adresse",
        "Street",
        "Address",
        "Address Line 1",
    ),
    "hausnummer": (
        "Hausnummer",
        "Hausnr.",
        "Hausnr",
        "Hnr.",
        "Haus-Nr.",
        "House Number",
        "Hausnummer Zusatz",
    ),
    "adresszusatz": (
        "Adresszusatz",
        "c/o",
        "Zusatz",
        "Anschriftenzusatz",
        "Adresse Zusatz",
        "Address Line 2",
        "Straße_2",
        "Strasse 2",
    ),
    "plz": ("PLZ", "Postleitzahl", "Zip", "Zip Code", "Postal Code", "Postcode"),
    "ort": ("Ort", "Wohnort", "Stadt", "City", "Town", "Gemeinde Wohnort"),
    "land": ("Land", "Staat", "Country", "Länderkennzeichen", "Wohnland"),
    "geburtsdatum": (
        "Geburtsdatum",
        "Geb.-Datum",
        "Geburtstag",
        "Geb-Datum",
        "Geb. Datum",
        "Geboren",
        "Geboren am",
        "geburts_datum",
        "geburts_datum_TT.MM.JJJJ",
        "Date of Birth",
        "Birthdate",
        "Birthday",
        "born_at",
    ),
    "eintrittsdatum": (
        "Eintrittsdatum",
        "Eintritt",
        "Aufnahmedatum",
        "Mitglied seit",
        "Eintritt am",
        "eintritts_datum",
        "Beitrittsdatum",
        "Beitritt",
        "Aufnahme",
        "Join Date",
        "Joined",
        "Member Since",
        "Beginn Mitgliedschaft",
        "Mitgliedschaft seit",
    ),
    "austrittsdatum": (
        "Austrittsdatum",
        "Austritt",
        "Austritt am",
        "austritts_datum",
        "Ende Mitgliedschaft",
        "Mitglied bis",
        "Exit Date",
        "Left",
        "Kündigungsdatum",
    ),
    "telefon": (
        "Telefon",
        "Telefon privat",
        "Festnetz",
        "Tel.",
        "Tel",
        "Telefonnummer",
        "Telefon_1",
        "Tel. privat",
        "Telefon (privat)",
        "Phone",
        "Home Phone",
        "Festnetznummer",
        "Telefon 1",
    ),
    "mobil": (
        "Mobil",
        "Mobiltelefon",
        "Handy",
        "Mobilfunknummer",
        "Mobilnummer",
        "Handynummer",
        "Mobilfunk",
        "Telefon mobil",
        "Mobile",
        "Mobile Phone",
        "Cell",
    ),
    "email": (
        "E-Mail",
        "Email",
        "eMail",
        "E-Mail-Adresse",
        "Mail",
        "E-Mail Adresse",
        "Emailadresse",
        "eMail_1",
        "E-Mail privat",
        "Email Address",
        "E-Mail 1",
        "Haupt-E-Mail",
    ),
    "ortsverein": (
        "Ortsverein",
        "OV",
        "Gliederung",
        "Ortsverband",
        "Basisorganisation",
        "Abteilung",
        "Distrikt",
        "Ortsgruppe",
        "Ortsabteilung",
        "Ortsverein Name",
        "BO",
        "Stadtteilgruppe",
        "Ortssektion",
        "Branch",
        "Local Branch",
        "Local Group",
        "Chapter",
    ),
    "unterbezirk": ("Unterbezirk", "UB", "Kreisverband", "KV", "Kreis", "Bezirksverband"),
    "kein_anruf": ("Kein Anruf", "Keine Anrufe", "Telefonsperre", "Do Not Call", "Nicht anrufen"),
    "keine_post": ("Keine Post", "Postsperre", "Keine Briefe"),
    "keine_email": ("Keine E-Mail", "Keine Mail", "E-Mail-Sperre", "Mailsperre"),
    "sperrvermerk": ("Sperrvermerk", "Sperrvermerke", "Kontaktsperre", "Sperren", "Werbesperre"),
    # "Telefonkontakt erwünscht: nein" blocks a channel too; the value is inverted when read.
    "anruf_erwuenscht": (
        "Telefonkontakt erwünscht",
        "Anruf erwünscht",
        "Telefonkontakt",
        "Telefonische Kontaktaufnahme",
    ),
    "post_erwuenscht": ("Post erwünscht", "Briefkontakt erwünscht"),
    "email_erwuenscht": ("E-Mail erwünscht", "E-Mail-Kontakt erwünscht", "Email Opt In", "email_opt_in"),
}

FELDER: tuple[str, ...] = felder.NAMEN
PFLICHT = felder.PFLICHT  # plus vorname or nachname
FELD_NAMEN = felder.LABELS  # German labels for messages


def normalize_header(text: object) -> str:
    """``"Mitgl.-Nr."`` -> ``"mitglnr"``; ``"Straße_1"`` -> ``"strasse1"``; ``"E-Mail"`` -> ``"email"``."""
    return erkennung.normalize(text)


@dataclass
class Kopf:
    """The header row of a table and how its columns map to fields."""

    zeile: int  # 0-based index of the header row in the sheet
    spalten: list[str]  # the header cells as written
    zuordnung: dict[str, int] = field(default_factory=dict)  # field -> column index
    titel: list[str] = field(default_factory=list)  # the non-empty lines above the header
    erkennung: Erkennung | None = None  # why each column was taken, and the sample it looked at
    breite: int = 0  # columns of the file itself (the import may add some at the right)
    # an export without numbers: row -> the other rows whose name and birth date give the same derived key
    gleicher_schluessel: dict[int, list[int]] = field(default_factory=dict)

    def quelle(self, feld: str) -> str | None:
        """The header of the column a field comes from."""
        col = self.zuordnung.get(feld)
        return None if col is None or col >= len(self.spalten) else self.spalten[col]


# rows below the header the recognizer looks at (all of them in an ordinary export)
PROBE_ZEILEN = 5000


def find_header(
    rows: Sequence[Sequence[object]],
    *,
    extra: Mapping[str, Iterable[str]] | None = None,
    explizit: Mapping[str, str] | None = None,
    max_scan: int = 60,
    bekannt: erkennung.Bekannt | None = None,
) -> Kopf | None:
    """Find the header row below a title block (the first of the rows that name the most fields among the
    first ``max_scan``) and map its columns, the rows below deciding between candidates (:mod:`erkennung`)."""
    index = erkennung.index(SYNONYME, extra, explizit)
    best, best_score = None, 1.0
    for i, row in enumerate(rows[:max_scan]):
        score = erkennung.kopf_wert(row, index)
        if score > best_score:
            best, best_score = i, score
    if best is None:
        return None
    header = [("" if c is None else str(c).strip()) for c in rows[best]]
    probe = rows[best + 1 : best + 1 + PROBE_ZEILEN]
    proben = [[row[c] if c < len(row) else None for row in probe] for c in range(len(header))]
    result = erkennung.erkenne(
        header, proben, synonyme=SYNONYME, extra=extra, explizit=explizit, bekannt=bekannt
    )
    result.alle_zeilen = len(rows) <= best + 1 + PROBE_ZEILEN
    kopf = Kopf(
        zeile=best, spalten=header, zuordnung=dict(result.zuordnung), erkennung=result, breite=len(header)
    )
    for row in rows[:best]:
        line = " ".join(str(c).strip() for c in row if c not in (None, "") and str(c).strip())
        if line:
            kopf.titel.append(line)
    return kopf


def parse_spalte_option(values: Sequence[str]) -> dict[str, str]:
    """``--spalte ZIEL=QUELLE`` (repeatable) -> {field: source column}. ``eintrittsdatum=`` with nothing after it
    says the export has no join date (a date column beside it, "Erstellt am", is then not taken for one)."""
    result = {}
    for value in values:
        target, sep, source = value.partition("=")
        target = target.strip().lower()
        if sep and not source.strip() and target == "eintrittsdatum":
            result[target] = ""
            continue
        if not sep or not source.strip():
            raise BedienFehler(
                f"--spalte „{value}“: bitte als ZIEL=QUELLE angeben, z. B. --spalte ortsverein=Gliederung."
            )
        if target not in FELDER:
            raise BedienFehler(f"--spalte: unbekanntes Feld „{target}“. Erlaubt: {', '.join(FELDER)}.")
        result[target] = source.strip()
    return result


class SpalteFehlt(EingabeFehler):
    """A required field has no usable column; ``kandidaten`` are the headers that could hold it, best first
    (the terminal offers them to pick from)."""

    def __init__(self, message: str, *, hint: str | None, feld: str, kandidaten: Sequence[str]) -> None:
        super().__init__(message, hint=hint)
        self.feld = feld
        self.kandidaten = list(dict.fromkeys(k for k in kandidaten if k))


def kein_kopf(rows: Sequence[Sequence[object]], datei: str) -> EingabeFehler:
    """No header found: say which line was looked at first, and how to map a column."""
    erste = next(
        (
            (i, [str(c).strip() for c in row if c not in (None, "") and str(c).strip()])
            for i, row in enumerate(rows[:60])
            if any(c not in (None, "") and str(c).strip() for c in row)
        ),
        None,
    )
    gesehen = ""
    if erste:
        zellen = erste[1][:8]
        mehr = " …" if len(erste[1]) > 8 else ""
        gesehen = f" Erste beschriebene Zeile ({erste[0] + 1}): {', '.join(zellen)}{mehr}."
    return EingabeFehler(
        f"{datei}: keine Kopfzeile gefunden (erwartet z. B. Mitgliedsnummer, Name, Eintritt, Ortsverein).{gesehen}",
        hint="Stehen die Spaltenüberschriften in der Datei? Eigene Namen lassen sich mit "
        '--spalte mitgliedsnummer="Ihr Spaltenname" zuordnen.',
    )


def _kandidat_text(k: Kandidat, feld: str, alle_zeilen: bool = True) -> str:
    if not k.zeilen:
        return f"„{k.kopf}“"
    extra = ", Werte eindeutig" if feld == "mitgliedsnummer" and k.eindeutig and k.gefuellt > 1 else ""
    return f"„{k.kopf}“ ({erkennung.fuellung(k, alle_zeilen)}{extra})"


def _label(feld: str) -> str:
    return FELD_NAMEN.get(feld, feld)


def check_required(kopf: Kopf, datei: str) -> None:
    """A required column missing, unclear or mostly empty makes the whole file unusable: say which, what the
    candidates are and the exact ``--spalte`` that maps one."""
    result = kopf.erkennung
    alle = result is None or result.alle_zeilen
    for wahl in result.felder.values() if result else []:
        if wahl.bestand_passt is not None and (k := wahl.gewaehlt) is not None:
            _bestand_passt_nicht(wahl, k, wahl.bestand_passt, datei)
    for wahl in result.unklar if result else []:
        if wahl.feld == "mitgliedsnummer" and any(k.leer for k in wahl.infrage):
            _nummer_unklar(wahl, datei, alle)
        kandidaten = wahl.infrage or [k for k in wahl.kandidaten if k.passend and not k.meist_leer]
        kandidaten = kandidaten or wahl.kandidaten
        raise SpalteFehlt(
            f"{datei}: für {_label(wahl.feld)} kommen mehrere Spalten infrage, mit verschiedenen Werten: "
            f"{', '.join(_kandidat_text(k, wahl.feld, alle) for k in kandidaten)}.",
            hint=f"Bitte die richtige wählen, z. B. {erkennung.spalte_option(wahl.feld, kandidaten[0].kopf)}.",
            feld=wahl.feld,
            kandidaten=[k.kopf for k in kandidaten],
        )
    missing_fields = [f for f in PFLICHT if f not in kopf.zuordnung and not _ohne_eintritt(kopf, f)]
    missing = [_label(f) for f in missing_fields]
    if "vorname" not in kopf.zuordnung and "nachname" not in kopf.zuordnung:
        missing_fields.append("nachname")
        missing.append("Nachname oder Vorname")
    if missing:
        gefunden = ", ".join(s for s in kopf.spalten[: kopf.breite or None] if s) or "keine"
        first = missing_fields[0]
        warum = ""
        gescheitert = result.felder.get(first) if result else None
        if gescheitert and gescheitert.kandidaten:
            warum = f" ({gescheitert.grund})"
        vorschlaege = erkennung.alternativen(result, first) if result else []
        ov = " Enthält der Export nur eine Gliederung: --ortsverein NAME." if first == "ortsverein" else ""
        if vorschlaege:
            hint = (
                f"Infrage kommt: {', '.join(_kandidat_text(k, first, alle) for k in vorschlaege[:3])}. Zum Beispiel: "
                f"{erkennung.spalte_option(first, vorschlaege[0].kopf)}.{ov}"
            )
        elif first == "ortsverein" and "unterbezirk" not in kopf.zuordnung:
            # no column looks like branch names: mapping one ("Zahlungsweg", "Firma") would store every member in
            # a branch of that name; the one way left is to name the unit of the whole export
            hint = (
                "Keine Spalte der Datei sieht nach Namen von Gliederungen aus. Enthält der Export nur eine "
                "Gliederung, geben Sie sie an: --ortsverein NAME."
            )
        else:
            source = "Ihr Spaltenname"
            if first == "ortsverein" and "unterbezirk" in kopf.zuordnung:
                source = kopf.spalten[
                    kopf.zuordnung["unterbezirk"]
                ]  # a Kreisverband export: the KV is the unit
            hint = (
                f'Ordnen Sie die Spalte zu, z. B. mit --spalte {first}="{source}" '
                f"oder dauerhaft in mitglieder.toml unter [import.spalten].{ov}"
            )
        if first == "eintrittsdatum":
            # a date column that is no join date ("Erstellt am") must not become one just to get the file in
            hint += (
                " Hat der Export gar kein Eintrittsdatum: --spalte eintrittsdatum= (ohne Spaltenname); dann gilt "
                "der Eintritt als unbekannt bzw. geschätzt."
            )
        raise SpalteFehlt(
            f"{datei}: Pflichtspalte fehlt: {', '.join(missing)}{warum} "
            f"(Kopfzeile in Zeile {kopf.zeile + 1}: {gefunden}).",
            hint=hint,
            feld=first,
            kandidaten=[k.kopf for k in vorschlaege],
        )
    if result:
        _check_gefuellt(kopf, result, datei)


def _ohne_eintritt(kopf: Kopf, feld: str) -> bool:
    """An export without any join-date column: no column is named for it and none looks like one. It comes in;
    the join dates are unknown or estimated (see :mod:`einlesen.abgleich`)."""
    if feld != "eintrittsdatum" or feld in kopf.zuordnung:
        return False
    if kopf.erkennung is None or feld in kopf.erkennung.ohne:
        return True
    wahl = kopf.erkennung.felder.get(feld)
    if wahl is not None and wahl.kandidaten:
        return False  # a column named for it whose values are no dates (or none at all): the message says why
    # a date column under a name we do not know may be the join date: then the message offers it
    return not erkennung.alternativen(kopf.erkennung, feld)


def _mit_anteil(k: Kandidat, alle_zeilen: bool) -> str:
    """„Mitglieds-ID“ (in 6 von 10 Zeilen gefüllt, 60 %) / „CiviCRM ID“ (in jeder Zeile gefüllt, Werte eindeutig)."""
    if not k.zeilen:
        return f"„{k.kopf}“"
    teile = [erkennung.fuellung(k, alle_zeilen)]
    if k.leer:
        teile[0] += f" / {round(100 * erkennung.fuellanteil(k))} %"
    if k.eindeutig and k.gefuellt > 1:
        teile.append("Werte eindeutig")
    return f"„{k.kopf}“ ({', '.join(teile)})"


def _nummer_unklar(wahl: erkennung.Feldwahl, datei: str, alle_zeilen: bool) -> None:
    """A partly filled number column beside a full one with unique numbers: never guessed."""
    namen = [_mit_anteil(k, alle_zeilen) for k in wahl.infrage]
    optionen = [erkennung.spalte_option(wahl.feld, k.kopf) for k in wahl.infrage]
    raise SpalteFehlt(
        f"{datei}: für {_label(wahl.feld)} kommen mehrere Spalten infrage: {', '.join(namen[:-1])} und "
        f"{namen[-1]}. Welche die Mitgliedsnummer ist, lässt sich nicht sicher sagen; mit der falschen stünden "
        "alle Mitglieder unter falschen Nummern im Bestand.",
        hint=f"Bitte die richtige wählen: {' oder '.join(optionen)} – und bei jedem weiteren Export dieselbe "
        "(dauerhaft in mitglieder.toml unter [import.spalten]).",
        feld=wahl.feld,
        kandidaten=[k.kopf for k in wahl.infrage],
    )


def _bestand_passt_nicht(wahl: erkennung.Feldwahl, k: Kandidat, besser: Kandidat, datei: str) -> None:
    """The column given for the member number holds almost none of the store's numbers, another many: every
    member would leave and come back under a new number."""
    raise EingabeFehler(
        f"{datei}: die Spalte „{k.kopf}“ enthält kaum Mitgliedsnummern des Bestands "
        f"({round(100 * wahl.anteile.get(k.spalte, 0))} %), „{besser.kopf}“ aber "
        f"{round(100 * wahl.anteile.get(besser.spalte, 0))} %. Mit „{k.kopf}“ gälten alle bisherigen Mitglieder "
        "als ausgetreten und alle als neu eingetreten. Es wurde nichts geändert.",
        hint=f"Die Mitgliedsnummern stehen in „{besser.kopf}“: {erkennung.spalte_option(wahl.feld, besser.kopf)} "
        "(bzw. die Zuordnung in mitglieder.toml unter [import.spalten] anpassen).",
    )


# a required column empty in more than half of the rows (and in at least this many) stops the file
MEIST_LEER_AB = 3


def _check_gefuellt(kopf: Kopf, result: Erkennung, datei: str) -> None:
    felder = list(PFLICHT)
    felder.append("nachname" if "nachname" in kopf.zuordnung else "vorname")
    for feld in felder:
        wahl = result.felder.get(feld)
        k = wahl.gewaehlt if wahl else None
        if k is None or k.art == erkennung.EIGENE or not k.meist_leer or k.leer < MEIST_LEER_AB:
            continue
        if feld in ("vorname", "nachname"):
            anderes = result.felder.get("vorname" if feld == "nachname" else "nachname")
            if anderes and anderes.gewaehlt and not anderes.gewaehlt.meist_leer:
                continue  # a name is in every row: first or last
        von = "von" if result.alle_zeilen else "der ersten"
        text = f"{datei}: {_label(feld)} ist in {k.leer} {von} {mal(k.zeilen, 'Zeile', 'Zeilen')} leer (Spalte „{k.kopf}“)"
        vorschlaege = erkennung.alternativen(result, feld)
        if vorschlaege:
            v = vorschlaege[0]
            text += (
                f"; „{v.kopf}“ ist {erkennung.fuellung(v, result.alle_zeilen)}: "
                f"{erkennung.spalte_option(feld, v.kopf)}"
            )
        hint = "Bitte die Spalte im Export füllen oder mit --spalte eine gefüllte Spalte zuordnen."
        if feld == "ortsverein":
            hint += " Enthält der Export nur eine Gliederung: --ortsverein NAME."
        raise SpalteFehlt(text + ".", hint=hint, feld=feld, kandidaten=[v.kopf for v in vorschlaege])
