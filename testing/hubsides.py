"""The linkage hub and partnerships beside it, each its own process and database (issue 21).

Used by the end-to-end test (seethesigns/linkage/tests/test_end_to_end.py) and by `make
demo-hub` (testing/demo_hub.py): keys made, partnerships registered, each side's records loaded
through the app's own actions, commands run as separate processes. Nothing here is imported by
the site or the hub.
"""

import os
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


@dataclass
class Side:
    """One partnership: its slug at the hub, its name, its coordinator, and its environment."""

    slug: str
    name: str
    coordinator_name: str
    coordinator_phone: str
    env: dict[str, str] = field(default_factory=dict)
    public_key: Path = Path()


def _run(command: list[str], env: dict[str, str], what: str) -> str:
    done = subprocess.run(  # noqa: S603 (our own fixed commands)  # nosec B603
        command,
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if done.returncode:
        raise RuntimeError(f"{what} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done.stdout


def app(side: Side, *args: str) -> str:
    """`manage.py <args>` in the partnership's own process, with its settings."""
    return _run([PYTHON, "manage.py", *args], side.env, f"{side.slug}: manage.py {args[0]}")


def in_app(side: Side, call: str) -> str:
    """Run `testing.hubsides.<call>` inside the partnership's Django, in a process of its own."""
    code = f"import django; django.setup(); import testing.hubsides as h; h.{call}"
    return _run([PYTHON, "-c", code], side.env, f"{side.slug}: {call}")


def hub(env: dict[str, str], *args: str) -> str:
    """`python -m linkagehub <args>`: the hub's own commands and settings."""
    return _run([PYTHON, "-m", "linkagehub", *args], env, f"hub: {args[0]}")


def hub_env(database_url: str) -> dict[str, str]:
    return {"DJANGO_SETTINGS_MODULE": "linkagehub.settings", "HUB_DATABASE_URL": database_url}


def make_keys(folder: Path, side: Side) -> Path:
    """Write the side's Ed25519 key pair in FOLDER; return the private key's path."""
    from pprl.signing import generate_keypair

    folder.mkdir(parents=True, exist_ok=True)
    private, public = generate_keypair()
    private_path = folder / f"{side.slug}.key"
    private_path.write_bytes(private)
    private_path.chmod(0o600)
    side.public_key = folder / f"{side.slug}.pub"
    side.public_key.write_bytes(public)
    return private_path


def side_env(
    side: Side,
    *,
    database_url: str,
    hub_url: str,
    signing_key: Path,
    encoding_key: str,
    var_dir: Path,
) -> dict[str, str]:
    """The partnership's environment: its database, its name, and the hub settings."""
    var_dir.mkdir(parents=True, exist_ok=True)
    side.env = {
        "DJANGO_SETTINGS_MODULE": "seethesigns.settings",
        "DATABASE_URL": database_url,
        "VAR_DIR": str(var_dir),
        "PARTNERSHIP_NAME": side.name,
        "SEETHESIGNS_MODE": "development",
        "CONN_MAX_AGE": "0",
        "LINKAGE_HUB_URL": hub_url,
        "LINKAGE_PARTNERSHIP": side.slug,
        "LINKAGE_SIGNING_KEY": str(signing_key),
        "LINKAGE_ENCODING_KEY": encoding_key,
        "LINKAGE_TIMEOUT_SECONDS": "20",
    }
    return side.env


def register(env: dict[str, str], side: Side) -> str:
    return hub(
        env,
        "register_partnership",
        side.slug,
        "--name",
        side.name,
        "--coordinator-name",
        side.coordinator_name,
        "--coordinator-phone",
        side.coordinator_phone,
        "--public-key",
        str(side.public_key),
    )


# ---- inside a partnership's process (in_app) ---------------------------------------------------

# The end-to-end test's records: the same car, phone and man written differently on each side,
# and one record on each side that matches nothing.
E2E: dict[str, list[dict[str, Any]]] = {
    "northbridge": [
        {"kind": "vehicle", "label": "NB12 XYZ"},
        {"kind": "phone", "label": "07700 900123"},
        {
            "kind": "person",
            "label": "Jason Smyth",
            "aliases": "Jay",
            "date_of_birth": date(1990, 3, 4),
            "sex": "male",
        },
        {"kind": "vehicle", "label": "AB12 CDE"},
    ],
    "eastfield": [
        {"kind": "vehicle", "label": "nb12-xyz"},
        {"kind": "phone", "label": "+44 (0)7700 900 123"},
        {
            "kind": "person",
            "label": "Jayson Smith",
            "date_of_birth": date(1990, 3, 4),
            "sex": "male",
        },
        {"kind": "vehicle", "label": "YR67 QPL"},
    ],
}
# Eastfield's own small demo for `make demo-hub`: a car whose plate Northbridge's demo writes
# "NB12 XYZ" and "nb12xyz", and the phone Northbridge holds as "07700 900123".
EASTFIELD_DEMO = [
    {"kind": "vehicle", "label": "NB12-XYZ", "details": "Seen picking up a girl after school"},
    {"kind": "phone", "label": "+44 (0)7700 900 123", "details": "Texts a boy in our care"},
]


def _coordinator(
    organisation: str, team_name: str, username: str, first: str, last: str, phone: str
) -> Any:
    """The side's CSE coordinator (a demo account), with her organisation and team."""
    from seethesigns.accounts.models import Organisation, Role, Team, User

    org, _ = Organisation.objects.get_or_create(
        name=organisation, defaults={"kind": Organisation.Kind.SOCIAL_CARE}
    )
    team, _ = Team.objects.get_or_create(organisation=org, name=team_name)
    user, created = User.objects.update_or_create(
        username=username,
        defaults={
            "first_name": first,
            "last_name": last,
            "email": f"{username}@example.org",
            "role": Role.CSE_COORDINATOR,
            "team": team,
            "phone": phone,
            "is_demo": True,
        },
    )
    if created:
        user.set_password(f"{username}-password")
        user.save(update_fields=["password"])
    Team.objects.filter(pk=team.pk).update(cse_contact=user)
    return user


def _records(user: Any, items: list[dict[str, Any]]) -> list[int]:
    from seethesigns.network.actions import do_create_entity

    return [do_create_entity(dict(values), acting_user=user, request=None).pk for values in items]


def load_e2e(slug: str) -> list[int]:
    """The end-to-end test's records for one side; their numbers, in order."""
    user = _coordinator(
        f"{slug.title()} Children's Services", "Exploitation Team", f"{slug}-coordinator",
        "Test", "Coordinator", "01632 960 100",
    )  # fmt: skip
    return _records(user, E2E[slug])


def load_eastfield_demo() -> None:
    """Eastfield's own small demo: its coordinator, a car and a phone (never in production)."""
    from django.conf import settings

    if settings.PRODUCTION:
        raise SystemExit("Demo data is never loaded in production.")
    user = _coordinator(
        "Eastfield Children's Services", "Exploitation Team", "eastfield-coordinator",
        "Esme", "Hart", "01632 960 888",
    )  # fmt: skip
    from seethesigns.network.models import Entity

    if not Entity.objects.filter(created_by=user).exists():
        _records(user, EASTFIELD_DEMO)


def erase_record(pk: int) -> None:
    """Erase one record as the retention job does (its encodings are queued for withdrawal)."""
    from seethesigns.dataprotection.actions import do_erase_expired_record
    from seethesigns.dataprotection.retention import record_type
    from seethesigns.network.models import Entity

    do_erase_expired_record(record_type("record"), Entity.objects.get(pk=pk))


def step(load: str = "", erase: int = 0, check: bool = False) -> None:
    """One turn of a side, in one process (each costs seconds to start): load its records or
    erase one, run `linkage_sync`, and print JSON: the records' numbers, what the sync said,
    and the side's alerts."""
    import json
    from io import StringIO

    from django.core.management import call_command

    from seethesigns.linkage.models import HubAlert

    ids = load_e2e(load) if load else []
    if erase:
        erase_record(erase)
    said = StringIO()
    if check:
        call_command("linkage_sync", "--check", stdout=said)
    call_command("linkage_sync", stdout=said)
    found = [
        {
            "source_id": a.source_id,
            "kind": a.kind,
            "strength": a.strength,
            "partnership": a.partnership_name,
            "coordinator": [a.coordinator_name, a.coordinator_phone],
            "closed": a.closed,
        }
        for a in HubAlert.objects.order_by("pk")
    ]
    print(json.dumps({"ids": ids, "said": said.getvalue(), "alerts": found}))
