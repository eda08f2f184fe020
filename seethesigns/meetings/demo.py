"""Demo MACE meeting: Leah, Mia and the hotel on the agenda (never in production)."""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from seethesigns.accounts.models import User
from seethesigns.children.models import Child
from seethesigns.meetings.actions import (
    do_add_action,
    do_add_item,
    do_add_minute,
    do_create_meeting,
)
from seethesigns.meetings.models import Meeting
from seethesigns.network.models import Entity

# The network's demo records: Leah, her links and the hotel.
AFTER = ("links",)


def load() -> list[str]:
    """The coordinator's next MACE meeting, unless there is one already or no Leah."""
    leah = Child.objects.filter(first_name="Leah", last_name="Sample").first()
    if leah is None or Meeting.objects.filter(title="Northbridge MACE").exists():
        return []
    coordinator = User.objects.get(username="demo-coordinator")
    today = timezone.localdate()
    meeting = do_create_meeting(
        {"title": "Northbridge MACE", "held_on": today + timedelta(days=6)},
        acting_user=coordinator,
        request=None,
    )
    mia = Child.objects.get(first_name="Mia", last_name="Example")
    hotel = (
        Entity.objects.filter(kind="place", label__startswith="Riverside").order_by("pk").first()
    )
    items: list[tuple[Any, str, str]] = [
        (leah, "red", "Two missing episodes in three weeks; found with older men."),
        (mia, "amber", "Older 'boyfriend'; the same car as Leah's."),
    ]
    if hotel is not None:
        items.append((hotel, "red", "Two children linked this month."))
    for target, rag, reason in items:
        do_add_item(
            meeting, target, {"rag": rag, "reason": reason}, acting_user=coordinator, request=None
        )
    for text, owner, days in [
        ("Licensing visit to the Riverside Hotel", "PC 2231, Northbridge Police", 7),
        ("Return home interview for Leah's last episode", "Outreach worker, Youth Project", -1),
    ]:
        do_add_action(
            meeting,
            {"text": text, "owner": owner, "due_on": today + timedelta(days=days)},
            acting_user=coordinator,
            request=None,
        )
    do_add_minute(
        meeting,
        {"text": "Partners agreed the hotel is a shared concern.", "restricted_to": ""},
        acting_user=coordinator,
        request=None,
    )
    do_add_minute(
        meeting,
        {
            "text": "Intelligence on the car's keeper to be shared by police only.",
            "restricted_to": "police",
        },
        acting_user=coordinator,
        request=None,
    )
    return []
