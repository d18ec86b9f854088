"""``coffeechat paths "Organization" --user EMAIL``: the warmest ways into an organization."""

from __future__ import annotations

from typing import Any, TextIO, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper
from rapidfuzz import process
from rich.console import Console
from rich.table import Table

from coffeechat.accounts.models import User
from coffeechat.core.console import print_json
from coffeechat.core.scoping import owned
from coffeechat.network.models import Organization
from coffeechat.network.normalize import organization_key
from coffeechat.targets.paths import hiring_authority, paths_to_organization


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


class Command(BaseCommand):
    help = (
        "Print the warmest paths from you to the people at an organization, best first, "
        "each with its warmth (0-100) and a one-line explanation, then who hires there "
        "and how many hops away they are."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "organization", help="The organization's name (case and “Inc.” do not matter)."
        )
        parser.add_argument(
            "--user", required=True, help="E-mail address of the account whose network to use."
        )
        parser.add_argument(
            "--limit", type=int, default=10, help="How many paths to print (default 10)."
        )
        parser.add_argument("--json", action="store_true", help="Print the paths as JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        limit: int = options["limit"]
        if limit < 1:
            raise CommandError("--limit must be at least 1.")
        user = User.objects.filter(email__iexact=str(options["user"]).strip()).first()
        if user is None:
            raise CommandError(f"There is no account {options['user']}.")
        name = str(options["organization"])
        organization = self._organization(user, name)
        console = Console(
            file=cast(TextIO, _Stream(self.stdout)),
            no_color=bool(options.get("no_color")),
            force_terminal=True if options.get("force_color") else None,
            highlight=False,
            width=120 if not self.stdout.isatty() else None,
        )
        warm = paths_to_organization(user, organization)
        paths = warm.ranked(limit=limit)
        if options["json"]:
            print_json(self.stdout, self._data(organization, warm, paths))
            return
        people = "person" if warm.reached == 1 else "people"
        console.print(
            f"[bold]{organization.name}[/]: {warm.reached} {people} reachable, "
            f"advocacy {warm.advocacy}/100",
            soft_wrap=True,
        )
        if not paths:
            console.print(
                "No path yet: add the people you know there, your schools and groups "
                "(profile), and who knows whom."
            )
            return
        table = Table(show_lines=False, box=None, pad_edge=False)  # plain text already
        table.add_column("#", justify="right")
        table.add_column("Warmth", justify="right")
        table.add_column("Path")
        for index, path in enumerate(paths, start=1):
            route = " → ".join(["you", *(p.name for p in path.people)])
            table.add_row(str(index), str(path.score), f"[bold]{route}[/]\n{path.explain()}")
        console.print(table)
        hiring = hiring_authority(warm)
        if hiring:
            console.print()
            console.print("[bold]Hiring authority[/]")
            for contact in hiring[:5]:
                kind = "hires" if contact.flagged else f"may hire ({contact.hint})"
                title = contact.job.title or contact.job.department
                hops = (
                    f"{contact.hops} hop{'s' if contact.hops != 1 else ''}: {contact.route}"
                    if contact.hops
                    else "no known way yet"
                )
                console.print(
                    f"  {contact.person.name}, {title} — {kind}; {hops}",
                    soft_wrap=True,
                    markup=False,
                )

    def _data(self, organization: Organization, warm: Any, paths: list[Any]) -> dict[str, Any]:
        return {
            "organization": {"id": organization.pk, "name": organization.name},
            "reached": warm.reached,
            "advocacy": warm.advocacy,
            "paths": [
                {
                    "warmth": path.score,
                    "people": [{"id": p.id, "name": p.name} for p in path.people],
                    "explanation": path.explain(),
                }
                for path in paths
            ],
            "hiring": [
                {
                    "person": {"id": c.person.id, "name": c.person.name},
                    "title": c.job.title or c.job.department,
                    "hires": c.flagged,
                    "hint": c.hint,
                    "hops": c.hops,
                    "route": c.route,
                }
                for c in hiring_authority(warm)[:5]
            ],
        }

    def _organization(self, user: User, name: str) -> Organization:
        key = organization_key(name)
        found = owned(Organization, user).filter(name_key=key).order_by("pk").first()
        if found is not None:
            return found
        names = list(owned(Organization, user).values_list("name", flat=True))
        close = [match for match, score, _i in process.extract(name, names, limit=3) if score > 60]
        hint = f" Did you mean: {', '.join(close)}?" if close else ""
        raise CommandError(f"No organization named {name!r} in {user.email}'s network.{hint}")
