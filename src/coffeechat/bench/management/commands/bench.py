"""``coffeechat bench --user EMAIL [--opening ID] [--json]``: the ranked bench."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from coffeechat.accounts.console import user_by_email
from coffeechat.bench import ranking
from coffeechat.bench.models import Opening, OpeningStatus
from coffeechat.core.calendar import local_today
from coffeechat.core.scoping import owned

FACTORS = ("skills", "fit", "availability", "recency", "vouched")


class Command(BaseCommand):
    help = (
        "Print your bench ranked for an opening (the newest open one when --opening is "
        "not given), best first, with the score of every factor and the preferred channel."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", required=True, help="E-mail address of the account.")
        parser.add_argument(
            "--opening", type=int, help="The opening's id (see the API or its page)."
        )
        parser.add_argument("--json", action="store_true", help="Print JSON instead of a table.")

    def handle(self, *args: Any, **options: Any) -> None:
        user = user_by_email(str(options["user"]))
        openings = owned(Opening, user).prefetch_related("skills")
        if options.get("opening"):
            opening = openings.filter(pk=options["opening"]).first()
            if opening is None:
                raise CommandError(f"You have no opening with id {options['opening']}.")
        else:
            opening = openings.filter(status=OpeningStatus.OPEN).order_by("-created_at").first()
            if opening is None:
                raise CommandError("You have no open opening: record one first.")
        today = local_today(user)
        ranked = ranking.rank(user, opening, today)
        if options["json"]:
            self.stdout.write(json.dumps(self._json(opening, ranked), indent=2))
            return
        self.stdout.write(f"{opening.title} (#{opening.pk}): {len(ranked)} on your bench")
        header = f"{'#':>3}  {'name':<28} {'total':>5} " + " ".join(f"{f[:6]:>6}" for f in FACTORS)
        self.stdout.write(header + "  channel")
        for place, row in enumerate(ranked, 1):
            scores = " ".join(f"{row.scores[f]:>6}" for f in FACTORS)
            name = row.person.full_name[:28]
            self.stdout.write(f"{place:>3}  {name:<28} {row.total:>5} {scores}  {row.channel}")

    @staticmethod
    def _json(opening: Opening, ranked: list[ranking.Ranked]) -> dict[str, Any]:
        return {
            "opening": {"id": opening.pk, "title": opening.title},
            "weights": ranking.WEIGHTS,
            "ranked": [
                {
                    "entry_id": row.entry.pk,
                    "person": row.person.full_name,
                    "total": row.total,
                    "scores": row.scores,
                    "referred_by_id": row.entry.referred_by_id,
                    "team_referrer": getattr(row.entry, "team_referrer", None),
                    "preferred_channel": row.person.preferred_channel,
                    "last_contact": row.last_contact.isoformat() if row.last_contact else None,
                }
                for row in ranked
            ],
        }
