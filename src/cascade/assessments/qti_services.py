"""Exchanging question banks as QTI: a bank's items out as a QTI 3.0 content package, and a QTI
2.1, 2.2 or 3.0 package (or one item) into a bank.

Both say what they did item by item: what was exported or imported (under which identifier, as
which item), what was left out and why (scenario, configuration and evidence items have no QTI
equivalent; on import, interactions Cascade has no type for), and warnings where a setting could
only be carried approximately. An import is one transaction: a package that cannot be read
(not a zip, malformed or unsafe XML, no manifest, a path leaving the package, over the limits)
writes nothing; otherwise every item Cascade can hold is created as `item_create` creates items,
and the rest are reported. Competencies travel by name and are matched to the program's
framework; an unknown name is reported, never created. See docs/decisions/0009.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Prefetch

from cascade.access.actor import Actor
from cascade.access.policies import Action, require
from cascade.assessments.models import Competency, Difficulty, Item, QuestionBank
from cascade.assessments.qti import (
    ItemToWrite,
    Limits,
    PackageInvalid,
    read_upload,
    title_of,
    write_package,
)
from cascade.assessments.services import item_create
from cascade.audit.services import audit_record
from cascade.core.errors import ValidationFailed


@dataclass(frozen=True)
class ReportedItem:
    """An item exported or imported: its identifier in the package, its title there, its id
    in Cascade, its type, and what could only be carried approximately."""

    identifier: str
    title: str
    item_id: int
    type: str
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class SkippedItem:
    """An item left out, and why (`item_id` is Cascade's on export, None on import)."""

    identifier: str
    title: str
    reason: str
    item_id: int | None = None
    type: str = ""


@dataclass(frozen=True)
class ExportReport:
    exported: list[ReportedItem]
    skipped: list[SkippedItem]
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ImportReport:
    imported: list[ReportedItem]
    skipped: list[SkippedItem]
    warnings: list[str] = field(default_factory=list)


def qti_limits() -> Limits:
    """The limits on uploads (`CASCADE_QTI_LIMITS` overrides any of them, in bytes or counts)."""
    overrides: dict[str, int] = getattr(settings, "CASCADE_QTI_LIMITS", {})
    return Limits(**overrides)


def item_identifier(item: Item) -> str:
    return f"item-{item.pk}"


# --- export -------------------------------------------------------------------------------------


def _bank_items(bank: QuestionBank) -> list[Item]:
    """The bank's items, oldest first, with their current version and its competencies."""
    return list(
        Item.objects.filter(bank=bank)
        .select_related("current_version")
        .prefetch_related(
            Prefetch(
                "current_version__competencies",
                queryset=Competency.objects.select_related("domain").order_by("name", "id"),
            )
        )
        .order_by("created_at", "pk")
    )


def _export(bank: QuestionBank) -> tuple[bytes, ExportReport]:
    items = _bank_items(bank)
    live = [item for item in items if item.retired_at is None]
    retired = [
        SkippedItem(
            identifier=item_identifier(item),
            title=title_of(item.current_version.definition) if item.current_version else "",
            reason="It is retired: new exams no longer use it.",
            item_id=item.pk,
            type=item.type,
        )
        for item in items
        if item.retired_at is not None
    ]
    to_write = []
    for item in live:
        version = item.current_version
        assert version is not None  # written with version 1
        to_write.append(
            ItemToWrite(
                identifier=item_identifier(item),
                definition=version.definition,
                points=version.points,
                difficulty=version.difficulty,
                competencies=tuple((c.domain.name, c.name) for c in version.competencies.all()),
            )
        )
    package = write_package(identifier=f"bank-{bank.pk}", title=bank.name, items=to_write)
    ids = {item_identifier(item): item.pk for item in live}
    report = ExportReport(
        exported=[
            ReportedItem(w.identifier, w.title, ids[w.identifier], w.type, list(w.warnings))
            for w in package.written
        ],
        skipped=[
            SkippedItem(left.identifier, left.title, left.reason, ids[left.identifier], left.type)
            for left in package.left
        ]
        + retired,
    )
    return package.data, report


def bank_export_qti_report(*, actor: Actor, bank: QuestionBank) -> ExportReport:
    """What exporting the bank would carry and leave out, without exporting it."""
    require(actor, Action.ASSESSMENT_VIEW)
    return _export(bank)[1]


@transaction.atomic
def bank_export_qti(*, actor: Actor, bank: QuestionBank) -> tuple[bytes, ExportReport]:
    """The bank's live items as a QTI 3.0 content package (answer keys included: for those who
    may read them), with what was left out and why. Answer keys leaving Cascade is worth an
    audit row."""
    require(actor, Action.ASSESSMENT_VIEW)
    data, report = _export(bank)
    audit_record(
        actor=actor,
        action="question_bank.export_qti",
        target=bank,
        after={"exported": len(report.exported), "skipped": len(report.skipped)},
    )
    return data, report


# --- import -------------------------------------------------------------------------------------


def _upload_bytes(upload: UploadedFile, limit: int) -> bytes:
    if upload.size is not None and upload.size > limit:
        raise ValidationFailed.field(
            "file", f"The file is larger than {limit / 1024 / 1024:g} MB.", code="too_large"
        )
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationFailed.field(
            "file", f"The file is larger than {limit / 1024 / 1024:g} MB.", code="too_large"
        )
    if not data:
        raise ValidationFailed.field("file", "The file is empty.", code="empty_file")
    return data


def _competency_ids(
    names: Sequence[str], known: dict[str, Competency]
) -> tuple[list[int], list[str]]:
    ids, unknown = [], []
    for name in names:
        competency = known.get(name.casefold())
        if competency is None:
            unknown.append(name)
        elif competency.pk not in ids:
            ids.append(competency.pk)
    return ids, unknown


def bank_import_qti(*, actor: Actor, bank: QuestionBank, upload: UploadedFile) -> ImportReport:
    """Import a QTI 2.1/2.2/3.0 content package, or one item's XML, into `bank`.

    The whole upload is read and checked before anything is written: a package that cannot be
    read is a 422 (`malformed_qti`, `unsafe_xml`, `unsafe_package`, `too_large`,
    `empty_file`) and writes nothing. Then, in one transaction, every item Cascade can hold
    becomes a new item at version 1 in the bank, with its points, difficulty and the
    competencies of the framework it names; the rest are reported with their reason."""
    require(actor, Action.ASSESSMENT_AUTHOR)
    limits = qti_limits()
    data = _upload_bytes(upload, limits.upload)
    try:
        package = read_upload(data, limits=limits)
    except PackageInvalid as exc:
        raise ValidationFailed.field("file", exc.message, code=exc.code) from None
    known = {c.name.casefold(): c for c in Competency.objects.filter(retired=False)}
    imported: list[ReportedItem] = []
    with transaction.atomic():
        for read in package.items:
            competency_ids, unknown = _competency_ids(read.competencies, known)
            warnings = list(read.warnings)
            if unknown:
                warnings.append(
                    "Not in this program's competency framework, so not tagged: "
                    f"{', '.join(unknown)}."
                )
            item = item_create(
                actor=actor,
                bank_id=bank.pk,
                definition=read.definition,
                points=read.points,
                difficulty=read.difficulty or Difficulty.MEDIUM,
                competency_ids=competency_ids,
            )
            imported.append(ReportedItem(read.identifier, read.title, item.pk, item.type, warnings))
        report = ImportReport(
            imported=imported,
            skipped=[SkippedItem(u.identifier, u.title, u.reason) for u in package.skipped],
            warnings=list(package.warnings),
        )
        audit_record(
            actor=actor,
            action="question_bank.import_qti",
            target=bank,
            after=_summary(report, upload),
        )
    return report


def _summary(report: ImportReport, upload: UploadedFile) -> dict[str, Any]:
    return {
        "file": (upload.name or "")[:200],
        "imported": [i.item_id for i in report.imported],
        "skipped": len(report.skipped),
    }
