"""Recording administrative changes. Called by every service that changes program data."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models

from cascade.access.actor import Actor
from cascade.audit.models import AuditEntry


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """A JSON-safe picture of `fields` of `obj`, for the before/after columns."""
    picture: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        if isinstance(field, models.ManyToManyField):
            value: Any = sorted((obj.pk and getattr(obj, name).values_list("pk", flat=True)) or [])
        elif isinstance(field, models.ForeignKey):
            value = getattr(obj, field.attname)
        else:
            value = getattr(obj, name)
        if isinstance(value, date | datetime):
            value = value.isoformat()
        elif isinstance(value, Decimal):
            value = str(value)
        elif isinstance(value, models.fields.files.FieldFile):
            value = value.name or ""
        picture[name] = value
    return picture


def audit_record(
    *,
    actor: Actor,
    action: str,
    target: models.Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one audit row in the caller's transaction (so a rolled-back change leaves none).

    Only fields that changed are kept in before/after, which keeps the log readable.
    """
    if before is not None and after is not None:
        changed = {k for k in after if before.get(k) != after.get(k)}
        before = {k: v for k, v in before.items() if k in changed}
        after = {k: v for k, v in after.items() if k in changed}
    return AuditEntry.objects.create(
        tenant=actor.tenant,
        actor=actor.person,
        actor_label=actor.label,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_label=str(target)[:300],
        before=before,
        after=after,
    )
