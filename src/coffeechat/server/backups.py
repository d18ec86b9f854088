"""``coffeechat backup`` and ``coffeechat restore``: one archive (.tar.gz) holding the
database, the secret key and the data directory's files, with a manifest of every
table's row count and content hash that a restore checks.

Archive members: ``manifest.json``; the database as ``database.sqlite3`` (SQLite's online
backup), ``database.pgdump`` (``pg_dump``'s custom format) or ``database.jsonl`` (the
application-level dump, which restores into either engine); ``secret_key``; and the
data directory's other files under ``data/`` (pending import uploads, ``site_url``).
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.db import connections
from django.utils import timezone

from coffeechat.config import (
    PRIVATE_FILE_MODE,
    SITE_URL_FILE,
    SQLITE_SUFFIXES,
    keep_private,
    private_dir,
)
from coffeechat.core.console import Echo
from coffeechat.server import backup_dumps as dumps
from coffeechat.server.backup_dumps import JSON, MEMBERS, PG_DUMP, SQLITE, BackupError
from coffeechat.server.backup_tables import (
    TableState,
    applied_migrations,
    database_state,
    quiet,
    sqlite_alias,
    tables_with_rows,
)

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SECRET = "secret_key"
FILES = "data/"
PREFIX = "coffeechat-"
SUFFIX = ".tar.gz"
WORK_PREFIX = ".coffeechat-backup-"
# Files the target may already have with other content: its own is kept.
REPLACEABLE = {SITE_URL_FILE}
CHUNK = 1024 * 1024
FORMATS = ("auto", "native", JSON)

__all__ = ["BackupError", "RestoreResult", "restore_backup", "write_backup"]


def version() -> str:
    from coffeechat.cli import version as installed

    return installed()


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def default_path(now: datetime.datetime | None = None) -> Path:
    """``<backup dir>/coffeechat-YYYYMMDD-HHMMSS.tar.gz`` (UTC), never an existing file."""
    folder = private_dir(Path(settings.BACKUP_DIR))
    stamp = f"{(now or timezone.now()).astimezone(datetime.UTC):%Y%m%d-%H%M%S}"
    path = folder / f"{PREFIX}{stamp}{SUFFIX}"
    counter = 2
    while path.exists():
        path = folder / f"{PREFIX}{stamp}-{counter}{SUFFIX}"
        counter += 1
    return path


def sqlite_database_file() -> Path | None:
    config = connections["default"].settings_dict
    if config["ENGINE"] != "django.db.backends.sqlite3":
        return None
    return Path(str(config["NAME"])).resolve()


def data_files() -> dict[str, Path]:
    """The data directory's files worth keeping: not the database, the secret key (kept
    apart), collected static files (rebuilt by ``serve``) or backups."""
    root = Path(settings.DATA_DIR)
    skipped = {root / SECRET, root / "static", Path(settings.BACKUP_DIR).resolve()}
    database = sqlite_database_file()
    if database is not None:
        skipped |= {database.with_name(database.name + suffix) for suffix in SQLITE_SUFFIXES}
    found = {}
    for folder, subfolders, names in os.walk(root):
        here = Path(folder)
        subfolders[:] = [
            name
            for name in sorted(subfolders)
            if here / name not in skipped and not name.startswith(WORK_PREFIX)
        ]
        for name in sorted(names):
            path = here / name
            if path in skipped or name.endswith(".partial") or not path.is_file():
                continue
            found[path.relative_to(root).as_posix()] = path
    return found


# --- backup -----------------------------------------------------------------------------


def dump_database(work: Path, wanted: str, echo: Echo) -> tuple[str, Path, dict[str, Any]]:
    """The database into ``work``: (format, file, the manifest's tables and migrations)."""
    if dumps.vendor() == "sqlite":
        snapshot = work / MEMBERS[SQLITE]
        echo("Copying the SQLite database", 0, 0)
        dumps.sqlite_snapshot(snapshot)
        with sqlite_alias(snapshot) as alias:
            facts = {
                "tables": database_state(alias, echo),
                "migrations": applied_migrations(alias),
            }
            if wanted != JSON:
                return SQLITE, snapshot, facts
            dumped = work / MEMBERS[JSON]
            dumps.dump_json(dumped, alias, echo)
        snapshot.unlink()
        return JSON, dumped, facts
    if dumps.vendor() != "postgresql":
        raise BackupError(f"Backups of a {dumps.vendor()} database are not supported.")
    use_pg_dump = wanted != JSON and dumps.pg_dump_usable()
    if wanted == "native" and not use_pg_dump:
        raise BackupError(
            "pg_dump is missing or older than the server; install a matching "
            "postgresql-client, or use --format json."
        )
    with dumps.pg_snapshot() as snapshot_id:
        if use_pg_dump:
            target, chosen = work / MEMBERS[PG_DUMP], PG_DUMP
            echo("Running pg_dump", 0, 0)
            dumps.pg_dump(target, snapshot_id)
        else:
            target, chosen = work / MEMBERS[JSON], JSON
            dumps.dump_json(target, "default", echo)
        facts = {"tables": database_state("default", echo), "migrations": applied_migrations()}
    return chosen, target, facts


def copy_data_files(work: Path) -> dict[str, tuple[Path, dict[str, Any]]]:
    """Copy the data files into ``work`` (a file that vanished meanwhile is skipped)."""
    copied = {}
    for index, (name, path) in enumerate(data_files().items()):
        target = work / "files" / str(index)
        target.parent.mkdir(exist_ok=True, mode=0o700)
        try:
            shutil.copyfile(path, target)
        except FileNotFoundError:
            continue
        copied[name] = (target, {"bytes": target.stat().st_size, "sha256": sha256_of(target)})
    return copied


def write_backup(
    path: Path | None = None,
    *,
    wanted: str = "auto",
    echo: Echo = quiet,
    now: datetime.datetime | None = None,
) -> tuple[Path, dict[str, Any]]:
    """Write one backup archive (mode 0600) and return its path and manifest."""
    if wanted not in FORMATS:
        raise BackupError(f"Unknown format {wanted!r}: use one of {', '.join(FORMATS)}.")
    started = now or timezone.now()
    path = Path(path) if path else default_path(started)
    if not path.parent.exists():
        private_dir(path.parent)
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=WORK_PREFIX) as folder:
        work = Path(folder)
        chosen, database, facts = dump_database(work, wanted, echo)
        files = copy_data_files(work)
        manifest = {
            "format": FORMAT_VERSION,
            "coffeechat_version": version(),
            "created_at": started.isoformat(),
            "engine": dumps.vendor(),
            "database": {
                "format": chosen,
                "member": MEMBERS[chosen],
                "bytes": database.stat().st_size,
                "sha256": sha256_of(database),
            },
            "secret_key_from": "environment" if os.environ.get("COFFEECHAT_SECRET_KEY") else "file",
            "migrations": facts["migrations"],
            "tables": {name: state.as_json() for name, state in facts["tables"].items()},
            "files": {name: info for name, (_copy, info) in files.items()},
        }
        partial = path.with_name(f".{path.name}.partial")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE_MODE)
        try:
            with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
                echo("Writing the archive", 0, 0)
                add_bytes(tar, MANIFEST, json.dumps(manifest, indent=2).encode())
                add_bytes(tar, SECRET, settings.SECRET_KEY.encode())
                tar.add(database, arcname=MEMBERS[chosen])
                for name, (copy, _info) in files.items():
                    tar.add(copy, arcname=FILES + name)
            keep_private(partial)
            partial.replace(path)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    return path, manifest


def add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = PRIVATE_FILE_MODE
    info.mtime = int(timezone.now().timestamp())
    tar.addfile(info, io.BytesIO(data))


# --- restore ------------------------------------------------------------------------------


@dataclass
class RestoreResult:
    manifest: dict[str, Any]
    tables: dict[str, TableState]
    mismatches: list[str] = field(default_factory=list)
    files_written: list[str] = field(default_factory=list)
    files_kept: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.mismatches

    @property
    def rows(self) -> int:
        return sum(state.rows for state in self.tables.values())


def read_manifest(tar: tarfile.TarFile, source: Path) -> dict[str, Any]:
    try:
        member = tar.extractfile(MANIFEST)
    except KeyError:
        member = None
    if member is None:
        raise BackupError(f"{source}: not a Coffeechat backup (no {MANIFEST}).")
    manifest: dict[str, Any] = json.loads(member.read())
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(f"{source}: backup format {manifest.get('format')!r} is not known.")
    return manifest


def extract(tar: tarfile.TarFile, name: str, target: Path) -> Path:
    member = tar.extractfile(name)
    if member is None:
        raise BackupError(f"The archive has no file {name}.")
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
    with os.fdopen(fd, "wb") as out:
        shutil.copyfileobj(member, out, CHUNK)
    return target


def safe_data_path(name: str) -> Path:
    relative = PurePosixPath(name)
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise BackupError(f"The archive holds a file outside the data directory: {name!r}.")
    return Path(settings.DATA_DIR).joinpath(*relative.parts)


def check_target(manifest: dict[str, Any]) -> list[str]:
    """Refuse a database or data directory that is not empty; return the files to write."""
    filled = tables_with_rows()
    if filled:
        listed = [f"{table} ({rows} rows)" for table, rows in sorted(filled.items())]
        more = f" and {len(listed) - 3} more tables" if len(listed) > 3 else ""
        raise BackupError(
            "The database is not empty: "
            + ", ".join(listed[:3])
            + more
            + ". A restore never overwrites data: "
            "create a new database (PostgreSQL: createdb) or point COFFEECHAT_DATA_DIR at "
            "a new folder, then restore again."
        )
    fmt = manifest["database"]["format"]
    if fmt == PG_DUMP and dumps.vendor() != "postgresql":
        raise BackupError(
            "This backup was made by pg_dump and restores into PostgreSQL only. To move "
            "to SQLite, take a backup with `coffeechat backup --format json`."
        )
    to_write = []
    for name, info in manifest["files"].items():
        path = safe_data_path(name)
        if name in REPLACEABLE and path.exists():
            continue  # this machine's own address wins over the backed-up one
        if path.exists() and sha256_of(path) != info["sha256"]:
            raise BackupError(
                f"The data directory already holds another {path}. Restore into an empty "
                "data directory (COFFEECHAT_DATA_DIR)."
            )
        if not path.exists():
            to_write.append(name)
    return to_write


def restore_database(fmt: str, database: Path, work: Path, echo: Echo) -> None:
    target = dumps.vendor()
    if fmt == SQLITE and target == "sqlite":
        echo("Copying the SQLite database", 0, 0)
        dumps.sqlite_restore(database)
        return
    if fmt == PG_DUMP:
        echo("Running pg_restore", 0, 0)
        dumps.pg_restore(database)
        return
    if fmt == SQLITE:  # into PostgreSQL: through the application-level dump
        dumped = work / MEMBERS[JSON]
        with sqlite_alias(database) as alias:
            archived = applied_migrations(alias)
            dumps.dump_json(dumped, alias, echo)
        database = dumped
    else:
        archived = None
    echo("Creating the tables", 0, 0)
    dumps.empty_schema()
    if archived is not None and archived != applied_migrations():
        raise BackupError(
            "The backup was made by another version of Coffeechat (its migrations differ). "
            "Restore it into SQLite with that version's migrations applied, take a new "
            "backup, then restore that one."
        )
    dumps.load_json(database, "default", echo)


def compare(expected: dict[str, Any], found: dict[str, TableState]) -> list[str]:
    problems = []
    for table, want in sorted(expected.items()):
        got = found.get(table)
        if got is None:
            problems.append(f"{table}: missing after the restore")
        elif got.rows != want["rows"]:
            problems.append(f"{table}: {got.rows} rows, the backup had {want['rows']}")
        elif got.sha256 != want["sha256"]:
            problems.append(f"{table}: same number of rows, different content")
    for table, got in sorted(found.items()):
        if table not in expected and got.rows:
            problems.append(f"{table}: {got.rows} rows the backup did not have")
    return problems


def restore_backup(source: Path, *, echo: Echo = quiet) -> RestoreResult:
    """Restore ``source`` into this instance's empty database and data directory, then
    check every table against the manifest."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"{source}: no such file.")
    try:
        tar = tarfile.open(source, mode="r:gz")  # noqa: SIM115 (closed by the with below)
    except (tarfile.TarError, OSError) as error:
        raise BackupError(f"{source}: not a readable backup archive ({error}).") from None
    with tar, tempfile.TemporaryDirectory(prefix=WORK_PREFIX) as folder:
        work = Path(folder)
        manifest = read_manifest(tar, source)
        to_write = check_target(manifest)
        info = manifest["database"]
        database = extract(tar, info["member"], work / info["member"])
        if sha256_of(database) != info["sha256"]:
            raise BackupError(f"{source}: the database in the archive is damaged.")
        restore_database(info["format"], database, work, echo)
        result = RestoreResult(manifest, database_state("default", echo))
        result.mismatches = compare(manifest["tables"], result.tables)
        for name in manifest["files"]:
            if name not in to_write:
                result.files_kept.append(name)
                continue
            path = safe_data_path(name)
            private_dir(path.parent)
            extract(tar, FILES + name, path)
            result.files_written.append(name)
        restore_secret(tar, result)
        if result.ok and applied_migrations() != manifest["migrations"]:
            call_command("migrate", interactive=False, verbosity=0)
            result.notes.append("Applied this version's newer database migrations.")
    return result


def restore_secret(tar: tarfile.TarFile, result: RestoreResult) -> None:
    member = tar.extractfile(SECRET)
    secret = member.read().decode().strip() if member else ""
    if not secret:
        return
    if os.environ.get("COFFEECHAT_SECRET_KEY"):
        if os.environ["COFFEECHAT_SECRET_KEY"] != secret:
            result.notes.append(
                "COFFEECHAT_SECRET_KEY differs from the backup's secret key: saved SMTP "
                "passwords cannot be read and sessions end. Set it to the key in the "
                "archive's secret_key to keep them."
            )
        return
    path = private_dir(Path(settings.DATA_DIR)) / SECRET
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE_MODE)
    with os.fdopen(fd, "w") as handle:
        handle.write(secret)
    keep_private(path)
    result.files_written.append(SECRET)
