"""The linkage hub: compares partnerships' keyed encodings and tells both sides of a likely match.

A Django project of its own (settings `linkagehub.settings`, its own database from
HUB_DATABASE_URL), run apart from any partnership's SeeTheSigns; it never imports `seethesigns`.
Run it with `python -m linkagehub runserver 127.0.0.1:8100` or gunicorn `linkagehub.wsgi`.
"""
