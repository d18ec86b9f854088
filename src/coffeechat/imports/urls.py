from __future__ import annotations

from django.urls import path

from coffeechat.imports import views

app_name = "imports"

urlpatterns = [
    path("imports/", views.import_list, name="batch-list"),
    path("imports/<int:batch_id>/", views.batch_detail, name="batch-detail"),
    path("imports/<int:batch_id>/progress/", views.batch_progress, name="batch-progress"),
    path("imports/<int:batch_id>/columns/", views.batch_mapping, name="batch-mapping"),
    path("imports/<int:batch_id>/import/", views.batch_commit, name="batch-commit"),
    path("imports/<int:batch_id>/cancel/", views.batch_cancel, name="batch-cancel"),
    path("imports/<int:batch_id>/undo/", views.batch_undo, name="batch-undo"),
    path("export/people.csv", views.export, {"fmt": "csv"}, name="export-csv"),
    path("export/people.vcf", views.export, {"fmt": "vcard"}, name="export-vcard"),
]
