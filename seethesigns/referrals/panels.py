"""The referrals on a child's page, and whether this person may make one."""

from typing import Any

from django.http import HttpRequest

from seethesigns.children.models import Child
from seethesigns.referrals.policies import ReferralPolicy


def child_panel(request: HttpRequest, child: Child) -> dict[str, Any]:
    policy = ReferralPolicy(request.user)
    return {
        "can_refer": policy.can_refer(child),
        "referrals": policy.visible().filter(child=child),
    }
