"""Records that cross-cutting tests make for the URLs they visit (the access matrix, the audit)."""

import re

from django.utils import timezone

from seethesigns.accounts.models import Team, User
from seethesigns.children.search import searched_token
from seethesigns.encryption import seal
from seethesigns.meetings.models import Action, Meeting
from seethesigns.network.models import Entity, IntelligenceSubmission, Sighting


def an_action(meeting: Meeting, by: User) -> Action:
    return Action.objects.create(
        meeting=meeting, text="Visit", owner="PC", due_on=timezone.localdate(), created_by=by
    )


def a_submission(entity: Entity, intelligence: str) -> IntelligenceSubmission:
    """The police analyst's 3x5x2 submission from `entity`."""
    return IntelligenceSubmission.objects.create(
        entity=entity,
        source_evaluation="2",
        assessment="B",
        handling="P",
        sealed=seal({"intelligence": intelligence, "conditions": ""}),
        team=Team.objects.get(name="Child Exploitation Unit"),
        created_by=User.objects.get(username="demo-analyst"),
    )


def a_sighting(place: Entity, what: str) -> Sighting:
    """The police analyst's sighting at `place`."""
    return Sighting.objects.create(
        place=place,
        seen_on=timezone.localdate(),
        source="police",
        sealed=seal({"where": place.label, "vehicle": "", "what": what}),
        team=Team.objects.get(name="Child Exploitation Unit"),
        created_by=User.objects.get(username="demo-analyst"),
    )


def new_child_form(**values: str) -> dict[str, str]:
    """What "Add the record" sends once the child was searched for (search before create)."""
    searched = ("first_name", "last_name", "date_of_birth", "address", "nhs_number")
    identity = {name: values.get(name, "") for name in searched}
    extra = {name: value for name, value in values.items() if name not in searched}
    extra = {"learning_disability": "no", **extra, "step": "create"}
    # The token is made from what the search form cleaned: the NHS number as its ten digits.
    cleaned = {**identity, "nhs_number": re.sub(r"\D", "", identity["nhs_number"])}
    return {**identity, **extra, "searched": searched_token(cleaned)}
