from __future__ import annotations

from django.db import models


class Counter(models.Model):
    """A number that only grows, shared by every process and machine of the instance
    (e-mails sent and failed); written by :mod:`coffeechat.core.counters` only."""

    name = models.CharField(max_length=100, primary_key=True)
    value = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name} = {self.value}"
