"""The home page: one per kind of actor, each showing what that role works with."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cascade.access.policies import manages_partner_people
from cascade.identity.models import MembershipStatus
from cascade.identity.roles import Role
from cascade.learning.selectors import learner_home
from cascade.web import selectors
from cascade.web.pages import actor_of, page

# What each vendor role will find on its home page once the later capabilities land.
VENDOR_ROLE_PLACEHOLDERS = {
    Role.CONTENT_AUTHOR: "Courses and learning paths you author will appear here.",
    Role.REVIEWER: "Content waiting for your review will appear here.",
    Role.ANALYST: "Program metrics, readiness and exports will appear here.",
    Role.CHANNEL_ACCOUNT_MANAGER: "Your partners' readiness and certifications will appear here.",
}


@page
def home(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    membership = actor.membership
    if membership is None:
        return render(request, "web/home_no_membership.html")
    if membership.status == MembershipStatus.PENDING:
        return render(request, "web/home_pending.html", {"membership": membership})
    if actor.is_vendor_staff:
        placeholders = [
            text for role, text in VENDOR_ROLE_PLACEHOLDERS.items() if actor.has_role(role)
        ]
        return render(
            request,
            "web/home_vendor.html",
            {"summary": selectors.vendor_home(actor=actor), "placeholders": placeholders},
        )
    if manages_partner_people(actor):
        return render(
            request,
            "web/home_partner.html",
            {
                "summary": selectors.partner_home(actor=actor),
                "is_admin": actor.has_role(Role.PARTNER_ADMIN),
                # Partner managers learn too.
                "learning": learner_home(actor),
            },
        )
    return render(
        request,
        "web/home_learner.html",
        {
            "organization": membership.organization,
            "learning": learner_home(actor),
        },
    )
