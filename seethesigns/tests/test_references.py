"""Children's and records' references tell nobody how many records the partnership holds."""

import itertools
import re

import pytest

from seethesigns import references
from seethesigns.audit.models import AuditEntry
from seethesigns.children.models import Child
from seethesigns.network.models import Entity

SHAPE = re.compile(rf"^[CR]-[{references.ALPHABET}]{{6}}$")


def test_references_do_not_count_up():
    made = [references.encode("C", pk) for pk in range(1, 501)]
    assert all(SHAPE.match(r) for r in made)
    assert len(set(made)) == 500
    assert made != sorted(made)
    rising = sum(a < b for a, b in itertools.pairwise(made))
    assert 150 < rising < 350  # about half: no order to read from them
    # Neighbours share no more than chance would: nothing says "the next one".
    same_start = sum(a[:4] == b[:4] for a, b in itertools.pairwise(made))
    assert same_start < 5
    assert references.encode("C", 4) != "C-00004"


def test_every_reference_reads_back_to_its_record_however_it_is_typed():
    for pk in [1, 2, 4, 999, 29_791, 123_456_789, references.SPACE - 1]:
        ref = references.encode("R", pk)
        assert references.decode(ref) == ("R", pk)
        spoken = f"{ref[0].lower()} {ref[2:5].lower()}-{ref[5:]}"
        assert references.decode(spoken) == ("R", pk)
    assert references.decode("C-00004") is None  # an old-style number is not a reference
    assert references.decode("C-IO1L0A") is None


def test_a_child_and_a_record_of_the_same_number_differ():
    assert references.encode("C", 7)[2:] != references.encode("R", 7)[2:]


def test_another_key_gives_other_references(settings):
    before = references.encode("C", 4)
    settings.REFERENCE_KEY = "another partnership's key"
    assert references.encode("C", 4) != before


@pytest.mark.django_db
def test_the_records_use_them(pro_client):
    child = Child.objects.get(first_name="Leah")
    entity = Entity.objects.order_by("pk").first()
    assert SHAPE.match(child.reference) and child.reference.startswith("C-")
    assert SHAPE.match(entity.reference) and entity.reference.startswith("R-")
    page = pro_client("demo-coordinator").get(f"/pro/children/{child.pk}/").content.decode()
    assert child.reference in page
    assert f"C-{child.pk:05d}" not in page


@pytest.mark.django_db
def test_the_dpo_finds_a_childs_entries_by_reference(pro_client):
    child = Child.objects.get(first_name="Leah")
    pro_client("demo-coordinator").get(f"/pro/children/{child.pk}/")
    page = pro_client("demo-dpo").get("/pro/audit/", {"record": child.reference.lower()})
    html = page.content.decode()
    assert page.status_code == 200
    assert f"cases.child {child.pk}" in html
    views = AuditEntry.objects.filter(object_type="cases.child", object_id=str(child.pk))
    assert views.exists()
