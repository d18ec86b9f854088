"""Targets, openings and applications for the demo account (``coffeechat demo``).

Built after the demo network, from its rows, and deterministic: the same network
always gives the same targets, postings and applications. They are chosen so that
every situation the product recognises shows up: an application at an organization
where you know people, a posting whose listed contact you know, a rejection after an
interview, and applications sent both cold and through a referral.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from coffeechat.demo.catalog import catalog
from coffeechat.network.models import Employment, Organization, Tie
from coffeechat.targets.models import (
    Application,
    ApplicationChannel,
    ApplicationEvent,
    ApplicationStatus,
    Posting,
    PostingStatus,
    Target,
)


def _why(notes: str) -> str:
    """The "why it interests me" part of the demo organization's notes, if it has one."""
    text = notes.split("## Homework")[0].replace("## Why it interests me", "").strip()
    return text or "Mission and data work close to what I want to do next."


def build_demo_targets(owner: Any, target_names: list[str], today: date) -> dict[str, int]:
    """Targets for ``target_names``, a few postings and applications; returns row counts."""
    organizations = {
        org.name: org
        for org in Organization.objects.filter(owner=owner, name__in=target_names).order_by("pk")
    }
    ordered = [organizations[name] for name in target_names if name in organizations]
    plans, research = catalog().targets.plans, catalog().targets.research
    targets = []
    for index, organization in enumerate(ordered):
        plan = plans[min(index, len(plans) - 1)]
        fields: dict[str, Any] = {}
        for key, note in research[: plan.research]:
            fields[f"{key}_done"] = True
            fields[f"{key}_notes"] = note
        targets.append(
            Target(
                owner=owner,
                organization=organization,
                why=_why(organization.notes),
                motivation=plan.motivation,
                hiring_signal=plan.hiring_signal,
                status=plan.status,
                status_reason=plan.reason,
                **fields,
            )
        )
    Target.objects.bulk_create(targets)

    # People at each target: who hires there, and whom you know there.
    staff: dict[int, list[tuple[int, bool, str]]] = {}
    for person_id, org_id, hiring, title in (
        Employment.objects.filter(owner=owner, organization__in=ordered, is_current=True)
        .order_by("pk")
        .values_list("person_id", "organization_id", "has_hiring_authority", "title")
    ):
        staff.setdefault(org_id, []).append((person_id, hiring, title))
    mine = set(
        Tie.objects.filter(owner=owner, from_person__isnull=True).values_list(
            "to_person_id", flat=True
        )
    )

    def hiring_person(org: Organization) -> int | None:
        people = staff.get(org.pk, [])
        return next((p for p, hiring, _t in people if hiring), people[0][0] if people else None)

    def known_person(org: Organization) -> int | None:
        return next((p for p, _h, _t in staff.get(org.pk, []) if p in mine), None)

    postings: list[Posting] = []
    applications: list[tuple[Application, list[tuple[str, int]]]] = []
    if ordered:
        # A posting whose listed contact you know: the "apply now and tell them" situation.
        first = next((org for org in ordered[:5] if known_person(org)), ordered[0])
        postings.append(
            Posting(
                owner=owner,
                organization=first,
                title="Senior Data Analyst, Forecasting",
                url="https://careers.example/forecasting-analyst",
                seen_on=today - timedelta(days=9),
                contact_id=known_person(first) or hiring_person(first),
            )
        )
    if len(ordered) > 1:
        second = ordered[1]
        postings.append(
            Posting(
                owner=owner,
                organization=second,
                title="Product Analyst",
                url="https://jobs.example/product-analyst",
                seen_on=today - timedelta(days=20),
                contact_id=hiring_person(second),
            )
        )
    if len(ordered) > 3:
        postings.append(
            Posting(
                owner=owner,
                organization=ordered[3],
                title="Operations Research Analyst",
                seen_on=today - timedelta(days=75),
                status=PostingStatus.CLOSED,
            )
        )
    Posting.objects.bulk_create(postings)

    if len(ordered) > 1:
        second = ordered[1]
        applications.append(
            (
                Application(
                    owner=owner,
                    organization=second,
                    posting=postings[1],
                    role_title="Product Analyst",
                    channel=ApplicationChannel.JOB_BOARD,
                    status=ApplicationStatus.APPLIED,
                    applied_on=today - timedelta(days=14),
                ),
                [(ApplicationStatus.APPLIED, 14)],
            )
        )
    if len(ordered) > 3:
        applications.append(
            (
                Application(
                    owner=owner,
                    organization=ordered[3],
                    posting=postings[2] if len(postings) > 2 else None,
                    role_title="Operations Research Analyst",
                    channel=ApplicationChannel.DIRECT,
                    status=ApplicationStatus.REJECTED,
                    applied_on=today - timedelta(days=70),
                    notes="Two rounds; the panel liked the forecasting case study.",
                ),
                [
                    (ApplicationStatus.APPLIED, 70),
                    (ApplicationStatus.INTERVIEWING, 52),
                    (ApplicationStatus.REJECTED, 30),
                ],
            )
        )
    if len(ordered) > 5:
        referrer = known_person(ordered[5])
        applications.append(
            (
                Application(
                    owner=owner,
                    organization=ordered[5],
                    role_title="Data Analyst, Population Health",
                    channel=ApplicationChannel.REFERRAL if referrer else ApplicationChannel.DIRECT,
                    referred_by_id=referrer,
                    status=ApplicationStatus.INTERVIEWING,
                    applied_on=today - timedelta(days=25),
                ),
                [(ApplicationStatus.APPLIED, 25), (ApplicationStatus.INTERVIEWING, 8)],
            )
        )
    if len(ordered) > 7:
        applications.append(
            (
                Application(
                    owner=owner,
                    organization=ordered[7],
                    role_title="Business Intelligence Analyst",
                    channel=ApplicationChannel.JOB_BOARD,
                    status=ApplicationStatus.REJECTED,
                    applied_on=today - timedelta(days=60),
                ),
                [(ApplicationStatus.APPLIED, 60), (ApplicationStatus.REJECTED, 41)],
            )
        )
    Application.objects.bulk_create([application for application, _steps in applications])
    events = ApplicationEvent.objects.bulk_create(
        ApplicationEvent(
            owner=owner,
            application=application,
            status=status,
            on=today - timedelta(days=days_ago),
        )
        for application, steps in applications
        for status, days_ago in steps
    )
    return {
        "targets": len(targets),
        "postings": len(postings),
        "applications": len(applications),
        "application_events": len(events),
    }
