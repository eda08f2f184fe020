"""The CMS's image and document lists, searched with the usage-count filter, and documents."""

import io
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.test import Client
from PIL import Image as PillowImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from conftest import verified_client
from seethesigns.accounts.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client: Any, settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path
    # Editors and leads upload nothing (docs/cms.md); the lists remain for an administrator.
    admin = User.objects.create_superuser("media-admin", "media-admin@example.org", "x" * 20)
    return verified_client(client, admin)


def _png() -> ImageFile:
    out = io.BytesIO()
    PillowImage.new("RGB", (4, 4), "white").save(out, "PNG")
    out.seek(0)
    return ImageFile(out, name="poster.png")


@pytest.fixture
def leaflet() -> Any:
    return get_document_model().objects.create(
        title="Grooming leaflet", file=ContentFile(b"A leaflet.", name="leaflet.txt")
    )


@pytest.fixture
def poster() -> Any:
    return get_image_model().objects.create(title="Grooming poster", file=_png())


@pytest.mark.parametrize("kind", ["documents", "images"])
@pytest.mark.parametrize("listing", ["", "results/"])
def test_a_search_filtered_by_usage_count_lists_what_matches(
    editor_client: Any, leaflet: Any, poster: Any, kind: str, listing: str
):
    response = editor_client.get(f"/cms/{kind}/{listing}?q=grooming&usage_count_max=3")
    assert response.status_code == 200
    title = "Grooming leaflet" if kind == "documents" else "Grooming poster"
    assert title in response.content.decode()


@pytest.mark.parametrize("kind", ["documents", "images"])
def test_a_search_filtered_by_usage_count_leaves_out_what_does_not(
    editor_client: Any, leaflet: Any, poster: Any, kind: str
):
    response = editor_client.get(f"/cms/{kind}/results/?q=grooming&usage_count_min=1")
    assert response.status_code == 200
    assert "Grooming" not in response.content.decode()


@pytest.mark.parametrize("kind", ["documents", "images"])
def test_the_lists_still_need_a_signed_in_editor(client: Any, kind: str):
    response = client.get(f"/cms/{kind}/results/?q=grooming&usage_count_max=3")
    assert response.status_code == 302
    assert response["Location"].startswith("/cms/login/")


def test_the_document_list_links_to_each_document_which_anyone_can_fetch(
    editor_client: Any, leaflet: Any
):
    listing = editor_client.get("/cms/documents/").content.decode()
    assert f'href="/documents/{leaflet.pk}/leaflet.txt"' in listing
    response = Client().get(f"/documents/{leaflet.pk}/leaflet.txt")
    assert response.status_code == 200
    assert response.getvalue() == b"A leaflet."
    assert "Set-Cookie" not in response


# What wapiti's upload module sends: a PNG's first bytes, then PHP (found by make scan).
PHP_IN_A_PNG = b'\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00<?php echo "proof"; ?>\n'


def test_a_file_that_only_starts_like_an_image_is_refused_with_a_message(editor_client: Any):
    upload = ContentFile(PHP_IN_A_PNG, name="poster.png")
    response = editor_client.post("/cms/images/add/", {"title": "Poster", "file": upload})
    assert response.status_code == 200
    assert "not an image or a corrupted image" in response.content.decode()
    assert not get_image_model().objects.filter(title="Poster").exists()


def test_the_multiple_uploader_refuses_it_too(editor_client: Any):
    upload = ContentFile(PHP_IN_A_PNG, name="poster.png")
    response = editor_client.post("/cms/images/multiple/add/", {"files[]": upload})
    assert response.status_code == 200
    assert response.json()["success"] is False
    assert not get_image_model().objects.exists()


def test_a_real_image_still_uploads(editor_client: Any):
    response = editor_client.post("/cms/images/add/", {"title": "Poster", "file": _png()})
    assert response.status_code == 302
    assert get_image_model().objects.get(title="Poster").width == 4
