"""Every page that takes an object id, asked by tenant B's program admin about tenant A's
objects, answers 404 and changes nothing. The pages are read from the URL resolver, so a new
page cannot be left out: a new kind of id fails the test until it is added here."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

from cascade.assessments.attempt_services import attempt_answer, attempt_start
from cascade.assessments.exam_services import exam_create, exam_form_set, exam_publish
from cascade.assessments.models import Attempt, AttemptItem, EvidenceFile
from cascade.assessments.services import bank_create, item_create
from cascade.catalog.item_models import CatalogItem, CatalogTeam
from cascade.catalog.media_models import MediaAsset
from cascade.catalog.models import Audience
from cascade.identity.models import ApiToken
from cascade.identity.services import invitation_create, invitation_token
from cascade.learning.models import AssignmentRule
from cascade.learning.onboarding_models import (
    OnboardingMilestone,
    OnboardingPhase,
    OnboardingProgram,
)
from cascade.notifications.models import Notification
from tests.conftest import World
from tests.web.conftest import state

# Pages that take ids but are not tenant-owned, with the reason.
EXEMPT = {
    # People are global (one login across programs); the one-time link itself proves the mailbox.
    "password-reset-confirm": "uidb64/token identify a person, not a tenant's object",
}


def web_patterns() -> list[tuple[str, str, list[str]]]:
    """(url name, route template, converter names) for every page in the "web" namespace."""
    found: list[tuple[str, str, list[str]]] = []

    def walk(patterns: list[Any], prefix: str, namespace: str | None) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(
                    pattern.url_patterns,
                    prefix + str(pattern.pattern),
                    pattern.namespace or namespace,
                )
            elif isinstance(pattern, URLPattern) and namespace == "web":
                found.append(
                    (
                        str(pattern.name),
                        prefix + str(pattern.pattern),
                        list(pattern.pattern.converters),
                    )
                )

    walk(get_resolver().url_patterns, "", None)
    return found


def _tenant_a_objects(world: World) -> dict[str, str]:
    invitation = invitation_create(
        actor=world.actor("vendor_admin"),
        email="invitee@other.example",
        organization=world.orgs["other"],
        roles=["partner_admin"],
    )
    Notification.objects.create(
        tenant=world.tenant, person=world.people["learner"], kind="x", title="Hello"
    )
    catalog_team = CatalogTeam.objects.create(tenant=world.tenant, name="Sweep team")
    catalog_item = CatalogItem.objects.create(
        tenant=world.tenant, kind="lesson", owner_team=catalog_team
    )
    # Only the row is needed: another tenant's request never reaches the file.
    media_asset = MediaAsset.objects.create(
        tenant=world.tenant,
        kind="document",
        file="tenants/sweep/guide.pdf",
        content_type="application/pdf",
        size=1,
        sha256="0" * 64,
        title="Guide",
    )
    audience = Audience.objects.create(tenant=world.tenant, name="Sweep audience")
    rule = AssignmentRule.objects.create(
        tenant=world.tenant, name="Sweep rule", audience=audience, item=catalog_item
    )
    program = OnboardingProgram.objects.create(
        tenant=world.tenant, name="Sweep onboarding", audience=audience, effective_from=date.today()
    )
    phase = OnboardingPhase.objects.create(
        tenant=world.tenant, program=program, position=1, name="Week 1", due_after_days=7
    )
    milestone = OnboardingMilestone.objects.create(
        tenant=world.tenant, phase=phase, position=1, kind="learning", item=catalog_item, label="X"
    )
    author = world.actor("vendor_admin")
    bank = bank_create(actor=author, name="Sweep bank")
    assessment_item = item_create(
        actor=author,
        bank_id=bank.pk,
        definition={"type": "true_false", "prompt": "Sweep?", "statement_is_true": True},
    )
    exam = exam_create(actor=author, name="Sweep exam", mode="fixed")
    # A published exam being taken: an attempt in progress, its answer, and an evidence file
    # (only the row: another tenant's request never reaches the file).
    taken = exam_create(actor=author, name="Sweep exam taken", mode="fixed")
    exam_form_set(actor=author, exam=taken, item_ids=[assessment_item.pk])
    taken = exam_publish(actor=author, exam=taken)
    learner = world.actor("learner")
    attempt = attempt_start(actor=learner, exam=taken)
    attempt_answer(actor=learner, attempt=attempt, position=1, response={"value": True})
    answer = AttemptItem.objects.get(attempt=attempt)
    evidence = EvidenceFile.objects.create(
        tenant=world.tenant,
        attempt_item=answer,
        file="evidence/sweep/shot.png",
        original_name="shot.png",
        content_type="image/png",
        size=1,
        sha256="0" * 64,
    )
    return {
        "item_id": str(catalog_item.pk),
        "audience_id": str(audience.pk),
        "team_id": str(catalog_team.pk),
        # Not an id, but studio pages take a language after an item id of tenant A.
        "locale": "fr",
        "media_id": str(media_asset.pk),
        "asset_id": str(media_asset.pk),
        "organization_id": str(world.orgs["dist"].pk),
        "membership_id": str(world.memberships["learner"].pk),
        "invitation_id": str(invitation.pk),
        "token_id": str(ApiToken.objects.get(person=world.people["learner"]).pk),
        "token": invitation_token(invitation),
        "tier_id": str(world.structure["gold"].pk),
        "region_id": str(world.structure["emea"].pk),
        "specialization_id": str(world.structure["security"].pk),
        "rule_id": str(rule.pk),
        "program_id": str(program.pk),
        "phase_id": str(phase.pk),
        "milestone_id": str(milestone.pk),
        "bank_id": str(bank.pk),
        "assessment_item_id": str(assessment_item.pk),
        # Not an id: a version number of an item of tenant A.
        "number": "1",
        "exam_id": str(exam.pk),
        "attempt_id": str(attempt.pk),
        # Not an id: the place of a question in an attempt of tenant A.
        "position": "1",
        "attempt_item_id": str(answer.pk),
        "evidence_file_id": str(evidence.pk),
    }


def _state() -> dict[str, Any]:
    """The rows a page could change, with attempts and their answers."""
    return {
        **state(),
        "attempts": sorted(Attempt.unscoped.values_list("id", "state", "submitted_at", "share")),
        "answers": sorted(
            (pk, str(response), needs_grading, str(grading))
            for pk, response, needs_grading, grading in AttemptItem.unscoped.values_list(
                "id", "response", "needs_grading", "grading"
            )
        ),
        "evidence_files": EvidenceFile.unscoped.count(),
    }


def test_the_sweep_knows_every_page() -> None:
    names = {name for name, _, _ in web_patterns()}
    assert {"home", "sign-in", "invitation-accept", "partner-people", "organization-detail"} <= (
        names
    )


def test_other_tenants_objects_are_not_found_and_nothing_changes(world: World) -> None:
    # given
    ids = _tenant_a_objects(world)
    client = world.browser("b_admin")
    checked: list[str] = []
    for name, route, converters in web_patterns():
        if not converters or name in EXEMPT:
            continue
        unknown = set(converters) - set(ids)
        assert not unknown, f"{name}: add an id of tenant A for {sorted(unknown)} to this sweep"
        path = "/" + route
        for converter in converters:
            path = path.replace(f"<int:{converter}>", ids[converter])
            path = path.replace(f"<str:{converter}>", ids[converter])
            path = path.replace(f"<{converter}>", ids[converter])
        before = _state()
        # when
        got = client.get(path)
        posted = client.post(
            path,
            {
                "name": "Taken over",
                "roles": ["program_admin"],
                "job_role": "sales",
                "full_name": "Mallory",
                "password": "a-long-enough-passphrase",
                "password_again": "a-long-enough-passphrase",
                "reason": "x",
                "rank": "7",
                "code": "taken",
                "countries": "FR",
                "vendor_data_access": "aggregates",
                "allow_parent_assignment": "on",
            },
        )
        # then: 404 (405 for a GET on an action that only takes POST, whatever the id)
        assert got.status_code in (404, 405), name
        assert (name, posted.status_code) == (name, 404)
        assert _state() == before, name
        checked.append(name)
    assert sorted(checked) == [
        "api-token-revoke",
        "assessment-bank",
        "assessment-bank-qti",
        "assessment-bank-qti-export",
        "assessment-exam",
        "assessment-exam-blueprint",
        "assessment-exam-form",
        "assessment-exam-publish",
        "assessment-item",
        "assessment-item-create",
        "assessment-item-retire",
        "assessment-item-revise",
        "assessment-item-version",
        "assessment-item-versions",
        "catalog-enroll",
        "catalog-item",
        "catalog-media",
        "exam",
        "exam-answer",
        "exam-attempt",
        "exam-evidence-file",
        "exam-result",
        "exam-submit",
        "grading-entry",
        "invitation-accept",
        "invitation-resend",
        "invitation-revoke",
        "item-analysis-exam",
        "learning-heartbeat",
        "learning-taken",
        "onboarding-milestone-add",
        "onboarding-milestone-remove",
        "onboarding-person",
        "onboarding-phase",
        "onboarding-phase-add",
        "onboarding-phase-remove",
        "onboarding-program",
        "onboarding-status",
        "organization-detail",
        "organization-edit",
        "partner-membership",
        "partner-membership-approve",
        "partner-membership-decline",
        "partner-membership-end",
        "program-learning-rule-activate",
        "program-learning-rule-apply",
        "program-learning-rule-deactivate",
        "region-delete",
        "region-edit",
        "specialization-delete",
        "specialization-edit",
        "studio-audience",
        "studio-item",
        "studio-item-approve",
        "studio-item-formats",
        "studio-item-history",
        "studio-item-preview",
        "studio-item-publish",
        "studio-item-request-changes",
        "studio-item-retire",
        "studio-item-revise",
        "studio-item-settings",
        "studio-item-structure",
        "studio-item-submit",
        "studio-item-text",
        "studio-item-translations",
        "studio-item-versions",
        "studio-media-asset",
        "studio-media-delete",
        "studio-media-file",
        "studio-preview-item",
        "studio-team",
        "studio-translation",
        "studio-translation-review",
        "studio-translation-submit",
        "team-learning-person",
        "tier-delete",
        "tier-edit",
    ]


def test_list_pages_never_show_another_tenants_data(world: World) -> None:
    # given
    _tenant_a_objects(world)
    client = world.browser("b_admin")
    # when
    pages = {
        name: client.get("/" + route)
        for name, route, converters in web_patterns()
        if not converters and name not in {"sign-out", "notifications-read"}
    }
    # then
    for name, response in pages.items():
        html = response.content.decode()
        for secret in ("Distri Europe", "Other Partner", "learner@partner.example", "invitee@"):
            assert secret not in html, (name, secret)


def test_the_parent_picker_never_offers_another_tenants_organizations(world: World) -> None:
    # given
    client = world.browser("b_admin")
    dist = world.orgs["dist"]
    # when
    endpoint = client.get(
        "/organizations/parent-options/",
        {"parent_q": "Distri", "parent_id": str(dist.pk)},
        headers={"HX-Request": "true"},
    )
    no_javascript = client.get("/organizations/new/", {"parent_q": "Distri"})
    # then
    assert endpoint.status_code == 200
    assert (endpoint.context["picker"].selected, endpoint.context["picker"].matches) == (None, [])
    for response in (endpoint, no_javascript):
        assert b"Distri Europe" not in response.content
        assert "No organization matches “Distri”." in response.content.decode()
