from __future__ import annotations

from typing import Any

from django import forms

from coffeechat.accounts.countries import country_choices
from coffeechat.accounts.models import MyAffiliation, Profile, time_zone_choices
from coffeechat.core.scoping import owned
from coffeechat.network.models import Affiliation, AffiliationKind


class ProfileForm(forms.ModelForm):
    time_zone = forms.ChoiceField(choices=time_zone_choices, required=False)
    country = forms.ChoiceField(choices=country_choices, required=False)

    class Meta:
        model = Profile
        fields = ["full_name", "time_zone", "country", "intro", "signature"]
        widgets = {
            "intro": forms.Textarea(attrs={"rows": 3}),
            "signature": forms.Textarea(attrs={"rows": 4}),
        }


class MyAffiliationForm(forms.ModelForm):
    new_name = forms.CharField(
        label="…or a new one",
        required=False,
        max_length=200,
        help_text="The name of a school, employer, association or community not in the list.",
    )
    new_kind = forms.ChoiceField(
        label="Kind of the new one", choices=AffiliationKind.choices, required=False
    )

    class Meta:
        model = MyAffiliation
        fields = [
            "affiliation",
            "new_name",
            "new_kind",
            "detail",
            "class_year",
            "start_year",
            "end_year",
        ]

    def __init__(self, *args: Any, owner: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.owner = owner
        self.instance.owner = owner
        field = self.fields["affiliation"]
        field.queryset = owned(Affiliation, owner)  # type: ignore[attr-defined]
        field.required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("affiliation") and not data.get("new_name"):
            self.add_error("affiliation", "Pick one of your affiliations or name a new one.")
        if data.get("new_name") and not data.get("new_kind"):
            self.add_error("new_kind", "Say what kind of group the new one is.")
        return data


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        max_length=100, help_text="What the token is for, e.g. 'my laptop script'."
    )


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
        from coffeechat.accounts.mydata import confirmation_matches

        typed: str = self.cleaned_data["confirm_email"]
        if not confirmation_matches(self.user, typed):
            raise forms.ValidationError(
                "That is not this account's e-mail address. Nothing was deleted."
            )
        return typed
