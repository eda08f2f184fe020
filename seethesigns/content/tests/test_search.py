import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

AWKWARD_QUERIES = [
    "",
    "   ",
    "x" * 100_000,
    "gifts " * 20_000,
    "ßigns 👀 تحذير 儿童 ñandú",
    "<script>alert('x')</script>",
    '"><img src=x onerror=alert(1)>',
    "' OR 1=1; DROP TABLE wagtailcore_page; --",
    "%' UNION SELECT password FROM accounts_user --",
    "nul\x00byte",
    "(((((",
    "& | ! : * ~",
]


@pytest.mark.parametrize("query", AWKWARD_QUERIES)
@pytest.mark.parametrize("method", ["get", "post"])
def test_it_answers_any_query_with_a_normal_page(client: Client, method: str, query: str):
    response = getattr(client, method)("/search/", {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert 'href="/exit/"' in html


def test_it_finds_pages_about_a_sign(client: Client):
    html = client.post("/search/", {"q": "gifts"}).content.decode()
    assert 'href="/signs/"' in html


def test_it_keeps_what_was_typed_in_the_box(client: Client):
    html = client.post("/search/", {"q": "older boyfriend"}).content.decode()
    assert 'value="older boyfriend"' in html


def test_it_posts_so_the_words_stay_out_of_the_address_bar(client: Client):
    html = client.get("/search/").content.decode()
    assert 'method="post"' in html
    assert "csrfmiddlewaretoken" not in html


def test_it_sets_no_cookie(client: Client):
    response = client.post("/search/", {"q": "help"})
    assert not response.cookies
