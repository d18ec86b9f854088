"""The one e-mail check and the one LinkedIn URL normaliser."""

from __future__ import annotations

import pytest

from coffeechat.network.addresses import clean_email, clean_linkedin_url


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("jane@example.com", "jane@example.com"),
        ("  Jane.Doe+cc@Example.co.uk ", "Jane.Doe+cc@Example.co.uk"),
        ("mailto:jane@example.com", "jane@example.com"),
        ("Jane Doe <jane@example.com>", "jane@example.com"),
        ("jane at example", None),
        ("jane@example", None),
        ("jane@@example.com", None),
        ("a@b.c;d@e.f", None),
        ("not-an-email", None),
        ("jane@exa mple.com", None),
        ("x" * 250 + "@example.com", None),
        ("", None),
    ],
)
def test_it_checks_emails(text: str, expected: str | None) -> None:
    assert clean_email(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("https://www.linkedin.com/in/jane-doe", "https://www.linkedin.com/in/jane-doe"),
        ("https://www.linkedin.com/in/jane-doe/", "https://www.linkedin.com/in/jane-doe"),
        ("http://de.linkedin.com/in/jane-doe?trk=x", "https://www.linkedin.com/in/jane-doe"),
        ("linkedin.com/in/jane-doe", "https://www.linkedin.com/in/jane-doe"),
        ("www.linkedin.com/in/jane-doe", "https://www.linkedin.com/in/jane-doe"),
        ("in/jane-doe", "https://www.linkedin.com/in/jane-doe"),
        ("https://www.linkedin.com/in/j%C3%BCrgen", "https://www.linkedin.com/in/jürgen"),
        ("HTTPS://WWW.LINKEDIN.COM/in/JaneDoe", "https://www.linkedin.com/in/JaneDoe"),
        ("https://www.linkedin.com/pub/jane-doe/1/23/456", "https://www.linkedin.com/pub/jane-doe/1/23/456"),
        ("https://www.linkedin.com/company/acme/", "https://www.linkedin.com/company/acme"),
        ("", ""),
        ("https://example.com/in/jane", None),
        ("http://[::1", None),
        ("https://www.linkedin.com/", None),
        ("linkedin", None),
    ],
)  # fmt: skip
def test_it_normalises_linkedin_urls(text: str, expected: str | None) -> None:
    assert clean_linkedin_url(text) == expected


def test_it_normalises_a_clean_url_to_itself() -> None:
    for url in ("https://www.linkedin.com/in/jürgen-müller", "https://www.linkedin.com/in/a-b-1"):
        assert clean_linkedin_url(url) == url
