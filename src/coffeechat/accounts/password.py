"""Changing the password can end API access too: tokens do not depend on the password.

A token keeps working after a password change (scripts would break otherwise), so the
change form offers to revoke every token at once, ticked by default: after a stolen
password, the thief's tokens go with it. The tokens page has the same button.
"""

from __future__ import annotations

from typing import Any

from allauth.account.forms import ChangePasswordForm
from django import forms

from coffeechat.accounts.services import revoke_all_api_tokens


class ChangePasswordAndTokensForm(ChangePasswordForm):
    revoke_tokens = forms.BooleanField(
        label="Also revoke all my API tokens",
        help_text="Scripts that use them stop working until you create new ones.",
        required=False,
        initial=True,
    )

    def save(self) -> Any:
        result = super().save()
        if self.cleaned_data.get("revoke_tokens"):
            revoke_all_api_tokens(self.user)
        return result
