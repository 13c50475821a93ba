"""`cascade createtenant`: create a vendor's partner program, and optionally its first admin."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from cascade.access.actor import system_actor
from cascade.core.errors import DomainError
from cascade.core.scoping import tenant_scope
from cascade.identity.models import Membership, Person
from cascade.identity.roles import JobRole, Role
from cascade.identity.services import membership_create
from cascade.tenancy.models import Tenant
from cascade.tenancy.resolution import tenant_base_url
from cascade.tenancy.services import tenant_create


class Command(BaseCommand):
    help = (
        "Create a partner program (tenant): name, slug, host names, languages, and optionally "
        "its first program admin. Nothing is written when any part is invalid."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--name", required=True, help='The program\'s name, e.g. "Acme Partners"'
        )
        parser.add_argument("--slug", required=True, help="Short id: a-z, 0-9 and -")
        parser.add_argument(
            "--domain",
            action="append",
            default=[],
            dest="domains",
            help="A host name serving the program (repeat for several; the first is primary)",
        )
        parser.add_argument("--default-locale", default=settings.LANGUAGE_CODE)
        parser.add_argument(
            "--locale",
            action="append",
            default=[],
            dest="locales",
            help="Another language offered (repeat for several)",
        )
        parser.add_argument("--primary-colour", default="#1f4fa3")
        parser.add_argument("--accent-colour", default="#0f7b6c")
        parser.add_argument("--admin-email", help="E-mail of the first program admin")
        parser.add_argument("--admin-name", help="Full name of the first program admin")

    def handle(self, *args: Any, **options: Any) -> None:
        self._check_locales([options["default_locale"], *options["locales"]])
        admin_email: str | None = options["admin_email"]
        admin_name: str | None = options["admin_name"]
        if bool(admin_email) != bool(admin_name):
            raise CommandError("Give both --admin-email and --admin-name, or neither.")
        try:
            with transaction.atomic():
                tenant = tenant_create(
                    name=options["name"],
                    slug=options["slug"],
                    domains=options["domains"],
                    default_locale=options["default_locale"],
                    supported_locales=options["locales"] or [options["default_locale"]],
                    primary_colour=options["primary_colour"],
                    accent_colour=options["accent_colour"],
                )
                admin = None
                had_password = False
                if admin_email and admin_name:
                    existing = Person.objects.filter(email__iexact=admin_email.strip()).first()
                    had_password = existing is not None and existing.has_usable_password()
                    with tenant_scope(tenant):
                        admin = membership_create(
                            actor=system_actor(tenant),
                            email=admin_email,
                            full_name=admin_name,
                            organization=None,
                            roles=[Role.PROGRAM_ADMIN],
                            job_role=JobRole.OTHER,
                        )
        except DomainError as exc:
            raise CommandError(_explain(exc)) from exc
        self._report(tenant, admin, had_password)

    def _check_locales(self, locales: list[str]) -> None:
        known = dict(settings.LANGUAGES)
        unknown = [locale for locale in locales if locale not in known]
        if unknown:
            raise CommandError(
                f"Unsupported language(s): {', '.join(unknown)}. Choose among: {', '.join(known)}."
            )

    def _report(self, tenant: Tenant, admin: Membership | None, had_password: bool) -> None:
        domains = list(
            tenant.domains.order_by("-is_primary", "id").values_list("domain", flat=True)
        )
        self.stdout.write(
            self.style.SUCCESS(f"Created program {tenant.name} ({tenant.slug}), id {tenant.pk}.")
        )
        self.stdout.write(
            f"  Host names: {', '.join(domains) or '(none: served when it is the only program)'}"
        )
        self.stdout.write(
            f"  Languages: {', '.join(tenant.supported_locales)} (default {tenant.default_locale})"
        )
        if admin is None:
            return
        email = admin.person.email
        self.stdout.write(f"  Program admin: {admin.person.full_name} <{email}>")
        if had_password:
            self.stdout.write("  They sign in with the password they already have.")
            return
        days = max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)
        self.stdout.write(
            f"  Password setup (shown once; the link works once, for {days} days):\n"
            f"    {_password_setup_link(tenant, admin.person)}\n"
            f"  or set it here with: cascade changepassword {email}"
        )


def _password_setup_link(tenant: Tenant, person: Person) -> str:
    """The password-reset page's link for this person: it lets them choose a first password."""
    path = reverse(
        "web:password-reset-confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(person.pk)),
            "token": default_token_generator.make_token(person),
        },
    )
    return f"{tenant_base_url(tenant)}{path}"


_OPTIONS = {"domains": "--domain", "email": "--admin-email", "full_name": "--admin-name"}


def _explain(error: DomainError) -> str:
    """The service's message, naming the command-line option at fault when there is one."""
    by_option: dict[str, list[str]] = {}
    for detail in error.details:
        if detail.get("field") and detail.get("message"):
            field = str(detail["field"])
            option = _OPTIONS.get(field, "--" + field.replace("_", "-"))
            by_option.setdefault(option, []).append(str(detail["message"]))
    problems = [f"{option}: {' '.join(messages)}" for option, messages in by_option.items()]
    return f"{'; '.join(problems) or error.message} Nothing was created."
