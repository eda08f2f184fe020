"""A child's record with a screening and a referral holding a known sentence, for the tests.

Run in another process against another database:
    manage.py shell -c "from seethesigns.dataprotection.tests.plant import plant; plant()"
plant_relabelled_record() adds a vehicle record whose first label is kept as a revision.
"""

from typing import Any

from django.utils import timezone

from seethesigns.accounts.models import Team, User
from seethesigns.audit.actions import record
from seethesigns.children.models import Child
from seethesigns.encryption import seal
from seethesigns.network.actions import do_create_entity, do_update_entity
from seethesigns.network.models import Entity
from seethesigns.referrals.models import Referral
from seethesigns.screening.models import Screening

SENTENCE = "Seen getting into a silver hatchback outside the leisure centre at midnight"
FIRST_NAME, LAST_NAME = "Ysolde", "Quenby-Marchetti"
FIRST_LABEL = "YQ70 MRC"


def plant(dsl: Any = None, **child_fields: Any) -> Child:
    """A child held by the school's safeguarding team, screened once and referred once."""
    dsl = dsl or User.objects.get(username="demo-dsl")
    values = {"first_name": FIRST_NAME, "last_name": LAST_NAME, **child_fields}
    child = Child.objects.create(
        team=Team.objects.get(name="Safeguarding"), created_by=dsl, **values
    )
    record("cases.create_child", actor=dsl, obj=child)
    answer = {"state": "present", "when": "2026-10", "evidence": SENTENCE, "source": "pupil"}
    screening = Screening.objects.create(
        child=child,
        screened_by=dsl,
        learning_disability="no",
        sealed=seal({"answers": {"going-missing": answer}, "judgement_reason": ""}),
        suggested_level="moderate",
        enough_known=True,
        judgement="moderate",
    )
    record("screening.save", actor=dsl, obj=child, data={"screening": screening.pk})
    referral = Referral.objects.create(
        child=child,
        screening=screening,
        referrer=dsl,
        referrer_team=child.team,
        front_door=Team.objects.get(name="Front Door (MASH)"),
        consent="given",
        decision="share",
        sealed=seal({"family": "Mother and stepfather", "done": SENTENCE, "notes": []}),
        decision_due_at=timezone.now(),
    )
    record("referrals.make", actor=dsl, obj=referral, data={"child": child.pk})
    record("cases.view_child", actor=User.objects.get(username="demo-practitioner"), obj=child)
    return child


def plant_relabelled_record(dsl: Any = None) -> Entity:
    """A vehicle record typed as FIRST_LABEL, then relabelled: the first label is a revision."""
    dsl = dsl or User.objects.get(username="demo-dsl")
    entity = do_create_entity(
        {"kind": "vehicle", "label": FIRST_LABEL}, acting_user=dsl, request=None
    )
    values = {"label": "QQ01 QQQ", "place_kind": "", "details": ""}
    return do_update_entity(entity, entity.version, values, acting_user=dsl, request=None)
