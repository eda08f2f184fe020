from django.apps import AppConfig


class ContentConfig(AppConfig):
    name = "seethesigns.content"
    label = "content"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from seethesigns import pagecache

        pagecache.connect_signals()
