"""Forms for the partner organization and program structure pages. Field names match the
services' field names, so a domain error about `parent_id` or `countries` lands beside its field."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.forms.boundfield import BoundWidget

from cascade.tenancy.models import (
    BusinessModel,
    OrganizationStatus,
    PartnerOrganization,
    Region,
    Specialization,
    Tenant,
    Tier,
    VendorDataAccess,
)
from cascade.tenancy.services import OrganizationFields, TenantFields


def _set_choices(form: forms.Form, name: str, choices: list[tuple[str, str]]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


def _id_choices(queryset: QuerySet[Any], blank: str | None) -> list[tuple[str, str]]:
    rows = [(str(pk), str(name)) for pk, name in queryset.values_list("pk", "name")]
    return [("", blank), *rows] if blank is not None else rows


def _int_or_none(value: str) -> int | None:
    return int(value) if value else None


class PageForm(forms.Form):
    """Cascade's form defaults: no colon after labels, a class on required fields."""

    required_css_class = "required"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


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


@dataclass(frozen=True)
class ParentChoices:
    """What the parent organization picker offers: the organization chosen now (if any) and the
    organizations matching the search, at most a short page of them."""

    query: str = ""
    selected: PartnerOrganization | None = None
    matches: list[PartnerOrganization] = field(default_factory=list)
    more: bool = False


class ParentPicker(forms.Widget):
    """A search box and a radio list instead of a dropdown of every organization.

    Typing asks the picker endpoint (htmx) for matching organizations; without JavaScript the
    search button reloads the page with the matches. The search box and its button belong to a
    separate GET form (`form="parent-search"`), so pressing Enter in it searches instead of
    submitting the organization, and its text is never posted with the organization.
    """

    template_name = "tenancy/widgets/parent_picker.html"
    use_fieldset = True

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.picker = ParentChoices()

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["picker"] = self.picker
        return context

    def id_for_label(self, id_: str) -> str:
        # The field is a fieldset: its legend names it, and a legend takes no `for`.
        return ""


class OrganizationForm(forms.Form):
    required_css_class = "required"

    name = forms.CharField(label="Name", max_length=200)
    parent_id = forms.CharField(
        label="Parent organization",
        required=False,
        widget=ParentPicker,
        help_text="A reseller sits below its distributor. Search by name and choose one, "
        "or choose None for a top-level partner.",
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
        tiers: QuerySet[Tier],
        regions: QuerySet[Region],
        specializations: QuerySet[Specialization],
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        _set_choices(self, "tier_id", _id_choices(tiers, "No tier"))
        _set_choices(self, "region_id", _id_choices(regions, "No region"))
        _set_choices(self, "specialization_ids", _id_choices(specializations, None))

    def set_parent_choices(self, picker: ParentChoices) -> None:
        widget = self.fields["parent_id"].widget
        assert isinstance(widget, ParentPicker)
        widget.picker = picker

    def selected_parent_id(self) -> int | None:
        """The parent id the form holds now: the one submitted, else the current one."""
        value = str(self["parent_id"].value() or "").strip()
        return int(value) if value.isdigit() and len(value) <= 18 else None

    def clean_parent_id(self) -> str:
        value = str(self.cleaned_data.get("parent_id") or "").strip()
        if value and (not value.isdigit() or len(value) > 18):
            raise forms.ValidationError("Choose the parent organization from the list.")
        return value

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


# --- a partner admin's own organization -------------------------------------------------------


@dataclass(frozen=True)
class SharingExplained:
    """What one choice of `vendor_data_access` means, in the partner admin's words."""

    summary: str
    vendor_sees: tuple[str, ...]
    vendor_does_not_see: tuple[str, ...]


SHARING_EXPLAINED = {
    VendorDataAccess.INDIVIDUALS.value: SharingExplained(
        summary="The vendor's team sees each of your people and their learning.",
        vendor_sees=(
            "who your people are: name, e-mail address, roles and job role",
            "each person's learning: enrollments, progress, results and certifications",
            "totals for your organization",
        ),
        vendor_does_not_see=(
            "anything your people do in other vendors' programs",
            "passwords or sign-in details",
        ),
    ),
    VendorDataAccess.AGGREGATES.value: SharingExplained(
        summary="The vendor's team sees only numbers for your organization as a whole.",
        vendor_sees=(
            "how many people your organization has",
            "totals such as how many people completed a course or hold a certification",
        ),
        vendor_does_not_see=(
            "who your people are: no names, e-mail addresses or roles",
            "any one person's enrollments, progress, results or certifications",
        ),
    ),
}


class ExplainedRadioSelect(forms.RadioSelect):
    """Radio buttons whose options each point at their explanation (`<id>_details`)."""

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option: dict[str, Any] = super().create_option(*args, **kwargs)
        option["attrs"]["aria-describedby"] = f"{option['attrs']['id']}_details"
        return option


class OrganizationSettingsForm(PageForm):
    """The data-sharing settings a partner admin chooses for their own organization."""

    vendor_data_access = forms.ChoiceField(
        label="What the vendor may see of your people",
        choices=VendorDataAccess.choices,
        widget=ExplainedRadioSelect,
    )
    allow_parent_assignment = forms.BooleanField(required=False)

    def __init__(self, *args: Any, organization: PartnerOrganization, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "vendor_data_access": organization.vendor_data_access,
                "allow_parent_assignment": organization.allow_parent_assignment,
            },
        )
        super().__init__(*args, **kwargs)
        assignment = self.fields["allow_parent_assignment"]
        parent = organization.parent
        if parent is not None:
            assignment.label = f"Managers of {parent.name} may assign learning to our people"
            assignment.help_text = (
                f"When this is on, partner managers and admins of {parent.name} can assign "
                f"courses and learning paths to people in {organization.name}. When it is off, "
                "their learning comes from the vendor's program, your own managers, and what "
                "they choose themselves."
            )
        else:
            assignment.label = "Managers of a parent organization may assign learning to our people"
            assignment.help_text = (
                f"{organization.name} has no parent organization today, so this changes "
                "nothing now; it applies if the vendor places it below a distributor."
            )

    def sharing_options(self) -> list[tuple[BoundWidget, SharingExplained]]:
        return [
            (radio, SHARING_EXPLAINED[str(radio.data["value"])])
            for radio in self["vendor_data_access"]
        ]

    def fields_for_service(self) -> OrganizationFields:
        return {
            "vendor_data_access": self.cleaned_data["vendor_data_access"],
            "allow_parent_assignment": self.cleaned_data["allow_parent_assignment"],
        }


# --- tiers, regions, specializations ----------------------------------------------------------

_COUNTRY_SEPARATORS = re.compile(r"[\s,;]+")


class StructureForm(PageForm):
    """A tier, region or specialization form: starts from `item` when editing one, and gives the
    service its fields as `changes`."""

    def __init__(self, *args: Any, item: Any = None, **kwargs: Any) -> None:
        if item is not None:
            kwargs.setdefault("initial", self.initial_for(item))
        super().__init__(*args, **kwargs)

    def initial_for(self, item: Any) -> dict[str, Any]:
        raise NotImplementedError

    def changes(self) -> dict[str, Any]:
        raise NotImplementedError


class TierForm(StructureForm):
    name = forms.CharField(label="Name", max_length=60)
    rank = forms.IntegerField(
        label="Rank",
        min_value=1,
        max_value=100,
        help_text="1 is the entry tier; a higher rank is a better tier. No two tiers share a rank.",
    )
    description = forms.CharField(
        label="Description",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def initial_for(self, item: Any) -> dict[str, Any]:
        tier: Tier = item
        return {"name": tier.name, "rank": tier.rank, "description": tier.description}

    def changes(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"name": data["name"], "rank": data["rank"], "description": data["description"]}


class RegionForm(StructureForm):
    name = forms.CharField(label="Name", max_length=60)
    code = forms.CharField(
        label="Code",
        max_length=20,
        help_text="A short code such as EMEA, used in exports and the API.",
    )
    countries = forms.CharField(
        label="Countries",
        required=False,
        max_length=1000,
        help_text="Two-letter ISO 3166 country codes, separated by commas or spaces, "
        "e.g. FR, DE, IT.",
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "spellcheck": "false"}),
    )

    def initial_for(self, item: Any) -> dict[str, Any]:
        region: Region = item
        return {"name": region.name, "code": region.code, "countries": ", ".join(region.countries)}

    def changes(self) -> dict[str, Any]:
        data = self.cleaned_data
        countries = [c for c in _COUNTRY_SEPARATORS.split(data["countries"]) if c]
        return {"name": data["name"], "code": data["code"], "countries": countries}


class SpecializationForm(StructureForm):
    name = forms.CharField(label="Name", max_length=80)
    code = forms.CharField(
        label="Code",
        max_length=40,
        help_text="A short code such as security, used in exports and the API.",
    )
    description = forms.CharField(
        label="Description",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def initial_for(self, item: Any) -> dict[str, Any]:
        specialization: Specialization = item
        return {
            "name": specialization.name,
            "code": specialization.code,
            "description": specialization.description,
        }

    def changes(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"name": data["name"], "code": data["code"], "description": data["description"]}


class ProgramSettingsForm(PageForm):
    """The program's name, brand and languages, as a program admin edits them."""

    name = forms.CharField(label="Program name", max_length=120)
    logo_url = forms.URLField(
        label="Logo address",
        required=False,
        max_length=200,
        assume_scheme="https",
        help_text="An https address of the logo image shown in the header; leave empty to show "
        "the program name instead.",
    )
    primary_colour = forms.CharField(
        label="Primary colour",
        max_length=7,
        widget=forms.TextInput(attrs={"type": "color"}),
        help_text="The header and buttons. Text on it is made dark or light to stay readable.",
    )
    accent_colour = forms.CharField(
        label="Accent colour",
        max_length=7,
        widget=forms.TextInput(attrs={"type": "color"}),
        help_text="Highlights such as the edges of summary cards.",
    )
    default_locale = forms.ChoiceField(label="Default language", choices=settings.LANGUAGES)
    supported_locales = forms.MultipleChoiceField(
        label="Languages of the program's content",
        choices=settings.LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        help_text="Content can be offered in these languages; the default is always one of them.",
    )

    def __init__(self, *args: Any, tenant: Tenant, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "name": tenant.name,
                "logo_url": tenant.logo_url,
                "primary_colour": tenant.primary_colour,
                "accent_colour": tenant.accent_colour,
                "default_locale": tenant.default_locale,
                "supported_locales": tenant.supported_locales,
            },
        )
        super().__init__(*args, **kwargs)

    def fields_for_service(self) -> TenantFields:
        data = self.cleaned_data
        return TenantFields(
            name=data["name"],
            logo_url=data["logo_url"],
            primary_colour=data["primary_colour"],
            accent_colour=data["accent_colour"],
            default_locale=data["default_locale"],
            supported_locales=list(data["supported_locales"]),
        )
