"""API schemas of the catalog.

Browsing: catalog cards, an item as a learner reads it (its published revision), search hits.
Studio: items as authors edit them (the working copy), audiences, teams, product versions and the
media library. Ids in paths and bodies are bounded to what the database can hold, so an absurd id
is an input error, never a server error.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from django.conf import settings
from ninja import Path, Schema
from pydantic import Field, field_validator

from cascade.api.schemas import Input, Out, ProblemOut
from cascade.catalog.format_models import FormatKind
from cascade.catalog.item_models import ItemKind, ItemState, VariantStatus
from cascade.catalog.media_models import MediaKind
from cascade.catalog.models import Dimension, Effect
from cascade.catalog.revision_models import ChangeKind
from cascade.core.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from cascade.identity.roles import JobRole
from cascade.identity.schemas import PersonRef
from cascade.tenancy.schemas import TierRef

MAX_ID = 2**63 - 1

# Documented error answers, all application/problem+json (see cascade.api.problems).
LIST_ERRORS: dict[int, type[Schema]] = {401: ProblemOut, 403: ProblemOut, 422: ProblemOut}
READ_ERRORS: dict[int, type[Schema]] = {
    401: ProblemOut,
    403: ProblemOut,
    404: ProblemOut,
    422: ProblemOut,
}
SEARCH_ERRORS: dict[int, type[Schema]] = {
    400: ProblemOut,
    401: ProblemOut,
    403: ProblemOut,
    422: ProblemOut,
}
WRITE_ERRORS: dict[int, type[Schema]] = {
    400: ProblemOut,
    401: ProblemOut,
    403: ProblemOut,
    404: ProblemOut,
    409: ProblemOut,
    422: ProblemOut,
}

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
ItemId = Annotated[int, Path(ge=1, le=MAX_ID, description="A catalog item's id")]
AudienceId = Annotated[int, Path(ge=1, le=MAX_ID, description="An audience's id")]
TeamId = Annotated[int, Path(ge=1, le=MAX_ID, description="A content team's id")]
MediaId = Annotated[int, Path(ge=1, le=MAX_ID, description="A media asset's id")]
VersionId = Annotated[int, Path(ge=1, le=MAX_ID, description="A product version's id")]
LocalePath = Annotated[
    str, Path(min_length=2, max_length=12, description="A language code, e.g. fr or fr-ca")
]
Cursor = Field(default=None, max_length=500, description="`next_cursor` of the previous page")


def known_locale(value: str | None) -> str | None:
    """A language the platform supports (case-insensitive), or None when not given."""
    if value is None or not value.strip():
        return None
    code = value.strip().lower()
    if code not in dict(settings.LANGUAGES):
        raise ValueError("Unsupported language.")
    return code


# --- shared references --------------------------------------------------------------------------


class TeamRef(Out):
    id: int
    name: str


class AudienceRef(Out):
    id: int
    name: str


class VersionOut(Out):
    """A product version an item applies to; a legacy version names the current one."""

    id: int
    label: str
    legacy: bool
    current_label: str | None
    current_id: int | None


# --- browsing -----------------------------------------------------------------------------------


class CatalogQuery(Schema):
    kind: ItemKind | None = None
    max_minutes: int | None = Field(default=None, ge=1, le=10_000, description="At most")
    product_version: int | None = Field(default=None, ge=1, le=MAX_ID, description="A version id")
    product_line: int | None = Field(default=None, ge=1, le=MAX_ID, description="A line id")
    locale: str | None = Field(
        default=None,
        max_length=12,
        description="Only items available in this language, with their text in it",
    )
    job_role: JobRole | None = Field(default=None, description="Items meant for this job role")
    recent: Literal["new", "updated"] | None = Field(
        default=None, description="new: first published lately; updated: revised lately"
    )
    cursor: str | None = Cursor
    limit: int = Field(default=24, ge=1, le=100)

    _locale = field_validator("locale")(known_locale)


class CatalogCardOut(Out):
    id: int
    kind: ItemKind
    kind_label: str
    title: str
    summary: str
    locale: str
    duration_minutes: int | None
    published_at: datetime | None
    revision: int
    is_new: bool
    is_updated: bool
    teaser: bool = Field(description="Shown only as a teaser: the viewer's tier is too low")
    teaser_tier: TierRef | None = Field(description="For a teaser: the tier it is available at")
    product_versions: list[str]


class CatalogPageOut(Out):
    items: list[CatalogCardOut]
    next_cursor: str | None


class ItemQuery(Schema):
    locale: str | None = Field(
        default=None, max_length=12, description="Preferred language (falls back: fr-ca > fr)"
    )

    _locale = field_validator("locale")(known_locale)


class MediaOut(Out):
    id: int
    kind: MediaKind
    title: str
    content_type: str
    size: int
    language: str
    download_allowed: bool
    url: str = Field(description="The file's page on the site (a signed-in session opens it)")


class FormatOut(Out):
    id: int
    kind: FormatKind
    label: str
    locale: str
    url: str = Field(description="External address (videos and links)")
    reference: str
    media: MediaOut | None
    tracks: list[MediaOut]


class ChildOut(Out):
    id: int
    kind: ItemKind
    kind_label: str
    title: str
    required: bool
    revision: int
    duration_minutes: int | None


class ChangeOut(Out):
    revision: int
    change: str
    note: str
    published_at: datetime


class ItemOut(Out):
    """A published item as the caller may read it. A teaser carries only its title, summary
    and the tier it is available at."""

    id: int
    kind: ItemKind
    kind_label: str
    revision: int | None
    published_at: datetime | None
    locale: str
    locales: list[str]
    title: str
    summary: str
    body_html: str = Field(description="Sanitized HTML rendered from the body's Markdown")
    duration_minutes: int | None
    formats: list[FormatOut]
    children: list[ChildOut]
    electives_required: int
    changes: list[ChangeOut] = Field(description="What changed, newest revision first")
    product_versions: list[VersionOut]
    teaser: bool
    teaser_tier: TierRef | None


class SearchQuery(Schema):
    q: str = Field(default="", description="Words to find (prefixes match), 1 to 200 characters")
    locale: str | None = Field(default=None, max_length=12, description="Preferred language")
    limit: int = Field(default=20, ge=1, le=50)

    _locale = field_validator("locale")(known_locale)


class SearchHitOut(Out):
    item_id: int
    kind: ItemKind
    kind_label: str
    title: str
    snippet_html: str = Field(description="Escaped text with matches in <mark> elements")
    locale: str
    score: float


class SearchOut(Out):
    query: str
    items: list[SearchHitOut]


class ProductLineQuery(Schema):
    cursor: str | None = Cursor
    limit: int = Field(default=DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


class ProductVersionOut(Out):
    id: int
    name: str
    label: str
    released_on: date | None
    legacy: bool
    superseded_by_id: int | None
    current_id: int | None = Field(description="For a legacy version: the version to use now")


class ProductLineOut(Out):
    id: int
    name: str
    versions: list[ProductVersionOut]


class ProductLinePageOut(Out):
    items: list[ProductLineOut]
    next_cursor: str | None


# --- studio: items ------------------------------------------------------------------------------


class StudioItemQuery(Schema):
    state: ItemState | None = None
    kind: ItemKind | None = None
    owner_team: int | None = Field(default=None, ge=1, le=MAX_ID, description="A team id")
    q: str | None = Field(default=None, max_length=200, description="Words of a title")
    cursor: str | None = Cursor
    limit: int = Field(default=DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


class StudioItemOut(Out):
    id: int
    kind: ItemKind
    state: ItemState
    title: str = Field(description="In the program's default language")
    owner_team: TeamRef
    audience: AudienceRef | None
    duration_minutes: int | None
    review_by: date | None
    published_revision: int | None
    pending_change: str
    created_at: datetime
    updated_at: datetime


class StudioItemPageOut(Out):
    items: list[StudioItemOut]
    next_cursor: str | None


class VariantOut(Out):
    locale: str
    title: str
    summary: str
    body: str
    status: VariantStatus
    is_source: bool
    needs_update: bool = Field(description="Translated from an older source text")
    source_updated_at: datetime | None
    updated_at: datetime
    translated_by: PersonRef | None


class StudioChildOut(Out):
    id: int
    kind: ItemKind
    title: str
    state: ItemState
    position: int
    required: bool
    published_revision: int | None


class StudioFormatOut(Out):
    id: int
    kind: FormatKind
    locale: str
    media_id: int | None
    url: str
    track_ids: list[int]
    reference: str


class ApprovalOut(Out):
    reviewer: PersonRef
    from_owner_team: bool
    created_at: datetime


class RevisionOut(Out):
    number: int
    change: ChangeKind
    note: str
    published_at: datetime
    published_by: PersonRef | None


class PendingChangeOut(Out):
    change: ChangeKind
    note: str


class StudioItemDetailOut(Out):
    """The working copy and its governance: what authors edit and reviewers approve."""

    id: int
    kind: ItemKind
    kind_label: str
    state: ItemState
    next_states: list[ItemState] = Field(description="States the lifecycle allows next")
    owner_team: TeamRef
    audience: AudienceRef | None
    published_audience: AudienceRef | None = Field(description="Who the published revision is for")
    duration_minutes: int | None
    review_by: date | None
    teaser_enabled: bool
    electives_required: int
    source_locale: str
    variants: list[VariantOut]
    children: list[StudioChildOut]
    children_with_major_changes: list[int] = Field(
        description="Children revised with a major change since this item was published: "
        "publish it again to show their new revision"
    )
    formats: list[StudioFormatOut]
    product_versions: list[VersionOut]
    review_round: int
    approvals: list[ApprovalOut] = Field(description="Approvals of the current review round")
    approvals_required: int
    owner_team_approval_required: bool
    created_by: PersonRef | None
    submitted_by: PersonRef | None
    created_at: datetime
    updated_at: datetime
    published_at: datetime | None
    retired_at: datetime | None
    published_revision: int | None
    pending_change: PendingChangeOut | None
    revisions: list[RevisionOut] = Field(description="Newest first")


Title = Field(min_length=1, max_length=200)
Summary = Field(default="", max_length=2000)
Body = Field(default="", max_length=200_000, description="Markdown")
Note = Field(max_length=2000)


class ItemCreateIn(Input):
    kind: ItemKind
    owner_team_id: Id
    title: str = Title
    summary: str = Summary
    body: str = Body
    audience_id: Id | None = None
    duration_minutes: int | None = Field(default=None, ge=1, le=10_000)


class ItemUpdateIn(Input):
    """Partial update: only fields present in the body change. Audience and owner team change
    only in drafts."""

    audience_id: Id | None = Field(default=None, description="null: no audience yet")
    owner_team_id: Id | None = None
    duration_minutes: int | None = Field(default=None, ge=1, le=10_000)
    review_by: date | None = None
    teaser_enabled: bool | None = None


class VariantIn(Input):
    title: str = Title
    summary: str = Summary
    body: str = Body


class ChildIn(Input):
    id: Id
    required: bool = True


class StructureIn(Input):
    children: list[ChildIn] = Field(max_length=200, description="In order")
    electives_required: int = Field(default=0, ge=0, le=200, description="Paths only")


class FormatIn(Input):
    kind: FormatKind
    locale: str = Field(default="", max_length=12, description="Empty: every language")
    media_id: Id | None = None
    url: str = Field(default="", max_length=500)
    track_ids: list[Id] = Field(default_factory=list, max_length=20)
    reference: str = Field(default="", max_length=200)


class FormatsIn(Input):
    formats: list[FormatIn] = Field(max_length=50, description="In order")


class ProductVersionsIn(Input):
    product_version_ids: list[Id] = Field(max_length=200)


class NoteIn(Input):
    note: str = Note


class ReviseIn(Input):
    change: Literal["minor", "major"] = Field(
        description="minor: flows into every course using the item; major: courses must be "
        "published again to show it"
    )
    note: str = Field(max_length=2000, description="What changed, shown to learners")


class TranslationReviewIn(Input):
    approve: bool
    note: str = Field(default="", max_length=2000, description="Required when sending back")


# --- studio: audiences, teams, product versions -------------------------------------------------

CriterionValue = (
    Annotated[str, Field(min_length=1, max_length=40)] | Annotated[int, Field(ge=0, le=MAX_ID)]
)


class RuleIn(Input):
    effect: Effect = Effect.INCLUDE
    minimum_tier_rank: int | None = Field(default=None, ge=1, le=1000)
    criteria: dict[Dimension, Annotated[list[CriterionValue], Field(max_length=500)]] = Field(
        default_factory=dict,
        description="Dimension -> accepted values (ids for tier, region, specialization and "
        "organization; codes otherwise). Every dimension given must match.",
    )


class AudienceCreateIn(Input):
    name: str = Field(min_length=1, max_length=120)
    description: str = Field(default="", max_length=2000)
    rules: list[RuleIn] = Field(max_length=100)


class AudienceUpdateIn(Input):
    """Partial update; `rules`, when given, replace every rule."""

    name: str | None = Field(default=None, min_length=1, max_length=120)
    description: str | None = Field(default=None, max_length=2000)
    rules: list[RuleIn] | None = Field(default=None, max_length=100)


class RuleOut(Out):
    effect: Effect
    minimum_tier_rank: int | None
    criteria: dict[str, list[str]]


class AudienceOut(Out):
    id: int
    name: str
    description: str
    rules: list[RuleOut]
    reaches_every_partner: bool
    created_at: datetime
    updated_at: datetime


class AudiencePageOut(Out):
    items: list[AudienceOut]
    next_cursor: str | None


class LibraryPageQuery(Schema):
    cursor: str | None = Cursor
    limit: int = Field(default=DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


class TeamOut(Out):
    id: int
    name: str
    members: list[PersonRef]


class TeamCreateIn(Input):
    name: str = Field(min_length=1, max_length=80)
    member_ids: list[int] = Field(
        default_factory=list, max_length=200, description="People ids of the program's staff"
    )


class TeamUpdateIn(Input):
    """Partial update; `member_ids`, when given, replace every member."""

    name: str | None = Field(default=None, min_length=1, max_length=80)
    member_ids: list[int] | None = Field(default=None, max_length=200)


class TeamPageOut(Out):
    items: list[TeamOut]
    next_cursor: str | None


class ProductVersionCreateIn(Input):
    product_line: str = Field(min_length=1, max_length=100, description="Created on first use")
    name: str = Field(min_length=1, max_length=40)
    released_on: date | None = None


class SupersedeIn(Input):
    superseded_by_id: Id


# --- studio: media library ----------------------------------------------------------------------


class MediaQuery(Schema):
    kind: MediaKind | None = None
    language: str | None = Field(default=None, max_length=10, description="Empty: neutral")
    tag: str | None = Field(default=None, max_length=40)
    product: str | None = Field(default=None, max_length=100)
    q: str | None = Field(default=None, max_length=200, description="Words of the title")
    cursor: str | None = Cursor
    limit: int = Field(default=DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


class MediaAssetOut(Out):
    id: int
    kind: MediaKind
    title: str
    description: str
    tags: list[str]
    product: str
    language: str
    owner: str
    rights_notes: str
    download_allowed: bool
    content_type: str
    size: int
    original_name: str
    video_id: int | None
    created_by: PersonRef | None
    created_at: datetime
    updated_at: datetime


class MediaPageOut(Out):
    items: list[MediaAssetOut]
    next_cursor: str | None


class MediaUploadIn(Input):
    """The fields sent with the file (multipart/form-data). The file's type is decided from its
    content, never from its name."""

    kind: MediaKind
    title: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=5000)
    tags: list[Annotated[str, Field(max_length=40)]] = Field(default_factory=list, max_length=20)
    product: str = Field(default="", max_length=100)
    language: str = Field(default="", max_length=10)
    owner: str = Field(default="", max_length=200)
    rights_notes: str = Field(default="", max_length=2000)
    download_allowed: bool = True
    video_id: Id | None = Field(default=None, description="For a captions or transcript track")


class MediaUpdateIn(Input):
    """Partial update of the metadata; the file never changes (a new file is a new asset)."""

    title: str | None = Field(default=None, min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=5000)
    tags: list[Annotated[str, Field(max_length=40)]] | None = Field(default=None, max_length=20)
    product: str | None = Field(default=None, max_length=100)
    language: str | None = Field(default=None, max_length=10)
    owner: str | None = Field(default=None, max_length=200)
    rights_notes: str | None = Field(default=None, max_length=2000)
    download_allowed: bool | None = None
    video_id: Id | None = Field(default=None, description="null: not a track of any video")
