"""make bench: the public pages against nginx sending the same bytes from disk, in one run.

It starts, on 127.0.0.1 and on free ports:
- a throwaway PostgreSQL (or uses BENCH_DATABASE_URL),
- the app as in production: gunicorn with gunicorn.conf.py, production settings, persistent
  database connections, pre-rendered public pages, and nginx in front as docs/deploying.md says,
- a plain nginx serving a static copy of the same pages (the yardstick),
then drives each with wrk and prints one table. The last line is `public pages ratio: X`, the
lowest throughput ratio over the public pages of the app's production set-up (nginx in front
answering from the pre-rendered files, gunicorn behind) to the plain nginx. Everything it
started is stopped by PID.

Environment: BENCH_SECONDS (per measurement, default 3), BENCH_ROUNDS (default 5),
BENCH_CONNECTIONS (default 64), BENCH_DYNAMIC_CONNECTIONS (default 32), BENCH_DATABASE_URL,
BENCH_KEEP=1 (keep the work folder).
"""

from __future__ import annotations

import itertools
import json
import os
import platform
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from testing import pgserver  # noqa: E402
from testing.liveserver import free_port  # noqa: E402
from testing.pgserver import Processes  # noqa: E402

PYTHON = sys.executable
SECONDS = int(os.environ.get("BENCH_SECONDS", "3"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "64"))
DYNAMIC_CONNECTIONS = int(os.environ.get("BENCH_DYNAMIC_CONNECTIONS", "32"))
THREADS = 2
OFFSETS = itertools.count(0, 7919)  # each wrk run starts at a new place in the bodies file
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))

# The public pages: the stable addresses, a sign list, a story step and the search page.
PUBLIC_PAGES = [
    "/",
    "/what-is-cse/",
    "/signs/",
    "/signs/me/",
    "/films/",
    "/stories/",
    "/stories/jay/meeting/",
    "/self-check/",
    "/get-help/",
    "/tell-someone/",
    "/cover-your-tracks/",
    "/search/",
]
# p95 targets (ms) at DYNAMIC_CONNECTIONS: 32 people pressing the button at the same instant
# still get an answer well inside a second (the reasons are in docs/benchmarks.md).
DYNAMIC_TARGETS = {
    "self-check answer (no JS)": 750,
    "search": 750,
    "tell someone: send": 750,
    "screening API": 500,
    "exit": 100,
}


@dataclass
class Result:
    requests_per_second: float
    p50: float
    p95: float
    p99: float
    errors: int


def median(results: list[Result]) -> Result:
    """Each figure's median over the runs."""

    def mid(values: list[float]) -> float:
        return statistics.median(values)

    return Result(
        requests_per_second=mid([r.requests_per_second for r in results]),
        p50=mid([r.p50 for r in results]),
        p95=mid([r.p95 for r in results]),
        p99=mid([r.p99 for r in results]),
        errors=sum(r.errors for r in results),
    )


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"bench: {url} did not answer within {seconds} s")


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, dict(response.headers.items()), response.read()


def start_postgres(work: Path, processes: Processes) -> str:
    """A throwaway PostgreSQL, unless BENCH_DATABASE_URL names one."""
    if os.environ.get("BENCH_DATABASE_URL"):
        return os.environ["BENCH_DATABASE_URL"]
    return pgserver.start_postgres(work, processes, "bench")


def production_env(work: Path, database_url: str, app_port: int) -> dict[str, str]:
    return {
        **os.environ,
        "SEETHESIGNS_MODE": "production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "DATA_KEYS": Fernet.generate_key().decode(),
        "AUDIT_KEY": secrets.token_urlsafe(32),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",  # TLS ends at nginx in production; loopback here
        "DATABASE_URL": database_url,
        "CONN_MAX_AGE": "600",
        "VAR_DIR": str(work / "var"),
        "PAGE_CACHE_DIR": str(work / "pages"),
        "BIND": f"127.0.0.1:{app_port}",
        "CONCERNS_PER_10_MINUTES": "100000000",  # the benchmark sends thousands from one address
        "CONCERNS_PER_DAY": "100000000",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
    }


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip


def nginx_conf(work: Path, name: str, server_block: str) -> Path:
    folder = work / f"nginx-{name}"
    folder.mkdir()
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (folder / sub).mkdir()
    conf = folder / "nginx.conf"
    user = "user root;\n" if os.geteuid() == 0 else ""
    conf.write_text(
        f"""{user}worker_processes auto;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
daemon off;
events {{ worker_connections 4096; }}
http {{
    include /etc/nginx/mime.types;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
{server_block}
}}
"""
    )
    return conf


def start(processes: Processes, name: str, command: list[str], env: dict[str, str] | None = None,
          log: Path | None = None) -> None:  # fmt: skip
    out = open(log, "w") if log else subprocess.DEVNULL  # noqa: SIM115 (kept open for the child)
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    processes.add(name, process.pid)


def wrk(url: str, connections: int, *, method: str = "GET", bodies: Path | None = None,
        headers: list[str] | None = None, seconds: int = SECONDS) -> Result:  # fmt: skip
    env = {
        **os.environ,
        "BENCH_METHOD": method,
        "BENCH_BODIES": str(bodies or ""),
        "BENCH_HEADERS": "|".join(headers or ["Accept-Encoding: gzip"]),
        "BENCH_OFFSET": str(next(OFFSETS)),
    }
    output = subprocess.run(
        ["wrk", f"-t{THREADS}", f"-c{connections}", f"-d{seconds}s", "--timeout", "5s",
         "-s", str(ROOT / "bench" / "report.lua"), url],
        env=env, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    line = next(x for x in output.splitlines() if x.startswith("BENCH "))
    data = json.loads(line[len("BENCH ") :])
    return Result(
        requests_per_second=data["requests"] / data["seconds"],
        p50=data["p50_ms"],
        p95=data["p95_ms"],
        p99=data["p99_ms"],
        errors=data["non2xx"] + data["socket_errors"],
    )


def check_same_bytes(front: str, static: str, app: str) -> None:
    """The three servers must send the same page, or the comparison means nothing."""
    for path in PUBLIC_PAGES:
        status, headers, body = fetch(front + path)
        _, _, static_body = fetch(static + path)
        _, _, app_body = fetch(app + path)
        if not (status == 200 and body == static_body == app_body):
            raise SystemExit(f"bench: {path} differs between the app, nginx in front and nginx")
        if "Content-Security-Policy" not in headers or "Set-Cookie" in headers:
            raise SystemExit(f"bench: {path} from nginx in front lacks the app's headers")


LIGHTHOUSE = ROOT / "bench" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]


def lighthouse(front: str, work: Path) -> None:
    """Lighthouse (mobile) on each public page, served as in production; and the page budget."""
    chromium = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    env = {**os.environ, "CHROME_PATH": chromium, "HOME": str(work)}
    flags = "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage"
    print()
    print("Lighthouse 12, mobile (its default: emulated phone, slow 4G, 4x CPU slowdown).")
    names = ["perf", "a11y", "best", "seo"]
    header = f"{'page':24} " + " ".join(f"{n:>4}" for n in names)
    header += f" | {'requests':>8} {'bytes':>7} {'HTML':>6}"
    print(header)
    print("-" * len(header))
    below = []
    for path in PUBLIC_PAGES:
        out = work / "lighthouse.json"
        command = [
            str(LIGHTHOUSE), front + path, "--output=json", f"--output-path={out}", "--quiet",
            f"--chrome-flags={flags}", "--only-categories=" + ",".join(CATEGORIES),
        ]  # fmt: skip
        # Lighthouse now and then fails to record a trace (NO_NAVSTART): try up to three times.
        for attempt in range(3):
            if subprocess.run(command, env=env).returncode == 0:
                break
            print(f"  (Lighthouse failed on {path}, attempt {attempt + 1}; trying again)")
        else:
            raise SystemExit(f"bench: Lighthouse failed three times on {path}")
        report = json.loads(out.read_text())
        scores = [round(100 * (report["categories"][c]["score"] or 0)) for c in CATEGORIES]
        requests = report["audits"]["network-requests"]["details"]["items"]
        total = sum(r.get("transferSize", 0) for r in requests)
        html = next(
            (r.get("transferSize", 0) for r in requests if r["resourceType"] == "Document"), 0
        )
        print(
            f"{path:24} " + " ".join(f"{v:4}" for v in scores)
            + f" | {len(requests):8} {total:7} {html:6}"
        )  # fmt: skip
        for category, score in zip(CATEGORIES, scores, strict=True):
            if score < 100:
                refs = report["categories"][category]["auditRefs"]
                audits = [report["audits"][ref["id"]] for ref in refs]
                failing = [
                    a["id"]
                    for a in audits
                    if a.get("score") is not None
                    and a["score"] < 1
                    and a.get("scoreDisplayMode") != "informative"
                ]
                below.append(f"{path} {category} {score}: {', '.join(failing)}")
    print()
    for line in below:
        print(f"below 100: {line}")
    print(f"lighthouse: {len(below)} scores below 100")


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    nginx = subprocess.run(["nginx", "-v"], capture_output=True, text=True).stderr.strip()
    return (
        f"{os.cpu_count()} CPUs ({cpu}), {memory:.0f} GiB, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}, {nginx}"
    )


def main() -> None:
    for tool in ("nginx", "wrk"):
        if shutil.which(tool) is None:
            raise SystemExit(f"bench: {tool} is not installed (make bench installs it as root)")
    work = Path(tempfile.mkdtemp(prefix="seethesigns-bench-"))
    work.chmod(0o755)
    processes = Processes()
    try:
        run(work, processes)
    finally:
        processes.stop_all()
        if os.environ.get("BENCH_KEEP") != "1":
            shutil.rmtree(work, ignore_errors=True)


def run(work: Path, processes: Processes) -> None:
    print(f"Machine: {machine()}")
    print(f"wrk: {THREADS} threads, {SECONDS} s per measurement, all on 127.0.0.1")
    database_url = start_postgres(work, processes)
    app_port, front_port, static_port = free_port(), free_port(), free_port()
    env = production_env(work, database_url, app_port)
    (work / "var").mkdir()
    manage(env, "migrate", "--no-input")
    manage(env, "collectstatic", "--no-input")
    manage(env, "load_content")
    subprocess.run([PYTHON, "bench/setup_data.py", str(work)], cwd=ROOT, env=env, check=True)
    manage(env, "prerender")
    # The yardstick: a copy of the same files, served by a plain nginx.
    static_copy = work / "static-copy"
    shutil.copytree(work / "pages" / "current", static_copy, symlinks=False)
    # Byte for byte the same responses: the same files and the same headers.
    same_headers = subprocess.run(
        [PYTHON, "manage.py", "nginx_config", "--headers-only"],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    static_block = f"""
    server {{
        listen 127.0.0.1:{static_port};
        access_log off;
        root {static_copy};
        gzip_static on;
        gzip_vary on;
        etag off;
        charset utf-8;
        location / {{
            try_files $uri/index.html =404;
{same_headers}
        }}
    }}"""
    front_block = subprocess.run(
        [PYTHON, "manage.py", "nginx_config", "--listen", f"127.0.0.1:{front_port}",
         "--upstream", f"127.0.0.1:{app_port}", "--access-log", "off", "--allow-http"],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    start(processes, "gunicorn", [PYTHON, "-m", "gunicorn", "-c", "gunicorn.conf.py",
          "seethesigns.wsgi"], env=env, log=work / "gunicorn.log")  # fmt: skip
    start(processes, "nginx-front", ["nginx", "-c", str(nginx_conf(work, "front", front_block))])
    start(processes, "nginx-static", ["nginx", "-c", str(nginx_conf(work, "static", static_block))])
    app, front, static = (f"http://127.0.0.1:{p}" for p in (app_port, front_port, static_port))
    for url in (app + "/", front + "/", static + "/"):
        wait_for(url)
    check_same_bytes(front, static, app)
    if "--lighthouse" in sys.argv:
        lighthouse(front, work)
        return

    # Warm up: every worker loads its templates and opens its database connection first.
    for path in PUBLIC_PAGES:
        for base in (front, static, app):
            wrk(base + path, CONNECTIONS, seconds=1)

    print()
    print(f"Public pages, GET with gzip, {CONNECTIONS} connections. req/s and latency (ms).")
    header = (
        f"{'page':24} {'app req/s':>10} {'p50':>6} {'p99':>6} | {'nginx req/s':>11} {'p50':>6} "
        f"{'p99':>6} | {'ratio':>5} | {'gunicorn alone':>14} {'ratio':>5}"
    )
    print(header)
    print("-" * len(header))
    ratios = []
    failures = []
    for path in PUBLIC_PAGES:
        # Alternate the two servers, ROUNDS times each, and take the median of each: two cores
        # are shared with wrk, so one run on its own is noisy.
        runs: dict[str, list[Result]] = {"ours": [], "yardstick": []}
        for _ in range(ROUNDS):
            runs["ours"].append(wrk(front + path, CONNECTIONS))
            runs["yardstick"].append(wrk(static + path, CONNECTIONS))
        ours, yardstick = median(runs["ours"]), median(runs["yardstick"])
        alone = wrk(app + path, CONNECTIONS)
        ratio = ours.requests_per_second / yardstick.requests_per_second
        ratios.append((ratio, path))
        if ours.errors or alone.errors or yardstick.errors:
            failures.append(f"{path}: {ours.errors + alone.errors + yardstick.errors} errors")
        print(
            f"{path:24} {ours.requests_per_second:10.0f} {ours.p50:6.2f} {ours.p99:6.2f} | "
            f"{yardstick.requests_per_second:11.0f} {yardstick.p50:6.2f} {yardstick.p99:6.2f} | "
            f"{ratio:5.2f} | {alone.requests_per_second:14.0f} "
            f"{alone.requests_per_second / yardstick.requests_per_second:5.2f}"
        )
        if ours.p99 > 20:
            failures.append(f"{path}: p99 {ours.p99:.1f} ms > 20 ms")

    print()
    print(f"Dynamic endpoints, through nginx in front, {DYNAMIC_CONNECTIONS} connections.")
    session = (work / "session.txt").read_text().strip()
    form = "Content-Type: application/x-www-form-urlencoded"
    dynamic = [
        ("self-check answer (no JS)", "/self-check/me/", "selfcheck-body.txt", [form]),
        ("search", "/search/", "search-body.txt", [form]),
        ("tell someone: send", "/tell-someone/", "concern-bodies.txt",
         [form, f"Origin: {front}", "Sec-Fetch-Site: same-origin"]),
        ("screening API", "/pro/api/screening/", "screening-body.txt",
         ["Content-Type: application/json", f"Cookie: sessionid={session}"]),
        ("exit", "/exit/", None, []),
    ]  # fmt: skip
    header = f"{'endpoint':28} {'req/s':>7} {'p50':>7} {'p95':>7} {'target p95':>10} {'errors':>6}"
    print(header)
    print("-" * len(header))
    for name, path, body, headers in dynamic:
        method = "POST" if body else "GET"
        bodies = work / body if body else None
        # Warm up first, then measure.
        wrk(front + path, DYNAMIC_CONNECTIONS, method=method, bodies=bodies, headers=headers,
            seconds=1)  # fmt: skip
        result = wrk(front + path, DYNAMIC_CONNECTIONS, method=method, bodies=bodies,
                     headers=headers)  # fmt: skip
        target = DYNAMIC_TARGETS[name]
        print(
            f"{name:28} {result.requests_per_second:7.0f} {result.p50:7.1f} {result.p95:7.1f} "
            f"{target:10} {result.errors:6}"
        )
        if result.errors:
            failures.append(f"{name}: {result.errors} errors")
        if result.p95 > target:
            failures.append(f"{name}: p95 {result.p95:.0f} ms > {target} ms")

    print()
    lowest, where = min(ratios)
    for failure in failures:
        print(f"not met: {failure}")
    print(f"lowest ratio at {where}")
    print(f"public pages ratio: {lowest:.2f}")


if __name__ == "__main__":
    main()
