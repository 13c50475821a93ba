"""factory_boy factories. Tenant-owned factories need an active tenant scope or a tenant given
explicitly; `World` in conftest builds the standard two-tenant setup most tests use."""

from __future__ import annotations

import factory
from django.utils import timezone

from cascade.identity.models import Membership, MembershipStatus, Person
from cascade.tenancy.models import (
    BusinessModel,
    OrganizationDomain,
    OrganizationStatus,
    PartnerOrganization,
    Region,
    Specialization,
    Tenant,
    TenantDomain,
    Tier,
)


class TenantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tenant

    name = factory.Sequence(lambda n: f"Vendor {n}")
    slug = factory.Sequence(lambda n: f"vendor-{n}")
    supported_locales = ["en"]


class TenantDomainFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TenantDomain

    tenant = factory.SubFactory(TenantFactory)
    domain = factory.Sequence(lambda n: f"tenant{n}.test")
    is_primary = True


class TierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tier

    name = factory.Sequence(lambda n: f"Tier {n}")
    rank = factory.Sequence(lambda n: n + 1)


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region

    name = factory.Sequence(lambda n: f"Region {n}")
    code = factory.Sequence(lambda n: f"R{n}")
    countries = ["FR", "DE"]


class SpecializationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Specialization

    name = factory.Sequence(lambda n: f"Specialization {n}")
    code = factory.Sequence(lambda n: f"spec-{n}")


class OrganizationFactory(factory.django.DjangoModelFactory):
    """Builds an organization with a correct materialized path (as the services would)."""

    class Meta:
        model = PartnerOrganization

    name = factory.Sequence(lambda n: f"Partner {n}")
    business_model = BusinessModel.RESELLER
    status = OrganizationStatus.ACTIVE
    country = "FR"

    @classmethod
    def _create(cls, model_class: type, *args: object, **kwargs: object) -> PartnerOrganization:
        organization: PartnerOrganization = super()._create(model_class, *args, **kwargs)
        parent = organization.parent
        organization.path = f"{parent.path if parent else '/'}{organization.pk}/"
        organization.depth = parent.depth + 1 if parent else 0
        PartnerOrganization.unscoped.filter(pk=organization.pk).update(
            path=organization.path, depth=organization.depth
        )
        return organization


class OrganizationDomainFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganizationDomain

    domain = factory.Sequence(lambda n: f"partner{n}.example")
    verified_at = factory.LazyFunction(timezone.now)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @classmethod
    def _after_postgeneration(cls, instance: Person, create: bool, results: object = None) -> None:
        if create:
            instance.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    person = factory.SubFactory(PersonFactory)
    status = MembershipStatus.ACTIVE
    roles = ",learner,"
