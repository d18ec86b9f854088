"""``coffeechat import FILE --user EMAIL``: preview a file, then import it in one piece."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console

from coffeechat.accounts.console import user_by_email
from coffeechat.core.console import (
    ProgressBar,
    command_console,
    error_console,
    print_json,
    table,
)
from coffeechat.core.scoping import owned
from coffeechat.imports import services
from coffeechat.imports.calendar_files import take_calendar_file
from coffeechat.imports.formats import COMMAND_NAMES
from coffeechat.imports.models import ImportBatch, Status
from coffeechat.imports.records import Format
from coffeechat.imports.upload_types import is_calendar
from coffeechat.network.models import Affiliation, AffiliationKind

SHOWN_PROBLEMS = 20


class Command(BaseCommand):
    help = (
        "Import people from a file: a LinkedIn export, a Google, Outlook or Thunderbird CSV, "
        "vCards, or any CSV with one person per row. Shows a preview first; writes everything "
        "in one transaction, or nothing. A calendar invitation (FILE.ics) becomes a scheduled "
        "conversation with its people matched to your network."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The file to import.")
        parser.add_argument("--user", required=True, help="E-mail address of the account.")
        parser.add_argument(
            "--format",
            choices=sorted(COMMAND_NAMES),
            help="The file's format; recognised from its content when left out.",
        )
        parser.add_argument(
            "--affiliation",
            default="",
            help="Everyone in the file is a member of this group (created when it is new).",
        )
        parser.add_argument(
            "--affiliation-kind",
            choices=[k.value for k in AffiliationKind],
            default=AffiliationKind.COMMUNITY.value,
            help="The kind of a new --affiliation group (default: community).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Show the preview and write nothing."
        )
        parser.add_argument(
            "--json",
            action="store_true",
            help="Print the preview (and the batch number, once imported) as JSON.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = user_by_email(options["user"])
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: there is no such file.")
        console = command_console(self.stdout, options)
        progress = error_console(self.stderr, options)
        affiliation = None
        new_name = ""
        if options["affiliation"]:
            affiliation = (
                owned(Affiliation, user).filter(name__iexact=options["affiliation"].strip()).first()
            )
            new_name = "" if affiliation else options["affiliation"]
        if is_calendar(path.name):
            self._calendar(user, path, console, options)
            return
        fmt = COMMAND_NAMES[options["format"]].value if options["format"] else ""
        with path.open("rb") as source:
            try:
                batch = services.create_batch(
                    user,
                    source,
                    path.name,
                    requested_format=fmt,
                    affiliation=affiliation,
                    new_affiliation_name=new_name,
                    new_affiliation_kind=options["affiliation_kind"],
                )
            except services.ImportRefused as error:
                raise CommandError(" ".join(error.messages)) from None

        with ProgressBar(progress) as echo:
            services.preview(batch, echo=echo)
        batch.refresh_from_db()
        if batch.status == Status.FAILED:
            raise CommandError(batch.error)
        if not options["json"]:
            self._show_preview(console, batch)
        if options["dry_run"]:
            services.cancel(batch)
            if options["json"]:
                print_json(self.stdout, self._data(batch, imported=False))
            else:
                console.print("Dry run: nothing was written.")
            return
        with ProgressBar(progress) as echo:
            landed = services.commit(batch, echo=echo)
        batch.refresh_from_db()
        if not landed:
            raise CommandError(batch.error or "The import did not land; nothing was written.")
        if options["json"]:
            print_json(self.stdout, self._data(batch, imported=True))
            return
        summary = batch.summary
        console.print(
            f"[bold green]Imported.[/] {summary['new']} new people, {summary['changed']} updated. "
            f"Batch {batch.pk}; undo it with: "
            f"coffeechat undo-import {batch.pk} --user {user.email}",
            soft_wrap=True,
        )

    def _calendar(self, user: Any, path: Path, console: Console, options: dict[str, Any]) -> None:
        with path.open("rb") as source:
            try:
                taken = take_calendar_file(user, path.name, source, dry_run=options["dry_run"])
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from None
        if options["json"]:
            data = {
                "file": path.name,
                "format": "ics",
                "imported": not options["dry_run"],
                "message": taken.message,
                "conversations": [] if options["dry_run"] else taken.conversation_ids,
            }
            print_json(self.stdout, data)
            return
        console.print(taken.message, markup=False, soft_wrap=True)
        if options["dry_run"]:
            console.print("Dry run: nothing was written.")

    def _data(self, batch: ImportBatch, *, imported: bool) -> dict[str, Any]:
        return {
            "file": batch.original_name,
            "format": batch.format,
            "imported": imported,
            "batch": batch.pk if imported else None,
            "summary": batch.summary,
            "problems": batch.problems,
        }

    def _show_preview(self, console: Console, batch: ImportBatch) -> None:
        summary = batch.summary
        counts = table(
            console, "", "Count", title=f"{batch.original_name} ({batch.get_format_display()})"
        )
        counts.columns[1].justify = "right"
        for key, label in [
            ("rows", "Records read"),
            ("new", "New people"),
            ("changed", "Already here, with changes"),
            ("unchanged", "Already here, unchanged"),
            ("merged", "Merged into another row (the same person)"),
            ("duplicates", "Possible duplicates to review"),
            ("new_organizations", "New organizations"),
            ("new_groups", "New groups"),
            ("messages", "Messages for timelines"),
            ("problems", "Problems"),
            ("skipped", "Rows skipped"),
        ]:
            if key in summary:
                counts.add_row(label, str(summary[key]))
        console.print(counts)
        for problem in batch.problems[:SHOWN_PROBLEMS]:
            where = "card" if batch.format == Format.VCARD else "line"
            field = f", {problem['field']}" if problem["field"] else ""
            console.print(f"  {where} {problem['line']}{field}: {problem['message']}", markup=False)
        if summary.get("problems", 0) > SHOWN_PROBLEMS:
            console.print(f"  …and {summary['problems'] - SHOWN_PROBLEMS} more problems.")
