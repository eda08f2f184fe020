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
    involves_family: bool = False  # asks, tells or offers something to the child's family


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


def advise(result: Result, *, is_dsl: bool) -> Advice:
    """The action that heads the result, and every next step, for this reader.

    `is_dsl` is whether the reader can refer (a DSL, the front door, the CSE team); a
    practitioner who cannot is told to tell their DSL, never to refer themselves.
    """
    return Advice(action=_action(result, is_dsl=is_dsl), steps=_steps(result))


def _action(result: Result, *, is_dsl: bool) -> Step:
    level = result.level
    if not is_dsl:
        if result.immediate_referral or level == "significant":
            return Step(
                "tell-dsl-now",
                _(
                    "Tell your designated safeguarding lead now. If you cannot reach them, call "
                    "the front door yourself, or 999 if the child is in danger right now."
                ),
                urgent=True,
                contacts=("front_door", "out_of_hours", "emergency"),
            )
        if level is None:
            return Step(
                "find-out-tell-dsl",
                _(
                    "Not enough is known to suggest a level. Tell your designated safeguarding "
                    "lead today, and find out what is listed below first."
                ),
            )
        return Step(
            "tell-dsl-today",
            _("Tell your designated safeguarding lead today, and share this screening."),
        )
    if result.immediate_referral or level == "significant":
        return Step(
            "refer-now",
            _(
                "Refer now to children's social care (the front door) and the police. Call 999 "
                "if the child is in danger right now."
            ),
            urgent=True,
            contacts=("front_door", "out_of_hours", "police", "emergency"),
        )
    if level is None and result.at_least == "moderate":
        return Step(
            "refer-today-find-out",
            _(
                "Refer to children's social care (the front door) today: from what is known it "
                "is at least a moderate concern. Find out what is listed below as well."
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
    if level == "moderate":
        return Step(
            "refer-today",
            _("Refer to children's social care (the front door) today."),
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
    if present & {"trafficked-for-sex", "moved-for-exploitation"}:
        steps.append(
            Step(
                "national-referral-mechanism",
                _(
                    "A child moved for exploitation is a potential victim of trafficking: "
                    "children's social care, as a first responder, considers a National Referral "
                    "Mechanism referral."
                ),
                contacts=("front_door",),
            )
        )
    if result.past_exploitation:
        steps.append(
            Step(
                "review-date",
                _(
                    "Exploitation in the past keeps the level at least emerging: set a date to "
                    "screen again within 3 months."
                ),
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
    from seethesigns.content.models import HelpContact

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
    return {
        "id": step.id,
        "text": step.text,
        "urgent": step.urgent,
        "contacts": [
            {"name": c.name, "phone": c.phone, "url": c.url}
            for key in step.contacts
            if (c := contacts.get(key))
        ],
    }


def level_guidance(result: Result) -> str:
    """The partnership's own words for the level (rich text), or an empty string. Not shown
    when a family member is suspected: the fixed steps above say what to do then."""
    if result.family or result.level is None:
        return ""
    found = NextSteps.objects.filter(level=result.level).first()
    return found.steps if found else ""
