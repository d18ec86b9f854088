from __future__ import annotations

from typing import Any

from django import forms

from coffeechat.bench.models import FORGET_CHOICES, BenchEntry, BenchSettings, Opening
from coffeechat.bench.services import parse_skills, skills_text
from coffeechat.network.forms import OwnedModelForm
from coffeechat.network.pickers import PersonPickerField


class EntryForm(OwnedModelForm):
    skill_list = forms.CharField(
        label="Skills and areas",
        required=False,
        help_text="Separated by commas, each with a level from 1 (basic) to 4 (expert): "
        "python:4, statistics:3, teaching.",
    )

    class Meta:
        model = BenchEntry
        fields = [
            "person",
            "role_fit",
            "fit",
            "fit_reason",
            "availability",
            "available_from",
            "notice_weeks",
            "referred_by",
            "met_where",
            "data_source",
            "data_note",
        ]
        field_classes = {"person": PersonPickerField, "referred_by": PersonPickerField}
        widgets = {"available_from": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args: Any, fixed_person: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["skill_list"].initial = skills_text(self.instance.skills.all())
        if fixed_person or self.instance.pk:
            del self.fields["person"]
        self.order_fields(["person", "skill_list"])

    def clean_skill_list(self) -> Any:
        return parse_skills(self.cleaned_data.get("skill_list") or "")


class ContactForm(forms.Form):
    on = forms.DateField(label="When", widget=forms.DateInput(attrs={"type": "date"}))
    channel = forms.CharField(max_length=20, required=False)
    note = forms.CharField(max_length=500, required=False)


def _names(text: str) -> list[str]:
    return [name.strip() for name in text.replace("\n", ",").split(",") if name.strip()]


class OpeningForm(OwnedModelForm):
    required_skills = forms.CharField(
        required=False, help_text="Separated by commas; they weigh three times as much."
    )
    nice_skills = forms.CharField(
        label="Nice-to-have skills", required=False, help_text="Separated by commas."
    )

    class Meta:
        model = Opening
        fields = ["title", "description", "start_on", "internal"]
        widgets = {
            "start_on": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            skills = list(self.instance.skills.all())
            self.fields["required_skills"].initial = ", ".join(s.name for s in skills if s.required)
            self.fields["nice_skills"].initial = ", ".join(s.name for s in skills if not s.required)

    def clean_required_skills(self) -> list[str]:
        return _names(self.cleaned_data.get("required_skills") or "")

    def clean_nice_skills(self) -> list[str]:
        return _names(self.cleaned_data.get("nice_skills") or "")


def _entry_label(entry: BenchEntry) -> str:
    return entry.person.full_name


class CloseForm(forms.Form):
    hired = forms.ModelMultipleChoiceField(
        queryset=BenchEntry.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    approached = forms.ModelMultipleChoiceField(
        queryset=BenchEntry.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, entries: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("hired", "approached"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelMultipleChoiceField)
            field.queryset = entries
            field.label_from_instance = _entry_label  # type: ignore[method-assign,assignment]


class SettingsForm(forms.ModelForm[BenchSettings]):
    class Meta:
        model = BenchSettings
        fields = ["keep_warm_days", "forget_after_months"]
        labels = {"forget_after_months": "Forget candidates not in touch for"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["forget_after_months"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "Never (keep them until I remove them)"), *FORGET_CHOICES]
