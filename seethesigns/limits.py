"""What a form says when an answer is longer than its field allows: the same words on every form."""

from django.utils.translation import gettext_lazy as _

TOO_LONG = _(
    "What you wrote is too long. Keep it to %(limit_value)s characters: it has %(show_value)s."
)
