"""Start onboarding for everyone an active program reaches now: the daily sweep that catches
people who came into a program's audience through a change (a new tier, region or job role),
and programs seeded at scale without handing out their items.

Running it again gives nothing twice: a learning milestone's item is given once per person.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from cascade.core.scoping import scopes_disabled, tenant_scope
from cascade.learning.onboarding import onboarding_start_all
from cascade.tenancy.models import Tenant


class Command(BaseCommand):
    help = "Give the onboarding programs' learning to everyone they reach now."

    def handle(self, *args: Any, **options: Any) -> None:
        with scopes_disabled():
            tenants = list(Tenant.objects.all())
        total = 0
        for tenant in tenants:
            with tenant_scope(tenant):
                total += onboarding_start_all(tenant=tenant)
        self.stdout.write(f"Gave {total} onboarding items.")
