"""The register of erasures: what was erased, when, by whom and why (the reason sealed)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from seethesigns.encryption import unseal


class Why(models.TextChoices):
    RETENTION = "retention", _("Its retention period ended")
    REQUEST = "request", _("Erased by the data protection officer")


class Erasure(models.Model):
    """One erased record and its parts. Holds no content: the DPO's reason is sealed."""

    erased_at = models.DateTimeField(default=timezone.now)
    erased_by = models.ForeignKey(  # empty when the retention job erased it
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    record_type = models.CharField(max_length=50)  # a key of retention.REGISTRY
    record_id = models.CharField(max_length=100)
    why = models.CharField(max_length=20, choices=Why.choices)
    parts = models.JSONField(default=dict)  # {"screening": 2, "referral": 1}
    sealed_reason = models.TextField(blank=True)  # encrypted {"reason": …}: it may name the child

    class Meta:
        ordering = ["-erased_at", "-pk"]

    def __str__(self) -> str:
        return f"Erasure of {self.record_type} {self.record_id}"

    @property
    def reason(self) -> str:
        return str(unseal(self.sealed_reason).get("reason", "")) if self.sealed_reason else ""
