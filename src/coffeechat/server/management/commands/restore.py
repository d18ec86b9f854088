"""``coffeechat restore FILE``: a backup into an empty database and data directory."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from coffeechat.core.console import ProgressBar, error_console
from coffeechat.server.backups import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup made by `coffeechat backup` into an empty database and data "
        "directory (it refuses to overwrite anything), then check every table's row count "
        "and content hash against the backup's manifest. A SQLite backup restores into "
        "PostgreSQL too: that is how an instance moves from SQLite to PostgreSQL."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The backup archive (.tar.gz).")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with ProgressBar(error_console(self.stderr, options)) as echo:
                result = restore_backup(Path(options["file"]), echo=echo)
        except (BackupError, OSError) as error:
            raise CommandError(f"The restore failed: {error}") from None
        manifest = result.manifest
        self.stdout.write(
            f"Restored the backup of {manifest['created_at']} (Coffeechat "
            f"{manifest['coffeechat_version']}, {manifest['engine']}, database as "
            f"{manifest['database']['format']})."
        )
        for note in result.notes:
            self.stdout.write(note)
        if result.files_written:
            self.stdout.write("Files written: " + ", ".join(result.files_written) + ".")
        if result.files_kept:
            self.stdout.write("Already there, unchanged: " + ", ".join(result.files_kept) + ".")
        if not result.ok:
            for problem in result.mismatches:
                self.stderr.write(f"  {problem}")
            raise CommandError(
                f"The restored database differs from the backup in {len(result.mismatches)} "
                "tables (listed above)."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Checked: {len(result.tables)} tables, {result.rows} rows, every row count "
                "and content hash matches the backup."
            )
        )
