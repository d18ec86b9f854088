"""The account export and deletion with coaching links: each side sees and loses its own."""

from __future__ import annotations

import json

import pytest

from coffeechat.coaching import services
from coffeechat.coaching.models import CoachComment, CoachLink
from coffeechat.mydata import services as mydata
from tests.accounts.test_my_data_export import export_of
from tests.coaching.conftest import coach

pytestmark = pytest.mark.django_db


def test_each_side_exports_its_own_side(alice, carol):
    link = coach(alice, carol, "targets")
    services.comment(carol, link, "Try the alumni group first.")

    mine = export_of(alice)
    assert [(c["email"], c["scope"]) for c in json.loads(mine.read("coaches.json"))] == [
        ("carol@example.com", "targets")
    ]
    assert [c["text"] for c in json.loads(mine.read("coach_comments.json"))] == [
        "Try the alumni group first."
    ]

    theirs = export_of(carol)
    assert json.loads(theirs.read("coaches.json")) == []
    assert json.loads(theirs.read("coach_comments.json")) == []
    side = json.loads(theirs.read("account.json"))["coach_side"]
    assert [(row["person"], row["status"]) for row in side["i_coach"]] == [
        ("alice@example.com", "active")
    ]
    assert [row["text"] for row in side["comments_i_left"]] == ["Try the alumni group first."]


def test_deleting_the_coach_removes_the_link_and_keeps_the_owners_comments(alice, carol):
    link = coach(alice, carol)
    comment = services.comment(carol, link, "Keep going.")

    mydata.delete_account(carol)

    assert not CoachLink.objects.filter(pk=link.pk).exists()
    kept = CoachComment.objects.get(pk=comment.pk)
    assert kept.owner == alice and kept.link is None and "carol@example.com" in kept.coach_name


def test_deleting_the_owner_deletes_their_links_and_comments(alice, carol):
    link = coach(alice, carol)
    services.comment(carol, link, "Keep going.")

    mydata.delete_account(alice)

    assert not CoachLink.objects.exists() and not CoachComment.objects.exists()
    assert not services.coached_by(carol).exists()
