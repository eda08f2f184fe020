"""One child, many routes: the front door links a public concern to the child of a referral,
found by name, age and school; the child's record then shows the concern, and only those who
may open the concern read what it says."""

from datetime import UTC, datetime

import pytest
import time_machine

from seethesigns.audit.models import AuditEntry
from seethesigns.children.models import Child
from seethesigns.concerns.models import Concern, ConcernChild

pytestmark = pytest.mark.django_db

# Mia was born on 1 May 2012: 14 on this day.
A_DAY = datetime(2026, 12, 3, 11, 0, tzinfo=UTC)


@pytest.fixture
def concern() -> Concern:
    return Concern.objects.filter(reporter_kind="parent").get()  # "Mia, 14, Northbridge Academy"


@pytest.fixture
def mia() -> Child:
    return Child.objects.get(first_name="Mia", last_name="Example")


def url(concern: Concern) -> str:
    return f"/pro/concerns/{concern.reference}/"


def test_the_front_door_finds_the_referred_child_by_name_age_and_school(pro_client, concern, mia):
    client = pro_client("demo-frontdoor")
    with time_machine.travel(A_DAY, tick=False):
        html = client.get(
            url(concern), {"name": "mia", "age": "14", "school": "academy"}
        ).content.decode()
        wrong_age = client.get(url(concern), {"name": "mia", "age": "9"}).content.decode()
    found = html[html.index("data-found") : html.index("</ul>", html.index("data-found"))]
    assert "Mia Example, 14 years, Northbridge Academy" in found
    assert f'name="child" value="{mia.pk}"' in found
    assert "data-found-none" in wrong_age


def test_children_the_front_door_has_no_referral_or_record_for_are_not_found(pro_client, concern):
    html = pro_client("demo-frontdoor").get(url(concern), {"name": "Leah"}).content.decode()
    assert "data-found-none" in html and "Leah Sample" not in html


def test_linking_shows_the_concern_on_the_childs_record_without_its_words(pro_client, concern, mia):
    response = pro_client("demo-frontdoor").post(
        url(concern), {"form": "link-child", "child": mia.pk}
    )
    assert response.status_code == 302
    link = ConcernChild.objects.get(concern=concern)
    assert (
        link.child == mia
        and link.referral is not None
        and link.linked_by.username == "demo-frontdoor"
    )
    assert AuditEntry.objects.filter(action="concerns.link_child").get().data["child"] == mia.pk
    concern_page = pro_client("demo-frontdoor").get(url(concern)).content.decode()
    assert f"/pro/referrals/{link.referral.pk}/" in concern_page
    child_page = pro_client("demo-dsl").get(f"/pro/children/{mia.pk}/").content.decode()
    about = child_page[child_page.index("data-concerns-about") :]
    assert f"Concern {concern.reference}" in about
    assert "held by the front door" in about
    assert f"/pro/concerns/{concern.reference}/" not in child_page  # the DSL may not open it
    assert "silver car" not in child_page


def test_linking_a_child_the_front_door_cannot_reach_is_refused(pro_client, concern):
    leah = Child.objects.get(first_name="Leah")
    response = pro_client("demo-frontdoor").post(
        url(concern), {"form": "link-child", "child": leah.pk}
    )
    assert response.status_code == 400
    assert not ConcernChild.objects.exists()


@pytest.mark.parametrize("username", ["demo-dsl", "demo-eastfield", "demo-coordinator"])
def test_nobody_outside_the_holding_front_door_links(pro_client, concern, mia, username):
    response = pro_client(username).post(url(concern), {"form": "link-child", "child": mia.pk})
    assert response.status_code == 404
    assert not ConcernChild.objects.exists()


def linked(html: str) -> str:
    return html[
        html.index("data-concerns-linked") : html.index("</ul>", html.index("data-concerns-linked"))
    ]


def test_the_referral_lists_the_concern_with_its_words_for_the_front_door(pro_client, concern, mia):
    client = pro_client("demo-frontdoor")
    client.post(url(concern), {"form": "link-child", "child": mia.pk})
    referral = ConcernChild.objects.get(concern=concern).referral
    assert referral is not None
    html = client.get(f"/pro/referrals/{referral.pk}/").content.decode()
    shown = linked(html)
    assert f'href="/pro/concerns/{concern.reference}/"' in shown
    assert "silver car" in shown  # what the concern says
    assert "held by the front door" not in shown


def test_the_referrer_sees_only_what_the_childs_page_shows_of_a_concern_they_may_not_open(
    pro_client, concern, mia
):
    pro_client("demo-frontdoor").post(url(concern), {"form": "link-child", "child": mia.pk})
    referral = ConcernChild.objects.get(concern=concern).referral
    assert referral is not None
    html = pro_client("demo-dsl").get(f"/pro/referrals/{referral.pk}/").content.decode()
    shown = linked(html)
    assert f"Concern {concern.reference}" in shown and "held by the front door" in shown
    assert f"/pro/concerns/{concern.reference}/" not in html
    assert "silver car" not in html


def test_once_shared_the_referrer_reads_it_from_the_referral(pro_client, concern, mia):
    from seethesigns.accounts.models import User

    client = pro_client("demo-frontdoor")
    client.post(url(concern), {"form": "link-child", "child": mia.pk})
    dsl = User.objects.get(username="demo-dsl")
    client.post(url(concern), {"form": "share", "share-person": dsl.pk})
    referral = ConcernChild.objects.get(concern=concern).referral
    assert referral is not None
    html = pro_client("demo-dsl").get(f"/pro/referrals/{referral.pk}/").content.decode()
    assert f'href="/pro/concerns/{concern.reference}/"' in linked(html)
    assert "silver car" in linked(html)


def test_a_referral_with_no_linked_concern_shows_no_list(pro_client, concern, mia):
    referral = mia.referrals.first()
    assert referral is not None
    html = pro_client("demo-dsl").get(f"/pro/referrals/{referral.pk}/").content.decode()
    assert "data-concerns-linked" not in html


def test_a_reader_who_may_open_neither_the_concern_nor_the_child_learns_nothing(
    pro_client, concern, mia
):
    client = pro_client("demo-frontdoor")
    client.post(url(concern), {"form": "link-child", "child": mia.pk})
    client.post(url(concern), {"form": "restrict"})  # only demo-frontdoor may open it now
    referral = ConcernChild.objects.get(concern=concern).referral
    assert referral is not None
    colleague = pro_client("demo-frontdoor2")  # reads the referral, not Mia's record
    assert colleague.get(f"/pro/children/{mia.pk}/").status_code == 404
    html = colleague.get(f"/pro/referrals/{referral.pk}/").content.decode()
    assert concern.reference not in html and "data-concerns-linked" not in html
