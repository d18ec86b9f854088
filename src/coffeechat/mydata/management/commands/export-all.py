"""``coffeechat export-all --user EMAIL -o FILE.zip``: everything of one account."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from coffeechat.accounts.console import user_by_email
from coffeechat.core.console import ProgressBar, error_console
from coffeechat.mydata.services import write_export


class Command(BaseCommand):
    help = (
        "Export all of an account's data as one ZIP file: a JSON file per kind of object, "
        "the people as CSV and vCard, and a README.txt explaining them. Secrets "
        "(password and token hashes, the mail server password) are never included."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", required=True, help="E-mail address of the account.")
        parser.add_argument(
            "-o", "--output", required=True, help="The ZIP file to write; - for standard output."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = user_by_email(options["user"])
        bar = ProgressBar(error_console(self.stderr, options))
        if options["output"] == "-":
            with bar as echo:
                write_export(user, sys.stdout.buffer, echo=echo)
            return
        path = Path(options["output"])
        partial = path.with_name(f".{path.name}.partial")
        try:
            with partial.open("wb") as out, bar as echo:
                counts = write_export(user, out, echo=echo)
            partial.replace(path)
        except OSError as error:
            partial.unlink(missing_ok=True)
            raise CommandError(f"{path}: {error.strerror}.") from None
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        people = counts.get("people.json", 0)
        self.stderr.write(f"Wrote {path}: {people} people, {sum(counts.values())} rows in all.")
