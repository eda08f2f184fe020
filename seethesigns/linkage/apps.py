from django.apps import AppConfig


class LinkageConfig(AppConfig):
    name = "seethesigns.linkage"
    verbose_name = "Matches with other partnerships (the linkage hub)"
