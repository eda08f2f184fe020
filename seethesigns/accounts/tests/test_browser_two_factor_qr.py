"""The QR code on the two-factor set-up page is whole: a phone can scan it, at phone and desktop
width. Decoded from a screenshot with zbar, as a phone's camera would."""

import shutil
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connections
from playwright.sync_api import Page, expect

from seethesigns.accounts.models import Role, Team, User

pytestmark = pytest.mark.browser
PASSWORD = "a-long-test-password-for-the-qr"


@pytest.fixture
def new_professional(django_db_blocker: Any) -> Iterator[str]:
    """Someone invited who has a password and no second factor yet."""
    with django_db_blocker.unblock():
        user = User.objects.create_user(
            f"browser-new-starter-{uuid.uuid4().hex[:8]}",
            password=PASSWORD,
            role=Role.PRACTITIONER,
            team=Team.objects.get(name="Safeguarding"),
            first_name="New",
        )
    yield user.username
    with django_db_blocker.unblock():
        from django_otp.plugins.otp_totp.models import TOTPDevice

        TOTPDevice.objects.filter(user=user).delete()
        # The audit names them (accounts.start_two_factor), so the account stays, switched off.
        User.objects.filter(pk=user.pk).update(is_active=False)
        connections.close_all()


@pytest.mark.parametrize("width", [390, 1280])
def test_the_qr_code_decodes_to_the_key_typed_beside_it(
    page: Page, site_url: str, new_professional: str, width: int, tmp_path: Path
):
    zbarimg = shutil.which("zbarimg")
    if zbarimg is None:
        pytest.skip("zbarimg is not installed: `make test` installs zbar-tools as root.")
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(site_url + "/pro/sign-in/")
    page.get_by_label("Username").fill(new_professional)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Set up two-factor sign-in")).to_be_visible()
    code = page.locator(".qr svg")
    box = code.bounding_box()
    assert box is not None and box["width"] >= 180 and abs(box["width"] - box["height"]) < 1
    assert box["x"] >= 0 and box["x"] + box["width"] <= width  # all of it on the screen
    shot = tmp_path / f"set-up-{width}.png"
    page.screenshot(path=str(shot), full_page=True)
    decoded = subprocess.run(  # noqa: S603 (a fixed program on our own screenshot)
        [zbarimg, "-q", "--raw", str(shot)], capture_output=True, text=True, check=False
    )
    assert decoded.returncode == 0, "no QR code could be read from the page"
    url = decoded.stdout.strip()
    assert url.startswith("otpauth://totp/")
    secret = parse_qs(urlsplit(url).query)["secret"][0]
    typed = page.locator("[data-secret]").inner_text().replace(" ", "")
    assert secret.rstrip("=") == typed
