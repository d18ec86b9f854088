"""The signed-in user is read with their profile: one query for both, on every request."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coffeechat.accounts.backends import AuthenticationMiddleware
from coffeechat.core.middleware import UserTimezoneMiddleware

pytestmark = pytest.mark.django_db


def _zone_and_queries(client: Client) -> tuple[str, list[str]]:
    """Run a request of ``client``'s session through the middleware that reads the user
    and sets the zone; the zone the view saw and the queries it took."""
    from django.contrib.sessions.middleware import SessionMiddleware
    from django.test import RequestFactory

    seen: list[str] = []

    def view(request: HttpRequest) -> HttpResponse:
        seen.append(timezone.get_current_timezone_name())
        return HttpResponse()

    chain = SessionMiddleware(AuthenticationMiddleware(UserTimezoneMiddleware(view)))
    request = RequestFactory().get("/")
    request.COOKIES.update({k: v.value for k, v in client.cookies.items()})
    with CaptureQueriesContext(connection) as queries:
        chain(request)
    return seen[0], [q["sql"] for q in queries.captured_queries]


def test_it_reads_the_profile_with_the_user(alice: Any) -> None:
    alice.profile.time_zone = "Asia/Tokyo"
    alice.profile.save()
    client = Client()
    client.force_login(alice)
    zone, queries = _zone_and_queries(client)
    assert zone == "Asia/Tokyo"
    assert len(queries) == 2  # the session, then the user with the profile
    assert 'FROM "accounts_user"' in queries[1]
    assert '"accounts_profile"' in queries[1]


def test_a_changed_time_zone_counts_from_the_next_request(alice: Any) -> None:
    alice.profile.time_zone = "Asia/Tokyo"
    alice.profile.save()
    browser, phone = Client(), Client()
    browser.force_login(alice)
    phone.force_login(alice)
    assert _zone_and_queries(phone)[0] == "Asia/Tokyo"
    response = browser.post(
        reverse("accounts:profile"), {"time_zone": "America/Chicago", "country": "US"}
    )
    assert response.status_code == 302
    assert _zone_and_queries(browser)[0] == "America/Chicago"
    assert _zone_and_queries(phone)[0] == "America/Chicago"  # another session too


def test_a_user_without_a_profile_gets_utc(alice: Any) -> None:
    client = Client()
    client.force_login(alice)
    alice.profile.delete()
    zone, _queries = _zone_and_queries(client)
    assert zone == "UTC"


@pytest.mark.parametrize(
    ("earlier", "now"),
    [
        ("django.contrib.auth.backends.ModelBackend", "coffeechat.accounts.backends.ModelBackend"),
        (
            "allauth.account.auth_backends.AuthenticationBackend",
            "coffeechat.accounts.backends.AuthenticationBackend",
        ),
    ],
)
def test_a_session_of_an_earlier_version_stays_signed_in(
    alice: Any, earlier: str, now: str
) -> None:
    client = Client()
    client.force_login(alice, backend=earlier)
    assert client.session[BACKEND_SESSION_KEY] == earlier
    response = client.get(reverse("followups:today"))
    assert response.status_code == 200
    assert response.context["user"] == alice
    assert client.session[BACKEND_SESSION_KEY] == now


def test_an_inactive_user_is_signed_out(alice: Any) -> None:
    client = Client()
    client.force_login(alice)
    alice.is_active = False
    alice.save()
    response = client.get(reverse("followups:today"))
    assert response.status_code == 302
