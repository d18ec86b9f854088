from __future__ import annotations

from django import forms

from coffeechat.accounts.countries import country_choices
from coffeechat.accounts.models import Profile, time_zone_choices


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


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        max_length=100, help_text="What the token is for, e.g. 'my laptop script'."
    )
