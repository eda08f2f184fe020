from django.apps import AppConfig


class ChildrenConfig(AppConfig):
    name = "seethesigns.children"
    # The label the database has always known: tables, migrations and permissions keep "cases".
    label = "cases"
    verbose_name = "Children's records"

    def ready(self) -> None:
        from seethesigns.children import search
        from seethesigns.matching import api

        # The matching's estimation (manage.py estimate_matching) reads every child from here.
        api.register_source("child", search.every_record)
