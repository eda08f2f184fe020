"""Product code builds workspace and CMS links by a route's name, never by typing the path.

A typed path still works the day a route moves: it just leads to a 404, or to the wrong page. By
name, the link follows the route, and a name that went away fails loudly. Tests keep literal paths
on purpose: they check the stable addresses a visitor types, so only product code is scanned.
"""

import ast
import re
from collections.abc import Iterator
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver

PRODUCT = Path(__file__).resolve().parent.parent  # seethesigns/
ROOT = PRODUCT.parent

# "/pro", "/pro/…", "/cms/…" where a path starts, but not "website/cms/panel.html".
TYPED_PATH = re.compile(r"(?<![\w.-])/(?:pro|cms)(?![\w-])")

# Paths matched against the one a request came in on, by middleware and the like that run on
# every request before any view: they mark out a part of the site and build no link. Each entry
# is (file, the literal) and must still be there, so the list only shrinks.
MATCHED_NOT_BUILT = {
    # The two trees are named once; routing and the code that sorts requests read the names.
    ("seethesigns/paths.py", "/pro/"),
    ("seethesigns/paths.py", "/cms/"),
}


def product_files(pattern: str) -> Iterator[Path]:
    for path in sorted(PRODUCT.rglob(pattern)):
        parts = path.relative_to(PRODUCT).parts
        if "tests" not in parts and "migrations" not in parts:
            yield path


def docstrings(tree: ast.AST) -> set[int]:
    """The ids of docstring nodes: prose about the site may name its paths."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def string_literals(tree: ast.AST) -> Iterator[tuple[int, str]]:
    """Each string constant and each literal part of an f-string, with its line."""
    skip = docstrings(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            for part in node.values:
                skip.add(id(part))
                if isinstance(part, ast.Constant) and isinstance(part.value, str):
                    yield node.lineno, part.value  # a part's own line is unreliable before 3.12
        elif (
            isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip
        ):
            yield node.lineno, node.value


def typed_paths_in_python() -> list[tuple[str, int, str]]:
    found = []
    for path in product_files("*.py"):
        name = str(path.relative_to(ROOT))
        for line, value in string_literals(ast.parse(path.read_text(), filename=name)):
            if TYPED_PATH.search(value):
                found.append((name, line, value))
    return found


def typed_paths_in_templates() -> list[tuple[str, int, str]]:
    found = []
    for path in [*product_files("templates/**/*"), *product_files("static/**/*.js")]:
        if not path.is_file():
            continue
        name = str(path.relative_to(ROOT))
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if TYPED_PATH.search(line):
                found.append((name, number, line.strip()))
    return found


def test_product_python_builds_workspace_urls_by_name() -> None:
    typed = [(f, n, v) for f, n, v in typed_paths_in_python() if (f, v) not in MATCHED_NOT_BUILT]
    report = "\n".join(f"{f}:{n}: {v!r}: use reverse('pro:…')" for f, n, v in typed)
    assert not typed, "Typed workspace or CMS paths in product code:\n" + report


def test_templates_build_workspace_urls_by_name() -> None:
    typed = typed_paths_in_templates()
    report = "\n".join(f"{f}:{n}: {line}: use {{% url 'pro:…' %}}" for f, n, line in typed)
    assert not typed, "Typed workspace or CMS paths in templates:\n" + report


def test_every_allowed_literal_is_still_there() -> None:
    """An entry whose code went away leaves the list, so that the list only shrinks."""
    present = {(f, v) for f, _, v in typed_paths_in_python()}
    stale = sorted(MATCHED_NOT_BUILT - present)
    assert not stale, f"No longer in the code, take out of MATCHED_NOT_BUILT: {stale}"


def routes(
    patterns: list[URLPattern | URLResolver], prefix: str = ""
) -> Iterator[tuple[str, URLPattern]]:
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from routes(pattern.url_patterns, route)
        else:
            yield route, pattern


def test_every_workspace_route_has_a_name() -> None:
    workspace = [(r, p) for r, p in routes(get_resolver().url_patterns) if r.startswith("pro/")]
    assert len(workspace) > 40  # the walk found the workspace
    unnamed = [f"/{route}" for route, pattern in workspace if not pattern.name]
    assert not unnamed, f"Give these routes a name: {unnamed}"
