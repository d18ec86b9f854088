"""Background tasks of the mailbox (the Django Tasks framework, database backend)."""

from __future__ import annotations

from django.tasks import task

from coffeechat.mailbox.services import run_test
from coffeechat.outreach.services import connection_checks


@task
def run_imap_check(check_id: int) -> str:
    """Test the user's mailbox for the page that asked (outreach's connection_checks)."""
    return connection_checks.run(check_id, run_test)
