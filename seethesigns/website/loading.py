"""Load the shipped content under content/ into the CMS, never overwriting an editor's work.

Each loaded object is remembered in LoadedContent with a hash of the shipped entry and the
revision the loader published. On the next load an object is updated only when the shipped entry
changed and nobody has saved a revision (or, for sources, changed a field) since; `overwrite`
forces it.
"""

import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import markdown
import yaml
from django.conf import settings
from django.db import models, transaction
from wagtail.models import Locale, Page, Site

from seethesigns.appmodules import app_modules
from seethesigns.website.choices import Audience, SignList
from seethesigns.website.models import (
    ContentPage,
    Film,
    FilmsPage,
    HelpContact,
    HelpPage,
    HomePage,
    LoadedContent,
    Sign,
    SignsPage,
    SignWording,
    Source,
)

CONTENT_DIR = Path(os.environ.get("CONTENT_DIR") or settings.BASE_DIR / "content")
PAGE_TYPES: dict[str, type[Page]] = {
    "home": HomePage,
    "content": ContentPage,
    "signs": SignsPage,
    "films": FilmsPage,
    "help": HelpPage,
}


class ContentError(Exception):
    """The shipped files are wrong; the message says where."""


@dataclass
class Report:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # an editor changed it; left alone


def md(text: str | None) -> str:
    """Turn the small Markdown subset of the content files into rich text HTML."""
    return markdown.markdown((text or "").strip()) if text else ""


def read_yaml(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as f:
            return yaml.safe_load(f)
    except (OSError, yaml.YAMLError) as e:
        raise ContentError(f"{path}: {e}") from e


def entry_hash(entry: Any) -> str:
    return hashlib.sha256(json.dumps(entry, sort_keys=True, default=str).encode()).hexdigest()


class Loader:
    def __init__(self, *, overwrite: bool = False, content_dir: Path = CONTENT_DIR) -> None:
        self.overwrite = overwrite
        self.dir = content_dir
        self.report = Report()
        self.locale = Locale.get_default()
        self.sources: dict[str, Source] = {}
        # Other apps' page types a content page may be (stories: `PAGE_TYPES` in their content.py).
        self.page_types = dict(PAGE_TYPES)
        for _config, module in app_modules("content"):
            self.page_types.update(getattr(module, "PAGE_TYPES", {}))

    # --- bookkeeping -----------------------------------------------------------------------

    def apply(
        self,
        key: str,
        entry: Any,
        existing: models.Model | None,
        write: Callable[[Any], Any],
    ) -> Any:
        """Create or update one object unless an editor changed it; return the object."""
        digest = entry_hash(entry)
        record = LoadedContent.objects.filter(key=key).first()
        if existing is not None:
            if record is None or self._editor_changed(existing, record):
                if not self.overwrite:
                    self.report.kept.append(key)
                    return existing
            elif record.content_hash == digest:
                self.report.unchanged.append(key)
                return existing
        obj = write(existing)
        (self.report.updated if existing is not None else self.report.created).append(key)
        LoadedContent.objects.update_or_create(
            key=key,
            defaults={
                "content_hash": digest,
                "revision_id": getattr(obj, "latest_revision_id", None),
                "state_hash": self._state_hash(obj),
            },
        )
        return obj

    def _editor_changed(self, obj: models.Model, record: "LoadedContent") -> bool:
        if hasattr(obj, "latest_revision_id"):
            return obj.latest_revision_id != record.revision_id
        return self._state_hash(obj) != record.state_hash

    @staticmethod
    def _state_hash(obj: models.Model) -> str:
        if hasattr(obj, "latest_revision_id"):
            return ""
        values = {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}
        return entry_hash(values)

    def source_ids(self, keys: list[str] | None, where: str) -> list[Source]:
        found = []
        for key in keys or []:
            if key not in self.sources:
                raise ContentError(f"{where}: unknown source {key!r}")
            found.append(self.sources[key])
        return found

    # --- snippets --------------------------------------------------------------------------

    def load_sources(self) -> None:
        for entry in read_yaml(self.dir / "sources.yaml") or []:
            key = entry["id"]

            def write(existing: Source | None, entry: dict[str, Any] = entry) -> Source:
                source = existing or Source(key=entry["id"])
                source.organisation = entry["organisation"]
                source.title = entry["title"]
                source.year = entry.get("year")
                source.url = entry.get("url") or ""
                source.full_clean()
                source.save()
                return source

            existing = Source.objects.filter(key=key).first()
            self.sources[key] = self.apply(f"source:{key}", entry, existing, write)

    def _publish_snippet(self, obj: Any) -> Any:
        obj.full_clean(exclude=["translation_key"])
        obj.save()
        obj.save_revision(log_action=True).publish()
        obj.refresh_from_db()
        return obj

    def load_signs(self) -> None:
        for order, entry in enumerate(read_yaml(self.dir / "signs.yaml") or []):
            slug = entry["id"]
            where = f"signs.yaml {slug}"
            wording = entry.get("wording") or {}
            unknown_lists = set(wording) - set(SignList.values)
            if unknown_lists or not wording:
                raise ContentError(f"{where}: wording lists must be among {SignList.values}")
            sources = self.source_ids(entry.get("sources"), where)
            if not sources:
                raise ContentError(f"{where}: every sign needs at least one source")

            def write(
                existing: Sign | None,
                entry: dict[str, Any] = entry,
                order: int = order,
                sources: list[Source] = sources,
            ) -> Sign:
                sign = existing or Sign(slug=entry["id"], locale=self.locale)
                sign.kind = entry["kind"]
                sign.sort_order = order
                sign.sources = sources
                sign.wordings = [
                    SignWording(list=name, title=w["title"], explanation=md(w["explanation"]))
                    for name, w in entry["wording"].items()
                ]
                return self._publish_snippet(sign)

            existing = Sign.objects.filter(slug=slug, locale=self.locale).first()
            self.apply(f"sign:{slug}", entry, existing, write)

    def load_films(self) -> None:
        for order, entry in enumerate(read_yaml(self.dir / "films.yaml") or []):
            slug = entry["slug"]
            sources = self.source_ids(entry.get("sources"), f"films.yaml {slug}")

            def write(
                existing: Film | None,
                entry: dict[str, Any] = entry,
                order: int = order,
                sources: list[Source] = sources,
            ) -> Film:
                film = existing or Film(slug=entry["slug"], locale=self.locale)
                for name in ("title", "maker", "audience", "age_guidance", "content_note"):
                    setattr(film, name, entry[name])
                film.year = entry.get("year")
                film.length_minutes = entry.get("length_minutes")
                film.summary = md(entry["summary"])
                film.link = entry.get("link") or ""
                film.link_text = entry.get("link_text") or ""
                film.embed_url = entry.get("embed_url") or ""
                film.transcript = md(entry.get("transcript"))
                film.unknowns = entry.get("unknowns") or ""
                film.sort_order = order
                film.sources = sources
                return self._publish_snippet(film)

            existing = Film.objects.filter(slug=slug, locale=self.locale).first()
            self.apply(f"film:{slug}", entry, existing, write)

    def load_help(self, path: Path) -> None:
        for order, entry in enumerate(read_yaml(path) or []):
            slug = entry["slug"]
            sources = self.source_ids(entry.get("sources"), f"{path.name} {slug}")

            def write(
                existing: HelpContact | None,
                entry: dict[str, Any] = entry,
                order: int = order,
                sources: list[Source] = sources,
            ) -> HelpContact:
                contact = existing or HelpContact(slug=entry["slug"], locale=self.locale)
                for name in ("name", "urgency", "who_for", "hours", "cost", "anonymous"):
                    setattr(contact, name, str(entry[name]))
                contact.phone = entry.get("phone") or ""
                contact.text_number = entry.get("text") or ""
                contact.url = entry.get("url") or ""
                contact.how = md(entry.get("how"))
                checked = entry["last_checked"]
                contact.last_checked = (
                    checked if isinstance(checked, date) else date.fromisoformat(checked)
                )
                contact.sort_order = order
                # Made-up details (the demo's) stay off the public site until an editor confirms.
                contact.placeholder = bool(entry.get("placeholder"))
                contact.sources = sources
                return self._publish_snippet(contact)

            existing = HelpContact.objects.filter(slug=slug, locale=self.locale).first()
            self.apply(f"help:{slug}", entry, existing, write)

    # --- pages -----------------------------------------------------------------------------

    def _block(self, block: dict[str, Any], where: str) -> dict[str, Any]:
        kind = block.get("type")
        if kind == "section":
            value = {
                "heading": block["heading"],
                "audience": block.get("audience") or "",
                "body": md(block["body"]),
                "sources": [s.pk for s in self.source_ids(block.get("sources"), where)],
            }
        elif kind == "quote":
            value = {
                "text": block["text"].strip(),
                "source": self.source_ids([block["source"]], where)[0].pk,
            }
        elif kind == "key_points":
            value = {
                "heading": block["heading"],
                "audience": block.get("audience") or "",
                "items": list(block["items"]),
                "sources": [s.pk for s in self.source_ids(block.get("sources"), where)],
            }
        elif kind == "urgent":
            value = None
        elif kind == "signs":
            if block["list"] not in SignList.values:
                raise ContentError(f"{where}: unknown sign list {block['list']!r}")
            value = {"heading": block["heading"], "list": block["list"]}
        elif kind == "help":
            contacts = []
            for slug in block["contacts"]:
                contact = HelpContact.objects.filter(slug=slug, locale=self.locale).first()
                if contact is None:
                    raise ContentError(f"{where}: unknown help contact {slug!r}")
                contacts.append(contact.pk)
            value = {"heading": block["heading"], "contacts": contacts}
        elif kind == "links":
            value = {"heading": block["heading"], "items": [dict(item) for item in block["items"]]}
        else:
            raise ContentError(f"{where}: unknown block type {kind!r}")
        return {"type": kind, "value": value}

    def _fill_page(self, page: Any, entry: dict[str, Any], where: str) -> None:
        page.title = entry["title"]
        page.draft_title = entry["title"]
        page.search_description = entry.get("search_description") or ""
        if entry.get("audience", "everyone") not in Audience.values:
            raise ContentError(f"{where}: unknown audience {entry.get('audience')!r}")
        page.audience = entry.get("audience", "everyone")
        page.intro = md(entry.get("intro"))
        raw = [self._block(b, where) for b in entry.get("body") or []]
        page.body = type(page)._meta.get_field("body").stream_block.to_python(raw)
        page.sources = self.source_ids(entry.get("sources"), where)
        if isinstance(page, HomePage):
            routes = [{"type": "route", "value": dict(r)} for r in entry.get("routes") or []]
            page.routes = HomePage._meta.get_field("routes").stream_block.to_python(routes)

    def load_home(self) -> HomePage:
        entry = read_yaml(self.dir / "pages" / "home.yaml")
        site = Site.objects.filter(is_default_site=True).first()
        existing = HomePage.objects.first()

        def write(existing: HomePage | None) -> HomePage:
            if existing is None:
                root = Page.get_first_root_node()
                home = HomePage(slug="home-" + self.locale.language_code, locale=self.locale)
                self._fill_page(home, entry, "home.yaml")
                root.add_child(instance=home)
            else:
                home = existing
                self._fill_page(home, entry, "home.yaml")
            home.save_revision(log_action=True).publish()
            home.refresh_from_db()
            return home

        home = self.apply("page:home", entry, existing, write)
        if site is None:
            site = Site.objects.create(hostname="localhost", root_page=home, is_default_site=True)
        if not site.site_name:
            # The CMS's dashboard is titled with it (or else with the host name, "localhost").
            site.site_name = settings.PARTNERSHIP_NAME
            site.save(update_fields=["site_name"])
        if site.root_page_id != home.pk:
            old_root = site.root_page
            site.root_page = home
            site.save(update_fields=["root_page"])
            # Wagtail's placeholder "Welcome" page has no place on this site.
            if old_root.specific_class is Page:
                old_root.delete()
        return home

    def load_pages(self, home: HomePage) -> None:
        for path in sorted((self.dir / "pages").glob("*.yaml")):
            slug = path.stem
            if slug == "home":
                continue
            entry = read_yaml(path)
            page_type = self.page_types.get(entry.get("type", ""), HomePage)
            if page_type is HomePage:
                raise ContentError(f"{path.name}: unknown page type {entry.get('type')!r}")
            existing = home.get_children().filter(slug=slug).specific().first()

            def write(
                existing: Any,
                entry: dict[str, Any] = entry,
                slug: str = slug,
                page_type: type[Page] = page_type,
            ) -> Any:
                page = existing or page_type(slug=slug, locale=self.locale)
                self._fill_page(page, entry, f"{slug}.yaml")
                if existing is None:
                    home.add_child(instance=page)
                page.save_revision(log_action=True).publish()
                page.refresh_from_db()
                return page

            self.apply(f"page:{slug}", entry, existing, write)

    @transaction.atomic
    def load_all(self) -> Report:
        self.load_sources()
        self.load_signs()
        self.load_films()
        self.load_help(self.dir / "help.yaml")
        home = self.load_home()
        self.load_pages(home)
        # Stories, the screening tool's indicators: each app loads its own (`<app>/content.py`).
        for _config, module in app_modules("content"):
            module.load(self, home)
        return self.report

    @transaction.atomic
    def load_demo(self) -> Report:
        self.sources = {s.key: s for s in Source.objects.all()}
        self.load_help(self.dir / "demo" / "local.yaml")
        return self.report
