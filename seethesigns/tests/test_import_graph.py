"""Apps depend one way: no app imports an app above it, so no two apps import each other.

The layers, lowest first (an app may import the apps in the layers below its own):

    audit                the audit trail every app writes to
    accounts             users, teams, roles, sign-in
    matching             is this record the same person or child as that one (join the dots)
    website              the public Wagtail site, its sources and the content loader
    stories, selfcheck   the public stories and self-check
    children             children's records; the child's page shows panels others register
    screening            the screening tool and its indicators
    referrals            referrals to the front door (and the PDF renderer others use)
    training             the training modules and their certificates
    concerns             the front door's inbox
    network              people, places, vehicles and their links
    meetings             MACE meetings and the cohort
    linkage              the partnership's side of the linkage hub: encodings sent, alerts back
    dataprotection       the DPO's work, the audit search included
    problemprofile       the partnership's problem profile, data quality and board report
    workspace            the /pro/ URLs, the home page, navigation and the demo loader

A lower app that needs something from a higher one finds it through the app registry instead:
the child's page panels (children/panels.py, filled in each app's AppConfig.ready()), each app's
`demo.py` (found by load_demo) and `content.py` (found by the content loader).

Every `import` of `seethesigns.<app>` counts, inside functions too; tests and migrations do not.
"""

import ast
from collections import defaultdict
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent

LAYERS: list[tuple[str, ...]] = [
    ("audit",),
    ("accounts",),
    ("matching",),
    ("website",),
    ("stories", "selfcheck"),
    ("children",),
    ("screening",),
    ("referrals",),
    ("training",),
    ("concerns",),
    ("network",),
    ("meetings",),
    ("linkage",),
    ("dataprotection",),
    ("problemprofile",),
    ("workspace",),
]

Edges = dict[str, dict[str, list[str]]]  # app -> app it imports -> ["file:line", ...]


def apps() -> set[str]:
    return {p.name for p in PACKAGE.iterdir() if (p / "apps.py").exists()}


def imports(tree: ast.AST) -> list[tuple[str, int]]:
    """Each module the tree imports, with its line, wherever the import is (functions too)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.append((node.module, node.lineno))
        elif isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
    return found


def app_graph() -> Edges:
    """Which app imports which, with where: every import in every non-test module of an app."""
    known = apps()
    edges: Edges = defaultdict(lambda: defaultdict(list))
    for path in sorted(PACKAGE.glob("*/**/*.py")):
        parts = path.relative_to(PACKAGE).parts
        source = parts[0]
        if source not in known or "tests" in parts or "migrations" in parts:
            continue
        for module, line in imports(ast.parse(path.read_text(), filename=str(path))):
            names = module.split(".")
            target = names[1] if len(names) > 1 and names[0] == "seethesigns" else ""
            if target in known and target != source:
                edges[source][target].append(f"{path.relative_to(PACKAGE.parent)}:{line}")
    return edges


def cycles(edges: Edges) -> list[list[str]]:
    """The strongly connected components of more than one app (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(app: str) -> None:
        index[app] = low[app] = len(index)
        stack.append(app)
        on_stack.add(app)
        for other in edges.get(app, {}):
            if other not in index:
                visit(other)
                low[app] = min(low[app], low[other])
            elif other in on_stack:
                low[app] = min(low[app], index[other])
        if low[app] == index[app]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == app:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for app in sorted(set(edges) | {b for a in edges for b in edges[a]}):
        if app not in index:
            visit(app)
    return found


def describe(edges: Edges, pairs: list[tuple[str, str]]) -> str:
    return "\n".join(f"  {a} -> {b}: {where}" for a, b in pairs for where in edges[a][b])


def test_no_app_imports_an_app_that_imports_it_back():
    edges = app_graph()
    found = cycles(edges)
    report = [
        f"cycle {' <-> '.join(members)}:\n"
        + describe(edges, [(a, b) for a in members for b in members if b in edges.get(a, {})])
        for members in found
    ]
    assert not found, "Apps import each other in a cycle:\n" + "\n".join(report)


def test_every_app_has_a_layer():
    layered = {app for layer in LAYERS for app in layer}
    assert apps() == layered, "Add each new app to LAYERS (and the docstring) where it belongs"


def test_apps_import_only_the_layers_below_their_own():
    rank = {app: n for n, layer in enumerate(LAYERS) for app in layer}
    edges = app_graph()
    upward = sorted((a, b) for a in edges for b in edges[a] if rank.get(b, -1) >= rank.get(a, -1))
    assert not upward, "Imports of an app at or above the importer's layer:\n" + describe(
        edges, upward
    )


def test_it_finds_a_cycle_of_three_apps_not_only_two_way_pairs():
    edges: Edges = {
        "a": {"b": ["a.py:1"]},
        "b": {"c": ["b.py:1"]},
        "c": {"a": ["c.py:1"], "d": ["c.py:2"]},
        "d": {},
    }
    assert cycles(edges) == [["a", "b", "c"]]
