import pytest
from django.template import Context, Template

from seethesigns.website.telephone import link_phone_numbers


@pytest.mark.parametrize(
    ("html", "tels"),
    [
        ("<p>Call <strong>999</strong> now.</p>", ["999"]),
        ("<p>Childline on 0800 1111, or text 116 000.</p>", ["08001111", "116000"]),
        (
            "<p>NSPCC 0808 800 5000, police 101, demo 01632 960 000.</p>",
            ["08088005000", "101", "01632960000"],
        ),
        # Stop It Now! writes its number 4-4-3: one link, all eleven digits.
        ("<p>Call 0808 1000 900 or use live chat.</p>", ["08081000900"]),
    ],
)
def test_numbers_in_a_text_become_tel_links(html: str, tels: list[str]):
    out = link_phone_numbers(html)
    assert [f'href="tel:{t}"' in out for t in tels] == [True] * len(tels)


@pytest.mark.parametrize(
    "html",
    [
        '<p><a href="tel:999">Call 999</a></p>',
        "<p>In 2023, 91 % were boys aged 14 to 17; 60% of 1000 reports.</p>",
        "<p>Page 101a costs £999 (see /signs/#999).</p>",
    ],
)
def test_other_numbers_and_existing_links_are_left_alone(html: str):
    assert link_phone_numbers(html) == html


def test_the_filter_escapes_plain_text_first():
    out = Template("{% load content_tags %}{{ text|phone_links }}").render(
        Context({"text": "<script>x</script> call 999"})
    )
    assert "<script>" not in out and '<a href="tel:999">999</a>' in out
