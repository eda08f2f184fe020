from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "seethesigns.referrals"
    verbose_name = "Referrals"
