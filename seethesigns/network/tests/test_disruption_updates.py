"""Disruption actions are reviewed and ended, each change kept and audited; never a review date
in the past; only someone who may edit the record."""

from datetime import timedelta

import pytest
from django.db import DatabaseError, transaction
from django.utils import timezone

from seethesigns.audit.models import AuditEntry
from seethesigns.network.models import Disruption, DisruptionUpdate

pytestmark = pytest.mark.django_db


@pytest.fixture
def disruption() -> Disruption:
    return Disruption.objects.get(kind="cawn")  # the demo's notice on Jason Smyth, for Leah


def post(client, disruption, **values):
    fields = {"disruption": disruption.pk, **values}
    data = {"form": "disruption-update", **{f"disruption-update-{k}": v for k, v in fields.items()}}
    return client.post(f"/pro/records/{disruption.entity_id}/", data)


def test_a_disruption_is_reviewed_then_ended_each_change_kept_and_audited(pro_client, disruption):
    client = pro_client("demo-analyst")
    next_review = timezone.localdate() + timedelta(days=28)
    response = post(
        client, disruption, do="review", review_on=next_review.isoformat(), note="Still in force"
    )
    assert response.status_code == 302
    assert post(client, disruption, do="end", note="He moved away").status_code == 302
    disruption.refresh_from_db()
    assert disruption.review_on == next_review and disruption.ended_on == timezone.localdate()
    assert list(disruption.updates.values_list("kind", "by__username")) == [
        ("reviewed", "demo-analyst"),
        ("ended", "demo-analyst"),
    ]
    entries = AuditEntry.objects.filter(action="links.update_disruption")
    assert [e.data["kind"] for e in entries] == ["reviewed", "ended"]
    page = client.get(f"/pro/records/{disruption.entity_id}/").content.decode()
    assert "data-disruption-ended" in page and "ended (He moved away)" in page
    with pytest.raises(DatabaseError), transaction.atomic():
        DisruptionUpdate.objects.filter(disruption=disruption).delete()


def test_a_review_date_in_the_past_is_refused(pro_client, disruption):
    past = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = post(pro_client("demo-analyst"), disruption, do="review", review_on=past)
    assert response.status_code == 400
    assert "The next review is in the past" in response.content.decode()
    assert not disruption.updates.exists()


def test_someone_who_cannot_edit_the_record_is_refused(pro_client, disruption):
    for username in ["demo-dsl", "demo-eastfield", "demo-admin"]:
        assert post(pro_client(username), disruption, do="end").status_code == 404
    disruption.refresh_from_db()
    assert disruption.ended_on is None
