"""The bench pages: the list, an entry, openings with their ranking."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from coffeechat.bench import ranking, retention, services
from coffeechat.bench.forms import CloseForm, ContactForm, EntryForm, OpeningForm, SettingsForm
from coffeechat.bench.models import Availability, BenchEntry, DataSource, Fit, Opening
from coffeechat.conversations.models import Conversation
from coffeechat.core.calendar import local_today, user_zone
from coffeechat.core.pages import apply_form_errors, confirm_delete, form_page, paginate
from coffeechat.core.scoping import form_data, get_owned_or_404, owned
from coffeechat.network.models import Person


def _entry(request: HttpRequest, entry_id: int) -> BenchEntry:
    return get_owned_or_404(
        BenchEntry.objects.select_related("person", "referred_by"), request.user, pk=entry_id
    )


def _opening(request: HttpRequest, opening_id: int) -> Opening:
    return get_owned_or_404(Opening, request.user, pk=opening_id)


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@login_required
@vary_on_headers("HX-Request")
def entry_list(request: HttpRequest) -> HttpResponse:
    today = local_today(request.user)
    filters: dict[str, Any] = {
        "skill": request.GET.get("skill", "")[:60],
        "fit": request.GET.get("fit", "") if request.GET.get("fit") in Fit.values else "",
        "availability": request.GET.get("availability", "")
        if request.GET.get("availability") in Availability.values
        else "",
        "stale_months": _int(request.GET.get("stale")),
    }
    rows = ranking.filter_bench(ranking.bench_rows(request.user), today=today, **filters)
    page = paginate(request, rows)
    context: dict[str, Any] = {
        "page": page,
        "entries": [(entry, ranking.last_contact(entry)) for entry in page.object_list],
        "filters": filters,
        "fits": Fit.choices,
        "availabilities": Availability.choices,
    }
    template = "bench/entry_list.html#rows" if request.htmx else "bench/entry_list.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def entry_create(request: HttpRequest) -> HttpResponse:
    person = None
    if request.GET.get("person"):
        person = get_owned_or_404(Person, request.user, pk=request.GET["person"])
        existing = owned(BenchEntry, request.user).filter(person=person).first()
        if existing is not None:
            return redirect(existing)
    entry = BenchEntry(person=person) if person else BenchEntry()
    if request.GET.get("conversation"):
        conversation = get_owned_or_404(Conversation, request.user, pk=request.GET["conversation"])
        day = timezone.localtime(conversation.starts_at, user_zone(request.user)).date()
        entry.met_where = f"Our conversation on {day:%d %b %Y}"[:200]
        entry.data_source = DataSource.CONVERSATION
    form = EntryForm(
        form_data(request), instance=entry, owner=request.user, fixed_person=bool(person)
    )

    def save() -> BenchEntry:
        return services.save_entry(
            request.user, form.instance, skills=form.cleaned_data["skill_list"]
        )

    return form_page(
        request,
        form,
        "bench/entry_form.html",
        success="On your bench.",
        save=save,
        extra={"person": person},
    )


@login_required
def entry_detail(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = _entry(request, entry_id)
    context = {
        "entry": entry,
        "skills": list(entry.skills.all()),
        "contacts": list(entry.contacts.all()),
        "outcomes": list(entry.outcomes.select_related("opening")),
        "last_contact": ranking.last_contact(entry),
        "contact_form": ContactForm(initial={"on": local_today(request.user)}),
        "draft_url": services.draft_url(entry.person),
    }
    return render(request, "bench/entry_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def entry_update(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = _entry(request, entry_id)
    form = EntryForm(form_data(request), instance=entry, owner=request.user)

    def save() -> BenchEntry:
        return services.save_entry(
            request.user, form.instance, skills=form.cleaned_data["skill_list"]
        )

    return form_page(
        request, form, "bench/entry_form.html", success="Saved.", save=save, extra={"entry": entry}
    )


@login_required
@require_POST
def entry_contact(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = _entry(request, entry_id)
    form = ContactForm(request.POST)
    if form.is_valid():
        services.log_contact(request.user, entry, **form.cleaned_data)
        messages.success(request, "Contact logged.")
    else:
        messages.error(request, "Give the date of the contact.")
    return redirect(entry)


@login_required
@require_http_methods(["GET", "POST"])
def entry_delete(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = _entry(request, entry_id)

    def delete() -> str:
        services.remove_entry(request.user, entry)
        return f"{entry.person.full_name} is off your bench, with their history."

    return confirm_delete(
        request,
        entry,
        entry.person.full_name,
        "bench:entry-list",
        kind="bench entry",
        delete=delete,
    )


# Openings -----------------------------------------------------------------------------


@login_required
def opening_list(request: HttpRequest) -> HttpResponse:
    openings = owned(Opening, request.user).prefetch_related("skills")
    return render(request, "bench/opening_list.html", {"openings": openings})


def _save_opening(request: HttpRequest, form: OpeningForm) -> Opening:
    return services.save_opening(
        request.user,
        form.instance,
        required=form.cleaned_data["required_skills"],
        nice_to_have=form.cleaned_data["nice_skills"],
    )


@login_required
@require_http_methods(["GET", "POST"])
def opening_create(request: HttpRequest) -> HttpResponse:
    form = OpeningForm(form_data(request), owner=request.user)
    return form_page(
        request,
        form,
        "bench/opening_form.html",
        success="Opening saved: here is your bench ranked for it.",
        save=lambda: _save_opening(request, form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def opening_update(request: HttpRequest, opening_id: int) -> HttpResponse:
    opening = _opening(request, opening_id)
    form = OpeningForm(form_data(request), instance=opening, owner=request.user)
    return form_page(
        request,
        form,
        "bench/opening_form.html",
        success="Opening saved.",
        save=lambda: _save_opening(request, form),
        extra={"opening": opening},
    )


@login_required
def opening_detail(request: HttpRequest, opening_id: int) -> HttpResponse:
    opening = get_owned_or_404(
        Opening.objects.prefetch_related("skills"), request.user, pk=opening_id
    )
    today = local_today(request.user)
    context = {
        "opening": opening,
        "ranked": ranking.rank(request.user, opening, today),
        "weights": ranking.WEIGHTS,
        "outcomes": list(opening.outcomes.select_related("entry__person")),
    }
    return render(request, "bench/opening_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def opening_close(request: HttpRequest, opening_id: int) -> HttpResponse:
    opening = _opening(request, opening_id)
    entries = owned(BenchEntry, request.user).select_related("person")
    form = CloseForm(form_data(request), entries=entries)
    if request.method == "POST" and form.is_valid():
        try:
            services.close_opening(request.user, opening, **form.cleaned_data)
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            messages.success(request, "Opening closed; the others stay on keep-warm.")
            return redirect(opening)
    return render(request, "bench/opening_close.html", {"opening": opening, "form": form})


@login_required
@require_POST
def opening_follow_ups(request: HttpRequest, opening_id: int) -> HttpResponse:
    opening = _opening(request, opening_id)
    ids = [pk for pk in (_int(v) for v in request.POST.getlist("person")) if pk]
    people = list(owned(Person, request.user).filter(pk__in=ids))
    made = services.follow_up_picked(request.user, opening, people)
    messages.success(request, f"{len(made)} follow-up(s) on your Today list.")
    return redirect(opening)


@login_required
@require_http_methods(["GET", "POST"])
def bench_settings(request: HttpRequest) -> HttpResponse:
    current = services.settings_for(request.user)
    months = current.forget_after_months
    form = SettingsForm(form_data(request), instance=current)
    return form_page(
        request,
        form,
        "bench/settings.html",
        success="Saved: people you bench from now on get this cadence.",
        save=lambda: services.save_settings(
            request.user,
            form.cleaned_data["keep_warm_days"],
            form.cleaned_data["forget_after_months"],
        ),
        back="bench:entry-list",
        extra={
            "forget_after_months": months,
            "soon": retention.forgotten_soon(request.user, months),
            "soon_days": retention.SOON_DAYS,
        },
    )
