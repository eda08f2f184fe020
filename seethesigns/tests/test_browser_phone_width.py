"""Every workspace page fits a 390 px phone: the document is no wider than the screen.

The pages are those the access matrix (accounts/tests/test_access_matrix.py) answers with 200,
each opened in chromium by someone in the role and team that may open it.
"""

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page

from seethesigns.accounts.models import Role, Team, User
from seethesigns.accounts.tests.test_access_matrix import MATRIX
from seethesigns.children.models import Child, MissingEpisode, NrmReferral, ReportDue
from seethesigns.concerns.models import Concern
from seethesigns.concerns.tests.test_browser_concerns import committed, sign_in
from seethesigns.encryption import seal
from seethesigns.linkage.models import HubAlert
from seethesigns.linkage.tests.fakes import a_hub_alert
from seethesigns.meetings.models import Meeting
from seethesigns.network.actions import do_suggest_pairs
from seethesigns.network.models import Entity, IntelligenceSubmission, PairSuggestion, Sighting
from seethesigns.referrals.models import Referral
from seethesigns.screening.models import DslTask

pytestmark = pytest.mark.browser
__all__ = ["committed"]

# The matrix's people, as the browser signs them in: (role, team).
ROLES = {
    "practitioner": (Role.PRACTITIONER, "Safeguarding"),
    "dsl": (Role.DSL, "Safeguarding"),
    "front_door": (Role.FRONT_DOOR, "Front Door (MASH)"),
    "cse_coordinator": (Role.CSE_COORDINATOR, "Exploitation Team"),
    "police_analyst": (Role.POLICE_ANALYST, "Child Exploitation Unit"),
    "partnership_admin": (Role.PARTNERSHIP_ADMIN, "Partnership Office"),
    "dpo": (Role.DPO, "Partnership Office"),
}
# Files and machine answers, not pages; and the sign-in steps, which have their own tests.
NOT_PAGES = (
    "json/",
    "pdf/",
    ".json",
    "/export",
    "/api/",
    "certificates/",
    "sign-in",
    "two-factor",
    "invite/?",
    ".csv",
    ".ods",
    ".pdf",
)
# Pages added by this work that the matrix does not yet list.
EXTRA = {"front_door": ["/pro/concerns/?show=all", "/pro/concerns/?due=overdue"]}


def pages_for(who: str) -> list[str]:
    pages = []
    for method, url, default, overrides in MATRIX:
        if (
            method == "GET"
            and overrides.get(who, default) == 200
            and not any(part in url for part in NOT_PAGES)
        ):
            pages.append(url)
    return pages + EXTRA.get(who, [])


@pytest.fixture
def episode(committed: None) -> Iterator[MissingEpisode]:
    """A missing episode on Mia's record (the demo has none), removed afterwards."""
    mia = Child.objects.get(first_name="Mia", last_name="Example")
    back = timezone.now() - timedelta(days=5)
    made = MissingEpisode.objects.create(
        child=mia,
        started_at=back - timedelta(hours=9),
        ended_at=back,
        reported_by="Phone width test",
        recorded_by=User.objects.get(username="demo-dsl"),
        interview="done",
        interview_at=back + timedelta(hours=80),
    )
    analyst = User.objects.get(username="demo-analyst")
    submission = IntelligenceSubmission.objects.create(
        entity=Entity.objects.get(kind="vehicle", label="nb12xyz"),
        source_evaluation="2",
        assessment="B",
        handling="C",
        sealed=seal({"intelligence": "Seen at the hotel twice.", "conditions": "Police only."}),
        team=Team.objects.get(name="Child Exploitation Unit"),
        created_by=analyst,
    )
    made.submission = submission  # type: ignore[attr-defined]
    sighting = Sighting.objects.create(
        place=submission.entity,
        seen_on=timezone.localdate(),
        source="police",
        sealed=seal({"where": "Station Road", "vehicle": "", "what": "Parked outside."}),
        team=submission.team,
        created_by=analyst,
    )
    made.sighting = sighting  # type: ignore[attr-defined]
    dsl = User.objects.get(username="demo-dsl")
    made.due = ReportDue.objects.create(  # type: ignore[attr-defined]
        child=mia,
        reason="disclosure",
        recorded_in="chronology",
        due_by=timezone.now(),
        raised_by=dsl,
    )
    made.nrm = NrmReferral.objects.create(  # type: ignore[attr-defined]
        child=mia, referred_on=timezone.localdate(), first_responder="police", recorded_by=dsl
    )
    # Two people of concern the coordinator's review queue asks about (the demo has no pair).
    people = [
        Entity.objects.create(
            kind="person", label=name, normalised=name.lower(), team=mia.team, created_by=dsl
        )
        for name in ("Dean Carver", "Deane Karver")
    ]
    do_suggest_pairs([(people[0].pk, people[1].pk, 0.9, "very_likely", {})], run_label="width")
    made.pair = PairSuggestion.objects.get(  # type: ignore[attr-defined]
        entity=people[0], other=people[1]
    )
    made.hub_alert = a_hub_alert()  # type: ignore[attr-defined]
    yield made
    HubAlert.objects.filter(pk=made.hub_alert.pk).delete()  # type: ignore[attr-defined]
    Entity.objects.filter(pk__in=[p.pk for p in people]).delete()  # the suggestion goes with them
    ReportDue.objects.filter(pk=made.due.pk).delete()  # type: ignore[attr-defined]
    NrmReferral.objects.filter(pk=made.nrm.pk).delete()  # type: ignore[attr-defined]
    MissingEpisode.objects.filter(pk=made.pk).delete()
    Sighting.objects.filter(pk=sighting.pk).delete()
    IntelligenceSubmission.objects.filter(pk=submission.pk).delete()


def ids(episode: MissingEpisode) -> dict[str, Any]:
    mia = episode.child
    return {
        "child": mia.pk,
        "episode": episode.pk,
        "due": episode.due.pk,  # type: ignore[attr-defined]
        "nrm": episode.nrm.pk,  # type: ignore[attr-defined]
        "pair": episode.pair.pk,  # type: ignore[attr-defined]
        "hub_alert": episode.hub_alert.pk,  # type: ignore[attr-defined]
        "team": mia.team_id,
        "month": f"{mia.created_at:%Y-%m}",
        "record": Entity.objects.filter(team=mia.team).order_by("pk").first().pk,
        "meeting": Meeting.objects.order_by("pk").first().pk,
        "concern": Concern.objects.filter(reporter_kind="parent").get().reference,
        "referral": Referral.objects.filter(child=mia).first().pk,
        "module": "language",
        "submission": episode.submission.pk,  # type: ignore[attr-defined]
        "sighting": episode.sighting.pk,  # type: ignore[attr-defined]
        "action": 0,
        "user": 0,
        "token": "",
        "certificate": "",
    }


@pytest.mark.parametrize("who", list(ROLES))
def test_every_workspace_page_fits_a_phone(
    page: Page, site_url: str, episode: MissingEpisode, who: str, request: Any
):
    role, team = ROLES[who]
    sign_in(page, site_url, f"width-{who}", role, team)
    page.set_viewport_size({"width": 390, "height": 844})
    values = ids(episode)
    # A practitioner's task for the DSL, sent by this person: the sender and the DSL open it.
    task = DslTask.objects.create(
        organisation=Team.objects.get(name="Safeguarding").organisation,
        sent_by=User.objects.get(username=f"width-{who}"),
        sealed=seal({"note": "Year 10.", "action": "Tell your DSL today.", "floors": []}),
    )
    values["task"] = task.pk
    request.addfinalizer(lambda: DslTask.objects.filter(pk=task.pk).delete())
    too_wide = []
    checked = 0
    for url in pages_for(who):
        path = url.format(**values)
        response = page.goto(site_url + path)
        assert response is not None and response.status == 200, path
        width = page.evaluate("document.documentElement.scrollWidth")
        checked += 1
        if width > 390:
            too_wide.append((path, width))
        # No raw ISO date and time anywhere a person reads.
        text = page.locator("main").inner_text()
        assert not re.search(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}", text), path
    assert checked >= 3
    assert too_wide == []
