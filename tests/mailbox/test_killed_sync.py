"""A sync killed in the middle (SIGKILL, a real process) loses nothing and, run again,
stores every message exactly once.

Everything runs in real processes against a real SQLite file in a throwaway data
directory: ``coffeechat shell`` sets the account up, ``coffeechat mail-sync`` reads the
dovecot mailbox and is killed once its first batch is committed.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from tests.mailbox.dovecot import Dovecot

PEOPLE = 200
MESSAGES = 2_400  # five batches of 500 (coffeechat.mailbox.sync.BATCH)
RELEVANT = MESSAGES // 2


def _message(n: int) -> bytes:
    sender = f"person{n % PEOPLE}@example.net" if n % 2 == 0 else f"stranger{n}@example.com"
    return (
        f"From: {sender}\r\nTo: alice@example.com\r\nSubject: Note {n}\r\n"
        f"Date: Tue, 1 Dec 2026 10:00:00 +0100\r\nMessage-ID: <kill.{n}@example.net>\r\n"
        f"Content-Type: text/plain; charset=utf-8\r\n\r\nHello {n}.\r\n"
    ).encode()


SETUP = """
from coffeechat.accounts.services import create_account
from coffeechat.mailbox.services import save_mailbox
from coffeechat.network.models import EmailAddress, Person
user = create_account("alice@example.com", "a-long-test-password")
people = Person.objects.bulk_create(
    Person(owner=user, first_name=f"P{{n}}", last_name="Kill") for n in range({people})
)
EmailAddress.objects.bulk_create(
    EmailAddress(owner=user, person=p, email=f"person{{n}}@example.net")
    for n, p in enumerate(people)
)
save_mailbox(user, host="127.0.0.1", port={port}, security="tls",
             username="{username}", password="{password}")
"""


def _count(database: Path, sql: str) -> int:
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=5) as db:
        return int(db.execute(sql).fetchone()[0])


def test_a_killed_sync_resumes_and_stores_each_message_once(
    tmp_path: Path, dovecot: Dovecot
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    env = {
        **os.environ,
        "COFFEECHAT_DATA_DIR": str(data),
        "COFFEECHAT_ALLOW_PRIVATE_SMTP": "1",
        "COFFEECHAT_SMTP_CA_FILE": str(dovecot.ca_file),
        "PYTHONPATH": os.pathsep.join(p for p in sys.path if p),
    }
    env.pop("DATABASE_URL", None)
    coffeechat = [sys.executable, "-m", "coffeechat"]
    subprocess.run([*coffeechat, "migrate", "-v0"], env=env, check=True)  # noqa: S603
    setup = SETUP.format(
        people=PEOPLE,
        port=dovecot.tls_port,
        username=dovecot.username,
        password=dovecot.password,
    )
    subprocess.run([*coffeechat, "shell", "-c", setup], env=env, check=True)  # noqa: S603
    dovecot.append("INBOX", _message(MESSAGES + 1))  # creates the Maildir; a stranger
    dovecot.fill("INBOX", [_message(n) for n in range(MESSAGES)])
    database = data / "coffeechat.sqlite3"

    sync = subprocess.Popen(  # noqa: S603
        [*coffeechat, "mail-sync", "--user", "alice@example.com"], env=env
    )
    deadline = time.monotonic() + 120
    stored = 0
    while time.monotonic() < deadline and sync.poll() is None:
        stored = _count(database, "select count(*) from mailbox_mailrecord")
        if stored:
            break
        time.sleep(0.01)
    assert sync.poll() is None, "the sync ended before it could be killed"
    sync.send_signal(signal.SIGKILL)
    sync.wait()
    assert 0 < stored < RELEVANT, "killed after its first batch, before the end"
    assert _count(database, "select last_uid from mailbox_folderstate") < MESSAGES

    # The killed sync's claim is taken over once it is old enough (15 minutes); here it
    # is made old at once rather than waiting.
    with sqlite3.connect(database) as db:
        db.execute("update mailbox_mailbox set syncing_since = '2000-01-01 00:00:00'")
    subprocess.run(  # noqa: S603
        [*coffeechat, "mail-sync", "--user", "alice@example.com"], env=env, check=True
    )

    assert _count(database, "select count(*) from mailbox_mailrecord") == RELEVANT
    assert _count(database, "select count(distinct message_id) from mailbox_mailrecord") == RELEVANT
    assert (
        _count(
            database, "select count(*) from network_interaction where source_key like 'mailbox:%'"
        )
        == RELEVANT
    )
