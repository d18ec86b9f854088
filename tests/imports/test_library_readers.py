"""Why some formats are read by our own code: the libraries, measured on our sample files.

docs/decisions/0005-own-readers.md cites these results. If a library learns to read
these files, a test here fails, and the decision is worth taking again.
"""

from __future__ import annotations

import io

import pytest
import vobject
from dateutil import parser as dateutil_parser

from coffeechat.imports.parsers.dates import parse_date
from tests.imports import SAMPLES, parse, people, problems


def _vobject_cards(name: str) -> int:
    text = (SAMPLES / name).read_bytes().decode("utf-8", errors="strict")
    return sum(1 for _card in vobject.readComponents(text))


def test_it_reads_an_android_quoted_printable_file_that_vobject_cannot_decode() -> None:
    with pytest.raises(UnicodeDecodeError):
        _vobject_cards("android_21.vcf")
    _parsed, records = parse(SAMPLES / "android_21.vcf")
    assert len(people(records)) == 2


def test_it_keeps_the_good_cards_of_a_file_where_vobject_stops_at_the_first_bad_one() -> None:
    text = (SAMPLES / "bad_cards.vcf").read_bytes().decode("cp1252")
    read = 0
    with pytest.raises(Exception):  # noqa: B017 - any error: vobject gives up on the file
        for _card in vobject.readComponents(text):
            read += 1
    _parsed, records = parse(SAMPLES / "bad_cards.vcf")
    assert read < len(people(records))
    assert problems(records), "the bad cards are reported, not lost silently"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("05 Mär 2026", "2026-03-05"), ("12 févr. 2024", "2024-02-12"), ("13 mei 2022", "2022-05-13")],
)
def test_it_reads_month_names_of_localised_exports_that_dateutil_refuses(
    text: str, expected: str
) -> None:
    with pytest.raises(dateutil_parser.ParserError):
        dateutil_parser.parse(text)
    assert str(parse_date(text)) == expected


def test_it_does_not_invent_a_day_where_dateutil_takes_it_from_today() -> None:
    # dateutil fills the missing day from the current date; an import must not.
    assert dateutil_parser.parse("Sept 2021").year == 2021
    assert parse_date("Sept 2021") is None


def test_it_reads_western_text_that_charset_normalizer_takes_for_central_european() -> None:
    from charset_normalizer import from_bytes

    from coffeechat.imports.parsers.encoding import sniff

    raw = "first,last,title\r\nRenée,Lefèvre,Chargée de projet\r\nZoë,Núñez,Señora\r\n"
    data = raw.encode("cp1252")
    guessed = from_bytes(data).best()
    assert guessed is not None
    assert "Lefèvre" not in str(guessed), "charset-normalizer now reads it right"
    stream = io.BytesIO(data)
    assert "Lefèvre" in sniff(stream.read, "people.csv").text
