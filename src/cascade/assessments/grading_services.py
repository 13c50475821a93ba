"""What happens to an attempt after the machine has scored it: evidence uploaded while taking
it, reviewers grading evidence with the rubric, and regrading past attempts with a corrected key.

- **Evidence** is uploaded to an item of an attempt in progress (its type sniffed from the
  content and checked against the item's accepted types); the response then names the files.
- **Grading**: a reviewer picks a level per rubric criterion; when the last evidence of an
  attempt is graded, the attempt concludes (`attempt_conclude`). A grade is final: changing it is
  a regrade, not an edit.
- **Regrade**: when an item's key was wrong, its author corrects it (a new version) and asks for
  the attempts that were scored with an older version to be scored again with the new key. Each
  attempt whose result changes gets an audit entry with its score before and after, and a new
  `assessment.graded` event (marked `regraded`), so that certifications follow.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from cascade.access.actor import Actor
from cascade.access.policies import Action, require
from cascade.assessments.attempt_grading import (
    POINTS,
    attempt_conclude,
    attempt_items_with_versions,
    fraction_of,
    score_item,
)
from cascade.assessments.attempt_services import (
    attempt_locked,
    attempt_owned_by,
    attempt_still_open,
)
from cascade.assessments.items import ResponseInvalid, item_definition
from cascade.assessments.items.exercise import Evidence, Grading
from cascade.assessments.models import (
    Attempt,
    AttemptItem,
    AttemptState,
    EvidenceFile,
    Item,
)
from cascade.audit.services import audit_record
from cascade.catalog.media import sniff_upload
from cascade.core.errors import Conflict, ValidationFailed

EVIDENCE_SIZE_LIMIT = 25 * 1024 * 1024
MAX_EVIDENCE_FILES = 10


def _evidence_limit() -> int:
    return int(getattr(settings, "CASCADE_EVIDENCE_SIZE_LIMIT", EVIDENCE_SIZE_LIMIT))


def evidence_upload(
    *,
    actor: Actor,
    attempt: Attempt,
    position: int,
    upload: UploadedFile,
    caption: str = "",
    replaces: int | None = None,
) -> EvidenceFile:
    """Store a file as evidence for the evidence item at `position` of one's attempt in
    progress (replacing the earlier upload `replaces`, when given). The response then lists it
    (`files`)."""
    attempt_owned_by(actor, attempt)
    limit = _evidence_limit()
    too_large = ValidationFailed.field(
        "file", f"Evidence files may be at most {limit // (1024 * 1024)} MB.", code="too_large"
    )
    file_type, size, sha256 = sniff_upload(upload, limit=limit, too_large=too_large)
    with transaction.atomic():
        attempt = attempt_locked(attempt)
        attempt_still_open(attempt)
        attempt_item = (
            AttemptItem.objects.filter(attempt=attempt, position=position)
            .select_related("version")
            .first()
        )
        if attempt_item is None:
            raise ValidationFailed.field(
                "position", "This attempt has no question at that position.", code="not_in_attempt"
            )
        definition = item_definition(attempt_item.version.definition)
        if not isinstance(definition, Evidence):
            raise ValidationFailed.field(
                "position", "This question does not take uploaded files.", code="not_evidence"
            )
        if file_type is None or file_type.content_type not in definition.accepted_types:
            raise ValidationFailed.field(
                "file",
                "This type of file is not accepted here; upload "
                + ", ".join(definition.accepted_types)
                + ".",
                code="unsupported_type",
            )
        if replaces is not None:
            replaced = attempt_item.evidence_files.filter(pk=replaces).first()
            if replaced is None:
                raise ValidationFailed.field(
                    "replaces", "No such file in this answer.", code="unknown_file"
                )
            name = replaced.file.name
            replaced.delete()
            transaction.on_commit(lambda: replaced.file.storage.delete(str(name)))
        if attempt_item.evidence_files.count() >= MAX_EVIDENCE_FILES:
            raise ValidationFailed.field(
                "file", f"Upload at most {MAX_EVIDENCE_FILES} files.", code="too_many"
            )
        evidence = EvidenceFile(
            tenant=actor.tenant,
            attempt_item=attempt_item,
            original_name=(upload.name or "evidence")[-200:],
            caption=caption.strip()[:200],
            content_type=file_type.content_type,
            size=size,
            sha256=sha256,
        )
        upload.seek(0)
        evidence.file.save(f"file.{file_type.extension}", upload, save=False)
        try:
            evidence.save()
        except BaseException:
            evidence.file.storage.delete(str(evidence.file.name))
            raise
    return evidence


@transaction.atomic
def attempt_item_grade(
    *, actor: Actor, attempt_item: AttemptItem, levels: dict[str, str], comment: str = ""
) -> AttemptItem:
    """A reviewer's grade for evidence waiting in the queue (409 `already_graded` if another
    reviewer graded it first)."""
    require(actor, Action.ASSESSMENT_GRADE)
    attempt = (
        Attempt.objects.select_for_update().select_related("exam").get(pk=attempt_item.attempt_id)
    )
    attempt_item = AttemptItem.objects.select_related("version").get(pk=attempt_item.pk)
    if not attempt_item.needs_grading:
        raise Conflict("This answer has already been graded.", code="already_graded")
    definition = item_definition(attempt_item.version.definition)
    assert isinstance(definition, Evidence)
    try:
        grading = Grading.model_validate({"levels": levels, "comment": comment})
        scored = definition.grade(grading)
    except ResponseInvalid as exc:
        raise ValidationFailed.field("levels", str(exc), code=exc.code) from None
    except ValueError as exc:
        raise ValidationFailed.field("levels", str(exc), code="invalid_grading") from None
    fraction = fraction_of(scored)
    assert fraction is not None
    attempt_item.fraction = fraction
    attempt_item.earned = (attempt_item.version.points * fraction).quantize(POINTS)
    attempt_item.feedback = list(scored.feedback)
    attempt_item.needs_grading = False
    attempt_item.grading = grading.model_dump(mode="json")
    attempt_item.graded_by = actor.person
    attempt_item.graded_at = timezone.now()
    attempt_item.save(
        update_fields=[
            "fraction",
            "earned",
            "feedback",
            "needs_grading",
            "grading",
            "graded_by",
            "graded_at",
        ]
    )
    audit_record(
        actor=actor,
        action="attempt_item.grade",
        target=attempt_item,
        after={"levels": grading.levels, "fraction": str(fraction)},
    )
    items = attempt_items_with_versions(attempt)
    if attempt.state == AttemptState.AWAITING_GRADING and not any(i.needs_grading for i in items):
        attempt_conclude(attempt, items)
    return attempt_item


@dataclass(frozen=True)
class RegradeReport:
    version: int
    attempts_checked: int
    attempts_changed: int
    changes: list[dict[str, Any]]


def item_regrade(*, actor: Actor, item: Item) -> RegradeReport:
    """Score again, with the item's current version, every submitted attempt that was scored
    with an older version of it. Evidence is graded by people, so it is not regraded here."""
    require(actor, Action.ASSESSMENT_AUTHOR)
    item = Item.objects.select_related("current_version").get(pk=item.pk)
    current = item.current_version
    assert current is not None
    if not item_definition(current.definition).automatic:
        raise ValidationFailed.field(
            "item", "Evidence is graded by reviewers; it cannot be regraded.", code="not_automatic"
        )
    attempt_ids = list(
        AttemptItem.objects.filter(item=item)
        .exclude(scored_with=current)
        .exclude(scored_with__isnull=True)
        .values_list("attempt_id", flat=True)
        .distinct()
    )
    changes: list[dict[str, Any]] = []
    with transaction.atomic():
        for attempt in (
            Attempt.objects.select_for_update()
            .select_related("exam", "tenant")
            .filter(pk__in=attempt_ids)
            .exclude(state=AttemptState.IN_PROGRESS)
            .order_by("pk")
        ):
            change = _regrade_attempt(actor, attempt, item, current)
            if change is not None:
                changes.append(change)
        audit_record(
            actor=actor,
            action="item.regrade",
            target=item,
            after={
                "version": current.number,
                "attempts_checked": len(attempt_ids),
                "attempts_changed": len(changes),
            },
        )
    return RegradeReport(current.number, len(attempt_ids), len(changes), changes)


def _regrade_attempt(
    actor: Actor, attempt: Attempt, item: Item, current: Any
) -> dict[str, Any] | None:
    items = attempt_items_with_versions(attempt)
    target = next(i for i in items if i.item_id == item.pk)
    before_fraction = target.fraction
    before = {"earned": str(attempt.earned), "share": str(attempt.share), "passed": attempt.passed}
    score_item(target, current)
    target.save(update_fields=["fraction", "earned", "feedback", "needs_grading", "scored_with"])
    if attempt.state != AttemptState.GRADED:
        return None  # concludes when its evidence is graded, with the corrected score
    if target.fraction == before_fraction:
        return None
    attempt_conclude(attempt, items, regraded=True)
    after = {"earned": str(attempt.earned), "share": str(attempt.share), "passed": attempt.passed}
    audit_record(
        actor=actor,
        action="attempt.regrade",
        target=attempt,
        before={**before, "item": item.pk},
        after={**after, "item": item.pk, "version": current.number},
    )
    return {"attempt_id": attempt.pk, "before": before, "after": after}
