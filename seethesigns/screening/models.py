"""The indicator catalogue, the partnership's next steps for each level, and saved screenings."""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField

from seethesigns.content.models import Source
from seethesigns.encryption import unseal
from seethesigns.screening.rules import LEVEL_WORDS, Spec
from seethesigns.submissions import form_key_field


class Kind(models.TextChoices):
    VULNERABILITY = "vulnerability", _("Vulnerability")
    RISK = "risk", _("Sign of risk")
    HARM = "harm", _("Sign of harm")


class Band(models.TextChoices):
    NONE = "", _("—")
    MODERATE = "moderate", _("Moderate")
    SIGNIFICANT = "significant", _("Significant")


class Level(models.TextChoices):
    NONE = "none", LEVEL_WORDS["none"]
    EMERGING = "emerging", LEVEL_WORDS["emerging"]
    MODERATE = "moderate", LEVEL_WORDS["moderate"]
    SIGNIFICANT = "significant", LEVEL_WORDS["significant"]


class IndicatorQuerySet(models.QuerySet["Indicator"]):
    def active(self) -> "IndicatorQuerySet":
        return self.filter(active=True).order_by("order", "code")

    def catalogue(self) -> dict[str, Spec]:
        return {i.code: Spec(i.kind, i.band) for i in self.active()}


class Indicator(models.Model):
    code = models.SlugField(_("id"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    band = models.CharField(_("band"), max_length=20, choices=Band.choices, blank=True)
    title = models.CharField(_("indicator"), max_length=300)
    ask = models.CharField(_("what to find out"), max_length=300, blank=True)
    sources = models.ManyToManyField(Source, blank=True, related_name="+")
    is_local = models.BooleanField(_("added by the partnership"), default=False)
    active = models.BooleanField(default=True)
    order = models.PositiveIntegerField(default=0)

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.title

    @property
    def spec(self) -> Spec:
        return Spec(self.kind, self.band)


class NextSteps(models.Model):
    """The partnership's local threshold guidance for one level. Editors change it in the CMS."""

    level = models.CharField(_("level"), max_length=20, choices=Level.choices, unique=True)
    steps = RichTextField(_("next steps"), features=["bold", "link", "ul", "ol"])

    panels = [FieldPanel("level", read_only=True), FieldPanel("steps")]

    class Meta:
        verbose_name = _("next steps for a level of concern")
        verbose_name_plural = _("next steps for each level of concern")

    def __str__(self) -> str:
        return str(self.get_level_display())


class Screening(models.Model):
    """A screening saved to a child's record. Answers and evidence are sealed (encrypted)."""

    child = models.ForeignKey("cases.Child", on_delete=models.PROTECT, related_name="screenings")
    screened_at = models.DateTimeField(default=timezone.now)
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    age = models.PositiveSmallIntegerField(null=True, blank=True)
    learning_disability = models.CharField(max_length=10)
    sealed = models.TextField()  # {"answers": {id: {state, when, evidence, source}}, "reason": …}
    suggested_level = models.CharField(max_length=20, choices=Level.choices)
    score = models.PositiveIntegerField()
    enough_known = models.BooleanField()
    immediate_referral = models.BooleanField(default=False)
    overrides = models.JSONField(default=list)  # rule ids only: no free text
    judgement = models.CharField(_("professional judgement"), max_length=20, choices=Level.choices)
    submission_key = form_key_field()

    class Meta:
        ordering = ["screened_at", "pk"]

    def __str__(self) -> str:
        return f"Screening {self.pk} of child {self.child_id}"

    @property
    def contents(self) -> dict[str, Any]:
        return unseal(self.sealed)

    @property
    def agrees(self) -> bool:
        return self.judgement == self.suggested_level
