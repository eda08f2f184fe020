import pytest
from django.core.management import CommandError, call_command

from seethesigns.website.loading import Loader
from seethesigns.website.models import ContentPage, HelpContact, LoadedContent, Sign

pytestmark = pytest.mark.django_db


def test_loading_again_changes_nothing():
    report = Loader().load_all()
    assert report.created == []
    assert report.updated == []
    assert report.kept == []
    assert len(report.unchanged) == LoadedContent.objects.count() - len(_demo_keys())


def _demo_keys() -> list[str]:
    import yaml

    from seethesigns.website.loading import CONTENT_DIR

    entries = yaml.safe_load((CONTENT_DIR / "demo" / "local.yaml").read_text())
    return [f"help:{e['slug']}" for e in entries]


def test_it_keeps_an_editors_change(client):
    page = ContentPage.objects.get(slug="tell-someone")
    page.title = "Tell us: an editor's title"
    page.save_revision().publish()

    report = Loader().load_all()

    assert "page:tell-someone" in report.kept
    page.refresh_from_db()
    assert page.title == "Tell us: an editor's title"
    assert "an editor&#x27;s title" in client.get("/tell-someone/").content.decode()


def test_it_keeps_an_editors_unpublished_draft_too():
    contact = HelpContact.objects.get(slug="childline")
    contact.hours = "A draft an editor is working on"
    contact.save_revision()

    report = Loader().load_all()

    assert "help:childline" in report.kept
    assert HelpContact.objects.get(slug="childline").latest_revision.content["hours"] == (
        "A draft an editor is working on"
    )


def test_overwrite_replaces_an_editors_change():
    sign = Sign.objects.get(slug="going-missing")
    sign.kind = "vulnerability"
    sign.save_revision().publish()

    report = Loader(overwrite=True).load_all()

    assert "sign:going-missing" in report.updated
    assert Sign.objects.get(slug="going-missing").kind == "sign"


def test_the_command_reports_what_it_kept(capsys):
    page = ContentPage.objects.get(slug="cover-your-tracks")
    page.save_revision().publish()
    call_command("load_content")
    assert "kept (changed by an editor" in capsys.readouterr().out


def test_it_names_the_file_and_entry_of_a_bad_source(tmp_path, settings):
    (tmp_path / "sources.yaml").write_text(
        "- {id: a, organisation: O, title: T, year: 2020, url: https://example.org/}\n"
    )
    (tmp_path / "signs.yaml").write_text(
        "- id: s\n  kind: sign\n  sources: [missing]\n  wording: {me: {title: T, explanation: E}}\n"
    )
    with pytest.raises(Exception, match=r"signs.yaml s: unknown source 'missing'"):
        Loader(content_dir=tmp_path).load_all()


def test_the_command_turns_content_errors_into_a_clear_message(tmp_path):
    (tmp_path / "sources.yaml").write_text("- : [")
    with pytest.raises(CommandError, match=r"sources\.yaml"):
        call_command("load_content", content_dir=str(tmp_path))
