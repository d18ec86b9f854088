"""The --user option of the terminal commands."""

from __future__ import annotations

from django.core.management.base import CommandError

from coffeechat.accounts.models import User


def user_by_email(email: str) -> User:
    user = User.objects.filter(email__iexact=email.strip()).first()
    if user is None:
        raise CommandError(f"There is no account with the e-mail address {email}.")
    return user
