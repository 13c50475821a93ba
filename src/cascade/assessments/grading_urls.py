"""The graders' pages: the queue of evidence waiting for a grade, grading one answer with the
rubric, and the item analysis of exams. Included under "program/grading/" in the "web"
namespace by cascade.web.urls."""

from django.urls import URLPattern, path

from cascade.assessments.views import analysis, grading

urlpatterns: list[URLPattern] = [
    path("", grading.grading_queue_view, name="grading-queue"),
    path("<int:attempt_item_id>/", grading.grading_entry_view, name="grading-entry"),
    path("analysis/", analysis.analysis_list, name="item-analysis"),
    path("analysis/<int:exam_id>/", analysis.analysis_exam, name="item-analysis-exam"),
]
