"""The vendor's view of the program's learning: assignment rules, and progress by
organization, tier and region."""

from django.urls import URLPattern, path

from cascade.learning.views import program

urlpatterns: list[URLPattern] = [
    path("", program.program_learning, name="program-learning"),
    path(
        "organizations/",
        program.program_learning_organizations,
        name="program-learning-organizations",
    ),
    path("rules/", program.program_learning_rules, name="program-learning-rules"),
    path(
        "rules/items/", program.program_learning_item_options, name="program-learning-item-options"
    ),
    path(
        "rules/<int:rule_id>/deactivate/",
        program.program_learning_rule_deactivate,
        name="program-learning-rule-deactivate",
    ),
    path(
        "rules/<int:rule_id>/activate/",
        program.program_learning_rule_activate,
        name="program-learning-rule-activate",
    ),
    path(
        "rules/<int:rule_id>/apply/",
        program.program_learning_rule_apply,
        name="program-learning-rule-apply",
    ),
]
