from typing import Any

from django.db import transaction
from django.http import HttpRequest

from seethesigns.audit.actions import record
from seethesigns.cases.models import Child


@transaction.atomic
def do_create_child(values: dict[str, Any], *, acting_user: Any, request: HttpRequest) -> Child:
    child = Child.objects.create(team_id=acting_user.team_id, created_by=acting_user, **values)
    record("cases.create_child", actor=acting_user, obj=child, request=request)
    return child


@transaction.atomic
def do_view_child(child: Child, *, acting_user: Any, request: HttpRequest) -> None:
    record("cases.view_child", actor=acting_user, obj=child, request=request)
