"""Every page of the web UI, in the "web" namespace. Pages live in their apps; this is the map."""

from django.urls import include, path

from cascade.assessments import authoring_urls as assessment_urls
from cascade.assessments import grading_urls as exam_grading_urls
from cascade.assessments import learner_urls as exam_urls
from cascade.audit import views as audit_views
from cascade.catalog import learner_urls, studio_media_urls, studio_urls
from cascade.identity.views import account, auth, invitations, people
from cascade.learning import learner_urls as learning_urls
from cascade.learning import onboarding_urls, program_urls, team_urls
from cascade.notifications import views as notification_views
from cascade.tenancy import views as tenancy_views
from cascade.web import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    # Signing in and out, password reset, self-registration.
    path("accounts/sign-in/", auth.sign_in, name="sign-in"),
    path("accounts/sign-out/", auth.sign_out, name="sign-out"),
    path("accounts/password-reset/", auth.password_reset, name="password-reset"),
    path("accounts/password-reset/sent/", auth.password_reset_done, name="password-reset-done"),
    path(
        "accounts/password-reset/<uidb64>/<token>/",
        auth.password_reset_confirm,
        name="password-reset-confirm",
    ),
    path(
        "accounts/password-reset/complete/",
        auth.password_reset_complete,
        name="password-reset-complete",
    ),
    path("accounts/register/", account.register, name="register"),
    path("accounts/register/sent/", account.register_done, name="register-done"),
    # One's own account.
    path("profile/", account.profile, name="profile"),
    path("profile/tokens/", account.api_token_create, name="api-token-create"),
    path(
        "profile/tokens/<int:token_id>/revoke/", account.api_token_revoke, name="api-token-revoke"
    ),
    path(
        "profile/notifications/",
        notification_views.notification_preferences_update,
        name="notification-preferences",
    ),
    path("notifications/", notification_views.notification_list, name="notifications"),
    path(
        "notifications/read/", notification_views.notification_mark_read, name="notifications-read"
    ),
    # Invitations: the vendor team's list, and the link an invitee opens.
    path("invitations/", invitations.invitation_list, name="invitation-list"),
    path(
        "invitations/<int:invitation_id>/resend/",
        invitations.invitation_resend,
        name="invitation-resend",
    ),
    path(
        "invitations/<int:invitation_id>/revoke/",
        invitations.invitation_revoke,
        name="invitation-revoke",
    ),
    path("invitations/<str:token>/", account.invitation_accept, name="invitation-accept"),
    # Partner organizations.
    path("organizations/", tenancy_views.organization_list, name="organization-list"),
    path("organizations/new/", tenancy_views.organization_create, name="organization-create"),
    path(
        "organizations/parent-options/",
        tenancy_views.organization_parent_options,
        name="organization-parent-options",
    ),
    path(
        "organizations/<int:organization_id>/",
        tenancy_views.organization_detail,
        name="organization-detail",
    ),
    path(
        "organizations/<int:organization_id>/edit/",
        tenancy_views.organization_edit,
        name="organization-edit",
    ),
    # The program structure: tiers, regions, specializations.
    path("program/", tenancy_views.program_structure, name="program-structure"),
    path("program/settings/", tenancy_views.program_settings, name="program-settings"),
    path("program/tiers/new/", tenancy_views.tier_create, name="tier-create"),
    path("program/tiers/<int:tier_id>/", tenancy_views.tier_edit, name="tier-edit"),
    path("program/tiers/<int:tier_id>/delete/", tenancy_views.tier_delete, name="tier-delete"),
    path("program/regions/new/", tenancy_views.region_create, name="region-create"),
    path("program/regions/<int:region_id>/", tenancy_views.region_edit, name="region-edit"),
    path(
        "program/regions/<int:region_id>/delete/",
        tenancy_views.region_delete,
        name="region-delete",
    ),
    path(
        "program/specializations/new/",
        tenancy_views.specialization_create,
        name="specialization-create",
    ),
    path(
        "program/specializations/<int:specialization_id>/",
        tenancy_views.specialization_edit,
        name="specialization-edit",
    ),
    path(
        "program/specializations/<int:specialization_id>/delete/",
        tenancy_views.specialization_delete,
        name="specialization-delete",
    ),
    # A partner admin's own organization settings.
    path("partner/settings/", tenancy_views.organization_settings, name="partner-settings"),
    # A partner admin's or manager's people.
    path("partner/people/", people.partner_people, name="partner-people"),
    path("partner/people/invite/", people.partner_invite, name="partner-invite"),
    path(
        "partner/people/<int:membership_id>/",
        people.partner_membership,
        name="partner-membership",
    ),
    path(
        "partner/people/<int:membership_id>/end/",
        people.partner_membership_end,
        name="partner-membership-end",
    ),
    path(
        "partner/people/<int:membership_id>/approve/",
        people.partner_membership_approve,
        name="partner-membership-approve",
    ),
    path(
        "partner/people/<int:membership_id>/decline/",
        people.partner_membership_decline,
        name="partner-membership-decline",
    ),
    path("audit/", audit_views.audit_log, name="audit-log"),
    # The learner catalog, and the studio where vendor staff write and review content.
    path("catalog/", include(learner_urls.urlpatterns)),
    path("studio/", include(studio_urls.urlpatterns)),
    path("studio/media/", include(studio_media_urls.urlpatterns)),
    # Assessments: the competency framework, question banks, items and exams.
    path("program/assessments/", include(assessment_urls.urlpatterns)),
    # Exams: taking them, results and one's competencies; graders' queue and item analysis.
    path("exams/", include(exam_urls.urlpatterns)),
    path("program/grading/", include(exam_grading_urls.urlpatterns)),
    # Learning: one's own progress, a partner manager's team, the vendor's program view and
    # onboarding programs.
    path("learning/", include(learning_urls.urlpatterns)),
    path("partner/learning/", include(team_urls.urlpatterns)),
    path("program/learning/", include(program_urls.urlpatterns)),
    path("onboarding/", include(onboarding_urls.urlpatterns)),
]
