from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "cascade.assessments"
    label = "assessments"
    verbose_name = "Assessments"
