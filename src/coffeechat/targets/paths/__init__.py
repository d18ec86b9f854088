"""Warm paths: the warmest ways from the user to the people at an organization.

A *path* is a chain of at most three links from the user ("you") to a person who
works at the organization now or did before (or to one chosen person). The first
link is how *you* reach the first person: a tie of yours, an affiliation you share
(same school, former employer, association, community), someone who introduced you
to somebody, or simply a contact in your network. Every later link is a tie between
two people in your network.

Each link has a weight between 0 and 1; a path's warmth (0-100) is the product of
its links' weights, times a factor for the end person's job (current or former) and
one for its length. docs/warm-paths.md explains the numbers.

Loading: only what the search needs comes from the database, in a fixed number of
queries (``values_list``), whatever the size of the network: the people at the
organization, the ties one and two links away from them, and how the user reaches
those people. The search itself runs in memory.

The package, one module per seam: :mod:`.weights` (the numbers), :mod:`.model` (what a
path is made of), :mod:`.loader` (reading the slice of the network), :mod:`.search`
(the chains and the public ``paths_to_*`` functions), :mod:`.hiring` (who hires
there) and :mod:`.sentences` (the explanation sentence). Import from the package.
"""

from __future__ import annotations

from coffeechat.targets.paths.hiring import (
    HIRING_WORDS,
    NOT_HIRING_WORDS,
    HiringContact,
    hiring_authority,
    suggestion_hint,
)
from coffeechat.targets.paths.model import Job, Link, Path, PersonRef, Reason, warmth_word
from coffeechat.targets.paths.search import (
    WarmPaths,
    paths_to_organization,
    paths_to_organizations,
    paths_to_people,
    paths_to_person,
)
from coffeechat.targets.paths.sentences import describe_person, explain

__all__ = [
    "HIRING_WORDS",
    "NOT_HIRING_WORDS",
    "HiringContact",
    "Job",
    "Link",
    "Path",
    "PersonRef",
    "Reason",
    "WarmPaths",
    "describe_person",
    "explain",
    "hiring_authority",
    "paths_to_organization",
    "paths_to_organizations",
    "paths_to_people",
    "paths_to_person",
    "suggestion_hint",
    "warmth_word",
]
