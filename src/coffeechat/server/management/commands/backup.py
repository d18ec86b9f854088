"""``coffeechat backup [-o FILE]``: one archive of the database, secret key and files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from coffeechat.core.console import ProgressBar, error_console
from coffeechat.server.backup_schedule import record_failure, record_success
from coffeechat.server.backups import FORMATS, BackupError, write_backup


class Command(BaseCommand):
    help = (
        "Write a backup while Coffeechat keeps running: one .tar.gz archive (readable by "
        "its owner only) holding the database (SQLite's online backup; on PostgreSQL "
        "pg_dump, or an application-level dump when pg_dump is missing), the secret key, "
        "the data directory's files, and a manifest with every table's row count and "
        "content hash. Prints the archive's path."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "-o",
            "--output",
            help="The archive to write (default: the backup folder, "
            "COFFEECHAT_BACKUP_DIR, as coffeechat-YYYYMMDD-HHMMSS.tar.gz).",
        )
        parser.add_argument(
            "--format",
            choices=FORMATS,
            default="auto",
            help="How the database is stored: native (the SQLite file, or pg_dump), json "
            "(an application-level dump that restores into SQLite or PostgreSQL), or auto "
            "(native; json on PostgreSQL when no usable pg_dump is installed). Default auto.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        output = Path(options["output"]) if options["output"] else None
        try:
            with ProgressBar(error_console(self.stderr, options)) as echo:
                path, manifest = write_backup(output, wanted=options["format"], echo=echo)
        except (BackupError, OSError) as error:
            record_failure(error)
            raise CommandError(f"The backup failed: {error}") from None
        record_success(path)
        rows = sum(table["rows"] for table in manifest["tables"].values())
        self.stderr.write(
            f"Backed up {len(manifest['tables'])} tables ({rows} rows, database as "
            f"{manifest['database']['format']}) and {len(manifest['files'])} files."
        )
        self.stdout.write(str(path))
