"""Counters kept in the database, so that every process adds to the same number: the
web processes, the embedded worker and any separate ``coffeechat worker``. Read by
``/metrics`` (see docs/decisions/0007-metrics-across-processes.md)."""

from __future__ import annotations

import logging

from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F

from coffeechat.core.models import Counter

EMAILS_SENT = "emails_sent"
EMAILS_FAILED = "emails_failed"

logger = logging.getLogger(__name__)


def add(name: str, amount: int = 1) -> None:
    """Add ``amount`` to the counter ``name`` (one UPDATE; an INSERT the first time).

    Never raises: a count that cannot be written is logged, and what was being counted
    (an e-mail that went out) stays done."""
    if amount <= 0:
        return
    try:
        with transaction.atomic():
            if Counter.objects.filter(name=name).update(value=F("value") + amount):
                return
            try:
                with transaction.atomic():
                    Counter.objects.create(name=name, value=amount)
            except IntegrityError:  # another process created it meanwhile
                Counter.objects.filter(name=name).update(value=F("value") + amount)
    except DatabaseError:
        logger.warning("Could not add %s to the counter %s", amount, name, exc_info=True)


def read() -> dict[str, int]:
    """Every counter's value (one query)."""
    return dict(Counter.objects.values_list("name", "value"))
