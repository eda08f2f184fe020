"""Prepare what the benchmark sends: a signed-in session, form bodies, one-off Tell someone keys.

Run by bench/run.py with the benchmark's production environment: python bench/setup_data.py OUT
"""

import json
import os
import sys
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "seethesigns.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from seethesigns.accounts.models import Organisation, Role, Team, User  # noqa: E402
from seethesigns.selfcheck.views import _path  # noqa: E402

CONCERN_BODIES = 40_000


def main(out: Path) -> None:
    organisation, _ = Organisation.objects.get_or_create(
        name="Benchmark School", defaults={"kind": Organisation.Kind.SCHOOL}
    )
    team, _ = Team.objects.get_or_create(organisation=organisation, name="Benchmark staff")
    Team.objects.get_or_create(
        organisation=organisation, name="Benchmark front door", defaults={"is_front_door": True}
    )
    user, _ = User.objects.get_or_create(
        username="bench-practitioner",
        defaults={"role": Role.PRACTITIONER, "team": team, "email": "bench@example.org"},
    )
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="bench", defaults={"confirmed": True}
    )
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = next(
        b for b in settings.AUTHENTICATION_BACKENDS if not b.startswith("axes.")
    )
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session["otp_device_id"] = device.persistent_id
    session.create()
    (out / "session.txt").write_text(session.session_key or "")

    # Each body a new concern, sent as a first send (no key): the words make the key.
    lines = []
    for n in range(CONCERN_BODIES):
        lines.append(
            urlencode(
                {
                    "reporter_kind": "friend",
                    "what": "A man in a silver car waits for my friend after school most days.",
                    "about": "My friend, 14",
                    "where_when": f"Station Road, most days at 4pm (benchmark {n})",
                    "urgency": "soon",
                    "your_name": "",
                    "your_organisation": "",
                    "contact": "",
                }
            )
        )
    (out / "concern-bodies.txt").write_text("\n".join(lines) + "\n")

    path = _path("me")
    # Every answer in one POST, as the self-check's one page sends them without JavaScript.
    answers = {f"a-{q.id}": "not_sure" for q in path.questions[:-1]}
    selfcheck = {**answers, f"a-{path.questions[-1].id}": "yes", "action": "result"}
    (out / "selfcheck-body.txt").write_text(urlencode(selfcheck) + "\n")
    (out / "search-body.txt").write_text(urlencode({"q": "grooming signs"}) + "\n")
    screening = {
        "age": 13,
        "learning_disability": "no",
        "answers": {
            "going-missing": {"state": "present", "when": "current"},
            "gifts-money-phones": {"state": "present", "when": "earlier"},
            "alcohol-drugs": {"state": "not_known"},
        },
    }
    (out / "screening-body.txt").write_text(json.dumps(screening) + "\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
