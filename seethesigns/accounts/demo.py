"""The demo partnership's organisations, teams and one account per role (never in production)."""

import uuid
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from seethesigns.accounts.models import Organisation, Role, Team, User
from seethesigns.audit.actions import record
from seethesigns.concerns.actions import do_submit_concern
from seethesigns.concerns.models import Concern
from seethesigns.dates import add_working_days

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

DEMO_CONCERNS = [
    # (days ago, sent by, urgency, what, about, where and when)
    (
        4,
        "parent",
        "soon",
        "My daughter (14) has a new phone and expensive trainers and won't say where they came "
        "from. A man in a silver car picks her up from the end of our road after school.",
        "Mia, 14, Northbridge Academy",
        "Most weekdays around 4pm, Station Road.",
    ),
    (
        0,
        "friend",
        "not_sure",
        "My friend keeps going to parties at a flat above the takeaway. She says older lads give "
        "her vodka there and she's been missing school.",
        "My friend in year 10",
        "Friday and Saturday nights.",
    ),
    (
        0,
        "professional",
        "now",
        "A year 9 pupil told me an adult she met online has asked her to meet him tonight and "
        "to keep it secret. Her parents don't know.",
        "Year 9 pupil, name on request",
        "Tonight, meeting point not known",
    ),
]


def load_workspace_demo() -> list[tuple[str, str, str]]:
    """Create or update the demo teams and accounts. Returns (role, username, password) rows."""
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
        shown.append((str(Role(role).label), username, password))
    # The demo editor and lead keep the public site only: no workspace role, so no children's
    # data and no workspace menus (an install from before this change had given the editor one).
    User.objects.filter(username__in=["demo-editor", "demo-lead"]).update(role="", team=None)
    _load_demo_concerns()
    _load_demo_child()
    from seethesigns.network.demo import load_records_demo

    load_records_demo()
    return shown


def _load_demo_child() -> None:
    """A fictional child held by the school, screened twice, so the record shows a change."""
    from datetime import date

    from seethesigns.children.models import Child
    from seethesigns.screening.actions import do_save_screening
    from seethesigns.screening.config import load_config
    from seethesigns.screening.models import Indicator
    from seethesigns.screening.rules import Answer, suggest

    dsl = User.objects.get(username="demo-dsl")
    child, created = Child.objects.get_or_create(
        first_name="Mia",
        last_name="Example",
        defaults={
            "date_of_birth": date(2012, 5, 1),
            "learning_disability": "no",
            "team": dsl.team,
            "created_by": dsl,
        },
    )
    if not created or child.screenings.exists():
        return
    catalogue = Indicator.objects.catalogue()
    if not catalogue:
        return  # load_content has not run yet
    now = timezone.now()
    for days_ago, present, judgement in [
        (70, {"missing-school": "current", "low-self-esteem": "current"}, "emerging"),
        (
            3,
            {
                "going-missing": "current",
                "gifts-money-phones": "current",
                "older-boyfriend-girlfriend": "current",
                "missing-school": "current",
            },
            "significant",
        ),
    ]:
        answers = {code: Answer("not_present") for code in catalogue}
        answers.update({code: Answer("present", when) for code, when in present.items()})
        result = suggest(
            answers, age=14, learning_disability="no", catalogue=catalogue, config=load_config()
        )
        records = {
            code: {
                "state": a.state,
                "when": a.when,
                "evidence": "Demo evidence: seen by the DSL." if a.state == "present" else "",
                "source": "Demo" if a.state == "present" else "",
            }
            for code, a in answers.items()
        }
        differs = judgement != result.level
        screening = do_save_screening(
            child,
            age=14,
            learning_disability="no",
            records=records,
            result=result,
            judgement=judgement,
            overrule_reason="context" if differs else "",
            reason=(
                "The DSL knows from the school that she is picked up by the same car "
                "most days, which the answers cannot show."
                if differs
                else ""
            ),
            acting_user=dsl,
            request=None,
        )
        screening.screened_at = now - timedelta(days=days_ago)
        screening.save(update_fields=["screened_at"])
    _load_demo_referral(child, dsl)


def _load_demo_referral(child: Any, dsl: User) -> None:
    from seethesigns.referrals.actions import do_make_referral

    values = {
        "family": "Lives with her mother, Jo Example, at 1 Station Road, Northbridge "
        "(demo address). Phone 01632 960001 (a drama number).",
        "done": "The DSL spoke with Mia on Monday and with her mother on Tuesday. Mia's "
        "attendance is being checked daily.",
        "child_words": "\"He's my boyfriend. He's 24. He buys me stuff and I'm not allowed to "
        'tell anyone."',
        "consent": "not_sought",
        "consent_reason": "Asking her mother first could warn the man: she has met him.",
        "decision": "share",
        "decision_reason": "Significant concern: missing overnight twice, gifts and an older "
        "man who collects her from school.",
    }
    do_make_referral(
        child,
        child.screenings.order_by("-screened_at").first(),
        values,
        acting_user=dsl,
        request=None,
    )


def _load_demo_concerns() -> None:
    now = timezone.now()
    for number, (days_ago, kind, urgency, what, about, where_when) in enumerate(DEMO_CONCERNS):
        key = uuid.uuid5(uuid.NAMESPACE_URL, f"seethesigns-demo-concern-{number}")
        if Concern.objects.filter(submission_key=key).exists():
            continue
        values = {
            "reporter_kind": kind,
            "urgency": urgency,
            "your_name": "Sam Example" if kind == "professional" else "",
            "your_organisation": "Northbridge Academy" if kind == "professional" else "",
            "contact": "01632 960 000" if kind == "professional" else "",
            "what": what,
            "about": about,
            "where_when": where_when,
        }
        concern, _ = do_submit_concern(values, key=key, alert=False)
        if days_ago:
            received = now - timedelta(days=days_ago)
            concern.received_at = received
            concern.decision_due_at = add_working_days(received, 1)
            concern.save(update_fields=["received_at", "decision_due_at"])


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
