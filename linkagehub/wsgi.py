"""The hub as a WSGI application: `gunicorn linkagehub.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ["DJANGO_SETTINGS_MODULE"] = "linkagehub.settings"
application = get_wsgi_application()
