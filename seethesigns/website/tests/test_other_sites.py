"""Links in rich text to other sites say so on the page, as film links do."""

import pytest
from django.test import Client, override_settings

from seethesigns.website.models import ContentPage
from seethesigns.website.outbound import mark_other_sites

NOTE = "(another website)"


def test_a_link_to_another_site_is_marked_and_sends_no_referrer():
    html = '<p>Read <a href="https://www.nspcc.org.uk/keeping-children-safe/">the NSPCC</a>.</p>'
    assert mark_other_sites(html) == (
        '<p>Read <a href="https://www.nspcc.org.uk/keeping-children-safe/" rel="noreferrer" '
        f'class="other-site">the NSPCC</a> {NOTE}.</p>'
    )


@override_settings(ALLOWED_HOSTS=["seethesigns.example.org", ".partnership.example.org"])
@pytest.mark.parametrize(
    "href",
    [
        "/get-help/",
        "#signs",
        "mailto:team@example.org",
        "tel:999",
        "https://seethesigns.example.org/signs/",
        "https://www.partnership.example.org/",
        "http://127.0.0.1:8000/signs/",  # the CMS's own address (BASE_URL)
    ],
)
def test_a_link_on_this_site_or_not_to_a_site_is_left_alone(href: str):
    html = f'<p><a href="{href}">here</a></p>'
    assert mark_other_sites(html) == html


@override_settings(ALLOWED_HOSTS=["seethesigns.example.org"])
@pytest.mark.parametrize(
    "href",
    ["http://example.com/", "//evil.example.net/x", "https://seethesigns.example.org.evil.net/"],
)
def test_look_alike_and_scheme_less_hosts_are_other_sites(href: str):
    assert NOTE in mark_other_sites(f'<a href="{href}">x</a>')


@pytest.mark.django_db
def test_a_pages_body_links_to_other_sites_are_marked_like_film_links(client: Client):
    page = ContentPage.objects.get(slug="what-is-cse")
    page.intro = (
        '<p>See <a href="https://www.nspcc.org.uk/">the NSPCC</a> and '
        '<a href="/get-help/">our help page</a>.</p>'
    )
    page.save_revision().publish()

    html = client.get(page.url).content.decode()
    assert (
        '<a href="https://www.nspcc.org.uk/" rel="noreferrer" class="other-site">the NSPCC</a> '
        f"{NOTE}"
    ) in html
    assert f'<a href="/get-help/">our help page</a> {NOTE}' not in html
    assert '<a href="/get-help/">our help page</a>' in html


@pytest.mark.django_db
def test_a_film_summarys_links_are_marked_too(client: Client):
    from seethesigns.website.models import Film, FilmsPage

    film = Film.objects.filter(live=True).order_by("sort_order").first()
    assert film is not None
    film.summary = '<p>Made with <a href="https://www.ceop.police.uk/">CEOP</a>.</p>'
    film.save_revision().publish()

    films = FilmsPage.objects.live().get()
    html = client.get(f"{films.url}{film.slug}/").content.decode()
    assert f'class="other-site">CEOP</a> {NOTE}' in html
