import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
    """A partner agency: a school, the police, a health trust, children's social care…"""

    class Kind(models.TextChoices):
        SCHOOL = "school", _("School or college")
        POLICE = "police", _("Police")
        HEALTH = "health", _("Health")
        SOCIAL_CARE = "social_care", _("Children's social care")
        VOLUNTARY = "voluntary", _("Voluntary sector")
        PARTNERSHIP = "partnership", _("Safeguarding partnership")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    """A team within an organisation. Records are held by a team; its members share them."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(_("name"), max_length=200)
    is_front_door = models.BooleanField(
        _("front door (MASH)"),
        default=False,
        help_text=_("Concerns sent through the public 'Tell someone' form arrive here."),
    )
    cse_contact = models.ForeignKey(
        "User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("CSE coordinator to contact"),
        help_text=_("Whom others contact when their record links to one this team holds."),
    )
    on_duty = models.ForeignKey(
        "User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("on duty now"),
        help_text=_(
            "A front door's duty worker: told at once when a concern says someone is in danger "
            "right now."
        ),
    )

    class Meta:
        ordering = ["organisation__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="team_name_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.organisation.name}"


class Role(models.TextChoices):
    PRACTITIONER = "practitioner", _("Practitioner")
    DSL = "dsl", _("Designated safeguarding lead")
    FRONT_DOOR = "front_door", _("Front door (MASH) worker")
    CSE_COORDINATOR = "cse_coordinator", _("CSE coordinator")
    POLICE_ANALYST = "police_analyst", _("Police analyst")
    PARTNERSHIP_ADMIN = "partnership_admin", _("Partnership admin")
    CONTENT_EDITOR = "content_editor", _("Content editor")
    DPO = "dpo", _("Data protection officer")


class User(AbstractUser):
    """A person who signs in: an editor at /cms/, a professional at /pro/."""

    is_demo = models.BooleanField(
        _("demo account"),
        default=False,
        help_text=_("Created by load_demo. Demo accounts can never sign in in production."),
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices, blank=True)
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )
    phone = models.CharField(
        _("work phone"),
        max_length=40,
        blank=True,
        help_text=_("Shown to colleagues who need to reach you: a DSL's to their practitioners."),
    )

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


INVITATION_LIFETIME = timedelta(days=7)


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def usable(self) -> "InvitationQuerySet":
        return self.filter(accepted_at=None, expires_at__gt=timezone.now())


class Invitation(models.Model):
    """A one-time link that lets a new professional set a password. Only its hash is kept."""

    email = models.EmailField(_("e-mail address"))
    first_name = models.CharField(_("first name"), max_length=150)
    last_name = models.CharField(_("last name"), max_length=150)
    phone = models.CharField(_("work phone"), max_length=40, blank=True)
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = InvitationQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Invitation for {self.email}"

    @staticmethod
    def new_token() -> tuple[str, str]:
        """Return a token for the link and the hash to store."""
        token = secrets.token_urlsafe(32)
        return token, token_hash(token)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
