"""Schemas shared by every router: pages and input-model defaults."""

from __future__ import annotations

from typing import Generic, TypeVar

from django.http import HttpRequest
from ninja import Schema
from pydantic import BaseModel, ConfigDict

from cascade.core.errors import ValidationFailed

T = TypeVar("T")


class Input(Schema):
    """Base of every request body: unknown fields are an error, not silently ignored."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Out(BaseModel):
    """Base of list-item outputs fed with plain dicts (read models built from `.values()`).

    Plain pydantic validates dicts in its Rust core; ninja's `Schema` wraps every nested object in
    an attribute getter, which costs more than the database on a page of fifty rows.
    """

    model_config = ConfigDict(from_attributes=True)


class PageOut(Out, Generic[T]):
    items: list[T]
    next_cursor: str | None


class ProblemOut(Schema):
    type: str
    title: str
    status: int
    detail: str
    code: str
    errors: list[dict[str, object]]


def form_fields_known(request: HttpRequest, schema: type[BaseModel]) -> None:
    """Refuse form fields outside `schema` in a multipart upload. The form parser drops them
    silently; JSON bodies refuse unknown fields, so a misspelt field is never ignored here
    either."""
    unknown = sorted(set(request.POST) - set(schema.model_fields))
    if unknown:
        raise ValidationFailed(
            f"The request has invalid fields. {unknown[0]}: Extra inputs are not permitted",
            code="invalid_input",
            details=[
                {
                    "field": name,
                    "message": "Extra inputs are not permitted",
                    "type": "extra_forbidden",
                }
                for name in unknown
            ],
        )
