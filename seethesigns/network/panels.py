"""A child's links on their page, with the alerts they raise and the disruptions around them."""

from typing import Any

from django.http import HttpRequest

from seethesigns.children.models import Child
from seethesigns.network.actions import do_show_matches
from seethesigns.network.alerts import alerts_for, disruptions_about, shown_matches


def child_panel(request: HttpRequest, child: Child) -> dict[str, Any]:
    links = list(child.links.select_related("entity", "created_by"))
    alerts = alerts_for(
        list({link.entity_id: link.entity for link in links}.values()),
        request.user,
        except_child=child,
    )
    do_show_matches(child, shown_matches(alerts), acting_user=request.user, request=request)
    return {
        "links": links,
        "alerts": alerts,
        "disruptions": disruptions_about(child),
    }
