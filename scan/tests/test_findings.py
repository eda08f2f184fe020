"""The verdict of `make scan`, from reports the tools really wrote (scan/tests/samples/).

wapiti-vulnerable.json and sqlmap-vulnerable.txt are wapiti 3.2.3 and sqlmap 1.10.10 against a
deliberately injectable toy server; wapiti-public-site.json is wapiti against this site's public
pages; the bandit reports are bandit 1.9.4 on a file with shell=True and string-built SQL, and
on seethesigns/.
"""

import json
from pathlib import Path
from typing import Any

from scan.findings import (
    Finding,
    bandit_findings,
    by_severity,
    count_requests,
    failures,
    server_errors,
    sqlmap_findings,
    sqlmap_tested,
    tokenless_forms,
    wapiti_findings,
)

SAMPLES = Path(__file__).parent / "samples"


def _json(name: str) -> Any:
    return json.loads((SAMPLES / name).read_text())


def test_wapiti_injections_and_a_server_error_fail_the_scan():
    found = wapiti_findings(_json("wapiti-vulnerable.json"), "anonymous")
    assert {(f.what, f.severity, f.path, f.parameter) for f in failures(found)} == {
        ("SQL Injection", "critical", "/item", "id"),
        ("Reflected Cross Site Scripting", "medium", "/hello", "name"),
        ("Internal Server Error", "high", "/item", "id"),
    }
    assert all(f.identity == "anonymous" for f in found)


def test_a_server_error_fails_whatever_level_wapiti_gives_it():
    report = {"anomalies": {"Internal Server Error": [{"level": 1, "method": "GET", "path": "/x"}]}}
    [finding] = wapiti_findings(report)
    assert finding.severity == "high" and finding.fails


def test_the_public_sites_cookie_less_forms_are_accepted_and_pass():
    found = wapiti_findings(_json("wapiti-public-site.json"))
    assert len(found) == 5
    assert {f.severity for f in found} == {"medium"}
    assert all(f.accepted for f in found)
    assert failures(found) == []


def test_the_same_finding_on_a_workspace_form_is_not_accepted():
    csrf = Finding("wapiti", "medium", "Cross Site Request Forgery", "POST", "/pro/concerns/")
    assert not csrf.accepted and failures([csrf]) == [csrf]


def test_low_and_info_findings_do_not_fail():
    report = {
        "vulnerabilities": {"Secure Flag cookie": [{"level": 1, "method": "GET", "path": "/pro/"}]},
        "anomalies": {},
    }
    assert failures(wapiti_findings(report)) == []


def test_sqlmap_saying_a_parameter_is_injectable_fails_though_it_exits_0():
    output = (SAMPLES / "sqlmap-vulnerable.txt").read_text()
    [finding] = sqlmap_findings(output, "GET", "/item", "demo-dsl")
    assert (finding.parameter, finding.severity, finding.identity) == ("GET id", "high", "demo-dsl")
    assert failures([finding]) == [finding]


def test_sqlmap_finding_nothing_passes():
    output = (SAMPLES / "sqlmap-clean.txt").read_text()
    assert sqlmap_findings(output, "GET", "/hello") == []


def test_a_parameter_counts_as_tested_once_sqlmap_gives_its_verdict():
    # Each sample names its parameter four times on the way ("is dynamic", "appears to be
    # dynamic", the heuristics): only the verdict counts.
    for sample in ["sqlmap-clean.txt", "sqlmap-vulnerable.txt"]:
        assert sqlmap_tested((SAMPLES / sample).read_text()) == 1
    assert sqlmap_tested("[INFO] testing if POST parameter 'q' is dynamic") == 0


def test_sqlmap_summary_alone_still_fails():
    output = "sqlmap identified the following injection point(s) with a total of 9 requests:"
    assert len(failures(sqlmap_findings(output, "POST", "/x/"))) == 1


def test_bandit_medium_and_high_fail_and_low_does_not():
    found = bandit_findings(_json("bandit-findings.json"))
    assert sorted(f.severity for f in found) == ["high", "low", "medium"]
    assert sorted(f.what.split()[0] for f in failures(found)) == ["B602", "B608"]


def test_bandit_on_our_code_passes():
    assert bandit_findings(_json("bandit-clean.json")) == []


def test_a_file_bandit_could_not_read_fails():
    report = {"results": [], "errors": [{"filename": "x.py", "reason": "syntax error"}]}
    assert len(failures(bandit_findings(report))) == 1


LOG = [
    '127.0.0.1 "GET /pro/records/" 200 5120 31ms',
    '127.0.0.1 "GET /pro/records/" 500 1352 44ms',
    '127.0.0.1 "POST /pro/concerns/ABC/" 302 0 12ms',
    "[2026-11-25 01:39:28 +0000] [18427] [INFO] Booting worker with pid: 18427",
    "Forbidden (CSRF cookie not set.): /pro/children/2/chronology/",
]


def test_a_500_in_the_access_log_fails_whichever_tool_caused_it():
    [error] = server_errors(LOG, "demo-coordinator")
    assert (error.method, error.path, error.what) == ("GET", "/pro/records/", "HTTP 500")
    assert error.fails
    assert count_requests(LOG) == 3


def test_counts_by_tool_and_severity():
    found = wapiti_findings(_json("wapiti-vulnerable.json"))
    found += bandit_findings(_json("bandit-findings.json"))
    counts = by_severity(found)
    assert counts["wapiti"] == {"critical": 1, "high": 1, "medium": 1}
    assert counts["bandit"] == {"high": 1, "medium": 1, "low": 1}


def test_a_form_without_a_token_that_the_server_refuses_is_only_information():
    # The CMS's editing-session form: no token field, as wapiti says, but Django refuses it (403).
    report = _json("wapiti-cms-editor.json")
    forms = tokenless_forms(report)
    assert len(forms) == 8
    path, body = forms[0]
    assert path.startswith("/cms/pages/") and body.startswith("is_editing=1&revision_id=")
    refused = {p for p, _ in forms}
    assert failures(wapiti_findings(report, refused=refused)) == []
    assert len(failures(wapiti_findings(report))) == 8


def test_a_public_form_the_server_accepts_without_a_token_stays_medium():
    report = _json("wapiti-public-site.json")
    found = wapiti_findings(report, refused={"/pro/concerns/"})
    assert {f.severity for f in found} == {"medium"}


def test_the_search_boxs_boolean_guess_is_accepted_there_only():
    # What wapiti 3.2.3 reported on this site's search box (see content/tests/test_search.py).
    guess = {"method": "POST", "path": "/search/", "parameter": "q", "level": 4,
             "info": "SQL Injection via injection in the parameter q"}  # fmt: skip
    elsewhere = {**guess, "path": "/pro/records/"}
    report = {"vulnerabilities": {"SQL Injection": [guess, elsewhere]}}
    at_search, at_records = wapiti_findings(report, "anonymous")
    assert at_search.severity == "critical" and at_search.accepted and not at_search.fails
    assert failures([at_search, at_records]) == [at_records]


def test_sqlmap_gets_one_target_per_form_whatever_the_record():
    from scan.run import sqlmap_targets

    def page(method: str, url: str, **fields: str) -> dict[str, Any]:
        return {"request": {"method": method, "url": url, "post_params": list(fields.items())}}

    report = {"infos": {"crawled_pages": [
        page("POST", "http://h/pro/concerns/TS-7KQ2-M4PA/", decision="x", csrfmiddlewaretoken="t"),
        page("POST", "http://h/pro/concerns/TS-ABCD-EFGH/", decision="y", csrfmiddlewaretoken="t"),
        page("POST", "http://h/pro/records/3/edit/", label="a"),
        page("POST", "http://h/pro/records/4/edit/", label="b"),
        page("GET", "http://h/pro/concerns/?show=open"),
        page("GET", "http://h/pro/concerns/"),
    ]}}  # fmt: skip
    targets = sqlmap_targets(report)
    assert [(t.method, t.url) for t in targets] == [
        ("GET", "http://h/pro/concerns/?show=open"),
        ("POST", "http://h/pro/concerns/TS-7KQ2-M4PA/"),
        ("POST", "http://h/pro/records/3/edit/"),
    ]
    assert targets[1].data == "decision=x&csrfmiddlewaretoken=t"
    assert targets[1].parameters == ("decision",)


def test_sqlmap_tests_two_of_a_family_of_fields_and_every_other_field():
    from scan.run import distinct

    screening = [f"{code}-{part}" for code in ["a", "b-c", "d", "e", "f"]
                 for part in ["state", "when"]] + ["age", "step"]  # fmt: skip
    assert distinct(screening) == ("a-state", "a-when", "b-c-state", "b-c-when", "age", "step")
    few = ["link-kind", "link-label", "link-nature", "a-state", "b-state", "c-state", "d-state"]
    assert distinct(few) == tuple(few)
