from __future__ import annotations

from django.apps import AppConfig


class FollowupsConfig(AppConfig):
    name = "coffeechat.followups"
    label = "followups"
    verbose_name = "Follow-ups"

    def ready(self) -> None:
        from coffeechat.followups import wiring

        wiring.connect()
