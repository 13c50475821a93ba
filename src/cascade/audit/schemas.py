"""API schemas for the audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Schema
from pydantic import Field

from cascade.api.schemas import PageOut
from cascade.core.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from cascade.identity.schemas import PersonRef


class AuditEntryOut(Schema):
    """One administrative change. `before`/`after` hold only the fields that changed."""

    id: int
    occurred_at: datetime
    actor: PersonRef | None
    actor_label: str
    action: str
    target_type: str
    target_id: str
    target_label: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


class AuditQuery(Schema):
    target_type: str | None = Field(
        default=None, max_length=80, description="e.g. tenancy.partnerorganization"
    )
    target_id: str | None = Field(default=None, max_length=64)
    action: str | None = Field(default=None, max_length=80, description="e.g. membership.end")
    cursor: str | None = Field(default=None, max_length=500)
    limit: int = Field(default=DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


AuditPageOut = PageOut[AuditEntryOut]
