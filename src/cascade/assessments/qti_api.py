"""QTI exchange of question banks over the REST API.

- `GET /assessments/banks/{bank_id}/qti`: the bank as a QTI 3.0 content package (a zip), with
  the number of items exported and left out in `X-Cascade-Exported` and `X-Cascade-Skipped`;
- `GET /assessments/banks/{bank_id}/qti/report`: which items an export carries, which it leaves
  out and why (a pure QTI package has no place for that list);
- `POST /assessments/banks/{bank_id}/qti`: import a QTI 2.1/2.2/3.0 package or one item's XML
  (multipart/form-data, the file as `file`); the answer says what was imported and skipped.

Reading needs `assessments:read` (export carries answer keys, like the item endpoints), importing
`assessments:write`.
"""

from __future__ import annotations

import re
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import File, Router, Status
from ninja.files import UploadedFile

from cascade.api.auth import actor_of
from cascade.api.schemas import form_fields_known
from cascade.assessments import qti_services, selectors
from cascade.assessments.qti_schemas import (
    QtiExportReportOut,
    QtiImportReportOut,
    QtiUploadFields,
    QuestionBankId,
)
from cascade.catalog.schemas import READ_ERRORS, WRITE_ERRORS

router = Router(tags=["assessments"])

ZIP_RESPONSE = {
    "responses": {
        200: {
            "description": "The QTI 3.0 content package.",
            "headers": {
                "X-Cascade-Exported": {
                    "description": "How many items the package holds.",
                    "schema": {"type": "integer"},
                },
                "X-Cascade-Skipped": {
                    "description": "How many items were left out (see the report).",
                    "schema": {"type": "integer"},
                },
            },
            "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}


def _filename(name: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-").lower()[:60]
    return f"{slug or 'bank'}-qti.zip"


@router.get(
    "/assessments/banks/{bank_id}/qti",
    response=READ_ERRORS,
    summary="Export a bank as a QTI 3.0 content package",
    description=(
        "A zip with `imsmanifest.xml` and one `qti-assessment-item` per item. Scenario, "
        "configuration and evidence items have no QTI equivalent and are left out; "
        "`X-Cascade-Skipped` counts them, and `/qti/report` lists each with its reason."
    ),
    openapi_extra=ZIP_RESPONSE,
)
def export_bank(request: HttpRequest, bank_id: QuestionBankId) -> HttpResponse:
    actor = actor_of(request)
    bank = selectors.bank_get(actor=actor, bank_id=bank_id)
    data, report = qti_services.bank_export_qti(actor=actor, bank=bank)
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{_filename(bank.name)}"'
    response["X-Cascade-Exported"] = str(len(report.exported))
    response["X-Cascade-Skipped"] = str(len(report.skipped))
    return response


@router.get(
    "/assessments/banks/{bank_id}/qti/report",
    response={200: QtiExportReportOut, **READ_ERRORS},
    summary="What a QTI export of a bank carries and leaves out",
    description="Each item exported (with warnings where QTI only approximates a setting) and "
    "each left out, with its reason.",
)
def export_report(request: HttpRequest, bank_id: QuestionBankId) -> Any:
    actor = actor_of(request)
    bank = selectors.bank_get(actor=actor, bank_id=bank_id)
    return qti_services.bank_export_qti_report(actor=actor, bank=bank)


@router.post(
    "/assessments/banks/{bank_id}/qti",
    response={201: QtiImportReportOut, **WRITE_ERRORS},
    summary="Import a QTI package or item into a bank (multipart/form-data)",
    description=(
        "Send a QTI 2.1, 2.2 or 3.0 content package (zip) or one item's XML as `file`. Items "
        "with a choice, text entry, order or match interaction become items of the bank; the "
        "others are listed in `skipped` with their reason. A file that cannot be read writes "
        "nothing: 422 `malformed_qti`, `unsafe_xml` (a DTD or entities), `unsafe_package` "
        "(a path outside the package, encryption), `too_large`, `empty_file`."
    ),
)
def import_bank(request: HttpRequest, bank_id: QuestionBankId, file: File[UploadedFile]) -> Any:
    actor = actor_of(request)
    bank = selectors.bank_get(actor=actor, bank_id=bank_id)
    # The upload is the only field: anything else sent with it is a mistake worth saying.
    form_fields_known(request, QtiUploadFields)
    report = qti_services.bank_import_qti(actor=actor, bank=bank, upload=file)
    return Status(201, report)
