"""The catalog's REST endpoints, mounted under /api/v1/.

- `cascade.catalog.api_browse`: the learner catalog (browse, item pages, search, product lines);
- `cascade.catalog.api_authoring`: the studio's items, lifecycle and translations;
- here: what authors pick from while writing (audiences, teams, product versions, the media
  library).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.http import HttpRequest
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile

from cascade.api.schemas import form_fields_known
from cascade.catalog import items as item_services
from cascade.catalog import media, services, teams
from cascade.catalog.api_authoring import person_ref, studio_reader, studio_writer
from cascade.catalog.api_authoring import router as authoring_router
from cascade.catalog.api_browse import product_line_page
from cascade.catalog.api_browse import router as browse_router
from cascade.catalog.audiences import RuleSpec
from cascade.catalog.item_models import CatalogTeam, ProductLine, ProductVersion
from cascade.catalog.media_models import MediaAsset
from cascade.catalog.media_selectors import media_asset_get, media_asset_list
from cascade.catalog.models import Audience, AudienceRule, Effect
from cascade.catalog.schemas import (
    LIST_ERRORS,
    READ_ERRORS,
    WRITE_ERRORS,
    AudienceCreateIn,
    AudienceId,
    AudienceOut,
    AudiencePageOut,
    AudienceUpdateIn,
    LibraryPageQuery,
    MediaAssetOut,
    MediaId,
    MediaPageOut,
    MediaQuery,
    MediaUpdateIn,
    MediaUploadIn,
    ProductLineOut,
    ProductVersionCreateIn,
    RuleIn,
    SupersedeIn,
    TeamCreateIn,
    TeamId,
    TeamOut,
    TeamPageOut,
    TeamUpdateIn,
    VersionId,
)
from cascade.core.errors import NotFound, ValidationFailed
from cascade.core.pagination import Page, keyset_page

router = Router()
library = Router(tags=["catalog library"])

BY_NAME = ("name", "pk")
NEWEST_FIRST = ("-id",)


# --- audiences ----------------------------------------------------------------------------------


def _rule_specs(rules: list[RuleIn]) -> list[RuleSpec]:
    return [
        RuleSpec(
            effect=rule.effect,
            minimum_tier_rank=rule.minimum_tier_rank,
            criteria={
                str(dimension): frozenset(str(value) for value in values)
                for dimension, values in rule.criteria.items()
                if values
            },
        )
        for rule in rules
    ]


def _audiences() -> Any:
    rules = AudienceRule.objects.prefetch_related("criteria").order_by("id")
    return Audience.objects.prefetch_related(Prefetch("rules", queryset=rules))


def _audience_out(audience: Audience) -> dict[str, Any]:
    rules = []
    unconstrained_include = False
    has_exclusion = False
    for rule in audience.rules.all():
        criteria: dict[str, list[str]] = {}
        for criterion in rule.criteria.all():
            criteria.setdefault(criterion.dimension, []).append(criterion.value)
        rules.append(
            {
                "effect": rule.effect,
                "minimum_tier_rank": rule.minimum_tier_rank,
                "criteria": {d: sorted(values) for d, values in sorted(criteria.items())},
            }
        )
        if rule.effect == Effect.EXCLUDE:
            has_exclusion = True
        elif rule.dimension_count == 0 and rule.minimum_tier_rank is None:
            unconstrained_include = True
    return {
        "id": audience.pk,
        "name": audience.name,
        "description": audience.description,
        "rules": rules,
        # The same reading of "every partner" as the approval rule (two approvals needed).
        "reaches_every_partner": unconstrained_include and not has_exclusion,
        "created_at": audience.created_at,
        "updated_at": audience.updated_at,
    }


def _audience(audience_id: int) -> Audience:
    audience = _audiences().filter(pk=audience_id).first()
    if audience is None:
        raise NotFound("No such audience.", code="audience_not_found")
    return audience


@library.get(
    "/catalog/studio/audiences",
    response={200: AudiencePageOut, **LIST_ERRORS},
    summary="List audiences by name",
)
def list_audiences(request: HttpRequest, query: Query[LibraryPageQuery]) -> Any:
    studio_reader(request)
    page = keyset_page(_audiences(), ordering=BY_NAME, cursor=query.cursor, limit=query.limit)
    return {"items": [_audience_out(a) for a in page.items], "next_cursor": page.next_cursor}


@library.post(
    "/catalog/studio/audiences",
    response={201: AudienceOut, **WRITE_ERRORS},
    summary="Create an audience",
    description=(
        "A viewer is in the audience when some include rule matches them and no exclude rule "
        "does. A rule matches when each dimension it names holds one of the viewer's values "
        "(and their tier's rank reaches `minimum_tier_rank`); a rule naming nothing matches "
        "every partner."
    ),
)
def create_audience(request: HttpRequest, payload: AudienceCreateIn) -> Any:
    actor = studio_writer(request)
    audience = services.audience_create(
        actor=actor,
        name=payload.name,
        description=payload.description,
        rules=_rule_specs(payload.rules),
    )
    return Status(201, _audience_out(_audience(audience.pk)))


@library.get(
    "/catalog/studio/audiences/{audience_id}",
    response={200: AudienceOut, **READ_ERRORS},
    summary="Get an audience and its rules",
)
def get_audience(request: HttpRequest, audience_id: AudienceId) -> Any:
    studio_reader(request)
    return _audience_out(_audience(audience_id))


@library.patch(
    "/catalog/studio/audiences/{audience_id}",
    response={200: AudienceOut, **WRITE_ERRORS},
    summary="Change an audience (rules, when given, replace every rule)",
    description="Published items keep the audience as it is now defined: changing the rules "
    "changes who sees them at once.",
)
def update_audience(
    request: HttpRequest, audience_id: AudienceId, payload: AudienceUpdateIn
) -> Any:
    actor = studio_writer(request)
    audience = _audience(audience_id)
    services.audience_update(
        actor=actor,
        audience=audience,
        name=payload.name,
        description=payload.description,
        rules=None if payload.rules is None else _rule_specs(payload.rules),
    )
    return _audience_out(_audience(audience_id))


# --- teams and product versions -----------------------------------------------------------------


@library.get(
    "/catalog/studio/teams",
    response={200: TeamPageOut, **LIST_ERRORS},
    summary="List the teams that own content",
)
def list_teams(request: HttpRequest, query: Query[LibraryPageQuery]) -> Any:
    studio_reader(request)
    teams = CatalogTeam.objects.prefetch_related("members")
    page = keyset_page(teams, ordering=BY_NAME, cursor=query.cursor, limit=query.limit)
    return {
        "items": [_team_out(team) for team in page.items],
        "next_cursor": page.next_cursor,
    }


def _team_out(team: CatalogTeam) -> dict[str, Any]:
    members = sorted(team.members.all(), key=lambda p: (p.full_name, p.pk))
    return {"id": team.pk, "name": team.name, "members": [person_ref(p) for p in members]}


def _team(team_id: int) -> CatalogTeam:
    team = CatalogTeam.objects.filter(pk=team_id).first()
    if team is None:
        raise NotFound("No such team.", code="team_not_found")
    return team


@library.post(
    "/catalog/studio/teams",
    response={201: TeamOut, **WRITE_ERRORS},
    summary="Create a content team",
    description="Members are people of the program's staff. For content reaching every "
    "partner, one approval must come from a member of the owning team.",
)
def create_team(request: HttpRequest, payload: TeamCreateIn) -> Any:
    actor = studio_writer(request)
    team = teams.team_create(actor=actor, name=payload.name, member_ids=payload.member_ids)
    return Status(201, _team_out(team))


@library.patch(
    "/catalog/studio/teams/{team_id}",
    response={200: TeamOut, **WRITE_ERRORS},
    summary="Rename a content team or replace its members",
)
def update_team(request: HttpRequest, team_id: TeamId, payload: TeamUpdateIn) -> Any:
    actor = studio_writer(request)
    team = teams.team_update(
        actor=actor, team=_team(team_id), name=payload.name, member_ids=payload.member_ids
    )
    return _team_out(team)


def _version(version_id: int) -> ProductVersion:
    version = ProductVersion.objects.filter(pk=version_id).first()
    if version is None:
        raise NotFound("No such product version.", code="product_version_not_found")
    return version


def _line_of(version: ProductVersion) -> dict[str, Any]:
    """The version's product line with all its versions (as the product lines list shows it)."""
    line = ProductLine.objects.get(pk=version.product_line_id)
    out: dict[str, Any] = product_line_page(Page(items=[line], next_cursor=None))["items"][0]
    return out


@library.post(
    "/catalog/studio/product-versions",
    response={201: ProductLineOut, **WRITE_ERRORS},
    summary="Add a version of a product line (the line is created on first use)",
    description="Answers the version's product line with every version of it.",
)
def create_product_version(request: HttpRequest, payload: ProductVersionCreateIn) -> Any:
    actor = studio_writer(request)
    version = item_services.product_version_create(
        actor=actor,
        product_line_name=payload.product_line,
        name=payload.name,
        released_on=payload.released_on,
    )
    return Status(201, _line_of(version))


@library.post(
    "/catalog/studio/product-versions/{version_id}/supersede",
    response={200: ProductLineOut, **WRITE_ERRORS},
    summary="Mark a version legacy, pointing to the version that supersedes it",
    description="Both versions belong to the same product line. Learners on the legacy "
    "version's content are pointed to the current one.",
)
def supersede_product_version(
    request: HttpRequest, version_id: VersionId, payload: SupersedeIn
) -> Any:
    actor = studio_writer(request)
    version = _version(version_id)
    successor = ProductVersion.objects.filter(pk=payload.superseded_by_id).first()
    if successor is None:
        raise ValidationFailed.field(
            "superseded_by_id", "Unknown product version.", code="unknown_reference"
        )
    item_services.product_version_supersede(actor=actor, version=version, by=successor)
    return _line_of(version)


# --- media library ------------------------------------------------------------------------------


def _media_out(asset: MediaAsset) -> dict[str, Any]:
    return {
        "id": asset.pk,
        "kind": asset.kind,
        "title": asset.title,
        "description": asset.description,
        "tags": list(asset.tags or []),
        "product": asset.product,
        "language": asset.language,
        "owner": asset.owner,
        "rights_notes": asset.rights_notes,
        "download_allowed": asset.download_allowed,
        "content_type": asset.content_type,
        "size": asset.size,
        "original_name": asset.original_name,
        "video_id": asset.video_id,
        "created_by": person_ref(asset.created_by),
        "created_at": asset.created_at,
        "updated_at": asset.updated_at,
    }


def _video(actor: Any, video_id: int | None) -> MediaAsset | None:
    if video_id is None:
        return None
    try:
        return media_asset_get(actor=actor, asset_id=video_id)
    except NotFound as error:
        raise ValidationFailed.field(
            "video_id", "Unknown video.", code="unknown_reference"
        ) from error


@library.get(
    "/catalog/studio/media",
    response={200: MediaPageOut, **LIST_ERRORS},
    summary="List the media library, newest first",
)
def list_media(request: HttpRequest, query: Query[MediaQuery]) -> Any:
    actor = studio_reader(request)
    assets = media_asset_list(
        actor=actor,
        kind=query.kind,
        language=query.language,
        tag=query.tag,
        product=query.product,
        q=query.q,
    )
    page = keyset_page(assets, ordering=NEWEST_FIRST, cursor=query.cursor, limit=query.limit)
    return {"items": [_media_out(a) for a in page.items], "next_cursor": page.next_cursor}


@library.post(
    "/catalog/studio/media",
    response={201: MediaAssetOut, **WRITE_ERRORS},
    summary="Upload a file to the media library (multipart/form-data)",
    description=(
        "Send the file as `file` and the metadata as form fields. The type is decided from the "
        "file's content (422 `unsupported_type`, `kind_mismatch`, `empty_file`, `too_large`); "
        "the same content twice in the program is refused (409 `duplicate_asset`)."
    ),
)
def upload_media(
    request: HttpRequest, file: File[UploadedFile], payload: Form[MediaUploadIn]
) -> Any:
    actor = studio_writer(request)
    form_fields_known(request, MediaUploadIn)
    asset = media.media_asset_create(
        actor=actor,
        kind=payload.kind,
        upload=file,
        title=payload.title,
        description=payload.description,
        tags=payload.tags,
        product=payload.product,
        language=payload.language,
        owner=payload.owner,
        rights_notes=payload.rights_notes,
        download_allowed=payload.download_allowed,
        video=_video(actor, payload.video_id),
    )
    return Status(201, _media_out(media_asset_get(actor=actor, asset_id=asset.pk)))


@library.get(
    "/catalog/studio/media/{media_id}",
    response={200: MediaAssetOut, **READ_ERRORS},
    summary="Get a media asset's metadata",
)
def get_media(request: HttpRequest, media_id: MediaId) -> Any:
    actor = studio_reader(request)
    return _media_out(media_asset_get(actor=actor, asset_id=media_id))


@library.patch(
    "/catalog/studio/media/{media_id}",
    response={200: MediaAssetOut, **WRITE_ERRORS},
    summary="Change a media asset's metadata",
    description="The file itself never changes: a new version of a file is a new asset, so "
    "lessons using the old one do not change silently.",
)
def update_media(request: HttpRequest, media_id: MediaId, payload: MediaUpdateIn) -> Any:
    actor = studio_writer(request)
    asset = media_asset_get(actor=actor, asset_id=media_id)
    given = payload.model_fields_set
    media.media_asset_update(
        actor=actor,
        asset=asset,
        title=payload.title,
        description=payload.description,
        tags=payload.tags,
        product=payload.product,
        language=payload.language,
        owner=payload.owner,
        rights_notes=payload.rights_notes,
        download_allowed=payload.download_allowed,
        video=_video(actor, payload.video_id) if "video_id" in given else None,
        clear_video="video_id" in given and payload.video_id is None,
    )
    return _media_out(media_asset_get(actor=actor, asset_id=media_id))


@library.delete(
    "/catalog/studio/media/{media_id}",
    response={204: None, **WRITE_ERRORS},
    summary="Remove an unused media asset",
    description="Refused (409 `in_use`) while a lesson or a captions track uses it.",
)
def delete_media(request: HttpRequest, media_id: MediaId) -> Any:
    actor = studio_writer(request)
    media.media_asset_delete(actor=actor, asset=media_asset_get(actor=actor, asset_id=media_id))
    return Status(204, None)


router.add_router("", browse_router)
router.add_router("", authoring_router)
router.add_router("", library)
