"""Keyset pagination: stable pages over large, changing lists without OFFSET scans.

A cursor encodes the sort-key values of the last row served; the next page asks for rows strictly
after it. Every ordering ends with the primary key so that keys are unique and pages never overlap.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Generic, TypeVar

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q, QuerySet

from cascade.core.errors import ValidationFailed

M = TypeVar("M")  # a model instance, or a dict for .values() querysets

MAX_PAGE_SIZE = 200
DEFAULT_PAGE_SIZE = 50


@dataclass(frozen=True)
class Page(Generic[M]):
    items: list[M]
    next_cursor: str | None


def _encode(values: list[Any]) -> str:
    raw = json.dumps([v.isoformat() if isinstance(v, date | datetime) else v for v in values])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(cursor: str, size: int) -> list[Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise ValidationFailed.field(
            "cursor", "The cursor is not valid.", code="invalid_cursor"
        ) from exc
    if not isinstance(values, list) or len(values) != size:
        raise ValidationFailed.field("cursor", "The cursor is not valid.", code="invalid_cursor")
    return values


def keyset_page(
    queryset: QuerySet[Any, M], *, ordering: tuple[str, ...], cursor: str | None, limit: int
) -> Page[M]:
    """Return one page of `queryset` ordered by `ordering` (ascending fields, ending with "pk").

    `ordering` names may be prefixed with "-" for descending order.
    """
    if limit < 1 or limit > MAX_PAGE_SIZE:
        raise ValidationFailed.field(
            "limit", f"limit must be between 1 and {MAX_PAGE_SIZE}.", code="invalid_limit"
        )
    queryset = queryset.order_by(*ordering)
    if cursor:
        values = _decode(cursor, len(ordering))
        try:
            queryset = queryset.filter(_after(ordering, values))
            rows = list(queryset[: limit + 1])
        except (DjangoValidationError, ValueError, TypeError) as exc:
            # A cursor that decodes but holds values of the wrong type was not made by us.
            raise ValidationFailed.field(
                "cursor", "The cursor is not valid.", code="invalid_cursor"
            ) from exc
    else:
        rows = list(queryset[: limit + 1])
    has_more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = None
    if has_more and rows:
        last = rows[-1]
        next_cursor = _encode([_value(last, name.lstrip("-")) for name in ordering])
    return Page(items=rows, next_cursor=next_cursor)


def _value(obj: Any, path: str) -> Any:
    if isinstance(obj, dict):  # rows of a .values() queryset
        return obj["id" if path == "pk" else path]
    value: Any = obj
    for part in path.split("__"):
        value = obj.pk if part == "pk" and value is obj else getattr(value, part)
    return value


def _after(ordering: tuple[str, ...], values: list[Any]) -> Q:
    """(a, b, c) > (x, y, z) as OR of prefixes: a>x | a=x & b>y | a=x & b=y & c>z."""
    condition = Q()
    for index, name in enumerate(ordering):
        field = name.lstrip("-")
        lookup = "lt" if name.startswith("-") else "gt"
        step = Q(**{f"{field}__{lookup}": values[index]})
        for prior_index in range(index):
            prior = ordering[prior_index].lstrip("-")
            step &= Q(**{prior: values[prior_index]})
        condition |= step
    return condition


__all__ = ["DEFAULT_PAGE_SIZE", "MAX_PAGE_SIZE", "Page", "keyset_page"]
