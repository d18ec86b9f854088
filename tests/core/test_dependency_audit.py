"""CI audits the installed packages (scripts/audit-dependencies, pip-audit) and runs the
deploy check with the documented production settings (issue 19)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_audit_runs_and_says_plainly_what_it_checked() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "audit-dependencies")],
        capture_output=True,
        text=True,
        timeout=400,
        check=False,
    )
    out = result.stdout.strip()
    # Here either the service answered (a count of audited packages) or it did not, and
    # the script says NOT AUDITED instead of "no vulnerabilities".
    assert result.returncode in {0, 1}, result.stderr
    assert re.match(r"NOT AUDITED: |No known vulnerabilities in \d+ audited packages", out) or (
        result.returncode == 1 and "known vulnerabilities" in out
    ), out


def test_ci_runs_the_deploy_check_and_the_audit() -> None:
    ci = (ROOT / ".ci" / "run").read_text()
    assert "coffeechat check --deploy --fail-level WARNING" in ci
    assert "COFFEECHAT_HTTPS=1" in ci
    assert "scripts/audit-dependencies" in ci
