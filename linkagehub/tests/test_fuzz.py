"""Hostile and malformed input to every hub endpoint gets 400, 405 or 413 with a message: never 500.

A table of known bad shapes, then generated JSON (hypothesis) for each endpoint, each signed by a
registered partnership so that it reaches the parsing (unsigned input stops at 401 before that).
"""

import base64
import json
import os
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linkagehub.models import Encoding
from linkagehub.tests.encodings import item

GOOD = item("vehicle", {"value": "AB12 CDE"})
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "60"))


def with_(**changes: Any) -> dict[str, Any]:
    return {"encodings": [{**GOOD, **changes}]}


BAD_ENCODINGS: list[tuple[str, bytes | Any, str]] = [
    ("not JSON", b"{not json", "not JSON"),
    ("not UTF-8", b'{"encodings": ["\xff\xfe"]}', "UTF-8"),
    ("empty body", b"", "not JSON"),
    ("deeply nested", b"[" * 100_000 + b"]" * 100_000, "not JSON"),
    ("a list", [], "JSON object"),
    ("a number", 7, "JSON object"),
    ("no encodings", {}, '"encodings" must be a list'),
    ("encodings not a list", {"encodings": {"a": 1}}, "must be a list"),
    ("too many", {"encodings": [GOOD] * 1001}, "at most 1000"),
    ("an item not an object", {"encodings": ["x"]}, "must be an object"),
    ("an unknown key", with_(name="Jordan"), "unknown keys"),
    ("ref missing", {"encodings": [{k: v for k, v in GOOD.items() if k != "ref"}]}, "ref"),
    ("ref upper case", with_(ref="A" * 32), "ref"),
    ("ref too long", with_(ref="a" * 33), "ref"),
    ("ref a number", with_(ref=12345), "ref"),
    ("ref with a newline", with_(ref="a" * 32 + "\n"), "ref"),
    ("wrong kind", with_(kind="planet"), "kind"),
    ("kind a list", with_(kind=["vehicle"]), "kind"),
    ("fields a list", with_(fields=[]), "fields must be an object"),
    ("a field of another kind", with_(fields={"names": GOOD["fields"]["value"]}), "unknown field"),
    ("a field not text", with_(fields={"value": 5}), "base64 text"),
    ("bad base64", with_(fields={"value": "!!!not base64!!!"}), "not base64"),
    ("short filter", with_(fields={"value": base64.b64encode(b"x" * 10).decode()}), "bytes"),
    ("all bits set", with_(fields={"value": base64.b64encode(b"\xff" * 128).decode()}), "bits set"),
    ("huge field", with_(fields={"value": "A" * 2_000_000}), "longer than"),
    ("empty field", with_(fields={"value": ""}), "empty"),
    ("blocks not a list", with_(blocks="abc"), "blocks"),
    ("too many blocks", with_(blocks=["a" * 32] * 65), "blocks"),
    ("a block not hex", with_(blocks=["g" * 32]), "hexadecimal"),
    ("a block a number", with_(blocks=[1]), "hexadecimal"),
    ("null everywhere", with_(ref=None, kind=None, fields=None, blocks=None), "ref"),
]


def body_of(payload: bytes | Any) -> bytes:
    return payload if isinstance(payload, bytes) else json.dumps(payload).encode()


@pytest.mark.parametrize(("case", "payload", "message"), BAD_ENCODINGS, ids=lambda x: str(x)[:30])
def test_bad_encodings_get_400_with_a_message(northbridge, case, payload, message):
    response = northbridge.send("POST", "/v1/encodings", body_of(payload))
    assert response.status_code == 400, (case, response.content[:200])
    assert message in response.json()["error"]
    assert not Encoding.objects.exists()


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"refs": ["a" * 32] * 10_000}, "at most 1000"),
        ({"refs": "a" * 32}, "must be a list"),
        ({"refs": [None]}, "refs[0]"),
        ({"refs": ["../../etc/passwd"]}, "hexadecimal"),
        ([], "JSON object"),
    ],
)
def test_bad_withdrawals_get_400(northbridge, payload, message):
    response = northbridge.send("POST", "/v1/withdraw", body_of(payload))
    assert response.status_code == 400
    assert message in response.json()["error"]


@pytest.mark.parametrize(
    "after", ["abc", "-1", "1.5", "9" * 40, "%00", "%D9%A1", "1%20OR%201=1", ""]
)
def test_bad_alert_cursors_get_400(northbridge, after):
    response = northbridge.get(f"/v1/alerts?after={after}")
    assert response.status_code == (200 if after == "" else 400), response.content
    if after:
        assert "whole number" in response.json()["error"]


def test_a_huge_body_is_refused_before_it_is_read(northbridge, settings):
    settings.HUB_MAX_BODY_BYTES = 1000
    response = northbridge.send("POST", "/v1/encodings", b"x" * 1001)
    assert response.status_code == 413
    assert "over 1000 bytes" in response.json()["error"]


def test_the_wrong_method_gets_405(northbridge):
    assert northbridge.send("GET", "/v1/encodings").status_code == 405
    assert northbridge.send("POST", "/v1/alerts", b"{}").status_code == 405
    assert northbridge.send("DELETE", "/v1/me").status_code == 405


def test_an_unknown_path_gets_a_json_404(northbridge):
    response = northbridge.get("/v1/../admin/")
    assert response.status_code == 404
    assert "error" in response.json()


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=10), inner),
    max_leaves=20,
)
# Mostly the right shape with wrong parts: the parser's deeper branches get reached.
near_items = st.fixed_dictionaries(
    {
        "ref": st.one_of(st.just(GOOD["ref"]), st.text(max_size=40), json_values),
        "kind": st.one_of(
            st.sampled_from(["person", "child", "vehicle", "phone", "x"]), json_values
        ),
        "fields": st.one_of(
            st.just(GOOD["fields"]),
            st.dictionaries(st.sampled_from(["value", "names", "sex", "?"]), json_values),
            json_values,
        ),
        "blocks": st.one_of(st.just(GOOD["blocks"]), st.lists(st.text(max_size=40)), json_values),
    },
    optional={"extra": json_values},
)
bodies = st.one_of(
    json_values.map(lambda v: json.dumps(v).encode()),
    st.binary(max_size=200),
    st.lists(near_items, max_size=3).map(lambda items: json.dumps({"encodings": items}).encode()),
)
fuzz = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,  # nothing written beside the code
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@fuzz
@given(body=bodies)
def test_generated_encodings_never_give_a_server_error(northbridge, body):
    response = northbridge.send("POST", "/v1/encodings", body)
    assert response.status_code in (200, 400), (body[:200], response.content[:200])
    assert "error" in response.json() or "accepted" in response.json()


@fuzz
@given(body=st.one_of(bodies, json_values.map(lambda v: json.dumps({"refs": v}).encode())))
def test_generated_withdrawals_never_give_a_server_error(northbridge, body):
    response = northbridge.send("POST", "/v1/withdraw", body)
    assert response.status_code in (200, 400), (body[:200], response.content[:200])


@fuzz
@given(query=st.text(max_size=30))
def test_generated_alert_queries_never_give_a_server_error(northbridge, query):
    from urllib.parse import quote

    response = northbridge.get(f"/v1/alerts?after={quote(query)}")
    assert response.status_code in (200, 400), (query, response.content[:200])


@pytest.mark.parametrize(
    ("where", "error"),
    [
        ("linkagehub.matching.store_and_match", "OperationalError"),
        # The same new ref stored by two requests of one partnership at the same moment.
        ("linkagehub.matching.store_and_match", "IntegrityError"),
        # Before the view: the nonce, the rate limit, the partnership's row.
        ("linkagehub.views._over_limit", "OperationalError"),
        ("linkagehub.views._nonce_seen", "OperationalError"),
    ],
)
def test_a_database_failure_gets_503_not_500(northbridge, monkeypatch, where, error):
    from django import db

    def fail(*args, **kwargs):
        raise getattr(db, error)("database is locked")

    monkeypatch.setattr(where, fail)
    response = northbridge.post("/v1/encodings", {"encodings": [GOOD]})
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response.json() == {"error": "the hub is busy: try again shortly"}
