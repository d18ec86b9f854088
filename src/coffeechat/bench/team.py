"""My team refers people to me: team links between users, and the proposals they send.

A manager invites a team member by the e-mail address of their Coffeechat account. The
invitation is stored whatever the address (answered the same way, so it tells nothing
about which accounts exist) and shown to whoever signs in with it. An active link lets
the member refer a person from their own network: only the fields they tick are copied
into a :class:`TeamProposal` owned by the manager; nothing else crosses (no id, no notes,
no tags, no ties). Accepting a proposal creates or finds the person in the manager's
network through the network's one writer and benches them; the accepted proposal is what
the ranking's "who vouches" factor counts (see :mod:`coffeechat.bench.ranking`).

Every write is one function here; pages, the API and the account deletion call them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from coffeechat.bench import services
from coffeechat.bench.models import (
    BenchEntry,
    DataSource,
    LinkStatus,
    ProposalStatus,
    TeamLink,
    TeamProposal,
)
from coffeechat.core.calendar import local_today
from coffeechat.core.scoping import get_owned_or_404, owned, save_owned
from coffeechat.followups import invitations
from coffeechat.followups import services as followups
from coffeechat.followups.invitations import display_name
from coffeechat.followups.models import FollowUp, Kind
from coffeechat.network import services as network
from coffeechat.network.models import EmailAddress, Person, Source

# The fields a team member may choose to share; the name always travels.
SHAREABLE = {
    "email": "E-mail address",
    "phone": "Phone number",
    "job": "Current job title and organization",
    "linkedin": "LinkedIn URL",
}
INVITED = (
    "Invitation saved. Whoever signs in to Coffeechat with this address sees it on "
    "their Team page and can accept or decline it."
)
MANAGER, MEMBER = "manager", "member"


# A line on Today: for the member when an invitation reaches their account, for the
# manager when a proposal arrives; closed when answered.


def _invitation_key(link: TeamLink) -> str:
    return f"bench_team_invitation:{link.pk}"


def _proposal_key(proposal: TeamProposal) -> str:
    return f"bench_proposal:{proposal.pk}"


def _close_lines(keys: list[str], reason: str) -> None:
    if keys:
        followups.retire_rows(FollowUp.objects.filter(rule_key__in=keys), reason)


# Links --------------------------------------------------------------------------------


def links_managed(manager: Any) -> QuerySet[TeamLink]:
    """The team links I manage (every status), with their members."""
    return owned(TeamLink, manager).select_related("member")


def invitations_for(user: Any) -> QuerySet[TeamLink]:
    """The links where I am the member: those I answered, and pending ones to my address
    (see :func:`coffeechat.followups.invitations.addressed_to`)."""
    return invitations.addressed_to(TeamLink, user, "member")


def invitation_or_404(user: Any, link_id: int) -> TeamLink:
    try:
        return invitations_for(user).get(pk=link_id)
    except (TeamLink.DoesNotExist, ValueError, TypeError):
        raise Http404("No team invitation matches the given query.") from None


def active_links_as_member(user: Any) -> QuerySet[TeamLink]:
    """The managers I may refer people to now."""
    return invitations_for(user).filter(member=user, status=LinkStatus.ACTIVE)


@transaction.atomic
def invite(manager: Any, email: str) -> TeamLink:
    """Invite the account with this address to refer people to my bench.

    Stored whether or not such an account exists, and answered the same (:data:`INVITED`).
    Inviting an address already invited or active returns that link unchanged.
    """
    address = invitations.invited_address(
        manager, email, missing="Write the e-mail address of their Coffeechat account."
    )
    found = links_managed(manager).filter(email=address, status__in=invitations.LIVE).first()
    if found is not None:
        return found
    link = save_owned(manager, TeamLink(email=address))
    invitations.notify(
        link,
        key=_invitation_key(link),
        rule="bench_team_invitation",
        title=f"{display_name(manager)} invites you to refer people to their bench",
        action_url=reverse("bench:team"),
    )
    return link


def _check_invited(user: Any, link: TeamLink) -> None:
    """Only the person invited answers an invitation (views look it up the same way)."""
    if not invitations_for(user).filter(pk=link.pk).exists():
        raise Http404("No team invitation matches the given query.")


def _answer(user: Any, link: TeamLink, status: str) -> TeamLink:
    return invitations.answer(
        user,
        link,
        status,
        invitee="member",
        visible=invitations_for(user),
        key=_invitation_key(link),
    )


@transaction.atomic
def accept_invitation(user: Any, link: TeamLink) -> TeamLink:
    return _answer(user, link, LinkStatus.ACTIVE)


@transaction.atomic
def decline_invitation(user: Any, link: TeamLink) -> TeamLink:
    return _answer(user, link, LinkStatus.DECLINED)


@transaction.atomic
def end_link(user: Any, link: TeamLink) -> TeamLink:
    """Either side ends the link (the manager may also withdraw an invitation).

    No referral is accepted through it from now on; proposals still waiting are withdrawn
    (their copied data deleted). Accepted ones stay with the manager, as the manager's data.
    """
    if link.owner_id != user.pk:
        _check_invited(user, link)
    waiting = list(link.proposals.filter(status=ProposalStatus.PENDING))
    invitations.end(
        link,
        keys=[_invitation_key(link), *(_proposal_key(p) for p in waiting)],
        reason="The team link ended.",
        already="This team link has already ended.",
        fields={"ended_by": MANAGER if link.owner_id == user.pk else MEMBER},
    )
    link.proposals.filter(pk__in=[p.pk for p in waiting]).delete()
    return link


# Referring ----------------------------------------------------------------------------


def _current_job(owner: Any, person: Person) -> tuple[str, str]:
    job = (
        person.employments.filter(owner=owner, is_current=True)
        .select_related("organization")
        .order_by("pk")
        .first()
    )
    return (job.title, job.organization.name) if job else ("", "")


@transaction.atomic
def refer(
    member: Any,
    link: TeamLink,
    person: Person,
    *,
    why: str,
    share: Iterable[str] = (),
    skills: str = "",
) -> TeamProposal:
    """Refer a person of my network to a manager: their name, and the fields in ``share``.

    The values are copied now; the proposal holds no reference to my network.
    """
    if link.member_id != member.pk or link.status != LinkStatus.ACTIVE:
        raise ValidationError({"link": "You are not on this manager's team (any more)."})
    if person.owner_id != member.pk:
        raise ValidationError({"person": f"There is no person with id {person.pk}."})
    chosen = set(share)
    unknown = chosen - set(SHAREABLE)
    if unknown:
        raise ValidationError({"share": f"Unknown field to share: {sorted(unknown)[0]}."})
    why = (why or "").strip()
    if not why:
        raise ValidationError({"why": "Say why you refer them."})
    skills = " ".join((skills or "").split())
    services.parse_skills(skills)  # a bad level is an error on "skills"
    proposal = TeamProposal(
        link=link,
        referrer_name=display_name(member)[:254],
        first_name=person.first_name,
        last_name=person.last_name,
        why=why,
        skills=skills,
    )
    if "email" in chosen:
        proposal.email = (
            person.email_addresses.order_by("position", "pk")
            .values_list("email", flat=True)
            .first()
            or ""
        )
    if "phone" in chosen:
        proposal.phone = (
            person.phone_numbers.order_by("position", "pk").values_list("number", flat=True).first()
            or ""
        )
    if "job" in chosen:
        proposal.job_title, proposal.organization = _current_job(member, person)
    if "linkedin" in chosen:
        proposal.linkedin_url = person.linkedin_url
    manager = link.owner
    save_owned(manager, proposal)
    followups.ensure(
        manager,
        _proposal_key(proposal),
        rule="bench_proposal",
        kind=Kind.CUSTOM,
        title=f"{proposal.referrer_name} referred {proposal.full_name} to your bench"[:200],
        due_on=local_today(manager),
        action_url=proposal.get_absolute_url(),
    )
    return proposal


def proposals_for(manager: Any) -> QuerySet[TeamProposal]:
    return owned(TeamProposal, manager)


def sent_by(member: Any) -> QuerySet[TeamProposal]:
    """The referrals I sent (through links where I am the member)."""
    if member is None or not member.is_authenticated:
        return TeamProposal.objects.none()
    return TeamProposal.objects.filter(link__member=member).select_related("link__owner__profile")


def sent_or_404(member: Any, proposal_id: int) -> TeamProposal:
    try:
        return sent_by(member).get(pk=proposal_id)
    except (TeamProposal.DoesNotExist, ValueError, TypeError):
        raise Http404("No referral matches the given query.") from None


def proposal_or_404(manager: Any, proposal_id: int) -> TeamProposal:
    return get_owned_or_404(TeamProposal.objects.select_related("link"), manager, pk=proposal_id)


def _person_with_email(manager: Any, email: str) -> Person | None:
    if not email:
        return None
    found = (
        owned(EmailAddress, manager)
        .filter(email__iexact=email)
        .select_related("person")
        .order_by("pk")
        .first()
    )
    return found.person if found else None


@transaction.atomic
def accept_proposal(manager: Any, proposal: TeamProposal) -> BenchEntry:
    """Add the proposed person to my network (or find them by e-mail) and bench them."""
    if proposal.status != ProposalStatus.PENDING:
        raise ValidationError({"status": "This proposal was already answered."})
    person = _person_with_email(manager, proposal.email)
    if person is None:
        job = None
        if proposal.organization:
            job = network.NewJob(proposal.organization, title=proposal.job_title)
        person = network.create_person(
            manager,
            first_name=proposal.first_name,
            last_name=proposal.last_name,
            emails=[proposal.email] if proposal.email else [],
            phones=[proposal.phone] if proposal.phone else [],
            linkedin_url=proposal.linkedin_url,
            job=job,
            source=Source.REFERRAL,
        )
    entry = owned(BenchEntry, manager).filter(person=person).first()
    if entry is None:
        note = f"Referred by {proposal.referrer_name}, from your team"
        entry = services.save_entry(
            manager,
            BenchEntry(
                person=person,
                data_source=DataSource.REFERRER,
                data_note=note[:300],
                fit_reason=proposal.why[:300],
            ),
            skills=services.parse_skills(proposal.skills),
        )
    proposal.status = ProposalStatus.ACCEPTED
    proposal.decided_at = timezone.now()
    proposal.person = person
    proposal.entry = entry
    save_owned(manager, proposal)
    followups.complete(
        manager, _proposal_key(proposal), reason=f"You put {person.full_name} on your bench."
    )
    return entry


@transaction.atomic
def decline_proposal(manager: Any, proposal: TeamProposal) -> TeamProposal:
    """Drop a proposal: its copied details are deleted; the referrer sees "declined"."""
    if proposal.status != ProposalStatus.PENDING:
        raise ValidationError({"status": "This proposal was already answered."})
    for name in ("email", "phone", "job_title", "organization", "skills", "linkedin_url"):
        setattr(proposal, name, "")
    proposal.why = "-"
    proposal.status = ProposalStatus.DECLINED
    proposal.decided_at = timezone.now()
    followups.complete(manager, _proposal_key(proposal), reason="You declined the proposal.")
    return save_owned(manager, proposal)


# The account ----------------------------------------------------------------------------


@transaction.atomic
def forget_member(user: Any) -> int:
    """Before an account is deleted: the referrals it sent that no manager accepted go.

    (Accepted ones are the manager's data now; the links themselves cascade with the user.)
    """
    going = sent_by(user).exclude(status=ProposalStatus.ACCEPTED)
    _close_lines([_proposal_key(p) for p in going], "The referrer deleted their account.")
    deleted, _per_model = going.delete()
    return deleted


def member_side(user: Any) -> dict[str, Any]:
    """My side of other people's teams, for the full-account export."""
    return {
        "i_refer_to": [
            {
                "id": link.pk,
                "manager": link.owner.email,
                "status": link.status,
                "invited_at": link.created_at.isoformat(),
                "responded_at": link.responded_at.isoformat() if link.responded_at else None,
                "ended_at": link.ended_at.isoformat() if link.ended_at else None,
            }
            for link in invitations_for(user).order_by("pk")
        ],
        "referrals_sent": [
            {
                "id": proposal.pk,
                "to": proposal.link.owner.email if proposal.link else None,
                "name": proposal.full_name,
                "status": proposal.status,
                "sent_at": proposal.created_at.isoformat(),
            }
            for proposal in sent_by(user).order_by("pk")
        ],
    }
