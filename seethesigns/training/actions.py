"""A passed module, kept with its audit entry in the same transaction."""

from typing import Any

from django.db import transaction
from django.http import HttpRequest

from seethesigns.audit.actions import record
from seethesigns.training.models import Completion


@transaction.atomic
def do_pass_module(
    module_id: str, score: int, *, acting_user: Any, request: HttpRequest | None
) -> Completion:
    completion = Completion.objects.create(user=acting_user, module=module_id, score=score)
    record(
        "training.pass",
        actor=acting_user,
        request=request,
        data={"module": module_id, "score": score},
    )
    return completion
