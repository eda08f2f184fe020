"""The CMS's lists of snippets: each shows the state of its approval, and signs their words."""

import pytest

from seethesigns.accounts.models import User
from seethesigns.website.models import Film, HelpContact, Sign
from seethesigns.website.tests.test_cms_workflow import client_for

pytestmark = pytest.mark.django_db


def test_a_draft_and_a_change_in_review_are_marked_in_the_lists():
    editor = User.objects.get(username="demo-editor")
    contact = HelpContact.objects.get(slug="childline")
    contact.name = "Childline (new name in review)"
    contact.save_revision(user=editor)
    contact.get_workflow().start(contact, editor)
    film = Film.objects.filter(live=True).first()
    assert film is not None
    film.title = "A film's draft title"
    film.save_revision(user=editor)

    client = client_for("demo-editor")
    contacts = client.get("/cms/snippets/content/helpcontact/").content.decode()
    assert "In review: “Childline (new name in review)”" in contacts
    films = client.get("/cms/snippets/content/film/").content.decode()
    assert "Draft: “A film&#x27;s draft title”" in films or "Draft: “A film's draft title”" in films


def test_signs_are_listed_and_found_by_their_words():
    sign = Sign.objects.get(slug="gifts-money-phones")
    words = str(sign)
    assert words != sign.slug
    client = client_for("demo-editor")
    listed = client.get("/cms/snippets/content/sign/").content.decode()
    assert words in listed
    found = client.get("/cms/snippets/content/sign/", {"q": words.split()[0]}).content.decode()
    assert words in found


def test_a_new_sign_gets_its_identifier_and_place_made_for_it():
    from seethesigns.website.tests.test_cms_workflow import edit_form

    client = client_for("demo-editor")
    url = "/cms/snippets/content/sign/add/"
    data = edit_form(client, url)
    data.update(
        {
            "slug": "",
            "sort_order": "",
            "kind": "sign",
            "wordings-TOTAL_FORMS": "1",
            "wordings-0-list": "parent",
            "wordings-0-title": "Comes home with things they cannot explain",
            "wordings-0-explanation": '{"blocks": [{"key": "a", "type": "unstyled", "text": '
            '"New clothes or phones.", "depth": 0, "inlineStyleRanges": [], "entityRanges": []}], '
            '"entityMap": {}}',
            "wordings-0-ORDER": "1",
        }
    )
    data.pop("sources", None)  # none picked
    last = max(Sign.objects.values_list("sort_order", flat=True))
    response = client.post(url, data)
    form = response.context["form"] if response.status_code == 200 else None
    assert response.status_code == 302, (form.errors, [f.errors for f in form.formsets.values()])
    sign = Sign.objects.get(slug="comes-home-with-things-they-cannot-explain")
    assert sign.sort_order == last + 1
    assert sign.live is False  # a draft, waiting for approval like any change


@pytest.mark.parametrize("username", ["demo-editor", "demo-lead"])
def test_nobody_editing_the_site_uploads_images_or_documents(username: str):
    user = User.objects.get(username=username)
    for perm in ("wagtailimages.add_image", "wagtaildocs.add_document"):
        assert not user.has_perm(perm)
    client = client_for(username)
    dashboard = client.get("/cms/").content.decode()
    assert 'href="/cms/images/"' not in dashboard
    assert 'href="/cms/documents/"' not in dashboard
    assert client.get("/cms/images/multiple/add/").status_code in (302, 403)
