"""The incremental sync: new UIDs of the inbox and the sent folder, headers first, and
only messages to or from people in the user's network looked at further.

Each folder remembers its UIDVALIDITY and the highest UID read (:class:`FolderState`),
so old mail is never read again. When the server changes a folder's UIDVALIDITY, the
folder is read from the start and its messages are matched to the stored ones by
Message-ID: the records move to their new UIDs, none is added twice. A batch of
messages is written in one transaction together with the folder's new position, so an
interrupted sync resumes where the last batch ended.
"""

from __future__ import annotations

import datetime
import hashlib
import imaplib
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from coffeechat.conversations.services import take_calendar_mail
from coffeechat.core.calendar import user_zone
from coffeechat.followups import reactions
from coffeechat.mailbox import imap as imap_client
from coffeechat.mailbox.models import Direction, FolderState, Mailbox, MailRecord, State
from coffeechat.mailbox.reading import (
    Headers,
    calendar_parts,
    delivery_report,
    full_text,
    is_delivery_report,
    parse_headers,
    quick_addresses,
    snippet,
    thread_subject,
)
from coffeechat.network.models import Direction as InteractionDirection
from coffeechat.network.models import EmailAddress, Interaction, InteractionKind, Person
from coffeechat.network.services import (
    clear_bouncing,
    mark_bouncing,
    record_contact,
    save_mail_exchanges,
)
from coffeechat.outreach.models import Channel, Message
from coffeechat.outreach.models import Status as MessageStatus
from coffeechat.outreach.policy import policy_of
from coffeechat.outreach.services import mark_replied, set_status

logger = logging.getLogger(__name__)

BATCH = 500  # UIDs per FETCH and per transaction
BODY_BYTES = 65_536  # read at most this much of a relevant message, for its snippet
CALENDAR_BYTES = 2_000_000  # a message with an invitation cut at BODY_BYTES: read this much
TAKEN = {"answered", "new", "updated", "cancelled"}
HEADER_FIELDS = "FROM TO CC BCC DATE SUBJECT MESSAGE-ID IN-REPLY-TO REFERENCES CONTENT-TYPE"
FETCH_UID = re.compile(rb"UID (\d+)")


@dataclass
class SyncResult:
    looked_at: int = 0  # headers read
    stored: int = 0  # new records
    moved: int = 0  # records matched again after a UIDVALIDITY change
    replies: int = 0  # outreach messages marked replied
    sent_logged: int = 0
    bounces: int = 0  # outreach messages marked bounced
    calendar: int = 0  # answers and invitations taken from calendar parts
    error: str = ""
    folders: dict[str, int] = field(default_factory=dict)  # folder → headers read

    @property
    def ok(self) -> bool:
        return not self.error

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "looked_at": self.looked_at,
            "stored": self.stored,
            "moved": self.moved,
            "replies": self.replies,
            "sent_logged": self.sent_logged,
            "bounces": self.bounces,
            "calendar": self.calendar,
            "error": self.error,
        }


def _network_addresses(owner: Any) -> dict[str, int]:
    """Every address of every person in the network, lower case → person id."""
    found: dict[str, int] = {}
    for address, person_id in (
        EmailAddress.objects.filter(owner=owner).order_by("pk").values_list("email", "person_id")
    ):
        found.setdefault(address.strip().lower(), person_id)
    return found


def _chunks(values: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _fetch(imap: imaplib.IMAP4, uids: list[int], what: str) -> dict[int, bytes]:
    status, data = imap.uid("FETCH", ",".join(str(u) for u in uids), f"(UID {what})")
    if status != "OK":
        raise imap_client.MailboxError(f"The server would not hand over messages: {data!r}")
    found: dict[int, bytes] = {}
    for item in data:
        if isinstance(item, tuple) and len(item) >= 2:
            match = FETCH_UID.search(item[0])
            if match:
                found[int(match.group(1))] = bytes(item[1])
    return found


def _new_uids(imap: imaplib.IMAP4, after: int, since: datetime.date | None) -> list[int]:
    criteria = [f"UID {after + 1}:*"]
    if since is not None:
        criteria.append(f"SINCE {since.strftime('%d-%b-%Y')}")
    status, data = imap.uid("SEARCH", *criteria)
    if status != "OK":
        raise imap_client.MailboxError(f"The server would not search the folder: {data!r}")
    uids = sorted({int(u) for u in (data[0] or b"").split()})
    return [u for u in uids if u > after]  # "N:*" always includes the last message


def _select(imap: imaplib.IMAP4, folder: str) -> int:
    status, data = imap.select(imap_client.quote(folder), readonly=True)
    if status != "OK":
        raise imap_client.MailboxError(
            f"The folder “{imap_client.decode_folder_name(folder)}” cannot be opened: choose "
            "another in the mailbox settings."
        )
    _name, values = imap.response("UIDVALIDITY")
    try:
        return int(values[0]) if values and values[0] else 0
    except (TypeError, ValueError):
        return 0


def _thread_ids(value: str) -> list[str]:
    bare = value.strip("<>")
    return [value, bare, f"<{bare}>"]


def _answered_message(
    owner: Any, person_id: int, headers: Headers, when: datetime.datetime, window_days: int
) -> Message | None:
    """The outreach message this mail answers: by In-Reply-To/References, else the same
    person and subject thread within the no-reply window."""
    if headers.thread_ids:
        ids = [variant for value in headers.thread_ids for variant in _thread_ids(value)]
        found = (
            Message.objects.filter(owner=owner, email_message_id__in=ids)
            .exclude(status=MessageStatus.DRAFT)
            .select_related("person", "nudge_of")
            .order_by("-sent_at")
            .first()
        )
        if found is not None:
            return found
    subject = thread_subject(headers.subject)
    if not subject:
        return None
    window = datetime.timedelta(days=window_days)
    candidates = (
        Message.objects.filter(
            owner=owner,
            person_id=person_id,
            channel=Channel.EMAIL,
            status__in=[MessageStatus.SENT, MessageStatus.NO_REPLY],
            sent_at__lte=when,
            sent_at__gte=when - window,
        )
        .select_related("person", "nudge_of")
        .order_by("-sent_at")
    )
    for message in candidates:
        if thread_subject(message.subject) == subject:
            return message
    return None


def _key_prefix(mailbox_id: int, message_id: str) -> str:
    """The start of the source keys of a record's timeline entries (one per person)."""
    digest = hashlib.sha256(f"{mailbox_id}:{message_id}".encode()).hexdigest()
    return f"mailbox:{digest[:40]}"


def _interaction_key(record: MailRecord, person_id: int) -> str:
    return f"{record.interaction_key}:{person_id}"


def _log_interaction(record: MailRecord, person_ids: list[int]) -> None:
    """On each person's timeline (subject, date, snippet); sent mail counts as contact."""
    sent = record.direction == Direction.SENT
    for person_id in person_ids:
        Interaction.objects.update_or_create(
            owner_id=record.owner_id,
            source_key=_interaction_key(record, person_id),
            defaults={
                "person_id": person_id,
                "occurred_at": record.sent_at,
                "kind": InteractionKind.EMAIL,
                "direction": InteractionDirection.SENT if sent else InteractionDirection.RECEIVED,
                "subject": record.subject[:300],
                "body": record.body or record.snippet,
            },
        )
    if sent:
        owner = record.owner
        day = timezone.localtime(record.sent_at, user_zone(owner)).date()
        people = list(Person.objects.filter(owner=owner, pk__in=person_ids))
        record_contact(owner, people, day)
        # A thank-you, a nudge or a keep-in-touch note sent from elsewhere closes its
        # follow-up as the same message sent from Coffeechat would.
        reactions.after_mail_sent_elsewhere(owner, person_ids, record.sent_at)


def refresh_exchanges(owner: Any) -> int:
    """Count again, per person, the mail exchanged (sent, received, the latest; bounces
    left out) from the stored records: what warmth learns from (network/exchanges.py)."""
    rows = (
        MailRecord.objects.filter(owner=owner, is_bounce=False)
        .values("person_id")
        .annotate(
            sent=Count("pk", filter=Q(direction=Direction.SENT)),
            received=Count("pk", filter=Q(direction=Direction.RECEIVED)),
            last=Max("sent_at"),
        )
        .order_by()
    )
    return save_mail_exchanges(
        owner, {r["person_id"]: (r["sent"], r["received"], r["last"]) for r in rows}
    )


class _FolderSync:
    def __init__(
        self,
        mailbox: Mailbox,
        imap: imaplib.IMAP4,
        folder: str,
        direction: str,
        addresses: dict[str, int],
        result: SyncResult,
    ) -> None:
        self.mailbox = mailbox
        self.owner = mailbox.owner
        self.imap = imap
        self.folder = folder
        self.direction = direction
        self.addresses = addresses
        self.result = result
        # "Same subject thread" replies count within twice the no-reply window.
        self.window_days = policy_of(self.owner).try_another_after_days * 2
        self.own = {mailbox.username.strip().lower()}
        if getattr(self.owner, "email", ""):
            self.own.add(self.owner.email.strip().lower())

    def run(self, since: datetime.date | None) -> None:
        uidvalidity = _select(self.imap, self.folder)
        state, _ = FolderState.objects.get_or_create(mailbox=self.mailbox, folder=self.folder)
        if state.uidvalidity != uidvalidity:
            state.uidvalidity, state.last_uid = uidvalidity, 0  # read again, match by ID
        uids = _new_uids(self.imap, state.last_uid, since if state.last_uid == 0 else None)
        self.result.folders[self.folder] = len(uids)
        for batch in _chunks(uids, BATCH):
            headers = _fetch(self.imap, batch, f"BODY.PEEK[HEADER.FIELDS ({HEADER_FIELDS})]")
            self.result.looked_at += len(headers)
            relevant = {uid: parsed for uid, raw in headers.items() if (parsed := self._read(raw))}
            reports = {
                uid: parse_headers(raw)
                for uid, raw in headers.items()
                if uid not in relevant and self._is_report(raw)
            }
            wanted = sorted(set(relevant) | set(reports))
            bodies = _fetch(self.imap, wanted, f"BODY.PEEK[]<0.{BODY_BYTES}>") if wanted else {}
            with transaction.atomic():
                for uid in sorted(relevant):
                    headers_of, people = relevant[uid]
                    self._store(uidvalidity, uid, headers_of, people, bodies.get(uid, b""))
                for uid in sorted(reports):
                    self._store_bounce(uidvalidity, uid, reports[uid], bodies.get(uid, b""))
                state.last_uid = max(batch)
                state.save()
        if not uids:
            state.save()

    def _read(self, raw: bytes) -> tuple[Headers, list[int]] | None:
        """The headers and the people in the network they involve; None to skip it."""
        try:
            senders, recipients = quick_addresses(raw)
            if not self._people(senders, recipients):
                return None  # no one in the network: skipped, nothing stored
            headers = parse_headers(raw)
        except Exception:  # a message too broken to read is skipped, never fatal
            logger.warning("Unreadable headers skipped in %s", self.folder, exc_info=True)
            return None
        people = self._people(headers.from_addresses, headers.to_addresses)
        return (headers, people) if people else None

    def _is_report(self, raw: bytes) -> bool:
        if self.direction != Direction.RECEIVED:
            return False
        try:
            return is_delivery_report(raw)
        except Exception:
            return False

    def _store_bounce(self, uidvalidity: int, uid: int, headers: Headers, body: bytes) -> None:
        """A delivery failure of one of my outreach messages marks it bounced (the
        status the message page sets by hand); other bounces are skipped, unstored."""
        try:
            report = delivery_report(body)
        except Exception:
            return
        ids = [variant for value in report.original_ids for variant in _thread_ids(value)]
        message = None
        if ids:
            message = (
                Message.objects.filter(owner=self.owner, email_message_id__in=ids)
                .exclude(status=MessageStatus.DRAFT)
                .select_related("person")
                .first()
            )
        if message is None or (report.failed and message.to_email.lower() not in report.failed):
            return
        message_id = headers.message_id or f"<uid.{uidvalidity}.{uid}@{self.folder}.invalid>"
        if MailRecord.objects.filter(mailbox=self.mailbox, message_id=message_id).exists():
            return
        MailRecord.objects.create(
            owner=self.owner,
            mailbox=self.mailbox,
            person=message.person,
            folder=self.folder,
            uidvalidity=uidvalidity,
            uid=uid,
            message_id=message_id,
            direction=Direction.RECEIVED,
            address=message.to_email,
            subject=headers.subject,
            sent_at=headers.date or timezone.now(),
            snippet=f"Delivery failed to {message.to_email}.",
            reply_to=None,
            is_bounce=True,
        )
        bounced_at = headers.date or timezone.now()
        if message.status in {MessageStatus.SENT, MessageStatus.NO_REPLY}:
            set_status(message, MessageStatus.BOUNCED, bounced_at)
            self.result.bounces += 1
        else:  # already bounced, or replied before: the address is marked all the same
            mark_bouncing(self.owner, message.person_id, message.to_email, bounced_at)

    def _people(self, senders: list[str], recipients: list[str]) -> list[int]:
        if self.direction == Direction.RECEIVED:
            candidates = senders[:1]
        else:
            candidates = [a for a in recipients if a not in self.own]
        people: list[int] = []
        for address in candidates:
            person_id = self.addresses.get(address)
            if person_id is not None and person_id not in people:
                people.append(person_id)
        return people

    def _store(
        self, uidvalidity: int, uid: int, headers: Headers, people: list[int], body: bytes
    ) -> None:
        message_id = headers.message_id or f"<uid.{uidvalidity}.{uid}@{self.folder}.invalid>"
        existing = MailRecord.objects.filter(mailbox=self.mailbox, message_id=message_id).first()
        if existing is not None:
            if existing.folder == self.folder and (existing.uidvalidity, existing.uid) != (
                uidvalidity,
                uid,
            ):
                existing.uidvalidity, existing.uid = uidvalidity, uid
                existing.save(update_fields=["uidvalidity", "uid", "updated_at"])
                self.result.moved += 1
            return
        when = headers.date or timezone.now()
        addresses = (
            headers.from_addresses
            if self.direction == Direction.RECEIVED
            else [a for a in headers.to_addresses if self.addresses.get(a) == people[0]]
        )
        try:
            text = snippet(body) if body else ""
            whole = full_text(body) if body and self.mailbox.store_bodies else ""
        except Exception:  # a body too broken to read still leaves its headers
            text = whole = ""
        record = MailRecord.objects.create(
            owner=self.owner,
            mailbox=self.mailbox,
            person_id=people[0],
            folder=self.folder,
            uidvalidity=uidvalidity,
            uid=uid,
            message_id=message_id,
            direction=self.direction,
            address=(addresses[0] if addresses else "")[:254],
            subject=headers.subject,
            sent_at=when,
            snippet=text,
            body=whole,
            interaction_key=_key_prefix(self.mailbox.pk, message_id),
        )
        self.result.stored += 1
        if self.direction == Direction.RECEIVED and body:
            self._take_calendar(uid, body, addresses[0] if addresses else "")
        if self.direction == Direction.RECEIVED:
            for address in addresses[:1]:
                clear_bouncing(self.owner, address, when)  # mail comes from it: it works
            answered = _answered_message(self.owner, people[0], headers, when, self.window_days)
            if answered is not None:
                record.reply_to = answered
                record.save(update_fields=["reply_to", "updated_at"])
                if answered.status in {MessageStatus.SENT, MessageStatus.NO_REPLY}:
                    # A skewed Date header never puts the reply before the message or
                    # in the future.
                    replied = min(max(when, answered.sent_at or when), timezone.now())
                    mark_replied(answered, replied)
                    self.result.replies += 1
                return  # mark_replied puts the reply on the timeline
            _log_interaction(record, people[:1])
            return
        ours = Message.objects.filter(
            owner=self.owner, email_message_id__in=_thread_ids(message_id)
        ).exists()
        if ours:
            return  # sent by Coffeechat: already on the timeline, already contact
        _log_interaction(record, people)
        self.result.sent_logged += 1

    def _take_calendar(self, uid: int, body: bytes, sender: str) -> None:
        """An answer to my invitation, or someone's invitation, in the message's
        calendar part: handed to conversations (a part that cannot be read is skipped)."""
        try:
            if len(body) >= BODY_BYTES:  # cut at BODY_BYTES: read the whole message
                body = _fetch(self.imap, [uid], f"BODY.PEEK[]<0.{CALENDAR_BYTES}>").get(uid, body)
            parts = calendar_parts(body)
        except Exception:
            logger.warning("An unreadable calendar part skipped in %s", self.folder, exc_info=True)
            return
        for part in parts:
            try:  # its own savepoint: a part that fails leaves the batch whole
                taken = take_calendar_mail(self.owner, part, sender, own=self.own)
            except Exception:
                logger.exception("A calendar part in %s could not be taken", self.folder)
                continue
            self.result.calendar += sum(1 for t in taken if t.outcome in TAKEN)


def sync_mailbox(
    mailbox: Mailbox, *, since: datetime.date | None = None, timeout: float = imap_client.TIMEOUT
) -> SyncResult:
    """Read what is new in the inbox and the sent folder; the state says how it went.

    A refused login sets the state "refused": the worker stops trying until the
    settings change. Never raises for what the server or the network does.
    """
    result = SyncResult()
    if not _claim(mailbox):
        result.error = "A sync of this mailbox is already running: try again in a minute."
        return result
    server: imap_client.Server | None = None
    refused = False
    try:
        server = imap_client.server_of(mailbox)
        addresses = _network_addresses(mailbox.owner)
        connection = imap_client.connect(server, timeout=timeout)
        try:
            folders = [(mailbox.inbox_folder or "INBOX", Direction.RECEIVED)]
            if mailbox.sent_folder:
                folders.append((mailbox.sent_folder, Direction.SENT))
            for folder, direction in folders:
                _FolderSync(mailbox, connection, folder, direction, addresses, result).run(since)
        finally:
            imap_client.close(connection)
    except Exception as error:
        if server is None:
            server = imap_client.Server(mailbox.host, mailbox.port, mailbox.security, "", "")
        result.error = imap_client.explain(error, server)
        refused = isinstance(error, imap_client.LoginRefused)
        if not isinstance(error, imap_client.LoginRefused | imap_client.MailboxError | OSError):
            logger.exception("Mailbox sync of %s failed", mailbox)
    if result.stored or result.moved:
        refresh_exchanges(mailbox.owner)
    Mailbox.objects.filter(pk=mailbox.pk).update(
        state=State.REFUSED if refused else (State.FAILED if result.error else State.OK),
        last_error=result.error,
        last_sync_at=timezone.now(),
        last_found=result.stored,
        last_looked_at=result.looked_at,
        last_replies=result.replies,
        syncing_since=None,
    )
    mailbox.refresh_from_db()
    return result


CLAIM_FOR = datetime.timedelta(minutes=15)  # a sync that died is taken over after this


def _claim(mailbox: Mailbox) -> bool:
    """One sync per mailbox at a time (the worker and "sync now"): a conditional UPDATE."""
    now = timezone.now()
    return bool(
        Mailbox.objects.filter(pk=mailbox.pk)
        .filter(Q(syncing_since__isnull=True) | Q(syncing_since__lt=now - CLAIM_FOR))
        .update(syncing_since=now)
    )


SYNC_EVERY = datetime.timedelta(minutes=5)


def sync_due(now: datetime.datetime | None = None) -> int:
    """The worker's step: every connected mailbox not synced for SYNC_EVERY, except
    those whose login was refused (they wait for new settings). Returns how many."""
    moment = now or timezone.now()
    due = Mailbox.objects.exclude(state=State.REFUSED).filter(
        Q(last_sync_at__isnull=True) | Q(last_sync_at__lte=moment - SYNC_EVERY)
    )
    count = 0
    for mailbox in due.select_related("owner").order_by("last_sync_at", "pk"):
        try:
            sync_mailbox(mailbox)
        except Exception:
            logger.exception("Mailbox sync of %s failed", mailbox)
        count += 1
    return count


STALLED_AFTER = datetime.timedelta(minutes=30)


def health_summary(now: datetime.datetime | None = None) -> dict[str, int]:
    """For /health/: how many mailboxes are connected, failing (their server said no or
    could not be reached) and stalled (not synced for STALLED_AFTER although they should
    have been: the worker is not syncing). Counts only, never whose. One query."""
    moment = now or timezone.now()
    late = moment - STALLED_AFTER
    counts = Mailbox.objects.aggregate(
        connected=Count("pk"),
        failing=Count("pk", filter=Q(state__in=[State.FAILED, State.REFUSED])),
        stalled=Count(
            "pk",
            filter=~Q(state=State.REFUSED)
            & (Q(last_sync_at__lt=late) | Q(last_sync_at__isnull=True, created_at__lt=late)),
        ),
    )
    return {key: int(value or 0) for key, value in counts.items()}
