"""The matching model's parameters, estimated from the partnership's own records."""

from django.db import models


class MatchingModel(models.Model):
    """One estimate of the m and u probabilities for a kind of record; the newest is used.

    `parameters` is {"prior": λ, "m": {field: [per level]}, "u": {field: [per level]}}, levels
    in the order of `fields.FIELDS`. Until a kind has an estimate the shipped defaults are used.
    """

    kind = models.CharField(max_length=10, choices=[("person", "Person"), ("child", "Child")])
    parameters = models.JSONField()
    estimated_at = models.DateTimeField(auto_now_add=True)
    records = models.PositiveIntegerField(default=0)
    pairs = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["-estimated_at", "-pk"]
        indexes = [models.Index(fields=["kind", "-estimated_at"])]

    def __str__(self) -> str:
        return f"{self.kind} model of {self.estimated_at:%Y-%m-%d %H:%M}"
