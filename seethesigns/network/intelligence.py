"""An intelligence submission in the 3x5x2 format, as a page, a PDF and a structured file.

3x5x2 is the police's grading of intelligence (College of Policing, Authorised Professional
Practice: Intelligence management, 2015): the source evaluated 1 (reliable), 2 (untested) or 3
(not reliable); the intelligence A to E, from known directly to the source to suspected false;
and a handling code, P (lawful sharing permitted) or C (permitted with conditions, stated).
A child appears only by reference and initials.
"""

from typing import Any

from django.conf import settings

from seethesigns.children.names import mask
from seethesigns.network.models import IntelligenceSubmission

FORMAT = "3x5x2"


def structured(sub: IntelligenceSubmission) -> dict[str, Any]:
    """The submission as data an intelligence system can load (JSON)."""
    entity = sub.entity
    contents = sub.contents
    links = list(entity.links.select_related("child", "other"))
    named = [link.child for link in links if link.child]
    return {
        "format": FORMAT,
        "reference": sub.reference,
        "partnership": settings.PARTNERSHIP_NAME,
        "created_at": sub.created_at.isoformat(),
        "submitted_by": {
            "name": sub.created_by.display_name,
            "team": str(sub.team),
        },
        "grading": sub.grading,
        "source_evaluation": {
            "code": sub.source_evaluation,
            "meaning": str(sub.get_source_evaluation_display()),
        },
        "intelligence_evaluation": {
            "code": sub.assessment,
            "meaning": str(sub.get_assessment_display()),
        },
        "handling_code": {
            "code": sub.handling,
            "meaning": str(sub.get_handling_display()),
            "conditions": contents.get("conditions", ""),
        },
        "subject": {
            "record": entity.reference,
            "kind": entity.kind,
            "label": entity.label,
        },
        "intelligence": mask(contents.get("intelligence", ""), named),
        "links": [
            {
                "to": link.other.reference if link.other else getattr(link.child, "reference", ""),
                "initials": link.child.initials if link.child else "",
                "label": link.other.label if link.other else "",
                "nature": mask(link.nature, named),
                "on": link.linked_on.isoformat(),
            }
            for link in links
        ],
        "disruptions": [
            {
                "kind": d.kind,
                "kind_label": str(d.get_kind_display()),
                "started_on": d.started_on.isoformat(),
                "review_on": d.review_on.isoformat(),
                "ended_on": d.ended_on.isoformat() if d.ended_on else None,
            }
            for d in entity.disruptions.all()
        ],
    }
