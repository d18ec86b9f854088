"""The command line other programs trust: help, version, --json, plain text, progress, pipes."""

from __future__ import annotations

import datetime
import io
import json
import os
import shlex
import subprocess
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.management import CommandError, call_command, get_commands

from coffeechat.cli import SUMMARIES
from coffeechat.imports.export import export_people
from coffeechat.imports.models import ImportBatch
from coffeechat.imports.undo import undo
from coffeechat.mydata.services import delete_account, write_export
from coffeechat.network.models import Person, TieKind
from coffeechat.network.services import save_person
from tests.factories import (
    EmploymentFactory,
    FollowUpFactory,
    OrganizationFactory,
    PersonFactory,
    TieFactory,
)
from tests.imports.test_pages import CONNECTIONS

BOX = set("│┃─━┏┓┗┛╭╮╰╯┡┩")


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "coffeechat", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def run(*args: Any, **options: Any) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


class Echoes(list[tuple[str, int, int]]):
    def __call__(self, phase: str, done: int, total: int) -> None:
        self.append((phase, done, total))


# Help and version ------------------------------------------------------------------------------


def test_it_prints_the_version() -> None:
    result = cli("--version")

    assert result.returncode == 0
    assert result.stdout == f"coffeechat {metadata.version('coffeechat')}\n"


def test_it_lists_its_own_commands_first_one_line_each() -> None:
    result = cli("--help")

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    listed = [line.split()[0] for line in lines if line.startswith("  ")]
    assert listed[:3] == ["serve", "worker", "createuser"]
    assert set(listed) == set(SUMMARIES)
    assert "migrate" not in listed and "shell" not in listed
    assert "coffeechat help --all" in result.stdout
    assert all(len(line) <= 100 for line in lines)


def test_it_keeps_djangos_commands_reachable() -> None:
    result = cli("help", "--all")

    assert result.returncode == 0
    assert "migrate" in result.stdout and "shell" in result.stdout


def test_it_has_a_summary_for_every_command_of_its_own() -> None:
    own = {name for name, app in get_commands().items() if app.startswith("coffeechat")}

    assert own == set(SUMMARIES)


def test_it_ends_quietly_when_the_reader_closes_the_pipe() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "coffeechat", "help", "--all"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # like `| head` that has read enough, before anything came
    errors = process.stderr.read().decode()
    process.wait(timeout=60)

    assert "Traceback" not in errors and "BrokenPipeError" not in errors
    assert process.returncode == 141


def test_it_ends_an_export_into_head_quietly(tmp_path: Path) -> None:
    """`coffeechat export vcard -o - | head`, for real: more than a pipe holds, read 3 lines."""
    env = {**os.environ, "COFFEECHAT_DATA_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    for args in (["migrate", "-v0"], ["demo", "-v0"]):
        setup = subprocess.run(
            [sys.executable, "-m", "coffeechat", *args],
            env=env,
            capture_output=True,
            timeout=300,
            check=False,
        )
        assert setup.returncode == 0, setup.stderr
    command = f"{shlex.quote(sys.executable)} -m coffeechat export vcard "
    command += "--user demo@coffeechat.local -o - | head -3"
    result = subprocess.run(
        ["bash", "-o", "pipefail", "-c", command],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.stdout.splitlines() == ["BEGIN:VCARD", "VERSION:4.0", result.stdout.split()[2]]
    assert result.stderr == ""
    assert result.returncode == 141


# --json and plain text ------------------------------------------------------------------------


@pytest.mark.django_db
@time_machine.travel(datetime.datetime(2026, 3, 10, 15, 0, tzinfo=datetime.UTC), tick=False)
def test_it_prints_the_today_list_as_json_and_as_plain_text(alice: Any) -> None:
    FollowUpFactory(owner=alice, due_on=datetime.date(2026, 3, 8), title="Thank Ada")
    long_title = "Send Grace the notes about the compiler talk, with the two papers she named"
    FollowUpFactory(owner=alice, due_on=datetime.date(2026, 3, 12), title=long_title)

    data = json.loads(run("today", user=alice.email, json=True))
    text = run("today", user=alice.email)

    assert data["date"] == "2026-03-10"
    assert [item["title"] for item in data["groups"]["overdue"]] == ["Thank Ada"]
    assert set(data["groups"]) == {"overdue", "today", "upcoming"}
    assert data["progress"]
    assert "Thank Ada" in text
    assert any(long_title in line for line in text.splitlines())  # one row, one line
    assert not BOX & set(text)


@pytest.mark.django_db
def test_it_prints_paths_as_json(alice: Any) -> None:
    acme = OrganizationFactory(owner=alice, name="Acme")
    friend = PersonFactory(owner=alice, first_name="Kim", last_name="Lee")
    TieFactory(to_person=friend, kind=TieKind.FRIEND, strength=5)
    EmploymentFactory(person=friend, organization=acme)

    data = json.loads(run("paths", "Acme", user=alice.email, json=True))

    assert data["organization"] == {"id": acme.pk, "name": "Acme"}
    assert data["paths"][0]["people"] == [{"id": friend.pk, "name": "Kim Lee"}]
    assert data["paths"][0]["warmth"] > 0


@pytest.mark.django_db
def test_it_prints_duplicates_as_json_and_as_plain_text(alice: Any) -> None:
    save_person(alice, Person(first_name="William", last_name="Okafor"), emails=["w@ok.example"])
    save_person(alice, Person(first_name="Bill", last_name="Okafor"), emails=["w@ok.example"])

    data = json.loads(run("duplicates", user=alice.email, json=True))
    text = run("duplicates", user=alice.email)

    assert {p["name"] for p in data[0]["people"]} == {"William Okafor", "Bill Okafor"}
    assert data[0]["reasons"]
    assert "William Okafor" in text and not BOX & set(text)


@pytest.mark.django_db
def test_it_prints_an_import_preview_as_json(alice: Any, tmp_path: Path, settings: Any) -> None:
    settings.IMPORT_DIR = tmp_path / "uploads"
    path = tmp_path / "Connections.csv"
    path.write_text(CONNECTIONS)

    data = json.loads(run("import", str(path), user=alice.email, dry_run=True, json=True))

    assert data["imported"] is False and data["batch"] is None
    assert data["summary"]["new"] == 2
    assert data["file"] == "Connections.csv"
    assert not Person.objects.filter(owner=alice).exists()


# Asking first, and progress ---------------------------------------------------------------------


@pytest.fixture
def imported(alice: Any, tmp_path: Path, settings: Any) -> ImportBatch:
    settings.IMPORT_DIR = tmp_path / "uploads"
    path = tmp_path / "Connections.csv"
    path.write_text(CONNECTIONS)
    run("import", str(path), user=alice.email)
    return ImportBatch.objects.get(owner=alice)


@pytest.mark.django_db
def test_it_asks_before_undoing_an_import(alice: Any, imported: ImportBatch) -> None:
    with pytest.raises(CommandError, match="--yes"):
        run("undo-import", str(imported.pk), user=alice.email)

    assert Person.objects.filter(owner=alice).count() == 2
    data = json.loads(run("undo-import", str(imported.pk), user=alice.email, yes=True, json=True))
    assert data["network.Person"] == 2


@pytest.mark.django_db
def test_it_reports_progress_while_undoing(imported: ImportBatch) -> None:
    echoes = Echoes()

    undo(imported, echo=echoes)

    assert echoes[0] == ("Restoring changed rows", 0, echoes[0][2])
    assert echoes[-1][1] == echoes[-1][2]


@pytest.mark.django_db
def test_it_reports_progress_while_exporting_everything(alice: Any) -> None:
    PersonFactory(owner=alice)
    echoes = Echoes()

    write_export(alice, io.BytesIO(), echo=echoes)

    assert echoes[0][1] == 0
    assert echoes[-1] == ("Writing README.txt", echoes[-1][2], echoes[-1][2])


@pytest.mark.django_db
def test_it_reports_progress_while_exporting_people(alice: Any) -> None:
    for _ in range(3):
        PersonFactory(owner=alice)
    echoes = Echoes()

    export_people(alice, "vcard", io.StringIO(), echo=echoes)

    assert echoes[0] == ("Exporting people", 0, 3)
    assert echoes[-1] == ("Exporting people", 3, 3)


@pytest.mark.django_db
def test_it_reports_progress_while_deleting_an_account(alice: Any) -> None:
    echoes = Echoes()

    delete_account(alice, echo=echoes)

    phases = [phase.split(" (", 1)[0] for phase, _done, _total in echoes]
    assert list(dict.fromkeys(phases)) == [
        "Deleting every row",
        "Ending sessions",
        "Removing uploaded files",
    ]


@pytest.mark.django_db
def test_it_keeps_progress_off_standard_output(alice: Any) -> None:
    PersonFactory(owner=alice, first_name="Ada", last_name="Lovelace")
    out, err = io.StringIO(), io.StringIO()

    call_command("export", "csv", user=alice.email, output="-", stdout=out, stderr=err)

    assert err.getvalue() == ""  # not a terminal: no bar at all
