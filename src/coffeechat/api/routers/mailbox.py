"""API routes for the mailbox: its state, "sync now", and what was stored from it.

No ``from __future__ import annotations`` here: django-ninja reads the types.
"""

import datetime
from typing import Any

from django.http import Http404, HttpRequest
from ninja import NinjaAPI, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from coffeechat.api.routers.network import Pagination
from coffeechat.core.scoping import get_owned_or_404
from coffeechat.mailbox import services
from coffeechat.mailbox.models import MailRecord


class MailboxOut(Schema):
    connected: bool
    host: str = ""
    port: int | None = None
    security: str = ""
    username: str = ""
    inbox_folder: str = ""
    sent_folder: str = ""
    store_bodies: bool = Field(False, description="Whether the whole text of logged mail is stored")
    state: str = Field("", description="new, ok, refused (login refused: not retried) or failed")
    last_error: str = Field("", description="What went wrong last, in plain words")
    last_sync_at: datetime.datetime | None = None
    last_looked_at: int = Field(0, description="Messages whose headers the last sync read")
    last_found: int = Field(0, description="Messages the last sync stored")
    last_replies: int = Field(0, description="Outreach messages the last sync marked replied")
    stored: dict[str, int] = Field(default_factory=dict)


class SyncOut(Schema):
    ok: bool
    looked_at: int
    stored: int
    moved: int = Field(description="Stored messages matched again after a UIDVALIDITY change")
    replies: int
    sent_logged: int
    bounces: int = Field(description="Outreach messages marked bounced")
    error: str


class MailRecordOut(Schema):
    id: int
    person_id: int
    direction: str
    address: str
    subject: str
    sent_at: datetime.datetime
    snippet: str
    body: str = Field("", description="The whole text, only if the mailbox stores bodies")
    folder: str
    reply_to_id: int | None = Field(description="The outreach message it answers")


def _state(request: HttpRequest) -> dict[str, Any]:
    mailbox = services.mailbox_of(request.user)
    if mailbox is None:
        return {"connected": False}
    return {
        "connected": True,
        "host": mailbox.host,
        "port": mailbox.port,
        "security": mailbox.security,
        "username": mailbox.username,
        "inbox_folder": mailbox.inbox_folder,
        "sent_folder": mailbox.sent_folder,
        "store_bodies": mailbox.store_bodies,
        "state": mailbox.state,
        "last_error": mailbox.last_error,
        "last_sync_at": mailbox.last_sync_at,
        "last_looked_at": mailbox.last_looked_at,
        "last_found": mailbox.last_found,
        "last_replies": mailbox.last_replies,
        "stored": services.stored_counts(request.user),
    }


def register(api: NinjaAPI) -> None:
    router = Router(tags=["mailbox"])

    @router.get(
        "/mailbox",
        response=MailboxOut,
        url_name="mailbox",
        summary="The mailbox: its settings (never the password), the last sync, counts",
    )
    def mailbox_state(request: HttpRequest) -> Any:
        return _state(request)

    @router.post(
        "/mailbox/sync",
        response=SyncOut,
        url_name="mailbox-sync",
        summary="Sync the mailbox now",
    )
    def mailbox_sync(request: HttpRequest) -> Any:
        if services.mailbox_of(request.user) is None:
            raise Http404("No mailbox is connected.")
        return services.sync_now(request.user).as_dict()

    @router.get(
        "/mailbox/stored",
        response=list[MailRecordOut],
        url_name="mail-record-list",
        summary="What was stored from the mailbox, newest first",
    )
    @paginate(Pagination)
    def list_records(request: HttpRequest) -> Any:
        return services.records_of(request.user).order_by("-sent_at", "-pk")

    @router.get(
        "/mailbox/stored/{int:record_id}",
        response=MailRecordOut,
        url_name="mail-record-detail",
        summary="One stored message",
    )
    def get_record(request: HttpRequest, record_id: int) -> Any:
        return get_owned_or_404(MailRecord, request.user, pk=record_id)

    @router.delete(
        "/mailbox/stored/{int:record_id}",
        response={204: None},
        summary="Forget a stored message (and its timeline entry)",
    )
    def delete_record(request: HttpRequest, record_id: int) -> Any:
        services.delete_record(
            request.user, get_owned_or_404(MailRecord, request.user, pk=record_id)
        )
        return Status(204, None)

    api.add_router("", router)
