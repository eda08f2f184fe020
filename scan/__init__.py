"""`make scan`: wapiti3 and sqlmap against the running app, as each role, and bandit."""
