from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "seethesigns.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_login_failed

        from seethesigns.accounts import (
            checks,  # noqa: F401  (registers the system checks)
            lockout,
        )

        # The only way to hear of a failed sign-in, wherever it happens (/pro/ or /cms/).
        user_login_failed.connect(lockout.on_sign_in_failed, dispatch_uid="audit_sign_in_failed")
        user_locked_out.connect(lockout.on_locked_out, dispatch_uid="audit_locked_out")
