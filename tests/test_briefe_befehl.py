"""``mitglieder briefe`` end to end: segment -> letters -> contacts, as an officer runs it."""

from __future__ import annotations

import shutil
import sqlite3

from docx import Document

from .conftest import EXAMPLES


def _bestand(beispielbestand):
    shutil.copy(EXAMPLES / "mitglieder.toml", beispielbestand.pfad / "mitglieder.toml")
    return beispielbestand.pfad


def _segment(mitglieder, folder, name):
    return mitglieder("--ordner", folder, "--stichtag", "01.09.2026", "--json", "segmente").json()[name]


def test_letters_for_new_members_are_written_and_recorded(mitglieder, beispielbestand):
    folder = _bestand(beispielbestand)
    before = _segment(mitglieder, folder, "neu-ohne-brief")
    run = mitglieder("--ordner", folder, "--stichtag", "01.09.2026", "briefe")
    assert run.code == 0
    target = folder / "ausgabe" / "briefe-2026-09-01"
    files = sorted(target.glob("*.docx"))
    lines = run.err.splitlines()
    assert (
        lines[0]
        == f"{len(files)} Willkommensbriefe (Segment „neu-ohne-brief“) in {target}: {len(files)} Dateien."
    )
    assert lines[1] == f"  Als Kontakt „brief“ vermerkt: {len(files)}."
    # Ortsvereine of the example without a contact person of their own are named, brackets and all
    assert lines[2].startswith("  Keine Ansprechperson eingetragen für die Ortsvereine „Am Hafen“, ")
    assert lines[2].endswith(
        "; in den Briefen steht stattdessen Erika Beispiel ([organisation] unterschrift) als Ansprechperson. "
        'Bitte in mitglieder.toml eintragen: [ortsvereine."Am Hafen"] ansprechperson = "…".'
    )
    assert lines[3] == "  Ohne Brief: 1 (Anschrift nicht verwendbar oder Sperrvermerk):"
    assert len(files) == before - 1
    assert all(f.stat().st_mode & 0o777 == 0o600 for f in files)
    # the segment shrinks to the one member who may not get post
    assert _segment(mitglieder, folder, "neu-ohne-brief") == 1
    conn = sqlite3.connect(folder / "mitglieder.sqlite")
    assert conn.execute("SELECT count(*), min(datum) FROM kontakte WHERE art = 'brief'").fetchone() == (
        len(files),
        "2026-09-01",
    )
    assert conn.execute(
        "SELECT befehl, segment, anzahl FROM protokoll WHERE befehl = 'briefe'"
    ).fetchone() == ("briefe", "neu-ohne-brief", len(files))
    conn.close()
    # a letter speaks to its member
    text = "\n".join(p.text for p in Document(files[0]).paragraphs)
    number, surname, first = files[0].stem.split("_", 2)
    assert f"Liebe {first}," in text or f"Lieber {first}," in text or f"Hallo {first} {surname}," in text
    assert "{{" not in text


def test_trockenlauf_and_json(mitglieder, beispielbestand):
    folder = _bestand(beispielbestand)
    run = mitglieder(
        "--ordner",
        folder,
        "--stichtag",
        "01.09.2026",
        "--json",
        "briefe",
        "--trockenlauf",
        "--segment",
        "neu",
        "--ein-dokument",
    )
    data = run.json()
    assert run.code == 0
    assert {"ordner", "briefe", "ausgelassen"} <= set(data)
    assert data["ausgelassen"] == {"Sperrvermerk keine Post": 1}
    assert data["erfasst"] == 0 and data["trockenlauf"]
    assert not (folder / "ausgabe" / "briefe-2026-09-01").exists()
    assert _segment(mitglieder, folder, "neu-ohne-brief") == data["briefe"] + 1


def test_template_with_unknown_placeholder_stops_before_writing(mitglieder, beispielbestand, tmp_path):
    folder = _bestand(beispielbestand)
    doc = Document()
    doc.add_paragraph("Hallo {{ vorname }}, dein Pate ist {{ pate }}.")
    template = tmp_path / "eigene.docx"
    doc.save(template)
    run = mitglieder("--ordner", folder, "--stichtag", "01.09.2026", "briefe", "--vorlage", template)
    assert run.code == 1
    assert "pate" in run.err
    assert not (folder / "ausgabe" / "briefe-2026-09-01").exists()
    assert _segment(mitglieder, folder, "neu-ohne-brief") > 1


def test_second_run_writes_no_duplicate_letters(mitglieder, beispielbestand):
    folder = _bestand(beispielbestand)
    mitglieder("--ordner", folder, "--stichtag", "01.09.2026", "briefe")
    run = mitglieder("--ordner", folder, "--stichtag", "01.09.2026", "briefe")
    assert run.code == 0
    assert run.err.splitlines()[0] == "Segment „neu-ohne-brief“: niemand bekommt einen Brief."


def test_no_second_welcome_letter_unless_asked(mitglieder, beispielbestand):
    folder = _bestand(beispielbestand)
    erst = mitglieder("--ordner", folder, "--stichtag", "01.09.2026", "--json", "briefe").json()
    neu = _segment(mitglieder, folder, "neu")
    run = mitglieder(
        "--ordner", folder, "--stichtag", "01.09.2026", "briefe", "--segment", "neu", "--trockenlauf"
    )
    assert run.code == 0
    assert (
        f"  Schon mit Willkommensbrief und daher ausgelassen: {erst['briefe']} (noch einmal schreiben: --erneut)."
        in run.err.splitlines()
    )
    daten = mitglieder(
        "--ordner",
        folder,
        "--stichtag",
        "01.09.2026",
        "--json",
        "briefe",
        "--segment",
        "neu",
        "--trockenlauf",
    ).json()
    assert daten["schon_brief"] == erst["briefe"]
    assert daten["briefe"] + len(daten["ausgelassen_mitglieder"]) == neu - erst["briefe"]
    daten = mitglieder(
        "--ordner", folder, "--stichtag", "01.09.2026", "--json", "briefe", "--segment", "neu", "--erneut",
        "--trockenlauf",
    ).json()  # fmt: skip
    assert daten["schon_brief"] == 0
    assert daten["briefe"] + len(daten["ausgelassen_mitglieder"]) == neu


def test_one_letter_per_household(mitglieder, beispielbestand):
    folder = _bestand(beispielbestand)
    conn = sqlite3.connect(folder / "mitglieder.sqlite")
    # two new members move in together: the second takes the first one's address
    erste, zweite = conn.execute(
        "SELECT mitgliedsnummer FROM mitglieder WHERE keine_post = 0 ORDER BY eintrittsdatum DESC, nr LIMIT 2"
    ).fetchall()
    conn.execute(
        "UPDATE mitglieder SET (strasse, hausnummer, adresszusatz, plz, ort, land) = (SELECT strasse, hausnummer, "
        "adresszusatz, plz, ort, land FROM mitglieder WHERE mitgliedsnummer = ?) WHERE mitgliedsnummer = ?",
        (erste[0], zweite[0]),
    )
    conn.commit()
    conn.close()
    base = ("--ordner", folder, "--stichtag", "01.09.2026")
    daten = mitglieder(*base, "--json", "briefe", "--haushalte", "--trockenlauf").json()
    assert [erste[0], zweite[0]] in daten["haushalte"]
    personen = sum(len(h) for h in daten["haushalte"])
    anzahl = len(daten["haushalte"])
    # "briefe" counts letters, as the text and the files do; "mitglieder" the people they go to
    assert daten["briefe"] == daten["mitglieder"] - personen + anzahl == len(daten["dateien"])
    ziel = folder / "ausgabe" / "briefe-2026-09-01"
    run = mitglieder(*base, "briefe", "--haushalte")
    assert run.code == 0, run.err
    assert run.err.splitlines()[:3] == [
        f"{daten['briefe']} Willkommensbriefe an {daten['mitglieder']} Mitglieder (Segment „neu-ohne-brief“) in "
        f"{ziel}: {daten['briefe']} Dateien.",
        f"  Als Kontakt „brief“ vermerkt: {daten['mitglieder']}.",
        f"  Davon {anzahl} Briefe an Haushalte, je an alle Mitglieder einer Anschrift ({personen} Mitglieder).",
    ]
    assert len(list(ziel.glob("*.docx"))) == daten["briefe"]
    # the same people again, written: the JSON counts what the text said
    ziel = folder / "nochmal"
    run = mitglieder(
        *base, "--json", "briefe", "--haushalte", "--segment", "neu", "--erneut", "--ausgabe", ziel
    )
    assert run.code == 0, run.err
    geschrieben = run.json()
    assert (
        geschrieben["briefe"]
        == len(list(ziel.glob("*.docx")))
        == len(geschrieben["dateien"])
        == daten["briefe"]
    )
    assert geschrieben["mitglieder"] == daten["mitglieder"]
    assert (
        _segment(mitglieder, folder, "neu-ohne-brief") == 1
    )  # every member of a household counts as written to


def _nach_init(mitglieder, beispielbestand):
    """The example store in a folder where `mitglieder init` wrote the config and nobody filled it in."""
    folder = beispielbestand.pfad
    assert mitglieder("--ordner", folder, "init").code == 0
    return folder


FEHLENDE_ORGANISATION = [
    "Fehler: In mitglieder.toml fehlen Angaben, die die Vorlage willkommensbrief.docx braucht; die Briefe wären "
    "sonst unvollständig. Es wurde nichts geschrieben und nichts vermerkt.",
    "  [organisation] partei (oder name): für den Betreff „Willkommen in der …!“",
    "  [organisation] name: der Absender im Briefkopf",
    "  [organisation] absender_zeile: die Rücksendeangabe über der Anschrift",
    "  [organisation] unterschrift: wer unterschreibt; zugleich die Ansprechperson, wo ein Ortsverein keine "
    "eigene hat",
]


def test_letters_after_init_stop_and_name_the_missing_settings(mitglieder, beispielbestand):
    folder = _nach_init(mitglieder, beispielbestand)
    base = ("--ordner", folder, "--stichtag", "01.09.2026")
    for trocken in ((), ("--trockenlauf",)):
        run = mitglieder(*base, "briefe", *trocken)
        assert run.code == 1, run.err
        zeilen = run.err.splitlines()
        assert zeilen[: len(FEHLENDE_ORGANISATION)] == FEHLENDE_ORGANISATION
        # the letters point to the contact details "above right": some way to reach someone must be there
        assert zeilen[len(FEHLENDE_ORGANISATION)].startswith(
            '  [organisation] telefon oder email (oder je Ortsverein [ortsvereine."NAME"] telefon, email): '
            "die Kontaktdaten, auf die der Brief verweist – fehlen für die Ortsvereine „Altstadt“, „Am Hafen“, "
        )
        assert zeilen[-1] == (
            "Bitte in mitglieder.toml eintragen und das # am Anfang der Zeile entfernen, z. B. im Abschnitt "
            '[organisation]: partei = "…", unterschrift = "…". Eine eigene Vorlage (--vorlage), die diese '
            "Angaben nicht verwendet, braucht sie nicht."
        )
    assert not (folder / "ausgabe" / "briefe-2026-09-01").exists()
    conn = sqlite3.connect(folder / "mitglieder.sqlite")
    assert conn.execute("SELECT count(*) FROM kontakte WHERE art = 'brief'").fetchone() == (0,)
    assert conn.execute("SELECT count(*) FROM protokoll WHERE befehl = 'briefe'").fetchone() == (0,)
    conn.close()


def test_letters_name_only_what_is_still_missing(mitglieder, beispielbestand):
    folder = _nach_init(mitglieder, beispielbestand)
    toml = folder / "mitglieder.toml"
    text = toml.read_text(encoding="utf-8")
    text = text.replace('# partei = "SPD"', 'partei = "Musterpartei"').replace(
        '# telefon = "0351 1234567"', 'telefon = "0351 1234567"'
    )
    toml.write_text(text, encoding="utf-8")
    run = mitglieder("--ordner", folder, "--stichtag", "01.09.2026", "briefe", "--trockenlauf")
    assert run.code == 1
    zeilen = run.err.splitlines()
    assert zeilen[1:4] == [FEHLENDE_ORGANISATION[2], FEHLENDE_ORGANISATION[3], FEHLENDE_ORGANISATION[4]]
    assert "partei" not in zeilen[1] and "telefon oder email" not in run.err


def test_own_template_without_those_settings_is_not_blocked(mitglieder, beispielbestand, tmp_path):
    folder = _nach_init(mitglieder, beispielbestand)
    doc = Document()
    doc.add_paragraph("{{ anschrift }}")
    doc.add_paragraph("{{ anrede_zeile }} willkommen im Ortsverein {{ ortsverein }}!")
    template = tmp_path / "eigene.docx"
    doc.save(template)
    run = mitglieder("--ordner", folder, "--stichtag", "01.09.2026", "briefe", "--vorlage", template)
    assert run.code == 0, run.err
    # an own template that names the contact person needs one: the Ortsverein's or the signer
    doc.add_paragraph("Deine Ansprechperson: {{ ansprechperson }}")
    doc.save(template)
    run = mitglieder(
        "--ordner", folder, "--stichtag", "01.09.2026", "briefe", "--vorlage", template, "--segment", "neu",
        "--erneut", "--trockenlauf",
    )  # fmt: skip
    assert run.code == 1
    assert run.err.splitlines()[1].startswith(
        '  [ortsvereine."NAME"] ansprechperson oder [organisation] unterschrift: die Ansprechperson im Brief – '
        "fehlt für die Ortsvereine „Altstadt“, „Am Hafen“, "
    )


def test_letters_without_any_config_say_how_to_make_one(mitglieder, beispielbestand):
    folder = beispielbestand.pfad
    run = mitglieder("--ordner", folder, "--stichtag", "01.09.2026", "briefe")
    assert run.code == 1
    assert run.err.splitlines()[: len(FEHLENDE_ORGANISATION)] == FEHLENDE_ORGANISATION
    assert run.err.splitlines()[-1] == (
        f"Eine mitglieder.toml gibt es in {folder} noch nicht: „mitglieder init“ legt sie mit allen Schlüsseln an, "
        "dann dort eintragen und das # am Anfang der Zeile entfernen."
    )


def test_readme_shows_the_message_as_it_is():
    from .conftest import ROOT

    readme = [z.strip() for z in (ROOT / "README.md").read_text(encoding="utf-8").splitlines()]
    start = readme.index(FEHLENDE_ORGANISATION[0])
    assert readme[start : start + len(FEHLENDE_ORGANISATION)] == [z.strip() for z in FEHLENDE_ORGANISATION]


def test_letters_again_on_the_same_day_record_one_contact_per_member(mitglieder, beispielbestand):
    """`kontakt` keeps one contact per member, kind and day; a letter written again that day is the same contact."""
    folder = _bestand(beispielbestand)
    base = ("--ordner", folder, "--stichtag", "01.09.2026")
    erst = mitglieder(*base, "--json", "briefe", "--segment", "neu").json()
    assert erst["erfasst"] == erst["mitglieder"] > 0
    for nummer in (2, 3):
        ziel = folder / f"nochmal-{nummer}"
        run = mitglieder(*base, "briefe", "--segment", "neu", "--erneut", "--ausgabe", ziel)
        assert run.code == 0, run.err
        assert run.err.splitlines()[1] == (
            f"  Als Kontakt „brief“ vermerkt: 0 ({erst['mitglieder']} hatten am 01.09.2026 schon einen; "
            "je Mitglied und Tag wird ein Brief vermerkt)."
        )
    conn = sqlite3.connect(folder / "mitglieder.sqlite")
    je_mitglied = conn.execute("SELECT nr, count(*) FROM kontakte WHERE art = 'brief' GROUP BY nr").fetchall()
    assert len(je_mitglied) == erst["mitglieder"] and {n for _, n in je_mitglied} == {1}
    # every run is in the log: each wrote files with personal data
    assert conn.execute("SELECT count(*) FROM protokoll WHERE befehl = 'briefe'").fetchone() == (3,)
    conn.close()
    # a day later it is another letter
    run = mitglieder("--ordner", folder, "--stichtag", "02.09.2026", "--json", "briefe", "--segment", "neu",
                     "--erneut", "--ausgabe", folder / "am-2")  # fmt: skip
    assert run.json()["erfasst"] == erst["mitglieder"]


def test_erneut_with_the_segment_of_members_without_a_letter_points_to_neu(mitglieder, beispielbestand):
    folder = _bestand(beispielbestand)
    base = ("--ordner", folder, "--stichtag", "01.09.2026")
    assert mitglieder(*base, "briefe").code == 0
    run = mitglieder(*base, "briefe", "--erneut")
    assert run.code == 0
    zeilen = run.err.splitlines()
    assert zeilen[0] == "Segment „neu-ohne-brief“: niemand bekommt einen Brief."
    assert (
        "  --erneut ändert am Segment „neu-ohne-brief“ nichts: Darin ist nur, wer noch keinen Brief hat. Einen "
        "zweiten Willkommensbrief an die Neumitglieder schreibt: mitglieder briefe --segment neu --erneut"
    ) in zeilen
    assert "--segment neu --erneut" in " ".join(
        mitglieder(*base, "--json", "briefe", "--erneut").json()["warnungen"]
    )
