"""The audit trail: who saw or changed what, when and from where. Append-only, hash-chained."""

import hashlib
import hmac
import json
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS = "0" * 64


class AuditEntry(models.Model):
    """One action. Each entry's hash covers its fields and the previous entry's hash."""

    seq = models.PositiveBigIntegerField(_("number"), unique=True)
    at = models.DateTimeField(_("when"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(_("who"), max_length=200)
    action = models.CharField(_("action"), max_length=100)  # namespaced, like "cases.view"
    object_type = models.CharField(_("record type"), max_length=100, blank=True)
    object_id = models.CharField(_("record"), max_length=100, blank=True)
    ip = models.GenericIPAddressField(_("from"), null=True, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["seq"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"

    def compute_hash(self) -> str:
        return entry_hash(self.prev_hash, self.canonical())

    def canonical(self) -> dict[str, Any]:
        """Return the fields the hash covers, as they read back from any database."""
        return {
            "seq": self.seq,
            "at": self.at.isoformat(timespec="microseconds"),
            "actor": self.actor_id,
            "actor_label": self.actor_label,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "ip": self.ip,
            "data": self.data,
        }


def entry_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    """Return the keyed hash of an entry: without the key, nobody can rebuild the chain."""
    payload = json.dumps(fields, sort_keys=True, separators=(",", ":"), default=str)
    key = settings.AUDIT_KEY.encode()
    return hmac.new(key, f"{prev_hash}\n{payload}".encode(), hashlib.sha256).hexdigest()


class AuditHead(models.Model):
    """The newest entry's number and hash, sealed with the key: catches a cut-off tail."""

    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS)
    seal = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"head #{self.seq}"


def head_seal(seq: int, hash_: str) -> str:
    return entry_hash("head", {"seq": seq, "hash": hash_})
