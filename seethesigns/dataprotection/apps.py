from django.apps import AppConfig


class DataProtectionConfig(AppConfig):
    name = "seethesigns.dataprotection"
    label = "dataprotection"
    default_auto_field = "django.db.models.BigAutoField"
