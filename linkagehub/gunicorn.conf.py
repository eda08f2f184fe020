"""The hub's gunicorn settings: `gunicorn -c linkagehub/gunicorn.conf.py linkagehub.wsgi`.

Not the app's gunicorn.conf.py (which checks the app's contacts at start): the hub loads nothing
of the app. Values come from the environment.
"""

import os

bind = os.environ.get("HUB_BIND", "127.0.0.1:8100")
workers = int(os.environ.get("HUB_WORKERS", "2"))
threads = int(os.environ.get("HUB_THREADS", "4"))
timeout = 60  # 1,000 encodings matched in one request
graceful_timeout = 30
preload_app = True
max_requests = 20000
max_requests_jitter = 2000
control_socket_disable = True
accesslog = "-"
# Method, path, status, bytes, time, and which partnership signed: never a body.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms %({x-hub-partnership}i)s'
