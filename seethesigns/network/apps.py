from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "seethesigns.network"
    # The label the database has always known: tables, migrations and permissions keep "links".
    label = "links"
    verbose_name = "People, places, vehicles and their links"

    def ready(self) -> None:
        from seethesigns.children import panels
        from seethesigns.matching.api import register_source
        from seethesigns.network import panels as network_panels
        from seethesigns.network.people import source

        # The child's page shows this app's part of it (children imports no app above it).
        panels.register("network", network_panels.child_panel)
        # What the model's estimate reads for people of concern (manage.py estimate_matching).
        register_source("person", source)
