from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "seethesigns.screening"
    verbose_name = "Screening"

    def ready(self) -> None:
        from seethesigns.screening import checks  # noqa: F401  (registers the check)
