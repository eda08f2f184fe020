"""The screening rules as JSON, for integration and testing: the same rules as the web form."""

import json
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from seethesigns.accounts.decorators import pro_required
from seethesigns.accounts.policies import WorkspacePolicy
from seethesigns.screening.config import load_config
from seethesigns.screening.models import Indicator
from seethesigns.screening.presenting import explain
from seethesigns.screening.rules import (
    EXPLOITERS,
    LEVEL_WORDS,
    LEVELS,
    NO_LEVEL_WORDS,
    STATES,
    WHENS,
    Answer,
    Result,
    ScreeningError,
    suggest,
)
from seethesigns.screening.steps import step_json

NOTE = (
    "A suggestion to support professional judgement, not a decision and not a probability. "
    "Record your own judgement, and act on it."
)


def _problem(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


@csrf_exempt  # stores nothing and changes nothing: a forged request learns nothing it can read
@require_POST
def screening(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not user.is_authenticated or not user.is_verified():
        return _problem("Sign in, with your second factor, first.", 401)
    if not WorkspacePolicy(user).can_enter:
        return _problem("Your account has no role in the workspace.", 403)
    try:
        body = json.loads(request.body or b"null")
    except RequestDataTooBig:
        return _problem("The request is too large.", 413)
    except (ValueError, UnicodeDecodeError):
        return _problem(f"Send a JSON object: see {reverse('pro:screening:openapi')}.")
    except RecursionError:  # arrays or objects nested thousands deep
        return _problem(f"The JSON is nested too deeply: see {reverse('pro:screening:openapi')}.")
    try:
        age, disability, exploiters, answers = _read(body)
        indicators = list(Indicator.objects.active())
        result = suggest(
            answers,
            age=age,
            learning_disability=disability,
            exploiters=exploiters,
            catalogue={i.code: i.spec for i in indicators},
            config=load_config(),
        )
    except ScreeningError as e:
        return _problem(str(e))
    return JsonResponse(result_json(result, explain(result, indicators, user)))


def result_json(result: Result, shown: dict[str, Any]) -> dict[str, Any]:
    """The whole result, as the page shows it: the action first, then the level and why."""
    contacts = shown["contacts"]
    return {
        "action": step_json(shown["advice"].action, contacts),
        "level": result.level,
        "level_words": result.words,
        "at_least": result.at_least,
        "enough_known": result.enough_known,
        "immediate_referral": result.immediate_referral,
        "criminal_exploitation": result.criminal,
        "exploiters": list(result.exploiters),
        "floors": [
            {"rule": f.rule, "level": f.level, "why": f.why, "indicators": list(f.indicators)}
            for f, _ in shown["floors"]
        ],
        "reasons": [
            {"indicator": i.code, "kind": p.kind, "when": p.when, "title": i.title}
            for i, p in shown["reasons"]
        ],
        "find_out_first": [{"indicator": i.code, "ask": ask} for i, ask in shown["find_out_first"]],
        "find_out": [{"indicator": i.code, "ask": ask} for i, ask in shown["find_out"]],
        "next_steps": [step_json(step, contacts) for step in shown["advice"].steps],
        "level_guidance": shown["guidance"],
        "tell_dsl": (
            {"leads": [{"name": u.display_name, "phone": u.phone} for u in shown["leads"]]}
            if shown["tells_dsl"]
            else None
        ),
        "note": NOTE,
    }


def _read(body: Any) -> tuple[int | None, str, list[str], dict[str, Answer]]:
    """Check the request's shape; every problem raises ScreeningError with what to change."""
    if not isinstance(body, dict):
        raise ScreeningError("Send a JSON object with 'answers' (and optionally 'age').")
    unknown = sorted(set(body) - {"age", "learning_disability", "exploiters", "answers"})
    if unknown:
        raise ScreeningError(f"Unknown field: {unknown[0][:80]}.")
    age = body.get("age")
    if age is not None and (not isinstance(age, int) or isinstance(age, bool)):
        raise ScreeningError("age must be a whole number of years, or null if not known.")
    disability = body.get("learning_disability", "not_known")
    if not isinstance(disability, str):
        raise ScreeningError("learning_disability must be yes, no or not_known.")
    exploiters = body.get("exploiters", [])
    if not isinstance(exploiters, list) or not all(isinstance(e, str) for e in exploiters):
        raise ScreeningError(f"exploiters must be a list of: {', '.join(EXPLOITERS)}.")
    raw = body.get("answers", {})
    if not isinstance(raw, dict):
        raise ScreeningError("answers must be an object: indicator id -> {state, when}.")
    answers = {}
    for code, answer in raw.items():
        if not isinstance(answer, dict):
            raise ScreeningError(f"{str(code)[:80]}: give an object with state and when.")
        state = answer.get("state", "not_known")
        when = answer.get("when", "current")
        if state not in STATES or when not in WHENS:
            raise ScreeningError(
                f"{str(code)[:80]}: state is one of {', '.join(STATES)}; "
                f"when is one of {', '.join(WHENS)}."
            )
        answers[str(code)] = Answer(state, when)
    return age, disability, exploiters, answers


@pro_required
@require_GET
def openapi(request: HttpRequest) -> JsonResponse:
    codes = list(Indicator.objects.active().values_list("code", flat=True))
    return JsonResponse(openapi_document(codes))


@pro_required
@require_GET
def docs(request: HttpRequest) -> HttpResponse:
    return render(request, "screening/api.html", {"indicators": Indicator.objects.active()})


def openapi_document(codes: list[str]) -> dict[str, Any]:
    answer = {
        "type": "object",
        "properties": {
            "state": {"type": "string", "enum": list(STATES), "default": "not_known"},
            "when": {"type": "string", "enum": list(WHENS), "default": "current"},
        },
        "additionalProperties": False,
    }
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "SeeTheSigns screening API",
            "version": "1",
            "description": NOTE + " Indicators left out count as not known, never as not present.",
        },
        "paths": {
            reverse("pro:screening:api"): {
                "post": {
                    "summary": "Suggest a level of concern",
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Request"}}
                        },
                    },
                    "responses": {
                        "200": {
                            "description": "The suggestion",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Result"}
                                }
                            },
                        },
                        "400": {
                            "description": "Bad input, with a message",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Error"}
                                }
                            },
                        },
                        "401": {"description": "Not signed in with a second factor"},
                        "403": {"description": "No role in the workspace"},
                        "413": {"description": "Too large"},
                    },
                }
            }
        },
        "components": {
            "schemas": {
                "Request": {
                    "type": "object",
                    "properties": {
                        "age": {"type": "integer", "minimum": 0, "maximum": 25, "nullable": True},
                        "learning_disability": {
                            "type": "string",
                            "enum": ["yes", "no", "not_known"],
                            "default": "not_known",
                        },
                        "exploiters": {
                            "type": "array",
                            "items": {"type": "string", "enum": list(EXPLOITERS)},
                            "description": "Who is suspected: empty if no one is.",
                        },
                        "answers": {
                            "type": "object",
                            "properties": dict.fromkeys(codes, answer),
                            "additionalProperties": False,
                        },
                    },
                    "additionalProperties": False,
                },
                "Result": {
                    "type": "object",
                    "required": [
                        "action",
                        "level",
                        "level_words",
                        "at_least",
                        "enough_known",
                        "immediate_referral",
                        "criminal_exploitation",
                        "exploiters",
                        "floors",
                        "reasons",
                        "find_out_first",
                        "find_out",
                        "next_steps",
                        "level_guidance",
                        "tell_dsl",
                        "note",
                    ],
                    "properties": {
                        "action": {"$ref": "#/components/schemas/Step"},
                        "level": {
                            "type": "string",
                            "enum": list(LEVELS),
                            "nullable": True,
                            "description": "null: not enough is known to suggest a level.",
                        },
                        "level_words": {
                            "type": "string",
                            "enum": [*LEVEL_WORDS.values(), NO_LEVEL_WORDS],
                        },
                        "at_least": {"type": "string", "enum": list(LEVELS)},
                        "enough_known": {"type": "boolean"},
                        "immediate_referral": {"type": "boolean"},
                        "criminal_exploitation": {"type": "boolean"},
                        "exploiters": {"type": "array", "items": {"type": "string"}},
                        "floors": {"type": "array", "items": {"type": "object"}},
                        "reasons": {"type": "array", "items": {"type": "object"}},
                        "find_out_first": {"type": "array", "items": {"type": "object"}},
                        "find_out": {"type": "array", "items": {"type": "object"}},
                        "next_steps": {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/Step"},
                        },
                        "level_guidance": {
                            "type": "string",
                            "description": "The partnership's guidance for the level (HTML).",
                        },
                        "tell_dsl": {"type": "object", "nullable": True},
                        "note": {"type": "string"},
                    },
                },
                "Step": {
                    "type": "object",
                    "properties": {
                        "id": {"type": "string"},
                        "text": {"type": "string"},
                        "urgent": {"type": "boolean"},
                        "contacts": {"type": "array", "items": {"type": "object"}},
                        "missing": {"type": "array", "items": {"type": "string"}},
                    },
                },
                "Error": {
                    "type": "object",
                    "properties": {"error": {"type": "string"}},
                    "required": ["error"],
                },
            }
        },
    }
