"""factory-boy factories for every model; each row belongs to one owner."""

from __future__ import annotations

import datetime
from typing import Any

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from coffeechat.accounts.models import MyAffiliation, Profile, User
from coffeechat.bench import front_door, team
from coffeechat.bench.models import BenchEntry, Opening
from coffeechat.bench.services import log_contact, parse_skills, save_entry, save_opening
from coffeechat.coaching import services as coaching
from coffeechat.conversations.models import (
    Conversation,
    Learning,
    Participant,
    Promise,
    PromiseDirection,
    Question,
    Referral,
    Story,
    Topic,
)
from coffeechat.core.calendar import local_today
from coffeechat.followups.models import FollowUp, Kind
from coffeechat.imports.models import ImportBatch
from coffeechat.mailbox.models import MailRecord
from coffeechat.mailbox.services import save_mailbox
from coffeechat.network.models import (
    Affiliation,
    AffiliationKind,
    EmailAddress,
    Employment,
    Membership,
    Organization,
    Person,
    Tag,
    Tie,
    TieKind,
)
from coffeechat.outreach.models import (
    Channel,
    ConnectionCheck,
    Message,
    MessageTemplate,
    Purpose,
    Status,
)
from coffeechat.staff.models import Invitation
from coffeechat.targets.models import (
    Application,
    ApplicationChannel,
    ApplicationStatus,
    Posting,
    Target,
)

PASSWORD = "correct-horse-battery-staple"


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    password = factory.django.Password(PASSWORD)
    profile = factory.RelatedFactory("tests.factories.ProfileFactory", factory_related_name="user")


class ProfileFactory(DjangoModelFactory[Profile]):
    class Meta:
        model = Profile

    full_name = factory.Faker("name")
    time_zone = "Europe/Berlin"
    country = "DE"


class OrganizationFactory(DjangoModelFactory[Organization]):
    class Meta:
        model = Organization

    owner = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Organization {n}")
    industry = "Software"


class PersonFactory(DjangoModelFactory[Person]):
    class Meta:
        model = Person

    owner = factory.SubFactory(UserFactory)
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")


class EmailAddressFactory(DjangoModelFactory[EmailAddress]):
    class Meta:
        model = EmailAddress

    person = factory.SubFactory(PersonFactory)
    owner = factory.SelfAttribute("person.owner")
    email = factory.Sequence(lambda n: f"contact{n}@example.org")


class TagFactory(DjangoModelFactory[Tag]):
    class Meta:
        model = Tag

    owner = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"tag{n}")


class EmploymentFactory(DjangoModelFactory[Employment]):
    class Meta:
        model = Employment

    person = factory.SubFactory(PersonFactory)
    owner = factory.SelfAttribute("person.owner")
    organization = factory.SubFactory(OrganizationFactory, owner=factory.SelfAttribute("..owner"))
    title = "Engineer"
    is_current = True


class AffiliationFactory(DjangoModelFactory[Affiliation]):
    class Meta:
        model = Affiliation

    owner = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Northfield University {n}")
    kind = AffiliationKind.SCHOOL


class MembershipFactory(DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    person = factory.SubFactory(PersonFactory)
    owner = factory.SelfAttribute("person.owner")
    affiliation = factory.SubFactory(AffiliationFactory, owner=factory.SelfAttribute("..owner"))
    class_year = 2015


class MyAffiliationFactory(DjangoModelFactory[MyAffiliation]):
    class Meta:
        model = MyAffiliation

    owner = factory.SubFactory(UserFactory)
    affiliation = factory.SubFactory(AffiliationFactory, owner=factory.SelfAttribute("..owner"))
    class_year = 2016


class TieFactory(DjangoModelFactory[Tie]):
    class Meta:
        model = Tie

    to_person = factory.SubFactory(PersonFactory)
    owner = factory.SelfAttribute("to_person.owner")
    from_person = None
    kind = TieKind.FRIEND
    strength = 3


class TargetFactory(DjangoModelFactory[Target]):
    class Meta:
        model = Target

    organization = factory.SubFactory(OrganizationFactory)
    owner = factory.SelfAttribute("organization.owner")
    motivation = 3


class PostingFactory(DjangoModelFactory[Posting]):
    class Meta:
        model = Posting

    organization = factory.SubFactory(OrganizationFactory)
    owner = factory.SelfAttribute("organization.owner")
    title = factory.Sequence(lambda n: f"Data Analyst {n}")


class ApplicationFactory(DjangoModelFactory[Application]):
    class Meta:
        model = Application

    organization = factory.SubFactory(OrganizationFactory)
    owner = factory.SelfAttribute("organization.owner")
    role_title = "Data Analyst"
    channel = ApplicationChannel.JOB_BOARD
    status = ApplicationStatus.APPLIED


class FollowUpFactory(DjangoModelFactory[FollowUp]):
    class Meta:
        model = FollowUp

    owner = factory.SubFactory(UserFactory)
    kind = Kind.CUSTOM
    title = factory.Sequence(lambda n: f"Follow-up {n}")
    due_on = factory.LazyAttribute(lambda o: local_today(o.owner))  # the owner's own date


class ConversationFactory(DjangoModelFactory[Conversation]):
    class Meta:
        model = Conversation
        skip_postgeneration_save = True

    owner = factory.SubFactory(UserFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=3))
    duration_minutes = 30

    @factory.post_generation
    def people(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        for position, person in enumerate(extracted or []):
            Participant.objects.create(
                owner=self.owner, conversation=self, person=person, position=position
            )


class LearningFactory(DjangoModelFactory[Learning]):
    class Meta:
        model = Learning

    conversation = factory.SubFactory(ConversationFactory)
    owner = factory.SelfAttribute("conversation.owner")
    topic = Topic.CULTURE
    text = factory.Sequence(lambda n: f"Teams plan in two-week cycles ({n}).")


class StoryFactory(DjangoModelFactory[Story]):
    class Meta:
        model = Story

    owner = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Cut delivery delays {n}")
    situation = "Late shipments every Monday."
    action = "Rebuilt the weekly routing plan."
    result = "Delays down by a third."
    skills = "forecasting, logistics"


class QuestionFactory(DjangoModelFactory[Question]):
    class Meta:
        model = Question

    owner = factory.SubFactory(UserFactory)
    text = factory.Sequence(lambda n: f"What would you change first in your team ({n})?")
    topic = "advice"


class MessageFactory(DjangoModelFactory[Message]):
    class Meta:
        model = Message

    person = factory.SubFactory(PersonFactory)
    owner = factory.SelfAttribute("person.owner")
    purpose = Purpose.INFORMATIONAL
    channel = Channel.EMAIL
    to_email = factory.Sequence(lambda n: f"recipient{n}@example.org")
    subject = "A question about your work"
    body = "Hello,\n\nWould you have time for a 20-minute call? Thank you."
    status = Status.DRAFT


class MessageTemplateFactory(DjangoModelFactory[MessageTemplate]):
    class Meta:
        model = MessageTemplate

    owner = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"My template {n}")
    purpose = Purpose.INFORMATIONAL
    channel = Channel.EMAIL
    subject = "Hello {first_name}"
    body = "Hello {first_name},\n\n{connection}\n\nWould you have time for {ask}?\n\n{signature}"


def network_of(owner: Any) -> dict[str, Any]:
    """One of each object for ``owner``: used by privacy tests."""
    person = PersonFactory(owner=owner, first_name="Secretia", last_name="Privatova")
    other = PersonFactory(owner=owner, first_name="Hiddenia", last_name="Quietly")
    organization = OrganizationFactory(owner=owner, name="Confidential Corp")
    affiliation = AffiliationFactory(owner=owner, name="Private Alumni Club")
    tag = TagFactory(owner=owner, name="secret-tag")
    person.tags.add(tag)
    EmailAddressFactory(person=person, email="secretia@confidential.example")
    target_org = organization
    posting = PostingFactory(
        organization=target_org, title="Covert Analyst", contact=person, url=""
    )
    conversation = ConversationFactory(
        owner=owner, organization=organization, people=[person, other], quick_notes="Sotto voce"
    )
    referral = Referral.objects.create(
        owner=owner, conversation=conversation, referred_by=person, person=other
    )
    bench_entry = save_entry(
        owner,
        BenchEntry(person=person, fit_reason="Whisperwind fit"),
        skills=parse_skills("quietcraft:4"),
    )
    bench_opening = save_opening(owner, Opening(title="Hushed postdoc"), required=["quietcraft"])
    log_contact(owner, bench_entry, datetime.date(2026, 1, 5), note="Murmured chat")
    door = front_door.save_door(
        owner, enabled=True, display_name="The quiet manager", intro="Hushhush intro"
    )
    conversation_request = front_door.submit_request(
        door,
        {
            "name": "Petitia Petitionova",
            "email": "petitia@petition.example",
            "connection": "referred",
            "referrer_name": "Secretia Privatova",
            "wants_to_learn": "Murmured ambitions",
        },
    )
    mailbox = save_mailbox(
        owner,
        host="imap.confidential.example",
        port=993,
        security="tls",
        username="secret@confidential.example",
        password="hush-app-password",
    )
    mail_record = MailRecord.objects.create(
        owner=owner,
        mailbox=mailbox,
        person=person,
        folder="INBOX",
        uidvalidity=1,
        uid=1,
        message_id=f"<hush.{owner.pk}@confidential.example>",
        direction="received",
        address="secretia@confidential.example",
        subject="Whispered reply",
        sent_at=datetime.datetime(2026, 1, 6, 9, 0, tzinfo=datetime.UTC),
        snippet="Murmured answer",
    )
    return {
        **team_of(owner, other),
        **coaching_of(owner),
        "mail_record": mail_record,
        "staff_invitation": Invitation.objects.create(
            email=f"invited.{owner.pk}@example.org",
            key_hash=f"{owner.pk:064d}",
            invited_by=None,
            expires_at=timezone.now() + datetime.timedelta(days=7),
        ),
        "connection_check": ConnectionCheck.objects.create(
            owner=owner,
            kind=ConnectionCheck.Kind.SMTP,
            status=ConnectionCheck.Status.FAILED,
            message="Login refused by secret@confidential.example",
            created_at=timezone.now(),
        ),
        "front_door": door,
        "conversation_request": conversation_request,
        "bench_entry": bench_entry,
        "opening": bench_opening,
        "conversation": conversation,
        "learning": LearningFactory(conversation=conversation, text="Murmured lesson"),
        "referral": referral,
        "promise": Promise.objects.create(
            owner=owner,
            conversation=conversation,
            direction=PromiseDirection.MINE,
            text="Send the hushed article",
        ),
        "story": StoryFactory(owner=owner, title="Clandestine success"),
        "question": QuestionFactory(owner=owner, text="Whispered question?"),
        "person": person,
        "other_person": other,
        "organization": organization,
        "affiliation": affiliation,
        "employment": EmploymentFactory(person=person, organization=organization),
        "membership": MembershipFactory(person=person, affiliation=affiliation),
        "tie": TieFactory(to_person=person, from_person=other, kind=TieKind.COLLEAGUE),
        "my_affiliation": MyAffiliationFactory(owner=owner, affiliation=affiliation),
        "tag": tag,
        "import_batch": ImportBatch.objects.create(
            owner=owner,
            original_name="Secretia-contacts.csv",
            status="imported",
            summary={"new": 1, "changed": 0, "unchanged": 0, "new_organizations": 0},
            samples={"new": [{"line": 2, "name": "Secretia Privatova", "organization": ""}]},
            created_rows={"network.Person": [person.pk]},
        ),
        "target": TargetFactory(organization=target_org, why="Whisperwind reasons", motivation=5),
        "posting": posting,
        "follow_up": FollowUpFactory(
            owner=owner,
            person=person,
            organization=organization,
            kind=Kind.THANK_YOU,
            title="Murmur thank-you to Secretia",
        ),
        "application": ApplicationFactory(
            organization=target_org, posting=posting, role_title="Covert Analyst"
        ),
        "message": MessageFactory(
            person=person,
            organization=organization,
            to_email="secretia@confidential.example",
            subject="Whisperwind question for Secretia",
            body="Dear Secretia Privatova, would you have time for a call?",
        ),
        "template": MessageTemplateFactory(
            owner=owner, name="Whisperwind template", body="Dear {first_name}, Whisperwind."
        ),
    }


def coaching_of(owner: Any) -> dict[str, Any]:
    """Both sides of coaching: ``owner``'s coach (with a comment for ``owner``), and
    someone ``owner`` coaches."""
    coach = UserFactory(email=f"coach-of-{owner.pk}@example.com")
    link = coaching.accept(
        coach, coaching.invite(owner, coach.email, scope="notes", show_names=True)
    )
    comment = coaching.comment(coach, link, "Hushed coaching tip: ask about the team")
    coached = UserFactory(email=f"coached-by-{owner.pk}@example.com")
    theirs = coaching.accept(owner, coaching.invite(coached, owner.email, scope="notes"))
    return {"coach_link": link, "coaching": theirs, "coach_comment": comment}


def team_of(owner: Any, person: Any) -> dict[str, Any]:
    """Both sides of a team: a member who refers to ``owner``, and a manager ``owner`` refers to."""
    teammate = UserFactory(email=f"teammate-of-{owner.pk}@example.com")
    link = team.accept_invitation(teammate, team.invite(owner, teammate.email))
    theirs = PersonFactory(owner=teammate, first_name="Noted", last_name="Candidate")
    proposal = team.refer(teammate, link, theirs, why="Whisperwind referral", share=["job"])
    boss = UserFactory(email=f"boss-of-{owner.pk}@example.com")
    invitation = team.accept_invitation(owner, team.invite(boss, owner.email))
    sent = team.refer(owner, invitation, person, why="Sotto voce referral", share=[])
    return {
        "team_link": link,
        "team_proposal": proposal,
        "team_invitation": invitation,
        "team_referral_sent": sent,
    }
