from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from coffeechat.core.widgets import FastSelect
from coffeechat.network.forms import OwnedModelForm
from coffeechat.network.pickers import PersonPickerField, organization_name_field
from coffeechat.targets.models import (
    RESEARCH_TOPICS,
    Application,
    ApplicationStatus,
    Posting,
    Target,
)
from coffeechat.targets.services import MAX_BULK_NAMES

DATE = forms.DateInput(attrs={"type": "date"})


class TargetForm(OwnedModelForm):
    class Meta:
        model = Target
        fields = [
            "why",
            "motivation",
            "hiring_signal",
            "status",
            "status_reason",
            *(f"{topic.key}_{part}" for topic in RESEARCH_TOPICS for part in ("done", "notes")),
        ]
        widgets = {
            "why": forms.Textarea(attrs={"rows": 4}),
            "motivation": forms.NumberInput(attrs={"min": 1, "max": 5}),
            "status_reason": forms.Textarea(attrs={"rows": 2}),
            **{
                f"{topic.key}_notes": forms.Textarea(attrs={"rows": 3}) for topic in RESEARCH_TOPICS
            },
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for topic in RESEARCH_TOPICS:
            self.fields[f"{topic.key}_done"].label = f"{topic.label}: done"
            self.fields[f"{topic.key}_notes"].label = f"{topic.label}: notes"
            self.fields[f"{topic.key}_notes"].help_text = topic.prompt

    @property
    def main_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("why", "motivation", "hiring_signal", "status")] + [
            self["status_reason"]
        ]

    @property
    def research_fields(self) -> list[tuple[Any, forms.BoundField, forms.BoundField]]:
        return [
            (topic, self[f"{topic.key}_done"], self[f"{topic.key}_notes"])
            for topic in RESEARCH_TOPICS
        ]


class TargetQuickForm(OwnedModelForm):
    """The inline edit on the target list."""

    class Meta:
        model = Target
        fields = ["motivation", "hiring_signal", "status", "status_reason"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["motivation"] = forms.TypedChoiceField(
            label="Motivation",
            choices=[(n, f"{n}/5") for n in range(1, 6)],
            coerce=int,
        )
        # One form per target on the list: its selects are drawn without templates.
        for name in ("motivation", "hiring_signal", "status"):
            field = self.fields[name]
            choices = field.choices  # type: ignore[attr-defined]
            widget = FastSelect(attrs=field.widget.attrs, choices=choices)
            widget.is_required = field.required
            field.widget = widget
        self.fields["status_reason"].widget = forms.TextInput(
            attrs={"placeholder": "Why?", "maxlength": 500}
        )
        self.fields["status_reason"].required = False


class BulkTargetsForm(forms.Form):
    names = forms.CharField(
        label="Organizations",
        widget=forms.Textarea(
            attrs={"rows": 8, "placeholder": "Acme\nOrbitwell\nCity of Lakemont"}
        ),
        help_text=(
            f"One per line (up to {MAX_BULK_NAMES}). Names you already have are matched "
            "(“Acme, Inc.” finds “ACME Inc”); the others are added as new organizations."
        ),
    )


class PostingForm(OwnedModelForm):
    organization_name = organization_name_field()

    class Meta:
        model = Posting
        fields = ["organization_name", "title", "url", "seen_on", "contact", "status", "notes"]
        widgets = {"seen_on": DATE, "notes": forms.Textarea(attrs={"rows": 4})}
        field_classes = {"contact": PersonPickerField}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["organization_name"].initial = self.instance.organization.name
        else:
            self.fields["seen_on"].initial = timezone.localdate()
        contact = self.fields["contact"]
        assert isinstance(contact, forms.ModelChoiceField)
        contact.empty_label = "Nobody named"


class ApplicationForm(OwnedModelForm):
    organization_name = organization_name_field(
        required=False, help_text="Taken from the posting when you choose one."
    )

    class Meta:
        model = Application
        fields = [
            "posting",
            "organization_name",
            "role_title",
            "applied_on",
            "channel",
            "referred_by",
            "status",
            "notes",
        ]
        widgets = {"applied_on": DATE, "notes": forms.Textarea(attrs={"rows": 4})}
        field_classes = {"referred_by": PersonPickerField}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["organization_name"].initial = self.instance.organization.name
            # The status changes through the history form, which dates each step.
            del self.fields["status"]
        posting = self.fields["posting"]
        assert isinstance(posting, forms.ModelChoiceField)
        assert posting.queryset is not None
        posting.queryset = posting.queryset.select_related("organization")
        posting.empty_label = "No posting"
        referred = self.fields["referred_by"]
        assert isinstance(referred, forms.ModelChoiceField)
        referred.empty_label = "Nobody"
        self.fields["role_title"].required = False
        self.fields["role_title"].help_text = "Taken from the posting when left empty."

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("posting") and not data.get("organization_name"):
            self.add_error("organization_name", "Name the organization, or choose a posting.")
        posting = data.get("posting")
        if posting is not None:
            self.instance.organization = posting.organization
            if not data.get("role_title"):
                data["role_title"] = posting.title
        if not data.get("role_title"):
            self.add_error("role_title", "Which role did you apply for?")
        return data


class ApplicationStatusForm(forms.Form):
    status = forms.ChoiceField(choices=ApplicationStatus.choices)
    on = forms.DateField(label="On", widget=DATE)
    note = forms.CharField(label="Note", max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()
