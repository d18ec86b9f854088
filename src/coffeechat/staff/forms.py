from __future__ import annotations

from typing import Any

from django import forms


class InviteForm(forms.Form):
    email = forms.EmailField(
        label="E-mail address",
        max_length=254,
        help_text="They get a link to choose a password; it works once, for 7 days.",
    )


class InvitedSignupForm(forms.Form):
    full_name = forms.CharField(label="Your name", max_length=200, required=False)
    password1 = forms.CharField(label="Password", widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label="Password (again)", widget=forms.PasswordInput, strip=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", "The two passwords differ.")
        return data


class ConsentForm(forms.Form):
    counted = forms.BooleanField(
        label="Count me in my career centre's anonymous figures",
        required=False,
        help_text=(
            "Staff of this Coffeechat see totals over everyone who ticks this box: how many "
            "conversations were held, how many were with someone who hires, and how long it "
            "took from a first note to a conversation, month by month. They never see your "
            "name, your people or your notes, and a figure is shown only when at least five "
            "people who ticked the box are behind it. Untick it at any time: you stop being "
            "counted at once."
        ),
    )
