from django.apps import AppConfig


class ConcernsConfig(AppConfig):
    name = "seethesigns.concerns"
    verbose_name = "Concerns"

    def ready(self) -> None:
        from seethesigns.children import panels
        from seethesigns.concerns import panels as concerns_panels
        from seethesigns.referrals import sections

        # The child's page shows this app's part of it (children imports no app above it).
        panels.register("concerns", concerns_panels.child_panel)
        # And the referral's page the concerns linked to it (referrals imports no app above it).
        sections.register("concerns", concerns_panels.referral_section)
