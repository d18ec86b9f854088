"""Staff actions on accounts: each one a function, logged, called by pages, API and CLI.

Staff see and change accounts, never what is in them: nothing here reads a user's
network beyond counting rows.
"""

from __future__ import annotations

import datetime
from typing import Any

from allauth.account.models import EmailAddress as SignInAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from coffeechat.accounts.models import User
from coffeechat.accounts.services import create_account, revoke_all_api_tokens
from coffeechat.accounts.sessions import end_sessions
from coffeechat.core import throttle
from coffeechat.core.links import absolute_url
from coffeechat.core.scoping import MAX_ID
from coffeechat.staff.models import ActionKind, Invitation, StaffAction, hash_key

CLI = "cli"  # the actor of actions taken with ``coffeechat staff``
INVITATION_DAYS = 7


def is_staff_member(user: Any) -> bool:
    """Who may use the staff pages and API: a signed-in, active account marked staff."""
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and user.is_active
        and user.is_staff
    )


def log_action(
    actor: User | None, kind: ActionKind, subject: User | None, *, email: str = "", detail: str = ""
) -> StaffAction:
    return StaffAction.objects.create(
        actor_label=actor.email if actor is not None else CLI,
        kind=kind,
        subject=subject,
        subject_label=subject.email if subject is not None else email,
        detail=detail,
    )


@transaction.atomic
def grant_staff(actor: User | None, user: User) -> User:
    """Make ``user`` a staff member (the CLI makes the first one)."""
    if not user.is_staff:
        User.objects.filter(pk=user.pk).update(is_staff=True)
        user.is_staff = True
    log_action(actor, ActionKind.GRANT, user)
    return user


@transaction.atomic
def deactivate(actor: User | None, user: User) -> User:
    """Sign ``user`` out everywhere at once: no sign-in, no session, no API token.

    Their data stays; reactivating gives the account back (tokens stay revoked).
    """
    if actor is not None and actor.pk == user.pk:
        raise ValidationError("You cannot deactivate your own account.")
    User.objects.filter(pk=user.pk).update(is_active=False)
    user.is_active = False
    tokens = revoke_all_api_tokens(user)
    sessions = end_sessions(user.pk)
    log_action(
        actor,
        ActionKind.DEACTIVATE,
        user,
        detail=f"{sessions} session(s) ended, {tokens} API token(s) revoked",
    )
    return user


@transaction.atomic
def reactivate(actor: User | None, user: User) -> User:
    User.objects.filter(pk=user.pk).update(is_active=True)
    user.is_active = True
    log_action(actor, ActionKind.REACTIVATE, user)
    return user


@transaction.atomic
def end_user_sessions(actor: User | None, user: User) -> int:
    """Sign ``user`` out of every browser; the account stays active."""
    count = end_sessions(user.pk)
    log_action(actor, ActionKind.END_SESSIONS, user, detail=f"{count} session(s) ended")
    return count


def _clean_email(email: str) -> str:
    email = User.objects.normalize_email(email.strip())
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": "Enter a valid e-mail address."}) from None
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": "There is already an account with this address."})
    return email


def invitation_link(raw: str) -> str:
    return absolute_url(reverse("invitations:signup", kwargs={"key": raw}))


def _invitation_email(invitation: Invitation, raw: str) -> EmailMessage:
    days = INVITATION_DAYS
    body = (
        "Hello,\n\n"
        "You are invited to use Coffeechat, a workspace for informational conversations: "
        "the people you know, the conversations you hold, and what comes of them.\n\n"
        "Choose a password to create your account here:\n\n"
        f"{invitation_link(raw)}\n\n"
        f"The link works once, for {days} days. If you did not expect this message, "
        "you can ignore it.\n"
    )
    return EmailMessage(
        "[Coffeechat] You are invited",
        body,
        settings.DEFAULT_FROM_EMAIL,
        [invitation.email],
        headers={"Auto-Submitted": "auto-generated"},
    )


def invite(actor: User | None, email: str) -> Invitation:
    """Send a single-use sign-up link to ``email``; it works even when sign-up is closed.

    The mail server is asked outside any transaction (SQLite would stay locked for
    everyone meanwhile); when it refuses, the invitation is removed again and nothing
    is logged.
    """
    email = _clean_email(email)
    _check_invite_limit(actor)
    raw = Invitation.new_key()
    now = timezone.now()
    invitation = Invitation.objects.create(
        email=email,
        key_hash=hash_key(raw),
        invited_by=actor,
        created_at=now,
        expires_at=now + datetime.timedelta(days=INVITATION_DAYS),
    )
    try:
        _invitation_email(invitation, raw).send(using="default")
    except Exception as error:  # the mail server's answer, whatever it is
        Invitation.objects.filter(pk=invitation.pk).delete()
        raise ValidationError(
            f"The invitation could not be sent: {type(error).__name__}: {error}"
        ) from error
    log_action(actor, ActionKind.INVITE, None, email=email)
    return invitation


def _check_invite_limit(actor: User | None) -> None:
    """Invitations e-mail strangers: a staff member sends at most so many an hour (the
    command line, ``actor=None``, is the operator and is not limited)."""
    if actor is not None and not throttle.allow("staff-invite", actor.pk):
        limit = throttle.LIMITS["staff-invite"][0]
        raise ValidationError(
            {"email": f"You sent {limit} invitations in an hour: wait before sending more."}
        )


def resend(actor: User | None, invitation: Invitation) -> Invitation:
    """E-mail an open or expired invitation again with a new link (the old one stops
    working) valid for another INVITATION_DAYS days. Nothing changes if the mail server
    refuses it."""
    if invitation.used_at is not None:
        raise ValidationError("This invitation was used: the account exists.")
    if invitation.revoked_at is not None:
        raise ValidationError("This invitation was withdrawn: send a new one.")
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise ValidationError("There is already an account with this address.")
    _check_invite_limit(actor)
    raw = Invitation.new_key()
    try:
        _invitation_email(invitation, raw).send(using="default")
    except Exception as error:  # the mail server's answer, whatever it is
        raise ValidationError(
            f"The invitation could not be sent: {type(error).__name__}: {error}"
        ) from error
    invitation.key_hash = hash_key(raw)
    invitation.expires_at = timezone.now() + datetime.timedelta(days=INVITATION_DAYS)
    invitation.save(update_fields=["key_hash", "expires_at"])
    log_action(actor, ActionKind.RESEND_INVITATION, None, email=invitation.email)
    return invitation


def invitation_or_404(invitation_id: int) -> Invitation:
    found = None
    if 0 < invitation_id <= MAX_ID:
        found = Invitation.objects.filter(pk=invitation_id).first()
    if found is None:
        raise Http404("No such invitation.")
    return found


def revoke(actor: User | None, invitation: Invitation) -> Invitation:
    """Withdraw an invitation: its link stops working at once."""
    if invitation.used_at is not None:
        raise ValidationError("This invitation was used: deactivate the account instead.")
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        log_action(actor, ActionKind.REVOKE_INVITATION, None, email=invitation.email)
    return invitation


def open_invitation(raw: str) -> Invitation | None:
    """The unused, unexpired, not withdrawn invitation of this link, or None."""
    if not raw.startswith("inv_") or len(raw) > 100:
        return None
    return Invitation.objects.filter(
        key_hash=hash_key(raw),
        used_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).first()


@transaction.atomic
def accept_invitation(raw: str, password: str, *, full_name: str = "") -> User:
    """Create the invited account (its address counts as verified) and use up the link."""
    invitation = open_invitation(raw)
    if invitation is None:
        raise ValidationError("This invitation link has been used or has expired.")
    claimed = Invitation.objects.filter(pk=invitation.pk, used_at__isnull=True).update(
        used_at=timezone.now()
    )
    if claimed != 1:
        raise ValidationError("This invitation link has been used or has expired.")
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise ValidationError("There is already an account with this address: log in.")
    user = create_account(invitation.email, password, full_name=full_name)
    SignInAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user
