"""Invitations from one account to another, by e-mail address, answered from Today.

The one mechanism behind a manager's team links (:mod:`coffeechat.bench.team`) and a
user's coach links (:mod:`coffeechat.coaching.services`). A link model has ``owner``
(who invites), ``email`` (the address invited), an invitee foreign key (``member``,
``coach``) set when the holder of the address answers, ``status``
(:class:`~coffeechat.followups.models.LinkStatus`), ``responded_at`` and ``ended_at``.

- The invitation is stored whatever the address and answered the same way, so it tells
  nothing about which accounts exist (:func:`invited_address`).
- It is shown to whoever signs in with that address; an account made *after* the
  invitation must first verify the address, since signing up with an address proves
  nothing (:func:`addressed_to`).
- An account that holds the address gets a line on Today (:func:`notify`), closed when
  the invitation is answered (:func:`answer`) or ended (:func:`end`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from allauth.account.models import EmailAddress as AccountAddress
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from coffeechat.accounts.models import Profile
from coffeechat.core.calendar import local_today
from coffeechat.followups import services as followups
from coffeechat.followups.models import FollowUp, Kind, LinkStatus
from coffeechat.network.addresses import clean_email

LIVE = (LinkStatus.PENDING, LinkStatus.ACTIVE)


def display_name(user: Any) -> str:
    """How a user is named to the other side of a link: their profile name and address."""
    try:
        name = user.profile.full_name
    except Profile.DoesNotExist:
        name = ""
    return f"{name} ({user.email})" if name else user.email


def address_verified(user: Any) -> bool:
    """Has ``user`` proved they hold their account's address (allauth's verification)?"""
    return AccountAddress.objects.filter(
        user=user, email__iexact=user.email, verified=True
    ).exists()


def invited_address(inviter: Any, email: str, *, missing: str) -> str:
    """The address to invite, cleaned and lower-cased; ``missing`` is the message when it
    is not an e-mail address. Inviting oneself is refused."""
    address = clean_email(email or "")
    if address is None:
        raise ValidationError({"email": missing})
    address = address.lower()
    if address == inviter.email.lower():
        raise ValidationError({"email": "That is your own address."})
    return address


def addressed_to(model: type[models.Model], user: Any, invitee: str) -> QuerySet[Any]:
    """The links of ``model`` where ``user`` is the invitee: those they answered, and the
    pending ones sent to their address (only those sent to their account while it already
    had the address, until they verify it)."""
    if user is None or not user.is_authenticated:
        return model._default_manager.none()
    waiting = Q(**{f"{invitee}__isnull": True}, status=LinkStatus.PENDING, email=user.email.lower())
    if not address_verified(user):
        waiting &= Q(created_at__gte=user.date_joined)
    mine = Q(**{invitee: user}) | waiting
    return model._default_manager.filter(mine).exclude(owner=user).select_related("owner__profile")


def notify(link: Any, *, key: str, rule: str, title: str, action_url: str) -> None:
    """A line on Today for the account that holds the invited address, if one does."""
    invitee = get_user_model().objects.filter(email__iexact=link.email).first()
    if invitee is None:
        return
    followups.ensure(
        invitee,
        key,
        rule=rule,
        kind=Kind.CUSTOM,
        title=title[:200],
        due_on=local_today(invitee),
        action_url=action_url,
    )


def answer(
    user: Any, link: Any, status: str, *, invitee: str, visible: QuerySet[Any], key: str
) -> Any:
    """The invitee accepts or declines a pending invitation (a 404 unless ``visible`` to
    them: see :func:`addressed_to`); their line on Today is closed."""
    if not visible.filter(pk=link.pk).exists():
        raise Http404("No invitation matches the given query.")
    if link.status != LinkStatus.PENDING:
        raise ValidationError({"status": "This invitation was already answered or withdrawn."})
    setattr(link, invitee, user)
    link.status = status
    link.responded_at = timezone.now()
    link.save(update_fields=[invitee, "status", "responded_at", "updated_at"])
    followups.complete(user, key, reason="You answered the invitation.")
    return link


def end(
    link: Any,
    *,
    keys: Iterable[str],
    reason: str,
    already: str,
    fields: dict[str, Any] | None = None,
) -> Any:
    """End a live link (or withdraw a pending invitation): ``already`` is the message when
    it has ended before; the Today lines named by ``keys`` are retired with ``reason``."""
    if link.status not in LIVE:
        raise ValidationError({"status": already})
    link.status = LinkStatus.ENDED
    link.ended_at = timezone.now()
    for name, value in (fields or {}).items():
        setattr(link, name, value)
    link.save(update_fields=["status", "ended_at", *(fields or {}), "updated_at"])
    followups.retire_rows(FollowUp.objects.filter(rule_key__in=list(keys)), reason)
    return link
