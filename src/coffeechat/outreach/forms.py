from __future__ import annotations

from typing import Any

from django import forms

from coffeechat.accounts.models import Profile
from coffeechat.outreach.models import (
    MAX_BODY,
    MAX_SUBJECT,
    Ask,
    Channel,
    Message,
    MessageTemplate,
    Purpose,
    SmtpSecurity,
    Status,
)
from coffeechat.outreach.rendering import template_problems


def _single_line(value: str) -> str:
    if "\n" in value or "\r" in value:
        raise forms.ValidationError(
            "The subject must be a single line: a line break in it could add e-mail headers."
        )
    return value


class MessageForm(forms.ModelForm):
    """The composer: what the user may edit; the rest comes from compose()."""

    subject = forms.CharField(max_length=MAX_SUBJECT, required=False)
    body = forms.CharField(
        label="Message",
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 14}),
        error_messages={
            "max_length": "The message is too long (at most %(limit_value)d characters)."
        },
    )
    dismissed = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Message
        fields = ["to_email", "subject", "body"]

    def __init__(self, *args: Any, emails: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        message: Message = self.instance
        if message.channel != Channel.EMAIL:
            del self.fields["to_email"]
            del self.fields["subject"]
        else:
            self.fields["to_email"].required = False
            self.fields["to_email"].label = "To"
            if emails:
                self.fields["to_email"].help_text = "Known: " + ", ".join(emails)
        if not self.is_bound:
            self.initial["dismissed"] = ",".join(message.dismissed_checks or [])

    def clean_subject(self) -> str:
        return _single_line(self.cleaned_data.get("subject", ""))

    def dismissed_keys(self) -> list[str]:
        raw = self.cleaned_data.get("dismissed", "") if hasattr(self, "cleaned_data") else ""
        return [key.strip() for key in raw.split(",") if key.strip()]


class StartForm(forms.Form):
    """Purpose, channel and ask: changing them starts the draft over (a GET form)."""

    purpose = forms.ChoiceField(choices=Purpose.choices)
    channel = forms.ChoiceField(choices=Channel.choices)
    ask = forms.ChoiceField(choices=Ask.choices, label="Ask for")


class TemplateForm(forms.ModelForm):
    class Meta:
        model = MessageTemplate
        fields = ["name", "purpose", "channel", "subject", "body", "is_default"]
        widgets = {"body": forms.Textarea(attrs={"rows": 14})}

    def clean_subject(self) -> str:
        value = _single_line(self.cleaned_data.get("subject", ""))
        problem = template_problems(value)
        if problem:
            raise forms.ValidationError(problem)
        return value

    def clean_body(self) -> str:
        value = self.cleaned_data.get("body", "")
        problem = template_problems(value)
        if problem:
            raise forms.ValidationError(problem)
        return value


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=[(s.value, s.label) for s in Status if s != Status.DRAFT])


class SmtpForm(forms.Form):
    host = forms.CharField(max_length=255, help_text="e.g. smtp.example.org")
    port = forms.IntegerField(min_value=1, max_value=65535, initial=587)
    security = forms.ChoiceField(choices=SmtpSecurity.choices, initial=SmtpSecurity.STARTTLS)
    username = forms.CharField(max_length=255, required=False)
    password = forms.CharField(
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text="Stored encrypted; never shown again. Leave empty to keep the saved one.",
    )
    from_email = forms.EmailField(label="Send from", help_text="Your own address.")

    def clean_host(self) -> str:
        value = self.cleaned_data["host"].strip()
        if any(ch in value for ch in " /\r\n"):
            raise forms.ValidationError("A host name only, e.g. smtp.example.org.")
        return value


class NoReplyPolicyForm(forms.ModelForm[Profile]):
    """The user's no-reply policy (see coffeechat.outreach.policy), kept on the profile."""

    class Meta:
        model = Profile
        fields = ["try_another_after_days", "nudge_after_days", "max_nudges"]
