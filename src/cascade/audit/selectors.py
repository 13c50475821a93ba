"""Reading the audit log (program admins only)."""

from __future__ import annotations

from django.db.models import QuerySet

from cascade.access.actor import Actor
from cascade.access.policies import Action, require
from cascade.audit.models import AuditEntry


def audit_entry_list(
    *,
    actor: Actor,
    target_type: str | None = None,
    target_id: str | None = None,
    action: str | None = None,
) -> QuerySet[AuditEntry]:
    require(actor, Action.AUDIT_VIEW)
    entries = AuditEntry.objects.select_related("actor")
    if target_type:
        entries = entries.filter(target_type=target_type)
    if target_id:
        entries = entries.filter(target_id=target_id)
    if action:
        entries = entries.filter(action=action)
    return entries
