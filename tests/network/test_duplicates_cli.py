"""`coffeechat duplicates`: list, merge, not-the-same, in the terminal."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from coffeechat.network.models import Person, Tie
from coffeechat.network.services import save_person

pytestmark = pytest.mark.django_db


def run(**options: Any) -> str:
    out = io.StringIO()
    call_command("duplicates", stdout=out, **options)
    return out.getvalue()


def test_lists_merges_and_remembers(alice: Any, bob: Any) -> None:
    william = save_person(
        alice, Person(first_name="William", last_name="Okafor"), emails=["w@ok.example"]
    )
    bill = save_person(
        alice, Person(first_name="Bill", last_name="Okafor"), emails=["w@ok.example"]
    )
    friend = save_person(alice, Person(first_name="Ann", last_name="Lee"))
    Tie.objects.create(owner=alice, from_person=friend, to_person=bill, kind="friend")

    listing = run(user=alice.email)
    assert "William Okafor" in listing and "Bill Okafor" in listing
    assert "No likely duplicates" in run(user=bob.email)

    with pytest.raises(CommandError, match="no person number"):
        run(user=bob.email, merge=[william.pk, bill.pk])
    output = run(user=alice.email, merge=[william.pk, bill.pk])
    assert "Merged Bill Okafor into William Okafor" in output
    assert not Person.objects.filter(pk=bill.pk).exists()
    assert Tie.objects.get(from_person=friend).to_person_id == william.pk
    assert "No likely duplicates" in run(user=alice.email)


def test_not_same_is_never_proposed_again(alice: Any) -> None:
    a = save_person(alice, Person(first_name="Maria", last_name="Silva"), emails=["m@a.example"])
    b = save_person(alice, Person(first_name="Maria", last_name="Silva"), emails=["m@a.example"])
    assert "Maria Silva" in run(user=alice.email)
    run(user=alice.email, not_same=[b.pk, a.pk])
    assert "No likely duplicates" in run(user=alice.email)
    with pytest.raises(CommandError, match="two different people"):
        run(user=alice.email, merge=[a.pk, a.pk])
