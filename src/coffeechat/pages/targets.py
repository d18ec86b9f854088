"""Target, posting and application pages, and a person's warm paths: the targets app's
rows with the situations to handle (which the outreach app owns)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from coffeechat.core.scoping import get_owned_or_404, owned
from coffeechat.network.models import Person
from coffeechat.outreach.situations import situations_for
from coffeechat.targets import services
from coffeechat.targets.forms import ApplicationStatusForm
from coffeechat.targets.models import Application, Posting
from coffeechat.targets.paths import hiring_authority, paths_to_person


@login_required
def target_detail(request: HttpRequest, target_id: int) -> HttpResponse:
    user = request.user
    target = get_owned_or_404(services.targets_for_list(user), user, pk=target_id)
    ranked = services.rank_targets(user)
    item = next(r for r in ranked if r.target.pk == target.pk)
    show_all = request.GET.get("all") == "1"
    organization = target.organization
    return render(
        request,
        "targets/target_detail.html",
        {
            "target": target,
            "item": item,
            "total": sum(1 for r in ranked if r.is_ranked),
            "paths": item.warm.ranked(limit=None if show_all else 10, per_person=2),
            "more_paths": not show_all and len(item.warm.ranked(limit=None)) > 10,
            "hiring": hiring_authority(item.warm),
            "postings": owned(Posting, user)
            .filter(organization=organization)
            .select_related("contact"),
            "applications": owned(Application, user).filter(organization=organization),
            "situations": situations_for(user, organization),
        },
    )


@login_required
def person_paths(request: HttpRequest, person_id: int) -> HttpResponse:
    person = get_owned_or_404(Person, request.user, pk=person_id)
    warm = paths_to_person(request.user, person, per_person=10)
    return render(
        request,
        "targets/person_paths.html",
        {
            "person": person,
            "paths": warm.ranked(limit=10, per_person=10),
            "situations": situations_for(request.user, person),
        },
    )


@login_required
def posting_detail(request: HttpRequest, posting_id: int) -> HttpResponse:
    posting = get_owned_or_404(
        Posting.objects.select_related("organization", "contact"), request.user, pk=posting_id
    )
    return render(
        request,
        "targets/posting_detail.html",
        {
            "posting": posting,
            "applications": owned(Application, request.user).filter(posting=posting),
            "situations": situations_for(request.user, posting),
        },
    )


@login_required
def application_detail(request: HttpRequest, application_id: int) -> HttpResponse:
    application = get_owned_or_404(
        Application.objects.select_related(
            "organization", "posting", "posting__contact", "referred_by"
        ),
        request.user,
        pk=application_id,
    )
    return render(
        request,
        "targets/application_detail.html",
        {
            "application": application,
            "events": application.events.all(),
            "situations": situations_for(request.user, application),
            "status_form": ApplicationStatusForm(initial={"status": application.status}),
        },
    )
