from __future__ import annotations

from typing import Any

from django import forms

from coffeechat.mailbox.imap import decode_folder_name
from coffeechat.mailbox.models import Security


class MailboxForm(forms.Form):
    host = forms.CharField(max_length=255, help_text="e.g. imap.fastmail.com")
    port = forms.IntegerField(min_value=1, max_value=65535, initial=993)
    security = forms.ChoiceField(choices=Security.choices, initial=Security.TLS)
    username = forms.CharField(max_length=255, help_text="Usually your e-mail address.")
    password = forms.CharField(
        label="App password",
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text="Stored encrypted; never shown again. Leave empty to keep the saved one.",
    )

    def clean_host(self) -> str:
        value = str(self.cleaned_data["host"]).strip()
        if any(ch in value for ch in " /\r\n"):
            raise forms.ValidationError("A host name only, e.g. imap.example.org.")
        return value


class FoldersForm(forms.Form):
    inbox_folder = forms.ChoiceField(label="Inbox")
    sent_folder = forms.ChoiceField(label="Sent mail", required=False)

    def __init__(self, *args: Any, folders: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        names = sorted(set(folders) | {"INBOX"}, key=lambda n: (n != "INBOX", n.lower()))
        choices = [(name, decode_folder_name(name)) for name in names]
        self.fields["inbox_folder"].choices = choices  # type: ignore[attr-defined]
        self.fields["sent_folder"].choices = [("", "None (do not log sent mail)"), *choices]  # type: ignore[attr-defined]
