"""An import applies the network's person rules: names, e-mails, LinkedIn URLs."""

from __future__ import annotations

from typing import Any

import pytest

from coffeechat.imports.records import Format, PersonRecord
from coffeechat.network.models import Person
from tests.imports.test_engine import run_import

pytestmark = pytest.mark.django_db


def test_it_keeps_honorifics_and_suffixes_out_of_imported_names(alice: Any) -> None:
    run_import(
        alice,
        [
            PersonRecord(line=2, first_name="Dr. Felix", last_name="Ong, PhD"),
            PersonRecord(
                line=3,
                first_name="Jan",
                last_name="van der Berg",
                emails=["Jan <jan@berg.example>", "not-an-email"],
                linkedin_url="nl.linkedin.com/in/jan-berg/",
            ),
        ],
        Format.CSV,
    )
    people = {p.first_name: p for p in Person.objects.filter(owner=alice)}
    assert people["Felix"].last_name == "Ong"
    jan = people["Jan"]
    assert jan.last_name == "van der Berg"
    assert jan.linkedin_url == "https://www.linkedin.com/in/jan-berg"
    assert [e.email for e in jan.email_addresses.all()] == ["jan@berg.example"]
