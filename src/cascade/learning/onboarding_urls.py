"""Onboarding programs: the vendor's phases and milestones, and who is on track, at risk or late."""

from django.urls import URLPattern, path  # noqa: F401

urlpatterns: list[URLPattern] = []
