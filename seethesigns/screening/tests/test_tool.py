"""The screening tool through HTTP: the web form, the saved screening, the API, and that the web
form and the API agree."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from seethesigns.audit.models import AuditEntry
from seethesigns.cases.models import Child
from seethesigns.screening.models import Indicator, Screening

pytestmark = pytest.mark.django_db


def web_data(answers: dict[str, dict[str, str]], age="15", ld="no", **extra) -> dict[str, str]:
    data = {"age": age, "learning_disability": ld, "step": "suggest"}
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
    assert 'data-level="moderate"' in html  # 10 + 10 + 2 = 22
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
    assert "Refer now to the police" in html
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
    assert "Too much is not known to suggest a level" in html
    assert "what to find out" in html


def test_a_different_judgement_needs_a_reason(pro_client):
    data = web_data(all_known(), step="finish", judgement="emerging")
    response = pro_client("demo-practitioner").post("/pro/screening/", data)
    assert response.status_code == 400
    assert "Give the reason you chose a different level" in response.content.decode()


def make_child(pro_client) -> Child:
    client = pro_client("demo-dsl")
    client.post(
        "/pro/children/new/",
        {
            "first_name": "Zara",
            "last_name": "Testcase",
            "date_of_birth": "2012-05-01",
            "learning_disability": "no",
        },
    )
    return Child.objects.get(first_name="Zara")


def test_a_screening_saved_to_a_record_shows_over_time(pro_client):
    child = make_child(pro_client)
    client = pro_client("demo-dsl")
    for answers, judgement, reason in [
        (all_known(), "none", ""),
        (
            all_known(going_missing="current", gifts_money_phones="current"),
            "moderate",
            "Her mother says the man waits outside school every day.",
        ),
    ]:
        data = web_data(
            answers, age="14", step="finish", judgement=judgement, judgement_reason=reason
        )
        response = client.post(f"/pro/children/{child.pk}/screening/", data)
        assert response.status_code == 302
    first, second = Screening.objects.filter(child=child)
    assert (first.suggested_level, first.judgement) == ("none", "none")
    assert (second.suggested_level, second.judgement) == ("emerging", "moderate")
    assert second.contents["judgement_reason"].startswith("Her mother")
    assert "Seen by me" not in second.sealed  # evidence is encrypted
    html = client.get(f"/pro/children/{child.pk}/").content.decode()
    assert "<svg" in html and "<polyline" in html
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
    assert body["level"] == "emerging"
    assert [o["rule"] for o in body["overrides"]] == ["young-child"]
    assert body["enough_known"] is False
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
                "when": st.sampled_from(["current", "earlier"]),
            }
        ),
    ),
    st.one_of(st.none(), st.integers(min_value=0, max_value=25)),
    st.sampled_from(["yes", "no", "not_known"]),
)
def test_the_api_and_the_web_form_agree(pro_client, answers, age, ld):
    client = pro_client("demo-practitioner")
    body = api(client, {"age": age, "learning_disability": ld, "answers": answers}).json()
    data = web_data(answers, age="" if age is None else str(age), ld=ld)
    html = client.post("/pro/screening/", data).content.decode()
    assert f'data-level="{body["level"]}"' in html
    assert ("data-not-enough-known" in html) == (not body["enough_known"])
    for reason in body["reasons"]:
        assert f'data-reason="{reason["indicator"]}"' in html
    for override in body["overrides"]:
        assert f'data-rule="{override["rule"]}"' in html


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
