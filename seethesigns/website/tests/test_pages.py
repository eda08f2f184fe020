import re

import pytest
from django.test import Client

from testing.liveserver import PUBLIC_PATHS

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", PUBLIC_PATHS)
def test_it_serves_every_public_page_with_the_exit_and_help(client: Client, path: str):
    response = client.get(path)
    expected = 404 if "does-not-exist" in path else 200
    assert response.status_code == expected
    html = response.content.decode()
    if expected == 404:
        assert "find that page" in html
    # One "Exit this page" stop, before anything else a keyboard or screen reader reaches.
    assert html.count('href="/exit/"') == 1
    assert html.index('class="exit__button"') < html.index('href="#main"')
    assert html.count('class="exit__button"') == 1 and 'skip-link" data-exit' not in html
    assert "tel:999" in html
    assert "tel:08001111" in html
    assert not response.cookies


@pytest.mark.parametrize(
    "path",
    [
        "/young-people/",
        "/worried-about-a-friend/",
        "/parents-and-carers/",
        "/professionals/",
        "/working-with-the-public/",
    ],
)
def test_it_links_each_route_from_the_home_page(client: Client, path: str):
    assert f'href="{path}"' in client.get("/").content.decode()


def test_it_links_the_five_sign_lists(client: Client):
    html = client.get("/signs/").content.decode()
    for name in ["me", "friend", "parent", "professional", "public"]:
        assert f'href="/signs/{name}/"' in html


def test_it_keeps_vulnerabilities_apart_from_signs_for_professionals(client: Client):
    html = client.get("/signs/professional/").content.decode()
    signs_at = html.index("Signs that exploitation may be happening")
    vulnerable_at = html.index("Things that can make a child more vulnerable")
    assert html.index('id="going-missing"') < vulnerable_at
    assert html.index('id="in-care"') > vulnerable_at > signs_at


def test_each_sign_has_its_stable_identifier_as_an_anchor(client: Client):
    html = client.get("/signs/me/").content.decode()
    assert 'id="gifts-money-phones"' in html
    assert 'href="#source-' in html


def test_an_unknown_list_is_the_helpful_404(client: Client):
    response = client.get("/signs/nobody/")
    assert response.status_code == 404
    assert "find that page" in response.content.decode()


def test_it_shows_national_help_by_urgency_with_call_links(client: Client):
    html = client.get("/get-help/").content.decode()
    for tel in [
        "tel:999",
        "tel:08001111",
        "tel:08088005000",
        "tel:0800555111",
        "tel:116000",
        "tel:101",
        "tel:08081000900",
    ]:
        assert tel in html, tel
    assert "Details last checked" in html
    assert 'id="help-emergency"' in html
    # The demo partnership's own contacts are unconfirmed placeholders: never shown.
    assert 'id="help-local"' not in html


def test_it_says_what_is_not_known_about_a_film_instead_of_inventing_it(client: Client):
    html = client.get("/films/losing-control-jay/").content.decode()
    assert "Not known" in html
    assert "We do not have a transcript of this film." in html


def test_it_gives_the_helpful_404_for_an_unknown_film(client: Client):
    response = client.get("/films/no-such-film/")
    assert response.status_code == 404
    assert "find that page" in response.content.decode()


def test_it_compresses_pages(client: Client):
    response = client.get("/signs/", HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"


def test_the_500_page_needs_no_database_and_still_offers_the_exit_and_help(
    rf, django_assert_num_queries
):
    from seethesigns.website.views import server_error

    with django_assert_num_queries(0):
        response = server_error(rf.get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert html.count('href="/exit/"') == 1
    assert "tel:999" in html
    assert "tel:08001111" in html


@pytest.mark.parametrize(
    "path", [*PUBLIC_PATHS[:-1], "/stories/jay/meeting/", "/stories/jay/spot-gifts/check/"]
)
def test_every_page_describes_itself_for_search_engines(client: Client, path: str):
    html = client.get(path).content.decode()
    match = re.search(r'<meta name="description" content="([^"]*)">', html)
    assert match and len(match.group(1).strip()) > 20, path


@pytest.mark.parametrize("path", ["/", "/professionals/", "/tell-someone/"])
def test_every_page_offers_a_way_in_for_professionals(client: Client, path: str):
    html = client.get(path).content.decode()
    link = '<a href="/pro/sign-in/" rel="nofollow">Sign in to the professionals\' workspace</a>'
    assert link in html


def test_the_professionals_page_leads_to_the_workspace_and_search_finds_it(client: Client):
    html = client.get("/professionals/").content.decode()
    assert html.count('href="/pro/sign-in/"') == 2  # the page's own link and the footer's
    # "sign" also matches every page about the signs, so there it is on the first page only.
    for query, top in [("workspace", 3), ("professionals workspace", 1), ("sign in", 10)]:
        results = client.post("/search/", {"q": query}).content.decode()
        found = re.findall(r'<li><a href="(/[^"]*)">', results.split('class="results"')[1])
        assert "/professionals/" in found[:top], (query, found)


def test_the_accessibility_statement_is_linked_from_every_page(client: Client):
    html = client.get("/accessibility/").content.decode()
    for words in ["How we tested it", "What does not work yet", "Tell us about a problem", "EASS"]:
        assert words in html
    assert 'href="/accessibility/"' in client.get("/signs/").content.decode()
