from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from coffeechat.config import remember_served_address, site_url
from coffeechat.core.links import served_address
from coffeechat.server.processes import (
    WORKER_SLOT,
    Supervisor,
    default_processes,
    listening_socket,
)


class Command(BaseCommand):
    help = (
        "Run Coffeechat for real: apply migrations, collect static files, then serve "
        "with a production WSGI server (waitress, one process per core) on 127.0.0.1:8000. "
        "Links in e-mails and calendars point to the address served, unless "
        "COFFEECHAT_SITE_URL says otherwise."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--host", default="127.0.0.1", help="Address to bind (default 127.0.0.1)."
        )
        parser.add_argument(
            "--port", type=int, default=8000, help="Port to listen on (default 8000)."
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=8,
            help="Threads of each web process (default 8).",
        )
        parser.add_argument(
            "--processes",
            type=int,
            default=None,
            help="Web processes sharing the port (default: one per usable core; "
            "1 where the system cannot fork).",
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
        from coffeechat.server.http import serve
        from coffeechat.wsgi import application

        host, port = options["host"], options["port"]
        if remember_served_address(settings.DATA_DIR, served_address(host, port)):
            settings.SITE_URL = site_url(settings.DATA_DIR)
        if not options["no_migrate"]:
            self.stdout.write("Applying database migrations…")
            call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Collecting static files…")
        call_command("collectstatic", interactive=False, verbosity=0)
        with_worker = settings.EMBEDDED_WORKER and not options["no_worker"]
        chosen = options["processes"]
        processes = default_processes() if chosen is None else chosen
        if processes < 1:
            raise CommandError("--processes must be 1 or more.")
        if processes > 1 and not hasattr(os, "fork"):
            self.stderr.write("This system cannot fork: serving with one process.")
            processes = 1
        shown = f"[{host}]" if ":" in host else host
        self.stdout.write(
            self.style.SUCCESS(f"Coffeechat is running on http://{shown}:{port}/")
            + f" ({processes} web process{'es' if processes > 1 else ''}"
            + f", {options['threads']} threads each)."
            + f"\nLinks in e-mails and calendars start with {settings.SITE_URL}/"
            + " (set COFFEECHAT_SITE_URL to change it)."
            + f"\nData directory: {settings.DATA_DIR}\nPress Ctrl+C to stop."
        )
        serving = {"threads": options["threads"], "ident": "Coffeechat", "_quiet": True}
        application = with_proxy(application, serving)
        if processes == 1:
            if with_worker:
                self._start_worker(os.getpid())
            serve(application, host=host, port=port, **serving)
            return

        sock = listening_socket(host, port)

        def serve_one(slot: int) -> None:
            if with_worker and slot == WORKER_SLOT:
                self._start_worker(os.getpid())
            else:
                self.stdout.write(f"Web process {os.getpid()}.")
            self.stdout.flush()
            serve(application, sockets=[sock], **serving)

        supervisor = Supervisor(processes, serve_one, self.stderr.write)
        supervisor.run()
        if supervisor.exit_code:
            raise CommandError("The web processes kept ending; Coffeechat stopped.")

    def _start_worker(self, pid: int) -> None:
        from coffeechat.server.worker import start_embedded_worker

        start_embedded_worker()
        self.stdout.write(
            f"Web process {pid} also runs the background worker (tasks and reminders)."
        )
        self.stdout.flush()


def with_proxy(application: Any, serving: dict[str, Any]) -> Any:
    """The WSGI application waitress serves: behind a proxy, waitress's own proxy-header
    handling (:func:`proxy_options`) wrapped so that the proxy's address stays known as
    ``coffeechat.peer`` (waitress replaces REMOTE_ADDR with the client's). The request-id
    middleware believes an incoming X-Request-ID only from that peer."""
    options = proxy_options()
    if not options:
        return application
    from waitress.proxy_headers import proxy_headers_middleware

    translated = proxy_headers_middleware(application, **options)
    serving["clear_untrusted_proxy_headers"] = False  # the middleware above does it

    def remember_peer(environ: dict[str, Any], start_response: Any) -> Any:
        environ["coffeechat.peer"] = environ.get("REMOTE_ADDR", "")
        return translated(environ, start_response)

    return remember_peer


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
