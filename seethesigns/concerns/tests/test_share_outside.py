"""Sharing a concern outside the partnership: another council's front door or an agency typed in,
only with the information-sharing decision recorded (with whom, what, consent and why), kept as
history, sealed, audited, and shown on the concern."""

import pytest
from django.db import DatabaseError, transaction

from seethesigns.accounts.models import Team, User
from seethesigns.audit.models import AuditEntry
from seethesigns.concerns.models import Concern, OutsideShare

pytestmark = pytest.mark.django_db


@pytest.fixture
def concern() -> Concern:
    return Concern.objects.filter(reporter_kind="parent").get()


@pytest.fixture
def eastfield() -> Team:
    return Team.objects.get(name="Eastfield Front Door")


def url(concern: Concern) -> str:
    return f"/pro/concerns/{concern.reference}/"


def decision(**changes: object) -> dict[str, object]:
    values: dict[str, object] = {
        "form": "outside",
        "outside-front_door": "",
        "outside-agency": "Riverside Housing, safeguarding lead",
        "outside-what": "The concern's words about the silver car, and Mia's school.",
        "outside-consent": "not_sought",
        "outside-consent_reason": "Asking could warn the man in the silver car.",
        "outside-reason": "Mia stays at a Riverside flat at weekends; they must protect her.",
    }
    values.update(changes)
    return values


def test_a_decision_without_its_reasons_is_refused_and_the_words_are_kept(pro_client, concern):
    sent = decision(**{"outside-reason": "", "outside-consent_reason": ""})
    response = pro_client("demo-frontdoor").post(url(concern), sent)
    html = response.content.decode()
    assert response.status_code == 400
    assert "Record why you are sharing and on what basis" in html
    assert "Say why you are sharing without agreement, or why you did not ask" in html
    assert "Riverside Housing, safeguarding lead" in html  # what was typed stays
    assert "about the silver car, and Mia&#x27;s school." in html
    assert not OutsideShare.objects.exists()
    assert not AuditEntry.objects.filter(action="concerns.share_outside").exists()


def test_with_whom_must_be_said_once(pro_client, concern, eastfield):
    client = pro_client("demo-frontdoor")
    nobody = client.post(url(concern), decision(**{"outside-agency": ""}))
    both = client.post(url(concern), decision(**{"outside-front_door": eastfield.pk}))
    assert nobody.status_code == both.status_code == 400
    assert "Choose a front door or name the agency" in nobody.content.decode()
    assert "not both" in both.content.decode()
    assert not OutsideShare.objects.exists()


def test_a_recorded_share_is_on_the_concern_with_its_reasons_and_in_the_audit(
    pro_client, concern, eastfield
):
    client = pro_client("demo-frontdoor")
    sent = decision(**{"outside-front_door": eastfield.pk, "outside-agency": ""})
    response = client.post(url(concern), sent)
    assert response.status_code == 302 and response["Location"].endswith("#outside")
    share = OutsideShare.objects.get()
    assert share.front_door == eastfield and share.shared_by.username == "demo-frontdoor"
    assert "silver car" not in share.sealed  # sealed: it may name the child
    entry = AuditEntry.objects.filter(action="concerns.share_outside").get()
    assert entry.data == {
        "outside_share": share.pk,
        "front_door": eastfield.pk,
        "consent": "not_sought",
    }
    assert entry.actor_label == "demo-frontdoor" and entry.object_id == str(concern.pk)
    html = client.get(url(concern)).content.decode()
    shown = html[html.index("data-outside-shares") :]
    assert "Shared with Eastfield Front Door (Eastfield Children&#x27;s Services)" in shown
    assert "Not asked" in shown and "Asking could warn the man in the silver car." in shown
    assert "they must protect her" in shown and "Fola Door" in shown  # who, with why
    # The other council is still never offered in the ordinary Share list, nor given the concern.
    share_list = html[html.index('id="share-person"') :]
    share_list = share_list[: share_list.index("</select>")]
    assert f'value="{User.objects.get(username="demo-eastfield").pk}"' not in share_list
    assert pro_client("demo-eastfield").get(url(concern)).status_code == 404


def test_an_outside_share_is_kept_as_history(pro_client, concern):
    pro_client("demo-frontdoor").post(url(concern), decision())
    share = OutsideShare.objects.get()
    with pytest.raises(DatabaseError), transaction.atomic():
        OutsideShare.objects.filter(pk=share.pk).update(consent="given")
    with pytest.raises(DatabaseError), transaction.atomic():
        OutsideShare.objects.filter(pk=share.pk).delete()


@pytest.mark.parametrize(
    "username", ["demo-dsl", "demo-eastfield", "demo-coordinator", "demo-dpo", "demo-admin"]
)
def test_nobody_outside_the_holding_front_door_records_one(pro_client, concern, username):
    response = pro_client(username).post(url(concern), decision())
    assert response.status_code == 404
    assert not OutsideShare.objects.exists()


def test_someone_it_was_shared_with_reads_it_but_cannot_record_one(pro_client, concern):
    dsl = User.objects.get(username="demo-dsl")
    pro_client("demo-frontdoor").post(url(concern), {"form": "share", "share-person": dsl.pk})
    client = pro_client("demo-dsl")
    assert client.get(url(concern)).status_code == 200
    assert 'name="outside-what"' not in client.get(url(concern)).content.decode()
    assert client.post(url(concern), decision()).status_code == 404
    assert not OutsideShare.objects.exists()


def test_on_a_restricted_concern_only_its_named_people_record_one(pro_client, concern):
    pro_client("demo-frontdoor").post(url(concern), {"form": "restrict"})  # names only herself
    colleague = pro_client("demo-frontdoor2")
    assert colleague.post(url(concern), decision()).status_code == 400  # the break-glass page
    reason = "Police called: child missing tonight, need the address now."
    colleague.post(url(concern), {"reason": reason})
    assert colleague.post(url(concern), decision()).status_code == 404  # the glass lets her read
    assert not OutsideShare.objects.exists()
    assert pro_client("demo-frontdoor").post(url(concern), decision()).status_code == 302
    assert OutsideShare.objects.get().shared_by.username == "demo-frontdoor"
