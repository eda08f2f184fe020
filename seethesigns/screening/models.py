"""The indicator catalogue, the partnership's next steps for each level, and saved screenings."""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField

from seethesigns.encryption import unseal
from seethesigns.screening.rules import (
    EXPLOITER_WORDS,
    LEVEL_WORDS,
    SPEC_FIELDS,
    Spec,
    level_words,
    spec_from,
)
from seethesigns.submissions import form_key_field
from seethesigns.website.models import Source


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


class Floor(models.TextChoices):
    NONE = "", _("No floor of its own")
    EMERGING = "emerging", LEVEL_WORDS["emerging"]
    MODERATE = "moderate", LEVEL_WORDS["moderate"]
    SIGNIFICANT = "significant", LEVEL_WORDS["significant"]


class Defining(models.TextChoices):
    NO = "", _("No")
    ALWAYS = "always", _("Always")
    UNDER_16 = "under-16", _("When the child is under 16")


class OverruleReason(models.TextChoices):
    NEW_INFORMATION = "new-information", _("I know something the answers do not show")
    CONTEXT = "context", _("Context the tool cannot see")
    DISAGREE = "disagree-rule", _("I disagree with a rule the tool applied")
    NO_LEVEL = "no-level", _("The tool suggested no level: this is my judgement")
    OTHER = "other", _("Another reason")


class IndicatorQuerySet(models.QuerySet["Indicator"]):
    def active(self) -> "IndicatorQuerySet":
        return self.filter(active=True).order_by("order", "code")

    def catalogue(self) -> dict[str, Spec]:
        return {i.code: i.spec for i in self.active()}


class Indicator(models.Model):
    code = models.SlugField(_("id"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    band = models.CharField(_("band"), max_length=20, choices=Band.choices, blank=True)
    title = models.CharField(_("indicator"), max_length=300)
    ask = models.CharField(_("what to find out"), max_length=300, blank=True)
    ask_if_family = models.CharField(
        _("what to find out, when a family member or carer is suspected"),
        max_length=300,
        blank=True,
    )
    floor = models.CharField(_("floor"), max_length=20, choices=Floor.choices, blank=True)
    floor_under_16 = models.CharField(
        _("floor under 16"), max_length=20, choices=Floor.choices, blank=True
    )
    defining = models.CharField(
        _("meets the definition of CSE"), max_length=20, choices=Defining.choices, blank=True
    )
    sexual = models.BooleanField(_("sexual activity"), default=False)
    criminal = models.BooleanField(_("a sign of criminal exploitation"), default=False)
    key = models.BooleanField(_("key question"), default=False)
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
        return spec_from({name: getattr(self, name) for name in SPEC_FIELDS})

    def ask_for(self, family: bool) -> str:
        """What to find out; never by asking or telling the family when they are suspected."""
        return (self.ask_if_family or self.ask) if family else self.ask


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
    # Blank when not enough was known to suggest a level; at_least is what was known.
    suggested_level = models.CharField(max_length=20, choices=Level.choices, blank=True)
    at_least = models.CharField(max_length=20, choices=Level.choices, default="none")
    enough_known = models.BooleanField()
    immediate_referral = models.BooleanField(default=False)
    criminal = models.BooleanField(default=False)
    exploiters = models.JSONField(default=list)  # who is suspected: unknown, peer, adult, family
    overrides = models.JSONField(default=list)  # the rules that set a floor, by id: no free text
    judgement = models.CharField(_("professional judgement"), max_length=20, choices=Level.choices)
    overrule_reason = models.CharField(
        _("why the judgement differs"), max_length=30, choices=OverruleReason.choices, blank=True
    )
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

    @property
    def suggested_words(self) -> str:
        return level_words(self.suggested_level)

    @property
    def exploiter_words(self) -> list[str]:
        return [EXPLOITER_WORDS[e] for e in self.exploiters if e in EXPLOITER_WORDS]


class DslTaskQuerySet(models.QuerySet["DslTask"]):
    def open(self) -> "DslTaskQuerySet":
        return self.filter(done_at__isnull=True)


class DslTask(models.Model):
    """A practitioner tells their designated safeguarding lead about a screening. The DSLs of
    the sender's organisation see it on their home; what it says is sealed (encrypted)."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(default=timezone.now)
    child = models.ForeignKey(
        "cases.Child", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    suggested_level = models.CharField(max_length=20, choices=Level.choices, blank=True)
    urgent = models.BooleanField(default=False)
    sealed = models.TextField()  # {"note", "reasons": [titles], "find_out": [texts], "action"}
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sealed_decision = models.TextField(blank=True)  # {"decision": what the DSL decided, and why}
    submission_key = form_key_field()

    objects = DslTaskQuerySet.as_manager()

    class Meta:
        ordering = ["-urgent", "sent_at", "pk"]
        verbose_name = _("task for the designated safeguarding lead")

    def __str__(self) -> str:
        return f"Task {self.pk} for the DSL of organisation {self.organisation_id}"

    @property
    def contents(self) -> dict[str, Any]:
        return unseal(self.sealed)

    @property
    def suggested_words(self) -> str:
        return level_words(self.suggested_level)
