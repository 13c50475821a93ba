"""Forms for the partner organization pages. Field names match the services' field names, so a
domain error about `parent_id` lands beside the parent field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from cascade.tenancy.models import (
    BusinessModel,
    OrganizationStatus,
    PartnerOrganization,
    Region,
    Specialization,
    Tier,
    VendorDataAccess,
)
from cascade.tenancy.services import OrganizationFields


def _set_choices(form: forms.Form, name: str, choices: list[tuple[str, str]]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


def _id_choices(queryset: QuerySet[Any], blank: str | None) -> list[tuple[str, str]]:
    rows = [(str(pk), str(name)) for pk, name in queryset.values_list("pk", "name")]
    return [("", blank), *rows] if blank is not None else rows


def _int_or_none(value: str) -> int | None:
    return int(value) if value else None


class OrganizationFilterForm(forms.Form):
    q = forms.CharField(
        label="Search",
        required=False,
        max_length=200,
        help_text="Name contains, or an exact e-mail domain.",
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any status"), *OrganizationStatus.choices]
    )
    tier_id = forms.ChoiceField(label="Tier", required=False)
    region_id = forms.ChoiceField(label="Region", required=False)
    business_model = forms.ChoiceField(
        label="Business model",
        required=False,
        choices=[("", "Any business model"), *BusinessModel.choices],
    )
    specialization_id = forms.ChoiceField(label="Specialization", required=False)
    country = forms.CharField(
        label="Country",
        required=False,
        max_length=2,
        help_text="Two-letter code, e.g. FR.",
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "size": 2}),
    )

    def __init__(
        self,
        *args: Any,
        tiers: QuerySet[Tier],
        regions: QuerySet[Region],
        specializations: QuerySet[Specialization],
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        _set_choices(self, "tier_id", _id_choices(tiers, "Any tier"))
        _set_choices(self, "region_id", _id_choices(regions, "Any region"))
        _set_choices(self, "specialization_id", _id_choices(specializations, "Any specialization"))

    def clean_country(self) -> str:
        value: str = self.cleaned_data.get("country") or ""
        return value.strip().upper()


class OrganizationForm(forms.Form):
    required_css_class = "required"

    name = forms.CharField(label="Name", max_length=200)
    parent_id = forms.ChoiceField(
        label="Parent organization",
        required=False,
        help_text="A reseller sits below its distributor; leave empty for a top-level partner.",
    )
    business_model = forms.ChoiceField(label="Business model", choices=BusinessModel.choices)
    status = forms.ChoiceField(
        label="Status", choices=OrganizationStatus.choices, initial=OrganizationStatus.PROSPECT
    )
    tier_id = forms.ChoiceField(label="Tier", required=False)
    region_id = forms.ChoiceField(label="Region", required=False)
    country = forms.CharField(
        label="Country",
        required=False,
        max_length=2,
        help_text="Two-letter ISO 3166 code, e.g. FR.",
    )
    specialization_ids = forms.MultipleChoiceField(
        label="Specializations", required=False, widget=forms.CheckboxSelectMultiple
    )
    joined_on = forms.DateField(
        label="Joined the program on",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    email_domains = forms.CharField(
        label="Verified e-mail domains",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One per line. People with these addresses may register themselves.",
    )
    vendor_data_access = forms.ChoiceField(
        label="What the vendor may see of its people",
        choices=VendorDataAccess.choices,
        initial=VendorDataAccess.INDIVIDUALS,
    )
    allow_parent_assignment = forms.BooleanField(
        label="The parent organization's managers may assign learning to its people",
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        parents: QuerySet[PartnerOrganization],
        tiers: QuerySet[Tier],
        regions: QuerySet[Region],
        specializations: QuerySet[Specialization],
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        _set_choices(self, "parent_id", _id_choices(parents, "None: a top-level partner"))
        _set_choices(self, "tier_id", _id_choices(tiers, "No tier"))
        _set_choices(self, "region_id", _id_choices(regions, "No region"))
        _set_choices(self, "specialization_ids", _id_choices(specializations, None))

    @staticmethod
    def initial_for(organization: PartnerOrganization) -> dict[str, Any]:
        return {
            "name": organization.name,
            "parent_id": str(organization.parent_id or ""),
            "business_model": organization.business_model,
            "status": organization.status,
            "tier_id": str(organization.tier_id or ""),
            "region_id": str(organization.region_id or ""),
            "country": organization.country,
            "specialization_ids": [str(s.pk) for s in organization.specializations.all()],
            "joined_on": organization.joined_on,
            "email_domains": "\n".join(d.domain for d in organization.email_domains.all()),
            "vendor_data_access": organization.vendor_data_access,
            "allow_parent_assignment": organization.allow_parent_assignment,
        }

    def fields_for_service(self) -> OrganizationFields:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "parent_id": _int_or_none(data["parent_id"]),
            "business_model": data["business_model"],
            "status": data["status"],
            "tier_id": _int_or_none(data["tier_id"]),
            "region_id": _int_or_none(data["region_id"]),
            "country": data["country"].strip(),
            "specialization_ids": [int(pk) for pk in data["specialization_ids"]],
            "joined_on": data["joined_on"],
            "email_domains": [
                line.strip() for line in data["email_domains"].splitlines() if line.strip()
            ],
            "vendor_data_access": data["vendor_data_access"],
            "allow_parent_assignment": data["allow_parent_assignment"],
        }
