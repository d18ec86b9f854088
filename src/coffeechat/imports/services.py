"""An import batch's life: upload, preview, commit, undo, cancel.

Views, the API, the CLI and the background tasks all call these. Each step
either finishes or leaves the batch in a state that says what went wrong;
nothing is half-written: an import's rows stay out of sight until they are published
at once (:mod:`coffeechat.imports.staging`).
"""

from __future__ import annotations

import json
import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from coffeechat.core.collector import fewer_collections
from coffeechat.core.scoping import owned
from coffeechat.imports.engine import (
    DuplicateFinder,
    Planner,
    import_file,
    problems_as_json,
)
from coffeechat.imports.engine.plans import WRITE_CHUNK_ROWS
from coffeechat.imports.models import ImportBatch, SavedMapping, Status
from coffeechat.imports.records import ColumnMapping, Format, ImportFileError, ParsedFile
from coffeechat.network import search
from coffeechat.network.models import Affiliation, Person

logger = logging.getLogger(__name__)

CHUNK = 1024 * 1024
MAPPED_FORMATS = {Format.CSV}


class ImportRefused(ValidationError):
    """The upload is refused before anything is stored (too large, empty…)."""


def upload_dir() -> Path:
    path = Path(settings.IMPORT_DIR)
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def stored_path(batch: ImportBatch) -> Path:
    return upload_dir() / batch.stored_name


def create_batch(
    owner: Any,
    source: IO[bytes],
    original_name: str,
    *,
    requested_format: str = "",
    affiliation: Affiliation | None = None,
    new_affiliation_name: str = "",
    new_affiliation_kind: str = "",
) -> ImportBatch:
    """Store an upload privately and make its batch. Refuses files over the size limit."""
    name = Path(original_name or "upload").name[:255] or "upload"
    if affiliation is not None and affiliation.owner_id != owner.pk:
        raise ImportRefused({"affiliation": "There is no such group in your network."})
    if requested_format and requested_format not in {f.value for f in Format}:
        raise ImportRefused({"format": f"{requested_format!r} is not a format Coffeechat reads."})
    limit = settings.IMPORT_MAX_BYTES
    stored_name = f"{secrets.token_hex(16)}.upload"
    target = upload_dir() / stored_name
    size = 0
    try:
        with target.open("xb") as out:
            while chunk := source.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise ImportRefused(
                        {
                            "file": f"{name}: the file is larger than the limit of "
                            f"{limit // (1024 * 1024)} MB (COFFEECHAT_IMPORT_MAX_MB)."
                        }
                    )
                out.write(chunk)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    if size == 0:
        target.unlink(missing_ok=True)
        raise ImportRefused({"file": f"{name}: the file is empty."})
    return ImportBatch.objects.create(
        owner=owner,
        original_name=name,
        stored_name=stored_name,
        size_bytes=size,
        requested_format=requested_format,
        affiliation=affiliation,
        new_affiliation_name=" ".join(new_affiliation_name.split())[:200],
        new_affiliation_kind=new_affiliation_kind,
        status=Status.UPLOADED,
    )


def delete_upload(batch: ImportBatch) -> None:
    if batch.stored_name:
        stored_path(batch).unlink(missing_ok=True)
        batch.stored_name = ""
        ImportBatch.objects.filter(pk=batch.pk).update(stored_name="")


def estimate_rows(path: Path) -> int:
    """A quick count of lines (or vCards) for the progress bar; exact totals come later."""
    lines = cards = 0
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            lines += chunk.count(b"\n")
            cards += chunk.upper().count(b"END:VCARD") + chunk.upper().count(
                b"E\x00N\x00D\x00:\x00V\x00C\x00A\x00R\x00D"
            )
    return cards or max(lines - 1, 1)


# -- progress -----------------------------------------------------------------------------------


class ProgressReporter:
    """Writes progress to the batch row at most every half second (outside transactions)."""

    def __init__(self, batch: ImportBatch, echo: Callable[[str, int, int], None] | None = None):
        self.batch = batch
        self.echo = echo
        self._last = 0.0
        self._phase = ""

    def __call__(self, phase: str, done: int) -> None:
        total = max(self.batch.rows_total, done)
        if self.echo is not None:
            self.echo(phase, done, total)
        now = time.monotonic()
        # Every half second, at a new phase, and once at the end (when the estimate
        # was right). An estimate that fell short does not mean a write per call.
        finished = done == self.batch.rows_total
        if now - self._last < 0.5 and phase == self._phase and not finished:
            return
        self._last, self._phase = now, phase
        if transaction.get_connection().in_atomic_block:
            # The import's own transaction: a row written now would only be seen after
            # the commit, so the progress goes to a small file the page reads instead.
            write_live_progress(self.batch, phase, done, total)
            return
        ImportBatch.objects.filter(pk=self.batch.pk).update(
            phase=phase, rows_done=done, rows_total=total
        )


def progress_path(batch: ImportBatch) -> Path:
    return upload_dir() / f"progress-{batch.pk}.json"


def write_live_progress(batch: ImportBatch, phase: str, done: int, total: int) -> None:
    path = progress_path(batch)
    partial = path.with_suffix(".part")
    partial.write_text(json.dumps({"phase": phase, "rows_done": done, "rows_total": total}))
    partial.replace(path)


def live_progress(batch: ImportBatch) -> ImportBatch:
    """``batch`` with the progress its running import reported from inside its transaction."""
    if not batch.is_running:
        return batch
    try:
        data = json.loads(progress_path(batch).read_text())
    except (OSError, ValueError):
        return batch
    batch.phase = str(data.get("phase", batch.phase))[:200]
    batch.rows_done = int(data.get("rows_done", batch.rows_done))
    batch.rows_total = max(int(data.get("rows_total", 0)), batch.rows_done)
    return batch


def clear_live_progress(batch: ImportBatch) -> None:
    progress_path(batch).unlink(missing_ok=True)


def _no_nul(value: Any) -> Any:
    """The value without NUL characters, which PostgreSQL cannot store in text or JSON."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, list):
        return [_no_nul(item) for item in value]
    if isinstance(value, dict):
        return {_no_nul(k): _no_nul(v) for k, v in value.items()}
    return value


def _set(batch: ImportBatch, **values: Any) -> None:
    values = {key: _no_nul(value) for key, value in values.items()}
    for key, value in values.items():
        setattr(batch, key, value)
    ImportBatch.objects.filter(pk=batch.pk).update(updated_at=timezone.now(), **values)


# -- reading ------------------------------------------------------------------------------------


def mapping_of(batch: ImportBatch) -> ColumnMapping | None:
    if not batch.mapping:
        return None
    data = batch.mapping
    return ColumnMapping(
        columns={str(k): int(v) for k, v in data.get("columns", {}).items()},
        extra_emails=[int(i) for i in data.get("extra_emails", [])],
        extra_phones=[int(i) for i in data.get("extra_phones", [])],
    )


def parse(batch: ImportBatch) -> ParsedFile:
    from coffeechat.imports.parsers import header_signature, open_file

    if not batch.stored_name or not stored_path(batch).exists():
        raise ImportFileError(f"{batch.original_name}: the uploaded file is no longer here.")
    fmt = Format(batch.requested_format) if batch.requested_format else None
    parsed = open_file(
        stored_path(batch), format=fmt, mapping=mapping_of(batch), name=batch.original_name
    )
    if parsed.format in MAPPED_FORMATS and batch.mapping is None:
        saved = (
            owned(SavedMapping, batch.owner)
            .filter(signature=header_signature(parsed.header))
            .first()
        )
        if saved is not None:
            batch.mapping = saved.mapping
            parsed = open_file(
                stored_path(batch),
                format=parsed.format,
                mapping=mapping_of(batch),
                name=batch.original_name,
            )
    return parsed


def affiliation_for(batch: ImportBatch) -> Affiliation | None:
    """The batch's group; an unsaved one when the batch will create it."""
    if batch.affiliation_id:
        return batch.affiliation
    if batch.new_affiliation_name:
        existing = (
            owned(Affiliation, batch.owner)
            .filter(name__iexact=batch.new_affiliation_name)
            .order_by("pk")
            .first()
        )
        if existing is not None:
            return existing
        return Affiliation(
            owner=batch.owner,
            name=batch.new_affiliation_name,
            kind=batch.new_affiliation_kind or "community",
        )
    return None


def _parsed(batch: ImportBatch) -> ParsedFile:
    parsed = parse(batch)
    mapping = parsed.mapping or parsed.suggested_mapping
    _set(
        batch,
        format=parsed.format.value,
        header=parsed.header,
        mapping=asdict(mapping)
        if mapping is not None and parsed.format in MAPPED_FORMATS
        else None,
    )
    return parsed


def preview(
    batch: ImportBatch, echo: Callable[[str, int, int], None] | None = None
) -> Planner | None:
    """Read the file and record what an import would do. Writes nothing to the network."""
    _set(
        batch,
        status=Status.PREVIEWING,
        phase="Reading the file",
        rows_done=0,
        rows_total=estimate_rows(stored_path(batch)) if batch.stored_name else 0,
        started_at=timezone.now(),
        error="",
    )
    try:
        with fewer_collections():
            duplicates = DuplicateFinder(batch.owner)
            plan = Planner(
                batch.owner,
                _parsed(batch),
                affiliation=affiliation_for(batch),
                progress=ProgressReporter(batch, echo),
            )
            plan.chunk_hooks.append(duplicates)
            plan.run()
    except ImportFileError as error:
        _fail(batch, str(error))
        return None
    except Exception:
        logger.exception("Import batch %s could not be previewed", batch.pk)
        _fail(batch, f"{batch.original_name}: the file could not be read (an unexpected error).")
        return None
    try:
        _set(batch, phase="Looking for possible duplicates")
        summary = plan.summary()
        samples = plan.samples()
        summary["duplicates"], samples["duplicates"] = duplicates.count, duplicates.shown
        _set(
            batch,
            status=Status.PREVIEWED,
            phase="",
            rows_done=plan.rows,
            rows_total=plan.rows,
            summary=summary,
            problems=problems_as_json(plan.problems),
            samples=samples,
            finished_at=timezone.now(),
        )
    except Exception:
        logger.exception("Import batch %s: the preview could not be saved", batch.pk)
        _fail(batch, f"{batch.original_name}: the file could not be read (an unexpected error).")
        return None
    return plan


def _fail(batch: ImportBatch, message: str) -> None:
    _set(batch, status=Status.FAILED, error=message, phase="", finished_at=timezone.now())
    delete_upload(batch)


def save_mapping(batch: ImportBatch, mapping: ColumnMapping, *, remember: bool = True) -> None:
    """Use ``mapping`` for this batch and, with ``remember``, for the next file of its shape."""
    from coffeechat.imports.parsers import header_signature

    data = asdict(mapping)
    _set(batch, mapping=data, status=Status.UPLOADED)
    if remember and batch.header:
        SavedMapping.objects.update_or_create(
            owner=batch.owner,
            signature=header_signature(batch.header),
            defaults={"mapping": data, "header": batch.header},
        )


def claim(batch: ImportBatch, allowed: set[str], status: str, phase: str) -> bool:
    """Move the batch to ``status`` if it is in one of ``allowed``; False if someone else did."""
    moved = ImportBatch.objects.filter(pk=batch.pk, status__in=allowed).update(
        status=status, phase=phase, rows_done=0, updated_at=timezone.now()
    )
    if moved:
        batch.status, batch.phase, batch.rows_done = status, phase, 0
    return bool(moved)


def commit(
    batch: ImportBatch,
    echo: Callable[[str, int, int], None] | None = None,
    *,
    claimed: bool = False,
) -> bool:
    """Import the batch (short transactions, published at once); True when it landed."""
    if not claimed and not claim(
        batch, {Status.PREVIEWED, Status.UPLOADED}, Status.IMPORTING, "Reading and matching rows"
    ):
        return False
    _set(
        batch,
        phase="Reading and matching rows",
        started_at=timezone.now(),
        # A batch committed without a preview has no count yet: estimate one for the bar.
        rows_total=batch.rows_total
        or (estimate_rows(stored_path(batch)) if batch.stored_name else 0),
    )
    reporter = ProgressReporter(batch, echo)
    try:
        plan = import_file(
            batch, _parsed(batch), affiliation=affiliation_for(batch), progress=reporter
        )
    except ImportFileError as error:
        _fail(batch, str(error))
        return False
    except Exception:
        logger.exception("Import batch %s failed", batch.pk)
        _set(
            batch,
            status=Status.PREVIEWED,
            phase="",
            error="The import stopped on an unexpected error; nothing was written.",
        )
        return False
    finally:
        clear_live_progress(batch)
    # Index what the import wrote now, so the first search after it is not the one that
    # waits (the database already marked every changed person). In transactions of as
    # many people as the import's own chunks (each far shorter than the publish): half as
    # many pauses between them as in the default chunks.
    _set(batch, phase="Indexing for search")
    search.refresh(owned(Person, batch.owner), chunk=WRITE_CHUNK_ROWS)
    _set(
        batch,
        status=Status.IMPORTED,
        phase="",
        rows_done=plan.rows,
        rows_total=plan.rows,
        summary=plan.summary(),
        problems=problems_as_json(plan.problems),
        samples=plan.samples(),
        finished_at=timezone.now(),
        error="",
    )
    delete_upload(batch)
    return True


def cancel(batch: ImportBatch) -> None:
    if batch.status in {Status.UPLOADED, Status.PREVIEWED, Status.FAILED}:
        delete_upload(batch)
        _set(batch, status=Status.CANCELLED, phase="")


# -- running now or in the background ----------------------------------------------------------


def runs_inline(batch: ImportBatch) -> bool:
    return batch.size_bytes <= settings.IMPORT_INLINE_BYTES


def start_preview(batch: ImportBatch) -> None:
    from coffeechat.imports.tasks import preview_batch

    if runs_inline(batch):
        preview(batch)
    else:
        _set(batch, status=Status.PREVIEWING, phase="Waiting for the worker", rows_done=0)
        preview_batch.enqueue(batch.pk)


def start_commit(batch: ImportBatch) -> None:
    from coffeechat.imports.tasks import commit_batch

    if not claim(
        batch, {Status.PREVIEWED, Status.UPLOADED}, Status.IMPORTING, "Waiting for the worker"
    ):
        return
    if runs_inline(batch):
        commit(batch, claimed=True)
    else:
        commit_batch.enqueue(batch.pk)
