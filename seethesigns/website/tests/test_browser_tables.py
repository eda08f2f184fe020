"""A table pasted from Word into a page in the CMS, added as a table block, and on the public page.

In a real browser (chromium) on the real database: the editor pastes Word's clipboard HTML into
a section's text, chooses "Add as a table", writes a caption and saves; the saved page, once
published, draws a <table> with the pasted rows and cells, readable at 390 px and with no axe
violations.
"""

import os
import re
import tempfile
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect
from wagtail.models import Revision

from seethesigns.accounts.models import User
from seethesigns.website.models import ContentPage, LoadedContent
from seethesigns.website.tests.test_browser_cms import (  # noqa: F401 (committed is a fixture)
    FIXTURES,
    PASTE,
    cms_sign_in,
    committed,
)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("committed")]
SAVING = 30_000  # ms: the server's answer (a paste, a save) on a busy machine can take a while
SHOTS = os.environ.get("CMS_SCREENSHOTS", tempfile.gettempdir()) + "/"


def body_editor(page: Page) -> Any:
    """The text of the page body's first section (not the introduction above it)."""
    return page.locator("[data-streamfield-child] .Draftail-Editor [contenteditable=true]").first


def cell_texts(page: Page, selector: str) -> list[list[str]]:
    return page.locator(selector).evaluate(
        "t => [...t.rows].map(r => [...r.cells].map(c => c.innerText.trim()))"
    )


def shipped_text_again(target: ContentPage, live: Revision) -> None:
    """The page as load_content left it: its shipped text (`live`) live, and the latest revision."""
    lead = User.objects.get(username="demo-lead")
    revision = live.as_object().save_revision(user=lead)
    revision.publish(user=lead)
    # The same text as loaded: loading again must still see no editor's change.
    LoadedContent.objects.filter(key=f"page:{target.slug}").update(revision_id=revision.pk)


def test_a_pasted_word_table_becomes_a_table_on_the_published_page(page: Page, site_url: str):
    target = ContentPage.objects.get(slug="what-is-cse")
    editor = User.objects.get(username="demo-editor")
    if target.current_workflow_state:
        target.current_workflow_state.cancel(user=editor)
    lead = User.objects.get(username="demo-lead")
    live = target.live_revision
    assert live is not None

    shipped_text_again(target, live)
    try:
        page.set_viewport_size({"width": 1280, "height": 900})
        cms_sign_in(page, site_url, "demo-editor")
        page.goto(site_url + f"/cms/pages/{target.pk}/edit/")
        text = body_editor(page)
        text.click()
        page.keyboard.press("Control+End")
        page.keyboard.press("Enter")  # a new line, as an editor would before pasting
        text.evaluate(PASTE, (FIXTURES / "paste_word_table.html").read_text())

        # Nothing is pasted until the editor chooses; the offer says what the table is.
        offer = page.get_by_role("group", name="What you pasted holds a table")
        expect(offer).to_contain_text(
            "5 rows, 3 columns headed Who, When, How to reach them", timeout=SAVING
        )
        expect(page.get_by_role("button", name="Add as a table")).to_be_focused()
        page.screenshot(path=SHOTS + "cms-paste-table-offer-desktop.png")
        page.get_by_role("button", name="Add as a table").click()

        # The text around the table in the section; the table a block of its own after it.
        expect(text).to_contain_text("Keep this list where you can find it.", timeout=SAVING)
        expect(text).not_to_contain_text("Childline")
        expect(page.locator(".paste-table__status")).to_contain_text("Table added after this part")
        block = (
            page.locator("[data-streamfield-child]")
            .filter(has=page.locator("input[name$='-caption']"))
            .first
        )
        expect(block).to_contain_text("Table")
        headings = block.locator("input[name$='-heading']")
        expect(headings).to_have_count(3)
        assert [headings.nth(i).input_value() for i in range(3)] == [
            "Who",
            "When",
            "How to reach them",
        ]
        expect(block).to_contain_text("after signing up with an e-mail address")
        expect(block).not_to_contain_text("HIDDEN")
        block.get_by_label("Caption").fill("Who to contact, and when")
        block.scroll_into_view_if_needed()
        page.screenshot(path=SHOTS + "cms-paste-table-desktop.png")
        page.set_viewport_size({"width": 390, "height": 844})
        block.scroll_into_view_if_needed()
        page.screenshot(path=SHOTS + "cms-paste-table-phone.png")
        page.set_viewport_size({"width": 1280, "height": 900})
        block.get_by_label("Caption").fill("")
        # Saved without a caption: refused with a message, and the pasted table is still there.
        page.get_by_role("button", name="Save draft").click()
        refused = page.locator(".help-critical", has_text="Give the table a caption")
        expect(refused).to_be_visible(timeout=SAVING)
        expect(block).to_contain_text("after signing up with an e-mail address")
        caption = block.get_by_label("Caption")
        caption.fill("Who to contact, and when")
        expect(caption).to_have_value("Who to contact, and when")
        page.get_by_role("button", name="Save draft").click()
        expect(page.locator(".messages")).to_contain_text("has been updated", timeout=SAVING)

        # The lead's approval is the workflow's (tested there); here the saved draft goes live.
        target.refresh_from_db()
        latest = target.get_latest_revision()
        assert latest is not None and latest.pk != live.pk
        saved = latest.as_object().body
        assert [b.block_type for b in saved][:2] == ["section", "table"]
        latest.publish(user=lead)

        for width, size in ((390, "phone"), (1280, "desktop")):
            page.set_viewport_size({"width": width, "height": 844})
            page.goto(site_url + "/what-is-cse/")
            table = page.get_by_role("table", name="Who to contact, and when")
            expect(table).to_be_visible(timeout=SAVING)
            assert cell_texts(page, "main table") == [
                ["Who", "When", "How to reach them"],
                [
                    "Childline",
                    "Every day, any time",
                    "Phone 0800 1111\nOnline chat\nafter signing up with an e-mail address",
                ],
                ["Local front door", "Weekdays 9 to 5", ""],
                ["If a child is in danger now, call 999.", "", ""],
                ["Stop It Now!", "Weekdays", "0808 1000 900"],
                ["", "Evenings", "Live chat on their site (another website)"],
            ]
            assert page.locator("main table th[scope=col]").count() == 3
            # The table scrolls in its own box: the page never does.
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            box = page.locator("main .table-box")
            box.scroll_into_view_if_needed()
            page.screenshot(path=SHOTS + f"page-table-{size}.png")
            if size == "phone":  # wider than the phone: its box scrolls, by keyboard too
                assert box.evaluate("b => b.scrollWidth > b.clientWidth")
                box.focus()
                page.keyboard.press("ArrowRight")
                page.wait_for_function(
                    "() => document.querySelector('main .table-box').scrollLeft > 0"
                )
            violations = Axe().run(page).response["violations"]
            assert [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations] == []
        assert "HIDDEN" not in page.content()
        assert re.search(r"<caption[^>]*>Who to contact, and when</caption>", page.content())
    finally:
        shipped_text_again(target, live)  # for the other tests


def test_a_pasted_docs_table_can_go_in_as_paragraphs_instead(page: Page, site_url: str):
    target = ContentPage.objects.get(slug="what-is-cse")
    live = target.live_revision
    assert live is not None
    try:
        _paste_as_paragraphs(page, site_url, target)
    finally:
        shipped_text_again(target, live)  # in case the CMS saved a draft while the editor typed


def _paste_as_paragraphs(page: Page, site_url: str, target: ContentPage) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    cms_sign_in(page, site_url, "demo-editor")
    page.goto(site_url + f"/cms/pages/{target.pk}/edit/")
    tables_before = page.locator("input[name$='-caption']").count()
    text = body_editor(page)
    text.click()
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    text.evaluate(PASTE, (FIXTURES / "paste_google_docs_table.html").read_text())
    expect(page.get_by_role("group", name="What you pasted holds a table")).to_contain_text(
        "5 rows, 3 columns headed Who, When, How to reach them", timeout=SAVING
    )
    page.get_by_role("button", name="Paste its cells as paragraphs").click()
    for words in ("Who to contact, and when:", "Childline", "after signing up", "Evenings"):
        expect(text).to_contain_text(words)
    expect(text).to_contain_text("Keep this list where you can find it.")
    expect(page.locator(".paste-table__status")).to_contain_text("pasted as paragraphs")
    assert page.locator("input[name$='-caption']").count() == tables_before  # no table block
    expect(text).not_to_contain_text("plain text that should not be")
