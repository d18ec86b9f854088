"""Forms of "my team refers people to me": the invitation and the referral."""

from __future__ import annotations

from typing import Any

from django import forms

from coffeechat.bench.models import TeamLink
from coffeechat.bench.team import SHAREABLE, active_links_as_member, display_name
from coffeechat.core.scoping import owned
from coffeechat.network.models import Person
from coffeechat.network.pickers import PersonPickerField


class InviteForm(forms.Form):
    email = forms.CharField(
        label="Their e-mail address",
        max_length=254,
        help_text="The address they sign in to Coffeechat with.",
    )


def _manager_label(link: TeamLink) -> str:
    return display_name(link.owner)


class ReferForm(forms.Form):
    link = forms.ModelChoiceField(label="Refer to", queryset=TeamLink.objects.none())
    person = PersonPickerField(label="Person", help_text="Someone in your own network.")
    why = forms.CharField(
        label="Why",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What makes them a good match; the manager reads it first.",
    )
    share = forms.MultipleChoiceField(
        label="Also share",
        required=False,
        choices=list(SHAREABLE.items()),
        widget=forms.CheckboxSelectMultiple,
        help_text="Their name always travels; nothing else of your network does.",
    )
    skills = forms.CharField(
        label="Skills",
        max_length=500,
        required=False,
        help_text="Optional, separated by commas, each with a level from 1 to 4 if you "
        "know it: python:3, teaching.",
    )

    def __init__(self, *args: Any, member: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        link_field = self.fields["link"]
        person_field = self.fields["person"]
        assert isinstance(link_field, forms.ModelChoiceField)
        assert isinstance(person_field, forms.ModelChoiceField)
        link_field.queryset = active_links_as_member(member)
        link_field.label_from_instance = _manager_label  # type: ignore[method-assign,assignment]
        person_field.queryset = owned(Person, member)
