"""/metrics: who may read it, and that its numbers move with what really happens.

The exposition is read back with prometheus_client's own text parser, as a scraper
would; requests, e-mails (a real SMTP server), imports and the worker are real.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from coffeechat.followups import health
from coffeechat.imports.models import ImportBatch
from coffeechat.server.worker import make_worker
from tests.factories import EmailAddressFactory, MessageFactory, PersonFactory, UserFactory
from tests.outreach.conftest import Collector
from tests.ports import free_port

pytestmark = pytest.mark.django_db

TOKEN = "scrape-me-4f1c9a"
COUNTING_SMTP = "coffeechat.core.mailers.SmtpBackend"
Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


@pytest.fixture(autouse=True)
def _token(settings: Any, tmp_path: Path) -> None:
    settings.METRICS_TOKEN = TOKEN
    settings.IMPORT_DIR = tmp_path / "uploads"


def scrape(client: Client) -> Samples:
    response = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    found: Samples = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def requests_of(samples: Samples, route: str, method: str = "GET", status: str = "2xx") -> float:
    return value(
        samples,
        "coffeechat_http_request_duration_seconds_count",
        route=route,
        method=method,
        status=status,
    )


@pytest.fixture
def counting_smtp(settings: Any) -> Iterator[Collector]:
    """A real SMTP server (aiosmtpd) behind the backend EMAIL_URL=smtp://… selects."""
    collector = Collector()
    port = free_port()
    controller = Controller(collector, hostname="127.0.0.1", port=port)
    controller.start()
    settings.MAILERS = {
        "default": {"BACKEND": COUNTING_SMTP, "OPTIONS": {"host": "127.0.0.1", "port": port}}
    }
    settings.EMAIL_CONFIGURED = True
    try:
        yield collector
    finally:
        controller.stop()


def test_it_is_a_404_when_no_token_is_configured(client: Client, settings: Any) -> None:
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", headers={"Authorization": "Bearer "}).status_code == 404
    assert client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 404


@pytest.mark.parametrize(
    "authorization",
    ["", f"Bearer {TOKEN}x", f"bearer {TOKEN}", TOKEN, f"Basic {TOKEN}", f"Bearer  {TOKEN}"],
)
def test_it_is_a_404_with_a_wrong_token(client: Client, authorization: str) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    response = client.get("/metrics", headers=headers)
    assert response.status_code == 404
    assert b"coffeechat_" not in response.content


def test_a_signed_in_user_without_the_token_gets_a_404(alice_client: Client) -> None:
    assert alice_client.get("/metrics").status_code == 404


def test_any_method_without_the_token_is_a_404_and_with_it_only_get_answers(
    client: Client,
) -> None:
    client = Client(enforce_csrf_checks=True)  # as a real server: no CSRF 403 either
    assert client.post("/metrics").status_code == 404
    assert client.delete("/metrics").status_code == 404
    bearer = {"Authorization": f"Bearer {TOKEN}"}
    assert client.post("/metrics", headers=bearer).status_code == 405
    assert client.head("/metrics", headers=bearer).status_code == 200


def test_it_counts_requests_by_route_method_and_status_class(alice: Any, client: Client) -> None:
    client.force_login(alice)
    before = scrape(client)
    assert client.get("/people/").status_code == 200
    assert client.get("/people/").status_code == 200
    assert client.get("/people/987654/").status_code == 404
    assert client.post("/people/new/", {"first_name": ""}).status_code == 200
    after = scrape(client)

    assert (
        requests_of(after, "network:person-list") - requests_of(before, "network:person-list") == 2
    )
    assert (
        requests_of(after, "network:person-detail", status="4xx")
        - requests_of(before, "network:person-detail", status="4xx")
        == 1
    )
    assert (
        requests_of(after, "network:person-create", "POST")
        - requests_of(before, "network:person-create", "POST")
        == 1
    )
    # The histogram's buckets: the +Inf bucket holds every request, and the sum is a time.
    inf = value(
        after,
        "coffeechat_http_request_duration_seconds_bucket",
        route="network:person-list",
        method="GET",
        status="2xx",
        le="+Inf",
    )
    assert inf == requests_of(after, "network:person-list")
    total = value(
        after,
        "coffeechat_http_request_duration_seconds_sum",
        route="network:person-list",
        method="GET",
        status="2xx",
    )
    assert total > 0


def test_it_counts_emails_sent_and_failed(
    alice: Any, client: Client, counting_smtp: Collector, settings: Any
) -> None:
    client.force_login(alice)
    dana = PersonFactory(owner=alice, first_name="Dana")
    EmailAddressFactory(person=dana, email="dana@acme.example")
    first = MessageFactory(person=dana, to_email="dana@acme.example", subject="Hello")
    before = scrape(client)

    client.post(reverse("outreach:message-send", kwargs={"message_id": first.pk}))
    assert len(counting_smtp.envelopes) == 1
    middle = scrape(client)
    assert (
        value(middle, "coffeechat_emails_sent_total")
        - value(before, "coffeechat_emails_sent_total")
        == 1
    )
    assert value(middle, "coffeechat_emails_failed_total") == value(
        before, "coffeechat_emails_failed_total"
    )

    settings.MAILERS = {
        "default": {
            "BACKEND": COUNTING_SMTP,
            "OPTIONS": {"host": "127.0.0.1", "port": free_port(), "timeout": 2},
        }
    }
    second = MessageFactory(person=dana, to_email="dana@acme.example", subject="Again")
    client.post(reverse("outreach:message-send", kwargs={"message_id": second.pk}))
    after = scrape(client)
    assert value(after, "coffeechat_emails_sent_total") == value(
        middle, "coffeechat_emails_sent_total"
    )
    assert (
        value(after, "coffeechat_emails_failed_total")
        - value(middle, "coffeechat_emails_failed_total")
        == 1
    )


@pytest.mark.django_db(transaction=True)  # the worker closes and reopens connections
def test_it_counts_imports_by_status_and_the_task_queue(
    alice: Any, client: Client, settings: Any
) -> None:
    client.force_login(alice)
    settings.IMPORT_INLINE_BYTES = 0  # every file goes to the worker
    csv = "First Name,Last Name,Email Address\nDana,Reyes,dana@acme.example\n"
    before = scrape(client)
    assert value(before, "coffeechat_imports", status="previewing") == 0
    assert value(before, "coffeechat_tasks_queued") == 0

    client.post(
        reverse("imports:batch-list"), {"file": SimpleUploadedFile("Connections.csv", csv.encode())}
    )
    queued = scrape(client)
    assert value(queued, "coffeechat_imports", status="previewing") == 1
    assert value(queued, "coffeechat_tasks_queued") == 1

    make_worker(batch=True, interval=0).run()
    previewed = scrape(client)
    assert value(previewed, "coffeechat_imports", status="previewing") == 0
    assert value(previewed, "coffeechat_imports", status="previewed") == 1
    assert value(previewed, "coffeechat_tasks_queued") == 0

    batch = ImportBatch.objects.get(owner=alice)
    client.post(reverse("imports:batch-commit", kwargs={"batch_id": batch.pk}))
    make_worker(batch=True, interval=0).run()
    done = scrape(client)
    assert value(done, "coffeechat_imports", status="imported") == 1
    assert value(done, "coffeechat_imports", status="previewed") == 0
    assert value(done, "coffeechat_tasks_queued") == 0


def test_it_reports_the_worker_lag_and_the_last_backup(client: Client, settings: Any) -> None:
    settings.TICK_SECONDS = 60
    start = timezone.now().replace(microsecond=0)
    with time_machine.travel(start, tick=False):
        nothing = scrape(client)
        assert ("coffeechat_worker_heartbeat_age_seconds", ()) not in nothing
        assert ("coffeechat_backup_last_success_timestamp_seconds", ()) not in nothing
        health.record(health.WORKER, "tick")
        health.record(health.BACKUP_SUCCESS, "coffeechat-20261206-041500.tar.gz")
    with time_machine.travel(start + datetime.timedelta(seconds=150), tick=False):
        later = scrape(client)
    assert value(later, "coffeechat_worker_heartbeat_age_seconds") == 150
    assert value(later, "coffeechat_worker_tick_late_seconds") == 90
    assert value(later, "coffeechat_backup_last_success_timestamp_seconds") == start.timestamp()


@pytest.mark.parametrize("size", [2, 20])
def test_it_scrapes_in_the_same_number_of_queries_whatever_the_data_size(
    client: Client, size: int, django_assert_num_queries: Any
) -> None:
    for index in range(size):
        owner = UserFactory()
        ImportBatch.objects.create(owner=owner, original_name=f"f{index}.csv", status="imported")
    health.record(health.WORKER, "tick")
    with django_assert_num_queries(4):
        scrape(client)
