"""``coffeechat progress --user EMAIL [--period 30|90|365|all] [--json]``: the figures;
``--review [--week YYYY-Www]``: the weekly review instead."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.serializers.json import DjangoJSONEncoder

from coffeechat.accounts.console import user_by_email
from coffeechat.progress.period import CHOICES, DEFAULT
from coffeechat.progress.review import BadWeek, Review, review_of
from coffeechat.progress.serialize import progress_data, review_data
from coffeechat.progress.services import progress_of


class Command(BaseCommand):
    help = (
        "Print your progress: the funnel with its conversions, reply rates with their "
        "intervals (or too few to tell), the median times and the suggestions; with "
        "--review, the weekly review of a week."
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
        parser.add_argument(
            "--review",
            action="store_true",
            help="Print the weekly review (what happened, what is due, quiet targets, "
            "stalled referral chains) instead of the figures.",
        )
        parser.add_argument(
            "--week",
            default="",
            help="With --review: the week, YYYY-Www (e.g. 2026-W09), Monday to Sunday in "
            "your time zone (default: the last complete week).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = user_by_email(str(options["user"]))
        if options["week"] and not options["review"]:
            raise CommandError("--week goes with --review.")
        if options["review"]:
            try:
                review = review_of(user, options["week"] or None)
            except BadWeek as error:
                raise CommandError(str(error)) from None
            if options["json"]:
                self.stdout.write(json.dumps(review_data(review), indent=2, cls=DjangoJSONEncoder))
            else:
                self.print_review(review)
            return
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

    def print_review(self, review: Review) -> None:
        out = self.stdout.write
        week = review.week
        out(f"Weekly review {week.key}: {week.first_day:%a %d %b} to {week.last_day:%a %d %b %Y}")
        out("")
        out("What happened")
        for section in review.happened:
            self.print_section(section)
        coming = review.coming
        out("")
        out(f"Due the week after ({coming.first_day:%d %b} to {coming.last_day:%d %b})")
        for section in review.due:
            self.print_section(section)
        out("")
        self.print_section(review.quiet)
        self.print_section(review.stalled)

    def print_section(self, section: Any) -> None:
        self.stdout.write(f"  {section.label:<40} {section.count:>4}")
        for item in section.items:
            day = f"{item.on:%Y-%m-%d} " if item.on else ""
            detail = f" ({item.detail})" if item.detail else ""
            self.stdout.write(f"    {day}{item.title}{detail}")
        if not section.items:
            self.stdout.write(f"    {section.empty}")
