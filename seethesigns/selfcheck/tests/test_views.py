import logging

import pytest
from bs4 import BeautifulSoup
from django.apps import apps
from django.test import Client

from seethesigns.selfcheck.data import load

pytestmark = pytest.mark.django_db


def _rows() -> int:
    return sum(model._default_manager.count() for model in apps.get_models())


def _answer_all(client: Client, path_id: str, answer: str):
    path = load().paths[path_id]
    data = {"step": "0"}
    response = None
    for step, question in enumerate(path.questions):
        data = {**data, "step": str(step), "answer": answer, "action": "next"}
        response = client.post(f"/self-check/{path_id}/", data)
        assert response.status_code == 200
        data = {k: v for k, v in data.items() if k.startswith("a-")}
        data[f"a-{question.id}"] = answer
    return response


def test_the_start_page_offers_three_paths_and_a_route_for_professionals(client: Client):
    html = client.get("/self-check/").content.decode()
    for path_id in ["me", "friend", "child"]:
        assert f'href="/self-check/{path_id}/"' in html
    assert 'href="/professionals/"' in html


@pytest.mark.parametrize("path_id", ["me", "friend", "child"])
def test_without_javascript_the_server_works_it_out_and_keeps_nothing(
    client: Client, caplog, path_id: str
):
    caplog.set_level(logging.DEBUG)
    before = _rows()
    response = _answer_all(client, path_id, "yes")
    html = response.content.decode()
    assert 'data-level="urgent"' in html
    contacts = BeautifulSoup(html, "html.parser").select(".result__help .contact")
    assert contacts[0]["id"] == "contact-emergency-999"
    assert _rows() == before
    assert not response.cookies
    first = load().paths[path_id].questions[1].text
    assert first not in caplog.text
    assert "a-" not in caplog.text


def test_one_question_per_screen_with_progress(client: Client):
    html = client.get("/self-check/me/").content.decode()
    total = len(load().paths["me"].questions)
    assert f"Question 1 of {total}" in html
    assert html.count('name="answer"') == 3
    assert "Skip this question" in html


def test_back_returns_to_the_last_question_with_its_answer(client: Client):
    path = load().paths["me"]
    q0 = path.questions[0]
    html = client.post(
        "/self-check/me/", {"step": "1", f"a-{q0.id}": "no", "action": "back"}
    ).content.decode()
    assert "Question 1 of" in html
    assert 'value="no" id="answer-no" checked' in html


def test_a_missing_answer_gets_a_clear_message_and_loses_nothing(client: Client):
    path = load().paths["friend"]
    q0 = path.questions[0]
    html = client.post(
        "/self-check/friend/", {"step": "1", f"a-{q0.id}": "not_sure", "action": "next"}
    ).content.decode()
    assert "There is a problem" in html
    assert "Choose yes, no or not sure, or skip this question." in html
    assert f'name="a-{q0.id}" value="not_sure"' in html


def test_skip_moves_on(client: Client):
    html = client.post("/self-check/child/", {"step": "0", "action": "skip"}).content.decode()
    assert "Question 2 of" in html


@pytest.mark.parametrize(
    "data",
    [
        {"step": "abc", "answer": "maybe"},
        {"step": "²", "answer": "yes"},
        {"step": "9" * 5000, "answer": "yes"},
        {"step": "99999", "answer": "yes"},
        {"step": "-1", "a-unknown": "yes", "answer": "no"},
        {"step": "0", "answer": "<script>alert(1)</script>", "action": "nonsense"},
        {"a-me-danger-now": "x" * 10_000},
    ],
)
def test_tampered_posts_get_a_clear_page(client: Client, data: dict[str, str]):
    response = client.post("/self-check/me/", data)
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_a_one_megabyte_body_gets_a_clear_page(client: Client):
    response = client.post("/self-check/me/", {"answer": "y" * 1_048_576, "action": "next"})
    assert response.status_code in (200, 400)
    assert 'href="/exit/"' in response.content.decode()


def test_too_many_fields_get_the_clear_400_page(client: Client):
    data = {f"a-{i}": "yes" for i in range(2000)}
    response = client.post("/self-check/me/", data)
    assert response.status_code == 400
    assert "could not read what was sent" in response.content.decode()


def test_an_unknown_path_is_the_helpful_404(client: Client):
    response = client.get("/self-check/someone-else/")
    assert response.status_code == 404
    assert "find that page" in response.content.decode()
