"""What the studio reads: the authoring side of the catalog, for vendor staff.

The studio shows working copies (drafts, items in review) as well as published items, so it reads
items through `catalog_items_visible`, which gives vendor staff the whole tenant and partner
people nothing they could author. Every list here is built in a fixed number of queries whatever
its length: the page of items, then one query per kind of decoration (titles, translations that
need an update, containers to re-publish).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from cascade.access.actor import Actor
from cascade.access.policies import Action, can, people_visible
from cascade.audit.models import AuditEntry
from cascade.catalog.format_models import LessonFormat
from cascade.catalog.item_models import (
    CatalogItem,
    ItemApproval,
    ItemKind,
    ItemLink,
    ItemState,
    ItemVariant,
    VariantStatus,
)
from cascade.catalog.items import CHILD_KINDS, reaches_every_partner, variant_needs_update
from cascade.catalog.models import Audience, AudienceRule, Dimension, Effect
from cascade.catalog.revision_models import ItemRevision, RevisionView
from cascade.catalog.revisions import containers_needing_republication
from cascade.core.errors import NotFound, PermissionDenied
from cascade.identity.models import Person
from cascade.identity.roles import JobRole
from cascade.tenancy.models import (
    BusinessModel,
    PartnerOrganization,
    Region,
    Specialization,
    Tenant,
    Tier,
)

# An item whose review-by date is this close (or passed) needs its owners' attention.
REVIEW_SOON = timedelta(days=14)
LANGUAGE_NAMES = dict(settings.LANGUAGES)
CANDIDATES_SHOWN = 20
VIEWERS_SHOWN = 50


def studio_access(actor: Actor) -> None:
    """The studio is the vendor team's: partner people are told it does not exist, vendor staff
    without a catalog role that they may not use it."""
    if not actor.is_vendor_staff:
        raise NotFound("This page is for the vendor team.", code="not_vendor_staff")
    if not can(actor, Action.CATALOG_STUDIO_VIEW):
        raise PermissionDenied(
            "The studio is for content authors, reviewers and translators.", code="forbidden"
        )


def source_title(tenant: Tenant, item_ref: str = "pk") -> Subquery:
    """The item's title in the program's default language (the source text)."""
    return Subquery(
        ItemVariant.objects.filter(item=OuterRef(item_ref), locale=tenant.default_locale).values(
            "title"
        )[:1]
    )


def _stale_translations(tenant: Tenant) -> Exists:
    """The item has a translation made from an older source text than the current one."""
    source_updated = ItemVariant.objects.filter(
        item=OuterRef("item_id"), locale=tenant.default_locale
    ).values("updated_at")[:1]
    return Exists(
        ItemVariant.objects.filter(item=OuterRef("pk"))
        .exclude(locale=tenant.default_locale)
        .filter(source_updated_at__lt=Subquery(source_updated))
    )


# --- the studio's item list ---------------------------------------------------------------------


class StudioView:
    ALL = "all"
    REVIEW = "review"
    ATTENTION = "attention"


@dataclass(frozen=True)
class StudioFilters:
    view: str = StudioView.ALL
    state: str | None = None
    kind: str | None = None
    owner_team_id: int | None = None
    q: str | None = None


def studio_item_list(*, actor: Actor, filters: StudioFilters, today: date) -> QuerySet[CatalogItem]:
    """Items as the studio lists them, each with its source title, filtered.

    - "review": items in review the actor may still approve (not their own work, not approved
      by them in this round);
    - "attention": items whose review-by date is near or passed, with translations that need an
      update, or containers that must be re-published after a major change of a child.
    """
    from cascade.catalog.selectors import catalog_items_visible

    tenant = actor.tenant
    items: QuerySet[CatalogItem] = (
        catalog_items_visible(actor)
        .annotate(title=Coalesce(source_title(tenant), Subquery(_any_title())))
        .select_related("owner_team", "audience")
    )
    if filters.state:
        items = items.filter(state=filters.state)
    if filters.kind:
        items = items.filter(kind=filters.kind)
    if filters.owner_team_id is not None:
        items = items.filter(owner_team_id=filters.owner_team_id)
    for word in (filters.q or "").split()[:8]:
        items = items.filter(
            pk__in=ItemVariant.objects.filter(title__icontains=word).values("item_id")
        )
    if filters.view == StudioView.REVIEW:
        items = awaiting_review(actor, items)
    elif filters.view == StudioView.ATTENTION:
        stale_containers = list(containers_needing_republication())
        items = items.exclude(state=ItemState.RETIRED).filter(
            Q(review_by__lte=today + REVIEW_SOON)
            | _stale_translations(tenant)
            | Q(pk__in=stale_containers)
        )
    return items


def _any_title() -> QuerySet[ItemVariant]:
    return ItemVariant.objects.filter(item=OuterRef("pk")).order_by("locale").values("title")[:1]


def awaiting_review(actor: Actor, items: QuerySet[CatalogItem]) -> QuerySet[CatalogItem]:
    """Items in review that this reviewer may approve now."""
    person = actor.person
    if person is None or not can(actor, Action.CATALOG_REVIEW):
        return items.none()
    already = ItemApproval.objects.filter(
        item=OuterRef("pk"), review_round=OuterRef("review_round"), reviewer=person
    )
    return (
        items.filter(state=ItemState.IN_REVIEW)
        .exclude(created_by=person)
        .exclude(submitted_by=person)
        .exclude(Exists(already))
    )


@dataclass(frozen=True)
class StudioRow:
    item: CatalogItem
    title: str
    stale_translations: list[str]
    republish_for: list[int]
    review_overdue: bool
    review_soon: bool


def studio_rows(*, tenant: Tenant, items: list[CatalogItem], today: date) -> list[StudioRow]:
    """Decorate a page of items with what needs attention (two more queries per page)."""
    ids = [item.pk for item in items]
    stale: dict[int, list[str]] = {}
    if ids:
        source_updated = ItemVariant.objects.filter(
            item=OuterRef("item_id"), locale=tenant.default_locale
        ).values("updated_at")[:1]
        for item_id, locale in (
            ItemVariant.objects.filter(item_id__in=ids)
            .exclude(locale=tenant.default_locale)
            .filter(source_updated_at__lt=Subquery(source_updated))
            .order_by("locale")
            .values_list("item_id", "locale")
        ):
            stale.setdefault(item_id, []).append(locale)
    republish = containers_needing_republication(ids) if ids else {}
    return [
        StudioRow(
            item=item,
            title=getattr(item, "title", "") or f"Untitled {item.get_kind_display().lower()}",
            stale_translations=stale.get(item.pk, []),
            republish_for=republish.get(item.pk, []),
            review_overdue=item.review_by is not None
            and item.review_by < today
            and item.state != ItemState.RETIRED,
            review_soon=item.review_by is not None
            and today <= item.review_by <= today + REVIEW_SOON
            and item.state != ItemState.RETIRED,
        )
        for item in items
    ]


@dataclass(frozen=True)
class TranslationTask:
    item_id: int
    item_title: str
    locale: str
    language: str
    status: str
    translated_by: str


def translations_awaiting_review(actor: Actor, limit: int = 50) -> list[TranslationTask]:
    """Translations in review that this reviewer may decide on (not their own)."""
    person = actor.person
    if person is None or not can(actor, Action.CATALOG_REVIEW):
        return []
    variants = (
        ItemVariant.objects.filter(status=VariantStatus.IN_REVIEW)
        .exclude(locale=actor.tenant.default_locale)
        .exclude(translated_by=person)
        .exclude(item__state=ItemState.RETIRED)
        .select_related("translated_by")
        .annotate(item_title=source_title(actor.tenant, "item_id"))
        .order_by("updated_at", "pk")[:limit]
    )
    return [
        TranslationTask(
            item_id=variant.item_id,
            item_title=variant.item_title or variant.title,
            locale=variant.locale,
            language=str(LANGUAGE_NAMES.get(variant.locale, variant.locale)),
            status=variant.get_status_display(),
            translated_by=variant.translated_by.full_name if variant.translated_by else "",
        )
        for variant in variants
    ]


# --- one item -----------------------------------------------------------------------------------


def studio_item_get(*, actor: Actor, item_id: int) -> CatalogItem:
    from cascade.catalog.selectors import catalog_items_visible

    item = (
        catalog_items_visible(actor)
        .select_related(
            "owner_team", "audience", "published_revision", "created_by", "submitted_by"
        )
        .filter(pk=item_id)
        .first()
    )
    if item is None:
        raise NotFound("No such item.", code="item_not_found")
    return item


def source_variant(item: CatalogItem) -> ItemVariant | None:
    return ItemVariant.objects.filter(item=item, locale=item.tenant.default_locale).first()


@dataclass(frozen=True)
class ApprovalStatus:
    """The current review round: who approved, and what is still needed (decision 0004)."""

    approvals: list[ItemApproval]
    broad: bool
    needed: int

    @property
    def has_owner_team(self) -> bool:
        return any(approval.from_owner_team for approval in self.approvals)

    @property
    def missing(self) -> list[str]:
        missing: list[str] = []
        remaining = max(0, self.needed - len(self.approvals))
        if self.broad and not self.has_owner_team:
            missing.append("an approval from a member of the owning team")
            remaining -= 1
        if remaining > 0:
            missing.append("one more approval" if remaining == 1 else f"{remaining} more approvals")
        return missing


def approval_status(item: CatalogItem) -> ApprovalStatus:
    approvals = list(
        ItemApproval.objects.filter(item=item, review_round=item.review_round).select_related(
            "reviewer"
        )
    )
    broad = item.audience_id is not None and reaches_every_partner(item)
    return ApprovalStatus(approvals=approvals, broad=broad, needed=2 if broad else 1)


@dataclass(frozen=True)
class Abilities:
    """Which lifecycle buttons to show this actor for this item now. The services decide;
    these only keep the page from offering what would be refused."""

    edit: bool
    submit: bool
    approve: bool
    approve_refusal: str
    request_changes: bool
    publish: bool
    revise: bool
    retire: bool
    translate: bool
    review: bool


def abilities(actor: Actor, item: CatalogItem, approvals: ApprovalStatus) -> Abilities:
    author = can(actor, Action.CATALOG_AUTHOR)
    reviewer = can(actor, Action.CATALOG_REVIEW)
    person_id = actor.person.pk if actor.person else None
    refusal = ""
    if reviewer and item.state == ItemState.IN_REVIEW:
        if person_id in (item.created_by_id, item.submitted_by_id):
            refusal = "You wrote or submitted this item, so someone else approves it."
        elif any(a.reviewer_id == person_id for a in approvals.approvals):
            refusal = "You have approved this round already."
    return Abilities(
        edit=author and item.state == ItemState.DRAFT,
        submit=author and item.state == ItemState.DRAFT,
        approve=reviewer and item.state == ItemState.IN_REVIEW and not refusal,
        approve_refusal=refusal,
        request_changes=reviewer and item.state in (ItemState.IN_REVIEW, ItemState.APPROVED),
        publish=author and item.state == ItemState.APPROVED,
        revise=author and item.state == ItemState.PUBLISHED,
        retire=author
        and item.published_revision_id is not None
        and item.state != ItemState.RETIRED,
        translate=can(actor, Action.CATALOG_TRANSLATE) and item.state != ItemState.RETIRED,
        review=reviewer,
    )


@dataclass(frozen=True)
class Check:
    label: str
    done: bool
    hint: str = ""


def submission_checklist(
    item: CatalogItem, source: ItemVariant | None, children: list[ChildRow], formats: int
) -> list[Check]:
    """What a reviewer will look for, so an occasional contributor knows what is left."""
    checks = [
        Check("A title", bool(source and source.title), "Write it on the Text tab."),
        Check(
            "A summary learners see in the catalog",
            bool(source and source.summary),
            "Write it on the Text tab.",
        ),
        Check(
            "Who it is for (an audience)", item.audience_id is not None, "Choose it in Settings."
        ),
        Check("A duration", item.duration_minutes is not None, "Give an estimate in Settings."),
    ]
    if CHILD_KINDS[item.kind]:
        checks.append(
            Check("At least one step in its structure", bool(children), "Add them on Structure.")
        )
        unpublished = [c.title for c in children if c.child.published_revision_id is None]
        checks.append(
            Check(
                "Every step is published",
                not unpublished,
                "Not yet published: " + ", ".join(unpublished) + "." if unpublished else "",
            )
        )
    if item.kind in (ItemKind.LESSON, ItemKind.CARD):
        checks.append(Check("At least one format", formats > 0, "Add one on Formats."))
    return checks


@dataclass(frozen=True)
class ChildRow:
    link: ItemLink
    child: CatalogItem
    title: str


def children_of(item: CatalogItem) -> list[ChildRow]:
    links = (
        ItemLink.objects.filter(parent=item)
        .select_related("child")
        .annotate(child_title=source_title(item.tenant, "child_id"))
        .order_by("position")
    )
    return [
        ChildRow(
            link=link,
            child=link.child,
            title=link.child_title or f"Item {link.child_id}",
        )
        for link in links
    ]


_PLURALS = {
    ItemKind.COURSE: "courses",
    ItemKind.MODULE: "modules",
    ItemKind.LESSON: "lessons",
    ItemKind.CARD: "microlearning cards",
    ItemKind.PATH: "learning paths",
}
_ORDER = [ItemKind.COURSE, ItemKind.MODULE, ItemKind.LESSON, ItemKind.CARD, ItemKind.PATH]


def kinds_in_words(kinds: Iterable[str]) -> str:
    """{"lesson", "card"} -> "lessons and microlearning cards"."""
    words = [_PLURALS[kind] for kind in _ORDER if kind in set(kinds)]
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"


def containers_of_kind(kind: str) -> str:
    """Which kinds of container may use an item of this kind, in words."""
    return kinds_in_words(parent for parent, children in CHILD_KINDS.items() if kind in children)


def parents_of(item: CatalogItem) -> list[tuple[int, str, str]]:
    """Containers that use this item: (id, title, kind label)."""
    links = (
        ItemLink.objects.filter(child=item)
        .select_related("parent")
        .annotate(parent_title=source_title(item.tenant, "parent_id"))
        .order_by("parent_id")
    )
    return [
        (link.parent_id, link.parent_title or "", link.parent.get_kind_display()) for link in links
    ]


def structure_candidates(
    *, actor: Actor, item: CatalogItem, query: str, exclude: Iterable[int]
) -> list[CatalogItem]:
    """Items that may be added to `item`'s structure, matching words of their title: reusable
    lessons, cards, modules and courses of the kinds the item may contain, newest first."""
    from cascade.catalog.selectors import catalog_items_visible

    allowed = CHILD_KINDS[item.kind]
    if not allowed:
        return []
    items = (
        catalog_items_visible(actor)
        .filter(kind__in=allowed)
        .exclude(pk=item.pk)
        .exclude(pk__in=list(exclude))
        .exclude(state=ItemState.RETIRED)
        .annotate(title=source_title(actor.tenant))
    )
    for word in query.split()[:8]:
        items = items.filter(
            pk__in=ItemVariant.objects.filter(title__icontains=word).values("item_id")
        )
    return list(items.order_by("-updated_at", "-pk")[:CANDIDATES_SHOWN])


def formats_of(item: CatalogItem) -> list[LessonFormat]:
    return list(
        LessonFormat.objects.filter(item=item)
        .select_related("media")
        .prefetch_related("tracks")
        .order_by("position")
    )


# --- translations -------------------------------------------------------------------------------


@dataclass(frozen=True)
class TranslationRow:
    locale: str
    language: str
    variant: ItemVariant | None
    needs_update: bool

    @property
    def status(self) -> str:
        if self.variant is None:
            return "Not started"
        return str(self.variant.get_status_display())


def translation_rows(item: CatalogItem) -> list[TranslationRow]:
    """One row per language the program offers besides the source (and any language the item
    was translated into before the program dropped it)."""
    tenant = item.tenant
    variants = {
        v.locale: v for v in ItemVariant.objects.filter(item=item).select_related("translated_by")
    }
    source = variants.get(tenant.default_locale)
    locales = [code for code in tenant.supported_locales if code != tenant.default_locale]
    locales += sorted(
        code for code in variants if code not in locales and code != tenant.default_locale
    )
    return [
        TranslationRow(
            locale=code,
            language=str(LANGUAGE_NAMES.get(code, code)),
            variant=variants.get(code),
            needs_update=source is not None
            and code in variants
            and variant_needs_update(variant=variants[code], source=source),
        )
        for code in locales
        if code in LANGUAGE_NAMES
    ]


def translatable_locale(item: CatalogItem, locale: str) -> bool:
    return locale in LANGUAGE_NAMES and locale != item.tenant.default_locale


# --- history ------------------------------------------------------------------------------------


def item_history(item: CatalogItem) -> QuerySet[AuditEntry]:
    """The item's audit trail: who changed, submitted, approved and published what, when.

    Anyone who may open the item in the studio may read its history (the audit log page itself
    is for program admins)."""
    return AuditEntry.objects.filter(
        target_type=CatalogItem._meta.label_lower, target_id=str(item.pk)
    ).select_related("actor")


ACTION_LABELS = {
    "catalog_item.create": "Created",
    "catalog_item.text": "Edited the text",
    "catalog_item.update": "Changed the settings",
    "catalog_item.submit": "Submitted for review",
    "catalog_item.approve": "Approved",
    "catalog_item.approved": "Approval complete",
    "catalog_item.changes_requested": "Sent back to its authors",
    "catalog_item.review_note": "Reviewer's note",
    "catalog_item.publish": "Published",
    "catalog_item.revise": "Started a new revision",
    "catalog_item.retire": "Retired",
    "catalog_item.structure": "Changed the structure",
    "catalog_item.formats": "Changed the formats",
    "catalog_item.product_versions": "Changed the product versions",
    "catalog_item.translation_save": "Saved a translation",
    "catalog_item.translation_submit": "Sent a translation for review",
    "catalog_item.translation_approve": "Approved a translation",
    "catalog_item.translation_return": "Returned a translation",
}


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action.rpartition(".")[2].replace("_", " ").capitalize())


def revisions_of(item: CatalogItem) -> list[ItemRevision]:
    return list(
        ItemRevision.objects.filter(item=item)
        .select_related("published_by")
        .annotate(viewer_count=Count("views"))
        .order_by("-number")
    )


def recent_viewers(actor: Actor, item: CatalogItem) -> list[RevisionView]:
    """Who saw which revision, newest first, leaving out people whose organization shares only
    aggregate numbers with the vendor (they still count in each revision's total)."""
    visible = people_visible(actor, Person.objects.all())
    return list(
        RevisionView.objects.filter(item=item, person__in=visible)
        .select_related("person", "revision")
        .order_by("-last_seen_at", "-id")[:VIEWERS_SHOWN]
    )


# --- audiences ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RuleDescription:
    effect: str
    parts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "; ".join(self.parts) if self.parts else "every partner person"


@dataclass(frozen=True)
class AudienceSummary:
    audience: Audience
    rules: list[RuleDescription]
    item_count: int

    @property
    def reaches_everyone(self) -> bool:
        includes_all = any(r.effect == Effect.INCLUDE and not r.parts for r in self.rules)
        return includes_all and not any(r.effect == Effect.EXCLUDE for r in self.rules)

    @property
    def is_pilot(self) -> bool:
        """Only explicit organizations: a first rollout to a few partners."""
        includes = [r for r in self.rules if r.effect == Effect.INCLUDE]
        return bool(includes) and all(
            len(r.parts) == 1 and r.parts[0].startswith("Organizations:") for r in includes
        )


def audience_list() -> QuerySet[Audience]:
    return Audience.objects.annotate(item_count=Count("items")).order_by("name", "id")


def audience_get(audience_id: int) -> Audience:
    audience = Audience.objects.filter(pk=audience_id).first()
    if audience is None:
        raise NotFound("No such audience.", code="audience_not_found")
    return audience


def describe_audiences(audiences: list[Audience]) -> list[AudienceSummary]:
    """Each audience's rules in words ("Include: minimum tier Gold; regions EMEA"), in a fixed
    number of queries (the rules with their criteria, then the names they refer to)."""
    rules = list(
        AudienceRule.objects.filter(audience__in=audiences)
        .prefetch_related("criteria")
        .order_by("audience_id", "id")
    )
    names = _reference_names(rules)
    by_audience: dict[int, list[RuleDescription]] = {}
    for rule in rules:
        by_audience.setdefault(rule.audience_id, []).append(describe_rule(rule, names))
    return [
        AudienceSummary(
            audience=audience,
            rules=by_audience.get(audience.pk, []),
            item_count=getattr(audience, "item_count", 0),
        )
        for audience in audiences
    ]


_DIMENSION_LABELS = {
    Dimension.TIER: "Tiers",
    Dimension.REGION: "Regions",
    Dimension.COUNTRY: "Countries",
    Dimension.SPECIALIZATION: "Specializations",
    Dimension.BUSINESS_MODEL: "Business models",
    Dimension.JOB_ROLE: "Job roles",
    Dimension.LOCALE: "Languages",
    Dimension.ORGANIZATION: "Organizations",
}


def _reference_names(rules: list[AudienceRule]) -> dict[tuple[str, str], str]:
    wanted: dict[str, set[int]] = {}
    for rule in rules:
        for criterion in rule.criteria.all():
            if criterion.value.isdigit() and criterion.dimension in (
                Dimension.TIER,
                Dimension.REGION,
                Dimension.SPECIALIZATION,
                Dimension.ORGANIZATION,
            ):
                wanted.setdefault(criterion.dimension, set()).add(int(criterion.value))
    names: dict[tuple[str, str], str] = {}
    models = {
        Dimension.TIER: Tier,
        Dimension.REGION: Region,
        Dimension.SPECIALIZATION: Specialization,
        Dimension.ORGANIZATION: PartnerOrganization,
    }
    for dimension, ids in wanted.items():
        for pk, name in (
            models[Dimension(dimension)].objects.filter(pk__in=ids).values_list("pk", "name")
        ):
            names[(dimension, str(pk))] = name
    for tier in Tier.objects.values_list("rank", "name"):
        names[("rank", str(tier[0]))] = tier[1]
    labels = {
        Dimension.BUSINESS_MODEL: dict(BusinessModel.choices),
        Dimension.JOB_ROLE: dict(JobRole.choices),
        Dimension.LOCALE: LANGUAGE_NAMES,
    }
    for dimension, choices in labels.items():
        for code, label in choices.items():
            names[(dimension, str(code))] = str(label)
    return names


def describe_rule(rule: AudienceRule, names: dict[tuple[str, str], str]) -> RuleDescription:
    parts: list[str] = []
    if rule.minimum_tier_rank is not None:
        tier = names.get(("rank", str(rule.minimum_tier_rank)), f"rank {rule.minimum_tier_rank}")
        parts.append(f"Minimum tier: {tier}")
    values: dict[str, list[str]] = {}
    for criterion in rule.criteria.all():
        values.setdefault(criterion.dimension, []).append(
            names.get((criterion.dimension, criterion.value), criterion.value)
        )
    for dimension, label in _DIMENSION_LABELS.items():
        if dimension in values:
            parts.append(f"{label}: {', '.join(sorted(values[dimension]))}")
    return RuleDescription(effect=rule.effect, parts=parts)


def lowest_teaser_tier(item: CatalogItem) -> Tier | None:
    """The tier named by "available at <tier>": the lowest minimum tier among the audience's
    include rules (None when no rule asks for a minimum tier, so no teaser can show)."""
    if item.audience_id is None:
        return None
    ranks = AudienceRule.objects.filter(
        audience_id=item.audience_id, effect=Effect.INCLUDE, minimum_tier_rank__isnull=False
    ).values_list("minimum_tier_rank", flat=True)
    if not ranks:
        return None
    return Tier.objects.filter(rank__gte=min(r for r in ranks if r is not None)).first()
