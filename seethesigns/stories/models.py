"""Interactive stories: a page per story, a step per scene, nothing stored about the reader."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.images.blocks import ImageChooserBlock
from wagtail.models import Page
from wagtail.search import index

from seethesigns.stories.graph import CHOICE, ENDING, SPOT, Scene, graph_errors, progress
from seethesigns.untrusted import small_number
from seethesigns.website.blocks import BODY_FEATURES
from seethesigns.website.choices import Audience, SignList
from seethesigns.website.models import BasePage, HelpContact, Sign, SignWording, Source

# The help every ending shows, most urgent first, then the partnership's local services.
ENDING_HELP = ("emergency-999", "childline", "say-something", "local")
SIGN_LIST_FOR = {
    Audience.YOUNG_PEOPLE: SignList.ME,
    Audience.FRIENDS: SignList.FRIEND,
    Audience.PARENTS: SignList.PARENT,
}


class ChoiceBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("What the reader can choose"))
    to = blocks.CharBlock(label=_("Goes to scene"))


class DetailBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Detail"))
    worrying = blocks.BooleanBlock(required=False, label=_("Is it a sign?"))
    sign = blocks.CharBlock(required=False, label=_("Sign id"), help_text=_("From the signs list."))
    feedback = blocks.CharBlock(label=_("What we say about it"))


class SceneBlock(blocks.StructBlock):
    scene_id = blocks.CharBlock(label=_("Scene name"), help_text=_("Short, like 'first-lift'."))
    kind = blocks.ChoiceBlock(
        choices=[(CHOICE, _("Choice")), (SPOT, _("Spot the signs")), (ENDING, _("Ending"))],
        label=_("Kind"),
    )
    title = blocks.CharBlock(required=False, label=_("Ending title"))
    text = blocks.RichTextBlock(features=BODY_FEATURES, label=_("Text"))
    image = ImageChooserBlock(required=False, label=_("Image"))
    image_alt = blocks.CharBlock(required=False, label=_("Image description (alt text)"))
    question = blocks.CharBlock(required=False, label=_("Spot the signs question"))
    choices = blocks.ListBlock(ChoiceBlock(), default=[], label=_("Choices"))
    details = blocks.ListBlock(DetailBlock(), default=[], label=_("Details to spot"))
    next = blocks.CharBlock(required=False, label=_("After spotting, go to scene"))
    signs = blocks.ListBlock(blocks.CharBlock(), default=[], label=_("Signs in this story"))
    what_to_do = blocks.RichTextBlock(features=BODY_FEATURES, required=False, label=_("What to do"))


def to_graph(value: Any) -> Scene:
    """Turn a scene block's value into the graph's view of it."""
    kind = value["kind"]
    if kind == CHOICE:
        targets = [c["to"] for c in value["choices"]]
    elif kind == SPOT:
        targets = [value["next"]] if value["next"] else []
    else:
        targets = []
    signs = [d["sign"] for d in value["details"] if d["sign"]] + list(value["signs"])
    return Scene(id=value["scene_id"], kind=kind, targets=targets, signs=signs)


class StoriesPage(BasePage):
    """/stories/: the list of stories."""

    parent_page_types = ["content.HomePage"]
    subpage_types = ["stories.StoryPage"]
    max_count = 1

    class Meta:
        verbose_name = _("stories page")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        context["stories"] = StoryPage.objects.child_of(self).live().specific()
        return context


class StoryPage(RoutablePageMixin, Page):
    summary = models.TextField(_("summary"))
    audience = models.CharField(
        _("written for"), max_length=20, choices=Audience.choices, default=Audience.YOUNG_PEOPLE
    )
    age_guidance = models.CharField(_("age guidance"), max_length=200)
    content_note = models.TextField(_("content note"))
    start = models.CharField(_("first scene"), max_length=80)
    scenes = StreamField([("scene", SceneBlock())], verbose_name=_("scenes"))
    sources = ParentalManyToManyField(Source, blank=True, related_name="+")

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("audience"),
        FieldPanel("age_guidance"),
        FieldPanel("content_note"),
        FieldPanel("start"),
        FieldPanel("scenes"),
        FieldPanel("sources"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary")]
    parent_page_types = ["stories.StoriesPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("story")

    def graph(self) -> list[Scene]:
        return [to_graph(block.value) for block in self.scenes]

    def clean(self) -> None:
        """Refuse to save a story a reader could get stuck in."""
        super().clean()
        errors = graph_errors(self.start, self.graph(), Sign.objects.values_list("slug", flat=True))
        for block in self.scenes:
            if block.value["image"] and not block.value["image_alt"]:
                errors.append(
                    f"Scene '{block.value['scene_id']}' has an image with no description."
                )
        if errors:
            raise ValidationError({"scenes": errors})

    def cacheable_paths(self) -> list[str]:
        """Every step's address, for the page cache (steps after a spot-the-signs form included)."""
        return [f"{self.url}{block.value['scene_id']}/" for block in self.scenes]

    def scene(self, scene_id: str) -> Any:
        for block in self.scenes:
            if block.value["scene_id"] == scene_id:
                return block.value
        raise Http404

    @property
    def sign_list(self) -> str:
        return SIGN_LIST_FOR.get(self.audience, SignList.PROFESSIONAL)

    def _step_context(self, request: HttpRequest, scene_id: str) -> dict[str, Any]:
        scene = self.scene(scene_id)
        step, steps = progress(self.start, self.graph(), scene_id)
        context = self.get_context(request)
        context.update({"scene": scene, "scene_id": scene_id, "step": step, "steps": steps})
        return context

    @path("")
    def intro(self, request: HttpRequest) -> HttpResponse:
        return self.render(request)

    @path("<slug:scene_id>/")
    def step(self, request: HttpRequest, scene_id: str) -> HttpResponse:
        context = self._step_context(request, scene_id)
        scene = context["scene"]
        if scene["kind"] == ENDING:
            context["ending_signs"] = self._wordings(scene["signs"])
            context["help_contacts"] = HelpContact.in_order(ENDING_HELP)
        return TemplateResponse(request, "stories/scene.html", context)

    @path("<slug:scene_id>/check/")
    def check_picked(self, request: HttpRequest, scene_id: str) -> HttpResponse:
        """Give feedback on the details the reader picked (sent in the address, never kept)."""
        context = self._step_context(request, scene_id)
        scene = context["scene"]
        if scene["kind"] != SPOT:
            raise Http404
        picked = {small_number(p) for p in request.GET.getlist("picked")}
        wordings = {w.sign.slug: w for w in self._wordings([d["sign"] for d in scene["details"]])}
        context["feedback"] = [
            {"detail": d, "picked": i in picked, "wording": wordings.get(d["sign"])}
            for i, d in enumerate(scene["details"])
        ]
        return TemplateResponse(request, "stories/check.html", context)

    def _wordings(self, sign_ids: list[str]) -> list[SignWording]:
        found = SignWording.objects.filter(
            sign__in=Sign.published().filter(slug__in=sign_ids), list=self.sign_list
        ).select_related("sign")
        order = {sign_id: i for i, sign_id in enumerate(sign_ids)}
        return sorted(found, key=lambda w: order.get(w.sign.slug, 0))
