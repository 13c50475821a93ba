"""The vendor team's invitations page: who was invited where, and invite, re-send or revoke."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from cascade.access.actor import Actor
from cascade.access.policies import Action, can, require
from cascade.core.errors import DomainError, NotFound
from cascade.core.pagination import keyset_page
from cascade.identity import selectors, services
from cascade.identity.forms import StaffInvitationForm
from cascade.identity.models import InvitationStatus
from cascade.tenancy.models import PartnerOrganization
from cascade.tenancy.selectors import organization_get, organization_list
from cascade.web.pages import act, actor_of, form_error, page

PAGE_SIZE = 50
NEWEST_FIRST = ("-id",)


def _vendor_staff(actor: Actor) -> None:
    require(actor, Action.PEOPLE_VIEW)
    if not actor.is_vendor_staff:
        raise NotFound("This page is for the vendor team.", code="not_vendor_staff")


@page
@require_http_methods(["GET", "POST"])
def invitation_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    _vendor_staff(actor)
    organizations = organization_list(actor=actor).order_by("name", "id")
    form = StaffInvitationForm(
        request.POST if request.method == "POST" else None, organizations=organizations
    )
    if request.method == "POST":
        require(actor, Action.INVITATION_CREATE)
        if form.is_valid():
            try:
                organization: PartnerOrganization | None = None
                if form.cleaned_data["organization"]:
                    organization = organization_get(
                        actor=actor, organization_id=int(form.cleaned_data["organization"])
                    )
                invitation = services.invitation_create(
                    actor=actor,
                    email=form.cleaned_data["email"],
                    organization=organization,
                    roles=form.cleaned_data["roles"],
                    job_role=form.cleaned_data["job_role"],
                    message=form.cleaned_data["message"],
                )
            except DomainError as error:
                form_error(form, error)
            else:
                messages.success(request, f"Invitation sent to {invitation.email}.")
                return redirect("web:invitation-list")
    shown = request.GET.get("status", InvitationStatus.PENDING.value)
    if shown not in InvitationStatus.values:
        shown = ""
    invitations = keyset_page(
        selectors.invitation_list(actor=actor, status=shown or None),
        ordering=NEWEST_FIRST,
        cursor=request.GET.get("cursor") or None,
        limit=PAGE_SIZE,
    )
    return render(
        request,
        "identity/invitation_list.html",
        {
            "form": form,
            "invitations": invitations,
            "shown": shown,
            "statuses": InvitationStatus.choices,
            "can_invite": can(actor, Action.INVITATION_CREATE),
        },
    )


@page
@require_POST
def invitation_resend(request: HttpRequest, invitation_id: int) -> HttpResponse:
    actor = actor_of(request)
    invitation = selectors.invitation_get(actor=actor, invitation_id=invitation_id)
    return act(
        request,
        lambda: services.invitation_resend(actor=actor, invitation=invitation),
        success=f"A new link was sent to {invitation.email}; older links no longer work.",
        redirect_to=reverse("web:invitation-list"),
    )


@page
@require_POST
def invitation_revoke(request: HttpRequest, invitation_id: int) -> HttpResponse:
    actor = actor_of(request)
    invitation = selectors.invitation_get(actor=actor, invitation_id=invitation_id)
    return act(
        request,
        lambda: services.invitation_revoke(actor=actor, invitation=invitation),
        success=f"The invitation to {invitation.email} was withdrawn.",
        redirect_to=reverse("web:invitation-list"),
    )
