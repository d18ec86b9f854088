"""A Coffeechat instance for the backup tests, driven from a separate process.

``python -m tests.backups.source_instance seed FILE``: Alice (with one of every object,
as the privacy walk needs) and Bob; writes their ids and an API token to FILE.
``python -m tests.backups.source_instance write STOPFILE``: creates people for Alice
through the network's services, as the worker does during an import, until STOPFILE
exists; prints how many.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path


def seed(out: Path) -> None:
    from coffeechat.accounts.services import create_api_token
    from tests.factories import UserFactory, network_of

    alice = UserFactory(email="alice@example.com")
    bob = UserFactory(email="bob@example.com")
    objects = network_of(alice)
    objects["token"], _raw = create_api_token(alice, "alice's laptop")
    _token, raw = create_api_token(alice, "web writer")
    out.write_text(
        json.dumps(
            {
                "alice": alice.pk,
                "bob": bob.pk,
                "token": raw,
                "objects": {key: [obj._meta.label, obj.pk] for key, obj in objects.items()},
            }
        )
    )


def write(stop: Path) -> None:
    from coffeechat.accounts.models import User
    from coffeechat.network.services import create_person

    alice = User.objects.get(email="alice@example.com")
    count = 0
    while not stop.exists():
        create_person(alice, first_name=f"Worker{count}", last_name="Written")
        count += 1
        time.sleep(0.02)
    sys.stdout.write(f"{count}\n")


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coffeechat.settings")
    import django

    django.setup()
    command, argument = sys.argv[1], Path(sys.argv[2])
    {"seed": seed, "write": write}[command](argument)


if __name__ == "__main__":
    main()
