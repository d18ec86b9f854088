from __future__ import annotations

from django.apps import AppConfig


class FollowupsConfig(AppConfig):
    name = "coffeechat.followups"
    label = "followups"
    verbose_name = "Follow-ups"

    def ready(self) -> None:
        # Register the built-in rules, progress counters and feed providers.
        from coffeechat.followups import counters, feed, rules, wiring  # noqa: F401

        wiring.connect()
