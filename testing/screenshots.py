"""Save every public page at phone and desktop width: `make screenshots`.

Builds a fresh SQLite database with the shipped content and demo configuration, serves it, and
writes docs/screenshots/<page>-phone.png (390x844) and -desktop.png (1280x800).
"""

import base64
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from PIL import Image
from playwright.sync_api import Page, sync_playwright

from testing.liveserver import BASE_DIR, CHROMIUM_ARGS, PUBLIC_PATHS, chromium_path, serve

SIZES = {"phone": (390, 844), "desktop": (1280, 800)}


def name_for(path: str) -> str:
    name = path.strip("/").replace("/", "-").replace("?q=", "-results-") or "home"
    return name


def shrink(png: Path) -> None:
    """Store the screenshot with a 256-colour palette: the same to the eye, far fewer bytes."""
    with Image.open(png) as image:
        small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    small.save(png, optimize=True)


def journeys(page: Page, url: str) -> Iterator[str]:
    """Walk to the moments a person sees mid-way: a story step, spotting signs, a result."""
    page.goto(url + "/stories/jay/meeting/", wait_until="networkidle")
    yield "story-jay-step"
    page.goto(url + "/stories/jay/spot-gifts/", wait_until="networkidle")
    yield "story-jay-spot-the-signs"
    page.locator("input[name=picked]").first.check()
    page.get_by_role("button", name="Check what I picked").click()
    page.wait_for_selector(".feedback")
    yield "story-jay-spot-feedback"
    page.goto(url + "/stories/a-teacher/secret/", wait_until="networkidle")
    yield "story-a-teacher-step"
    page.goto(url + "/stories/a-teacher/ending-kept-quiet/", wait_until="networkidle")
    yield "story-a-teacher-ending"
    page.goto(url + "/self-check/me/", wait_until="networkidle")
    page.locator("#me-danger-now-yes").check()
    yield "self-check-danger-step"
    page.goto(url + "/tell-someone/", wait_until="networkidle")
    page.get_by_label("Someone is in danger right now").check()
    yield "tell-someone-danger-step"
    page.goto(url + "/self-check/friend/", wait_until="networkidle")
    answers = ["no", "yes", "no", "not_sure", "yes"]
    total = page.evaluate(
        "JSON.parse(document.getElementById('selfcheck-data').textContent).questions.length"
    )
    for i in range(total):
        page.locator("[data-question]:not([hidden])").get_by_label(
            answers[i % len(answers)].replace("_", " ").capitalize(), exact=True
        ).check()
        page.get_by_role("button", name="Continue").click()
    page.wait_for_selector("[data-level]")
    yield "self-check-friend-result"
    page.goto(url + "/tell-someone/", wait_until="networkidle")
    page.get_by_role("button", name="Send").click()
    yield "tell-someone-errors"
    page.get_by_label("A friend", exact=True).check()
    page.get_by_label("What is worrying you?").fill(
        "My friend keeps getting lifts from an older man and has a new phone she won't explain."
    )
    page.get_by_label("I'm not sure").check()
    page.get_by_role("button", name="Send").click()
    page.wait_for_selector("[data-reference]")
    yield "tell-someone-sent"


REFERRAL_PDF = Path(tempfile.gettempdir()) / "seethesigns-referral.pdf"
CERTIFICATE_PDF = Path(tempfile.gettempdir()) / "seethesigns-certificate.pdf"
MEETING_PDF = Path(tempfile.gettempdir()) / "seethesigns-meeting.pdf"

# Demo accounts given a known authenticator key, so the screenshots can sign in.
DEMO_KEY = "3132333435363738393031323334353637383930"
WORKSPACE = {
    "demo-frontdoor": ("frontdoor-demo-password", ["/pro/", "/pro/concerns/", "concern"]),
    "demo-admin": ("admin-demo-password", ["/pro/users/", "/pro/users/invite/"]),
    "demo-dpo": ("dpo-demo-password", ["/pro/audit/"]),
    "demo-dsl": (
        "dsl-demo-password",
        [
            "dsl-home",
            "/pro/screening/",
            "screening-result",
            "child",
            "/pro/training/",
            "training-passed",
        ],
    ),
    "demo-coordinator": (
        "coordinator-demo-password",
        ["leah", "/pro/network/", "meeting", "/pro/profile/", "/pro/profile/data-quality/"],
    ),
    "demo-analyst": ("analyst-demo-password", ["sighting"]),
}


def workspace_journeys(page: Page, url: str, offset: int) -> Iterator[str]:
    """Sign in as a new professional and as the demo roles; yield each workspace page."""
    page.goto(url + "/pro/sign-in/", wait_until="networkidle")
    yield "pro-sign-in"
    page.get_by_label("Username").fill("demo-practitioner")
    page.get_by_label("Password").fill("practitioner-demo-password")
    page.get_by_role("button", name="Continue").click()
    if page.locator("[data-secret]").count():
        yield "pro-two-factor-set-up"
        secret = page.locator("[data-secret]").inner_text().replace(" ", "")
        page.get_by_label("Code from the app").fill(
            _code(base64.b32decode(secret + "=" * (-len(secret) % 8)), offset)
        )
        page.get_by_role("button", name="Turn on two-factor sign-in").click()
        yield "pro-recovery-codes"
        yield from practitioner_screens(page, url)
    page.context.clear_cookies()
    for username, (password, paths) in WORKSPACE.items():
        page.goto(url + "/pro/sign-in/", wait_until="networkidle")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Continue").click()
        if username == "demo-frontdoor":
            yield "pro-two-factor"
        page.get_by_label("Code").fill(_code(bytes.fromhex(DEMO_KEY), offset))
        page.get_by_role("button", name="Sign in").click()
        for path in paths:
            if path == "screening-result":
                for code, evidence in [
                    ("going-missing", "Missing two nights last week (police report)."),
                    ("injuries-unexplained", "Bruises on her arms, seen by the school nurse."),
                ]:
                    box = page.locator(f"#ind-{code}")
                    box.get_by_label("Present", exact=True).check()
                    box.get_by_label("Evidence: what was seen or said, by whom and when").fill(
                        evidence
                    )
                page.get_by_label("How old is the child?").fill("13")
                page.get_by_role("button", name="Suggest a level").click()
                page.wait_for_selector("[data-level]")
                yield "pro-screening-result"
                continue
            if path == "dsl-home":
                page.goto(url + "/pro/", wait_until="networkidle")
                yield "pro-dsl-home"
                tasks = page.locator("[data-dsl-tasks] a")
                if tasks.count():
                    tasks.first.click()
                    yield "pro-dsl-task"
                continue
            if path == "training-passed":
                page.goto(url + "/pro/training/language/", wait_until="networkidle")
                yield "pro-training-module"
                for answer in [
                    "Adults are giving her alcohol",
                    "She was taken to a flat",
                    "No: say a child who is being sexually exploited",
                ]:
                    page.get_by_label(answer).check()
                page.get_by_role("button", name="Check my answers").click()
                page.wait_for_selector("[data-score]")
                yield "pro-training-passed"
                link = page.get_by_role("link", name="Download your certificate (PDF)")
                pdf = page.request.get(url + str(link.get_attribute("href")))
                CERTIFICATE_PDF.write_bytes(pdf.body())
                continue
            if path == "child":
                page.goto(url + "/pro/children/", wait_until="networkidle")
                page.get_by_role("link", name="Mia Example").click()
                page.wait_for_selector("svg[role=img]")
                yield "pro-child"
                page.get_by_role("link", name=re.compile(r"^Referral \d+")).first.click()
                page.wait_for_selector("[data-status]")
                yield "pro-referral"
                pdf = page.request.get(page.url + "pdf/")
                REFERRAL_PDF.write_bytes(pdf.body())
                continue
            if path == "leah":
                page.goto(url + "/pro/children/", wait_until="networkidle")
                page.get_by_role("link", name="Leah Sample").click()
                yield "pro-child-records"
                page.get_by_role("link", name="Add to the chronology").click()
                yield "pro-chronology"
                continue
            if path == "meeting":
                page.goto(url + "/pro/meetings/", wait_until="networkidle")
                page.get_by_role("link", name="Open its pack").click()
                yield "pro-meeting"
                pdf = page.request.get(page.url + "pdf/")
                MEETING_PDF.write_bytes(pdf.body())
                continue
            if path == "sighting":
                page.goto(url + "/pro/records/sightings/new/", wait_until="networkidle")
                page.get_by_label("Where? (the place's name or address)").fill(
                    "Riverside Hotel, Mill Lane"
                )
                page.get_by_label("Who or what was seen").fill("A girl of about 14 with two men.")
                page.get_by_label("Who told you, or where is it from?").select_option("public")
                page.get_by_role("button", name="Check and record the sighting").click()
                page.wait_for_selector("[data-sighting-offers]")
                yield "pro-sighting-offers"
                continue
            if path == "concern":
                page.goto(url + "/pro/concerns/", wait_until="networkidle")
                page.locator("[data-overdue] a").first.click()
                yield "pro-concern"
            else:
                page.goto(url + path, wait_until="networkidle")
                yield name_for(path)
        page.context.clear_cookies()


def practitioner_screens(page: Page, url: str) -> Iterator[str]:
    """A teacher screens a child who trades sex for cannabis, and tells their DSL."""
    page.goto(url + "/pro/screening/", wait_until="networkidle")
    page.get_by_label("How old is the child?").fill("15")
    box = page.locator("#ind-exchange-for-things")
    box.get_by_label("Present", exact=True).check()
    box.get_by_label("Evidence: what was seen or said, by whom and when").fill(
        "Her friend told me today that she gets cannabis from older men for it."
    )
    page.get_by_role("button", name="Suggest a level").click()
    page.wait_for_selector("[data-action]")
    yield "pro-screening-practitioner-result"
    page.get_by_label("What your DSL needs to know").fill("Year 10, form 10C. I am in room 4.")
    page.locator("[data-send-to-dsl]").click()
    page.wait_for_selector("[data-sent]")
    yield "pro-dsl-task-sent"
    page.goto(url + "/pro/screening/", wait_until="networkidle")
    page.get_by_label("How old is the child?").fill("14")
    page.get_by_role("button", name="Suggest a level").click()
    page.wait_for_selector("[data-action]")
    yield "pro-screening-nothing-known"


def _code(key: bytes, offset: int) -> str:
    from django_otp.oath import totp

    return f"{totp(key, drift=offset):06d}"


def main(out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp}/screens.sqlite3"}
        give_key = (
            "from django_otp.plugins.otp_totp.models import TOTPDevice as D; "
            "from seethesigns.accounts.models import User as U; "
            f"[D.objects.create(user=U.objects.get(username=n), key='{DEMO_KEY}', confirmed=True,"
            f" name='Authenticator app') for n in {list(WORKSPACE)!r}]"
        )
        for command in (
            ["migrate", "-v", "0"],
            ["load_content"],
            ["load_demo"],
            ["shell", "-c", give_key],
        ):
            subprocess.run(  # noqa: S603  (our own fixed commands)  # nosec B603
                [sys.executable, "manage.py", *command],
                cwd=BASE_DIR,
                env=env,
                check=True,
                stdout=subprocess.DEVNULL,
            )
        with serve({"DATABASE_URL": env["DATABASE_URL"]}) as url, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
            # SCREENSHOTS=workspace takes the workspace's pages only (a few minutes, not fifteen).
            public = os.environ.get("SCREENSHOTS") != "workspace"
            for size_name, (width, height) in SIZES.items() if public else []:
                page = browser.new_page(viewport={"width": width, "height": height})
                for path in PUBLIC_PATHS:
                    page.goto(url + path, wait_until="networkidle")
                    target = out_dir / f"{name_for(path)}-{size_name}.png"
                    page.screenshot(path=str(target), full_page=True)
                    shrink(target)
                    print(target)
                page.close()
            page = browser.new_page(viewport={"width": 390, "height": 844})
            for name in journeys(page, url) if public else []:
                target = out_dir / f"{name}-phone.png"
                page.screenshot(path=str(target), full_page=True)
                shrink(target)
                print(target)
            page.close()
            for offset, (size_name, (width, height)) in enumerate(SIZES.items()):
                page = browser.new_page(viewport={"width": width, "height": height})
                for name in workspace_journeys(page, url, offset):
                    target = out_dir / f"{name}-{size_name}.png"
                    page.screenshot(path=str(target), full_page=True)
                    shrink(target)
                    print(target)
                page.close()
            browser.close()
    pdf_pages(REFERRAL_PDF, out_dir / "referral-pdf")
    pdf_pages(CERTIFICATE_PDF, out_dir / "certificate-pdf")
    pdf_pages(MEETING_PDF, out_dir / "meeting-pdf")


def pdf_pages(pdf: Path, prefix: Path) -> None:
    """Render each page of a PDF to PNG (poppler's pdftoppm) so it can be looked at."""
    subprocess.run(  # noqa: S603  (our own fixed command)  # nosec B603
        ["/usr/bin/pdftoppm", "-png", "-r", "80", str(pdf), str(prefix)], check=True
    )
    for png in sorted(prefix.parent.glob(prefix.name + "-*.png")):
        shrink(png)
        print(png)


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "seethesigns.settings")
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots"))
