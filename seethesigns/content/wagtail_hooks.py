from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

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
