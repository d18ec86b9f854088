"""``coffeechat staff``: make the first staff member, list accounts, (re)activate them.

Every change is written to the staff action log with the actor "cli".
"""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from coffeechat.accounts.console import user_by_email
from coffeechat.staff import services
from coffeechat.staff.figures import users_for_staff


class Command(BaseCommand):
    help = (
        "Staff administration from the terminal: --grant EMAIL makes an account staff "
        "(the first staff member is made this way), --list prints every account with its "
        "counts, --deactivate EMAIL signs it out everywhere and revokes its API tokens, "
        "--reactivate EMAIL lets it sign in again. Changes are logged with the actor 'cli'."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--grant", metavar="EMAIL", help="Make this account staff.")
        group.add_argument("--list", action="store_true", help="List every account.")
        group.add_argument("--deactivate", metavar="EMAIL", help="Deactivate this account.")
        group.add_argument("--reactivate", metavar="EMAIL", help="Reactivate this account.")
        parser.add_argument("--search", default="", help="With --list: e-mail contains this.")
        parser.add_argument("--json", action="store_true", help="With --list: print JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"]:
            self._list(str(options["search"]), bool(options["json"]))
            return
        try:
            if options["grant"]:
                user = services.grant_staff(None, user_by_email(options["grant"]))
                self.stdout.write(f"{user.email} is staff: the staff pages are at /staff/.")
            elif options["deactivate"]:
                user = services.deactivate(None, user_by_email(options["deactivate"]))
                self.stdout.write(f"{user.email} is deactivated: signed out, API tokens revoked.")
            else:
                user = services.reactivate(None, user_by_email(options["reactivate"]))
                self.stdout.write(f"{user.email} can sign in again.")
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error

    def _list(self, search: str, as_json: bool) -> None:
        rows = [
            {
                "email": user.email,
                "joined": user.date_joined.isoformat(),
                "last_login": user.last_login.isoformat() if user.last_login else None,
                "active": user.is_active,
                "staff": user.is_staff,
                "people": user.people_count,  # type: ignore[attr-defined]
                "conversations_held": user.conversations_held,  # type: ignore[attr-defined]
            }
            for user in users_for_staff(search).iterator(chunk_size=500)
        ]
        if as_json:
            self.stdout.write(json.dumps(rows, indent=2))
            return
        self.stdout.write(f"{'e-mail':<40} {'joined':<10} {'status':<11} {'people':>6} {'held':>5}")
        for row in rows:
            status = ("active" if row["active"] else "deactivated") + ("*" if row["staff"] else "")
            self.stdout.write(
                f"{row['email'][:40]:<40} {row['joined'][:10]:<10} {status:<11} "
                f"{row['people']:>6} {row['conversations_held']:>5}"
            )
        self.stdout.write(f"{len(rows)} account(s); * staff")
