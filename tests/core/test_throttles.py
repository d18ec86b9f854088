"""Rate limits hold across processes (issue 19): password reset, new API tokens and
exports count in the shared cache, so a second process sees the first one's uses.

Two separate `coffeechat shell` processes on one database (a SQLite file in the test's
data directory; the cache is its cache table, as in production).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from coffeechat.core.throttle import LIMITS
from tests.factories import UserFactory

REQUESTS = """
import json
from django.conf import settings
from django.test import Client
from coffeechat.accounts.models import User
user, _ = User.objects.get_or_create(email="alice@example.com")
client = Client(HTTP_HOST=settings.ALLOWED_HOSTS[0])
client.force_login(user)
anonymous = Client(HTTP_HOST=settings.ALLOWED_HOSTS[0])
out = {{"tokens": [], "exports": [], "full": [], "resets": []}}
for _ in range({tokens}):
    out["tokens"].append(client.post("/profile/tokens/new/", {{"name": "t"}}).status_code)
for _ in range({exports}):
    out["exports"].append(client.get("/export/people.csv").status_code)
    out["full"].append(client.get("/profile/export/").status_code)
for _ in range({resets}):
    response = anonymous.post("/accounts/password/reset/", {{"email": "alice@example.com"}})
    out["resets"].append(response.status_code)
print(json.dumps(out))
"""


def run(env: dict[str, str], **counts: int) -> Any:
    result = subprocess.run(
        [sys.executable, "-m", "coffeechat", "shell", "--no-startup", "-c",
         REQUESTS.format(**counts)],
        env=env, capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_two_processes_share_the_counters(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "COFFEECHAT_CACHE_URL"}}
    env["COFFEECHAT_DATA_DIR"] = str(tmp_path)
    env["EMAIL_URL"] = "memory://"
    subprocess.run(
        [sys.executable, "-m", "coffeechat", "migrate", "--verbosity", "0"],
        env=env, check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    tokens, exports = LIMITS["api-token"][0], LIMITS["export"][0]
    # Exports: the people CSV and the full export share one counter per account.
    first = run(env, tokens=tokens, exports=exports // 2, resets=5)
    assert set(first["tokens"]) == {302}
    assert set(first["exports"]) == set(first["full"]) == {200}
    assert set(first["resets"]) == {302}
    second = run(env, tokens=1, exports=1, resets=1)
    assert second == {"tokens": [429], "exports": [429], "full": [429], "resets": [429]}


pytestmark = pytest.mark.django_db


def test_the_refusal_page_says_what_was_refused(client: Client) -> None:
    user = UserFactory()
    client.force_login(user)
    for _ in range(LIMITS["api-token"][0]):
        assert client.post("/profile/tokens/new/", {"name": "t"}).status_code == 302
    response = client.post("/profile/tokens/new/", {"name": "one more"})
    assert response.status_code == 429
    text = response.content.decode()
    assert "Too many new API tokens" in text
    assert "10 new API tokens per hour" in text
    assert user.api_tokens.count() == LIMITS["api-token"][0]
