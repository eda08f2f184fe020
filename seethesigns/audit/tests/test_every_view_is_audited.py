"""Every workspace page that shows a record writes one audit entry: routes read from the URL conf.

A new route under /pro/ fails here until it writes its view entry, or is named below with the
reason it shows no record (a form, a list, a sign-in step, a POST-only action).
"""

import json
import re
from typing import Any

import pytest
from django.utils import timezone

from conftest import verified_client
from seethesigns.accounts.models import Team, User
from seethesigns.accounts.tests.test_access_matrix import _workspace_routes
from seethesigns.audit.models import AuditEntry
from seethesigns.children.models import Child, MissingEpisode, NrmReferral, PhilomenaProfile
from seethesigns.concerns.models import Concern
from seethesigns.encryption import seal
from seethesigns.linkage.tests.fakes import a_hub_alert
from seethesigns.meetings.models import Item, Meeting
from seethesigns.network.actions import do_suggest_pairs
from seethesigns.network.models import Entity, Link, PairSuggestion
from seethesigns.referrals.models import Referral
from seethesigns.screening.models import DslTask
from seethesigns.tests.records import a_sighting, a_submission, an_action

pytestmark = pytest.mark.django_db

# Pages that show no one record (or only answer POST), and why they write no view entry.
NOT_A_VIEW_OF_A_RECORD = {
    "pro/": "the workspace's home page: links only",
    "pro/sign-in/": "a sign-in step",
    "pro/sign-out/": "a sign-in step (POST only)",
    "pro/two-factor/": "a sign-in step",
    "pro/two-factor/set-up/": "a sign-in step",
    "pro/invite/": "a sign-in step: accepting an invitation",
    "pro/users/": "staff accounts, not children (changes are audited)",
    "pro/users/invite/": "a form",
    "pro/users/<int:user_id>/deactivate/": "POST only (audited as accounts.deactivate)",
    "pro/users/lift-pause/": "POST only (audited as accounts.lift_pause)",
    "pro/concerns/": "a list (lists are not audited: docs/threat-model.md, 3.1)",
    "pro/data-protection/": "the schedule and a search form; a search is audited (find_child)",
    "pro/data-protection/children/<int:child_id>/erase/": "POST only (audited as an erasure)",
    "pro/children/": "a list (lists are not audited: docs/threat-model.md, 3.1)",
    "pro/children/new/": "an empty form for a new child",
    "pro/children/reports-due/": "a list (lists are not audited: docs/threat-model.md, 3.1)",
    "pro/records/": "a list (lists are not audited: docs/threat-model.md, 3.1)",
    "pro/records/new/": "an empty form for a new record",
    "pro/records/sightings/new/": "an empty form for a new sighting (its record is audited)",
    "pro/meetings/": "a list of meetings by title and date",
    "pro/referrals/": "a list (lists are not audited: docs/threat-model.md, 3.1)",
    "pro/training/": "training, not a record",
    "pro/training/completion/": "training, not a record",
    "pro/training/certificates/<str:certificate_id>/": "a professional's own certificate",
    "pro/training/<slug:module_id>/": "training, not a record",
    "pro/screening/": "the quick check: nothing about a child is kept or shown",
    "pro/screening/indicators/": "the indicator catalogue",
    "pro/api/": "the API's documentation",
    "pro/api/openapi.json": "the API's description",
    "pro/api/screening/": "the quick check's API (POST only, keeps nothing)",
    "pro/screening/tasks/<int:task_id>/done/": "POST only (audited as screening.close_dsl_task)",
    "pro/concerns/on-duty/": "POST only (audited as concerns.take_duty)",
    "pro/profile/data-quality/to-complete/": (
        "answers 404 without a scorecard cell in its query; with one, a list audited as "
        "profile.view_to_complete (problemprofile/tests/test_profile.py)"
    ),
    "pro/children/repeat-missing/<int:alert_id>/seen/": (
        "POST only (audited as cases.repeat_missing_seen)"
    ),
    "pro/meetings/<int:meeting_id>/actions/<int:action_id>/": (
        "POST only (audited as meetings.update_action)"
    ),
}

# Who opens the pages under each part of the workspace: someone who may.
ASKER = {
    "children": "demo-dsl",
    "records": "demo-dsl",
    "meetings": "demo-coordinator",
    "network": "demo-coordinator",
    "referrals": "demo-dsl",
    "concerns": "demo-frontdoor",
    "data-protection": "demo-dpo",
    "audit": "demo-dpo",
    "screening": "demo-dsl",
    "cohort": "demo-coordinator",
    "profile": "demo-coordinator",
    "partnerships": "demo-coordinator",
}
# Pages one role alone may open, whoever opens the rest of their part of the workspace.
ASKER_FOR_ROUTE = {
    "pro/records/<int:entity_id>/intelligence/": "demo-analyst",
    "pro/records/intelligence/<int:sub_id>/": "demo-analyst",
    "pro/records/intelligence/<int:sub_id>/pdf/": "demo-analyst",
    "pro/records/intelligence/<int:sub_id>/json/": "demo-analyst",
    "pro/records/sightings/<int:sighting_id>/": "demo-analyst",
    "pro/records/sightings/<int:sighting_id>/intelligence/": "demo-analyst",
    "pro/records/pairs/": "demo-coordinator",
    "pro/records/pairs/<int:pair_id>/": "demo-coordinator",
}
# The record each route parameter names. A page is audited against its first one: an episode's
# page is a view of its child.
PARAMETERS = {
    "<int:child_id>": "child",
    "<int:episode_id>": "episode",
    "<int:nrm_id>": "nrm",
    "<int:entity_id>": "entity",
    "<int:hub_alert_id>": "hub_alert",
    "<int:meeting_id>": "meeting",
    "<int:referral_id>": "referral",
    "<str:reference>": "concern",
    "<int:task_id>": "task",
    "<int:action_id>": "action",
    "<int:sub_id>": "submission",
    "<int:sighting_id>": "sighting",
    "<int:pair_id>": "pair",
}
FIRST, LAST = "Ottoline", "Brackenbury-Vance"
LABEL = "Ottoline's uncle Rupert"


def _viewed_routes() -> list[str]:
    return [route for route in _workspace_routes() if route not in NOT_A_VIEW_OF_A_RECORD]


@pytest.fixture
def records() -> dict[str, Any]:
    """A child held by the DSL's team, with an episode, Philomena, a link, a referral, a pack."""
    dsl = User.objects.get(username="demo-dsl")
    coordinator = User.objects.get(username="demo-coordinator")
    team = Team.objects.get(name="Safeguarding")
    child = Child.objects.create(
        first_name=FIRST, last_name=LAST, team=team, created_by=dsl, in_care=True
    )
    values = dict.fromkeys(PhilomenaProfile.FIELDS, "Wears a red coat")
    PhilomenaProfile.objects.create(child=child, sealed=seal(values), updated_by=dsl)
    episode = MissingEpisode.objects.create(
        child=child, started_at=timezone.now(), reported_by="Carer", recorded_by=dsl
    )
    entity = Entity.objects.create(
        kind="person", label=LABEL, normalised="OTTOLINES UNCLE RUPERT", team=team, created_by=dsl
    )
    Link.objects.create(
        entity=entity,
        child=child,
        nature="Collects her",
        linked_on=timezone.localdate(),
        source="school",
        created_by=dsl,
    )
    referral = Referral.objects.create(
        child=child,
        referrer=dsl,
        referrer_team=team,
        consent="given",
        decision="share",
        front_door=Team.objects.get(name="Front Door (MASH)"),
        sealed=seal({"family": "f", "done": "d", "concerns": {"items": []}, "notes": []}),
        decision_due_at=timezone.now(),
    )
    meeting = Meeting.objects.create(
        held_on=timezone.localdate(), title="MACE", created_by=coordinator
    )
    Item.objects.create(meeting=meeting, child=child, rag="red", reason="Missing twice")
    Item.objects.create(meeting=meeting, entity=entity, rag="amber", reason="Seen with her")
    task = DslTask.objects.create(
        organisation=team.organisation,
        sent_by=User.objects.get(username="demo-practitioner"),
        child=child,
        sealed=seal({"note": "Ottoline is in room 4", "action": "Tell your DSL"}),
    )
    action = an_action(meeting, dsl)
    submission = a_submission(entity, "Ottoline's uncle Rupert collects her")
    nrm = NrmReferral.objects.create(
        child=child, referred_on=timezone.localdate(), first_responder="police", recorded_by=dsl
    )
    twin = Entity.objects.create(
        kind="person", label="Rupert", normalised="RUPERT", team=team, created_by=dsl
    )
    do_suggest_pairs([(entity.pk, twin.pk, 0.9, "very_likely", {})], run_label="test")
    return {
        "pair": PairSuggestion.objects.get(entity=entity, other=twin),
        "hub_alert": a_hub_alert(source_id=entity.pk),
        "nrm": nrm,
        "sighting": a_sighting(entity, "Ottoline's uncle Rupert at the hotel"),
        "task": task,
        "action": action,
        "submission": submission,
        "child": child,
        "episode": episode,
        "entity": entity,
        "meeting": meeting,
        "referral": referral,
        "concern": Concern.objects.filter(reporter_kind="friend").get(),
    }


def _fill(route: str, records: dict[str, Any]) -> tuple[str, tuple[str, str] | None]:
    """The route's URL for the records above, and the (type, id) its audit entry must name."""
    path, audited = "/" + route, None
    for parameter in re.findall(r"<[^>]+>", route):
        if parameter not in PARAMETERS:
            pytest.fail(f"/{route}: add {parameter} to PARAMETERS, or the route to the exemptions")
        target = records[PARAMETERS[parameter]]
        value = target.reference if isinstance(target, Concern) else target.pk
        path = path.replace(parameter, str(value))
        audited = audited or (target._meta.label_lower, str(target.pk))
    return path, audited


@pytest.mark.parametrize("route", _viewed_routes())
def test_each_page_that_shows_a_record_writes_one_audit_entry(route, records, client):
    part = route.split("/")[1]
    assert part in ASKER, f"/{route}: say in ASKER who may open it, or add it to the exemptions"
    user = User.objects.get(username=ASKER_FOR_ROUTE.get(route, ASKER[part]))
    path, audited = _fill(route, records)
    before = AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0

    response = verified_client(client, user).get(path)

    assert response.status_code in (200, 503), (path, response.status_code)  # 503: no Pango
    written = list(AuditEntry.objects.filter(seq__gt=before))
    assert len(written) == 1, f"{path} wrote {[e.action for e in written]}"
    [entry] = written
    assert entry.actor == user
    if audited:
        assert (entry.object_type, entry.object_id) == audited, entry
    # Numbers and fixed words only: never what was written about the child or the record.
    data = json.dumps(entry.data)
    for words in [FIRST, LAST, "Rupert", "red coat", "Missing twice", "Collects her"]:
        assert words not in data


def test_the_exemptions_name_real_routes_and_a_page_about_one_record_is_never_exempt(
    records, client
):
    routes = set(_workspace_routes())
    assert set(NOT_A_VIEW_OF_A_RECORD) <= routes, set(NOT_A_VIEW_OF_A_RECORD) - routes
    # A route about one child, record, meeting, referral or concern is exempt only if it shows
    # nothing: it refuses GET.
    for route, reason in NOT_A_VIEW_OF_A_RECORD.items():
        if any(parameter in route for parameter in PARAMETERS):
            assert "POST only" in reason, route
            user = User.objects.get(username=ASKER[route.split("/")[1]])
            path, _ = _fill(route, records)
            assert verified_client(client, user).get(path).status_code == 405, route
