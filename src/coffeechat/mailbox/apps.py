from __future__ import annotations

from django.apps import AppConfig


class MailboxConfig(AppConfig):
    name = "coffeechat.mailbox"
    label = "mailbox"
    verbose_name = "Mailbox"
