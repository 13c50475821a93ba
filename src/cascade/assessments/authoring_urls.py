"""The assessment authoring pages (the competency framework, question banks, items and exams),
included under "program/assessments/" in the "web" namespace by cascade.web.urls."""

from django.urls import URLPattern, path

from cascade.assessments.views import (
    authoring_banks,
    authoring_exams,
    authoring_framework,
    authoring_items,
    qti,
)

ITEM = "items/<int:assessment_item_id>/"
EXAM = "exams/<int:exam_id>/"

urlpatterns: list[URLPattern] = [
    # Question banks (the section's home) and their items.
    path("", authoring_banks.bank_list, name="assessments"),
    path("banks/new/", authoring_banks.bank_create, name="assessment-bank-create"),
    path("banks/<int:bank_id>/", authoring_banks.bank_detail, name="assessment-bank"),
    path(
        "banks/<int:bank_id>/items/new/",
        authoring_items.item_create,
        name="assessment-item-create",
    ),
    # A bank's QTI import and export.
    path("banks/<int:bank_id>/qti/", qti.bank_qti, name="assessment-bank-qti"),
    path("banks/<int:bank_id>/qti/export/", qti.bank_qti_export, name="assessment-bank-qti-export"),
    # The competency framework.
    path("competencies/", authoring_framework.framework, name="assessment-competencies"),
    path(
        "competencies/domains/new/",
        authoring_framework.domain_create,
        name="assessment-domain-create",
    ),
    path(
        "competencies/new/",
        authoring_framework.competency_create,
        name="assessment-competency-create",
    ),
    # One item: its current version, its corrections and its history; the editor's preview.
    path("items/preview/", authoring_items.item_preview, name="assessment-item-preview"),
    path(ITEM, authoring_items.item_detail, name="assessment-item"),
    path(f"{ITEM}revise/", authoring_items.item_revise, name="assessment-item-revise"),
    path(f"{ITEM}retire/", authoring_items.item_retire, name="assessment-item-retire"),
    path(f"{ITEM}versions/", authoring_items.item_versions, name="assessment-item-versions"),
    path(
        f"{ITEM}versions/<int:number>/",
        authoring_items.item_version,
        name="assessment-item-version",
    ),
    # Exams.
    path("exams/", authoring_exams.exam_list, name="assessment-exams"),
    path("exams/new/", authoring_exams.exam_create, name="assessment-exam-create"),
    path(EXAM, authoring_exams.exam_detail, name="assessment-exam"),
    path(f"{EXAM}form/", authoring_exams.exam_form, name="assessment-exam-form"),
    path(f"{EXAM}blueprint/", authoring_exams.exam_blueprint, name="assessment-exam-blueprint"),
    path(f"{EXAM}publish/", authoring_exams.exam_publish, name="assessment-exam-publish"),
]
