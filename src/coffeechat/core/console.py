"""What the terminal commands share: a rich console on the command's stdout, the --user lookup."""

from __future__ import annotations

from typing import Any, TextIO, cast

from django.core.management.base import CommandError, OutputWrapper
from rich.console import Console

from coffeechat.accounts.models import User


class _Stream:
    """Lets rich write to the command's stdout without Django adding line endings."""

    def __init__(self, out: OutputWrapper) -> None:
        self.out = out

    def write(self, text: str) -> int:
        self.out.write(text, ending="")
        return len(text)

    def flush(self) -> None:
        self.out.flush()

    def isatty(self) -> bool:
        return self.out.isatty()


def command_console(out: OutputWrapper, options: dict[str, Any]) -> Console:
    return Console(
        file=cast(TextIO, _Stream(out)),
        no_color=bool(options.get("no_color")),
        force_terminal=True if options.get("force_color") else None,
        highlight=False,
    )


def user_by_email(email: str) -> User:
    user = User.objects.filter(email__iexact=email.strip()).first()
    if user is None:
        raise CommandError(f"There is no account with the e-mail address {email}.")
    return user
