"""Seeding the demo program's catalog through the catalog's own services.

Unlike the people of the seed (written in bulk), the catalog is written the way authors and
reviewers write it: the demo logins create audiences, upload files to the media library, draft
items with their translations and formats, submit them, approve them and publish them. Audit
entries, approvals, published revisions and the search index are therefore exactly what
production produces. Then the story goes on: a lesson gets a minor revision (its French
translation now needs an update), another a major one (the modules using it wait for
re-publication, one is re-published), a translation waits for review, a revision is in progress,
and a few drafts and items in review give the studio work to show.

A demo program has a history, so first publications are dated back over the past two years
(`PUBLISHED_DAYS_AGO`): the item, its first revision and the audit entries of its first
publication. Later revisions are dated the day of the seed, which makes them "updated".

The content is `cascade.demo.catalog_content`; at the tiny scale (tests) only the items marked
`tiny` are written. At the large scale, `cascade.demo.catalog_bulk` adds 100,000 more items.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile

from cascade.access.actor import Actor, actor_for_person
from cascade.audit.models import AuditEntry
from cascade.catalog.audiences import RuleSpec
from cascade.catalog.formats import FormatSpec, item_formats_set
from cascade.catalog.item_models import (
    CatalogItem,
    CatalogTeam,
    ItemApproval,
    ItemLink,
    ItemState,
    ItemVariant,
    ProductVersion,
)
from cascade.catalog.items import (
    item_approve,
    item_create,
    item_product_versions_set,
    item_publish,
    item_structure_set,
    item_submit,
    item_update,
    product_version_create,
    product_version_supersede,
    variant_save,
)
from cascade.catalog.media import media_asset_create
from cascade.catalog.media_models import MediaAsset, MediaKind
from cascade.catalog.models import Audience, AudienceCriterion, AudienceRule, Effect
from cascade.catalog.revision_models import ItemRevision, RevisionChild
from cascade.catalog.revisions import item_revise, translation_save, translation_submit
from cascade.catalog.search_models import SearchEntry
from cascade.catalog.services import audience_create
from cascade.core.scoping import tenant_scope
from cascade.demo.catalog_content import (
    COURSES,
    DRAFTS,
    IN_REVIEW,
    LESSONS,
    MAJOR_REVISION,
    MINOR_REVISION,
    MODULES,
    PATHS,
    PRODUCT_VERSIONS,
    PUBLISHED_DAYS_AGO,
    REPUBLISHED_AFTER_MAJOR,
    REVISION_IN_PROGRESS,
    TEAMS,
    TRANSLATION_IN_REVIEW,
    VIDEO_HOST,
    ContainerPlan,
    LessonPlan,
    Text,
    lesson_body,
)
from cascade.demo.logins import DEMO_LOGINS, NAMED_DISTRIBUTOR, NAMED_RESELLER
from cascade.identity.models import Person
from cascade.identity.roles import JobRole
from cascade.tenancy.models import (
    BusinessModel,
    OrganizationStatus,
    PartnerOrganization,
    Region,
    Specialization,
    Tenant,
)

Progress = Callable[[str], None]

# Catalog items added in bulk per scale, besides the demo content (benchmark data).
BULK_ITEMS = {"large": 100_000}

AUDIENCE_NAMES = {
    "everyone": "Every partner",
    "gold_plus": "Gold and above",
    "emea": "EMEA partners",
    "msp_presales": "MSP presales",
    "pilot": "Pilot: early-access partners",
    "no_referral": "Every partner except referral partners",
    "security": "Security specialists",
    "sales_presales": "Sales and presales",
}


def seed_catalog(
    *,
    tenant: Tenant,
    scale_name: str,
    seed: int,
    today: date,
    now: datetime,
    progress: Progress | None = None,
) -> dict[str, int]:
    """Write the demo catalog (and, at the large scale, the bulk catalog) into `tenant`, a
    program seeded by `cascade.demo.seed`. Does nothing for parts already there, so it can be
    run again on an existing program. Returns rows written per table."""
    report = progress or (lambda message: None)
    with tenant_scope(tenant):
        before = catalog_counts()
        if not CatalogTeam.objects.exists():
            report("Writing the catalog through its services...")
            _DemoCatalog(tenant=tenant, tiny=scale_name == "tiny", today=today, now=now).run()
        bulk = BULK_ITEMS.get(scale_name, 0)
        if bulk:
            from cascade.demo.catalog_bulk import catalog_bulk_seed

            catalog_bulk_seed(tenant=tenant, count=bulk, seed=seed, now=now, progress=report)
        after = catalog_counts()
    return {label: after[label] - before[label] for label in after if after[label] > before[label]}


def catalog_counts() -> dict[str, int]:
    """Rows of the catalog's main tables in the current tenant scope."""
    return {
        "catalog audiences": Audience.objects.count(),
        "catalog audience rules": AudienceRule.objects.count(),
        "catalog audience criteria": AudienceCriterion.objects.count(),
        "catalog media assets": MediaAsset.objects.count(),
        "catalog items": CatalogItem.objects.count(),
        "catalog item variants": ItemVariant.objects.count(),
        "catalog item links": ItemLink.objects.count(),
        "catalog item revisions": ItemRevision.objects.count(),
        "catalog revision children": RevisionChild.objects.count(),
        "catalog approvals": ItemApproval.objects.count(),
        "catalog search entries": SearchEntry.objects.count(),
    }


# What a course or path page says under its summary (modules need no introduction of their own).
_CONTAINER_BODIES = {
    "course": (
        "## How to take this course\n\n"
        "Work through the modules in order. Every lesson offers the formats it has: watch the "
        "video, read the text, or download the guide, whichever suits the moment.\n"
    ),
    "path": (
        "## How this path works\n\n"
        "Complete every required step, and as many electives as the path asks for: pick the "
        "ones closest to your customers.\n"
    ),
}


@dataclass
class _Actors:
    author: Actor
    reviewer: Actor
    admin: Actor
    translator: Actor


class _DemoCatalog:
    def __init__(self, *, tenant: Tenant, tiny: bool, today: date, now: datetime) -> None:
        self.tenant = tenant
        self.tiny = tiny
        self.today = today
        self.now = now
        self.items: dict[str, CatalogItem] = {}
        self.versions: dict[str, ProductVersion] = {}
        self.documents: dict[str, MediaAsset] = {}
        self.tracks: dict[str, list[MediaAsset]] = {}

    def run(self) -> None:
        author = self._login("author")
        self.actors = _Actors(
            author=author,
            reviewer=self._login("reviewer"),
            admin=self._login("admin"),
            # A program seeded before the translator login existed: the author translates.
            translator=self._actor("translator") or author,
        )
        self._teams()
        self._audiences()
        self._product_versions()
        lessons = [plan for plan in LESSONS if plan.tiny or not self.tiny]
        self._media(lessons)
        for plan in lessons:
            self.items[plan.key] = self._publish(self._lesson(plan))
        for container in (*MODULES, *COURSES, *PATHS):
            if container.tiny or not self.tiny:
                self.items[container.key] = self._publish(self._container(container))
        self._backdate()
        self._later_work()

    # --- who and for whom -----------------------------------------------------------------------

    def _login(self, local_part: str) -> Actor:
        actor = self._actor(local_part)
        if actor is None:
            raise LookupError(f"The program has no {local_part} demo login to write its catalog.")
        return actor

    def _actor(self, local_part: str) -> Actor | None:
        login = next(
            login
            for login in DEMO_LOGINS
            if login.local_part == local_part and login.organization_key is None
        )
        person = Person.objects.filter(email=login.email(self.tenant.slug)).first()
        return None if person is None else actor_for_person(tenant=self.tenant, person=person)

    def _teams(self) -> None:
        self.teams: dict[str, CatalogTeam] = {}
        for name, members in TEAMS.items():
            team = CatalogTeam.objects.create(tenant=self.tenant, name=name)
            team.members.set(
                Person.objects.filter(
                    email__in=[
                        login.email(self.tenant.slug)
                        for login in DEMO_LOGINS
                        if login.local_part in members and login.organization_key is None
                    ]
                )
            )
            self.teams[name] = team

    def _audiences(self) -> None:
        emea = Region.objects.get(code="EMEA")
        security = Specialization.objects.get(code="security")
        specs = {
            "everyone": [RuleSpec()],
            "gold_plus": [RuleSpec(minimum_tier_rank=3)],
            "emea": [RuleSpec.of(region=[emea.pk])],
            "msp_presales": [
                RuleSpec.of(business_model=[BusinessModel.MSP], job_role=[JobRole.PRESALES])
            ],
            "pilot": [RuleSpec.of(organization=pilot_organizations())],
            "no_referral": [
                RuleSpec(),
                RuleSpec.of(Effect.EXCLUDE, business_model=[BusinessModel.REFERRAL]),
            ],
            "security": [RuleSpec.of(specialization=[security.pk])],
            "sales_presales": [RuleSpec.of(job_role=[JobRole.SALES, JobRole.PRESALES])],
        }
        descriptions = {
            "pilot": "Three partners who try new content before everyone else.",
            "no_referral": "Referral partners do not run campaigns or claim funds.",
        }
        self.audiences = {
            key: audience_create(
                actor=self.actors.author,
                name=AUDIENCE_NAMES[key],
                description=descriptions.get(key, ""),
                rules=rules,
            )
            for key, rules in specs.items()
        }

    def _product_versions(self) -> None:
        for line, name, released, _ in PRODUCT_VERSIONS:
            self.versions[f"{line} {name}"] = product_version_create(
                actor=self.actors.author,
                product_line_name=line,
                name=name,
                released_on=date.fromisoformat(released),
            )
        for line, name, _, successor in PRODUCT_VERSIONS:
            if successor is not None:
                product_version_supersede(
                    actor=self.actors.author,
                    version=self.versions[f"{line} {name}"],
                    by=self.versions[f"{line} {successor}"],
                )

    # --- the media library ----------------------------------------------------------------------

    def _media(self, lessons: list[LessonPlan]) -> None:
        """A PDF guide for each lesson offered as a document, and captions and a transcript for
        the videos that have them (videos themselves are streamed from an external address)."""
        author = self.actors.author
        for plan in lessons:
            product = _product_of(plan)
            if "document" in plan.formats:
                self.documents[plan.key] = media_asset_create(
                    actor=author,
                    kind=MediaKind.DOCUMENT,
                    upload=SimpleUploadedFile(
                        f"{plan.key}-guide.pdf",
                        pdf_document(plan.title, [plan.summary, *plan.points, plan.practice]),
                    ),
                    title=f"{plan.title} (guide)",
                    description=plan.summary,
                    tags=["guide", plan.team.lower()],
                    product=product,
                    language="en",
                    owner="Northwind Networks",
                )
            if plan.tracks:
                sentences = [plan.summary, *plan.points, plan.practice]
                tracks = [
                    media_asset_create(
                        actor=author,
                        kind=MediaKind.CAPTIONS,
                        upload=SimpleUploadedFile(f"{plan.key}-en.vtt", webvtt(sentences)),
                        title=f"{plan.title}: English captions",
                        product=product,
                        language="en",
                        owner="Northwind Networks",
                    ),
                    media_asset_create(
                        actor=author,
                        kind=MediaKind.TRANSCRIPT,
                        upload=SimpleUploadedFile(
                            f"{plan.key}-transcript.txt", transcript(plan.title, sentences)
                        ),
                        title=f"{plan.title}: transcript",
                        product=product,
                        language="en",
                        owner="Northwind Networks",
                    ),
                ]
                french = plan.translations.get("fr")
                if french is not None:
                    tracks.append(
                        media_asset_create(
                            actor=author,
                            kind=MediaKind.CAPTIONS,
                            upload=SimpleUploadedFile(
                                f"{plan.key}-fr.vtt",
                                webvtt([french.summary, *_lines(french.body)]),
                            ),
                            title=f"{plan.title}: sous-titres français",
                            product=product,
                            language="fr",
                            owner="Northwind Networks",
                        )
                    )
                self.tracks[plan.key] = tracks

    # --- items ----------------------------------------------------------------------------------

    def _lesson(self, plan: LessonPlan) -> CatalogItem:
        author = self.actors.author
        item = self._draft(plan.key, plan.kind, plan, plan.body, plan.minutes)
        formats = []
        for kind in plan.formats:
            if kind == "video":
                formats.append(
                    FormatSpec(
                        kind="video",
                        url=f"{VIDEO_HOST}/{plan.key}.mp4",
                        track_ids=[t.pk for t in self.tracks.get(plan.key, [])],
                    )
                )
            elif kind == "document":
                formats.append(FormatSpec(kind="document", media_id=self.documents[plan.key].pk))
            elif kind == "link":
                formats.append(FormatSpec(kind="link", url=plan.link))
            else:
                formats.append(FormatSpec(kind=kind))
        item_formats_set(actor=author, item=item, formats=formats)
        return item

    def _container(self, plan: ContainerPlan) -> CatalogItem:
        item = self._draft(plan.key, plan.kind, plan, _CONTAINER_BODIES.get(plan.kind, ""), None)
        children = [
            (self.items[key], key not in plan.electives)
            for key in plan.children
            if key in self.items
        ]
        electives = sum(1 for _, required in children if not required)
        item_structure_set(
            actor=self.actors.author,
            item=item,
            children=children,
            electives_required=min(plan.electives_required, electives),
        )
        return item

    def _draft(
        self,
        key: str,
        kind: str,
        plan: LessonPlan | ContainerPlan,
        body: str,
        minutes: int | None,
    ) -> CatalogItem:
        author = self.actors.author
        item = item_create(
            actor=author,
            kind=kind,
            owner_team=self.teams[plan.team],
            title=plan.title,
            summary=plan.summary,
            body=body,
            audience=self.audiences[plan.audience] if plan.audience else None,
            duration_minutes=minutes,
        )
        for locale, text in plan.translations.items():
            variant_save(
                actor=author,
                item=item,
                locale=locale,
                title=text.title,
                summary=text.summary,
                body=text.body,
            )
        if plan.versions:
            item_product_versions_set(
                actor=author, item=item, versions=[self.versions[v] for v in plan.versions]
            )
        item_update(
            actor=author,
            item=item,
            review_by=self._review_by(key),
            teaser_enabled=isinstance(plan, ContainerPlan) and plan.teaser,
        )
        return item

    def _review_by(self, key: str) -> date:
        """Content is reviewed yearly; the legacy administration lesson is overdue and the RMA
        lesson is due within days, so the review reminders have something to say."""
        if key == "fw74-admin":
            return self.today - timedelta(days=10)
        if key == "support-rma":
            return self.today + timedelta(days=7)
        digest = hashlib.sha256(key.encode()).digest()
        return self.today + timedelta(days=60 + digest[0] % 240)

    def _publish(self, item: CatalogItem) -> CatalogItem:
        """Submit, approve (a second approval when the first is not enough: content for every
        partner needs two, one from the owning team) and publish."""
        item_submit(actor=self.actors.author, item=item)
        item = item_approve(actor=self.actors.reviewer, item=item)
        if item.state == ItemState.IN_REVIEW:
            item = item_approve(actor=self.actors.admin, item=item)
        return item_publish(actor=self.actors.author, item=item)

    # --- history --------------------------------------------------------------------------------

    def _backdate(self) -> None:
        for key, item in self.items.items():
            days = PUBLISHED_DAYS_AGO.get(key)
            if days is None:
                continue
            published = self.now - timedelta(days=days, hours=hash_hours(key))
            CatalogItem.objects.filter(pk=item.pk).update(
                created_at=published - timedelta(days=3), published_at=published
            )
            ItemRevision.objects.filter(item=item, number=1).update(published_at=published)
            entries = AuditEntry.objects.filter(
                target_type=CatalogItem._meta.label_lower, target_id=str(item.pk)
            )
            publication = entries.filter(action="catalog_item.publish").order_by("id").first()
            if publication is not None:
                entries.filter(id__lte=publication.pk).update(occurred_at=published)
            item.refresh_from_db()

    def _later_work(self) -> None:
        author = self.actors.author
        # A minor revision: flows into every course using the lesson; its French translation,
        # made from the previous text, now needs an update.
        key, note, added_point = MINOR_REVISION
        plan = _lesson_plan(key)
        self._revise(
            key,
            "minor",
            note,
            lesson_body(
                plan.summary, (*plan.points, added_point.removeprefix("- ")), plan.practice
            ),
        )
        # A major revision: the modules using the lesson keep its previous revision until they
        # are published again; one of them is.
        key, note, new_practice = MAJOR_REVISION
        plan = _lesson_plan(key)
        self._revise(key, "major", note, lesson_body(plan.summary, plan.points, new_practice))
        if REPUBLISHED_AFTER_MAJOR in self.items:
            item = self.items[REPUBLISHED_AFTER_MAJOR]
            item_revise(
                actor=author,
                item=item,
                change="minor",
                note="Uses the rewritten lesson on the unified policy model.",
            )
            self.items[REPUBLISHED_AFTER_MAJOR] = self._publish(item)
        # A German translation written by a translator, waiting for a reviewer.
        key, locale, text = TRANSLATION_IN_REVIEW
        if key in self.items:
            self._translate(self.items[key], locale, text)
        # The next revision of a published lesson is being written.
        key, note = REVISION_IN_PROGRESS
        if key in self.items:
            item_revise(actor=author, item=self.items[key], change="minor", note=note)
        # Drafts, and items waiting for review.
        for plan in (*DRAFTS, *IN_REVIEW):
            if self.tiny and not plan.tiny:
                continue
            item = self._lesson(plan)
            self.items[plan.key] = item
            if plan in IN_REVIEW:
                item_submit(actor=author, item=item)
                if plan.audience == "everyone":
                    item_approve(actor=self.actors.reviewer, item=item)

    def _revise(self, key: str, change: str, note: str, body: str) -> None:
        if key not in self.items:
            return
        item = item_revise(actor=self.actors.author, item=self.items[key], change=change, note=note)
        source = ItemVariant.objects.get(item=item, locale=self.tenant.default_locale)
        variant_save(
            actor=self.actors.author,
            item=item,
            locale=source.locale,
            title=source.title,
            summary=source.summary,
            body=body,
        )
        self.items[key] = self._publish(item)

    def _translate(self, item: CatalogItem, locale: str, text: Text) -> None:
        translator = self.actors.translator
        translation_save(
            actor=translator,
            item=item,
            locale=locale,
            title=text.title,
            summary=text.summary,
            body=text.body,
        )
        translation_submit(actor=translator, item=item, locale=locale)


def pilot_organizations() -> list[int]:
    """The pilot: the two named organizations (so the demo partner logins see pilot content)
    and the first other active EMEA reseller by name."""
    named = list(
        PartnerOrganization.objects.filter(
            name__in=[NAMED_DISTRIBUTOR.name, NAMED_RESELLER.name]
        ).values_list("pk", flat=True)
    )
    other = (
        PartnerOrganization.objects.filter(
            region__code="EMEA",
            business_model=BusinessModel.RESELLER,
            status=OrganizationStatus.ACTIVE,
        )
        .exclude(pk__in=named)
        .order_by("name", "pk")
        .values_list("pk", flat=True)
        .first()
    )
    return sorted([*named, *([other] if other is not None else [])])


def _lesson_plan(key: str) -> LessonPlan:
    return next(plan for plan in LESSONS if plan.key == key)


def _product_of(plan: LessonPlan) -> str:
    return plan.versions[-1].rsplit(" ", 1)[0] if plan.versions else ""


def _lines(markdown: str) -> list[str]:
    return [
        line.removeprefix("- ").strip()
        for line in markdown.splitlines()
        if line.strip() and not line.startswith("#")
    ]


def hash_hours(key: str) -> int:
    """A stable hour of the day for an item's publication, so items of a day are not tied."""
    return hashlib.sha256(key.encode()).digest()[1] % 10


# --- generated files ------------------------------------------------------------------------------


def pdf_document(title: str, paragraphs: list[str]) -> bytes:
    """A one-page PDF (A4, Helvetica) with a title and wrapped paragraphs: a small but valid
    document, so the library, downloads and viewers have something real to serve."""

    def escaped(text: str) -> str:
        text = text.encode("latin-1", errors="replace").decode("latin-1")
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    lines: list[tuple[int, str]] = [(16, title), (11, "")]
    for paragraph in paragraphs:
        words, line = paragraph.split(), ""
        for word in words:
            if len(line) + len(word) + 1 > 90:
                lines.append((11, line))
                line = word
            else:
                line = f"{line} {word}".strip()
        lines.extend([(11, line), (11, "")])
    operations = ["BT", "72 770 Td"]
    for size, text in lines:
        operations.append(f"/F1 {size} Tf ({escaped(text)}) Tj 0 -{size + 5} Td")
    operations.append("ET")
    stream = "\n".join(operations).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Title (" + escaped(title).encode("latin-1") + b") /Producer (Cascade demo) >>",
    ]
    document = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(document))
        document += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(document)
    document += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        document += b"%010d 00000 n \n" % offset
    document += b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        len(objects),
        xref,
    )
    return bytes(document)


def webvtt(sentences: list[str], seconds_per_cue: int = 6) -> bytes:
    """A WebVTT captions track: one cue per sentence."""
    cues = ["WEBVTT", ""]
    for index, sentence in enumerate(sentences):
        start, end = index * seconds_per_cue, (index + 1) * seconds_per_cue
        cues += [str(index + 1), f"{_timestamp(start)} --> {_timestamp(end)}", sentence, ""]
    return "\n".join(cues).encode()


def _timestamp(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}.000"


def transcript(title: str, sentences: list[str]) -> bytes:
    """A plain-text transcript of a video: what the presenter says, paragraph by paragraph."""
    spoken = [f"Welcome to {title}.", *sentences, "Thanks for watching."]
    return ("\n\n".join(spoken) + "\n").encode()


__all__ = ["BULK_ITEMS", "catalog_counts", "seed_catalog"]
