"""Next steps: the partnership's guidance for the level, and steps particular answers call for."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from seethesigns.screening.models import NextSteps
from seethesigns.screening.rules import Result


@dataclass(frozen=True)
class Step:
    text: str
    urgent: bool = False


def conditional_steps(result: Result) -> list[Step]:
    present = {r.indicator for r in result.reasons}
    steps = []
    if result.immediate_referral:
        steps.append(
            Step(
                _(
                    "Refer now to the police and to children's social care (the front door). "
                    "Call 999 if the child is in immediate danger."
                ),
                urgent=True,
            )
        )
    if "going-missing" in present:
        steps.append(
            Step(
                _(
                    "After each missing episode the child should be offered a return home "
                    "interview within 72 hours, by someone independent. Check it happened."
                )
            )
        )
    if present & {"asked-for-images", "images-shared"}:
        steps.append(
            Step(
                _(
                    "Images: the child can ask for nude images to be taken down with Report "
                    "Remove (Childline and the Internet Watch Foundation). Report adults asking "
                    "for images to CEOP. Never view, copy or forward the images yourself."
                )
            )
        )
    if not result.enough_known:
        steps.append(Step(_("Much is not known: find out more (see below) and screen again soon.")))
    return steps


def level_guidance(level: str) -> str:
    """The partnership's own words for this level (rich text), or an empty string."""
    found = NextSteps.objects.filter(level=level).first()
    return found.steps if found else ""
