from django.apps import AppConfig


class ProblemProfileConfig(AppConfig):
    name = "seethesigns.problemprofile"
    label = "problemprofile"
    verbose_name = "Problem profile"
