"""vCard 2.1, 3.0 and 4.0 as Apple, Google, Android, Outlook and Thunderbird write them."""

from __future__ import annotations

from pathlib import Path

import pytest

from coffeechat.imports.parsers import open_file
from coffeechat.imports.parsers.vcard import parse_property, split_escaped, unescape
from coffeechat.imports.records import Format, ImportFileError
from tests.imports import SAMPLES, parse, people, problems


def test_it_reads_an_apple_card_with_groups_labels_and_a_photo() -> None:
    parsed, records = parse(SAMPLES / "apple_3.vcf")

    assert parsed.format == Format.VCARD
    assert (parsed.header, parsed.header_line, parsed.mapping) == ([], 0, None)
    linnea = people(records)[0]
    assert linnea.line == 1
    assert (linnea.first_name, linnea.last_name) == ("Linnea", "Bergström")
    assert linnea.organization == "Volvo Cars"
    assert linnea.department == "Research & Development, Safety"
    assert linnea.title == "Principal Engineer"
    assert linnea.emails == ["linnea.bergstrom@example.se", "linnea.home@example.se"]  # pref first
    assert linnea.phones == ["+46 70 555 01 23", "+46 31 555 00 00"]
    assert linnea.location == "Göteborg, Sweden"
    assert linnea.linkedin_url == "https://www.linkedin.com/in/linnea-bergstrom"
    assert linnea.tags == ["Automotive", "Mentors"]
    assert linnea.notes == (
        "Met at the Göteborg mobility summit.\n"
        "Asked about, among other things; the graduate program."
    )


def test_it_skips_an_apple_company_card() -> None:
    _, records = parse(SAMPLES / "apple_3.vcf")

    [problem] = problems(records)
    assert (problem.line, problem.skipped) == (2, True)
    assert "organization" in problem.message


def test_it_builds_a_linkedin_url_from_a_labelled_handle() -> None:
    _, records = parse(SAMPLES / "apple_3.vcf")
    haruto = people(records)[1]

    assert haruto.line == 3
    assert haruto.linkedin_url == "https://www.linkedin.com/in/haruto-ishikawa"


def test_it_reads_a_google_card_with_a_folded_note() -> None:
    _, records = parse(SAMPLES / "google_3.vcf")
    [chidi] = people(records)

    assert chidi.notes.endswith(
        "climate tech and very long notes that Google folds at seventy-five octets."
    )
    assert chidi.tags == ["Climate"]
    assert chidi.linkedin_url == "https://www.linkedin.com/in/chidi-eze"
    assert chidi.location == "Enugu, Nigeria"


def test_it_reads_android_quoted_printable_with_soft_line_breaks() -> None:
    _, records = parse(SAMPLES / "android_21.vcf")
    jorg, linh = people(records)

    assert (jorg.first_name, jorg.last_name) == ("Jörg", "Müller-Lüdenscheidt")
    assert jorg.organization == "Stadtwerke Grünau"
    assert jorg.department == "Netzbetrieb"
    assert jorg.phones == ["+49 171 5550123", "+49 30 5550 100"]
    assert jorg.notes == (
        "Erstes Gespräch im Januar. Sehr hilfsbereit, kennt viele Leute in der Energiebranche "
        "und hat angeboten, mich weiterzuempfehlen.\nZweite Zeile."
    )
    assert linh.phones == ["+84 90 555 0188"]  # TEL;TYPE=CELL;;:
    assert linh.emails == ["linh.nguyen@example.vn"]


def test_it_reads_an_outlook_card_in_the_windows_code_page_with_a_folded_photo() -> None:
    parsed, records = parse(SAMPLES / "outlook_21.vcf")
    [bjorn] = people(records)

    assert parsed.encoding == "cp1252"
    assert (bjorn.first_name, bjorn.last_name) == ("Björn", "Krämer")
    assert bjorn.organization == "Lübecker Hafen GmbH"
    assert bjorn.location == "Lübeck, Deutschland"
    assert bjorn.emails == ["bjoern.kraemer@example.de"]
    assert bjorn.linkedin_url == ""  # a website, not a profile
    assert bjorn.problems == []


def test_it_reads_a_thunderbird_vcard_4() -> None:
    _, records = parse(SAMPLES / "thunderbird_4.vcf")
    [anya] = people(records)

    assert anya.emails == ["anya.petrov@example.bg", "anya@example.com"]
    assert anya.phones == ["+359 88 555 0101", "+359-2-555-0100"]  # tel: URI unwrapped
    assert anya.linkedin_url == "https://www.linkedin.com/in/anya-petrov"
    assert anya.tags == ["Startups", "Mentors,Advisors"]
    assert anya.notes == "Runs the spring cohort, see notes in the shared doc."


def test_it_reads_a_utf16_vcard_file() -> None:
    parsed, records = parse(SAMPLES / "utf16.vcf")
    [eleni] = people(records)

    assert parsed.encoding == "utf-16"
    assert (eleni.first_name, eleni.last_name) == ("Ελένη", "Αλεξίου")
    assert eleni.organization == "Ακρόπολις Σύμβουλοι"


def test_it_reports_bad_cards_and_imports_the_others() -> None:
    _, records = parse(SAMPLES / "bad_cards.vcf")

    assert [(p.first_name, p.line) for p in people(records)] == [
        ("Good", 1),
        ("nobody@example.com", 2),  # no name: named from its address, as address books do
        ("Broken", 3),
        ("Good", 5),
    ]
    skipped = [(p.line, p.message) for p in problems(records)]
    assert [line for line, _ in skipped] == [4, 6]
    assert "END:VCARD" in skipped[0][1]
    assert "cut short" in skipped[1][1]


def test_it_reports_broken_quoted_printable_on_the_property() -> None:
    _, records = parse(SAMPLES / "bad_cards.vcf")
    broken = people(records)[2]

    assert (broken.first_name, broken.last_name) == ("Broken", "Qp")  # from FN
    assert broken.notes == ""
    assert broken.phones == ["+1 555 0101"]
    assert [(p.line, p.field, p.skipped) for p in broken.problems] == [
        (3, "N", False),
        (3, "NOTE", False),
        (3, "EMAIL", False),
    ]


def test_it_refuses_a_vcard_file_with_no_complete_card() -> None:
    with pytest.raises(ImportFileError, match=r"^truncated\.vcf: .*truncated"):
        open_file(SAMPLES / "truncated.vcf")


def test_it_refuses_a_vcard_when_told_it_is_csv() -> None:
    with pytest.raises(ImportFileError, match="vCard"):
        open_file(SAMPLES / "google_3.vcf", format=Format.OUTLOOK)


def test_it_never_keeps_a_huge_photo_in_memory(tmp_path: Path) -> None:
    photo = "\r\n ".join(["QUJD" * 18] * 200_000)  # ~15 MB of base64
    path = tmp_path / "big.vcf"
    path.write_text(
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nN:Lee;Min;;;\r\nPHOTO;ENCODING=b:{photo}\r\n"
        "EMAIL:min@example.kr\r\nEND:VCARD\r\n",
        newline="",
    )

    [min_] = people(parse(path)[1])

    assert min_.emails == ["min@example.kr"]


def test_it_parses_properties_with_odd_parameters() -> None:
    prop = parse_property('item1.X-SOCIALPROFILE;type=linkedin;x-user="a:b";;CELL:http://x')

    assert prop is not None
    assert (prop.group, prop.name, prop.value) == ("item1", "X-SOCIALPROFILE", "http://x")
    assert prop.params["TYPE"] == ["linkedin", "cell"]
    assert prop.params["X-USER"] == ["a:b"]
    assert parse_property("NO COLON HERE") is None
    assert parse_property("BAD NAME:value") is None


def test_it_unescapes_text_and_splits_structured_values() -> None:
    assert unescape(r"a\nb\,c\;d\\e") == "a\nb,c;d\\e"
    assert unescape(r"C:\Users\n", "2.1") == r"C:\Users\n"
    assert split_escaped(r"Acme\; Co;R\;D;", ";") == [r"Acme\; Co", r"R\;D", ""]
