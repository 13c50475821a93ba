"""The vendor's view of the program's learning: assignment rules, and progress by
organization, tier and region."""

from django.urls import URLPattern, path  # noqa: F401

urlpatterns: list[URLPattern] = []
