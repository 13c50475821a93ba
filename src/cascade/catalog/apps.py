from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "cascade.catalog"
    label = "catalog"
    verbose_name = "Catalog"
