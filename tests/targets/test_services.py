"""Targets, postings and applications: the writes and the ranked list."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from coffeechat.network.models import Organization, TieKind
from coffeechat.targets import services
from coffeechat.targets.models import (
    Application,
    ApplicationStatus,
    HiringSignal,
    PostingStatus,
    Target,
    TargetStatus,
)
from tests.factories import (
    ApplicationFactory,
    EmploymentFactory,
    OrganizationFactory,
    PersonFactory,
    PostingFactory,
    TargetFactory,
    TieFactory,
)

pytestmark = pytest.mark.django_db


def test_bulk_add_matches_existing_organizations_by_name_key(alice: Any, bob: Any) -> None:
    acme = OrganizationFactory(owner=alice, name="ACME Inc")
    orbit = OrganizationFactory(owner=alice, name="Orbitwell")
    TargetFactory(organization=orbit)
    OrganizationFactory(owner=bob, name="Brand New Co")  # Bob's: must not be matched

    result = services.add_targets(
        alice, "Acme, Inc.\n  Orbitwell \n\n- Brand New Co\nbrand new co.\nAcme"
    )

    assert result.existing_organizations == ["ACME Inc"]
    assert result.already_targets == ["Orbitwell"]
    assert result.new_organizations == ["Brand New Co"]
    assert "Added 2 targets" in result.summary()
    assert set(Target.objects.filter(owner=alice).values_list("organization__name", flat=True)) == {
        "ACME Inc",
        "Orbitwell",
        "Brand New Co",
    }
    assert Target.objects.get(owner=alice, organization=acme).status == TargetStatus.EXPLORING
    assert Organization.objects.filter(owner=alice, name_key="brand new").count() == 1


def test_bulk_add_refuses_too_many_names_and_writes_nothing(alice: Any) -> None:
    with pytest.raises(ValidationError):
        services.add_targets(alice, [f"Org {i}" for i in range(services.MAX_BULK_NAMES + 1)])
    assert not Organization.objects.filter(owner=alice).exists()


def test_not_a_fit_needs_a_reason(alice: Any) -> None:
    target = TargetFactory(organization__owner=alice)

    with pytest.raises(ValidationError) as error:
        services.update_target_quick(alice, target, status=TargetStatus.NOT_A_FIT)
    assert "status_reason" in error.value.message_dict

    services.update_target_quick(
        alice, target, status=TargetStatus.NOT_A_FIT, status_reason="Only sales roles."
    )
    target.refresh_from_db()
    assert target.status == TargetStatus.NOT_A_FIT


def test_an_organization_is_a_target_once(alice: Any) -> None:
    target = TargetFactory(organization__owner=alice)

    with pytest.raises(ValidationError) as error:
        services.save_target(alice, Target(organization=target.organization))
    assert "organization" in error.value.message_dict


def test_the_ranking_combines_motivation_advocacy_and_hiring_and_explains_it(
    alice: Any,
) -> None:
    keen = TargetFactory(organization__owner=alice, organization__name="Keen", motivation=5)
    warm = TargetFactory(organization__owner=alice, organization__name="Warm", motivation=3)
    friend = PersonFactory(owner=alice, first_name="Fran", last_name="Friend")
    TieFactory(to_person=friend, kind=TieKind.FRIEND, strength=5)
    EmploymentFactory(person=friend, organization=warm.organization)
    PostingFactory(organization=warm.organization)
    paused = TargetFactory(
        organization__owner=alice,
        organization__name="Paused",
        motivation=5,
        status=TargetStatus.PAUSED,
        hiring_signal=HiringSignal.OPEN_POSTING,
    )
    dropped = TargetFactory(
        organization__owner=alice,
        organization__name="Dropped",
        motivation=5,
        status=TargetStatus.NOT_A_FIT,
        status_reason="Wrong field",
    )

    ranked = services.rank_targets(alice)

    assert [r.target for r in ranked] == [warm, keen, paused, dropped]
    assert [r.rank for r in ranked] == [1, 2, 3, 0]
    first = ranked[0]
    assert first.hiring_signal == HiringSignal.OPEN_POSTING  # from the recorded posting
    assert first.factor("advocacy").points > 0
    assert first.priority == round(sum(f.points for f in first.factors))
    assert "Ahead of Keen mainly on advocacy" in first.why
    assert "Paused targets come after" in ranked[2].why
    assert "not a fit" in ranked[3].why and "Wrong field" in ranked[3].why
    assert ranked[1].factor("advocacy").value == "nobody there yet"


def test_a_closed_posting_is_no_hiring_signal(alice: Any) -> None:
    target = TargetFactory(organization__owner=alice, hiring_signal=HiringSignal.NONE_SEEN)
    PostingFactory(organization=target.organization, status=PostingStatus.CLOSED)

    assert services.rank_targets(alice)[0].hiring_signal == HiringSignal.NONE_SEEN


def test_an_applications_status_changes_are_dated_history(alice: Any) -> None:
    organization = OrganizationFactory(owner=alice)
    application = services.save_application(
        alice,
        Application(organization=organization, role_title="Analyst"),
        on=date(2026, 3, 1),
    )
    assert application.applied_on is None  # still preparing

    services.set_application_status(alice, application, "applied", on=date(2026, 3, 5))
    services.set_application_status(
        alice, application, "interviewing", on=date(2026, 3, 20), note="Two rounds"
    )
    services.set_application_status(alice, application, "interviewing", on=date(2026, 3, 21))

    history = list(application.events.values_list("status", "on", "note"))
    assert history == [
        ("preparing", date(2026, 3, 1), ""),
        ("applied", date(2026, 3, 5), ""),
        ("interviewing", date(2026, 3, 20), "Two rounds"),
    ]
    application.refresh_from_db()
    assert application.applied_on == date(2026, 3, 5)
    with pytest.raises(ValidationError):
        services.set_application_status(alice, application, "hired")


def test_an_application_takes_its_organization_from_the_posting(alice: Any) -> None:
    posting = PostingFactory(organization__owner=alice)

    application = services.save_application(
        alice, Application(posting=posting, role_title="Analyst")
    )

    assert application.organization == posting.organization


def test_an_application_refuses_a_posting_elsewhere_and_a_referrer_without_referral(
    alice: Any,
) -> None:
    posting = PostingFactory(organization__owner=alice)
    other = OrganizationFactory(owner=alice)
    with pytest.raises(ValidationError) as error:
        services.save_application(
            alice, Application(organization=other, posting=posting, role_title="Analyst")
        )
    assert "posting" in error.value.message_dict

    with pytest.raises(ValidationError) as error:
        ApplicationFactory.build(
            organization=other,
            owner=alice,
            referred_by=PersonFactory(owner=alice),
            status=ApplicationStatus.APPLIED,
        ).full_clean()
    assert "referred_by" in error.value.message_dict


def test_an_application_refuses_another_users_posting(alice: Any, bob: Any) -> None:
    bobs = PostingFactory(organization__owner=bob)
    with pytest.raises(ValidationError):
        services.save_application(
            alice,
            Application(
                organization=OrganizationFactory(owner=alice), posting=bobs, role_title="X"
            ),
        )
