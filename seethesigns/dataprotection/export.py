"""Everything held about one child, for a subject access request: as data, then JSON or PDF."""

from datetime import date, datetime
from typing import Any

from django.db.models import Model, Q
from django.utils import timezone

from seethesigns.audit.models import AuditEntry
from seethesigns.children.models import Child
from seethesigns.dataprotection.retention import load_schedule, parts_of, record_type_of
from seethesigns.encryption import unseal


def _value(value: Any) -> Any:
    """A field's value as JSON can hold it (a referral's submission key is a UUID, say)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if value is None or isinstance(value, str | int | float | bool | list | dict):
        return value
    return str(value)


def record_data(obj: Model) -> dict[str, Any]:
    """A record's fields, with sealed ones opened: `sealed` becomes `contents`."""
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        value = getattr(obj, field.attname)
        if field.name.startswith("sealed"):
            name = field.name.removeprefix("sealed").strip("_") or "contents"
            data[name] = unseal(value) if value else {}
        else:
            data[field.attname] = _value(value)
    return data


def subject_access(child: Child) -> dict[str, Any]:
    """The child's record, each kind of record that is part of it, and who viewed or changed it."""
    schedule = load_schedule()
    parts: dict[str, list[dict[str, Any]]] = {}
    targets = Q(object_type=Child._meta.label_lower, object_id=str(child.pk))
    for rt in parts_of(Child):
        items = rt.model._default_manager.filter(**{rt.part_of: child.pk}).order_by("pk")
        parts[rt.key] = [record_data(item) for item in items]
        ids = [str(item["id"]) for item in parts[rt.key]]
        targets |= Q(object_type=rt.model._meta.label_lower, object_id__in=ids)
    clock = record_type_of(Child).with_clock().get(pk=child.pk).clock
    meetings = {str(item["meeting_id"]) for item in parts.get("child_meeting_item", [])}
    entries = sorted(
        [*AuditEntry.objects.filter(targets), *_packs_shown(child, meetings)],
        key=lambda entry: entry.seq,
    )
    return {
        "about": f"Subject access export for child record {child.pk}",
        "made_at": timezone.now().isoformat(),
        "child": {
            **record_data(child),
            "shared_with": [user.username for user in child.shared_with.order_by("username")],
            "kept_until": schedule.due_on(record_type_of(Child), clock).isoformat(),
        },
        **parts,
        "audit": [
            {
                "seq": entry.seq,
                "at": entry.at.isoformat(),
                "who": entry.actor_label,
                "action": entry.action,
                "record_type": entry.object_type,
                "record": entry.object_id,
            }
            for entry in entries
        ],
    }


def _packs_shown(child: Child, meetings: set[str]) -> list[AuditEntry]:
    """Looks at a MACE pack that listed the child (the entry names the meeting, and the child)."""
    looks = AuditEntry.objects.filter(
        object_type="meetings.meeting",
        object_id__in=meetings,
        action__in=["meetings.view_pack", "meetings.export_pack"],
    )
    return [entry for entry in looks if child.pk in entry.data.get("children", [])]


def flatten(data: Any, prefix: str = "") -> list[tuple[str, str]]:
    """Nested values as (path, text) rows, for a PDF that shows every field of any record."""
    if isinstance(data, dict):
        rows: list[tuple[str, str]] = []
        for key, value in data.items():
            rows += flatten(value, f"{prefix} / {key}" if prefix else str(key))
        return rows
    if isinstance(data, list):
        if not data:
            return [(prefix, "—")]
        rows = []
        for n, value in enumerate(data, start=1):
            rows += flatten(value, f"{prefix} / {n}")
        return rows
    text = "—" if data in (None, "") else str(data)
    return [(prefix, text)]


def pdf_sections(export: dict[str, Any]) -> list[tuple[str, list[list[tuple[str, str]]]]]:
    """The export's parts as (kind, [rows of each record]) for the PDF."""
    sections = [("child", [flatten(export["child"])])]
    for key, items in export.items():
        if isinstance(items, list) and key != "audit":
            sections.append((key, [flatten(item) for item in items]))
    return sections
