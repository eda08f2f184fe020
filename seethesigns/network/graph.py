"""The network of children, people, places and vehicles, laid out on the server as SVG.

Each connected group is laid out on its own by a force-directed layout (Fruchterman and
Reingold, 1991) from a fixed seed, so the same data always draws the same picture; the groups
are then packed in rows, biggest first. A group with two or more children is a cluster and is
highlighted: that is where children share a person, a place or a vehicle.
"""

import math
import random
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q
from django.urls import reverse

from seethesigns import references
from seethesigns.children.models import Child
from seethesigns.children.policies import ChildPolicy
from seethesigns.network.models import Entity, Link, Match
from seethesigns.network.policies import EntityPolicy

MAX_NODES = 160
MAX_LINKS = 20_000  # the most recent links in the dates chosen; the page says when it stops
WIDTH = 960
# Each kind has its own shape as well as its own colour, so colour is never the only clue.
SHAPES: dict[str, tuple[str, list[tuple[float, float]]]] = {
    "child": (
        "#14505c",
        [(math.cos(a * math.pi / 8) * 9, math.sin(a * math.pi / 8) * 9) for a in range(16)],
    ),
    "person": ("#b3261e", [(-8, -8), (8, -8), (8, 8), (-8, 8)]),
    "place": ("#6b4a00", [(0, -11), (11, 0), (0, 11), (-11, 0)]),
    "vehicle": ("#3d2a5c", [(-12, -6), (12, -6), (12, 6), (-12, 6)]),
    "phone": ("#1d5a2c", [(0, -10), (10, 8), (-10, 8)]),
    "handle": ("#1d5a2c", [(0, 10), (10, -8), (-10, -8)]),
    "group": (
        "#4a525c",
        [(math.cos(a * math.pi / 3) * 10, math.sin(a * math.pi / 3) * 10) for a in range(6)],
    ),
}
KEY = [
    ("child", "Child (by reference)"),
    ("person", "Person"),
    ("place", "Place"),
    ("vehicle", "Vehicle"),
    ("phone", "Phone number"),
    ("handle", "Online handle"),
    ("group", "Peer group"),
]


@dataclass
class Node:
    key: str
    kind: str
    label: str
    url: str = ""
    x: float = 0.0
    y: float = 0.0

    @property
    def colour(self) -> str:
        return SHAPES[self.kind][0]

    @property
    def label_at(self) -> tuple[float, float]:
        return round(self.x + 14, 1), round(self.y + 4, 1)

    @property
    def points(self) -> str:
        return " ".join(f"{self.x + dx:.1f},{self.y + dy:.1f}" for dx, dy in SHAPES[self.kind][1])


@dataclass
class Group:
    nodes: list[Node]
    edges: list[tuple[str, str, bool]]  # (from, to, is a match)
    children: int
    x: float = 0.0
    y: float = 0.0
    width: float = 0.0
    height: float = 0.0
    number: int = 0

    @property
    def title_at(self) -> tuple[float, float]:
        return round(self.x + 8, 1), round(self.y + 16, 1)


def build(
    user: Any,
    *,
    since: date | None = None,
    until: date | None = None,
    children: Collection[int] | None = None,
    records: Collection[int] | None = None,
) -> dict[str, Any]:
    """The whole network; or, given children and records (a MACE meeting's list), only the
    links touching them, records the reader may open, children as reference and initials."""
    links = Link.objects.all()
    cluster = children is not None or records is not None
    if cluster:
        on_list = Q(child_id__in=children or []) | Q(entity_id__in=records or [])
        readable = EntityPolicy(user).visible()
        links = links.filter(on_list | Q(other_id__in=records or [])).filter(
            Q(entity__in=readable), Q(other__isnull=True) | Q(other__in=readable)
        )
    if since:
        links = links.filter(linked_on__gte=since)
    if until:
        links = links.filter(linked_on__lte=until)
    rows = list(
        links.order_by("-linked_on", "-pk").values_list("entity_id", "child_id", "other_id")[
            : MAX_LINKS + 1
        ]
    )
    cut = len(rows) > MAX_LINKS
    rows = rows[:MAX_LINKS]
    entity_ids = {e for e, _, _ in rows} | {o for _, _, o in rows if o}
    matches = list(
        Match.objects.filter(Q(entity_id__in=entity_ids) & Q(other_id__in=entity_ids)).values_list(
            "entity_id", "other_id"
        )
    )
    edges = [(f"e{e}", f"c{c}" if c else f"e{o}", False) for e, c, o in rows]
    edges += [(f"e{a}", f"e{b}", True) for a, b in matches]
    groups = _components(edges)
    nodes = _nodes(user, {k for g in groups for k in g}, entity_ids, initials=cluster)
    drawn: list[Group] = []
    for keys in sorted(groups, key=lambda g: (-sum(k[0] == "c" for k in g), -len(g), min(g))):
        if sum(len(g.nodes) for g in drawn) + len(keys) > MAX_NODES:
            break
        group_edges = sorted({e for e in edges if e[0] in keys})
        members = [nodes[k] for k in sorted(keys)]
        drawn.append(
            Group(
                nodes=members,
                edges=group_edges,
                children=len([n for n in members if n.kind == "child"]),
            )
        )
    height = _pack(drawn)
    clusters = [g for g in drawn if g.children >= 2]
    for number, group in enumerate(clusters, start=1):
        group.number = number
    by_key = {n.key: n for g in drawn for n in g.nodes}
    lines = [{"a": by_key[a], "b": by_key[b], "match": m} for g in drawn for a, b, m in g.edges]
    return {
        "groups": drawn,
        "clusters": clusters,
        "lines": lines,
        "width": WIDTH,
        "height": max(height, 120),
        "shown": len(by_key),
        "total": len(nodes),
        "cut": cut,
        "key": [Node("", kind, label, x=14, y=14) for kind, label in KEY],
    }


def _components(edges: list[tuple[str, str, bool]]) -> list[set[str]]:
    parent: dict[str, str] = {}

    def root(key: str) -> str:
        parent.setdefault(key, key)
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for a, b, _ in edges:
        parent[root(a)] = root(b)
    found: dict[str, set[str]] = {}
    for key in list(parent):
        found.setdefault(root(key), set()).add(key)
    return list(found.values())


def _nodes(
    user: Any, keys: set[str], entity_ids: set[int], *, initials: bool = False
) -> dict[str, Node]:
    child_ids = {int(k[1:]) for k in keys if k[0] == "c"}
    openable = set(
        ChildPolicy(user).visible().filter(pk__in=child_ids).values_list("pk", flat=True)
    )
    labels = {pk: references.encode("C", pk) for pk in child_ids}
    if initials:  # a MACE pack names children by reference and initials, never a first name
        for child in Child.objects.filter(pk__in=child_ids).only("pk", "first_name", "last_name"):
            labels[child.pk] = f"{child.reference} ({child.initials})"
    nodes = {}
    for pk in child_ids:
        url = reverse("pro:cases:child", args=[pk]) if pk in openable else ""
        # Children appear by their pseudonym only: the network is for seeing patterns.
        nodes[f"c{pk}"] = Node(f"c{pk}", "child", labels[pk], url)
    visible = set(
        EntityPolicy(user).visible().filter(pk__in=entity_ids).values_list("pk", flat=True)
    )
    for entity in Entity.objects.filter(pk__in=entity_ids).only("pk", "kind", "label"):
        url = reverse("pro:links:record", args=[entity.pk]) if entity.pk in visible else ""
        nodes[f"e{entity.pk}"] = Node(f"e{entity.pk}", entity.kind, entity.label[:28], url)
    return nodes


def _layout(group: Group) -> None:
    """Fruchterman-Reingold in a square sized to the group, starting from a circle."""
    count = len(group.nodes)
    side = 90 + 75 * math.sqrt(count)
    rng = random.Random(count * 7919 + len(group.edges))  # noqa: S311  (a layout, not a secret)  # nosec B311
    for i, node in enumerate(group.nodes):
        angle = 2 * math.pi * i / count + rng.uniform(-0.2, 0.2)
        node.x = side / 2 + math.cos(angle) * side / 3
        node.y = side / 2 + math.sin(angle) * side / 3
    if count > 1:
        k = 0.9 * side / math.sqrt(count)
        index = {n.key: n for n in group.nodes}
        heat = side / 6
        for _ in range(150):
            shift = {n.key: [0.0, 0.0] for n in group.nodes}
            for i, a in enumerate(group.nodes):
                for b in group.nodes[i + 1 :]:
                    dx, dy = a.x - b.x, a.y - b.y
                    d = max(math.hypot(dx, dy), 0.01)
                    push = k * k / d
                    shift[a.key][0] += dx / d * push
                    shift[a.key][1] += dy / d * push
                    shift[b.key][0] -= dx / d * push
                    shift[b.key][1] -= dy / d * push
            for ka, kb, _ in group.edges:
                a, b = index[ka], index[kb]
                dx, dy = a.x - b.x, a.y - b.y
                d = max(math.hypot(dx, dy), 0.01)
                pull = d * d / k
                shift[a.key][0] -= dx / d * pull
                shift[a.key][1] -= dy / d * pull
                shift[b.key][0] += dx / d * pull
                shift[b.key][1] += dy / d * pull
            for node in group.nodes:
                sx, sy = shift[node.key]
                d = max(math.hypot(sx, sy), 0.01)
                node.x += sx / d * min(d, heat)
                node.y += sy / d * min(d, heat)
            heat = max(heat * 0.96, 0.5)
    xs, ys = [n.x for n in group.nodes], [n.y for n in group.nodes]
    for node in group.nodes:
        node.x -= min(xs)
        node.y -= min(ys)
    label = max(len(n.label) for n in group.nodes) * 7  # room for the longest label
    group.width = max(xs) - min(xs) + label + 60
    group.height = max(ys) - min(ys) + 60


def _pack(groups: list[Group]) -> float:
    """Lay out each group, then place them in rows across the picture; return its height."""
    x, y, row = 10.0, 10.0, 0.0
    for group in groups:
        _layout(group)
        if x + group.width > WIDTH and x > 10:
            x, y, row = 10.0, y + row + 20, 0.0
        group.x, group.y = x, y
        for node in group.nodes:
            node.x = round(node.x + x + 30, 1)
            node.y = round(node.y + y + 28, 1)
        x += group.width + 20
        row = max(row, group.height)
    return y + row + 10
