from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "cascade.learning"
    label = "learning"
    verbose_name = "Learning"
