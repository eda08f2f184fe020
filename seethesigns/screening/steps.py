"""What to do next: the action that heads a result, the steps particular answers call for, and
the local contacts each step names. Written once; the page, the summary and the API all use it.
"""

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from seethesigns.screening.config import contact_slugs
from seethesigns.screening.models import NextSteps
from seethesigns.screening.rules import Result


@dataclass(frozen=True)
class Step:
    id: str
    text: str
    urgent: bool = False
    contacts: tuple[str, ...] = ()  # keys of rules.yaml's contacts: front_door, police…


@dataclass(frozen=True)
class Contact:
    name: str
    phone: str = ""
    url: str = ""


@dataclass
class Advice:
    """A result as a person reads it: the action first, then the steps."""

    action: Step
    steps: list[Step] = field(default_factory=list)


# Who reads the result decides its action: a practitioner tells their DSL; the front door
# decides; a DSL or the CSE team refers.
READERS = ("practitioner", "front_door", "referrer")


def advise(result: Result, *, reader: str) -> Advice:
    """The action that heads the result, and every next step, for this reader."""
    return Advice(action=_action(result, reader=reader), steps=_steps(result))


def _action(result: Result, *, reader: str) -> Step:
    if reader == "practitioner":
        return _practitioner_action(result)
    if reader == "front_door":
        return _front_door_action(result)
    return _referrer_action(result)


def _practitioner_action(result: Result) -> Step:
    """A practitioner cannot refer here: they tell their DSL, who can (KCSIE)."""
    if result.urgent:
        return Step(
            "tell-dsl-now",
            _(
                "Tell your designated safeguarding lead now, by phone or in person. If you "
                "cannot reach them, call the front door yourself, or 999 if the child is in "
                "danger right now."
            ),
            urgent=True,
            contacts=("front_door", "out_of_hours", "emergency"),
        )
    if result.level is None:
        return Step(
            "find-out-tell-dsl",
            _(
                "Not enough is known to suggest a level. Tell your designated safeguarding "
                "lead today: below is what they will want to know."
            ),
        )
    return Step(
        "tell-dsl-today",
        _("Tell your designated safeguarding lead today, and share this screening."),
    )


def _front_door_action(result: Result) -> Step:
    if result.urgent or result.family:
        return Step(
            "strategy-discussion-today",
            _(
                "Hold a strategy discussion with the police today. Call 999 if the child is in "
                "danger right now."
            ),
            urgent=True,
            contacts=("police", "emergency"),
        )
    if result.level is None and result.at_least == "none":
        return Step(
            "find-out-first",
            _(
                "Not enough is known to suggest a level. Find out what is listed below from "
                "the agencies that know the child, then decide."
            ),
        )
    return Step(
        "decide-in-a-working-day",
        _(
            "Decide within one working day what happens next: a child and family assessment, "
            "a strategy discussion, or support from the exploitation team."
        ),
        contacts=("cse_coordinator",),
    )


def _referrer_action(result: Result) -> Step:
    level = result.level
    if result.urgent:
        return Step(
            "refer-now",
            _(
                "Refer now to children's social care (the front door) and the police. Call 999 "
                "if the child is in danger right now."
            ),
            urgent=True,
            contacts=("front_door", "out_of_hours", "police", "emergency"),
        )
    if level == "moderate" or (level is None and result.at_least == "moderate"):
        return Step(
            "refer-today",
            _(
                "Refer to children's social care (the front door) today. Find out what is "
                "listed below as well."
                if level is None
                else "Refer to children's social care (the front door) today."
            ),
            contacts=("front_door",),
        )
    if level is None:
        return Step(
            "find-out-first",
            _(
                "Not enough is known to suggest a level. Find out what is listed below first, "
                "then screen again. If you are worried now, talk to the front door."
            ),
            contacts=("front_door",),
        )
    if level == "emerging":
        return Step(
            "plan-support",
            _(
                "Record the concern, plan support with the people who know the child, and "
                "screen again within 3 months."
            ),
        )
    return Step(
        "keep-watching",
        _(
            "No current concern was found in what is known. This does not mean the child is "
            "not being exploited: keep notes and screen again if anything changes."
        ),
    )


def _steps(result: Result) -> list[Step]:
    present = {p.indicator for p in result.present}
    steps = []
    if result.family:
        steps.append(
            Step(
                "family-strategy",
                _(
                    "A family member or carer is suspected: do not tell the family, and do not "
                    "ask them about it. Children's social care and the police hold a strategy "
                    "discussion and decide who tells the family, and when."
                ),
                urgent=True,
                contacts=("front_door", "police"),
            )
        )
    if result.immediate_referral:
        steps.append(
            Step(
                "do-not-investigate",
                _(
                    "Do not question the child in detail and do not confront anyone you suspect: "
                    "write down what was seen or said, in the child's words, with the time."
                ),
            )
        )
    if result.criminal:
        steps.append(
            Step(
                "criminal-exploitation",
                _(
                    "The answers include criminal exploitation (county lines, drug debts, being "
                    "made to carry or sell). Sexual and criminal exploitation often come "
                    "together: tell the CSE coordinator, so that the child is considered at the "
                    "partnership's exploitation (MACE) meeting too."
                ),
                contacts=("cse_coordinator",),
            )
        )
    if "peer" in result.exploiters:
        steps.append(
            Step(
                "harm-from-peers",
                _(
                    "Harm from other children: follow your procedure for harmful sexual "
                    "behaviour. Every child involved needs support, and the places and groups "
                    "where it happens need a plan too (contextual safeguarding)."
                ),
            )
        )
    if present & {"going-missing", "missing-found-with-adults"}:
        steps.append(
            Step(
                "return-home-interview",
                _(
                    "After each missing episode the child should be offered a return home "
                    "interview within 72 hours, by someone independent. Check it happened."
                ),
            )
        )
    if present & {"asked-for-images", "images-shared", "images-threatened"}:
        steps.append(
            Step(
                "images",
                _(
                    "Images: the child can ask for nude images to be taken down with Report "
                    "Remove. Report adults asking for images to CEOP. Never view, copy or "
                    "forward the images yourself."
                ),
                contacts=("report_remove", "ceop"),
            )
        )
    if present & {"trafficked-for-sex", "moved-for-exploitation"} or result.criminal:
        steps.append(
            Step(
                "national-referral-mechanism",
                _(
                    "A child moved for exploitation, sexual or criminal (county lines), is a "
                    "potential victim of trafficking: children's social care, as a first "
                    "responder, considers a National Referral Mechanism referral."
                ),
                contacts=("front_door",),
            )
        )
    if result.past_exploitation:
        steps.append(
            Step(
                "non-recent-abuse",
                _(
                    "Exploitation over a year ago is non-recent abuse: it still goes to "
                    "children's social care and the police. Set a date to screen again within "
                    "3 months: a child exploited before is more at risk."
                ),
                contacts=("front_door", "police"),
            )
        )
    if not result.enough_known:
        steps.append(
            Step(
                "find-out",
                _("Find out what is listed under 'What to find out first', then screen again."),
            )
        )
    return steps


def contacts_for(steps: list[Step]) -> dict[str, Contact]:
    """The help contacts the steps name, by key, from the editable local contacts."""
    from seethesigns.accounts.models import Role, User
    from seethesigns.website.models import HelpContact

    slugs = contact_slugs()
    keys = list(dict.fromkeys(key for step in steps for key in step.contacts))  # in step order
    wanted = {key: slugs[key] for key in keys if key in slugs}
    found = {
        c.slug: c for c in HelpContact.objects.filter(slug__in=set(wanted.values()), live=True)
    }
    contacts = {
        key: Contact(found[slug].name, found[slug].phone, found[slug].url)
        for key, slug in wanted.items()
        if slug in found
    }
    if "cse_coordinator" in keys:
        lead = User.objects.filter(role=Role.CSE_COORDINATOR, is_active=True).order_by("pk")
        if person := lead.select_related("team").first():
            name = _("%(name)s, CSE coordinator (%(team)s)") % {
                "name": person.display_name,
                "team": person.team.name if person.team else "",
            }
            contacts["cse_coordinator"] = Contact(name, person.phone)
    return contacts


def step_json(step: Step, contacts: dict[str, Contact]) -> dict[str, Any]:
    """A step with each contact it names; `missing` lists those the partnership has not set."""
    return {
        "id": step.id,
        "text": step.text,
        "urgent": step.urgent,
        "contacts": [
            {"role": key, "name": c.name, "phone": c.phone, "url": c.url}
            for key in step.contacts
            if (c := contacts.get(key))
        ],
        "missing": [key for key in step.contacts if key not in contacts],
    }


def level_guidance(result: Result) -> str:
    """The partnership's own words for the level (rich text), or an empty string. Not shown
    when a family member is suspected: the fixed steps above say what to do then."""
    if result.family or result.level is None:
        return ""
    found = NextSteps.objects.filter(level=result.level).first()
    return found.steps if found else ""
