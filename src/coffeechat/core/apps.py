from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def create_cache_table(using: str = "default", **kwargs: Any) -> None:
    """The database cache's table, made (if missing) whenever migrations run."""
    from django.conf import settings
    from django.core.management import call_command

    if settings.CACHES["default"]["BACKEND"].endswith("DatabaseCache"):
        call_command("createcachetable", database=using, verbosity=0)


class CoreConfig(AppConfig):
    name = "coffeechat.core"
    label = "core"
    verbose_name = "Coffeechat"

    def ready(self) -> None:
        # Core has no models, so Django sends it no post_migrate: listen to every app's
        # (createcachetable does nothing once the table is there).
        post_migrate.connect(create_cache_table, dispatch_uid="coffeechat-cache")
