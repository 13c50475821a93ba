"""Every list endpoint runs the same number of queries for 3 rows as for 30."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cascade.assessments.attempt_services import attempt_answer, attempt_start, attempt_submit
from cascade.assessments.exam_services import exam_create, exam_form_set, exam_publish
from cascade.assessments.models import AttemptItem, EvidenceFile, QuestionBank
from cascade.assessments.services import bank_create
from cascade.assessments.services import item_create as assessment_item_create
from cascade.audit.models import AuditEntry
from cascade.catalog.audiences import RuleSpec
from cascade.catalog.item_models import CatalogTeam
from cascade.catalog.items import (
    item_approve,
    item_create,
    item_product_versions_set,
    item_publish,
    item_submit,
    product_version_create,
    product_version_supersede,
)
from cascade.catalog.media_models import MediaAsset
from cascade.catalog.services import audience_create
from cascade.identity.models import ApiToken, Invitation, Membership, TokenKind
from cascade.learning.models import AssignmentRule, Enrollment, LessonProgress
from cascade.learning.onboarding import milestone_add, phase_add, program_create
from cascade.learning.onboarding_models import OnboardingProgram
from cascade.notifications.models import Notification
from cascade.tenancy.models import PartnerOrganization
from tests.api.conftest import EVIDENCE, SINGLE_CHOICE
from tests.conftest import World, make_member
from tests.factories import (
    OrganizationDomainFactory,
    OrganizationFactory,
    PersonFactory,
    RegionFactory,
    SpecializationFactory,
    TierFactory,
)


def _organizations(world: World, start: int, count: int) -> dict[str, Any]:
    # The world has 3 organizations; more get a parent, tier, region, specialization and domain.
    for n in range(start, start + count):
        if n < 3:
            continue
        organization = OrganizationFactory(
            tenant=world.tenant,
            name=f"Counted Partner {n:02}",
            parent=world.orgs["dist"],
            tier=world.structure["silver"],
            region=world.structure["emea"],
        )
        organization.specializations.add(world.structure["security"])
        OrganizationDomainFactory(
            tenant=world.tenant, organization=organization, domain=f"counted{n}.example"
        )
    return {}


def _tiers(world: World, start: int, count: int) -> dict[str, Any]:
    for n in range(start, start + count):
        if n >= 2:  # Gold and Silver exist
            TierFactory(tenant=world.tenant, name=f"Tier {n}", rank=10 + n)
    return {}


def _regions(world: World, start: int, count: int) -> dict[str, Any]:
    for n in range(start, start + count):
        if n >= 1:  # EMEA exists
            RegionFactory(tenant=world.tenant, name=f"Region {n}", code=f"R{n}")
    return {}


def _specializations(world: World, start: int, count: int) -> dict[str, Any]:
    for n in range(start, start + count):
        if n >= 1:  # Security exists
            SpecializationFactory(tenant=world.tenant, name=f"Specialty {n}", code=f"spec-{n}")
    return {}


def _people(world: World, start: int, count: int) -> dict[str, Any]:
    organization = PartnerOrganization.objects.filter(name="Counted People Inc").first()
    if organization is None:
        organization = OrganizationFactory(
            tenant=world.tenant, name="Counted People Inc", parent=world.orgs["dist"]
        )
    for n in range(start, start + count):
        Membership.objects.create(
            tenant=world.tenant,
            person=PersonFactory(email=f"counted{n}@people.example"),
            organization=organization if n % 2 else _child(world, organization, n),
        )
    return {"organization_id": organization.pk, "include_suborganizations": "true"}


def _child(world: World, parent: Any, n: int) -> Any:
    return OrganizationFactory(tenant=world.tenant, name=f"Counted Child {n}", parent=parent)


def _invitations(world: World, start: int, count: int) -> dict[str, Any]:
    inviters = [world.people["vendor_admin"], world.people["partner_admin"]]
    organizations = [None, world.orgs["reseller"], world.orgs["other"]]
    for n in range(start, start + count):
        Invitation.objects.create(
            tenant=world.tenant,
            email=f"invitee{n}@example.com",
            organization=organizations[n % 3],
            invited_by=inviters[n % 2],
            nonce=f"{n:016}",
            expires_at=timezone.now() + timedelta(days=3),
        )
    return {}


def _audit_entries(world: World, start: int, count: int) -> dict[str, Any]:
    actors = [world.people["vendor_admin"], world.people["partner_admin"], None]
    for n in range(start, start + count):
        AuditEntry.objects.create(
            tenant=world.tenant,
            actor=actors[n % 3],
            actor_label="someone",
            action="tier.update",
            target_type="tenancy.tier",
            target_id=str(n),
        )
    return {}


def _notifications(world: World, start: int, count: int) -> dict[str, Any]:
    for n in range(start, start + count):
        Notification.objects.create(
            tenant=world.tenant,
            person=world.people["vendor_admin"],
            kind="registration.pending",
            title=f"Notification {n}",
        )
    return {}


def _tokens(world: World, start: int, count: int) -> dict[str, Any]:
    for n in range(start, start + count):
        if n == 0:
            continue  # the vendor admin's own token exists
        personal = n % 2 == 1
        ApiToken.objects.create(
            tenant=world.tenant,
            kind=TokenKind.PERSONAL if personal else TokenKind.INTEGRATION,
            name=f"Token {n}",
            person=world.people["vendor_admin"] if personal else None,
            prefix=f"counted{n:05}",
            digest=f"{n:064}",
            scopes=["people:read"],
        )
    return {}


def _authoring(world: World) -> CatalogTeam:
    """Authors, reviewers and an owning team (made once per world)."""
    if "author" not in world.people:
        make_member(world, "author", world.tenant, None, ["content_author"], "other")
        make_member(world, "reviewer", world.tenant, None, ["reviewer"], "other")
        make_member(world, "owner_reviewer", world.tenant, None, ["reviewer"], "other")
        team = CatalogTeam.objects.create(tenant=world.tenant, name="Product")
        team.members.add(world.people["owner_reviewer"])
    return CatalogTeam.objects.get(name="Product")


def _published_items(world: World, start: int, count: int) -> dict[str, Any]:
    # Every partner's content, tagged with a product version: two approvals, joins per card.
    team = _authoring(world)
    author = world.actor("author")
    everyone = audience_create(actor=author, name=f"Everyone {start}", rules=[RuleSpec()])
    version = product_version_create(actor=author, product_line_name="EdgeOS", name=f"v{start}")
    for n in range(start, start + count):
        item = item_create(
            actor=author,
            kind="lesson",
            owner_team=team,
            title=f"Counted lesson {n}",
            summary="Counted for the query count.",
            audience=everyone,
        )
        item_product_versions_set(actor=author, item=item, versions=[version])
        item_submit(actor=author, item=item)
        item_approve(actor=world.actor("reviewer"), item=item)
        item_approve(actor=world.actor("owner_reviewer"), item=item)
        item_publish(actor=author, item=item)
    return {"limit": 50}


def _searched_items(world: World, start: int, count: int) -> dict[str, Any]:
    _published_items(world, start, count)
    return {"q": "counted lesson", "limit": 50}


def _studio_items(world: World, start: int, count: int) -> dict[str, Any]:
    team = _authoring(world)
    author = world.actor("author")
    audience = audience_create(actor=author, name=f"Audience {start}", rules=[RuleSpec()])
    for n in range(start, start + count):
        item_create(
            actor=author,
            kind="lesson",
            owner_team=team,
            title=f"Draft {n}",
            audience=audience if n % 2 else None,
        )
    return {}


def _audiences(world: World, start: int, count: int) -> dict[str, Any]:
    _authoring(world)
    author = world.actor("author")
    gold, emea = world.structure["gold"], world.structure["emea"]
    for n in range(start, start + count):
        audience_create(
            actor=author,
            name=f"Audience {n:02}",
            rules=[
                RuleSpec.of(tier=[gold.pk], region=[emea.pk]),
                RuleSpec.of(effect="exclude", organization=[world.orgs["other"].pk]),
            ],
        )
    return {}


def _teams(world: World, start: int, count: int) -> dict[str, Any]:
    for n in range(start, start + count):
        team = CatalogTeam.objects.create(tenant=world.tenant, name=f"Team {n:02}")
        team.members.add(world.people["vendor_admin"], world.people["manager"])
    return {}


def _product_lines(world: World, start: int, count: int) -> dict[str, Any]:
    _authoring(world)
    author = world.actor("author")
    for n in range(start, start + count):
        old = product_version_create(actor=author, product_line_name=f"Line {n:02}", name="1")
        new = product_version_create(actor=author, product_line_name=f"Line {n:02}", name="2")
        product_version_supersede(actor=author, version=old, by=new)
    return {}


def _media_assets(world: World, start: int, count: int) -> dict[str, Any]:
    for n in range(start, start + count):
        MediaAsset.objects.create(
            tenant=world.tenant,
            kind="document",
            file=f"tenants/{world.tenant.pk}/media/{n:04}/guide.pdf",
            content_type="application/pdf",
            size=100,
            sha256=f"{n:064}",
            title=f"Guide {n}",
            created_by=world.people["vendor_admin"],
        )
    return {}


def _draft_items(world: World, start: int, count: int) -> list[Any]:
    team = _authoring(world)
    return [
        item_create(actor=world.actor("author"), kind="lesson", owner_team=team, title=f"L{n}")
        for n in range(start, start + count)
    ]


def _enrollments(world: World, start: int, count: int) -> dict[str, Any]:
    # People of several organizations, each in their own item, some assigned by a manager.
    items = _draft_items(world, start, count)
    organizations = [world.orgs["reseller"], world.orgs["dist"], world.orgs["other"]]
    for n, item in zip(range(start, start + count), items, strict=True):
        person = PersonFactory(email=f"enrolled{n}@people.example")
        Membership.objects.create(
            tenant=world.tenant, person=person, organization=organizations[n % 3]
        )
        Enrollment.objects.create(
            tenant=world.tenant,
            person=person,
            item=item,
            source="manager" if n % 2 else "self",
            assigned_by=world.people["manager"] if n % 2 else None,
            due_on=timezone.localdate() - timedelta(days=n % 3),
        )
    return {"limit": 50}


def _lesson_progress(world: World, start: int, count: int) -> dict[str, Any]:
    for n, item in enumerate(_draft_items(world, start, count), start=start):
        LessonProgress.objects.create(
            tenant=world.tenant,
            person=world.people["vendor_admin"],
            item=item,
            watched=[[0.0, 10.0]],
            video_seconds=100,
            watched_share=0.1,
            position_seconds=float(n),
        )
    return {"limit": 50}


def _assignment_rules(world: World, start: int, count: int) -> dict[str, Any]:
    items = _draft_items(world, start, count)
    audience = audience_create(
        actor=world.actor("author"), name=f"Ruled {start}", rules=[RuleSpec()]
    )
    for n, item in zip(range(start, start + count), items, strict=True):
        rule = AssignmentRule.objects.create(
            tenant=world.tenant,
            name=f"Rule {n:02}",
            audience=audience,
            item=item,
            created_by=world.people["vendor_admin"] if n % 2 else None,
        )
        Enrollment.objects.create(
            tenant=world.tenant,
            person=world.people["learner"],
            item=item,
            source="rule",
            rule=rule,
        )
    return {}


def _onboarding_program(world: World) -> Any:
    """One program for every partner, with a learning-free week and a business milestone."""
    program = OnboardingProgram.objects.filter(name="Counted onboarding").first()
    if program is not None:
        return program
    _authoring(world)
    everyone = audience_create(
        actor=world.actor("author"), name="Onboarded partners", rules=[RuleSpec()]
    )
    admin = world.actor("vendor_admin")
    program = program_create(actor=admin, name="Counted onboarding", audience_id=everyone.pk)
    phase = phase_add(
        actor=admin, program=program, name="Month 1", starts_after_days=0, due_after_days=30
    )
    milestone_add(
        actor=admin, phase=phase, kind="business_event", event_key="deal_registered", label="Deal"
    )
    return program


def _onboarding_programs(world: World, start: int, count: int) -> dict[str, Any]:
    _authoring(world)
    everyone = audience_create(
        actor=world.actor("author"), name=f"Onboarding {start}", rules=[RuleSpec()]
    )
    admin = world.actor("vendor_admin")
    for n in range(start, start + count):
        program = program_create(actor=admin, name=f"Onboarding {n:02}", audience_id=everyone.pk)
        phase = phase_add(
            actor=admin, program=program, name="Week 1", starts_after_days=0, due_after_days=7
        )
        milestone_add(actor=admin, phase=phase, kind="business_event", event_key="deal_registered")
    return {}


def _onboarding_people(world: World, start: int, count: int) -> dict[str, Any]:
    _onboarding_program(world)
    organization = PartnerOrganization.objects.filter(name="Onboarding Partner").first()
    if organization is None:
        organization = OrganizationFactory(tenant=world.tenant, name="Onboarding Partner")
    for n in range(start, start + count):
        Membership.objects.create(
            tenant=world.tenant,
            person=PersonFactory(email=f"onboarded{n}@people.example"),
            organization=organization,
            started_on=timezone.localdate() - timedelta(days=n),
        )
    return {"organization_id": organization.pk}


def _onboarding_organizations(world: World, start: int, count: int) -> dict[str, Any]:
    _onboarding_program(world)
    _organizations(world, start, count)
    for organization in PartnerOrganization.objects.filter(name__startswith="Counted Partner"):
        if not Membership.objects.filter(organization=organization).exists():
            Membership.objects.create(
                tenant=world.tenant,
                person=PersonFactory(email=f"onboarding{organization.pk}@people.example"),
                organization=organization,
            )
    return {}


def _exams(world: World, start: int, count: int, *, take: bool = False) -> dict[str, Any]:
    """Published fixed exams of two items (one evidence); with `take`, vendor_admin takes each
    and submits evidence, which waits for a reviewer."""
    admin = world.actor("vendor_admin")
    bank = QuestionBank.objects.filter(name="Counted bank").first() or bank_create(
        actor=admin, name="Counted bank"
    )
    for n in range(start, start + count):
        choice = assessment_item_create(actor=admin, bank_id=bank.pk, definition=SINGLE_CHOICE)
        evidence = assessment_item_create(actor=admin, bank_id=bank.pk, definition=EVIDENCE)
        exam = exam_create(actor=admin, name=f"Counted exam {n:02}", mode="fixed")
        exam_form_set(actor=admin, exam=exam, item_ids=[choice.pk, evidence.pk])
        exam = exam_publish(actor=admin, exam=exam)
        if take:
            attempt = attempt_start(actor=admin, exam=exam)
            row = AttemptItem.objects.get(attempt=attempt, item=evidence)
            stored = EvidenceFile.objects.create(
                tenant=world.tenant,
                attempt_item=row,
                file=f"evidence/counted-{n}.png",
                original_name="counted.png",
                content_type="image/png",
                size=10,
                sha256="0" * 64,
            )
            attempt_answer(
                actor=admin,
                attempt=attempt,
                position=row.position,
                response={"files": [str(stored.pk)]},
            )
            attempt_submit(actor=admin, attempt=attempt)
    return {}


def _taken_exams(world: World, start: int, count: int) -> dict[str, Any]:
    return _exams(world, start, count, take=True)


LISTS: dict[str, Callable[[World, int, int], dict[str, Any]]] = {
    "/organizations": _organizations,
    "/tiers": _tiers,
    "/regions": _regions,
    "/specializations": _specializations,
    "/people": _people,
    "/invitations": _invitations,
    "/audit-log": _audit_entries,
    "/notifications": _notifications,
    "/tokens": _tokens,
    "/catalog/items": _published_items,
    "/catalog/search": _searched_items,
    "/catalog/product-lines": _product_lines,
    "/catalog/studio/items": _studio_items,
    "/catalog/studio/audiences": _audiences,
    "/catalog/studio/teams": _teams,
    "/catalog/studio/media": _media_assets,
    "/learning/enrollments": _enrollments,
    "/learning/progress": _lesson_progress,
    "/learning/rules": _assignment_rules,
    "/onboarding/programs": _onboarding_programs,
    "/onboarding/status": _onboarding_people,
    "/onboarding/organizations": _onboarding_organizations,
    "/assessments/exams": _exams,
    "/assessments/my-exams": _taken_exams,
    "/assessments/attempts": _taken_exams,
    "/assessments/grading-queue": _taken_exams,
}


def _count(world: World, path: str, params: dict[str, Any]) -> tuple[int, int]:
    client = world.api("vendor_admin")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, **params)
    assert response.status_code == 200, response.content
    body = response.json()
    rows = body["items"] if isinstance(body, dict) else body
    return len(queries), len(rows)


@pytest.mark.parametrize("path", list(LISTS))
def test_list_query_count_does_not_grow_with_rows(world: World, path: str) -> None:
    # given: 3 rows, and a first call that warms the host cache and the token's last use
    grow = LISTS[path]
    params = grow(world, 0, 3)
    world.api("vendor_admin").get(path, **params)
    with_three = _count(world, path, params)
    # when
    grow(world, 3, 27)
    with_thirty = _count(world, path, params)
    # then
    assert with_three[1] == 3
    assert with_thirty[1] == 30
    assert with_thirty[0] == with_three[0]
