"""The screening rules as JSON, for integration and testing: the same rules as the web form."""

import json
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from seethesigns.accounts.decorators import pro_required
from seethesigns.accounts.policies import WorkspacePolicy
from seethesigns.screening.config import load_config
from seethesigns.screening.models import Indicator
from seethesigns.screening.rules import (
    LEVEL_WORDS,
    LEVELS,
    STATES,
    WHENS,
    Answer,
    ScreeningError,
    suggest,
)
from seethesigns.screening.steps import conditional_steps

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
        return _problem("Send a JSON object: see /pro/api/openapi.json.")
    except RecursionError:  # arrays or objects nested thousands deep
        return _problem("The JSON is nested too deeply: see /pro/api/openapi.json.")
    try:
        age, disability, answers = _read(body)
        indicators = {i.code: i for i in Indicator.objects.active()}
        result = suggest(
            answers,
            age=age,
            learning_disability=disability,
            catalogue={code: i.spec for code, i in indicators.items()},
            config=load_config(),
        )
    except ScreeningError as e:
        return _problem(str(e))
    return JsonResponse(
        {
            "level": result.level,
            "level_words": result.words,
            "level_from_points": result.level_from_points,
            "enough_known": result.enough_known,
            "immediate_referral": result.immediate_referral,
            "reasons": [
                {
                    "indicator": r.indicator,
                    "kind": r.kind,
                    "when": r.when,
                    "title": indicators[r.indicator].title,
                }
                for r in result.reasons
            ],
            "overrides": [
                {"rule": o.rule, "floor": o.floor, "why": o.why} for o in result.overrides
            ],
            "find_out": [
                {"indicator": code, "ask": indicators[code].ask} for code in result.not_known
            ],
            "next_steps": [s.text for s in conditional_steps(result)],
            "note": NOTE,
        }
    )


def _read(body: Any) -> tuple[int | None, str, dict[str, Answer]]:
    """Check the request's shape; every problem raises ScreeningError with what to change."""
    if not isinstance(body, dict):
        raise ScreeningError("Send a JSON object with 'answers' (and optionally 'age').")
    unknown = sorted(set(body) - {"age", "learning_disability", "answers"})
    if unknown:
        raise ScreeningError(f"Unknown field: {unknown[0][:80]}.")
    age = body.get("age")
    if age is not None and (not isinstance(age, int) or isinstance(age, bool)):
        raise ScreeningError("age must be a whole number of years, or null if not known.")
    disability = body.get("learning_disability", "not_known")
    if not isinstance(disability, str):
        raise ScreeningError("learning_disability must be yes, no or not_known.")
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
    return age, disability, answers


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
            "/pro/api/screening/": {
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
                        "level",
                        "level_words",
                        "enough_known",
                        "immediate_referral",
                        "reasons",
                        "overrides",
                        "find_out",
                        "next_steps",
                        "note",
                    ],
                    "properties": {
                        "level": {"type": "string", "enum": list(LEVELS)},
                        "level_words": {"type": "string", "enum": list(LEVEL_WORDS.values())},
                        "level_from_points": {"type": "string", "enum": list(LEVELS)},
                        "enough_known": {"type": "boolean"},
                        "immediate_referral": {"type": "boolean"},
                        "reasons": {"type": "array", "items": {"type": "object"}},
                        "overrides": {"type": "array", "items": {"type": "object"}},
                        "find_out": {"type": "array", "items": {"type": "object"}},
                        "next_steps": {"type": "array", "items": {"type": "string"}},
                        "note": {"type": "string"},
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
