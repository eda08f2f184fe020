"""Notices that are true: "contact <name>" only for records the reader cannot open, and never
naming the reader; records the reader can open are listed as links."""

import re

import pytest

from seethesigns.children.models import Child
from seethesigns.network.models import Entity

pytestmark = pytest.mark.django_db


def hidden_notices(page: str) -> list[str]:
    return re.findall(r'<p class="alert__hidden".*?</p>', page, re.S)


def test_the_coordinator_is_never_told_to_contact_herself(pro_client):
    client = pro_client("demo-coordinator")
    pages = [f"/pro/children/{c.pk}/" for c in Child.objects.filter(first_name="Leah")]
    pages += [f"/pro/records/{e.pk}/" for e in Entity.objects.all()]
    notices = []
    for path in pages:
        response = client.get(path)
        if response.status_code == 200:
            notices += hidden_notices(response.content.decode())
    assert notices, "the demo has records the coordinator cannot open behind some alerts"
    for notice in notices:
        assert "Cara Coordinator" not in notice
        assert "demo-coordinator@example.org" not in notice
    # She is the contact for the team holding the hidden record: she is told to ask that team.
    assert any("data-ask-teams" in notice for notice in notices)


def test_the_dsl_is_still_told_whom_to_contact(pro_client):
    mia = Child.objects.get(first_name="Mia")
    page = pro_client("demo-dsl").get(f"/pro/children/{mia.pk}/").content.decode()
    notices = hidden_notices(page)
    assert notices and all("Cara Coordinator" in n for n in notices)


def test_the_analyst_is_told_they_are_children_she_cannot_open_not_records(pro_client):
    client = pro_client("demo-analyst")
    found = []
    for entity in Entity.objects.all():
        page = client.get(f"/pro/records/{entity.pk}/").content.decode()
        found += hidden_notices(page)
    for notice in found:
        # The analyst may open every record: anything hidden from her is a child's record.
        assert "held by a team" not in notice and "held by teams" not in notice
        assert "Ash Analyst" not in notice
