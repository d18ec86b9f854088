"""Shared set-up for the import benchmarks: a throwaway data directory and an existing network."""

from __future__ import annotations

import os
import random
import resource
import sys
import tempfile
from pathlib import Path
from typing import Any

FIRST = [
    "Ana",
    "Ben",
    "Chloé",
    "Dana",
    "Eli",
    "Farah",
    "Gus",
    "Hana",
    "Ivan",
    "Jo",
    "Kim",
    "Lee",
    "Mara",
    "Nils",
    "Omar",
    "Pia",
    "Quinn",
    "Rosa",
    "Sam",
    "Tara",
    "Uma",
    "Vic",
    "Wen",
    "Xavi",
    "Yara",
    "Zoe",
    "Amir",
    "Bea",
    "Carl",
    "Dora",
    "Emil",
    "Fay",
    "Gil",
    "Hugo",
    "Iris",
    "Jon",
    "Kai",
]
LAST = [
    "Reyes",
    "Park",
    "Okafor",
    "Nguyen",
    "Müller",
    "Rossi",
    "Silva",
    "Kowalski",
    "Haddad",
    "Novak",
    "Berg",
    "Costa",
    "Ito",
    "Khan",
    "Larsen",
    "Moreau",
    "Ortiz",
    "Petrov",
    "Quist",
    "Rahman",
    "Sato",
    "Tanaka",
    "Ueda",
    "Varga",
    "Walsh",
    "Xu",
    "Young",
    "Zeller",
]
WORDS = [
    "North",
    "River",
    "Blue",
    "Apex",
    "Cedar",
    "Delta",
    "Ember",
    "Fjord",
    "Granite",
    "Harbor",
    "Iris",
    "Juniper",
    "Kite",
    "Lumen",
    "Maple",
    "Nova",
    "Orbit",
    "Pine",
    "Quartz",
    "Ridge",
    "Summit",
    "Tidal",
    "Umber",
    "Vista",
    "Willow",
    "Zenith",
]
KINDS = [
    "Labs",
    "Systems",
    "Health",
    "Analytics",
    "Foods",
    "Energy",
    "Logistics",
    "Studio",
    "Bank",
    "Robotics",
]
SUFFIXES = ["", " Inc.", ", Inc.", " LLC", " Ltd", " GmbH"]
TITLES = [
    "Software Engineer",
    "Data Scientist",
    "Product Manager",
    "Engineering Manager",
    "Director of Operations",
    "Technical Recruiter",
    "HR Business Partner",
    "VP Marketing",
    "Analyst, Risk & Compliance",
    "Designer",
]


def setup_django() -> Path:
    data_dir = Path(tempfile.mkdtemp(prefix="coffeechat-bench-"))
    os.environ["COFFEECHAT_DATA_DIR"] = str(data_dir)
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coffeechat.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return data_dir


def organization_names(count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    names = set()
    while len(names) < count:
        names.add(f"{rng.choice(WORDS)} {rng.choice(WORDS)} {rng.choice(KINDS)}")
    return sorted(names)


def build_network(owner: Any, people: int, seed: int = 11) -> None:
    """An existing network of ``people`` with a job and an e-mail each."""
    from django.db import transaction

    from coffeechat.network.models import EmailAddress, Employment, Organization, Person, Tie
    from coffeechat.network.normalize import organization_key

    rng = random.Random(seed)
    with transaction.atomic():
        orgs = Organization.objects.bulk_create(
            Organization(owner=owner, name=name, name_key=organization_key(name))
            for name in organization_names(1000, seed)
        )
        persons = Person.objects.bulk_create(
            Person(owner=owner, first_name=rng.choice(FIRST), last_name=f"{rng.choice(LAST)}{i}")
            for i in range(people)
        )
        Employment.objects.bulk_create(
            Employment(owner=owner, person=p, organization=rng.choice(orgs), title="Engineer")
            for p in persons
        )
        EmailAddress.objects.bulk_create(
            EmailAddress(owner=owner, person=p, email=f"existing{p.pk}@example.org")
            for p in persons
        )
        Tie.objects.bulk_create(Tie(owner=owner, to_person=p, kind="friend") for p in persons)


def peak_rss_mb() -> float:
    """The process's peak resident memory so far (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _status_mb(field: str) -> float:
    with Path("/proc/self/status").open() as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def reset_peak_rss() -> float:
    """Start measuring the peak afresh (Linux); returns the resident memory now, in MB."""
    try:
        with Path("/proc/self/clear_refs").open("w") as refs:
            refs.write("5")
    except OSError:
        pass
    return _status_mb("VmRSS")


def peak_since_reset_mb() -> float:
    return _status_mb("VmHWM")
