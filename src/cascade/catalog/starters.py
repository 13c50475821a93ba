"""Starters: ready-made beginnings for the kinds of item authors write most often.

Occasional contributors (a product manager writing one lesson a quarter) should not face an empty
page. A starter fixes the item's kind, suggests a duration, lays out the body as a Markdown
outline to fill in, and names the formats that suit it; formats that need no file (the article,
which is the item's own text) are set at once, the others are listed as next steps.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from cascade.access.actor import Actor
from cascade.catalog.format_models import FormatKind
from cascade.catalog.formats import FormatSpec, item_formats_set
from cascade.catalog.item_models import CatalogItem, CatalogTeam, ItemKind, ItemLink
from cascade.catalog.items import CHILD_KINDS, item_create, item_structure_set
from cascade.catalog.models import Audience
from cascade.core.errors import ValidationFailed


@dataclass(frozen=True)
class Starter:
    slug: str
    name: str
    description: str
    kind: str
    duration_minutes: int
    outline: str
    # Formats that suit the item, in the order a learner would be offered them.
    formats: tuple[str, ...] = ()

    @property
    def kind_label(self) -> str:
        return str(ItemKind(self.kind).label)

    @property
    def format_labels(self) -> list[str]:
        return [str(FormatKind(kind).label) for kind in self.formats]

    @property
    def formats_set_at_creation(self) -> tuple[str, ...]:
        """Formats that need nothing but the item's text, so they can exist from the start."""
        return tuple(kind for kind in self.formats if kind == FormatKind.ARTICLE)

    @property
    def formats_to_add(self) -> list[str]:
        """Suggested formats the author still has to give a file or an address."""
        return [
            str(FormatKind(kind).label)
            for kind in self.formats
            if kind not in self.formats_set_at_creation
        ]


STARTERS: tuple[Starter, ...] = (
    Starter(
        slug="product-course",
        name="Product course",
        description="A course in three modules: what the product is for, how to sell or "
        "deploy it, and how to prove it works. Build it from reusable lessons.",
        kind=ItemKind.COURSE,
        duration_minutes=90,
        outline=(
            "## Who this course is for\n\n"
            "Describe the partner roles this course helps (sales, presales, support).\n\n"
            "## What you will be able to do\n\n"
            "- First outcome\n- Second outcome\n- Third outcome\n\n"
            "## Module 1: Why customers buy it\n\n"
            "The problems the product solves and the customers who have them.\n\n"
            "## Module 2: How it works\n\n"
            "The main components, how to position them, and a typical deployment.\n\n"
            "## Module 3: Proving it\n\n"
            "A demonstration or a hands-on exercise, and how to answer common objections.\n"
        ),
    ),
    Starter(
        slug="course-module",
        name="Course module",
        description="One part of a course, made of lessons and microlearning cards that "
        "other courses may reuse.",
        kind=ItemKind.MODULE,
        duration_minutes=30,
        outline=(
            "## In this module\n\n"
            "One or two sentences on what the learner will get from the lessons below.\n"
        ),
    ),
    Starter(
        slug="video-lesson",
        name="Video lesson",
        description="A short video from the media library or a streaming address, with "
        "captions and a transcript, and the key points as text for those who prefer reading.",
        kind=ItemKind.LESSON,
        duration_minutes=10,
        outline=(
            "## What this video shows\n\n"
            "One sentence on the situation the video covers.\n\n"
            "## Key points\n\n"
            "- First point\n- Second point\n- Third point\n\n"
            "## Try it yourself\n\n"
            "A small task that applies the video to a real customer conversation.\n"
        ),
        formats=(FormatKind.VIDEO, FormatKind.ARTICLE),
    ),
    Starter(
        slug="article-lesson",
        name="Article lesson",
        description="A written lesson: explanation, an example, and a summary to remember.",
        kind=ItemKind.LESSON,
        duration_minutes=15,
        outline=(
            "## Why it matters\n\n"
            "The customer situation this lesson prepares the partner for.\n\n"
            "## How it works\n\n"
            "Explain the idea step by step.\n\n"
            "## Example\n\n"
            "A realistic example from a partner's point of view.\n\n"
            "## Remember\n\n"
            "- The one thing to remember\n- The question to ask the customer\n"
        ),
        formats=(FormatKind.ARTICLE,),
    ),
    Starter(
        slug="document-lesson",
        name="Document or download lesson",
        description="A guide, datasheet or slide deck to download (PDF or Office file), "
        "with a short text on when to use it.",
        kind=ItemKind.LESSON,
        duration_minutes=10,
        outline=(
            "## When to use this document\n\n"
            "The moment of the sale or deployment where this document helps.\n\n"
            "## What is inside\n\n"
            "- Section one\n- Section two\n"
        ),
        formats=(FormatKind.DOCUMENT, FormatKind.ARTICLE),
    ),
    Starter(
        slug="microlearning-card",
        name="Microlearning card",
        description="One idea in one to five minutes: a fact, a question to ask, or a tip.",
        kind=ItemKind.CARD,
        duration_minutes=3,
        outline=(
            "## The idea\n\n"
            "One short paragraph.\n\n"
            "## Use it today\n\n"
            "One thing to do or say in the next customer conversation.\n"
        ),
        formats=(FormatKind.ARTICLE,),
    ),
    Starter(
        slug="learning-path",
        name="Learning path",
        description="An ordered journey of courses, lessons and cards, with required steps "
        "and electives to choose from.",
        kind=ItemKind.PATH,
        duration_minutes=240,
        outline=(
            "## Who should follow this path\n\n"
            "The role and experience this path is designed for.\n\n"
            "## What you will achieve\n\n"
            "- First milestone\n- Second milestone\n\n"
            "## How the path works\n\n"
            "Complete every required step, and choose electives that fit your customers.\n"
        ),
    ),
)

STARTERS_BY_SLUG = {starter.slug: starter for starter in STARTERS}


def starter_get(slug: str) -> Starter:
    starter = STARTERS_BY_SLUG.get(slug)
    if starter is None:
        raise ValidationFailed.field(
            "starter", "Choose one of the starters.", code="invalid_choice"
        )
    return starter


@transaction.atomic
def item_create_from_starter(
    *,
    actor: Actor,
    starter: Starter,
    owner_team: CatalogTeam,
    title: str,
    audience: Audience | None = None,
) -> CatalogItem:
    """A new draft of the starter's kind, with its outline as the body, its suggested duration,
    and the formats that need no file already set. One transaction: no half-made item."""
    item = item_create(
        actor=actor,
        kind=starter.kind,
        owner_team=owner_team,
        title=title,
        body=starter.outline,
        audience=audience,
        duration_minutes=starter.duration_minutes,
    )
    if starter.formats_set_at_creation:
        item_formats_set(
            actor=actor,
            item=item,
            formats=[FormatSpec(kind=kind) for kind in starter.formats_set_at_creation],
        )
    return item


@transaction.atomic
def child_create_from_starter(
    *, actor: Actor, parent: CatalogItem, starter: Starter, title: str
) -> CatalogItem:
    """A new draft made from inside a container (a module written while building a course): it
    takes the container's owner team and audience and becomes its last step."""
    if starter.kind not in CHILD_KINDS[parent.kind]:
        raise ValidationFailed.field(
            "starter",
            f"A {parent.get_kind_display().lower()} cannot contain a {starter.kind_label.lower()}.",
            code="child_kind_not_allowed",
        )
    child = item_create_from_starter(
        actor=actor,
        starter=starter,
        owner_team=parent.owner_team,
        title=title,
        audience=parent.audience,
    )
    steps = [
        (link.child, link.required)
        for link in ItemLink.objects.filter(parent=parent).select_related("child")
    ]
    item_structure_set(
        actor=actor,
        item=parent,
        children=[*steps, (child, True)],
        electives_required=parent.electives_required,
    )
    return child
