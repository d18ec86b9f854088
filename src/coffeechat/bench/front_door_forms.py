"""Forms of the front door: its settings, the public request, the kind answer."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django import forms

from coffeechat.bench.models import Connection, ConversationRequest, FrontDoor

# The field a human never sees nor fills; a robot that fills every field gives itself away.
HONEYPOT = "website"


class DoorForm(forms.ModelForm[FrontDoor]):
    class Meta:
        model = FrontDoor
        fields = ["enabled", "display_name", "intro"]
        labels = {"enabled": "The page is open"}
        widgets = {"intro": forms.Textarea(attrs={"rows": 4, "maxlength": 600})}


class AskForm(forms.ModelForm[ConversationRequest]):
    """The public request: only these fields exist; anything else posted is ignored."""

    website = forms.CharField(
        label="Leave this field empty", required=False, max_length=200, strip=False
    )

    class Meta:
        model = ConversationRequest
        fields = [
            "name",
            "email",
            "connection",
            "referrer_name",
            "referrer_email",
            "connection_note",
            "wants_to_learn",
            "cv_url",
        ]
        labels = {
            "name": "Your name",
            "email": "Your e-mail address",
            "connection": "How are we connected?",
            "referrer_name": "Who referred you?",
            "referrer_email": "Their e-mail address (optional)",
            "connection_note": "A word about the connection (optional)",
            "wants_to_learn": "What would you like to learn?",
            "cv_url": "A link to your CV or profile (optional)",
        }
        help_texts = {
            "referrer_name": "Needed when someone referred you.",
            "connection_note": "Where we met, or the group we share.",
            "cv_url": "An http:// or https:// address; no files, please.",
        }
        widgets = {
            "connection": forms.RadioSelect,
            "wants_to_learn": forms.Textarea(attrs={"rows": 5, "maxlength": 1500}),
            "cv_url": forms.URLInput(attrs={"placeholder": "https://"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        connection = self.fields["connection"]
        assert isinstance(connection, forms.ChoiceField)
        connection.choices = Connection.choices  # no empty "------" radio button
        self.fields["wants_to_learn"].required = True
        for field in self.fields.values():
            limit = getattr(field, "max_length", None)
            if limit and isinstance(field.widget, forms.TextInput | forms.Textarea):
                field.widget.attrs.setdefault("maxlength", limit)

    @property
    def is_robot(self) -> bool:
        return bool(self.data.get(HONEYPOT))

    def clean_cv_url(self) -> str:
        url = (self.cleaned_data.get("cv_url") or "").strip()
        if url and urlsplit(url).scheme.lower() not in {"http", "https"}:
            raise forms.ValidationError("Only an http:// or https:// link, please.")
        return url

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("connection") == Connection.REFERRED and not data.get("referrer_name"):
            self.add_error("referrer_name", "Say who referred you.")
        return data


class DeclineForm(forms.Form):
    subject = forms.CharField(max_length=200)
    body = forms.CharField(
        label="Your answer", max_length=5000, widget=forms.Textarea(attrs={"rows": 14})
    )


class AcceptForm(forms.Form):
    bench = forms.BooleanField(label="Also put them on my bench", required=False)
