from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "seethesigns.referrals"
    verbose_name = "Referrals"

    def ready(self) -> None:
        from seethesigns.children import panels
        from seethesigns.referrals import panels as referrals_panels

        # The child's page shows this app's part of it (children imports no app above it).
        panels.register("referrals", referrals_panels.child_panel)
