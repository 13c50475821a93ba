"""What the assessment authoring pages share: who may use them, and answering a refused change.

Content authors write the competency framework, banks, items and exams; reviewers read them,
answer keys included. Anyone else is refused (403). A page about one object looks the object up
before anything else, so another program's id is a 404 whatever the method.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django import forms
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed

from cascade.access.actor import Actor
from cascade.access.policies import Action, can
from cascade.assessments.authoring_forms import ITEM_TYPES
from cascade.assessments.models import Item
from cascade.core.errors import DomainError, PermissionDenied
from cascade.web.pages import actor_of, form_error


def reader(request: HttpRequest) -> Actor:
    """The actor, who may read assessments (authors and reviewers)."""
    actor = actor_of(request)
    if not can(actor, Action.ASSESSMENT_VIEW):
        raise PermissionDenied(
            "Assessments are written by content authors and read by reviewers.",
            code="forbidden",
        )
    return actor


def author(request: HttpRequest) -> Actor:
    """The actor, who may write assessments (content authors)."""
    actor = reader(request)
    if not can(actor, Action.ASSESSMENT_AUTHOR):
        raise PermissionDenied(
            "Only content authors change assessments; reviewers read them.", code="forbidden"
        )
    return actor


def can_author(actor: Actor) -> bool:
    return can(actor, Action.ASSESSMENT_AUTHOR)


def only_read(request: HttpRequest) -> HttpResponse | None:
    """A 405 for anything but reading (asked once the object is found)."""
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    return None


def show_error(
    form: forms.Form, error: DomainError, field_names: dict[str, str] | None = None
) -> None:
    """A domain error beside the field it concerns; a name already taken beside the name."""
    if error.code == "duplicate_name" and "name" in form.fields:
        form.add_error("name", error.message)
        return
    form_error(form, error, field_names)


@dataclass(frozen=True)
class ItemRow:
    """An item in a list: its type in words and its question."""

    item: Item
    type_label: str
    prompt: str


def item_rows(items: Iterable[Item]) -> list[ItemRow]:
    rows = []
    for item in items:
        definition = item.current_version.definition if item.current_version else {}
        info = ITEM_TYPES.get(item.type)
        rows.append(
            ItemRow(
                item=item,
                type_label=info.label if info else item.type,
                prompt=str(definition.get("prompt", "")),
            )
        )
    return rows
