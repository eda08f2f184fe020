"""One door per record type, read from the source (no database).

1. A views module (views.py, api.py, panels.py, or any module a urls.py routes to) never calls
   `.objects` on a protected model: it reaches a protected record only through its policy's
   `visible` or `get_for`.
2. A write to a protected model (save, delete, create, update, bulk_*, get_or_create, m2m
   add/remove/set/clear, a ModelForm's save) happens only in an actions.py `do_*` function (or a
   private helper of one), in models.py, in an app's demo.py (the demo site's made-up data), or
   in a module listed below with the reason.

Protected models: every RecordPolicy's model, and the parts of records listed in PARTS.
"""

import ast
import importlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.apps import apps
from django.db.models import Model

import seethesigns
from seethesigns.recordpolicy import RecordPolicy

PACKAGE = Path(seethesigns.__file__).parent
ROOT = PACKAGE.parent

# Parts of a protected record that have no policy of their own: reached through their record.
PARTS = [
    ("cases", "ChronologyEntry"),
    ("cases", "MissingEpisode"),
    ("cases", "PhilomenaProfile"),
    ("links", "Link"),
    ("links", "Match"),
    ("links", "Disruption"),
    ("links", "DisruptionUpdate"),
    ("links", "EntityRevision"),
    ("links", "PairDecision"),
    ("concerns", "ConcernDecision"),
    ("concerns", "ConcernNote"),
    ("concerns", "ConcernChild"),
    ("concerns", "BreakGlass"),
    ("concerns", "OutsideShare"),
    ("referrals", "ReferralDecision"),
    ("meetings", "Item"),
    ("meetings", "Action"),
    ("meetings", "Minute"),
    ("meetings", "ActionUpdate"),
    ("accounts", "Invitation"),
    ("otp_totp", "TOTPDevice"),
    ("otp_static", "StaticDevice"),
    ("otp_static", "StaticToken"),
]

# Each app's demo.py writes the made-up partnership of a demo site (load_demo runs them; demo
# accounts never sign in in production), so it may write records without an action.
DEMO_LOADER = "demo.py"

# Modules outside actions.py that write protected records, and why that is right.
WRITERS_ALLOWED = {
    "seethesigns/workspace/management/commands/load_demo.py": "the demo loader's command",
    "seethesigns/accounts/management/commands/add_partnership_admin.py": (
        "the first admin account, made at the server's shell before anyone can sign in"
    ),
    "seethesigns/accounts/management/commands/delete_demo_accounts.py": (
        "removes the demo loader's made-up accounts from a demo site"
    ),
}

# Functions in actions.py that are not do_* yet write, and why.
HELPERS_ALLOWED = {
    "seethesigns/audit/actions.py:record": "writes the audit entry itself, inside each action",
    "seethesigns/children/actions.py:add_entry": (
        "appends to a chronology inside the calling action's transaction (it says so)"
    ),
    "seethesigns/children/actions.py:index_names": (
        "keeps a child's sound-alike name keys (an index, not the record) inside the action "
        "that made or renamed the child, and for the demo loader"
    ),
}

WRITES = {"create", "get_or_create", "update_or_create", "bulk_create", "bulk_update"}
QUERY_WRITES = {"update", "delete"}  # a write when called on a manager or queryset
M2M_WRITES = {"add", "remove", "set", "clear"}


def policy_models() -> set[type[Model]]:
    for policies in sorted(PACKAGE.glob("*/policies.py")):
        importlib.import_module(f"seethesigns.{policies.parent.name}.policies")
    found: set[type[Model]] = set()
    todo: list[Any] = [RecordPolicy]
    while todo:
        policy = todo.pop()
        todo.extend(policy.__subclasses__())
        if "model" in vars(policy):
            found.add(policy.model)
    return found


def protected_models() -> set[type[Model]]:
    return policy_models() | {apps.get_model(label, name) for label, name in PARTS}


def _names() -> tuple[set[str], set[str], set[str]]:
    """Class names, related-manager names and many-to-many names of the protected models."""
    models = protected_models()
    classes = {m.__name__ for m in models}
    managers: set[str] = set()
    m2m: set[str] = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            related = getattr(field, "related_model", None)
            if field.many_to_many and (model in models or related in models):
                name = field.get_accessor_name() if field.auto_created else field.name
                m2m.add(str(name))
            elif field.one_to_many and related in models:
                managers.add(str(field.get_accessor_name()))
    return classes, managers, m2m


def product_modules() -> Iterator[Path]:
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).parts
        if "tests" in parts or "migrations" in parts:
            continue
        yield path


def views_modules() -> set[Path]:
    """views.py and api.py, the panels other apps add to a child's page (panels.py), and every
    module a urls.py imports its views from."""
    found = {p for p in product_modules() if p.name in ("views.py", "api.py", "panels.py")}
    for urls in PACKAGE.rglob("urls.py"):
        for node in ast.walk(ast.parse(urls.read_text())):
            if not isinstance(node, ast.ImportFrom) or not (node.module or "").startswith(
                "seethesigns."
            ):
                continue
            base = ROOT / Path(*str(node.module).split("."))
            for alias in node.names:
                as_module = base / f"{alias.name}.py"
                found.add(as_module if as_module.exists() else base.with_suffix(".py"))
    return {p for p in found if p.exists()}


def _where(path: Path, node: ast.AST) -> str:
    return f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', 0)}"


def _chain(node: ast.AST) -> list[ast.AST]:
    """The receivers a call hangs from: for a.b.c(...).d, [a.b.c(...), a.b, a]."""
    out: list[ast.AST] = []
    while True:
        if isinstance(node, ast.Attribute):
            node = node.value
        elif isinstance(node, ast.Call):
            node = node.func
        else:
            out.append(node)
            return out
        out.append(node)


def _on_protected_manager(node: ast.AST, classes: set[str]) -> bool:
    """Model.objects (or _default_manager) of a protected model."""
    return (
        isinstance(node, ast.Attribute)
        and node.attr in ("objects", "_default_manager", "_base_manager")
        and isinstance(node.value, ast.Name)
        and node.value.id in classes
    )


def objects_in_views() -> list[str]:
    classes, _, _ = _names()
    problems = []
    for path in sorted(views_modules()):
        for node in ast.walk(ast.parse(path.read_text())):
            if _on_protected_manager(node, classes):
                assert isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                problems.append(f"{_where(path, node)} {node.value.id}.{node.attr}")
    return problems


def _is_write(call: ast.Call, classes: set[str], managers: set[str], m2m: set[str]) -> str:
    """What the call writes, or "" if it is no write to a protected model."""
    if not isinstance(call.func, ast.Attribute):
        return ""
    verb = call.func.attr
    receivers = _chain(call.func.value)
    through = [
        r
        for r in [call.func.value, *receivers]
        if _on_protected_manager(r, classes)
        or (isinstance(r, ast.Attribute) and r.attr in managers)
    ]
    if verb in WRITES | QUERY_WRITES and through:
        return verb
    target = call.func.value
    if verb in M2M_WRITES and isinstance(target, ast.Attribute) and target.attr in m2m:
        return f"{target.attr}.{verb}"
    if verb == "save" or (verb == "delete" and not call.args):
        # Which model an object is cannot be read from the source: any save or delete counts,
        # in a module that names a protected model or policy (sessions and caches aside).
        root = receivers[-1] if receivers else None
        if isinstance(root, ast.Name) and root.id in ("session", "cache", "request"):
            return ""
        return verb
    return ""


def _functions(tree: ast.AST) -> Iterator[tuple[str, ast.AST]]:
    """Each top-level function (or method) with its name; the module itself as ''."""
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node.name, node


def _names_protected(tree: ast.AST, classes: set[str]) -> bool:
    for node in ast.walk(tree):
        names = node.names if isinstance(node, ast.ImportFrom) else []
        if any(a.name in classes or a.name.endswith("Policy") for a in names):
            return True
    return False


def writes_outside_actions() -> list[str]:
    classes, managers, m2m = _names()
    views = views_modules()
    problems = []
    for path in product_modules():
        relative = str(path.relative_to(ROOT))
        if path.name in ("models.py", DEMO_LOADER) or relative in WRITERS_ALLOWED:
            continue
        tree = ast.parse(path.read_text())
        if path.name != "actions.py" and path not in views and not _names_protected(tree, classes):
            continue
        allowed: set[int] = set()
        if path.name == "actions.py":
            for name, fn in _functions(tree):
                if name.startswith(("do_", "_")) or f"{relative}:{name}" in HELPERS_ALLOWED:
                    allowed |= {id(n) for n in ast.walk(fn)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and id(node) not in allowed:
                what = _is_write(node, classes, managers, m2m)
                if what:
                    problems.append(f"{_where(path, node)} .{what}()")
    return problems


def test_the_protected_models_are_the_policies_models_and_their_parts():
    names = {m._meta.label for m in protected_models()}
    assert {"cases.Child", "referrals.Referral", "concerns.Concern", "links.Entity"} <= names
    assert {"meetings.Meeting", "screening.DslTask", "screening.Screening"} <= names
    assert {"accounts.User", "training.Completion", "links.IntelligenceSubmission"} <= names


def test_no_views_module_calls_objects_on_a_protected_model():
    problems = objects_in_views()
    assert not problems, "Go through the policy (visible or get_for):\n" + "\n".join(problems)


def test_every_write_to_a_protected_model_is_in_an_action():
    problems = writes_outside_actions()
    assert not problems, "Write in an actions.py do_* function:\n" + "\n".join(problems)


def test_the_allowed_writers_exist_and_write():
    missing = [p for p in WRITERS_ALLOWED if not (ROOT / p).exists()]
    assert not missing, missing
    for helper in HELPERS_ALLOWED:
        path, name = helper.split(":")
        assert f"def {name}(" in (ROOT / path).read_text(), helper
