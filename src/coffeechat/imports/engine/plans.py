"""What an import plans to do: its limits, and the people and messages it plans to write."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from coffeechat.imports.records import GroupRecord, MessageRecord

# How many problems a batch keeps to show; the count is always exact.
MAX_PROBLEMS_KEPT = 1000
MAX_SAMPLES = 50
BULK_SIZE = 2000
# People planned before they are counted (a preview) and dropped.
CHUNK_ROWS = 5000
# People planned before they are written (an import): each such chunk is one short
# transaction, which is as long as another user's save may have to wait on SQLite.
WRITE_CHUNK_ROWS = 1000

Progress = Callable[[str, int], None]

PERSON_LIMITS = {
    "first_name": 150,
    "last_name": 150,
    "location": 200,
}
JOB_LIMITS = {"title": 200, "department": 200}


@dataclass(slots=True)
class Job:
    organization_name: str
    organization_key: str
    title: str
    department: str


@dataclass(slots=True)
class PlannedPerson:
    """What the import does for one person (new when ``person_id`` is None)."""

    line: int
    first_name: str
    last_name: str
    person_id: int | None = None  # set for new people once they are written
    is_new: bool = True
    match_reason: str = ""
    linkedin_url: str = ""
    location: str = ""
    notes: str = ""
    level: str = ""
    connected_on: date | None = None
    new_emails: list[str] = field(default_factory=list)
    new_phones: list[str] = field(default_factory=list)
    new_tags: list[str] = field(default_factory=list)
    job: Job | None = None
    end_jobs: list[int] = field(default_factory=list)
    fill: dict[str, Any] = field(default_factory=dict)  # existing person's empty fields
    tie: bool = False
    # The tie as an export described it (kind, strength, note); None: the format's own.
    tie_as: tuple[str, int, str] | None = None
    membership: tuple[str, int | None] | None = None  # (detail, class year)
    groups: list[GroupRecord] = field(default_factory=list)  # new memberships, any group
    email_kinds: dict[str, str] = field(default_factory=dict)
    phone_kinds: dict[str, str] = field(default_factory=dict)
    changes: list[str] = field(default_factory=list)  # plain words for the preview
    # The print of the row that planned them, kept once written (imports/prints.py); ""
    # when the row is not one to skip next time (a problem, merged with another row…).
    fingerprint: str = ""
    print_problems: str = ""  # that row's warnings, kept with the print

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def changed(self) -> bool:
        return bool(
            self.new_emails
            or self.new_phones
            or self.new_tags
            or self.job
            or self.fill
            or self.tie
            or self.membership
            or self.groups
        )


@dataclass(slots=True)
class PlannedMessage:
    line: int
    person_id: int
    record: MessageRecord
    source_key: str
