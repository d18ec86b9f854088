"""``coffeechat mail-test --user EMAIL``: log in to a user's mailbox and list its folders."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from coffeechat.accounts.console import user_by_email
from coffeechat.core.console import command_console
from coffeechat.mailbox.services import test_connection


class Command(BaseCommand):
    help = (
        "Log in to the mailbox (IMAP) saved in a user's mailbox settings and list its "
        "folders, or say plainly what went wrong (the server refused the password, could "
        "not reach the server, the certificate is not trusted)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--user", required=True, help="The account whose mailbox to test (its e-mail)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = user_by_email(options["user"])
        console = command_console(self.stdout, options)
        result = test_connection(user)
        if not result.ok:
            raise CommandError(result.message)
        console.print(result.message, markup=False, soft_wrap=True)
