"""``coffeechat undo-import BATCH --user EMAIL``: take an import back."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from coffeechat.accounts.console import user_by_email
from coffeechat.core.console import command_console
from coffeechat.core.scoping import owned
from coffeechat.imports.models import ImportBatch, Status
from coffeechat.imports.undo import undo, undo_report


class Command(BaseCommand):
    help = (
        "Undo an import: remove the people and rows it added and put back what it changed. "
        "People you have worked on since are kept unless you say --delete-touched. "
        "Without a batch number, lists your imports."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("batch", nargs="?", type=int, help="The import's number.")
        parser.add_argument("--user", required=True, help="E-mail address of the account.")
        parser.add_argument(
            "--delete-touched",
            action="store_true",
            help="Also delete people you have added notes, ties or other things to since.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = user_by_email(options["user"])
        console = command_console(self.stdout, options)
        if options["batch"] is None:
            for batch in owned(ImportBatch, user)[:50]:
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
        if report.touched and not options["delete_touched"]:
            console.print(
                f"Keeping {len(report.touched)} people you have worked on since the import "
                "(use --delete-touched to delete them too):"
            )
            for touched in report.touched[:20]:
                console.print(f"  {touched.name}: {', '.join(touched.reasons)}", markup=False)
        result = undo(batch, delete_touched=options["delete_touched"])
        console.print(
            f"Undid import {batch.pk}: removed {result.get('network.Person', 0)} people, "
            f"restored {result.get('restored', 0)} changed rows."
        )
