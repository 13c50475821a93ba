"""REST endpoints for the caller's own inbox and delivery preferences.

Everything here is the calling person's: nobody reads or changes another person's notifications,
so there is no visibility rule beyond "mine, in this program".
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Path, Query, Router

from cascade.api.auth import actor_of
from cascade.api.schemas import PageOut
from cascade.core.pagination import keyset_page
from cascade.identity.api import person_of
from cascade.identity.schemas import LIST_ERRORS, WRITE_ERRORS
from cascade.notifications import selectors, services
from cascade.notifications.kinds import LABELS
from cascade.notifications.schemas import (
    NotificationOut,
    NotificationPreferenceIn,
    NotificationPreferenceOut,
    NotificationQuery,
    NotificationReadIn,
    NotificationReadOut,
)

router = Router(tags=["notifications"])


@router.get(
    "/notifications",
    response={200: PageOut[NotificationOut], **LIST_ERRORS},
    summary="List your notifications, newest first",
)
def list_notifications(request: HttpRequest, query: Query[NotificationQuery]) -> Any:
    person = person_of(actor_of(request))
    notifications = selectors.notification_list(person=person, unread_only=query.unread)
    return keyset_page(notifications, ordering=("-id",), cursor=query.cursor, limit=query.limit)


@router.post(
    "/notifications/read",
    response={200: NotificationReadOut, **WRITE_ERRORS},
    summary="Mark some or all of your notifications read",
)
def mark_notifications_read(request: HttpRequest, payload: NotificationReadIn) -> Any:
    person = person_of(actor_of(request))
    marked = services.notification_mark_read(
        person=person, notification_ids=None if payload.all else payload.ids
    )
    return {"marked": marked, "unread": selectors.notification_unread_count(person=person)}


@router.get(
    "/notification-preferences",
    response={200: list[NotificationPreferenceOut], **LIST_ERRORS},
    summary="How you receive each kind of notification",
)
def list_notification_preferences(request: HttpRequest) -> Any:
    return selectors.notification_preferences(person=person_of(actor_of(request)))


@router.put(
    "/notification-preferences/{kind}",
    response={200: NotificationPreferenceOut, **WRITE_ERRORS},
    summary="Choose how you receive one kind of notification",
)
def set_notification_preference(
    request: HttpRequest,
    payload: NotificationPreferenceIn,
    kind: str = Path(..., max_length=80, description="A kind, e.g. registration.pending"),
) -> Any:
    actor = actor_of(request)
    preference = services.notification_preference_set(
        tenant=actor.tenant,
        person=person_of(actor),
        kind=kind,
        in_app=payload.in_app,
        email=payload.email,
    )
    return {
        "kind": preference.kind,
        "label": LABELS.get(preference.kind, preference.kind),
        "in_app": preference.in_app,
        "email": preference.email,
    }
