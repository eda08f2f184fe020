"""A child's record: the minimum needed to hold screenings (and, later, the chronology)."""

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from seethesigns.accounts.models import Team


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

    class Meta:
        ordering = ["last_name", "first_name", "pk"]
        verbose_name_plural = _("children")

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def initials(self) -> str:
        """For meetings and screens others can see: never the full name."""
        return f"{self.first_name[:1]}{self.last_name[:1]}".upper()

    def age_on(self, day: date) -> int | None:
        born = self.date_of_birth
        if born is None:
            return None
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))
