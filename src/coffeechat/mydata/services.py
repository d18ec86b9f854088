""" "My data": everything of one account as one ZIP file, and deleting the account.

The export is a ZIP with one JSON file per kind of object, the people as CSV and
vCard (the same files ``coffeechat export`` writes) and a README.txt. Every kind is
read in a constant number of queries per chunk of rows, and written to the ZIP as it
is read, so memory stays bounded whatever the size of the network.

Secrets never leave: password hashes, the encrypted SMTP password, the hashes of API
tokens and of the calendar-feed token, and two-factor secrets are left out by name.
"""

from __future__ import annotations

import datetime
import io
import json
import shutil
import tempfile
import textwrap
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.apps import apps
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from coffeechat.accounts.models import ApiToken, MyAffiliation, Profile, User
from coffeechat.accounts.sessions import end_sessions
from coffeechat.bench import team
from coffeechat.bench.models import (
    BenchContact,
    BenchEntry,
    BenchSettings,
    BenchSkill,
    ConversationRequest,
    FrontDoor,
    Opening,
    OpeningOutcome,
    OpeningSkill,
    TeamLink,
    TeamProposal,
)
from coffeechat.coaching import services as coaching
from coffeechat.coaching.models import CoachComment, CoachLink
from coffeechat.conversations.models import (
    ChosenQuestion,
    Conversation,
    Learning,
    Participant,
    Promise,
    Question,
    Referral,
    Story,
)
from coffeechat.core import deletion
from coffeechat.core.chunks import Ids
from coffeechat.core.console import Echo
from coffeechat.core.scoping import owned
from coffeechat.followups.models import Digest, FollowUp, FollowUpSettings, Notification
from coffeechat.imports.export import people_records
from coffeechat.imports.models import ImportBatch, ImportChange, SavedMapping
from coffeechat.imports.records import PersonRecord
from coffeechat.imports.writers import write_csv, write_vcards
from coffeechat.mailbox.models import Mailbox, MailRecord
from coffeechat.network.models import (
    Affiliation,
    EmailAddress,
    Employment,
    Interaction,
    MailExchange,
    Membership,
    NotDuplicate,
    Organization,
    Person,
    PhoneNumber,
    Tag,
    Tie,
)
from coffeechat.outreach.models import ConnectionCheck, Message, MessageTemplate, SmtpSettings
from coffeechat.progress.models import WeeklyReviewSent, WeeklyReviewSettings
from coffeechat.staff.career import is_counted
from coffeechat.staff.models import CareerCentreConsent, Invitation, StaffAction
from coffeechat.targets.models import Application, ApplicationEvent, Posting, Target

CHUNK_SIZE = 2000
VCARDS_IN_MEMORY = 16 * 1024 * 1024  # bytes of people.vcf kept in memory, then on disk
COPY_BUFFER = 1024 * 1024

# Fields that are never written to an export, on any model.
SECRET_FIELDS = frozenset({"password", "key_hash", "password_encrypted", "feed_token_hash"})
# The column naming the account itself: every row in the export is the account's.
ALWAYS_LEFT_OUT = frozenset({"owner", "user"})


@dataclass(frozen=True)
class Child:
    """Rows nested in their parent's object, e.g. a person's e-mail addresses."""

    key: str
    model: type[models.Model]
    parent_field: str


@dataclass(frozen=True)
class Part:
    """One JSON file of the export: every row of ``model`` the user owns."""

    filename: str
    model: type[models.Model]
    description: str
    left_out: frozenset[str] = frozenset()
    children: tuple[Child, ...] = ()
    # (key, many-to-many field): written as a list of names (Person.tags → ["alumni", …]).
    names_of: tuple[tuple[str, str], ...] = ()
    # Fields written only on the rows where they hold something (a mail's stored body).
    only_if_set: frozenset[str] = frozenset()


PARTS: tuple[Part, ...] = (
    Part(
        "people.json",
        Person,
        "Everyone in your network, with their e-mail addresses, phone numbers, jobs "
        "(current and former) and tags.",
        children=(
            Child("email_addresses", EmailAddress, "person"),
            Child("phone_numbers", PhoneNumber, "person"),
            Child("jobs", Employment, "person"),
        ),
        names_of=(("tags", "tags"),),
    ),
    Part("tags.json", Tag, "Your tags (a person's tags are also listed by name in people.json)."),
    Part("organizations.json", Organization, "Organizations: employers, schools, targets."),
    Part(
        "affiliations.json",
        Affiliation,
        "Groups that create a tie: schools and alumni groups, associations, former "
        "employers, communities.",
    ),
    Part("memberships.json", Membership, "Who belongs to which group (person_id, affiliation_id)."),
    Part(
        "ties.json",
        Tie,
        "Relationships: between you and a person (from_person_id empty) or between two "
        "people, with who introduced them.",
    ),
    Part(
        "interactions.json",
        Interaction,
        "The timeline: messages, invitations, calls and notes with a person, "
        "including those imported from LinkedIn.",
    ),
    Part("not_duplicates.json", NotDuplicate, "Pairs of people you said are not the same person."),
    Part(
        "targets.json",
        Target,
        "Your target organizations: why, how much, hiring signal, status and research notes.",
    ),
    Part("postings.json", Posting, "Openings you noted."),
    Part(
        "applications.json",
        Application,
        "Your applications, each with its events (status changes).",
        children=(Child("events", ApplicationEvent, "application"),),
    ),
    Part("message_templates.json", MessageTemplate, "Your message templates."),
    Part(
        "mail_records.json",
        MailRecord,
        "What the mailbox sync stored: per message to or from a person in your network, "
        "its folder, Message-ID, direction, subject, date and first words; its whole "
        "text (body) only where you chose to store it.",
        left_out=frozenset({"interaction_key"}),
        only_if_set=frozenset({"body"}),
    ),
    Part(
        "messages.json",
        Message,
        "Outreach messages: drafts, sent, replied, with their status dates.",
    ),
    Part(
        "conversations.json",
        Conversation,
        "Conversations (informational interviews and meetings), each with its "
        "participants, the questions chosen for it, what you learned, the referrals "
        "you received and the promises made.",
        children=(
            Child("participants", Participant, "conversation"),
            Child("questions", ChosenQuestion, "conversation"),
            Child("learnings", Learning, "conversation"),
            Child("referrals", Referral, "conversation"),
            Child("promises", Promise, "conversation"),
        ),
    ),
    Part(
        "bench.json",
        BenchEntry,
        "Your bench: the people you would hire one day, with their skills, your "
        "assessment, their availability, where the data came from and every contact.",
        children=(
            Child("skills", BenchSkill, "entry"),
            Child("contacts", BenchContact, "entry"),
        ),
    ),
    Part(
        "openings.json",
        Opening,
        "Openings on your side of the table, with their skills and who was hired or approached.",
        children=(
            Child("skills", OpeningSkill, "opening"),
            Child("outcomes", OpeningOutcome, "opening"),
        ),
    ),
    Part(
        "team_links.json",
        TeamLink,
        "The team members you invited to refer people to your bench, and what became of "
        "each invitation. Your side of other people's teams is in account.json.",
    ),
    Part(
        "team_proposals.json",
        TeamProposal,
        "People your team referred to your bench: who referred them, why, and the details "
        "they chose to share.",
    ),
    Part(
        "coaches.json",
        CoachLink,
        "The coaches you invited to see your progress: their address, what they see, "
        "whether names are shown, and what became of each invitation. Whom you coach is "
        "in account.json.",
    ),
    Part(
        "coach_comments.json",
        CoachComment,
        "Comments and suggestions your coaches left you, and when you dismissed them.",
    ),
    Part(
        "front_door.json",
        FrontDoor,
        "Your front door (the public request page): open or closed, the name and intro "
        "it shows. Its secret link is left out.",
        left_out=frozenset({"token"}),
    ),
    Part(
        "conversation_requests.json",
        ConversationRequest,
        "Requests for a conversation that came through your front door: who, how you "
        "are connected, what they want to learn, and what you decided.",
    ),
    Part("questions.json", Question, "Your own questions in the question bank."),
    Part("stories.json", Story, "Your success stories."),
    Part(
        "follow_ups.json",
        FollowUp,
        "Follow-ups: thank-yous, nudges, check-ins, promises, with their status.",
        left_out=frozenset({"remind_on"}),
    ),
    Part("notifications.json", Notification, "In-app reminders of follow-ups that came due."),
    Part("digests.json", Digest, "The daily digest e-mails sent to you, and what they listed."),
    Part(
        "weekly_reviews_sent.json",
        WeeklyReviewSent,
        "The weekly review e-mails sent to you: the week, when, and the counts they stated.",
    ),
    Part(
        "import_batches.json",
        ImportBatch,
        "Your imports: file name, format, status, dates, summary and the problems found. "
        "The uploaded files themselves are not included.",
        left_out=frozenset(
            {"stored_name", "header", "mapping", "samples", "created_rows", "phase"}
        ),
    ),
    Part(
        "saved_mappings.json",
        SavedMapping,
        "The column mappings you chose for CSV files, reused for the next such file.",
    ),
)

# Models that hold a user's rows but are not a part of their own: where they are.
COVERED_ELSEWHERE: dict[type[models.Model], str] = {
    Profile: "account.json",
    MyAffiliation: "account.json",
    ApiToken: "account.json (name, prefix and dates; never the token)",
    FollowUpSettings: "account.json (never the calendar-feed token)",
    SmtpSettings: "account.json (never the password)",
    Mailbox: "left out: the mailbox connection, whose password is never exported",
    ConnectionCheck: "left out: the last few connection tests' outcomes, kept for the "
    "settings page only (deleted with the account)",
    MailExchange: "left out: per-person counts made from the stored mail (mail_records.json)",
    ImportChange: "left out: what an import changed, kept only to undo it",
    BenchSettings: "account.json",
    WeeklyReviewSettings: "account.json",
    CareerCentreConsent: "account.json (career_centre_counted)",
    StaffAction: "left out: the staff's log of what they did to the account",
    Invitation: "left out: the invitation that staff sent, used once",
}


def part_models() -> set[type[models.Model]]:
    """Every model whose rows the export writes, or says where they are."""
    found: set[type[models.Model]] = set(COVERED_ELSEWHERE)
    for part in PARTS:
        found.add(part.model)
        found.update(child.model for child in part.children)
    return found


def _value(obj: models.Model, model_field: models.Field[Any, Any]) -> Any:
    value = getattr(obj, model_field.attname)
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    return value


def _columns(
    model: type[models.Model], left_out: Iterable[str] = ()
) -> list[models.Field[Any, Any]]:
    skip = SECRET_FIELDS | ALWAYS_LEFT_OUT | set(left_out)
    return [f for f in model._meta.concrete_fields if f.name not in skip]


def row(obj: models.Model, columns: list[models.Field[Any, Any]]) -> dict[str, Any]:
    """One row as a JSON object: foreign keys as ``<name>_id``, dates as ISO 8601."""
    return {column.attname: _value(obj, column) for column in columns}


def part_rows(part: Part, owner: Any, *, chunk_size: int = CHUNK_SIZE) -> Iterator[dict[str, Any]]:
    """The rows of one part, ``chunk_size`` at a time (keyset pagination on the id).

    Per chunk: one query for the rows, one per kind of child, one per list of names;
    plain values, no model instances, so a network of 30,000 people stays quick.
    """
    columns = [c.attname for c in _columns(part.model, part.left_out)]
    rows = owned(part.model, owner).order_by("pk")
    last = 0
    while True:
        chunk = list(rows.filter(pk__gt=last).values(*columns)[:chunk_size])
        if not chunk:
            return
        ids = Ids(item["id"] for item in chunk)
        last = chunk[-1]["id"]
        for child in part.children:
            _attach_children(chunk, child, ids)
        for key, m2m in part.names_of:
            _attach_names(chunk, part.model, key, m2m, ids)
        for item in chunk:
            for key in part.only_if_set:
                if not item.get(key):
                    item.pop(key, None)
        yield from chunk
        if len(chunk) < chunk_size:
            return


def _attach_children(chunk: list[dict[str, Any]], child: Child, ids: Ids) -> None:
    parent = f"{child.parent_field}_id"
    columns = [c.attname for c in _columns(child.model)]
    found: dict[int, list[dict[str, Any]]] = {}
    for item in (
        child.model._default_manager.filter(**{f"{parent}__in": ids})
        .order_by("pk")
        .values(*columns)
    ):
        found.setdefault(item.pop(parent), []).append(item)
    for item in chunk:
        item[child.key] = found.get(item["id"], [])


def _attach_names(
    chunk: list[dict[str, Any]], model: type[models.Model], key: str, m2m: str, ids: Ids
) -> None:
    m2m_field = model._meta.get_field(m2m)
    through = m2m_field.remote_field.through  # type: ignore[union-attr]
    source = m2m_field.m2m_field_name()  # type: ignore[union-attr]
    target = m2m_field.m2m_reverse_field_name()  # type: ignore[union-attr]
    found: dict[int, list[str]] = {}
    for parent_id, name in (
        through._default_manager.filter(**{f"{source}_id__in": ids})
        .order_by(f"{target}__name", "pk")
        .values_list(f"{source}_id", f"{target}__name")
    ):
        found.setdefault(parent_id, []).append(name)
    for item in chunk:
        item[key] = found.get(item["id"], [])


def account_data(user: User) -> dict[str, Any]:
    """The account itself: profile, settings and sign-in, without any secret."""
    profile = Profile.objects.filter(user=user).first()
    settings_row = FollowUpSettings.objects.filter(owner=user).first()
    smtp = SmtpSettings.objects.filter(owner=user).first()
    bench_row = BenchSettings.objects.filter(owner=user).first()
    review_row = WeeklyReviewSettings.objects.filter(owner=user).first()
    data: dict[str, Any] = {
        "email": user.email,
        "date_joined": user.date_joined.isoformat(),
        "last_login": user.last_login.isoformat() if user.last_login else None,
        "profile": row(profile, _columns(Profile)) if profile else None,
        "my_affiliations": [
            row(item, _columns(MyAffiliation)) for item in owned(MyAffiliation, user).order_by("pk")
        ],
        "follow_up_settings": (
            row(settings_row, _columns(FollowUpSettings)) if settings_row else None
        ),
        "bench_settings": row(bench_row, _columns(BenchSettings)) if bench_row else None,
        "weekly_review_settings": (
            row(review_row, _columns(WeeklyReviewSettings)) if review_row else None
        ),
        # The managers I refer people to, and the referrals I sent them (my side only).
        "team_member_side": team.member_side(user),
        # The people I coach, and the comments I left them (my side only).
        "coach_side": coaching.coach_side(user),
        "smtp_settings": (
            {**row(smtp, _columns(SmtpSettings)), "has_password": smtp.has_password}
            if smtp
            else None
        ),
        "api_tokens": [
            row(token, _columns(ApiToken)) for token in owned(ApiToken, user).order_by("pk")
        ],
        "career_centre_counted": is_counted(user),
    }
    if apps.is_installed("allauth.account"):
        from allauth.account.models import EmailAddress as SignInAddress

        data["sign_in_addresses"] = [
            {"email": a.email, "verified": a.verified, "primary": a.primary}
            for a in SignInAddress.objects.filter(user=user).order_by("pk")
        ]
    if apps.is_installed("allauth.mfa"):
        from allauth.mfa.models import Authenticator

        # The kind and dates only: an authenticator's data holds its secret.
        data["two_factor"] = [
            {
                "type": a.type,
                "created_at": a.created_at.isoformat(),
                "last_used_at": a.last_used_at.isoformat() if a.last_used_at else None,
            }
            for a in Authenticator.objects.filter(user=user).order_by("pk")
        ]
    if apps.is_installed("allauth.socialaccount"):
        from allauth.socialaccount.models import SocialAccount

        # Which identity-provider accounts sign in to this one (docs/operations.md).
        data["single_sign_on"] = [
            {
                "provider": a.provider,
                "uid": a.uid,
                "date_joined": a.date_joined.isoformat(),
                "last_login": a.last_login.isoformat(),
            }
            for a in SocialAccount.objects.filter(user=user).order_by("pk")
        ]
    return data


def _write_json_array(out: IO[bytes], rows: Iterable[dict[str, Any]]) -> int:
    """Write ``rows`` as a JSON array, one object a line; return how many."""
    # Buffered: the ZIP compresses what it is given, and a call per line costs more.
    text = io.TextIOWrapper(out, encoding="utf-8", newline="\n")
    encode = DjangoJSONEncoder(ensure_ascii=False).encode  # one encoder for every row
    count = 0
    text.write("[")
    for item in rows:
        text.write((",\n" if count else "\n") + encode(item))
        count += 1
    text.write("\n]\n" if count else "]\n")
    text.flush()
    text.detach()
    return count


def _entry(name: str) -> zipfile.ZipInfo:
    """A ZIP member dated now (local time, as ZIP wants), compressed."""
    info = zipfile.ZipInfo(name, date_time=timezone.localtime().timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o600 << 16
    return info


def _write_people(archive: zipfile.ZipFile, owner: Any) -> None:
    """people.csv and people.vcf (the files ``coffeechat export`` writes) from one read of
    the people: the cards wait in a temporary file (in memory while small) while the
    CSV goes to the archive, which takes one file at a time."""
    with tempfile.SpooledTemporaryFile(max_size=VCARDS_IN_MEMORY) as cards:
        card_text = io.TextIOWrapper(cards, encoding="utf-8", newline="")

        def also_as_cards(records: Iterable[PersonRecord]) -> Iterator[PersonRecord]:
            for record in records:
                write_vcards((record,), card_text)
                yield record

        with archive.open(_entry("people.csv"), "w", force_zip64=True) as raw:
            text = io.TextIOWrapper(raw, encoding="utf-8", newline="")  # buffered, flushed below
            write_csv(also_as_cards(people_records(owner)), text)
            text.flush()
            text.detach()
        card_text.flush()
        card_text.detach()
        cards.seek(0)
        with archive.open(_entry("people.vcf"), "w", force_zip64=True) as raw:
            shutil.copyfileobj(cards, raw, COPY_BUFFER)


def write_export(
    user: User, out: IO[bytes], *, chunk_size: int = CHUNK_SIZE, echo: Echo | None = None
) -> dict[str, int]:
    """Write ``user``'s whole export as a ZIP to ``out``; return the row count per file.

    ``echo(phase, done, total)`` hears of each file of the archive as it is written.
    """
    counts: dict[str, int] = {}
    steps = len(PARTS) + 1

    def step(name: str, done: int) -> None:
        if echo is not None:
            echo(f"Writing {name}", done, steps)

    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            _entry("account.json"),
            json.dumps(account_data(user), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
            + "\n",
        )
        for done, part in enumerate(PARTS):
            step(part.filename, done)
            with archive.open(_entry(part.filename), "w", force_zip64=True) as raw:
                counts[part.filename] = _write_json_array(
                    raw, part_rows(part, user, chunk_size=chunk_size)
                )
        step("people.csv and people.vcf", len(PARTS))
        _write_people(archive, user)
        step("README.txt", steps)
        archive.writestr(_entry("README.txt"), readme(user, counts))
    return counts


def export_to_temporary_file(user: User) -> IO[bytes]:
    """The export in an anonymous temporary file, rewound: for a download response."""
    handle = tempfile.TemporaryFile(suffix=".zip")  # noqa: SIM115 (the response closes it)
    try:
        write_export(user, handle)
    except BaseException:
        handle.close()
        raise
    handle.seek(0)
    return handle


def export_filename(now: datetime.datetime | None = None) -> str:
    day = timezone.localdate(now or timezone.now())
    return f"coffeechat-my-data-{day:%Y-%m-%d}.zip"


def readme(user: User, counts: dict[str, int]) -> str:
    lines = [
        "Your Coffeechat data",
        "====================",
        "",
        f"Account: {user.email}",
        f"Exported: {timezone.now():%Y-%m-%d %H:%M} UTC",
        "",
        "This archive holds everything Coffeechat keeps for your account, in open",
        "formats you can read without Coffeechat. Nothing from other accounts is in it.",
        "",
        "What is not in it, on purpose: your password (only a hash of it is stored),",
        "the password of your own mail server, your API tokens and calendar-feed link",
        "(only their hashes are stored; create new ones if you move), two-factor",
        "secrets, and the files you uploaded to import (they are deleted after an",
        "import; what they brought in is in the files below).",
        "",
        "The JSON files",
        "--------------",
        "Each one but account.json is a list of objects, one object a line. Every",
        'object has an "id"; a field ending in "_id" refers to the object with that',
        'id in another file (for example "person_id" to people.json and',
        '"organization_id" to organizations.json).',
        "Dates and times are ISO 8601; times are in UTC. Choices are stored as their",
        'short code (for example "thank_you", "informational").',
        "",
        "account.json",
        "    Your e-mail address, profile, your own affiliations, follow-up and mail",
        "    settings, the names and dates of your API tokens.",
    ]
    for part in PARTS:
        lines.append(f"{part.filename} ({counts.get(part.filename, 0)})")
        lines.extend(
            textwrap.wrap(part.description, 76, initial_indent="    ", subsequent_indent="    ")
        )
    lines += [
        "",
        "Other files",
        "-----------",
        "people.csv",
        "    Your people in the CSV format Coffeechat imports again (Import > Coffeechat",
        "    export), safe to open in a spreadsheet.",
        "people.vcf",
        "    Your people as vCard 4.0, for an address book.",
        "",
    ]
    return "\n".join(lines)


# ---------------------------------------------------------------------------
# Deleting the account


@dataclass
class Deletion:
    email: str
    rows: int
    files: int
    per_model: dict[str, int] = field(default_factory=dict)


def delete_account(user: User, echo: Echo | None = None) -> Deletion:
    """Delete ``user`` with every row they own, in chunks, then their sessions and uploads.

    Every model with an owner cascades from the user (a test checks it). The account
    is deactivated first, so it cannot sign in while its rows go; the rows go in short
    transactions of a few hundred (``coffeechat.core.deletion``), so a large account
    neither exhausts memory nor locks other users out. The uploaded files of its
    imports are removed once the rows are gone.
    """
    from coffeechat.imports.services import upload_dir

    email = user.email
    user_pk = user.pk
    stored = list(
        owned(ImportBatch, user).exclude(stored_name="").values_list("stored_name", flat=True)
    )
    User._default_manager.filter(pk=user_pk).update(is_active=False)
    if echo is not None:
        echo("Deleting every row", 0, 3)

    def progress(label: str, done: int) -> None:
        if echo is not None:
            echo(f"Deleting every row ({label}: {done})", 0, 3)

    team.forget_member(user)
    per_model = deletion.delete_owned_rows(user, progress)
    with transaction.atomic():
        _rows, rest = user.delete()
    per_model.update(rest)
    if echo is not None:
        echo("Ending sessions", 1, 3)
    end_sessions(user_pk)
    if echo is not None:
        echo("Removing uploaded files", 2, 3)
    files = 0
    folder = upload_dir()
    for name in stored:
        path = folder / Path(name).name  # never outside the upload folder
        if path.is_file():
            path.unlink(missing_ok=True)
            files += 1
    return Deletion(
        email=email, rows=sum(per_model.values()), files=files, per_model=dict(per_model)
    )


def confirmation_matches(user: User, typed: str) -> bool:
    """The user typed their own e-mail address (case and spaces do not matter)."""
    return bool(typed.strip()) and typed.strip().casefold() == user.email.casefold()


def user_model_relations() -> list[tuple[type[models.Model], str]]:
    """Every (model, field) that points at a user: what deleting an account must clear."""
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    return [
        (model, f.name)
        for model in apps.get_models()
        for f in model._meta.concrete_fields
        if f.is_relation and f.related_model is user_model
    ]


def data_summary(user: User) -> list[tuple[str, int]]:
    """How many of the main kinds of rows the account holds, for the deletion page."""
    kinds: list[tuple[str, type[models.Model]]] = [
        ("people", Person),
        ("organizations", Organization),
        ("conversations", Conversation),
        ("messages", Message),
        ("follow-ups", FollowUp),
        ("imports", ImportBatch),
    ]
    return [(label, owned(model, user).count()) for label, model in kinds]
