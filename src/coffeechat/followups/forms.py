from __future__ import annotations

from typing import Any

from django import forms

from coffeechat.core.scoping import owned
from coffeechat.followups.models import FollowUp, FollowUpSettings
from coffeechat.network.models import Organization, Person
from coffeechat.network.pickers import PersonPickerField


class FollowUpForm(forms.ModelForm[FollowUp]):
    class Meta:
        model = FollowUp
        fields = ["title", "kind", "due_on", "person", "organization", "channel", "note"]
        field_classes = {"person": PersonPickerField}
        widgets = {
            "due_on": forms.DateInput(attrs={"type": "date"}),
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, owner: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = owned(Person, owner)  # type: ignore[attr-defined]
        self.fields["organization"].queryset = owned(Organization, owner)  # type: ignore[attr-defined]
        self.fields["channel"].help_text = "Empty: the person's preferred channel."


class SkipForm(forms.Form):
    reason = forms.CharField(max_length=300, help_text="Why you skip it, for your own record.")


class SnoozeForm(forms.Form):
    days = forms.TypedChoiceField(
        coerce=int, choices=[(1, "1 day"), (3, "3 days"), (7, "1 week")], initial=1
    )


class FollowUpSettingsForm(forms.ModelForm[FollowUpSettings]):
    class Meta:
        model = FollowUpSettings
        fields = [
            "thank_you_timing",
            "thank_you_hour",
            "debrief_delay_minutes",
            "supervisor_check_in_days",
            "prepare_day_before",
            "weekly_outreach_target",
            "weekly_conversation_target",
            "digest_enabled",
            "digest_hour",
        ]
