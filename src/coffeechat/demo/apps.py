from __future__ import annotations

from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "coffeechat.demo"
    verbose_name = "The demo network"
