from __future__ import annotations

from django.apps import AppConfig


class MydataConfig(AppConfig):
    name = "coffeechat.mydata"
    verbose_name = "Your data: export and deletion"
