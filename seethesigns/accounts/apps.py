from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "seethesigns.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from seethesigns.accounts import checks  # noqa: F401  (registers the system checks)
