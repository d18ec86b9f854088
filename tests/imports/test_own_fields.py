"""What only our exports carry: the tie to you, the groups, the kinds of e-mails and phones."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
import vobject
from hypothesis import given, settings
from hypothesis import strategies as st

from coffeechat.imports.records import Connection, GroupRecord, PersonRecord
from coffeechat.imports.writers import (
    EXPORT_HEADER,
    group_text,
    join_values,
    split_group_text,
    split_values,
    write_csv,
    write_vcards,
)
from tests.imports import parse, people, problems

RIA = PersonRecord(
    line=1,
    first_name="Ria",
    last_name="Sen",
    emails=["ria@example.org", "ria.sen@work.example"],
    phones=["+1 847-555-0139", "+1 312 555 0100"],
    email_kinds={"ria@example.org": "home", "ria.sen@work.example": "work"},
    phone_kinds={"+1 847-555-0139": "cell", "+1 312 555 0100": "work,voice"},
    connection=Connection("colleague", 4, "Sat next to me; knows everyone in QA"),
    groups=[
        GroupRecord("Northfield University", "school", "BSc | Physics", 2015),
        GroupRecord("Northfield University", "school", "MSc Data; Science", 2019),
        GroupRecord("Lakeside Rowing", "community", "Captain", None, 2020, 2024),
    ],
    class_year=2015,
    affiliation_detail="BSc | Physics",
)
NOBODY = PersonRecord(line=2, first_name="Tom", last_name="Ash", connection=Connection(""))


def _write(tmp_path: Path, name: str, records: list[PersonRecord], version: str = "") -> Path:
    out = io.StringIO(newline="")
    if name.endswith(".csv"):
        write_csv(records, out)
    else:
        write_vcards(records, out, version)
    path = tmp_path / name
    path.write_text(out.getvalue(), encoding="utf-8", newline="")
    return path


@pytest.mark.parametrize(("name", "version"), [("x.csv", ""), ("x.vcf", "4.0"), ("y.vcf", "3.0")])
def test_it_reads_back_the_tie_and_every_group(tmp_path: Path, name: str, version: str) -> None:
    _, records = parse(_write(tmp_path, name, [RIA, NOBODY], version))

    assert problems(records) == []
    ria, tom = people(records)
    assert ria.connection == RIA.connection
    assert ria.groups == RIA.groups
    assert tom.connection == Connection("")
    if name.endswith(".vcf"):  # the kinds travel in vCards only
        assert (ria.email_kinds, ria.phone_kinds) == (RIA.email_kinds, RIA.phone_kinds)


def test_the_csv_names_the_connection_and_lists_the_groups(tmp_path: Path) -> None:
    text = _write(tmp_path, "x.csv", [RIA, NOBODY]).read_text(encoding="utf-8-sig")
    import csv

    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == EXPORT_HEADER
    assert (rows[0]["Connection"], rows[0]["Connection Strength"]) == ("colleague", "4")
    assert rows[0]["Groups"].startswith("Northfield University | school | BSc \\\\| Physics | 2015")
    assert rows[0]["Phones"] == "+1 847-555-0139; +1 312 555 0100"
    assert rows[1]["Connection"] == "none"


def test_vcard_3_marks_the_preferred_values_with_type_pref(tmp_path: Path) -> None:
    text = _write(tmp_path, "x.vcf", [RIA], "3.0").read_bytes().decode()

    assert "EMAIL;TYPE=internet,home,pref:ria@example.org\r\n" in text
    assert "TEL;TYPE=cell,pref:+1 847-555-0139\r\n" in text
    card = vobject.readOne(text)
    assert card.version.value == "3.0"
    assert card.tel.params["TYPE"] == ["cell", "pref"]


def test_vcard_4_marks_the_preferred_values_with_pref_1(tmp_path: Path) -> None:
    text = _write(tmp_path, "x.vcf", [RIA], "4.0").read_bytes().decode()

    assert "EMAIL;TYPE=home;PREF=1:ria@example.org\r\n" in text
    assert "TEL;TYPE=work,voice:+1 312 555 0100\r\n" in text
    assert "X-COFFEECHAT-CONNECTION:colleague;4;Sat next to me\\; knows everyone in QA" in text


def test_it_reports_what_it_cannot_place_and_keeps_the_rest(tmp_path: Path) -> None:
    header = ",".join(f'"{cell}"' for cell in EXPORT_HEADER)
    row = (
        'Ada,Obi,,,,,,,,,,,,,,bestie,9,,"Lakeside Rowing | rowing club | Captain | 20x5; '
        ' | school | BSc"'
    )
    path = tmp_path / "edited.csv"
    path.write_text(f"{header}\n{row}\n", encoding="utf-8")

    _, records = parse(path)

    [ada] = people(records)
    assert ada.connection == Connection("acquaintance", 3, "")
    assert ada.groups == [GroupRecord("Lakeside Rowing", "", "Captain", None)]
    said = [(p.field, p.message, p.skipped) for p in ada.problems]
    assert [field for field, _, _ in said] == [
        "Connection",
        "Connection",
        "Groups",
        "Groups",
        "Groups",
    ]
    assert all(not skipped for _, _, skipped in said)
    messages = " / ".join(message for _, message, _ in said)
    assert "“bestie” is not a kind of connection" in messages
    assert "“9” is not a strength from 1 to 5" in messages
    assert "“rowing club” is not a kind of group" in messages
    assert "“20x5” is not a class year" in messages
    assert "a group without a name" in messages


@pytest.mark.django_db
def test_an_unknown_kind_of_group_is_made_a_community(alice: Any, tmp_path: Path) -> None:
    from coffeechat.imports import services
    from coffeechat.network.models import Affiliation, Tie

    record = PersonRecord(
        line=1,
        first_name="Ada",
        last_name="Obi",
        connection=Connection("friend", 5, ""),
        groups=[GroupRecord("Lakeside Rowing", "", "Captain")],
    )
    path = _write(tmp_path, "x.vcf", [record], "4.0")
    with path.open("rb") as source:
        batch = services.create_batch(alice, source, path.name)
    services.preview(batch)
    batch.refresh_from_db()
    assert batch.summary["new_groups"] == 1
    services.commit(batch)

    group = Affiliation.objects.get(owner=alice)
    assert (group.name, group.kind) == ("Lakeside Rowing", "community")
    tie = Tie.objects.get(owner=alice)
    assert (tie.kind, tie.strength, tie.since) == ("friend", 5, None)


parts = st.text(max_size=10).map(lambda t: " ".join(t.split()))


@given(st.lists(st.tuples(parts.filter(bool), parts, parts), min_size=1, max_size=4))
@settings(max_examples=200, deadline=None)
def test_group_cells_split_into_what_was_joined(groups: list[tuple[str, str, str]]) -> None:
    records = [GroupRecord(name, kind, detail) for name, kind, detail in groups]
    cell = join_values(group_text(group) for group in records)

    back = [split_group_text(piece)[:3] for piece in split_values(cell)]

    assert back == [[name, kind, detail] for name, kind, detail in groups]
