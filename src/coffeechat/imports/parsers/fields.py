"""Cleaning single values of a file: several e-mails in one cell, phones.

These run once per cell on files of tens of thousands of rows, so they stay cheap:
precompiled patterns, no phonenumbers calls (the importer normalises phones when it
compares them). E-mail addresses, LinkedIn URLs and names are checked and split by
the network app (:mod:`coffeechat.network.addresses`, :mod:`coffeechat.network.names`),
the same way as everywhere else.
"""

from __future__ import annotations

import re

_EMAIL_SEPARATORS = re.compile(r"[;,\s]+")
_DIGIT = re.compile(r"\d")
MAX_VALUE = 100_000  # characters kept from one cell; more is a Problem


def split_emails(value: str) -> list[str]:
    """One cell holding several addresses ("a@x.org; b@y.org") as a list of pieces."""
    if value.count("@") > 1:
        return [piece for piece in _EMAIL_SEPARATORS.split(value) if piece]
    return [value]


def clean_phone(value: str) -> str | None:
    """The number as written (``tel:`` dropped), None when there is no digit in it."""
    text = value.strip()
    if text[:4].lower() == "tel:":
        text = text[4:].split(";", 1)[0]
    return text if _DIGIT.search(text) else None


def name_from_address(emails: list[str], phones: list[str]) -> str:
    """The name an address book shows for a contact without one: its e-mail, else its phone.

    "" when there is neither (then the record has nothing to name it by).
    """
    for value in (*emails, *phones):
        if value.strip():
            return value.strip()[:150]
    return ""
