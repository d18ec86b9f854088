from __future__ import annotations

from django.apps import AppConfig


class ConversationsConfig(AppConfig):
    name = "coffeechat.conversations"
    label = "conversations"
    verbose_name = "Conversations"

    def ready(self) -> None:
        from coffeechat.conversations import wiring

        wiring.connect()
