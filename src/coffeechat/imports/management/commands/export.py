"""``coffeechat export csv|vcard --user EMAIL -o FILE``: everyone in the user's network."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from coffeechat.accounts.console import user_by_email
from coffeechat.core.console import ProgressBar, error_console
from coffeechat.imports.export import EXPORT_FORMATS, export_people
from coffeechat.imports.writers import VCARD_VERSIONS


class Command(BaseCommand):
    help = "Export your people as CSV (safe to open in a spreadsheet) or as vCard 4.0 or 3.0."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("format", choices=sorted(EXPORT_FORMATS), help="csv or vcard.")
        parser.add_argument("--user", required=True, help="E-mail address of the account.")
        parser.add_argument(
            "-o", "--output", required=True, help="The file to write; - for standard output."
        )
        parser.add_argument(
            "--vcard-version",
            choices=VCARD_VERSIONS,
            default="4.0",
            help="The version of the cards of a vCard export (default 4.0).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = user_by_email(options["user"])
        bar = ProgressBar(error_console(self.stderr, options))
        if options["output"] == "-":
            with bar as echo:
                export_people(
                    user,
                    options["format"],
                    sys.stdout,
                    echo=echo,
                    vcard_version=options["vcard_version"],
                )
            return
        path = Path(options["output"])
        try:
            with path.open("w", encoding="utf-8", newline="") as out, bar as echo:
                export_people(
                    user, options["format"], out, echo=echo, vcard_version=options["vcard_version"]
                )
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}.") from None
        self.stderr.write(f"Wrote {path}.")
