"""The sextortion page: for young people first (boys of 14 to 18 are most of those targeted), with a
section for parents; what to do now, the direct Report Remove link, sources; found by search."""

import pytest
import textstat
from bs4 import BeautifulSoup
from django.test import Client

pytestmark = pytest.mark.django_db

REPORT_REMOVE = "https://www.childline.org.uk/info-advice/bullying-abuse-safety/online-mobile-safety/report-remove/"


def _page(client: Client) -> BeautifulSoup:
    response = client.get("/sextortion/")
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def test_it_says_what_to_do_now_in_the_order_that_protects(client: Client):
    soup = _page(client)
    items = [li for li in soup.select("#what-to-do-now li") if not li.find_parent(class_="sources")]
    steps = [li.get_text(" ", strip=True) for li in items]
    starts = [li.strong.get_text().rstrip(".") for li in items]
    assert starts[:4] == [
        "Don't pay",
        "Stop replying",
        "Don't delete anything yet",
        "Report their account",
    ]
    text = " ".join(steps)
    assert "screenshots" in text and "101" in text and "999" in text and "0800 1111" in text
    links = {a["href"] for a in soup.select("#what-to-do-now a")}
    assert REPORT_REMOVE in links
    assert "https://www.ceop.police.uk/Safety-Centre/" in links


def test_it_says_it_is_not_their_fault_and_the_picture_can_be_taken_down(client: Client):
    text = _page(client).get_text(" ")
    assert "It is not your fault" in text
    assert "taken down" in text
    assert "Most of them are teenage boys" in text
    assert "gaming" in text.lower() or "game" in text


def test_the_parents_section_is_there_with_its_own_audience_and_sources(client: Client):
    soup = _page(client)
    section = soup.select_one("#for-parents-and-carers")
    assert section is not None and section["data-audience"] == "parents"
    text = section.get_text(" ", strip=True)
    for words in ["Don't pay", "Don't look at the picture", "gift cards", "game", "101", "999"]:
        assert words in text, words
    cited = section.select_one(".sources").get_text(" ")
    assert "National Crime Agency" in cited


def test_every_section_cites_its_sources(client: Client):
    soup = _page(client)
    for section in soup.select("section.section"):
        assert section.select_one(".sources a[href^='https://']"), section.h2.get_text()
    page_sources = soup.get_text(" ")
    assert "Internet Watch Foundation" in page_sources and "2024" in page_sources


def test_the_young_peoples_text_reads_at_grade_7_or_below(client: Client):
    soup = _page(client)
    article = soup.find("article")
    for hidden in article.select(".sources, .contact"):
        hidden.decompose()
    assert textstat.flesch_kincaid_grade(article.get_text(" ")) <= 7
    for section in article.select("section.section"):
        assert textstat.flesch_kincaid_grade(section.get_text(" ")) <= 7, section.h2.get_text()


def test_the_report_remove_contact_links_to_the_tool_not_childlines_home(client: Client):
    soup = _page(client)
    link = soup.select_one("#contact-report-remove .contact__ways a")
    assert link is not None and link["href"] == REPORT_REMOVE


@pytest.mark.parametrize("word", ["sextortion", "blackmail", "nudes", "gaming", "money"])
def test_search_finds_it(client: Client, word: str):
    soup = BeautifulSoup(client.post("/search/", {"q": word}).content, "html.parser")
    found = [a["href"] for a in soup.select(".results > li > a")]
    assert "/sextortion/" in found[:3], found


def test_young_people_and_parents_pages_lead_to_it(client: Client):
    for path in ["/young-people/", "/parents-and-carers/"]:
        assert "/sextortion/" in client.get(path).content.decode(), path
