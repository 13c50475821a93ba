"""The transactional outbox: domain events written in the same transaction as the change.

A dispatcher hands each event to every consumer registered for its name; a receipt per
(event, consumer) makes delivery idempotent, so an event can be dispatched again safely.
"""

from __future__ import annotations

from django.db import models

from cascade.core.scoping import TenantOwned


class OutboxEvent(TenantOwned):
    name = models.CharField(max_length=100)
    payload = models.JSONField(default=dict)
    occurred_at = models.DateTimeField(auto_now_add=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(
                fields=["dispatched_at", "id"],
                name="outbox_undispatched",
                condition=models.Q(dispatched_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}#{self.pk}"


class ConsumerReceipt(TenantOwned):
    event = models.ForeignKey(OutboxEvent, on_delete=models.CASCADE, related_name="receipts")
    consumer = models.CharField(max_length=150)
    handled_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "consumer"], name="one_receipt_per_consumer"),
        ]

    def __str__(self) -> str:
        return f"{self.consumer}<-{self.event_id}"
