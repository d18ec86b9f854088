from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _private_uploads(settings: Any, tmp_path: Path) -> Path:
    """Each test gets its own upload folder, so files can be counted."""
    settings.IMPORT_DIR = tmp_path / "uploads"
    return Path(settings.IMPORT_DIR)
