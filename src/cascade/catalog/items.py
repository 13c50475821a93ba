"""Writing catalog items and moving them through their lifecycle.

draft -> in_review -> approved -> published -> retired, and back from review to draft when a
reviewer asks for changes. Rules (the catalog issue's governance):
- nobody approves their own work (the item's creator or the person who submitted it);
- content whose audience is every partner needs two approvals, one of them from a member of the
  owning team; narrower content needs one;
- only approvals of the current review round count: sending an item back starts over.
Each change is audited; the audit log is the item's history.
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from cascade.access.actor import Actor
from cascade.access.policies import Action, require
from cascade.audit.services import audit_record
from cascade.catalog.item_models import (
    CatalogItem,
    CatalogTeam,
    ItemApproval,
    ItemKind,
    ItemLink,
    ItemState,
    ItemVariant,
    ProductLine,
    ProductVersion,
    VariantStatus,
)
from cascade.catalog.models import Audience, AudienceRule, Effect
from cascade.catalog.revisions import release_media, revision_publish
from cascade.catalog.search import search_index_item
from cascade.core.errors import Conflict, PermissionDenied, ValidationFailed
from cascade.events.services import event_record

TRANSITIONS: dict[str, frozenset[str]] = {
    # Retiring an item that is being revised is allowed when a revision is published
    # (checked by item_retire).
    ItemState.DRAFT: frozenset({ItemState.IN_REVIEW, ItemState.RETIRED}),
    ItemState.IN_REVIEW: frozenset({ItemState.APPROVED, ItemState.DRAFT, ItemState.RETIRED}),
    ItemState.APPROVED: frozenset({ItemState.PUBLISHED, ItemState.DRAFT, ItemState.RETIRED}),
    # Back to draft: an author starts the next revision (learners keep the published one).
    ItemState.PUBLISHED: frozenset({ItemState.RETIRED, ItemState.DRAFT}),
    ItemState.RETIRED: frozenset(),
}


def move(actor: Actor, item: CatalogItem, to: ItemState, action: str) -> None:
    if to not in TRANSITIONS[item.state]:
        raise Conflict(
            f"A {item.get_state_display().lower()} item cannot become "
            f"{ItemState(to).label.lower()}.",
            code="invalid_transition",
        )
    before = item.state
    item.state = to
    item.save()
    audit_record(
        actor=actor, action=action, target=item, before={"state": before}, after={"state": to}
    )
    event_record(
        tenant=actor.tenant,
        name=f"catalog.item_{to}",
        payload={"item_id": item.pk, "kind": item.kind, "from": before},
    )


def locked(item: CatalogItem) -> CatalogItem:
    return CatalogItem.objects.select_for_update().get(pk=item.pk)


@transaction.atomic
def item_create(
    *,
    actor: Actor,
    kind: str,
    owner_team: CatalogTeam,
    title: str,
    summary: str = "",
    body: str = "",
    audience: Audience | None = None,
    duration_minutes: int | None = None,
) -> CatalogItem:
    """A new draft, with its text in the program's default language."""
    require(actor, Action.CATALOG_AUTHOR)
    if kind not in ItemKind.values:
        raise ValidationFailed.field("kind", f"Unknown kind {kind!r}.", code="invalid_choice")
    check_duration(kind, duration_minutes)
    item = CatalogItem.objects.create(
        tenant=actor.tenant,
        kind=kind,
        owner_team=owner_team,
        audience=audience,
        duration_minutes=duration_minutes,
        created_by=actor.person,
    )
    variant_save(
        actor=actor,
        item=item,
        locale=actor.tenant.default_locale,
        title=title,
        summary=summary,
        body=body,
    )
    audit_record(actor=actor, action="catalog_item.create", target=item, after={"kind": kind})
    return item


@transaction.atomic
def variant_save(
    *,
    actor: Actor,
    item: CatalogItem,
    locale: str,
    title: str,
    summary: str = "",
    body: str = "",
) -> ItemVariant:
    """Write an item's text in one language. A translation records which source text it
    follows; editing the source later flags translations as needing an update."""
    require(actor, Action.CATALOG_AUTHOR)
    item = locked(item)
    if item.state != ItemState.DRAFT:
        raise Conflict("Only drafts can be edited.", code="not_draft")
    check_locale(locale)
    title = check_title(title)
    source_locale = actor.tenant.default_locale
    source = ItemVariant.objects.filter(item=item, locale=source_locale).first()
    if locale != source_locale and source is None:
        raise Conflict("Write the source language first.", code="no_source_variant")
    previous = ItemVariant.objects.filter(item=item, locale=locale).first()
    variant, _ = ItemVariant.objects.update_or_create(
        tenant=actor.tenant,
        item=item,
        locale=locale,
        defaults={
            "title": title,
            "summary": summary.strip(),
            "body": body,
            "source_updated_at": None
            if locale == source_locale or source is None
            else source.updated_at,
            # Written with the draft, a translation is reviewed with the item; translators
            # working on their own go through cascade.catalog.revisions.translation_save.
            "status": VariantStatus.APPROVED,
        },
    )
    audit_record(
        actor=actor,
        action="catalog_item.text",
        target=item,
        before=_text_picture(previous) if previous else None,
        after=_text_picture(variant),
    )
    return variant


def _text_picture(variant: ItemVariant) -> dict[str, Any]:
    """What the history shows of a text change: the title and summary as written, and the
    body's length and fingerprint (bodies may be long; the revision keeps the published text)."""
    return {
        "locale": variant.locale,
        "title": variant.title,
        "summary": variant.summary,
        "body_chars": len(variant.body),
        "body_sha256": hashlib.sha256(variant.body.encode()).hexdigest()[:16],
    }


def check_duration(kind: str, minutes: int | None) -> None:
    """Durations are whole minutes; a microlearning card is 1 to 5 minutes on one topic."""
    if minutes is None:
        return
    if kind == ItemKind.CARD and not 1 <= minutes <= 5:
        raise ValidationFailed.field(
            "duration_minutes",
            "A microlearning card takes 1 to 5 minutes.",
            code="invalid_duration",
        )
    if not 1 <= minutes <= 10_000:
        raise ValidationFailed.field(
            "duration_minutes", "Use 1 to 10000 minutes.", code="invalid_duration"
        )


def check_locale(locale: str) -> None:
    if locale not in dict(settings.LANGUAGES):
        raise ValidationFailed.field("locale", "Unsupported language.", code="invalid_locale")


def check_title(title: str) -> str:
    title = (title or "").strip()
    if not title or len(title) > 200:
        raise ValidationFailed.field("title", "Use 1 to 200 characters.", code="invalid_title")
    return title


_UNSET: Any = object()


@transaction.atomic
def item_update(
    *,
    actor: Actor,
    item: CatalogItem,
    audience: Audience | None = _UNSET,
    owner_team: CatalogTeam = _UNSET,
    duration_minutes: int | None = _UNSET,
    review_by: date | None = _UNSET,
    teaser_enabled: bool = _UNSET,
) -> CatalogItem:
    """Change an item's settings. Who it is for and who owns it change reach and approvals, so
    only drafts change them; the review-by date, duration and teaser may change at any time
    before retirement (the teaser reveals only what the author chose to show)."""
    require(actor, Action.CATALOG_AUTHOR)
    item = locked(item)
    if item.state == ItemState.RETIRED:
        raise Conflict("Retired items do not change.", code="retired")
    before = _settings_picture(item)
    if audience is not _UNSET or owner_team is not _UNSET:
        if item.state != ItemState.DRAFT:
            raise Conflict("Audience and owner team change only in drafts.", code="not_draft")
        if audience is not _UNSET:
            item.audience = audience
        if owner_team is not _UNSET:
            item.owner_team = owner_team
    if duration_minutes is not _UNSET:
        check_duration(item.kind, duration_minutes)
        item.duration_minutes = duration_minutes
    if review_by is not _UNSET:
        item.review_by = review_by
        item.review_reminded_on = None
    if teaser_enabled is not _UNSET:
        item.teaser_enabled = bool(teaser_enabled)
    item.save()
    audit_record(
        actor=actor,
        action="catalog_item.update",
        target=item,
        before=before,
        after=_settings_picture(item),
    )
    return item


def _settings_picture(item: CatalogItem) -> dict[str, Any]:
    return {
        "audience": item.audience_id,
        "owner_team": item.owner_team_id,
        "duration_minutes": item.duration_minutes,
        "review_by": item.review_by.isoformat() if item.review_by else None,
        "teaser_enabled": item.teaser_enabled,
    }


def variant_needs_update(*, variant: ItemVariant, source: ItemVariant) -> bool:
    """A translation made from an older source text than the current one."""
    if variant.pk == source.pk or variant.source_updated_at is None:
        return False
    return variant.source_updated_at < source.updated_at


@transaction.atomic
def item_submit(*, actor: Actor, item: CatalogItem) -> CatalogItem:
    require(actor, Action.CATALOG_AUTHOR)
    item = locked(item)
    if item.audience_id is None:
        raise ValidationFailed.field(
            "audience", "Choose who this item is for before submitting it.", code="no_audience"
        )
    item.review_round += 1
    item.submitted_by = actor.person
    move(actor, item, ItemState.IN_REVIEW, "catalog_item.submit")
    return item


def reaches_every_partner(item: CatalogItem) -> bool:
    """An audience with an include rule that constrains nothing, and no exclude rule."""
    rules = AudienceRule.objects.filter(audience_id=item.audience_id)
    unconstrained = rules.filter(
        effect=Effect.INCLUDE, dimension_count=0, minimum_tier_rank__isnull=True
    )
    return unconstrained.exists() and not rules.filter(effect=Effect.EXCLUDE).exists()


@transaction.atomic
def item_approve(*, actor: Actor, item: CatalogItem) -> CatalogItem:
    require(actor, Action.CATALOG_REVIEW)
    item = locked(item)
    if item.state != ItemState.IN_REVIEW:
        raise Conflict("Only items in review can be approved.", code="not_in_review")
    person = actor.person
    if person is None or person.pk in (item.created_by_id, item.submitted_by_id):
        raise PermissionDenied("You cannot approve your own work.", code="own_work")
    if ItemApproval.objects.filter(
        item=item, review_round=item.review_round, reviewer=person
    ).exists():
        raise Conflict("You have already approved this item.", code="already_approved")
    from_owner_team = item.owner_team.members.filter(pk=person.pk).exists()
    ItemApproval.objects.create(
        tenant=actor.tenant,
        item=item,
        review_round=item.review_round,
        reviewer=person,
        from_owner_team=from_owner_team,
    )
    audit_record(
        actor=actor,
        action="catalog_item.approve",
        target=item,
        after={"review_round": item.review_round, "from_owner_team": from_owner_team},
    )
    approvals = ItemApproval.objects.filter(item=item, review_round=item.review_round)
    broad = reaches_every_partner(item)
    # Broad content: two approvals, one from the owning team. Narrower content: one.
    if approvals.count() >= (2 if broad else 1) and (
        not broad or approvals.filter(from_owner_team=True).exists()
    ):
        move(actor, item, ItemState.APPROVED, "catalog_item.approved")
    return item


@transaction.atomic
def item_request_changes(*, actor: Actor, item: CatalogItem, note: str) -> CatalogItem:
    """Send an item back to its authors; approvals given so far no longer count."""
    require(actor, Action.CATALOG_REVIEW)
    note = (note or "").strip()
    if not note or len(note) > 2000:
        raise ValidationFailed.field("note", "Say what should change.", code="note_required")
    item = locked(item)
    if item.state not in (ItemState.IN_REVIEW, ItemState.APPROVED):
        raise Conflict("Only items in review can be sent back.", code="not_in_review")
    move(actor, item, ItemState.DRAFT, "catalog_item.changes_requested")
    audit_record(actor=actor, action="catalog_item.review_note", target=item, after={"note": note})
    return item


@transaction.atomic
def item_publish(*, actor: Actor, item: CatalogItem) -> CatalogItem:
    require(actor, Action.CATALOG_AUTHOR)
    item = locked(item)
    if item.state != ItemState.APPROVED:
        raise Conflict("Only approved items can be published.", code="not_approved")
    first = item.published_revision_id is None
    revision = revision_publish(actor=actor, item=item)
    if first:
        item.published_at = revision.published_at
    move(actor, item, ItemState.PUBLISHED, "catalog_item.publish")
    if not first:
        event_record(
            tenant=actor.tenant,
            name="catalog.item_revised",
            payload={"item_id": item.pk, "revision": revision.number, "change": revision.change},
        )
    search_index_item(item)
    return item


@transaction.atomic
def item_retire(*, actor: Actor, item: CatalogItem) -> CatalogItem:
    """Withdraw an item from learners (only items that were published: drafts are deleted)."""
    require(actor, Action.CATALOG_AUTHOR)
    item = locked(item)
    if item.published_revision_id is None:
        raise Conflict("Only published items are retired.", code="not_published")
    item.retired_at = timezone.now()
    move(actor, item, ItemState.RETIRED, "catalog_item.retire")
    release_media(item)
    search_index_item(item)
    return item


# --- structure ----------------------------------------------------------------------------------

# Which kinds an item of each kind may contain.
CHILD_KINDS: dict[str, frozenset[str]] = {
    ItemKind.COURSE: frozenset({ItemKind.MODULE}),
    ItemKind.MODULE: frozenset({ItemKind.LESSON, ItemKind.CARD}),
    ItemKind.PATH: frozenset({ItemKind.COURSE, ItemKind.LESSON, ItemKind.CARD}),
    ItemKind.LESSON: frozenset(),
    ItemKind.CARD: frozenset(),
}
MAX_CHILDREN = 200


@transaction.atomic
def item_structure_set(
    *,
    actor: Actor,
    item: CatalogItem,
    children: list[tuple[CatalogItem, bool]],
    electives_required: int = 0,
) -> CatalogItem:
    """Replace a draft's ordered children, each (child, required).

    A course holds modules; a module holds lessons and cards, which are reusable (one lesson in
    many modules and courses); a path holds courses, lessons and cards, some of them electives, of
    which `electives_required` must be completed. Kinds and nesting make cycles impossible.
    """
    require(actor, Action.CATALOG_AUTHOR)
    item = locked(item)
    if item.state != ItemState.DRAFT:
        raise Conflict("Only drafts can change their structure.", code="not_draft")
    allowed = CHILD_KINDS[item.kind]
    if children and not allowed:
        raise ValidationFailed.field(
            "children",
            f"A {item.get_kind_display().lower()} has no children.",
            code="no_children_allowed",
        )
    if len(children) > MAX_CHILDREN:
        raise ValidationFailed.field(
            "children", f"Use at most {MAX_CHILDREN} children.", code="too_many"
        )
    seen: set[int] = set()
    for child, _required in children:
        if child.tenant_id != actor.tenant.pk:
            raise ValidationFailed.field("children", "Unknown item.", code="unknown_reference")
        if child.kind not in allowed:
            raise ValidationFailed.field(
                "children",
                f"A {item.get_kind_display().lower()} cannot contain a "
                f"{child.get_kind_display().lower()}.",
                code="child_kind_not_allowed",
            )
        if child.pk in seen:
            raise ValidationFailed.field(
                "children", "An item appears only once among the children.", code="duplicate"
            )
        seen.add(child.pk)
    electives = sum(1 for _, required in children if not required)
    if item.kind == ItemKind.PATH and not 0 <= electives_required <= electives:
        raise ValidationFailed.field(
            "electives_required",
            f"Choose between 0 and {electives} electives.",
            code="invalid_electives",
        )
    before = list(item.child_links.values_list("child_id", "required"))
    ItemLink.objects.filter(parent=item).delete()
    ItemLink.objects.bulk_create(
        ItemLink(tenant=actor.tenant, parent=item, child=child, position=index, required=required)
        for index, (child, required) in enumerate(children, start=1)
    )
    item.electives_required = electives_required if item.kind == ItemKind.PATH else 0
    item.save(update_fields=["electives_required", "updated_at"])
    audit_record(
        actor=actor,
        action="catalog_item.structure",
        target=item,
        before={"children": before},
        after={
            "children": [[child.pk, required] for child, required in children],
            "electives_required": item.electives_required,
        },
    )
    return item


# --- product versions ---------------------------------------------------------------------------


@transaction.atomic
def product_version_create(
    *, actor: Actor, product_line_name: str, name: str, released_on: date | None = None
) -> ProductVersion:
    """Add a version of a product line (creating the line on first use)."""
    require(actor, Action.CATALOG_AUTHOR)
    line_name = (product_line_name or "").strip()
    name = (name or "").strip()
    if not line_name or len(line_name) > 100:
        raise ValidationFailed.field(
            "product_line", "Use 1 to 100 characters.", code="invalid_name"
        )
    if not name or len(name) > 40:
        raise ValidationFailed.field("name", "Use 1 to 40 characters.", code="invalid_name")
    line, _ = ProductLine.objects.get_or_create(tenant=actor.tenant, name=line_name)
    try:
        with transaction.atomic():
            version = ProductVersion.objects.create(
                tenant=actor.tenant, product_line=line, name=name, released_on=released_on
            )
    except IntegrityError as exc:
        raise Conflict(f"{line_name} {name} exists already.", code="duplicate_version") from exc
    audit_record(actor=actor, action="product_version.create", target=version, after={"name": name})
    return version


@transaction.atomic
def product_version_supersede(
    *, actor: Actor, version: ProductVersion, by: ProductVersion
) -> ProductVersion:
    """Mark `version` legacy, pointing learners to `by` (a version of the same product line)."""
    require(actor, Action.CATALOG_AUTHOR)
    if by.product_line_id != version.product_line_id or by.pk == version.pk:
        raise ValidationFailed.field(
            "superseded_by",
            "Choose another version of the same product line.",
            code="invalid_successor",
        )
    if current_version(by).pk == version.pk:
        raise ValidationFailed.field(
            "superseded_by",
            "That version is itself superseded by this one.",
            code="succession_cycle",
        )
    version.superseded_by = by
    version.save(update_fields=["superseded_by"])
    audit_record(
        actor=actor,
        action="product_version.supersede",
        target=version,
        after={"superseded_by": by.pk},
    )
    return version


def current_version(version: ProductVersion) -> ProductVersion:
    """Follow the chain of successors to the version learners should use now."""
    seen = {version.pk}
    while version.superseded_by_id is not None and version.superseded_by_id not in seen:
        seen.add(version.superseded_by_id)
        version = ProductVersion.objects.get(pk=version.superseded_by_id)
    return version


@transaction.atomic
def item_product_versions_set(
    *, actor: Actor, item: CatalogItem, versions: list[ProductVersion]
) -> CatalogItem:
    require(actor, Action.CATALOG_AUTHOR)
    item = locked(item)
    before = sorted(item.product_versions.values_list("pk", flat=True))
    item.product_versions.set(versions)
    audit_record(
        actor=actor,
        action="catalog_item.product_versions",
        target=item,
        before={"product_versions": before},
        after={"product_versions": sorted(v.pk for v in versions)},
    )
    return item
