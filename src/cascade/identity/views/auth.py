"""Signing in and out and resetting a password, on Django's own views.

Django's LoginView hands the request to `authenticate()`, which django-axes (first in
AUTHENTICATION_BACKENDS) needs to count failures and lock out guessing.
"""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy

from cascade.identity.forms import ResetPasswordForm, SignInForm

sign_in = auth_views.LoginView.as_view(
    template_name="identity/sign_in.html",
    authentication_form=SignInForm,
    redirect_authenticated_user=True,
)

sign_out = auth_views.LogoutView.as_view()

password_reset = auth_views.PasswordResetView.as_view(
    template_name="identity/password_reset_form.html",
    form_class=ResetPasswordForm,
    email_template_name="identity/email/password_reset.txt",
    subject_template_name="identity/email/password_reset_subject.txt",
    success_url=reverse_lazy("web:password-reset-done"),
)

password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="identity/password_reset_done.html"
)

password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="identity/password_reset_confirm.html",
    success_url=reverse_lazy("web:password-reset-complete"),
)

password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="identity/password_reset_complete.html"
)
