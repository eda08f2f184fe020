"""Who a text is written for, and the lists of signs."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Audience(models.TextChoices):
    EVERYONE = "everyone", _("Everyone")
    YOUNG_PEOPLE = "young_people", _("Young people")
    FRIENDS = "friends", _("Friends of a young person")
    PARENTS = "parents", _("Parents and carers")
    PROFESSIONALS = "professionals", _("Professionals")
    PUBLIC = "public", _("People who work with the public")


# Text for these readers must read at Flesch-Kincaid grade 7 or below.
YOUNG_AUDIENCES = {Audience.YOUNG_PEOPLE, Audience.FRIENDS}


class SignList(models.TextChoices):
    ME = "me", _("Is this happening to me?")
    FRIEND = "friend", _("Is this happening to a friend?")
    PARENT = "parent", _("For parents and carers")
    PROFESSIONAL = "professional", _("For professionals")
    PUBLIC = "public", _("For people who work with the public")


YOUNG_SIGN_LISTS = {SignList.ME, SignList.FRIEND}


class SignKind(models.TextChoices):
    SIGN = "sign", _("A sign that exploitation may be happening")
    VULNERABILITY = "vulnerability", _("Something that makes a child more vulnerable")


class Urgency(models.TextChoices):
    EMERGENCY = "emergency", _("In danger now")
    TALK = "talk", _("Talk to someone")
    REPORT = "report", _("Report it")
    ADULTS = "adults", _("Advice for adults")
    LOCAL = "local", _("Local services")
