"""A result as each reader meets it, in order: the action, the level, why, what is not known,
the steps and their contacts. The page, the summary, the API and the DSL's task all take it from
here, so they cannot disagree."""

from typing import Any

from seethesigns.screening.models import Indicator
from seethesigns.screening.policies import designated_leads, reader_of, tells_a_dsl
from seethesigns.screening.rules import EXPLOITER_WORDS, LEVEL_WORDS, WHEN_WORDS, Result
from seethesigns.screening.steps import Step, advise, contacts_for, level_guidance


def explain(result: Result, indicators: list[Indicator], user: Any) -> dict[str, Any]:
    by_code = {i.code: i for i in indicators}
    tells = tells_a_dsl(user)
    advice = advise(result, reader=reader_of(user))
    contacts = contacts_for([advice.action, *advice.steps])
    return {
        "advice": advice,
        "contacts": contacts,
        "action_contacts": [contacts[k] for k in advice.action.contacts if k in contacts],
        "action_missing": [k for k in advice.action.contacts if k not in contacts],
        "steps": [
            (step, [contacts[k] for k in step.contacts if k in contacts]) for step in advice.steps
        ],
        "floors": [(f, [by_code[i] for i in f.indicators]) for f in result.floors],
        "reasons": [(by_code[p.indicator], p) for p in result.present],
        "find_out_first": [
            (by_code[c], by_code[c].ask_for(result.family)) for c in result.key_not_known
        ],
        "find_out": [
            (by_code[c], by_code[c].ask_for(result.family))
            for c in result.not_known
            if c not in result.key_not_known
        ],
        "guidance": level_guidance(result),
        "tells_dsl": tells,
        "leads": designated_leads(user) if tells else [],
        "at_least_words": LEVEL_WORDS[result.at_least],
        "exploiter_words": [EXPLOITER_WORDS[e] for e in result.exploiters],
    }


def _contacts_json(step: Step) -> list[dict[str, str]]:
    found = contacts_for([step])
    return [
        {"name": c.name, "phone": c.phone, "url": c.url}
        for key in step.contacts
        if (c := found.get(key))
    ]


def task_contents(result: Result, context: dict[str, Any], *, note: str) -> dict[str, Any]:
    """What the task says: the DSL's action and the sender's, the level, why, what to find out."""
    action = advise(result, reader="referrer").action
    sender_action = context["advice"].action
    return {
        "note": note,
        "action": action.text,
        "contacts": _contacts_json(action),
        "sender_action": sender_action.text,
        "sender_contacts": _contacts_json(sender_action),
        "level_words": result.words,
        "at_least_words": context["at_least_words"] if result.level is None else "",
        "floors": [f.why for f in result.floors],
        "reasons": [f"{i.title} ({WHEN_WORDS[p.when].lower()})" for i, p in context["reasons"]],
        "find_out": [
            f"{i.title}: {ask}" if ask else i.title for i, ask in context["find_out_first"]
        ],
        "exploiters": context["exploiter_words"],
        "criminal": result.criminal,
    }
