"""Forms for the identity pages. They only parse and label input: rules live in the services."""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.db.models import QuerySet

from cascade.access.actor import Scope
from cascade.identity.models import MembershipStatus, Person
from cascade.identity.roles import PARTNER_ROLES, JobRole, Role
from cascade.tenancy.models import PartnerOrganization


class PageForm(forms.Form):
    """Cascade's form defaults: no colon after labels, a class on required fields."""

    required_css_class = "required"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class SignInForm(AuthenticationForm):
    username = forms.EmailField(
        label="E-mail address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": "That e-mail address and password do not match an account. "
        "Check both and try again.",
        "inactive": "This account is disabled.",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.label_suffix = ""

    def clean(self) -> dict[str, Any]:
        """Authenticate with the credential named after the user model's USERNAME_FIELD
        ("email"): django-axes reads that key to count failures per address and client.
        Addresses are stored in lower case, so "Ada@X.example" is the same account (and the
        same failure count) as "ada@x.example"."""
        email = (self.cleaned_data.get("username") or "").strip().lower() or None
        self.cleaned_data["username"] = email
        password = self.cleaned_data.get("password")
        if email is not None and password:
            self.user_cache = authenticate(self.request, email=email, password=password)
            if self.user_cache is None:
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class ResetPasswordForm(PasswordResetForm):
    """Also reaches people who never chose a password (added by an admin, they set one here)."""

    email = forms.EmailField(
        label="E-mail address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.label_suffix = ""

    def get_users(self, email: str) -> Iterable[Any]:
        return Person.objects.filter(email__iexact=email, is_active=True)


def _password_field(label: str, autocomplete: str = "new-password") -> forms.CharField:
    return forms.CharField(
        label=label,
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": autocomplete}),
    )


class NewPasswordMixin(forms.Form):
    password = _password_field("Password")
    password_again = _password_field("Password again")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("password")
            and data.get("password_again")
            and data["password"] != data["password_again"]
        ):
            self.add_error("password_again", "The two passwords are not the same.")
        return data


class RegistrationForm(PageForm, NewPasswordMixin):
    full_name = forms.CharField(
        label="Full name", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = forms.EmailField(
        label="Work e-mail address",
        max_length=254,
        help_text="Use your address at your company: it tells us which partner you work for.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    job_role = forms.ChoiceField(label="Job role", choices=JobRole.choices, initial=JobRole.OTHER)
    password = _password_field("Password")
    password_again = _password_field("Password again")

    field_order = ["full_name", "email", "job_role", "password", "password_again"]


class InvitationAcceptForm(PageForm, NewPasswordMixin):
    full_name = forms.CharField(
        label="Full name", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    password = _password_field("Choose a password")
    password_again = _password_field("Password again")

    field_order = ["full_name", "password", "password_again"]


@lru_cache(maxsize=1)
def _time_zones() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


class ProfileForm(PageForm):
    full_name = forms.CharField(
        label="Full name", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    preferred_locale = forms.ChoiceField(label="Language", required=False)
    time_zone = forms.ChoiceField(label="Time zone")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["preferred_locale"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "The program's language"), *settings.LANGUAGES]
        zone_field = self.fields["time_zone"]
        assert isinstance(zone_field, forms.ChoiceField)
        zone_field.choices = _time_zones()


class ApiTokenForm(PageForm):
    name = forms.CharField(
        label="Token name",
        max_length=100,
        help_text="Say where you will use it, e.g. \u201cCRM sync\u201d.",
    )
    scopes = forms.MultipleChoiceField(
        label="What the token may do",
        choices=[(scope.value, scope.value) for scope in Scope],
        widget=forms.CheckboxSelectMultiple,
        help_text="A token never does more than your own role allows.",
    )
    expires_on = forms.DateField(
        label="Expires on",
        required=False,
        help_text="Optional. Leave empty for a token that works until you revoke it.",
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class PeopleFilterForm(PageForm):
    q = forms.CharField(label="Search name or e-mail", required=False, max_length=200)
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Any status"), *MembershipStatus.choices],
    )
    role = forms.ChoiceField(
        label="Role",
        required=False,
        choices=[("", "Any role")] + [(r.value, r.label) for r in Role if r in PARTNER_ROLES],
    )
    job_role = forms.ChoiceField(
        label="Job role", required=False, choices=[("", "Any job role"), *JobRole.choices]
    )
    sort = forms.ChoiceField(
        label="Order",
        required=False,
        choices=[("newest", "Newest first"), ("name", "Name, A to Z")],
    )


def _organization_choices(
    organizations: QuerySet[PartnerOrganization],
) -> list[tuple[str, str]]:
    return [(str(pk), name) for pk, name in organizations.values_list("pk", "name")]


class ColleagueInvitationForm(PageForm):
    """A partner admin invites a colleague into their organization or one below it."""

    email = forms.EmailField(label="E-mail address", max_length=254)
    organization = forms.ChoiceField(label="Organization")
    roles = forms.MultipleChoiceField(
        label="Roles",
        choices=[(r.value, r.label) for r in Role if r in PARTNER_ROLES],
        widget=forms.CheckboxSelectMultiple,
        initial=[Role.LEARNER.value],
    )
    job_role = forms.ChoiceField(label="Job role", choices=JobRole.choices, initial=JobRole.OTHER)
    message = forms.CharField(
        label="Personal message",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Optional. Added to the invitation e-mail.",
    )

    def __init__(
        self, *args: Any, organizations: QuerySet[PartnerOrganization], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = _organization_choices(organizations)


class StaffInvitationForm(PageForm):
    """Vendor staff invite a partner admin (or other partner role) or a colleague on staff."""

    email = forms.EmailField(label="E-mail address", max_length=254)
    organization = forms.ChoiceField(
        label="Joins",
        required=False,
        help_text="Choose a partner organization, or the vendor team for a staff member.",
    )
    roles = forms.MultipleChoiceField(
        label="Roles",
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Partner roles for a partner organization; vendor roles for the vendor team.",
    )
    job_role = forms.ChoiceField(label="Job role", choices=JobRole.choices, initial=JobRole.OTHER)
    message = forms.CharField(
        label="Personal message",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self, *args: Any, organizations: QuerySet[PartnerOrganization], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "The vendor team (staff)"), *_organization_choices(organizations)]


class MembershipForm(PageForm):
    roles = forms.MultipleChoiceField(
        label="Roles",
        choices=[(r.value, r.label) for r in Role if r in PARTNER_ROLES],
        widget=forms.CheckboxSelectMultiple,
    )
    job_role = forms.ChoiceField(label="Job role", choices=JobRole.choices)


class MembershipEndForm(PageForm):
    reason = forms.CharField(
        label="Reason",
        required=False,
        max_length=200,
        help_text="Optional. Kept in the person's history, e.g. \u201cLeft the company\u201d.",
    )


class DeclineForm(PageForm):
    reason = forms.CharField(label="Reason", required=False, max_length=200)
