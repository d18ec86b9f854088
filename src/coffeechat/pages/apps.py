from __future__ import annotations

from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "coffeechat.pages"
    verbose_name = "Pages that show several apps together"
