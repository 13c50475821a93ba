from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "cascade.events"
    label = "events"
    verbose_name = "Domain events"

    def ready(self) -> None:
        # Consumers register themselves on import; each app lists its own in consumers.py.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("consumers")
