"""MACE meetings: the children, people and places to discuss, actions, and minutes by agency."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from seethesigns.accounts.models import Organisation
from seethesigns.children.models import Child
from seethesigns.encryption import unseal
from seethesigns.history import StatusUpdate
from seethesigns.network.models import Entity
from seethesigns.submissions import form_key_field


class Rag(models.TextChoices):
    RED = "red", _("Red: high risk")
    AMBER = "amber", _("Amber: medium risk")
    GREEN = "green", _("Green: low risk")


class Meeting(models.Model):
    held_on = models.DateField(_("meeting date"))
    title = models.CharField(_("title"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    submission_key = form_key_field()

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on:%d %b %Y})"


class Item(models.Model):
    """A child, person or place on the meeting's list, with its rating."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    child = models.ForeignKey(Child, null=True, blank=True, on_delete=models.PROTECT)
    entity = models.ForeignKey(Entity, null=True, blank=True, on_delete=models.PROTECT)
    rag = models.CharField(_("rating"), max_length=5, choices=Rag.choices)
    reason = models.CharField(_("why it is on the list"), max_length=500)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    submission_key = form_key_field()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(child__isnull=False, entity__isnull=True)
                | models.Q(child__isnull=True, entity__isnull=False),
                name="item_is_a_child_or_a_record",
            )
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id}: {self.child_id or self.entity_id} {self.rag}"


class Action(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="actions")
    item = models.ForeignKey(Item, null=True, blank=True, on_delete=models.SET_NULL)
    text = models.CharField(_("action"), max_length=500)
    owner = models.CharField(_("owner"), max_length=200)
    due_on = models.DateField(_("due"))
    done_on = models.DateField(_("done"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    submission_key = form_key_field()

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.text


class Minute(models.Model):
    """A minute of the meeting. With an agency set, only that agency's people read it."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="minutes")
    sealed = models.TextField()
    restricted_to = models.CharField(
        _("who may read it"),
        max_length=20,
        choices=Organisation.Kind.choices,
        blank=True,
        help_text=_("Leave empty for every agency at the meeting."),
    )
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    written_at = models.DateTimeField(default=timezone.now)
    submission_key = form_key_field()

    class Meta:
        ordering = ["written_at", "pk"]

    def __str__(self) -> str:
        return f"Minute {self.pk} of {self.meeting_id}"

    @property
    def text(self) -> str:
        return str(unseal(self.sealed).get("text", ""))


class ActionUpdate(StatusUpdate):
    """A change to a MACE action: its date moved, or done. Kept for good: the database refuses
    UPDATE and DELETE (seethesigns.appendonly), except when the meeting is erased."""

    class Kind(models.TextChoices):
        MOVED = "moved", _("Due date changed")
        DONE = "done", _("Done")

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    due_on = models.DateField(null=True, blank=True)  # the new date, when moved

    subject = "action"
    dated = (Kind.MOVED, "due_on", "due date changed to")
    finished = ("done_on", "marked done")
    audited = ("meetings.update_action", "meeting")
