"""Only real contacts are public: shipped placeholders stay hidden until an editor confirms them;
a demo install says so on every page; the deploy check and the production start warn."""

import importlib.util
import re
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from seethesigns.selfcheck.data import load
from seethesigns.stories.models import StoryPage
from seethesigns.website.checks import check_placeholder_contacts
from seethesigns.website.models import HelpContact
from testing.liveserver import PUBLIC_PATHS

pytestmark = pytest.mark.django_db


def _every_public_page(client: Client) -> dict[str, str]:
    """Every page a member of the public can reach, with every self-check level and story step."""
    pages = {path: client.get(path).content.decode() for path in PUBLIC_PATHS}
    for path_id, path in load().paths.items():
        for answer in ("yes", "no", "not_sure", "skip"):
            data = {f"a-{q.id}": answer for q in path.questions}
            pages[f"/self-check/{path_id}/ {answer}"] = client.post(
                f"/self-check/{path_id}/", data
            ).content.decode()
        # Yes to one ordinary question only: the "some" level and its help list.
        data = {f"a-{path.questions[1].id}": "yes"}
        pages[f"/self-check/{path_id}/ one"] = client.post(
            f"/self-check/{path_id}/", data
        ).content.decode()
    for story in StoryPage.objects.live():
        for scene in story.scenes:
            url = f"{story.url}{scene.value['scene_id']}/"
            pages[url] = client.get(url).content.decode()
    search = client.post("/search/", {"q": "northbridge"}).content.decode()
    pages["/search/ northbridge"] = search
    return pages


def _placeholder_marks() -> list[str]:
    marks = ["Editors: replace", "Demo entry", "The number is not real"]
    for contact in HelpContact.objects.filter(placeholder=True):
        marks += [contact.name, f'id="contact-{contact.slug}"']
        if contact.phone:
            marks.append(contact.phone)
    return marks


def test_the_demo_contacts_are_loaded_as_placeholders():
    demo = HelpContact.objects.filter(slug__startswith="northbridge-")
    assert demo.count() == 4
    assert all(c.placeholder and c.live for c in demo)
    assert not HelpContact.objects.filter(placeholder=True).exclude(slug__startswith="northbridge-")


def test_no_unconfirmed_placeholder_on_any_public_page_and_the_demo_banner_on_each(
    client: Client,
):
    marks = _placeholder_marks()
    assert len(marks) > 8
    pages = _every_public_page(client)
    assert len(pages) > 60
    for where, html in pages.items():
        text = BeautifulSoup(html, "html.parser")
        for mark in marks:
            assert mark not in html, f"{mark!r} on {where}"
        banner = text.select_one("[data-demo-banner]")
        assert banner is not None, f"no demo banner on {where}"
        assert "This is a demo site." in banner.get_text()


def test_a_confirmed_contact_is_shown(client: Client):
    contact = HelpContact.objects.get(slug="northbridge-front-door")
    assert contact.name not in client.get("/get-help/").content.decode()
    contact.name = "Eastshire Children's Services front door"
    contact.placeholder = False
    contact.save()
    html = client.get("/get-help/").content.decode()
    assert "Eastshire Children&#x27;s Services front door" in html
    result = client.post("/self-check/child/", {"a-child-danger-now": "yes"}).content.decode()
    assert 'id="contact-northbridge-front-door"' in result


def test_without_demo_accounts_there_is_no_banner(client: Client):
    from seethesigns.accounts.models import User

    User.objects.filter(is_demo=True).update(is_demo=False)
    assert "data-demo-banner" not in client.get("/").content.decode()


def test_the_deploy_check_warns_while_a_placeholder_is_unconfirmed():
    (warning,) = check_placeholder_contacts()
    assert warning.id == "seethesigns.W010"
    assert "Northbridge Police (demo)" in warning.msg
    HelpContact.objects.filter(placeholder=True).update(placeholder=False)
    assert check_placeholder_contacts() == []


def test_check_deploy_reports_it():
    from django.core.management.base import SystemCheckError

    with pytest.raises(SystemCheckError, match=r"seethesigns\.W010.*Northbridge Police"):
        call_command("check", "--deploy", "--fail-level", "WARNING")


def test_the_production_start_logs_the_warning():
    spec = importlib.util.spec_from_file_location(
        "gunicorn_conf", Path(settings.BASE_DIR) / "gunicorn.conf.py"
    )
    assert spec and spec.loader
    conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conf)
    logged: list[str] = []

    class Log:
        def warning(self, message: str, *args: Any) -> None:
            logged.append(message % args)

    class Server:
        log = Log()

    conf.when_ready(Server())
    assert len(logged) == 1 and re.search(r"placeholders.*Northbridge.*W010", logged[0])
