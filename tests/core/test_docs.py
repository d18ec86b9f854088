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
