"""``/metrics``: the Prometheus text format, for the operator's scraper only.

Off (a 404) unless ``COFFEECHAT_METRICS_TOKEN`` is set; then only a request with
``Authorization: Bearer <token>`` gets an answer, any other a 404. Two sources:

- what the web processes counted themselves (request latency), added up over every
  process of this ``coffeechat serve`` (coffeechat.core.metrics);
- what the database says at scrape time, in four queries whatever its size: the
  worker's heartbeat, queued tasks, import batches by status, e-mails sent and failed
  (coffeechat.core.counters), the last backup.

Why this split: docs/decisions/0007-metrics-across-processes.md.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django_tasks_db.models import DBTaskResult

from coffeechat.core import counters, metrics
from coffeechat.followups import health
from coffeechat.imports.models import ImportBatch, Status

if TYPE_CHECKING:
    from prometheus_client import CollectorRegistry
    from prometheus_client.core import Metric

# prometheus_client is imported inside the functions below, never when this module is
# loaded: it chooses where to keep values when first imported, which must happen in a
# web process, after the Supervisor set PROMETHEUS_MULTIPROC_DIR (coffeechat.core.metrics).


class ProcessCollector:
    """This process's own metrics (when they are not kept in files)."""

    def collect(self) -> Iterator[Metric]:
        yield from metrics.local_registry().collect()


class DatabaseCollector:
    """Values read from the database when scraped (four queries)."""

    def collect(self) -> Iterator[Metric]:
        now = timezone.now()
        state = health.current(now)
        yield from worker_metrics(state, now)
        yield from backup_metrics(state)
        yield from email_metrics(state, counters.read())
        yield from task_metrics()
        yield from import_metrics()


def worker_metrics(state: health.Health, now: Any) -> Iterator[Metric]:
    from prometheus_client.core import GaugeMetricFamily

    if state.worker_at is None:
        return
    age = max(0.0, (now - state.worker_at).total_seconds())
    yield GaugeMetricFamily(
        "coffeechat_worker_heartbeat_age_seconds",
        "Seconds since a worker last ran the follow-ups tick (its heartbeat).",
        value=age,
    )
    yield GaugeMetricFamily(
        "coffeechat_worker_tick_late_seconds",
        "How much later than COFFEECHAT_TICK_SECONDS the next tick is (0 when on time).",
        value=max(0.0, age - max(settings.TICK_SECONDS, 0)),
    )


def backup_metrics(state: health.Health) -> Iterator[Metric]:
    from prometheus_client.core import GaugeMetricFamily

    for moment, name, text in (
        (state.backup_success_at, "success", "When the last backup succeeded"),
        (state.backup_failure_at, "failure", "When the last backup failed"),
    ):
        if moment is not None:
            yield GaugeMetricFamily(
                f"coffeechat_backup_last_{name}_timestamp_seconds",
                f"{text} (Unix time).",
                value=moment.timestamp(),
            )


def email_metrics(state: health.Health, counted: dict[str, int]) -> Iterator[Metric]:
    from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

    yield CounterMetricFamily(
        "coffeechat_emails_sent",
        "E-mails handed to an SMTP server (instance's and users' own), by every process.",
        value=counted.get(counters.EMAILS_SENT, 0),
    )
    yield CounterMetricFamily(
        "coffeechat_emails_failed",
        "E-mails an SMTP server refused or could not be reached for, by every process.",
        value=counted.get(counters.EMAILS_FAILED, 0),
    )
    yield GaugeMetricFamily(
        "coffeechat_email_failing",
        "1 while the last reminder e-mail failed and none got through since, else 0.",
        value=1 if state.email_failing else 0,
    )


def task_metrics() -> Iterator[Metric]:
    from prometheus_client.core import GaugeMetricFamily

    found = dict(
        DBTaskResult.objects.order_by()
        .filter(status__in=["READY", "RUNNING"])
        .values_list("status")
        .annotate(count=Count("id"))
        .values_list("status", "count")
    )
    yield GaugeMetricFamily(
        "coffeechat_tasks_queued",
        "Background tasks waiting for a worker (django_tasks_db queue depth).",
        value=found.get("READY", 0),
    )
    yield GaugeMetricFamily(
        "coffeechat_tasks_running",
        "Background tasks a worker is running.",
        value=found.get("RUNNING", 0),
    )


def import_metrics() -> Iterator[Metric]:
    from prometheus_client.core import GaugeMetricFamily

    found = dict(
        ImportBatch.objects.order_by()
        .values_list("status")
        .annotate(count=Count("id"))
        .values_list("status", "count")
    )
    family = GaugeMetricFamily(
        "coffeechat_imports", "Import batches, by status (all users).", labels=["status"]
    )
    for status in Status:
        family.add_metric([status.value], found.get(status.value, 0))
    yield family


def registry() -> CollectorRegistry:
    from prometheus_client import CollectorRegistry
    from prometheus_client.multiprocess import MultiProcessCollector

    found = CollectorRegistry(auto_describe=False)
    if metrics.multiprocess():
        MultiProcessCollector(found)
    else:
        found.register(ProcessCollector())
    found.register(DatabaseCollector())
    return found


def authorised(request: HttpRequest) -> bool:
    token = settings.METRICS_TOKEN
    if not token:
        return False
    given = request.headers.get("Authorization", "")
    return hmac.compare_digest(given.encode(), f"Bearer {token}".encode())


@csrf_exempt  # it changes nothing, and a CSRF 403 would tell a stranger it exists
@never_cache
def metrics_view(request: HttpRequest) -> HttpResponse:
    if not authorised(request):  # first: whatever the method, a stranger sees nothing here
        raise Http404
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

    return HttpResponse(generate_latest(registry()), content_type=CONTENT_TYPE_LATEST)
