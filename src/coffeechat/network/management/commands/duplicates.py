"""``coffeechat duplicates --user EMAIL``: review likely duplicates, merge or keep apart."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from coffeechat.accounts.console import user_by_email
from coffeechat.core.console import command_console, print_json, table
from coffeechat.core.scoping import owned
from coffeechat.network.duplicates import network_duplicates
from coffeechat.network.merge import mark_not_duplicate, merge_people
from coffeechat.network.models import Person


class Command(BaseCommand):
    help = (
        "List the people in your network who are probably the same person, best first; "
        "merge two of them (--merge KEEP OTHER) or remember that they are different "
        "(--not-same A B)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", required=True, help="E-mail address of the account.")
        parser.add_argument(
            "--limit", type=int, default=50, help="How many pairs to list (default 50)."
        )
        parser.add_argument("--json", action="store_true", help="Print the pairs as JSON.")
        action = parser.add_mutually_exclusive_group()
        action.add_argument(
            "--merge",
            nargs=2,
            type=int,
            metavar=("KEEP", "OTHER"),
            help="Merge person OTHER into person KEEP (KEEP's number stays).",
        )
        action.add_argument(
            "--not-same",
            nargs=2,
            type=int,
            metavar=("A", "B"),
            help="Remember that A and B are different people; they are not proposed again.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = user_by_email(options["user"])
        console = command_console(self.stdout, options)
        if options["merge"] or options["not_same"]:
            first, second = self._pair(user, options["merge"] or options["not_same"])
            try:
                if options["merge"]:
                    kept = merge_people(user, first, second)
                    console.print(f"Merged {second.full_name} into {kept.full_name} ({kept.pk}).")
                else:
                    mark_not_duplicate(user, first, second)
                    console.print(
                        f"{first.full_name} and {second.full_name} will not be proposed again."
                    )
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from None
            return
        matches = network_duplicates(user, limit=options["limit"])
        people = owned(Person, user).in_bulk({m.a for m in matches} | {m.b for m in matches})
        pairs = [(m, people[m.a], people[m.b]) for m in matches if m.a in people and m.b in people]
        if options["json"]:
            print_json(
                self.stdout,
                [
                    {
                        "score": round(match.score, 2),
                        "people": [{"id": p.pk, "name": p.full_name} for p in (a, b)],
                        "reasons": list(match.reasons),
                    }
                    for match, a, b in pairs
                ],
            )
            return
        if not pairs:
            console.print("No likely duplicates in your network.")
            return
        rows = table(console, "Score", "Person", "", "Person", "Why", title="Likely duplicates")
        for match, a, b in pairs:
            rows.add_row(
                f"{match.score:.2f}",
                f"{a.full_name} ({a.pk})",
                "≈",
                f"{b.full_name} ({b.pk})",
                "; ".join(match.reasons),
            )
        console.print(rows)
        console.print("Merge with: coffeechat duplicates --user EMAIL --merge KEEP OTHER")

    def _pair(self, user: Any, ids: list[int]) -> tuple[Person, Person]:
        found = owned(Person, user).in_bulk(ids)
        missing = [str(pk) for pk in ids if pk not in found]
        if missing:
            raise CommandError(f"You have no person number {', '.join(missing)}.")
        if ids[0] == ids[1]:
            raise CommandError("Give two different people.")
        return found[ids[0]], found[ids[1]]
