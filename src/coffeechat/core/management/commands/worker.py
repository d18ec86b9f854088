"""``coffeechat worker``: run queued background tasks until stopped."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from coffeechat.core.worker import make_worker


class Command(BaseCommand):
    help = (
        "Run background tasks (imports of large files) until stopped. `coffeechat serve` "
        "already runs one in-process; run this for a separate worker process."
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
            help="Run the tasks waiting now, then exit.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        worker = make_worker(interval=options["interval"], batch=options["batch"])
        worker.configure_signals()
        if not options["batch"]:
            self.stdout.write("Coffeechat worker running; press Ctrl+C to stop.")
        try:
            worker.run()
        finally:
            worker.reset_signals()
