"""``coffeechat worker``: run queued background tasks and the follow-ups tick until stopped."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from coffeechat.server.worker import make_worker, start_ticker, tick_once


class Command(BaseCommand):
    help = (
        "Run background tasks (imports of large files) and the follow-ups tick (rules, "
        "reminders, the daily digest, the health heartbeat, scheduled backups) until "
        "stopped. `coffeechat "
        "serve` already runs one in-process; run this for a separate worker process."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Seconds to wait between looks at the queue when it is empty (default 1).",
        )
        parser.add_argument(
            "--batch",
            action="store_true",
            help="Run one tick and the tasks waiting now, then exit (for cron).",
        )
        parser.add_argument(
            "--tick-seconds",
            type=float,
            default=None,
            help="Seconds between follow-up ticks (default COFFEECHAT_TICK_SECONDS, 60; "
            "0 turns the tick off in this worker).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        seconds = options["tick_seconds"]
        seconds = settings.TICK_SECONDS if seconds is None else seconds
        if seconds < 0:
            raise CommandError("--tick-seconds must not be negative.")
        worker = make_worker(interval=options["interval"], batch=options["batch"])
        worker.configure_signals()
        if options["batch"]:
            if seconds:
                tick_once(wait_for_backup=True)
        else:
            if seconds:
                start_ticker(seconds)
            self.stdout.write("Coffeechat worker running; press Ctrl+C to stop.")
        try:
            worker.run()
        finally:
            worker.reset_signals()
