"""What the hub cannot attribute to a registered partnership is refused with 401, and not stored."""

import base64
import json
import time

import pytest
from django.test import Client

from linkagehub.models import AlertEvent, BlockKey, Encoding, Match, SeenNonce
from linkagehub.tests.encodings import item
from pprl import signing
from pprl.signing import NONCE, PARTNERSHIP, SIGNATURE, TIMESTAMP, generate_keypair, signed_headers

BODY = json.dumps({"encodings": [item("vehicle", {"value": "AB12 CDE"})]}).encode()


def nothing_stored():
    for model in (Encoding, BlockKey, Match, AlertEvent, SeenNonce):
        assert not model.objects.exists(), model.__name__


def post(headers, body=BODY, path="/v1/encodings"):
    return Client().generic(
        "POST", path, data=body, content_type="application/json", headers=headers
    )


@pytest.mark.parametrize("path", ["/v1/encodings", "/v1/withdraw", "/v1/alerts", "/v1/me"])
def test_an_unsigned_request_is_refused(db, path):
    method = "GET" if path in ("/v1/alerts", "/v1/me") else "POST"
    response = Client().generic(method, path, data=BODY, content_type="application/json")
    assert response.status_code == 401
    assert "X-Hub-Partnership" in response.json()["error"]
    nothing_stored()


def test_a_forged_signature_is_refused(northbridge):
    headers = northbridge.headers("POST", "/v1/encodings", BODY)
    signature = bytearray(base64.b64decode(headers[SIGNATURE]))
    signature[10] ^= 0xFF
    headers[SIGNATURE] = base64.b64encode(bytes(signature)).decode()
    response = post(headers)
    assert response.status_code == 401
    assert response.json() == {"error": signing.NOT_SIGNED}
    nothing_stored()


def test_a_request_signed_with_another_key_is_refused(northbridge):
    stranger, _ = generate_keypair()
    headers = signed_headers(
        "POST", "/v1/encodings", BODY, partnership="northbridge", private_key=stranger
    )
    assert post(headers).status_code == 401
    nothing_stored()


def test_one_partnership_cannot_sign_as_another(northbridge, eastfield):
    headers = eastfield.headers("POST", "/v1/encodings", BODY)
    headers[PARTNERSHIP] = "northbridge"
    assert post(headers).status_code == 401
    nothing_stored()


def test_an_unknown_or_inactive_partnership_is_refused(northbridge):
    headers = signed_headers(
        "POST", "/v1/encodings", BODY, partnership="nowhere", private_key=northbridge.private_pem
    )
    response = post(headers)
    assert response.status_code == 401
    assert response.json() == {"error": signing.NOT_SIGNED}  # the same answer as a forgery
    northbridge.partnership.active = False
    northbridge.partnership.save()
    assert post(northbridge.headers("POST", "/v1/encodings", BODY)).status_code == 401
    nothing_stored()


def test_a_replayed_request_is_refused(northbridge):
    headers = northbridge.headers("POST", "/v1/encodings", BODY)
    assert post(headers).status_code == 200
    replay = post(headers)
    assert replay.status_code == 401
    assert "already received" in replay.json()["error"]
    assert Encoding.objects.count() == 1


def test_a_stale_request_is_refused(northbridge):
    headers = northbridge.headers("POST", "/v1/encodings", BODY, now=time.time() - 301)
    assert post(headers).status_code == 401
    nothing_stored()


def test_a_body_changed_after_signing_is_refused(northbridge):
    headers = northbridge.headers("POST", "/v1/encodings", BODY)
    other = json.dumps({"encodings": [item("vehicle", {"value": "XY70 ZZP"})]}).encode()
    assert post(headers, body=other).status_code == 401
    nothing_stored()


def test_a_request_signed_for_another_endpoint_is_refused(northbridge):
    body = json.dumps({"refs": []}).encode()
    headers = northbridge.headers("POST", "/v1/encodings", body)
    assert post(headers, body=body, path="/v1/withdraw").status_code == 401
    headers = northbridge.headers("GET", "/v1/alerts?after=0", b"")
    response = Client().get("/v1/alerts?after=5", headers=headers)
    assert response.status_code == 401


@pytest.mark.parametrize(
    ("header", "value"),
    [(PARTNERSHIP, ""), (TIMESTAMP, "-5"), (NONCE, "z" * 32), (SIGNATURE, "%%%")],
)
def test_malformed_signing_headers_are_refused(northbridge, header, value):
    headers = {**northbridge.headers("POST", "/v1/encodings", BODY), header: value}
    assert post(headers).status_code == 401
    nothing_stored()


def test_a_partnership_over_its_request_limit_gets_429(northbridge, settings):
    settings.HUB_REQUESTS_PER_MINUTE = 3
    codes = [northbridge.get("/v1/me").status_code for _ in range(4)]
    if codes[-1] == 200:  # the minute turned between requests: try once more in the new one
        codes = [northbridge.get("/v1/me").status_code for _ in range(4)]
    assert codes[-1] == 429
    response = northbridge.get("/v1/me")
    assert "requests a minute" in response.json()["error"]
    assert 0 < int(response["Retry-After"]) <= 60


def test_a_partnership_over_its_daily_encodings_gets_429_and_nothing_is_stored(
    northbridge, settings
):
    settings.HUB_ENCODINGS_PER_DAY = 2
    cars = [item("vehicle", {"value": f"AB{n:02d} CDE"}) for n in range(3)]
    response = northbridge.post("/v1/encodings", {"encodings": cars})
    assert response.status_code == 429
    assert "encodings a day" in response.json()["error"]
    assert not Encoding.objects.exists()
    # What was refused does not count: two still fit.
    assert northbridge.post("/v1/encodings", {"encodings": cars[:2]}).json() == {"accepted": 2}


def test_a_request_relabelled_as_another_partnership_sharing_the_key_is_refused(
    northbridge, eastfield
):
    # Two partnerships registered (by mistake) with one key: the slug is signed, so a request
    # signed as one cannot be passed off as the other's.
    eastfield.partnership.public_key = northbridge.partnership.public_key
    eastfield.partnership.save()
    headers = northbridge.headers("POST", "/v1/encodings", BODY)
    headers[PARTNERSHIP] = "eastfield"
    response = post(headers)
    assert response.status_code == 401 and response.json() == {"error": signing.NOT_SIGNED}
    nothing_stored()


def test_a_public_key_registered_to_another_partnership_is_refused(tmp_path, northbridge):
    from django.core.management import CommandError, call_command

    from linkagehub.models import Partnership

    key = tmp_path / "copy.pem"
    # The same key laid out differently (a blank line more) is still the same key.
    key.write_text(northbridge.partnership.public_key.replace("\n", "\n\n", 1))
    with pytest.raises(CommandError, match="already registered to partnership northbridge"):
        call_command(
            "register_partnership", "westmoor", "--name=W", "--coordinator-name=A",
            "--coordinator-phone=1", f"--public-key={key}",
        )  # fmt: skip
    assert not Partnership.objects.filter(slug="westmoor").exists()
    key.write_text(northbridge.partnership.public_key)  # its own key again: a plain update
    call_command(
        "register_partnership", "northbridge", "--name=N", "--coordinator-name=A",
        "--coordinator-phone=1", f"--public-key={key}",
    )  # fmt: skip
