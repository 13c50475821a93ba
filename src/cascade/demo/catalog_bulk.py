"""A large catalog for benchmarks: 100,000 published items under hundreds of audiences.

The demo catalog (`cascade.demo.catalog_seed`) goes through the services one item at a time;
that would take hours for 100,000 items, so this module writes the same rows the services would
write, in bulk: items, their text per language, formats, structure (modules of lessons, courses
of modules, paths with electives), product versions, the published revision (a snapshot shaped
like `cascade.catalog.revisions.snapshot_of`), the `published_revision` pointer and the search
index. On PostgreSQL rows go through COPY, and the search entries' weighted tsvector is computed
in SQL with the language's text-search configuration, exactly as `search_index_item` builds it;
on SQLite the FTS5 triggers index the entries as they are inserted.

Audiences and product versions are few and go through the services. The import is recorded as
one audit entry (`catalog.import`), which also makes it idempotent: a program that holds one is
left alone, so the benchmark can add the catalog to an existing large seed.

Text is generated from a networking vocabulary (products, topics, angles, customer contexts), so
searches hit realistic numbers of items: a product name matches thousands, a topic hundreds.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import connection

from cascade.access.actor import actor_for_person, system_actor
from cascade.audit.models import AuditEntry
from cascade.audit.services import audit_record
from cascade.catalog.audiences import RuleSpec
from cascade.catalog.format_models import LessonFormat
from cascade.catalog.item_models import (
    CatalogItem,
    CatalogTeam,
    ItemKind,
    ItemLink,
    ItemState,
    ItemVariant,
    ProductVersion,
    VariantStatus,
)
from cascade.catalog.items import product_version_create, product_version_supersede
from cascade.catalog.models import Audience, AudienceCriterion, AudienceRule, Effect
from cascade.catalog.revision_models import ChangeKind, ItemRevision, RevisionChild
from cascade.catalog.search import search_config
from cascade.catalog.search_models import SearchEntry
from cascade.catalog.services import audience_create
from cascade.demo.catalogue import REGIONS
from cascade.demo.logins import DEMO_LOGINS
from cascade.demo.writer import IdAllocator, RowSink, uses_copy
from cascade.identity.models import Person
from cascade.identity.roles import JobRole
from cascade.tenancy.models import (
    BusinessModel,
    OrganizationStatus,
    PartnerOrganization,
    Region,
    Specialization,
    Tenant,
    Tier,
)

Progress = Callable[[str], None]

IMPORT_ACTION = "catalog.import"
AUDIENCES = 300
# Share of items for every partner; the others spread over the generated audiences.
EVERYONE_SHARE = 0.2
KIND_SHARES = (
    (ItemKind.LESSON, 0.70),
    (ItemKind.CARD, 0.15),
    (ItemKind.MODULE, 0.08),
    (ItemKind.COURSE, 0.05),
    (ItemKind.PATH, 0.02),
)
# Languages items are translated into besides English, with the share of items translated.
TRANSLATIONS = (("fr", 0.15), ("de", 0.10), ("es", 0.05), ("ja", 0.03))
SPAN_DAYS = 3 * 365

MORE_PRODUCT_VERSIONS = (
    ("Switching OS", "12.1", "2023-10-02", "12.2"),
    ("Switching OS", "12.2", "2025-04-15", None),
    ("Cloud Edge", "1.4", "2025-03-03", None),
    ("Observability Suite", "2.3", "2024-12-09", None),
    ("Branch Routers", "2025.2", "2025-06-30", None),
)

TOPICS: dict[str, tuple[str, ...]] = {
    "Firewall OS": (
        "high availability", "policy migration", "site-to-site VPN", "URL filtering",
        "intrusion prevention", "TLS inspection", "threat reports", "NAT rules",
        "application control", "sandboxing", "DNS security", "licensing",
    ),
    "SD-WAN Orchestrator": (
        "application steering", "zero-touch provisioning", "branch templates", "hub design",
        "path monitoring", "tunnel troubleshooting", "cloud on-ramps", "QoS policies",
        "5G backup links", "MPLS migration", "segmentation", "analytics",
    ),
    "Campus Wi-Fi 7": (
        "multi-link operation", "site surveys", "roaming", "guest access", "location services",
        "RF optimisation", "IoT onboarding", "high-density design", "outdoor coverage",
        "client troubleshooting",
    ),
    "Fabric Manager": (
        "spine-leaf design", "EVPN-VXLAN overlays", "fabric upgrades", "Terraform automation",
        "REST API", "storage networking", "fabric health", "multi-site fabrics",
        "capacity planning", "telemetry",
    ),
    "Zero Trust Access": (
        "connector placement", "device posture", "identity providers", "application onboarding",
        "VPN replacement", "access policies", "audit trails", "contractor access",
    ),
    "Switching OS": (
        "stacking", "PoE budgets", "VLAN design", "access control lists", "multicast",
        "spanning tree", "in-service upgrades", "port security",
    ),
    "Cloud Edge": (
        "AWS transit", "Azure virtual WAN", "cloud firewalls", "egress control",
        "multi-cloud routing", "cost management",
    ),
    "Observability Suite": (
        "dashboards", "alerting", "flow analytics", "synthetic tests", "log search",
        "capacity reports",
    ),
    "Branch Routers": (
        "LTE failover", "routing protocols", "retail branches", "WAN optimisation",
        "remote management",
    ),
}  # fmt: skip
ANGLES = (
    "Introduction to", "Configuring", "Troubleshooting", "Selling", "Designing",
    "Best practices for", "What's new in", "Sizing", "Upgrading", "Automating", "Monitoring",
    "Demonstrating", "Securing", "Deploying",
)  # fmt: skip
CONTEXTS = (
    "for branch offices", "for healthcare", "for retail chains", "for managed service providers",
    "for the public sector", "for manufacturing", "in multi-cloud networks", "at scale",
    "for small businesses", "for universities", "for financial services", "for hospitality",
    "for logistics", "for remote workers", "in hybrid offices", "for critical infrastructure",
    "for data centers", "for service providers", "for stadiums and venues", "for schools",
    "for energy and utilities", "for government agencies", "for law firms", "for media companies",
)  # fmt: skip
CARD_FORMS = ("Quick tip:", "Checklist:", "In three minutes:", "Myth or fact:", "Cheat sheet:")
SENTENCES = (
    "Customers ask about {topic} when they plan a {context_word} project.",
    "{product} handles {topic} from one console, with the same policy model everywhere.",
    "Start with a short assessment of the current network before proposing {topic}.",
    "Most issues with {topic} come from the underlay, not from the configuration itself.",
    "Keep the design simple: two options for {topic} cover nine customers out of ten.",
    "Document every change to {topic} in the customer's runbook.",
    "The partner portal holds reference designs for {topic} {context}.",
    "Presales engineers can book the lab to rehearse {topic} before a customer demonstration.",
    "Pricing for {topic} follows the subscription tier the customer already holds.",
    "Monitor {topic} with alerts on trends rather than on absolute thresholds.",
    "Plan the rollout of {topic} in waves and measure user experience after each one.",
    "Security teams care about auditability: show how {topic} is logged and reported.",
)
FRENCH = {
    "angles": ("Introduction :", "Configurer :", "Dépanner :", "Vendre :", "Concevoir :"),
    "lead": "Ce module présente {topic} avec {product}, avec des exemples concrets.",
    "points": (
        "Évaluer le réseau existant avant de proposer {topic}.",
        "Documenter chaque changement dans le cahier d'exploitation du client.",
        "Déployer par vagues et mesurer l'expérience des utilisateurs.",
    ),
}
GERMAN = {
    "angles": ("Einführung:", "Konfiguration:", "Fehlersuche:", "Vertrieb:", "Planung:"),
    "lead": "Dieses Modul behandelt {topic} mit {product} anhand konkreter Beispiele.",
    "points": (
        "Das bestehende Netz bewerten, bevor {topic} angeboten wird.",
        "Jede Änderung im Betriebshandbuch des Kunden dokumentieren.",
        "In Wellen ausrollen und die Nutzererfahrung messen.",
    ),
}
SPANISH = {
    "angles": ("Introducción:", "Configurar:", "Solucionar:", "Vender:", "Diseñar:"),
    "lead": "Este módulo presenta {topic} con {product}, con ejemplos concretos.",
    "points": (
        "Evaluar la red actual antes de proponer {topic}.",
        "Documentar cada cambio en el manual de operaciones del cliente.",
        "Desplegar por fases y medir la experiencia de los usuarios.",
    ),
}
JAPANESE = {
    "angles": ("入門:", "設定:", "トラブルシューティング:", "販売:", "設計:"),
    "lead": "このモジュールでは {product} の {topic} を具体例とともに紹介します。",
    "points": (
        "{topic} を提案する前に既存のネットワークを評価します。",
        "変更はすべてお客様の運用手順書に記録します。",
        "段階的に展開し、利用者の体験を測定します。",
    ),
}
LANGUAGE_TEXT = {"fr": FRENCH, "de": GERMAN, "es": SPANISH, "ja": JAPANESE}
VIDEO_HOST = "https://media.northwind.example/library"
DOCS_HOST = "https://docs.northwind.example"


@dataclass(frozen=True)
class _Text:
    title: str
    summary: str
    body: str
    plain: str  # the body as search indexes it (cascade.catalog.search.plain_text)


@dataclass(frozen=True)
class _Child:
    """What a container needs of an item it links to."""

    id: int
    published_at: datetime
    minutes: int


@dataclass
class _Item:
    id: int
    revision_id: int
    kind: str
    audience_id: int
    team_id: int
    published_at: datetime
    minutes: int
    version_ids: list[int]
    texts: dict[str, _Text]
    formats: list[dict[str, Any]]
    children: list[tuple[int, bool]]
    electives_required: int
    teaser: bool


def catalog_imported() -> bool:
    """Whether the current tenant already holds the bulk catalog."""
    return AuditEntry.objects.filter(action=IMPORT_ACTION).exists()


def catalog_bulk_seed(
    *, tenant: Tenant, count: int, seed: int, now: datetime, progress: Progress
) -> None:
    """Add `count` published items to `tenant` (in its tenant scope), unless already done.

    Needs the demo catalog's teams and the demo logins (the author is the items' creator)."""
    if count <= 0 or catalog_imported():
        return
    started = time.perf_counter()
    progress(f"Writing {count:,} catalog items in bulk...")
    writer = _BulkCatalog(tenant=tenant, count=count, seed=seed, now=now, progress=progress)
    writer.run()
    audit_record(
        actor=system_actor(tenant),
        action=IMPORT_ACTION,
        target=tenant,
        after={"items": count, "seed": seed, "audiences": len(writer.audience_ids)},
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (*_MODELS, CatalogItem.product_versions.through):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    progress(f"  {count:,} catalog items in {time.perf_counter() - started:,.0f} s")


_MODELS = (
    Audience,
    AudienceRule,
    AudienceCriterion,
    CatalogItem,
    ItemVariant,
    ItemLink,
    LessonFormat,
    ItemRevision,
    RevisionChild,
    SearchEntry,
)


class _BulkCatalog:
    def __init__(
        self, *, tenant: Tenant, count: int, seed: int, now: datetime, progress: Progress
    ) -> None:
        self.tenant = tenant
        self.count = count
        self.now = now
        self.progress = progress
        self.rng = random.Random(f"{seed}:catalog")

    def run(self) -> None:
        login = next(login for login in DEMO_LOGINS if login.local_part == "author")
        self.author = actor_for_person(
            tenant=self.tenant, person=Person.objects.get(email=login.email(self.tenant.slug))
        )
        self.teams = list(CatalogTeam.objects.order_by("name").values_list("pk", flat=True))
        self._product_versions()
        self._audiences()
        self._open_sinks()
        plan = self._kinds()
        made: dict[str, list[_Child]] = {kind: [] for kind in ItemKind.values}
        for kind, number in plan:
            for _ in range(number):
                item = self._item(kind, made)
                made[kind].append(_Child(item.id, item.published_at, item.minutes))
                self._write(item)
            self.progress(f"  {kind}s: {number:,}")
        for sink in self.sinks:
            sink.flush()
        self._search_entries_flush()

    # --- reference data through the services ----------------------------------------------------

    def _product_versions(self) -> None:
        existing = {
            (v.product_line.name, v.name): v
            for v in ProductVersion.objects.select_related("product_line")
        }
        for line, name, released, _ in MORE_PRODUCT_VERSIONS:
            if (line, name) not in existing:
                existing[(line, name)] = product_version_create(
                    actor=self.author,
                    product_line_name=line,
                    name=name,
                    released_on=date.fromisoformat(released),
                )
        for line, name, _, successor in MORE_PRODUCT_VERSIONS:
            version = existing[(line, name)]
            if successor is not None and version.superseded_by_id is None:
                product_version_supersede(
                    actor=self.author, version=version, by=existing[(line, successor)]
                )
        self.versions: dict[str, list[tuple[str, int]]] = {}
        for (line, name), version in sorted(existing.items()):
            self.versions.setdefault(line, []).append((f"{line} {name}", version.pk))

    def _audiences(self) -> None:
        """Everyone (the demo's audience) and `AUDIENCES` more, built from the program's real
        tiers, regions, countries, specializations, organizations and the job roles and
        languages people have: single dimensions, combinations, several include rules, and
        exclusions."""
        rng = self.rng
        tiers = dict(Tier.objects.values_list("rank", "pk"))
        regions = dict(Region.objects.values_list("code", "pk"))
        specializations = dict(Specialization.objects.values_list("code", "pk"))
        organizations = list(
            PartnerOrganization.objects.filter(status=OrganizationStatus.ACTIVE)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        countries = {region.code: [code for code, _ in region.countries] for region in REGIONS}
        tier_names = {1: "Registered", 2: "Silver", 3: "Gold", 4: "Platinum"}
        models = [m for m in BusinessModel.values if m != BusinessModel.DISTRIBUTOR]
        jobs = [JobRole.SALES, JobRole.PRESALES, JobRole.SUPPORT, JobRole.MARKETING]
        everyone = Audience.objects.filter(name="Every partner").values_list("pk", flat=True)
        self.everyone_id = (
            everyone.first()
            or audience_create(actor=self.author, name="Every partner", rules=[RuleSpec()]).pk
        )
        taken = set(Audience.objects.values_list("name", flat=True))
        self.audience_ids: list[int] = []
        while len(self.audience_ids) < AUDIENCES:
            shape = rng.randrange(10)
            rank = rng.choice([None, None, 2, 3, 4])
            region = rng.choice(sorted(regions))
            special = rng.choice(sorted(specializations))
            above = f", {tier_names[rank]} and above" if rank else ""
            rules: list[RuleSpec]
            if shape == 0:
                rank = rank or rng.choice([2, 3, 4])
                name, rules = f"{tier_names[rank]} and above", [RuleSpec(minimum_tier_rank=rank)]
            elif shape == 1:
                name = f"{region} partners{above}"
                rules = [RuleSpec.of(minimum_tier_rank=rank, region=[regions[region]])]
            elif shape == 2:
                name = f"{special} specialists{above}"
                rules = [
                    RuleSpec.of(minimum_tier_rank=rank, specialization=[specializations[special]])
                ]
            elif shape == 3:
                chosen = sorted(rng.sample(models, rng.randint(1, 2)))
                name = f"{' and '.join(chosen)} partners{above}"
                rules = [RuleSpec.of(minimum_tier_rank=rank, business_model=chosen)]
            elif shape == 4:
                chosen = sorted(rng.sample(jobs, rng.randint(1, 2)))
                name = f"{' and '.join(chosen)} teams in {region}"
                rules = [RuleSpec.of(job_role=chosen, region=[regions[region]])]
            elif shape == 5:
                chosen = sorted(rng.sample(countries[region], min(3, len(countries[region]))))
                name = f"Partners in {', '.join(chosen)}"
                rules = [RuleSpec.of(country=chosen)]
            elif shape == 6:
                chosen = rng.sample(organizations, min(len(organizations), rng.randint(3, 20)))
                name = f"Pilot of {len(chosen)} partners"
                rules = [RuleSpec.of(organization=chosen)]
            elif shape == 7:
                chosen = sorted(rng.sample(jobs, 1))
                name = f"{region} {special} {chosen[0]} teams"
                rules = [
                    RuleSpec.of(
                        region=[regions[region]],
                        specialization=[specializations[special]],
                        job_role=chosen,
                    )
                ]
            elif shape == 8:
                other = rng.choice(sorted(set(regions) - {region}))
                name = f"{region} partners, or {other} {special} specialists"
                rules = [
                    RuleSpec.of(region=[regions[region]]),
                    RuleSpec.of(region=[regions[other]], specialization=[specializations[special]]),
                ]
            else:
                excluded = rng.choice(["tier", "referral", "organizations"])
                if excluded == "tier":
                    name = f"{region} partners except Registered"
                    exclusion = RuleSpec.of(Effect.EXCLUDE, tier=[tiers[1]])
                elif excluded == "referral":
                    name = f"{region} partners except referral partners"
                    exclusion = RuleSpec.of(Effect.EXCLUDE, business_model=[BusinessModel.REFERRAL])
                else:
                    chosen = rng.sample(organizations, min(len(organizations), rng.randint(2, 10)))
                    name = f"{region} partners except {len(chosen)} partners"
                    exclusion = RuleSpec.of(Effect.EXCLUDE, organization=chosen)
                rules = [RuleSpec.of(region=[regions[region]]), exclusion]
            name = _unique(name[:1].upper() + name[1:], taken)
            audience = audience_create(actor=self.author, name=name, rules=rules)
            self.audience_ids.append(audience.pk)
        # Popular audiences hold many items, most hold a few (Zipf-like).
        weights = [1 / (rank + 1) ** 0.8 for rank in range(len(self.audience_ids))]
        total = sum(weights)
        self.audience_cumulative = list(_accumulate(w / total for w in weights))
        self.tier_rule_audiences = set(
            AudienceRule.objects.filter(
                audience_id__in=self.audience_ids, minimum_tier_rank__isnull=False
            ).values_list("audience_id", flat=True)
        )

    # --- items ----------------------------------------------------------------------------------

    def _kinds(self) -> list[tuple[str, int]]:
        counts: list[tuple[str, int]] = [
            (str(kind), int(self.count * share)) for kind, share in KIND_SHARES
        ]
        counts[0] = (counts[0][0], counts[0][1] + self.count - sum(n for _, n in counts))
        return counts

    def _open_sinks(self) -> None:
        self.item_ids = IdAllocator(CatalogItem)
        self.revision_ids = IdAllocator(ItemRevision)
        self.format_ids = IdAllocator(LessonFormat)
        self.item_sink = RowSink(
            CatalogItem,
            label="catalog items",
            fields=(
                "id", "tenant", "kind", "owner_team", "audience", "state", "review_round",
                "duration_minutes", "review_by", "created_by", "submitted_by", "created_at",
                "updated_at", "published_at", "electives_required", "published_revision",
                "published_audience", "latest_major_number", "pending_change", "change_note",
                "teaser_enabled",
            ),
        )  # fmt: skip
        self.revision_sink = RowSink(
            ItemRevision,
            label="catalog item revisions",
            fields=(
                "id", "tenant", "item", "number", "change", "note", "content", "published_by",
                "published_at",
            ),
            after=[self.item_sink],
        )  # fmt: skip
        self.variant_sink = RowSink(
            ItemVariant,
            label="catalog item variants",
            fields=(
                "tenant", "item", "locale", "title", "summary", "body", "updated_at",
                "source_updated_at", "status",
            ),
            after=[self.item_sink],
        )  # fmt: skip
        self.format_sink = RowSink(
            LessonFormat,
            label="lesson formats",
            fields=("id", "tenant", "item", "kind", "position", "locale", "url", "reference"),
            after=[self.item_sink],
        )
        self.link_sink = RowSink(
            ItemLink,
            label="catalog item links",
            fields=("tenant", "parent", "child", "position", "required"),
            after=[self.item_sink],
        )
        self.pin_sink = RowSink(
            RevisionChild,
            label="catalog revision children",
            fields=("tenant", "revision", "child", "pinned_number"),
            after=[self.revision_sink],
        )
        through = CatalogItem.product_versions.through
        self.version_sink = RowSink(
            through,
            label="catalog item product versions",
            fields=("catalogitem", "productversion"),
            after=[self.item_sink],
        )
        self.sinks = [
            self.item_sink,
            self.revision_sink,
            self.variant_sink,
            self.format_sink,
            self.link_sink,
            self.pin_sink,
            self.version_sink,
        ]
        self.search_rows: list[tuple[Any, ...]] = []
        self.search_written = 0
        if uses_copy():
            with connection.cursor() as cursor:
                cursor.execute(
                    "CREATE TEMPORARY TABLE catalog_bulk_search (tenant_id bigint, item_id bigint,"
                    " audience_id bigint, locale varchar(12), kind varchar(10), title text,"
                    " summary text, text text, config text) ON COMMIT DROP"
                )

    def _item(self, kind: str, made: dict[str, list[_Child]]) -> _Item:
        rng = self.rng
        line = rng.choice(sorted(self.versions))
        label, version_id = rng.choice(self.versions[line])
        topic = rng.choice(TOPICS[line])
        angle = rng.choice(ANGLES)
        context = rng.choice(CONTEXTS)
        # Newer content is more common than old content.
        age = SPAN_DAYS * rng.random() ** 1.6
        published = self.now - timedelta(days=age, minutes=rng.randrange(24 * 60))
        audience_id = self._audience()
        children: list[tuple[int, bool]] = []
        electives = 0
        if kind == ItemKind.LESSON:
            minutes = rng.choice([5, 8, 10, 12, 15, 20, 25, 30, 45])
        elif kind == ItemKind.CARD:
            minutes = rng.randint(1, 5)
        else:
            # Authors reuse what is current: children come from the latest items of their kinds.
            if kind == ItemKind.MODULE:
                pool = made[ItemKind.LESSON][-4_000:] + made[ItemKind.CARD][-1_000:]
            elif kind == ItemKind.COURSE:
                pool = made[ItemKind.MODULE][-5_000:]
            else:
                pool = made[ItemKind.COURSE][-3_000:] + made[ItemKind.LESSON][-2_000:]
            wanted = 3 if kind == ItemKind.COURSE else rng.randint(3, 5)
            chosen = rng.sample(pool, min(wanted, len(pool)))
            # A container is published after its children, so its date follows theirs.
            published = max([published, *(c.published_at for c in chosen)])
            published = min(published + timedelta(hours=1), self.now)
            optional = rng.randint(1, 2) if kind == ItemKind.PATH else 0
            children = [
                (child.id, index < len(chosen) - optional) for index, child in enumerate(chosen)
            ]
            electives = 1 if optional else 0
            minutes = sum(c.minutes for c in chosen)
        item_id = self.item_ids.take()
        texts = {"en": _english(rng, kind, line, label, topic, angle, context)}
        for locale, share in TRANSLATIONS:
            if rng.random() < share:
                texts[locale] = _translated(rng, locale, label, topic, texts["en"])
        formats: list[dict[str, Any]] = []
        if kind in (ItemKind.LESSON, ItemKind.CARD):
            kinds = ["article"]
            if kind == ItemKind.LESSON and rng.random() < 0.4:
                kinds.insert(0, "video")
            if rng.random() < 0.2:
                kinds.append("link")
            for kind_of_format in kinds:
                url = ""
                if kind_of_format == "video":
                    url = f"{VIDEO_HOST}/{item_id}.mp4"
                elif kind_of_format == "link":
                    url = f"{DOCS_HOST}/{line.lower().replace(' ', '-')}/{item_id}"
                formats.append(
                    {
                        "id": self.format_ids.take(),
                        "kind": kind_of_format,
                        "locale": "",
                        "media_id": None,
                        "url": url,
                        "track_ids": [],
                        "reference": "",
                    }
                )
        return _Item(
            id=item_id,
            revision_id=self.revision_ids.take(),
            kind=kind,
            audience_id=audience_id,
            team_id=rng.choice(self.teams),
            published_at=published,
            minutes=minutes,
            version_ids=[version_id],
            texts=texts,
            formats=formats,
            children=children,
            electives_required=electives,
            teaser=audience_id in self.tier_rule_audiences and rng.random() < 0.3,
        )

    def _audience(self) -> int:
        if self.rng.random() < EVERYONE_SHARE:
            return self.everyone_id
        point = self.rng.random()
        low, high = 0, len(self.audience_cumulative) - 1
        while low < high:
            middle = (low + high) // 2
            if self.audience_cumulative[middle] < point:
                low = middle + 1
            else:
                high = middle
        return self.audience_ids[low]

    def _write(self, item: _Item) -> None:
        tenant_id = self.tenant.pk
        author_id = self.author.person.pk if self.author.person else None
        created = item.published_at - timedelta(days=2)
        review_by = (self.now + timedelta(days=30 + item.id % 330)).date()
        self.item_sink.add(
            (
                item.id, tenant_id, item.kind, item.team_id, item.audience_id,
                ItemState.PUBLISHED, 1, item.minutes, review_by, author_id, author_id, created,
                item.published_at, item.published_at, item.electives_required, item.revision_id,
                item.audience_id, 0, "", "", item.teaser,
            )
        )  # fmt: skip
        content = {
            "variants": {
                locale: {"title": t.title, "summary": t.summary, "body": t.body}
                for locale, t in item.texts.items()
            },
            "source_locale": "en",
            "children": [
                {"id": child, "required": required, "revision": 1}
                for child, required in item.children
            ],
            "formats": item.formats,
            "electives_required": item.electives_required,
            "duration_minutes": item.minutes,
            "product_version_ids": item.version_ids,
        }
        self.revision_sink.add(
            (
                item.revision_id, tenant_id, item.id, 1, ChangeKind.INITIAL, "",
                _json(content), author_id, item.published_at,
            )
        )  # fmt: skip
        for locale, text in item.texts.items():
            self.variant_sink.add(
                (
                    tenant_id, item.id, locale, text.title, text.summary, text.body, created,
                    None if locale == "en" else created, VariantStatus.APPROVED,
                )
            )  # fmt: skip
            self._search_entry(
                (
                    tenant_id, item.id, item.audience_id, locale, item.kind, text.title,
                    text.summary, text.plain, search_config(locale),
                )
            )  # fmt: skip
        for position, f in enumerate(item.formats, start=1):
            self.format_sink.add(
                (f["id"], tenant_id, item.id, f["kind"], position, "", f["url"], "")
            )
        for position, (child, required) in enumerate(item.children, start=1):
            self.link_sink.add((tenant_id, item.id, child, position, required))
            self.pin_sink.add((tenant_id, item.revision_id, child, 1))
        for version_id in item.version_ids:
            self.version_sink.add((item.id, version_id))

    # --- the search index ---------------------------------------------------------------------

    def _search_entry(self, row: tuple[Any, ...]) -> None:
        self.search_rows.append(row)
        if len(self.search_rows) >= 20_000:
            self._search_entries_flush()

    def _search_entries_flush(self) -> None:
        """PostgreSQL: COPY into a staging table, then insert with the weighted tsvector computed
        by the language's configuration (the same expression as
        `cascade.catalog.search.document_vector`). SQLite: bulk insert; triggers fill FTS5."""
        if not self.search_rows:
            return
        for sink in self.sinks:
            sink.flush()  # entries refer to items
        if uses_copy():
            with connection.cursor() as cursor:
                with cursor.copy(
                    "COPY catalog_bulk_search (tenant_id, item_id, audience_id, locale, kind, "
                    "title, summary, text, config) FROM STDIN"
                ) as copy:
                    for row in self.search_rows:
                        copy.write_row(row)
                cursor.execute(
                    "INSERT INTO catalog_searchentry (tenant_id, item_id, audience_id, locale, "
                    "kind, title, summary, text, document) SELECT tenant_id, item_id, "
                    "audience_id, locale, kind, title, summary, text, "
                    "setweight(to_tsvector(config::regconfig, COALESCE(title, '')), 'A') || "
                    "setweight(to_tsvector(config::regconfig, COALESCE(summary, '')), 'B') || "
                    "setweight(to_tsvector(config::regconfig, COALESCE(text, '')), 'C') "
                    "FROM catalog_bulk_search"
                )
                cursor.execute("TRUNCATE catalog_bulk_search")
        else:
            SearchEntry.objects.bulk_create(
                (
                    SearchEntry(
                        tenant_id=row[0],
                        item_id=row[1],
                        audience_id=row[2],
                        locale=row[3],
                        kind=row[4],
                        title=row[5],
                        summary=row[6],
                        text=row[7],
                    )
                    for row in self.search_rows
                ),
                batch_size=2_000,
            )
        self.search_written += len(self.search_rows)
        self.search_rows = []


# --- text ---------------------------------------------------------------------------------------


def _english(
    rng: random.Random, kind: str, line: str, label: str, topic: str, angle: str, context: str
) -> _Text:
    product = label if rng.random() < 0.5 else line
    if kind == ItemKind.CARD:
        title = f"{rng.choice(CARD_FORMS)} {topic} {context}"
    elif kind == ItemKind.LESSON:
        title = f"{product}: {angle} {topic} {context}"
    elif kind == ItemKind.MODULE:
        title = f"{line}: {topic} {context}"
    elif kind == ItemKind.COURSE:
        title = f"{line} {topic.capitalize()} course {context}"
    else:
        title = f"{line} learning path: {topic} {context}"
    title = title[:1].upper() + title[1:]
    values = {
        "topic": topic,
        "product": product,
        "context": context,
        "context_word": context.split()[-1],
    }
    summary = (
        f"{angle} {topic} with {product} {context}: what partners need to know to plan, sell "
        "and support it."
    )
    paragraphs = [s.format(**values) for s in rng.sample(SENTENCES, rng.randint(2, 3))]
    points = [s.format(**values) for s in rng.sample(SENTENCES, rng.randint(2, 4))]
    practice = rng.choice(SENTENCES).format(**values)
    bullets = "\n".join(f"- {point}" for point in points)
    body = f"{' '.join(paragraphs)}\n\n## Key points\n\n{bullets}\n\n## In practice\n\n{practice}\n"
    plain = " ".join([*paragraphs, "Key points", *points, "In practice", practice])
    return _Text(title[:200], summary, body, plain)


def _translated(rng: random.Random, locale: str, label: str, topic: str, english: _Text) -> _Text:
    words = LANGUAGE_TEXT[locale]
    values = {"topic": topic, "product": label}
    angles: Sequence[str] = words["angles"]
    points: Sequence[str] = words["points"]
    title = f"{rng.choice(angles)} {topic} ({label})"
    lead = str(words["lead"]).format(**values)
    bullets = [point.format(**values) for point in points]
    body = lead + "\n\n" + "\n".join(f"- {b}" for b in bullets) + "\n"
    return _Text(title[:200], lead, body, " ".join([lead, *bullets]))


def _json(content: dict[str, Any]) -> Any:
    """A JSON value as each path writes it: psycopg's Jsonb for COPY, the value for the ORM."""
    if uses_copy():
        from psycopg.types.json import Jsonb

        return Jsonb(content)
    return content


def _unique(name: str, taken: set[str]) -> str:
    candidate, number = name[:110], 2
    while candidate in taken:
        candidate = f"{name[:110]} ({number})"
        number += 1
    taken.add(candidate)
    return candidate


def _accumulate(values: Any) -> list[float]:
    total, out = 0.0, []
    for value in values:
        total += value
        out.append(total)
    out[-1] = math.inf  # every draw lands on an audience
    return out


__all__ = ["IMPORT_ACTION", "catalog_bulk_seed", "catalog_imported"]
