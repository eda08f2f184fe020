from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "seethesigns.training"
    verbose_name = "Training"
