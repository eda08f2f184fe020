from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "seethesigns.screening"
    verbose_name = "Screening"
