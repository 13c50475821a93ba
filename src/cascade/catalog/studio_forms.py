"""Forms of the studio, the authoring pages of the catalog.

Field names follow the services' argument names (`title`, `audience`, `duration_minutes`,
`note`...), so a domain error about a field lands beside it. Choices (teams, audiences, tiers,
media files) are given by the views, which read them through the studio's selectors; the forms
only parse and check input.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.db.models.functions import Lower
from django.forms import formset_factory

from cascade.catalog.audiences import RuleSpec, Viewer
from cascade.catalog.format_models import FormatKind
from cascade.catalog.item_models import ItemKind, ItemState
from cascade.catalog.models import Dimension, Effect
from cascade.catalog.revision_models import ChangeKind
from cascade.catalog.starters import STARTERS
from cascade.identity.forms import PageForm
from cascade.identity.roles import JobRole
from cascade.tenancy.models import (
    BusinessModel,
    PartnerOrganization,
    Region,
    Specialization,
    Tier,
)

Choices = list[tuple[str, str]]
_COUNTRY = re.compile(r"^[A-Za-z]{2}$")
MAX_PILOT_ORGANIZATIONS = 200
LANGUAGE_CHOICES: Choices = [(code, str(name)) for code, name in settings.LANGUAGES]
MARKDOWN_HELP = (
    "Markdown: ## for a section heading, - for a bullet, **bold**, [link text](https://...). "
    "Use Preview to see it as learners will."
)


def _set_choices(form: forms.Form, name: str, choices: Choices) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


def id_choices(queryset: QuerySet[Any], label: str = "name") -> Choices:
    return [(str(pk), str(name)) for pk, name in queryset.values_list("pk", label)]


# --- the item list ------------------------------------------------------------------------------


class StudioFilterForm(PageForm):
    required_css_class = ""

    q = forms.CharField(
        label="Title contains",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    state = forms.ChoiceField(
        label="State", required=False, choices=[("", "Any state"), *ItemState.choices]
    )
    kind = forms.ChoiceField(
        label="Kind", required=False, choices=[("", "Any kind"), *ItemKind.choices]
    )
    owner_team = forms.ChoiceField(label="Owner team", required=False)
    view = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, teams: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "owner_team", [("", "Any team"), *teams])


# --- creating and editing an item ---------------------------------------------------------------


class ItemCreateForm(PageForm):
    starter = forms.ChoiceField(
        label="Start from",
        choices=[(s.slug, s.name) for s in STARTERS],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what you are making."},
    )
    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text="What learners will see in the catalog. You can change it later.",
    )
    owner_team = forms.ChoiceField(
        label="Owner team",
        help_text="The team that keeps this content right. For content meant for every "
        "partner, one approval must come from this team.",
    )
    audience = forms.ChoiceField(
        label="Who is it for?",
        required=False,
        help_text="You can decide later, but an audience is needed before review.",
    )

    def __init__(self, *args: Any, teams: Choices, audiences: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "owner_team", [("", "Choose a team"), *teams])
        _set_choices(self, "audience", [("", "Decide later"), *audiences])


class ItemTextForm(PageForm):
    title = forms.CharField(label="Title", max_length=200)
    summary = forms.CharField(
        label="Summary",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One or two sentences shown in the catalog and in search results.",
    )
    body = forms.CharField(
        label="Body",
        required=False,
        max_length=200_000,
        widget=forms.Textarea(attrs={"rows": 18, "class": "markdown"}),
        help_text=MARKDOWN_HELP,
    )


class ItemSettingsForm(PageForm):
    audience = forms.ChoiceField(
        label="Audience",
        required=False,
        help_text="Which partner people may see the item once published.",
    )
    owner_team = forms.ChoiceField(label="Owner team")
    duration_minutes = forms.IntegerField(
        label="Duration in minutes",
        required=False,
        min_value=1,
        max_value=10_000,
        help_text="About how long a learner needs.",
    )
    review_by = forms.DateField(
        label="Review by",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="The owners are reminded to check the content is still right by this date.",
    )
    teaser_enabled = forms.BooleanField(
        label="Show partners of lower tiers a teaser (title, summary and the tier it needs)",
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        teams: Choices,
        audiences: Choices,
        locked: bool,
        teaser_tier: str | None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "owner_team", teams)
        _set_choices(self, "audience", [("", "Not chosen yet"), *audiences])
        if locked:
            # Who it is for and who owns it were approved with the item: only a draft
            # (a new revision) changes them.
            for name in ("audience", "owner_team"):
                self.fields[name].disabled = True
                self.fields[
                    name
                ].help_text = "Changes only in a draft: start a new revision to change it."
        self.fields["teaser_enabled"].help_text = (
            f"Partners below the tier see “Available at {teaser_tier}”."
            if teaser_tier
            else "A teaser shows only when the audience asks for a minimum tier."
        )


class NoteForm(PageForm):
    note = forms.CharField(
        label="What should change?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say what should change."},
    )


class ReviseForm(PageForm):
    change = forms.ChoiceField(
        label="Kind of change",
        choices=[
            (ChangeKind.MINOR.value, "Minor: corrections and small updates"),
            (ChangeKind.MAJOR.value, "Major: the content changes in substance"),
        ],
        widget=forms.RadioSelect,
        initial=ChangeKind.MINOR.value,
        help_text="A minor change reaches every course using this item once published. After "
        "a major change, courses using it keep the current revision until they are published "
        "again.",
    )
    note = forms.CharField(
        label="What changed",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Learners see this note on the updated item.",
        error_messages={"required": "Say what changes."},
    )


class NewChildForm(PageForm):
    title = forms.CharField(label="Title", max_length=200)


class FormatForm(PageForm):
    kind = forms.ChoiceField(label="Format", choices=FormatKind.choices)
    locale = forms.ChoiceField(
        label="Language",
        required=False,
        choices=[("", "Every language"), *LANGUAGE_CHOICES],
        help_text="Choose a language when this format exists only in that language.",
    )
    media_id = forms.ChoiceField(
        label="File from the media library",
        required=False,
        help_text="For a video (video or audio file) or a document (PDF, Office file, image).",
    )
    url = forms.URLField(
        label="Address (https)",
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text="For a video streamed from elsewhere, or an external link.",
    )
    track_ids = forms.MultipleChoiceField(
        label="Captions and transcripts",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Videos only. Upload tracks to the media library first.",
    )
    reference = forms.CharField(
        label="Reference",
        required=False,
        max_length=200,
        help_text="Packages, assessments and live sessions: the identifier their tool gave.",
    )

    def __init__(self, *args: Any, media: Choices, tracks: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "media_id", [("", "No file"), *media])
        _set_choices(self, "track_ids", tracks)
        if not tracks:
            self.fields[
                "track_ids"
            ].help_text = "No captions or transcripts are in the media library yet."


class ProductVersionsForm(PageForm):
    versions = forms.MultipleChoiceField(
        label="Product versions this item applies to",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, versions: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "versions", versions)


class ProductVersionCreateForm(PageForm):
    product_line = forms.CharField(
        label="Product line",
        max_length=100,
        help_text="An existing line's exact name, or a new one.",
    )
    name = forms.CharField(label="Version", max_length=40)
    released_on = forms.DateField(
        label="Released on", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class SupersedeForm(PageForm):
    version = forms.ChoiceField(label="Older version")
    superseded_by = forms.ChoiceField(label="Replaced by")

    def __init__(self, *args: Any, versions: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "version", [("", "Choose a version"), *versions])
        _set_choices(self, "superseded_by", [("", "Choose a version"), *versions])


# --- translations -------------------------------------------------------------------------------


class TranslationForm(PageForm):
    title = forms.CharField(label="Title", max_length=200)
    summary = forms.CharField(
        label="Summary", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    body = forms.CharField(
        label="Body",
        required=False,
        max_length=200_000,
        widget=forms.Textarea(attrs={"rows": 18, "class": "markdown"}),
        help_text="Keep the Markdown marks (##, -, **) where the source has them.",
    )

    def __init__(self, *args: Any, language: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("title", "summary", "body"):
            self.fields[name].label = f"{self.fields[name].label} in {language}"


class TranslationReturnForm(PageForm):
    note = forms.CharField(
        label="What should the translator change?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say what should change."},
    )


# --- audiences ----------------------------------------------------------------------------------


def _split_lines(value: str) -> list[str]:
    return [line.strip() for line in re.split(r"[\n;]", value or "") if line.strip()]


class AudienceForm(PageForm):
    name = forms.CharField(label="Name", max_length=120, help_text="e.g. “EMEA Gold security”.")
    description = forms.CharField(
        label="Description",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Why this audience exists, for the next author who picks it.",
    )


class RuleForm(PageForm):
    """One include or exclude rule. Every constraint left empty matches everyone; constraints
    combine with AND, values of one constraint with OR."""

    required_css_class = ""

    effect = forms.ChoiceField(
        label="This rule",
        choices=[
            (Effect.INCLUDE.value, "Includes the partner people it matches"),
            (Effect.EXCLUDE.value, "Excludes the partner people it matches"),
        ],
        initial=Effect.INCLUDE.value,
        widget=forms.RadioSelect,
    )
    minimum_tier = forms.ChoiceField(label="Minimum tier", required=False)
    tiers = forms.MultipleChoiceField(
        label="Tiers", required=False, widget=forms.CheckboxSelectMultiple
    )
    regions = forms.MultipleChoiceField(
        label="Regions", required=False, widget=forms.CheckboxSelectMultiple
    )
    countries = forms.CharField(
        label="Countries",
        required=False,
        max_length=2000,
        help_text="Two-letter codes separated by commas, e.g. FR, DE.",
    )
    specializations = forms.MultipleChoiceField(
        label="Specializations", required=False, widget=forms.CheckboxSelectMultiple
    )
    business_models = forms.MultipleChoiceField(
        label="Business models",
        required=False,
        choices=BusinessModel.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    job_roles = forms.MultipleChoiceField(
        label="Job roles",
        required=False,
        choices=JobRole.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    locales = forms.MultipleChoiceField(
        label="Languages",
        required=False,
        choices=LANGUAGE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )
    organizations = forms.CharField(
        label="Organizations (a pilot)",
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Exact organization names, one per line: only these organizations match.",
    )

    def __init__(
        self,
        *args: Any,
        tiers: list[Tier],
        regions: Choices,
        specializations: Choices,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(
            self,
            "minimum_tier",
            [("", "No minimum"), *[(str(t.rank), f"{t.name} and above") for t in tiers]],
        )
        _set_choices(self, "tiers", [(str(t.pk), t.name) for t in tiers])
        _set_choices(self, "regions", regions)
        _set_choices(self, "specializations", specializations)

    def clean_countries(self) -> list[str]:
        codes = [c.strip() for c in re.split(r"[\s,;]+", self.cleaned_data["countries"]) if c]
        bad = [c for c in codes if not _COUNTRY.match(c)]
        if bad:
            raise forms.ValidationError(
                f"Not two-letter country codes: {', '.join(bad)}.", code="invalid_country"
            )
        return sorted({c.upper() for c in codes})

    def clean_organizations(self) -> list[int]:
        names = list(dict.fromkeys(_split_lines(self.cleaned_data["organizations"])))
        if not names:
            return []
        if len(names) > MAX_PILOT_ORGANIZATIONS:
            raise forms.ValidationError(
                f"Name at most {MAX_PILOT_ORGANIZATIONS} organizations.", code="too_many"
            )
        found: dict[str, list[int]] = {}
        for pk, folded in (
            PartnerOrganization.objects.annotate(folded=Lower("name"))
            .filter(folded__in=[name.lower() for name in names])
            .values_list("pk", "folded")
        ):
            found.setdefault(folded, []).append(pk)
        unknown = [name for name in names if name.lower() not in found]
        if unknown:
            raise forms.ValidationError(
                f"No organization is named {', '.join(unknown)}.", code="unknown_organization"
            )
        ambiguous = [name for name in names if len(found[name.lower()]) > 1]
        if ambiguous:
            raise forms.ValidationError(
                f"Several organizations are named {', '.join(ambiguous)}.", code="ambiguous"
            )
        return sorted({found[name.lower()][0] for name in names})

    def rule_spec(self) -> RuleSpec:
        data = self.cleaned_data
        rank = data.get("minimum_tier")
        return RuleSpec.of(
            effect=data.get("effect") or Effect.INCLUDE,
            minimum_tier_rank=int(rank) if rank else None,
            **{
                Dimension.TIER.value: data.get("tiers") or [],
                Dimension.REGION.value: data.get("regions") or [],
                Dimension.COUNTRY.value: data.get("countries") or [],
                Dimension.SPECIALIZATION.value: data.get("specializations") or [],
                Dimension.BUSINESS_MODEL.value: data.get("business_models") or [],
                Dimension.JOB_ROLE.value: data.get("job_roles") or [],
                Dimension.LOCALE.value: data.get("locales") or [],
                Dimension.ORGANIZATION.value: data.get("organizations") or [],
            },
        )


RuleFormSet = formset_factory(RuleForm, extra=0, can_delete=True, max_num=50, absolute_max=50)


def rule_initial(
    *,
    effect: str,
    minimum_tier_rank: int | None,
    criteria: dict[str, list[str]],
    organization_names: dict[str, str],
) -> dict[str, Any]:
    """A stored rule as the rule form's initial data."""
    return {
        "effect": effect,
        "minimum_tier": str(minimum_tier_rank) if minimum_tier_rank else "",
        "tiers": criteria.get(Dimension.TIER, []),
        "regions": criteria.get(Dimension.REGION, []),
        "countries": ", ".join(criteria.get(Dimension.COUNTRY, [])),
        "specializations": criteria.get(Dimension.SPECIALIZATION, []),
        "business_models": criteria.get(Dimension.BUSINESS_MODEL, []),
        "job_roles": criteria.get(Dimension.JOB_ROLE, []),
        "locales": criteria.get(Dimension.LOCALE, []),
        "organizations": "\n".join(
            organization_names.get(v, v) for v in criteria.get(Dimension.ORGANIZATION, [])
        ),
    }


# --- persona preview ----------------------------------------------------------------------------


class PersonaForm(PageForm):
    """A partner persona to preview the catalog as. A real organization, when given, brings its
    own tier, region, country, specializations and business model, as for a real person."""

    required_css_class = ""

    organization = forms.CharField(
        label="A real organization (optional)",
        required=False,
        max_length=200,
        help_text="Its exact name. Its tier, region, country, specializations and business "
        "model are then used instead of the choices below.",
    )
    tier = forms.ChoiceField(label="Tier", required=False)
    region = forms.ChoiceField(label="Region", required=False)
    country = forms.CharField(
        label="Country",
        required=False,
        max_length=2,
        help_text="Two-letter code, e.g. FR.",
        widget=forms.TextInput(attrs={"size": 2, "autocapitalize": "characters"}),
    )
    specializations = forms.MultipleChoiceField(
        label="Specializations", required=False, widget=forms.CheckboxSelectMultiple
    )
    business_model = forms.ChoiceField(
        label="Business model",
        required=False,
        choices=[("", "Not set"), *BusinessModel.choices],
    )
    job_role = forms.ChoiceField(
        label="Job role", required=False, choices=[("", "Not set"), *JobRole.choices]
    )
    locale = forms.ChoiceField(label="Language", required=False, choices=LANGUAGE_CHOICES)
    # Shown beside the results (the search box belongs to this form by its form attribute).
    q = forms.CharField(
        label="Search as this persona",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "form": "persona"}),
    )

    def __init__(
        self,
        *args: Any,
        tiers: list[Tier],
        regions: list[Region],
        specializations: list[Specialization],
        default_locale: str,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.tiers = {str(t.pk): t for t in tiers}
        self.regions = {str(r.pk): r for r in regions}
        _set_choices(self, "tier", [("", "No tier"), *[(k, t.name) for k, t in self.tiers.items()]])
        _set_choices(
            self, "region", [("", "No region"), *[(k, r.name) for k, r in self.regions.items()]]
        )
        _set_choices(self, "specializations", [(str(s.pk), s.name) for s in specializations])
        self.fields["locale"].initial = default_locale
        self.default_locale = default_locale
        self.real_organization: PartnerOrganization | None = None

    def clean_country(self) -> str:
        value = (self.cleaned_data.get("country") or "").strip().upper()
        if value and not _COUNTRY.match(value):
            raise forms.ValidationError("Use a two-letter code such as FR.", code="invalid")
        return value

    def clean_organization(self) -> str:
        name = (self.cleaned_data.get("organization") or "").strip()
        if not name:
            return ""
        matches = list(
            PartnerOrganization.objects.filter(name__iexact=name)
            .select_related("tier")
            .prefetch_related("specializations")[:2]
        )
        if len(matches) == 1:
            self.real_organization = matches[0]
            return name
        if len(matches) > 1:
            raise forms.ValidationError(
                "Several organizations have this name.", code="ambiguous_organization"
            )
        similar = list(
            PartnerOrganization.objects.filter(name__icontains=name)
            .order_by("name")
            .values_list("name", flat=True)[:5]
        )
        hint = f" Did you mean: {', '.join(similar)}?" if similar else ""
        raise forms.ValidationError(
            f"No organization is named “{name}”.{hint}", code="unknown_organization"
        )

    def viewer(self) -> Viewer:
        """The persona as audience rules judge it (an organization id of 0 is nobody's)."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        locale = data.get("locale") or self.default_locale
        job_role = data.get("job_role") or ""
        organization = self.real_organization
        if organization is not None:
            tier = organization.tier
            return Viewer(
                organization_id=organization.pk,
                tier_id=organization.tier_id,
                tier_rank=tier.rank if tier else None,
                region_id=organization.region_id,
                country=organization.country,
                specialization_ids=frozenset(s.pk for s in organization.specializations.all()),
                business_model=organization.business_model,
                job_role=job_role,
                locale=locale,
            )
        chosen_tier = self.tiers.get(data.get("tier") or "")
        chosen_region = self.regions.get(data.get("region") or "")
        return Viewer(
            organization_id=0,
            tier_id=chosen_tier.pk if chosen_tier else None,
            tier_rank=chosen_tier.rank if chosen_tier else None,
            region_id=chosen_region.pk if chosen_region else None,
            country=data.get("country") or "",
            specialization_ids=frozenset(int(pk) for pk in data.get("specializations") or []),
            business_model=data.get("business_model") or "",
            job_role=job_role,
            locale=locale,
        )

    def description(self) -> str:
        """The persona in words, for the page's heading."""
        viewer = self.viewer()
        who = (
            f"someone at {self.real_organization.name}"
            if self.real_organization is not None
            else "a partner person"
        )
        tier = next((t for t in self.tiers.values() if t.pk == viewer.tier_id), None)
        region = next((r for r in self.regions.values() if r.pk == viewer.region_id), None)
        traits = [f"{tier.name} tier" if tier else "no tier"]
        if region:
            traits.append(region.name)
        if viewer.country:
            traits.append(viewer.country)
        if viewer.business_model:
            traits.append(str(BusinessModel(viewer.business_model).label).lower())
        if viewer.job_role:
            traits.append(f"{str(JobRole(viewer.job_role).label).lower()} role")
        traits.append(f"reading {dict(LANGUAGE_CHOICES).get(viewer.locale, viewer.locale)}")
        return f"{who} ({', '.join(traits)})"
