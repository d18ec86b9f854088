"""How fast the mailbox sync reads a large mailbox from a real IMAP server (dovecot).

Starts dovecot (as the tests do, tests/mailbox/dovecot.py) with a mailbox of 20,000
messages: an inbox of 15,000 (1,000 from people in the network) and a sent folder of
5,000 (1,000 to people in the network), written as Maildir files. In a throwaway SQLite
database, an account with 3,000 people who have e-mail addresses. Then times:

- the first sync (``coffeechat.mailbox.sync.sync_mailbox``) of both folders;
- an incremental sync after 50 new messages arrive by IMAP APPEND (25 from people).

The baseline, measured in the same run, is a plain ``imaplib`` fetch of the same headers
(the same header fields of the same UIDs, one connection, no parsing, no database): the
ratio says what reading, filtering and storing cost on top of the server's answer.

Run: .venv/bin/python benchmarks/mailbox_sync.py [--messages N] [--relevant N]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def message(n: int, sender: str, recipient: str, subject: str) -> bytes:
    return (
        f"From: {sender}\r\nTo: {recipient}\r\nSubject: {subject}\r\n"
        f"Date: Tue, 1 Dec 2026 10:{n % 60:02d}:00 +0100\r\n"
        f"Message-ID: <bench.{n}@example.net>\r\nContent-Type: text/plain; charset=utf-8\r\n"
        f"\r\nHello, this is message {n}.\r\n"
    ).encode()


def plain_fetch(server: object, folders: list[str], after: dict[str, int]) -> float:
    """The baseline: the same header fields of the same UIDs, with imaplib alone."""
    from coffeechat.mailbox.sync import HEADER_FIELDS

    started = time.perf_counter()
    imap = server.connect()  # type: ignore[attr-defined]
    for folder in folders:
        imap.select(f'"{folder}"', readonly=True)
        status, data = imap.uid("SEARCH", f"UID {after.get(folder, 0) + 1}:*")
        uids = [u for u in (data[0] or b"").split() if int(u) > after.get(folder, 0)]
        for start in range(0, len(uids), 500):
            chunk = b",".join(uids[start : start + 500]).decode()
            imap.uid("FETCH", chunk, f"(UID BODY.PEEK[HEADER.FIELDS ({HEADER_FIELDS})])")
    imap.logout()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=20_000)
    parser.add_argument("--relevant", type=int, default=2_000)
    parser.add_argument("--people", type=int, default=3_000)
    args = parser.parse_args()

    data_dir = tempfile.mkdtemp(prefix="coffeechat-bench-mailbox-")
    os.environ["COFFEECHAT_DATA_DIR"] = data_dir
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coffeechat.settings")
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(ROOT))

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import transaction
    from tests.mailbox.dovecot import Dovecot

    from coffeechat.accounts.services import create_account
    from coffeechat.mailbox import services
    from coffeechat.mailbox.models import FolderState
    from coffeechat.network.models import EmailAddress, Person

    call_command("migrate", verbosity=0)
    user = create_account("bench@example.org", "a-long-benchmark-password")
    with transaction.atomic():
        people = Person.objects.bulk_create(
            Person(owner=user, first_name=f"P{n}", last_name=f"Mail{n}") for n in range(args.people)
        )
        EmailAddress.objects.bulk_create(
            EmailAddress(owner=user, person=p, email=f"person{n}@example.net")
            for n, p in enumerate(people)
        )

    root = Path(tempfile.mkdtemp(prefix="coffeechat-bench-dovecot-"))
    server = Dovecot(root, username="bench@example.org")
    try:
        server.start()
        settings.SMTP_CA_FILE = str(server.ca_file)
        settings.ALLOW_PRIVATE_SMTP = True
        server.append("INBOX", message(0, "someone@example.com", "bench@example.org", "hi"))
        sent_total = args.messages // 4
        inbox_total = args.messages - sent_total - 1
        relevant_each = args.relevant // 2
        inbox, sent = [], []
        for n in range(1, inbox_total + 1):
            sender = (
                f"person{n % args.people}@example.net"
                if n <= relevant_each
                else f"stranger{n}@example.com"
            )
            inbox.append(message(n, sender, "bench@example.org", f"Inbox {n}"))
        for n in range(sent_total):
            k = inbox_total + 1 + n
            to = (
                f"person{n % args.people}@example.net"
                if n < relevant_each
                else f"stranger{k}@example.com"
            )
            sent.append(message(k, "bench@example.org", to, f"Sent {k}"))
        server.fill("INBOX", inbox)
        server.fill("Sent", sent)

        services.save_mailbox(
            user,
            host=server.host,
            port=server.tls_port,
            security="tls",
            username=server.username,
            password=server.password,
        )
        assert services.test_connection(user, limit=False).ok
        # Let dovecot index the folders once, outside both timings.
        plain_fetch(server, ["INBOX", "Sent"], {})

        started = time.perf_counter()
        first = services.sync_now(user)
        first_time = time.perf_counter() - started
        assert first.ok, first.error
        baseline_first = plain_fetch(server, ["INBOX", "Sent"], {})

        positions = {f.folder: f.last_uid for f in FolderState.objects.all()}
        for n in range(50):
            k = args.messages + n
            sender = f"person{n}@example.net" if n < 25 else f"stranger{k}@example.com"
            server.append("INBOX", message(k, sender, "bench@example.org", f"New {k}"))
        baseline_next = plain_fetch(server, ["INBOX", "Sent"], positions)
        started = time.perf_counter()
        incremental = services.sync_now(user)
        next_time = time.perf_counter() - started
        assert incremental.ok, incremental.error
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)
        shutil.rmtree(data_dir, ignore_errors=True)

    print(f"mailbox: {args.messages:,} messages, {args.relevant:,} involving the network")
    print(
        f"first sync:       {first_time:7.2f} s  read {first.looked_at:,}, stored "
        f"{first.stored:,} | plain imaplib {baseline_first:6.2f} s | "
        f"ratio {first_time / baseline_first:5.1f}"
    )
    print(
        f"incremental (50): {next_time:7.2f} s  read {incremental.looked_at:,}, stored "
        f"{incremental.stored:,} | plain imaplib {baseline_next:6.2f} s | "
        f"ratio {next_time / baseline_next:5.1f}"
    )


if __name__ == "__main__":
    main()
