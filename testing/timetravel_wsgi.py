"""The site with its clock moved to TIME_TRAVEL_TO (ISO 8601), for browser tests of deadlines.

Test harness only: `serve(env, app="testing.timetravel_wsgi")`. The clock keeps
ticking from that moment, in this worker process alone.
"""

import os
from datetime import datetime

import time_machine

time_machine.travel(datetime.fromisoformat(os.environ["TIME_TRAVEL_TO"]), tick=True).start()

from seethesigns.wsgi import application  # noqa: E402  (after the clock has moved)

__all__ = ["application"]
