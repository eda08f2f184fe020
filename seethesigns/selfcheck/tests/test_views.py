import logging

import pytest
from bs4 import BeautifulSoup
from django.apps import apps
from django.test import Client

from seethesigns.selfcheck.data import load
from seethesigns.selfcheck.rules import compute

pytestmark = pytest.mark.django_db


def _rows() -> int:
    return sum(model._default_manager.count() for model in apps.get_models())


def _answer_all(client: Client, path_id: str, answer: str):
    path = load().paths[path_id]
    data = {f"a-{q.id}": answer for q in path.questions}
    response = client.post(f"/self-check/{path_id}/", {**data, "action": "result"})
    assert response.status_code == 200
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


def test_without_javascript_every_question_is_on_one_page_with_its_number(client: Client):
    soup = BeautifulSoup(client.get("/self-check/me/").content, "html.parser")
    questions = load().paths["me"].questions
    fieldsets = soup.select("[data-question]")
    assert [f["data-question"] for f in fieldsets] == [q.id for q in questions]
    for number, (fieldset, question) in enumerate(zip(fieldsets, questions, strict=True), 1):
        assert f"Question {number} of {len(questions)}" in fieldset.legend.text
        assert question.text in fieldset.legend.text
        assert [i["value"] for i in fieldset.select("input[type=radio]")] == [
            "yes",
            "no",
            "not_sure",
        ]
    # One form, one button: the browser's Back never has a question's form to send again.
    assert len(soup.select("form[method=post]")) == 1
    assert soup.select_one("[data-nojs-only] button").text == "See what your answers mean"


@pytest.mark.parametrize("path_id", ["me", "friend", "child"])
def test_every_danger_question_is_followed_by_the_999_step(client: Client, path_id: str):
    soup = BeautifulSoup(client.get(f"/self-check/{path_id}/").content, "html.parser")
    dangers = [q for q in load().paths[path_id].questions if q.flag == "danger"]
    assert dangers, "every path asks about danger now"
    for question in dangers:
        fieldset = soup.select_one(f'[data-question="{question.id}"]')
        assert fieldset.has_attr("data-danger")
        step = fieldset.find_next_sibling()
        assert step.has_attr("data-danger-step")
        text = step.get_text(" ", strip=True)
        assert "Call 999 now" in text
        assert "press 55" in text and "cough or tap" in text
        assert step.select_one('a[href="tel:999"]') and step.select_one('a[href="tel:08001111"]')
        assert step.select_one("input[type=checkbox][data-danger-ack]")
        assert "Carry on with the check" in text


def test_a_question_left_out_counts_as_skipped(client: Client):
    path = load().paths["friend"]
    answers = {q.id: "no" for q in path.questions[2:]}
    answers[path.questions[1].id] = "yes"
    data = {f"a-{q}": a for q, a in answers.items()}
    html = client.post("/self-check/friend/", data).content.decode()
    expected = compute(path, load().levels, answers)
    assert f'data-level="{expected.level}"' in html
    assert path.questions[1].text in html
    assert path.questions[0].text not in html


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


def test_a_question_that_covers_two_signs_is_one_entry_in_the_result(client: Client):
    path = load().paths["friend"]
    question = next(q for q in path.questions if len(q.signs) == 2)
    html = client.post("/self-check/friend/", {f"a-{question.id}": "yes"}).content.decode()
    items = BeautifulSoup(html, "html.parser").select(".result__list > li")
    assert len(items) == 1
    assert len(items[0].select(".result__sign")) == 1
    assert question.text in items[0].get_text()


def test_the_parents_path_asks_about_money_demands_and_gaming(client: Client):
    path = load().paths["child"]
    question = next(q for q in path.questions if q.id == "child-money-gaming")
    assert "money" in question.text and "gaming" in question.text
    assert "Don't pay" in question.hint
    assert question.weight == 2 and question.signs == ("asked-for-images",)
    html = client.get("/self-check/child/").content.decode()
    assert question.text.replace("'", "&#x27;") in html
