"""A coach, with consent: invitations, scope, ending, and the coach's comments.

A user invites a coach by e-mail address. The invitation is stored whatever the address
and answered the same way (it tells nothing about which accounts exist); it is e-mailed
through the instance's mail server (``EMAIL_URL``) and shown to whoever signs in with
that address (once verified, for an account made after the invitation: see
:mod:`coffeechat.followups.invitations`). Only an active link shows the coach
anything, and only within its scope; ending it takes effect on the next request.

Every write is one function here; pages, the API and the account deletion call them.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from coffeechat.coaching.models import CoachComment, CoachLink, LinkStatus, Scope
from coffeechat.core.calendar import local_today
from coffeechat.core.links import absolute_url
from coffeechat.core.scoping import get_owned_or_404, owned, save_owned
from coffeechat.followups import invitations
from coffeechat.followups import services as followups
from coffeechat.followups.invitations import LIVE, display_name
from coffeechat.followups.models import Kind

logger = logging.getLogger(__name__)

INVITED = (
    "Invitation saved. Whoever signs in to Coffeechat with this address sees it on their "
    "Coaching page and can accept or decline it; nothing is shown to them before they accept."
)
NOT_FOUND = "No coaching link matches the given query."
MAX_COMMENT = 2000


# Lines on Today ------------------------------------------------------------------------


def _invitation_key(link: CoachLink) -> str:
    return f"coaching_invitation:{link.pk}"


def _comment_key(comment: CoachComment) -> str:
    return f"coaching_comment:{comment.pk}"


# Reading -------------------------------------------------------------------------------


def my_coaches(owner: Any) -> QuerySet[CoachLink]:
    """The coaches I invited (every status)."""
    return owned(CoachLink, owner).select_related("coach__profile")


def invitations_for(user: Any) -> QuerySet[CoachLink]:
    """The links where I am (or am invited as) the coach: answered ones, and pending ones
    sent to my address (see :func:`coffeechat.followups.invitations.addressed_to`)."""
    return invitations.addressed_to(CoachLink, user, "coach")


def invitation_or_404(user: Any, link_id: int) -> CoachLink:
    try:
        return invitations_for(user).get(pk=link_id)
    except (CoachLink.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404(NOT_FOUND) from None


def coached_by(coach: Any) -> QuerySet[CoachLink]:
    """The active links where I am the coach: the people I may see now."""
    if coach is None or not coach.is_authenticated:
        return CoachLink.objects.none()
    return (
        CoachLink.objects.filter(coach=coach, status=LinkStatus.ACTIVE)
        .exclude(owner=coach)
        .select_related("owner__profile")
    )


def coached_or_404(coach: Any, link_id: int) -> CoachLink:
    """An active link of mine as coach; anything else (ended, someone else's) is a 404."""
    try:
        return coached_by(coach).get(pk=link_id)
    except (CoachLink.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404(NOT_FOUND) from None


def comments_for(owner: Any) -> QuerySet[CoachComment]:
    """The comments my coaches left me, newest first."""
    return owned(CoachComment, owner).select_related("line")


def comment_or_404(owner: Any, comment_id: int) -> CoachComment:
    return get_owned_or_404(CoachComment.objects.select_related("line"), owner, pk=comment_id)


# Inviting ------------------------------------------------------------------------------


def _check_scope(scope: str) -> str:
    if scope not in Scope.values:
        raise ValidationError({"scope": f"Choose one of: {', '.join(Scope.values)}."})
    return scope


def invitation_email(link: CoachLink) -> EmailMessage:
    who = display_name(link.owner)
    body = "\n".join(
        [
            "Hello,",
            "",
            f"{who} would like you to coach them and invites you to see their progress "
            "on Coffeechat.",
            f"What they share: {link.get_scope_display().lower()}.",
            "",
            "To accept or decline, sign in (or create an account with this address) and "
            f"open your Coaching page: {absolute_url(reverse('coaching:coachee-list'))}",
            "",
            "Nothing of theirs is shown to you before you accept. If you do not know them, "
            "ignore this e-mail.",
        ]
    )
    return EmailMessage(
        f"{who} invites you to be their coach on Coffeechat"[:200],
        body,
        settings.DEFAULT_FROM_EMAIL,
        [link.email],
        headers={"Auto-Submitted": "auto-generated"},
    )


def send_invitation(link: CoachLink) -> bool:
    """E-mail the invitation through the instance's mail server; False when none is set or
    the server refused (the invitation still waits on the coach's Coaching page)."""
    if not getattr(settings, "EMAIL_CONFIGURED", False):
        return False
    try:
        invitation_email(link).send(using="default")
    except Exception as error:  # noqa: BLE001 — any mail failure leaves the invitation as it is
        logger.warning("Coach invitation %s was not e-mailed: %s", link.pk, error)
        return False
    CoachLink.objects.filter(pk=link.pk).update(mailed=True)
    link.mailed = True
    return True


def invite(
    owner: Any, email: str, *, scope: str = Scope.PROGRESS, show_names: bool = False
) -> CoachLink:
    """Invite a coach by address, to see ``scope`` (names hidden unless ``show_names``).

    Stored whether or not an account has the address, answered the same (:data:`INVITED`),
    and e-mailed to the address. Inviting an address already invited or active returns
    that link unchanged.
    """
    address = invitations.invited_address(
        owner, email, missing="Write your coach's e-mail address."
    )
    _check_scope(scope)
    with transaction.atomic():
        found = my_coaches(owner).filter(email=address, status__in=LIVE).first()
        if found is not None:
            return found
        link = save_owned(owner, CoachLink(email=address, scope=scope, show_names=bool(show_names)))
        invitations.notify(
            link,
            key=_invitation_key(link),
            rule="coaching_invitation",
            title=f"{display_name(owner)} invites you to be their coach",
            action_url=reverse("coaching:coachee-list"),
        )
    send_invitation(link)
    return link


# Answering and ending --------------------------------------------------------------------


def _answer(coach: Any, link: CoachLink, status: str) -> CoachLink:
    return invitations.answer(
        coach,
        link,
        status,
        invitee="coach",
        visible=invitations_for(coach),
        key=_invitation_key(link),
    )


@transaction.atomic
def accept(coach: Any, link: CoachLink) -> CoachLink:
    return _answer(coach, link, LinkStatus.ACTIVE)


@transaction.atomic
def decline(coach: Any, link: CoachLink) -> CoachLink:
    return _answer(coach, link, LinkStatus.DECLINED)


@transaction.atomic
def end(user: Any, link: CoachLink) -> CoachLink:
    """The owner ends the link (or withdraws the invitation), or the coach stops coaching.

    The coach loses access at once: every coach page and API answer for it is a 404.
    """
    if link.owner_id != user.pk and link.coach_id != user.pk:
        raise Http404(NOT_FOUND)
    return invitations.end(
        link,
        keys=[_invitation_key(link)],
        reason="The coaching link ended.",
        already="This coaching link has already ended.",
    )


@transaction.atomic
def change_scope(
    owner: Any, link: CoachLink, *, scope: str | None = None, show_names: bool | None = None
) -> CoachLink:
    """The owner changes what the coach sees; the next page the coach opens shows it."""
    if link.owner_id != owner.pk:
        raise Http404(NOT_FOUND)
    if link.status not in LIVE:
        raise ValidationError({"status": "This coaching link has ended."})
    if scope is not None:
        link.scope = _check_scope(scope)
    if show_names is not None:
        link.show_names = bool(show_names)
    link.save(update_fields=["scope", "show_names", "updated_at"])
    return link


# Comments ------------------------------------------------------------------------------


@transaction.atomic
def comment(coach: Any, link: CoachLink, text: str) -> CoachComment:
    """A comment or suggestion for the person I coach; it appears on their Today page."""
    if link.coach_id != coach.pk or link.status != LinkStatus.ACTIVE:
        raise Http404(NOT_FOUND)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Write the comment."})
    if len(text) > MAX_COMMENT:
        raise ValidationError({"text": f"Keep it under {MAX_COMMENT:,} characters."})
    owner = link.owner
    found = save_owned(
        owner, CoachComment(link=link, coach_name=display_name(coach)[:254], text=text)
    )
    line, _created = followups.ensure(
        owner,
        _comment_key(found),
        rule="coaching_comment",
        kind=Kind.CUSTOM,
        title=f"Your coach {found.coach_name}: {text}"[:200],
        due_on=local_today(owner),
        action_url=f"{reverse('coaching:mine')}#comment-{found.pk}",
    )
    found.line = line
    found.save(update_fields=["line", "updated_at"])
    return found


@transaction.atomic
def dismiss(owner: Any, found: CoachComment) -> CoachComment:
    """The owner dismisses a comment: it leaves Today (and stays on the Coaching page)."""
    if found.owner_id != owner.pk:
        raise Http404("No comment matches the given query.")
    if found.dismissed_at is None:
        found.dismissed_at = timezone.now()
        found.save(update_fields=["dismissed_at", "updated_at"])
    followups.complete(owner, _comment_key(found), reason="You dismissed the comment.")
    if found.line_id is not None:
        found.line.refresh_from_db()  # type: ignore[union-attr]
    return found


def comments_by(coach: Any) -> QuerySet[CoachComment]:
    """The comments I left as a coach, on links still mine."""
    if coach is None or not coach.is_authenticated:
        return CoachComment.objects.none()
    return CoachComment.objects.filter(link__coach=coach)


# The account ---------------------------------------------------------------------------


def coach_side(user: Any) -> dict[str, Any]:
    """My side of other people's coaching links, for the full-account export."""
    return {
        "i_coach": [
            {
                "id": link.pk,
                "person": link.owner.email,
                "status": link.status,
                "scope": link.scope,
                "names_shown": link.show_names,
                "invited_at": link.created_at.isoformat(),
                "responded_at": link.responded_at.isoformat() if link.responded_at else None,
                "ended_at": link.ended_at.isoformat() if link.ended_at else None,
            }
            for link in invitations_for(user).order_by("pk")
        ],
        "comments_i_left": [
            {"id": c.pk, "link": c.link_id, "text": c.text, "at": c.created_at.isoformat()}
            for c in comments_by(user).order_by("pk")
        ],
    }
