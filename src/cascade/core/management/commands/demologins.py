"""`cascade demologins`: the table of demo sign-ins of a seeded program."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from cascade.core.scoping import tenant_scope
from cascade.demo import DEMO_LOGINS, DEMO_PASSWORD, DEMO_URL
from cascade.demo.catalogue import DEFAULT_TENANT_SLUG
from cascade.identity.models import Membership, MembershipStatus
from cascade.tenancy.models import Tenant


class Command(BaseCommand):
    help = "Print the demo sign-ins (role, e-mail, password, organization) and where to sign in."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--tenant-slug", default=DEFAULT_TENANT_SLUG)

    def handle(self, *args: Any, **options: Any) -> None:
        slug: str = options["tenant_slug"]
        tenant = Tenant.objects.filter(slug=slug).first()
        if tenant is None:
            raise CommandError(
                f"There is no program {slug!r} yet. Create it with: cascade seed --scale demo"
            )
        emails = {login.email(slug): login for login in DEMO_LOGINS}
        with tenant_scope(tenant):
            current = {
                m.person.email: m
                for m in Membership.objects.select_related("person", "organization").filter(
                    person__email__in=list(emails),
                    status__in=[MembershipStatus.ACTIVE, MembershipStatus.PENDING],
                )
            }
        rows = [("Role", "E-mail", "Password", "Organization")]
        for email, login in emails.items():
            membership = current.get(email)
            if membership is None:
                where = "(not in this program: reseed it)"
            elif membership.organization is None:
                where = f"{tenant.name} (vendor staff)"
            else:
                where = membership.organization.name
            rows.append((login.label, email, DEMO_PASSWORD, where))
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        self.stdout.write(f"Demo sign-ins for {tenant.name} ({tenant.slug}):")
        self.stdout.write("")
        for index, row in enumerate(rows):
            line = "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:3]))
            self.stdout.write(f"  {line}  {row[3]}")
            if index == 0:
                self.stdout.write("  " + "  ".join("-" * w for w in widths) + "  " + "-" * 24)
        self.stdout.write("")
        self.stdout.write(f"Open {DEMO_URL} and sign in with any of them.")
