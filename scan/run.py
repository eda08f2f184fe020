"""make scan: wapiti3 and sqlmap against the running app, anonymously and as each role; bandit.

It starts, on 127.0.0.1 and on free ports, a throwaway PostgreSQL and the app in gunicorn as
`make bench` does (gunicorn.conf.py, DEBUG off, hashed static files, pre-rendered public pages),
loads the content and the demo partnership, and then, for each identity in IDENTITIES:
- signs in with `manage.py demo_session` (the second factor done) and a CSRF cookie of its own,
- runs wapiti (WAPITI_MODULES) over the identity's part of the site,
- runs sqlmap on each distinct query string and form that wapiti found there, every one of them,
- reads gunicorn's access log for any answer of 500 or more while it did so.
bandit runs over seethesigns/ first. The verdict comes from scan/findings.py: any finding of
medium severity or more that is not in its reviewed ACCEPTED list fails the run (exit 1). So
does a signed-in identity that was signed out during its scan. docs/security-scan.md explains
what is scanned, as whom, and why.

Reports go to var/scan/ (each tool's report and output, gunicorn's log, summary.json).
Environment: SCAN_ONLY (comma-separated identities, e.g. `anonymous,demo-dsl`), SCAN_TIME
(a factor on wapiti's time for each identity and on sqlmap's for each target, default 1; 0 takes
away the limits),
SCAN_KEEP=1 (keep the work folder).

The app runs in development mode with DEBUG off: production refuses demo accounts (they could
not sign in) and sends cookies only over HTTPS, and this scan speaks plain HTTP on loopback.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import string
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from cryptography.fernet import Fernet

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
from testing.liveserver import free_port
from testing.pgserver import Processes, start_postgres

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
TOOLS = ROOT / ".venv-scan" / "bin"
REPORTS = ROOT / "var" / "scan"
TIME = float(os.environ.get("SCAN_TIME", "1"))
# sqlmap tests one parameter at a time; several at once use the server's threads meanwhile.
SQLMAP_AT_ONCE = 3
# Every target is tested; one that takes longer than this is stopped, with what it tested kept.
SQLMAP_TARGET_SECONDS = 300

# Injection, cross-site scripting (reflected and stored), open redirects, header injection,
# command execution and file paths (their odd bytes find unhandled input), CSRF, uploads, and
# the passive checks of headers and cookies. Left out and why: docs/security-scan.md.
WAPITI_MODULES = [
    "sql", "xss", "permanentxss", "exec", "file", "redirect", "crlf", "csrf", "upload",
    "cookieflags", "csp", "http_headers",
]  # fmt: skip
ACTIVE_MODULES = 9  # the first nine send attacks; each gets an equal share of the time
# Never followed: they end the session being scanned, or leave the site.
ALWAYS_EXCLUDED = ["/exit/", "/pro/sign-out/", "/cms/logout/", "/static/"]


@dataclass(frozen=True)
class Identity:
    """Who the scanner is, and the part of the site scanned as them (its crawl starts there)."""

    name: str
    username: str  # "" for the anonymous visitor
    base: str  # wapiti's scope: this folder
    areas: tuple[str, ...]
    seconds: int  # wapiti's time: a quarter to crawl, the rest shared by the attack modules


# Wagtail's own views for each page and snippet (copy, history, usage, preview...), the same for
# every page: the editor's crawl keeps to the page tree, the edit forms, snippets, images and
# documents. Delete, move and unpublish would also change the site under the scan.
WAGTAIL_MACHINERY = [
    f"/cms/{kind}/*/{view}/"
    for kind in ("pages", "snippets")
    for view in ("copy", "history", "usage", "preview", "add_subpage", "delete", "move",
                 "unpublish", "revisions", "workflow_history", "lock", "unlock")
] + ["/cms/pages/add/", "/cms/bulk/", "/cms/images/*/delete/",
     "/cms/documents/delete/"]  # fmt: skip

# Each part of the workspace and the CMS is scanned once, as the role it is for; a role's
# crawl never enters another role's parts. The anonymous scan sends hundreds of concerns through
# Tell someone, so it comes after the front door's (whose crawl would spend its time on them);
# it comes before the editors', which change the pages; those that change accounts come last.
IDENTITIES = [
    Identity("practitioner", "demo-practitioner", "/pro/",
             ("/pro/screening/", "/pro/api/", "/pro/training/"), 110),
    Identity("designated safeguarding lead", "demo-dsl", "/pro/", ("/pro/children/",), 110),
    Identity("front door worker", "demo-frontdoor", "/pro/",
             ("/pro/concerns/", "/pro/referrals/"), 110),
    Identity("CSE coordinator", "demo-coordinator", "/pro/",
             ("/pro/records/", "/pro/network/"), 110),
    Identity("police analyst", "demo-analyst", "/pro/", ("/pro/meetings/",), 110),
    Identity("anonymous", "", "/", ("/",), 200),
    # The CMS's menus are drawn by JavaScript, which wapiti does not run: so the starts. Editors
    # upload no images or documents (docs/cms.md), so their crawl starts at pages and snippets.
    Identity("content editor", "demo-editor", "/cms/",
             ("/cms/pages/", "/cms/pages/search/", "/cms/snippets/"), 200),
    Identity("safeguarding lead (CMS)", "demo-lead", "/cms/",
             ("/cms/", "/cms/reports/locked/", "/cms/reports/aging-pages/",
              "/cms/reports/site-history/", "/cms/reports/workflow/",
              "/cms/reports/workflow_tasks/", "/cms/workflows/list/", "/cms/choose-page/",
              "/cms/choose-page/search/", "/cms/account/"), 110),
    Identity("data protection officer", "demo-dpo", "/pro/",
             ("/pro/audit/", "/pro/data-protection/"), 110),
    Identity("partnership admin", "demo-admin", "/pro/", ("/pro/users/",), 110),
]  # fmt: skip


@dataclass
class Outcome:
    identity: Identity
    crawled: int = 0
    wapiti_requests: int = 0
    wapiti_seconds: float = 0
    modules_cut: int = 0  # attack modules stopped by their time limit
    crawl_cut: bool = False
    sqlmap_targets: int = 0
    sqlmap_tested: int = 0
    sqlmap_cut: int = 0  # targets stopped at SQLMAP_TARGET_SECONDS, part of them tested
    sqlmap_parameters: int = 0  # tested to the end
    sqlmap_parameters_found: int = 0  # in all the targets, less the families (see distinct())
    sqlmap_requests: int = 0
    sqlmap_seconds: float = 0
    findings: list[Finding] = field(default_factory=list)


def excluded(identity: Identity) -> list[str]:
    """Paths the identity's crawl never follows: the session's end, and others' parts."""
    others = {a for i in IDENTITIES if i.base == identity.base for a in i.areas}
    others -= set(identity.areas)
    machinery = WAGTAIL_MACHINERY if identity.base == "/cms/" else []
    return ALWAYS_EXCLUDED + machinery + sorted(a for a in others if a != identity.base)


def csrf_secret() -> str:
    """A CSRF cookie value as Django makes one, so the scanners' forms pass its check."""
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(32))


def app_env(work: Path, database_url: str, port: int) -> dict[str, str]:
    return {
        **os.environ,
        "SEETHESIGNS_MODE": "development",  # see the module's docstring
        "DEBUG": "false",
        "SEETHESIGNS_DEMO_SESSIONS": "1",  # manage.py demo_session, on this throwaway site only
        "SECRET_KEY": secrets.token_urlsafe(64),
        "DATA_KEYS": Fernet.generate_key().decode(),
        "AUDIT_KEY": secrets.token_urlsafe(32),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url,
        "CONN_MAX_AGE": "600",
        "VAR_DIR": str(work / "var"),
        "PAGE_CACHE_DIR": str(work / "pages"),
        "STATIC_MANIFEST": "true",
        "BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",
        # The scanners send thousands of concerns from one address; the limits have their tests.
        "CONCERNS_PER_10_MINUTES": "100000000",
        "CONCERNS_PER_DAY": "100000000",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
    }


def manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True,
                          capture_output=True, text=True)  # fmt: skip
    return done.stdout


def wait_for(url: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"scan: {url} did not answer within {seconds} s")


def signed_in(base_url: str, identity: Identity, cookie: str) -> bool:
    """Whether the session still opens the identity's part of the site."""
    request = urllib.request.Request(base_url + identity.base, headers={"Cookie": cookie})
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=30) as response:
            return int(response.status) == 200
    except urllib.error.HTTPError:
        return False


def post_status(url: str, body: str, cookie: str) -> int:
    """The status of a form sent as it is, with the cookies but without following a redirect."""
    headers = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}
    request = urllib.request.Request(url, data=body.encode(), headers=headers, method="POST")
    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=30) as response:
            return int(response.status)
    except urllib.error.HTTPError as e:
        return int(e.code)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class AccessLog:
    """gunicorn's output, read a stretch at a time."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.offset = 0

    def since_last(self) -> list[str]:
        with self.path.open(errors="replace") as log:
            log.seek(self.offset)
            lines = log.readlines()
            self.offset = log.tell()
        return lines


def main() -> None:
    for tool in ("wapiti", "sqlmap", "bandit"):
        if not (TOOLS / tool).exists():
            raise SystemExit(f"scan: {TOOLS / tool} is missing: run `make scan`, which installs it")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # still stop what was started
    work = Path(tempfile.mkdtemp(prefix="seethesigns-scan-"))
    work.chmod(0o755)
    REPORTS.mkdir(parents=True, exist_ok=True)
    processes = Processes()
    started = time.monotonic()
    try:
        outcomes, bandit = run(work, processes)
    finally:
        processes.stop_all()
        if (work / "gunicorn.log").exists():  # the tracebacks behind any 500
            shutil.copy(work / "gunicorn.log", REPORTS / "gunicorn.log")
        if os.environ.get("SCAN_KEEP") != "1":
            shutil.rmtree(work, ignore_errors=True)
    sys.exit(report(outcomes, bandit, time.monotonic() - started))


def run(work: Path, processes: Processes) -> tuple[list[Outcome], list[Finding]]:
    print("bandit over seethesigns/ ...", flush=True)
    bandit = run_bandit()
    print("Starting a throwaway PostgreSQL and the app in gunicorn...", flush=True)
    database_url = start_postgres(work, processes, "scan")
    port = free_port()
    env = app_env(work, database_url, port)
    (work / "var").mkdir()
    for command in (["migrate", "--no-input"], ["collectstatic", "--no-input"],
                    ["load_content"], ["load_demo"]):  # fmt: skip
        manage(env, *command)
    log_path = work / "gunicorn.log"
    with log_path.open("w") as log:
        gunicorn = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "-c", "gunicorn.conf.py", "seethesigns.wsgi"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    processes.add("gunicorn", gunicorn.pid)
    base_url = f"http://127.0.0.1:{port}"
    wait_for(base_url + "/")
    access_log = AccessLog(log_path)
    access_log.since_last()
    only = {x.strip() for x in os.environ.get("SCAN_ONLY", "").split(",") if x.strip()}
    outcomes = []
    for identity in IDENTITIES:
        if only and not ({identity.name, identity.username or "anonymous"} & only):
            continue
        outcomes.append(scan_as(identity, base_url, env, work, access_log))
    return outcomes, bandit


def run_bandit() -> list[Finding]:
    out = REPORTS / "bandit.json"
    with (REPORTS / "bandit.txt").open("w") as log:
        subprocess.run(
            [str(TOOLS / "bandit"), "-c", "pyproject.toml", "-r", "seethesigns", "-f", "json",
             "-o", str(out), "-q"],
            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
            check=False,  # it exits 1 when it finds something: the report says what
        )  # fmt: skip
    found = bandit_findings(json.loads(out.read_text()))
    print(f"  {len(found)} findings", flush=True)
    return found


def scan_as(identity: Identity, base_url: str, env: dict[str, str], work: Path,
            access_log: AccessLog) -> Outcome:  # fmt: skip
    outcome = Outcome(identity)
    cookie = f"csrftoken={csrf_secret()}"
    if identity.username:
        session = manage(env, "demo_session", identity.username).strip()
        cookie = f"sessionid={session}; {cookie}"
        if not signed_in(base_url, identity, cookie):
            raise SystemExit(f"scan: the demo session for {identity.username} did not sign in")
    slug = identity.username or "anonymous"
    print(f"\n== {identity.name} ({slug}): {', '.join(identity.areas)}", flush=True)

    started = time.monotonic()
    report = run_wapiti(identity, base_url, cookie, work / "wapiti" / slug, slug)
    outcome.wapiti_seconds = time.monotonic() - started
    outcome.crawled = int(report.get("infos", {}).get("crawled_pages_nbr", 0))
    output = (REPORTS / f"wapiti-{slug}.txt").read_text(errors="replace")
    cut_modules = set(re.findall(r"Max attack time was reached for module (\w+)", output))
    outcome.modules_cut = len(cut_modules & set(WAPITI_MODULES[:ACTIVE_MODULES]))
    outcome.crawl_cut = "Max scan time was reached" in output
    refused = {path for path, body in tokenless_forms(report)
               if post_status(base_url + path, body, cookie) == 403}  # fmt: skip
    outcome.findings += wapiti_findings(report, identity.name, refused)
    lines = access_log.since_last()
    outcome.wapiti_requests = count_requests(lines)
    outcome.findings += server_errors(lines, identity.name)
    cut = " (crawl cut short)" if outcome.crawl_cut else ""
    print(f"  wapiti: {outcome.crawled} URLs crawled{cut}, {outcome.wapiti_requests} requests, "
          f"{outcome.wapiti_seconds:.0f} s, {outcome.modules_cut} of {ACTIVE_MODULES} attack "
          "modules cut short", flush=True)  # fmt: skip

    started = time.monotonic()
    run_sqlmap(identity, base_url, cookie, report, work / "sqlmap" / slug, outcome)
    outcome.sqlmap_seconds = time.monotonic() - started
    lines = access_log.since_last()
    outcome.sqlmap_requests = count_requests(lines)
    outcome.findings += server_errors(lines, identity.name)
    stopped = f" ({outcome.sqlmap_cut} stopped at the limit)" if outcome.sqlmap_cut else ""
    print(f"  sqlmap: {outcome.sqlmap_tested} of {outcome.sqlmap_targets} targets{stopped}, "
          f"{outcome.sqlmap_parameters} of {outcome.sqlmap_parameters_found} parameters, "
          f"{outcome.sqlmap_requests} requests, "
          f"{outcome.sqlmap_seconds:.0f} s", flush=True)  # fmt: skip

    if identity.username and not signed_in(base_url, identity, cookie):
        outcome.findings.append(
            Finding("scan", "high", "signed out during the scan: coverage incomplete",
                    identity=identity.name)
        )  # fmt: skip
    for finding in outcome.findings:
        if finding.severity != "info":
            print(f"  {finding}" + (" (accepted)" if finding.accepted else ""))
    return outcome


def run_wapiti(identity: Identity, base_url: str, cookie: str, folder: Path,
               slug: str) -> dict[str, Any]:  # fmt: skip
    folder.mkdir(parents=True)
    out = REPORTS / f"wapiti-{slug}.json"
    seconds = identity.seconds * TIME or 24 * 3600
    crawl, per_module = seconds / 4, seconds * 3 / 4 / ACTIVE_MODULES
    command = [
        str(TOOLS / "wapiti"), "-u", base_url + identity.base, "--scope", "folder",
        "-m", ",".join(WAPITI_MODULES), "-C", cookie, "--skip", "csrfmiddlewaretoken",
        "-d", "5", "--max-links-per-page", "50", "--max-files-per-dir", "10",
        "--max-scan-time", f"{crawl:.0f}", "--max-attack-time", f"{per_module:.0f}",
        "--tasks", "8", "-t", "20", "--flush-session",
        "--store-session", str(folder / "session"), "--store-config", str(folder / "config"),
        "-f", "json", "-o", str(out), "-dr", "1", "--no-bugreport", "-v", "1",
    ]  # fmt: skip
    for area in identity.areas:
        command += ["-s", base_url + area]
    for path in excluded(identity):
        command += ["-x", base_url + path + "*"]
    with (REPORTS / f"wapiti-{slug}.txt").open("w") as output:
        subprocess.run(command, cwd=folder, env={**os.environ, "HOME": str(folder)},
                       stdout=output, stderr=subprocess.STDOUT, check=True)  # fmt: skip
    return dict(json.loads(out.read_text()))


@dataclass(frozen=True)
class Target:
    method: str
    url: str
    data: str  # the form's fields, for a POST
    parameters: tuple[str, ...]  # those sqlmap tests: see distinct()


# A family of fields that one loop makes, such as the screening form's going-missing-state,
# gifts-money-phones-state and one for every other indicator: two of them stand for the rest.
FAMILY = 5


def distinct(names: list[str]) -> tuple[str, ...]:
    """The fields to test: all, less all but two of each family (names ending the same way)."""
    families: dict[str, list[str]] = {}
    for name in names:
        families.setdefault(name.rsplit("-", 1)[-1], []).append(name)
    keep = {
        n for family in families.values() for n in (family if len(family) < FAMILY else family[:2])
    }
    return tuple(n for n in names if n in keep)


def sqlmap_targets(report: dict[str, Any]) -> list[Target]:
    """Each distinct query string and form wapiti found: query strings first, then small forms."""
    seen, targets = set(), []
    for page in report.get("infos", {}).get("crawled_pages", []):
        request = page["request"]
        url, method = str(request["url"]), str(request["method"])
        query = urlsplit(url).query
        fields = [(str(k), str(v)) for k, v in request.get("post_params") or []]
        names = sorted({k for k, _ in fields} | {p.split("=")[0] for p in query.split("&") if p})
        names = [n for n in names if n != "csrfmiddlewaretoken"]
        if not names:
            continue
        # /pro/records/3/edit/ and /pro/records/4/edit/ run the same code: test one of them.
        # So do /pro/concerns/TS-7KQ2-M4PA/ and the other references: a digit or a capital.
        shape = (method, re.sub(r"/[^/]*[\dA-Z][^/]*(?=/)", "/N", urlsplit(url).path), tuple(names))
        if shape in seen:
            continue
        seen.add(shape)
        targets.append(Target(method, url, urlencode(fields), distinct(names)))
    return sorted(targets, key=lambda t: (t.method != "GET", len(t.parameters)))


def run_sqlmap(identity: Identity, base_url: str, cookie: str, report: dict[str, Any],
               folder: Path, outcome: Outcome) -> None:  # fmt: skip
    """sqlmap on every target, SQLMAP_AT_ONCE at a time, each within its time."""
    folder.mkdir(parents=True)
    targets = sqlmap_targets(report)
    outcome.sqlmap_targets = len(targets)
    outcome.sqlmap_parameters_found = sum(len(t.parameters) for t in targets)
    limit = SQLMAP_TARGET_SECONDS * TIME or None
    pool = ThreadPoolExecutor(SQLMAP_AT_ONCE)
    try:
        outputs = list(pool.map(lambda n: sqlmap(targets[n], cookie, folder / str(n), limit),
                                range(len(targets))))  # fmt: skip
    finally:  # stopped (SIGTERM, Ctrl-C): start no more targets, so everything stops soon
        pool.shutdown(cancel_futures=True)
    transcript = REPORTS / f"sqlmap-{identity.username or 'anonymous'}.txt"
    with transcript.open("w") as log:
        for target, (output, cut) in zip(targets, outputs, strict=True):
            stopped = f"(stopped at the time limit, {limit} s)\n" if cut else ""
            log.write(f"### {target.method} {target.url}\n{output}\n{stopped}")
            path = urlsplit(target.url).path
            # What a stopped run found still counts.
            outcome.findings += sqlmap_findings(output, target.method, path, identity.name)
            outcome.sqlmap_parameters += sqlmap_tested(output)
            if cut:
                outcome.sqlmap_cut += 1
            else:
                outcome.sqlmap_tested += 1


def sqlmap(target: Target, cookie: str, folder: Path, limit: float | None) -> tuple[str, bool]:
    """sqlmap's output on one target, and whether its time limit stopped it before the end."""
    command = [
        str(TOOLS / "sqlmap"), "-u", target.url, "--cookie", cookie, "--batch",
        "--dbms", "PostgreSQL", "--skip", "csrfmiddlewaretoken", "--disable-coloring",
        "--output-dir", str(folder), "--flush-session", "--timeout", "20", "--retries", "1",
        "-v", "1",
    ]  # fmt: skip
    if limit:
        command += ["--time-limit", str(limit)]  # sqlmap stops itself, printing what it did
    if target.method == "POST":
        command += ["--data", target.data]
    command += ["-p", ",".join(target.parameters)]
    folder.mkdir()
    started = time.monotonic()
    try:
        done = subprocess.run(command, cwd=folder, env={**os.environ, "HOME": str(folder)},
                              capture_output=True, text=True, check=False,
                              timeout=limit and limit + 120)  # fmt: skip
    except subprocess.TimeoutExpired as stuck:  # it did not stop itself: what it printed, as bytes
        printed = stuck.stdout or b""
        return printed.decode(errors="replace") if isinstance(printed, bytes) else printed, True
    return done.stdout, limit is not None and time.monotonic() - started >= limit


def report(outcomes: list[Outcome], bandit: list[Finding], seconds: float) -> int:
    """Print the table and the verdict; return the exit status."""
    found = bandit + [f for o in outcomes for f in o.findings]
    print()
    header = (f"{'identity':30} {'URLs':>5} {'wapiti req':>10} {'cut':>4} {'s':>4} "
              f"{'sqlmap':>7} {'params':>9} {'sqlmap req':>10} {'s':>4} "
              f"{'failing':>7}")  # fmt: skip
    print(header)
    print("-" * len(header))
    for o in outcomes:
        print(
            f"{o.identity.name:30} {o.crawled:5} {o.wapiti_requests:10} {o.modules_cut:4} "
            f"{o.wapiti_seconds:4.0f} {o.sqlmap_tested:>3}/{o.sqlmap_targets:<3} "
            f"{o.sqlmap_parameters:>4}/{o.sqlmap_parameters_found:<4} {o.sqlmap_requests:10} "
            f"{o.sqlmap_seconds:4.0f} "
            f"{len(failures(o.findings)):7}"
        )
    print(f"(cut: of wapiti's {ACTIVE_MODULES} attack modules, how many ran out of time; "
          "sqlmap: targets tested to the end of those found, and parameters tested of theirs; "
          "a target stopped at its time limit keeps what it tested)")  # fmt: skip
    print()
    for tool, counts in sorted(by_severity(found).items()):
        print(f"{tool}: " + ", ".join(f"{n} {s}" for s, n in sorted(counts.items())))
    accepted = [f for f in found if f.accepted]
    if accepted:
        print(f"accepted after review (scan/findings.py ACCEPTED): {len(accepted)}")
    failing = failures(found)
    for finding in failing:
        print(f"FAILS: {finding}")
    summary = {
        "seconds": round(seconds),
        "identities": [
            {"name": o.identity.name, "username": o.identity.username, "crawled": o.crawled,
             "wapiti_requests": o.wapiti_requests, "modules_cut": o.modules_cut,
             "crawl_cut": o.crawl_cut, "sqlmap_targets": o.sqlmap_targets,
             "sqlmap_tested": o.sqlmap_tested, "sqlmap_cut": o.sqlmap_cut,
             "sqlmap_parameters": o.sqlmap_parameters,
             "sqlmap_parameters_found": o.sqlmap_parameters_found,
             "sqlmap_requests": o.sqlmap_requests, "wapiti_seconds": round(o.wapiti_seconds),
             "sqlmap_seconds": round(o.sqlmap_seconds)}
            for o in outcomes
        ],
        "by_severity": {tool: dict(c) for tool, c in by_severity(found).items()},
        "accepted": len(accepted),
        "failing": [str(f) for f in failing],
    }  # fmt: skip
    (REPORTS / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    print(f"Reports in {REPORTS.relative_to(ROOT)}/; {seconds / 60:.1f} minutes in all.")
    print(f"scan: {'FAILED' if failing else 'passed'} ({len(failing)} failing findings)")
    return 1 if failing else 0


if __name__ == "__main__":
    main()
