"""The mailbox settings page (connect, test, choose folders, sync now, disconnect) and the
list of what was stored from the mailbox."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from coffeechat.core.pages import apply_form_errors, paginate
from coffeechat.core.scoping import form_data, get_owned_or_404
from coffeechat.mailbox import services
from coffeechat.mailbox.forms import FoldersForm, MailboxForm
from coffeechat.mailbox.models import MailRecord
from coffeechat.outreach.models import ConnectionCheck
from coffeechat.outreach.services import connection_checks
from coffeechat.outreach.services.connection_checks import TooManyTests


def _sync_words(result: services.SyncResult) -> str:
    words = (
        f"Synced: {result.looked_at} new messages read, {result.stored} stored "
        f"({result.replies} replies recognised, {result.sent_logged} sent messages logged, "
        f"{result.bounces} bounces)."
    )
    if result.calendar:
        words += f" Calendar: {result.calendar} answers and invitations taken."
    return words


def _action(request: HttpRequest, user: Any, action: str) -> HttpResponse | None:
    """The buttons that act on the saved mailbox; None for the settings form."""
    if action == "disconnect":
        services.delete_mailbox(user)
        messages.success(request, "The mailbox is disconnected; its password is deleted.")
    elif action == "forget":
        count = services.delete_records(user)
        messages.success(request, f"Deleted {count} stored messages and their timeline entries.")
    elif action == "test":
        return _start_test(request, user, "")
    elif action == "sync":
        synced = services.sync_now(user)
        if synced.ok:
            messages.success(request, _sync_words(synced))
        else:
            messages.error(request, synced.error)
    elif action in {"bodies_on", "bodies_off"}:
        try:
            deleted = services.set_store_bodies(user, action == "bodies_on")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                "The whole text of logged mail is stored from now on."
                if action == "bodies_on"
                else f"Only subjects, dates and first words are stored now ({deleted} stored "
                "bodies deleted).",
            )
    elif action == "folders":
        mailbox = services.mailbox_of(user)
        form = FoldersForm(request.POST, folders=mailbox.known_folders if mailbox else [])
        if not form.is_valid():
            messages.error(request, "Choose the folders among the mailbox's own.")
        else:
            try:
                services.choose_folders(user, **form.cleaned_data)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, "Folders saved.")
    else:
        return None
    return redirect("mailbox:mailbox-settings")


@login_required
@require_http_methods(["GET", "POST"])
def mailbox_settings(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    action = request.POST.get("action", "save") if request.method == "POST" else ""
    done = _action(request, user, action) if action else None
    if done is not None:
        return done
    mailbox = services.mailbox_of(user)
    initial: dict[str, Any] = {"username": user.email}
    if mailbox is not None:
        initial = {
            "host": mailbox.host,
            "port": mailbox.port,
            "security": mailbox.security,
            "username": mailbox.username,
        }
    form = MailboxForm(form_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.save_mailbox(
                user,
                host=data["host"],
                port=data["port"],
                security=data["security"],
                username=data["username"],
                password=data["password"] or None,
            )
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            return _start_test(request, user, "Saved. ")
    folders = None
    if mailbox is not None and mailbox.known_folders:
        folders = FoldersForm(
            folders=mailbox.known_folders,
            initial={"inbox_folder": mailbox.inbox_folder, "sent_folder": mailbox.sent_folder},
        )
    check = connection_checks.check_of(user, request.GET.get("check"), ConnectionCheck.Kind.IMAP)
    return render(
        request,
        "mailbox/mailbox_settings.html",
        {
            "form": form,
            "mailbox": mailbox,
            "folders_form": folders,
            "counts": services.stored_counts(user),
            "check": connection_checks.progress_of(check) if check else None,
        },
    )


def _start_test(request: HttpRequest, user: Any, done: str) -> HttpResponse:
    """Queue the connection test for the worker; the page shows its progress."""
    try:
        check = services.start_test(user)
    except TooManyTests as error:
        messages.error(request, f"{done}{error}")
        return redirect("mailbox:mailbox-settings")
    if done:
        messages.success(request, f"{done}Testing the connection…")
    return redirect(f"{reverse('mailbox:mailbox-settings')}?check={check.pk}")


@login_required
def mailbox_check(request: HttpRequest, check_id: int) -> HttpResponse:
    """The live status of a connection test (polled every second by the settings page).
    When a test that was running passes, the whole page reloads to show the folders."""
    check = connection_checks.check_of(request.user, check_id)
    if check is None:
        raise Http404("No such test.")
    progress = connection_checks.progress_of(check)
    # No request context: a fragment polled every second needs no menu counts.
    response = HttpResponse(
        render_to_string(
            "outreach/_connection_check.html", {"check": progress, "poll_url": request.path}
        )
    )
    if progress.ok and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response


@login_required
def record_list(request: HttpRequest) -> HttpResponse:
    records = services.records_of(request.user).order_by("-sent_at", "-pk")
    mailbox = services.mailbox_of(request.user)
    return render(
        request,
        "mailbox/record_list.html",
        {
            "page": paginate(request, records),
            "counts": services.stored_counts(request.user),
            "store_bodies": bool(mailbox and mailbox.store_bodies),
        },
    )


@login_required
@require_POST
def record_delete(request: HttpRequest, record_id: int) -> HttpResponse:
    record = get_owned_or_404(MailRecord, request.user, pk=record_id)
    services.delete_record(request.user, record)
    messages.success(request, "Deleted: the message is no longer stored, nor on the timeline.")
    return redirect("mailbox:record-list")
