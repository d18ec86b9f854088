"""A calendar file given to the import (page or ``coffeechat import FILE.ics``): an
invitation someone else sent, which conversations (above the import) turns into a
scheduled conversation through :data:`coffeechat.imports.signals.calendar_file_given`.
Nothing of the file is stored here; a file that cannot be taken writes nothing."""

from __future__ import annotations

from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction

from coffeechat.imports.signals import CalendarFileTaken, calendar_file_given

MAX_BYTES = 1_000_000


def take_calendar_file(
    owner: Any, name: str, source: IO[bytes], *, dry_run: bool = False
) -> CalendarFileTaken:
    """Hand the file over; ``dry_run`` says what would happen and writes nothing.
    Refused (ValidationError naming the file) when it is too large or unreadable."""
    data = source.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValidationError(f"{name}: the file is larger than 1 MB: not an invitation.")
    with transaction.atomic():
        answers = calendar_file_given.send(sender=None, owner=owner, name=name, data=data)
        taken: CalendarFileTaken | None = None
        for _receiver, answer in answers:
            if isinstance(answer, CalendarFileTaken):
                taken = answer
                break
        if taken is None:
            raise ValidationError(f"{name}: nothing in this installation reads calendar files.")
        if dry_run:
            transaction.set_rollback(True)
    return taken
