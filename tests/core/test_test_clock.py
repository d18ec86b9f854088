"""The suite's own rule: no test takes "today" from the server's clock.

The test users live in Europe/Berlin; the server's date (UTC) is a different day there
between 23:00 and 24:00 UTC. A test takes the user's own date
(``coffeechat.core.calendar.local_today``) or freezes the clock (time-machine).
"""

from __future__ import annotations

import re
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
SERVER_TODAY = re.compile(
    r"date\.today\(\)|timezone\.localdate\(\)|\.now\([^)]*\)\.date\(\)|datetime\.now\(\)"
)


def test_no_test_takes_today_from_the_servers_clock() -> None:
    found = [
        f"{path.relative_to(TESTS)}:{number}: {line.strip()}"
        for path in sorted(TESTS.rglob("*.py"))
        if path != Path(__file__).resolve()
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if SERVER_TODAY.search(line)
    ]
    assert found == []
