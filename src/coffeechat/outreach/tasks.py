"""Background tasks of outreach (the Django Tasks framework, database backend)."""

from __future__ import annotations

from django.tasks import task

from coffeechat.outreach.services import connection_checks
from coffeechat.outreach.services.smtp_settings import run_test


@task
def run_smtp_check(check_id: int) -> str:
    """Test the user's SMTP server for the page that asked (connection_checks)."""
    return connection_checks.run(check_id, run_test)
