"""A backup taken while the web server and a worker write restores whole: every table's
row count and content hash match the manifest, and the privacy walk holds on the copy.

Runs on the engine of the suite (SQLite, or PostgreSQL with DATABASE_URL): the source
instance is real processes (`coffeechat serve` with its embedded worker, a writer
process, `coffeechat backup`); the copy is restored into the test database.
"""

from __future__ import annotations

import json
import tarfile
import time
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command

from coffeechat.accounts.models import User
from coffeechat.network.models import Person
from coffeechat.server.backup_tables import database_state
from tests.backups.conftest import Instance, WebWriter
from tests.core import test_privacy
from tests.ports import free_port

pytestmark = pytest.mark.django_db(transaction=True)


def manifest_of(archive: Path) -> dict[str, Any]:
    with tarfile.open(archive, "r:gz") as tar:
        member = tar.extractfile("manifest.json")
        assert member is not None
        return dict(json.loads(member.read()))


def wait_until(check: Any, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def test_it_restores_a_backup_taken_during_writes_and_keeps_people_private(
    source: Instance, tmp_path: Path, capsys: pytest.CaptureFixture[str], settings: Any
) -> None:
    seeded = tmp_path / "seeded.json"
    source.python("-m", "tests.backups.source_instance", "seed", str(seeded)).wait(timeout=300)
    facts = json.loads(seeded.read_text())
    seeded_people = 2
    port = free_port()
    server = source.serve(port)
    stop = tmp_path / "stop"
    writer = source.python("-m", "tests.backups.source_instance", "write", str(stop))
    web = WebWriter(port, facts["token"])
    web.thread.start()
    archive = tmp_path / "under-load.tar.gz"
    try:
        wait_until(lambda: web.created >= 3)
        source.run("backup", "-o", str(archive))
        after = web.created
        wait_until(lambda: web.created >= after + 3)
    finally:
        web.stop.set()
        stop.touch()
        written = int(writer.communicate(timeout=60)[0].strip() or 0)
        web.thread.join(timeout=60)
        server.terminate()
        server.wait(timeout=60)
    assert web.statuses == {201}
    assert written > 0
    manifest = manifest_of(archive)
    backed_up = manifest["tables"]["network_person"]["rows"]
    # The backup fell in the middle of the writes: some before it, some after.
    assert seeded_people < backed_up < seeded_people + web.created + written
    assert manifest["tables"]["followups_servicestatus"]["rows"] >= 1  # the worker's tick
    assert archive.stat().st_mode & 0o777 == 0o600

    # Restore into a data directory of this test's own (the archive's files, such as
    # site_url, must not land in the suite's).
    settings.DATA_DIR = tmp_path / "restored-data"
    settings.DATA_DIR.mkdir(mode=0o700)
    call_command("restore", str(archive))
    out = capsys.readouterr().out
    assert "every row count and content hash matches the backup" in out

    # Checked again here, table by table, independently of the command's own report.
    restored = database_state()
    assert len(manifest["tables"]) >= 40
    for table, expected in manifest["tables"].items():
        assert restored[table].rows == expected["rows"], table
        assert restored[table].sha256 == expected["sha256"], table
    assert Person.objects.count() == backed_up

    alice = User.objects.get(pk=facts["alice"])
    bob = User.objects.get(pk=facts["bob"])
    objects = {
        key: apps.get_model(label).objects.get(pk=pk)
        for key, (label, pk) in facts["objects"].items()
    }
    objects["user"] = alice  # the staff routes' account (Alice herself, as in the walk)
    test_privacy.test_it_answers_404_for_every_route_and_method_on_another_users_object(
        alice, bob, objects
    )
    test_privacy.test_it_never_shows_another_users_data_on_pages_without_an_object(
        alice, bob, objects
    )
    test_privacy.test_it_shows_the_owner_their_own_objects(alice, objects)
