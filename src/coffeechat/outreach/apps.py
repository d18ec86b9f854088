from __future__ import annotations

from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "coffeechat.outreach"
    label = "outreach"
    verbose_name = "Outreach: messages, templates, etiquette checks"

    def ready(self) -> None:
        from coffeechat.outreach import wiring

        wiring.connect()
