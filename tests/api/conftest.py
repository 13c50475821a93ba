"""Helpers for the API suite: a richer scene on top of `world`, a picture of the whole database
to prove that refused requests changed nothing, and problem+json assertions.

The scene adds to tenant A: `spare` (a child of dist nobody ever belonged to), an unused tier,
region and specialization, a pending self-registration in reseller, a pending invitation to
reseller sent by partner_admin, an integration token, and one audit entry and notification; and
to tenant B a little of everything, so that B's lists are never empty when checked for leaks.

The `catalog` fixture adds catalog content to the scene (items in every state of the lifecycle,
translations, audiences, a team, product versions, a media asset) in both tenants; tests of
catalog routes ask for it, the others do not pay for it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import orjson
import pytest
from django.apps import apps
from django.db import models
from django.utils import timezone
from django_scopes import scopes_disabled

from cascade.api.problems import PROBLEM_CONTENT_TYPE
from cascade.api.renderers import JSON_OPTIONS
from cascade.api.v1 import api
from cascade.assessments.attempt_services import attempt_answer, attempt_start, attempt_submit
from cascade.assessments.exam_services import (
    ExamRules,
    exam_blueprint_set,
    exam_create,
    exam_form_set,
    exam_publish,
)
from cascade.assessments.models import (
    Attempt,
    AttemptItem,
    Competency,
    CompetencyDomain,
    EvidenceFile,
    Exam,
    QuestionBank,
)
from cascade.assessments.models import Item as AssessmentItem
from cascade.assessments.services import (
    bank_create,
    competency_create,
    competency_domain_create,
)
from cascade.assessments.services import item_create as assessment_item_create
from cascade.audit.models import AuditEntry
from cascade.catalog.audiences import RuleSpec
from cascade.catalog.item_models import CatalogItem, CatalogTeam, ProductVersion
from cascade.catalog.items import (
    item_approve,
    item_create,
    item_product_versions_set,
    item_publish,
    item_submit,
    product_version_create,
)
from cascade.catalog.media_models import MediaAsset
from cascade.catalog.models import Audience
from cascade.catalog.revisions import translation_save, translation_submit
from cascade.catalog.services import audience_create
from cascade.core.scoping import tenant_scope
from cascade.identity.models import (
    ApiToken,
    Invitation,
    Membership,
    MembershipStatus,
    TokenKind,
)
from cascade.identity.services.tokens import _digest
from cascade.learning.models import AssignmentRule, Enrollment
from cascade.learning.progress import video_heartbeat
from cascade.learning.rules import rule_create
from cascade.learning.services import assign, enroll_self
from cascade.notifications.models import Notification
from cascade.tenancy.models import PartnerOrganization, Region, Specialization, Tier
from tests.conftest import ApiClient, World, make_member
from tests.factories import (
    OrganizationFactory,
    PersonFactory,
    RegionFactory,
    SpecializationFactory,
    TierFactory,
)

PRINCIPALS = (
    "anonymous",
    "learner",
    "manager",
    "partner_admin",
    "other_admin",
    "vendor_admin",
    "b_admin",
)

# Columns that change on every authenticated call and are not part of "what a request wrote".
VOLATILE_COLUMNS = {"identity.apitoken": {"last_used_at"}}


@dataclass
class Scene:
    world: World
    spare: PartnerOrganization
    bronze: Tier
    americas: Region
    cloud: Specialization
    pending: Membership
    invitation: Invitation
    integration_token: ApiToken
    integration_secret: str
    audit_entry: AuditEntry
    notification: Notification
    b_tier: Tier
    b_invitation: Invitation
    catalog: CatalogScene | None = None
    learning_part: LearningScene | None = None
    assessments_part: AssessmentScene | None = None

    @property
    def content(self) -> CatalogScene:
        """The catalog part (the test must ask for the `catalog` fixture)."""
        assert self.catalog is not None, "ask for the `catalog` fixture"
        return self.catalog

    @property
    def learning(self) -> LearningScene:
        """The learning part (the test must ask for the `learning` fixture)."""
        assert self.learning_part is not None, "ask for the `learning` fixture"
        return self.learning_part

    @property
    def assessments(self) -> AssessmentScene:
        """The assessments part (the test must ask for the `assessments` fixture)."""
        assert self.assessments_part is not None, "ask for the `assessments` fixture"
        return self.assessments_part


@dataclass
class CatalogScene:
    """Tenant A's catalog: authors, reviewers and a translator (vendor staff), and items at
    every step of their lifecycle, all written by `author`."""

    team: CatalogTeam
    everyone: Audience
    gold: Audience
    open_lesson: CatalogItem  # published, for every partner
    gold_lesson: CatalogItem  # published, for Gold partners only (dist; not reseller nor other)
    draft: CatalogItem
    in_review: CatalogItem
    approved: CatalogItem
    # Published, with a French translation in draft and a German one in review.
    translated: CatalogItem
    guide: MediaAsset  # a document no lesson uses
    v7: ProductVersion
    v8: ProductVersion
    b_item: CatalogItem  # tenant B's published item


@pytest.fixture
def scene(world: World) -> Scene:
    tenant, other = world.tenant, world.other_tenant
    with tenant_scope(tenant):
        spare = OrganizationFactory(tenant=tenant, name="Spare Reseller", parent=world.orgs["dist"])
        bronze = TierFactory(tenant=tenant, name="Bronze", rank=1)
        americas = RegionFactory(tenant=tenant, name="Americas", code="AMER", countries=["US"])
        cloud = SpecializationFactory(tenant=tenant, name="Cloud", code="cloud")
        registrant = PersonFactory(
            email="registrant@reseller-paris.example", full_name="Regis Trant"
        )
        pending = Membership.objects.create(
            tenant=tenant,
            person=registrant,
            organization=world.orgs["reseller"],
            status=MembershipStatus.PENDING,
        )
        invitation = Invitation.objects.create(
            tenant=tenant,
            email="invitee@reseller-paris.example",
            organization=world.orgs["reseller"],
            roles=",learner,",
            invited_by=world.people["partner_admin"],
            nonce="0123456789abcdef",
            expires_at=timezone.now() + timedelta(days=14),
        )
        secret = "cas_integration_" + "y" * 20
        integration_token = ApiToken.objects.create(
            tenant=tenant,
            kind=TokenKind.INTEGRATION,
            name="PRM sync",
            prefix="integration1",
            digest=_digest(secret),
            scopes=["organizations:read", "people:read"],
            created_by=world.people["vendor_admin"],
        )
        audit_entry = AuditEntry.objects.create(
            tenant=tenant,
            actor=world.people["vendor_admin"],
            actor_label="vendor_admin@vendor.example",
            action="organization.update",
            target_type="tenancy.partnerorganization",
            target_id=str(world.orgs["dist"].pk),
            target_label="Distri Europe",
            before={"status": "prospect"},
            after={"status": "active"},
        )
        # b_admin's person is global; a notification from tenant A must never show on B's host.
        notification = Notification.objects.create(
            tenant=tenant, person=world.people["b_admin"], kind="invitation.accepted", title="A"
        )
    with tenant_scope(other):
        b_tier = TierFactory(tenant=other, name="B Gold", rank=1)
        RegionFactory(tenant=other, name="B Region", code="BR")
        SpecializationFactory(tenant=other, name="B Security", code="b-security")
        b_invitation = Invitation.objects.create(
            tenant=other,
            email="someone@b-partner.example",
            organization=world.orgs["b_org"],
            invited_by=world.people["b_admin"],
            nonce="fedcba9876543210",
            expires_at=timezone.now() + timedelta(days=14),
        )
        AuditEntry.objects.create(
            tenant=other,
            actor=world.people["b_admin"],
            actor_label="b_admin@vendor.example",
            action="tier.create",
            target_type="tenancy.tier",
            target_id=str(b_tier.pk),
        )
        Notification.objects.create(
            tenant=other, person=world.people["b_admin"], kind="invitation.accepted", title="B"
        )
    return Scene(
        world=world,
        spare=spare,
        bronze=bronze,
        americas=americas,
        cloud=cloud,
        pending=pending,
        invitation=invitation,
        integration_token=integration_token,
        integration_secret=secret,
        audit_entry=audit_entry,
        notification=notification,
        b_tier=b_tier,
        b_invitation=b_invitation,
    )


def _media(tenant: Any, title: str, sha: str) -> MediaAsset:
    """A library row without a stored file: enough for the API, which never reads the file."""
    return MediaAsset.objects.create(
        tenant=tenant,
        kind="document",
        file=f"tenants/{tenant.pk}/media/{sha[:8]}/guide.pdf",
        original_name="guide.pdf",
        content_type="application/pdf",
        size=1234,
        sha256=sha * 64,
        title=title,
    )


def publish(world: World, item: CatalogItem, *, broad: bool = False) -> CatalogItem:
    item = item_submit(actor=world.actor("author"), item=item)
    item_approve(actor=world.actor("product_reviewer"), item=item)
    if broad:
        item_approve(actor=world.actor("reviewer"), item=item)
    item = item_publish(actor=world.actor("author"), item=item)
    item.refresh_from_db()
    return item


@pytest.fixture
def catalog(scene: Scene) -> CatalogScene:
    world = scene.world
    tenant = world.tenant
    make_member(world, "author", tenant, None, ["content_author"], "other")
    make_member(world, "reviewer", tenant, None, ["reviewer"], "other")
    make_member(world, "product_reviewer", tenant, None, ["reviewer"], "other")
    make_member(world, "translator", tenant, None, ["translator"], "other")
    author = world.actor("author")
    team = CatalogTeam.objects.create(tenant=tenant, name="Product")
    team.members.add(world.people["product_reviewer"])
    everyone = audience_create(actor=author, name="Every partner", rules=[RuleSpec()])
    gold = audience_create(
        actor=author, name="Gold partners", rules=[RuleSpec.of(tier=[world.structure["gold"].pk])]
    )
    v7 = product_version_create(actor=author, product_line_name="EdgeOS", name="7")
    v8 = product_version_create(actor=author, product_line_name="EdgeOS", name="8")

    def lesson(title: str, audience: Audience) -> CatalogItem:
        return item_create(
            actor=author,
            kind="lesson",
            owner_team=team,
            title=title,
            summary=f"About {title.lower()}.",
            body=f"# {title}\n\nStep by step.",
            audience=audience,
            duration_minutes=10,
        )

    open_lesson = lesson("Edge device basics", everyone)
    item_product_versions_set(actor=author, item=open_lesson, versions=[v8])
    open_lesson = publish(world, open_lesson, broad=True)
    gold_lesson = publish(world, lesson("Gold partner pricing", gold))
    draft = lesson("Firmware upgrades", gold)
    in_review = item_submit(actor=author, item=lesson("Zero-touch provisioning", gold))
    approved = item_submit(actor=author, item=lesson("Routing policies", gold))
    item_approve(actor=world.actor("reviewer"), item=approved)
    translated = publish(world, lesson("Troubleshooting tunnels", gold))
    translator = world.actor("translator")
    translation_save(actor=translator, item=translated, locale="fr", title="Dépanner les tunnels")
    translation_save(actor=translator, item=translated, locale="de", title="Tunnel-Fehlersuche")
    translation_submit(actor=translator, item=translated, locale="de")
    guide = _media(tenant, "Installation guide", "a")
    with tenant_scope(world.other_tenant):
        b_author = world.actor("b_admin")
        b_team = CatalogTeam.objects.create(tenant=world.other_tenant, name="B Product")
        b_audience = audience_create(actor=b_author, name="B partners", rules=[RuleSpec()])
        b_version = product_version_create(actor=b_author, product_line_name="B OS", name="1")
        b_item = item_create(
            actor=b_author,
            kind="lesson",
            owner_team=b_team,
            title="B lesson",
            audience=b_audience,
        )
        item_product_versions_set(actor=b_author, item=b_item, versions=[b_version])
        make_member(world, "b_reviewer", world.other_tenant, None, ["reviewer"], "other")
        make_member(world, "b_second_reviewer", world.other_tenant, None, ["reviewer"], "other")
        b_team.members.add(world.people["b_reviewer"])
        item_submit(actor=b_author, item=b_item)
        item_approve(actor=world.actor("b_reviewer"), item=b_item)
        item_approve(actor=world.actor("b_second_reviewer"), item=b_item)
        b_item = item_publish(actor=b_author, item=b_item)
        _media(world.other_tenant, "B guide", "b")
    for item in (open_lesson, gold_lesson, draft, in_review, approved, translated):
        item.refresh_from_db()
    scene.catalog = CatalogScene(
        team=team,
        everyone=everyone,
        gold=gold,
        open_lesson=open_lesson,
        gold_lesson=gold_lesson,
        draft=draft,
        in_review=in_review,
        approved=approved,
        translated=translated,
        guide=guide,
        v7=v7,
        v8=v8,
        b_item=b_item,
    )
    return scene.catalog


def client_for(world: World, principal: str) -> ApiClient:
    """`anonymous` calls tenant A's host with no token; everyone else calls their own host."""
    return world.api(None if principal == "anonymous" else principal)


def send(
    client: ApiClient, method: str, path: str, body: Any = None, raw: str | None = None
) -> Any:
    """Any method, with a JSON body when one is given (ApiClient has no PUT of its own)."""
    kwargs: dict[str, Any] = {"headers": client.headers}
    if body is not None or raw is not None:
        kwargs["data"] = raw if raw is not None else json.dumps(body)
        kwargs["content_type"] = "application/json"
    return getattr(client.client, method.lower())(f"/api/v1{path}", **kwargs)


def operations() -> list[tuple[str, str, dict[str, Any]]]:
    """Every (METHOD, path template, OpenAPI operation) the API serves, from the live router."""
    schema = api.get_openapi_schema(path_prefix="")
    return [
        (method.upper(), path, operation)
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    ]


def path_parameters(operation: dict[str, Any]) -> list[str]:
    return [p["name"] for p in operation.get("parameters", []) if p["in"] == "path"]


def database_state() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every Cascade table (both tenants, people included), in primary-key order."""
    state: dict[str, list[tuple[Any, ...]]] = {}
    with scopes_disabled():
        for model in apps.get_models(include_auto_created=True):
            if not model._meta.app_config.name.startswith("cascade."):
                continue
            label = model._meta.label_lower
            skip = VOLATILE_COLUMNS.get(label, set())
            columns = [
                f.attname
                for f in model._meta.concrete_fields
                if isinstance(f, models.Field) and f.attname not in skip
            ]
            state[label] = list(model._base_manager.order_by("pk").values_list(*columns))
    return state


def changed_tables(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    return sorted(label for label in before if before[label] != after.get(label))


def assert_problem(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM_CONTENT_TYPE
    body: dict[str, Any] = response.json()
    assert body["code"] == code, body
    assert body["status"] == status
    assert body["type"] == f"urn:cascade:problem:{code}"
    return body


def iso(value: Any) -> Any:
    """A date or datetime as the API serializes it."""
    if value is None:
        return None
    return orjson.loads(orjson.dumps(value, option=JSON_OPTIONS))


@dataclass
class LearningScene:
    """Tenant A's learning, on top of the catalog: reseller lets dist's managers assign to its
    people; the learner chose `open_lesson` and watched some of it, the manager assigned them
    `lesson`, the vendor admin chose `lesson` too, and a vendor rule gives Gold partners (dist's
    people) the Gold lesson. Tenant B has an enrollment, progress and a rule of its own."""

    lesson: CatalogItem  # a second published lesson for every partner
    chosen: Enrollment  # the learner's self-enrollment in open_lesson
    assigned: Enrollment  # the manager's assignment of `lesson` to the learner
    vendor_chosen: Enrollment  # the vendor admin's self-enrollment in `lesson`
    rule: AssignmentRule
    b_rule: AssignmentRule


@pytest.fixture
def learning(scene: Scene, catalog: CatalogScene) -> LearningScene:
    world = scene.world
    reseller = world.orgs["reseller"]
    reseller.allow_parent_assignment = True
    reseller.save(update_fields=["allow_parent_assignment"])
    author = world.actor("author")
    lesson = publish(
        world,
        item_create(
            actor=author,
            kind="lesson",
            owner_team=catalog.team,
            title="Tunnel basics",
            audience=catalog.everyone,
        ),
        broad=True,
    )
    learner = world.actor("learner")
    chosen = enroll_self(actor=learner, item_id=catalog.open_lesson.pk)
    video_heartbeat(
        actor=learner,
        item_id=catalog.open_lesson.pk,
        played_from=0,
        played_to=30,
        position=30,
        duration=600,
    )
    assigned = assign(
        actor=world.actor("manager"),
        item_id=lesson.pk,
        membership_ids=[world.memberships["learner"].pk],
        due_on=timezone.localdate() + timedelta(days=30),
    ).created[0]
    vendor_chosen = enroll_self(actor=world.actor("vendor_admin"), item_id=lesson.pk)
    rule = rule_create(
        actor=world.actor("vendor_admin"),
        name="Gold pricing for Gold partners",
        audience=catalog.gold,
        item_id=catalog.gold_lesson.pk,
        due_days=30,
    )
    with tenant_scope(world.other_tenant):
        b_admin = world.actor("b_admin")
        enroll_self(actor=b_admin, item_id=catalog.b_item.pk)
        video_heartbeat(
            actor=b_admin,
            item_id=catalog.b_item.pk,
            played_from=0,
            played_to=10,
            position=10,
            duration=60,
        )
        b_rule = rule_create(
            actor=b_admin,
            name="B basics",
            audience=Audience.objects.get(name="B partners"),
            item_id=catalog.b_item.pk,
        )
    scene.learning_part = LearningScene(
        lesson=lesson,
        chosen=chosen,
        assigned=assigned,
        vendor_chosen=vendor_chosen,
        rule=rule,
        b_rule=b_rule,
    )
    return scene.learning_part


# A definition every assessments test may send.
SINGLE_CHOICE = {
    "type": "single_choice",
    "prompt": "Which port does the management plane listen on?",
    "options": [{"id": "a", "text": "443", "correct": True}, {"id": "b", "text": "80"}],
}


@dataclass
class AssessmentScene:
    """Tenant A's assessments, written by `author`: a domain with a competency, a bank with an
    item. Tenant B has a bank with an item of its own."""

    domain: CompetencyDomain
    competency: Competency
    bank: QuestionBank
    item: AssessmentItem
    b_item: AssessmentItem
    # A published exam of the item and an evidence item; learner and vendor_admin each have
    # an attempt at it in progress. A draft fixed exam (its form set) and a draft blueprint.
    exam: Exam
    draft: Exam
    draft_blueprint: Exam
    attempt: Attempt
    vendor_attempt: Attempt
    # Evidence waiting for a reviewer (manager's submitted attempt).
    answer: AttemptItem


EVIDENCE = {
    "type": "evidence",
    "prompt": "Upload a screenshot of the working tunnel.",
    "rubric": [
        {
            "id": "tunnel",
            "title": "Tunnel is up",
            "levels": [
                {"id": "no", "label": "No", "points": 0},
                {"id": "yes", "label": "Yes", "points": 2},
            ],
        }
    ],
}


def _exam_with_evidence_waiting(world: World, name: str, items: list[int], person: str) -> Exam:
    """A published fixed exam, and `person`'s submitted attempt whose evidence (the second
    item) waits for a reviewer."""
    author = world.actor("author" if name != "B exam" else "b_admin")
    exam = exam_create(actor=author, name=name, mode="fixed", rules=ExamRules(shuffle_items=False))
    exam_form_set(actor=author, exam=exam, item_ids=items)
    exam = exam_publish(actor=author, exam=exam)
    taker = world.actor(person)
    attempt = attempt_start(actor=taker, exam=exam)
    row = AttemptItem.objects.get(attempt=attempt, position=2)
    stored = EvidenceFile.objects.create(
        tenant=attempt.tenant,
        attempt_item=row,
        file=f"evidence/{name}.png",
        original_name="tunnel.png",
        content_type="image/png",
        size=10,
        sha256="0" * 64,
    )
    attempt_answer(actor=taker, attempt=attempt, position=2, response={"files": [str(stored.pk)]})
    attempt_submit(actor=taker, attempt=attempt)
    return exam


@pytest.fixture
def assessments(scene: Scene, catalog: CatalogScene) -> AssessmentScene:
    world = scene.world
    author = world.actor("author")
    domain = competency_domain_create(actor=author, name="Deployment")
    competency = competency_create(actor=author, domain_id=domain.pk, name="Firewall install")
    bank = bank_create(actor=author, name="Firewall basics")
    item = assessment_item_create(
        actor=author, bank_id=bank.pk, definition=SINGLE_CHOICE, competency_ids=[competency.pk]
    )
    evidence = assessment_item_create(actor=author, bank_id=bank.pk, definition=EVIDENCE)
    exam = _exam_with_evidence_waiting(world, "Firewall check", [item.pk, evidence.pk], "manager")
    answer = AttemptItem.objects.get(needs_grading=True, attempt__exam=exam)
    draft = exam_create(actor=author, name="Draft check", mode="fixed")
    exam_form_set(actor=author, exam=draft, item_ids=[item.pk])
    draft_blueprint = exam_create(actor=author, name="Drawn check", mode="blueprint")
    exam_blueprint_set(actor=author, exam=draft_blueprint, draws=[])
    attempt = attempt_start(actor=world.actor("learner"), exam=exam)
    vendor_attempt = attempt_start(actor=world.actor("vendor_admin"), exam=exam)
    with tenant_scope(world.other_tenant):
        b_admin = world.actor("b_admin")
        b_bank = bank_create(actor=b_admin, name="B bank")
        b_item = assessment_item_create(actor=b_admin, bank_id=b_bank.pk, definition=SINGLE_CHOICE)
        b_evidence = assessment_item_create(actor=b_admin, bank_id=b_bank.pk, definition=EVIDENCE)
        _exam_with_evidence_waiting(world, "B exam", [b_item.pk, b_evidence.pk], "b_admin")
    scene.assessments_part = AssessmentScene(
        domain=domain,
        competency=competency,
        bank=bank,
        item=item,
        b_item=b_item,
        exam=exam,
        draft=draft,
        draft_blueprint=draft_blueprint,
        attempt=attempt,
        vendor_attempt=vendor_attempt,
        answer=answer,
    )
    return scene.assessments_part
