"""Matching: is this record the same person or child as that one (issue 20).

A low app (just above accounts): it knows nothing of children or network. `api.py` holds the
record shape, the online `compare()`, the blocking keys and the source registry; `fields.py`
the comparison levels, shared with Splink's batch settings; `estimate.py` the unsupervised
estimation with Splink on DuckDB. docs/join-the-dots.md says how well it works.
"""
