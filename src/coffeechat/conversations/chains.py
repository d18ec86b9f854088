"""Referral chains: who passed me to whom, and how far a chain got into an organization.

A *link* is "X referred me to Y": a :class:`Referral` from a conversation, or a tie of
mine of kind "referred" or "introduced" with X as its introducer. Everything is read
in a fixed number of queries (``values_list``) and walked in memory.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from coffeechat.conversations.models import Conversation, Participant, Referral, Status
from coffeechat.core.scoping import owned
from coffeechat.network.models import Employment, Organization, Person, Tie, TieKind

MAX_DEPTH = 20


@dataclass(slots=True)
class Links:
    referrer_of: dict[int, int]  # person → who referred me to them (first known)
    referred: dict[int, list[int]]  # person → whom they referred me to


def load_links(owner: Any) -> Links:
    referrer_of: dict[int, int] = {}
    referred: dict[int, list[int]] = defaultdict(list)
    rows = list(
        owned(Referral, owner).order_by("pk").values_list("referred_by_id", "person_id")
    ) + list(
        owned(Tie, owner)
        .filter(
            from_person__isnull=True,
            kind__in=[TieKind.REFERRED, TieKind.INTRODUCED],
            introduced_by__isnull=False,
        )
        .order_by("pk")
        .values_list("introduced_by_id", "to_person_id")
    )
    for giver, person in rows:
        if giver == person:
            continue
        if person not in referrer_of:
            referrer_of[person] = giver
        if person not in referred[giver]:
            referred[giver].append(person)
    return Links(referrer_of, dict(referred))


def _back(links: Links, person_id: int) -> list[int]:
    """``person_id``'s referrers, nearest first, up to the first contact (no cycles)."""
    chain: list[int] = []
    seen = {person_id}
    current = person_id
    while current in links.referrer_of and len(chain) < MAX_DEPTH:
        current = links.referrer_of[current]
        if current in seen:
            break
        seen.add(current)
        chain.append(current)
    return chain


@dataclass(slots=True)
class ChainNode:
    person_id: int
    name: str = ""
    depth: int = 0
    hires: bool = False
    talked: bool = False  # a conversation with them was held
    scheduled: bool = False  # only scheduled so far
    children: list[ChainNode] = field(default_factory=list)


@dataclass(slots=True)
class PersonChain:
    """From my first contact down to the person, and the people they passed me to."""

    back: list[ChainNode]  # the first contact first, ending with the person's referrer
    person: ChainNode
    forward: list[ChainNode]  # a tree

    @property
    def depth(self) -> int:
        """Links from you: your first contact is 1, whom they passed you to is 2…"""
        return self.person.depth


def _names(owner: Any, ids: set[int]) -> dict[int, str]:
    return {
        pk: f"{first} {last}".strip()
        for pk, first, last in owned(Person, owner)
        .filter(pk__in=ids)
        .values_list("pk", "first_name", "last_name")
    }


def _talked(owner: Any, ids: set[int]) -> tuple[set[int], set[int]]:
    """Of ``ids``, whom I talked with (a conversation held) and whom I am only scheduled
    to talk with."""
    rows = (
        Participant.objects.filter(owner=owner, person_id__in=ids)
        .filter(conversation__status__in=[Status.HELD, Status.SCHEDULED])
        .values_list("person_id", "conversation__status")
    )
    held = {pk for pk, status in rows if status == Status.HELD}
    return held, {pk for pk, status in rows if status == Status.SCHEDULED} - held


def person_chain(owner: Any, person: Person) -> PersonChain:
    """Who referred whom: back to my first contact, and forward from ``person``."""
    links = load_links(owner)
    back_ids = list(reversed(_back(links, person.pk)))
    forward_ids: set[int] = set()

    def grow(node: ChainNode, seen: set[int]) -> None:
        if node.depth - len(back_ids) > MAX_DEPTH:
            return
        for child in links.referred.get(node.person_id, []):
            if child in seen:
                continue
            forward_ids.add(child)
            child_node = ChainNode(child, depth=node.depth + 1)
            node.children.append(child_node)
            grow(child_node, seen | {child})

    root = ChainNode(person.pk, person.full_name, depth=len(back_ids) + 1)
    grow(root, {person.pk, *back_ids})
    everyone = {*back_ids, *forward_ids, person.pk}
    names = _names(owner, everyone)
    talked, scheduled = _talked(owner, everyone)

    def fill(node: ChainNode) -> None:
        node.name = names.get(node.person_id, "")
        node.talked = node.person_id in talked
        node.scheduled = node.person_id in scheduled
        for child in node.children:
            fill(child)

    fill(root)
    back = [
        ChainNode(
            pk, names.get(pk, ""), depth=index, talked=pk in talked, scheduled=pk in scheduled
        )
        for index, pk in enumerate(back_ids, start=1)
    ]
    return PersonChain(back, root, root.children)


@dataclass(slots=True)
class OrganizationTree:
    """The conversations toward an organization's hiring authority, as a tree."""

    roots: list[ChainNode]
    depth: int  # the longest chain, in links from you (your first contact is 1)
    hiring_reached: list[ChainNode]  # people with hiring authority I talked with
    hiring_known: list[str]  # people with hiring authority there (talked or not)

    @property
    def next_step(self) -> str:
        if self.hiring_reached:
            node = self.hiring_reached[0]
            return (
                f"You reached {node.name}, who hires there, "
                f"{node.depth} link{'s' if node.depth != 1 else ''} from you."
            )
        if self.hiring_known:
            return (
                "Not yet talked with anyone who hires there. Known: "
                f"{', '.join(self.hiring_known)}; ask your contacts there for an introduction."
            )
        if self.roots:
            return "Ask the people you talked with who leads the team you want to join."
        return "No conversation here yet."


def organization_tree(owner: Any, organization: Organization) -> OrganizationTree:
    """People I talked (or will talk) with about ``organization``, linked by referrals.

    Each chain is followed back to my first contact (who may work elsewhere); a node's
    depth counts the links from me (my first contact is 1), and ``talked`` means a
    conversation with them was held (``scheduled``: only planned).
    """
    talked_here = set(
        Participant.objects.filter(owner=owner)
        .filter(
            Q(conversation__organization=organization)
            | Q(
                person__employments__organization=organization, person__employments__is_current=True
            )
        )
        .exclude(conversation__status=Status.CANCELLED)
        .values_list("person_id", flat=True)
    )
    hiring = set(
        owned(Employment, owner)
        .filter(organization=organization, is_current=True, has_hiring_authority=True)
        .values_list("person_id", flat=True)
    )
    links = load_links(owner)
    nodes: dict[int, ChainNode] = {}
    roots: list[ChainNode] = []
    everyone: set[int] = talked_here | hiring
    chains = {pk: list(reversed(_back(links, pk))) for pk in talked_here}
    for chain in chains.values():
        everyone.update(chain)
    names = _names(owner, everyone)
    talked, scheduled = _talked(owner, everyone)
    for pk in sorted(talked_here, key=lambda p: (len(chains[p]), p)):
        path = [*chains[pk], pk]
        parent: ChainNode | None = None
        for depth, person_id in enumerate(path, start=1):
            node = nodes.get(person_id)
            if node is None:
                node = ChainNode(
                    person_id,
                    names.get(person_id, ""),
                    depth=depth,
                    hires=person_id in hiring,
                    talked=person_id in talked,
                    scheduled=person_id in scheduled,
                )
                nodes[person_id] = node
                if parent is None:
                    roots.append(node)
                else:
                    parent.children.append(node)
            parent = node
    reached = sorted((n for n in nodes.values() if n.hires and n.talked), key=lambda n: n.depth)
    hiring_names = [names.get(pk, "") for pk in hiring]
    return OrganizationTree(
        roots=roots,
        depth=max((n.depth for n in nodes.values()), default=0),
        hiring_reached=reached,
        hiring_known=sorted(n for n in hiring_names if n),
    )


def introducers(owner: Any, person_ids: Sequence[int]) -> dict[int, list[int]]:
    """For each of ``person_ids``, who passed me on toward them, nearest first: for
    you → Rosa → Marco → Lena, Lena's are [Marco, Rosa]. Two queries."""
    links = load_links(owner)
    return {pk: _back(links, pk) for pk in person_ids}


def conversation_organizations(owner: Any) -> list[Organization]:
    """Organizations that have conversations, for the chains page."""
    ids = (
        owned(Conversation, owner)
        .exclude(organization__isnull=True)
        .values_list("organization_id", flat=True)
        .distinct()
    )
    return list(owned(Organization, owner).filter(pk__in=ids).order_by("name"))
