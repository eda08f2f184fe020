from django.apps import AppConfig


class ChildrenConfig(AppConfig):
    name = "seethesigns.children"
    # The label the database has always known: tables, migrations and permissions keep "cases".
    label = "cases"
    verbose_name = "Children's records"
