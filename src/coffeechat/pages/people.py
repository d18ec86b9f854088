"""The person and organization pages: the network's rows with every app's panel.

They live here, above every app, so that the network app never imports the apps that
add panels (targets, conversations, outreach).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from coffeechat.bench.models import BenchEntry
from coffeechat.core.calendar import user_zone
from coffeechat.core.scoping import get_owned_or_404, owned
from coffeechat.network import services
from coffeechat.network.exchanges import suggestion
from coffeechat.network.models import (
    Affiliation,
    Employment,
    Interaction,
    MailExchange,
    Organization,
    Person,
    Tie,
)
from coffeechat.outreach.panels import person_messages
from coffeechat.outreach.situations import situations_for
from coffeechat.targets.panels import organization_panel, person_panel

TIMELINE_LENGTH = 50


@login_required
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    user = request.user
    queryset = owned(Person, user).prefetch_related(
        "tags",
        "email_addresses",
        "phone_numbers",
        Prefetch(
            "employments",
            queryset=Employment.objects.select_related("organization"),
        ),
    )
    person = get_owned_or_404(queryset, user, pk=person_id)
    ties = list(services.ties_of(user, person))
    exchange = owned(MailExchange, user).filter(person=person).first()
    mail_suggestion = None
    if exchange is not None:
        zone = user_zone(user)
        mail_suggestion = suggestion(
            exchange.sent,
            exchange.received,
            timezone.localtime(exchange.last_at, zone).date(),
            timezone.localtime(timezone.now(), zone).date(),
        )
    interactions = list(owned(Interaction, user).filter(person=person)[: TIMELINE_LENGTH + 1])
    return render(
        request,
        "network/person_detail.html",
        {
            "person": person,
            "interactions": interactions[:TIMELINE_LENGTH],
            "more_interactions": len(interactions) > TIMELINE_LENGTH,
            "memberships": services.memberships_of(user, person),
            "ties": ties,
            "mail_suggestion": mail_suggestion,
            "my_tie": any(t.from_person_id is None and t.to_person_id == person.pk for t in ties),
            "introductions": owned(Tie, user)
            .filter(introduced_by=person)
            .select_related("from_person", "to_person"),
            **person_panel(user, person),
            "situations": situations_for(user, person),
            **person_messages(user, person),
            "bench_entry": owned(BenchEntry, user)
            .filter(person=person)
            .prefetch_related("skills")
            .first(),
        },
    )


@login_required
def organization_detail(request: HttpRequest, organization_id: int) -> HttpResponse:
    organization = get_owned_or_404(Organization, request.user, pk=organization_id)
    jobs = (
        owned(Employment, request.user)
        .filter(organization=organization)
        .select_related("person")
        .order_by("person__last_name", "person__first_name", "pk")
    )
    current = [job for job in jobs if job.is_current]
    former = [job for job in jobs if not job.is_current]
    return render(
        request,
        "network/organization_detail.html",
        {
            "organization": organization,
            "current": current,
            "former": former,
            "affiliations": owned(Affiliation, request.user).filter(organization=organization),
            **organization_panel(request.user, organization),
            "situations": situations_for(request.user, organization),
        },
    )
