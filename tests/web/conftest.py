"""Helpers for the page tests: more vendor staff roles, counting queries, and what changed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cascade.assessments.models import Exam, Item
from cascade.audit.models import AuditEntry
from cascade.identity.models import Invitation, Membership
from cascade.tenancy.models import PartnerOrganization, Region, Specialization, Tier
from tests.conftest import World, make_member


@pytest.fixture
def staff(world: World) -> World:
    """The world plus vendor staff without admin rights: an analyst and a content author."""
    make_member(world, "analyst", world.tenant, None, ["analyst"], "other")
    make_member(world, "content_author", world.tenant, None, ["content_author"], "other")
    return world


def queries(action: Callable[[], Any]) -> int:
    with CaptureQueriesContext(connection) as context:
        action()
    return len(context.captured_queries)


def state() -> dict[str, Any]:
    """A picture of the rows a page could change, to assert that a refused request changed
    nothing (unscoped: it looks across tenants)."""
    return {
        "audit": AuditEntry.unscoped.count(),
        "organizations": sorted(
            PartnerOrganization.unscoped.values_list(
                "id",
                "name",
                "status",
                "tier_id",
                "parent_id",
                "vendor_data_access",
                "allow_parent_assignment",
                "updated_at",
            )
        ),
        "tiers": sorted(Tier.unscoped.values_list("id", "name", "rank", "description")),
        "regions": sorted(Region.unscoped.values_list("id", "name", "code", "countries")),
        "specializations": sorted(
            Specialization.unscoped.values_list("id", "name", "code", "description")
        ),
        "memberships": sorted(
            Membership.unscoped.values_list("id", "status", "roles", "job_role", "ended_on")
        ),
        "invitations": sorted(Invitation.unscoped.values_list("id", "status", "nonce")),
        "assessment_items": sorted(
            Item.unscoped.values_list("id", "current_version_id", "retired_at")
        ),
        "exams": sorted(Exam.unscoped.values_list("id", "name", "state")),
    }
