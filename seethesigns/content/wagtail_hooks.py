from typing import Any

from django.http import HttpRequest
from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from seethesigns.content.approval import CameBackPanel
from seethesigns.content.media_index import DocumentIndexView, ImageIndexView
from seethesigns.content.models import Film, HelpContact, Sign, Source


class HelpContactViewSet(SnippetViewSet):
    model = HelpContact
    icon = "help"
    list_display = ["name", "urgency", "phone", "last_checked"]
    list_filter = ["urgency"]
    search_fields = ["name"]


class FilmViewSet(SnippetViewSet):
    model = Film
    icon = "media"
    list_display = ["title", "maker", "year"]
    search_fields = ["title"]


class SignViewSet(SnippetViewSet):
    model = Sign
    icon = "list-ul"
    list_display = ["slug", "kind"]
    list_filter = ["kind"]
    search_fields = ["slug"]


class SourceViewSet(SnippetViewSet):
    model = Source
    icon = "doc-full"
    list_display = ["organisation", "title", "year"]
    search_fields = ["title", "organisation"]


class PublicContentGroup(SnippetViewSetGroup):
    menu_label = _("Public content")
    menu_icon = "folder-open-inverse"
    items = (HelpContactViewSet, FilmViewSet, SignViewSet, SourceViewSet)


register_snippet(PublicContentGroup)


@hooks.register("register_admin_urls", order=-1)
def register_media_index_urls() -> list[URLPattern]:
    """Put our image and document lists ahead of Wagtail's own, at the same addresses."""
    return [
        path("documents/", DocumentIndexView.as_view()),
        path("documents/results/", DocumentIndexView.as_view(results_only=True)),
        path("images/", ImageIndexView.as_view()),
        path("images/results/", ImageIndexView.as_view(results_only=True)),
    ]


@hooks.register("construct_homepage_panels")
def add_came_back_panel(request: HttpRequest, panels: list[Any]) -> None:
    """Put what a lead sent back, with their comment, first on the editor's dashboard."""
    panels.insert(0, CameBackPanel(request.user))
