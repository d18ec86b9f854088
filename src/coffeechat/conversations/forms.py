from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from coffeechat.accounts.models import time_zone_choices
from coffeechat.conversations.models import (
    Conversation,
    Fit,
    Promise,
    PromiseDirection,
    Purpose,
    Question,
    Referral,
    Story,
    Topic,
)
from coffeechat.conversations.questions import TOPICS
from coffeechat.conversations.services import aware
from coffeechat.core.calendar import user_zone
from coffeechat.core.scoping import owned
from coffeechat.network.forms import OwnedModelForm
from coffeechat.network.models import Level, Person
from coffeechat.network.pickers import organization_name_field
from coffeechat.network.services import find_people
from coffeechat.targets.models import Posting, PostingStatus

DATE = forms.DateInput(attrs={"type": "date"})
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
PEOPLE_SHOWN = 25


class WhenMixin(forms.Form):
    day = forms.DateField(label="Date", widget=DATE)
    at = forms.TimeField(label="Start time", widget=TIME)
    time_zone = forms.ChoiceField(
        label="Time zone of that time",
        choices=time_zone_choices,
        help_text="Enter the time in your zone or theirs; both are shown afterwards.",
    )

    def starts_at(self) -> Any:
        data = self.cleaned_data
        return aware(data["day"], data["at"], data["time_zone"] or "UTC")


class ConversationForm(WhenMixin, OwnedModelForm):
    people = forms.ModelMultipleChoiceField(
        queryset=Person.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="With",
        help_text="Everyone here is thanked afterwards. Find more people with the search above.",
    )
    organization_name = organization_name_field(
        required=False, help_text="Left empty: the first person's current employer."
    )
    invite = forms.BooleanField(
        label="E-mail them a calendar invitation",
        required=False,
        help_text="Through your own SMTP server, or else the instance's mail server. "
        "Not for a time in the past.",
    )

    class Meta:
        model = Conversation
        fields = ["purpose", "posting", "mode", "mode_detail", "duration_minutes"]

    def __init__(self, *args: Any, shown_people: list[Person] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = self.owner
        people_field = self.fields["people"]
        assert isinstance(people_field, forms.ModelMultipleChoiceField)
        people_field.queryset = owned(Person, owner)
        # Only the chosen people and the search results are listed (a network can be
        # 30,000 people); any of the owner's people validates.
        shown = shown_people or []
        people_field.widget.choices = [(p.pk, p.full_name) for p in shown]
        posting = self.fields["posting"]
        assert isinstance(posting, forms.ModelChoiceField)
        posting.queryset = (
            owned(Posting, owner).filter(status=PostingStatus.OPEN).select_related("organization")
        )
        posting.help_text = "For networking about a specific opening."
        self.fields["time_zone"].initial = str(user_zone(owner))
        if self.instance.pk:
            zone = user_zone(owner)
            local = self.instance.starts_at.astimezone(zone)
            self.initial.update(
                {
                    "day": local.date(),
                    "at": local.time(),
                    "time_zone": str(zone),
                    "organization_name": self.instance.organization.name
                    if self.instance.organization
                    else "",
                }
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        try:
            self.instance.starts_at = self.starts_at()
        except ValidationError as error:
            self.add_error("time_zone", error)
        self.instance.time_zone = data.get("time_zone", "")
        return data


def people_to_show(owner: Any, chosen_ids: list[str], query: str) -> list[Person]:
    ids = [int(i) for i in chosen_ids if str(i).isdigit()]
    chosen = list(owned(Person, owner).filter(pk__in=ids))
    found = find_people(owned(Person, owner), query, PEOPLE_SHOWN)
    seen = {p.pk for p in chosen}
    return chosen + [p for p in found if p.pk not in seen]


class RescheduleForm(WhenMixin):
    duration_minutes = forms.IntegerField(label="Duration (minutes)", min_value=5, max_value=480)
    invite = forms.BooleanField(
        label="E-mail the updated invitation",
        required=False,
        initial=True,
        help_text="Sent only if e-mail is configured.",
    )


class DebriefForm(forms.ModelForm):
    class Meta:
        model = Conversation
        fields = ["debrief_notes", "fit", "fit_reason", "told_them_fit"]
        widgets = {
            "debrief_notes": forms.Textarea(attrs={"rows": 6}),
            "fit_reason": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, learnings: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["fit"].choices = [("", "Not decided"), *Fit.choices]  # type: ignore[attr-defined]
        self.fields["told_them_fit"].help_text = "If it is not a fit, say so honestly."
        for value, label in Topic.choices:
            self.fields[f"learned_{value}"] = forms.CharField(
                label=f"Learned: {label}",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text="One thing per line.",
                initial=(learnings or {}).get(value, ""),
            )

    @property
    def learning_fields(self) -> list[forms.BoundField]:
        return [self[f"learned_{value}"] for value in Topic.values]

    @property
    def main_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("debrief_notes", "fit", "fit_reason", "told_them_fit")]

    def learnings(self) -> list[tuple[str, str]]:
        return [
            (value, line.strip())
            for value in Topic.values
            for line in self.cleaned_data.get(f"learned_{value}", "").splitlines()
            if line.strip()
        ]


class FollowUpWishForm(forms.ModelForm):
    """How one person wants to be followed up: stored on the person."""

    class Meta:
        model = Person
        fields = [
            "preferred_channel",
            "follow_up_wish",
            "keep_in_touch_days",
            "next_check_in_on",
            "may_keep_in_touch",
        ]
        widgets = {"next_check_in_on": DATE}
        labels = {"preferred_channel": "Channel they prefer"}


class ReferralForm(forms.Form):
    name = forms.CharField(label="Name", max_length=300)
    referred_by = forms.TypedChoiceField(label="Referred by", coerce=int)
    # Checked by the network's one e-mail check when the referral is saved.
    email = forms.CharField(label="E-mail", required=False, max_length=254, widget=forms.EmailInput)
    organization_name = forms.CharField(label="Where they work", required=False, max_length=200)
    title = forms.CharField(label="Their role", required=False, max_length=200)
    has_hiring_authority = forms.BooleanField(
        label="They hire", required=False, help_text="They can hire for the team they lead."
    )
    will_introduce = forms.BooleanField(
        label="They will introduce me", required=False, help_text="Otherwise I write myself."
    )
    note = forms.CharField(label="Note", required=False, max_length=500)
    follow_up_on = forms.DateField(
        label="Follow up on",
        required=False,
        widget=DATE,
        help_text="Empty: in two business days (five if they introduce you).",
    )

    def __init__(self, *args: Any, people: list[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["referred_by"].choices = [(p.pk, p.full_name) for p in people]  # type: ignore[attr-defined]
        if people:
            self.fields["referred_by"].initial = people[0].pk


class ReferralUpdateForm(forms.ModelForm):
    """What was agreed about a name; the name and who gave it are fixed (delete instead)."""

    class Meta:
        model = Referral
        fields = ["will_introduce", "note", "follow_up_on"]
        widgets = {"follow_up_on": DATE}


class PromiseForm(forms.ModelForm):
    class Meta:
        model = Promise
        fields = ["direction", "text", "person", "due_on"]
        widgets = {"due_on": DATE}
        labels = {"text": "Promise", "person": "Made by or to"}

    def __init__(self, *args: Any, people: list[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        person = self.fields["person"]
        assert isinstance(person, forms.ModelChoiceField)
        person.queryset = Person.objects.filter(pk__in=[p.pk for p in people])
        self.fields["direction"].choices = PromiseDirection.choices  # type: ignore[attr-defined]


class FollowUpAskForm(forms.Form):
    """On the in-conversation page: "they asked me to follow up on X by Y"."""

    prefix = "ask"
    person = forms.ModelChoiceField(
        queryset=Person.objects.none(), required=False, label="Who asked", empty_label=None
    )
    about = forms.CharField(label="They asked me to follow up on", max_length=400, required=False)
    due_on = forms.DateField(label="By when", required=False, widget=DATE)

    def __init__(self, *args: Any, people: list[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        person = self.fields["person"]
        assert isinstance(person, forms.ModelChoiceField)
        person.queryset = Person.objects.filter(pk__in=[p.pk for p in people])
        if len(people) == 1:
            person.widget = forms.HiddenInput()
            person.initial = people[0].pk
        self.only = people[0] if len(people) == 1 else None

    def clean_person(self) -> Person | None:
        return self.cleaned_data.get("person") or self.only

    def is_filled(self) -> bool:
        """Something typed in "follow up on": record it, whichever button was pressed."""
        return bool(self.is_bound and self.data.get(self.add_prefix("about"), "").strip())


class StoryForm(OwnedModelForm):
    class Meta:
        model = Story
        fields = ["title", "situation", "action", "result", "skills", "tags"]
        widgets = {
            "situation": forms.Textarea(attrs={"rows": 3}),
            "action": forms.Textarea(attrs={"rows": 3}),
            "result": forms.Textarea(attrs={"rows": 3}),
        }


PURPOSE_CHOICES = Purpose.choices
LEVEL_CHOICES = Level.choices


class QuestionForm(OwnedModelForm):
    topic = forms.ChoiceField(choices=list(TOPICS.items()))
    levels = forms.MultipleChoiceField(
        choices=LEVEL_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="None ticked: any level.",
    )
    purposes = forms.MultipleChoiceField(
        choices=PURPOSE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="None ticked: any purpose.",
    )

    class Meta:
        model = Question
        fields = ["text", "topic", "levels", "purposes"]
        widgets = {"text": forms.TextInput(attrs={"maxlength": 500})}


class OwnQuestionForm(forms.Form):
    """A question of my own typed on the prep page."""

    text = forms.CharField(label="Your own question", max_length=500)
    topic = forms.ChoiceField(label="Topic", choices=list(TOPICS.items()), initial="advice")
    keep = forms.BooleanField(label="Keep it in my question bank", required=False, initial=True)
