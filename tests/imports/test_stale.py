"""An import whose process was killed: the worker fails it, removes its files, and the
page says what happened (issue 19, item 6).

The killed-process test runs real processes on their own database (a SQLite file in
the test's data directory, or a PostgreSQL database in the PostgreSQL run): the
`coffeechat import` command on a large generated file, killed with SIGKILL while its
transaction is open, then the worker's periodic step in another process.
"""

from __future__ import annotations

import datetime
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
import time_machine
from django.test import Client

from coffeechat.imports import services, stale
from coffeechat.imports.models import ImportBatch, Status
from coffeechat.imports.tasks import commit_batch
from coffeechat.server.worker import run_periodic

ROWS = 40_000


@pytest.fixture
def env(tmp_path: Path) -> Iterator[dict[str, str]]:
    base = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    base["COFFEECHAT_DATA_DIR"] = str(tmp_path / "data")
    base["COFFEECHAT_EMBEDDED_WORKER"] = "0"
    url = os.environ.get("DATABASE_URL", "")
    name = f"stale_imports_{os.getpid()}"
    admin = None
    if url:
        import psycopg

        parts = urlsplit(url)
        admin = psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True)
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
        base["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{name}"))
    coffeechat(base, "migrate", "--verbosity", "0")
    try:
        yield base
    finally:
        if admin is not None:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.close()


def coffeechat(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "coffeechat", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def python(env: dict[str, str], code: str) -> Any:
    out = coffeechat(env, "shell", "--no-startup", "--interface", "python", "-c", code)
    return json.loads(out.strip().splitlines()[-1])


SETUP = """
import json
from coffeechat.accounts.models import User
from coffeechat.network.models import Person
user = User.objects.create_user("alice@example.com", "a-long-password")
Person.objects.create(owner=user, first_name="Already", last_name="Here")
print(json.dumps(user.pk))
"""

STAGED = """
import json
from coffeechat.network.models import Person
print(json.dumps(Person.objects.filter(owner__is_import_staging=True).count()))
"""

# The worker's step twice: a minute after the last heartbeat (too early: still
# importing), then past the stated time; then the page, Cancel, and what is left.
AFTER_THE_KILL = """
import datetime, json
from django.test import Client
from coffeechat.accounts.models import User
from coffeechat.imports import services, stale
from coffeechat.imports.models import ImportBatch
from coffeechat.network.models import EmailAddress, Organization, Person
from coffeechat.server.worker import run_periodic
batch = ImportBatch.objects.get()
beat = stale.heartbeat(batch)
files = sorted(p.name for p in services.upload_dir().iterdir())
out = {"before": batch.status, "files_before": files}
staging = User.objects.filter(is_import_staging=True)
out["staging_before"] = staging.count()
out["staged_before"] = Person.objects.filter(owner__is_import_staging=True).count()
run_periodic(now=beat + datetime.timedelta(minutes=1))
out["early"] = ImportBatch.objects.get().status
run_periodic(now=beat + stale.STALE_AFTER + datetime.timedelta(seconds=1))
batch = ImportBatch.objects.get()
out.update(status=batch.status, error=batch.error, stored_name=batch.stored_name)
out["files_after"] = sorted(p.name for p in services.upload_dir().iterdir())
out["people"] = Person.objects.count()
out["emails"] = EmailAddress.objects.count()
out["organizations"] = Organization.objects.count()
out["staging_after"] = staging.count()
from django.conf import settings
client = Client(HTTP_HOST=settings.ALLOWED_HOSTS[0])
client.force_login(User.objects.get())
page = client.get(batch.get_absolute_url())
out["page_status"] = page.status_code
out["page"] = page.content.decode()
progress = client.get(f"/imports/{batch.pk}/progress/")
out["refresh"] = progress.headers.get("HX-Refresh")
cancelled = client.post(f"/imports/{batch.pk}/cancel/")
out["cancel_status"] = cancelled.status_code
out["after_cancel"] = ImportBatch.objects.get().status
print(json.dumps(out))
"""


def big_csv(path: Path) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write("First Name,Last Name,Email,Company\n")
        for i in range(ROWS):
            out.write(f"Person{i},Family{i % 997},person{i}@example.org,Company {i % 311}\n")


def test_it_fails_an_import_killed_mid_way_and_removes_its_files(
    env: dict[str, str], tmp_path: Path
) -> None:
    python(env, SETUP)
    source = tmp_path / "big.csv"
    big_csv(source)
    process = subprocess.Popen(
        [sys.executable, "-m", "coffeechat", "import", str(source), "--user", "alice@example.com"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        # Wait until rows are being written (out of sight, under the staging account),
        # then kill the process.
        deadline = time.monotonic() + 240
        while python(env, STAGED) <= 1000:
            assert process.poll() is None, "the import ended before it could be killed"
            assert time.monotonic() < deadline, "the import never reached its writing phase"
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()

    result = python(env, AFTER_THE_KILL)
    assert result["before"] == "importing"
    assert any(name.endswith(".upload") for name in result["files_before"])
    assert result["staging_before"] == 1
    assert result["staged_before"] > 1000
    assert result["early"] == "importing"
    assert result["status"] == "failed"
    assert "the import stopped without finishing" in result["error"]
    assert result["stored_name"] == ""
    assert result["files_after"] == []
    # Nothing half-written: only the person who was there before.
    assert (result["people"], result["emails"], result["organizations"]) == (1, 0, 0)
    assert result["staging_after"] == 0
    page = result["page"]
    assert result["page_status"] == 200
    assert "the import stopped without finishing" in page
    assert "Nothing was written" in page
    assert "every 1s" not in page
    assert result["refresh"] == "true"
    assert result["cancel_status"] == 302
    assert result["after_cancel"] == "cancelled"


# -- in one process ------------------------------------------------------------------------------

pytestmark = pytest.mark.django_db


@pytest.fixture
def uploads(settings: Any, tmp_path: Path) -> Path:
    settings.IMPORT_DIR = tmp_path / "uploads"
    return Path(settings.IMPORT_DIR)


def running_batch(owner: Any, status: str = Status.IMPORTING) -> ImportBatch:
    batch = services.create_batch(owner, _bytes(b"First Name\nAda\n"), "people.csv")
    ImportBatch.objects.filter(pk=batch.pk).update(status=status, phase="Importing")
    batch.refresh_from_db()
    return batch


class _bytes:
    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self, size: int = -1) -> bytes:
        data, self.data = self.data, b""
        return data


def test_it_leaves_a_batch_alone_while_its_heartbeat_is_recent(alice: Any, uploads: Path) -> None:
    batch = running_batch(alice)
    services.write_live_progress(batch, "Writing", 10, 100)
    now = stale.heartbeat(batch) + stale.STALE_AFTER - datetime.timedelta(seconds=5)
    run_periodic(now=now)
    batch.refresh_from_db()
    assert batch.status == Status.IMPORTING
    assert services.stored_path(batch).exists()


def test_it_leaves_a_batch_whose_task_is_still_queued(alice: Any, uploads: Path) -> None:
    batch = running_batch(alice)
    commit_batch.enqueue(batch.pk)
    run_periodic(now=batch.updated_at + datetime.timedelta(hours=5))
    batch.refresh_from_db()
    assert batch.status == Status.IMPORTING


def test_it_fails_a_stopped_preview_and_cancel_works_at_once(
    alice: Any, alice_client: Client, uploads: Path
) -> None:
    batch = running_batch(alice, Status.PREVIEWING)
    # Cancel on a run that is still alive does nothing and says so.
    response = alice_client.post(f"/imports/{batch.pk}/cancel/", follow=True)
    assert "is still running" in response.content.decode()
    assert ImportBatch.objects.get(pk=batch.pk).status == Status.PREVIEWING
    with time_machine.travel(batch.updated_at + stale.STALE_AFTER, tick=False):
        response = alice_client.post(f"/imports/{batch.pk}/cancel/")
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == Status.CANCELLED
    assert "reading the file stopped without finishing" in batch.error
    assert list(uploads.iterdir()) == []


def test_it_removes_upload_files_no_batch_owns(alice: Any, uploads: Path) -> None:
    batch = running_batch(alice, Status.PREVIEWED)
    orphan = uploads / "0123abcd.upload"
    orphan.write_bytes(b"half an upload")
    old = orphan.stat().st_mtime
    now = datetime.datetime.fromtimestamp(old, tz=datetime.UTC)
    assert stale.remove_orphan_files(now + datetime.timedelta(minutes=1)) == 0
    assert stale.remove_orphan_files(now + stale.STALE_AFTER) == 1
    assert not orphan.exists()
    assert services.stored_path(batch).exists()


def test_it_does_not_land_a_run_it_gave_up_on(alice: Any, uploads: Path) -> None:
    from coffeechat.network.models import Person

    batch = running_batch(alice)
    ImportBatch.objects.filter(pk=batch.pk).update(status=Status.FAILED)
    assert services.commit(batch, claimed=True) is False
    assert not Person.objects.filter(owner=alice).exists()
    assert "given up on" in ImportBatch.objects.get(pk=batch.pk).error
