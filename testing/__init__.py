"""The test and development harness: live servers, fault switches, PostgreSQL, screenshots.

None of it is imported by the running site; tests, benches, scans and `make screenshots` use it.
"""
