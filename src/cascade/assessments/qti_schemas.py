"""API schemas of QTI exchange: what an export or an import did, item by item."""

from __future__ import annotations

from typing import Annotated

from ninja import Path

from cascade.api.schemas import Input, Out
from cascade.catalog.schemas import MAX_ID

QuestionBankId = Annotated[int, Path(ge=1, le=MAX_ID, description="A question bank's id")]


class QtiUploadFields(Input):
    """An import sends its file and nothing else."""


class QtiItemOut(Out):
    identifier: str
    title: str
    item_id: int
    type: str
    warnings: list[str]


class QtiSkippedOut(Out):
    identifier: str
    title: str
    reason: str
    item_id: int | None
    type: str


class QtiExportReportOut(Out):
    exported: list[QtiItemOut]
    skipped: list[QtiSkippedOut]
    warnings: list[str]


class QtiImportReportOut(Out):
    imported: list[QtiItemOut]
    skipped: list[QtiSkippedOut]
    warnings: list[str]
