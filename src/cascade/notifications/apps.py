from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "cascade.notifications"
    label = "notifications"
    verbose_name = "Notifications"
