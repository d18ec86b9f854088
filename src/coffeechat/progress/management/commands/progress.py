"""``coffeechat progress --user EMAIL [--period 30|90|365|all] [--json]``: the figures."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.core.serializers.json import DjangoJSONEncoder

from coffeechat.accounts.console import user_by_email
from coffeechat.progress.period import CHOICES, DEFAULT
from coffeechat.progress.serialize import progress_data
from coffeechat.progress.services import progress_of


class Command(BaseCommand):
    help = (
        "Print your progress: the funnel with its conversions, reply rates with their "
        "intervals (or too few to tell), the median times and the suggestions."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", required=True, help="E-mail address of the account.")
        parser.add_argument(
            "--period",
            choices=list(CHOICES),
            default=DEFAULT,
            help="Days back from today (your local date), or all (default: %(default)s).",
        )
        parser.add_argument(
            "--json", action="store_true", help="Print every figure as JSON (as the API)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = user_by_email(str(options["user"]))
        figures = progress_of(user, options["period"])
        if options["json"]:
            self.stdout.write(json.dumps(progress_data(figures), indent=2, cls=DjangoJSONEncoder))
            return
        out = self.stdout.write
        out(f"{figures.period.label}, up to {figures.period.last_day:%Y-%m-%d}")
        out("")
        out("Funnel")
        for step in figures.funnel:
            count = "not recorded" if step.count is None else str(step.count)
            conversion = (
                "" if step.conversion is None else f"  ({step.conversion}% of the step before)"
            )
            out(f"  {step.label:<40} {count:>6}{conversion}")
        out("")
        out("Reply rates")
        for group in figures.replies.groups:
            out(f"  By {group.title.lower()}")
            for rate in group.rates:
                shown = (
                    f"{rate.percent}% ({rate.low}-{rate.high}%)"
                    if rate.enough
                    else "too few to tell"
                )
                out(f"    {rate.label[:38]:<38} {rate.replied:>4} of {rate.sent:<4} {shown}")
        out("")
        for duration in (figures.replies.time_to_reply, figures.replies.note_to_conversation):
            median = "-" if duration.median_days is None else f"{duration.median_days} days"
            out(f"{duration.label}: {median} (median of {duration.count})")
        if figures.replies.suggestions:
            out("")
            out("From your own data")
            for suggestion in figures.replies.suggestions:
                out(f"  {suggestion.text}")
