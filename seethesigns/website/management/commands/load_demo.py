from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from seethesigns.accounts.demo import load_workspace_demo
from seethesigns.accounts.models import User
from seethesigns.website.editorial import EDITORS, LEADS
from seethesigns.website.loading import ContentError, Loader

DEMO_ACCOUNTS = [
    ("demo-editor", "Demo editor", EDITORS, "editor-demo-password"),
    ("demo-lead", "Demo safeguarding lead", LEADS, "lead-demo-password"),
]


class Command(BaseCommand):
    help = "Load the demo partnership's local contacts and demo accounts (never in production)."

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("Demo data and demo accounts are never loaded in production.")
        try:
            Loader().load_demo()
        except ContentError as e:
            raise CommandError(str(e)) from e
        cms = reverse("wagtailadmin_home")
        self.stdout.write(f"Demo sign-in at {cms} (demo accounts only work outside production):")
        for username, name, group_name, password in DEMO_ACCOUNTS:
            user, created = User.objects.get_or_create(
                username=username, defaults={"first_name": name, "is_demo": True}
            )
            if created:
                user.set_password(password)
                user.save(update_fields=["password"])
            if not user.email:
                # Wagtail e-mails the lead what waits and the editor what came back.
                user.email = f"{username}@example.org"
                user.save(update_fields=["email"])
            user.groups.set([Group.objects.get(name=group_name)])
            self.stdout.write(f"  {name}: username {username}, password {password}")
        rows = load_workspace_demo()
        self.stdout.write(
            f"Demo sign-in to the professionals' workspace at {reverse('pro:home')} "
            "(you set up two-factor sign-in with an authenticator app the first time):"
        )
        for role, username, password in rows:
            self.stdout.write(f"  {role}: username {username}, password {password}")
