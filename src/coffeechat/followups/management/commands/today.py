"""``coffeechat today --user EMAIL``: the today list in the terminal."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from rich.table import Table

from coffeechat.accounts.console import user_by_email
from coffeechat.core.console import command_console
from coffeechat.followups.today import today_list


class Command(BaseCommand):
    help = (
        "Print the follow-ups that are overdue, due today and due in the next seven "
        "days, with this week's progress toward the weekly targets."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--user", required=True, help="E-mail address of the account whose list to print."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = user_by_email(options["user"])
        console = command_console(self.stdout, options)
        result = today_list(user)
        console.print(f"[bold]Today, {result.today:%A %-d %B %Y}[/bold]")
        for row in result.progress:
            mark = " ✓" if row.met else ""
            console.print(f"This week: {row.label}: {row.done} of {row.target}{mark}")
        if result.is_empty:
            console.print("Nothing due in the next seven days.")
            return
        for _key, label, items in result.groups:
            if not items:
                continue
            table = Table(title=f"{label} ({len(items)})", title_justify="left", expand=False)
            table.add_column("Due")
            table.add_column("Kind")
            table.add_column("Follow-up")
            table.add_column("Channel")
            table.add_column("Id", justify="right")
            for item in items:
                table.add_row(
                    f"{item.remind_on:%a %-d %b}",
                    item.get_kind_display(),
                    item.title,
                    item.get_channel_display() if item.channel else "",
                    str(item.pk),
                )
            console.print(table)
