from django.apps import AppConfig


class LinksConfig(AppConfig):
    name = "seethesigns.links"
    verbose_name = "People, places, vehicles and their links"
