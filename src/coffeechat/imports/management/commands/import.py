"""``coffeechat import FILE --user EMAIL``: preview a file, then import it in one piece."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from coffeechat.accounts.console import user_by_email
from coffeechat.core.console import command_console
from coffeechat.core.scoping import owned
from coffeechat.imports import services
from coffeechat.imports.formats import COMMAND_NAMES
from coffeechat.imports.models import ImportBatch, Status
from coffeechat.imports.records import Format
from coffeechat.network.models import Affiliation, AffiliationKind

SHOWN_PROBLEMS = 20


class Command(BaseCommand):
    help = (
        "Import people from a file: a LinkedIn export, a Google, Outlook or Thunderbird CSV, "
        "vCards, or any CSV with one person per row. Shows a preview first; writes everything "
        "in one transaction, or nothing."
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

    def handle(self, *args: Any, **options: Any) -> None:
        user = user_by_email(options["user"])
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: there is no such file.")
        console = command_console(self.stdout, options)
        affiliation = None
        new_name = ""
        if options["affiliation"]:
            affiliation = (
                owned(Affiliation, user).filter(name__iexact=options["affiliation"].strip()).first()
            )
            new_name = "" if affiliation else options["affiliation"]
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

        with _Bar(console) as echo:
            services.preview(batch, echo=echo)
        batch.refresh_from_db()
        if batch.status == Status.FAILED:
            raise CommandError(batch.error)
        self._show_preview(console, batch)
        if options["dry_run"]:
            services.cancel(batch)
            console.print("Dry run: nothing was written.")
            return
        with _Bar(console) as echo:
            landed = services.commit(batch, echo=echo)
        batch.refresh_from_db()
        if not landed:
            raise CommandError(batch.error or "The import did not land; nothing was written.")
        summary = batch.summary
        console.print(
            f"[bold green]Imported.[/] {summary['new']} new people, {summary['changed']} updated. "
            f"Batch {batch.pk}; undo it with: "
            f"coffeechat undo-import {batch.pk} --user {user.email}",
            soft_wrap=True,
        )

    def _show_preview(self, console: Console, batch: ImportBatch) -> None:
        summary = batch.summary
        table = Table(title=f"{batch.original_name} ({batch.get_format_display()})")
        table.add_column("")
        table.add_column("Count", justify="right")
        for key, label in [
            ("rows", "Records read"),
            ("new", "New people"),
            ("changed", "Already here, with changes"),
            ("unchanged", "Already here, unchanged"),
            ("duplicates", "Possible duplicates to review"),
            ("new_organizations", "New organizations"),
            ("messages", "Messages for timelines"),
            ("problems", "Problems"),
            ("skipped", "Rows skipped"),
        ]:
            if key in summary:
                table.add_row(label, str(summary[key]))
        console.print(table)
        for problem in batch.problems[:SHOWN_PROBLEMS]:
            where = "card" if batch.format == Format.VCARD else "line"
            field = f", {problem['field']}" if problem["field"] else ""
            console.print(f"  {where} {problem['line']}{field}: {problem['message']}", markup=False)
        if summary.get("problems", 0) > SHOWN_PROBLEMS:
            console.print(f"  …and {summary['problems'] - SHOWN_PROBLEMS} more problems.")


class _Bar:
    """A rich progress bar fed by the importer's progress callback."""

    def __init__(self, console: Console) -> None:
        self.progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"),
            TimeRemainingColumn(),
            console=console,
            transient=True,
        )
        self.task = self.progress.add_task("Reading", total=None, rate="")

    def __enter__(self) -> Any:
        self.progress.__enter__()
        return self.update

    def __exit__(self, *exc: object) -> None:
        self.progress.__exit__(*exc)  # type: ignore[arg-type]

    def update(self, phase: str, done: int, total: int) -> None:
        task = self.progress.tasks[0]
        elapsed = task.elapsed or 0
        rate = f"{done / elapsed:,.0f} rows/s" if elapsed > 0.2 else ""
        self.progress.update(
            self.task, description=phase, completed=done, total=max(total, done), rate=rate
        )
