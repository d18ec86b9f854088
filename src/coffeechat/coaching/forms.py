"""Forms of a coach, with consent: the invitation, the scope, a comment."""

from __future__ import annotations

from django import forms

from coffeechat.coaching.models import Scope
from coffeechat.coaching.services import MAX_COMMENT


class ScopeForm(forms.Form):
    scope = forms.ChoiceField(
        label="What they see",
        choices=Scope.choices,
        initial=Scope.PROGRESS,
        widget=forms.RadioSelect,
    )
    show_names = forms.BooleanField(
        label="Show the names of people in my network",
        required=False,
        help_text="Otherwise they read “Contact 1”, “Contact 2”… Organizations are shown.",
    )


class InviteForm(ScopeForm):
    email = forms.CharField(
        label="Your coach's e-mail address",
        max_length=254,
        help_text="They sign in (or sign up) with this address to accept.",
    )

    field_order = ["email", "scope", "show_names"]


class CommentForm(forms.Form):
    text = forms.CharField(
        label="Comment or suggestion",
        max_length=MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="They see it on their Today page until they dismiss it.",
    )
