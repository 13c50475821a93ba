"""Taking exams: one's exams, an exam's rules and start, the player of an attempt, its result
and one's competency profile. Included under "exams/" in the "web" namespace by
cascade.web.urls."""

from django.urls import URLPattern, path

from cascade.assessments.views import grading, player, results

ATTEMPT = "attempts/<int:attempt_id>/"

urlpatterns: list[URLPattern] = [
    path("", player.exam_list, name="exams"),
    path("competencies/", results.competency_profile_view, name="exam-competencies"),
    path("<int:exam_id>/", player.exam_start, name="exam"),
    path(ATTEMPT, player.attempt_player, name="exam-attempt"),
    path(
        f"{ATTEMPT}questions/<int:position>/",
        player.attempt_answer_view,
        name="exam-answer",
    ),
    path(f"{ATTEMPT}submit/", player.attempt_submit_view, name="exam-submit"),
    path(f"{ATTEMPT}result/", results.attempt_result_view, name="exam-result"),
    # Evidence files: to the person who uploaded them and to graders, as attachments.
    path("evidence/<int:evidence_file_id>/", grading.evidence_file, name="exam-evidence-file"),
]
