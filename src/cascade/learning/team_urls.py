"""A partner manager's view of their people's learning: progress, overdue, assigning and
reminding in bulk, export."""

from django.urls import URLPattern, path  # noqa: F401

urlpatterns: list[URLPattern] = []
