"""The docs are part of the product: these fail when something is undocumented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.management import get_commands, load_command_class

from coffeechat.api.api import api

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"


def variables_read_by_the_code() -> set[str]:
    names: set[str] = set()
    for path in (ROOT / "src").rglob("*.py"):
        text = path.read_text()
        names |= set(re.findall(r"env_(?:str|bool|int|list)\(\s*\"([A-Z0-9_]+)\"", text))
        names |= set(re.findall(r"os\.environ(?:\.get)?[\(\[]\s*\"([A-Z0-9_]+)\"", text))
    for path in [*(ROOT / "scripts").iterdir(), ROOT / ".ci" / "run"]:
        names |= set(re.findall(r"\$\{?(COFFEECHAT_[A-Z0-9_]+)", path.read_text()))
    names.discard("DJANGO_SETTINGS_MODULE")
    return names


def test_it_documents_every_environment_variable() -> None:
    names = variables_read_by_the_code()
    assert {"COFFEECHAT_DATA_DIR", "DATABASE_URL", "EMAIL_URL"} <= names
    documented = set(re.findall(r"`([A-Z0-9_]+)`", (DOCS / "configuration.md").read_text()))
    assert sorted(names - documented) == []


def project_commands() -> list[str]:
    return sorted(name for name, app in get_commands().items() if app.startswith("coffeechat"))


def test_it_documents_every_command_and_option() -> None:
    text = (DOCS / "cli.md").read_text()
    commands = project_commands()
    assert {"serve", "demo", "createuser"} <= set(commands)
    for name in commands:
        assert f"## `coffeechat {name}`" in text, name
        section = text.split(f"## `coffeechat {name}`", 1)[1].split("\n## ", 1)[0]
        parser = load_command_class(get_commands()[name], name).create_parser("coffeechat", name)
        own = {
            option
            for action in parser._actions
            for option in action.option_strings
            if option.startswith("--")
            and option
            not in {
                "--help",
                "--version",
                "--verbosity",
                "--settings",
                "--pythonpath",
                "--traceback",
                "--no-color",
                "--force-color",
                "--skip-checks",
            }
        }
        missing = sorted(option for option in own if option not in section)
        assert missing == [], f"coffeechat {name}: {missing}"


def test_it_documents_every_api_path() -> None:
    text = (DOCS / "api.md").read_text()
    paths = api.get_openapi_schema()["paths"]
    assert paths
    missing = sorted(path for path in paths if f"`{path.rstrip('/')}`" not in text)
    assert missing == []


@pytest.mark.parametrize("name", ["README.md", "CHANGELOG.md"])
def test_the_readme_and_changelog_exist(name: str) -> None:
    text = (ROOT / name).read_text()
    if name == "README.md":
        assert "./scripts/serve" in text and "./scripts/test" in text
    else:
        assert "## Unreleased" in text


# The method's numbers: what the docs say is what the code does ------------------------


def section(path: Path, heading: str) -> str:
    text = path.read_text()
    assert f"\n## {heading}\n" in text, f"{path.name} has no section “{heading}”"
    return text.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]


def table_rows(text: str) -> list[list[str]]:
    rows = [
        [cell.strip() for cell in line.strip().strip("|").split("|")]
        for line in text.splitlines()
        if line.startswith("|")
    ]
    return [row for row in rows[1:] if not set(row[0]) <= {"-", " "}]


def test_it_documents_the_no_reply_policy_defaults_as_the_code_has_them() -> None:
    from coffeechat.outreach.policy import DEFAULT

    rows = {
        row[0]: row[-1] for row in table_rows(section(DOCS / "outreach.md", "The no-reply policy"))
    }
    assert rows == {
        "try another person": str(DEFAULT.try_another_after_days),
        "nudge": str(DEFAULT.nudge_after_days),
        "stop": str(DEFAULT.max_nudges),
    }


def test_it_says_the_no_reply_policy_once_and_links_to_it() -> None:
    said = re.compile(r"(nudge|try another)[^|\n]*\|[^|\n]*\|\s*\d+\s*\||\d+ business days", re.I)
    for path in DOCS.glob("*.md"):
        text = path.read_text()
        if path.name == "outreach.md":
            text = text.replace(section(path, "The no-reply policy"), "")
        assert not said.search(text), (
            f"{path.name} repeats the no-reply policy: {said.search(text)}"
        )
    assert "outreach.md#the-no-reply-policy" in (DOCS / "follow-ups.md").read_text()


def test_it_documents_the_follow_up_defaults_as_the_code_has_them() -> None:
    from coffeechat.followups.models import FollowUpSettings

    def default(name: str) -> object:
        return FollowUpSettings._meta.get_field(name).default  # type: ignore[union-attr]

    rows = {row[0]: row[-1] for row in table_rows(section(DOCS / "follow-ups.md", "Rules"))}
    assert f"({default('thank_you_hour')}:00)" in rows["thank-you to every participant"]
    assert rows["debrief reminder"] == f"{default('debrief_delay_minutes')} minutes"
    assert rows["prospective supervisor with nothing open"] == (
        f"{default('supervisor_check_in_days')} days"
    )
    delivery = section(DOCS / "follow-ups.md", "Delivery")
    assert f"(default {default('digest_hour')}:00)" in delivery


def test_it_documents_the_purposes_table_as_the_code_has_it() -> None:
    from coffeechat.outreach.purposes import FIRST_NOTE_WORDS, TABLE

    def yes(flag: bool) -> str:
        return "yes" if flag else "no"

    rows = {
        row[0].split("`")[1]: row for row in table_rows(section(DOCS / "outreach.md", "Purposes"))
    }
    assert set(rows) == set(TABLE)
    for key, rule in TABLE.items():
        name, first, awaits, asks, ask = rows[key]
        assert rule.label in name, key
        assert [first, awaits, asks] == [
            yes(rule.first_note),
            yes(rule.awaits_reply),
            yes(rule.asks_for_conversation),
        ], key
        if rule.ask:
            assert ask == rule.ask, key
    checks = section(DOCS / "outreach.md", "Etiquette checks")
    assert f"over {FIRST_NOTE_WORDS} words" in checks
