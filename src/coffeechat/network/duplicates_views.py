"""Pages for reviewing possible duplicates: merge them, or say they are two people."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods
from django.views.decorators.vary import vary_on_headers

from coffeechat.core.pages import next_url
from coffeechat.core.scoping import owned
from coffeechat.network.duplicates import (
    Candidate,
    Match,
    duplicates_of,
    find_duplicates,
    network_duplicates,
)
from coffeechat.network.merge import (
    mark_not_duplicate,
    merge_people,
    merge_preview,
    people_for_merge,
)
from coffeechat.network.models import Employment, Person
from coffeechat.network.normalize import email_key, linkedin_key, phone_key

REVIEW_PAGE_SIZE = 50


@dataclass
class Proposal:
    """A pair as the review shows it: the older record first (kept by default)."""

    keep: Person
    other: Person
    score: float
    reasons: list[str]

    @property
    def percent(self) -> int:
        return round(self.score * 100)


def _people_shown(owner: Any, ids: set[int]) -> dict[int, Person]:
    """The people on one page of the review, with what it shows, in four queries."""
    queryset = (
        owned(Person, owner)
        .filter(pk__in=ids)
        .prefetch_related(
            "email_addresses",
            "phone_numbers",
            Prefetch("employments", queryset=Employment.objects.select_related("organization")),
        )
    )
    return {person.pk: person for person in queryset}


def _proposals(owner: Any, matches: list[Match]) -> list[Proposal]:
    people = _people_shown(owner, {m.a for m in matches} | {m.b for m in matches})
    proposals = []
    for match in matches:
        a, b = people.get(match.a), people.get(match.b)
        if a is None or b is None:
            continue
        keep, other = (a, b) if (a.created_at, a.pk) <= (b.created_at, b.pk) else (b, a)
        proposals.append(Proposal(keep, other, match.score, match.reasons))
    return proposals


def _pair(request: HttpRequest, person_id: int, other_id: int) -> tuple[Person, Person]:
    """Two different people of the user's, with what the merge page shows; else 404."""
    if person_id == other_id:
        raise Http404("A person is not a duplicate of themselves.")
    people = people_for_merge(request.user, [person_id, other_id])
    if len(people) != 2:
        raise Http404("No such pair of people.")
    return people[person_id], people[other_id]


# The review ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def duplicate_list(request: HttpRequest) -> HttpResponse:
    """Every likely duplicate in the network, the likeliest first, 50 to a page."""
    matches = network_duplicates(request.user)
    page = Paginator(matches, REVIEW_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "network/duplicates_list.html",
        {"page": page, "proposals": _proposals(request.user, list(page.object_list))},
    )


@login_required
@require_http_methods(["GET"])
@vary_on_headers("HX-Request")
def person_duplicates(request: HttpRequest, person_id: int) -> HttpResponse:
    """The likely duplicates of one person (the box on their page, or a page of its own)."""
    person = owned(Person, request.user).filter(pk=person_id).first()
    if person is None:
        raise Http404("No person matches the given query.")
    proposals = _proposals(request.user, duplicates_of(request.user, person.pk))
    template = "network/duplicates_person.html"
    if request.htmx:  # type: ignore[attr-defined]
        template += "#found"
    return render(request, template, {"person": person, "proposals": proposals})


# Merge -----------------------------------------------------------------------------------


def _candidate(person: Person, region: str) -> Candidate:
    """A prefetched person as the duplicate finder sees them (no query)."""
    jobs = {job.organization.name_key: job.organization.name for job in person.employments.all()}
    return Candidate(
        id=person.pk,
        first_name=person.first_name,
        last_name=person.last_name,
        emails=frozenset(email_key(e.email) for e in person.email_addresses.all()),
        phones=frozenset(
            key for p in person.phone_numbers.all() if (key := phone_key(p.number, region))
        ),
        linkedin=linkedin_key(person.linkedin_url),
        organizations=frozenset(key for key in jobs if key),
        organization_names=jobs,
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_merge(request: HttpRequest, person_id: int, other_id: int) -> HttpResponse:
    """Merge ``other_id`` into ``person_id`` (which is kept): ask first (GET), merge on POST."""
    keep, other = _pair(request, person_id, other_id)
    back = next_url(request, reverse("network:duplicates"))
    if request.method == "POST":
        other_name = other.full_name
        try:
            merged = merge_people(request.user, keep, other)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(back)
        messages.success(
            request, f"Merged {other_name} into {merged.full_name}: nothing of either was lost."
        )
        return redirect(next_url(request, merged.get_absolute_url()))
    preview = merge_preview(request.user, keep, other)
    region = getattr(getattr(request.user, "profile", None), "country", "") or "US"
    reasons = find_duplicates(
        [_candidate(keep, region)], against=[_candidate(other, region)], threshold=0.0
    )
    return render(
        request,
        "network/duplicates_merge.html",
        {
            "keep": keep,
            "other": other,
            "preview": preview,
            "reasons": reasons[0].reasons if reasons else [],
            "back": back,
            "next": request.GET.get("next", ""),
        },
    )


# Not the same person -------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def person_not_duplicate(request: HttpRequest, person_id: int, other_id: int) -> HttpResponse:
    """Remember that two people are different: ask first (GET), remember on POST."""
    person, other = _pair(request, person_id, other_id)
    back = next_url(request, reverse("network:duplicates"))
    if request.method == "POST":
        mark_not_duplicate(request.user, person, other)
        if request.htmx:  # type: ignore[attr-defined]
            return render(
                request,
                "network/duplicates_not_same.html#done",
                {"person": person, "other": other},
            )
        messages.success(
            request,
            f"Noted: {person.full_name} and {other.full_name} are two people. "
            "They will not be proposed again.",
        )
        return redirect(back)
    return render(
        request,
        "network/duplicates_not_same.html",
        {"person": person, "other": other, "back": back, "next": request.GET.get("next", "")},
    )
