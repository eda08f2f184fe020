from django.apps import AppConfig


class ContentConfig(AppConfig):
    name = "seethesigns.content"
    label = "content"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from seethesigns import pagecache
        from seethesigns.content import checks  # noqa: F401  (registers the system checks)

        pagecache.connect_signals()
