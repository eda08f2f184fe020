"""Public content: pages, and the snippets they draw on (sources, signs, films, help contacts)."""

import re
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, PublishingPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import (
    DraftStateMixin,
    Locale,
    LockableMixin,
    Orderable,
    Page,
    PreviewableMixin,
    RevisionMixin,
    TranslatableMixin,
    WorkflowMixin,
)
from wagtail.search import index

from seethesigns.datebox import DateBox
from seethesigns.pagecache import NEVER as NEVER_PAGE_CACHED
from seethesigns.website.admin_forms import (
    HelpContactForm,
    PageForm,
    SearchableCheckboxes,
    SignForm,
    SnippetForm,
)
from seethesigns.website.blocks import BODY_FEATURES, BodyBlock, RouteBlock
from seethesigns.website.choices import Audience, SignKind, SignList, Urgency


class Source(index.Indexed, models.Model):
    """A publication a fact on the site comes from."""

    key = models.SlugField(_("key"), max_length=80, unique=True)
    organisation = models.CharField(_("organisation"), max_length=200)
    title = models.CharField(_("title"), max_length=300)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    url = models.URLField(_("link"), max_length=500, blank=True)

    search_fields = [index.SearchField("title"), index.SearchField("organisation")]

    class Meta:
        ordering = ["organisation", "title"]
        verbose_name = _("source")

    def __str__(self) -> str:
        return f"{self.organisation} ({self.year or _('no date')}): {self.title}"


class LoadedContent(models.Model):
    """What load_content last wrote for one object, to tell an editor's change from its own."""

    key = models.CharField(max_length=200, unique=True)
    content_hash = models.CharField(max_length=64)
    revision_id = models.BigIntegerField(null=True, blank=True)
    state_hash = models.CharField(max_length=64, blank=True)

    def __str__(self) -> str:
        return self.key


class SubmissionNote(models.Model):
    """The editor's note to the safeguarding lead, kept with the review it was sent with."""

    task_state = models.OneToOneField(
        "wagtailcore.TaskState", on_delete=models.CASCADE, related_name="submission_note"
    )
    text = models.TextField(_("note"))
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    written_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.text


class ApprovedSnippet(
    WorkflowMixin,
    PreviewableMixin,
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    TranslatableMixin,
    ClusterableModel,
):
    """A snippet whose changes reach the public only after a safeguarding lead approves them."""

    slug = models.SlugField(
        _("identifier"),
        max_length=80,
        help_text=_("Stable: other parts of the site link to it. Change only with care."),
    )
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    sources = ParentalManyToManyField(
        Source, blank=True, related_name="+", verbose_name=_("sources")
    )

    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="%(class)s")
    workflow_states = GenericRelation(
        "wagtailcore.WorkflowState",
        content_type_field="base_content_type",
        object_id_field="object_id",
        related_query_name="%(class)s",
        for_concrete_model=False,
    )

    class Meta(TranslatableMixin.Meta):
        abstract = True
        ordering = ["sort_order", "slug"]

    @property
    def revisions(self) -> Any:
        return self._revisions

    # Where the public site shows every live one of these, without a page linking to it (the CMS
    # says so beside its count of pages that do link to it).
    shown_on: Any = ""

    @classmethod
    def published(cls) -> models.QuerySet[Any]:
        """Return what the public may see: live, in the language being shown."""
        return cls.objects.filter(live=True, locale=Locale.get_active())


class HelpContact(ApprovedSnippet):
    """A service someone can contact, national or the partnership's own."""

    name = models.CharField(_("name"), max_length=120)
    urgency = models.CharField(_("when to use it"), max_length=20, choices=Urgency.choices)
    who_for = models.TextField(_("who it is for"))
    hours = models.CharField(_("opening hours"), max_length=200)
    cost = models.CharField(_("cost"), max_length=200)
    anonymous = models.CharField(_("can you stay anonymous?"), max_length=200)
    phone = models.CharField(_("phone number"), max_length=40, blank=True)
    text_number = models.CharField(_("text number"), max_length=40, blank=True)
    url = models.URLField(_("website"), max_length=500, blank=True)
    how = RichTextField(_("how to reach them"), features=BODY_FEATURES, blank=True)
    last_checked = models.DateField(_("details last checked on"))
    placeholder = models.BooleanField(
        _("placeholder, not yet confirmed"),
        default=False,
        help_text=_(
            "Shipped as an example, with made-up details. It is never shown on the public site "
            "while this is ticked: put in your own service's real details, then untick it."
        ),
    )

    panels = [
        FieldPanel("placeholder"),
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("urgency"),
        FieldPanel("who_for"),
        FieldPanel("phone"),
        FieldPanel("text_number"),
        FieldPanel("url"),
        FieldPanel("hours"),
        FieldPanel("cost"),
        FieldPanel("anonymous"),
        FieldPanel("how"),
        # The browser's own date picker: Wagtail's needs an inline script, which the CSP blocks.
        FieldPanel(
            "last_checked",
            widget=DateBox(),
            help_text=_(
                "Set to today by itself when you change the contact's details. Contacts not "
                "checked for six months are listed to the editors each week."
            ),
        ),
        FieldPanel("sources", widget=SearchableCheckboxes),
        FieldPanel("sort_order"),
        # When the change goes live (and, if it should, when it stops), as for pages.
        PublishingPanel(),
        FieldPanel("note_for_lead"),
    ]

    shown_on = _("the Get help page, under its heading for when to use it")
    base_form_class = HelpContactForm

    class Meta(ApprovedSnippet.Meta):
        verbose_name = _("help contact")
        constraints = [
            models.UniqueConstraint(fields=["slug", "locale"], name="unique_help_contact_slug")
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def published(cls) -> models.QuerySet[Any]:
        """What the public may see: live, in this language, and never an unconfirmed placeholder."""
        return super().published().filter(placeholder=False)

    @property
    def public(self) -> bool:
        return self.live and not self.placeholder

    @classmethod
    def in_order(cls, slugs: "tuple[str, ...] | list[str]") -> "list[HelpContact]":
        """Return the published contacts in the given order; "local" stands for local services."""
        published = list(cls.published().prefetch_related("sources"))
        by_slug = {c.slug: c for c in published}
        found: list[HelpContact] = []
        for slug in slugs:
            extra = [c for c in published if c.urgency == "local"] if slug == "local" else []
            for contact in extra or [by_slug.get(slug)]:
                if contact is not None and contact not in found:
                    found.append(contact)
        return found

    def serve_preview(self, request: HttpRequest, mode_name: str) -> HttpResponse:
        """The Get help page as it would be with this version of the contact on it."""
        page = HelpPage.objects.live().first()
        if page is None:
            raise Http404
        context = page.get_context(request)
        groups = []
        for value, label, contacts in context["contact_groups"]:
            others = [c for c in contacts if c.pk != self.pk]
            if value == self.urgency:  # shown even while a placeholder: it is the editor's
                others = sorted([*others, self], key=lambda c: (c.sort_order, c.slug))
            groups.append((value, label, others))
        context["contact_groups"] = groups
        return TemplateResponse(request, page.get_template(request), context)

    @property
    def tel(self) -> str:
        return phone_digits(self.phone)

    @property
    def sms(self) -> str:
        return phone_digits(self.text_number)


def phone_digits(number: str) -> str:
    """Return a number as a tel: link wants it ("0800 1111" -> "08001111")."""
    return re.sub(r"[^\d+]", "", number)


def validate_embed_url(value: str) -> None:
    if value and not any(value.startswith(host + "/") for host in settings.FILM_EMBED_HOSTS):
        raise ValidationError(
            _("Use a player address from one of: %(hosts)s."),
            params={"hosts": ", ".join(settings.FILM_EMBED_HOSTS)},
        )


class Film(ApprovedSnippet):
    """A film in the library. Unknown facts stay empty and are said to be unknown."""

    base_form_class = SnippetForm

    title = models.CharField(_("title"), max_length=200)
    maker = models.CharField(_("made by"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    length_minutes = models.PositiveSmallIntegerField(_("length in minutes"), null=True, blank=True)
    audience = models.CharField(_("made for"), max_length=300)
    age_guidance = models.CharField(_("age guidance"), max_length=300)
    summary = RichTextField(_("summary"), features=BODY_FEATURES)
    content_note = models.TextField(_("content note"))
    link = models.URLField(_("where to find it"), max_length=500, blank=True)
    link_text = models.CharField(_("link text"), max_length=200, blank=True)
    embed_url = models.URLField(
        _("player address"),
        max_length=500,
        blank=True,
        validators=[validate_embed_url],
        help_text=_("Loaded only after the viewer presses play. Leave empty if not sure."),
    )
    transcript = RichTextField(_("transcript"), features=BODY_FEATURES, blank=True)
    unknowns = models.TextField(_("what is not known"), blank=True)

    panels = [
        FieldPanel("title"),
        FieldPanel("slug"),
        FieldPanel("maker"),
        FieldPanel("year"),
        FieldPanel("length_minutes"),
        FieldPanel("audience"),
        FieldPanel("age_guidance"),
        FieldPanel("summary"),
        FieldPanel("content_note"),
        FieldPanel("link"),
        FieldPanel("link_text"),
        FieldPanel("embed_url"),
        FieldPanel("transcript"),
        FieldPanel("unknowns"),
        FieldPanel("sources", widget=SearchableCheckboxes),
        FieldPanel("sort_order"),
        PublishingPanel(),
        FieldPanel("note_for_lead"),
    ]

    shown_on = _("the film library, and a page of its own")

    class Meta(ApprovedSnippet.Meta):
        verbose_name = _("film")
        constraints = [models.UniqueConstraint(fields=["slug", "locale"], name="unique_film_slug")]

    def __str__(self) -> str:
        return self.title

    def serve_preview(self, request: HttpRequest, mode_name: str) -> HttpResponse:
        """The film's own page in the library, with this version of it."""
        page = FilmsPage.objects.live().first()
        if page is None:
            raise Http404
        context = page.get_context(request)
        context.update({"film": self, "play": False})
        return TemplateResponse(request, "website/film_detail.html", context)

    @property
    def embed_host(self) -> str:
        return "/".join(self.embed_url.split("/")[:3]) if self.embed_url else ""


class Sign(ApprovedSnippet):
    """A sign of exploitation, or a vulnerability, worded for each list it appears in."""

    kind = models.CharField(_("kind"), max_length=20, choices=SignKind.choices)

    base_form_class = SignForm
    panels = [
        FieldPanel("slug"),
        FieldPanel("kind"),
        FieldPanel("sources", widget=SearchableCheckboxes),
        FieldPanel("sort_order"),
        InlinePanel("wordings", label=_("How each list words it"), min_num=1),
        PublishingPanel(),
        FieldPanel("note_for_lead"),
    ]

    shown_on = _("each list of signs it has a wording for")

    class Meta(ApprovedSnippet.Meta):
        verbose_name = _("sign")
        constraints = [models.UniqueConstraint(fields=["slug", "locale"], name="unique_sign_slug")]

    def __str__(self) -> str:
        wording = next(iter(self.wordings.all()), None)
        return wording.title if wording else self.slug

    @property
    def preview_modes(self) -> list[tuple[str, str]]:
        return [(value, str(label)) for value, label in SignList.choices]

    @property
    def default_preview_mode(self) -> str:
        wording = next(iter(self.wordings.all()), None)
        return wording.list if wording else SignList.ME

    def serve_preview(self, request: HttpRequest, mode_name: str) -> HttpResponse:
        """One list of signs (the mode) as it would be with this version of the sign in it."""
        page = SignsPage.objects.live().first()
        if page is None or mode_name not in SignList.values:
            raise Http404
        signs = [(s, w) for s, w in signs_for(mode_name) if s.pk != self.pk or not self.pk]
        mine = [w for w in self.wordings.all() if w.list == mode_name]
        if mine:
            signs.append((self, mine[0]))
            signs.sort(key=lambda sw: (sw[0].kind, sw[0].sort_order, sw[0].slug))
        cited = {src.pk: src for sign, _w in signs for src in sign.sources.all()}
        context = page.get_context(request)
        context.update(
            {
                "list_value": mode_name,
                "list_label": SignList(mode_name).label,
                "signs": signs,
                "other_lists": [c for c in SignList.choices if c[0] != mode_name],
                "sign_sources": sorted(cited.values(), key=lambda s: (s.organisation, s.title)),
            }
        )
        return TemplateResponse(request, "website/sign_list.html", context)


class SignWording(Orderable):
    sign = ParentalKey(Sign, on_delete=models.CASCADE, related_name="wordings")
    list = models.CharField(_("list"), max_length=20, choices=SignList.choices)
    title = models.CharField(_("title"), max_length=200)
    explanation = RichTextField(_("explanation"), features=BODY_FEATURES)

    panels = [FieldPanel("list"), FieldPanel("title"), FieldPanel("explanation")]

    class Meta(Orderable.Meta):
        constraints = [
            models.UniqueConstraint(fields=["sign", "list"], name="one_wording_per_list")
        ]


def signs_for(sign_list: str) -> list[tuple[Sign, SignWording]]:
    """Return the published signs of one list with their wording for it, in order."""
    wordings = (
        SignWording.objects.filter(list=sign_list, sign__in=Sign.published())
        .select_related("sign")
        .prefetch_related("sign__sources")
        .order_by("sign__kind", "sign__sort_order", "sign__slug")
    )
    return [(w.sign, w) for w in wordings]


class BasePage(Page):
    base_form_class = PageForm

    intro = RichTextField(_("introduction"), features=BODY_FEATURES, blank=True)
    audience = models.CharField(
        _("written for"),
        max_length=20,
        choices=Audience.choices,
        default=Audience.EVERYONE,
        help_text=_("Young people's pages must read at school year 7 level or below."),
    )
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))
    sources = ParentalManyToManyField(
        Source, blank=True, related_name="+", verbose_name=_("sources")
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("audience"),
        FieldPanel("intro"),
        FieldPanel("body"),
        FieldPanel("sources", widget=SearchableCheckboxes),
        FieldPanel("note_for_lead"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
    ]

    class Meta:
        abstract = True


class HomePage(BasePage):
    template = "website/home_page.html"
    routes = StreamField([("route", RouteBlock())], blank=True, verbose_name=_("'I am…' routes"))

    content_panels = [*BasePage.content_panels, FieldPanel("routes")]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")


class SectionPage(BasePage):
    """One page of its kind, just below the home page, with nothing below it."""

    parent_page_types = ["content.HomePage"]
    subpage_types: list[str] = []
    max_count = 1

    class Meta:
        abstract = True


class ContentPage(BasePage):
    template = "website/content_page.html"
    parent_page_types = ["content.HomePage", "content.ContentPage"]

    class Meta:
        verbose_name = _("content page")


class SignsPage(RoutablePageMixin, SectionPage):
    template = "website/signs_page.html"
    """The lists of signs, one page per reader (/signs/me/, /signs/professional/…)."""

    search_fields = [*BasePage.search_fields, index.SearchField("sign_text")]

    class Meta:
        verbose_name = _("signs page")

    def sign_text(self) -> str:
        return " ".join(
            f"{w.title} {strip_tags(w.explanation)}"
            for w in SignWording.objects.filter(sign__live=True)
        )

    @path("")
    def overview(self, request: HttpRequest) -> HttpResponse:
        return self.render(request, context_overrides={"sign_lists": SignList.choices})

    @path("<slug:sign_list>/")
    def sign_list(self, request: HttpRequest, sign_list: str) -> HttpResponse:
        if sign_list not in SignList.values:
            raise Http404
        signs = signs_for(sign_list)
        cited = {s.pk: s for sign, _ in signs for s in sign.sources.all()}
        context = self.get_context(request)
        context.update(
            {
                "list_value": sign_list,
                "list_label": SignList(sign_list).label,
                "signs": signs,
                "other_lists": [c for c in SignList.choices if c[0] != sign_list],
                # One list of sources at the end; each sign links to its entries there.
                "sign_sources": sorted(cited.values(), key=lambda s: (s.organisation, s.title)),
            }
        )
        return TemplateResponse(request, "website/sign_list.html", context)


class FilmsPage(RoutablePageMixin, SectionPage):
    template = "website/films_page.html"
    """The film library: a list, a page per film, and a page that loads the player."""

    search_fields = [*BasePage.search_fields, index.SearchField("film_text")]

    class Meta:
        verbose_name = _("films page")

    def film_text(self) -> str:
        return " ".join(
            f"{f.title} {f.maker} {strip_tags(f.summary)}" for f in Film.objects.filter(live=True)
        )

    @path("")
    def film_list(self, request: HttpRequest) -> HttpResponse:
        films = Film.published().prefetch_related("sources")
        return self.render(request, context_overrides={"films": films})

    @path("<slug:slug>/")
    def film_detail(self, request: HttpRequest, slug: str) -> HttpResponse:
        return self._render_film(request, slug, play=False)

    @path("<slug:slug>/play/")
    def film_play(self, request: HttpRequest, slug: str) -> HttpResponse:
        return self._render_film(request, slug, play=True)

    def _render_film(self, request: HttpRequest, slug: str, *, play: bool) -> HttpResponse:
        film = Film.published().filter(slug=slug).prefetch_related("sources").first()
        if film is None or (play and not film.embed_url):
            raise Http404
        if play:
            # Only this page may frame the player, and only from the film's own host.
            request.csp_frame_src = [film.embed_host]  # type: ignore[attr-defined]
        context = self.get_context(request)
        context.update({"film": film, "play": play})
        response = TemplateResponse(request, "website/film_detail.html", context)
        if play:
            response[NEVER_PAGE_CACHED] = "never"  # its policy names the film's host
        return response


class HelpPage(SectionPage):
    template = "website/help_page.html"
    """Help contacts grouped by how urgent the need is."""

    search_fields = [*BasePage.search_fields, index.SearchField("contact_text")]

    class Meta:
        verbose_name = _("help page")

    def contact_text(self) -> str:
        contacts = HelpContact.objects.filter(live=True, placeholder=False)
        return " ".join(f"{c.name} {c.who_for}" for c in contacts)

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        contacts = list(HelpContact.published().prefetch_related("sources"))
        context["contact_groups"] = [
            (value, label, [c for c in contacts if c.urgency == value])
            for value, label in Urgency.choices
        ]
        return context
