from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "cascade.audit"
    label = "audit"
    verbose_name = "Audit log"
