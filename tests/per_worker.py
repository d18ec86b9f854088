"""A pytest plugin loaded first (``-p tests.per_worker`` in pyproject's addopts).

When the suite runs in several processes (pytest-xdist, as ``scripts/test`` does), each
process gets its own data directory below the suite's: files such as ``site_url``,
uploads and backups must not be shared by tests running at the same moment. It runs
before Django's settings are read, which is why it is a plugin and not a conftest.
"""

from __future__ import annotations

import os
from pathlib import Path

_worker = os.environ.get("PYTEST_XDIST_WORKER")
_base = os.environ.get("COFFEECHAT_DATA_DIR")
if _worker and _base and Path(_base).name != _worker:
    _own = Path(_base) / _worker
    _own.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.environ["COFFEECHAT_DATA_DIR"] = str(_own)
