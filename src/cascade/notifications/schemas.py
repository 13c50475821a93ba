"""API schemas for the caller's notifications and notification preferences."""

from __future__ import annotations

from datetime import datetime

from ninja import Schema
from pydantic import Field, model_validator

from cascade.api.schemas import Input
from cascade.core.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE


class NotificationOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    url: str
    created_at: datetime
    read_at: datetime | None


class NotificationQuery(Schema):
    unread: bool = Field(default=False, description="Only notifications not read yet")
    cursor: str | None = Field(default=None, max_length=500)
    limit: int = Field(default=DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


class NotificationReadIn(Input):
    """Either `ids` (your notifications to mark read) or `all: true`, not both."""

    ids: list[int] | None = Field(default=None, min_length=1, max_length=500)
    all: bool = False

    @model_validator(mode="after")
    def ids_or_all(self) -> NotificationReadIn:
        if (self.ids is None) == (not self.all):
            raise ValueError("Send either ids or all: true.")
        return self


class NotificationReadOut(Schema):
    marked: int = Field(description="How many notifications this call marked read")
    unread: int = Field(description="How many stay unread")


class NotificationPreferenceOut(Schema):
    kind: str
    label: str
    in_app: bool
    email: bool


class NotificationPreferenceIn(Input):
    in_app: bool
    email: bool
