"""REST endpoints of learning, mounted under /api/v1/learning/.

- Enrollments: who takes which item, read by whoever may see the person (`enrollments_visible_to`:
  oneself; a partner manager or admin their organization's people and those below; vendor staff
  and integrations the program's, except people of organizations that keep individual data from
  the vendor). Reading other people's enrollments with a token also needs `people:read`: a token
  sees exactly the people it could list.
- Self-enrollment, withdrawal and assignment by partner managers, through
  `cascade.learning.services` (all-or-nothing assignments, due dates never in the past).
- Lesson progress for headless players and mobile apps: the caller's own progress, video
  heartbeats (the seconds actually played) and formats taken, through `cascade.learning.progress`.
- The vendor's assignment rules, through `cascade.learning.rules`.

Tokens need `learning:read` to read and `learning:write` to write. Lists are keyset-paginated read
models built from `.values()`: a fixed number of queries whatever the page size.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Status

from cascade.access.actor import Actor, Scope
from cascade.api.auth import actor_of
from cascade.catalog.schemas import LIST_ERRORS, READ_ERRORS, WRITE_ERRORS
from cascade.core.errors import NotFound, PermissionDenied
from cascade.core.pagination import keyset_page
from cascade.identity.models import Membership, MembershipStatus
from cascade.learning import progress as progress_services
from cascade.learning import services
from cascade.learning.api_rules import router as rules_router
from cascade.learning.models import OPEN_STATES, Enrollment, LessonProgress
from cascade.learning.schemas import (
    AssignIn,
    AssignmentOut,
    EnrollIn,
    EnrollmentId,
    EnrollmentOut,
    EnrollmentPageOut,
    EnrollmentQuery,
    HeartbeatIn,
    LessonId,
    ProgressOut,
    ProgressPageOut,
    ProgressQuery,
    TakenIn,
    WithdrawIn,
)
from cascade.learning.selectors import enrollments_visible_to, open_enrollment

router = Router(tags=["learning"])

NEWEST_FIRST = ("-id",)
RECENT_FIRST = ("-updated_at", "-id")


def _scoped(request: HttpRequest, scope: Scope) -> Actor:
    actor = actor_of(request)
    if not actor.allows(scope):
        raise PermissionDenied(f"This token lacks the {scope} scope.", code="forbidden")
    return actor


def learning_reader(request: HttpRequest) -> Actor:
    return _scoped(request, Scope.LEARNING_READ)


def learning_writer(request: HttpRequest) -> Actor:
    return _scoped(request, Scope.LEARNING_WRITE)


def _person_required(actor: Actor) -> None:
    if actor.person is None:
        raise PermissionDenied(
            "Only a person's token has progress of its own; integration tokens act for the "
            "program.",
            code="person_required",
        )


# --- enrollments --------------------------------------------------------------------------------

_ENROLLMENT_FIELDS = (
    "id",
    "person_id",
    "person__email",
    "person__full_name",
    "item_id",
    "item__kind",
    "source",
    "required",
    "state",
    "due_on",
    "assigned_by_id",
    "assigning_organization_id",
    "rule_id",
    "created_at",
    "started_at",
    "completed_at",
    "closed_at",
    "close_reason",
)


def _enrollment_row(row: dict[str, Any], today: date) -> dict[str, Any]:
    due_on = row["due_on"]
    return {
        "id": row["id"],
        "person": {
            "id": row["person_id"],
            "email": row["person__email"],
            "full_name": row["person__full_name"],
        },
        "item_id": row["item_id"],
        "item_kind": row["item__kind"],
        "source": row["source"],
        "required": row["required"],
        "state": row["state"],
        "due_on": due_on,
        "overdue": row["state"] in OPEN_STATES and due_on is not None and due_on < today,
        "assigned_by_id": row["assigned_by_id"],
        "assigning_organization_id": row["assigning_organization_id"],
        "rule_id": row["rule_id"],
        "created_at": row["created_at"],
        "started_at": row["started_at"],
        "completed_at": row["completed_at"],
        "closed_at": row["closed_at"],
        "close_reason": row["close_reason"],
    }


def _enrollment_rows(enrollments: QuerySet[Enrollment]) -> list[dict[str, Any]]:
    today = timezone.localdate()
    return [
        _enrollment_row(row, today)
        for row in enrollments.order_by("-id").values(*_ENROLLMENT_FIELDS)
    ]


def _visible_enrollment(actor: Actor, enrollment_id: int) -> Enrollment:
    enrollment = enrollments_visible_to(actor).filter(pk=enrollment_id).first()
    if enrollment is None:
        raise NotFound("No such enrollment.", code="enrollment_not_found")
    return enrollment


def _enrollment_out(enrollment_id: int) -> dict[str, Any]:
    return _enrollment_rows(Enrollment.objects.filter(pk=enrollment_id))[0]


def _overdue(today: date) -> Q:
    return Q(state__in=OPEN_STATES, due_on__lt=today)


@router.get(
    "/learning/enrollments",
    response={200: EnrollmentPageOut, **LIST_ERRORS},
    summary="List enrollments, newest first",
    description=(
        "Enrollments of the people the caller may see: their own; for partner managers and "
        "admins, their organization's people and those of the organizations below it; for "
        "vendor staff and integration tokens, the program's (except people of organizations "
        "that share only aggregates with the vendor). A token also needs `people:read` to read "
        "anyone's but its owner's. Synchronise with `updated_since`: enrollments created, "
        "started or closed since then."
    ),
)
def list_enrollments(request: HttpRequest, query: Query[EnrollmentQuery]) -> Any:
    actor = learning_reader(request)
    enrollments = enrollments_visible_to(actor)
    if query.person_id is not None:
        enrollments = enrollments.filter(person_id=query.person_id)
    if query.item_id is not None:
        enrollments = enrollments.filter(item_id=query.item_id)
    if query.organization_id is not None:
        members = Membership.objects.filter(
            organization_id=query.organization_id, status=MembershipStatus.ACTIVE
        )
        enrollments = enrollments.filter(person_id__in=members.values("person_id"))
    if query.state is not None:
        enrollments = enrollments.filter(state=query.state)
    if query.source is not None:
        enrollments = enrollments.filter(source=query.source)
    if query.required is not None:
        enrollments = enrollments.filter(required=query.required)
    if query.overdue is not None:
        today = timezone.localdate()
        enrollments = (
            enrollments.filter(_overdue(today))
            if query.overdue
            else enrollments.exclude(_overdue(today))
        )
    if query.updated_since is not None:
        since = query.updated_since
        enrollments = enrollments.filter(
            Q(created_at__gte=since) | Q(started_at__gte=since) | Q(closed_at__gte=since)
        )
    if query.completed_since is not None:
        enrollments = enrollments.filter(completed_at__gte=query.completed_since)
    page = keyset_page(
        enrollments.values(*_ENROLLMENT_FIELDS),
        ordering=NEWEST_FIRST,
        cursor=query.cursor,
        limit=query.limit,
    )
    today = timezone.localdate()
    return {
        "items": [_enrollment_row(row, today) for row in page.items],
        "next_cursor": page.next_cursor,
    }


@router.get(
    "/learning/enrollments/{enrollment_id}",
    response={200: EnrollmentOut, **READ_ERRORS},
    summary="Get an enrollment",
    description="404 when it does not exist or belongs to someone the caller may not see.",
)
def get_enrollment(request: HttpRequest, enrollment_id: EnrollmentId) -> Any:
    actor = learning_reader(request)
    rows = _enrollment_rows(enrollments_visible_to(actor).filter(pk=enrollment_id))
    if not rows:
        raise NotFound("No such enrollment.", code="enrollment_not_found")
    return rows[0]


@router.post(
    "/learning/enrollments",
    response={200: EnrollmentOut, 201: EnrollmentOut, **WRITE_ERRORS},
    summary="Enroll oneself in an item",
    description=(
        "Starts an item the caller may see in the catalog: 201 with a new self-enrollment, or "
        "200 with the open enrollment the caller already has in it (an assignment, say). "
        "404 `item_not_found` for an item the caller may not see; 403 `not_member` for a token "
        "that speaks for no member of the program."
    ),
)
def enroll(request: HttpRequest, payload: EnrollIn) -> Any:
    actor = learning_writer(request)
    before = open_enrollment(actor=actor, item_id=payload.item_id)
    enrollment = services.enroll_self(actor=actor, item_id=payload.item_id)
    status = 200 if before is not None and before.pk == enrollment.pk else 201
    return Status(status, _enrollment_out(enrollment.pk))


@router.post(
    "/learning/enrollments/{enrollment_id}/start",
    response={200: EnrollmentOut, **WRITE_ERRORS},
    summary="Start one's enrollment (the learner opened it)",
    description=(
        "Moves one's own assigned enrollment to `in_progress` (again: nothing changes), for "
        "apps that open items without the web pages. 404 for anyone else's enrollment, 409 "
        "`invalid_transition` for one already closed."
    ),
)
def start_enrollment(request: HttpRequest, enrollment_id: EnrollmentId) -> Any:
    actor = learning_writer(request)
    enrollment = _visible_enrollment(actor, enrollment_id)
    services.enrollment_start(actor=actor, enrollment=enrollment)
    return _enrollment_out(enrollment.pk)


@router.post(
    "/learning/enrollments/{enrollment_id}/withdraw",
    response={200: EnrollmentOut, **WRITE_ERRORS},
    summary="Withdraw an open enrollment",
    description=(
        "Learners withdraw what they chose themselves; a manager or admin of the organization "
        "that assigned an item takes the assignment back. 403 `forbidden` otherwise, 409 "
        "`not_open` for an enrollment already closed."
    ),
)
def withdraw_enrollment(
    request: HttpRequest, enrollment_id: EnrollmentId, payload: WithdrawIn
) -> Any:
    actor = learning_writer(request)
    enrollment = _visible_enrollment(actor, enrollment_id)
    services.withdraw(actor=actor, enrollment=enrollment, reason=payload.reason)
    return _enrollment_out(enrollment.pk)


@router.post(
    "/learning/assignments",
    response={200: AssignmentOut, 201: AssignmentOut, **WRITE_ERRORS},
    summary="Assign an item to some of one's people",
    description=(
        "Partner managers and admins assign to the people of their organization, and of an "
        "organization below it that allows its parent to assign. All or nothing: one person "
        "out of reach (422 `not_assignable`) or unable to see the item (422 "
        "`item_not_visible_to_assignee`) refuses the whole assignment. The due date is `due_on` "
        "(422 `due_in_past` before today) or `due_days` after the assignment or after each "
        "person joined (`due_from`), not both (422 `conflicting`). People already enrolled keep "
        "their enrollment (`already_enrolled`). 201 when someone was assigned, 200 when "
        "everyone already had it."
    ),
)
def create_assignment(request: HttpRequest, payload: AssignIn) -> Any:
    actor = learning_writer(request)
    result = services.assign(
        actor=actor,
        item_id=payload.item_id,
        membership_ids=payload.membership_ids,
        required=payload.required,
        due_on=payload.due_on,
        due_days=payload.due_days,
        due_from=payload.due_from,
    )
    created_ids = {enrollment.pk for enrollment in result.created}
    people = [enrollment.person_id for enrollment in result.created] + result.already_enrolled
    rows = _enrollment_rows(
        Enrollment.objects.filter(
            item_id=payload.item_id, person_id__in=people, state__in=OPEN_STATES
        )
    )
    body = {
        "created": [row for row in rows if row["id"] in created_ids],
        "already_enrolled": [row for row in rows if row["id"] not in created_ids],
    }
    return Status(201 if created_ids else 200, body)


# --- progress -----------------------------------------------------------------------------------

_PROGRESS_FIELDS = (
    "id",
    "item_id",
    "revision_number",
    "locale",
    "last_format",
    "watched_share",
    "position_seconds",
    "video_seconds",
    "completed_at",
    "completed_by",
    "updated_at",
)


def _progress_row(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "item_id": row["item_id"],
        "revision": row["revision_number"],
        "locale": row["locale"],
        "last_format": row["last_format"],
        "watched_share": row["watched_share"],
        "position": row["position_seconds"],
        "duration": row["video_seconds"],
        "completed": row["completed_at"] is not None,
        "completed_at": row["completed_at"],
        "completed_by": row["completed_by"],
        "updated_at": row["updated_at"],
    }


def _progress_out(progress: LessonProgress) -> dict[str, Any]:
    return _progress_row({name: getattr(progress, name) for name in _PROGRESS_FIELDS})


@router.get(
    "/learning/progress",
    response={200: ProgressPageOut, **LIST_ERRORS},
    summary="The caller's lesson progress, most recent first",
    description=(
        "One row per lesson or card the caller has started, wherever they took it (a lesson "
        "reused by several courses has one row). `completed=false` gives the lessons to resume, "
        "with the position to resume the video at, on any device."
    ),
)
def list_progress(request: HttpRequest, query: Query[ProgressQuery]) -> Any:
    actor = learning_reader(request)
    _person_required(actor)
    rows = LessonProgress.objects.filter(person=actor.person)
    if query.completed is not None:
        rows = rows.filter(completed_at__isnull=not query.completed)
    if query.updated_since is not None:
        rows = rows.filter(updated_at__gte=query.updated_since)
    page = keyset_page(
        rows.values(*_PROGRESS_FIELDS),
        ordering=RECENT_FIRST,
        cursor=query.cursor,
        limit=query.limit,
    )
    return {
        "items": [_progress_row(row) for row in page.items],
        "next_cursor": page.next_cursor,
    }


@router.post(
    "/learning/progress/{item_id}/heartbeat",
    response={200: ProgressOut, **WRITE_ERRORS},
    summary="Report a stretch of video played",
    description=(
        "Players send one every 10 to 30 seconds: the stretch played since the previous one "
        "(`played_from`, `played_to`), where the player stands (`position`) and the video's "
        "length, in seconds. Stretches are merged, so seeking counts nothing and replays count "
        "nothing twice; a stretch longer than the time since the previous heartbeat allows "
        "is cut. The lesson completes at the program's share of the video (90% unless "
        "configured), and with it the enrollments it completes. 404 `item_not_found` for a "
        "lesson the caller may not see; 422 `out_of_range` for seconds beyond the video."
    ),
)
def video_heartbeat(request: HttpRequest, item_id: LessonId, payload: HeartbeatIn) -> Any:
    actor = learning_writer(request)
    _person_required(actor)
    progress = progress_services.video_heartbeat(
        actor=actor,
        item_id=item_id,
        played_from=payload.played_from,
        played_to=payload.played_to,
        position=payload.position,
        duration=payload.duration,
        locale=payload.locale,
    )
    return _progress_out(progress)


@router.post(
    "/learning/progress/{item_id}/taken",
    response={200: ProgressOut, **WRITE_ERRORS},
    summary="Report an article read, a document opened or a link visited",
    description=(
        "Formats are equivalent: taking any one completes the lesson (and the enrollments it "
        "completes). Taking it again changes only the format and language last used."
    ),
)
def lesson_taken(request: HttpRequest, item_id: LessonId, payload: TakenIn) -> Any:
    actor = learning_writer(request)
    _person_required(actor)
    progress = progress_services.lesson_taken(
        actor=actor, item_id=item_id, kind=payload.kind, locale=payload.locale
    )
    return _progress_out(progress)


router.add_router("", rules_router)
