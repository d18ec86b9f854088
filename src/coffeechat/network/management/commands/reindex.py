"""``coffeechat reindex``: rebuild the search index of every person, with a progress bar."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from coffeechat.core.console import ProgressBar, command_console
from coffeechat.network.search import rebuild_all


class Command(BaseCommand):
    help = (
        "Rebuild the search index of every person of every account. Never needed in normal "
        "use (the database keeps the index in step); useful after restoring a backup made "
        "without it or after editing the database by hand with triggers turned off."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        console = command_console(self.stdout, options)
        with ProgressBar(console) as echo:
            count = rebuild_all(echo)
        self.stdout.write(f"Indexed {count} people for search.")
