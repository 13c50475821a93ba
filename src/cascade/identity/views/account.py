"""Pages about one's own account: registering, accepting an invitation, the profile and tokens."""

from __future__ import annotations

from datetime import datetime, time

from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from cascade.core.errors import DomainError
from cascade.identity import selectors, services
from cascade.identity.forms import (
    ApiTokenForm,
    InvitationAcceptForm,
    ProfileForm,
    RegistrationForm,
)
from cascade.identity.models import Person, TokenKind
from cascade.notifications.selectors import notification_preferences
from cascade.web.pages import act, actor_of, form_error, page, tenant_of
from cascade.web.selectors import personal_token_list

# Used when signing someone in right after they created their account here.
PASSWORD_BACKEND = "django.contrib.auth.backends.ModelBackend"


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    """Self-registration: the person lands as a pending member of the partner owning their
    e-mail domain, until a partner admin approves them."""
    if request.user.is_authenticated:
        return redirect("web:home")
    form = RegistrationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.registration_submit(
                tenant=tenant_of(request),
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password"],
                job_role=form.cleaned_data["job_role"],
            )
        except DomainError as error:
            form_error(form, error)
        else:
            request.session["registered_organization"] = str(membership.organization)
            return redirect("web:register-done")
    return render(request, "identity/register.html", {"form": form})


def register_done(request: HttpRequest) -> HttpResponse:
    organization = request.session.pop("registered_organization", "")
    return render(request, "identity/register_done.html", {"organization": organization})


@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """Who invites whom to what; a new person chooses a name and password, an existing one must
    be signed in as the invited address."""
    tenant = tenant_of(request)
    try:
        lookup = services.invitation_from_token(tenant=tenant, token=token)
    except DomainError as error:
        return render(
            request, "identity/invitation_unavailable.html", {"error": error}, status=error.status
        )
    signed_in = request.user if isinstance(request.user, Person) else None
    invitation = lookup.invitation
    form = None
    if lookup.existing_person is None and signed_in is None:
        form = InvitationAcceptForm(request.POST if request.method == "POST" else None)
    wrong_account = signed_in is not None and signed_in.email.lower() != invitation.email.lower()
    if request.method == "POST" and not wrong_account and (form is None or form.is_valid()):
        try:
            membership = services.invitation_accept(
                tenant=tenant,
                token=token,
                signed_in=signed_in,
                full_name=form.cleaned_data["full_name"] if form else "",
                password=form.cleaned_data["password"] if form else "",
            )
        except DomainError as error:
            if form is None:
                messages.error(request, error.message)
            else:
                form_error(form, error)
        else:
            if signed_in is None:
                login(request, membership.person, backend=PASSWORD_BACKEND)
            where = membership.organization or f"the {tenant.name} team"
            messages.success(request, f"Welcome! You are now a member of {where}.")
            return redirect("web:home")
    return render(
        request,
        "identity/invitation_accept.html",
        {
            "invitation": invitation,
            "existing_person": lookup.existing_person,
            "signed_in": signed_in,
            "wrong_account": wrong_account,
            "form": form,
            "token": token,
        },
    )


def _profile_context(request: HttpRequest, **extra: object) -> dict[str, object]:
    actor = actor_of(request)
    person = request.user
    assert isinstance(person, Person)
    context: dict[str, object] = {
        "preferences": notification_preferences(person=person),
        "tokens": personal_token_list(actor=actor) if actor.is_member else None,
        "token_form": ApiTokenForm(),
        "now": timezone.now(),
        "profile_form": ProfileForm(
            initial={
                "full_name": person.full_name,
                "preferred_locale": person.preferred_locale,
                "time_zone": person.time_zone,
            }
        ),
    }
    context.update(extra)
    return context


@page
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    person = request.user
    assert isinstance(person, Person)
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            try:
                services.profile_update(
                    person=person,
                    full_name=form.cleaned_data["full_name"],
                    preferred_locale=form.cleaned_data["preferred_locale"],
                    time_zone=form.cleaned_data["time_zone"],
                )
            except DomainError as error:
                person.refresh_from_db()
                form_error(form, error)
            else:
                messages.success(request, "Your profile is saved.")
                return redirect("web:profile")
        return render(
            request, "identity/profile.html", _profile_context(request, profile_form=form)
        )
    return render(request, "identity/profile.html", _profile_context(request))


@page
@require_POST
def api_token_create(request: HttpRequest) -> HttpResponse:
    """Create a personal token and show its secret, once: only a digest is kept."""
    actor = actor_of(request)
    form = ApiTokenForm(request.POST)
    issued = None
    if form.is_valid():
        expires_on = form.cleaned_data["expires_on"]
        try:
            issued = services.api_token_create(
                actor=actor,
                kind=TokenKind.PERSONAL,
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                expires_at=timezone.make_aware(datetime.combine(expires_on, time(23, 59)))
                if expires_on
                else None,
            )
        except DomainError as error:
            form_error(form, error, {"expires_at": "expires_on"})
    response = render(
        request,
        "identity/profile.html",
        _profile_context(request, issued=issued, token_form=ApiTokenForm() if issued else form),
    )
    response["Cache-Control"] = "no-store"
    return response


@page
@require_POST
def api_token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    actor = actor_of(request)
    token = selectors.api_token_get(actor=actor, token_id=token_id)
    return act(
        request,
        lambda: services.api_token_revoke(actor=actor, token=token),
        success=f"The token \u201c{token.name}\u201d no longer works.",
        redirect_to=reverse("web:profile") + "#tokens",
    )
