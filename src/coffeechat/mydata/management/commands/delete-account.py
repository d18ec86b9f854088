"""``coffeechat delete-account --user EMAIL [--yes]``: an account and all of its data."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from coffeechat.accounts.console import user_by_email
from coffeechat.core.console import ProgressBar, error_console
from coffeechat.mydata.services import confirmation_matches, delete_account


class Command(BaseCommand):
    help = (
        "Delete an account with everything it holds (people, conversations, messages, "
        "follow-ups, imports and their uploaded files), in one transaction. Asks to type "
        "the e-mail address again unless --yes is given. Run export-all first to keep a copy."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", required=True, help="E-mail address of the account.")
        parser.add_argument(
            "--yes", action="store_true", help="Do not ask for confirmation (for scripts)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = user_by_email(options["user"])
        if not options["yes"]:
            if not sys.stdin.isatty():
                raise CommandError("Give --yes when not run in a terminal. Nothing was deleted.")
            typed = input(f"This deletes {user.email} and all of its data. Type the address: ")
            if not confirmation_matches(user, typed):
                raise CommandError("The address does not match. Nothing was deleted.")
        with ProgressBar(error_console(self.stderr, options)) as echo:
            result = delete_account(user, echo=echo)
        files = f" and {result.files} uploaded files" if result.files else ""
        self.stdout.write(self.style.SUCCESS(f"Deleted {result.email}: {result.rows} rows{files}."))
