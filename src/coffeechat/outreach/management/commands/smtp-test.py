"""``coffeechat smtp-test --user EMAIL``: send a test e-mail through a user's SMTP settings."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from coffeechat.accounts.console import user_by_email
from coffeechat.core.console import command_console
from coffeechat.outreach.services import send_test_email


class Command(BaseCommand):
    help = (
        "Send a short test e-mail to a user's own address through the SMTP server saved in "
        "their e-mail settings, and say plainly what went wrong if it does not go out "
        "(connection refused, timed out, TLS, login refused, sender or recipient refused)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--user", required=True, help="The account whose SMTP settings to test (its e-mail)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = user_by_email(options["user"])
        console = command_console(self.stdout, options)
        result = send_test_email(user)
        if not result.ok:
            raise CommandError(result.message)
        console.print(result.message, markup=False, soft_wrap=True)
