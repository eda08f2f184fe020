from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "seethesigns.screening"
    verbose_name = "Screening"

    def ready(self) -> None:
        from seethesigns.children import panels
        from seethesigns.screening import checks  # noqa: F401  (registers the check)
        from seethesigns.screening import panels as screening_panels

        # The child's page shows this app's part of it (children imports no app above it).
        panels.register("screening", screening_panels.child_panel)
