from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.factories import UserFactory


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
