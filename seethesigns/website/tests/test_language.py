"""Shipped words: no victim-blaming, plain enough for a 12-year-old, every sign sourced."""

import re
from pathlib import Path

import pytest
import textstat
import yaml
from bs4 import BeautifulSoup
from django.test import Client
from wagtail.models import get_page_models

from seethesigns.website.choices import YOUNG_AUDIENCES, YOUNG_SIGN_LISTS
from seethesigns.website.models import BasePage, Sign, SignWording
from testing.liveserver import PUBLIC_PATHS

pytestmark = pytest.mark.django_db
CONTENT_DIR = Path(__file__).resolve().parents[3] / "content"
MAX_GRADE = 7.0

# Words that put responsibility on the child, or that no page should use about a child.
BLAMING = [
    r"child prostitut\w*",
    r"prostitut\w*",
    r"promiscu\w*",
    r"lifestyle choices?",
    r"consented",
    r"(putting|placing|put) (themselves|herself|himself|yourself) at risk",
    r"risky behaviour",
    r"sexually active",
    r"rent boys?",
    r"asking for it",
    r"willing participant",
    r"you are safe",
    r"you're safe",
    r"nothing to worry about",
]
BLAMING_RE = re.compile(r"\b(" + "|".join(BLAMING) + r")\b", re.IGNORECASE)


def _content_files() -> list[Path]:
    return sorted(p for p in CONTENT_DIR.rglob("*.yaml"))


# The training module on language quotes the words to avoid, to teach what to say instead. Only
# there, and only inside quotation marks, may they appear.
QUOTED_SPEECH = re.compile(r'\\"[^"\\]*\\"')  # \"…\" inside a YAML string
QUOTED = re.compile(r'"[^"\n]*"')


def _scannable(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    if path.parent.name == "training":
        text = QUOTED.sub('""', QUOTED_SPEECH.sub("", text))
    return text


@pytest.mark.parametrize("path", _content_files(), ids=lambda p: p.name)
def test_shipped_files_use_no_blaming_words(path: Path):
    found = BLAMING_RE.findall(_scannable(path))
    assert not found, f"{path.name}: {found}"


def test_training_may_quote_blaming_words_only_to_teach_what_to_avoid(tmp_path: Path):
    training = tmp_path / "training"
    training.mkdir()
    sample = training / "modules.yaml"
    sample.write_text('body: Not "promiscuous": say what happened.\ntext: "\\"She consented\\""\n')
    assert not BLAMING_RE.findall(_scannable(sample))
    sample.write_text("body: She was promiscuous.\n")
    assert BLAMING_RE.findall(_scannable(sample))


@pytest.mark.parametrize("path", PUBLIC_PATHS)
def test_rendered_pages_use_no_blaming_words(client: Client, path: str):
    text = BeautifulSoup(client.get(path).content, "html.parser").get_text(" ")
    assert not BLAMING_RE.findall(text)


def test_the_checker_catches_blaming_words():
    assert BLAMING_RE.search("She was described as promiscuous.")
    assert BLAMING_RE.search("a Lifestyle Choice")
    assert not BLAMING_RE.search("A child cannot consent to their own abuse.")


def _grade(text: str) -> float:
    return float(textstat.flesch_kincaid_grade(text))


def _young_texts(client: Client) -> list[tuple[str, str]]:
    """Return (where, text) for every page and section written for young people."""
    texts = []
    for page in [model for model in get_page_models() if issubclass(model, BasePage)]:
        for specific in page.objects.live():
            html = client.get(specific.url).content
            soup = BeautifulSoup(html, "html.parser")
            for hidden in soup.select(".sources, .contact"):
                hidden.decompose()
            article = soup.find("article")
            if article is None:
                continue
            if specific.audience in YOUNG_AUDIENCES:
                texts.append((specific.url, article.get_text(" ")))
            for section in article.select("[data-audience]"):
                if section.get("data-audience") in YOUNG_AUDIENCES and section is not article:
                    heading = section.find("h2")
                    where = f"{specific.url} {heading.get_text() if heading else ''}"
                    texts.append((where, section.get_text(" ")))
    return texts


def test_young_peoples_text_reads_at_grade_7_or_below(client: Client):
    texts = _young_texts(client)
    assert len(texts) >= 5  # the young people's and friends' pages and sections exist
    too_hard = [
        (where, round(_grade(text), 1)) for where, text in texts if _grade(text) > MAX_GRADE
    ]
    assert not too_hard


@pytest.mark.parametrize("sign_list", sorted(YOUNG_SIGN_LISTS))
def test_young_peoples_sign_lists_read_at_grade_7_or_below(sign_list: str):
    wordings = SignWording.objects.filter(list=sign_list)
    text = " ".join(
        f"{w.title}. {BeautifulSoup(w.explanation, 'html.parser').get_text(' ')}" for w in wordings
    )
    assert wordings.count() >= 8
    assert _grade(text) <= MAX_GRADE


def test_every_sign_has_a_source_and_a_stable_identifier():
    signs = Sign.objects.prefetch_related("sources")
    assert signs.count() >= 20
    for sign in signs:
        assert sign.sources.exists(), sign.slug
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", sign.slug), sign.slug


def test_sign_identifiers_in_the_file_are_unique():
    ids = [s["id"] for s in yaml.safe_load((CONTENT_DIR / "signs.yaml").read_text())]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("sign_list", ["me", "friend", "parent", "professional", "public"])
def test_each_list_has_enough_signs(sign_list: str):
    assert SignWording.objects.filter(list=sign_list).count() >= 6


def _plain(html: str) -> str:
    return BeautifulSoup(html, "html.parser").get_text(" ")


def test_young_peoples_stories_read_at_grade_7_or_below():
    from seethesigns.stories.models import StoryPage

    stories = StoryPage.objects.live().filter(audience__in=YOUNG_AUDIENCES)
    assert stories.count() >= 3
    for story in stories:
        for block in story.scenes:
            scene = block.value
            text = " ".join(
                [
                    _plain(scene["text"].source),
                    *[c["text"] + "." for c in scene["choices"]],
                    *[f"{d['text']}. {d['feedback']}" for d in scene["details"]],
                    _plain(scene["what_to_do"].source),
                ]
            )
            assert _grade(text) <= MAX_GRADE, (story.slug, scene["scene_id"])


@pytest.mark.parametrize("path_id", ["me", "friend"])
def test_young_peoples_self_check_reads_at_grade_7_or_below(path_id: str):
    from seethesigns.selfcheck.data import load

    data = load()
    path = data.paths[path_id]
    for question in path.questions:
        assert _grade(f"{question.text} {question.hint}") <= MAX_GRADE, question.id
    for level, message in path.messages.items():
        assert _grade(f"{message['heading']}. {_plain(message['text'])}") <= MAX_GRADE, level
