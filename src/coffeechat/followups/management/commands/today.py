"""``coffeechat today --user EMAIL``: the today list in the terminal."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from coffeechat.accounts.console import user_by_email
from coffeechat.core.console import command_console, print_json, table
from coffeechat.followups.models import FollowUp
from coffeechat.followups.today import TodayList, today_list


def item_data(item: FollowUp) -> dict[str, Any]:
    return {
        "id": item.pk,
        "remind_on": item.remind_on,
        "due_on": item.due_on,
        "kind": item.kind,
        "title": item.title,
        "channel": item.channel,
        "person_id": item.person_id,
        "organization_id": item.organization_id,
    }


def as_data(result: TodayList) -> dict[str, Any]:
    """The list for ``--json``: the day, this week's progress, and each group's items."""
    return {
        "date": result.today,
        "progress": [
            {"name": row.name, "label": row.label, "done": row.done, "target": row.target}
            for row in result.progress
        ],
        "groups": {
            key: [item_data(item) for item in items] for key, _label, items in result.groups
        },
    }


class Command(BaseCommand):
    help = (
        "Print the follow-ups that are overdue, due today and due in the next seven "
        "days, with this week's progress toward the weekly targets."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--user", required=True, help="E-mail address of the account whose list to print."
        )
        parser.add_argument("--json", action="store_true", help="Print the list as JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        user = user_by_email(options["user"])
        console = command_console(self.stdout, options)
        result = today_list(user)
        if options["json"]:
            print_json(self.stdout, as_data(result))
            return
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
            title = f"{label} ({len(items)})"
            rows = table(console, "Due", "Kind", "Follow-up", "Channel", "Id", title=title)
            for item in items:
                rows.add_row(
                    f"{item.remind_on:%a %-d %b}",
                    item.get_kind_display(),
                    item.title,
                    item.get_channel_display() if item.channel else "",
                    str(item.pk),
                )
            console.print(rows)
