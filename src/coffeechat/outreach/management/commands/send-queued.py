"""``coffeechat send-queued [--user EMAIL] [--dry-run] [--json]``: send the queued drafts."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console

from coffeechat.accounts.console import user_by_email
from coffeechat.core.console import command_console, print_json
from coffeechat.outreach.models import Message
from coffeechat.outreach.services import send_queued
from coffeechat.outreach.services.sending import QueueResult


def message_data(message: Message) -> dict[str, Any]:
    return {
        "id": message.pk,
        "subject": message.subject,
        "to_email": message.to_email,
        "person_id": message.person_id,
        "person": message.person.full_name,
    }


def as_data(result: QueueResult, *, dry_run: bool) -> dict[str, Any]:
    """The run for ``--json``: what was sent (or would be) and what failed, with why."""
    return {
        "dry_run": dry_run,
        "sent": [message_data(message) for message in result.sent],
        "failed": [
            {**message_data(message), "reason": reason} for message, reason in result.failed
        ],
    }


class Command(BaseCommand):
    help = (
        "Send every draft e-mail queued for sending (Queue for sending on the message page, "
        "or POST /api/v1/messages/{id}/queue), through the user's SMTP server or EMAIL_URL. "
        "A message that cannot be sent stays queued and is listed with the reason."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--user", help="Only this account's queue (its e-mail address); default: everyone's."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be sent; send nothing."
        )
        parser.add_argument(
            "--json", action="store_true", help="Print what was sent and what failed as JSON."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = user_by_email(options["user"]) if options.get("user") else None
        console = command_console(self.stdout, options)
        result = send_queued(user, dry_run=bool(options["dry_run"]))
        if options["json"]:
            print_json(self.stdout, as_data(result, dry_run=bool(options["dry_run"])))
        else:
            self.report(console, result, dry_run=bool(options["dry_run"]))
        if result.failed:
            raise CommandError(f"{len(result.failed)} message(s) could not be sent.")

    def report(self, console: Console, result: QueueResult, *, dry_run: bool) -> None:
        verb = "Would send" if dry_run else "Sent"
        for message in result.sent:
            console.print(
                f"{verb}: “{message.subject}” to {message.person.full_name} <{message.to_email}>",
                markup=False,
                soft_wrap=True,
            )
        for message, reason in result.failed:
            console.print(
                f"Not sent: “{message.subject}” to {message.person.full_name}: {reason}",
                markup=False,
                soft_wrap=True,
            )
        if not result.sent and not result.failed:
            console.print("Nothing is queued.")
        else:
            console.print(f"{verb} {len(result.sent)}, failed {len(result.failed)}.")
