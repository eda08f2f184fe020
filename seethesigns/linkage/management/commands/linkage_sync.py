from typing import Any

from django.core.management.base import BaseCommand, CommandError

from seethesigns.linkage import sync
from seethesigns.linkage.client import HubClient, HubError, enabled, hub_settings


class Command(BaseCommand):
    help = (
        "Exchange with the linkage hub: send new or changed encodings, withdraw erased records, "
        "and bring the hub's alerts into the CSE coordinator's inbox (run it every few minutes)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--check", action="store_true", help="Only ask the hub who it takes us for."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not enabled():
            self.stdout.write("The linkage hub is off (LINKAGE_HUB_URL is not set): nothing done.")
            return
        try:
            hub = hub_settings()
            if options["check"]:
                me = HubClient(hub).me()
                self.stdout.write(f"The hub knows us as {me.get('name', '')} ({me.get('slug')}).")
                return
            result = sync.run(hub)
        except HubError as e:
            raise CommandError(str(e)) from None
        alerts = result.alerts
        self.stdout.write(
            f"Offered {result.offered} records: sent {result.sent}, unchanged "
            f"{result.unchanged}, withdrew {result.withdrawn}, could not encode "
            f"{result.unencodable}. Alerts: {alerts.get('raised', 0)} new, "
            f"{alerts.get('closed', 0)} closed, {alerts.get('skipped', 0)} unreadable."
        )
        if result.failures:
            # Every phase ran; say which failed, and fail the command so cron reports it.
            raise CommandError(
                " ".join(f"The {phase} failed: {why}" for phase, why in result.failures.items())
            )
