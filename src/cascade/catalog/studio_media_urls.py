"""The studio's media library pages, included in the "web" namespace by cascade.web.urls."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
