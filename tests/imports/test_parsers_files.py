"""Files as bytes: encodings, delimiters, files that are not contacts, very large files."""

from __future__ import annotations

import codecs
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from coffeechat.imports.parsers import open_file
from coffeechat.imports.parsers.csvfiles import sniff_delimiter
from coffeechat.imports.parsers.encoding import sniff
from coffeechat.imports.records import Format, ImportFileError
from tests.imports import parse, people, problems

HEADER = "First Name,Last Name,Company\n"


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the file is empty"),
        (b"   \r\n\t\n  ", "the file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a PNG image"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "a JPEG image"),
        (b"GIF89a\x01\x00\x01\x00", "a GIF image"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "a PDF document"),
        (b"\x00\x01\x02\x03\x04\x05\x06\x07" * 64, "binary file"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old Office document"),
        (HEADER.encode(), "header but no rows"),
        ((HEADER + "\n,,\n").encode(), "header but no rows"),
    ],
)
def test_it_refuses_files_that_cannot_be_imported(
    tmp_path: Path, data: bytes, message: str
) -> None:
    path = _write(tmp_path, "upload.bin", data)

    with pytest.raises(ImportFileError) as error:
        open_file(path, name="contacts.csv")

    assert str(error.value).startswith("contacts.csv: ")
    assert message in str(error.value)


def test_it_refuses_an_excel_workbook_with_a_hint(tmp_path: Path) -> None:
    path = tmp_path / "people.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")

    with pytest.raises(ImportFileError, match=r"^people\.xlsx: .*Save it as CSV"):
        open_file(path)


def test_it_refuses_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ImportFileError, match="not there"):
        open_file(tmp_path / "gone.csv")


TEXT = HEADER + "Zoë,Ångström,Café\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (codecs.BOM_UTF8 + TEXT.encode(), "utf-8-sig"),
        (TEXT.encode(), "utf-8"),
        (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-16"),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16"),
        (TEXT.encode("utf-16-le"), "utf-16-le"),
        (TEXT.encode("utf-16-be"), "utf-16-be"),
        (TEXT.encode("cp1252"), "cp1252"),
    ],
)
def test_it_recognises_the_encoding(tmp_path: Path, data: bytes, encoding: str) -> None:
    parsed, records = parse(_write(tmp_path, "x.csv", data))

    assert parsed.encoding == encoding
    [zoe] = people(records)
    assert (zoe.first_name, zoe.last_name, zoe.organization) == ("Zoë", "Ångström", "Café")


def test_it_asks_the_detector_when_bytes_do_not_look_like_cp1252(tmp_path: Path) -> None:
    text = HEADER + "Иван,Петров,Газпромбанк\nМария,Иванова,Сбербанк России\n" * 20

    parsed, records = parse(_write(tmp_path, "ru.csv", text.encode("cp1251")))

    assert parsed.encoding not in ("cp1252", "utf-8")
    assert people(records)[0].organization == "Газпромбанк"


def test_it_reads_cp1252_bytes_inside_a_utf8_file(tmp_path: Path) -> None:
    data = HEADER.encode() + "Zoë,Doe,Acme\n".encode() * 5000 + "René,Doe,Café\n".encode("cp1252")

    parsed, records = parse(_write(tmp_path, "mixed.csv", data))

    assert parsed.encoding == "utf-8"
    assert people(records)[-1].first_name == "René"


@pytest.mark.parametrize(
    ("text", "delimiter"),
    [
        ('a,b,c\n1,2,3\n"x;y",z,w\n', ","),
        ("a;b;c\n1;2;3\n", ";"),
        ("a\tb\tc\n1\t2\t3\n", "\t"),
        ('Notes:\n"A paragraph, with commas, many, of, them"\n\nA;B;C\n1;2;3\n4;5;6\n', ";"),
        ('"Doe, Jane";Acme;2019\n"Roe, Rick";Initech;2020\n', ";"),
        ("single column\nvalue\n", ","),
    ],
)
def test_it_sniffs_the_delimiter_outside_quotes(text: str, delimiter: str) -> None:
    assert sniff_delimiter(text) == delimiter


def test_it_reads_a_ten_megabyte_field_with_a_problem_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    path.write_text('Name,Notes\nJane Doe,"' + "x" * 10_000_000 + '"\nJohn Roe,short\n')

    _, records = parse(path)

    jane, john = people(records)
    assert len(jane.notes) == 100_000
    assert [p.field for p in jane.problems] == ["Notes"]
    assert john.notes == "short"


def test_it_streams_a_large_file_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "Connections.csv"
    with path.open("w", encoding="utf-8") as out:
        out.write("First Name,Last Name,URL,Email Address,Company,Position,Connected On\n")
        for i in range(20_000):
            out.write(f"Person{i},Family{i},https://www.linkedin.com/in/p{i},,Org {i % 500},"
                      f"Engineer,{1 + i % 28} Jan 2025\n")  # fmt: skip
    assert path.stat().st_size > 1_500_000

    tracemalloc.start()
    try:
        parsed = open_file(path)
        count = sum(1 for _ in parsed.records)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert count == 20_000
    assert peak < 3_000_000


def test_it_keeps_reading_past_nul_bytes_and_ragged_rows(tmp_path: Path) -> None:
    data = (HEADER + "Jane\x00,Doe\nJohn,Roe,Acme,extra,cells\nSolo\n").encode()

    _, records = parse(_write(tmp_path, "ragged.csv", data))

    names = [(p.first_name, p.last_name, p.organization) for p in people(records)]
    # A stray NUL is damage, not content (PostgreSQL cannot store it): it is dropped.
    assert names == [("Jane", "Doe", ""), ("John", "Roe", "Acme"), ("Solo", "", "")]
    assert problems(records) == []


def test_it_reads_old_mac_line_endings(tmp_path: Path) -> None:
    data = b"First Name,Last Name\rJane,Doe\rJohn,Roe\r"

    parsed, records = parse(_write(tmp_path, "mac.csv", data))

    assert parsed.format == Format.CSV
    assert [(p.line, p.first_name) for p in people(records)] == [(2, "Jane"), (3, "John")]


def test_it_sniffs_through_a_reader_that_fails(tmp_path: Path) -> None:
    def broken(size: int) -> bytes:
        raise OSError("disk on fire")

    with pytest.raises(ImportFileError, match=r"^x\.csv: the file could not be read"):
        sniff(broken, "x.csv")
