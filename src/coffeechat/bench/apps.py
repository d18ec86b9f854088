from __future__ import annotations

from django.apps import AppConfig


class BenchConfig(AppConfig):
    name = "coffeechat.bench"
    label = "bench"
    verbose_name = "Bench"
