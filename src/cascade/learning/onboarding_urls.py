"""Onboarding programs: the vendor's phases and milestones, and who is on track, at risk or late."""

from django.urls import URLPattern, path

from cascade.learning.views import onboarding

urlpatterns: list[URLPattern] = [
    # The vendor's programs.
    path("", onboarding.onboarding_programs, name="onboarding-programs"),
    path("new/", onboarding.onboarding_program_create, name="onboarding-program-create"),
    path("<int:program_id>/", onboarding.onboarding_program, name="onboarding-program"),
    path("<int:program_id>/phases/", onboarding.onboarding_phase_add, name="onboarding-phase-add"),
    path("<int:program_id>/status/", onboarding.onboarding_status, name="onboarding-status"),
    path("phases/<int:phase_id>/", onboarding.onboarding_phase, name="onboarding-phase"),
    path(
        "phases/<int:phase_id>/remove/",
        onboarding.onboarding_phase_remove,
        name="onboarding-phase-remove",
    ),
    path(
        "phases/<int:phase_id>/milestones/",
        onboarding.onboarding_milestone_add,
        name="onboarding-milestone-add",
    ),
    path(
        "milestones/<int:milestone_id>/remove/",
        onboarding.onboarding_milestone_remove,
        name="onboarding-milestone-remove",
    ),
    # People's onboarding: a partner manager's people, or the program's for vendor staff.
    path("people/", onboarding.onboarding_people_page, name="onboarding-people"),
    path("people/<int:membership_id>/", onboarding.onboarding_person, name="onboarding-person"),
    # One's own.
    path("mine/", onboarding.onboarding_mine, name="onboarding-mine"),
]
