"""What the fuzz tests send: hostile form data, query strings, paths, headers and JSON bodies.

Each endpoint names its fields with plausible values (so some inputs pass validation and reach the
code behind it); every field may also be left out, repeated, or given something hostile: huge
strings, NUL bytes, control characters, raw bytes that are not UTF-8 (a UTF-8-encoded surrogate
among them), bad dates and numbers, and choices that do not exist. Bodies are sent url-encoded,
as multipart, as JSON, as plain text or with a charset that does not exist.
"""

import json
import os
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, quote_from_bytes

from hypothesis import strategies as st

Value = str | bytes
Fields = Mapping[str, st.SearchStrategy[str]]

# Inputs tried, and re-displayed forms checked for what was typed, per endpoint in this run.
TRIED: Counter[str] = Counter()
KEPT: Counter[str] = Counter()


def examples_per_endpoint() -> int:
    """FUZZ_EXAMPLES for `make fuzz`'s long run; a short run inside `make test` otherwise."""
    return int(os.environ.get("FUZZ_EXAMPLES", "4"))


@dataclass(frozen=True)
class Endpoint:
    """One row of the fuzz table: who sends what to which address."""

    route: str  # the URL resolver's route, or "page <model label> <sub-route>" for a CMS page
    method: str  # "GET" (a query string) or "POST" (a body)
    url: str  # the address, with {placeholders} for the objects set up for the test
    who: str  # "anonymous", "password_only", "enrolling", or a demo username
    fields: Fields | Callable[[], Fields] = field(default_factory=dict)
    keeps: str = ""  # a text field a re-displayed form must show again as it was typed
    json: bool = False  # the body is JSON (the API)
    csrf: bool = False  # a form protected by Django's CSRF check: also send without a token
    weight: float = 1.0  # share of the examples (a PDF takes a second to draw)

    @property
    def name(self) -> str:
        return f"{self.method} {self.url} as {self.who}"

    def field_strategies(self) -> Fields:
        return self.fields() if callable(self.fields) else self.fields


def one_of(*values: Any) -> st.SearchStrategy[str]:
    """Plausible values: the valid choices of a field."""
    return st.sampled_from([str(v) for v in values])


# What a person could type: letters in any script, digits, punctuation and spaces.
TYPED = st.text(
    alphabet=st.characters(categories=["L", "M", "N", "P", "S", "Zs"]), min_size=1, max_size=40
).filter(lambda s: s.strip() == s and s != "")
WORDS = st.one_of(TYPED, st.just("I saw her get into a car with two older men."))

SPECIAL = [
    "",
    " ",
    "\t\r\n",
    "0",
    "-1",
    "1.5",
    "1e309",
    "NaN",
    "-0",
    "9" * 40,
    "2026-02-30",
    "0000-00-00",
    "9999-12-31",
    "10000-01-01",
    "2026-13-01",
    "31/12/2026",
    "1970-01-01T00:00:00Z",
    "<script>alert(1)</script>",
    "' OR 1=1; --",
    '=HYPERLINK("http://example.invalid")',
    "null",
    "[]",
    "{}",
    "true",
    "../../etc/passwd",
    "%00",
    "\u202e\u200b\ufeff",
    "TS-AAAA-AAAA",
    "on",
]
RAW_BYTES = [
    b"\x00",
    b"\xed\xa0\x80",  # a lone surrogate, encoded as UTF-8 would if it allowed one
    b"\xed\xbf\xbf\xed\xa0\x80",
    b"\xff\xfe",
    b"\xc0\xaf",  # an overlong "/"
    b"\xe2\x82",  # a character cut short
]


def _huge(piece: str, times: int) -> str:
    return piece * times


HOSTILE: st.SearchStrategy[Value] = st.one_of(
    st.sampled_from(SPECIAL),
    st.text(max_size=60),  # any code point but surrogates: NUL, controls, combining marks
    st.text(alphabet=st.characters(categories=["Cc", "Cf", "Co", "Zl", "Zp"]), max_size=20),
    st.builds(_huge, st.text(min_size=1, max_size=3), st.integers(1_000, 12_000)),
    st.sampled_from(RAW_BYTES),
    st.binary(max_size=30),
)
KEYS: st.SearchStrategy[Value] = st.one_of(
    st.text(max_size=20), st.sampled_from(RAW_BYTES), st.sampled_from(["form", "action", "step"])
)
# Some values are sent as raw bytes; keys and values may be anything.
Pair = tuple[Value, Value]


def _value(plausible: st.SearchStrategy[str]) -> st.SearchStrategy[list[Value]]:
    """A field left out, sent once (plausible or hostile), or sent twice."""
    return st.one_of(
        st.just([]),
        plausible.map(lambda v: [v]),
        plausible.map(lambda v: [v]),
        plausible.map(lambda v: [v]),
        HOSTILE.map(lambda v: [v]),
        st.lists(st.one_of(plausible, HOSTILE), min_size=2, max_size=3),
    )


@st.composite
def form_pairs(draw: st.DrawFn, fields: Fields) -> list[Pair]:
    pairs: list[Pair] = []
    for name, plausible in fields.items():
        pairs += [(name, v) for v in draw(_value(plausible))]
    pairs += draw(st.lists(st.tuples(KEYS, HOSTILE), max_size=3))
    if draw(st.integers(0, 40)) == 0:
        pairs += [(f"f{i}", "x") for i in range(1_100)]  # more fields than Django accepts
    return draw(st.permutations(pairs)) if draw(st.booleans()) else pairs


def _encode(value: Value) -> str:
    if isinstance(value, bytes):
        return quote_from_bytes(value, safe="")
    return quote(value, safe="", errors="surrogatepass")


def urlencode(pairs: list[Pair]) -> str:
    return "&".join(f"{_encode(k)}={_encode(v)}" for k, v in pairs)


def _raw(value: Value) -> bytes:
    return value if isinstance(value, bytes) else value.encode("utf-8", "surrogatepass")


BOUNDARY = "fuzzfuzzfuzz"


def multipart(pairs: list[Pair]) -> bytes:
    parts = [
        b"--" + BOUNDARY.encode() + b"\r\n"
        b'Content-Disposition: form-data; name="' + _raw(k) + b'"\r\n\r\n' + _raw(v) + b"\r\n"
        for k, v in pairs
    ]
    return b"".join(parts) + b"--" + BOUNDARY.encode() + b"--\r\n"


@dataclass
class Sent:
    """One request, as the test client will send it."""

    path: str
    body: bytes
    content_type: str
    headers: dict[str, str]
    csrf: bool
    pairs: list[Pair]
    kind: str  # how the body was encoded: "form", "multipart", "json", "query"...

    def sent_once(self, name: str) -> str | None:
        """The value of a field sent exactly once, as text, or None."""
        values = [v for k, v in self.pairs if k == name]
        if len(values) == 1 and isinstance(values[0], str):
            return values[0]
        return None


BODY_KINDS = ["form"] * 8 + ["multipart", "json", "text", "bad-charset", "none"]


def encode_body(kind: str, pairs: list[Pair]) -> tuple[bytes, str]:
    if kind == "form":
        return urlencode(pairs).encode("ascii"), "application/x-www-form-urlencoded"
    if kind == "multipart":
        return multipart(pairs), f"multipart/form-data; boundary={BOUNDARY}"
    if kind == "json":
        text = json.dumps({_raw(k).decode("latin-1"): _raw(v).decode("latin-1") for k, v in pairs})
        return text.encode(), "application/json"
    if kind == "text":
        return b"\n".join(_raw(k) + b"=" + _raw(v) for k, v in pairs), "text/plain"
    if kind == "bad-charset":
        return urlencode(pairs).encode("ascii"), "application/x-www-form-urlencoded; charset=nope"
    return b"", ""


LATIN1 = st.text(alphabet=st.characters(max_codepoint=255, exclude_categories=["Cc"]), max_size=40)
HEADERS = st.fixed_dictionaries(
    {},
    optional={
        "HTTP_ORIGIN": st.one_of(st.sampled_from(["null", "http://testserver"]), LATIN1),
        "HTTP_SEC_FETCH_SITE": st.sampled_from(["same-origin", "none", "cross-site", ""]),
        "HTTP_X_FORWARDED_FOR": st.one_of(st.sampled_from(["1.2.3.4", "::1", "x, y"]), LATIN1),
        "HTTP_ACCEPT_LANGUAGE": st.one_of(st.sampled_from(["cy", "en-GB,en;q=0.8"]), LATIN1),
        "HTTP_REFERER": LATIN1,
    },
)

PATH_SEGMENT: st.SearchStrategy[Value] = st.one_of(
    st.integers(0, 10**30).map(str),
    st.text(min_size=1, max_size=30),
    st.sampled_from(RAW_BYTES),
)


@st.composite
def requests(draw: st.DrawFn, endpoint: Endpoint, objects: Mapping[str, str]) -> Sent:
    """A request to the endpoint: its objects (or, sometimes, junk in their place) and input."""
    places = {}
    for name, real in objects.items():
        # An object's id in the address is sometimes junk; a page's own address never is.
        if (
            "{" + name + "}" in endpoint.url
            and not name.endswith("_page")
            and draw(st.integers(0, 9)) == 0
        ):
            places[name] = _encode(draw(PATH_SEGMENT))
        else:
            places[name] = real
    path = endpoint.url.format(**places)
    headers = draw(HEADERS)
    csrf = endpoint.csrf and draw(st.integers(0, 4)) == 0
    if endpoint.json:
        body, content_type = draw(json_bodies())
        return Sent(path, body, content_type, headers, csrf, [], "api")
    pairs = draw(form_pairs(endpoint.field_strategies()))
    if endpoint.method == "GET":
        query = urlencode(pairs)
        joined = (path + ("&" if "?" in path else "?") + query) if query else path
        return Sent(joined, b"", "", headers, csrf, pairs, "query")
    kind = draw(st.sampled_from(BODY_KINDS))
    body, content_type = encode_body(kind, pairs)
    return Sent(path, body, content_type, headers, csrf, pairs, kind)


# The screening API's JSON.
STATES = ["present", "not_known", "not_present"]
WHENS = ["current", "earlier"]
CODES = ["going-missing", "gifts-money-phones", "older-boyfriend-girlfriend", "missing-school"]
ANY_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=15,
)
ANSWER = st.one_of(
    st.fixed_dictionaries(
        {},
        optional={
            "state": st.one_of(st.sampled_from(STATES), ANY_JSON),
            "when": st.one_of(st.sampled_from(WHENS), ANY_JSON),
        },
    ),
    ANY_JSON,
)
SCREENING_REQUEST = st.fixed_dictionaries(
    {},
    optional={
        "age": st.one_of(st.integers(-5, 30), st.integers(), ANY_JSON),
        "learning_disability": st.one_of(st.sampled_from(["yes", "no", "not_known"]), ANY_JSON),
        "answers": st.one_of(
            st.dictionaries(st.one_of(st.sampled_from(CODES), st.text(max_size=20)), ANSWER),
            ANY_JSON,
        ),
        "extra": ANY_JSON,
    },
)


def _dumps(value: Any) -> bytes:
    return json.dumps(value).encode()


@st.composite
def json_bodies(draw: st.DrawFn) -> tuple[bytes, str]:
    body = draw(
        st.one_of(
            SCREENING_REQUEST.map(_dumps),
            SCREENING_REQUEST.map(_dumps),
            ANY_JSON.map(_dumps),
            st.binary(max_size=60),
            st.sampled_from([b"", b"{", b"\xef\xbb\xbf{}", b'{"age": 1e999}', b"NaN", b"-"]),
            st.integers(1, 200_000).map(lambda n: b"[" * n + b"]" * n),  # nested deeply
            st.integers(1, 200_000).map(lambda n: b'{"a":' * n + b"1" + b"}" * n),
            st.integers(4_000, 10_000).map(lambda n: b'{"age": ' + b"9" * n + b"}"),
            st.builds(lambda v: json.dumps(v).encode("utf-16"), SCREENING_REQUEST),
            st.just(b'{"answers": {}}' + b" " * 3_000_000),  # over the size limit
        )
    )
    content_type = draw(
        st.sampled_from(
            ["application/json"] * 4
            + ["text/plain", "application/x-www-form-urlencoded", "application/json; charset=nope"]
        )
    )
    return body, content_type
