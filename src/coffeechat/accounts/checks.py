"""``coffeechat check --deploy``: settings that would let strangers learn who has an account."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Warning as CheckWarning


def signup_enumeration(app_configs: Any = None, **kwargs: Any) -> list[CheckWarning]:
    if settings.SIGNUP_OPEN and settings.ACCOUNT_EMAIL_VERIFICATION != "mandatory":
        return [
            CheckWarning(
                "Open sign-up without mandatory e-mail verification tells anyone whether an "
                "address has an account.",
                hint="Leave COFFEECHAT_EMAIL_VERIFICATION unset (mandatory with open "
                "sign-up) or set it to mandatory; see docs/operations.md.",
                id="coffeechat.W001",
            )
        ]
    return []
