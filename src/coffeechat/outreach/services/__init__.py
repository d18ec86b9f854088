"""Outreach writes and reads: compose, save, send, mark sent or replied, reply rates.

Views, the API, the CLI and the demo all call these; other apps may too. The functions
live in modules by what they do:

- ``connection``: how you are connected to the person, the sentence a draft opens with;
- ``variables``: the value of every template variable of a draft;
- ``composing``: :func:`suggest_purpose`, :func:`compose` (an unsaved draft for a person
  and a purpose), :func:`preview`, :func:`save_draft`;
- ``status``: :func:`mark_sent`, :func:`mark_replied`, :func:`set_status` (each sends the
  signals of :mod:`coffeechat.outreach.signals`), :func:`thread_of`;
- ``sending``: :func:`queue`, :func:`unqueue`, :func:`send_email`, :func:`send_queued`;
- ``smtp_settings``: the user's SMTP server, :func:`send_test_email` and
  :func:`start_smtp_test` (the same test, run by the worker for the page);
- ``connection_checks``: connection tests run by the worker, with their live status;
- ``reading``: :func:`messages_for_list` and :func:`reply_rates` for the insight page.
"""

from __future__ import annotations

from coffeechat.outreach.services.composing import compose, preview, save_draft, suggest_purpose
from coffeechat.outreach.services.reading import messages_for_list, reply_rates
from coffeechat.outreach.services.sending import queue, send_email, send_queued, unqueue
from coffeechat.outreach.services.smtp_settings import (
    TEST_SUBJECT,
    SmtpTestResult,
    delete_smtp_settings,
    save_smtp_settings,
    send_test_email,
    start_smtp_test,
    typed_server,
)
from coffeechat.outreach.services.status import mark_replied, mark_sent, set_status, thread_of

__all__ = [
    "TEST_SUBJECT",
    "SmtpTestResult",
    "compose",
    "delete_smtp_settings",
    "mark_replied",
    "mark_sent",
    "messages_for_list",
    "preview",
    "queue",
    "reply_rates",
    "save_draft",
    "save_smtp_settings",
    "send_email",
    "send_queued",
    "send_test_email",
    "start_smtp_test",
    "set_status",
    "suggest_purpose",
    "thread_of",
    "typed_server",
    "unqueue",
]
