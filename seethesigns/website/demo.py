"""The demo partnership's local contacts and the CMS's demo editor and lead (never live)."""

from django.contrib.auth.models import Group
from django.urls import reverse

from seethesigns.accounts.models import User
from seethesigns.website.editorial import EDITORS, LEADS
from seethesigns.website.loading import Loader

AFTER: tuple[str, ...] = ()

DEMO_ACCOUNTS = [
    ("demo-editor", "Demo editor", EDITORS, "editor-demo-password"),
    ("demo-lead", "Demo safeguarding lead", LEADS, "lead-demo-password"),
]


def load() -> list[str]:
    """Load the demo contacts, create the demo editor and lead; return their sign-in details."""
    Loader().load_demo()
    cms = reverse("wagtailadmin_home")
    shown = [f"Demo sign-in at {cms} (demo accounts only work outside production):"]
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
        shown.append(f"  {name}: username {username}, password {password}")
    return shown
