import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class Completion(models.Model):
    """A passed module: the certificate's facts. Failed attempts are not kept."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    module = models.SlugField(max_length=80)
    score = models.PositiveSmallIntegerField()  # per cent
    completed_at = models.DateTimeField(default=timezone.now)
    certificate = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        ordering = ["-completed_at"]

    def __str__(self) -> str:
        return f"{self.user_id} passed {self.module}"
