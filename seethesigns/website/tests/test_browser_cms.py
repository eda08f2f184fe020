"""The CMS as its editors and safeguarding leads use it, in a real browser, on the real database."""

import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connections
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, ViewportSize, expect

from seethesigns.accounts.models import User
from seethesigns.website.demo import DEMO_ACCOUNTS
from seethesigns.website.models import ContentPage, Film, HelpContact, Sign, Source

pytestmark = pytest.mark.browser

PASSWORD = "browser cms passphrase"
SHOTS = os.environ.get("CMS_SCREENSHOTS", tempfile.gettempdir()) + "/"


@pytest.fixture
def committed(django_db_blocker: Any) -> Iterator[None]:
    """Let the test write rows the site's own process can see (they stay, as in a real CMS)."""
    with django_db_blocker.unblock():
        yield
        # The demo accounts' own passwords again, for the tests that sign in with them.
        for username, _name, _group, password in DEMO_ACCOUNTS:
            user = User.objects.get(username=username)
            user.set_password(password)
            user.save(update_fields=["password"])
        connections.close_all()  # or the test database cannot be dropped at the end


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"


def fresh_account(username: str) -> User:
    """The demo account with a known password and no authenticator yet: a first sign-in."""
    user = User.objects.get(username=username)
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    TOTPDevice.objects.filter(user=user).delete()
    return user


def cms_sign_in(page: Page, site_url: str, username: str) -> None:
    """Sign in at /cms/login/ with a second factor already set up."""
    user = fresh_account(username)
    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    page.goto(site_url + "/cms/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Code").fill(code_for(device))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(site_url + "/cms/**")


@pytest.mark.parametrize("username", ["demo-lead", "demo-editor"])
def test_a_first_sign_in_without_a_workspace_role_ends_on_the_cms_dashboard(
    page: Page, site_url: str, committed: None, username: str
):
    user = fresh_account(username)
    assert user.role == ""
    page.goto(site_url + "/pro/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    # The first time: an authenticator app is set up, and the recovery codes shown once.
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    page.get_by_label("Code from the app").fill(code_for(device))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.get_by_role("heading", name="Keep your recovery codes")).to_be_visible()
    for menu in ("Concerns", "Children", "Referrals", "Screening"):
        expect(page.get_by_role("link", name=menu, exact=True)).to_have_count(0)
    page.get_by_role("link", name="I have kept them: continue").click()

    page.wait_for_url(site_url + "/cms/")
    expect(page.get_by_text("no role in the workspace")).to_have_count(0)
    expect(page.get_by_role("heading", level=1)).to_contain_text("SeeTheSigns")
    # The workspace itself sends them back to the CMS: no 403, no workspace menus.
    response = page.goto(site_url + "/pro/children/")
    assert response is not None and response.status == 200
    assert page.url == site_url + "/cms/"
    for menu in ("Concerns", "Children", "Referrals", "People and places"):
        expect(page.get_by_role("link", name=menu, exact=True)).to_have_count(0)


def _previews(site_url: str) -> list[tuple[str, str, str]]:
    """(what, edit address, text the preview shows) for a page and each snippet people see."""
    page = ContentPage.objects.get(slug="what-is-cse")
    contact = HelpContact.objects.get(slug="childline")
    film = Film.objects.filter(live=True).order_by("sort_order").first()
    sign = Sign.objects.get(slug="gifts-money-phones")
    wording = sign.wordings.first()
    assert film is not None and wording is not None
    return [
        ("page", f"/cms/pages/{page.pk}/edit/", page.title),
        ("help contact", f"/cms/snippets/content/helpcontact/edit/{contact.pk}/", contact.name),
        ("film", f"/cms/snippets/content/film/edit/{film.pk}/", film.title),
        ("sign", f"/cms/snippets/content/sign/edit/{sign.pk}/", wording.title),
    ]


SIZES = [("mobile", 375), ("tablet", 768), ("desktop", 1280)]


def test_the_preview_panel_shows_a_page_and_each_snippet_at_each_size(
    page: Page, site_url: str, committed: None
):
    page.set_viewport_size({"width": 1280, "height": 900})
    cms_sign_in(page, site_url, "demo-editor")
    blocked: list[str] = []
    page.on("console", lambda m: blocked.append(m.text) if "frame" in m.text.lower() else None)
    for what, url, text in _previews(site_url):
        page.goto(site_url + url)
        page.get_by_role("button", name="Toggle preview").click()
        iframe = page.locator("#w-preview-iframe")
        for size, width in SIZES:
            page.get_by_label(f"Preview in {size} size").check()
            frame = page.frame_locator("#w-preview-iframe")
            heading = frame.get_by_role("heading", name=text, exact=True).first
            expect(heading).to_be_visible(timeout=15_000)
            content = iframe.element_handle().content_frame()
            assert content is not None
            assert content.evaluate("document.documentElement.clientWidth") == width, (what, size)
            if what == "help contact" and size == "mobile":
                page.screenshot(path=SHOTS + "cms-preview-phone.png")
        page.get_by_role("button", name="Toggle preview").click()
    assert blocked == []


def approve_latest(obj: Any, username: str) -> None:
    """The lead approves what waits, as the dashboard's Approve does."""
    obj.refresh_from_db()
    obj.current_workflow_task_state.approve(user=User.objects.get(username="demo-lead"))


def test_an_earlier_version_is_restored_through_approval(
    page: Page, site_url: str, committed: None, client: Any
):
    contact = HelpContact.objects.get(slug="say-something")
    editor = User.objects.get(username="demo-editor")
    lead = User.objects.get(username="demo-lead")
    if contact.current_workflow_state:  # left by an earlier run of this test
        contact.current_workflow_state.cancel(user=editor)
    before = "Opening hours as first approved (browser test)"
    contact.hours = before
    contact.save_revision(user=editor, log_action=True).publish(user=lead)
    contact.hours = "A change that turned out to be wrong"
    contact.save_revision(user=editor, log_action=True)
    contact.get_workflow().start(contact, editor)
    approve_latest(contact, "demo-lead")
    assert "turned out to be wrong" in client.get("/get-help/").content.decode()

    page.set_viewport_size({"width": 1280, "height": 900})
    cms_sign_in(page, site_url, "demo-editor")
    page.goto(site_url + f"/cms/snippets/content/helpcontact/history/{contact.pk}/")
    earlier = page.locator("tbody tr").filter(has_text="Edited").nth(1)
    earlier.get_by_role("button", name="Actions").click()
    earlier.get_by_role("link", name="Review this version").click()
    expect(page.locator("#id_hours")).to_have_value(before)
    page.screenshot(path=SHOTS + "cms-restore.png")
    page.get_by_role("button", name="Replace current draft").click()
    expect(page.locator("#id_hours")).to_have_value(before)
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Submit to Safeguarding lead approval").click()
    expect(page.get_by_text("submitted for moderation")).to_be_visible()
    # Still waiting: the public page shows the approved version until a lead approves.
    assert "turned out to be wrong" in client.get("/get-help/").content.decode()

    approve_latest(contact, "demo-lead")
    shown = client.get("/get-help/").content.decode()
    assert "turned out to be wrong" not in shown
    assert before in shown


def test_the_lead_sees_exactly_the_one_field_the_editor_changed(
    page: Page, site_url: str, committed: None, browser: Any
):
    cse = ContentPage.objects.get(slug="what-is-cse")
    if cse.current_workflow_state:  # left by an earlier run of this test
        cse.current_workflow_state.cancel(user=User.objects.get(username="demo-editor"))
    page.set_viewport_size({"width": 1280, "height": 900})
    cms_sign_in(page, site_url, "demo-editor")
    # The editor's form resaves every rich text field and block in Draftail's own markup.
    page.goto(site_url + f"/cms/pages/{cse.pk}/edit/")
    page.locator("#id_title").fill("What is child sexual exploitation? (a one-field change)")
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Submit to Safeguarding lead approval").click()
    expect(page.get_by_text("submitted for moderation")).to_be_visible()

    lead = browser.new_page(viewport={"width": 1280, "height": 900})
    cms_sign_in(lead, site_url, "demo-lead")
    lead.goto(site_url + "/cms/")
    expect(lead.get_by_role("heading", level=1)).to_contain_text("SeeTheSigns")
    expect(lead.get_by_text("Awaiting your review")).to_be_visible()
    lead.screenshot(path=SHOTS + "cms-dashboard-lead.png", full_page=True)
    lead.goto(site_url + f"/cms/pages/{cse.pk}/revisions/compare/live...latest/")
    rows = lead.locator("table.listing tbody > tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Title")
    expect(rows.first).to_contain_text("a one-field change")
    lead.screenshot(path=SHOTS + "cms-compare.png", full_page=True)
    lead.close()


def test_a_new_phone_number_shows_with_its_new_checked_date(
    page: Page, site_url: str, committed: None
):
    contact = HelpContact.objects.get(slug="childline")
    if contact.current_workflow_state:
        contact.current_workflow_state.cancel(user=User.objects.get(username="demo-editor"))
    page.set_viewport_size({"width": 1280, "height": 900})
    cms_sign_in(page, site_url, "demo-editor")
    page.goto(site_url + f"/cms/snippets/content/helpcontact/edit/{contact.pk}/")
    page.locator("#id_phone").fill("0800 1111 (a one-field change)")
    page.get_by_role("button", name="Save draft").click()
    page.goto(
        site_url
        + f"/cms/snippets/content/helpcontact/history/{contact.pk}/revisions/compare/live...latest/"
    )
    # The phone number the editor changed, and the date that followed it: nothing else.
    labels = page.locator("table.listing tbody > tr .title-wrapper").all_inner_texts()
    assert labels == ["Phone number:", "Details last checked on:"]


FIXTURES = Path(__file__).parent / "fixtures"
PASTE = """(editor, html) => {
    const data = new DataTransfer();
    data.setData("text/html", html);
    data.setData("text/plain", "plain text that should not be what is pasted");
    editor.focus();
    const init = {clipboardData: data, bubbles: true, cancelable: true};
    editor.dispatchEvent(new ClipboardEvent("paste", init));
}"""


@pytest.mark.parametrize(
    ("fixture", "must_read"),
    [
        (
            "word",
            [
                "<ul><li>New phones or clothes they cannot explain</li><li>Going missing from "
                "home or school<ul><li>Even for one night</li></ul></li>",
                "<ol><li>Write down what you saw</li>",
                "<p>A paragraph in the List Paragraph style with no bullet stays a paragraph.</p>",
                "<p><b>Service</b></p><p><b>When it is open</b></p><p>Childline</p>"
                "<p>Every day, any time</p>",
            ],
        ),
        (
            "google_docs",
            [
                "<p>Someone who grooms a child often starts by being <b>kind</b> and "
                "<i>generous</i>.",
                "<ul><li>Secret messages on a new app</li>",
                "<ol><li>Keep the messages</li><li>Tell an adult you trust</li></ol>",
                "<p><b>Who</b></p><p><b>Number</b></p><p>Samaritans</p><p>116 123</p>",
            ],
        ),
    ],
)
def test_pasting_from_word_or_docs_keeps_lists_and_cells_and_drops_hidden_text(
    page: Page, site_url: str, committed: None, fixture: str, must_read: list[str]
):
    contact = HelpContact.objects.get(slug="stop-it-now")
    editor = User.objects.get(username="demo-editor")
    if contact.current_workflow_state:
        contact.current_workflow_state.cancel(user=editor)
    page.set_viewport_size({"width": 1280, "height": 900})
    cms_sign_in(page, site_url, "demo-editor")
    page.goto(site_url + f"/cms/snippets/content/helpcontact/edit/{contact.pk}/")
    text = page.locator(".Draftail-Editor [contenteditable=true]").first
    text.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    html = (FIXTURES / f"paste_{fixture}.html").read_text()
    text.evaluate(PASTE, html)
    expect(text).to_contain_text("Tell")  # in both: pasted once the server has cleaned it
    expect(text).not_to_contain_text("HIDDEN")
    expect(text).not_to_contain_text("plain text that should not be")
    # The editor writes its text into the form a moment after a change: saved once it has.
    expect(page.locator("#id_how")).to_have_value(re.compile("Tell"))
    page.screenshot(path=SHOTS + f"cms-paste-{fixture}-desktop.png")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".messages")).to_contain_text("updated")

    contact.refresh_from_db()
    saved = re.sub(r' data-block-key="\w+"', "", contact.get_latest_revision_as_object().how)
    for part in must_read:
        assert part in saved, saved
    assert "HIDDEN" not in saved and "·" not in saved
    contact = HelpContact.objects.get(pk=contact.pk)
    contact.save_revision(user=editor)  # the live text again, for the next run


def test_sources_are_found_by_typing_part_of_their_name(page: Page, site_url: str, committed: None):
    film = Film.objects.filter(live=True).order_by("sort_order").last()
    assert film is not None
    editor = User.objects.get(username="demo-editor")
    if film.current_workflow_state:
        film.current_workflow_state.cancel(user=editor)
    wanted = Source.objects.filter(organisation="Thames Valley Police").first()
    assert wanted is not None and Source.objects.count() >= 100
    page.set_viewport_size({"width": 1280, "height": 900})
    cms_sign_in(page, site_url, "demo-editor")
    page.goto(site_url + f"/cms/snippets/content/film/edit/{film.pk}/")
    choices = page.locator("#id_sources label")
    ticked = film.sources.count()

    page.get_by_label("Search the sources").fill("thames valley")
    expect(page.get_by_text("sources shown")).to_be_visible()
    shown = [t for t in choices.all() if t.is_visible()]
    assert 1 <= len(shown) <= 2 + ticked
    for label in shown:
        text = label.inner_text()
        assert "Thames Valley" in text or label.locator("input").is_checked()
    page.get_by_label(str(wanted)).check()
    page.get_by_label("Search the sources").fill("")
    assert len([t for t in choices.all() if t.is_visible()]) == Source.objects.count()
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".messages")).to_contain_text("updated")
    film.refresh_from_db()
    draft = film.get_latest_revision_as_object()
    assert wanted in draft.sources.all()
    film = Film.objects.get(pk=film.pk)
    film.save_revision(user=editor)  # the live version again, for the next run


SCREEN_SIZES: dict[str, ViewportSize] = {
    "phone": {"width": 390, "height": 844},
    "desktop": {"width": 1280, "height": 800},
}


def test_the_editor_and_lead_screens_at_phone_and_desktop_width(
    page: Page, site_url: str, committed: None, browser: Any
):
    """The preview at phone size, the comparison and the lead's dashboard, as screenshots."""
    contact = HelpContact.objects.get(slug="nspcc-helpline")
    editor = User.objects.get(username="demo-editor")
    if contact.current_workflow_state:
        contact.current_workflow_state.cancel(user=editor)
    note = "The helpline's hours changed on Monday: I checked them on their site."
    page.set_viewport_size(SCREEN_SIZES["desktop"])
    cms_sign_in(page, site_url, "demo-editor")
    edit_url = site_url + f"/cms/snippets/content/helpcontact/edit/{contact.pk}/"
    page.goto(edit_url)
    page.locator("#id_hours").fill("Monday to Friday, 10am to 8pm (a one-field change)")
    page.locator("#id_note_for_lead").fill(note)
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Submit to Safeguarding lead approval").click()
    expect(page.get_by_text("submitted for moderation")).to_be_visible()

    lead = browser.new_page()
    cms_sign_in(lead, site_url, "demo-lead")
    for size, viewport in SCREEN_SIZES.items():
        page.set_viewport_size(viewport)
        page.goto(edit_url)
        page.get_by_role("button", name="Toggle preview").click()
        page.get_by_label("Preview in mobile size").check()
        frame = page.frame_locator("#w-preview-iframe")
        expect(frame.get_by_role("heading", name=contact.name).first).to_be_visible()
        page.screenshot(path=SHOTS + f"cms-preview-at-phone-size-{size}.png")
        page.get_by_role("button", name="Toggle preview").click()  # closed again, as it opened

        lead.set_viewport_size(viewport)
        lead.goto(site_url + "/cms/")
        expect(lead.locator("#awaiting-review-section")).to_contain_text(f"“{note}”")
        lead.screenshot(path=SHOTS + f"cms-dashboard-lead-{size}.png", full_page=True)
        lead.goto(edit_url.replace("/edit/", "/history/") + "revisions/compare/live...latest/")
        expect(lead.locator("table.listing")).to_contain_text("a one-field change")
        # The hours, and the "last checked" date that follows a change of details.
        labels = lead.locator("table.listing tbody > tr .title-wrapper").all_inner_texts()
        assert labels == ["Opening hours:", "Details last checked on:"]
        lead.screenshot(path=SHOTS + f"cms-compare-{size}.png", full_page=True)
    lead.close()
    contact.refresh_from_db()
    contact.current_workflow_state.cancel(user=editor)  # nothing left waiting for a next run
