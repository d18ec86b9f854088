"""What the terminal commands share: consoles, tables, ``--json`` and progress bars.

Data goes to stdout: ruled tables in a terminal, plain aligned text into a file or a
pipe, one JSON document with ``--json``. Progress goes to stderr, and only to a terminal.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TextIO, cast

from django.core.management.base import OutputWrapper
from django.core.serializers.json import DjangoJSONEncoder
from rich import box
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table


class _Stream:
    """Lets rich write to the command's stdout without Django adding line endings."""

    def __init__(self, out: OutputWrapper) -> None:
        self.out = out

    def write(self, text: str) -> int:
        self.out.write(text, ending="")
        return len(text)

    def flush(self) -> None:
        self.out.flush()

    def isatty(self) -> bool:
        return self.out.isatty()


# Into a file or a pipe, lines are not wrapped at 80 columns: a row stays one line.
PLAIN_WIDTH = 200


def command_console(out: OutputWrapper, options: dict[str, Any]) -> Console:
    stream = _Stream(out)
    terminal = stream.isatty() or bool(options.get("force_color"))
    return Console(
        file=cast(TextIO, stream),
        no_color=bool(options.get("no_color")),
        force_terminal=True if options.get("force_color") else None,
        highlight=False,
        width=None if terminal else PLAIN_WIDTH,
    )


# What long services call to report progress: phase, done, total (0 when unknown).
type Echo = Callable[[str, int, int], None]


def error_console(err: OutputWrapper, options: dict[str, Any]) -> Console:
    """A console on the command's stderr, for progress that must not mix with the data."""
    return command_console(err, options)


def table(console: Console, *columns: str, title: str | None = None) -> Table:
    """A table: ruled in a terminal, plain aligned text when the output is a file or a pipe."""
    result = Table(
        *columns,
        title=title,
        title_justify="left",
        box=box.ROUNDED if console.is_terminal else None,
        pad_edge=console.is_terminal,
        show_header=True,
    )
    return result


def print_json(out: OutputWrapper, data: Any) -> None:
    """``--json``: the data as one JSON document on stdout."""
    out.write(json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2))


class ProgressBar:
    """A progress bar on stderr fed by a service's ``echo``; nothing when not a terminal."""

    def __init__(self, console: Console) -> None:
        self.shown = console.is_terminal
        self.progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"),
            TimeRemainingColumn(),
            console=console,
            transient=True,
        )
        self.task = self.progress.add_task("Working", total=None, rate="")

    def __enter__(self) -> Echo:
        if self.shown:
            self.progress.__enter__()
        return self.update

    def __exit__(self, *exc: object) -> None:
        if self.shown:
            self.progress.__exit__(*exc)  # type: ignore[arg-type]

    def update(self, phase: str, done: int, total: int) -> None:
        if not self.shown:
            return
        task = self.progress.tasks[0]
        elapsed = task.elapsed or 0
        rate = f"{done / elapsed:,.0f}/s" if elapsed > 0.2 and total > 50 else ""
        self.progress.update(
            self.task, description=phase, completed=done, total=max(total, done) or None, rate=rate
        )
