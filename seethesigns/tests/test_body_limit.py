"""A body too big is refused by the app itself (no nginx in front): a clear 413, nothing kept."""

import http.client
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.db import connections

from seethesigns.concerns.models import Concern

pytestmark = pytest.mark.django_db

BOUNDARY = "----seethesigns-test"
MB = 1_048_576


def multipart_head() -> bytes:
    return (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="reporter_kind"\r\n\r\npublic\r\n'
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="what"\r\n\r\n'
        "Body limit test: a worry with a huge file.\r\n"
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="photo"; filename="big.jpg"'
        "\r\nContent-Type: image/jpeg\r\n\r\n"
    ).encode()


def send_file_part(url: str, size: int) -> tuple[int, str, float]:
    """POST a form with a file part of `size` bytes to /tell-someone/, as a browser would."""
    head, tail = multipart_head(), f"\r\n--{BOUNDARY}--\r\n".encode()
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(str(parts.hostname), parts.port, timeout=60)
    started = time.monotonic()
    connection.putrequest("POST", "/tell-someone/")
    connection.putheader("Content-Type", f"multipart/form-data; boundary={BOUNDARY}")
    connection.putheader("Content-Length", str(len(head) + size + len(tail)))
    connection.endheaders()
    try:
        connection.send(head)
        block = b"\xff" * MB
        for _ in range(size // MB):
            connection.send(block)
        connection.send(tail)
    except (BrokenPipeError, ConnectionResetError):
        pass  # the server answered and closed before taking it all: the answer is still there
    response = connection.getresponse()
    body = response.read().decode()
    connection.close()
    return response.status, body, time.monotonic() - started


def uploads_in_temp() -> set[Path]:
    return set(Path(tempfile.gettempdir()).glob("*.upload*"))


def test_a_60_mb_file_part_gets_413_from_gunicorn_alone(site_url: str, django_db_blocker: Any):
    with django_db_blocker.unblock():
        before = Concern.objects.count()
    temp_before = uploads_in_temp()
    status, body, seconds = send_file_part(site_url, 60 * MB)
    assert status == 413
    assert "Sorry, what you sent was too big" in body
    assert "We can take up to 4 MB at a time" in body
    assert "none of it was kept" in body
    assert seconds < 20
    with django_db_blocker.unblock():
        assert Concern.objects.count() == before
        connections.close_all()
    assert uploads_in_temp() <= temp_before  # no temporary file left behind


def test_the_same_form_under_the_limit_is_read(client):
    # Below the limit the request reaches the form (which has no file field and ignores it).
    head = multipart_head() + b"\xff" * 1000 + f"\r\n--{BOUNDARY}--\r\n".encode()
    response = client.generic(
        "POST",
        "/tell-someone/",
        head,
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
    )
    assert response.status_code in (200, 400)  # the form's own answer (the CSRF-free form)
    assert response.status_code != 413


def test_a_big_body_is_refused_before_it_is_read(client, settings):
    settings.MAX_REQUEST_BODY = 1000
    before = Concern.objects.count()
    response = client.post("/tell-someone/", {"what": "x" * 2000})
    assert response.status_code == 413
    assert response["Connection"] == "close"
    assert "none of it was kept" in response.content.decode()
    assert Concern.objects.count() == before
