"""Small presentation filters shared by Cascade's templates."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from django import template

from cascade.identity.roles import JobRole, Role

register = template.Library()

_ROLE_LABELS = dict(Role.choices)
_JOB_ROLE_LABELS = dict(JobRole.choices)


@register.filter
def timedelta_minutes(value: timedelta | None) -> int:
    if value is None:
        return 0
    return max(1, round(value.total_seconds() / 60))


@register.filter
def role_labels(roles: list[str] | str) -> str:
    """Readable role names for a membership's or invitation's roles."""
    items = roles if isinstance(roles, list) else [r for r in roles.split(",") if r]
    return ", ".join(str(_ROLE_LABELS.get(role, role)) for role in items)


@register.filter
def job_role_label(job_role: str) -> str:
    return str(_JOB_ROLE_LABELS.get(job_role, job_role))


@register.filter
def audit_changes(entry: Any) -> list[dict[str, str]]:
    """One row per field of an audit entry: its value before and after the change."""
    before = entry.before if isinstance(entry.before, dict) else {}
    after = entry.after if isinstance(entry.after, dict) else {}
    rows = []
    for field in sorted(set(before) | set(after)):
        rows.append(
            {
                "field": field.replace("_", " "),
                "before": _show(before[field]) if field in before else "",
                "after": _show(after[field]) if field in after else "",
            }
        )
    return rows


def _show(value: Any) -> str:
    if value is None or value == "":
        return "(empty)"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)
