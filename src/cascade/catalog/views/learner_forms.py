"""The learner catalog's forms: the browse filters and the search box (both GET forms)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings

from cascade.catalog.browse import CatalogFilters, ProductLineOption
from cascade.catalog.item_models import ItemKind
from cascade.catalog.search import MAX_QUERY_LENGTH
from cascade.identity.roles import JobRole
from cascade.tenancy.models import Tenant

DURATIONS = [
    ("5", "5 minutes or less"),
    ("15", "15 minutes or less"),
    ("30", "30 minutes or less"),
    ("60", "1 hour or less"),
    ("120", "2 hours or less"),
]
RECENT = [
    ("new", "New in the last 30 days"),
    ("updated", "Updated in the last 30 days"),
]
# The query-string names of the filters, in the order the form shows them.
FILTER_NAMES = ("kind", "duration", "product", "version", "language", "job_role", "recent")


def language_name(code: str) -> str:
    return str(dict(settings.LANGUAGES).get(code, code))


def tenant_languages(tenant: Tenant) -> list[tuple[str, str]]:
    """The program's content languages: its default first, then the others it supports."""
    known = dict(settings.LANGUAGES)
    codes = [tenant.default_locale, *tenant.supported_locales]
    seen: list[str] = []
    for code in codes:
        if code in known and code not in seen:
            seen.append(code)
    return [(code, str(known[code])) for code in seen]


def version_label(version: Any) -> str:
    if version.legacy and version.current_label:
        return f"{version.label} (legacy: see {version.current_label})"
    return str(version.label)


class CatalogFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label="Type", required=False, choices=[("", "Any type"), *ItemKind.choices]
    )
    duration = forms.ChoiceField(
        label="Duration", required=False, choices=[("", "Any duration"), *DURATIONS]
    )
    product = forms.ChoiceField(label="Product", required=False)
    version = forms.ChoiceField(label="Product version", required=False)
    language = forms.ChoiceField(label="Language", required=False)
    job_role = forms.ChoiceField(
        label="Job role", required=False, choices=[("", "Any job role"), *JobRole.choices]
    )
    recent = forms.ChoiceField(
        label="New or updated", required=False, choices=[("", "Everything"), *RECENT]
    )

    def __init__(
        self,
        *args: Any,
        product_lines: list[ProductLineOption],
        languages: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        product_field = self.fields["product"]
        assert isinstance(product_field, forms.ChoiceField)
        product_field.choices = [("", "Any product")] + [
            (str(line.id), line.name) for line in product_lines
        ]
        version_field = self.fields["version"]
        assert isinstance(version_field, forms.ChoiceField)
        # Versions grouped by product line; legacy ones name the version that replaced them.
        version_field.choices = [("", "Any version")] + [
            (line.name, [(str(v.id), version_label(v)) for v in line.versions])
            for line in product_lines
            if line.versions
        ]
        language_field = self.fields["language"]
        assert isinstance(language_field, forms.ChoiceField)
        language_field.choices = [("", "Any language"), *languages]

    def filters(self) -> CatalogFilters:
        """The filters of a valid form (call after is_valid)."""
        data = self.cleaned_data
        return CatalogFilters(
            kind=data.get("kind") or None,
            max_minutes=int(data["duration"]) if data.get("duration") else None,
            product_line_id=int(data["product"]) if data.get("product") else None,
            product_version_id=int(data["version"]) if data.get("version") else None,
            locale=data.get("language") or None,
            job_role=data.get("job_role") or None,
            recent=data.get("recent") or None,
        )

    def active_count(self) -> int:
        if not self.is_bound or not self.is_valid():
            return 0
        return sum(1 for name in FILTER_NAMES if self.cleaned_data.get(name))


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Search the catalog",
        required=False,
        max_length=MAX_QUERY_LENGTH,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "autocomplete": "off",
                "placeholder": "Titles, descriptions, transcripts",
            }
        ),
        error_messages={"max_length": f"Use at most {MAX_QUERY_LENGTH} characters."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
