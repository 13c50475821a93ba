from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "cascade.learning"
    label = "learning"
    verbose_name = "Learning"

    def ready(self) -> None:
        # Onboarding's consumer (newcomers start their onboarding) lives with its services;
        # the events app only discovers `consumers` modules.
        from cascade.learning import onboarding  # noqa: F401
