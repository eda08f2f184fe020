"""The profile's audit: each opening, each download and each list of records to complete."""

from typing import Any

from django.http import HttpRequest

from seethesigns.audit.actions import record


def do_view_profile(
    page: str, filters: dict[str, str], *, acting_user: Any, request: HttpRequest
) -> None:
    """Audit one look at the profile or the scorecard, with the filters chosen (no names)."""
    record(f"profile.view_{page}", actor=acting_user, request=request, data=filters)


def do_download_profile(
    what: str, filters: dict[str, str], *, acting_user: Any, request: HttpRequest
) -> None:
    """Audit one download (csv, ods or pdf) of the profile's figures."""
    record("profile.download", actor=acting_user, request=request, data={"format": what, **filters})


def do_view_to_complete(
    child_ids: list[int], entity_ids: list[int], *, acting_user: Any, request: HttpRequest
) -> None:
    """Audit a list of records to complete, naming by number the records it shows."""
    data = {"children": child_ids, "records": entity_ids}
    record("profile.view_to_complete", actor=acting_user, request=request, data=data)
