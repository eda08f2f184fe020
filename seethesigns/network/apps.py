from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "seethesigns.network"
    # The label the database has always known: tables, migrations and permissions keep "links".
    label = "links"
    verbose_name = "People, places, vehicles and their links"
