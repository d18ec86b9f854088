from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.core.cache import cache
from django.test import Client

from tests.factories import UserFactory

# CI runs the date-dependent tests a second time with the clock frozen at a moment
# when UTC and the test users' zone (Europe/Berlin) are on different days, e.g.
# COFFEECHAT_TEST_FROZEN_AT=2026-12-06T23:30:00Z. Time still moves (tick), from there.
FROZEN_AT = os.environ.get("COFFEECHAT_TEST_FROZEN_AT", "")


@pytest.fixture(autouse=True)
def _frozen_clock(request: pytest.FixtureRequest) -> Iterator[None]:
    """Start the clock at COFFEECHAT_TEST_FROZEN_AT when it is set (not in browser tests)."""
    if not FROZEN_AT or request.node.get_closest_marker("browser"):
        yield
        return
    with time_machine.travel(FROZEN_AT, tick=True):
        yield


@pytest.fixture(autouse=True)
def _fresh_cache(request: pytest.FixtureRequest) -> None:
    """Rate limits live in the cache: start every test with none used.

    The cache is the database's (as in production) unless COFFEECHAT_CACHE_URL says
    otherwise. A test inside a transaction rolls its cache rows back with everything
    else, and a test without a database cannot use a rate limit; tests that commit
    (live servers) start from an empty cache table.
    """
    if not settings.CACHES["default"]["BACKEND"].endswith("DatabaseCache"):
        cache.clear()
        return
    marker = request.node.get_closest_marker("django_db")
    committing = {"transactional_db", "live_server"} & set(request.fixturenames) or (
        marker is not None and marker.kwargs.get("transaction")
    )
    if committing:
        request.getfixturevalue("transactional_db")
        cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """Real hashers are slow on purpose; tests only need them to work."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _local_smtp_servers(settings: Any) -> None:
    """The tests' SMTP servers (aiosmtpd) listen on 127.0.0.1 at any port: allow them.

    tests/outreach/test_destinations.py turns it off to prove the refusal.
    """
    settings.ALLOW_PRIVATE_SMTP = True


@pytest.fixture
def alice(db: Any) -> Any:
    return UserFactory(email="alice@example.com")


@pytest.fixture
def bob(db: Any) -> Any:
    return UserFactory(email="bob@example.com")


@pytest.fixture
def alice_client(alice: Any) -> Client:
    client = Client()
    client.force_login(alice)
    return client


@pytest.fixture
def bob_client(bob: Any) -> Client:
    client = Client()
    client.force_login(bob)
    return client
