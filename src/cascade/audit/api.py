"""REST endpoint for the audit log: program admins, and integration tokens with audit:read."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from cascade.api.auth import actor_of
from cascade.audit.schemas import AuditPageOut, AuditQuery
from cascade.audit.selectors import audit_entry_list
from cascade.core.pagination import keyset_page
from cascade.identity.schemas import LIST_ERRORS

router = Router(tags=["audit"])


@router.get(
    "/audit-log",
    response={200: AuditPageOut, **LIST_ERRORS},
    summary="List audit entries, newest first",
)
def list_audit_entries(request: HttpRequest, query: Query[AuditQuery]) -> Any:
    entries = audit_entry_list(
        actor=actor_of(request),
        target_type=query.target_type,
        target_id=query.target_id,
        action=query.action,
    )
    return keyset_page(entries, ordering=("-id",), cursor=query.cursor, limit=query.limit)
