from django.apps import AppConfig


class WebsiteConfig(AppConfig):
    name = "seethesigns.website"
    # The label the database and Wagtail have always known (tables, page types): "content".
    label = "content"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from seethesigns import pagecache
        from seethesigns.website import (
            approval,
            checks,  # noqa: F401  (registers the system checks)
            compare,
        )

        compare.register()
        approval.connect_signals()

        pagecache.connect_signals()
