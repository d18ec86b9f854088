"""An import batch: one uploaded file, its preview, what it wrote, and how to undo it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from coffeechat.imports.formats import FORMAT_CHOICES
from coffeechat.network.models import Affiliation, AffiliationKind


class Status(models.TextChoices):
    UPLOADED = "uploaded", "Uploaded"
    PREVIEWING = "previewing", "Reading the file"
    PREVIEWED = "previewed", "Ready to import"
    IMPORTING = "importing", "Importing"
    IMPORTED = "imported", "Imported"
    UNDOING = "undoing", "Undoing"
    UNDONE = "undone", "Undone"
    FAILED = "failed", "Could not be read"
    CANCELLED = "cancelled", "Cancelled"


class ImportBatch(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    original_name = models.CharField(max_length=255)
    # Relative to the private upload folder; emptied when the file is deleted.
    stored_name = models.CharField(max_length=255, blank=True)
    size_bytes = models.BigIntegerField(default=0)
    requested_format = models.CharField(max_length=30, choices=FORMAT_CHOICES, blank=True)
    format = models.CharField(max_length=30, choices=FORMAT_CHOICES, blank=True)
    header = models.JSONField(default=list, blank=True)
    mapping = models.JSONField(null=True, blank=True)
    affiliation = models.ForeignKey(
        Affiliation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # A group to create when the batch is imported ("everyone in this file is a member of …").
    new_affiliation_name = models.CharField(max_length=200, blank=True)
    new_affiliation_kind = models.CharField(
        max_length=20, choices=AffiliationKind.choices, blank=True
    )

    status = models.CharField(max_length=20, choices=Status.choices, default=Status.UPLOADED)
    phase = models.CharField(max_length=200, blank=True)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    summary = models.JSONField(default=dict, blank=True)
    problems = models.JSONField(default=list, blank=True)
    samples = models.JSONField(default=dict, blank=True)
    # {"network.Person": [ids], ...}: the rows this batch created, for undo.
    created_rows = models.JSONField(default=dict, blank=True)
    # While the batch is written: the hidden account that owns its rows until they are
    # published to ``owner`` (coffeechat.imports.staging); empty before and after.
    staging_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "import batches"

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("imports:batch-detail", kwargs={"batch_id": self.pk})

    @property
    def is_running(self) -> bool:
        return self.status in {Status.PREVIEWING, Status.IMPORTING, Status.UNDOING}


class ImportChange(models.Model):
    """A row the batch changed (not created): what it was before, to restore it on undo."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="changes")
    model = models.CharField(max_length=60)
    object_id = models.BigIntegerField()
    before = models.JSONField(default=dict)
    after = models.JSONField(default=dict)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.model} {self.object_id}"


class SavedMapping(models.Model):
    """The column mapping the user chose for a CSV header, reused for the next such file."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    signature = models.CharField(max_length=64)
    header = models.JSONField(default=list)
    mapping = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "signature"], name="saved_mapping_unique")
        ]

    def __str__(self) -> str:
        return f"Mapping {self.signature[:8]}"


class RowPrint(models.Model):
    """A file row an import already brought in, and the person it is (see
    :mod:`coffeechat.imports.prints`): a re-import skips the row while the print is there.

    Derived data, never exported or backed up. Database triggers delete a person's prints
    whenever anything an import reads of that person changes, or the person goes.
    """

    derived_data = True  # backups skip it (coffeechat.server.backup_tables)

    owner_id = models.BigIntegerField(db_index=True)  # moved with the rows at publish
    person_id = models.BigIntegerField(db_index=True)
    fingerprint = models.CharField(max_length=32)
    # The row's warnings (JSON [[field, message, skipped], …]; "" for none), shown again each time.
    problems = models.TextField(blank=True, default="")

    def __str__(self) -> str:
        return self.fingerprint
