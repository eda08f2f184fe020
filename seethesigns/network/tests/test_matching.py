"""Join the dots: planted links written differently are found; unrelated records are not."""

import pytest
from django.db import connection

from seethesigns.accounts.models import Team, User
from seethesigns.children.models import Child
from seethesigns.network.actions import do_link_child, do_update_entity, find_matches
from seethesigns.network.matching import normalise, similarity
from seethesigns.network.models import Entity, Match


@pytest.mark.parametrize(
    ("kind", "a", "b"),
    [
        ("vehicle", "AB12 CDE", "ab12cde"),
        ("vehicle", "ab-12 c.d.e", "AB12CDE"),
        ("phone", "+44 7700 900123", "07700900123"),
        ("phone", "0044 (0)7700 900 123", "07700 900123"),
        ("phone", "447700900123", "07700-900-123"),
        ("handle", "@Jaybz_", "jaybz_"),
        ("handle", "https://www.instagram.com/jaybz_", "@jaybz_"),
        ("handle", "snapchat.com/add/jaybz_", "JAYBZ_"),
        ("place", "14 Station Rd", "14 station road"),
        ("person", "Zoë O'Brien", "zoe obrien"),
    ],
)
def test_the_same_thing_written_another_way_normalises_the_same(kind, a, b):
    assert normalise(kind, a) == normalise(kind, b)


@pytest.mark.parametrize(
    ("kind", "a", "b"),
    [
        ("vehicle", "AB12 CDE", "AB12 CDF"),
        ("phone", "07700 900123", "07700 900124"),
        ("phone", "+33 6 12 34 56 78", "06 12 34 56 78"),  # France is not the UK
        ("handle", "jaybz_", "jaybz"),
    ],
)
def test_different_things_stay_different(kind, a, b):
    assert normalise(kind, a) != normalise(kind, b)


def test_similarity_is_pg_trgm_similarity():
    assert similarity("word", "word") == 1.0
    assert similarity("", "word") == 0.0
    # 12 trigrams and 13 trigrams, 10 of them shared: 10 / (12 + 13 - 10)
    assert similarity("jason smith", "jayson smith") == pytest.approx(10 / 15)


@pytest.mark.django_db
def test_python_and_postgres_agree_on_similarity():
    if connection.vendor != "postgresql":
        pytest.skip("pg_trgm is PostgreSQL's")
    pairs = [
        ("jason smith", "jayson smyth"),
        ("kebab house 14 station road", "kebab house 14 station rd"),
        ("leah", "lea"),
        ("a", "b"),
        ("riverside hotel mill lane", "riverside hotel mill ln"),
    ]
    with connection.cursor() as cursor:
        for a, b in pairs:
            cursor.execute("SELECT similarity(%s, %s)", [a, b])
            assert cursor.fetchone()[0] == pytest.approx(similarity(a, b), abs=1e-6), (a, b)


@pytest.fixture
def two_children(db):
    dsl = User.objects.get(username="demo-dsl")
    other = User.objects.get(username="demo-eastfield")
    mine = Child.objects.create(
        first_name="A", last_name="Mine", team=Team.objects.get(members=dsl), created_by=dsl
    )
    theirs = Child.objects.create(
        first_name="B", last_name="Theirs", team=Team.objects.get(members=other), created_by=other
    )
    return (mine, dsl), (theirs, other)


def link(child, user, kind, label):
    values = {
        "kind": kind,
        "label": label,
        "place_kind": "",
        "nature": "seen with",
        "linked_on": "2026-11-01",
        "source": "police",
    }
    return do_link_child(child, values, acting_user=user, request=None).entity


@pytest.mark.parametrize(
    ("kind", "theirs", "mine"),
    [
        ("vehicle", "ab 12 cde", "AB12CDE"),
        ("phone", "+44 7700 900999", "07700900999"),
        ("handle", "@snow_fox", "Snow_Fox"),
        ("person", "Jason Smith", "Jayson Smith"),
        ("person", "Mohammed Khan", "Mohammad Khan"),
        ("place", "Riverside Hotel, Mill Lane", "Riverside Hotel Mill Ln"),
        ("place", "14 Nelson Cresent", "14 Nelson Crescent"),
        ("place", "Pizza Palace, Nelson Crescent", "Pizza Palace, 14 Nelson Crescent"),
        ("place", "Pizza Palace, 14 Nelson Crescent", "Pizza Palace Nelson Cres"),
    ],
)
def test_a_planted_link_across_children_is_found(two_children, kind, theirs, mine):
    (child, user), (other_child, other_user) = two_children
    planted = link(other_child, other_user, kind, theirs)
    link(child, user, "vehicle", "ZZ99 ZZZ")  # unrelated
    found = link(child, user, kind, mine)
    assert planted.pk in [pk for pk, _, _ in find_matches(found)]
    assert Match.objects.filter(entity=found, other=planted).exists()


@pytest.mark.parametrize(
    ("kind", "theirs", "mine"),
    [
        ("vehicle", "AB12 CDE", "AB13 CDE"),
        ("phone", "07700 900123", "07700 900321"),
        ("handle", "snow_fox", "snow_fox2"),
        ("person", "Jason Smith", "Leah Brown"),
        ("person", "John Smith", "Joan Smart"),
        ("place", "Riverside Hotel, Mill Lane", "Station Road Park"),
        ("place", "14 Nelson Crescent", "41 Nelson Crescent"),
    ],
)
def test_unrelated_records_are_not_matched(two_children, kind, theirs, mine):
    (child, user), (other_child, other_user) = two_children
    link(other_child, other_user, kind, theirs)
    found = link(child, user, kind, mine)
    assert find_matches(found) == []
    assert not Match.objects.filter(entity=found).exists()


def test_the_same_value_in_the_same_team_is_one_record(two_children):
    (child, user), _ = two_children
    second = Child.objects.create(
        first_name="C", last_name="Also", team=Team.objects.get(members=user), created_by=user
    )
    first = link(child, user, "vehicle", "NB99 AAA")
    again = link(second, user, "vehicle", "nb 99 aaa")
    assert first.pk == again.pk
    assert Entity.objects.filter(normalised="NB99AAA").count() == 1


def test_an_address_keeps_its_house_numbers_for_the_search(two_children):
    (child, user), _ = two_children
    place = link(child, user, "place", "Flat 2, 14 Nelson Crescent")
    assert place.numbers == "14 2"
    assert link(child, user, "person", "Jason 2 Smith").numbers == ""  # only places have them
    values = {"label": "Riverside Park", "details": "", "place_kind": ""}
    renamed = do_update_entity(place, place.version, values, acting_user=user, request=None)
    assert renamed.numbers == ""


def test_the_trigram_indexes_never_keep_a_pending_list(db):
    """A save must not leave rows that every later lookup reads one by one (see migration 0003)."""
    if connection.vendor != "postgresql":
        pytest.skip("pg_trgm is PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reloptions FROM pg_class WHERE relname IN "
            "('entity_normalised_trgm', 'entity_unnumbered_place_trgm') ORDER BY relname"
        )
        assert cursor.fetchall() == [
            ("entity_normalised_trgm", ["fastupdate=off"]),
            ("entity_unnumbered_place_trgm", ["fastupdate=off"]),
        ]
