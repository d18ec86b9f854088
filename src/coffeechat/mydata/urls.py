from __future__ import annotations

from django.urls import path

from coffeechat.mydata import views

app_name = "mydata"

urlpatterns = [
    path("export/", views.export_all, name="export-all"),
    path("delete/", views.account_delete, name="account-delete"),
    path("deleted/", views.account_deleted, name="account-deleted"),
]
