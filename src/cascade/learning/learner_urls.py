"""A learner's own learning: progress reported by the player and the lesson pages."""

from django.urls import URLPattern, path  # noqa: F401

urlpatterns: list[URLPattern] = []
