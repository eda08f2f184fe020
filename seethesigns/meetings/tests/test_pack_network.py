"""The MACE pack holds the network picture of the cluster: the links of the children and records
on the list, drawn on the server as on the network page, children by reference and initials."""

import re
import subprocess

import pytest

from seethesigns.children.models import Child
from seethesigns.meetings.models import Meeting
from seethesigns.network.models import Entity, Link

pytestmark = pytest.mark.django_db

FIRST_NAMES = ("Leah", "Sample", "Mia", "Example")


def picture(page: str) -> str:
    start = page.index("data-pack-network")
    return page[start : page.index("</svg>", start)]


@pytest.mark.parametrize("username", ["demo-coordinator", "demo-analyst"])
def test_the_pack_page_draws_the_cluster_by_reference_and_initials(pro_client, username):
    meeting = Meeting.objects.get()
    leah = Child.objects.get(first_name="Leah")
    svg = picture(pro_client(username).get(f"/pro/meetings/{meeting.pk}/").content.decode())
    assert "<svg" in svg and "<polygon" in svg and "<script" not in svg
    assert f"{leah.reference} ({leah.initials})" in svg
    assert "Riverside Hotel" in svg  # a place she is linked to
    for name in FIRST_NAMES:
        assert name not in svg, name
    assert not re.search(r'(href|src)="(https?:)?//', svg)  # nothing fetched from another host


def test_a_name_typed_into_a_records_label_is_masked_in_the_picture(pro_client):
    meeting = Meeting.objects.get()
    leah = Child.objects.get(first_name="Leah")
    hotel = Link.objects.filter(child=leah).select_related("entity").first().entity
    Entity.objects.filter(pk=hotel.pk).update(label="Leah's hotel")
    svg = picture(
        pro_client("demo-coordinator").get(f"/pro/meetings/{meeting.pk}/").content.decode()
    )
    assert "LS&#x27;s hotel" in svg or "LS's hotel" in svg
    assert "Leah" not in svg


def test_the_pack_pdf_holds_the_picture_and_no_first_name(pro_client, tmp_path):
    meeting = Meeting.objects.get()
    leah = Child.objects.get(first_name="Leah")
    response = pro_client("demo-analyst").get(f"/pro/meetings/{meeting.pk}/pdf/")
    pdf = tmp_path / "pack.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(  # noqa: S603  (our own fixed command)
        ["/usr/bin/pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.split())
    assert "Network picture of the cluster" in flat
    assert f"{leah.reference} ({leah.initials})" in flat  # only the picture labels so
    for name in FIRST_NAMES:
        assert name not in flat, name
