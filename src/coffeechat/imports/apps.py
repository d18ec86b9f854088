from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "coffeechat.imports"
    verbose_name = "Imports"
    default_auto_field = "django.db.models.BigAutoField"
