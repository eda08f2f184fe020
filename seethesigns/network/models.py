"""People of concern, places, vehicles, phones, handles and peer groups, and their links."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from seethesigns import demographics, references
from seethesigns.accounts.models import Team
from seethesigns.children.models import Child, Source
from seethesigns.encryption import unseal
from seethesigns.history import StatusUpdate
from seethesigns.submissions import form_key_field


class Kind(models.TextChoices):
    PERSON = "person", _("Person of concern")
    PLACE = "place", _("Place")
    VEHICLE = "vehicle", _("Vehicle")
    PHONE = "phone", _("Phone number")
    HANDLE = "handle", _("Online handle")
    GROUP = "group", _("Peer group")


class PlaceKind(models.TextChoices):
    ADDRESS = "address", _("Home or flat")
    HOUSE = "house", _("House used for parties")
    HOTEL = "hotel", _("Hotel or B&B")
    TAKEAWAY = "takeaway", _("Takeaway or shop")
    PARK = "park", _("Park or open space")
    TRANSPORT = "transport", _("Station or bus stop")
    OTHER = "other", _("Other hotspot")


class Entity(models.Model):
    """A record in its own right, held by a team, linked to many children."""

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    label = models.CharField(_("name, address, registration, number or handle"), max_length=300)
    normalised = models.CharField(max_length=300, db_index=True)  # see links.matching
    # A place's house numbers ("129", "4 12"): addresses with other numbers never match, so the
    # search for similar addresses looks only at those with the same numbers or none.
    numbers = models.CharField(max_length=60, blank=True, default="")
    place_kind = models.CharField(
        _("kind of place"), max_length=10, choices=PlaceKind.choices, blank=True
    )
    details = models.TextField(_("details"), blank=True, max_length=2000)
    # A person of concern's particulars (blank for other kinds): what matching compares, and what
    # the partnership must record of suspects (demographics.py). Blank means not recorded.
    aliases = models.TextField(
        _("other names or nicknames"), blank=True, max_length=2000, help_text=_("One per line.")
    )
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    age_low = models.PositiveSmallIntegerField(
        _("age, or youngest age thought"), null=True, blank=True
    )
    age_high = models.PositiveSmallIntegerField(_("oldest age thought"), null=True, blank=True)
    age_on = models.DateField(_("age given on"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=10, choices=demographics.Sex.choices, blank=True)
    ethnicity = models.CharField(
        _("ethnicity"), max_length=30, choices=demographics.ethnicity_choices, blank=True
    )
    nationality = models.CharField(
        _("nationality"), max_length=12, choices=demographics.nationality_choices, blank=True
    )
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)
    submission_key = form_key_field()

    class Meta:
        ordering = ["kind", "label", "pk"]
        verbose_name_plural = _("entities")
        indexes = [
            models.Index(fields=["kind", "normalised"], name="entity_kind_normalised"),
            models.Index(fields=["kind", "numbers"], name="entity_kind_numbers"),
            models.Index(
                fields=["date_of_birth"],
                name="entity_person_born",
                condition=Q(kind="person", date_of_birth__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def reference(self) -> str:
        return references.encode("R", self.pk)


# A person of concern's particulars, as the forms that add or link a person take them.
PERSON_FIELDS = [
    "aliases",
    "sex",
    "date_of_birth",
    "age_low",
    "age_high",
    "ethnicity",
    "nationality",
]


class EntityRevision(models.Model):
    """A label a record had before it was changed. Never changed or deleted (appendonly.py).

    A worker could type a value, learn from the alert that it is known elsewhere, then relabel
    the record to hide that they asked: the label they typed stays here, seen by whoever may
    open the record, and the matches it found stay stored.
    """

    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="revisions")
    label = models.CharField(max_length=300)
    normalised = models.CharField(max_length=300)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)  # when this label stopped being used

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("earlier label of a record")
        verbose_name_plural = _("earlier labels of records")

    def __str__(self) -> str:
        return f"{self.entity_id} was {self.label}"


class Link(models.Model):
    """A child (or another record) linked to a record: how, since when, and who says so."""

    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="links")
    child = models.ForeignKey(
        Child, null=True, blank=True, on_delete=models.PROTECT, related_name="links"
    )
    other = models.ForeignKey(
        Entity, null=True, blank=True, on_delete=models.PROTECT, related_name="links_in"
    )
    nature = models.CharField(_("how they are linked"), max_length=200)
    linked_on = models.DateField(_("date"))
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    submission_key = form_key_field()

    class Meta:
        ordering = ["-linked_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(child__isnull=False, other__isnull=True)
                | Q(child__isnull=True, other__isnull=False),
                name="link_to_a_child_or_a_record",
            )
        ]

    def __str__(self) -> str:
        return f"{self.entity_id} — {self.nature}"


class Match(models.Model):
    """Two records that look like the same thing, found when the newer one was saved.

    People of concern are matched on everything known of them (seethesigns.network.people): the
    model's verdict is one of the last two kinds, with the names of the fields that agree and
    disagree (names of fields, never their values).
    """

    class How(models.TextChoices):
        SAME = "same", _("The same once spacing, case and prefixes are ignored")
        SIMILAR = "similar", _("Similar spelling")
        VERY_LIKELY = "very_likely", _("Very likely the same person")
        POSSIBLY = "possibly", _("Possibly the same")

    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="matches")
    other = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="matched_by")
    how = models.CharField(max_length=12, choices=How.choices)
    score = models.FloatField()  # a person's: the model's probability that the two are one
    agree = models.JSONField(default=list, blank=True)  # ["name", "date_of_birth", …]
    disagree = models.JSONField(default=list, blank=True)
    found_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["entity", "other"], name="match_once"),
        ]
        indexes = [models.Index(fields=["other"], name="match_other")]

    def __str__(self) -> str:
        return f"{self.entity_id} ~ {self.other_id} ({self.how})"


class PersonKey(models.Model):
    """A key a person of concern is found by at save: each name's and alias's sound-alike key
    ("sound:…") and each alias written plainly ("alias:…"). Derived from the record, rewritten
    whenever it changes (seethesigns.network.people.write_keys); never shown to anyone."""

    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="person_keys")
    key = models.CharField(max_length=120)

    class Meta:
        indexes = [models.Index(fields=["key"], name="personkey_key")]
        constraints = [
            models.UniqueConstraint(fields=["entity", "key"], name="personkey_once"),
        ]

    def __str__(self) -> str:
        return f"{self.entity_id}: {self.key}"


class Disruption(models.Model):
    """A Child Abduction Warning Notice or another disruption action, with its review date."""

    class Kind(models.TextChoices):
        CAWN = "cawn", _("Child Abduction Warning Notice")
        SRO = "sro", _("Sexual Risk Order")
        SHPO = "shpo", _("Sexual Harm Prevention Order")
        CLOSURE = "closure", _("Closure order")
        LICENSING = "licensing", _("Licensing or hotel visit")
        TRESPASS = "trespass", _("Trespass notice")
        OTHER = "other", _("Other disruption")

    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="disruptions")
    child = models.ForeignKey(
        Child, null=True, blank=True, on_delete=models.PROTECT, related_name="disruptions"
    )
    kind = models.CharField(_("action"), max_length=10, choices=Kind.choices)
    started_on = models.DateField(_("issued or started"))
    review_on = models.DateField(_("review by"))
    details = models.CharField(_("details"), max_length=500, blank=True)
    ended_on = models.DateField(_("ended"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    submission_key = form_key_field()

    class Meta:
        ordering = ["review_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.entity_id})"


class DisruptionUpdate(StatusUpdate):
    """A disruption action reviewed (with the next review date) or ended. Kept for good: the
    database refuses UPDATE and DELETE (seethesigns.appendonly), except for an erasure."""

    class Kind(models.TextChoices):
        REVIEWED = "reviewed", _("Reviewed")
        ENDED = "ended", _("Ended")

    disruption = models.ForeignKey(Disruption, on_delete=models.CASCADE, related_name="updates")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    review_on = models.DateField(null=True, blank=True)  # the next review, when reviewed

    subject = "disruption"
    dated = (Kind.REVIEWED, "review_on", "reviewed; next review by")
    finished = ("ended_on", "ended")
    audited = ("links.update_disruption", "entity")


class IntelligenceSubmission(models.Model):
    """An intelligence report to the police in the 3x5x2 format (College of Policing, APP
    Intelligence management, 2015): the source evaluated 1 to 3, the intelligence A to E, and a
    handling code P or C. Made from a record by the police analyst."""

    class Source(models.TextChoices):
        RELIABLE = "1", _("1: Reliable")
        UNTESTED = "2", _("2: Untested")
        NOT_RELIABLE = "3", _("3: Not reliable")

    class Assessment(models.TextChoices):
        KNOWN_DIRECTLY = "A", _("A: Known directly to the source")
        CORROBORATED = "B", _("B: Known indirectly to the source but corroborated")
        INDIRECT = "C", _("C: Known indirectly to the source")
        NOT_KNOWN = "D", _("D: Not known")
        SUSPECTED_FALSE = "E", _("E: Suspected to be false or malicious")

    class Handling(models.TextChoices):
        PERMITTED = "P", _("P: Lawful sharing permitted")
        CONDITIONS = "C", _("C: Lawful sharing permitted with conditions")

    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="intelligence")
    # Made from a sighting: the subject (entity) is the place the sighting was linked to. The
    # submission outlives the sighting if a vehicle record it names is erased.
    sighting = models.ForeignKey(
        "Sighting", on_delete=models.SET_NULL, null=True, blank=True, related_name="intelligence"
    )
    source_evaluation = models.CharField(max_length=1, choices=Source.choices)
    assessment = models.CharField(max_length=1, choices=Assessment.choices)
    handling = models.CharField(max_length=1, choices=Handling.choices)
    sealed = models.TextField()  # encrypted {"intelligence": …, "conditions": …}
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"INT-{self.pk:05d}"

    @property
    def grading(self) -> str:
        return f"{self.source_evaluation}{self.assessment}{self.handling}"

    @property
    def contents(self) -> dict[str, str]:
        return unseal(self.sealed)


class Sighting(models.Model):
    """Something seen at a place, told to the police analyst: where, when, who or what.

    It is linked to the place record (and the vehicle record, if a registration was seen) that
    join the dots offered and the analyst chose, so a hotel seen again is not a new copy of it;
    a new record is made only when she says none matches. What was typed is sealed.
    """

    place = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="sightings")
    vehicle = models.ForeignKey(
        Entity, on_delete=models.PROTECT, null=True, blank=True, related_name="vehicle_sightings"
    )
    seen_on = models.DateField(_("seen on"))
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    sealed = models.TextField()  # encrypted {"where": …, "vehicle": …, "what": …}
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    submission_key = form_key_field()

    class Meta:
        ordering = ["-seen_on", "-pk"]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"SGT-{self.pk:05d}"

    @property
    def contents(self) -> dict[str, str]:
        return unseal(self.sealed)


class Band(models.TextChoices):
    """How sure the matching is that two records are one person (settings hold the thresholds)."""

    VERY_LIKELY = "very_likely", _("Very likely the same person")
    POSSIBLY = "possibly", _("Possibly the same person")


def ordered_pair(a: int, b: int) -> tuple[int, int]:
    """A pair of records is stored one way round, lower number first: (a, b) is (b, a)."""
    return (a, b) if a < b else (b, a)


class PairSuggestion(models.Model):
    """Two person records the matching says may be one person, waiting for the coordinator.

    Found at save or by the overnight run (`run_label` says which). Stored lower number first,
    once per pair; a pair the coordinator has decided is never suggested again (PairDecision).
    """

    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="+")
    other = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="+")
    probability = models.FloatField()
    band = models.CharField(max_length=20, choices=Band.choices)
    agree = models.JSONField(default=list)  # the compared fields that agree ("date_of_birth", …)
    disagree = models.JSONField(default=list)
    run_label = models.CharField(max_length=100)
    found_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-probability", "found_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["entity", "other"], name="pair_suggested_once"),
            models.CheckConstraint(
                condition=Q(entity__lt=models.F("other")), name="pair_lower_number_first"
            ),
        ]
        indexes = [models.Index(fields=["other"], name="pair_suggestion_other")]

    def __str__(self) -> str:
        return f"{self.entity_id} ? {self.other_id} ({self.band})"


class PairDecision(models.Model):
    """The coordinator's answer about two person records: the same person, or not.

    Never changed or deleted (appendonly.py, migration 0010), except by an erasure of either
    record. A pair once decided is not asked again, whichever way round it is found.
    """

    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="+")
    other = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="+")
    same = models.BooleanField(_("the same person"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    probability = models.FloatField(null=True, blank=True)  # what the matching said, if it did
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-decided_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(entity__lt=models.F("other")), name="decision_lower_number_first"
            ),
        ]
        indexes = [models.Index(fields=["entity", "other"], name="pair_decision_pair")]

    def __str__(self) -> str:
        return f"{self.entity_id} {'=' if self.same else '≠'} {self.other_id}"
