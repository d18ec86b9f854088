"""``coffeechat demo``: a demo account with an invented network to try Coffeechat on."""

from __future__ import annotations

import secrets
import string
import time
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.urls import reverse
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn
from rich.table import Table

from coffeechat.accounts.models import User
from coffeechat.accounts.services import create_account
from coffeechat.core.console import command_console
from coffeechat.demo.network import (
    DEFAULT_PEOPLE,
    DEFAULT_SEED,
    DEMO_EMAIL,
    MIN_PEOPLE,
    STEPS,
    build_demo_network,
    demo_full_name,
)

MAX_PEOPLE = 5000
PASSWORD_ALPHABET = "".join(
    c for c in string.ascii_lowercase + string.digits if c not in "ilo01"
)  # no look-alike characters

COUNT_LABELS: dict[str, str] = {
    "people": "People",
    "organizations": "Organizations",
    "affiliations": "Schools, associations and groups",
    "memberships": "Memberships",
    "employments": "Jobs (current and former)",
    "email_addresses": "E-mail addresses",
    "phone_numbers": "Phone numbers",
    "ties": "Ties",
    "my_ties": "…of which your own",
    "tags": "Tags",
    "my_affiliations": "Your affiliations",
    "targets": "Target organizations",
    "postings": "Openings",
    "applications": "Applications",
    "bench_entries": "People on your bench",
    "bench_openings": "Openings to rank your bench for",
    "bench_requests": "Requests waiting at your front door",
}


def generate_password() -> str:
    """Four groups of five characters, e.g. ``k3vbt-9qwxa-…``: strong and easy to type."""
    while True:
        groups = ["".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(5)) for _ in range(4)]
        password = "-".join(groups)
        if any(c.isalpha() for c in password) and any(c.isdigit() for c in password):
            return password


class Command(BaseCommand):
    help = (
        "Create a demo account filled with an invented but realistic network: "
        f"{DEFAULT_PEOPLE} people, their organizations, schools, associations and alumni groups, "
        "and ties several introductions deep. The same --seed always gives the same data. "
        "Prints the e-mail address and password to sign in with."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--email",
            default=DEMO_EMAIL,
            help=f"E-mail address of the demo account (default {DEMO_EMAIL}).",
        )
        parser.add_argument(
            "--password",
            help="Password of the demo account (default: a strong random one, printed at the "
            "end). It must pass the same strength checks as any other password.",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=f"Random seed; the same seed gives the same network (default {DEFAULT_SEED}).",
        )
        parser.add_argument(
            "--people",
            type=int,
            default=DEFAULT_PEOPLE,
            help=f"How many people to invent ({MIN_PEOPLE}–{MAX_PEOPLE}; "
            f"default {DEFAULT_PEOPLE}).",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="If the account exists already, delete it with all of its data and build it "
            "again (with a new password unless --password is given).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        email = User.objects.normalize_email(str(options["email"]).strip())
        people: int = options["people"]
        seed: int = options["seed"]
        if not MIN_PEOPLE <= people <= MAX_PEOPLE:
            raise CommandError(f"--people must be between {MIN_PEOPLE} and {MAX_PEOPLE}.")

        existing = User.objects.filter(email__iexact=email).first()
        if existing is not None:
            if not options["reset"]:
                raise CommandError(
                    f"The account {existing.email} exists already. Pass --reset to delete it "
                    "with all of its data and build the demo again."
                )
            if existing.is_staff or existing.is_superuser:
                raise CommandError(
                    f"{existing.email} is an administrator account; the demo will not reset it. "
                    "Choose another --email."
                )

        password = options["password"] or generate_password()
        try:
            validate_password(password, user=User(email=email))
        except ValidationError as error:
            raise CommandError("Password refused: " + " ".join(error.messages)) from None

        console = command_console(self.stdout, options)
        started = time.perf_counter()
        progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            console=console,
            transient=True,
        )
        with progress, transaction.atomic():
            task = progress.add_task("Creating the account", total=len(STEPS) + 1)

            def on_step(label: str) -> None:
                progress.update(task, advance=1, description=label)

            if existing is not None:
                existing.delete()
            try:
                user = create_account(email, password, full_name=demo_full_name())
            except ValidationError as error:
                raise CommandError("Password refused: " + " ".join(error.messages)) from None
            counts = build_demo_network(user, seed=seed, people=people, on_step=on_step)
            progress.update(task, completed=len(STEPS) + 1, description="Done")
        elapsed = time.perf_counter() - started

        self.show_result(console, counts, elapsed, email=user.email, password=password, seed=seed)

    def show_result(
        self,
        console: Console,
        counts: dict[str, int],
        elapsed: float,
        *,
        email: str,
        password: str,
        seed: int,
    ) -> None:
        table = Table(title=f"Demo network (seed {seed})", show_header=False, box=None)
        table.add_column("What")
        table.add_column("How many", justify="right")
        for key, label in COUNT_LABELS.items():
            if key in counts:
                table.add_row(label, str(counts[key]))
        console.print(table)
        console.print(f"Built in {elapsed:.1f} s.")
        console.print()
        login_url = settings.SITE_URL + reverse("account_login")
        console.print("[bold green]The demo account is ready.[/] Sign in with:")
        console.print(f"  URL       {login_url}", soft_wrap=True, markup=False)
        console.print(f"  E-mail    {email}", soft_wrap=True, markup=False)
        console.print(f"  Password  {password}", soft_wrap=True, markup=False)
        console.print("(Start the server with `coffeechat serve` if it is not running.)")
