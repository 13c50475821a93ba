"""Happy paths of the audit log, the inbox and notification preferences."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from cascade.audit.models import AuditEntry
from cascade.identity.models import ApiToken, TokenKind
from cascade.identity.services.tokens import _digest
from cascade.notifications.models import Notification, NotificationPreference
from tests.api.conftest import Scene, assert_problem, iso, send
from tests.conftest import ApiClient, World


def _entry(entry: AuditEntry) -> dict[str, Any]:
    entry = AuditEntry.unscoped.select_related("actor").get(pk=entry.pk)
    actor = entry.actor
    return {
        "id": entry.pk,
        "occurred_at": iso(entry.occurred_at),
        "actor": (
            {"id": actor.pk, "email": actor.email, "full_name": actor.full_name} if actor else None
        ),
        "actor_label": entry.actor_label,
        "action": entry.action,
        "target_type": entry.target_type,
        "target_id": entry.target_id,
        "target_label": entry.target_label,
        "before": entry.before,
        "after": entry.after,
    }


def test_audit_log_lists_changes_newest_first(scene: Scene) -> None:
    # given: a change made through the API
    world = scene.world
    client = world.api("vendor_admin")
    client.patch(f"/tiers/{world.structure['gold'].pk}", {"description": "Committed"})
    change = AuditEntry.objects.get(action="tier.update")
    # when
    response = client.get("/audit-log")
    # then
    assert response.status_code == 200
    assert response.json() == {
        "items": [_entry(change), _entry(scene.audit_entry)],
        "next_cursor": None,
    }
    assert response.json()["items"][0] == {
        "id": change.pk,
        "occurred_at": iso(change.occurred_at),
        "actor": {
            "id": world.people["vendor_admin"].pk,
            "email": "vendor_admin@vendor.example",
            "full_name": "Vendor Admin",
        },
        "actor_label": "vendor_admin@vendor.example",
        "action": "tier.update",
        "target_type": "tenancy.tier",
        "target_id": str(world.structure["gold"].pk),
        "target_label": "Gold",
        "before": {"description": ""},
        "after": {"description": "Committed"},
    }


def test_audit_log_filters_and_pages(scene: Scene) -> None:
    # given
    world = scene.world
    client = world.api("vendor_admin")
    client.patch(f"/tiers/{world.structure['gold'].pk}", {"description": "Committed"})
    client.patch(f"/tiers/{world.structure['silver'].pk}", {"description": "Growing"})

    def actions(**params: Any) -> list[str]:
        return [e["action"] for e in client.get("/audit-log", **params).json()["items"]]

    # then
    assert actions(target_type="tenancy.tier") == ["tier.update", "tier.update"]
    assert actions(target_type="tenancy.tier", target_id=str(world.structure["gold"].pk)) == [
        "tier.update"
    ]
    assert actions(action="organization.update") == ["organization.update"]
    assert actions(action="nothing.happened") == []
    first = client.get("/audit-log", limit=2).json()
    second = client.get("/audit-log", limit=2, cursor=first["next_cursor"]).json()
    assert [e["target_label"] for e in first["items"]] == ["Silver", "Gold"]
    assert [e["target_label"] for e in second["items"]] == ["Distri Europe"]
    assert second["next_cursor"] is None


def _notify(world: World, name: str, title: str, *, read: bool = False) -> Notification:
    return Notification.objects.create(
        tenant=world.tenant,
        person=world.people[name],
        kind="registration.pending",
        title=title,
        body=f"{title} body",
        url="http://a.test/partner/people/?status=pending",
        read_at=timezone.now() if read else None,
    )


def _notification(notification: Notification) -> dict[str, Any]:
    notification.refresh_from_db()
    return {
        "id": notification.pk,
        "kind": notification.kind,
        "title": notification.title,
        "body": notification.body,
        "url": notification.url,
        "created_at": iso(notification.created_at),
        "read_at": iso(notification.read_at),
    }


def test_list_notifications_gives_the_callers_own_newest_first(world: World) -> None:
    # given
    first = _notify(world, "partner_admin", "First", read=True)
    second = _notify(world, "partner_admin", "Second")
    _notify(world, "other_admin", "Not yours")
    client = world.api("partner_admin")
    # when
    everything = client.get("/notifications")
    unread = client.get("/notifications", unread="true")
    # then
    assert everything.json() == {
        "items": [_notification(second), _notification(first)],
        "next_cursor": None,
    }
    assert everything.json()["items"][0] == {
        "id": second.pk,
        "kind": "registration.pending",
        "title": "Second",
        "body": "Second body",
        "url": "http://a.test/partner/people/?status=pending",
        "created_at": iso(second.created_at),
        "read_at": None,
    }
    assert [n["id"] for n in unread.json()["items"]] == [second.pk]


def test_mark_some_notifications_read_ignores_other_peoples(world: World) -> None:
    # given
    mine = [_notify(world, "learner", f"Mine {n}") for n in range(3)]
    theirs = _notify(world, "manager", "Theirs")
    # when
    response = world.api("learner").post(
        "/notifications/read", {"ids": [mine[0].pk, mine[2].pk, theirs.pk]}
    )
    # then
    assert response.status_code == 200
    assert response.json() == {"marked": 2, "unread": 1}
    assert [n.read_at is not None for n in Notification.objects.order_by("id")] == [
        True,
        False,
        True,
        False,
    ]


def test_mark_all_notifications_read(world: World) -> None:
    # given
    for n in range(3):
        _notify(world, "learner", f"Mine {n}")
    _notify(world, "manager", "Theirs")
    # when
    response = world.api("learner").post("/notifications/read", {"all": True})
    # then
    assert response.json() == {"marked": 3, "unread": 0}
    assert Notification.objects.filter(read_at__isnull=True).count() == 1


def test_notification_preferences_start_from_the_defaults(world: World) -> None:
    # when
    response = world.api("learner").get("/notification-preferences")
    # then
    assert response.status_code == 200
    assert response.json() == [
        {
            "kind": "registration.pending",
            "label": "Someone asks to join your organization",
            "in_app": True,
            "email": True,
        },
        {
            "kind": "registration.approved",
            "label": "Your registration was approved",
            "in_app": True,
            "email": True,
        },
        {
            "kind": "registration.rejected",
            "label": "Your registration was declined",
            "in_app": True,
            "email": True,
        },
        {
            "kind": "invitation.accepted",
            "label": "Someone accepted your invitation",
            "in_app": True,
            "email": False,
        },
        {
            "kind": "membership.ended",
            "label": "Your membership ended",
            "in_app": True,
            "email": True,
        },
        {
            "kind": "catalog.review_due",
            "label": "Content you own is due for review",
            "in_app": True,
            "email": True,
        },
        {
            "kind": "learning.due_soon",
            "label": "Learning assigned to you is due soon",
            "in_app": True,
            "email": True,
        },
        {
            "kind": "learning.overdue",
            "label": "Learning assigned to you is overdue",
            "in_app": True,
            "email": True,
        },
        {
            "kind": "learning.team_overdue",
            "label": "People in your team have overdue learning",
            "in_app": True,
            "email": True,
        },
        {
            "kind": "learning.reminder",
            "label": "Your manager reminds you of learning assigned to you",
            "in_app": True,
            "email": True,
        },
    ]


def test_set_a_notification_preference(world: World) -> None:
    # given
    client = world.api("partner_admin")
    # when
    response = send(
        client,
        "PUT",
        "/notification-preferences/registration.pending",
        {"in_app": True, "email": False},
    )
    again = send(
        client,
        "PUT",
        "/notification-preferences/registration.pending",
        {"in_app": False, "email": False},
    )
    # then
    assert response.status_code == 200
    assert response.json() == {
        "kind": "registration.pending",
        "label": "Someone asks to join your organization",
        "in_app": True,
        "email": False,
    }
    assert again.json()["in_app"] is False
    assert list(
        NotificationPreference.objects.values_list("person_id", "kind", "in_app", "email")
    ) == [(world.people["partner_admin"].pk, "registration.pending", False, False)]
    listed = client.get("/notification-preferences").json()
    assert listed[0] == {
        "kind": "registration.pending",
        "label": "Someone asks to join your organization",
        "in_app": False,
        "email": False,
    }


def test_audit_log_needs_the_audit_scope(scene: Scene) -> None:
    # given: an integration token with audit:read, and a program admin's token without it
    world = scene.world
    with_scope = "cas_auditor_" + "z" * 20
    ApiToken.objects.create(
        tenant=world.tenant,
        kind=TokenKind.INTEGRATION,
        name="SIEM export",
        prefix="auditor1",
        digest=_digest(with_scope),
        scopes=["audit:read"],
    )
    without_scope = "cas_noaudit_" + "z" * 20
    ApiToken.objects.create(
        tenant=world.tenant,
        kind=TokenKind.PERSONAL,
        name="Reporting",
        person=world.people["vendor_admin"],
        prefix="noaudit1",
        digest=_digest(without_scope),
        scopes=["people:read"],
    )
    # when
    siem = ApiClient(world.host, with_scope).get("/audit-log")
    narrowed = ApiClient(world.host, without_scope).get("/audit-log")
    # then
    assert [e["id"] for e in siem.json()["items"]] == [scene.audit_entry.pk]
    assert_problem(narrowed, 403, "forbidden")
