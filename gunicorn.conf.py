"""Production gunicorn settings (see README.md, "Deploying"). Values come from the environment."""

import os
from typing import Any

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = 30
graceful_timeout = 30
# Workers fork from a master that has already loaded Django, so a worker's restart is cheap.
preload_app = True
max_requests = 20000
max_requests_jitter = 2000
control_socket_disable = True
accesslog = "-"
# Method, path without the query string, status, bytes, time: never what someone searched for.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'


def when_ready(server: Any) -> None:
    """Say at every start, in the server's log, which placeholder contacts are unconfirmed."""
    from seethesigns.website.checks import check_placeholder_contacts

    for warning in check_placeholder_contacts():
        server.log.warning("%s %s (%s)", warning.msg, warning.hint, warning.id)
