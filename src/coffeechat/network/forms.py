from __future__ import annotations

from typing import Any

from django import forms

from coffeechat.accounts.models import MyAffiliation, time_zone_choices
from coffeechat.core.scoping import owned
from coffeechat.network.models import (
    Affiliation,
    AffiliationKind,
    Employment,
    Membership,
    Organization,
    Person,
    Tie,
)
from coffeechat.network.pickers import PICK_OR_ADD, PersonPickerField, organization_name_field


class OwnedModelForm(forms.ModelForm):
    """A model form whose choices of related rows come only from the owner's rows."""

    def __init__(self, *args: Any, owner: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.owner = owner
        self.instance.owner = owner
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField):
                assert field.queryset is not None
                field.queryset = owned(field.queryset.model, owner)


class PersonForm(OwnedModelForm):
    emails = forms.CharField(
        label="E-mail addresses",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One per line; the first is the main one.",
    )
    phones = forms.CharField(
        label="Phone numbers",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One per line.",
    )
    tag_names = forms.CharField(
        label="Tags", required=False, help_text="Separated by commas, e.g. data, mentor."
    )
    time_zone = forms.ChoiceField(choices=time_zone_choices, required=False)

    class Meta:
        model = Person
        fields = [
            "first_name",
            "last_name",
            "emails",
            "phones",
            "linkedin_url",
            "location",
            "time_zone",
            "level",
            "preferred_channel",
            "source",
            "tag_names",
            "do_not_contact",
            "follow_up_wish",
            "keep_in_touch_days",
            "next_check_in_on",
            "may_keep_in_touch",
            "notes",
        ]
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 6}),
            "next_check_in_on": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["emails"].initial = "\n".join(
                e.email for e in self.instance.email_addresses.all()
            )
            self.fields["phones"].initial = "\n".join(
                p.number for p in self.instance.phone_numbers.all()
            )
            self.fields["tag_names"].initial = ", ".join(t.name for t in self.instance.tags.all())

    def clean_emails(self) -> list[str]:
        # Checked by services.save_person, the one e-mail check; its error shows here.
        return [line.strip() for line in self.cleaned_data["emails"].splitlines() if line.strip()]

    def clean_phones(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["phones"].splitlines() if line.strip()]

    def clean_tag_names(self) -> list[str]:
        return [name.strip() for name in self.cleaned_data["tag_names"].split(",") if name.strip()]


class OrganizationForm(OwnedModelForm):
    class Meta:
        model = Organization
        fields = ["name", "website", "domain", "industry", "location", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 6})}


class EmploymentForm(OwnedModelForm):
    organization_name = organization_name_field()

    class Meta:
        model = Employment
        fields = [
            "organization_name",
            "title",
            "department",
            "start_date",
            "end_date",
            "is_current",
            "has_hiring_authority",
        ]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "end_date": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["organization_name"].initial = self.instance.organization.name


class AffiliationForm(OwnedModelForm):
    organization_name = organization_name_field(
        required=False, help_text=f"The organization behind it, if any. {PICK_OR_ADD}"
    )

    class Meta:
        model = Affiliation
        fields = ["name", "kind", "organization_name", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.organization_id:
            self.fields["organization_name"].initial = self.instance.organization.name


class MembershipForm(OwnedModelForm):
    class Meta:
        model = Membership
        fields = ["affiliation", "detail", "class_year", "start_year", "end_year"]


class TieForm(OwnedModelForm):
    class Meta:
        model = Tie
        fields = ["from_person", "to_person", "kind", "strength", "introduced_by", "since", "note"]
        widgets = {
            "since": forms.DateInput(attrs={"type": "date"}),
            "note": forms.Textarea(attrs={"rows": 3}),
            "strength": forms.NumberInput(attrs={"min": 1, "max": 5}),
        }
        labels = {"from_person": "From", "to_person": "To"}
        help_texts = {"from_person": "Leave “Me” ticked for a tie between you and the person."}
        field_classes = {
            "from_person": PersonPickerField,
            "to_person": PersonPickerField,
            "introduced_by": PersonPickerField,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, label in (("from_person", "Me"), ("introduced_by", "Nobody")):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.empty_label = label


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
