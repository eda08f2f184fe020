"""Every form, query string and API endpoint, fed generated hostile input: 0 server errors.

Each row of FUZZ is one endpoint, sent by someone who can reach its form (so the form's own
validation runs, not a 404 or 403). `make test` tries a few inputs per row; `make fuzz` sets
FUZZ_EXAMPLES for the long run and fails below FUZZ_MIN_INPUTS inputs in all. Each input runs in a
transaction that is rolled back, so every input meets the same records.

A new route fails test_the_fuzz_table_covers_every_route until it has a row here.
"""

import uuid
from datetime import timedelta
from html import escape
from http.cookies import SimpleCookie
from typing import Any

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from wagtail.models import Page, get_page_models

from conftest import verified_client
from seethesigns.accounts.models import Invitation, Role, Team, User
from seethesigns.children.models import Child, LearningDisability, RepeatMissingAlert
from seethesigns.concerns.actions import do_restrict_concern, do_submit_concern
from seethesigns.concerns.models import (
    Concern,
    Decision,
    ReporterKind,
    StatedUrgency,
    TriageUrgency,
)
from seethesigns.encryption import seal
from seethesigns.linkage.tests.fakes import a_hub_alert
from seethesigns.meetings.models import Meeting
from seethesigns.network.actions import do_suggest_pairs
from seethesigns.network.models import Entity, IntelligenceSubmission, PairSuggestion
from seethesigns.referrals.actions import do_make_referral
from seethesigns.referrals.models import Consent, Outcome
from seethesigns.referrals.models import Decision as ReferralDecision
from seethesigns.screening.models import DslTask, Level, OverruleReason
from seethesigns.selfcheck.data import ANSWERS
from seethesigns.selfcheck.data import load as load_selfcheck
from seethesigns.stories.graph import SPOT
from seethesigns.stories.models import StoriesPage, StoryPage
from seethesigns.tests.fuzzing import (
    CODES,
    KEPT,
    TRIED,
    WORDS,
    Endpoint,
    Fields,
    Sent,
    examples_per_endpoint,
    one_of,
    requests,
)
from seethesigns.tests.records import a_sighting
from seethesigns.training.data import modules
from seethesigns.training.models import Completion
from seethesigns.website.choices import SignList
from seethesigns.website.models import ContentPage, Film, FilmsPage, HelpPage, HomePage, SignsPage

pytestmark = pytest.mark.django_db

DATE = one_of("2012-03-27", "2031-01-01", "27/03/2012")
NUMBER = one_of("1", "2", "14", "0")
# A form's own key (seethesigns/submissions.py): a fresh one, or one that is not a key.
KEY = one_of(str(uuid.uuid4()), "not-a-key")

CONCERN = {
    "reporter_kind": one_of(*ReporterKind.values),
    "your_name": WORDS,
    "your_organisation": WORDS,
    "contact": WORDS,
    "what": WORDS,
    "about": WORDS,
    "where_when": WORDS,
    "urgency": one_of(*StatedUrgency.values),
    "key": KEY,
    "token": WORDS,
}
CHILD = {
    "first_name": WORDS,
    "last_name": WORDS,
    "date_of_birth": DATE,
    "learning_disability": one_of(*LearningDisability.values),
    "sex": one_of("female", "x", ""),
    "ethnicity": one_of("white-irish", "not-known", "Asian or Asian British", "x", ""),
    "nationality": one_of("GB", "stateless", "declined", "XX", ""),
    "nhs_number": one_of(
        "943 476 5919",
        "9434765918",
        "12345",
        "\uff19\uff14\uff13\uff14\uff17\uff16\uff15\uff19\uff11\uff19",
        "",
    ),
}
# Search before create: the search step, then the record with the token of what was searched.
NEW_CHILD = {
    **CHILD,
    "step": one_of("search", "create", ""),
    "address": WORDS,
    "nhs_number": one_of("9434765919", "943 476 5918", "", "12"),
    "searched": WORDS,
}
SCREENING: Fields = {
    "step": one_of("suggest", "edit", "finish", "tell_dsl"),
    "age": one_of("14", "0", "25", "26", "-1", ""),
    "learning_disability": one_of("yes", "no", "not_known"),
    "exploiters": one_of("unknown", "peer", "adult", "family"),
    "ethnicity": one_of("not-known", "declined", "other-arab", "x", ""),
    "nationality": one_of("not-known", "GB", "x", ""),
    **{f"{code}-state": one_of("present", "not_known", "not_present") for code in CODES},
    **{f"{code}-when": one_of("current", "recent", "earlier", "past") for code in CODES},
    **{f"{code}-evidence": WORDS for code in CODES},
    **{f"{code}-source": WORDS for code in CODES},
    "judgement": one_of(*Level.values),
    "overrule_reason": one_of(*OverruleReason.values),
    "judgement_reason": WORDS,
    "note": WORDS,
    "key": KEY,
}
REFERRAL = {
    "key": KEY,
    "family": WORDS,
    "done": WORDS,
    "child_words": WORDS,
    "consent": one_of(*Consent.values),
    "consent_reason": WORDS,
    "decision": one_of(*ReferralDecision.values),
    "decision_reason": WORDS,
}
ANSWER_REFERRAL = {
    "form": one_of("acknowledge", "decide", "escalate"),
    "decide-outcome": one_of(*Outcome.values),
    "decide-note": WORDS,
    "decide-reason": WORDS,
    "escalate-reason": WORDS,
}
CONCERN_FORMS = {
    "form": one_of("triage", "note", "assign", "share", "restrict"),
    "triage-urgency": one_of(*TriageUrgency.values),
    "triage-decision": one_of("", *Decision.values),
    "triage-reason": WORDS,
    "note-text": WORDS,
    "assign-assignee": NUMBER,
    "share-person": NUMBER,
    "restrict-people": NUMBER,
}
INVITE = {
    "first_name": WORDS,
    "last_name": WORDS,
    "email": one_of("new.person@example.org", "not-an-address", "DEMO-DSL@example.org"),
    "role": one_of(*Role.values),
    "team": NUMBER,
}
AUDIT = {
    "person": one_of("demo-dsl", "DEMO-ADMIN", ""),
    "record": one_of("TS-AAAA-AAAA", "1", ""),
    "action": one_of("concerns.", "accounts.sign_in"),
    "date_from": DATE,
    "date_to": DATE,
    "page": one_of("1", "2", "last", "0", "-1"),
}
INDICATOR = {
    "kind": one_of("vulnerability", "risk", "harm"),
    "band": one_of("", "moderate", "significant"),
    "title": WORDS,
    "ask": WORDS,
}
WHEN = one_of("2026-11-20T14:30", "2026-11-20 14:30", "2031-01-01T00:00", "yesterday", "")
CHRONOLOGY = {
    "key": KEY,
    "happened_on": DATE,
    "what": WORDS,
    "source": one_of("school", "police", "nowhere", ""),
    "source_detail": WORDS,
    "amends": NUMBER,
}
REPORT = {
    "key": KEY,
    "due": one_of("1", "x", "99999999999", ""),
    "reported_to": one_of("police", "social-care", "both", "nobody", ""),
    "reported_at": WHEN,
    "reference": WORDS,
    "known_on": DATE,
    "delay_reason": WORDS,
}
NRM = {
    "referred_on": DATE,
    "first_responder": one_of("police", "local-authority", "wizard", ""),
    "first_responder_name": WORDS,
    "reasonable_grounds": one_of("pending", "positive", "negative", "maybe", ""),
    "reasonable_grounds_on": DATE,
    "conclusive_grounds": one_of("pending", "positive", "negative", "maybe", ""),
    "conclusive_grounds_on": DATE,
}
MISSING = {
    "started_at": WHEN,
    "ended_at": WHEN,
    "reported_by": WORDS,
    "police_reference": WORDS,
    "where_found": WORDS,
    "who_with": WORDS,
    "safe_and_well_at": WHEN,
}
MISSING_UPDATE = {
    **{
        k: v
        for k, v in MISSING.items()
        if k not in ("started_at", "reported_by", "police_reference")
    },
    "interview": one_of("", "offered", "done", "declined", "lost"),
    "interview_at": WHEN,
    "declined_reason": WORDS,
    "version": NUMBER,
}
PHILOMENA = dict.fromkeys(
    [
        "description",
        "medical_needs",
        "phone_numbers",
        "places_may_go",
        "people_may_be_with",
        "risks",
        "previous_missing",
    ],
    WORDS,
)
PHILOMENA["version"] = NUMBER
RECORD = {
    "kind": one_of("person", "place", "vehicle", "phone", "handle", "group", "dragon"),
    "label": one_of("AB12 CDE", "+44 7700 900123", "@jaybz_", "Jason Smyth", "---"),
    "place_kind": one_of("", "hotel", "castle"),
    "details": WORDS,
    "ethnicity": one_of("not-known", "white-roma", "x", ""),
    "nationality": one_of("not-known", "FR", "x", ""),
    "sex": one_of("male", "x", ""),
    "date_of_birth": DATE,
    "age_low": one_of("25", "-1", "200", "x", ""),
    "age_high": one_of("30", "20", "x", ""),
    "aliases": WORDS,
}
LINK = {**RECORD, "nature": WORDS, "linked_on": DATE, "source": one_of("police", "x")}
RECORD_FORMS = {
    "form": one_of("link", "disruption", "other"),
    **{f"link-{k}": v for k, v in LINK.items()},
    "disruption-kind": one_of("cawn", "sro", "nope"),
    "disruption-started_on": DATE,
    "disruption-review_on": DATE,
    "disruption-details": WORDS,
}
MEETING_FORMS = {
    "form": one_of("item", "action", "minute", "other"),
    "item-reference": one_of("C-00001", "R-00001", "c-1", "X-1", "C-999999999999"),
    "item-rag": one_of("red", "amber", "green", "blue"),
    "item-reason": WORDS,
    "action-text": WORDS,
    "action-owner": WORDS,
    "action-due_on": DATE,
    "minute-text": WORDS,
    "minute-restricted_to": one_of("", "police", "health", "aliens"),
}
PASSWORDS = {"password": one_of("teapot river lantern", "short"), "password_again": WORDS}
CODE = {"code": one_of("123456", "000000", "abcd efgh")}
ANYTHING = {"q": WORDS, "page": NUMBER}
PROFILE_FILTERS = {
    "start": one_of("2026-01", "2026-13", "1900-01", "9999-12", "x", ""),
    "end": one_of("2026-12", "2025-01", "x", ""),
    "by": one_of("month", "quarter", "year", ""),
    "team": NUMBER,
    "table": one_of("concerns_by_source", "x", ""),
}


def quiz() -> Fields:
    return {q.id: one_of(*(o["id"] for o in q.options)) for q in modules()["language"].quiz}


def self_check() -> Fields:
    path = next(iter(load_selfcheck().paths.values()))
    fields: dict[str, Any] = {f"a-{q.id}": one_of(*ANSWERS) for q in path.questions[:4]}
    fields.update(
        step=one_of("0", "1", "3", "999", "-1", "٣"),
        action=one_of("next", "back", "skip"),
        answer=one_of("yes", "no", "not_sure"),
    )
    return fields


E = Endpoint
# (route, method, address, who, fields, ...): one row per form, query string or body.
FUZZ = [
    # The public site.
    E("exit/", "POST", "/exit/", "demo-dsl", ANYTHING),
    E("search/", "GET", "/search/", "anonymous", ANYTHING),
    # Wagtail's document serving (documents of the CMS, public once published) and its form for
    # a password-protected document: hostile query strings and passwords, never a 500.
    E(r"documents/^(\d+)/(.*)$", "GET", "/documents/1/leaflet.pdf", "anonymous", ANYTHING),
    E(
        "documents/authenticate_with_password/<int:restriction_id>/",
        "POST",
        "/documents/authenticate_with_password/1/",
        "anonymous",
        {"password": WORDS, "return_url": WORDS},
    ),
    E("search/", "POST", "/search/", "anonymous", ANYTHING),
    E("self-check/", "GET", "/self-check/", "anonymous", ANYTHING),
    E("self-check/<slug:path_id>/", "POST", "/self-check/{selfcheck}/", "anonymous", self_check),
    E("tell-someone/", "POST", "/tell-someone/", "anonymous", CONCERN, keeps="what"),
    E("page content.HomePage ", "POST", "{home_page}", "anonymous", ANYTHING),
    E("page content.ContentPage ", "POST", "{content_page}", "anonymous", ANYTHING),
    E("page content.HelpPage ", "POST", "{help_page}", "anonymous", ANYTHING),
    E("page stories.StoriesPage ", "POST", "{stories_page}", "anonymous", ANYTHING),
    E("page content.SignsPage ", "GET", "{signs_page}", "anonymous", ANYTHING),
    E("page content.SignsPage <slug:sign_list>/", "POST", "{signs_page}{signlist}/", "anonymous"),
    E("page content.FilmsPage ", "POST", "{films_page}", "anonymous", ANYTHING),
    E("page content.FilmsPage <slug:slug>/", "POST", "{films_page}{film}/", "anonymous"),
    E("page content.FilmsPage <slug:slug>/play/", "GET", "{films_page}{film}/play/", "anonymous"),
    E("page stories.StoryPage ", "POST", "{story_page}", "anonymous", ANYTHING),
    E("page stories.StoryPage <slug:scene_id>/", "POST", "{story_page}{scene}/", "anonymous"),
    E(
        "page stories.StoryPage <slug:scene_id>/check/",
        "GET",
        "{story_page}{spot}/check/",
        "anonymous",
        {"picked": one_of("0", "1", "2", "99", "x")},
    ),
    E("_util/login/", "POST", "/_util/login/", "anonymous", PASSWORDS, csrf=True),
    E(
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
        "POST",
        "/_util/authenticate_with_password/{user}/{child}/",
        "anonymous",
        PASSWORDS,
        csrf=True,
    ),
    # Signing in.
    E("pro/sign-in/", "POST", "/pro/sign-in/", "anonymous", {"username": WORDS, **PASSWORDS}),
    E("pro/two-factor/", "POST", "/pro/two-factor/", "password_only", CODE, csrf=True),
    E("pro/two-factor/set-up/", "POST", "/pro/two-factor/set-up/", "enrolling", CODE, csrf=True),
    E("pro/sign-out/", "POST", "/pro/sign-out/", "demo-dsl", ANYTHING, csrf=True),
    E("pro/invite/", "POST", "/pro/invite/?token={token}", "anonymous", PASSWORDS, csrf=True),
    E("pro/invite/", "GET", "/pro/invite/", "anonymous", {"token": WORDS}),
    # The workspace.
    E("pro/", "POST", "/pro/", "demo-dsl", ANYTHING, csrf=True),
    E("pro/users/", "GET", "/pro/users/", "demo-admin", {"invited": NUMBER}),
    E("pro/users/invite/", "POST", "/pro/users/invite/", "demo-admin", INVITE, keeps="first_name"),
    E("pro/users/<int:user_id>/deactivate/", "POST", "/pro/users/{user}/deactivate/", "demo-admin"),
    E(
        "pro/users/lift-pause/",
        "POST",
        "/pro/users/lift-pause/",
        "demo-admin",
        {"what": one_of("account", "address", "x"), "value": WORDS},
        csrf=True,
    ),
    E("pro/concerns/", "GET", "/pro/concerns/", "demo-frontdoor", {"show": one_of("open", "all")}),
    E(
        "pro/concerns/<str:reference>/",
        "POST",
        "/pro/concerns/{concern}/",
        "demo-frontdoor",
        CONCERN_FORMS,
        csrf=True,
    ),
    E(
        "pro/concerns/<str:reference>/",
        "POST",
        "/pro/concerns/{restricted}/",
        "demo-frontdoor2",
        {"reason": WORDS},
        keeps="reason",
    ),
    E("pro/audit/", "GET", "/pro/audit/", "demo-dpo", AUDIT),
    E("pro/audit/export/", "GET", "/pro/audit/export/", "demo-dpo", AUDIT),
    E("pro/children/", "GET", "/pro/children/", "demo-dsl", ANYTHING),
    E(
        "pro/children/new/",
        "POST",
        "/pro/children/new/",
        "demo-dsl",
        NEW_CHILD,
        keeps="first_name",
    ),
    E("pro/children/<int:child_id>/", "GET", "/pro/children/{child}/", "demo-dsl", ANYTHING),
    E(
        "pro/children/<int:child_id>/screening/",
        "POST",
        "/pro/children/{child}/screening/",
        "demo-dsl",
        SCREENING,
        keeps="going-missing-evidence",
        csrf=True,
    ),
    E(
        "pro/children/<int:child_id>/refer/",
        "POST",
        "/pro/children/{child}/refer/",
        "demo-dsl",
        REFERRAL,
        keeps="family",
    ),
    # The CSE team's records (issue 6).
    E(
        "pro/children/<int:child_id>/edit/",
        "POST",
        "/pro/children/{child}/edit/",
        "demo-dsl",
        {
            **CHILD,
            "in_care": one_of("yes", "no", "maybe"),
            "placed_out_of_area": one_of("yes", "no", ""),
            "version": NUMBER,
        },
        keeps="first_name",
    ),
    E(
        "pro/children/<int:child_id>/chronology/",
        "POST",
        "/pro/children/{child}/chronology/",
        "demo-dsl",
        CHRONOLOGY,
        keeps="what",
    ),
    E(
        "pro/children/<int:child_id>/chronology/",
        "GET",
        "/pro/children/{child}/chronology/",
        "demo-dsl",
        {"page": one_of("1", "2", "last", "0", "-1", "99999999999"), "amends": NUMBER},
    ),
    E(
        "pro/children/<int:child_id>/missing/",
        "POST",
        "/pro/children/{child}/missing/",
        "demo-dsl",
        MISSING,
        keeps="reported_by",
    ),
    E(
        "pro/children/<int:child_id>/missing/<int:episode_id>/",
        "POST",
        "/pro/children/{child}/missing/{episode}/",
        "demo-dsl",
        MISSING_UPDATE,  # a lone field is a valid update: nothing to keep
    ),
    E(
        "pro/children/<int:child_id>/philomena/",
        "POST",
        "/pro/children/{child}/philomena/",
        "demo-dsl",
        PHILOMENA,  # a lone field is a valid profile: nothing to keep
    ),
    # The recording duties (issue 19).
    E(
        "pro/children/reports-due/",
        "GET",
        "/pro/children/reports-due/",
        "demo-dsl",
        {"due": one_of("today", "overdue", "x", "")},
    ),
    E(
        "pro/children/<int:child_id>/report/",
        "POST",
        "/pro/children/{child}/report/",
        "demo-dsl",
        REPORT,
        keeps="reference",
    ),
    E(
        "pro/children/<int:child_id>/nrm/",
        "POST",
        "/pro/children/{child}/nrm/",
        "demo-dsl",
        NRM,
        keeps="first_responder_name",
    ),
    E(
        "pro/children/<int:child_id>/nrm/<int:nrm_id>/",
        "POST",
        "/pro/children/{child}/nrm/{nrm}/",
        "demo-dsl",
        {**NRM, "version": NUMBER},
        keeps="first_responder_name",
    ),
    E(
        "pro/children/<int:child_id>/links/",
        "POST",
        "/pro/children/{child}/links/",
        "demo-dsl",
        LINK,
        keeps="nature",
    ),
    E("pro/records/", "GET", "/pro/records/", "demo-dsl", {"kind": one_of("vehicle", "x", "")}),
    E("pro/records/new/", "POST", "/pro/records/new/", "demo-dsl", RECORD, keeps="label"),
    E("pro/records/<int:entity_id>/", "POST", "/pro/records/{record}/", "demo-dsl", RECORD_FORMS),
    # The repeat-missing alert a coordinator marks seen, and the problem profile (issue 19).
    E(
        "pro/children/repeat-missing/<int:alert_id>/seen/",
        "POST",
        "/pro/children/repeat-missing/{alert}/seen/",
        "demo-coordinator",
        ANYTHING,
    ),
    E("pro/profile/", "GET", "/pro/profile/", "demo-coordinator", PROFILE_FILTERS),
    E(
        "pro/profile/download.csv",
        "GET",
        "/pro/profile/download.csv",
        "demo-coordinator",
        PROFILE_FILTERS,
    ),
    E(
        "pro/profile/download.ods",
        "GET",
        "/pro/profile/download.ods",
        "demo-coordinator",
        PROFILE_FILTERS,
    ),
    E(
        "pro/profile/board-report.pdf",
        "GET",
        "/pro/profile/board-report.pdf",
        "demo-coordinator",
        {"quarter": one_of("2026-Q3", "2026-Q5", "1900-Q1", "9999-Q4", "x", "")},
    ),
    E(
        "pro/profile/data-quality/",
        "GET",
        "/pro/profile/data-quality/",
        "demo-coordinator",
        PROFILE_FILTERS,
    ),
    E(
        "pro/profile/data-quality/to-complete/",
        "GET",
        "/pro/profile/data-quality/to-complete/",
        "demo-coordinator",
        {
            "kind": one_of("child", "person", "x", ""),
            "field": one_of("ethnicity", "nationality", "sex", "label", "x", ""),
            "team": NUMBER,
            "month": one_of("2026-05", "2026-13", "0000-01", "x", ""),
        },
    ),
    # The coordinator's matches with other partnerships' records (issue 21).
    E("pro/partnerships/", "GET", "/pro/partnerships/", "demo-coordinator", ANYTHING),
    E(
        "pro/partnerships/<int:hub_alert_id>/",
        "POST",
        "/pro/partnerships/{hub_alert}/",
        "demo-coordinator",
        {"decision": one_of("contacted", "not_same", "maybe", ""), "note": WORDS},
    ),
    # The coordinator's review queue (issue 20).
    E("pro/records/pairs/", "GET", "/pro/records/pairs/", "demo-coordinator", ANYTHING),
    E(
        "pro/records/pairs/<int:pair_id>/",
        "POST",
        "/pro/records/pairs/{pair}/",
        "demo-coordinator",
        {"same": one_of("yes", "no", "maybe"), "note": WORDS},
    ),
    E(
        "pro/records/<int:entity_id>/edit/",
        "POST",
        "/pro/records/{record}/edit/",
        "demo-dsl",
        {**RECORD, "version": NUMBER},
    ),
    E("pro/network/", "GET", "/pro/network/", "demo-coordinator", {"from": DATE, "to": DATE}),
    E(
        "pro/meetings/",
        "POST",
        "/pro/meetings/",
        "demo-coordinator",
        {"title": WORDS, "held_on": DATE},
        keeps="title",
    ),
    E(
        "pro/meetings/<int:meeting_id>/",
        "POST",
        "/pro/meetings/{meeting}/",
        "demo-coordinator",
        MEETING_FORMS,
    ),
    E(
        "pro/meetings/<int:meeting_id>/pdf/",
        "GET",
        "/pro/meetings/{meeting}/pdf/",
        "demo-coordinator",
        ANYTHING,
        weight=0.3,
    ),
    E(
        "pro/meetings/<int:meeting_id>/actions/<int:action_id>/",
        "POST",
        "/pro/meetings/{meeting}/actions/{action}/",
        "demo-coordinator",
        {"do": one_of("move", "done", "other"), "due_on": DATE, "note": WORDS},
    ),
    E(
        "pro/cohort/",
        "GET",
        "/pro/cohort/",
        "demo-coordinator",
        {
            "sort": one_of("level", "missing", "interviews", "mace", "actions", "name", "x"),
            "only": one_of("", "repeat", "interviews", "actions", "significant", "x"),
        },
    ),
    E("pro/concerns/on-duty/", "POST", "/pro/concerns/on-duty/", "demo-frontdoor2", ANYTHING),
    E(
        "pro/records/<int:entity_id>/intelligence/",
        "POST",
        "/pro/records/{analyst_record}/intelligence/",
        "demo-analyst",
        {
            "source_evaluation": one_of("1", "2", "3", "4", ""),
            "assessment": one_of("A", "B", "C", "D", "E", "F"),
            "handling": one_of("P", "C", "X"),
            "conditions": WORDS,
            "intelligence": WORDS,
        },
        keeps="intelligence",
    ),
    E(
        "pro/records/sightings/new/",
        "POST",
        "/pro/records/sightings/new/",
        "demo-analyst",
        {
            "key": KEY,
            "where": one_of("Riverside Hotel, Mill Lane", "Station Hotel, 1 Station Road"),
            "seen_on": DATE,
            "vehicle": one_of("", "NB12 XYZ", "!!"),
            "what": WORDS,
            "source": one_of("public", "police", "x"),
            "place": one_of("", "new", "1", "x"),
            "vehicle_record": one_of("", "new", "x"),
        },
    ),
    E(
        "pro/records/sightings/<int:sighting_id>/",
        "GET",
        "/pro/records/sightings/{sighting}/",
        "demo-analyst",
        ANYTHING,
    ),
    E(
        "pro/records/sightings/<int:sighting_id>/intelligence/",
        "POST",
        "/pro/records/sightings/{sighting}/intelligence/",
        "demo-analyst",
        {
            "source_evaluation": one_of("1", "2", "3", "4", ""),
            "assessment": one_of("A", "B", "C", "D", "E", "F"),
            "handling": one_of("P", "C", "X"),
            "conditions": WORDS,
            "intelligence": WORDS,
        },
        keeps="intelligence",
    ),
    E(
        "pro/records/intelligence/<int:sub_id>/",
        "GET",
        "/pro/records/intelligence/{submission}/",
        "demo-analyst",
        ANYTHING,
    ),
    E(
        "pro/records/intelligence/<int:sub_id>/json/",
        "GET",
        "/pro/records/intelligence/{submission}/json/",
        "demo-analyst",
        ANYTHING,
    ),
    E(
        "pro/records/intelligence/<int:sub_id>/pdf/",
        "GET",
        "/pro/records/intelligence/{submission}/pdf/",
        "demo-analyst",
        ANYTHING,
        weight=0.3,
    ),
    # Data protection.
    E("pro/data-protection/", "GET", "/pro/data-protection/", "demo-dpo", {"name": WORDS}),
    E(
        "pro/data-protection/children/<int:child_id>/",
        "GET",
        "/pro/data-protection/children/{child}/",
        "demo-dpo",
        ANYTHING,
    ),
    E(
        "pro/data-protection/children/<int:child_id>/export.json",
        "GET",
        "/pro/data-protection/children/{child}/export.json",
        "demo-dpo",
        ANYTHING,
    ),
    E(
        "pro/data-protection/children/<int:child_id>/export.pdf",
        "GET",
        "/pro/data-protection/children/{child}/export.pdf",
        "demo-dpo",
        ANYTHING,
        weight=0.3,
    ),
    E(
        "pro/data-protection/children/<int:child_id>/erase/",
        "POST",
        "/pro/data-protection/children/{child}/erase/",
        "demo-dpo",
        {"reason": WORDS, "confirm": one_of("", "1", "C-00001", "999")},
    ),
    E("pro/referrals/", "GET", "/pro/referrals/", "demo-frontdoor", ANYTHING),
    E(
        "pro/referrals/<int:referral_id>/",
        "POST",
        "/pro/referrals/{referral}/",
        "demo-frontdoor",
        ANSWER_REFERRAL,
        csrf=True,
    ),
    E(
        "pro/referrals/<int:referral_id>/",
        "POST",
        "/pro/referrals/{referral}/",
        "demo-dsl",
        ANSWER_REFERRAL,
    ),
    E(
        "pro/referrals/<int:referral_id>/pdf/",
        "GET",
        "/pro/referrals/{referral}/pdf/",
        "demo-dsl",
        ANYTHING,
        weight=0.1,
    ),
    E("pro/training/", "GET", "/pro/training/", "demo-dsl", ANYTHING),
    E("pro/training/completion/", "GET", "/pro/training/completion/", "demo-admin", ANYTHING),
    E(
        "pro/training/certificates/<str:certificate_id>/",
        "GET",
        "/pro/training/certificates/{certificate}/",
        "demo-dsl",
        ANYTHING,
        weight=0.1,
    ),
    E("pro/training/<slug:module_id>/", "POST", "/pro/training/{module}/", "demo-dsl", quiz),
    E("pro/screening/", "POST", "/pro/screening/", "demo-practitioner", SCREENING, csrf=True),
    E(
        "pro/screening/indicators/",
        "POST",
        "/pro/screening/indicators/",
        "demo-admin",
        INDICATOR,
        keeps="title",
    ),
    E(
        "pro/screening/tasks/<int:task_id>/",
        "GET",
        "/pro/screening/tasks/{task}/",
        "demo-dsl",
        ANYTHING,
        weight=0.1,
    ),
    E(
        "pro/screening/tasks/<int:task_id>/done/",
        "POST",
        "/pro/screening/tasks/{task}/done/",
        "demo-dsl",
        ANYTHING,
        weight=0.1,
        csrf=True,
    ),
    E("pro/api/", "GET", "/pro/api/", "demo-dsl", ANYTHING),
    E("pro/api/openapi.json", "GET", "/pro/api/openapi.json", "demo-dsl", ANYTHING),
    E("pro/api/screening/", "POST", "/pro/api/screening/", "demo-practitioner", json=True),
]

# Where the keeps check applies only when this field was sent once with this value.
KEEPS_WHEN: dict[str, tuple[str, str]] = {}


def _a_pair(by: User) -> PairSuggestion:
    """Two person records suggested as one person, for the coordinator's review queue."""
    assert by.team is not None
    people = [
        Entity.objects.create(
            kind="person", label=label, normalised=label.lower(), team=by.team, created_by=by
        )
        for label in ("Fuzz Person", "Fuzz Persson")
    ]
    do_suggest_pairs([(people[0].pk, people[1].pk, 0.9, "very_likely", {})], run_label="fuzz")
    return PairSuggestion.objects.get(entity=people[0], other=people[1])


def set_up_objects() -> dict[str, str]:
    """The records the table's addresses name, as the test database holds them."""
    dsl = User.objects.get(username="demo-dsl")
    front_door = User.objects.get(username="demo-frontdoor")
    request = RequestFactory().get("/")
    restricted, _ = do_submit_concern(
        {"reporter_kind": "friend", "urgency": "soon", "what": "Restricted."}, key=uuid.uuid4()
    )
    restricted.team = front_door.team
    restricted.save(update_fields=["team"])
    do_restrict_concern(restricted, [], acting_user=front_door, request=request)
    child = Child.objects.get(first_name="Mia", last_name="Example")
    values = {"family": "F", "done": "D", "child_words": "", "consent": "given"}
    values.update(consent_reason="", decision="share", decision_reason="R")
    referral = do_make_referral(
        child, child.screenings.first(), values, acting_user=dsl, request=request
    )
    referral.front_door = front_door.team
    referral.save(update_fields=["front_door"])
    token, hashed = Invitation.new_token()
    Invitation.objects.create(
        email="invited@example.org",
        first_name="In",
        last_name="Vited",
        role="dsl",
        team=child.team,
        token_hash=hashed,
        invited_by=User.objects.get(username="demo-admin"),
        expires_at=timezone.now() + timedelta(days=7),
    )
    meeting = Meeting.objects.order_by("pk")[0]
    analyst = User.objects.get(username="demo-analyst")
    car = Entity.objects.get(kind="vehicle", label="nb12xyz")
    story = StoryPage.objects.live().first()
    spot = next(b.value["scene_id"] for b in story.scenes if b.value["kind"] == SPOT)
    films = Film.published()
    film = films.exclude(embed_url="").first() or films.first()
    return {
        "concern": Concern.objects.filter(reporter_kind="friend")
        .exclude(pk=restricted.pk)[0]
        .reference,
        "restricted": restricted.reference,
        "user": str(User.objects.get(username="demo-practitioner").pk),
        "child": str(child.pk),
        "referral": str(referral.pk),
        "episode": str(
            child.missing_episodes.create(
                started_at=timezone.now(), reported_by="Mum", recorded_by=dsl
            ).pk
        ),
        "record": str(Entity.objects.filter(team=child.team).order_by("pk")[0].pk),
        "nrm": str(
            child.nrm_referrals.create(
                referred_on=timezone.localdate(), first_responder="police", recorded_by=dsl
            ).pk
        ),
        "meeting": str(meeting.pk),
        "action": str(
            meeting.actions.create(
                text="Visit", owner="PC", due_on=timezone.localdate(), created_by=dsl
            ).pk
        ),
        "analyst_record": str(car.pk),
        "pair": str(_a_pair(dsl).pk),
        "hub_alert": str(a_hub_alert().pk),
        "alert": str(
            RepeatMissingAlert.objects.create(
                child=child,
                episode=child.missing_episodes.create(
                    started_at=timezone.now(), reported_by="Mum", recorded_by=dsl
                ),
                episodes=3,
                coordinator=User.objects.get(username="demo-coordinator"),
            ).pk
        ),
        "sighting": str(a_sighting(car, "Parked outside.").pk),
        "submission": str(
            IntelligenceSubmission.objects.create(
                entity=car,
                source_evaluation="2",
                assessment="B",
                handling="P",
                sealed=seal({"intelligence": "Seen twice.", "conditions": ""}),
                team=Team.objects.get(name="Child Exploitation Unit"),
                created_by=analyst,
            ).pk
        ),
        "module": "language",
        "task": str(
            DslTask.objects.create(
                organisation=child.team.organisation,
                sent_by=User.objects.get(username="demo-practitioner"),
                sealed=seal({"note": "A task."}),
            ).pk
        ),
        "certificate": str(
            Completion.objects.create(user=dsl, module="language", score=100).certificate
        ),
        "token": token,
        "selfcheck": next(iter(load_selfcheck().paths)),
        "signlist": SignList.values[0],
        "film": film.slug,
        "scene": story.start,
        "spot": spot,
        "home_page": _url(HomePage),
        "content_page": _url(ContentPage),
        "help_page": _url(HelpPage),
        "signs_page": _url(SignsPage),
        "films_page": _url(FilmsPage),
        "stories_page": _url(StoriesPage),
        "story_page": _url(StoryPage),
    }


def _url(model: type[Page]) -> str:
    return str(model.objects.live().first().get_url())


def client_for(who: str, *, enforce_csrf: bool) -> Client:
    client = Client(raise_request_exception=False, enforce_csrf_checks=enforce_csrf)
    if who == "anonymous":
        return client
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if who == "password_only":
        user = User.objects.get(username="demo-frontdoor")
        TOTPDevice.objects.get_or_create(user=user, name="Authenticator app", confirmed=True)
        client.force_login(user)
        return client
    if who == "enrolling":
        user = User.objects.get(username="demo-practitioner")
        TOTPDevice.objects.filter(user=user).delete()
        client.force_login(user)
        return client
    return verified_client(client, User.objects.get(username=who))


def send(endpoint: Endpoint, sent: Sent, clients: dict[bool, Client]) -> tuple[Any, str]:
    """Send one input in a transaction that is rolled back; return the response and its text."""
    with transaction.atomic():
        cache.clear()  # rate limits and lockouts would stop the form being read
        client = clients[sent.csrf]
        signed_in = client.cookies
        client.cookies = SimpleCookie(signed_in)  # /exit/ and sign-out forget this one
        extra: dict[str, Any] = sent.headers
        response: Any = client.generic(
            endpoint.method, sent.path, sent.body, sent.content_type, **extra
        )
        streaming = response.streaming
        body = b"".join(response.streaming_content) if streaming else response.content
        transaction.set_rollback(True)
        client.cookies = signed_in
    return response, body.decode("utf-8", "replace")


def _problem(response: Any) -> str:
    if response.exc_info is None:
        return f"answered {response.status_code}"
    import traceback

    return "".join(traceback.format_exception(*response.exc_info)[-6:])


def typed(value: str) -> bool:
    """Whether a person could have typed this (what the "loses nothing" rule promises)."""
    import unicodedata

    return (
        value.strip() == value
        and value != ""
        and all(unicodedata.category(c)[0] in "LMNPS" or c == " " for c in value)
    )


def check_kept(endpoint: Endpoint, sent: Sent, response: Any, html: str) -> None:
    """A form shown again with errors shows what was typed in its text field."""
    if not endpoint.keeps or sent.kind not in ("form", "multipart", "bad-charset"):
        return
    value = sent.sent_once(endpoint.keeps)
    condition = KEEPS_WHEN.get(endpoint.keeps)
    if condition and sent.sent_once(condition[0]) != condition[1]:
        return
    if value is None or not typed(value) or "There is a problem" not in html:
        return
    assert escape(value) in html, f"{endpoint.name} lost what was typed in {endpoint.keeps}"
    KEPT[endpoint.name] += 1


@pytest.mark.parametrize("endpoint", FUZZ, ids=lambda e: e.name)
def test_no_input_makes_a_server_error(endpoint: Endpoint, settings: Any) -> None:
    # Fuzzing the sign-in form, not the password hash: a slow hasher would take the whole run.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    objects = set_up_objects()
    clients = {csrf: client_for(endpoint.who, enforce_csrf=csrf) for csrf in (False, True)}
    examples = max(1, round(examples_per_endpoint() * endpoint.weight))

    @hypothesis_settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize="FUZZ_EXAMPLES" not in __import__("os").environ,
        suppress_health_check=list(HealthCheck),
        print_blob=True,
    )
    @given(sent=requests(endpoint, objects))
    def fuzz(sent: Sent) -> None:
        TRIED[endpoint.name] += 1
        response, html = send(endpoint, sent, clients)
        assert response.status_code < 500, f"{endpoint.name}: {_problem(response)}"
        check_kept(endpoint, sent, response, html)

    fuzz()


@pytest.mark.parametrize("endpoint", [e for e in FUZZ if e.keeps], ids=lambda e: e.name)
def test_a_form_shown_again_keeps_what_was_typed(endpoint: Endpoint) -> None:
    """The keeps check above is real: a form sent with only that field shows it again."""
    objects = set_up_objects()
    words = "Zoë “saw” <it> & 家"  # short enough to be refused as a reason
    pairs: list[tuple[str | bytes, str | bytes]] = [(endpoint.keeps, words)]
    if endpoint.keeps in KEEPS_WHEN:
        pairs.append(KEEPS_WHEN[endpoint.keeps])
    from seethesigns.tests.fuzzing import urlencode

    body = urlencode(pairs).encode()
    sent = Sent(
        endpoint.url.format(**objects),
        body,
        "application/x-www-form-urlencoded",
        {},
        False,
        pairs,
        "form",
    )
    client = client_for(endpoint.who, enforce_csrf=False)
    _response, html = send(endpoint, sent, {False: client})
    assert "There is a problem" in html
    assert escape(words) in html


def _routes(resolver: URLResolver | None = None, prefix: str = "") -> list[str]:
    routes = []
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if route != "cms/":  # Wagtail's own admin, for editors behind its sign-in
                routes += _routes(entry, route)
        elif isinstance(entry, URLPattern):
            routes.append(route)
    return routes


def _page_routes() -> set[str]:
    """Each CMS page type, and each address a routable page answers below itself."""
    routes = set()
    for model in get_page_models():
        if model is Page:
            continue
        subroutes: list[Any] = getattr(model, "get_subpage_urls", list)()
        for sub in {str(p.pattern) for p in subroutes} or {""}:
            routes.add(f"page {model._meta.label} {sub}")
    return routes


SERVE = r"^((?:[\w\-]+/)*)$"  # Wagtail serves every page through this one route


def test_the_fuzz_table_covers_every_route() -> None:
    wanted = {r for r in _routes() if r != SERVE} | _page_routes()
    covered = {e.route for e in FUZZ}
    missing = sorted(wanted - covered)
    assert not missing, f"add a row to FUZZ in seethesigns/tests/test_fuzz.py for: {missing}"
    assert not covered - wanted, f"rows for routes that no longer exist: {covered - wanted}"
