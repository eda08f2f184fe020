"""The site's two private trees, named once.

`urls.py` mounts the workspace and the CMS here, and the code that sorts a request before any view
runs (security headers, the page cache, sign-in, the audit, the outage page) reads the same names.
Links inside either tree are built from route names (`reverse()`, `{% url %}`), never typed.
"""

WORKSPACE = "/pro/"
CMS = "/cms/"
