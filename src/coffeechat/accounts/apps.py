from __future__ import annotations

from django.apps import AppConfig
from django.core import checks


class AccountsConfig(AppConfig):
    name = "coffeechat.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from coffeechat.accounts.checks import signup_enumeration

        checks.register(signup_enumeration, checks.Tags.security, deploy=True)
