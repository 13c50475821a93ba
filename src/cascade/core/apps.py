from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "cascade.core"
    label = "core"
    verbose_name = "Cascade core"
