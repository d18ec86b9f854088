"""``coffeechat mail-sync --user EMAIL [--since DATE] [--json]``: sync a user's mailbox now."""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from coffeechat.accounts.console import user_by_email
from coffeechat.core.console import command_console
from coffeechat.mailbox.services import mailbox_of, sync_now


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--since wants a date such as 2026-11-01, not “{value}”.") from None


class Command(BaseCommand):
    help = (
        "Read what is new in a user's mailbox (inbox and sent folder) now: replies to "
        "their messages are marked, mail to and from people in their network goes on the "
        "timeline; everything else is skipped without being stored."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--user", required=True, help="The account whose mailbox to sync (its e-mail)."
        )
        parser.add_argument(
            "--since",
            help="On a folder's first sync, read only mail from this date on (YYYY-MM-DD).",
        )
        parser.add_argument("--json", action="store_true", help="Print the result as JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        user = user_by_email(options["user"])
        since = _date(options["since"]) if options.get("since") else None
        if mailbox_of(user) is None:
            raise CommandError(f"{user.email} has no mailbox connected.")
        result = sync_now(user, since=since)
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict()))
        elif result.ok:
            console = command_console(self.stdout, options)
            console.print(
                f"Read {result.looked_at} new message headers; stored {result.stored} "
                f"(replies recognised: {result.replies}, sent mail logged: "
                f"{result.sent_logged}).",
                markup=False,
                soft_wrap=True,
            )
        if not result.ok:
            raise CommandError(result.error)
