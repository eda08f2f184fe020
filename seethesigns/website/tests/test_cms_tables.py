"""A page with a table block: its revisions compare for the lead, its page is drawn."""

import pytest
from django.test import Client
from django.urls import reverse

from conftest import verified_client
from seethesigns.accounts.models import User
from seethesigns.website.blocks import table_block_value
from seethesigns.website.models import ContentPage
from seethesigns.website.paste import PastedTable

pytestmark = pytest.mark.django_db


def with_a_table(page: ContentPage) -> ContentPage:
    table = table_block_value(
        PastedTable(
            rows=[["<p>Childline</p>", "<p>0800 1111</p>"]],
            headings=["Who", "Number"],
            caption="Numbers to call",
        )
    )
    page.body.append(("table", table))
    return page


def test_the_lead_sees_a_new_table_in_the_comparison():
    page = ContentPage.objects.get(slug="what-is-cse")
    before = page.save_revision()
    after = with_a_table(page.get_latest_revision_as_object()).save_revision()
    lead = verified_client(Client(), User.objects.get(username="demo-lead"))
    url = reverse("wagtailadmin_pages:revisions_compare", args=[page.pk, before.pk, after.pk])
    response = lead.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Numbers to call" in html and "Childline" in html


def test_a_published_table_is_on_the_public_page(client: Client):
    page = ContentPage.objects.get(slug="what-is-cse")
    with_a_table(page.get_latest_revision_as_object()).save_revision().publish()
    html = client.get("/what-is-cse/").content.decode()
    assert '<caption id="table-numbers-to-call">Numbers to call</caption>' in html
    assert '<th scope="col">Who</th><th scope="col">Number</th>' in html
    assert '<a href="tel:08001111">0800 1111</a>' in html
