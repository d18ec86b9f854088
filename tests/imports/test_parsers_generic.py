"""Any other CSV (alumni directories, member lists) through a column mapping; our own export."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from coffeechat.imports.parsers import (
    MAPPABLE_FIELDS,
    header_signature,
    open_file,
    suggest_mapping,
)
from coffeechat.imports.records import ColumnMapping, Format, ImportFileError
from tests.imports import SAMPLES, parse, people, problems


def test_it_suggests_a_mapping_for_an_alumni_directory() -> None:
    parsed, _ = parse(SAMPLES / "alumni_directory.csv")

    assert parsed.format == Format.CSV
    assert parsed.header_line == 2  # after the title line padded with commas
    assert parsed.suggested_mapping is not None
    assert parsed.suggested_mapping.columns == {
        "full_name": 0,
        "class_year": 1,
        "affiliation_detail": 2,
        "organization": 3,
        "title": 4,
        "email": 5,
        "location": 6,
        "linkedin_url": 7,
    }
    assert parsed.mapping == parsed.suggested_mapping


def test_it_splits_full_names_both_ways() -> None:
    _, records = parse(SAMPLES / "alumni_directory.csv")
    yui, carlos, ludwig, ghost, zainab = people(records)

    assert (yui.first_name, yui.last_name) == ("Yui", "Nakamura")  # "Nakamura, Yui"
    assert (carlos.first_name, carlos.last_name) == ("Carlos Mendoza", "Ruiz")
    assert (ludwig.first_name, ludwig.last_name) == ("Ludwig", "van der Berg")  # ", PhD" dropped
    assert (zainab.first_name, zainab.last_name) == ("Zainab", "Bello")


def test_it_reads_class_years_and_details() -> None:
    _, records = parse(SAMPLES / "alumni_directory.csv")
    yui, carlos, ludwig, ghost, zainab = people(records)

    assert [yui.class_year, carlos.class_year, ludwig.class_year] == [2019, 2012, 2008]
    assert yui.affiliation_detail == "MEng Mechanical"
    assert zainab.class_year is None
    [problem] = zainab.problems
    assert (problem.line, problem.field, problem.skipped) == (7, "Class", False)


def test_it_drops_an_invalid_email_with_a_problem_on_the_field() -> None:
    _, records = parse(SAMPLES / "alumni_directory.csv")
    carlos = people(records)[1]

    assert carlos.emails == []
    [problem] = carlos.problems
    assert (problem.line, problem.field, problem.skipped) == (4, "E-mail", False)
    assert "carlos.mendoza(at)example.mx" in problem.message


def test_it_splits_several_emails_in_one_cell() -> None:
    _, records = parse(SAMPLES / "alumni_directory.csv")

    assert people(records)[2].emails == ["l.vanderberg@example.nl", "ludwig@example.com"]


def test_it_names_a_row_with_no_name_from_its_email() -> None:
    _, records = parse(SAMPLES / "alumni_directory.csv")

    assert problems(records) == []
    ghost = people(records)[3]
    assert (ghost.line, ghost.first_name, ghost.class_year) == (6, "ghost@example.com", 2015)


def test_it_skips_a_row_with_nothing_to_name_it_by_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text("Name,Class,Degree\nAda Obi,2015,BSc\n,2016,MSc\n", encoding="utf-8")
    _, records = parse(path)

    [problem] = problems(records)
    assert (problem.line, problem.skipped) == (3, True)
    assert "no name, e-mail address or phone" in problem.message


def test_it_reads_a_tab_separated_member_list() -> None:
    parsed, records = parse(SAMPLES / "association_members.tsv")

    assert (parsed.format, parsed.delimiter) == (Format.CSV, "\t")
    ingrid, ravi = people(records)
    assert (ingrid.first_name, ingrid.last_name) == ("Ingrid", "Holm")
    assert ingrid.organization == "Northwind Traders"
    assert ingrid.title == "Controller"
    assert ingrid.affiliation_detail == "Oslo"  # the Chapter column
    assert ingrid.class_year == 2003
    assert ingrid.phones == ["+47 412 55 012"]
    assert ingrid.notes == "Board member; treasurer 2021–2023"
    assert ravi.class_year == 1999


def test_it_uses_the_mapping_the_user_gives() -> None:
    mapping = ColumnMapping(columns={"first_name": 2, "last_name": 1, "organization": 5})

    parsed, records = parse(SAMPLES / "association_members.tsv", mapping=mapping)

    assert parsed.mapping == mapping
    ingrid = people(records)[0]
    assert (ingrid.first_name, ingrid.last_name, ingrid.organization) == ("Holm", "Ingrid", "Oslo")
    assert ingrid.title == ""


def test_it_refuses_a_csv_without_a_name_column(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text("Member ID,Amount,Paid On\n17,25.00,2026-01-02\n")

    with pytest.raises(ImportFileError) as error:
        open_file(path)

    message = str(error.value)
    assert message.startswith("list.csv: no column holds names or e-mail addresses")
    assert "“Member ID”, “Amount”, “Paid On”" in message
    assert "Map the columns" in message


def test_it_reads_a_csv_without_names_once_the_user_maps_one(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text("Who,Where\nJane Q. Public,Reno\n")

    _, records = parse(path, mapping=ColumnMapping(columns={"full_name": 0, "location": 1}))

    [jane] = people(records)
    assert (jane.first_name, jane.last_name, jane.location) == ("Jane Q.", "Public", "Reno")


def test_it_refuses_a_mapping_without_a_name_column() -> None:
    with pytest.raises(ImportFileError, match="mapping has no name column"):
        open_file(SAMPLES / "association_members.tsv", mapping=ColumnMapping(columns={"title": 4}))


def test_it_reads_a_directory_as_csv_when_it_has_outlook_like_columns(tmp_path: Path) -> None:
    path = tmp_path / "club.csv"
    path.write_text(
        "First Name,Middle Name,Last Name,E-mail Address,Mobile Phone,Home Phone,Class Year\n"
        "Ada,,Byron,ada@example.org,,,1995\n"
    )

    parsed, records = parse(path)

    assert parsed.format == Format.CSV
    assert people(records)[0].class_year == 1995


def test_it_reads_our_own_export_and_reverses_the_formula_escaping() -> None:
    parsed, records = parse(SAMPLES / "coffeechat_export.csv")

    assert parsed.format == Format.COFFEECHAT
    amara, tobias = people(records)
    assert amara.emails == ["amara@example.com", "a.okonkwo@example.org"]
    assert amara.phones == ["+1 415 555 0100"]
    assert amara.tags == ["mentor", "data; ml"]
    assert amara.notes == '=HYPERLINK("http://evil.example")\nsecond line'
    assert amara.connected_on == date(2026, 1, 5)
    assert amara.class_year == 2014
    assert amara.affiliation_detail == "MSc Statistics"
    assert amara.department == "Research"
    assert tobias.line == 4
    assert tobias.title == "-"
    assert tobias.notes == "''quoted"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (["Organization", "Position", "Class"], {"organization": 0, "title": 1, "class_year": 2}),
        (["Company", "Title", "Class Year"], {"organization": 0, "title": 1, "class_year": 2}),
        (["Employer", "Job Title", "Graduation Year"],
         {"organization": 0, "title": 1, "class_year": 2}),
        (["Firm", "Role", "Year"], {"organization": 0, "title": 1, "class_year": 2}),
        (["First", "Surname"], {"first_name": 0, "last_name": 1}),
        (["Given name", "Family name"], {"first_name": 0, "last_name": 1}),
        (["Name"], {"full_name": 0}),
        (["FULL NAME", "E-Mail"], {"full_name": 0, "email": 1}),
        (["Mail", "Tel", "Profile"], {"email": 0, "phone": 1, "linkedin_url": 2}),
        (["Mobile", "LinkedIn URL", "Location"], {"phone": 0, "linkedin_url": 1, "location": 2}),
        (["City", "Comments", "Dept"], {"location": 0, "notes": 1, "department": 2}),
        (["Degree", "Chapter"], {"affiliation_detail": 0}),
        (["Program", "Notes"], {"affiliation_detail": 0, "notes": 1}),
        (["Vorname", "Nachname", "Unternehmen", "Abteilung"],
         {"first_name": 0, "last_name": 1, "organization": 2, "department": 3}),
        (["Prénom", "Nom", "Société", "Poste"],
         {"first_name": 0, "last_name": 1, "organization": 2, "title": 3}),
        (["Nom"], {"full_name": 0}),
        (["Nombre", "Apellidos", "Empresa", "Cargo", "Correo electrónico"],
         {"first_name": 0, "last_name": 1, "organization": 2, "title": 3, "email": 4}),
        (["Voornaam", "Achternaam", "Bedrijf", "Functie"],
         {"first_name": 0, "last_name": 1, "organization": 2, "title": 3}),
        (["  e_mail address ", "Work E-mail", "Mobile phone (personal)"], {"email": 0, "phone": 2}),
    ],
)  # fmt: skip
def test_it_suggests_fields_from_synonyms(header: list[str], expected: dict[str, int]) -> None:
    assert suggest_mapping(header).columns == expected


def test_it_maps_several_email_and_phone_columns() -> None:
    mapping = suggest_mapping(["Name", "Email", "Work email", "Phone", "Mobile", "Fax"])

    assert (mapping.columns["email"], mapping.extra_emails) == (1, [2])
    assert (mapping.columns["phone"], mapping.extra_phones) == (3, [4])


def test_it_gives_one_signature_to_headers_that_differ_only_in_spelling() -> None:
    a = header_signature(["First Name", "E-mail", "Company "])
    b = header_signature(["first name", "Email", "COMPANY"])
    c = header_signature(["First Name", "Company", "E-mail"])

    assert a == b
    assert a != c
    assert len(a) == 32


def test_it_lists_every_mappable_field_with_a_label() -> None:
    keys = [key for key, _ in MAPPABLE_FIELDS]

    assert {"full_name", "first_name", "last_name", "email", "phone", "class_year"} <= set(keys)
    assert len(keys) == len(set(keys))
    assert all(label for _, label in MAPPABLE_FIELDS)
