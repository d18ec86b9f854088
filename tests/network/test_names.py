"""The one name splitter: honorifics, suffixes, particles, "Last, First"."""

from __future__ import annotations

import pytest

from coffeechat.network.names import clean_name, greeting_name, split_name


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("Jane Doe", "Jane", "Doe"),
        ("Dr. Jane Doe, PhD", "Jane", "Doe"),
        ("Dr. Felix Ong", "Felix", "Ong"),
        ("Jan van der Berg", "Jan", "van der Berg"),
        ("Ludwig van der Berg", "Ludwig", "van der Berg"),
        ("María de la Cruz", "María", "de la Cruz"),
        ("Anna von Trapp", "Anna", "von Trapp"),
        ("Omar bin Rashid", "Omar", "bin Rashid"),
        ("Doe, Jane", "Jane", "Doe"),
        ("van der Berg, Jan", "Jan", "van der Berg"),
        ("Doe, Dr. Jane", "Jane", "Doe"),
        ("Doe, Jane, MBA", "Jane", "Doe"),
        ("  Jane   Q.  Doe ", "Jane Q.", "Doe"),
        ("John Smith Jr.", "John", "Smith"),
        ("Mr. John Smith III", "John", "Smith"),
        ("Jane Doe, M.D., Ph.D.", "Jane", "Doe"),
        ("Prof. Dr. Hans von Braun", "Hans", "von Braun"),
        ("Mx. Sam Lee", "Sam", "Lee"),
        ("Sir Ian Holm", "Ian", "Holm"),
        ("Jane Ma", "Jane", "Ma"),
        ("Jane Doe MA", "Jane", "Doe"),
        ("Kim Do", "Kim", "Do"),
        ("Al Gore", "Al", "Gore"),
        ("Cher", "Cher", ""),
        ("", "", ""),
    ],
)
def test_it_splits_whole_names(text: str, first: str, last: str) -> None:
    name = split_name(text)
    assert (name.first, name.last) == (first, last)


def test_it_keeps_the_honorific_and_the_suffix_aside() -> None:
    name = split_name("Dr. Jane Doe, PhD")
    assert (name.honorific, name.suffix) == ("Dr.", "PhD")


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        ("Dr. Felix", "Ong", ("Felix", "Ong")),
        ("Jane", "Doe, PhD", ("Jane", "Doe")),
        ("Jane", "Doe Jr.", ("Jane", "Doe")),
        ("Jan", "van der Berg", ("Jan", "van der Berg")),
        ("Ms. Jane Doe", "", ("Jane Doe", "")),
        ("Dr.", "Who", ("Dr.", "Who")),
    ],
)
def test_it_cleans_names_typed_in_two_fields(
    first: str, last: str, expected: tuple[str, str]
) -> None:
    assert clean_name(first, last) == expected


def test_it_greets_by_the_first_name_without_the_honorific() -> None:
    assert greeting_name("Dr. Felix", "Ong") == "Felix"
    assert greeting_name("Felix", "Ong") == "Felix"
