"""API schemas for the program structure: organizations, tiers, regions, specializations."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Schema
from pydantic import Field

from cascade.api.schemas import Input, Out
from cascade.tenancy.models import BusinessModel, OrganizationStatus, VendorDataAccess

Name = Field(min_length=1, max_length=200)


class TierRef(Out):
    id: int
    name: str
    rank: int


class RegionRef(Out):
    id: int
    name: str
    code: str


class SpecializationRef(Out):
    id: int
    name: str
    code: str


class OrganizationRef(Out):
    id: int
    name: str


class OrganizationOut(Out):
    id: int
    name: str
    parent: OrganizationRef | None
    depth: int
    tier: TierRef | None
    business_model: BusinessModel
    region: RegionRef | None
    country: str
    specializations: list[SpecializationRef]
    status: OrganizationStatus
    joined_on: date | None
    vendor_data_access: VendorDataAccess
    allow_parent_assignment: bool
    email_domains: list[str]
    created_at: datetime
    updated_at: datetime


class OrganizationDetailOut(OrganizationOut):
    ancestors: list[OrganizationRef]
    children: list[OrganizationRef]
    active_people: int


class OrganizationCreateIn(Input):
    name: str = Field(min_length=1, max_length=200)
    business_model: BusinessModel
    parent_id: int | None = None
    tier_id: int | None = None
    region_id: int | None = None
    country: str = Field(default="", max_length=2)
    specialization_ids: list[int] = Field(default_factory=list, max_length=100)
    status: OrganizationStatus = OrganizationStatus.PROSPECT
    joined_on: date | None = None
    vendor_data_access: VendorDataAccess = VendorDataAccess.INDIVIDUALS
    allow_parent_assignment: bool = False
    email_domains: list[str] = Field(default_factory=list, max_length=50)


class OrganizationUpdateIn(Input):
    """Partial update: only fields present in the body change."""

    name: str | None = Field(default=None, min_length=1, max_length=200)
    business_model: BusinessModel | None = None
    parent_id: int | None = None
    tier_id: int | None = None
    region_id: int | None = None
    country: str | None = Field(default=None, max_length=2)
    specialization_ids: list[int] | None = Field(default=None, max_length=100)
    status: OrganizationStatus | None = None
    joined_on: date | None = None
    vendor_data_access: VendorDataAccess | None = None
    allow_parent_assignment: bool | None = None
    email_domains: list[str] | None = Field(default=None, max_length=50)


class TierOut(Schema):
    id: int
    name: str
    rank: int
    description: str


class TierIn(Input):
    name: str = Field(min_length=1, max_length=60)
    rank: int = Field(ge=1, le=100)
    description: str = Field(default="", max_length=2000)


class TierUpdateIn(Input):
    name: str | None = Field(default=None, min_length=1, max_length=60)
    rank: int | None = Field(default=None, ge=1, le=100)
    description: str | None = Field(default=None, max_length=2000)


class RegionOut(Schema):
    id: int
    name: str
    code: str
    countries: list[str]


class RegionIn(Input):
    name: str = Field(min_length=1, max_length=60)
    code: str = Field(min_length=1, max_length=20)
    countries: list[str] = Field(default_factory=list, max_length=250)


class RegionUpdateIn(Input):
    name: str | None = Field(default=None, min_length=1, max_length=60)
    code: str | None = Field(default=None, min_length=1, max_length=20)
    countries: list[str] | None = Field(default=None, max_length=250)


class SpecializationOut(Schema):
    id: int
    name: str
    code: str
    description: str


class SpecializationIn(Input):
    name: str = Field(min_length=1, max_length=80)
    code: str = Field(min_length=1, max_length=40)
    description: str = Field(default="", max_length=2000)


class SpecializationUpdateIn(Input):
    name: str | None = Field(default=None, min_length=1, max_length=80)
    code: str | None = Field(default=None, min_length=1, max_length=40)
    description: str | None = Field(default=None, max_length=2000)
