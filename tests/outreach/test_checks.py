"""Each etiquette check, with a case that fires and one that does not."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from coffeechat.network.models import AffiliationKind, Source, TieKind
from coffeechat.outreach.checks import load_context, run_checks
from coffeechat.outreach.models import Channel, Purpose, Status
from tests.factories import (
    AffiliationFactory,
    ApplicationFactory,
    EmploymentFactory,
    MembershipFactory,
    MessageFactory,
    MyAffiliationFactory,
    PersonFactory,
    PostingFactory,
    TieFactory,
)

pytestmark = pytest.mark.django_db

GOOD = (
    "Hello Dana,\n\nSam Ortiz suggested I get in touch with you. I am moving into public "
    "health analytics and would value your view of your work.\n\nWould you have time for a "
    "20-minute call next week? I am asking for information, not for a job.\n\nThank you,\nAlice"
)


def keys(owner: Any, person: Any, body: str = GOOD, **kwargs: Any) -> set[str]:
    options = {"purpose": Purpose.INFORMATIONAL, "channel": Channel.EMAIL, "subject": "Hello"}
    options.update(kwargs)
    ctx = load_context(owner, person, organization_id=kwargs.pop("organization_id", None))
    return {check.key for check in run_checks(ctx, body=body, **options)}


def test_a_good_first_note_passes_every_check(alice, dana):
    sam = PersonFactory(owner=alice, first_name="Sam", last_name="Ortiz")
    TieFactory(to_person=dana, kind=TieKind.INTRODUCED, introduced_by=sam)
    assert keys(alice, dana) == set()


def test_a_mutual_connection_the_data_does_not_show_is_flagged(alice, dana, acme):
    rosa = PersonFactory(
        owner=alice, first_name="Rosa", last_name="Diaz", source=Source.ALUMNI_DIRECTORY
    )
    EmploymentFactory(person=rosa, organization=acme)  # works with Dana; I never met her
    claims = [
        "We have a connection in common: Rosa Diaz, who works with you.",
        "Rosa suggested I get in touch with you.",
        "Our mutual friend Rosa Diaz says hello.",
        "I am writing at the suggestion of Rosa Diaz.",
    ]
    for claim in claims:
        body = GOOD.replace("Sam Ortiz suggested I get in touch with you.", claim)
        assert "unfounded_mutual" in keys(alice, dana, body), claim

    TieFactory(to_person=rosa, kind=TieKind.ACQUAINTANCE)  # now I know her: the claim holds
    for claim in claims:
        body = GOOD.replace("Sam Ortiz suggested I get in touch with you.", claim)
        assert "unfounded_mutual" not in keys(alice, dana, body), claim


def test_someone_i_know_who_does_not_know_them_is_no_mutual_connection(alice, dana):
    kim = PersonFactory(owner=alice, first_name="Kim", last_name="Ng")
    TieFactory(to_person=kim, kind=TieKind.FRIEND, strength=5)
    body = GOOD.replace("Sam Ortiz", "Kim Ng")
    assert "unfounded_mutual" in keys(alice, dana, body)
    TieFactory(from_person=kim, to_person=dana, kind=TieKind.COLLEAGUE)
    assert "unfounded_mutual" not in keys(alice, dana, body)
    # A chain: the second person must know them; the words around names are not names.
    chain = GOOD.replace(
        "Sam Ortiz suggested I get in touch with you.",
        "We are connected through Lee Park and Kim Ng, who has worked with you.",
    )
    assert "unfounded_mutual" not in keys(alice, dana, chain)


def test_no_stated_connection(alice, dana):
    cold = GOOD.replace("Sam Ortiz suggested I get in touch with you. ", "")
    assert "no_connection" in keys(alice, dana, cold)
    # Naming a shared group counts as a connection, as does a close tie.
    school = AffiliationFactory(
        owner=alice, name="Northfield University", kind=AffiliationKind.SCHOOL
    )
    MyAffiliationFactory(owner=alice, affiliation=school)
    MembershipFactory(person=dana, affiliation=school)
    assert "no_connection" not in keys(
        alice, dana, cold.replace("I am", "Like you at Northfield University, I am")
    )
    TieFactory(to_person=dana, kind=TieKind.FRIEND)
    assert "no_connection" not in keys(alice, dana, cold)
    # Not for a thank-you.
    assert "no_connection" not in keys(
        alice, PersonFactory(owner=alice), cold, purpose=Purpose.THANK_YOU
    )


def test_too_long_for_a_first_note(alice, dana):
    long = GOOD.replace("Thank you,", "Some background. " * 40 + "\n\nThank you,")
    assert "too_long" in keys(alice, dana, long)
    assert "too_long" not in keys(alice, dana, long, purpose=Purpose.KEEP_IN_TOUCH)


def test_the_signature_does_not_count_towards_length(alice, dana):
    alice.profile.signature = "Alice\n" + "word " * 130
    alice.profile.save()
    assert "too_long" not in keys(alice, dana, GOOD + "\n" + alice.profile.signature)


def test_an_unclear_ask(alice, dana):
    vague = GOOD.replace(
        "Would you have time for a 20-minute call next week?", "I would love to connect."
    )
    assert "unclear_ask" in keys(alice, dana, vague)
    assert "unclear_ask" not in keys(alice, dana)


@pytest.mark.parametrize(
    "sentence",
    [
        "Could you refer me for the open analyst role?",
        "Could you review my CV?",
        "Are there any openings on your team?",
    ],
)
def test_a_job_ask_inside_an_information_request(alice, dana, sentence):
    body = GOOD.replace("I am asking for information, not for a job.", sentence)
    assert "job_ask" in keys(alice, dana, body)
    # The same words in a message that openly asks for a referral are fine.
    assert "job_ask" not in keys(alice, dana, body, purpose=Purpose.REJECTION_FEEDBACK)


def test_saying_it_is_not_a_job_request_is_not_a_job_request(alice, dana):
    assert "job_ask" not in keys(alice, dana, GOOD)


def test_an_application_not_mentioned(alice, dana, acme):
    ApplicationFactory(organization=acme, role_title="Data Analyst")
    assert "application_not_mentioned" in keys(alice, dana)
    mentioned = GOOD.replace(
        "I am moving", "I applied for the Data Analyst role last week. I am moving"
    )
    assert "application_not_mentioned" not in keys(alice, dana, mentioned)


def test_an_application_elsewhere_does_not_fire(alice, dana):
    ApplicationFactory(owner=alice, organization__owner=alice, role_title="Elsewhere")
    assert "application_not_mentioned" not in keys(alice, dana)


def test_the_listed_contact_of_a_posting_i_applied_to(alice, dana, acme):
    posting = PostingFactory(organization=acme, title="Junior Analyst", contact=dana)
    assert "listed_contact" not in keys(alice, dana)  # not applied yet
    ApplicationFactory(organization=acme, posting=posting, role_title="Junior Analyst")
    found = keys(alice, dana)
    assert "listed_contact" in found
    assert "application_not_mentioned" not in found  # one warning for one application
    assert "listed_contact" not in keys(alice, dana, GOOD + "\nI applied for Junior Analyst.")


def test_mostly_about_me(alice, dana):
    selfish = GOOD + "\nI built my dashboards. I led my team. I think my work is my best. I grew."
    assert "about_me" in keys(alice, dana, selfish)
    assert "about_me" not in keys(alice, dana)


def test_a_nudge_too_soon_counts_business_days_in_my_country(alice, dana):
    # Alice is in Germany; by the default no-reply policy a nudge comes 7 business days
    # after Friday 2 Oct 2026 (German Unity Day is Saturday 3 Oct): Tuesday 13 Oct.
    sent = datetime.datetime(2026, 10, 2, 10, 0, tzinfo=datetime.UTC)
    MessageFactory(person=dana, status=Status.SENT, sent_at=sent)
    with time_machine.travel(datetime.datetime(2026, 10, 12, 12, 0, tzinfo=datetime.UTC)):
        assert "nudge_too_soon" in keys(alice, dana, "Hello, any news?", purpose=Purpose.NUDGE)
    with time_machine.travel(datetime.datetime(2026, 10, 13, 12, 0, tzinfo=datetime.UTC)):
        assert "nudge_too_soon" not in keys(alice, dana, "Hello, any news?", purpose=Purpose.NUDGE)


def test_a_third_nudge_suggests_someone_else_there(alice, dana, acme):
    EmploymentFactory(
        person__owner=alice, person__first_name="Lee", person__last_name="Park", organization=acme
    )
    long_ago = timezone.now() - datetime.timedelta(days=30)
    first = MessageFactory(person=dana, status=Status.SENT, sent_at=long_ago)
    MessageFactory(
        person=dana, status=Status.SENT, purpose=Purpose.NUDGE, nudge_of=first, sent_at=long_ago
    )
    assert "third_nudge" not in keys(alice, dana, "Any news?", purpose=Purpose.NUDGE)
    MessageFactory(
        person=dana, status=Status.SENT, purpose=Purpose.NUDGE, nudge_of=first, sent_at=long_ago
    )
    ctx = load_context(alice, dana)
    found = {
        c.key: c
        for c in run_checks(
            ctx, purpose=Purpose.NUDGE, channel=Channel.EMAIL, subject="Re", body="Any news?"
        )
    }
    assert "third_nudge" in found
    assert "Lee Park" in found["third_nudge"].explanation


def test_do_not_contact(alice, dana):
    assert "do_not_contact" not in keys(alice, dana)
    dana.do_not_contact = True
    dana.save()
    assert "do_not_contact" in keys(alice, dana)


def test_an_unanswered_message_to_someone_else_at_the_same_organization(alice, dana, acme):
    lee = EmploymentFactory(person__owner=alice, organization=acme).person
    MessageFactory(
        person=lee,
        organization=acme,
        status=Status.SENT,
        sent_at=timezone.now() - datetime.timedelta(days=2),
    )
    assert "recent_at_organization" in keys(alice, dana)


def test_an_old_or_answered_message_to_someone_else_there_does_not_fire(alice, dana, acme):
    lee = EmploymentFactory(person__owner=alice, organization=acme).person
    MessageFactory(
        person=lee, status=Status.SENT, sent_at=timezone.now() - datetime.timedelta(days=20)
    )
    MessageFactory(
        person=lee, status=Status.REPLIED, sent_at=timezone.now() - datetime.timedelta(days=1)
    )
    assert "recent_at_organization" not in keys(alice, dana)


def test_linkedin_connection_notes_hold_300_characters(alice, dana):
    assert "linkedin_limit" in keys(alice, dana, GOOD * 2, channel=Channel.LINKEDIN)
    assert "linkedin_limit" not in keys(alice, dana, GOOD[:290] + "?", channel=Channel.LINKEDIN)


def test_the_checks_load_in_a_fixed_number_of_queries(
    alice, dana, acme, django_assert_max_num_queries
):
    for _ in range(5):
        MessageFactory(person=dana, status=Status.SENT, sent_at=timezone.now())
        ApplicationFactory(organization=acme)
    with django_assert_max_num_queries(13):
        load_context(alice, dana)


def test_no_third_person_named_means_no_unfounded_connection(alice, dana):
    for sentence in (
        "A mutual contact suggested I get in touch with you.",
        "Your talk at Acme said you speak about data quality.",
        "I found your name in our alumni directory.",
        "We both studied at Northfield University.",
    ):
        body = GOOD.replace("Sam Ortiz suggested I get in touch with you.", sentence)
        assert "unfounded_mutual" not in keys(alice, dana, body), sentence
