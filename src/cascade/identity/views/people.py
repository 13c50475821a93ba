""" "My people": a partner admin's or manager's people, in their organization and below it.

Partner admins approve or decline registrations, invite colleagues (partner roles only), change
roles and end memberships; partner managers see the same list read-only. Vendor staff use the
organization pages instead, so this page does not exist for them.
"""

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
from cascade.identity.forms import (
    ColleagueInvitationForm,
    DeclineForm,
    MembershipEndForm,
    MembershipForm,
    PeopleFilterForm,
)
from cascade.identity.models import InvitationStatus, Membership, MembershipStatus
from cascade.tenancy.models import PartnerOrganization
from cascade.tenancy.selectors import organization_get, organization_list
from cascade.web.pages import act, actor_of, form_error, page

PAGE_SIZE = 25
# Newest first walks the membership index backwards and stops after a page, however many people
# a distributor has below it; name order must sort every matching row, so it is a choice.
ORDERINGS = {"newest": ("-id",), "name": ("person__full_name", "id")}
PENDING_INVITATIONS_SHOWN = 20


def _own_organization(actor: Actor) -> PartnerOrganization:
    """Partner people pages are about the actor's own organization; vendor staff have none."""
    require(actor, Action.PEOPLE_VIEW)
    organization = actor.membership.organization if actor.membership is not None else None
    if organization is None or not actor.is_member:
        raise NotFound("This page is for partner organizations.", code="not_partner")
    return organization


@page
def partner_people(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    organization = _own_organization(actor)
    bound = any(key in request.GET for key in ("q", "status", "role", "job_role", "sort"))
    form = PeopleFilterForm(request.GET if bound else None, initial={"status": "active"})
    status = MembershipStatus.ACTIVE.value
    data: dict[str, str] = {}
    if bound and form.is_valid():
        data = form.cleaned_data
        status = data["status"]
    # The visibility policy already limits the list to the organization and those below it.
    filters = selectors.MembershipFilters(
        status=status or None,
        role=data.get("role") or None,
        job_role=data.get("job_role") or None,
        q=(data.get("q") or "").strip() or None,
    )
    people = keyset_page(
        selectors.membership_list(actor=actor, filters=filters),
        ordering=ORDERINGS.get(data.get("sort") or "newest", ORDERINGS["newest"]),
        cursor=request.GET.get("cursor") or None,
        limit=PAGE_SIZE,
    )
    query = request.GET.copy()
    query.pop("cursor", None)
    context = {
        "form": form,
        "people": people,
        "query": query.urlencode(),
        "can_manage": can(actor, Action.MEMBERSHIP_MANAGE, organization),
        "decline_form": DeclineForm(),
        "appending": bool(request.GET.get("cursor")),
    }
    if getattr(request, "htmx", False):
        template = (
            "identity/_people_rows.html"
            if context["appending"]
            else "identity/_people_results.html"
        )
        return render(request, template, context)
    context["pending_count"] = selectors.pending_registrations(actor=actor).count()
    context["invitations"] = list(
        selectors.invitation_list(actor=actor, status=InvitationStatus.PENDING).order_by("-id")[
            :PENDING_INVITATIONS_SHOWN
        ]
    )
    return render(request, "identity/partner_people.html", context)


@page
@require_http_methods(["GET", "POST"])
def partner_invite(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    require(actor, Action.INVITATION_CREATE, _own_organization(actor))
    organizations = organization_list(actor=actor).order_by("depth", "name", "id")
    form = ColleagueInvitationForm(
        request.POST if request.method == "POST" else None,
        organizations=organizations,
        initial={"organization": str(actor.organization_id)},
    )
    if request.method == "POST" and form.is_valid():
        try:
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
            return redirect("web:partner-people")
    return render(request, "identity/partner_invite.html", {"form": form})


def _partner_membership(request: HttpRequest, membership_id: int) -> tuple[Actor, Membership]:
    actor = actor_of(request)
    _own_organization(actor)
    return actor, selectors.membership_get(actor=actor, membership_id=membership_id)


@page
@require_http_methods(["GET", "POST"])
def partner_membership(request: HttpRequest, membership_id: int) -> HttpResponse:
    """One person's membership: change roles and job role, or end it."""
    actor, membership = _partner_membership(request, membership_id)
    form = MembershipForm(
        request.POST if request.method == "POST" else None,
        initial={"roles": membership.role_list, "job_role": membership.job_role},
    )
    if request.method == "POST":
        require(actor, Action.MEMBERSHIP_MANAGE, membership)
        if form.is_valid():
            try:
                services.membership_update(
                    actor=actor,
                    membership=membership,
                    roles=form.cleaned_data["roles"],
                    job_role=form.cleaned_data["job_role"],
                )
            except DomainError as error:
                form_error(form, error)
            else:
                messages.success(request, f"{membership.person} is updated.")
                return redirect("web:partner-membership", membership_id=membership.pk)
    history = selectors.person_memberships(actor=actor, person_id=membership.person_id)
    return render(
        request,
        "identity/partner_membership.html",
        {
            "membership": membership,
            "form": form,
            "end_form": MembershipEndForm(),
            "can_manage": can(actor, Action.MEMBERSHIP_MANAGE, membership),
            "history": history,
        },
    )


@page
@require_POST
def partner_membership_end(request: HttpRequest, membership_id: int) -> HttpResponse:
    actor, membership = _partner_membership(request, membership_id)
    form = MembershipEndForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return act(
        request,
        lambda: services.membership_end(actor=actor, membership=membership, reason=reason),
        success=f"{membership.person}'s membership has ended.",
        redirect_to=reverse("web:partner-people"),
    )


@page
@require_POST
def partner_membership_approve(request: HttpRequest, membership_id: int) -> HttpResponse:
    actor, membership = _partner_membership(request, membership_id)
    return act(
        request,
        lambda: services.membership_approve(actor=actor, membership=membership),
        success=f"{membership.person} can now sign in and learn.",
        redirect_to=reverse("web:partner-people") + "?status=pending",
    )


@page
@require_POST
def partner_membership_decline(request: HttpRequest, membership_id: int) -> HttpResponse:
    actor, membership = _partner_membership(request, membership_id)
    form = DeclineForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return act(
        request,
        lambda: services.membership_reject(actor=actor, membership=membership, reason=reason),
        success=f"{membership.person}'s registration was declined.",
        redirect_to=reverse("web:partner-people") + "?status=pending",
    )
