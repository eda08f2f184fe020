from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "seethesigns.cases"
    verbose_name = "Children's records"
