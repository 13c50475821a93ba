"""Who gets what, for every operation of the API.

Each row names an operation, the object it targets in tenant A, a valid body, and the exact status
each principal gets. `b_admin` calls their own host (b.test) with tenant A's ids, so "404" there
means tenant A's object does not exist for them. A refused write must leave every table as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scopes_disabled

from cascade.identity.models import ApiToken, TokenKind
from tests.api.conftest import (
    PRINCIPALS,
    SINGLE_CHOICE,
    Scene,
    changed_tables,
    client_for,
    database_state,
    operations,
    send,
)
from tests.assessments.qti_helpers import QTI_ITEM

# anonymous, learner, manager, partner_admin, other_admin, vendor_admin, b_admin
ALL_MEMBERS = (401, 200, 200, 200, 200, 200, 200)
ALL_MEMBERS_CREATE = (401, 201, 201, 201, 201, 201, 201)
PEOPLE_READERS = (401, 403, 200, 200, 200, 200, 200)
VENDOR_ONLY_LIST = (401, 403, 403, 403, 403, 200, 200)
VENDOR_ONLY_CREATE = (401, 403, 403, 403, 403, 201, 201)
VENDOR_ONLY_CHANGE = (401, 403, 403, 403, 403, 200, 404)
VENDOR_ONLY_DELETE = (401, 403, 403, 403, 403, 204, 404)
# Objects in reseller (below dist): dist's people see them; other_admin and tenant B do not.
RESELLER_READ = (401, 403, 200, 200, 404, 200, 404)
RESELLER_MANAGE = (401, 403, 403, 200, 404, 200, 404)
RESELLER_CREATE = (401, 403, 403, 201, 404, 201, 404)
# The catalog studio: vendor staff who write, review or translate (program admins do all three).
STUDIO_READ_ONE = (401, 403, 403, 403, 403, 200, 404)
# A published item for Gold partners: dist (Gold) sees it, reseller and other (Silver) do not.
GOLD_ITEM_READ = (401, 404, 200, 200, 404, 200, 404)


def _token_id(scene: Scene, principal: str) -> int:
    name = "learner" if principal == "anonymous" else principal
    with scopes_disabled():
        token = ApiToken.objects.get(person=scene.world.people[name], kind=TokenKind.PERSONAL)
    return int(token.pk)


@dataclass(frozen=True)
class Case:
    label: str
    method: str
    route: str
    path: Callable[[Scene, str], str]
    expected: tuple[int, ...]
    body: Callable[[Scene], Any] | None = None
    multipart: bool = False


def _fixed(path: str) -> Callable[[Scene, str], str]:
    return lambda scene, principal: path


def _item(name: str, suffix: str = "") -> Callable[[Scene, str], str]:
    return lambda s, p: f"/catalog/studio/items/{getattr(s.content, name).pk}{suffix}"


PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< >>\n%%EOF\n"


CASES = [
    # --- program structure ---
    Case("list organizations", "GET", "/organizations", _fixed("/organizations"), ALL_MEMBERS),
    Case(
        "create organization",
        "POST",
        "/organizations",
        _fixed("/organizations"),
        VENDOR_ONLY_CREATE,
        lambda s: {"name": "Reseller Lyon", "business_model": "reseller"},
    ),
    Case(
        "get organization",
        "GET",
        "/organizations/{organization_id}",
        lambda s, p: f"/organizations/{s.world.orgs['reseller'].pk}",
        (401, 200, 200, 200, 404, 200, 404),
    ),
    Case(
        "rename organization",
        "PATCH",
        "/organizations/{organization_id}",
        lambda s, p: f"/organizations/{s.world.orgs['reseller'].pk}",
        (401, 403, 403, 403, 404, 200, 404),
        lambda s: {"name": "Reseller Paris Nord"},
    ),
    Case(
        "change sharing settings of dist",
        "PATCH",
        "/organizations/{organization_id}",
        lambda s, p: f"/organizations/{s.world.orgs['dist'].pk}",
        (401, 404, 403, 200, 404, 200, 404),
        lambda s: {"allow_parent_assignment": True},
    ),
    Case(
        "delete organization",
        "DELETE",
        "/organizations/{organization_id}",
        lambda s, p: f"/organizations/{s.spare.pk}",
        (401, 404, 403, 403, 404, 204, 404),
    ),
    Case("list tiers", "GET", "/tiers", _fixed("/tiers"), ALL_MEMBERS),
    Case(
        "create tier",
        "POST",
        "/tiers",
        _fixed("/tiers"),
        VENDOR_ONLY_CREATE,
        lambda s: {"name": "Platinum", "rank": 4},
    ),
    Case(
        "update tier",
        "PATCH",
        "/tiers/{tier_id}",
        lambda s, p: f"/tiers/{s.world.structure['gold'].pk}",
        VENDOR_ONLY_CHANGE,
        lambda s: {"description": "Top partners"},
    ),
    Case(
        "delete tier",
        "DELETE",
        "/tiers/{tier_id}",
        lambda s, p: f"/tiers/{s.bronze.pk}",
        VENDOR_ONLY_DELETE,
    ),
    Case("list regions", "GET", "/regions", _fixed("/regions"), ALL_MEMBERS),
    Case(
        "create region",
        "POST",
        "/regions",
        _fixed("/regions"),
        VENDOR_ONLY_CREATE,
        lambda s: {"name": "APAC", "code": "APAC", "countries": ["JP"]},
    ),
    Case(
        "update region",
        "PATCH",
        "/regions/{region_id}",
        lambda s, p: f"/regions/{s.world.structure['emea'].pk}",
        VENDOR_ONLY_CHANGE,
        lambda s: {"name": "Europe"},
    ),
    Case(
        "delete region",
        "DELETE",
        "/regions/{region_id}",
        lambda s, p: f"/regions/{s.americas.pk}",
        VENDOR_ONLY_DELETE,
    ),
    Case(
        "list specializations", "GET", "/specializations", _fixed("/specializations"), ALL_MEMBERS
    ),
    Case(
        "create specialization",
        "POST",
        "/specializations",
        _fixed("/specializations"),
        VENDOR_ONLY_CREATE,
        lambda s: {"name": "Data Center", "code": "data-center"},
    ),
    Case(
        "update specialization",
        "PATCH",
        "/specializations/{specialization_id}",
        lambda s, p: f"/specializations/{s.world.structure['security'].pk}",
        VENDOR_ONLY_CHANGE,
        lambda s: {"description": "Firewalls and identity"},
    ),
    Case(
        "delete specialization",
        "DELETE",
        "/specializations/{specialization_id}",
        lambda s, p: f"/specializations/{s.cloud.pk}",
        VENDOR_ONLY_DELETE,
    ),
    # --- people and memberships ---
    Case("list people", "GET", "/people", _fixed("/people"), PEOPLE_READERS),
    Case(
        "get person",
        "GET",
        "/people/{person_id}",
        lambda s, p: f"/people/{s.world.people['learner'].pk}",
        RESELLER_READ,
    ),
    Case(
        "add member",
        "POST",
        "/memberships",
        _fixed("/memberships"),
        RESELLER_CREATE,
        lambda s: {
            "email": "new.hire@reseller-paris.example",
            "full_name": "New Hire",
            "organization_id": s.world.orgs["reseller"].pk,
            "roles": ["learner"],
        },
    ),
    Case(
        "get membership",
        "GET",
        "/memberships/{membership_id}",
        lambda s, p: f"/memberships/{s.world.memberships['learner'].pk}",
        RESELLER_READ,
    ),
    Case(
        "update membership",
        "PATCH",
        "/memberships/{membership_id}",
        lambda s, p: f"/memberships/{s.world.memberships['learner'].pk}",
        RESELLER_MANAGE,
        lambda s: {"job_role": "presales"},
    ),
    Case(
        "end membership",
        "POST",
        "/memberships/{membership_id}/end",
        lambda s, p: f"/memberships/{s.world.memberships['learner'].pk}/end",
        RESELLER_MANAGE,
        lambda s: {},
    ),
    Case(
        "approve registration",
        "POST",
        "/memberships/{membership_id}/approve",
        lambda s, p: f"/memberships/{s.pending.pk}/approve",
        RESELLER_MANAGE,
    ),
    Case(
        "reject registration",
        "POST",
        "/memberships/{membership_id}/reject",
        lambda s, p: f"/memberships/{s.pending.pk}/reject",
        RESELLER_MANAGE,
        lambda s: {"reason": "Unknown to us"},
    ),
    # --- invitations ---
    Case("list invitations", "GET", "/invitations", _fixed("/invitations"), PEOPLE_READERS),
    Case(
        "invite",
        "POST",
        "/invitations",
        _fixed("/invitations"),
        RESELLER_CREATE,
        lambda s: {
            "email": "colleague@reseller-paris.example",
            "organization_id": s.world.orgs["reseller"].pk,
            "roles": ["learner"],
        },
    ),
    Case(
        "get invitation",
        "GET",
        "/invitations/{invitation_id}",
        lambda s, p: f"/invitations/{s.invitation.pk}",
        RESELLER_READ,
    ),
    Case(
        "resend invitation",
        "POST",
        "/invitations/{invitation_id}/resend",
        lambda s, p: f"/invitations/{s.invitation.pk}/resend",
        RESELLER_MANAGE,
    ),
    Case(
        "revoke invitation",
        "POST",
        "/invitations/{invitation_id}/revoke",
        lambda s, p: f"/invitations/{s.invitation.pk}/revoke",
        RESELLER_MANAGE,
    ),
    # --- tokens and the caller ---
    Case("list tokens", "GET", "/tokens", _fixed("/tokens"), ALL_MEMBERS),
    Case(
        "create personal token",
        "POST",
        "/tokens",
        _fixed("/tokens"),
        ALL_MEMBERS_CREATE,
        lambda s: {"kind": "personal", "name": "Laptop", "scopes": ["people:read"]},
    ),
    Case(
        "create integration token",
        "POST",
        "/tokens",
        _fixed("/tokens"),
        VENDOR_ONLY_CREATE,
        lambda s: {"kind": "integration", "name": "CRM", "scopes": ["organizations:read"]},
    ),
    Case(
        "revoke the integration token",
        "DELETE",
        "/tokens/{token_id}",
        lambda s, p: f"/tokens/{s.integration_token.pk}",
        (401, 404, 404, 404, 404, 204, 404),
    ),
    Case(
        "revoke one's own token",
        "DELETE",
        "/tokens/{token_id}",
        lambda s, p: f"/tokens/{_token_id(s, p)}",
        (401, 204, 204, 204, 204, 204, 204),
    ),
    Case("who am I", "GET", "/me", _fixed("/me"), ALL_MEMBERS),
    Case(
        "update own profile",
        "PATCH",
        "/me",
        _fixed("/me"),
        ALL_MEMBERS,
        lambda s: {"time_zone": "Europe/Paris"},
    ),
    # --- audit and notifications ---
    Case("read the audit log", "GET", "/audit-log", _fixed("/audit-log"), VENDOR_ONLY_LIST),
    Case("list notifications", "GET", "/notifications", _fixed("/notifications"), ALL_MEMBERS),
    Case(
        "mark notifications read",
        "POST",
        "/notifications/read",
        _fixed("/notifications/read"),
        ALL_MEMBERS,
        lambda s: {"all": True},
    ),
    Case(
        "list notification preferences",
        "GET",
        "/notification-preferences",
        _fixed("/notification-preferences"),
        ALL_MEMBERS,
    ),
    Case(
        "set a notification preference",
        "PUT",
        "/notification-preferences/{kind}",
        _fixed("/notification-preferences/registration.pending"),
        ALL_MEMBERS,
        lambda s: {"in_app": True, "email": False},
    ),
    # --- the learner catalog ---
    Case("browse the catalog", "GET", "/catalog/items", _fixed("/catalog/items"), ALL_MEMBERS),
    Case(
        "open a Gold item",
        "GET",
        "/catalog/items/{item_id}",
        lambda s, p: f"/catalog/items/{s.content.gold_lesson.pk}",
        GOLD_ITEM_READ,
    ),
    Case("search", "GET", "/catalog/search", _fixed("/catalog/search?q=edge"), ALL_MEMBERS),
    Case(
        "list product lines",
        "GET",
        "/catalog/product-lines",
        _fixed("/catalog/product-lines"),
        ALL_MEMBERS,
    ),
    # --- the catalog studio ---
    Case(
        "list studio items",
        "GET",
        "/catalog/studio/items",
        _fixed("/catalog/studio/items"),
        VENDOR_ONLY_LIST,
    ),
    Case(
        "create an item",
        "POST",
        "/catalog/studio/items",
        _fixed("/catalog/studio/items"),
        # tenant B has no team of that id
        (401, 403, 403, 403, 403, 201, 422),
        lambda s: {"kind": "lesson", "owner_team_id": s.content.team.pk, "title": "Routing"},
    ),
    Case(
        "get a working copy",
        "GET",
        "/catalog/studio/items/{item_id}",
        _item("draft"),
        STUDIO_READ_ONE,
    ),
    Case(
        "change an item's settings",
        "PATCH",
        "/catalog/studio/items/{item_id}",
        _item("draft"),
        VENDOR_ONLY_CHANGE,
        lambda s: {"duration_minutes": 20},
    ),
    Case(
        "write a draft's text",
        "PUT",
        "/catalog/studio/items/{item_id}/variants/{locale}",
        _item("draft", "/variants/fr"),
        VENDOR_ONLY_CHANGE,
        lambda s: {"title": "Mises à jour du firmware"},
    ),
    Case(
        "set the structure",
        "PUT",
        "/catalog/studio/items/{item_id}/structure",
        _item("draft", "/structure"),
        VENDOR_ONLY_CHANGE,
        lambda s: {"children": []},
    ),
    Case(
        "set the formats",
        "PUT",
        "/catalog/studio/items/{item_id}/formats",
        _item("draft", "/formats"),
        VENDOR_ONLY_CHANGE,
        lambda s: {"formats": [{"kind": "article"}]},
    ),
    Case(
        "set the product versions",
        "PUT",
        "/catalog/studio/items/{item_id}/product-versions",
        _item("draft", "/product-versions"),
        VENDOR_ONLY_CHANGE,
        lambda s: {"product_version_ids": [s.content.v8.pk]},
    ),
    Case(
        "submit for review",
        "POST",
        "/catalog/studio/items/{item_id}/submit",
        _item("draft", "/submit"),
        VENDOR_ONLY_CHANGE,
    ),
    Case(
        "approve",
        "POST",
        "/catalog/studio/items/{item_id}/approve",
        _item("in_review", "/approve"),
        VENDOR_ONLY_CHANGE,
    ),
    Case(
        "request changes",
        "POST",
        "/catalog/studio/items/{item_id}/request-changes",
        _item("in_review", "/request-changes"),
        VENDOR_ONLY_CHANGE,
        lambda s: {"note": "Add a diagram."},
    ),
    Case(
        "publish",
        "POST",
        "/catalog/studio/items/{item_id}/publish",
        _item("approved", "/publish"),
        VENDOR_ONLY_CHANGE,
    ),
    Case(
        "start a revision",
        "POST",
        "/catalog/studio/items/{item_id}/revise",
        _item("gold_lesson", "/revise"),
        VENDOR_ONLY_CHANGE,
        lambda s: {"change": "minor", "note": "Fixed a typo."},
    ),
    Case(
        "retire",
        "POST",
        "/catalog/studio/items/{item_id}/retire",
        _item("gold_lesson", "/retire"),
        VENDOR_ONLY_CHANGE,
    ),
    Case(
        "write a translation",
        "PUT",
        "/catalog/studio/items/{item_id}/translations/{locale}",
        _item("translated", "/translations/fr"),
        VENDOR_ONLY_CHANGE,
        lambda s: {"title": "Dépanner les tunnels"},
    ),
    Case(
        "submit a translation",
        "POST",
        "/catalog/studio/items/{item_id}/translations/{locale}/submit",
        _item("translated", "/translations/fr/submit"),
        VENDOR_ONLY_CHANGE,
    ),
    Case(
        "review a translation",
        "POST",
        "/catalog/studio/items/{item_id}/translations/{locale}/review",
        _item("translated", "/translations/de/review"),
        VENDOR_ONLY_CHANGE,
        lambda s: {"approve": True},
    ),
    # --- learning ---
    Case(
        "list enrollments",
        "GET",
        "/learning/enrollments",
        _fixed("/learning/enrollments"),
        ALL_MEMBERS,
    ),
    Case(
        "get the learner's enrollment",
        "GET",
        "/learning/enrollments/{enrollment_id}",
        lambda s, p: f"/learning/enrollments/{s.learning.chosen.pk}",
        (401, 200, 200, 200, 404, 200, 404),
    ),
    Case(
        "enroll oneself (the learner is enrolled already)",
        "POST",
        "/learning/enrollments",
        _fixed("/learning/enrollments"),
        (401, 200, 201, 201, 201, 201, 404),
        lambda s: {"item_id": s.content.open_lesson.pk},
    ),
    Case(
        "start the learner's enrollment",
        "POST",
        "/learning/enrollments/{enrollment_id}/start",
        lambda s, p: f"/learning/enrollments/{s.learning.chosen.pk}/start",
        # only the learner starts their own; to anyone else it does not exist
        (401, 200, 404, 404, 404, 404, 404),
    ),
    Case(
        "withdraw the learner's own choice",
        "POST",
        "/learning/enrollments/{enrollment_id}/withdraw",
        lambda s, p: f"/learning/enrollments/{s.learning.chosen.pk}/withdraw",
        (401, 200, 403, 403, 404, 403, 404),
        lambda s: {"reason": "Not now"},
    ),
    Case(
        "withdraw dist's assignment to the learner",
        "POST",
        "/learning/enrollments/{enrollment_id}/withdraw",
        lambda s, p: f"/learning/enrollments/{s.learning.assigned.pk}/withdraw",
        (401, 403, 200, 200, 404, 403, 404),
        lambda s: {"reason": "Changed role"},
    ),
    Case(
        "assign to partner_admin (dist)",
        "POST",
        "/learning/assignments",
        _fixed("/learning/assignments"),
        # other_admin may not assign to dist's people; b_admin does not see the item
        (401, 403, 201, 201, 422, 201, 404),
        lambda s: {
            "item_id": s.content.open_lesson.pk,
            "membership_ids": [s.world.memberships["partner_admin"].pk],
        },
    ),
    Case(
        "list one's progress",
        "GET",
        "/learning/progress",
        _fixed("/learning/progress"),
        ALL_MEMBERS,
    ),
    Case(
        "report video played",
        "POST",
        "/learning/progress/{item_id}/heartbeat",
        lambda s, p: f"/learning/progress/{s.content.open_lesson.pk}/heartbeat",
        (401, 200, 200, 200, 200, 200, 404),
        lambda s: {"played_from": 0, "played_to": 10, "position": 10, "duration": 600},
    ),
    Case(
        "report an article read",
        "POST",
        "/learning/progress/{item_id}/taken",
        lambda s, p: f"/learning/progress/{s.content.open_lesson.pk}/taken",
        (401, 200, 200, 200, 200, 200, 404),
        lambda s: {"kind": "article"},
    ),
    Case(
        "list assignment rules",
        "GET",
        "/learning/rules",
        _fixed("/learning/rules"),
        VENDOR_ONLY_LIST,
    ),
    Case(
        "create an assignment rule",
        "POST",
        "/learning/rules",
        _fixed("/learning/rules"),
        # tenant B has no audience of that id
        (401, 403, 403, 403, 403, 201, 422),
        lambda s: {
            "name": "Basics for everyone",
            "audience_id": s.content.everyone.pk,
            "item_id": s.content.open_lesson.pk,
        },
    ),
    Case(
        "get an assignment rule",
        "GET",
        "/learning/rules/{rule_id}",
        lambda s, p: f"/learning/rules/{s.learning.rule.pk}",
        STUDIO_READ_ONE,
    ),
    Case(
        "apply an assignment rule",
        "POST",
        "/learning/rules/{rule_id}/apply",
        lambda s, p: f"/learning/rules/{s.learning.rule.pk}/apply",
        VENDOR_ONLY_CHANGE,
    ),
    Case(
        "stop an assignment rule",
        "POST",
        "/learning/rules/{rule_id}/deactivate",
        lambda s, p: f"/learning/rules/{s.learning.rule.pk}/deactivate",
        VENDOR_ONLY_CHANGE,
    ),
    Case(
        "restart an assignment rule",
        "POST",
        "/learning/rules/{rule_id}/activate",
        lambda s, p: f"/learning/rules/{s.learning.rule.pk}/activate",
        VENDOR_ONLY_CHANGE,
    ),
    # --- the catalog library ---
    Case(
        "list audiences",
        "GET",
        "/catalog/studio/audiences",
        _fixed("/catalog/studio/audiences"),
        VENDOR_ONLY_LIST,
    ),
    Case(
        "create an audience",
        "POST",
        "/catalog/studio/audiences",
        _fixed("/catalog/studio/audiences"),
        VENDOR_ONLY_CREATE,
        lambda s: {"name": "Pilot", "rules": [{}]},
    ),
    Case(
        "get an audience",
        "GET",
        "/catalog/studio/audiences/{audience_id}",
        lambda s, p: f"/catalog/studio/audiences/{s.content.gold.pk}",
        STUDIO_READ_ONE,
    ),
    Case(
        "change an audience",
        "PATCH",
        "/catalog/studio/audiences/{audience_id}",
        lambda s, p: f"/catalog/studio/audiences/{s.content.gold.pk}",
        VENDOR_ONLY_CHANGE,
        lambda s: {"description": "Top partners"},
    ),
    Case(
        "list teams",
        "GET",
        "/catalog/studio/teams",
        _fixed("/catalog/studio/teams"),
        VENDOR_ONLY_LIST,
    ),
    Case(
        "create a team",
        "POST",
        "/catalog/studio/teams",
        _fixed("/catalog/studio/teams"),
        VENDOR_ONLY_CREATE,
        lambda s: {"name": "Marketing"},
    ),
    Case(
        "change a team",
        "PATCH",
        "/catalog/studio/teams/{team_id}",
        lambda s, p: f"/catalog/studio/teams/{s.content.team.pk}",
        VENDOR_ONLY_CHANGE,
        lambda s: {"member_ids": []},
    ),
    Case(
        "add a product version",
        "POST",
        "/catalog/studio/product-versions",
        _fixed("/catalog/studio/product-versions"),
        VENDOR_ONLY_CREATE,
        lambda s: {"product_line": "EdgeOS", "name": "9"},
    ),
    Case(
        "supersede a product version",
        "POST",
        "/catalog/studio/product-versions/{version_id}/supersede",
        lambda s, p: f"/catalog/studio/product-versions/{s.content.v7.pk}/supersede",
        VENDOR_ONLY_CHANGE,
        lambda s: {"superseded_by_id": s.content.v8.pk},
    ),
    Case(
        "list the media library",
        "GET",
        "/catalog/studio/media",
        _fixed("/catalog/studio/media"),
        VENDOR_ONLY_LIST,
    ),
    Case(
        "upload a file",
        "POST",
        "/catalog/studio/media",
        _fixed("/catalog/studio/media"),
        VENDOR_ONLY_CREATE,
        lambda s: {
            "file": SimpleUploadedFile("datasheet.pdf", PDF),
            "kind": "document",
            "title": "Datasheet",
        },
        multipart=True,
    ),
    Case(
        "get a media asset",
        "GET",
        "/catalog/studio/media/{media_id}",
        lambda s, p: f"/catalog/studio/media/{s.content.guide.pk}",
        STUDIO_READ_ONE,
    ),
    Case(
        "change a media asset",
        "PATCH",
        "/catalog/studio/media/{media_id}",
        lambda s, p: f"/catalog/studio/media/{s.content.guide.pk}",
        VENDOR_ONLY_CHANGE,
        lambda s: {"title": "Installation guide v2"},
    ),
    Case(
        "delete a media asset",
        "DELETE",
        "/catalog/studio/media/{media_id}",
        lambda s, p: f"/catalog/studio/media/{s.content.guide.pk}",
        VENDOR_ONLY_DELETE,
    ),
    # --- assessments: content authors write, authors and reviewers read (keys included) ---
    Case(
        "read the competency framework",
        "GET",
        "/assessments/competencies",
        _fixed("/assessments/competencies"),
        VENDOR_ONLY_LIST,
    ),
    Case(
        "add a competency domain",
        "POST",
        "/assessments/competency-domains",
        _fixed("/assessments/competency-domains"),
        VENDOR_ONLY_CREATE,
        lambda s: {"name": "Selling"},
    ),
    Case(
        "add a competency",
        "POST",
        "/assessments/competencies",
        _fixed("/assessments/competencies"),
        # tenant B has no domain of that id
        (401, 403, 403, 403, 403, 201, 422),
        lambda s: {"domain_id": s.assessments.domain.pk, "name": "Objection handling"},
    ),
    Case(
        "list question banks",
        "GET",
        "/assessments/banks",
        _fixed("/assessments/banks"),
        VENDOR_ONLY_LIST,
    ),
    Case(
        "create a question bank",
        "POST",
        "/assessments/banks",
        _fixed("/assessments/banks"),
        VENDOR_ONLY_CREATE,
        lambda s: {"name": "SD-WAN"},
    ),
    Case(
        "list assessment items",
        "GET",
        "/assessments/items",
        _fixed("/assessments/items"),
        VENDOR_ONLY_LIST,
    ),
    Case(
        "create an assessment item",
        "POST",
        "/assessments/items",
        _fixed("/assessments/items"),
        # tenant B has no bank of that id
        (401, 403, 403, 403, 403, 201, 422),
        lambda s: {"bank_id": s.assessments.bank.pk, "definition": SINGLE_CHOICE},
    ),
    Case(
        "get an assessment item",
        "GET",
        "/assessments/items/{assessment_item_id}",
        lambda s, p: f"/assessments/items/{s.assessments.item.pk}",
        STUDIO_READ_ONE,
    ),
    Case(
        "get a version of an assessment item",
        "GET",
        "/assessments/items/{assessment_item_id}/versions/{version_number}",
        lambda s, p: f"/assessments/items/{s.assessments.item.pk}/versions/1",
        STUDIO_READ_ONE,
    ),
    Case(
        "correct an assessment item",
        "POST",
        "/assessments/items/{assessment_item_id}/versions",
        lambda s, p: f"/assessments/items/{s.assessments.item.pk}/versions",
        (401, 403, 403, 403, 403, 201, 404),
        lambda s: {"definition": SINGLE_CHOICE, "note": "Clearer prompt"},
    ),
    Case(
        "retire an assessment item",
        "POST",
        "/assessments/items/{assessment_item_id}/retire",
        lambda s, p: f"/assessments/items/{s.assessments.item.pk}/retire",
        VENDOR_ONLY_CHANGE,
    ),
    Case(
        "export a bank as QTI",
        "GET",
        "/assessments/banks/{bank_id}/qti",
        lambda s, p: f"/assessments/banks/{s.assessments.bank.pk}/qti",
        STUDIO_READ_ONE,
    ),
    Case(
        "what a QTI export carries",
        "GET",
        "/assessments/banks/{bank_id}/qti/report",
        lambda s, p: f"/assessments/banks/{s.assessments.bank.pk}/qti/report",
        STUDIO_READ_ONE,
    ),
    Case(
        "import QTI into a bank",
        "POST",
        "/assessments/banks/{bank_id}/qti",
        lambda s, p: f"/assessments/banks/{s.assessments.bank.pk}/qti",
        # tenant B has no bank of that id
        (401, 403, 403, 403, 403, 201, 404),
        lambda s: {"file": SimpleUploadedFile("mgmt-port.xml", QTI_ITEM)},
        multipart=True,
    ),
    Case(
        "preview an assessment item",
        "POST",
        "/assessments/item-preview",
        _fixed("/assessments/item-preview"),
        VENDOR_ONLY_LIST,
        lambda s: {"definition": SINGLE_CHOICE, "response": {"choice": "a"}},
    ),
    # --- exams: authors write, authors and reviewers read; members take; reviewers grade ---
    Case("list exams", "GET", "/assessments/exams", _fixed("/assessments/exams"), VENDOR_ONLY_LIST),
    Case(
        "create an exam",
        "POST",
        "/assessments/exams",
        _fixed("/assessments/exams"),
        VENDOR_ONLY_CREATE,
        lambda s: {"name": "Matrix exam", "mode": "fixed"},
    ),
    Case(
        "get an exam",
        "GET",
        "/assessments/exams/{exam_id}",
        lambda s, p: f"/assessments/exams/{s.assessments.exam.pk}",
        STUDIO_READ_ONE,
    ),
    Case(
        "edit a draft exam",
        "PATCH",
        "/assessments/exams/{exam_id}",
        lambda s, p: f"/assessments/exams/{s.assessments.draft.pk}",
        VENDOR_ONLY_CHANGE,
        lambda s: {"name": "Draft check, edited"},
    ),
    Case(
        "close an exam",
        "POST",
        "/assessments/exams/{exam_id}/close",
        lambda s, p: f"/assessments/exams/{s.assessments.exam.pk}/close",
        VENDOR_ONLY_CHANGE,
    ),
    Case(
        "set a fixed exam's items",
        "PUT",
        "/assessments/exams/{exam_id}/form",
        lambda s, p: f"/assessments/exams/{s.assessments.draft.pk}/form",
        VENDOR_ONLY_CHANGE,
        lambda s: {"item_ids": [s.assessments.item.pk]},
    ),
    Case(
        "set a blueprint",
        "PUT",
        "/assessments/exams/{exam_id}/blueprint",
        lambda s, p: f"/assessments/exams/{s.assessments.draft_blueprint.pk}/blueprint",
        VENDOR_ONLY_CHANGE,
        lambda s: {"draws": [{"count": 1, "bank_id": s.assessments.bank.pk}]},
    ),
    Case(
        "publish an exam",
        "POST",
        "/assessments/exams/{exam_id}/publish",
        lambda s, p: f"/assessments/exams/{s.assessments.draft.pk}/publish",
        VENDOR_ONLY_CHANGE,
    ),
    Case(
        "item analysis of an exam",
        "GET",
        "/assessments/exams/{exam_id}/analysis",
        lambda s, p: f"/assessments/exams/{s.assessments.exam.pk}/analysis",
        STUDIO_READ_ONE,
    ),
    Case(
        "regrade an item's attempts",
        "POST",
        "/assessments/items/{assessment_item_id}/regrade",
        lambda s, p: f"/assessments/items/{s.assessments.item.pk}/regrade",
        VENDOR_ONLY_CHANGE,
    ),
    Case(
        "the exams one can take",
        "GET",
        "/assessments/my-exams",
        _fixed("/assessments/my-exams"),
        ALL_MEMBERS,
    ),
    Case(
        "start or resume an attempt",
        "POST",
        "/assessments/exams/{exam_id}/attempts",
        lambda s, p: f"/assessments/exams/{s.assessments.exam.pk}/attempts",
        # learner and vendor_admin resume theirs; manager's one attempt is submitted.
        (401, 200, 201, 201, 201, 200, 404),
    ),
    Case(
        "one's attempts",
        "GET",
        "/assessments/attempts",
        _fixed("/assessments/attempts"),
        ALL_MEMBERS,
    ),
    Case(
        "read the learner's attempt",
        "GET",
        "/assessments/attempts/{attempt_id}",
        lambda s, p: f"/assessments/attempts/{s.assessments.attempt.pk}",
        # The program admin reads results; nobody else reads another person's attempt.
        (401, 200, 404, 404, 404, 200, 404),
    ),
    Case(
        "save an answer to the learner's attempt",
        "PUT",
        "/assessments/attempts/{attempt_id}/answers/{position}",
        lambda s, p: f"/assessments/attempts/{s.assessments.attempt.pk}/answers/1",
        (401, 200, 404, 404, 404, 404, 404),
        lambda s: {"response": {"choice": "a"}},
    ),
    Case(
        "upload evidence to the learner's attempt",
        "POST",
        "/assessments/attempts/{attempt_id}/items/{position}/evidence",
        lambda s, p: f"/assessments/attempts/{s.assessments.attempt.pk}/items/2/evidence",
        (401, 201, 404, 404, 404, 404, 404),
        lambda s: {"file": SimpleUploadedFile("tunnel.pdf", PDF), "caption": "Tunnel up"},
        multipart=True,
    ),
    Case(
        "submit the learner's attempt",
        "POST",
        "/assessments/attempts/{attempt_id}/submit",
        lambda s, p: f"/assessments/attempts/{s.assessments.attempt.pk}/submit",
        (401, 200, 404, 404, 404, 404, 404),
    ),
    Case(
        "one's competency profile",
        "GET",
        "/assessments/competency-profile",
        _fixed("/assessments/competency-profile"),
        ALL_MEMBERS,
    ),
    Case(
        "the graders' queue",
        "GET",
        "/assessments/grading-queue",
        _fixed("/assessments/grading-queue"),
        VENDOR_ONLY_LIST,
    ),
    Case(
        "grade evidence",
        "POST",
        "/assessments/grading-queue/{answer_id}/grade",
        lambda s, p: f"/assessments/grading-queue/{s.assessments.answer.pk}/grade",
        VENDOR_ONLY_CHANGE,
        lambda s: {"levels": {"tunnel": "yes"}},
    ),
    # --- onboarding ---
    Case(
        "list onboarding programs",
        "GET",
        "/onboarding/programs",
        _fixed("/onboarding/programs"),
        VENDOR_ONLY_LIST,
    ),
    Case(
        "report a business event",
        "POST",
        "/onboarding/business-events",
        _fixed("/onboarding/business-events"),
        # b_admin's program has no organization of tenant A: an unknown reference.
        (401, 403, 403, 403, 403, 201, 422),
        lambda s: {
            "key": "deal_registered",
            "external_id": "deal-1",
            "occurred_at": "2026-11-01T09:30:00Z",
            "organization_id": s.world.orgs["reseller"].pk,
        },
    ),
    Case(
        "onboarding status of one's people",
        "GET",
        "/onboarding/status",
        _fixed("/onboarding/status"),
        ALL_MEMBERS,
    ),
    Case(
        "onboarding status of reseller's people",
        "GET",
        "/onboarding/status",
        lambda s, p: f"/onboarding/status?organization_id={s.world.orgs['reseller'].pk}",
        (401, 200, 200, 200, 404, 200, 404),
    ),
    Case(
        "onboarding status by organization",
        "GET",
        "/onboarding/organizations",
        _fixed("/onboarding/organizations"),
        VENDOR_ONLY_LIST,
    ),
]


def _with_catalog(case: Case, request: pytest.FixtureRequest) -> None:
    """Catalog routes need the catalog scene (learning routes the learning scene too); building
    it for every other case would only slow the matrix down."""
    if case.route.startswith("/catalog"):
        request.getfixturevalue("catalog")
    if case.route.startswith("/learning"):
        request.getfixturevalue("learning")
    if case.route.startswith("/assessments"):
        request.getfixturevalue("assessments")


def test_the_matrix_covers_every_operation_of_the_api() -> None:
    # given
    served = {(method, path) for method, path, _ in operations()}
    # when
    covered = {(case.method, case.route) for case in CASES}
    # then
    assert served - covered == set(), "Add these operations to the authorization matrix"
    assert covered - served == set(), "These matrix rows name operations the API does not serve"


@pytest.mark.parametrize("case", [c for c in CASES if c.method == "GET"], ids=lambda c: c.label)
def test_authorization_of_reads(scene: Scene, case: Case, request: pytest.FixtureRequest) -> None:
    # Reads change nothing, so one scene serves every principal.
    # given
    _with_catalog(case, request)
    # when
    answers = {}
    for principal in PRINCIPALS:
        response = client_for(scene.world, principal).get(case.path(scene, principal))
        problem = response["Content-Type"] == "application/problem+json"
        answers[principal] = (response.status_code, problem)
    # then
    assert answers == {
        principal: (status, status >= 400)
        for principal, status in zip(PRINCIPALS, case.expected, strict=True)
    }


@pytest.mark.parametrize(
    ("case", "principal", "expected"),
    [
        pytest.param(case, principal, status, id=f"{case.label}-{principal}")
        for case in CASES
        if case.method != "GET"
        for principal, status in zip(PRINCIPALS, case.expected, strict=True)
    ],
)
def test_authorization_of_writes(
    scene: Scene,
    case: Case,
    principal: str,
    expected: int,
    request: pytest.FixtureRequest,
    settings: Any,
    tmp_path: Any,
) -> None:
    # given
    _with_catalog(case, request)
    settings.MEDIA_ROOT = str(tmp_path)
    client = client_for(scene.world, principal)
    before = database_state()
    # when
    if case.multipart:
        response = client.client.post(
            f"/api/v1{case.path(scene, principal)}",
            case.body(scene) if case.body else {},
            headers=client.headers,
        )
    else:
        response = send(
            client,
            case.method,
            case.path(scene, principal),
            case.body(scene) if case.body else None,
        )
    # then
    assert response.status_code == expected, response.content
    if expected >= 400:
        assert response["Content-Type"] == "application/problem+json"
        assert changed_tables(before, database_state()) == []
