from __future__ import annotations

from django.apps import AppConfig


class ProgressConfig(AppConfig):
    name = "coffeechat.progress"
    label = "progress"
    verbose_name = "Progress"
