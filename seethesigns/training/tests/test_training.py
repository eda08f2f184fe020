import subprocess

import pytest

from seethesigns.audit.models import AuditEntry
from seethesigns.training.data import modules, pass_mark
from seethesigns.training.models import Completion
from seethesigns.website.models import Source

pytestmark = pytest.mark.django_db


def answers(module_id: str, *, right: int) -> dict[str, str]:
    """Answer the first `right` questions correctly and the rest wrongly."""
    chosen = {}
    for i, q in enumerate(modules()[module_id].quiz):
        wrong = next(o["id"] for o in q.options if not o.get("correct"))
        chosen[q.id] = q.correct if i < right else wrong
    return chosen


def test_the_five_modules_each_end_in_a_quiz_with_one_right_answer_per_question():
    assert list(modules()) == [
        "what-is-cse",
        "the-signs",
        "responding-to-disclosure",
        "recording-and-referring",
        "language",
    ]
    for module in modules().values():
        assert len(module.quiz) >= 3
        for q in module.quiz:
            assert sum(1 for o in q.options if o.get("correct")) == 1
            assert q.explanation


def test_reading_a_module_shows_its_sections_and_quiz(pro_client):
    html = pro_client("demo-practitioner").get("/pro/training/language/").content.decode()
    assert "Words to avoid, and what to say instead" in html
    assert 'name="record-words"' in html
    # Sources are cited in full (organisation, year, link), not as internal keys.
    assert "solihull-language" not in html
    assert 'rel="noreferrer"' in html


def test_every_source_and_practice_link_of_every_module_exists(pro_client):
    client = pro_client("demo-practitioner")
    known = set(Source.objects.values_list("key", flat=True))
    for module in modules().values():
        for section in module.sections:
            assert set(section["sources"]) <= known, (module.id, section["heading"])
        for link in module.practise:
            assert client.get(link["href"]).status_code == 200, (module.id, link["href"])


def test_responding_to_a_disclosure_practises_on_a_professional_scenario(pro_client):
    html = pro_client("demo-practitioner").get("/pro/training/responding-to-disclosure/")
    assert 'href="/stories/a-teacher/"' in html.content.decode()


def test_a_quiz_with_unanswered_questions_says_which(pro_client):
    response = pro_client("demo-practitioner").post("/pro/training/language/", {})
    assert response.status_code == 400
    assert "Answer question 1" in response.content.decode()


def test_failing_explains_every_answer_and_gives_no_certificate(pro_client):
    client = pro_client("demo-practitioner")
    html = client.post("/pro/training/what-is-cse/", answers("what-is-cse", right=2)).content
    text = html.decode()
    assert "Not passed yet" in text
    assert text.count("data-marked=") == 4
    assert "The age of consent does not change the definition" in text
    assert not Completion.objects.exists()


def test_passing_gives_a_pdf_certificate_with_name_module_and_date(pro_client, tmp_path):
    client = pro_client("demo-practitioner")
    quiz = modules()["language"].quiz
    html = client.post("/pro/training/language/", answers("language", right=len(quiz))).content
    assert "You passed" in html.decode()
    completion = Completion.objects.get()
    assert completion.score == 100 >= pass_mark()
    assert AuditEntry.objects.filter(action="training.pass").exists()
    response = client.get(f"/pro/training/certificates/{completion.certificate}/")
    assert response.content.startswith(b"%PDF-")
    pdf = tmp_path / "certificate.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(  # noqa: S603  (poppler-utils, installed by make test)
        ["/usr/bin/pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Priya Teacher" in text
    assert "Language that does not blame the child" in text
    assert completion.completed_at.strftime("%-d %B %Y") in text


def test_a_certificate_is_only_its_owners(pro_client):
    client = pro_client("demo-practitioner")
    client.post("/pro/training/language/", answers("language", right=3))
    completion = Completion.objects.get()
    other = pro_client("demo-dsl")
    assert other.get(f"/pro/training/certificates/{completion.certificate}/").status_code == 404
    assert other.get("/pro/training/certificates/not-a-uuid/").status_code == 404


def test_the_admin_sees_completion_by_organisation(pro_client):
    pro_client("demo-practitioner").post("/pro/training/language/", answers("language", right=3))
    html = pro_client("demo-admin").get("/pro/training/completion/").content.decode()
    row = html.split("Northbridge Academy</th>")[1].split("</tr>")[0]
    cells = [c.split("</td>")[0] for c in row.split("<td>")[1:]]
    assert cells[0] == "2"  # two people with a role at the school
    assert cells[-1] == "1"  # one passed "Language"
    assert pro_client("demo-practitioner").get("/pro/training/completion/").status_code == 403


def test_an_unknown_module_is_404(pro_client):
    assert pro_client("demo-practitioner").get("/pro/training/nope/").status_code == 404
