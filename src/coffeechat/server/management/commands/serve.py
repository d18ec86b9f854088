from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from coffeechat.config import remember_served_address, site_url
from coffeechat.core.links import served_address


class Command(BaseCommand):
    help = (
        "Run Coffeechat for real: apply migrations, collect static files, then serve "
        "with a production WSGI server (waitress) on 127.0.0.1:8000. Links in e-mails and "
        "calendars point to the address served, unless COFFEECHAT_SITE_URL says otherwise."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--host", default="127.0.0.1", help="Address to bind (default 127.0.0.1)."
        )
        parser.add_argument(
            "--port", type=int, default=8000, help="Port to listen on (default 8000)."
        )
        parser.add_argument(
            "--threads", type=int, default=8, help="Worker threads of the server (default 8)."
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="Do not run the background worker inside the server process "
            "(run `coffeechat worker` separately instead).",
        )
        parser.add_argument(
            "--no-migrate",
            action="store_true",
            help="Do not apply database migrations before serving.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        import waitress

        from coffeechat.wsgi import application

        host, port = options["host"], options["port"]
        if remember_served_address(settings.DATA_DIR, served_address(host, port)):
            settings.SITE_URL = site_url(settings.DATA_DIR)
        if not options["no_migrate"]:
            self.stdout.write("Applying database migrations…")
            call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Collecting static files…")
        call_command("collectstatic", interactive=False, verbosity=0)
        if settings.EMBEDDED_WORKER and not options["no_worker"]:
            from coffeechat.server.worker import start_embedded_worker

            start_embedded_worker()
            self.stdout.write("Background worker (tasks and reminders) running in this process.")
        shown = f"[{host}]" if ":" in host else host
        self.stdout.write(
            self.style.SUCCESS(f"Coffeechat is running on http://{shown}:{port}/")
            + f"\nLinks in e-mails and calendars start with {settings.SITE_URL}/"
            + " (set COFFEECHAT_SITE_URL to change it)."
            + f"\nData directory: {settings.DATA_DIR}\nPress Ctrl+C to stop."
        )
        waitress.serve(
            application,
            host=host,
            port=port,
            threads=options["threads"],
            ident="Coffeechat",
            _quiet=True,
            **proxy_options(),
        )


def proxy_options() -> dict[str, Any]:
    """Behind a reverse proxy, let waitress pass on what the proxy says about the request.

    Waitress drops X-Forwarded-* headers from senders it does not trust, so without this
    Django never learns the request came in over HTTPS and redirects it there forever.
    """
    if not settings.BEHIND_PROXY:
        return {}
    return {
        "trusted_proxy": settings.TRUSTED_PROXY,
        "trusted_proxy_count": 1,
        "trusted_proxy_headers": {"x-forwarded-proto", "x-forwarded-host", "x-forwarded-for"},
    }
