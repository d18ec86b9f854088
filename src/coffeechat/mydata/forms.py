"""The form that confirms deleting an account."""

from __future__ import annotations

from typing import Any

from django import forms

from coffeechat.mydata.services import confirmation_matches


class DeleteAccountForm(forms.Form):
    """Deleting an account asks the user to type its e-mail address, to be sure."""

    confirm_email = forms.CharField(
        label="Type your e-mail address to confirm",
        max_length=254,
        strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_confirm_email(self) -> str:
        typed: str = self.cleaned_data["confirm_email"]
        if not confirmation_matches(self.user, typed):
            raise forms.ValidationError(
                "That is not this account's e-mail address. Nothing was deleted."
            )
        return typed
