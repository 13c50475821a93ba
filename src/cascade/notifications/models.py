"""In-app notifications and each person's delivery preferences per kind of notification."""

from __future__ import annotations

from django.db import models

from cascade.core.scoping import TenantOwned


class Notification(TenantOwned):
    person = models.ForeignKey(
        "identity.Person", on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=80)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["tenant", "person", "-id"], name="notification_inbox"),
        ]

    def __str__(self) -> str:
        return self.title


class NotificationPreference(TenantOwned):
    """Whether a person gets a kind of notification in the app and by e-mail (default: both)."""

    person = models.ForeignKey(
        "identity.Person", on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=80)
    in_app = models.BooleanField(default=True)
    email = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "person", "kind"], name="one_preference_per_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id}:{self.kind}"
