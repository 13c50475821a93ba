"""The `cascade seed` and `cascade demologins` commands."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cascade.core.scoping import scopes_disabled
from cascade.demo import DEMO_LOGINS, DEMO_PASSWORD, DEMO_URL
from cascade.identity.models import Membership, Person
from cascade.tenancy.models import PartnerOrganization, Tenant

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def counts() -> tuple[int, int, int, int]:
    with scopes_disabled():
        return (
            Tenant.objects.count(),
            PartnerOrganization.objects.count(),
            Person.objects.count(),
            Membership.objects.count(),
        )


def test_seed_if_empty_seeds_once_then_does_nothing() -> None:
    # given
    first = run("seed", "--scale", "tiny", "--if-empty")
    seeded = counts()

    # when
    again = run("seed", "--scale", "tiny", "--if-empty", "--seed", "99")

    # then
    assert "Seeded Northwind Networks (northwind) at scale tiny, seed 2026" in first
    assert "rows/s" in first
    assert seeded == (1, 20, 109, 113)
    assert again == "Program 'northwind' already exists: nothing to seed.\n"
    assert counts() == seeded


def test_seed_refuses_an_existing_program_without_if_empty() -> None:
    # given
    run("seed", "--scale", "tiny")
    seeded = counts()

    # when
    with pytest.raises(CommandError) as raised:
        run("seed", "--scale", "tiny")

    # then
    assert str(raised.value) == (
        "Program 'northwind' already exists. Use --if-empty to skip, or another --tenant-slug."
    )
    assert counts() == seeded


def test_seed_takes_a_custom_size_and_tenant_slug() -> None:
    # when
    run("seed", "--organizations", "8", "--people", "30", "--tenant-slug", "acme", "--seed", "4")

    # then
    with scopes_disabled():
        tenant = Tenant.objects.get(slug="acme")
        assert PartnerOrganization.objects.filter(tenant=tenant).count() == 8
        partner_people = (
            Membership.objects.filter(tenant=tenant, organization__isnull=False)
            .values("person")
            .distinct()
            .count()
        )
    assert partner_people == 30
    assert tenant.name == "Acme"


def test_seed_rejects_a_size_too_small_for_a_program() -> None:
    # when
    with pytest.raises(CommandError) as raised:
        run("seed", "--organizations", "2")

    # then
    assert str(raised.value) == "A program needs at least 4 organizations."
    assert counts() == (0, 0, 0, 0)


def test_demologins_lists_every_demo_login() -> None:
    # given
    run("seed", "--scale", "tiny")

    # when
    output = run("demologins")

    # then
    for login in DEMO_LOGINS:
        line = next(row for row in output.splitlines() if f" {login.email()} " in row)
        assert line.split()[0] == login.label.split()[0]
        assert DEMO_PASSWORD in line
    assert "Bluebird Networks" in output
    assert "Atlas Distribution" in output
    assert "Northwind Networks (vendor staff)" in output
    assert output.endswith(f"Open {DEMO_URL} and sign in with any of them.\n")


def test_demologins_explains_how_to_seed_when_there_is_no_program() -> None:
    # when
    with pytest.raises(CommandError) as raised:
        run("demologins")

    # then
    assert str(raised.value) == (
        "There is no program 'northwind' yet. Create it with: cascade seed --scale demo"
    )


def test_seed_if_empty_adds_the_catalog_to_a_program_seeded_without_it() -> None:
    # given: a demo program whose catalog is missing (seeded before the catalog existed)
    from cascade.audit.models import AuditEntry
    from cascade.catalog.format_models import LessonFormat
    from cascade.catalog.item_models import ItemLink
    from cascade.catalog.models import (
        Audience,
        CatalogItem,
        CatalogTeam,
        MediaAsset,
        ProductLine,
        ProductVersion,
    )
    from cascade.catalog.revision_models import ItemRevision, RevisionMedia
    from cascade.learning.models import (
        AssignmentRule,
        Curriculum,
        CurriculumStep,
        Enrollment,
        LessonProgress,
    )
    from cascade.learning.onboarding_models import OnboardingProgram

    run("seed", "--scale", "tiny")
    with scopes_disabled():
        # Onboarding programs name items and an audience: they go first.
        OnboardingProgram.unscoped.all().delete()
        for learning in (Enrollment, LessonProgress, CurriculumStep, Curriculum, AssignmentRule):
            learning.unscoped.all().delete()
        CatalogItem.objects.update(published_revision=None, published_audience=None)
        for model in (
            ItemRevision,
            ItemLink,
            LessonFormat,
            RevisionMedia,
            CatalogItem,
            MediaAsset,
            Audience,
            CatalogTeam,
        ):
            model.unscoped.all().delete()
        ProductVersion.unscoped.update(superseded_by=None)
        ProductVersion.unscoped.all().delete()
        ProductLine.unscoped.all().delete()
        AuditEntry.unscoped.filter(action__startswith="catalog").delete()
    # when
    output = run("seed", "--scale", "tiny", "--if-empty")
    # then
    assert "already exists: added its catalog" in output
    with scopes_disabled():
        assert CatalogItem.unscoped.filter(published_revision__isnull=False).exists()
