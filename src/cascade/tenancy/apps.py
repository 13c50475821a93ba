from django.apps import AppConfig


class TenancyConfig(AppConfig):
    name = "cascade.tenancy"
    label = "tenancy"
    verbose_name = "Tenants and partner organizations"
