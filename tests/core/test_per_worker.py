"""Test processes running at once never share a data directory (tests/per_worker.py)."""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings


def test_each_test_process_has_its_own_data_directory() -> None:
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker:
        assert settings.DATA_DIR.name == worker
        assert Path(os.environ["COFFEECHAT_DATA_DIR"]).resolve() == settings.DATA_DIR
    else:
        assert settings.DATA_DIR.name != "gw0"
