"""Sharing a concern by need to know: only roles and teams in this partnership that can act."""

import re

import pytest

from seethesigns.accounts.models import User
from seethesigns.audit.models import AuditEntry
from seethesigns.concerns.models import Concern

pytestmark = pytest.mark.django_db

OFFERED = ["demo-dsl", "demo-practitioner", "demo-coordinator", "demo-analyst", "demo-frontdoor2"]
REFUSED = ["demo-editor", "demo-admin", "demo-dpo", "demo-eastfield", "demo-frontdoor"]


@pytest.fixture
def concern() -> Concern:
    return Concern.objects.filter(reporter_kind="parent").get()


def url(concern: Concern) -> str:
    return f"/pro/concerns/{concern.reference}/"


def offered(html: str) -> set[int]:
    select = html[html.index('id="share-person"') :]
    select = select[: select.index("</select>")]
    return {int(pk) for pk in re.findall(r'<option value="(\d+)"', select)}


def test_the_share_list_offers_only_those_who_can_act_in_this_partnership(pro_client, concern):
    html = pro_client("demo-frontdoor").get(url(concern)).content.decode()
    ids = offered(html)
    for username in OFFERED:
        assert User.objects.get(username=username).pk in ids, username
    for username in REFUSED:  # the sharer herself is not offered either
        assert User.objects.get(username=username).pk not in ids, username


@pytest.mark.parametrize("username", REFUSED)
def test_sharing_with_someone_not_offered_is_refused_and_nothing_shared(
    pro_client, concern, username
):
    person = User.objects.get(username=username)
    response = pro_client("demo-frontdoor").post(
        url(concern), {"form": "share", "share-person": person.pk}
    )
    assert response.status_code == 400
    assert "Choose someone from the list" in response.content.decode()
    assert not concern.shared_with.exists()
    assert not AuditEntry.objects.filter(action="concerns.share").exists()
    answer = pro_client(username).get(url(concern))
    if username == "demo-editor":  # no workspace role: sent to the CMS, shown nothing
        assert (answer.status_code, answer["Location"]) == (302, "/cms/")
    elif username != "demo-frontdoor":  # the holder herself opens it; nobody else may
        assert answer.status_code == 404


@pytest.mark.parametrize("username", OFFERED)
def test_sharing_with_someone_offered_lets_them_open_it(pro_client, concern, username):
    person = User.objects.get(username=username)
    response = pro_client("demo-frontdoor").post(
        url(concern), {"form": "share", "share-person": person.pk}
    )
    assert response.status_code == 302
    assert pro_client(username).get(url(concern)).status_code == 200
    # Once shared, they are not offered again.
    html = pro_client("demo-frontdoor").get(url(concern)).content.decode()
    assert person.pk not in offered(html)
