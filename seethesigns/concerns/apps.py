from django.apps import AppConfig


class ConcernsConfig(AppConfig):
    name = "seethesigns.concerns"
    verbose_name = "Concerns"
