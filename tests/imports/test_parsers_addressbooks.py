"""Google Contacts, Outlook (desktop, web, German) and Thunderbird CSV exports."""

from __future__ import annotations

import pytest

from coffeechat.imports.parsers import open_file
from coffeechat.imports.records import Format, ImportFileError
from tests.imports import SAMPLES, parse, people, problems


def test_it_reads_a_legacy_google_export_in_utf16() -> None:
    parsed, records = parse(SAMPLES / "google_legacy.csv")

    assert parsed.format == Format.GOOGLE
    assert parsed.encoding == "utf-16"
    rosa, kenji, _no_name = people(records)
    assert (rosa.first_name, rosa.last_name) == ("Rosa", "Delgado")
    assert rosa.organization == "Studio Nine"
    assert rosa.title == "Lead Designer"
    assert rosa.department == "Brand"
    assert rosa.location == "Portland, OR, USA"
    assert rosa.notes == "Met at the Portland design meetup.\nPrefers e-mail."
    assert kenji.line == 5  # Rosa's quoted notes and address take lines 2 to 4
    assert kenji.title == "CTO"


def test_it_splits_google_multi_values_and_puts_the_starred_one_first() -> None:
    _, records = parse(SAMPLES / "google_legacy.csv")
    rosa = people(records)[0]

    assert rosa.emails == [
        "rosa@example.com",
        "rosa.personal@example.net",
        "r.delgado@studio.example",
    ]
    assert rosa.phones == ["+1 503-555-0199", "+1 503-555-0142", "(503) 555-0100"]


def test_it_finds_the_linkedin_url_among_google_websites() -> None:
    _, records = parse(SAMPLES / "google_legacy.csv")

    assert people(records)[0].linkedin_url == "https://www.linkedin.com/in/rosa-delgado-design"


def test_it_turns_google_groups_into_tags_without_my_contacts() -> None:
    _, records = parse(SAMPLES / "google_legacy.csv")
    rosa, kenji, _no_name = people(records)

    assert rosa.tags == ["Design Friends", "Portfolio reviewers"]
    assert kenji.tags == []


def test_it_names_a_google_contact_with_only_an_email_from_its_address() -> None:
    _, records = parse(SAMPLES / "google_legacy.csv")

    assert problems(records) == []
    no_name = people(records)[2]
    assert (no_name.line, no_name.first_name, no_name.last_name) == (6, "no-name@example.org", "")
    assert no_name.emails == ["no-name@example.org"]


def test_it_reads_the_new_google_export() -> None:
    parsed, records = parse(SAMPLES / "google_new.csv")

    assert parsed.format == Format.GOOGLE
    olumide, greta = people(records)
    assert olumide.emails == ["olumide@example.ng", "lumi.a@example.com"]
    assert olumide.organization == "Lagos Fintech Hub"
    assert olumide.title == "Head of Partnerships"
    assert olumide.department == "Growth"
    assert olumide.tags == ["Mentors"]
    assert olumide.location == "Lagos, Nigeria"
    assert olumide.linkedin_url == "https://www.linkedin.com/in/olumide-adeyemi"
    assert (greta.first_name, greta.last_name) == ("Greta", "Sørensen")  # middle name left out
    assert greta.tags == []


def test_it_reads_an_outlook_desktop_export() -> None:
    parsed, records = parse(SAMPLES / "outlook_desktop.csv")

    assert parsed.format == Format.OUTLOOK
    margaret, samuel = people(records)
    assert (margaret.first_name, margaret.last_name) == ("Margaret", "O'Neill")
    assert margaret.title == "VP, Credit Risk"  # Job Title, not the "Ms." in Title
    assert margaret.organization == "Harbourview Capital"
    assert margaret.department == "Risk"
    assert margaret.emails == ["margaret.oneill@harbourview.example", "maggie.oneill@example.com"]
    assert margaret.phones == ["+1 (617) 555-0123", "+1 617 555 0100", "617.555.0155"]
    assert margaret.location == "Boston, MA, United States of America"
    assert margaret.linkedin_url == "https://www.linkedin.com/in/margaret-oneill-risk"
    assert margaret.tags == ["Finance", "Mentors"]
    assert margaret.notes == "Introduced by Rosa.\nFollow up in March."
    assert samuel.title == "Owner"
    assert samuel.location == "Utrecht, Netherlands"


def test_it_reports_an_invalid_outlook_email_without_skipping_the_person() -> None:
    _, records = parse(SAMPLES / "outlook_desktop.csv")
    samuel = people(records)[1]

    assert samuel.emails == []
    [problem] = samuel.problems
    assert (problem.line, problem.field, problem.skipped) == (4, "E-mail Address", False)


def test_it_reads_an_outlook_web_export() -> None:
    parsed, records = parse(SAMPLES / "outlook_web.csv")

    assert parsed.format == Format.OUTLOOK
    aisha, mateo = people(records)
    assert aisha.title == "Policy Analyst"
    assert aisha.phones == ["+44 7700 900123"]
    assert aisha.location == "Leeds, United Kingdom"
    assert mateo.emails == ["mateo@example.pt", "mateo.silva@example.com"]


def test_it_reads_a_german_outlook_export() -> None:
    parsed, records = parse(SAMPLES / "outlook_de.csv")

    assert parsed.format == Format.OUTLOOK
    assert (parsed.encoding, parsed.delimiter) == ("cp1252", ";")
    [kathe] = people(records)
    assert (kathe.first_name, kathe.last_name) == ("Käthe", "Schröder")
    assert kathe.organization == "Grünwald Maschinenbau AG"
    assert kathe.department == "Einkauf"
    assert kathe.title == "Leiterin Einkauf"
    assert kathe.emails == ["k.schroeder@gruenwald.example"]
    assert kathe.phones[0] == "+49 151 5550 9876"  # the mobile first
    assert kathe.location == "München, Deutschland"
    assert kathe.tags == ["Lieferanten"]


def test_it_reads_a_thunderbird_export() -> None:
    parsed, records = parse(SAMPLES / "thunderbird.csv")

    assert parsed.format == Format.OUTLOOK
    noor, pat = people(records)
    assert noor.emails == ["noor.haddad@example.org", "noor@example.net"]
    assert noor.organization == "Sandline Studio"
    assert noor.title == "Architect"
    assert noor.linkedin_url == "https://www.linkedin.com/in/noor-haddad-arch"
    assert noor.location == "Dubai, United Arab Emirates"
    assert (pat.first_name, pat.last_name) == ("Pat", "Kowalski")  # from the display name


def test_it_shows_which_column_feeds_which_field() -> None:
    parsed, _ = parse(SAMPLES / "outlook_desktop.csv")

    assert parsed.mapping is not None
    assert parsed.header[parsed.mapping.columns["title"]] == "Job Title"
    assert parsed.header[parsed.mapping.columns["email"]] == "E-mail Address"


def test_it_refuses_an_outlook_file_when_told_it_is_google() -> None:
    with pytest.raises(ImportFileError, match=r"^outlook_web\.csv: .*Google Contacts"):
        open_file(SAMPLES / "outlook_web.csv", format=Format.GOOGLE)
