"""Count the fuzz run's inputs at the end; `make fuzz` fails below FUZZ_MIN_INPUTS of them."""

import os
from typing import Any

from seethesigns.tests.fuzzing import KEPT, TRIED


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not TRIED:
        return
    write = terminalreporter.write_line
    terminalreporter.section("fuzz: generated inputs per endpoint")
    width = max(len(name) for name in TRIED)
    for name, count in sorted(TRIED.items()):
        kept = f"  (form shown again with what was typed: {KEPT[name]})" if KEPT[name] else ""
        write(f"{name:<{width}}  {count:>6}{kept}")
    write(f"fuzz: {sum(TRIED.values())} inputs to {len(TRIED)} endpoints")


def pytest_sessionfinish(session: Any, exitstatus: int) -> None:
    wanted = int(os.environ.get("FUZZ_MIN_INPUTS", "0"))
    tried = sum(TRIED.values())
    if wanted and tried < wanted:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line(f"fuzz: only {tried} inputs, fewer than {wanted}", red=True)
        session.exitstatus = 1
