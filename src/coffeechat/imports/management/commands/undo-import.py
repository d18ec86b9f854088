"""``coffeechat undo-import BATCH --user EMAIL``: take an import back."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from coffeechat.accounts.console import user_by_email
from coffeechat.core.console import ProgressBar, command_console, error_console, print_json
from coffeechat.core.scoping import owned
from coffeechat.imports.models import ImportBatch, Status
from coffeechat.imports.undo import undo, undo_report


class Command(BaseCommand):
    help = (
        "Undo an import: remove the people and rows it added and put back what it changed. "
        "People you have worked on since are kept unless you say --delete-touched. "
        "Asks first unless --yes is given. Without a batch number, lists your imports."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("batch", nargs="?", type=int, help="The import's number.")
        parser.add_argument("--user", required=True, help="E-mail address of the account.")
        parser.add_argument(
            "--delete-touched",
            action="store_true",
            help="Also delete people you have added notes, ties or other things to since.",
        )
        parser.add_argument(
            "--yes", action="store_true", help="Do not ask for confirmation (for scripts)."
        )
        parser.add_argument(
            "--json", action="store_true", help="Print the list of imports, or the result, as JSON."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = user_by_email(options["user"])
        console = command_console(self.stdout, options)
        if options["batch"] is None:
            batches = list(owned(ImportBatch, user)[:50])
            if options["json"]:
                print_json(
                    self.stdout,
                    [
                        {
                            "batch": b.pk,
                            "created_at": b.created_at,
                            "status": b.status,
                            "file": b.original_name,
                        }
                        for b in batches
                    ],
                )
                return
            for batch in batches:
                console.print(
                    f"{batch.pk:>6}  {batch.created_at:%Y-%m-%d %H:%M}  "
                    f"{batch.get_status_display():<16} {batch.original_name}",
                    markup=False,
                )
            return
        found = owned(ImportBatch, user).filter(pk=options["batch"]).first()
        if found is None:
            raise CommandError(f"You have no import number {options['batch']}.")
        batch = found
        if batch.status != Status.IMPORTED:
            raise CommandError(
                f"Import {batch.pk} is {batch.get_status_display().lower()}; "
                "only an imported file can be undone."
            )
        report = undo_report(batch)
        if report.touched and not options["delete_touched"] and not options["json"]:
            console.print(
                f"Keeping {len(report.touched)} people you have worked on since the import "
                "(use --delete-touched to delete them too):"
            )
            for touched in report.touched[:20]:
                console.print(f"  {touched.name}: {', '.join(touched.reasons)}", markup=False)
        if not options["yes"]:
            self._confirm(batch)
        with ProgressBar(error_console(self.stderr, options)) as echo:
            try:
                result = undo(batch, delete_touched=options["delete_touched"], echo=echo)
            except ValueError as error:  # someone else started undoing it meanwhile
                raise CommandError(f"Import {batch.pk}: {error}") from error
        if options["json"]:
            print_json(self.stdout, {"batch": batch.pk, **result})
            return
        console.print(
            f"Undid import {batch.pk}: removed {result.get('network.Person', 0)} people, "
            f"restored {result.get('restored', 0)} changed rows."
        )

    def _confirm(self, batch: ImportBatch) -> None:
        if not sys.stdin.isatty():
            raise CommandError("Give --yes when not run in a terminal. Nothing was undone.")
        people = len((batch.created_rows or {}).get("network.Person", []))
        answer = input(
            f"Undo import {batch.pk} ({batch.original_name}): remove up to {people} people "
            "and the rows it added? [y/N] "
        )
        if answer.strip().lower() not in {"y", "yes"}:
            raise CommandError("Nothing was undone.")
