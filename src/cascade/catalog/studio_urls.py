"""Pages of the catalog, included in the "web" namespace by cascade.web.urls."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
