"""The README's code map and docs/architecture.md name every app and top-level module, and name
nothing that is not there: a newcomer's map is checked against the tree, not trusted."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("seethesigns", "testing")
NOT_CODE = {"tests", "templates", "static", "__pycache__"}


def apps_and_modules() -> set[str]:
    """`seethesigns/<app>/` for each app; `<package>/<module>.py` for each top-level module."""
    found = set()
    for package in PACKAGES:
        for path in (ROOT / package).iterdir():
            if path.is_dir() and path.name not in NOT_CODE and (path / "__init__.py").exists():
                found.add(f"{package}/{path.name}/")
            elif path.suffix == ".py" and path.name != "__init__.py":
                found.add(f"{package}/{path.name}")
    return found


def section(path: Path, heading: str) -> str:
    """The text under a heading, up to the next heading of the same or a higher level."""
    text = path.read_text()
    match = re.search(rf"^(#+) {re.escape(heading)}\n", text, re.MULTILINE)
    assert match, f"{path.name} has no heading {heading!r}"
    level = len(match.group(1))
    rest = text[match.end() :]
    end = re.search(rf"^#{{1,{level}}} ", rest, re.MULTILINE)
    return rest[: end.start()] if end else rest


def named_paths(text: str) -> set[str]:
    """Every `seethesigns/…` or `testing/…` path written in backticks in the table's first column,
    with a module given by name alone after a path (`seethesigns/settings.py`, `env.py`) completed
    from the folder of the path before it in the same cell."""
    names = set()
    for line in text.splitlines():
        if not line.startswith("| `"):
            continue
        cell = line.split("|")[1]
        folder = ""
        for token in re.findall(r"`([^`]+)`", cell):
            if token.split("/")[0] in PACKAGES:
                folder = token if token.endswith("/") else token.rsplit("/", 1)[0] + "/"
                names.add(token)
            elif folder and "/" not in token and token.endswith(".py"):
                names.add(folder + token)
    return names


def covers(named: set[str], wanted: str) -> bool:
    return any(name == wanted or name.startswith(wanted) for name in named)


MAPS = [("README.md", "Map of the code"), ("docs/architecture.md", "Where the code lives")]


@pytest.mark.parametrize(("document", "heading"), MAPS)
def test_the_map_names_every_app_and_module(document: str, heading: str) -> None:
    named = named_paths(section(ROOT / document, heading))
    missing = sorted(p for p in apps_and_modules() if not covers(named, p))
    assert not missing, f"{document} ({heading}) does not name: {', '.join(missing)}"


@pytest.mark.parametrize(("document", "heading"), MAPS)
def test_the_map_names_nothing_that_is_not_there(document: str, heading: str) -> None:
    named = named_paths(section(ROOT / document, heading))
    stale = sorted(p for p in named if not any(ROOT.glob(p.rstrip("/"))))
    assert not stale, f"{document} ({heading}) names paths that do not exist: {', '.join(stale)}"
