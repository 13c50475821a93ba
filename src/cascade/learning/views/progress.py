"""What the web video player reports while a person watches: one heartbeat every 10-30 s.

`POST /learning/progress/<item_id>/heartbeat/` from the signed-in page (session cookie, CSRF
token in the `X-CSRFToken` header as fetch and htmx send it), with a JSON body
`{"played_from", "played_to", "position", "duration", "locale"}` (seconds; `locale` optional).
It answers `{"watched_share", "completed", "position"}`; bad input is a problem+json 400 (not
JSON) or 422 (a field out of range, named in `errors`), an item the person may not see a 404,
a visitor who is not signed in a 401, a body over 2 KB a 413; a failed CSRF check is Django's
403. The rules live in `cascade.learning.progress`; with Redis, heartbeats are buffered there
between database writes (`cascade.learning.heartbeats`, decision 0007).
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_POST

from cascade.api.problems import problem
from cascade.core.errors import DomainError
from cascade.learning.heartbeats import HeartbeatAnswer, buffer_client, heartbeat_record
from cascade.learning.progress import lesson_exists_for, video_heartbeat
from cascade.web.pages import actor_of, tenant_of

SECONDS_FIELDS = ("played_from", "played_to", "position", "duration")
# Ids beyond a 64-bit integer cannot exist; asking the database about them would fail.
MAX_ID = 2**63 - 1
# A heartbeat is a handful of numbers; anything much larger is not one.
MAX_BODY_BYTES = 2048


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _refused(request: HttpRequest, item_id: int, refusal: HttpResponse) -> HttpResponse:
    """Bad input about a lesson the person may not see is answered as a missing lesson (404),
    like everything else about it; checked only when refusing, so good heartbeats pay nothing."""
    try:
        visible = lesson_exists_for(actor_of(request), item_id)
    except DomainError:
        visible = False
    if not visible:
        return problem(404, "item_not_found", "No such lesson.")
    return refusal


@require_POST
def heartbeat(request: HttpRequest, item_id: int) -> HttpResponse:
    # With Redis, the buffered path checks the session's person itself and caches the answer,
    # so that a warm heartbeat costs no query; without, Django's authentication does.
    buffered = buffer_client() is not None
    if not (request.session.session_key if buffered else request.user.is_authenticated):
        return problem(401, "not_signed_in", "Sign in to record progress.")
    if item_id > MAX_ID:
        return problem(404, "item_not_found", "No such lesson.")
    if len(request.body) > MAX_BODY_BYTES:
        return problem(413, "too_large", "A heartbeat is a few numbers.")
    try:
        body = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        body = None
    if not isinstance(body, dict):
        return _refused(
            request, item_id, problem(400, "invalid_json", "Send the heartbeat as a JSON object.")
        )
    errors = [
        {"field": name, "message": "Give a number of seconds."}
        for name in SECONDS_FIELDS
        if not _is_number(body.get(name))
    ]
    locale = body.get("locale", "")
    if locale is None:
        locale = ""
    if not isinstance(locale, str):
        errors.append({"field": "locale", "message": "Give a language code."})
    if errors:
        return _refused(
            request,
            item_id,
            problem(422, "validation_failed", "Some values are missing or wrong.", errors),
        )
    stretch = {name: body[name] for name in SECONDS_FIELDS}
    try:
        if buffered:
            answer = heartbeat_record(
                tenant=tenant_of(request),
                session=request.session,
                item_id=item_id,
                locale=locale,
                **stretch,
            )
        else:
            progress = video_heartbeat(
                actor=actor_of(request), item_id=item_id, locale=locale, **stretch
            )
            answer = HeartbeatAnswer(
                watched_share=progress.watched_share,
                completed=progress.completed_at is not None,
                position=progress.position_seconds,
            )
    except DomainError as error:
        status = 401 if error.code == "not_signed_in" else error.status
        return problem(status, error.code, error.message, error.details)
    return JsonResponse(
        {
            "watched_share": answer.watched_share,
            "completed": answer.completed,
            "position": answer.position,
        }
    )
