from __future__ import annotations

from django.apps import AppConfig


class TargetsConfig(AppConfig):
    name = "coffeechat.targets"
    label = "targets"
    verbose_name = "Targets, openings and warm paths"
