"""A user with a row in every model that holds a user's data, and a few secrets."""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass
from typing import Any

from allauth.account.models import EmailAddress as SignInAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.contrib.admin.models import ADDITION, LogEntry
from django.utils import timezone

from coffeechat.accounts.services import create_api_token
from coffeechat.bench.models import OpeningOutcome
from coffeechat.bench.services import save_settings
from coffeechat.conversations.models import ChosenQuestion, Promise, Referral
from coffeechat.core.calendar import local_today
from coffeechat.followups.models import Digest, FollowUpSettings, Notification
from coffeechat.followups.services import new_feed_token
from coffeechat.imports.models import ImportBatch, ImportChange, SavedMapping
from coffeechat.imports.services import create_batch
from coffeechat.network.models import Interaction, MailExchange, NotDuplicate, PhoneNumber
from coffeechat.outreach.services import save_smtp_settings
from coffeechat.progress.models import WeeklyReviewSent
from coffeechat.progress.services import save_review_settings
from coffeechat.targets.models import ApplicationEvent
from tests.factories import (
    ApplicationFactory,
    ConversationFactory,
    EmailAddressFactory,
    EmploymentFactory,
    FollowUpFactory,
    LearningFactory,
    MembershipFactory,
    MessageFactory,
    OrganizationFactory,
    PersonFactory,
    QuestionFactory,
    TagFactory,
    TieFactory,
    network_of,
)


@dataclass
class Secrets:
    api_token: str
    api_token_hash: str
    smtp_password: str
    smtp_password_encrypted: str
    feed_token: str
    feed_token_hash: str
    password_hash: str
    totp_secret: str
    upload_name: str


def grow(owner: Any, count: int, label: str) -> None:
    """``count`` more people, each with a row of every kind that hangs off a person."""
    organization = OrganizationFactory(owner=owner, name=f"{label} Org")
    tag = TagFactory(owner=owner, name=f"{label}-tag")
    for n in range(count):
        person = PersonFactory(owner=owner, first_name=f"{label}{n}", last_name="Grown")
        person.tags.add(tag)
        EmailAddressFactory(person=person, email=f"{label.lower()}{n}@grown.example")
        PhoneNumber.objects.create(owner=owner, person=person, number=f"+1 555 01{n:02d}")
        EmploymentFactory(person=person, organization=organization)
        MembershipFactory(person=person)
        TieFactory(to_person=person)
        Interaction.objects.create(
            owner=owner, person=person, occurred_at=timezone.now(), kind="note", body="Met"
        )
        conversation = ConversationFactory(owner=owner, organization=organization, people=[person])
        LearningFactory(conversation=conversation)
        Promise.objects.create(owner=owner, conversation=conversation, text="Send a link")
        Referral.objects.create(
            owner=owner,
            conversation=conversation,
            referred_by=person,
            person=PersonFactory(owner=owner, first_name=f"{label}{n}", last_name="Referred"),
        )
        ChosenQuestion.objects.create(owner=owner, conversation=conversation, text="Why here?")
        MessageFactory(person=person, organization=organization)
        follow_up = FollowUpFactory(owner=owner, person=person, title=f"Thank {label}{n}")
        Notification.objects.create(owner=owner, follow_up=follow_up, due_on=follow_up.due_on)
        application = ApplicationFactory(organization=organization, role_title=f"Role {n}")
        ApplicationEvent.objects.create(
            owner=owner, application=application, status="applied", on=local_today(owner)
        )
        QuestionFactory(owner=owner)


def fill_every_kind(owner: Any) -> Secrets:
    """One row or more of every model that holds a user's data, plus every kind of secret."""
    objects = network_of(owner)
    grow(owner, 2, "Extra")
    person, other = objects["person"], objects["other_person"]
    NotDuplicate.objects.create(
        owner=owner,
        person_a=min(person, other, key=lambda p: p.pk),
        person_b=max(person, other, key=lambda p: p.pk),
    )
    # What the mailbox suggests about a person (counted from the stored mail).
    MailExchange.objects.create(
        owner=owner, person=person, sent=2, received=1, last_at=timezone.now()
    )
    save_settings(owner, 60)
    OpeningOutcome.objects.create(
        owner=owner, opening=objects["opening"], entry=objects["bench_entry"], outcome="hired"
    )
    SavedMapping.objects.create(owner=owner, signature="a" * 64, header=["Name"], mapping={})
    Digest.objects.create(
        owner=owner, local_date=local_today(owner), status="sent", claimed_at=timezone.now()
    )
    save_review_settings(owner, email_enabled=True, weekday=3)
    WeeklyReviewSent.objects.create(
        owner=owner,
        week=datetime.date(2026, 3, 2),
        status="sent",
        claimed_at=timezone.now(),
        counts={"notes": 2},
    )
    ImportChange.objects.create(batch=objects["import_batch"], model="network.Person", object_id=1)
    batch = create_batch(owner, io.BytesIO(b"First Name,Last Name\nAda,Lovelace\n"), "ada.csv")
    assert ImportBatch.objects.get(pk=batch.pk).stored_name
    token, raw_token = create_api_token(owner, "laptop")
    smtp_password = "smtp-pass-" + owner.email
    smtp = save_smtp_settings(
        owner,
        host="smtp.example.org",
        port=587,
        security="starttls",
        username="me",
        password=smtp_password,
        from_email=owner.email,
    )
    feed_token = new_feed_token(owner)
    totp_secret = "TOTPSECRET" + str(owner.pk) * 6
    Authenticator.objects.create(user=owner, type="totp", data={"secret": totp_secret})
    SignInAddress.objects.create(user=owner, email=owner.email, verified=True, primary=True)
    SocialAccount.objects.create(
        user=owner, provider="sso", uid=f"sso-{owner.pk}", extra_data={"email": owner.email}
    )
    LogEntry.objects.create(
        user=owner, object_repr="something", action_flag=ADDITION, change_message="[]"
    )
    owner.refresh_from_db()
    return Secrets(
        api_token=raw_token,
        api_token_hash=token.key_hash,
        smtp_password=smtp_password,
        smtp_password_encrypted=smtp.password_encrypted,
        feed_token=feed_token,
        feed_token_hash=FollowUpSettings.objects.get(owner=owner).feed_token_hash,
        password_hash=owner.password,
        totp_secret=totp_secret,
        upload_name=batch.stored_name,
    )
