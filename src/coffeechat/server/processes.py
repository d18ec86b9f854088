"""Serve with several processes: one listening socket, a pre-forked waitress per core.

The parent binds the socket, forks the web processes and watches them: a process that
dies is started again, and SIGTERM/SIGINT stop them all. Exactly one of them (the
first) also runs the embedded worker, so queued tasks and the follow-ups tick never
run twice. Where ``os.fork`` does not exist, there is one process.

Each run gets a fresh, private directory for the web processes' metrics
(``PROMETHEUS_MULTIPROC_DIR``, see coffeechat.core.metrics), removed when it ends.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from typing import Any

from django.db import connections

from coffeechat.core.metrics import MULTIPROCESS_DIR

WORKER_SLOT = 0
# More restarts than this within the window: something is broken, not unlucky; stop.
CRASH_LIMIT = 5
CRASH_WINDOW = 30.0


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def default_processes() -> int:
    return usable_cores() if hasattr(os, "fork") else 1


def listening_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.create_server((host, port), family=family, backlog=1024)
    sock.set_inheritable(True)
    return sock


@contextlib.contextmanager
def metrics_directory() -> Iterator[str]:
    """A new directory (0700) in which the processes of this run keep their metrics."""
    folder = tempfile.mkdtemp(prefix="coffeechat-metrics-")
    before = os.environ.get(MULTIPROCESS_DIR)
    os.environ[MULTIPROCESS_DIR] = folder
    try:
        yield folder
    finally:
        if before is None:
            os.environ.pop(MULTIPROCESS_DIR, None)
        else:
            os.environ[MULTIPROCESS_DIR] = before
        shutil.rmtree(folder, ignore_errors=True)


class Supervisor:
    """The parent: forks ``count`` processes that each run ``serve_one(slot)``."""

    def __init__(self, count: int, serve_one: Callable[[int], None], say: Callable[[str], Any]):
        self.count = count
        self.serve_one = serve_one
        self.say = say
        self.children: dict[int, int] = {}  # pid → slot
        self.stopping = False
        self.restarts: list[float] = []  # when processes were started again
        self.exit_code = 0

    def start(self, slot: int) -> None:
        pid = os.fork()
        if pid == 0:  # the child
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            code = 0
            try:
                self.serve_one(slot)
            except BaseException:  # noqa: BLE001 - reported, then the child ends
                import traceback

                traceback.print_exc()
                code = 1
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        self.children[pid] = slot

    def stop(self, *_: Any) -> None:
        self.stopping = True
        for pid in list(self.children):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)

    def run(self) -> None:
        with metrics_directory():
            self._run()

    def _run(self) -> None:
        connections.close_all()  # never share a database connection with a child
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)
        for slot in range(self.count):
            self.start(slot)
        while self.children:
            try:
                pid, status = os.wait()
            except ChildProcessError:
                break
            except InterruptedError:
                continue
            slot = self.children.pop(pid, -1)
            if slot < 0 or self.stopping:
                continue
            now = time.monotonic()
            self.restarts = [at for at in self.restarts if now - at < CRASH_WINDOW] + [now]
            if len(self.restarts) > CRASH_LIMIT:
                self.say(
                    f"Web processes ended {len(self.restarts)} times in {CRASH_WINDOW:.0f} s; "
                    "stopping (see the errors above)."
                )
                self.stop()
                self.exit_code = 1
                continue
            self.say(f"Web process {pid} ended ({status}); starting another.")
            time.sleep(0.5)  # a process that dies at once must not spin the machine
            self.start(slot)
