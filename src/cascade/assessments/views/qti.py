"""QTI on a question bank's pages: download the bank as a QTI 3.0 package (the page says first
what the package leaves out and why), and upload a QTI 2.1, 2.2 or 3.0 package or item into the
bank, with the report of what was imported and what was skipped.

Reviewers see the export; content authors also import. A file that cannot be read is shown
beside the file field with its reason, and nothing is imported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django import forms
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import render

from cascade.assessments import qti_services, selectors
from cascade.assessments.authoring_forms import ITEM_TYPES
from cascade.assessments.qti_services import ExportReport, ImportReport
from cascade.assessments.views.authoring_pages import can_author, only_read, reader
from cascade.core.errors import DomainError
from cascade.web.pages import form_error, page


class QtiUploadForm(forms.Form):
    file = forms.FileField(
        label="QTI package or item",
        help_text="A QTI 2.1, 2.2 or 3.0 content package (.zip, at most 20 MB) or one item's "
        "XML file.",
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,.xml,application/zip,text/xml"}),
    )


@dataclass(frozen=True)
class ExportLine:
    """An item of the bank as the export page lists it: left out (with the reason) or carried
    with a difference (with the warnings)."""

    item_id: int
    title: str
    type_label: str
    text: str


def _export_lines(report: ExportReport) -> tuple[list[ExportLine], list[ExportLine]]:
    def label(kind: str) -> str:
        return ITEM_TYPES[kind].label if kind in ITEM_TYPES else kind

    left_out = [
        ExportLine(s.item_id or 0, s.title or s.identifier, label(s.type), s.reason)
        for s in report.skipped
    ]
    different = [
        ExportLine(i.item_id, i.title or i.identifier, label(i.type), " ".join(i.warnings))
        for i in report.exported
        if i.warnings
    ]
    return left_out, different


def _filename(name: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-").lower()[:60]
    return f"{slug or 'bank'}-qti.zip"


@page
def bank_qti(request: HttpRequest, bank_id: int) -> HttpResponse:
    actor = reader(request)
    bank = selectors.bank_get(actor=actor, bank_id=bank_id)
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    form = QtiUploadForm()
    imported: ImportReport | None = None
    status = 200
    if request.method == "POST":
        form = QtiUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                imported = qti_services.bank_import_qti(
                    actor=actor, bank=bank, upload=form.cleaned_data["file"]
                )
            except DomainError as error:
                form_error(form, error)
                status = error.status
            else:
                form = QtiUploadForm()
        else:
            status = 422
    export = qti_services.bank_export_qti_report(actor=actor, bank=bank)
    left_out, different = _export_lines(export)
    return render(
        request,
        "assessments/authoring/qti_bank.html",
        {
            "bank": bank,
            "form": form,
            "imported": imported,
            "exported": len(export.exported),
            "left_out": left_out,
            "different": different,
            "can_author": can_author(actor),
        },
        status=status,
    )


@page
def bank_qti_export(request: HttpRequest, bank_id: int) -> HttpResponse:
    actor = reader(request)
    bank = selectors.bank_get(actor=actor, bank_id=bank_id)
    refused = only_read(request)
    if refused:
        return refused
    data, _ = qti_services.bank_export_qti(actor=actor, bank=bank)
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{_filename(bank.name)}"'
    return response
