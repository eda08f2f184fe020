"""History rows that are never changed (seethesigns.appendonly): a decision and a status update.

Abstract models: each app's table keeps its own columns and names; these hold what the rows
have in common, and how they read.
"""

from typing import Any, Self

from django.conf import settings
from django.db import models
from django.utils import timezone

from seethesigns.encryption import unseal


class DecisionEntry(models.Model):
    """One decision: who, when and why (sealed: it may name the child), and when it was due."""

    sealed_reason = models.TextField()  # encrypted {"reason": …}: it may name the child
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)
    was_due_at = models.DateTimeField()

    class Meta:
        abstract = True
        ordering = ["decided_at", "pk"]

    @property
    def reason(self) -> str:
        return str(unseal(self.sealed_reason).get("reason", ""))

    @property
    def late(self) -> bool:
        return self.decided_at > self.was_due_at


class StatusUpdate(models.Model):
    """A change to something with a date: the date moved on, or the thing finished.

    A subclass names its foreign key (`subject`), its `kind` field, the kind that carries a new
    date with that date's field and words (`dated`: what it updates has a field of the same
    name), and for the other kind the field it sets to today and its words (`finished`).
    """

    note = models.CharField(max_length=500, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    subject: str
    kind: str  # each subclass's own field, with its own choices
    dated: tuple[str, str, str]  # (kind, date field, words before the date)
    finished: tuple[str, str]  # (the field set to today when it finishes, words for that)
    audited: tuple[str, str]  # (the audit entry a change writes, the record it is about)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.serializable_value(self.subject)}"

    @classmethod
    def add(
        cls, subject: Any, kind: str, when: Any, note: str, *, acting_user: Any, request: Any
    ) -> Self:
        """Keep one change, bring its subject up to date and audit it: the body of each app's
        do_update_* action, inside that action's transaction."""
        from seethesigns.audit.actions import record

        made = {cls.subject: subject, "kind": kind, cls.dated[1]: when, "note": note}
        update = cls._default_manager.create(**made, by=acting_user)
        update.apply()
        action, about = cls.audited
        data = {cls.subject: subject.pk, "update": update.pk, "kind": kind}
        record(action, actor=acting_user, obj=getattr(subject, about), request=request, data=data)
        return update

    def apply(self) -> None:
        """Bring what it updates up to date: its date moved to this one, or finished today."""
        subject = getattr(self, self.subject)
        kind, field, _words = self.dated
        if self.kind == kind:
            setattr(subject, field, getattr(self, field))
        else:
            field = self.finished[0]
            setattr(subject, field, timezone.localdate())
        subject.save(update_fields=[field])

    @property
    def summary(self) -> str:
        said = f" ({self.note})" if self.note else ""
        kind, field, words = self.dated
        day = getattr(self, field)
        if self.kind == kind and day:
            return f"{words} {day:%-d %b %Y}{said}"
        return f"{self.finished[1]}{said}"
