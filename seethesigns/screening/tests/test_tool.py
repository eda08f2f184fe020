"""The screening tool through HTTP: the web form, the saved screening, the API, and that the web
form and the API agree."""

import json
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from seethesigns.accounts.models import Team, User
from seethesigns.audit.models import AuditEntry
from seethesigns.children.models import Child
from seethesigns.screening.models import DslTask, Indicator, Screening
from seethesigns.screening.vignettes import load_vignettes, shipped_catalogue
from seethesigns.tests.records import new_child_form

pytestmark = pytest.mark.django_db


def web_data(
    answers: dict[str, dict[str, str]], age="15", ld="no", exploiters=(), **extra
) -> dict[str, object]:
    data: dict[str, object] = {
        "age": age,
        "learning_disability": ld,
        "step": "suggest",
        "exploiters": list(exploiters),
    }
    for code, answer in answers.items():
        data[f"{code}-state"] = answer["state"]
        data[f"{code}-when"] = answer.get("when", "current")
        data[f"{code}-evidence"] = answer.get("evidence", "Seen by me on Monday.")
    data.update(extra)
    return data


def all_known(**present: str) -> dict[str, dict[str, str]]:
    answers = {i.code: {"state": "not_present"} for i in Indicator.objects.active()}
    for code, when in present.items():
        answers[code.replace("_", "-")] = {"state": "present", "when": when}
    return answers


def test_a_quick_check_suggests_a_level_and_says_why(pro_client):
    client = pro_client("demo-practitioner")
    answers = all_known(
        going_missing="current", gifts_money_phones="current", older_boyfriend_girlfriend="earlier"
    )
    response = client.post("/pro/screening/", web_data(answers))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-level="moderate"' in html  # two significant signs of risk together
    for code in ["going-missing", "gifts-money-phones", "older-boyfriend-girlfriend"]:
        assert f'data-reason="{code}"' in html
    assert "not a probability" in html
    assert "return home interview within 72 hours" in html


def test_a_quick_check_is_not_saved_and_its_summary_prints(pro_client):
    client = pro_client("demo-practitioner")
    before = Screening.objects.count()
    data = web_data(all_known(disclosure="current"), step="finish", judgement="significant")
    response = client.post("/pro/screening/", data)
    html = response.content.decode()
    assert "CSE screening summary" in html
    assert 'data-judgement="significant"' in html
    assert "Tell your designated safeguarding lead now" in html
    text = re.sub(r"<[^>]+>", " ", html)  # what a person reads: words, never raw values
    assert "not_known" not in text and "not_present" not in text and "None" not in text
    assert Screening.objects.count() == before
    assert AuditEntry.objects.filter(action="screening.quick_check").exists()


def test_a_present_indicator_needs_its_evidence(pro_client):
    data = web_data({"going-missing": {"state": "present", "evidence": ""}})
    response = pro_client("demo-practitioner").post("/pro/screening/", data)
    assert response.status_code == 400
    assert "Say what was seen or said, by whom and when" in response.content.decode()


def test_much_not_known_is_said_rather_than_a_low_level(pro_client):
    response = pro_client("demo-practitioner").post("/pro/screening/", web_data({}))
    html = response.content.decode()
    assert "data-not-enough-known" in html
    assert "Not enough is known to suggest a level" in html
    assert "What to find out first" in html


def test_a_different_judgement_needs_a_kind_of_reason_and_a_sentence(pro_client):
    data = web_data(all_known(), step="finish", judgement="emerging", judgement_reason="x")
    response = pro_client("demo-practitioner").post("/pro/screening/", data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "Choose why your judgement differs" in html
    assert "Explain your judgement in a sentence of at least 6 words" in html
    assert ">x</textarea>" in html  # what they typed is kept


def test_a_real_reason_is_accepted_and_printed_on_the_summary(pro_client):
    reason = "Her older sister was exploited by the same group last year."
    data = web_data(
        all_known(),
        step="finish",
        judgement="emerging",
        overrule_reason="context",
        judgement_reason=reason,
    )
    html = pro_client("demo-practitioner").post("/pro/screening/", data).content.decode()
    assert "CSE screening summary" in html
    assert "Context the tool cannot see" in html and reason in html


def test_no_judgement_is_chosen_for_the_practitioner(pro_client):
    for answers in (all_known(), all_known(disclosure="current"), {}):
        html = pro_client("demo-practitioner").post("/pro/screening/", web_data(answers))
        form = html.content.decode().split('id="judgement"')[1].split("</form>")[0]
        assert "checked" not in form


def make_child(pro_client) -> Child:
    client = pro_client("demo-dsl")
    client.post(
        "/pro/children/new/",
        new_child_form(first_name="Zara", last_name="Testcase", date_of_birth="2012-05-01"),
    )
    return Child.objects.get(first_name="Zara")


def test_a_screening_saved_to_a_record_shows_over_time(pro_client):
    child = make_child(pro_client)
    client = pro_client("demo-dsl")
    for answers, judgement, reason in [
        (all_known(), "none", ""),
        (
            all_known(going_missing="current", gifts_money_phones="current"),
            "significant",
            "Her mother says the man waits outside school every day.",
        ),
    ]:
        data = web_data(
            answers,
            age="14",
            step="finish",
            judgement=judgement,
            overrule_reason="new-information" if reason else "",
            judgement_reason=reason,
        )
        response = client.post(f"/pro/children/{child.pk}/screening/", data)
        assert response.status_code == 302
    first, second = Screening.objects.filter(child=child)
    assert (first.suggested_level, first.judgement) == ("none", "none")
    assert (second.suggested_level, second.judgement) == ("moderate", "significant")
    assert second.overrule_reason == "new-information"
    assert second.contents["judgement_reason"].startswith("Her mother")
    assert "Seen by me" not in second.sealed  # evidence is encrypted
    html = client.get(f"/pro/children/{child.pk}/").content.decode()
    assert "<svg" in html and "<polyline" in html
    assert "I know something the answers do not show" in html  # the reason, where it is shown
    assert AuditEntry.objects.filter(action="screening.save", object_id=str(child.pk)).count() == 2
    assert AuditEntry.objects.filter(action="cases.view_child", object_id=str(child.pk)).exists()


@pytest.mark.parametrize("username", ["demo-eastfield", "demo-analyst", "demo-admin", "demo-dpo"])
def test_someone_without_access_to_the_child_gets_404(pro_client, username):
    child = make_child(pro_client)
    client = pro_client(username)
    assert client.get(f"/pro/children/{child.pk}/").status_code == 404
    assert client.get(f"/pro/children/{child.pk}/screening/").status_code == 404
    response = client.post(
        f"/pro/children/{child.pk}/screening/",
        web_data(all_known(), step="finish", judgement="none"),
    )
    assert response.status_code == 404
    assert not Screening.objects.filter(child=child).exists()


def test_the_childs_team_sees_the_record(pro_client):
    child = make_child(pro_client)
    assert pro_client("demo-practitioner").get(f"/pro/children/{child.pk}/").status_code == 200


def api(client, body, **kwargs):
    payload = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return client.post("/pro/api/screening/", payload, content_type="application/json", **kwargs)


def test_the_api_answers_with_the_level_reasons_and_steps(pro_client):
    response = api(
        pro_client("demo-practitioner"),
        {
            "age": 12,
            "learning_disability": "no",
            "answers": {"alcohol-drugs": {"state": "present"}},
        },
    )
    body = response.json()
    assert response.status_code == 200
    assert body["level"] is None  # the key questions are not answered
    assert body["at_least"] == "emerging"
    assert [f["rule"] for f in body["floors"]] == ["young-child"]
    assert body["enough_known"] is False
    assert body["action"]["id"] == "find-out-tell-dsl"
    assert {f["indicator"] for f in body["find_out_first"]} >= {"disclosure", "going-missing"}
    assert body["tell_dsl"]["leads"] == [{"name": "Dan Lead", "phone": "01632 960 321"}]
    assert "not a probability" in body["note"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("not json", "Send a JSON object"),
        ([], "Send a JSON object"),
        ({"age": "ten"}, "age must be a whole number"),
        ({"age": True}, "age must be a whole number"),
        ({"age": 400}, "Age must be a whole number of years from 0 to 25"),
        ({"answers": []}, "answers must be an object"),
        ({"answers": {"nope": {"state": "present"}}}, "Unknown indicator: nope"),
        ({"answers": {"disclosure": {"state": "yes"}}}, "state is one of"),
        ({"answers": {"disclosure": "present"}}, "give an object"),
        ({"learning_disability": 3}, "learning_disability must be"),
        ({"surprise": 1}, "Unknown field: surprise"),
    ],
)
def test_the_api_answers_bad_input_with_400_and_a_message(pro_client, body, message):
    response = api(pro_client("demo-practitioner"), body)
    assert response.status_code == 400
    assert message in response.json()["error"]


@pytest.mark.parametrize("body", [b"[" * 100_000 + b"]" * 100_000, b'{"a":' * 100_000])
def test_the_api_answers_json_nested_too_deeply_with_400(pro_client, body):
    # Found by the fuzz tests: the JSON parser's recursion error was a server error.
    response = api(pro_client("demo-practitioner"), body)
    assert response.status_code == 400
    assert "nested too deeply" in response.json()["error"]


def test_the_api_needs_both_factors(client):
    assert api(client, {}).status_code == 401


codes = sorted(
    [
        "disclosure",
        "going-missing",
        "gifts-money-phones",
        "alcohol-drugs",
        "sexual-health",
        "prior-abuse-neglect",
        "in-care",
        "images-shared",
        "missing-school",
        "threats-fear",
    ]
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.dictionaries(
        st.sampled_from(codes),
        st.fixed_dictionaries(
            {
                "state": st.sampled_from(["present", "not_known", "not_present"]),
                "when": st.sampled_from(["current", "recent", "earlier", "past"]),
            }
        ),
    ),
    st.one_of(st.none(), st.integers(min_value=0, max_value=25)),
    st.sampled_from(["yes", "no", "not_known"]),
    st.lists(st.sampled_from(["unknown", "peer", "adult", "family"]), unique=True),
)
def test_the_api_and_the_web_form_agree(pro_client, answers, age, ld, exploiters):
    client = pro_client("demo-practitioner")
    body = {"age": age, "learning_disability": ld, "exploiters": exploiters, "answers": answers}
    body = api(client, body).json()
    data = web_data(answers, age="" if age is None else str(age), ld=ld, exploiters=exploiters)
    assert_page_shows(client.post("/pro/screening/", data).content.decode(), body)


def assert_page_shows(html: str, body: dict[str, Any]) -> None:
    """The page says what the API says, field for field."""
    assert f'data-action="{body["action"]["id"]}"' in html
    assert f'data-level="{body["level"] or ""}"' in html
    assert ("data-not-enough-known" in html) == (not body["enough_known"])
    for reason in body["reasons"]:
        assert f'data-reason="{reason["indicator"]}"' in html
    for floor in body["floors"]:
        assert f'data-rule="{floor["rule"]}" data-floor="{floor["level"]}"' in html
    for item in body["find_out_first"] + body["find_out"]:
        assert f'data-find-out="{item["indicator"]}"' in html
    text = html.replace("&#x27;", "'")
    assert body["action"]["text"] in text
    if body["level"]:
        assert body["level_words"] in text
    for step in [body["action"], *body["next_steps"]]:
        assert f'data-step="{step["id"]}"' in html or step is body["action"]
        for contact in step["contacts"]:
            assert contact["name"] in text and contact["phone"] in text
    if body["level_guidance"]:
        assert body["level_guidance"] in html
    assert ("data-tell-dsl" in html) == (body["tell_dsl"] is not None)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=50),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=20), children, max_size=5)
    ),
    max_leaves=20,
)
shaped = st.fixed_dictionaries(
    {},
    optional={
        "age": json_values,
        "learning_disability": json_values,
        "answers": st.dictionaries(
            st.sampled_from(codes) | st.text(max_size=30),
            json_values | st.fixed_dictionaries({"state": json_values, "when": json_values}),
            max_size=6,
        ),
    },
)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(json_values | shaped)
def test_the_api_never_answers_anything_with_a_server_error(pro_client, body):
    response = api(pro_client("demo-practitioner"), body)
    assert response.status_code in (200, 400), response.content[:200]
    assert ("error" in response.json()) == (response.status_code == 400)


def test_a_huge_body_gets_a_clear_answer(pro_client):
    body = json.dumps({"answers": {"x" * 10: {"state": "present"}}, "pad": "x" * 3_000_000})
    response = api(pro_client("demo-practitioner"), body)
    assert response.status_code == 413
    assert response.json()["error"] == "The request is too large."


def test_the_partnership_admin_adds_a_local_indicator_that_screenings_use(pro_client):
    admin = pro_client("demo-admin")
    response = admin.post(
        "/pro/screening/indicators/",
        {
            "kind": "risk",
            "band": "significant",
            "title": "Seen at the Northbridge bus station late at night",
            "ask": "Ask the bus station staff.",
        },
    )
    assert response.status_code == 302
    local = Indicator.objects.get(is_local=True)
    assert local.code == "local-seen-at-the-northbridge-bus-station-late-at-night"
    assert AuditEntry.objects.filter(action="screening.add_indicator").exists()
    client = pro_client("demo-practitioner")
    answers = all_known()
    answers[local.code] = {"state": "present"}
    html = client.post("/pro/screening/", web_data(answers)).content.decode()
    assert f'data-reason="{local.code}"' in html


def test_a_sign_of_risk_needs_its_band(pro_client):
    response = pro_client("demo-admin").post(
        "/pro/screening/indicators/", {"kind": "risk", "title": "Something local"}
    )
    assert response.status_code == 400
    assert "Choose moderate or significant" in response.content.decode()


VIGNETTES = load_vignettes()


@pytest.mark.parametrize("vignette", VIGNETTES, ids=[v.id for v in VIGNETTES])
def test_each_case_from_guidance_through_the_api_and_the_form(pro_client, vignette):
    client = pro_client("demo-practitioner")
    answers = {
        code: {"state": a.state, "when": a.when}
        for code, a in vignette.answers(list(Indicator.objects.catalogue())).items()
    }
    age = vignette.age
    body = {
        "age": age,
        "learning_disability": vignette.learning_disability,
        "exploiters": list(vignette.exploiters),
        "answers": answers,
    }
    result = api(client, body).json()
    assert result["level"] == vignette.expect["level"], vignette.why
    if "immediate_referral" in vignette.expect:
        assert result["immediate_referral"] == vignette.expect["immediate_referral"]
    if "criminal" in vignette.expect:
        assert result["criminal_exploitation"] == vignette.expect["criminal"]
        assert any(s["id"] == "criminal-exploitation" for s in result["next_steps"])
    data = web_data(
        answers,
        age="" if age is None else str(age),
        ld=vignette.learning_disability,
        exploiters=vignette.exploiters,
    )
    html = client.post("/pro/screening/", data).content.decode()
    assert_page_shows(html, result)
    if vignette.expect.get("family"):
        text = html.lower()
        assert "early help" not in text and "ask carers" not in text
        assert "ask the family" not in text and "ask the child and carers" not in text
        assert 'data-step="family-strategy"' in html


def test_every_step_that_names_a_service_gives_its_number(pro_client):
    body = {
        "age": 15,
        "exploiters": ["family"],
        "answers": {
            "disclosure": {"state": "present"},
            "criminal-exploitation": {"state": "present"},
            "images-shared": {"state": "present"},
            "trafficked-for-sex": {"state": "present"},
        },
    }
    for who in ("demo-practitioner", "demo-dsl", "demo-frontdoor"):
        result = api(pro_client(who), body).json()
        for step in [result["action"], *result["next_steps"]]:
            assert step["missing"] == [], step["id"]  # every service it names is found
            for contact in step["contacts"]:
                assert contact["phone"] or contact["url"], (step["id"], contact)
        named = [c["name"] for s in result["next_steps"] for c in s["contacts"]]
        assert any("front door" in n for n in named)
        assert any("CSE coordinator" in n for n in named)


def tell_dsl(client, answers, **extra):
    data = web_data(answers, step="tell_dsl", note="Mia in 9B; I am in room 12 until 4pm.")
    data.update(extra)
    return client.post("/pro/screening/", data)


def test_a_practitioner_tells_their_dsl_who_sees_it_on_their_home(
    pro_client, mailoutbox, django_capture_on_commit_callbacks
):
    practitioner = pro_client("demo-practitioner")
    with django_capture_on_commit_callbacks(execute=True):
        response = tell_dsl(practitioner, all_known(exchange_for_things="current"))
    assert response.status_code == 200
    shown = response.content.decode()
    assert "data-sent" in shown and 'id="judgement"' in shown  # the screening is not lost
    task = DslTask.objects.get()
    assert task.urgent and task.suggested_level == "significant"
    assert "Mia in 9B" not in task.sealed  # encrypted at rest
    assert task.contents["note"].startswith("Mia in 9B")
    sent = practitioner.get(f"/pro/screening/tasks/{task.pk}/").content.decode()
    # The sender reads their own action, never the DSL's "refer now".
    assert "Tell your designated safeguarding lead now" in sent and "Refer now" not in sent
    home = pro_client("demo-dsl").get("/pro/").content.decode()
    assert f'data-task="{task.pk}"' in home and "Urgent:" in home
    page = pro_client("demo-dsl").get(f"/pro/screening/tasks/{task.pk}/").content.decode()
    assert "Mia in 9B" in page and "Refer now" in page
    assert "Record my decision and close the task" in page
    assert [m.to for m in mailoutbox] == [["demo-dsl@example.org"]]
    assert "Mia" not in mailoutbox[0].body and "exchange" not in mailoutbox[0].body
    dsl = pro_client("demo-dsl")
    refused = dsl.post(f"/pro/screening/tasks/{task.pk}/done/", {"decision": ""})
    assert refused.status_code == 400 and "Write what you decided" in refused.content.decode()
    decision = "Referred to the front door at 10:20; strategy discussion at 2pm."
    closed = dsl.post(f"/pro/screening/tasks/{task.pk}/done/", {"decision": decision})
    assert closed.status_code == 302
    task.refresh_from_db()
    assert task.done_at is not None and "front door" not in task.sealed_decision
    assert decision in practitioner.get(f"/pro/screening/tasks/{task.pk}/").content.decode()
    assert f'data-task="{task.pk}"' not in pro_client("demo-dsl").get("/pro/").content.decode()
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"screening.tell_dsl", "screening.view_dsl_task", "screening.close_dsl_task"} <= actions


def test_a_task_sent_twice_from_one_form_is_stored_once(pro_client):
    practitioner = pro_client("demo-practitioner")
    key = "8a4f4c1e-7d1f-4b7c-9f1e-2a0b6c3d4e5f"
    for _ in range(2):
        assert tell_dsl(practitioner, all_known(), key=key).status_code == 200
    assert DslTask.objects.count() == 1


@pytest.mark.parametrize(
    "username", ["demo-eastfield", "demo-analyst", "demo-admin", "demo-dpo", "demo-frontdoor"]
)
def test_no_one_else_sees_a_task_for_the_dsl(pro_client, username):
    tell_dsl(pro_client("demo-practitioner"), all_known())
    task = DslTask.objects.get()
    client = pro_client(username)
    assert client.get(f"/pro/screening/tasks/{task.pk}/").status_code == 404
    closing = client.post(f"/pro/screening/tasks/{task.pk}/done/", {"decision": "Closed it."})
    assert closing.status_code == 404
    assert f'data-task="{task.pk}"' not in client.get("/pro/").content.decode()


@pytest.mark.parametrize(
    ("role", "team"), [("practitioner", "Safeguarding"), ("dsl", "School Nursing")]
)
def test_a_colleague_who_did_not_send_it_or_another_organisations_dsl_gets_404(
    pro_client, role, team
):
    tell_dsl(pro_client("demo-practitioner"), all_known())
    task = DslTask.objects.get()
    User.objects.create_user(
        "someone-else", password="x" * 20, role=role, team=Team.objects.get(name=team)
    )
    client = pro_client("someone-else")
    assert client.get(f"/pro/screening/tasks/{task.pk}/").status_code == 404
    assert f'data-task="{task.pk}"' not in client.get("/pro/").content.decode()


def test_no_task_is_sent_where_the_organisation_has_no_dsl(pro_client):
    User.objects.create_user(
        "nurse",
        password="x" * 20,
        role="practitioner",
        team=Team.objects.get(name="School Nursing"),
    )
    client = pro_client("nurse")
    page = client.post("/pro/screening/", web_data(all_known())).content.decode()
    assert "data-no-dsl" in page and "data-send-to-dsl" not in page
    assert tell_dsl(client, all_known()).status_code == 200
    assert not DslTask.objects.exists()


def test_what_meets_the_definition_cannot_be_judged_lower(pro_client):
    data = web_data(
        all_known(exchange_for_things="current"),
        step="finish",
        judgement="moderate",
        overrule_reason="disagree-rule",
        judgement_reason="I do not think this is exploitation at all in my view.",
    )
    response = pro_client("demo-practitioner").post("/pro/screening/", data)
    assert response.status_code == 400
    assert "must be referred" in response.content.decode()


def test_no_level_is_not_a_reason_when_a_level_was_suggested(pro_client):
    data = web_data(
        all_known(),
        step="finish",
        judgement="emerging",
        overrule_reason="no-level",
        judgement_reason="I think there is more going on than the answers show here.",
    )
    response = pro_client("demo-practitioner").post("/pro/screening/", data)
    assert response.status_code == 400
    assert "The tool suggested a level: choose another reason" in response.content.decode()


def test_the_catalogue_in_the_database_has_the_shipped_rules():
    shipped = shipped_catalogue()
    stored = Indicator.objects.catalogue()
    assert {code: stored[code] for code in shipped} == shipped


def test_an_upgraded_site_gets_the_new_rules_unless_an_editor_changed_the_indicator():
    """Before 0003, the loader's fingerprint had no rule fields; the migration recomputes it for
    rows no editor changed, so load_content brings them their rules."""
    import importlib

    from django.apps import apps as django_apps
    from django.core.management import call_command

    from seethesigns.website.loading import entry_hash
    from seethesigns.website.models import LoadedContent

    migration = importlib.import_module(
        "seethesigns.screening.migrations.0004_a_dsl_records_what_they_decided"
    )
    fields = Indicator._meta.concrete_fields
    for code, edited in [("exchange-for-things", False), ("going-missing", True)]:
        indicator = Indicator.objects.get(code=code)
        for name in ("floor", "floor_under_16", "defining", "ask_if_family"):
            setattr(indicator, name, "")
        indicator.sexual = indicator.criminal = indicator.key = False
        if edited:
            indicator.title = "Changed by an editor"
        indicator.save()
        old = {
            f.attname: getattr(indicator, f.attname)
            for f in fields
            if f.name not in migration.ADDED
        }
        if edited:
            old["title"] = "What the loader wrote"
        # As written from the old catalogue entry, before it had its rules.
        LoadedContent.objects.filter(key=f"indicator:{code}").update(
            state_hash=entry_hash(old), content_hash="the entry before it had rules"
        )
    migration.refresh_fingerprints(django_apps, None)
    call_command("load_content", verbosity=0)
    assert (
        Indicator.objects.get(code="exchange-for-things").spec
        == shipped_catalogue()["exchange-for-things"]
    )
    kept = Indicator.objects.get(code="going-missing")
    assert kept.title == "Changed by an editor"  # an editor's change is still left alone


def test_a_local_sign_of_harm_is_at_least_moderate(pro_client):
    admin = pro_client("demo-admin")
    admin.post(
        "/pro/screening/indicators/",
        {"kind": "harm", "title": "Found with injuries after a party at the Old Mill"},
    )
    local = Indicator.objects.get(is_local=True)
    answers = all_known()
    answers[local.code] = {"state": "present"}
    body = api(pro_client("demo-practitioner"), {"age": 15, "answers": answers}).json()
    assert body["level"] == "moderate"


def test_the_sender_cannot_close_their_own_task(pro_client):
    practitioner = pro_client("demo-practitioner")
    tell_dsl(practitioner, all_known())
    task = DslTask.objects.get()
    assert practitioner.post(f"/pro/screening/tasks/{task.pk}/done/").status_code == 404
    task.refresh_from_db()
    assert task.done_at is None


def test_only_a_practitioner_is_asked_to_tell_a_dsl(pro_client):
    answers = web_data(all_known(disclosure="current"))
    dsl_page = pro_client("demo-dsl").post("/pro/screening/", answers).content.decode()
    assert "data-tell-dsl" not in dsl_page
    assert 'data-action="refer-now"' in dsl_page
    assert tell_dsl(pro_client("demo-dsl"), all_known()).status_code == 200
    assert not DslTask.objects.exists()
