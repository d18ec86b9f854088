"""Names received in a conversation: matched to a person or created, with a tie."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet

from coffeechat.conversations.models import Conversation, Referral
from coffeechat.core.calendar import add_business_days, local_today, user_country
from coffeechat.core.scoping import is_derived, owned, save_owned
from coffeechat.network.duplicates import Candidate, candidates_for, find_duplicates
from coffeechat.network.models import EmailAddress, Person, Source, Tie, TieKind
from coffeechat.network.names import split_name
from coffeechat.network.normalize import email_key, name_key, organization_key
from coffeechat.network.services import NewJob, create_person, record_job, validate_emails

# Business days to write to a referral yourself, or to check the introduction happened.
WRITE_YOURSELF_DAYS = 2
CHECK_INTRODUCTION_DAYS = 5


@dataclass(frozen=True, slots=True)
class PersonMatch:
    person: Person
    reason: str


def match_person(
    owner: Any, first_name: str, last_name: str, email: str = "", organization_name: str = ""
) -> PersonMatch | None:
    """The person already in the network that this name (and e-mail) most likely is."""
    if email:
        address = (
            EmailAddress.objects.filter(owner=owner, email__iexact=email.strip())
            .select_related("person")
            .first()
        )
        if address is not None:
            return PersonMatch(address.person, f"same e-mail address {address.email}")
    candidates = candidates_for(owner)
    new = Candidate(
        id=-1,
        first_name=first_name,
        last_name=last_name,
        emails=frozenset({email_key(email)} if email else ()),
        organizations=frozenset({organization_key(organization_name)} if organization_name else ()),
        organization_names={organization_key(organization_name): organization_name}
        if organization_name
        else {},
    )
    matches = find_duplicates([new], against=candidates)
    if matches:
        best = matches[0]
        return PersonMatch(owned(Person, owner).get(pk=best.b), "; ".join(best.reasons))
    key = name_key(first_name, last_name)
    same = [c for c in candidates if name_key(c.first_name, c.last_name) == key]
    if organization_name:
        org = organization_key(organization_name)
        at_org = [c for c in same if org in c.organizations]
        same = at_org or same
    if len(same) == 1:
        return PersonMatch(owned(Person, owner).get(pk=same[0].id), "the same name")
    return None


@transaction.atomic
def add_referral(
    owner: Any,
    conversation: Conversation,
    *,
    referred_by: Person,
    name: str = "",
    person: Person | None = None,
    email: str = "",
    organization_name: str = "",
    title: str = "",
    has_hiring_authority: bool = False,
    will_introduce: bool = False,
    note: str = "",
    follow_up_on: date | None = None,
) -> Referral:
    """A name received in a conversation: matched to a person or created, with a tie.

    A new person is created by the network's :func:`create_person`, with the same
    name, e-mail and LinkedIn rules as everywhere, and their job (``title``, and
    whether they hire) at ``organization_name``; a matched person gets that job
    recorded or completed. The tie is yours to the new person, of kind "referred",
    introduced by the person who gave the name, so warm paths and referral chains
    see the new link. The follow-up date defaults to two business days (write
    yourself) or five (check that the introduction happened).
    """
    if not conversation.participants.filter(pk=referred_by.pk).exists():
        raise ValidationError({"referred_by": "Only someone in this conversation can refer you."})
    emails = validate_emails([email], field="email")
    job = NewJob(organization_name, title=title, has_hiring_authority=has_hiring_authority)
    matched = False
    reason = ""
    if person is None:
        parts = split_name(name)
        if not parts.first:
            raise ValidationError({"name": "Write the name you were given."})
        found = match_person(
            owner, parts.first, parts.last, emails[0] if emails else "", organization_name
        )
        if found is not None:
            person, matched, reason = found.person, True, found.reason
        else:
            person = create_person(
                owner,
                first_name=parts.first,
                last_name=parts.last,
                emails=emails,
                job=job,
                source=Source.REFERRAL,
                notes=f"Referred by {referred_by.full_name}.",
            )
    else:
        matched = True
        if person.owner_id != owner.pk:
            raise ValidationError({"person": "There is no such person in your network."})
    if person.pk == referred_by.pk:
        raise ValidationError({"name": "That is the person who referred you."})
    if matched:
        record_job(owner, person, job)
    if follow_up_on is None:
        days = CHECK_INTRODUCTION_DAYS if will_introduce else WRITE_YOURSELF_DAYS
        follow_up_on = add_business_days(local_today(owner), days, user_country(owner))
    if (
        not owned(Tie, owner)
        .filter(from_person__isnull=True, to_person=person, introduced_by=referred_by)
        .exists()
    ):
        save_owned(
            owner,
            Tie(
                from_person=None,
                to_person=person,
                kind=TieKind.REFERRED,
                strength=2,
                introduced_by=referred_by,
                since=local_today(owner),
                note=f"Referred in a conversation on {conversation.starts_at:%Y-%m-%d}.",
            ),
        )
    referral = save_owned(
        owner,
        Referral(
            conversation=conversation,
            referred_by=referred_by,
            person=person,
            will_introduce=will_introduce,
            note=note,
            follow_up_on=follow_up_on,
        ),
    )
    Referral.objects.filter(pk=referral.pk).update(matched_existing=matched)
    referral.matched_existing = matched
    referral.match_reason = reason  # type: ignore[attr-defined]
    return referral


# Rows that describe a person rather than attach them to anything: a person created by a
# referral comes with an e-mail address and a job, and they go with the person.
PERSON_DETAILS = frozenset({"email_addresses", "phone_numbers", "employments"})
# How the other rows that point at a person are named to the user.
ATTACHMENT_NAMES: dict[str, str] = {
    "participations": "conversations",
    "referrals_given": "referrals they gave you",
    "referrals_received": "other referrals",
    "ties_out": "ties",
    "ties_in": "ties",
    "introductions": "introductions",
    "interactions": "timeline entries",
    "listed_postings": "postings",
    "referred_applications": "applications",
    "promises": "promises",
    "follow_ups": "follow-ups",
    "messages": "messages",
    "memberships": "memberships",
}


def _referral_ties(owner: Any, referral: Referral) -> QuerySet[Tie]:
    """The "referred" tie :func:`add_referral` made for this name and introducer."""
    return Tie.objects.filter(
        owner=owner,
        from_person__isnull=True,
        to_person_id=referral.person_id,
        introduced_by_id=referral.referred_by_id,
        kind=TieKind.REFERRED,
    )


def person_attachments(owner: Any, referral: Referral) -> list[str]:
    """What else the referred person has, besides this referral and its tie (one query).

    Empty means the person was created by this referral and nothing else refers to
    them yet, so they may be offered for deletion with it. A person the referral
    matched (already in the network) always has something else: themselves.
    """
    if referral.matched_existing:
        return ["they were already in your network"]
    own_ties = _referral_ties(owner, referral).values("pk")
    checks: dict[str, Exists] = {}
    for relation in Person._meta.related_objects:
        if relation.many_to_many or relation.name in PERSON_DETAILS:
            continue  # conversations are counted through participations
        if is_derived(relation.related_model):
            continue  # the search index
        rows = relation.related_model._base_manager.filter(**{relation.field.name: OuterRef("pk")})
        if relation.name == "referrals_received":
            rows = rows.exclude(pk=referral.pk)
        elif relation.name == "ties_in":
            rows = rows.exclude(pk__in=own_ties)
        checks[f"has_{relation.name}"] = Exists(rows)
    found = (
        Person.objects.filter(owner=owner, pk=referral.person_id)
        .annotate(**checks)
        .values()
        .first()
    )
    if found is None:
        return []
    names = [
        ATTACHMENT_NAMES.get(key[4:], key[4:].replace("_", " ")) for key in checks if found.get(key)
    ]
    return list(dict.fromkeys(names))


@transaction.atomic
def update_referral(
    owner: Any,
    referral: Referral,
    *,
    will_introduce: bool | None = None,
    note: str | None = None,
    follow_up_on: date | None = None,
    clear_follow_up: bool = False,
) -> Referral:
    """Change what was agreed about a referral: who writes, the note, the follow-up date.

    The name, who gave it and the conversation stay: a wrong one is deleted and added
    again, so that the person and their tie stay right.
    """
    if will_introduce is not None:
        referral.will_introduce = will_introduce
    if note is not None:
        referral.note = note[:500]
    if follow_up_on is not None or clear_follow_up:
        referral.follow_up_on = follow_up_on
    return save_owned(owner, referral)


@transaction.atomic
def delete_referral(owner: Any, referral: Referral, *, delete_person: bool = False) -> bool:
    """Remove a referral entered by mistake, and the "referred" tie it made.

    The tie stays while another referral of the same name by the same person needs it.
    The person stays unless ``delete_person`` is asked for; that is refused (nothing is
    deleted) when they have anything else (:func:`person_attachments`). Returns
    whether the person was deleted.
    """
    person = referral.person
    if delete_person:
        attached = person_attachments(owner, referral)
        if attached:
            raise ValidationError(
                {
                    "delete_person": f"{person.full_name} stays in your network: they also "
                    f"have {', '.join(attached)}."
                }
            )
    ties = _referral_ties(owner, referral)
    referral.delete()
    if not Referral.objects.filter(
        owner=owner, person_id=referral.person_id, referred_by_id=referral.referred_by_id
    ).exists():
        ties.delete()
    if delete_person:
        person.delete()
    return delete_person
