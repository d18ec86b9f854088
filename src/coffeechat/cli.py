"""The ``coffeechat`` console script: Django's management utility with our settings.

``coffeechat``, ``coffeechat --help`` and ``coffeechat help`` list Coffeechat's own
commands, one line each; ``coffeechat help --all`` lists Django's developer commands too.
``coffeechat --version`` prints the version. A closed pipe (``… | head``) ends the command
quietly, as it ends ``cat``.
"""

from __future__ import annotations

import os
import sys
from importlib import metadata

HELP_FLAGS = {"-h", "--help", "help"}
# One line per command for `coffeechat --help`; a test fails when a command has none.
SUMMARIES = {
    "serve": "run Coffeechat: migrations, static files, web server and worker",
    "worker": "run background tasks and the follow-ups tick in a separate process",
    "createuser": "create an account that signs in with an e-mail address",
    "demo": "create a demo account with an invented network",
    "today": "print the follow-ups due now and this week",
    "paths": "print the warmest paths into an organization",
    "duplicates": "list probable duplicates; merge them or mark them different",
    "reindex": "rebuild the people search index (never needed in normal use)",
    "import": "import people (LinkedIn, Google, Outlook, vCard, CSV) or an invitation (.ics)",
    "undo-import": "take an import back, or list your imports",
    "export": "export your people as CSV or vCard",
    "export-all": "export all of an account's data as one ZIP file",
    "delete-account": "delete an account with everything it holds",
    "send-queued": "send the e-mails queued for sending",
    "smtp-test": "send a test e-mail through a user's own SMTP server",
    "mail-test": "log in to a user's mailbox (IMAP) and list its folders",
    "mail-sync": "read what is new in a user's mailbox: replies, sent mail, bounces",
    "bench": "print the bench, ranked for an opening if you name one",
    "backup": "write a backup of the database, secret key and files while running",
    "restore": "restore a backup into an empty database and check every table",
    "progress": "print your progress: the funnel, reply rates, times, suggestions",
    "staff": "make the first staff member; list, deactivate or reactivate accounts",
}
EXIT_CLOSED_PIPE = 141  # 128 + SIGPIPE, what a shell reports for `cat file | head`


def version() -> str:
    try:
        return metadata.version("coffeechat")
    except metadata.PackageNotFoundError:
        return "unknown"


def own_commands() -> dict[str, str]:
    """Coffeechat's commands and their one-line summaries, in the order of SUMMARIES."""
    from django.core.management import get_commands

    names = [name for name, app in get_commands().items() if app.startswith("coffeechat")]
    order = list(SUMMARIES)
    names.sort(key=lambda name: (order.index(name) if name in order else len(order), name))
    return {name: SUMMARIES.get(name, "") for name in names}


def overview() -> str:
    commands = own_commands()
    width = max(len(name) for name in commands)
    lines = [
        f"Coffeechat {version()}: a workspace for informational networking.",
        "",
        "Usage: coffeechat COMMAND [options]   (coffeechat COMMAND --help for its options)",
        "",
        "Commands:",
        *(f"  {name:<{width}}  {summary}" for name, summary in commands.items()),
        "",
        "Django's developer commands (migrate, shell, createsuperuser…): coffeechat help --all",
        "Options: --version prints the version.",
    ]
    return "\n".join(lines) + "\n"


def run(argv: list[str]) -> None:
    from django.core.management import execute_from_command_line

    if argv[:1] in (["--version"], ["-V"]) and len(argv) == 1:
        sys.stdout.write(f"coffeechat {version()}\n")
        return
    if not argv or (len(argv) == 1 and argv[0] in HELP_FLAGS):
        import django

        django.setup()
        sys.stdout.write(overview())
        return
    if argv[:2] == ["help", "--all"]:
        argv = ["help"]
    execute_from_command_line(["coffeechat", *argv])


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coffeechat.settings")
    try:
        run(sys.argv[1:] if argv is None else argv)
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away: say nothing, and let Python's exit flush nowhere.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(EXIT_CLOSED_PIPE)


if __name__ == "__main__":
    main()
