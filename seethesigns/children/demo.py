"""Demo child: Mia, held by the school's DSL (never in production)."""

from datetime import date

from seethesigns.accounts.models import User
from seethesigns.children.actions import index_names
from seethesigns.children.models import Child

AFTER = ("accounts",)


def load() -> list[str]:
    """A fictional child held by the school; screening and referrals add to her record."""
    dsl = User.objects.get(username="demo-dsl")
    child, _ = Child.objects.get_or_create(
        first_name="Mia",
        last_name="Example",
        defaults={
            "date_of_birth": date(2012, 5, 1),
            "learning_disability": "no",
            "sex": "female",
            "ethnicity": "white-british",
            "nationality": "GB",
            "nhs_number": "4857773457",  # valid; not the NHS example number the tests type
            "team": dsl.team,
            "created_by": dsl,
        },
    )
    index_names(child)  # the sound-alike keys search before create finds her by
    return []
