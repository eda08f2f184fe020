from django.apps import AppConfig


class LinkageHubConfig(AppConfig):
    name = "linkagehub"
    verbose_name = "Linkage hub"
    default_auto_field = "django.db.models.BigAutoField"
