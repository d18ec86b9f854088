"""compose(): a filled, unsaved draft from a template, the warm path and the profile."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from coffeechat.network.models import AffiliationKind, Source, TieKind
from coffeechat.outreach.builtin import all_builtins
from coffeechat.outreach.checks import checks_for_message
from coffeechat.outreach.models import Channel, ConnectionKind, Message, Purpose
from coffeechat.outreach.rendering import VARIABLES, TemplateError, fill, placeholders
from coffeechat.outreach.services import compose
from coffeechat.targets.models import ApplicationStatus
from tests.factories import (
    AffiliationFactory,
    ApplicationFactory,
    EmploymentFactory,
    MembershipFactory,
    MessageTemplateFactory,
    MyAffiliationFactory,
    PersonFactory,
    TieFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def profile(alice: Any) -> Any:
    profile = alice.profile
    profile.full_name = "Alice Martín"
    profile.intro = "I am a data analyst moving into public health."
    profile.signature = "Alice Martín\n+49 30 1234567"
    profile.save()
    return profile


def test_every_builtin_template_uses_only_known_variables() -> None:
    for built in all_builtins():
        assert not [n for n in placeholders(built.subject + built.body) if n not in VARIABLES]
    assert len(all_builtins()) == 10 * 3


def test_it_fills_an_information_request_from_a_shared_school(alice, dana, profile):
    school = AffiliationFactory(
        owner=alice, name="Northfield University", kind=AffiliationKind.SCHOOL
    )
    MyAffiliationFactory(owner=alice, affiliation=school, class_year=2016)
    MembershipFactory(person=dana, affiliation=school, class_year=2014)

    message = compose(alice, dana, Purpose.INFORMATIONAL, ask="coffee")

    assert message.pk is None
    assert isinstance(message, Message)
    assert message.subject == "A question about your work at Acme"
    assert message.body.startswith("Hello Dana,\n\nWe both studied at Northfield University")
    assert "(I graduated in 2016)" in message.body
    assert "I am a data analyst moving into public health." in message.body
    assert "Would you have time for a coffee" in message.body
    assert "not for a job" in message.body
    assert message.body.endswith("Alice Martín\n+49 30 1234567")
    assert message.to_email == "dana@acme.example"
    assert message.organization.name == "Acme"
    assert message.connection_kind == ConnectionKind.ALUMNI
    assert message.template_name.startswith("Built-in: Informational request")
    assert "\n\n\n" not in message.body  # the empty {application} line is gone


def test_it_names_the_introducer_of_a_referral(alice, dana, profile):
    sam = PersonFactory(owner=alice, first_name="Sam", last_name="Ortiz")
    TieFactory(to_person=dana, kind=TieKind.INTRODUCED, introduced_by=sam)

    message = compose(alice, dana, Purpose.REFERRAL)

    assert message.subject == "Getting in touch at the suggestion of Sam Ortiz"
    assert "Sam Ortiz suggested I get in touch with you." in message.body
    assert message.connection_kind == ConnectionKind.INTRODUCED


def test_it_says_up_front_that_i_applied(alice, dana, acme, profile):
    ApplicationFactory(
        organization=acme, role_title="Data Analyst", applied_on=datetime.date(2026, 5, 3)
    )

    message = compose(alice, dana, Purpose.AFTER_APPLYING)

    assert (
        "I should say up front that I applied for the Data Analyst role at Acme on 3 May 2026."
        in message.body
    )


def test_a_rejection_feedback_note_names_the_role_and_never_argues(alice, dana, acme, profile):
    ApplicationFactory(
        organization=acme, role_title="Analyst II", status=ApplicationStatus.REJECTED
    )

    message = compose(alice, dana, Purpose.REJECTION_FEEDBACK)

    assert "for the Analyst II role" in message.body
    assert "never to argue" in message.body


def test_a_thank_you_uses_the_conversation_extras_when_given(alice, dana, profile):
    message = compose(
        alice,
        dana,
        Purpose.THANK_YOU,
        extra={
            "conversation_date": "2026-05-12",
            "learned": "that the team hires for curiosity over tools",
            "referrals": "Lee Park",
        },
    )

    assert "Thank you for talking with me on 12 May." in message.body
    assert "What stayed with me most: that the team hires for curiosity over tools." in message.body
    assert "suggesting I talk to Lee Park" in message.body


def test_a_thank_you_reads_well_without_extras(alice, dana, profile):
    message = compose(alice, dana, Purpose.THANK_YOU)

    assert "Thank you for talking with me. I know" in message.body
    assert "What stayed with me" not in message.body
    assert "  " not in message.body and " ." not in message.body
    assert "\n\n\n" not in message.body


def test_a_linkedin_note_has_no_subject_and_a_phone_script_greets(alice, dana, profile):
    linkedin = compose(alice, dana, Purpose.INFORMATIONAL, channel=Channel.LINKEDIN)
    phone = compose(alice, dana, Purpose.INFORMATIONAL, channel=Channel.PHONE)

    assert linkedin.subject == "" and linkedin.to_email == ""
    assert linkedin.body.startswith("Hi Dana,")
    assert linkedin.body.endswith("Thanks, Alice")
    assert phone.body.startswith("Hello Dana, this is Alice Martín.")


def test_a_nudge_follows_up_the_last_unanswered_message(alice, dana, profile):
    from coffeechat.outreach.services import mark_sent, save_draft

    first = save_draft(alice, compose(alice, dana, Purpose.INFORMATIONAL))
    mark_sent(first)

    nudge = compose(alice, dana, Purpose.NUDGE)

    assert nudge.nudge_of == first
    assert nudge.subject == "Re: A question about your work at Acme"
    assert "I am following up on my note of" in nudge.body


def test_it_starts_from_my_default_template_for_the_purpose(alice, dana, profile):
    MessageTemplateFactory(
        owner=alice,
        name="Short and sweet",
        subject="Hi {first_name}",
        body="Hi {first_name}! {ask}?",
    )

    message = compose(alice, dana, Purpose.INFORMATIONAL)

    assert message.subject == "Hi Dana"
    assert message.body == "Hi Dana! a 20-30 minute call?"
    assert message.template_name == "Short and sweet"


def test_an_unknown_variable_is_named_instead_of_drafting_a_broken_message(alice, dana):
    template = MessageTemplateFactory(owner=alice, body="Hello {frist_name}, {ask}")

    with pytest.raises(TemplateError, match=r"Unknown variable \{frist_name\}"):
        compose(alice, dana, Purpose.INFORMATIONAL, template=template)


def test_a_template_with_an_unknown_variable_cannot_be_saved(alice):
    template = MessageTemplateFactory.build(owner=alice, body="Dear {firstname}")

    with pytest.raises(ValidationError) as error:
        template.full_clean()

    assert "Unknown variable {firstname}" in str(error.value)


def test_nobody_drafts_to_another_users_person(alice, bob, dana):
    with pytest.raises(PermissionDenied):
        compose(bob, dana, Purpose.INFORMATIONAL)


def test_fill_keeps_text_and_drops_lines_of_empty_variables() -> None:
    text = "Hello {name},\n\n{empty}\n\nBye {empty} ."
    assert fill(text, {"name": "Kim", "empty": ""}) == "Hello Kim,\n\nBye."
    with pytest.raises(TemplateError):
        fill("{missing}", {})


def test_a_thank_you_from_a_conversation_says_what_was_learned_and_links_to_it(
    alice: Any, alice_client: Any, bob_client: Any
) -> None:

    from coffeechat.conversations import services as conversations
    from coffeechat.conversations.models import Topic
    from coffeechat.outreach.models import Message
    from tests.factories import ConversationFactory, PersonFactory

    dana = PersonFactory(owner=alice, first_name="Dana", last_name="Reyes")
    conversation = ConversationFactory(owner=alice, people=[dana])
    conversations.save_debrief(
        alice, conversation, learnings=[(Topic.OUTLOOK, "They open a Denver hub next year.")]
    )
    conversations.add_referral(alice, conversation, referred_by=dana, name="Kim Ng")

    url = conversations.thank_you_url(conversation, dana)
    assert url is not None
    page = alice_client.get(url)
    assert page.status_code == 200
    body = page.context["form"]["body"].value()
    assert "They open a Denver hub next year." in body
    assert "Kim Ng" in body

    response = alice_client.post(
        url,
        {
            **page.context["form"].initial,
            "body": body,
            "subject": "Thank you",
            "action": "mark_sent",
        },
    )
    assert response.status_code == 302
    message = Message.objects.get(owner=alice, purpose="thank_you")
    assert message.conversation_id == conversation.pk and message.status == "sent"

    # Another account can neither see the conversation nor draft from it.
    assert bob_client.get(url).status_code == 404


def test_a_path_through_a_directory_row_claims_no_connection_in_common(alice, dana, acme, profile):
    rosa = PersonFactory(
        owner=alice, first_name="Rosa", last_name="Diaz", source=Source.ALUMNI_DIRECTORY
    )
    EmploymentFactory(person=rosa, organization=acme)  # Dana's colleague; I never met her

    message = compose(alice, dana, Purpose.INFORMATIONAL, path_key=f"{rosa.pk}-{dana.pk}")

    assert "in common" not in message.body
    assert "Rosa" not in message.body
    assert message.connection_kind != ConnectionKind.FRIEND_OF_FRIEND
    assert "unfounded_mutual" not in {c.key for c in checks_for_message(message)}


def test_a_path_through_someone_i_know_names_them(alice, dana, acme, profile):
    rosa = PersonFactory(owner=alice, first_name="Rosa", last_name="Diaz")
    EmploymentFactory(person=rosa, organization=acme)
    TieFactory(to_person=rosa, kind=TieKind.FRIEND, strength=5)

    message = compose(alice, dana, Purpose.INFORMATIONAL, path_key=f"{rosa.pk}-{dana.pk}")

    assert "We have a connection in common: Rosa Diaz, who works with you." in message.body
    assert message.connection_kind == ConnectionKind.FRIEND_OF_FRIEND
    assert "unfounded_mutual" not in {c.key for c in checks_for_message(message)}
