from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who signs in: an editor now, a professional when the workspace arrives."""

    is_demo = models.BooleanField(
        _("demo account"),
        default=False,
        help_text=_("Created by load_demo. Demo accounts can never sign in in production."),
    )
