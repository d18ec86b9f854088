"""What the terminal commands share: a rich console on the command's stdout."""

from __future__ import annotations

from typing import Any, TextIO, cast

from django.core.management.base import OutputWrapper
from rich.console import Console


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


def command_console(out: OutputWrapper, options: dict[str, Any]) -> Console:
    return Console(
        file=cast(TextIO, _Stream(out)),
        no_color=bool(options.get("no_color")),
        force_terminal=True if options.get("force_color") else None,
        highlight=False,
    )
