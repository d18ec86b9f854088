from __future__ import annotations

from typing import Any

from django import forms

from coffeechat.core.scoping import owned
from coffeechat.followups.models import FollowUp, FollowUpSettings
from coffeechat.network.models import Organization, Person
from coffeechat.network.pickers import PersonPickerField, organization_name_field


class FollowUpForm(forms.ModelForm[FollowUp]):
    # A name typed with suggestions, not a list of every organization (30,000 people
    # bring thousands): services.save_follow_up finds or adds it.
    organization_name = organization_name_field(required=False)

    class Meta:
        model = FollowUp
        fields = ["title", "kind", "due_on", "person", "organization_name", "channel", "note"]
        field_classes = {"person": PersonPickerField}
        widgets = {
            "due_on": forms.DateInput(attrs={"type": "date"}),
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, owner: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = owned(Person, owner)  # type: ignore[attr-defined]
        organization = self.instance.organization if self.instance.organization_id else None
        asked = str(self.initial.get("organization", ""))
        if organization is None and asked.isdigit():  # ?organization=ID from another page
            organization = owned(Organization, owner).filter(pk=int(asked)).first()
        if organization is not None:
            self.fields["organization_name"].initial = organization.name
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
