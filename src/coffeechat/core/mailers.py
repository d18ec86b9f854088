"""Django's SMTP e-mail backend, counting what it hands over and what fails.

``EMAIL_URL=smtp…`` selects it (coffeechat.config), and users' own SMTP settings use a
subclass (coffeechat.outreach.smtp); so every e-mail sent through SMTP — digests,
outreach, invitations, password resets — adds to ``emails_sent`` or ``emails_failed``
(coffeechat.core.counters), which ``/metrics`` shows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.mail.backends import smtp
from django.core.mail.message import EmailMessage

from coffeechat.core import counters


class SmtpBackend(smtp.EmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        messages = list(email_messages)
        try:
            sent: Any = super().send_messages(messages)
        except BaseException:
            counters.add(counters.EMAILS_FAILED, len(messages))
            raise
        counters.add(counters.EMAILS_SENT, int(sent or 0))
        counters.add(counters.EMAILS_FAILED, len(messages) - int(sent or 0))
        return int(sent or 0)
