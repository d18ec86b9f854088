"""Every import format has one row, which every consumer reads."""

from __future__ import annotations

import importlib
from enum import StrEnum

import pytest
from django.core.exceptions import ImproperlyConfigured

from coffeechat.imports import formats
from coffeechat.imports.models import ImportBatch
from coffeechat.imports.records import Format


def test_it_has_a_row_for_every_format_and_every_consumer_reads_it() -> None:
    assert set(formats.FORMATS) == set(Format)
    choices = dict(ImportBatch._meta.get_field("requested_format").choices or [])
    assert choices == {fmt.value: row.choice for fmt, row in formats.FORMATS.items()}
    command_names = importlib.import_module(
        "coffeechat.imports.management.commands.import"
    ).COMMAND_NAMES
    assert command_names["thunderbird"] is Format.OUTLOOK
    assert set(command_names.values()) == set(Format)
    assert formats.label_of(Format.GOOGLE) == "Google Contacts"
    assert formats.label_of(None) == "CSV"


def test_it_refuses_to_start_when_a_format_has_no_row(monkeypatch: pytest.MonkeyPatch) -> None:
    members = {member.name: member.value for member in Format}
    wider = StrEnum("Wider", {**members, "NEWCOMER": "newcomer"})  # type: ignore[misc]

    monkeypatch.setattr("coffeechat.imports.records.Format", wider)
    with pytest.raises(ImproperlyConfigured, match="NEWCOMER|newcomer"):
        importlib.reload(formats)
    monkeypatch.undo()
    importlib.reload(formats)
    assert set(formats.FORMATS) == set(Format)
