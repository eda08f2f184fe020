from typing import Any

from django.db import transaction
from django.http import HttpRequest

from seethesigns.audit.actions import record
from seethesigns.children.models import Child
from seethesigns.encryption import seal
from seethesigns.meetings.models import Action, ActionUpdate, Item, Meeting, Minute
from seethesigns.network.models import Entity
from seethesigns.submissions import create_once, once


@transaction.atomic
def do_create_meeting(
    values: dict[str, Any], *, acting_user: Any, request: HttpRequest | None
) -> Meeting:
    """Make the meeting once per form: the same form sent again returns the first one."""
    meeting, made = create_once(Meeting, values, created_by=acting_user)
    if made:
        record("meetings.create_meeting", actor=acting_user, obj=meeting, request=request)
    return meeting


@transaction.atomic
def do_view_pack(
    meeting: Meeting, *, acting_user: Any, request: HttpRequest | None, pdf: bool
) -> None:
    """Audit one look at the pack, naming by number the children and records it shows."""
    items = list(meeting.items.values_list("child_id", "entity_id"))
    record(
        "meetings.export_pack" if pdf else "meetings.view_pack",
        actor=acting_user,
        obj=meeting,
        request=request,
        data={
            "children": sorted({child for child, _ in items if child}),
            "records": sorted({entity for _, entity in items if entity}),
        },
    )


@transaction.atomic
def do_add_item(
    meeting: Meeting,
    target: Child | Entity,
    values: dict[str, Any],
    *,
    acting_user: Any,
    request: HttpRequest | None,
) -> Item:
    which: dict[str, Any] = {"child": target} if isinstance(target, Child) else {"entity": target}
    item, made = once(
        Item,
        values.get("key"),
        lambda found: found.meeting_id == meeting.pk and found.created_by_id == acting_user.pk,
        lambda key: Item.objects.create(
            meeting=meeting,
            rag=values["rag"],
            reason=values["reason"],
            created_by=acting_user,
            submission_key=key,
            **which,
        ),
    )
    if not made:
        return item
    record(
        "meetings.add_item",
        actor=acting_user,
        obj=meeting,
        request=request,
        data={"item": item.pk, "child": item.child_id, "entity": item.entity_id},
    )
    return item


@transaction.atomic
def do_add_action(
    meeting: Meeting, values: dict[str, Any], *, acting_user: Any, request: HttpRequest | None
) -> Action:
    action, made = create_once(Action, values, meeting=meeting, created_by=acting_user)
    if made:
        data = {"action": action.pk}
        record("meetings.add_action", actor=acting_user, obj=meeting, request=request, data=data)
    return action


@transaction.atomic
def do_add_minute(
    meeting: Meeting, values: dict[str, Any], *, acting_user: Any, request: HttpRequest | None
) -> Minute:
    minute, made = once(
        Minute,
        values.get("key"),
        lambda found: found.meeting_id == meeting.pk and found.written_by_id == acting_user.pk,
        lambda key: Minute.objects.create(
            meeting=meeting,
            sealed=seal({"text": values["text"]}),
            restricted_to=values["restricted_to"],
            written_by=acting_user,
            submission_key=key,
        ),
    )
    if made:
        data = {"minute": minute.pk, "restricted_to": minute.restricted_to}
        record("meetings.add_minute", actor=acting_user, obj=meeting, request=request, data=data)
    return minute


@transaction.atomic
def do_view_cohort(child_ids: list[int], *, acting_user: Any, request: HttpRequest) -> None:
    """Audit one look at the cohort, naming by number the children it shows."""
    record("meetings.view_cohort", actor=acting_user, request=request, data={"children": child_ids})


@transaction.atomic
def do_update_action(
    action: Action, kind: str, due_on: Any, note: str, *, acting_user: Any, request: Any
) -> ActionUpdate:
    """Move an action's due date or mark it done; each change is kept as an update."""
    return ActionUpdate.add(action, kind, due_on, note, acting_user=acting_user, request=request)
