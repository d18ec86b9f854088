"""The front door's pages fit a phone: the public request page, the settings, the queue."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import log_in
from tests.browser.test_phone import PHONE, assert_fits

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def context_options() -> dict[str, Any]:
    return {"viewport": PHONE, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}


def test_the_front_door_pages_fit_a_phone(page: Any, user: Any) -> None:
    from coffeechat.bench import front_door
    from tests.factories import PASSWORD

    door = front_door.save_door(
        user,
        enabled=True,
        display_name="Professor Augusta Ada King-Noel, Countess of Lovelace",
        intro="I lead a small group on analytical engines and like to meet curious people.",
    )
    asked = front_door.submit_request(
        door,
        {
            "name": "Maximiliana Konstantinopoulou-Worthington",
            "email": "maximiliana.konstantinopoulou@university.example",
            "connection": "referred",
            "referrer_name": "Bartholomew Featherstonehaugh",
            "wants_to_learn": "How a research group decides which engine to build next.",
            "cv_url": "https://university.example/people/maximiliana-konstantinopoulou/cv",
        },
    )
    page.goto(f"/ask/{door.token}/")  # public: no app navigation to check, only the width
    widths = page.evaluate("""() => [document.documentElement.scrollWidth, window.innerWidth,
        [...document.querySelectorAll("body *")]
            .filter((el) => el.getBoundingClientRect().right > 391)
            .slice(0, 5).map((el) => el.tagName + "." + el.className + "#" + el.id)]""")
    assert widths[1] == PHONE["width"], widths
    assert widths[0] <= widths[1], widths
    log_in(page, user.email, PASSWORD)
    for url in ["/bench/front-door/", "/bench/requests/", asked.get_absolute_url()]:
        page.goto(url)
        try:
            assert_fits(page)
        except AssertionError as error:
            raise AssertionError(f"{url}: {error}") from None
