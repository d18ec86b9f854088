"""The situations recognised from the user's data, each with what to do."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from coffeechat.network.models import InteractionKind, Source, TieKind
from coffeechat.outreach.situations import (
    APPLIED_THERE,
    APPLY_NOW,
    ASK_FOR_FEEDBACK,
    applications_at,
    situations_for_application,
    situations_for_organization,
    situations_for_person,
)
from coffeechat.targets import services
from coffeechat.targets.models import Application, ApplicationChannel, ApplicationStatus
from coffeechat.targets.outcomes import application_outcomes
from tests.factories import (
    AffiliationFactory,
    ApplicationFactory,
    ConversationFactory,
    EmploymentFactory,
    MembershipFactory,
    MyAffiliationFactory,
    OrganizationFactory,
    PersonFactory,
    PostingFactory,
    TieFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def acme(alice: Any) -> Any:
    return OrganizationFactory(owner=alice, name="Acme")


def apply(owner: Any, organization: Any, *steps: str, **fields: Any) -> Application:
    application = services.save_application(
        owner,
        Application(organization=organization, role_title="Data Analyst", **fields),
        on=date(2026, 1, 1),
    )
    for day, status in enumerate(steps, start=2):
        services.set_application_status(owner, application, status, on=date(2026, 1, day))
    return application


def test_it_says_upfront_that_you_applied_where_a_person_works(alice: Any, acme: Any) -> None:
    dana = PersonFactory(owner=alice, first_name="Dana")
    EmploymentFactory(person=dana, organization=acme)
    apply(alice, acme, ApplicationStatus.APPLIED)
    apply(alice, OrganizationFactory(owner=alice), ApplicationStatus.APPLIED)  # elsewhere

    found = situations_for_person(alice, dana)

    assert [s.kind for s in found] == [APPLIED_THERE]
    assert "You applied to Acme: Data Analyst (applied" in found[0].title
    assert "say so in the first lines" in found[0].advice and "Dana" in found[0].advice
    assert [a.organization for a in applications_at(alice, acme)] == [acme]


def test_an_application_still_in_preparation_is_not_mentioned(alice: Any, acme: Any) -> None:
    dana = PersonFactory(owner=alice)
    EmploymentFactory(person=dana, organization=acme)
    apply(alice, acme)

    assert situations_for_person(alice, dana) == []
    assert applications_at(alice, acme) == []


def test_apply_now_when_a_postings_contact_is_about_to_talk_to_you(alice: Any, acme: Any) -> None:
    lee = PersonFactory(owner=alice, first_name="Lee")
    posting = PostingFactory(organization=acme, title="Analyst", contact=lee)
    assert situations_for_person(alice, lee) == []  # no conversation coming: nothing to do

    ConversationFactory(owner=alice, people=[lee])  # a conversation is coming
    found = situations_for_person(alice, lee)

    assert [s.kind for s in found] == [APPLY_NOW]
    assert found[0].posting_id == posting.pk
    assert "Apply now, then tell Lee" in found[0].advice
    assert "informational" in found[0].advice
    assert [s.kind for s in situations_for_organization(alice, acme)] == [APPLY_NOW]


def test_only_a_coming_conversation_counts(alice: Any, acme: Any) -> None:
    lee = PersonFactory(owner=alice, first_name="Lee")
    PostingFactory(organization=acme, contact=lee)
    TieFactory(to_person=lee)
    lee.interactions.create(
        owner=alice, occurred_at=timezone.now(), kind=InteractionKind.LINKEDIN_MESSAGE
    )
    ConversationFactory(owner=alice, people=[lee], status="cancelled")
    ConversationFactory(owner=alice, people=[lee], starts_at=timezone.now() - timedelta(days=9))
    assert situations_for_person(alice, lee) == []

    ConversationFactory(owner=alice, people=[lee])
    assert [s.kind for s in situations_for_person(alice, lee)] == [APPLY_NOW]
    assert "your conversation on" in situations_for_person(alice, lee)[0].advice


def test_once_applied_it_says_tell_them_you_applied(alice: Any, acme: Any) -> None:
    lee = PersonFactory(owner=alice, first_name="Lee")
    EmploymentFactory(person=lee, organization=acme)
    ConversationFactory(owner=alice, people=[lee])
    posting = PostingFactory(organization=acme, contact=lee)
    apply(alice, acme, ApplicationStatus.APPLIED, posting=posting)

    kinds = {s.kind: s for s in situations_for_person(alice, lee)}

    assert set(kinds) == {APPLIED_THERE, APPLY_NOW}
    assert kinds[APPLY_NOW].advice.startswith("Tell Lee you applied")


def test_a_rejection_after_an_interview_suggests_feedback_from_the_manager(
    alice: Any, acme: Any
) -> None:
    pat = PersonFactory(owner=alice, first_name="Pat", last_name="Boss")
    EmploymentFactory(person=pat, organization=acme, title="Director of Data")
    EmploymentFactory(person__owner=alice, organization=acme, title="Product Manager")
    interviewed = apply(
        alice, acme, ApplicationStatus.APPLIED, "interviewing", ApplicationStatus.REJECTED
    )
    apply(alice, acme, ApplicationStatus.APPLIED, ApplicationStatus.REJECTED)  # no interview

    feedback = [s for s in situations_for_organization(alice, acme) if s.kind == ASK_FOR_FEEDBACK]

    assert [s.application_id for s in feedback] == [interviewed.pk]
    assert feedback[0].person == "Pat Boss"
    assert "five minutes" in feedback[0].advice and "never to argue" in feedback[0].advice
    assert ASK_FOR_FEEDBACK in [s.kind for s in situations_for_person(alice, pat)]
    assert ASK_FOR_FEEDBACK in [s.kind for s in situations_for_application(alice, interviewed)]


def test_the_flagged_manager_wins_over_a_title_and_none_known_is_said(
    alice: Any, acme: Any
) -> None:
    EmploymentFactory(person__owner=alice, organization=acme, title="Head of Sales")
    flagged = EmploymentFactory(
        person__owner=alice, organization=acme, title="Analyst", has_hiring_authority=True
    )
    application = apply(alice, acme, "applied", "interviewing", "rejected")
    assert situations_for_application(alice, application)[-1].person_id == flagged.person_id

    elsewhere = OrganizationFactory(owner=alice)
    lonely = apply(alice, elsewhere, "applied", "interviewing", "rejected")
    feedback = situations_for_application(alice, lonely)[-1]
    assert feedback.person_id is None
    assert "find out who made the decision" in feedback.advice


def test_an_application_page_counts_the_people_you_know_there(alice: Any, acme: Any) -> None:
    for _ in range(3):
        TieFactory(to_person=EmploymentFactory(person__owner=alice, organization=acme).person)
    application = apply(alice, acme, ApplicationStatus.APPLIED)

    found = situations_for_application(alice, application)

    assert found[0].title == "You know 3 people at Acme"


def test_it_does_not_count_directory_rows_as_people_you_know(alice: Any, acme: Any) -> None:
    friend = EmploymentFactory(person__owner=alice, organization=acme).person
    TieFactory(to_person=friend, kind=TieKind.FRIEND)
    EmploymentFactory(
        person__owner=alice, person__source=Source.ALUMNI_DIRECTORY, organization=acme
    )
    school = AffiliationFactory(owner=alice, name="Northfield University")
    MyAffiliationFactory(owner=alice, affiliation=school)
    classmate = EmploymentFactory(person__owner=alice, organization=acme).person
    MembershipFactory(person=classmate, affiliation=school)
    application = apply(alice, acme, ApplicationStatus.APPLIED)

    assert situations_for_application(alice, application)[0].title == (
        "You know 1 person at Acme, and share a group with 1 more"
    )


def test_it_says_nobody_is_known_when_only_directory_rows_work_there(alice: Any, acme: Any) -> None:
    for _ in range(2):
        EmploymentFactory(
            person__owner=alice, person__source=Source.ALUMNI_DIRECTORY, organization=acme
        )
    application = apply(alice, acme, ApplicationStatus.APPLIED)

    assert situations_for_application(alice, application)[0].title == (
        "Nobody you know at Acme yet (2 people there are in your network)"
    )


def test_it_counts_cold_and_referred_applications_and_their_outcomes(alice: Any) -> None:
    organization = OrganizationFactory(owner=alice)
    referrer = PersonFactory(owner=alice)
    apply(alice, organization, "applied")
    apply(alice, organization, "applied", "interviewing", "rejected")
    apply(alice, organization, "applied", channel=ApplicationChannel.DIRECT)
    apply(alice, organization)  # preparing: not sent, not counted
    apply(
        alice,
        organization,
        "applied",
        "interviewing",
        "offer",
        channel=ApplicationChannel.REFERRAL,
        referred_by=referrer,
    )
    apply(alice, organization, "applied", "interviewing", channel=ApplicationChannel.REFERRAL)
    ApplicationFactory(organization__owner=alice, status=ApplicationStatus.OFFER)  # no history

    outcomes = application_outcomes(alice)

    assert (outcomes.cold.sent, outcomes.cold.interviews, outcomes.cold.offers) == (4, 2, 1)
    assert (outcomes.referral.sent, outcomes.referral.interviews, outcomes.referral.offers) == (
        2,
        2,
        1,
    )
    assert outcomes.cold.interview_rate == 50 and outcomes.referral.interview_rate == 100
    assert "Referrals are working better for you" in outcomes.summary


def test_situations_never_use_another_users_data(alice: Any, bob: Any, acme: Any) -> None:
    dana = PersonFactory(owner=alice)
    EmploymentFactory(person=dana, organization=acme)
    ApplicationFactory(organization__owner=bob, status=ApplicationStatus.APPLIED)

    assert situations_for_person(alice, dana) == []
    assert application_outcomes(alice).cold.sent == 0
