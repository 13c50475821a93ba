from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "cascade.core"
    label = "core"
    verbose_name = "Cascade core"

    def ready(self) -> None:
        from cascade.core import lookups

        lookups.register()
