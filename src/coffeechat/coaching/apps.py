from __future__ import annotations

from django.apps import AppConfig


class CoachingConfig(AppConfig):
    name = "coffeechat.coaching"
    label = "coaching"
    verbose_name = "Coaching"
