"""The background worker: runs queued tasks (imports of large files, and later reminders).

``coffeechat worker`` runs it in its own process; ``coffeechat serve`` runs one in
a thread beside the web server unless ``COFFEECHAT_EMBEDDED_WORKER`` is off, so a
single user needs one command.
"""

from __future__ import annotations

import os
import socket
import threading

from django_tasks_db.management.commands.db_worker import Worker


def make_worker(*, interval: float = 1.0, batch: bool = False, name: str = "worker") -> Worker:
    return Worker(
        queue_names=["*"],
        interval=interval,
        batch=batch,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=f"{name}-{socket.gethostname()}-{os.getpid()}"[:64],
        excluded_queue_names=[],
    )


def start_embedded_worker(interval: float = 1.0) -> tuple[Worker, threading.Thread]:
    """Run a worker in a daemon thread of this process; stop it with ``worker.running = False``."""
    worker = make_worker(interval=interval, name="embedded")
    thread = threading.Thread(target=worker.run, name="coffeechat-worker", daemon=True)
    thread.start()
    return worker, thread
