"""LinkedIn's Connections.csv, messages.csv, Invitations.csv and the archive holding them."""

from __future__ import annotations

import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from coffeechat.imports.parsers import open_file
from coffeechat.imports.records import Format, ImportFileError, MessageRecord
from tests.imports import SAMPLES, parse, people, problems


def test_it_reads_connections_after_the_preamble_with_real_line_numbers() -> None:
    parsed, records = parse(SAMPLES / "linkedin_connections.csv")

    assert parsed.format == Format.LINKEDIN
    assert parsed.header_line == 4
    assert parsed.header[:3] == ["First Name", "Last Name", "URL"]
    amara = people(records)[0]
    assert amara.line == 5
    assert (amara.first_name, amara.last_name) == ("Amara", "Okonkwo")
    assert amara.organization == "Brightwater Analytics"
    assert amara.title == "Senior Data Scientist"
    assert amara.emails == []
    assert amara.tags == []
    assert amara.connected_on == date(2026, 1, 5)


def test_it_strips_spaces_and_keeps_quoted_commas() -> None:
    _, records = parse(SAMPLES / "linkedin_connections.csv")
    tobias = people(records)[1]

    assert (tobias.first_name, tobias.last_name) == ("Tobias", "Lindqvist")
    assert tobias.organization == "Fjord & Pine, Inc."
    assert tobias.title == "Director, Product Strategy"
    assert tobias.emails == ["tobias.lindqvist@example.com"]
    assert tobias.linkedin_url == "https://www.linkedin.com/in/tobiaslindqvist"


def test_it_decodes_percent_encoded_profile_urls() -> None:
    _, records = parse(SAMPLES / "linkedin_connections.csv")
    jurgen = people(records)[2]

    assert jurgen.linkedin_url == "https://www.linkedin.com/in/jürgen-müller-4a5b6c"


@pytest.mark.parametrize(
    ("index", "expected"),
    [
        (0, date(2026, 1, 5)),  # 05 Jan 2026
        (1, date(2026, 1, 5)),  # 5-Jan-26
        (2, date(2021, 9, 16)),  # 16.09.2021
        (3, date(2018, 1, 8)),  # 1/8/18, 6:14 PM
    ],
)
def test_it_reads_every_connected_on_date_format(index: int, expected: date) -> None:
    _, records = parse(SAMPLES / "linkedin_connections.csv")

    assert people(records)[index].connected_on == expected


def test_it_reports_a_bad_date_on_the_record_without_skipping_it() -> None:
    _, records = parse(SAMPLES / "linkedin_connections.csv")
    wei = people(records)[4]

    assert wei.first_name == "Wei"
    assert wei.connected_on is None
    [problem] = wei.problems
    assert (problem.line, problem.field, problem.skipped) == (9, "Connected On", False)
    assert "sometime last year" in problem.message


def test_it_skips_a_row_without_a_name_with_its_line() -> None:
    _, records = parse(SAMPLES / "linkedin_connections.csv")

    [problem] = problems(records)
    assert (problem.line, problem.skipped) == (10, True)
    assert "no name" in problem.message
    assert [p.first_name for p in people(records)] == [
        "Amara",
        "Tobias",
        "Jürgen",
        "Priya",
        "Wei",
        "Sofía",
    ]


def test_it_reads_the_old_six_column_header() -> None:
    parsed, records = parse(SAMPLES / "linkedin_connections_old.csv")

    assert parsed.format == Format.LINKEDIN
    hannah, diego = people(records)
    assert hannah.emails == ["hannah.brooks@example.com"]
    assert hannah.linkedin_url == ""
    assert hannah.connected_on == date(2017, 3, 14)
    assert diego.organization == "Ferraz, Lima & Co"


def test_it_reads_a_german_file_resaved_by_a_spreadsheet() -> None:
    parsed, records = parse(SAMPLES / "linkedin_connections_de.csv")

    assert parsed.format == Format.LINKEDIN
    assert parsed.encoding == "cp1252"
    assert parsed.delimiter == ";"
    assert parsed.header_line == 4
    jurgen, anneliese = people(records)
    assert (jurgen.first_name, jurgen.last_name) == ("Jürgen", "Weiß")
    assert jurgen.organization == "Bäckerei Süß GmbH"
    assert jurgen.title == "Geschäftsführer"
    assert jurgen.connected_on == date(2021, 9, 16)
    assert jurgen.line == 5
    assert anneliese.last_name == "Köhler"
    assert anneliese.organization == "Köhler; Partner"
    assert anneliese.emails == ["a.koehler@example.de"]


def test_it_reads_a_french_file_with_a_bom_and_day_first_dates() -> None:
    parsed, records = parse(SAMPLES / "linkedin_connections_fr.csv")

    assert parsed.format == Format.LINKEDIN
    elodie, francois = people(records)
    assert (elodie.first_name, elodie.last_name) == ("Élodie", "Lefèvre")
    assert elodie.connected_on == date(2026, 1, 5)
    assert elodie.linkedin_url == "https://www.linkedin.com/in/elodie-lefevre"
    assert francois.connected_on == date(2024, 3, 12)


def test_it_reads_a_spanish_tab_separated_file() -> None:
    parsed, records = parse(SAMPLES / "linkedin_connections_es.tsv")

    assert parsed.format == Format.LINKEDIN
    assert parsed.delimiter == "\t"
    [lucia] = people(records)
    assert lucia.last_name == "Fernández Ortega"
    assert lucia.title == "Ingeniera de datos"
    assert lucia.connected_on == date(2025, 1, 7)


def test_it_tells_sent_from_received_messages_by_inferring_the_owner() -> None:
    parsed, records = parse(SAMPLES / "linkedin_messages.csv")

    assert parsed.format == Format.LINKEDIN_MESSAGES
    messages = [r for r in records if isinstance(r, MessageRecord)]
    first = messages[0]
    assert first.direction == "sent"
    assert first.other_name == "Amara Okonkwo"
    assert first.other_linkedin_url == "https://www.linkedin.com/in/amara-okonkwo-3b1a2c"
    assert first.occurred_at == datetime(2026, 1, 5, 14, 3, 11, tzinfo=UTC)
    assert first.subject == "Coffee?"
    assert first.body.startswith("Hi Amara,\n\nI loved your talk")
    assert first.body.endswith("Thanks, Maya")
    assert first.kind == "linkedin_message"
    assert [(m.direction, m.other_name) for m in messages[1:]] == [
        ("received", "Amara Okonkwo"),
        ("received", "Tobias Lindqvist"),
        ("sent", "Priya Raman"),
        ("sent", "Wei Zhang"),
    ]


def test_it_counts_lines_across_multi_line_messages_and_skips_drafts() -> None:
    _, records = parse(SAMPLES / "linkedin_messages.csv")

    assert [r.line for r in records] == [2, 7, 8, 9, 9, 10]
    [problem] = problems(records)
    assert (problem.line, problem.field) == (10, "DATE")
    assert "not a date" in problem.message


def test_it_reads_invitations_in_both_directions() -> None:
    parsed, records = parse(SAMPLES / "linkedin_invitations.csv")

    assert parsed.format == Format.LINKEDIN_INVITATIONS
    sent, received, problem = records
    assert isinstance(sent, MessageRecord) and isinstance(received, MessageRecord)
    assert (sent.kind, sent.direction, sent.other_name) == (
        "linkedin_invitation",
        "sent",
        "Sofía de la Cruz",
    )
    assert sent.occurred_at == datetime(2026, 1, 8, 18, 14, tzinfo=UTC)
    assert sent.body.startswith("Hi Sofía")
    assert received.direction == "received"
    assert received.other_linkedin_url == "https://www.linkedin.com/in/diego-ferraz"
    assert received.occurred_at == datetime(2025, 12, 30, 9, 5, tzinfo=UTC)
    assert problems([problem])[0].line == 4


def _archive(tmp_path: Path, members: dict[str, str]) -> Path:
    path = tmp_path / "Basic_LinkedInDataExport_01-10-2026.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, sample in members.items():
            archive.write(SAMPLES / sample, member)
    return path


def test_it_reads_the_whole_linkedin_archive(tmp_path: Path) -> None:
    path = _archive(
        tmp_path,
        {
            "Connections.csv": "linkedin_connections.csv",
            "messages.csv": "linkedin_messages.csv",
            "Invitations.csv": "linkedin_invitations.csv",
            "Profile.csv": "linkedin_connections_old.csv",
        },
    )

    parsed, records = parse(path)

    assert parsed.format == Format.LINKEDIN_ARCHIVE
    assert len(people(records)) == 6
    messages = [r for r in records if isinstance(r, MessageRecord)]
    assert {m.kind for m in messages} == {"linkedin_message", "linkedin_invitation"}
    assert len(messages) == 7
    assert any(p.message.startswith("messages.csv: ") for p in problems(records))
    assert any(p.message.startswith("Connections.csv: ") for p in problems(records))


def test_it_takes_the_owner_from_invitations_when_the_archive_has_them(tmp_path: Path) -> None:
    # One conversation between two people: counting alone cannot tell who the owner is.
    (tmp_path / "messages.csv").write_text(
        "CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,RECIPIENT PROFILE URLS,"
        "DATE,SUBJECT,CONTENT,FOLDER\n"
        "c1,,Diego Ferraz,https://www.linkedin.com/in/diego-ferraz,Maya Castillo,"
        "https://www.linkedin.com/in/maya-castillo,2026-01-02 10:00:00 UTC,,Hello Maya,INBOX\n",
        encoding="utf-8",
    )
    path = tmp_path / "export.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.write(tmp_path / "messages.csv", "messages.csv")
        archive.write(SAMPLES / "linkedin_invitations.csv", "Invitations.csv")

    _, records = parse(path)

    [message] = [r for r in records if isinstance(r, MessageRecord) and r.kind.endswith("message")]
    assert (message.direction, message.other_name) == ("received", "Diego Ferraz")


def test_it_refuses_a_zip_that_is_not_a_linkedin_archive(tmp_path: Path) -> None:
    path = tmp_path / "photos.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("holiday/notes.txt", "not contacts")

    with pytest.raises(ImportFileError, match=r"^photos\.zip: .*not LinkedIn's data export"):
        open_file(path)


def test_it_refuses_a_google_file_when_told_it_is_linkedin() -> None:
    with pytest.raises(ImportFileError, match=r"google_new\.csv: .*not look like a LinkedIn"):
        open_file(SAMPLES / "google_new.csv", format=Format.LINKEDIN)


def test_it_names_the_users_file_in_messages(tmp_path: Path) -> None:
    path = tmp_path / "upload-7f3a.csv"
    path.write_text("First Name,Last Name,URL,Email Address,Company,Position,Connected On\n")

    with pytest.raises(ImportFileError, match=r"^Connections\.csv: .*no rows"):
        open_file(path, name="Connections.csv")
