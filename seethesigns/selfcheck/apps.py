from django.apps import AppConfig


class SelfCheckConfig(AppConfig):
    name = "seethesigns.selfcheck"
    label = "selfcheck"
    default_auto_field = "django.db.models.BigAutoField"
