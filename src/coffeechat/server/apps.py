from __future__ import annotations

from django.apps import AppConfig


class ServerConfig(AppConfig):
    name = "coffeechat.server"
    verbose_name = "The server and the worker processes"
