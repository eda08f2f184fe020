import pytest
from django.core.exceptions import ValidationError

from seethesigns.stories.graph import (
    CHOICE,
    ENDING,
    SPOT,
    Scene,
    distances_from,
    graph_errors,
    progress,
)
from seethesigns.stories.models import StoryPage

pytestmark = pytest.mark.django_db
SIGNS = ["gifts-money-phones"]


def _story() -> list[Scene]:
    return [
        Scene("a", CHOICE, ["b", "c"]),
        Scene("b", SPOT, ["d"], ["gifts-money-phones"]),
        Scene("c", ENDING),
        Scene("d", ENDING),
    ]


def test_a_sound_story_has_no_errors():
    assert graph_errors("a", _story(), SIGNS) == []


def test_it_names_a_dead_end():
    scenes = [*_story(), Scene("e", SPOT, [])]
    scenes[0].targets.append("e")
    assert any("'e' is a dead end" in e for e in graph_errors("a", scenes, SIGNS))


def test_it_names_an_unreachable_scene_and_a_missing_target():
    scenes = [*_story(), Scene("lost", ENDING), Scene("x", CHOICE, ["c", "nowhere"])]
    errors = graph_errors("a", scenes, SIGNS)
    assert any("reach scene 'lost'" in e for e in errors)
    assert any("'nowhere', which does not exist" in e for e in errors)


def test_it_names_an_unknown_sign():
    scenes = _story()
    scenes[1].signs.append("made-up-sign")
    assert any("'made-up-sign'" in e for e in graph_errors("a", scenes, SIGNS))


def test_it_finds_a_loop_with_no_way_out():
    scenes = [
        Scene("a", CHOICE, ["b", "end"]),
        Scene("b", CHOICE, ["c", "b"]),
        Scene("c", CHOICE, ["b", "c"]),
        Scene("end", ENDING),
        Scene("end2", ENDING),
    ]
    errors = graph_errors("a", scenes, SIGNS)
    assert any("From scene 'b' no ending can be reached" in e for e in errors)


def test_progress_counts_steps_to_the_nearest_ending():
    assert progress("a", _story(), "a") == (1, 2)
    assert progress("a", _story(), "b") == (2, 3)


def _shipped() -> list[StoryPage]:
    return list(StoryPage.objects.live())


def test_at_least_four_stories_ship():
    assert {s.slug for s in _shipped()} >= {"jay", "online-game", "a-friend", "a-parent"}


@pytest.mark.parametrize("slug", ["jay", "online-game", "a-friend", "a-parent", "a-teacher"])
def test_every_shipped_story_is_a_sound_graph(slug: str):
    story = StoryPage.objects.get(slug=slug)
    scenes = story.graph()
    from seethesigns.website.models import Sign

    assert graph_errors(story.start, scenes, Sign.objects.values_list("slug", flat=True)) == []
    reachable = distances_from(story.start, {s.id: s for s in scenes})
    endings = [s for s in scenes if s.kind == ENDING]
    assert len(endings) >= 2
    assert all(e.id in reachable for e in endings)
    assert sum(s.kind in (CHOICE, SPOT) for s in scenes) >= 5
    assert story.content_note
    assert story.age_guidance


def test_saving_a_story_with_a_dead_end_is_refused():
    story = StoryPage.objects.get(slug="jay")
    raw = story.scenes.raw_data
    first = dict(raw[0])
    value = dict(first["value"])
    value["choices"] = []
    value["kind"] = "spot"
    value["next"] = ""
    first["value"] = value
    story.scenes = StoryPage._meta.get_field("scenes").stream_block.to_python(
        [first, *list(raw)[1:]]
    )
    with pytest.raises(ValidationError, match="dead end"):
        story.clean()
