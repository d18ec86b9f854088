"""How Coffeechat holds up under a career centre's load, beside a hello-world floor.

Builds, on PostgreSQL (its own database: migrated, then flushed), N users (default
2,000) with 300 people each plus one user with 30,000 people, each person with a
current job and an e-mail address, each user with a few conversations (one held and
waiting for its debrief) and follow-ups (one due today, so every user's daily digest is
due), written with COPY. Then it starts Coffeechat for real, as separate processes:

- ``coffeechat serve --processes P --no-worker`` (P: one per core by default);
- two ``coffeechat worker`` processes (the follow-ups tick every few seconds);
- a local SMTP server (aiosmtpd), the instance's ``EMAIL_URL``, so sends are real;
- throttles shared in Redis (``COFFEECHAT_CACHE_URL``). The simulated users come
  through a trusted proxy (``COFFEECHAT_BEHIND_PROXY=1``), each from its own address
  in ``X-Forwarded-For``, as students behind a career centre's proxy would, so the
  per-address login limits apply per student; no limit is raised or turned off.

C simulated users (threads, ``requests``; default 100, the 30,000-person user among
them) each sign in through the login form (with its CSRF token), then, for a bounded
time and with no pause between requests (``--think S`` adds pauses of S seconds
on average), go through a mix: Today, a people search
(``?q=``), a person page, composing a message and sending it to the SMTP server,
scheduling a conversation (its calendar invitation is e-mailed too) and debriefing
a held one. Printed: requests per second, p50/p95/p99 per page, every error (status
and page; there must be none), what the SMTP server received, and the workers' lag:
how long after their first tick every due digest was sent, and how late each tick
started against its interval and how long each took (from the workers' logs).

The floor, measured in the same run by the same load generator and the same number
of simulated users: a hello-world Django view (no middleware, no database) served
the same way (waitress, the same processes and threads, ``coffeechat.server.processes``).

The machine is shared: figures are noisy; compare the page with its floor of the
same run, not with another run.

Run: .venv/bin/python benchmarks/load.py [--quick] [--users N] [--concurrency C]
     [--seconds S] [--processes P] [--think S] [--reuse] [--database-url URL]
(--reuse keeps the data of the previous run instead of building it again.)
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "a-long-load-test-passphrase"
FIRST = (
    "Ana", "Anna", "Diana", "Johanna", "Ben", "Carla", "David", "Elena", "Farid", "Greta",
    "Hugo", "Ines", "Jonas", "Kemal", "Lea", "Marta", "Nils", "Olga", "Pablo", "Rosa",
    "Sven", "Tara", "Umar", "Vera", "Wen", "Yusuf", "Zoe", "José", "Chloé", "Björn",
)  # fmt: skip
LAST = (
    "Andersen", "Bauer", "Costa", "Dubois", "Eriksen", "Fischer", "García", "Hansen",
    "Ivanova", "Jensen", "Kowalski", "Lopez", "Müller", "Nowak", "Okafor", "Petrov",
    "Quinn", "Rossi", "Schmidt", "Tanaka", "Umarov", "Varga", "Weber", "Xu", "Young",
)  # fmt: skip
TITLES = ("Analyst", "Engineer", "Designer", "Product Manager", "Data Scientist", "Recruiter")
SEARCHES = ("ana", "müller", "engineer", "rossi", "jo", "company 1", "tanaka", "example.org")
# What a simulated user does next, and how often (relative weights).
MIX: tuple[tuple[str, int], ...] = (("today", 30), ("search", 25), ("person", 25))
MIX += (("send", 8), ("schedule", 6), ("debrief", 6))
FLOOR = "hello-world floor"


# Building ------------------------------------------------------------------------------


def copy_in(model: Any, rows: Iterable[Any]) -> int:
    """Write model instances with COPY: every concrete column (the ids are given), values
    prepared as Django would save them (defaults and auto_now included)."""
    from django.db import connection

    fields = [f for f in model._meta.concrete_fields if not getattr(f, "generated", False)]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    written = 0
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(
            f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN"
        ) as copy,
    ):
        for row in rows:
            copy.write_row([f.get_db_prep_save(f.pre_save(row, True), connection) for f in fields])
            written += 1
    return written


@dataclass
class Account:
    email: str
    people: tuple[int, int]  # first and last id of their people
    held: list[int] = field(default_factory=list)  # held conversations to debrief


def build(users: int, people: int, big: int, seed: int) -> tuple[dict[str, int], float]:
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.core.management.color import no_style
    from django.db import connection, transaction
    from django.utils import timezone

    from coffeechat.accounts.models import Profile, User
    from coffeechat.conversations.models import Conversation, Participant, Status
    from coffeechat.followups.models import FollowUp, FollowUpSettings
    from coffeechat.network.models import EmailAddress, Employment, Organization, Person
    from coffeechat.network.normalize import organization_key

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    rng = random.Random(seed)
    started = time.perf_counter()
    now = timezone.now()
    today = now.date()
    hashed = make_password(PASSWORD)  # one hash for every account: hashing is slow
    sizes = [big] + [people] * users  # the big account is the first
    counts: dict[str, int] = defaultdict(int)
    with transaction.atomic():
        counts["users"] = copy_in(
            User,
            (
                User(id=i + 1, email=email_of(i), password=hashed, is_active=True)
                for i in range(len(sizes))
            ),
        )
        copy_in(
            Profile,
            (
                Profile(id=i + 1, user_id=i + 1, full_name=f"Student {i}", time_zone="UTC")
                for i in range(len(sizes))
            ),
        )
        copy_in(
            FollowUpSettings,
            (FollowUpSettings(id=i + 1, owner_id=i + 1, digest_hour=0) for i in range(len(sizes))),
        )
        org_ranges: list[tuple[int, int]] = []
        next_org = 1

        def organizations() -> Iterator[Any]:
            nonlocal next_org
            for i, size in enumerate(sizes):
                count = max(10, size // 10)
                org_ranges.append((next_org, next_org + count - 1))
                for n in range(count):
                    name = f"Company {n}"
                    yield Organization(
                        id=next_org, owner_id=i + 1, name=name, name_key=organization_key(name)
                    )
                    next_org += 1

        counts["organizations"] = copy_in(Organization, organizations())
        person_ranges: list[tuple[int, int]] = []
        pk = 1
        for size in sizes:
            person_ranges.append((pk, pk + size - 1))
            pk += size

        def names(pk: int) -> tuple[str, str]:
            return FIRST[pk % len(FIRST)], LAST[(pk // len(FIRST)) % len(LAST)]

        def owner_people() -> Iterator[tuple[int, int]]:
            for i, (first, last) in enumerate(person_ranges):
                for person_id in range(first, last + 1):
                    yield i, person_id

        counts["people"] = copy_in(
            Person,
            (
                Person(
                    id=person_id,
                    owner_id=i + 1,
                    first_name=names(person_id)[0],
                    last_name=names(person_id)[1],
                    source="linkedin",
                )
                for i, person_id in owner_people()
            ),
        )
        counts["jobs"] = copy_in(
            Employment,
            (
                Employment(
                    id=person_id,
                    owner_id=i + 1,
                    person_id=person_id,
                    organization_id=rng.randint(*org_ranges[i]),
                    title=TITLES[person_id % len(TITLES)],
                    is_current=True,
                )
                for i, person_id in owner_people()
            ),
        )
        counts["e-mails"] = copy_in(
            EmailAddress,
            (
                EmailAddress(
                    id=person_id,
                    owner_id=i + 1,
                    person_id=person_id,
                    email=f"person{person_id}@example.org",
                )
                for i, person_id in owner_people()
            ),
        )
        conversations: list[Any] = []
        participants: list[Any] = []
        follow_ups: list[Any] = []
        for i, (first, _last) in enumerate(person_ranges):
            for n, (days, status) in enumerate(
                ((-2, Status.HELD), (-9, Status.HELD), (5, Status.SCHEDULED))
            ):
                pk = len(conversations) + 1
                conversations.append(
                    Conversation(
                        id=pk,
                        owner_id=i + 1,
                        starts_at=now + datetime.timedelta(days=days),
                        time_zone="UTC",
                        duration_minutes=30,
                        status=status,
                    )
                )
                participants.append(
                    Participant(
                        id=pk, owner_id=i + 1, conversation_id=pk, person_id=first + n, position=0
                    )
                )
            for n, days in enumerate((0, -3, 4)):  # due today: every digest is due
                follow_ups.append(
                    FollowUp(
                        id=len(follow_ups) + 1,
                        owner_id=i + 1,
                        person_id=first + 10 + n,
                        title=f"Write to person {first + 10 + n}",
                        due_on=today + datetime.timedelta(days=days),
                    )
                )
        counts["conversations"] = copy_in(Conversation, conversations)
        copy_in(Participant, participants)
        counts["follow-ups"] = copy_in(FollowUp, follow_ups)
        models = [
            User, Profile, FollowUpSettings, Organization, Person, Employment, EmailAddress,
            Conversation, Participant, FollowUp,
        ]  # fmt: skip
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(statement)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return counts, time.perf_counter() - started


def email_of(index: int) -> str:
    return f"student{index}@load.example"


def accounts(count: int) -> list[Account]:
    """The first ``count`` accounts (the big one first), read from the database."""
    from django.db.models import Max, Min

    from coffeechat.accounts.models import User
    from coffeechat.conversations.models import Conversation, Status
    from coffeechat.network.models import Person

    users = list(User.objects.order_by("pk").values_list("pk", "email")[:count])
    ranges = {
        row["owner_id"]: (row["low"], row["high"])
        for row in Person.objects.filter(owner_id__in=[pk for pk, _e in users])
        .values("owner_id")
        .annotate(low=Min("pk"), high=Max("pk"))
    }
    held: dict[int, list[int]] = defaultdict(list)
    for owner_id, pk in Conversation.objects.filter(
        owner_id__in=ranges, status=Status.HELD
    ).values_list("owner_id", "pk"):
        held[owner_id].append(pk)
    return [Account(email, ranges[pk], held[pk]) for pk, email in users]


# Processes -----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve_smtp(port: int) -> None:
    """The mail server: accepts everything, prints how many messages it received."""
    from aiosmtpd.controller import Controller

    received = [0]

    class Counter:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
            received[0] += 1
            return "250 Message accepted"

    controller = Controller(Counter(), hostname="127.0.0.1", port=port)
    controller.start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    print("ready", flush=True)
    stop.wait()
    controller.stop()
    print(f"received {received[0]}", flush=True)


def hello(request: Any) -> Any:
    from django.http import HttpResponse

    return HttpResponse("Hello, world", content_type="text/plain")


def serve_hello(port: int, processes: int, threads: int) -> None:
    """The floor: one Django view, no middleware, served like ``coffeechat serve``."""
    import django
    from django.conf import settings
    from django.urls import path

    settings.configure(
        DEBUG=False,
        SECRET_KEY="hello-world-floor",
        ALLOWED_HOSTS=["*"],
        ROOT_URLCONF=__name__,
        MIDDLEWARE=[],
        INSTALLED_APPS=[],
        DATABASES={},
    )
    django.setup()
    sys.modules[__name__].urlpatterns = [path("", hello)]  # type: ignore[attr-defined]
    import waitress
    from django.core.wsgi import get_wsgi_application

    from coffeechat.server.processes import Supervisor, listening_socket

    application = get_wsgi_application()
    sock = listening_socket("127.0.0.1", port)
    serving = {
        "threads": threads,
        "ident": "hello",
        "_quiet": True,
        "trusted_proxy": "127.0.0.1",
        "trusted_proxy_count": 1,
        "trusted_proxy_headers": {"x-forwarded-proto", "x-forwarded-for"},
    }

    def serve_one(slot: int) -> None:
        waitress.serve(application, sockets=[sock], **serving)

    Supervisor(processes, serve_one, print).run()


def start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)


def stop(process: subprocess.Popen[Any]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_for(url: str, process: subprocess.Popen[Any], log: Path, seconds: float = 180) -> None:
    import requests

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"{url} did not start:\n{log.read_text()[-3000:]}")
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    sys.exit(f"{url} did not answer within {seconds:.0f} s:\n{log.read_text()[-3000:]}")


# Load ----------------------------------------------------------------------------------


class FormReader(HTMLParser):
    """The forms of a page: their action and the values a browser would submit."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self.select: str | None = None
        self.select_value: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append({"action": a.get("action", ""), "fields": []})
            return
        if not self.forms:
            return
        fields = self.forms[-1]["fields"]
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text").lower()
            if kind in {"submit", "button", "image", "reset", "file"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in a:
                return
            fields.append((a["name"], a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select" and a.get("name"):
            self.select, self.select_value = a["name"], None
        elif tag == "option" and self.select is not None:
            if self.select_value is None or "selected" in a:
                self.select_value = a.get("value", "")
        elif tag == "textarea" and a.get("name"):
            self.textarea = a["name"]
            fields.append((self.textarea, ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self.select is not None and self.forms:
            self.forms[-1]["fields"].append((self.select, self.select_value or ""))
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data: str) -> None:
        if self.textarea is not None and self.forms:
            name, value = self.forms[-1]["fields"][-1]
            self.forms[-1]["fields"][-1] = (name, value + data)


def form_with(html: str, name: str) -> dict[str, Any]:
    reader = FormReader()
    reader.feed(html)
    for form in reader.forms:
        if any(key == name for key, _v in form["fields"]):
            return form
    raise LookupError(f"no form with a field {name!r}")


class Stats:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: list[str] = []

    def add(self, page: str, seconds: float, error: str = "") -> None:
        with self.lock:
            self.times[page].append(seconds)
            if error:
                self.errors.append(f"{page}: {error}")


class Load:
    """Simulated users: each a thread with its own session and client address."""

    def __init__(self, base: str, concurrency: int, seconds: float, think: float) -> None:
        self.base = base
        self.concurrency = concurrency
        self.seconds = seconds
        self.think = think
        self.stats = Stats()
        self.ready = threading.Barrier(concurrency + 1)
        self.go = threading.Event()
        self.deadline = 0.0
        self.sends = 0
        self.window = 0.0
        self.own_cpu = 0.0  # the load generator's CPU seconds during the window
        self.load_average = (0.0, 0.0)  # the machine's, at the start and the end

    def run(self, behaviour: Callable[[Any, int], Callable[[Any, random.Random], None]]) -> None:
        threads = [
            threading.Thread(target=self.user, args=(slot, behaviour), daemon=True)
            for slot in range(self.concurrency)
        ]
        for thread in threads:
            thread.start()
        self.ready.wait()  # everyone signed in
        started, cpu = time.monotonic(), time.process_time()
        before = os.getloadavg()[0]
        self.deadline = started + self.seconds
        self.go.set()
        for thread in threads:
            thread.join(self.seconds + 120)
        self.window = time.monotonic() - started
        self.own_cpu = time.process_time() - cpu
        self.load_average = (before, os.getloadavg()[0])

    def context(self) -> str:
        return (
            f"{self.window:.1f} s; load generator {self.own_cpu / self.window:.0%} of a core; "
            f"machine load average {self.load_average[0]:.1f} → {self.load_average[1]:.1f}"
        )

    def session(self, slot: int) -> Any:
        import requests

        session = requests.Session()
        session.headers["X-Forwarded-For"] = (
            f"10.{slot // 65536 % 256}.{slot // 256 % 256}.{slot % 256 + 1}"
        )
        session.headers["X-Forwarded-Proto"] = "http"
        return session

    def user(self, slot: int, behaviour: Callable[[Any, int], Any]) -> None:
        session = self.session(slot)
        rng = random.Random(slot)
        try:
            step = behaviour(session, slot)
        except Exception as error:  # noqa: BLE001 - reported, then this user waits
            self.stats.add("login", 0.0, repr(error))
            step = None
        try:
            self.ready.wait()
        except threading.BrokenBarrierError:
            return
        self.go.wait()
        while step is not None and time.monotonic() < self.deadline:
            try:
                step(session, rng)
            except Exception as error:  # noqa: BLE001 - counted as an error
                self.stats.add("exception", 0.0, repr(error)[:300])
            if self.think:
                time.sleep(rng.expovariate(1 / self.think))

    def timed(self, session: Any, page: str, method: str, path: str, **kwargs: Any) -> Any:
        url = self.base + path
        started = time.perf_counter()
        response = session.request(method, url, allow_redirects=False, timeout=300, **kwargs)
        took = time.perf_counter() - started
        expected = 302 if method == "POST" else 200
        error = ""
        if response.status_code != expected:
            error = f"{response.status_code} {method} {path}"
            if response.status_code == 302:
                error += f" → {response.headers.get('Location')}"
        self.stats.add(page, took, error)
        return response


def coffeechat_user(load: Load, people: list[Account]) -> Callable[[Any, int], Any]:
    """Sign in as the slot's account; return its next step (one page of the mix)."""
    pages = [page for page, _weight in MIX]
    weights = [weight for _page, weight in MIX]

    def sign_in(session: Any, slot: int) -> Callable[[Any, random.Random], None]:
        account = people[slot % len(people)]
        page = load.timed(session, "login form", "GET", "/accounts/login/")
        form = form_with(page.text, "password")
        data = dict(form["fields"]) | {"login": account.email, "password": PASSWORD}
        load.timed(session, "login", "POST", "/accounts/login/", data=data)
        return lambda session, rng: step(session, rng, account)

    def step(session: Any, rng: random.Random, account: Account) -> None:
        page = rng.choices(pages, weights)[0]
        big = account is people[0]  # the largest account: its pages are shown apart

        def timed(name: str, method: str, path: str, **kwargs: Any) -> Any:
            return load.timed(session, f"{name} [big]" if big else name, method, path, **kwargs)

        low, high = account.people
        person = rng.randint(low, high)
        if page == "today":
            timed("Today", "GET", "/today/")
        elif page == "search":
            timed("people search", "GET", "/people/", params={"q": rng.choice(SEARCHES)})
        elif page == "person":
            timed("person page", "GET", f"/people/{person}/")
        elif page == "send":
            path = f"/outreach/compose/?person={person}"
            shown = timed("composer", "GET", path)
            if shown.status_code == 200:
                form = form_with(shown.text, "body")
                data = dict(form["fields"]) | {"action": "send"}
                timed("send (POST)", "POST", form["action"] or path, data=data)
                with load.stats.lock:
                    load.sends += 1
        elif page == "schedule":
            path = f"/conversations/new/?person={person}"
            shown = timed("schedule form", "GET", path)
            if shown.status_code == 200:
                form = form_with(shown.text, "day")
                day = datetime.date.today() + datetime.timedelta(days=rng.randint(1, 30))
                pairs = [(k, v) for k, v in form["fields"] if k not in {"day", "at"}]
                pairs += [("day", day.isoformat()), ("at", f"{rng.randint(9, 17)}:00")]
                timed("schedule (POST)", "POST", form["action"] or path, data=pairs)
        elif page == "debrief" and account.held:
            path = f"/conversations/{rng.choice(account.held)}/debrief/"
            shown = timed("debrief form", "GET", path)
            if shown.status_code == 200:
                form = form_with(shown.text, "debrief_notes")
                pairs = [(k, v) for k, v in form["fields"] if k != "debrief_notes"]
                pairs.append(("debrief_notes", f"Talked about the team. Note {rng.random():.6f}"))
                timed("debrief (POST)", "POST", form["action"] or path, data=pairs)

    return sign_in


def hello_user(load: Load) -> Callable[[Any, int], Any]:
    def ready(session: Any, slot: int) -> Callable[[Any, random.Random], None]:
        return lambda session, rng: load.timed(session, FLOOR, "GET", "/")

    return ready


# Reporting -----------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


def line(page: str, times: list[float], window: float) -> str:
    if not times:
        return f"  {page:<18} no requests"
    ms = [t * 1000 for t in times]
    return (
        f"  {page:<18} {len(times):>6} req  {len(times) / window:8.1f} req/s  "
        f"p50 {statistics.median(ms):7.1f} ms  p95 {percentile(ms, 0.95):7.1f} ms  "
        f"p99 {percentile(ms, 0.99):7.1f} ms"
    )


TICK_LINE = re.compile(r"Tick of (?P<name>.+) done in (?P<seconds>\d+\.\d+) s")


@dataclass
class Tick:
    worker: str
    started: datetime.datetime
    seconds: float


def ticks_in(log: Path) -> list[Tick]:
    """The ticks a worker logged (``followups.tick``: "Tick of NAME done in 1.23 s", one
    JSON line each, its time in UTC): when each started and how long it took."""
    found = []
    for text in log.read_text(errors="replace").splitlines():
        try:
            record = json.loads(text)
        except ValueError:
            continue
        match = TICK_LINE.match(str(record.get("message", "")))
        if match:
            seconds = float(match["seconds"])
            ended = datetime.datetime.fromisoformat(record["time"])
            found.append(Tick(match["name"], ended - datetime.timedelta(seconds=seconds), seconds))
    return found


def tick_report(ticks: list[Tick], tick_seconds: float) -> list[str]:
    """Per worker: its ticks, the longest, and how late the latest started: a tick's lag
    is how much later than ``previous start + interval`` it started (a worker starts its
    next tick once its last one ended)."""
    per_worker: dict[str, list[Tick]] = defaultdict(list)
    for tick in ticks:
        per_worker[tick.worker].append(tick)
    out = []
    for name, own in sorted(per_worker.items()):
        own.sort(key=lambda tick: tick.started)
        lags = [
            (b.started - a.started).total_seconds() - tick_seconds
            for a, b in zip(own, own[1:], strict=False)
        ]
        out.append(
            f"  {name}: {len(own)} ticks, longest {max(t.seconds for t in own):.2f} s, "
            f"median {statistics.median(t.seconds for t in own):.2f} s; latest start "
            f"{max(lags, default=0.0):.2f} s after due (interval {tick_seconds:.0f} s)"
        )
    return out


# Main ----------------------------------------------------------------------------------


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--serve-smtp":
        serve_smtp(int(sys.argv[2]))
        return
    if len(sys.argv) > 1 and sys.argv[1] == "--serve-hello":
        sys.path.insert(0, str(ROOT / "src"))
        serve_hello(int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
        return

    sys.path.insert(0, str(ROOT / "src"))
    from coffeechat.server.processes import default_processes

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/load",
        help="PostgreSQL database of its own: its tables are flushed.",
    )  # fmt: skip
    parser.add_argument("--users", type=int, default=2_000, help="Users of 300 people.")
    parser.add_argument("--people", type=int, default=300)
    parser.add_argument("--big", type=int, default=30_000, help="People of the big user.")
    parser.add_argument("--concurrency", type=int, default=100, help="Simulated users.")
    parser.add_argument("--seconds", type=float, default=60, help="Length of the load.")
    parser.add_argument("--floor-seconds", type=float, default=None, help="Default: --seconds.")
    parser.add_argument("--think", type=float, default=0.0, help="Mean pause between pages.")
    parser.add_argument("--processes", type=int, default=default_processes())
    parser.add_argument("--threads", type=int, default=8, help="Threads per web process.")
    parser.add_argument("--tick-seconds", type=int, default=10, help="Workers' tick interval.")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--reuse", action="store_true", help="Keep the data of the last run.")
    parser.add_argument(
        "--quick", action="store_true", help="50 users, 20 simulated, 10 s: a fast try."
    )
    args = parser.parse_args()
    if args.quick:
        args.users, args.concurrency, args.seconds = 50, 20, 10.0
    floor_seconds = args.floor_seconds or args.seconds

    data_dir = Path(tempfile.mkdtemp(prefix="coffeechat-load-"))
    env = dict(os.environ)
    env.update(
        DATABASE_URL=args.database_url,
        COFFEECHAT_DATA_DIR=str(data_dir),
        COFFEECHAT_SECRET_KEY="load-test-secret-key-" + "x" * 40,
        COFFEECHAT_CACHE_URL=args.redis_url,
        COFFEECHAT_EMBEDDED_WORKER="0",
        COFFEECHAT_BEHIND_PROXY="1",
        COFFEECHAT_TRUSTED_PROXY="127.0.0.1",
        COFFEECHAT_TICK_SECONDS=str(args.tick_seconds),
        COFFEECHAT_LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="coffeechat.settings",
        PYTHONPATH=str(ROOT / "src"),
    )
    env.pop("DEBUG", None)
    os.environ.update(env)
    import django

    django.setup()
    from django.db import connection

    from coffeechat.accounts.models import User
    from coffeechat.followups.models import Digest, DigestStatus, Notification
    from coffeechat.outreach.models import Message

    if connection.vendor != "postgresql":
        sys.exit("--database-url must name a PostgreSQL database.")
    expected = args.users + 1
    if args.reuse and User.objects.count() >= expected:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)  # the code may have moved on since the build
        Digest.objects.all().delete()
        Notification.objects.all().delete()
        print(f"data: reusing the {User.objects.count():,} users already built")
    else:
        counts, built = build(args.users, args.people, args.big, args.seed)
        shown = ", ".join(f"{n:,} {what}" for what, n in counts.items())
        rows = sum(counts.values())
        print(f"data: {shown}; built in {built:.1f} s ({rows / built:,.0f} rows/s, COPY)")
    # The search index, as an import leaves it: up to date (the rows were written with
    # COPY, so the database's triggers marked every person; see network/search.py).
    from coffeechat.network import search

    started = time.perf_counter()
    indexed = search.refresh()
    print(f"search index: {indexed:,} people indexed in {time.perf_counter() - started:.1f} s")
    people = accounts(min(expected, args.concurrency))
    connection.close()

    logs = data_dir
    python = sys.executable
    smtp_port = free_port()
    smtp = subprocess.Popen(
        [python, __file__, "--serve-smtp", str(smtp_port)], stdout=subprocess.PIPE, text=True
    )
    assert smtp.stdout is not None
    smtp.stdout.readline()  # "ready"
    env["EMAIL_URL"] = f"smtp://127.0.0.1:{smtp_port}"
    os.environ["EMAIL_URL"] = env["EMAIL_URL"]
    print(
        f"machine: {os.cpu_count()} cores, {args.processes} web processes × {args.threads} "
        f"threads, {args.concurrency} simulated users (no pause between pages"
        f"{'' if not args.think else f'; {args.think} s on average'}), "
        f"{args.seconds:.0f} s of load"
    )

    # The floor: hello-world, served the same way, same load generator.
    port = free_port()
    hello_log = logs / "hello.log"
    hello_server = start(
        [python, __file__, "--serve-hello", str(port), str(args.processes), str(args.threads)],
        env,
        hello_log,
    )
    try:
        wait_for(f"http://127.0.0.1:{port}/", hello_server, hello_log)
        floor = Load(f"http://127.0.0.1:{port}", args.concurrency, floor_seconds, args.think)
        floor.run(hello_user(floor))
    finally:
        stop(hello_server)

    # Coffeechat: web processes, two workers.
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    coffeechat = [python, "-m", "coffeechat"]
    serve_log = logs / "serve.log"
    serve = start(
        [*coffeechat, "serve", "--port", str(port), "--processes", str(args.processes)]
        + ["--threads", str(args.threads), "--no-worker", "--no-migrate"],
        env,
        serve_log,
    )
    workers: list[subprocess.Popen[bytes]] = []
    load = Load(base, args.concurrency, args.seconds, args.think)
    try:
        wait_for(base + "/health/", serve, serve_log)
        workers_started = datetime.datetime.now(datetime.UTC)
        for n in range(2):
            workers.append(
                start(
                    [*coffeechat, "worker"],
                    {**env, "COFFEECHAT_LOG_FORMAT": "json", "COFFEECHAT_LOG_LEVEL": "INFO"},
                    logs / f"worker{n}.log",
                )
            )
        load.run(coffeechat_user(load, people))
        # Let the workers finish the digests that came due (bounded).
        settle = time.monotonic() + max(30.0, args.tick_seconds * 3.0)
        due = User.objects.count()
        while time.monotonic() < settle:
            if Digest.objects.filter(status=DigestStatus.SENT).count() >= due:
                break
            time.sleep(1)
    finally:
        for process in [serve, *workers]:
            stop(process)
        smtp.send_signal(signal.SIGTERM)
        received_line = smtp.communicate(timeout=30)[0].strip()

    # Report.
    print(f"\nhello-world floor ({floor.context()}):")
    floor_times = floor.stats.times[FLOOR]
    print(line(FLOOR, floor_times, floor.window))
    print(f"\ncoffeechat serve ({load.context()}):")
    floor_rate = len(floor_times) / floor.window if floor_times else 0.0
    total = 0
    for page, times in sorted(load.stats.times.items(), key=lambda kv: -len(kv[1])):
        if page.startswith("login"):
            continue
        total += len(times)
        rate = len(times) / load.window
        print(line(page, times, load.window) + f"  {rate / floor_rate:6.2%} of the floor")
    print(
        f"  all pages:         {total / load.window:8.1f} req/s "
        f"(floor {floor_rate:.1f} req/s: {total / load.window / floor_rate:.1%})"
    )
    for page in ("login form", "login"):
        print(
            line(page + " (before)", load.stats.times.get(page, []), load.window).replace(
                "req/s", "req/s*"
            )
        )
    print(
        f"  [big]: the requests of the {people[0].people[1] - people[0].people[0] + 1:,}-person "
        "user; * sign-in happens before the timed window, its rate is not meaningful."
    )

    errors = floor.stats.errors + load.stats.errors
    print(f"\nerrors: {len(errors)}")
    for error in errors[:30]:
        print(f"  {error}")
    sent = Message.objects.filter(status="sent", sent_at__gte=workers_started).count()
    print(f"sends: {load.sends} posted, {sent} messages marked sent, SMTP server {received_line}")
    log_errors = []
    for log in [serve_log, *(logs / f"worker{n}.log" for n in range(2))]:
        text = log.read_text(errors="replace")
        log_errors += [
            f"{log.name}: {x}" for x in text.splitlines() if "Traceback" in x or "ERROR" in x
        ]
    print(f"errors in the server and worker logs: {len(log_errors)}")
    for entry in log_errors[:10]:
        print(f"  {entry}")

    digests = list(
        Digest.objects.filter(status=DigestStatus.SENT, sent_at__isnull=False).values_list(
            "sent_at", flat=True
        )
    )
    ticks = [tick for n in range(2) for tick in ticks_in(logs / f"worker{n}.log")]
    first_tick = min((tick.started for tick in ticks), default=None)
    if digests and first_tick is not None:
        lags = [(at - first_tick).total_seconds() for at in digests if at is not None]
        print(
            f"\ndigests: {len(digests):,} of {due:,} sent (all due before the workers started); "
            f"after the workers' first tick: p50 {statistics.median(lags):.1f} s, "
            f"p95 {percentile(lags, 0.95):.1f} s, last {max(lags):.1f} s "
            f"(first tick {(first_tick - workers_started).total_seconds():.1f} s after the "
            "workers were launched)"
        )
    else:
        print(f"\ndigests: {len(digests):,} of {due:,} sent; no tick of a worker was logged")
    print(f"worker ticks (from the workers' logs; interval {args.tick_seconds} s):")
    for entry in tick_report(ticks, args.tick_seconds):
        print(entry)
    shutil.rmtree(logs / "static", ignore_errors=True)  # collected by serve: 14 MB
    print(f"\nlogs: {logs}")
    connection.close()
    if errors or log_errors:
        sys.exit(1)


if __name__ == "__main__":
    main()
