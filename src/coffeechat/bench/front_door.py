"""The front door: a manager's public request page, and the queue of requests it brings.

Every write goes through one of these functions; the public page, the queue pages and
the API share them. The public side can only ever call :func:`submit_request`, which
creates one request row for the page's owner and nothing else.

What the sender's data goes through (the public page says it in plain words):

- a pending request is kept until the manager accepts or declines it;
- accepting puts the sender into the manager's network (or links the person who
  already has that e-mail address) and keeps the request with the person it became;
- declining e-mails the kind answer and deletes at once everything but the name, the
  e-mail address and the status; those go :data:`DECLINED_KEPT_DAYS` days later
  (:func:`forget_declined`), so that a repeated request can be recognised meanwhile.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from coffeechat.bench import services as bench
from coffeechat.bench.models import (
    BenchEntry,
    ConversationRequest,
    DataSource,
    FrontDoor,
    RequestStatus,
)
from coffeechat.core.links import absolute_url
from coffeechat.core.scoping import owned
from coffeechat.network import services as network
from coffeechat.network.models import EmailAddress, Person, Source
from coffeechat.network.names import split_name
from coffeechat.outreach import mail
from coffeechat.outreach.invitations import invitation_sender
from coffeechat.outreach.smtp import (
    SEND_ERRORS,
    Server,
    UserSmtpBackend,
    explain,
    server_of_backend,
)

# Abuse limits of the public page.
MAX_BODY_BYTES = 12_000  # a posted request larger than this is refused before it is read
ADDRESS_LIMIT = 3  # requests per sender address…
ADDRESS_WINDOW = 24 * 60 * 60  # …per day
IP_LIMIT = 10  # posts per client address…
IP_WINDOW = 60 * 60  # …per hour
DECLINED_KEPT_DAYS = 30
TOKEN_BYTES = 24  # secrets.token_urlsafe(24): 32 characters, 192 bits


class RateLimited(Exception):
    """Too many requests from this address or this sender; the page answers 429."""


# The page ------------------------------------------------------------------------------


def _new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def _profile_name(owner: Any) -> str:
    return (getattr(getattr(owner, "profile", None), "full_name", "") or "").strip()


def door_for(owner: Any) -> FrontDoor:
    """My front door (closed, with a fresh link, until I open it; nothing is written)."""
    found = FrontDoor.objects.filter(owner=owner).first()
    return found or FrontDoor(owner=owner, token=_new_token(), display_name=_profile_name(owner))


def save_door(owner: Any, *, enabled: bool, display_name: str, intro: str) -> FrontDoor:
    """Open or close my front door, and change what it says about me."""
    door = door_for(owner)
    door.enabled = enabled
    door.display_name = " ".join(display_name.split())
    door.intro = intro.strip()
    if not door.display_name:
        raise ValidationError({"display_name": "Write the name the page shows."})
    door.full_clean()
    door.save()
    return door


def regenerate(owner: Any) -> FrontDoor:
    """A new secret link; the old one answers 404 from now on."""
    door = door_for(owner)
    if not door.display_name:
        door.display_name = _profile_name(owner) or "Me"
    door.token = _new_token()
    door.save()
    return door


def door_url(door: FrontDoor) -> str:
    return absolute_url(reverse("front-door:ask", kwargs={"token": door.token}))


def open_door(token: str) -> FrontDoor | None:
    """The open front door with this link, or None (unknown, or switched off)."""
    if not token or len(token) > 64:
        return None
    return FrontDoor.objects.filter(token=token, enabled=True).first()


# Abuse ---------------------------------------------------------------------------------


def client_ip(request: HttpRequest) -> str:
    """The visitor's address: behind the trusted proxy, the one it saw (last hop)."""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1][:64]
    return str(request.META.get("REMOTE_ADDR", ""))[:64]


def _key(kind: str, value: str) -> str:
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
    return f"front-door:{kind}:{digest}"


def _count(key: str, window: int) -> int:
    cache.add(key, 0, timeout=window)
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        return 1


def note_post(ip: str) -> None:
    """Count one post from this client address; raise RateLimited past the limit."""
    if _count(_key("ip", ip), IP_WINDOW) > IP_LIMIT:
        raise RateLimited("ip")


def note_sender(email: str) -> None:
    """Count one request from this sender address; raise RateLimited past the limit."""
    if _count(_key("address", email), ADDRESS_WINDOW) > ADDRESS_LIMIT:
        raise RateLimited("address")


# Requests ------------------------------------------------------------------------------


REQUEST_FIELDS = (
    "name",
    "email",
    "connection",
    "referrer_name",
    "referrer_email",
    "connection_note",
    "wants_to_learn",
    "cv_url",
)


def submit_request(door: FrontDoor, data: dict[str, Any]) -> ConversationRequest:
    """A stranger's request lands in the owner's queue: only the request's own fields."""
    asked = ConversationRequest(owner_id=door.owner_id)
    for name in REQUEST_FIELDS:
        setattr(asked, name, str(data.get(name) or "").strip())
    if asked.connection == "referred" and not asked.referrer_name:
        raise ValidationError({"referrer_name": "Say who referred you."})
    if asked.connection != "referred":
        asked.referrer_name = asked.referrer_email = ""
    asked.full_clean()
    asked.save()
    forget_declined()
    return asked


def queue(owner: Any) -> Any:
    return owned(ConversationRequest, owner).select_related("person")


@dataclass(frozen=True)
class Referrer:
    """The person in my network a referral names, or how many share that name."""

    person: Person | None
    same_name: int = 0


def referrers(owner: Any, requests: Iterable[ConversationRequest]) -> dict[int, Referrer]:
    """For each referral among ``requests``, who in my network the referrer is.

    Two queries whatever the number of requests: e-mail addresses first (a sure match),
    then names (linked only when exactly one person has the name).
    """
    referrals = [r for r in requests if r.connection == "referred" and r.referrer_name]
    if not referrals:
        return {}
    emails = {r.referrer_email.lower() for r in referrals if r.referrer_email}
    by_email: dict[str, Person] = {}
    if emails:
        query = Q()
        for email in emails:
            query |= Q(email__iexact=email)
        for address in EmailAddress.objects.filter(query, owner=owner).select_related("person"):
            by_email.setdefault(address.email.lower(), address.person)
    names = {r.pk: split_name(r.referrer_name) for r in referrals}
    query = Q()
    for parts in names.values():
        query |= Q(first_name__iexact=parts.first, last_name__iexact=parts.last)
    by_name: dict[tuple[str, str], list[Person]] = {}
    for person in owned(Person, owner).filter(query):
        key = (person.first_name.lower(), person.last_name.lower())
        by_name.setdefault(key, []).append(person)
    found: dict[int, Referrer] = {}
    for asked in referrals:
        sure = by_email.get(asked.referrer_email.lower()) if asked.referrer_email else None
        if sure is not None:
            found[asked.pk] = Referrer(sure)
            continue
        parts = names[asked.pk]
        same = by_name.get((parts.first.lower(), parts.last.lower()), [])
        found[asked.pk] = Referrer(same[0] if len(same) == 1 else None, len(same))
    return found


def _pending(asked: ConversationRequest) -> None:
    if asked.status != RequestStatus.PENDING:
        raise ValidationError(
            {"status": f"This request was already {asked.get_status_display().lower()}."}
        )


def _connection_words(asked: ConversationRequest) -> str:
    words = asked.get_connection_display()
    if asked.referrer_name:
        words += f" ({asked.referrer_name})"
    if asked.connection_note:
        words += f": {asked.connection_note}"
    return words


@transaction.atomic
def accept(owner: Any, asked: ConversationRequest, *, bench_them: bool = False) -> Person:
    """Accept a request: the sender joins my network (or is found there by e-mail).

    Returns the person, whom the scheduling form then gets prefilled with. With
    ``bench_them`` they also go on my bench (once), with the referrer when known.
    """
    _pending(asked)
    address = (
        EmailAddress.objects.filter(owner=owner, email__iexact=asked.email)
        .select_related("person")
        .first()
    )
    if address is not None:
        person = address.person
    else:
        person = network.create_person(
            owner,
            name=asked.name,
            emails=[asked.email],
            source=Source.REFERRAL if asked.connection == "referred" else Source.MANUAL,
        )
    if bench_them and not owned(BenchEntry, owner).filter(person=person).exists():
        referrer = referrers(owner, [asked]).get(asked.pk)
        bench.save_entry(
            owner,
            BenchEntry(
                person=person,
                referred_by=referrer.person if referrer else None,
                met_where="Asked through my front door"[:200],
                data_source=DataSource.THEY_TOLD_ME,
                data_note=_connection_words(asked)[:300],
            ),
        )
    asked.status = RequestStatus.ACCEPTED
    asked.decided_at = timezone.now()
    asked.person = person
    asked.save(update_fields=["status", "decided_at", "person", "updated_at"])
    return person


def schedule_url(person: Person) -> str:
    """The conversations' schedule form, with the person already chosen."""
    return f"{reverse('conversations:conversation-create')}?person={person.pk}"


def decline_draft(owner: Any, asked: ConversationRequest) -> tuple[str, str]:
    """The kind answer (subject, body), to edit before it goes."""
    me = _profile_name(owner) or door_for(owner).display_name
    first = split_name(asked.name).first or asked.name
    subject = "Your request for a conversation"
    body = (
        f"Dear {first},\n\n"
        "Thank you for getting in touch and for taking the time to tell me what you "
        "would like to learn. I read your note with interest.\n\n"
        "I am sorry that I cannot offer a conversation at the moment: my time is "
        "committed elsewhere for now, and I would rather say so plainly than keep you "
        "waiting.\n\n"
        "I wish you every success with what comes next, and I hope you find the "
        "conversations you are looking for.\n\n"
        f"Kind regards,\n{me}"
    ).rstrip()
    return subject, body


def _decline_email(owner: Any, asked: ConversationRequest, subject: str, body: str) -> Any:
    to = mail.check_address(asked.email, "sender's")
    if any(ch in subject for ch in "\r\n") or not subject.strip():
        raise ValidationError({"subject": "Write a subject on one line."})
    if not body.strip():
        raise ValidationError({"body": "Write the answer."})
    if len(subject) > 200 or len(body) > 5000:
        raise ValidationError({"body": "Keep the answer under 5,000 characters."})
    sender = invitation_sender(owner)
    return EmailMessage(
        subject=subject.strip(),
        body=body,
        from_email=sender.from_header,
        to=[to],
        reply_to=[sender.reply_to] if sender.reply_to else None,
    )


@transaction.atomic
def decline(owner: Any, asked: ConversationRequest, *, subject: str, body: str) -> None:
    """E-mail the kind answer the way outreach sends mail, then forget the request's text.

    Nothing changes when the mail cannot go: the error names what went wrong.
    """
    _pending(asked)
    if not mail.can_send(owner):
        raise ValidationError(
            "No way to send e-mail is configured: set your SMTP server in your e-mail "
            "settings, or ask the administrator to set EMAIL_URL."
        )
    email = _decline_email(owner, asked, subject, body)
    smtp = mail.user_smtp(owner)
    server = Server(smtp.host, smtp.port, smtp.security) if smtp else server_of_backend(None)
    connection = None
    try:
        connection, server = mail.connection_for(smtp)
        sent = connection.send_messages([email])
    except SEND_ERRORS as error:
        raise ValidationError(explain(error, server)) from None
    finally:
        if isinstance(connection, UserSmtpBackend):
            connection.close()
    if not sent:
        raise ValidationError("The mail server did not take the message.")
    asked.status = RequestStatus.DECLINED
    asked.decided_at = timezone.now()
    for name in ("referrer_name", "referrer_email", "connection_note", "wants_to_learn", "cv_url"):
        setattr(asked, name, "")
    asked.save()


def delete_request(owner: Any, asked: ConversationRequest) -> None:
    """Delete a request and everything it holds (the person it became stays)."""
    asked.delete()


def forget_declined(now: datetime.datetime | None = None) -> int:
    """Delete declined requests decided more than :data:`DECLINED_KEPT_DAYS` days ago."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=DECLINED_KEPT_DAYS)
    deleted, _ = ConversationRequest.objects.filter(
        status=RequestStatus.DECLINED, decided_at__lt=cutoff
    ).delete()
    return deleted
