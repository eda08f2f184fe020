import pytest
from django.test import Client

from seethesigns.stories.models import StoryPage

pytestmark = pytest.mark.django_db


def _walk(story: StoryPage) -> list[str]:
    """Return the address of every step of a story, and every spot-the-signs feedback page."""
    paths = [story.url]
    for block in story.scenes:
        scene = block.value
        paths.append(f"{story.url}{scene['scene_id']}/")
        if scene["kind"] == "spot":
            paths.append(f"{story.url}{scene['scene_id']}/check/?picked=0&picked=1")
    return paths


@pytest.mark.parametrize("slug", ["jay", "online-game", "a-friend", "a-parent", "a-teacher"])
def test_every_step_offers_the_exit_help_and_a_way_out(client: Client, slug: str):
    story = StoryPage.objects.get(slug=slug)
    for path in _walk(story):
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        assert html.count('href="/exit/"') == 1
        assert "Leave the story" in html or path == story.url
        assert 'href="/get-help/"' in html
        assert not response.cookies


def test_the_list_of_stories_shows_each_with_its_age_guidance(client: Client):
    html = client.get("/stories/").content.decode()
    for story in StoryPage.objects.live():
        assert story.url in html
        assert story.age_guidance.replace("'", "&#x27;") in html


def test_an_ending_says_what_the_signs_were_and_shows_help(client: Client):
    story = StoryPage.objects.get(slug="jay")
    ending = next(b.value for b in story.scenes if b.value["kind"] == "ending")
    html = client.get(f"{story.url}{ending['scene_id']}/").content.decode()
    assert "The signs in this story" in html
    assert "tel:999" in html
    assert "tel:08001111" in html


def test_spotting_gives_feedback_on_each_detail(client: Client):
    story = StoryPage.objects.get(slug="online-game")
    spot = next(b.value for b in story.scenes if b.value["kind"] == "spot")
    html = client.get(f"{story.url}{spot['scene_id']}/check/?picked=0").content.decode()
    assert html.count("feedback__item") >= len(spot["details"])
    assert "You picked this." in html
    assert "You did not pick this." in html


@pytest.mark.parametrize(
    "suffix",
    [
        "no-such-scene/",
        "no-such-scene/check/",
        "%3Cscript%3E/",
    ],
)
def test_a_tampered_address_gets_the_helpful_404(client: Client, suffix: str):
    response = client.get("/stories/jay/" + suffix)
    assert response.status_code == 404
    assert "find that page" in response.content.decode()


@pytest.mark.parametrize("picked", ["abc", "-1", "999", "1" * 5000, "²", "\u0661", "<script>"])
def test_tampered_picks_get_a_clear_page(client: Client, picked: str):
    story = StoryPage.objects.get(slug="jay")
    spot = next(b.value for b in story.scenes if b.value["kind"] == "spot")
    response = client.get(f"{story.url}{spot['scene_id']}/check/", {"picked": picked})
    assert response.status_code == 200
    assert "<script>" not in response.content.decode().split("<main", 1)[1]


def test_checking_a_scene_that_is_not_spot_the_signs_is_a_404(client: Client):
    story = StoryPage.objects.get(slug="jay")
    response = client.get(f"{story.url}{story.start}/check/")
    first = story.scene(story.start)
    assert response.status_code == (200 if first["kind"] == "spot" else 404)


def test_the_professional_scenario_uses_the_professional_wording_of_the_signs(client: Client):
    story = StoryPage.objects.get(slug="a-teacher")
    assert story.audience == "professionals"
    html = client.get(f"{story.url}listening/check/?picked=0").content.decode()
    # The professional list's wording of "disclosure", not the friend's or the parent's.
    assert "Disclosure, including partial disclosure or withdrawal" in html
    assert "Your child tells you, or hints" not in html
    ending = client.get(f"{story.url}ending-kept-quiet/").content.decode()
    assert "Never promise to keep a secret" in ending


@pytest.mark.parametrize("slug", ["jay", "online-game", "a-friend", "a-parent", "a-teacher"])
def test_the_step_count_never_jumps_and_shows_no_total_that_could_change(client: Client, slug: str):
    import re

    from seethesigns.stories.graph import distances_from

    story = StoryPage.objects.get(slug=slug)
    by_id = {s.id: s for s in story.graph()}
    depth = distances_from(story.start, by_id)
    for scene_id, scene in by_id.items():
        html = client.get(f"{story.url}{scene_id}/").content.decode()
        shown = re.search(r'data-step="(\d+)">Step (\d+)</p>', html)
        assert shown and shown[1] == shown[2] == str(depth[scene_id] + 1), scene_id
        assert not re.search(r"Step \d+ of \d+", html)
        # Whatever the reader chooses, the next step is at most one more than this one.
        for target in scene.targets:
            assert depth[target] <= depth[scene_id] + 1
