from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "cascade.web"
    label = "web"
    verbose_name = "Web shell"
