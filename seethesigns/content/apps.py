from django.apps import AppConfig


class ContentConfig(AppConfig):
    name = "seethesigns.content"
    label = "content"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from seethesigns import pagecache
        from seethesigns.content import (
            approval,
            checks,  # noqa: F401  (registers the system checks)
            compare,
        )

        compare.register()
        approval.connect_signals()

        pagecache.connect_signals()
