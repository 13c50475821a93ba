from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "cascade.identity"
    label = "identity"
    verbose_name = "People, memberships and access"
