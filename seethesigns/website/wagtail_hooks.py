import json
import re
from typing import Any

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, OuterRef, Subquery
from django.db.models.functions import Cast
from django.http import HttpRequest
from django.templatetags.static import static
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.fields import StreamField
from wagtail.models import WorkflowState
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from seethesigns.website.approval import CameBackPanel
from seethesigns.website.media_index import DocumentIndexView, ImageIndexView
from seethesigns.website.models import Film, HelpContact, Sign, Source
from seethesigns.website.views import clean_paste


class ApprovedSnippetViewSet(SnippetViewSet):
    """A list that shows, beside each live value, the draft waiting behind it and its review."""

    def get_queryset(self, request: HttpRequest) -> Any:
        content_type = ContentType.objects.get_for_model(self.model)
        review = WorkflowState.objects.filter(
            base_content_type=content_type,
            object_id=Cast(OuterRef("pk"), CharField()),
            status__in=[WorkflowState.STATUS_IN_PROGRESS, WorkflowState.STATUS_NEEDS_CHANGES],
        ).values("status")[:1]
        return self.model._default_manager.annotate(review_status=Subquery(review)).select_related(
            "latest_revision"
        )


def review_column() -> Column:
    return Column("review", label=_("Approval"), accessor=review_label)


def review_label(obj: Any) -> str:
    """'In review', 'Changes requested' or 'Draft', with the draft's name when it differs."""
    status = getattr(obj, "review_status", None)
    if status == WorkflowState.STATUS_IN_PROGRESS:
        label = str(_("In review"))
    elif status == WorkflowState.STATUS_NEEDS_CHANGES:
        label = str(_("Changes requested"))
    elif obj.has_unpublished_changes:
        label = str(_("Draft"))
    else:
        return ""
    draft = obj.latest_revision.object_str if obj.latest_revision else ""
    if draft and draft != str(obj):
        label += f": “{draft}”"
    return label


class HelpContactViewSet(ApprovedSnippetViewSet):
    model = HelpContact
    icon = "help"
    list_display = ["name", "urgency", "phone", "last_checked", review_column()]
    list_filter = ["urgency"]
    search_fields = ["name"]


class FilmViewSet(ApprovedSnippetViewSet):
    model = Film
    icon = "media"
    list_display = ["title", "maker", "year", review_column()]
    search_fields = ["title"]


class SignViewSet(ApprovedSnippetViewSet):
    model = Sign
    icon = "list-ul"
    # Listed by their words (the first list's wording), not their identifier.
    list_display = ["__str__", "kind", review_column()]
    list_filter = ["kind"]
    search_fields = ["slug", "wordings__title"]


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


@hooks.register("register_admin_urls")
def register_paste_url() -> list[URLPattern]:
    return [path("paste/", clean_paste, name="content_clean_paste")]


@hooks.register("insert_global_admin_js")
def cms_script() -> str:
    """Paste cleaning for the rich text editor, and a search box over long lists of sources."""
    return format_html(
        '<script src="{}" data-clean-paste="{}" defer></script>',
        static("js/cms.js"),
        reverse("content_clean_paste"),
    )


@hooks.register("insert_global_admin_css")
def cms_styles() -> str:
    return format_html('<link rel="stylesheet" href="{}">', static("css/cms.css"))


@hooks.register("construct_homepage_panels")
def add_came_back_panel(request: HttpRequest, panels: list[Any]) -> None:
    """Put what a lead sent back, with their comment, first on the editor's dashboard."""
    panels.insert(0, CameBackPanel(request.user))


def plain_http_links(obj: Any) -> list[str]:
    """The http:// addresses in an object's link fields, rich text and blocks, each once."""
    found: list[str] = []
    for field in obj._meta.concrete_fields:
        value = getattr(obj, field.attname, None)
        if isinstance(field, StreamField):
            # The blocks' stored data, not their rendering (which needs a page to render on).
            value = json.dumps(field.stream_block.get_prep_value(value)) if value else ""
        if isinstance(value, str):
            found += re.findall(r'http://[^\s"<>\\]+', value)
    return list(dict.fromkeys(found))


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def warn_about_plain_http(request: HttpRequest, obj: Any) -> None:
    """Say so when a link is not https: what is read there can be seen or changed on the way."""
    links = plain_http_links(getattr(obj, "specific", obj))
    if links:
        messages.warning(
            request,
            _(
                "%(links)s starts with http://, which anyone on the same network can read or "
                "change. If the site works with https://, use that address instead."
            )
            % {"links": ", ".join(links)},
        )
