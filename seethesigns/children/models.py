"""A child's record: minimum personal data, an append-only chronology, missing episodes."""

from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from seethesigns import demographics, references
from seethesigns.accounts.models import Team
from seethesigns.encryption import seal, unseal
from seethesigns.submissions import form_key_field


class LearningDisability(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    NOT_KNOWN = "not_known", _("Not known")


class Child(models.Model):
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    learning_disability = models.CharField(
        _("learning disability"),
        max_length=10,
        choices=LearningDisability.choices,
        default=LearningDisability.NOT_KNOWN,
    )
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="children")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    shared_with = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="children_shared"
    )
    # Who the child is, as the partnership must record it (demographics.py); blank: not recorded.
    sex = models.CharField(_("sex"), max_length=10, choices=demographics.Sex.choices, blank=True)
    ethnicity = models.CharField(
        _("ethnicity"), max_length=30, choices=demographics.ethnicity_choices, blank=True
    )
    nationality = models.CharField(
        _("nationality"), max_length=12, choices=demographics.nationality_choices, blank=True
    )
    nhs_number = models.CharField(
        _("NHS number"),
        max_length=10,
        blank=True,
        db_index=True,
        validators=[demographics.validate_nhs_number],
        help_text=_("Optional. 10 digits; used to find the same child recorded by another team."),
    )
    address = models.CharField(
        _("address or postcode"),
        max_length=300,
        blank=True,
        help_text=_("Optional. Where the child lives; helps find the same child in other teams."),
    )
    in_care = models.BooleanField(
        _("looked after (in care)"),
        default=False,
        help_text=_("Children in care have Philomena Protocol information for the police."),
    )
    placed_out_of_area = models.BooleanField(
        _("placed out of area"),
        default=False,
        help_text=_(
            "Living outside the partnership's area, for example in a children's home or with "
            "foster carers in another council's area."
        ),
    )
    # Optimistic locking: an edit names the version it started from (see cases.actions).
    version = models.PositiveIntegerField(default=1)
    submission_key = form_key_field()

    class Meta:
        ordering = ["last_name", "first_name", "pk"]
        verbose_name_plural = _("children")

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def reference(self) -> str:
        """A pseudonym for meeting packs and the network: tells nothing about the child."""
        return references.encode("C", self.pk)

    @property
    def initials(self) -> str:
        """For meetings and screens others can see: never the full name."""
        return f"{self.first_name[:1]}{self.last_name[:1]}".upper()

    def age_on(self, day: date) -> int | None:
        born = self.date_of_birth
        if born is None:
            return None
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class ChildNameKey(models.Model):
    """A sound-alike key of a child's name (children/search.py): "Steven Smith" and "Stephen
    Smyth" share theirs, so searching before a record is made finds either by the other."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=30)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["child", "key"], name="child_key_once")]
        indexes = [models.Index(fields=["key"], name="child_name_key")]

    def __str__(self) -> str:
        return f"{self.child_id} {self.key}"


class Source(models.TextChoices):
    CHILD = "child", _("The child")
    FAMILY = "family", _("Parent, carer or family")
    SCHOOL = "school", _("School or college")
    POLICE = "police", _("Police")
    HEALTH = "health", _("Health")
    SOCIAL_CARE = "social_care", _("Children's social care")
    VOLUNTARY = "voluntary", _("Voluntary sector")
    PUBLIC = "public", _("Member of the public")
    OTHER = "other", _("Other")


class ChronologyEntry(models.Model):
    """One thing that happened. Never edited or deleted: a mistake is amended by a new entry.

    The database refuses UPDATE and DELETE on this table (migration 0003, seethesigns.appendonly).
    """

    class Kind(models.TextChoices):
        NOTE = "note", _("Event")
        MISSING = "missing", _("Went missing")
        RETURNED = "returned", _("Came back")
        INTERVIEW = "interview", _("Return home interview")
        LINK = "link", _("Link recorded")
        DISRUPTION = "disruption", _("Disruption")
        AMENDMENT = "amendment", _("Correction")
        # What the child said about being sexually abused: calls for a report (ReportDue).
        DISCLOSURE = "disclosure", _("Disclosure of sexual abuse")

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="chronology")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.NOTE)
    happened_on = models.DateField(_("when it happened"))
    sealed = models.TextField()  # what happened, encrypted: seal({"what": ...})
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    source_detail = models.CharField(_("source detail"), max_length=200, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)
    # Only an erasure of the whole record deletes entries; a correction goes with what it corrects.
    amends = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="amendments"
    )
    # The form's own key: the same form sent again (a retry after an outage, a double click)
    # finds this entry instead of adding a second. Entries made by other actions have none.
    submission_key = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-happened_on", "-pk"]
        verbose_name_plural = _("chronology entries")
        indexes = [models.Index(fields=["child", "-happened_on", "-id"], name="chronology_page")]
        # A unique index, not `unique=True`: SQLite adds that column by copying the table into
        # a new one, and the append-only triggers would stay behind with the old table.
        constraints = [
            models.UniqueConstraint(
                fields=["submission_key"],
                condition=models.Q(submission_key__isnull=False),
                name="chronology_one_entry_per_form",
            )
        ]

    def __str__(self) -> str:
        return f"{self.child_id} {self.happened_on} {self.kind}"

    @property
    def what(self) -> str:
        return str(unseal(self.sealed).get("what", ""))

    @staticmethod
    def seal_what(text: str) -> str:
        return seal({"what": text})


RETURN_INTERVIEW_WITHIN = timedelta(hours=72)


class MissingEpisode(models.Model):
    """A time the child was missing, and the return home interview owed to them afterwards."""

    class Interview(models.TextChoices):
        NOT_YET = "", _("Not yet offered")
        OFFERED = "offered", _("Offered")
        DONE = "done", _("Done")
        DECLINED = "declined", _("Declined")

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="missing_episodes")
    started_at = models.DateTimeField(_("went missing"))
    ended_at = models.DateTimeField(_("came back or was found"), null=True, blank=True)
    reported_by = models.CharField(_("reported by"), max_length=200)
    police_reference = models.CharField(_("police reference"), max_length=50, blank=True)
    where_found = models.CharField(_("where found"), max_length=300, blank=True)
    who_with = models.CharField(_("who with"), max_length=300, blank=True)
    safe_and_well_at = models.DateTimeField(_("safe and well check"), null=True, blank=True)
    interview = models.CharField(
        _("return home interview"), max_length=10, choices=Interview.choices, blank=True
    )
    interview_at = models.DateTimeField(_("interview offered or done"), null=True, blank=True)
    declined_reason = models.CharField(_("why declined"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    submission_key = form_key_field()

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.child_id} missing {self.started_at:%Y-%m-%d}"

    @property
    def interview_due_by(self) -> datetime | None:
        """Offered within 72 hours of coming back (statutory guidance, DfE 2014)."""
        return self.ended_at + RETURN_INTERVIEW_WITHIN if self.ended_at else None

    def interview_state(self, now: datetime) -> str:
        """missing, due, overdue, offered, offered_late, done, done_late or declined."""
        if self.ended_at is None:
            return "missing"
        if self.interview == self.Interview.DONE and self.interview_at is not None:
            on_time = self.interview_at <= self.ended_at + RETURN_INTERVIEW_WITHIN
            return "done" if on_time else "done_late"
        if self.interview in {self.Interview.DONE, self.Interview.DECLINED}:
            return str(self.interview)
        if self.interview == self.Interview.OFFERED and self.interview_at is not None:
            on_time = self.interview_at <= self.ended_at + RETURN_INTERVIEW_WITHIN
            return "offered" if on_time else "offered_late"
        due = self.interview_due_by
        return "overdue" if due is not None and now > due else "due"


class PhilomenaProfile(models.Model):
    """The Philomena Protocol: what the police need at once if a child in care goes missing."""

    FIELDS = [
        "description",
        "medical_needs",
        "phone_numbers",
        "places_may_go",
        "people_may_be_with",
        "risks",
        "previous_missing",
    ]

    child = models.OneToOneField(Child, on_delete=models.PROTECT, related_name="philomena")
    sealed = models.TextField()  # the FIELDS above, encrypted
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return f"Philomena Protocol for {self.child_id}"

    @property
    def values(self) -> dict[str, Any]:
        return unseal(self.sealed)


# The duty to report child sexual abuse. IICSA's final report (2022) recommended a mandatory duty to
# report; the Crime and Policing Bill (2025, Part 5 Chapter 2) makes people who work with children
# report to the police or the local authority as soon as practicable. See docs/records.md.
class ReportDue(models.Model):
    """Something recorded that calls for a report to the police or children's social care.

    Raised by the action that recorded it (a disclosure in the chronology, a screening's answers);
    due until a report is recorded (AbuseReport.due), by the end of the day it became known.
    """

    class Reason(models.TextChoices):
        DISCLOSURE = "disclosure", _("The child disclosed sexual abuse")
        ADULT_UNDER_16 = (
            "adult-under-16",
            _("Sexual activity between an adult and a child under 16"),
        )

    class From(models.TextChoices):
        CHRONOLOGY = "chronology", _("Chronology entry")
        SCREENING = "screening", _("Screening")

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="reports_due")
    reason = models.CharField(_("why a report is due"), max_length=20, choices=Reason.choices)
    recorded_in = models.CharField(_("recorded in"), max_length=20, choices=From.choices)
    recorded_in_id = models.PositiveIntegerField(null=True, blank=True)  # the entry or screening
    known_at = models.DateTimeField(_("known since"), default=timezone.now)
    due_by = models.DateTimeField(_("report by"))  # the end of the day it became known
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["due_by", "pk"]
        verbose_name = _("report due to the police or children's social care")
        verbose_name_plural = _("reports due to the police or children's social care")

    def __str__(self) -> str:
        return f"Report due for {self.child_id}: {self.reason}"


class AbuseReport(models.Model):
    """A report of child sexual abuse made to the police or children's social care: the proof."""

    class To(models.TextChoices):
        POLICE = "police", _("The police")
        SOCIAL_CARE = "social-care", _("The local authority's children's social care")
        BOTH = "both", _("Both the police and children's social care")

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="abuse_reports")
    due = models.OneToOneField(
        ReportDue, null=True, blank=True, on_delete=models.PROTECT, related_name="report"
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reported_to = models.CharField(_("reported to"), max_length=20, choices=To.choices)
    reported_at = models.DateTimeField(_("when it was reported"))
    known_on = models.DateField(_("known since"))
    reference = models.CharField(_("reference given"), max_length=100)
    delay_reason = models.CharField(
        _("why it was not reported the same day"), max_length=1000, blank=True
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    submission_key = form_key_field()

    class Meta:
        ordering = ["-reported_at", "-pk"]

    def __str__(self) -> str:
        return f"Report for {self.child_id} to {self.reported_to}"

    @property
    def late(self) -> bool:
        return timezone.localtime(self.reported_at).date() > self.known_on


class NrmDecision(models.TextChoices):
    PENDING = "pending", _("Pending")
    POSITIVE = "positive", _("Positive")
    NEGATIVE = "negative", _("Negative")


class NrmReferral(models.Model):
    """A National Referral Mechanism referral for a child who was moved for exploitation.

    Home Office, "Modern slavery: statutory guidance for England and Wales" (2024): a first
    responder organisation refers; the Single Competent Authority makes a reasonable grounds
    decision, then a conclusive grounds decision. A child's consent is not needed.
    """

    class FirstResponder(models.TextChoices):
        LOCAL_AUTHORITY = "local-authority", _("Local authority")
        POLICE = "police", _("Police")
        NCA = "nca", _("National Crime Agency")
        BORDER_FORCE = "border-force", _("Border Force")
        IMMIGRATION = "immigration", _("Home Office immigration (UKVI or Immigration Enforcement)")
        GLAA = "glaa", _("Gangmasters and Labour Abuse Authority")
        HEALTH = "health", _("Health and social care trust")
        CHARITY = (
            "charity",
            _("A designated charity (for example Barnardo's or the Salvation Army)"),
        )

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="nrm_referrals")
    referred_on = models.DateField(_("referral date"))
    first_responder = models.CharField(
        _("first responder organisation"), max_length=20, choices=FirstResponder.choices
    )
    first_responder_name = models.CharField(_("organisation's name"), max_length=200, blank=True)
    reasonable_grounds = models.CharField(
        _("reasonable grounds decision"),
        max_length=10,
        choices=NrmDecision.choices,
        default=NrmDecision.PENDING,
    )
    reasonable_grounds_on = models.DateField(
        _("reasonable grounds decision date"), null=True, blank=True
    )
    conclusive_grounds = models.CharField(
        _("conclusive grounds decision"),
        max_length=10,
        choices=NrmDecision.choices,
        default=NrmDecision.PENDING,
    )
    conclusive_grounds_on = models.DateField(
        _("conclusive grounds decision date"), null=True, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)
    submission_key = form_key_field()

    class Meta:
        ordering = ["-referred_on", "-pk"]
        verbose_name = _("National Referral Mechanism referral")

    def __str__(self) -> str:
        return f"NRM referral for {self.child_id} on {self.referred_on}"


class RepeatMissingAlert(models.Model):
    """The CSE coordinator told that a child became repeat missing (children/missing.py).

    Raised once each time a recorded episode makes the rule hold; it waits on the coordinator's
    workspace home until they mark it seen. The flag on the child's record is worked out from the
    episodes, not from this row, so it goes when the episodes grow older than the window.
    """

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="repeat_alerts")
    episode = models.ForeignKey(MissingEpisode, on_delete=models.PROTECT, related_name="+")
    episodes = models.PositiveSmallIntegerField(_("episodes in the window"))
    raised_at = models.DateTimeField(default=timezone.now)
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    seen_at = models.DateTimeField(null=True, blank=True)
    seen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-raised_at", "-pk"]
        indexes = [models.Index(fields=["coordinator", "seen_at"], name="repeat_alert_waiting")]

    def __str__(self) -> str:
        return f"{self.child_id} repeat missing {self.raised_at:%Y-%m-%d}"
