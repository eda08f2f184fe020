"""Demo screenings: Mia screened twice, so her record shows a change (never in production)."""

from datetime import timedelta

from django.utils import timezone

from seethesigns.accounts.models import User
from seethesigns.children.models import Child
from seethesigns.screening.actions import do_save_screening
from seethesigns.screening.config import load_config
from seethesigns.screening.models import Indicator
from seethesigns.screening.rules import Answer, suggest

AFTER = ("cases",)


def load() -> list[str]:
    """Screen the demo child twice, seventy days and three days ago, unless she has been."""
    child = Child.objects.filter(first_name="Mia", last_name="Example").first()
    if child is None or child.screenings.exists():
        return []
    catalogue = Indicator.objects.catalogue()
    if not catalogue:
        return []  # load_content has not run yet
    dsl = User.objects.get(username="demo-dsl")
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
    return []
