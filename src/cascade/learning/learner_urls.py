"""A learner's own learning: progress reported by the player and the lesson pages."""

from django.urls import URLPattern, path

from cascade.learning.views import lesson, progress

urlpatterns: list[URLPattern] = [
    path("progress/<int:item_id>/heartbeat/", progress.heartbeat, name="learning-heartbeat"),
    path("progress/<int:item_id>/taken/", lesson.lesson_taken_view, name="learning-taken"),
]
