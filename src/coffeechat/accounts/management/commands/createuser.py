from __future__ import annotations

import getpass
import sys
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from coffeechat.accounts.models import User
from coffeechat.accounts.services import create_account


class Command(BaseCommand):
    help = (
        "Create an account that signs in with EMAIL. The password is asked for, read from "
        "standard input with --password-stdin, or given with --password."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="E-mail address the person signs in with.")
        parser.add_argument("--name", default="", help="Full name shown in the profile.")
        parser.add_argument("--password", help="The password (visible in shell history).")
        parser.add_argument(
            "--password-stdin", action="store_true", help="Read the password from standard input."
        )
        parser.add_argument(
            "--superuser", action="store_true", help="Also allow the admin site (/admin/)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        email: str = options["email"]
        if User.objects.filter(email__iexact=email).exists():
            raise CommandError(f"An account with {email} exists already.")
        password = self._password(options)
        try:
            user = create_account(
                email, password, full_name=options["name"], superuser=options["superuser"]
            )
        except ValidationError as error:
            raise CommandError("Password refused: " + " ".join(error.messages)) from None
        self.stdout.write(self.style.SUCCESS(f"Created the account {user.email}."))

    def _password(self, options: dict[str, Any]) -> str:
        if options["password"]:
            return str(options["password"])
        if options["password_stdin"]:
            return sys.stdin.readline().rstrip("\n")
        if not sys.stdin.isatty():
            raise CommandError("Give --password or --password-stdin when not run in a terminal.")
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password (again): "):
            raise CommandError("The two passwords differ.")
        return first
