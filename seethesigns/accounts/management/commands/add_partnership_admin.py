import getpass
from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse

from seethesigns.accounts.models import Organisation, Role, Team, User


class Command(BaseCommand):
    help = "Create the first partnership admin, who then invites everyone else from Users."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument("--organisation", default="Safeguarding Children Partnership")
        parser.add_argument("--team", default="Partnership Office")

    def handle(self, *args: Any, **options: Any) -> None:
        email = options["email"].lower()
        if User.objects.filter(username=email).exists():
            raise CommandError(f"{email} already has an account.")
        organisation, _ = Organisation.objects.get_or_create(
            name=options["organisation"], defaults={"kind": Organisation.Kind.PARTNERSHIP}
        )
        team, _ = Team.objects.get_or_create(organisation=organisation, name=options["team"])
        user = User(
            username=email,
            email=email,
            first_name=options["first_name"],
            last_name=options["last_name"],
            role=Role.PARTNERSHIP_ADMIN,
            team=team,
        )
        password = getpass.getpass("Password (at least 12 characters; three random words work): ")
        try:
            password_validation.validate_password(password, user)
        except ValidationError as e:
            raise CommandError(" ".join(e.messages)) from e
        user.set_password(password)
        user.save()
        home = reverse("pro:home")
        self.stdout.write(f"{email} can now sign in at {home} and set up two-factor sign-in.")
