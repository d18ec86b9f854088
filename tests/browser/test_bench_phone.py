"""The bench pages fit a phone screen: the ranking table scrolls inside its own box."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import log_in
from tests.browser.test_phone import PHONE, assert_fits

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def context_options() -> dict[str, Any]:
    return {"viewport": PHONE, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}


def test_the_bench_pages_fit_a_phone(page: Any, user: Any) -> None:
    from coffeechat.bench import services
    from coffeechat.bench.models import BenchEntry, Opening
    from tests.factories import PASSWORD, PersonFactory

    entry = services.save_entry(
        user,
        BenchEntry(
            person=PersonFactory(owner=user, first_name="Augusta Ada", last_name="King-Noel"),
            fit_reason="Wrote the first published algorithm for the Analytical Engine",
        ),
        skills=services.parse_skills("mathematics:4, poetry:2, analytical engines:4"),
    )
    opening = services.save_opening(
        user,
        Opening(title="Principal programmer of Bernoulli numbers"),
        required=["mathematics", "analytical engines"],
        nice_to_have=["poetry"],
    )
    log_in(page, user.email, PASSWORD)
    for url in [
        "/bench/",
        entry.get_absolute_url(),
        f"/bench/new/?person={PersonFactory(owner=user).pk}",
        "/bench/openings/",
        opening.get_absolute_url(),
    ]:
        page.goto(url)
        assert_fits(page)
