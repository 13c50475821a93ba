"""The navigation each actor sees: what their roles let them use, nothing more."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import URLPattern, reverse

from cascade.access.actor import Actor
from cascade.access.policies import Action, can, manages_partner_people
from cascade.assessments import authoring_urls as assessment_urls
from cascade.assessments import grading_urls as exam_grading_urls
from cascade.assessments import learner_urls as exam_urls
from cascade.catalog import learner_urls, studio_media_urls, studio_urls
from cascade.learning import onboarding_urls, program_urls, team_urls

PROGRAM_STRUCTURE_PAGES = (
    "program-structure",
    "program-settings",
    "tier-create",
    "tier-edit",
    "region-create",
    "region-edit",
    "specialization-create",
    "specialization-edit",
)


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    # URL names (in the "web" namespace) under which this item is the current page.
    sections: tuple[str, ...]

    def is_current(self, url_name: str | None) -> bool:
        return url_name is not None and url_name in self.sections


def _names(patterns: list[URLPattern]) -> tuple[str, ...]:
    return tuple(str(p.name) for p in patterns if p.name)


def navigation_for(actor: Actor | None) -> list[NavItem]:
    if actor is None or not actor.is_member:
        return []
    items = [NavItem("Home", reverse("web:home"), ("home",))]
    if can(actor, Action.CATALOG_BROWSE):
        items.append(NavItem("Catalog", reverse("web:catalog"), _names(learner_urls.urlpatterns)))
    if can(actor, Action.CATALOG_STUDIO_VIEW):
        items.append(
            NavItem(
                "Studio",
                reverse("web:studio"),
                _names([*studio_urls.urlpatterns, *studio_media_urls.urlpatterns]),
            )
        )
    if can(actor, Action.ASSESSMENT_TAKE):
        items.append(NavItem("Exams", reverse("web:exams"), _names(exam_urls.urlpatterns)))
    if can(actor, Action.ASSESSMENT_GRADE):
        items.append(
            NavItem("Grading", reverse("web:grading-queue"), _names(exam_grading_urls.urlpatterns))
        )
    if can(actor, Action.ASSESSMENT_VIEW):
        items.append(
            NavItem(
                "Assessments",
                reverse("web:assessments"),
                _names(assessment_urls.urlpatterns),
            )
        )
    if manages_partner_people(actor):
        items.append(
            NavItem(
                "My people",
                reverse("web:partner-people"),
                ("partner-people", "partner-invite", "partner-membership"),
            )
        )
        items.append(
            NavItem("Team learning", reverse("web:team-learning"), _names(team_urls.urlpatterns))
        )
        items.append(
            NavItem(
                "Onboarding",
                reverse("web:onboarding-people"),
                ("onboarding-people", "onboarding-person"),
            )
        )
    organization = actor.membership.organization if actor.membership is not None else None
    if organization is not None and can(actor, Action.ORGANIZATION_UPDATE_SETTINGS, organization):
        items.append(
            NavItem("Organization settings", reverse("web:partner-settings"), ("partner-settings",))
        )
    if actor.is_vendor_staff:
        items.append(
            NavItem(
                "Partner organizations",
                reverse("web:organization-list"),
                (
                    "organization-list",
                    "organization-create",
                    "organization-detail",
                    "organization-edit",
                ),
            )
        )
        items.append(
            NavItem("Program structure", reverse("web:program-structure"), PROGRAM_STRUCTURE_PAGES)
        )
        items.append(NavItem("Invitations", reverse("web:invitation-list"), ("invitation-list",)))
        if can(actor, Action.LEARNING_PROGRESS_VIEW):
            items.append(
                NavItem(
                    "Learning", reverse("web:program-learning"), _names(program_urls.urlpatterns)
                )
            )
        if can(actor, Action.ONBOARDING_VIEW):
            items.append(
                NavItem(
                    "Onboarding",
                    reverse("web:onboarding-programs"),
                    tuple(n for n in _names(onboarding_urls.urlpatterns) if n != "onboarding-mine"),
                )
            )
        if can(actor, Action.AUDIT_VIEW):
            items.append(NavItem("Audit log", reverse("web:audit-log"), ("audit-log",)))
    return items
