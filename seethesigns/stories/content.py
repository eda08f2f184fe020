"""The shipped stories (content/stories/*.yaml), loaded by the website's content loader."""

from typing import Any

from django.core.exceptions import ValidationError
from wagtail.models import Page

from seethesigns.stories.models import StoriesPage, StoryPage
from seethesigns.website.loading import ContentError, Loader, md, read_yaml
from seethesigns.website.models import HomePage

# The type a page under content/pages/ names to be the stories page.
PAGE_TYPES: dict[str, type[Page]] = {"stories": StoriesPage}


def load(loader: Loader, home: HomePage) -> None:
    """The stories under content/stories/, as pages under the stories page."""
    parent = home.get_children().type(StoriesPage).specific().first()
    if parent is None:
        return
    for path in sorted((loader.dir / "stories").glob("*.yaml")):
        entry = read_yaml(path)
        slug = path.stem
        where = f"stories/{path.name}"
        existing = parent.get_children().filter(slug=slug).specific().first()

        def write(
            existing: Any, entry: dict[str, Any] = entry, slug: str = slug, where: str = where
        ) -> Any:
            story = existing or StoryPage(slug=slug, locale=loader.locale)
            story.title = story.draft_title = entry["title"]
            for name in ("summary", "audience", "age_guidance", "content_note", "start"):
                setattr(story, name, entry[name])
            raw = [_scene(scene) for scene in entry["scenes"]]
            story.scenes = StoryPage._meta.get_field("scenes").stream_block.to_python(raw)
            story.sources = loader.source_ids(entry.get("sources"), where)
            try:
                story.clean()
            except ValidationError as e:
                raise ContentError(f"{where}: {'; '.join(e.messages)}") from e
            if existing is None:
                parent.add_child(instance=story)
            story.save_revision(log_action=True).publish()
            story.refresh_from_db()
            return story

        loader.apply(f"story:{slug}", entry, existing, write)


def _scene(scene: dict[str, Any]) -> dict[str, Any]:
    value = {
        "scene_id": scene["id"],
        "kind": scene["kind"],
        "title": scene.get("title") or "",
        "text": md(scene["text"]),
        "image": None,
        "image_alt": scene.get("image_alt") or "",
        "question": scene.get("question") or "",
        "choices": [{"text": c["text"], "to": c["to"]} for c in scene.get("choices") or []],
        "details": [
            {
                "text": d["text"],
                "worrying": bool(d.get("worrying")),
                "sign": d.get("sign") or "",
                "feedback": d["feedback"],
            }
            for d in scene.get("details") or []
        ],
        "next": scene.get("next") or "",
        "signs": list(scene.get("signs") or []),
        "what_to_do": md(scene.get("what_to_do")),
    }
    return {"type": "scene", "value": value}
