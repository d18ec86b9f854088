"""The request metrics each web process keeps (prometheus_client).

Under ``coffeechat serve`` the Supervisor gives every run its own directory in
``PROMETHEUS_MULTIPROC_DIR`` before it starts the web processes; prometheus_client then
keeps each process's values in files there, and ``/metrics`` adds them up (see
docs/decisions/0007-metrics-across-processes.md). Without it (tests, ``runserver``)
they live in this process's memory. prometheus_client picks its storage when it is
first imported, so it is imported here only when the first metric is made, inside
the web process.
"""

from __future__ import annotations

import os
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from prometheus_client import CollectorRegistry, Histogram

MULTIPROCESS_DIR = "PROMETHEUS_MULTIPROC_DIR"
# Seconds: from a cached page to a large export.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

_lock = threading.Lock()
_registry: CollectorRegistry | None = None
_duration: Histogram | None = None


def multiprocess() -> bool:
    return bool(os.environ.get(MULTIPROCESS_DIR))


def local_registry() -> CollectorRegistry:
    """Where this process's metrics are registered when they are not kept in files."""
    _request_duration()
    assert _registry is not None
    return _registry


def _request_duration() -> Histogram:
    global _registry, _duration
    with _lock:
        if _duration is None:
            from prometheus_client import CollectorRegistry, Histogram

            _registry = CollectorRegistry()
            _duration = Histogram(
                "coffeechat_http_request_duration_seconds",
                "Time to answer a request, by route name, method and status class.",
                ["route", "method", "status"],
                buckets=LATENCY_BUCKETS,
                registry=None if multiprocess() else _registry,
            )
        return _duration


def observe_request(route: str, method: str, status: int, seconds: float) -> None:
    """Count one answered request in the latency histogram."""
    method = method if method in METHODS else "other"
    _request_duration().labels(route, method, f"{status // 100}xx").observe(seconds)
