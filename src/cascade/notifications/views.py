"""The notifications page (inbox, mark read) and the preferences form on the profile page."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from cascade.core.pagination import keyset_page
from cascade.identity.models import Person
from cascade.notifications import selectors, services
from cascade.notifications.kinds import KINDS
from cascade.web.pages import page, safe_next, tenant_of

PAGE_SIZE = 30
NEWEST_FIRST = ("-id",)


def _person(request: HttpRequest) -> Person:
    person = request.user
    assert isinstance(person, Person)
    return person


@page
def notification_list(request: HttpRequest) -> HttpResponse:
    person = _person(request)
    unread_only = request.GET.get("show") == "unread"
    notifications = keyset_page(
        selectors.notification_list(person=person, unread_only=unread_only),
        ordering=NEWEST_FIRST,
        cursor=request.GET.get("cursor") or None,
        limit=PAGE_SIZE,
    )
    return render(
        request,
        "notifications/notification_list.html",
        {"notifications": notifications, "unread_only": unread_only},
    )


@page
@require_POST
def notification_mark_read(request: HttpRequest) -> HttpResponse:
    """Mark the chosen notifications read (all of them when none is chosen)."""
    person = _person(request)
    ids = [int(value) for value in request.POST.getlist("id") if value.isdigit()]
    services.notification_mark_read(person=person, notification_ids=ids or None)
    if getattr(request, "htmx", False) and len(ids) == 1:
        notification = selectors.notification_list(person=person).filter(pk=ids[0]).first()
        return render(
            request,
            "notifications/_notification_read.html",
            {"notification": notification, "oob": True},
        )
    messages.success(request, "Marked as read." if ids else "All notifications are marked read.")
    return redirect(safe_next(request, reverse("web:notifications")))


@page
@require_POST
def notification_preferences_update(request: HttpRequest) -> HttpResponse:
    """Save, for every kind of notification, whether it comes in the app and by e-mail."""
    person = _person(request)
    tenant = tenant_of(request)
    for kind in KINDS:
        services.notification_preference_set(
            tenant=tenant,
            person=person,
            kind=kind,
            in_app=f"{kind}:in_app" in request.POST,
            email=f"{kind}:email" in request.POST,
        )
    messages.success(request, "Your notification choices are saved.")
    return redirect(reverse("web:profile") + "#notifications")
