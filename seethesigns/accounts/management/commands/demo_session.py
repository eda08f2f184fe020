import os
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from seethesigns.accounts.demo import start_demo_session
from seethesigns.accounts.models import User

# Set by `make scan` for the throwaway site it scans; never set it on a real site.
FLAG = "SEETHESIGNS_DEMO_SESSIONS"


class Command(BaseCommand):
    help = (
        "Print a session cookie value for a demo account, signed in with the second factor done, "
        f"so a scanner can browse as that account. Never in production; needs DEBUG or {FLAG}=1."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, username: str, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("Demo sessions are never made in production.")
        if not (settings.DEBUG or os.environ.get(FLAG) == "1"):
            raise CommandError(f"Demo sessions need DEBUG on or {FLAG}=1 (a throwaway site).")
        user = User.objects.filter(username=username, is_demo=True, is_active=True).first()
        if user is None:
            raise CommandError(f"No active demo account called {username!r}.")
        self.stdout.write(start_demo_session(user))
