"""What the organization and person pages of the network show about targets and paths.

The person and organization pages (coffeechat.pages) add these to their context; each
runs a fixed number of queries.
"""

from __future__ import annotations

from typing import Any

from coffeechat.core.scoping import owned
from coffeechat.network.models import Organization, Person
from coffeechat.targets.models import Application, Posting, Target
from coffeechat.targets.paths import hiring_authority, paths_to_organization, paths_to_person

PANEL_PATHS = 5


def organization_panel(owner: Any, organization: Organization) -> dict[str, Any]:
    warm = paths_to_organization(owner, organization)
    return {
        "target": owned(Target, owner).filter(organization=organization).first(),
        "warm_paths": warm.ranked(limit=PANEL_PATHS, per_person=1),
        "warm_reached": warm.reached,
        "hiring": hiring_authority(warm)[:PANEL_PATHS],
        "postings": list(
            owned(Posting, owner).filter(organization=organization).select_related("contact")
        ),
        "applications": list(owned(Application, owner).filter(organization=organization)),
    }


def person_panel(owner: Any, person: Person) -> dict[str, Any]:
    warm = paths_to_person(owner, person, per_person=3)
    return {
        "warm_paths": warm.ranked(limit=3, per_person=3),
        "listed_postings": list(
            owned(Posting, owner).filter(contact=person).select_related("organization", "contact")
        ),
        "referred_applications": list(
            owned(Application, owner).filter(referred_by=person).select_related("organization")
        ),
    }
