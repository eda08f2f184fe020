"""Read what wapiti, sqlmap, bandit and the server's access log say, and decide pass or fail.

Every tool says it differently: wapiti writes a JSON report with a level per finding, sqlmap
writes prose and exits 0 either way, bandit writes JSON with a severity, and gunicorn's access
log shows any 500 whichever tool caused it. Each reader here turns one of them into `Finding`s;
`failures` keeps those of medium severity or more that nobody has reviewed and accepted.
"""

import re
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

SEVERITIES = ["info", "low", "medium", "high", "critical"]
FAILS_FROM = SEVERITIES.index("medium")
# wapiti's levels (wapitiCore/language/vulnerability.py): 0 info ... 4 critical.
WAPITI_LEVELS = dict(enumerate(SEVERITIES))
SERVER_ERROR = "Internal Server Error"
CSRF = "Cross Site Request Forgery"
NO_TOKEN = "Lack of anti CSRF token"  # noqa: S105 (wapiti's words, not a secret)

# Findings reviewed and accepted, each with its reason, by (tool, what, method, path).
_PUBLIC_FORM = (
    "a public form that stores nothing and sets no cookie, so there is no session to ride on; "
    "it is exempt from CSRF on purpose (a CSRF cookie would break 'no cookies')"
)
ACCEPTED = {
    ("wapiti", "Cross Site Request Forgery", "POST", "/search/"): _PUBLIC_FORM,
    ("wapiti", "Cross Site Request Forgery", "POST", "/self-check/me/"): _PUBLIC_FORM,
    ("wapiti", "Cross Site Request Forgery", "POST", "/self-check/friend/"): _PUBLIC_FORM,
    ("wapiti", "Cross Site Request Forgery", "POST", "/self-check/child/"): _PUBLIC_FORM,
    ("wapiti", "SQL Injection", "POST", "/search/"): (
        "wapiti's boolean guess, fooled by the content: of its random 'true' and 'false' "
        "conditions, one whose numbers are on a page (say 'under 18') finds that page. The "
        "words reach Wagtail's search as parameters; SQL in a query finds only what its words "
        "find (content/tests/test_search.py), and sqlmap finds no injection there"
    ),
    ("wapiti", "Cross Site Request Forgery", "POST", "/tell-someone/"): (
        "Tell someone sets no cookie on purpose; instead it refuses a browser's cross-site "
        "post by its Origin and Sec-Fetch-Site headers, and each form carries a signed key "
        "(concerns/views.py, tested in concerns/tests/)"
    ),
}


@dataclass(frozen=True)
class Finding:
    tool: str
    severity: str
    what: str
    method: str = ""
    path: str = ""
    parameter: str = ""
    identity: str = ""

    @property
    def accepted(self) -> str:
        """The reason it was accepted, or "" if it was not."""
        return ACCEPTED.get((self.tool, self.what, self.method, self.path), "")

    @property
    def fails(self) -> bool:
        return SEVERITIES.index(self.severity) >= FAILS_FROM and not self.accepted

    def __str__(self) -> str:
        where = " ".join(x for x in (self.method, self.path) if x)
        if self.parameter:
            where += f" [{self.parameter}]"
        who = f" as {self.identity}" if self.identity else ""
        return f"{self.tool} {self.severity}: {self.what} at {where}{who}"


def tokenless_forms(report: dict[str, Any]) -> list[tuple[str, str]]:
    """The (path, body) of each form wapiti says has no CSRF token, to be sent again without one.

    wapiti reports a form without a token field without asking whether the server refuses it.
    Django refuses a POST without a token (403), Wagtail's JavaScript-only forms included, so
    `make scan` sends each again and passes what was refused to `wapiti_findings`.
    """
    return sorted(
        {
            (item["path"], item["http_request"].split("\n\n", 1)[-1])
            for item in report.get("vulnerabilities", {}).get(CSRF, [])
            if item.get("info") == NO_TOKEN and item.get("method") == "POST"
        }
    )


def wapiti_findings(
    report: dict[str, Any], identity: str = "", refused: Collection[str] = ()
) -> list[Finding]:
    """Each vulnerability and anomaly in a wapiti JSON report; a 500 is at least high.

    `refused` holds the paths whose form without a token the server refused (tokenless_forms):
    a CSRF finding there is only information.
    """
    found = []
    for section in ("vulnerabilities", "anomalies"):
        for what, items in report.get(section, {}).items():
            for item in items:
                severity = WAPITI_LEVELS.get(int(item.get("level", 0)), "critical")
                if what == SERVER_ERROR:
                    severity = max(severity, "high", key=SEVERITIES.index)
                if what == CSRF and item.get("info") == NO_TOKEN and item["path"] in refused:
                    severity = "info"
                found.append(
                    Finding("wapiti", severity, what, item.get("method", ""),
                            item.get("path", ""), item.get("parameter", ""), identity)
                )  # fmt: skip
    return found


_SQLMAP_CONFIRMED = [
    # "GET parameter 'id' is vulnerable. Do you want to keep testing the others (if any)?"
    re.compile(r"^(?P<place>[\w-]+) parameter '(?P<name>[^']+)' is vulnerable", re.M),
    # "[INFO] GET parameter 'id' is 'Generic UNION query (NULL) - 1 to 20 columns' injectable"
    re.compile(r"\] (?P<place>[\w-]+) parameter '(?P<name>[^']+)' is '[^\n]*' injectable", re.M),
    # The summary, after "sqlmap identified the following injection point(s)": "Parameter: id (GET)"
    re.compile(r"^Parameter: (?P<name>[^\n]+?) \((?P<place>[^)\n]+)\)$", re.M),
]


def sqlmap_findings(output: str, method: str, path: str, identity: str = "") -> list[Finding]:
    """Each injectable parameter that sqlmap's output reports (it exits 0 either way)."""
    confirmed = {
        (m["place"], m["name"]) for pattern in _SQLMAP_CONFIRMED for m in pattern.finditer(output)
    }
    if not confirmed and "identified the following injection point" in output:
        confirmed = {("?", "?")}  # the summary's wording changed: still a finding
    return [
        Finding("sqlmap", "high", "SQL injection", method, path, f"{place} {name}", identity)
        for place, name in sorted(confirmed)
    ]


# sqlmap's verdict on a parameter it tested to the end (not "is dynamic", "is empty" on the way).
_SQLMAP_CONCLUDED = re.compile(
    r"parameter '(?P<name>[^']+)' (?:does not seem to be injectable|is vulnerable\b)"
)


def sqlmap_tested(output: str) -> int:
    """How many parameters sqlmap's output says it tested to a verdict."""
    return len({m["name"] for m in _SQLMAP_CONCLUDED.finditer(output)})


def bandit_findings(report: dict[str, Any]) -> list[Finding]:
    """Each issue in a bandit JSON report, and each file bandit could not read (high)."""
    found = [
        Finding("bandit", str(r["issue_severity"]).lower(), f"{r['test_id']} {r['issue_text']}",
                path=f"{r['filename']}:{r['line_number']}")
        for r in report.get("results", [])
    ]  # fmt: skip
    found += [
        Finding("bandit", "high", f"could not check: {e.get('reason', '')}", path=e["filename"])
        for e in report.get("errors", [])
    ]
    return found


# gunicorn.conf.py's format: %(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms
_ACCESS_LINE = re.compile(r'^\S+ "(?P<method>[A-Z]+) (?P<path>[^"\s]*)" (?P<status>\d{3}) ')


def server_errors(log_lines: Iterable[str], identity: str = "") -> list[Finding]:
    """Each answer of 500 or more in gunicorn's access log, whichever tool asked."""
    found = []
    for line in log_lines:
        match = _ACCESS_LINE.match(line)
        if match and int(match["status"]) >= 500:
            found.append(
                Finding("server", "high", f"HTTP {match['status']}", match["method"],
                        match["path"], identity=identity)
            )  # fmt: skip
    return found


def count_requests(log_lines: Iterable[str]) -> int:
    """How many requests the access log shows."""
    return sum(1 for line in log_lines if _ACCESS_LINE.match(line))


def failures(findings: Iterable[Finding]) -> list[Finding]:
    """The findings that fail the scan: medium or more, and not accepted."""
    return [f for f in findings if f.fails]


def by_severity(findings: Iterable[Finding]) -> dict[str, Counter[str]]:
    """For each tool, how many findings of each severity."""
    counts: dict[str, Counter[str]] = {}
    for f in findings:
        counts.setdefault(f.tool, Counter())[f.severity] += 1
    return counts
