from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "seethesigns.matching"
    label = "matching"
    verbose_name = "Matching people and children"
