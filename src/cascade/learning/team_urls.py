"""A partner manager's view of their people's learning: progress, overdue, assigning and
reminding in bulk, export."""

from django.urls import URLPattern, path

from cascade.learning.views import team

urlpatterns: list[URLPattern] = [
    path("", team.team_learning, name="team-learning"),
    path("overdue/", team.team_learning_overdue, name="team-learning-overdue"),
    path("people/<int:membership_id>/", team.team_learning_person, name="team-learning-person"),
    path("assign/", team.team_learning_assign, name="team-learning-assign"),
    path("assign/items/", team.team_learning_item_options, name="team-learning-item-options"),
    path("remind/", team.team_learning_remind, name="team-learning-remind"),
    path("export.csv", team.team_learning_export, name="team-learning-export"),
]
