"""The network map: you, your ties, your target organizations and the paths between.

Laid out on the server as concentric rings, so the picture is drawn as plain SVG
(it shows without JavaScript, and prints): you in the centre; your other ties on an
inner ring; the people on warm paths on rings one, two and three links out; target
organizations on the outer ring, each in its own sector with its paths. The static
file ``coffeechat/map.js`` adds zoom, pan and highlighting without reloading.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from coffeechat.accounts.models import MyAffiliation
from coffeechat.core.reversing import reverse_ids
from coffeechat.core.scoping import owned
from coffeechat.network.models import Tie
from coffeechat.targets.models import Target, TargetStatus
from coffeechat.targets.paths import Path, paths_to_organizations

PATHS_PER_TARGET = 5
MAX_OTHER_TIES = 300
MAX_TARGETS = 40


def svg_number(value: float) -> str:
    """``value`` to one decimal, as ``|floatformat:1`` writes it (half up, never
    ``-0.0``) but always with a point: the drawing has hundreds of them, and the filter
    costs a template lookup and a locale each time."""
    text = str(Decimal(repr(value)).quantize(Decimal("0.1"), ROUND_HALF_UP))
    return "0.0" if text == "-0.0" else text


@dataclass
class MapNode:
    id: str
    label: str
    kind: str  # me, person, organization
    x: float = 0.0
    y: float = 0.0
    url: str = ""
    title: str = ""
    on_path: bool = False
    ring: int = 0
    paths: list[str] = field(default_factory=list)
    scale: float = 1.0  # drawings of big networks get bigger nodes and labels

    @property
    def radius(self) -> float:
        base = {"me": 14, "organization": 12}.get(self.kind, 7 if self.on_path else 4)
        return round(base * self.scale, 1)

    @property
    def label_x(self) -> float:
        return self.x + self.radius + 3

    @property
    def label_y(self) -> float:
        return self.y + 5 * self.scale

    @property
    def path_list(self) -> str:
        return " ".join(self.paths)

    @property
    def svg(self) -> dict[str, str]:
        """The circle's and the label's numbers, written once for the drawing."""
        return {
            "cx": svg_number(self.x),
            "cy": svg_number(self.y),
            "r": svg_number(self.radius),
            "label_x": svg_number(self.label_x),
            "label_y": svg_number(self.label_y),
        }


@dataclass
class MapEdge:
    id: str
    source: MapNode
    target: MapNode
    kind: str  # tie, affiliation, introducer, contact, coworker, works
    strength: int = 0
    paths: list[str] = field(default_factory=list)

    @property
    def path_list(self) -> str:
        return " ".join(self.paths)

    @property
    def svg(self) -> dict[str, str]:
        """The line's ends, written once for the drawing."""
        return {
            "x1": svg_number(self.source.x),
            "y1": svg_number(self.source.y),
            "x2": svg_number(self.target.x),
            "y2": svg_number(self.target.y),
        }


@dataclass
class MapPath:
    id: str
    target_id: int
    organization: str
    score: int
    explanation: str
    route: str
    nodes: list[str]
    edges: list[str]
    chosen: bool  # the warmest path into its organization


@dataclass
class NetworkMap:
    nodes: list[MapNode]
    edges: list[MapEdge]
    paths: list[MapPath]
    targets: list[tuple[int, str]]
    affiliations: list[tuple[int, str]]
    selected_target: int | None
    selected_affiliation: int | None
    min_strength: int
    highlighted: str
    view_box: str
    rings: list[float]
    other_ties: int
    label_size: int = 15

    @property
    def people_count(self) -> int:
        return sum(1 for node in self.nodes if node.kind == "person")

    def data(self) -> dict[str, Any]:
        """What map.js needs beyond the SVG: the paths, to highlight them and explain them."""
        return {
            "paths": {
                path.id: {
                    "nodes": path.nodes,
                    "edges": path.edges,
                    "explanation": path.explanation,
                    "organization": path.organization,
                    "score": path.score,
                }
                for path in self.paths
            },
            "nodes": {node.id: {"label": node.label, "url": node.url} for node in self.nodes},
        }


def _int(params: Mapping[str, Any], name: str) -> int | None:
    raw = str(params.get(name, "") or "")
    return int(raw) if raw.isdigit() and len(raw) < 18 else None


def _path_allowed(path: Path, min_strength: int, affiliation: str | None) -> bool:
    for link in path.links:
        if link.reason.kind == "tie" and link.reason.strength < min_strength:
            return False
    if affiliation is not None:
        first = path.links[0]
        reasons = (first.reason, *first.other_reasons)
        return any(r.kind == "affiliation" and r.affiliation == affiliation for r in reasons)
    return True


def build_map(owner: Any, params: Mapping[str, Any]) -> NetworkMap:
    selected_target = _int(params, "target")
    selected_affiliation = _int(params, "affiliation")
    min_strength = max(1, min(5, _int(params, "strength") or 1))
    highlighted = str(params.get("path", ""))[:40]

    targets = list(
        owned(Target, owner)
        .exclude(status=TargetStatus.NOT_A_FIT)
        .select_related("organization")
        .order_by("organization__name", "pk")[: MAX_TARGETS * 5]
    )
    options = [(t.pk, t.organization.name) for t in targets]
    if selected_target is not None:
        targets = [t for t in targets if t.pk == selected_target]
    targets = targets[:MAX_TARGETS]
    affiliations = list(
        owned(MyAffiliation, owner)
        .select_related("affiliation")
        .values_list("affiliation_id", "affiliation__name")
    )
    affiliation_name = dict(affiliations).get(selected_affiliation or 0)
    if affiliation_name is None:
        selected_affiliation = None

    warm = paths_to_organizations(owner, [t.organization_id for t in targets], per_person=1)

    me = MapNode("me", "You", "me", title="You")
    nodes: dict[str, MapNode] = {"me": me}
    edges: dict[str, MapEdge] = {}
    map_paths: list[MapPath] = []

    def person_node(person_id: int, name: str, ring: int) -> MapNode:
        key = f"p{person_id}"
        node = nodes.get(key)
        if node is None:
            node = nodes[key] = MapNode(
                key,
                name,
                "person",
                url=reverse_ids("network:person-detail", kwargs={"person_id": person_id}),
                title=name,
                ring=ring,
            )
        node.ring = min(node.ring, ring) if node.on_path else ring
        node.on_path = True
        return node

    def edge(a: MapNode, b: MapNode, kind: str, strength: int = 0) -> MapEdge:
        key = f"e-{a.id}-{b.id}"
        found = edges.get(key) or edges.get(f"e-{b.id}-{a.id}")
        if found is None:
            found = edges[key] = MapEdge(key, a, b, kind, strength)
        return found

    # Paths, target by target: their nodes are placed in the target's sector.
    sectors: list[tuple[MapNode, list[MapPath]]] = []
    for target in targets:
        org = target.organization
        org_node = nodes[f"o{org.pk}"] = MapNode(
            f"o{org.pk}",
            org.name,
            "organization",
            url=reverse_ids("targets:target-detail", kwargs={"target_id": target.pk}),
            title=org.name,
            on_path=True,
        )
        chosen = [
            p
            for p in warm[org.pk].ranked(limit=None, per_person=1)
            if _path_allowed(p, min_strength, affiliation_name)
        ][:PATHS_PER_TARGET]
        sector_paths = []
        for index, path in enumerate(chosen):
            path_id = f"t{target.pk}-{index + 1}"
            chain = [me]
            for hop, link in enumerate(path.links, start=1):
                chain.append(person_node(link.person.id, link.person.name, hop))
            chain.append(org_node)
            path_edges = []
            for hop, (a, b) in enumerate(zip(chain, chain[1:], strict=False)):
                if b.kind == "organization":
                    kind, strength = "works", 0
                else:
                    link = path.links[hop]
                    kind, strength = link.reason.kind, link.reason.strength
                e = edge(a, b, kind, strength)
                e.paths.append(path_id)
                path_edges.append(e.id)
            for node in chain:
                node.paths.append(path_id)
            route = " → ".join(["you", *(p.name for p in path.people), org.name])
            sector_paths.append(
                MapPath(
                    path_id,
                    target.pk,
                    org.name,
                    path.score,
                    path.explain(),
                    route,
                    [n.id for n in chain],
                    path_edges,
                    index == 0,
                )
            )
        map_paths.extend(sector_paths)
        sectors.append((org_node, sector_paths))

    # Your other ties: an inner ring, strongest first.
    ties = owned(Tie, owner).filter(from_person__isnull=True, strength__gte=min_strength)
    if selected_affiliation is not None:
        ties = ties.filter(to_person__memberships__affiliation_id=selected_affiliation)
    others: list[MapNode] = []
    for person_id, first, last, kind, strength in ties.order_by("-strength", "pk").values_list(
        "to_person_id", "to_person__first_name", "to_person__last_name", "kind", "strength"
    )[: MAX_OTHER_TIES + len(nodes)]:
        key = f"p{person_id}"
        if key in nodes:
            if nodes[key].ring == 1:
                edge(me, nodes[key], "tie", strength)
            continue
        if len(others) >= MAX_OTHER_TIES:
            break
        name = f"{first} {last}".strip()
        node = nodes[key] = MapNode(
            key,
            name,
            "person",
            url=reverse_ids("network:person-detail", kwargs={"person_id": person_id}),
            title=f"{name} · {kind}, {strength}/5",
        )
        others.append(node)
        edge(me, node, "tie", strength)

    rings = _layout(me, others, sectors, nodes)
    if highlighted and not any(p.id == highlighted for p in map_paths):
        highlighted = ""
    scale = max(1.0, rings[-1] / 350)
    for node in nodes.values():
        node.scale = scale
    label_size = round(14 * scale)
    # The drawing's bounding box: every node, and the labels to the right of them.
    left = min(node.x - node.radius for node in nodes.values()) - 10
    right = max(
        node.x + node.radius + 4 + 0.62 * label_size * len(node.label)
        if node.on_path or node.kind != "person"
        else node.x + node.radius
        for node in nodes.values()
    )
    top = min(node.y for node in nodes.values()) - label_size - 10
    bottom = max(node.y for node in nodes.values()) + label_size + 10
    return NetworkMap(
        list(nodes.values()),
        list(edges.values()),
        map_paths,
        options,
        [(pk, name) for pk, name in affiliations],
        selected_target,
        selected_affiliation,
        min_strength,
        highlighted,
        f"{left:.0f} {top:.0f} {right - left + 10:.0f} {bottom - top:.0f}",
        rings,
        len(others),
        label_size,
    )


def _layout(
    me: MapNode,
    others: list[MapNode],
    sectors: list[tuple[MapNode, list[MapPath]]],
    nodes: dict[str, MapNode],
) -> list[float]:
    """Place every node; return the radii of the rings (inner, 1, 2, 3, organizations)."""
    inner = max(110.0, len(others) * 10 / (2 * math.pi))
    slots = max(1, sum(max(1, len(paths)) for _org, paths in sectors))
    ring_step = max(110.0, slots * 16 / (2 * math.pi) - inner)
    radii = [inner, inner + ring_step, inner + 2 * ring_step, inner + 3 * ring_step]
    outer = inner + 4 * ring_step
    me.x = me.y = 0.0
    for index, node in enumerate(others):
        angle = 2 * math.pi * index / max(1, len(others)) - math.pi / 2
        node.x, node.y = inner * math.cos(angle), inner * math.sin(angle)
    placed: set[str] = set()
    slot = 0
    for org, paths in sectors:
        width = max(1, len(paths))
        middle = 2 * math.pi * (slot + width / 2) / slots - math.pi / 2
        org.x, org.y = outer * math.cos(middle), outer * math.sin(middle)
        for index, path in enumerate(paths):
            angle = 2 * math.pi * (slot + index + 0.5) / slots - math.pi / 2
            for node_id in path.nodes[1:-1]:
                if node_id in placed:
                    continue
                node = nodes[node_id]
                radius = radii[min(node.ring, 3)] if node.ring else radii[1]
                node.x, node.y = radius * math.cos(angle), radius * math.sin(angle)
                placed.add(node_id)
        slot += width
    return [inner, *radii[1:], outer]
