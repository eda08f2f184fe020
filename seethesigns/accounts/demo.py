"""The demo partnership's organisations, teams and one account per role (never in production)."""

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import transaction
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from seethesigns.accounts.models import Organisation, Role, Team, User
from seethesigns.audit.actions import record

# The website's demo editor and lead exist first: this takes away any workspace role they had.
AFTER = ("content",)

Kind = Organisation.Kind

TEAMS = [
    # (organisation, kind, team, front door?)
    ("Northbridge Children's Social Care", Kind.SOCIAL_CARE, "Front Door (MASH)", True),
    ("Northbridge Children's Social Care", Kind.SOCIAL_CARE, "Exploitation Team", False),
    ("Northbridge Police", Kind.POLICE, "Child Exploitation Unit", False),
    ("Northbridge Academy", Kind.SCHOOL, "Safeguarding", False),
    ("Northbridge Community Health", Kind.HEALTH, "School Nursing", False),
    ("Northbridge Youth Project", Kind.VOLUNTARY, "Outreach", False),
    ("Northbridge Safeguarding Partnership", Kind.PARTNERSHIP, "Partnership Office", False),
    ("Eastfield Children's Services", Kind.SOCIAL_CARE, "Eastfield Front Door", True),
]

# (username, first name, last name, role, team, password, CMS group)
ACCOUNTS = [
    (
        "demo-practitioner",
        "Priya",
        "Teacher",
        Role.PRACTITIONER,
        "Safeguarding",
        "practitioner-demo-password",
        None,
    ),
    ("demo-dsl", "Dan", "Lead", Role.DSL, "Safeguarding", "dsl-demo-password", None),
    (
        "demo-frontdoor",
        "Fola",
        "Door",
        Role.FRONT_DOOR,
        "Front Door (MASH)",
        "frontdoor-demo-password",
        None,
    ),
    (
        "demo-frontdoor2",
        "Frank",
        "Mash",
        Role.FRONT_DOOR,
        "Front Door (MASH)",
        "frontdoor2-demo-password",
        None,
    ),
    (
        "demo-coordinator",
        "Cara",
        "Coordinator",
        Role.CSE_COORDINATOR,
        "Exploitation Team",
        "coordinator-demo-password",
        None,
    ),
    (
        "demo-analyst",
        "Ash",
        "Analyst",
        Role.POLICE_ANALYST,
        "Child Exploitation Unit",
        "analyst-demo-password",
        None,
    ),
    (
        "demo-admin",
        "Ada",
        "Admin",
        Role.PARTNERSHIP_ADMIN,
        "Partnership Office",
        "admin-demo-password",
        None,
    ),
    ("demo-dpo", "Dee", "Protection", Role.DPO, "Partnership Office", "dpo-demo-password", None),
    (
        "demo-eastfield",
        "Eve",
        "Field",
        Role.FRONT_DOOR,
        "Eastfield Front Door",
        "eastfield-demo-password",
        None,
    ),
]

# Work phones from Ofcom's range reserved for drama: no real person is ever called.
DEMO_PHONES = {
    "demo-dsl": "01632 960 321",
    "demo-practitioner": "01632 960 322",
    "demo-coordinator": "01632 960 654",
}


def load() -> list[str]:
    """Create or update the demo teams and accounts; return their sign-in details to show."""
    teams: dict[str, Team] = {}
    for org_name, kind, team_name, front_door in TEAMS:
        org, _ = Organisation.objects.get_or_create(name=org_name, defaults={"kind": kind})
        team, _ = Team.objects.update_or_create(
            organisation=org, name=team_name, defaults={"is_front_door": front_door}
        )
        teams[team_name] = team
    shown = []
    for username, first, last, role, team_name, password, _group in ACCOUNTS:
        user, created = User.objects.update_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@example.org",
                "role": role,
                "team": teams[team_name],
                "phone": DEMO_PHONES.get(username, ""),
                "is_demo": True,
            },
        )
        if created:
            user.set_password(password)
            user.save(update_fields=["password"])
        shown.append(f"  {Role(role).label}: username {username}, password {password}")
    # The demo editor and lead keep the public site only: no workspace role, so no children's
    # data and no workspace menus (an install from before this change had given the editor one).
    User.objects.filter(username__in=["demo-editor", "demo-lead"]).update(role="", team=None)
    return [
        f"Demo sign-in to the professionals' workspace at {reverse('pro:home')} "
        "(you set up two-factor sign-in with an authenticator app the first time):",
        *shown,
    ]


@transaction.atomic
def start_demo_session(user: User) -> str:
    """Sign a demo account in, second factor done, and return the session key (for `make scan`)."""
    # The command checks this too; a real account or a production site never gets here.
    if settings.PRODUCTION or not user.is_demo or not user.is_active:
        raise ValueError("Only an active demo account, and never in production.")
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="Demo session", defaults={"confirmed": True}
    )
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "seethesigns.accounts.backends.AccountBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session["otp_device_id"] = device.persistent_id
    session.create()
    record("accounts.sign_in", actor=user, data={"factor": "demo session"})
    return str(session.session_key)
