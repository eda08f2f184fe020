from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "seethesigns.meetings"
    verbose_name = "Multi-agency child exploitation (MACE) meetings"
